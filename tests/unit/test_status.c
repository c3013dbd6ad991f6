/* test_status.c - completion status, its rules, finish and mid_sentence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "passes/health.h"
#include "corpus.h"
#include "traces.h"
#include "util.h"

static void test_finish_class_across_providers(void **state)
{
	static const struct {
		const char *s;
		int want;
	} cases[] = {
		{ "length", COT__FINISH_LENGTH },
		{ "max_tokens", COT__FINISH_LENGTH },	/* Anthropic */
		{ "MAX_TOKENS", COT__FINISH_LENGTH },	/* Gemini */
		{ "max_output_tokens", COT__FINISH_LENGTH },
		{ "incomplete", COT__FINISH_LENGTH },
		{ "model_length", COT__FINISH_LENGTH },	/* Mistral */
		{ "model_context_window_exceeded", COT__FINISH_LENGTH },
		{ "stop", COT__FINISH_STOP },
		{ "STOP", COT__FINISH_STOP },
		{ "end_turn", COT__FINISH_STOP },
		{ "stop_sequence", COT__FINISH_STOP },
		{ "COMPLETE", COT__FINISH_STOP },
		{ "completed", COT__FINISH_STOP },
		{ "eos_token", COT__FINISH_STOP },
		{ "tool_calls", COT__FINISH_OTHER },
		{ "tool_use", COT__FINISH_OTHER },
		{ "content_filter", COT__FINISH_OTHER },
		{ "SAFETY", COT__FINISH_OTHER },
		{ "lengthy", COT__FINISH_OTHER },
		{ "", COT__FINISH_OTHER },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (cot__finish_class(cases[i].s, strlen(cases[i].s)) !=
		    cases[i].want)
			fail_msg("%s", cases[i].s);
	assert_int_equal(cot__finish_class(NULL, 0), COT__FINISH_NULL);
	assert_int_equal(cot__finish_class("lengthX", 6), COT__FINISH_LENGTH);
}

static void test_mid_sentence_last_character(void **state)
{
	static const char *const mid[] = {
		"and then the", "= 2200 / 288 = 220", "x +", "the answer is:",
		"a, b,", "(see", "\\frac{1", "\xe4\xbe\x9b\xe5\xba\x94",
		"\xcf\x89 \xe2\x89\xa0", "Wait, 8", "list item -",
		"\xe3\x80\x81", "a\\",
	};
	static const char *const done_[] = {
		"It is 5.", "Really?", "Stop!", "(as shown.)", "\\]",
		"\\boxed{5}", "$x = 2$", "**Answer**", "\"quoted.\"",
		"it's 'x'", "hmm...", "50%", "|x|", "\xe5\xa5\xbd\xe3\x80\x82",
		"\xe2\x80\xa6", "\xef\xbc\x9f", "end\xe2\x80\x9d", "\xc2\xbb",
		"x = 5.\n\n  \t\xe3\x80\x80",
	};

	(void)state;
	for (size_t i = 0; i < sizeof mid / sizeof *mid; i++)
		if (!cot__mid_sentence(mid[i], strlen(mid[i])))
			fail_msg("should be mid-sentence: %s", mid[i]);
	for (size_t i = 0; i < sizeof done_ / sizeof *done_; i++)
		if (cot__mid_sentence(done_[i], strlen(done_[i])))
			fail_msg("should not be mid-sentence: %s", done_[i]);
	assert_false(cot__mid_sentence("", 0));
	assert_false(cot__mid_sentence(" \n\xe3\x80\x80", 5));
}

/* ---- every rule on a hand-made record ---- */

typedef struct expect {
	const char *json;
	const char *status, *rule;
} expect;

static const char LOOP_TEXT_HEAD[] = "<think>\\nLet us see.\\n\\n";

static void check_status(cot_analyzer *az, cot_result *res,
			 const char *json, const char *status,
			 const char *rule)
{
	cot_error err;
	cot_value s, r;

	if (cot_analyze_json(res, json, strlen(json), &err) != COT_OK)
		fail_msg("%s: %s", json, err.message);
	assert_int_equal(cot_result_traces(res), 1);
	assert_int_equal(
		cot_result_get(&s, res, 0, field_id(az, "status"), NULL),
		COT_OK);
	assert_int_equal(
		cot_result_get(&r, res, 0, field_id(az, "status_rule"), NULL),
		COT_OK);
	if (s.len != strlen(status) || memcmp(s.s, status, s.len) ||
	    r.len != strlen(rule) || memcmp(r.s, rule, r.len))
		fail_msg("%s: got %.*s/%.*s, want %s/%s", json, (int)s.len,
			 s.s, (int)r.len, r.s, status, rule);
}

