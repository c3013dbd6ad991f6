/* segment.c - cut a reasoning text into paragraphs (and other units). */
#include <string.h>

#include "segment.h"
#include "text.h"

/* Does line[0..n) hold a character that is not White_Space? */
static bool has_ink(const char *line, size_t n)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t i = 0;

	while (i < n) {
		size_t w = cot__space_len(p + i, n - i);

		if (w == 0)
			return true;
		i += w;
	}
	return false;
}

/* Append span [start, end) to out, growing it in the arena. */
static int push(cot__arena *a, cot__spans *out, size_t *cap, size_t start,
		size_t end)
{
	if (out->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		cot__span *v = cot__arena_alloc(a, ncap * sizeof *v);

		if (!v)
			return COT_ENOMEM;
		if (out->n)
			memcpy(v, out->v, out->n * sizeof *v);
		out->v = v;
		*cap = ncap;
	}
	out->v[out->n].off = start;
	out->v[out->n].len = end - start;
	out->n++;
	return COT_OK;
}

int cot__paragraphs(const char *text, size_t len, cot__arena *a,
		    cot__spans *out)
{
	size_t cap = 0, pos = 0, start = 0, end = 0;
	bool open = false;

	out->v = NULL;
	out->n = 0;
	for (;;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t eol = nl ? (size_t)(nl - text) : len;

		if (has_ink(text + pos, eol - pos)) {
			if (!open)
				start = pos;
			open = true;
			end = eol;
		} else if (open) {
			open = false;
			if (push(a, out, &cap, start, end))
				return COT_ENOMEM;
		}
		if (!nl)
			break;
		pos = eol + 1;
	}
	if (open && push(a, out, &cap, start, end))
		return COT_ENOMEM;
	return COT_OK;
}

size_t cot__span_index(const cot__spans *s, size_t off)
{
	size_t lo = 0, hi = s->n;

	/* the last span whose start is <= off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}
