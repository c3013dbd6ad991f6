/* repeat.c - the n-gram repetition ratio and exact repeated blocks. */
#include <string.h>

#include "passes/health.h"
#include "passes/pass.h"
#include "text/segment.h"
#include "text/text.h"

/* open-instruct's defaults (filter_ngram_repetitions.py,
 * detect_exact_block_repetition): a paragraph of 20+ characters seen 10
 * times; a sentence seen 40 times, or 4 times in a row. */
enum {
	PARA_MIN_CHARS = 20, PARA_FLAG = 10,
	SENT_MIN_CHARS = 10, SENT_FLAG = 40, SENT_RUN_FLAG = 4
};

int cot__health_scratch_init(const cot_analyzer *az, cot__scratch *s)
{
	(void)az;
	s->health = cot__calloc(1, sizeof *s->health);
	return s->health ? COT_OK : COT_ENOMEM;
}

void cot__health_scratch_fini(cot__scratch *s)
{
	cot__health_scratch *h = s->health;

	if (!h)
		return;
	cot__words_dispose(&h->words);
	cot__hmap_dispose(&h->set);
	cot__trimap_dispose(&h->seen);
	cot__hmap_dispose(&h->blocks);
	cot__free(h->tally);
	cot__free(h);
	s->health = NULL;
}

/* Strip Python white space (str.strip()) from both ends of [*off,
 * *off + *len) of t. */
static void strip(const char *t, size_t *off, size_t *len)
{
	const unsigned char *p = (const unsigned char *)t;
	size_t a = *off, b = *off + *len, k;

	while (a < b && (k = cot__pyspace_len(p + a, b - a)))
		a += k;
	while (b > a) {
		size_t c = b - 1;

		/* back to the start of the last character */
		while (c > a && (p[c] & 0xc0) == 0x80 && b - c < 4)
			c--;
		if (!cot__pyspace_len(p + c, b - c))
			break;
		b = c;
	}
	*off = a;
	*len = b - a;
}

/* Code points in s[0..n), at least min: stops counting there. */
static bool has_chars(const char *s, size_t n, size_t min)
{
	size_t k = 0;

	if (n >= 4 * min)
		return true;	/* no code point is longer than 4 bytes */
	for (size_t i = 0; i < n && k < min; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k >= min;
}

/* One block counter: how often each distinct block was seen, where
 * first, and the longest run of equal blocks in a row.
 *
 * Most blocks of a text occur once, so hashing every byte of every block
 * would be wasted: a block is filed under a cheap key (its length and
 * its first and last 8 bytes), and blocks sharing a key are chained and
 * told apart by comparing their bytes, which is exact and, for blocks
 * that are equal, no more work than hashing both. */
typedef struct tally {
	cot__health_scratch *h;
	const char *text;
	uint32_t max, run, cur_run;
	size_t at;		/* first offset of the most frequent */
	size_t prev;		/* entry of the previous block, SIZE_MAX: none */
} tally;

static int tally_start(tally *t, cot__health_scratch *h, const char *text,
		       size_t expect)
{
	memset(t, 0, sizeof *t);
	t->h = h;
	t->text = text;
	t->at = SIZE_MAX;
	t->prev = SIZE_MAX;
	h->ntally = 0;
	return cot__hmap_clear(&h->blocks, expect);
}

/* A block that is too short breaks a run without being counted. */
static void tally_gap(tally *t)
{
	t->prev = SIZE_MAX;
	t->cur_run = 0;
}

static uint64_t cheap_key(const char *s, size_t n)
{
	uint64_t a = 0, b = 0;

	memcpy(&a, s, n < 8 ? n : 8);
	if (n > 8)
		memcpy(&b, s + n - 8, 8);
	a = (a ^ n * 0x9e3779b97f4a7c15ULL) * 0xc2b2ae3d27d4eb4fULL;
	return (a ^ a >> 31 ^ b) * 0x9e3779b97f4a7c15ULL;
}

/* A new entry for the block at off (of n bytes), chained after next. */
static int new_entry(tally *t, size_t off, size_t n, size_t next,
		     size_t *out)
{
	cot__health_scratch *h = t->h;
	cot__block_count *e;

	if (h->ntally == h->captally) {
		size_t cap = h->captally ? h->captally * 2 : 256;
		cot__block_count *v = cot__realloc(h->tally, cap * sizeof *v);

		if (!v)
			return COT_ENOMEM;
		h->tally = v;
		h->captally = cap;
	}
	e = &h->tally[h->ntally];
	e->count = 0;
	e->off = off;
	e->len = n;
	e->next = next;
	*out = h->ntally++;
	return COT_OK;
}

static int tally_add(tally *t, size_t off, size_t n)
{
	cot__health_scratch *h = t->h;
	bool fresh;
	uint64_t *slot = cot__hmap_put(&h->blocks,
				       cheap_key(t->text + off, n), &fresh);
	size_t k;
	cot__block_count *e;

	if (!slot)
		return COT_ENOMEM;
	if (fresh) {
		if (new_entry(t, off, n, SIZE_MAX, &k))
			return COT_ENOMEM;
		*slot = k;
	} else {
		/* the same cheap key: compare the blocks along the
		 * chain; a new block joins the chain's head */
		for (k = (size_t)*slot; k != SIZE_MAX; k = h->tally[k].next) {
			e = &h->tally[k];
			if (e->len == n &&
			    !memcmp(t->text + e->off, t->text + off, n))
				break;
		}
		if (k == SIZE_MAX) {
			if (new_entry(t, off, n, (size_t)*slot, &k))
				return COT_ENOMEM;
			*slot = k;
		}
	}
	e = &h->tally[k];
	if (e->count < UINT32_MAX)
		e->count++;
	if (e->count > t->max) {
		t->max = e->count;
		t->at = e->off;
	}
	t->cur_run = k == t->prev ? t->cur_run + 1 : 1;
	t->prev = k;
	if (t->cur_run > t->run)
		t->run = t->cur_run;
	return COT_OK;
}

/* Paragraphs (as `steps`), stripped; those of 20+ characters count. */
static int paragraphs(cot__pass_ctx *c, cot__profile *p, const char *r)
{
	cot__health_scratch *h = c->scratch->health;
	const cot__spans *para = &p->paragraphs;	/* the core pass's */
	tally t;
	int rc;

	if (tally_start(&t, h, r, para->n))
		return COT_ENOMEM;
	for (size_t i = 0; i < para->n; i++) {
		size_t off = para->v[i].off, len = para->v[i].len;

		strip(r, &off, &len);
		if (!has_chars(r + off, len, PARA_MIN_CHARS)) {
			tally_gap(&t);
			continue;
		}
		if ((rc = tally_add(&t, off, len)))
			return rc;
	}
	p->para_max = t.max;
	p->para_run = t.run;
	p->para_at = t.at;
	return COT_OK;
}

/* Does s[0..n) (stripped) hold two words: a Python space inside? */
static bool two_words(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n; i++)
		if ((u[i] <= ' ' || u[i] >= 0x80) &&
		    cot__pyspace_len(u + i, n - i))
			return true;
	return false;
}

