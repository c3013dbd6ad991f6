/* page.c - the report as one HTML page: overview, distributions,
 * behaviour, correctness against length, health, and the traces. */
#include <math.h>
#include <stdlib.h>

#include "report/report.h"

/* What every section reads: the groups in their fixed order (the total
 * alone when there are none), each with its name. */
typedef struct page {
	cot_report *r;
	cot_summary *s;
	sb *b;
	group **g;
	size_t ng;
	series *sr;		/* [ng], names set, y set per chart */
	double *y;		/* [ng * stride] */
	size_t maxpoints;	/* room in y per group */
	size_t stride;		/* points of the chart being made */
} page;

static const fdef *field(const cot_summary *s, const char *name)
{
	for (size_t i = 0; i < s->nf; i++)
		if (!strcmp(s->f[i].name, name))
			return &s->f[i];
	return NULL;
}

/* Room for npoints values per group; false when out of memory. */
static bool points(page *p, size_t npoints)
{
	if (npoints > p->maxpoints) {
		double *y = cot__realloc(p->y, p->ng * npoints * sizeof *y);

		if (!y) {
			p->b->failed = true;
			return false;
		}
		p->y = y;
		p->maxpoints = npoints;
	}
	p->stride = npoints;
	for (size_t k = 0; k < p->ng; k++) {
		p->sr[k].y = p->y + k * npoints;
		for (size_t j = 0; j < npoints; j++)
			p->y[k * npoints + j] = NAN;
	}
	return true;
}

static double rate(const group *g, const fdef *f)
{
	const boolacc *a;

	if (!f || f->type != COT_TYPE_BOOL)
		return NAN;
	a = &g->bl[f->slot];
	return a->t + a->f ? (double)a->t / (double)(a->t + a->f) : NAN;
}

static double mean(const group *g, const fdef *f)
{
	nstat st;

	if (!f || !cot__numeric(f->type))
		return NAN;
	cot__num_stats(f, g, &st);
	return st.mean;
}

static void td_num(sb *b, double x)
{
	sb_puts(b, "<td>");
	cot__html_num(b, x);
	sb_puts(b, "</td>");
}

static void td_pct(sb *b, double x)
{
	sb_puts(b, "<td>");
	cot__html_pct(b, x);
	sb_puts(b, "</td>");
}

static void th_group(sb *b, const page *p, size_t k)
{
	sb_puts(b, "<th scope=\"row\">");
	cot__html_cstr(b, p->sr[k].name);
	sb_puts(b, "</th>");
}

static void section_open(sb *b, const char *id, const char *title,
			 const char *intro)
{
	sb_printf(b, "<section id=\"%s\" aria-labelledby=\"%s-h\"><h2 "
		  "id=\"%s-h\">%s</h2>", id, id, id, title);
	if (intro)
		sb_printf(b, "<p class=\"intro\">%s</p>", intro);
}

/* ---- overview ------------------------------------------------------ */

static void share_chart(page *p, const char *id, const char *name,
			const char *title)
{
	const fdef *f = field(p->s, name);
	const stracc *t;
	strval *v;
	const char **ticks;

	if (!f || f->type != COT_TYPE_STRING)
		return;
	t = &p->s->total.str[f->slot];
	if (t->n == 0)
		return;
	if (t->over) {
		sb_printf(p->b, "<p>%s: more than %d values, not drawn.</p>",
			  name, COT_SUMMARY_MAX_VALUES);
		return;
	}
	v = cot__sorted_values(t);
	ticks = cot__calloc(t->nv ? t->nv : 1, sizeof *ticks);
	if (!v || !ticks || !points(p, t->nv)) {
		p->b->failed = true;
		cot__free(v);
		cot__free(ticks);
		return;
	}
	for (size_t j = 0; j < t->nv; j++)
		ticks[j] = v[j].s;
	for (size_t k = 0; k < p->ng; k++) {
		const stracc *a = &p->g[k]->str[f->slot];

		for (size_t j = 0; j < t->nv; j++) {
			p->y[k * p->stride + j] = 0;
			for (size_t m = 0; m < a->nv; m++)
				if (a->v[m].len == v[j].len &&
				    !memcmp(a->v[m].s, v[j].s, v[j].len))
					p->y[k * p->stride + j] = a->n ?
						(double)a->v[m].c /
						(double)a->n : NAN;
		}
	}
	{
		chart c = { id, title, "share of traces with a value", "",
			    ticks, t->nv, p->sr, p->ng, 1, true };

		cot__chart_stack(p->b, &c);
	}
	cot__free(v);
	cot__free(ticks);
}

