/* compare.c - each group against a baseline: differences of means with
 * Welch-Satterthwaite t intervals (Welch 1947), differences of rates
 * with Newcombe's hybrid score intervals (Newcombe 1998, method 10),
 * all at 95%, and their rendering as JSON and TSV (the table is in
 * table.c). The distributions are computed here, with no state: the
 * library may be used from many threads (lgamma is not thread-safe). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats/compare.h"

#define PI 3.14159265358979323846

/* ---- distributions ------------------------------------------------- */

/* Acklam's rational approximation (relative error 1.15e-9), then two
 * Halley steps on erfc, which make it exact to the last bits. */
double cot__norm_quantile(double p)
{
	static const double a[] = {
		-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
		-3.066479806614716e+01, 2.506628277459239e+00,
	};
	static const double b[] = {
		-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
		-1.328068155288572e+01,
	};
	static const double c[] = {
		-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
		4.374664141464968e+00, 2.938163982698783e+00,
	};
	static const double d[] = {
		7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00,
	};
	double q, r, x;

	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	if (p < 0.02425 || p > 1 - 0.02425) {
		q = sqrt(-2 * log(p < 0.5 ? p : 1 - p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) *
		     q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) *
				  q + 1);
		if (p > 0.5)
			x = -x;
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) *
		     r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r +
					b[3]) * r + b[4]) * r + 1);
	}
	for (int k = 0; k < 2; k++) {
		double e = 0.5 * erfc(-x / sqrt(2)) - p;
		double u = e * sqrt(2 * PI) * exp(x * x / 2);

		x -= u / (1 + x * u / 2);
	}
	return x;
}

/* ln Gamma(x) - Stirling's main terms, for x >= 10: the asymptotic
 * series to x^-13, whose next term is below 1e-17 there. */
static double stirling_rest(double x)
{
	double r = 1 / x, r2 = r * r;

	return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 -
		r2 * (1.0 / 1680 - r2 * (1.0 / 1188 - r2 * (691.0 / 360360 -
		r2 / 156))))));
}

/* ln Gamma(x), x > 0: shifted up to 10 or more, then Stirling. */
static double log_gamma(double x)
{
	double prod = 1;

	for (; x < 10; x++)
		prod *= x;
	return (x - 0.5) * log(x) - x + 0.5 * log(2 * PI) +
	       stirling_rest(x) - log(prod);
}

/* ln B(a, b). With q the larger of a and b and at least 10,
 * ln Gamma(q) - ln Gamma(p + q) is taken as one expression, so that
 * the t distribution's B(df/2, 1/2) keeps its digits at any df. */
static double log_beta(double a, double b)
{
	double p = a < b ? a : b, q = a < b ? b : a;

	if (q < 10)
		return log_gamma(p) + log_gamma(q) - log_gamma(p + q);
	return log_gamma(p) + stirling_rest(q) - stirling_rest(p + q) -
	       (q - 0.5) * log1p(p / q) - p * log(p + q) + p;
}

/* I_x(a, b) by its continued fraction, for 0 < x < 1: fast where x
 * is below about (a + 1) / (a + b + 2), or b x is small. */
static double beta_cf(double a, double b, double x, double y)
{
	double lx, ly, front, f = 1, c = 1, d = 0;

	lx = x < 0.5 ? log(x) : log1p(-y);
	ly = y < 0.5 ? log(y) : log1p(-x);
	front = exp(a * lx + b * ly - log_beta(a, b)) / a;
	/* Lentz's method on the continued fraction 1/(1 + d1/(1 + d2/...)):
	 * d(2m+1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),
	 * d(2m) = m (b - m) x / ((a + 2m - 1)(a + 2m)) */
	for (unsigned i = 0; i < 1000000; i++) {
		double m = i / 2, num, cd;

		if (i == 0)
			num = 1;
		else if (i % 2 == 0)
			num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		else
			num = -(a + m) * (a + b + m) * x /
			      ((a + 2 * m) * (a + 2 * m + 1));
		d = 1 + num * d;
		if (fabs(d) < 1e-300)
			d = 1e-300;
		d = 1 / d;
		c = 1 + num / c;
		if (fabs(c) < 1e-300)
			c = 1e-300;
		cd = c * d;
		f *= cd;
		if (fabs(1 - cd) < 1e-16)
			break;
	}
	return front * (f - 1);
}

double cot__inc_beta(double a, double b, double x, double y)
{
	if (x <= 0)
		return 0;
	if (y <= 0)
		return 1;
	if (x > (a + 1) / (a + b + 2))
		return 1 - beta_cf(b, a, y, x);
	return beta_cf(a, b, x, y);
}

