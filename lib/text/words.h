/* words.h - the words of a text as Python's str.lower().split() sees
 * them, kept as hashes, and their n-gram repetition ratio. */
#ifndef COT_WORDS_H
#define COT_WORDS_H

#include "base/hmap.h"
#include "base/internal.h"

/* Python's str.lower() of one code point where it is one code point
 * (lower.c, generated); U+0130 lowers to two and is handled by the word
 * hash. */
uint32_t cot__lower_cp(uint32_t cp);

/* The words of a text as Python's str.split() cuts them: maximal runs of
 * characters that are not str.isspace() (the White_Space list of think.words plus
 * U+001C-001F). Each word is kept as the 64-bit hash of its str.lower()
 * form; where it starts is kept for every COT__WORD_MARK-th word only
 * (8 bytes a word, not 16: a 100 MB line has 15 million words), and
 * found from there when asked (cot__word_off). */
#define COT__WORD_MARK 64
typedef struct cot__words {
	uint64_t *hash;
	size_t n, cap;
	size_t *mark;		/* offset of word k * WORD_MARK */
	size_t nmark, capmark;
} cot__words;

/* Fill w with the words of text[0..len). Bytes that are not valid UTF-8
 * count as one non-space character each. Returns COT_OK or COT_ENOMEM
 * (w keeps its memory for the next call; free with cot__words_dispose). */
int cot__words_scan(cot__words *w, const char *text, size_t len);
/* Byte offset where word k (< w->n) of text starts; walks at most
 * COT__WORD_MARK - 1 words. */
size_t cot__word_off(const cot__words *w, const char *text, size_t len,
		     size_t k);
void cot__words_dispose(cot__words *w);

/* Byte length of the Python-whitespace character at p[0..n)
 * (White_Space or U+001C-001F), 0 when p starts with anything else.
 * ASCII inline (the splitters ask at nearly every byte they trim), the
 * rest in words.c. */
size_t cot__pyspace_wide(const unsigned char *p, size_t n);

/* What str.isspace() says of an ASCII byte: White_Space plus
 * U+001C-001F (file, group, record and unit separators, which Python's
 * split() also splits at). */
static inline bool cot__ascii_pyspace(unsigned c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') ||
	       (c >= 0x1c && c <= 0x1f);
}

static inline size_t cot__pyspace_len(const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return cot__ascii_pyspace(p[0]);
	return cot__pyspace_wide(p, n);
}

/* open-r1's repetition ratio over the words: 1 - unique/total word
 * n-grams; 0 when there are fewer than n words. set is workspace. An
 * n-gram is keyed by the polynomial sum of hash[i+k] * BASE^(n-1-k)
 * (loop.c keys trigrams the same way). */
#define COT__NGRAM_BASE 0x100000001b3ULL
int cot__ngram_ratio(const cot__words *w, unsigned n, cot__hmap *set,
		     double *out);

#endif
