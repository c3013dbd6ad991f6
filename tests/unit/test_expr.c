/* test_expr.c - the expression language: grammar, types, nulls, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/internal.h"
#include "fixture.h"
#include "util.h"


/* A record with two traces (OpenR1 style) and some metadata. */
static const char record[] =
	"{\"model\":\"DeepSeek-R1\",\"meta\":{\"level\":4,\"tags\":[1,2,3],"
	"\"name\":\"caf\\u00e9\"},\"answer\":\"42\",\"generations\":["
	"\"<think>\\nWait, 6*7.\\n\\nIt is 42.\\n</think>\\n\\\\boxed{42}\","
	"\"<think>unterminated\"],\"finish_reasons\":[\"stop\",\"length\"]}";

static void analyze(const char *json)
{
	cot_error err;

	assert_int_equal(cot_analyze_json(res, json, strlen(json), &err),
			 COT_OK);
}

/* Evaluate src on trace i: "true", "false", "null", a number, 's:...' */
static void check(const char *src, size_t i, const char *want)
{
	cot_expr *e;
	cot_error err;
	cot_value v;
	char got[256];

	if (cot_expr_compile(&e, az, src, &err)) {
		print_error("%s: %s\n", src, err.message);
		fail();
	}
	if (cot_expr_eval(&v, e, res, i, &err)) {
		print_error("%s: eval: %s\n", src, err.message);
		fail();
	}
	switch (v.type) {
	case COT_TYPE_NULL: snprintf(got, sizeof got, "null"); break;
	case COT_TYPE_BOOL:
		snprintf(got, sizeof got, v.b ? "true" : "false");
		break;
	case COT_TYPE_REAL: snprintf(got, sizeof got, "%g", v.r); break;
	case COT_TYPE_STRING:
		assert_int_equal(v.s[v.len], '\0');	/* as the API says */
		snprintf(got, sizeof got, "s:%.*s", (int)v.len, v.s);
		break;
	default:
		assert_int_equal(v.s[v.len], '\0');
		snprintf(got, sizeof got, "j:%.*s", (int)v.len, v.s);
	}
	if (strcmp(got, want)) {
		print_error("%s on trace %zu: got %s, want %s\n", src, i, got,
			    want);
		fail();
	}
	cot_expr_free(e);
}

/* Compiling src fails at column col with a message containing what. */
static void bad(const char *src, size_t col, const char *what)
{
	cot_expr *e = NULL;
	cot_error err;

	assert_int_equal(cot_expr_compile(&e, az, src, &err), COT_EEXPR);
	assert_null(e);
	if (err.column != col || !strstr(err.message, what)) {
		print_error("%s: got column %llu \"%s\", want %zu \"%s\"\n",
			    src, (unsigned long long)err.column, err.message,
			    col, what);
		fail();
	}
}

static void test_expr_fields_and_operators(void **state)
{
	(void)state;
	analyze(record);
	check("closed", 0, "true");
	check("closed", 1, "false");
	check("!closed", 1, "true");
	check("not closed and index == 1", 1, "true");
	check("think.words", 0, "5");
	check("think.words * 2 + 1", 0, "11");
	check("think.words / 4", 0, "1.25");
	check("-think.words < 0", 0, "true");
	check("(1 + 2) * 3 == 9", 0, "true");
	check("1 + 2 * 3", 0, "7");
	check("10 - 2 - 3", 0, "5");
	check("think.words >= 5 && think.words <= 5", 0, "true");
	check("think.words > 5 || answer_extracted == \"42\"", 0, "true");
	check("format", 0, "s:openr1");
	check("format == 'openr1'", 0, "true");
	check("format != \"text\"", 0, "true");
	check("\"abc\" < \"abd\"", 0, "true");
	check("\"b\" > \"abc\"", 0, "true");
	check("finish_reason in [\"length\", \"max_tokens\"]", 1, "true");
	check("finish_reason in [\"length\"]", 0, "false");
	check("think.words in [1, 5, -2]", 0, "true");
	check("model =~ \"^Deep\"", 0, "true");
	check("model =~ '(?i)^deepseek-r\\d$'", 0, "true");
	check("lower(model) == \"deepseek-r1\"", 0, "true");
	check("lower(model)", 0, "s:deepseek-r1");
	check("lower(lower(model))", 0, "s:deepseek-r1");
	check("len(model)", 0, "11");
	check("len(\"caf\\u00e9\")", 0, "4");
	check("exists(answer_extracted)", 0, "true");
	check("exists(answer_extracted)", 1, "false");
	check("true && false || true", 0, "true");
}

