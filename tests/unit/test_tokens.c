/* test_tokens.c - the tokenizer's C API (include/cotlog.h, "Tokens")
 * on our own tokenizers, tests/data/tokens/tiny.json and
 * tiny-ignore.json (written by tests/tokens/make_tiny.py): known ids,
 * counts, borrowed ids, errors, the analyzer options of versions 1 to
 * 3, one tokenizer shared by threads, and out of memory at every
 * allocation.
 *
 * The expected ids below were made once with tests/tokens/tiny_ref.py,
 * a plain Python tokenizer that shares no code with lib/text/:
 *   python3 -c 'import sys; sys.path.insert(0, "tests/tokens");
 *     from tiny_ref import Ref;
 *     print(Ref("tests/data/tokens/tiny.json").encode(TEXT))'
 * (tests/cli/test_tokens.py checks the two agree on thousands of
 * generated texts); regenerate them if make_tiny.py changes. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cotlog.h"
#include "base/internal.h"	/* cot__alloc_fail_after, for the OOM loops */

typedef struct known {
	const char *text;
	size_t len;
	size_t n;
	uint32_t ids[32];
} known;

static const known tiny_known[] = {
	/* plain ASCII */
	{"Hello world", 11, 9, {72, 101, 108, 108, 111, 268, 274, 108, 100}},
	/* merges */
	{"the answer is 42.", 17, 6, {266, 101, 362, 471, 660, 46}},
	/* added tokens, NFC */
	{"<think>Wait, 12345 caf\xc3\xa9 Cafe\xcc\x81!</think><|tool|>x", 49, 16, {962, 738, 44, 530, 663, 719, 261, 97, 102, 657, 32, 965, 33, 963, 964, 120}},
	/* white space runs */
	{"  \x09\x0a\x0d\x0a  x  ", 11, 7, {659, 9, 10, 880, 32, 769, 659}},
	/* Hangul, Han, emoji, e + U+0301 */
	{"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xe6\x95\xb0\xe5\xad\xa6 \xf0\x9f\x98\x80 e\xcc\x81t\xc3\xa9", 28, 21, {879, 156, 234, 181, 173, 236, 150, 180, 32, 230, 149, 176, 229, 173, 166, 791, 128, 571, 169, 116, 657}},
	/* ill-formed UTF-8 */
	{"\xff\xfe" "abc\xe2\x82 \xed\xa0\x80", 11, 22, {239, 191, 189, 239, 191, 189, 97, 98, 99, 239, 191, 189, 32, 239, 191, 189, 239, 191, 189, 239, 191, 189}},
	/* empty */
	{"", 0, 0, {0}},
};

static const known tiny_ignore_known[] = {
	/* plain ASCII */
	{"Hello world", 11, 9, {72, 101, 108, 108, 111, 268, 274, 108, 100}},
	/* merges */
	{"the answer is 42.", 17, 8, {266, 101, 362, 471, 32, 52, 50, 46}},
	/* added tokens, NFC */
	{"<think>Wait, 12345 caf\xc3\xa9 Cafe\xcc\x81!</think><|tool|>x", 49, 19, {819, 642, 44, 32, 49, 50, 51, 52, 53, 261, 97, 102, 590, 32, 822, 33, 820, 821, 120}},
	/* white space runs */
	{"  \x09\x0a\x0d\x0a  x  ", 11, 7, {592, 9, 10, 772, 32, 673, 592}},
	/* Hangul, Han, emoji, e + U+0301 */
	{"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xe6\x95\xb0\xe5\xad\xa6 \xf0\x9f\x98\x80 e\xcc\x81t\xc3\xa9", 28, 22, {771, 156, 234, 181, 173, 236, 150, 180, 32, 230, 149, 176, 229, 173, 166, 690, 128, 279, 204, 129, 116, 590}},
	/* ill-formed UTF-8 */
	{"\xff\xfe" "abc\xe2\x82 \xed\xa0\x80", 11, 22, {239, 191, 189, 239, 191, 189, 97, 98, 99, 239, 191, 189, 32, 239, 191, 189, 239, 191, 189, 239, 191, 189}},
	/* empty */
	{"", 0, 0, {0}},
};

static char *data_path(const char *rel)
{
	const char *d = getenv("COTLOG_DATA");
	static char buf[8][4096];
	static int k;
	char *p = buf[k++ % 8];

	snprintf(p, sizeof buf[0], "%s/tokens/%s", d ? d : "tests/data", rel);
	return p;
}

