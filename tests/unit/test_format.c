/* test_format.c - open-r1's and TRL's format rewards, and their fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "passes/health.h"
#include "corpus.h"
#include "traces.h"
#include "util.h"

#define R1(s) cot_format_reward(s, strlen(s))
#define TAGS(s) cot_tag_count_reward(s, strlen(s))
#define THINK(s) cot_think_format_reward(s, strlen(s))

/* huggingface/open-r1 tests/test_rewards.py (REFERENCE.md 1.2). */
static void test_format_reward_open_r1_published_values(void **state)
{
	(void)state;
	assert_true(R1("<think>\nSome reasoning\n</think>\n<answer>\n"
		       "The answer\n</answer>") == 1.0);
	assert_true(R1("<think>Only thinking</think>") == 0.0);
	assert_true(R1("<answer>Only answer</answer>") == 0.0);
	assert_true(R1("No tags at all") == 0.0);
	assert_true(R1("<think>Missing closing</think><answer>Missing "
		       "closing") == 0.0);
	assert_true(R1("<think>Wrong order</answer><answer>Wrong "
		       "order</think>") == 0.0);
}

/* What re.match with DOTALL | MULTILINE lets through (open-r1 #359):
 * '$' matches before any newline, the lazy gaps cross newlines and
 * tags. */
static void test_format_reward_python_re_semantics(void **state)
{
	(void)state;
	/* empty gaps */
	assert_true(R1("<think>\n\n</think>\n<answer>\n\n</answer>") == 1);
	/* "\n</think>" may not reuse the newline of "<think>\n" */
	assert_true(R1("<think>\n</think>\n<answer>\n\n</answer>") == 0);
	/* nor "\n</answer>" the newline of "<answer>\n" */
	assert_true(R1("<think>\n\n</think>\n<answer>\n</answer>") == 0);
	/* trailing text after a newline passes; on the same line not */
	assert_true(R1("<think>\na\n</think>\n<answer>\nb\n</answer>\n"
		       "junk") == 1);
	assert_true(R1("<think>\na\n</think>\n<answer>\nb\n</answer>junk")
		    == 0);
	/* ... unless a later "\n</answer>" ends a line */
	assert_true(R1("<think>\na\n</think>\n<answer>\nb\n</answer>x\n"
		       "</answer>") == 1);
	/* two blocks pass (the gap takes the first) */
	assert_true(R1("<think>\na\n</think>\n<answer>\nb\n</answer>\n"
		       "<think>\nc\n</think>\n<answer>\nd\n</answer>") == 1);
	/* CR is not a newline for '$' (Python agrees: no match) */
	assert_true(R1("<think>\na\n</think>\n<answer>\nb\n</answer>\r\n")
		    == 0);
	assert_true(R1("<think>\na\n</think>\n<answer>\nb\n</answer>\r")
		    == 0);
	/* must start at byte 0 */
	assert_true(R1("\n<think>\na\n</think>\n<answer>\nb\n</answer>")
		    == 0);
	assert_true(R1("") == 0 && R1("<think>\n") == 0);
}

/* open-r1 tag_count_reward (REFERENCE.md 1.3): str.count, which does not
 * count overlapping occurrences. */
static void test_tag_count_reward_values(void **state)
{
	(void)state;
	assert_true(TAGS("<think>\nSome reasoning\n</think>\n<answer>\n"
			 "The answer\n</answer>") == 1.0);
	assert_true(TAGS("<think>Only thinking</think>") == 0.0);
	assert_true(TAGS("<think>\nx\n</think>\ny") == 0.5);
	assert_true(TAGS("<think>\n<think>\nx\n</think>\n<answer>\ny\n"
			 "</answer>") == 0.75);
	/* "\n</think>\n</think>\n": two overlapping, one by str.count */
	assert_true(TAGS("\n</think>\n</think>\n") == 0.25);
	assert_true(TAGS("\n</think>\n\n</think>\n") == 0.0);
	assert_true(TAGS("") == 0.0);
}

