/* diag.c - diagnostics on stderr, never mixed with output. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Messages quote file names and record content: on one line, and with
 * no control character that a terminal would act on. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 0)))
#endif
static size_t clean_vformat(char *dst, size_t cap, const char *fmt,
			    va_list ap)
{
	char raw[2048];
	int n = vsnprintf(raw, sizeof raw, fmt, ap);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof raw)
		n = (int)sizeof raw - 1;
	return term_clean_buf(dst, cap, raw, (size_t)n);
}

void diag(const char *fmt, ...)
{
	char msg[3 * 2048 + 16];
	va_list ap;
	size_t n;

	memcpy(msg, "cotlog: ", 8);
	va_start(ap, fmt);
	n = 8 + clean_vformat(msg + 8, sizeof msg - 10, fmt, ap);
	va_end(ap);
	msg[n++] = '\n';
	msg[n] = '\0';
	/* a worker's messages keep their place among the records' */
	if (!redirect_diag(msg, n))
		fputs(msg, stderr);
}

void usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[3 * 2048 + 16];
	va_list ap;

	va_start(ap, fmt);
	clean_vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fputs("cotlog: ", stderr);
	fputs(msg, stderr);
	fprintf(stderr, "\nTry 'cotlog %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	exit(EXIT_USAGE);
}

void show_expr_error(const char *src, const cot_error *err)
{
	size_t col = err->column ? err->column : 1;
	char msg[1024], expr[3 * 1024];

	term_clean_buf(msg, sizeof msg, err->message, strlen(err->message));
	term_clean_buf(expr, sizeof expr, src, strlen(src));
	fprintf(stderr, "cotlog: --where: %s\n  %s\n  %*s^\n",
		msg, expr, (int)(col - 1), "");
}