static cot_tokenizer *load(const char *rel)
{
	cot_tokenizer *tok = NULL;
	cot_error err;

	if (cot_tokenizer_load(&tok, data_path(rel), &err) != COT_OK)
		fail_msg("%s: %s", rel, err.message);
	return tok;
}

static void check_known(const char *rel, const known *k, size_t nk)
{
	cot_tokenizer *tok = load(rel);
	cot_encoder *enc;
	cot_error err;

	assert_int_equal(cot_encoder_new(&enc, tok, &err), COT_OK);
	for (size_t i = 0; i < nk; i++) {
		const uint32_t *ids = NULL;
		size_t n = 99;

		assert_int_equal(cot_encode(enc, k[i].text, k[i].len, &ids,
					    &n, &err), COT_OK);
		if (n != k[i].n)
			fail_msg("%s text %zu: %zu ids, tiny_ref %zu", rel, i,
				 n, k[i].n);
		for (size_t j = 0; j < n; j++)
			if (ids[j] != k[i].ids[j])
				fail_msg("%s text %zu id %zu: %u, tiny_ref %u",
					 rel, i, j, ids[j], k[i].ids[j]);
		/* counting only gives the same number */
		n = 99;
		assert_int_equal(cot_encode(enc, k[i].text, k[i].len, NULL,
					    &n, &err), COT_OK);
		assert_int_equal(n, k[i].n);
	}
	cot_encoder_free(enc);
	cot_tokenizer_free(tok);
}

static void test_known_ids_tiny(void **state)
{
	(void)state;
	check_known("tiny.json", tiny_known,
		    sizeof tiny_known / sizeof *tiny_known);
}

static void test_known_ids_tiny_ignore(void **state)
{
	(void)state;
	check_known("tiny-ignore.json", tiny_ignore_known,
		    sizeof tiny_ignore_known / sizeof *tiny_ignore_known);
}

