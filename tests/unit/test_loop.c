/* test_loop.c - loop detection: location, period, repeats, tail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "passes/health.h"
#include "corpus.h"
#include "traces.h"
#include "util.h"

/* The loops of text, found with the library's internals. */
typedef struct found {
	cot__loop *v;
	uint32_t n;
	size_t work, words, distinct;
} found;

static cot__words W;
static cot__trimap SEEN;
static cot__arena A;

static int setup(void **state)
{
	(void)state;
	cot__arena_init(&A);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cot__trimap_dispose(&SEEN);
	cot__words_dispose(&W);
	cot__arena_dispose(&A);
	return 0;
}

static found loops(const char *t, size_t n)
{
	found f;

	cot__arena_reset(&A);
	assert_int_equal(cot__words_scan(&W, t, n), COT_OK);
	assert_int_equal(cot__loops_find(t, n, &W, &SEEN, &f.distinct, &A,
					 &f.v, &f.n, &f.work), COT_OK);
	f.words = W.n;
	return f;
}

static found loops_s(const tbuf *b)
{
	return loops(b->p, b->n);
}

static void test_loops_one_word_period_to_the_end(void **state)
{
	tbuf b = { 0 };
	found f;

	(void)state;
	tbuf_adds(&b, "Intro text here. ");
	for (int i = 0; i < 100; i++)
		tbuf_adds(&b, "has, ");
	f = loops_s(&b);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].start, 17);
	assert_int_equal(f.v[0].period, 5);
	assert_int_equal(f.v[0].period_words, 1);
	assert_int_equal(f.v[0].repeats, 100);
	assert_true(f.v[0].tail);
	assert_int_equal(f.v[0].end, b.n);
	free(b.p);
}

/* More distinct trigrams than the table is first sized for (a million):
 * it grows, recomputing each key from the words, and still finds the
 * trigram the text began with when the loop at its end repeats it. */
static void table_grows(unsigned words)
{
	tbuf b = { 0 };
	char word[16];
	found f;
	size_t start;

	tbuf_adds(&b, "x y z ");
	for (unsigned i = 0; i < words; i++) {
		snprintf(word, sizeof word, "w%u ", i);
		tbuf_adds(&b, word);
	}
	start = b.n;
	for (int i = 0; i < 60; i++)
		tbuf_adds(&b, "x y z ");
	f = loops_s(&b);
	/* x y z, the 2 into the words, words - 2 of distinct words, the
	 * 2 into the loop, and 2 of the loop's 3 (x y z is the first) */
	assert_int_equal(f.distinct, 1 + 2 + (words - 2) + 2 + 2);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].start, start);
	assert_int_equal(f.v[0].period_words, 3);
	assert_int_equal(f.v[0].repeats, 60);
	assert_true(f.v[0].tail);
	free(b.p);
}

static void test_loops_table_grows(void **state)
{
	(void)state;
	/* in the middle of the distinct words */
	table_grows(1100000);
	/* just as the loop begins: the look-ups already under way, whose
	 * slots were computed for the smaller table, are repeats */
	table_grows((1u << 20) - 3);
}

/* 4 whole periods and 256 bytes: both needed. */
static void test_loops_thresholds(void **state)
{
	const char *para = "Wait, 8481 / 3 = 2827, which is not an "
			   "integer.\n\n";
	size_t plen = strlen(para);	/* 50 bytes */
	tbuf b = { 0 };
	found f;

	(void)state;
	for (int k = 3; k <= 6; k++) {
		b.n = 0;
		tbuf_adds(&b, "So we begin.\n\n");
		for (int i = 0; i < k; i++)
			tbuf_adds(&b, para);
		tbuf_adds(&b, "Then the end came quickly.");
		f = loops_s(&b);
		/* 3 periods: too few; 4 and 5: under 256 bytes; 6: 300 */
		if (k < 6) {
			assert_int_equal(f.n, 0);
			continue;
		}
		assert_int_equal(f.n, 1);
		assert_int_equal(f.v[0].start, 14);
		assert_int_equal(f.v[0].period, plen);
		assert_int_equal(f.v[0].period_words, 11);
		assert_int_equal(f.v[0].repeats, 6);
		assert_false(f.v[0].tail);
		/* ends with the last word of the last period */
		assert_int_equal(f.v[0].end, 14 + 6 * plen - 2);
	}
	free(b.p);
}

/* Cut inside its next period: still a tail loop; only whole periods
 * count. */
