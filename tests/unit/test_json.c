/* test_json.c - the JSON scanner: grammar, UTF-8, tape, decoding, jansson. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "corpus.h"
#include "record/json.h"
#include "json_compare.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Helpers */

/* Parse a copy in a buffer of exactly n bytes, so that ASan sees any read
 * past the end (the scanner loads 16 bytes at a time). */
static int parse_exact(cot__jdoc *d, char **copy, const char *s, size_t n,
		       cot_error *err)
{
	*copy = malloc(n ? n : 1);
	assert_non_null(*copy);
	if (n)
		memcpy(*copy, s, n);
	return cot__json_parse(d, *copy, n, err);
}

/* Print bytes as a C string literal for failure messages. */
static void show(const char *what, const char *s, size_t n)
{
	size_t i;

	fprintf(stderr, "%s (%zu bytes): \"", what, n);
	for (i = 0; i < n && i < 300; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "%s\"\n", i < n ? "..." : "");
}

/* ------------------------------------------------------------------ */
/* Comparing with jansson (the reference): used by every differential
 * test below. The value comparison lives in tests/json_compare.c, which
 * the fuzzer shares; the tape checks here stop at the first failure
 * with cmocka's messages. */

/* Structural invariants of the tape below token t; returns t's next. */
static uint32_t check_tape(const cot__jdoc *d, uint32_t t)
{
	const cot__jtok *k = &d->tok[t];
	const char *s = d->src;
	uint32_t c = t + 1, n = 0;

	assert_true(t < d->ntok);
	assert_true(k->next > t && k->next <= d->ntok);
	assert_true(k->off < k->end && k->end <= d->len);
	switch (k->kind) {
	case COT_J_NULL:
	case COT_J_TRUE:
	case COT_J_FALSE:
		assert_memory_equal(s + k->off,
				    k->kind == COT_J_NULL ? "null" :
				    k->kind == COT_J_TRUE ? "true" : "false",
				    k->end - k->off);
		/* fall through */
	case COT_J_NUM:
		assert_int_equal(k->next, t + 1);
		assert_int_equal(k->count, 0);
		return k->next;
	case COT_J_STR:
		assert_int_equal(k->next, t + 1);
		assert_true(k->end - k->off >= 2);
		assert_int_equal(s[k->off], '"');
		assert_int_equal(s[k->end - 1], '"');
		assert_int_equal(k->escaped, memchr(s + k->off + 1, '\\',
						    k->end - k->off - 2) !=
				 NULL);
		return k->next;
	case COT_J_ARR:
		assert_int_equal(s[k->off], '[');
		assert_int_equal(s[k->end - 1], ']');
		for (c = t + 1; c < k->next; c = check_tape(d, c))
			n++;
		break;
	case COT_J_OBJ:
		assert_int_equal(s[k->off], '{');
		assert_int_equal(s[k->end - 1], '}');
		for (c = t + 1; c < k->next; c = check_tape(d, c + 1)) {
			assert_int_equal(d->tok[c].kind, COT_J_STR);
			n++;
		}
		break;
	default:
		fail_msg("bad token kind %d", k->kind);
	}
	assert_int_equal(c, k->next);
	assert_int_equal(n, k->count);
	return k->next;
}

enum { BOTH_REJECT, BOTH_ACCEPT, ONLY_WE_ACCEPT, ONLY_JANSSON_ACCEPTS };

/* Run both parsers on s[0..n); fail the test on any disagreement that
 * SPEC 1 does not explain. */
static int differential(const char *s, size_t n)
{
	cot__jdoc d;
	cot__arena a;
	cot_error err;
	json_error_t jerr;
	json_t *j;
	char *copy;
	int rc, verdict;

	cot__jdoc_init(&d);
	cot__arena_init(&a);
	rc = parse_exact(&d, &copy, s, n, &err);
	j = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (rc == COT_OK) {
		check_tape(&d, 0);
		assert_int_equal(d.tok[0].next, d.ntok);
	} else {
		assert_int_equal(rc, COT_EPARSE);
		assert_int_equal(d.ntok, 0);
		assert_true(err.column >= 1 && err.column <= n + 1);
	}
	if (rc == COT_OK && !j) {
		if (!jcmp_known_difference(&d, 0, &a)) {
			show("input", s, n);
			fail_msg("we accept, jansson rejects: %s", jerr.text);
		}
		verdict = ONLY_WE_ACCEPT;
	} else if (rc != COT_OK && j) {
		if (!jcmp_jansson_skipped_nul(s, n, j)) {
			show("input", s, n);
			fail_msg("jansson accepts, we reject: %s",
				 err.message);
		}
		verdict = ONLY_JANSSON_ACCEPTS;
	} else if (j) {
		if (!jcmp_same_value(&d, 0, j, &a)) {
			show("input", s, n);
			fail_msg("decoded values differ from jansson's");
		}
		verdict = BOTH_ACCEPT;
	} else {
		verdict = BOTH_REJECT;
	}
	json_decref(j);
	free(copy);
	cot__arena_dispose(&a);
	cot__jdoc_dispose(&d);
	return verdict;
}

/* ------------------------------------------------------------------ */
/* Hand cases: each JSON rule, accepted and rejected */

struct hcase {
	const char *s;
	size_t n;
	int ok;
	unsigned long col;	/* expected err.column when rejected */
	const char *msg;	/* expected part of the message */
};

#define ACC(s) { s, sizeof s - 1, 1, 0, NULL }
#define REJ(s, col, msg) { s, sizeof s - 1, 0, col, msg }

