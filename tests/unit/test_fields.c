/* test_fields.c - the field registry and the JSON profile it writes. */
#include <fnmatch.h>
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

#include "corpus.h"
#include "passes/pass.h"
#include "passes/profile.h"
#include "fields/rest.h"
#include "util.h"

static void test_field_registry_names_are_unique_and_grouped(void **state)
{
	(void)state;
	assert_true(cot_field_count(NULL) > 0);
	assert_null(cot_field_at(NULL, cot_field_count(NULL)));
	for (size_t i = 0; i < cot_field_count(NULL); i++) {
		const cot_field_info *f = cot_field_at(NULL, i);
		const char *dot = strchr(f->name, '.');

		assert_true(strlen(f->doc) > 20);
		assert_int_equal(field_id(NULL, f->name), i);
		/* rows sharing a prefix stand together, so nesting is one
		 * object per prefix */
		if (dot && i > 0) {
			size_t plen = (size_t)(dot - f->name) + 1;
			const char *prev = cot_field_at(NULL, i - 1)->name;

			if (strncmp(prev, f->name, plen) != 0)
				for (size_t j = 0; j + 1 < i; j++)
					assert_false(!strncmp(
						cot_field_at(NULL, j)->name,
						f->name, plen));
		}
	}
	{
		size_t k = 7;
		cot_error err;

		assert_int_equal(cot_field_find(&k, NULL, "no.such.field",
						&err), COT_EINVAL);
		assert_int_equal(k, SIZE_MAX);
		assert_string_equal(err.message,
				    "unknown field 'no.such.field'");
		assert_int_equal(cot_field_find(&k, NULL, "think.words",
						NULL), COT_OK);
		assert_string_equal(cot_field_at(NULL, k)->name,
				    "think.words");
	}
}

/* Walk a dotted name in a jansson object. */
static json_t *lookup(json_t *obj, const char *name)
{
	char buf[128];
	char *save = NULL, *part;

	snprintf(buf, sizeof buf, "%s", name);
	for (part = strtok_r(buf, ".", &save); part && obj;
	     part = strtok_r(NULL, ".", &save))
		obj = json_object_get(obj, part);
	return obj;
}

static void check_profile_matches_getters(cot_result *res, size_t t)
{
	cot_buf out = COT_BUF_INIT;
	json_error_t je;
	json_t *j;

	assert_int_equal(cot_result_profile_json(&out, res, t, NULL), COT_OK);
	assert_null(memchr(out.ptr, '\n', out.size));
	j = json_loadb(out.ptr, out.size, JSON_ALLOW_NUL, &je);
	assert_non_null(j);
	for (size_t i = 0; i < cot_field_count(NULL); i++) {
		const cot_field_info *f = cot_field_at(NULL, i);
		json_t *v = lookup(j, f->name);
		cot_value cv;

		assert_non_null(v);
		assert_int_equal(cot_result_get(&cv, res, t, i, NULL), COT_OK);
		switch (cv.type) {
		case COT_TYPE_NULL:
			assert_true(json_is_null(v));
			break;
		case COT_TYPE_BOOL:
			assert_int_equal(json_is_true(v), cv.b);
			break;
		case COT_TYPE_INT:
			assert_int_equal(json_integer_value(v), cv.i);
			break;
		case COT_TYPE_REAL:
			assert_true(json_real_value(v) == cv.r);
			break;
		case COT_TYPE_STRING:
			assert_int_equal(json_string_length(v), cv.len);
			assert_memory_equal(json_string_value(v), cv.s,
					    cv.len);
			break;
		case COT_TYPE_JSON: {
			json_t *w = json_loadb(cv.s, cv.len, JSON_DECODE_ANY,
					       &je);

			assert_non_null(w);
			assert_true(json_equal(w, v));
			json_decref(w);
			break;
		}
		}
		if (cv.type != COT_TYPE_NULL)
			assert_int_equal(cv.type, f->type);
	}
	json_decref(j);
	cot_buf_dispose(&out);
}

static void test_profile_json_matches_every_getter(void **state)
{
	static const char *const records[] = {
		"{\"response\":\"<think>\\nA \\\"q\\\"\\n\\nB\\u0000\\n"
		"</think>\\n\\\\boxed{a\\\"b\\n\\u0001}\",\"model\":\"m\\\"x\"}",
		"{\"choices\":[{\"message\":{\"role\":\"assistant\","
		"\"reasoning_content\":\"r\",\"content\":\"c\"},"
		"\"finish_reason\":\"length\"}],\"is_correct\":false}",
		"\"plain untagged text\"",
		"{\"generations\":[\"x</think>y\",\"<think>z\"],"
		"\"answer\":12.50}",
	};
	cot_analyzer *az;
	cot_result *res;
	cot_error err;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	for (size_t r = 0; r < sizeof records / sizeof *records; r++) {
		assert_int_equal(cot_analyze_json(res, records[r],
			strlen(records[r]), &err), COT_OK);
		assert_true(cot_result_traces(res) > 0);
		for (size_t t = 0; t < cot_result_traces(res); t++)
			check_profile_matches_getters(res, t);
	}
	cot_result_free(res);
	cot_analyzer_free(az);
}

