/* util.h - unit test helpers: a buffer, file reads, a seeded generator. */
#ifndef COTLOG_TESTS_UTIL_H
#define COTLOG_TESTS_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cotlog.h"

/* The index of the field called name in analyzer (NULL: the fields every
 * analyzer has); aborts the test program when there is none, which is
 * a broken test, not a finding. */
static inline size_t field_id(const cot_analyzer *analyzer, const char *name)
{
	size_t k;

	if (cot_field_find(&k, analyzer, name, NULL) != COT_OK) {
		fprintf(stderr, "no field '%s'\n", name);
		abort();
	}
	return k;
}

/* Bytes appended at the end; p stays NUL terminated once anything (even
 * zero bytes) was added, so a test can compare it as a C string. Start
 * from { 0 } and release p with free(). */
typedef struct tbuf {
	char *p;
	size_t n, cap;
} tbuf;

/* Append n bytes of p; fails the running test when memory runs out. */
void tbuf_add(tbuf *b, const void *p, size_t n);

/* Append the C string s, without its NUL. */
void tbuf_adds(tbuf *b, const char *s);

/* Read the whole file at path; fails the running test when it cannot
 * be opened. Returns a NUL-terminated buffer the caller frees, and its
 * length (without the NUL) in *len. */
char *read_whole_file(const char *path, size_t *len);

/* A small deterministic generator (xorshift64), so failures reproduce:
 * advances *state (a nonzero seed) and returns a number below n. */
uint32_t xorshift_below(uint64_t *state, uint32_t n);

/* Fill buf with xorshift_below(state, max) pieces, each drawn from
 * pieces[0..npieces); returns the length written (no NUL). buf must
 * hold max - 1 times the longest piece. */
size_t random_pieces(char *buf, const char *const *pieces, size_t npieces,
		     uint32_t max, uint64_t *state);

#endif
