/* test_steps.c - segmentation, markup, step functions and structure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passes/analyzer.h"
#include "match/cue.h"
#include "text/markup.h"
#include "analyze/result.h"
#include "passes/steps.h"
#include "fixture.h"
#include "util.h"
#include "corpus.h"
#include "walk.h"


/* The units of trace t as an array (the tests below compare several
 * side by side), read through cot_result_step_count and
 * cot_result_step: one array per mode, kept until the next call for
 * that mode. COT_EINVAL for a trace or mode out of range, as the
 * accessors say. */
static int steps(cot_result *r, size_t t, cot_by by, const cot_step **out,
		 size_t *n, cot_error *err)
{
	static cot_step *pool[3];
	static size_t cap[3];
	cot_step none;
	size_t k;

	*out = NULL;
	*n = 0;
	if (t >= cot_result_traces(r) || (unsigned)by > COT_BY_THOUGHT)
		return cot_result_step(&none, r, t, by, 0, err);
	k = cot_result_step_count(r, t, by);
	if (k > cap[by]) {
		pool[by] = realloc(pool[by], k * sizeof *pool[by]);
		assert_non_null(pool[by]);
		cap[by] = k;
	}
	for (size_t i = 0; i < k; i++)
		assert_int_equal(cot_result_step(&pool[by][i], r, t, by, i,
						 err), COT_OK);
	*out = pool[by];
	*n = k;
	return COT_OK;
}

/* The units of text (as reasoning) joined by " | ", with their labels
 * when labels is set ("label: text"). */
static const char *units(const char *text, cot_by by, bool labels)
{
	static char out[4096];
	const cot_step *s;
	size_t n, len;
	const char *r;
	cot_error err;

	assert_int_equal(cot_analyze_text(res, text, strlen(text), NULL, &err),
			 COT_OK);
	assert_int_equal(steps(res, 0, by, &s, &n, &err), COT_OK);
	r = cot_result_reasoning(res, 0, &len);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out),
			 "%s%s%s%.*s", i ? " | " : "",
			 labels ? s[i].label : "", labels ? ": " : "",
			 (int)(s[i].end - s[i].start), r + s[i].start);
	return out;
}

static int64_t field_int(const char *name)
{
	cot_value v;

	assert_int_equal(cot_result_get(&v, res, 0, field_id(az, name), NULL),
			 COT_OK);
	return v.type == COT_TYPE_INT ? v.i : -1;
}

/* ---- sentences ---- */

/* Every abbreviation of the README, in two cases, keeps its sentence
 * whole; words like them (longer, shorter, "etc.", "No.") end one. */
static void test_sentences_abbreviations(void **state)
{
	static const char *const keep[] = {
		"e.g.", "i.e.", "cf.", "vs.", "viz.", "Dr.", "Mr.", "Mrs.",
		"Ms.", "Prof.", "Sr.", "Jr.", "St.", "Mt.", "Fig.", "Figs.",
		"Eq.", "Eqs.", "approx.", "resp.", "al.", "ca.", "incl.",
		"esp.", "E.G.", "APPROX.", "Eqs.",
	};
	static const char *const split[] = {
		"etc.", "No.", "figure.", "eqss.", "appro.", "approxx.", "x.g.",
		"drs.", "Vss.",
	};
	char text[128], want[160];

	(void)state;
	for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
		snprintf(text, sizeof text, "It holds %s then more. Next one "
			 "comes here.", keep[k]);
		snprintf(want, sizeof want, "It holds %s then more. | Next one "
			 "comes here.", keep[k]);
		assert_string_equal(units(text, COT_BY_SENTENCE, false), want);
	}
	for (size_t k = 0; k < sizeof split / sizeof *split; k++) {
		snprintf(text, sizeof text, "It holds the %s Then more words "
			 "come.", split[k]);
		snprintf(want, sizeof want, "It holds the %s | Then more words "
			 "come.", split[k]);
		assert_string_equal(units(text, COT_BY_SENTENCE, false), want);
	}
}

static void test_sentences_cases(void **state)
{
	(void)state;
	assert_string_equal(units("It is 3.14 today. Next one comes.",
				  COT_BY_SENTENCE, false),
			    "It is 3.14 today. | Next one comes.");
	assert_string_equal(units("We use e.g. this method. Then i.e. that "
				  "one. Dr. Who is here.", COT_BY_SENTENCE,
				  false),
			    "We use e.g. this method. | Then i.e. that one. | "
			    "Dr. Who is here.");
	assert_string_equal(units("1. First item here.\n2. Second item here."
				  "\n  a. sub item text", COT_BY_SENTENCE,
				  false),
			    "1. First item here. | 2. Second item here. | "
			    "a. sub item text");
	assert_string_equal(units("Let $x = 1. y$ be. Then \\[a. b\\] holds. "
				  "And $$c. d$$ too.", COT_BY_SENTENCE, false),
			    "Let $x = 1. y$ be. | Then \\[a. b\\] holds. | "
			    "And $$c. d$$ too.");
	assert_string_equal(units("Run `x = 1. y` now please. And then stop "
				  "it.", COT_BY_SENTENCE, false),
			    "Run `x = 1. y` now please. | And then stop it.");
	/* short pieces merge into the next, the last into the previous */
	assert_string_equal(units("Short. This is a longer sentence.",
				  COT_BY_SENTENCE, false),
			    "Short. This is a longer sentence.");
	assert_string_equal(units("This is a long sentence. Ok.",
				  COT_BY_SENTENCE, false),
			    "This is a long sentence. Ok.");
	assert_string_equal(units("What? Really! Yes... fine then.",
				  COT_BY_SENTENCE, false),
			    "What? Really! | Yes... fine then.");
	/* but never across a paragraph */
	assert_string_equal(units("Para one is here.\n\nOk.", COT_BY_SENTENCE,
				  false), "Para one is here. | Ok.");
	assert_string_equal(units("He said \"stop.\" Then he left the room.",
				  COT_BY_SENTENCE, false),
			    "He said \"stop.\" | Then he left the room.");
	assert_string_equal(units("First sentence here. and a tail without "
				  "end  \n", COT_BY_SENTENCE, false),
			    "First sentence here. | and a tail without end");
	assert_string_equal(units("  Indented sentence one.   Second "
				  "sentence here.  ", COT_BY_SENTENCE, false),
			    "Indented sentence one. | Second sentence here.");
	assert_string_equal(units("我们先计算这个数的平方。"
				  "然后再把结果加上一百！对吗",
				  COT_BY_SENTENCE, false),
			    "我们先计算这个数的平方。 | "
			    "然后再把结果加上一百！对吗");
	assert_string_equal(units("x=1.5.Then no split here", COT_BY_SENTENCE,
				  false), "x=1.5.Then no split here");
	assert_string_equal(units("", COT_BY_SENTENCE, false), "");
	assert_string_equal(units(" \n\n \t", COT_BY_SENTENCE, false), "");
}

