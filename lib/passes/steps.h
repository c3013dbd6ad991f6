/* steps.h - the steps pass: the units, markup and labels of a trace. */
#ifndef COT_STEPS_H
#define COT_STEPS_H

#include "match/classify.h"
#include "text/markup.h"
#include "passes/pass.h"
#include "text/segment.h"

/* Built once per analyzer: the classifier's cue tables and the switch
 * markers that open a thought (the built-in "switch" family's
 * phrases, whatever the user's patterns). */
typedef struct cot__stepcfg {
	cot__classifier cls;
	cot__cueset switches;
} cot__stepcfg;

/* One trace, in the record's arena. */
typedef struct cot__steps {
	cot__spans para, sent, thought;
	uint32_t *para_words;		/* per paragraph */
	/* per unit of each mode (a cot_by): its cot_function and the
	 * COT__RULE_ that decided it. The pass labels the paragraphs,
	 * which the profile counts; sentences and thoughts are labelled
	 * on first use (cot__steps_labels). */
	uint8_t *fn[COT_BY_THOUGHT + 1], *rule[COT_BY_THOUGHT + 1];
	bool labelled[COT_BY_THOUGHT + 1];
	size_t *boxed;			/* offsets of \boxed and \fbox */
	size_t nboxed;
	cot__markup mk;
	uint32_t fn_count[COT_FN_COUNT];
	uint32_t trans[COT_FN_COUNT][COT_FN_COUNT];	/* [from][to] */
	/* filled by the structure pass (structure.c) */
	double words_mean, words_median, words_std;
	uint32_t words_max;
	size_t longest;			/* index of the longest paragraph */
	double first_rel[3];		/* backtracking, verification, aha;
					 * negative: none */
} cot__steps;

/* Does text[s..e) hold one of st's \boxed / \fbox marks? */
bool cot__steps_boxed(const cot__steps *st, size_t s, size_t e);

/* The labels of st's units of mode by (a cot_by): st->fn[by] and
 * st->rule[by], made when first asked for. Each unit is classified
 * from its own text, in order, seeing the label of the one before. */
void cot__steps_labels(cot__steps *st, const cot__stepcfg *cfg,
		       const char *text, int by);

/* Words (as `think.words` counts them) of text[s..e). */
uint64_t cot__words(const char *text, size_t s, size_t e);

#endif
