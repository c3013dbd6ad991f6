/* bits.h - bit and byte tricks the scanners share. */
#ifndef COT_BITS_H
#define COT_BITS_H

#include <stdint.h>

/* The index of the lowest set bit of x (x != 0). */
static inline unsigned cot__ctz32(uint32_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctz(x);
#else
	unsigned n = 0;

	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/* The set bits of x. Without -mpopcnt, __builtin_popcount is a libgcc
 * call: then by hand. */
static inline unsigned cot__popcount32(uint32_t x)
{
#if defined(__GNUC__) && defined(__POPCNT__)
	return (unsigned)__builtin_popcount(x);
#else
	x = x - ((x >> 1) & 0x55555555);
	x = (x & 0x33333333) + ((x >> 2) & 0x33333333);
	x = (x + (x >> 4)) & 0x0f0f0f0f;
	return (x * 0x01010101) >> 24;
#endif
}

/* The set bits of a and of b, at once: *pa and *pb. Without the popcnt
 * instruction one count by hand costs what two cost here. */
static inline void cot__popcount2x32(uint32_t a, uint32_t b, unsigned *pa,
				     unsigned *pb)
{
#if defined(__GNUC__) && defined(__POPCNT__)
	*pa = (unsigned)__builtin_popcount(a);
	*pb = (unsigned)__builtin_popcount(b);
#else
	uint64_t x = (uint64_t)b << 32 | a;

	x = x - ((x >> 1) & 0x5555555555555555u);
	x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
	/* byte 3 sums bytes 0-3 (a), byte 7 bytes 4-7 (b): no carries,
	 * each sum is at most 32 */
	x *= 0x01010101u;
	*pa = (unsigned)(x >> 24 & 0xff);
	*pb = (unsigned)(x >> 56);
#endif
}

#endif
