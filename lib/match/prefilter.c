/* prefilter.c - find where patterns may match with one pass over the
 * text, then run each one only there. */
#include <stdlib.h>
#include <string.h>

#include "match/patterns.h"
#include "base/bits.h"
#include "base/simd.h"
#include "base/utf8.h"


/* Why: a trace is matched against dozens of patterns, and running each
 * regex over the whole text is dozens of passes. Nearly every pattern
 * begins with a literal word ("\bwait\b", "let me (check|verify)").
 * So each pattern's literal prefixes are extracted from its source, one
 * scan over the text looks up each position's first two bytes in a
 * bitmap of the prefixes' first two bytes, and only where a whole
 * prefix is found does pcre2 run, anchored there. Because every match
 * of the pattern begins with one of its prefixes, trying the candidates
 * in order gives exactly the matches a full scan gives. A pattern with
 * no usable prefix is scanned in full, as is every pattern in a text
 * holding U+017F or U+212A, which caseless matching equates with s and
 * k while the pre-filter folds ASCII only. */

/* ---- literal prefixes of a regex ---- */

typedef struct plist {
	cot__prefix v[COT__PREFIXES_MAX];
	uint32_t n;
	bool bad;
} plist;

static bool word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

/* Code points without case (general punctuation, CJK, kana, Hangul):
 * safe to compare as bytes in a caseless pattern. */
