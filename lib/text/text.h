/* text.h - the core length counts and \boxed extraction. */
#ifndef COT_TEXT_H
#define COT_TEXT_H

#include "base/internal.h"
#include "base/utf8.h"

/* Counts over one UTF-8 text (already valid UTF-8: it comes from decoded
 * JSON strings or the caller promised it). */
typedef struct cot__counts {
	uint64_t bytes;
	uint64_t chars;		/* Unicode code points */
	uint64_t words;		/* maximal runs of non-White_Space chars */
	uint64_t steps;		/* paragraphs: maximal runs of LF-separated
				 * lines holding a non-White_Space char */
} cot__counts;

/* One pass over text[0..len). White_Space is exactly this list (README, think.words):
 * U+0009-000D, U+0020, U+0085, U+00A0, U+1680, U+2000-200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000. */
void cot__text_count(const char *text, size_t len, cot__counts *out);

/* The content of the last-starting \boxed{...} or \fbox{...} (white space
 * allowed between the command and '{') whose braces balance, as a span of
 * text; false when there is none. "Last-starting": among all occurrences
 * whose braces balance, the one whose command starts last. */
bool cot__text_boxed(const char *text, size_t len, cot__span *content);

/* cot__text_count, and the paragraphs of cot__paragraphs (segment.h)
 * with the words of each (*words: para->n counts, in a; NULL when
 * there are none), in the same pass. Returns COT_OK or COT_ENOMEM. */
struct cot__spans;
int cot__text_paragraphs(const char *text, size_t len, cot__arena *a,
			 cot__counts *out, struct cot__spans *para,
			 uint32_t **words);

#endif
