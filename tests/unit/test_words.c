/* test_words.c - Python's lower().split() as word hashes; n-gram ratios. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "passes/health.h"
#include "corpus.h"
#include "traces.h"
#include "util.h"

/* The words of s: their count, and whether words i and j hash equal. */
static cot__words scan(const char *s, size_t n)
{
	cot__words w = { 0 };

	assert_int_equal(cot__words_scan(&w, s, n), COT_OK);
	return w;
}

static void test_words_scan_splits_at_python_whitespace(void **state)
{
	/* every str.isspace() character separates; U+001C-001F too,
	 * which are not SPEC White_Space; U+200B (zero width) does not */
	static const char s[] = "a\tb\nc\x0b" "d\x0c" "e\rf"
		"\x1cg\x1dh\x1ei\x1fj"
		" k\xc2\x85l\xc2\xa0m\xe1\x9a\x80n\xe2\x80\x80o\xe2\x80\x8ap"
		"\xe2\x80\xa8q\xe2\x80\xa9r\xe2\x80\xafs\xe2\x81\x9ft"
		"\xe3\x80\x80u\xe2\x80\x8bv";
	cot__words w = scan(s, sizeof s - 1);

	(void)state;
	assert_int_equal(w.n, 21);	/* a..u, with "u\u200bv" one word */
	assert_int_equal(cot__word_off(&w, s, sizeof s - 1, 0), 0);
	assert_int_equal(cot__word_off(&w, s, sizeof s - 1, 20),
			 sizeof s - 1 - 5);
	cot__words_dispose(&w);
}

static void test_words_scan_lowers_like_python(void **state)
{
	/* pairs that str.lower() makes equal, and pairs it does not */
	static const char *const same[][2] = {
		{ "Hello", "hELLO" },
		{ "\xc3\x84rger", "\xc3\xa4RGER" },		/* A umlaut */
		{ "\xce\xa3\xce\x99", "\xcf\x83\xce\xb9" },	/* capital */
		{ "\xd0\x96\xd0\x98", "\xd0\xb6\xd0\xb8" },	/* Cyrillic */
		{ "\xc4\xb0", "i\xcc\x87" },			/* U+0130 */
		{ "\xe2\x84\xaa", "k" },			/* Kelvin */
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz" },
	};
	static const char *const differ[][2] = {
		{ "stra\xc3\x9f" "e", "STRASSE" },	/* sharp s stays */
		{ "\xce\xa3", "\xcf\x82" },	/* a lone sigma is not final */
		{ "a", "a\xcc\x87" },
		{ "@", "`" },			/* the bytes around A-Z */
		{ "[", "{" },
	};
	char buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		cot__words w;
		int n = snprintf(buf, sizeof buf, "%s %s", same[i][0],
				 same[i][1]);

		w = scan(buf, (size_t)n);
		assert_int_equal(w.n, 2);
		if (w.hash[0] != w.hash[1])
			fail_msg("%s and %s should be one word", same[i][0],
				 same[i][1]);
		cot__words_dispose(&w);
	}
	for (size_t i = 0; i < sizeof differ / sizeof *differ; i++) {
		cot__words w;
		int n = snprintf(buf, sizeof buf, "%s %s", differ[i][0],
				 differ[i][1]);

		w = scan(buf, (size_t)n);
		assert_int_equal(w.n, 2);
		if (w.hash[0] == w.hash[1])
			fail_msg("%s and %s should differ", differ[i][0],
				 differ[i][1]);
		cot__words_dispose(&w);
	}
}

/* A word hashes the same wherever it starts (the 8-byte reads start at
 * the word, not at an aligned address) and however long the text. */
