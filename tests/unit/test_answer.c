/* test_answer.c - answer statements: rules, priorities, boxes, linear time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "passes/answer.h"
#include "corpus.h"
#include "util.h"

/* The statements of s as "rule:text" joined by " | ". */
static void scan(const char *s, bool answer, char *buf, size_t cap)
{
	cot__arena a;
	cot__stmts st;

	cot__arena_init(&a);
	assert_int_equal(cot__answer_scan(s, strlen(s), answer, &a, &st),
			 COT_OK);
	buf[0] = '\0';
	for (size_t i = 0; i < st.n; i++) {
		const cot__stmt *x = &st.v[i];

		assert_true(x->at < x->off || (x->at == 0 && x->off == 0));
		assert_true(x->off + x->len <= x->end);
		assert_true(x->end <= strlen(s));
		if (i)
			assert_true(st.v[i - 1].at < x->at);
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s:%.*s",
			 i ? " | " : "", cot__rule_names[x->rule],
			 (int)x->len, s + x->off);
	}
	cot__arena_dispose(&a);
}

/* The final answer of a list of statements, as the answer pass picks
 * it from them one at a time. */
static const cot__stmt *pick_of(const cot__stmts *st, cot__picker *k)
{
	memset(k, 0, sizeof *k);
	for (size_t i = 0; i < st->n; i++)
		cot__pick_see(k, &st->v[i]);
	return cot__pick(k);
}

static void check(const char *s, bool answer, const char *want)
{
	char got[2048];

	scan(s, answer, got, sizeof got);
	if (strcmp(got, want))
		fail_msg("scan(\"%s\") = \"%s\", want \"%s\"", s, got, want);
}

static void test_answer_scan_rules(void **state)
{
	(void)state;
	/* boxes: SPEC 3, white space before '{', escaped braces */
	check("so \\boxed{42}.", false, "boxed:42");
	check("\\boxed {x\\}y}", false, "boxed:x\\}y");
	check("\\fbox{1} and \\boxed{\\frac{1}{2}}", false,
	      "boxed:1 | boxed:\\frac{1}{2}");
	/* a box holding a box is not a statement: the inner one is */
	check("\\boxed{a \\boxed{b}}", false, "boxed:b");
	check("\\boxed{\\boxed{\\boxed{1}} \\fbox{2}}", false,
	      "boxed:1 | boxed:2");
	check("\\boxed{1} \\boxed{2", false, "boxed:1");
	check("\\boxedx{1}", false, "");
	check("\\boxed{}", false, "boxed:");
	/* anchors and where their text ends */
	check("The final answer is $5$. I hope it is correct.", false,
	      "final_answer_is:$5$");
	check("the final answer is: 3.14 and so on", false,
	      "final_answer_is:3.14");
	check("the answer is $x = 5$ and more", false, "answer_is:$x = 5$");
	check("the answer is 2 \\sqrt{3} or so", false,
	      "answer_is:2 \\sqrt{3}");
	check("So the answer is 12, which is even.", false,
	      "answer_is:12");
	check("So the answer is correct.", false, "");
	check("the answer is x = 3.", false, "answer_is:x = 3");
	check("**Answer:** 7\nmore", false, "bold_answer:7");
	check("**Answer**: **7**", false, "bold_answer:7");
	check("**Final Answer**\n\n12 apples", false, "bold_answer:12 apples");
	check("Answer: 253", false, "answer_colon:253");
	check("### Final Answer:\nAnswer: 253", false, "answer_colon:253");
	check("Answer:\n\n$$\nx = 1\n$$\n", false,
	      "answer_colon:$$\nx = 1\n$$");
	check("Answer: \\[ 2 \\] ok", false, "answer_colon:\\[ 2 \\]");
	check("answers: 1", false, "");
	check("reanswer: 1", false, "");
	check("Answer:   ", false, "");
	/* an anchor around another statement gives way to it */
	check("Answer: \\boxed{5}", false, "boxed:5");
	check("Answer: the answer is 5", false, "answer_is:5");
	/* R1-Zero tags: closed anywhere; unclosed only in an answer */
	check("<answer> 9 </answer>", false, "answer_tag:9");
	check("reply as <answer>X</answer>", false, "answer_tag:X");
	check("reply as '<answer>'.", false, "");
	check("<answer>\n 9 \n", true, "answer_tag:9");
	check("<answer>\\boxed{3}</answer>", true, "boxed:3");
}

/* The closing rules, each on its own: what each takes, and the endings
 * that state nothing. want NULL: no statement. */
