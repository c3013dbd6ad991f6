/* grade.c - grading by the reference: correct, overthinking, efficiency. */
#include <math.h>
#include <string.h>

#include "passes/answer.h"
#include "passes/normalize.h"

/* Words of the reasoning before byte x: positions are measured in
 * words, which stand in for tokens (Chen et al. 2024 count tokens).
 * The shorter side is counted: W = words before x + words from x on,
 * less one when x falls inside a word. */
static uint64_t words_before(const cot__profile *p, size_t x)
{
	const unsigned char *r = (const unsigned char *)p->tr->reasoning.p;
	size_t n = p->tr->reasoning.n, b;
	cot__counts c;

	if (x <= n / 2) {
		cot__text_count((const char *)r, x, &c);
		return c.words;
	}
	cot__text_count((const char *)r + x, n - x, &c);
	if (x == 0 || x >= n || cot__space_len(r + x, n - x))
		return p->think.words - c.words;
	b = x - 1;	/* the char before x: back to its lead byte */
	while (b > 0 && (r[b] & 0xc0) == 0x80 && x - b < 4)
		b--;
	return p->think.words - c.words + !cot__space_len(r + b, x - b);
}

static uint64_t answer_words(const char *a, size_t n)
{
	cot__counts c;

	cot__text_count(a, n, &c);
	return c.words;
}

/* The token twins: positions are the tokens of the text before them,
 * encoded as a text of its own, as len(tok.encode(text[:x])) counts
 * them in Python; a count past the whole is taken as the whole. */
static int tokens_before(cot__pass_ctx *c, const char *s, size_t x,
			 uint64_t whole, uint64_t *out, cot_error *err)
{
	int rc = cot__tokens_count(c, s, x, out, err);

	if (*out > whole)
		*out = whole;
	return rc;
}

static int grade_tokens(cot__pass_ctx *c, const cot__profile *p,
			struct cot__answers *x, cot_error *err)
{
	const cot__text *r = &p->tr->reasoning;
	uint64_t W = p->think_tokens, T = W + p->answer_tokens, at, upto;
	const cot__stmt *f = x->final, *s;
	int rc;

	if (f && W && (s = x->first_final)) {
		if ((rc = tokens_before(c, r->p, s->at, W, &at, err)) ||
		    (rc = tokens_before(c, r->p, s->end, W, &upto, err)))
			return rc;
		x->first_at_tok = (double)at / (double)W;
		x->after_tok = (double)(W - upto) / (double)W;
	}
	if (x->correct == 1 && T) {
		if ((s = x->first_ref))
			rc = tokens_before(c, r->p, s->end, W, &upto, err);
		else if (x->from)
			rc = tokens_before(c, r->p, f->end, W, &upto, err);
		else if (!(rc = tokens_before(c, p->tr->answer.p, f->end,
					      p->answer_tokens, &upto, err)))
			upto += W;
		if (rc)
			return rc;
		x->efficiency_tok = (double)upto / (double)T;
	}
	return COT_OK;
}

static int grade_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	struct cot__answers *x = p->ans;
	const cot__trace *t = p->tr;
	const cot__stmt *f, *s;
	uint64_t W = p->think.words;

	if (!x)
		return COT_OK;
	f = x->final;
	if (x->ref_norm && f)
		x->correct = cot__answer_equal(f->norm, f->nlen, x->ref_norm,
					       x->ref_nlen);
	/* overthinking: where the reasoning first states the final answer,
	 * and how much of it comes after that statement */
	if (f && W && (s = x->first_final)) {
		x->first_at = (double)words_before(p, s->at) / (double)W;
		x->after = (double)(W - words_before(p, s->end)) /
			   (double)W;
	}
	/* outcome efficiency: words up to the end of the first correct
	 * solution / all words (reasoning and answer) */
	if (x->correct == 1) {
		uint64_t T = W + p->answer.words, upto;

		if ((s = x->first_ref))
			upto = words_before(p, s->end);
		else if (x->from)
			upto = words_before(p, f->end);
		else
			upto = W + answer_words(t->answer.p, f->end);
		if (T)
			x->efficiency = (double)upto / (double)T;
	}
	if (c->want & COT__PROD_TOKENS && p->has_tokens)
		return grade_tokens(c, p, x, err);
	return COT_OK;
}

