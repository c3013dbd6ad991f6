/* pretok_scan.c - hand-written scanners for the Split regexes of the
 * tokenizers we know, each finding exactly the matches PCRE2 finds for
 * the translated regex (pretok.c): the same leftmost match, and at a
 * position the first alternative that matches, with the length its
 * greedy quantifiers and backtracking give. A pattern is recognised by
 * its exact text; any other keeps PCRE2. The classes are PCRE2's own
 * tables (pretok_class.c), \s is White_Space as pretok.c spells it,
 * and tests/unit/test_pretok.c and tests/fuzz/fuzz_pretok.c compare
 * the two paths. */
#include <string.h>

#include "text/pretok.h"

enum {
	C_L = COT__C_L, C_N = COT__C_N, C_P = COT__C_P, C_S = COT__C_S,
	C_M = COT__C_M, C_WS = COT__C_WS, C_UP = COT__C_UP, C_LO = COT__C_LO
};

/* One character of the text: its code point, classes and bytes (0 past
 * the end, with no class). */
typedef struct ch {
	uint32_t cp;
	unsigned f;
	size_t len;
} ch;

/* The character at p[i] of valid UTF-8. */
static inline ch get(const unsigned char *p, size_t n, size_t i)
{
	ch c;

	if (i >= n)
		return (ch){0, 0, 0};
	if (p[i] < 0x80) {
		c.cp = p[i];
		c.len = 1;
	} else if (p[i] < 0xe0) {
		c.cp = (uint32_t)(p[i] & 0x1f) << 6 | (p[i + 1] & 0x3f);
		c.len = 2;
	} else if (p[i] < 0xf0) {
		c.cp = (uint32_t)(p[i] & 0x0f) << 12 |
		       (uint32_t)(p[i + 1] & 0x3f) << 6 | (p[i + 2] & 0x3f);
		c.len = 3;
	} else {
		c.cp = (uint32_t)(p[i] & 0x07) << 18 |
		       (uint32_t)(p[i + 1] & 0x3f) << 12 |
		       (uint32_t)(p[i + 2] & 0x3f) << 6 | (p[i + 3] & 0x3f);
		c.len = 4;
	}
	c.f = cot__pretok_class(c.cp);
	return c;
}

static inline bool crlf(uint32_t cp)
{
	return cp == '\r' || cp == '\n';
}

/* The end of the run from i of characters having a class of f. */
static inline size_t run(const unsigned char *p, size_t n, size_t i,
			 unsigned f)
{
	for (ch c; (c = get(p, n, i)).f & f;)
		i += c.len;
	return i;
}

/* The end of the run from i of \r and \n. */
static inline size_t run_crlf(const unsigned char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == '\r' || p[i] == '\n'))
		i++;
	return i;
}

/* (?i:'s|'t|'re|'ve|'m|'ll|'d) at i: its length, 0 for none. Caseless
 * in PCRE2 (UTF, UCP) these letters match only their ASCII other case,
 * but for s, which also matches U+017F (long s, C5 BF). */
static size_t contraction(const unsigned char *p, size_t n, size_t i)
{
	unsigned a, b;

	if (i + 1 >= n || p[i] != '\'')
		return 0;
	a = p[i + 1] | 0x20;
	if (a == 's' || a == 't' || a == 'm' || a == 'd')
		return 2;
	if (i + 2 >= n)
		return 0;
	if (p[i + 1] == 0xc5 && p[i + 2] == 0xbf)
		return 3;
	b = p[i + 2] | 0x20;
	if (((a == 'r' || a == 'v') && b == 'e') || (a == 'l' && b == 'l'))
		return 3;
	return 0;
}

/* The tail every pattern shares, at a white space character i:
 * \s*[\r\n]+|\s+(?!\S)|\s+. The first takes the run of white space up
 * to its last \r or \n; without one, the second the whole run when it
 * ends the text, else the run but its last character (which then is
 * not followed by \S), when that leaves one; else the third the run. */
static size_t space(const unsigned char *p, size_t n, size_t i)
{
	size_t j = i, nl = 0, last = i, k = 0;
	ch c;

	while ((c = get(p, n, j)).f & C_WS) {
		if (crlf(c.cp))
			nl = j + 1;
		last = j;
		j += c.len;
		k++;
	}
	if (nl)
		return nl - i;
	if (j == n || k < 2)
		return j - i;
	return last - i;
}

