/* path.c - parse and evaluate the --field path syntax over a tape. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record/path.h"

enum step_kind { STEP_KEY, STEP_INDEX, STEP_ALL };

typedef struct step {
	enum step_kind kind;
	long index;
	char *key;
	size_t keylen;
} step;

struct cot__path {
	size_t n;
	step steps[];
};

static int bad(cot_error *err, const char *s, const char *at,
	       const char *what)
{
	return cot__error_set(err, COT_EINVAL, 0, (uint64_t)(at - s) + 1,
			      "invalid path '%s': %s at column %zu", s, what,
			      (size_t)(at - s) + 1);
}

/* Parse one bracket step at *pp (pointing at '['). */
static int parse_bracket(const char *s, const char **pp, step *st,
			 cot_error *err)
{
	const char *p = *pp + 1;

	if (*p == '*') {
		st->kind = STEP_ALL;
		p++;
	} else if (*p == '"') {
		size_t cap = strlen(p), n = 0;
		char *key = cot__malloc(cap + 1);

		if (!key)
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			key[n++] = *p;
		}
		if (*p != '"') {
			cot__free(key);
			return bad(err, s, p, "unterminated quoted key");
		}
		key[n] = '\0';
		st->kind = STEP_KEY;
		st->key = key;
		st->keylen = n;
		p++;
	} else {
		char *end;

		st->kind = STEP_INDEX;
		/* strtol alone would also take leading space and '+' */
		if (*p != '-' && (*p < '0' || *p > '9'))
			return bad(err, s, p, "expected an index, * or "
				   "a quoted key");
		errno = 0;
		st->index = strtol(p, &end, 10);
		if (end == p || (p[0] == '-' && (p[1] < '0' || p[1] > '9')))
			return bad(err, s, p, "expected an index, * or "
				   "a quoted key");
		if (errno == ERANGE)
			return bad(err, s, p, "index out of range");
		p = end;
	}
	if (*p != ']')
		return bad(err, s, p, "expected ']'");
	*pp = p + 1;
	return COT_OK;
}

int cot__path_parse(cot__path **out, const char *s, cot_error *err)
{
	size_t max = strlen(s) + 1, n = 0;
	cot__path *path;
	const char *p = s;
	int rc = COT_OK;

	*out = NULL;
	path = cot__calloc(1, sizeof *path + max * sizeof(step));
	if (!path)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	if (*p == '.')
		p++;
	if (!*p) {
		rc = bad(err, s, p, "empty path");
		goto out;
	}
	while (*p) {
		step *st = &path->steps[n];

		/* counted before it is parsed, so that an error after a
		 * quoted key was copied still frees it (steps are zeroed) */
		path->n = n + 1;
		if (*p == '[') {
			if ((rc = parse_bracket(s, &p, st, err)))
				goto out;
		} else {
			size_t len = strcspn(p, ".[]");

			if (len == 0) {
				rc = bad(err, s, p, "expected a key");
				goto out;
			}
			st->kind = STEP_KEY;
			st->key = cot__malloc(len + 1);
			if (!st->key) {
				rc = cot__error_set(err, COT_ENOMEM, 0, 0,
						    "out of memory");
				goto out;
			}
			memcpy(st->key, p, len);
			st->key[len] = '\0';
			st->keylen = len;
			p += len;
		}
		n++;
		if (*p == '.') {
			p++;
			if (!*p || *p == '.') {
				rc = bad(err, s, p, "expected a key");
				goto out;
			}
		} else if (*p && *p != '[') {
			rc = bad(err, s, p, "unexpected character");
			goto out;
		}
	}
out:
	if (rc) {
		cot__path_free(path);
		return rc;
	}
	*out = path;
	return COT_OK;
}

void cot__path_free(cot__path *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		cot__free(p->steps[i].key);
	cot__free(p);
}

static int eval(const cot__path *p, size_t i, const cot__jdoc *d,
		uint32_t t, int (*found)(void *, uint32_t), void *ctx)
{
	const step *st;
	int rc;

	if (t == COT_J_NONE)
		return 0;
	if (i == p->n)
		return found(ctx, t);
	st = &p->steps[i];
	switch (st->kind) {
	case STEP_KEY:
		return eval(p, i + 1, d,
			    cot__json_get(d, t, st->key, st->keylen),
			    found, ctx);
	case STEP_INDEX:
		return eval(p, i + 1, d, cot__json_at(d, t, st->index),
			    found, ctx);
	case STEP_ALL: {
		int kind = d->tok[t].kind;

		if (kind != COT_J_ARR && kind != COT_J_OBJ)
			return 0;
		for (uint32_t c = cot__json_first(d, t);
		     c != COT_J_NONE && c < d->tok[t].next;
		     c = d->tok[kind == COT_J_OBJ ? c + 1 : c].next) {
			uint32_t v = kind == COT_J_OBJ ? c + 1 : c;

			if ((rc = eval(p, i + 1, d, v, found, ctx)))
				return rc;
		}
		return 0;
	}
	}
	return 0;
}

int cot__path_eval(const cot__path *p, const cot__jdoc *d, uint32_t root,
		   int (*found)(void *ctx, uint32_t tok), void *ctx)
{
	return eval(p, 0, d, root, found, ctx);
}
