/* summary.c - a summary's state: its fields and groups, adding traces,
 * merging summaries, and comparing them. */
#include <math.h>
#include <stdlib.h>

#include "fields/rest.h"
#include "fields/select.h"
#include "record/json.h"
#include "stats/summary.h"

const char *const cot__summary_type_names[] = {
	"null", "bool", "int", "real", "string", "json"
};

/* An allocation of the summary: NULL marks s failed (every call on it
 * says COT_ENOMEM from then on). */
static void *mark(cot_summary *s, void *p)
{
	if (!p)
		s->failed = COT_ENOMEM;
	return p;
}

/* ---- fields -------------------------------------------------------- */

int cot__summary_choose(const char *const *names, const cot_type *types,
			size_t n, const char *spec, bool *chosen,
			cot_error *err)
{
	if (spec)
		return cot__fields_choose(names, types, n, spec,
					  COT_FIELDS_SCALAR, chosen, err);
	for (size_t i = 0; i < n; i++)
		chosen[i] = types[i] != COT_TYPE_JSON &&
			    types[i] != COT_TYPE_NULL;
	return COT_OK;
}

int cot__summary_add_field(cot_summary *s, const char *name, cot_type type,
			   const char *unit, long index)
{
	fdef *f = cot__realloc(s->f, (s->nf + 1) * sizeof *s->f);

	if (!f)
		return COT_ENOMEM;
	s->f = f;
	f = &s->f[s->nf];
	memset(f, 0, sizeof *f);	/* no run at rest until find_runs */
	f->name = cot__strdup(name);
	f->unit = cot__strdup(unit ? unit : "");
	if (!f->name || !f->unit) {
		cot__free(f->name);
		cot__free(f->unit);
		return COT_ENOMEM;
	}
	s->nf++;
	f->type = type;
	f->index = index;
	f->slot = cot__numeric(type) ? s->nnum++ : type == COT_TYPE_BOOL ?
		  s->nbool++ : s->nstr++;
	return COT_OK;
}

/* s as valid UTF-8, each invalid byte turned into U+FFFD: file names
 * and command-line text go into JSON, which must be UTF-8. */
static int add_utf8(cot__sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = cot__utf8_len((const unsigned char *)s + i, n - i);

		if (k ? cot__sbuf_add(b, s + i, k) :
		    cot__sbuf_add(b, "\xEF\xBF\xBD", 3))
			return COT_ENOMEM;
		i += k ? k : 1;
	}
	return cot__sbuf_reserve(b, 0);	/* a NUL even when empty */
}

static char *utf8_dup(const char *s)
{
	cot__sbuf b = { 0 };

	if (add_utf8(&b, s, strlen(s))) {
		cot__sbuf_dispose(&b);
		return NULL;
	}
	b.ptr[b.size] = '\0';
	return b.ptr;
}

/* s->by cut at each COT_SUMMARY_KEY_SEP into s->keys (some may be
 * empty: compile_by and the partial reader refuse those), and by_text.
 * COT_OK or COT_ENOMEM. */
static int split_keys(cot_summary *s)
{
	cot__sbuf t = { 0 };
	const char *p = s->by;
	size_t n = 1;

	for (const char *q = s->by; *q; q++)
		n += *q == COT_SUMMARY_KEY_SEP[0];
	s->keys = cot__calloc(n, sizeof *s->keys);
	s->kexpr = cot__calloc(n, sizeof *s->kexpr);
	if (!s->keys || !s->kexpr)
		return COT_ENOMEM;
	s->nkeys = n;
	for (size_t k = 0; k < n; k++) {
		const char *end = strchr(p, COT_SUMMARY_KEY_SEP[0]);
		size_t len = end ? (size_t)(end - p) : strlen(p);

		s->keys[k] = cot__strndup(p, len);
		if (!s->keys[k] ||
		    (k && cot__sbuf_add(&t, " \xC3\x97 ", 4)) ||
		    cot__sbuf_add(&t, p, len))
			goto oom;
		p += len + 1;
	}
	if (cot__sbuf_reserve(&t, 0))
		goto oom;
	t.ptr[t.size] = '\0';
	s->by_text = t.ptr;
	return COT_OK;
oom:
	cot__sbuf_dispose(&t);
	return COT_ENOMEM;
}

cot_summary *cot__summary_alloc(const char *by, const char *analysis)
{
	cot_summary *s = cot__calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->by = by ? utf8_dup(by) : NULL;
	s->analysis = utf8_dup(analysis ? analysis : "");
	s->max_groups = COT_SUMMARY_MAX_GROUPS;
	if ((by && !s->by) || !s->analysis || (s->by && split_keys(s))) {
		cot_summary_free(s);
		return NULL;
	}
	return s;
}

int cot__group_init(const cot_summary *s, group *g)
{
	memset(g, 0, sizeof *g);
	g->num = cot__calloc(s->nnum ? s->nnum : 1, sizeof *g->num);
	g->bl = cot__calloc(s->nbool ? s->nbool : 1, sizeof *g->bl);
	g->str = cot__calloc(s->nstr ? s->nstr : 1, sizeof *g->str);
	g->at_rest = cot__calloc(s->nf ? s->nf : 1, sizeof *g->at_rest);
	return g->num && g->bl && g->str && g->at_rest ? COT_OK : COT_ENOMEM;
}

static void str_drop_values(stracc *a)
{
	for (size_t k = 0; k < a->nv; k++)
		cot__free(a->v[k].s);
	cot__free(a->v);
	a->v = NULL;
	a->nv = 0;
}

/* Also for a group never given its arrays (cot__group_init): a partial
 * may be refused while its fields are read, before the total is made. */
