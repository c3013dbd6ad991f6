/* test_normalize.c - answer normalisation, numbers, equality, sentinels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "passes/normalize.h"
#include "util.h"

static const char *norm(cot__arena *a, const char *s)
{
	const char *out;
	size_t n;

	assert_int_equal(cot__answer_normalize(s, strlen(s), a, &out, &n),
			 COT_OK);
	assert_int_equal(strlen(out), n);
	return out;
}

static void test_answer_normalize_cases(void **state)
{
	static const char *const cases[][2] = {
		/* wrappers, spacing and fraction forms */
		{ "\\left( 3, \\frac{\\pi}{2} \\right)",
		  "(3,\\frac{\\pi}{2})" },
		{ "\\text{Evelyn}", "Evelyn" },
		{ "$x^3 + 3x - 6$", "x^3+3x-6" },
		{ "\\!10\\,000", "10000" },
		{ "\\displaystyle \\dfrac{33}{100}", "\\frac{33}{100}" },
		{ "\\tfrac12", "\\frac{1}{2}" },
		{ "58,500", "58500" },
		{ "-1,234,567.25", "-1234567.25" },
		{ "1{,}000", "1000" },
		{ "10\\%", "10" },
		{ "10%", "10" },
		{ "\\$18.90", "18.90" },
		{ "864 \\mbox{ inches}^2", "864" },
		{ "\\frac{270}7\\text{ degrees}", "\\frac{270}{7}" },
		{ "5.4 \\text{ cents}", "5.4" },
		{ "15 cm", "15" },
		{ "27 miles", "27" },
		{ "128 rational numbers", "128" },
		{ "90^\\circ", "90" },
		{ "90^{\\circ}", "90" },
		{ "90\xc2\xb0", "90" },
		/* malformed LaTeX, as MATH references write it */
		{ "\\frac43", "\\frac{4}{3}" },
		{ "\\frac 59", "\\frac{5}{9}" },
		{ "\\frac9{19}", "\\frac{9}{19}" },
		{ "11\\sqrt2", "11\\sqrt{2}" },
		{ "4210_{5}", "4210_5" },
		{ "x^{10}", "x^{10}" },
		/* wrappers, choices, quotes, markdown, sentences */
		{ "\\boxed{5}", "5" },
		{ "\\text{(C)}", "C" },
		{ "\\textbf{(E)}", "E" },
		{ "**42**", "42" },
		{ "\"4\"", "4" },
		{ "4.\"", "4" },
		{ "5.", "5" },
		{ "{5}", "5" },
		{ "\\pi r", "\\pi r" },
		/* Unicode math and simple fractions */
		{ "(3, \xcf\x80/2)", "(3,\\frac{\\pi}{2})" },
		{ "\xe2\x88\x92" "2", "-2" },
		{ "3/5", "\\frac{3}{5}" },
		{ "2\\pi/3", "2\\pi/3" },	/* (2 pi)/3: left alone */
		{ "x/y^2", "x/y^2" },
		{ "\\le 3", "\\leq3" },
		{ "", "" },
		{ "  ", "" },
		{ "\\", "" },
	};

	cot__arena a;

	(void)state;
	cot__arena_init(&a);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = norm(&a, cases[i][0]);

		if (strcmp(got, cases[i][1]))
			fail_msg("normalize(\"%s\") = \"%s\", want \"%s\"",
				 cases[i][0], got, cases[i][1]);
	}
	cot__arena_dispose(&a);
}

static bool equal(cot__arena *a, const char *x, const char *y)
{
	const char *nx = norm(a, x), *ny = norm(a, y);

	return cot__answer_equal(nx, strlen(nx), ny, strlen(ny));
}

