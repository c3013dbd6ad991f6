/* fuzz_tokenizer.c - libFuzzer target: tokenizer.json files and texts.
 *
 * Input: a tokenizer.json (anything), a NUL byte, then a text (any
 * bytes). Loading must not crash, leak or read out of bounds, whatever
 * the file holds (ids out of range, merges of unknown tokens, huge or
 * duplicate added tokens, regexes of every kind): it loads or it is
 * refused with a message. A loaded tokenizer then encodes the text:
 * the count alone equals the number of ids, and encoding again gives
 * the same ids (the pre-token cache changes nothing). */
#include <stdlib.h>
#include <string.h>

#include "text/tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, '\0', size);
	size_t jn = nul ? (size_t)(nul - s) : size;
	const char *text = nul ? nul + 1 : "";
	size_t tn = nul ? size - jn - 1 : 0;
	cot__tokenizer *t;
	cot__tok_scratch *sc;
	uint32_t *ids = NULL, *again = NULL;
	size_t n = 0, cap = 0, n2 = 0, cap2 = 0, count = 0;
	cot_error err;
	int rc;

	rc = cot__tokenizer_load_buffer(&t, s, jn, "fuzz", &err);
	if (rc) {
		CHECK(!t && rc != COT_OK && err.message[0]);
		return 0;
	}
	CHECK(cot__tok_scratch_new(&sc, t) == COT_OK);
	rc = cot__tokenize(t, sc, text, tn, &ids, &n, &cap);
	CHECK(rc == COT_OK || rc == COT_ELIMIT);
	if (rc == COT_OK) {
		CHECK(cot__tokenize(t, sc, text, tn, NULL, &count, NULL) ==
		      COT_OK);
		CHECK(count == n);
		CHECK(cot__tokenize(t, sc, text, tn, &again, &n2, &cap2) ==
		      COT_OK);
		CHECK(n2 == n && (!n || !memcmp(ids, again, n * sizeof *ids)));
	}
	cot__free(ids);
	cot__free(again);
	cot__tok_scratch_free(sc);
	cot__tokenizer_free(t);
	return 0;
}
