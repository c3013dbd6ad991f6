/* sketch.h - a relative-error quantile sketch, mergeable. */
#ifndef COT_SKETCH_H
#define COT_SKETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "base/internal.h"

/* ---- the quantile sketch --------------------------------------------
 *
 * A DDSketch (Masson, Rim and Lee, "DDSketch: a fast and fully-mergeable
 * quantile sketch with relative-error guarantees", PVLDB 12(12), 2019)
 * with a log-linear index mapping read straight off the bits of the
 * double: the bucket of x > 0 is its 11-bit exponent and the top
 * COT__SKETCH_BITS bits of its mantissa, so each octave [2^e, 2^(e+1)) is
 * cut into 64 buckets of equal width. A bucket [lo, hi) has
 * hi / lo <= 1 + 1/64, and answering with 2 lo hi / (lo + hi) is off by
 * at most (hi - lo) / (hi + lo) <= 1/129 of the true value:
 *
 *   |estimate - exact| <= COT__SKETCH_ALPHA * |exact|,  COT__SKETCH_ALPHA = 1/129
 *
 * for every quantile, where exact is the element of rank
 * floor(q * (n - 1)) of the sorted values (the DDSketch paper's
 * definition). Zero has its own bucket (exact); negative values a
 * mirror store. Magnitudes below 2^-1022 (subnormal doubles) share 64
 * buckets of width 2^-1028 and have only that absolute bound.
 *
 * The index is integer arithmetic on the bits, with no log(): the same
 * value lands in the same bucket on every machine, and merging adds
 * bucket counts, so the sketch of a union is exactly the merge of the
 * sketches, whatever the split and order. Memory grows with the range
 * of the values, not their number: 64 counters per octave spanned
 * (1,500 counters for values 1 to 10^7). */

#define COT__SKETCH_BITS 6
#define COT__SKETCH_ALPHA (1.0 / 129.0)
/* bucket keys per sign: those of the finite doubles (exponent < 2047) */
#define COT__SKETCH_KEYS (0x7ff << COT__SKETCH_BITS)

typedef struct cot__sketch_store {
	uint64_t *c;		/* c[k - off]: count of bucket key k */
	int32_t off;
	uint32_t len;
} cot__sketch_store;

typedef struct cot__sketch {
	uint64_t n;		/* every value added */
	uint64_t zero;		/* values == 0 */
	cot__sketch_store pos, neg;	/* by the key of |x| */
} cot__sketch;

/* Start from all zero bytes (`sketch s = { 0 };`); cot__sketch_dispose
 * frees the stores. */
void cot__sketch_dispose(cot__sketch *s);
/* Add x (finite). Returns 0, -1 when out of memory (s unchanged), or
 * -2 when x is not finite (not added). Inline for the common cases (0,
 * or a bucket the store already spans: stats adds hundreds of values
 * per trace); the rest is cot__sketch_add_slow. */
int cot__sketch_add_slow(cot__sketch *s, double x);

/* Add the value 0, c times. */
static inline void cot__sketch_add_zeros(cot__sketch *s, uint64_t c)
{
	s->zero += c;
	s->n += c;
}

static inline int cot__sketch_add(cot__sketch *s, double x)
{
	uint64_t bits;
	uint32_t k;

	if (x == 0) {
		cot__sketch_add_zeros(s, 1);
		return 0;
	}
	memcpy(&bits, &x, sizeof bits);
	k = (uint32_t)(bits >> (52 - COT__SKETCH_BITS));	/* as cot__sketch_key */
	/* infinities have keys past the store: they take the slow way */
	if (x > 0 && k - (uint32_t)s->pos.off < s->pos.len) {
		s->pos.c[k - (uint32_t)s->pos.off]++;
		s->n++;
		return 0;
	}
	return cot__sketch_add_slow(s, x);
}
/* Add every value of src to dst. 0, or -1 when out of memory. */
int cot__sketch_merge(cot__sketch *dst, const cot__sketch *src);
/* The same values in the same buckets (the stores may span differently). */
bool cot__sketch_equal(const cot__sketch *a, const cot__sketch *b);

/* Whether min and max fall in the lowest and the highest non-empty
 * buckets (false when empty): a check of a partial read back. */
bool cot__sketch_holds_extremes(const cot__sketch *s, double min, double max);

/* The q-quantile (0 <= q <= 1): the bucket holding the element of rank
 * floor(q * (n - 1)), answered as above. With integers, the answer is
 * moved into the range of whole numbers the bucket can hold (exact for
 * |x| < 128, never further from the truth). NaN when empty. */
double cot__sketch_quantile(const cot__sketch *s, double q, bool integers);

/* Every non-empty bucket in increasing order of value: [lo, hi) (for
 * negative buckets (-hi, -lo]; for zero lo = hi = 0), the value
 * quantiles would answer with (rep), and its count. */
typedef void (*cot__sketch_bucket_fn)(double lo, double hi, double rep,
				 uint64_t count, void *ctx);
void cot__sketch_foreach(const cot__sketch *s, cot__sketch_bucket_fn fn, void *ctx);

/* The bucket key of |x| (x finite, nonzero), and the bounds [lo, hi)
 * of bucket key k: for tests and for the histogram. */
int cot__sketch_key(double x);
void cot__sketch_bounds(int key, double *lo, double *hi);

/* A partial's form: {"n":N,"zero":Z,"pos":[OFF,[C...]],"neg":[...]}:
 * the counts of the buckets from key OFF on, leading and trailing empty
 * ones left out and a run of k > 1 empty ones written -k; NULL when out
 * of memory. */
json_t *cot__sketch_to_json(const cot__sketch *s);
/* Read it back into s (made empty first): COT_OK; COT_EPARSE when it
 * is not that form or its counts do not add up to n; COT_ENOMEM. s is
 * empty on failure. */
int cot__sketch_from_json(cot__sketch *s, const json_t *j);

#endif
