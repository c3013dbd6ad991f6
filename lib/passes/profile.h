/* profile.h - the facts of one trace, the passes that compute them, and
 * the field registry that reads them. */
#ifndef COT_PROFILE_H
#define COT_PROFILE_H

#include "adapt/adapt.h"
#include "text/segment.h"
#include "text/text.h"

/* A profile is filled by the analysis passes (pass.h), each a pure
 * function of the trace text and the compiled analyzer, each owning its
 * members below (its results live in the record's arena). */
typedef struct cot__profile {
	const cot__trace *tr;
	uint32_t index;		/* trace index within the record */
	uint32_t ran;		/* bit i: cot__passes[i] filled its part */
	/* core (core.c): lengths, steps, \boxed */
	cot__counts think;	/* counts of the reasoning */
	cot__counts answer;
	bool has_boxed;
	cot__text boxed;	/* answer_extracted */
	/* tokens.c: token counts (COT__PROD_TOKENS), when the analyzer
	 * has a tokenizer and a field asked for needs them */
	bool has_tokens;
	uint64_t think_tokens, answer_tokens, preamble_tokens;
	/* ---- steps and patterns ---- */
	struct cot__steps *st;		/* units and labels (steps.c) */
	/* paragraphs (`steps`) as cot__paragraphs cuts them, untrimmed, and
	 * the words of each: cut by the core pass while it counts, when a
	 * pass that runs reads them (COT__PROD_PARAGRAPHS) */
	cot__spans paragraphs;
	uint32_t *para_words;
	struct cot__matches *mt;	/* pattern matches (matches.c) */
	/* ---- health: status, format, repetition ---- */
	/* format.c: open-r1/TRL scores in quarters; -1 is null */
	int8_t fmt[4];
	/* repeat.c: repeat.* (SIZE_MAX offsets: none) */
	double ngram_ratio;
	uint32_t para_max, para_run, sent_max, sent_run;
	size_t para_at, sent_at;
	/* loop.c: the loops in text order (arena); loop.* describes
	 * loops[loop_pick] */
	const struct cot__loop *loops;
	uint32_t nloops, loop_pick;
	int64_t loop_period_tokens;	/* of loops[loop_pick]; -1: null */
	/* status.c: indexes into its name tables */
	uint8_t status, status_rule, finish;
	bool mid_sentence;
	/* ---- answers and language ---- */
	struct cot__lang *lang;		/* language.c: language mixing */
	struct cot__answers *ans;	/* answer.c, grade.c: final answer */
} cot__profile;

typedef struct cot__field cot__field;

/* Reads one field of a profile. f is the row itself, so one getter can
 * serve many rows through f->arg (a pattern index, a statistic). out
 * comes in null (its callers, cot_result_get and the JSON writer, make
 * it so): a getter may leave it for null. */
typedef void (*cot__getter)(const cot__profile *p, const cot__field *f,
			    cot_value *out);
/* Writes a COT_TYPE_JSON field (a list or object) as JSON text. */
typedef int (*cot__json_writer)(const cot__profile *p, const cot__field *f,
				cot__sbuf *b);

/* Whether the run of rows that begins at f holds its resting values
 * (cot__field.rest). */
typedef bool (*cot__rest_test)(const cot__profile *p, const cot__field *f);

struct cot__field {
	cot_field_info info;
	cot__getter get;		/* scalar rows */
	cot__json_writer json;		/* COT_TYPE_JSON rows */
	int arg, arg2;
	/* The products (COT__PROD_*) the row reads besides those its
	 * pass reads: asking for it makes their makers run too. */
	unsigned needs;
	/* A run of rows that mostly holds one set of values (a pattern
	 * that did not match: 0, 0.0, null..., []): its first row has
	 * at_rest and the run's length, each row its value's JSON text
	 * then, so a profile writes such a run as one piece of text. */
	cot__rest_test at_rest;
	uint8_t rest_rows;
	const char *rest;
};

/* A row of a pass's table of fields: its name, type (INT, REAL, BOOL,
 * STRING), unit, getter and the getter's argument, and its one-line
 * definition: every table writes its rows in this one order. */
#define COT__ROW(name, type, unit, getter, arg_, doc) \
	{ .info = { name, COT_TYPE_##type, unit, doc }, .get = getter, \
	  .arg = arg_ }

/* A row that reads the token counts (COT__PROD_TOKENS), null without a
 * tokenizer. */
#define COT__ROW_TOKENS(name, type, unit, getter, arg_, doc) \
	{ .info = { name, COT_TYPE_##type, unit, doc }, .get = getter, \
	  .arg = arg_, .needs = COT__PROD_TOKENS }

/* The row that ends a pass's table of fields. */
#define COT__FIELDS_END { .info = { NULL, COT_TYPE_NULL, NULL, NULL } }

/* Which fields a JSON profile holds, and the text around their values
 * (closing and opening the nested objects, the keys), built once so a
 * profile is written by appending, not by comparing names. */
typedef struct cot__layout {
	char *keys;
	size_t *off;	/* n + 2: the text before field i is keys[off[i],
			 * off[i + 1]); the last closes the profile */
	size_t *idx;	/* the fields, ascending; NULL: all, in order */
	size_t n;
	/* the runs at rest (cot__field.at_rest) whose rows all stand here
	 * in a row: the text from field i's key to the run's last value
	 * is rest_text[rest_off[i], rest_off[i + 1]); empty: no run */
	char *rest_text;
	size_t *rest_off;	/* n + 1 */
	/* the rows in layout order, copied side by side with their passes:
	 * the writer walks them in order, where the registry's rows lie
	 * in a dozen tables that the analysis evicts from the cache (a
	 * miss per row and per profile) */
	cot__field *rows;
	uint8_t *pass;
} cot__layout;
struct cot_analyzer;
/* The layout of the fields idx[0..n) (ascending registry indexes), or of
 * every field when idx is NULL. Returns COT_OK or COT_ENOMEM. */
int cot__layout_build(cot__layout *l, const struct cot_analyzer *az,
		      const size_t *idx, size_t n);
void cot__layout_free(cot__layout *l);

/* Append profile p as compact JSON to b: the fields of layout l, dotted
 * names nested. */
int cot__profile_json(const cot__layout *l, const cot__profile *p,
		      cot__sbuf *b);
/* Write a value as JSON. */
int cot__value_json(cot__sbuf *b, const cot_value *v);
/* Append v in decimal (faster than printf for the many counts). */
int cot__add_uint(cot__sbuf *b, uint64_t v);
/* v in decimal at q, which has room for 20 bytes; its length. */
size_t cot__put_uint(char *q, uint64_t v);
/* Append "name": after the byte sep (0: none); name needs no escaping.
 * Key by key, a JSON object of counts costs no printf. */
int cot__add_key(cot__sbuf *b, char sep, const char *name);

/* Setters for getters: inline, a profile has hundreds of values. */
static inline void cot__set_int(cot_value *v, int64_t i)
{
	v->type = COT_TYPE_INT;
	v->i = i;
}

static inline void cot__set_real(cot_value *v, double r)
{
	v->type = COT_TYPE_REAL;
	v->r = r;
}

static inline void cot__set_bool(cot_value *v, bool b)
{
	v->type = COT_TYPE_BOOL;
	v->b = b;
}

void cot__set_text(cot_value *v, const char *s, size_t n);	/* NULL: null */

#endif