static bool caseless_cp(uint32_t c)
{
	return (c >= 0x2000 && c <= 0x206f) ||
	       (c >= 0x2e80 && c <= 0x2fdf) || (c >= 0x3000 && c <= 0x312f) ||
	       (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	       (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff);
}

/* The byte length of the UTF-8 character at r, and whether its code
 * point is caseless (0 for an invalid sequence). */
static size_t utf8_char(const unsigned char *r, bool *safe)
{
	uint32_t c;
	size_t n = cot__utf8_decode(r, strnlen((const char *)r, 4), &c);

	*safe = n > 1 && caseless_cp(c);
	return n;
}

/* The end of the group that opens at r[i] == '(' (just past its ')'),
 * honouring escapes and character classes; 0 when unbalanced. */
static size_t group_end(const char *r, size_t i)
{
	int depth = 0;

	while (r[i]) {
		if (r[i] == '\\') {
			if (!r[i + 1])
				return 0;
			i += 2;
		} else if (r[i] == '[') {
			i++;
			if (r[i] == '^')
				i++;
			if (r[i] == ']')
				i++;
			while (r[i] && r[i] != ']')
				i += r[i] == '\\' && r[i + 1] ? 2 : 1;
			if (!r[i])
				return 0;
			i++;
		} else if (r[i] == '(') {
			depth++;
			i++;
		} else if (r[i] == ')') {
			i++;
			if (--depth == 0)
				return i;
		} else {
			i++;
		}
	}
	return 0;
}

/* Past the alternative that starts at r[i]: at its '|' or ')' at depth
 * 0, or the end. */
static size_t alt_end(const char *r, size_t i)
{
	while (r[i] && r[i] != '|' && r[i] != ')') {
		if (r[i] == '(') {
			size_t e = group_end(r, i);

			if (!e)
				return strlen(r);
			i = e;
		} else if (r[i] == '[') {
			size_t j = i + 1;

			if (r[j] == '^')
				j++;
			if (r[j] == ']')
				j++;
			while (r[j] && r[j] != ']')
				j += r[j] == '\\' && r[j + 1] ? 2 : 1;
			i = r[j] ? j + 1 : j;
		} else {
			i += r[i] == '\\' && r[i + 1] ? 2 : 1;
		}
	}
	return i;
}

static bool quantifier(char c)
{
	return c == '?' || c == '*' || c == '+' || c == '{';
}

/* Append to out every prefix run + each of g's (or run alone when g is
 * NULL). ws: \b stands before the run; we: the run is the whole
 * alternative and \b follows it; g_last: the group ends the
 * alternative, so its prefixes' own we flags hold. */
static void combine(plist *out, const uint8_t *run, size_t nrun, bool ws,
		    bool we, const plist *g, bool g_last)
{
	for (uint32_t k = 0; k < (g ? g->n : 1); k++) {
		cot__prefix p;
		size_t n = nrun;
		bool cut = false;

		memcpy(p.b, run, nrun);
		if (g) {
			size_t m = g->v[k].n;

			if (n + m > COT__PREFIX_MAX) {
				m = COT__PREFIX_MAX - n;
				cut = true;
			}
			memcpy(p.b + n, g->v[k].b, m);
			n += m;
		}
		p.n = (uint8_t)n;
		p.ws = nrun ? ws : (g ? g->v[k].ws || ws : ws);
		p.ws = p.ws && n && word_byte(p.b[0]);
		p.we = g ? g_last && !cut && g->v[k].we : we;
		p.we = p.we && n && word_byte(p.b[n - 1]);
		if (n == 0 || out->n == COT__PREFIXES_MAX) {
			out->bad = true;
			return;
		}
		out->v[out->n++] = p;
	}
}

/* Does the alternative end at r[k]? */
static bool alt_ends(const char *r, size_t k)
{
	return r[k] == '|' || r[k] == ')' || r[k] == '\0';
}

static void alternatives(const char *r, size_t *i, plist *out);

/* The members of a character class at r[k] == '[' made of up to 4
 * literal characters (no ranges, no negation, no escapes but escaped
 * punctuation), as caseless-safe byte strings; the index past its ']'
 * in *end. 0 when the class is anything else. */
static int class_members(const char *r, size_t k, uint8_t m[4][4],
			 uint8_t mlen[4], size_t *end)
{
	int n = 0;

	k++;
	if (r[k] == '^' || r[k] == ']')
		return 0;
	while (r[k] && r[k] != ']') {
		unsigned char c = (unsigned char)r[k];
		size_t clen = 1;
		bool safe;

		if (n == 4 || r[k + 1] == '-')
			return 0;	/* too many, or a range */
		if (c == '\\') {
			c = (unsigned char)r[k + 1];
			if (!c || word_byte(c) || c >= 0x80)
				return 0;
			m[n][0] = c;
			mlen[n] = 1;
			clen = 2;
		} else if (c >= 0x80) {
			clen = utf8_char((const unsigned char *)r + k, &safe);
			if (!clen || !safe)
				return 0;
			memcpy(m[n], r + k, clen);
			mlen[n] = (uint8_t)clen;
		} else if (c == '[') {
			return 0;	/* [:alpha:] and the like */
		} else {
			m[n][0] = c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
			mlen[n] = 1;
		}
		n++;
		k += clen;
	}
	if (!r[k])
		return 0;
	*end = k + 1;
	return n;
}

/* The prefixes of the rest of an alternative, r[k...], given the
 * literal run so far: more literal characters, a small character
 * class (one branch per member), or a group, extend it. */
static void tail(const char *r, size_t k, const uint8_t *run0, size_t nrun,
		 bool ws, plist *out, int depth)
{
	uint8_t run[COT__PREFIX_MAX];
	bool stopped = false;

	memcpy(run, run0, nrun);
	while (r[k]) {
		unsigned char c = (unsigned char)r[k];
		size_t clen = 1, n = 1;
		uint8_t lit[4];
		bool safe;

		if (c == '[') {
			uint8_t m[4][4], mlen[4];
			size_t end;
			int nm = class_members(r, k, m, mlen, &end);

			if (!nm || depth >= 3)
				break;
			if (quantifier(r[end])) {
				stopped = true;
				break;
			}
			for (int j = 0; j < nm && !out->bad; j++) {
				uint8_t b[COT__PREFIX_MAX];

				if (nrun + mlen[j] > COT__PREFIX_MAX) {
					combine(out, run, nrun, ws, false,
						NULL, false);
					continue;
				}
				memcpy(b, run, nrun);
				memcpy(b + nrun, m[j], mlen[j]);
				tail(r, end, b, nrun + mlen[j], ws, out,
				     depth + 1);
			}
			return;
		}
		if (c == '\\') {
			unsigned char e = (unsigned char)r[k + 1];

			if (!e || word_byte(e) || e >= 0x80)
				break;	/* \d \w \x{..} \Q ...: not literal */
			lit[0] = e;
			clen = 2;
		} else if (strchr(".]()|^$?*+{}", c)) {
			break;
		} else if (c >= 0x80) {
			clen = utf8_char((const unsigned char *)r + k, &safe);
			if (!clen || !safe)
				break;
			memcpy(lit, r + k, clen);
			n = clen;
		} else {
			lit[0] = c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
		}
		if (nrun + n > COT__PREFIX_MAX) {
			stopped = true;
			break;
		}
		if (quantifier(r[k + clen])) {
			/* x? x* x{0,} may drop it; x+ keeps it */
			if (r[k + clen] == '+') {
				memcpy(run + nrun, lit, n);
				nrun += n;
			}
			stopped = true;
			break;
		}
		memcpy(run + nrun, lit, n);
		nrun += n;
		k += clen;
	}
	/* a group right after the run extends it */
	if (!stopped && r[k] == '(') {
		size_t e = group_end(r, k), j = k + 1;
		plist *g;

		if (!e) {
			out->bad = true;
			return;
		}
		if (r[j] == '?') {
			if (r[j + 1] == ':' || r[j + 1] == '>') {
				j += 2;
			} else if (r[j + 1] == '<' || r[j + 1] == '\'' ||
				   (r[j + 1] == 'P' && r[j + 2] == '<')) {
				const char *close = strchr(r + j + 1,
					r[j + 1] == '\'' ? '\'' : '>');

				if (!close || (size_t)(close - r) >= e) {
					out->bad = true;
					return;
				}
				j = (size_t)(close - r) + 1;
			} else {
				j = 0;	/* (?| (?( and others: stop */
			}
		}
		if (j && r[e] != '?' && r[e] != '*' && r[e] != '{' &&
		    (g = cot__malloc(sizeof *g))) {
			g->n = 0;
			g->bad = false;
			alternatives(r, &j, g);
			if (!g->bad && r[j] == ')') {
				combine(out, run, nrun, ws, false, g,
					alt_ends(r, e));
				cot__free(g);
				return;
			}
			cot__free(g);
		}
	}
	if (nrun == 0) {
		out->bad = true;
		return;
	}
	combine(out, run, nrun, ws, !stopped && r[k] == '\\' &&
		r[k + 1] == 'b' && alt_ends(r, k + 2), NULL, false);
}

/* The prefixes of the alternative at r[*i]; *i ends at its end. */
static void alternative(const char *r, size_t *i, plist *out)
{
	size_t k = *i;
	bool ws = false;

	/* zero-width things first: \b ^ \A \G (?flags) lookarounds */
	for (;;) {
		if (r[k] == '\\' && (r[k + 1] == 'b' || r[k + 1] == 'A' ||
				     r[k + 1] == 'G')) {
			ws = ws || r[k + 1] == 'b';
			k += 2;
		} else if (r[k] == '^') {
			k++;
		} else if (r[k] == '(' && r[k + 1] == '?' &&
			   (r[k + 2] == '=' || r[k + 2] == '!' ||
			    (r[k + 2] == '<' &&
			     (r[k + 3] == '=' || r[k + 3] == '!')))) {
			size_t e = group_end(r, k);

			if (!e)
				goto bad;
			k = e;
		} else if (r[k] == '(' && r[k + 1] == '?' && r[k + 2] &&
			   strchr("imnsxJU-^", r[k + 2])) {
			size_t j = k + 2;

			while (r[j] && strchr("imnsxJU-^", r[j])) {
				if (r[j] == 'x')
					goto bad; /* extended: spaces */
				j++;
			}
			if (r[j] != ')')
				goto bad;	/* (?i:...) and the like */
			k = j + 1;
		} else {
			break;
		}
		if (quantifier(r[k]))
			goto bad;
	}
	{
		static const uint8_t none[1];

		tail(r, k, none, 0, ws, out, 0);
	}
	*i = alt_end(r, *i);
	return;
bad:
	out->bad = true;
	*i = alt_end(r, *i);
}

/* The alternatives at r[*i], to the ')' that ends their group or the
 * end; *i ends there. */
static void alternatives(const char *r, size_t *i, plist *out)
{
	for (;;) {
		alternative(r, i, out);
		if (out->bad || r[*i] != '|')
			return;
		(*i)++;
	}
}

bool cot__regex_prefixes(const char *regex, cot__prefix *out, uint32_t *n)
{
	plist *l = cot__malloc(sizeof *l);
	size_t i = 0;
	bool ok;

	if (!l)
		return false;
	l->n = 0;
	l->bad = false;
	alternatives(regex, &i, l);
	ok = !l->bad && regex[i] == '\0' && l->n > 0;
	for (uint32_t k = 0; ok && k < l->n; k++)
		ok = l->v[k].n >= 2;	/* a bigram starts the lookup */
	if (ok) {
		memcpy(out, l->v, l->n * sizeof *out);
		*n = l->n;
	}
	cot__free(l);
	return ok;
}

/* ---- the table ---- */

/* The 16 bytes at t[i..len), zero-padded, lower-cased. */
static void load16(const unsigned char *t, size_t i, size_t len,
		   uint64_t w[2])
{
	/* a fixed-size copy is two loads; the short one a call */
	if (COT__LIKELY(len - i >= 16)) {
		w[0] = cot__load_le64(t + i);
		w[1] = cot__load_le64(t + i + 8);
	} else {
		unsigned char pad[16] = { 0 };

		memcpy(pad, t + i, len - i);
		w[0] = cot__load_le64(pad);
		w[1] = cot__load_le64(pad + 8);
	}
	w[0] = cot__lower8(w[0]);
	w[1] = cot__lower8(w[1]);
}

/* Do two entries stand in different buckets? */
static bool cmp_bucket(const cot__pentry *x, const cot__pentry *y)
{
	return x->tier != y->tier || x->key != y->key;
}

static int cmp_entry(const void *a, const void *b)
{
	const cot__pentry *x = a, *y = b;

	if (x->tier != y->tier)
		return x->tier < y->tier ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	for (int k = 0; k < 2; k++) {
		if (x->word[k] != y->word[k])
			return x->word[k] < y->word[k] ? -1 : 1;
		if (x->mask[k] != y->mask[k])
			return x->mask[k] < y->mask[k] ? -1 : 1;
		if (x->tail[k] != y->tail[k])
			return x->tail[k] < y->tail[k] ? -1 : 1;
		if (x->tail_mask[k] != y->tail_mask[k])
			return x->tail_mask[k] < y->tail_mask[k] ? -1 : 1;
	}
	if (x->ws != y->ws)
		return x->ws < y->ws ? -1 : 1;
	if (x->we != y->we)
		return x->we < y->we ? -1 : 1;
	return (x->pat > y->pat) - (x->pat < y->pat);
}

static uint32_t hash_key(uint64_t key, unsigned tier, uint32_t mask)
{
	return (uint32_t)(((key + tier) * 0x9e3779b97f4a7c15u) >> 40) & mask;
}

/* A prefix goes to the bucket of its first 2, 4 or 8 bytes, the most
 * it has: buckets stay small, and a common word that begins many
 * prefixes ("the ", "let ", "that") is not by itself a candidate. */
static unsigned entry_tier(size_t n)
{
	return n < 4 ? 2 : n < 8 ? 4 : 8;
}

/* The first n (<= 8) bytes of b as a number, b[0] lowest, on any byte
 * order: prefix and text keys must agree (on little-endian machines a
 * compiler makes this one load). */
static uint64_t bytes_le(const uint8_t *b, size_t n)
{
	uint64_t w = 0;

	for (size_t k = 0; k < n; k++)
		w |= (uint64_t)b[k] << (8 * k);
	return w;
}

/* Tiers 2 and 4 are keyed by bytes_le of their bytes; tier 8 by its
 * first 8 bytes as stored (the word compared with load16's). */
static uint64_t entry_key(const cot__pentry *e)
{
	uint64_t w;

	if (e->tier == 8)
		return e->word[0];
	w = bytes_le((const uint8_t *)e->word, e->tier);
	return w;
}

/* The bytes of the two first bitmaps' keys, folded: bit 5 set, which
 * lower-cases 'A'-'Z' in two instructions and merges only a few other
 * pairs ("_" and DEL, some bytes >= 0x80): a filter may let those pass,
 * as the entries reject them. */
static uint32_t fold(uint32_t w)
{
	return w | 0x20202020u;
}

/* The bitmap keys: the low 6 bits of the first two bytes (letters,
 * digits and punctuation stay apart; a clash costs a look only), and
 * hashes of the first 4 (8) bytes of a prefix or of the text. */
static unsigned key2(uint32_t w)
{
	return (w & 0x3f) << 6 | (w >> 8 & 0x3f);
}

static unsigned hash4(uint32_t w)
{
	return (unsigned)((w * 2654435761u) >> (32 - COT__BITS4_LOG));
}

static unsigned hash8(uint64_t w)
{
	return (unsigned)((w * 0x9e3779b97f4a7c15u) >> (64 - COT__BITS8_LOG));
}

static void set_bit(uint8_t *bits, unsigned bit)
{
	bits[bit >> 3] |= (uint8_t)(1u << (bit & 7));
}

/* Is r[0..n) characters without case (CJK, punctuation: caseless_cp)
 * and nothing else? */
static bool caseless_run(const char *r, size_t n)
{
	bool safe;

	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_char((const unsigned char *)r + i, &safe);
		if ((unsigned char)r[i] < 0x80 || !k || !safe || k > n - i)
			return false;
	}
	return n > 0;
}

