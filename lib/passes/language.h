/* language.h - Unicode script of a letter, and language mixing by paragraph. */
#ifndef COT_SCRIPT_H
#define COT_SCRIPT_H

#include "text/segment.h"

/* The script classes of the language fields, in tie-break order (a tie
 * between two classes goes to the earlier one). Kana is Hiragana and
 * Katakana together. */
typedef enum cot__script {
	COT__SCRIPT_LATIN = 0,
	COT__SCRIPT_HAN,
	COT__SCRIPT_KANA,
	COT__SCRIPT_HANGUL,
	COT__SCRIPT_CYRILLIC,
	COT__SCRIPT_ARABIC,
	COT__SCRIPT_DEVANAGARI,
	COT__SCRIPT_OTHER,
	COT__NSCRIPTS,
	/* not a class of its own: Greek letters count as "other", and only
	 * in runs of two or more (a lone one is a math symbol: pi, theta) */
	COT__SCRIPT_GREEK = COT__NSCRIPTS,
	COT__SCRIPT_NONE = -1	/* no letter: digit, punctuation, ... */
} cot__script;

/* The stable names of the classes ("Latin", ..., "other"). */
extern const char *const cot__script_names[COT__NSCRIPTS];

/* The class of code point cp, COT__SCRIPT_GREEK for a Greek letter, or
 * COT__SCRIPT_NONE when cp is not a letter of a known script (digits,
 * punctuation, symbols, marks, math alphanumerics, emoji). */
int cot__script_of(uint32_t cp);

/* The class named name (case-insensitive; "Hiragana" and "Katakana" name
 * Kana), or COT__SCRIPT_NONE. "other" is not a target. */
int cot__script_find(const char *name);

/* Letter counts of one reasoning text (see the README, "Language"):
 * letters are counted per paragraph, outside LaTeX command names, math
 * ($...$, $$...$$, \(...\), \[...\], math environments) and code (fenced
 * blocks, `inline`). */
typedef struct cot__script_stats {
	uint64_t count[COT__NSCRIPTS];	/* letters per class */
	uint64_t letters;		/* their sum */
	size_t first[COT__NSCRIPTS];	/* offset of the first letter of
					 * each class, SIZE_MAX: none */
	uint32_t switches;	/* paragraph dominant changes between
				 * consecutive paragraphs with letters */
	uint32_t mixed;		/* paragraphs with 2+ classes */
	uint32_t lettered;	/* paragraphs with letters */
	int dominant;		/* class with most letters, -1: none */
} cot__script_stats;

/* Count text[0..len) whose paragraphs (cot__paragraphs) are para[0..n).
 * One pass; never allocates. */
void cot__script_scan(const char *text, size_t len, const cot__span *para,
		      size_t npara, cot__script_stats *out);

/* What the language pass found for one trace (the profile's lang). */
struct cot__lang {
	cot__spans para;	/* paragraphs of the reasoning (the answer
				 * pass reads them too) */
	cot__script_stats st;
	int target;		/* the analyzer's target class, -1: none */
};

#endif
