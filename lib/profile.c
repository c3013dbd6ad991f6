/* profile.c - compute the core profile of one trace (SPEC 3). */
#include "profile.h"

void cot__profile_compute(cot__profile *p, const cot__trace *t, uint32_t i)
{
	const cot__text *r = &t->reasoning, *a = &t->answer;
	cot__span box;

	p->tr = t;
	p->index = i;
	cot__text_count(r->p, r->n, &p->think);
	cot__text_count(a->p, a->n, &p->answer);
	/* SPEC 3: searched in the answer and, where the answer has none,
	 * in the reasoning */
	p->has_boxed = true;
	if (cot__text_boxed(a->p, a->n, &box)) {
		p->boxed.p = a->p + box.off;
	} else if (cot__text_boxed(r->p, r->n, &box)) {
		p->boxed.p = r->p + box.off;
	} else {
		p->has_boxed = false;
		p->boxed.p = NULL;
		box.len = 0;
	}
	p->boxed.n = box.len;
}
