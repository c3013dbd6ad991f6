/* classify.c - the step-function classifier (Thought Anchors labels). */
#include <string.h>

#include "match/classify.h"

/* Why rules and not a model: Thought Anchors (Bogdan et al. 2025)
 * labelled each sentence with an LLM prompt. A C library run over
 * millions of traces cannot, so this is a lexical approximation with
 * the same vocabulary: how a unit opens (its first words after
 * interjections such as "Wait," or "Okay, so") says most about what it
 * does in R1-style traces, its math density tells computation from
 * prose, and \boxed marks the answer. Every rule is written down in
 * the README so a user knows exactly what a label means. */

static const char *const names[COT_FN_COUNT] = {
	"problem_setup", "plan_generation", "fact_retrieval",
	"active_computation", "result_consolidation",
	"uncertainty_management", "self_checking", "final_answer_emission",
	"unknown",
};

const char *cot_function_name(int fn)
{
	return fn >= 0 && fn < COT_FN_COUNT ? names[fn] : NULL;
}

int cot__classifier_init(cot__classifier *c)
{
	memset(c, 0, sizeof *c);
	if (cot__cueset_add_table(&c->interj, cot__interjection_cues) ||
	    cot__cueset_add_table(&c->main, cot__function_cues)) {
		cot__classifier_free(c);
		return COT_ENOMEM;
	}
	if (cot__cueset_finish(&c->interj) || cot__cueset_finish(&c->main)) {
		cot__classifier_free(c);
		return COT_ENOMEM;
	}
	return COT_OK;
}

void cot__classifier_free(cot__classifier *c)
{
	cot__cueset_free(&c->interj);
	cot__cueset_free(&c->main);
}

/* What each byte adds to the counts of cot__computational, one 16-bit
 * lane each: math (digits, operators), ASCII white space, '=', and a
 * byte that may lead a multi-byte math character. One add per byte:
 * counting into an array indexed by class would chain every byte on
 * the store of the one before. */
#define MATH (1ULL)
#define SPACE (1ULL << 16)
#define EQ (1ULL << 32 | MATH)
#define LEAD (1ULL << 48)
static const uint64_t math_inc[256] = {
	['0'] = MATH, ['1'] = MATH, ['2'] = MATH, ['3'] = MATH, ['4'] = MATH,
	['5'] = MATH, ['6'] = MATH, ['7'] = MATH, ['8'] = MATH, ['9'] = MATH,
	['='] = EQ, ['+'] = MATH, ['-'] = MATH, ['*'] = MATH, ['/'] = MATH,
	['^'] = MATH, ['\\'] = MATH, ['{'] = MATH, ['}'] = MATH,
	['<'] = MATH, ['>'] = MATH, ['|'] = MATH,
	[' '] = SPACE, ['\t'] = SPACE, ['\n'] = SPACE, ['\r'] = SPACE,
	['\v'] = SPACE, ['\f'] = SPACE, [0xc2] = LEAD, [0xc3] = LEAD,
	[0xe2] = LEAD,
};

/* The multi-byte math characters U+00D7 U+00F7 U+00B7 U+2212: their
 * bytes, counted as math, in t[start..end). */
static size_t wide_math(const unsigned char *t, size_t start, size_t end)
{
	size_t extra = 0;

	for (size_t i = start; i + 1 < end; i++) {
		if (!(math_inc[t[i]] & LEAD))
			continue;
		if ((t[i] == 0xc3 && (t[i + 1] == 0x97 || t[i + 1] == 0xb7)) ||
		    (t[i] == 0xc2 && t[i + 1] == 0xb7))
			extra += 2;
		else if (t[i] == 0xe2 && end - i >= 3 && t[i + 1] == 0x88 &&
			 t[i + 2] == 0x92)
			extra += 3;
	}
	return extra;
}

bool cot__computational(const char *text, size_t start, size_t end)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t math = 0, space = 0, eq = 0, lead = 0, ink;

	/* in chunks that cannot overflow a 16-bit lane */
	for (size_t i = start; i < end;) {
		size_t stop = end - i > 65535 ? i + 65535 : end;
		uint64_t sum = 0;

		for (; i < stop; i++)
			sum += math_inc[t[i]];
		math += sum & 0xffff;
		space += sum >> 16 & 0xffff;
		eq += sum >> 32 & 0xffff;
		lead += sum >> 48;
	}
	if (lead)
		math += wide_math(t, start, end);
	ink = (end - start) - space;
	if (ink == 0)
		return false;
	return math * 4 >= ink || (eq && math * 10 >= ink);
}

int cot__classify(const cot__classifier *c, const char *text, size_t start,
		  size_t end, size_t index, bool boxed)
{
	size_t o = cot__opening(text, start, end);
	bool hedge = false, so = false;
	int comp = -1;	/* computed when a rule needs it */
	int main = COT__CUE_NONE;

	/* skip up to 4 interjections ("Okay, so", "Wait, hmm,") */
	for (int k = 0; o < end; k++) {
		int cls;
		size_t n;

		if (cot__cue_at(&c->main, text, o, end, &main) || k == 4)
			break;
		n = cot__cue_at(&c->interj, text, o, end, &cls);
		if (!n)
			break;
		hedge = hedge || cls == COT__CUE_HEDGE;
		so = so || cls == COT__CUE_SO;
		o = cot__after_cue(text, o + n, end);
	}
	if (boxed || main == COT__CUE_FINAL)
		return COT_FN_FINAL_ANSWER_EMISSION;
	if (main == COT__CUE_VERIFY)
		return COT_FN_SELF_CHECKING;
	if (main == COT__CUE_DOUBT)
		return COT_FN_UNCERTAINTY_MANAGEMENT;
#define COMP() (comp < 0 ? (comp = cot__computational(text, start, end)) \
		      : comp)
	if (main == COT__CUE_SETUP || (index == 0 && !COMP()))
		return COT_FN_PROBLEM_SETUP;
	if (main == COT__CUE_COMPUTE)
		return COT_FN_ACTIVE_COMPUTATION;
	if (main == COT__CUE_FACT)
		return COT_FN_FACT_RETRIEVAL;
	if (main == COT__CUE_PLAN)
		return COT_FN_PLAN_GENERATION;
	if (hedge)
		return COT_FN_UNCERTAINTY_MANAGEMENT;
	if (main == COT__CUE_CONSOLIDATE || so)
		return COT_FN_RESULT_CONSOLIDATION;
	if (COMP())
		return COT_FN_ACTIVE_COMPUTATION;
	return COT_FN_UNKNOWN;
#undef COMP
}
