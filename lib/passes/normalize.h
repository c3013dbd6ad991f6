/* normalize.h - answer normalisation and equality (strings and numbers). */
#ifndef COT_NORMALIZE_H
#define COT_NORMALIZE_H

#include "base/internal.h"

/* Normalise the answer text s[0..n) (see the README, "Normalisation"):
 * strip math delimiters, \left/\right, spacing commands, \displaystyle,
 * $, %, degrees, currency, \text{} wrappers, trailing units, thousands
 * separators and white space; \dfrac/\tfrac -> \frac; \frac43 ->
 * \frac{4}{3}; ^{2} -> ^2. The result is NUL-terminated, allocated in a
 * (at most 2n + 16 bytes). Returns COT_OK or COT_ENOMEM. */
int cot__answer_normalize(const char *s, size_t n, cot__arena *a,
			  const char **out, size_t *outlen);

/* Whether two normalised answers are equal: the same bytes; or one is
 * "NAME=value" and the other has no '=' and equals value; or both are
 * numbers (integers, decimals, a/b, \frac{a}{b}, mixed numbers) within
 * 1e-6 relative; or both are tuples / intervals with the same brackets,
 * sets, matrices or unions whose elements are equal in order (sets and
 * bare comma lists: in any order). Never allocates. */
bool cot__answer_equal(const char *a, size_t na, const char *b, size_t nb);

/* The number a normalised answer stands for, if it is one. */
bool cot__answer_number(const char *s, size_t n, double *value);

/* A reference that gives no verdict: empty, or a sentinel of datasets
 * whose problems have no checkable answer ("proof", "notfound",
 * case-insensitive: NuminaMath-1.5's sentinels). s is the raw reference. */
bool cot__answer_sentinel(const char *s, size_t n);

#endif
