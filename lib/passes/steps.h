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
	uint8_t *para_fn;		/* per paragraph: a cot_function */
	uint8_t *para_rule;		/* per paragraph: the COT__RULE_ that
					 * decided it */
	uint8_t *sent_fn, *sent_rule;	/* the same per sentence */
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

/* The label of the run of units text[s..e) (a paragraph or thought)
 * from its sentences: the label covering most bytes among the
 * sentences that are not unknown (on a tie the label of the earliest
 * such sentence), unknown when all are. *rule: the rule of its
 * sentences when they were all decided by one rule, else
 * COT__RULE_MAJORITY. */
int cot__steps_vote(const cot__steps *st, size_t s, size_t e, int *rule);

/* Words (as `think.words` counts them) of text[s..e). */
uint64_t cot__words(const char *text, size_t s, size_t e);

#endif
