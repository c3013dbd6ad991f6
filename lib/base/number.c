/* number.c - a double as JSON text that reads back as the same double. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/internal.h"

/* The text is printf's: "%.15g" when that reads back as r, else
 * "%.17g" (which always does). Why not just call printf: a profile
 * holds dozens of reals (densities, ratios, positions), and printf with
 * a strtod to check was a tenth of annotate's time.
 *
 * For |r| in [1e-4, 1e15), where "%g" writes no exponent, the digits
 * are computed exactly in 128-bit integers: r = M * 2^E with E < 0, so
 * r * 10^k rounded (ties to even, as glibc) is (M * 10^k) >> -E with
 * the bits shifted out deciding the rounding. The 15-digit text m/10^k
 * reads back as r exactly when (double)m / 10^k == r, because m < 2^53
 * and 10^k (k <= 22) are exact doubles and one IEEE division is
 * correctly rounded (Clinger's fast path of strtod). Anything else
 * takes printf; the tests compare both on millions of values. */

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10u[] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL,
};

/* 10^-3 .. 10^15: where the decimal exponent of |r| steps up; only a
 * guess near a power of ten, which exponent() corrects */
static const double step[] = {
	1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
	1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

/* M * 10^k * 2^-s (k <= 20, 1 <= s < 128): *trunc rounded down, and
 * the result rounded to nearest, ties to even. */
static uint64_t scale(uint64_t mant, int s, int k, uint64_t *trunc)
{
	u128 p = (u128)mant * pow10u[k > 19 ? 19 : k], q, rem, half;

	if (k > 19)
		p *= 10;
	q = p >> s;
	rem = p - (q << s);
	half = (u128)1 << (s - 1);
	*trunc = (uint64_t)q;
	if (rem > half || (rem == half && (q & 1)))
		q++;
	return (uint64_t)q;
}

/* m with k decimals, trailing zeros dropped (m is not whole). */
static size_t put(char *q, bool neg, uint64_t m, int k)
{
	char *start = q, digits[24];
	uint64_t ip = k > 19 ? 0 : m / pow10u[k];
	uint64_t fp = k > 19 ? m : m % pow10u[k];
	size_t nd = 0;

	if (neg)
		*q++ = '-';
	do {
		digits[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (nd)
		*q++ = digits[--nd];
	*q++ = '.';
	while (fp % 10 == 0) {
		fp /= 10;
		k--;
	}
	for (int i = k - 1; i >= 0; i--) {
		q[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	q[k] = '\0';
	return (size_t)(q + k - start);
}

/* The exact path: 0 when it does not apply. */
static size_t exact(double r, char *out)
{
	double a = r < 0 ? -r : r;
	uint64_t bits, mant, m, t;
	int s, e10 = -4;

	if (!(a >= 1e-4 && a < 1e15))
		return 0;
	memcpy(&bits, &a, sizeof bits);
	mant = (bits & ((1ULL << 52) - 1)) | 1ULL << 52;
	s = 1075 - (int)(bits >> 52);	/* a = mant * 2^-s, s in [3, 66] */
	while (e10 < 14 && a >= step[e10 + 4])
		e10++;
	/* the true floor(log10 a): 15 digits before rounding */
	for (;;) {
		m = scale(mant, s, 14 - e10, &t);
		if (t >= pow10u[15] && e10 < 14)
			e10++;
		else if (t < pow10u[14] && e10 > -4)
			e10--;
		else
			break;
	}
	if (t < pow10u[14] || t >= pow10u[15])
		return 0;
	if (m < pow10u[15] && (double)m / (double)pow10u[14 - e10] == a)
		return m % pow10u[14 - e10] ? put(out, r < 0, m, 14 - e10) : 0;
	m = scale(mant, s, 16 - e10, &t);
	if (m >= pow10u[17] || (16 - e10 <= 19 && m % pow10u[16 - e10] == 0))
		return 0;
	return put(out, r < 0, m, 16 - e10);
}
#else
static size_t exact(double r, char *out)
{
	(void)r;
	(void)out;
	return 0;
}
#endif

size_t cot__real_text(double r, char out[40], unsigned flags)
{
	size_t n = exact(r, out);

	if (n)
		return n;
	if (r == 0 && !(flags & COT__REAL_JSON)) {
		strcpy(out, "0");	/* also -0: one spelling */
		return 1;
	}
	snprintf(out, 40, "%.15g", r);
	if (strtod(out, NULL) != r)
		snprintf(out, 40, "%.17g", r);
	/* keep it a JSON real: "1" would read back as an integer */
	if ((flags & COT__REAL_JSON) && !strpbrk(out, ".eEn"))
		strcat(out, ".0");
	return strlen(out);
}
