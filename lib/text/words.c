/* words.c - Python's text.lower().split(), as hashes, and n-gram ratios. */
#include <string.h>

#include "text/words.h"
#include "base/utf8.h"
#include "base/bits.h"
#include "base/simd.h"

#define M1 0x9e3779b97f4a7c15ULL
#define M2 0xc2b2ae3d27d4eb4fULL

static bool pyspace_cp(uint32_t cp)
{
	if (cp < 0x80)
		return cot__ascii_pyspace(cp);
	return cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

size_t cot__pyspace_wide(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t k;

	k = cot__utf8_decode(p, n, &cp);
	return k && pyspace_cp(cp) ? k : 0;
}

static size_t encode(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The hash of one word is taken over the bytes of its lower-cased UTF-8
 * form, packed 8 to a 64-bit lane in memory order (byte j at bits 8j),
 * one multiply per lane. Lanes are counted from the word's first byte,
 * so a word hashes the same wherever it stands and however it was read
 * (8 bytes at once or one by one). */
typedef struct hasher {
	uint64_t state, lane;
	size_t len;
} hasher;

static void mix_lane(hasher *h, uint64_t lane)
{
	h->state = (h->state ^ lane) * M1;
	h->state ^= h->state >> 31;
}

static void feed(hasher *h, unsigned char b)
{
	h->lane |= (uint64_t)b << (8 * (h->len & 7));
	if ((++h->len & 7) == 0) {
		mix_lane(h, h->lane);
		h->lane = 0;
	}
}

/* One multiply and a shift: a bijection of its input, which for a word
 * of up to 7 bytes is the word itself, so short words never collide. */
static uint64_t finish(uint64_t state, uint64_t lane, size_t len)
{
	uint64_t r = (state ^ lane * M2 ^ len) * M1;

	return r ^ r >> 29;
}

static uint64_t hasher_end(hasher *h)
{
	uint64_t r = finish(h->state, h->lane, h->len);

	h->state = h->lane = 0;
	h->len = 0;
	return r;
}

/* The high bit of each byte of x that is not ASCII 0x21-0x7F (white
 * space, control, or part of a multi-byte character). A borrow can mark
 * bytes above a marked one, never below: the lowest mark is exact. */
static uint64_t special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u;

	return ((x - ones * 0x21) | x) & (ones * 0x80);
}

/* Room for `words` more word hashes and `marks` more marks. */
static int room(cot__words *w, size_t words, size_t marks)
{
	if (w->cap - w->n < words) {
		size_t cap = w->cap ? w->cap : 1024;
		uint64_t *h;

		while (cap - w->n < words)
			cap *= 2;
		if (!(h = cot__realloc(w->hash, cap * sizeof *h)))
			return COT_ENOMEM;
		w->hash = h;
		w->cap = cap;
	}
	if (w->capmark - w->nmark < marks) {
		size_t cap = w->capmark ? w->capmark * 2 : 64;
		size_t *m = cot__realloc(w->mark, cap * sizeof *m);

		if (!m)
			return COT_ENOMEM;
		w->mark = m;
		w->capmark = cap;
	}
	return COT_OK;
}

static int push(cot__words *w, uint64_t hash, size_t off)
{
	bool mark = w->n % COT__WORD_MARK == 0;

	if (room(w, 1, mark))
		return COT_ENOMEM;
	if (mark)
		w->mark[w->nmark++] = off;
	w->hash[w->n++] = hash;
	return COT_OK;
}

size_t cot__word_off(const cot__words *w, const char *text, size_t len,
		     size_t k)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t off = w->mark[k / COT__WORD_MARK], sk;

	for (k %= COT__WORD_MARK; k > 0; k--) {
		/* past this word, then past the space after it */
		while (off < len && !cot__pyspace_len(p + off, len - off))
			off++;
		while (off < len &&
		       (sk = cot__pyspace_len(p + off, len - off)))
			off += sk;
	}
	return off;
}

/* A character that is not ASCII: fed lower-cased, or 0 when it is a
 * Python space (the word ends there); returns the bytes it took. */
static size_t feed_wide(hasher *h, const unsigned char *p, size_t n,
			bool *space)
{
	uint32_t cp;
	size_t k = cot__utf8_decode(p, n, &cp);

	*space = false;
	if (!k) {
		/* not UTF-8: the byte stands for itself */
		feed(h, p[0]);
		return 1;
	}
	if (pyspace_cp(cp)) {
		*space = true;
		return k;
	}
	if (cp == 0x130) {
		/* U+0130 lowers to i + U+0307 (Python's SpecialCasing) */
		feed(h, 'i');
		feed(h, 0xcc);
		feed(h, 0x87);
	} else {
		uint32_t lc = cot__lower_cp(cp);
		unsigned char b[4];
		size_t bn = lc == cp ? k : encode(lc, b);
		const unsigned char *src = lc == cp ? p : b;

		for (size_t j = 0; j < bn; j++)
			feed(h, src[j]);
	}
	return k;
}

