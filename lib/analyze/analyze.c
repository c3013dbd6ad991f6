/* analyze.c - the analyzer (options, compiled once) and per-thread results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "fields/rest.h"
#include "analyze/result.h"
#include "record/unit.h"

static int compile_path(cot__path **out, const char *s, const char *opt,
			cot_error *err)
{
	int rc;

	*out = NULL;
	if (!s)
		return COT_OK;
	rc = cot__path_parse(out, s, err);
	if (rc == COT_EINVAL && err) {
		char msg[COT_ERROR_MESSAGE_MAX];

		snprintf(msg, sizeof msg, "%s: %.280s", opt, err->message);
		memcpy(err->message, msg, sizeof msg);
	}
	return rc;
}

int cot_analyzer_new(cot_analyzer **out, const cot_analyzer_options *opts,
		     cot_error *err)
{
	cot_analyzer_options defaults = COT_ANALYZER_OPTIONS_INIT;
	cot_analyzer *az;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version < 1 || opts->version > COT_ANALYZER_OPTIONS_VERSION)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "unknown analyzer options version %u",
				      opts->version);
	if (opts->untagged > COT_UNTAGGED_ANSWER)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "unknown untagged mode %d",
				      (int)opts->untagged);
	az = cot__calloc(1, sizeof *az);
	if (!az)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	az->cfg.untagged = opts->untagged;
	if ((rc = compile_path(&az->cfg.field, opts->field, "--field", err)) ||
	    (rc = compile_path(&az->cfg.answer_field, opts->answer_field,
			       "--answer-field", err)) ||
	    (rc = compile_path(&az->cfg.ref_field, opts->ref_field,
			       "--ref-field", err)))
		goto fail;
	for (const cot__pass *const *ps = cot__passes; *ps; ps++) {
		az->init_pass = (uint8_t)(ps - cot__passes);
		if ((*ps)->init && (rc = (*ps)->init(az, opts, err)))
			goto fail;
	}
	if ((rc = cot__fields_build(az))) {
		cot__error_set(err, rc, 0, 0, "out of memory");
		goto fail;
	}
	*out = az;
	return COT_OK;
fail:
	cot_analyzer_free(az);
	return rc;
}

void cot_analyzer_free(cot_analyzer *az)
{
	if (!az)
		return;
	for (const cot__pass *const *ps = cot__passes; *ps; ps++)
		if ((*ps)->fini)
			(*ps)->fini(az);
	cot__fields_free(az);
	cot__path_free(az->cfg.field);
	cot__path_free(az->cfg.answer_field);
	cot__path_free(az->cfg.ref_field);
	cot__free(az);
}

/* Run the passes asked, the makers of what they and the rows asked
 * need, and the makers of what those read. */
static void schedule(cot_result *res, uint32_t asked, unsigned needs)
{
	res->passes = cot__passes_schedule(asked |
					   cot__passes_making(needs));
	res->want = cot__passes_reads(res->passes) | needs;
}

int cot_result_new(cot_result **out, const cot_analyzer *az, cot_error *err)
{
	cot_result *res;

	*out = NULL;
	if (!az)
		return cot__error_set(err, COT_EINVAL, 0, 0, "no analyzer");
	res = cot__calloc(1, sizeof *res);
	if (!res)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	res->az = az;
	schedule(res, UINT32_MAX, az->needs);
	cot__arena_init(&res->arena);
	cot__jdoc_init(&res->doc);
	for (const cot__pass *const *ps = cot__passes; *ps; ps++)
		if ((*ps)->scratch_init &&
		    (*ps)->scratch_init(az, &res->scratch)) {
			cot_result_free(res);
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		}
	*out = res;
	return COT_OK;
}

void cot_result_free(cot_result *res)
{
	if (!res)
		return;
	for (const cot__pass *const *ps = cot__passes; *ps; ps++)
		if ((*ps)->scratch_fini)
			(*ps)->scratch_fini(&res->scratch);
	cot__arena_dispose(&res->arena);
	cot__jdoc_dispose(&res->doc);
	cot__sbuf_dispose(&res->value);
	cot__layout_free(&res->sel);
	cot__free(res->prof);
	cot__free(res);
}

static void clear(cot_result *res)
{
	res->rec_doc = NULL;
	cot__arena_reset(&res->arena);
	res->traces.v = NULL;
	res->traces.n = res->traces.cap = 0;
	res->traces.tool_only = 0;
	res->nprof = 0;
}

static int profile_all(cot_result *res, cot_error *err)
{
	size_t n = res->traces.n;

	if (n > res->capprof) {
		size_t cap = n * 2;
		cot__profile *p = cot__realloc(res->prof, cap * sizeof *p);

		if (!p)
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		res->prof = p;
		res->capprof = cap;
	}
	for (size_t i = 0; i < n; i++) {
		cot__pass_ctx c = { res->az, &res->scratch, &res->arena,
				    res->want };
		cot__profile *p = &res->prof[i];

		memset(p, 0, sizeof *p);
		res->scratch.trace++;
		p->tr = &res->traces.v[i];
		p->index = (uint32_t)i;
		p->ran = res->passes;
		for (size_t k = 0; cot__passes[k]; k++) {
			const cot__pass *ps = cot__passes[k];
			int rc = p->ran >> k & 1 && ps->run ?
				 ps->run(&c, p, err) : COT_OK;

			if (rc) {
				res->nprof = 0;
				return rc;
			}
		}
	}
	res->nprof = n;
	return COT_OK;
}

