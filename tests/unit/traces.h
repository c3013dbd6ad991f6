/* traces.h - walk the traces of the corpus, or of the fixtures, through
 * the public API. */
#ifndef COTLOG_TESTS_TRACES_H
#define COTLOG_TESTS_TRACES_H

#include <stddef.h>

#include <cotlog.h>

/* One trace of the corpus (or the fixtures) as the library reads it. */
typedef struct trace_ref {
	const char *path;	/* the corpus (or fixture) file */
	unsigned long long line;	/* the record's first line */
	size_t record, index;	/* record within the unit, trace index */
	cot_result *res;	/* read fields with field() */
	const cot_analyzer *az;
	const char *reasoning, *answer;
	size_t rlen, alen;
} trace_ref;

/* Call fn(t, ctx) for every trace of every corpus file (*.jsonl, *.json)
 * read with analyzer az (NULL: defaults). Skips the running test when
 * there is no corpus; returns the number of traces. */
size_t for_each_trace(const cot_analyzer *az,
		      void (*fn)(const trace_ref *t, void *ctx), void *ctx);

/* The same over the files below dir (data_dir(): the fixtures); never
 * skips. */
size_t for_each_trace_in(const char *dir, const cot_analyzer *az,
			 void (*fn)(const trace_ref *t, void *ctx),
			 void *ctx);

/* The value of field name of trace t (fails the test for an unknown
 * name). */
cot_value field(const trace_ref *t, const char *name);

/* The base name of t's file. */
const char *trace_file(const trace_ref *t);

#endif
