/* partial.c - a summary's whole state as one line of JSON, and back. */
#include <math.h>
#include <stdio.h>

#include <jansson.h>

#include "stats/summary.h"

/* Format 3 is format 2 with several keys in "by" (COT_SUMMARY_KEY_SEP
 * between them) and group keys that are the JSON lists of their values:
 * a partial of one key is still written as format 2, byte for byte, and
 * cotlog versions that know only format 2 refuse one of several keys
 * rather than take its list keys for values of one expression. */
#define PARTIAL_FORMAT 2
#define PARTIAL_FORMAT_KEYS 3
#define SKETCH_NAME "loglinear-6"

/* ---- writing ------------------------------------------------------- */

/* Each maker returns NULL when out of memory; jansson's packers fail
 * on a NULL value and release the values they were given, so a NULL
 * travels up to cot_summary_write_partial. */

static json_t *num_to_json(const fdef *f, const numacc *a)
{
	char sum[COT__XSUM_TEXT_MAX], sq[COT__XSUM_TEXT_MAX];
	cot__xsum xs, xq;

	if (a->n == 0)
		return json_null();
	cot__num_sums(a, &xs, &xq);
	cot__xsum_format(&xs, sum);
	cot__xsum_format(&xq, sq);
	return json_pack("{sIsIsoso sssoso}", "n", (json_int_t)a->n,
			 "nonzero", (json_int_t)a->nonzero,
			 "min", f->type == COT_TYPE_INT ?
				json_integer(a->imin) : json_real(a->rmin),
			 "max", f->type == COT_TYPE_INT ?
				json_integer(a->imax) : json_real(a->rmax),
			 "sum", sum,
			 "sq", a->sq_over ? json_null() : json_string(sq),
			 "sketch", cot__sketch_to_json(&a->sk));
}

static json_t *str_to_json(const stracc *a)
{
	json_t *vals = a->over ? json_null() : json_array();
	strval *v = a->over ? NULL : cot__sorted_values(a);

	if (!a->over && !v) {
		json_decref(vals);
		return NULL;
	}
	for (size_t k = 0; vals && v && k < a->nv; k++)
		if (json_array_append_new(vals, json_pack("[oI]",
				json_stringn_nocheck(v[k].s, v[k].len),
				(json_int_t)v[k].c))) {
			json_decref(vals);
			vals = NULL;
		}
	cot__free(v);
	return json_pack("{sIso}", "n", (json_int_t)a->n, "values", vals);
}