/* P(T > t) for t >= 0, and the density at t. */
static double t_upper(double t, double df)
{
	double t2 = t * t, x = df / (df + t2), y = t2 / (df + t2);

	if (t2 <= 0)
		return 0.5;
	/* P(T > t) = I_x(df/2, 1/2) / 2 = (1 - I_y(1/2, df/2)) / 2. Past
	 * 1000 degrees of freedom x is near 1, just below the mean of the
	 * beta distribution, where the fraction of I_x converges so slowly
	 * that rounding takes digits (3e-12 at 1e6); that of I_y (b y is
	 * about t^2/2) converges in a few dozen steps. Below, I_x is the
	 * closer (relative errors under 1e-14 either way, against mpmath) */
	if (df > 1000 && t2 < df)
		return 0.5 * (1 - beta_cf(0.5, df / 2, y, x));
	return 0.5 * cot__inc_beta(df / 2, 0.5, x, y);
}

static double t_density(double t, double df)
{
	return exp(-log_beta(df / 2, 0.5) - 0.5 * log(df) -
		   (df + 1) / 2 * log1p(t * t / df));
}

double cot__t_quantile(double p, double df)
{
	double z, t, lo = 0, hi, q;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	if (p < 0.5)
		return -cot__t_quantile(1 - p, df);
	if (p == 0.5)
		return 0;
	if (df == 1)
		return tan(PI * (p - 0.5));
	if (df == 2)
		return (2 * p - 1) / sqrt(2 * p * (1 - p));
	/* the Cornish-Fisher expansion in 1/df (Abramowitz and Stegun
	 * 26.7.5): a start for Newton's method, and the answer itself
	 * past 1e7 degrees of freedom, where its error is below 1e-28 */
	z = cot__norm_quantile(p);
	{
		double z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2;
		double z9 = z7 * z2;

		t = z + (z3 + z) / (4 * df) +
		    (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) +
		    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) /
		    (384 * df * df * df) +
		    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) /
		    (92160 * df * df * df * df);
	}
	if (df > 1e7)
		return t;
	/* Newton's method on P(T > t) = 1 - p, kept inside a bracket
	 * (bisection when a step leaves it) */
	q = 1 - p;
	hi = t > 1 ? 2 * t : 2;
	while (t_upper(hi, df) > q)
		hi *= 2;
	if (!(t > lo && t < hi))
		t = (lo + hi) / 2;
	for (int k = 0; k < 200; k++) {
		double u = t_upper(t, df), next;

		if (u > q)
			lo = t;
		else
			hi = t;
		next = t + (u - q) / t_density(t, df);
		if (!(next > lo && next < hi))
			next = (lo + hi) / 2;
		if (fabs(next - t) <= 4e-16 * t) {
			t = next;
			break;
		}
		t = next;
	}
	return t;
}

/* ---- intervals ----------------------------------------------------- */

static void mark(cot__diff *d)
{
	d->significant = isnan(d->lo) || isnan(d->hi) ? -1 :
			 d->lo > 0 || d->hi < 0;
}

void cot__welch(cot__diff *d, uint64_t n1, double m1, double v1,
		uint64_t n2, double m2, double v2)
{
	double a, b, se2;

	d->n = n1;
	d->base_n = n2;
	d->value = m1;
	d->base = m2;
	d->diff = n1 && n2 ? m1 - m2 : NAN;
	d->lo = d->hi = d->df = NAN;
	if (n1 >= 2 && n2 >= 2 && isfinite(v1) && isfinite(v2)) {
		a = v1 / (double)n1;
		b = v2 / (double)n2;
		se2 = a + b;
		if (se2 > 0) {
			double h;

			/* Satterthwaite's degrees of freedom */
			d->df = se2 * se2 / (a * a / (double)(n1 - 1) +
					     b * b / (double)(n2 - 1));
			h = cot__t_quantile(0.5 + COT__COMPARE_LEVEL / 2,
					    d->df) * sqrt(se2);
			d->lo = d->diff - h;
			d->hi = d->diff + h;
		} else {	/* both constant: no spread at all */
			d->lo = d->hi = d->diff;
		}
	}
	mark(d);
}

/* Wilson's score interval for t of n, within [0, 1] and around t/n
 * (which the exact values are: this only takes away rounding). */
