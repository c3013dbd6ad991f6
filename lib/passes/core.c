/* core.c - the core pass: the length counts and \boxed of one trace. */
#include "passes/pass.h"
#include "text/segment.h"

static int core_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__trace *t = p->tr;
	const cot__text *r = &t->reasoning, *a = &t->answer;
	cot__span box;

	if (!(c->want & COT__PROD_PARAGRAPHS))
		cot__text_count(r->p, r->n, &p->think);
	else if (cot__text_paragraphs(r->p, r->n, c->arena, &p->think,
				      &p->paragraphs, &p->para_words))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	cot__text_count(a->p, a->n, &p->answer);
	/* answer_extracted: searched in the answer and, where the answer has none,
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
	return COT_OK;
}

const cot__pass cot__core_pass = {
	.name = "core",
	.makes = COT__PROD_COUNTS | COT__PROD_PARAGRAPHS,
	.run = core_run,
	.fields = cot__core_fields,
};
