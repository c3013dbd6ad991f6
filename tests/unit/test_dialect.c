/* test_dialect.c - the dialect table and cot__dialect_split (SPEC 2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "adapt/dialect.h"
#include "util.h"

enum { THINK, THOUGHT, IM_THINK, MISTRAL, KIMI, SEED, HARMONY };
enum { UNTAGGED = -1 };
#define NPOS ((size_t)-1)

#define TRI_L "\xe2\x97\x81"
#define TRI_R "\xe2\x96\xb7"
#define H_OPEN "<|channel|>analysis<|message|>"
#define H_FINAL "<|channel|>final<|message|>"

/* One expected split; the three texts are compared with the bytes the
 * spans point at, so an offset that is off by one fails. */
typedef struct tcase {
	const char *text;
	int dialect;
	const char *preamble, *reasoning, *answer;
	bool closed, prefilled, answer_tagged;
	uint32_t blocks;
} tcase;

static void check_span(const char *text, size_t len, cot__span sp,
		       const char *want, const char *what, const char *name)
{
	if (sp.off > len || sp.len > len - sp.off ||
	    sp.len != strlen(want) || memcmp(text + sp.off, want, sp.len)) {
		print_error("%s of \"%s\": got off %zu len %zu, want \"%s\"\n",
			    what, name, sp.off, sp.len, want);
		fail();
	}
}

/* Spans lie in the text, in order: preamble, reasoning, answer. */
static void check_order(const cot__split *s, size_t len)
{
	assert_true(s->preamble.off <= len);
	assert_true(s->preamble.len <= len - s->preamble.off);
	assert_true(s->reasoning.off <= len);
	assert_true(s->reasoning.len <= len - s->reasoning.off);
	assert_true(s->answer.off <= len);
	assert_true(s->answer.len <= len - s->answer.off);
	if (s->dialect < 0)
		return;
	assert_true(s->preamble.off + s->preamble.len <= s->reasoning.off);
	assert_true(s->reasoning.off + s->reasoning.len <= s->answer.off);
}

static void check_case_len(const tcase *c, size_t len)
{
	cot__split s;
	char *t = malloc(len ? len : 1);	/* exact size, for ASan */

	assert_non_null(t);
	memcpy(t, c->text, len);
	memset(&s, 0xa5, sizeof s);	/* every field must be written */
	cot__dialect_split(t, len, &s);
	free(t);
	if (s.dialect != c->dialect) {
		print_error("dialect of \"%s\": got %d, want %d\n", c->text,
			    s.dialect, c->dialect);
		fail();
	}
	check_span(c->text, len, s.preamble, c->preamble, "preamble",
		   c->text);
	check_span(c->text, len, s.reasoning, c->reasoning, "reasoning",
		   c->text);
	check_span(c->text, len, s.answer, c->answer, "answer", c->text);
	assert_int_equal(s.tagged, c->dialect >= 0);
	assert_int_equal(s.closed, c->closed);
	assert_int_equal(s.prefilled, c->prefilled);
	assert_int_equal(s.answer_tagged, c->answer_tagged);
	assert_int_equal(s.think_blocks, c->blocks);
	check_order(&s, len);
}

static void check_cases(const tcase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_case_len(&c[i], strlen(c[i].text));
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof *cases)

/* Shorthands: OC open and close, PF prefilled (close only), UT
 * unterminated (open only), NONE untagged; all without answer markers
 * and with one block. */
#define OC(t, d, pre, r, a) { t, d, pre, r, a, true, false, false, 1 }
#define PF(t, d, r, a) { t, d, "", r, a, true, true, false, 1 }
#define UT(t, d, pre, r) { t, d, pre, r, "", false, false, false, 1 }
#define NONE(t) { t, UNTAGGED, "", "", "", false, false, false, 0 }

static void test_dialect_table_order_and_names(void **state)
{
	static const char *const names[] = { "think", "thought", "im_think",
		"mistral", "kimi", "seed", "harmony" };
	size_t i;

	(void)state;
	assert_int_equal(cot__ndialects, 7);
	for (i = 0; i < cot__ndialects; i++)
		assert_string_equal(cot__dialects[i].name, names[i]);
	assert_true(cot__dialects[THINK].open_has_attrs);
	assert_true(cot__dialects[HARMONY].detect_by_open_only);
	for (i = 0; i < cot__ndialects; i++) {
		if (i != THINK)
			assert_false(cot__dialects[i].open_has_attrs);
		if (i != HARMONY)
			assert_false(cot__dialects[i].detect_by_open_only);
	}
}

