/* health.h - status, format checks, repetition and loops: shared parts. */
#ifndef COT_HEALTH_H
#define COT_HEALTH_H

#include "base/hmap.h"
#include "base/internal.h"
#include "text/segment.h"
#include "text/words.h"
#include "passes/pass.h"

/* ---- per-thread workspace of the health passes -------------------- */

/* A distinct paragraph or sentence (repeat.c): how often it was seen,
 * where first, and the next entry sharing its cheap key (SIZE_MAX:
 * none). */
typedef struct cot__block_count {
	uint32_t count;
	size_t off, len;
	size_t next;
} cot__block_count;

/* Where each distinct word trigram was last seen (loop.c). A slot is 8
 * bytes: the trigram's index + 1 in its low 40 bits, and above them 24
 * bits of the trigram's key as a first test; the key itself is not kept
 * but recomputed from the words' hashes when those 24 bits agree, so
 * keys compare in full, as in a map of 64-bit keys, at half its memory
 * (the table of a long trace is bigger than the caches). */
typedef struct cot__trimap {
	uint64_t *slot;		/* 0: empty */
	size_t cap;		/* slots (loop.c: tri_clear) */
	size_t n;		/* trigrams held */
	size_t alloc;
} cot__trimap;

void cot__trimap_dispose(cot__trimap *t);

/* The loops of a trace and its distinct word trigrams, from one walk
 * over the trigrams (loop.c: cot__loops_find): a product of the repeat
 * pass (repeat.ngram with n = 3) and the loop pass. */
typedef struct cot__trigrams {
	struct cot__loop *loops;	/* in text order, in the arena */
	uint32_t nloops;
	size_t distinct;
} cot__trigrams;

/* Made with each cot_result (the repeat pass's scratch hooks). */
typedef struct cot__health_scratch {
	/* products: made for the trace scratch->trace names by whichever
	 * pass asks first (cot__need_words, cot__need_trigrams), so no
	 * pass depends on another having run */
	uint64_t words_trace, trigrams_trace;
	cot__words words;	/* the reasoning's words */
	cot__trimap seen;	/* trigram -> last index + 1 */
	cot__trigrams trigrams;
	/* the repeat pass's own workspace */
	cot__hmap set;		/* n-gram hashes (n other than 3) */
	cot__hmap blocks;	/* cheap block key -> index into tally */
	cot__block_count *tally;
	size_t ntally, captally;
} cot__health_scratch;

struct cot__scratch;
struct cot_analyzer;
int cot__health_scratch_init(const struct cot_analyzer *az,
			     struct cot__scratch *s);
void cot__health_scratch_fini(struct cot__scratch *s);

/* The products of the trace p under analysis, made on first demand.
 * Returns COT_OK or COT_ENOMEM. */
int cot__need_words(cot__pass_ctx *c, const cot__profile *p,
		    const cot__words **out);
int cot__need_trigrams(cot__pass_ctx *c, const cot__profile *p,
		       const cot__trigrams **out);

/* ---- loops (loop.c) ------------------------------------------------- */

/* A loop: the longest stretch of the reasoning, in words, that repeats a
 * period of words at least COT__LOOP_MIN_REPEATS times and covers at
 * least COT__LOOP_MIN_BYTES. Offsets are bytes into the reasoning. */
#define COT__LOOP_MIN_REPEATS 4
#define COT__LOOP_MIN_BYTES 256

typedef struct cot__loop {
	size_t start;		/* first byte of the loop */
	size_t end;		/* one past its last byte */
	size_t period;		/* bytes of one period */
	size_t period_words;
	size_t start_step;	/* paragraph holding start, from 0 */
	size_t period_steps;	/* paragraphs that start in one period */
	uint64_t repeats;	/* whole periods */
	bool tail;		/* the reasoning ends inside it */
} cot__loop;

/* Find the loops of text (whose words are w), in one pass that also
 * counts the distinct word trigrams (*distinct; 0 for fewer than 3
 * words). Loops go to an arena array in text order; *work is the number
 * of word comparisons made (tests check it stays linear). seen is
 * workspace. Returns COT_OK or COT_ENOMEM. */
int cot__loops_find(const char *text, size_t len, const cot__words *w,
		    cot__trimap *seen, size_t *distinct, cot__arena *a,
		    cot__loop **out, uint32_t *nout, size_t *work);

/* ---- status (status.c) ---------------------------------------------- */

/* finish_reason values, normalised. */
enum { COT__FINISH_NULL, COT__FINISH_STOP, COT__FINISH_LENGTH,
       COT__FINISH_OTHER };
int cot__finish_class(const char *s, size_t n);

/* Does text end mid-sentence? After trailing White_Space and closing
 * characters, the last character is not sentence-final. False for blank
 * text. */
bool cot__mid_sentence(const char *text, size_t len);

/* ---- format (format.c) ---------------------------------------------- */

/* open-r1 format_reward, tag_count_reward; TRL think_format_reward. */
double cot__r1_format(const char *t, size_t n);
double cot__tag_count(const char *t, size_t n);
double cot__think_format(const char *t, size_t n);

#endif