static const struct hcase hand[] = {
	/* literals, numbers, strings, structure */
	ACC("null"), ACC("true"), ACC("false"),
	ACC("0"), ACC("-0"), ACC("1"), ACC("-1"), ACC("123"), ACC("1.5"),
	ACC("-1.5e10"), ACC("1e5"), ACC("1E+5"), ACC("1e-5"), ACC("0.0"),
	ACC("0e0"), ACC("1.0E-0"), ACC("-0.000001"), ACC("10"),
	ACC("\"\""), ACC("\"abc\""), ACC("[]"), ACC("{}"), ACC("[1,2,3]"),
	ACC("{\"a\":1}"), ACC(" \t\r\n1 \t\r\n"), ACC("[ ]"), ACC("{ }"),
	ACC("[ 1 , 2 ]"), ACC("{ \"a\" : [ true , null ] , \"b\" : {} }"),
	ACC("[[[]],[{}],{\"a\":{\"b\":{\"c\":[]}}}]"),
	ACC("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), ACC("\"\\u00e9\\uABCD\""),
	ACC("\"\\u0041\\u00Ff\""),
	/* UTF-8 boundaries */
	ACC("\"\xc2\x80\""), ACC("\"\xdf\xbf\""), ACC("\"\xe0\xa0\x80\""),
	ACC("\"\xed\x9f\xbf\""), ACC("\"\xee\x80\x80\""),
	ACC("\"\xef\xbf\xbf\""), ACC("\"\xf0\x90\x80\x80\""),
	ACC("\"\xf4\x8f\xbf\xbf\""), ACC("\"\xe4\xb8\xad\xe6\x96\x87\""),
	ACC("\"\xf0\x9f\x98\x80\""), ACC("\"\x7f\""),
	ACC("{\"\xc3\xa9\":\"\xe2\x88\x91\"}"),
	/* valid JSON that jansson rejects (SPEC 1) */
	ACC("123456789012345678901234567890"),
	ACC("-123456789012345678901234567890"), ACC("9223372036854775808"),
	ACC("1e400"), ACC("-1e400"), ACC("1.5e-400"), ACC("\"\\u0000\""),
	ACC("\"\\ud800\""), ACC("\"\\udc00x\""), ACC("\"\\ud800\\ud800\""),
	ACC("\"\\ud83d\\ude00\""), ACC("[\"\\uDBFF\"]"),
	ACC("{\"a\":1,\"a\":2}"), ACC("{\"\\u0000\":1}"),
	/* empty input and white space */
	REJ("", 1, "empty input"),
	REJ(" \t\r\n", 5, "only white space"),
	REJ("\f1", 1, "0x0c"), REJ("\v1", 1, "0x0b"),
	REJ("1\f", 2, "unexpected bytes after the value"),
	REJ("\xc2\xa0" "1", 1, "non-ASCII"),
	/* NaN, Infinity */
	REJ("NaN", 1, "NaN is not JSON"), REJ("[1,NaN]", 4, "NaN is not JSON"),
	REJ("Infinity", 1, "Infinity is not JSON"),
	REJ("-Infinity", 1, "-Infinity is not JSON"),
	REJ("[-Infinity]", 2, "-Infinity is not JSON"),
	REJ("nan", 1, "invalid literal"),
	/* trailing and stray commas */
	REJ("[1,2,]", 5, "trailing comma"),
	REJ("{\"a\":1,}", 7, "trailing comma"),
	REJ("[1 , \n]", 4, "trailing comma"),
	REJ("[,1]", 2, "unexpected character ','"),
	REJ("[,]", 2, "unexpected character ','"),
	REJ("{,}", 2, "expected a string key"),
	REJ("[1,,2]", 4, "unexpected character ','"),
	/* numbers */
	REJ("01", 1, "leading zero"), REJ("-01", 2, "leading zero"),
	REJ("[00]", 2, "leading zero"), REJ("1.", 3, "decimal point"),
	REJ("1.e5", 3, "decimal point"), REJ(".5", 1, "start with '.'"),
	REJ("+1", 1, "start with '+'"), REJ("1e", 3, "exponent"),
	REJ("1e+", 4, "exponent"), REJ("1E-x", 4, "exponent"),
	REJ("-", 2, "digit after '-'"), REJ("--1", 2, "digit after '-'"),
	REJ("- 1", 2, "digit after '-'"),
	REJ("0x1F", 2, "unexpected bytes after the value"),
	REJ("1 2", 3, "unexpected bytes after the value"),
	REJ("[1.5.2]", 5, "expected ',' or ']'"),
	/* quotes and comments */
	REJ("'a'", 1, "single-quoted"), REJ("{'a':1}", 2, "single-quoted"),
	REJ("[\"a\",'b']", 6, "single-quoted"),
	REJ("/* c */ 1", 1, "comments"), REJ("// c\n1", 1, "comments"),
	REJ("[1 // c\n]", 4, "comments"),
	REJ("1 /* c */", 3, "unexpected bytes after the value"),
	/* string content and escapes */
	REJ("\"a\x01" "b\"", 3, "control character 0x01"),
	REJ("\"a\tb\"", 3, "control character 0x09"),
	REJ("\"a\nb\"", 3, "control character 0x0a"),
	REJ("\"a\0b\"", 3, "control character 0x00"),
	REJ("\"\x1f\"", 2, "control character 0x1f"),
	REJ("\"\\x\"", 2, "invalid escape '\\x' in string"),
	REJ("\"\\a\"", 2, "invalid escape '\\a'"),
	REJ("\"\\U0041\"", 2, "invalid escape"),
	REJ("\"\\'\"", 2, "invalid escape"),
	REJ("\"\\\t\"", 2, "0x09"),
	REJ("\"\\u12\"", 2, "\\u escape"), REJ("\"\\u12", 2, "\\u escape"),
	REJ("\"\\uZZZZ\"", 2, "\\u escape"),
	REJ("\"\\u00G0\"", 2, "\\u escape"),
	REJ("\"\\ud800\\u\"", 8, "\\u escape"),
	REJ("\"abc", 1, "unterminated string starting at column 1"),
	REJ("[\"abc", 2, "unterminated string starting at column 2"),
	REJ("\"abc\\", 1, "unterminated string"),
	REJ("\"abc\\\"", 1, "unterminated string"),
	REJ("\"", 1, "unterminated string"),
	REJ("{\"a\":\"b}", 6, "unterminated string starting at column 6"),
	/* structure */
	REJ("{} x", 4, "unexpected bytes after the value"),
	REJ("[1]]", 4, "unexpected bytes after the value"),
	REJ("1\0", 2, "unexpected bytes after the value"),
	REJ("\"a\"\"b\"", 4, "unexpected bytes after the value"),
	REJ("[", 2, "unexpected end of input"),
	REJ("[1", 3, "unclosed array from column 1"),
	REJ("[1,", 4, "unexpected end of input"),
	REJ("{", 2, "unclosed object from column 1"),
	REJ("{\"a\"", 5, "unexpected end of input"),
	REJ("{\"a\":", 6, "unexpected end of input"),
	REJ("{\"a\":1", 7, "unexpected end of input"),
	REJ("[[1]", 5, "unclosed array from column 1"),
	REJ("[[1", 4, "unclosed array from column 2"),
	REJ("{1:2}", 2, "expected a string key"),
	REJ("{\"a\" 1}", 6, "expected ':'"),
	REJ("{\"a\",1}", 5, "expected ':'"),
	REJ("{\"a\"::1}", 6, "expected a value"),
	REJ("[1 2]", 4, "expected ',' or ']'"),
	REJ("[1:2]", 3, "expected ',' or ']'"),
	REJ("[1}", 3, "expected ',' or ']'"),
	REJ("{\"a\":1 \"b\":2}", 8, "expected ',' or '}'"),
	REJ("{\"a\":1]", 7, "expected ',' or '}'"),
	REJ("]", 1, "unexpected character ']'"),
	REJ("}", 1, "unexpected character '}'"),
	REJ(":", 1, "unexpected character ':'"),
	REJ(",", 1, "unexpected character ','"),
	/* literals */
	REJ("tru", 1, "invalid literal"), REJ("nul", 1, "expected null"),
	REJ("fals", 1, "expected false"), REJ("[tRue]", 2, "expected true"),
	REJ("True", 1, "unexpected character 'T'"),
	REJ("truex", 5, "unexpected bytes after the value"),
	REJ("nulll", 5, "unexpected bytes after the value"),
	REJ("[true false]", 7, "expected ',' or ']'"),
	/* UTF-8 in strings */
	REJ("\"\xc0\x80\"", 2, "invalid UTF-8 byte 0xc0 in string"),
	REJ("\"\xc1\xbf\"", 2, "invalid UTF-8 byte 0xc1"),
	REJ("\"\xed\xa0\x80\"", 2, "surrogate"),
	REJ("\"\xed\xbf\xbf\"", 2, "surrogate"),
	REJ("\"\xf4\x90\x80\x80\"", 2, "beyond U+10FFFF"),
	REJ("\"\xf5\x80\x80\x80\"", 2, "invalid UTF-8 byte 0xf5"),
	REJ("\"\xe0\x80\x80\"", 2, "overlong"),
	REJ("\"\xe0\x9f\xbf\"", 2, "overlong"),
	REJ("\"\xf0\x80\x80\x80\"", 2, "overlong"),
	REJ("\"\xf0\x8f\xbf\xbf\"", 2, "overlong"),
	REJ("\"\xff\"", 2, "invalid UTF-8 byte 0xff in string"),
	REJ("\"\xfe\"", 2, "invalid UTF-8 byte 0xfe"),
	REJ("\"\x80\"", 2, "continuation byte"),
	REJ("\"\xbf\"", 2, "continuation byte"),
	REJ("\"\xc3\"", 2, "followed by 0x22"),
	REJ("\"\xe4\xb8\"", 2, "followed by 0x22"),
	REJ("\"\xe4" "a\xb8\"", 2, "followed by 0x61"),
	REJ("\"\xf0\x9f\x98" "a\"", 2, "followed by 0x61"),
	REJ("\"\xe4\xb8", 2, "truncated"),
	REJ("\"\xf0\x9f\x98", 2, "truncated"),
	REJ("\"\xc3", 2, "truncated"),
	REJ("\"ab\xe4\xb8\xad\xff\"", 7, "0xff"),
	/* bytes >= 0x80 outside strings */
	REJ("\xff", 1, "invalid UTF-8 byte 0xff"),
	REJ("[1,\xff]", 4, "invalid UTF-8 byte 0xff"),
	REJ("\xc3\xa9", 1, "non-ASCII"), REJ("\xe4", 1, "truncated"),
	REJ("[1\x80]", 3, "invalid UTF-8 byte 0x80"),
	/* the reader strips a BOM; the scanner must not */
	REJ("\xef\xbb\xbf{}", 1, "byte order mark"),
	REJ("\xef\xbb\xbf", 1, "byte order mark"),
};

