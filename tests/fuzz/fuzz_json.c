/* fuzz_json.c - libFuzzer target: the JSON scanner against jansson. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json.h"

/* Any input: the scanner must not crash, leak or read out of bounds
 * (libFuzzer hands over a buffer of exactly `size` bytes), its tape must
 * be well formed, and where jansson also accepts the text every decoded
 * string, number and structure must match. Verdicts must agree except
 * where jansson is known to be wrong (SPEC 1: big numbers, lone
 * surrogates, NUL in keys; depth counting; a NUL after a number). */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static bool big_number(const char *s, size_t n)
{
	char tmp[512];
	bool real = memchr(s, '.', n) || memchr(s, 'e', n) ||
		    memchr(s, 'E', n);
	double v;

	if (n >= sizeof tmp)
		return true;	/* surely beyond 64 bits or a double */
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	if (!real) {
		(void)strtoll(tmp, NULL, 10);
		return errno == ERANGE;
	}
	v = strtod(tmp, NULL);
	return errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL);
}

static bool lone_surrogate(const char *s, size_t n)
{
	size_t i = 0;
	unsigned long cp, lo;
	char h[5] = { 0 };

	while (i + 1 < n) {
		if (s[i] != '\\' || s[i + 1] != 'u') {
			i += s[i] == '\\' ? 2 : 1;
			continue;
		}
		memcpy(h, s + i + 2, 4);
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

/* Valid JSON below t that jansson rejects. */
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
		return big_number(d->src + k->off, k->end - k->off);
	case COT_J_STR:
		return k->escaped && lone_surrogate(d->src + k->off + 1,
						    k->end - k->off - 2);
	case COT_J_ARR:
		for (c = t + 1; c < k->next; c = d->tok[c].next)
			if (known_difference(d, c, depth + 1, a))
				return true;
		break;
	case COT_J_OBJ:
		for (c = t + 1; c < k->next; c = d->tok[c + 1].next) {
			CHECK(cot__json_str(d, c, a, &s, &n) == COT_OK);
			if (memchr(s, '\0', n) ||
			    known_difference(d, c, depth + 1, a) ||
			    known_difference(d, c + 1, depth + 1, a))
				return true;
		}
		break;
	}
	return false;
}

/* Tape invariants below t, and every string decodes and compares equal
 * to itself; returns t's next. */
static uint32_t check_tape(const cot__jdoc *d, uint32_t t, cot__arena *a)
{
	const cot__jtok *k = &d->tok[t];
	const char *s;
	size_t n;
	uint32_t c = t + 1, cnt = 0;

	CHECK(t < d->ntok && k->next > t && k->next <= d->ntok);
	CHECK(k->off < k->end && k->end <= d->len);
	switch (k->kind) {
	case COT_J_STR:
		CHECK(d->src[k->off] == '"' && d->src[k->end - 1] == '"');
		CHECK(cot__json_str(d, t, a, &s, &n) == COT_OK);
		CHECK(n <= k->end - k->off - 2);
		CHECK(cot__json_str_eq(d, t, s, n));
		CHECK(!cot__json_str_eq(d, t, s, n + 1));
		/* fall through */
	case COT_J_NULL:
	case COT_J_TRUE:
	case COT_J_FALSE:
	case COT_J_NUM:
		CHECK(k->next == t + 1 && k->count == 0);
		return k->next;
	case COT_J_ARR:
		for (; c < k->next; c = check_tape(d, c, a)) {
			CHECK(cot__json_at(d, t, (long)cnt) == c);
			cnt++;
		}
		break;
	case COT_J_OBJ:
		for (; c < k->next; c = check_tape(d, c + 1, a)) {
			CHECK(d->tok[c].kind == COT_J_STR);
			cnt++;
		}
		break;
	default:
		abort();
	}
	CHECK(c == k->next && cnt == k->count);
	return k->next;
}

static bool same_value(const cot__jdoc *d, uint32_t t, const json_t *j,
		       cot__arena *a)
{
	const cot__jtok *k = &d->tok[t];
	const char *s;
	size_t n, distinct = 0;
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
		       memcmp(s, json_string_value(j), n) == 0;
	case COT_J_ARR:
		if (!json_is_array(j) || json_array_size(j) != k->count)
			return false;
		n = 0;
		for (c = t + 1; c < k->next; c = d->tok[c].next)
			if (!same_value(d, c, json_array_get(j, n++), a))
				return false;
		return true;
	case COT_J_OBJ:
		if (!json_is_object(j))
			return false;
		/* Both keep the last duplicate: compare through lookups. */
		for (c = t + 1; c < k->next; c = d->tok[c + 1].next) {
			if (cot__json_str(d, c, a, &s, &n) != COT_OK)
				return false;
			v = cot__json_get(d, t, s, n);
			jv = json_object_getn(j, s, n);
			if (v == COT_J_NONE || !jv || !same_value(d, v, jv, a))
				return false;
			distinct += v == c + 1;
		}
		return distinct == json_object_size(j);
	}
	return false;
}

/* jansson skips a NUL byte right after a number or literal (it puts the
 * lookahead byte back and then takes NUL for an empty buffer). */
static bool jansson_skipped_nul(const char *s, size_t n, const json_t *j)
{
	char *t = malloc(n ? n : 1);
	size_t i, m = 0;
	cot__jdoc d;
	cot__arena a;
	bool r, any = false;

	CHECK(t);
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
	    same_value(&d, 0, j, &a);
	cot__arena_dispose(&a);
	cot__jdoc_dispose(&d);
	free(t);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	cot__jdoc d;
	cot__arena a;
	cot_error err;
	json_error_t jerr;
	json_t *j;
	int rc;

	cot__jdoc_init(&d);
	cot__arena_init(&a);
	rc = cot__json_parse(&d, src, size, &err);
	if (rc == COT_OK) {
		CHECK(check_tape(&d, 0, &a) == d.ntok);
	} else {
		CHECK(rc == COT_EPARSE && err.code == COT_EPARSE);
		CHECK(d.ntok == 0 && err.message[0]);
		CHECK(err.column >= 1 && err.column <= size + 1);
	}
	j = json_loadb(src, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (rc == COT_OK && j)
		CHECK(same_value(&d, 0, j, &a));
	else if (rc == COT_OK)
		CHECK(known_difference(&d, 0, 0, &a));
	else if (j)
		CHECK(jansson_skipped_nul(src, size, j));
	json_decref(j);
	cot__arena_dispose(&a);
	cot__jdoc_dispose(&d);
	return 0;
}
