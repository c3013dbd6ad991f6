/* cue.c - cue phrases at the opening of a unit: lookup tables. */
#include <stdlib.h>
#include <string.h>

#include "match/cue.h"
#include "base/bits.h"
#include "base/simd.h"
#include "base/utf8.h"

int cot__cueset_add(cot__cueset *cs, const char *p, size_t n, int cls)
{
	if (n == 0)
		return COT_OK;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 64;
		cot__cue_ent *v = cot__realloc(cs->v, cap * sizeof *v);

		if (!v)
			return COT_ENOMEM;
		cs->v = v;
		cs->cap = cap;
	}
	cs->v[cs->n].p = p;
	cs->v[cs->n].n = (uint32_t)n;
	cs->v[cs->n].cls = (uint8_t)cls;
	cs->n++;
	return COT_OK;
}

int cot__cueset_add_list(cot__cueset *cs, const char *phrases, int cls)
{
	for (const char *p = phrases;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (cot__cueset_add(cs, p, n, cls))
			return COT_ENOMEM;
		if (!bar)
			return COT_OK;
		p = bar + 1;
	}
}

int cot__cueset_add_table(cot__cueset *cs, const cot__cue *cues)
{
	for (; cues->phrase; cues++)
		if (cot__cueset_add(cs, cues->phrase, strlen(cues->phrase),
				    cues->cls))
			return COT_ENOMEM;
	return COT_OK;
}

static unsigned pair_of(const char *p, size_t n)
{
	return (unsigned)(unsigned char)p[0] << 8 |
	       (n > 1 ? (unsigned char)p[1] : 0);
}

/* Longest first; equal phrases keep a stable order by their bytes and
 * class. */
static int cmp_len(const cot__cue_ent *x, const cot__cue_ent *y)
{
	int c;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	c = memcmp(x->p, y->p, x->n);
	return c ? c : (x->cls > y->cls) - (x->cls < y->cls);
}

/* Short phrases first, by first two bytes; long ones by first 8 bytes
 * (as a number: any fixed order groups them). Within a group, longest
 * first, so the first match is the longest. */
static int cmp_ent(const void *a, const void *b)
{
	const cot__cue_ent *x = a, *y = b;
	bool lx = x->n >= 8, ly = y->n >= 8;

	if (lx != ly)
		return lx ? 1 : -1;
	if (!lx && pair_of(x->p, x->n) != pair_of(y->p, y->n))
		return pair_of(x->p, x->n) < pair_of(y->p, y->n) ? -1 : 1;
	if (lx && x->word != y->word)
		return x->word < y->word ? -1 : 1;
	return cmp_len(x, y);
}

static uint32_t bucket_home(uint64_t key, uint32_t mask)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 40) & mask;
}

/* The long phrases into the hash table by their first 8 bytes. */
static int index_long(cot__cueset *cs)
{
	size_t nl = cs->n - cs->nshort, keys = 0, size = 8;

	cs->lng = cs->v + cs->nshort;
	for (size_t k = 0; k < nl; k++)
		keys += k == 0 || cs->lng[k].word != cs->lng[k - 1].word;
	while (size < 2 * keys)
		size *= 2;
	cs->bucket = cot__calloc(size, sizeof *cs->bucket);
	if (!cs->bucket)
		return COT_ENOMEM;
	cs->bucket_mask = (uint32_t)size - 1;
	for (size_t k = 0; k < nl; k++) {
		uint64_t key = cs->lng[k].word;
		uint32_t h = bucket_home(key, cs->bucket_mask);

		while (cs->bucket[h].n && cs->bucket[h].key != key)
			h = (h + 1) & cs->bucket_mask;
		if (!cs->bucket[h].n) {
			cs->bucket[h].key = key;
			cs->bucket[h].at = (uint32_t)k;
		}
		cs->bucket[h].n++;
	}
	return COT_OK;
}

int cot__cueset_finish(cot__cueset *cs)
{
	size_t np = 0;

	for (size_t k = 0; k < cs->n; k++) {
		cot__cue_ent *e = &cs->v[k];
		size_t n = e->n < 8 ? e->n : 8;
		uint8_t b[8] = { 0 };

		memcpy(b, e->p, n);
		e->word = cot__load_le64(b);
		e->mask = n < 8 ? ~(~0ULL << 8 * n) : ~0ULL;
		cs->lead[(unsigned char)e->p[0]] = 1;
		cs->single[(unsigned char)e->p[0]] |= e->n == 1;
		cs->nshort += e->n < 8;
	}
	if (cs->n)
		qsort(cs->v, cs->n, sizeof *cs->v, cmp_ent);
	cs->pairs = cot__malloc((cs->nshort + 1) * sizeof *cs->pairs);
	cs->at = cot__malloc((cs->nshort + 1) * sizeof *cs->at);
	if (!cs->pairs || !cs->at || index_long(cs))
		return COT_ENOMEM;
	for (size_t k = 0; k < cs->nshort; k++) {
		unsigned p = pair_of(cs->v[k].p, cs->v[k].n);

		if (np && cs->pairs[np - 1] == p)
			continue;
		cs->pairs[np] = (uint16_t)p;
		cs->at[np++] = (uint32_t)k;
	}
	cs->at[np] = (uint32_t)cs->nshort;
	for (unsigned b = 0, k = 0; b <= 256; b++) {
		while (k < np && (unsigned)(cs->pairs[k] >> 8) < b)
			k++;
		cs->first[b] = k;
	}
	return COT_OK;
}

