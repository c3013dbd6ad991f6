/* summary.c - summarize traces with libcotlog, in two halves merged.
 *
 * Reads traces.jsonl (run it in examples/), adds every other record to
 * one of two summaries grouped by the record's format, as two machines
 * would each summarize their shard; one half travels as a partial (a
 * line of JSON), is read back and merged into the other; the merge is
 * the summary of the whole file, exactly. Prints the table and the
 * mean reasoning length from the JSON.
 *
 * Build against an installed libcotlog:
 *   cc -std=c11 -Wall -Wextra -Werror summary.c \
 *      $(pkg-config --cflags --libs cotlog) -o summary
 */
#include <stdio.h>
#include <string.h>

#include <cotlog.h>

/* Analyze each record of path and add it to half[record % 2]. Only the
 * analysis the summaries' fields need runs. */
static int add_file(const char *path, cot_result *res, cot_summary **half,
		    cot_error *err)
{
	size_t need[16], n = cot_summary_fields(half[0], need, 16);
	const cot_unit *u;
	cot_reader *rd;
	size_t k = 0;
	int rc = n <= 16 ? cot_result_need(res, need, n, err) : COT_EINVAL;

	if (!rc)
		rc = cot_reader_open_path(&rd, path, err);
	if (rc)
		return rc;
	while ((rc = cot_reader_next(&u, rd, err)) == COT_OK) {
		if (cot_unit_kind_of(u) == COT_UNIT_MALFORMED)
			rc = cot_summary_add_malformed(half[k++ % 2], path, 1,
						       err);
		for (size_t i = 0; i < cot_unit_records(u) && !rc; i++) {
			rc = cot_analyze_unit(res, u, i, err);
			if (!rc)
				rc = cot_summary_add(half[k++ % 2], res, path,
						     err);
		}
		if (rc)
			break;
	}
	cot_reader_free(rd);
	return rc == COT_DONE ? COT_OK : rc;
}

/* Send half[1] through its partial and merge it into half[0]. */
static int merge_halves(cot_summary **half, cot_error *err)
{
	cot_buf line = COT_BUF_INIT;
	cot_summary *back = NULL;
	int rc = cot_summary_write_partial(&line, half[1], err);

	if (!rc)
		rc = cot_summary_read_partial(&back, line.ptr, line.size, 0,
					      err);
	if (!rc)
		rc = cot_summary_merge(half[0], back, err);
	cot_summary_free(back);
	cot_buf_dispose(&line);
	return rc;
}

int main(void)
{
	cot_summary_options o = { 0 };
	cot_summary *half[2] = { NULL, NULL };
	cot_buf text = COT_BUF_INIT;
	cot_analyzer *az = NULL;
	cot_result *res = NULL;
	cot_summary_counts c;
	cot_error err;
	const char *mean;
	int rc;

	o.fields = "think.words,closed,status";
	o.by = "format";
	rc = cot_analyzer_new(&az, NULL, &err);
	if (!rc)
		rc = cot_result_new(&res, az, &err);
	for (int h = 0; h < 2 && !rc; h++)
		rc = cot_summary_new(&half[h], az, &o, &err);
	if (!rc)
		rc = add_file("traces.jsonl", res, half, &err);
	if (!rc)
		rc = merge_halves(half, &err);
	if (!rc)
		rc = cot_summary_render(&text, half[0], COT_SUMMARY_TABLE,
					NULL, 72, &err);
	if (!rc) {
		cot_summary_counts_of(half[0], &c);
		printf("%llu records in %zu groups\n%s\n",
		       (unsigned long long)c.records,
		       cot_summary_groups(half[0]), text.ptr);
		text.size = 0;
		rc = cot_summary_render(&text, half[0], COT_SUMMARY_JSON,
					"think.words", 0, &err);
	}
	if (!rc) {
		/* the JSON is for programs; here one number of it */
		mean = strstr(text.ptr, "\"mean\":");
		printf("mean reasoning words: %.*s\n",
		       mean ? (int)strcspn(mean + 7, ",}") : 4,
		       mean ? mean + 7 : "none");
	}
	if (rc)
		fprintf(stderr, "summary: %s\n", err.message);
	cot_buf_dispose(&text);
	cot_summary_free(half[0]);
	cot_summary_free(half[1]);
	cot_result_free(res);
	cot_analyzer_free(az);
	return rc ? 1 : 0;
}
