/* products.c - what the repeat and loop passes share, made once per
 * trace by whichever of them asks first. */
#include "passes/health.h"

int cot__need_words(cot__pass_ctx *c, const cot__profile *p,
		    const cot__words **out)
{
	cot__health_scratch *h = c->scratch->health;
	const cot__text *r = &p->tr->reasoning;

	if (h->words_trace != c->scratch->trace) {
		if (cot__words_scan(&h->words, r->p, r->n))
			return COT_ENOMEM;
		h->words_trace = c->scratch->trace;
	}
	*out = &h->words;
	return COT_OK;
}

int cot__need_trigrams(cot__pass_ctx *c, const cot__profile *p,
		       const cot__trigrams **out)
{
	cot__health_scratch *h = c->scratch->health;
	const cot__text *r = &p->tr->reasoning;
	const cot__words *w;
	cot__trigrams *t = &h->trigrams;
	size_t work;

	if (h->trigrams_trace != c->scratch->trace) {
		if (cot__need_words(c, p, &w) ||
		    cot__loops_find(r->p, r->n, w, &h->seen, &t->distinct,
				    c->arena, &t->loops, &t->nloops, &work))
			return COT_ENOMEM;
		h->trigrams_trace = c->scratch->trace;
	}
	*out = t;
	return COT_OK;
}
