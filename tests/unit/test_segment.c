/* test_segment.c - paragraphs and span lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "segment.h"
#include "text.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