static void test_words_scan_hash_independent_of_position(void **state)
{
	char buf[256];

	(void)state;
	for (size_t pad = 0; pad < 20; pad++) {
		for (size_t len = 1; len < 40; len++) {
			cot__words w;
			size_t n = 0;

			memset(buf, ' ', pad);
			n = pad;
			for (int copy = 0; copy < 2; copy++) {
				for (size_t k = 0; k < len; k++)
					buf[n++] = (char)((copy ? 'A' : 'a') +
							  (k * 7) % 26);
				buf[n++] = ' ';
			}
			/* a third copy ends the text: no space after it */
			for (size_t k = 0; k < len; k++)
				buf[n++] = (char)('a' + (k * 7) % 26);
			w = scan(buf, n);
			assert_int_equal(w.n, 3);
			assert_true(w.hash[0] == w.hash[1]);
			assert_true(w.hash[0] == w.hash[2]);
			assert_int_equal(cot__word_off(&w, buf, n, 2),
					 pad + 2 * (len + 1));
			cot__words_dispose(&w);
		}
	}
}

/* Long texts are read 64 bytes at a time, short ones (under 72 bytes)
 * one word at a time: every word of a long random text has the offset
 * a plain split at Python white space gives, and the hash it has alone.
 * The pieces put wide spaces, non-ASCII letters, controls and long
 * words at every place in the blocks. */
static void test_words_scan_blocks_equal_word_by_word(void **state)
{
	static const char *const pieces[] = {
		"a", "Ab", "word", "\xc3\x89T\xc3\x89", "\xc2\xa0",
		"\xe3\x80\x80", "\xe2\x80\x83", " ", "  ", "\n", "\x01",
		"\x1c", "xxxxxxxxx", "YYYYYYYYYYYYYYY", "\xe2\x80\x99s",
		"\xc4\xb0", "\x7f",
		("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
		 "zzzzzzz"),
	};
	static char buf[400 * 80];
	uint64_t seed = 11;

	(void)state;
	for (int round = 0; round < 2000; round++) {
		size_t n = random_pieces(buf, pieces,
					 sizeof pieces / sizeof *pieces, 400,
					 &seed);
		const unsigned char *u = (const unsigned char *)buf;
		cot__words w = scan(buf, n);
		size_t i = 0, k = 0, sk;

		for (;;) {
			size_t start;
			cot__words one;

			while (i < n && (sk = cot__pyspace_len(u + i, n - i)))
				i += sk;
			if (i >= n)
				break;
			start = i;
			while (i < n && !cot__pyspace_len(u + i, n - i))
				i++;
			assert_true(k < w.n);
			assert_int_equal(cot__word_off(&w, buf, n, k), start);
			if (i - start < 70) {
				one = scan(buf + start, i - start);
				assert_int_equal(one.n, 1);
				assert_true(one.hash[0] == w.hash[k]);
				cot__words_dispose(&one);
			}
			k++;
		}
		assert_int_equal(k, w.n);
		cot__words_dispose(&w);
	}
}

static void test_words_scan_invalid_utf8_bytes_are_chars(void **state)
{
	static const char s[] = "\xff\xfe x\xc3 \xe2\x80 \xed\xa0\x80";
	cot__words w = scan(s, sizeof s - 1);

	(void)state;
	assert_int_equal(w.n, 4);
	cot__words_dispose(&w);
}

/* Offsets for any word index, across the every-64th marks. */
static void test_word_off_every_index(void **state)
{
	tbuf b = { 0 };
	size_t offs[300];
	cot__words w;

	(void)state;
	for (int i = 0; i < 300; i++) {
		char word[32];

		offs[i] = b.n;
		snprintf(word, sizeof word, "w%d%s", i,
			 i % 3 ? " " : " \xe3\x80\x80\n\n ");
		tbuf_adds(&b, word);
	}
	w = scan(b.p, b.n);
	assert_int_equal(w.n, 300);
	for (size_t i = 0; i < 300; i++)
		assert_int_equal(cot__word_off(&w, b.p, b.n, i), offs[i]);
	cot__words_dispose(&w);
	free(b.p);
}

static double ratio(const char *s, unsigned n)
{
	double r = -1;
	cot_error err;

	assert_int_equal(cot_repetition_ratio(&r, s, strlen(s), n, &err),
			 COT_OK);
	return r;
}

/* huggingface/open-r1 tests/test_rewards.py (REFERENCE.md 1.7 and
 * Appendix A): reward = ratio * max_penalty. */