void cot__cueset_free(cot__cueset *cs)
{
	cot__free(cs->v);
	cot__free(cs->pairs);
	cot__free(cs->at);
	cot__free(cs->bucket);
	memset(cs, 0, sizeof *cs);
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool ascii_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

/* The code point at p[0..n) (valid UTF-8), its length in *len. */
/* The code point at p[0..n) and its length: U+FFFD and one byte where
 * the bytes are not UTF-8 (the text is; a cut can fall inside). */
static uint32_t decode(const unsigned char *p, size_t n, size_t *len)
{
	uint32_t cp;

	*len = cot__utf8_decode(p, n, &cp);
	if (*len)
		return cp;
	*len = 1;
	return 0xfffd;
}

static bool punct_cp(uint32_t c)
{
	return (c >= 0xa0 && c <= 0xbf) || c == 0xd7 || c == 0xf7 ||
	       (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) ||
	       (c >= 0xff00 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) ||
	       (c >= 0xff3b && c <= 0xff40) || (c >= 0xff5b && c <= 0xff65);
}

bool cot__word_char_at(const char *text, size_t pos, size_t end)
{
	const unsigned char *p = (const unsigned char *)text + pos;
	size_t len;

	if (pos >= end)
		return false;
	if (p[0] < 0x80)
		return ascii_word(p[0]);
	if (cot__space_len(p, end - pos))
		return false;
	return !punct_cp(decode(p, end - pos, &len));
}

/* Is the character that ends just before pos a word character? */
static bool word_before(const char *text, size_t pos)
{
	size_t s = pos;

	if (pos == 0)
		return false;
	if ((unsigned char)text[pos - 1] < 0x80)
		return ascii_word((unsigned char)text[pos - 1]);
	while (s > 0 && s + 4 > pos &&
	       ((unsigned char)text[s - 1] & 0xc0) == 0x80)
		s--;
	if (s > 0)
		s--;
	return cot__word_char_at(text, s, pos);
}

/* Bytes of text matched by phrase e at pos, or 0; its first `from`
 * bytes are known to be those of the text, and *before says whether a
 * word character ends at pos (-1: not known yet). */
static size_t match_one(const cot__cue_ent *e, const char *text,
			size_t pos, size_t end, size_t from, int *before)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = pos + from;

	for (uint32_t k = (uint32_t)from; k < e->n; k++) {
		unsigned char c = (unsigned char)e->p[k];

		if (i >= end)
			return 0;
		if (c == '\'') {
			if (t[i] == '\'') {
				i++;
			} else if (end - i >= 3 && t[i] == 0xe2 &&
				   t[i + 1] == 0x80 && t[i + 2] == 0x99) {
				i += 3;
			} else {
				return 0;
			}
			continue;
		}
		if (lower(t[i]) != c)
			return 0;
		i++;
	}
	if (ascii_word((unsigned char)e->p[e->n - 1]) &&
	    cot__word_char_at(text, i, end))
		return 0;
	if (ascii_word((unsigned char)e->p[0])) {
		if (*before < 0)
			*before = word_before(text, pos);
		if (*before)
			return 0;
	}
	return i - pos;
}

/* The first 8 bytes at pos as the phrases are written (lower case, an
 * apostrophe for U+2019), fewer at the end (the rest 0): into *w, and
 * how many. *same says whether they are the text's own bytes. */
static size_t window(const unsigned char *t, size_t pos, size_t end,
		     uint64_t *w, bool *same)
{
	uint8_t b[8] = { 0 };
	size_t got = 0, i = pos;

	if (COT__WORDS && end - pos >= 8) {
		uint64_t x = cot__load_le64(t + pos);
		uint64_t y = x ^ 0xe2e2e2e2e2e2e2e2ULL;

		/* no byte 0xe2, no U+2019: the plain case */
		if (!((y - 0x0101010101010101ULL) & ~y &
		      0x8080808080808080ULL)) {
			*w = cot__lower8(x);
			*same = true;
			return 8;
		}
	}
	*same = true;
	while (got < 8 && i < end) {
		if (end - i >= 3 && t[i] == 0xe2 && t[i + 1] == 0x80 &&
		    t[i + 2] == 0x99) {
			b[got++] = '\'';
			i += 3;
			*same = false;
		} else {
			b[got++] = lower(t[i++]);
		}
	}
	*w = cot__load_le64(b);
	return got;
}

