/* pass.h - the analysis passes: how a pass plugs into analyzer and profile. */
#ifndef COT_PASS_H
#define COT_PASS_H

#include "passes/analyzer.h"

/* What a pass sees while it runs over one trace. */
typedef struct cot__pass_ctx {
	const cot_analyzer *az;		/* compiled options, shared */
	cot__scratch *scratch;		/* this thread's workspace */
	cot__arena *arena;		/* this record's memory */
} cot__pass_ctx;

/* A pass: compiled once into the analyzer, run once per trace. Passes
 * run in table order (passes.c), so a pass may read what earlier passes
 * put in the profile. Every hook may be NULL. */
typedef struct cot__pass {
	const char *name;
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