static void overview(page *p)
{
	sb *b = p->b;
	const fdef *words = field(p->s, "think.words");
	const fdef *correct = field(p->s, "correct");

	section_open(b, "overview", "Overview", NULL);
	sb_puts(b, "<table class=\"num\"><thead><tr><th scope=\"col\">group"
		"</th><th scope=\"col\">records</th><th scope=\"col\">traces"
		"</th><th scope=\"col\">no trace</th><th scope=\"col\">tool "
		"calls only</th><th scope=\"col\">malformed</th><th "
		"scope=\"col\">think.words p50</th><th scope=\"col\">correct"
		"</th></tr></thead><tbody>");
	for (size_t k = 0; k <= p->ng; k++) {
		const group *g = k < p->ng ? p->g[k] : &p->s->total;
		nstat st = { 0 };

		if (k == p->ng && p->g[0] == &p->s->total)
			break;
		sb_puts(b, "<tr>");
		if (k < p->ng)
			th_group(b, p, k);
		else
			sb_puts(b, "<th scope=\"row\">all</th>");
		td_num(b, (double)g->records);
		td_num(b, (double)g->traces);
		td_num(b, (double)g->no_trace);
		td_num(b, (double)g->tool_only);
		td_num(b, (double)g->malformed);
		st.p50 = NAN;
		if (words)
			cot__num_stats(words, g, &st);
		td_num(b, st.p50);
		td_pct(b, rate(g, correct));
		sb_puts(b, "</tr>");
	}
	sb_puts(b, "</tbody></table>");
	if (p->s->total.by_errors)
		sb_printf(b, "<p>%llu traces (or records without one) had no "
			  "group: their --by key failed.</p>",
			  (unsigned long long)p->s->total.by_errors);
	share_chart(p, "status", "status", "Completion status");
	share_chart(p, "finish", "finish", "Finish reason (normalised)");
	share_chart(p, "format", "format", "Record format");
	sb_puts(b, "</section>");
}

/* ---- length histograms from the summary's sketches ----------------- */

/* Bins of a count: 0; [1, 2); then half octaves [2^e, 1.5 2^e) and
 * [1.5 2^e, 2^(e+1)) from 2 on. The sketch's buckets split each octave
 * in 64 (sketch.h), so every bucket falls in one bin: exact. */
enum { LOG_BINS = 2 + 2 * 40 };

static size_t log_bin(double lo)
{
	int e;
	double m;

	if (lo < 1)
		return 0;
	if (lo < 2)
		return 1;
	m = frexp(lo, &e);	/* lo = m 2^e, 2^(e-1) <= lo */
	return 2 + 2 * (size_t)(e - 2) + (m >= 0.75);
}

typedef struct hist_ctx {
	double *y;
	size_t *top;
} hist_ctx;

static void hist_bucket(double lo, double hi, double rep, uint64_t count,
			void *ctx)
{
	hist_ctx *h = ctx;
	size_t k = log_bin(lo);

	(void)hi;
	(void)rep;
	if (k >= LOG_BINS)
		k = LOG_BINS - 1;
	h->y[k] += (double)count;
	if (k + 1 > *h->top)
		*h->top = k + 1;
}

