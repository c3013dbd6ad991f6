/* lexicon.h - the built-in lexicons and cue lists, as data. */
#ifndef COT_LEXICON_H
#define COT_LEXICON_H

#include "base/internal.h"

/* A built-in pattern family: its name and where its words come from
 * (cited in the README, section "Lexicons"). */
typedef struct cot__lexfamily {
	const char *name;
	const char *source;
} cot__lexfamily;

/* A built-in pattern: a list of literal phrases separated by '|'.
 * cot__phrase_regex turns it into the regex that is matched; the
 * phrases stay available so tests can count them another way. */
typedef struct cot__lexeme {
	const char *name;
	const char *family;
	const char *phrases;
} cot__lexeme;

/* Both tables end with a row whose name is NULL. */
extern const cot__lexfamily cot__lex_families[];
extern const cot__lexeme cot__lexicon[];

/* The regex of a phrase list, appended to out:
 *   (?:P1|P2|...)
 * where each phrase is matched literally (regex characters escaped),
 * except that an apostrophe ' matches ' or U+2019, and a phrase that
 * begins (ends) with an ASCII letter or digit gets \b before (after)
 * it. Matching is caseless, so phrases are written in lower case.
 * Returns COT_OK or COT_ENOMEM. */
int cot__phrase_regex(const char *phrases, cot__sbuf *out);

/* Cue classes: what a cue phrase at the opening of a unit says about
 * the unit (classify.c); SWITCH marks the phrases of the built-in
 * "switch" family, which open a thought (segment.c). */
enum {
	COT__CUE_NONE = 0,
	/* interjections: skipped when looking for the main cue */
	COT__CUE_HEDGE,		/* wait, hmm, but, oh, actually ... */
	COT__CUE_SO,		/* so, therefore, thus, hence */
	COT__CUE_FILLER,	/* okay, well, now, alright ... */
	/* main cues */
	COT__CUE_FINAL,
	COT__CUE_VERIFY,
	COT__CUE_DOUBT,
	COT__CUE_SETUP,
	COT__CUE_COMPUTE,
	COT__CUE_FACT,
	COT__CUE_PLAN,
	COT__CUE_CONSOLIDATE,
	COT__CUE_ALTERNATIVE,	/* alternatively, another approach ... */
	COT__CUE_TENTATIVE,	/* maybe, perhaps */
	COT__CUE_DEDUCE,	/* because, since, if, similarly ... */
	/* anywhere in a unit (cot__inner_cues) */
	COT__CUE_RECALL,	/* i know, i remember, i recall ... */
	COT__CUE_EXAMPLE,	/* for example, for instance ... */
	COT__CUE_AFFIRM,	/* that's right, checks out, a check mark */
	COT__CUE_STATE,		/* is, are, has, have (cot__state_cues) */
	/* thought segmentation */
	COT__CUE_SWITCH,
	COT__CUE_CLASSES
};

/* A cue: a literal phrase (same conventions as lexeme phrases) and
 * its class. Lists end with a NULL phrase. */
typedef struct cot__cue {
	const char *phrase;
	uint8_t cls;
} cot__cue;

extern const cot__cue cot__interjection_cues[];	/* HEDGE, SO, FILLER */
extern const cot__cue cot__function_cues[];	/* FINAL ... DEDUCE */
extern const cot__cue cot__inner_cues[];	/* RECALL, EXAMPLE, AFFIRM */
extern const cot__cue cot__state_cues[];	/* STATE */

#endif
