/* classify.h - the step-function classifier (Thought Anchors labels). */
#ifndef COT_CLASSIFY_H
#define COT_CLASSIFY_H

#include "match/cue.h"

/* The cue tables, built once per analyzer from lexicon.c. */
typedef struct cot__classifier {
	cot__cueset interj;	/* HEDGE, SO, FILLER */
	cot__cueset main;	/* FINAL ... DEDUCE */
	cot__cueset inner;	/* RECALL, EXAMPLE, AFFIRM: anywhere */
	cot__cueset state;	/* STATE: anywhere, for the last rule */
	/* the first two bytes of the phrases of inner and state, with
	 * bit 5 set (which lowers a capital), a bit each: only where they
	 * stand is a phrase looked up */
	uint64_t inner_pairs[1024], state_pairs[1024];
} cot__classifier;

/* The rules of the classifier, in the order they are tried (README
 * "Step functions"); each decides one label. */
enum {
	COT__RULE_BOXED = 0,
	COT__RULE_FINAL_CUE,
	COT__RULE_VERIFY_CUE,
	COT__RULE_SETUP_CUE,
	COT__RULE_FIRST_UNIT,
	COT__RULE_COMPUTE_CUE,
	COT__RULE_RECALL,
	COT__RULE_AFFIRM,
	COT__RULE_COMPUTATIONAL,
	COT__RULE_EXAMPLE,
	COT__RULE_FACT_CUE,
	COT__RULE_ALTERNATIVE,
	COT__RULE_TENTATIVE,
	COT__RULE_DOUBT_CUE,
	COT__RULE_PLAN_CUE,
	COT__RULE_DEDUCTION,
	COT__RULE_HEDGE,
	COT__RULE_CONSOLIDATE_CUE,
	COT__RULE_SO,
	COT__RULE_CONTINUES,
	COT__RULE_STATEMENT,
	COT__RULE_NONE,
	COT__RULE_COUNT
};

/* A rule: its name (the "rule" of `cotlog steps`), the label it gives
 * (COT_FN_COUNT: the label of other units), and its precision on the
 * development set (README "Step functions"), per sentence and per
 * paragraph: the "confidence" of a label it decides. */
typedef struct cot__rule_info {
	const char *name;
	int fn;
	double prec_sentence, prec_paragraph;
} cot__rule_info;

extern const cot__rule_info cot__rules[COT__RULE_COUNT];

int cot__classifier_init(cot__classifier *c);
void cot__classifier_free(cot__classifier *c);

/* Is the unit computational: its math bytes (ASCII digits and
 * = + - * / ^ \ { } < > |, and the bytes of U+00D7, U+00F7, U+00B7,
 * U+2212) are at least 25% of its bytes other than ASCII white space,
 * or at least 10% when it holds an '='? */
bool cot__computational(const char *text, size_t start, size_t end);

/* The class of the first phrase of cs in text[o..end), or
 * COT__CUE_NONE. A phrase is looked for where one may begin: a word
 * start (an ASCII letter at o or after a byte that is not one), an
 * apostrophe, or a byte from 0xe0 (leading a character of three or
 * four bytes); every phrase of the classifier's tables begins so.
 * pairs: the bits of the phrases' first two bytes. The
 * bytes of text up to readable (at least end) may be read. */
int cot__cue_in(const cot__cueset *cs, const uint64_t *pairs,
		const char *text, size_t o, size_t end, size_t readable);

/* The step function (a cot_function) of the unit text[start..end), the
 * index-th unit of its trace; boxed: the unit holds \boxed or \fbox;
 * prev: the label of the unit before it (COT_FN_UNKNOWN for the
 * first). The rule that decided it goes to *rule. The rules, in order,
 * are in the README ("Step functions"). */
int cot__classify(const cot__classifier *c, const char *text, size_t start,
		  size_t end, size_t index, bool boxed, int prev, int *rule);

#endif
