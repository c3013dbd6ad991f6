/* alloc.c - the library's one allocation seam, with failure injection. */
#include <stdlib.h>
#include <string.h>

#include "base/internal.h"

/* Tests set this to make the Nth allocation fail and check that every
 * caller returns COT_ENOMEM and leaks nothing. Negative: never fail. */
static long fail_after = -1;

void cot__alloc_fail_after(long n)
{
	fail_after = n;
}

static int should_fail(void)
{
	if (fail_after < 0)
		return 0;
	if (fail_after == 0)
		return 1;
	fail_after--;
	return 0;
}

void *cot__malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n ? n : 1);
}

void *cot__calloc(size_t n, size_t size)
{
	return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *cot__realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void cot__free(void *p)
{
	free(p);
}

char *cot__strdup(const char *s)
{
	return cot__strndup(s, strlen(s));
}

char *cot__strndup(const char *s, size_t n)
{
	char *d = n < SIZE_MAX ? cot__malloc(n + 1) : NULL;

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}
