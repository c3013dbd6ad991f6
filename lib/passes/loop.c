/* loop.c - loops: where the reasoning repeats itself, and for how long. */
#include <string.h>

#include "passes/health.h"
#include "passes/pass.h"

/* A loop is a stretch of words w[s..t) with a period d: every word
 * equals the word d before it (w[x] == w[x - d] for s + d <= x < t),
 * holding at least COT__LOOP_MIN_REPEATS whole periods and
 * COT__LOOP_MIN_BYTES bytes, and as long as it can be made on both
 * sides. Words compare by the hash of their lower-cased form.
 *
 * Finding them in linear time: one pass over the words keeps, in a hash
 * map, where each word trigram (words i-2, i-1, i) was last seen. Inside
 * a loop, a trigram that occurs once per period was last seen exactly
 * one period back, so the distance d = i - last(trigram(i)) is a
 * candidate period; a trigram that occurs twice in a period proposes a
 * wrong distance, which the check below rejects at once. (A loop whose
 * every trigram recurs within its period, a period that is itself
 * nearly a repetition, can thus be missed; a period that repeats a
 * sentence cannot.) Each candidate is checked by walking forward from i
 * while w[x] == w[x - d], and backward from i - d while w[x] ==
 * w[x + d]; the pass then jumps past the stretch it walked, so a word is
 * walked forward once. Distances that are not periods stop after a
 * word or two. A false candidate that walks far (two copies of a long
 * paragraph) hides the loops starting inside it only until the pass
 * leaves it: the next candidate walks backward to their true start.
 * Backward walks stop at the end of the previous loop, and a budget of
 * WORK_PER_WORD comparisons per word bounds the whole on any input
 * (real traces use under one: tests measure it).
 *
 * The same map counts the distinct trigrams, which with n = 3 is what
 * repeat.ngram needs: one hash-map operation a word serves both. */

enum { WORK_PER_WORD = 8, WORK_SLACK = 4096 };

/* One past the last byte of the word starting at off. */
static size_t word_end(const char *text, size_t len, size_t off)
{
	const unsigned char *p = (const unsigned char *)text;

	while (off < len && !cot__pyspace_len(p + off, len - off))
		off++;
	return off;
}

/* The end of text without its trailing Python white space. */
static size_t trimmed_end(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;

	while (len > 0) {
		size_t c = len - 1;

		while (c > 0 && (p[c] & 0xc0) == 0x80 && len - c < 4)
			c--;
		if (!cot__pyspace_len(p + c, len - c))
			break;
		len = c;
	}
	return len;
}

/* The key of the word trigram ending at word i (i >= 2): the same
 * polynomial as open-r1's n-grams get in words.c, so with n = 3 the
 * distinct keys are the distinct n-grams. */
static uint64_t trigram(const uint64_t *h, size_t i)
{
	return h[i] + (h[i - 1] + h[i - 2] * COT__NGRAM_BASE) *
	       COT__NGRAM_BASE;
}

static int append(cot__arena *a, cot__loop **v, uint32_t *n, size_t *cap,
		  const cot__loop *l)
{
	cot__loop *nv = cot__arena_grow(a, *v, *n, cap, sizeof *nv);

	if (!nv)
		return COT_ENOMEM;
	*v = nv;
	(*v)[(*n)++] = *l;
	return COT_OK;
}

/* Record the loop of words [s, t) with period d, if it is one. */
static int consider(const char *text, size_t len, const cot__words *w,
		    size_t s, size_t t, size_t d, cot__arena *a,
		    cot__loop **out, uint32_t *nout, size_t *cap,
		    bool *taken)
{
	cot__loop l;

	*taken = false;
	if ((t - s) / d < COT__LOOP_MIN_REPEATS)
		return COT_OK;
	memset(&l, 0, sizeof l);
	l.start = cot__word_off(w, text, len, s);
	l.period = cot__word_off(w, text, len, s + d) - l.start;
	l.period_words = d;
	l.repeats = (t - s) / d;
	if (t == w->n) {
		l.tail = true;
	} else {
		/* cut inside its next period: the rest of the text is where
		 * the loop would go on ("... Wait, 84" after "Wait, 8481
		 * ...") */
		size_t end = trimmed_end(text, len);
		size_t from = cot__word_off(w, text, len, t);
		size_t back = cot__word_off(w, text, len, t - d);

		l.tail = memcmp(text + from, text + back, end - from) == 0;
	}
	if (l.tail) {
		l.end = len;
	} else {
		size_t last_off = cot__word_off(w, text, len, t - 1);

		l.end = word_end(text, len, last_off);
	}
	if (l.end - l.start < COT__LOOP_MIN_BYTES)
		return COT_OK;
	*taken = true;
	return append(a, out, nout, cap, &l);
}

