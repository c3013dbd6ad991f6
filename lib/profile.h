/* profile.h - the computed facts of one trace, read through the registry. */
#ifndef COT_PROFILE_H
#define COT_PROFILE_H

#include "adapt.h"
#include "text.h"

typedef struct cot__profile {
	const cot__trace *tr;
	uint32_t index;		/* trace index within the record */
	cot__counts think;	/* counts of the reasoning */
	cot__counts answer;
	bool has_boxed;
	cot__text boxed;	/* answer_extracted */
} cot__profile;

/* Compute every field of trace t (index i within its record). */
void cot__profile_compute(cot__profile *p, const cot__trace *t, uint32_t i);

/* The registry (fields.c). */
typedef struct cot__field {
	cot_field_info info;
	void (*get)(const cot__profile *p, cot_value *out);
} cot__field;

extern const cot__field cot__fields[];
extern const size_t cot__nfields;

/* Append profile p as compact JSON to b. */
int cot__profile_json(const cot__profile *p, cot__sbuf *b);
/* Append s as a JSON string literal (quotes included). */
int cot__json_escape(cot__sbuf *b, const char *s, size_t n);

#endif
