/* classify.c - the step-function classifier (Thought Anchors labels). */
#include <string.h>

#include "match/classify.h"
#include "base/bits.h"
#include "base/simd.h"

/* Why rules and not a model: Thought Anchors (Bogdan et al. 2025)
 * labelled each sentence with an LLM prompt. A C library run over
 * millions of traces cannot, so this is a lexical approximation with
 * the same vocabulary: how a unit opens (its first words after
 * interjections such as "Wait," or "Okay, so") says most about what it
 * does in R1-style traces, its math density tells computation from
 * prose, and \boxed marks the answer. Every rule is written down in
 * the README so a user knows exactly what a label means. */

/* Precision: the share of the development set's chunks decided by the
 * rule whose label is the annotator's (tests/bench/labels.py, "per
 * rule"); README "Step functions" gives the shares. */
#define R(id, name, fn, ps, pp) \
	[COT__RULE_##id] = { name, COT_FN_##fn, ps, pp }
const cot__rule_info cot__rules[COT__RULE_COUNT] = {
	R(BOXED, "boxed", FINAL_ANSWER_EMISSION, 1.00, 1.00),
	R(FINAL_CUE, "final_cue", FINAL_ANSWER_EMISSION, 0.47, 0.42),
	R(VERIFY_CUE, "verify_cue", SELF_CHECKING, 0.39, 0.41),
	R(SETUP_CUE, "setup_cue", PROBLEM_SETUP, 0.64, 0.29),
	R(FIRST_UNIT, "first_unit", PROBLEM_SETUP, 0.88, 0.49),
	R(COMPUTE_CUE, "compute_cue", ACTIVE_COMPUTATION, 0.80, 0.70),
	R(COMPUTATIONAL, "computational", ACTIVE_COMPUTATION, 0.67, 0.65),
	R(RECALL, "recall", FACT_RETRIEVAL, 0.91, 0.65),
	R(AFFIRM, "affirm", SELF_CHECKING, 0.56, 0.57),
	R(STATEMENT, "statement", FACT_RETRIEVAL, 0.37, 0.25),
	R(EXAMPLE, "example", FACT_RETRIEVAL, 0.83, 0.25),
	R(FACT_CUE, "fact_cue", FACT_RETRIEVAL, 0.47, 0.44),
	R(ALTERNATIVE, "alternative", PLAN_GENERATION, 0.72, 0.58),
	R(TENTATIVE, "tentative", PLAN_GENERATION, 0.53, 0.31),
	R(DOUBT_CUE, "doubt_cue", UNCERTAINTY_MANAGEMENT, 0.80, 0.42),
	R(PLAN_CUE, "plan_cue", PLAN_GENERATION, 0.51, 0.33),
	R(DEDUCTION, "deduction", FACT_RETRIEVAL, 0.47, 0.39),
	R(HEDGE, "hedge", UNCERTAINTY_MANAGEMENT, 0.58, 0.40),
	R(CONSOLIDATE_CUE, "consolidate_cue", RESULT_CONSOLIDATION, 0.70, 0.86),
	R(SO, "so", RESULT_CONSOLIDATION, 0.39, 0.37),
	R(CONTINUES, "continues", COUNT, 0.32, 0.32),
	R(NONE, "none", UNKNOWN, 0.00, 0.00),
};
#undef R

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

/* Setting bit 5 lowers the ASCII capitals and sends no other byte into
 * 'a'..'z'. As the key of the pair filter it is applied to the phrases
 * and the text alike: a byte and its lower case get the same key. */
static unsigned fold(unsigned char b)
{
	return b | 0x20u;
}

static void add_pairs(uint64_t *pairs, const cot__cue *cues)
{
	for (const cot__cue *q = cues; q->phrase; q++) {
		unsigned k = fold((unsigned char)q->phrase[0]) << 8 |
			     fold((unsigned char)q->phrase[1]);

		pairs[k >> 6] |= 1ULL << (k & 63);
	}
}

int cot__classifier_init(cot__classifier *c)
{
	memset(c, 0, sizeof *c);
	if (cot__cueset_add_table(&c->interj, cot__interjection_cues) ||
	    cot__cueset_add_table(&c->main, cot__function_cues) ||
	    cot__cueset_add_table(&c->inner, cot__inner_cues) ||
	    cot__cueset_add_table(&c->state, cot__state_cues)) {
		cot__classifier_free(c);
		return COT_ENOMEM;
	}
	if (cot__cueset_finish(&c->interj) || cot__cueset_finish(&c->main) ||
	    cot__cueset_finish(&c->inner) || cot__cueset_finish(&c->state)) {
		cot__classifier_free(c);
		return COT_ENOMEM;
	}
	add_pairs(c->inner_pairs, cot__inner_cues);
	add_pairs(c->state_pairs, cot__state_cues);
	return COT_OK;
}

void cot__classifier_free(cot__classifier *c)
{
	cot__cueset_free(&c->interj);
	cot__cueset_free(&c->main);
	cot__cueset_free(&c->inner);
	cot__cueset_free(&c->state);
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

/* Is the phrase of cs beginning at t[i] (its first two bytes in pairs)
 * a cue? Its class, or COT__CUE_NONE. */
static int cue_here(const cot__cueset *cs, const uint64_t *pairs,
		    const char *text, size_t i, size_t end)
{
	const unsigned char *t = (const unsigned char *)text;
	unsigned k = fold(t[i]) << 8 | fold(t[i + 1]);
	int cls;

	if (pairs[k >> 6] >> (k & 63) & 1 &&
	    cot__cue_at(cs, text, i, end, &cls))
		return cls;
	return COT__CUE_NONE;
}

int cot__cue_in(const cot__cueset *cs, const uint64_t *pairs,
		const char *text, size_t o, size_t end, size_t readable)
{
	const unsigned char *t = (const unsigned char *)text;
	const cot__v16 space = cot__v16_splat(0x20);
	const cot__v16 before_a = cot__v16_splat('a' - 1);
	const cot__v16 after_z = cot__v16_splat('z' + 1);
	const cot__v16 apostrophe = cot__v16_splat('\'');
	const cot__v16 before_e0 = cot__v16_splat(0xdf);
	const cot__v16 zero = cot__v16_splat(0);
	uint32_t carry = 0;	/* the byte before the block is a letter */

	/* 16 places at a time, each with the byte after it (a last
	 * block past what may be read is copied out and padded with
	 * zeros, which begin nothing); the compares are signed, so
	 * 0xe0..0xff lie between 0xdf and 0 */
	for (size_t i = o; i + 1 < end; i += 16) {
		size_t n = end - i;
		unsigned char pad[16];
		cot__v16 v, x;
		uint32_t letter, other, at;

		if (readable - i >= 16) {
			v = cot__v16_load(t + i);
		} else {
			memset(pad, 0, sizeof pad);
			memcpy(pad, t + i, n);
			v = cot__v16_load(pad);
		}
		x = cot__v16_or(v, space);
		letter = cot__v16_mask(cot__v16_and(cot__v16_gt(x, before_a),
						    cot__v16_lt(x, after_z)));
		other = cot__v16_mask(cot__v16_or(cot__v16_eq(v, apostrophe),
			cot__v16_and(cot__v16_gt(v, before_e0),
				     cot__v16_lt(v, zero))));
		at = (letter & ~(letter << 1 | carry)) | other;
		carry = letter >> 15 & 1;
		/* a place needs the byte after it */
		at &= n > 16 ? 0xffff : (1u << (n - 1)) - 1;
		for (; at; at &= at - 1) {
			int cls = cue_here(cs, pairs, text,
					   i + cot__ctz32(at), end);

			if (cls != COT__CUE_NONE)
				return cls;
		}
	}
	return COT__CUE_NONE;
}

/* Bytes from the opening in which the inner cues are looked for, and
 * bytes from the start whose math makes a unit computational. Longer
 * windows label the development set as well (README "Step functions")
 * and cost annotate more. */
#define INNER_PROSE 32
#define INNER_COMP 24
#define COMP_BYTES 256

/* Is there a check mark (U+2714, U+2713) in text[s..e)? */
static bool check_mark(const char *text, size_t s, size_t e)
{
	const unsigned char *t = (const unsigned char *)text, *p;

	while (s + 2 < e && (p = memchr(t + s, 0xe2, e - s - 2))) {
		s = (size_t)(p - t) + 1;
		if (p[1] == 0x9c && (p[2] == 0x94 || p[2] == 0x93))
			return true;
	}
	return false;
}

/* Does the unit continue the sentence of the one before: it opens with
 * an ASCII lower-case letter (a sentence cut after an abbreviation or a
 * formula, a list item going on)? */
static bool continues(const char *text, size_t o, size_t end)
{
	return o < end && text[o] >= 'a' && text[o] <= 'z';
}

int cot__classify(const cot__classifier *c, const char *text, size_t start,
		  size_t end, size_t index, bool boxed, int prev, int *rule)
{
	size_t o = cot__opening(text, start, end);
	size_t o0 = o;
	bool hedge = false, so = false, comp;
	size_t lim;
	int main = COT__CUE_NONE, inner;

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
#define RULE(r) return (*rule = (r), cot__rules[r].fn)
	if (boxed)
		RULE(COT__RULE_BOXED);
	if (main == COT__CUE_FINAL)
		RULE(COT__RULE_FINAL_CUE);
	if (main == COT__CUE_VERIFY)
		RULE(COT__RULE_VERIFY_CUE);
	if (main == COT__CUE_SETUP)
		RULE(COT__RULE_SETUP_CUE);
	comp = cot__computational(text, start, end - start > COMP_BYTES ?
				  start + COMP_BYTES : end);
	if (index == 0 && !comp)
		RULE(COT__RULE_FIRST_UNIT);
	if (main == COT__CUE_COMPUTE)
		RULE(COT__RULE_COMPUTE_CUE);
	/* the inner cues are looked for near the opening only (a unit
	 * that recalls or affirms says so early), in a shorter window in
	 * computational units, which have a check mark anywhere */
	lim = end - o0 > (comp ? INNER_COMP : INNER_PROSE) ?
	      o0 + (comp ? INNER_COMP : INNER_PROSE) : end;
	inner = cot__cue_in(&c->inner, c->inner_pairs, text, o0, lim, end);
	if (!inner && comp && check_mark(text, o0, end))
		inner = COT__CUE_AFFIRM;
	if (inner == COT__CUE_RECALL)
		RULE(COT__RULE_RECALL);
	if (inner == COT__CUE_AFFIRM)
		RULE(COT__RULE_AFFIRM);
	if (comp)
		RULE(COT__RULE_COMPUTATIONAL);
	if (inner == COT__CUE_EXAMPLE)
		RULE(COT__RULE_EXAMPLE);
	if (main == COT__CUE_FACT)
		RULE(COT__RULE_FACT_CUE);
	if (main == COT__CUE_ALTERNATIVE)
		RULE(COT__RULE_ALTERNATIVE);
	if (main == COT__CUE_TENTATIVE && !hedge)
		RULE(COT__RULE_TENTATIVE);
	if (main == COT__CUE_DOUBT || main == COT__CUE_TENTATIVE)
		RULE(COT__RULE_DOUBT_CUE);
	if (main == COT__CUE_PLAN)
		RULE(COT__RULE_PLAN_CUE);
	if (main == COT__CUE_DEDUCE)
		RULE(COT__RULE_DEDUCTION);
	if (hedge)
		RULE(COT__RULE_HEDGE);
	if (main == COT__CUE_CONSOLIDATE)
		RULE(COT__RULE_CONSOLIDATE_CUE);
	if (so)
		RULE(COT__RULE_SO);
	if (prev != COT_FN_UNKNOWN && continues(text, o0, end)) {
		*rule = COT__RULE_CONTINUES;
		return prev;
	}
	if (cot__cue_in(&c->state, c->state_pairs, text, o0, end, end) ==
	    COT__CUE_STATE)
		RULE(COT__RULE_STATEMENT);
	RULE(COT__RULE_NONE);
#undef RULE
}