static void test_expr_rec_paths(void **state)
{
	(void)state;
	analyze(record);
	check("rec.model", 0, "s:DeepSeek-R1");
	check("rec.meta.level >= 4", 0, "true");
	check("rec.meta.name == \"caf\\u00e9\"", 0, "true");
	check("rec.meta[\"level\"] + 1", 0, "5");
	check("rec.meta.tags[-1]", 0, "3");
	check("len(rec.meta.tags)", 0, "3");
	check("len(rec.meta)", 0, "3");
	check("rec.generations[1] =~ \"unterminated\"", 0, "true");
	check("rec.nope", 0, "null");
	check("exists(rec.nope)", 0, "false");
	check("exists(rec.meta.level)", 0, "true");
	check("rec.meta.level == 4", COT_NO_TRACE, "true");
}

/* Null is "no value": comparisons give null, logic is three-valued. */
static void test_expr_null_semantics(void **state)
{
	(void)state;
	analyze(record);
	check("answer_extracted", 1, "null");
	check("answer_extracted == null", 1, "true");
	check("answer_extracted == \"42\"", 1, "false");
	check("answer_extracted != \"42\"", 1, "true");
	check("rec.nope < 3", 0, "null");
	check("!(rec.nope < 3)", 0, "null");
	check("rec.nope < 3 && false", 0, "false");
	check("rec.nope < 3 && true", 0, "null");
	check("rec.nope < 3 || true", 0, "true");
	check("rec.nope < 3 || false", 0, "null");
	check("rec.nope + 1", 0, "null");
	check("1 / 0", 0, "null");
	check("lower(rec.nope)", 0, "null");
	check("rec.nope in [1, 2]", 0, "false");
	/* a record with no trace: every trace field is null */
	check("think.words", COT_NO_TRACE, "null");
	check("think.words > 5", COT_NO_TRACE, "null");
	check("exists(format)", COT_NO_TRACE, "false");
}

static void test_expr_compile_errors_have_columns(void **state)
{
	(void)state;
	bad("think.wrods < 5", 1, "did you mean 'think.words'");
	bad("zzz", 1, "unknown field 'zzz'");
	bad("format == 3", 8, "cannot compare a string with a number");
	bad("think.words < \"a\"", 13, "orders two numbers or two strings");
	bad("closed && 3", 8, "'&&' takes conditions");
	bad("!think.words", 1, "'!' takes a condition");
	bad("format + 1", 8, "'+' takes numbers");
	bad("format =~ \"(\"", 13, "missing closing parenthesis");
	bad("think.words =~ \"a\"", 13, "takes a string on its left");
	bad("format =~ format", 11, "string literal");
	bad("format in [\"a\", 3]", 17, "cannot compare a string with a "
	    "number");
	bad("format in [model]", 12, "literals only");
	bad("len(closed)", 5, "len() takes a string or a list");
	bad("upper(format)", 1, "unknown function 'upper'");
	bad("(closed", 8, "expected ')'");
	bad("closed)", 7, "unexpected ')' after the expression");
	bad("", 1, "unexpected end");
	bad("closed &&", 10, "unexpected end");
	bad("\"abc", 1, "unterminated string");
	bad("\"a\\x\"", 3, "bad escape");
	bad("rec.a[*].b", 1, "[*] is not allowed");
	bad("rec.", 1, "expected a path");
	bad("think.words @ 3", 13, "unexpected '@'");
}