/* huggingface/trl think_format_reward docstring (REFERENCE.md 2). */
static void test_think_format_reward_trl_published_values(void **state)
{
	(void)state;
	assert_true(THINK("<think>\nThis is my reasoning.\n</think>\nThis is "
			  "my answer.") == 1.0);
	assert_true(THINK("<think>\nThis is my reasoning.\nThis is my "
			  "answer.") == 0.0);
	/* one block only; opened at byte 0; the prefilled form fails */
	assert_true(THINK("<think>a</think><think>b</think>") == 0.0);
	assert_true(THINK("<think>a</think>b<think>") == 0.0);
	assert_true(THINK(" <think>a</think>") == 0.0);
	assert_true(THINK("reasoning</think>answer") == 0.0);
	assert_true(THINK("<think></think>") == 1.0);
	assert_true(THINK("<think>a<think></think>") == 0.0);
	assert_true(THINK("<think>") == 0.0);
}

/* A naive regex matcher would be a second implementation to trust; the
 * CLI test compares with Python's re itself. Here: every text made of
 * the patterns' pieces agrees with a brute force over the positions the
 * regex can choose. */
static double brute_r1(const char *t, size_t n)
{
	static const char a[] = "\n</think>\n<answer>\n", b[] = "\n</answer>";

	if (n < 8 || memcmp(t, "<think>\n", 8))
		return 0;
	for (size_t i = 8; i + 19 <= n; i++) {
		if (memcmp(t + i, a, 19))
			continue;
		for (size_t j = i + 19; j + 10 <= n; j++)
			if (!memcmp(t + j, b, 10) &&
			    (j + 10 == n || t[j + 10] == '\n'))
				return 1;
	}
	return 0;
}

static size_t brute_count(const char *t, size_t n, const char *p)
{
	size_t k = 0, m = strlen(p);

	for (size_t i = 0; i + m <= n;)
		if (!memcmp(t + i, p, m)) {
			k++;
			i += m;
		} else {
			i++;
		}
	return k;
}

static void test_format_rewards_match_brute_force_random(void **state)
{
	static const char *const pieces[] = {
		"<think>", "</think>", "<answer>", "</answer>", "\n", "\n",
		"x", " ", "<", "\n</think>\n", "<think>\n", "\n<answer>\n",
		"\n</answer>"
	};
	uint64_t seed = 12345;
	char buf[2048];

	(void)state;
	for (int round = 0; round < 200000; round++) {
		size_t n = random_pieces(buf, pieces, 13, 14, &seed);
		double tags = 0.25 * (brute_count(buf, n, "<think>\n") == 1) +
			      0.25 * (brute_count(buf, n, "\n</think>\n") ==
				      1) +
			      0.25 * (brute_count(buf, n, "\n<answer>\n") ==
				      1) +
			      0.25 * (brute_count(buf, n, "\n</answer>") == 1);
		bool think = n >= 7 && !memcmp(buf, "<think>", 7) &&
			     brute_count(buf + 7, n - 7, "<think>") == 0 &&
			     brute_count(buf + 7, n - 7, "</think>") > 0;

		assert_true(cot_format_reward(buf, n) == brute_r1(buf, n));
		assert_true(cot_tag_count_reward(buf, n) == tags);
		assert_true(cot_think_format_reward(buf, n) == think);
	}
}

/* ---- the fields ---- */

static cot_result *analyze_json(cot_analyzer **az, const char *json)
{
	cot_result *res;
	cot_error err;

	assert_int_equal(cot_analyzer_new(az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, *az, &err), COT_OK);
	assert_int_equal(cot_analyze_json(res, json, strlen(json), &err),
			 COT_OK);
	return res;
}

static cot_value get(cot_analyzer *az, cot_result *res, size_t i,
		     const char *name)
{
	cot_value v;

	assert_int_equal(cot_result_get(&v, res, i, field_id(az, name), NULL),
			 COT_OK);
	return v;
}