/* Is the alternative r[0..n) \b, literal characters (or escaped
 * punctuation, or a class of them) beginning and ending with an ASCII
 * word character, and \b; or characters without case alone (a Chinese
 * phrase)? Nothing else: no anchor, group, quantifier or other
 * zero-width test that the prefixes do not record. */
static bool plain_alternative(const char *r, size_t n)
{
	size_t i = 2, end = n - 2;

	if (caseless_run(r, n))
		return true;
	if (n < 6 || memcmp(r, "\\b", 2) || memcmp(r + end, "\\b", 2) ||
	    !word_byte((unsigned char)r[2]) ||
	    !word_byte((unsigned char)r[end - 1]) || r[end - 2] == '\\')
		return false;
	while (i < end) {
		unsigned char c = (unsigned char)r[i];

		if (c == '\\') {
			c = (unsigned char)r[i + 1];
			if (i + 1 >= end || word_byte(c) || c >= 0x80)
				return false;	/* \d, \b, \x{..}: not literal */
			i += 2;
		} else if (c == '[') {
			while (++i < end && r[i] != ']')
				if (strchr("\\[^-", r[i]))
					return false;
			if (i++ >= end)
				return false;
		} else if (strchr("()|.*+?{}^$]", c)) {
			return false;
		} else {
			i++;
		}
	}
	return true;
}