/* The path loaded: the file itself, or FOLDER/tokenizer.json. */
static void test_tokenizer_path(void **state)
{
	cot_tokenizer *tok;
	cot_error err;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[4096], file[4200], cmd[9000];

	(void)state;
	tok = load("tiny.json");
	assert_string_equal(cot_tokenizer_path(tok), data_path("tiny.json"));
	cot_tokenizer_free(tok);
	snprintf(dir, sizeof dir, "%s/cotlog-tok-%ld", tmp, (long)getpid());
	snprintf(file, sizeof file, "%s/tokenizer.json", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s' '%s'", dir,
		 data_path("tiny.json"), file);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(cot_tokenizer_load(&tok, dir, &err), COT_OK);
	assert_string_equal(cot_tokenizer_path(tok), file);
	cot_tokenizer_free(tok);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Borrowed ids stay as they were until the next call on their
 * encoder, whatever other encoders of the same tokenizer do. */
static void test_borrowed_ids(void **state)
{
	cot_tokenizer *tok = load("tiny.json");
	cot_encoder *a, *b;
	const uint32_t *ids, *other;
	size_t n, m;
	cot_error err;
	char big[20000];

	(void)state;
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = "abc d\xc3\xa9\n"[i % 8];
	assert_int_equal(cot_encoder_new(&a, tok, &err), COT_OK);
	assert_int_equal(cot_encoder_new(&b, tok, &err), COT_OK);
	assert_int_equal(cot_encode(a, tiny_known[2].text, tiny_known[2].len,
				    &ids, &n, &err), COT_OK);
	assert_int_equal(n, tiny_known[2].n);
	for (int r = 0; r < 3; r++) {
		assert_int_equal(cot_encode(b, big, sizeof big, &other, &m,
					    &err), COT_OK);
		assert_true(m > 1000);
		assert_int_equal(cot_encode(b, big, sizeof big, NULL, &m,
					    &err), COT_OK);
	}
	assert_memory_equal(ids, tiny_known[2].ids, n * sizeof *ids);
	/* the next call on a: the new ids, right */
	assert_int_equal(cot_encode(a, big, sizeof big, &ids, &n, &err),
			 COT_OK);
	assert_int_equal(n, m);
	assert_memory_equal(ids, other, n * sizeof *ids);
	cot_encoder_free(a);
	cot_encoder_free(b);
	cot_tokenizer_free(tok);
}

static void expect_load_error(const char *name, int code, const char *what)
{
	cot_tokenizer *tok = (cot_tokenizer *)&tok;	/* not NULL */
	cot_error err;

	memset(&err, 0, sizeof err);
	assert_int_equal(cot_tokenizer_load(&tok, name, &err), code);
	assert_null(tok);
	assert_int_equal(err.code, code);
	if (!strstr(err.message, what))
		fail_msg("%s: message '%s' does not name '%s'", name,
			 err.message, what);
}

static void test_errors(void **state)
{
	cot_encoder *enc = (cot_encoder *)&enc;
	cot_error err;

	(void)state;
	expect_load_error(NULL, COT_EINVAL, "tokenizer");
	expect_load_error(data_path("no-such.json"), COT_EIO, "no-such.json");
	expect_load_error(data_path("refused/wordpiece.json"), COT_EPARSE,
			  "WordPiece");
	expect_load_error(data_path("refused/byte-fallback.json"), COT_EPARSE,
			  "byte_fallback");
	expect_load_error(data_path("refused/lowercase.json"), COT_EPARSE,
			  "Lowercase");
	expect_load_error(data_path("refused/whitespace.json"), COT_EPARSE,
			  "pre_tokenizer");
	expect_load_error(data_path("refused/lstrip.json"), COT_EPARSE,
			  "lstrip");
	expect_load_error(data_path("refused/regex-w.json"), COT_EPARSE,
			  "\\w");
	expect_load_error(data_path("refused/not-json.txt"), COT_EPARSE,
			  "not-json.txt");
	/* a folder without tokenizer.json */
	expect_load_error(data_path("refused"), COT_EIO, "tokenizer.json");
	assert_int_equal(cot_encoder_new(&enc, NULL, &err), COT_EINVAL);
	assert_null(enc);
	cot_tokenizer_free(NULL);
	cot_encoder_free(NULL);
}

/* ---- the analyzer --------------------------------------------------- */

static const char record[] =
	"{\"response\": \"User: hi\\n<think>\\nthe answer is 42.\\n</think>"
	"\\nThe answer is \\\\boxed{42}.\", \"gt\": \"42\"}";
/* tiny_ref on "User: hi\n", "\nthe answer is 42.\n" and
 * "\nThe answer is \\boxed{42}." */
enum { PRE_TOKENS = 7, THINK_TOKENS = 7, ANSWER_TOKENS = 13 };

static const char *const token_fields[] = {
	"preamble.tokens", "think.tokens", "answer.tokens",
	"answer_first_at_tokens", "after_answer_tokens", "efficiency_tokens",
	"structure.switches_per_1k_tokens", "loop.period_tokens",
};
#define NFIELDS (sizeof token_fields / sizeof *token_fields)

/* Analyze record with the options o; the three counts in got (-1 for
 * null), how many token fields were null in *nulls. */
static int analyze(const cot_analyzer_options *o, int64_t got[3],
		   size_t *nulls)
{
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	int rc;

	if ((rc = cot_analyzer_new(&az, o, &err)))
		return rc;
	if ((rc = cot_result_new(&res, az, &err))) {
		cot_analyzer_free(az);
		return rc;
	}
	rc = cot_analyze_json(res, record, sizeof record - 1, &err);
	*nulls = 0;
	for (size_t f = 0; !rc && f < NFIELDS; f++) {
		size_t idx;
		cot_value v;

		assert_int_equal(cot_field_find(&idx, az, token_fields[f],
						&err), COT_OK);
		rc = cot_result_get(&v, res, 0, idx, &err);
		if (rc)
			break;
		*nulls += v.type == COT_TYPE_NULL;
		if (f < 3)
			got[f] = v.type == COT_TYPE_NULL ? -1 : v.i;
	}
	if (!rc)
		assert_int_equal(cot_result_traces(res), 1);
	cot_result_free(res);
	cot_analyzer_free(az);
	return rc;
}

static void test_options_versions(void **state)
{
	cot_tokenizer *tok = load("tiny.json");
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;
	unsigned char *v1;
	unsigned int one = 1;
	int64_t got[3];
	size_t nulls;
	cot_analyzer *az = (cot_analyzer *)&az;
	cot_error err;

	(void)state;
	assert_int_equal(o.version, 2);
	o.tokenizer = tok;
	assert_int_equal(analyze(&o, got, &nulls), COT_OK);
	assert_int_equal(got[0], PRE_TOKENS);
	assert_int_equal(got[1], THINK_TOKENS);
	assert_int_equal(got[2], ANSWER_TOKENS);
	/* no loop: loop.period_tokens null; the others have values */
	assert_int_equal(nulls, 1);
	/* version 1: a struct that ends before `tokenizer` (allocated to
	 * its size, so that ASan sees a read past it) */
	v1 = malloc(offsetof(cot_analyzer_options, tokenizer));
	assert_non_null(v1);
	memcpy(v1, &o, offsetof(cot_analyzer_options, tokenizer));
	memcpy(v1 + offsetof(cot_analyzer_options, version), &one,
	       sizeof one);
	assert_int_equal(analyze((const cot_analyzer_options *)(void *)v1,
				 got, &nulls), COT_OK);
	assert_int_equal(got[1], -1);
	assert_int_equal(nulls, NFIELDS);
	free(v1);
	/* no tokenizer: null */
	o.tokenizer = NULL;
	assert_int_equal(analyze(&o, got, &nulls), COT_OK);
	assert_int_equal(nulls, NFIELDS);
	/* a version this library does not know */
	o.version = 3;
	o.tokenizer = tok;
	assert_int_equal(cot_analyzer_new(&az, &o, &err), COT_EINVAL);
	assert_null(az);
	o.version = 0;
	assert_int_equal(cot_analyzer_new(&az, &o, &err), COT_EINVAL);
	cot_tokenizer_free(tok);
}

/* ---- threads -------------------------------------------------------- */

enum { THREADS = 4, TEXTS = 64 };

typedef struct job {
	const cot_tokenizer *tok;
	const char *texts[TEXTS];
	size_t lens[TEXTS];
	uint32_t *ids[TEXTS];
	size_t n[TEXTS];
	int rc;
} job;

static void *encode_all(void *arg)
{
	job *j = arg;
	cot_encoder *enc;
	cot_error err;

	if ((j->rc = cot_encoder_new(&enc, j->tok, &err)))
		return NULL;
	for (int r = 0; r < 3 && !j->rc; r++)
		for (int i = 0; i < TEXTS && !j->rc; i++) {
			const uint32_t *ids;
			size_t n;

			if ((j->rc = cot_encode(enc, j->texts[i], j->lens[i],
						&ids, &n, &err)))
				break;
			if (r == 0) {
				j->ids[i] = malloc((n + 1) * sizeof *ids);
				memcpy(j->ids[i], ids, n * sizeof *ids);
				j->n[i] = n;
			} else if (n != j->n[i] ||
				   memcmp(ids, j->ids[i], n * sizeof *ids)) {
				j->rc = -1;
			}
		}
	cot_encoder_free(enc);
	return NULL;
}

static void test_shared_by_threads(void **state)
{
	cot_tokenizer *tok = load("tiny.json");
	static char text[TEXTS][3000];
	job one = {0}, jobs[THREADS];
	pthread_t th[THREADS];
	uint32_t seed = 12345;

	(void)state;
	/* texts of the known pieces in a pseudo-random order and length */
	for (int i = 0; i < TEXTS; i++) {
		size_t at = 0;

		while (at < sizeof text[i] - 100) {
			const known *k;

			seed = seed * 1103515245u + 12345u;
			k = &tiny_known[(seed >> 16) % 7];
			if ((seed >> 8) % 5 == 0)
				break;
			memcpy(text[i] + at, k->text, k->len);
			at += k->len;
		}
		one.texts[i] = text[i];
		one.lens[i] = at;
	}
	one.tok = tok;
	encode_all(&one);
	assert_int_equal(one.rc, 0);
	for (int t = 0; t < THREADS; t++) {
		memset(&jobs[t], 0, sizeof jobs[t]);
		jobs[t].tok = tok;
		memcpy(jobs[t].texts, one.texts, sizeof one.texts);
		memcpy(jobs[t].lens, one.lens, sizeof one.lens);
		assert_int_equal(pthread_create(&th[t], NULL, encode_all,
						&jobs[t]), 0);
	}
	for (int t = 0; t < THREADS; t++) {
		assert_int_equal(pthread_join(th[t], NULL), 0);
		assert_int_equal(jobs[t].rc, 0);
		for (int i = 0; i < TEXTS; i++) {
			assert_int_equal(jobs[t].n[i], one.n[i]);
			assert_memory_equal(jobs[t].ids[i], one.ids[i],
					    one.n[i] * sizeof(uint32_t));
			free(jobs[t].ids[i]);
		}
	}
	for (int i = 0; i < TEXTS; i++)
		free(one.ids[i]);
	cot_tokenizer_free(tok);
}

/* ---- out of memory -------------------------------------------------- */

/* Each step fails at its nth allocation for n = 0, 1, ... until it
 * succeeds: COT_ENOMEM every time before (with "out of memory"), no
 * crash, and (under ASan) no leak. */
static void test_out_of_memory(void **state)
{
	const char *path = data_path("tiny.json");
	cot_tokenizer *tok = NULL;
	cot_encoder *enc = NULL;
	cot_error err;
	long n;
	int rc;
	char text[4000], wrong[600] = "";
	size_t think_tokens;
	cot_value v;

	(void)state;
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = "<think>Cafe\xcc\x81 12 ab\n\xff "[i % 22];
	for (n = 0;; n++) {
		cot__alloc_fail_after(n);
		rc = cot_tokenizer_load(&tok, path, &err);
		cot__alloc_fail_after(-1);
		if (rc == COT_OK)
			break;
		/* any other code is wrong; the first is reported at the
		 * end, after the other steps have been tried */
		if ((rc != COT_ENOMEM || strcmp(err.message,
						 "out of memory")) && !*wrong)
			snprintf(wrong, sizeof wrong, "cot_tokenizer_load, "
				 "allocation %ld failing: %d (%s), not "
				 "COT_ENOMEM", n, rc, err.message);
		assert_true(rc == COT_ENOMEM || rc == COT_EPARSE);
		assert_null(tok);
		assert_true(n < 100000);
	}
	print_message("# cot_tokenizer_load: %ld allocations\n", n);
	for (n = 0;; n++) {
		cot__alloc_fail_after(n);
		rc = cot_encoder_new(&enc, tok, &err);
		cot__alloc_fail_after(-1);
		if (rc == COT_OK)
			break;
		assert_int_equal(rc, COT_ENOMEM);
		assert_null(enc);
		assert_true(n < 10000);
	}
	cot_encoder_free(enc);
	/* a fresh encoder each time: a used one has its memory already */
	for (int with_ids = 0; with_ids < 2; with_ids++) {
		for (n = 0;; n++) {
			const uint32_t *ids = NULL;
			size_t count = 7;

			assert_int_equal(cot_encoder_new(&enc, tok, &err),
					 COT_OK);
			cot__alloc_fail_after(n);
			rc = cot_encode(enc, text, sizeof text,
					with_ids ? &ids : NULL, &count, &err);
			cot__alloc_fail_after(-1);
			if (rc == COT_OK) {
				assert_true(count > 500);
				cot_encoder_free(enc);
				break;
			}
			assert_int_equal(rc, COT_ENOMEM);
			assert_int_equal(count, 0);
			assert_null(ids);
			/* the encoder still works after the failure */
			assert_int_equal(cot_encode(enc, text, sizeof text,
						    &ids, &count, &err),
					 COT_OK);
			assert_true(count > 500);
			cot_encoder_free(enc);
			assert_true(n < 10000);
		}
	}
	assert_int_equal(cot_field_find(&think_tokens, NULL, "think.tokens",
					&err), COT_OK);
	/* a whole analysis with the tokenizer (without the built-in
	 * patterns, whose compilation would make most of the allocations:
	 * test_fields.c fails those) */
	for (n = 0;; n++) {
		cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;
		cot_analyzer *az = NULL;
		cot_result *res = NULL;

		o.tokenizer = tok;
		o.no_builtin_patterns = 1;
		cot__alloc_fail_after(n);
		rc = cot_analyzer_new(&az, &o, &err);
		if (!rc)
			rc = cot_result_new(&res, az, &err);
		if (!rc)
			rc = cot_analyze_json(res, record, sizeof record - 1,
					      &err);
		if (!rc)
			rc = cot_result_get(&v, res, 0, think_tokens, &err);
		cot__alloc_fail_after(-1);
		cot_result_free(res);
		cot_analyzer_free(az);
		if (rc == COT_OK) {
			assert_int_equal(v.type, COT_TYPE_INT);
			assert_int_equal(v.i, THINK_TOKENS);
			break;
		}
		if (rc != COT_ENOMEM)
			fail_msg("analysis, allocation %ld failing: %d (%s), "
				 "not COT_ENOMEM", n, rc, err.message);
		assert_true(n < 100000);
	}
	print_message("# analysis with a tokenizer: %ld allocations\n", n);
	cot_tokenizer_free(tok);
	if (*wrong)
		fail_msg("%s", wrong);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_ids_tiny),
		cmocka_unit_test(test_known_ids_tiny_ignore),
		cmocka_unit_test(test_tokenizer_path),
		cmocka_unit_test(test_borrowed_ids),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_options_versions),
		cmocka_unit_test(test_shared_by_threads),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