static void group_dispose(const cot_summary *s, group *g)
{
	for (size_t i = 0; g->num && i < s->nnum; i++) {
		cot__sketch_dispose(&g->num[i].sk);
		cot__free(g->num[i].x);
	}
	for (size_t i = 0; g->str && i < s->nstr; i++)
		str_drop_values(&g->str[i]);
	cot__free(g->num);
	cot__free(g->bl);
	cot__free(g->str);
	cot__free(g->at_rest);
	cot__free(g->key);
	cot__free(g->disp);
	cot__free(g->part);
}

/* The value a field's cot__field_rest text stands for (numbers and null
 * are all a run at rest holds among the fields stats reads). */
static bool rest_value(const char *text, cot_value *v)
{
	memset(v, 0, sizeof *v);
	if (!text)
		return false;
	if (!strcmp(text, "null"))
		return true;
	if (!strcmp(text, "0")) {
		v->type = COT_TYPE_INT;
		return true;
	}
	if (!strcmp(text, "0.0")) {
		v->type = COT_TYPE_REAL;
		return true;
	}
	return false;
}

/* Find the runs at rest that stand whole in s->f: their fields to
 * summarize (all but lists), in a row, with values rest_value knows. */
static void find_runs(cot_summary *s, const cot_analyzer *az)
{
	for (size_t j = 0; j < s->nf; j++) {
		long k = s->f[j].index;
		size_t run = k < 0 ? 0 : cot__field_run(az, (size_t)k), t = j;
		bool ok = run > 0;

		for (size_t m = (size_t)k; ok && m < (size_t)k + run; m++) {
			if (cot_field_at(az, m)->type == COT_TYPE_JSON)
				continue;
			ok = t < s->nf && s->f[t].index == (long)m &&
			     rest_value(cot__field_rest(az, m), &s->f[t].rest);
			t++;
		}
		if (ok && t > j)
			s->f[j].rest_end = t;
	}
}

/* Compile each key of s->by for s->az but "file" (not when s was read
 * from a partial: it has no analyzer and takes no records). An error's
 * column is the byte of s->by where: the key's start plus its column.
 * One key is compiled as it is, even empty (the expression says why
 * that is wrong); of several, an empty one is refused here. */
static int compile_by(cot_summary *s, cot_error *err)
{
	size_t start = 0;

	for (size_t k = 0; s->az && k < s->nkeys; k++) {
		const char *key = s->keys[k];
		cot_error e;
		int rc;

		if (!strcmp(key, "file")) {
			start += strlen(key) + 1;
			continue;
		}
		if (s->nkeys > 1 && !*key)
			return cot__error_set(err, COT_EEXPR, 0, start + 1,
					      "key %zu of %zu is empty", k + 1,
					      s->nkeys);
		rc = cot_expr_compile(&s->kexpr[k], s->az, key, &e);
		if (rc) {
			if (err) {
				*err = e;
				if (s->nkeys > 1 && e.column)
					err->column = e.column + start;
			}
			return rc;
		}
		start += strlen(key) + 1;
	}
	if (s->nkeys == 1)
		s->by_expr = s->kexpr[0];
	return COT_OK;
}

int cot_summary_new(cot_summary **out, const cot_analyzer *az,
		    const cot_summary_options *o, cot_error *err)
{
	static const cot_summary_options none = { 0 };
	size_t n = cot_field_count(az);
	const char **names = cot__calloc(n ? n : 1, sizeof *names);
	cot_type *types = cot__calloc(n ? n : 1, sizeof *types);
	bool *chosen = cot__calloc(n ? n : 1, sizeof *chosen);
	cot_summary *s = NULL;
	int rc = COT_ENOMEM;

	*out = NULL;
	if (!o)
		o = &none;
	if (!names || !types || !chosen)
		goto done;
	for (size_t i = 0; i < n; i++) {
		names[i] = cot_field_at(az, i)->name;
		types[i] = cot_field_at(az, i)->type;
	}
	rc = cot__summary_choose(names, types, n, o->fields, chosen, err);
	if (rc)
		goto done;
	rc = COT_ENOMEM;
	s = cot__summary_alloc(o->by, o->analysis);
	if (!s)
		goto done;
	s->az = az;
	if (o->max_groups)
		s->max_groups = o->max_groups;
	for (size_t i = 0; i < n; i++)
		if (chosen[i] && cot__summary_add_field(s, names[i], types[i],
				cot_field_at(az, i)->unit, (long)i))
			goto done;
	find_runs(s, az);
	if (cot__group_init(s, &s->total))
		goto done;
	rc = compile_by(s, err);
done:
	if (rc == COT_ENOMEM)
		cot__error_set(err, rc, 0, 0, "out of memory");
	if (rc == COT_OK)
		*out = s;
	else
		cot_summary_free(s);
	cot__free(names);
	cot__free(types);
	cot__free(chosen);
	return rc;
}

int cot_summary_new_like(cot_summary **out, const cot_summary *o,
			 cot_error *err)
{
	cot_summary *s;
	int rc = COT_ENOMEM;

	*out = NULL;
	s = cot__summary_alloc(o->by, o->analysis);
	if (!s)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	s->az = o->az;
	s->max_groups = o->max_groups;
	for (size_t i = 0; i < o->nf; i++) {
		if (cot__summary_add_field(s, o->f[i].name, o->f[i].type,
					   o->f[i].unit, o->f[i].index))
			goto fail;
		s->f[i].rest_end = o->f[i].rest_end;
		s->f[i].rest = o->f[i].rest;
	}
	if (cot__group_init(s, &s->total))
		goto fail;
	rc = compile_by(s, err);
	if (rc)
		goto fail;
	*out = s;
	return COT_OK;
fail:
	cot_summary_free(s);
	if (rc == COT_ENOMEM)
		cot__error_set(err, rc, 0, 0, "out of memory");
	return rc;
}