static void test_reward_fields_on_text_and_structured(void **state)
{
	cot_analyzer *az;
	cot_result *res = analyze_json(&az,
		"[\"<think>\\na\\n</think>\\n<answer>\\nb\\n</answer>\","
		"\"reasoning\\n</think>\\n\\nanswer\","
		"{\"role\":\"assistant\",\"reasoning_content\":\"r\","
		"\"content\":\"c\"}]");
	cot_value v;

	(void)state;
	assert_int_equal(cot_result_traces(res), 3);
	v = get(az, res, 0, "reward.format");
	assert_true(v.type == COT_TYPE_REAL && v.r == 1.0);
	assert_true(get(az, res, 0, "reward.tag_count").r == 1.0);
	assert_true(get(az, res, 0, "reward.think_format").r == 1.0);
	assert_int_equal(get(az, res, 0, "reward.think_format_prefilled").type,
			 COT_TYPE_NULL);
	/* prefilled: TRL scores 0, the prefilled reading 1 */
	assert_true(get(az, res, 1, "reward.think_format").r == 0.0);
	v = get(az, res, 1, "reward.think_format_prefilled");
	assert_true(v.type == COT_TYPE_REAL && v.r == 1.0);
	assert_true(get(az, res, 1, "reward.tag_count").r == 0.25);
	/* structured reasoning has no raw text */
	assert_int_equal(get(az, res, 2, "reward.format").type,
			 COT_TYPE_NULL);
	assert_int_equal(get(az, res, 2, "reward.tag_count").type,
			 COT_TYPE_NULL);
	assert_int_equal(get(az, res, 2, "reward.think_format").type,
			 COT_TYPE_NULL);
	assert_int_equal(get(az, res, 2, "reward.think_format_prefilled")
			 .type, COT_TYPE_NULL);
	cot_result_free(res);
	cot_analyzer_free(az);
}

typedef struct tally {
	size_t text, r1, think, prefilled;
} tally;

static void count_trace(const trace_ref *t, void *vctx)
{
	tally *c = vctx;
	cot_value r1 = field(t, "reward.format");
	cot_value pre = field(t, "reward.think_format_prefilled");

	if (r1.type == COT_TYPE_NULL) {
		assert_int_equal(field(t, "tagged").b &&
				 field(t, "dialect").type == COT_TYPE_NULL, 1);
		return;
	}
	c->text++;
	c->r1 += r1.r == 1.0;
	c->think += field(t, "reward.think_format").r == 1.0;
	c->prefilled += pre.type != COT_TYPE_NULL && pre.r == 1.0;
	/* a prefilled trace (close marker, no open) of the think dialect
	 * passes the prefilled reading when it has one block */
	if (field(t, "prefilled").b && field(t, "dialect").type ==
	    COT_TYPE_STRING && !strncmp(field(t, "dialect").s, "think", 5) &&
	    field(t, "think_blocks").i == 1)
		assert_true(pre.type == COT_TYPE_REAL);
}

static void test_reward_fields_on_corpus(void **state)
{
	tally c = { 0 };

	(void)state;
	for_each_trace(NULL, count_trace, &c);
	print_message("# %zu raw texts: format 1 in %zu, think_format 1 in "
		      "%zu, prefilled reading 1 in %zu\n", c.text, c.r1,
		      c.think, c.prefilled);
	/* the R1 API traces (<think>\n...</think>answer) pass TRL, the
	 * distills (prefilled) pass only the prefilled reading */
	assert_true(c.think >= 30);
	assert_true(c.prefilled >= 30);
}

/* The same on the fixtures: R1-style and prefilled flat rows, Sky-T1
 * markers, structured provider shapes. */
static void test_reward_fields_on_fixtures(void **state)
{
	tally c = { 0 };

	(void)state;
	for_each_trace_in(data_dir(), NULL, count_trace, &c);
	print_message("# %zu raw texts: format 1 in %zu, think_format 1 in "
		      "%zu, prefilled reading 1 in %zu\n", c.text, c.r1,
		      c.think, c.prefilled);
	/* topology/r1.jsonl (6) passes TRL; topology/distill.jsonl (5
	 * closed) only the prefilled reading */
	assert_true(c.think >= 6);
	assert_true(c.prefilled >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_reward_open_r1_published_values),
		cmocka_unit_test(test_format_reward_python_re_semantics),
		cmocka_unit_test(test_tag_count_reward_values),
		cmocka_unit_test(
			test_think_format_reward_trl_published_values),
		cmocka_unit_test(test_format_rewards_match_brute_force_random),
		cmocka_unit_test(test_reward_fields_on_text_and_structured),
		cmocka_unit_test(test_reward_fields_on_corpus),
		cmocka_unit_test(test_reward_fields_on_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
