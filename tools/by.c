/* by.c - the --by option of stats and report: its keys, given one per
 * --by, joined as the library takes them, and their errors shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

void by_show_error(const char *by, const cot_error *err)
{
	size_t col = err->column ? err->column : 1, start = 0, n = 1, k = 0;
	const char *key = by;

	for (const char *p = by; *p; p++)
		n += *p == COT_SUMMARY_KEY_SEP[0];
	for (const char *p; (p = strchr(key, COT_SUMMARY_KEY_SEP[0])) &&
	     col > start + (size_t)(p - key) + 1; key = p + 1, k++)
		start += (size_t)(p - key) + 1;
	if (n == 1) {
		fprintf(stderr, "cotlog: --by: %s\n  %s\n  %*s^\n",
			err->message, by, (int)(col - 1), "");
		return;
	}
	fprintf(stderr, "cotlog: --by (key %zu of %zu): %s\n  %.*s\n  %*s^\n",
		k + 1, n, err->message, (int)strcspn(key, COT_SUMMARY_KEY_SEP),
		key, (int)(col - 1 - start), "");
}

/* --by, each time given: the keys joined by COT_SUMMARY_KEY_SEP. A key
 * holding that byte would split in two: refused, as an expression with
 * a character it does not allow (exit 3, with a caret under it). */
void by_add(char **by, const char *key)
{
	const char *bad = strchr(key, COT_SUMMARY_KEY_SEP[0]);
	size_t n = *by ? strlen(*by) + 1 : 0;
	char *b;

	if (bad) {
		fprintf(stderr, "cotlog: --by: control character 0x1f at "
			"column %zu\n  %.*s\n  %*s^\n",
			(size_t)(bad - key) + 1, (int)(bad - key), key,
			(int)(bad - key), "");
		exit(EXIT_EXPR);
	}
	b = realloc(*by, n + strlen(key) + 1);
	if (!b) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	if (n)
		b[n - 1] = COT_SUMMARY_KEY_SEP[0];
	strcpy(b + n, key);
	*by = b;
}
