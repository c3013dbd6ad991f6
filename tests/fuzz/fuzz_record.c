/* fuzz_record.c - libFuzzer target: one record through the whole record
 * path: shape detection (adapters), tag dialects, every pass and the
 * profile writer.
 *
 * Input: a byte of options (how untagged text is read, the n-gram
 * size), two bytes that choose the field to ask for alone, then a JSON
 * value. Checked:
 * the profiles are JSON that jansson reads, one per trace; every field
 * of every trace reads through cot_result_get as a value of its
 * registry type (or null) equal to what the JSON profile holds; the one
 * field chosen, computed alone (cot_result_need), has the same value as
 * in the full profile; steps and hits lie inside the reasoning, in
 * order. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cotlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

enum { UNTAGGED = 3, NGRAMS = 2 };
static cot_analyzer *az[UNTAGGED * NGRAMS];
static cot_result *all[UNTAGGED * NGRAMS], *one[UNTAGGED * NGRAMS];

static void setup(void)
{
	cot_error err;

	if (az[0])
		return;
	for (int k = 0; k < UNTAGGED * NGRAMS; k++) {
		cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;

		o.untagged = (cot_untagged)(k % UNTAGGED);
		o.ngram = k / UNTAGGED ? 2 : 0;
		CHECK(cot_analyzer_new(&az[k], &o, &err) == COT_OK);
		CHECK(cot_result_new(&all[k], az[k], &err) == COT_OK);
		CHECK(cot_result_new(&one[k], az[k], &err) == COT_OK);
	}
}

/* The value at a dotted name in a profile object. */
static json_t *at_name(json_t *p, const char *name)
{
	char key[256];

	while (p) {
		size_t n = strcspn(name, ".");

		CHECK(n < sizeof key);
		memcpy(key, name, n);
		key[n] = '\0';
		p = json_object_get(p, key);
		if (!name[n])
			return p;
		name += n + 1;
	}
	return NULL;
}

static void same_as_json(const cot_value *v, json_t *j)
{
	CHECK(j != NULL);
	switch (v->type) {
	case COT_TYPE_NULL:
		CHECK(json_is_null(j));
		break;
	case COT_TYPE_BOOL:
		CHECK(json_is_boolean(j) && !json_is_true(j) == !v->b);
		break;
	case COT_TYPE_INT:
		CHECK(json_is_integer(j) && json_integer_value(j) == v->i);
		break;
	case COT_TYPE_REAL:
		/* a whole real may be written without a fraction */
		CHECK(json_is_number(j) && json_number_value(j) == v->r);
		break;
	case COT_TYPE_STRING:
		CHECK(json_is_string(j) && json_string_length(j) == v->len &&
		      memcmp(json_string_value(j), v->s, v->len) == 0);
		break;
	case COT_TYPE_JSON: {
		json_error_t je;
		json_t *x = json_loadb(v->s, v->len, JSON_ALLOW_NUL, &je);

		CHECK(x && json_equal(x, j));
		json_decref(x);
		break;
	}
	}
}

static void same_value(const cot_value *a, const cot_value *b)
{
	CHECK(a->type == b->type);
	switch (a->type) {
	case COT_TYPE_BOOL:
		CHECK(!a->b == !b->b);
		break;
	case COT_TYPE_INT:
		CHECK(a->i == b->i);
		break;
	case COT_TYPE_REAL:
		CHECK(a->r == b->r || (isnan(a->r) && isnan(b->r)));
		break;
	case COT_TYPE_STRING:
	case COT_TYPE_JSON:
		CHECK(a->len == b->len && memcmp(a->s, b->s, a->len) == 0);
		break;
	default:
		break;
	}
}

static void check_steps(cot_result *res, size_t i, size_t len)
{
	cot_error err;

	for (int by = COT_BY_PARAGRAPH; by <= COT_BY_THOUGHT; by++) {
		size_t n = cot_result_step_count(res, i, (cot_by)by), end = 0;

		for (size_t k = 0; k < n; k++) {
			cot_step s;

			CHECK(cot_result_step(&s, res, i, (cot_by)by, k,
					      &err) == COT_OK);
			CHECK(s.start >= end && s.start < s.end &&
			      s.end <= len);
			CHECK(cot_function_name(s.function) != NULL);
			end = s.end;
		}
	}
}

static void check_hits(cot_result *res, size_t i, size_t len)
{
	size_t n = cot_result_hit_count(res, i);
	cot_error err;
	cot_hit prev = { 0 };

	for (size_t k = 0; k < n; k++) {
		cot_hit h;

		CHECK(cot_result_hit(&h, res, i, k, &err) == COT_OK);
		CHECK(h.len > 0 && h.off <= len && h.len <= len - h.off);
		if (k)
			CHECK(prev.off < h.off || (prev.off == h.off &&
						   prev.pattern < h.pattern));
		prev = h;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cot_buf out = COT_BUF_INIT;
	json_error_t je;
	json_t *profiles;
	cot_error err;
	size_t nf, chosen, traces;
	int k, rc;

	if (size < 3)
		return 0;
	setup();
	k = data[0] % (UNTAGGED * NGRAMS);
	nf = cot_field_count(az[k]);
	chosen = ((size_t)data[1] << 8 | data[2]) % nf;
	CHECK(cot_result_need(one[k], &chosen, 1, &err) == COT_OK);
	rc = cot_analyze_json(all[k], (const char *)data + 3, size - 3, &err);
	CHECK(rc == COT_OK || rc == COT_EPARSE);
	if (rc != COT_OK)
		return 0;
	traces = cot_result_traces(all[k]);
	CHECK(cot_analyze_json(one[k], (const char *)data + 3, size - 3,
			       &err) == COT_OK);
	CHECK(cot_result_traces(one[k]) == traces);
	CHECK(cot_result_json(&out, all[k], &err) == COT_OK);
	profiles = json_loadb(out.ptr, out.size, JSON_ALLOW_NUL, &je);
	CHECK(profiles && json_array_size(profiles) == traces);
	for (size_t i = 0; i < traces; i++) {
		json_t *p = json_array_get(profiles, i);
		size_t len;
		cot_value v, w;

		for (size_t f = 0; f < nf; f++) {
			const cot_field_info *fi = cot_field_at(az[k], f);

			CHECK(cot_result_get(&v, all[k], i, f, &err) ==
			      COT_OK);
			CHECK(v.type == COT_TYPE_NULL || v.type == fi->type);
			same_as_json(&v, at_name(p, fi->name));
			if (f == chosen) {
				CHECK(cot_result_get(&w, one[k], i, f,
						     &err) == COT_OK);
				same_value(&v, &w);
			}
		}
		(void)cot_result_reasoning(all[k], i, &len);
		check_steps(all[k], i, len);
		check_hits(all[k], i, len);
	}
	json_decref(profiles);
	cot_buf_dispose(&out);
	return 0;
}