static void wilson(uint64_t t, uint64_t n, double z, double *l, double *u)
{
	double nn = (double)n, p = (double)t / nn, z2 = z * z;
	double mid = 2 * (double)t + z2, half = z * sqrt(z2 + 4 * (double)t *
							  (1 - p));

	*l = (mid - half) / (2 * (nn + z2));
	*u = (mid + half) / (2 * (nn + z2));
	if (*l < 0 || t == 0)
		*l = 0;
	if (*l > p)
		*l = p;
	if (*u > 1 || t == n)
		*u = 1;
	if (*u < p)
		*u = p;
}

void cot__newcombe(cot__diff *d, uint64_t t1, uint64_t n1, uint64_t t2,
		   uint64_t n2)
{
	double z = cot__norm_quantile(0.5 + COT__COMPARE_LEVEL / 2);
	double p1, p2, l1, u1, l2, u2;

	d->n = n1;
	d->base_n = n2;
	d->value = n1 ? (double)t1 / (double)n1 : NAN;
	d->base = n2 ? (double)t2 / (double)n2 : NAN;
	d->diff = d->value - d->base;
	d->lo = d->hi = d->df = NAN;
	if (n1 && n2) {
		p1 = d->value;
		p2 = d->base;
		wilson(t1, n1, z, &l1, &u1);
		wilson(t2, n2, z, &l2, &u2);
		d->lo = d->diff - sqrt((p1 - l1) * (p1 - l1) +
				       (u2 - p2) * (u2 - p2));
		d->hi = d->diff + sqrt((u1 - p1) * (u1 - p1) +
				       (p2 - l2) * (p2 - l2));
	}
	mark(d);
}

bool cot__compare_field(const fdef *f, const group *g, const group *base,
			cot__diff *d)
{
	if (cot__numeric(f->type)) {
		nstat a, b;

		cot__num_stats(f, g, &a);
		cot__num_stats(f, base, &b);
		cot__welch(d, a.n, a.mean, a.var, b.n, b.mean, b.var);
		return true;
	}
	if (f->type == COT_TYPE_BOOL) {
		const boolacc *a = &g->bl[f->slot], *b = &base->bl[f->slot];

		cot__newcombe(d, a->t, a->t + a->f, b->t, b->t + b->f);
		return true;
	}
	return false;
}

/* ---- JSON and TSV -------------------------------------------------- */

static void num_text(char t[40], double v)
{
	t[0] = '\0';
	if (isfinite(v))
		cot__real_text(v, t, 0);
}

static void put_num(sb *b, double v)
{
	char t[40];

	num_text(t, v);
	sb_puts(b, t[0] ? t : "null");
}

static const char *method_of(const fdef *f)
{
	return f->type == COT_TYPE_BOOL ? "newcombe" : "welch";
}

static void json_diff(sb *b, const fdef *f, const cot__diff *d)
{
	bool rate = f->type == COT_TYPE_BOOL;

	sb_json_str(b, f->name, strlen(f->name));
	sb_printf(b, ":{\"type\":\"%s\",\"method\":\"%s\",\"n\":%llu,"
		  "\"baseline_n\":%llu,\"%s\":", cot__summary_type_names[f->type],
		  method_of(f), (unsigned long long)d->n,
		  (unsigned long long)d->base_n, rate ? "rate" : "mean");
	put_num(b, d->value);
	sb_printf(b, ",\"baseline_%s\":", rate ? "rate" : "mean");
	put_num(b, d->base);
	sb_puts(b, ",\"diff\":");
	put_num(b, d->diff);
	sb_puts(b, ",\"lo\":");
	put_num(b, d->lo);
	sb_puts(b, ",\"hi\":");
	put_num(b, d->hi);
	if (!rate) {
		sb_puts(b, ",\"df\":");
		put_num(b, d->df);
	}
	sb_puts(b, ",\"significant\":");
	sb_puts(b, d->significant < 0 ? "null" : d->significant ? "true" :
		"false");
	sb_puts(b, "}");
}

static void render_json(sb *b, const cot_summary *s, const bool *show,
			group **g, size_t ng, const group *base)
{
	sb_puts(b, "{\"by\":");
	cot__render_json_by(b, s);
	sb_puts(b, ",\"baseline\":");
	sb_add(b, base->key, base->keylen);
	sb_puts(b, ",\"confidence\":");
	put_num(b, COT__COMPARE_LEVEL);
	sb_puts(b, ",\"groups\":[");
	for (size_t i = 0, first = 1; i < ng; i++) {
		bool any = false;

		if (g[i] == base)
			continue;
		sb_puts(b, first ? "{\"key\":" : ",{\"key\":");
		first = 0;
		sb_add(b, g[i]->key, g[i]->keylen);
		sb_puts(b, ",\"fields\":{");
		for (size_t k = 0; k < s->nf; k++) {
			cot__diff d;

			if (!show[k] || !cot__compare_field(&s->f[k], g[i],
							    base, &d))
				continue;
			if (any)
				sb_puts(b, ",");
			any = true;
			json_diff(b, &s->f[k], &d);
		}
		sb_puts(b, "}}");
	}
	sb_puts(b, "]}\n");
}

