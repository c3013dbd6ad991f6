/* simd.h - 16 bytes at a time: the one place that knows how.
 *
 * The scanners look at text in blocks of 16 bytes with the operations
 * below, named after the SSE2 instructions they are. This header holds
 * three implementations, chosen at build time:
 *
 *   SSE2    the intrinsics (x86-64 always has them);
 *   SWAR    two 64-bit words, exact per byte (little-endian machines,
 *           where a word's lanes lie in memory order);
 *   scalar  a loop over the 16 bytes: the plain reference.
 *
 * -DCOT_NO_SIMD leaves out SSE2, -DCOT_NO_SWAR the SWAR tier too. The
 * three give the same answer for every input (tests/unit/test_simd.c
 * checks each against its own reference, and tests/cli/test_tiers.py
 * the whole library's output built each way).
 *
 * Compares give 0xff where true and 0x00 where not; cot__v16_mask gathers
 * the top bit of each byte, byte k into bit k. "Signed" compares read
 * bytes as int8_t, so that every byte >= 0x80 is below every ASCII one. */
#ifndef COT_SIMD_H
#define COT_SIMD_H

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define COT__LITTLE_ENDIAN 1
#else
#define COT__LITTLE_ENDIAN 0
#endif

#if defined(__SSE2__) && !defined(COT_NO_SIMD)
#define COT__SIMD_SSE2 1
#elif COT__LITTLE_ENDIAN && !defined(COT_NO_SWAR)
#define COT__SIMD_SWAR 1
#else
#define COT__SIMD_SCALAR 1
#endif

/* Whether the scanners may also treat 8 bytes as one word (the word
 * tricks of bits.h): not in the scalar tier, which reads byte by byte. */
#if defined(COT__SIMD_SCALAR)
#define COT__WORDS 0
#else
#define COT__WORDS 1
#endif

/* The 8 (4) bytes at p as one number, p[0] in the lowest byte. */
static inline uint64_t cot__load_le64(const unsigned char *p)
{
#if COT__LITTLE_ENDIAN
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
#else
	uint64_t w = 0;

	for (int k = 7; k >= 0; k--)
		w = w << 8 | p[k];
	return w;
#endif
}

static inline uint32_t cot__load_le32(const unsigned char *p)
{
#if COT__LITTLE_ENDIAN
	uint32_t w;

	memcpy(&w, p, 4);
	return w;
#else
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
#endif
}

/* The 8 bytes of x (any values) with their ASCII 'A'-'Z' lowered. The
 * sums work on the low seven bits, so no carry crosses a byte. */
static inline uint64_t cot__lower8(uint64_t x)
{
#if COT__WORDS
	const uint64_t ones = 0x0101010101010101u;
	uint64_t h = x & (ones * 0x7f);
	uint64_t ge_a = h + ones * (0x80 - 'A');
	uint64_t gt_z = h + ones * (0x80 - 'Z' - 1);
	uint64_t up = ge_a & ~gt_z & ~x & (ones * 0x80);

	return x | up >> 2;
#else
	uint64_t r = 0;

	for (int k = 0; k < 64; k += 8) {
		uint64_t c = x >> k & 0xff;

		r |= (c - 'A' < 26 ? c + 32 : c) << k;
	}
	return r;
#endif
}

#if defined(COT__SIMD_SSE2)
#include <emmintrin.h>

#define COT__SIMD_NAME "sse2"
typedef __m128i cot__v16;

