/* test_summary.c - stats summaries of tools/summary.c: exact, mergeable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>
#include <jansson.h>

#include "cotlog.h"
#include "corpus.h"
#include "util.h"
#include "stats/summary.h"

static uint64_t rnd(uint64_t *s)	/* splitmix64 */
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* The API with the shapes these tests use: a NULL or -1 with the
 * message in msg (256 bytes), or a failed test. */
static cot_summary *make(const cot_analyzer *az, const char *fields,
			 const char *by, const char *analysis, char *msg)
{
	cot_summary_options o = { fields, by, analysis, 0 };
	cot_summary *s;
	cot_error e;

	if (cot_summary_new(&s, az, &o, &e)) {
		snprintf(msg, 256, "%.255s", e.message);
		return NULL;
	}
	return s;
}

static cot_summary *like(const cot_summary *o)
{
	cot_summary *s;
	cot_error e;

	assert_int_equal(cot_summary_new_like(&s, o, &e), COT_OK);
	return s;
}

static int merge(cot_summary *a, const cot_summary *b, char *msg)
{
	cot_error e;

	if (cot_summary_merge(a, b, &e)) {
		snprintf(msg, 256, "%.255s", e.message);
		return -1;
	}
	return 0;
}

static char *partial(cot_summary *s)
{
	cot_buf b = { 0 };
	cot_error e;

	assert_int_equal(cot_summary_write_partial(&b, s, &e), COT_OK);
	return b.ptr;
}

static cot_summary *parse(const char *text, size_t len, char *msg)
{
	cot_summary *s;
	cot_error e;

	if (cot_summary_read_partial(&s, text, len, 0, &e)) {
		snprintf(msg, 256, "%.255s", e.message);
		return NULL;
	}
	return s;
}

static bool equal(cot_summary *a, cot_summary *b)
{
	bool eq;

	assert_int_equal(cot__summary_equal(&eq, a, b), COT_OK);
	return eq;
}

static char *render(cot_summary *s, cot_summary_format f, const char *fields)
{
	cot_buf b = { 0 };
	cot_error e;

	if (cot_summary_render(&b, s, f, fields, 100, &e))
		fail_msg("render: %s", e.message);
	return b.ptr;
}

static json_t *render_json(cot_summary *s)
{
	char *t = render(s, COT_SUMMARY_JSON, NULL);
	json_error_t je;
	json_t *j = json_loads(t, 0, &je);

	if (!j)
		fail_msg("the JSON output does not parse: %s", je.text);
	free(t);
	return j;
}

/* Through a partial and back: the same state. */
static cot_summary *round_trip(cot_summary *s)
{
	char err[256];
	char *line = partial(s);
	size_t n = strlen(line);
	cot_summary *b;

	assert_true(n > 0 && line[n - 1] == '\n');
	assert_null(memchr(line, '\n', n - 1));
	b = parse(line, n - 1, err);
	if (!b)
		fail_msg("partial does not read back: %s", err);
	free(line);
	return b;
}

/* ---- the naive reference ------------------------------------------- */

/* Every value of every field, kept whole: the truth to compare with. */
typedef struct naive_field {
	const char *name;
	cot_type type;
	double *v;		/* numbers */
	size_t n, cap;
	long double sum;
	int64_t isum, imin, imax;
	uint64_t t, f;		/* flags */
	char **sv;		/* strings (joined with their counts) */
	uint64_t *sc;
	size_t ns;
	bool over;
} naive_field;

typedef struct corpus_run {
	cot_analyzer *az;
	cot_result *res;
	cot_expr *by;		/* NULL: no groups, or --by file */
	cot_summary *whole;
	cot_summary *parts[5];
	naive_field *nf;
	size_t nfields;
	uint64_t records, traces, no_trace, tool_only;
	uint64_t seed;
	const char *by_text;
	/* groups of --by format: traces per format */
	char *gkeys[32];
	uint64_t gtraces[32], grecords[32];
	size_t ngroups;
	uint64_t null_records;	/* no trace: format is null */
} corpus_run;

static void naive_add(corpus_run *cr, size_t t)
{
	for (size_t i = 0; i < cr->nfields; i++) {
		naive_field *f = &cr->nf[i];
		long idx = field_id(cr->az, f->name);
		cot_value v;

		assert_int_equal(cot_result_get(&v, cr->res, t, idx, NULL),
				 COT_OK);
		if (v.type == COT_TYPE_NULL)
			continue;
		assert_int_equal(v.type, f->type);
		switch (f->type) {
		case COT_TYPE_INT:
		case COT_TYPE_REAL: {
			double x = f->type == COT_TYPE_INT ? (double)v.i : v.r;

			if (f->n == f->cap) {
				f->cap = f->cap ? f->cap * 2 : 256;
				f->v = realloc(f->v, f->cap * sizeof *f->v);
				assert_non_null(f->v);
			}
			if (f->type == COT_TYPE_INT) {
				if (f->n == 0 || v.i < f->imin)
					f->imin = v.i;
				if (f->n == 0 || v.i > f->imax)
					f->imax = v.i;
				f->isum += v.i;
			}
			f->v[f->n++] = x;
			f->sum += x;
			break;
		}
		case COT_TYPE_BOOL:
			if (v.b)
				f->t++;
			else
				f->f++;
			break;
		case COT_TYPE_STRING: {
			size_t k;

			for (k = 0; k < f->ns; k++)
				if (strlen(f->sv[k]) == v.len &&
				    !memcmp(f->sv[k], v.s, v.len))
					break;
			if (k == f->ns) {
				f->sv = realloc(f->sv,
						(k + 1) * sizeof *f->sv);
				f->sc = realloc(f->sc,
						(k + 1) * sizeof *f->sc);
				assert_true(f->sv && f->sc);
				f->sv[k] = strndup(v.s, v.len);
				f->sc[k] = 0;
				f->ns++;
				/* NUL bytes would cut the reference short */
				assert_int_equal(strlen(f->sv[k]), v.len);
			}
			f->sc[k]++;
			if (v.len > COT_SUMMARY_MAX_VALUE_LEN)
				f->over = true;
			break;
		}
		default:
			break;
		}
	}
}

static void group_count(corpus_run *cr, size_t t, bool *seen)
{
	cot_value v;
	cot_error err;
	size_t k;

	assert_int_equal(cot_expr_eval(&v, cr->by, cr->res, t, &err),
			 COT_OK);
	assert_int_equal(v.type, COT_TYPE_STRING);
	for (k = 0; k < cr->ngroups; k++)
		if (strlen(cr->gkeys[k]) == v.len &&
		    !memcmp(cr->gkeys[k], v.s, v.len))
			break;
	if (k == cr->ngroups) {
		assert_true(k < 32);
		cr->gkeys[k] = strndup(v.s, v.len);
		cr->ngroups++;
	}
	cr->gtraces[k]++;
	if (!seen[k])
		cr->grecords[k]++;
	seen[k] = true;
}