/* ---- thoughts ---- */

static void test_thoughts_cases(void **state)
{
	const char *t = "Start here.\n\nWait, no.\n\nMore.\n\nAlternatively, "
			"x.\n\n**Hmm** ok\n\n- But wait\n\n等等，再看\n\n"
			"Waiting is fine.\n\nNo. Stop.\n\nNote this.\n\n"
			"Let me try the other way.";

	(void)state;
	assert_string_equal(units(t, COT_BY_THOUGHT, false),
			    "Start here. | Wait, no.\n\nMore. | "
			    "Alternatively, x. | **Hmm** ok | - But wait | "
			    "等等，再看\n\n"
			    "Waiting is fine. | No. Stop.\n\nNote this. | "
			    "Let me try the other way.");
	assert_int_equal(field_int("structure.thoughts"), 8);
	assert_int_equal(field_int("structure.thought_switches"), 7);
	/* a first paragraph opening with a marker is just the first */
	assert_string_equal(units("Wait.\n\nok", COT_BY_THOUGHT, false),
			    "Wait.\n\nok");
	assert_string_equal(units("", COT_BY_THOUGHT, false), "");
	assert_int_equal(field_int("structure.thoughts"), 0);
	assert_int_equal(field_int("structure.thought_switches"), 0);
}

/* ---- markup ---- */

static void test_markup_counts(void **state)
{
	const char *t =
		"Intro with $x$ and $5 and $6 dollars, \\(y\\), `code`.\n"
		"\n"
		"```python\n"
		"a = 1. b = 2\n"
		"\n"
		"$not math$\n"
		"```\n"
		"\n"
		"- one\n"
		"- two\n"
		"  continued\n"
		"\n"
		"- three\n"
		"Text ends the list.\n"
		"1. again\n"
		"2) more\n"
		"\n"
		"$$\n"
		"E = mc^2\n"
		"$$\n"
		"\n"
		"\\[ open without close\n"
		"\n"
		"\\]\n"
		"~~~\n"
		"unclosed fence";
	cot__arena a;
	cot__markup m;

	(void)state;
	cot__arena_init(&a);
	assert_int_equal(cot__markup_scan(t, strlen(t), &a, &m), COT_OK);
	assert_int_equal(m.code_blocks, 2);
	assert_int_equal(m.inline_math, 2);	/* $x$, \(y\); not $5 and $ */
	assert_int_equal(m.display_math, 1);
	assert_int_equal(m.inline_code, 1);
	assert_int_equal(m.list_items, 5);
	assert_int_equal(m.lists, 2);
	/* regions: sorted, disjoint */
	for (size_t i = 1; i < m.nprot; i++)
		assert_true(m.prot[i - 1].off + m.prot[i - 1].len <=
			    m.prot[i].off);
	cot__arena_dispose(&a);
	/* the same through the profile */
	assert_int_equal(cot_analyze_text(res, t, strlen(t), NULL, NULL),
			 COT_OK);
	assert_int_equal(field_int("structure.code_blocks"), 2);
	assert_int_equal(field_int("structure.lists"), 2);
	assert_int_equal(field_int("structure.list_items"), 5);
	assert_int_equal(field_int("structure.display_math"), 1);
	assert_int_equal(field_int("structure.inline_math"), 2);
	assert_int_equal(field_int("structure.inline_code"), 1);
}

/* ---- step functions ---- */

/* The rule that decided sentence k of the last analysis. */
static const char *rule_of(cot_by by, size_t k, double *conf)
{
	const char *rule;

	assert_int_equal(cot_result_step_rule(res, 0, by, k, &rule, conf,
					      NULL), COT_OK);
	return rule;
}

/* Each rule of the README on sentences of our own, and the rule and
 * confidence it reports. */