static void test_answer_closing_rules(void **state)
{
	static const struct {
		const char *text, *want, *rule;
	} cases[] = {
		/* last_display */
		{ "So:\n\\[\n\\sqrt{117} = \\sqrt{9 \\times 13} = 3\\sqrt{13}"
		  "\n\\]\n", "3\\sqrt{13}", "last_display" },
		{ "Hence $$x^2 + 1 = 5,$$.", "5", "last_display" },
		{ "The sum:\n\\[ \\frac{a}{b} \\]", "\\frac{a}{b}",
		  "last_display" },
		{ "\\[ f(x) = \\{ x \\mid x = 1 \\} \\]",
		  "\\{ x \\mid x = 1 \\}", "last_display" },
		{ "\\[ a = b \\] and then more words.", NULL, NULL },
		{ "no opener \\]", NULL, NULL },
		{ "\\[ x = \\]", NULL, NULL },
		/* last_statement */
		{ "So, the mean of her quiz scores currently is 7.", "7",
		  "last_statement" },
		{ "So, m = 25 and n = 169, and m + n = 194.\n\nI think "
		  "that's the answer.", "194", "last_statement" },
		{ "Thus the distance equals 12 units.", "12",
		  "last_statement" },
		{ "First x is 2. Then y was -3.5!", "-3.5", "last_statement" },
		{ "We get 4 + 5 = 9.\n\nDone.\n\nReally.", NULL, NULL },
		{ "The probability is 1 minus the chance it never does.", NULL,
		  NULL },
		{ "And since tan 45 is 1, the angle is indeed 45 degrees.",
		  NULL, NULL },
		{ "Then x = 4, and we stop", NULL, NULL },
		{ "The value is correct.", NULL, NULL },
		{ "x >= 3.", NULL, NULL },
		{ "", NULL, NULL },
		{ ".", NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *t = cases[i].text;
		cot__stmt s;
		bool got = cot__answer_closing(t, strlen(t), &s);

		if (got != (cases[i].want != NULL) ||
		    (got && (s.len != strlen(cases[i].want) ||
			     memcmp(t + s.off, cases[i].want, s.len) != 0 ||
			     strcmp(cot__rule_names[s.rule], cases[i].rule) ||
			     s.at > s.off || s.off + s.len > s.end ||
			     s.end > strlen(t)))) {
			print_error("%s: got %s '%.*s'\n", t,
				    got ? cot__rule_names[s.rule] : "none",
				    got ? (int)s.len : 0, got ? t + s.off : "");
			fail();
		}
	}
}

static void test_answer_pick_priority(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "Answer: 1\n\\boxed{2}\nthe final answer is 3", "2" },
		{ "\\boxed{1} \\boxed{2}", "2" },
		{ "\\boxed{a \\boxed{b}}", "b" },	/* starts last */
		{ "Answer: 1\nthe final answer is 3\nAnswer: 4", "3" },
		{ "Answer: 1\n**Answer:** 2\nAnswer: 4", "2" },
		{ "Answer: 1\nAnswer: 4\nthe answer is 5", "4" },
		{ "the answer is 5", "5" },
		{ "<answer>7</answer> Answer: 8", "7" },
		{ "nothing here", NULL },
	};
	cot__arena a;

	(void)state;
	cot__arena_init(&a);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *t = cases[i].text;
		cot__stmts st;
		cot__picker k;
		const cot__stmt *s;

		assert_int_equal(cot__answer_scan(t, strlen(t), false, &a,
						  &st), COT_OK);
		s = pick_of(&st, &k);
		if (!cases[i].want) {
			assert_null(s);
			continue;
		}
		assert_non_null(s);
		if (strlen(cases[i].want) != s->len ||
		    memcmp(t + s->off, cases[i].want, s->len))
			fail_msg("pick(\"%s\") = \"%.*s\"", t, (int)s->len,
				 t + s->off);
	}
	cot__arena_dispose(&a);
}

/* ---- boxes against a naive search ---- */

/* The naive rule of answer_extracted, box by box: from every backslash
 * that starts \boxed or \fbox (white space, here ASCII, before '{'),
 * scan for the brace that balances, a backslash taking the next byte;
 * then leave out each box that another box starts inside. */
