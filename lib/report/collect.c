/* collect.c - a report's state: made, filled trace by trace, merged. */
#include <math.h>

#include "report/report.h"

#define X(id, name) name,
const char *const cot__report_field_names[F_COUNT] = { REPORT_FIELDS(X) };
#undef X

/* What the page's tables and charts read from the summary (its
 * quantile sketches give the length histograms, its sums the rates). */
static const char summary_fields[] =
	"think.words,think.tokens,answer.words,steps,structure.sentences,"
	"structure.thoughts,format,finish,status,status_rule,correct,"
	"loop.found,loop.tail,repeat.flag,repeat.ngram,lang.mix,"
	"lang.mixed_steps,mid_sentence,answer_first_at,after_answer,"
	"efficiency,families.*.count";

/* The ratio fields drawn as where-in-the-trace histograms: where each
 * family first appears, then these. */
static const char *const rel_extra[] = {
	"answer_first_at", "after_answer", "efficiency", "loop.start_rel",
};

static int oom(cot_report *r, cot_error *err)
{
	r->failed = COT_ENOMEM;
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory (the "
			      "report is incomplete)");
}

static int find_fields(cot_report *r, cot_error *err)
{
	size_t nf = cot_field_count(r->az), n = 0;

	for (int k = 0; k < F_COUNT; k++)
		r->have[k] = cot_field_find(&r->field[k], r->az,
					    cot__report_field_names[k],
					    NULL) == COT_OK;
	r->rel_field = cot__malloc((nf + 4) * sizeof *r->rel_field);
	r->rel_name = cot__malloc((nf + 4) * sizeof *r->rel_name);
	if (!r->rel_field || !r->rel_name)
		return oom(r, err);
	if (cot_fields_match(r->rel_field, &n, r->az, "families.*.first_rel",
			     COT_FIELDS_SCALAR, NULL) != COT_OK)
		n = 0;
	for (size_t k = 0; k < sizeof rel_extra / sizeof *rel_extra; k++)
		if (cot_field_find(&r->rel_field[n], r->az, rel_extra[k],
				   NULL) == COT_OK)
			n++;
	for (size_t k = 0; k < n; k++)
		r->rel_name[k] = cot_field_at(r->az, r->rel_field[k])->name;
	r->nrel = n;
	return COT_OK;
}

static cot_report *alloc(const cot_analyzer *az, const char *title,
			 size_t traces)
{
	cot_report *r = cot__calloc(1, sizeof *r);

	if (!r)
		return NULL;
	r->az = az;
	r->traces_max = traces ? traces : COT_REPORT_TRACES_DEFAULT;
	for (int k = 0; k < R_COUNT; k++)
		/* shared evenly, the remainder to the first reasons */
		r->pick[k].cap = r->traces_max / R_COUNT +
				 ((size_t)k < r->traces_max % R_COUNT);
	r->title = cot__strdup(title ? title : "cotlog report");
	if (!r->title) {
		cot__free(r);
		return NULL;
	}
	return r;
}

int cot_report_new(cot_report **out, const cot_analyzer *az,
		   const cot_report_options *o, cot_error *err)
{
	cot_report_options d = COT_REPORT_OPTIONS_INIT;
	cot_summary_options so = { 0 };
	cot_report *r;
	int rc;

	*out = NULL;
	if (!o)
		o = &d;
	if (o->version != COT_REPORT_OPTIONS_VERSION)
		return cot__error_set(err, COT_EINVAL, 0, 0, "cot_report_"
				      "options version %u (this library "
				      "reads %u)", o->version,
				      COT_REPORT_OPTIONS_VERSION);
	r = alloc(az, o->title, o->traces);
	if (!r)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	so.fields = summary_fields;
	so.by = o->by;
	so.analysis = o->analysis;
	so.max_groups = o->max_groups;
	rc = cot_summary_new(&r->s, az, &so, err);
	if (rc == COT_EINVAL) {
		/* a field an analyzer of this version lacks cannot be, but
		 * say so rather than fail silently */
		cot_report_free(r);
		return rc;
	}
	if (rc || find_fields(r, err)) {
		cot_report_free(r);
		return rc ? rc : COT_ENOMEM;
	}
	*out = r;
	return COT_OK;
}

