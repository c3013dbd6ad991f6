/* hmap.c - open-addressing tables keyed by 64-bit hashes: a map, a set. */
#include <string.h>

#include "hmap.h"

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

/* Make room for cap slots of size bytes in *mem (kept when big enough),
 * zeroed. */
static int room(void **mem, size_t *alloc, size_t cap, size_t size)
{
	if (cap > *alloc) {
		void *p = cot__malloc(cap * size);

		if (!p)
			return COT_ENOMEM;
		cot__free(*mem);
		*mem = p;
		*alloc = cap;
	}
	memset(*mem, 0, cap * size);
	return COT_OK;
}

int cot__hmap_clear(cot__hmap *m, size_t expect)
{
	void *mem = m->slot;
	size_t cap = cap_for(expect);

	if (room(&mem, &m->alloc, cap, sizeof *m->slot))
		return COT_ENOMEM;
	m->slot = mem;
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

int cot__hset_clear(cot__hset *s, size_t expect)
{
	void *mem = s->key;
	size_t cap = cap_for(expect);

	if (room(&mem, &s->alloc, cap, sizeof *s->key))
		return COT_ENOMEM;
	s->key = mem;
	s->cap = cap;
	s->n = 0;
	return COT_OK;
}

static int set_grow(cot__hset *s)
{
	cot__hset neo = { 0 };

	if (cot__hset_clear(&neo, s->cap ? s->cap : MIN_CAP))
		return COT_ENOMEM;
	for (size_t i = 0; i < s->cap; i++) {
		size_t k;

		if (!s->key[i])
			continue;
		k = home(s->key[i], neo.cap);
		while (neo.key[k])
			k = (k + 1) & (neo.cap - 1);
		neo.key[k] = s->key[i];
	}
	neo.n = s->n;
	cot__free(s->key);
	*s = neo;
	return COT_OK;
}

int cot__hset_add(cot__hset *s, uint64_t key)
{
	size_t k;

	if (!key)
		key = 1;
	if ((s->n + 1) * 2 > s->cap && set_grow(s))
		return COT_ENOMEM;
	for (k = home(key, s->cap); s->key[k]; k = (k + 1) & (s->cap - 1))
		if (s->key[k] == key)
			return COT_OK;
	s->key[k] = key;
	s->n++;
	return COT_OK;
}

void cot__hset_dispose(cot__hset *s)
{
	cot__free(s->key);
	memset(s, 0, sizeof *s);
}