static void log_hist(page *p, const char *name, const char *title,
		     const char *unit)
{
	const fdef *f = field(p->s, name);
	char labels[LOG_BINS][64];
	const char *ticks[LOG_BINS];
	size_t top = 0;
	char id[64], xl[96];

	if (!f || !cot__numeric(f->type) || p->s->total.num[f->slot].n == 0)
		return;
	if (!points(p, LOG_BINS))
		return;
	for (size_t k = 0; k < p->ng; k++) {
		const numacc *a = &p->g[k]->num[f->slot];
		hist_ctx h = { p->y + k * LOG_BINS, &top };

		if (!a->n)
			continue;
		for (size_t j = 0; j < LOG_BINS; j++)
			h.y[j] = 0;
		cot__sketch_foreach(&a->sk, hist_bucket, &h);
		for (size_t j = 0; j < LOG_BINS; j++)
			h.y[j] /= (double)a->n;
	}
	/* labels at 1, 4, 16, ... (every other octave) */
	for (size_t j = 0; j < LOG_BINS; j++) {
		double lo = j == 0 ? 0 : j == 1 ? 1 : ldexp(j % 2 ? 1.5 : 1,
							    (int)(j - 2) / 2 + 1);

		ticks[j] = NULL;
		/* exact values, so that the axis needs no note on k */
		if (j <= 1 || (j % 2 == 0 && (j / 2) % 2 == 0)) {
			cot__num_text(labels[j], lo);
			ticks[j] = labels[j];
		}
	}
	snprintf(id, sizeof id, "h-%s", name);
	for (char *c = id; *c; c++)
		if (*c == '.')
			*c = '-';
	snprintf(xl, sizeof xl, "%s (%s, log scale: half-octave bins)", name,
		 unit);
	{
		chart c = { id, title, xl, "share of traces", ticks, top,
			    p->sr, p->ng, 0, true };

		cot__chart_lines(p->b, &c);
	}
}

static void distributions(page *p)
{
	section_open(p->b, "distributions", "Distributions",
		     "Each line is a group; a point is the share of the "
		     "group's traces in a bin (bins of half an octave), so "
		     "groups of any size compare on the same axes.");
	sb_puts(p->b, "<div class=\"grid\">");
	log_hist(p, "think.words", "Reasoning length", "words");
	log_hist(p, "think.tokens", "Reasoning length in tokens", "tokens");
	log_hist(p, "answer.words", "Answer length", "words");
	log_hist(p, "steps", "Steps", "paragraphs");
	log_hist(p, "structure.sentences", "Sentences", "sentences");
	log_hist(p, "structure.thoughts", "Thoughts", "thoughts");
	sb_puts(p->b, "</div></section>");
}

/* ---- positions in the trace ---------------------------------------- */

static void rel_hist(page *p, size_t k, const char *title)
{
	static const char *const ticks[REL_BINS] = {
		"0", NULL, NULL, NULL, NULL, "0.25", NULL, NULL, NULL, NULL,
		"0.5", NULL, NULL, NULL, NULL, "0.75", NULL, NULL, NULL, "1",
	};
	const char *name = p->r->rel_name[k];
	char id[96];
	bool any = false;

	if (!points(p, REL_BINS))
		return;
	for (size_t g = 0; g < p->ng; g++) {
		const rgroup *x = p->g[g]->ext;
		uint64_t n = 0;

		if (!x)
			continue;
		for (int j = 0; j < REL_BINS; j++)
			n += x->rel[k][j];
		for (int j = 0; j < REL_BINS && n; j++)
			p->y[g * REL_BINS + j] = (double)x->rel[k][j] /
						 (double)n;
		any |= n > 0;
	}
	if (!any)
		return;
	snprintf(id, sizeof id, "r-%s", name);
	for (char *c = id; *c; c++)
		if (*c == '.')
			*c = '-';
	{
		chart c = { id, title ? title : name, name,
			    "share of traces with a value", ticks, REL_BINS,
			    p->sr, p->ng, 0, true };

		cot__chart_lines(p->b, &c);
	}
}

/* The histogram of rel field name, if the report has it. */
static void rel_named(page *p, const char *name, const char *title)
{
	for (size_t k = 0; k < p->r->nrel; k++)
		if (!strcmp(p->r->rel_name[k], name))
			rel_hist(p, k, title);
}

/* ---- behaviour ----------------------------------------------------- */