void cot_summary_free(cot_summary *s)
{
	if (!s)
		return;
	group_dispose(s, &s->total);
	for (size_t i = 0; i < s->ng; i++) {
		group_dispose(s, s->g[i]);
		cot__free(s->g[i]);
	}
	for (size_t i = 0; i < s->nf; i++) {
		cot__free(s->f[i].name);
		cot__free(s->f[i].unit);
	}
	for (size_t k = 0; k < s->nkeys; k++) {
		cot__free(s->keys[k]);
		cot_expr_free(s->kexpr[k]);	/* by_expr among them */
	}
	cot__free(s->keys);
	cot__free(s->kexpr);
	cot__free(s->by_text);
	cot__free(s->f);
	cot__free(s->g);
	cot__free(s->ht);
	cot__free(s->placed);
	cot__free(s->by);
	cot__free(s->analysis);
	cot__sbuf_dispose(&s->key);
	cot__free(s);
}

size_t cot_summary_fields(const cot_summary *s, size_t *out, size_t max)
{
	size_t n = 0, nb;

	for (size_t i = 0; i < s->nf; i++) {
		if (s->f[i].index < 0)
			continue;
		if (out && n < max)
			out[n] = (size_t)s->f[i].index;
		n++;
	}
	for (size_t k = 0; k < s->nkeys; k++) {
		if (!s->kexpr[k])
			continue;
		nb = cot_expr_fields(NULL, 0, s->kexpr[k]);
		if (out && n < max)
			cot_expr_fields(out + n, max - n, s->kexpr[k]);
		n += nb;
	}
	return n;
}

void cot_summary_counts_of(const cot_summary *s, cot_summary_counts *out)
{
	out->records = s->total.records;
	out->traces = s->total.traces;
	out->no_trace = s->total.no_trace;
	out->tool_only = s->total.tool_only;
	out->malformed = s->total.malformed;
	out->by_errors = s->total.by_errors;
}

size_t cot_summary_groups(const cot_summary *s)
{
	return s->ng;
}

/* ---- groups -------------------------------------------------------- */

static uint64_t hash(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);	/* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * UINT64_C(0x100000001b3);
	return h;
}

static void ht_put(cot_summary *s, size_t gi)
{
	size_t m = s->htcap - 1, h = hash(s->g[gi]->key, s->g[gi]->keylen) & m;

	while (s->ht[h])
		h = (h + 1) & m;
	s->ht[h] = gi + 1;
}

group *cot__group_find(const cot_summary *s, const char *key, size_t len)
{
	size_t m, h;

	if (!s->htcap)
		return NULL;
	m = s->htcap - 1;
	for (h = hash(key, len) & m; s->ht[h]; h = (h + 1) & m) {
		group *g = s->g[s->ht[h] - 1];

		if (g->keylen == len && !memcmp(g->key, key, len))
			return g;
	}
	return NULL;
}

/* The text people see for a key: a string without its quotes. */
static char *display_key(const char *key, size_t len)
{
	const char *str = key;
	size_t n = len;
	cot__jdoc d;
	cot__arena a;
	char *out = NULL;
	int rc = COT_OK;

	if (!len || key[0] != '"')
		return cot__strndup(key, len);
	cot__jdoc_init(&d);
	cot__arena_init(&a);
	rc = cot__json_parse(&d, key, len, NULL);
	if (rc == COT_OK && d.tok[0].kind == COT_J_STR)
		rc = cot__json_str(&d, 0, &a, &str, &n);
	else if (rc != COT_ENOMEM)
		rc = COT_OK;	/* not a string after all: as it is */
	if (rc == COT_OK)
		out = cot__strndup(str, n);
	cot__arena_dispose(&a);
	cot__jdoc_dispose(&d);
	return out;
}

int cot__key_parts(const char *text, size_t len, size_t nkeys,
		   size_t *part)
{
	cot__jdoc d;
	int rc;

	cot__jdoc_init(&d);
	rc = cot__json_parse(&d, text, len, NULL);
	if (rc == COT_OK && (d.tok[0].kind != COT_J_ARR ||
			     d.tok[0].count != nkeys))
		rc = COT_EPARSE;
	for (uint32_t t = rc ? COT_J_NONE : cot__json_first(&d, 0), k = 0;
	     part && t != COT_J_NONE && t < d.tok[0].next && k < nkeys;
	     t = d.tok[t].next, k++) {
		part[2 * k] = d.tok[t].off;
		part[2 * k + 1] = d.tok[t].end - d.tok[t].off;
	}
	cot__jdoc_dispose(&d);
	return rc == COT_ENOMEM ? COT_ENOMEM : rc ? COT_EPARSE : COT_OK;
}

/* With several keys: g's parts, and its text for people, each value as
 * display_key writes it, joined by " × ". COT_OK, COT_EPARSE (a key
 * that is not a list of s->nkeys values: the partial reader refuses
 * those first) or COT_ENOMEM. */
static int composite_display(const cot_summary *s, group *g)
{
	cot__sbuf t = { 0 };
	int rc;

	g->part = cot__calloc(2 * s->nkeys + 2, sizeof *g->part);
	if (!g->part)
		return COT_ENOMEM;
	rc = cot__key_parts(g->key, g->keylen, s->nkeys, g->part);
	for (size_t k = 0; rc == COT_OK && k < s->nkeys; k++) {
		char *v = display_key(g->key + g->part[2 * k],
				      g->part[2 * k + 1]);

		if (!v || (k && cot__sbuf_add(&t, " \xC3\x97 ", 4)) ||
		    cot__sbuf_add(&t, v, strlen(v)))
			rc = COT_ENOMEM;
		cot__free(v);
	}
	if (rc == COT_OK && cot__sbuf_reserve(&t, 0))
		rc = COT_ENOMEM;
	if (rc) {
		cot__sbuf_dispose(&t);
		return rc;
	}
	t.ptr[t.size] = '\0';
	g->disp = t.ptr;
	return COT_OK;
}

