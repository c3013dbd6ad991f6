/* markup.c - math, code and lists in a reasoning text. */
#include <string.h>

#include "base/bits.h"
#include "base/simd.h"
#include "text/markup.h"
#include "text/text.h"

enum { NONE, INLINE_DOLLAR, DISPLAY_DOLLAR, DISPLAY_BRACKET, INLINE_PAREN,
       CODE };

typedef struct scan {
	const unsigned char *t;
	cot__arena *a;
	cot__markup *out;
	size_t cap;
	int pend;		/* the region opened and not yet closed */
	size_t pend_start;
	size_t ticks;		/* backticks that opened inline code */
	/* openings found to have no closing in this segment: any later
	 * one of the same kind has none either */
	unsigned failed;	/* bit per kind */
	uint64_t failed_ticks;	/* bit per backtick run length < 64 */
} scan;

/* Whether no sentence can end in t[i..e): none of its bytes begins a
 * terminator (segment.c's '.', '?', '!' and the lead bytes of 。？！). */
static bool no_stop(const unsigned char *t, size_t i, size_t e)
{
	for (; i < e; i++)
		if (t[i] == '.' || t[i] == '?' || t[i] == '!' ||
		    t[i] == 0xe3 || t[i] == 0xef)
			return false;
	return true;
}

static int push(scan *s, size_t start, size_t end)
{
	cot__markup *m = s->out;
	cot__span *v;

	/* a region a few bytes after the last one, with nothing between
	 * that could end a sentence, extends it: the sentences read the
	 * regions only to skip terminators in them, and dense math ("$x$
	 * $y$ ...") would otherwise hold 16 bytes per 4 of text */
	if (m->nprot) {
		cot__span *last = &m->prot[m->nprot - 1];
		size_t le = last->off + last->len;

		if (le <= start && start - le <= 64 &&
		    no_stop(s->t, le, start)) {
			last->len = end - last->off;
			return COT_OK;
		}
	}
	v = cot__arena_grow(s->a, m->prot, m->nprot, &s->cap, sizeof *v);
	if (!v)
		return COT_ENOMEM;
	m->prot = v;
	m->prot[m->nprot].off = start;
	m->prot[m->nprot].len = end - start;
	m->nprot++;
	return COT_OK;
}

/* Offset of the first byte of line [ls, le) that is not White_Space. */
static size_t ink_at(const unsigned char *t, size_t ls, size_t le)
{
	while (ls < le) {
		size_t w = cot__space_len(t + ls, le - ls);

		if (!w)
			break;
		ls += w;
	}
	return ls;
}

/* A fence at t[i..le): its character and length, or 0. */
static size_t fence(const unsigned char *t, size_t i, size_t le, char *ch)
{
	size_t n = 0;

	if (i >= le || (t[i] != '`' && t[i] != '~'))
		return 0;
	while (i + n < le && t[i + n] == t[i])
		n++;
	*ch = (char)t[i];
	return n >= 3 ? n : 0;
}

static bool list_item(const unsigned char *t, size_t i, size_t le)
{
	size_t d = i;

	if (i < le && (t[i] == '-' || t[i] == '*' || t[i] == '+')) {
		i++;
	} else if (le - i >= 3 && t[i] == 0xe2 && t[i + 1] == 0x80 &&
		   t[i + 2] == 0xa2) {
		i += 3;
	} else {
		while (i < le && i - d < 3 && t[i] >= '0' && t[i] <= '9')
			i++;
		if (i == d || i >= le || (t[i] != '.' && t[i] != ')'))
			return false;
		i++;
	}
	return i < le && cot__space_len(t + i, le - i) > 0;
}

/* Does a White_Space character end just before t[i]? */
static bool space_before(const unsigned char *t, size_t i)
{
	for (size_t k = 1; k <= 3 && k <= i; k++)
		if (cot__space_len(t + i - k, k) == k)
			return true;
	return false;
}

/* The first byte that may open or close a region ($ \\ `) in
 * t[i..end), or end. */
static size_t next_special(const unsigned char *t, size_t i, size_t end)
{
	for (; end - i >= 16; i += 16) {
		cot__v16 v = cot__v16_load(t + i);
		uint32_t bits = cot__v16_mask(cot__v16_or(
			cot__v16_eq1(v, '$'),
			cot__v16_or(cot__v16_eq1(v, '\\'), cot__v16_eq1(v, '`'))));

		if (bits)
			return i + cot__ctz32(bits);
	}
	while (i < end && t[i] != '$' && t[i] != '\\' && t[i] != '`')
		i++;
	return i;
}

/* The end of the line at t[i] (its LF, or end). Lines are short, and a
 * memchr call costs more than the search. */
static size_t line_end(const unsigned char *t, size_t i, size_t end)
{
	for (; end - i >= 16; i += 16) {
		uint32_t bits = cot__v16_mask(
			cot__v16_eq1(cot__v16_load(t + i), '\n'));

		if (bits)
			return i + cot__ctz32(bits);
	}
	while (i < end && t[i] != '\n')
		i++;
	return i;
}

static int close_region(scan *s, size_t end, uint32_t *counter)
{
	(*counter)++;
	s->pend = NONE;
	return push(s, s->pend_start, end);
}

static bool has_failed(const scan *s, int kind, size_t ticks)
{
	if (kind == CODE)
		return ticks < 64 && (s->failed_ticks >> ticks & 1);
	return s->failed >> kind & 1;
}