static int analyze_tok(cot_result *res, const cot__jdoc *d, uint32_t tok,
		       cot_error *err)
{
	res->rec_doc = d;
	res->rec_tok = tok;
	if (cot__adapt(&res->az->cfg, d, tok, &res->arena, &res->traces)) {
		res->traces.n = 0;
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	return profile_all(res, err);
}

int cot_analyze_unit(cot_result *res, const cot_unit *u, size_t i,
		     cot_error *err)
{
	const cot__jdoc *d;
	uint32_t tok;

	clear(res);
	if (i >= cot_unit_records(u))
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "no record %zu in this unit", i);
	d = cot__unit_doc(u, i, &tok);
	return analyze_tok(res, d, tok, err);
}

int cot_analyze_json(cot_result *res, const char *json, size_t len,
		     cot_error *err)
{
	int rc;

	clear(res);
	rc = cot__json_parse(&res->doc, json, len, err);
	if (rc)
		return rc;
	return analyze_tok(res, &res->doc, 0, err);
}

/* The offset of the first ill-formed sequence of s[0..n), SIZE_MAX if
 * there is none. */
static size_t utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (!(k = cot__utf8_len(u + i, n - i)))
			return i;
		i += k;
	}
	return SIZE_MAX;
}

/* s[0..n) in the arena with every maximal ill-formed subpart from
 * offset `from` on replaced by U+FFFD. */
static int utf8_repair(cot__arena *a, const char *s, size_t n, size_t from,
		       const char **out, size_t *outn)
{
	const unsigned char *u = (const unsigned char *)s;
	char *d;
	size_t i = from, o = from, k;
	uint32_t cp;

	/* a replaced byte grows to at most 3 */
	if (n > (SIZE_MAX - 1) / 3 || !(d = cot__arena_alloc(a, 3 * n + 1)))
		return COT_ENOMEM;
	memcpy(d, s, from);
	while (i < n) {
		if (u[i] < 0x80) {
			d[o++] = s[i++];
			continue;
		}
		k = cot__utf8_next(u + i, n - i, &cp);
		if (cp == COT__UTF8_BAD) {
			memcpy(d + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(d + o, s + i, k);
			o += k;
		}
		i += k;
	}
	d[o] = '\0';
	*out = d;
	*outn = o;
	return COT_OK;
}

/* One string the caller handed in, checked (or repaired) as UTF-8 into
 * *t; what names it in an error message. */
static int text_in(cot_result *res, cot__text *t, const char *s, size_t n,
		   unsigned flags, const char *what, cot_error *err)
{
	size_t bad = utf8_invalid_at(s, n);

	t->p = s;
	t->n = n;
	if (bad == SIZE_MAX)
		return COT_OK;
	if (!(flags & COT_TEXT_REPLACE_INVALID))
		return cot__error_set(err, COT_EINVAL, 0, bad + 1,
				      "invalid UTF-8 in the %s at byte %zu",
				      what, bad + 1);
	if (utf8_repair(&res->arena, s, n, bad, &t->p, &t->n))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	return COT_OK;
}

int cot_analyze_text(cot_result *res, const char *text, size_t len,
		     const cot_text_options *opts, cot_error *err)
{
	static const cot_text_options none = COT_TEXT_OPTIONS_INIT;
	cot__trace *t = &res->text_trace;
	cot__text s;
	int rc;

	clear(res);
	if (!opts)
		opts = &none;
	if (opts->version != COT_TEXT_OPTIONS_VERSION)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "unknown text options version %u",
				      opts->version);
	memset(t, 0, sizeof *t);
	t->label = -1;
	if ((rc = text_in(res, &s, text, len, opts->flags, "text", err)))
		return rc;
	if ((opts->ref && (rc = text_in(res, &t->ref, opts->ref,
					strlen(opts->ref), opts->flags,
					"reference answer", err))) ||
	    (opts->finish_reason &&
	     (rc = text_in(res, &t->finish_reason, opts->finish_reason,
			   strlen(opts->finish_reason), opts->flags,
			   "finish reason", err))) ||
	    (opts->model && (rc = text_in(res, &t->model, opts->model,
					  strlen(opts->model), opts->flags,
					  "model", err))))
		return rc;
	cot__trace_from_text(t, "string", s.p, s.n,
			     res->az->cfg.untagged == COT_UNTAGGED_ANSWER);
	res->traces.v = t;
	res->traces.n = 1;
	return profile_all(res, err);
}

