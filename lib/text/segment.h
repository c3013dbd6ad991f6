/* segment.h - cut a reasoning text into units: byte spans over it. */
#ifndef COT_SEGMENT_H
#define COT_SEGMENT_H

#include "base/internal.h"

/* A list of units, each a span of the text (start offset, length). The
 * units are in text order and do not overlap; with the separators
 * between them they cover the text exactly. */
typedef struct cot__spans {
	cot__span *v;
	size_t n;
} cot__spans;

/* Paragraphs (the `steps` field): maximal runs of LF-separated lines that
 * hold a non-White_Space character. A paragraph runs from the first
 * byte of its first line to the end of its last line (its LF excluded);
 * the blank lines between are separators. Spans are allocated in a.
 * Returns COT_OK or COT_ENOMEM. */
int cot__paragraphs(const char *text, size_t len, cot__arena *a,
		    cot__spans *out);

/* Sentences (README "Segmentation"): each paragraph is cut after a
 * run of . ? ! (and the closing quotes, brackets and emphasis marks
 * right after it) that is followed by White_Space, and after the CJK
 * full stops U+3002 U+FF01 U+FF1F (with their closers) wherever they
 * stand; not inside the regions of prot (math, code: markup.h), not
 * after an abbreviation of the list in segment.c (e.g. i.e. Dr. ...),
 * and not after an enumeration that begins a line ("1." "a."). A
 * sentence runs from its first to its last byte that is not
 * White_Space. A sentence of fewer than 10 code points is merged into
 * the next sentence of its paragraph, the last one into the one before;
 * sentences never cross a paragraph boundary. Returns COT_OK or
 * COT_ENOMEM. */
int cot__sentences(const char *text, size_t len, const cot__spans *para,
		   const cot__span *prot, size_t nprot, cot__arena *a,
		   cot__spans *out);

/* Thoughts: runs of paragraphs; a new thought starts at every
 * paragraph after the first whose opening (cue.h: cot__opening) starts
 * with a phrase of `switches`. A thought runs from the start of its
 * first paragraph to the end of its last. Returns COT_OK or
 * COT_ENOMEM. */
struct cot__cueset;
int cot__thoughts(const char *text, size_t len, const cot__spans *para,
		  const struct cot__cueset *switches, cot__arena *a,
		  cot__spans *out);

/* Index of the unit holding byte offset off (or the last unit starting
 * at or before it; 0 when there is none). Binary search. */
size_t cot__span_index(const cot__spans *s, size_t off);

/* The first of . ? ! and the lead bytes E3 EF (of U+3002 U+FF01 U+FF1F
 * and others) in t[i..end), or end: 16 bytes at a time where SSE2 is. */
size_t cot__next_term(const unsigned char *t, size_t i, size_t end);

#endif
