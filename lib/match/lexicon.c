/* lexicon.c - the built-in lexicons and cue lists, as data. */
#include <string.h>

#include "match/lexicon.h"

/* Phrases are literal, lower case, separated by '|'. Within a pattern
 * the alternatives are tried in the order written at each position, so
 * a phrase that starts like a longer one comes after it ("but wait"
 * before "wait" cannot clash, "aha moment" before "aha" could). Words
 * are listed with the inflections their source counts: oat-zero counts
 * substrings, so "recheck" there also counts "rechecking"; the others
 * count whole words only. Chinese phrases have no anchor in the
 * literature (no published lexicon lists them): they are
 * our translations, and say so in their family's source. */

#define SRC_R1 "DeepSeek-R1 (arXiv 2501.12948), Nature version, " \
	"Extended Data Fig. 1a: ten reflective words chosen by three experts"
#define SRC_OAT "sail-sg/oat-zero analysis/eval_self_reflect.py: " \
	"self-reflection keywords, counted as substrings there"
#define SRC_OI "allenai/open-instruct scripts/data/filtering_and_updates/" \
	"filter_thinking_repetitions.py MARKER_PATTERNS"
#define SRC_GANDHI "Gandhi et al. 2025, Cognitive Behaviors that " \
	"Enable Self-Improving Reasoners (arXiv 2503.01307), cue " \
	"phrases of the judge prompts in kanishkg/cognitive-behaviors, " \
	"extended by cotlog; the paper counts with an LLM judge"
#define SRC_SWITCH "allenai/open-instruct filter_thinking_repetitions.py " \
	"TRANSITION_PATTERNS (paragraph-start switch markers) and Wang " \
	"et al. 2025, Thoughts Are All Over the Place (arXiv 2501.18585): " \
	"\"alternatively\""
#define SRC_AHA "DeepSeek-R1 (arXiv 2501.12948), section 2.2.4, " \
	"Table 3 (\"aha moment\"); phrase list by cotlog"
#define SRC_CONCL "allenai/open-instruct filter_thinking_repetitions.py " \
	"CONCLUDE action class (therefore, thus, so the answer, the " \
	"answer is) and the solution-round proxy of Chen et al. 2024, " \
	"Do NOT Think That Much for 2+3=? (arXiv 2412.21187)"
#define ZH "; Chinese counterparts (the *_zh patterns): cotlog's own, " \
	"no published anchor"

const cot__lexfamily cot__lex_families[] = {
	{ "r1_reflect", SRC_R1 ZH },
	{ "oat_reflect", SRC_OAT ZH },
	{ "oi_wait_reconsider", SRC_OI ZH },
	{ "oi_self_directed", SRC_OI ZH },
	{ "oi_hedging", SRC_OI ZH },
	{ "verification", SRC_GANDHI ZH },
	{ "backtracking", SRC_GANDHI ZH },
	{ "subgoal_setting", SRC_GANDHI ZH },
	{ "backward_chaining", SRC_GANDHI ZH },
	{ "switch", SRC_SWITCH ZH },
	{ "aha", SRC_AHA ZH },
	{ "conclusion", SRC_CONCL ZH },
	{ NULL, NULL }
};

