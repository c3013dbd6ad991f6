/* fuzz_json.c - libFuzzer target: the JSON scanner against jansson. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "record/json.h"
#include "json_compare.h"

/* Any input: the scanner must not crash, leak or read out of bounds
 * (libFuzzer hands over a buffer of exactly `size` bytes), its tape must
 * be well formed, and where jansson also accepts the text every decoded
 * string, number and structure must match. Verdicts must agree except
 * where jansson is known to be wrong (SPEC 1: big numbers, lone
 * surrogates, NUL in keys; depth counting; a NUL after a number). */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

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
		CHECK(jcmp_same_value(&d, 0, j, &a));
	else if (rc == COT_OK)
		CHECK(jcmp_known_difference(&d, 0, &a));
	else if (j)
		CHECK(jcmp_jansson_skipped_nul(src, size, j));
	json_decref(j);
	cot__arena_dispose(&a);
	cot__jdoc_dispose(&d);
	return 0;
}
