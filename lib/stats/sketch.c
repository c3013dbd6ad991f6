/* sketch.c - the log-linear DDSketch of sketch.h. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/sketch.h"
#include "base/internal.h"

/* ---- the quantile sketch ------------------------------------------- */

#define MANT_SHIFT (52 - COT__SKETCH_BITS)

int cot__sketch_key(double x)
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

void cot__sketch_bounds(int key, double *lo, double *hi)
{
	*lo = key_floor(key);
	/* the last finite bucket ends at infinity: say DBL_MAX */
	*hi = key + 1 < COT__SKETCH_KEYS ? key_floor(key + 1) : DBL_MAX;
}

/* The answer for bucket k: 2 lo hi / (lo + hi), the point whose
 * relative distance to both ends is the same, written so that it does
 * not overflow. For whole numbers it is moved into [a, b], the whole
 * numbers in [lo, hi): the true value is one of them, so the answer
 * only gets closer. */
static double bucket_value(int key, bool integers)
{
	double lo, hi, rep;

	cot__sketch_bounds(key, &lo, &hi);
	rep = lo * (2.0 / (1.0 + lo / hi));
	if (integers && hi < 0x1p53) {
		double a = ceil(lo), b = ceil(hi) - 1;

		if (a <= b)
			rep = rep < a ? a : rep > b ? b : rep;
	}
	return rep;
}

void cot__sketch_dispose(cot__sketch *s)
{
	cot__free(s->pos.c);
	cot__free(s->neg.c);
	memset(s, 0, sizeof *s);
}

/* Make st cover keys [lo, hi], with room to spare on the side that
 * grew, so a stream of rising values does not reallocate each time. */
static int store_cover(cot__sketch_store *st, int lo, int hi)
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
	if (hi > COT__SKETCH_KEYS - 1)
		hi = COT__SKETCH_KEYS - 1;
	c = cot__calloc((size_t)(hi - lo + 1), sizeof *c);
	if (!c)
		return -1;
	if (st->len)
		memcpy(c + (olo - lo), st->c, st->len * sizeof *c);
	cot__free(st->c);
	st->c = c;
	st->off = lo;
	st->len = (uint32_t)(hi - lo + 1);
	return 0;
}

int cot__sketch_add_slow(cot__sketch *s, double x)
{
	cot__sketch_store *st;
	int k;

	if (!isfinite(x))
		return -2;
	if (x == 0) {
		s->zero++;
		s->n++;
		return 0;
	}
	st = x < 0 ? &s->neg : &s->pos;
	k = cot__sketch_key(x);
	if ((uint32_t)(k - st->off) >= st->len && store_cover(st, k, k))
		return -1;
	st->c[k - st->off]++;
	s->n++;
	return 0;
}

static int store_merge(cot__sketch_store *dst, const cot__sketch_store *src)
{
	if (!src->len)
		return 0;
	if (store_cover(dst, src->off, src->off + (int)src->len - 1))
		return -1;
	for (uint32_t i = 0; i < src->len; i++)
		dst->c[src->off - dst->off + (int)i] += src->c[i];
	return 0;
}

int cot__sketch_merge(cot__sketch *dst, const cot__sketch *src)
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
static bool end_bucket(const cot__sketch *s, bool high, long *out)
{
	const cot__sketch_store *first = high ? &s->pos : &s->neg;
	const cot__sketch_store *last = high ? &s->neg : &s->pos;
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
	return x == 0 ? 0 : x < 0 ? -1 - (long)cot__sketch_key(x) :
	       1 + (long)cot__sketch_key(x);
}

bool cot__sketch_holds_extremes(const cot__sketch *s, double min, double max)
{
	long lo, hi;

	if (!isfinite(min) || !isfinite(max) || !end_bucket(s, false, &lo) ||
	    !end_bucket(s, true, &hi))
		return false;
	return signed_key(min) == lo && signed_key(max) == hi;
}

static uint64_t store_at(const cot__sketch_store *st, int k)
{
	return (uint32_t)(k - st->off) < st->len ? st->c[k - st->off] : 0;
}

