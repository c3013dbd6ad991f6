/* status.c - completion status of a trace, the rule that decided it. */
#include <string.h>

#include "passes/health.h"
#include "passes/pass.h"

/* finish_reason values as providers write them, compared without case.
 * Stops for length: OpenAI/vLLM/SGLang/Ollama "length", Anthropic and
 * Bedrock "max_tokens", Gemini and Cohere "MAX_TOKENS", Responses
 * incomplete_details.reason "max_output_tokens" (and its status
 * "incomplete" when no reason was recorded: nearly always the token
 * cap), Mistral "model_length", Anthropic
 * "model_context_window_exceeded". Natural stops: "stop", "end_turn",
 * "stop_sequence", Gemini "STOP", Cohere "COMPLETE", Responses
 * "completed", TGI "eos_token". Anything else (tool calls, content
 * filters, errors) is other. */
static const char *const length_words[] = {
	"length", "max_tokens", "max_output_tokens", "max_completion_tokens",
	"model_length", "model_context_window_exceeded", "max_length",
	"incomplete", NULL
};
static const char *const stop_words[] = {
	"stop", "end_turn", "stop_sequence", "eos", "eos_token", "complete",
	"completed", NULL
};

static bool word_is(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n && w[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)w[i])
			return false;
	}
	return i == n && !w[i];
}

static bool in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (word_is(s, n, *list))
			return true;
	return false;
}

int cot__finish_class(const char *s, size_t n)
{
	if (!s)
		return COT__FINISH_NULL;
	if (in_list(s, n, length_words))
		return COT__FINISH_LENGTH;
	if (in_list(s, n, stop_words))
		return COT__FINISH_STOP;
	return COT__FINISH_OTHER;
}

/* Characters after which a text may have stopped at a sentence end:
 * sentence-final punctuation and what closes a sentence after it
 * (brackets, quotes, markdown emphasis, closing '$' of math, '%'). */
static bool ascii_boundary(unsigned char c)
{
	return c && strchr(".!?)]}\"'`*$%|", c) != NULL;
}

/* The same beyond ASCII, as UTF-8: U+2026 ellipsis, U+3002 ideographic
 * full stop, U+FF01, U+FF1F, U+FF0E full-width ! ? ., U+FF09, U+3011,
 * U+300D, U+300F, U+300B, U+3009 closing brackets, U+201D, U+2019
 * closing quotes, U+00BB, U+203A closing guillemets. */
static const char *const wide_boundary[] = {
	"\xe2\x80\xa6", "\xe3\x80\x82", "\xef\xbc\x81", "\xef\xbc\x9f",
	"\xef\xbc\x8e", "\xef\xbc\x89", "\xe3\x80\x91", "\xe3\x80\x8d",
	"\xe3\x80\x8f", "\xe3\x80\x8b", "\xe3\x80\x89", "\xe2\x80\x9d",
	"\xe2\x80\x99", "\xc2\xbb", "\xe2\x80\xba", NULL
};

bool cot__mid_sentence(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t end = len, c;

	/* the last character that is not White_Space */
	for (;;) {
		if (end == 0)
			return false;
		c = end - 1;
		while (c > 0 && (p[c] & 0xc0) == 0x80 && end - c < 4)
			c--;
		if (!cot__space_len(p + c, end - c))
			break;
		end = c;
	}
	if (p[c] < 0x80)
		return !ascii_boundary(p[c]);
	for (const char *const *w = wide_boundary; *w; w++)
		if (strlen(*w) == end - c && !memcmp(p + c, *w, end - c))
			return false;
	return true;
}

/* Blank: no character but White_Space (the list of think.words). */
static bool blank(const cot__text *t)
{
	const unsigned char *p = (const unsigned char *)t->p;
	size_t i = 0, k;

	while (i < t->n && (k = cot__space_len(p + i, t->n - i)))
		i += k;
	return i == t->n;
}

enum { S_COMPLETE, S_NO_ANSWER, S_UNTERMINATED, S_TRUNCATED,
       S_EMPTY_THINK, S_NO_THINK, S_REDACTED };
static const char *const status_names[] = {
	"complete", "no_answer", "unterminated", "truncated", "empty_think",
	"no_think", "redacted"
};

/* The rules in the order they are tried: the first that holds decides
 * (README, "Completion status"). */
enum { R_FINISH_LENGTH, R_EMPTY_BLOCK, R_REDACTED, R_NO_REASONING,
       R_TAIL_LOOP,
       R_MID_SENTENCE, R_NO_CLOSE, R_UNTAGGED, R_ANSWER_CUT,
       R_ANSWER_UNCLOSED, R_NO_ANSWER, R_ANSWERED };