static void test_result_json_is_an_array_of_profiles(void **state)
{
	static const char rec[] = "{\"generations\":[\"a\",\"b\",\"c\"]}";
	cot_analyzer *az;
	cot_result *res;
	cot_buf out = COT_BUF_INIT;
	cot_error err;
	json_error_t je;
	json_t *j;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_json(res, rec, sizeof rec - 1, &err),
			 COT_OK);
	assert_int_equal(cot_result_json(&out, res, NULL), COT_OK);
	j = json_loads(out.ptr, 0, &je);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 3);
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(j, 2), "index")), 2);
	json_decref(j);
	/* no trace: an empty array */
	assert_int_equal(cot_analyze_json(res, "{\"x\":1}", 7, &err), COT_OK);
	out.size = 0;
	assert_int_equal(cot_result_json(&out, res, NULL), COT_OK);
	assert_string_equal(out.ptr, "[]");
	cot_buf_dispose(&out);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* The value of dotted name in a nested JSON profile, or NULL. */
static json_t *dotted(json_t *o, const char *name)
{
	char part[256];
	const char *dot;

	while ((dot = strchr(name, '.'))) {
		memcpy(part, name, (size_t)(dot - name));
		part[dot - name] = '\0';
		o = json_object_get(o, part);
		name = dot + 1;
	}
	return json_object_get(o, name);
}

/* Leaves of a nested profile that are not field names: count them. */
static size_t leaves(json_t *o, const cot_analyzer *az, const char *pre)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	json_object_foreach(o, k, v) {
		char name[512];

		size_t id;

		snprintf(name, sizeof name, "%s%s", pre, k);
		if (cot_field_find(&id, az, name, NULL) == COT_OK) {
			n++;
		} else {
			strcat(name, ".");
			n += leaves(v, az, name);
		}
	}
	return n;
}

/* v as jansson holds it (a new reference). */
static json_t *value_json(const cot_value *v)
{
	json_error_t je;

	switch (v->type) {
	case COT_TYPE_NULL:
		return json_null();
	case COT_TYPE_BOOL:
		return json_boolean(v->b);
	case COT_TYPE_INT:
		return json_integer(v->i);
	case COT_TYPE_REAL:
		return json_real(v->r);
	case COT_TYPE_STRING:
		return json_stringn(v->s, v->len);
	default:
		return json_loadb(v->s, v->len, JSON_DECODE_ANY, &je);
	}
}

/* Every value of profile JSON js is what cot_result_get gives, for the
 * fields idx[0..n) (every field when idx is NULL). */
static void values_equal_get(json_t *js, cot_result *res,
			     const cot_analyzer *az, const size_t *idx,
			     size_t n)
{
	size_t count = idx ? n : cot_field_count(az);

	for (size_t k = 0; k < count; k++) {
		size_t f = idx ? idx[k] : k;
		const char *name = cot_field_at(az, (size_t)f)->name;
		json_t *j = dotted(js, name), *want;
		cot_value v;

		assert_non_null(j);
		assert_int_equal(cot_result_get(&v, res, 0, f, NULL), COT_OK);
		want = value_json(&v);
		if (!json_equal(j, want))
			fail_msg("%s differs from cot_result_get", name);
		json_decref(want);
	}
}

/* A profile writes a pattern that did not match as one piece of text
 * (the rows' resting values): the values are still those of
 * cot_result_get, in traces where patterns match or not, with no words,
 * and in layouts that hold only part of a pattern's rows. */
