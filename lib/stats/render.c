/* render.c - a summary's statistics, as JSON and as TSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats/summary.h"

/* ---- statistics from the state ------------------------------------- */

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

void cot__num_stats(const fdef *f, const group *g, nstat *st)
{
	const numacc *a = &g->num[f->slot];
	long double sum, sq, n = (long double)a->n;
	cot__xsum xs, xq;

	memset(st, 0, sizeof *st);
	st->n = a->n;
	st->nulls = g->traces > a->n ? g->traces - a->n : 0;
	st->nonzero = a->nonzero;
	st->integer = f->type == COT_TYPE_INT;
	st->mean = st->std = st->var = st->min = st->max = NAN;
	st->p50 = st->p90 = st->p99 = NAN;
	cot__num_sums(a, &xs, &xq);
	sum = cot__xsum_value(&xs);
	st->sum = (double)sum;
	st->exact_sum = cot__xsum_to_int64(&xs, &st->isum);
	if (a->n == 0)
		return;
	st->min = st->integer ? (double)a->imin : a->rmin;
	st->max = st->integer ? (double)a->imax : a->rmax;
	st->mean = (double)(sum / n);
	if (a->n >= 2 && !a->sq_over) {
		/* sample variance from the exact sums, rounded once each */
		long double var;

		sq = cot__xsum_value(&xq);
		var = (sq - sum * sum / n) / (n - 1);
		st->std = var > 0 ? (double)sqrtl(var) : 0.0;
		st->var = var > 0 ? (double)var : 0.0;
	}
	/* the true quantile lies in [min, max]: clamping only helps */
	st->p50 = clamp(cot__sketch_quantile(&a->sk, 0.5, st->integer), st->min,
			st->max);
	st->p90 = clamp(cot__sketch_quantile(&a->sk, 0.9, st->integer), st->min,
			st->max);
	st->p99 = clamp(cot__sketch_quantile(&a->sk, 0.99, st->integer), st->min,
			st->max);
}

/* TSV cells hold no tab or line break: backslash escapes, as in
 * PostgreSQL's text COPY format. */
static void sb_tsv(sb *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" :
				s[i] == '\r' ? "\\r" : s[i] == '\\' ? "\\\\" :
				NULL;

		if (e)
			sb_puts(b, e);
		else
			sb_add(b, s + i, 1);
	}
}

/* ---- JSON and TSV -------------------------------------------------- */

static void put_num(sb *b, double v)
{
	char t[40];

	if (!isfinite(v)) {
		sb_puts(b, "null");
		return;
	}
	cot__real_text(v, t, 0);
	sb_puts(b, t);
}

static void put_u(sb *b, uint64_t v)
{
	sb_printf(b, "%llu", (unsigned long long)v);
}

/* The min or max of a field as text, "" when there is none: an INT
 * field's exactly as an integer (a double would round it past 2^53 and
 * write 10 as 1e+01), a REAL field's as cot__real_text writes it. JSON
 * and TSV both write this text. */
static void minmax_text(const fdef *f, const numacc *a, bool max,
			char out[40])
{
	double r = max ? a->rmax : a->rmin;

	out[0] = '\0';
	if (a->n == 0)
		return;
	if (f->type == COT_TYPE_INT)
		snprintf(out, 40, "%lld", (long long)(max ? a->imax : a->imin));
	else if (isfinite(r))
		cot__real_text(r, out, 0);
}

static void put_minmax(sb *b, const fdef *f, const numacc *a, bool max)
{
	char t[40];

	minmax_text(f, a, max, t);
	sb_puts(b, t[0] ? t : "null");
}

