/* fuzz_pattern.c - libFuzzer target: user patterns and pattern files.
 *
 * Input: patterns, a NUL byte, then a reasoning text. Each line of the
 * patterns that has a '=' before its first blank is a --pattern
 * NAME=REGEX; the other lines are a pattern file. A refusal must be
 * COT_EPATTERN with the file and line (or the option) and a column
 * inside it. Accepted patterns are matched in the text (invalid UTF-8
 * replaced) through the analyzer, and the pre-filtered scan must find
 * exactly the matches of the plain scan of every pattern over every
 * position (full_scan), for the user patterns alone and for the
 * built-in lexicons; the hits the result gives are those matches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passes/analyzer.h"
#include "match/patterns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static char file[64];
static cot_analyzer *builtin;

static void setup(void)
{
	cot_error err;
	int fd;

	if (builtin)
		return;
	snprintf(file, sizeof file, "/tmp/fuzz_pattern.XXXXXX");
	fd = mkstemp(file);
	CHECK(fd >= 0);
	close(fd);
	CHECK(cot_analyzer_new(&builtin, NULL, &err) == COT_OK);
}

/* Hits sorted by offset then pattern, inside the text, non-empty, and
 * per pattern not overlapping. */
static void well_formed(const cot__hitlist *h, size_t len, size_t npat)
{
	size_t *end = calloc(npat + 1, sizeof *end);

	CHECK(end);
	for (size_t i = 0; i < h->n; i++) {
		const cot_hit *x = &h->v[i];

		CHECK(x->pattern < npat && x->len > 0);
		CHECK(x->off <= len && x->len <= len - x->off);
		CHECK(x->off >= end[x->pattern]);
		end[x->pattern] = x->off + x->len;
		if (i)
			CHECK(h->v[i - 1].off < x->off ||
			      (h->v[i - 1].off == x->off &&
			       h->v[i - 1].pattern < x->pattern));
	}
	free(end);
}

/* The pre-filter against the plain scan, on ps; the fast hits in *out
 * (in a). Returns the scan's code. */
static int fast_is_full(const cot__pset *ps, const char *text, size_t len,
			cot__arena *a, cot__hitlist *out)
{
	cot__pscratch s;
	cot__hitlist full;
	cot_error err;
	int rc, rc_full;

	CHECK(cot__pscratch_init(ps, &s) == COT_OK);
	rc = cot__pset_scan(ps, &s, text, len, a, false, out, &err);
	CHECK(rc == COT_OK || rc == COT_ELIMIT);
	if (rc == COT_OK) {
		well_formed(out, len, ps->n);
		rc_full = cot__pset_scan(ps, &s, text, len, a, true, &full,
					 &err);
		CHECK(rc_full == COT_OK || rc_full == COT_ELIMIT);
		if (rc_full == COT_OK) {
			CHECK(full.n == out->n);
			for (size_t i = 0; i < full.n; i++)
				CHECK(full.v[i].pattern == out->v[i].pattern &&
				      full.v[i].off == out->v[i].off &&
				      full.v[i].len == out->v[i].len);
		}
	}
	cot__pscratch_fini(&s);
	return rc;
}

/* The hits the result gives for trace 0 are the scan's. */
static void result_has(cot_result *res, const cot__hitlist *h)
{
	cot_error err;

	CHECK(cot_result_hit_count(res, 0) == h->n);
	for (size_t i = 0; i < h->n; i++) {
		cot_hit x;

		CHECK(cot_result_hit(&x, res, 0, i, &err) == COT_OK);
		CHECK(x.pattern == h->v[i].pattern && x.off == h->v[i].off &&
		      x.len == h->v[i].len);
	}
}

static void analyze(cot_analyzer *az, const char *text, size_t len,
		    cot__arena *a)
{
	cot_text_options to = COT_TEXT_OPTIONS_INIT;
	cot_result *res;
	cot__hitlist h;
	cot_error err;
	const char *r;
	size_t rlen;
	int rc;

	to.flags = COT_TEXT_REPLACE_INVALID;
	CHECK(cot_result_new(&res, az, &err) == COT_OK);
	rc = cot_analyze_text(res, text, len, &to, &err);
	CHECK(rc == COT_OK || rc == COT_ELIMIT);
	if (rc == COT_ELIMIT)
		CHECK(strstr(err.message, "pattern") != NULL);
	if (rc == COT_OK) {
		CHECK(cot_result_traces(res) == 1);
		r = cot_result_reasoning(res, 0, &rlen);
		if (fast_is_full(az->pset, r ? r : "", rlen, a, &h) ==
		    COT_OK)
			result_has(res, &h);
	}
	cot_result_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	const char *text = nul ? (const char *)nul + 1 : "";
	size_t tlen = nul ? size - plen - 1 : 0;
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;
	const char **opts = calloc(plen + 1, sizeof *opts);
	char *copy = malloc(plen + 1);
	size_t nopt = 0;
	FILE *f;
	cot_analyzer *az = NULL;
	cot__arena a;
	cot_error err;
	int rc;

	setup();
	CHECK(opts && copy);
	memcpy(copy, data, plen);
	copy[plen] = '\0';
	f = fopen(file, "wb");
	CHECK(f);
	for (char *line = copy, *next; line; line = next) {
		size_t n = strcspn(line, "\n");
		size_t eq = strcspn(line, "= \t\n");

		next = line[n] ? line + n + 1 : NULL;
		line[n] = '\0';
		if (line[eq] == '=')
			opts[nopt++] = line;
		else
			fprintf(f, "%s\n", line);
	}
	CHECK(fclose(f) == 0);
	o.patterns_file = file;
	o.patterns = opts;
	o.no_builtin_patterns = 1;
	/* a small budget, so that catastrophic patterns end quickly */
	o.match_limit = 1 + (plen ? data[0] % 16 : 0);
	cot__arena_init(&a);
	rc = cot_analyzer_new(&az, &o, &err);
	CHECK(rc == COT_OK || rc == COT_EPATTERN);
	if (rc == COT_EPATTERN) {
		CHECK(strstr(err.message, file) != NULL ||
		      strstr(err.message, "--pattern") != NULL);
		CHECK(err.column >= 1);
	} else {
		analyze(az, text, tlen, &a);
		cot_analyzer_free(az);
	}
	analyze(builtin, text, tlen, &a);
	cot__arena_dispose(&a);
	free(opts);
	free(copy);
	return 0;
}