static void add_file(const char *path, void *ctx)
{
	corpus_run *cr = ctx;
	cot_reader *rd;
	const cot_unit *u;
	cot_error err;
	int rc;

	assert_int_equal(cot_reader_open_path(&rd, path, &err), COT_OK);
	while ((rc = cot_reader_next(&u, rd, &err)) != COT_DONE) {
		assert_int_equal(rc, COT_OK);
		for (size_t i = 0; i < cot_unit_records(u); i++) {
			size_t k = rnd(&cr->seed) % 5, n;
			bool seen[32] = { false };

			assert_int_equal(cot_analyze_unit(cr->res, u, i, &err),
					 COT_OK);
			assert_int_equal(cot_summary_add(cr->whole,
							    cr->res,
							    path, &err),
					 COT_OK);
			assert_int_equal(cot_summary_add(cr->parts[k],
							    cr->res,
							    path, &err),
					 COT_OK);
			n = cot_result_traces(cr->res);
			if (n == 0 && cr->by)	/* alone: key null */
				cr->null_records++;
			cr->records++;
			cr->traces += n;
			/* a record of tool calls only is no no_trace */
			if (n == 0 && cot_result_tool_only(cr->res))
				cr->tool_only++;
			else
				cr->no_trace += n == 0;
			for (size_t t = 0; t < n; t++) {
				naive_add(cr, t);
				if (cr->by)
					group_count(cr, t, seen);
			}
		}
	}
	cot_reader_free(rd);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The rendered JSON of the total against the naive reference. */
static void check_against_naive(corpus_run *cr, json_t *out)
{
	json_t *fields = json_object_get(out, "fields");
	double worst = 0;

	assert_int_equal(json_integer_value(json_object_get(out, "records")),
			 cr->records);
	assert_int_equal(json_integer_value(json_object_get(out, "traces")),
			 cr->traces);
	assert_int_equal(json_integer_value(json_object_get(out,
							    "no_trace")),
			 cr->no_trace);
	assert_int_equal(json_integer_value(json_object_get(out,
							    "tool_only")),
			 cr->tool_only);
	for (size_t i = 0; i < cr->nfields; i++) {
		naive_field *f = &cr->nf[i];
		json_t *j = json_object_get(fields, f->name);

		assert_non_null(j);
		if (f->type == COT_TYPE_INT || f->type == COT_TYPE_REAL) {
			static const double qs[] = { 0.5, 0.9, 0.99 };
			static const char *const qn[] = {
				"p50", "p90", "p99"
			};
			long double mean, ss = 0;

			assert_int_equal(json_integer_value(
				json_object_get(j, "count")), f->n);
			if (f->n == 0)
				continue;
			qsort(f->v, f->n, sizeof *f->v, cmp_double);
			mean = f->sum / f->n;
			for (size_t k = 0; k < f->n; k++)
				ss += (f->v[k] - mean) * (f->v[k] - mean);
			if (f->type == COT_TYPE_INT) {
				assert_int_equal(json_integer_value(
					json_object_get(j, "sum")), f->isum);
				assert_int_equal(json_integer_value(
					json_object_get(j, "min")), f->imin);
				assert_int_equal(json_integer_value(
					json_object_get(j, "max")), f->imax);
			} else {
				assert_true(json_number_value(json_object_get(
					j, "min")) == f->v[0]);
				assert_true(json_number_value(json_object_get(
					j, "max")) == f->v[f->n - 1]);
			}
			assert_true(fabsl(json_number_value(json_object_get(
				j, "mean")) - mean) <= fabsl(mean) * 1e-12L);
			if (f->n > 1) {
				long double sd = sqrtl(ss / (f->n - 1));

				assert_true(fabsl(json_number_value(
					json_object_get(j, "std")) - sd) <=
					sd * 1e-9L + 1e-9L);
			}
			for (int q = 0; q < 3; q++) {
				double exact = f->v[(size_t)(qs[q] *
						(double)(f->n - 1))];
				double est = json_number_value(
					json_object_get(j, qn[q]));
				double err = exact == 0 ? fabs(est) :
					     fabs(est - exact) / fabs(exact);

				if (err > worst)
					worst = err;
				if (err > COT__SKETCH_ALPHA * (1 + 1e-12))
					fail_msg("%s %s: exact %g, stats %g",
						 f->name, qn[q], exact, est);
			}
		} else if (f->type == COT_TYPE_BOOL) {
			assert_int_equal(json_integer_value(
				json_object_get(j, "true")), f->t);
			assert_int_equal(json_integer_value(
				json_object_get(j, "false")), f->f);
		} else {
			json_t *vals = json_object_get(j, "values");
			uint64_t total = 0;

			for (size_t k = 0; k < f->ns; k++)
				total += f->sc[k];
			assert_int_equal(json_integer_value(
				json_object_get(j, "count")), total);
			if (f->ns > COT_SUMMARY_MAX_VALUES || f->over) {
				assert_true(json_is_null(vals));
				continue;
			}
			assert_int_equal(json_object_size(vals), f->ns);
			for (size_t k = 0; k < f->ns; k++)
				assert_int_equal(json_integer_value(
					json_object_get(vals, f->sv[k])),
					f->sc[k]);
		}
	}
	printf("# corpus: %llu records, %llu traces; worst quantile "
	       "relative error %.7f (bound %.7f)\n",
	       (unsigned long long)cr->records,
	       (unsigned long long)cr->traces, worst, COT__SKETCH_ALPHA);
}

static void setup_run(corpus_run *cr, const char *by)
{
	cot_error err;
	char msg[256];

	memset(cr, 0, sizeof *cr);
	cr->seed = 42;
	cr->by_text = by;
	assert_int_equal(cot_analyzer_new(&cr->az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&cr->res, cr->az, &err), COT_OK);
	if (by && strcmp(by, "file"))
		assert_int_equal(cot_expr_compile(&cr->by, cr->az, by, &err),
				 COT_OK);
	cr->whole = make(cr->az, NULL, by, "", msg);
	assert_non_null(cr->whole);
	for (int k = 0; k < 5; k++)
		cr->parts[k] = like(cr->whole);
	for (size_t i = 0; i < cot_field_count(cr->az); i++) {
		const cot_field_info *fi = cot_field_at(cr->az, i);

		if (fi->type == COT_TYPE_JSON)
			continue;
		cr->nf = realloc(cr->nf, (cr->nfields + 1) * sizeof *cr->nf);
		assert_non_null(cr->nf);
		memset(&cr->nf[cr->nfields], 0, sizeof *cr->nf);
		cr->nf[cr->nfields].name = fi->name;
		cr->nf[cr->nfields].type = fi->type;
		cr->nfields++;
	}
}

static void teardown_run(corpus_run *cr)
{
	for (size_t i = 0; i < cr->nfields; i++) {
		for (size_t k = 0; k < cr->nf[i].ns; k++)
			free(cr->nf[i].sv[k]);
		free(cr->nf[i].sv);
		free(cr->nf[i].sc);
		free(cr->nf[i].v);
	}
	free(cr->nf);
	for (size_t k = 0; k < cr->ngroups; k++)
		free(cr->gkeys[k]);
	for (int k = 0; k < 5; k++)
		cot_summary_free(cr->parts[k]);
	cot_summary_free(cr->whole);
	cot_expr_free(cr->by);
	cot_result_free(cr->res);
	cot_analyzer_free(cr->az);
}

/* Merging the parts, in another order, through their partials, gives
 * the whole: the same state and the same bytes in every format. */
static void check_merge(corpus_run *cr)
{
	char err[256];
	cot_summary *m = like(cr->whole);
	static const cot_summary_format fmts[] = {
		COT_SUMMARY_JSON, COT_SUMMARY_TSV, COT_SUMMARY_TABLE
	};

	for (int k = 4; k >= 0; k--) {
		cot_summary *p = round_trip(cr->parts[k]);

		assert_true(equal(p, cr->parts[k]));
		assert_int_equal(merge(m, p, err), 0);
		cot_summary_free(p);
	}
	assert_true(equal(m, cr->whole));
	for (size_t f = 0; f < 3; f++) {
		char *a = render(cr->whole, fmts[f], NULL);
		char *b = render(m, fmts[f], NULL);

		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	cot_summary_free(m);
}

/* The summary of every trace below dir (at least min_traces) against
 * the naive reference, then merged from its parts. */
static void summary_matches_naive(const char *dir, size_t min_traces)
{
	corpus_run cr;
	json_t *out;

	setup_run(&cr, NULL);
	dir_for_each_file(dir, ".jsonl", add_file, &cr);
	dir_for_each_file(dir, ".json", add_file, &cr);
	assert_true(cr.traces >= min_traces);
	out = render_json(cr.whole);
	check_against_naive(&cr, out);
	assert_null(json_object_get(out, "groups"));
	json_decref(out);
	check_merge(&cr);
	teardown_run(&cr);
}

static void test_summary_of_corpus_matches_naive_reference(void **st)
{
	(void)st;
	if (!corpus_dir())
		skip_without_corpus();
	summary_matches_naive(corpus_dir(), 1001);
}

static void test_summary_of_fixtures_matches_naive_reference(void **st)
{
	(void)st;
	summary_matches_naive(data_dir(), 90);
}

/* Grouped by format: records with no trace in the null group. */
static void summary_by_format(const char *dir)
{
	corpus_run cr;
	json_t *out, *groups, *g;
	size_t i;

	setup_run(&cr, "format");
	dir_for_each_file(dir, ".jsonl", add_file, &cr);
	out = render_json(cr.whole);
	check_against_naive(&cr, out);	/* the total is unchanged */
	groups = json_object_get(out, "groups");
	assert_true(cr.ngroups >= 3);
	assert_true(cr.null_records > 0);
	/* records with no trace have a null format: the group null, first */
	assert_int_equal(json_array_size(groups), cr.ngroups + 1);
	g = json_array_get(groups, 0);
	assert_true(json_is_null(json_object_get(g, "key")));
	assert_int_equal(json_integer_value(json_object_get(g, "records")),
			 cr.null_records);
	assert_int_equal(json_integer_value(json_object_get(g, "no_trace")) +
			 json_integer_value(json_object_get(g, "tool_only")),
			 cr.null_records);
	assert_int_equal(json_integer_value(json_object_get(g, "tool_only")),
			 cr.tool_only);
	assert_int_equal(json_integer_value(json_object_get(g, "traces")), 0);
	json_array_foreach(groups, i, g) {
		const char *key = json_string_value(json_object_get(g, "key"));
		size_t k;

		if (i == 0)
			continue;
		assert_non_null(key);
		if (i > 1)	/* strings in byte order */
			assert_true(strcmp(json_string_value(json_object_get(
				json_array_get(groups, i - 1), "key")),
				key) < 0);
		for (k = 0; k < cr.ngroups; k++)
			if (!strcmp(cr.gkeys[k], key))
				break;
		assert_true(k < cr.ngroups);
		assert_int_equal(json_integer_value(json_object_get(g,
			"traces")), cr.gtraces[k]);
		assert_int_equal(json_integer_value(json_object_get(g,
			"records")), cr.grecords[k]);
		/* a group's field counts are its traces' */
		assert_int_equal(json_integer_value(json_object_get(
			json_object_get(json_object_get(g, "fields"),
					"format"), "count")), cr.gtraces[k]);
	}
	json_decref(out);
	check_merge(&cr);
	teardown_run(&cr);
}

static void test_summary_groups_by_expression_and_merges(void **st)
{
	(void)st;
	if (!corpus_dir())
		skip_without_corpus();
	summary_by_format(corpus_dir());
}

static void test_summary_groups_fixtures_by_expression_and_merges(
	void **st)
{
	(void)st;
	summary_by_format(data_dir());
}

static void test_summary_by_file_counts_malformed_per_file(void **st)
{
	char err[256];
	cot_summary *s;
	cot_analyzer *az;
	cot_result *res;
	cot_error e;
	json_t *out, *groups;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
	s = make(az, "think.*,closed", "file", "", err);
	assert_non_null(s);
	assert_true(cot__summary_by_file(s));
	assert_int_equal(
		cot_analyze_text(res, "<think>a b</think>c", 19, NULL, &e),
		COT_OK);
	assert_int_equal(cot_summary_add(s, res, "b.jsonl", &e), 0);
	assert_int_equal(cot_summary_add(s, res, "a.jsonl", &e), 0);
	assert_int_equal(cot_summary_add(s, res, "a.jsonl", &e), 0);
	assert_int_equal(cot_summary_add_malformed(s, "b.jsonl", 2, NULL), COT_OK);
	assert_int_equal(cot_summary_add_malformed(s, "c.jsonl", 1, NULL), COT_OK);
	out = render_json(s);
	groups = json_object_get(out, "groups");
	assert_int_equal(json_array_size(groups), 3);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(groups, 0), "key")), "a.jsonl");
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(groups, 0), "traces")), 2);
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(groups, 1), "malformed")), 2);
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(groups, 2), "malformed")), 1);
	assert_int_equal(json_integer_value(json_object_get(out, "malformed")),
			 3);
	/* --fields chose these, in registry order, and nothing else */
	assert_non_null(json_object_get(json_object_get(out, "fields"),
					"think.words"));
	assert_non_null(json_object_get(json_object_get(out, "fields"),
					"closed"));
	assert_null(json_object_get(json_object_get(out, "fields"),
				    "format"));
	json_decref(out);
	cot_summary_free(s);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* A string field keeps a table of at most 64 distinct values; past
 * that, only the count, however the input was split. */
