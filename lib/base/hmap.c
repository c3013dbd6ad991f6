/* hmap.c - an open-addressing map keyed by 64-bit hashes. */
#include <string.h>

#include "base/hmap.h"

enum { MIN_CAP = 64 };

static size_t home(uint64_t key, size_t cap)
{
	return cot__hslot_home(key, cap);
}

/* Slots for about expect keys, at most half full. */
static size_t cap_for(size_t expect)
{
	size_t cap = MIN_CAP;

	while (cap / 2 < expect && cap < SIZE_MAX / 64)
		cap *= 2;
	return cap;
}

void *cot__slots_zeroed(void *slot, size_t *alloc, size_t cap, size_t size)
{
	/* the slots are kept when big enough */
	if (cap > *alloc) {
		void *p = cot__malloc(cap * size);

		if (!p)
			return NULL;
		cot__free(slot);
		slot = p;
		*alloc = cap;
	}
	memset(slot, 0, cap * size);
	return slot;
}

int cot__hmap_clear(cot__hmap *m, size_t expect)
{
	size_t cap = cap_for(expect);
	cot__hslot *p = cot__slots_zeroed(m->slot, &m->alloc, cap,
					  sizeof *p);

	if (!p)
		return COT_ENOMEM;
	m->slot = p;
	m->cap = cap;
	m->n = 0;
	return COT_OK;
}

/* Double the slots; the old array is read while the new one fills. */
int cot__hmap_grow(cot__hmap *m)
{
	cot__hmap neo = { 0 };

	if (cot__hmap_clear(&neo, m->cap ? m->cap : MIN_CAP))
		return COT_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		size_t s;

		if (!m->slot[i].key)
			continue;
		s = home(m->slot[i].key, neo.cap);
		while (neo.slot[s].key)
			s = (s + 1) & (neo.cap - 1);
		neo.slot[s] = m->slot[i];
	}
	neo.n = m->n;
	cot__free(m->slot);
	*m = neo;
	return COT_OK;
}

void cot__hmap_dispose(cot__hmap *m)
{
	cot__free(m->slot);
	memset(m, 0, sizeof *m);
}
