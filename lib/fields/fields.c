/* fields.c - the one registry of profile fields, and their JSON output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passes/pass.h"
#include "fields/rest.h"

/* Every profile field is a row here: its name, type, unit, exact
 * definition and how to read it. The JSON profile, --where names, stats
 * columns, `cotlog fields` and the docs all come from this table, so a
 * field is added once and appears everywhere. Dotted names nest in JSON
 * ("think.words" is "think":{"words":...}); rows sharing a prefix must
 * stand together. */

void cot__set_text(cot_value *v, const char *s, size_t n)
{
	if (!s) {
		v->type = COT_TYPE_NULL;
		return;
	}
	v->type = COT_TYPE_STRING;
	v->s = s;
	v->len = n;
}

#define set_int(v, i) cot__set_int(v, (int64_t)(i))
#define set_bool cot__set_bool
#define set_text cot__set_text

#define GET(name, body) \
	static void get_##name(const cot__profile *p, const cot__field *f, \
			       cot_value *v) \
	{ \
		(void)f; \
		body; \
	}

GET(format, set_text(v, p->tr->format, strlen(p->tr->format)))
GET(index, set_int(v, p->index))
GET(tagged, set_bool(v, p->tr->tagged))
GET(closed, set_bool(v, p->tr->closed))
GET(dialect, p->tr->dialect < 0 ? set_text(v, NULL, 0) :
	set_text(v, cot__dialects[p->tr->dialect].name,
		 strlen(cot__dialects[p->tr->dialect].name)))
GET(prefilled, set_bool(v, p->tr->prefilled))
GET(think_blocks, set_int(v, p->tr->think_blocks))
GET(redacted, set_int(v, p->tr->redacted))
GET(preamble_bytes, set_int(v, p->tr->preamble))
GET(preamble_tokens, if (p->has_tokens) set_int(v, p->preamble_tokens))
GET(think_tokens, if (p->has_tokens) set_int(v, p->think_tokens))
GET(answer_tokens, if (p->has_tokens) set_int(v, p->answer_tokens))
GET(think_bytes, set_int(v, p->think.bytes))
GET(think_chars, set_int(v, p->think.chars))
GET(think_words, set_int(v, p->think.words))
GET(answer_bytes, set_int(v, p->answer.bytes))
GET(answer_chars, set_int(v, p->answer.chars))
GET(answer_words, set_int(v, p->answer.words))
GET(steps, set_int(v, p->think.steps))
GET(answer_extracted, set_text(v, p->has_boxed ? p->boxed.p : NULL,
			       p->boxed.n))
GET(finish_reason, set_text(v, p->tr->finish_reason.p,
			    p->tr->finish_reason.n))
GET(model, set_text(v, p->tr->model.p, p->tr->model.n))
GET(ref, set_text(v, p->tr->ref.p, p->tr->ref.n))
GET(label, if (p->tr->label < 0) v->type = COT_TYPE_NULL;
	else set_bool(v, p->tr->label))

/* The core fields (lengths, steps, \boxed) and what the adapters found: the rows of
 * the core pass (core.c). */
