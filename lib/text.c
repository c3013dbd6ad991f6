/* text.c - byte, char, word and paragraph counts, and \boxed{} search. */
#include <string.h>

#include "text.h"

#define NPOS ((size_t)-1)

static bool ascii_space(unsigned char c)
{
	return c == ' ' || (unsigned char)(c - '\t') <= '\r' - '\t';
}

/* Byte length of the White_Space char (SPEC 3) at p[0..n), 0 when p
 * starts with anything else. Beyond ASCII the list is U+0085, U+00A0
 * (C2 xx), U+1680 (E1 9A 80), U+2000-200A, U+2028, U+2029, U+202F,
 * U+205F (E2 80 xx, E2 81 9F) and U+3000 (E3 80 80). */
static size_t space_len(const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return ascii_space(p[0]);
	if (n >= 2 && p[0] == 0xc2)
		return p[1] == 0x85 || p[1] == 0xa0 ? 2 : 0;
	if (n < 3)
		return 0;
	switch (p[0]) {
	case 0xe1:
		return p[1] == 0x9a && p[2] == 0x80 ? 3 : 0;
	case 0xe2:
		if (p[1] == 0x80)
			return p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 ||
			       p[2] == 0xaf ? 3 : 0;
		return p[1] == 0x81 && p[2] == 0x9f ? 3 : 0;
	case 0xe3:
		return p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	default:
		return 0;
	}
}

/* Byte length of the UTF-8 sequence led by c. A stray continuation byte
 * (only in invalid input, which callers promise not to pass) counts as
 * one char of its own so the loop still ends. */