static void test_profile_json_runs_at_rest_equal_get(void **state)
{
	static const char *const recs[] = {
		"{\"reasoning_content\":\"Wait, 2+2=4. Let me check.\\n\\n"
		"Hmm, but maybe not. Alternatively 5.\",\"content\":\"4\"}",
		"{\"reasoning_content\":\"\",\"content\":\"4\"}",
		"{\"reasoning_content\":\" \\n \",\"content\":\"\"}",
		"{\"reasoning_content\":\"Plain text with no cue at all.\","
		"\"content\":\"x\"}",
	};
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	size_t *part;
	size_t npart = 0, nf;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	nf = cot_field_count(az);
	/* every field but one row in three: runs cut in every place */
	part = malloc(nf * sizeof *part);
	for (size_t k = 0; k < nf; k++)
		if (k % 3 != 1)
			part[npart++] = k;
	for (int sel = 0; sel < 2; sel++) {
		assert_int_equal(
			cot_result_select(res, sel ? part : NULL, npart, NULL),
			COT_OK);
		for (size_t r = 0; r < sizeof recs / sizeof *recs; r++) {
			cot_buf out = COT_BUF_INIT;
			json_error_t je;
			json_t *js;

			assert_int_equal(cot_analyze_json(res, recs[r],
							  strlen(recs[r]),
							  &err), COT_OK);
			assert_int_equal(cot_result_traces(res), 1);
			assert_int_equal(
				cot_result_profile_json(&out, res, 0, NULL),
				COT_OK);
			js = json_loads(out.ptr, 0, &je);
			assert_non_null(js);
			values_equal_get(js, res, az, sel ? part : NULL,
					 npart);
			json_decref(js);
			cot_buf_dispose(&out);
		}
	}
	free(part);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* cot_field_run, cot_field_rest, cot_result_at_rest: where a run is at
 * rest, each of its fields has the value its rest text says; runs
 * that are at rest and runs that are not both occur. */
static void test_runs_at_rest_api(void **state)
{
	static const char rec[] =
		"{\"reasoning_content\":\"Wait, 2+2=4. Let me check.\\n\\n"
		"Hmm, but maybe not.\",\"content\":\"4\"}";
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	size_t runs = 0, rest = 0, nf;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_json(res, rec, sizeof rec - 1, &err),
			 COT_OK);
	nf = cot_field_count(az);
	assert_int_equal(cot__field_run(az, nf), 0);
	assert_null(cot__field_rest(az, nf));
	assert_int_equal(cot__result_at_rest(res, 0, nf), 0);
	assert_int_equal(cot__result_at_rest(res, 1, 0), 0);
	for (size_t k = 0; k < nf; k++) {
		size_t run = cot__field_run(az, k);

		if (!run) {
			assert_int_equal(cot__result_at_rest(res, 0, k),
					 0);
			continue;
		}
		runs++;
		assert_true(k + run <= nf);
		if (!cot__result_at_rest(res, 0, k))
			continue;
		rest++;
		for (size_t m = k; m < k + run; m++) {
			const char *text = cot__field_rest(az, m);
			json_error_t je;
			json_t *want, *got;
			cot_value v;

			assert_non_null(text);
			assert_int_equal(cot_result_get(&v, res, 0, m, NULL),
					 COT_OK);
			want = json_loads(text, JSON_DECODE_ANY, &je);
			got = value_json(&v);
			assert_true(json_equal(want, got));
			json_decref(want);
			json_decref(got);
		}
	}
	assert_true(runs > 50);
	assert_true(rest > 0 && rest < runs);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* cot_result_select: the profile holds the chosen fields, each once,
 * with the values of the full profile; NULL gives every field back. */
static void test_result_select_writes_only_the_chosen(void **state)
{
	static const char rec[] =
		"{\"reasoning_content\":\"Wait, 2+2=4.\\n\\nSo the answer is "
		"4.\",\"content\":\"\\\\boxed{4}\",\"answer\":\"4\"}";
	const char *names[] = { "status", "think.words", "correct",
				"families.r1_reflect.count", "think.words",
				"structure.sentences", "loop.found" };
	size_t idx[7];
	cot_analyzer *az;
	cot_result *res;
	cot_buf full = COT_BUF_INIT, sel = COT_BUF_INIT;
	cot_error err;
	json_error_t je;
	json_t *jf, *js;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_json(res, rec, sizeof rec - 1, &err),
			 COT_OK);
	assert_int_equal(cot_result_profile_json(&full, res, 0, NULL), COT_OK);
	for (size_t i = 0; i < 7; i++)
		idx[i] = field_id(az, names[i]);
	assert_int_equal(cot_result_select(res, idx, 7, NULL), COT_OK);
	assert_int_equal(cot_analyze_json(res, rec, sizeof rec - 1, &err),
			 COT_OK);
	assert_int_equal(cot_result_profile_json(&sel, res, 0, NULL), COT_OK);
	jf = json_loads(full.ptr, 0, &je);
	js = json_loads(sel.ptr, 0, &je);
	assert_non_null(jf);
	assert_non_null(js);
	assert_int_equal(leaves(js, az, ""), 6);	/* think.words once */
	for (size_t i = 0; i < 7; i++)
		assert_true(json_equal(dotted(js, names[i]),
				       dotted(jf, names[i])));
	assert_true(json_is_true(dotted(js, "correct")));
	json_decref(js);
	/* an index out of range changes nothing */
	idx[0] = cot_field_count(az);
	assert_int_equal(cot_result_select(res, idx, 1, NULL), COT_EINVAL);
	/* nothing chosen: an empty profile */
	assert_int_equal(cot_result_select(res, idx, 0, NULL), COT_OK);
	sel.size = 0;
	assert_int_equal(cot_result_profile_json(&sel, res, 0, NULL), COT_OK);
	assert_string_equal(sel.ptr, "{}");
	/* NULL: every field again */
	assert_int_equal(cot_result_select(res, NULL, 0, NULL), COT_OK);
	assert_int_equal(cot_analyze_json(res, rec, sizeof rec - 1, &err),
			 COT_OK);
	sel.size = 0;
	assert_int_equal(cot_result_profile_json(&sel, res, 0, NULL), COT_OK);
	assert_string_equal(sel.ptr, full.ptr);
	/* out of memory while selecting: an error, and nothing leaks */
	for (long n = 0;; n++) {
		int rc;

		cot__alloc_fail_after(n);
		rc = cot_result_select(res, idx + 1, 3, NULL);
		cot__alloc_fail_after(-1);
		if (rc == COT_OK)
			break;
		assert_int_equal(rc, COT_ENOMEM);
		assert_true(n < 100);
	}
	json_decref(jf);
	cot_buf_dispose(&full);
	cot_buf_dispose(&sel);
	cot_result_free(res);
	cot_analyzer_free(az);
}

