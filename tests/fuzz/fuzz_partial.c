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

#include "stats/summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static char *write_partial(cot_summary *s)
{
	cot_buf b = { 0 };

	CHECK(cot_summary_write_partial(&b, s, NULL) == COT_OK);
	return b.ptr;
}

static bool equal(cot_summary *a, cot_summary *b)
{
	bool eq;

	CHECK(cot__summary_equal(&eq, a, b) == COT_OK);
	return eq;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cot_error err = { 0 };
	cot_summary *s, *back, *sum;
	char *text, *again;

	if (cot_summary_read_partial(&s, (const char *)data, size, 0, &err)) {
		CHECK(s == NULL && err.message[0] != '\0');
		return 0;
	}
	text = write_partial(s);
	CHECK(text && strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	CHECK(cot_summary_read_partial(&back, text, strlen(text), 0, &err) ==
	      COT_OK);
	CHECK(equal(s, back));
	again = write_partial(back);
	CHECK(again && strcmp(text, again) == 0);
	CHECK(cot_summary_new_like(&sum, s, &err) == COT_OK);
	CHECK(cot_summary_merge(sum, s, &err) == COT_OK);
	CHECK(equal(sum, s));
	for (int f = COT_SUMMARY_TABLE; f <= COT_SUMMARY_TSV; f++) {
		cot_buf r = { 0 };

		CHECK(cot_summary_render(&r, s, (cot_summary_format)f, NULL, 0,
					 &err) == COT_OK);
		CHECK(r.ptr != NULL);
		cot_buf_dispose(&r);
	}
	cot__free(text);
	cot__free(again);
	cot_summary_free(sum);
	cot_summary_free(back);
	cot_summary_free(s);
	return 0;
}