/* ` ?[^\s\p{L}\p{N}]+` then [\r\n]* (and / with slash) at i. */
static size_t punct(const unsigned char *p, size_t n, size_t i, ch c,
		    bool slash)
{
	const unsigned not = C_WS | C_L | C_N;
	size_t j = i, e;

	if (c.cp == ' ') {
		c = get(p, n, i + 1);
		j = i + 1;
	}
	if (!c.len || (c.f & not))
		return 0;
	e = j;
	while ((c = get(p, n, e)).len && !(c.f & not))
		e += c.len;
	if (!slash)
		return run_crlf(p, n, e) - i;
	while (e < n && (p[e] == '\r' || p[e] == '\n' || p[e] == '/'))
		e++;
	return e - i;
}

/* \p{N}{1,max} at i. */
static size_t digits(const unsigned char *p, size_t n, size_t i, int max)
{
	size_t j = i;
	ch c;

	for (int k = 0; k < max && ((c = get(p, n, j)).f & C_N); k++)
		j += c.len;
	return j - i;
}

/* Qwen3 (digits 1) and Llama 3 (digits 3):
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,digits}|
 *  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+ */
static size_t gpt4_at(const unsigned char *p, size_t n, size_t i, int dig)
{
	ch c = get(p, n, i);
	size_t k;

	if ((k = contraction(p, n, i)))
		return k;
	if (c.f & C_L)
		return run(p, n, i, C_L) - i;
	if (!(c.f & C_N) && !crlf(c.cp) &&
	    (get(p, n, i + c.len).f & C_L))
		return run(p, n, i + c.len, C_L) - i;
	if (c.f & C_N)
		return digits(p, n, i, dig);
	if ((k = punct(p, n, i, c, false)))
		return k;
	if (c.f & C_WS)
		return space(p, n, i);
	return 0;
}

/* gpt-oss (o200k): with X = [^\r\n\p{L}\p{N}], UP and LO its classes,
 * C the contractions:
 * X?UP*LO+C?|X?UP+LO*C?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|
 * \s*[\r\n]+|\s+(?!\S)|\s+ */

/* UP*LO+C? from s: its end, 0 for none. UP* takes its whole run, then
 * LO+ the run after it; when none follows, UP* gives back characters
 * until LO+ can take one: the last of the run that is also LO (LO+
 * cannot go on past it, or it would not be the last). */
static size_t oss_lower(const unsigned char *p, size_t n, size_t s)
{
	size_t j = s, lo = 0;
	ch c;

	while ((c = get(p, n, j)).f & C_UP) {
		j += c.len;
		if (c.f & C_LO)
			lo = j;
	}
	if (c.f & C_LO)
		lo = run(p, n, j, C_LO);
	return lo ? lo + contraction(p, n, lo) : 0;
}

/* UP+LO*C? from s: its end, 0 for none. */
static size_t oss_upper(const unsigned char *p, size_t n, size_t s)
{
	size_t j = run(p, n, s, C_UP);

	if (j == s)
		return 0;
	j = run(p, n, j, C_LO);
	return j + contraction(p, n, j);
}

static size_t oss_at(const unsigned char *p, size_t n, size_t i)
{
	ch c = get(p, n, i);
	bool x = !(c.f & (C_L | C_N)) && !crlf(c.cp);
	size_t e;

	/* each word alternative with X first, then without it */
	if ((x && (e = oss_lower(p, n, i + c.len))) ||
	    (e = oss_lower(p, n, i)) ||
	    (x && (e = oss_upper(p, n, i + c.len))) ||
	    (e = oss_upper(p, n, i)))
		return e - i;
	if (c.f & C_N)
		return digits(p, n, i, 3);
	if ((e = punct(p, n, i, c, true)))
		return e;	/* a length, as each _at gives */
	if (c.f & C_WS)
		return space(p, n, i);
	return 0;
}

/* DeepSeek-V3's third level:
 * [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|
 * [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|
 * \s*[\r\n]+|\s+(?!\S)|\s+ */
static inline bool ascii_alpha(unsigned b)
{
	return (b | 0x20) - 'a' < 26;
}