/* ---- the trigram table (health.h: cot__trimap) ---- */

enum { POS_BITS = 40 };
#define POS_MASK ((UINT64_C(1) << POS_BITS) - 1)

/* A multiply maps the hash onto any number of slots (Lemire's
 * "fastrange"), so the table need not be a power of two: see tri_clear.
 * cap is at most 2^32. */
static size_t tri_home(uint64_t key, size_t cap)
{
	return (size_t)(((key ^ key >> 29) & 0xffffffffu) * (uint64_t)cap >>
			32);
}

static uint64_t tri_tag(uint64_t key)
{
	return key >> POS_BITS << POS_BITS;
}

/* Slots for n trigrams at most three quarters full: the table doubles
 * past that, but never beyond the slots for every trigram of the text
 * distinct. On a text of distinct words (a million list items) the
 * table is the biggest thing analysis holds: so it stays under 11 bytes
 * a word, where doubling powers of two at half full took up to 32. */
static size_t tri_slots(size_t n)
{
	return n / 3 * 4 + 64;
}

/* Empty t with cap slots. */
static int tri_clear(cot__trimap *t, size_t cap)
{
	uint64_t *s;

	if (cap > UINT32_MAX)	/* tri_home's range */
		return COT_ENOMEM;
	s = cot__slots_zeroed(t->slot, &t->alloc, cap, sizeof *s);
	if (!s)
		return COT_ENOMEM;
	t->slot = s;
	t->cap = cap;
	t->n = 0;
	return COT_OK;
}

static inline size_t tri_put(cot__trimap *t, const uint64_t *h,
			     uint64_t key, size_t home, size_t j);

static bool tri_full(const cot__trimap *t)
{
	return (t->n + 1) * 4 > t->cap * 3;
}

/* Double the slots, refilled by putting trigrams 2 to upto - 1 again
 * in order: the table holds where each was seen last, which the same
 * puts give back. The old slots are freed first, so that growing takes
 * no more memory than the new table: on a text of distinct words (a
 * million list items) the old and new tables together were 12 bytes
 * per byte of text. The puts again cost at most a few passes over the
 * words, as the table doubles only past a million trigrams. */
static int tri_grow(cot__trimap *t, const uint64_t *h, size_t upto,
		    size_t limit)
{
	size_t cap = t->cap * 2 < limit ? t->cap * 2 : limit;

	cot__free(t->slot);
	t->slot = NULL;
	t->alloc = t->cap = t->n = 0;
	if (tri_clear(t, cap))
		return COT_ENOMEM;
	for (size_t k = 2; k < upto; k++) {
		uint64_t key = trigram(h, k);

		(void)tri_put(t, h, key, tri_home(key, t->cap), k);
	}
	return COT_OK;
}

/* Record trigram j (key, whose slot is home) as last seen at j. Returns
 * where it was seen before (index + 1), 0 when it is new. The caller
 * keeps the table at most three quarters full (tri_full). */
static inline size_t tri_put(cot__trimap *t, const uint64_t *h,
			     uint64_t key, size_t home, size_t j)
{
	uint64_t tag = tri_tag(key), v;
	size_t s;

	for (s = home; (v = t->slot[s]); s = s + 1 < t->cap ? s + 1 : 0) {
		size_t at = (size_t)(v & POS_MASK);

		if ((v & ~POS_MASK) == tag && trigram(h, at - 1) == key) {
			t->slot[s] = tag | (j + 1);
			return at;
		}
	}
	t->slot[s] = tag | (j + 1);
	t->n++;
	return 0;
}

static inline void tri_prefetch(const cot__trimap *t, size_t home)
{
#if defined(__GNUC__)
	__builtin_prefetch(&t->slot[home], 1);
#else
	(void)t;
	(void)home;
#endif
}

void cot__trimap_dispose(cot__trimap *t)
{
	cot__free(t->slot);
	memset(t, 0, sizeof *t);
}

enum { RING = 16 };

