/* steps_api.c - the public view of units, matches and patterns. */
#include <string.h>

#include "matches.h"
#include "result.h"

int cot_result_steps(cot_result *res, size_t i, cot_by by,
		     const cot_step **steps, size_t *n, cot_error *err)
{
	const cot__profile *p;
	const cot__steps *st;
	const cot__spans *units;
	const char *t;
	cot_step *v;

	*steps = NULL;
	*n = 0;
	if (i >= res->nprof)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "no trace %zu in this record", i);
	p = &res->prof[i];
	st = p->st;
	switch (by) {
	case COT_BY_PARAGRAPH: units = &st->para; break;
	case COT_BY_SENTENCE: units = &st->sent; break;
	case COT_BY_THOUGHT: units = &st->thought; break;
	default:
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "unknown segmentation mode %d", (int)by);
	}
	if (units->n == 0)
		return COT_OK;
	t = p->tr->reasoning.p;
	v = cot__arena_alloc(&res->arena, units->n * sizeof *v);
	if (!v)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	for (size_t k = 0; k < units->n; k++) {
		size_t s = units->v[k].off, e = s + units->v[k].len;

		v[k].start = s;
		v[k].end = e;
		v[k].words = (size_t)cot__words(t, s, e);
		v[k].function = by == COT_BY_PARAGRAPH ? st->para_fn[k] :
			cot__classify(&res->az->stepcfg->cls, t, s, e, k,
				      cot__steps_boxed(st, s, e));
		v[k].label = cot_function_name(v[k].function);
		v[k].paragraph = by == COT_BY_PARAGRAPH ? k :
				 cot__span_index(&st->para, s);
		v[k].thought = by == COT_BY_THOUGHT ? k :
			       cot__span_index(&st->thought, s);
	}
	*steps = v;
	*n = units->n;
	return COT_OK;
}

int cot_result_hits(const cot_result *res, size_t i, const cot_hit **hits,
		    size_t *n)
{
	*hits = NULL;
	*n = 0;
	if (i >= res->nprof)
		return COT_EINVAL;
	*hits = res->prof[i].mt->hits.v;
	*n = res->prof[i].mt->hits.n;
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
