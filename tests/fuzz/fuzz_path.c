/* fuzz_path.c - libFuzzer target: --field paths against a reference.
 *
 * Input: a path, a NUL byte, then a JSON text (no NUL: the path alone,
 * over a fixed record). The path parser must not crash and must point
 * inside the path when it refuses one; an accepted path is evaluated on
 * the tape and, where jansson reads the text too, must find exactly the
 * values that a second evaluator finds: the path grammar of path.h
 * written again here over jansson, sharing no code with lib/record/path.c. */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "record/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static const char fixed[] =
	"{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
	"{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\","
	"\"thinking\":\"t\"},{\"type\":\"text\",\"text\":\"a\"}]}],"
	"\"a.b\":{\"c]\":[1,2,[3]]},\"\":{\"\":0}}";

/* The reference: a path is a list of steps, parsed from the grammar in
 * path.h by a different route (index and key scanned by hand). */
enum { KEY, INDEX, ALL };
struct rstep {
	int kind;
	long long index;
	char *key;
};

/* 0 when s is not a path (the position is not compared: only the
 * verdict). Steps go to out (room for strlen(s) + 1). */
static int ref_parse(const char *s, struct rstep *out, size_t *n)
{
	size_t i = 0, len = strlen(s);

	*n = 0;
	if (s[0] == '.')
		i = 1;
	if (i == len)
		return 0;
	while (i < len) {
		struct rstep *st = &out[(*n)++];

		st->key = NULL;
		if (s[i] == '[') {
			i++;
			if (s[i] == '*') {
				st->kind = ALL;
				i++;
			} else if (s[i] == '"') {
				size_t k = 0;

				st->kind = KEY;
				st->key = malloc(len + 1);
				CHECK(st->key);
				for (i++; i < len && s[i] != '"'; i++) {
					if (s[i] == '\\' && i + 1 < len &&
					    (s[i + 1] == '"' ||
					     s[i + 1] == '\\'))
						i++;
					st->key[k++] = s[i];
				}
				st->key[k] = '\0';
				if (i == len)
					return 0;
				i++;
			} else {
				bool neg = s[i] == '-';
				unsigned long long v = 0;
				size_t d0;

				st->kind = INDEX;
				if (neg)
					i++;
				d0 = i;
				for (; s[i] >= '0' && s[i] <= '9'; i++) {
					if (v > (ULLONG_MAX - 9) / 10)
						return 0;
					v = v * 10 + (unsigned)(s[i] - '0');
				}
				if (i == d0)
					return 0;
				/* the range of long, as the parser's strtol */
				if (neg ? v > (unsigned long long)LONG_MAX + 1
					: v > (unsigned long long)LONG_MAX)
					return 0;
				st->index = neg ? -(long long)(v - 1) - 1
						: (long long)v;
			}
			if (s[i] != ']')
				return 0;
			i++;
		} else {
			size_t k = i;

			while (k < len && s[k] != '.' && s[k] != '[' &&
			       s[k] != ']')
				k++;
			if (k == i)
				return 0;
			st->kind = KEY;
			st->key = strndup(s + i, k - i);
			CHECK(st->key);
			i = k;
		}
		if (s[i] == '.') {
			i++;
			if (i == len || s[i] == '.')
				return 0;
		} else if (i < len && s[i] != '[') {
			return 0;
		}
	}
	return 1;
}

struct found {
	json_t **v;
	size_t n, cap;
};

static void keep(struct found *f, json_t *v)
{
	if (f->n == f->cap) {
		f->cap = f->cap * 2 + 16;
		f->v = realloc(f->v, f->cap * sizeof *f->v);
		CHECK(f->v);
	}
	f->v[f->n++] = v;
}

static void ref_eval(const struct rstep *st, size_t n, json_t *v,
		     struct found *f)
{
	if (!v)
		return;
	if (n == 0) {
		keep(f, v);
		return;
	}
	switch (st->kind) {
	case KEY:
		ref_eval(st + 1, n - 1, json_object_get(v, st->key), f);
		break;
	case INDEX: {
		long long len, k = st->index;

		if (!json_is_array(v))
			return;
		len = (long long)json_array_size(v);
		if (k < 0)
			k += len;
		if (k >= 0 && k < len)
			ref_eval(st + 1, n - 1, json_array_get(v, (size_t)k),
				 f);
		break;
	}
	case ALL:
		if (json_is_array(v)) {
			for (size_t i = 0; i < json_array_size(v); i++)
				ref_eval(st + 1, n - 1, json_array_get(v, i),
					 f);
		} else if (json_is_object(v)) {
			const char *k;
			json_t *m;

			json_object_foreach(v, k, m)
				ref_eval(st + 1, n - 1, m, f);
		}
		break;
	}
}

static int collect(void *ctx, uint32_t tok)
{
	keep(ctx, (json_t *)(uintptr_t)(tok + 1));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	char *path = strndup((const char *)data, plen);
	const char *doc = nul ? (const char *)nul + 1 : fixed;
	size_t dlen = nul ? size - plen - 1 : strlen(fixed);
	struct rstep *steps = calloc(plen + 2, sizeof *steps);
	size_t nsteps;
	cot__path *p = NULL;
	cot__jdoc d;
	cot_error err;
	int rc, ref_ok;

	CHECK(path && steps);
	rc = cot__path_parse(&p, path, &err);
	ref_ok = ref_parse(path, steps, &nsteps);
	CHECK(rc == COT_OK || rc == COT_EINVAL);
	CHECK((rc == COT_OK) == (ref_ok == 1));
	if (rc == COT_EINVAL)
		CHECK(err.column >= 1 && err.column <= plen + 1 &&
		      err.message[0] != '\0');
	cot__jdoc_init(&d);
	if (rc == COT_OK && cot__json_parse(&d, doc, dlen, &err) == COT_OK) {
		struct found mine = { 0 }, ref = { 0 };
		json_error_t je;
		/* jansson cannot hold every JSON text: duplicate keys,
		 * NUL in keys, lone surrogates and big integers are read
		 * otherwise or refused; compare only where it agrees */
		json_t *root = json_loadb(doc, dlen,
					  JSON_DECODE_ANY |
					  JSON_REJECT_DUPLICATES |
					  JSON_ALLOW_NUL, &je);

		CHECK(cot__path_eval(p, &d, 0, collect, &mine) == 0);
		for (size_t i = 0; i < mine.n; i++)
			CHECK((uintptr_t)mine.v[i] - 1 < d.ntok);
		if (root) {
			ref_eval(steps, nsteps, root, &ref);
			CHECK(mine.n == ref.n);
			for (size_t i = 0; i < mine.n; i++) {
				const cot__jtok *t =
					&d.tok[(uintptr_t)mine.v[i] - 1];
				json_t *v = json_loadb(doc + t->off,
						       t->end - t->off,
						       JSON_DECODE_ANY |
						       JSON_ALLOW_NUL, &je);

				CHECK(v && json_equal(v, ref.v[i]));
				json_decref(v);
			}
			json_decref(root);
		}
		free(mine.v);
		free(ref.v);
	}
	cot__jdoc_dispose(&d);
	cot__path_free(p);
	for (size_t i = 0; i < plen + 2; i++)
		free(steps[i].key);
	free(steps);
	free(path);
	return 0;
}
