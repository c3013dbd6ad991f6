/* hub.h - where the local Hugging Face cache keeps a model's file. */
#ifndef COT_HUB_H
#define COT_HUB_H

#include "base/internal.h"

/* Whether id reads as a hub model id: NAME or OWNER/NAME of letters,
 * digits, '-', '_', '.', no part starting with '.' or '-'. */
bool cot__hub_is_model_id(const char *id);

/* The path of file (e.g. "tokenizer.json") of model id in the local
 * cache, into out: that of the snapshot refs/main names when there is
 * a refs/main, else of the only snapshot that holds the file. Returns COT_OK, COT_EIO (not there:
 * the message says where it looked and how to download it) or
 * COT_ENOMEM. */
int cot__hub_find(cot__sbuf *out, const char *id, const char *file,
		  cot_error *err);

#endif