/* One step of the general loop from i: the white space there, then the
 * word after it, pushed. Returns where the word ends (len when only
 * white space was left); SIZE_MAX when out of memory. */
static size_t general_word(cot__words *w, const unsigned char *p,
			   size_t i, size_t len)
{
	hasher h = { 0, 0, 0 };
	size_t start;
	bool space = false;

	/* the spaces before a word */
	while (i < len) {
		if (p[i] < 0x80) {
			if (!cot__ascii_pyspace(p[i]))
				break;
			i++;
		} else {
			uint32_t cp;
			size_t k = cot__utf8_decode(p + i, len - i, &cp);

			if (!k || !pyspace_cp(cp))
				break;
			i += k;
		}
	}
	if (i >= len)
		return len;
	start = i;
	/* the word: up to 8 plain ASCII bytes at once where a lane
	 * starts, else one character at a time */
	while (i < len) {
		unsigned char c;
		if (COT__WORDS && (h.len & 7) == 0 && len - i >= 8) {
			uint64_t x = cot__load_le64(p + i), sp;
			size_t j;

			sp = special(x);
			j = sp ? (size_t)__builtin_ctzll(sp) / 8 : 8;
			if (j == 8) {
				mix_lane(&h, cot__lower8(x));
			} else if (j > 0) {
				h.lane = cot__lower8(x) &
					 (~0ULL >> (64 - 8 * j));
			}
			h.len += j;
			i += j;
			if (j == 8)
				continue;
		}
		c = p[i];
		if (c < 0x80) {
			if (cot__ascii_pyspace(c))
				break;
			feed(&h, (unsigned)(c - 'A') < 26 ? c + 32 : c);
			i++;
			continue;
		}
		i += feed_wide(&h, p + i, len - i, &space);
		if (space)
			break;
	}
	if (push(w, hasher_end(&h), start))
		return SIZE_MAX;
	return i;
}

/* Bits of the 64 bytes at p: ASCII Python white space in *space, bytes
 * >= 0x80 in *high; and the 72 bytes at p lower-cased (ASCII) into low,
 * where the words of the block are hashed from. */
static void masks64(const unsigned char *p, uint64_t *space,
		    uint64_t *high, unsigned char low[72])
{
	uint64_t s = 0, h = 0, tail;

	for (int k = 0; k < 4; k++) {
		cot__v16 v = cot__v16_load(p + 16 * k);
		/* signed compares: bytes >= 0x80 are negative, so no
		 * capitals and no white space */
		cot__v16 up = cot__v16_and(cot__v16_gt(v, cot__v16_splat('A' - 1)),
					   cot__v16_lt(v, cot__v16_splat('Z' + 1)));
		cot__v16 sp = cot__v16_or(
			cot__v16_eq1(v, ' '),
			cot__v16_or(
				cot__v16_and(cot__v16_gt(v, cot__v16_splat(8)),
					     cot__v16_lt(v, cot__v16_splat(14))),
				cot__v16_and(
					cot__v16_gt(v, cot__v16_splat(0x1b)),
					cot__v16_lt(v, cot__v16_splat(0x20)))));

		cot__v16_store(low + 16 * k,
			       cot__v16_or(v, cot__v16_and(
					up, cot__v16_splat(0x20))));
		s |= (uint64_t)cot__v16_mask(sp) << (16 * k);
		h |= (uint64_t)cot__v16_mask(v) << (16 * k);
	}
	memcpy(&tail, p + 64, 8);
	tail = cot__lower8(tail);
	memcpy(low + 64, &tail, 8);
	*space = s;
	*high = h;
}

/* The hash of the plain ASCII word q[0..n), lower-cased already (n >=
 * 1; 8 bytes past its start are readable): as the hasher makes it, lane
 * by lane. */
static uint64_t ascii_hash(const unsigned char *q, size_t n)
{
	uint64_t state = 0, x;
	size_t left = n;

	for (; left > 8; q += 8, left -= 8) {
		x = cot__load_le64(q);
		state = (state ^ x) * M1;
		state ^= state >> 31;
	}
	x = cot__load_le64(q);
	if (left == 8) {
		state = (state ^ x) * M1;
		state ^= state >> 31;
		return finish(state, 0, n);
	}
	return finish(state, x & (~0ULL >> (64 - 8 * left)), n);
}

/* The words of p[i..len) 64 bytes at a time, while 72 bytes are left:
 * white space and words come from two bit masks, and a word of plain
 * ASCII ended by ASCII white space (nearly all words) is hashed
 * without a look at each byte. Any other word (a byte >= 0x80 in it,
 * which may be a wide space or need Unicode lower-casing, or one that
 * runs past its block from the block's first byte) goes to
 * general_word. i is never inside a word. Returns where it stopped
 * (not inside a word), SIZE_MAX when out of memory. */
