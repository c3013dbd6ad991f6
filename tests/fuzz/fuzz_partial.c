/* fuzz_partial.c - libFuzzer target: stats partials, as `cotlog stats
 * --merge` reads them.
 *
 * Input: one partial line. A line that is not a partial must be refused
 * with a message; one that is read must write back as a partial that
 * reads as the same state and writes the same text again, must merge
 * into an empty summary of its kind as itself, and must render as a
 * table, JSON and TSV. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	summary *s, *back, *sum;
	char *text, *again;

	s = summary_parse_partial((const char *)data, size, err, sizeof err);
	if (!s) {
		CHECK(err[0] != '\0');
		return 0;
	}
	text = summary_partial(s);
	CHECK(text && strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	back = summary_parse_partial(text, strlen(text), err, sizeof err);
	CHECK(back != NULL);
	CHECK(summary_equal(s, back));
	again = summary_partial(back);
	CHECK(again && strcmp(text, again) == 0);
	sum = summary_new_like(s);
	CHECK(sum != NULL);
	CHECK(summary_merge(sum, s, err, sizeof err) == 0);
	CHECK(summary_equal(sum, s));
	for (int f = SUMMARY_TABLE; f <= SUMMARY_TSV; f++) {
		char *r = summary_render(s, (summary_format)f, NULL, 0, err,
					 sizeof err);

		CHECK(r != NULL);
		free(r);
	}
	free(text);
	free(again);
	summary_free(sum);
	summary_free(back);
	summary_free(s);
	return 0;
}
