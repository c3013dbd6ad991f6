/* pretok.h - the Split pre-tokenizers of a tokenizer.json: each level
 * cuts the pieces of the one before into its regex's matches and the
 * gaps between them (behavior Isolated).
 *
 * A regex is an Oniguruma one (what the Rust crate compiles); pretok.c
 * translates it to PCRE2, the portable reference path. For the exact
 * patterns of the tokenizers we know (DeepSeek-V3, Qwen3, Llama 3,
 * gpt-oss) a hand-written scanner (pretok_scan.c) finds the same
 * matches several times faster; any other pattern takes PCRE2. */
#ifndef COT_PRETOK_H
#define COT_PRETOK_H

#include "base/internal.h"

enum { COT__PRETOK_LEVELS = 8 };

/* The first match in p[from..n) (valid UTF-8, from at a character):
 * true with it at [*mb, *me), or false when there is none. */
typedef bool (*cot__pretok_find)(const unsigned char *p, size_t n,
				 size_t from, size_t *mb, size_t *me);

/* The levels: read-only once built, so threads share them. */
typedef struct cot__pretok {
	size_t n;
	void *re[COT__PRETOK_LEVELS];	/* pcre2_code */
	cot__pretok_find scan[COT__PRETOK_LEVELS];	/* NULL: PCRE2 */
	void *gctx;			/* pcre2_general_context */
} cot__pretok;

/* What one thread needs to split: PCRE2 match data and JIT stack. */
typedef struct cot__pretok_state {
	void *md, *mctx, *jstack;
	bool pcre2_only;	/* tests: the PCRE2 path for every level */
} cot__pretok_state;

/* Add a level splitting by the Oniguruma regex re. COT_OK; COT_EPARSE
 * when it uses what we do not know to read the same in PCRE2, or more
 * than COT__PRETOK_LEVELS levels; COT_ENOMEM. */
int cot__pretok_add(cot__pretok *pt, const char *re, cot_error *err);
void cot__pretok_dispose(cot__pretok *pt);
int cot__pretok_state_init(cot__pretok_state *st, const cot__pretok *pt);
void cot__pretok_state_dispose(cot__pretok_state *st);

/* A piece of the last level: its bytes, and what the caller passed. */
typedef int (*cot__pretok_fn)(void *ctx, const char *p, size_t n);

/* Split p[0..n) (valid UTF-8) by every level and hand each non-empty
 * piece of the last to fn, in order; the first non-zero return of fn
 * ends the split and is returned. Otherwise COT_OK, COT_ENOMEM, or
 * COT_ELIMIT when a regex hits a PCRE2 limit. */
int cot__pretok_split(const cot__pretok *pt, cot__pretok_state *st,
		      const char *p, size_t n, cot__pretok_fn fn, void *ctx);

/* The scanner of the regex re, NULL when it has none (pretok_scan.c). */
cot__pretok_find cot__pretok_scanner(const char *re);

/* The classes of code points (pretok_class.c, generated from PCRE2). */
enum {
	COT__C_L = 1,		/* \p{L} */
	COT__C_N = 2,		/* \p{N} */
	COT__C_P = 4,		/* \p{P} */
	COT__C_S = 8,		/* \p{S} */
	COT__C_M = 16,		/* \p{M} */
	COT__C_WS = 32,		/* \s: White_Space */
	COT__C_UP = 64,		/* [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] */
	COT__C_LO = 128,	/* [\p{Ll}\p{Lm}\p{Lo}\p{M}] */
};
extern const uint8_t cot__pretok_stage1[0x110000 / 128];
extern const uint8_t cot__pretok_stage2[][128];

static inline unsigned cot__pretok_class(uint32_t cp)
{
	return cot__pretok_stage2[cot__pretok_stage1[cp >> 7]][cp & 127];
}

#endif
