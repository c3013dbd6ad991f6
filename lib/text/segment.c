/* segment.c - cut a reasoning text into paragraphs (and other units). */
#include <string.h>

#include "base/bits.h"
#include "base/simd.h"
#include "match/cue.h"
#include "text/segment.h"
#include "text/text.h"

/* Append span [start, end) to out, growing it in the arena. */
static int push(cot__arena *a, cot__spans *out, size_t *cap, size_t start,
		size_t end)
{
	cot__span *v = cot__arena_grow(a, out->v, out->n, cap, sizeof *v);

	if (!v)
		return COT_ENOMEM;
	out->v = v;
	out->v[out->n].off = start;
	out->v[out->n].len = end - start;
	out->n++;
	return COT_OK;
}

int cot__paragraphs(const char *text, size_t len, cot__arena *a,
		    cot__spans *out)
{
	cot__counts c;

	/* cut where the core counts are taken: one definition */
	return cot__text_paragraphs(text, len, a, &c, out, NULL);
}

size_t cot__span_index(const cot__spans *s, size_t off)
{
	size_t lo = 0, hi = s->n;

	/* the last span whose start is <= off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* ---- sentences ---- */

/* Abbreviations whose final period does not end a sentence, compared
 * without that period, case-insensitively: their lower-case bytes
 * packed into an integer, first byte highest. "etc." and "No." are not
 * here: in reasoning traces they end sentences as often as not. A
 * switch, not a list of strings: the test runs at most sentence ends. */
#define K2(a, b) ((uint64_t)(a) << 8 | (uint64_t)(b))
#define K3(a, b, c) (K2(a, b) << 8 | (uint64_t)(c))
#define K4(a, b, c, d) (K3(a, b, c) << 8 | (uint64_t)(d))
#define K6(a, b, c, d, e, f) (K4(a, b, c, d) << 16 | K2(e, f))
enum { ABBREV_MAX = 6 };	/* the longest below */

static bool abbrev_key(uint64_t k)
{
	switch (k) {
	case K3('e', '.', 'g'): case K3('i', '.', 'e'): case K2('c', 'f'):
	case K2('v', 's'): case K3('v', 'i', 'z'): case K2('d', 'r'):
	case K2('m', 'r'): case K3('m', 'r', 's'): case K2('m', 's'):
	case K4('p', 'r', 'o', 'f'): case K2('s', 'r'): case K2('j', 'r'):
	case K2('s', 't'): case K2('m', 't'): case K3('f', 'i', 'g'):
	case K4('f', 'i', 'g', 's'): case K2('e', 'q'): case K3('e', 'q', 's'):
	case K6('a', 'p', 'p', 'r', 'o', 'x'): case K4('r', 'e', 's', 'p'):
	case K2('a', 'l'): case K2('c', 'a'): case K4('i', 'n', 'c', 'l'):
	case K3('e', 's', 'p'):
		return true;
	}
	return false;
}

static bool ascii_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Is the '.' at t[i] the end of an abbreviation? */
static bool abbreviation(const unsigned char *t, size_t ps, size_t i)
{
	size_t s = i;
	uint64_t key = 0;

	while (s > ps && i - s <= ABBREV_MAX &&
	       (ascii_letter(t[s - 1]) || t[s - 1] == '.'))
		s--;
	if (s == i || i - s > ABBREV_MAX ||
	    (s > ps && (ascii_letter(t[s - 1]) || t[s - 1] == '.')))
		return false;
	for (size_t k = s; k < i; k++)
		key = key << 8 | (t[k] | (ascii_letter(t[k]) ? 0x20 : 0));
	return abbrev_key(key);
}

/* Is the '.' at t[i] the end of an enumeration that begins its line:
 * 1 to 3 digits or one letter, after nothing but White_Space and the
 * marks * # > since the line (or paragraph) began? */
static bool enumeration(const unsigned char *t, size_t ps, size_t i)
{
	size_t s = i;

	while (s > ps && i - s < 3 && t[s - 1] >= '0' && t[s - 1] <= '9')
		s--;
	if (s == i && s > ps && ascii_letter(t[s - 1]))
		s--;
	if (s == i)
		return false;
	while (s > ps && t[s - 1] != '\n') {
		unsigned char c = t[s - 1];

		if (c != ' ' && c != '\t' && c != '*' && c != '#' && c != '>')
			return false;
		s--;
	}
	return true;
}

/* The closing quotes, brackets and emphasis marks at t[e..pe). */
static size_t closers(const unsigned char *t, size_t e, size_t pe)
{
	for (;;) {
		if (e < pe && (t[e] == '"' || t[e] == '\'' || t[e] == ')' ||
			       t[e] == ']' || t[e] == '}' || t[e] == '*' ||
			       t[e] == '_' || t[e] == '`')) {
			e++;
		} else if (pe - e >= 2 && t[e] == 0xc2 && t[e + 1] == 0xbb) {
			e += 2;		/* » */
		} else if (pe - e >= 3 &&
			   ((t[e] == 0xe2 && t[e + 1] == 0x80 &&
			     (t[e + 2] == 0x9d || t[e + 2] == 0x99)) ||
			    (t[e] == 0xe3 && t[e + 1] == 0x80 &&
			     (t[e + 2] == 0x8d || t[e + 2] == 0x8f)) ||
			    (t[e] == 0xef && t[e + 1] == 0xbc &&
			     t[e + 2] == 0x89))) {
			e += 3;		/* ” ’ 」 』 ） */
		} else {
			return e;
		}
	}
}

/* U+3002 U+FF01 U+FF1F */
static bool cjk_stop(const unsigned char *t, size_t i, size_t pe)
{
	if (pe - i < 3)
		return false;
	return (t[i] == 0xe3 && t[i + 1] == 0x80 && t[i + 2] == 0x82) ||
	       (t[i] == 0xef && t[i + 1] == 0xbc &&
		(t[i + 2] == 0x81 || t[i + 2] == 0x9f));
}

static size_t skip_space(const unsigned char *t, size_t i, size_t end)
{
	size_t w;

	while (i < end && (w = cot__space_len(t + i, end - i)))
		i += w;
	return i;
}

/* End of [s, e) less its trailing White_Space. */
static size_t trim_end(const unsigned char *t, size_t s, size_t e)
{
	while (e > s) {
		size_t k;

		for (k = 1; k <= 3 && k <= e - s; k++)
			if (cot__space_len(t + e - k, k) == k)
				break;
		if (k > 3 || k > e - s)
			break;
		e -= k;
	}
	return e;
}

/* Fewer than 10 code points? */
static bool short_span(const unsigned char *t, size_t off, size_t len)
{
	size_t cps = 0;

	if (len >= 40)
		return false;
	for (size_t i = off; i < off + len; i++)
		cps += (t[i] & 0xc0) != 0x80;
	return cps < 10;
}

/* Merge the short sentences of one paragraph, out->v[first..n). */
static void merge_short(const unsigned char *t, cot__spans *out,
			size_t first)
{
	size_t w = first, pend_off = SIZE_MAX;

	for (size_t r = first; r < out->n; r++) {
		cot__span s = out->v[r];

		if (pend_off != SIZE_MAX) {
			s.len = s.off + s.len - pend_off;
			s.off = pend_off;
			pend_off = SIZE_MAX;
		}
		if (r + 1 < out->n && short_span(t, s.off, s.len)) {
			pend_off = s.off;
			continue;
		}
		out->v[w++] = s;
	}
	if (w - first >= 2 && short_span(t, out->v[w - 1].off,
					 out->v[w - 1].len)) {
		cot__span *prev = &out->v[w - 2];

		prev->len = out->v[w - 1].off + out->v[w - 1].len - prev->off;
		w--;
	}
	out->n = w;
}

size_t cot__next_term(const unsigned char *t, size_t i, size_t end)
{
	for (; end - i >= 16; i += 16) {
		cot__v16 v = cot__v16_load(t + i);
		uint32_t bits = cot__v16_mask(cot__v16_or(
			cot__v16_or(cot__v16_eq1(v, '.'), cot__v16_eq1(v, '?')),
			cot__v16_or(cot__v16_eq1(v, '!'),
				    cot__v16_or(cot__v16_eq1(v, 0xe3),
						cot__v16_eq1(v, 0xef)))));

		if (bits)
			return i + cot__ctz32(bits);
	}
	while (i < end && !(t[i] == '.' || t[i] == '?' || t[i] == '!' ||
			    t[i] == 0xe3 || t[i] == 0xef))
		i++;
	return i;
}

static const unsigned char term_byte[256] = {
	['.'] = 1, ['?'] = 1, ['!'] = 1, [0xe3] = 2, [0xef] = 2,
};

int cot__sentences(const char *text, size_t len, const cot__spans *para,
		   const cot__span *prot, size_t nprot, cot__arena *a,
		   cot__spans *out)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t cap = 0, k = 0;

	(void)len;
	out->v = NULL;
	out->n = 0;
	for (size_t p = 0; p < para->n; p++) {
		size_t ps = para->v[p].off, pe = ps + para->v[p].len;
		size_t first = out->n, start = skip_space(t, ps, pe);
		size_t i = start;

		while (i < pe) {
			size_t run, e;
			bool cjk;

			i = cot__next_term(t, i, pe);
			if (i >= pe)
				break;
			cjk = term_byte[t[i]] == 2;
			if (cjk && !cjk_stop(t, i, pe)) {
				i++;
				continue;
			}
			e = cjk ? i + 3 : i;
			while (!cjk && e < pe && term_byte[t[e]] == 1)
				e++;
			run = e - i;
			while (k < nprot && prot[k].off + prot[k].len <= i)
				k++;
			if (k < nprot && prot[k].off <= i) {
				i = e;	/* in math or code */
				continue;
			}
			e = closers(t, e, pe);
			if (!cjk && e < pe && !cot__space_len(t + e, pe - e)) {
				i = e;
				continue;
			}
			if (!cjk && run == 1 && t[i] == '.' &&
			    (abbreviation(t, ps, i) ||
			     enumeration(t, ps, i))) {
				i = e;
				continue;
			}
			if (push(a, out, &cap, start, e))
				return COT_ENOMEM;
			start = i = skip_space(t, e, pe);
		}
		if (start < pe &&
		    push(a, out, &cap, start, trim_end(t, start, pe)))
			return COT_ENOMEM;
		merge_short(t, out, first);
	}
	return COT_OK;
}

/* ---- thoughts ---- */

int cot__thoughts(const char *text, size_t len, const cot__spans *para,
		  const cot__cueset *switches, cot__arena *a,
		  cot__spans *out)
{
	size_t cap = 0, start = 0;

	(void)len;
	out->v = NULL;
	out->n = 0;
	for (size_t p = 0; p < para->n; p++) {
		size_t ps = para->v[p].off, pe = ps + para->v[p].len;
		int cls;

		if (p == 0) {
			start = ps;
			continue;
		}
		if (!cot__cue_at(switches, text, cot__opening(text, ps, pe),
				 pe, &cls))
			continue;
		if (push(a, out, &cap, start,
			 para->v[p - 1].off + para->v[p - 1].len))
			return COT_ENOMEM;
		start = ps;
	}
	if (para->n && push(a, out, &cap, start,
			    para->v[para->n - 1].off +
			    para->v[para->n - 1].len))
		return COT_ENOMEM;
	return COT_OK;
}