static bool store_equal(const cot__sketch_store *a, const cot__sketch_store *b)
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

bool cot__sketch_equal(const cot__sketch *a, const cot__sketch *b)
{
	return a->n == b->n && a->zero == b->zero &&
	       store_equal(&a->pos, &b->pos) && store_equal(&a->neg, &b->neg);
}

double cot__sketch_quantile(const cot__sketch *s, double q, bool integers)
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

void cot__sketch_foreach(const cot__sketch *s, cot__sketch_bucket_fn fn, void *ctx)
{
	double lo, hi;

	for (int i = (int)s->neg.len - 1; i >= 0; i--) {
		int k = s->neg.off + i;

		if (!s->neg.c[i])
			continue;
		cot__sketch_bounds(k, &lo, &hi);
		fn(-hi, -lo, -bucket_value(k, false), s->neg.c[i], ctx);
	}
	if (s->zero)
		fn(0, 0, 0, s->zero, ctx);
	for (uint32_t i = 0; i < s->pos.len; i++) {
		int k = s->pos.off + (int)i;

		if (!s->pos.c[i])
			continue;
		cot__sketch_bounds(k, &lo, &hi);
		fn(lo, hi, bucket_value(k, false), s->pos.c[i], ctx);
	}
}

/* [OFF, [C...]] for the counts from key OFF on, leading and trailing
 * empty buckets left out, and a run of k > 1 empty ones written -k:
 * the stores of integer fields are mostly empty between the values. */
static json_t *store_to_json(const cot__sketch_store *st)
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

json_t *cot__sketch_to_json(const cot__sketch *s)
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
static int store_from_json(cot__sketch_store *st, const json_t *j,
			   uint64_t *total)
{
	json_t *counts, *c;
	json_int_t off, end;
	size_t i;

	if (json_unpack((json_t *)j, "[Io!]", &off, &counts) ||
	    !json_is_array(counts) || off < 0 || off >= COT__SKETCH_KEYS)
		return COT_EPARSE;
	end = off;		/* first: the span, then the counts */
	json_array_foreach(counts, i, c) {
		json_int_t v;

		if (!json_is_integer(c))
			return COT_EPARSE;
		v = json_integer_value(c);
		if (v < 0 && (v < -(json_int_t)COT__SKETCH_KEYS || v == -1))
			return COT_EPARSE;
		end += v < 0 ? -v : 1;
		if (end > COT__SKETCH_KEYS)
			return COT_EPARSE;
	}
	if (end == off)
		return COT_OK;
	if (store_cover(st, (int)off, (int)end - 1))
		return COT_ENOMEM;
	end = off;
	json_array_foreach(counts, i, c) {
		json_int_t v = json_integer_value(c);

		if (v < 0) {
			end += -v;
			continue;
		}
		if (*total > UINT64_MAX - (uint64_t)v)
			return COT_EPARSE;
		st->c[end - st->off] = (uint64_t)v;
		*total += (uint64_t)v;
		end++;
	}
	return COT_OK;
}

int cot__sketch_from_json(cot__sketch *s, const json_t *j)
{
	json_int_t n, zero;
	json_t *pos, *neg;
	uint64_t total;
	int rc;

	memset(s, 0, sizeof *s);
	if (json_unpack((json_t *)j, "{sIsIsoso!}", "n", &n, "zero", &zero,
			"pos", &pos, "neg", &neg) || n < 0 || zero < 0)
		return COT_EPARSE;
	total = (uint64_t)zero;
	rc = store_from_json(&s->pos, pos, &total);
	if (rc == COT_OK)
		rc = store_from_json(&s->neg, neg, &total);
	if (rc == COT_OK && total != (uint64_t)n)
		rc = COT_EPARSE;
	if (rc) {
		cot__sketch_dispose(s);
		return rc;
	}
	s->n = (uint64_t)n;
	s->zero = (uint64_t)zero;
	return COT_OK;
}
