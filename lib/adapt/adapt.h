/* adapt.h - find the traces in one record: the table of record shapes. */
#ifndef COT_ADAPT_H
#define COT_ADAPT_H

#include "adapt/dialect.h"
#include "record/json.h"
#include "record/path.h"

/* A text the library holds: decoded JSON string (in place or in the
 * record's arena) or a part of one. */
typedef struct cot__text {
	const char *p;
	size_t n;
} cot__text;

/* One trace as the adapters find it (README "From a record to traces"). Texts are borrowed from
 * the record or its arena. */
typedef struct cot__trace {
	const char *format;	/* the shape's stable name */
	cot__text reasoning;
	cot__text answer;
	cot__text full;		/* the whole text split by tags (format
				 * checks read it); p NULL for structured */
	bool tagged;		/* a marker was found, or structured field */
	bool closed;		/* closed by a marker, or structured field */
	bool structured;	/* the reasoning came from a structured field */
	bool prefilled;		/* a close marker with no open marker */
	int dialect;		/* index into cot__dialects or -1 */
	uint32_t think_blocks;	/* reasoning blocks (structured: pieces) */
	uint32_t redacted;	/* redacted / encrypted reasoning blocks */
	size_t preamble;	/* bytes before the first open marker */
	/* what the record says about the trace; p == NULL: not said */
	cot__text prompt;
	cot__text ref;		/* reference answer (a number as written) */
	cot__text finish_reason;
	cot__text model;
	int label;		/* correctness label: -1 none, 0, 1 */
} cot__trace;

typedef struct cot__traces {
	cot__trace *v;
	size_t n, cap;
	uint32_t tool_only;	/* assistant turns of tool calls only */
} cot__traces;

/* The options that change how records are read (compiled once). */
typedef struct cot__adapt_cfg {
	cot__path *field;
	cot__path *answer_field;
	cot__path *ref_field;
	cot_untagged untagged;
} cot__adapt_cfg;

/* Find every trace of the record at token root of d. Decoded strings
 * and the trace array live in arena a (reset by the caller between
 * records). Returns COT_OK (out->n may be 0) or COT_ENOMEM. */
int cot__adapt(const cot__adapt_cfg *cfg, const cot__jdoc *d, uint32_t root,
	       cot__arena *a, cot__traces *out);

/* Was the trace's answer opened by its dialect's answer marker and
 * never closed (the text was cut in its answer)? Only for dialects whose
 * answer close is text the model writes (<|end_of_solution|>,
 * </answer>), not a stop token that servers strip (gpt-oss
 * <|return|>). */
bool cot__answer_unclosed(const cot__trace *t);

/* Split one raw text by tags into a trace (also used for plain text
 * input). untagged_is_answer: where the text has no marker, is it the
 * answer (a message) or the reasoning (a bare text)? */
void cot__trace_from_text(cot__trace *t, const char *format, const char *s,
			  size_t n, bool untagged_is_answer);


#endif
