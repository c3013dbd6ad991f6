/* compare.h - differences between groups of a summary, with 95%
 * confidence intervals: Welch-Satterthwaite for means, Newcombe's hybrid
 * score interval for rates (see the README, "Statistics"). */
#ifndef COT_COMPARE_H
#define COT_COMPARE_H

#include "stats/summary.h"

#define COT__COMPARE_LEVEL 0.95

/* The quantile of the standard normal distribution at p, 0 < p < 1. */
double cot__norm_quantile(double p);
/* The regularized incomplete beta function I_x(a, b), a, b > 0, with
 * y = 1 - x given apart (so that x near 1 keeps its digits). */
double cot__inc_beta(double a, double b, double x, double y);
/* The quantile of Student's t distribution with df > 0 (not only whole)
 * degrees of freedom at p, 0 < p < 1. */
double cot__t_quantile(double p, double df);

/* One difference, group minus baseline, and its interval: lo and hi
 * NAN when there is none (a group with too few values). */
typedef struct cot__diff {
	uint64_t n, base_n;	/* values (numbers) or flags counted */
	double value, base;	/* mean or rate of the group, the baseline */
	double diff, lo, hi;
	double df;		/* Welch's degrees of freedom; NAN: none */
	int significant;	/* the interval excludes 0: 1, 0; -1: none */
} cot__diff;

/* Welch: means m1, m2 of n1, n2 values with sample variances v1, v2;
 * the difference m1 - m2. An interval needs n1, n2 >= 2 and finite
 * variances; when both are 0 it is the difference itself (df NAN). */
void cot__welch(cot__diff *d, uint64_t n1, double m1, double v1,
		uint64_t n2, double m2, double v2);
/* Newcombe's hybrid score interval (method 10) for the difference of
 * the proportions t1/n1 - t2/n2, from Wilson score intervals; an
 * interval needs n1, n2 >= 1. */
void cot__newcombe(cot__diff *d, uint64_t t1, uint64_t n1, uint64_t t2,
		   uint64_t n2);
/* Field f of group g against the baseline: Welch for int and real
 * fields, Newcombe for bool ones; false for other fields (not
 * compared). */
bool cot__compare_field(const fdef *f, const group *g, const group *base,
			cot__diff *d);

/* The table of a comparison (table.c): g[0..ng) the groups in order,
 * base the baseline among them. */
void cot__render_compare_table(sb *b, const cot_summary *s, const bool *show,
			       group **g, size_t ng, const group *base,
			       int width);

#endif