static void test_loops_tail_cut_mid_word(void **state)
{
	const char *para = "Wait, 8481 / 3 = 2827, which is not an "
			   "integer.\n\n";
	tbuf b = { 0 };
	found f;

	(void)state;
	for (int i = 0; i < 8; i++)
		tbuf_adds(&b, para);
	tbuf_adds(&b, "Wait, 84");
	f = loops_s(&b);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].start, 0);
	assert_int_equal(f.v[0].repeats, 8);
	assert_true(f.v[0].tail);
	assert_int_equal(f.v[0].end, b.n);
	/* trailing white space after the cut does not matter */
	tbuf_adds(&b, " \n");
	f = loops_s(&b);
	assert_true(f.n == 1 && f.v[0].tail);
	/* but another word after it does */
	tbuf_adds(&b, "Done");
	f = loops_s(&b);
	assert_true(f.n == 1 && !f.v[0].tail);
	free(b.p);
}

/* A false candidate (two copies of P L) walks over the first period of
 * the loop L L L ...; the loop is still found from its true start. */
static void test_loops_start_inside_a_false_candidate(void **state)
{
	const char *P = "alpha beta gamma delta epsilon zeta eta theta ";
	const char *L = "so the loop goes round and round again here ";
	const char *R = "rho sigma tau upsilon ";
	tbuf b = { 0 };
	size_t start;
	found f;

	(void)state;
	tbuf_adds(&b, P);
	tbuf_adds(&b, L);
	tbuf_adds(&b, R);
	tbuf_adds(&b, P);
	start = b.n;
	for (int i = 0; i < 7; i++)
		tbuf_adds(&b, L);
	tbuf_adds(&b, "fin");
	f = loops_s(&b);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].start, start);
	assert_int_equal(f.v[0].period, strlen(L));
	assert_int_equal(f.v[0].repeats, 7);
	free(b.p);
}

static cot_value getv(cot_analyzer *az, cot_result *res, const char *name,
		      cot_value *v)
{
	assert_int_equal(cot_result_get(v, res, 0, field_id(az, name), NULL),
			 COT_OK);
	return *v;
}

/* Case does not matter (words are lower-cased); steps: paragraphs. */
static void test_loops_fields_and_steps(void **state)
{
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	tbuf b = { 0 };
	cot_value v;

	(void)state;
	tbuf_adds(&b, "<think>\nFirst.\n\nSecond.\n\n");
	for (int i = 0; i < 12; i++)
		tbuf_adds(&b, i % 2 ? "BUT maybe I am WRONG here.\n\n"
				    "Let me recheck the sum again.\n\n" :
				      "but maybe I am wrong here.\n\n"
				      "Let me recheck the sum again.\n\n");
	tbuf_adds(&b, "But maybe");
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_text(res, b.p, b.n, NULL, &err), COT_OK);
#define GET(name) getv(az, res, name, &v)
	assert_true(GET("loop.found").b);
	assert_int_equal(GET("loop.count").i, 1);
	assert_true(GET("loop.tail").b);
	assert_int_equal(GET("loop.start").i, 18);	/* "but maybe" */
	assert_int_equal(GET("loop.start_step").i, 2);
	assert_int_equal(GET("loop.period").i, 59);
	assert_int_equal(GET("loop.period_words").i, 12);
	assert_int_equal(GET("loop.period_steps").i, 2);
	assert_int_equal(GET("loop.repeats").i, 12);
	assert_int_equal(GET("loop.end").i, (long long)b.n - 7);
	assert_float_equal(GET("loop.start_rel").r, 18.0 / (double)(b.n - 7),
			   1e-12);
	GET("loop.all");
	assert_int_equal(v.type, COT_TYPE_JSON);
	{
		json_t *j = json_loadb(v.s, v.len, 0, NULL);

		assert_true(json_is_array(j) && json_array_size(j) == 1);
		assert_int_equal(json_integer_value(json_object_get(
			json_array_get(j, 0), "repeats")), 12);
		json_decref(j);
	}
	/* no loop: nulls and false */
	assert_int_equal(
		cot_analyze_text(res, "<think>\nshort", 13, NULL, &err),
		COT_OK);
	assert_false(GET("loop.found").b);
	assert_false(GET("loop.tail").b);
	assert_int_equal(GET("loop.count").i, 0);
	assert_int_equal(GET("loop.start").type, COT_TYPE_NULL);
	assert_int_equal(GET("loop.repeats").type, COT_TYPE_NULL);
	GET("loop.all");
	assert_int_equal(v.len, 2);
#undef GET
	cot_result_free(res);
	cot_analyzer_free(az);
	free(b.p);
}

