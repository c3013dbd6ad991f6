/* summary.h - inside a cot_summary: its fields, groups and accumulators,
 * shared by the files that add to it, merge it, save it and render it. */
#ifndef COT_SUMMARY_H
#define COT_SUMMARY_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/internal.h"
#include "passes/profile.h"
#include "stats/sketch.h"
#include "stats/xsum.h"

/* A field summarized. */
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
 * REAL field needs two xsums (544 bytes), made at its first value. Both
 * are exact; xsums are what partials hold. */
enum { NUM_PENDING = 8 };

typedef struct numacc {
	uint64_t n, nonzero;
	bool sq_over;		/* a value too big to square: no std */
	uint8_t npend;
	int64_t imin, imax;	/* INT */
	double rmin, rmax;	/* REAL */
	uint64_t is[2];		/* INT: sum, two's complement */
	uint64_t iq[3];		/* INT: sum of squares */
	cot__xsum *x;		/* REAL: x[0] sum, x[1] sum of squares */
	/* nonzero values not yet in sk: its buckets are a heap array per
	 * field, a cache miss per value when added one trace at a time */
	double pend[NUM_PENDING];
	cot__sketch sk;
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
	strval *v;		/* COT_SUMMARY_MAX_VALUES, made on demand */
} stracc;

typedef struct group {
	char *key;		/* canonical JSON text; NULL for the total */
	size_t keylen;
	/* for people: a string key unquoted; with several keys (a key
	 * text that is their JSON list), each value so, joined by " × " */
	char *disp;
	/* with several keys: where each value's text starts in key and its
	 * length, two per key, then two zeros (the order compares them one
	 * by one); NULL with one key */
	size_t *part;
	uint64_t records, traces, no_trace, malformed, by_errors;
	uint64_t tool_only;	/* records whose turns were tool calls only */
	uint64_t last_rec;	/* the record last counted here */
	numacc *num;
	boolacc *bl;
	stracc *str;
	/* by fdef: the traces in which the run at rest beginning there was
	 * at rest, not yet added (settle): adding its values then, many at
	 * once, spares touching hundreds of accumulators per trace */
	uint64_t *at_rest;
	/* what a layer over the summary keeps per group (the report's
	 * histograms); the summary never reads or frees it */
	void *ext;
} group;

struct cot_summary {
	const cot_analyzer *az;	/* NULL: read from a partial */
	fdef *f;
	size_t nf, nnum, nbool, nstr;
	char *by, *analysis;
	/* by split at COT_SUMMARY_KEY_SEP: nkeys keys (0 without by), each
	 * "file" (kexpr[i] NULL) or an expression, compiled in kexpr[i]
	 * (NULL in a summary read from a partial, which takes no records);
	 * by_text is by for people, the keys joined by " × " */
	size_t nkeys;
	char **keys;
	cot_expr **kexpr;
	char *by_text;
	/* by, compiled, when it is one key and not "file" (kexpr[0], owned
	 * there); NULL with several keys */
	cot_expr *by_expr;
	group total;
	group **g;
	size_t ng, capg;
	size_t *ht;		/* open addressing: group index + 1 */
	size_t htcap;
	size_t max_groups;
	uint64_t rec_serial;
	/* the group each trace of the record added last went to (NULL: the
	 * total only), for a layer that keeps more per group */
	group **placed;
	size_t capplaced;
	cot__sbuf key;		/* scratch for keys */
	int failed;		/* COT_ENOMEM once an allocation failed */
};

extern const char *const cot__summary_type_names[];

static inline bool cot__numeric(cot_type t)
{
	return t == COT_TYPE_INT || t == COT_TYPE_REAL;
}

/* Whether by is the one key "file" (then malformed lines have groups:
 * with several keys they have none, the other keys needing a record). */
static inline bool cot__summary_by_file(const cot_summary *s)
{
	return s->by && !strcmp(s->by, "file");
}

/* Key text[0..len) of a summary of nkeys keys (> 1) as the JSON list of
 * their values: where each value is (part: 2 per key, start and length;
 * may be NULL to only check). COT_OK, COT_EPARSE (not a JSON list of
 * nkeys values) or COT_ENOMEM. */
int cot__key_parts(const char *text, size_t len, size_t nkeys,
		   size_t *part);

/* Which of names[0..n) (of types[]) spec chooses: chosen[i] set for
 * each (see cot_summary_options.fields). COT_OK, COT_EINVAL with err,
 * or COT_ENOMEM. */
int cot__summary_choose(const char *const *names, const cot_type *types,
			size_t n, const char *spec, bool *chosen,
			cot_error *err);

