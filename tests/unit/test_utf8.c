/* test_utf8.c - the one UTF-8 decoder against a plain encoder: every
 * code point encodes to bytes it decodes back from, any byte string
 * decodes exactly when it is the encoding of what it decodes to, and an
 * ill-formed one is skipped by its maximal subpart: the longest prefix
 * of some well-formed encoding. Then the JSON string writer, read back
 * by jansson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "cotlog.h"
#include "base/utf8.h"

/* RFC 3629's table, written out: the reference shares nothing with the
 * decoder. 0 for a surrogate or past U+10FFFF. */
static size_t encode(uint32_t cp, unsigned char *o)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static void test_every_code_point_round_trips(void **state)
{
	(void)state;
	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		unsigned char b[4];
		size_t n = encode(cp, b);
		uint32_t got = 0;

		if (!n)
			continue;
		assert_int_equal(cot__utf8_decode(b, n, &got), n);
		assert_int_equal(got, cp);
		assert_int_equal(cot__utf8_len(b, n), n);
		/* cut short, it is no sequence */
		for (size_t k = 1; k < n; k++)
			assert_int_equal(cot__utf8_len(b, k), 0);
	}
}

/* Bytes b[0..n) decode iff they begin with the encoding of the code
 * point they decode to, and the length is that encoding's. */
static void check(const unsigned char *b, size_t n)
{
	uint32_t cp = UINT32_MAX;
	size_t k = cot__utf8_decode(b, n, &cp);
	unsigned char e[4];

	if (k) {
		assert_int_equal(encode(cp, e), k);
		assert_memory_equal(e, b, k);
		return;
	}
	/* no code point encodes to a prefix of these bytes */
	for (size_t len = 1; len <= n && len <= 4; len++) {
		uint32_t v;

		if (b[0] < 0x80)
			fail_msg("ASCII refused");
		v = len == 2 ? (uint32_t)(b[0] & 0x1f) << 6 | (b[1] & 0x3f) :
		    len == 3 ? (uint32_t)(b[0] & 0x0f) << 12 |
			       (uint32_t)(b[1] & 0x3f) << 6 | (b[2] & 0x3f) :
		    len == 4 ? (uint32_t)(b[0] & 0x07) << 18 |
			       (uint32_t)(b[1] & 0x3f) << 12 |
			       (uint32_t)(b[2] & 0x3f) << 6 | (b[3] & 0x3f) :
		    UINT32_MAX;
		if (v != UINT32_MAX && encode(v, e) == len &&
		    !memcmp(e, b, len))
			fail_msg("%02x.. of %zu bytes refused", b[0], n);
	}
}

static void test_every_short_byte_string(void **state)
{
	unsigned char b[4];

	(void)state;
	for (uint32_t x = 0; x < 0x1000000; x++) {	/* every 3 bytes */
		b[0] = (unsigned char)(x >> 16);
		b[1] = (unsigned char)(x >> 8);
		b[2] = (unsigned char)x;
		check(b, 3);
		check(b, 2);
		check(b, 1);
	}
	for (uint32_t x = 0; x < 0x1000000; x++) {	/* 4 bytes, F0-F7 */
		b[0] = (unsigned char)(0xf0 | (x >> 21));
		b[1] = (unsigned char)(x >> 13);
		b[2] = (unsigned char)(0x80 | ((x >> 7) & 0x3f));
		b[3] = (unsigned char)(x << 1 | (x >> 6 & 1));
		check(b, 4);
	}
}

/* Every proper prefix of every encoding, by its bytes (3 at most):
 * the reference for maximal subparts. */
static unsigned char *prefixes;

static uint32_t key(const unsigned char *b, size_t n)
{
	uint32_t k = (uint32_t)n << 24;

	for (size_t i = 0; i < n; i++)
		k |= (uint32_t)b[i] << (16 - 8 * i);
	return k;
}

static void make_prefixes(void)
{
	if (prefixes)
		return;
	prefixes = calloc((size_t)1 << 27, 1);	/* (n, 3 bytes): a bit each */
	assert_non_null(prefixes);
	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		unsigned char e[4];
		size_t n = encode(cp, e);

		for (size_t k = 1; k < n; k++) {
			uint32_t x = key(e, k);

			prefixes[x >> 3] |= (unsigned char)(1 << (x & 7));
		}
	}
}

static bool is_prefix(const unsigned char *b, size_t n)
{
	uint32_t x = key(b, n);

	return prefixes[x >> 3] >> (x & 7) & 1;
}

/* cot_utf8_next on b[0..n): a well-formed character as the decoder has
 * it, else COT_UTF8_INVALID and the longest prefix of an encoding (at
 * least one byte). */
static void check_next(const unsigned char *b, size_t n)
{
	uint32_t cp, ref;
	size_t k = cot_utf8_next((const char *)b, n, &cp), want = 1;
	size_t dk = cot__utf8_decode(b, n, &ref);

	if (dk) {
		assert_int_equal(k, dk);
		assert_int_equal(cp, ref);
		return;
	}
	assert_int_equal(cp, COT_UTF8_INVALID);
	for (size_t j = 1; j <= n && j <= 3; j++)
		if (is_prefix(b, j))
			want = j;
	if (k != want)
		fail_msg("%02x %02x %02x (%zu bytes): subpart %zu, not %zu",
			 b[0], n > 1 ? b[1] : 0, n > 2 ? b[2] : 0, n, k, want);
}

