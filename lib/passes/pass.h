/* pass.h - the analysis passes: how a pass plugs into analyzer and profile. */
#ifndef COT_PASS_H
#define COT_PASS_H

#include "passes/analyzer.h"

/* The products of a trace that one pass makes and others read: each
 * pass declares those it makes and those it reads, and the scheduler
 * (cot__passes_schedule) runs the makers of what a question's passes
 * read. The words and their trigrams are made on first demand instead
 * (cot__need_words, cot__need_trigrams: products.c). */
enum {
	COT__PROD_COUNTS = 1u << 0,	/* think, answer, boxed (core) */
	COT__PROD_PARAGRAPHS = 1u << 1,	/* paragraphs, para_words (core) */
	COT__PROD_STEPS = 1u << 2,	/* st: units and labels (steps) */
	COT__PROD_MATCHES = 1u << 3,	/* mt: pattern matches (matches) */
	COT__PROD_LOOPS = 1u << 4,	/* loops, loop_pick (loop) */
	COT__PROD_LANG = 1u << 5,	/* lang: language mixing (language) */
	COT__PROD_ANSWERS = 1u << 6,	/* ans: answer statements (answer) */
	COT__PROD_TOKENS = 1u << 7,	/* token counts (tokens); the
					 * readers then add the token twins
					 * of their measures */
};

/* What a pass sees while it runs over one trace. */
typedef struct cot__pass_ctx {
	const cot_analyzer *az;		/* compiled options, shared */
	cot__scratch *scratch;		/* this thread's workspace */
	cot__arena *arena;		/* this record's memory */
	unsigned want;			/* the products the passes that run
					 * read (COT__PROD_*) */
} cot__pass_ctx;

/* A pass: compiled once into the analyzer, run once per trace, only
 * when a field asked for is its own or it makes a product that a pass
 * that runs reads. Passes run in table order (passes.c), where every
 * product's maker stands before its readers. Every hook may be NULL. */
typedef struct cot__pass {
	const char *name;
	unsigned makes, reads;		/* COT__PROD_* */
	/* Compile options into az (may add analyzer-dependent fields with
	 * cot__field_add). Returns COT_OK, COT_EPATTERN or COT_EINVAL with
	 * err naming the option, file, line and column, COT_ENOMEM. */
	int (*init)(cot_analyzer *az, const cot_analyzer_options *o,
		    cot_error *err);
	void (*fini)(cot_analyzer *az);
	/* Per-thread scratch, made and freed with the result. */
	int (*scratch_init)(const cot_analyzer *az, cot__scratch *s);
	void (*scratch_fini)(cot__scratch *s);
	/* Fill this pass's part of p. Returns COT_OK, COT_ENOMEM, or
	 * COT_ELIMIT / COT_ERROR with err set (a matching error is reported
	 * with the record, never taken as "no match"). */
	int (*run)(cot__pass_ctx *c, cot__profile *p, cot_error *err);
	/* The fields every analyzer has from this pass, terminated by a
	 * row whose name is NULL. Rows sharing a dotted prefix stand
	 * together, and a prefix belongs to one pass. */
	const cot__field *fields;
} cot__pass;

/* The passes in order, NULL-terminated (passes.c). */
extern const cot__pass *const cot__passes[];

/* The passes (bit i: cot__passes[i]) that answer for the passes asked:
 * those, the core pass, and the makers of every product any of them
 * reads, again for those makers. */
uint32_t cot__passes_schedule(uint32_t asked);
/* The products the passes of set read. */
unsigned cot__passes_reads(uint32_t set);
/* The passes that make one of prods. */
uint32_t cot__passes_making(unsigned prods);

/* The tokens of s[0..n) by the analyzer's tokenizer, encoded as a text
 * of its own, into *out (tokens.c). Only when the token counts are
 * made (p->has_tokens). Returns COT_OK, or COT_ENOMEM / COT_ELIMIT
 * with err set. */
int cot__tokens_count(cot__pass_ctx *c, const char *s, size_t n,
		      uint64_t *out, cot_error *err);

/* Add an analyzer-dependent field (during init). name, unit and doc are
 * copied. Returns COT_OK or COT_ENOMEM. */
int cot__field_add(cot_analyzer *az, const char *name, cot_type type,
		   const char *unit, const char *doc, cot__getter get,
		   int arg, int arg2);

/* Freeze / free the registry of an analyzer (fields.c). */
int cot__fields_build(cot_analyzer *az);
void cot__fields_free(cot_analyzer *az);

/* The rows of the core pass (fields.c). */
extern const cot__field cot__core_fields[];

#endif
