/* tokens.c - the tokens pass: token counts of preamble, reasoning and
 * answer by the model's own tokenizer (README "Tokens"). It runs only
 * when a field asked for needs them; the passes that read them add the
 * token twins of their measures (grade.c, structure.c, loop.c). */
#include "passes/pass.h"
#include "text/tokens.h"

static int tokens_init(cot_analyzer *az, const cot_analyzer_options *o,
		       cot_error *err)
{
	(void)err;
	/* a struct of version 1 ends before the member */
	if (o->version >= 2)
		az->tokenizer = cot__tokenizer_of(o->tokenizer);
	return COT_OK;
}

static int tokens_scratch_init(const cot_analyzer *az, cot__scratch *s)
{
	return az->tokenizer ? cot__tok_scratch_new(&s->tok, az->tokenizer) :
			       COT_OK;
}

static void tokens_scratch_fini(cot__scratch *s)
{
	cot__tok_scratch_free(s->tok);
	s->tok = NULL;
}

int cot__tokens_count(cot__pass_ctx *c, const char *s, size_t n,
		      uint64_t *out, cot_error *err)
{
	size_t k = 0;
	int rc = cot__tokenize(c->az->tokenizer, c->scratch->tok, s, n, NULL,
			       &k, NULL);

	*out = k;
	return cot__encode_status(rc, err);
}

static int tokens_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__trace *t = p->tr;
	int rc;

	if (!c->az->tokenizer)
		return COT_OK;
	p->preamble_tokens = 0;
	if ((t->preamble && t->full.p &&
	     (rc = cot__tokens_count(c, t->full.p, t->preamble,
				     &p->preamble_tokens, err))) ||
	    (rc = cot__tokens_count(c, t->reasoning.p, t->reasoning.n,
				    &p->think_tokens, err)) ||
	    (rc = cot__tokens_count(c, t->answer.p, t->answer.n,
				    &p->answer_tokens, err)))
		return rc;
	p->has_tokens = true;
	return COT_OK;
}

const cot__pass cot__tokens_pass = {
	.name = "tokens",
	.makes = COT__PROD_TOKENS,
	.init = tokens_init,
	.scratch_init = tokens_scratch_init,
	.scratch_fini = tokens_scratch_fini,
	.run = tokens_run,
};
