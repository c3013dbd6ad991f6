/* json_compare.c - the JSON scanner's values against jansson's. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_compare.h"

/* Integers beyond long long and reals beyond double: jansson rejects
 * them, SPEC 1 accepts them. */
static bool num_beyond_jansson(const char *s, size_t n)
{
	char tmp[512], *p = tmp, *end;
	bool real = memchr(s, '.', n) || memchr(s, 'e', n) ||
		    memchr(s, 'E', n), r;

	/* a long number may still fit (0.000...1): convert it all */
	if (n >= sizeof tmp && !(p = malloc(n + 1)))
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	errno = 0;
	if (real) {
		double v = strtod(p, &end);

		r = errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL);
	} else {
		(void)strtoll(p, &end, 10);
		r = errno == ERANGE;
	}
	if (p != tmp)
		free(p);
	return r;
}

/* s[0..n) is the inside of a string token, escapes still in. */
static bool has_lone_surrogate(const char *s, size_t n)
{
	size_t i = 0;

	while (i + 1 < n) {
		unsigned long cp, lo;
		char h[5];

		if (s[i] != '\\') {
			i++;
			continue;
		}
		if (s[i + 1] != 'u') {
			i += 2;
			continue;
		}
		memcpy(h, s + i + 2, 4);
		h[4] = '\0';
		cp = strtoul(h, NULL, 16);
		i += 6;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return true;
		if (cp < 0xd800 || cp > 0xdbff)
			continue;
		if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u')
			return true;
		memcpy(h, s + i + 2, 4);
		lo = strtoul(h, NULL, 16);
		if (lo < 0xdc00 || lo > 0xdfff)
			return true;
		i += 6;
	}
	return false;
}

static bool known_difference(const cot__jdoc *d, uint32_t t, int depth,
			     cot__arena *a)
{
	const cot__jtok *k = &d->tok[t];
	const char *s;
	size_t n;
	uint32_t c;

	if (k->count && depth == COT_J_MAX_DEPTH - 1)
		return true;
	switch (k->kind) {
	case COT_J_NUM:
		return num_beyond_jansson(d->src + k->off, k->end - k->off);
	case COT_J_STR:
		return k->escaped && has_lone_surrogate(d->src + k->off + 1,
							k->end - k->off - 2);
	case COT_J_ARR:
		for (c = cot__json_first(d, t); c != COT_J_NONE && c < k->next;
		     c = d->tok[c].next)
			if (known_difference(d, c, depth + 1, a))
				return true;
		return false;
	case COT_J_OBJ:
		for (c = cot__json_first(d, t); c != COT_J_NONE && c < k->next;
		     c = d->tok[c + 1].next) {
			if (cot__json_str(d, c, a, &s, &n) != COT_OK)
				abort();
			if (memchr(s, '\0', n) ||
			    known_difference(d, c, depth + 1, a) ||
			    known_difference(d, c + 1, depth + 1, a))
				return true;
		}
		return false;
	}
	return false;
}

bool jcmp_known_difference(const cot__jdoc *d, uint32_t t, cot__arena *a)
{
	return known_difference(d, t, 0, a);
}

bool jcmp_same_value(const cot__jdoc *d, uint32_t t, const json_t *j,
		     cot__arena *a)
{
	const cot__jtok *k = &d->tok[t];
	const char *s, *key;
	size_t n, klen, distinct = 0;
	uint32_t c, v;
	json_t *jv;
	char num[512];

	switch (k->kind) {
	case COT_J_NULL:
		return json_is_null(j);
	case COT_J_TRUE:
		return json_is_true(j);
	case COT_J_FALSE:
		return json_is_false(j);
	case COT_J_NUM:
		n = k->end - k->off;
		if (n >= sizeof num)
			return json_is_number(j);
		memcpy(num, d->src + k->off, n);
		num[n] = '\0';
		if (json_is_integer(j))
			return !strpbrk(num, ".eE") &&
			       json_integer_value(j) == strtoll(num, NULL, 10);
		return json_is_real(j) && strpbrk(num, ".eE") &&
		       json_real_value(j) == strtod(num, NULL);
	case COT_J_STR:
		if (!json_is_string(j) ||
		    cot__json_str(d, t, a, &s, &n) != COT_OK)
			return false;
		return n == json_string_length(j) &&
		       memcmp(s, json_string_value(j), n) == 0 &&
		       cot__json_str_eq(d, t, json_string_value(j), n);
	case COT_J_ARR:
		if (!json_is_array(j) || json_array_size(j) != k->count)
			return false;
		n = 0;
		for (c = cot__json_first(d, t); c != COT_J_NONE && c < k->next;
		     c = d->tok[c].next)
			if (!jcmp_same_value(d, c, json_array_get(j, n++), a))
				return false;
		return true;
	case COT_J_OBJ:
		if (!json_is_object(j))
			return false;
		/* jansson keeps the last duplicate, as cot__json_get does:
		 * compare through lookups, and count distinct keys. */
		for (c = cot__json_first(d, t); c != COT_J_NONE && c < k->next;
		     c = d->tok[c + 1].next) {
			if (cot__json_str(d, c, a, &key, &klen) != COT_OK)
				return false;
			v = cot__json_get(d, t, key, klen);
			jv = json_object_getn(j, key, klen);
			if (v == COT_J_NONE || !jv ||
			    !jcmp_same_value(d, v, jv, a))
				return false;
			if (v == c + 1)
				distinct++;
		}
		return distinct == json_object_size(j);
	}
	return false;
}

bool jcmp_jansson_skipped_nul(const char *s, size_t n, const json_t *j)
{
	char *t = malloc(n ? n : 1);
	size_t i, m = 0;
	cot__jdoc d;
	cot__arena a;
	bool r, any = false;

	if (!t)
		abort();
	for (i = 0; i < n; i++) {
		if (s[i] == '\0' && m && isalnum((unsigned char)t[m - 1])) {
			any = true;
			continue;
		}
		t[m++] = s[i];
	}
	cot__jdoc_init(&d);
	cot__arena_init(&a);
	r = any && cot__json_parse(&d, t, m, NULL) == COT_OK &&
	    jcmp_same_value(&d, 0, j, &a);
	cot__arena_dispose(&a);
	cot__jdoc_dispose(&d);
	free(t);
	return r;
}
