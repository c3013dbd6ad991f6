/* patterns.h - the pattern set: built-in lexicons and user patterns,
 * compiled with pcre2, and the scan that finds their matches. */
#ifndef COT_PATTERNS_H
#define COT_PATTERNS_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "base/internal.h"

/* How each pattern is compiled: caseless, Unicode-aware (\b, \w, \s and
 * case folding follow Unicode properties), ^ and $ at line ends. */
#define COT__PCRE2_OPTIONS \
	(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MULTILINE)

/* Work bounds of one match attempt (README "Patterns"). */
#define COT__MATCH_LIMIT 1000000u
#define COT__HEAP_LIMIT_KIB 20000u
#define COT__JIT_STACK_MAX (8u << 20)
/* The budget of one trace: COT__BUDGET_BASE steps, plus the options'
 * match_limit per byte. An attempt's first COT__STEPS_FREE steps are
 * not charged: the attempts are at most a few per byte, so those are
 * linear work already, and counting them would make the budget depend
 * on how many literal candidates a text has. */
#define COT__BUDGET_BASE 10000000u
#define COT__STEPS_FREE 1000u

/* A literal that every match of a pattern begins with (caselessly):
 * the pre-filter looks for these, then runs the pattern anchored
 * where one starts. */
enum { COT__PREFIX_MAX = 32, COT__PREFIXES_MAX = 64 };
enum { COT__BITS2_LOG = 12, COT__BITS4_LOG = 14, COT__BITS8_LOG = 14 };
typedef struct cot__prefix {
	uint8_t b[COT__PREFIX_MAX];	/* ASCII letters in lower case */
	uint8_t n;
	bool ws;	/* the pattern asks for \b before it, and it begins
			 * with an ASCII word character */
	bool we;	/* it is a whole alternative, followed by \b, and
			 * ends with an ASCII word character */
} cot__prefix;

typedef struct cot__pattern {
	cot_pattern_info info;	/* the public view; strings below */
	char *name, *family, *source, *regex, *phrases;
	uint32_t fam;
	pcre2_code *anch;	/* compiled PCRE2_ANCHORED: at candidates */
	pcre2_code *scan;	/* unanchored: full scans */
	bool jit_anch, jit_scan;
	cot__prefix *pre;	/* NULL: no literal prefix, scan in full */
	uint32_t npre;
	bool literal;		/* every match is one of its prefixes
				 * whole: see literal_pattern */
} cot__pattern;

typedef struct cot__pfamily {
	cot_family_info info;
	char *name, *source;
} cot__pfamily;

/* One prefix of one pattern in the pre-filter's table, whole (up to
 * COT__PREFIX_MAX bytes): its first 16 bytes reject nearly every place
 * cheaply; the rest are compared where those match. */
typedef struct cot__pentry {
	uint64_t word[2];	/* the first 16 bytes, in memory order */
	uint64_t mask[2];	/* 0xff for each byte of word that counts */
	uint64_t tail[2];	/* bytes 16 to 31, and their mask */
	uint64_t tail_mask[2];
	uint64_t key;		/* its bucket: its first `tier` bytes (in
				 * memory order) */
	uint32_t pat;
	uint8_t tier;		/* 2 (a prefix of 2 or 3 bytes), 4 (4 to
				 * 7) or 8 (8 or more) */
	uint8_t n;		/* all its bytes */
	bool ws;
	bool we;		/* as in cot__prefix */
} cot__pentry;