static void test_json_parse_hand_cases(void **state)
{
	cot__jdoc d;
	cot_error err;
	size_t i;
	char *copy;
	int rc;

	(void)state;
	cot__jdoc_init(&d);
	for (i = 0; i < sizeof hand / sizeof hand[0]; i++) {
		const struct hcase *h = &hand[i];

		memset(&err, 0, sizeof err);
		rc = parse_exact(&d, &copy, h->s, h->n, &err);
		if (h->ok && rc != COT_OK) {
			show("input", h->s, h->n);
			fail_msg("case %zu rejected: %s", i, err.message);
		}
		if (!h->ok && (rc != COT_EPARSE || err.code != COT_EPARSE ||
			       err.column != h->col ||
			       !strstr(err.message, h->msg))) {
			show("input", h->s, h->n);
			fail_msg("case %zu: rc %d, column %lu (want %lu), "
				 "message \"%s\" (want \"%s\")", i, rc,
				 (unsigned long)err.column, h->col,
				 err.message, h->msg);
		}
		if (!h->ok)
			assert_int_equal(d.ntok, 0);
		free(copy);
	}
	cot__jdoc_dispose(&d);
}

static void test_json_parse_hand_cases_match_jansson(void **state)
{
	size_t i, count[4] = { 0 }, acc = 0, v;

	(void)state;
	for (i = 0; i < sizeof hand / sizeof hand[0]; i++) {
		v = (size_t)differential(hand[i].s, hand[i].n);
		count[v]++;
		acc += hand[i].ok;
		assert_int_equal(hand[i].ok, v == BOTH_ACCEPT ||
				 v == ONLY_WE_ACCEPT);
	}
	/* The table holds 10 texts jansson wrongly rejects (3 big integers,
	 * 2 huge reals, 4 lone surrogates, a NUL in a key) and one it
	 * wrongly accepts ("1\0"). */
	assert_int_equal(count[ONLY_WE_ACCEPT], 10);
	assert_int_equal(count[ONLY_JANSSON_ACCEPTS], 1);
	assert_int_equal(count[BOTH_ACCEPT], acc - 10);
}

static void test_json_parse_message_says_what_and_where(void **state)
{
	cot__jdoc d;
	cot_error err;

	(void)state;
	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, "[1, 2, 3, x]", 12, &err),
			 COT_EPARSE);
	assert_string_equal(err.message, "unexpected character 'x' at "
			    "column 11 (expected a value)");
	assert_int_equal(err.line, 0);
	assert_int_equal(cot__json_parse(&d, "{\"k\": \"\xff\"}", 10, &err),
			 COT_EPARSE);
	assert_string_equal(err.message,
			    "invalid UTF-8 byte 0xff in string at column 8");
	assert_int_equal(cot__json_parse(&d, "  \"abc", 6, &err), COT_EPARSE);
	assert_string_equal(err.message,
			    "unterminated string starting at column 3");
	assert_int_equal(err.column, 3);
	assert_int_equal(cot__json_parse(&d, "[1,2,3,4,]", 10, &err),
			 COT_EPARSE);
	assert_string_equal(err.message, "trailing comma at column 9");
	assert_int_equal(cot__json_parse(&d, "{\"a\": 1}  x", 11, &err),
			 COT_EPARSE);
	assert_string_equal(err.message,
			    "unexpected bytes after the value at column 11");
	assert_int_equal(cot__json_parse(&d, "NaN", 3, &err), COT_EPARSE);
	assert_string_equal(err.message, "NaN is not JSON at column 1");
	/* A NULL error struct is allowed. */
	assert_int_equal(cot__json_parse(&d, "[", 1, NULL), COT_EPARSE);
	/* So is a NULL text of length 0. */
	assert_int_equal(cot__json_parse(&d, NULL, 0, &err), COT_EPARSE);
	assert_string_equal(err.message, "empty input at column 1");
	cot__jdoc_dispose(&d);
}

