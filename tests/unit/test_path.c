/* test_path.c - the --field path syntax: parsing, errors, evaluation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/path.h"

/* ------------------------------------------------------------------ */
/* Helpers */

/* Evaluate path on doc and return the raw JSON text of every match,
 * joined by '|' (e.g. "1|\"x\"|[2]"), in a static buffer. Matches are
 * compared as text so a wrong token index shows what it points at. */
typedef struct hits {
	const cot__jdoc *d;
	char buf[1024];
	size_t n;
	int count;
	int stop_after;	/* return 7 from the callback after this many */
} hits;

static int on_hit(void *ctx, uint32_t tok)
{
	hits *h = ctx;
	const cot__jtok *t = &h->d->tok[tok];
	size_t len = t->end - t->off;

	assert_true(tok < h->d->ntok);
	if (h->count++)
		h->buf[h->n++] = '|';
	assert_true(h->n + len < sizeof h->buf);
	memcpy(h->buf + h->n, h->d->src + t->off, len);
	h->n += len;
	h->buf[h->n] = '\0';
	return h->stop_after && h->count == h->stop_after ? 7 : 0;
}

static void eval_case(const char *json, const char *path, const char *want)
{
	cot__jdoc d;
	cot__path *p = NULL;
	cot_error err;
	hits h;

	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, json, strlen(json), &err),
			 COT_OK);
	if (cot__path_parse(&p, path, &err) != COT_OK) {
		print_error("path '%s' failed: %s\n", path, err.message);
		fail();
	}
	memset(&h, 0, sizeof h);
	h.d = &d;
	assert_int_equal(cot__path_eval(p, &d, 0, on_hit, &h), 0);
	if (strcmp(h.buf, want) != 0) {
		print_error("path '%s' on %s:\n  got  %s\n  want %s\n", path,
			    json, h.buf, want);
		fail();
	}
	cot__path_free(p);
	cot__jdoc_dispose(&d);
}

static void parse_error(const char *path, uint64_t column, const char *what)
{
	cot__path *p = (cot__path *)1;
	cot_error err;

	memset(&err, 0, sizeof err);
	if (cot__path_parse(&p, path, &err) != COT_EINVAL) {
		print_error("path '%s' was accepted\n", path);
		fail();
	}
	assert_null(p);
	assert_int_equal(err.code, COT_EINVAL);
	if (err.column != column || !strstr(err.message, what)) {
		print_error("path '%s': column %llu \"%s\", want column "
			    "%llu with \"%s\"\n", path,
			    (unsigned long long)err.column, err.message,
			    (unsigned long long)column, what);
		fail();
	}
}

static const char doc[] =
	"{\"a\":{\"b\":[{\"c\":1},{\"c\":2},{\"d\":3}]},"
	"\"list\":[10,20,30],"
	"\"a.b\":\"dotted\","
	"\"x[0]\":\"bracketed\","
	"\"q\\\"k\":\"quoted\","
	"\"back\\\\slash\":\"bs\","
	"\"\":\"empty key\","
	"\"obj\":{\"k1\":\"v1\",\"k2\":[\"v2\"],\"k3\":{}},"
	"\"gens\":[\"g0\",\"g1\",\"g2\"],"
	"\"nested\":[[1,2],[3],[]],"
	"\"dup\":1,\"dup\":2,"
	"\"caf\xc3\xa9\":\"utf8 key\","
	"\"sp ace\":\"spaced\","
	"\"n\":null}";

/* ------------------------------------------------------------------ */
/* Parsing: valid paths */

static void test_path_parse_valid_paths_are_accepted(void **state)
{
	static const char *const ok[] = {
		"a", ".a", "a.b", "a.b.c", "a[0]", "a[0].c", "[0]", "[-1]",
		"[*]", "a[*]", "a[*].b", "a[*][*]", "[\"a.b\"]",
		"a[\"x[0]\"].c", "[\"\"]", "[\"q\\\"k\"]", "[\"b\\\\s\"]",
		"a.[0]", "a[007]", "a[-0]", "caf\xc3\xa9", "sp ace",
		"choices[0].message.reasoning_content", "a-b_c:d",
		"[\"unicode \xe2\x9c\x93\"]", "[\"a\\x\"]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		cot__path *p = NULL;
		cot_error err;

		if (cot__path_parse(&p, ok[i], &err) != COT_OK) {
			print_error("'%s' rejected: %s\n", ok[i],
				    err.message);
			fail();
		}
		assert_non_null(p);
		cot__path_free(p);
	}
}