int cot_report_new_like(cot_report **out, const cot_report *o,
			cot_error *err)
{
	cot_report *r = alloc(o->az, o->title, o->traces_max);

	*out = NULL;
	if (!r || cot_summary_new_like(&r->s, o->s, err) ||
	    find_fields(r, err)) {
		cot_report_free(r);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	*out = r;
	return COT_OK;
}

static void rgroup_free(rgroup *g)
{
	if (g) {
		cot__free(g->rel);
		cot__free(g);
	}
}

void cot_report_free(cot_report *r)
{
	if (!r)
		return;
	if (r->s)
		for (size_t i = 0; i < r->s->ng; i++)
			rgroup_free(r->s->g[i]->ext);
	rgroup_free(r->s ? r->s->total.ext : NULL);
	cot_summary_free(r->s);
	cot__report_picks_dispose(r);
	cot__free(r->rel_field);
	cot__free(r->rel_name);
	cot__free(r->title);
	cot_buf_dispose(&r->scratch);
	cot__free(r);
}

size_t cot_report_fields(const cot_report *r, size_t *out, size_t max)
{
	size_t n = cot_summary_fields(r->s, out, max);

	/* the summary's, then ours (cot_result_need takes repeats) */
	for (size_t k = 0; k < F_COUNT + r->nrel; k++) {
		if (k < F_COUNT && !r->have[k])
			continue;
		if (out && n < max)
			out[n] = k < F_COUNT ? r->field[k] :
				 r->rel_field[k - F_COUNT];
		n++;
	}
	return n;
}

static rgroup *rgroup_of(cot_report *r, group *g)
{
	rgroup *x = g->ext;

	if (x)
		return x;
	x = cot__calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->rel = cot__calloc(r->nrel ? r->nrel : 1, sizeof *x->rel);
	if (!x->rel) {
		cot__free(x);
		return NULL;
	}
	g->ext = x;
	return x;
}

static int rel_bin(double x)
{
	int b = (int)floor(x * REL_BINS);

	return b < 0 ? 0 : b >= REL_BINS ? REL_BINS - 1 : b;
}

static int len_bin(double words)
{
	int b = 0;

	/* 0 words: bin 0; [2^k, 2^(k+1)) words: bin k + 1 */
	if (words < 1)
		return 0;
	(void)frexp(words, &b);
	return b >= LEN_BINS ? LEN_BINS - 1 : b;
}

static double num(const cot_value *v)
{
	return v->type == COT_TYPE_INT ? (double)v->i :
	       v->type == COT_TYPE_REAL ? v->r : NAN;
}

/* The histograms of trace i into g and into the total. */
static int add_hists(cot_report *r, cot_result *res, size_t i, group *g,
		     const cot_value *v)
{
	rgroup *to[2] = { rgroup_of(r, &r->s->total), NULL };

	if (!to[0] || (g && !(to[1] = rgroup_of(r, g))))
		return COT_ENOMEM;
	for (size_t k = 0; k < r->nrel; k++) {
		cot_value x;
		double d;

		if (cot_result_get(&x, res, i, r->rel_field[k], NULL))
			return COT_ENOMEM;
		d = num(&x);
		if (isnan(d))
			continue;
		for (int j = 0; j < 2 && to[j]; j++)
			to[j]->rel[k][rel_bin(d)]++;
	}
	if (v[F_CORRECT].type == COT_TYPE_BOOL) {
		int b = len_bin(num(&v[F_THINK_WORDS]));

		for (int j = 0; j < 2 && to[j]; j++)
			to[j]->acc[b][v[F_CORRECT].b]++;
	}
	return COT_OK;
}

int cot_report_add(cot_report *r, cot_result *res, const char *file,
		   uint64_t line, cot_error *err)
{
	size_t n = cot_result_traces(res);
	int rc;

	if (r->failed)
		return oom(r, err);
	if (!file)
		file = "";
	rc = cot_summary_add(r->s, res, file, err);
	if (rc == COT_ENOMEM || rc == COT_EINVAL) {
		if (rc == COT_ENOMEM)
			r->failed = COT_ENOMEM;
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		cot_value v[F_COUNT];
		group *g = r->s->placed[i];

		for (int k = 0; k < F_COUNT; k++) {
			v[k].type = COT_TYPE_NULL;
			if (r->have[k] && cot_result_get(&v[k], res, i,
							 r->field[k], NULL))
				return oom(r, err);
		}
		if (add_hists(r, res, i, g, v) ||
		    cot__report_pick(r, res, i, file, line,
				     g ? g->disp : NULL, v))
			return oom(r, err);
	}
	return rc;
}

int cot_report_add_malformed(cot_report *r, const char *file, uint64_t n,
			     cot_error *err)
{
	int rc;

	if (r->failed)
		return oom(r, err);
	rc = cot_summary_add_malformed(r->s, file, n, err);
	if (rc == COT_ENOMEM)
		r->failed = COT_ENOMEM;
	return rc;
}

static int rgroup_merge(cot_report *r, group *d, const rgroup *a)
{
	rgroup *x;

	if (!a)
		return COT_OK;
	x = rgroup_of(r, d);
	if (!x)
		return COT_ENOMEM;
	for (size_t k = 0; k < r->nrel; k++)
		for (int b = 0; b < REL_BINS; b++)
			x->rel[k][b] += a->rel[k][b];
	for (int b = 0; b < LEN_BINS; b++) {
		x->acc[b][0] += a->acc[b][0];
		x->acc[b][1] += a->acc[b][1];
	}
	return COT_OK;
}

int cot_report_merge(cot_report *dst, const cot_report *src,
		     cot_error *err)
{
	int rc;

	if (dst->failed || src->failed)
		return oom(dst, err);
	rc = cot_summary_merge(dst->s, src->s, err);
	if (rc) {
		if (rc == COT_ENOMEM)
			dst->failed = COT_ENOMEM;
		return rc;
	}
	if (rgroup_merge(dst, &dst->s->total, src->s->total.ext))
		return oom(dst, err);
	for (size_t i = 0; i < src->s->ng; i++) {
		const group *a = src->s->g[i];
		group *d = cot__group_find(dst->s, a->key, a->keylen);

		if (!d || rgroup_merge(dst, d, a->ext))
			return oom(dst, err);
	}
	if (cot__report_pick_merge(dst, src))
		return oom(dst, err);
	return COT_OK;
}
