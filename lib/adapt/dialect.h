/* dialect.h - split one text into preamble, reasoning and answer by tags. */
#ifndef COT_DIALECT_H
#define COT_DIALECT_H

#include "base/internal.h"

/* The dialect table (README "Tags in text"): reasoning open/close markers
 * and, where a dialect has them, answer markers. Markers are exact,
 * case-sensitive byte strings. The first dialect in table order whose
 * reasoning open or close marker occurs in the text is the text's dialect
 * (gpt-oss only by its open marker). */

typedef struct cot__dialect {
	const char *name;	/* stable id: "think", "thought", "im_think",
				 * "mistral", "kimi", "seed", "harmony" */
	const char *open;	/* reasoning open marker */
	const char *close;	/* reasoning close marker */
	const char *answer_open;	/* NULL when the dialect has none */
	const char *answer_close;
	bool open_has_attrs;	/* "<think" may carry attributes up to '>' */
	bool detect_by_open_only;
} cot__dialect;

extern const cot__dialect cot__dialects[];
extern const size_t cot__ndialects;

/* The split of one text; all spans are into that text. */
typedef struct cot__split {
	int dialect;		/* index into cot__dialects, -1: no marker */
	cot__span preamble;	/* before the first open marker */
	cot__span reasoning;
	cot__span answer;
	bool tagged;		/* a marker of the dialect was found */
	bool closed;		/* reasoning ended by a close marker */
	bool prefilled;		/* close marker with no open marker before */
	bool answer_tagged;	/* answer narrowed by the answer markers */
	uint32_t think_blocks;	/* reasoning blocks: 1 + further blocks */
} cot__split;

/* Split text[0..len) exactly as README "Tags in text" says:
 * - preamble = text before the first open marker;
 * - open and close: reasoning = between the first open marker and the
 *   first close marker after it; answer = text after that close marker;
 * - close with no open before it (prefilled): reasoning = text before the
 *   close marker; answer = after it;
 * - open with no close after it: reasoning = everything after the open
 *   marker, answer empty, closed = false;
 * - answer markers: if answer_open occurs in the answer, the answer is
 *   what stands between it and answer_close (or the end);
 * - no marker: dialect -1, tagged = false, reasoning and answer empty
 *   spans at 0 (the caller decides which side the text is);
 * - further reasoning blocks after the first are counted in think_blocks
 *   and stay in the answer text.
 * Texts are not trimmed. Never fails, never allocates. */
void cot__dialect_split(const char *text, size_t len, cot__split *out);

#endif