static bool terminator(char c)
{
	return c == '.' || c == '!' || c == '?';
}

/* The first '.', '!' or '?' in r[i..n), or n: the sentence splitter's
 * scan, which also stops at two lead bytes of CJK text. */
static size_t next_terminator(const char *r, size_t i, size_t n)
{
	const unsigned char *t = (const unsigned char *)r;

	while ((i = cot__next_term(t, i, n)) < n && !terminator(r[i]))
		i++;
	return i;
}

/* Sentences as open-instruct cuts them: re.split(r'[.!?]+', text),
 * stripped, empty ones dropped. A sentence counts when it has 10+
 * characters and 2+ words; a shorter one breaks a run. */
static int sentences(cot__pass_ctx *c, cot__profile *p, const char *r,
		     size_t n)
{
	cot__health_scratch *h = c->scratch->health;
	size_t i = 0;
	tally t;
	int rc;

	if (tally_start(&t, h, r, n / 64 + 16))
		return COT_ENOMEM;
	for (;;) {
		size_t off = i, len;

		i = next_terminator(r, i, n);
		len = i - off;
		strip(r, &off, &len);
		if (len) {
			if (!has_chars(r + off, len, SENT_MIN_CHARS) ||
			    !two_words(r + off, len))
				tally_gap(&t);
			else if ((rc = tally_add(&t, off, len)))
				return rc;
		}
		if (i == n)
			break;
		while (i < n && terminator(r[i]))
			i++;
	}
	p->sent_max = t.max;
	p->sent_run = t.run;
	p->sent_at = t.at;
	return COT_OK;
}

static int repeat_init(cot_analyzer *az, const cot_analyzer_options *o,
		       cot_error *err)
{
	if (o->ngram > 64)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "ngram: %u is not from 1 to 64",
				      o->ngram);
	az->ngram = o->ngram ? o->ngram : 3;
	return COT_OK;
}

/* open-r1's repetition ratio, 1 - distinct / all word n-grams: with
 * n = 3 the distinct trigrams come from the walk that also finds the
 * loops (a product: it is made once, whichever pass asks first). */
static int ngram_ratio(cot__pass_ctx *c, cot__profile *p)
{
	cot__health_scratch *h = c->scratch->health;
	const cot__trigrams *t;
	const cot__words *w;

	if (cot__need_words(c, p, &w))
		return COT_ENOMEM;
	if (c->az->ngram != 3)
		return cot__ngram_ratio(w, c->az->ngram, &h->set,
					&p->ngram_ratio);
	if (cot__need_trigrams(c, p, &t))
		return COT_ENOMEM;
	p->ngram_ratio = w->n < 3 ? 0 :
			 1.0 - (double)t->distinct / (double)(w->n - 2);
	return COT_OK;
}