static void test_analyze_text_rejects_invalid_utf8(void **state)
{
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	cot_value v;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_text(res, "ab\xff", 3, NULL, &err),
			 COT_EINVAL);
	assert_int_equal(err.column, 3);
	assert_string_equal(err.message, "invalid UTF-8 in the text at byte 3");
	assert_int_equal(cot_analyze_text(res, "\xed\xa0\x80", 3, NULL, &err),
			 COT_EINVAL);
	assert_int_equal(cot_analyze_text(res, "x<think>y</think>z", 18, NULL,
					  &err), COT_OK);
	assert_int_equal(cot_result_traces(res), 1);
	assert_int_equal(cot_result_get(&v, res, 0,
					field_id(NULL, "think.bytes"), NULL),
			 COT_OK);
	assert_int_equal(v.i, 1);
	assert_int_equal(cot_result_get(&v, res, 0,
					field_id(NULL, "preamble.bytes"), NULL),
			 COT_OK);
	assert_int_equal(v.i, 1);
	assert_int_equal(cot_result_get(&v, res, 1, 0, &err), COT_EINVAL);
	assert_int_equal(cot_result_get(&v, res, 0, cot_field_count(az), &err),
			 COT_EINVAL);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* With COT_TEXT_REPLACE_INVALID, each maximal ill-formed subsequence
 * becomes one U+FFFD, as Python's bytes.decode("utf-8", "replace") and
 * the Unicode Standard (section 3.9, "U+FFFD Substitution of Maximal
 * Subparts") say. The first row is the standard's own example. */
static void test_analyze_text_replaces_invalid_utf8(void **state)
{
#define R "\xef\xbf\xbd"
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a\xf1\x80\x80\xe1\x80\xc2" "b\x80" "c\x80\xbf" "d",
		  "a" R R R "b" R "c" R R "d" },
		{ "caf\xc3", "caf" R },			/* cut in é */
		{ "\xe2\x82" "a", R "a" },		/* cut in € */
		{ "\xed\xa0\x80", R R R },		/* a surrogate */
		{ "\xc0\x80", R R },			/* overlong */
		{ "\xe0\x80\x80", R R R },
		{ "\xf4\x90\x80\x80", R R R R },	/* > U+10FFFF */
		{ "\xf0\x90\x80", R },			/* cut 4-byte */
		{ "\xf5\xff\xfe", R R R },
		{ "ok \xe2\x82\xac \xf0\x9f\x98\x80",	/* valid */
		  "ok \xe2\x82\xac \xf0\x9f\x98\x80" },
	};
#undef R
	cot_text_options o = COT_TEXT_OPTIONS_INIT;
	cot_analyzer *az;
	cot_result *res;
	cot_error err;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	o.flags = COT_TEXT_REPLACE_INVALID;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len;
		const char *r;

		assert_int_equal(cot_analyze_text(res, cases[i].in,
						  strlen(cases[i].in), &o,
						  &err), COT_OK);
		r = cot_result_reasoning(res, 0, &len);
		assert_int_equal(len, strlen(cases[i].want));
		assert_memory_equal(r, cases[i].want, len);
	}
	/* the other strings of the options are read the same way */
	o.model = "m\xff";
	assert_int_equal(cot_analyze_text(res, "x", 1, &o, &err), COT_OK);
	o.flags = 0;
	assert_int_equal(cot_analyze_text(res, "x", 1, &o, &err), COT_EINVAL);
	assert_string_equal(err.message,
			    "invalid UTF-8 in the model at byte 2");
	o.version = 99;
	assert_int_equal(cot_analyze_text(res, "x", 1, &o, &err), COT_EINVAL);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* The string value of field name in trace 0 ("" for null). */
