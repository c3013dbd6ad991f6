/* units.c - the public view of units, matches and patterns. */
#include <string.h>

#include "passes/matches.h"
#include "analyze/result.h"

/* The units of trace i cut by mode by, or NULL for a mode or trace
 * out of range, or when a field selection left the steps pass out. */
static const cot__spans *units_of(const cot_result *res, size_t i, cot_by by)
{
	const cot__steps *st;

	if (i >= res->nprof || !(st = res->prof[i].st))
		return NULL;
	switch (by) {
	case COT_BY_PARAGRAPH: return &st->para;
	case COT_BY_SENTENCE: return &st->sent;
	case COT_BY_THOUGHT: return &st->thought;
	default: return NULL;
	}
}

/* The label of unit k of mode by of trace i and, when rule is set,
 * the rule that decided it. The result is the caller's alone (one per
 * thread), so labelling sentences or thoughts on first use writes
 * only to its own trace's units. */
static int unit_label(const cot_result *res, size_t i, cot_by by, size_t k,
		      int *rule)
{
	cot__steps *st = res->prof[i].st;

	cot__steps_labels(st, res->az->stepcfg, res->prof[i].tr->reasoning.p,
			  by);
	if (rule)
		*rule = st->rule[by][k];
	return st->fn[by][k];
}

size_t cot_result_step_count(const cot_result *res, size_t i, cot_by by)
{
	const cot__spans *units = units_of(res, i, by);

	return units ? units->n : 0;
}

int cot_result_step(cot_step *out, const cot_result *res, size_t i,
		    cot_by by, size_t k, cot_error *err)
{
	const cot__spans *units = units_of(res, i, by);
	const cot__steps *st;
	const char *t;
	size_t s, e;

	memset(out, 0, sizeof *out);
	if (!units || k >= units->n)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "no unit %zu of mode %d in trace %zu",
				      k, (int)by, i);
	st = res->prof[i].st;
	t = res->prof[i].tr->reasoning.p;
	s = units->v[k].off;
	e = s + units->v[k].len;
	out->start = s;
	out->end = e;
	out->words = (size_t)cot__words(t, s, e);
	out->function = unit_label(res, i, by, k, NULL);
	out->label = cot_function_name(out->function);
	out->paragraph = by == COT_BY_PARAGRAPH ? k :
			 cot__span_index(&st->para, s);
	out->thought = by == COT_BY_THOUGHT ? k :
		       cot__span_index(&st->thought, s);
	return COT_OK;
}

int cot_result_step_rule(const cot_result *res, size_t i, cot_by by,
			 size_t k, const char **rule, double *confidence,
			 cot_error *err)
{
	const cot__spans *units = units_of(res, i, by);
	const cot__rule_info *ri;
	int r;

	if (rule)
		*rule = NULL;
	if (confidence)
		*confidence = 0;
	if (!units || k >= units->n)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "no unit %zu of mode %d in trace %zu",
				      k, (int)by, i);
	(void)unit_label(res, i, by, k, &r);
	ri = &cot__rules[r];
	if (rule)
		*rule = ri->name;
	if (confidence)
		*confidence = by == COT_BY_SENTENCE ? ri->prec_sentence :
			      ri->prec_paragraph;
	return COT_OK;
}

size_t cot_result_hit_count(const cot_result *res, size_t i)
{
	return i < res->nprof && res->prof[i].mt ?
	       res->prof[i].mt->nhits : 0;
}

int cot_result_hit(cot_hit *out, const cot_result *res, size_t i, size_t k,
		   cot_error *err)
{
	cot__matches *mt;

	if (k >= cot_result_hit_count(res, i)) {
		memset(out, 0, sizeof *out);
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "no match %zu in trace %zu", k, i);
	}
	mt = res->prof[i].mt;
	if (!mt->hits_ready) {
		/* the analysis kept only the matches' statistics: find
		 * them again, into the record's arena (the result is the
		 * caller's thread's, and only this cache changes) */
		cot_result *w = (cot_result *)res;
		const cot__text *r = &res->prof[i].tr->reasoning;
		int rc = cot__pset_scan(res->az->pset, w->scratch.pscratch,
					r->p ? r->p : "", r->n, &w->arena,
					false, &mt->hits, err);

		if (rc) {
			memset(out, 0, sizeof *out);
			return rc;
		}
		mt->hits_ready = true;
	}
	if (k >= mt->hits.n) {	/* cannot be: the same scan counted them */
		memset(out, 0, sizeof *out);
		return cot__error_set(err, COT_ERROR, 0, 0,
				      "match %zu of trace %zu lost", k, i);
	}
	*out = mt->hits.v[k];
	return COT_OK;
}

size_t cot_pattern_count(const cot_analyzer *az)
{
	return az->pset->n;
}

const cot_pattern_info *cot_pattern_at(const cot_analyzer *az, size_t i)
{
	return i < az->pset->n ? &az->pset->v[i].info : NULL;
}

size_t cot_family_count(const cot_analyzer *az)
{
	return az->pset->nfam;
}

const cot_family_info *cot_family_at(const cot_analyzer *az, size_t i)
{
	return i < az->pset->nfam ? &az->pset->fam[i].info : NULL;
}
