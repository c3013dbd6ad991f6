/* util.c - unit test helpers: a buffer, file reads, a seeded generator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "util.h"

void tbuf_add(tbuf *b, const void *p, size_t n)
{
	/* + 1 for the NUL; doubling keeps many small appends linear. */
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void tbuf_adds(tbuf *b, const char *s)
{
	tbuf_add(b, s, strlen(s));
}

char *read_whole_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	tbuf b = { 0 };
	char chunk[65536];
	size_t got;

	assert_non_null(f);
	tbuf_add(&b, "", 0);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		tbuf_add(&b, chunk, got);
	fclose(f);
	*len = b.n;
	return b.p;
}

uint32_t xorshift_below(uint64_t *state, uint32_t n)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return (uint32_t)((*state >> 11) % n);
}

size_t random_pieces(char *buf, const char *const *pieces, size_t npieces,
		     uint32_t max, uint64_t *state)
{
	uint32_t n = xorshift_below(state, max), j;
	size_t len = 0;

	for (j = 0; j < n; j++) {
		const char *p = pieces[xorshift_below(state,
						      (uint32_t)npieces)];
		size_t k = strlen(p);

		memcpy(buf + len, p, k);
		len += k;
	}
	return len;
}

cot_analyzer *az;
cot_result *res;

int az_setup(void **state)
{
	cot_error err;

	(void)state;
	if (cot_analyzer_new(&az, NULL, &err) ||
	    cot_result_new(&res, az, &err))
		return -1;
	return 0;
}

int az_teardown(void **state)
{
	(void)state;
	cot_result_free(res);
	cot_analyzer_free(az);
	return 0;
}
