/* test_segment.c - paragraphs and span lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text/segment.h"
#include "text/text.h"
#include "util.h"

/* The paragraphs of s, as "start:len" pairs joined by spaces. */
static void check(const char *s, const char *want)
{
	cot__arena a;
	cot__spans sp;
	char got[512] = "";
	cot__counts c;

	cot__arena_init(&a);
	assert_int_equal(cot__paragraphs(s, strlen(s), &a, &sp), COT_OK);
	for (size_t i = 0; i < sp.n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%zu:%zu",
			 i ? " " : "", sp.v[i].off, sp.v[i].len);
	assert_string_equal(got, want);
	/* the count agrees with SPEC 3 steps */
	cot__text_count(s, strlen(s), &c);
	assert_int_equal(c.steps, sp.n);
	cot__arena_dispose(&a);
}

static void test_paragraphs_cases(void **state)
{
	(void)state;
	check("", "");
	check("\n\n \t\n", "");
	check("a", "0:1");
	check("a\nb", "0:3");
	check("a\n\nb", "0:1 3:1");
	check("\n\na\n \nb\n", "2:1 6:1");
	check("a\r\n\r\nb", "0:2 5:1");	/* CR is White_Space */
	check("x\n\xe3\x80\x80\ny", "0:1 6:1");	/* U+3000 line blank */
	check("p1 l1\np1 l2\n\n\np2", "0:11 14:2");
}

static void test_span_index_finds_unit(void **state)
{
	cot__span v[] = { { 0, 3 }, { 5, 2 }, { 9, 4 } };
	cot__spans s = { v, 3 };
	cot__spans none = { NULL, 0 };

	(void)state;
	assert_int_equal(cot__span_index(&s, 0), 0);
	assert_int_equal(cot__span_index(&s, 4), 0);
	assert_int_equal(cot__span_index(&s, 5), 1);
	assert_int_equal(cot__span_index(&s, 8), 1);
	assert_int_equal(cot__span_index(&s, 100), 2);
	assert_int_equal(cot__span_index(&none, 7), 0);
}

/* The paragraphs by their definition, line by line: a run of lines
 * that each hold a non-White_Space character, from the first byte of
 * the first to the end of the last (its LF excluded). */
static size_t naive_paragraphs(const char *s, size_t n, cot__span *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = 0, pos = 0;
	bool open = false;

	for (;;) {
		const char *nl = memchr(s + pos, '\n', n - pos);
		size_t eol = nl ? (size_t)(nl - s) : n, i = pos, w;
		bool ink = false;

		while (i < eol && (w = cot__space_len(u + i, eol - i)))
			i += w;
		ink = i < eol;
		if (ink && !open) {
			out[k].off = pos;
			open = true;
		}
		if (ink)
			out[k].len = eol - out[k].off;
		else if (open) {
			open = false;
			k++;
		}
		if (!nl)
			break;
		pos = eol + 1;
	}
	return k + open;
}

/* Counted and cut in one pass (cot__text_paragraphs): the counts are
 * cot__text_count's, the spans the definition's, and each paragraph's
 * words those cot__text_count finds in its span. Random texts of
 * words, white space of every kind (wide ones too), blank lines, CRs
 * and long runs that cross the 32-byte blocks. */
static void test_text_paragraphs_equal_definition(void **state)
{
	static const char *const pieces[] = {
		"a", "word", " ", "  ", "\n", "\n\n", " \n ", "\r\n", "\t",
		"\xc2\xa0", "\xe3\x80\x80", "\xe2\x80\x83", "\xe2\x80\x99",
		"\xe4\xb8\xad", "\xc3\xa9t\xc3\xa9", "x=1", "\xc2\x85",
		"abcdefghijklmnopqrstuvwxyz0123456789",
		"                                        ",
	};
	static char buf[200 * 40];
	static cot__span want[4096];
	uint64_t seed = 7;

	(void)state;
	for (int round = 0; round < 4000; round++) {
		size_t n = random_pieces(buf, pieces,
					 sizeof pieces / sizeof *pieces, 200,
					 &seed);
		size_t nw = naive_paragraphs(buf, n, want);
		cot__counts c, ref;
		cot__spans sp;
		uint32_t *words = NULL;
		cot__arena a;

		cot__arena_init(&a);
		assert_int_equal(cot__text_paragraphs(buf, n, &a, &c, &sp,
						      &words), COT_OK);
		cot__text_count(buf, n, &ref);
		assert_memory_equal(&c, &ref, sizeof c);
		assert_int_equal(sp.n, nw);
		assert_int_equal(c.steps, nw);
		for (size_t i = 0; i < nw; i++) {
			cot__counts pc;

			assert_int_equal(sp.v[i].off, want[i].off);
			assert_int_equal(sp.v[i].len, want[i].len);
			cot__text_count(buf + sp.v[i].off, sp.v[i].len, &pc);
			assert_int_equal(words[i], pc.words);
		}
		cot__arena_dispose(&a);
	}
}

/* Many paragraphs: the span array grows in the arena. */
static void test_paragraphs_many(void **state)
{
	static char s[100 * 4];
	cot__arena a;
	cot__spans sp;

	(void)state;
	for (int i = 0; i < 100; i++)
		memcpy(s + i * 4, "ab\n\n", 4);
	cot__arena_init(&a);
	assert_int_equal(cot__paragraphs(s, sizeof s, &a, &sp), COT_OK);
	assert_int_equal(sp.n, 100);
	assert_int_equal(sp.v[99].off, 396);
	cot__arena_dispose(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs_cases),
		cmocka_unit_test(test_span_index_finds_unit),
		cmocka_unit_test(test_paragraphs_many),
		cmocka_unit_test(test_text_paragraphs_equal_definition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