static json_t *group_to_json(const cot_summary *s, const group *g)
{
	json_t *vals = json_array(), *j;

	for (size_t i = 0; vals && i < s->nf; i++) {
		const fdef *f = &s->f[i];
		json_t *v;

		if (cot__numeric(f->type))
			v = num_to_json(f, &g->num[f->slot]);
		else if (f->type == COT_TYPE_BOOL)
			v = json_pack("[II]", (json_int_t)g->bl[f->slot].t,
				      (json_int_t)g->bl[f->slot].f);
		else
			v = str_to_json(&g->str[f->slot]);
		if (json_array_append_new(vals, v)) {
			json_decref(vals);
			vals = NULL;
		}
	}
	j = json_pack("{sIsIsIsIsIsIso}", "records", (json_int_t)g->records,
		      "traces", (json_int_t)g->traces,
		      "no_trace", (json_int_t)g->no_trace,
		      "tool_only", (json_int_t)g->tool_only,
		      "malformed", (json_int_t)g->malformed,
		      "by_errors", (json_int_t)g->by_errors,
		      "values", vals);
	if (j && g->key && json_object_set_new(j, "key",
			json_stringn_nocheck(g->key, g->keylen))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *partial_json(cot_summary *s)
{
	json_t *fields = json_array(), *groups = json_array();
	group **sorted = cot__sorted_groups(s);

	for (size_t i = 0; fields && i < s->nf; i++)
		if (json_array_append_new(fields, json_pack("[sss]",
				s->f[i].name,
				cot__summary_type_names[s->f[i].type],
				s->f[i].unit))) {
			json_decref(fields);
			fields = NULL;
		}
	for (size_t i = 0; groups && sorted && i < s->ng; i++)
		if (json_array_append_new(groups,
					  group_to_json(s, sorted[i]))) {
			json_decref(groups);
			groups = NULL;
		}
	if (!sorted) {
		json_decref(groups);
		groups = NULL;
	}
	cot__free(sorted);
	return json_pack("{sisssssosssososo}",
			 "cotlog_stats_partial", s->nkeys > 1 ?
			 PARTIAL_FORMAT_KEYS : PARTIAL_FORMAT,
			 "version", cot_version(), "sketch", SKETCH_NAME,
			 "by", s->by ? json_string(s->by) : json_null(),
			 "analysis", s->analysis, "fields", fields,
			 "total", group_to_json(s, &s->total),
			 "groups", groups);
}

int cot_summary_write_partial(cot_buf *out, cot_summary *s, cot_error *err)
{
	json_t *j;
	char *text;
	int rc;

	if (cot__summary_settle(s))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory "
				      "(the summary is incomplete)");
	j = partial_json(s);
	/* integers as integers, reals with 17 digits: read back exactly */
	text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	rc = text ? cot__sbuf_add(out, text, strlen(text)) : COT_ENOMEM;
	if (rc == COT_OK)
		rc = cot__sbuf_addc(out, '\n');
	free(text);
	if (rc)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	return COT_OK;
}

/* ---- reading ------------------------------------------------------- */

/* A damaged partial must not steer a write: each reader checks every
 * number before it uses it, and that the counts agree with each other.
 * Each returns COT_OK, COT_EPARSE (damaged) or COT_ENOMEM. */

static bool get_count(const json_t *j, uint64_t *out)
{
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return false;
	*out = (uint64_t)json_integer_value(j);
	return true;
}

static int num_from_json(const fdef *f, numacc *a, const json_t *j)
{
	json_t *lo, *hi, *sk, *sq;
	json_int_t n, nz;
	const char *sum;
	double dmin, dmax;
	cot__xsum xs, xq = { { 0 } };
	uint64_t mag[2];
	bool neg;
	int rc;

	if (json_is_null(j))
		return COT_OK;
	if (json_unpack((json_t *)j, "{sIsIsososssoso!}", "n", &n,
			"nonzero", &nz, "min", &lo, "max", &hi, "sum", &sum,
			"sq", &sq, "sketch", &sk) || n <= 0 || nz < 0 ||
	    nz > n)
		return COT_EPARSE;
	a->n = (uint64_t)n;
	a->nonzero = (uint64_t)nz;
	if (f->type == COT_TYPE_INT) {
		if (!json_is_integer(lo) || !json_is_integer(hi))
			return COT_EPARSE;
		a->imin = json_integer_value(lo);
		a->imax = json_integer_value(hi);
		dmin = (double)a->imin;
		dmax = (double)a->imax;
	} else {
		if (!json_is_number(lo) || !json_is_number(hi))
			return COT_EPARSE;
		a->rmin = dmin = json_number_value(lo);
		a->rmax = dmax = json_number_value(hi);
	}
	/* min and max must be values the sketch holds, at its ends */
	if (!(dmin <= dmax) || !isfinite(dmin) || !isfinite(dmax) ||
	    (nz < n && (dmin > 0 || dmax < 0)) ||
	    (nz > 0 && dmin == 0 && dmax == 0))
		return COT_EPARSE;
	if (!cot__xsum_parse(&xs, sum))
		return COT_EPARSE;
	if (json_is_null(sq))
		a->sq_over = true;
	else if (!json_is_string(sq) ||
		 !cot__xsum_parse(&xq, json_string_value(sq)))
		return COT_EPARSE;
	if (cot__xsum_value(&xq) < 0)
		return COT_EPARSE;	/* a sum of squares */
	if (f->type == COT_TYPE_REAL) {
		a->x = cot__calloc(2, sizeof *a->x);
		if (!a->x)
			return COT_ENOMEM;
		a->x[0] = xs;
		a->x[1] = xq;
	} else {	/* back into the integers they came from */
		bool qneg;

		if (a->sq_over || !cot__xsum_get_uint(&xs, mag, 2, &neg) ||
		    mag[1] >> 63 ||
		    !cot__xsum_get_uint(&xq, a->iq, 3, &qneg) || qneg)
			return COT_EPARSE;
		if (neg) {
			mag[0] = ~mag[0] + 1;
			mag[1] = ~mag[1] + (mag[0] == 0);
		}
		a->is[0] = mag[0];
		a->is[1] = mag[1];
	}
	rc = cot__sketch_from_json(&a->sk, sk);
	if (rc)
		return rc;
	return a->sk.n == a->n && a->sk.zero == a->n - a->nonzero &&
	       cot__sketch_holds_extremes(&a->sk, dmin, dmax) ? COT_OK :
	       COT_EPARSE;
}

static int str_from_json(stracc *a, const json_t *j)
{
	json_t *vals, *v;
	json_int_t n;
	size_t k;

	if (json_unpack((json_t *)j, "{sIso!}", "n", &n, "values", &vals) ||
	    n < 0)
		return COT_EPARSE;
	if (json_is_null(vals)) {
		a->n = (uint64_t)n;
		a->over = true;
		return COT_OK;
	}
	if (!json_is_array(vals) ||
	    json_array_size(vals) > COT_SUMMARY_MAX_VALUES)
		return COT_EPARSE;
	json_array_foreach(vals, k, v) {
		json_t *s = json_array_get(v, 0);
		uint64_t c;

		/* a value is listed because it was met: a count from 1, and
		 * all of them no more than n (so their sum cannot wrap) */
		if (json_array_size(v) != 2 || !json_is_string(s) ||
		    !get_count(json_array_get(v, 1), &c) || c == 0 ||
		    c > (uint64_t)n - a->n ||
		    json_string_length(s) > COT_SUMMARY_MAX_VALUE_LEN)
			return COT_EPARSE;
		if (cot__str_add(a, json_string_value(s),
				 json_string_length(s), c))
			return COT_ENOMEM;
	}
	if (a->over || a->nv != json_array_size(vals) ||
	    a->n != (uint64_t)n)
		return COT_EPARSE;	/* repeated values, or counts off */
	return COT_OK;
}

static int group_from_json(const cot_summary *s, group *g, const json_t *j,
			   bool total, const char **where)
{
	json_t *vals, *key = NULL;
	json_int_t c[6];
	uint64_t empty;

	*where = total ? "total" : "group";
	if (json_unpack((json_t *)j, total ? "{sIsIsIsIsIsIso!}" :
			"{sIsIsIsIsIsIsoso!}",
			"records", &c[0], "traces", &c[1], "no_trace", &c[2],
			"tool_only", &c[5], "malformed", &c[3], "by_errors",
			&c[4], "values", &vals, "key", &key))
		return COT_EPARSE;
	for (int i = 0; i < 6; i++)
		if (c[i] < 0)
			return COT_EPARSE;
	g->records = (uint64_t)c[0];
	g->traces = (uint64_t)c[1];
	g->no_trace = (uint64_t)c[2];
	g->malformed = (uint64_t)c[3];
	g->by_errors = (uint64_t)c[4];
	g->tool_only = (uint64_t)c[5];
	/* each record has traces or is a record with none (no_trace or
	 * tool_only); each of those has its key at most once (a group
	 * never counts by_errors). Each count is below 2^63, so empty
	 * does not wrap, and the sums are compared as differences. */
	empty = g->no_trace + g->tool_only;
	if (empty > g->records ||
	    (g->records > g->traces && g->records - g->traces > empty) ||
	    (g->by_errors && !total) ||
	    (g->by_errors > g->traces && g->by_errors - g->traces > empty))
		return COT_EPARSE;
	if (!json_is_array(vals) || json_array_size(vals) != s->nf)
		return COT_EPARSE;
	for (size_t i = 0; i < s->nf; i++) {
		const fdef *f = &s->f[i];
		json_t *v = json_array_get(vals, i);
		int rc = COT_OK;

		*where = f->name;
		/* a field has at most one value per trace */
		if (cot__numeric(f->type)) {
			rc = num_from_json(f, &g->num[f->slot], v);
			if (!rc && g->num[f->slot].n > g->traces)
				rc = COT_EPARSE;
		} else if (f->type == COT_TYPE_BOOL) {
			boolacc *b = &g->bl[f->slot];

			if (json_array_size(v) != 2 ||
			    !get_count(json_array_get(v, 0), &b->t) ||
			    !get_count(json_array_get(v, 1), &b->f) ||
			    b->t > g->traces || b->f > g->traces - b->t)
				rc = COT_EPARSE;
		} else {
			rc = str_from_json(&g->str[f->slot], v);
			if (!rc && g->str[f->slot].n > g->traces)
				rc = COT_EPARSE;
		}
		if (rc)
			return rc;
	}
	return COT_OK;
}

static cot_type type_of(const char *name)
{
	for (int t = COT_TYPE_BOOL; t <= COT_TYPE_STRING; t++)
		if (!strcmp(name, cot__summary_type_names[t]))
			return (cot_type)t;
	return COT_TYPE_NULL;
}

/* The groups of a partial, checked against its total. */
static int groups_from_json(cot_summary *s, const json_t *groups,
			    const char **where, cot_error *err)
{
	uint64_t sums[4] = { 0 };
	json_t *v;
	size_t i;
	int rc;

	json_array_foreach(groups, i, v) {
		json_t *key = json_object_get(v, "key");
		group *g;

		*where = "group key";
		if (!s->by || !json_is_string(key) ||
		    cot__group_find(s, json_string_value(key),
				    json_string_length(key)))
			return COT_EPARSE;
		/* several keys: a JSON list of that many values */
		rc = s->nkeys > 1 ? cot__key_parts(json_string_value(key),
						   json_string_length(key),
						   s->nkeys, NULL) : COT_OK;
		if (rc)
			return rc;
		g = cot__group_get(s, json_string_value(key),
				   json_string_length(key));
		if (!g && s->failed)
			return COT_ENOMEM;
		if (!g)
			return cot__error_set(err, COT_ELIMIT, 0, 0, "by %s: "
					      "more than %zu groups",
					      s->by_text, s->max_groups);
		rc = group_from_json(s, g, v, false, where);
		if (rc)
			return rc;
		/* each trace, record without one and malformed line of the
		 * total is in one group at most; a record may be in several
		 * (by its traces), each at most once */
		*where = "group counts";
		if (g->records > s->total.records ||
		    (sums[0] += g->traces) > s->total.traces ||
		    (sums[1] += g->no_trace) > s->total.no_trace ||
		    (sums[2] += g->malformed) > s->total.malformed ||
		    (sums[3] += g->tool_only) > s->total.tool_only)
			return COT_EPARSE;
	}
	/* with by, each trace and record without one has a group, or
	 * failed to get one (by_errors); malformed lines have one only
	 * with by file */
	*where = "group counts";
	if (s->by && (s->total.by_errors != (s->total.traces - sums[0]) +
		      (s->total.no_trace - sums[1]) +
		      (s->total.tool_only - sums[3]) ||
		      sums[2] != (cot__summary_by_file(s) ?
				  s->total.malformed : 0)))
		return COT_EPARSE;
	return COT_OK;
}

static int from_json(cot_summary **out, json_t *j, size_t max_groups,
		     cot_error *err)
{
	json_t *by, *fields, *total, *groups, *v;
	const char *version, *sk, *analysis, *where = "fields";
	cot_summary *s;
	json_int_t format;
	size_t i;
	int rc;

	if (json_unpack(j, "{sIsssssosssososo!}", "cotlog_stats_partial",
			&format, "version", &version, "sketch", &sk, "by", &by,
			"analysis", &analysis, "fields", &fields, "total",
			&total, "groups", &groups))
		return cot__error_set(err, COT_EPARSE, 0, 0, "not a cotlog "
				      "stats partial");
	if ((format != PARTIAL_FORMAT && format != PARTIAL_FORMAT_KEYS) ||
	    strcmp(sk, SKETCH_NAME))
		return cot__error_set(err, COT_EPARSE, 0, 0, "a partial of "
				      "another format (%lld, %s) from cotlog "
				      "%s: this is %s", (long long)format, sk,
				      version, cot_version());
	if (!(json_is_null(by) || json_is_string(by)) ||
	    !json_is_array(fields) || !json_is_array(groups))
		goto bad;
	s = *out = cot__summary_alloc(json_string_value(by), analysis);
	if (!s)
		return COT_ENOMEM;
	s->max_groups = max_groups;
	/* several keys in format 3 only, and none empty */
	where = "by";
	if ((format == PARTIAL_FORMAT_KEYS) != (s->nkeys > 1))
		goto bad;
	for (size_t k = 0; s->nkeys > 1 && k < s->nkeys; k++)
		if (!*s->keys[k])
			goto bad;
	where = "fields";
	json_array_foreach(fields, i, v) {
		const char *name, *type, *unit;
		cot_type t;

		if (json_unpack(v, "[sss!]", &name, &type, &unit) ||
		    (t = type_of(type)) == COT_TYPE_NULL)
			goto bad;
		if (cot__summary_add_field(s, name, t, unit, -1))
			return COT_ENOMEM;
	}
	if (cot__group_init(s, &s->total))
		return COT_ENOMEM;
	rc = group_from_json(s, &s->total, total, true, &where);
	if (rc == COT_OK)
		rc = groups_from_json(s, groups, &where, err);
	if (rc != COT_EPARSE)
		return rc;
bad:
	return cot__error_set(err, COT_EPARSE, 0, 0, "a damaged cotlog stats "
			      "partial (at %s)", where);
}

int cot_summary_read_partial(cot_summary **out, const char *text,
			     size_t len, size_t max_groups, cot_error *err)
{
	json_error_t je;
	json_t *j;
	int rc;

	*out = NULL;
	j = json_loadb(text, len, 0, &je);
	if (!j)
		return json_error_code(&je) == json_error_out_of_memory ?
		       cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory") :
		       cot__error_set(err, COT_EPARSE, je.line > 0 ?
				      (uint64_t)je.line : 0, je.column > 0 ?
				      (uint64_t)je.column : 0, "not a cotlog "
				      "stats partial: %s", je.text);
	rc = from_json(out, j, max_groups ? max_groups :
			      COT_SUMMARY_MAX_GROUPS, err);
	json_decref(j);
	if (rc == COT_ENOMEM)
		cot__error_set(err, rc, 0, 0, "out of memory");
	if (rc) {
		cot_summary_free(*out);
		*out = NULL;
	}
	return rc;
}