static void test_status_every_rule(void **state)
{
	static const expect cases[] = {
		/* the record says it stopped for length: first rule */
		{ "{\"choices\":[{\"message\":{\"role\":\"assistant\","
		  "\"reasoning_content\":\"r.\",\"content\":\"c.\"},"
		  "\"finish_reason\":\"length\"}]}",
		  "truncated", "finish_length" },
		{ "{\"role\":\"assistant\",\"content\":[{\"type\":"
		  "\"thinking\",\"thinking\":\"r\"},{\"type\":\"text\","
		  "\"text\":\"c\"}],"
		  "\"stop_reason\":\"max_tokens\"}",
		  "truncated", "finish_length" },
		{ "{\"done_reason\":\"length\",\"thinking\":\"a b\","
		  "\"content\":\"\"}", "truncated", "finish_length" },
		/* an empty block: tags, or a structured white-space field */
		{ "{\"text\":\"<think>\\n\\n</think>\\n\\nHi.\"}",
		  "empty_think", "empty_block" },
		{ "{\"role\":\"assistant\",\"reasoning_content\":\" \\n\","
		  "\"content\":\"Hi.\"}", "empty_think", "empty_block" },
		/* reasoning only in redacted form */
		{ "{\"role\":\"assistant\",\"content\":[{\"type\":"
		  "\"redacted_thinking\",\"data\":\"EmwK\"},{\"type\":"
		  "\"text\",\"text\":\"Hi.\"}]}", "redacted",
		  "redacted_only" },
		/* no reasoning: a message without any, or an empty field */
		{ "{\"role\":\"assistant\",\"content\":\"Hi.\"}",
		  "no_think", "no_reasoning" },
		{ "{\"role\":\"assistant\",\"thinking\":\"\","
		  "\"content\":\"Hi.\"}", "no_think", "no_reasoning" },
		{ "{\"done_reason\":\"stop\",\"thinking\":\"\","
		  "\"content\":\"Hi.\"}", "no_think", "no_reasoning" },
		/* open marker, no close */
		{ "{\"text\":\"<think>\\nLet me think about this and\"}",
		  "truncated", "mid_sentence" },
		{ "{\"text\":\"<think>\\nI am done thinking.\"}",
		  "unterminated", "no_close" },
		/* a bare text without markers is read as reasoning */
		{ "{\"response\":\"The answer is 5.\"}", "no_think",
		  "untagged" },
		{ "{\"response\":\"The answer is \\\\frac{1\"}", "truncated",
		  "mid_sentence" },
		/* an answer opened by its marker and never closed */
		{ "{\"text\":\"<|begin_of_thought|>r<|end_of_thought|>"
		  "<|begin_of_solution|>The value is 4\"}", "truncated",
		  "answer_cut" },
		{ "{\"text\":\"<|begin_of_thought|>r<|end_of_thought|>"
		  "<|begin_of_solution|>The value is 4.\"}", "unterminated",
		  "answer_unclosed" },
		{ "{\"text\":\"<think>r</think><answer>4\"}", "truncated",
		  "answer_cut" },
		/* gpt-oss: <|return|> is a stop token servers strip */
		{ "{\"text\":\"<|channel|>analysis<|message|>r<|end|>"
		  "<|start|>assistant<|channel|>final<|message|>4\"}",
		  "complete", "answered" },
		/* closed */
		{ "{\"text\":\"<think>r</think>  \\n\"}", "no_answer",
		  "answer_blank" },
		{ "{\"text\":\"r</think>4\"}", "complete", "answered" },
		{ "{\"text\":\"<|begin_of_thought|>r<|end_of_thought|>"
		  "<|begin_of_solution|>4<|end_of_solution|>\"}", "complete",
		  "answered" },
		{ "{\"choices\":[{\"message\":{\"role\":\"assistant\","
		  "\"reasoning_content\":\"r\",\"content\":\"4\"},"
		  "\"finish_reason\":\"stop\"}]}", "complete", "answered" },
		{ "{\"role\":\"assistant\",\"reasoning_content\":\"r\","
		  "\"content\":\"\"}", "no_answer", "answer_blank" },
	};
	cot_analyzer *az;
	cot_result *res;
	cot_error err;

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check_status(az, res, cases[i].json, cases[i].status,
			     cases[i].rule);
	/* a tail loop: truncated by the loop rule, which comes before
	 * mid_sentence */
	{
		tbuf b = { 0 };

		tbuf_adds(&b, "{\"text\":\"");
		tbuf_adds(&b, LOOP_TEXT_HEAD);
		for (int i = 0; i < 30; i++)
			tbuf_adds(&b, "Wait, 8481 / 3 = 2827, which is not an "
				      "integer.\\n\\n");
		tbuf_adds(&b, "Wait, 84\"}");
		check_status(az, res, b.p, "truncated", "tail_loop");
		/* the same loop closed is no truncation */
		b.n -= 2;
		tbuf_adds(&b, "81.</think>x\"}");
		check_status(az, res, b.p, "complete", "answered");
		free(b.p);
	}
	cot_result_free(res);
	cot_analyzer_free(az);
}

