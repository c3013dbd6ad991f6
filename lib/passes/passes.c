/* passes.c - the analysis passes, in the order they run. */
#include "passes/pass.h"

extern const cot__pass cot__core_pass;
/* ---- steps and patterns ---- */
extern const cot__pass cot__steps_pass;
extern const cot__pass cot__matches_pass;
extern const cot__pass cot__structure_pass;
/* ---- health: status, format, repetition ---- */
extern const cot__pass cot__format_pass;
extern const cot__pass cot__repeat_pass;
extern const cot__pass cot__loop_pass;
extern const cot__pass cot__status_pass;
/* ---- answers and language ---- */
extern const cot__pass cot__lang_pass;
extern const cot__pass cot__answer_pass;
extern const cot__pass cot__grade_pass;

const cot__pass *const cot__passes[] = {
	&cot__core_pass,
	/* ---- steps and patterns ---- */
	&cot__steps_pass,
	&cot__matches_pass,
	&cot__structure_pass,
	/* ---- health: status, format, repetition ---- */
	&cot__format_pass,
	&cot__repeat_pass,	/* the words and paragraphs loop reads */
	&cot__loop_pass,
	&cot__status_pass,	/* reads loop.tail */
	/* ---- answers and language ---- */
	&cot__lang_pass,	/* the answer pass reads its paragraphs */
	&cot__answer_pass,
	&cot__grade_pass,	/* reads the answer pass */
	NULL
};
