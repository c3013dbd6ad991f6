/* cue.c - cue phrases at the opening of a unit: lookup tables. */
#include <stdlib.h>
#include <string.h>

#include "cue.h"
#include "bits.h"
#include "text.h"

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

/* By first two bytes, then longest first, so the first match is the
 * longest; equal phrases keep a stable order by their bytes. */
static int cmp_ent(const void *a, const void *b)
{
	const cot__cue_ent *x = a, *y = b;
	unsigned px = pair_of(x->p, x->n), py = pair_of(y->p, y->n);
	int c;

	if (px != py)
		return px < py ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	c = memcmp(x->p, y->p, x->n);
	return c ? c : (x->cls > y->cls) - (x->cls < y->cls);
}

int cot__cueset_finish(cot__cueset *cs)
{
	size_t np = 0;

	for (size_t k = 0; k < cs->n; k++) {
		cot__cue_ent *e = &cs->v[k];
		uint8_t ff[8] = { 0 };
		size_t n = 0;

		while (n < e->n && n < 8 && e->p[n] != '\'')
			n++;
		e->word = 0;
		e->known = (uint8_t)n;
		memcpy(&e->word, e->p, n);
		memset(ff, 0xff, n);
		memcpy(&e->mask, ff, 8);
	}
	if (cs->n)
		qsort(cs->v, cs->n, sizeof *cs->v, cmp_ent);
	cs->pairs = cot__malloc((cs->n + 1) * sizeof *cs->pairs);
	cs->at = cot__malloc((cs->n + 1) * sizeof *cs->at);
	if (!cs->pairs || !cs->at)
		return COT_ENOMEM;
	for (size_t k = 0; k < cs->n; k++) {
		unsigned p = pair_of(cs->v[k].p, cs->v[k].n);

		if (np && cs->pairs[np - 1] == p)
			continue;
		cs->pairs[np] = (uint16_t)p;
		cs->at[np++] = (uint32_t)k;
	}
	cs->at[np] = (uint32_t)cs->n;
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
static uint32_t decode(const unsigned char *p, size_t n, size_t *len)
{
	if (p[0] < 0x80 || n < 2) {
		*len = 1;
		return p[0];
	}
	if (p[0] < 0xe0) {
		*len = 2;
		return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if (p[0] < 0xf0 || n < 4) {
		*len = n < 3 ? n : 3;
		return n < 3 ? 0xfffd : (uint32_t)(p[0] & 0x0f) << 12 |
			(uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
	       (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
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

/* Bytes of text matched by phrase e at pos, or 0; its first e->known
 * bytes are those of the text (the quick test), and *before says
 * whether a word character ends at pos (-1: not known yet). */
static size_t match_one(const cot__cue_ent *e, const char *text,
			size_t pos, size_t end, int *before)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = pos + e->known;

	for (uint32_t k = e->known; k < e->n; k++) {
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

/* The longest phrase of the group of pair p matching at pos: the bytes
 * of text it covers and its class; 0 when none. */
static size_t in_group(const cot__cueset *cs, unsigned p, uint64_t w,
		       const char *text, size_t pos, size_t end, int *cls)
{
	uint32_t lo = cs->first[p >> 8], hi = cs->first[(p >> 8) + 1];
	int before = -1;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (cs->pairs[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == cs->first[(p >> 8) + 1] || cs->pairs[lo] != p)
		return 0;
	for (uint32_t i = cs->at[lo]; i < cs->at[lo + 1]; i++) {
		size_t n;

		if ((w & cs->v[i].mask) != cs->v[i].word)
			continue;
		n = match_one(&cs->v[i], text, pos, end, &before);
		if (n) {
			*cls = cs->v[i].cls;
			return n;
		}
	}
	return 0;
}

size_t cot__cue_at(const cot__cueset *cs, const char *text, size_t pos,
		   size_t end, int *cls)
{
	const unsigned char *t = (const unsigned char *)text;
	unsigned b0, b1;
	uint64_t w = 0;
	size_t n, n2;
	int c2;

	*cls = COT__CUE_NONE;
	if (pos >= end)
		return 0;
	b0 = lower(t[pos]);
	if (cs->first[b0] == cs->first[b0 + 1])
		return 0;
	b1 = pos + 1 < end ? lower(t[pos + 1]) : 0;
	memcpy(&w, text + pos, end - pos >= 8 ? 8 : end - pos);
	w = cot__lower8(w);
	n = in_group(cs, b0 << 8 | b1, w, text, pos, end, cls);
	/* a phrase's apostrophe matches U+2019 too */
	if (b1 == 0xe2 && (n2 = in_group(cs, b0 << 8 | '\'', w, text, pos,
					 end, &c2)) > n) {
		n = n2;
		*cls = c2;
	}
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
