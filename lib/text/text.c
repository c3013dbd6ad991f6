/* text.c - byte, char, word and paragraph counts, and \boxed{} search. */
#include <string.h>

#include "text/text.h"
#include "base/bits.h"
#include "base/simd.h"
#include "text/segment.h"

#define NPOS ((size_t)-1)

/* Byte length of the UTF-8 sequence led by c. */
static size_t seq_len(unsigned char c)
{
	if (c < 0xc0)
		return 1;
	return c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Where the paragraphs are, when the caller asks: each paragraph's
 * span and its words. No words stand between paragraphs (only blank
 * lines do), so a paragraph's words are those counted up to the end of
 * its last line less those up to the end of the paragraph before. */
typedef struct para_rec {
	cot__arena *a;
	cot__spans *out;
	uint32_t *words;
	size_t cap, wcap;
	size_t line_start;	/* where the current line starts */
	size_t start, end;	/* the open paragraph, to its last ink line */
	uint64_t w_end;		/* words up to end */
	uint64_t w_before;	/* words up to the paragraph before */
	bool open;
	int err;
} para_rec;

/* The counting state between chars: all that a word or paragraph
 * boundary depends on. */
typedef struct counter {
	uint64_t words, steps;
	bool in_word;	/* the previous char was not White_Space */
	bool line_ink;	/* the current line has a non-White_Space char */
	bool prev_ink;	/* so did the line before it */
	para_rec *rec;	/* NULL: counts only */
} counter;

static void push_para(para_rec *r)
{
	size_t n = r->out->n;
	cot__span *v;
	uint32_t *w;

	if (r->err)
		return;
	v = cot__arena_grow(r->a, r->out->v, n, &r->cap, sizeof *v);
	w = v ? cot__arena_grow(r->a, r->words, n, &r->wcap, sizeof *w) :
		NULL;
	if (!v || !w) {
		r->err = COT_ENOMEM;
		return;
	}
	r->out->v = v;
	r->words = w;
	v[n].off = r->start;
	v[n].len = r->end - r->start;
	w[n] = (uint32_t)(r->w_end - r->w_before);
	r->w_before = r->w_end;
	r->out->n = n + 1;
}

static void ink_line(counter *c)
{
	/* The first inked line after a blank one (or the start) opens a
	 * paragraph. */
	if (!c->line_ink && !c->prev_ink) {
		c->steps++;
		if (c->rec) {
			if (c->rec->open)
				push_para(c->rec);
			c->rec->open = true;
			c->rec->start = c->rec->line_start;
		}
	}
	c->line_ink = true;
}

/* The line ends at the LF at `at`, with `words` counted before it. */
static void end_line(counter *c, size_t at, uint64_t words)
{
	if (c->rec) {
		if (c->line_ink) {
			c->rec->end = at;
			c->rec->w_end = words;
		}
		c->rec->line_start = at + 1;
	}
	c->prev_ink = c->line_ink;
	c->line_ink = false;
}

enum { TAIL, SPACE, INK };

/* The char at s[i..len): its length, and in *kind whether it is white
 * space. A continuation byte here (TAIL) is the rest of an inked char
 * whose lead byte ended the last block: it was counted there. (In
 * invalid UTF-8, which callers promise not to pass, a stray one is
 * skipped the same way.) */
static size_t char_at(const unsigned char *s, size_t i, size_t len,
		      int *kind)
{
	size_t n;

	if (s[i] < 0x80) {
		*kind = cot__ascii_space(s[i]) ? SPACE : INK;
		return 1;
	}
	if (s[i] < 0xc0) {
		*kind = TAIL;
		return 1;
	}
	n = seq_len(s[i]);
	if (n > len - i)
		n = len - i;
	*kind = cot__space_len(s + i, n) ? SPACE : INK;
	return n;
}

/* ---- 32 bytes at a time: one bit per byte in each mask ---- */

enum { BLOCK = 32 };

typedef struct block {
	uint32_t space;	/* ASCII white space, LF included */
	uint32_t lf;
	uint32_t cont;	/* UTF-8 continuation bytes */
	uint32_t lead;	/* C2, E1, E2, E3: may lead a wider space */
} block;

/* Signed compares: bytes >= 0x80 are negative, so they are never above
 * 8, and continuations are exactly those below -64. */
static void classify(const unsigned char *p, block *b)
{
	memset(b, 0, sizeof *b);
	for (int h = 0; h < 2; h++) {
		cot__v16 v = cot__v16_load(p + 16 * h);
		cot__v16 sp = cot__v16_or(
			cot__v16_eq1(v, ' '),
			cot__v16_and(cot__v16_gt(v, cot__v16_splat(8)),
				     cot__v16_lt(v, cot__v16_splat(14))));
		cot__v16 lead = cot__v16_or(
			cot__v16_eq1(v, 0xc2),
			cot__v16_and(cot__v16_gt(v, cot__v16_splat(0xe0)),
				     cot__v16_lt(v, cot__v16_splat(0xe4))));

		b->space |= cot__v16_mask(sp) << (16 * h);
		b->lf |= cot__v16_mask(cot__v16_eq1(v, '\n')) << (16 * h);
		b->cont |= cot__v16_mask(cot__v16_lt(v, cot__v16_splat(0xc0)))
			   << (16 * h);
		b->lead |= cot__v16_mask(lead) << (16 * h);
	}
}

/* Count the first m (1..32) bytes of a block. Bytes that are not ASCII
 * white space are ink: the caller keeps bytes that may lead a wider
 * space out of m. Continuation bytes are ink, as their lead was, and
 * are no chars. */
static void count_block(counter *c, const block *b, unsigned m,
			uint64_t *chars, size_t base)
{
	uint32_t keep = m == BLOCK ? ~(uint32_t)0 : ((uint32_t)1 << m) - 1;
	uint32_t ink = ~b->space & keep, lf = b->lf & keep, starts, bit;
	uint64_t before = c->words;
	unsigned cont, nstarts;

	/* A word starts at an inked byte after a space (or after the
	 * previous block's last byte, when that was a space). */
	starts = ink & ~((ink << 1) | (uint32_t)c->in_word);
	cot__popcount2x32(b->cont & keep, starts, &cont, &nstarts);
	*chars += m - cont;
	c->words += nstarts;
	c->in_word = (ink >> (m - 1)) & 1;
	/* Each LF ends a line, inked if ink stands below it. */
	while (lf) {
		bit = lf & (0 - lf);
		if (ink & (bit - 1))
			ink_line(c);
		end_line(c, base + cot__ctz32(bit),
			 before + cot__popcount32(starts & (bit - 1)));
		ink &= ~(bit - 1) & ~bit;
		lf &= lf - 1;
	}
	if (ink)
		ink_line(c);
}

/* The counts, and with rec the paragraphs. Inline in both callers, so
 * that the counter lives in registers and counting alone tests no rec. */
static inline void count(const char *text, size_t len, cot__counts *out,
			 para_rec *rec)
{
	const unsigned char *s = (const unsigned char *)text;
	counter c = { 0, 0, false, false, false, rec };
	uint64_t chars = 0;
	size_t i = 0;
	unsigned char ch;
	int kind;

	/* Each piece of code below has one call site, so that all of it is
	 * inlined and the counter lives in registers. */
	for (;;) {
		if (len - i >= BLOCK) {
			block b;
			unsigned m;

			/* The bytes before the first possible wide space at
			 * once, then that char alone (mostly U+2019 or an
			 * em dash, rarely a space). */
			classify(s + i, &b);
			m = b.lead ? cot__ctz32(b.lead) : BLOCK;
			if (m) {
				count_block(&c, &b, m, &chars, i);
				i += m;
			}
			if (!b.lead)
				continue;
		}
		if (i >= len)
			break;
		ch = s[i];
		i += char_at(s, i, len, &kind);
		if (kind == INK) {
			if (!c.in_word)
				c.words++;
			c.in_word = true;
			ink_line(&c);
		} else if (kind == SPACE) {
			c.in_word = false;
			if (ch == '\n')
				end_line(&c, i - 1, c.words);
		}
		chars += kind != TAIL;
	}
	if (rec) {
		if (c.line_ink) {
			rec->end = len;
			rec->w_end = c.words;
		}
		if (rec->open)
			push_para(rec);
	}
	out->bytes = len;
	out->chars = chars;
	out->words = c.words;
	out->steps = c.steps;
}

void cot__text_count(const char *text, size_t len, cot__counts *out)
{
	count(text, len, out, NULL);
}

int cot__text_paragraphs(const char *text, size_t len, cot__arena *a,
			 cot__counts *out, cot__spans *para, uint32_t **words)
{
	para_rec r;

	memset(&r, 0, sizeof r);
	r.a = a;
	r.out = para;
	para->v = NULL;
	para->n = 0;
	count(text, len, out, &r);
	if (r.err) {
		para->n = 0;
		return r.err;
	}
	if (words)
		*words = r.words;
	return COT_OK;
}

size_t cot__find(const char *t, size_t from, size_t to, const char *m,
		 size_t mlen)
{
	while (from < to && to - from >= mlen) {
		const char *p = memchr(t + from, m[0], to - from - mlen + 1);

		if (!p)
			break;
		if (memcmp(p + 1, m + 1, mlen - 1) == 0)
			return (size_t)(p - t);
		from = (size_t)(p - t) + 1;
	}
	return SIZE_MAX;
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
		w = cot__space_len(s + j, len - j);
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

/* The offset of the last backslash in t[0..i), NPOS if none. Reasoning
 * without a box is searched whole, so skip 16 bytes at a time. */
static size_t last_backslash(const char *t, size_t i)
{
	while (i >= 16 && !cot__v16_mask(cot__v16_eq1(cot__v16_load(t + i - 16),
						      '\\')))
		i -= 16;
	while (i > 0)
		if (t[--i] == '\\')
			return i;
	return NPOS;
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

	while ((i = last_backslash(text, i)) != NPOS) {
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