static size_t naive_boxes(const char *t, size_t n, size_t *at, size_t *off,
			  size_t *len)
{
	size_t k = 0, kept = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j, depth = 1;

		if (t[i] != '\\')
			continue;
		if (n - i > 5 && !memcmp(t + i + 1, "boxed", 5))
			j = i + 6;
		else if (n - i > 4 && !memcmp(t + i + 1, "fbox", 4))
			j = i + 5;
		else
			continue;
		while (j < n && (t[j] == ' ' || t[j] == '\n'))
			j++;
		if (j >= n || t[j] != '{')
			continue;
		for (size_t c = j + 1; c < n; c++) {
			if (t[c] == '\\') {
				c++;
			} else if (t[c] == '{') {
				depth++;
			} else if (t[c] == '}' && --depth == 0) {
				at[k] = i;
				off[k] = j + 1;
				len[k] = c - j - 1;
				k++;
				break;
			}
		}
	}
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			if (at[j] > at[i] && at[j] < off[i] + len[i]) {
				at[i] = SIZE_MAX;	/* holds box j */
				break;
			}
	for (size_t i = 0; i < k; i++)
		if (at[i] != SIZE_MAX) {
			at[kept] = at[i];
			off[kept] = off[i];
			len[kept] = len[i];
			kept++;
		}
	return kept;
}

static void test_answer_scan_boxes_match_naive(void **state)
{
	static const char *const pieces[] = {
		"\\boxed{", "\\fbox {", "{", "}", "\\", "\\\\", "x", " ",
		"\n", "\\{", "\\}", "\\boxed", "answer is 3", "Answer: 4",
		"<answer>", "</answer>",
	};
	static size_t at[4096], off[4096], len[4096];
	uint64_t seed = 11;
	char t[4096];
	cot__arena a;

	(void)state;
	cot__arena_init(&a);
	for (int k = 0; k < 20000; k++) {
		size_t n = random_pieces(t, pieces, sizeof pieces /
					 sizeof *pieces, 40, &seed);
		size_t nb = naive_boxes(t, n, at, off, len), m = 0;
		cot__stmts st;
		cot__span box;
		cot__stmt *pick = NULL;
		cot__picker pk;

		assert_int_equal(cot__answer_scan(t, n, k & 1, &a, &st),
				 COT_OK);
		for (size_t i = 0; i < st.n; i++) {
			if (st.v[i].rule != COT__RULE_BOXED)
				continue;
			assert_true(m < nb);
			assert_int_equal(st.v[i].at, at[m]);
			assert_int_equal(st.v[i].off, off[m]);
			assert_int_equal(st.v[i].len, len[m]);
			pick = &st.v[i];
			m++;
		}
		assert_int_equal(m, nb);
		/* the last box is SPEC 3's answer_extracted */
		if (cot__text_boxed(t, n, &box)) {
			assert_non_null(pick);
			assert_int_equal(pick->off, box.off);
			assert_int_equal(pick->len, box.len);
			const cot__stmt *p = pick_of(&st, &pk);

			assert_int_equal(p->at, pick->at);
			assert_int_equal(p->rule, COT__RULE_BOXED);
		} else {
			assert_null(pick);
		}
		cot__arena_reset(&a);
	}
	cot__arena_dispose(&a);
}

/* When statements are handed on (after each one, or only at the end)
 * does not change which they are: long texts dense with every kind of
 * statement, nested and unclosed boxes, and anchors whose text holds
 * others. */
static void test_answer_scan_window_free(void **state)
{
	static const char *const pieces[] = {
		"\\boxed{", "\\fbox {", "{", "}", "}", "\\", "x", " ", "\n",
		"\\{", "answer is 3", "Answer: ", "Answer: 4. ", "<answer>",
		"</answer>", "**Answer:** ", "the final answer is ", "1",
		"$$", "\\[", "\\]", ".", ". ",
	};
	static char t[64 * 1024];
	uint64_t seed = 5;
	size_t saved = cot__answer_window;
	cot__arena a;

	(void)state;
	cot__arena_init(&a);
	for (int k = 0; k < 400; k++) {
		size_t n = random_pieces(t, pieces, sizeof pieces /
					 sizeof *pieces, 1 + k * 8, &seed);
		cot__stmts one, all;

		cot__answer_window = 1;
		assert_int_equal(cot__answer_scan(t, n, k & 1, &a, &one),
				 COT_OK);
		cot__answer_window = SIZE_MAX;
		assert_int_equal(cot__answer_scan(t, n, k & 1, &a, &all),
				 COT_OK);
		assert_int_equal(one.n, all.n);
		for (size_t i = 0; i < one.n; i++) {
			assert_int_equal(one.v[i].at, all.v[i].at);
			assert_int_equal(one.v[i].off, all.v[i].off);
			assert_int_equal(one.v[i].len, all.v[i].len);
			assert_int_equal(one.v[i].rule, all.v[i].rule);
			if (i)
				assert_true(one.v[i - 1].at < one.v[i].at);
		}
		cot__arena_reset(&a);
	}
	cot__answer_window = saved;
	cot__arena_dispose(&a);
}