/* Bad bytes at every offset of strings long enough to cross the 16-byte
 * blocks of the fast path: the column must still be exact. */
static void test_json_parse_string_errors_at_every_offset(void **state)
{
	static const char *bad[] = { "\x01", "\xff", "\\x", "\xc3(", "\x1f",
				     "\xed\xa0\x80", "\\u12x4" };
	cot__jdoc d;
	cot_error err;
	char src[128], *copy;
	size_t len, i, b, bl;

	(void)state;
	cot__jdoc_init(&d);
	for (len = 0; len < 80; len++) {
		for (i = 0; i <= len; i++) {
			for (b = 0; b < sizeof bad / sizeof bad[0]; b++) {
				bl = strlen(bad[b]);
				src[0] = '"';
				memset(src + 1, 'a', len + bl);
				memcpy(src + 1 + i, bad[b], bl);
				src[len + bl + 1] = '"';
				assert_int_equal(parse_exact(&d, &copy, src,
							     len + bl + 2,
							     &err),
						 COT_EPARSE);
				assert_int_equal(err.column, i + 2);
				free(copy);
			}
			/* The closing quote found at every offset. */
			memset(src + 1, 'b', i);
			src[i + 1] = '"';
			assert_int_equal(parse_exact(&d, &copy, src, i + 2,
						     &err), COT_OK);
			assert_int_equal(d.tok[0].end, i + 2);
			free(copy);
			/* Unterminated at every length. */
			assert_int_equal(parse_exact(&d, &copy, src, i + 1,
						     &err), COT_EPARSE);
			assert_int_equal(err.column, 1);
			free(copy);
		}
	}
	cot__jdoc_dispose(&d);
}

static void nest(tbuf *b, size_t depth, const char *open,
		 const char *close)
{
	size_t i;

	b->n = 0;
	for (i = 0; i < depth; i++)
		tbuf_adds(b, open);
	tbuf_adds(b, "0");
	for (i = 0; i < depth; i++)
		tbuf_adds(b, close);
}

static void test_json_parse_depth_2048_accepted_2049_rejected(void **state)
{
	tbuf b = { 0 };
	cot__jdoc d;
	cot_error err;
	char *copy;

	(void)state;
	cot__jdoc_init(&d);
	nest(&b, 2048, "[", "]");
	assert_int_equal(parse_exact(&d, &copy, b.p, b.n, &err), COT_OK);
	assert_int_equal(d.ntok, 2049);
	free(copy);
	nest(&b, 2049, "[", "]");
	assert_int_equal(parse_exact(&d, &copy, b.p, b.n, &err), COT_EPARSE);
	assert_int_equal(err.column, 2049);
	assert_string_equal(err.message,
			    "nesting deeper than 2048 at column 2049");
	free(copy);
	nest(&b, 2048, "{\"a\":", "}");
	assert_int_equal(parse_exact(&d, &copy, b.p, b.n, &err), COT_OK);
	free(copy);
	/* jansson counts the 0 as level 2049 */
	assert_int_equal(differential(b.p, b.n), ONLY_WE_ACCEPT);
	nest(&b, 2049, "{\"a\":", "}");
	assert_int_equal(parse_exact(&d, &copy, b.p, b.n, &err), COT_EPARSE);
	assert_int_equal(err.column, 2048 * 5 + 1);
	free(copy);
	assert_int_equal(differential(b.p, b.n), BOTH_REJECT);
	/* Deep and unclosed: an error, not a crash. */
	b.n = 0;
	while (b.n < 5000)
		tbuf_adds(&b, "[");
	assert_int_equal(parse_exact(&d, &copy, b.p, b.n, &err), COT_EPARSE);
	assert_int_equal(err.column, 2049);
	free(copy);
	free(b.p);
	cot__jdoc_dispose(&d);
}

/* ------------------------------------------------------------------ */
/* Decoding */

static void expect_str(const char *json, const char *want, size_t wlen)
{
	cot__jdoc d;
	cot__arena a;
	cot_error err;
	const char *s;
	size_t n;

	cot__jdoc_init(&d);
	cot__arena_init(&a);
	if (cot__json_parse(&d, json, strlen(json), &err) != COT_OK)
		fail_msg("%s: %s", json, err.message);
	assert_int_equal(d.tok[0].kind, COT_J_STR);
	assert_int_equal(cot__json_str(&d, 0, &a, &s, &n), COT_OK);
	if (n != wlen || memcmp(s, want, n) != 0) {
		show("got", s, n);
		show("want", want, wlen);
		fail_msg("decoding %s", json);
	}
	assert_true(cot__json_str_eq(&d, 0, want, wlen));
	if (wlen)
		assert_false(cot__json_str_eq(&d, 0, want, wlen - 1));
	assert_false(cot__json_str_eq(&d, 0, "\xff", 1));
	cot__arena_dispose(&a);
	cot__jdoc_dispose(&d);
}

#define EXPECT_STR(json, want) expect_str(json, want, sizeof want - 1)

static void test_json_str_decodes_spec_cases(void **state)
{
	(void)state;
	EXPECT_STR("\"\\u0000\"", "\0");
	EXPECT_STR("\"a\\u0000b\"", "a\0b");
	EXPECT_STR("\"\\ud800\"", "\xef\xbf\xbd");
	EXPECT_STR("\"\\udc00x\"", "\xef\xbf\xbdx");
	EXPECT_STR("\"\\ud800\\ud800\"", "\xef\xbf\xbd\xef\xbf\xbd");
	EXPECT_STR("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80");
	EXPECT_STR("\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80");
	EXPECT_STR("\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf");
	EXPECT_STR("\"\\ud800\\ud83d\\ude00\"",
		   "\xef\xbf\xbd\xf0\x9f\x98\x80");
	EXPECT_STR("\"\\ud83d\\u0041\"", "\xef\xbf\xbd" "A");
	EXPECT_STR("\"\\ud83d\\\\ude00\"", "\xef\xbf\xbd\\ude00");
	EXPECT_STR("\"\\ude00\\ud83d\"", "\xef\xbf\xbd\xef\xbf\xbd");
	EXPECT_STR("\"\\udc00\\udc00\"", "\xef\xbf\xbd\xef\xbf\xbd");
	EXPECT_STR("\"x\\ud83d\"", "x\xef\xbf\xbd");
}

