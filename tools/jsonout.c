/* jsonout.c - JSON strings and numbers on stdout, for show/steps/patterns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

void out_json_str(const char *s, size_t n)
{
	/* reused: the commands write from one thread, string by string */
	static cot_buf b = COT_BUF_INIT;

	b.size = 0;
	if (cot_json_string(&b, s, n, COT_JSON_TERMINAL, NULL)) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	out_write(b.ptr, b.size);
}

void out_json_cstr(const char *s)
{
	if (!s)
		out_write("null", 4);
	else
		out_json_str(s, strlen(s));
}

void out_uint(uint64_t v)
{
	char d[24];
	size_t n = sizeof d;

	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_write(d + n, sizeof d - n);
}