static void test_maximal_subparts(void **state)
{
	unsigned char b[4];
	uint32_t cp;

	(void)state;
	make_prefixes();
	assert_int_equal(cot_utf8_next("", 0, &cp), 0);
	for (uint32_t x = 0; x < 0x1000000; x++) {	/* every 3 bytes */
		b[0] = (unsigned char)(x >> 16);
		b[1] = (unsigned char)(x >> 8);
		b[2] = (unsigned char)x;
		check_next(b, 3);
		check_next(b, 2);
		check_next(b, 1);
	}
	for (uint32_t x = 0; x < 0x100000; x++) {	/* F0-F4, then 3 */
		b[0] = (unsigned char)(0xf0 + x % 5);
		b[1] = (unsigned char)(x >> 3);
		b[2] = (unsigned char)(x >> 11 << 4 | (x & 7));
		b[3] = (unsigned char)(0x80 | (x & 0x3f));
		check_next(b, 4);
	}
}

/* xorshift64*, biased toward the bytes that matter to JSON and to a
 * terminal */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* What the literal must decode to: s with each maximal subpart as
 * U+FFFD (with terminal) or s itself, by the decoder under test only
 * for the lengths, which test_maximal_subparts holds to the reference. */
static size_t expected(const unsigned char *s, size_t n, bool terminal,
		       unsigned char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = cot__utf8_next(s + i, n - i, &cp);

		if (terminal && cp == COT__UTF8_BAD) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k;
	}
	return o;
}

static void check_literal(const unsigned char *s, size_t n, bool terminal)
{
	cot_buf b = COT_BUF_INIT;
	unsigned char want[3 * 64 + 1];
	size_t wn = expected(s, n, terminal, want);
	json_error_t jerr;
	json_t *v;
	bool valid = true;

	for (size_t i = 0; i < n;) {
		size_t k = cot__utf8_len(s + i, n - i);

		if (!k) {
			valid = false;
			break;
		}
		i += k;
	}
	/* appended to what the buffer holds */
	assert_int_equal(cot_json_string(&b, "x", 1, 0, NULL), COT_OK);
	assert_int_equal(cot_json_string(&b, (const char *)s, n,
					 terminal ? COT_JSON_TERMINAL : 0,
					 NULL), COT_OK);
	if (!terminal && !valid) {
		cot_buf_dispose(&b);
		return;	/* bytes in, bytes out: no JSON to read */
	}
	assert_memory_equal(b.ptr, "\"x\"", 3);
	v = json_loadb(b.ptr + 3, b.size - 3,
		       JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (!v)
		fail_msg("not JSON: %s (%s)", b.ptr, jerr.text);
	assert_int_equal(json_string_length(v), wn);
	assert_memory_equal(json_string_value(v), want, wn);
	json_decref(v);
	for (size_t i = 3; i < b.size; i++) {
		unsigned char c = (unsigned char)b.ptr[i];

		assert_true(c >= 0x20);
		if (terminal) {
			assert_true(c != 0x7f);
			assert_false(c == 0xc2 && i + 1 < b.size &&
				     (unsigned char)b.ptr[i + 1] < 0xa0);
		}
	}
	cot_buf_dispose(&b);
}

static void test_json_string_reads_back(void **state)
{
	static const unsigned char pick[] = {
		'"', '\\', '\n', '\t', '\b', '\f', '\r', 0x00, 0x01, 0x1f,
		0x7f, 'a', ' ', 0xc2, 0x80, 0x9f, 0xa0, 0xc3, 0xa9, 0xe2, 0x82,
		0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0xf4, 0x90, 0xc0,
		0xff,
	};
	unsigned char s[64];
	uint64_t seed = 77;
	cot_buf b = COT_BUF_INIT;
	cot_error err;

	(void)state;
	for (int round = 0; round < 200000; round++) {
		size_t n = rnd(&seed) % 40;

		for (size_t i = 0; i < n; i++) {
			uint64_t r = rnd(&seed);

			s[i] = r & 3 ? pick[(r >> 8) % sizeof pick]
				     : (unsigned char)(r >> 16);
		}
		check_literal(s, n, false);
		check_literal(s, n, true);
	}
	/* the exact text of the escapes */
	assert_int_equal(cot_json_string(&b, "a\"\\\n\t\x01\x7f\0z", 9, 0,
					 NULL), COT_OK);
	assert_string_equal(b.ptr, "\"a\\\"\\\\\\n\\t\\u0001\x7f\\u0000z\"");
	b.size = 0;
	assert_int_equal(cot_json_string(&b, "\x7f\xc2\x85\xc2\xa0\xe2\x82",
					 7, COT_JSON_TERMINAL, NULL), COT_OK);
	assert_string_equal(b.ptr, "\"\\u007f\\u0085\xc2\xa0\\ufffd\"");
	assert_int_equal(cot_json_string(&b, "x", 1, 2, &err), COT_EINVAL);
	assert_int_equal(err.code, COT_EINVAL);
	cot_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_point_round_trips),
		cmocka_unit_test(test_every_short_byte_string),
		cmocka_unit_test(test_maximal_subparts),
		cmocka_unit_test(test_json_string_reads_back),
	};

	int rc = cmocka_run_group_tests_name("utf8", tests, NULL, NULL);

	free(prefixes);
	return rc;
}