static void test_classify_rules(void **state)
{
	static const struct { const char *text, *label, *rule; } cases[] = {
		/* a plan word that opens a computation */
		{ "First, add them: 4 + 7 = 11.", "active_computation",
		  "computational" },
		/* a deduction after "so" that computes */
		{ "So 3 * 13 = 39 and 39 + 1 = 40.", "active_computation",
		  "computational" },
		/* first-person recall, anywhere near the opening */
		{ "First, I remember that the sum of angles is 180 degrees.",
		  "fact_retrieval", "recall" },
		{ "I know that 2^10 = 1024.", "fact_retrieval", "recall" },
		{ "For example, a square is a rectangle.", "fact_retrieval",
		  "example" },
		{ "That seems correct.", "self_checking", "affirm" },
		{ "Layer 2: 1 + 3*4 = 13 \u2714", "self_checking", "affirm" },
		{ "Alternatively, we could use a generating function.",
		  "plan_generation", "alternative" },
		{ "So maybe I should try small cases.", "plan_generation",
		  "tentative" },
		{ "But maybe the sign is wrong.", "uncertainty_management",
		  "doubt_cue" },
		{ "Because the roots are real, the discriminant is not "
		  "negative.", "fact_retrieval", "deduction" },
		{ "Since the sides are equal, the triangle is isosceles.",
		  "fact_retrieval", "deduction" },
		{ "I think the figure is symmetric.", "fact_retrieval",
		  "statement" },
		{ "Wait, that can't be.", "uncertainty_management",
		  "doubt_cue" },
		{ "Wait, the sides were swapped.", "uncertainty_management",
		  "hedge" },
		{ "So the two roots come out.", "result_consolidation", "so" },
		{ "Good grief, onwards.", "unknown", "none" },
	};
	char text[512];
	double conf;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *u;

		/* after a first sentence, so that none is the first unit */
		snprintf(text, sizeof text, "We are given a puzzle.\n\n%s",
			 cases[i].text);
		u = units(text, COT_BY_SENTENCE, true);
		assert_non_null(strstr(u, " | "));
		if (strncmp(strstr(u, " | ") + 3, cases[i].label,
			    strlen(cases[i].label)))
			fail_msg("%s: got %s", cases[i].text, u);
		assert_string_equal(rule_of(COT_BY_SENTENCE, 1, &conf),
				    cases[i].rule);
		assert_true(conf >= 0 && conf <= 1);
		if (!strcmp(cases[i].rule, "none"))
			assert_true(conf == 0);
	}
	/* the first sentence: the problem set up */
	assert_string_equal(rule_of(COT_BY_SENTENCE, 0, &conf), "setup_cue");
	assert_true(conf > 0.5);
	/* a sentence that goes on after a cut takes the label before it */
	assert_string_equal(units("We are given x. Wait, the sides were "
				  "swapped. at least one of them.",
				  COT_BY_SENTENCE, true),
			    "problem_setup: We are given x. | "
			    "uncertainty_management: Wait, the sides were "
			    "swapped. | uncertainty_management: at least one "
			    "of them.");
	assert_string_equal(rule_of(COT_BY_SENTENCE, 2, NULL), "continues");
	/* a paragraph is classified from its own text, not only its
	 * opening: a "Wait," paragraph of computations computes */
	assert_string_equal(units("We are given x.\n\nWait, 2 + 2 = 4. "
				  "Then 4 * 3 = 12. And 12 - 1 = 11.",
				  COT_BY_PARAGRAPH, true),
			    "problem_setup: We are given x. | "
			    "active_computation: Wait, 2 + 2 = 4. Then 4 * 3 = "
			    "12. And 12 - 1 = 11.");
	assert_string_equal(rule_of(COT_BY_PARAGRAPH, 1, &conf),
			    "computational");
	assert_int_equal(field_int("functions.active_computation"), 1);
	/* its confidence is the rule's precision per paragraph, its
	 * sentences' per sentence; a thought is classified as a unit too */
	assert_string_equal(units("We are given x.\n\nHmm, that can't be "
				  "right. Wait, I made a mistake. Let me "
				  "compute 2 + 2 = 4.", COT_BY_PARAGRAPH,
				  true),
			    "problem_setup: We are given x. | "
			    "uncertainty_management: Hmm, that can't be right."
			    " Wait, I made a mistake. Let me compute 2 + 2 = "
			    "4.");
	assert_string_equal(rule_of(COT_BY_PARAGRAPH, 1, &conf), "doubt_cue");
	{
		double per_sentence;

		(void)units("We are given x.\n\nHmm, that can't be right.",
			    COT_BY_SENTENCE, true);
		assert_string_equal(rule_of(COT_BY_SENTENCE, 1,
					    &per_sentence), "doubt_cue");
		assert_true(conf > 0 && conf <= 1 && per_sentence > 0 &&
			    per_sentence <= 1 && conf != per_sentence);
	}
	(void)units("We are given x.\n\nWait, that can't be right.",
		    COT_BY_THOUGHT, true);
	assert_string_equal(rule_of(COT_BY_THOUGHT, 1, NULL), "doubt_cue");
	/* bad arguments */
	{
		const char *r = "x";

		conf = 1;
		assert_int_equal(cot_result_step_rule(res, 0,
						      COT_BY_SENTENCE, 99, &r,
						      &conf, NULL),
				 COT_EINVAL);
		assert_null(r);
		assert_true(conf == 0);
		assert_int_equal(cot_result_step_rule(res, 5, COT_BY_PARAGRAPH,
						      0, NULL, NULL, NULL),
				 COT_EINVAL);
	}
}