const cot__lexeme cot__lexicon[] = {
	/* DeepSeek-R1's ten reflective words, each its own pattern
	 * (the paper plots them one by one; Fig. 1b is "wait" alone) */
	{ "r1_wait", "r1_reflect", "wait" },
	{ "r1_mistake", "r1_reflect", "mistake" },
	{ "r1_however", "r1_reflect", "however" },
	{ "r1_but", "r1_reflect", "but" },
	{ "r1_retry", "r1_reflect", "retry" },
	{ "r1_error", "r1_reflect", "error" },
	{ "r1_verify", "r1_reflect", "verify" },
	{ "r1_wrong", "r1_reflect", "wrong" },
	{ "r1_evaluate", "r1_reflect", "evaluate" },
	{ "r1_check", "r1_reflect", "check" },
	{ "r1_zh", "r1_reflect",
	  "等等|出错|错误|然而|但是|重试|验证|不对|评估|检查" },

	/* oat-zero's keywords; inflections stand for its substring count */
	{ "oat_recheck", "oat_reflect",
	  "recheck|rechecks|rechecked|rechecking" },
	{ "oat_rethink", "oat_reflect", "rethink|rethinks|rethinking" },
	{ "oat_reevaluate", "oat_reflect",
	  "reevaluate|reevaluates|reevaluated|reevaluating|"
	  "reevaluation|reevaluations|"
	  "re-evaluate|re-evaluates|re-evaluated|re-evaluating" },
	{ "oat_reexamine", "oat_reflect",
	  "re-examine|re-examines|re-examined|re-examining|"
	  "reexamine|reexamines|reexamined|reexamining" },
	{ "oat_try_again", "oat_reflect", "try again" },
	{ "oat_check_again", "oat_reflect", "check again" },
	{ "oat_think_again", "oat_reflect", "think again" },
	{ "oat_go_over", "oat_reflect", "go over the steps" },
	{ "oat_zh", "oat_reflect",
	  "重新检查|再检查一下|再检查|再次检查|重新思考|重新评估|"
	  "再想一想|再想想|再试一次|重新审视" },

	/* open-instruct's three marker families, regex for regex:
	 * \bwait\b, \bhold on\b, \bon second thought\b; the self-directed
	 * regex \blet me (think|try|check|verify|reconsider|re-?examine|
	 * re-?visit|re-?think|re-?do|re-?calculate|re-?evaluate|
	 * double[- ]?check|start over|go back)\b spelled out;
	 * \balternatively\b, \bperhaps\b, \bmaybe i should\b */
	{ "oi_wait", "oi_wait_reconsider", "wait" },
	{ "oi_hold_on", "oi_wait_reconsider", "hold on" },
	{ "oi_second_thought", "oi_wait_reconsider", "on second thought" },
	{ "oi_wait_zh", "oi_wait_reconsider", "等等|等一下|且慢|再想想" },
	{ "oi_let_me", "oi_self_directed",
	  "let me think|let me try|let me check|let me verify|"
	  "let me reconsider|let me re-examine|let me reexamine|"
	  "let me re-visit|let me revisit|let me re-think|let me rethink|"
	  "let me re-do|let me redo|let me re-calculate|let me recalculate|"
	  "let me re-evaluate|let me reevaluate|let me double-check|"
	  "let me double check|let me doublecheck|let me start over|"
	  "let me go back" },
	{ "oi_self_zh", "oi_self_directed",
	  "让我想一想|让我想想|让我试试|让我检查|让我验证|让我重新|"
	  "我再检查|我来检查" },
	{ "oi_alternatively", "oi_hedging", "alternatively" },
	{ "oi_perhaps", "oi_hedging", "perhaps" },
	{ "oi_maybe_i_should", "oi_hedging", "maybe i should" },
	{ "oi_hedging_zh", "oi_hedging", "或许|也许|或者|说不定" },

	/* Gandhi et al.'s four behaviours as phrase lists: their cue
	 * phrases ("Let me try again", "I made a mistake", "we need to try
	 * a different sequence", "Let's check our answer by
	 * substituting", "First, I'll try to get close to", "Let's work
	 * backwards from the target") and close variants. Bare "wait",
	 * which their backtracking prompt also names, is left to
	 * r1_wait: in R1-style traces it would swamp the family. */
	{ "verification", "verification",
	  "let me double-check|let me double check|let me check|"
	  "let me verify|let me confirm|let's double-check|let's check|"
	  "let's verify|let's confirm|let us check|let us verify|"
	  "double-check|double check|sanity check|to verify|to confirm|"
	  "check our answer|check my answer|check the answer|"
	  "verify the answer|verify that|verify this|plugging back|"
	  "plug it back|plug back|substituting back|substitute back|"
	  "this checks out|that checks out|which is not equal to|"
	  "is not equal to the target" },
	{ "verification_zh", "verification",
	  "验证一下|验证|检查一下|检验|核对|确认一下" },
	{ "backtracking", "backtracking",
	  "let me try again|let's try again|let us try again|"
	  "try a different|try another|a different approach|"
	  "another approach|a different method|different sequence|"
	  "i made a mistake|made a mistake|made an error|that's wrong|"
	  "that is wrong|that was wrong|that's not right|that is not right|"
	  "that's incorrect|that is incorrect|this doesn't work|"
	  "that doesn't work|this won't work|that won't work|doesn't work|"
	  "go back to|going back to|start over|scratch that|wait, no|"
	  "wait no" },
	{ "backtracking_zh", "backtracking",
	  "不对|错了|重新来|重新开始|换一种方法|换个方法|换个思路|再试|"
	  "我犯了一个错误|我犯了错误|回到" },
	{ "subgoal_setting", "subgoal_setting",
	  "first, i'll|first, let's|first, let me|first, we|first, i|"
	  "first i'll|first i|first we|first let's|first let me|"
	  "first of all|step 1|step one|the first step|break down|"
	  "break it down|break this down|breaking down|subgoal|sub-goal|"
	  "sub-problem|subproblem|intermediate goal|intermediate step|"
	  "next, i|next, we|next, let|the next step|then i'll|then we'll" },
	{ "subgoal_setting_zh", "subgoal_setting",
	  "首先|第一步|分解|子问题|子目标|接下来|下一步" },
	{ "backward_chaining", "backward_chaining",
	  "work backwards|work backward|working backwards|"
	  "working backward|worked backwards|worked backward|"
	  "backwards from|backward from|start from the target|"
	  "start from the answer|start from the end|start from the result|"
	  "starting from the target|starting from the answer|"
	  "starting from the end|reverse engineer|in reverse|"
	  "from the goal" },
	{ "backward_chaining_zh", "backward_chaining",
	  "倒推|逆推|反推|从结果出发|从目标出发|从答案出发|倒过来" },

	/* thought-switch markers: these phrases, at the opening of a
	 * paragraph, also start a new thought (segment.c) */
	{ "switch_wait", "switch",
	  "but wait|wait|hold on|hold up|on second thoughts|"
	  "on second thought" },
	{ "switch_hmm", "switch", "hmmmm|hmmm|hmm|hm" },
	{ "switch_actually", "switch", "actually" },
	{ "switch_alternatively", "switch", "alternatively" },
	{ "switch_no", "switch", "no,|no.|no!" },
	{ "switch_let_me", "switch",
	  "let me re-check|let me recheck|let me re-verify|let me verify|"
	  "let me double-check|let me double check|let me reconsider|"
	  "let me re-examine|let me reexamine|let me rethink|"
	  "let me re-think|let me try|let me start over|let me go back|"
	  "let's re-check|let's recheck|let's verify|let's double-check|"
	  "let's reconsider|let's re-examine|let's rethink|let's try|"
	  "let's start over|let's go back|let us try|let us reconsider|"
	  "let us verify" },
	{ "switch_maybe", "switch",
	  "maybe i should|perhaps i should|maybe we should|"
	  "perhaps we should" },
	{ "switch_zh", "switch",
	  "等等|等一下|不对|另外|或者|换个思路|其实|且慢|让我再|再想想|嗯" },

	/* "aha" expressions */
	{ "aha", "aha",
	  "aha moment|aha|a-ha|eureka|oh, i see|oh i see|now i see|"
	  "i see now|now i get it|i get it|i just realized|i realize|"
	  "i realise|i realized|i realised|now i understand|"
	  "that's the key|the key insight" },
	{ "aha_zh", "aha",
	  "啊哈|原来如此|我明白了|恍然大悟|我懂了|原来是这样" },

	/* conclusion markers */
	{ "conclusion_answer", "conclusion",
	  "so the final answer is|so the answer is|so the answer should be|"
	  "the final answer is|the answer is|the answer should be" },
	{ "conclusion_therefore", "conclusion",
	  "therefore|thus|hence|in conclusion|to conclude|consequently" },
	{ "conclusion_zh", "conclusion",
	  "所以|因此|综上|总之|答案是|最终答案" },
	{ NULL, NULL, NULL }
};

