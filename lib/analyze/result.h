/* result.h - inside a cot_result: the last record and its profiles. */
#ifndef COT_RESULT_H
#define COT_RESULT_H

#include "passes/pass.h"

struct cot_result {
	const cot_analyzer *az;
	cot__scratch scratch;	/* the passes' per-thread workspace */
	cot__arena arena;	/* decoded strings, traces: per record */
	cot__jdoc doc;		/* for cot_analyze_json */
	const cot__jdoc *rec_doc;	/* the record analyzed last (for
					 * rec.PATH); NULL for plain text */
	uint32_t rec_tok;
	cot__traces traces;
	cot__trace text_trace;	/* for cot_analyze_text */
	cot__profile *prof;
	size_t nprof, capprof;
	cot__sbuf value;	/* JSON text of the last cot_result_get */
	uint32_t passes;	/* the passes to run, bit i for cot__passes[i]
				 * (cot_result_need) */
	unsigned want;		/* the products they read */
	cot__layout sel;	/* the fields of cot_result_select; no keys:
				 * every field */
};

#endif