group *cot__group_get(cot_summary *s, const char *key, size_t len)
{
	group *g = cot__group_find(s, key, len);
	int rc;

	if (g)
		return g;
	if (s->ng >= s->max_groups)
		return NULL;
	if (s->ng == s->capg) {
		size_t cap = s->capg ? s->capg * 2 : 16;
		group **v = mark(s, cot__realloc(s->g, cap * sizeof *v));

		if (!v)
			return NULL;
		s->g = v;
		s->capg = cap;
	}
	if (s->ng * 2 + 2 > s->htcap) {
		size_t cap = s->htcap ? s->htcap * 2 : 64;
		size_t *ht = mark(s, cot__calloc(cap, sizeof *ht));

		if (!ht)
			return NULL;
		cot__free(s->ht);
		s->ht = ht;
		s->htcap = cap;
		for (size_t i = 0; i < s->ng; i++)
			ht_put(s, i);
	}
	g = mark(s, cot__malloc(sizeof *g));
	if (!g)
		return NULL;
	if (cot__group_init(s, g) || !(g->key = cot__strndup(key, len))) {
		group_dispose(s, g);
		cot__free(g);
		s->failed = COT_ENOMEM;
		return NULL;
	}
	g->keylen = len;
	rc = s->nkeys > 1 ? composite_display(s, g) :
	     (g->disp = display_key(key, len)) ? COT_OK : COT_ENOMEM;
	if (rc) {
		group_dispose(s, g);
		cot__free(g);
		if (rc == COT_ENOMEM)
			s->failed = COT_ENOMEM;
		return NULL;
	}
	g->keylen = len;
	s->g[s->ng++] = g;
	ht_put(s, s->ng - 1);
	return g;
}

/* The key of a file: its name as a JSON string (made valid UTF-8),
 * appended to s->key. */
static int file_key(cot_summary *s, const char *file)
{
	cot__sbuf u = { 0 };
	int rc;

	rc = add_utf8(&u, file ? file : "", file ? strlen(file) : 0);
	if (rc == COT_OK)
		rc = cot__json_escape(&s->key, u.ptr, u.size, 0);
	cot__sbuf_dispose(&u);
	return rc;
}

/* A list or object from the record, without the white space between
 * its tokens: one line, and the same key however it was spaced. */
static int add_compact_json(cot__sbuf *b, const char *s, size_t n)
{
	bool str = false, esc = false;
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				str = false;
			continue;
		}
		if (c == '"') {
			str = true;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (cot__sbuf_add(b, s + run, i - run))
				return COT_ENOMEM;
			run = i + 1;
		}
	}
	return cot__sbuf_add(b, s + run, n - run);
}

/* The canonical JSON text of a by value, appended to s->key: the key
 * of its group (or, with several keys, one value of its list). Numbers are written as cot__real_text writes them, with no
 * ".0" (so 3 and 3.0 are one group); a list or object keeps the
 * record's text. */
static int key_text(cot_summary *s, const cot_value *v)
{
	char num[40];

	switch (v->type) {
	case COT_TYPE_BOOL:
		return cot__sbuf_add(&s->key, v->b ? "true" : "false",
				     v->b ? 4 : 5);
	case COT_TYPE_INT:
		return cot__sbuf_addf(&s->key, "%lld", (long long)v->i);
	case COT_TYPE_REAL:
		if (!isfinite(v->r))
			return cot__sbuf_add(&s->key, "null", 4);
		cot__real_text(v->r, num, 0);
		return cot__sbuf_add(&s->key, num, strlen(num));
	case COT_TYPE_STRING:
		return cot__json_escape(&s->key, v->s, v->len, 0);
	case COT_TYPE_JSON:
		return add_compact_json(&s->key, v->s, v->len);
	default:
		return cot__sbuf_add(&s->key, "null", 4);
	}
}

/* ---- adding -------------------------------------------------------- */

/* w[0..n) += v[0..n), carrying: multi-limb integers, little-endian. */
static void limbs_add(uint64_t *w, const uint64_t *v, int n)
{
	uint64_t carry = 0;

	for (int k = 0; k < n; k++) {
		uint64_t t = w[k] + v[k], c = t < w[k];

		w[k] = t + carry;
		carry = c | (w[k] < t);
	}
}

static int sketch_flush(numacc *a)
{
	for (unsigned k = 0; k < a->npend; k++)
		if (cot__sketch_add(&a->sk, a->pend[k]) == -1) {
			/* keep what is not in yet */
			memmove(a->pend, a->pend + k,
				(a->npend - k) * sizeof *a->pend);
			a->npend = (uint8_t)(a->npend - k);
			return COT_ENOMEM;
		}
	a->npend = 0;
	return COT_OK;
}

/* x (finite, not 0) into the sketch, NUM_PENDING at a time. */
static int sketch_later(numacc *a, double x)
{
	if (a->npend == NUM_PENDING && sketch_flush(a))
		return COT_ENOMEM;
	a->pend[a->npend++] = x;
	return COT_OK;
}

/* The INT value 0, c times (most counts of a profile): nothing to sum. */
static void num_add_int_zeros(numacc *a, uint64_t c)
{
	if (a->n == 0 || a->imin > 0)
		a->imin = 0;
	if (a->n == 0 || a->imax < 0)
		a->imax = 0;
	a->n += c;
	cot__sketch_add_zeros(&a->sk, c);
}

