/* walk.c - every trace of the corpus, or of the fixtures, through the
 * public API. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "corpus.h"
#include "walk.h"

struct walk {
	cot_result *res;
	void (*fn)(cot_result *res, size_t t, void *ctx);
	void *ctx;
	size_t traces;
};

static void walk_file(const char *path, void *p)
{
	struct walk *w = p;
	cot_reader *r;
	const cot_unit *u;
	cot_error err;
	int rc;

	assert_int_equal(cot_reader_open_path(&r, path, &err), COT_OK);
	while ((rc = cot_reader_next(&u, r, &err)) != COT_DONE) {
		if (rc == COT_EPARSE)
			continue;	/* the rest comes as skipped units */
		assert_int_equal(rc, COT_OK);
		if (cot_unit_kind_of(u) != COT_UNIT_RECORDS)
			continue;
		for (size_t i = 0; i < cot_unit_records(u); i++) {
			assert_int_equal(cot_analyze_unit(w->res, u, i, &err),
					 COT_OK);
			size_t n = cot_result_traces(w->res);

			for (size_t t = 0; t < n; t++)
				w->fn(w->res, t, w->ctx);
			w->traces += n;
		}
	}
	cot_reader_free(r);
}

size_t walk_traces_in(const char *dir, cot_result *res,
		      void (*fn)(cot_result *res, size_t t, void *ctx),
		      void *ctx)
{
	struct walk w = { res, fn, ctx, 0 };

	dir_for_each_file(dir, ".jsonl", walk_file, &w);
	dir_for_each_file(dir, ".json", walk_file, &w);
	return w.traces;
}

size_t walk_corpus(cot_result *res,
		   void (*fn)(cot_result *res, size_t t, void *ctx),
		   void *ctx)
{
	if (!corpus_dir())
		skip_without_corpus();
	return walk_traces_in(corpus_dir(), res, fn, ctx);
}

static const uint32_t spaces[] = {
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680,
	0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
	0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
};

size_t ref_space_len(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	uint32_t cp;
	size_t k;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		cp = s[0];
		k = 1;
	} else if (s[0] < 0xe0 && n >= 2) {
		cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		k = 2;
	} else if (s[0] < 0xf0 && n >= 3) {
		cp = (uint32_t)(s[0] & 0x0f) << 12 |
		     (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		k = 3;
	} else {
		return 0;
	}
	for (size_t i = 0; i < sizeof spaces / sizeof *spaces; i++)
		if (spaces[i] == cp)
			return k;
	return 0;
}
