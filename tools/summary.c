/* summary.c - stats of profile fields per group: add, merge, save, render. */
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fields/rest.h"
#include "sketch.h"
#include "summary.h"

/* ---- memory and text ----------------------------------------------- */

/* Out of memory ends the tool with status 2 (README "Exit status"), as elsewhere in
 * tools/: a summary half-updated would be worse than no answer. */
static _Noreturn void out_of_memory(void)
{
	fputs("cotlog: out of memory\n", stderr);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

typedef struct sb {
	char *p;
	size_t n, cap;
} sb;

static void sb_add(sb *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_puts(sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(sb *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		sb_add(b, small, (size_t)n);
		return;
	}
	if (b->n + (size_t)n + 1 > b->cap) {
		b->cap = (b->n + (size_t)n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

static void sb_json_str(sb *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	sb_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_add(b, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			sb_add(b, esc, 2);
		} else if (c == '\n' || c == '\t' || c == '\r') {
			esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			sb_add(b, esc, 2);
		} else {
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			sb_add(b, esc, 6);
		}
	}
	sb_add(b, s + run, n - run);
	sb_add(b, "\"", 1);
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 :
		     s[0] >= 0xE0 && s[0] < 0xF0 ? 3 :
		     s[0] >= 0xF0 && s[0] < 0xF5 ? 4 : 0;

	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
		return 0;	/* overlong, surrogate, past U+10FFFF */
	return len;
}

/* s as valid UTF-8, each invalid byte turned into U+FFFD: file names
 * and command-line text go into JSON, which must be UTF-8. */
static void sb_utf8(sb *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len((const unsigned char *)s + i, n - i);

		if (k) {
			sb_add(b, s + i, k);
			i += k;
		} else {
			sb_puts(b, "\xEF\xBF\xBD");
			i++;
		}
	}
}

static char *utf8_dup(const char *s)
{
	sb b = { 0 };

	sb_utf8(&b, s, strlen(s));
	if (!b.p)
		sb_add(&b, "", 0);
	return b.p;
}

/* TSV cells hold no tab or line break: backslash escapes, as in
 * PostgreSQL's text COPY format. */
static void sb_tsv(sb *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" :
				s[i] == '\r' ? "\\r" : s[i] == '\\' ? "\\\\" :
				NULL;

		if (e)
			sb_puts(b, e);
		else
			sb_add(b, s + i, 1);
	}
}

void summary_number(double v, char out[32])
{
	if (v == 0) {		/* also -0: one spelling */
		strcpy(out, "0");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* ---- the state ----------------------------------------------------- */

typedef struct fdef {
	char *name, *unit;
	cot_type type;
	long index;		/* in the analyzer's registry; -1 if read */
	size_t slot;		/* in the group's array of its kind */
	/* a run at rest (cot__field_run) that begins here and whose fields
	 * to summarize are all here, in a row: the fdef past them (0:
	 * none), and each one's value at rest */
	size_t rest_end;
	cot_value rest;
} fdef;

/* Sums: an INT field keeps them as plain integers, 128 bits for the
 * sum and 192 for the squares (2^64 values of 2^63 fit), 40 bytes; a
 * REAL field needs the two xsums of sketch.h (544 bytes), made at its
 * first value. Both are exact; xsums are what partials hold. */
enum { NUM_PENDING = 8 };

typedef struct numacc {
	uint64_t n, nonzero;
	bool sq_over;		/* a value too big to square: no std */
	uint8_t npend;
	int64_t imin, imax;	/* INT */
	double rmin, rmax;	/* REAL */
	uint64_t is[2];		/* INT: sum, two's complement */
	uint64_t iq[3];		/* INT: sum of squares */
	xsum *x;		/* REAL: x[0] sum, x[1] sum of squares */
	/* nonzero values not yet in sk: its buckets are a heap array per
	 * field, a cache miss per value when added one trace at a time */
	double pend[NUM_PENDING];
	sketch sk;
} numacc;

typedef struct boolacc {
	uint64_t t, f;
} boolacc;

typedef struct strval {
	char *s;
	size_t len;
	uint64_t c;
} strval;

typedef struct stracc {
	uint64_t n;
	bool over;		/* too many or too long values: no table */
	size_t nv;
	strval *v;		/* SUMMARY_MAX_VALUES, allocated on demand */
} stracc;

typedef struct group {
	char *key;		/* canonical JSON text; NULL for the total */
	size_t keylen;
	char *disp;		/* for people: a string key unquoted */
	uint64_t records, traces, no_trace, malformed, by_errors;
	uint64_t last_rec;	/* the record last counted here */
	numacc *num;
	boolacc *bl;
	stracc *str;
	/* by fdef: the traces in which the run at rest beginning there was
	 * at rest, not yet added (settle): adding its values then, many at
	 * once, spares touching hundreds of accumulators per trace */
	uint64_t *at_rest;
} group;

struct summary {
	fdef *f;
	size_t nf, nnum, nbool, nstr;
	char *by, *analysis;
	group total;
	group **g;
	size_t ng, capg;
	size_t *ht;		/* open addressing: group index + 1 */
	size_t htcap;
	size_t max_groups;
	uint64_t rec_serial;
	sb key;			/* scratch for keys */
};

static const char *const type_names[] = {
	"null", "bool", "int", "real", "string", "json"
};

static bool numeric(cot_type t)
{
	return t == COT_TYPE_INT || t == COT_TYPE_REAL;
}

static void group_init(const summary *s, group *g)
{
	memset(g, 0, sizeof *g);
	g->num = xcalloc(s->nnum, sizeof *g->num);
	g->bl = xcalloc(s->nbool, sizeof *g->bl);
	g->str = xcalloc(s->nstr, sizeof *g->str);
	g->at_rest = xcalloc(s->nf ? s->nf : 1, sizeof *g->at_rest);
}

static void str_drop_values(stracc *a)
{
	for (size_t k = 0; k < a->nv; k++)
		free(a->v[k].s);
	free(a->v);
	a->v = NULL;
	a->nv = 0;
}

/* Also for a group never given its arrays (group_init): a partial may
 * be refused while its fields are read, before the total is made. */
static void group_dispose(const summary *s, group *g)
{
	for (size_t i = 0; g->num && i < s->nnum; i++) {
		sketch_dispose(&g->num[i].sk);
		free(g->num[i].x);
	}
	for (size_t i = 0; g->str && i < s->nstr; i++)
		str_drop_values(&g->str[i]);
	free(g->num);
	free(g->bl);
	free(g->str);
	free(g->at_rest);
	free(g->key);
	free(g->disp);
}

/* Choose fields by a spec "a,b.*,families.*.count" (names and shell
 * patterns, fnmatch(3)) from names[0..n) of types types[]: chosen[i]
 * set for each chosen one. A name or pattern that matches nothing is
 * an error, and so is a list named outright; patterns pass over lists. */
static int choose(const char *const *names, const cot_type *types, size_t n,
		  const char *spec, bool *chosen, char *err, size_t errlen)
{
	const char *p = spec;

	memset(chosen, 0, n * sizeof *chosen);
	if (!spec) {
		for (size_t i = 0; i < n; i++)
			chosen[i] = types[i] != COT_TYPE_JSON &&
				    types[i] != COT_TYPE_NULL;
		return 0;
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		char *tok = xstrndup(p, len);
		bool glob = strpbrk(tok, "*?[") != NULL, any = false;

		for (size_t i = 0; len && i < n; i++) {
			if (glob ? fnmatch(tok, names[i], 0) != 0 :
			    strcmp(tok, names[i]) != 0)
				continue;
			if (types[i] == COT_TYPE_JSON ||
			    types[i] == COT_TYPE_NULL) {
				if (glob)
					continue;
				snprintf(err, errlen, "field '%s' is a list: "
					 "stats summarizes numbers, flags and "
					 "strings", names[i]);
				free(tok);
				return -1;
			}
			chosen[i] = true;
			any = true;
		}
		if (len && !any) {
			snprintf(err, errlen, "no field '%s' to summarize "
				 "(see 'cotlog fields')", tok);
			free(tok);
			return -1;
		}
		free(tok);
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void add_field(summary *s, const char *name, cot_type type,
		      const char *unit, long index)
{
	fdef *f;

	s->f = xrealloc(s->f, (s->nf + 1) * sizeof *s->f);
	f = &s->f[s->nf++];
	memset(f, 0, sizeof *f);	/* no run at rest until find_runs */
	f->name = xstrdup(name);
	f->unit = xstrdup(unit ? unit : "");
	f->type = type;
	f->index = index;
	f->slot = numeric(type) ? s->nnum++ : type == COT_TYPE_BOOL ?
		  s->nbool++ : s->nstr++;
}

static summary *alloc_summary(const char *by, const char *analysis)
{
	summary *s = xcalloc(1, sizeof *s);

	s->by = by ? utf8_dup(by) : NULL;
	s->analysis = utf8_dup(analysis ? analysis : "");
	s->max_groups = SUMMARY_MAX_GROUPS;
	return s;
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
static void find_runs(summary *s, const cot_analyzer *az)
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

summary *summary_new(const cot_analyzer *az, const char *fields,
		     const char *by, const char *analysis, char *err,
		     size_t errlen)
{
	size_t n = cot_field_count(az);
	const char **names = xcalloc(n, sizeof *names);
	cot_type *types = xcalloc(n, sizeof *types);
	bool *chosen = xcalloc(n, sizeof *chosen);
	summary *s = NULL;

	for (size_t i = 0; i < n; i++) {
		names[i] = cot_field_at(az, i)->name;
		types[i] = cot_field_at(az, i)->type;
	}
	if (choose(names, types, n, fields, chosen, err, errlen) == 0) {
		s = alloc_summary(by, analysis);
		for (size_t i = 0; i < n; i++)
			if (chosen[i])
				add_field(s, names[i], types[i],
					  cot_field_at(az, i)->unit, (long)i);
		find_runs(s, az);
		group_init(s, &s->total);
	}
	free(names);
	free(types);
	free(chosen);
	return s;
}

size_t summary_field_indexes(const summary *s, size_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nf; i++) {
		if (s->f[i].index < 0)
			continue;
		if (out && n < max)
			out[n] = (size_t)s->f[i].index;
		n++;
	}
	return n;
}

summary *summary_new_like(const summary *o)
{
	summary *s = alloc_summary(o->by, o->analysis);

	for (size_t i = 0; i < o->nf; i++) {
		add_field(s, o->f[i].name, o->f[i].type, o->f[i].unit,
			  o->f[i].index);
		s->f[i].rest_end = o->f[i].rest_end;
		s->f[i].rest = o->f[i].rest;
	}
	s->max_groups = o->max_groups;
	group_init(s, &s->total);
	return s;
}

void summary_free(summary *s)
{
	if (!s)
		return;
	group_dispose(s, &s->total);
	for (size_t i = 0; i < s->ng; i++) {
		group_dispose(s, s->g[i]);
		free(s->g[i]);
	}
	for (size_t i = 0; i < s->nf; i++) {
		free(s->f[i].name);
		free(s->f[i].unit);
	}
	free(s->f);
	free(s->g);
	free(s->ht);
	free(s->by);
	free(s->analysis);
	free(s->key.p);
	free(s);
}

void summary_set_max_groups(summary *s, size_t n)
{
	s->max_groups = n;
}

bool summary_by_file(const summary *s)
{
	return s->by && !strcmp(s->by, "file");
}

const char *summary_by(const summary *s)
{
	return s->by;
}

/* ---- groups -------------------------------------------------------- */

static uint64_t hash(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);	/* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * UINT64_C(0x100000001b3);
	return h;
}

static void ht_put(summary *s, size_t gi)
{
	size_t m = s->htcap - 1, h = hash(s->g[gi]->key, s->g[gi]->keylen) & m;

	while (s->ht[h])
		h = (h + 1) & m;
	s->ht[h] = gi + 1;
}

static group *find_group(const summary *s, const char *key, size_t len)
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
	json_error_t je;
	json_t *j;
	char *d;

	if (!len || key[0] != '"')
		return xstrndup(key, len);
	j = json_loadb(key, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!json_is_string(j)) {
		json_decref(j);
		return xstrndup(key, len);
	}
	d = xstrndup(json_string_value(j), json_string_length(j));
	json_decref(j);
	return d;
}

/* The group of key, made if new; NULL past the limit. */
static group *get_group(summary *s, const char *key, size_t len)
{
	group *g = find_group(s, key, len);

	if (g)
		return g;
	if (s->ng >= s->max_groups)
		return NULL;
	if (s->ng == s->capg) {
		s->capg = s->capg ? s->capg * 2 : 16;
		s->g = xrealloc(s->g, s->capg * sizeof *s->g);
	}
	g = xmalloc(sizeof *g);
	group_init(s, g);
	g->key = xstrndup(key, len);
	g->keylen = len;
	g->disp = display_key(key, len);
	s->g[s->ng++] = g;
	if (s->ng * 2 > s->htcap) {
		s->htcap = s->htcap ? s->htcap * 2 : 64;
		free(s->ht);
		s->ht = xcalloc(s->htcap, sizeof *s->ht);
		for (size_t i = 0; i < s->ng; i++)
			ht_put(s, i);
	} else {
		ht_put(s, s->ng - 1);
	}
	return g;
}

/* The key of a file: its name as a JSON string (made valid UTF-8). */
static void file_key(summary *s, const char *file)
{
	sb u = { 0 };

	sb_utf8(&u, file, strlen(file));
	s->key.n = 0;
	sb_json_str(&s->key, u.p ? u.p : "", u.n);
	free(u.p);
}

/* A list or object from the record, without the white space between
 * its tokens: one line, and the same key however it was spaced. */
static void sb_compact_json(sb *b, const char *s, size_t n)
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
			sb_add(b, s + run, i - run);
			run = i + 1;
		}
	}
	sb_add(b, s + run, n - run);
}

/* The canonical JSON text of a --by value into s->key: the key of its
 * group. Numbers are written the shortest way that reads back (so 3
 * and 3.0 are one group); a list or object keeps the record's text. */
static void key_text(summary *s, const cot_value *v)
{
	char num[32];

	s->key.n = 0;
	switch (v->type) {
	case COT_TYPE_BOOL:
		sb_puts(&s->key, v->b ? "true" : "false");
		break;
	case COT_TYPE_INT:
		sb_printf(&s->key, "%lld", (long long)v->i);
		break;
	case COT_TYPE_REAL:
		if (!isfinite(v->r)) {
			sb_puts(&s->key, "null");
			break;
		}
		summary_number(v->r, num);
		sb_puts(&s->key, num);
		break;
	case COT_TYPE_STRING:
		sb_json_str(&s->key, v->s, v->len);
		break;
	case COT_TYPE_JSON:
		sb_compact_json(&s->key, v->s, v->len);
		break;
	default:
		sb_puts(&s->key, "null");
	}
}

/* ---- adding -------------------------------------------------------- */

/* 64 x 64 -> 128 bits, without relying on a 128-bit type. */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	uint64_t a0 = (uint32_t)a, a1 = a >> 32;
	uint64_t b0 = (uint32_t)b, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;

	*lo = (mid << 32) | (uint32_t)p00;
	*hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

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

static void sketch_flush(numacc *a)
{
	for (unsigned k = 0; k < a->npend; k++)
		if (sketch_add(&a->sk, a->pend[k]) == -1)
			out_of_memory();
	a->npend = 0;
}

/* x (finite, not 0) into the sketch, NUM_PENDING at a time. */
static void sketch_later(numacc *a, double x)
{
	a->pend[a->npend++] = x;
	if (a->npend == NUM_PENDING)
		sketch_flush(a);
}

/* The INT value 0, c times (most counts of a profile): nothing to sum. */
static void num_add_int_zeros(numacc *a, uint64_t c)
{
	if (a->n == 0 || a->imin > 0)
		a->imin = 0;
	if (a->n == 0 || a->imax < 0)
		a->imax = 0;
	a->n += c;
	sketch_add_zeros(&a->sk, c);
}

static void num_add_int(numacc *a, int64_t x)
{
	uint64_t v[3], m = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;

	if (x == 0) {
		num_add_int_zeros(a, 1);
		return;
	}
	if (a->n == 0 || x < a->imin)
		a->imin = x;
	if (a->n == 0 || x > a->imax)
		a->imax = x;
	a->n++;
	a->nonzero++;
	v[0] = (uint64_t)x;
	v[1] = x < 0 ? UINT64_MAX : 0;	/* sign extension */
	limbs_add(a->is, v, 2);
	mul64(m, m, &v[1], &v[0]);
	v[2] = 0;
	limbs_add(a->iq, v, 3);
	sketch_later(a, (double)x);
}

/* The REAL value 0 (or -0), c times: nothing to sum. */
static void num_add_real_zeros(numacc *a, uint64_t c)
{
	/* -0 and 0: one min in any order */
	if (a->n == 0 || a->rmin > 0)
		a->rmin = 0;
	if (a->n == 0 || a->rmax < 0)
		a->rmax = 0;
	a->n += c;
	if (!a->x)
		a->x = xcalloc(2, sizeof *a->x);
	sketch_add_zeros(&a->sk, c);
}

static void num_add_real(numacc *a, double x)
{
	if (!isfinite(x))
		return;		/* counted as null */
	if (x == 0) {
		num_add_real_zeros(a, 1);
		return;
	}
	if (a->n == 0 || x < a->rmin)
		a->rmin = x;
	if (a->n == 0 || x > a->rmax)
		a->rmax = x;
	a->n++;
	if (!a->x)
		a->x = xcalloc(2, sizeof *a->x);
	a->nonzero++;
	xsum_add_double(&a->x[0], x);
	if (!a->sq_over && !xsum_add_double_square(&a->x[1], x)) {
		a->sq_over = true;
		memset(&a->x[1], 0, sizeof a->x[1]);
	}
	sketch_later(a, x);
}

static void str_over(stracc *a)
{
	a->over = true;
	str_drop_values(a);
}

static void str_add(stracc *a, const char *s, size_t len, uint64_t count)
{
	a->n += count;
	if (a->over)
		return;
	if (len > SUMMARY_MAX_VALUE_LEN) {
		str_over(a);
		return;
	}
	for (size_t k = 0; k < a->nv; k++)
		if (a->v[k].len == len && !memcmp(a->v[k].s, s, len)) {
			a->v[k].c += count;
			return;
		}
	if (a->nv == SUMMARY_MAX_VALUES) {
		str_over(a);
		return;
	}
	if (!a->v)
		a->v = xmalloc(SUMMARY_MAX_VALUES * sizeof *a->v);
	a->v[a->nv].s = xstrndup(s, len);
	a->v[a->nv].len = len;
	a->v[a->nv].c = count;
	a->nv++;
}

/* Value v of field f into group g; a null or mistyped one is null. */
static void add_value(group *g, const fdef *f, const cot_value *v)
{
	if (v->type != f->type)
		return;
	switch (f->type) {
	case COT_TYPE_INT:
		num_add_int(&g->num[f->slot], v->i);
		break;
	case COT_TYPE_REAL:
		num_add_real(&g->num[f->slot], v->r);
		break;
	case COT_TYPE_BOOL:
		if (v->b)
			g->bl[f->slot].t++;
		else
			g->bl[f->slot].f++;
		break;
	default:
		str_add(&g->str[f->slot], v->s, v->len, 1);
	}
}

/* Trace i's values into the total and group g (NULL: none). */
static void add_trace(summary *s, cot_result *res, size_t i, group *g)
{
	group *to[2] = { &s->total, g };
	int nto = g ? 2 : 1;

	for (size_t j = 0; j < s->nf; j++) {
		const fdef *f = &s->f[j];
		cot_value v;

		if (f->index < 0)
			continue;	/* read from a partial: no registry */
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
			add_value(to[k], f, &v);
	}
}

/* The values of run f at rest, c times, into g: they are 0, 0.0 or
 * null (rest_value). */
static void add_rest(group *g, const fdef *f, uint64_t c)
{
	if (f->rest.type != f->type)
		return;		/* null: not counted */
	if (f->type == COT_TYPE_INT)
		num_add_int_zeros(&g->num[f->slot], c);
	else
		num_add_real_zeros(&g->num[f->slot], c);
}

static void settle_group(const summary *s, group *g)
{
	for (size_t i = 0; i < s->nnum; i++)
		sketch_flush(&g->num[i]);
	for (size_t j = 0; j < s->nf; j++) {
		if (!g->at_rest[j])
			continue;
		for (size_t m = j; m < s->f[j].rest_end; m++)
			add_rest(g, &s->f[m], g->at_rest[j]);
		g->at_rest[j] = 0;
	}
}

/* Add what the runs at rest hold, and the values waiting for the
 * sketches: before anything reads the sums. */
static void settle(summary *s)
{
	settle_group(s, &s->total);
	for (size_t i = 0; i < s->ng; i++)
		settle_group(s, s->g[i]);
}

/* The group of trace i (COT_NO_TRACE: the record alone), or NULL when
 * there are no groups or the key failed (*rc and err say why). */
static group *group_of(summary *s, cot_result *res, size_t i,
		       cot_expr *by, const char *file, cot_error *err,
		       int *rc)
{
	group *g;

	if (!s->by)
		return NULL;
	if (summary_by_file(s)) {
		s->key.n = 0;
		file_key(s, file);
	} else if (by) {
		cot_value v;
		cot_error e;

		if (cot_expr_eval(&v, by, res, i, &e)) {
			s->total.by_errors++;
			if (*rc == COT_OK && err)
				*err = e;
			if (*rc == COT_OK)
				*rc = COT_EINVAL;
			return NULL;
		}
		key_text(s, &v);
	} else {
		s->key.n = 0;
		sb_puts(&s->key, "null");
	}
	g = get_group(s, s->key.p, s->key.n);
	if (!g && *rc == COT_OK) {
		*rc = COT_ELIMIT;
		if (err) {
			err->code = COT_ELIMIT;
			err->line = err->column = 0;
			snprintf(err->message, sizeof err->message,
				 "--by %s: more than %zu groups (raise "
				 "--max-groups, or group by something with "
				 "fewer values)", s->by, s->max_groups);
		}
	}
	if (g && g->last_rec != s->rec_serial) {
		g->last_rec = s->rec_serial;
		g->records++;
	}
	return g;
}

int summary_add_record(summary *s, cot_result *res, cot_expr *by,
		       const char *file, cot_error *err)
{
	size_t n = cot_result_traces(res);
	int rc = COT_OK;

	s->rec_serial++;
	s->total.records++;
	if (n == 0) {
		group *g = group_of(s, res, COT_NO_TRACE, by, file, err, &rc);

		s->total.no_trace++;
		if (g)
			g->no_trace++;
	}
	for (size_t i = 0; i < n; i++) {
		group *g = group_of(s, res, i, by, file, err, &rc);

		s->total.traces++;
		if (g)
			g->traces++;
		add_trace(s, res, i, g);
	}
	return rc;
}

void summary_add_malformed(summary *s, const char *file, uint64_t n)
{
	s->total.malformed += n;
	if (summary_by_file(s) && n) {
		group *g;

		s->key.n = 0;
		file_key(s, file);
		g = get_group(s, s->key.p, s->key.n);
		if (g)
			g->malformed += n;
	}
}

/* ---- merging ------------------------------------------------------- */

/* The sums of a as xsums, whatever the type: for partials, equality
 * and the statistics. */
static void num_sums(const numacc *a, xsum *sum, xsum *sq)
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
	xsum_add_uint(sum, mag, 2, neg);
	xsum_add_uint(sq, a->iq, 3, false);
}

static void num_merge(numacc *d, const numacc *a)
{
	if (a->n == 0)
		return;
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
		if (!d->x)
			d->x = xcalloc(2, sizeof *d->x);
		xsum_merge(&d->x[0], &a->x[0]);
		xsum_merge(&d->x[1], &a->x[1]);
	}
	if (a->sq_over || d->sq_over) {
		d->sq_over = true;
		if (d->x)
			memset(&d->x[1], 0, sizeof d->x[1]);
	}
	if (sketch_merge(&d->sk, &a->sk))
		out_of_memory();
	for (unsigned k = 0; k < a->npend; k++)
		sketch_later(d, a->pend[k]);
}

static void str_merge(stracc *d, const stracc *a)
{
	uint64_t n = d->n + a->n;

	if (a->over)
		str_over(d);
	for (size_t k = 0; k < a->nv && !d->over; k++)
		str_add(d, a->v[k].s, a->v[k].len, a->v[k].c);
	d->n = n;
}

static void group_merge(const summary *s, group *d, const group *a)
{
	d->records += a->records;
	d->traces += a->traces;
	d->no_trace += a->no_trace;
	d->malformed += a->malformed;
	d->by_errors += a->by_errors;
	for (size_t i = 0; i < s->nnum; i++)
		num_merge(&d->num[i], &a->num[i]);
	for (size_t i = 0; i < s->nbool; i++) {
		d->bl[i].t += a->bl[i].t;
		d->bl[i].f += a->bl[i].f;
	}
	for (size_t i = 0; i < s->nstr; i++)
		str_merge(&d->str[i], &a->str[i]);
	for (size_t j = 0; j < s->nf; j++)
		d->at_rest[j] += a->at_rest[j];
}

static int same_shape(const summary *a, const summary *b, char *err,
		      size_t errlen)
{
	if ((a->by == NULL) != (b->by == NULL) ||
	    (a->by && strcmp(a->by, b->by))) {
		snprintf(err, errlen, "the summaries are grouped differently "
			 "(--by %s, --by %s)", a->by ? a->by : "(none)",
			 b->by ? b->by : "(none)");
		return -1;
	}
	if (strcmp(a->analysis, b->analysis)) {
		snprintf(err, errlen, "the summaries were made with other "
			 "analysis options ('%s', '%s')", a->analysis,
			 b->analysis);
		return -1;
	}
	for (size_t i = 0; i < a->nf || i < b->nf; i++) {
		if (i >= a->nf || i >= b->nf ||
		    strcmp(a->f[i].name, b->f[i].name) ||
		    a->f[i].type != b->f[i].type) {
			snprintf(err, errlen, "the summaries hold other fields"
				 " ('%s', '%s'): make them with the same "
				 "--fields and cotlog version",
				 i < a->nf ? a->f[i].name : "(none)",
				 i < b->nf ? b->f[i].name : "(none)");
			return -1;
		}
	}
	return 0;
}

/* Every count of a summary is at most one of its total's (partials are
 * checked for that when read), so if the totals' sums stay within what
 * a partial can hold (int64), no count anywhere wraps. */
static bool totals_fit(const group *a, const group *b)
{
	const uint64_t x[] = { a->records, a->traces, a->no_trace,
			       a->malformed, a->by_errors };
	const uint64_t y[] = { b->records, b->traces, b->no_trace,
			       b->malformed, b->by_errors };

	for (size_t i = 0; i < sizeof x / sizeof *x; i++)
		if (x[i] > (uint64_t)INT64_MAX - y[i])
			return false;
	return true;
}

int summary_merge(summary *dst, const summary *src, char *err,
		  size_t errlen)
{
	if (same_shape(dst, src, err, errlen))
		return -1;
	if (!totals_fit(&dst->total, &src->total)) {
		snprintf(err, errlen, "the merged counts would pass 2^63 - 1");
		return -1;
	}
	group_merge(dst, &dst->total, &src->total);
	for (size_t i = 0; i < src->ng; i++) {
		group *g = get_group(dst, src->g[i]->key, src->g[i]->keylen);

		if (!g) {
			snprintf(err, errlen, "--by %s: more than %zu groups",
				 dst->by, dst->max_groups);
			return -1;
		}
		group_merge(dst, g, src->g[i]);
	}
	return 0;
}

/* ---- partials ------------------------------------------------------ */

#define PARTIAL_FORMAT 1
#define SKETCH_NAME "loglinear-6"

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

static int cmp_groups(const void *pa, const void *pb)
{
	const group *a = *(group *const *)pa, *b = *(group *const *)pb;
	int ra = key_rank(a->key), rb = key_rank(b->key), c;

	if (ra != rb)
		return ra - rb;
	if (ra == 3) {
		double x = strtod(a->key, NULL), y = strtod(b->key, NULL);

		if (x != y)
			return x < y ? -1 : 1;
	}
	c = memcmp(a->key, b->key, a->keylen < b->keylen ? a->keylen :
		   b->keylen);
	if (c)
		return c;
	return (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

/* The groups in that order, in a new array. */
static group **sorted_groups(const summary *s)
{
	group **g = xcalloc(s->ng, sizeof *g);

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

/* The values of a in order of count (most first), then bytes. */
static strval *sorted_values(const stracc *a)
{
	strval *v = xcalloc(a->nv, sizeof *v);

	if (a->nv)
		memcpy(v, a->v, a->nv * sizeof *v);
	qsort(v, a->nv, sizeof *v, cmp_values);
	return v;
}

static json_t *need(json_t *j)
{
	if (!j)
		out_of_memory();
	return j;
}

static json_t *num_to_json(const fdef *f, const numacc *a)
{
	char sum[XSUM_TEXT_MAX], sq[XSUM_TEXT_MAX];
	xsum xs, xq;
	json_t *lo, *hi;

	if (a->n == 0)
		return json_null();
	num_sums(a, &xs, &xq);
	xsum_format(&xs, sum);
	xsum_format(&xq, sq);
	if (f->type == COT_TYPE_INT) {
		lo = json_integer(a->imin);
		hi = json_integer(a->imax);
	} else {
		lo = json_real(a->rmin);
		hi = json_real(a->rmax);
	}
	return need(json_pack("{sIsIsoso sssoso}", "n", (json_int_t)a->n,
			      "nonzero", (json_int_t)a->nonzero,
			      "min", need(lo), "max", need(hi),
			      "sum", sum,
			      "sq", a->sq_over ? json_null() : json_string(sq),
			      "sketch", need(sketch_to_json(&a->sk))));
}

static json_t *str_to_json(const stracc *a)
{
	json_t *vals;
	strval *v;

	if (a->over)
		vals = json_null();
	else {
		vals = need(json_array());
		v = sorted_values(a);
		for (size_t k = 0; k < a->nv; k++)
			json_array_append_new(vals, need(json_pack(
				"[oI]", need(json_stringn_nocheck(v[k].s,
								  v[k].len)),
				(json_int_t)v[k].c)));
		free(v);
	}
	return need(json_pack("{sIso}", "n", (json_int_t)a->n,
			      "values", vals));
}

static json_t *group_to_json(const summary *s, const group *g)
{
	json_t *vals = need(json_array());
	json_t *j;

	for (size_t i = 0; i < s->nf; i++) {
		const fdef *f = &s->f[i];
		json_t *v;

		if (numeric(f->type))
			v = num_to_json(f, &g->num[f->slot]);
		else if (f->type == COT_TYPE_BOOL)
			v = need(json_pack("[II]",
					   (json_int_t)g->bl[f->slot].t,
					   (json_int_t)g->bl[f->slot].f));
		else
			v = str_to_json(&g->str[f->slot]);
		json_array_append_new(vals, v);
	}
	j = need(json_pack("{sIsIsIsIsIso}",
			   "records", (json_int_t)g->records,
			   "traces", (json_int_t)g->traces,
			   "no_trace", (json_int_t)g->no_trace,
			   "malformed", (json_int_t)g->malformed,
			   "by_errors", (json_int_t)g->by_errors,
			   "values", vals));
	if (g->key)
		json_object_set_new(j, "key", need(json_stringn_nocheck(
			g->key, g->keylen)));
	return j;
}

char *summary_partial(summary *s)
{
	json_t *fields, *groups, *j;
	group **sorted;
	char *text, *line;
	size_t n;

	settle(s);
	fields = need(json_array());
	groups = need(json_array());
	sorted = sorted_groups(s);
	for (size_t i = 0; i < s->nf; i++)
		json_array_append_new(fields, need(json_pack("[sss]",
			s->f[i].name, type_names[s->f[i].type],
			s->f[i].unit)));
	for (size_t i = 0; i < s->ng; i++)
		json_array_append_new(groups, group_to_json(s, sorted[i]));
	free(sorted);
	j = need(json_pack("{sisssssosssososo}",
			   "cotlog_stats_partial", PARTIAL_FORMAT,
			   "version", cot_version(), "sketch", SKETCH_NAME,
			   "by", s->by ? json_string(s->by) : json_null(),
			   "analysis", s->analysis, "fields", fields,
			   "total", group_to_json(s, &s->total),
			   "groups", groups));
	/* integers as integers, reals with 17 digits: read back exactly */
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		out_of_memory();
	n = strlen(text);
	line = xmalloc(n + 2);
	memcpy(line, text, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	free(text);
	return line;
}

static bool get_count(const json_t *j, uint64_t *out)
{
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return false;
	*out = (uint64_t)json_integer_value(j);
	return true;
}

static bool num_from_json(const fdef *f, numacc *a, const json_t *j)
{
	json_t *lo, *hi, *sk, *sq;
	json_int_t n, nz;
	const char *sum;
	double dmin, dmax;

	if (json_is_null(j))
		return true;
	if (json_unpack((json_t *)j, "{sIsIsososssoso!}", "n", &n,
			"nonzero", &nz, "min", &lo, "max", &hi, "sum", &sum,
			"sq", &sq, "sketch", &sk) || n <= 0 || nz < 0 ||
	    nz > n)
		return false;
	a->n = (uint64_t)n;
	a->nonzero = (uint64_t)nz;
	if (f->type == COT_TYPE_INT) {
		if (!json_is_integer(lo) || !json_is_integer(hi))
			return false;
		a->imin = json_integer_value(lo);
		a->imax = json_integer_value(hi);
		dmin = (double)a->imin;
		dmax = (double)a->imax;
	} else {
		if (!json_is_number(lo) || !json_is_number(hi))
			return false;
		a->rmin = dmin = json_number_value(lo);
		a->rmax = dmax = json_number_value(hi);
	}
	/* min and max must be values the sketch holds, at its ends */
	if (!(dmin <= dmax) || !isfinite(dmin) || !isfinite(dmax) ||
	    (nz < n && (dmin > 0 || dmax < 0)) ||
	    (nz > 0 && dmin == 0 && dmax == 0))
		return false;
	{
		xsum xs, xq = { { 0 } };
		uint64_t mag[2];
		bool neg;

		if (!xsum_parse(&xs, sum))
			return false;
		if (json_is_null(sq))
			a->sq_over = true;
		else if (!json_is_string(sq) ||
			 !xsum_parse(&xq, json_string_value(sq)))
			return false;
		if (xsum_value(&xq) < 0)
			return false;	/* a sum of squares */
		if (f->type == COT_TYPE_REAL) {
			a->x = xcalloc(2, sizeof *a->x);
			a->x[0] = xs;
			a->x[1] = xq;
		} else {	/* back into the integers they came from */
			bool qneg;

			if (a->sq_over || !xsum_get_uint(&xs, mag, 2, &neg) ||
			    mag[1] >> 63 ||
			    !xsum_get_uint(&xq, a->iq, 3, &qneg) || qneg)
				return false;
			if (neg) {
				mag[0] = ~mag[0] + 1;
				mag[1] = ~mag[1] + (mag[0] == 0);
			}
			a->is[0] = mag[0];
			a->is[1] = mag[1];
		}
	}
	return sketch_from_json(&a->sk, sk) && a->sk.n == a->n &&
	       a->sk.zero == a->n - a->nonzero &&
	       sketch_holds_extremes(&a->sk, dmin, dmax);
}

static bool str_from_json(stracc *a, const json_t *j)
{
	json_t *vals, *v;
	json_int_t n;
	size_t k;

	if (json_unpack((json_t *)j, "{sIso!}", "n", &n, "values", &vals) ||
	    n < 0)
		return false;
	if (json_is_null(vals)) {
		a->n = (uint64_t)n;
		a->over = true;
		return true;
	}
	if (!json_is_array(vals) || json_array_size(vals) > SUMMARY_MAX_VALUES)
		return false;
	json_array_foreach(vals, k, v) {
		json_t *s = json_array_get(v, 0);
		uint64_t c;

		/* a value is listed because it was met: a count from 1, and
		 * all of them no more than n (so their sum cannot wrap) */
		if (json_array_size(v) != 2 || !json_is_string(s) ||
		    !get_count(json_array_get(v, 1), &c) || c == 0 ||
		    c > (uint64_t)n - a->n ||
		    json_string_length(s) > SUMMARY_MAX_VALUE_LEN)
			return false;
		str_add(a, json_string_value(s), json_string_length(s), c);
	}
	if (a->over || a->nv != json_array_size(vals) ||
	    a->n != (uint64_t)n)
		return false;	/* repeated values, or counts off */
	return true;
}

static bool group_from_json(const summary *s, group *g, const json_t *j,
			    bool total, const char **where)
{
	json_t *vals, *key = NULL;
	json_int_t c[5];

	*where = total ? "total" : "group";
	if (json_unpack((json_t *)j, total ? "{sIsIsIsIsIso!}" :
			"{sIsIsIsIsIsoso!}",
			"records", &c[0], "traces", &c[1], "no_trace", &c[2],
			"malformed", &c[3], "by_errors", &c[4], "values",
			&vals, "key", &key))
		return false;
	for (int i = 0; i < 5; i++)
		if (c[i] < 0)
			return false;
	g->records = (uint64_t)c[0];
	g->traces = (uint64_t)c[1];
	g->no_trace = (uint64_t)c[2];
	g->malformed = (uint64_t)c[3];
	g->by_errors = (uint64_t)c[4];
	/* each record has traces or is a record with none; each of those
	 * has its key at most once (a group never counts by_errors) */
	if (g->no_trace > g->records ||
	    g->records > g->traces + g->no_trace ||
	    g->by_errors > (total ? g->traces + g->no_trace : 0))
		return false;
	if (!json_is_array(vals) || json_array_size(vals) != s->nf)
		return false;
	for (size_t i = 0; i < s->nf; i++) {
		const fdef *f = &s->f[i];
		json_t *v = json_array_get(vals, i);

		*where = f->name;
		/* a field has at most one value per trace */
		if (numeric(f->type)) {
			if (!num_from_json(f, &g->num[f->slot], v) ||
			    g->num[f->slot].n > g->traces)
				return false;
		} else if (f->type == COT_TYPE_BOOL) {
			const boolacc *b = &g->bl[f->slot];

			if (json_array_size(v) != 2 ||
			    !get_count(json_array_get(v, 0),
				       &g->bl[f->slot].t) ||
			    !get_count(json_array_get(v, 1),
				       &g->bl[f->slot].f) ||
			    b->t > g->traces || b->f > g->traces - b->t)
				return false;
		} else if (!str_from_json(&g->str[f->slot], v) ||
			   g->str[f->slot].n > g->traces) {
			return false;
		}
	}
	return true;
}

static cot_type type_of(const char *name)
{
	for (int t = COT_TYPE_BOOL; t <= COT_TYPE_STRING; t++)
		if (!strcmp(name, type_names[t]))
			return (cot_type)t;
	return COT_TYPE_NULL;
}

summary *summary_parse_partial(const char *text, size_t len, char *err,
			       size_t errlen)
{
	json_t *j, *by, *fields, *total, *groups, *v;
	const char *version, *sk, *analysis, *where = "fields";
	json_error_t je;
	summary *s = NULL;
	json_int_t format;
	uint64_t sums[3] = { 0 };
	size_t i;

	j = json_loadb(text, len, 0, &je);
	if (!j) {
		snprintf(err, errlen, "not a cotlog stats partial: %s",
			 je.text);
		return NULL;
	}
	if (json_unpack(j, "{sIsssssosssososo!}", "cotlog_stats_partial",
			&format, "version", &version, "sketch", &sk, "by", &by,
			"analysis", &analysis, "fields", &fields, "total",
			&total, "groups", &groups)) {
		snprintf(err, errlen, "not a cotlog stats partial");
		goto fail;
	}
	if (format != PARTIAL_FORMAT || strcmp(sk, SKETCH_NAME)) {
		snprintf(err, errlen, "a partial of another format (%lld, %s) "
			 "from cotlog %s: this is %s", (long long)format, sk,
			 version, cot_version());
		goto fail;
	}
	if (!(json_is_null(by) || json_is_string(by)) ||
	    !json_is_array(fields) || !json_is_array(groups))
		goto bad;
	s = alloc_summary(json_string_value(by), analysis);
	json_array_foreach(fields, i, v) {
		const char *name, *type, *unit;
		cot_type t;

		if (json_unpack(v, "[sss!]", &name, &type, &unit) ||
		    (t = type_of(type)) == COT_TYPE_NULL)
			goto bad;
		add_field(s, name, t, unit, -1);
	}
	group_init(s, &s->total);
	if (!group_from_json(s, &s->total, total, true, &where))
		goto bad;
	json_array_foreach(groups, i, v) {
		json_t *key = json_object_get(v, "key");
		group *g;

		where = "group key";
		if (!s->by || !json_is_string(key) ||
		    find_group(s, json_string_value(key),
			       json_string_length(key)))
			goto bad;
		g = get_group(s, json_string_value(key),
			      json_string_length(key));
		if (!g) {
			snprintf(err, errlen, "--by %s: more than %zu groups",
				 s->by, s->max_groups);
			goto fail;
		}
		if (!group_from_json(s, g, v, false, &where))
			goto bad;
		/* each trace, record without one and malformed line of the
		 * total is in one group at most; a record may be in several
		 * (by its traces), each at most once */
		where = "group counts";
		if (g->records > s->total.records ||
		    (sums[0] += g->traces) > s->total.traces ||
		    (sums[1] += g->no_trace) > s->total.no_trace ||
		    (sums[2] += g->malformed) > s->total.malformed)
			goto bad;
	}
	/* with --by, each trace and record without one has a group, or
	 * failed to get one (by_errors); malformed lines have one only
	 * with --by file */
	where = "group counts";
	if (s->by && (s->total.by_errors != (s->total.traces - sums[0]) +
		      (s->total.no_trace - sums[1]) ||
		      sums[2] != (summary_by_file(s) ? s->total.malformed :
				  0)))
		goto bad;
	json_decref(j);
	return s;
bad:
	snprintf(err, errlen, "a damaged cotlog stats partial (at %s)", where);
fail:
	summary_free(s);
	json_decref(j);
	return NULL;
}

/* ---- equality (tests) ---------------------------------------------- */

static bool num_equal(const numacc *a, const numacc *b, cot_type t)
{
	xsum as, aq, bs, bq;

	if (a->n != b->n)
		return false;
	if (a->n == 0)
		return true;
	if (t == COT_TYPE_INT ? a->imin != b->imin || a->imax != b->imax :
	    a->rmin != b->rmin || a->rmax != b->rmax)
		return false;
	num_sums(a, &as, &aq);
	num_sums(b, &bs, &bq);
	return a->nonzero == b->nonzero && a->sq_over == b->sq_over &&
	       xsum_equal(&as, &bs) && xsum_equal(&aq, &bq) &&
	       sketch_equal(&a->sk, &b->sk);
}

static bool str_equal(const stracc *a, const stracc *b)
{
	bool eq;
	strval *x, *y;

	if (a->n != b->n || a->over != b->over || a->nv != b->nv)
		return false;
	x = sorted_values(a);
	y = sorted_values(b);
	eq = true;
	for (size_t k = 0; k < a->nv && eq; k++)
		eq = x[k].c == y[k].c && x[k].len == y[k].len &&
		     !memcmp(x[k].s, y[k].s, x[k].len);
	free(x);
	free(y);
	return eq;
}

static bool group_equal(const summary *s, const group *a, const group *b)
{
	if (a->records != b->records || a->traces != b->traces ||
	    a->no_trace != b->no_trace || a->malformed != b->malformed ||
	    a->by_errors != b->by_errors)
		return false;
	for (size_t i = 0; i < s->nf; i++) {
		const fdef *f = &s->f[i];

		if (numeric(f->type) ? !num_equal(&a->num[f->slot],
						  &b->num[f->slot], f->type) :
		    f->type == COT_TYPE_BOOL ?
		    a->bl[f->slot].t != b->bl[f->slot].t ||
		    a->bl[f->slot].f != b->bl[f->slot].f :
		    !str_equal(&a->str[f->slot], &b->str[f->slot]))
			return false;
	}
	return true;
}

bool summary_equal(summary *a, summary *b)
{
	char err[256];

	settle(a);
	settle(b);
	if (same_shape(a, b, err, sizeof err) || a->ng != b->ng ||
	    !group_equal(a, &a->total, &b->total))
		return false;
	for (size_t i = 0; i < a->ng; i++) {
		const group *g = find_group(b, a->g[i]->key, a->g[i]->keylen);

		if (!g || !group_equal(a, a->g[i], g))
			return false;
	}
	return true;
}

void summary_totals(const summary *s, summary_counts *out)
{
	out->records = s->total.records;
	out->traces = s->total.traces;
	out->no_trace = s->total.no_trace;
	out->malformed = s->total.malformed;
	out->by_errors = s->total.by_errors;
}

size_t summary_groups(const summary *s)
{
	return s->ng;
}

/* ---- statistics from the state ------------------------------------- */

typedef struct nstat {
	uint64_t n, nulls, nonzero;
	bool integer;		/* an INT field */
	bool exact_sum;		/* sum fits int64: isum */
	int64_t isum;
	double sum, mean, std, min, max, p50, p90, p99;
} nstat;

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static void num_stats(const fdef *f, const group *g, nstat *st)
{
	const numacc *a = &g->num[f->slot];
	long double sum, sq, n = (long double)a->n;
	xsum xs, xq;

	memset(st, 0, sizeof *st);
	st->n = a->n;
	st->nulls = g->traces > a->n ? g->traces - a->n : 0;
	st->nonzero = a->nonzero;
	st->integer = f->type == COT_TYPE_INT;
	st->mean = st->std = st->min = st->max = NAN;
	st->p50 = st->p90 = st->p99 = NAN;
	num_sums(a, &xs, &xq);
	sum = xsum_value(&xs);
	st->sum = (double)sum;
	st->exact_sum = xsum_to_int64(&xs, &st->isum);
	if (a->n == 0)
		return;
	st->min = st->integer ? (double)a->imin : a->rmin;
	st->max = st->integer ? (double)a->imax : a->rmax;
	st->mean = (double)(sum / n);
	if (a->n >= 2 && !a->sq_over) {
		/* sample variance from the exact sums, rounded once each */
		long double var;

		sq = xsum_value(&xq);
		var = (sq - sum * sum / n) / (n - 1);
		st->std = var > 0 ? (double)sqrtl(var) : 0.0;
	}
	/* the true quantile lies in [min, max]: clamping only helps */
	st->p50 = clamp(sketch_quantile(&a->sk, 0.5, st->integer), st->min,
			st->max);
	st->p90 = clamp(sketch_quantile(&a->sk, 0.9, st->integer), st->min,
			st->max);
	st->p99 = clamp(sketch_quantile(&a->sk, 0.99, st->integer), st->min,
			st->max);
}

/* ---- JSON and TSV -------------------------------------------------- */

static void put_num(sb *b, double v)
{
	char t[32];

	if (!isfinite(v)) {
		sb_puts(b, "null");
		return;
	}
	summary_number(v, t);
	sb_puts(b, t);
}

static void put_u(sb *b, uint64_t v)
{
	sb_printf(b, "%llu", (unsigned long long)v);
}

/* The min or max of a field as text, "" when there is none: an INT
 * field's exactly as an integer (a double would round it past 2^53 and
 * write 10 as 1e+01), a REAL field's as summary_number writes it. JSON
 * and TSV both write this text. */
static void minmax_text(const fdef *f, const numacc *a, bool max,
			char out[32])
{
	double r = max ? a->rmax : a->rmin;

	out[0] = '\0';
	if (a->n == 0)
		return;
	if (f->type == COT_TYPE_INT)
		snprintf(out, 32, "%lld", (long long)(max ? a->imax : a->imin));
	else if (isfinite(r))
		summary_number(r, out);
}

static void put_minmax(sb *b, const fdef *f, const numacc *a, bool max)
{
	char t[32];

	minmax_text(f, a, max, t);
	sb_puts(b, t[0] ? t : "null");
}

static void json_fields(sb *b, const summary *s, const group *g,
			const bool *show)
{
	bool first = true;

	sb_puts(b, "\"fields\":{");
	for (size_t i = 0; i < s->nf; i++) {
		const fdef *f = &s->f[i];

		if (!show[i])
			continue;
		if (!first)
			sb_puts(b, ",");
		first = false;
		sb_json_str(b, f->name, strlen(f->name));
		sb_printf(b, ":{\"type\":\"%s\"", type_names[f->type]);
		if (numeric(f->type)) {
			const numacc *a = &g->num[f->slot];
			nstat st;

			num_stats(f, g, &st);
			sb_puts(b, ",\"unit\":");
			sb_json_str(b, f->unit, strlen(f->unit));
			sb_puts(b, ",\"count\":");
			put_u(b, st.n);
			sb_puts(b, ",\"null\":");
			put_u(b, st.nulls);
			sb_puts(b, ",\"nonzero\":");
			put_u(b, st.nonzero);
			sb_puts(b, ",\"sum\":");
			if (st.exact_sum)
				sb_printf(b, "%lld", (long long)st.isum);
			else
				put_num(b, st.sum);
			sb_puts(b, ",\"mean\":");
			put_num(b, st.mean);
			sb_puts(b, ",\"std\":");
			put_num(b, st.std);
			sb_puts(b, ",\"min\":");
			put_minmax(b, f, a, false);
			sb_puts(b, ",\"p50\":");
			put_num(b, st.p50);
			sb_puts(b, ",\"p90\":");
			put_num(b, st.p90);
			sb_puts(b, ",\"p99\":");
			put_num(b, st.p99);
			sb_puts(b, ",\"max\":");
			put_minmax(b, f, a, true);
		} else if (f->type == COT_TYPE_BOOL) {
			const boolacc *a = &g->bl[f->slot];
			uint64_t n = a->t + a->f;

			sb_puts(b, ",\"count\":");
			put_u(b, n);
			sb_puts(b, ",\"null\":");
			put_u(b, g->traces > n ? g->traces - n : 0);
			sb_puts(b, ",\"true\":");
			put_u(b, a->t);
			sb_puts(b, ",\"false\":");
			put_u(b, a->f);
			sb_puts(b, ",\"rate\":");
			put_num(b, n ? (double)a->t / (double)n : NAN);
		} else {
			const stracc *a = &g->str[f->slot];

			sb_puts(b, ",\"count\":");
			put_u(b, a->n);
			sb_puts(b, ",\"null\":");
			put_u(b, g->traces > a->n ? g->traces - a->n : 0);
			sb_puts(b, ",\"values\":");
			if (a->over) {
				sb_puts(b, "null");
			} else {
				strval *v = sorted_values(a);

				sb_puts(b, "{");
				for (size_t k = 0; k < a->nv; k++) {
					if (k)
						sb_puts(b, ",");
					sb_json_str(b, v[k].s, v[k].len);
					sb_puts(b, ":");
					put_u(b, v[k].c);
				}
				sb_puts(b, "}");
				free(v);
			}
		}
		sb_puts(b, "}");
	}
	sb_puts(b, "}");
}

static void json_counts(sb *b, const group *g)
{
	sb_printf(b, "\"records\":%llu,\"traces\":%llu,\"no_trace\":%llu,"
		  "\"malformed\":%llu", (unsigned long long)g->records,
		  (unsigned long long)g->traces,
		  (unsigned long long)g->no_trace,
		  (unsigned long long)g->malformed);
}

static void render_json(sb *b, const summary *s, const bool *show)
{
	sb_puts(b, "{");
	json_counts(b, &s->total);
	sb_puts(b, ",\"by\":");
	if (s->by)
		sb_json_str(b, s->by, strlen(s->by));
	else
		sb_puts(b, "null");
	if (s->by)
		sb_printf(b, ",\"by_errors\":%llu",
			  (unsigned long long)s->total.by_errors);
	sb_puts(b, ",\"quantile_relative_error\":");
	put_num(b, SKETCH_ALPHA);
	sb_puts(b, ",");
	json_fields(b, s, &s->total, show);
	if (s->by) {
		group **g = sorted_groups(s);

		sb_puts(b, ",\"groups\":[");
		for (size_t i = 0; i < s->ng; i++) {
			sb_puts(b, i ? ",{\"key\":" : "{\"key\":");
			sb_add(b, g[i]->key, g[i]->keylen);
			sb_puts(b, ",");
			json_counts(b, g[i]);
			sb_puts(b, ",");
			json_fields(b, s, g[i], show);
			sb_puts(b, "}");
		}
		sb_puts(b, "]");
		free(g);
	}
	sb_puts(b, "}\n");
}

static void tsv_row(sb *b, const char *gname, const char *field,
		    const char *stat, const char *value)
{
	sb_tsv(b, gname, strlen(gname));
	sb_puts(b, "\t");
	sb_tsv(b, field, strlen(field));
	sb_puts(b, "\t");
	sb_tsv(b, stat, strlen(stat));
	sb_puts(b, "\t");
	sb_tsv(b, value, strlen(value));
	sb_puts(b, "\n");
}

static void tsv_u(sb *b, const char *gname, const char *field,
		  const char *stat, uint64_t v)
{
	char t[32];

	snprintf(t, sizeof t, "%llu", (unsigned long long)v);
	tsv_row(b, gname, field, stat, t);
}

static void tsv_d(sb *b, const char *gname, const char *field,
		  const char *stat, double v)
{
	char t[32] = "";

	if (isfinite(v))
		summary_number(v, t);
	tsv_row(b, gname, field, stat, t);
}

static void tsv_group(sb *b, const summary *s, const group *g,
		      const bool *show)
{
	const char *gname = g->key ? g->disp : "(all)";

	tsv_u(b, gname, "", "records", g->records);
	tsv_u(b, gname, "", "traces", g->traces);
	tsv_u(b, gname, "", "no_trace", g->no_trace);
	tsv_u(b, gname, "", "malformed", g->malformed);
	for (size_t i = 0; i < s->nf; i++) {
		const fdef *f = &s->f[i];

		if (!show[i])
			continue;
		if (numeric(f->type)) {
			nstat st;
			char t[32];

			num_stats(f, g, &st);
			tsv_u(b, gname, f->name, "count", st.n);
			tsv_u(b, gname, f->name, "null", st.nulls);
			tsv_u(b, gname, f->name, "nonzero", st.nonzero);
			if (st.exact_sum) {
				snprintf(t, sizeof t, "%lld",
					 (long long)st.isum);
				tsv_row(b, gname, f->name, "sum", t);
			} else {
				tsv_d(b, gname, f->name, "sum", st.sum);
			}
			tsv_d(b, gname, f->name, "mean", st.mean);
			tsv_d(b, gname, f->name, "std", st.std);
			minmax_text(f, &g->num[f->slot], false, t);
			tsv_row(b, gname, f->name, "min", t);
			tsv_d(b, gname, f->name, "p50", st.p50);
			tsv_d(b, gname, f->name, "p90", st.p90);
			tsv_d(b, gname, f->name, "p99", st.p99);
			minmax_text(f, &g->num[f->slot], true, t);
			tsv_row(b, gname, f->name, "max", t);
		} else if (f->type == COT_TYPE_BOOL) {
			const boolacc *a = &g->bl[f->slot];
			uint64_t n = a->t + a->f;

			tsv_u(b, gname, f->name, "count", n);
			tsv_u(b, gname, f->name, "null",
			      g->traces > n ? g->traces - n : 0);
			tsv_u(b, gname, f->name, "true", a->t);
			tsv_u(b, gname, f->name, "false", a->f);
			tsv_d(b, gname, f->name, "rate",
			      n ? (double)a->t / (double)n : NAN);
		} else {
			const stracc *a = &g->str[f->slot];
			sb stat = { 0 };

			tsv_u(b, gname, f->name, "count", a->n);
			tsv_u(b, gname, f->name, "null",
			      g->traces > a->n ? g->traces - a->n : 0);
			if (!a->over) {
				strval *v = sorted_values(a);

				for (size_t k = 0; k < a->nv; k++) {
					stat.n = 0;
					sb_puts(&stat, "count=");
					sb_add(&stat, v[k].s, v[k].len);
					tsv_u(b, gname, f->name, stat.p,
					      v[k].c);
				}
				free(v);
			}
			free(stat.p);
		}
	}
}

static void render_tsv(sb *b, const summary *s, const bool *show)
{
	sb_puts(b, "group\tfield\tstat\tvalue\n");
	tsv_group(b, s, &s->total, show);
	if (s->by) {
		group **g = sorted_groups(s);

		for (size_t i = 0; i < s->ng; i++)
			tsv_group(b, s, g[i], show);
		free(g);
	}
}

/* ---- the table for people ------------------------------------------ */

/* Columns a string takes on a terminal: its code points (UTF-8 lead
 * bytes). Wide CJK characters count one; names rarely have them. */
static int cols(const char *s, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Byte offset of code point k of s[0..n). */
static size_t cp_offset(const char *s, size_t n, int k)
{
	size_t i = 0;

	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && k-- == 0)
			break;
	return i;
}

static void raw(sb *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)	/* control characters as '?' */
		sb_add(b, (unsigned char)s[i] < 0x20 ? "?" : s + i, 1);
}

/* s in w columns, padded on the left (right aligned) or right; when
 * longer, its middle gives way to "…": names differ at their ends as
 * often as at their starts (qwen3-8b__think-off, qwen3-8b__think-on). */
static void cell(sb *b, const char *s, size_t n, int w, bool right)
{
	int c = cols(s, n), pad = c < w ? w - c : 0;

	for (int i = 0; right && i < pad; i++)
		sb_add(b, " ", 1);
	if (c <= w) {
		raw(b, s, n);
	} else {
		int head = (w - 1) / 2, tail = w - 1 - head;

		raw(b, s, cp_offset(s, n, head));
		sb_puts(b, "\u2026");
		raw(b, s + cp_offset(s, n, c - tail), n - cp_offset(s, n,
								 c - tail));
	}
	for (int i = 0; !right && i < pad; i++)
		sb_add(b, " ", 1);
}

static void cells(sb *b, const char *s, int w, bool right)
{
	cell(b, s, strlen(s), w, right);
}

/* Thousands with commas: 1,234,567. */
static void group_digits(char *out, size_t cap, long long v)
{
	char t[32];
	int n = snprintf(t, sizeof t, "%lld", v < 0 ? -v : v), o = 0;

	if (v < 0 && cap > 1)
		out[o++] = '-';
	for (int i = 0; i < n && (size_t)o + 2 < cap; i++) {
		out[o++] = t[i];
		if ((n - i - 1) % 3 == 0 && i < n - 1)
			out[o++] = ',';
	}
	out[o] = '\0';
}

/* A number for people, at most 7 columns: 7.7e-04, 0.873, 12.3,
 * 1,234, 123,456, 12.3M. */
static void human(char *out, size_t cap, double v)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(out, cap, "-");
	else if (a >= 9999999.5) {
		static const char *const si[] = { "k", "M", "G", "T", "P" };
		int k = 0;

		a /= 1000;
		while (a >= 999.5 && k < 4) {
			a /= 1000;
			k++;
		}
		snprintf(out, cap, "%s%.3g%s", v < 0 ? "-" : "", a, si[k]);
	} else if (a >= 99.5 || v == floor(v)) {
		group_digits(out, cap, (long long)llround(v));
	} else if (a < 0.00995) {
		snprintf(out, cap, "%.1e", v);
	} else {
		snprintf(out, cap, "%.3g", v);
	}
}

static void human_u(char *out, size_t cap, uint64_t v)
{
	if (v > 9999999)
		human(out, cap, (double)v);
	else
		group_digits(out, cap, (long long)v);
}

static void percent(char *out, size_t cap, uint64_t k, uint64_t n)
{
	if (n == 0)
		snprintf(out, cap, "-");
	else
		snprintf(out, cap, "%.1f%%", 100.0 * (double)k / (double)n);
}

/* The rules that pick the main fields when --fields is not given. */
static bool length_unit(const char *u)
{
	static const char *const units[] = {
		"bytes", "chars", "characters", "words", "tokens",
		"paragraphs", "sentences", "steps", "thoughts", "lines",
	};

	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (!strcmp(u, units[i]))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && !strcmp(s + n - m, end);
}

/* A position or offset (index, loop.start, patterns.x.first_rel,
 * answer_first_at): a place in the text, not a quantity whose
 * distribution says much. The last part of the name is one of these
 * words, starts with one and '_', or ends with '_' and one. */
static bool position_name(const char *name)
{
	static const char *const words[] = {
		"index", "start", "end", "offset", "pos", "position", "at",
		"first", "last", "rel",
	};
	const char *dot = strrchr(name, '.');
	const char *l = dot ? dot + 1 : name;
	size_t n = strlen(l);

	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t m = strlen(words[i]);

		if (!strcmp(l, words[i]) ||
		    (n > m && !strncmp(l, words[i], m) && l[m] == '_') ||
		    (n > m && !strcmp(l + n - m, words[i]) &&
		     l[n - m - 1] == '_'))
			return true;
	}
	return false;
}

/* Dots in a name: think.words is 1, patterns.r1_wait.count 2. */
static int depth(const char *name)
{
	int d = 0;

	for (; *name; name++)
		d += *name == '.';
	return d;
}

/* A pattern family's count, families.NAME.count: a row of its own
 * table (share of traces with a match), not of the numbers table. */
static bool family_count(const fdef *f)
{
	return f->type == COT_TYPE_INT && !strncmp(f->name, "families.", 9) &&
	       depth(f->name) == 2 && ends_with(f->name, ".count");
}

/* A string field reads as an enum when its values repeat: few
 * distinct values, each seen twice on average or more. Answers and
 * references (one per problem) do not. */
static bool enum_like(const stracc *a)
{
	return !a->over && a->nv > 0 && a->nv <= 16 && a->n >= 2 * a->nv;
}

/* The default table's fields: numbers that are not positions, not
 * always 0, and at most one level deep (think.words, loop.count; not
 * patterns.r1_wait.count: the details, which --fields shows); pattern
 * families' counts; flags with a value; strings that read as enums. */
static bool main_field(const summary *s, const fdef *f)
{
	const group *t = &s->total;

	if (family_count(f))
		return t->num[f->slot].n > 0;
	if (numeric(f->type))
		return t->num[f->slot].nonzero > 0 &&
		       !position_name(f->name) && depth(f->name) <= 1;
	if (f->type == COT_TYPE_BOOL)
		return t->bl[f->slot].t + t->bl[f->slot].f > 0;
	return enum_like(&t->str[f->slot]);
}

/* Sparklines: 16 bins over the total's range, the same axis for every
 * group so shapes compare; log(1 + x) bins when the values spread over
 * decades, as lengths do. Bar height: the bin's count against the
 * fullest bin of that line. */
#define SPARK_BINS 12

typedef struct axis {
	bool log;
	double lo, hi;		/* in axis units */
} axis;

static double to_axis(const axis *ax, double x)
{
	return ax->log ? log1p(x) : x;
}

static void make_axis(const nstat *t, axis *ax)
{
	ax->log = t->min >= 0 && t->max >= 20 * (t->p50 + 1);
	ax->lo = to_axis(ax, t->min);
	ax->hi = to_axis(ax, t->max);
}

typedef struct binning {
	const axis *ax;
	uint64_t bin[SPARK_BINS];
} binning;

static void bin_bucket(double lo, double hi, double rep, uint64_t count,
		       void *ctx)
{
	binning *bn = ctx;
	double x = to_axis(bn->ax, rep), w = bn->ax->hi - bn->ax->lo;
	int k = w > 0 ? (int)((x - bn->ax->lo) / w * SPARK_BINS) : 0;

	(void)lo;
	(void)hi;
	bn->bin[k < 0 ? 0 : k >= SPARK_BINS ? SPARK_BINS - 1 : k] += count;
}

static void sparkline(sb *b, const sketch *sk, const axis *ax)
{
	static const char *const bars[] = {
		" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585",
		"\u2586", "\u2587", "\u2588",
	};
	binning bn = { ax, { 0 } };
	uint64_t top = 0;

	sketch_foreach(sk, bin_bucket, &bn);
	for (int k = 0; k < SPARK_BINS; k++)
		if (bn.bin[k] > top)
			top = bn.bin[k];
	for (int k = 0; k < SPARK_BINS && top; k++) {
		int level = bn.bin[k] == 0 ? 0 :
			    (int)ceil(8.0 * (double)bn.bin[k] / (double)top);

		sb_puts(b, bars[level < 1 && bn.bin[k] ? 1 : level]);
	}
}

#define NAME_W 22

typedef struct view {
	const summary *s;
	const bool *show;
	group **g;		/* sorted groups */
	char **name;		/* what their columns and rows say */
	size_t ng;
	int width;
} view;

/* Group names for the table (malloc'd): with --by file, the paths
 * without the directory and the extension they all share, so the
 * columns show what differs. */
static char **group_names(const summary *s, group **g)
{
	char **name = xcalloc(s->ng, sizeof *name);
	size_t pre = 0, suf = 0;

	if (summary_by_file(s) && s->ng > 1) {
		const char *first = g[0]->disp;
		size_t n0 = strlen(first);

		pre = suf = n0;
		for (size_t i = 1; i < s->ng; i++) {
			const char *d = g[i]->disp;
			size_t n = strlen(d), k = 0;

			while (k < pre && d[k] == first[k])
				k++;
			pre = k;
			for (k = 0; k < suf && k < n && d[n - 1 - k] ==
			     first[n0 - 1 - k]; k++)
				;
			suf = k;
		}
		while (pre > 0 && first[pre - 1] != '/')
			pre--;
		/* the suffix from a '.' on: the extension */
		while (suf > 0 && first[n0 - suf] != '.')
			suf--;
	}
	for (size_t i = 0; i < s->ng; i++) {
		size_t n = strlen(g[i]->disp);

		if (pre + suf >= n)
			name[i] = xstrdup(g[i]->disp);
		else
			name[i] = xstrndup(g[i]->disp + pre, n - pre - suf);
	}
	return name;
}

/* The rows of a numeric table: one per field, or with groups the
 * field's name, then the total and each group. */
static void num_rows(sb *b, const view *v, const fdef *f, bool lengths)
{
	const summary *s = v->s;
	nstat total;
	axis ax;

	num_stats(f, &s->total, &total);
	make_axis(&total, &ax);
	if (v->ng)
		sb_printf(b, "%s\n", f->name);
	for (size_t k = 0; k <= v->ng; k++) {
		const group *g = k == 0 ? &s->total : v->g[k - 1];
		char t[8][32];
		nstat st;

		num_stats(f, g, &st);
		if (k > 0 && st.n == 0)
			continue;	/* a group without this field */
		if (v->ng) {
			sb_puts(b, "  ");
			cells(b, k == 0 ? "(all)" : v->name[k - 1],
			      NAME_W - 2, false);
		} else {
			cells(b, f->name, NAME_W, false);
		}
		human_u(t[0], 32, st.n);
		if (lengths) {
			human(t[1], 32, st.mean);
			human(t[2], 32, st.std);
			human(t[3], 32, st.min);
			human(t[4], 32, st.p50);
			human(t[5], 32, st.p90);
			human(t[6], 32, st.p99);
			human(t[7], 32, st.max);
			for (int c = 0; c < 8; c++) {
				sb_puts(b, " ");
				cells(b, t[c], 7, true);
			}
		} else {
			percent(t[1], 32, st.nonzero, st.n);
			human(t[2], 32, st.mean);
			human(t[3], 32, st.p50);
			human(t[4], 32, st.p90);
			human(t[5], 32, st.max);
			for (int c = 0; c < 6; c++) {
				sb_puts(b, " ");
				cells(b, t[c], c == 1 ? 8 : 7, true);
			}
		}
		if (st.n) {
			sb_puts(b, "  ");
			sparkline(b, &g->num[f->slot].sk, &ax);
		}
		/* no trailing blanks */
		while (b->n && b->p[b->n - 1] == ' ')
			b->p[--b->n] = '\0';
		sb_puts(b, "\n");
	}
}

static bool any_shown(const view *v, bool (*pick)(const fdef *f))
{
	for (size_t i = 0; i < v->s->nf; i++)
		if (v->show[i] && pick(&v->s->f[i]))
			return true;
	return false;
}

static bool pick_length(const fdef *f)
{
	return numeric(f->type) && length_unit(f->unit);
}

static bool pick_number(const fdef *f)
{
	return numeric(f->type) && !length_unit(f->unit) && !family_count(f);
}

static bool pick_family(const fdef *f)
{
	return family_count(f);
}

static bool pick_bool(const fdef *f)
{
	return f->type == COT_TYPE_BOOL;
}

static bool pick_string(const fdef *f)
{
	return f->type == COT_TYPE_STRING;
}

static void num_table(sb *b, const view *v, bool lengths)
{
	static const char *const lhead[] = {
		"count", "mean", "std", "min", "p50", "p90", "p99", "max",
	};
	static const char *const nhead[] = {
		"count", "nonzero", "mean", "p50", "p90", "max",
	};

	if (!any_shown(v, lengths ? pick_length : pick_number))
		return;
	sb_puts(b, "\n");
	cells(b, lengths ? "lengths" : "numbers", NAME_W, false);
	for (int c = 0; c < (lengths ? 8 : 6); c++) {
		sb_puts(b, " ");
		cells(b, lengths ? lhead[c] : nhead[c],
		      !lengths && c == 1 ? 8 : 7, true);
	}
	sb_puts(b, "  distribution\n");
	for (size_t i = 0; i < v->s->nf; i++)
		if (v->show[i] && (lengths ? pick_length : pick_number)(
			    &v->s->f[i]))
			num_rows(b, v, &v->s->f[i], lengths);
}

/* Side-by-side tables (counts, rates, shares): a label column, then one
 * column per group (the total first), in blocks as wide as the screen
 * allows. A row is a label and one cell per column. */
typedef struct grid {
	size_t ncols;		/* 1 + groups */
	size_t nrows;
	char **cells;		/* nrows * (1 + ncols), malloc'd */
} grid;

static void grid_row(grid *gr)
{
	gr->cells = xrealloc(gr->cells, (gr->nrows + 1) * (gr->ncols + 1) *
			     sizeof *gr->cells);
	memset(gr->cells + gr->nrows * (gr->ncols + 1), 0,
	       (gr->ncols + 1) * sizeof *gr->cells);
	gr->nrows++;
}

static void grid_set(grid *gr, size_t col, const char *text)
{
	char **c = &gr->cells[(gr->nrows - 1) * (gr->ncols + 1) + col];

	free(*c);
	*c = xstrdup(text);
}

static void grid_print(sb *b, grid *gr, const view *v, const char *title)
{
	size_t per = 1, w = (size_t)v->width;
	int *cw = xcalloc(gr->ncols, sizeof *cw);

	for (size_t c = 0; c < gr->ncols; c++) {
		const char *head = c == 0 ? "(all)" : v->name[c - 1];

		cw[c] = cols(head, strlen(head));
		if (cw[c] > 24)
			cw[c] = 24;
		for (size_t r = 0; r < gr->nrows; r++) {
			const char *t = gr->cells[r * (gr->ncols + 1) + c + 1];
			int n = t ? cols(t, strlen(t)) : 0;

			if (n > cw[c])
				cw[c] = n;
		}
	}
	for (size_t start = 0; start < gr->ncols; start += per) {
		size_t used = NAME_W;

		per = 0;
		while (start + per < gr->ncols &&
		       (per == 0 || used + 2 + (size_t)cw[start + per] <= w)) {
			used += 2 + (size_t)cw[start + per];
			per++;
		}
		sb_puts(b, "\n");
		cells(b, title, NAME_W, false);
		for (size_t c = start; c < start + per; c++) {
			const char *head = c == 0 ? "(all)" : v->name[c - 1];

			sb_puts(b, "  ");
			cells(b, head, cw[c], true);
		}
		sb_puts(b, "\n");
		for (size_t r = 0; r < gr->nrows; r++) {
			char **row = &gr->cells[r * (gr->ncols + 1)];

			cells(b, row[0] ? row[0] : "", NAME_W, false);
			for (size_t c = start; c < start + per; c++) {
				sb_puts(b, "  ");
				cells(b, row[c + 1] ? row[c + 1] : "", cw[c],
				      true);
			}
			while (b->n && b->p[b->n - 1] == ' ')
				b->p[--b->n] = '\0';
			sb_puts(b, "\n");
		}
	}
	for (size_t i = 0; i < gr->nrows * (gr->ncols + 1); i++)
		free(gr->cells[i]);
	free(gr->cells);
	free(cw);
}

static const group *col_group(const view *v, size_t c)
{
	return c == 0 ? &v->s->total : v->g[c - 1];
}

static void counts_grid(sb *b, const view *v)
{
	static const char *const names[] = {
		"records", "traces", "no trace", "malformed",
	};
	grid gr = { v->ng + 1, 0, NULL };

	for (int r = 0; r < 4; r++) {
		grid_row(&gr);
		grid_set(&gr, 0, names[r]);
		for (size_t c = 0; c < gr.ncols; c++) {
			const group *g = col_group(v, c);
			uint64_t n = r == 0 ? g->records : r == 1 ? g->traces :
				     r == 2 ? g->no_trace : g->malformed;
			char t[32];

			human_u(t, sizeof t, n);
			grid_set(&gr, c + 1, t);
		}
	}
	grid_print(b, &gr, v, "counts");
}

static void rates_grid(sb *b, const view *v)
{
	grid gr = { v->ng + 1, 0, NULL };

	if (!any_shown(v, pick_bool))
		return;
	for (size_t i = 0; i < v->s->nf; i++) {
		const fdef *f = &v->s->f[i];

		if (!v->show[i] || !pick_bool(f))
			continue;
		grid_row(&gr);
		grid_set(&gr, 0, f->name);
		for (size_t c = 0; c < gr.ncols; c++) {
			const group *g = col_group(v, c);
			const boolacc *a = &g->bl[f->slot];
			uint64_t n = a->t + a->f;
			char t[64], of[32];

			percent(t, sizeof t, a->t, n);
			if (n && n < g->traces) {	/* "of how many" */
				human_u(of, sizeof of, n);
				snprintf(t + strlen(t), sizeof t - strlen(t),
					 " of %s", of);
			}
			grid_set(&gr, c + 1, t);
		}
	}
	grid_print(b, &gr, v, "rates");
}

/* Pattern families side by side: the share of traces with a match,
 * and in parentheses the mean matches per trace. */
static void families_grid(sb *b, const view *v)
{
	grid gr = { v->ng + 1, 0, NULL };

	if (!any_shown(v, pick_family))
		return;
	for (size_t i = 0; i < v->s->nf; i++) {
		const fdef *f = &v->s->f[i];
		char label[128];
		size_t n = strlen(f->name);

		if (!v->show[i] || !pick_family(f))
			continue;
		/* families.NAME.count: NAME */
		snprintf(label, sizeof label, "%.*s", (int)(n - 9 - 6),
			 f->name + 9);
		grid_row(&gr);
		grid_set(&gr, 0, label);
		for (size_t c = 0; c < gr.ncols; c++) {
			const group *g = col_group(v, c);
			const numacc *a = &g->num[f->slot];
			xsum xs, xq;
			char t[64], m[32];

			if (a->n == 0) {
				grid_set(&gr, c + 1, "-");
				continue;
			}
			num_sums(a, &xs, &xq);
			percent(t, sizeof t, a->nonzero, a->n);
			human(m, sizeof m, (double)(xsum_value(&xs) /
						    (long double)a->n));
			snprintf(t + strlen(t), sizeof t - strlen(t), " (%s)",
				 m);
			grid_set(&gr, c + 1, t);
		}
	}
	grid_print(b, &gr, v, "pattern families");
	sb_puts(b, "(the share of traces with a match, and the mean matches "
		"per trace)\n");
}

#define SHARE_ROWS 8

static void shares_grid(sb *b, const view *v)
{
	grid gr = { v->ng + 1, 0, NULL };

	if (!any_shown(v, pick_string))
		return;
	for (size_t i = 0; i < v->s->nf; i++) {
		const fdef *f = &v->s->f[i];
		const stracc *ta = &v->s->total.str[f->slot];
		strval *vals;
		size_t rows;

		if (!v->show[i] || !pick_string(f))
			continue;
		grid_row(&gr);
		grid_set(&gr, 0, f->name);
		if (ta->over) {
			grid_row(&gr);
			grid_set(&gr, 0, "  (more than 64 values)");
			continue;
		}
		vals = sorted_values(ta);
		rows = ta->nv > SHARE_ROWS + 1 ? SHARE_ROWS : ta->nv;
		for (size_t k = 0; k <= rows + 1; k++) {
			sb label = { 0 };
			bool other = k == rows, nulls = k == rows + 1;

			if (other && rows == ta->nv)
				continue;
			if (nulls && ta->n >= v->s->total.traces)
				continue;
			sb_puts(&label, "  ");
			if (other)
				sb_printf(&label, "(%zu more)", ta->nv - rows);
			else if (nulls)
				sb_puts(&label, "(none)");
			else
				sb_add(&label, vals[k].s, vals[k].len);
			grid_row(&gr);
			grid_set(&gr, 0, label.p);
			free(label.p);
			for (size_t c = 0; c < gr.ncols; c++) {
				const group *g = col_group(v, c);
				const stracc *a = &g->str[f->slot];
				uint64_t n = 0;
				char t[32];

				if (nulls) {
					n = g->traces - a->n;
				} else {
					for (size_t j = 0; j < a->nv; j++) {
						bool in = other;

						for (size_t r = 0; r < rows &&
						     other; r++)
							if (a->v[j].len ==
							    vals[r].len &&
							    !memcmp(a->v[j].s,
							    vals[r].s,
							    vals[r].len))
								in = false;
						if (!other)
							in = a->v[j].len ==
							     vals[k].len &&
							     !memcmp(a->v[j].s,
							     vals[k].s,
							     vals[k].len);
						if (in)
							n += a->v[j].c;
					}
				}
				if (a->over && !nulls)
					snprintf(t, sizeof t, "?");
				else if (n == 0)
					snprintf(t, sizeof t, "-");
				else
					percent(t, sizeof t, n, g->traces);
				grid_set(&gr, c + 1, t);
			}
		}
		free(vals);
	}
	grid_print(b, &gr, v, "shares");
}

static void render_table(sb *b, const summary *s, const bool *show,
			 int width)
{
	view v = { s, show, sorted_groups(s), NULL, s->ng, width };
	char rec[32], tr[32];

	v.name = group_names(s, v.g);
	human_u(rec, sizeof rec, s->total.records);
	human_u(tr, sizeof tr, s->total.traces);
	sb_printf(b, "%s records, %s traces", rec, tr);
	if (s->total.no_trace || s->total.malformed) {
		human_u(rec, sizeof rec, s->total.no_trace);
		human_u(tr, sizeof tr, s->total.malformed);
		sb_printf(b, " (%s with no trace, %s malformed)", rec, tr);
	}
	sb_puts(b, "\n");
	if (s->by) {
		sb_printf(b, "by %s: %zu group%s", s->by, s->ng,
			  s->ng == 1 ? "" : "s");
		if (s->total.by_errors)
			sb_printf(b, " (%llu traces whose key failed)",
				  (unsigned long long)s->total.by_errors);
		sb_puts(b, "\n");
		counts_grid(b, &v);
	}
	num_table(b, &v, true);
	num_table(b, &v, false);
	if (any_shown(&v, pick_length) || any_shown(&v, pick_number))
		sb_puts(b, "(distribution: 12 bins from the smallest to the "
			"largest value, on a log scale\nwhere the values "
			"spread over decades; bar height: count against the "
			"fullest bin)\n");
	families_grid(b, &v);
	rates_grid(b, &v);
	shares_grid(b, &v);

	for (size_t i = 0; i < s->ng; i++)
		free(v.name[i]);
	free(v.name);
	free(v.g);
}

char *summary_render(summary *s, summary_format format,
		     const char *fields, int width, char *err,
		     size_t errlen)
{
	const char **names;
	cot_type *types;
	bool *show;
	sb b = { 0 };

	settle(s);
	names = xcalloc(s->nf, sizeof *names);
	types = xcalloc(s->nf, sizeof *types);
	show = xcalloc(s->nf, sizeof *show);
	for (size_t i = 0; i < s->nf; i++) {
		names[i] = s->f[i].name;
		types[i] = s->f[i].type;
	}
	if (fields && choose(names, types, s->nf, fields, show, err,
			     errlen)) {
		free(names);
		free(types);
		free(show);
		return NULL;
	}
	if (!fields)
		for (size_t i = 0; i < s->nf; i++)
			show[i] = format != SUMMARY_TABLE ||
				  main_field(s, &s->f[i]);
	if (format == SUMMARY_JSON)
		render_json(&b, s, show);
	else if (format == SUMMARY_TSV)
		render_tsv(&b, s, show);
	else
		render_table(&b, s, show, width > 0 ? width : 100);
	free(names);
	free(types);
	free(show);
	if (!b.p)
		sb_add(&b, "", 0);
	return b.p;
}