static inline cot__v16 cot__v16_load(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

static inline void cot__v16_store(void *p, cot__v16 v)
{
	_mm_storeu_si128((__m128i *)p, v);
}

static inline cot__v16 cot__v16_splat(unsigned char c)
{
	return _mm_set1_epi8((char)c);
}

static inline cot__v16 cot__v16_eq(cot__v16 a, cot__v16 b)
{
	return _mm_cmpeq_epi8(a, b);
}

static inline cot__v16 cot__v16_lt(cot__v16 a, cot__v16 b)
{
	return _mm_cmplt_epi8(a, b);
}

static inline cot__v16 cot__v16_gt(cot__v16 a, cot__v16 b)
{
	return _mm_cmpgt_epi8(a, b);
}

static inline cot__v16 cot__v16_or(cot__v16 a, cot__v16 b)
{
	return _mm_or_si128(a, b);
}

static inline cot__v16 cot__v16_and(cot__v16 a, cot__v16 b)
{
	return _mm_and_si128(a, b);
}

/* ~a & b, as the instruction has it */
static inline cot__v16 cot__v16_andnot(cot__v16 a, cot__v16 b)
{
	return _mm_andnot_si128(a, b);
}

static inline cot__v16 cot__v16_sub(cot__v16 a, cot__v16 b)
{
	return _mm_sub_epi8(a, b);
}

/* unsigned */
static inline cot__v16 cot__v16_min(cot__v16 a, cot__v16 b)
{
	return _mm_min_epu8(a, b);
}

static inline cot__v16 cot__v16_max(cot__v16 a, cot__v16 b)
{
	return _mm_max_epu8(a, b);
}

static inline uint32_t cot__v16_mask(cot__v16 v)
{
	return (uint32_t)_mm_movemask_epi8(v);
}

#elif defined(COT__SIMD_SWAR)

#define COT__SIMD_NAME "swar"
typedef struct cot__v16 {
	uint64_t w[2];
} cot__v16;

#define COT__ONES ((uint64_t)0x0101010101010101u)
#define COT__HIGH (COT__ONES * 0x80)

/* The lanes whose top bit is set, as 0xff lanes. */
static inline uint64_t cot__swar_full(uint64_t h)
{
	return ((h & COT__HIGH) >> 7) * 0xff;
}

/* Top bit of each lane where a == b. The sum is on seven bits, so it
 * carries into no other lane. */
static inline uint64_t cot__swar_eq(uint64_t a, uint64_t b)
{
	uint64_t t = a ^ b;

	return ~(((t & ~COT__HIGH) + ~COT__HIGH) | t) & COT__HIGH;
}

/* Top bit of each lane where a < b, unsigned. d's top bit says whether
 * the low seven bits of a reach those of b; its subtraction borrows
 * from no other lane, as each minuend lane is at least 0x80. */
static inline uint64_t cot__swar_ltu(uint64_t a, uint64_t b)
{
	uint64_t d = (a | COT__HIGH) - (b & ~COT__HIGH);

	return ((~a & b) | (~(a ^ b) & ~d)) & COT__HIGH;
}

#define COT__SWAR_MAP(expr)                                      \
	do {                                                     \
		for (int k_ = 0; k_ < 2; k_++) {                 \
			uint64_t a_ = a.w[k_], b_ = b.w[k_];     \
			r.w[k_] = (expr);                        \
		}                                                \
	} while (0)

static inline cot__v16 cot__v16_load(const void *p)
{
	cot__v16 v;

	memcpy(v.w, p, 16);
	return v;
}

static inline void cot__v16_store(void *p, cot__v16 v)
{
	memcpy(p, v.w, 16);
}

static inline cot__v16 cot__v16_splat(unsigned char c)
{
	cot__v16 v = { { COT__ONES * c, COT__ONES * c } };

	return v;
}

static inline cot__v16 cot__v16_eq(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SWAR_MAP(cot__swar_full(cot__swar_eq(a_, b_)));
	return r;
}

/* Signed: flipping the top bits turns it into the unsigned order. */
static inline cot__v16 cot__v16_lt(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SWAR_MAP(cot__swar_full(
		cot__swar_ltu(a_ ^ COT__HIGH, b_ ^ COT__HIGH)));
	return r;
}

static inline cot__v16 cot__v16_gt(cot__v16 a, cot__v16 b)
{
	return cot__v16_lt(b, a);
}

static inline cot__v16 cot__v16_or(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SWAR_MAP(a_ | b_);
	return r;
}

static inline cot__v16 cot__v16_and(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SWAR_MAP(a_ & b_);
	return r;
}

static inline cot__v16 cot__v16_andnot(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SWAR_MAP(~a_ & b_);
	return r;
}

/* Lane by lane, modulo 256: the top bits are put back by hand. */
static inline cot__v16 cot__v16_sub(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SWAR_MAP(((a_ | COT__HIGH) - (b_ & ~COT__HIGH)) ^
		      ((a_ ^ ~b_) & COT__HIGH));
	return r;
}

static inline cot__v16 cot__v16_min(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SWAR_MAP(a_ ^ ((a_ ^ b_) & cot__swar_full(cot__swar_ltu(b_, a_))));
	return r;
}

static inline cot__v16 cot__v16_max(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SWAR_MAP(a_ ^ ((a_ ^ b_) & cot__swar_full(cot__swar_ltu(a_, b_))));
	return r;
}

/* The multiply moves the top bit of lane k to bit 56 + k, and no two
 * of its partial products meet. */
static inline uint32_t cot__v16_mask(cot__v16 v)
{
	uint32_t m = 0;

	for (int k = 0; k < 2; k++)
		m |= (uint32_t)((((v.w[k] & COT__HIGH) >> 7) *
				 0x0102040810204080u) >> 56) << (8 * k);
	return m;
}

#undef COT__SWAR_MAP

#else /* scalar */

#define COT__SIMD_NAME "scalar"
typedef struct cot__v16 {
	unsigned char b[16];
} cot__v16;

#define COT__SCALAR_MAP(expr)                                    \
	do {                                                     \
		for (int k_ = 0; k_ < 16; k_++) {                \
			unsigned char a_ = a.b[k_], b_ = b.b[k_]; \
			r.b[k_] = (unsigned char)(expr);         \
		}                                                \
	} while (0)

static inline cot__v16 cot__v16_load(const void *p)
{
	cot__v16 v;

	memcpy(v.b, p, 16);
	return v;
}

static inline void cot__v16_store(void *p, cot__v16 v)
{
	memcpy(p, v.b, 16);
}

static inline cot__v16 cot__v16_splat(unsigned char c)
{
	cot__v16 v;

	memset(v.b, c, 16);
	return v;
}

static inline cot__v16 cot__v16_eq(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SCALAR_MAP(a_ == b_ ? 0xff : 0);
	return r;
}

static inline cot__v16 cot__v16_lt(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SCALAR_MAP((signed char)a_ < (signed char)b_ ? 0xff : 0);
	return r;
}

static inline cot__v16 cot__v16_gt(cot__v16 a, cot__v16 b)
{
	return cot__v16_lt(b, a);
}

static inline cot__v16 cot__v16_or(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SCALAR_MAP(a_ | b_);
	return r;
}

static inline cot__v16 cot__v16_and(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SCALAR_MAP(a_ & b_);
	return r;
}

static inline cot__v16 cot__v16_andnot(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SCALAR_MAP(~a_ & b_);
	return r;
}

static inline cot__v16 cot__v16_sub(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SCALAR_MAP(a_ - b_);
	return r;
}

static inline cot__v16 cot__v16_min(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SCALAR_MAP(a_ < b_ ? a_ : b_);
	return r;
}

static inline cot__v16 cot__v16_max(cot__v16 a, cot__v16 b)
{
	cot__v16 r;

	COT__SCALAR_MAP(a_ > b_ ? a_ : b_);
	return r;
}

static inline uint32_t cot__v16_mask(cot__v16 v)
{
	uint32_t m = 0;

	for (int k = 0; k < 16; k++)
		m |= (uint32_t)(v.b[k] >> 7) << k;
	return m;
}

#undef COT__SCALAR_MAP

#endif

/* ---- built from the operations above, the same in every tier ---- */

static inline cot__v16 cot__v16_eq1(cot__v16 v, unsigned char c)
{
	return cot__v16_eq(v, cot__v16_splat(c));
}

/* lo <= v <= hi, unsigned */
static inline cot__v16 cot__v16_within(cot__v16 v, cot__v16 lo,
				       cot__v16 hi)
{
	return cot__v16_and(cot__v16_eq(cot__v16_max(v, lo), v),
			    cot__v16_eq(cot__v16_min(v, hi), v));
}

#endif