static void get_correct(const cot__profile *p, const cot__field *f,
			cot_value *v)
{
	(void)f;
	if (!p->ans || p->ans->correct < 0)
		v->type = COT_TYPE_NULL;
	else
		cot__set_bool(v, p->ans->correct);
}

static void get_ref_normalized(const cot__profile *p, const cot__field *f,
			       cot_value *v)
{
	(void)f;
	if (!p->ans || !p->ans->ref_norm)
		v->type = COT_TYPE_NULL;
	else
		cot__set_text(v, p->ans->ref_norm, p->ans->ref_nlen);
}

/* REAL rows stored as NaN when null; f->arg picks the member. */
static void get_real(const cot__profile *p, const cot__field *f,
		     cot_value *v)
{
	double r;

	if (!p->ans) {
		v->type = COT_TYPE_NULL;
		return;
	}
	r = f->arg == 0 ? p->ans->first_at :
	    f->arg == 1 ? p->ans->after :
	    f->arg == 2 ? p->ans->efficiency :
	    f->arg == 3 ? p->ans->first_at_tok :
	    f->arg == 4 ? p->ans->after_tok : p->ans->efficiency_tok;
	if (isnan(r))
		v->type = COT_TYPE_NULL;
	else
		cot__set_real(v, r);
}

static const cot__field grade_fields[] = {
	COT__ROW("correct", BOOL, "", get_correct, 0,
	    "answer_normalized equals ref_normalized (same string; numbers "
	    "within 1e-6 relative; a/b = \\frac{a}{b} = decimal; tuples, "
	    "intervals, sets, matrices element by element; x=5 = 5); null "
	    "without a reference, with a sentinel one (proof, notfound) or "
	    "without a final answer"),
	COT__ROW("ref_normalized", STRING, "", get_ref_normalized, 0,
	    "the reference answer (ref) normalised as final_answer is; null "
	    "when there is none or it is a sentinel"),
	COT__ROW("answer_first_at", REAL, "ratio", get_real, 0,
	    "words of the reasoning before the first candidate equal to "
	    "final_answer / think.words; null when the reasoning never "
	    "states it"),
	COT__ROW("after_answer", REAL, "ratio", get_real, 1,
	    "words of the reasoning after the end of that first statement / "
	    "think.words (overthinking); null as answer_first_at"),
	COT__ROW("efficiency", REAL, "ratio", get_real, 2,
	    "outcome efficiency (Chen et al. 2024), words for tokens: words "
	    "up to the end of the first statement of the reference answer "
	    "(in the reasoning, else the final answer) / (think.words + "
	    "answer.words); null unless correct is true"),
	COT__ROW_TOKENS("answer_first_at_tokens", REAL, "ratio", get_real, 3,
	    "answer_first_at in tokens: tokens of the reasoning before that "
	    "first statement (the text before it encoded on its own) / "
	    "think.tokens; null without a tokenizer or as answer_first_at"),
	COT__ROW_TOKENS("after_answer_tokens", REAL, "ratio", get_real, 4,
	    "after_answer in tokens: (think.tokens - tokens of the reasoning "
	    "up to the end of that statement) / think.tokens; null as "
	    "answer_first_at_tokens"),
	COT__ROW_TOKENS("efficiency_tokens", REAL, "ratio", get_real, 5,
	    "outcome efficiency in tokens, as Chen et al. 2024 count it: "
	    "tokens up to the end of the first statement of the reference "
	    "answer (in the reasoning, else the final answer, whose answer "
	    "tokens count after think.tokens) / (think.tokens + "
	    "answer.tokens); null without a tokenizer or unless correct is "
	    "true"),
	COT__FIELDS_END
};

const cot__pass cot__grade_pass = {
	.name = "grade",
	.reads = COT__PROD_COUNTS | COT__PROD_ANSWERS,
	.run = grade_run,
	.fields = grade_fields,
};
