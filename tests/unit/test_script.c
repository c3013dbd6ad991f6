/* test_script.c - script classes and the language scan of a reasoning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "passes/language.h"
#include "util.h"

enum { LAT, HAN, KANA, HANG, CYR, ARAB, DEVA, OTH };

static void test_script_of_samples(void **state)
{
	static const struct {
		uint32_t cp;
		int want;
	} cases[] = {
		{ 'a', LAT }, { 'Z', LAT }, { 0xe9, LAT }, { 0x1e9e, LAT },
		{ 0xff41, LAT }, { '5', -1 }, { 0xd7, -1 }, { 0xf7, -1 },
		{ 0x4e2d, HAN }, { 0x3400, HAN }, { 0x20000, HAN },
		{ 0x3005, HAN }, { 0x3007, -1 }, { 0x3002, -1 },
		{ 0x3042, KANA }, { 0x30a2, KANA }, { 0x30fc, KANA },
		{ 0x30fb, -1 }, { 0xff76, KANA },
		{ 0xac00, HANG }, { 0x1100, HANG }, { 0x3131, HANG },
		{ 0x0416, CYR }, { 0x0482, -1 },
		{ 0x0645, ARAB }, { 0x0661, -1 }, { 0x060c, -1 },
		{ 0x0928, DEVA }, { 0x094d, DEVA }, { 0x0966, -1 },
		{ 0x0964, -1 },
		{ 0x05d0, OTH }, { 0x0e01, OTH }, { 0x0e51, -1 },
		{ 0x0995, OTH }, { 0x09e6, -1 }, { 0x0be7, -1 },
		{ 0x03c0, COT__SCRIPT_GREEK }, { 0x0394, COT__SCRIPT_GREEK },
		{ 0x1d465, -1 },	/* math italic x */
		{ 0x2211, -1 }, { 0x1f600, -1 }, { 0x0301, -1 },
		{ 0x2103, -1 }, { 0x211d, -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (cot__script_of(cases[i].cp) != cases[i].want)
			fail_msg("script_of(U+%04X) = %d, want %d",
				 (unsigned)cases[i].cp,
				 cot__script_of(cases[i].cp), cases[i].want);
}

static void test_script_find_names(void **state)
{
	(void)state;
	assert_int_equal(cot__script_find("Latin"), LAT);
	assert_int_equal(cot__script_find("han"), HAN);
	assert_int_equal(cot__script_find("KANA"), KANA);
	assert_int_equal(cot__script_find("Hiragana"), KANA);
	assert_int_equal(cot__script_find("katakana"), KANA);
	assert_int_equal(cot__script_find("Devanagari"), DEVA);
	assert_int_equal(cot__script_find("other"), -1);
	assert_int_equal(cot__script_find("Greek"), -1);
	assert_int_equal(cot__script_find(""), -1);
	assert_int_equal(cot__script_find("Lat"), -1);
}

static void stats(const char *s, cot__script_stats *st)
{
	cot__arena a;
	cot__spans para;

	cot__arena_init(&a);
	assert_int_equal(cot__paragraphs(s, strlen(s), &a, &para), COT_OK);
	cot__script_scan(s, strlen(s), para.v, para.n, st);
	cot__arena_dispose(&a);
}

/* Counts as "Latin:n Han:n ...", then switches, mixed, lettered. */
static void check(const char *s, const char *want)
{
	cot__script_stats st;
	char got[256] = "";

	stats(s, &st);
	for (int k = 0; k < COT__NSCRIPTS; k++)
		if (st.count[k])
			snprintf(got + strlen(got), sizeof got - strlen(got),
				 "%s:%llu ", cot__script_names[k],
				 (unsigned long long)st.count[k]);
	snprintf(got + strlen(got), sizeof got - strlen(got), "s%u m%u p%u",
		 st.switches, st.mixed, st.lettered);
	if (strcmp(got, want))
		fail_msg("scan(\"%s\") = \"%s\", want \"%s\"", s, got, want);
}

