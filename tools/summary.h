/* summary.h - stats of profile fields per group: add, merge, save, render. */
#ifndef COT_SUMMARY_H
#define COT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cotlog.h"

/* A summary holds, for the whole input and for each group of a --by
 * key, the counts (records, traces, records with no trace, malformed
 * lines) and per field:
 *   INT, REAL   values, nonzero values, exact sum and sum of squares
 *               (128/192-bit integers for INT, sketch.h's xsum for
 *               REAL), exact min and max, quantile sketch;
 *   BOOL        true and false counts;
 *   STRING      values, and the count of each distinct value while
 *               there are at most SUMMARY_MAX_VALUES of at most
 *               SUMMARY_MAX_VALUE_LEN bytes (else only the count).
 * JSON (list) fields are not summarized.
 *
 * Every part merges exactly: merging the summaries of any split of the
 * input, in any order, gives the summary of the whole input, and so the
 * same rendered bytes. Null values (and non-finite REALs) are not
 * counted; a field's nulls are the traces minus its values.
 *
 * A summary belongs to one thread. For -j N, give each worker its own
 * (summary_new_like), then summary_merge them into one. Out of memory
 * ends the program (status 2), as everywhere in the tool. */

#define SUMMARY_MAX_VALUES 64
#define SUMMARY_MAX_VALUE_LEN 256
#define SUMMARY_MAX_GROUPS 1000	/* summary_set_max_groups's default */

typedef struct summary summary;

/* An empty summary of the fields of az that `fields` chooses: a comma-
 * separated list of names and shell patterns (`think.*,closed`,
 * `families.*.count`), or NULL for every field that is not a JSON list.
 * by is the --by text as given (an expression, or "file" for the input
 * file), NULL for no groups; it is kept, not compiled. analysis names
 * the analyzer options that change values (partials made with other
 * ones do not merge), "" for none. Returns NULL with a message in err
 * when a name in fields is unknown or a list. */
summary *summary_new(const cot_analyzer *az, const char *fields,
		     const char *by, const char *analysis, char *err,
		     size_t errlen);
/* The registry indexes of the fields s summarizes (at most max to out,
 * which may be NULL); returns their number. */
size_t summary_field_indexes(const summary *s, size_t *out, size_t max);
/* An empty summary with the same fields, --by and analysis as s. */
summary *summary_new_like(const summary *s);
void summary_free(summary *s);

/* How many groups a summary may hold before summary_add_record fails
 * (so that --by over an id cannot eat the machine). */
void summary_set_max_groups(summary *s, size_t n);

/* Whether --by is "file": the group is the input's name. */
bool summary_by_file(const summary *s);
const char *summary_by(const summary *s);	/* NULL: no groups */

/* Add one analyzed record: every trace of res, each to the total and
 * to the group of its key, or, with no trace, the record alone (as
 * no_trace). The key: with --by file, file; with an expression, the
 * value of by (compiled by the caller, one per thread) on the trace (on
 * the record alone when there is none); without --by, none.
 * Returns COT_OK; COT_EINVAL when by failed on a trace (err says why;
 * that trace is counted in the total only, the others are added);
 * COT_ELIMIT when a new group would pass the limit (err says so; the
 * record is in the total, not in the group). */
int summary_add_record(summary *s, cot_result *res, cot_expr *by,
		       const char *file, cot_error *err);
/* Count n malformed lines (or broken documents) of file. */
void summary_add_malformed(summary *s, const char *file, uint64_t n);

/* Add src into dst. Returns 0, or -1 with a message in err when they
 * do not summarize the same fields, --by and analysis, or the groups
 * pass the limit. */
int summary_merge(summary *dst, const summary *src, char *err,
		  size_t errlen);

/* A partial: the whole state as one line of JSON ending in "\n",
 * malloc'd, which summary_parse_partial reads back. */
char *summary_partial(summary *s);
/* Read one partial line; NULL with a message in err when it is not one
 * (or not of a format this version reads). */
summary *summary_parse_partial(const char *text, size_t len, char *err,
			       size_t errlen);

/* Rendering. fields chooses what is shown, as for summary_new (NULL:
 * for SUMMARY_TABLE the main fields by the rules of the README, for
 * JSON and TSV every summarized field); width is the table's width in
 * columns (0: 100). Returns the text, malloc'd, or NULL with a message
 * in err when a name in fields is not summarized. */
typedef enum summary_format {
	SUMMARY_TABLE,		/* for people: tables and sparklines */
	SUMMARY_JSON,		/* one JSON object and a line break */
	SUMMARY_TSV,		/* group, field, stat, value */
} summary_format;

char *summary_render(summary *s, summary_format format,
		     const char *fields, int width, char *err,
		     size_t errlen);

/* The counts of the total, for tests and --stats. */
typedef struct summary_counts {
	uint64_t records, traces, no_trace, malformed, by_errors;
} summary_counts;
void summary_totals(const summary *s, summary_counts *out);
size_t summary_groups(const summary *s);

/* Whether two summaries hold the same state (tests). */
bool summary_equal(summary *a, summary *b);

/* The shortest text that reads back as the same double ("%.17g" at
 * most): for JSON and TSV output. out holds 32 bytes. */
void summary_number(double v, char out[32]);

#endif