static bool ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

int cot__phrase_regex(const char *phrases, cot__sbuf *out)
{
	const char *p = phrases;
	int rc = cot__sbuf_add(out, "(?:", 3);

	while (!rc) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n && ascii_alnum((unsigned char)p[0]))
			rc = cot__sbuf_add(out, "\\b", 2);
		for (size_t i = 0; i < n && !rc; i++) {
			char c = p[i];

			if (c == '\'')
				rc = cot__sbuf_add(out, "['\xe2\x80\x99]", 6);
			else if (strchr("\\^$.[]|()?*+{}-#", c))
				rc = cot__sbuf_addf(out, "\\%c", c);
			else
				rc = cot__sbuf_addc(out, c);
		}
		if (!rc && n && ascii_alnum((unsigned char)p[n - 1]))
			rc = cot__sbuf_add(out, "\\b", 2);
		if (rc || !end)
			break;
		rc = cot__sbuf_addc(out, '|');
		p = end + 1;
	}
	return rc ? rc : cot__sbuf_addc(out, ')');
}

/* The classifier's vocabulary (classify.c, README "Step functions").
 * Interjections are skipped at the opening of a unit, remembering
 * their class; then the longest main cue at that point decides. */
const cot__cue cot__interjection_cues[] = {
	{ "but wait", COT__CUE_HEDGE }, { "wait", COT__CUE_HEDGE },
	{ "hmmmm", COT__CUE_HEDGE }, { "hmmm", COT__CUE_HEDGE },
	{ "hmm", COT__CUE_HEDGE }, { "hm", COT__CUE_HEDGE },
	{ "hold on", COT__CUE_HEDGE }, { "oh", COT__CUE_HEDGE },
	{ "ohh", COT__CUE_HEDGE }, { "oops", COT__CUE_HEDGE },
	{ "uh", COT__CUE_HEDGE }, { "um", COT__CUE_HEDGE },
	{ "no", COT__CUE_HEDGE }, { "actually", COT__CUE_HEDGE },
	{ "but", COT__CUE_HEDGE }, { "however", COT__CUE_HEDGE },
	{ "whoa", COT__CUE_HEDGE },
	{ "嗯", COT__CUE_HEDGE }, { "等等", COT__CUE_HEDGE },
	{ "等一下", COT__CUE_HEDGE }, { "不对", COT__CUE_HEDGE },
	{ "不过", COT__CUE_HEDGE },
	{ "so", COT__CUE_SO }, { "therefore", COT__CUE_SO },
	{ "thus", COT__CUE_SO }, { "hence", COT__CUE_SO },
	{ "所以", COT__CUE_SO }, { "因此", COT__CUE_SO },
	{ "okay", COT__CUE_FILLER }, { "ok", COT__CUE_FILLER },
	{ "alright", COT__CUE_FILLER }, { "all right", COT__CUE_FILLER },
	{ "well", COT__CUE_FILLER }, { "now", COT__CUE_FILLER },
	{ "right", COT__CUE_FILLER }, { "yes", COT__CUE_FILLER },
	{ "yeah", COT__CUE_FILLER }, { "good", COT__CUE_FILLER },
	{ "great", COT__CUE_FILLER }, { "fine", COT__CUE_FILLER },
	{ "sure", COT__CUE_FILLER }, { "also", COT__CUE_FILLER },
	{ "i think", COT__CUE_FILLER }, { "i think that", COT__CUE_FILLER },
	{ "and", COT__CUE_FILLER }, { "then", COT__CUE_FILLER },
	{ "好的", COT__CUE_FILLER }, { "好", COT__CUE_FILLER },
	{ "那么", COT__CUE_FILLER }, { "然后", COT__CUE_FILLER },
	{ NULL, 0 }
};