/* Random prose around a planted loop: found exactly where planted.
 * Prose and loop use disjoint words, so the loop cannot extend. */
static void test_loops_planted_in_random_prose(void **state)
{
	static const char *const prose[] = {
		"apple", "banana", "cherry", "date", "elder", "fig", "grape",
		"\n\n", "kiwi", "lemon", "mango", "\xe4\xbd\xa0\xe5\xa5\xbd",
		"nut", "olive"
	};
	static const char *const body[] = {
		"Wait,", "maybe", "I", "should", "\xcf\x89^2", "check", "12.",
		"\n\n", "again", "so", "the", "sum", "is", "not", "right",
		"here", "Let", "me", "try", "x"
	};
	uint64_t seed = 4242;
	tbuf b = { 0 };

	(void)state;
	for (int round = 0; round < 600; round++) {
		size_t nbody = 1 + xorshift_below(&seed, 30), nwords = 0;
		unsigned reps = 4 + xorshift_below(&seed, 40);
		size_t before = xorshift_below(&seed, 300), start;
		bool tail = xorshift_below(&seed, 2);
		tbuf one = { 0 };
		found f;

		b.n = 0;
		for (size_t i = 0; i < before; i++) {
			tbuf_adds(&b, prose[xorshift_below(&seed, 14)]);
			tbuf_adds(&b, " ");
		}
		for (size_t i = 0; i < nbody; i++) {
			uint32_t k = xorshift_below(&seed, 20);

			nwords += k != 7;	/* "\n\n" is no word */
			tbuf_adds(&one, body[k]);
			tbuf_adds(&one, i % 5 == 4 ? "\n" : " ");
		}
		start = b.n;
		for (unsigned r = 0; r < reps; r++)
			tbuf_add(&b, one.p, one.n);
		while (start < b.n && (b.p[start] == ' ' ||
				       b.p[start] == '\n'))
			start++;
		if (!tail)
			tbuf_adds(&b, "kiwi fig");
		f = loops_s(&b);
		assert_true(f.work <= 3 * f.words + 64);
		if (nwords == 0 || reps * one.n < 250) {
			assert_int_equal(f.n, 0);
		} else if (reps * one.n >= 300) {
			/* a body that is itself periodic has a shorter
			 * period: a divisor of the planted one */
			size_t p;

			if (f.n != 1)
				fail_msg("round %d: %u loops, %zu words x %u,"
					 " %zu bytes, loop at %zu: [%.*s]",
					 round, f.n, nwords, reps, one.n,
					 start,
					 (int)(b.n - start), b.p + start);
			p = f.v[0].period_words;
			assert_int_equal(f.v[0].start, start);
			assert_int_equal(nwords % p, 0);
			assert_int_equal(f.v[0].repeats, reps * nwords / p);
			if (p == nwords)
				assert_int_equal(f.v[0].period, one.n);
			assert_int_equal(f.v[0].tail, tail);
		}
		free(one.p);
	}
	free(b.p);
}

/* Adversarial input for the candidate walk: many overlapping near
 * repeats. The work stays within the bound. */
static void test_loops_work_is_linear(void **state)
{
	static const char *const pieces[] = { "a ", "b ", "a b ", "a a " };
	uint64_t seed = 99;
	char *buf = malloc(400000);

	(void)state;
	for (int round = 0; round < 20; round++) {
		size_t n = random_pieces(buf, pieces, 4, 100000, &seed);
		found f = loops(buf, n);

		assert_true(f.work <= 8 * f.words + 4096);
	}
	free(buf);
}

/* ---- the corpus ---- */

/* Naive words (Python split, ASCII lower-casing is enough to compare
 * within one text: the library lowers all, so compare lowered ASCII
 * and raw bytes otherwise). */
typedef struct nword {
	size_t off, len;
} nword;

static bool pyspace(const unsigned char *p, size_t n, size_t *k)
{
	*k = 1;
	if (p[0] < 0x80)
		return p[0] == ' ' || (p[0] >= 9 && p[0] <= 13) ||
		       (p[0] >= 0x1c && p[0] <= 0x1f);
	*k = cot__pyspace_len(p, n);
	if (*k)
		return true;
	*k = 1;
	return false;
}

static nword *naive_words(const char *t, size_t n, size_t *count)
{
	const unsigned char *p = (const unsigned char *)t;
	nword *v = malloc((n / 2 + 2) * sizeof *v);
	size_t i = 0, k, m = 0;

	while (i < n) {
		size_t s;

		while (i < n && pyspace(p + i, n - i, &k))
			i += k;
		if (i >= n)
			break;
		s = i;
		while (i < n && !pyspace(p + i, n - i, &k))
			i += k;
		v[m].off = s;
		v[m].len = i - s;
		m++;
	}
	*count = m;
	return v;
}