int cot__loops_find(const char *text, size_t len, const cot__words *w,
		    cot__trimap *seen, size_t *distinct, cot__arena *a,
		    cot__loop **out, uint32_t *nout, size_t *work)
{
	const uint64_t *h = w->hash;
	size_t n = w->n, skip = 0, floor = 0, i;
	size_t budget = WORK_PER_WORD * n + WORK_SLACK;
	uint64_t ring[RING];
	size_t home[RING], cap = 0;

	*out = NULL;
	*nout = 0;
	*work = 0;
	*distinct = 0;
	if (n < 3)
		return COT_OK;
	/* sized for every trigram up to a million (11 MB of table); a
	 * longer text grows it on demand, and a long loop has few
	 * distinct trigrams */
	if (tri_clear(seen, tri_slots(n < (1 << 20) ? n : (1 << 20))))
		return COT_ENOMEM;
	/* the key of trigram i is computed RING words ahead of its use,
	 * and its slot fetched meanwhile: the table of a long trace is
	 * bigger than the caches, and each look-up a random read */
	for (i = 2; i < n + RING; i++) {
		size_t j = i - RING, prev, d, s, t;
		bool taken;

		if (i >= RING + 2) {
			if (tri_full(seen)) {
				/* grown: the slots of the look-ups under way
				 * were for the smaller table */
				if (tri_grow(seen, h, j, tri_slots(n)))
					return COT_ENOMEM;
				for (size_t k = j; k < i && k < n; k++)
					home[k % RING] = tri_home(
						ring[k % RING], seen->cap);
			}
			prev = tri_put(seen, h, ring[j % RING], home[j % RING],
				       j);
			if (!prev || j < skip || *work >= budget)
				goto next;
			/* trigram j was last seen ending at prev - 1: try
			 * that distance as a period */
			d = j - (prev - 1);
			for (t = j + 1; t < n && h[t] == h[t - d]; t++)
				;
			for (s = j - d; s > floor && h[s - 1] == h[s - 1 + d];
			     s--)
				;
			*work += t - j + (j - d) - s;
			skip = t;
			if (consider(text, len, w, s, t, d, a, out, nout, &cap,
				     &taken))
				return COT_ENOMEM;
			if (taken)
				floor = t;
		}
next:
		if (i < n) {
			ring[i % RING] = trigram(h, i);
			home[i % RING] = tri_home(ring[i % RING], seen->cap);
			tri_prefetch(seen, home[i % RING]);
		}
	}
	*distinct = seen->n;
	return COT_OK;
}

static int loop_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__spans *para = &p->paragraphs;	/* the core pass's */
	const cot__trigrams *t;
	cot__loop *v;
	uint32_t n, pick = 0;

	if (cot__need_trigrams(c, p, &t))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	v = t->loops;
	n = t->nloops;
	for (uint32_t k = 0; k < n; k++) {
		size_t s = cot__span_index(para, v[k].start);

		v[k].start_step = s;
		v[k].period_steps = cot__span_index(para, v[k].start +
						    v[k].period) - s;
		/* the loop the trace ends in, else the longest */
		if (v[k].tail || v[k].end - v[k].start >
				 v[pick].end - v[pick].start)
			pick = k;
	}
	p->loops = v;
	p->nloops = n;
	p->loop_pick = pick;
	p->loop_period_tokens = -1;
	if (n && c->want & COT__PROD_TOKENS && p->has_tokens) {
		uint64_t k;
		int rc = cot__tokens_count(c, p->tr->reasoning.p +
					   v[pick].start, v[pick].period, &k,
					   err);

		if (rc)
			return rc;
		p->loop_period_tokens = (int64_t)k;
	}
	return COT_OK;
}

enum { L_FOUND, L_COUNT, L_TAIL, L_START, L_START_STEP, L_START_REL,
       L_END, L_PERIOD, L_PERIOD_WORDS, L_PERIOD_TOKENS, L_PERIOD_STEPS,
       L_REPEATS };

