/* format.c - open-r1's and TRL's format rewards over the raw text. */
#include <string.h>

#include "passes/health.h"
#include "passes/pass.h"

/* The rewards are regular expressions in Python; each is decided here by
 * a few literal searches that give the same verdict on every text. They
 * read bytes: the patterns are ASCII, and a UTF-8 continuation byte
 * never equals an ASCII one, so byte positions and Python's code point
 * positions agree on where a literal occurs. */

#define NPOS ((size_t)-1)

/* The first occurrence of pat[0..pn) in t[from..n), NPOS if none. Every
 * pattern here holds a '<', rarer in prose than its other bytes, so the
 * search runs memchr on that byte. */
static size_t find(const char *t, size_t from, size_t n, const char *pat,
		   size_t pn)
{
	size_t lt = (size_t)((const char *)memchr(pat, '<', pn) - pat);
	size_t at = from + lt;

	while (at < n && n - (at - lt) >= pn) {
		const char *p = memchr(t + at, '<', n - at);

		if (!p)
			break;
		at = (size_t)(p - t);
		if (at - lt + pn > n)
			break;
		if (memcmp(t + at - lt, pat, pn) == 0)
			return at - lt;
		at++;
	}
	return NPOS;
}

#define LIT(s) s, sizeof s - 1

/* Python's str.count: occurrences that do not overlap, left to right. */
static size_t count(const char *t, size_t n, const char *pat, size_t pn)
{
	size_t k = 0, at = 0;

	while ((at = find(t, at, n, pat, pn)) != NPOS) {
		k++;
		at += pn;
	}
	return k;
}

/* open-r1 format_reward: re.match(r"^<think>\n.*?\n</think>\n<answer>\n
 * .*?\n</answer>$", t, re.DOTALL | re.MULTILINE). The text must open
 * with "<think>\n"; the lazy gaps can take any bytes, so a match exists
 * iff "\n</think>\n<answer>\n" occurs at 8 or later and, after it, some
 * "\n</answer>" is followed by the end or by '\n' (MULTILINE '$' also
 * matches before every newline: trailing text passes, open-r1 #359).
 * The earliest "\n</think>..." leaves the most room for the rest, so it
 * is the only one to try. */
double cot__r1_format(const char *t, size_t n)
{
	size_t a, b, from;

	if (n < 8 || memcmp(t, "<think>\n", 8) != 0)
		return 0;
	a = find(t, 8, n, LIT("\n</think>\n<answer>\n"));
	if (a == NPOS)
		return 0;
	for (from = a + 19;
	     (b = find(t, from, n, LIT("\n</answer>"))) != NPOS;
	     from = b + 1)
		if (b + 10 == n || t[b + 10] == '\n')
			return 1;
	return 0;
}

/* open-r1 tag_count_reward: 0.25 for each of "<think>\n", "\n</think>\n",
 * "\n<answer>\n", "\n</answer>" that str.count finds exactly once. */
double cot__tag_count(const char *t, size_t n)
{
	return 0.25 * ((count(t, n, LIT("<think>\n")) == 1) +
		       (count(t, n, LIT("\n</think>\n")) == 1) +
		       (count(t, n, LIT("\n<answer>\n")) == 1) +
		       (count(t, n, LIT("\n</answer>")) == 1));
}

/* TRL think_format_reward: re.match(r"^<think>(?!.*<think>)(.*?)</think>
 * .*$", t, re.DOTALL | re.MULTILINE): the text opens with "<think>", no
 * other "<think>" follows, and a "</think>" does (".*$" always matches
 * the rest). */
double cot__think_format(const char *t, size_t n)
{
	if (n < 7 || memcmp(t, "<think>", 7) != 0)
		return 0;
	return find(t, 7, n, LIT("<think>")) == NPOS &&
	       find(t, 7, n, LIT("</think>")) != NPOS;
}

/* The same for a text whose "<think>" the chat template prefilled: TRL's
 * reward of "<think>" + t, as the fix proposed for trl #6966 scores it. */
static double think_prefilled(const char *t, size_t n)
{
	return find(t, 0, n, LIT("<think>")) == NPOS &&
	       find(t, 0, n, LIT("</think>")) != NPOS;
}

double cot_format_reward(const char *text, size_t len)
{
	return cot__r1_format(text, len);
}

double cot_tag_count_reward(const char *text, size_t len)
{
	return cot__tag_count(text, len);
}

double cot_think_format_reward(const char *text, size_t len)
{
	return cot__think_format(text, len);
}

enum { F_R1, F_TAGS, F_THINK, F_PREFILLED };

static int format_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const char *t = p->tr->full.p;
	size_t n = p->tr->full.n;

	(void)c;
	(void)err;
	if (!t) {
		memset(p->fmt, -1, sizeof p->fmt);
		return COT_OK;
	}
	/* kept in quarters: every value is one */
	p->fmt[F_R1] = (int8_t)(4 * cot__r1_format(t, n));
	p->fmt[F_TAGS] = (int8_t)(4 * cot__tag_count(t, n));
	p->fmt[F_THINK] = (int8_t)(4 * cot__think_format(t, n));
	p->fmt[F_PREFILLED] = n >= 7 && memcmp(t, "<think>", 7) == 0 ? -1 :
			      (int8_t)(4 * think_prefilled(t, n));
	return COT_OK;
}

static void get_fmt(const cot__profile *p, const cot__field *f,
		    cot_value *v)
{
	int q = p->fmt[f->arg];

	if (q < 0)
		v->type = COT_TYPE_NULL;
	else
		cot__set_real(v, q / 4.0);
}

static const cot__field format_fields[] = {
	COT__ROW("reward.format", REAL, "", get_fmt, F_R1,
	    "open-r1 format_reward of the raw text: 1 when re.match("
	    "r\"^<think>\\n.*?\\n</think>\\n<answer>\\n.*?\\n</answer>$\", "
	    "DOTALL|MULTILINE) matches, else 0; null for structured "
	    "reasoning"),
	COT__ROW("reward.tag_count", REAL, "", get_fmt, F_TAGS,
	    "open-r1 tag_count_reward of the raw text: 0.25 for each of "
	    "\"<think>\\n\", \"\\n</think>\\n\", \"\\n<answer>\\n\", "
	    "\"\\n</answer>\" that occurs exactly once (str.count); null "
	    "for structured reasoning"),
	COT__ROW("reward.think_format", REAL, "", get_fmt, F_THINK,
	    "TRL think_format_reward of the raw text: 1 when re.match("
	    "r\"^<think>(?!.*<think>)(.*?)</think>.*$\", DOTALL|MULTILINE) "
	    "matches (one think block, opened at byte 0), else 0; null for "
	    "structured reasoning"),
	COT__ROW("reward.think_format_prefilled", REAL, "",
	    get_fmt, F_PREFILLED,
	    "TRL think_format_reward of \"<think>\" + the raw text (the chat "
	    "template prefilled <think>): 1 when the text has no <think> "
	    "and has a </think>, else 0; null when the text starts with "
	    "<think> (reward.think_format applies) or for structured "
	    "reasoning"),
	COT__FIELDS_END
};

const cot__pass cot__format_pass = {
	.name = "format",
	.run = format_run,
	.fields = format_fields,
};
