/* xsum.h - exact sums of doubles and integers, mergeable bit for bit. */
#ifndef COT_XSUM_H
#define COT_XSUM_H

#include <stdbool.h>
#include <stdint.h>

/* An xsum holds a sum of doubles and 64-bit integers exactly, with no
 * rounding at all: a fixed-point integer of COT__XSUM_LIMBS * 64 bits, two's
 * complement, whose lowest bit weighs 2^-1074 (the smallest double), so
 * every finite double and every int64 is a whole number of units
 * (a "Kulisch accumulator"). Addition of integers is associative and
 * commutative, so the sum does not depend on the order of the values or
 * on how they were split between partial sums: merging two xsums gives
 * the xsum of all their values, bit for bit. Room: values below 2^1024,
 * up to 2^64 of them. */

#define COT__XSUM_LIMBS 34
/* Longest text cot__xsum_format writes, with its NUL. */
#define COT__XSUM_TEXT_MAX (2 + 4 + 1 + COT__XSUM_LIMBS * 16 + 1)

typedef struct cot__xsum {
	uint64_t w[COT__XSUM_LIMBS];	/* little-endian limbs */
} cot__xsum;

/* Start from all zero bits: `xsum s = { 0 };` is the sum 0. */
void cot__xsum_add_double(cot__xsum *s, double d);	/* d finite */
void cot__xsum_add_int(cot__xsum *s, int64_t v);
void cot__xsum_add_int_square(cot__xsum *s, int64_t v);	/* exact: v * v */
/* Add d * d exactly (Veltkamp's split: three exact products); false,
 * adding nothing, when |d| >= 2^500 (the square would not fit a
 * double). Below 2^-450 the products underflow and the square is
 * rounded, the same way in every run. */
bool cot__xsum_add_double_square(cot__xsum *s, double d);
void cot__xsum_merge(cot__xsum *dst, const cot__xsum *src);
bool cot__xsum_equal(const cot__xsum *a, const cot__xsum *b);
bool cot__xsum_is_zero(const cot__xsum *s);
/* Add sign * (w[0] + w[1] 2^64 + ... + w[n-1] 2^(64(n-1))), n <= 4,
 * exactly: the form compact integer accumulators convert through. */
void cot__xsum_add_uint(cot__xsum *s, const uint64_t *w, int n, bool neg);
/* The value as an integer: its magnitude in n limbs and its sign;
 * false when it has a fraction or does not fit n limbs. */
bool cot__xsum_get_uint(const cot__xsum *s, uint64_t *w, int n, bool *neg);
/* The value, rounded once to long double (from the top 192 bits). */
long double cot__xsum_value(const cot__xsum *s);
/* The value as an int64 when it is a whole number that fits. */
bool cot__xsum_to_int64(const cot__xsum *s, int64_t *out);
/* Exact text, for partial summaries: "0", or "[-]L:HEX" where HEX is
 * the limbs of the magnitude from the highest nonzero one down to limb
 * L, 16 hex digits each. */
void cot__xsum_format(const cot__xsum *s, char out[COT__XSUM_TEXT_MAX]);
/* Parse what cot__xsum_format wrote; false on anything else. */
bool cot__xsum_parse(cot__xsum *s, const char *text);

/* 64 x 64 -> 128 bits, without relying on a 128-bit type. */
static inline void cot__mul64(uint64_t a, uint64_t b, uint64_t *hi,
			      uint64_t *lo)
{
	uint64_t a0 = (uint32_t)a, a1 = a >> 32;
	uint64_t b0 = (uint32_t)b, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;

	*lo = (mid << 32) | (uint32_t)p00;
	*hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

#endif