/* detect() scans only for these lead bytes: a row whose marker starts
 * with another byte would never be found. */
static void test_dialect_table_markers_start_with_scanned_bytes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < cot__ndialects; i++) {
		const cot__dialect *d = &cot__dialects[i];
		unsigned char o = (unsigned char)d->open[0];
		unsigned char c = (unsigned char)d->close[0];

		assert_true(o == '<' || o == '[' || o == 0xe2);
		assert_true(c == '<' || c == '[' || c == 0xe2);
		assert_true((d->answer_open == NULL) ==
			    (d->answer_close == NULL));
	}
}

static void test_dialect_split_open_and_close(void **state)
{
	static const tcase cases[] = {
		OC("<think>R</think>A", THINK, "", "R", "A"),
		OC("<|begin_of_thought|>R<|end_of_thought|>A", THOUGHT,
		   "", "R", "A"),
		OC("<|im_start|>think\nR\n<|im_start|>answer\nA", IM_THINK,
		   "", "\nR\n", "\nA"),
		OC("[THINK]R[/THINK]A", MISTRAL, "", "R", "A"),
		OC(TRI_L "think" TRI_R "R" TRI_L "/think" TRI_R "A", KIMI,
		   "", "R", "A"),
		OC("<seed:think>R</seed:think>A", SEED, "", "R", "A"),
		OC(H_OPEN "R<|end|>A", HARMONY, "", "R", "A"),
		OC("<think>\nlong\n\nreasoning\n</think>\n\nThe answer.",
		   THINK, "", "\nlong\n\nreasoning\n", "\n\nThe answer."),
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_close_only_is_prefilled(void **state)
{
	static const tcase cases[] = {
		PF("R</think>A", THINK, "R", "A"),
		PF("R<|end_of_thought|>A", THOUGHT, "R", "A"),
		PF("R<|im_start|>answer\nA", IM_THINK, "R", "\nA"),
		PF("R[/THINK]A", MISTRAL, "R", "A"),
		PF("R" TRI_L "/think" TRI_R "A", KIMI, "R", "A"),
		PF("R</seed:think>A", SEED, "R", "A"),
		/* a close before the first open: still prefilled */
		{ "R</think>A<think>S</think>B", THINK, "", "R",
		  "A<think>S</think>B", true, true, false, 2 },
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_open_only_is_unterminated(void **state)
{
	static const tcase cases[] = {
		UT("P<think>R", THINK, "P", "R"),
		UT("P<|begin_of_thought|>R", THOUGHT, "P", "R"),
		UT("P<|im_start|>thinkR", IM_THINK, "P", "R"),
		UT("P[THINK]R", MISTRAL, "P", "R"),
		UT("P" TRI_L "think" TRI_R "R", KIMI, "P", "R"),
		UT("P<seed:think>R", SEED, "P", "R"),
		UT("P" H_OPEN "R", HARMONY, "P", "R"),
		/* further opens inside unterminated reasoning stay there */
		UT("<think>a<think>b", THINK, "", "a<think>b"),
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_unterminated_answer_is_empty_at_end(
	void **state)
{
	const char *t = "x<think>abc";
	cot__split s;

	(void)state;
	cot__dialect_split(t, strlen(t), &s);
	assert_int_equal(s.answer.off, strlen(t));
	assert_int_equal(s.answer.len, 0);
	assert_false(s.closed);
}

static void test_dialect_split_answer_markers(void **state)
{
	static const tcase cases[] = {
		{ "<think>R</think>x<answer>A</answer>tail", THINK, "", "R",
		  "A", true, false, true, 1 },
		{ "<think>R</think><answer>A", THINK, "", "R", "A", true,
		  false, true, 1 },
		{ "R</think> <answer></answer>", THINK, "", "R", "", true,
		  true, true, 1 },
		{ "<|begin_of_thought|>\n\nR\n\n<|end_of_thought|>\n\n"
		  "<|begin_of_solution|>\n\nS\n\n<|end_of_solution|>",
		  THOUGHT, "", "\n\nR\n\n", "\n\nS\n\n", true, false, true,
		  1 },
		{ "<|begin_of_thought|>R<|end_of_thought|>"
		  "<|begin_of_solution|>S", THOUGHT, "", "R", "S", true,
		  false, true, 1 },
		{ H_OPEN "R<|end|><|start|>assistant" H_FINAL "A<|return|>",
		  HARMONY, "", "R", "A", true, false, true, 1 },
		{ H_OPEN "R<|end|>" H_FINAL "A", HARMONY, "", "R", "A", true,
		  false, true, 1 },
		/* answer markers only count after the reasoning */
		{ "<answer>x</answer><think>R</think>A", THINK,
		  "<answer>x</answer>", "R", "A", true, false, false, 1 },
		{ "<think><answer>x</answer></think>A", THINK, "",
		  "<answer>x</answer>", "A", true, false, false, 1 },
		/* a dialect without answer markers keeps the whole answer */
		{ "[THINK]R[/THINK]<answer>A</answer>", MISTRAL, "", "R",
		  "<answer>A</answer>", true, false, false, 1 },
		/* the first answer-open wins; close is the next after it */
		{ "<think>R</think><answer>A</answer><answer>B</answer>",
		  THINK, "", "R", "A", true, false, true, 1 },
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_preamble(void **state)
{
	static const tcase cases[] = {
		OC("User: hi\nAssistant: <think>R</think>A", THINK,
		   "User: hi\nAssistant: ", "R", "A"),
		OC("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n"
		   "[THINK]R[/THINK]A", MISTRAL,
		   "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n",
		   "R", "A"),
		/* harmony: <|end|> of earlier turns is preamble, not a
		 * prefilled close (the dialect is known by its open only) */
		{ "<|start|>user<|message|>Q<|end|><|start|>assistant"
		  H_OPEN "R<|end|><|start|>assistant" H_FINAL "A<|return|>",
		  HARMONY, "<|start|>user<|message|>Q<|end|>"
		  "<|start|>assistant", "R", "A", true, false, true, 1 },
		UT("<|end|>x" H_OPEN "R", HARMONY, "<|end|>x", "R"),
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_further_blocks_counted_kept_in_answer(
	void **state)
{
	static const tcase cases[] = {
		{ "<think>R1</think>A1<think>R2</think>A2", THINK, "", "R1",
		  "A1<think>R2</think>A2", true, false, false, 2 },
		{ "<think>R1</think>A<think>R2</think>B<think>R3", THINK, "",
		  "R1", "A<think>R2</think>B<think>R3", true, false, false,
		  3 },
		{ "R1</think>A<think sig=\"s\">R2</think>B", THINK, "", "R1",
		  "A<think sig=\"s\">R2</think>B", true, true, false, 2 },
		{ "[THINK]a[/THINK]b[THINK]c[/THINK]d[THINK]e", MISTRAL, "",
		  "a", "b[THINK]c[/THINK]d[THINK]e", true, false, false, 3 },
		{ H_OPEN "R1<|end|><|start|>assistant" H_OPEN "R2<|end|>"
		  "<|start|>assistant" H_FINAL "A<|return|>", HARMONY, "",
		  "R1", "A", true, false, true, 2 },
		/* opens before the first close are not further blocks */
		{ "<think>a<think>b</think>c", THINK, "", "a<think>b", "c",
		  true, false, false, 1 },
		/* <thinking> after the close is not a further block */
		{ "<think>a</think><thinking>b", THINK, "", "a",
		  "<thinking>b", true, false, false, 1 },
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_think_open_attributes(void **state)
{
	static const tcase cases[] = {
		OC("<think signature=\"abc==\">R</think>A", THINK, "", "R",
		   "A"),
		OC("<think signature=\"x\" redacted=\"true\">R</think>A",
		   THINK, "", "R", "A"),
		OC("p<think\nsig=\"x\"\n>R</think>A", THINK, "p", "R", "A"),
		OC("<think\t>R</think>A", THINK, "", "R", "A"),
		OC("<think >R</think>A", THINK, "", "R", "A"),
		UT("<think a=b>", THINK, "", ""),
		/* an attribute list may not hold '<': this one is not an
		 * open tag, so the close makes the text prefilled */
		PF("<think a=\"</think>\">R", THINK, "<think a=\"",
		   "\">R"),
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_near_misses_are_not_markers(void **state)
{
	static const tcase cases[] = {
		NONE(""),
		NONE("plain text, no tags at all"),
		NONE("<thinking>R</thinking>A"),
		NONE("<think/>R"),
		NONE("<think"),
		NONE("<think a=\"1\""),
		NONE("I <think about <b>it</b>"),
		NONE("<Think>R</Think>"),
		NONE("[think]R[/think]"),
		NONE("<|begin_of_thought>R"),
		NONE("<|im_start|>assistant\nR<|im_end|>"),
		NONE(TRI_L "thinking" TRI_R),
		NONE(TRI_L "think>"),
		NONE("<seed:thinking>"),
		NONE("<|channel|>commentary<|message|>x<|end|>"),
		NONE("<|channel|>final<|message|>A<|return|>"),
		NONE("<answer>A</answer>"),
		NONE("\xe2\x80\x9cquoted\xe2\x80\x9d [1] a < b"),
		PF("<thinking>R</think>A", THINK, "<thinking>R", "A"),
		PF("<thinkR</think>A", THINK, "<thinkR", "A"),
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_harmony_end_alone_is_untagged(void **state)
{
	static const tcase cases[] = {
		NONE("R<|end|>A"),
		NONE("<|end|>"),
		NONE("<|start|>user<|message|>Q<|end|><|start|>assistant"
		     "<|message|>A<|return|>"),
		/* <|end|> does not hide a lower row either */
		PF("<|end|>R[/THINK]A", MISTRAL, "<|end|>R", "A"),
	};

	(void)state;
	CHECK(cases);
}

/* The first row with a marker anywhere wins, not the earliest marker. */
static void test_dialect_split_detection_order_is_table_order(void **state)
{
	static const tcase cases[] = {
		PF("[THINK]a[/THINK] b </think> c", THINK,
		   "[THINK]a[/THINK] b ", " c"),
		UT("<seed:think>x</seed:think> <|im_start|>think y", IM_THINK,
		   "<seed:think>x</seed:think> ", " y"),
		UT(TRI_L "think" TRI_R "a" TRI_L "/think" TRI_R " [THINK]b",
		   MISTRAL, TRI_L "think" TRI_R "a" TRI_L "/think" TRI_R " ",
		   "b"),
		PF(H_OPEN "R<|end|> then </think>", THINK,
		   H_OPEN "R<|end|> then ", ""),
		OC("[THINK]x[/THINK]<|begin_of_thought|>R<|end_of_thought|>A",
		   THOUGHT, "[THINK]x[/THINK]", "R", "A"),
		OC("<seed:think>a</seed:think>" H_OPEN "b<|end|>c", SEED,
		   "", "a", H_OPEN "b<|end|>c"),
		/* markers of a lower row that is seen later in the text */
		OC("[THINK]a[/THINK]" TRI_L "think" TRI_R "b<think>c</think>d",
		   THINK, "[THINK]a[/THINK]" TRI_L "think" TRI_R "b", "c",
		   "d"),
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_empty_reasoning(void **state)
{
	static const tcase cases[] = {
		OC("<think>\n\n</think>\n\nA", THINK, "", "\n\n", "\n\nA"),
		OC("<think></think>", THINK, "", "", ""),
		OC("[THINK][/THINK]A", MISTRAL, "", "", "A"),
		PF("</think>A", THINK, "", "A"),
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_marker_alone_or_at_edges(void **state)
{
	static const tcase cases[] = {
		PF("</think>", THINK, "", ""),
		UT("<think>", THINK, "", ""),
		UT("<|begin_of_thought|>", THOUGHT, "", ""),
		PF("<|end_of_thought|>", THOUGHT, "", ""),
		UT("<|im_start|>think", IM_THINK, "", ""),
		PF("<|im_start|>answer", IM_THINK, "", ""),
		UT("[THINK]", MISTRAL, "", ""),
		PF("[/THINK]", MISTRAL, "", ""),
		UT(TRI_L "think" TRI_R, KIMI, "", ""),
		PF(TRI_L "/think" TRI_R, KIMI, "", ""),
		UT("<seed:think>", SEED, "", ""),
		PF("</seed:think>", SEED, "", ""),
		UT(H_OPEN, HARMONY, "", ""),
		UT("abc<think>", THINK, "abc", ""),
		PF("abc</think>", THINK, "abc", ""),
		OC("<think>abc</think>", THINK, "", "abc", ""),
	};

	(void)state;
	CHECK(cases);
}

static void test_dialect_split_multibyte_kimi(void **state)
{
	static const tcase cases[] = {
		OC("\xe5\x89\x8d" TRI_L "think" TRI_R "\xe6\x80\x9d"
		   TRI_L "/think" TRI_R "\xe7\xad\x94", KIMI, "\xe5\x89\x8d",
		   "\xe6\x80\x9d", "\xe7\xad\x94"),
		/* U+25C1 then something else, and other E2 chars first */
		OC("\xe2\x80\x94" TRI_L "x" TRI_L "think" TRI_R "r"
		   TRI_L "/think" TRI_R "\xe2\x80\x9c", KIMI,
		   "\xe2\x80\x94" TRI_L "x", "r", "\xe2\x80\x9c"),
		/* a truncated marker at the very end */
		NONE("a" TRI_L "thin"),
		NONE("a\xe2\x97"),
	};

	(void)state;
	CHECK(cases);
}

/* Lengths are explicit: NUL bytes are ordinary text. */
static void test_dialect_split_nul_bytes(void **state)
{
	static const char t[] = "a\0<think>b\0c</think>\0d";
	cot__split s;

	(void)state;
	cot__dialect_split(t, sizeof t - 1, &s);
	assert_int_equal(s.dialect, THINK);
	assert_int_equal(s.preamble.off, 0);
	assert_int_equal(s.preamble.len, 2);
	assert_int_equal(s.reasoning.off, 9);
	assert_int_equal(s.reasoning.len, 3);
	assert_memory_equal(t + 9, "b\0c", 3);
	assert_int_equal(s.answer.off, 20);
	assert_int_equal(s.answer.len, 2);
	assert_memory_equal(t + 20, "\0d", 2);
	/* only the first len bytes are looked at */
	cot__dialect_split("<think>ab</think>", 9, &s);
	assert_false(s.closed);
	assert_int_equal(s.reasoning.len, 2);
}

/* ---- a naive reference split: every marker of every row searched over
 * the whole text, straight from SPEC 2's wording. ---- */

static bool ref_open_at(const cot__dialect *d, const char *t, size_t len,
			size_t i, size_t *olen)
{
	size_t k = strlen(d->open);

	if (!d->open_has_attrs) {
		if (len - i < k || memcmp(t + i, d->open, k))
			return false;
		*olen = k;
		return true;
	}
	/* "<think" then '>' or white space, attributes without '<', '>' */
	if (len - i < k || memcmp(t + i, d->open, k - 1))
		return false;
	if (t[i + k - 1] == '>') {
		*olen = k;
		return true;
	}
	if (!strchr(" \t\n\r\f", t[i + k - 1]) || t[i + k - 1] == '\0')
		return false;
	{
		const char *gt = memchr(t + i + k, '>', len - i - k);
		const char *lt = memchr(t + i + k, '<', len - i - k);

		if (!gt || (lt && lt < gt))
			return false;
		*olen = (size_t)(gt - (t + i)) + 1;
		return true;
	}
}

static size_t ref_find(const char *t, size_t len, size_t from,
		       const char *m)
{
	size_t k = strlen(m), i;

	for (i = from; i + k <= len; i++)
		if (memcmp(t + i, m, k) == 0)
			return i;
	return NPOS;
}

static size_t ref_find_open(const cot__dialect *d, const char *t,
			    size_t len, size_t from, size_t *olen)
{
	size_t i;

	for (i = from; i < len; i++)
		if (ref_open_at(d, t, len, i, olen))
			return i;
	return NPOS;
}

static void ref_split(const char *t, size_t len, cot__split *s)
{
	const cot__dialect *d = NULL;
	size_t o = NPOS, c = NPOS, olen = 0, after, i, a;
	int k;

	memset(s, 0, sizeof *s);
	s->dialect = -1;
	for (k = 0; k < (int)cot__ndialects; k++) {
		d = &cot__dialects[k];
		o = ref_find_open(d, t, len, 0, &olen);
		c = d->detect_by_open_only ? NPOS : ref_find(t, len, 0,
							      d->close);
		if (o != NPOS || c != NPOS)
			break;
	}
	if (k == (int)cot__ndialects)
		return;
	s->dialect = k;
	s->tagged = true;
	s->think_blocks = 1;
	if (c != NPOS && (o == NPOS || c < o)) {
		s->prefilled = s->closed = true;
		s->reasoning.len = c;
		after = c + strlen(d->close);
	} else {
		s->preamble.len = o;
		s->reasoning.off = o + olen;
		c = ref_find(t, len, o + olen, d->close);
		if (c == NPOS) {
			s->reasoning.len = len - s->reasoning.off;
			s->answer.off = len;
			return;
		}
		s->closed = true;
		s->reasoning.len = c - s->reasoning.off;
		after = c + strlen(d->close);
	}
	for (i = after; (i = ref_find_open(d, t, len, i, &olen)) != NPOS;
	     i += olen)
		s->think_blocks++;
	s->answer.off = after;
	s->answer.len = len - after;
	if (d->answer_open &&
	    (a = ref_find(t, len, after, d->answer_open)) != NPOS) {
		s->answer_tagged = true;
		s->answer.off = a + strlen(d->answer_open);
		a = ref_find(t, len, s->answer.off, d->answer_close);
		s->answer.len = (a == NPOS ? len : a) - s->answer.off;
	}
}

static void check_against_ref(const char *t, size_t len)
{
	cot__split got, want;
	char *copy = malloc(len ? len : 1);	/* exact size, for ASan */

	assert_non_null(copy);
	memcpy(copy, t, len);
	cot__dialect_split(copy, len, &got);
	free(copy);
	ref_split(t, len, &want);
	check_order(&got, len);
	if (got.dialect != want.dialect ||
	    got.preamble.off != want.preamble.off ||
	    got.preamble.len != want.preamble.len ||
	    got.reasoning.off != want.reasoning.off ||
	    got.reasoning.len != want.reasoning.len ||
	    got.answer.off != want.answer.off ||
	    got.answer.len != want.answer.len ||
	    got.tagged != want.tagged || got.closed != want.closed ||
	    got.prefilled != want.prefilled ||
	    got.answer_tagged != want.answer_tagged ||
	    got.think_blocks != want.think_blocks) {
		print_error("split differs from reference on \"%.*s\"\n",
			    (int)(len < 300 ? len : 300), t);
		print_error("got d%d pre %zu+%zu r %zu+%zu a %zu+%zu "
			    "c%d p%d at%d b%u\n", got.dialect,
			    got.preamble.off, got.preamble.len,
			    got.reasoning.off, got.reasoning.len,
			    got.answer.off, got.answer.len, got.closed,
			    got.prefilled, got.answer_tagged,
			    (unsigned)got.think_blocks);
		print_error("want d%d pre %zu+%zu r %zu+%zu a %zu+%zu "
			    "c%d p%d at%d b%u\n", want.dialect,
			    want.preamble.off, want.preamble.len,
			    want.reasoning.off, want.reasoning.len,
			    want.answer.off, want.answer.len, want.closed,
			    want.prefilled, want.answer_tagged,
			    (unsigned)want.think_blocks);
		fail();
	}
}

/* Like the library, the reference never reads a row that is known by
 * its open marker only as prefilled: it does not look for that row's
 * close before the open (see test_dialect_split_preamble). */

/* A small deterministic generator, so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n)
{
	return xorshift_below(&rng_state, n);
}

static void test_dialect_split_matches_reference_on_random_tag_soup(
	void **state)
{
	static const char *const pieces[] = {
		"<think>", "</think>", "<answer>", "</answer>",
		"<think a=\"1\">", "<think ", "<think", "<thinking>",
		"<|begin_of_thought|>", "<|end_of_thought|>",
		"<|begin_of_solution|>", "<|end_of_solution|>",
		"<|im_start|>think", "<|im_start|>answer", "<|im_start|>",
		"[THINK]", "[/THINK]", "[THINK", TRI_L "think" TRI_R,
		TRI_L "/think" TRI_R, TRI_L, "\xe2\x80\x94",
		"<seed:think>", "</seed:think>", H_OPEN, "<|end|>", H_FINAL,
		"<|return|>", "<|channel|>", "<", ">", "[", "|", "/", "x",
		"yz", "\n", " ", "\t", "\"", "think",
	};
	enum { NP = sizeof pieces / sizeof *pieces, ROUNDS = 100000 };
	char buf[1024];
	int r;

	(void)state;
	for (r = 0; r < ROUNDS; r++) {
		size_t len = random_pieces(buf, pieces, NP, 14, &rng_state);

		check_against_ref(buf, len);
	}
}

/* Long texts: the single pass must agree with the reference when the
 * deciding marker is far from the start and other rows come first. */
static void test_dialect_split_matches_reference_on_long_texts(void **state)
{
	static const char *const markers[] = {
		"<think>", "</think>", "[THINK]", "[/THINK]", "<|end|>",
		H_OPEN, TRI_L "/think" TRI_R, "<seed:think>",
		"<|im_start|>answer", "<|end_of_thought|>",
	};
	enum { NM = sizeof markers / sizeof *markers, LEN = 20000 };
	char *buf = malloc(LEN + 64);
	int r;

	(void)state;
	assert_non_null(buf);
	for (r = 0; r < 2000; r++) {
		size_t len = 0;

		while (len < LEN) {
			uint32_t x = rnd(400);

			if (x < NM) {
				size_t k = strlen(markers[x]);

				memcpy(buf + len, markers[x], k);
				len += k;
			} else {
				buf[len++] = "ab <[\n\xe2"[x % 7];
			}
		}
		/* keep UTF-8 irrelevant: stray 0xE2 bytes are fine here */
		check_against_ref(buf, len);
	}
	free(buf);
}

/* ---- corpus: every string value of every record ---- */

static bool check_corpus_string(const char *t, size_t len)
{
	cot__split s;

	cot__dialect_split(t, len, &s);
	check_order(&s, len);
	if (len <= 300000)
		check_against_ref(t, len);
	return true;
}

static void test_dialect_split_corpus_spans_in_range(void **state)
{
	(void)state;
	corpus_check_strings(check_corpus_string);
}

/* The same on every string of the fixtures (tests/data). */
static void test_dialect_split_fixture_spans_in_range(void **state)
{
	(void)state;
	dir_check_strings(data_dir(), check_corpus_string);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dialect_table_order_and_names),
		cmocka_unit_test(
			test_dialect_table_markers_start_with_scanned_bytes),
		cmocka_unit_test(test_dialect_split_open_and_close),
		cmocka_unit_test(test_dialect_split_close_only_is_prefilled),
		cmocka_unit_test(test_dialect_split_open_only_is_unterminated),
		cmocka_unit_test(
		    test_dialect_split_unterminated_answer_is_empty_at_end),
		cmocka_unit_test(test_dialect_split_answer_markers),
		cmocka_unit_test(test_dialect_split_preamble),
		cmocka_unit_test(
		    test_dialect_split_further_blocks_counted_kept_in_answer),
		cmocka_unit_test(test_dialect_split_think_open_attributes),
		cmocka_unit_test(
			test_dialect_split_near_misses_are_not_markers),
		cmocka_unit_test(
			test_dialect_split_harmony_end_alone_is_untagged),
		cmocka_unit_test(
			test_dialect_split_detection_order_is_table_order),
		cmocka_unit_test(test_dialect_split_empty_reasoning),
		cmocka_unit_test(test_dialect_split_marker_alone_or_at_edges),
		cmocka_unit_test(test_dialect_split_multibyte_kimi),
		cmocka_unit_test(test_dialect_split_nul_bytes),
		cmocka_unit_test(
		 test_dialect_split_matches_reference_on_random_tag_soup),
		cmocka_unit_test(
			test_dialect_split_matches_reference_on_long_texts),
		cmocka_unit_test(test_dialect_split_corpus_spans_in_range),
		cmocka_unit_test(test_dialect_split_fixture_spans_in_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
