/* steps.c - the steps pass: units, markup and step functions of a trace. */
#include <string.h>

#include "passes/steps.h"

static int steps_init(cot_analyzer *az, const cot_analyzer_options *o,
		      cot_error *err)
{
	cot__stepcfg *cfg = cot__calloc(1, sizeof *cfg);
	int rc = COT_OK;

	(void)o;
	if (!cfg || cot__classifier_init(&cfg->cls)) {
		cot__free(cfg);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	az->stepcfg = cfg;
	for (const cot__lexeme *l = cot__lexicon; l->name && !rc; l++)
		if (!strcmp(l->family, "switch"))
			rc = cot__cueset_add_list(&cfg->switches, l->phrases,
						  COT__CUE_SWITCH);
	if (rc || cot__cueset_finish(&cfg->switches))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	return COT_OK;
}

static void steps_fini(cot_analyzer *az)
{
	if (!az->stepcfg)
		return;
	cot__classifier_free(&az->stepcfg->cls);
	cot__cueset_free(&az->stepcfg->switches);
	cot__free(az->stepcfg);
	az->stepcfg = NULL;
}

uint64_t cot__words(const char *text, size_t s, size_t e)
{
	cot__counts c;

	cot__text_count(text + s, e - s, &c);
	return c.words;
}

bool cot__steps_boxed(const cot__steps *st, size_t s, size_t e)
{
	size_t lo = 0, hi = st->nboxed;

	/* the first mark at or after s */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->boxed[mid] < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->nboxed && st->boxed[lo] < e;
}

/* Offsets of every \boxed and \fbox (the command names; what follows
 * does not matter for labelling). */
static int find_boxed(const char *t, size_t len, cot__arena *a,
		      cot__steps *st)
{
	size_t cap = 0, pos = 0, *v;
	const char *bs;

	while (pos < len && (bs = memchr(t + pos, '\\', len - pos))) {
		size_t i = (size_t)(bs - t), rest = len - i - 1;

		pos = i + 1;
		if (!((rest >= 5 && !memcmp(bs + 1, "boxed", 5)) ||
		      (rest >= 4 && !memcmp(bs + 1, "fbox", 4))))
			continue;
		v = cot__arena_grow(a, st->boxed, st->nboxed, &cap,
				    sizeof *v);
		if (!v)
			return COT_ENOMEM;
		st->boxed = v;
		st->boxed[st->nboxed++] = i;
	}
	return COT_OK;
}

static const cot__spans *spans_of(const cot__steps *st, int by)
{
	return by == COT_BY_PARAGRAPH ? &st->para :
	       by == COT_BY_SENTENCE ? &st->sent : &st->thought;
}

void cot__steps_labels(cot__steps *st, const cot__stepcfg *cfg,
		       const char *text, int by)
{
	const cot__spans *u = spans_of(st, by);
	int prev = COT_FN_UNKNOWN;

	if (st->labelled[by])
		return;
	for (size_t k = 0; k < u->n; k++) {
		size_t s = u->v[k].off, e = s + u->v[k].len;
		int rule;

		prev = cot__classify(&cfg->cls, text, s, e, k,
				     cot__steps_boxed(st, s, e), prev, &rule);
		st->fn[by][k] = (uint8_t)prev;
		st->rule[by][k] = (uint8_t)rule;
	}
	st->labelled[by] = true;
}

/* Paragraph spans run from the start of their first line (`steps`);
 * units begin and end with ink, so the indent of the first line and
 * the blanks (a CR) ending the last go to the separators. */
static void trim(const char *t, cot__spans *sp)
{
	const unsigned char *u = (const unsigned char *)t;

	for (size_t i = 0; i < sp->n; i++) {
		size_t s = sp->v[i].off, e = s + sp->v[i].len, w;

		while (s < e && (w = cot__space_len(u + s, e - s)))
			s += w;
		while (e > s) {
			size_t k;

			for (k = 1; k <= 3 && k <= e - s; k++)
				if (cot__space_len(u + e - k, k) == k)
					break;
			if (k > 3 || k > e - s)
				break;
			e -= k;
		}
		sp->v[i].off = s;
		sp->v[i].len = e - s;
	}
}

static int steps_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const char *t = p->tr->reasoning.p;
	size_t len = p->tr->reasoning.n;
	const cot__stepcfg *cfg = c->az->stepcfg;
	cot__steps *st = cot__arena_alloc(c->arena, sizeof *st);
	size_t n;

	if (!st)
		goto nomem;
	memset(st, 0, sizeof *st);
	p->st = st;
	if (!t)
		t = "";
	/* the core pass cut the paragraphs and counted their words;
	 * trimming leaves the words as they are */
	n = p->paragraphs.n;
	st->para.n = n;
	st->para.v = cot__arena_alloc(c->arena, (n ? n : 1) *
				      sizeof *st->para.v);
	if (!st->para.v)
		goto nomem;
	if (n)
		memcpy(st->para.v, p->paragraphs.v, n * sizeof *st->para.v);
	st->para_words = p->para_words;
	trim(t, &st->para);
	if (cot__markup_scan(t, len, c->arena, &st->mk) ||
	    cot__sentences(t, len, &st->para, st->mk.prot, st->mk.nprot,
			   c->arena, &st->sent) ||
	    cot__thoughts(t, len, &st->para, &cfg->switches, c->arena,
			  &st->thought) ||
	    find_boxed(t, len, c->arena, st))
		goto nomem;
	for (int by = 0; by <= COT_BY_THOUGHT; by++) {
		size_t m = spans_of(st, by)->n;

		st->fn[by] = cot__arena_alloc(c->arena, m ? m : 1);
		st->rule[by] = cot__arena_alloc(c->arena, m ? m : 1);
		if (!st->fn[by] || !st->rule[by])
			goto nomem;
	}
	cot__steps_labels(st, cfg, t, COT_BY_PARAGRAPH);
	for (size_t i = 0; i < n; i++) {
		int fn = st->fn[COT_BY_PARAGRAPH][i];

		st->fn_count[fn]++;
		if (i > 0)
			st->trans[st->fn[COT_BY_PARAGRAPH][i - 1]][fn]++;
	}
	return COT_OK;
nomem:
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
}

