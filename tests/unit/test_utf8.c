/* test_utf8.c - the one UTF-8 decoder against a plain encoder: every
 * code point encodes to bytes it decodes back from, and any byte string
 * decodes exactly when it is the encoding of what it decodes to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_point_round_trips),
		cmocka_unit_test(test_every_short_byte_string),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
