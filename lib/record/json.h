/* json.h - a validating, zero-copy JSON scanner that builds a flat tape. */
#ifndef COT_JSON_H
#define COT_JSON_H

#include "base/internal.h"

/* The hot path reads records through this scanner, not jansson: one pass
 * over the bytes validates the text (RFC 8259, UTF-8) and records every
 * value as a token; strings are decoded only when asked for. */

enum cot__jkind {
	COT_J_NULL = 0,
	COT_J_FALSE,
	COT_J_TRUE,
	COT_J_NUM,
	COT_J_STR,
	COT_J_ARR,
	COT_J_OBJ,
};

#define COT_J_NONE UINT32_MAX	/* "no such token" */
#define COT_J_MAX_DEPTH 2048	/* deeper nesting is malformed (README "Input") */

typedef struct cot__jtok {
	uint8_t kind;		/* enum cot__jkind */
	uint8_t escaped;	/* COT_J_STR: the raw text holds a backslash */
	uint32_t next;		/* index of the token after this whole value */
	uint32_t count;		/* ARR: elements; OBJ: members; else 0 */
	uint32_t keys;		/* OBJ: cot__json_key_bit of each key, or'd
				 * (all bits when one is escaped) */
	size_t off;		/* first byte: '"', '[', '{', '-', digit, 't' ... */
	size_t end;		/* one past the last byte ('"'+1, ']'+1, ...) */
} cot__jtok;

/* The tape of one JSON text. Tokens are in document order: a container is
 * followed by its children; in an object each member is a COT_J_STR key
 * token immediately followed by its value's tokens. tok[0] is the root. */
typedef struct cot__jdoc {
	const char *src;	/* the text parsed (borrowed) */
	size_t len;
	cot__jtok *tok;
	uint32_t ntok;
	uint32_t cap;
} cot__jdoc;

/* A bit for a key of n raw bytes (between its quotes): a look-up of a
 * key an object does not have, what format detection mostly does, is
 * then one test instead of a walk over the object's keys. */
static inline uint32_t cot__json_key_bit(const char *k, size_t n)
{
	return n ? 1u << ((n * 7 + (unsigned char)k[0] * 3 +
			   (unsigned char)k[n - 1]) & 31) : 1u;
}

void cot__jdoc_init(cot__jdoc *d);
void cot__jdoc_dispose(cot__jdoc *d);

/* Parse exactly one JSON value, with optional JSON white space (space, tab,
 * LF, CR) around it, from src[0..len). Reuses d's token storage.
 * Accepts every valid JSON text: integers of any size and numbers beyond
 * double range (they are only spans), "\u0000", lone surrogate escapes,
 * duplicate keys. Rejects: invalid JSON (NaN, Infinity, trailing commas,
 * single quotes, comments, control characters in strings, ...), invalid
 * UTF-8 anywhere, nesting deeper than COT_J_MAX_DEPTH, and any byte after
 * the value other than white space.
 * Returns COT_OK, COT_EPARSE (err->column = 1-based byte position of the
 * problem within src, err->message e.g. "invalid UTF-8 byte 0xff in
 * string at column 17"), or COT_ENOMEM. */
int cot__json_parse(cot__jdoc *d, const char *src, size_t len,
		    cot_error *err);

/* Object member lookup by exact (decoded) key; the last duplicate wins.
 * Returns the value's token index or COT_J_NONE (also when obj is not an
 * object or is COT_J_NONE). */
uint32_t cot__json_get(const cot__jdoc *d, uint32_t obj, const char *key,
		       size_t keylen);
/* Array element by index; negative indexes count from the end (-1 last).
 * COT_J_NONE when out of range or not an array. */
uint32_t cot__json_at(const cot__jdoc *d, uint32_t arr, long idx);
/* First child of a container (an object's first key), or COT_J_NONE.
 * The next sibling of child c is d->tok[c].next while it is < the
 * container's next; for objects step key -> value (key+1) -> next key
 * (d->tok[key+1].next). */
uint32_t cot__json_first(const cot__jdoc *d, uint32_t container);

/* The decoded content of string token t: in place (pointing into d->src)
 * when it has no escapes, else decoded into arena a. Lone surrogate
 * escapes become U+FFFD, "\u0000" a NUL byte. Returns COT_OK or
 * COT_ENOMEM (or COT_EINVAL when t is not a string). */
int cot__json_str(const cot__jdoc *d, uint32_t t, cot__arena *a,
		  const char **s, size_t *len);
/* Does string token t decode to exactly lit[0..n)? No allocation. */
bool cot__json_str_eq(const cot__jdoc *d, uint32_t t, const char *lit,
		      size_t n);

/* Convenience: kind of token t, or -1 for COT_J_NONE. */
static inline int cot__json_kind(const cot__jdoc *d, uint32_t t)
{
	return t == COT_J_NONE ? -1 : d->tok[t].kind;
}

#endif
