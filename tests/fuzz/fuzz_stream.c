/* fuzz_stream.c - libFuzzer target: streamed responses kept as text.
 *
 * Input: the text of a recorded stream (Server-Sent Events, an Amazon
 * event stream raw or in base64; anything). Reading it must not crash,
 * leak or read out of bounds, and the response it stands for, when
 * there is one, must be one JSON object that the scanner accepts: the
 * texts of the events are carried over still escaped, so a broken
 * escape or a cut character would show here. The same events fed one
 * by one (the --stream path) must give the same response. */
#include <stdlib.h>
#include <string.h>

#include "adapt/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cot__arena a;
	cot__jdoc d;
	const char *json;
	size_t len;

	cot__arena_init(&a);
	cot__jdoc_init(&d);
	CHECK(cot__stream_response((const char *)data, size, &a, &json,
				   &len) == COT_OK);
	if (json) {
		CHECK(strlen(json) == len);
		CHECK(cot__json_parse(&d, json, len, NULL) == COT_OK);
		CHECK(d.tok[0].kind == COT_J_OBJ);
	}
	/* the whole input as one chunk of a JSON Lines stream */
	if (cot__json_parse(&d, (const char *)data, size, NULL) == COT_OK) {
		cot__stream *s;

		CHECK(cot__stream_new(&s) == COT_OK);
		CHECK(cot__stream_feed(s, &d) == COT_OK);
		CHECK(cot__stream_end(s, &a, &json, &len) == COT_OK);
		if (json)
			CHECK(cot__json_parse(&d, json, len, NULL) == COT_OK);
		cot__stream_free(s);
	}
	cot__jdoc_dispose(&d);
	cot__arena_dispose(&a);
	return 0;
}