typedef struct cot__pset {
	cot__pattern *v;
	size_t n, cap;
	cot__pfamily *fam;
	size_t nfam, capfam;
	pcre2_general_context *gctx;	/* allocates through cot__malloc */
	pcre2_compile_context *cctx;
	/* the pre-filter: bit (bigram key << 1 | at_word_start) of bits2
	 * is set when some prefix of 2 or 3 bytes starting with that
	 * bigram may match there (they are few: "but", "no,", "hm"); bit
	 * (hash of the first 4 bytes << 1 | at_word_start) of bits4, for
	 * the longer prefixes, whose first 8 bytes, when they have 8, then
	 * have a bit in bits8. Sized so that all three stay in the L1
	 * cache with the text (9 KiB) while hundreds of prefixes leave
	 * under 3% of each bitmap set. */
	uint8_t bits2[2 << COT__BITS2_LOG >> 3];
	uint8_t bits4[2 << COT__BITS4_LOG >> 3];
	uint8_t bits8[2 << COT__BITS8_LOG >> 3];
	cot__pentry *ent;	/* sorted by key, word; no duplicates */
	size_t nent;
	uint32_t *slot;		/* hash of key -> bucket */
	uint32_t nslot;
	bool blocks_ok;		/* every prefix that does not ask for \b
				 * starts with a UTF-8 lead byte */
	bool alpha_first;	/* every prefix starting with an ASCII byte
				 * starts with a letter */
	uint8_t lead_lo, lead_hi;	/* the range of the first bytes of
					 * the others (lo > hi: none) */
	uint32_t *full;		/* patterns without prefixes */
	size_t nfull;
	unsigned per_byte;	/* budget steps per byte (match_limit) */
} cot__pset;

/* Per-thread matching state (pcre2 match data and context, a JIT
 * stack, per-pattern positions). */
typedef struct cot__pscratch {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	size_t *next;		/* per pattern: where its next match may
				 * start (end of the last one) */
	size_t *tried;		/* per pattern: last candidate tried */
	/* the statistics of the matches pass (matches.c): per pattern
	 * the paragraph of its last match, and the (pattern, paragraph)
	 * pairs met, with room for cappairs; sizes grow to the largest
	 * trace and are kept */
	uint32_t *lastpara;
	uint64_t *pairs;
	size_t cappairs;
	uint32_t *tmp;		/* a family's paragraphs, to sort */
	size_t captmp;
} cot__pscratch;

/* The hits of one text, sorted by offset, then pattern. */
typedef struct cot__hitlist {
	cot_hit *v;
	size_t n;
} cot__hitlist;

/* Build the pattern set of the options (patterns.c): the built-in
 * lexicons unless o->no_builtin_patterns, then o->patterns_file, then
 * o->patterns (NAME=REGEX, family "user"); a user pattern named like a
 * built-in replaces it. Returns COT_OK; COT_EPATTERN with err naming
 * the file, line and column (a bad regex, name or line); COT_EIO (the
 * file cannot be read); COT_ENOMEM. */
int cot__pset_new(cot__pset **out, const cot_analyzer_options *o,
		  cot_error *err);
void cot__pset_free(cot__pset *ps);
/* Find each family by name; SIZE_MAX when absent. */
size_t cot__pset_family(const cot__pset *ps, const char *name);

/* prefilter.c: the literal prefixes of a regex (false when some
 * alternative has none of at least 2 bytes, or there would be more than
 * COT__PREFIXES_MAX), and the table built from every pattern's. */
bool cot__regex_prefixes(const char *regex, cot__prefix *out, uint32_t *n);
int cot__pset_index(cot__pset *ps);

int cot__pscratch_init(const cot__pset *ps, cot__pscratch *s);
void cot__pscratch_fini(cot__pscratch *s);

/* Every match of every pattern of ps in text[0..len) (valid UTF-8):
 * per pattern, the non-overlapping non-empty matches, leftmost first,
 * each found from the end of the one before (pcre2's own order, with
 * PCRE2_NOTEMPTY). Hits live in a. full_scan forces the slow path (no
 * pre-filter), for tests. Returns COT_OK, COT_ENOMEM, or COT_ELIMIT /
 * COT_ERROR with err naming the pattern and the byte where matching
 * failed (a pcre2 error is never taken as "no match"). */
int cot__pset_scan(const cot__pset *ps, cot__pscratch *s, const char *text,
		   size_t len, cot__arena *a, bool full_scan,
		   cot__hitlist *out, cot_error *err);

/* The same matches, each given to sink as found instead of stored:
 * per pattern in ascending order, but patterns interleaved in no set
 * order. A dense trace has more matches than bytes, so what needs only
 * their statistics must not keep them. A non-zero return of sink stops
 * the scan and is returned. */
typedef int (*cot__hit_sink)(void *ctx, uint32_t pat, size_t off,
			     size_t len);
int cot__pset_scan_each(const cot__pset *ps, cot__pscratch *s,
			const char *text, size_t len, cot__hit_sink sink,
			void *ctx, cot_error *err);

#endif