static void test_script_scan_cases(void **state)
{
	(void)state;
	check("", "s0 m0 p0");
	check("123 ... ! 456 \xef\xbc\x91 \xd9\xa1 \xe0\xa5\xa7", "s0 m0 p0");
	check("Hello world", "Latin:10 s0 m0 p1");
	check("\xe4\xbd\xa0\xe5\xa5\xbd world", "Latin:5 Han:2 s0 m1 p1");
	/* LaTeX commands, math, escapes */
	check("\\frac{a}{b} \\alpha", "Latin:2 s0 m0 p1");
	check("$x + y$ and $$z$$ \\(w\\) \\[v\\] ok", "Latin:5 s0 m0 p1");
	check("cost \\$5 and \\$6", "Latin:7 s0 m0 p1");
	check("a $ b", "Latin:2 s0 m0 p1");
	check("\\begin{align} x = y \\end{align} text", "Latin:4 s0 m0 p1");
	check("\\begin{itemize} item \\end{itemize}", "Latin:4 s0 m0 p1");
	check("\\begin{align} no end", "Latin:5 s0 m0 p1");
	/* code */
	check("```\ncode here\n```\ntext", "Latin:4 s0 m0 p1");
	check("```py\ncode\n\nmore code\n```\n\nafter", "Latin:5 s0 m0 p1");
	check("x ```not a fence``` y", "Latin:2 s0 m0 p1");
	check("`inline` word", "Latin:4 s0 m0 p1");
	check("``a`b`` c", "Latin:1 s0 m0 p1");
	check("`open only", "Latin:8 s0 m0 p1");
	/* Greek: letters only in runs */
	check("\xcf\x80 r", "Latin:1 s0 m0 p1");
	check("\xce\xb1\xce\xb2\xce\xb3 abc", "Latin:3 other:3 s0 m1 p1");
	/* the classes */
	check("\xe3\x81\xb2\xe3\x82\x89\xe3\x82\xab\xe3\x82\xbf",
	      "Kana:4 s0 m0 p1");
	check("\xed\x95\x9c\xea\xb5\xad", "Hangul:2 s0 m0 p1");
	check("\xd0\x9f\xd1\x80\xd0\xb8", "Cyrillic:3 s0 m0 p1");
	check("\xd9\x85\xd8\xb1", "Arabic:2 s0 m0 p1");
	check("\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d",
	      "Devanagari:4 s0 m0 p1");
	check("\xd7\xa9\xd7\x9c", "other:2 s0 m0 p1");
	/* switches between lettered paragraphs; empty ones do not count */
	check("English here.\n\n\xe4\xb8\xad\xe6\x96\x87\n\n123\n\nagain",
	      "Latin:16 Han:2 s2 m0 p3");
	check("ab\n\n\xe4\xb8\xad\n\ncd\xe4\xb8\xad\n\nef",
	      "Latin:6 Han:2 s2 m1 p4");
}

static void test_script_scan_first_and_dominant(void **state)
{
	const char *s = "plain text\n\nthen \xe5\x8d\xb3 one\n\n\xd0\xb4";
	cot__script_stats st;

	(void)state;
	stats(s, &st);
	assert_int_equal(st.dominant, LAT);
	assert_int_equal(st.first[LAT], 0);
	assert_int_equal(st.first[HAN], strstr(s, "\xe5\x8d\xb3") - s);
	assert_int_equal(st.first[CYR], strstr(s, "\xd0\xb4") - s);
	assert_int_equal(st.first[KANA], SIZE_MAX);
	assert_int_equal(st.letters, 18);
	/* a tie goes to the class listed first */
	stats("ab \xe4\xb8\xad\xe6\x96\x87", &st);
	assert_int_equal(st.dominant, LAT);
	stats("\xe4\xb8\xad\xe6\x96\x87 ab", &st);
	assert_int_equal(st.dominant, LAT);
	stats("...", &st);
	assert_int_equal(st.dominant, -1);
}

/* ---- the scan against a plain one, byte by byte ---- */

static const char *const math_envs[] = {
	"equation", "equation*", "align", "align*", "aligned", "alignat",
	"alignat*", "gather", "gather*", "gathered", "multline",
	"multline*", "eqnarray", "eqnarray*", "split", "cases", "array",
	"matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix",
	"smallmatrix", "displaymath", "math",
};

static bool alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* needle in t[from, end), or SIZE_MAX: plain, no memory of failures */
static size_t search(const char *t, size_t from, size_t end, const char *nd)
{
	size_t n = strlen(nd);

	for (size_t i = from; i + n <= end; i++)
		if (!memcmp(t + i, nd, n))
			return i;
	return SIZE_MAX;
}

typedef struct ref {
	uint64_t count[COT__NSCRIPTS], pc[COT__NSCRIPTS];
	size_t first[COT__NSCRIPTS];
	size_t greek, greek_at;
	uint32_t switches, mixed, lettered;
	int prev;
} ref;

