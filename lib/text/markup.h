/* markup.h - math, code and lists in a reasoning text. */
#ifndef COT_MARKUP_H
#define COT_MARKUP_H

#include "base/internal.h"

/* What one scan of a text finds (README "Structure" states the exact
 * rules):
 * - fenced code blocks: a line whose first non-blank bytes are at least
 *   three ` or ~ opens a block, which runs to a line of at least as many
 *   of the same character (and nothing else but White_Space), or to the
 *   end of the text;
 * - outside code blocks, within one paragraph (never across a blank
 *   line): display math $$...$$ and \[...\], inline math \(...\) and
 *   $...$ (the opening $ followed by a character that is not
 *   White_Space, the closing $ preceded by one and not followed by an
 *   ASCII digit; \$ is a dollar sign), inline code `...` (a run of
 *   backticks closed by a run of the same length); an opening that is
 *   not closed in its paragraph is a plain character, and reading goes
 *   on after it (as Pandoc reads "$5 and $6, $x$");
 * - list items: lines (outside code blocks) whose first non-blank
 *   bytes are -, *, + or U+2022, or 1 to 3 digits and . or ), followed
 *   by White_Space; a list is a run of items in which only blank lines
 *   and lines that start with White_Space stand between items. */
typedef struct cot__markup {
	cot__span *prot;	/* the regions above (code blocks, math,
				 * inline code): sorted, disjoint; sentences
				 * never end inside them. Regions with only
				 * bytes that cannot end a sentence between
				 * them are one. */
	size_t nprot;
	uint32_t code_blocks;
	uint32_t display_math;
	uint32_t inline_math;
	uint32_t inline_code;
	uint32_t lists;
	uint32_t list_items;
} cot__markup;

/* Scan text[0..len). Regions live in a. Returns COT_OK or COT_ENOMEM. */
int cot__markup_scan(const char *text, size_t len, cot__arena *a,
		     cot__markup *out);

#endif