#define F(s) { s, COT__CUE_FINAL }
#define V(s) { s, COT__CUE_VERIFY }
#define D(s) { s, COT__CUE_DOUBT }
#define S(s) { s, COT__CUE_SETUP }
#define C(s) { s, COT__CUE_COMPUTE }
#define R(s) { s, COT__CUE_FACT }
#define P(s) { s, COT__CUE_PLAN }
#define K(s) { s, COT__CUE_CONSOLIDATE }
#define A(s) { s, COT__CUE_ALTERNATIVE }
#define T(s) { s, COT__CUE_TENTATIVE }
#define E(s) { s, COT__CUE_DEDUCE }

const cot__cue cot__function_cues[] = {
	/* final answer emission */
	F("final answer"), F("the final answer"), F("so the final answer"),
	F("so the answer is"), F("the answer is"), F("answer:"),
	F("therefore, the answer"), F("therefore the answer"),
	F("thus, the answer"), F("thus the answer"), F("hence the answer"),
	F("最终答案"), F("答案是"), F("所以答案"), F("因此答案"),
	/* self checking */
	V("let me check"), V("let me verify"), V("let me double-check"),
	V("let me double check"), V("let me confirm"), V("let me recheck"),
	V("let me re-check"), V("let me re-verify"), V("let me make sure"),
	V("let me test"), V("let me plug"), V("let me substitute back"),
	V("let's check"), V("let's verify"), V("let's double-check"),
	V("let's double check"), V("let's confirm"), V("let's test"),
	V("let's plug"), V("let us check"), V("let us verify"),
	V("i need to check"), V("i need to verify"), V("i should check"),
	V("i should verify"), V("i'll double-check"), V("i'll double check"),
	V("i'll check"), V("i'll verify"), V("i will check"),
	V("i will verify"), V("we can check"), V("we can verify"), V("to check"), V("to verify"), V("to confirm"),
	V("to double-check"), V("double-check"), V("double check"),
	V("checking"), V("verifying"), V("verification"), V("check"),
	V("verify"), V("sanity check"), V("plugging back"), V("plug back"),
	V("plug it back"), V("substituting back"), V("if we plug"),
	V("if i plug"), V("does this make sense"), V("is this correct"),
	V("is that correct"), V("is this right"), V("is that right"),
	V("that checks out"), V("this checks out"), V("that's correct"),
	V("that is correct"), V("correct"), V("that works"),
	V("final check"), V("final verification"), V("review"),
	V("验证"), V("检查"), V("检验"), V("核对"), V("确认"),
	/* uncertainty management */
	D("i'm not sure"),
	D("i am not sure"), D("not sure"), D("i wonder"),
	D("on second thought"), D("let me reconsider"), D("let me rethink"),
	D("let me re-examine"), D("let me reexamine"),
	D("let me think again"), D("let me re-evaluate"),
	D("let me reevaluate"), D("let's reconsider"), D("let's rethink"),
	D("that doesn't"), D("that can't"), D("that's not"),
	D("that isn't"), D("that is not"), D("this doesn't"),
	D("this can't"), D("this isn't"), D("this is not"),
	D("that's wrong"), D("that is wrong"), D("this is wrong"),
	D("is it possible"), D("could it be"), D("did i"),
	D("i made a mistake"), D("i think i made"), D("i must have"),
	D("i might have"), D("i may have"), D("am i missing"),
	D("what if"), D("i'm confused"),
	D("i'm getting confused"), D("that contradicts"),
	D("this contradicts"), D("contradiction"), D("is there"),
	D("不确定"), D("是不是"),
	/* a new approach proposed: planning */
	A("alternatively"), A("or alternatively"), A("let me try another"),
	A("let me try a different"), A("let's try another"),
	A("let's try a different"), A("another approach"),
	A("another way"), A("a different approach"), A("or maybe"),
	A("or perhaps"), A("或者"), A("换个思路"),
	/* a tentative proposal: planning, or doubt after a hedge */
	T("maybe"), T("perhaps"), T("也许"), T("或许"), T("可能"),
	/* a deduction: fact retrieval */
	E("because"), E("since"), E("similarly"),
	E("likewise"), E("in this case"), E("in that case"),
	E("that means"), E("this means"), E("which means"), E("因为"),
	E("由于"), E("如果"), E("同理"),
	/* problem setup */
	S("the problem"), S("the question"), S("this problem"),
	S("this question"), S("the problem says"), S("the question says"),
	S("the problem states"), S("we are given"), S("we're given"),
	S("i'm given"), S("i am given"), S("given that"), S("given:"),
	S("we are asked"), S("we're asked"), S("i'm asked"),
	S("i am asked"), S("the task"), S("i have this problem"),
	S("i've got this problem"), S("i have a problem"),
	S("here's the problem"), S("let me read"), S("let me reread"),
	S("let me re-read"), S("let me restate"), S("let's restate"),
	S("let me rephrase"), S("let me parse"), S("let me understand"),
	S("let's understand"), S("understanding the problem"),
	S("problem:"), S("question:"), S("problem statement"),
	S("题目"), S("问题是"), S("已知"), S("题意"),
	/* active computation */
	C("let me compute"), C("let me calculate"), C("let's compute"),
	C("let's calculate"), C("let us compute"), C("let me multiply"),
	C("let me add"), C("let me subtract"), C("let me divide"),
	C("let me simplify"), C("let's simplify"), C("let me expand"),
	C("let's expand"), C("let me solve"), C("let's solve"),
	C("let me substitute"), C("let's substitute"),
	C("let me plug in"), C("let's plug in"), C("let me factor"),
	C("let's factor"), C("let me evaluate"), C("let's evaluate"),
	C("let me work out"), C("let me write out"), C("calculating"),
	C("computing"), C("simplifying"), C("expanding"), C("solving"),
	C("substituting"), C("plugging in"), C("multiplying"),
	C("adding"), C("subtracting"), C("dividing"), C("factoring"),
	C("compute"), C("calculate"), C("simplify"),
	C("计算"), C("化简"), C("代入"), C("展开"), C("求解"),
	/* fact retrieval */
	R("recall"), R("i recall"), R("we recall"), R("recall that"),
	R("remember"), R("i remember"), R("remember that"), R("we know"),
	R("we know that"), R("i know"), R("i know that"), R("it is known"),
	R("it's known"), R("it is well known"), R("by definition"),
	R("the definition"), R("by the definition"), R("the formula"),
	R("there's a formula"), R("there is a formula"), R("a formula"),
	R("the theorem"), R("by the theorem"), R("a theorem"),
	R("the identity"), R("the property"), R("a property"),
	R("a known"), R("it's a known"), R("the fact that"),
	R("in general"), R("the rule"), R("the law of"), R("according to"),
	R("note that"), R("notice that"), R("formula:"), R("definition:"),
	R("theorem:"), R("回忆"), R("我们知道"), R("根据"), R("公式"),
	R("定理"), R("定义"),
	/* plan generation */
	P("let me think"), P("let's think"), P("let me try"), P("let's try"),
	P("let us try"), P("let me start"), P("let's start"),
	P("let me begin"), P("let's begin"), P("let me consider"),
	P("let's consider"), P("let me approach"), P("let me figure"),
	P("let's figure"), P("let me see"), P("let's see"),
	P("let me set up"), P("let's set up"), P("let me denote"),
	P("let's denote"), P("let me define"), P("let's define"),
	P("let me write"), P("let's write"), P("let me break"),
	P("let's break"), P("let me first"), P("let's first"),
	P("let me use"), P("let's use"), P("let me look"), P("let's look"),
	P("let me go"), P("let's go"), P("let me"), P("let's"), P("let us"),
	P("i think i should"), P("i should"), P("i need to"), P("i'll"),
	P("i will"), P("i want to"), P("i can"), P("i could"),
	P("we need to"), P("we should"), P("we can"), P("we'll"),
	P("we will"), P("we want to"), P("my plan"), P("the plan"),
	P("the approach"), P("the strategy"), P("one approach"),
	P("a better approach"), P("the idea"), P("the key"), P("the trick"),
	P("to solve"), P("to find"), P("to compute"), P("to determine"),
	P("to figure out"), P("first,"), P("first"), P("first of all"),
	P("step 1"), P("step one"), P("next,"), P("next"), P("how about"),
	P("what if we"), P("suppose"), P("assume"), P("assuming"),
	P("consider"), P("analyze"), P("analyse"), P("identify"),
	P("draft"), P("formulate"), P("outline"), P("start with"),
	P("starting with"), P("plan:"), P("approach:"), P("strategy:"),
	P("首先"), P("接下来"), P("我们需要"), P("我需要"), P("让我"),
	P("思路"), P("我们可以"), P("假设"), P("考虑"),
	/* result consolidation */
	K("so far"), K("in summary"), K("to summarize"), K("summarizing"),
	K("putting it all together"), K("putting this together"),
	K("putting it together"), K("combining"), K("overall"),
	K("in total"), K("altogether"), K("this gives"), K("that gives"),
	K("this shows"), K("so we have"), K("so we get"), K("so i have"),
	K("so now"), K("we found"), K("we've found"), K("i found"),
	K("i've found"), K("the result is"), K("the total is"),
	K("this confirms"), K("综上"), K("总之"), K("也就是说"), K("这样"),
	{ NULL, 0 }
};