size_t cot_result_traces(const cot_result *res)
{
	return res->nprof;
}

size_t cot_result_tool_only(const cot_result *res)
{
	return res->traces.tool_only;
}

const char *cot_result_reasoning(const cot_result *res, size_t i,
				 size_t *len)
{
	if (i >= res->nprof) {
		*len = 0;
		return NULL;
	}
	*len = res->traces.v[i].reasoning.n;
	return res->traces.v[i].reasoning.p;
}

const char *cot_result_answer(const cot_result *res, size_t i, size_t *len)
{
	if (i >= res->nprof) {
		*len = 0;
		return NULL;
	}
	*len = res->traces.v[i].answer.n;
	return res->traces.v[i].answer.p;
}

int cot_result_get(cot_value *out, cot_result *res, size_t i, size_t field,
		   cot_error *err)
{
	const cot__field *f;
	char *s;

	memset(out, 0, sizeof *out);
	if (i >= res->nprof || field >= res->az->nfields)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      i >= res->nprof ? "no trace %zu" :
				      "no field %zu", i >= res->nprof ? i :
				      field);
	f = res->az->fields[field];
	if (!(res->prof[i].ran >> res->az->field_pass[field] & 1))
		return COT_OK;	/* not asked for: null */
	if (!f->json) {
		f->get(&res->prof[i], f, out);
		return COT_OK;
	}
	/* written once, then kept in the record's arena, so that the text
	 * outlives the next get */
	res->value.size = 0;
	if (f->json(&res->prof[i], f, &res->value) ||
	    !(s = cot__arena_alloc(&res->arena, res->value.size + 1)))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	memcpy(s, res->value.ptr, res->value.size);
	s[res->value.size] = '\0';
	out->type = COT_TYPE_JSON;
	out->s = s;
	out->len = res->value.size;
	return COT_OK;
}

int cot__result_at_rest(const cot_result *res, size_t i, size_t field)
{
	const cot__field *f;

	if (i >= res->nprof || field >= res->az->nfields)
		return 0;
	f = res->az->fields[field];
	return f->at_rest &&
	       (res->prof[i].ran >> res->az->field_pass[field] & 1) &&
	       f->at_rest(&res->prof[i], f);
}

/* The fields a JSON profile holds: those of cot_result_select, or all. */
static const cot__layout *layout(const cot_result *res)
{
	return res->sel.keys ? &res->sel : &res->az->json;
}

int cot_result_profile_json(cot_buf *out, const cot_result *res, size_t i,
			    cot_error *err)
{
	if (i >= res->nprof)
		return cot__error_set(err, COT_EINVAL, 0, 0, "no trace %zu", i);
	if (cot__profile_json(layout(res), &res->prof[i], out))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	return COT_OK;
}

int cot_result_json(cot_buf *out, const cot_result *res, cot_error *err)
{
	int rc = cot__sbuf_addc(out, '[');

	for (size_t i = 0; i < res->nprof && !rc; i++) {
		if (i)
			rc = cot__sbuf_addc(out, ',');
		rc = rc ? rc : cot__profile_json(layout(res),
						 &res->prof[i], out);
	}
	if (rc || cot__sbuf_addc(out, ']'))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	return COT_OK;
}

/* Whether every index of fields[0..n) names a field of az. */
static int check_fields(const cot_analyzer *az, const size_t *fields,
			size_t n, cot_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (fields[i] >= az->nfields)
			return cot__error_set(err, COT_EINVAL, 0, 0,
					      "no field %zu", fields[i]);
	return COT_OK;
}

int cot_result_need(cot_result *res, const size_t *fields, size_t n,
		    cot_error *err)
{
	uint32_t asked = 0;
	unsigned needs = 0;

	if (!fields) {
		asked = UINT32_MAX;
		needs = res->az->needs;
	} else {
		if (check_fields(res->az, fields, n, err))
			return COT_EINVAL;
		for (size_t i = 0; i < n; i++) {
			asked |= (uint32_t)1 << res->az->field_pass[fields[i]];
			needs |= res->az->fields[fields[i]]->needs;
		}
	}
	schedule(res, asked, needs);
	return COT_OK;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

int cot_result_select(cot_result *res, const size_t *fields, size_t n,
		      cot_error *err)
{
	cot__layout l;
	size_t *v;
	size_t k = 0;
	int rc;

	if (!fields) {
		cot__layout_free(&res->sel);
		return cot_result_need(res, NULL, 0, err);
	}
	if (check_fields(res->az, fields, n, err))
		return COT_EINVAL;
	/* registry order, each once: rows sharing a prefix must stand
	 * together for the nesting */
	v = cot__malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	if (n)
		memcpy(v, fields, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_size);
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	/* on failure the selection in force stays */
	rc = cot__layout_build(&l, res->az, v, k);
	cot__free(v);
	if (rc)
		return cot__error_set(err, rc, 0, 0, "out of memory");
	cot__layout_free(&res->sel);
	res->sel = l;
	return cot_result_need(res, res->sel.idx, k, err);
}