static void test_json_str_decodes_escapes(void **state)
{
	(void)state;
	EXPECT_STR("\"\"", "");
	EXPECT_STR("\"plain\"", "plain");
	EXPECT_STR("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t");
	EXPECT_STR("\"\\u0041\\u00e9\\u4e2d\\u20AC\"",
		   "A\xc3\xa9\xe4\xb8\xad\xe2\x82\xac");
	EXPECT_STR("\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"",
		   "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf");
	EXPECT_STR("\"line one\\nline two\\n\\n\xe4\xb8\xad\\t$x$\"",
		   "line one\nline two\n\n\xe4\xb8\xad\t$x$");
	EXPECT_STR("\"ends with escape\\n\"", "ends with escape\n");
	EXPECT_STR("\"\\nstarts with one\"", "\nstarts with one");
}

static void test_json_str_in_place_when_not_escaped(void **state)
{
	static const char src[] = "[\"abc\",\"a\\nb\",1]";
	cot__jdoc d;
	cot__arena a;
	const char *s;
	size_t n;

	(void)state;
	cot__jdoc_init(&d);
	cot__arena_init(&a);
	assert_int_equal(cot__json_parse(&d, src, sizeof src - 1, NULL),
			 COT_OK);
	assert_int_equal(cot__json_str(&d, 1, &a, &s, &n), COT_OK);
	assert_ptr_equal(s, src + 2);
	assert_int_equal(n, 3);
	assert_null(a.head);	/* nothing allocated */
	assert_int_equal(cot__json_str(&d, 2, &a, &s, &n), COT_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(s, "a\nb", 4);	/* NUL-terminated too */
	assert_int_equal(cot__json_str(&d, 3, &a, &s, &n), COT_EINVAL);
	assert_null(s);
	assert_int_equal(cot__json_str(&d, 0, &a, &s, &n), COT_EINVAL);
	assert_int_equal(cot__json_str(&d, COT_J_NONE, &a, &s, &n),
			 COT_EINVAL);
	assert_int_equal(cot__json_str(&d, 4, &a, &s, &n), COT_EINVAL);
	cot__arena_dispose(&a);
	cot__jdoc_dispose(&d);
}

static void test_json_str_eq_compares_decoded_text(void **state)
{
	static const char src[] =
		"[\"ab\",\"a\\u0062\",\"\\u0000\",\"\",\"\\ud800\","
		"\"a\\\\b\"]";
	cot__jdoc d;

	(void)state;
	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, src, sizeof src - 1, NULL),
			 COT_OK);
	assert_true(cot__json_str_eq(&d, 1, "ab", 2));
	assert_false(cot__json_str_eq(&d, 1, "abc", 3));
	assert_false(cot__json_str_eq(&d, 1, "a", 1));
	assert_false(cot__json_str_eq(&d, 1, "aB", 2));
	assert_true(cot__json_str_eq(&d, 2, "ab", 2));
	assert_false(cot__json_str_eq(&d, 2, "ab\0", 3));
	assert_false(cot__json_str_eq(&d, 2, "a", 1));
	assert_false(cot__json_str_eq(&d, 2, "a\\u0062", 7));
	assert_false(cot__json_str_eq(&d, 2, "abab", 4));
	assert_true(cot__json_str_eq(&d, 3, "\0", 1));
	assert_false(cot__json_str_eq(&d, 3, "", 0));
	assert_true(cot__json_str_eq(&d, 4, "", 0));
	assert_true(cot__json_str_eq(&d, 4, NULL, 0));
	assert_false(cot__json_str_eq(&d, 4, "x", 1));
	assert_true(cot__json_str_eq(&d, 5, "\xef\xbf\xbd", 3));
	assert_false(cot__json_str_eq(&d, 5, "\xef\xbf", 2));
	assert_true(cot__json_str_eq(&d, 6, "a\\b", 3));
	assert_false(cot__json_str_eq(&d, 0, "", 0));	/* an array */
	assert_false(cot__json_str_eq(&d, COT_J_NONE, "", 0));
	cot__jdoc_dispose(&d);
}

/* ------------------------------------------------------------------ */
/* Tape structure */

static void test_json_parse_tape_layout(void **state)
{
	static const char src[] = " [1, [2,3] ,{\"a\":4}, \"x\", true] ";
	static const struct { int kind; uint32_t next, count; size_t off,
		end; } want[] = {
		{ COT_J_ARR, 10, 5, 1, 31 },
		{ COT_J_NUM, 2, 0, 2, 3 },
		{ COT_J_ARR, 5, 2, 5, 10 },
		{ COT_J_NUM, 4, 0, 6, 7 },
		{ COT_J_NUM, 5, 0, 8, 9 },
		{ COT_J_OBJ, 8, 1, 12, 19 },
		{ COT_J_STR, 7, 0, 13, 16 },
		{ COT_J_NUM, 8, 0, 17, 18 },
		{ COT_J_STR, 9, 0, 21, 24 },
		{ COT_J_TRUE, 10, 0, 26, 30 },
	};
	cot__jdoc d;
	uint32_t i;

	(void)state;
	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, src, sizeof src - 1, NULL),
			 COT_OK);
	assert_ptr_equal(d.src, src);
	assert_int_equal(d.len, sizeof src - 1);
	assert_int_equal(d.ntok, 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(d.tok[i].kind, want[i].kind);
		assert_int_equal(d.tok[i].next, want[i].next);
		assert_int_equal(d.tok[i].count, want[i].count);
		assert_int_equal(d.tok[i].off, want[i].off);
		assert_int_equal(d.tok[i].end, want[i].end);
		assert_int_equal(d.tok[i].escaped, 0);
	}
	assert_int_equal(cot__json_kind(&d, 9), COT_J_TRUE);
	assert_int_equal(cot__json_kind(&d, COT_J_NONE), -1);
	cot__jdoc_dispose(&d);
}

static void test_json_parse_number_spans(void **state)
{
	static const char *nums[] = { "0", "-0", "12", "-1.25e+10", "1E400",
				      "123456789012345678901234567890",
				      "0.5e-0", "-9.0" };
	char src[64];
	cot__jdoc d;
	size_t i, n;

	(void)state;
	cot__jdoc_init(&d);
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		n = (size_t)snprintf(src, sizeof src, "[ %s ]", nums[i]);
		assert_int_equal(cot__json_parse(&d, src, n, NULL), COT_OK);
		assert_int_equal(d.tok[1].kind, COT_J_NUM);
		assert_int_equal(d.tok[1].off, 2);
		assert_int_equal(d.tok[1].end, 2 + strlen(nums[i]));
		/* and alone, where the span ends the input */
		n = strlen(nums[i]);
		assert_int_equal(cot__json_parse(&d, nums[i], n, NULL),
				 COT_OK);
		assert_int_equal(d.tok[0].end, n);
	}
	cot__jdoc_dispose(&d);
}