static void test_repetition_ratio_open_r1_published_values(void **state)
{
	(void)state;
	/* n=2, max -1: "this this this this this" -> -0.75 */
	assert_true(-1.0 * ratio("this this this this this", 2) == -0.75);
	/* n=2, max -1: "this is a this is a test" -> -1/3 */
	assert_true(-1.0 * ratio("this is a this is a test", 2) ==
		    -1.0 + 4.0 / 6.0);
	assert_float_equal(-ratio("this is a this is a test", 2),
			   -1.0 / 3.0, 1e-15);
	/* n=3, max -1: "word word word word" -> -0.5 */
	assert_true(-ratio("word word word word", 3) == -0.5);
	/* n=3, max -0.5: "test test test test" -> -0.25 */
	assert_true(-0.5 * ratio("test test test test", 3) == -0.25);
	/* n=3: "one two one two" -> 0 */
	assert_true(ratio("one two one two", 3) == 0.0);
	/* n=3: "A B C A B C" -> -0.25 (case-insensitive) */
	assert_true(-ratio("A B C A B C", 3) == -0.25);
	assert_true(ratio("a b c A B C", 3) == ratio("A B C A B C", 3));
	/* n=3: "A B C A B C E F G A B C A B C" -> -0.3846 (5/13) */
	assert_float_equal(-ratio("A B C A B C E F G A B C A B C", 3),
			   -0.3846, 1e-4);
	assert_true(ratio("A B C A B C E F G A B C A B C", 3) ==
		    1.0 - 8.0 / 13.0);
	/* n=3, max -2: "this is a this is a test" -> -0.4 */
	assert_float_equal(-2.0 * ratio("this is a this is a test", 3), -0.4,
			   1e-15);
	/* empty, or fewer words than n -> 0 */
	assert_true(ratio("", 3) == 0.0);
	assert_true(ratio("  \n ", 1) == 0.0);
	assert_true(ratio("only two", 3) == 0.0);
}

static void test_repetition_ratio_rejects_bad_n(void **state)
{
	double r = 5;
	cot_error err;

	(void)state;
	assert_int_equal(cot_repetition_ratio(&r, "a b", 3, 0, &err),
			 COT_EINVAL);
	assert_true(r == 0.0);
	assert_int_equal(cot_repetition_ratio(&r, "a b", 3, 65, &err),
			 COT_EINVAL);
	assert_int_equal(cot_repetition_ratio(&r, "a b", 3, 64, &err),
			 COT_OK);
}

static void test_repetition_ratio_out_of_memory(void **state)
{
	const char *s = "a b c d a b c d e f g";
	double want = ratio(s, 2), r;
	cot_error err;

	(void)state;
	for (long k = 0;; k++) {
		int rc;

		cot__alloc_fail_after(k);
		rc = cot_repetition_ratio(&r, s, strlen(s), 2, &err);
		cot__alloc_fail_after(-1);
		if (rc == COT_OK) {
			assert_true(r == want);
			break;
		}
		assert_int_equal(rc, COT_ENOMEM);
	}
}

/* ---- an independent naive ratio: split, lower, sort the n-grams ---- */

typedef struct naive {
	char **w;
	size_t n;
	unsigned ng;
} naive;

static bool ascii_space(unsigned char c)
{
	return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
}

static naive *qsort_ctx;

static int cmp_ngram(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	for (unsigned k = 0; k < qsort_ctx->ng; k++) {
		int c = strcmp(qsort_ctx->w[i + k], qsort_ctx->w[j + k]);

		if (c)
			return c;
	}
	return 0;
}