/* ---- linear time on hostile input ---- */

static double scan_seconds(const char *piece, size_t times, bool answer)
{
	size_t pl = strlen(piece), n = pl * times;
	char *t = malloc(n + 1);
	cot__arena a;
	cot__stmts st;
	clock_t c0;

	assert_non_null(t);
	for (size_t i = 0; i < times; i++)
		memcpy(t + i * pl, piece, pl);
	cot__arena_init(&a);
	c0 = clock();
	assert_int_equal(cot__answer_scan(t, n, answer, &a, &st), COT_OK);
	c0 = clock() - c0;
	cot__arena_dispose(&a);
	free(t);
	return (double)c0 / CLOCKS_PER_SEC;
}

static void test_answer_scan_linear_time(void **state)
{
	static const char *const hostile[] = {
		"\\boxed{", "\\boxed{{", "}", "answer is ", "Answer: ",
		"answer is $$", "Answer: \\[", "<answer>", "**Answer:** x ",
		"the answer is 1 ",
	};

	(void)state;
	/* 2 MB of each: a quadratic scan would take minutes */
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		size_t times = 2000000 / strlen(hostile[i]);
		double s = scan_seconds(hostile[i], times, i & 1);

		if (s > 2.0)
			fail_msg("\"%s\" x %zu took %.2f s", hostile[i], times,
				 s);
	}
}

static void test_answer_scan_out_of_memory(void **state)
{
	const char *t = "Answer: 1\n\\boxed{2} \\boxed{\\boxed{3}}\n"
			"the answer is 4\n<answer>5</answer>\n"
			"**Answer:** 6";
	int rc;

	(void)state;
	for (long fails = 0;; fails++) {
		cot__arena a;
		cot__stmts st;

		cot__arena_init(&a);
		cot__alloc_fail_after(fails);
		rc = cot__answer_scan(t, strlen(t), false, &a, &st);
		cot__alloc_fail_after(-1);
		if (rc == COT_OK)
			assert_int_equal(st.n, 6);
		cot__arena_dispose(&a);
		if (rc == COT_OK)
			break;
		assert_int_equal(rc, COT_ENOMEM);
		assert_true(fails < 20);
	}
}

/* ---- real traces ---- */

static bool box_agrees(const char *s, size_t len)
{
	cot__arena a;
	cot__stmts st;
	cot__span box;
	const cot__stmt *p;
	cot__picker k;
	bool has;

	cot__arena_init(&a);
	assert_int_equal(cot__answer_scan(s, len, false, &a, &st), COT_OK);
	p = pick_of(&st, &k);
	has = cot__text_boxed(s, len, &box);
	if (has) {
		assert_non_null(p);
		assert_int_equal(p->rule, COT__RULE_BOXED);
		assert_int_equal(p->off, box.off);
		assert_int_equal(p->len, box.len);
	} else if (p) {
		assert_int_not_equal(p->rule, COT__RULE_BOXED);
	}
	for (size_t i = 0; i < st.n; i++)
		assert_true(st.v[i].off + st.v[i].len <= len);
	cot__arena_dispose(&a);
	return has;
}

static void test_answer_scan_corpus_boxes(void **state)
{
	(void)state;
	corpus_check_strings(box_agrees);
}

/* The same on every string of the fixtures (tests/data), whose answers
 * box theirs. */
static void test_answer_scan_fixture_boxes(void **state)
{
	(void)state;
	dir_check_strings(data_dir(), box_agrees);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_scan_rules),
		cmocka_unit_test(test_answer_closing_rules),
		cmocka_unit_test(test_answer_pick_priority),
		cmocka_unit_test(test_answer_scan_boxes_match_naive),
		cmocka_unit_test(test_answer_scan_window_free),
		cmocka_unit_test(test_answer_scan_linear_time),
		cmocka_unit_test(test_answer_scan_out_of_memory),
		cmocka_unit_test(test_answer_scan_corpus_boxes),
		cmocka_unit_test(test_answer_scan_fixture_boxes),
	};

	return cmocka_run_group_tests_name("answer", tests, NULL, NULL);
}