static void test_json_at_counts_from_both_ends(void **state)
{
	static const char src[] = "[10,[20,21],{\"k\":[]},\"s\"]";
	cot__jdoc d;

	(void)state;
	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, src, sizeof src - 1, NULL),
			 COT_OK);
	assert_int_equal(cot__json_at(&d, 0, 0), 1);
	assert_int_equal(cot__json_at(&d, 0, 1), 2);
	assert_int_equal(cot__json_at(&d, 0, 2), 5);
	assert_int_equal(cot__json_at(&d, 0, 3), 8);
	assert_int_equal(cot__json_at(&d, 0, 4), COT_J_NONE);
	assert_int_equal(cot__json_at(&d, 0, -1), 8);
	assert_int_equal(cot__json_at(&d, 0, -4), 1);
	assert_int_equal(cot__json_at(&d, 0, -5), COT_J_NONE);
	assert_int_equal(cot__json_at(&d, 0, LONG_MIN), COT_J_NONE);
	assert_int_equal(cot__json_at(&d, 0, LONG_MAX), COT_J_NONE);
	assert_int_equal(cot__json_at(&d, 2, -1), 4);
	assert_int_equal(cot__json_at(&d, 2, 0), 3);
	assert_int_equal(cot__json_at(&d, 7, 0), COT_J_NONE);	/* [] */
	assert_int_equal(cot__json_at(&d, 7, -1), COT_J_NONE);
	assert_int_equal(cot__json_at(&d, 1, 0), COT_J_NONE);	/* a number */
	assert_int_equal(cot__json_at(&d, 5, 0), COT_J_NONE);	/* an object */
	assert_int_equal(cot__json_at(&d, COT_J_NONE, 0), COT_J_NONE);
	assert_int_equal(cot__json_at(&d, 99, 0), COT_J_NONE);
	cot__jdoc_dispose(&d);
}

static void test_json_first_of_containers_only(void **state)
{
	static const char src[] = "[[],{},{\"a\":1},[2],\"s\"]";
	cot__jdoc d;

	(void)state;
	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, src, sizeof src - 1, NULL),
			 COT_OK);
	assert_int_equal(cot__json_first(&d, 0), 1);
	assert_int_equal(cot__json_first(&d, 1), COT_J_NONE);	/* [] */
	assert_int_equal(cot__json_first(&d, 2), COT_J_NONE);	/* {} */
	assert_int_equal(cot__json_first(&d, 3), 4);	/* key "a" */
	assert_int_equal(cot__json_first(&d, 6), 7);
	assert_int_equal(cot__json_first(&d, 7), COT_J_NONE);	/* 2 */
	assert_int_equal(cot__json_first(&d, 8), COT_J_NONE);	/* "s" */
	assert_int_equal(cot__json_first(&d, COT_J_NONE), COT_J_NONE);
	assert_int_equal(cot__json_first(&d, 9), COT_J_NONE);
	cot__jdoc_dispose(&d);
}

static void test_json_get_last_duplicate_wins(void **state)
{
	static const char src[] = "{\"a\":1,\"b\":{\"a\":9},\"a\":2,"
				  "\"a\\u0062\":3,\"\":4,\"n\\u0000l\":5,"
				  "\"\\u00e9\":6,\"ab\":7}";
	cot__jdoc d;
	uint32_t v;

	(void)state;
	cot__jdoc_init(&d);
	assert_int_equal(cot__json_parse(&d, src, sizeof src - 1, NULL),
			 COT_OK);
	v = cot__json_get(&d, 0, "a", 1);
	assert_int_not_equal(v, COT_J_NONE);
	assert_int_equal(d.src[d.tok[v].off], '2');
	v = cot__json_get(&d, 0, "ab", 2);	/* "a\u0062", then "ab" */
	assert_int_equal(d.src[d.tok[v].off], '7');
	v = cot__json_get(&d, 0, "", 0);
	assert_int_equal(d.src[d.tok[v].off], '4');
	v = cot__json_get(&d, 0, "n\0l", 3);
	assert_int_equal(d.src[d.tok[v].off], '5');
	v = cot__json_get(&d, 0, "\xc3\xa9", 2);
	assert_int_equal(d.src[d.tok[v].off], '6');
	v = cot__json_get(&d, 0, "b", 1);
	assert_int_equal(d.tok[v].kind, COT_J_OBJ);
	v = cot__json_get(&d, v, "a", 1);
	assert_int_equal(d.src[d.tok[v].off], '9');
	assert_int_equal(cot__json_get(&d, 0, "n", 1), COT_J_NONE);
	assert_int_equal(cot__json_get(&d, 0, "abc", 3), COT_J_NONE);
	assert_int_equal(cot__json_get(&d, 0, "A", 1), COT_J_NONE);
	assert_int_equal(cot__json_get(&d, 1, "a", 1), COT_J_NONE);
	assert_int_equal(cot__json_get(&d, COT_J_NONE, "a", 1), COT_J_NONE);
	assert_int_equal(cot__json_get(&d, 999, "a", 1), COT_J_NONE);
	{
		/* every key of a wide object is found: its key bits
		 * have no false "absent" */
		char big[8192], key[16];
		size_t n = 0;

		big[n++] = '{';
		for (int k = 0; k < 300; k++)
			n += (size_t)snprintf(big + n, sizeof big - n,
					      "%s\"%c%d\":%d", k ? "," : "",
					      'a' + k % 26, k * 7, k);
		big[n++] = '}';
		assert_int_equal(cot__json_parse(&d, big, n, NULL), COT_OK);
		for (int k = 0; k < 300; k++) {
			int len = snprintf(key, sizeof key, "%c%d",
					   'a' + k % 26, k * 7);

			v = cot__json_get(&d, 0, key, (size_t)len);
			assert_int_not_equal(v, COT_J_NONE);
			assert_int_equal(atoi(d.src + d.tok[v].off), k);
			key[0] = 'A';
			assert_int_equal(cot__json_get(&d, 0, key, (size_t)len),
					 COT_J_NONE);
		}
	}
	assert_int_equal(cot__json_parse(&d, "[\"a\",1]", 7, NULL), COT_OK);
	assert_int_equal(cot__json_get(&d, 0, "a", 1), COT_J_NONE);
	assert_int_equal(cot__json_parse(&d, "{}", 2, NULL), COT_OK);
	assert_int_equal(cot__json_get(&d, 0, "a", 1), COT_J_NONE);
	cot__jdoc_dispose(&d);
}