static void behaviour(page *p)
{
	sb *b = p->b;
	const fdef *words = field(p->s, "think.words");
	size_t nfam = 0;
	const fdef **fam;
	const char **ticks;

	section_open(b, "behaviour", "Behaviour",
		     "Matches of each family of patterns per 1,000 words of "
		     "reasoning, pooled over the group (its matches over its "
		     "words), and where in the trace each family first "
		     "appears (families.NAME.first_rel: 0 is the start of the "
		     "reasoning, 1 its end).");
	fam = cot__calloc(p->s->nf, sizeof *fam);
	ticks = cot__calloc(p->s->nf, sizeof *ticks);
	if (!fam || !ticks) {
		b->failed = true;
		goto out;
	}
	for (size_t i = 0; i < p->s->nf; i++) {
		const char *n = p->s->f[i].name;
		size_t len = strlen(n);

		if (!strncmp(n, "families.", 9) && len > 15 &&
		    !strcmp(n + len - 6, ".count")) {
			fam[nfam] = &p->s->f[i];
			/* the family's name: between the dots */
			ticks[nfam++] = n + 9;
		}
	}
	if (!nfam || !words || !points(p, nfam))
		goto out;
	if (!(p->s->total.num[words->slot].n &&
	      mean(&p->s->total, words) > 0)) {
		sb_puts(b, "<p>No trace has words of reasoning.</p>");
		goto out;
	}
	for (size_t k = 0; k < p->ng; k++) {
		nstat w;

		cot__num_stats(words, p->g[k], &w);
		for (size_t j = 0; j < nfam; j++) {
			nstat c;

			cot__num_stats(fam[j], p->g[k], &c);
			p->y[k * p->stride + j] = w.sum > 0 ?
				1000 * c.sum / w.sum : NAN;
		}
	}
	{
		/* the names without their ".count" */
		char **names = cot__calloc(nfam, sizeof *names);
		chart c = { "rates", "Pattern families per 1,000 words",
			    "matches per 1,000 words of reasoning", "",
			    NULL, nfam, p->sr, p->ng, 0, false };

		if (!names) {
			b->failed = true;
			goto out;
		}
		for (size_t j = 0; j < nfam; j++) {
			names[j] = cot__strndup(ticks[j], strlen(ticks[j]) - 6);
			if (!names[j])
				b->failed = true;
			ticks[j] = names[j] ? names[j] : "";
		}
		c.xticks = ticks;
		cot__chart_bars(b, &c);
		/* the same numbers, for reading and for screen readers */
		sb_puts(b, "<table class=\"num\"><thead><tr><th scope=\"col\">"
			"family</th>");
		for (size_t k = 0; k < p->ng; k++) {
			sb_puts(b, "<th scope=\"col\">");
			cot__html_cstr(b, p->sr[k].name);
			sb_puts(b, "</th>");
		}
		sb_puts(b, "</tr></thead><tbody>");
		for (size_t j = 0; j < nfam; j++) {
			sb_puts(b, "<tr><th scope=\"row\">");
			cot__html_cstr(b, ticks[j]);
			sb_puts(b, "</th>");
			for (size_t k = 0; k < p->ng; k++)
				td_num(b, p->y[k * p->stride + j]);
			sb_puts(b, "</tr>");
		}
		sb_puts(b, "</tbody></table>");
		for (size_t j = 0; j < nfam; j++)
			cot__free(names[j]);
		cot__free(names);
	}
	sb_puts(b, "<h3>Where each family first appears</h3>"
		"<div class=\"grid\">");
	for (size_t k = 0; k < p->r->nrel; k++)
		if (!strncmp(p->r->rel_name[k], "families.", 9))
			rel_hist(p, k, NULL);
	sb_puts(b, "</div>");
out:
	sb_puts(b, "</section>");
	cot__free(fam);
	cot__free(ticks);
}

/* ---- correctness against length ------------------------------------ */

