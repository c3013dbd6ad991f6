/* classify.h - the step-function classifier (Thought Anchors labels). */
#ifndef COT_CLASSIFY_H
#define COT_CLASSIFY_H

#include "match/cue.h"

/* The cue tables, built once per analyzer from lexicon.c. */
typedef struct cot__classifier {
	cot__cueset interj;	/* HEDGE, SO, FILLER */
	cot__cueset main;	/* FINAL ... CONSOLIDATE */
} cot__classifier;

int cot__classifier_init(cot__classifier *c);
void cot__classifier_free(cot__classifier *c);

/* Is the unit computational: its math bytes (ASCII digits and
 * = + - * / ^ \ { } < > |, and the bytes of U+00D7, U+00F7, U+00B7,
 * U+2212) are at least 25% of its bytes other than ASCII white space,
 * or at least 10% when it holds an '='? */
bool cot__computational(const char *text, size_t start, size_t end);

/* The step function (a cot_function) of the unit text[start..end), the
 * index-th unit of its trace; boxed: the unit holds \boxed or \fbox.
 * The rules, in order, are in the README ("Step functions"). */
int cot__classify(const cot__classifier *c, const char *text, size_t start,
		  size_t end, size_t index, bool boxed);

#endif
