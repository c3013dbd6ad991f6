/* select.c - which fields a list of names and shell patterns chooses:
 * --fields of every command, and the fields of a summary. */
#include <fnmatch.h>
#include <string.h>

#include "fields/select.h"

int cot__fields_choose(const char *const *names, const cot_type *types,
		       size_t n, const char *list, unsigned flags,
		       bool *chosen, cot_error *err)
{
	bool scalars = flags & COT_FIELDS_SCALAR;

	memset(chosen, 0, n * sizeof *chosen);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		char *tok = cot__strndup(p, len);
		bool glob, any = false;

		if (!tok)
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		glob = strpbrk(tok, "*?[") != NULL;
		for (size_t i = 0; len && i < n; i++) {
			bool list_type = types[i] == COT_TYPE_JSON ||
					 types[i] == COT_TYPE_NULL;

			if (glob ? fnmatch(tok, names[i], 0) != 0 :
			    strcmp(tok, names[i]) != 0)
				continue;
			if (scalars && list_type && glob)
				continue;	/* patterns pass over lists */
			if (scalars && list_type) {
				cot__error_set(err, COT_EINVAL, 0, 0, "field "
					       "'%s' is a list: only numbers, "
					       "flags and strings here",
					       names[i]);
				cot__free(tok);
				return COT_EINVAL;
			}
			chosen[i] = any = true;
		}
		if (len && !any) {
			cot__error_set(err, COT_EINVAL, 0, 0, "no field '%s' "
				       "(see 'cotlog fields')", tok);
			cot__free(tok);
			return COT_EINVAL;
		}
		cot__free(tok);
		p += len + (p[len] == ',');
	}
	return COT_OK;
}

int cot_fields_match(size_t *out, size_t *n, const cot_analyzer *az,
		     const char *list, unsigned flags, cot_error *err)
{
	size_t nf = cot_field_count(az);
	const char **names = cot__calloc(nf ? nf : 1, sizeof *names);
	cot_type *types = cot__calloc(nf ? nf : 1, sizeof *types);
	bool *chosen = cot__calloc(nf ? nf : 1, sizeof *chosen);
	int rc = COT_ENOMEM;

	*n = 0;
	if (!names || !types || !chosen) {
		cot__error_set(err, rc, 0, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nf; i++) {
		names[i] = cot_field_at(az, i)->name;
		types[i] = cot_field_at(az, i)->type;
	}
	rc = cot__fields_choose(names, types, nf, list, flags, chosen, err);
	for (size_t i = 0; rc == COT_OK && i < nf; i++)
		if (chosen[i])
			out[(*n)++] = i;
done:
	cot__free(names);
	cot__free(types);
	cot__free(chosen);
	return rc;
}