/* An empty summary with no fields yet (partial.c fills it); NULL when
 * out of memory. */
cot_summary *cot__summary_alloc(const char *by, const char *analysis);
/* Add field name to s; COT_OK or COT_ENOMEM. */
int cot__summary_add_field(cot_summary *s, const char *name, cot_type type,
			   const char *unit, long index);
/* Give g its arrays for s's fields (g zeroed first); COT_OK or
 * COT_ENOMEM. */
int cot__group_init(const cot_summary *s, group *g);
/* The group of key[0..len), made if new; NULL past max_groups or out
 * of memory (then s->failed is set). */
group *cot__group_find(const cot_summary *s, const char *key, size_t len);
group *cot__group_get(cot_summary *s, const char *key, size_t len);
/* Add a string value count times; COT_OK or COT_ENOMEM. */
int cot__str_add(stracc *a, const char *s, size_t len, uint64_t count);

/* Add what is still waiting (runs at rest, pending sketch values),
 * before anything reads the sums. COT_OK or COT_ENOMEM. */
int cot__summary_settle(cot_summary *s);
/* The sums of a as xsums, whatever the field's type. */
void cot__num_sums(const numacc *a, cot__xsum *sum, cot__xsum *sq);
/* The groups in a fixed order (null, false, true, numbers by value,
 * strings, lists, objects; with several keys, by the first key's value
 * in that order, then by the next key's...), and a string field's
 * values by count, then bytes: new arrays, NULL when out of memory (or
 * empty). */
group **cot__sorted_groups(const cot_summary *s);
strval *cot__sorted_values(const stracc *a);


/* Append text, remembering the first failure: rendering code appends
 * without a check at each call and looks at failed once at the end. */
typedef struct sb {
	cot__sbuf buf;
	bool failed;
} sb;

static inline void sb_add(sb *b, const void *p, size_t n)
{
	if (!b->failed && cot__sbuf_add(&b->buf, p, n))
		b->failed = true;
}

static inline void sb_puts(sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static inline void sb_printf(sb *b, const char *fmt, ...) COT__PRINTF(2, 3);

static inline void sb_printf(sb *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0 || b->failed)
		return;
	if ((size_t)n < sizeof small) {
		sb_add(b, small, (size_t)n);
		return;
	}
	if (cot__sbuf_reserve(&b->buf, (size_t)n)) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->buf.ptr + b->buf.size, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->buf.size += (size_t)n;
}

/* s[0..n) as a JSON string literal. */
static inline void sb_json_str(sb *b, const char *s, size_t n)
{
	if (!b->failed && cot__json_escape(&b->buf, s, n, 0))
		b->failed = true;
}

/* Whether two summaries hold the same state (*eq), for tests. COT_OK
 * or COT_ENOMEM. */
int cot__summary_equal(bool *eq, cot_summary *a, cot_summary *b);

/* The renderers (render.c, table.c); show[i]: field i is shown. */
void cot__render_json(sb *b, const cot_summary *s, const bool *show);
void cot__render_tsv(sb *b, const cot_summary *s, const bool *show);
void cot__render_table(sb *b, const cot_summary *s, const bool *show,
		       int width);
/* The "by" of the JSON: null, the key, or the list of the keys. */
void cot__render_json_by(sb *b, const cot_summary *s);
/* The fields a rendering shows, show[i] per field of s (a new array in
 * *out): those fields names (as cot_summary_options.fields), or, with
 * fields NULL, the main ones for the table and every one otherwise.
 * COT_OK, COT_EINVAL (err names what matched nothing) or COT_ENOMEM. */
int cot__summary_shown(bool **out, const cot_summary *s, const char *fields,
		       cot_summary_format format, cot_error *err);
/* End a rendering begun in b at byte start of out: out is b's text
 * (NUL-terminated even when empty) and COT_OK, or, when b failed, out
 * as it was and COT_ENOMEM. */
int cot__render_end(cot_buf *out, sb *b, size_t start, cot_error *err);
/* Whether the table shows field f when no fields are named. */
bool cot__main_field(const cot_summary *s, const fdef *f);

/* Statistics of a numeric field in a group (render.c). */
typedef struct nstat {
	uint64_t n, nulls, nonzero;
	bool integer;		/* an INT field */
	bool exact_sum;		/* sum fits int64: isum */
	int64_t isum;
	double sum, mean, std, min, max, p50, p90, p99;
	double var;		/* the sample variance (NAN where std is) */
} nstat;
void cot__num_stats(const fdef *f, const group *g, nstat *st);

#endif