static void json_fields(sb *b, const cot_summary *s, const group *g,
			const bool *show)
{
	bool first = true;

	sb_puts(b, "\"fields\":{");
	for (size_t i = 0; i < s->nf; i++) {
		const fdef *f = &s->f[i];

		if (!show[i])
			continue;
		if (!first)
			sb_puts(b, ",");
		first = false;
		sb_json_str(b, f->name, strlen(f->name));
		sb_printf(b, ":{\"type\":\"%s\"", cot__summary_type_names[f->type]);
		if (cot__numeric(f->type)) {
			const numacc *a = &g->num[f->slot];
			nstat st;

			cot__num_stats(f, g, &st);
			sb_puts(b, ",\"unit\":");
			sb_json_str(b, f->unit, strlen(f->unit));
			sb_puts(b, ",\"count\":");
			put_u(b, st.n);
			sb_puts(b, ",\"null\":");
			put_u(b, st.nulls);
			sb_puts(b, ",\"nonzero\":");
			put_u(b, st.nonzero);
			sb_puts(b, ",\"sum\":");
			if (st.exact_sum)
				sb_printf(b, "%lld", (long long)st.isum);
			else
				put_num(b, st.sum);
			sb_puts(b, ",\"mean\":");
			put_num(b, st.mean);
			sb_puts(b, ",\"std\":");
			put_num(b, st.std);
			sb_puts(b, ",\"min\":");
			put_minmax(b, f, a, false);
			sb_puts(b, ",\"p50\":");
			put_num(b, st.p50);
			sb_puts(b, ",\"p90\":");
			put_num(b, st.p90);
			sb_puts(b, ",\"p99\":");
			put_num(b, st.p99);
			sb_puts(b, ",\"max\":");
			put_minmax(b, f, a, true);
		} else if (f->type == COT_TYPE_BOOL) {
			const boolacc *a = &g->bl[f->slot];
			uint64_t n = a->t + a->f;

			sb_puts(b, ",\"count\":");
			put_u(b, n);
			sb_puts(b, ",\"null\":");
			put_u(b, g->traces > n ? g->traces - n : 0);
			sb_puts(b, ",\"true\":");
			put_u(b, a->t);
			sb_puts(b, ",\"false\":");
			put_u(b, a->f);
			sb_puts(b, ",\"rate\":");
			put_num(b, n ? (double)a->t / (double)n : NAN);
		} else {
			const stracc *a = &g->str[f->slot];

			sb_puts(b, ",\"count\":");
			put_u(b, a->n);
			sb_puts(b, ",\"null\":");
			put_u(b, g->traces > a->n ? g->traces - a->n : 0);
			sb_puts(b, ",\"values\":");
			if (a->over) {
				sb_puts(b, "null");
			} else {
				strval *v = cot__sorted_values(a);

				if (!v)
					b->failed = true;
				sb_puts(b, "{");
				for (size_t k = 0; v && k < a->nv; k++) {
					if (k)
						sb_puts(b, ",");
					sb_json_str(b, v[k].s, v[k].len);
					sb_puts(b, ":");
					put_u(b, v[k].c);
				}
				sb_puts(b, "}");
				cot__free(v);
			}
		}
		sb_puts(b, "}");
	}
	sb_puts(b, "}");
}

void cot__render_json_by(sb *b, const cot_summary *s)
{
	if (!s->by) {
		sb_puts(b, "null");
	} else if (s->nkeys == 1) {
		sb_json_str(b, s->by, strlen(s->by));
	} else {	/* several keys: their list, as the group keys are */
		for (size_t k = 0; k < s->nkeys; k++) {
			sb_puts(b, k ? "," : "[");
			sb_json_str(b, s->keys[k], strlen(s->keys[k]));
		}
		sb_puts(b, "]");
	}
}

static void json_counts(sb *b, const group *g)
{
	sb_printf(b, "\"records\":%llu,\"traces\":%llu,\"no_trace\":%llu,"
		  "\"tool_only\":%llu,\"malformed\":%llu",
		  (unsigned long long)g->records,
		  (unsigned long long)g->traces,
		  (unsigned long long)g->no_trace,
		  (unsigned long long)g->tool_only,
		  (unsigned long long)g->malformed);
}

