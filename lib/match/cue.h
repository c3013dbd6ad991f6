/* cue.h - cue phrases at the opening of a unit: lookup tables. */
#ifndef COT_CUE_H
#define COT_CUE_H

#include "match/lexicon.h"

typedef struct cot__cue_ent {
	const char *p;		/* the phrase (static data), lower case */
	uint32_t n;		/* its bytes */
	uint8_t cls;
	uint64_t word, mask;	/* its first bytes, up to 8: a quick test
				 * that, passed, leaves only the rest to
				 * compare */
} cot__cue_ent;

/* A phrase of 8 bytes or more is found by its first 8 in a hash table
 * (a hundred phrases begin "let me", and each would have been tried
 * against every paragraph that does); a shorter one by its first two
 * bytes, among few. */
typedef struct cot__cue_bucket {
	uint64_t key;		/* the first 8 bytes */
	uint32_t at, n;		/* its phrases: lng[at .. at + n); n = 0:
				 * an empty slot */
} cot__cue_bucket;

/* A set of cue phrases. Entries borrow the phrases: build from static
 * data only. */
typedef struct cot__cueset {
	cot__cue_ent *v;	/* as added; then the phrases under 8 bytes,
				 * by first two bytes, then longest first */
	size_t n, cap;
	size_t nshort;		/* v[0..nshort) */
	cot__cue_ent *lng;	/* the others, by first 8 bytes, then longest
				 * first */
	cot__cue_bucket *bucket;
	uint32_t bucket_mask;
	/* the distinct first two bytes (b0 << 8 | b1) of the short phrases,
	 * in order; v[at[k]..at[k + 1]) start with pairs[k]; pairs starting
	 * with byte b are pairs[first[b]..first[b + 1]) */
	uint16_t *pairs;
	uint32_t *at;
	uint32_t first[257];
	uint8_t lead[256];	/* some phrase begins with this byte */
	uint8_t single[256];	/* some phrase is this byte alone */
} cot__cueset;

/* Add phrase p[0..n) of class cls; then cot__cueset_finish. Returns
 * COT_OK or COT_ENOMEM. */
int cot__cueset_add(cot__cueset *cs, const char *p, size_t n, int cls);
/* Add every phrase of a '|'-separated list. */
int cot__cueset_add_list(cot__cueset *cs, const char *phrases, int cls);
/* Add a NULL-terminated cue table. */
int cot__cueset_add_table(cot__cueset *cs, const cot__cue *cues);
/* Sort and index; the set is read-only after this. Returns COT_OK or
 * COT_ENOMEM. */
int cot__cueset_finish(cot__cueset *cs);
void cot__cueset_free(cot__cueset *cs);

/* The longest phrase of cs that matches text[pos..end) there (of a
 * phrase listed twice, the lower class): caseless for ASCII letters, an
 * apostrophe in a phrase matching ' or U+2019, a
 * phrase that begins (ends) with an ASCII letter or digit not preceded
 * (followed) by a letter, digit or underscore. Returns the bytes of
 * text it covers and its class in *cls, or 0 when none matches. */
size_t cot__cue_at(const cot__cueset *cs, const char *text, size_t pos,
		   size_t end, int *cls);

/* The opening of the unit text[start..end): the first byte after
 * White_Space, the markdown marks * _ # > ` and one list marker (- + or
 * U+2022 followed by White_Space; 1 to 3 digits then . or ) then
 * White_Space), repeated while any of them is found. */
size_t cot__opening(const char *text, size_t start, size_t end);

/* Past the punctuation and White_Space after a cue: , . ! ? ; : - * _
 * and U+2026 U+2013 U+2014 U+3001 U+3002 U+FF0C U+FF01 U+FF1F. */
size_t cot__after_cue(const char *text, size_t pos, size_t end);

/* Is the character at text[pos..end) a word character (a letter,
 * digit or underscore, as \w under Unicode rules, approximately: a
 * non-ASCII character that is not White_Space nor punctuation)? */
bool cot__word_char_at(const char *text, size_t pos, size_t end);

#endif