static void test_classify_cases(void **state)
{
	const char *t =
		"Okay, so I need to find the sum of the roots.\n\n"
		"Let me think about how to approach this.\n\n"
		"I recall that Vieta's formulas relate roots and "
		"coefficients.\n\n"
		"Compute 3 * 4 = 12 and 12 + 5 = 17.\n\n"
		"x^2 + 5x + 6 = 0\n\n"
		"So far we have the two roots.\n\n"
		"Wait, that doesn't seem right.\n\n"
		"Hmm, maybe the sign is off.\n\n"
		"Wait, let me check: 2 + 3 = 5, yes.\n\n"
		"Let me verify by substituting back.\n\n"
		"The problem says the roots are integers.\n\n"
		"So the total is 5.\n\n"
		"Therefore, the answer is 5.\n\n"
		"**Final Answer**\n\n"
		"The sum is \\boxed{5}.\n\n"
		"The sky is blue.\n\n"
		"Alternatively, we could factor.";

	(void)state;
	assert_string_equal(units(t, COT_BY_PARAGRAPH, true),
		"problem_setup: Okay, so I need to find the sum of the "
		"roots. | "
		"plan_generation: Let me think about how to approach this. | "
		"fact_retrieval: I recall that Vieta's formulas relate roots "
		"and coefficients. | "
		"active_computation: Compute 3 * 4 = 12 and 12 + 5 = 17. | "
		"active_computation: x^2 + 5x + 6 = 0 | "
		"result_consolidation: So far we have the two roots. | "
		"uncertainty_management: Wait, that doesn't seem right. | "
		"uncertainty_management: Hmm, maybe the sign is off. | "
		"self_checking: Wait, let me check: 2 + 3 = 5, yes. | "
		"self_checking: Let me verify by substituting back. | "
		"problem_setup: The problem says the roots are integers. | "
		"result_consolidation: So the total is 5. | "
		"final_answer_emission: Therefore, the answer is 5. | "
		"final_answer_emission: **Final Answer** | "
		"final_answer_emission: The sum is \\boxed{5}. | "
		"fact_retrieval: The sky is blue. | "
		"plan_generation: Alternatively, we could factor.");
	assert_int_equal(field_int("functions.final_answer_emission"), 3);
	assert_int_equal(field_int("functions.unknown"), 0);
	{
		cot_value v;

		assert_int_equal(
			cot_result_get(&v, res, 0,
				       field_id(az, "functions.transitions"),
				       NULL),
			COT_OK);
		assert_int_equal(v.type, COT_TYPE_JSON);
		assert_non_null(strstr(v.s, "\"self_checking\":{"
				       "\"problem_setup\":1,"
				       "\"self_checking\":1}"));
	}
	/* sentences are labelled by the same rules */
	assert_string_equal(units("We are given a triangle. Wait, that "
				  "can't be. Let me compute 2 + 2 = 4.",
				  COT_BY_SENTENCE, true),
			    "problem_setup: We are given a triangle. | "
			    "uncertainty_management: Wait, that can't be. | "
			    "active_computation: Let me compute 2 + 2 = 4.");
	assert_string_equal(cot_function_name(COT_FN_SELF_CHECKING),
			    "self_checking");
	assert_null(cot_function_name(COT_FN_COUNT));
	assert_null(cot_function_name(-1));
}

/* ---- every corpus trace: the span property, and the fields ---- */

typedef struct spans_ctx {
	size_t traces, units[3];
} spans_ctx;

static void check_units(const char *r, size_t len, const cot_step *s,
			size_t n)
{
	size_t prev = 0;

	for (size_t i = 0; i < n; i++) {
		assert_true(s[i].start < s[i].end);
		assert_true(s[i].end <= len);
		/* the separator before it is White_Space only */
		for (size_t k = prev; k < s[i].start;) {
			size_t w = ref_space_len(r + k, len - k);

			if (!w)
				fail_msg("byte %zu between units is not "
					 "White_Space", k);
			k += w;
		}
		/* it begins and ends with something else */
		assert_int_equal(ref_space_len(r + s[i].start,
					       len - s[i].start), 0);
		{
			size_t e = s[i].end, k = e - 1;

			while (k > s[i].start && ((unsigned char)r[k] & 0xc0)
			       == 0x80)
				k--;
			assert_int_equal(ref_space_len(r + k, e - k), 0);
		}
		prev = s[i].end;
	}
	for (size_t k = prev; k < len;) {
		size_t w = ref_space_len(r + k, len - k);

		assert_true(w > 0);
		k += w;
	}
}

static void span_trace(cot_result *rs, size_t t, void *ctx)
{
	spans_ctx *c = ctx;
	const cot_step *u[3];
	size_t n[3], len;
	const char *r = cot_result_reasoning(rs, t, &len);
	cot_error err;

	if (!r)
		r = "";
	for (int by = 0; by < 3; by++) {
		assert_int_equal(steps(rs, t, (cot_by)by, &u[by],
						  &n[by], &err), COT_OK);
		check_units(r, len, u[by], n[by]);
		c->units[by] += n[by];
	}
	/* every sentence inside its paragraph, every thought a run of
	 * whole paragraphs, indexes consistent */
	for (size_t i = 0; i < n[1]; i++) {
		const cot_step *p = &u[0][u[1][i].paragraph];

		assert_true(p->start <= u[1][i].start &&
			    u[1][i].end <= p->end);
	}
	for (size_t i = 0, p = 0; i < n[2]; i++) {
		assert_int_equal(u[2][i].start, u[0][p].start);
		assert_int_equal(u[2][i].paragraph, p);
		while (p < n[0] && u[0][p].end <= u[2][i].end) {
			assert_int_equal(u[0][p].thought, i);
			p++;
		}
		assert_int_equal(u[2][i].end, u[0][p - 1].end);
		if (i + 1 == n[2])
			assert_int_equal(p, n[0]);
	}
	c->traces++;
}

static void test_steps_span_property_every_corpus_trace(void **state)
{
	spans_ctx c = { 0, { 0, 0, 0 } };

	(void)state;
	walk_corpus(res, span_trace, &c);
	print_message("%zu traces: %zu paragraphs, %zu sentences, %zu "
		      "thoughts cover their reasoning exactly\n", c.traces,
		      c.units[0], c.units[1], c.units[2]);
	assert_true(c.traces > 1500);
	assert_true(c.units[1] > c.units[0] && c.units[0] > c.units[2]);
}

/* The same on every fixture trace. */
static void test_steps_span_property_every_fixture_trace(void **state)
{
	spans_ctx c = { 0, { 0, 0, 0 } };

	(void)state;
	walk_traces_in(data_dir(), res, span_trace, &c);
	print_message("%zu traces: %zu paragraphs, %zu sentences, %zu "
		      "thoughts cover their reasoning exactly\n", c.traces,
		      c.units[0], c.units[1], c.units[2]);
	assert_true(c.traces >= 90);
	assert_true(c.units[1] > c.units[0] && c.units[0] > c.units[2]);
}

/* Random texts made of the pieces the rules look at: the property holds
 * and nothing reads out of bounds (the sanitizer build checks). */