/* Is every match of pt one of its prefixes, whole, so that a prefix
 * found with its \b's holding needs no pcre2 to confirm it (it would,
 * at 99.9% of the candidates of the built-in phrase lists)? Yes when
 * the regex is alternatives as plain_alternative says, maybe in one
 * (?: ) group (what the lexicons write), every prefix is a whole
 * alternative (of at most COT__PREFIX_MAX bytes), and no two can match
 * at one place (pcre2 takes the first listed): a prefix beginning
 * another can, unless it ends in \b and the longer one has a word
 * character next ("hmm\b" and "hmmm\b" cannot both match; "let me
 * check\b" and "let me check again\b" can). */
static bool literal_pattern(const cot__pattern *pt)
{
	const char *r = pt->regex;
	size_t n = strlen(r);

	if (n >= 4 && !memcmp(r, "(?:", 3) && r[n - 1] == ')') {
		r += 3;
		n -= 4;
	}
	for (size_t a = 0, b; a <= n; a = b + 1) {
		for (b = a; b < n && r[b] != '|'; b++)
			if (r[b] == '\\' && b + 1 < n)
				b++;
		if (!plain_alternative(r + a, b - a))
			return false;
	}
	for (uint32_t k = 0; k < pt->npre; k++) {
		const cot__prefix *a = &pt->pre[k];

		/* whole: an ASCII phrase is when \b follows it (the
		 * prefixes stop at COT__PREFIX_MAX bytes), a Chinese one
		 * is up to 16 bytes */
		if (!a->we && ((unsigned char)a->b[0] < 0x80 || a->n > 16))
			return false;
		for (uint32_t j = 0; j < pt->npre; j++) {
			const cot__prefix *b = &pt->pre[j];

			if (j != k && a->n <= b->n &&
			    !memcmp(a->b, b->b, a->n) &&
			    !(a->n < b->n && a->we &&
			      word_byte((unsigned char)b->b[a->n])))
				return false;
		}
	}
	return pt->npre > 0;
}