static int num_add_int(numacc *a, int64_t x)
{
	uint64_t v[3], m = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;

	if (x == 0) {
		num_add_int_zeros(a, 1);
		return COT_OK;
	}
	if (sketch_later(a, (double)x))
		return COT_ENOMEM;
	if (a->n == 0 || x < a->imin)
		a->imin = x;
	if (a->n == 0 || x > a->imax)
		a->imax = x;
	a->n++;
	a->nonzero++;
	v[0] = (uint64_t)x;
	v[1] = x < 0 ? UINT64_MAX : 0;	/* sign extension */
	limbs_add(a->is, v, 2);
	cot__mul64(m, m, &v[1], &v[0]);
	v[2] = 0;
	limbs_add(a->iq, v, 3);
	return COT_OK;
}

static int num_make_sums(numacc *a)
{
	if (!a->x)
		a->x = cot__calloc(2, sizeof *a->x);
	return a->x ? COT_OK : COT_ENOMEM;
}

/* The REAL value 0 (or -0), c times: nothing to sum. */
static int num_add_real_zeros(numacc *a, uint64_t c)
{
	if (num_make_sums(a))
		return COT_ENOMEM;
	/* -0 and 0: one min in any order */
	if (a->n == 0 || a->rmin > 0)
		a->rmin = 0;
	if (a->n == 0 || a->rmax < 0)
		a->rmax = 0;
	a->n += c;
	cot__sketch_add_zeros(&a->sk, c);
	return COT_OK;
}

static int num_add_real(numacc *a, double x)
{
	if (!isfinite(x))
		return COT_OK;		/* counted as null */
	if (x == 0)
		return num_add_real_zeros(a, 1);
	if (num_make_sums(a) || sketch_later(a, x))
		return COT_ENOMEM;
	if (a->n == 0 || x < a->rmin)
		a->rmin = x;
	if (a->n == 0 || x > a->rmax)
		a->rmax = x;
	a->n++;
	a->nonzero++;
	cot__xsum_add_double(&a->x[0], x);
	if (!a->sq_over && !cot__xsum_add_double_square(&a->x[1], x)) {
		a->sq_over = true;
		memset(&a->x[1], 0, sizeof a->x[1]);
	}
	return COT_OK;
}

static void str_over(stracc *a)
{
	a->over = true;
	str_drop_values(a);
}

int cot__str_add(stracc *a, const char *s, size_t len, uint64_t count)
{
	char *copy;

	a->n += count;
	if (a->over)
		return COT_OK;
	if (len > COT_SUMMARY_MAX_VALUE_LEN) {
		str_over(a);
		return COT_OK;
	}
	for (size_t k = 0; k < a->nv; k++)
		if (a->v[k].len == len && !memcmp(a->v[k].s, s, len)) {
			a->v[k].c += count;
			return COT_OK;
		}
	if (a->nv == COT_SUMMARY_MAX_VALUES) {
		str_over(a);
		return COT_OK;
	}
	if (!a->v)
		a->v = cot__malloc(COT_SUMMARY_MAX_VALUES * sizeof *a->v);
	copy = a->v ? cot__strndup(s, len) : NULL;
	if (!copy)
		return COT_ENOMEM;
	a->v[a->nv].s = copy;
	a->v[a->nv].len = len;
	a->v[a->nv].c = count;
	a->nv++;
	return COT_OK;
}

/* Value v of field f into group g; a null or mistyped one is null. */
static int add_value(group *g, const fdef *f, const cot_value *v)
{
	if (v->type != f->type)
		return COT_OK;
	switch (f->type) {
	case COT_TYPE_INT:
		return num_add_int(&g->num[f->slot], v->i);
	case COT_TYPE_REAL:
		return num_add_real(&g->num[f->slot], v->r);
	case COT_TYPE_BOOL:
		if (v->b)
			g->bl[f->slot].t++;
		else
			g->bl[f->slot].f++;
		return COT_OK;
	default:
		return cot__str_add(&g->str[f->slot], v->s, v->len, 1);
	}
}

/* Trace i's values into the total and group g (NULL: none). */
static int add_trace(cot_summary *s, cot_result *res, size_t i, group *g)
{
	group *to[2] = { &s->total, g };
	int nto = g ? 2 : 1;

	for (size_t j = 0; j < s->nf; j++) {
		const fdef *f = &s->f[j];
		cot_value v;

		if (f->rest_end &&
		    cot__result_at_rest(res, i, (size_t)f->index)) {
			/* a run at rest (a pattern that did not match): its
			 * values are added when the summary is read */
			for (int k = 0; k < nto; k++)
				to[k]->at_rest[j]++;
			j = f->rest_end - 1;
			continue;
		}
		if (cot_result_get(&v, res, i, (size_t)f->index, NULL))
			continue;
		for (int k = 0; k < nto; k++)
			if (add_value(to[k], f, &v))
				return COT_ENOMEM;
	}
	return COT_OK;
}

/* The values of run f at rest, c times, into g: they are 0, 0.0 or
 * null (rest_value). */
static int add_rest(group *g, const fdef *f, uint64_t c)
{
	if (f->rest.type != f->type)
		return COT_OK;		/* null: not counted */
	if (f->type == COT_TYPE_INT) {
		num_add_int_zeros(&g->num[f->slot], c);
		return COT_OK;
	}
	return num_add_real_zeros(&g->num[f->slot], c);
}

static int settle_group(const cot_summary *s, group *g)
{
	for (size_t i = 0; i < s->nnum; i++)
		if (sketch_flush(&g->num[i]))
			return COT_ENOMEM;
	for (size_t j = 0; j < s->nf; j++) {
		if (!g->at_rest[j])
			continue;
		for (size_t m = j; m < s->f[j].rest_end; m++)
			if (add_rest(g, &s->f[m], g->at_rest[j]))
				return COT_ENOMEM;
		g->at_rest[j] = 0;
	}
	return COT_OK;
}