/* Runs at rest (a pattern that did not match) are added when the
 * summary is read: a merge of summaries never read carries them, and a
 * merge into a summary read from a partial adds them. */
static void test_summary_merge_carries_runs_at_rest(void **st)
{
	static const char *const texts[] = {
		"Wait, that is wrong. Let me check again: 2 + 2 = 4.",
		"The answer is 4.",
		"Hmm. Alternatively, maybe 5? No, wait: it is 4.",
		"Simple.",
	};
	char err[256], rec[512];
	cot_analyzer *az;
	cot_result *res;
	cot_error e;
	cot_summary *whole, *a, *b;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
	whole = make(az, NULL, NULL, "", err);
	assert_non_null(whole);
	a = like(whole);
	b = like(whole);
	for (int i = 0; i < 40; i++) {
		int n = snprintf(rec, sizeof rec, "{\"thinking\":\"%s\","
				 "\"content\":\"4\"}", texts[i % 4]);

		assert_int_equal(cot_analyze_json(res, rec, (size_t)n, &e), 0);
		assert_int_equal(cot_summary_add(whole, res, "", &e),
				 0);
		assert_int_equal(cot_summary_add(i % 3 ? a : b, res,
						    "", &e), 0);
	}
	/* and into a summary read from a partial, which knows no runs:
	 * what b has not added yet is added by the merge */
	{
		char *text = partial(a);
		cot_summary *p = parse(text, strlen(text), err);
		char *want, *got;

		assert_non_null(p);
		assert_int_equal(merge(p, b, err), 0);
		assert_int_equal(merge(a, b, err), 0);
		assert_true(equal(a, whole));
		want = render(whole, COT_SUMMARY_JSON, NULL);
		got = render(p, COT_SUMMARY_JSON, NULL);
		assert_string_equal(got, want);
		free(want);
		free(got);
		free(text);
		cot_summary_free(p);
	}
	cot_summary_free(whole);
	cot_summary_free(a);
	cot_summary_free(b);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* A selection holding one field of each run (families.*.count) has no
 * run at rest whole: every value is added as read, and the counts and
 * sums are those of the values themselves. */
static void test_summary_of_part_of_each_run(void **st)
{
	static const char *const texts[] = {
		"Wait, that is wrong. Let me check again: 2 + 2 = 4.",
		"The answer is 4.",
	};
	char err[256], rec[512];
	cot_analyzer *az;
	cot_result *res;
	cot_error e;
	cot_summary *s;
	size_t idx[64], n;
	int64_t sums[64] = { 0 };
	char *text;
	json_t *out, *fields;
	json_error_t je;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
	s = make(az, "families.*.count", NULL, "", err);
	assert_non_null(s);
	n = cot_summary_fields(s, idx, 64);
	assert_true(n > 4 && n < 64);
	for (int i = 0; i < 10; i++) {
		int len = snprintf(rec, sizeof rec, "{\"thinking\":\"%s\","
				   "\"content\":\"4\"}", texts[i % 2]);

		assert_int_equal(cot_analyze_json(res, rec, (size_t)len, &e),
				 0);
		assert_int_equal(cot_summary_add(s, res, "", &e), 0);
		for (size_t k = 0; k < n; k++) {
			cot_value v;

			assert_int_equal(cot_result_get(&v, res, 0, idx[k],
							&e), COT_OK);
			sums[k] += v.i;
		}
	}
	text = render(s, COT_SUMMARY_JSON, NULL);
	assert_non_null(text);
	out = json_loads(text, 0, &je);
	assert_non_null(out);
	fields = json_object_get(out, "fields");
	for (size_t k = 0; k < n; k++) {
		json_t *f = json_object_get(
			fields, cot_field_at(az, idx[k])->name);

		assert_int_equal(json_integer_value(json_object_get(f,
								    "count")),
				 10);
		assert_int_equal(json_integer_value(json_object_get(f, "sum")),
				 sums[k]);
	}
	json_decref(out);
	free(text);
	cot_summary_free(s);
	cot_result_free(res);
	cot_analyzer_free(az);
}

static void test_summary_value_table_limit_is_split_free(void **st)
{
	char err[256], rec[128];
	cot_analyzer *az;
	cot_result *res;
	cot_error e;
	cot_summary *whole, *a, *b;
	json_t *out, *model;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
	whole = make(az, "model", NULL, "", err);
	a = like(whole);
	b = like(whole);
	/* a: models 0..39, b: models 30..69: 70 in all, 40 in each */
	for (int i = 0; i < 80; i++) {
		int m = i < 40 ? i : i - 10;
		int n = snprintf(rec, sizeof rec, "{\"model\":\"m%d\","
				 "\"thinking\":\"x\",\"content\":\"y\"}", m);

		assert_int_equal(cot_analyze_json(res, rec, (size_t)n, &e), 0);
		assert_int_equal(cot_result_traces(res), 1);
		assert_int_equal(cot_summary_add(whole, res, "", &e),
				 0);
		assert_int_equal(cot_summary_add(i < 40 ? a : b, res,
						    "", &e), 0);
	}
	out = render_json(a);
	model = json_object_get(json_object_get(out, "fields"), "model");
	assert_int_equal(json_object_size(json_object_get(model, "values")),
			 40);
	json_decref(out);
	assert_int_equal(merge(a, b, err), 0);
	assert_true(equal(a, whole));
	out = render_json(a);
	model = json_object_get(json_object_get(out, "fields"), "model");
	assert_true(json_is_null(json_object_get(model, "values")));
	assert_int_equal(json_integer_value(json_object_get(model, "count")),
			 80);
	json_decref(out);
	cot_summary_free(whole);
	cot_summary_free(a);
	cot_summary_free(b);
	cot_result_free(res);
	cot_analyzer_free(az);
}

static void test_summary_refuses_what_does_not_fit(void **st)
{
	static const char *const bad[] = {
		"", "{}", "[]", "{\"cotlog_stats_partial\":1}", "not json",
	};
	char err[256];
	cot_analyzer *az;
	cot_error e;
	cot_summary *s, *o, *p;
	char *line;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	s = make(az, NULL, NULL, "", err);
	assert_non_null(s);
	/* unknown fields and lists */
	assert_null(make(az, "think.nosuch", NULL, "", err));
	assert_non_null(strstr(err, "think.nosuch"));
	assert_null(make(az, "zz*", NULL, "", err));
	/* other fields, --by or analysis options do not merge */
	o = make(az, "think.words", NULL, "", err);
	assert_int_equal(merge(s, o, err), -1);
	assert_non_null(strstr(err, "other fields"));
	cot_summary_free(o);
	o = make(az, NULL, "file", "", err);
	assert_int_equal(merge(s, o, err), -1);
	assert_non_null(strstr(err, "grouped differently"));
	cot_summary_free(o);
	o = make(az, NULL, NULL, "--ngram 4", err);
	assert_int_equal(merge(s, o, err), -1);
	assert_non_null(strstr(err, "analysis options"));
	cot_summary_free(o);
	/* damaged partials */
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_null(parse(bad[i], strlen(bad[i]), err));
	line = partial(s);
	for (size_t cut = 1; cut < strlen(line) - 1; cut += 7)
		assert_null(parse(line, cut, err));
	p = parse(line, strlen(line) - 1, err);
	assert_non_null(p);
	assert_true(equal(p, s));
	cot_summary_free(p);
	{	/* another format version */
		char *v = strstr(line, "\"cotlog_stats_partial\":2");

		assert_non_null(v);
		v[strlen("\"cotlog_stats_partial\":")] = '7';
		assert_null(parse(line, strlen(line) - 1, err));
		assert_non_null(strstr(err, "another format"));
	}
	free(line);
	cot_summary_free(s);
	cot_analyzer_free(az);
}

/* Out of memory anywhere: every call says COT_ENOMEM or succeeds, a
 * summary that failed keeps saying so, and nothing leaks or crashes
 * (the ASan build checks that part). */
static void test_summary_reports_every_allocation_failure(void **st)
{
	static const char *const recs[] = {
		("{\"model\":\"a\",\"reasoning_content\":\"Let me see. Wait, "
		 "2+2=4.\\n\\nYes.\",\"content\":\"\\\\boxed{4}\"}"),
		"{\"model\":\"b\",\"text\":\"<think>hmm, so 3</think>3\"}",
		"{\"model\":\"a\",\"text\":\"no thinking\"}",
	};
	cot_summary_options o = { "think.*,closed,status,model", "model",
				  "", 0 };
	cot_analyzer *az;
	cot_result *res;
	cot_error e;
	long n;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
	for (n = 0;; n++) {
		cot_summary *s = NULL, *t = NULL, *back = NULL;
		cot_buf line = { 0 }, out = { 0 };
		bool oom = false;
		int rc;

		cot__alloc_fail_after(n);
		rc = cot_summary_new(&s, az, &o, &e);
		if (!rc)
			rc = cot_summary_new_like(&t, s, &e);
		for (size_t i = 0; !rc && i < 9; i++) {
			const char *r = recs[i % 3];

			if (cot_analyze_json(res, r, strlen(r), &e)) {
				assert_int_equal(e.code, COT_ENOMEM);
				oom = true;
				continue;
			}
			rc = cot_summary_add(i % 2 ? s : t, res, "f", &e);
		}
		if (!rc)
			rc = cot_summary_add_malformed(t, "g", 2, &e);
		if (!rc)
			rc = cot_summary_write_partial(&line, t, &e);
		if (!rc)
			rc = cot_summary_read_partial(&back, line.ptr,
						      line.size, 0, &e);
		if (!rc)
			rc = cot_summary_merge(s, back, &e);
		for (int f = COT_SUMMARY_TABLE; !rc && f <= COT_SUMMARY_TSV;
		     f++)
			rc = cot_summary_render(&out, s, (cot_summary_format)f,
						NULL, 80, &e);
		if (rc) {	/* and once failed, failed for good */
			assert_int_equal(rc, COT_ENOMEM);
			assert_int_equal(e.code, COT_ENOMEM);
			if (s && s->failed)
				assert_int_equal(cot_summary_add(s, res, "f",
								 &e),
						 COT_ENOMEM);
		}
		cot__alloc_fail_after(-1);
		cot_buf_dispose(&line);
		cot_buf_dispose(&out);
		cot_summary_free(back);
		cot_summary_free(t);
		cot_summary_free(s);
		if (rc == COT_OK && !oom)
			break;
		assert_true(n < 100000);
	}
	/* it took allocations, each of which was made to fail once */
	assert_true(n > 20);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* The statistics spell a number as the profiles do (the same text for
 * the same double), with no ".0" on a whole one and -0 as 0. */
static void test_summary_numbers_read_back_as_profiles_write_them(void **st)
{
	static const double v[] = {
		0.1, 1.0 / 3, 48, -2.5, 1e21, 5e-324, 1.7976931348623157e308,
		0.07142857142857142, 123456789012345678.0, -0.0, 0.1 + 0.2,
	};
	char t[40], p[40];

	(void)st;
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		cot__real_text(v[i], t, 0);
		cot__real_text(v[i], p, COT__REAL_JSON);
		assert_true(strtod(t, NULL) == v[i]);
		if (strcmp(t, p) != 0 && v[i] != 0)
			assert_true(strlen(p) == strlen(t) + 2 &&
				    strcmp(p + strlen(t), ".0") == 0 &&
				    strncmp(p, t, strlen(t)) == 0);
	}
	cot__real_text(0.1, t, 0);
	assert_string_equal(t, "0.1");
	cot__real_text(48, t, 0);
	assert_string_equal(t, "48");
	cot__real_text(-0.0, t, 0);
	assert_string_equal(t, "0");
	cot__real_text(1.0 / 3, t, 0);
	assert_string_equal(t, "0.33333333333333331");
}

/* The table fits the width asked for and names what it shows. */
static void summary_table_fits(const char *dir)
{
	corpus_run cr;
	char *t, *line;

	setup_run(&cr, "format");
	dir_for_each_file(dir, ".jsonl", add_file, &cr);
	t = render(cr.whole, COT_SUMMARY_TABLE, NULL);
	for (line = t; *line;) {
		char *nl = strchr(line, '\n');
		int cols = 0;

		assert_non_null(nl);
		for (char *c = line; c < nl; c++)
			cols += ((unsigned char)*c & 0xC0) != 0x80;
		assert_true(cols <= 100);
		assert_true(nl == line || nl[-1] != ' ');
		line = nl + 1;
	}
	assert_non_null(strstr(t, "think.words"));
	assert_non_null(strstr(t, "closed"));
	assert_non_null(strstr(t, "(all)"));
	assert_null(strstr(t, "\nindex"));	/* a position: not main */
	free(t);
	teardown_run(&cr);
}

static void test_summary_table_fits_and_shows_main_fields(void **st)
{
	(void)st;
	if (!corpus_dir())
		skip_without_corpus();
	summary_table_fits(corpus_dir());
}

static void test_summary_table_of_fixtures_fits(void **st)
{
	(void)st;
	summary_table_fits(data_dir());
}

/* ---- several keys -------------------------------------------------- */

static void add_json(cot_summary *s, cot_result *res, const char *rec,
		     const char *file)
{
	cot_error e;

	assert_int_equal(cot_analyze_json(res, rec, strlen(rec), &e), COT_OK);
	assert_int_equal(cot_summary_add(s, res, file, &e), COT_OK);
}

/* Records of models b and a, x 10, 2 and 1: groups by model and x, in
 * the order of the model, then of x as a number (1, 2, 10: not as
 * text); keys the JSON lists, names joined by " × ". */
static void test_summary_groups_by_several_keys(void **st)
{
	static const char *const recs[] = {
		"{\"model\":\"b\",\"x\":10,\"text\":\"<think>a b c</think>d\"}",
		"{\"model\":\"a\",\"x\":2,\"text\":\"<think>a</think>d\"}",
		"{\"model\":\"b\",\"x\":2,\"text\":\"<think>a b</think>d\"}",
		"{\"model\":\"a\",\"x\":10,\"text\":\"<think>a b</think>d\"}",
		"{\"model\":\"b\",\"x\":1,\"text\":\"<think>a b c d</think>\"}",
		"{\"model\":\"b\",\"x\":10,\"text\":\"<think>a</think>d\"}",
	};
	static const char *const keys[] = {
		"[\"a\",2]", "[\"a\",10]", "[\"b\",1]", "[\"b\",2]", "[\"b\",10]",
	};
	static const char *const names[] = {
		"a \xC3\x97 2", "a \xC3\x97 10", "b \xC3\x97 1", "b \xC3\x97 2",
		"b \xC3\x97 10",
	};
	char err[256];
	cot_summary *s, *half[2], *back;
	cot_analyzer *az;
	cot_result *res;
	cot_error e;
	group **g;
	char *line, *one, *two;
	json_t *out;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
	s = make(az, "think.words,closed", "rec.model" COT_SUMMARY_KEY_SEP
		 "rec.x", "", err);
	assert_non_null(s);
	half[0] = like(s);
	half[1] = like(s);
	for (size_t i = 0; i < 6; i++) {
		add_json(s, res, recs[i], "f");
		add_json(half[i % 2], res, recs[i], "f");
	}
	assert_int_equal(cot_summary_groups(s), 5);
	g = cot__sorted_groups(s);
	assert_non_null(g);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(g[i]->keylen, strlen(keys[i]));
		assert_memory_equal(g[i]->key, keys[i], g[i]->keylen);
		assert_string_equal(g[i]->disp, names[i]);
	}
	assert_int_equal(g[4]->traces, 2);
	assert_int_equal(g[4]->records, 2);
	free(g);
	out = render_json(s);
	assert_true(json_is_array(json_object_get(out, "by")));
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(out, "by"), 1)), "rec.x");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(
		json_array_get(json_object_get(out, "groups"), 0), "key"), 1)),
		2);
	json_decref(out);
	/* split and merged, through partials of format 3: the same state
	 * and the same bytes */
	assert_int_equal(merge(half[0], half[1], err), 0);
	assert_true(equal(s, half[0]));
	line = partial(s);
	assert_non_null(strstr(line, "{\"cotlog_stats_partial\":3,"));
	assert_non_null(strstr(line, "\"by\":\"rec.model\\u001Frec.x\""));
	free(line);
	back = round_trip(half[0]);
	assert_true(equal(s, back));
	one = render(s, COT_SUMMARY_TABLE, NULL);
	two = render(back, COT_SUMMARY_TABLE, NULL);
	assert_string_equal(one, two);
	assert_non_null(strstr(one, "by rec.model \xC3\x97 rec.x: 5 groups"));
	free(one);
	free(two);
	cot_summary_free(back);
	cot_summary_free(half[0]);
	cot_summary_free(half[1]);
	cot_summary_free(s);

	/* one key: a partial of format 2, as before */
	s = make(az, "closed", "rec.model", "", err);
	assert_non_null(s);
	add_json(s, res, recs[0], "f");
	line = partial(s);
	assert_non_null(strstr(line, "{\"cotlog_stats_partial\":2,"));
	free(line);
	cot_summary_free(s);

	/* file among the keys; malformed lines have no group then */
	s = make(az, "closed", "file" COT_SUMMARY_KEY_SEP "rec.model", "",
		 err);
	assert_non_null(s);
	add_json(s, res, recs[0], "x.jsonl");
	add_json(s, res, recs[1], "y.jsonl");
	assert_int_equal(cot_summary_add_malformed(s, "x.jsonl", 2, &e),
			 COT_OK);
	g = cot__sorted_groups(s);
	assert_non_null(g);
	assert_int_equal(cot_summary_groups(s), 2);
	assert_string_equal(g[0]->disp, "x.jsonl \xC3\x97 b");
	assert_string_equal(g[1]->disp, "y.jsonl \xC3\x97 a");
	assert_int_equal(g[0]->malformed + g[1]->malformed, 0);
	free(g);
	back = round_trip(s);
	assert_true(equal(s, back));
	cot_summary_free(back);
	cot_summary_free(s);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* The separator: an empty key among several is refused with the column
 * of where it would be; an error in the second key has the column in
 * the whole of by; partials with keys that do not fit are damaged. */