static void test_expr_runtime_type_errors_are_reported(void **state)
{
	cot_expr *e;
	cot_error err;
	cot_value v;

	(void)state;
	analyze(record);
	assert_int_equal(cot_expr_compile(&e, az, "rec.model > 3", &err),
			 COT_OK);
	assert_int_equal(cot_expr_eval(&v, e, res, 0, &err), COT_EINVAL);
	assert_non_null(strstr(err.message, "cannot order a string and a "
			       "number"));
	assert_int_equal(err.column, 11);
	cot_expr_free(e);
	assert_int_equal(cot_expr_compile(&e, az, "rec.meta.level && closed",
					  &err), COT_OK);
	assert_int_equal(cot_expr_eval(&v, e, res, 0, &err), COT_EINVAL);
	assert_non_null(strstr(err.message, "expected a condition"));
	cot_expr_free(e);
	assert_int_equal(cot_expr_compile(&e, az, "closed", &err), COT_OK);
	assert_int_equal(cot_expr_eval(&v, e, res, 5, &err), COT_EINVAL);
	cot_expr_free(e);
}

static void test_expr_static_types(void **state)
{
	static const struct {
		const char *src;
		cot_type type;
	} cases[] = {
		{ "closed", COT_TYPE_BOOL }, { "think.words", COT_TYPE_REAL },
		{ "format", COT_TYPE_STRING }, { "rec.model", COT_TYPE_NULL },
		{ "1 < 2", COT_TYPE_BOOL }, { "lower(rec.x)", COT_TYPE_STRING },
	};
	cot_expr *e;
	cot_error err;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(cot_expr_compile(&e, az, cases[i].src, &err),
				 COT_OK);
		assert_int_equal(cot_expr_type(e), cases[i].type);
		cot_expr_free(e);
	}
}

/* Once warm, evaluation allocates nothing: with every allocation made
 * to fail, it still succeeds. */
static void test_expr_eval_allocates_nothing(void **state)
{
	static const char *const srcs[] = {
		"closed && think.words < 8000 && format in [\"openr1\"]",
		"lower(rec.meta.name) =~ \"caf\" && len(rec.meta.tags) == 3",
		"rec.model == \"DeepSeek-R1\" || answer_extracted == \"1\"",
	};
	cot_error err;
	cot_value v;

	(void)state;
	analyze(record);
	for (size_t k = 0; k < sizeof srcs / sizeof *srcs; k++) {
		cot_expr *e;

		assert_int_equal(cot_expr_compile(&e, az, srcs[k], &err),
				 COT_OK);
		assert_int_equal(cot_expr_eval(&v, e, res, 0, &err), COT_OK);
		cot__alloc_fail_after(0);
		for (int rep = 0; rep < 3; rep++) {
			assert_int_equal(cot_expr_eval(&v, e, res, 0, &err),
					 COT_OK);
			assert_int_equal(v.type, COT_TYPE_BOOL);
			assert_true(v.b);
		}
		cot__alloc_fail_after(-1);
		cot_expr_free(e);
	}
}

static void test_expr_compile_out_of_memory(void **state)
{
	(void)state;
	for (long n = 0;; n++) {
		cot_expr *e = NULL;
		cot_error err;
		int rc;

		cot__alloc_fail_after(n);
		rc = cot_expr_compile(&e, az, "lower(format) =~ 'x' && "
				      "rec.a.b in [\"p\", \"q\"]", &err);
		cot__alloc_fail_after(-1);
		cot_expr_free(e);
		if (rc == COT_OK)
			break;
		assert_int_equal(rc, COT_ENOMEM);
		assert_true(n < 200);
	}
}