static void ref_letter(ref *r, int s, size_t at, uint64_t n)
{
	r->pc[s] += n;
	if (r->first[s] > at)
		r->first[s] = at;
}

static void ref_greek_end(ref *r)
{
	if (r->greek >= 2)
		ref_letter(r, OTH, r->greek_at, r->greek);
	r->greek = 0;
}

static void ref_para_end(ref *r)
{
	uint64_t tot = 0, best = 0;
	int dom = -1, kinds = 0;

	ref_greek_end(r);
	for (int s = 0; s < COT__NSCRIPTS; s++) {
		if (!r->pc[s])
			continue;
		kinds++;
		tot += r->pc[s];
		if (r->pc[s] > best) {
			best = r->pc[s];
			dom = s;
		}
		r->count[s] += r->pc[s];
		r->pc[s] = 0;
	}
	if (!tot)
		return;
	r->lettered++;
	r->mixed += kinds > 1;
	r->switches += r->prev >= 0 && dom != r->prev;
	r->prev = dom;
}

/* Where a paragraph's scan goes on after the byte at t[i]. */
static size_t ref_step(ref *r, const char *t, size_t len, size_t ps,
		       size_t i, size_t pe)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t j, k;

	if (u[i] >= 0x80) {
		size_t n = u[i] < 0xe0 ? 2 : u[i] < 0xf0 ? 3 : 4;
		uint32_t cp = u[i] & (0x7f >> n);
		int s;

		for (k = 1; k < n; k++)
			cp = cp << 6 | (u[i + k] & 0x3f);
		s = cot__script_of(cp);
		if (s == COT__SCRIPT_GREEK) {
			if (!r->greek++)
				r->greek_at = i;
			return i + n;
		}
		ref_greek_end(r);
		if (s >= 0)
			ref_letter(r, s, i, 1);
		return i + n;
	}
	ref_greek_end(r);
	if (alpha(t[i])) {
		ref_letter(r, LAT, i, 1);
		return i + 1;
	}
	if (t[i] == '\\') {
		if (i + 1 >= pe)
			return i + 1;
		if (alpha(t[i + 1])) {
			size_t name, close;
			bool begin;

			for (j = i + 1; j < pe && alpha(t[j]); j++)
				;
			begin = j - i == 6 && !memcmp(t + i, "\\begin", 6);
			if (!begin && !(j - i == 4 &&
					!memcmp(t + i, "\\end", 4)))
				return j;
			if (j >= pe || t[j] != '{')
				return j;
			name = j + 1;
			for (close = name; close < pe && t[close] != '}' &&
			     close - name < 32; close++)
				;
			if (close >= pe || t[close] != '}')
				return j;
			if (!begin)
				return close + 1;
			for (size_t e = 0; e < sizeof math_envs /
			     sizeof *math_envs; e++) {
				char end[64];

				if (strlen(math_envs[e]) != close - name ||
				    memcmp(t + name, math_envs[e],
					   close - name))
					continue;
				snprintf(end, sizeof end, "\\end{%s}",
					 math_envs[e]);
				k = search(t, close + 1, pe, end);
				if (k != SIZE_MAX)
					return k + strlen(end);
			}
			return close + 1;
		}
		if (t[i + 1] == '(' &&
		    (k = search(t, i + 2, pe, "\\)")) != SIZE_MAX)
			return k + 2;
		if (t[i + 1] == '[' &&
		    (k = search(t, i + 2, pe, "\\]")) != SIZE_MAX)
			return k + 2;
		return u[i + 1] >= 0x80 ? i + 1 : i + 2;
	}
	if (t[i] == '$') {
		if (i + 1 < pe && t[i + 1] == '$') {
			k = search(t, i + 2, pe, "$$");
			return k != SIZE_MAX ? k + 2 : i + 2;
		}
		for (k = i + 1; k < pe; k++)
			if (t[k] == '$' && t[k - 1] != '\\')
				return k + 1;
		return i + 1;
	}
	if (t[i] == '`') {
		size_t n = 1, ls = i;

		while (i + n < pe && t[i + n] == '`')
			n++;
		while (ls > ps && (t[ls - 1] == ' ' || t[ls - 1] == '\t'))
			ls--;
		if (n >= 3 && (ls == ps || t[ls - 1] == '\n')) {
			/* a fence: to the end of the next line that starts
			 * with n or more backticks */
			for (k = i; k < len; k++) {
				size_t m = 0;

				if (t[k] != '\n')
					continue;
				j = k + 1;
				while (j < len &&
				       (t[j] == ' ' || t[j] == '\t'))
					j++;
				while (j + m < len && t[j + m] == '`')
					m++;
				if (m >= n) {
					const char *nl = memchr(t + j, '\n',
								len - j);

					return nl ? (size_t)(nl - t) : len;
				}
			}
			return len;
		}
		if (n < 8)
			for (k = i + n; k < pe; k++) {
				size_t m = 0;

				while (k + m < pe && t[k + m] == '`')
					m++;
				if (m == n)
					return k + n;
				k += m;
			}
		return i + n;
	}
	return i + 1;
}

