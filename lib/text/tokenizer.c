/* tokenizer.c - byte-level BPE as Hugging Face `tokenizers` encodes
 * (add_special_tokens false): added tokens, normalizer, Split
 * pre-tokenizers, ByteLevel, BPE merges. Every step follows the Rust
 * crate's (added_vocabulary.rs, normalizer.rs, split.rs, byte_level.rs,
 * bpe/model.rs, bpe/word.rs); the ids must be its ids, so what we do not
 * know to be the same is refused at load. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include <jansson.h>

#include "base/utf8.h"
#include "text/pretok.h"
#include "text/tokenizer.h"

enum { ID_MAX = 1 << 24 };
#define NONE UINT32_MAX

/* An added token: its text (normalized if the token is) and id. */
typedef struct added {
	char *s;
	size_t len;
	uint32_t id;
} added;

/* The added tokens matched on one text (the raw text, or the normalized
 * pieces), by first byte, longest first within one byte: the first that
 * matches at a position is aho-corasick's LeftmostLongest match. */
typedef struct addset {
	added *tok;
	size_t n;
	uint32_t first[257];	/* tok[first[b]..first[b+1]) start with b */
	int one;		/* the first byte of all, -1 if they differ */
} addset;

typedef struct mslot {
	uint64_t key;		/* (left id << 32 | right id) + 1; 0: empty */
	uint32_t rank;
	uint32_t id;		/* the id of the merged token */
} mslot;

struct cot__tokenizer {
	addset raw;		/* normalized false: on the input */
	addset norm;		/* normalized true: on normalized pieces */
	bool nfc;
	bool ignore_merges;	/* a pre-token in the vocab is one token */
	cot__pretok pre;
	/* vocab: the bytes of token id at bytes[off[id]..off[id + 1]) */
	char *bytes;
	uint32_t *off;		/* nid + 1 offsets */
	uint8_t *has;		/* 0: id is no byte-level vocab token */
	uint32_t nid;
	uint32_t *vslot;	/* ids by hash of their bytes; NONE: empty */
	size_t vmask;
	mslot *mslot;
	size_t mmask;
	uint32_t byte_id[256];	/* NONE: the vocab lacks that byte */
	int16_t unbyte[324];	/* byte_table */
};

typedef struct sym {
	uint32_t id;
	int32_t prev, next;
	uint32_t len;		/* 0: merged into its left neighbour */
	uint32_t rank, to;	/* merge_short: the pair with the next */
} sym;

/* Pieces of up to SHORT_PIECE bytes merge without the heap. */
enum { SHORT_PIECE = 48 };

/* The pre-token cache of a scratch: CACHE_SLOTS entries of 64 bytes
 * (512 KiB), in sets of two by the hash of the pre-token's bytes; a new
 * entry goes first in its set, the first moving to second and the
 * second dropped. Pre-tokens of more than CACHE_KEY bytes, or of more
 * than CACHE_IDS ids, are not kept. */
enum { CACHE_SLOTS = 8192, CACHE_KEY = 26, CACHE_IDS = 8 };

typedef struct centry {
	uint32_t tag;		/* high half of the hash */
	uint8_t klen;		/* 0: empty (an empty piece never comes) */
	uint8_t nid;
	char key[CACHE_KEY];
	uint32_t id[CACHE_IDS];
} centry;

typedef struct hent {
	uint32_t rank, pos, id;
} hent;

struct cot__tok_scratch {
	cot__pretok_state pre;
	char *clean;		/* the input with U+FFFD for bad bytes */
	size_t clean_cap;
	int32_t *u32;		/* NFC works on code points */
	size_t u32_cap;
	cot__sbuf norm;		/* the NFC of a piece */
	sym *sym;
	size_t sym_cap;
	hent *heap;
	size_t heap_cap;
	uint32_t *pid;		/* the ids of one pre-token */
	size_t pid_cap;
	centry *cache;
	uint64_t lookups, hits;
	/* where the ids go during one cot__tokenize */
	uint32_t **ids;
	size_t *nids, *cap;
};

/* Grow the array *p of *cap elements of size bytes to hold need. */
static int reserve(void *p, size_t *cap, size_t need, size_t size)
{
	void **pp = p;
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return COT_OK;
	while (c < need)
		c *= 2;
	if (c > SIZE_MAX / size)
		return COT_ENOMEM;
	q = cot__realloc(*pp, c * size);
	if (!q)
		return COT_ENOMEM;
	*pp = q;
	*cap = c;
	return COT_OK;
}

/* The last word of s[0..n), n at most 8, read without going past it:
 * overlapping loads, not a copy byte by byte into a word (whose read
 * back stalls on the stores; most pre-tokens are that short). */
static inline uint64_t tail_word(const char *s, size_t n)
{
	uint32_t a, b;
	uint64_t w;

	if (n == 8) {
		memcpy(&w, s, 8);
		return w;
	}
	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		return (uint64_t)b << 32 | a;
	}
	if (n == 0)
		return 0;
	return (uint64_t)(unsigned char)s[0] |
	       (uint64_t)(unsigned char)s[n / 2] << 8 |
	       (uint64_t)(unsigned char)s[n - 1] << 16;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;

	for (; n > 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	h = (h ^ tail_word(s, n)) * 0xc4ceb9fe1a85ec53u;
	return h ^ h >> 29;
}

static uint64_t hash_key(uint64_t k)
{
	k *= 0x9e3779b97f4a7c15u;
	return k ^ k >> 31;
}

/* ---- the vocabulary ---------------------------------------------- */

