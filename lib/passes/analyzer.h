/* analyzer.h - inside the analyzer and the per-thread scratch. */
#ifndef COT_ANALYZER_H
#define COT_ANALYZER_H

#include "passes/profile.h"

/* Per-thread workspace of the passes (pcre2 match data, hash tables),
 * made with each cot_result; never shared. Each pass owns its members. */
typedef struct cot__scratch {
	/* which trace the passes run on, counted from 1 (analyze.c): the
	 * products shared by passes are made once per trace by this */
	uint64_t trace;
	/* ---- steps and patterns ---- */
	struct cot__pscratch *pscratch;	/* pcre2 state (matches.c) */
	/* ---- health: status, format, repetition ---- */
	struct cot__health_scratch *health;	/* health.h */
	/* ---- answers and language ---- */
	cot__arena norm;	/* a candidate's normalising, reset after
				 * each (answer.c) */
	/* ---- tokens ---- */
	struct cot__tok_scratch *tok;	/* the encoder's state (tokens.c) */
} cot__scratch;

struct cot_analyzer {
	cot__adapt_cfg cfg;
	/* the registry of this analyzer: every static row of the passes,
	 * then the rows its options added (user patterns) */
	const cot__field **fields;
	size_t nfields, nstatic;
	cot__layout json;	/* the JSON profile of every field */
	/* the pass (index in cot__passes) that computes each field, so an
	 * analysis can run only the passes a question needs */
	uint8_t *field_pass;	/* nfields */
	uint8_t *dyn_pass;	/* ndyn: the pass whose init added it */
	uint8_t init_pass;	/* the pass running init */
	uint8_t npasses;
	cot__field *dyn;
	size_t ndyn, capdyn;
	/* ---- steps and patterns ---- */
	struct cot__stepcfg *stepcfg;	/* cue tables (steps.c) */
	struct cot__pset *pset;		/* the patterns (matches.c) */
	size_t fam_backtracking, fam_verification, fam_aha;
	/* ---- health: status, format, repetition ---- */
	unsigned ngram;		/* n of repeat.ngram (repeat.c) */
	/* ---- answers and language ---- */
	int lang_target;	/* lang.target_share's class, -1: none */
	/* ---- tokens ---- */
	const struct cot__tokenizer *tokenizer;	/* borrowed; NULL: none */
	unsigned needs;		/* every row's needs (cot__field.needs) */
};

#endif