static const char *text_field(cot_result *res, const char *name)
{
	cot_value v;

	assert_int_equal(cot_result_get(&v, res, 0, field_id(NULL, name),
					NULL), COT_OK);
	if (v.type == COT_TYPE_NULL)
		return "";
	assert_int_equal(v.type, COT_TYPE_STRING);
	return v.s;
}

/* A reward function holds one completion and its reference: the text
 * options give it `correct` and the fields the record would give. */
static void test_analyze_text_options_give_reference_fields(void **state)
{
	static const char text[] = "<think>\n2 + 2 = 4.\n</think>\n"
				   "The answer is \\boxed{4}.";
	cot_text_options o = COT_TEXT_OPTIONS_INIT;
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	cot_value v;
	size_t correct = field_id(NULL, "correct");

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	/* nothing known: no verdict */
	assert_int_equal(cot_analyze_text(res, text, strlen(text), NULL, &err),
			 COT_OK);
	assert_int_equal(cot_result_get(&v, res, 0, correct, NULL), COT_OK);
	assert_int_equal(v.type, COT_TYPE_NULL);
	o.ref = "4.0";
	o.finish_reason = "stop";
	o.model = "deepseek-reasoner";
	assert_int_equal(cot_analyze_text(res, text, strlen(text), &o, &err),
			 COT_OK);
	assert_int_equal(cot_result_get(&v, res, 0, correct, NULL), COT_OK);
	assert_int_equal(v.type, COT_TYPE_BOOL);
	assert_true(v.b);
	assert_string_equal(text_field(res, "ref"), "4.0");
	assert_string_equal(text_field(res, "model"), "deepseek-reasoner");
	assert_string_equal(text_field(res, "finish"), "stop");
	assert_string_equal(text_field(res, "status"), "complete");
	o.ref = "5";
	o.finish_reason = "length";
	assert_int_equal(cot_analyze_text(res, text, strlen(text), &o, &err),
			 COT_OK);
	assert_int_equal(cot_result_get(&v, res, 0, correct, NULL), COT_OK);
	assert_false(v.b);
	assert_string_equal(text_field(res, "finish_reason"), "length");
	assert_string_equal(text_field(res, "status"), "truncated");
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* A string read with cot_result_get stays as it was while other values
 * are read, until the next analysis. */
static void test_result_get_strings_live_until_next_analysis(void **state)
{
	static const char text[] = "<think>Wait. Wait. Let me check 1+1.\n\n"
				   "So \\boxed{2}.</think>\\boxed{2}";
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	cot_value first;
	char *copy;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_text(res, text, strlen(text), NULL, &err),
			 COT_OK);
	assert_int_equal(cot_result_get(&first, res, 0,
					field_id(NULL, "candidates"), NULL),
			 COT_OK);
	assert_int_equal(first.type, COT_TYPE_JSON);
	assert_int_equal(first.s[first.len], '\0');
	copy = strndup(first.s, first.len);
	/* every other field, JSON ones among them */
	for (size_t k = 0; k < cot_field_count(az); k++) {
		cot_value v;

		assert_int_equal(cot_result_get(&v, res, 0, k, NULL), COT_OK);
	}
	assert_memory_equal(first.s, copy, first.len);
	assert_string_equal(first.s, copy);
	free(copy);
	cot_result_free(res);
	cot_analyzer_free(az);
}

static void test_analyzer_rejects_bad_options(void **state)
{
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;
	cot_analyzer *az;
	cot_error err;

	(void)state;
	o.version = 99;
	assert_int_equal(cot_analyzer_new(&az, &o, &err), COT_EINVAL);
	assert_null(az);
	o.version = COT_ANALYZER_OPTIONS_VERSION;
	o.field = "a..b";
	assert_int_equal(cot_analyzer_new(&az, &o, &err), COT_EINVAL);
	assert_non_null(strstr(err.message, "--field"));
	assert_int_equal(err.column, 3);
}

/* Every allocation can fail, while building an analyzer and while
 * analyzing: the caller gets COT_ENOMEM and nothing leaks (run under
 * ASan or valgrind). */