int cot__pset_index(cot__pset *ps)
{
	size_t nent = 0, nbuckets = 0, kept = 0;

	ps->blocks_ok = true;
	ps->alpha_first = true;
	ps->lead_lo = 0xff;
	ps->lead_hi = 0;

	for (size_t p = 0; p < ps->n; p++)
		nent += ps->v[p].npre;
	ps->ent = cot__calloc(nent ? nent : 1, sizeof *ps->ent);
	ps->full = cot__calloc(ps->n ? ps->n : 1, sizeof *ps->full);
	if (!ps->ent || !ps->full)
		return COT_ENOMEM;
	for (size_t p = 0; p < ps->n; p++) {
		const cot__pattern *pt = &ps->v[p];

		if (!pt->pre)
			ps->full[ps->nfull++] = (uint32_t)p;
		ps->v[p].literal = pt->pre && literal_pattern(pt);
		for (uint32_t k = 0; k < pt->npre; k++) {
			cot__pentry *e = &ps->ent[ps->nent++];
			uint8_t b[32] = { 0 }, ff[32] = { 0 };

			e->n = pt->pre[k].n;
			memcpy(b, pt->pre[k].b, e->n);
			memset(ff, 0xff, e->n);
			memcpy(e->word, b, 16);
			memcpy(e->mask, ff, 16);
			memcpy(e->tail, b + 16, 16);
			memcpy(e->tail_mask, ff + 16, 16);
			e->tier = (uint8_t)entry_tier(e->n);
			e->key = entry_key(e);
			e->ws = pt->pre[k].ws;
			e->we = pt->pre[k].we;
			e->pat = (uint32_t)p;
		}
	}
	if (ps->nent)
		qsort(ps->ent, ps->nent, sizeof *ps->ent, cmp_entry);
	/* a prefix repeated in one pattern: keep one */
	for (size_t i = 0; i < ps->nent; i++)
		if (kept == 0 || cmp_entry(&ps->ent[kept - 1], &ps->ent[i]))
			ps->ent[kept++] = ps->ent[i];
	ps->nent = kept;
	for (size_t i = 0; i < ps->nent; i++) {
		const cot__pentry *e = &ps->ent[i];
		const uint8_t *bytes = (const uint8_t *)e->word;
		/* at a word start every prefix may match (bit 1); elsewhere
		 * (bit 0) only those that do not ask for \b */
		unsigned ws = e->ws;
		uint32_t w = 0;

		if (i == 0 || cmp_bucket(e, e - 1))
			nbuckets++;
		w = fold((uint32_t)bytes_le(bytes, e->n < 4 ? e->n : 4));
		if (e->n < 4) {
			unsigned key = key2(w);

			set_bit(ps->bits2, key << 1 | 1);
			set_bit(ps->bits2, key << 1 | ws);
		} else {
			set_bit(ps->bits4, hash4(w) << 1 | 1);
			set_bit(ps->bits4, hash4(w) << 1 | ws);
		}
		if (e->n >= 8) {
			set_bit(ps->bits8, hash8(e->key) << 1 | 1);
			set_bit(ps->bits8, hash8(e->key) << 1 | ws);
		}
		if (!e->ws && bytes[0] < 0xc0)
			ps->blocks_ok = false;
		if (bytes[0] < 0x80 && !(bytes[0] >= 'a' && bytes[0] <= 'z'))
			ps->alpha_first = false;
		if (bytes[0] >= 0x80 && bytes[0] < ps->lead_lo)
			ps->lead_lo = bytes[0];
		if (bytes[0] >= 0x80 && bytes[0] > ps->lead_hi)
			ps->lead_hi = bytes[0];
	}
	ps->nslot = 16;
	while (ps->nslot < nbuckets * 4)
		ps->nslot *= 2;
	ps->slot = cot__calloc(ps->nslot, sizeof *ps->slot);
	if (!ps->slot)
		return COT_ENOMEM;
	/* a slot holds the index of a bucket's first entry + 1 */
	for (size_t i = 0; i < ps->nent; i++) {
		const cot__pentry *e = &ps->ent[i];
		uint32_t h;

		if (i > 0 && !cmp_bucket(e, e - 1))
			continue;
		h = hash_key(e->key, e->tier, ps->nslot - 1);
		while (ps->slot[h])
			h = (h + 1) & (ps->nslot - 1);
		ps->slot[h] = (uint32_t)i + 1;
	}
	return COT_OK;
}

/* ---- matching ---- */

int cot__pscratch_init(const cot__pset *ps, cot__pscratch *s)
{
	memset(s, 0, sizeof *s);
	s->md = pcre2_match_data_create(1, ps->gctx);
	s->mctx = pcre2_match_context_create(ps->gctx);
	s->jit = pcre2_jit_stack_create(32 * 1024, COT__JIT_STACK_MAX,
					ps->gctx);
	s->next = cot__calloc(ps->n ? ps->n : 1, sizeof *s->next);
	s->tried = cot__calloc(ps->n ? ps->n : 1, sizeof *s->tried);
	s->lastpara = cot__calloc(ps->n ? ps->n : 1, sizeof *s->lastpara);
	if (!s->md || !s->mctx || !s->next || !s->tried || !s->lastpara)
		return COT_ENOMEM;
	pcre2_set_heap_limit(s->mctx, COT__HEAP_LIMIT_KIB);
	/* without a stack of its own the JIT has 32 KiB on the machine
	 * stack, too little for a backtracking pattern on a long trace */
	if (s->jit)
		pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	return COT_OK;
}

void cot__pscratch_fini(cot__pscratch *s)
{
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	cot__free(s->next);
	cot__free(s->tried);
	cot__free(s->lastpara);
	cot__free(s->pairs);
	cot__free(s->tmp);
	memset(s, 0, sizeof *s);
}

typedef struct matcher {
	const cot__pset *ps;
	cot__pscratch *s;
	const unsigned char *t;
	size_t len;
	cot__arena *a;
	cot__hitlist *out;
	size_t cap;
	cot_error *err;
	uint64_t budget;	/* the trace's, in pcre2 steps */
	uint64_t left;		/* what is left of it */
	cot__hit_sink sink;	/* non-NULL: hits go there, not to out */
	void *ctx;
} matcher;

static int add_hit(matcher *m, size_t pat, size_t off, size_t len)
{
	cot__hitlist *h = m->out;
	cot_hit *v;

	if (m->sink)
		return m->sink(m->ctx, (uint32_t)pat, off, len);
	v = cot__arena_grow(m->a, h->v, h->n, &m->cap, sizeof *v);

	if (!v)
		return COT_ENOMEM;
	h->v = v;
	h->v[h->n].pattern = pat;
	h->v[h->n].off = off;
	h->v[h->n].len = len;
	h->n++;
	return COT_OK;
}

