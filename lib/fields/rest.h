/* rest.h - runs at rest: a shortcut for readers of every field (the
 * statistics read them).
 *
 * Some consecutive fields usually hold one set of values together, such
 * as the seven of a pattern that did not match (0, 0.0, null, null,
 * null, null, []). cot__field_run gives the number of fields of the run
 * that begins at field i (0: none begins there); cot__field_rest the
 * JSON text of field i's value when its run is at rest (NULL: it is in
 * no run); cot__result_at_rest whether (1) or not (0) the run that
 * begins at `field` is at rest in trace i: when it is, each of its
 * fields has exactly the value its cot__field_rest text says, as
 * cot_result_get would give it. */
#ifndef COT_REST_H
#define COT_REST_H

#include "cotlog.h"

size_t cot__field_run(const cot_analyzer *az, size_t i);
const char *cot__field_rest(const cot_analyzer *az, size_t i);
int cot__result_at_rest(const cot_result *res, size_t i, size_t field);

#endif