void cot__render_json(sb *b, const cot_summary *s, const bool *show)
{
	sb_puts(b, "{");
	json_counts(b, &s->total);
	sb_puts(b, ",\"by\":");
	cot__render_json_by(b, s);
	if (s->by)
		sb_printf(b, ",\"by_errors\":%llu",
			  (unsigned long long)s->total.by_errors);
	sb_puts(b, ",\"quantile_relative_error\":");
	put_num(b, COT__SKETCH_ALPHA);
	sb_puts(b, ",");
	json_fields(b, s, &s->total, show);
	if (s->by) {
		group **g = cot__sorted_groups(s);

		if (!g)
			b->failed = true;
		sb_puts(b, ",\"groups\":[");
		for (size_t i = 0; g && i < s->ng; i++) {
			sb_puts(b, i ? ",{\"key\":" : "{\"key\":");
			sb_add(b, g[i]->key, g[i]->keylen);
			sb_puts(b, ",");
			json_counts(b, g[i]);
			sb_puts(b, ",");
			json_fields(b, s, g[i], show);
			sb_puts(b, "}");
		}
		sb_puts(b, "]");
		cot__free(g);
	}
	sb_puts(b, "}\n");
}

static void tsv_row(sb *b, const char *gname, const char *field,
		    const char *stat, const char *value)
{
	sb_tsv(b, gname, strlen(gname));
	sb_puts(b, "\t");
	sb_tsv(b, field, strlen(field));
	sb_puts(b, "\t");
	sb_tsv(b, stat, strlen(stat));
	sb_puts(b, "\t");
	sb_tsv(b, value, strlen(value));
	sb_puts(b, "\n");
}

static void tsv_u(sb *b, const char *gname, const char *field,
		  const char *stat, uint64_t v)
{
	char t[32];

	snprintf(t, sizeof t, "%llu", (unsigned long long)v);
	tsv_row(b, gname, field, stat, t);
}

static void tsv_d(sb *b, const char *gname, const char *field,
		  const char *stat, double v)
{
	char t[40] = "";

	if (isfinite(v))
		cot__real_text(v, t, 0);
	tsv_row(b, gname, field, stat, t);
}

static void tsv_group(sb *b, const cot_summary *s, const group *g,
		      const bool *show)
{
	const char *gname = g->key ? g->disp : "(all)";

	tsv_u(b, gname, "", "records", g->records);
	tsv_u(b, gname, "", "traces", g->traces);
	tsv_u(b, gname, "", "no_trace", g->no_trace);
	tsv_u(b, gname, "", "tool_only", g->tool_only);
	tsv_u(b, gname, "", "malformed", g->malformed);
	for (size_t i = 0; i < s->nf; i++) {
		const fdef *f = &s->f[i];

		if (!show[i])
			continue;
		if (cot__numeric(f->type)) {
			nstat st;
			char t[40];

			cot__num_stats(f, g, &st);
			tsv_u(b, gname, f->name, "count", st.n);
			tsv_u(b, gname, f->name, "null", st.nulls);
			tsv_u(b, gname, f->name, "nonzero", st.nonzero);
			if (st.exact_sum) {
				snprintf(t, sizeof t, "%lld",
					 (long long)st.isum);
				tsv_row(b, gname, f->name, "sum", t);
			} else {
				tsv_d(b, gname, f->name, "sum", st.sum);
			}
			tsv_d(b, gname, f->name, "mean", st.mean);
			tsv_d(b, gname, f->name, "std", st.std);
			minmax_text(f, &g->num[f->slot], false, t);
			tsv_row(b, gname, f->name, "min", t);
			tsv_d(b, gname, f->name, "p50", st.p50);
			tsv_d(b, gname, f->name, "p90", st.p90);
			tsv_d(b, gname, f->name, "p99", st.p99);
			minmax_text(f, &g->num[f->slot], true, t);
			tsv_row(b, gname, f->name, "max", t);
		} else if (f->type == COT_TYPE_BOOL) {
			const boolacc *a = &g->bl[f->slot];
			uint64_t n = a->t + a->f;

			tsv_u(b, gname, f->name, "count", n);
			tsv_u(b, gname, f->name, "null",
			      g->traces > n ? g->traces - n : 0);
			tsv_u(b, gname, f->name, "true", a->t);
			tsv_u(b, gname, f->name, "false", a->f);
			tsv_d(b, gname, f->name, "rate",
			      n ? (double)a->t / (double)n : NAN);
		} else {
			const stracc *a = &g->str[f->slot];
			sb stat = { { 0 }, false };

			tsv_u(b, gname, f->name, "count", a->n);
			tsv_u(b, gname, f->name, "null",
			      g->traces > a->n ? g->traces - a->n : 0);
			if (!a->over) {
				strval *v = cot__sorted_values(a);

				if (!v)
					b->failed = true;
				for (size_t k = 0; v && k < a->nv; k++) {
					stat.buf.size = 0;
					sb_puts(&stat, "count=");
					sb_add(&stat, v[k].s, v[k].len);
					if (stat.failed) {
						b->failed = true;
						break;
					}
					tsv_u(b, gname, f->name,
					      stat.buf.ptr, v[k].c);
				}
				cot__free(v);
			}
			cot__sbuf_dispose(&stat.buf);
		}
	}
}