/* ---- fields ---- */

static void get_fn(const cot__profile *p, const cot__field *f, cot_value *v)
{
	cot__set_int(v, p->st->fn_count[f->arg]);
}

static int json_transitions(const cot__profile *p, const cot__field *f,
			    cot__sbuf *b)
{
	int rc = cot__sbuf_addc(b, '{');
	char sep = 0;

	(void)f;
	for (int a = 0; a < COT_FN_COUNT && !rc; a++) {
		char inner = 0;

		for (int z = 0; z < COT_FN_COUNT && !rc; z++) {
			uint32_t n = p->st->trans[a][z];

			if (!n)
				continue;
			if (!inner) {
				rc = cot__add_key(b, sep, cot_function_name(a));
				rc = rc ? rc : cot__sbuf_addc(b, '{');
				sep = ',';
			}
			rc = rc ? rc : cot__add_key(b, inner, cot_function_name(z));
			rc = rc ? rc : cot__add_uint(b, n);
			inner = ',';
		}
		if (inner && !rc)
			rc = cot__sbuf_addc(b, '}');
	}
	return rc ? rc : cot__sbuf_addc(b, '}');
}

#define FN_DOC(label, what) \
	"paragraphs of the reasoning labelled " label " (" what ") by the " \
	"rule-based step-function classifier, a lexical approximation of " \
	"the Thought Anchors taxonomy (README \"Step functions\")"
#define FN(i, label, what) \
	{ .info = { "functions." label, COT_TYPE_INT, "paragraphs", \
	    FN_DOC(label, what) }, .get = get_fn, .arg = i }

static const cot__field steps_fields[] = {
	FN(COT_FN_PROBLEM_SETUP, "problem_setup",
	   "restating or parsing the problem"),
	FN(COT_FN_PLAN_GENERATION, "plan_generation",
	   "stating or choosing what to do next"),
	FN(COT_FN_FACT_RETRIEVAL, "fact_retrieval",
	   "recalling a fact, formula or definition"),
	FN(COT_FN_ACTIVE_COMPUTATION, "active_computation",
	   "calculating or manipulating expressions"),
	FN(COT_FN_RESULT_CONSOLIDATION, "result_consolidation",
	   "summing up intermediate results"),
	FN(COT_FN_UNCERTAINTY_MANAGEMENT, "uncertainty_management",
	   "doubting, backtracking, proposing alternatives"),
	FN(COT_FN_SELF_CHECKING, "self_checking",
	   "verifying earlier steps"),
	FN(COT_FN_FINAL_ANSWER_EMISSION, "final_answer_emission",
	   "stating the final answer, or holding \\boxed"),
	FN(COT_FN_UNKNOWN, "unknown", "no rule applied"),
	{ .info = { "functions.transitions", COT_TYPE_JSON, "pairs",
	    "consecutive paragraphs by step function: {FROM: {TO: n}} "
	    "counts each pair of adjacent paragraphs labelled FROM then TO "
	    "(same-label pairs included; pairs that never occur are "
	    "left out)" }, .json = json_transitions },
	COT__FIELDS_END
};

const cot__pass cot__steps_pass = {
	.name = "steps",
	.makes = COT__PROD_STEPS,
	.reads = COT__PROD_PARAGRAPHS,
	.init = steps_init,
	.fini = steps_fini,
	.run = steps_run,
	.fields = steps_fields,
};