static void test_summary_key_separator_rules(void **st)
{
	cot_summary_options o = { "closed", NULL, "", 0 };
	cot_analyzer *az;
	cot_summary *s;
	cot_expr *x;
	cot_error e, alone;
	char err[256], *line, *bad, *at;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	o.by = "rec.model" COT_SUMMARY_KEY_SEP;
	assert_int_equal(cot_summary_new(&s, az, &o, &e), COT_EEXPR);
	assert_int_equal(e.column, 11);
	assert_non_null(strstr(e.message, "key 2 of 2 is empty"));
	o.by = COT_SUMMARY_KEY_SEP "rec.model";
	assert_int_equal(cot_summary_new(&s, az, &o, &e), COT_EEXPR);
	assert_int_equal(e.column, 1);
	/* the column of the key alone, moved by the 10 bytes before it */
	assert_int_equal(cot_expr_compile(&x, az, "think.words +", &alone),
			 COT_EEXPR);
	o.by = "rec.model" COT_SUMMARY_KEY_SEP "think.words +";
	assert_int_equal(cot_summary_new(&s, az, &o, &e), COT_EEXPR);
	assert_int_equal(e.column, alone.column + 10);
	assert_string_equal(e.message, alone.message);
	/* one key: compiled as it is, empty or not */
	o.by = "";
	assert_int_equal(cot_summary_new(&s, az, &o, &e), COT_EEXPR);
	/* the lexer itself refuses the byte outside strings */
	assert_int_equal(cot_expr_compile(&x, az, "think.words \x1f 1", &e),
			 COT_EEXPR);

	/* partials: format 3 holds several keys, format 2 one */
	o.by = "rec.model" COT_SUMMARY_KEY_SEP "closed";
	assert_int_equal(cot_summary_new(&s, az, &o, &e), COT_OK);
	line = partial(s);
	cot_summary_free(s);
	bad = strdup(line);
	at = strstr(bad, "\"cotlog_stats_partial\":3");
	at[strlen("\"cotlog_stats_partial\":")] = '2';
	assert_null(parse(bad, strlen(bad), err));
	assert_non_null(strstr(err, "at by"));
	free(bad);
	bad = strdup(line);
	at = strstr(bad, "\\u001F");
	memcpy(at, "xxxxxx", 6);	/* one key, in format 3 */
	assert_null(parse(bad, strlen(bad), err));
	free(bad);
	free(line);
	/* a group key that is not a list of two values */
	{
		cot_result *res;
		const char *r = "{\"model\":\"m\",\"text\":\"<think>a</think>\"}";

		assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
		assert_int_equal(cot_summary_new(&s, az, &o, &e), COT_OK);
		add_json(s, res, r, "f");
		line = partial(s);
		at = strstr(line, "\"key\":\"[\\\"m\\\",true]\"");
		assert_non_null(at);
		at[strlen("\"key\":\"[\\\"m\\\"")] = ' ';	/* no comma */
		assert_null(parse(line, strlen(line), err));
		assert_non_null(strstr(err, "group key"));
		free(line);
		cot_summary_free(s);
		cot_result_free(res);
	}
	cot_analyzer_free(az);
}