static size_t ds_at(const unsigned char *p, size_t n, size_t i)
{
	ch c = get(p, n, i);
	size_t j, e;

	if (c.cp < 0x80 && c.cp > ' ' && c.cp < 0x7f && !ascii_alpha(c.cp) &&
	    (c.cp < '0' || c.cp > '9') && i + 1 < n && ascii_alpha(p[i + 1])) {
		for (e = i + 1; e < n && ascii_alpha(p[e]); e++)
			;
		return e - i;
	}
	if (c.len && !(c.f & (C_L | C_P | C_S)) && !crlf(c.cp) &&
	    (e = run(p, n, i + c.len, C_L | C_M)) > i + c.len)
		return e - i;
	if (c.f & (C_L | C_M))
		return run(p, n, i, C_L | C_M) - i;
	j = i;
	if (c.cp == ' ' && (get(p, n, i + 1).f & (C_P | C_S)))
		c = get(p, n, j = i + 1);
	if (c.f & (C_P | C_S))
		return run_crlf(p, n, run(p, n, j, C_P | C_S)) - i;
	if (c.f & C_WS)
		return space(p, n, i);
	return 0;
}

/* The leftmost match of a pattern whose matches at each position are
 * given by at_fn: its first position with one. */
#define FIND(name, at_expr)						\
static bool name(const unsigned char *p, size_t n, size_t from,	\
		 size_t *mb, size_t *me)				\
{									\
	for (size_t i = from; i < n;) {					\
		size_t k = (at_expr);					\
									\
		if (k) {						\
			*mb = i;					\
			*me = i + k;					\
			return true;					\
		}							\
		i += get(p, n, i).len;					\
	}								\
	return false;							\
}

FIND(find_qwen3, gpt4_at(p, n, i, 1))
FIND(find_llama3, gpt4_at(p, n, i, 3))
FIND(find_oss, oss_at(p, n, i))
FIND(find_deepseek, ds_at(p, n, i))

/* \p{N}{1,3}, DeepSeek-V3's first level: most text has no digit, so
 * ASCII is skipped byte by byte without a lookup. */
static bool find_digits(const unsigned char *p, size_t n, size_t from,
			size_t *mb, size_t *me)
{
	for (size_t i = from; i < n;) {
		ch c;

		if (p[i] < 0x80 && (p[i] < '0' || p[i] > '9')) {
			i++;
			continue;
		}
		c = get(p, n, i);
		if (c.f & C_N) {
			*mb = i;
			*me = i + digits(p, n, i, 3);
			return true;
		}
		i += c.len;
	}
	return false;
}

/* [一-龥぀-ゟ゠-ヿ]+, DeepSeek-V3's second level: U+3040..U+30FF and
 * U+4E00..U+9FA5, whose lead bytes are E3 to E9. */
static inline bool cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30ff) ||
	       (cp >= 0x4e00 && cp <= 0x9fa5);
}

static bool find_cjk(const unsigned char *p, size_t n, size_t from,
		     size_t *mb, size_t *me)
{
	for (size_t i = from; i < n;) {
		ch c;

		if (p[i] < 0xe3) {
			i++;
			continue;
		}
		c = get(p, n, i);
		if (cjk(c.cp)) {
			size_t e = i + c.len;

			while ((c = get(p, n, e)).len && cjk(c.cp))
				e += c.len;
			*mb = i;
			*me = e;
			return true;
		}
		i += c.len;
	}
	return false;
}

/* The patterns, as the tokenizer.json files spell them. */
static const struct {
	const char *re;
	cot__pretok_find find;
} known[] = {
	{"\\p{N}{1,3}", find_digits},
	{"[\344\270\200-\351\276\245\343\201\200-\343\202\237\343\202\240-"
	 "\343\203\277]+", find_cjk},
	{"[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|"
	 "[^\015\012\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+"
	 "[\015\012]*|\\s*[\015\012]+|\\s+(?!\\S)|\\s+", find_deepseek},
	{"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
	 "\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|"
	 "\\s+", find_qwen3},
	{"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
	 "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
	 "\\s+(?!\\S)|\\s+", find_llama3},
	{"[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*"
	 "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	 "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
	 "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	 "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|"
	 "\\s+(?!\\S)|\\s+", find_oss},
};

cot__pretok_find cot__pretok_scanner(const char *re)
{
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(re, known[i].re) == 0)
			return known[i].find;
	return NULL;
}