/* A TSV cell: tabs, line breaks and backslashes escaped, as stats'. */
static void tsv_cell(sb *b, const char *s, bool last)
{
	for (; *s; s++) {
		const char *e = *s == '\t' ? "\\t" : *s == '\n' ? "\\n" :
				*s == '\r' ? "\\r" : *s == '\\' ? "\\\\" : NULL;

		if (e)
			sb_puts(b, e);
		else
			sb_add(b, s, 1);
	}
	sb_puts(b, last ? "\n" : "\t");
}

static void render_tsv(sb *b, const cot_summary *s, const bool *show,
		       group **g, size_t ng, const group *base)
{
	sb_puts(b, "group\tbaseline\tfield\tmethod\tn\tbaseline_n\tvalue\t"
		"baseline_value\tdiff\tlo\thi\tdf\tsignificant\n");
	for (size_t i = 0; i < ng; i++) {
		if (g[i] == base)
			continue;
		for (size_t k = 0; k < s->nf; k++) {
			const fdef *f = &s->f[k];
			double v[] = { 0, 0, 0, 0, 0, 0 };
			char t[40];
			cot__diff d;

			if (!show[k] || !cot__compare_field(f, g[i], base, &d))
				continue;
			tsv_cell(b, g[i]->disp, false);
			tsv_cell(b, base->disp, false);
			tsv_cell(b, f->name, false);
			tsv_cell(b, method_of(f), false);
			sb_printf(b, "%llu\t%llu\t", (unsigned long long)d.n,
				  (unsigned long long)d.base_n);
			v[0] = d.value;
			v[1] = d.base;
			v[2] = d.diff;
			v[3] = d.lo;
			v[4] = d.hi;
			v[5] = f->type == COT_TYPE_BOOL ? NAN : d.df;
			for (int c = 0; c < 6; c++) {
				num_text(t, v[c]);
				tsv_cell(b, t, false);
			}
			tsv_cell(b, d.significant < 0 ? "" : d.significant ?
				 "true" : "false", true);
		}
	}
}

int cot_summary_render_compare(cot_buf *out, cot_summary *s,
			       cot_summary_format format, const char *fields,
			       const char *baseline, int width,
			       cot_error *err)
{
	bool *show = NULL;
	group **g = NULL, *base = NULL;
	sb b = { { 0 }, false };
	size_t start = out->size;
	int rc;

	if (cot__summary_settle(s))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory "
				      "(the summary is incomplete)");
	if (!s->by)
		return cot__error_set(err, COT_EINVAL, 0, 0, "the summary has "
				      "no groups to compare (make it with a "
				      "by key)");
	if (s->ng < 2)
		return cot__error_set(err, COT_EINVAL, 0, 0, "%zu group%s: "
				      "a comparison needs two or more",
				      s->ng, s->ng == 1 ? "" : "s");
	g = cot__sorted_groups(s);
	if (!g)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	base = g[0];
	for (size_t i = 0; baseline && i < s->ng; i++)
		if (!strcmp(g[i]->disp, baseline)) {
			base = g[i];
			break;
		}
	if (baseline && strcmp(base->disp, baseline)) {
		rc = cot__error_set(err, COT_EINVAL, 0, 0, "no group is named "
				    "'%s' (the baseline); the first is '%s'",
				    baseline, g[0]->disp);
		goto done;
	}
	rc = cot__summary_shown(&show, s, fields, format, err);
	if (rc)
		goto done;
	b.buf = *out;
	if (format == COT_SUMMARY_JSON)
		render_json(&b, s, show, g, s->ng, base);
	else if (format == COT_SUMMARY_TSV)
		render_tsv(&b, s, show, g, s->ng, base);
	else
		cot__render_compare_table(&b, s, show, g, s->ng, base,
					  width > 0 ? width : 100);
	rc = cot__render_end(out, &b, start, err);
done:
	cot__free(show);
	cot__free(g);
	return rc;
}
