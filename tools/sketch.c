/* sketch.c - exact sums and the log-linear DDSketch of sketch.h. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"

/* ---- exact sums ---------------------------------------------------- */

/* Bit 0 of limb 0 weighs 2^-1074, so the integer 1 sits at bit 1074. */
#define ONE_POS 1074

/* Add (or subtract) v at limb i and carry (or borrow) upwards. The
 * loop runs past the first limb only while a carry is left. */
static void add_at(xsum *s, size_t i, uint64_t v, bool neg)
{
	for (; v && i < XSUM_LIMBS; i++) {
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
static void add_bits(xsum *s, uint64_t m, unsigned pos, bool neg)
{
	unsigned sh = pos & 63;
	size_t i = pos >> 6;

	add_at(s, i, m << sh, neg);
	if (sh)
		add_at(s, i + 1, m >> (64 - sh), neg);
}

void xsum_add_double(xsum *s, double d)
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

void xsum_add_int(xsum *s, int64_t v)
{
	add_bits(s, magnitude(v), ONE_POS, v < 0);
}

/* 64 x 64 -> 128 bits, without relying on a 128-bit type. */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t a0 = (uint32_t)a, a1 = a >> 32;
	uint64_t b0 = (uint32_t)b, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;

	*lo = (mid << 32) | (uint32_t)p00;
	*hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

void xsum_add_int_square(xsum *s, int64_t v)
{
	uint64_t a = magnitude(v), hi, lo;

	mul64(a, a, &hi, &lo);
	add_bits(s, lo, ONE_POS, false);
	add_bits(s, hi, ONE_POS + 64, false);
}

bool xsum_add_double_square(xsum *s, double d)
{
	double a = fabs(d), c, h, l;

	if (!(a < 0x1p500))
		return false;
	/* Veltkamp: h holds the top 26 bits of a, l the rest (26 bits and
	 * a sign), so h*h, 2*h*l and l*l are exact doubles summing to a*a */
	c = 134217729.0 * a;	/* 2^27 + 1 */
	h = c - (c - a);
	l = a - h;
	xsum_add_double(s, h * h);
	xsum_add_double(s, 2.0 * h * l);
	xsum_add_double(s, l * l);
	return true;
}

void xsum_add_uint(xsum *s, const uint64_t *w, int n, bool neg)
{
	for (int k = 0; k < n; k++)
		add_bits(s, w[k], ONE_POS + 64 * (unsigned)k, neg);
}

void xsum_merge(xsum *dst, const xsum *src)
{
	uint64_t carry = 0;

	for (size_t i = 0; i < XSUM_LIMBS; i++) {
		uint64_t a = dst->w[i], t = a + src->w[i];
		uint64_t c1 = t < a;

		dst->w[i] = t + carry;
		carry = c1 | (dst->w[i] < t);
	}
}

bool xsum_equal(const xsum *a, const xsum *b)
{
	return memcmp(a->w, b->w, sizeof a->w) == 0;
}

bool xsum_is_zero(const xsum *s)
{
	for (size_t i = 0; i < XSUM_LIMBS; i++)
		if (s->w[i])
			return false;
	return true;
}

static bool negative(const xsum *s)
{
	return s->w[XSUM_LIMBS - 1] >> 63;
}

/* |s| into m (two's complement negation when negative). */
static void abs_of(const xsum *s, xsum *m)
{
	*m = *s;
	if (!negative(s))
		return;
	for (size_t i = 0; i < XSUM_LIMBS; i++)
		m->w[i] = ~m->w[i];
	add_at(m, 0, 1, false);
}

static int top_limb(const xsum *m)
{
	for (int i = XSUM_LIMBS - 1; i >= 0; i--)
		if (m->w[i])
			return i;
	return -1;
}

long double xsum_value(const xsum *s)
{
	xsum m;
	long double v = 0;
	int t;

	abs_of(s, &m);
	t = top_limb(&m);
	/* three limbs hold 129+ significant bits, more than long double */
	for (int i = t; i >= 0 && i > t - 3; i--)
		v += ldexpl((long double)m.w[i], 64 * i - ONE_POS);
	return negative(s) ? -v : v;
}

bool xsum_to_int64(const xsum *s, int64_t *out)
{
	xsum m;
	uint64_t v;

	abs_of(s, &m);
	/* bits below the unit must be zero: limbs 0-15, 50 bits of 16 */
	for (int i = 0; i < ONE_POS / 64; i++)
		if (m.w[i])
			return false;
	if (m.w[ONE_POS / 64] & ((UINT64_C(1) << (ONE_POS % 64)) - 1))
		return false;
	for (int i = ONE_POS / 64 + 2; i < XSUM_LIMBS; i++)
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

bool xsum_get_uint(const xsum *s, uint64_t *w, int n, bool *neg)
{
	const int sh = ONE_POS % 64, base = ONE_POS / 64;
	xsum m;

	abs_of(s, &m);
	for (int i = 0; i < base; i++)
		if (m.w[i])
			return false;
	if (m.w[base] & ((UINT64_C(1) << sh) - 1))
		return false;	/* a fraction */
	if (m.w[base + n] >> sh)
		return false;	/* more than n limbs */
	for (int i = base + n + 1; i < XSUM_LIMBS; i++)
		if (m.w[i])
			return false;
	for (int k = 0; k < n; k++)
		w[k] = m.w[base + k] >> sh | m.w[base + k + 1] << (64 - sh);
	*neg = negative(s);
	return true;
}

void xsum_format(const xsum *s, char out[XSUM_TEXT_MAX])
{
	xsum m;
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

bool xsum_parse(xsum *s, const char *text)
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
		if (lo >= XSUM_LIMBS)
			return false;
	}
	if (*p++ != ':')
		return false;
	nhex = strlen(p);
	if (nhex == 0 || nhex % 16)
		return false;
	limbs = (int)(nhex / 16);
	if (lo + limbs > XSUM_LIMBS - (lo + limbs == XSUM_LIMBS))
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
		for (size_t i = 0; i < XSUM_LIMBS; i++)
			s->w[i] = ~s->w[i];
		add_at(s, 0, 1, false);
	}
	return true;
}

/* ---- the quantile sketch ------------------------------------------- */

#define MANT_SHIFT (52 - SKETCH_BITS)

int sketch_key(double x)
{
	uint64_t bits;

	memcpy(&bits, &x, sizeof bits);
	bits &= ~(UINT64_C(1) << 63);
	/* IEEE order: bigger magnitude, bigger bit pattern, bigger key */
	return (int)(bits >> MANT_SHIFT);
}

/* The smallest value with key k: the key's bits followed by zeros. */
static double key_floor(int k)
{
	uint64_t bits = (uint64_t)k << MANT_SHIFT;
	double d;

	memcpy(&d, &bits, sizeof d);
	return d;
}

void sketch_bounds(int key, double *lo, double *hi)
{
	*lo = key_floor(key);
	/* the last finite bucket ends at infinity: say DBL_MAX */
	*hi = key + 1 < SKETCH_KEYS ? key_floor(key + 1) : DBL_MAX;
}

/* The answer for bucket k: 2 lo hi / (lo + hi), the point whose
 * relative distance to both ends is the same, written so that it does
 * not overflow. For whole numbers it is moved into [a, b], the whole
 * numbers in [lo, hi): the true value is one of them, so the answer
 * only gets closer. */
static double bucket_value(int key, bool integers)
{
	double lo, hi, rep;

	sketch_bounds(key, &lo, &hi);
	rep = lo * (2.0 / (1.0 + lo / hi));
	if (integers && hi < 0x1p53) {
		double a = ceil(lo), b = ceil(hi) - 1;

		if (a <= b)
			rep = rep < a ? a : rep > b ? b : rep;
	}
	return rep;
}

void sketch_dispose(sketch *s)
{
	free(s->pos.c);
	free(s->neg.c);
	memset(s, 0, sizeof *s);
}

/* Make st cover keys [lo, hi], with room to spare on the side that
 * grew, so a stream of rising values does not reallocate each time. */
static int store_cover(sketch_store *st, int lo, int hi)
{
	int olo = st->off, ohi = st->off + (int)st->len - 1, slack;
	uint64_t *c;

	if (st->len) {
		if (lo >= olo && hi <= ohi)
			return 0;
		lo = lo < olo ? lo : olo;
		hi = hi > ohi ? hi : ohi;
	}
	/* a first store is small (most fields of most groups hold few
	 * values); then it grows by half its span */
	slack = st->len ? (hi - lo + 1) / 2 : 4;
	if (st->len && slack < 16)
		slack = 16;
	if (!st->len || lo < olo)
		lo -= slack;
	if (!st->len || hi > ohi)
		hi += slack;
	if (lo < 0)
		lo = 0;
	if (hi > SKETCH_KEYS - 1)
		hi = SKETCH_KEYS - 1;
	c = calloc((size_t)(hi - lo + 1), sizeof *c);
	if (!c)
		return -1;
	if (st->len)
		memcpy(c + (olo - lo), st->c, st->len * sizeof *c);
	free(st->c);
	st->c = c;
	st->off = lo;
	st->len = (uint32_t)(hi - lo + 1);
	return 0;
}

int sketch_add_slow(sketch *s, double x)
{
	sketch_store *st;
	int k;

	if (!isfinite(x))
		return -2;
	if (x == 0) {
		s->zero++;
		s->n++;
		return 0;
	}
	st = x < 0 ? &s->neg : &s->pos;
	k = sketch_key(x);
	if ((uint32_t)(k - st->off) >= st->len && store_cover(st, k, k))
		return -1;
	st->c[k - st->off]++;
	s->n++;
	return 0;
}

static int store_merge(sketch_store *dst, const sketch_store *src)
{
	if (!src->len)
		return 0;
	if (store_cover(dst, src->off, src->off + (int)src->len - 1))
		return -1;
	for (uint32_t i = 0; i < src->len; i++)
		dst->c[src->off - dst->off + (int)i] += src->c[i];
	return 0;
}

int sketch_merge(sketch *dst, const sketch *src)
{
	if (store_merge(&dst->pos, &src->pos) ||
	    store_merge(&dst->neg, &src->neg))
		return -1;
	dst->zero += src->zero;
	dst->n += src->n;
	return 0;
}

/* The lowest (or highest) non-empty bucket as a signed key: -1 - key
 * for a negative bucket, 0 for zero, 1 + key for a positive one;
 * false when empty. */
static bool end_bucket(const sketch *s, bool high, long *out)
{
	const sketch_store *first = high ? &s->pos : &s->neg;
	const sketch_store *last = high ? &s->neg : &s->pos;
	int sign = high ? 1 : -1;

	/* from the far end inwards: the highest keys of `first` */
	for (uint32_t i = first->len; i-- > 0;)
		if (first->c[i]) {
			*out = sign * (1 + (long)first->off + (long)i);
			return true;
		}
	if (s->zero) {
		*out = 0;
		return true;
	}
	for (uint32_t i = 0; i < last->len; i++)
		if (last->c[i]) {
			*out = -sign * (1 + (long)last->off + (long)i);
			return true;
		}
	return false;
}

static long signed_key(double x)
{
	return x == 0 ? 0 : x < 0 ? -1 - (long)sketch_key(x) :
	       1 + (long)sketch_key(x);
}

bool sketch_holds_extremes(const sketch *s, double min, double max)
{
	long lo, hi;

	if (!isfinite(min) || !isfinite(max) || !end_bucket(s, false, &lo) ||
	    !end_bucket(s, true, &hi))
		return false;
	return signed_key(min) == lo && signed_key(max) == hi;
}

static uint64_t store_at(const sketch_store *st, int k)
{
	return (uint32_t)(k - st->off) < st->len ? st->c[k - st->off] : 0;
}

static bool store_equal(const sketch_store *a, const sketch_store *b)
{
	int lo = a->off < b->off ? a->off : b->off;
	int hi = a->off + (int)a->len;

	if (b->off + (int)b->len > hi)
		hi = b->off + (int)b->len;
	for (int k = lo; k < hi; k++)
		if (store_at(a, k) != store_at(b, k))
			return false;
	return true;
}

bool sketch_equal(const sketch *a, const sketch *b)
{
	return a->n == b->n && a->zero == b->zero &&
	       store_equal(&a->pos, &b->pos) && store_equal(&a->neg, &b->neg);
}

double sketch_quantile(const sketch *s, double q, bool integers)
{
	uint64_t rank, seen = 0;

	if (s->n == 0 || !(q >= 0 && q <= 1))
		return NAN;
	rank = (uint64_t)(q * (double)(s->n - 1));
	/* the most negative values first: highest key of the mirror */
	for (int i = (int)s->neg.len - 1; i >= 0; i--) {
		seen += s->neg.c[i];
		if (seen > rank)
			return -bucket_value(s->neg.off + i, integers);
	}
	seen += s->zero;
	if (seen > rank)
		return 0;
	for (uint32_t i = 0; i < s->pos.len; i++) {
		seen += s->pos.c[i];
		if (seen > rank)
			return bucket_value(s->pos.off + (int)i, integers);
	}
	return NAN;		/* the counts do not add up to n */
}

void sketch_foreach(const sketch *s, sketch_bucket_fn fn, void *ctx)
{
	double lo, hi;

	for (int i = (int)s->neg.len - 1; i >= 0; i--) {
		int k = s->neg.off + i;

		if (!s->neg.c[i])
			continue;
		sketch_bounds(k, &lo, &hi);
		fn(-hi, -lo, -bucket_value(k, false), s->neg.c[i], ctx);
	}
	if (s->zero)
		fn(0, 0, 0, s->zero, ctx);
	for (uint32_t i = 0; i < s->pos.len; i++) {
		int k = s->pos.off + (int)i;

		if (!s->pos.c[i])
			continue;
		sketch_bounds(k, &lo, &hi);
		fn(lo, hi, bucket_value(k, false), s->pos.c[i], ctx);
	}
}

/* [OFF, [C...]] for the counts from key OFF on, leading and trailing
 * empty buckets left out, and a run of k > 1 empty ones written -k:
 * the stores of integer fields are mostly empty between the values. */
static json_t *store_to_json(const sketch_store *st)
{
	uint32_t a = 0, b = st->len;
	json_t *counts = json_array();

	while (a < b && !st->c[a])
		a++;
	while (b > a && !st->c[b - 1])
		b--;
	for (uint32_t i = a; i < b && counts; i++) {
		json_int_t v = (json_int_t)st->c[i];

		if (!v && i + 1 < b && !st->c[i + 1]) {
			uint32_t k = i;

			while (k < b && !st->c[k])
				k++;
			v = -(json_int_t)(k - i);
			i = k - 1;
		}
		if (json_array_append_new(counts, json_integer(v))) {
			json_decref(counts);
			return NULL;
		}
	}
	/* "o" takes the reference, also when packing fails (jansson
	 * 2.13 and later) */
	return json_pack("[io]", a < b ? st->off + (int)a : 0, counts);
}

json_t *sketch_to_json(const sketch *s)
{
	return json_pack("{sIsIsoso}", "n", (json_int_t)s->n,
			 "zero", (json_int_t)s->zero,
			 "pos", store_to_json(&s->pos),
			 "neg", store_to_json(&s->neg));
}

/* A damaged partial must not steer a write: every number is checked
 * before it is used (a count of a run must be -k with 1 < k <= the keys
 * left, so that it cannot overflow a negation or pass the store), and
 * the counts must add up without wrapping. */
static bool store_from_json(sketch_store *st, const json_t *j,
			    uint64_t *total)
{
	json_t *counts, *c;
	json_int_t off, end;
	size_t i;

	if (json_unpack((json_t *)j, "[Io!]", &off, &counts) ||
	    !json_is_array(counts) || off < 0 || off >= SKETCH_KEYS)
		return false;
	end = off;		/* first: the span, then the counts */
	json_array_foreach(counts, i, c) {
		json_int_t v;

		if (!json_is_integer(c))
			return false;
		v = json_integer_value(c);
		if (v < 0 && (v < -(json_int_t)SKETCH_KEYS || v == -1))
			return false;
		end += v < 0 ? -v : 1;
		if (end > SKETCH_KEYS)
			return false;
	}
	if (end == off)
		return true;
	if (store_cover(st, (int)off, (int)end - 1))
		return false;
	end = off;
	json_array_foreach(counts, i, c) {
		json_int_t v = json_integer_value(c);

		if (v < 0) {
			end += -v;
			continue;
		}
		if (*total > UINT64_MAX - (uint64_t)v)
			return false;
		st->c[end - st->off] = (uint64_t)v;
		*total += (uint64_t)v;
		end++;
	}
	return true;
}

bool sketch_from_json(sketch *s, const json_t *j)
{
	json_int_t n, zero;
	json_t *pos, *neg;
	uint64_t total;

	memset(s, 0, sizeof *s);
	if (json_unpack((json_t *)j, "{sIsIsoso!}", "n", &n, "zero", &zero,
			"pos", &pos, "neg", &neg) || n < 0 || zero < 0)
		return false;
	total = (uint64_t)zero;
	if (!store_from_json(&s->pos, pos, &total) ||
	    !store_from_json(&s->neg, neg, &total) || total != (uint64_t)n) {
		sketch_dispose(s);
		return false;
	}
	s->n = (uint64_t)n;
	s->zero = (uint64_t)zero;
	return true;
}