static void test_expr_fields_lists_each_field_once(void **state)
{
	cot_expr *e;
	cot_error err;
	size_t f[8];
	cot_value v;
	size_t n;

	(void)state;
	assert_int_equal(cot_expr_compile(&e, az, "think.words > 1 && "
		"think.words < 9 || closed || rec.x == 1", &err), COT_OK);
	n = cot_expr_fields(f, 8, e);
	assert_int_equal(n, 2);
	assert_int_equal(f[0], field_id(az, "think.words"));
	assert_int_equal(f[1], field_id(az, "closed"));
	assert_int_equal(cot_expr_fields(NULL, 0, e), 2);
	/* asking for these fields only: the others read as null */
	assert_int_equal(cot_result_need(res, f, n, NULL), COT_OK);
	analyze(record);
	assert_int_equal(cot_result_get(&v, res, 0, f[0], NULL), COT_OK);
	assert_int_equal(v.type, COT_TYPE_INT);
	assert_int_equal(
		cot_result_get(&v, res, 0, field_id(az, "status"), NULL),
		COT_OK);
	assert_int_equal(v.type, COT_TYPE_NULL);
	assert_int_equal(cot_result_need(res, NULL, 0, NULL), COT_OK);
	analyze(record);
	assert_int_equal(
		cot_result_get(&v, res, 0, field_id(az, "status"), NULL),
		COT_OK);
	assert_int_equal(v.type, COT_TYPE_STRING);
	cot_expr_free(e);
}


/* src: prefix n times, then tail (malloc'd). */
static char *repeat(const char *prefix, size_t n, const char *tail)
{
	size_t lp = strlen(prefix), lt = strlen(tail);
	char *s = malloc(lp * n + lt + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * lp, prefix, lp);
	memcpy(s + lp * n, tail, lt + 1);
	return s;
}

/* Every recursive construct is capped at 200 levels (unary operators
 * recursed without a cap), and long chains of binary operators, whose
 * trees are as deep as they are long, are evaluated without recursing
 * once per operator. */
static void test_expr_depth_is_capped_and_chains_are_flat(void **state)
{
	static const struct {
		const char *prefix, *tail;
		size_t width;	/* bytes of prefix */
	} nest[] = {
		{ "!", "true", 1 }, { "not ", "true", 4 }, { "- ", "1 > 0", 2 },
		{ "-", "1 > 0", 1 }, { "(", "true", 1 },
		{ "len(", "format", 4 }, { "exists(", "format", 7 },
	};
	/* the deepest nesting that compiles, and chains of 100,000 terms,
	 * for which a recursive walk would need megabytes of stack */
	static const struct {
		const char *prefix;
		size_t times;
		const char *tail, *want;
	} chains[] = {
		{ "!", 200, "true", "true" },
		{ "- ", 200, "1", "1" },
		{ "1+", 100000, "1", "100001" },
		{ "think.words - ", 100000, "0 < 0", "true" },
		{ "false || ", 100000, "closed", "true" },
		{ "null && ", 100000, "false", "false" },
		{ "2 * ", 1000, "1 > 1e300", "true" },
	};
	char *src;

	(void)state;
	analyze(record);
	for (size_t i = 0; i < sizeof nest / sizeof *nest; i++) {
		cot_expr *e = NULL;
		cot_error err;
		int ok;

		/* 200 levels compile; 201 do not; 30,000 do not crash */
		src = repeat(nest[i].prefix, 200, nest[i].tail);
		ok = cot_expr_compile(&e, az, src, &err) == COT_OK;
		/* (, len( and exists( need their ')' to compile */
		if (!ok && !strchr(nest[i].prefix, '('))
			fail_msg("%s x 200: %s", nest[i].prefix, err.message);
		cot_expr_free(e);
		free(src);
		src = repeat(nest[i].prefix, 201, nest[i].tail);
		bad(src, 200 * nest[i].width + 1, "nested too deeply (more "
		    "than 200 levels)");
		free(src);
		src = repeat(nest[i].prefix, 30000, nest[i].tail);
		bad(src, 200 * nest[i].width + 1, "nested too deeply");
		free(src);
	}
	for (size_t i = 0; i < sizeof chains / sizeof *chains; i++) {
		src = repeat(chains[i].prefix, chains[i].times,
			     chains[i].tail);
		check(src, 0, chains[i].want);
		free(src);
	}
	/* a chain on the right of another, and inside parentheses */
	src = repeat("1 + (1 + 2 * 3 * ", 150, "1)");
	{
		char *full = malloc(strlen(src) + 200);

		strcpy(full, src);
		for (int k = 0; k < 149; k++)
			strcat(full, ")");
		check(full, 0, "1051");
		free(full);
	}
	free(src);
}


