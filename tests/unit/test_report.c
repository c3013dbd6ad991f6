/* test_report.c - the report of lib/report: the same page however the
 * input is split, every allocation failure reported, text of records
 * escaped as a plain reference escapes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cotlog.h"
#include "report/report.h"

/* Records of the shapes a report draws: a loop, a graded answer right
 * and wrong, mixed scripts, a cut-off one, none at all. */
static const char *const recs[] = {
	"{\"model\":\"a\",\"answer\":\"4\",\"response\":\"<think>2 + 2 is 4. "
	"Wait, let me check: 2 + 2 = 4.</think>The answer is \\\\boxed{4}."
	"\"}",
	"{\"model\":\"b\",\"answer\":\"5\",\"response\":\"<think>Hmm, 3. "
	"Actually 2 + 2 = 3?\\n\\nNo. It is 4.</think>\\\\boxed{4}\"}",
	"{\"model\":\"a\",\"response\":\"<think>Start.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\\n\\n"
	"Let me recount the bundles once more now.\"}",
	"{\"model\":\"c\",\"response\":\"<think>The sum 求和 is \\u6c42 "
	"then <b>&amp;</b> done\"}",
	"{\"model\":\"b\",\"messages\":[]}",
	"{\"model\":\"c\",\"finish_reason\":\"length\",\"response\":"
	"\"<think>We need more and more and more and\"}",
};
enum { NREC = sizeof recs / sizeof *recs };

typedef struct fx {
	cot_analyzer *az;
	cot_result *res;
} fx;

static int setup(void **st)
{
	fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(cot_analyzer_new(&f->az, NULL, NULL), COT_OK);
	assert_int_equal(cot_result_new(&f->res, f->az, NULL), COT_OK);
	*st = f;
	return 0;
}

static int teardown(void **st)
{
	fx *f = *st;

	cot_result_free(f->res);
	cot_analyzer_free(f->az);
	free(f);
	return 0;
}

/* Add records [from, to) of recs, times rounds, each at line i + 1 of
 * "f.jsonl". */
static int add(cot_report *r, cot_result *res, size_t from, size_t to,
	       cot_error *e)
{
	int rc = COT_OK;

	for (size_t i = from; i < to && !rc; i++) {
		rc = cot_analyze_json(res, recs[i % NREC],
				      strlen(recs[i % NREC]), e);
		if (!rc)
			rc = cot_report_add(r, res, "f.jsonl", i + 1, e);
	}
	return rc;
}

static char *page_of(fx *f, const char *by, size_t traces, size_t split,
		     size_t n)
{
	cot_report_options o = COT_REPORT_OPTIONS_INIT;
	cot_report *a, *b;
	cot_buf out = COT_BUF_INIT;
	cot_error e;
	char *page;

	o.by = by;
	o.traces = traces;
	assert_int_equal(cot_report_new(&a, f->az, &o, &e), COT_OK);
	assert_int_equal(cot_report_new_like(&b, a, &e), COT_OK);
	assert_int_equal(add(a, f->res, 0, split, &e), COT_OK);
	assert_int_equal(add(b, f->res, split, n, &e), COT_OK);
	assert_int_equal(cot_report_add_malformed(b, "f.jsonl", 2, &e),
			 COT_OK);
	assert_int_equal(cot_report_merge(a, b, &e), COT_OK);
	assert_int_equal(cot_report_render(&out, a, &e), COT_OK);
	cot_report_free(a);
	cot_report_free(b);
	page = strdup(out.ptr);
	cot_buf_dispose(&out);
	return page;
}

/* Whichever split, whichever grouping, the same page: the picks keep by
 * score and id, the histograms add. */
static void test_report_same_page_whatever_the_split(void **st)
{
	fx *f = *st;
	const char *bys[] = { NULL, "rec.model", "file" };

	for (size_t k = 0; k < 3; k++)
		for (size_t traces = 3; traces <= 70; traces += 67) {
			char *one = page_of(f, bys[k], traces, 60, 60);

			for (size_t split = 0; split < 60; split += 7) {
				char *two = page_of(f, bys[k], traces, split,
						    60);

				assert_string_equal(one, two);
				free(two);
			}
			assert_non_null(strstr(one, "<section class=\"trace\""));
			free(one);
		}
}