int cot__summary_settle(cot_summary *s)
{
	if (!s->failed && settle_group(s, &s->total))
		s->failed = COT_ENOMEM;
	for (size_t i = 0; i < s->ng && !s->failed; i++)
		if (settle_group(s, s->g[i]))
			s->failed = COT_ENOMEM;
	return s->failed;
}

/* The group of trace i (COT_NO_TRACE: the record alone), or NULL when
 * there are no groups, the key failed (*rc and err say why, for the
 * first failure of the record) or memory ran out (s->failed). */
static group *group_of(cot_summary *s, cot_result *res, size_t i,
		       const char *file, cot_error *err, int *rc)
{
	group *g;
	int krc = COT_OK;
	size_t start = 0;

	if (!s->by)
		return NULL;
	/* one key: its value's text; several: the JSON list of theirs */
	s->key.size = 0;
	if (s->nkeys > 1)
		krc = cot__sbuf_addc(&s->key, '[');
	for (size_t k = 0; k < s->nkeys && !krc; k++) {
		cot_value v;
		cot_error e;

		if (k)
			krc = cot__sbuf_addc(&s->key, ',');
		if (krc)
			break;
		if (!s->kexpr[k]) {
			krc = file_key(s, file);
		} else if (cot_expr_eval(&v, s->kexpr[k], res, i, &e)) {
			s->total.by_errors++;
			if (*rc == COT_OK) {
				*rc = cot__error_set(err, COT_EEXPR, e.line,
						     e.column ? e.column +
						     start : 0, "%s",
						     e.message);
			}
			return NULL;
		} else {
			krc = key_text(s, &v);
		}
		start += strlen(s->keys[k]) + 1;
	}
	if (!krc && s->nkeys > 1)
		krc = cot__sbuf_addc(&s->key, ']');
	if (krc) {
		s->failed = COT_ENOMEM;
		return NULL;
	}
	g = cot__group_get(s, s->key.ptr, s->key.size);
	if (!g && !s->failed && *rc == COT_OK)
		*rc = cot__error_set(err, COT_ELIMIT, 0, 0, "by %s: more "
				     "than %zu groups", s->by_text,
				     s->max_groups);
	if (g && g->last_rec != s->rec_serial) {
		g->last_rec = s->rec_serial;
		g->records++;
	}
	return g;
}

static int failed(cot_error *err)
{
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory (the "
			      "summary is incomplete)");
}

int cot_summary_add(cot_summary *s, cot_result *res, const char *file,
		    cot_error *err)
{
	size_t n;
	int rc = COT_OK;

	if (s->failed)
		return failed(err);
	if (!s->az)
		return cot__error_set(err, COT_EINVAL, 0, 0, "a summary read "
				      "from a partial takes no records");
	n = cot_result_traces(res);
	if (n > s->capplaced) {
		group **p = cot__realloc(s->placed, n * sizeof *p);

		if (!p) {
			s->failed = COT_ENOMEM;
			return failed(err);
		}
		s->placed = p;
		s->capplaced = n;
	}
	s->rec_serial++;
	s->total.records++;
	if (n == 0) {
		group *g = group_of(s, res, COT_NO_TRACE, file, err, &rc);
		bool tools = cot_result_tool_only(res) > 0;

		*(tools ? &s->total.tool_only : &s->total.no_trace) += 1;
		if (g)
			*(tools ? &g->tool_only : &g->no_trace) += 1;
	}
	for (size_t i = 0; i < n && !s->failed; i++) {
		group *g = group_of(s, res, i, file, err, &rc);

		s->placed[i] = g;
		s->total.traces++;
		if (g)
			g->traces++;
		if (!s->failed && add_trace(s, res, i, g))
			s->failed = COT_ENOMEM;
	}
	return s->failed ? failed(err) : rc;
}

int cot_summary_add_malformed(cot_summary *s, const char *file, uint64_t n,
			      cot_error *err)
{
	group *g;

	if (s->failed)
		return failed(err);
	s->total.malformed += n;
	if (!cot__summary_by_file(s) || !n)
		return COT_OK;
	s->key.size = 0;
	if (file_key(s, file)) {
		s->failed = COT_ENOMEM;
		return failed(err);
	}
	g = cot__group_get(s, s->key.ptr, s->key.size);
	if (g) {
		g->malformed += n;
		return COT_OK;
	}
	if (s->failed)
		return failed(err);
	return cot__error_set(err, COT_ELIMIT, 0, 0, "by file: more than %zu "
			      "groups", s->max_groups);
}

/* ---- merging ------------------------------------------------------- */

void cot__num_sums(const numacc *a, cot__xsum *sum, cot__xsum *sq)
{
	uint64_t mag[2];
	bool neg = a->is[1] >> 63;

	memset(sum, 0, sizeof *sum);
	memset(sq, 0, sizeof *sq);
	if (a->x) {
		*sum = a->x[0];
		*sq = a->x[1];
		return;
	}
	mag[0] = a->is[0];
	mag[1] = a->is[1];
	if (neg) {		/* two's complement negation */
		mag[0] = ~mag[0] + 1;
		mag[1] = ~mag[1] + (mag[0] == 0);
	}
	cot__xsum_add_uint(sum, mag, 2, neg);
	cot__xsum_add_uint(sq, a->iq, 3, false);
}