/* JSON integers compare as integers, at any size (a double holds 53
 * bits: 1234567890123456789 and ...788 are one double); reals as the
 * double they read as; an integer and a real by their exact values. */
static void test_expr_integers_compare_exactly(void **state)
{
	static const struct {
		const char *src, *want;
	} cases[] = {
		{ "rec.a == 1234567890123456789", "false" },
		{ "rec.a == 1234567890123456788", "true" },
		{ "rec.a != 1234567890123456789", "true" },
		{ "rec.a < 1234567890123456789", "true" },
		{ "rec.a >= 1234567890123456789", "false" },
		{ "rec.a in [1234567890123456789]", "false" },
		{ "rec.a in [1, 1234567890123456788]", "true" },
		{ "rec.a + 1 == 1234567890123456789", "true" },
		{ "-rec.a == -1234567890123456788", "true" },
		{ "rec.a == 1.2345678901234568e18", "false" },
		{ "rec.b == 9007199254740993", "true" },
		{ "rec.b == 9007199254740992", "false" },
		{ "rec.b > 9007199254740992.0", "true" },
		{ "rec.big == 123456789012345678901234567890", "true" },
		{ "rec.big == 123456789012345678901234567891", "false" },
		{ "rec.big > 123456789012345678901234567889", "true" },
		{ "rec.big > 9223372036854775807", "true" },
		{ "rec.big < 1e300", "true" },
		{ "rec.big == 123456789012345678901234567890.0", "false" },
		{ "rec.big > 123456789012345678901234567890.0", "true" },
		{ "rec.neg == -123456789012345678901234567890", "true" },
		{ "rec.neg < -9223372036854775808", "true" },
		{ "rec.neg < rec.big", "true" },
		{ "rec.min == -9223372036854775808", "true" },
		{ "rec.min == -9223372036854775807 - 1", "true" },
		{ "rec.min < -9223372036854775807", "true" },
		{ "-rec.min == 9223372036854775808", "true" },
		{ "rec.one == 1", "true" },
		{ "rec.one == 1.0", "true" },
		{ "rec.real == 0.5", "true" },
		{ "rec.real > 0", "true" },
		{ "rec.real < 1", "true" },
		{ "0007 == 7", "true" },
		{ "9223372036854775808 == 9223372036854775807 + 1", "true" },
		{ "9223372036854775807 + 1 > 9223372036854775807", "true" },
		{ "think.words == 4", "true" },
		/* 81 digits: its double, for arithmetic, from the top ones */
		{ "10000000000000000000000000000000000000000"
		  "0000000000000000000000000000000000000000 + 0 > 9.99e79", "true" },
		{ "-10000000000000000000000000000000000000000"
		  "0000000000000000000000000000000000000000 - 0 < -9.99e79", "true" },
	};

	(void)state;
	analyze("{\"a\":1234567890123456788,\"b\":9007199254740993,"
		"\"big\":123456789012345678901234567890,\"neg\":"
		"-123456789012345678901234567890,\"min\":-9223372036854775808,"
		"\"one\":1,\"real\":0.5,\"generations\":[\"<think>a b c d"
		"</think>x\"]}");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check(cases[i].src, 0, cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expr_fields_and_operators),
		cmocka_unit_test(test_expr_rec_paths),
		cmocka_unit_test(test_expr_null_semantics),
		cmocka_unit_test(test_expr_compile_errors_have_columns),
		cmocka_unit_test(test_expr_runtime_type_errors_are_reported),
		cmocka_unit_test(test_expr_static_types),
		cmocka_unit_test(test_expr_eval_allocates_nothing),
		cmocka_unit_test(test_expr_compile_out_of_memory),
		cmocka_unit_test(test_expr_fields_lists_each_field_once),
		cmocka_unit_test(test_expr_depth_is_capped_and_chains_are_flat),
		cmocka_unit_test(test_expr_integers_compare_exactly),
	};

	return cmocka_run_group_tests(tests, az_setup, az_teardown);
}
