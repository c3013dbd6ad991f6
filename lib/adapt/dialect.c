/* dialect.c - the tag dialects (README "Tags in text") and the split of a text by them. */
#include <string.h>

#include "adapt/dialect.h"

/* U+25C1 and U+25B7, Kimi's triangles, spelled as bytes so the source
 * stays ASCII. */
#define TRI_L "\xe2\x97\x81"
#define TRI_R "\xe2\x96\xb7"

/* Table order is detection order: when a text holds markers of
 * several dialects, the row nearest the top wins, wherever its marker
 * stands in the text. Every marker starts with '<', '[' or 0xE2 (the
 * lead byte of U+25C1): detect() looks only at those bytes, and
 * test_dialect checks that a new row keeps to them. */
const cot__dialect cot__dialects[] = {
	{ "think", "<think>", "</think>", "<answer>", "</answer>",
	  true, false },
	{ "thought", "<|begin_of_thought|>", "<|end_of_thought|>",
	  "<|begin_of_solution|>", "<|end_of_solution|>", false, false },
	{ "im_think", "<|im_start|>think", "<|im_start|>answer", NULL, NULL,
	  false, false },
	{ "mistral", "[THINK]", "[/THINK]", NULL, NULL, false, false },
	{ "kimi", TRI_L "think" TRI_R, TRI_L "/think" TRI_R, NULL, NULL,
	  false, false },
	{ "seed", "<seed:think>", "</seed:think>", NULL, NULL, false, false },
	/* <|end|> also ends user and system turns of the harmony template,
	 * so only the analysis channel header proves the dialect. */
	{ "harmony", "<|channel|>analysis<|message|>", "<|end|>",
	  "<|channel|>final<|message|>", "<|return|>", false, true },
};
const size_t cot__ndialects = sizeof cot__dialects / sizeof *cot__dialects;

#define NPOS ((size_t)-1)

/* strlen(m) when p[0..n) starts with m, else 0. Markers are short and
 * nearly every candidate fails on its first or second byte, so this
 * beats memcmp with a strlen in front of it. */
static size_t match(const char *p, size_t n, const char *m)
{
	size_t i;

	for (i = 0; m[i]; i++)
		if (i == n || p[i] != m[i])
			return 0;
	return i;
}

