/* tokenizer.h - token ids of a text as a byte-level BPE tokenizer of
 * Hugging Face `tokenizers` gives them, from its tokenizer.json. */
#ifndef COT_TOKENIZER_H
#define COT_TOKENIZER_H

#include "base/internal.h"

/* A loaded tokenizer: read-only once loaded, so threads share one. */
typedef struct cot__tokenizer cot__tokenizer;

/* Load the tokenizer.json at path. What the encoder of `tokenizers`
 * (encode with add_special_tokens false) does with it must be known to
 * us exactly, so anything else is refused rather than approximated: a
 * BPE model over byte-level pieces (no dropout, no byte fallback, no
 * subword prefix or suffix), a normalizer that is none or NFC, Split
 * pre-tokenizers (a regex, Isolated) ending in ByteLevel, added tokens
 * without lstrip, rstrip or single_word. Returns COT_OK; COT_EIO when
 * the file cannot be read; COT_EPARSE when it is not JSON or asks for
 * what we refuse (the message says what); COT_ENOMEM. */
int cot__tokenizer_load(cot__tokenizer **out, const char *path,
			cot_error *err);
/* The same from the JSON text buf[0..n), called name in messages. */
int cot__tokenizer_load_buffer(cot__tokenizer **out, const char *buf,
			       size_t n, const char *name, cot_error *err);
void cot__tokenizer_free(cot__tokenizer *t);

/* What one thread needs to tokenize: match data, work arrays, and a
 * cache of the ids of recent pre-tokens (pieces after the split, before
 * BPE) of fixed size: 8192 entries of 64 bytes, 512 KiB, two per set by
 * hash, the oldest of a set overwritten; pre-tokens of more than 26
 * bytes or 8 ids bypass it. It holds what BPE gave for the same bytes,
 * so it changes no result. */
typedef struct cot__tok_scratch cot__tok_scratch;
int cot__tok_scratch_new(cot__tok_scratch **out, const cot__tokenizer *t);
void cot__tok_scratch_free(cot__tok_scratch *s);

/* The ids of text[0..n) (any bytes: what is not UTF-8 reads as U+FFFD,
 * one for each maximal ill-formed subpart), appended to *ids, a
 * cot__realloc'ed array of *cap entries of which *nids are used; with
 * ids NULL only *nids grows by their number. Returns COT_OK,
 * COT_ENOMEM, or COT_ELIMIT when a regex hits a PCRE2 limit. */
int cot__tokenize(const cot__tokenizer *t, cot__tok_scratch *s,
		  const char *text, size_t n, uint32_t **ids, size_t *nids,
		  size_t *cap);

/* Tests: split with PCRE2 at every level, not the scanners. */
void cot__tok_scratch_pcre2(cot__tok_scratch *s, bool on);

/* How many pre-tokens s has looked up in its cache, and found. */
void cot__tok_cache_stats(const cot__tok_scratch *s, uint64_t *lookups,
			  uint64_t *hits);

/* Whether cp was assigned in Unicode 9.0, the version of the crate's
 * NFC tables (unicode9.c, generated). */
bool cot__unicode9(uint32_t cp);

#endif