static void test_analyzer_new_out_of_memory(void **state)
{
	int rc;

	(void)state;
	for (long n = 0;; n++) {
		cot_analyzer *az = NULL;
		cot_error err;

		cot__alloc_fail_after(n);
		rc = cot_analyzer_new(&az, NULL, &err);
		cot__alloc_fail_after(-1);
		cot_analyzer_free(az);
		if (rc == COT_OK)
			break;
		assert_int_equal(rc, COT_ENOMEM);
		assert_true(n < 100000);
	}
}

static void test_analyze_json_out_of_memory(void **state)
{
	static const char rec[] =
		"{\"content\":[{\"type\":\"thinking\",\"thinking\":\"a\\nb"
		"\\n\\nWait, let me check: 2+2=4.\"},{\"type\":\"thinking\","
		"\"thinking\":\"c\"},{\"type\":\"text\",\"text\":"
		"\"Answer: \\\\boxed{1}\"}],\"role\":\"assistant\"}";
	cot_analyzer *az;
	cot_error err;
	int rc;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	for (long n = 0;; n++) {
		cot_result *res = NULL;

		cot__alloc_fail_after(n);
		rc = cot_result_new(&res, az, &err);
		if (!rc)
			rc = cot_analyze_json(res, rec, sizeof rec - 1, &err);
		cot__alloc_fail_after(-1);
		cot_result_free(res);
		if (rc == COT_OK)
			break;
		if (rc != COT_ENOMEM)
			print_error("allocation %ld: %s\n", n, err.message);
		assert_int_equal(rc, COT_ENOMEM);
		assert_true(n < 100000);
	}
	cot_analyzer_free(az);
}

/* printf's text of r, as number.c promises to give it */
static void real_reference(double r, char out[40])
{
	snprintf(out, 40, "%.15g", r);
	if (strtod(out, NULL) != r)
		snprintf(out, 40, "%.17g", r);
	if (!strpbrk(out, ".eEn"))
		strcat(out, ".0");
}

static void check_real(double r)
{
	char want[40], got[40];
	size_t n;

	real_reference(r, want);
	n = cot__real_text(r, got, COT__REAL_JSON);
	if (strcmp(want, got) != 0)
		print_error("%a: want %s, got %s\n", r, want, got);
	assert_string_equal(got, want);
	assert_int_equal(n, strlen(want));
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The fast path gives printf's bytes for the reals profiles hold
 * (ratios, densities, positions), near powers of ten, at the ends of
 * its range, and for arbitrary bit patterns. */
static void test_real_text_is_printfs(void **state)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	static const double edges[] = {
		1e-4, 1e-5, 0.1, 0.3, 1.0 / 3, 2.0 / 3, 0.5, 0.9999999999999999,
		9.999999999999999e14, 1e15, 999999999999999.9, 123456.789,
		0.1 + 0.2, 1e-4 * (1 + 1e-15), 5e-324, 1.7976931348623157e308,
		0.0001, 0.00010000000000000001, 99.99999999999999, 100.0,
	};

	(void)state;
	for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
		check_real(edges[i]);
		check_real(-edges[i]);
	}
	for (int a = 1; a <= 400; a++)
		for (int b = 1; b <= 400; b++) {
			check_real((double)a / b);
			check_real(1000.0 * a / b);	/* per 1,000 words */
		}
	for (int e = -6; e <= 16; e++)
		for (int d = -3; d <= 3; d++) {
			double p = strtod("1e0", NULL);

			for (int k = 0; k < (e < 0 ? -e : e); k++)
				p = e < 0 ? p / 10 : p * 10;
			check_real(p);
			check_real(nextafter(p, 0) * (1 + d * 1e-16));
			check_real(nextafter(p, 1e300));
		}
	for (int i = 0; i < 300000; i++) {
		uint64_t bits = rng_next(&s);
		double r, u = (double)(rng_next(&s) >> 11) / 9007199254740992.0;

		memcpy(&r, &bits, sizeof r);
		if (r == r && r < 1e308 && r > -1e308)
			check_real(r);
		check_real(u);
		check_real(u * pow(10, (double)(rng_next(&s) % 24) - 6));
	}
}

/* The JSON pieces written without printf, and printf into a buffer with
 * and without room: the same text as snprintf gives. */