static int match_error(matcher *m, size_t pat, size_t at, int rc)
{
	char msg[160];
	int code = COT_ERROR;

	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		code = COT_ELIMIT;
		break;
	case PCRE2_ERROR_NOMEMORY:
		code = COT_ENOMEM;
		break;
	}
	pcre2_get_error_message(rc, (PCRE2_UCHAR *)msg, sizeof msg);
	return cot__error_set(m->err, code, 0, 0,
			      "pattern '%s' at byte %zu of the reasoning: %s",
			      m->ps->v[pat].name, at, msg);
}

static int budget_error(matcher *m, size_t pat, size_t at)
{
	return cot__error_set(m->err, COT_ELIMIT, 0, 0,
			      "pattern '%s' at byte %zu of the reasoning: "
			      "matching budget of %llu steps for this trace "
			      "spent (%u per byte plus %u; raise match_limit, "
			      "cotlog --match-limit)", m->ps->v[pat].name, at,
			      (unsigned long long)m->budget, m->ps->per_byte,
			      COT__BUDGET_BASE);
}

/* One match of pattern pat: anchored at `at`, or (anchored false) the
 * leftmost starting in [at, upto]. Returns 1 with [*s, *e), 0 for no
 * match, or a negative status.
 *
 * pcre2 says how many steps an attempt took only by failing when it
 * needs more than its limit, and restarts that count at every start
 * position, so a pattern whose attempts each take time in proportion
 * to the text takes time in its square. Hence the budget of the whole
 * trace: an attempt first runs with `free` steps; failing, it is
 * charged them and reruns with 8 times more, up to the per-attempt
 * limit and to what is left. An attempt that ends within its limit L
 * after a failure at L/8 took more than L/8: that is charged. So the
 * charge is at least a quarter of the work beyond the free steps, and
 * the reruns cost at most 8/7 of the work. An unanchored call (upto
 * past at) only ever runs with its free steps: scan_full retries a
 * window that needs more one start position at a time. */
static int match(matcher *m, size_t pat, size_t at, size_t upto,
		 bool anchored, uint64_t free, size_t *s, size_t *e)
{
	const cot__pattern *p = &m->ps->v[pat];
	const pcre2_code *code = anchored ? p->anch : p->scan;
	bool jit = anchored ? p->jit_anch : p->jit_scan;
	uint32_t opts = PCRE2_NOTEMPTY | PCRE2_NO_UTF_CHECK;
	uint64_t lim = free, prev = 0;
	PCRE2_SIZE *ov;
	int rc;

	/* the unanchored code was compiled with PCRE2_USE_OFFSET_LIMIT,
	 * the anchored one without: it must see none */
	pcre2_set_offset_limit(m->s->mctx, anchored ? PCRE2_UNSET : upto);
	for (;;) {
		pcre2_set_match_limit(m->s->mctx, (uint32_t)lim);
		if (jit)
			rc = pcre2_jit_match(code, m->t, m->len, at, opts,
					     m->s->md, m->s->mctx);
		else
			rc = pcre2_match(code, m->t, m->len, at, opts,
					 m->s->md, m->s->mctx);
		if (rc != PCRE2_ERROR_MATCHLIMIT || !anchored)
			break;
		if (lim >= COT__MATCH_LIMIT)
			return match_error(m, pat, at, rc);
		if (m->left <= lim)
			return budget_error(m, pat, at);
		m->left -= lim;
		prev = lim;
		lim *= 8;
		if (lim > COT__MATCH_LIMIT)
			lim = COT__MATCH_LIMIT;
		if (lim > m->left)
			lim = m->left;
	}
	m->left -= prev < m->left ? prev : m->left;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_MATCHLIMIT)
		return 2;	/* unanchored: some start needs more */
	if (rc < 0)
		return match_error(m, pat, at, rc);
	ov = pcre2_get_ovector_pointer(m->s->md);
	*s = ov[0];
	*e = ov[1];
	return 1;
}

/* The next character boundary at or after i. */
static size_t char_start(const matcher *m, size_t i)
{
	while (i < m->len && (m->t[i] & 0xc0) == 0x80)
		i++;
	return i;
}

/* The slow path: every match of pattern pat, scanning the whole text.
 * pcre2 looks for the next match itself, with its start-of-match
 * optimisations, over a window of FULL_WINDOW start positions, each
 * with FULL_FREE steps; a window that needs more is tried again one
 * start position at a time, anchored, each charged to the budget as at
 * candidates. So no start position escapes the budget, and the free
 * work stays under FULL_FREE steps a byte. */
enum { FULL_WINDOW = 64, FULL_FREE = 100 };

static int scan_full(matcher *m, size_t pat)
{
	size_t at = 0, s = 0, e = 0;
	int rc;

	while (at <= m->len) {
		size_t upto = m->len - at > FULL_WINDOW ? at + FULL_WINDOW
							: m->len;

		rc = match(m, pat, at, upto, false, FULL_FREE, &s, &e);
		if (rc == 2) {
			rc = 0;
			for (size_t q = at; rc == 0 && q <= upto;
			     q = char_start(m, q + 1))
				rc = match(m, pat, q, q, true, FULL_FREE, &s,
					   &e);
		}
		if (rc < 0)
			return rc;
		if (rc == 0) {
			at = char_start(m, upto + 1);
			continue;
		}
		if (e > s && (rc = add_hit(m, pat, s, e - s)))
			return rc;
		/* stay on a character boundary */
		at = char_start(m, e > s ? e : s + 1);
	}
	return COT_OK;
}