const cot__field cot__core_fields[] = {
	COT__ROW("format", STRING, "", get_format, 0,
	    "the record shape (adapter) the trace was found by: inspect, "
	    "openai-chat, openai-responses, anthropic, gemini, bedrock, "
	    "message, openr1, skythought, chat, sharegpt, columns, text, "
	    "string, field"),
	COT__ROW("index", INT, "", get_index, 0,
	    "trace index within the record, from 0"),
	COT__ROW("tagged", BOOL, "", get_tagged, 0,
	    "a dialect marker was found, or the reasoning came from a "
	    "structured field"),
	COT__ROW("closed", BOOL, "", get_closed, 0,
	    "the reasoning ended by a close marker, or came from a "
	    "structured field"),
	COT__ROW("dialect", STRING, "", get_dialect, 0,
	    "the tag dialect found in the text (think, thought, im_think, "
	    "mistral, kimi, seed, harmony); null when the reasoning came "
	    "from a structured field or no marker was found"),
	COT__ROW("prefilled", BOOL, "", get_prefilled, 0,
	    "the text has a close marker with no open marker before it "
	    "(the chat template prefilled the open marker)"),
	COT__ROW("think_blocks", INT, "blocks", get_think_blocks, 0,
	    "reasoning blocks: for tags, 1 + open markers after the first "
	    "block (their text stays in the answer); for structured "
	    "fields, the pieces joined; 0 when untagged"),
	COT__ROW("redacted", INT, "blocks", get_redacted, 0,
	    "redacted or encrypted reasoning blocks, counted, not read "
	    "(Anthropic redacted_thinking, OpenRouter reasoning.encrypted, "
	    "Responses encrypted_content without summary, Bedrock "
	    "redactedContent)"),
	COT__ROW("preamble.bytes", INT, "bytes", get_preamble_bytes, 0,
	    "bytes before the first open marker (a logged prompt or chat "
	    "template); neither reasoning nor answer"),
	COT__ROW_TOKENS("preamble.tokens", INT, "tokens", get_preamble_tokens,
	    0, "tokens of the preamble by the tokenizer (--tokenizer: "
	    "Hugging Face tokenizers' encode without special tokens, the "
	    "text as a text of its own); null without a tokenizer"),
	COT__ROW("think.bytes", INT, "bytes", get_think_bytes, 0,
	    "UTF-8 bytes of the reasoning text"),
	COT__ROW("think.chars", INT, "chars", get_think_chars, 0,
	    "Unicode code points of the reasoning text"),
	COT__ROW("think.words", INT, "words", get_think_words, 0,
	    "maximal runs of non-White_Space characters in the reasoning "
	    "(White_Space: U+0009-000D, U+0020, U+0085, U+00A0, U+1680, "
	    "U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000)"),
	COT__ROW_TOKENS("think.tokens", INT, "tokens", get_think_tokens, 0,
	    "tokens of the reasoning text (without its markers) by the "
	    "tokenizer; null without one"),
	COT__ROW("answer.bytes", INT, "bytes", get_answer_bytes, 0,
	    "UTF-8 bytes of the answer text"),
	COT__ROW("answer.chars", INT, "chars", get_answer_chars, 0,
	    "Unicode code points of the answer text"),
	COT__ROW("answer.words", INT, "words", get_answer_words, 0,
	    "maximal runs of non-White_Space characters in the answer"),
	COT__ROW_TOKENS("answer.tokens", INT, "tokens", get_answer_tokens, 0,
	    "tokens of the answer text by the tokenizer; null without one"),
	COT__ROW("steps", INT, "paragraphs", get_steps, 0,
	    "paragraphs of the reasoning: maximal runs of LF-separated "
	    "lines that hold a non-White_Space character; 0 when empty"),
	COT__ROW("answer_extracted", STRING, "", get_answer_extracted, 0,
	    "content of the last-starting \\boxed{...} or \\fbox{...} "
	    "(white space allowed before '{') whose braces balance, in the "
	    "answer, else in the reasoning; unchanged; null when none"),
	COT__ROW("finish_reason", STRING, "", get_finish_reason, 0,
	    "why generation stopped, as the record says (finish_reason, "
	    "finishReason, stop_reason, stopReason, done_reason, "
	    "finish_reasons[i], Responses incomplete_details.reason or "
	    "status); null when not said"),
	COT__ROW("model", STRING, "", get_model, 0,
	    "the model named by the record (model, modelVersion, "
	    "model_name); null when not said"),
	COT__ROW("ref", STRING, "", get_ref, 0,
	    "reference answer from the record (ground_truth, gt, "
	    "reference_answer, reference, gold_answer, gold, target, "
	    "answer; or --ref-field), a number as written; null when none"),
	COT__ROW("label", BOOL, "", get_label, 0,
	    "the record's own correctness label (is_correct, correct, "
	    "correctness, correctness_math_verify[i], score); null when "
	    "none"),
	COT__FIELDS_END
};