static void test_path_free_null_is_a_no_op(void **state)
{
	(void)state;
	cot__path_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Parsing: every error, with its column */

static void test_path_parse_empty_is_an_error_at_column_1(void **state)
{
	(void)state;
	parse_error("", 1, "empty path");
	parse_error(".", 2, "empty path");
}

static void test_path_parse_missing_key_after_dot_names_column(void **state)
{
	(void)state;
	parse_error("a.", 3, "expected a key");
	parse_error("a..b", 3, "expected a key");
	parse_error("..a", 2, "expected a key");
	parse_error("a.b.", 5, "expected a key");
}

static void test_path_parse_stray_bracket_names_column(void **state)
{
	(void)state;
	parse_error("]", 1, "expected a key");
	parse_error("a]", 2, "unexpected character");
	parse_error("a[0]]", 5, "unexpected character");
	parse_error("a.]", 3, "expected a key");
}

static void test_path_parse_bad_index_names_column(void **state)
{
	(void)state;
	parse_error("a[]", 3, "expected an index");
	parse_error("a[x]", 3, "expected an index");
	parse_error("a[-]", 3, "expected an index");
	parse_error("a[- 1]", 3, "expected an index");
	parse_error("a[+1]", 3, "expected an index");
	parse_error("a[ 1]", 3, "expected an index");
	parse_error("a[--1]", 3, "expected an index");
	parse_error("[", 2, "expected an index");
	parse_error("a[", 3, "expected an index");
}

static void test_path_parse_index_overflow_is_an_error(void **state)
{
	(void)state;
	parse_error("a[99999999999999999999999]", 3, "out of range");
	parse_error("a[-99999999999999999999999]", 3, "out of range");
}

static void test_path_parse_unclosed_bracket_names_column(void **state)
{
	(void)state;
	parse_error("a[0", 4, "expected ']'");
	parse_error("a[1x]", 4, "expected ']'");
	parse_error("a[*", 4, "expected ']'");
	parse_error("a[**]", 4, "expected ']'");
	parse_error("a[0 ]", 4, "expected ']'");
	/* after a quoted key: the key was copied and must not leak */
	parse_error("[\"k\"", 5, "expected ']'");
	parse_error("[\"k\"x]", 5, "expected ']'");
}

static void test_path_parse_unterminated_quote_names_column(void **state)
{
	(void)state;
	parse_error("[\"abc", 6, "unterminated quoted key");
	parse_error("[\"ab\\\"", 7, "unterminated quoted key");
	parse_error("x.[\"", 5, "unterminated quoted key");
}

static void test_path_parse_text_after_bracket_names_column(void **state)
{
	(void)state;
	parse_error("a[0]b", 5, "unexpected character");
	parse_error("[*]x", 4, "unexpected character");
	parse_error("[\"k\"]y", 6, "unexpected character");
}

static void test_path_parse_error_message_quotes_the_path(void **state)
{
	cot__path *p;
	cot_error err;

	(void)state;
	assert_int_equal(cot__path_parse(&p, "a[zz]", &err), COT_EINVAL);
	assert_non_null(strstr(err.message, "'a[zz]'"));
	assert_non_null(strstr(err.message, "column 3"));
	assert_int_equal(err.line, 0);
	/* err may be NULL */
	assert_int_equal(cot__path_parse(&p, "a[", NULL), COT_EINVAL);
	assert_null(p);
}

/* ------------------------------------------------------------------ */
/* Evaluation */

static void test_path_eval_keys_and_indexes(void **state)
{
	(void)state;
	eval_case(doc, "a.b[0].c", "1");
	eval_case(doc, ".a.b[1].c", "2");
	eval_case(doc, "a.b[2]", "{\"d\":3}");
	eval_case(doc, "list[0]", "10");
	eval_case(doc, "list[2]", "30");
	eval_case(doc, "a.[\"b\"][0].c", "1");
	eval_case(doc, "list[002]", "30");
	eval_case(doc, "n", "null");
	eval_case(doc, "caf\xc3\xa9", "\"utf8 key\"");
	eval_case(doc, "sp ace", "\"spaced\"");
}

static void test_path_eval_negative_index_counts_from_end(void **state)
{
	(void)state;
	eval_case(doc, "list[-1]", "30");
	eval_case(doc, "list[-3]", "10");
	eval_case(doc, "list[-4]", "");
	eval_case(doc, "list[-0]", "10");
	eval_case(doc, "a.b[-1].d", "3");
	eval_case(doc, "nested[-2][-1]", "3");
	eval_case("[1,2]", "[-9223372036854775808]", "");
	eval_case("[1,2]", "[9223372036854775807]", "");
}

static void test_path_eval_quoted_keys(void **state)
{
	(void)state;
	eval_case(doc, "[\"a.b\"]", "\"dotted\"");
	eval_case(doc, "[\"x[0]\"]", "\"bracketed\"");
	eval_case(doc, "[\"q\\\"k\"]", "\"quoted\"");
	eval_case(doc, "[\"back\\\\slash\"]", "\"bs\"");
	eval_case(doc, "[\"\"]", "\"empty key\"");
	eval_case(doc, "[\"a\"].b[0][\"c\"]", "1");
	/* a dotted key is not a path through "a" */
	eval_case(doc, "a.b", "[{\"c\":1},{\"c\":2},{\"d\":3}]");
}

static void test_path_eval_star_fans_out_in_document_order(void **state)
{
	(void)state;
	eval_case(doc, "gens[*]", "\"g0\"|\"g1\"|\"g2\"");
	eval_case(doc, "a.b[*].c", "1|2");
	eval_case(doc, "list[*]", "10|20|30");
	eval_case(doc, "nested[*][*]", "1|2|3");
	eval_case(doc, "nested[*][0]", "1|3");
	eval_case(doc, "obj[*]", "\"v1\"|[\"v2\"]|{}");
	eval_case(doc, "obj[*][0]", "\"v2\"");
	eval_case("[[1],[2,3]]", "[*][-1]", "1|3");
	eval_case("[]", "[*]", "");
	eval_case("{}", "[*]", "");
}

static void test_path_eval_star_on_scalar_matches_nothing(void **state)
{
	(void)state;
	eval_case(doc, "n[*]", "");
	eval_case(doc, "list[0][*]", "");
	eval_case("\"s\"", "[*]", "");
}

static void test_path_eval_missing_matches_nothing(void **state)
{
	(void)state;
	eval_case(doc, "nope", "");
	eval_case(doc, "a.nope.c", "");
	eval_case(doc, "list[3]", "");
	eval_case(doc, "list.x", "");
	eval_case(doc, "obj[0]", "");
	eval_case(doc, "a.b[0].c.d", "");
	eval_case(doc, "n.x", "");
	eval_case("[1,2]", "a", "");
	eval_case("\"text\"", "a[0]", "");
	eval_case("42", "[0]", "");
}

static void test_path_eval_duplicate_key_last_wins(void **state)
{
	(void)state;
	eval_case(doc, "dup", "2");
}

static void test_path_eval_escaped_key_in_document(void **state)
{
	(void)state;
	/* the document spells the key with escapes; paths use bytes */
	eval_case("{\"caf\\u00e9\":1,\"a\\nb\":2}", "caf\xc3\xa9", "1");
	eval_case("{\"a\\nb\":2}", "a\nb", "2");
}

static void test_path_eval_callback_value_stops_early(void **state)
{
	cot__jdoc d;
	cot__path *p;
	cot_error err;
	hits h;

	(void)state;
	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, doc, strlen(doc), &err),
			 COT_OK);
	assert_int_equal(cot__path_parse(&p, "list[*]", &err), COT_OK);
	memset(&h, 0, sizeof h);
	h.d = &d;
	h.stop_after = 2;
	assert_int_equal(cot__path_eval(p, &d, 0, on_hit, &h), 7);
	assert_string_equal(h.buf, "10|20");
	cot__path_free(p);
	cot__jdoc_dispose(&d);
}