static const uint8_t word_tab[256] = {
#define W1(i) (uint8_t)(((i) >= '0' && (i) <= '9') || \
			((i) >= 'a' && (i) <= 'z') || \
			((i) >= 'A' && (i) <= 'Z') || (i) == '_')
#define W4(i) W1(i), W1(i + 1), W1(i + 2), W1(i + 3)
#define W16(i) W4(i), W4(i + 4), W4(i + 8), W4(i + 12)
#define W64(i) W16(i), W16(i + 16), W16(i + 32), W16(i + 48)
	W64(0), W64(64), W64(128), W64(192)
#undef W1
#undef W4
#undef W16
#undef W64
};

/* Try the patterns of the bucket `key` at position i. */
static int candidates(matcher *m, size_t i, uint64_t key, unsigned tier,
		      bool at_ws, const uint64_t w[2])
{
	const cot__pset *ps = m->ps;
	uint32_t h = hash_key(key, tier, ps->nslot - 1);
	size_t first;

	for (;;) {
		uint32_t v = ps->slot[h];

		if (!v)
			return COT_OK;	/* a bitmap collision */
		if (ps->ent[v - 1].key == key && ps->ent[v - 1].tier == tier) {
			first = v - 1;
			break;
		}
		h = (h + 1) & (ps->nslot - 1);
	}
	for (size_t k = first; k < ps->nent && ps->ent[k].key == key &&
			       ps->ent[k].tier == tier; k++) {
		const cot__pentry *e = &ps->ent[k];
		size_t pat = e->pat, s = 0, end = 0;
		int rc;

		if ((w[0] & e->mask[0]) != e->word[0] ||
		    (w[1] & e->mask[1]) != e->word[1] || (e->ws && !at_ws) ||
		    e->n > m->len - i)
			continue;
		if (e->n > 16) {
			uint64_t t2[2];

			load16(m->t, i + 16, m->len, t2);
			if ((t2[0] & e->tail_mask[0]) != e->tail[0] ||
			    (t2[1] & e->tail_mask[1]) != e->tail[1])
				continue;
		}
		/* "but" in "button": \b cannot follow, pcre2 need not say */
		if (e->we && i + e->n < m->len && word_tab[m->t[i + e->n]])
			continue;
		if (i < m->s->next[pat] || m->s->tried[pat] == i)
			continue;
		m->s->tried[pat] = i;
		/* the \b's were tested on ASCII neighbours: exact for them
		 * (pcre2's \b sees Unicode letters) */
		if (ps->v[pat].literal && (!e->ws || i == 0 ||
					   m->t[i - 1] < 0x80) &&
		    (!e->we || i + e->n == m->len ||
		     m->t[i + e->n] < 0x80)) {
			rc = 1;
			s = i;
			end = i + e->n;
		} else {
			rc = match(m, pat, i, i, true, COT__STEPS_FREE, &s,
				   &end);
		}
		if (rc < 0)
			return rc;
		if (rc > 0 && end > s) {
			if ((rc = add_hit(m, pat, s, end - s)))
				return rc;
			m->s->next[pat] = end;
		}
	}
	return COT_OK;
}

/* The hits found at one position, into pattern order (they come in
 * bucket order), so the list stays sorted without a sort. */
static void order_hits(cot__hitlist *h, size_t from)
{
	for (size_t i = from + 1; i < h->n; i++) {
		cot_hit x = h->v[i];
		size_t j = i;

		while (j > from && (h->v[j - 1].off > x.off ||
				    (h->v[j - 1].off == x.off &&
				     h->v[j - 1].pattern > x.pattern))) {
			h->v[j] = h->v[j - 1];
			j--;
		}
		h->v[j] = x;
	}
}

static int cmp_hit(const void *a, const void *b)
{
	const cot_hit *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return (x->pattern > y->pattern) - (x->pattern < y->pattern);
}

static bool needs_full(const unsigned char *t, size_t len)
{
	/* U+017F and U+212A fold to s and k under caseless matching */
	const char *s = (const char *)t;

	return cot__find(s, 0, len, "\xc5\xbf", 2) != SIZE_MAX ||
	       cot__find(s, 0, len, "\xe2\x84\xaa", 3) != SIZE_MAX;
}

static bool bit_set(const uint8_t *bits, unsigned bit)
{
	return bits[bit >> 3] & (1u << (bit & 7));
}

/* Try the position i (i + 1 < len), a word start when ws is 1, if the
 * bitmaps say so. All three
 * tests are made at once and joined without branches: a first test on
 * two bytes alone passes nearly half the word starts of English prose
 * ("th", "an", "is"), a branch the processor cannot predict. */
static inline int at(matcher *m, size_t i, unsigned ws)
{
	const unsigned char *t = m->t;
	const cot__pset *ps = m->ps;
	size_t left = m->len - i, before = m->out->n;
	unsigned key;
	uint32_t w = 0;
	uint64_t w16[2];
	bool short_hit, long_hit;
	int rc = COT_OK;

	/* the first 4 bytes (fewer at the end), t[i] lowest, folded */
	w = fold(COT__LIKELY(left >= 4) ? cot__load_le32(t + i) :
		 (uint32_t)bytes_le(t + i, left));
	key = key2(w);
	short_hit = bit_set(ps->bits2, key << 1 | ws);
	long_hit = (left >= 4) & bit_set(ps->bits4, hash4(w) << 1 | ws);
	if (COT__LIKELY(!(short_hit | long_hit)))
		return COT_OK;
	load16(t, i, m->len, w16);
	w = (uint32_t)w16[0];	/* lower-cased */
	if (short_hit)
		rc = candidates(m, i, w & 0xffff, 2, ws, w16);
	if (!rc && long_hit)
		rc = candidates(m, i, w, 4, ws, w16);
	if (!rc && long_hit && left >= 8 &&
	    bit_set(ps->bits8, hash8(w16[0]) << 1 | ws))
		rc = candidates(m, i, w16[0], 8, ws, w16);
	if (m->out->n - before > 1)
		order_hits(m->out, before);
	return rc;
}