static int num_merge(numacc *d, const numacc *a)
{
	if (a->n == 0)
		return COT_OK;
	if ((a->x && num_make_sums(d)) || cot__sketch_merge(&d->sk, &a->sk))
		return COT_ENOMEM;
	for (unsigned k = 0; k < a->npend; k++)
		if (sketch_later(d, a->pend[k]))
			return COT_ENOMEM;
	if (d->n == 0 || a->imin < d->imin)
		d->imin = a->imin;
	if (d->n == 0 || a->imax > d->imax)
		d->imax = a->imax;
	if (d->n == 0 || a->rmin < d->rmin)
		d->rmin = a->rmin;
	if (d->n == 0 || a->rmax > d->rmax)
		d->rmax = a->rmax;
	d->n += a->n;
	d->nonzero += a->nonzero;
	limbs_add(d->is, a->is, 2);
	limbs_add(d->iq, a->iq, 3);
	if (a->x) {
		cot__xsum_merge(&d->x[0], &a->x[0]);
		cot__xsum_merge(&d->x[1], &a->x[1]);
	}
	if (a->sq_over || d->sq_over) {
		d->sq_over = true;
		if (d->x)
			memset(&d->x[1], 0, sizeof d->x[1]);
	}
	return COT_OK;
}

static int str_merge(stracc *d, const stracc *a)
{
	uint64_t n = d->n + a->n;

	if (a->over)
		str_over(d);
	for (size_t k = 0; k < a->nv && !d->over; k++)
		if (cot__str_add(d, a->v[k].s, a->v[k].len, a->v[k].c))
			return COT_ENOMEM;
	d->n = n;
	return COT_OK;
}

/* Add a (a group of src) into d (of s). The runs at rest a has not
 * added yet are counted in src's runs: when s has others (it was read
 * from a partial, which knows no analyzer's runs), they are added now. */
static int group_merge(const cot_summary *s, group *d, const group *a,
		       const cot_summary *src)
{
	d->records += a->records;
	d->traces += a->traces;
	d->no_trace += a->no_trace;
	d->tool_only += a->tool_only;
	d->malformed += a->malformed;
	d->by_errors += a->by_errors;
	for (size_t i = 0; i < s->nnum; i++)
		if (num_merge(&d->num[i], &a->num[i]))
			return COT_ENOMEM;
	for (size_t i = 0; i < s->nbool; i++) {
		d->bl[i].t += a->bl[i].t;
		d->bl[i].f += a->bl[i].f;
	}
	for (size_t i = 0; i < s->nstr; i++)
		if (str_merge(&d->str[i], &a->str[i]))
			return COT_ENOMEM;
	for (size_t j = 0; j < s->nf; j++) {
		if (!a->at_rest[j])
			continue;
		if (s->f[j].rest_end == src->f[j].rest_end) {
			d->at_rest[j] += a->at_rest[j];
			continue;
		}
		for (size_t m = j; m < src->f[j].rest_end; m++)
			if (add_rest(d, &src->f[m], a->at_rest[j]))
				return COT_ENOMEM;
	}
	return COT_OK;
}

static int same_shape(const cot_summary *a, const cot_summary *b,
		      cot_error *err)
{
	if ((a->by == NULL) != (b->by == NULL) ||
	    (a->by && strcmp(a->by, b->by)))
		return cot__error_set(err, COT_EINVAL, 0, 0, "the summaries "
				      "are grouped differently (by %s, by %s)",
				      a->by ? a->by_text : "(none)",
				      b->by ? b->by_text : "(none)");
	if (strcmp(a->analysis, b->analysis))
		return cot__error_set(err, COT_EINVAL, 0, 0, "the summaries "
				      "were made with other analysis options "
				      "('%s', '%s')", a->analysis,
				      b->analysis);
	for (size_t i = 0; i < a->nf || i < b->nf; i++)
		if (i >= a->nf || i >= b->nf ||
		    strcmp(a->f[i].name, b->f[i].name) ||
		    a->f[i].type != b->f[i].type)
			return cot__error_set(err, COT_EINVAL, 0, 0, "the "
				"summaries hold other fields ('%s', '%s'): "
				"make them with the same fields and cotlog "
				"version", i < a->nf ? a->f[i].name : "(none)",
				i < b->nf ? b->f[i].name : "(none)");
	return COT_OK;
}

/* Every count of a summary is at most one of its total's (partials are
 * checked for that when read), so if the totals' sums stay within what
 * a partial can hold (int64), no count anywhere wraps. */
static bool totals_fit(const group *a, const group *b)
{
	const uint64_t x[] = { a->records, a->traces, a->no_trace,
			       a->tool_only, a->malformed, a->by_errors };
	const uint64_t y[] = { b->records, b->traces, b->no_trace,
			       b->tool_only, b->malformed, b->by_errors };

	for (size_t i = 0; i < sizeof x / sizeof *x; i++)
		if (x[i] > (uint64_t)INT64_MAX - y[i])
			return false;
	return true;
}

int cot_summary_merge(cot_summary *dst, const cot_summary *src,
		      cot_error *err)
{
	int rc;

	if (dst->failed || src->failed)
		return failed(err);
	rc = same_shape(dst, src, err);
	if (rc)
		return rc;
	if (!totals_fit(&dst->total, &src->total))
		return cot__error_set(err, COT_EINVAL, 0, 0, "the merged "
				      "counts would pass 2^63 - 1");
	/* past the limit, nothing is merged */
	for (size_t i = 0, fresh = 0; i < src->ng; i++)
		if (!cot__group_find(dst, src->g[i]->key, src->g[i]->keylen)
		    && dst->ng + ++fresh > dst->max_groups)
			return cot__error_set(err, COT_ELIMIT, 0, 0, "by %s: "
					      "more than %zu groups",
					      dst->by_text, dst->max_groups);
	for (size_t i = 0; i < src->ng; i++)
		if (!cot__group_get(dst, src->g[i]->key, src->g[i]->keylen))
			goto oom;
	if (group_merge(dst, &dst->total, &src->total, src))
		goto oom;
	for (size_t i = 0; i < src->ng; i++)
		if (group_merge(dst, cot__group_find(dst, src->g[i]->key,
						     src->g[i]->keylen),
				src->g[i], src))
			goto oom;
	return COT_OK;
oom:
	dst->failed = COT_ENOMEM;
	return failed(err);
}