static void open_region(scan *s, int kind, size_t at, size_t ticks)
{
	if (has_failed(s, kind, ticks))
		return;		/* it would not close: a plain character */
	s->pend = kind;
	s->pend_start = at;
	s->ticks = ticks;
}

/* Math and inline code in one segment [i, end): a run of lines of one
 * paragraph outside code blocks. An opening that is not closed by the
 * end is taken as a plain character and the scan goes on after it, as
 * Pandoc reads "$5 and $6, $x$". */
static int scan_segment(scan *s, size_t i, size_t end)
{
	const unsigned char *t = s->t;
	cot__markup *m = s->out;

	s->pend = NONE;
	s->failed = 0;
	s->failed_ticks = 0;
	for (;;) {
		unsigned char c;

		i = next_special(t, i, end);
		if (i >= end) {
			if (s->pend == NONE)
				return COT_OK;
			/* unclosed: plain, and so is any later one */
			if (s->pend == CODE) {
				if (s->ticks < 64)
					s->failed_ticks |= (uint64_t)1 <<
							   s->ticks;
				i = s->pend_start + s->ticks;
			} else {
				s->failed |= 1u << s->pend;
				i = s->pend_start +
				    (s->pend == INLINE_DOLLAR ? 1 : 2);
			}
			s->pend = NONE;
			continue;
		}
		c = t[i];
		if (c == '`') {
			size_t r = 1;

			while (i + r < end && t[i + r] == '`')
				r++;
			if (s->pend == CODE && r == s->ticks) {
				if (close_region(s, i + r, &m->inline_code))
					return COT_ENOMEM;
			} else if (s->pend == NONE) {
				open_region(s, CODE, i, r);
			}
			i += r;
			continue;
		}
		if (s->pend == CODE) {
			i++;
			continue;
		}
		if (c == '\\') {
			unsigned char d = i + 1 < end ? t[i + 1] : 0;
			int rc = COT_OK;

			if (d == '[' && s->pend == NONE)
				open_region(s, DISPLAY_BRACKET, i, 0);
			else if (d == ']' && s->pend == DISPLAY_BRACKET)
				rc = close_region(s, i + 2, &m->display_math);
			else if (d == '(' && s->pend == NONE)
				open_region(s, INLINE_PAREN, i, 0);
			else if (d == ')' && s->pend == INLINE_PAREN)
				rc = close_region(s, i + 2, &m->inline_math);
			if (rc)
				return rc;
			/* \\, \$ and the rest: the next byte is taken */
			i += d ? 2 : 1;
			continue;
		}
		/* c == '$' */
		if (i + 1 < end && t[i + 1] == '$') {
			if (s->pend == NONE) {
				open_region(s, DISPLAY_DOLLAR, i, 0);
			} else if (s->pend == DISPLAY_DOLLAR) {
				if (close_region(s, i + 2, &m->display_math))
					return COT_ENOMEM;
			}
			i += 2;
			continue;
		}
		if (s->pend == INLINE_DOLLAR) {
			bool after_ink = i > 0 && !space_before(t, i);
			bool digit_next = i + 1 < end && t[i + 1] >= '0' &&
				t[i + 1] <= '9';

			if (after_ink && !digit_next &&
			    close_region(s, i + 1, &m->inline_math))
				return COT_ENOMEM;
		} else if (s->pend == NONE && i + 1 < end &&
			   !cot__space_len(t + i + 1, end - i - 1)) {
			open_region(s, INLINE_DOLLAR, i, 0);
		}
		i++;
	}
}

int cot__markup_scan(const char *text, size_t len, cot__arena *a,
		     cot__markup *out)
{
	scan s = { (const unsigned char *)text, a, out, 0, NONE, 0, 0, 0, 0 };
	const unsigned char *t = s.t;
	size_t pos = 0, fence_start = 0, fence_len = 0, seg = SIZE_MAX;
	char fence_ch = 0;
	bool in_fence = false, in_list = false;

	memset(out, 0, sizeof *out);
	while (pos < len) {
		size_t le = line_end(t, pos, len);
		size_t ink = ink_at(t, pos, le);
		size_t next = le < len ? le + 1 : len;
		char ch = 0;
		size_t f;

		if (in_fence) {
			f = fence(t, ink, le, &ch);
			if (f >= fence_len && ch == fence_ch &&
			    ink_at(t, ink + f, le) == le) {
				in_fence = false;
				if (push(&s, fence_start, le))
					return COT_ENOMEM;
			}
			pos = next;
			continue;
		}
		f = ink < le ? fence(t, ink, le, &ch) : 0;
		/* a blank line or a fence ends the segment before it */
		if ((ink == le || f) && seg != SIZE_MAX) {
			if (scan_segment(&s, seg, pos))
				return COT_ENOMEM;
			seg = SIZE_MAX;
		}
		if (ink == le) {
			pos = next;
			continue;
		}
		if (f) {
			out->code_blocks++;
			in_fence = true;
			fence_len = f;
			fence_ch = ch;
			fence_start = ink;
			in_list = false;
			pos = next;
			continue;
		}
		if (seg == SIZE_MAX)
			seg = pos;
		if (list_item(t, ink, le)) {
			out->list_items++;
			if (!in_list)
				out->lists++;
			in_list = true;
		} else if (ink == pos) {
			in_list = false;	/* not indented: no list */
		}
		pos = next;
	}
	if (seg != SIZE_MAX && scan_segment(&s, seg, len))
		return COT_ENOMEM;
	if (in_fence && push(&s, fence_start, len))
		return COT_ENOMEM;
	return COT_OK;
}