/* For ASCII text only: words are runs of non-space bytes, lowered. */
static double naive_ratio(const char *s, size_t len, unsigned ng)
{
	naive nv = { NULL, 0, ng };
	size_t cap = 0, total, uniq = 0, *idx;
	double r;

	for (size_t i = 0; i < len;) {
		size_t j = i;

		while (j < len && !ascii_space((unsigned char)s[j]))
			j++;
		if (j > i) {
			char *w = malloc(j - i + 1);

			for (size_t k = i; k < j; k++)
				w[k - i] = (char)(s[k] >= 'A' && s[k] <= 'Z' ?
						  s[k] + 32 : s[k]);
			w[j - i] = 0;
			if (nv.n == cap) {
				cap = cap ? cap * 2 : 64;
				nv.w = realloc(nv.w, cap * sizeof *nv.w);
			}
			nv.w[nv.n++] = w;
		}
		i = j + 1;
	}
	if (nv.n < ng) {
		r = 0;
	} else {
		total = nv.n - ng + 1;
		idx = malloc(total * sizeof *idx);
		for (size_t i = 0; i < total; i++)
			idx[i] = i;
		qsort_ctx = &nv;
		qsort(idx, total, sizeof *idx, cmp_ngram);
		for (size_t i = 0; i < total; i++)
			uniq += i == 0 || cmp_ngram(&idx[i - 1], &idx[i]) != 0;
		r = 1.0 - (double)uniq / (double)total;
		free(idx);
	}
	for (size_t i = 0; i < nv.n; i++)
		free(nv.w[i]);
	free(nv.w);
	return r;
}

static bool is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static void test_repetition_ratio_matches_naive_random(void **state)
{
	static const char *const pieces[] = {
		"a", "B", "c", "ab", "AB", " ", " ", "\n", "\t", "\x1c", "x1",
		"the", "The", "THE"
	};
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	char buf[4096];

	(void)state;
	for (int round = 0; round < 3000; round++) {
		size_t n = random_pieces(buf, pieces, 14, 300, &seed);
		unsigned ng = 1 + xorshift_below(&seed, 5);
		double r;
		cot_error err;

		assert_int_equal(cot_repetition_ratio(&r, buf, n, ng, &err),
				 COT_OK);
		assert_true(r == naive_ratio(buf, n, ng));
	}
}

typedef struct corpus_count {
	size_t compared;
} corpus_count;

static void check_trace(const trace_ref *t, void *vctx)
{
	corpus_count *c = vctx;
	cot_value v = field(t, "repeat.ngram");

	assert_int_equal(v.type, COT_TYPE_REAL);
	assert_true(v.r >= 0 && v.r < 1);
	if (!is_ascii(t->reasoning, t->rlen))
		return;
	if (v.r != naive_ratio(t->reasoning, t->rlen, 3))
		fail_msg("%s line %llu trace %zu: %.17g vs naive %.17g",
			 trace_file(t), t->line, t->index, v.r,
			 naive_ratio(t->reasoning, t->rlen, 3));
	c->compared++;
}

static void test_repeat_ngram_matches_naive_on_corpus(void **state)
{
	corpus_count c = { 0 };
	size_t n;

	(void)state;
	n = for_each_trace(NULL, check_trace, &c);
	print_message("# %zu traces, %zu ASCII ones compared\n", n,
		      c.compared);
	assert_true(c.compared > 1000);
}

/* The same on the fixtures. */
static void test_repeat_ngram_matches_naive_on_fixtures(void **state)
{
	corpus_count c = { 0 };
	size_t n;

	(void)state;
	n = for_each_trace_in(data_dir(), NULL, check_trace, &c);
	print_message("# %zu traces, %zu ASCII ones compared\n", n,
		      c.compared);
	assert_true(c.compared >= 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_scan_splits_at_python_whitespace),
		cmocka_unit_test(test_words_scan_lowers_like_python),
		cmocka_unit_test(test_words_scan_hash_independent_of_position),
		cmocka_unit_test(test_words_scan_blocks_equal_word_by_word),
		cmocka_unit_test(test_words_scan_invalid_utf8_bytes_are_chars),
		cmocka_unit_test(test_word_off_every_index),
		cmocka_unit_test(
			test_repetition_ratio_open_r1_published_values),
		cmocka_unit_test(test_repetition_ratio_rejects_bad_n),
		cmocka_unit_test(test_repetition_ratio_out_of_memory),
		cmocka_unit_test(test_repetition_ratio_matches_naive_random),
		cmocka_unit_test(test_repeat_ngram_matches_naive_on_corpus),
		cmocka_unit_test(test_repeat_ngram_matches_naive_on_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