static void test_sbuf_writers_match_printf(void **state)
{
	static const uint64_t nums[] = { 0, 7, 9, 10, 99, 100, 12345,
					 UINT64_C(18446744073709551615) };
	cot__sbuf b = COT_BUF_INIT;
	char want[400], big[300];

	(void)state;
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		b.size = 0;
		assert_int_equal(cot__add_uint(&b, nums[i]), COT_OK);
		snprintf(want, sizeof want, "%llu",
			 (unsigned long long)nums[i]);
		assert_string_equal(b.ptr, want);
	}
	b.size = 0;
	assert_int_equal(cot__add_key(&b, 0, "Latin"), COT_OK);
	assert_int_equal(cot__add_uint(&b, 3), COT_OK);
	assert_int_equal(cot__add_key(&b, ',', "Han"), COT_OK);
	assert_string_equal(b.ptr, "\"Latin\":3,\"Han\":");
	cot__sbuf_dispose(&b);

	/* from an empty buffer, a text longer than the first room */
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int round = 0; round < 2; round++) {
		assert_int_equal(cot__sbuf_addf(&b, "<%s|%d>", big, round),
				 COT_OK);
		assert_int_equal(cot__sbuf_addf(&b, "%d", 42), COT_OK);
	}
	snprintf(want, sizeof want, "<%s|0>42", big);
	assert_int_equal(b.size, 2 * strlen(want));
	assert_memory_equal(b.ptr, want, strlen(want));
	assert_string_equal(b.ptr + strlen(want) + strlen(big) + 2, "1>42");
	cot__sbuf_dispose(&b);
}

/* Every field, computed alone (cot_result_need: only the passes it
 * needs run), has the value of the full profile, on every record of
 * the fixtures: no pass may lean on one that a selection leaves out. */
typedef struct alone {
	cot_analyzer *az;
	cot_result *all, *one;
	size_t records, values;
} alone;

static void values_equal(const cot_value *a, const cot_value *b,
			 const char *name, const char *line)
{
	bool eq = a->type == b->type;

	if (eq && a->type == COT_TYPE_BOOL)
		eq = !a->b == !b->b;
	else if (eq && a->type == COT_TYPE_INT)
		eq = a->i == b->i;
	else if (eq && a->type == COT_TYPE_REAL)
		eq = a->r == b->r;
	else if (eq && (a->type == COT_TYPE_STRING ||
			a->type == COT_TYPE_JSON))
		eq = a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
	if (!eq)
		fail_msg("%s differs computed alone, in %.200s", name, line);
}

static void alone_line(const char *line, size_t len, void *ctx)
{
	alone *c = ctx;
	size_t nf = cot_field_count(c->az), traces;
	cot_error err;

	if (cot_analyze_json(c->all, line, len, &err) != COT_OK)
		return;
	traces = cot_result_traces(c->all);
	c->records++;
	for (size_t f = 0; f < nf; f++) {
		assert_int_equal(cot_result_need(c->one, &f, 1, &err), COT_OK);
		assert_int_equal(cot_analyze_json(c->one, line, len, &err),
				 COT_OK);
		assert_int_equal(cot_result_traces(c->one), traces);
		for (size_t i = 0; i < traces; i++) {
			cot_value a, b;

			assert_int_equal(cot_result_get(&a, c->all, i, f,
							&err), COT_OK);
			assert_int_equal(cot_result_get(&b, c->one, i, f,
							&err), COT_OK);
			values_equal(&a, &b, cot_field_at(c->az, f)->name,
				     line);
			c->values++;
		}
	}
}

static void alone_file(const char *path, void *ctx)
{
	size_t len;
	char *data = read_whole_file(path, &len);

	for_each_line(data, len, alone_line, ctx);
	free(data);
}

/* --fields lists: names and patterns, each field once and in registry
 * order, lists passed over by patterns under COT_FIELDS_SCALAR, an
 * unknown name or a named list an error that names it; checked against
 * a plain walk of the registry. */
static void test_fields_match_names_and_patterns(void **state)
{
	static const char *const lists[] = {
		"think.words", "think.*,closed", "closed,think.words,closed",
		"families.*.count", "*", "", "step*", "patterns.aha*",
	};
	cot_analyzer *az;
	cot_error err;
	size_t nf, *got, n;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	nf = cot_field_count(az);
	got = calloc(nf, sizeof *got);
	assert_non_null(got);
	for (size_t k = 0; k < sizeof lists / sizeof *lists; k++)
		for (unsigned flags = 0; flags <= COT_FIELDS_SCALAR; flags++) {
			size_t want = 0;

			assert_int_equal(cot_fields_match(got, &n, az,
							  lists[k], flags,
							  &err), COT_OK);
			for (size_t i = 0; i < nf; i++) {
				const cot_field_info *fi = cot_field_at(az, i);
				char buf[256];
				bool in = false;

				snprintf(buf, sizeof buf, "%s", lists[k]);
				for (char *t = strtok(buf, ","); t;
				     t = strtok(NULL, ","))
					in |= fnmatch(t, fi->name, 0) == 0;
				if (flags && fi->type == COT_TYPE_JSON)
					in = false;
				if (!in)
					continue;
				assert_true(want < n);
				assert_int_equal(got[want], i);
				want++;
			}
			assert_int_equal(n, want);
		}
	assert_int_equal(cot_fields_match(got, &n, az, "think.nosuch", 0,
					  &err), COT_EINVAL);
	assert_non_null(strstr(err.message, "think.nosuch"));
	assert_int_equal(cot_fields_match(got, &n, az, "candidates",
					  COT_FIELDS_SCALAR, &err),
			 COT_EINVAL);
	assert_non_null(strstr(err.message, "candidates"));
	for (long k = 0;; k++) {
		int rc;

		cot__alloc_fail_after(k);
		rc = cot_fields_match(got, &n, az, "think.*,closed", 0, &err);
		cot__alloc_fail_after(-1);
		if (rc == COT_OK)
			break;
		assert_int_equal(rc, COT_ENOMEM);
	}
	free(got);
	cot_analyzer_free(az);
}

