/* corpus.h - walk the corpus of real traces (../shared, not in the
 * repository) and our fixtures of the same shapes (tests/data). */
#ifndef COTLOG_TESTS_CORPUS_H
#define COTLOG_TESTS_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* Skip the running test for want of the corpus. The line it prints
 * first says why, and tests/unit/tap_skip.py carries that reason onto
 * cmocka's skip line, so that a run with the corpus can check that no
 * test skipped for want of it. */
#define skip_without_corpus() \
	do { \
		puts("# no corpus"); \
		skip(); \
	} while (0)

/* The corpus directory named by COTLOG_CORPUS (tests/meson.build sets
 * it), or NULL when unset or not a directory: callers then skip(). */
const char *corpus_dir(void);

/* The fixtures: tests/data, named by COTLOG_DATA (tests/meson.build
 * sets it). They are part of the repository, so the running test fails
 * when the folder is missing. */
const char *data_dir(void);

/* Call fn(path, ctx) for every file below dir whose name ends in suffix,
 * descending into subdirectories and passing over names that start with
 * '.'. Fails the running test when a directory cannot be read. */
void dir_for_each_file(const char *dir, const char *suffix,
		       void (*fn)(const char *path, void *ctx), void *ctx);

/* dir_for_each_file on corpus_dir(); fails the running test when there
 * is no corpus. */
void corpus_for_each_file(const char *suffix,
			  void (*fn)(const char *path, void *ctx), void *ctx);

/* Call fn(line, len, ctx) for each line of data[0..len): the bytes
 * between '\n's, without the '\n' but with any '\r'. Empty lines are
 * passed too; a final '\n' does not start another line. */
void for_each_line(const char *data, size_t len,
		   void (*fn)(const char *line, size_t len, void *ctx),
		   void *ctx);

/* Call fn(s, len, ctx) for every string value in v, depth first,
 * through arrays and object values (not object keys). */
void json_for_each_string(json_t *v,
			  void (*fn)(const char *s, size_t len, void *ctx),
			  void *ctx);

/* The corpus test over strings: skips the running test when there is
 * no corpus; otherwise calls check(s, len) on every string value of
 * every line of every *.jsonl file that jansson loads (JSON_DECODE_ANY |
 * JSON_ALLOW_NUL; lines it rejects are passed over), prints how many
 * strings check took (returned true for), and fails when none. */
void corpus_check_strings(bool (*check)(const char *s, size_t len));

/* The same test over the *.jsonl files below dir (data_dir(): the
 * fixtures), which must exist. */
void dir_check_strings(const char *dir,
		       bool (*check)(const char *s, size_t len));

#endif
