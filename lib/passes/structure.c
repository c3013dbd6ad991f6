/* structure.c - the structure pass: how a trace is built (units, step
 * lengths, markup, where behaviours first appear). */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "passes/matches.h"

/* The k-th smallest of a[0..n) (k < n); a is reordered. Wirth's
 * selection: the median is needed, not a sorted array. */
static uint32_t kth(uint32_t *a, size_t n, size_t k)
{
	ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

	while (l < m) {
		uint32_t x = a[kk];
		ptrdiff_t i = l, j = m;

		do {
			while (a[i] < x)
				i++;
			while (x < a[j])
				j--;
			if (i <= j) {
				uint32_t y = a[i];

				a[i++] = a[j];
				a[j--] = y;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return a[kk];
}

static int structure_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	cot__steps *st = p->st;
	size_t n = st->para.n;
	const size_t fams[3] = { c->az->fam_backtracking,
				 c->az->fam_verification, c->az->fam_aha };

	for (int k = 0; k < 3; k++) {
		const cot__pstat *s = fams[k] == SIZE_MAX ? NULL :
				      &p->mt->fam[fams[k]];

		st->first_rel[k] = s && s->count ?
			(double)s->first / (double)p->think.bytes : -1;
	}
	if (n == 0)
		return COT_OK;
	{
		uint32_t *w = cot__arena_alloc(c->arena, n * sizeof *w);
		double sum = 0, sq = 0;

		if (!w)
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		memcpy(w, st->para_words, n * sizeof *w);
		st->longest = 0;
		for (size_t i = 0; i < n; i++) {
			sum += w[i];
			if (w[i] > w[st->longest])
				st->longest = i;
		}
		st->words_mean = sum / (double)n;
		st->words_max = w[st->longest];
		for (size_t i = 0; i < n; i++) {
			double d = w[i] - st->words_mean;

			sq += d * d;
		}
		st->words_std = sqrt(sq / (double)n);
		st->words_median = n % 2 ? kth(w, n, n / 2) :
				   (kth(w, n, n / 2 - 1) +
				    (double)kth(w, n, n / 2)) / 2;
	}
	return COT_OK;
}

enum { S_PARAS, S_SENTS, S_THOUGHTS, S_SWITCHES, S_SWITCH_1K,
       S_SWITCH_1K_TOKENS, S_MEAN,
       S_MEDIAN, S_MAX, S_STD, S_LONG_INDEX, S_LONG_START, S_LONG_END,
       S_LONG_WORDS, S_CODE, S_LISTS, S_ITEMS, S_DISPLAY, S_INLINE,
       S_INLINE_CODE, S_FIRST_BACK, S_FIRST_VERIFY, S_FIRST_AHA };

static void get(const cot__profile *p, const cot__field *f, cot_value *v)
{
	const cot__steps *st = p->st;
	size_t np = st->para.n, nt = st->thought.n;
	size_t sw = nt ? nt - 1 : 0;

	v->type = COT_TYPE_NULL;
	switch (f->arg) {
	case S_PARAS: cot__set_int(v, (int64_t)np); return;
	case S_SENTS: cot__set_int(v, (int64_t)st->sent.n); return;
	case S_THOUGHTS: cot__set_int(v, (int64_t)nt); return;
	case S_SWITCHES: cot__set_int(v, (int64_t)sw); return;
	case S_SWITCH_1K:
		if (p->think.words)
			cot__set_real(v, sw * 1000.0 /
					 (double)p->think.words);
		return;
	case S_SWITCH_1K_TOKENS:
		if (p->has_tokens && p->think_tokens)
			cot__set_real(v, sw * 1000.0 /
					 (double)p->think_tokens);
		return;
	case S_CODE: cot__set_int(v, st->mk.code_blocks); return;
	case S_LISTS: cot__set_int(v, st->mk.lists); return;
	case S_ITEMS: cot__set_int(v, st->mk.list_items); return;
	case S_DISPLAY: cot__set_int(v, st->mk.display_math); return;
	case S_INLINE: cot__set_int(v, st->mk.inline_math); return;
	case S_INLINE_CODE: cot__set_int(v, st->mk.inline_code); return;
	case S_FIRST_BACK:
	case S_FIRST_VERIFY:
	case S_FIRST_AHA:
		if (st->first_rel[f->arg - S_FIRST_BACK] >= 0)
			cot__set_real(v, st->first_rel[f->arg - S_FIRST_BACK]);
		return;
	}
	if (np == 0)
		return;		/* the rest describe paragraphs */
	switch (f->arg) {
	case S_MEAN: cot__set_real(v, st->words_mean); return;
	case S_MEDIAN: cot__set_real(v, st->words_median); return;
	case S_MAX: cot__set_int(v, st->words_max); return;
	case S_STD: cot__set_real(v, st->words_std); return;
	case S_LONG_INDEX: cot__set_int(v, (int64_t)st->longest); return;
	case S_LONG_START:
		cot__set_int(v, (int64_t)st->para.v[st->longest].off);
		return;
	case S_LONG_END:
		cot__set_int(v, (int64_t)(st->para.v[st->longest].off +
					  st->para.v[st->longest].len));
		return;
	case S_LONG_WORDS: cot__set_int(v, st->words_max); return;
	}
}

#define FIRST_DOC(fam) \
	"where the first match of the " fam " family starts, as a fraction " \
	"of think.bytes (families." fam ".first_rel); null when none or " \
	"when no family has that name"

static const cot__field structure_fields[] = {
	COT__ROW("structure.paragraphs", INT, "paragraphs", get, S_PARAS,
	    "paragraphs of the reasoning (the same as steps)"),
	COT__ROW("structure.sentences", INT, "sentences", get, S_SENTS,
	    "sentences of the reasoning by the sentence rule (README "
	    "\"Segmentation\": cut after . ? ! and White_Space, not in math, "
	    "code, abbreviations or enumerations; short pieces merged)"),
	COT__ROW("structure.thoughts", INT, "thoughts", get, S_THOUGHTS,
	    "thoughts: runs of paragraphs, a new one at every paragraph after "
	    "the first that opens with a switch marker (the switch family's "
	    "phrases); 0 when there are no paragraphs"),
	COT__ROW("structure.thought_switches", INT, "switches",
	    get, S_SWITCHES,
	    "thoughts - 1 (0 when none): paragraphs that open a new thought"),
	COT__ROW("structure." "switches_per_1k_words", REAL, "per 1k words",
	    get, S_SWITCH_1K,
	    "thought_switches * 1000 / think.words, the underthinking "
	    "measure of Wang et al. 2025 counted in words; null when the "
	    "reasoning has no words"),
	COT__ROW_TOKENS("structure." "switches_per_1k_tokens", REAL,
	    "per 1k tokens", get, S_SWITCH_1K_TOKENS,
	    "thought_switches * 1000 / think.tokens, as Wang et al. 2025 "
	    "count it; null without a tokenizer or when the reasoning has "
	    "no tokens"),
	COT__ROW("structure.step_words.mean", REAL, "words", get, S_MEAN,
	    "mean words per paragraph; null when there are no paragraphs"),
	COT__ROW("structure.step_words.median", REAL, "words", get, S_MEDIAN,
	    "median words per paragraph (the mean of the two middle ones "
	    "for an even count); null when there are no paragraphs"),
	COT__ROW("structure.step_words.max", INT, "words", get, S_MAX,
	    "words of the longest paragraph; null when none"),
	COT__ROW("structure.step_words.std", REAL, "words", get, S_STD,
	    "population standard deviation of the words per paragraph; "
	    "null when there are no paragraphs"),
	COT__ROW("structure.longest_paragraph.index", INT, "",
	    get, S_LONG_INDEX,
	    "index (from 0) of the paragraph with the most words, the first "
	    "of them on a tie; null when none"),
	COT__ROW("structure.longest_paragraph.start", INT, "bytes",
	    get, S_LONG_START,
	    "byte offset in the reasoning where that paragraph starts"),
	COT__ROW("structure.longest_paragraph.end", INT, "bytes",
	    get, S_LONG_END,
	    "byte offset in the reasoning where that paragraph ends "
	    "(exclusive)"),
	COT__ROW("structure.longest_paragraph.words", INT, "words",
	    get, S_LONG_WORDS,
	    "words of that paragraph"),
	COT__ROW("structure.code_blocks", INT, "blocks", get, S_CODE,
	    "fenced code blocks: lines opening with at least three ` or ~ "
	    "(after White_Space), each block closed by a line of as many of "
	    "the same or by the end"),
	COT__ROW("structure.lists", INT, "lists", get, S_LISTS,
	    "lists: runs of list items with only blank or indented lines "
	    "between items"),
	COT__ROW("structure.list_items", INT, "items", get, S_ITEMS,
	    "list items: lines outside code blocks opening with - * + or "
	    "U+2022, or 1-3 digits and . or ), then White_Space"),
	COT__ROW("structure.display_math", INT, "regions", get, S_DISPLAY,
	    "display math regions $$...$$ and \\[...\\] closed within their "
	    "paragraph, outside code"),
	COT__ROW("structure.inline_math", INT, "regions", get, S_INLINE,
	    "inline math regions \\(...\\) and $...$ (opening $ before a "
	    "non-space, closing $ after a non-space and not before a digit) "
	    "closed within their paragraph, outside code"),
	COT__ROW("structure.inline_code", INT, "spans", get, S_INLINE_CODE,
	    "inline code spans `...` (a run of backticks closed by a run "
	    "of the same length) within a paragraph"),
	COT__ROW("structure.first_backtracking_rel", REAL, "fraction",
	    get, S_FIRST_BACK,
	    FIRST_DOC("backtracking")),
	COT__ROW("structure.first_verification_rel", REAL, "fraction",
	    get, S_FIRST_VERIFY,
	    FIRST_DOC("verification")),
	COT__ROW("structure.first_aha_rel", REAL, "fraction", get, S_FIRST_AHA,
	    FIRST_DOC("aha")),
	COT__FIELDS_END
};

const cot__pass cot__structure_pass = {
	.name = "structure",
	.reads = COT__PROD_COUNTS | COT__PROD_STEPS | COT__PROD_MATCHES,
	.run = structure_run,
	.fields = structure_fields,
};