static void test_path_eval_from_inner_root(void **state)
{
	cot__jdoc d;
	cot__path *p;
	cot_error err;
	hits h;
	uint32_t inner;

	(void)state;
	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, doc, strlen(doc), &err),
			 COT_OK);
	inner = cot__json_get(&d, 0, "obj", 3);
	assert_int_not_equal(inner, COT_J_NONE);
	assert_int_equal(cot__path_parse(&p, "k2[0]", &err), COT_OK);
	memset(&h, 0, sizeof h);
	h.d = &d;
	assert_int_equal(cot__path_eval(p, &d, inner, on_hit, &h), 0);
	assert_string_equal(h.buf, "\"v2\"");
	/* COT_J_NONE as root matches nothing */
	memset(&h, 0, sizeof h);
	h.d = &d;
	assert_int_equal(cot__path_eval(p, &d, COT_J_NONE, on_hit, &h), 0);
	assert_int_equal(h.count, 0);
	cot__path_free(p);
	cot__jdoc_dispose(&d);
}

/* A path as long as its input has as many steps; deep is fine. */
static void test_path_eval_long_path(void **state)
{
	enum { DEPTH = 500 };
	char json[DEPTH * 7 + 16], path[DEPTH * 3 + 1];
	size_t n = 0, m = 0;

	(void)state;
	for (int i = 0; i < DEPTH; i++)
		n += (size_t)sprintf(json + n, "{\"k\":");
	n += (size_t)sprintf(json + n, "true");
	for (int i = 0; i < DEPTH; i++)
		json[n++] = '}';
	json[n] = '\0';
	for (int i = 0; i < DEPTH; i++)
		m += (size_t)sprintf(path + m, i ? ".k" : "k");
	eval_case(json, path, "true");
}

