/* test_simd.c - the 16-byte operations of base/simd.h against plain
 * byte-by-byte definitions written here. tests/unit/meson.build builds
 * this file once per implementation (SSE2 where the machine has it,
 * SWAR, scalar), so each is held to the same reference and so to the
 * others: every pair of byte values for the two-operand operations,
 * every 16-byte window of random buffers of each length 0-200, and every
 * window of the corpus's strings and our fixtures'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/simd.h"
#include "corpus.h"

/* ---- the reference: one byte at a time ---- */

enum { EQ, LT, GT, OR, AND, ANDNOT, SUB, MIN, MAX, NOPS };
static const char *const op_name[NOPS] = {
	"eq", "lt", "gt", "or", "and", "andnot", "sub", "min", "max",
};

static unsigned char ref_op(int op, unsigned char a, unsigned char b)
{
	int sa = a >= 128 ? a - 256 : a, sb = b >= 128 ? b - 256 : b;

	switch (op) {
	case EQ: return a == b ? 255 : 0;
	case LT: return sa < sb ? 255 : 0;
	case GT: return sa > sb ? 255 : 0;
	case OR: return a | b;
	case AND: return a & b;
	case ANDNOT: return (unsigned char)(~a & b);
	case SUB: return (unsigned char)((a + 256 - b) % 256);
	case MIN: return a < b ? a : b;
	default: return a > b ? a : b;
	}
}

static cot__v16 apply(int op, cot__v16 a, cot__v16 b)
{
	switch (op) {
	case EQ: return cot__v16_eq(a, b);
	case LT: return cot__v16_lt(a, b);
	case GT: return cot__v16_gt(a, b);
	case OR: return cot__v16_or(a, b);
	case AND: return cot__v16_and(a, b);
	case ANDNOT: return cot__v16_andnot(a, b);
	case SUB: return cot__v16_sub(a, b);
	case MIN: return cot__v16_min(a, b);
	default: return cot__v16_max(a, b);
	}
}

static uint32_t ref_mask(const unsigned char *p)
{
	uint32_t m = 0;

	for (int k = 0; k < 16; k++)
		if (p[k] & 0x80)
			m |= (uint32_t)1 << k;
	return m;
}

/* Every operation on a, b against the reference, and its mask. */
static void check_ops(const unsigned char *a, const unsigned char *b)
{
	cot__v16 va = cot__v16_load(a), vb = cot__v16_load(b);

	for (int op = 0; op < NOPS; op++) {
		unsigned char got[16], want[16];

		cot__v16_store(got, apply(op, va, vb));
		for (int k = 0; k < 16; k++)
			want[k] = ref_op(op, a[k], b[k]);
		if (memcmp(got, want, 16) != 0) {
			for (int k = 0; k < 16; k++)
				if (got[k] != want[k])
					fail_msg("%s %s(0x%02x, 0x%02x) = 0x%02x, "
						 "not 0x%02x", COT__SIMD_NAME,
						 op_name[op], a[k], b[k],
						 got[k], want[k]);
		}
		assert_int_equal(cot__v16_mask(apply(op, va, vb)),
				 ref_mask(want));
	}
}

/* What the scanners ask of a window: a byte, a signed bound, a range,
 * lower-casing and the loads. */