/* ASCII letters of v, as 0xff bytes. */
static cot__v16 alpha_bytes(cot__v16 v)
{
	cot__v16 l = cot__v16_sub(cot__v16_or(v, cot__v16_splat(0x20)),
				  cot__v16_splat('a'));

	return cot__v16_eq(cot__v16_min(l, cot__v16_splat(25)), l);
}

/* ASCII letters, digits and '_' of v, as 0xff bytes. */
static cot__v16 word_bytes(cot__v16 v)
{
	cot__v16 d = cot__v16_sub(v, cot__v16_splat('0'));
	cot__v16 digit = cot__v16_eq(cot__v16_min(d, cot__v16_splat(9)), d);

	return cot__v16_or(cot__v16_or(alpha_bytes(v), digit),
			   cot__v16_eq1(v, '_'));
}

/* Positions i..i+15 where a prefix may start: word starts (at a letter
 * when every ASCII prefix starts with one: numbers are a good share of
 * the words of math), and the bytes from lo to hi that begin the other
 * prefixes (Chinese ones: not the punctuation of English text). (Only
 * when every prefix not asking for \b begins with a byte >= 0x80: see
 * blocks_ok.) In *after_word, the positions that follow an ASCII word
 * byte, which are no word starts. */
static uint32_t starts16(const unsigned char *t, size_t i, bool alpha,
			 cot__v16 lo, cot__v16 hi, uint32_t *after_word)
{
	cot__v16 v = cot__v16_load(t + i);
	cot__v16 p = word_bytes(cot__v16_load(t + i - 1));
	cot__v16 ws = cot__v16_andnot(p, alpha ? alpha_bytes(v)
					      : word_bytes(v));

	*after_word = cot__v16_mask(p);
	return cot__v16_mask(cot__v16_or(ws, cot__v16_within(v, lo, hi)));
}

/* The pre-filtered pass over text: every candidate in order. */
static int scan_candidates(matcher *m)
{
	size_t i = 0, len = m->len;
	int rc = COT_OK;

	if (len < 2)
		return COT_OK;
	if (m->ps->blocks_ok) {
		const cot__pset *ps = m->ps;
		cot__v16 lo = cot__v16_splat(ps->lead_lo);
		cot__v16 hi = cot__v16_splat(ps->lead_hi);

		if ((rc = at(m, 0, 1)))
			return rc;
		for (i = 1; i + 17 <= len; i += 16) {
			uint32_t after_word;
			uint32_t bits = starts16(m->t, i, ps->alpha_first, lo,
						 hi, &after_word);

			while (bits) {
				unsigned k = cot__ctz32(bits);

				bits &= bits - 1;
				if ((rc = at(m, i + k,
					     !(after_word >> k & 1))))
					return rc;
			}
		}
	}
	for (; i + 1 < len && !rc; i++)
		rc = at(m, i, i == 0 || !word_tab[m->t[i - 1]]);
	return rc;
}

static int scan(matcher *m, bool full_scan)
{
	const cot__pset *ps = m->ps;
	cot__pscratch *s = m->s;
	int rc = COT_OK;

	/* saturates near 2^64 only for texts of petabytes */
	m->budget = COT__BUDGET_BASE + (uint64_t)ps->per_byte * m->len;
	m->left = m->budget;
	if (ps->n == 0 || m->len == 0)
		return COT_OK;
	if (full_scan || needs_full(m->t, m->len)) {
		for (size_t p = 0; p < ps->n && !rc; p++)
			rc = scan_full(m, p);
	} else {
		for (size_t p = 0; p < ps->n; p++) {
			s->next[p] = 0;
			s->tried[p] = SIZE_MAX;
		}
		if (ps->nent)
			rc = scan_candidates(m);
		for (size_t k = 0; k < ps->nfull && !rc; k++)
			rc = scan_full(m, ps->full[k]);
	}
	return rc;
}

int cot__pset_scan(const cot__pset *ps, cot__pscratch *s, const char *text,
		   size_t len, cot__arena *a, bool full_scan,
		   cot__hitlist *out, cot_error *err)
{
	matcher m = { ps, s, (const unsigned char *)text, len, a, out, 0,
		      err, 0, 0, NULL, NULL };
	int rc;

	out->v = NULL;
	out->n = 0;
	if ((rc = scan(&m, full_scan)))
		return rc;
	for (size_t i = 1; i < out->n; i++)
		if (cmp_hit(&out->v[i - 1], &out->v[i]) > 0) {
			qsort(out->v, out->n, sizeof *out->v, cmp_hit);
			break;
		}
	return COT_OK;
}

int cot__pset_scan_each(const cot__pset *ps, cot__pscratch *s,
			const char *text, size_t len, cot__hit_sink sink,
			void *ctx, cot_error *err)
{
	cot__hitlist none = { NULL, 0 };
	matcher m = { ps, s, (const unsigned char *)text, len, NULL, &none,
		      0, err, 0, 0, sink, ctx };

	return scan(&m, false);
}