static void test_status_finish_field(void **state)
{
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	cot_value v;
	const char *j1 = "{\"role\":\"assistant\",\"content\":\"x\","
			 "\"finishReason\":\"MAX_TOKENS\"}";
	const char *j2 = "{\"role\":\"assistant\",\"content\":\"x\"}";

	(void)state;
	assert_int_equal(cot_analyzer_new(&az, NULL, &err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_json(res, j1, strlen(j1), &err), COT_OK);
	assert_int_equal(
		cot_result_get(&v, res, 0, field_id(az, "finish"), NULL),
		COT_OK);
	assert_int_equal(v.type, COT_TYPE_STRING);
	assert_memory_equal(v.s, "length", 6);
	/* the record's own value stays in finish_reason */
	assert_int_equal(
		cot_result_get(&v, res, 0, field_id(az, "finish_reason"), NULL),
		COT_OK);
	assert_memory_equal(v.s, "MAX_TOKENS", 10);
	assert_int_equal(cot_analyze_json(res, j2, strlen(j2), &err), COT_OK);
	assert_int_equal(
		cot_result_get(&v, res, 0, field_id(az, "finish"), NULL),
		COT_OK);
	assert_int_equal(v.type, COT_TYPE_NULL);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* ---- the corpus ---- */

static const char *const statuses[] = {
	"complete", "no_answer", "unterminated", "truncated", "empty_think",
	"no_think", "redacted"
};

typedef struct corpus_ctx {
	size_t n[7];
	size_t ollama_length, ollama_other;
} corpus_ctx;

static bool is(cot_value v, const char *s)
{
	return v.type == COT_TYPE_STRING && v.len == strlen(s) &&
	       !memcmp(v.s, s, v.len);
}

static void check_trace(const trace_ref *t, void *vctx)
{
	corpus_ctx *c = vctx;
	cot_value s = field(t, "status"), r = field(t, "status_rule");
	cot_value fr = field(t, "finish_reason");
	size_t k;

	for (k = 0; k < 7 && !is(s, statuses[k]); k++)
		;
	assert_true(k < 7);
	c->n[k]++;
	/* the rule and the status agree; a length stop is truncated */
	if (is(field(t, "finish"), "length"))
		assert_true(is(r, "finish_length"));
	if (is(r, "tail_loop"))
		assert_true(field(t, "loop.tail").b && !field(t, "closed").b);
	if (is(r, "mid_sentence"))
		assert_true(field(t, "mid_sentence").b);
	if (is(s, "complete"))
		assert_true(field(t, "closed").b);
	/* Ollama's done_reason (SOURCES.md: 11 + 2 + 60 of 800 "length";
	 * the fixtures under tests/data/ollama: 4 of 32) */
	if (strstr(t->path, "/ollama") &&
	    fr.type == COT_TYPE_STRING) {
		if (is(fr, "length")) {
			assert_true(is(s, "truncated"));
			c->ollama_length++;
		} else {
			assert_false(is(s, "truncated"));
			c->ollama_other++;
		}
	}
}

static void test_status_on_corpus(void **state)
{
	corpus_ctx c = { { 0 }, 0, 0 };

	(void)state;
	for_each_trace(NULL, check_trace, &c);
	for (int k = 0; k < 7; k++)
		print_message("# %s: %zu\n", statuses[k], c.n[k]);
	assert_int_equal(c.ollama_length, 73);
	assert_int_equal(c.ollama_other, 727);
	assert_true(c.n[3] >= 140);	/* truncated */
	assert_true(c.n[0] >= 1000);	/* complete */
}

/* The same on the fixtures: Ollama rows stopped for length or not, and
 * traces cut in a loop, mid-thought or complete. */
static void test_status_on_fixtures(void **state)
{
	corpus_ctx c = { { 0 }, 0, 0 };

	(void)state;
	for_each_trace_in(data_dir(), NULL, check_trace, &c);
	for (int k = 0; k < 7; k++)
		print_message("# %s: %zu\n", statuses[k], c.n[k]);
	assert_int_equal(c.ollama_length, 4);
	assert_int_equal(c.ollama_other, 28);
	assert_true(c.n[3] >= 8);	/* truncated: the 8 cut in a loop */
	assert_true(c.n[0] >= 40);	/* complete */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finish_class_across_providers),
		cmocka_unit_test(test_mid_sentence_last_character),
		cmocka_unit_test(test_status_every_rule),
		cmocka_unit_test(test_status_finish_field),
		cmocka_unit_test(test_status_on_corpus),
		cmocka_unit_test(test_status_on_fixtures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