/* Several keys and comparisons report every allocation failure too:
 * making the summary, its groups and their names, partials of format 3
 * and their keys, the wrapped table and each comparison format. */
static void test_summary_several_keys_report_every_allocation_failure(
	void **st)
{
	static const char *const recs[] = {
		/* in parentheses: one element across two lines, which clang
		 * would otherwise take for a missing comma */
		("{\"model\":\"a-very-long-model-name-that-wraps-in-the-table\","
		 "\"text\":\"<think>hmm, so 3</think>3\"}"),
		"{\"model\":\"b\",\"text\":\"<think>Wait, 2+2=4.</think>4\"}",
		"{\"model\":\"b\",\"text\":\"no thinking\"}",
	};
	cot_summary_options o = { "think.words,closed,status",
				  "rec.model" COT_SUMMARY_KEY_SEP "closed"
				  COT_SUMMARY_KEY_SEP "file", "", 0 };
	cot_analyzer *az;
	cot_result *res;
	cot_error e;
	long n;

	(void)st;
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
	for (n = 0;; n++) {
		cot_summary *s = NULL, *back = NULL;
		cot_buf line = { 0 }, out = { 0 };
		bool oom = false;
		int rc;

		cot__alloc_fail_after(n);
		rc = cot_summary_new(&s, az, &o, &e);
		for (size_t i = 0; !rc && i < 6; i++) {
			const char *r = recs[i % 3];

			if (cot_analyze_json(res, r, strlen(r), &e)) {
				oom = true;
				continue;
			}
			rc = cot_summary_add(s, res, i % 2 ? "f" : "g", &e);
		}
		if (!rc)
			rc = cot_summary_write_partial(&line, s, &e);
		if (!rc)
			rc = cot_summary_read_partial(&back, line.ptr,
						      line.size, 0, &e);
		if (!rc)
			rc = cot_summary_merge(s, back, &e);
		for (int f = COT_SUMMARY_TABLE; !rc && f <= COT_SUMMARY_TSV;
		     f++) {
			rc = cot_summary_render(&out, s, (cot_summary_format)f,
						NULL, 80, &e);
			if (!rc)
				rc = cot_summary_render_compare(&out, s,
					(cot_summary_format)f, NULL, NULL, 80,
					&e);
		}
		if (rc) {
			assert_int_equal(rc, COT_ENOMEM);
			assert_int_equal(e.code, COT_ENOMEM);
		}
		cot__alloc_fail_after(-1);
		cot_buf_dispose(&line);
		cot_buf_dispose(&out);
		cot_summary_free(back);
		cot_summary_free(s);
		if (rc == COT_OK && !oom)
			break;
		assert_true(n < 100000);
	}
	assert_true(n > 50);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* ---- comparisons --------------------------------------------------- */

#include "stats/compare.h"

/* Student's t at 0.975: the tabulated values the README quotes, and
 * others computed with mpmath at 40 digits (findroot on 1 - betainc(
 * df/2, 1/2, 0, df/(df + t^2), regularized)/2 = 0.975), for degrees of
 * freedom that are not whole, as Welch's are. */
static void test_summary_t_quantiles(void **st)
{
	static const struct {
		double df, t, tol;
	} tab[] = {
		{ 1, 12.706204736, 1e-9 },	/* printed tables */
		{ 2, 4.30265273, 1e-8 },
		{ 10, 2.228138852, 1e-9 },
		{ 30, 2.042272456, 1e-9 },
		{ 1e6, 1.959966, 1e-6 },
		{ 1, 12.706204736174705, 1e-13 },	/* mpmath */
		{ 2, 4.3026527297494639, 1e-13 },
		{ 2.5, 3.5746548420036832, 1e-13 },
		{ 3.7, 2.8675207071911894, 1e-13 },
		{ 7, 2.3646242515927853, 1e-13 },
		{ 10, 2.2281388519862747, 1e-13 },
		{ 30, 2.0422724563012383, 1e-13 },
		{ 123456.7, 1.9599832001362327, 1e-13 },
		{ 1e6, 1.959966356814107, 1e-13 },
	};

	(void)st;
	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++) {
		double t = cot__t_quantile(0.975, tab[i].df);

		if (fabs(t - tab[i].t) > tab[i].tol * tab[i].t)
			fail_msg("t(0.975, %g) = %.17g, not %.17g", tab[i].df,
				 t, tab[i].t);
		assert_true(fabs(cot__t_quantile(0.025, tab[i].df) + t) <=
			    1e-15 * t);
	}
	/* z: 1.9599639845400542355 (mpmath, sqrt(2) erfinv(0.95)) */
	assert_true(fabs(cot__norm_quantile(0.975) - 1.9599639845400542) <
		    1e-15);
	assert_true(fabs(cot__norm_quantile(0.5)) < 1e-300);
	assert_true(isnan(cot__t_quantile(1, 3)) &&
		    isnan(cot__t_quantile(0.9, 0)));
}