static void check_window(const unsigned char *p)
{
	static const unsigned char probes[] = {
		0x00, 0x08, 0x0a, 0x0e, 0x1f, 0x20, '"', '$', '.', '0', 'A',
		'Z', '\\', '`', 'a', 'z', 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xe0,
		0xe3, 0xef, 0xff,
	};
	cot__v16 v = cot__v16_load(p);
	unsigned char back[16];

	cot__v16_store(back, v);
	assert_memory_equal(back, p, 16);
	assert_int_equal(cot__v16_mask(v), ref_mask(p));
	for (size_t q = 0; q < sizeof probes; q++) {
		unsigned char c = probes[q], lo = c, hi = (unsigned char)(c + 37);
		uint32_t eq = 0, lt = 0, gt = 0, in = 0;

		for (int k = 0; k < 16; k++) {
			uint32_t bit = (uint32_t)1 << k;

			eq |= p[k] == c ? bit : 0;
			lt |= (signed char)p[k] < (signed char)c ? bit : 0;
			gt |= (signed char)p[k] > (signed char)c ? bit : 0;
			in |= lo <= hi ? (p[k] >= lo && p[k] <= hi ? bit : 0)
				       : 0;
		}
		assert_int_equal(cot__v16_mask(cot__v16_eq1(v, c)), eq);
		assert_int_equal(
			cot__v16_mask(cot__v16_lt(v, cot__v16_splat(c))), lt);
		assert_int_equal(
			cot__v16_mask(cot__v16_gt(v, cot__v16_splat(c))), gt);
		if (lo <= hi)
			assert_int_equal(cot__v16_mask(cot__v16_within(
				v, cot__v16_splat(lo), cot__v16_splat(hi))), in);
	}
	for (int h = 0; h < 2; h++) {
		uint64_t w = 0, low = 0;

		for (int k = 7; k >= 0; k--) {
			unsigned char c = p[8 * h + k];

			w = w << 8 | c;
			low = low << 8 | (c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		assert_true(cot__load_le64(p + 8 * h) == w);
		assert_true(cot__lower8(w) == low);
		assert_int_equal(cot__load_le32(p + 8 * h), (uint32_t)w);
	}
}

static void check_buffer(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 16 <= n; i++)
		check_window(p + i);
}

/* ---- the tests ---- */

static void test_every_pair_of_bytes(void **state)
{
	(void)state;
	printf("# implementation: %s\n", COT__SIMD_NAME);
#ifdef EXPECT_TIER
	/* the build asked for this one: the header must have chosen it */
	if (COT__LITTLE_ENDIAN || strcmp(EXPECT_TIER, "scalar") == 0)
		assert_string_equal(COT__SIMD_NAME, EXPECT_TIER);
#endif
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b0 = 0; b0 < 256; b0 += 16) {
			unsigned char va[16], vb[16];

			for (int k = 0; k < 16; k++) {
				va[k] = (unsigned char)a;
				vb[k] = (unsigned char)(b0 + (unsigned)k);
			}
			check_ops(va, vb);
			check_ops(vb, va);
		}
}

/* xorshift64*, with a bias toward the bytes the scanners test for */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void fill(unsigned char *p, size_t n, uint64_t *seed)
{
	static const unsigned char common[] = {
		' ', '\n', '\t', '\\', '"', '$', '`', '.', '?', '!', '<', '{',
		'}', 's', 'w', 'A', 'Z', 'a', 'z', '0', '9', '_', 0x1c, 0x7f,
		0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xe1, 0xe3, 0xe4, 0xef, 0xff,
	};

	for (size_t i = 0; i < n; i++) {
		uint64_t r = next(seed);

		p[i] = r & 1 ? common[(r >> 8) % sizeof common]
			     : (unsigned char)(r >> 16);
	}
}

static void test_random_buffers_of_every_length(void **state)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	unsigned char buf[200], a[16], b[16];

	(void)state;
	for (size_t n = 0; n <= 200; n++) {
		for (int round = 0; round < 8; round++) {
			fill(buf, n, &seed);
			check_buffer(buf, n);
		}
	}
	for (int round = 0; round < 20000; round++) {
		fill(a, 16, &seed);
		fill(b, 16, &seed);
		check_ops(a, b);
	}
}

static size_t windows;

static bool check_string(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	/* each 16-byte window once, and the last one: every byte of
	 * the string is seen in two different lanes where it can be */
	for (size_t i = 0; i + 16 <= len; i += 16) {
		check_window(p + i);
		if (i + 17 <= len)
			check_window(p + i + 1);
		windows += 2;
	}
	return len >= 16;
}

static void test_corpus_strings(void **state)
{
	(void)state;
	if (!corpus_dir())
		skip_without_corpus();
	corpus_check_strings(check_string);
	printf("# %zu windows\n", windows);
}

static void test_fixture_strings(void **state)
{
	(void)state;
	dir_check_strings(data_dir(), check_string);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair_of_bytes),
		cmocka_unit_test(test_random_buffers_of_every_length),
		cmocka_unit_test(test_corpus_strings),
		cmocka_unit_test(test_fixture_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
