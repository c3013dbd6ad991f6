/* traces.c - walk the traces of the corpus, or of the fixtures, through
 * the public API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "util.h"
#include "traces.h"

typedef struct walk {
	const cot_analyzer *az;
	cot_result *res;
	void (*fn)(const trace_ref *t, void *ctx);
	void *ctx;
	size_t n;
} walk;

static void one_file(const char *path, void *vw)
{
	walk *w = vw;
	cot_reader *r;
	const cot_unit *u;
	cot_error err;
	int rc;

	assert_int_equal(cot_reader_open_path(&r, path, &err), COT_OK);
	while ((rc = cot_reader_next(&u, r, &err)) == COT_OK) {
		if (cot_unit_kind_of(u) != COT_UNIT_RECORDS)
			continue;
		for (size_t i = 0; i < cot_unit_records(u); i++) {
			assert_int_equal(cot_analyze_unit(w->res, u, i, &err),
					 COT_OK);
			size_t nt = cot_result_traces(w->res);

			for (size_t k = 0; k < nt; k++) {
				trace_ref t = { path, cot_unit_line(u), i, k,
						w->res, w->az, NULL, NULL, 0,
						0 };

				t.reasoning = cot_result_reasoning(w->res, k,
								   &t.rlen);
				t.answer = cot_result_answer(w->res, k,
							     &t.alen);
				w->fn(&t, w->ctx);
				w->n++;
			}
		}
	}
	assert_int_equal(rc, COT_DONE);
	cot_reader_free(r);
}

size_t for_each_trace(const cot_analyzer *az,
		      void (*fn)(const trace_ref *t, void *ctx), void *ctx)
{
	if (!corpus_dir())
		skip_without_corpus();
	return for_each_trace_in(corpus_dir(), az, fn, ctx);
}

size_t for_each_trace_in(const char *dir, const cot_analyzer *az,
			 void (*fn)(const trace_ref *t, void *ctx),
			 void *ctx)
{
	cot_analyzer *own = NULL;
	cot_error err;
	walk w = { az, NULL, fn, ctx, 0 };

	if (!az) {
		assert_int_equal(cot_analyzer_new(&own, NULL, &err), COT_OK);
		w.az = az = own;
	}
	assert_int_equal(cot_result_new(&w.res, az, &err), COT_OK);
	dir_for_each_file(dir, ".jsonl", one_file, &w);
	dir_for_each_file(dir, ".json", one_file, &w);
	cot_result_free(w.res);
	cot_analyzer_free(own);
	return w.n;
}

cot_value field(const trace_ref *t, const char *name)
{
	long i = field_id(t->az, name);
	cot_value v;

	if (i < 0)
		fail_msg("no field %s", name);
	assert_int_equal(cot_result_get(&v, t->res, t->index, i, NULL), COT_OK);
	return v;
}

const char *trace_file(const trace_ref *t)
{
	const char *s = strrchr(t->path, '/');

	return s ? s + 1 : t->path;
}
