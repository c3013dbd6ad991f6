/* hmap.h - an open-addressing map keyed by 64-bit hashes. */
#ifndef COT_HMAP_H
#define COT_HMAP_H

#include "base/internal.h"

/* Keys are hashes (already well mixed); key 0 is stored as 1, so two
 * keys that differ only there are one key. Memory is kept between uses:
 * a table cleared for every trace grows to the largest and then
 * allocates nothing; clearing costs what the new use asks for, not the
 * largest size ever. Not thread-safe: one per thread (cot__scratch). */
typedef struct cot__hslot {
	uint64_t key;		/* 0: empty */
	uint64_t val;
} cot__hslot;

typedef struct cot__hmap {
	cot__hslot *slot;
	size_t cap;		/* slots in use: a power of two, or 0 */
	size_t n;		/* keys held */
	size_t alloc;		/* slots allocated */
} cot__hmap;

/* The first cap slots of size bytes of the array slot (with room for
 * *alloc), zeroed: slot itself when it has room, else a new array (the
 * old one freed, *alloc updated). NULL when out of memory, slot then
 * unchanged. The clear of both hash tables, the map's and the loop
 * pass's trigram table. */
void *cot__slots_zeroed(void *slot, size_t *alloc, size_t cap, size_t size);

/* Empty m and size it for about expect keys (it grows past that).
 * Returns COT_OK or COT_ENOMEM. */
int cot__hmap_clear(cot__hmap *m, size_t expect);
void cot__hmap_dispose(cot__hmap *m);
/* Double the slots of m: COT_OK or COT_ENOMEM. */
int cot__hmap_grow(cot__hmap *m);

/* The home slot of key (the slot function of hmap.c). */
static inline size_t cot__hslot_home(uint64_t key, size_t cap)
{
	key = key ? key : 1;
	return (size_t)(key ^ key >> 29) & (cap - 1);
}

/* The value of key; a new key is inserted with value 0 and *fresh set.
 * NULL when growing failed (COT_ENOMEM). Inline: the loop pass puts
 * every word's trigram, and a call costs as much as the look-up. */
static inline uint64_t *cot__hmap_put(cot__hmap *m, uint64_t key,
				      bool *fresh)
{
	size_t s;

	if (!key)
		key = 1;
	if ((m->n + 1) * 2 > m->cap && cot__hmap_grow(m))
		return NULL;
	for (s = cot__hslot_home(key, m->cap); m->slot[s].key;
	     s = (s + 1) & (m->cap - 1)) {
		if (m->slot[s].key == key) {
			*fresh = false;
			return &m->slot[s].val;
		}
	}
	m->slot[s].key = key;
	m->slot[s].val = 0;
	m->n++;
	*fresh = true;
	return &m->slot[s].val;
}

/* Ask the cache for key's home slot ahead of cot__hmap_put. */
static inline void cot__hmap_prefetch(const cot__hmap *m, uint64_t key)
{
#if defined(__GNUC__)
	__builtin_prefetch(&m->slot[cot__hslot_home(key, m->cap)], 1);
#else
	(void)m;
	(void)key;
#endif
}

#endif
