/* sketch.h - exact sums and a relative-error quantile sketch, mergeable. */
#ifndef COT_SKETCH_H
#define COT_SKETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

/* ---- exact sums -----------------------------------------------------
 *
 * An xsum holds a sum of doubles and 64-bit integers exactly, with no
 * rounding at all: a fixed-point integer of XSUM_LIMBS * 64 bits, two's
 * complement, whose lowest bit weighs 2^-1074 (the smallest double), so
 * every finite double and every int64 is a whole number of units
 * (a "Kulisch accumulator"). Addition of integers is associative and
 * commutative, so the sum does not depend on the order of the values or
 * on how they were split between partial sums: merging two xsums gives
 * the xsum of all their values, bit for bit. Room: values below 2^1024,
 * up to 2^64 of them. */

#define XSUM_LIMBS 34
/* Longest text xsum_format writes, with its NUL. */
#define XSUM_TEXT_MAX (2 + 4 + 1 + XSUM_LIMBS * 16 + 1)

typedef struct xsum {
	uint64_t w[XSUM_LIMBS];	/* little-endian limbs */
} xsum;

/* Start from all zero bits: `xsum s = { 0 };` is the sum 0. */
void xsum_add_double(xsum *s, double d);	/* d finite */
void xsum_add_int(xsum *s, int64_t v);
void xsum_add_int_square(xsum *s, int64_t v);	/* exact: v * v */
/* Add d * d exactly (Veltkamp's split: three exact products); false,
 * adding nothing, when |d| >= 2^500 (the square would not fit a
 * double). Below 2^-450 the products underflow and the square is
 * rounded, the same way in every run. */
bool xsum_add_double_square(xsum *s, double d);
void xsum_merge(xsum *dst, const xsum *src);
bool xsum_equal(const xsum *a, const xsum *b);
bool xsum_is_zero(const xsum *s);
/* Add sign * (w[0] + w[1] 2^64 + ... + w[n-1] 2^(64(n-1))), n <= 4,
 * exactly: the form compact integer accumulators convert through. */
void xsum_add_uint(xsum *s, const uint64_t *w, int n, bool neg);
/* The value as an integer: its magnitude in n limbs and its sign;
 * false when it has a fraction or does not fit n limbs. */
bool xsum_get_uint(const xsum *s, uint64_t *w, int n, bool *neg);
/* The value, rounded once to long double (from the top 192 bits). */
long double xsum_value(const xsum *s);
/* The value as an int64 when it is a whole number that fits. */
bool xsum_to_int64(const xsum *s, int64_t *out);
/* Exact text, for partial summaries: "0", or "[-]L:HEX" where HEX is
 * the limbs of the magnitude from the highest nonzero one down to limb
 * L, 16 hex digits each. */
void xsum_format(const xsum *s, char out[XSUM_TEXT_MAX]);
/* Parse what xsum_format wrote; false on anything else. */
bool xsum_parse(xsum *s, const char *text);

/* ---- the quantile sketch --------------------------------------------
 *
 * A DDSketch (Masson, Rim and Lee, "DDSketch: a fast and fully-mergeable
 * quantile sketch with relative-error guarantees", PVLDB 12(12), 2019)
 * with a log-linear index mapping read straight off the bits of the
 * double: the bucket of x > 0 is its 11-bit exponent and the top
 * SKETCH_BITS bits of its mantissa, so each octave [2^e, 2^(e+1)) is
 * cut into 64 buckets of equal width. A bucket [lo, hi) has
 * hi / lo <= 1 + 1/64, and answering with 2 lo hi / (lo + hi) is off by
 * at most (hi - lo) / (hi + lo) <= 1/129 of the true value:
 *
 *   |estimate - exact| <= SKETCH_ALPHA * |exact|,  SKETCH_ALPHA = 1/129
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

#define SKETCH_BITS 6
#define SKETCH_ALPHA (1.0 / 129.0)
/* bucket keys per sign: those of the finite doubles (exponent < 2047) */
#define SKETCH_KEYS (0x7ff << SKETCH_BITS)

typedef struct sketch_store {
	uint64_t *c;		/* c[k - off]: count of bucket key k */
	int32_t off;
	uint32_t len;
} sketch_store;

typedef struct sketch {
	uint64_t n;		/* every value added */
	uint64_t zero;		/* values == 0 */
	sketch_store pos, neg;	/* by the key of |x| */
} sketch;

/* Start from all zero bytes (`sketch s = { 0 };`); sketch_dispose
 * frees the stores. */
void sketch_dispose(sketch *s);
/* Add x (finite). Returns 0, -1 when out of memory (s unchanged), or
 * -2 when x is not finite (not added). Inline for the common cases (0,
 * or a bucket the store already spans: stats adds hundreds of values
 * per trace); the rest is sketch_add_slow. */
int sketch_add_slow(sketch *s, double x);

/* Add the value 0, c times. */
static inline void sketch_add_zeros(sketch *s, uint64_t c)
{
	s->zero += c;
	s->n += c;
}

static inline int sketch_add(sketch *s, double x)
{
	uint64_t bits;
	uint32_t k;

	if (x == 0) {
		sketch_add_zeros(s, 1);
		return 0;
	}
	memcpy(&bits, &x, sizeof bits);
	k = (uint32_t)(bits >> (52 - SKETCH_BITS));	/* as sketch_key */
	/* infinities have keys past the store: they take the slow way */
	if (x > 0 && k - (uint32_t)s->pos.off < s->pos.len) {
		s->pos.c[k - (uint32_t)s->pos.off]++;
		s->n++;
		return 0;
	}
	return sketch_add_slow(s, x);
}
/* Add every value of src to dst. 0, or -1 when out of memory. */
int sketch_merge(sketch *dst, const sketch *src);
/* The same values in the same buckets (the stores may span differently). */
bool sketch_equal(const sketch *a, const sketch *b);

/* Whether min and max fall in the lowest and the highest non-empty
 * buckets (false when empty): a check of a partial read back. */
bool sketch_holds_extremes(const sketch *s, double min, double max);

/* The q-quantile (0 <= q <= 1): the bucket holding the element of rank
 * floor(q * (n - 1)), answered as above. With integers, the answer is
 * moved into the range of whole numbers the bucket can hold (exact for
 * |x| < 128, never further from the truth). NaN when empty. */
double sketch_quantile(const sketch *s, double q, bool integers);

/* Every non-empty bucket in increasing order of value: [lo, hi) (for
 * negative buckets (-hi, -lo]; for zero lo = hi = 0), the value
 * quantiles would answer with (rep), and its count. */
typedef void (*sketch_bucket_fn)(double lo, double hi, double rep,
				 uint64_t count, void *ctx);
void sketch_foreach(const sketch *s, sketch_bucket_fn fn, void *ctx);

/* The bucket key of |x| (x finite, nonzero), and the bounds [lo, hi)
 * of bucket key k: for tests and for the histogram. */
int sketch_key(double x);
void sketch_bounds(int key, double *lo, double *hi);

/* A partial's form: {"n":N,"zero":Z,"pos":[OFF,[C...]],"neg":[...]}:
 * the counts of the buckets from key OFF on, leading and trailing empty
 * ones left out and a run of k > 1 empty ones written -k; NULL when out
 * of memory. */
json_t *sketch_to_json(const sketch *s);
/* Read it back into an empty sketch; false (s emptied) when it is not
 * that form or its counts do not add up to n. */
bool sketch_from_json(sketch *s, const json_t *j);

#endif
