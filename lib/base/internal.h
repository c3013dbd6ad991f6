/* internal.h - private helpers shared by the library's source files. */
#ifndef COT_INTERNAL_H
#define COT_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cotlog.h"

#if defined(__GNUC__)
#define COT__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define COT__LIKELY(x) __builtin_expect(!!(x), 1)
#define COT__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define COT__PRINTF(a, b)
#define COT__LIKELY(x) (x)
#define COT__UNLIKELY(x) (x)
#endif

/* A byte range inside some text the caller holds. */
typedef struct cot__span {
	size_t off;
	size_t len;
} cot__span;

/* alloc.c: every allocation of the library goes through these, so tests
 * can make the Nth one fail (cot__alloc_fail_after). */
void *cot__malloc(size_t n);
void *cot__calloc(size_t n, size_t size);
void *cot__realloc(void *p, size_t n);
void cot__free(void *p);
char *cot__strdup(const char *s);
/* s[0..n) and a NUL (s may hold NULs). */
char *cot__strndup(const char *s, size_t n);
/* Test seam: after n more successful allocations every further one fails;
 * n < 0 switches failures off. Not thread-safe: for tests only. */
void cot__alloc_fail_after(long n);

/* error.c: fill a caller's cot_error (NULL is allowed); returns code. */
int cot__error_set(cot_error *err, int code, uint64_t line, uint64_t column,
		   const char *fmt, ...) COT__PRINTF(5, 6);
int cot__error_vset(cot_error *err, int code, uint64_t line, uint64_t column,
		    const char *fmt, va_list ap) COT__PRINTF(5, 0);

/* arena.c: a bump allocator for per-record data, reset between records.
 * Reset keeps the largest chunk so a steady stream allocates nothing. */
typedef struct cot__arena_chunk cot__arena_chunk;
typedef struct cot__arena {
	cot__arena_chunk *head;
	size_t used;	/* bytes used in head */
} cot__arena;
void cot__arena_init(cot__arena *a);
/* 16-byte aligned memory valid until reset or dispose; NULL on ENOMEM. */
void *cot__arena_alloc(cot__arena *a, size_t n);
/* An arena array v of n elements of size bytes, with room for *cap,
 * given room for one more: v itself, or its copy in a block twice as
 * big (*cap updated); NULL when out of memory (v unchanged). The slow
 * side of the inline cot__arena_grow, which the splitters call once per
 * span they push (and nearly every push has room). */
void *cot__arena_regrow(cot__arena *a, void *v, size_t n, size_t *cap,
			size_t size);
static inline void *cot__arena_grow(cot__arena *a, void *v, size_t n,
				    size_t *cap, size_t size)
{
	return n < *cap ? v : cot__arena_regrow(a, v, n, cap, size);
}
void cot__arena_reset(cot__arena *a);
void cot__arena_dispose(cot__arena *a);

/* A growable byte buffer: the public cot_buf, so results can be
 * appended to a caller's buffer directly. ptr[size] is kept NUL. */
typedef cot_buf cot__sbuf;
int cot__sbuf_reserve(cot__sbuf *b, size_t extra);
int cot__sbuf_add(cot__sbuf *b, const void *p, size_t n);
int cot__sbuf_addc(cot__sbuf *b, char c);
int cot__sbuf_addf(cot__sbuf *b, const char *fmt, ...) COT__PRINTF(2, 3);
void cot__sbuf_dispose(cot__sbuf *b);
/* Append s[0..n) as a JSON string literal, quotes included, as
 * cot_json_string does with flags (json_string.c). Returns COT_OK or
 * COT_ENOMEM (b as it was). */
int cot__json_escape(cot__sbuf *b, const char *s, size_t n,
		     unsigned flags);

/* The first m[0..mlen) (mlen >= 1) in t[from..to), SIZE_MAX if none
 * (text.c). memmem is a GNU extension, and memchr on the first byte is
 * as fast on prose, where the markers searched for are rare. */
size_t cot__find(const char *t, size_t from, size_t to, const char *m,
		 size_t mlen);

/* r as text that reads back as r: the shorter of %.15g and %.17g that
 * does (number.c), the one way every real the library writes is
 * spelled. With COT__REAL_JSON a whole number gets ".0", so that JSON
 * readers see a real (a profile's reals); without, -0 is "0" (the
 * statistics, which write whole means as 48). Returns the length. */
enum { COT__REAL_JSON = 1 };
size_t cot__real_text(double r, char out[40], unsigned flags);

#endif