/* At most `traces` traces, and a loop among them marked. */
static void test_report_viewer_is_bounded(void **st)
{
	fx *f = *st;

	for (size_t n = 1; n <= 14; n++) {
		char *page = page_of(f, NULL, n, 30, 120);
		size_t count = 0;

		for (const char *p = page; (p = strstr(p, "<section "
						      "class=\"trace\"")); p++)
			count++;
		assert_true(count >= 1 && count <= n);
		if (n >= 7)	/* the loop reason has a place */
			assert_non_null(strstr(page, "class=\"looptag\""));
		free(page);
	}
}

/* Every allocation fails once: each call says COT_ENOMEM (and keeps
 * saying it), nothing leaks (ASan), and a run that succeeds makes the
 * page of a run without failures. */
static void test_report_every_allocation_failure_is_reported(void **st)
{
	fx *f = *st;
	char *want = page_of(f, "rec.model", 7, 3, 12);
	long n;

	for (n = 0;; n++) {
		cot_report_options o = COT_REPORT_OPTIONS_INIT;
		cot_report *a = NULL, *b = NULL;
		cot_buf out = COT_BUF_INIT;
		cot_error e;
		bool oom = false;
		int rc;

		o.by = "rec.model";
		o.traces = 7;
		cot__alloc_fail_after(n);
		rc = cot_report_new(&a, f->az, &o, &e);
		if (!rc)
			rc = cot_report_new_like(&b, a, &e);
		for (size_t i = 0; !rc && i < 12; i++) {
			const char *r = recs[i % NREC];

			if (cot_analyze_json(f->res, r, strlen(r), &e)) {
				assert_int_equal(e.code, COT_ENOMEM);
				oom = true;
				break;
			}
			rc = cot_report_add(i < 3 ? a : b, f->res, "f.jsonl",
					    i + 1, &e);
		}
		if (!rc && !oom)
			rc = cot_report_add_malformed(b, "f.jsonl", 2, &e);
		if (!rc && !oom)
			rc = cot_report_merge(a, b, &e);
		if (!rc && !oom)
			rc = cot_report_render(&out, a, &e);
		if (rc) {
			assert_int_equal(rc, COT_ENOMEM);
			assert_int_equal(e.code, COT_ENOMEM);
			if (a && a->failed)
				assert_int_equal(cot_report_render(&out, a,
								   &e),
						 COT_ENOMEM);
		}
		cot__alloc_fail_after(-1);
		if (!rc && !oom)
			assert_string_equal(out.ptr, want);
		cot_buf_dispose(&out);
		cot_report_free(a);
		cot_report_free(b);
		if (!rc && !oom)
			break;
		assert_true(n < 200000);
	}
	assert_true(n > 50);
	free(want);
}

/* The plain reference: each character of the text, as HTML text. */
static void reference_text(char *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = cot_utf8_next(s + i, n - i, &cp);

		if (cp == '&')
			out = stpcpy(out, "&amp;");
		else if (cp == '<')
			out = stpcpy(out, "&lt;");
		else if (cp == '>')
			out = stpcpy(out, "&gt;");
		else if (cp == '"')
			out = stpcpy(out, "&quot;");
		else if (cp == '\'')
			out = stpcpy(out, "&#39;");
		else if (cp == '\t' || cp == '\n')
			*out++ = (char)cp;
		else if (cp == COT_UTF8_INVALID || cp < 0x20 || cp == 0x7f ||
			 (cp >= 0x80 && cp < 0xa0))
			out = stpcpy(out, "\xEF\xBF\xBD");
		else {
			memcpy(out, s + i, len);
			out += len;
		}
		i += len;
	}
	*out = '\0';
}

static void test_report_html_text_escapes_as_the_reference(void **st)
{
	static const char alphabet[] = "ab<>&\"'\t\n\x01\x7f\xc2\x85\xc3\xa9"
				       "\xe6\xb1\x82\xf0\x9f\x98\x80\xff\xed"
				       "\xa0\x80";
	uint64_t seed = 7;

	(void)st;
	for (int round = 0; round < 20000; round++) {
		char in[40], want[40 * 8 + 1];
		size_t n = (size_t)(round % 40);
		sb b = { COT_BUF_INIT, false };

		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			in[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
		}
		reference_text(want, in, n);
		cot__html_text(&b, in, n);
		assert_false(b.failed);
		assert_int_equal(b.buf.size, strlen(want));
		if (n)
			assert_memory_equal(b.buf.ptr, want, b.buf.size);
		cot_buf_dispose(&b.buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_same_page_whatever_the_split),
		cmocka_unit_test(test_report_viewer_is_bounded),
		cmocka_unit_test(
			test_report_every_allocation_failure_is_reported),
		cmocka_unit_test(
			test_report_html_text_escapes_as_the_reference),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