static size_t seq_len(unsigned char c)
{
	if (c < 0xc0)
		return 1;
	return c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
#endif

enum { CHUNK = 8 };
#define ONES ((uint64_t)0x0101010101010101)
#define HIGH (ONES * 0x80)

/* The counting state between chars: it is all that a word or paragraph
 * boundary depends on. */
typedef struct counter {
	uint64_t words, steps;
	bool in_word;	/* the previous char was not White_Space */
	bool line_ink;	/* the current line holds a non-White_Space char */
	bool prev_ink;	/* so did the line before it */
} counter;

static void see_ink(counter *c)
{
	if (!c->in_word)
		c->words++;
	c->in_word = true;
	if (!c->line_ink) {
		c->line_ink = true;
		/* The first inked line after a blank one (or the start)
		 * opens a paragraph. */
		if (!c->prev_ink)
			c->steps++;
	}
}

static void see_space(counter *c, unsigned char ch)
{
	c->in_word = false;
	if (ch == '\n') {
		c->prev_ink = c->line_ink;
		c->line_ink = false;
	}
}

#ifdef SWAR
/* Count eight ASCII bytes at once; false (nothing done) when w holds a
 * LF, which the caller then takes byte by byte. Every lane is < 0x80,
 * so the additions below never carry into the next lane. */
static bool count_chunk(counter *c, uint64_t w)
{
	uint64_t x, lf, sp, ink, starts;

	x = w ^ (ONES * '\n');
	lf = ~(((x & ~HIGH) + ~HIGH) | x) & HIGH;
	if (lf)
		return false;
	x = w ^ (ONES * ' ');
	sp = ~(((x & ~HIGH) + ~HIGH) | x) & HIGH;
	/* 0x09 <= lane <= 0x0d: above 8 and not above 13 */
	sp |= (w + ONES * (0x80 - 0x09)) & ~(w + ONES * (0x80 - 0x0e)) & HIGH;
	ink = ~sp & HIGH;
	if (!ink) {
		c->in_word = false;
		return true;
	}
	/* A word starts at an inked lane whose left neighbour (the lane
	 * below in memory, or the previous chunk's last) is not inked. */
	starts = ink & ~((ink << 8) | (c->in_word ? 0x80 : 0));
	c->words += ((starts >> 7) * ONES) >> 56;
	c->in_word = ink >> 63;
	if (!c->line_ink) {
		c->line_ink = true;
		if (!c->prev_ink)
			c->steps++;
	}
	return true;
}
#endif

void cot__text_count(const char *text, size_t len, cot__counts *out)
{
	const unsigned char *s = (const unsigned char *)text;
	counter c = { 0, 0, false, false, false };
	uint64_t chars = 0;
	size_t i = 0;

	while (i < len) {
#ifdef SWAR
		if (len - i >= CHUNK) {
			uint64_t w;

			memcpy(&w, s + i, CHUNK);
			if (!(w & HIGH)) {
				size_t end = i + CHUNK;

				chars += CHUNK;
				if (count_chunk(&c, w)) {
					i = end;
					continue;
				}
				for (; i < end; i++) {
					if (ascii_space(s[i]))
						see_space(&c, s[i]);
					else
						see_ink(&c);
				}
				continue;
			}
		}
#endif
		if (s[i] < 0x80) {
			if (ascii_space(s[i]))
				see_space(&c, s[i]);
			else
				see_ink(&c);
			i++;
		} else {
			size_t n = seq_len(s[i]);

			if (n > len - i)
				n = len - i;
			if (space_len(s + i, n))
				see_space(&c, s[i]);
			else
				see_ink(&c);
			i += n;
		}
		chars++;
	}
	out->bytes = len;
	out->chars = chars;
	out->words = c.words;
	out->steps = c.steps;
}

/* When t[i] is the backslash of \boxed or \fbox, the offset of the '{'
 * that opens its argument, else NPOS. The command name must end there:
 * "\boxedx{" is not a box, while white space before '{' is allowed. */
static size_t box_brace(const char *t, size_t i, size_t len)
{
	const unsigned char *s = (const unsigned char *)t;
	size_t j, w;

	if (len - i > 5 && memcmp(t + i + 1, "boxed", 5) == 0)
		j = i + 6;
	else if (len - i > 4 && memcmp(t + i + 1, "fbox", 4) == 0)
		j = i + 5;
	else
		return NPOS;
	while (j < len) {
		if (t[j] == '{')
			return j;
		w = space_len(s + j, len - j);
		if (!w)
			return NPOS;
		j += w;
	}
	return NPOS;
}

/* Whether the group opened by the '{' just before t[i] closes before
 * end; the closing '}' goes to *close. A backslash takes the next byte
 * with it: \{ and \} are literal braces in LaTeX and do not count, and
 * \\ (a line break) does not escape the brace after it. */
static bool group_end(const char *t, size_t i, size_t end, size_t *close)
{
	size_t depth = 1;

	while (i < end) {
		switch (t[i]) {
		case '\\':
			i++;
			break;
		case '{':
			depth++;
			break;
		case '}':
			if (--depth == 0) {
				*close = i;
				return true;
			}
			break;
		default:
			break;
		}
		i++;
	}
	return false;
}

/* Candidates are tried from the last one back; the first that closes
 * wins. A candidate that does not close never will, and neither will
 * any earlier one whose group contains its '{' (its depth stays above
 * zero from there on), so an earlier candidate need only be scanned up
 * to that '{'. The scans then cover disjoint ranges: linear even for
 * "\boxed{\boxed{\boxed{..." cut off by a length limit.
 *
 * Example: "\boxed{a \boxed{b}}" gives "b", the box that starts last;
 * "\boxed{1} ... \boxed{2" gives "1". A backslash before \boxed is not
 * looked at, so over-escaped "\\boxed{x}" still counts. */
bool cot__text_boxed(const char *text, size_t len, cot__span *content)
{
	size_t limit = len, i = len, brace, close;

	while (i-- > 0) {
		if (text[i] != '\\')
			continue;
		brace = box_brace(text, i, len);
		if (brace == NPOS)
			continue;
		if (group_end(text, brace + 1, limit, &close)) {
			content->off = brace + 1;
			content->len = close - brace - 1;
			return true;
		}
		limit = brace;
	}
	return false;
}
