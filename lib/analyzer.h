/* analyzer.h - inside the analyzer and the per-thread scratch. */
#ifndef COT_ANALYZER_H
#define COT_ANALYZER_H

#include "profile.h"

/* Per-thread workspace of the passes (pcre2 match data, hash tables),
 * made with each cot_result; never shared. Each pass owns its members. */
typedef struct cot__scratch {
	int unused;	/* keeps the struct non-empty */
	/* ---- steps and patterns (issue 3) ---- */
	/* ---- health: status, format, repetition (issue 4) ---- */
	/* ---- answers and language (issue 4) ---- */
} cot__scratch;

struct cot_analyzer {
	cot__adapt_cfg cfg;
	/* the registry of this analyzer: every static row of the passes,
	 * then the rows its options added (user patterns) */
	const cot__field **fields;
	size_t nfields, nstatic;
	cot__field *dyn;
	size_t ndyn, capdyn;
	/* ---- steps and patterns (issue 3) ---- */
	/* ---- health: status, format, repetition (issue 4) ---- */
	/* ---- answers and language (issue 4) ---- */
};

#endif
