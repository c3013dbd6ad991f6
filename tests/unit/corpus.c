/* corpus.c - walk the corpus of real traces (../shared, not in the
 * repository) and our fixtures of the same shapes (tests/data). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus.h"
#include "util.h"

const char *corpus_dir(void)
{
	const char *d = getenv("COTLOG_CORPUS");
	struct stat st;

	if (!d || !*d || stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return d;
}

const char *data_dir(void)
{
	const char *d = getenv("COTLOG_DATA");
	struct stat st;

	if (!d || !*d || stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		fail_msg("COTLOG_DATA=%s: no such folder (tests/data)",
			 d ? d : "");
	return d;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

static void walk_dir(const char *dir, const char *suffix,
		     void (*fn)(const char *path, void *ctx), void *ctx)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	struct stat st;
	char path[4096];

	assert_non_null(dh);
	while ((e = readdir(dh)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk_dir(path, suffix, fn, ctx);
		else if (has_suffix(e->d_name, suffix))
			fn(path, ctx);
	}
	closedir(dh);
}

void dir_for_each_file(const char *dir, const char *suffix,
		       void (*fn)(const char *path, void *ctx), void *ctx)
{
	assert_non_null(dir);
	walk_dir(dir, suffix, fn, ctx);
}

void corpus_for_each_file(const char *suffix,
			  void (*fn)(const char *path, void *ctx), void *ctx)
{
	dir_for_each_file(corpus_dir(), suffix, fn, ctx);
}

void for_each_line(const char *data, size_t len,
		   void (*fn)(const char *line, size_t len, void *ctx),
		   void *ctx)
{
	size_t start = 0;

	while (start < len) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - data) : len;

		fn(data + start, end - start, ctx);
		start = end + 1;
	}
}

void json_for_each_string(json_t *v,
			  void (*fn)(const char *s, size_t len, void *ctx),
			  void *ctx)
{
	size_t i;
	const char *key;
	json_t *x;

	if (json_is_string(v)) {
		fn(json_string_value(v), json_string_length(v), ctx);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			json_for_each_string(x, fn, ctx);
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, x)
			json_for_each_string(x, fn, ctx);
	}
}

struct string_check {
	bool (*check)(const char *s, size_t len);
	size_t checked;
};

static void check_string(const char *s, size_t len, void *ctx)
{
	struct string_check *sc = ctx;

	if (sc->check(s, len))
		sc->checked++;
}

/* Blank and malformed lines are the reader's business, not the string
 * checks': pass them over. */
static void check_line(const char *line, size_t len, void *ctx)
{
	json_t *v = json_loadb(line, len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
			       NULL);

	if (v) {
		json_for_each_string(v, check_string, ctx);
		json_decref(v);
	}
}

static void check_file(const char *path, void *ctx)
{
	size_t len;
	char *data = read_whole_file(path, &len);

	for_each_line(data, len, check_line, ctx);
	free(data);
}

void dir_check_strings(const char *dir,
		       bool (*check)(const char *s, size_t len))
{
	struct string_check sc = { check, 0 };

	dir_for_each_file(dir, ".jsonl", check_file, &sc);
	print_message("%zu strings of %s checked\n", sc.checked, dir);
	assert_true(sc.checked > 0);
}

void corpus_check_strings(bool (*check)(const char *s, size_t len))
{
	if (!corpus_dir())
		skip_without_corpus();
	dir_check_strings(corpus_dir(), check);
}