static void correctness(page *p)
{
	sb *b = p->b;
	char labels[LEN_BINS][64];
	const char *ticks[LEN_BINS];
	size_t top = 0, first = LEN_BINS;
	bool any = false;

	section_open(b, "correctness", "Correctness and length",
		     "Accuracy (the share of graded traces whose correct is "
		     "true) by the length of the reasoning, in octaves of "
		     "think.words: where longer thinking stops paying off. "
		     "Then where the final answer is first stated "
		     "(answer_first_at), how much reasoning follows it "
		     "(after_answer) and the outcome efficiency.");
	if (!points(p, LEN_BINS))
		goto out;
	for (size_t k = 0; k < p->ng; k++) {
		const rgroup *x = p->g[k]->ext;

		for (int j = 0; x && j < LEN_BINS; j++) {
			uint64_t n = x->acc[j][0] + x->acc[j][1];

			if (!n)
				continue;
			p->y[k * LEN_BINS + j] = (double)x->acc[j][1] /
						 (double)n;
			if ((size_t)j + 1 > top)
				top = (size_t)j + 1;
			if ((size_t)j < first)
				first = (size_t)j;
			any = true;
		}
	}
	for (int j = 0; j < LEN_BINS; j++) {
		cot__num_text(labels[j], j ? ldexp(1, j - 1) : 0);
		ticks[j] = j % 2 == 0 ? labels[j] : NULL;
	}
	if (!any) {
		sb_puts(b, "<p>No trace was graded (correct needs a "
			"reference answer in the records).</p>");
	} else {
		chart c = { "accuracy", "Accuracy by reasoning length",
			    "think.words (bins of one octave, from the value "
			    "shown)", "accuracy", ticks, top,
			    p->sr, p->ng, 1, true };

		cot__chart_lines(b, &c);
		/* a row per group, a column per octave that has a graded
		 * trace somewhere */
		sb_puts(b, "<table class=\"num\"><caption>Correct / graded "
			"traces by think.words, from the value shown"
			"</caption><thead><tr><th scope=\"col\">group</th>");
		for (size_t j = first; j < top; j++)
			sb_printf(b, "<th scope=\"col\">%s</th>", labels[j]);
		sb_puts(b, "</tr></thead><tbody>");
		for (size_t k = 0; k < p->ng; k++) {
			const rgroup *x = p->g[k]->ext;

			sb_puts(b, "<tr>");
			th_group(b, p, k);
			for (size_t j = first; j < top; j++) {
				uint64_t t = x ? x->acc[j][1] : 0;
				uint64_t n = x ? t + x->acc[j][0] : 0;

				sb_printf(b, "<td>%llu / %llu</td>",
					  (unsigned long long)t,
					  (unsigned long long)n);
			}
			sb_puts(b, "</tr>");
		}
		sb_puts(b, "</tbody></table>");
	}
	sb_puts(b, "<div class=\"grid\">");
	rel_named(p, "answer_first_at", "Where the answer is first stated");
	rel_named(p, "after_answer", "Reasoning after the answer");
	rel_named(p, "efficiency", "Outcome efficiency");
	sb_puts(b, "</div>");
out:
	sb_puts(b, "</section>");
}

/* ---- health and the traces ----------------------------------------- */

static void trace_link(sb *b, const shown *t)
{
	sb_printf(b, "<a href=\"#t%016llx\">", (unsigned long long)t->id);
	cot__html_cstr(b, t->file);
	sb_printf(b, ":%llu #%zu</a>", (unsigned long long)t->line, t->trace);
}