/* The rows every analyzer has: each pass's table, in pass order. */
static const cot__field *static_row(size_t i)
{
	for (const cot__pass *const *ps = cot__passes; *ps; ps++) {
		const cot__field *f = (*ps)->fields;

		for (; f && f->info.name; f++)
			if (i-- == 0)
				return f;
	}
	return NULL;
}

static const cot__field *row(const cot_analyzer *az, size_t i)
{
	if (!az)
		return static_row(i);
	return i < az->nfields ? az->fields[i] : NULL;
}

size_t cot_field_count(const cot_analyzer *az)
{
	size_t n = 0;

	if (az)
		return az->nfields;
	while (static_row(n))
		n++;
	return n;
}

const cot_field_info *cot_field_at(const cot_analyzer *az, size_t i)
{
	const cot__field *f = row(az, i);

	return f ? &f->info : NULL;
}

size_t cot__field_run(const cot_analyzer *az, size_t i)
{
	const cot__field *f = row(az, i);

	return f && f->at_rest ? f->rest_rows : 0;
}

const char *cot__field_rest(const cot_analyzer *az, size_t i)
{
	const cot__field *f = row(az, i);

	return f ? f->rest : NULL;
}

int cot_field_find(size_t *out, const cot_analyzer *az, const char *name,
		   cot_error *err)
{
	const cot__field *f;

	*out = SIZE_MAX;
	for (size_t i = 0; (f = row(az, i)); i++)
		if (!strcmp(f->info.name, name)) {
			*out = i;
			return COT_OK;
		}
	return cot__error_set(err, COT_EINVAL, 0, 0, "unknown field '%.200s'",
			      name);
}

int cot__field_add(cot_analyzer *az, const char *name, cot_type type,
		   const char *unit, const char *doc, cot__getter get,
		   int arg, int arg2)
{
	cot__field *f;

	if (az->ndyn == az->capdyn) {
		size_t cap = az->capdyn ? az->capdyn * 2 : 16;
		cot__field *d = cot__realloc(az->dyn, cap * sizeof *d);

		if (!d)
			return COT_ENOMEM;
		az->dyn = d;
		az->capdyn = cap;
	}
	if (az->ndyn % 16 == 0) {
		uint8_t *dp = cot__realloc(az->dyn_pass, az->ndyn + 16);

		if (!dp)
			return COT_ENOMEM;
		az->dyn_pass = dp;
	}
	az->dyn_pass[az->ndyn] = az->init_pass;
	f = &az->dyn[az->ndyn];
	memset(f, 0, sizeof *f);
	f->info.type = type;
	f->get = get;
	f->arg = arg;
	f->arg2 = arg2;
	f->info.name = cot__strdup(name);
	f->info.unit = cot__strdup(unit);
	f->info.doc = cot__strdup(doc);
	az->ndyn++;
	if (!f->info.name || !f->info.unit || !f->info.doc)
		return COT_ENOMEM;
	return COT_OK;
}

/* Freeze the registry of az: the static rows, then its own. */
int cot__fields_build(cot_analyzer *az)
{
	size_t n = cot_field_count(NULL);

	az->fields = cot__malloc((n + az->ndyn + 1) * sizeof *az->fields);
	if (!az->fields)
		return COT_ENOMEM;
	for (size_t i = 0; i < n; i++)
		az->fields[i] = static_row(i);
	for (size_t i = 0; i < az->ndyn; i++)
		az->fields[n + i] = &az->dyn[i];
	az->nstatic = n;
	az->nfields = n + az->ndyn;
	for (size_t i = 0; i < az->nfields; i++)
		az->needs |= az->fields[i]->needs;
	az->field_pass = cot__malloc(az->nfields + 1);
	if (!az->field_pass)
		return COT_ENOMEM;
	{
		size_t i = 0;
		uint8_t k = 0;

		for (const cot__pass *const *ps = cot__passes; *ps;
		     ps++, k++)
			for (const cot__field *f = (*ps)->fields;
			     f && f->info.name; f++)
				az->field_pass[i++] = k;
		for (size_t d = 0; d < az->ndyn; d++)
			az->field_pass[i++] = az->dyn_pass[d];
		az->npasses = k;
	}
	return cot__layout_build(&az->json, az, NULL, 0);
}