static bool attr_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Length of d's open marker at p[0..n), 0 if there is none.
 * With open_has_attrs, "<think>" may also be "<think" + white space +
 * attributes + ">" (Inspect AI's <think signature="..."> form), while
 * "<thinking>" is another word. The attributes may not hold '<': a
 * stray "<think about" in prose then fails at the next tag instead of
 * swallowing text up to some distant '>', and a failed scan never runs
 * past the next candidate, which keeps the whole split linear. */
static size_t open_at(const cot__dialect *d, const char *p, size_t n)
{
	size_t k, i;

	if (!d->open_has_attrs)
		return match(p, n, d->open);
	if (n == 0 || p[0] != d->open[0])
		return 0;
	k = strlen(d->open) - 1;	/* the marker without its '>' */
	if (n <= k || memcmp(p, d->open, k) != 0)
		return 0;
	if (p[k] == '>')
		return k + 1;
	if (!attr_space(p[k]))
		return 0;
	for (i = k + 1; i < n; i++) {
		if (p[i] == '>')
			return i + 1;
		if (p[i] == '<')
			return 0;
	}
	return 0;
}

static size_t find(const char *t, size_t from, size_t to, const char *m)
{
	return cot__find(t, from, to, m, strlen(m));
}

/* The first open marker of d in t[from..to); its length in *olen. */
static size_t find_open(const cot__dialect *d, const char *t, size_t from,
			size_t to, size_t *olen)
{
	size_t k, at;

	if (!d->open_has_attrs) {
		*olen = strlen(d->open);
		return find(t, from, to, d->open);
	}
	/* Search for the marker without its '>' ("<think"), then check. */
	k = strlen(d->open) - 1;
	while ((at = cot__find(t, from, to, d->open, k)) != NPOS) {
		*olen = open_at(d, t + at, to - at);
		if (*olen)
			return at;
		from = at + 1;
	}
	return NPOS;
}

/* Open markers of d in t[from..to), counted without overlap. */
static uint32_t count_opens(const cot__dialect *d, const char *t,
			    size_t from, size_t to)
{
	uint32_t n = 0;
	size_t at, olen;

	while ((at = find_open(d, t, from, to, &olen)) != NPOS) {
		if (n < UINT32_MAX)
			n++;
		from = at + olen;
	}
	return n;
}

/* Whether a marker of a row above 'below' starts with byte c. */
static bool lead_used(unsigned char c, int below)
{
	int d;

	for (d = 0; d < below; d++) {
		const cot__dialect *dd = &cot__dialects[d];

		if ((unsigned char)dd->open[0] == c ||
		    (!dd->detect_by_open_only &&
		     (unsigned char)dd->close[0] == c))
			return true;
	}
	return false;
}

/* The dialect of text: the first row with a marker anywhere in it, or
 * -1. *first is where that row's first marker starts, *first_is_close
 * says which marker it is.
 *
 * One pass: the three candidate bytes are each found with memchr and
 * the pass walks their occurrences in text order, so untagged prose
 * costs about three memchr runs. A row that has been seen rules out
 * every row below it: those are no longer checked, and once row 0 has
 * been seen nothing can beat it, so the pass stops. Otherwise it must
 * reach the end, since a later marker of a higher row would still win
 * ("[THINK] ... </think>" is a think text). */
static int detect(const char *t, size_t len, size_t *first,
		  bool *first_is_close)
{
	static const unsigned char lead[3] = { '<', '[', 0xe2 };
	size_t next[3];
	int best = (int)cot__ndialects;
	int k;

	for (k = 0; k < 3; k++) {
		const char *p = memchr(t, lead[k], len);

		next[k] = p ? (size_t)(p - t) : len;
	}
	for (;;) {
		size_t i = next[0];
		int which = 0, d;
		char c1;

		for (k = 1; k < 3; k++) {
			if (next[k] < i) {
				i = next[k];
				which = k;
			}
		}
		if (i >= len)
			break;
		/* Markers are at least two bytes long: comparing those two
		 * inline rejects nearly every candidate (an em dash, a "<b>")
		 * without a call. */
		c1 = i + 1 < len ? t[i + 1] : '\0';
		for (d = 0; d < best; d++) {
			const cot__dialect *dd = &cot__dialects[d];

			if (dd->open[1] == c1 && dd->open[0] == t[i] &&
			    open_at(dd, t + i, len - i)) {
				*first_is_close = false;
				break;
			}
			if (dd->close[1] == c1 && dd->close[0] == t[i] &&
			    !dd->detect_by_open_only &&
			    match(t + i, len - i, dd->close)) {
				*first_is_close = true;
				break;
			}
		}
		{
			const char *p = memchr(t + i + 1, lead[which],
					       len - i - 1);

			next[which] = p ? (size_t)(p - t) : len;
		}
		if (d < best) {
			best = d;
			*first = i;
			if (best == 0)
				break;
			/* Stop looking for lead bytes of lower rows only. */
			for (k = 0; k < 3; k++)
				if (!lead_used(lead[k], best))
					next[k] = len;
		}
	}
	return best < (int)cot__ndialects ? best : -1;
}

void cot__dialect_split(const char *text, size_t len, cot__split *out)
{
	const cot__dialect *d;
	size_t first = 0, olen, clen, reason_end, after, at;
	bool first_is_close = false;
	int di;

	memset(out, 0, sizeof *out);
	di = detect(text, len, &first, &first_is_close);
	out->dialect = di;
	if (di < 0)
		return;
	d = &cot__dialects[di];
	out->tagged = true;
	out->think_blocks = 1;
	clen = strlen(d->close);

	if (first_is_close) {
		/* Prefilled: the chat template held the open marker. */
		out->prefilled = true;
		out->closed = true;
		out->reasoning.len = first;
		after = first + clen;
	} else {
		/* A dialect found by its open marker only has no prefilled
		 * form: a close marker before the open one ends some earlier
		 * turn of the logged template and belongs to the preamble. */
		olen = open_at(d, text + first, len - first);
		out->preamble.len = first;
		out->reasoning.off = first + olen;
		reason_end = find(text, out->reasoning.off, len, d->close);
		if (reason_end == NPOS) {
			out->reasoning.len = len - out->reasoning.off;
			out->answer.off = len;
			return;
		}
		out->closed = true;
		out->reasoning.len = reason_end - out->reasoning.off;
		after = reason_end + clen;
	}

	out->think_blocks += count_opens(d, text, after, len);
	out->answer.off = after;
	out->answer.len = len - after;
	if (!d->answer_open)
		return;
	at = find(text, after, len, d->answer_open);
	if (at == NPOS)
		return;
	out->answer_tagged = true;
	out->answer.off = at + strlen(d->answer_open);
	at = find(text, out->answer.off, len, d->answer_close);
	out->answer.len = (at == NPOS ? len : at) - out->answer.off;
}
