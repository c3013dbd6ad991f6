/* fuzz_pretok.c - libFuzzer target: the hand-written pre-tokenizers
 * (lib/text/pretok_scan.c) against the PCRE2 path.
 *
 * Input: any bytes, made valid UTF-8 as the tokenizer makes them (U+FFFD
 * for each maximal ill-formed subpart). For the Split levels of each of
 * DeepSeek-V3, Qwen3, Llama 3 and gpt-oss, the scanners must cut the
 * text into exactly the pieces PCRE2 does (tests/pretok_compare.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pretok_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static cot__pretok pt[PCMP_SETS];
static cot__pretok_state st[PCMP_SETS];
static bool ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p;
	size_t n;

	if (!ready) {
		for (size_t i = 0; i < PCMP_SETS; i++)
			CHECK(pcmp_build(&pt[i], i) &&
			      cot__pretok_state_init(&st[i], &pt[i]) == COT_OK);
		ready = true;
	}
	n = pcmp_clean((const char *)data, size, &p);
	for (size_t i = 0; i < PCMP_SETS; i++)
		if (!pcmp_same(&pt[i], &st[i], p, n, pcmp_name[i])) {
			fflush(stdout);
			abort();
		}
	free(p);
	return 0;
}
