/* xsum.c - exact sums: a fixed-point accumulator over every double. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/xsum.h"

/* Bit 0 of limb 0 weighs 2^-1074, so the integer 1 sits at bit 1074. */
#define ONE_POS 1074

/* Add (or subtract) v at limb i and carry (or borrow) upwards. The
 * loop runs past the first limb only while a carry is left. */
static void add_at(cot__xsum *s, size_t i, uint64_t v, bool neg)
{
	for (; v && i < COT__XSUM_LIMBS; i++) {
		uint64_t old = s->w[i];

		if (neg) {
			s->w[i] = old - v;
			v = old < v;
		} else {
			s->w[i] = old + v;
			v = s->w[i] < old;
		}
	}
}

/* Add m * 2^(pos - 1074): m shifted to bit pos, over two limbs. */
static void add_bits(cot__xsum *s, uint64_t m, unsigned pos, bool neg)
{
	unsigned sh = pos & 63;
	size_t i = pos >> 6;

	add_at(s, i, m << sh, neg);
	if (sh)
		add_at(s, i + 1, m >> (64 - sh), neg);
}

void cot__xsum_add_double(cot__xsum *s, double d)
{
	uint64_t bits, m;
	unsigned e;

	memcpy(&bits, &d, sizeof bits);
	e = (unsigned)(bits >> 52) & 0x7ff;
	m = bits & ((UINT64_C(1) << 52) - 1);
	if (e == 0x7ff)
		return;		/* not finite: the caller's to refuse */
	if (e == 0) {		/* subnormal: m * 2^-1074 */
		add_bits(s, m, 0, bits >> 63);
		return;
	}
	/* normal: (2^52 + m) * 2^(e - 1075), bit position e - 1 */
	add_bits(s, m | UINT64_C(1) << 52, e - 1, bits >> 63);
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

void cot__xsum_add_int(cot__xsum *s, int64_t v)
{
	add_bits(s, magnitude(v), ONE_POS, v < 0);
}

void cot__xsum_add_int_square(cot__xsum *s, int64_t v)
{
	uint64_t a = magnitude(v), hi, lo;

	cot__mul64(a, a, &hi, &lo);
	add_bits(s, lo, ONE_POS, false);
	add_bits(s, hi, ONE_POS + 64, false);
}

bool cot__xsum_add_double_square(cot__xsum *s, double d)
{
	double a = fabs(d), c, h, l;

	if (!(a < 0x1p500))
		return false;
	/* Veltkamp: h holds the top 26 bits of a, l the rest (26 bits and
	 * a sign), so h*h, 2*h*l and l*l are exact doubles summing to a*a */
	c = 134217729.0 * a;	/* 2^27 + 1 */
	h = c - (c - a);
	l = a - h;
	cot__xsum_add_double(s, h * h);
	cot__xsum_add_double(s, 2.0 * h * l);
	cot__xsum_add_double(s, l * l);
	return true;
}

void cot__xsum_add_uint(cot__xsum *s, const uint64_t *w, int n, bool neg)
{
	for (int k = 0; k < n; k++)
		add_bits(s, w[k], ONE_POS + 64 * (unsigned)k, neg);
}

void cot__xsum_merge(cot__xsum *dst, const cot__xsum *src)
{
	uint64_t carry = 0;

	for (size_t i = 0; i < COT__XSUM_LIMBS; i++) {
		uint64_t a = dst->w[i], t = a + src->w[i];
		uint64_t c1 = t < a;

		dst->w[i] = t + carry;
		carry = c1 | (dst->w[i] < t);
	}
}

bool cot__xsum_equal(const cot__xsum *a, const cot__xsum *b)
{
	return memcmp(a->w, b->w, sizeof a->w) == 0;
}

bool cot__xsum_is_zero(const cot__xsum *s)
{
	for (size_t i = 0; i < COT__XSUM_LIMBS; i++)
		if (s->w[i])
			return false;
	return true;
}

static bool negative(const cot__xsum *s)
{
	return s->w[COT__XSUM_LIMBS - 1] >> 63;
}

/* |s| into m (two's complement negation when negative). */
static void abs_of(const cot__xsum *s, cot__xsum *m)
{
	*m = *s;
	if (!negative(s))
		return;
	for (size_t i = 0; i < COT__XSUM_LIMBS; i++)
		m->w[i] = ~m->w[i];
	add_at(m, 0, 1, false);
}

static int top_limb(const cot__xsum *m)
{
	for (int i = COT__XSUM_LIMBS - 1; i >= 0; i--)
		if (m->w[i])
			return i;
	return -1;
}

long double cot__xsum_value(const cot__xsum *s)
{
	cot__xsum m;
	long double v = 0;
	int t;

	abs_of(s, &m);
	t = top_limb(&m);
	/* three limbs hold 129+ significant bits, more than long double */
	for (int i = t; i >= 0 && i > t - 3; i--)
		v += ldexpl((long double)m.w[i], 64 * i - ONE_POS);
	return negative(s) ? -v : v;
}

bool cot__xsum_to_int64(const cot__xsum *s, int64_t *out)
{
	cot__xsum m;
	uint64_t v;

	abs_of(s, &m);
	/* bits below the unit must be zero: limbs 0-15, 50 bits of 16 */
	for (int i = 0; i < ONE_POS / 64; i++)
		if (m.w[i])
			return false;
	if (m.w[ONE_POS / 64] & ((UINT64_C(1) << (ONE_POS % 64)) - 1))
		return false;
	for (int i = ONE_POS / 64 + 2; i < COT__XSUM_LIMBS; i++)
		if (m.w[i])
			return false;
	/* the integer is bits 1074..1137: 14 bits of 16, 50 of 17 */
	if (m.w[ONE_POS / 64 + 1] >> (ONE_POS % 64))
		return false;	/* 2^64 or more */
	v = m.w[ONE_POS / 64] >> (ONE_POS % 64) |
	    m.w[ONE_POS / 64 + 1] << (64 - ONE_POS % 64);
	if (v > (uint64_t)INT64_MAX)
		return false;
	*out = negative(s) ? -(int64_t)v : (int64_t)v;
	return true;
}

bool cot__xsum_get_uint(const cot__xsum *s, uint64_t *w, int n, bool *neg)
{
	const int sh = ONE_POS % 64, base = ONE_POS / 64;
	cot__xsum m;

	abs_of(s, &m);
	for (int i = 0; i < base; i++)
		if (m.w[i])
			return false;
	if (m.w[base] & ((UINT64_C(1) << sh) - 1))
		return false;	/* a fraction */
	if (m.w[base + n] >> sh)
		return false;	/* more than n limbs */
	for (int i = base + n + 1; i < COT__XSUM_LIMBS; i++)
		if (m.w[i])
			return false;
	for (int k = 0; k < n; k++)
		w[k] = m.w[base + k] >> sh | m.w[base + k + 1] << (64 - sh);
	*neg = negative(s);
	return true;
}

void cot__xsum_format(const cot__xsum *s, char out[COT__XSUM_TEXT_MAX])
{
	cot__xsum m;
	int t, lo = 0;
	char *p = out;

	abs_of(s, &m);
	t = top_limb(&m);
	if (t < 0) {
		strcpy(out, "0");
		return;
	}
	while (!m.w[lo])
		lo++;
	if (negative(s))
		*p++ = '-';
	p += sprintf(p, "%d:", lo);
	for (int i = t; i >= lo; i--)
		p += sprintf(p, "%016llx", (unsigned long long)m.w[i]);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool cot__xsum_parse(cot__xsum *s, const char *text)
{
	const char *p = text;
	bool neg = false;
	size_t nhex;
	int lo = 0, limbs;

	memset(s, 0, sizeof *s);
	if (!strcmp(text, "0"))
		return true;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		lo = lo * 10 + (*p++ - '0');
		if (lo >= COT__XSUM_LIMBS)
			return false;
	}
	if (*p++ != ':')
		return false;
	nhex = strlen(p);
	if (nhex == 0 || nhex % 16)
		return false;
	limbs = (int)(nhex / 16);
	if (lo + limbs > COT__XSUM_LIMBS - (lo + limbs == COT__XSUM_LIMBS))
		return false;	/* leave the sign limb's top bit clear */
	for (int i = lo + limbs - 1; i >= lo; i--) {
		uint64_t w = 0;

		for (int k = 0; k < 16; k++) {
			int h = hexval(*p++);

			if (h < 0)
				return false;
			w = w << 4 | (uint64_t)h;
		}
		s->w[i] = w;
	}
	if (negative(s))
		return false;
	if (neg) {		/* store -|x| in two's complement */
		for (size_t i = 0; i < COT__XSUM_LIMBS; i++)
			s->w[i] = ~s->w[i];
		add_at(s, 0, 1, false);
	}
	return true;
}

