/* walk.h - every trace of the corpus, or of the fixtures, through the
 * public API. */
#ifndef COTLOG_TESTS_WALK_H
#define COTLOG_TESTS_WALK_H

#include <stddef.h>

#include "cotlog.h"

/* Read every *.jsonl and *.json file of the corpus with
 * cot_reader_open_path / cot_reader_next, analyze every record with
 * cot_analyze_unit into res, and call fn(res, t, ctx) for each of its
 * traces. Skips the running test when there is no corpus; fails it
 * when a file cannot be read. Returns the number of traces. */
size_t walk_corpus(cot_result *res,
		   void (*fn)(cot_result *res, size_t t, void *ctx),
		   void *ctx);

/* The same over the files below dir (data_dir(): the fixtures); never
 * skips. */
size_t walk_traces_in(const char *dir, cot_result *res,
		      void (*fn)(cot_result *res, size_t t, void *ctx),
		      void *ctx);

/* White_Space as SPEC 3 lists it, decoded here independently: the
 * byte length of the White_Space character at p[0..n), or 0. */
size_t ref_space_len(const char *p, size_t n);

#endif