static void test_steps_span_property_random_texts(void **state)
{
	static const char *const pieces[] = {
		"a", "word", " ", "  ", "\n", "\n\n", "\r\n", "\t", ".", "?",
		"!", "...", "$", "$$", "\\", "\\[", "\\]", "\\(", "\\)", "`",
		"```", "~~~", "1.", "12)", "e.g.", "Dr.", "\"", ")", "*", "**",
		"#", ">", "- ", "\xe2\x80\xa2 ", "\xe3\x80\x82",
		"\xef\xbc\x81",
		"\xe2\x80\x99", "\xe3\x80\x80", "\xc2\xa0", "等等", "Wait",
		"wait,", "Hmm", "No.", "Let me check", "\\boxed{1}", "=", "3",
		"x^2", "Alternatively,", "\xe3\x80\x8d",
	};
	uint64_t seed = 7;
	char buf[8192];
	size_t units = 0;

	(void)state;
	for (int round = 0; round < 4000; round++) {
		size_t n = random_pieces(buf, pieces,
					 sizeof pieces / sizeof *pieces, 200,
					 &seed);
		cot_error err;

		assert_int_equal(cot_analyze_text(res, buf, n, NULL, &err),
				 COT_OK);
		for (int by = 0; by < 3; by++) {
			const cot_step *u;
			size_t nu;

			assert_int_equal(steps(res, 0, (cot_by)by,
							  &u, &nu, &err),
					 COT_OK);
			size_t len;
			const char *r = cot_result_reasoning(res, 0, &len);

			check_units(r ? r : "", len, u, nu);
			units += nu;
		}
	}
	assert_true(units > 10000);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static double field_real(cot_result *rs, size_t t, const char *name)
{
	cot_value v;

	assert_int_equal(cot_result_get(&v, rs, t, field_id(az, name), NULL),
			 COT_OK);
	if (v.type == COT_TYPE_INT)
		return (double)v.i;
	return v.type == COT_TYPE_REAL ? v.r : NAN;
}

static void stats_trace(cot_result *rs, size_t t, void *p)
{
	const cot_step *u;
	size_t n, *w, sum = 0, max = 0, arg = 0, fn[COT_FN_COUNT] = { 0 };
	double mean, var = 0, median;
	cot_error err;

	(void)p;
	assert_int_equal(steps(rs, t, COT_BY_PARAGRAPH, &u, &n,
					  &err), COT_OK);
	assert_int_equal(field_real(rs, t, "steps"), n);
	assert_int_equal(field_real(rs, t, "structure.paragraphs"), n);
	{
		const cot_step *s;
		size_t ns;

		assert_int_equal(steps(rs, t, COT_BY_SENTENCE, &s,
						  &ns, &err), COT_OK);
		assert_int_equal(field_real(rs, t, "structure.sentences"), ns);
		assert_int_equal(steps(rs, t, COT_BY_THOUGHT, &s,
						  &ns, &err), COT_OK);
		assert_int_equal(field_real(rs, t, "structure.thoughts"), ns);
	}
	if (n == 0) {
		assert_true(isnan(field_real(rs, t,
					     "structure.step_words.mean")));
		return;
	}
	w = malloc(n * sizeof *w);
	assert_non_null(w);
	for (size_t i = 0; i < n; i++) {
		w[i] = u[i].words;
		sum += w[i];
		if (w[i] > max) {
			max = w[i];
			arg = i;
		}
		fn[u[i].function]++;
	}
	mean = (double)sum / (double)n;
	for (size_t i = 0; i < n; i++)
		var += (w[i] - mean) * (w[i] - mean);
	qsort(w, n, sizeof *w, cmp_size);
	median = n % 2 ? (double)w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2.0;
	assert_true(fabs(field_real(rs, t, "structure.step_words.mean") -
			 mean) < 1e-9 * (1 + mean));
	assert_true(fabs(field_real(rs, t, "structure.step_words.median") -
			 median) < 1e-9);
	assert_true(fabs(field_real(rs, t, "structure.step_words.std") -
			 sqrt(var / (double)n)) < 1e-6 * (1 + mean));
	assert_int_equal(field_real(rs, t, "structure.step_words.max"), max);
	assert_int_equal(field_real(rs, t,
				    "structure.longest_paragraph.index"), arg);
	assert_int_equal(field_real(rs, t,
				    "structure.longest_paragraph.start"),
			 u[arg].start);
	for (int f = 0; f < COT_FN_COUNT; f++) {
		char name[64];

		snprintf(name, sizeof name, "functions.%s",
			 cot_function_name(f));
		assert_int_equal(field_real(rs, t, name), fn[f]);
	}
	free(w);
}

static void test_structure_fields_agree_with_naive_stats(void **state)
{
	(void)state;
	assert_true(walk_corpus(res, stats_trace, NULL) > 1500);
}

static void test_structure_fields_agree_with_naive_stats_fixtures(
	void **state)
{
	(void)state;
	assert_true(walk_traces_in(data_dir(), res, stats_trace, NULL) >= 90);
}

static void test_result_steps_bad_arguments(void **state)
{
	cot_step st;
	cot_hit h;
	cot_error err;

	(void)state;
	assert_int_equal(cot_analyze_text(res, "a b", 3, NULL, &err), COT_OK);
	assert_int_equal(cot_result_step_count(res, 1, COT_BY_PARAGRAPH), 0);
	memset(&st, 0xAA, sizeof st);
	assert_int_equal(cot_result_step(&st, res, 1, COT_BY_PARAGRAPH, 0,
					 &err), COT_EINVAL);
	assert_null(st.label);
	assert_int_equal(st.end, 0);
	assert_int_equal(cot_result_step_count(res, 0, (cot_by)9), 0);
	assert_int_equal(cot_result_step(&st, res, 0, (cot_by)9, 0, &err),
			 COT_EINVAL);
	assert_int_equal(cot_result_step_count(res, 0, COT_BY_PARAGRAPH), 1);
	assert_int_equal(cot_result_step(&st, res, 0, COT_BY_PARAGRAPH, 1,
					 &err), COT_EINVAL);
	assert_int_equal(cot_result_step(&st, res, 0, COT_BY_PARAGRAPH, 0,
					 &err), COT_OK);
	assert_int_equal(st.words, 2);
	assert_int_equal(st.end, 3);
	assert_int_equal(cot_result_hit_count(res, 3), 0);
	memset(&h, 0xAA, sizeof h);
	assert_int_equal(cot_result_hit(&h, res, 3, 0, &err), COT_EINVAL);
	assert_int_equal(h.len, 0);
	assert_int_equal(cot_result_hit(&h, res, 0, 0, &err), COT_EINVAL);
}

/* A step or hit read before the next analysis is a copy: it stays what
 * it was, and the accessors give what the array of earlier versions
 * gave (units in text order, hits sorted by offset). */
static void test_result_step_and_hit_accessors(void **state)
{
	const char *t = "Wait, let me check.\n\nSo 2 + 2 = 4. Wait, yes.";
	size_t nh;
	cot_step a, b;

	(void)state;
	assert_int_equal(cot_analyze_text(res, t, strlen(t), NULL, NULL),
			 COT_OK);
	assert_int_equal(cot_result_step_count(res, 0, COT_BY_PARAGRAPH), 2);
	assert_int_equal(cot_result_step(&a, res, 0, COT_BY_PARAGRAPH, 0,
					 NULL), COT_OK);
	assert_int_equal(cot_result_step(&b, res, 0, COT_BY_PARAGRAPH, 1,
					 NULL), COT_OK);
	assert_int_equal(a.start, 0);
	assert_int_equal(a.end, 19);
	assert_int_equal(b.start, 21);
	assert_int_equal(b.paragraph, 1);
	assert_string_equal(a.label, cot_function_name(a.function));
	nh = cot_result_hit_count(res, 0);
	assert_true(nh >= 2);
	for (size_t k = 0; k < nh; k++) {
		cot_hit h, prev;

		assert_int_equal(cot_result_hit(&h, res, 0, k, NULL), COT_OK);
		assert_true(h.pattern < cot_pattern_count(az));
		assert_true(h.off + h.len <= strlen(t));
		if (k) {
			assert_int_equal(cot_result_hit(&prev, res, 0, k - 1,
							NULL), COT_OK);
			assert_true(prev.off <= h.off);
		}
	}
}

/* The first backtracking, verification and aha, as fractions. */
static void test_structure_first_behaviours(void **state)
{
	const char *t = "Plan it.\n\nLet me verify this. Oh, I see now. "
			"I made a mistake.";
	double len = (double)strlen(t);

	(void)state;
	assert_int_equal(cot_analyze_text(res, t, strlen(t), NULL, NULL),
			 COT_OK);
	assert_true(fabs(field_real(res, 0, "structure.first_verification_rel")
			 - 10 / len) < 1e-9);
	assert_true(fabs(field_real(res, 0, "structure.first_aha_rel") -
			 30 / len) < 1e-9);
	assert_true(fabs(field_real(res, 0, "structure.first_backtracking_rel")
			 - 45 / len) < 1e-9);
	assert_int_equal(cot_analyze_text(res, "Plan it.", 8, NULL, NULL),
			 COT_OK);
	assert_true(isnan(field_real(res, 0, "structure.first_aha_rel")));
}

/* ---- cue look-up against a brute-force reading of its contract ---- */

/* Phrase e matched at pos the slow way: its bytes in text[pos..],
 * ASCII letters caseless, ' as ' or U+2019, the word boundaries. */
static size_t ref_match(const cot__cue_ent *e, const char *t, size_t pos,
			size_t end)
{
	size_t i = pos, s;

	for (size_t k = 0; k < e->n; k++) {
		char c = e->p[k];

		if (c == '\'' && end - i >= 3 &&
		    !memcmp(t + i, "\xe2\x80\x99", 3)) {
			i += 3;
			continue;
		}
		if (i >= end || (t[i] >= 'A' && t[i] <= 'Z' ?
				 t[i] + 32 : t[i]) != c)
			return 0;
		i++;
	}
	if (cot__word_char_at(e->p, e->n - 1, e->n) &&
	    (unsigned char)e->p[e->n - 1] < 0x80 && cot__word_char_at(t, i, end))
		return 0;
	if ((unsigned char)e->p[0] < 0x80 && cot__word_char_at(e->p, 0, 1) &&
	    pos > 0) {
		for (s = pos - 1; s > 0 && ((unsigned char)t[s] & 0xc0) == 0x80;
		     s--)
			;
		if (cot__word_char_at(t, s, pos))
			return 0;
	}
	return i - pos;
}

/* Every phrase tried: the longest that matches, of a phrase listed
 * twice the lower class. */
static size_t ref_cue_at(const cot__cueset *cs, const char *t, size_t pos,
			 size_t end, int *cls)
{
	size_t best = 0, best_n = 0;

	*cls = COT__CUE_NONE;
	for (size_t k = 0; k < cs->n; k++) {
		const cot__cue_ent *e = &cs->v[k];
		size_t n = pos < end ? ref_match(e, t, pos, end) : 0;

		if (n && (e->n > best_n || (e->n == best_n && e->cls < *cls))) {
			best = n;
			best_n = e->n;
			*cls = e->cls;
		}
	}
	return best;
}

/* The text of phrase p with every ' as U+2019, in out. */
static void curly(const char *p, char *out)
{
	for (; *p; p++) {
		if (*p == '\'') {
			memcpy(out, "\xe2\x80\x99", 3);
			out += 3;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
}

static void check_cues_at(const cot__cueset *cs, const char *text,
			  size_t pos, size_t *matched)
{
	int cls, want_cls;
	size_t len = strlen(text);
	size_t got = cot__cue_at(cs, text, pos, len, &cls);
	size_t want = ref_cue_at(cs, text, pos, len, &want_cls);

	if (got != want || cls != want_cls)
		fail_msg("'%s' at %zu: %zu (class %d), want %zu (class %d)",
			 text, pos, got, cls, want, want_cls);
	*matched += got > 0;
}

/* Each phrase of each built-in set, and of a set made to hold the hard
 * cases, as written and changed: upper case, curly apostrophes, a word
 * character before or after, cut short, at the end of the text. */
static void test_cue_lookup_matches_brute_force(void **state)
{
	static const cot__cue extra[] = {
		{ "let's double-check", 1 }, { "let's", 2 }, { "let me", 3 },
		{ "let me check", 4 }, { "let me check", 5 },
		{ "abcdefgh", 6 }, { "abcdefg", 7 }, { "abcdefghi", 1 },
		{ "i'm", 2 }, { "i'm not sure", 3 }, { "\xe7\xad\x89", 4 },
		{ "\xe6\x88\x91\xe4\xbb\xac\xe5\x8f\xaf", 5 },
		{ "so", 6 }, { "s", 7 }, { "x'yzabcd", 1 }, { NULL, 0 },
	};
	const cot__stepcfg *cfg = az->stepcfg;
	const cot__cueset *sets[4];
	cot__cueset mine = { 0 };
	char buf[256], cur[128];
	size_t matched = 0;
	static const char *const around[][2] = {
		{ "", "" }, { "", " then" }, { "", ", so" }, { "", "s" },
		{ "a", " x" }, { "\xc3\xa9", " x" }, { "(", ")" },
		{ "\xe2\x80\x94", "!" }, { "\xe6\x88\x91", "\xe6\x88\x91" },
	};

	(void)state;
	assert_int_equal(cot__cueset_add_table(&mine, extra), COT_OK);
	assert_int_equal(cot__cueset_finish(&mine), COT_OK);
	sets[0] = &cfg->cls.main;
	sets[1] = &cfg->cls.interj;
	sets[2] = &cfg->switches;
	sets[3] = &mine;
	for (size_t si = 0; si < 4; si++) {
		const cot__cueset *cs = sets[si];

		for (size_t k = 0; k < cs->n; k++) {
			const char *p = cs->v[k].p;
			size_t n = cs->v[k].n;
			char word[128];

			assert_true(n < sizeof word);
			memcpy(word, p, n);
			word[n] = '\0';
			for (size_t a = 0; a < sizeof around / sizeof around[0];
			     a++) {
				size_t pre = strlen(around[a][0]);

				snprintf(buf, sizeof buf, "%s%s%s",
					 around[a][0], word, around[a][1]);
				check_cues_at(cs, buf, pre, &matched);
				/* cut short by one byte, at the end */
				buf[pre + n - 1] = '\0';
				check_cues_at(cs, buf, pre, &matched);
				curly(word, cur);
				snprintf(buf, sizeof buf, "%s%s%s",
					 around[a][0], cur, around[a][1]);
				check_cues_at(cs, buf, pre, &matched);
				snprintf(buf, sizeof buf, "%s%s%s",
					 around[a][0], word, around[a][1]);
				for (size_t i = pre; i < pre + n; i++)
					if (buf[i] >= 'a' && buf[i] <= 'z')
						buf[i] -= 32;
				check_cues_at(cs, buf, pre, &matched);
			}
		}
	}
	/* the look-up found phrases, not only agreed on their absence */
	assert_true(matched > 1000);
	cot__cueset_free(&mine);
}

/* cot__cue_in looks at 16 places at a time; this looks at each byte:
 * where a phrase may begin (a letter at o or after a byte that is not
 * one, an apostrophe, a byte from 0xe0), whether one begins there. */
static int cue_in_plain(const cot__cueset *cs, const char *text, size_t o,
			size_t end)
{
	const unsigned char *t = (const unsigned char *)text;

	for (size_t i = o; i + 1 < end; i++) {
		bool letter = isalpha(t[i]) && t[i] < 0x80;
		bool after = i > o && isalpha(t[i - 1]) && t[i - 1] < 0x80;
		int cls;

		if (letter ? after : t[i] != '\'' && t[i] < 0xe0)
			continue;
		if (cot__cue_at(cs, text, i, end, &cls))
			return cls;
	}
	return COT__CUE_NONE;
}

/* Every phrase of both tables begins where cot__cue_in looks; and on
 * text made of pieces of phrases, letters, apostrophes and multi-byte
 * characters, every window gives the plain scan's answer. */
static void test_cue_in_matches_plain_scan(void **state)
{
	static const char *const pieces[] = {
		"i know", "I Remember", "recall that", "for example",
		"e.g.", "'s right", "'S CORRECT", "is", "are", "has",
		"\xe2\x9c\x94", "\xe2\x9c\x93",
		"\xe6\x88\x91\xe8\xae\xb0\xe5\xbe\x97",
		"\xe6\x98\xaf", "\xe6\x9c\x89", "makes sense",
		"checks out", "seems fine", "x", "ab", " ", "  ", "'", "\n",
		"=", "3", "\xc3\xa9", "\xe2\x88\x92", "this", "his", "mis",
		"isn't", "k", "I", "we", "know",
	};
	const cot__classifier *cls = &az->stepcfg->cls;
	const cot__cueset *sets[2] = { &cls->inner, &cls->state };
	const uint64_t *pairs[2] = { cls->inner_pairs, cls->state_pairs };
	char text[512];
	unsigned seed = 12345;
	size_t found = 0;

	(void)state;
	for (size_t si = 0; si < 2; si++)
		for (size_t k = 0; k < sets[si]->n; k++) {
			unsigned char b = (unsigned char)sets[si]->v[k].p[0];

			assert_true((isalpha(b) && b < 0x80) || b == '\'' ||
				    b >= 0xe0);
		}
	/* each piece after 0 to 40 letters or spaces: at every place
	 * against the blocks' edges, inside a word and at its start */
	for (size_t k = 0; k < sizeof pieces / sizeof *pieces; k++)
		for (size_t n = 0; n <= 40; n++)
			for (int c = 0; c < 2; c++) {
				int want;

				memset(text, c ? ' ' : 'x', n);
				snprintf(text + n, sizeof text - n, "%s .",
					 pieces[k]);
				for (size_t si = 0; si < 2; si++) {
					want = cue_in_plain(sets[si], text, 0,
							    strlen(text));
					assert_int_equal(cot__cue_in(sets[si],
						pairs[si], text, 0,
						strlen(text), strlen(text)),
						want);
				}
			}
	for (int round = 0; round < 20000; round++) {
		size_t len = 0, o, end, np = sizeof pieces / sizeof *pieces;
		size_t pick[3];

		/* three pieces per text, so that a place wrongly taken for
		 * a word start is seldom hidden by a right one */
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			pick[k] = (seed >> 16) % np;
		}
		while (len < 200) {
			const char *p;

			seed = seed * 1103515245u + 12345u;
			p = pieces[pick[(seed >> 16) % 3]];
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		seed = seed * 1103515245u + 12345u;
		o = (seed >> 16) % 40;
		seed = seed * 1103515245u + 12345u;
		end = o + (seed >> 16) % (len - o + 1);
		for (size_t si = 0; si < 2; si++) {
			int want = cue_in_plain(sets[si], text, o, end);

			/* what may be read: the window, or more */
			assert_int_equal(cot__cue_in(sets[si], pairs[si], text,
						     o, end, end), want);
			assert_int_equal(cot__cue_in(sets[si], pairs[si], text,
						     o, end, len), want);
			found += want != COT__CUE_NONE;
		}
	}
	assert_true(found > 2000);
}

/* cot__computational adds one table entry per byte, its classes packed
 * in 16-bit lanes; this tests each byte against the README's lists. */
static bool computational_plain(const unsigned char *t, size_t n)
{
	size_t math = 0, space = 0, eq = 0;

	for (size_t i = 0; i < n; i++) {
		if (strchr(" \t\n\r\v\f", t[i]) && t[i])
			space++;
		else if (t[i] && strchr("0123456789=+-*/^\\{}<>|", t[i]))
			math++;
		eq += t[i] == '=';
		if (i + 1 < n && ((t[i] == 0xc3 && (t[i + 1] == 0x97 ||
						    t[i + 1] == 0xb7)) ||
				  (t[i] == 0xc2 && t[i + 1] == 0xb7)))
			math += 2;
		if (i + 2 < n && t[i] == 0xe2 && t[i + 1] == 0x88 &&
		    t[i + 2] == 0x92)
			math += 3;
	}
	if (n == space)
		return false;
	return math * 4 >= n - space || (eq && math * 10 >= n - space);
}

/* Texts of every length up to 300 bytes and some past 64 KiB, drawn
 * from bytes near each threshold: math, prose, spaces, '=', the bytes
 * of the wide math characters and their look-alikes. */
static void test_computational_matches_plain_count(void **state)
{
	static const char *const pieces[] = {
		"1", "=", "+", "x", "word", " ", "\n", "\t", "\\", "{", "}",
		"|", "<", ">", ",", ".", ":", ";", "*", "/", "^", "-", "(",
		"\xc3\x97", "\xc3\xb7", "\xc2\xb7", "\xe2\x88\x92",
		"\xc3\xa9", "\xe2\x80\x94", "\xc2\xa0", "\x0b", "\x0c", "9",
		"0", "~", "@", "[", "_", "`", "\x7f", "\x80", "\xff",
	};
	static unsigned char text[70000];
	unsigned seed = 99;
	size_t yes = 0, no = 0;

	(void)state;
	for (size_t round = 0; round < 307; round++) {
		/* 0 to 300 bytes, then around 64 KiB */
		size_t n = round <= 300 ? round : 65000 + 700 * (round - 301);
		size_t len = 0;
		unsigned bias;

		seed = seed * 1103515245u + 12345u;
		bias = seed >> 16;
		while (len < n) {
			const char *p;
			size_t k;

			seed = seed * 1103515245u + 12345u;
			/* half the texts lean to prose ("x", "word", " "),
			 * by as much as their bias says */
			k = (seed >> 16) % (sizeof pieces / sizeof *pieces);
			if (bias & 1 && (seed >> 8 & 0xff) < (bias >> 1 & 0xff))
				k = 3 + k % 3;
			p = pieces[k];
			for (size_t j = 0; p[j] && len < n; j++)
				text[len++] = (unsigned char)p[j];
		}
		for (size_t start = 0; start < 3 && start <= len; start++) {
			bool want = computational_plain(text + start,
							len - start);

			assert_int_equal(cot__computational((char *)text, start,
							    len), want);
			yes += want;
			no += !want;
		}
	}
	print_message("# %zu computational, %zu not\n", yes, no);
	assert_true(yes > 100 && no > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sentences_cases),
		cmocka_unit_test(test_sentences_abbreviations),
		cmocka_unit_test(test_thoughts_cases),
		cmocka_unit_test(test_markup_counts),
		cmocka_unit_test(test_classify_cases),
		cmocka_unit_test(test_classify_rules),
		cmocka_unit_test(test_cue_lookup_matches_brute_force),
		cmocka_unit_test(test_cue_in_matches_plain_scan),
		cmocka_unit_test(test_computational_matches_plain_count),
		cmocka_unit_test(test_steps_span_property_every_corpus_trace),
		cmocka_unit_test(test_steps_span_property_every_fixture_trace),
		cmocka_unit_test(test_steps_span_property_random_texts),
		cmocka_unit_test(test_structure_fields_agree_with_naive_stats),
		cmocka_unit_test(test_structure_fields_agree_with_naive_stats_fixtures),
		cmocka_unit_test(test_result_steps_bad_arguments),
		cmocka_unit_test(test_result_step_and_hit_accessors),
		cmocka_unit_test(test_structure_first_behaviours),
	};

	return cmocka_run_group_tests(tests, az_setup, az_teardown);
}
