/* passes.c - the analysis passes, in the order they run. */
#include "pass.h"

extern const cot__pass cot__core_pass;
/* ---- steps and patterns (issue 3) ---- */
/* ---- health: status, format, repetition (issue 4) ---- */
/* ---- answers and language (issue 4) ---- */

const cot__pass *const cot__passes[] = {
	&cot__core_pass,
	/* ---- steps and patterns (issue 3) ---- */
	/* ---- health: status, format, repetition (issue 4) ---- */
	/* ---- answers and language (issue 4) ---- */
	NULL
};