void cot__fields_free(cot_analyzer *az)
{
	for (size_t i = 0; i < az->ndyn; i++) {
		cot__free((char *)az->dyn[i].info.name);
		cot__free((char *)az->dyn[i].info.unit);
		cot__free((char *)az->dyn[i].info.doc);
	}
	cot__free(az->dyn);
	cot__free(az->fields);
	cot__layout_free(&az->json);
	cot__free(az->field_pass);
	cot__free(az->dyn_pass);
}

/* Length of the dotted prefix shared by two names, in whole components
 * ("think.words" and "think.bytes" share "think."). */
static size_t shared_prefix(const char *a, const char *b)
{
	size_t i = 0, last = 0;

	while (a[i] && a[i] == b[i]) {
		if (a[i] == '.')
			last = i + 1;
		i++;
	}
	return last;
}

enum { SCALAR_MAX = 48 };	/* the longest text put_scalar writes */
enum { KEY_COPY = 32 };

/* A number, boolean or null as JSON text at q, which has room for
 * SCALAR_MAX bytes: its length, or 0 when v is a string or JSON. Reals
 * are the shortest of %.15g and %.17g that reads back as the same
 * double (number.c), so a JSON reader gets exactly the value
 * cot_result_get gives. */
size_t cot__put_uint(char *q, uint64_t u)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930"
		"31323334353637383940414243444546474849505152535455565758596061"
		"6263646566676869707172737475767778798081828384858687888990919293"
		"949596979899";
	size_t n = 1;

	/* the digits are written from the last, two at a time, straight
	 * into place */
	for (uint64_t t = u; t >= 10; t /= 10)
		n++;
	for (size_t i = n; i >= 2; i -= 2, u /= 100)
		memcpy(q + i - 2, pairs + 2 * (u % 100), 2);
	if (n & 1)
		q[0] = (char)('0' + u);
	return n;
}

int cot__add_uint(cot__sbuf *b, uint64_t v)
{
	if (cot__sbuf_reserve(b, 20))
		return COT_ENOMEM;
	b->size += cot__put_uint(b->ptr + b->size, v);
	b->ptr[b->size] = '\0';
	return COT_OK;
}

int cot__add_key(cot__sbuf *b, char sep, const char *name)
{
	size_t n = strlen(name);

	if (cot__sbuf_reserve(b, n + 4))
		return COT_ENOMEM;
	if (sep)
		b->ptr[b->size++] = sep;
	b->ptr[b->size++] = '"';
	memcpy(b->ptr + b->size, name, n);
	b->size += n;
	b->ptr[b->size++] = '"';
	b->ptr[b->size++] = ':';
	b->ptr[b->size] = '\0';
	return COT_OK;
}

static size_t put_scalar(char *q, const cot_value *v)
{
	uint64_t u;
	size_t n = 0;

	switch (v->type) {
	case COT_TYPE_NULL:
		memcpy(q, "null", 4);
		return 4;
	case COT_TYPE_BOOL:
		memcpy(q, v->b ? "true" : "false", v->b ? 4 : 5);
		return v->b ? 4 : 5;
	case COT_TYPE_INT:
		u = v->i < 0 ? 0 - (uint64_t)v->i : (uint64_t)v->i;
		break;
	case COT_TYPE_REAL:
		/* JSON has no NaN or infinity */
		if (v->r != v->r || v->r > 1e308 || v->r < -1e308) {
			memcpy(q, "null", 4);
			return 4;
		}
		/* most reals of a profile are whole (0 where nothing
		 * matched): an integer with ".0" */
		if (!(v->r == (double)(int64_t)v->r && v->r > -1e15 &&
		      v->r < 1e15))
			return cot__real_text(v->r, q, COT__REAL_JSON);
		u = v->r < 0 ? 0 - (uint64_t)(int64_t)v->r :
			       (uint64_t)(int64_t)v->r;
		break;
	default:
		return 0;
	}
	if (v->type == COT_TYPE_INT ? v->i < 0 : v->r < 0)
		q[n++] = '-';
	n += cot__put_uint(q + n, u);
	if (v->type == COT_TYPE_REAL) {
		memcpy(q + n, ".0", 2);
		n += 2;
	}
	return n;
}