static void test_json_parse_reuses_doc(void **state)
{
	tbuf b = { 0 };
	cot__jdoc d;
	cot_error err;
	int i;

	(void)state;
	cot__jdoc_init(&d);
	tbuf_adds(&b, "[");
	for (i = 0; i < 5000; i++)
		tbuf_adds(&b, i ? ",1" : "1");
	tbuf_adds(&b, "]");
	assert_int_equal(cot__json_parse(&d, b.p, b.n, &err), COT_OK);
	assert_int_equal(d.ntok, 5001);
	assert_true(d.cap >= 5001);
	assert_int_equal(cot__json_parse(&d, "[1, 2", 5, &err), COT_EPARSE);
	assert_int_equal(d.ntok, 0);
	assert_int_equal(cot__json_parse(&d, "7", 1, &err), COT_OK);
	assert_int_equal(d.ntok, 1);
	assert_int_equal(d.tok[0].kind, COT_J_NUM);
	free(b.p);
	cot__jdoc_dispose(&d);
	cot__jdoc_dispose(&d);	/* disposing twice is harmless */
}

/* ------------------------------------------------------------------ */
/* Out of memory */

static void test_json_parse_out_of_memory_loop(void **state)
{
	tbuf b = { 0 };
	cot__jdoc d;
	cot__arena a;
	cot_error err;
	const char *s;
	size_t n;
	long fails;
	uint32_t t;
	int i, rc;

	(void)state;
	/* ~4000 tokens (the tape grows 5 times) and ~400 KB of escaped
	 * strings (the arena grows a few chunks). */
	tbuf_adds(&b, "{\"items\":[");
	for (i = 0; i < 2000; i++) {
		tbuf_adds(&b, i ? ",\"" : "\"");
		tbuf_adds(&b, "step\\none \\u4e2d\\ud83d\\ude00 \\\"q\\\" ");
		tbuf_adds(&b, "some longer text to make the string a bit ");
		tbuf_adds(&b, "longer than the others\\tand\\u0000\",7");
	}
	tbuf_adds(&b, "]}");
	for (fails = 0;; fails++) {
		cot__jdoc_init(&d);
		cot__arena_init(&a);
		cot__alloc_fail_after(fails);
		rc = cot__json_parse(&d, b.p, b.n, &err);
		for (t = 0; rc == COT_OK && t < d.ntok; t++)
			if (d.tok[t].kind == COT_J_STR)
				rc = cot__json_str(&d, t, &a, &s, &n);
		cot__alloc_fail_after(-1);
		if (rc == COT_OK)
			assert_int_equal(d.ntok, 4003);
		else
			assert_int_equal(rc, COT_ENOMEM);
		/* The doc is still usable after a failure. */
		if (rc != COT_OK && fails < 5) {
			assert_int_equal(cot__json_parse(&d, b.p, b.n, &err),
					 COT_OK);
			assert_int_equal(d.ntok, 4003);
		}
		cot__arena_dispose(&a);
		cot__jdoc_dispose(&d);
		if (rc == COT_OK)
			break;
	}
	assert_true(fails >= 7);
	free(b.p);
}

/* ------------------------------------------------------------------ */
/* Differential tests against jansson */

struct corpus_counts {
	size_t records, only_we;
};

static bool blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static void corpus_check(const char *s, size_t n, void *ctx)
{
	struct corpus_counts *cc = ctx;

	cc->records++;
	if (differential(s, n) == ONLY_WE_ACCEPT)
		cc->only_we++;
}

/* The reader's job, done here as SPEC 1 says: BOM (skipped by the
 * callers), CR LF, blank lines. */
static void corpus_check_line(const char *s, size_t n, void *ctx)
{
	if (n && s[n - 1] == '\r')
		n--;
	if (!blank(s, n))
		corpus_check(s, n, ctx);
}

static size_t bom_len(const char *data, size_t len)
{
	return len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

static void corpus_jsonl_file(const char *path, void *ctx)
{
	size_t len, bom;
	char *data = read_whole_file(path, &len);

	bom = bom_len(data, len);
	for_each_line(data + bom, len - bom, corpus_check_line, ctx);
	free(data);
}

static void corpus_json_file(const char *path, void *ctx)
{
	size_t len, bom;
	char *data = read_whole_file(path, &len);

	bom = bom_len(data, len);
	corpus_check(data + bom, len - bom, ctx);
	free(data);
}

static void test_json_parse_corpus_matches_jansson(void **state)
{
	struct corpus_counts cc = { 0, 0 };

	(void)state;
	if (!corpus_dir()) {
		skip_without_corpus();
		return;
	}
	corpus_for_each_file(".jsonl", corpus_jsonl_file, &cc);
	corpus_for_each_file(".json", corpus_json_file, &cc);
	print_message("# corpus: %zu records, %zu valid JSON only we accept\n",
		      cc.records, cc.only_we);
	assert_true(cc.records > 0);
}

/* The same on the fixtures (tests/data): every shape of the corpus. */
static void test_json_parse_fixtures_match_jansson(void **state)
{
	struct corpus_counts cc = { 0, 0 };

	(void)state;
	dir_for_each_file(data_dir(), ".jsonl", corpus_jsonl_file, &cc);
	dir_for_each_file(data_dir(), ".json", corpus_json_file, &cc);
	print_message("# fixtures: %zu records, %zu valid JSON only we "
		      "accept\n", cc.records, cc.only_we);
	/* what make.py writes: 442 lines (343 of them the chunks of
	 * streams), 3 documents; and tests/data/tokens: 17 tokenizer
	 * files (15 of them refused), 5 lines of records */
	assert_int_equal(cc.records, 445 + 17 + 5);
}

/* A fixed-seed generator: valid documents, then mutations of them. */
static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1du) >> 33) % n;
}

static void gen_ws(tbuf *b)
{
	static const char *ws[] = { " ", "\n", "\t", "\r\n", "  " };

	if (rnd(4) == 0)
		tbuf_adds(b, ws[rnd(5)]);
}

static void gen_string(tbuf *b)
{
	static const char *pieces[] = {
		"a", "b", "Z", " ", "0", "\\n", "\\t", "\\\"", "\\\\", "\\/",
		"\\b", "\\f", "\\r", "\\u0041", "\\u00e9", "\\u4E2D",
		"\\u0000", "\\ud83d\\ude00", "\\ud800", "\\udc00", "\\uDBFF",
		"\\uffff", "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80",
		"\xe2\x88\x91", "\x7f", "'", "/", "step ", "Wait, ",
	};
	uint32_t n = rnd(8) == 0 ? 20 + rnd(120) : rnd(8), i;

	tbuf_adds(b, "\"");
	for (i = 0; i < n; i++) {
		/* Mostly plain text, as in real traces. */
		if (rnd(3))
			tbuf_adds(b, &"abcdefghijklmnopqrstuvwxyz"[rnd(26)]);
		else
			tbuf_adds(b, pieces[rnd(sizeof pieces /
					       sizeof pieces[0])]);
	}
	tbuf_adds(b, "\"");
}

