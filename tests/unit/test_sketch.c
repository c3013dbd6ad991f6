/* test_sketch.c - exact sums and the quantile sketch of tools/sketch.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "stats/sketch.h"
#include "stats/xsum.h"

/* splitmix64: a seeded generator, so failures reproduce. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static double unit(uint64_t *s)	/* [0, 1) */
{
	return (double)(rnd(s) >> 11) * 0x1p-53;
}

static double normal(uint64_t *s)
{
	double u = unit(s) + 0x1p-60, v = unit(s);

	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- exact sums ---------------------------------------------------- */

__extension__ typedef __int128 i128;

/* An independent way in: 50-bit pieces, each an exact double. */
static void from_i128(cot__xsum *x, i128 v)
{
	i128 t = v < 0 ? -v : v;

	for (int k = 0; t > 0; k++, t >>= 50) {
		double piece = (double)(int64_t)(t & ((((i128)1) << 50) - 1));

		cot__xsum_add_double(x, ldexp(v < 0 ? -piece : piece, 50 * k));
	}
}

static void test_xsum_ints_and_squares_match_128_bit_arithmetic(void **st)
{
	uint64_t seed = 1;
	cot__xsum s = { 0 }, q = { 0 };
	i128 sum = 0, sq = 0;
	char text[COT__XSUM_TEXT_MAX];
	int64_t back;

	(void)st;
	for (int i = 0; i < 100000; i++) {
		/* every magnitude, both signs, and the extremes */
		int64_t v = (int64_t)(rnd(&seed) >> (rnd(&seed) % 64));

		if (i == 7)
			v = INT64_MIN;
		if (i == 8)
			v = INT64_MAX;
		if (rnd(&seed) & 1)
			v = v == INT64_MIN ? v : -v;
		cot__xsum_add_int(&s, v);
		sum += v;
		if (i < 1000) {	/* 1000 squares below 2^116 fit i128 */
			cot__xsum_add_int_square(&q, v / 64);
			sq += (i128)(v / 64) * (v / 64);
		}
	}
	/* exactly the 128-bit truths */
	assert_true(cot__xsum_equal(&s, &(cot__xsum){ 0 }) == (sum == 0));
	{
		cot__xsum r = { 0 }, r2 = { 0 };

		from_i128(&r, sum);
		from_i128(&r2, sq);
		assert_true(cot__xsum_equal(&r, &s));
		assert_true(cot__xsum_equal(&r2, &q));
	}
	{	/* the extremes, squared */
		cot__xsum a = { 0 }, r = { 0 };

		cot__xsum_add_int_square(&a, INT64_MIN);
		cot__xsum_add_int_square(&a, INT64_MAX);
		from_i128(&r, (i128)INT64_MIN * INT64_MIN +
			  (i128)INT64_MAX * INT64_MAX);
		assert_true(cot__xsum_equal(&a, &r));
	}
	assert_true(fabsl(cot__xsum_value(&s) - (long double)sum) <=
		    fabsl((long double)sum) * 1e-18L);
	assert_true(fabsl(cot__xsum_value(&q) - (long double)sq) <=
		    fabsl((long double)sq) * 1e-18L);
	cot__xsum_format(&s, text);
	{
		cot__xsum p;

		assert_true(cot__xsum_parse(&p, text));
		assert_true(cot__xsum_equal(&p, &s));
	}
	/* subtracting every value again leaves exactly zero */
	seed = 1;
	for (int i = 0; i < 100000; i++) {
		int64_t v = (int64_t)(rnd(&seed) >> (rnd(&seed) % 64));

		if (i == 7)
			v = INT64_MIN;
		if (i == 8)
			v = INT64_MAX;
		if (rnd(&seed) & 1)
			v = v == INT64_MIN ? v : -v;
		if (v == INT64_MIN) {	/* no -v: INT64_MAX + 1 */
			cot__xsum_add_int(&s, INT64_MAX);
			cot__xsum_add_int(&s, 1);
		} else {
			cot__xsum_add_int(&s, -v);
		}
	}
	assert_true(cot__xsum_is_zero(&s));
	assert_true(cot__xsum_to_int64(&s, &back) && back == 0);
}

static void test_xsum_small_integers_read_back_exactly(void **st)
{
	cot__xsum s = { 0 };
	int64_t v, want = 0;
	uint64_t seed = 5;

	(void)st;
	for (int i = 0; i < 10000; i++) {
		int64_t x = (int64_t)(rnd(&seed) % 2000001) - 1000000;

		cot__xsum_add_int(&s, x);
		want += x;
	}
	assert_true(cot__xsum_to_int64(&s, &v));
	assert_int_equal(v, want);
	cot__xsum_add_double(&s, 0.5);
	assert_false(cot__xsum_to_int64(&s, &v));	/* not whole */
	cot__xsum_add_double(&s, -0.5);
	cot__xsum_add_double(&s, 0x1p63);		/* too big for int64 */
	assert_false(cot__xsum_to_int64(&s, &v));
}

/* Doubles of every magnitude: the sum does not depend on the order or
 * on the split into partial sums, and cancels exactly. */
static void test_xsum_doubles_are_order_free_and_exact(void **st)
{
	enum { N = 20000 };
	static double v[N];
	uint64_t seed = 9;
	cot__xsum a = { 0 }, b = { 0 }, parts[7] = { { { 0 } } };
	cot__xsum big = { 0 };

	(void)st;
	for (int i = 0; i < N; i++) {
		double m = unit(&seed) * 2 - 1;
		int e = (int)(rnd(&seed) % 2000) - 1000;

		v[i] = ldexp(m, e);
		if (i % 1000 == 3)
			v[i] = 0x1p-1074 * (double)(i % 7); /* subnormal */
		if (i % 1000 == 4)
			v[i] = 1.7976931348623157e308;
	}
	for (int i = 0; i < N; i++)
		cot__xsum_add_double(&a, v[i]);
	for (int i = N - 1; i >= 0; i--)
		cot__xsum_add_double(&parts[rnd(&seed) % 7], v[i]);
	for (int k = 6; k >= 0; k--)
		cot__xsum_merge(&b, &parts[k]);
	assert_true(cot__xsum_equal(&a, &b));
	for (int i = 0; i < N; i++)
		cot__xsum_add_double(&b, -v[i]);
	assert_true(cot__xsum_is_zero(&b));
	/* 1e308 + 1 - 1e308 is 1, not 0 as in doubles */
	cot__xsum_add_double(&big, 1e308);
	cot__xsum_add_double(&big, 1);
	cot__xsum_add_double(&big, -1e308);
	assert_true(cot__xsum_value(&big) == 1.0L);
}

static void test_xsum_double_squares_are_exact(void **st)
{
	uint64_t seed = 11;

	(void)st;
	for (int i = 0; i < 20000; i++) {
		/* whole numbers below 2^31: the int square is the truth */
		int64_t k = (int64_t)(rnd(&seed) % (UINT64_C(1) << 31));
		cot__xsum a = { 0 }, b = { 0 };
		/* m * 2^-20 with m < 2^26: d*d is an exact double */
		double m = (double)(rnd(&seed) % (UINT64_C(1) << 26));
		double d = ldexp(m, -20);

		if (i & 1)
			k = -k;
		assert_true(cot__xsum_add_double_square(&a, (double)k));
		cot__xsum_add_int_square(&b, k);
		assert_true(cot__xsum_equal(&a, &b));
		memset(&a, 0, sizeof a);
		memset(&b, 0, sizeof b);
		assert_true(cot__xsum_add_double_square(&a, -d));
		cot__xsum_add_double(&b, d * d);
		assert_true(cot__xsum_equal(&a, &b));
	}
	{
		/* (1 + 2^-52)^2 = 1 + 2^-51 + 2^-104: no double holds it */
		cot__xsum a = { 0 }, b = { 0 };

		assert_true(cot__xsum_add_double_square(&a, 1 + 0x1p-52));
		cot__xsum_add_double(&b, 1);
		cot__xsum_add_double(&b, 0x1p-51);
		cot__xsum_add_double(&b, 0x1p-104);
		assert_true(cot__xsum_equal(&a, &b));
		assert_false(cot__xsum_add_double_square(&a, 0x1p500));
		assert_true(cot__xsum_equal(&a, &b));	/* nothing added */
	}
}

static void test_xsum_text_round_trips_and_rejects_garbage(void **st)
{
	static const char *const bad[] = {
		"", "-", "1", ":00", "1:", "1:0", "99:0000000000000001",
		"16:000000000000000g", "33:8000000000000000",
		"16:00000000000000010", "x16:0000000000000001",
	};
	uint64_t seed = 3;
	char text[COT__XSUM_TEXT_MAX];
	cot__xsum s = { 0 }, p;

	(void)st;
	cot__xsum_format(&s, text);
	assert_string_equal(text, "0");
	for (int i = 0; i < 200; i++) {
		cot__xsum_add_double(&s, ldexp(unit(&seed) - 0.5,
					  (int)(rnd(&seed) % 2000) - 1000));
		cot__xsum_format(&s, text);
		assert_true(strlen(text) < COT__XSUM_TEXT_MAX);
		assert_true(cot__xsum_parse(&p, text));
		assert_true(cot__xsum_equal(&p, &s));
	}
	memset(&s, 0, sizeof s);
	cot__xsum_add_int(&s, -5);
	cot__xsum_format(&s, text);
	assert_string_equal(text, "-16:0014000000000000");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(cot__xsum_parse(&p, bad[i]));
}

/* ---- the sketch ---------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

typedef double (*gen_fn)(uint64_t *s);

static double gen_lengths(uint64_t *s)	/* lognormal, like think.bytes */
{
	return floor(exp(8.5 + 1.3 * normal(s)));
}

static double gen_counts(uint64_t *s)	/* mostly small, many zeros */
{
	double u = unit(s);

	return u < 0.4 ? 0 : floor(-log(1 - u) * 6);
}

static double gen_reals(uint64_t *s)	/* ratios in [0, 1] */
{
	double u = unit(s);

	return u * u;
}

static double gen_signed(uint64_t *s)	/* both signs, wide range */
{
	double x = normal(s) * exp(3 * normal(s));

	return unit(s) < 0.05 ? 0 : x;
}

static double gen_uniform_int(uint64_t *s)
{
	return (double)(rnd(s) % 200001);
}

static double gen_tiny_ints(uint64_t *s)	/* 0..127: exact */
{
	return (double)(rnd(s) % 128);
}

static const struct {
	const char *name;
	gen_fn gen;
	bool integers;
} dists[] = {
	{ "lognormal lengths", gen_lengths, true },
	{ "counts with zeros", gen_counts, true },
	{ "reals in [0,1]", gen_reals, false },
	{ "signed heavy tails", gen_signed, false },
	{ "uniform 0..200000", gen_uniform_int, true },
	{ "small integers", gen_tiny_ints, true },
};

/* The documented bound, for every q of a fine grid, against the exact
 * element of rank floor(q (n - 1)) of the sorted values. Prints the
 * largest relative error seen. */
static void test_sketch_quantiles_within_documented_bound(void **st)
{
	enum { N = 200000 };
	double *v = malloc(N * sizeof *v);

	(void)st;
	assert_non_null(v);
	for (size_t d = 0; d < sizeof dists / sizeof *dists; d++) {
		uint64_t seed = 100 + d;
		cot__sketch s = { 0 };
		double worst = 0, worst_q = 0;

		for (int i = 0; i < N; i++) {
			v[i] = dists[d].gen(&seed);
			assert_int_equal(cot__sketch_add(&s, v[i]), 0);
		}
		qsort(v, N, sizeof *v, cmp_double);
		for (int g = 0; g <= 10000; g++) {
			double q = g / 10000.0;
			double exact = v[(uint64_t)(q * (double)(N - 1))];
			double est = cot__sketch_quantile(&s, q, dists[d].integers);
			double err = exact == 0 ? fabs(est) :
				     fabs(est - exact) / fabs(exact);

			if (err > worst) {
				worst = err;
				worst_q = q;
			}
			if (err > COT__SKETCH_ALPHA * (1 + 1e-12))
				fail_msg("%s: q=%g exact %.17g sketch %.17g "
					 "rel. error %g > %g", dists[d].name,
					 q, exact, est, err, COT__SKETCH_ALPHA);
			if (dists[d].integers && fabs(exact) < 128)
				assert_true(est == exact);
		}
		printf("# %-20s n=%d  max relative error %.7f at q=%.4f "
		       "(bound %.7f)\n", dists[d].name, N, worst, worst_q,
		       COT__SKETCH_ALPHA);
		cot__sketch_dispose(&s);
	}
	free(v);
}

/* The bound is tight: a bucket's ends are answered with error close
 * to alpha, never above. */
static void test_sketch_bucket_ends_meet_the_bound(void **st)
{
	(void)st;
	for (int k = 64; k < COT__SKETCH_KEYS - 1; k += 97) {
		double lo, hi, just_below;
		cot__sketch s = { 0 };

		cot__sketch_bounds(k, &lo, &hi);
		assert_int_equal(cot__sketch_key(lo), k);
		just_below = nextafter(hi, 0);
		assert_int_equal(cot__sketch_key(just_below), k);
		assert_int_equal(cot__sketch_key(hi), k + 1);
		assert_true(hi / lo <= 1 + 1.0 / 64 + 1e-15);
		assert_int_equal(cot__sketch_add(&s, lo), 0);
		assert_true(fabs(cot__sketch_quantile(&s, 0.5, false) - lo) <=
			    COT__SKETCH_ALPHA * lo * (1 + 1e-12));
		cot__sketch_dispose(&s);
		assert_int_equal(cot__sketch_add(&s, just_below), 0);
		assert_true(fabs(cot__sketch_quantile(&s, 0.5, false) -
				 just_below) <=
			    COT__SKETCH_ALPHA * just_below * (1 + 1e-12));
		cot__sketch_dispose(&s);
	}
	/* keys rise with the magnitude */
	{
		uint64_t seed = 21;

		for (int i = 0; i < 100000; i++) {
			double a = ldexp(unit(&seed), (int)(rnd(&seed) % 200)
					 - 100);
			double b = ldexp(unit(&seed), (int)(rnd(&seed) % 200)
					 - 100);

			if (a > b) {
				double t = a;

				a = b;
				b = t;
			}
			if (a > 0)
				assert_true(cot__sketch_key(a) <= cot__sketch_key(b));
		}
	}
}

/* Merging the sketches of any split gives exactly the sketch of all. */
static void test_sketch_merge_equals_sketch_of_union(void **st)
{
	enum { N = 100000, PARTS = 9 };
	uint64_t seed = 77;
	cot__sketch whole = { 0 }, parts[PARTS], merged = { 0 };

	(void)st;
	memset(parts, 0, sizeof parts);
	for (int i = 0; i < N; i++) {
		double x = gen_signed(&seed);

		assert_int_equal(cot__sketch_add(&whole, x), 0);
		assert_int_equal(cot__sketch_add(&parts[rnd(&seed) % PARTS], x), 0);
	}
	for (int k = PARTS - 1; k >= 0; k--)
		assert_int_equal(cot__sketch_merge(&merged, &parts[k]), 0);
	assert_true(cot__sketch_equal(&merged, &whole));
	for (int g = 0; g <= 1000; g++) {
		double q = g / 1000.0;

		/* the same doubles, bit for bit */
		assert_true(cot__sketch_quantile(&merged, q, false) ==
			    cot__sketch_quantile(&whole, q, false));
	}
	/* and through the partial's JSON form */
	{
		json_t *j = cot__sketch_to_json(&whole);
		char *text = json_dumps(j, JSON_COMPACT);
		json_t *back = json_loads(text, 0, NULL);
		cot__sketch r;

		assert_non_null(back);
		assert_int_equal(cot__sketch_from_json(&r, back), COT_OK);
		assert_true(cot__sketch_equal(&r, &whole));
		cot__sketch_dispose(&r);
		json_decref(back);
		json_decref(j);
		free(text);
	}
	for (int k = 0; k < PARTS; k++)
		cot__sketch_dispose(&parts[k]);
	cot__sketch_dispose(&whole);
	cot__sketch_dispose(&merged);
}

static void test_sketch_edge_cases(void **st)
{
	cot__sketch s = { 0 }, e = { 0 }, r;
	json_t *j;

	(void)st;
	assert_true(isnan(cot__sketch_quantile(&s, 0.5, false)));
	assert_int_equal(cot__sketch_add(&s, NAN), -2);
	assert_int_equal(cot__sketch_add(&s, INFINITY), -2);
	assert_int_equal(s.n, 0);
	assert_int_equal(cot__sketch_add(&s, 0.0), 0);
	assert_int_equal(cot__sketch_add(&s, -0.0), 0);
	assert_int_equal(cot__sketch_add(&s, 1.7976931348623157e308), 0);
	assert_int_equal(cot__sketch_add(&s, -1.7976931348623157e308), 0);
	assert_int_equal(cot__sketch_add(&s, 4.9e-324), 0);
	assert_int_equal(s.n, 5);
	assert_true(cot__sketch_quantile(&s, 0, false) <= -1.7e308);
	assert_true(cot__sketch_quantile(&s, 1, false) >= 1.7e308);
	assert_true(cot__sketch_quantile(&s, 0.5, false) == 0);
	assert_true(isnan(cot__sketch_quantile(&s, 1.5, false)));
	/* empty merges */
	assert_int_equal(cot__sketch_merge(&s, &e), 0);
	assert_int_equal(cot__sketch_merge(&e, &s), 0);
	assert_true(cot__sketch_equal(&e, &s));
	/* malformed JSON forms are refused */
	j = json_loads("{\"n\":3,\"zero\":1,\"pos\":[5,[1]],\"neg\":[0,[]]}",
		       0, NULL);
	assert_int_equal(cot__sketch_from_json(&r, j), COT_EPARSE);	/* counts add up to 2 */
	json_decref(j);
	j = json_loads("{\"n\":1,\"zero\":0,\"pos\":[131072,[1]],"
		       "\"neg\":[0,[]]}", 0, NULL);
	assert_int_equal(cot__sketch_from_json(&r, j), COT_EPARSE);	/* key out of range */
	json_decref(j);
	j = json_loads("{\"n\":1,\"zero\":0,\"pos\":[5,[-1,2]],"
		       "\"neg\":[0,[]]}", 0, NULL);
	assert_int_equal(cot__sketch_from_json(&r, j), COT_EPARSE);
	json_decref(j);
	j = json_loads("{\"n\":1,\"zero\":1,\"pos\":[0,[]],\"neg\":[0,[]],"
		       "\"x\":1}", 0, NULL);
	assert_int_equal(cot__sketch_from_json(&r, j), COT_EPARSE);	/* unknown key */
	json_decref(j);
	cot__sketch_dispose(&s);
	cot__sketch_dispose(&e);
}


/* Damaged partial forms: every number is checked before it is used. A
 * run of -2^63 overflowed a negation, and a store sized from a
 * truncated int then took a count past its end. */
static void test_sketch_from_json_checks_every_number(void **state)
{
	static const char *const bad[] = {
		"{\"n\":2,\"zero\":0,\"pos\":[65536,[1,"
		"-9223372036854775808,1]],\"neg\":[0,[]]}",
		"{\"n\":8,\"zero\":0,\"pos\":[65536,[1,"
		"-9223372036854775808,-100000,7]],\"neg\":[0,[]]}",
		"{\"n\":0,\"zero\":0,\"pos\":[0,[-9223372036854775808]],"
		"\"neg\":[0,[]]}",
		"{\"n\":2,\"zero\":0,\"pos\":[0,[1,-131007,1]],"
		"\"neg\":[0,[]]}",	/* past the last key */
		"{\"n\":2,\"zero\":0,\"pos\":[5,[1,-1,1]],"
		"\"neg\":[0,[]]}",	/* a run of one is written 0 */
		"{\"n\":0,\"zero\":0,\"pos\":[5,[9223372036854775807,"
		"9223372036854775807,2]],\"neg\":[0,[]]}",	/* wraps to 0 */
		"{\"n\":-1,\"zero\":0,\"pos\":[0,[]],\"neg\":[0,[]]}",
		"{\"n\":1,\"zero\":-1,\"pos\":[5,[2]],\"neg\":[0,[]]}",
		"{\"n\":1,\"zero\":0,\"pos\":[-1,[1]],\"neg\":[0,[]]}",
		"{\"n\":1,\"zero\":0,\"pos\":[5,[1.0]],\"neg\":[0,[]]}",
		"{\"n\":1,\"zero\":0,\"pos\":[5,[1],3],\"neg\":[0,[]]}",
	};
	cot__sketch r = { 0 }, s = { 0 };
	json_t *j;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		if (cot__sketch_from_json(&r, j) != COT_EPARSE)
			fail_msg("read: %s", bad[i]);
		assert_int_equal(r.n, 0);
		assert_null(r.pos.c);
		json_decref(j);
	}
	/* the extremes a partial gives must be where the buckets are */
	assert_int_equal(cot__sketch_add(&s, -3), 0);
	assert_int_equal(cot__sketch_add(&s, 0), 0);
	assert_int_equal(cot__sketch_add(&s, 1000), 0);
	assert_true(cot__sketch_holds_extremes(&s, -3, 1000));
	assert_true(cot__sketch_holds_extremes(&s, -3.01, 1001));
	assert_false(cot__sketch_holds_extremes(&s, -1, 1000));
	assert_false(cot__sketch_holds_extremes(&s, -3, 0));
	assert_false(cot__sketch_holds_extremes(&s, 0, 1000));
	assert_false(cot__sketch_holds_extremes(&s, -3, 2000));
	assert_false(cot__sketch_holds_extremes(&s, -3, INFINITY));
	cot__sketch_dispose(&s);
	assert_false(cot__sketch_holds_extremes(&s, 0, 0));
	cot__sketch_add_zeros(&s, 2);
	assert_true(cot__sketch_holds_extremes(&s, 0, 0));
	assert_false(cot__sketch_holds_extremes(&s, 0, 1));
	cot__sketch_dispose(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_xsum_ints_and_squares_match_128_bit_arithmetic),
		cmocka_unit_test(test_xsum_small_integers_read_back_exactly),
		cmocka_unit_test(test_xsum_doubles_are_order_free_and_exact),
		cmocka_unit_test(test_xsum_double_squares_are_exact),
		cmocka_unit_test(
			test_xsum_text_round_trips_and_rejects_garbage),
		cmocka_unit_test(
			test_sketch_quantiles_within_documented_bound),
		cmocka_unit_test(test_sketch_bucket_ends_meet_the_bound),
		cmocka_unit_test(test_sketch_merge_equals_sketch_of_union),
		cmocka_unit_test(test_sketch_edge_cases),
		cmocka_unit_test(test_sketch_from_json_checks_every_number),
	};

	return cmocka_run_group_tests_name("sketch", tests, NULL, NULL);
}
