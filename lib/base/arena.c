/* arena.c - bump allocation for per-record data, growable buffers, and
 * the buffers handed to callers. */
#include <stdio.h>
#include <string.h>

#include "base/internal.h"

struct cot__arena_chunk {
	cot__arena_chunk *next;
	size_t cap;
	/* the data follows, 16-byte aligned */
	_Alignas(16) unsigned char data[];
};

enum { ARENA_MIN_CHUNK = 64 * 1024 };

void cot__arena_init(cot__arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void *cot__arena_alloc(cot__arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;

	if (need < n)
		return NULL;
	if (!a->head || a->head->cap - a->used < need) {
		size_t cap = a->head ? a->head->cap * 2 : ARENA_MIN_CHUNK;
		cot__arena_chunk *c;

		if (cap < need)
			cap = need;
		if (cap > SIZE_MAX - sizeof *c)
			return NULL;
		c = cot__malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->next = a->head;
		c->cap = cap;
		a->head = c;
		a->used = 0;
	}
	a->used += need;
	return a->head->data + a->used - need;
}

/* The slow side of cot__arena_grow: twice the room. An array that is
 * the arena's last allocation grows where it is while its chunk has
 * room (the usual case: a list filled in one loop), leaving no dead
 * copy behind; else a copy, and the old one stays until the reset. */
void *cot__arena_regrow(cot__arena *a, void *v, size_t n, size_t *cap,
			size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	size_t have = (*cap * size + 15) & ~(size_t)15;
	size_t want;
	void *w;

	if (!size || ncap > (SIZE_MAX - 15) / size)
		return NULL;
	want = (ncap * size + 15) & ~(size_t)15;
	if (v && a->head &&
	    (unsigned char *)v + have == a->head->data + a->used &&
	    want - have <= a->head->cap - a->used) {
		a->used += want - have;
		*cap = ncap;
		return v;
	}
	if (v && a->head && v == (void *)a->head->data && have == a->used) {
		/* alone in the newest chunk: resize the chunk itself, which
		 * for a big one moves its pages without a copy left behind */
		cot__arena_chunk *c;

		if (want > SIZE_MAX - sizeof *c ||
		    !(c = cot__realloc(a->head, sizeof *c + want)))
			return NULL;
		c->cap = want;
		a->head = c;
		a->used = want;
		*cap = ncap;
		return c->data;
	}
	w = cot__arena_alloc(a, ncap * size);
	if (!w)
		return NULL;
	if (n)
		memcpy(w, v, n * size);
	*cap = ncap;
	return w;
}

/* Keep only the newest (largest) chunk: after a few records the arena
 * has grown to the stream's need and resets cost nothing. */
void cot__arena_reset(cot__arena *a)
{
	cot__arena_chunk *c;

	if (!a->head)
		return;
	c = a->head->next;
	while (c) {
		cot__arena_chunk *next = c->next;

		cot__free(c);
		c = next;
	}
	a->head->next = NULL;
	a->used = 0;
}

void cot__arena_dispose(cot__arena *a)
{
	cot__arena_reset(a);
	cot__free(a->head);
	a->head = NULL;
	a->used = 0;
}

int cot__sbuf_reserve(cot__sbuf *b, size_t extra)
{
	size_t cap;
	char *p;

	if (b->cap - b->size > extra)	/* keep room for a NUL */
		return COT_OK;
	if (extra > SIZE_MAX / 2 - b->size)
		return COT_ENOMEM;
	cap = b->cap ? b->cap : 256;
	while (cap - b->size <= extra)
		cap *= 2;
	p = cot__realloc(b->ptr, cap);
	if (!p)
		return COT_ENOMEM;
	b->ptr = p;
	b->cap = cap;
	return COT_OK;
}

int cot__sbuf_add(cot__sbuf *b, const void *p, size_t n)
{
	if (cot__sbuf_reserve(b, n))
		return COT_ENOMEM;
	memcpy(b->ptr + b->size, p, n);
	b->size += n;
	b->ptr[b->size] = '\0';
	return COT_OK;
}

int cot__sbuf_addc(cot__sbuf *b, char c)
{
	if (cot__sbuf_reserve(b, 1))
		return COT_ENOMEM;
	b->ptr[b->size++] = c;
	b->ptr[b->size] = '\0';
	return COT_OK;
}

int cot__sbuf_addf(cot__sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* format once into the room there is (nearly always enough), and
	 * a second time only when the text was longer */
	if (cot__sbuf_reserve(b, 64))
		return COT_ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(b->ptr + b->size, b->cap - b->size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return COT_ENOMEM;
	if ((size_t)n >= b->cap - b->size) {
		if (cot__sbuf_reserve(b, (size_t)n))
			return COT_ENOMEM;
		va_start(ap, fmt);
		vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->size += (size_t)n;
	return COT_OK;
}

void cot__sbuf_dispose(cot__sbuf *b)
{
	cot__free(b->ptr);
	b->ptr = NULL;
	b->size = b->cap = 0;
}

void cot_buf_dispose(cot_buf *buf)
{
	if (!buf)
		return;
	cot__free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->cap = 0;
}