/* The id of the vocab token whose bytes are s[0..n), NONE if none. */
static uint32_t vocab_find(const cot__tokenizer *t, const char *s, size_t n)
{
	size_t i = hash_bytes(s, n) & t->vmask;
	uint32_t id;

	while ((id = t->vslot[i]) != NONE) {
		if (t->off[id + 1] - t->off[id] == n &&
		    memcmp(t->bytes + t->off[id], s, n) == 0)
			return id;
		i = (i + 1) & t->vmask;
	}
	return NONE;
}

/* Start loading the slot of the pair (a, b): the table is megabytes,
 * so its probes miss the cache, and those of a piece's pairs can wait
 * for memory at once rather than one after the other. */
static void merge_prefetch(const cot__tokenizer *t, uint32_t a, uint32_t b)
{
#if defined(__GNUC__)
	uint64_t key = ((uint64_t)a << 32 | b) + 1;

	__builtin_prefetch(&t->mslot[hash_key(key) & t->mmask]);
#else
	(void)t, (void)a, (void)b;
#endif
}

static const mslot *merge_find(const cot__tokenizer *t, uint32_t a,
			       uint32_t b)
{
	uint64_t key = ((uint64_t)a << 32 | b) + 1;
	size_t i = hash_key(key) & t->mmask;

	for (; t->mslot[i].key; i = (i + 1) & t->mmask)
		if (t->mslot[i].key == key)
			return &t->mslot[i];
	return NULL;
}

/* GPT-2's bytes_to_unicode, inverted, into inv: the byte a code point
 * (below 324) of a byte-level token stands for, -1 for none. Printable
 * Latin-1 stands for itself; the other 68 bytes, in order, for U+0100
 * on. Filled per tokenizer, not in a static, so that loads in threads
 * at once do not race. */
static void byte_table(int16_t inv[324])
{
	int n = 0;

	for (int i = 0; i < 324; i++)
		inv[i] = -1;
	for (int b = 0; b < 256; b++) {
		bool self = (b >= '!' && b <= '~') ||
			    (b >= 0xa1 && b <= 0xac) || b >= 0xae;

		inv[self ? b : 256 + n++] = (int16_t)b;
	}
}

/* The bytes a byte-level token stands for, into buf (room for n bytes:
 * never more than the token's own): their number, or SIZE_MAX when
 * the token is not byte-level (the added tokens some vocabs hold). */
static size_t unbyte(const cot__tokenizer *t, const char *s, size_t n,
		     char *buf)
{
	size_t k = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = cot__utf8_decode((const unsigned char *)s + i,
					    n - i, &cp);
		int b = l && cp < 324 ? t->unbyte[cp] : -1;

		if (b < 0)
			return SIZE_MAX;
		buf[k++] = (char)b;
		i += l;
	}
	return k;
}

