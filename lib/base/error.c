/* error.c - status names, and filling a cot_error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/internal.h"

int cot__error_vset(cot_error *err, int code, uint64_t line, uint64_t column,
		    const char *fmt, va_list ap)
{
	if (err) {
		err->code = code;
		err->line = line;
		err->column = column;
		vsnprintf(err->message, sizeof err->message, fmt, ap);
	}
	return code;
}

int cot__error_set(cot_error *err, int code, uint64_t line, uint64_t column,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cot__error_vset(err, code, line, column, fmt, ap);
	va_end(ap);
	return code;
}

const char *cot_status_str(int code)
{
	switch (code) {
	case COT_OK: return "ok";
	case COT_DONE: return "done";
	case COT_ERROR: return "error";
	case COT_ENOMEM: return "out of memory";
	case COT_EIO: return "input/output error";
	case COT_EPARSE: return "malformed JSON";
	case COT_ELIMIT: return "limit reached";
	case COT_EINVAL: return "invalid argument";
	case COT_EPATTERN: return "invalid pattern";
	case COT_EEXPR: return "invalid expression";
	default: return "unknown status";
	}
}
