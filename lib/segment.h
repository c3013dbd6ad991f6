/* segment.h - cut a reasoning text into units: byte spans over it. */
#ifndef COT_SEGMENT_H
#define COT_SEGMENT_H

#include "internal.h"

/* A list of units, each a span of the text (start offset, length). The
 * units are in text order and do not overlap; with the separators
 * between them they cover the text exactly. */
typedef struct cot__spans {
	cot__span *v;
	size_t n;
} cot__spans;

/* Paragraphs (SPEC 3 `steps`): maximal runs of LF-separated lines that
 * hold a non-White_Space character. A paragraph runs from the first
 * byte of its first line to the end of its last line (its LF excluded);
 * the blank lines between are separators. Spans are allocated in a.
 * Returns COT_OK or COT_ENOMEM. */
int cot__paragraphs(const char *text, size_t len, cot__arena *a,
		    cot__spans *out);

/* Index of the unit holding byte offset off (or the last unit starting
 * at or before it; 0 when there is none). Binary search. */
size_t cot__span_index(const cot__spans *s, size_t off);

#endif