static void gen_number(tbuf *b)
{
	static const char *nums[] = {
		"0", "-0", "1", "-1", "42", "3.25", "-0.5", "1e5", "1E-3",
		"2.5e+10", "123456789", "9223372036854775807",
		"-9223372036854775808", "9223372036854775808",
		"123456789012345678901234567890", "1e308", "1e309", "-1e400",
		"1e-400", "0.1", "100",
	};

	tbuf_adds(b, nums[rnd(sizeof nums / sizeof nums[0])]);
}

static void gen_value(tbuf *b, int depth)
{
	uint32_t k = rnd(depth > 5 ? 5 : 8), n, i;

	gen_ws(b);
	switch (k) {
	case 0:
		tbuf_adds(b, rnd(3) == 0 ? "null" : rnd(2) ? "true" : "false");
		break;
	case 1:
	case 2:
		gen_number(b);
		break;
	case 3:
	case 4:
		gen_string(b);
		break;
	case 5:
	case 6:
		n = rnd(5);
		tbuf_adds(b, "[");
		for (i = 0; i < n; i++) {
			if (i)
				tbuf_adds(b, ",");
			gen_value(b, depth + 1);
		}
		gen_ws(b);
		tbuf_adds(b, "]");
		break;
	default:
		n = rnd(5);
		tbuf_adds(b, "{");
		for (i = 0; i < n; i++) {
			if (i)
				tbuf_adds(b, ",");
			gen_ws(b);
			if (rnd(4) == 0)
				tbuf_adds(b, "\"dup\"");
			else
				gen_string(b);
			gen_ws(b);
			tbuf_adds(b, ":");
			gen_value(b, depth + 1);
		}
		gen_ws(b);
		tbuf_adds(b, "}");
		break;
	}
	gen_ws(b);
}

static void mutate(tbuf *b)
{
	static const char *tokens[] = {
		",]", ",}", "\\u", "\\ud800", "\\udc00", "\"", "\\", "1e400",
		"12345678901234567890123", "NaN", "-", "01", "tru", "\xc0\x80",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xef\xbb\xbf", ",", ":",
		"[", "{", "]", "}", "\\x", "\\u12", "\t", "/*", "'", "1.",
		".5", "+1", "1e", "-Infinity", "\xe4\xb8", "\xf0\x9f\x98",
	};
	static const unsigned char bytes[] = {
		'"', '\\', ',', ']', '}', '[', '{', ':', '0', '9', '-', '.',
		'e', 'u', ' ', '\n', 0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc2, 0xc3,
		0xe0, 0xe4, 0xed, 0xf0, 0xf4, 0xff, 'a', 't', 'n',
	};
	uint32_t m = 1 + rnd(3), pos;
	const char *tok;
	size_t tl;
	unsigned char c;

	while (m--) {
		pos = b->n ? rnd((uint32_t)b->n + 1) : 0;
		switch (rnd(6)) {
		case 0:	/* flip a bit */
			if (pos < b->n)
				b->p[pos] ^= (char)(1u << rnd(8));
			break;
		case 1:	/* overwrite with an interesting byte */
			if (pos < b->n)
				b->p[pos] = (char)bytes[rnd(sizeof bytes)];
			break;
		case 2:	/* insert an interesting byte */
			c = bytes[rnd(sizeof bytes)];
			tbuf_add(b, "", 1);
			memmove(b->p + pos + 1, b->p + pos, b->n - 1 - pos);
			b->p[pos] = (char)c;
			break;
		case 3:	/* delete a few bytes */
			tl = 1 + rnd(3);
			if (pos + tl <= b->n) {
				memmove(b->p + pos, b->p + pos + tl,
					b->n - pos - tl);
				b->n -= tl;
			}
			break;
		case 4:	/* splice in a token */
			tok = tokens[rnd(sizeof tokens / sizeof tokens[0])];
			tl = strlen(tok);
			tbuf_add(b, tok, tl);
			memmove(b->p + pos + tl, b->p + pos,
				b->n - tl - pos);
			memcpy(b->p + pos, tok, tl);
			break;
		default:	/* truncate */
			b->n = pos;
			break;
		}
	}
}

static void test_json_parse_random_matches_jansson(void **state)
{
	tbuf b = { 0 }, seed = { 0 };
	size_t i, h, count[4] = { 0 };

	(void)state;
	for (i = 0; i < 200000; i++) {
		seed.n = 0;
		h = rnd(8);
		if (h == 0) {
			h = rnd(sizeof hand / sizeof hand[0]);
			tbuf_add(&seed, hand[h].s, hand[h].n);
		} else {
			gen_value(&seed, 0);
		}
		b.n = 0;
		tbuf_add(&b, seed.p, seed.n);
		/* One in four stays valid; the others are mutated. */
		if (rnd(4))
			mutate(&b);
		count[differential(b.p, b.n)]++;
	}
	print_message("# random: %zu both accept, %zu both reject, %zu only "
		      "we accept, %zu only jansson (NUL)\n",
		      count[BOTH_ACCEPT], count[BOTH_REJECT],
		      count[ONLY_WE_ACCEPT], count[ONLY_JANSSON_ACCEPTS]);
	/* The mix must exercise all three outcomes substantially. */
	assert_true(count[BOTH_ACCEPT] > 20000);
	assert_true(count[BOTH_REJECT] > 20000);
	assert_true(count[ONLY_WE_ACCEPT] > 2000);
	free(b.p);
	free(seed.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parse_hand_cases),
		cmocka_unit_test(test_json_parse_hand_cases_match_jansson),
		cmocka_unit_test(test_json_parse_message_says_what_and_where),
		cmocka_unit_test(
			test_json_parse_string_errors_at_every_offset),
		cmocka_unit_test(
			test_json_parse_depth_2048_accepted_2049_rejected),
		cmocka_unit_test(test_json_str_decodes_spec_cases),
		cmocka_unit_test(test_json_str_decodes_escapes),
		cmocka_unit_test(test_json_str_in_place_when_not_escaped),
		cmocka_unit_test(test_json_str_eq_compares_decoded_text),
		cmocka_unit_test(test_json_parse_tape_layout),
		cmocka_unit_test(test_json_parse_number_spans),
		cmocka_unit_test(test_json_at_counts_from_both_ends),
		cmocka_unit_test(test_json_first_of_containers_only),
		cmocka_unit_test(test_json_get_last_duplicate_wins),
		cmocka_unit_test(test_json_parse_reuses_doc),
		cmocka_unit_test(test_json_parse_out_of_memory_loop),
		cmocka_unit_test(test_json_parse_corpus_matches_jansson),
		cmocka_unit_test(test_json_parse_fixtures_match_jansson),
		cmocka_unit_test(test_json_parse_random_matches_jansson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