void cot__render_tsv(sb *b, const cot_summary *s, const bool *show)
{
	sb_puts(b, "group\tfield\tstat\tvalue\n");
	tsv_group(b, s, &s->total, show);
	if (s->by) {
		group **g = cot__sorted_groups(s);

		if (!g)
			b->failed = true;
		for (size_t i = 0; g && i < s->ng; i++)
			tsv_group(b, s, g[i], show);
		cot__free(g);
	}
}

int cot__summary_shown(bool **out, const cot_summary *s, const char *fields,
			cot_summary_format format, cot_error *err)
{
	const char **names = cot__calloc(s->nf ? s->nf : 1, sizeof *names);
	cot_type *types = cot__calloc(s->nf ? s->nf : 1, sizeof *types);
	bool *show = cot__calloc(s->nf ? s->nf : 1, sizeof *show);
	int rc = COT_ENOMEM;

	*out = NULL;
	if (!names || !types || !show)
		goto done;
	for (size_t i = 0; i < s->nf; i++) {
		names[i] = s->f[i].name;
		types[i] = s->f[i].type;
		show[i] = !fields && (format != COT_SUMMARY_TABLE ||
				      cot__main_field(s, &s->f[i]));
	}
	rc = fields ? cot__summary_choose(names, types, s->nf, fields, show,
					  err) : COT_OK;
done:
	if (rc == COT_ENOMEM)
		cot__error_set(err, rc, 0, 0, "out of memory");
	if (rc == COT_OK) {
		*out = show;
		show = NULL;
	}
	cot__free(names);
	cot__free(types);
	cot__free(show);
	return rc;
}

int cot__render_end(cot_buf *out, sb *b, size_t start, cot_error *err)
{
	if (!b->failed && cot__sbuf_reserve(&b->buf, 0))
		b->failed = true;	/* a NUL even when empty */
	if (b->failed && b->buf.ptr) {	/* out as it was */
		b->buf.size = start;
		b->buf.ptr[start] = '\0';
	}
	*out = b->buf;
	if (!b->failed)
		return COT_OK;
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
}

int cot_summary_render(cot_buf *out, cot_summary *s, cot_summary_format format,
		       const char *fields, int width, cot_error *err)
{
	bool *show;
	sb b = { { 0 }, false };
	size_t start = out->size;
	int rc;

	if (cot__summary_settle(s))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory "
				      "(the summary is incomplete)");
	rc = cot__summary_shown(&show, s, fields, format, err);
	if (rc)
		return rc;
	b.buf = *out;
	if (format == COT_SUMMARY_JSON)
		cot__render_json(&b, s, show);
	else if (format == COT_SUMMARY_TSV)
		cot__render_tsv(&b, s, show);
	else
		cot__render_table(&b, s, show, width > 0 ? width : 100);
	cot__free(show);
	return cot__render_end(out, &b, start, err);
}