static void test_answer_equal_cases(void **state)
{
	static const struct {
		const char *a, *b;
		bool want;
	} cases[] = {
		{ "025", "25", true },
		{ ".0000672", "0.0000672", true },
		{ "\\frac{13}{18}", "\\frac{26}{36}", true },
		{ "\\frac{11}{2}", "5.5", true },
		{ "1/3", "0.3333333", true },	/* within 1e-6 relative */
		{ "1/3", "0.333", false },
		{ "-\\frac{1}{2}", "-0.5", true },
		{ "\\frac{-1}{2}", "-0.5", true },
		{ "137 \\frac{1}{2}", "137.5", true },
		{ "1.5\\times10^{3}", "1500", true },
		{ "2\\cdot 10^{-3}", "0.002", true },
		{ "x=5", "5", true },
		{ "x_1 = 5", "5.0", true },
		{ "x=5", "y=5", false },
		{ "x=5", "x=5.0", true },
		{ "\\frac{34}{100} = \\frac{17}{50}", "\\dfrac{17}{50}",
		  true },
		{ "x \\le 5", "5", false },
		{ "x \\in [-2,7]", "[-2, 7]", true },
		{ "-2,1", "1, -2", true },	/* solutions: any order */
		{ "\\{1, 2\\}", "\\{2,1\\}", true },
		{ "\\{1,2\\}", "1,2", true },
		{ "\\{5\\}", "5", true },
		{ "(1,2)", "(2,1)", false },	/* tuples: in order */
		{ "(1,2)", "1,2", false },
		{ "(1,2)", "[1,2]", false },
		{ "\\left(\\frac{3}{5},\\frac{8}{3}\\right]", "(3/5, 8/3]",
		  true },
		{ "(0,9) \\cup (9,36)", "(0, 9)\\cup(9, 36)", true },
		{ "(0,9)\\cup(9,36)", "(9,36)\\cup(0,9)", false },
		{ "\\begin{pmatrix} 16/49 \\\\ 48/49 \\end{pmatrix}",
		  "\\begin{pmatrix} \\frac{16}{49} \\\\ \\frac{48}{49} "
		  "\\end{pmatrix}", true },
		{ "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}",
		  "\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}", false },
		{ "\\begin{pmatrix} 1 & 2 \\end{pmatrix}",
		  "\\begin{pmatrix} 1 & 2.0 \\end{pmatrix}", true },
		{ "\\left( 3, \\frac{\\pi}{2} \\right)", "(3, \xcf\x80/2)",
		  true },
		{ "\\text{Evelyn}", "Evelyn", true },
		{ "\\text{(C)}", "C", true },
		{ "Evelyn", "evelyn", false },
		{ "6+9i", "6 + 9i", true },
		{ "10\\%", "10", true },
		{ "0", "0.0", true },
		{ "0", "1e-9", false },
		{ "1", "", false },
		{ "2", "3", false },
	};
	cot__arena a;

	(void)state;
	cot__arena_init(&a);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		bool ab = equal(&a, cases[i].a, cases[i].b);
		bool ba = equal(&a, cases[i].b, cases[i].a);

		if (ab != cases[i].want || ba != cases[i].want)
			fail_msg("equal(\"%s\", \"%s\") = %d/%d, want %d",
				 cases[i].a, cases[i].b, ab, ba,
				 cases[i].want);
	}
	cot__arena_dispose(&a);
}

static void test_answer_number_forms(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		double v;
	} cases[] = {
		{ "42", true, 42 }, { "-3.25", true, -3.25 },
		{ ".5", true, 0.5 }, { "+7", true, 7 },
		{ "3/4", true, 0.75 }, { "\\frac{3}{4}", true, 0.75 },
		{ "-\\frac{3}{4}", true, -0.75 },
		{ "2\\frac{1}{4}", true, 2.25 },
		{ "1e3", true, 1000 }, { "2\\times10^3", true, 2000 },
		{ "3/0", false, 0 }, { "\\frac{1}{0}", false, 0 },
		{ "x", false, 0 }, { "1.2.3", false, 0 }, { "", false, 0 },
		{ "1e", false, 0 }, { "2\\frac{1}{x}", false, 0 },
		{ "-", false, 0 }, { ".", false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		double v = -1;
		bool ok = cot__answer_number(cases[i].s, strlen(cases[i].s),
					     &v);

		if (ok != cases[i].ok || (ok && v != cases[i].v))
			fail_msg("number(\"%s\") = %d %g", cases[i].s, ok, v);
	}
}

static void test_answer_sentinel_words(void **state)
{
	(void)state;
	assert_true(cot__answer_sentinel("proof", 5));
	assert_true(cot__answer_sentinel(" NotFound\n", 10));
	assert_true(cot__answer_sentinel("", 0));
	assert_true(cot__answer_sentinel("  ", 2));
	assert_false(cot__answer_sentinel("proofs", 6));
	assert_false(cot__answer_sentinel("0", 1));
}

/* Random answers from pieces: normalising never overruns its bound and
 * equality is reflexive and symmetric. */