static bool same(const char *t, nword a, nword b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++) {
		unsigned char x = (unsigned char)t[a.off + i];
		unsigned char y = (unsigned char)t[b.off + i];

		if (x != y && !((x | 32) == (y | 32) && (x | 32) >= 'a' &&
				(x | 32) <= 'z'))
			return false;
	}
	return true;
}

typedef struct corpus_ctx {
	size_t traces, with_loop, clean, clean_flagged, closed_ok,
	       closed_ok_flagged, named_found;
	size_t work, words;
} corpus_ctx;

/* Check one reported loop against the definition with naive words. */
static void verify_loop(const trace_ref *t, json_t *l, nword *w, size_t nw,
			size_t prev_end_word)
{
	size_t start = (size_t)json_integer_value(json_object_get(l,
								  "start"));
	size_t end = (size_t)json_integer_value(json_object_get(l, "end"));
	size_t d = (size_t)json_integer_value(json_object_get(l,
							      "period_words"));
	size_t reps = (size_t)json_integer_value(json_object_get(l,
								 "repeats"));
	bool tail = json_is_true(json_object_get(l, "tail"));
	size_t s = 0, e;

	while (s < nw && w[s].off < start)
		s++;
	assert_true(s < nw && w[s].off == start);
	for (e = s + d; e < nw && same(t->reasoning, w[e], w[e - d]); e++)
		;
	/* periodic over whole periods, maximal on both sides */
	assert_int_equal((e - s) / d, reps);
	assert_true(reps >= 4);
	assert_true(end - start >= 256);
	assert_true(s == prev_end_word || s == 0 ||
		    !same(t->reasoning, w[s - 1], w[s - 1 + d]));
	if (tail)
		assert_int_equal(end, t->rlen);
	else
		assert_int_equal(end, w[e - 1].off + w[e - 1].len);
	assert_int_equal(json_integer_value(json_object_get(l, "period")),
			 (long long)(w[s + d].off - w[s].off));
}

static void check_trace(const trace_ref *t, void *vctx)
{
	corpus_ctx *c = vctx;
	cot_value all = field(t, "loop.all");
	json_t *j = json_loadb(all.s, all.len, 0, NULL);
	bool has_loop = field(t, "loop.found").b;
	cot_value label = field(t, "label"), finish = field(t, "finish");
	bool closed = field(t, "closed").b;
	size_t nw, prev_end = 0;
	nword *w;

	assert_non_null(j);
	assert_int_equal(json_array_size(j), field(t, "loop.count").i);
	w = naive_words(t->reasoning, t->rlen, &nw);
	for (size_t i = 0; i < json_array_size(j); i++) {
		json_t *l = json_array_get(j, i);
		json_t *e = json_object_get(l, "end");
		size_t end = (size_t)json_integer_value(e);

		verify_loop(t, l, w, nw, prev_end);
		while (prev_end < nw && w[prev_end].off < end)
			prev_end++;
		if (json_is_true(json_object_get(l, "tail")))
			print_message("# loop %s line %llu: start %lld (step "
				      "%lld), period %lld bytes / %lld words "
				      "/ %lld steps, repeats %lld, tail\n",
				      trace_file(t), t->line,
				      json_integer_value(json_object_get(l,
						"start")),
				      json_integer_value(json_object_get(l,
						"start_step")),
				      json_integer_value(json_object_get(l,
						"period")),
				      json_integer_value(json_object_get(l,
						"period_words")),
				      json_integer_value(json_object_get(l,
						"period_steps")),
				      json_integer_value(json_object_get(l,
						"repeats")));
	}
	/* the walk's cost on real text: about one comparison a word */
	{
		found f = loops(t->reasoning, t->rlen);

		assert_int_equal(f.n, field(t, "loop.count").i);
		assert_true(f.work <= 2 * f.words + 64);
		c->work += f.work;
		c->words += f.words;
	}
	c->traces++;
	c->with_loop += has_loop;
	/* clean: closed, judged correct by the record's own label, and
	 * not stopped for length */
	if (closed && label.type == COT_TYPE_BOOL && label.b &&
	    (finish.type == COT_TYPE_NULL ||
	     strncmp(finish.s, "length", finish.len) != 0)) {
		c->clean++;
		c->clean_flagged += has_loop;
	}
	/* closed and stopped naturally (any label) */
	if (closed && finish.type == COT_TYPE_STRING &&
	    !strncmp(finish.s, "stop", finish.len)) {
		c->closed_ok++;
		c->closed_ok_flagged += has_loop;
	}
	json_decref(j);
	free(w);
}

