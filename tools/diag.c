/* diag.c - diagnostics on stderr, never mixed with output. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tool.h"

void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("cotlog: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("cotlog: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'cotlog %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	exit(EXIT_USAGE);
}

void show_expr_error(const char *src, const cot_error *err)
{
	size_t col = err->column ? err->column : 1;

	fprintf(stderr, "cotlog: --where: %s\n  %s\n  %*s^\n",
		err->message, src, (int)(col - 1), "");
}