static void test_answer_equal_random_properties(void **state)
{
	static const char *const pieces[] = {
		"1", "2", ".", ",", "-", "/", "\\frac", "{", "}", "(", ")",
		"[", "]", "\\{", "\\}", "=", "x", " ", "\\text{", "\\left(",
		"\\right)", "^", "_", "\\sqrt", "$", "%", "\\cup", "\\\\",
		"&", "\\begin{pmatrix}", "\\end{pmatrix}", "\xcf\x80", "\\",
		"cm", "\"", "*", "e", "\\times10^", "\\in",
	};
	uint64_t seed = 7;
	char x[512], y[512];
	cot__arena a;

	(void)state;
	cot__arena_init(&a);
	for (int k = 0; k < 20000; k++) {
		size_t nx = random_pieces(x, pieces, sizeof pieces /
					  sizeof *pieces, 12, &seed);
		size_t ny = random_pieces(y, pieces, sizeof pieces /
					  sizeof *pieces, 12, &seed);
		const char *a1, *b1;
		size_t na, nb;

		assert_int_equal(cot__answer_normalize(x, nx, &a, &a1, &na),
				 COT_OK);
		assert_int_equal(cot__answer_normalize(y, ny, &a, &b1, &nb),
				 COT_OK);
		assert_true(na <= 4 * (2 * nx + 16));
		assert_true(cot__answer_equal(a1, na, a1, na));
		assert_int_equal(cot__answer_equal(a1, na, b1, nb),
				 cot__answer_equal(b1, nb, a1, na));
		if (k % 256 == 0)
			cot__arena_reset(&a);
	}
	cot__arena_dispose(&a);
}

/* Deep nesting stays within bounds (no stack overflow). */
static void test_answer_normalize_deep_nesting(void **state)
{
	static char s[200001];
	cot__arena a;
	const char *out;
	size_t n;

	(void)state;
	for (size_t i = 0; i < 100000; i++) {
		s[i] = '{';
		s[200000 - 1 - i] = '}';
	}
	cot__arena_init(&a);
	assert_int_equal(cot__answer_normalize(s, 200000, &a, &out, &n),
			 COT_OK);
	assert_true(cot__answer_equal(out, n, out, n));
	memset(s, '(', 100000);
	memset(s + 100000, ')', 100000);
	assert_int_equal(cot__answer_normalize(s, 200000, &a, &out, &n),
			 COT_OK);
	assert_true(cot__answer_equal(out, n, out, n));
	cot__arena_dispose(&a);
}

static void test_answer_normalize_out_of_memory(void **state)
{
	const char *s = "\\frac{3}{5}/2 + 1/2", *out;
	size_t n;
	int rc;

	(void)state;
	for (long fails = 0;; fails++) {
		cot__arena a;

		cot__arena_init(&a);
		cot__alloc_fail_after(fails);
		rc = cot__answer_normalize(s, strlen(s), &a, &out, &n);
		cot__alloc_fail_after(-1);
		cot__arena_dispose(&a);
		if (rc == COT_OK)
			break;
		assert_int_equal(rc, COT_ENOMEM);
		assert_true(fails < 10);
	}
}

/* The public wrappers grade as the field does. */
static void test_public_answer_api(void **state)
{
	cot_buf b = COT_BUF_INIT;
	cot_error err;
	int eq;

	(void)state;
	assert_int_equal(cot_answer_normalize(&b, "\\dfrac{1}{2}\\%", 14, NULL),
			 COT_OK);
	assert_string_equal(b.ptr, "\\frac{1}{2}");
	assert_int_equal(cot_answer_normalize(&b, " x", 2, NULL), COT_OK);
	assert_string_equal(b.ptr, "\\frac{1}{2}x");	/* appended */
	cot_buf_dispose(&b);
	assert_int_equal(cot_answer_equal(&eq, "0.5", 3, "\\frac12", 7, NULL),
			 COT_OK);
	assert_int_equal(eq, 1);
	assert_int_equal(cot_answer_equal(&eq, "(1,2)", 5, "(2,1)", 5, NULL),
			 COT_OK);
	assert_int_equal(eq, 0);
	/* out of memory is a status, never a verdict */
	cot__alloc_fail_after(0);
	eq = 1;
	assert_int_equal(cot_answer_equal(&eq, "0.5", 3, "\\frac12", 7, &err),
			 COT_ENOMEM);
	assert_int_equal(eq, 0);
	assert_int_equal(err.code, COT_ENOMEM);
	assert_int_equal(cot_answer_normalize(&b, "1/2", 3, &err), COT_ENOMEM);
	assert_null(b.ptr);
	cot__alloc_fail_after(-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_normalize_cases),
		cmocka_unit_test(test_answer_equal_cases),
		cmocka_unit_test(test_answer_number_forms),
		cmocka_unit_test(test_answer_sentinel_words),
		cmocka_unit_test(test_answer_equal_random_properties),
		cmocka_unit_test(test_answer_normalize_deep_nesting),
		cmocka_unit_test(test_answer_normalize_out_of_memory),
		cmocka_unit_test(test_public_answer_api),
	};

	return cmocka_run_group_tests_name("normalize", tests, NULL, NULL);
}