static const struct {
	const char *name;
	uint8_t status;
} rules[] = {
	{ "finish_length", S_TRUNCATED },
	{ "empty_block", S_EMPTY_THINK },
	{ "redacted_only", S_REDACTED },
	{ "no_reasoning", S_NO_THINK },
	{ "tail_loop", S_TRUNCATED },
	{ "mid_sentence", S_TRUNCATED },
	{ "no_close", S_UNTERMINATED },
	{ "untagged", S_NO_THINK },
	{ "answer_cut", S_TRUNCATED },
	{ "answer_unclosed", S_UNTERMINATED },
	{ "answer_blank", S_NO_ANSWER },
	{ "answered", S_COMPLETE },
};

static int rule_of(const cot__profile *p)
{
	const cot__trace *t = p->tr;
	bool rblank = blank(&t->reasoning);

	if (p->finish == COT__FINISH_LENGTH)
		return R_FINISH_LENGTH;
	if (t->tagged && t->closed && rblank)
		return R_EMPTY_BLOCK;
	if (!t->tagged && rblank)
		return t->redacted ? R_REDACTED : R_NO_REASONING;
	if (!t->closed) {
		if (p->nloops && p->loops[p->loop_pick].tail)
			return R_TAIL_LOOP;
		if (p->mid_sentence)
			return R_MID_SENTENCE;
		return t->tagged ? R_NO_CLOSE : R_UNTAGGED;
	}
	if (cot__answer_unclosed(t))
		return cot__mid_sentence(t->answer.p, t->answer.n) ?
		       R_ANSWER_CUT : R_ANSWER_UNCLOSED;
	return blank(&t->answer) ? R_NO_ANSWER : R_ANSWERED;
}

static int status_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__trace *t = p->tr;

	(void)c;
	(void)err;
	p->finish = (uint8_t)cot__finish_class(t->finish_reason.p,
					       t->finish_reason.n);
	p->mid_sentence = cot__mid_sentence(t->reasoning.p, t->reasoning.n);
	p->status_rule = (uint8_t)rule_of(p);
	p->status = rules[p->status_rule].status;
	return COT_OK;
}

static void set_name(cot_value *v, const char *s)
{
	cot__set_text(v, s, s ? strlen(s) : 0);
}

static void get_status(const cot__profile *p, const cot__field *f,
		       cot_value *v)
{
	static const char *const finish_names[] = {
		NULL, "stop", "length", "other"
	};

	switch (f->arg) {
	case 0: set_name(v, status_names[p->status]); break;
	case 1: set_name(v, rules[p->status_rule].name); break;
	case 2: set_name(v, finish_names[p->finish]); break;
	default: cot__set_bool(v, p->mid_sentence); break;
	}
}

static const cot__field status_fields[] = {
	COT__ROW("status", STRING, "", get_status, 0,
	    "completion status: complete, no_answer, unterminated, "
	    "truncated, empty_think, no_think or redacted, by the first "
	    "rule of status_rule's list that holds"),
	COT__ROW("status_rule", STRING, "", get_status, 1,
	    "the rule that decided status, tried in this order: "
	    "finish_length, empty_block, redacted_only, no_reasoning, "
	    "tail_loop, mid_sentence, no_close, untagged, answer_cut, "
	    "answer_unclosed, answer_blank, answered (README, Completion "
	    "status)"),
	COT__ROW("finish", STRING, "", get_status, 2,
	    "finish_reason normalised: length (length, max_tokens, "
	    "max_output_tokens, max_completion_tokens, model_length, "
	    "model_context_window_exceeded, max_length, incomplete), stop "
	    "(stop, end_turn, stop_sequence, eos, eos_token, complete, "
	    "completed), other; case ignored; null when not said"),
	COT__ROW("mid_sentence", BOOL, "", get_status, 3,
	    "the reasoning ends mid-sentence: its last character that is "
	    "not White_Space is none of . ! ? ) ] } \" ' ` * $ % | and "
	    "their wide forms (U+2026 U+3002 U+FF01 U+FF1F U+FF0E U+FF09 "
	    "U+3011 U+300D U+300F U+300B U+3009 U+201D U+2019 U+00BB "
	    "U+203A); false when blank"),
	COT__FIELDS_END
};

const cot__pass cot__status_pass = {
	.name = "status",
	.reads = COT__PROD_LOOPS,
	.run = status_run,
	.fields = status_fields,
};