static void get_loop(const cot__profile *p, const cot__field *f,
		     cot_value *v)
{
	const cot__loop *l = p->nloops ? &p->loops[p->loop_pick] : NULL;
	size_t nb = p->tr->reasoning.n;

	switch (f->arg) {
	case L_FOUND: cot__set_bool(v, l != NULL); return;
	case L_COUNT: cot__set_int(v, p->nloops); return;
	case L_TAIL: cot__set_bool(v, l && l->tail); return;
	}
	if (!l) {
		v->type = COT_TYPE_NULL;
		return;
	}
	switch (f->arg) {
	case L_START: cot__set_int(v, (int64_t)l->start); break;
	case L_START_STEP: cot__set_int(v, (int64_t)l->start_step); break;
	case L_START_REL: cot__set_real(v, (double)l->start / (double)nb);
		break;
	case L_END: cot__set_int(v, (int64_t)l->end); break;
	case L_PERIOD: cot__set_int(v, (int64_t)l->period); break;
	case L_PERIOD_WORDS: cot__set_int(v, (int64_t)l->period_words);
		break;
	case L_PERIOD_TOKENS:
		if (p->loop_period_tokens < 0)
			v->type = COT_TYPE_NULL;
		else
			cot__set_int(v, p->loop_period_tokens);
		break;
	case L_PERIOD_STEPS: cot__set_int(v, (int64_t)l->period_steps);
		break;
	case L_REPEATS: cot__set_int(v, (int64_t)l->repeats); break;
	}
}

static int loops_json(const cot__profile *p, const cot__field *f,
		      cot__sbuf *b)
{
	int rc = cot__sbuf_addc(b, '[');

	(void)f;
	for (uint32_t k = 0; k < p->nloops && !rc; k++) {
		const cot__loop *l = &p->loops[k];

		rc = cot__sbuf_addf(b, "%s{\"start\":%zu,\"end\":%zu,"
				    "\"start_step\":%zu,\"period\":%zu,"
				    "\"period_words\":%zu,"
				    "\"period_steps\":%zu,"
				    "\"repeats\":%llu,\"tail\":%s}",
				    k ? "," : "", l->start, l->end,
				    l->start_step, l->period, l->period_words,
				    l->period_steps,
				    (unsigned long long)l->repeats,
				    l->tail ? "true" : "false");
	}
	return rc ? rc : cot__sbuf_addc(b, ']');
}

static const cot__field loop_fields[] = {
	COT__ROW("loop.found", BOOL, "", get_loop, L_FOUND,
	    "the reasoning holds a loop: a stretch of words that repeats "
	    "a period of words 4+ times in a row and covers 256+ bytes "
	    "(words: Python's lower().split())"),
	COT__ROW("loop.count", INT, "loops", get_loop, L_COUNT,
	    "loops found (they do not overlap)"),
	COT__ROW("loop.tail", BOOL, "", get_loop, L_TAIL,
	    "the reasoning ends inside the loop: it runs to the last word, "
	    "or what follows it is the start of its next period (cut "
	    "mid-period)"),
	COT__ROW("loop.start", INT, "bytes", get_loop, L_START,
	    "byte offset where the loop starts (the earliest word from "
	    "which the text repeats with its period); the loop described "
	    "is the tail loop if any, else the one covering most bytes; "
	    "null without a loop"),
	COT__ROW("loop.start_step", INT, "paragraphs", get_loop, L_START_STEP,
	    "paragraph (as steps, from 0) holding loop.start"),
	COT__ROW("loop.start_rel", REAL, "", get_loop, L_START_REL,
	    "loop.start / think.bytes"),
	COT__ROW("loop.end", INT, "bytes", get_loop, L_END,
	    "one past the loop's last byte (think.bytes for a tail loop)"),
	COT__ROW("loop.period", INT, "bytes", get_loop, L_PERIOD,
	    "bytes of one period: from loop.start to the same word one "
	    "period later"),
	COT__ROW("loop.period_words", INT, "words", get_loop, L_PERIOD_WORDS,
	    "words (Python split) in one period of the loop"),
	COT__ROW_TOKENS("loop.period_tokens", INT, "tokens", get_loop,
	    L_PERIOD_TOKENS,
	    "tokens of one period (its bytes, from loop.start, encoded as "
	    "a text of their own); null without a tokenizer or a loop"),
	COT__ROW("loop.period_steps", INT, "paragraphs",
	    get_loop, L_PERIOD_STEPS,
	    "paragraphs starting within one period (0: the loop repeats "
	    "inside one paragraph)"),
	COT__ROW("loop.repeats", INT, "times", get_loop, L_REPEATS,
	    "whole periods in the loop (a cut last period not counted)"),
	{ .info = { "loop.all", COT_TYPE_JSON, "",
	    "every loop, in text order: [{start, end, start_step, period, "
	    "period_words, period_steps, repeats, tail}]" },
	  .json = loops_json },
	COT__FIELDS_END
};

const cot__pass cot__loop_pass = {
	.name = "loop",
	.makes = COT__PROD_LOOPS,
	.reads = COT__PROD_PARAGRAPHS,
	.run = loop_run,
	.fields = loop_fields,
};