/* Looked for anywhere in a unit, not only at its opening. */
const cot__cue cot__inner_cues[] = {
	{ "i know", COT__CUE_RECALL }, { "i remember", COT__CUE_RECALL },
	{ "i recall", COT__CUE_RECALL }, { "i've heard", COT__CUE_RECALL },
	{ "i have heard", COT__CUE_RECALL },
	{ "i've learned", COT__CUE_RECALL },
	{ "i have learned", COT__CUE_RECALL },
	{ "i learned", COT__CUE_RECALL }, { "i've seen", COT__CUE_RECALL },
	{ "i've read", COT__CUE_RECALL }, { "we know", COT__CUE_RECALL },
	{ "recall that", COT__CUE_RECALL },
	{ "remember that", COT__CUE_RECALL },
	{ "well-known", COT__CUE_RECALL }, { "well known", COT__CUE_RECALL },
	{ "我记得", COT__CUE_RECALL }, { "我知道", COT__CUE_RECALL },
	{ "我们知道", COT__CUE_RECALL },
	{ "for example", COT__CUE_EXAMPLE },
	{ "for instance", COT__CUE_EXAMPLE }, { "e.g.", COT__CUE_EXAMPLE },
	{ "例如", COT__CUE_EXAMPLE }, { "比如", COT__CUE_EXAMPLE },
	{ "\u2714", COT__CUE_AFFIRM }, { "\u2713", COT__CUE_AFFIRM },
	{ "'s right", COT__CUE_AFFIRM }, { "'s correct", COT__CUE_AFFIRM },
	{ "is correct", COT__CUE_AFFIRM }, { "is right", COT__CUE_AFFIRM },
	{ "seems correct", COT__CUE_AFFIRM },
	{ "seems right", COT__CUE_AFFIRM }, { "seems okay", COT__CUE_AFFIRM },
	{ "seems fine", COT__CUE_AFFIRM }, { "looks correct", COT__CUE_AFFIRM },
	{ "looks right", COT__CUE_AFFIRM }, { "looks good", COT__CUE_AFFIRM },
	{ "checks out", COT__CUE_AFFIRM }, { "makes sense", COT__CUE_AFFIRM },
	{ "is consistent", COT__CUE_AFFIRM },
	{ "没错", COT__CUE_AFFIRM }, { "正确", COT__CUE_AFFIRM },
	{ NULL, 0 }
};

/* A statement: a unit no other rule decides that holds one of these
 * words states something (README "Step functions"). */
const cot__cue cot__state_cues[] = {
	{ "is", COT__CUE_STATE }, { "are", COT__CUE_STATE },
	{ "has", COT__CUE_STATE }, { "have", COT__CUE_STATE },
	{ "是", COT__CUE_STATE }, { "有", COT__CUE_STATE },
	{ NULL, 0 }
};
