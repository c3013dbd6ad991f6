/* unit.h - what the analyzer needs to see of a reader's unit. */
#ifndef COT_UNIT_H
#define COT_UNIT_H

#include "record/json.h"

/* The tape of unit u and the token of its record i (no re-parsing). */
const cot__jdoc *cot__unit_doc(const cot_unit *u, size_t i, uint32_t *tok);

#endif