/* The longest short phrase of the group of pair p matching at pos
 * (the text's first bytes w, `same` as window() says): the bytes of
 * text it covers and its class; 0 when none. */
static size_t in_group(const cot__cueset *cs, unsigned p, uint64_t w,
		       const char *text, size_t pos, size_t end, bool same,
		       int *before, int *cls)
{
	uint32_t lo = cs->first[p >> 8], hi = cs->first[(p >> 8) + 1];

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (cs->pairs[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == cs->first[(p >> 8) + 1] || cs->pairs[lo] != p)
		return 0;
	for (uint32_t k = cs->at[lo]; k < cs->at[lo + 1]; k++) {
		const cot__cue_ent *e = &cs->v[k];
		size_t n;

		if ((w & e->mask) != e->word)
			continue;
		n = match_one(e, text, pos, end, same ? e->n : 0, before);
		if (n) {
			*cls = e->cls;
			return n;
		}
	}
	return 0;
}

size_t cot__cue_at(const cot__cueset *cs, const char *text, size_t pos,
		   size_t end, int *cls)
{
	const unsigned char *t = (const unsigned char *)text;
	uint64_t w;
	size_t got, n;
	unsigned p;
	int before = -1;
	bool same;

	*cls = COT__CUE_NONE;
	if (pos >= end || !cs->lead[lower(t[pos])])
		return 0;
	got = window(t, pos, end, &w, &same);
	/* a long phrase, found by its first 8 bytes, is longer than any
	 * short one */
	if (got == 8 && cs->bucket) {
		uint32_t h = bucket_home(w, cs->bucket_mask);

		for (; cs->bucket[h].n; h = (h + 1) & cs->bucket_mask) {
			const cot__cue_bucket *bk = &cs->bucket[h];

			if (bk->key != w)
				continue;
			for (uint32_t k = bk->at; k < bk->at + bk->n; k++) {
				n = match_one(&cs->lng[k], text, pos, end,
					      same ? 8 : 0, &before);
				if (n) {
					*cls = cs->lng[k].cls;
					return n;
				}
			}
			break;
		}
	}
	p = (unsigned)(w & 0xff) << 8 | (unsigned)(w >> 8 & 0xff);
	n = in_group(cs, p, w, text, pos, end, same, &before, cls);
	/* one-byte phrases are filed under (b0, 0) */
	if (!n && (p & 0xff) && cs->single[p >> 8])
		n = in_group(cs, p & 0xff00, w, text, pos, end, same, &before,
			     cls);
	return n;
}

/* A list marker at text[pos..end): its length with the White_Space
 * after it, or 0. */
static size_t list_marker(const unsigned char *t, size_t pos, size_t end)
{
	size_t i = pos, w;

	if (i < end && (t[i] == '-' || t[i] == '+')) {
		i++;
	} else if (end - i >= 3 && t[i] == 0xe2 && t[i + 1] == 0x80 &&
		   t[i + 2] == 0xa2) {
		i += 3;
	} else {
		while (i < end && i - pos < 3 && t[i] >= '0' && t[i] <= '9')
			i++;
		if (i == pos || i >= end || (t[i] != '.' && t[i] != ')'))
			return 0;
		i++;
	}
	w = i < end ? cot__space_len(t + i, end - i) : 0;
	return w ? i + w - pos : 0;
}

size_t cot__opening(const char *text, size_t start, size_t end)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = start;

	while (i < end) {
		size_t w = cot__space_len(t + i, end - i);

		if (w) {
			i += w;
		} else if (t[i] == '*' || t[i] == '_' || t[i] == '#' ||
			   t[i] == '>' || t[i] == '`') {
			i++;
		} else if ((w = list_marker(t, i, end))) {
			i += w;
		} else {
			break;
		}
	}
	return i;
}

size_t cot__after_cue(const char *text, size_t pos, size_t end)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = pos;

	while (i < end) {
		size_t w = cot__space_len(t + i, end - i);

		if (w) {
			i += w;
			continue;
		}
		if (t[i] == ',' || t[i] == '.' || t[i] == '!' || t[i] == '?' ||
		    t[i] == ';' || t[i] == ':' || t[i] == '-' || t[i] == '*' ||
		    t[i] == '_') {
			i++;
			continue;
		}
		if (end - i >= 3) {
			uint32_t c;
			size_t len;

			c = decode(t + i, end - i, &len);
			if (c == 0x2026 || c == 0x2013 || c == 0x2014 ||
			    c == 0x3001 || c == 0x3002 || c == 0xff0c ||
			    c == 0xff01 || c == 0xff1f) {
				i += len;
				continue;
			}
		}
		break;
	}
	return i;
}
