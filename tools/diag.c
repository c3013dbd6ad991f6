/* diag.c - diagnostics on stderr, never mixed with output. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

void diag(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	int n;

	memcpy(msg, "cotlog: ", 8);
	va_start(ap, fmt);
	n = vsnprintf(msg + 8, sizeof msg - 9, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += 8;
	if ((size_t)n > sizeof msg - 2)
		n = (int)sizeof msg - 2;
	msg[n++] = '\n';
	msg[n] = '\0';
	/* a worker's messages keep their place among the records' */
	if (!redirect_diag(msg, (size_t)n))
		fputs(msg, stderr);
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