int cot__value_json(cot__sbuf *b, const cot_value *v)
{
	size_t n;

	if (v->type == COT_TYPE_STRING)
		return cot__json_escape(b, v->s, v->len, 0);
	if (v->type == COT_TYPE_JSON)
		return cot__sbuf_add(b, v->s, v->len);
	if (cot__sbuf_reserve(b, SCALAR_MAX))
		return COT_ENOMEM;
	n = put_scalar(b->ptr + b->size, v);
	if (!n)
		return COT_ERROR;
	b->size += n;
	b->ptr[b->size] = '\0';
	return COT_OK;
}

/* The text before each field's value: "{" or ",", the closing braces
 * of the objects the previous name had and this one has not, the
 * opening keys of the objects this one adds, and its own key. The last
 * entry closes every open object and the profile. The fields are
 * idx[0..n) (ascending), or all of az's when idx is NULL. */
/* The text of each run at rest that stands whole in l: keys and
 * resting values, from the run's first key to its last value. */
static int rest_runs(cot__layout *l, const cot_analyzer *az)
{
	cot__sbuf b = COT_BUF_INIT;
	int rc = COT_OK;

	l->rest_off = cot__malloc((l->n + 1) * sizeof *l->rest_off);
	if (!l->rest_off)
		return COT_ENOMEM;
	for (size_t i = 0; i < l->n && !rc; i++) {
		size_t k = l->idx ? l->idx[i] : i;
		const cot__field *f = az->fields[k];
		size_t r = f->at_rest ? f->rest_rows : 0, j;

		l->rest_off[i] = b.size;
		/* every row of the run, in a row, in this layout */
		for (j = 1; j < r && i + j < l->n; j++)
			if ((l->idx ? l->idx[i + j] : i + j) != k + j)
				break;
		if (r == 0 || j < r || i + r > l->n)
			continue;
		for (j = 0; j < r && !rc; j++) {
			const char *v = az->fields[k + j]->rest;

			rc = cot__sbuf_add(&b, l->keys + l->off[i + j],
					   l->off[i + j + 1] - l->off[i + j]);
			rc = rc ? rc : cot__sbuf_add(&b, v, strlen(v));
		}
	}
	l->rest_off[l->n] = b.size;
	l->rest_text = b.ptr;
	return rc;
}