/* SOURCES.md: in sky-t1-math-correct-5k-14b__aime24.jsonl one sentence
 * recurs 412x in idx 5, 766x in idx 8, 1110x in idx 19; in
 * sky-t1-math-reflection-1.0-32b__aime24.jsonl idx 10 repeats one line
 * 1182x. Records are one per line, idx = line - 1. */
static const struct named {
	const char *file;
	unsigned long long line;
	long long min_repeats, steps;
} named[] = {
	{ "sky-t1-math-correct-5k-14b__aime24.jsonl", 6, 400, 3 },
	{ "sky-t1-math-correct-5k-14b__aime24.jsonl", 9, 760, 1 },
	{ "sky-t1-math-correct-5k-14b__aime24.jsonl", 20, 1100, 1 },
	/* its loop starts inside one paragraph ("... integer. Wait, 8481
	 * ...") and goes on one paragraph a period: steps counted at the
	 * start are 0 */
	{ "sky-t1-math-reflection-1.0-32b__aime24.jsonl", 11, 1180, 0 },
	/* the fixtures (tests/data/make.py): idx 3 and 7 of eval.jsonl and
	 * the first length stop of think-on.jsonl loop on one sentence of
	 * a paragraph to the end */
	{ "eval.jsonl", 4, 300, 0 },
	{ "eval.jsonl", 8, 120, 0 },
	{ "think-on.jsonl", 3, 60, 0 },
};

static void check_named(const trace_ref *t, void *vctx)
{
	corpus_ctx *c = vctx;

	for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
		if (strcmp(trace_file(t), named[i].file) ||
		    t->line != named[i].line)
			continue;
		assert_true(field(t, "loop.found").b);
		assert_true(field(t, "loop.tail").b);
		assert_true(field(t, "loop.repeats").i >=
			    named[i].min_repeats);
		assert_int_equal(field(t, "loop.period_steps").i,
				 named[i].steps);
		c->named_found++;
	}
}

static void each(const trace_ref *t, void *vctx)
{
	check_trace(t, vctx);
	check_named(t, vctx);
}

static void test_loops_on_corpus(void **state)
{
	corpus_ctx c = { 0 };

	(void)state;
	for_each_trace(NULL, each, &c);
	print_message("# %zu traces, %zu with a loop; clean (closed, label "
		      "true, not length): %zu, flagged %zu; closed with "
		      "finish stop: %zu, flagged %zu\n", c.traces, c.with_loop,
		      c.clean, c.clean_flagged, c.closed_ok,
		      c.closed_ok_flagged);
	print_message("# loop search: %.3f comparisons a word\n",
		      (double)c.work / (double)c.words);
	assert_int_equal(c.named_found, 4);
	assert_true(c.with_loop >= 70);
	assert_true(c.clean >= 400);
	assert_int_equal(c.clean_flagged, 0);
	assert_int_equal(c.closed_ok_flagged, 0);
}

/* The same on the fixtures, with their own named loops. */
static void test_loops_on_fixtures(void **state)
{
	corpus_ctx c = { 0 };

	(void)state;
	for_each_trace_in(data_dir(), NULL, each, &c);
	print_message("# %zu traces, %zu with a loop; clean (closed, label "
		      "true, not length): %zu, flagged %zu; closed with "
		      "finish stop: %zu, flagged %zu\n", c.traces, c.with_loop,
		      c.clean, c.clean_flagged, c.closed_ok,
		      c.closed_ok_flagged);
	assert_int_equal(c.named_found, 3);
	assert_true(c.with_loop >= 8);	/* make.py plants 8 */
	assert_true(c.clean >= 10);
	assert_int_equal(c.clean_flagged, 0);
	assert_int_equal(c.closed_ok_flagged, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loops_one_word_period_to_the_end),
		cmocka_unit_test(test_loops_table_grows),
		cmocka_unit_test(test_loops_thresholds),
		cmocka_unit_test(test_loops_tail_cut_mid_word),
		cmocka_unit_test(test_loops_start_inside_a_false_candidate),
		cmocka_unit_test(test_loops_fields_and_steps),
		cmocka_unit_test(test_loops_planted_in_random_prose),
		cmocka_unit_test(test_loops_work_is_linear),
		cmocka_unit_test(test_loops_on_corpus),
		cmocka_unit_test(test_loops_on_fixtures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
