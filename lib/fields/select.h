/* select.h - which fields a list of names and shell patterns chooses. */
#ifndef COT_SELECT_H
#define COT_SELECT_H

#include "base/internal.h"

/* Which of names[0..n) (of types[]) list chooses, as cot_fields_match
 * says: chosen[i] set for each. COT_OK, COT_EINVAL (err names the name
 * or pattern), COT_ENOMEM. */
int cot__fields_choose(const char *const *names, const cot_type *types,
		       size_t n, const char *list, unsigned flags,
		       bool *chosen, cot_error *err);

#endif
