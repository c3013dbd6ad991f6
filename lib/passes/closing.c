/* closing.c - an answer stated by how a text ends, without a box or an
 * anchor. */
#include <string.h>

#include "passes/answer.h"

/* Some models state their final answer in prose or as the last line of
 * math ("so m + n = 194.", "\[ ... = 3\sqrt{13} \]"). These rules come
 * after the explicit ones (README "Final answer", rules 7 and 8): they
 * are tried only when no box, tag or anchor was found in the answer or
 * the reasoning, on the answer text first. Both need the text to end as
 * a finished text does, so that a trace cut off in its reasoning states
 * nothing by them. */

static bool ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Is c one of the bytes of set (never NUL)? */
static bool in(char c, const char *set)
{
	return c && strchr(set, c);
}

/* The last occurrence of m[0..ml) in t[from..to), SIZE_MAX if none. */
static size_t rfind(const char *t, size_t from, size_t to, const char *m,
		    size_t ml)
{
	for (size_t i = to; i >= from + ml; i--)
		if (memcmp(t + i - ml, m, ml) == 0)
			return i - ml;
	return SIZE_MAX;
}

/* [x, e) without white space, '*' and ',' ';' '.' at its ends. */
static void trim(const char *t, size_t *x, size_t *e)
{
	while (*x < *e && (ws(t[*x]) || t[*x] == '*'))
		(*x)++;
	while (*e > *x && (ws(t[*e - 1]) || in(t[*e - 1], "*,;.")))
		(*e)--;
}

static bool found(cot__stmt *out, int rule, size_t at, size_t x, size_t e,
		  size_t end)
{
	memset(out, 0, sizeof *out);
	out->rule = (uint8_t)rule;
	out->at = at;
	out->off = x;
	out->len = e - x;
	out->end = end;
	return e > x;
}

/* last_display: the text ends with display math (\[...\] or $$...$$,
 * then at most a full stop); the answer is what stands after its last
 * '=' outside braces and parentheses, or all of it when it has none. */
static bool last_display(const char *t, size_t n, cot__stmt *out)
{
	size_t e = n, open, close, x, eq = SIZE_MAX, depth = 0;

	while (e && ws(t[e - 1]))
		e--;
	if (e && t[e - 1] == '.')
		e--;
	while (e && ws(t[e - 1]))
		e--;
	if (e < 4)
		return false;
	close = e - 2;
	if (t[close] == '\\' && t[close + 1] == ']')
		open = rfind(t, 0, close, "\\[", 2);
	else if (t[close] == '$' && t[close + 1] == '$')
		open = rfind(t, 0, close, "$$", 2);
	else
		return false;
	if (open == SIZE_MAX)
		return false;
	for (size_t i = open + 2; i < close; i++) {
		char c = t[i];

		if (c == '\\' && i + 1 < close && t[i + 1] != '{' &&
		    t[i + 1] != '}') {
			i++;	/* an escape other than \{ \} */
			continue;
		}
		if (in(c, "{("))	/* groups and sets: f(x), \{x = 1\} */
			depth++;
		else if (in(c, "})") && depth)
			depth--;
		else if (c == '=' && depth == 0)
			eq = i;
	}
	x = eq == SIZE_MAX ? open + 2 : eq + 1;
	e = close;
	trim(t, &x, &e);
	return found(out, COT__RULE_LAST_DISPLAY, open, x, e, close + 2);
}

/* The start of the paragraph that ends at e: after the last blank line
 * (two line feeds with only spaces, tabs or CR between) before e. */
static size_t para_start(const char *t, size_t e)
{
	size_t i = e;

	while (i > 0) {
		size_t k;

		i--;
		if (t[i] != '\n')
			continue;
		k = i;
		while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t' ||
				 t[k - 1] == '\r'))
			k--;
		if (k > 0 && t[k - 1] == '\n')
			return i + 1;
	}
	return 0;
}

static bool has_digit(const char *t, size_t x, size_t e)
{
	for (size_t i = x; i < e; i++)
		if (t[i] >= '0' && t[i] <= '9')
			return true;
	return false;
}

/* Words after which a sentence states a value. */
static const char *const copulas[] = { " is ", " equals ", " was ", NULL };

/* Words (runs of bytes that are not white space) in t[x..e). */
static size_t words(const char *t, size_t x, size_t e)
{
	size_t n = 0;

	for (size_t i = x; i < e; i++)
		n += !ws(t[i]) && (i == x || ws(t[i - 1]));
	return n;
}

/* last_statement: the text ends with a full stop or '!'; its last
 * paragraph that holds a digit (the last, or the one before a closing
 * remark without digits, "I think that's the answer.") ends so too, and
 * the last '=' or copula (is, equals, was) of its last sentence is
 * followed by X, a number, math or a one-letter name, and then at most
 * one word (a unit) before the sentence ends: X. */
static bool last_statement(const char *t, size_t n, cot__stmt *out)
{
	size_t e = n, p, s, i, x = SIZE_MAX, end;

	while (e && (ws(t[e - 1]) || t[e - 1] == '*'))
		e--;
	if (!e || (t[e - 1] != '.' && t[e - 1] != '!'))
		return false;
	p = para_start(t, e);
	if (!has_digit(t, p, e)) {
		for (e = p; e && ws(t[e - 1]); e--)
			;
		p = para_start(t, e);
		if (!has_digit(t, p, e))
			return false;
	}
	if (!e || (t[e - 1] != '.' && t[e - 1] != '!'))
		return false;
	e--;	/* the sentence's end */
	for (s = e; s > p; s--)
		if (in(t[s - 1], ".!?") && s < e && ws(t[s]))
			break;
	for (i = e; i > s && x == SIZE_MAX; i--) {	/* the last one */
		if (t[i - 1] == '=' && (i < 2 || !in(t[i - 2], "<>!=")))
			x = i;
		for (const char *const *c = copulas; *c && x == SIZE_MAX; c++)
			if (i - 1 + strlen(*c) <= e &&
			    memcmp(t + i - 1, *c, strlen(*c)) == 0)
				x = i - 1 + strlen(*c);
	}
	if (x == SIZE_MAX)
		return false;
	while (x < e && (ws(t[x]) || t[x] == '*'))
		x++;
	if (x >= e || !cot__answer_like(t + x, e - x))
		return false;
	end = cot__answer_prose_end(t, x, e);
	if (words(t, end, e) > 1)
		return false;
	trim(t, &x, &end);
	return end > x &&
	       found(out, COT__RULE_LAST_STATEMENT, s, x, end, e + 1);
}

bool cot__answer_closing(const char *t, size_t n, cot__stmt *out)
{
	return last_display(t, n, out) || last_statement(t, n, out);
}
