/* json_compare.h - the JSON scanner's values against jansson's. */
#ifndef COTLOG_TESTS_JSON_COMPARE_H
#define COTLOG_TESTS_JSON_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "record/json.h"

/* Shared by tests/unit/test_json.c and tests/fuzz/fuzz_json.c, so the
 * unit tests and the fuzzer hold the scanner to one reference. Each
 * function is plain C (no cmocka): it answers with a bool, and aborts
 * only on what cannot happen (a parsed key that does not decode, no
 * memory). */

/* Does the value at token t of d hold valid JSON that jansson rejects
 * (SPEC 1): an integer beyond long long, a real beyond double, a lone
 * surrogate escape, a NUL in an object key, or a value inside the
 * 2048th nested container (jansson counts the innermost value as a
 * level too)? d must be a document cot__json_parse accepted; a
 * decodes the keys. */
bool jcmp_known_difference(const cot__jdoc *d, uint32_t t, cot__arena *a);

/* Is our value at token t the same as jansson's j: same kind, same
 * decoded strings, equal numbers, arrays element by element, and objects
 * with the same distinct keys (both keep the last duplicate)? */
bool jcmp_same_value(const cot__jdoc *d, uint32_t t, const json_t *j,
		     cot__arena *a);

/* jansson's lexer reads a number or a literal one byte too far and puts
 * that byte back; a NUL put back is then skipped (its buffer takes NUL
 * for "empty"), so it accepts "1\0" and "[true\0]" (a jansson bug: we
 * reject them). Is that what happened: is s[0..n) valid without the
 * NULs that follow a number or a literal, with the values of j? */
bool jcmp_jansson_skipped_nul(const char *s, size_t n, const json_t *j);

#endif
