/* tokens.h - what the passes need of the public tokenizer (tokens.c). */
#ifndef COT_TOKENS_H
#define COT_TOKENS_H

#include "text/tokenizer.h"

/* The tokenizer a cot_tokenizer holds; NULL for NULL. */
const cot__tokenizer *cot__tokenizer_of(const cot_tokenizer *tok);
/* rc of cot__tokenize as a status with err set. */
int cot__encode_status(int rc, cot_error *err);

#endif