/* Welch from the values themselves, two passes, no code of the
 * library's but the t quantile checked above. */
static void plain_welch(const double *x, size_t n1, const double *y,
			size_t n2, double out[4])
{
	double m1 = 0, m2 = 0, v1 = 0, v2 = 0, a, b;

	for (size_t i = 0; i < n1; i++)
		m1 += x[i] / (double)n1;
	for (size_t i = 0; i < n2; i++)
		m2 += y[i] / (double)n2;
	for (size_t i = 0; i < n1; i++)
		v1 += (x[i] - m1) * (x[i] - m1) / (double)(n1 - 1);
	for (size_t i = 0; i < n2; i++)
		v2 += (y[i] - m2) * (y[i] - m2) / (double)(n2 - 1);
	a = v1 / (double)n1;
	b = v2 / (double)n2;
	out[3] = (a + b) * (a + b) / (a * a / (double)(n1 - 1) +
				      b * b / (double)(n2 - 1));
	out[0] = m1 - m2;
	out[1] = out[0] - cot__t_quantile(0.975, out[3]) * sqrt(a + b);
	out[2] = out[0] + cot__t_quantile(0.975, out[3]) * sqrt(a + b);
}

static void near(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol * (fabs(want) > 1 ? fabs(want) : 1)))
		fail_msg("%s: %.17g, not %.17g", what, got, want);
}