/* Every product a pass reads is made by one pass before it, and a
 * schedule holds the makers of what its passes read, by a plain walk
 * over the declarations (not the scheduler's sweep). */
static void test_pass_products_are_made_before_read(void **state)
{
	size_t n = 0;

	(void)state;
	while (cot__passes[n])
		n++;
	for (size_t i = 0; i < n; i++) {
		for (unsigned bit = 1; bit; bit <<= 1) {
			size_t makers = 0, before = 0;

			if (!(cot__passes[i]->reads & bit))
				continue;
			for (size_t k = 0; k < n; k++)
				if (cot__passes[k]->makes & bit) {
					makers++;
					before += k < i;
				}
			if (makers != 1 || before != 1)
				fail_msg("pass %s reads product 0x%x, made by "
					 "%zu passes (%zu before it)",
					 cot__passes[i]->name, bit, makers,
					 before);
		}
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t set = cot__passes_schedule((uint32_t)1 << i);
		bool grew = true;

		assert_true(set & 1);	/* the core pass */
		assert_true(set >> i & 1);
		while (grew) {
			grew = false;
			for (size_t k = 0; k < n; k++)
				for (size_t j = 0; j < n; j++)
					if ((set >> k & 1) && !(set >> j & 1) &&
					    (cot__passes[j]->makes &
					     cot__passes[k]->reads)) {
						fail_msg("schedule of %s lacks %s",
							 cot__passes[i]->name,
							 cot__passes[j]->name);
						grew = true;
					}
		}
		/* and nothing else: a pass no reader needs is not run */
		for (size_t k = 1; k < n; k++) {
			bool needed = k == i;

			for (size_t j = 0; j < n; j++)
				needed |= (set >> j & 1) && j != k &&
					  (cot__passes[k]->makes &
					   cot__passes[j]->reads);
			if ((set >> k & 1) && !needed)
				fail_msg("schedule of %s runs %s for nothing",
					 cot__passes[i]->name,
					 cot__passes[k]->name);
		}
	}
}

static void test_every_field_alone_equals_full(void **state)
{
	alone c = { 0 };
	cot_error err;

	(void)state;
	assert_int_equal(cot_analyzer_new(&c.az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&c.all, c.az, &err), COT_OK);
	assert_int_equal(cot_result_new(&c.one, c.az, &err), COT_OK);
	dir_for_each_file(data_dir(), ".jsonl", alone_file, &c);
	printf("# %zu records, %zu values\n", c.records, c.values);
	assert_true(c.records > 50);
	cot_result_free(c.all);
	cot_result_free(c.one);
	cot_analyzer_free(c.az);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_field_registry_names_are_unique_and_grouped),
		cmocka_unit_test(test_profile_json_matches_every_getter),
		cmocka_unit_test(test_result_json_is_an_array_of_profiles),
		cmocka_unit_test(test_result_select_writes_only_the_chosen),
		cmocka_unit_test(test_pass_products_are_made_before_read),
		cmocka_unit_test(test_every_field_alone_equals_full),
		cmocka_unit_test(test_fields_match_names_and_patterns),
		cmocka_unit_test(test_profile_json_runs_at_rest_equal_get),
		cmocka_unit_test(test_runs_at_rest_api),
		cmocka_unit_test(test_analyze_text_rejects_invalid_utf8),
		cmocka_unit_test(test_analyze_text_replaces_invalid_utf8),
		cmocka_unit_test(
			test_analyze_text_options_give_reference_fields),
		cmocka_unit_test(
			test_result_get_strings_live_until_next_analysis),
		cmocka_unit_test(test_analyzer_rejects_bad_options),
		cmocka_unit_test(test_analyzer_new_out_of_memory),
		cmocka_unit_test(test_analyze_json_out_of_memory),
		cmocka_unit_test(test_real_text_is_printfs),
		cmocka_unit_test(test_sbuf_writers_match_printf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
