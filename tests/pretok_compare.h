/* pretok_compare.h - the hand-written pre-tokenizers (pretok_scan.c)
 * against the PCRE2 path (pretok.c) on one text. */
#ifndef COTLOG_TESTS_PRETOK_COMPARE_H
#define COTLOG_TESTS_PRETOK_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "text/pretok.h"

/* Shared by tests/unit/test_pretok.c and tests/fuzz/fuzz_pretok.c.
 * Plain C: answers with a bool, aborts only when out of memory. */

enum { PCMP_SETS = 4 };

/* The Split levels of the tokenizer.json of DeepSeek-V3, Qwen3,
 * Llama 3 and gpt-oss, with their names. */
extern const char *const pcmp_name[PCMP_SETS];

/* Build the levels of set i, and check that every one has a scanner
 * (false when one does not: its pattern was not recognised). */
bool pcmp_build(cot__pretok *pt, size_t i);

/* text[0..n) as the tokenizer hands it to the pre-tokenizers: U+FFFD
 * for each maximal ill-formed subpart, into a malloc'ed *out. */
size_t pcmp_clean(const char *text, size_t n, char **out);

/* Do both paths split the valid UTF-8 p[0..n) into the same pieces?
 * When not, and name is not NULL, the first difference is printed
 * to stdout as TAP comments. */
bool pcmp_same(const cot__pretok *pt, cot__pretok_state *st,
	       const char *p, size_t n, const char *name);

#endif