static void reason_table(page *p, int k)
{
	sb *b = p->b;
	const reason_info *ri = &cot__report_reasons[k];
	pick *v = cot__report_sorted_picks(&p->r->pick[k]);

	sb_printf(b, "<h3 id=\"why-%s\">%s</h3><p>%s; at most %zu.</p>",
		  ri->name, ri->title, ri->rule, p->r->pick[k].cap);
	if (!p->r->pick[k].n) {
		sb_puts(b, "<p>None.</p>");
		return;
	}
	if (!v) {
		b->failed = true;
		return;
	}
	sb_puts(b, "<table class=\"num\"><thead><tr><th scope=\"col\">trace"
		"</th><th scope=\"col\">group</th><th scope=\"col\">status"
		"</th><th scope=\"col\">think.words</th>");
	if (k != R_RANDOM)
		sb_printf(b, "<th scope=\"col\">%s</th>",
			  k == R_LOOP ? "loop.repeats" :
			  k == R_REPEAT ? "repeat.ngram" :
			  k == R_LANG ? "lang.mix" :
			  k == R_EARLY ? "after_answer" : "think.words");
	sb_puts(b, "</tr></thead><tbody>");
	for (size_t j = 0; j < p->r->pick[k].n; j++) {
		const shown *t = v[j].t;

		sb_puts(b, "<tr><th scope=\"row\">");
		trace_link(b, t);
		sb_puts(b, "</th><td class=\"text\">");
		cot__html_cstr(b, t->group ? t->group : "");
		sb_puts(b, "</td><td class=\"text\">");
		cot__html_cstr(b, t->status ? t->status : "");
		sb_puts(b, "</td>");
		td_num(b, t->think_words);
		if (k != R_RANDOM)
			td_num(b, v[j].score);
		sb_puts(b, "</tr>");
	}
	sb_puts(b, "</tbody></table>");
	cot__free(v);
}

static void health(page *p)
{
	sb *b = p->b;
	static const struct {
		const char *field, *title;
		bool is_rate;
	} cols[] = {
		{ "loop.found", "loop", true },
		{ "loop.tail", "ends in its loop", true },
		{ "repeat.flag", "repetition flag", true },
		{ "repeat.ngram", "repeat.ngram (mean)", false },
		{ "lang.mix", "lang.mix (mean)", false },
		{ "lang.mixed_steps", "mixed-script steps (mean)", false },
		{ "mid_sentence", "ends mid-sentence", true },
	};

	section_open(b, "health", "Health",
		     "Loops, repetition, mixed scripts and cut-off reasoning "
		     "per group (README \"Loops\", \"Repetition\", "
		     "\"Completion status\"), the rules that decided each "
		     "status, and the worst traces, each a link to its view.");
	sb_puts(b, "<table class=\"num\"><thead><tr><th scope=\"col\">group"
		"</th>");
	for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
		sb_printf(b, "<th scope=\"col\">%s</th>", cols[c].title);
	sb_puts(b, "</tr></thead><tbody>");
	for (size_t k = 0; k < p->ng; k++) {
		sb_puts(b, "<tr>");
		th_group(b, p, k);
		for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
			const fdef *f = field(p->s, cols[c].field);

			if (cols[c].is_rate)
				td_pct(b, rate(p->g[k], f));
			else
				td_num(b, mean(p->g[k], f));
		}
		sb_puts(b, "</tr>");
	}
	sb_puts(b, "</tbody></table>");
	share_chart(p, "status-rule", "status_rule",
		    "The rule that decided the status");
	sb_puts(b, "<div class=\"grid\">");
	rel_named(p, "loop.start_rel", "Where loops start");
	sb_puts(b, "</div>");
	reason_table(p, R_LOOP);
	reason_table(p, R_REPEAT);
	reason_table(p, R_LANG);
	reason_table(p, R_CUT);
	sb_puts(b, "</section>");
}

static void traces(page *p)
{
	sb *b = p->b;
	size_t n;
	shown **v = cot__report_shown(p->r, &n);

	section_open(b, "traces", "Traces",
		     "A bounded sample chosen to be useful: every reason "
		     "keeps its best traces (the loops, the most repetitive, "
		     "the most mixed scripts and the cut-off are listed "
		     "under Health). Open one by its link; in a trace, n "
		     "and p go to the next and previous one, Escape back "
		     "here. Steps are coloured by their step function.");
	if (!v && n) {
		b->failed = true;
		sb_puts(b, "</section>");
		return;
	}
	sb_puts(b, "<ul class=\"legend fns\">");
	for (int f = 0; f < COT_FN_COUNT; f++)
		sb_printf(b, "<li><span class=\"s f%d\">%s</span></li>", f,
			  cot_function_name(f));
	sb_puts(b, "<li><span class=\"s loop\">a loop</span></li><li><mark>a "
		"pattern match</mark></li></ul>");
	reason_table(p, R_EARLY);
	reason_table(p, R_LONG);
	reason_table(p, R_RANDOM);
	sb_printf(b, "<div class=\"viewer\" data-traces=\"%zu\">", n);
	for (size_t k = 0; k < n; k++)
		sb_puts(b, v[k]->html);
	sb_puts(b, "</div></section>");
	cot__free(v);
}