/* ------------------------------------------------------------------ */
/* Out of memory */

static void test_path_parse_out_of_memory_fails_cleanly(void **state)
{
	static const char *const paths[] = {
		"a.b[0].c", "[\"a.b\"][*].x[-1]", "[\"k\"x]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		int fails, rc;

		for (fails = 0;; fails++) {
			cot__path *p = (cot__path *)1;
			cot_error err;

			cot__alloc_fail_after(fails);
			rc = cot__path_parse(&p, paths[i], &err);
			cot__alloc_fail_after(-1);
			cot__path_free(p);
			if (rc != COT_ENOMEM)
				break;
			assert_null(p);
			assert_int_equal(err.code, COT_ENOMEM);
		}
		assert_int_equal(rc, i == 2 ? COT_EINVAL : COT_OK);
		assert_true(fails >= 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_parse_valid_paths_are_accepted),
		cmocka_unit_test(test_path_free_null_is_a_no_op),
		cmocka_unit_test(
			test_path_parse_empty_is_an_error_at_column_1),
		cmocka_unit_test(
			test_path_parse_missing_key_after_dot_names_column),
		cmocka_unit_test(
			test_path_parse_stray_bracket_names_column),
		cmocka_unit_test(test_path_parse_bad_index_names_column),
		cmocka_unit_test(
			test_path_parse_index_overflow_is_an_error),
		cmocka_unit_test(
			test_path_parse_unclosed_bracket_names_column),
		cmocka_unit_test(
			test_path_parse_unterminated_quote_names_column),
		cmocka_unit_test(
			test_path_parse_text_after_bracket_names_column),
		cmocka_unit_test(
			test_path_parse_error_message_quotes_the_path),
		cmocka_unit_test(test_path_eval_keys_and_indexes),
		cmocka_unit_test(
			test_path_eval_negative_index_counts_from_end),
		cmocka_unit_test(test_path_eval_quoted_keys),
		cmocka_unit_test(
			test_path_eval_star_fans_out_in_document_order),
		cmocka_unit_test(
			test_path_eval_star_on_scalar_matches_nothing),
		cmocka_unit_test(test_path_eval_missing_matches_nothing),
		cmocka_unit_test(test_path_eval_duplicate_key_last_wins),
		cmocka_unit_test(test_path_eval_escaped_key_in_document),
		cmocka_unit_test(
			test_path_eval_callback_value_stops_early),
		cmocka_unit_test(test_path_eval_from_inner_root),
		cmocka_unit_test(test_path_eval_long_path),
		cmocka_unit_test(
			test_path_parse_out_of_memory_fails_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