static size_t words_blocks(cot__words *w, const unsigned char *p,
			   size_t i, size_t len)
{
	while (len - i >= 72) {
		uint64_t space, high, ink, starts, *hash;
		size_t next = i + 64, nw;
		unsigned char low[72];

		/* a block holds 32 words at most, and so one mark */
		if (room(w, 32, 1))
			return SIZE_MAX;
		masks64(p + i, &space, &high, low);
		ink = ~space;
		/* i is not inside a word: a word starts at bit 0 if ink */
		starts = ink & ~(ink << 1);
		/* the count in a local, stored back before general_word:
		 * a hash written through w->hash could be w->n for all the
		 * compiler knows, which then reloads it at every word */
		hash = w->hash;
		nw = w->n;
		while (starts) {
			unsigned s = (unsigned)__builtin_ctzll(starts);
			uint64_t after = space >> s, n;

			starts &= starts - 1;
			if (!after) {
				/* runs past the block: from its start on in
				 * the next one, or if it began the block,
				 * the general way */
				w->n = nw;
				next = s ? i + s : general_word(w, p, i, len);
				nw = w->n;
				break;
			}
			n = (uint64_t)__builtin_ctzll(after);
			/* most blocks are plain ASCII: no test per word */
			if (high && ((high >> s) & ((1ULL << n) - 1))) {
				w->n = nw;
				next = general_word(w, p, i + s, len);
				nw = w->n;
				break;
			}
			if (nw % COT__WORD_MARK == 0)
				w->mark[w->nmark++] = i + s;
			hash[nw++] = ascii_hash(low + s, (size_t)n);
		}
		w->n = nw;
		if (next == SIZE_MAX)
			return SIZE_MAX;
		i = next;
	}
	return i;
}

int cot__words_scan(cot__words *w, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;

	w->n = w->nmark = 0;
	i = words_blocks(w, p, 0, len);
	if (i == SIZE_MAX)
		return COT_ENOMEM;
	while (i < len) {
		i = general_word(w, p, i, len);
		if (i == SIZE_MAX)
			return COT_ENOMEM;
	}
	return COT_OK;
}

void cot__words_dispose(cot__words *w)
{
	cot__free(w->hash);
	cot__free(w->mark);
	memset(w, 0, sizeof *w);
}

/* The n-gram at i is hashed as a polynomial over its word hashes,
 * sum of hash[i+k] * B^(n-1-k), rolled from one position to the next;
 * B is odd, so n-grams that differ in one word never collide. */
enum { RING = 16 };

int cot__ngram_ratio(const cot__words *w, unsigned n, cot__hmap *set,
		     double *out)
{
	const uint64_t B = COT__NGRAM_BASE;
	uint64_t bn = 1, hash = 0;
	size_t total, i;
	bool fresh;

	uint64_t ring[RING];

	*out = 0;
	if (n == 0 || w->n < n)
		return COT_OK;
	total = w->n - n + 1;
	/* sized for all n-grams up to a million (16 MB of table; a longer
	 * text grows it on demand: a long loop has few distinct n-grams) */
	if (cot__hmap_clear(set, total < (1 << 20) ? total : (1 << 20)))
		return COT_ENOMEM;
	for (i = 0; i < n; i++)
		bn *= B;
	/* the key of n-gram i is known RING n-grams ahead of its insertion:
	 * its slot is fetched meanwhile (a table of a long trace is bigger
	 * than the L1 and L2 caches, and each insertion is a random read) */
	for (i = 0; i < w->n + RING; i++) {
		/* first the n-gram whose slot is in the cache by now: its
		 * ring entry is reused below */
		if (i >= RING && i - RING + 1 >= n &&
		    !cot__hmap_put(set, ring[(i - RING) % RING], &fresh))
			return COT_ENOMEM;
		if (i < w->n) {
			hash = hash * B + w->hash[i];
			if (i >= n)
				hash -= w->hash[i - n] * bn;
			if (i + 1 >= n) {
				/* the polynomial is the key: its bits are as
				 * uniform as the word hashes' */
				ring[i % RING] = hash;
				cot__hmap_prefetch(set, hash);
			}
		}
	}
	*out = 1.0 - (double)set->n / (double)total;
	return COT_OK;
}

int cot_repetition_ratio(double *out, const char *text, size_t len,
			 unsigned n, cot_error *err)
{
	cot__words w = { 0 };
	cot__hmap set = { 0 };
	int rc;

	*out = 0;
	if (n == 0 || n > 64)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "n-gram size %u is not from 1 to 64", n);
	rc = cot__words_scan(&w, text, len);
	if (!rc)
		rc = cot__ngram_ratio(&w, n, &set, out);
	cot__words_dispose(&w);
	cot__hmap_dispose(&set);
	if (rc)
		return cot__error_set(err, rc, 0, 0, "out of memory");
	return COT_OK;
}