static int repeat_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__text *r = &p->tr->reasoning;
	int rc;

	if ((rc = ngram_ratio(c, p)) ||
	    (rc = paragraphs(c, p, r->p)) ||
	    (rc = sentences(c, p, r->p, r->n)))
		return cot__error_set(err, rc, 0, 0, "out of memory");
	return COT_OK;
}

static void get_ngram(const cot__profile *p, const cot__field *f,
		      cot_value *v)
{
	(void)f;
	cot__set_real(v, p->ngram_ratio);
}

enum { R_PARA_MAX, R_PARA_RUN, R_PARA_AT, R_SENT_MAX, R_SENT_RUN,
       R_SENT_AT };

static void get_block(const cot__profile *p, const cot__field *f,
		      cot_value *v)
{
	size_t at;

	switch (f->arg) {
	case R_PARA_MAX: cot__set_int(v, p->para_max); return;
	case R_PARA_RUN: cot__set_int(v, p->para_run); return;
	case R_SENT_MAX: cot__set_int(v, p->sent_max); return;
	case R_SENT_RUN: cot__set_int(v, p->sent_run); return;
	}
	at = f->arg == R_PARA_AT ? p->para_at : p->sent_at;
	if (at == SIZE_MAX)
		v->type = COT_TYPE_NULL;
	else
		cot__set_int(v, (int64_t)at);
}

/* Which of open-instruct's thresholds the trace reaches first, or
 * NULL. */
static const char *repeat_rule(const cot__profile *p)
{
	if (p->para_max >= PARA_FLAG)
		return "paragraph";
	if (p->sent_max >= SENT_FLAG)
		return "sentence";
	if (p->sent_run >= SENT_RUN_FLAG)
		return "sentence_run";
	return NULL;
}

static void get_flag(const cot__profile *p, const cot__field *f,
		     cot_value *v)
{
	(void)f;
	cot__set_bool(v, repeat_rule(p) != NULL);
}

static void get_rule(const cot__profile *p, const cot__field *f,
		     cot_value *v)
{
	const char *s = repeat_rule(p);

	(void)f;
	cot__set_text(v, s, s ? strlen(s) : 0);
}

static const cot__field repeat_fields[] = {
	COT__ROW("repeat.ngram", REAL, "", get_ngram, 0,
	    "open-r1's repetition ratio of the reasoning: 1 - unique/total "
	    "over its word n-grams (n = --ngram, default 3), words being "
	    "Python's text.lower().split(); 0 when it has fewer than n "
	    "words"),
	COT__ROW("repeat.para.max", INT, "times", get_block, R_PARA_MAX,
	    "occurrences of the most frequent paragraph of the reasoning "
	    "(paragraphs as steps, stripped, byte-identical, 20+ characters); "
	    "0 when none qualifies"),
	COT__ROW("repeat.para.run", INT, "paragraphs", get_block, R_PARA_RUN,
	    "longest run of identical consecutive paragraphs (20+ "
	    "characters)"),
	COT__ROW("repeat.para.at", INT, "bytes", get_block, R_PARA_AT,
	    "byte offset of the first occurrence of the most frequent "
	    "paragraph (of equally frequent ones, the one that reached that "
	    "count first); null when none"),
	COT__ROW("repeat.sent.max", INT, "times", get_block, R_SENT_MAX,
	    "occurrences of the most frequent sentence of the reasoning: "
	    "the pieces of re.split(r'[.!?]+', reasoning), stripped, "
	    "byte-identical, with 10+ characters and 2+ words"),
	COT__ROW("repeat.sent.run", INT, "sentences", get_block, R_SENT_RUN,
	    "longest run of identical sentences in a row (a shorter "
	    "non-empty piece between them breaks the run)"),
	COT__ROW("repeat.sent.at", INT, "bytes", get_block, R_SENT_AT,
	    "byte offset of the first occurrence of the most frequent "
	    "sentence (ties as repeat.para.at); null when none"),
	COT__ROW("repeat.flag", BOOL, "", get_flag, 0,
	    "open-instruct's exact-repetition thresholds are reached: "
	    "repeat.para.max >= 10, repeat.sent.max >= 40 or "
	    "repeat.sent.run >= 4"),
	COT__ROW("repeat.rule", STRING, "", get_rule, 0,
	    "the first threshold of repeat.flag reached, in that order: "
	    "paragraph, sentence, sentence_run; null when none"),
	COT__FIELDS_END
};

const cot__pass cot__repeat_pass = {
	.name = "repeat",
	.reads = COT__PROD_PARAGRAPHS,
	.init = repeat_init,
	.scratch_init = cot__health_scratch_init,
	.scratch_fini = cot__health_scratch_fini,
	.run = repeat_run,
	.fields = repeat_fields,
};