static void ref_scan(const char *t, size_t len, const cot__spans *p, ref *r)
{
	size_t i = 0;

	memset(r, 0, sizeof *r);
	r->prev = -1;
	for (int s = 0; s < COT__NSCRIPTS; s++)
		r->first[s] = SIZE_MAX;
	for (size_t k = 0; k < p->n; k++) {
		size_t ps = p->v[k].off, pe = ps + p->v[k].len;

		if (i < ps)
			i = ps;
		while (i < pe)
			i = ref_step(r, t, len, ps, i, pe);
		ref_para_end(r);
	}
}

static void compare(const char *t, size_t n)
{
	cot__arena a;
	cot__spans p;
	cot__script_stats st;
	ref r;

	cot__arena_init(&a);
	assert_int_equal(cot__paragraphs(t, n, &a, &p), COT_OK);
	cot__script_scan(t, n, p.v, p.n, &st);
	ref_scan(t, n, &p, &r);
	for (int s = 0; s < COT__NSCRIPTS; s++) {
		if (st.count[s] != r.count[s] || st.first[s] != r.first[s])
			fail_msg("class %d: %llu at %zu, want %llu at %zu in "
				 "\"%.*s\"", s,
				 (unsigned long long)st.count[s], st.first[s],
				 (unsigned long long)r.count[s], r.first[s],
				 (int)n, t);
	}
	assert_int_equal(st.switches, r.switches);
	assert_int_equal(st.mixed, r.mixed);
	assert_int_equal(st.lettered, r.lettered);
	cot__arena_dispose(&a);
}

static void test_script_scan_matches_plain_scan(void **state)
{
	static const char *const pieces[] = {
		"a", "word ", "Long ASCII words for the fast path ", "\n",
		"\n\n", "\\", "\\frac", "{", "}", "$", "$$", "\\(", "\\)",
		"\\[", "\\]", "`", "```", "\n```\n", "\\begin{align}",
		"\\end{align}", "\\begin{x}", "\\end{x}", "\xe4\xb8\xad",
		"\xe3\x81\x82", "\xed\x95\x9c", "\xd0\xb4", "\xd9\x85",
		"\xe0\xa4\xa8", "\xcf\x80", "\xce\xb1\xce\xb2", "7", " ",
		"\t", "\\$", "\xe2\x80\x94", "\xc3\xa9", "\xf0\xa0\x80\x80",
	};
	static char t[8192];
	uint64_t seed = 5;

	(void)state;
	for (int k = 0; k < 30000; k++) {
		size_t n = random_pieces(t, pieces, sizeof pieces /
					 sizeof *pieces, 60, &seed);

		compare(t, n);
	}
}

/* Every string of the corpus: the same counts as the plain scan. */
static bool corpus_compare(const char *s, size_t n)
{
	compare(s, n);
	return n > 0;
}

static void test_script_scan_corpus(void **state)
{
	(void)state;
	corpus_check_strings(corpus_compare);
}

/* The same on every string of the fixtures (tests/data), which mix
 * scripts too. */
static void test_script_scan_fixtures(void **state)
{
	(void)state;
	dir_check_strings(data_dir(), corpus_compare);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_of_samples),
		cmocka_unit_test(test_script_find_names),
		cmocka_unit_test(test_script_scan_cases),
		cmocka_unit_test(test_script_scan_first_and_dominant),
		cmocka_unit_test(test_script_scan_matches_plain_scan),
		cmocka_unit_test(test_script_scan_corpus),
		cmocka_unit_test(test_script_scan_fixtures),
	};

	return cmocka_run_group_tests_name("script", tests, NULL, NULL);
}
