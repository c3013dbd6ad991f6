/* test_repeat.c - exact repeated paragraphs and sentences (repeat.*). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "traces.h"
#include "util.h"

/* ---- a naive implementation of the definitions (README, Repetition):
 * decode UTF-8 by hand, compare blocks with memcmp, count in O(n^2) ---- */

static uint32_t cp_at(const unsigned char *p, size_t n, size_t *len)
{
	if (p[0] < 0x80 || n < 2) {
		*len = 1;
		return p[0];
	}
	if (p[0] < 0xe0) {
		*len = 2;
		return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if (p[0] < 0xf0 && n >= 3) {
		*len = 3;
		return (uint32_t)(p[0] & 0x0f) << 12 |
		       (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	*len = n >= 4 ? 4 : 1;
	return 0x10000;
}

/* SPEC 3 White_Space; with py, also U+001C-001F (str.isspace). */
static bool space_cp(uint32_t c, bool py)
{
	return (c >= 9 && c <= 13) || c == 32 || c == 0x85 || c == 0xa0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 ||
	       (py && c >= 0x1c && c <= 0x1f);
}

typedef struct block {
	size_t off, len;
	bool counts;		/* long enough to count */
} block;

typedef struct blocks {
	block *v;
	size_t n, cap;
} blocks;

static void add_block(blocks *b, size_t off, size_t len, bool counts)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = realloc(b->v, b->cap * sizeof *b->v);
	}
	b->v[b->n].off = off;
	b->v[b->n].len = len;
	b->v[b->n].counts = counts;
	b->n++;
}

/* Python's strip() of t[*off, *off + *len). */
static void naive_strip(const char *t, size_t *off, size_t *len)
{
	const unsigned char *p = (const unsigned char *)t;
	size_t a = *off, b = *off + *len, k;

	while (a < b && space_cp(cp_at(p + a, b - a, &k), true))
		a += k;
	for (;;) {
		size_t c = b, last = a;

		/* the start of the last character, walking from a */
		for (size_t i = a; i < b; i += k) {
			cp_at(p + i, b - i, &k);
			last = i;
		}
		c = last;
		if (b == a || !space_cp(cp_at(p + c, b - c, &k), true))
			break;
		b = c;
	}
	*off = a;
	*len = b - a;
}

static size_t chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

static blocks naive_paragraphs(const char *t, size_t n)
{
	const unsigned char *p = (const unsigned char *)t;
	blocks b = { 0 };
	size_t i = 0, start = 0, end = 0, k;
	bool open = false;

	while (i <= n) {
		size_t eol = i;
		bool ink = false;

		while (eol < n && t[eol] != '\n')
			eol++;
		for (size_t j = i; j < eol; j += k)
			if (!space_cp(cp_at(p + j, eol - j, &k), false))
				ink = true;
		if (ink) {
			if (!open)
				start = i;
			open = true;
			end = eol;
		} else if (open) {
			open = false;
			add_block(&b, start, end - start, false);
		}
		if (eol == n)
			break;
		i = eol + 1;
	}
	if (open)
		add_block(&b, start, end - start, false);
	for (size_t j = 0; j < b.n; j++) {
		naive_strip(t, &b.v[j].off, &b.v[j].len);
		b.v[j].counts = chars(t + b.v[j].off, b.v[j].len) >= 20;
	}
	return b;
}

static bool has_space(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k;

	for (size_t i = 0; i < n; i += k)
		if (space_cp(cp_at(p + i, n - i, &k), true))
			return true;
	return false;
}

static bool term(char c)
{
	return c == '.' || c == '!' || c == '?';
}

/* re.split(r'[.!?]+', t), stripped, empty pieces dropped. */
static blocks naive_sentences(const char *t, size_t n)
{
	blocks b = { 0 };
	size_t i = 0;

	for (;;) {
		size_t off = i, len;

		while (i < n && !term(t[i]))
			i++;
		len = i - off;
		naive_strip(t, &off, &len);
		if (len)
			add_block(&b, off, len, chars(t + off, len) >= 10 &&
				  has_space(t + off, len));
		if (i == n)
			break;
		while (i < n && term(t[i]))
			i++;
	}
	return b;
}

typedef struct stats {
	long max, run;
	long long at;		/* -1: none */
} stats;

static stats naive_stats(const char *t, blocks b)
{
	stats s = { 0, 0, -1 };
	long cur = 0, best_reach = -1;

	for (size_t i = 0; i < b.n; i++) {
		long count = 0, reach = -1;

		if (!b.v[i].counts) {
			cur = 0;
			continue;
		}
		/* a run continues when the previous block is equal */
		if (i > 0 && b.v[i - 1].counts &&
		    b.v[i - 1].len == b.v[i].len &&
		    !memcmp(t + b.v[i - 1].off, t + b.v[i].off, b.v[i].len))
			cur++;
		else
			cur = 1;
		if (cur > s.run)
			s.run = cur;
		/* only first occurrences count the block */
		for (size_t j = 0; j < i; j++)
			if (b.v[j].counts && b.v[j].len == b.v[i].len &&
			    !memcmp(t + b.v[j].off, t + b.v[i].off,
				    b.v[i].len))
				goto next;
		for (size_t j = i; j < b.n; j++)
			if (b.v[j].counts && b.v[j].len == b.v[i].len &&
			    !memcmp(t + b.v[j].off, t + b.v[i].off,
				    b.v[i].len))
				reach = (long)j, count++;
		/* the most frequent; of equals, the one whose count was
		 * reached first (at its last occurrence) */
		if (count > s.max || (count == s.max && reach < best_reach)) {
			s.max = count;
			s.at = (long long)b.v[i].off;
			best_reach = reach;
		}
next:;
	}
	return s;
}

/* ---- the library against it ---- */

typedef struct one {
	cot_analyzer *az;
	cot_result *res;
} one;

static void analyze(one *o, const char *text, size_t n)
{
	cot_error err;

	if (!o->az) {
		cot_analyzer_options opts = COT_ANALYZER_OPTIONS_INIT;

		opts.untagged = COT_UNTAGGED_THINK;
		assert_int_equal(cot_analyzer_new(&o->az, &opts, &err),
				 COT_OK);
		assert_int_equal(cot_result_new(&o->res, o->az, &err), COT_OK);
	}
	assert_int_equal(cot_analyze_text(o->res, text, n, NULL, &err), COT_OK);
}

static long long get_int(one *o, const char *name)
{
	cot_value v;

	assert_int_equal(
		cot_result_get(&v, o->res, 0, field_id(o->az, name), NULL),
		COT_OK);
	if (v.type == COT_TYPE_NULL)
		return -1;
	assert_int_equal(v.type, COT_TYPE_INT);
	return v.i;
}

static void done(one *o)
{
	cot_result_free(o->res);
	cot_analyzer_free(o->az);
}

static const char *const names[6] = {
	"repeat.para.max", "repeat.para.run", "repeat.para.at",
	"repeat.sent.max", "repeat.sent.run", "repeat.sent.at"
};

/* got[] holds the six fields of names[], -1 for null. */
static void compare(const long long got[6], const char *t, size_t n,
		    const char *where)
{
	blocks pb = naive_paragraphs(t, n), sb = naive_sentences(t, n);
	stats ps = naive_stats(t, pb), ss = naive_stats(t, sb);
	long long want[6] = { ps.max, ps.run, ps.at, ss.max, ss.run, ss.at };

	for (int i = 0; i < 6; i++)
		if (got[i] != want[i])
			fail_msg("%s: %s is %lld, naive %lld", where, names[i],
				 got[i], want[i]);
	free(pb.v);
	free(sb.v);
}

static void check_against_naive(one *o, const char *t, size_t n,
				const char *where)
{
	long long got[6];

	for (int i = 0; i < 6; i++)
		got[i] = get_int(o, names[i]);
	compare(got, t, n, where);
}

static void test_repeat_paragraphs_counts_and_runs(void **state)
{
	one o = { 0 };
	tbuf b = { 0 };

	(void)state;
	/* a 20-character paragraph 10 times (the last one stripped of
	 * its spaces): the flag; 19 characters never count */
	for (int i = 0; i < 9; i++)
		tbuf_adds(&b, "This line is twenty.\n\nThis line is twenty"
			      "\n\n");
	tbuf_adds(&b, "  This line is twenty.  \n\n");
	analyze(&o, b.p, b.n);
	assert_int_equal(get_int(&o, "repeat.para.max"), 10);
	assert_int_equal(get_int(&o, "repeat.para.run"), 1);
	assert_int_equal(get_int(&o, "repeat.para.at"), 0);
	check_against_naive(&o, b.p, b.n, "hand");
	{
		cot_value v;

		assert_int_equal(cot_result_get(&v, o.res, 0,
						field_id(o.az, "repeat.flag"),
						NULL),
				 COT_OK);
		assert_true(v.b);
		assert_int_equal(cot_result_get(&v, o.res, 0,
						field_id(o.az, "repeat.rule"),
						NULL),
				 COT_OK);
		assert_int_equal(v.type, COT_TYPE_STRING);
		assert_memory_equal(v.s, "paragraph", 9);
	}
	b.n = 0;
	/* ...but 9 times is not flagged; runs of equal paragraphs */
	tbuf_adds(&b, "Intro paragraph of the text\n\n");
	for (int i = 0; i < 9; i++)
		tbuf_adds(&b, "This line is twenty.\n \n");
	analyze(&o, b.p, b.n);
	assert_int_equal(get_int(&o, "repeat.para.max"), 9);
	assert_int_equal(get_int(&o, "repeat.para.run"), 9);
	assert_int_equal(get_int(&o, "repeat.para.at"), 29);
	check_against_naive(&o, b.p, b.n, "hand 2");
	free(b.p);
	done(&o);
}

static void test_repeat_sentences_open_instruct_split(void **state)
{
	one o = { 0 };
	tbuf b = { 0 };
	cot_value v;

	(void)state;
	/* re.split(r'[.!?]+'): "..." and "?!" are one cut; one-word and
	 * short pieces break runs without counting */
	for (int i = 0; i < 4; i++)
		tbuf_adds(&b, "Let me check again?! ");
	tbuf_adds(&b, "Hmm... ");
	for (int i = 0; i < 3; i++)
		tbuf_adds(&b, "Let me check again. ");
	analyze(&o, b.p, b.n);
	assert_int_equal(get_int(&o, "repeat.sent.max"), 7);
	assert_int_equal(get_int(&o, "repeat.sent.run"), 4);
	assert_int_equal(get_int(&o, "repeat.sent.at"), 0);
	assert_int_equal(cot_result_get(&v, o.res, 0,
					field_id(o.az, "repeat.rule"), NULL),
			 COT_OK);
	assert_memory_equal(v.s, "sentence_run", 12);
	check_against_naive(&o, b.p, b.n, "hand");
	/* nothing that counts: null offsets */
	analyze(&o, "Yes. No. Maybe so.", 18);
	assert_int_equal(get_int(&o, "repeat.sent.max"), 0);
	assert_int_equal(get_int(&o, "repeat.sent.at"), -1);
	assert_int_equal(get_int(&o, "repeat.para.at"), -1);
	assert_int_equal(cot_result_get(&v, o.res, 0,
					field_id(o.az, "repeat.flag"), NULL),
			 COT_OK);
	assert_false(v.b);
	assert_int_equal(cot_result_get(&v, o.res, 0,
					field_id(o.az, "repeat.rule"), NULL),
			 COT_OK);
	assert_int_equal(v.type, COT_TYPE_NULL);
	free(b.p);
	done(&o);
}

static void test_repeat_matches_naive_random(void **state)
{
	static const char *const pieces[] = {
		"Let me check this again", "let me check this again", ". ",
		"!", "?", "\n\n", "\n", " ", "\xe3\x80\x80", "\x1c", "x",
		"It is twenty characters", "\xe4\xbd\xa0\xe5\xa5\xbd",
		/* one length, one first and last 8 bytes: told apart
		 * by their middles */
		"Check the value one more time",
		"Check the valve one more time",
	};
	uint64_t seed = 77;
	char buf[8192];
	one o = { 0 };

	(void)state;
	for (int round = 0; round < 3000; round++) {
		size_t n = random_pieces(buf, pieces,
					 sizeof pieces / sizeof *pieces, 200,
					 &seed);

		analyze(&o, buf, n);
		check_against_naive(&o, buf, n, "random");
	}
	done(&o);
}

typedef struct corpus_ctx {
	size_t checked, flagged;
} corpus_ctx;

static void check_trace(const trace_ref *t, void *vctx)
{
	corpus_ctx *c = vctx;
	char where[512];
	long long got[6];

	for (int i = 0; i < 6; i++) {
		cot_value v = field(t, names[i]);

		got[i] = v.type == COT_TYPE_NULL ? -1 : v.i;
	}
	snprintf(where, sizeof where, "%s line %llu trace %zu", trace_file(t),
		 t->line, t->index);
	compare(got, t->reasoning, t->rlen, where);
	c->checked++;
	c->flagged += field(t, "repeat.flag").b;
}

static void test_repeat_matches_naive_on_corpus(void **state)
{
	corpus_ctx c = { 0, 0 };

	(void)state;
	for_each_trace(NULL, check_trace, &c);
	print_message("# %zu traces checked, %zu flagged\n", c.checked,
		      c.flagged);
	/* SOURCES.md: Sky-T1 traces repeat one sentence hundreds of
	 * times */
	assert_true(c.flagged >= 40);
}

/* The same on the fixtures, whose looping traces repeat one sentence
 * tens to hundreds of times. */
static void test_repeat_matches_naive_on_fixtures(void **state)
{
	corpus_ctx c = { 0, 0 };

	(void)state;
	for_each_trace_in(data_dir(), NULL, check_trace, &c);
	print_message("# %zu traces checked, %zu flagged\n", c.checked,
		      c.flagged);
	assert_true(c.flagged >= 8);	/* make.py plants 8 loops */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeat_paragraphs_counts_and_runs),
		cmocka_unit_test(test_repeat_sentences_open_instruct_split),
		cmocka_unit_test(test_repeat_matches_naive_random),
		cmocka_unit_test(test_repeat_matches_naive_on_corpus),
		cmocka_unit_test(test_repeat_matches_naive_on_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