/* Welch's and Newcombe's intervals, against values computed apart:
 * with mpmath at 40 digits from the formulas of the README (Welch: the
 * sample means and variances, Satterthwaite's df, the t quantile by
 * findroot on betainc; Newcombe: Wilson's intervals with z =
 * sqrt(2) erfinv(0.95)), and Newcombe's own Table II, method 10
 * (Newcombe 1998, Statistics in Medicine 17:873-890), to 4 decimals. The
 * summary's path (exact sums of the values, then the formulas) is also
 * checked against plain_welch on the same values. */
static void test_summary_intervals(void **st)
{
	static const struct {
		uint64_t t1, n1, t2, n2;
		double lo, hi, lo4, hi4;	/* mpmath; Table II */
	} nc[] = {
		{ 56, 70, 48, 80, 0.052431472402364878, 0.33387265403690598,
		  0.0524, 0.3339 },
		{ 9, 10, 3, 10, 0.17052272393450288, 0.80901797353548798,
		  0.1705, 0.8090 },
		{ 6, 7, 2, 7, 0.058227927482312202, 0.80624963752422776,
		  0.0582, 0.8062 },
		{ 5, 56, 0, 29, -0.038137147903536903, 0.19256001385511162,
		  -0.0381, 0.1926 },
		{ 0, 10, 0, 20, -0.16112515805281939, 0.27753279986288925,
		  -0.1611, 0.2775 },
		{ 10, 10, 0, 20, 0.67908603714191467, 1.0, 0.6791, 1.0 },
	};
	static const double x[] = { 1, 2, 3, 4, 10 };
	static const double y[] = { 2, 2, 5, 7, 8, 9 };
	static const char *const recs[] = {
		"{\"model\":\"a\",\"text\":\"<think>w</think>d\"}",
		"{\"model\":\"a\",\"text\":\"<think>w w</think>d\"}",
		"{\"model\":\"a\",\"text\":\"<think>w w w</think>d\"}",
		"{\"model\":\"a\",\"text\":\"<think>w w w w</think>d\"}",
		"{\"model\":\"a\",\"text\":\"<think>w w w w w w w w w w</think>d\"}",
		"{\"model\":\"b\",\"text\":\"<think>w w</think>d\"}",
		"{\"model\":\"b\",\"text\":\"<think>w w</think>d\"}",
		"{\"model\":\"b\",\"text\":\"<think>w w w w w</think>d\"}",
		"{\"model\":\"b\",\"text\":\"<think>w w w w w w w</think>d\"}",
		"{\"model\":\"b\",\"text\":\"<think>w w w w w w w w</think>d\"}",
		"{\"model\":\"b\",\"text\":\"<think>w w w w w w w w w</think>d\"}",
	};
	char err[256];
	cot__diff d;
	double ref[4];
	cot_analyzer *az;
	cot_result *res;
	cot_summary *s;
	cot_error e;
	json_t *j, *f;
	cot_buf out = { 0 };

	(void)st;
	for (size_t i = 0; i < sizeof nc / sizeof *nc; i++) {
		cot__newcombe(&d, nc[i].t1, nc[i].n1, nc[i].t2, nc[i].n2);
		near(d.lo, nc[i].lo, 1e-14, "newcombe lo");
		near(d.hi, nc[i].hi, 1e-14, "newcombe hi");
		near(d.lo, nc[i].lo4, 5e-5, "newcombe lo, Table II");
		near(d.hi, nc[i].hi4, 5e-5, "newcombe hi, Table II");
		assert_int_equal(d.significant, d.lo > 0);
	}
	cot__newcombe(&d, 3, 0, 1, 2);
	assert_true(isnan(d.lo) && d.significant == -1);
	/* x minus y: mpmath gives -1.5, [-6.1239428742120787,
	 * 3.1239428742120787], df 7.9768444761852442 */
	plain_welch(x, 5, y, 6, ref);
	near(ref[1], -6.1239428742120787, 1e-13, "plain welch lo");
	near(ref[2], 3.1239428742120787, 1e-13, "plain welch hi");
	near(ref[3], 7.9768444761852442, 1e-13, "plain welch df");
	/* both constant: the difference itself; one value: none */
	cot__welch(&d, 3, 2, 0, 4, 1, 0);
	assert_true(d.lo == 1 && d.hi == 1 && d.significant == 1);
	cot__welch(&d, 1, 2, NAN, 4, 1, 0.5);
	assert_true(isnan(d.lo) && d.significant == -1);

	/* the same through a summary: think.words of a is x, of b is y */
	assert_int_equal(cot_analyzer_new(&az, NULL, &e), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &e), COT_OK);
	s = make(az, "think.words,closed", "rec.model", "", err);
	assert_non_null(s);
	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++)
		add_json(s, res, recs[i], "f");
	assert_int_equal(cot_summary_render_compare(&out, s, COT_SUMMARY_JSON,
						    NULL, "b", 0, &e), COT_OK);
	j = json_loads(out.ptr, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "baseline")),
			    "b");
	f = json_object_get(json_object_get(json_array_get(json_object_get(
		j, "groups"), 0), "fields"), "think.words");
	assert_string_equal(json_string_value(json_object_get(f, "method")),
			    "welch");
	near(json_real_value(json_object_get(f, "diff")), -1.5, 1e-15, "diff");
	near(json_number_value(json_object_get(f, "lo")), ref[1], 1e-12, "lo");
	near(json_number_value(json_object_get(f, "hi")), ref[2], 1e-12, "hi");
	near(json_number_value(json_object_get(f, "df")), ref[3], 1e-12, "df");
	assert_true(json_is_false(json_object_get(f, "significant")));
	f = json_object_get(json_object_get(json_array_get(json_object_get(
		j, "groups"), 0), "fields"), "closed");
	assert_string_equal(json_string_value(json_object_get(f, "method")),
			    "newcombe");
	json_decref(j);
	/* a baseline that is no group, and one group only */
	out.size = 0;
	assert_int_equal(cot_summary_render_compare(&out, s, COT_SUMMARY_TSV,
						    NULL, "c", 0, &e),
			 COT_EINVAL);
	assert_non_null(strstr(e.message, "'c'"));
	cot_summary_free(s);
	s = make(az, "closed", "rec.model", "", err);
	add_json(s, res, recs[0], "f");
	assert_int_equal(cot_summary_render_compare(&out, s, COT_SUMMARY_TABLE,
						    NULL, NULL, 0, &e),
			 COT_EINVAL);
	cot_summary_free(s);
	s = make(az, "closed", NULL, "", err);
	assert_int_equal(cot_summary_render_compare(&out, s, COT_SUMMARY_TABLE,
						    NULL, NULL, 0, &e),
			 COT_EINVAL);
	cot_summary_free(s);
	cot_buf_dispose(&out);
	cot_result_free(res);
	cot_analyzer_free(az);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_summary_of_corpus_matches_naive_reference),
		cmocka_unit_test(
			test_summary_of_fixtures_matches_naive_reference),
		cmocka_unit_test(
			test_summary_groups_by_expression_and_merges),
		cmocka_unit_test(
			test_summary_groups_fixtures_by_expression_and_merges),
		cmocka_unit_test(
			test_summary_by_file_counts_malformed_per_file),
		cmocka_unit_test(test_summary_value_table_limit_is_split_free),
		cmocka_unit_test(test_summary_merge_carries_runs_at_rest),
		cmocka_unit_test(test_summary_of_part_of_each_run),
		cmocka_unit_test(test_summary_refuses_what_does_not_fit),
		cmocka_unit_test(
			test_summary_reports_every_allocation_failure),
		cmocka_unit_test(test_summary_numbers_read_back_as_profiles_write_them),
		cmocka_unit_test(
			test_summary_table_fits_and_shows_main_fields),
		cmocka_unit_test(test_summary_table_of_fixtures_fits),
		cmocka_unit_test(test_summary_groups_by_several_keys),
		cmocka_unit_test(test_summary_key_separator_rules),
		cmocka_unit_test(test_summary_t_quantiles),
		cmocka_unit_test(test_summary_intervals),
		cmocka_unit_test(
		  test_summary_several_keys_report_every_allocation_failure),
	};

	return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