static int load_vocab(cot__tokenizer *t, json_t *vocab, cot_error *err)
{
	const char *key;
	json_t *v;
	size_t total = 0, len, nslot;
	uint32_t maxid = 0;
	char *tmp;

	if (!json_is_object(vocab) || json_object_size(vocab) == 0)
		return cot__error_set(err, COT_EPARSE, 0, 0,
				      "model.vocab: not a non-empty object");
	json_object_foreach(vocab, key, v) {
		json_int_t id = json_integer_value(v);

		if (!json_is_integer(v) || id < 0 || id >= ID_MAX)
			return cot__error_set(err, COT_EPARSE, 0, 0,
					      "model.vocab[\"%s\"]: not an id "
					      "below %d", key, ID_MAX);
		if ((uint32_t)id > maxid)
			maxid = (uint32_t)id;
		total += strlen(key);
	}
	t->nid = maxid + 1;
	t->bytes = cot__malloc(total + 1);
	t->off = cot__calloc((size_t)t->nid + 1, sizeof *t->off);
	t->has = cot__calloc(t->nid, sizeof *t->has);
	for (nslot = 1024; nslot < 2 * json_object_size(vocab);)
		nslot *= 2;
	t->vslot = cot__malloc(nslot * sizeof *t->vslot);
	tmp = cot__malloc(total + 1);
	if (!t->bytes || !t->off || !t->has || !t->vslot || !tmp) {
		cot__free(tmp);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	t->vmask = nslot - 1;
	memset(t->vslot, 0xff, nslot * sizeof *t->vslot);
	/* The ids need not come in order: lay the bytes out by id. */
	{
		uint32_t *len_of = cot__calloc(t->nid, sizeof *len_of);
		size_t at = 0;

		if (!len_of) {
			cot__free(tmp);
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		}
		json_object_foreach(vocab, key, v) {
			uint32_t id = (uint32_t)json_integer_value(v);
			size_t k = strlen(key);

			len = unbyte(t, key, k, tmp);
			if (len == SIZE_MAX || t->has[id])
				continue;
			len_of[id] = (uint32_t)len;
			t->has[id] = 1;
		}
		for (uint32_t id = 0; id < t->nid; id++) {
			t->off[id] = (uint32_t)at;
			at += len_of[id];
		}
		t->off[t->nid] = (uint32_t)at;
		cot__free(len_of);
	}
	/* The same walk again: the first byte-level key of each id is the
	 * one the first walk measured (has 1 -> 2); a later key with that
	 * id, which the crate would not write, is left out. */
	json_object_foreach(vocab, key, v) {
		uint32_t id = (uint32_t)json_integer_value(v);
		size_t i;

		if (t->has[id] != 1)
			continue;
		len = unbyte(t, key, strlen(key), tmp);
		if (len == SIZE_MAX)
			continue;
		t->has[id] = 2;
		memcpy(t->bytes + t->off[id], tmp, len);
		i = hash_bytes(tmp, len) & t->vmask;
		while (t->vslot[i] != NONE)
			i = (i + 1) & t->vmask;
		t->vslot[i] = id;
	}
	cot__free(tmp);
	for (int b = 0; b < 256; b++) {
		char c = (char)b;

		t->byte_id[b] = vocab_find(t, &c, 1);
	}
	return COT_OK;
}

/* One side of a merge as bytes in buf, its id in *id; false when the
 * side is not a byte-level token (such a merge can never apply). */
static bool merge_side(cot__tokenizer *t, const char *s, size_t n,
		       char *buf, size_t *blen, uint32_t *id)
{
	*blen = unbyte(t, s, n, buf);
	if (*blen == SIZE_MAX)
		return false;
	*id = vocab_find(t, buf, *blen);
	return true;
}

static int load_merges(cot__tokenizer *t, json_t *merges, cot_error *err)
{
	size_t n = json_array_size(merges), nslot, i;
	json_t *m;
	char *buf = NULL;
	size_t bufcap = 0;
	int rc = COT_OK;

	if (!json_is_array(merges))
		return cot__error_set(err, COT_EPARSE, 0, 0,
				      "model.merges: not an array");
	for (nslot = 1024; nslot < 2 * n;)
		nslot *= 2;
	t->mslot = cot__calloc(nslot, sizeof *t->mslot);
	if (!t->mslot)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	t->mmask = nslot - 1;
	json_array_foreach(merges, i, m) {
		const char *a, *b;
		size_t al, bl, la, lb;
		uint32_t ida, idb, idn;
		uint64_t key;
		size_t s;

		if (json_is_string(m)) {
			/* "a b": a byte-level token holds no space */
			a = json_string_value(m);
			b = strchr(a, ' ');
			if (!b || strchr(b + 1, ' '))
				goto bad;
			al = (size_t)(b - a);
			b++;
			bl = strlen(b);
		} else if (json_is_array(m) && json_array_size(m) == 2 &&
			   json_is_string(json_array_get(m, 0)) &&
			   json_is_string(json_array_get(m, 1))) {
			a = json_string_value(json_array_get(m, 0));
			b = json_string_value(json_array_get(m, 1));
			al = strlen(a);
			bl = strlen(b);
		} else {
			goto bad;
		}
		if (reserve(&buf, &bufcap, al + bl, 1)) {
			rc = cot__error_set(err, COT_ENOMEM, 0, 0,
					    "out of memory");
			break;
		}
		if (!merge_side(t, a, al, buf, &la, &ida) ||
		    !merge_side(t, b, bl, buf + la, &lb, &idb))
			continue;
		idn = vocab_find(t, buf, la + lb);
		if (ida == NONE || idb == NONE || idn == NONE) {
			rc = cot__error_set(err, COT_EPARSE, 0, 0,
					    "model.merges[%zu]: a token "
					    "not in the vocab", i);
			break;
		}
		/* A pair merged twice keeps the later rank, as the
		 * crate's HashMap insert does. */
		key = ((uint64_t)ida << 32 | idb) + 1;
		for (s = hash_key(key) & t->mmask;
		     t->mslot[s].key && t->mslot[s].key != key;
		     s = (s + 1) & t->mmask)
			;
		t->mslot[s].key = key;
		t->mslot[s].rank = (uint32_t)i;
		t->mslot[s].id = idn;
		continue;
bad:
		rc = cot__error_set(err, COT_EPARSE, 0, 0,
				    "model.merges[%zu]: not \"a b\" nor "
				    "[\"a\", \"b\"]", i);
		break;
	}
	cot__free(buf);
	return rc;
}

/* ---- the normalizer ------------------------------------------------ */

/* NFC of s[0..n) into the scratch: its length with the text at
 * (char *)s->u32, or -1 when out of memory. */
static long long nfc_run(cot__tok_scratch *sc, const char *s, size_t n)
{
	utf8proc_ssize_t k;
	const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;

	for (;;) {
		/* room for one more code point: reencode writes a NUL */
		k = utf8proc_decompose((const utf8proc_uint8_t *)s,
				       (utf8proc_ssize_t)n, sc->u32,
				       sc->u32_cap ?
				       (utf8proc_ssize_t)sc->u32_cap - 1 : 0,
				       opt);
		if (k < 0)
			return -1;	/* only NOMEM: the text is UTF-8 */
		if (sc->u32_cap && (size_t)k < sc->u32_cap)
			break;
		if (reserve(&sc->u32, &sc->u32_cap, (size_t)k + 1,
			    sizeof *sc->u32))
			return -1;
	}
	k = utf8proc_reencode(sc->u32, k, opt);
	return k < 0 ? -1 : k;
}

/* NFC of the valid UTF-8 s[0..n) as the crate does it, into sc->norm
 * (emptied first). Its tables are Unicode 9.0: a later character is a
 * starter that neither decomposes nor composes, so the runs between
 * such characters are normalized (utf8proc) apart and they are kept.
 * COT_OK or COT_ENOMEM. */
static int nfc(cot__tok_scratch *sc, const char *s, size_t n)
{
	size_t at = 0, i = 0;

	sc->norm.size = 0;
	while (at < n) {
		uint32_t cp = 0;
		size_t l = i < n ? cot__utf8_next((const unsigned char *)s + i,
						  n - i, &cp) : 0;
		long long k;

		if (i < n && cot__unicode9(cp)) {
			i += l;
			continue;
		}
		k = nfc_run(sc, s + at, i - at);
		if (k < 0 || cot__sbuf_add(&sc->norm, sc->u32, (size_t)k) ||
		    cot__sbuf_add(&sc->norm, s + i, l))
			return COT_ENOMEM;
		at = i += l;
	}
	return COT_OK;
}

/* Whether nfc() leaves the character cp (U+0300 or above) as it is
 * wherever it stands: it has no canonical decomposition, no combining
 * class, and cannot be the second of a composition (utf8proc's tables,
 * the ones nfc() runs; Hangul jamo compose by rule, so they are out),
 * or it is one Unicode 9.0 lacks, which nfc() keeps. Most text past
 * U+0300 (quotes, dashes, CJK, symbols) is such. */
static bool nfc_inert_cp(uint32_t cp)
{
	const utf8proc_property_t *pr;

	pr = utf8proc_get_property((utf8proc_int32_t)cp);
	if (pr->combining_class == 0 &&
	    (pr->comb_index == UINT16_MAX || !(pr->comb_index & 0x8000)) &&
	    (pr->decomp_seqindex == UINT16_MAX ||
	     pr->decomp_type != 0) && (cp < 0x1100 || cp > 0x11ff))
		return true;
	return !cot__unicode9(cp);
}

/* Whether nfc() leaves p[0..n) as it is (then it need not run): every
 * character below U+0300 (no lead byte from 0xcc), where nothing
 * composes or decomposes, or inert. */
static bool nfc_inert(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	for (size_t i = 0; i < n;) {
		uint32_t cp;

		if (u[i] < 0xcc) {
			i++;
			continue;
		}
		i += cot__utf8_next(u + i, n - i, &cp);
		if (!nfc_inert_cp(cp))
			return false;
	}
	return true;
}

/* A normalizer we can do: null, NFC, or a Sequence of such. */
static int load_normalizer(cot__tokenizer *t, json_t *n, cot_error *err)
{
	const char *type;
	size_t i;
	json_t *e;

	if (!n || json_is_null(n))
		return COT_OK;
	type = json_string_value(json_object_get(n, "type"));
	if (type && strcmp(type, "NFC") == 0) {
		t->nfc = true;
		return COT_OK;
	}
	if (type && strcmp(type, "Sequence") == 0 &&
	    json_is_array(json_object_get(n, "normalizers"))) {
		json_array_foreach(json_object_get(n, "normalizers"), i, e) {
			int rc = load_normalizer(t, e, err);

			if (rc)
				return rc;
		}
		return COT_OK;
	}
	return cot__error_set(err, COT_EPARSE, 0, 0,
			      "normalizer %s: not supported (only none, NFC "
			      "or a Sequence of them)", type ? type : "?");
}

/* ---- the pre-tokenizers -------------------------------------------- */

static bool is_false(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return !v || json_is_false(v);
}

/* The GPT-2 regex of a ByteLevel with use_regex (byte_level.rs). */
static const char gpt2_re[] =
	"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|"
	"\\s+(?!\\S)|\\s+";

static int load_pre(cot__tokenizer *t, json_t *pre, cot_error *err)
{
	json_t *seq, *e, *pat;
	const char *what = NULL;	/* for the message */
	size_t i, n;
	int rc;

	if (!pre || json_is_null(pre))
		goto bad;
	seq = json_object_get(pre, "pretokenizers");
	if (!json_is_array(seq) ||
	    !json_is_string(json_object_get(pre, "type")) ||
	    strcmp(json_string_value(json_object_get(pre, "type")),
		   "Sequence") != 0) {
		/* a lone pre-tokenizer: a Sequence of one */
		seq = NULL;
		n = 1;
	} else {
		n = json_array_size(seq);
	}
	for (i = 0; i < n; i++) {
		const char *type, *beh;

		e = seq ? json_array_get(seq, i) : pre;
		type = json_string_value(json_object_get(e, "type"));
		if (!type)
			goto bad;
		what = type;
		if (strcmp(type, "ByteLevel") == 0) {
			json_t *ur = json_object_get(e, "use_regex");

			/* ByteLevel last: what it hands the model are
			 * the bytes of the pieces before it */
			if (i + 1 != n || !is_false(e, "add_prefix_space"))
				goto bad;
			if (ur && !json_is_false(ur)) {
				if (t->pre.n)
					goto bad;
				return cot__pretok_add(&t->pre, gpt2_re, err);
			}
			return COT_OK;
		}
		if (strcmp(type, "Split") != 0)
			goto bad;
		beh = json_string_value(json_object_get(e, "behavior"));
		pat = json_object_get(json_object_get(e, "pattern"), "Regex");
		if (!beh || strcmp(beh, "Isolated") != 0 ||
		    !is_false(e, "invert") || !json_is_string(pat))
			goto bad;
		rc = cot__pretok_add(&t->pre, json_string_value(pat), err);
		if (rc)
			return rc;
	}
bad:
	return cot__error_set(err, COT_EPARSE, 0, 0,
			      "pre_tokenizer %s: not supported (only Split "
			      "with a Regex, Isolated, not inverted, then "
			      "ByteLevel without add_prefix_space)",
			      what ? what : "(none)");
}

/* ---- added tokens -------------------------------------------------- */

static int cmp_added(const void *a, const void *b)
{
	const added *x = a, *y = b;
	unsigned char fx = (unsigned char)x->s[0], fy = (unsigned char)y->s[0];

	if (fx != fy)
		return fx < fy ? -1 : 1;
	return x->len > y->len ? -1 : x->len < y->len;
}

static void addset_index(addset *a)
{
	size_t k = 0;

	a->one = a->n ? (unsigned char)a->tok[0].s[0] : -1;
	for (size_t i = 1; i < a->n; i++)
		if ((unsigned char)a->tok[i].s[0] != a->one)
			a->one = -1;
	qsort(a->tok, a->n, sizeof *a->tok, cmp_added);
	for (int b = 0; b <= 256; b++) {
		while (k < a->n && (unsigned char)a->tok[k].s[0] < b)
			k++;
		a->first[b] = (uint32_t)k;
	}
}

static int load_added(cot__tokenizer *t, json_t *list, cot_error *err)
{
	size_t i, n = json_array_size(list);
	json_t *e;

	if (list && !json_is_array(list) && !json_is_null(list))
		return cot__error_set(err, COT_EPARSE, 0, 0,
				      "added_tokens: not an array");
	t->raw.tok = cot__calloc(n + 1, sizeof(added));
	t->norm.tok = cot__calloc(n + 1, sizeof(added));
	if (!t->raw.tok || !t->norm.tok)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	json_array_foreach(list, i, e) {
		const char *s = json_string_value(json_object_get(e,
								  "content"));
		json_int_t id = json_integer_value(json_object_get(e, "id"));
		bool normalized = json_is_true(json_object_get(e,
							       "normalized"));
		size_t len = json_string_length(json_object_get(e, "content"));
		addset *set = normalized ? &t->norm : &t->raw;
		added *a;
		uint32_t vid;

		if (!s || id < 0 || id >= ID_MAX)
			return cot__error_set(err, COT_EPARSE, 0, 0,
					      "added_tokens[%zu]: no content "
					      "or id", i);
		if (!is_false(e, "lstrip") || !is_false(e, "rstrip") ||
		    !is_false(e, "single_word"))
			return cot__error_set(err, COT_EPARSE, 0, 0,
					      "added_tokens[%zu] \"%s\": "
					      "lstrip, rstrip, single_word: "
					      "not supported", i, s);
		if (len == 0)
			continue;
		a = &set->tok[set->n];
		a->s = cot__strndup(s, len);
		if (!a->s)
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		a->len = len;
		set->n++;
		/* The crate gives a content the model has its model id. */
		vid = NONE;
		{
			char *buf = cot__malloc(len);
			size_t bl;

			if (!buf)
				return cot__error_set(err, COT_ENOMEM, 0, 0,
						      "out of memory");
			bl = unbyte(t, s, len, buf);
			if (bl != SIZE_MAX)
				vid = vocab_find(t, buf, bl);
			cot__free(buf);
		}
		a->id = vid != NONE ? vid : (uint32_t)id;
	}
	return COT_OK;
}

/* The normalized tokens are matched on normalized text: normalize them
 * as the crate does. */
static int normalize_added(cot__tokenizer *t, cot_error *err)
{
	cot__tok_scratch sc = {0};
	int rc = COT_OK;

	for (size_t i = 0; t->nfc && i < t->norm.n && !rc; i++) {
		added *a = &t->norm.tok[i];
		char *s = nfc(&sc, a->s, a->len) ? NULL :
			  cot__strndup(sc.norm.ptr, sc.norm.size);

		if (!s) {
			rc = cot__error_set(err, COT_ENOMEM, 0, 0,
					    "out of memory");
			break;
		}
		cot__free(a->s);
		a->s = s;
		a->len = sc.norm.size;
	}
	cot__free(sc.u32);
	cot__sbuf_dispose(&sc.norm);
	return rc;
}

/* ---- loading ------------------------------------------------------- */

static int load_model(cot__tokenizer *t, json_t *m, cot_error *err)
{
	const char *type = json_string_value(json_object_get(m, "type"));
	json_t *pre = json_object_get(m, "continuing_subword_prefix");
	json_t *suf = json_object_get(m, "end_of_word_suffix");
	int rc;

	if (!type || strcmp(type, "BPE") != 0)
		return cot__error_set(err, COT_EPARSE, 0, 0,
				      "model %s: not supported (only BPE)",
				      type ? type : "?");
	if (!is_false(m, "byte_fallback"))
		return cot__error_set(err, COT_EPARSE, 0, 0, "model "
				      "byte_fallback: not supported");
	if (!json_is_null(json_object_get(m, "dropout")))
		return cot__error_set(err, COT_EPARSE, 0, 0, "model dropout: "
				      "not supported");
	if ((pre && !json_is_null(pre) && json_string_length(pre) != 0) ||
	    (suf && !json_is_null(suf) && json_string_length(suf) != 0))
		return cot__error_set(err, COT_EPARSE, 0, 0, "model %s: not "
				      "supported", pre && !json_is_null(pre) &&
				      json_string_length(pre) ?
				      "continuing_subword_prefix" :
				      "end_of_word_suffix");
	t->ignore_merges = json_is_true(json_object_get(m, "ignore_merges"));
	rc = load_vocab(t, json_object_get(m, "vocab"), err);
	if (!rc)
		rc = load_merges(t, json_object_get(m, "merges"), err);
	return rc;
}

/* jansson could not read name: why, as a status. */
static int json_failed(const json_error_t *jerr, const char *name,
		       cot_error *err)
{
	enum json_error_code c = json_error_code(jerr);

	if (c == json_error_cannot_open_file)
		return cot__error_set(err, COT_EIO, 0, 0, "%s: %s", name,
				      strerror(errno));
	if (c == json_error_out_of_memory)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	return cot__error_set(err, COT_EPARSE, (uint64_t)jerr->line,
			      (uint64_t)jerr->column, "%s: %s", name,
			      jerr->text);
}

/* The tokenizer root describes (a reference it takes over). */
static int from_json(cot__tokenizer **out, json_t *root, const char *path,
		     cot_error *err)
{
	cot__tokenizer *t;
	int rc;

	t = cot__calloc(1, sizeof *t);
	if (!t) {
		json_decref(root);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	byte_table(t->unbyte);
	if (!json_is_null(json_object_get(root, "truncation")) ||
		 !json_is_null(json_object_get(root, "padding")))
		rc = cot__error_set(err, COT_EPARSE, 0, 0,
				    "truncation, padding: not supported");
	else
		rc = load_model(t, json_object_get(root, "model"), err);
	if (!rc)
		rc = load_normalizer(t, json_object_get(root, "normalizer"),
				     err);
	if (!rc)
		rc = load_pre(t, json_object_get(root, "pre_tokenizer"), err);
	if (!rc)
		rc = load_added(t, json_object_get(root, "added_tokens"), err);
	if (!rc)
		rc = normalize_added(t, err);
	json_decref(root);
	if (rc) {
		cot__tokenizer_free(t);
		/* which file was refused */
		if (rc == COT_EPARSE && err) {
			char msg[COT_ERROR_MESSAGE_MAX];

			snprintf(msg, sizeof msg, "%.100s: %.210s", path,
				 err->message);
			memcpy(err->message, msg, sizeof msg);
		}
		return rc;
	}
	addset_index(&t->raw);
	addset_index(&t->norm);
	*out = t;
	return COT_OK;
}

int cot__tokenizer_load(cot__tokenizer **out, const char *path,
			cot_error *err)
{
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	root = json_load_file(path, 0, &jerr);
	return root ? from_json(out, root, path, err) :
		      json_failed(&jerr, path, err);
}

int cot__tokenizer_load_buffer(cot__tokenizer **out, const char *buf,
			       size_t n, const char *name, cot_error *err)
{
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	root = json_loadb(buf, n, 0, &jerr);
	return root ? from_json(out, root, name, err) :
		      json_failed(&jerr, name, err);
}

void cot__tokenizer_free(cot__tokenizer *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->raw.n; i++)
		cot__free(t->raw.tok[i].s);
	for (size_t i = 0; i < t->norm.n; i++)
		cot__free(t->norm.tok[i].s);
	cot__free(t->raw.tok);
	cot__free(t->norm.tok);
	cot__pretok_dispose(&t->pre);
	cot__free(t->bytes);
	cot__free(t->off);
	cot__free(t->has);
	cot__free(t->vslot);
	cot__free(t->mslot);
	cot__free(t);
}

/* ---- per thread ---------------------------------------------------- */

int cot__tok_scratch_new(cot__tok_scratch **out, const cot__tokenizer *t)
{
	cot__tok_scratch *s = cot__calloc(1, sizeof *s);

	*out = NULL;
	if (!s)
		return COT_ENOMEM;
	s->cache = cot__calloc(CACHE_SLOTS, sizeof *s->cache);
	if (!s->cache || cot__pretok_state_init(&s->pre, &t->pre)) {
		cot__tok_scratch_free(s);
		return COT_ENOMEM;
	}
	*out = s;
	return COT_OK;
}

void cot__tok_scratch_free(cot__tok_scratch *s)
{
	if (!s)
		return;
	cot__pretok_state_dispose(&s->pre);
	cot__free(s->clean);
	cot__free(s->u32);
	cot__sbuf_dispose(&s->norm);
	cot__free(s->sym);
	cot__free(s->heap);
	cot__free(s->pid);
	cot__free(s->cache);
	cot__free(s);
}

void cot__tok_scratch_pcre2(cot__tok_scratch *s, bool on)
{
	s->pre.pcre2_only = on;
}

void cot__tok_cache_stats(const cot__tok_scratch *s, uint64_t *lookups,
			  uint64_t *hits)
{
	*lookups = s->lookups;
	*hits = s->hits;
}

/* ---- encoding ------------------------------------------------------ */

static int emit(cot__tok_scratch *s, const uint32_t *id, size_t k)
{
	if (s->ids) {
		if (*s->cap - *s->nids < k &&
		    reserve(s->ids, s->cap, *s->nids + k, sizeof **s->ids))
			return COT_ENOMEM;
		/* most pre-tokens are one token: no call to memcpy */
		for (size_t i = 0; i < k; i++)
			(*s->ids)[*s->nids + i] = id[i];
	}
	*s->nids += k;
	return COT_OK;
}

static bool hent_less(const hent *a, const hent *b)
{
	return a->rank != b->rank ? a->rank < b->rank : a->pos < b->pos;
}

static int heap_push(cot__tok_scratch *s, size_t *n, hent e)
{
	size_t i;

	if (reserve(&s->heap, &s->heap_cap, *n + 1, sizeof *s->heap))
		return COT_ENOMEM;
	for (i = (*n)++; i > 0; i = (i - 1) / 2) {
		hent *p = &s->heap[(i - 1) / 2];

		if (!hent_less(&e, p))
			break;
		s->heap[i] = *p;
	}
	s->heap[i] = e;
	return COT_OK;
}

static hent heap_pop(cot__tok_scratch *s, size_t *n)
{
	hent top = s->heap[0], last = s->heap[--*n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && hent_less(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!hent_less(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (*n)
		s->heap[i] = last;
	return top;
}

/* Push the merge of the symbols at pos and its next, if there is one. */
static int push_pair(const cot__tokenizer *t, cot__tok_scratch *s,
		     size_t *nh, int32_t pos)
{
	const sym *y = s->sym;
	const mslot *m;

	if (pos < 0 || y[pos].next < 0)
		return COT_OK;
	m = merge_find(t, y[pos].id, y[y[pos].next].id);
	if (!m)
		return COT_OK;
	return heap_push(s, nh, (hent){m->rank, (uint32_t)pos, m->id});
}

/* Merge the symbol at pos with its next into id. */
static void merge_sym(sym *y, int32_t pos, uint32_t id)
{
	int32_t nx = y[pos].next;

	y[pos].id = id;
	y[pos].len += y[nx].len;
	y[pos].next = y[nx].next;
	y[nx].len = 0;
	if (y[pos].next >= 0)
		y[y[pos].next].prev = pos;
}

/* The crate's merge loop (word.rs merge_all): a heap of the pairs by
 * rank then position; an entry whose pair has changed since it was
 * pushed is stale and skipped. */
static int merge_heap(const cot__tokenizer *t, cot__tok_scratch *s)
{
	sym *y = s->sym;
	size_t nh = 0;
	int rc;

	for (int32_t i = 0; i >= 0; i = y[i].next)
		if ((rc = push_pair(t, s, &nh, i)))
			return rc;
	while (nh) {
		hent top = heap_pop(s, &nh);
		sym *cur = &y[top.pos];
		const mslot *m;

		if (cur->len == 0 || cur->next < 0)
			continue;
		m = merge_find(t, cur->id, y[cur->next].id);
		if (!m || m->id != top.id)
			continue;	/* stale */
		merge_sym(y, (int32_t)top.pos, top.id);
		if ((rc = push_pair(t, s, &nh, cur->prev)) ||
		    (rc = push_pair(t, s, &nh, (int32_t)top.pos)))
			return rc;
	}
	return COT_OK;
}

/* The rank and merged id of the pair at pos into y[pos]; NONE if none. */
static void pair_rank(const cot__tokenizer *t, sym *y, int32_t pos)
{
	const mslot *m = y[pos].next < 0 ? NULL :
			 merge_find(t, y[pos].id, y[y[pos].next].id);

	y[pos].rank = m ? m->rank : NONE;
	y[pos].to = m ? m->id : NONE;
}

/* The same merges for a short piece without the heap: the pair of the
 * lowest rank, leftmost among equals, is the one the heap would pop
 * (its stale entries are exactly the pairs no longer there), and a
 * scan of a few symbols costs less than the heap's upkeep. */
static void merge_short(const cot__tokenizer *t, cot__tok_scratch *s)
{
	sym *y = s->sym;

	for (int32_t i = 0; y[i].next >= 0; i = y[i].next)
		merge_prefetch(t, y[i].id, y[y[i].next].id);
	for (int32_t i = 0; i >= 0; i = y[i].next)
		pair_rank(t, y, i);
	for (;;) {
		int32_t best = -1;
		uint32_t rank = NONE;

		for (int32_t i = 0; i >= 0; i = y[i].next)
			if (y[i].rank < rank) {
				rank = y[i].rank;
				best = i;
			}
		if (best < 0)
			return;
		merge_sym(y, best, y[best].to);
		pair_rank(t, y, best);
		if (y[best].prev >= 0)
			pair_rank(t, y, y[best].prev);
	}
}

/* One pre-token's ids by the model (bpe/model.rs, word.rs merge_all)
 * into s->pid: their number, or -1 when out of memory. */
static long bpe(const cot__tokenizer *t, cot__tok_scratch *s, const char *p,
		size_t n)
{
	size_t ns = 0, k = 0;
	sym *y;

	if (reserve(&s->pid, &s->pid_cap, n + 1, sizeof *s->pid))
		return -1;
	if (t->ignore_merges) {
		uint32_t id = vocab_find(t, p, n);

		if (id != NONE) {
			s->pid[0] = id;
			return 1;
		}
	}
	if (reserve(&s->sym, &s->sym_cap, n, sizeof *s->sym))
		return -1;
	y = s->sym;
	/* a byte the vocab lacks is dropped, as the crate does with no
	 * unk token */
	for (size_t i = 0; i < n; i++) {
		uint32_t id = t->byte_id[(unsigned char)p[i]];

		if (id == NONE)
			continue;
		y[ns] = (sym){id, (int32_t)ns - 1, (int32_t)ns + 1, 1, 0, 0};
		ns++;
	}
	if (ns == 0)
		return 0;
	y[ns - 1].next = -1;
	if (ns <= SHORT_PIECE)
		merge_short(t, s);
	else if (merge_heap(t, s))
		return -1;
	for (int32_t i = 0; i >= 0; i = y[i].next)
		s->pid[k++] = y[i].id;
	return (long)k;
}

/* Whether a[0..n) and b[0..n) are the same bytes, for the short keys of
 * the cache: two overlapping words, not a call to memcmp. */
static inline bool same_key(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;

	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return false;
		return true;
	}
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	memcpy(&u, a + n - 8, 8);
	memcpy(&v, b + n - 8, 8);
	return u == v;
}

/* The set (two entries) of the pre-token whose hash is h. */
static centry *cache_slot(cot__tok_scratch *s, uint64_t h)
{
	return &s->cache[(h & (CACHE_SLOTS / 2 - 1)) * 2];
}

/* One pre-token's ids (h the hash of its bytes, when it is no longer
 * than CACHE_KEY): from the cache when it is there, else from the
 * model, then kept in the cache when short enough. The cache holds
 * what bpe gave for the same bytes, so it cannot change a result. */
static int model(const cot__tokenizer *t, cot__tok_scratch *s,
		 const char *p, size_t n, uint64_t h)
{
	centry *e = NULL;
	uint32_t tag = 0;
	long k;

	if (n <= CACHE_KEY) {
		e = cache_slot(s, h);
		tag = (uint32_t)(h >> 32);
		s->lookups++;
		for (int w = 0; w < 2; w++)
			if (e[w].klen == n && e[w].tag == tag &&
			    same_key(e[w].key, p, n)) {
				s->hits++;
				return emit(s, e[w].id, e[w].nid);
			}
	}
	k = bpe(t, s, p, n);
	if (k < 0)
		return COT_ENOMEM;
	if (e && k <= CACHE_IDS) {
		e[1] = e[0];
		e->klen = (uint8_t)n;
		e->tag = tag;
		e->nid = (uint8_t)k;
		memcpy(e->key, p, n);
		memcpy(e->id, s->pid, (size_t)k * sizeof *s->pid);
	}
	return emit(s, s->pid, (size_t)k);
}

typedef struct model_ctx {
	const cot__tokenizer *t;
	cot__tok_scratch *s;
} model_ctx;

static int model_piece(void *ctx, const char *p, size_t n)
{
	model_ctx *m = ctx;

	return model(m->t, m->s, p, n, n <= CACHE_KEY ? hash_bytes(p, n) : 0);
}

/* A piece between added tokens, split by the pre-tokenizers, each of
 * their pieces to the model. */
static int pretok(const cot__tokenizer *t, cot__tok_scratch *s,
		  const char *p, size_t n)
{
	model_ctx m = {t, s};

	return cot__pretok_split(&t->pre, &s->pre, p, n, model_piece, &m);
}

/* The longest added token of a at p[0..n), NULL if none starts there. */
static const added *added_at(const addset *a, const char *p, size_t n)
{
	unsigned char b = (unsigned char)p[0];

	for (uint32_t k = a->first[b]; k < a->first[b + 1]; k++)
		if (a->tok[k].len <= n && memcmp(a->tok[k].s, p,
						 a->tok[k].len) == 0)
			return &a->tok[k];
	return NULL;
}

/* The leftmost added token of a in p[i..n), the longest there, with
 * *at its offset; NULL if none. Every token of the four tokenizers
 * starts with '<': then memchr finds where to look. */
static const added *added_next(const addset *a, const char *p, size_t n,
			       size_t i, size_t *at)
{
	for (; i < n; i++) {
		const added *k;

		if (a->one >= 0) {
			const char *q = memchr(p + i, a->one, n - i);

			if (!q)
				return NULL;
			i = (size_t)(q - p);
		} else if (a->first[(unsigned char)p[i]] ==
			   a->first[(unsigned char)p[i] + 1]) {
			continue;
		}
		if ((k = added_at(a, p + i, n - i))) {
			*at = i;
			return k;
		}
	}
	return NULL;
}

/* A piece between added tokens matched on normalized text. */
static int normalized(const cot__tokenizer *t, cot__tok_scratch *s,
		      const char *p, size_t n)
{
	const added *a;
	size_t at = 0, i;
	int rc;

	while ((a = added_next(&t->norm, p, n, at, &i))) {
		if ((rc = pretok(t, s, p + at, i - at)) ||
		    (rc = emit(s, &a->id, 1)))
			return rc;
		at = i + a->len;
	}
	return pretok(t, s, p + at, n - at);
}

/* A piece between added tokens matched on the input. */
static int piece(const cot__tokenizer *t, cot__tok_scratch *s,
		 const char *p, size_t n)
{
	if (n == 0)
		return COT_OK;
	if (!t->nfc || nfc_inert(p, n))
		return normalized(t, s, p, n);
	if (nfc(s, p, n))
		return COT_ENOMEM;
	return normalized(t, s, s->norm.ptr, s->norm.size);
}

/* text[0..n) as valid UTF-8: text itself, or its copy in s->clean with
 * U+FFFD for each maximal ill-formed subpart. */
static int clean(cot__tok_scratch *s, const char **text, size_t *n)
{
	const unsigned char *p = (const unsigned char *)*text;
	size_t i = 0, k = 0;
	uint32_t cp;

	while (i < *n) {
		size_t l = p[i] < 0x80 ? 1 : cot__utf8_next(p + i, *n - i,
							     &cp);

		if (p[i] >= 0x80 && cp == COT__UTF8_BAD)
			break;
		i += l;
	}
	if (i == *n)
		return COT_OK;
	/* at most 3 bytes of U+FFFD for each bad byte */
	if (reserve(&s->clean, &s->clean_cap, 3 * *n, 1))
		return COT_ENOMEM;
	memcpy(s->clean, p, i);
	k = i;
	while (i < *n) {
		size_t l = cot__utf8_next(p + i, *n - i, &cp);

		if (cp == COT__UTF8_BAD) {
			memcpy(s->clean + k, "\xef\xbf\xbd", 3);
			k += 3;
		} else {
			memcpy(s->clean + k, p + i, l);
			k += l;
		}
		i += l;
	}
	*text = s->clean;
	*n = k;
	return COT_OK;
}

int cot__tokenize(const cot__tokenizer *t, cot__tok_scratch *s,
		  const char *text, size_t n, uint32_t **ids, size_t *nids,
		  size_t *cap)
{
	const added *a;
	size_t at = 0, i;
	int rc;

	s->ids = ids;
	s->nids = nids;
	s->cap = cap;
	if ((rc = clean(s, &text, &n)))
		return rc;
	while ((a = added_next(&t->raw, text, n, at, &i))) {
		if ((rc = piece(t, s, text + at, i - at)) ||
		    (rc = emit(s, &a->id, 1)))
			return rc;
		at = i + a->len;
	}
	return piece(t, s, text + at, n - at);
}