int cot__layout_build(cot__layout *l, const cot_analyzer *az,
		      const size_t *idx, size_t n)
{
	cot__sbuf b = COT_BUF_INIT;
	const char *prev = "";
	int rc = COT_OK;

	memset(l, 0, sizeof *l);
	l->n = idx ? n : az->nfields;
	l->off = cot__malloc((l->n + 2) * sizeof *l->off);
	if (idx) {
		l->idx = cot__malloc((n ? n : 1) * sizeof *l->idx);
		if (l->idx && n)
			memcpy(l->idx, idx, n * sizeof *idx);
	}
	l->rows = cot__malloc((l->n ? l->n : 1) * sizeof *l->rows);
	l->pass = cot__malloc(l->n ? l->n : 1);
	if (!l->off || (idx && !l->idx) || !l->rows || !l->pass) {
		cot__layout_free(l);
		return COT_ENOMEM;
	}
	for (size_t i = 0; i < l->n; i++) {
		size_t k = idx ? idx[i] : i;

		l->rows[i] = *az->fields[k];
		l->pass[i] = az->field_pass[k];
	}
	for (size_t i = 0; i < l->n && !rc; i++) {
		const char *name = az->fields[idx ? idx[i] : i]->info.name;
		size_t keep = shared_prefix(prev, name);
		const char *leaf = strrchr(name, '.');

		l->off[i] = b.size;
		rc = cot__sbuf_addc(&b, i ? ',' : '{');
		/* ',' after the closing braces, not before */
		if (!rc && i) {
			b.size--;
			for (const char *q = prev + keep; *q && !rc; q++)
				if (*q == '.')
					rc = cot__sbuf_addc(&b, '}');
			rc = rc ? rc : cot__sbuf_addc(&b, ',');
		}
		for (const char *q = name + keep, *dot;
		     !rc && (dot = strchr(q, '.')); q = dot + 1) {
			rc = cot__json_escape(&b, q, (size_t)(dot - q), 0);
			rc = rc ? rc : cot__sbuf_add(&b, ":{", 2);
		}
		leaf = leaf ? leaf + 1 : name;
		rc = rc ? rc : cot__json_escape(&b, leaf, strlen(leaf), 0);
		rc = rc ? rc : cot__sbuf_addc(&b, ':');
		prev = name;
	}
	l->off[l->n] = b.size;
	if (!rc && !l->n)
		rc = cot__sbuf_addc(&b, '{');
	for (const char *q = prev; *q && !rc; q++)
		if (*q == '.')
			rc = cot__sbuf_addc(&b, '}');
	rc = rc ? rc : cot__sbuf_addc(&b, '}');
	l->off[l->n + 1] = b.size;
	/* KEY_COPY readable bytes past the last key (cot__profile_json) */
	if (!rc && !(rc = cot__sbuf_reserve(&b, KEY_COPY)))
		memset(b.ptr + b.size, 0, KEY_COPY);
	l->keys = b.ptr;
	if (!rc)
		rc = rest_runs(l, az);
	if (rc)
		cot__layout_free(l);
	return rc;
}

void cot__layout_free(cot__layout *l)
{
	cot__free(l->keys);
	cot__free(l->off);
	cot__free(l->idx);
	cot__free(l->rest_text);
	cot__free(l->rest_off);
	cot__free(l->rows);
	cot__free(l->pass);
	memset(l, 0, sizeof *l);
}

int cot__profile_json(const cot__layout *l, const cot__profile *p,
		      cot__sbuf *b)
{
	const size_t *off = l->off;

	/* the hot loop of annotate: each key and scalar value goes straight
	 * into room reserved once for both; a key of up to KEY_COPY bytes
	 * is copied as KEY_COPY (the keys text is padded for it), which is
	 * two moves instead of a call */
	for (size_t i = 0; i <= l->n; i++) {
		size_t klen = off[i + 1] - off[i];
		const cot__field *f = &l->rows[i];
		cot_value v;
		size_t n;

		/* a run at rest: one piece of text (most patterns of a
		 * trace do not match) */
		if (i < l->n && l->rest_off[i + 1] > l->rest_off[i] &&
		    (p->ran >> l->pass[i] & 1) && f->at_rest(p, f)) {
			n = l->rest_off[i + 1] - l->rest_off[i];
			if (cot__sbuf_add(b, l->rest_text + l->rest_off[i], n))
				return COT_ENOMEM;
			i += f->rest_rows - 1;
			continue;
		}
		if (cot__sbuf_reserve(b, klen + KEY_COPY + SCALAR_MAX))
			return COT_ENOMEM;
		if (klen <= KEY_COPY)
			memcpy(b->ptr + b->size, l->keys + off[i], KEY_COPY);
		else
			memcpy(b->ptr + b->size, l->keys + off[i], klen);
		b->size += klen;
		if (i == l->n)
			break;
		v.type = COT_TYPE_NULL;
		/* a field whose pass did not run has no value */
		if (p->ran >> l->pass[i] & 1) {
			if (f->json) {
				if (f->json(p, f, b))
					return COT_ENOMEM;
				continue;
			}
			f->get(p, f, &v);
		}
		n = put_scalar(b->ptr + b->size, &v);
		if (n) {
			b->size += n;
		} else {
			b->ptr[b->size] = '\0';
			if (cot__value_json(b, &v))
				return COT_ENOMEM;
		}
	}
	b->ptr[b->size] = '\0';
	return COT_OK;
}