/* ---- the page ------------------------------------------------------ */

static void head(page *p)
{
	sb *b = p->b;
	cot_summary_counts c;

	cot_summary_counts_of(p->s, &c);
	sb_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		"charset=\"utf-8\"><meta name=\"viewport\" content=\""
		"width=device-width, initial-scale=1\"><meta name=\""
		"generator\" content=\"cotlog ");
	sb_puts(b, cot_version());
	sb_puts(b, "\"><title>");
	cot__html_cstr(b, p->r->title);
	sb_puts(b, "</title><style>");
	sb_puts(b, cot__report_css);
	sb_puts(b, "</style></head><body><a class=\"skip\" href=\"#main\">"
		"Skip to the report</a><header><h1>");
	cot__html_cstr(b, p->r->title);
	sb_puts(b, "</h1><p>");
	cot__html_num(b, (double)c.records);
	sb_puts(b, " records, ");
	cot__html_num(b, (double)c.traces);
	sb_puts(b, " traces, ");
	cot__html_num(b, (double)c.malformed);
	sb_puts(b, " malformed lines");
	if (p->s->by) {
		const char *k = p->s->by;

		sb_puts(b, "; grouped by ");
		/* several keys: each in its code, as their groups are named */
		for (;;) {
			size_t n = strcspn(k, COT_SUMMARY_KEY_SEP);

			sb_puts(b, "<code>");
			cot__html_text(b, k, n);
			sb_puts(b, "</code>");
			if (!k[n])
				break;
			sb_puts(b, " \xC3\x97 ");
			k += n + 1;
		}
		sb_printf(b, " (%zu groups)", p->s->ng);
	}
	sb_printf(b, ". Made by cotlog %s.</p><nav aria-label=\"sections\">"
		  "<a href=\"#overview\">Overview</a> <a href=\""
		  "#distributions\">Distributions</a> <a href=\"#behaviour\">"
		  "Behaviour</a> <a href=\"#correctness\">Correctness</a> "
		  "<a href=\"#health\">Health</a> <a href=\"#traces\">Traces"
		  "</a></nav></header><main id=\"main\">", cot_version());
}

int cot_report_render(cot_buf *out, cot_report *r, cot_error *err)
{
	sb b = { *out, false };
	page p = { r, r->s, &b, NULL, 0, NULL, NULL, 0, 0 };
	size_t start = out->size;

	if (r->failed || cot__summary_settle(r->s))
		goto oom;
	if (r->s->ng) {
		p.g = cot__sorted_groups(r->s);
		p.ng = r->s->ng;
	} else {
		p.g = cot__malloc(sizeof *p.g);
		p.ng = 1;
		if (p.g)
			p.g[0] = &r->s->total;
	}
	p.sr = cot__calloc(p.ng, sizeof *p.sr);
	if (!p.g || !p.sr)
		goto oom_free;
	for (size_t k = 0; k < p.ng; k++)
		p.sr[k].name = p.g[k]->disp ? p.g[k]->disp : "all traces";
	head(&p);
	overview(&p);
	distributions(&p);
	behaviour(&p);
	correctness(&p);
	health(&p);
	traces(&p);
	sb_puts(&b, "</main><script>");
	sb_puts(&b, cot__report_js);
	sb_puts(&b, "</script></body></html>\n");
	cot__free(p.g);
	cot__free(p.sr);
	cot__free(p.y);
	*out = b.buf;
	if (!b.failed)
		return COT_OK;
	out->size = start;
	if (out->ptr)
		out->ptr[start] = '\0';
	goto oom;
oom_free:
	cot__free(p.g);
	cot__free(p.sr);
oom:
	r->failed = COT_ENOMEM;
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory (the "
			      "report is incomplete)");
}