/* ---- order --------------------------------------------------------- */

/* Groups in a fixed order: null, false, true, numbers (by value),
 * strings, then lists and objects (by text), as jq sorts. */
static int key_rank(const char *k)
{
	switch (k[0]) {
	case 'n': return 0;
	case 'f': return 1;
	case 't': return 2;
	case '"': return 4;
	case '[': return 5;
	case '{': return 6;
	default: return 3;
	}
}

/* Two values' texts a[0..an), b[0..bn) (not empty). */
static int cmp_values_text(const char *a, size_t an, const char *b,
			   size_t bn)
{
	int ra = key_rank(a), rb = key_rank(b), c;

	if (ra != rb)
		return ra - rb;
	if (ra == 3) {	/* a number ends at the ',' or ']' after it */
		double x = strtod(a, NULL), y = strtod(b, NULL);

		if (x != y)
			return x < y ? -1 : 1;
	}
	c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return (an > bn) - (an < bn);
}

static int cmp_groups(const void *pa, const void *pb)
{
	const group *a = *(group *const *)pa, *b = *(group *const *)pb;

	/* several keys: value by value (parts), then the text as a whole,
	 * so that the order is total */
	for (size_t k = 0; a->part && b->part && a->part[2 * k + 1]; k++) {
		int c = cmp_values_text(a->key + a->part[2 * k],
					a->part[2 * k + 1],
					b->key + b->part[2 * k],
					b->part[2 * k + 1]);

		if (c)
			return c;
	}
	return cmp_values_text(a->key, a->keylen, b->key, b->keylen);
}

group **cot__sorted_groups(const cot_summary *s)
{
	group **g = cot__calloc(s->ng ? s->ng : 1, sizeof *g);

	if (!g)
		return NULL;
	if (s->ng)
		memcpy(g, s->g, s->ng * sizeof *g);
	qsort(g, s->ng, sizeof *g, cmp_groups);
	return g;
}

static int cmp_values(const void *pa, const void *pb)
{
	const strval *a = pa, *b = pb;
	int c;

	if (a->c != b->c)
		return a->c > b->c ? -1 : 1;
	c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
	if (c)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

strval *cot__sorted_values(const stracc *a)
{
	strval *v = cot__calloc(a->nv ? a->nv : 1, sizeof *v);

	if (!v)
		return NULL;
	if (a->nv)
		memcpy(v, a->v, a->nv * sizeof *v);
	qsort(v, a->nv, sizeof *v, cmp_values);
	return v;
}

/* ---- equality ------------------------------------------------------ */

static bool num_equal(const numacc *a, const numacc *b, cot_type t)
{
	cot__xsum as, aq, bs, bq;

	if (a->n != b->n)
		return false;
	if (a->n == 0)
		return true;
	if (t == COT_TYPE_INT ? a->imin != b->imin || a->imax != b->imax :
	    a->rmin != b->rmin || a->rmax != b->rmax)
		return false;
	cot__num_sums(a, &as, &aq);
	cot__num_sums(b, &bs, &bq);
	return a->nonzero == b->nonzero && a->sq_over == b->sq_over &&
	       cot__xsum_equal(&as, &bs) && cot__xsum_equal(&aq, &bq) &&
	       cot__sketch_equal(&a->sk, &b->sk);
}

static int str_equal(bool *eq, const stracc *a, const stracc *b)
{
	strval *x, *y;

	*eq = a->n == b->n && a->over == b->over && a->nv == b->nv;
	if (!*eq)
		return COT_OK;
	x = cot__sorted_values(a);
	y = cot__sorted_values(b);
	if (!x || !y) {
		cot__free(x);
		cot__free(y);
		return COT_ENOMEM;
	}
	for (size_t k = 0; k < a->nv && *eq; k++)
		*eq = x[k].c == y[k].c && x[k].len == y[k].len &&
		      !memcmp(x[k].s, y[k].s, x[k].len);
	cot__free(x);
	cot__free(y);
	return COT_OK;
}

static int group_equal(bool *eq, const cot_summary *s, const group *a,
		       const group *b)
{
	*eq = a->records == b->records && a->traces == b->traces &&
	      a->no_trace == b->no_trace && a->tool_only == b->tool_only &&
	      a->malformed == b->malformed &&
	      a->by_errors == b->by_errors;
	for (size_t i = 0; i < s->nf && *eq; i++) {
		const fdef *f = &s->f[i];

		if (cot__numeric(f->type))
			*eq = num_equal(&a->num[f->slot], &b->num[f->slot],
					f->type);
		else if (f->type == COT_TYPE_BOOL)
			*eq = a->bl[f->slot].t == b->bl[f->slot].t &&
			      a->bl[f->slot].f == b->bl[f->slot].f;
		else if (str_equal(eq, &a->str[f->slot], &b->str[f->slot]))
			return COT_ENOMEM;
	}
	return COT_OK;
}

int cot__summary_equal(bool *eq, cot_summary *a, cot_summary *b)
{
	*eq = false;
	if (cot__summary_settle(a) || cot__summary_settle(b))
		return COT_ENOMEM;
	if (same_shape(a, b, NULL) || a->ng != b->ng)
		return COT_OK;
	if (group_equal(eq, a, &a->total, &b->total))
		return COT_ENOMEM;
	for (size_t i = 0; i < a->ng && *eq; i++) {
		const group *g = cot__group_find(b, a->g[i]->key,
						 a->g[i]->keylen);

		*eq = g != NULL;
		if (g && group_equal(eq, a, a->g[i], g))
			return COT_ENOMEM;
	}
	return COT_OK;
}
