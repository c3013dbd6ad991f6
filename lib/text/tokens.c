/* tokens.c - the tokenizer as the library's users see it: loaded by
 * file, folder or model id, and one encoder per thread. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "text/hub.h"
#include "text/tokens.h"

struct cot_tokenizer {
	cot__tokenizer *t;
	char *path;
};

struct cot_encoder {
	const cot__tokenizer *t;
	cot__tok_scratch *s;
	uint32_t *ids;
	size_t cap;
};

/* The file name names: itself, name/tokenizer.json for a folder, or
 * the cached file of a model id when nothing of that name exists. */
static int resolve(cot__sbuf *path, const char *name, cot_error *err)
{
	struct stat st;

	if (stat(name, &st) == 0)
		return S_ISDIR(st.st_mode) ?
		       cot__sbuf_addf(path, "%s/tokenizer.json", name) :
		       cot__sbuf_addf(path, "%s", name);
	if (errno != ENOENT || !cot__hub_is_model_id(name))
		return cot__error_set(err, COT_EIO, 0, 0, "%.200s: %s", name,
				      strerror(errno));
	return cot__hub_find(path, name, "tokenizer.json", err);
}

int cot_tokenizer_load(cot_tokenizer **out, const char *name,
		       cot_error *err)
{
	cot__sbuf path = COT_BUF_INIT;
	cot_tokenizer *tok;
	int rc;

	*out = NULL;
	if (!name)
		return cot__error_set(err, COT_EINVAL, 0, 0, "no tokenizer");
	if ((rc = resolve(&path, name, err))) {
		cot__sbuf_dispose(&path);
		return rc == COT_ENOMEM ?
		       cot__error_set(err, rc, 0, 0, "out of memory") : rc;
	}
	tok = cot__calloc(1, sizeof *tok);
	if (!tok) {
		cot__sbuf_dispose(&path);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	tok->path = path.ptr;
	if ((rc = cot__tokenizer_load(&tok->t, tok->path, err))) {
		cot_tokenizer_free(tok);
		return rc;
	}
	*out = tok;
	return COT_OK;
}

void cot_tokenizer_free(cot_tokenizer *tok)
{
	if (!tok)
		return;
	cot__tokenizer_free(tok->t);
	cot__free(tok->path);
	cot__free(tok);
}

const char *cot_tokenizer_path(const cot_tokenizer *tok)
{
	return tok->path;
}

const cot__tokenizer *cot__tokenizer_of(const cot_tokenizer *tok)
{
	return tok ? tok->t : NULL;
}

int cot_encoder_new(cot_encoder **out, const cot_tokenizer *tok,
		    cot_error *err)
{
	cot_encoder *enc;

	*out = NULL;
	if (!tok)
		return cot__error_set(err, COT_EINVAL, 0, 0, "no tokenizer");
	enc = cot__calloc(1, sizeof *enc);
	if (!enc || cot__tok_scratch_new(&enc->s, tok->t)) {
		cot__free(enc);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	enc->t = tok->t;
	*out = enc;
	return COT_OK;
}

void cot_encoder_free(cot_encoder *enc)
{
	if (!enc)
		return;
	cot__tok_scratch_free(enc->s);
	cot__free(enc->ids);
	cot__free(enc);
}

int cot__encode_status(int rc, cot_error *err)
{
	if (rc == COT_ENOMEM)
		return cot__error_set(err, rc, 0, 0, "out of memory");
	if (rc)
		return cot__error_set(err, rc, 0, 0, "tokenizer: a "
				      "pre-tokenizer regex hit a PCRE2 "
				      "limit");
	return COT_OK;
}

int cot_encode(cot_encoder *enc, const char *text, size_t len,
	       const uint32_t **ids, size_t *count, cot_error *err)
{
	size_t n = 0;
	int rc = cot__tokenize(enc->t, enc->s, text, len,
			       ids ? &enc->ids : NULL, &n, &enc->cap);

	*count = rc ? 0 : n;
	if (ids)
		*ids = rc ? NULL : enc->ids;
	return cot__encode_status(rc, err);
}
