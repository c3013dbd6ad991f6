/* fuzz_reader.c - the whole pipeline: bytes -> units -> records -> profiles.
 *
 * Invariants checked: the units, written one after another with their
 * line ends, give back the input (less a leading BOM) unless the stream
 * failed; every record lies inside its unit; an object record's close
 * offset points at its final '}'; every record can be analyzed and its
 * profiles written as JSON that jansson accepts. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cotlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cot_analyzer *az = NULL;
	cot_result *res = NULL;
	cot_reader *r = NULL;
	const cot_unit *u;
	cot_buf json = COT_BUF_INIT;
	char *copy = malloc(size + 1);
	size_t copied = 0;
	bool broken = false;
	bool gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	cot_error err;
	int rc;

	check(copy != NULL);
	check(cot_analyzer_new(&az, NULL, &err) == COT_OK);
	check(cot_result_new(&res, az, &err) == COT_OK);
	check(cot_reader_open_mem(&r, data, size, "fuzz", &err) == COT_OK);
	while ((rc = cot_reader_next(&u, r, &err)) != COT_DONE) {
		size_t n;
		const char *b;
		const char *eol;

		if (rc == COT_EPARSE)
			continue;	/* the rest comes as skipped units */
		if (rc != COT_OK) {
			broken = true;	/* gzip damage: a prefix only */
			break;
		}
		b = cot_unit_bytes(u, &n);
		eol = cot_unit_eol(u);
		if (!gz) {	/* gzip grows when decompressed */
			check(copied + n + strlen(eol) <= size);
			memcpy(copy + copied, b, n);
			copied += n;
			memcpy(copy + copied, eol, strlen(eol));
			copied += strlen(eol);
		}
		for (size_t i = 0; i < cot_unit_records(u); i++) {
			cot_record_span s;
			json_error_t je;
			json_t *j;

			check(cot_unit_record(&s, u, i, NULL) == COT_OK);
			check(s.off + s.len <= n);
			check(s.close == SIZE_MAX ||
			      (s.close == s.off + s.len - 1 && b[s.close] == '}'));
			check(cot_analyze_unit(res, u, i, &err) == COT_OK);
			json.size = 0;
			check(cot_result_json(&json, res, NULL) == COT_OK);
			j = json_loadb(json.ptr, json.size, JSON_ALLOW_NUL, &je);
			check(j != NULL);
			check(json_array_size(j) == cot_result_traces(res));
			json_decref(j);
		}
	}
	/* gzip input decompresses: compare only plain input byte for byte */
	if (!broken && !gz) {
		size_t bom = cot_reader_had_bom(r) ? 3 : 0;

		check(copied + bom == size);
		check(memcmp(copy, data + bom, copied) == 0);
	}
	cot_buf_dispose(&json);
	cot_reader_free(r);
	cot_result_free(res);
	cot_analyzer_free(az);
	free(copy);
	return 0;
}
