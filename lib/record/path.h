/* path.h - field paths like a.b[0].c, [-1], [*] over a JSON tape. */
#ifndef COT_PATH_H
#define COT_PATH_H

#include "record/json.h"

typedef struct cot__path cot__path;

/* Parse a path. Syntax: steps separated by '.', each a key (any bytes
 * but '.', '[' and ']'), or a bracket: [N] an index (negative counts
 * from the end), [*] every element (or every member value of an
 * object), ["key"] a quoted key (for keys with dots or brackets; \" and
 * \\ escape inside). A leading '.' is allowed. An index is decimal
 * digits with an optional '-' (no space, no '+'); one beyond the range
 * of long is an error, not a silent clamp.
 * Returns COT_OK, COT_EINVAL (err->column = 1-based position of the
 * problem in s), COT_ENOMEM. */
int cot__path_parse(cot__path **out, const char *s, cot_error *err);
void cot__path_free(cot__path *p);

/* Evaluate on the value at token root. Calls found(ctx, tok) for every
 * match in document order (a [*] fans out); stops early and returns the
 * callback's value when it is not 0. Missing keys and out-of-range
 * indexes match nothing. */
int cot__path_eval(const cot__path *p, const cot__jdoc *d, uint32_t root,
		   int (*found)(void *ctx, uint32_t tok), void *ctx);

#endif
