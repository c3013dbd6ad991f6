/* sample.c - the traces the viewer shows: chosen by reason, each
 * rendered into its section of the page when it is chosen. */
#include <math.h>
#include <stdlib.h>

#include "report/report.h"

#define X(id, name, title, rule) { name, title, rule },
const reason_info cot__report_reasons[R_COUNT] = { REPORT_REASONS(X) };
#undef X

/* Reasoning past this is shown as its first HEAD and last TAIL bytes:
 * a viewer of 70 traces stays a few megabytes whatever their length,
 * and a loop at the end of a long trace is still in view. */
enum { HEAD = 64 << 10, TAIL = 32 << 10 };
/* A section's markup stops growing past this: matches are no longer
 * marked, and no step is begun. With the text of one step at most six
 * times its bytes as HTML, a section stays under 1.2 MiB, however
 * dense the matches or short the steps. */
enum { MARKUP_BUDGET = 512 << 10 };

static double num(const cot_value *v)
{
	return v->type == COT_TYPE_INT ? (double)v->i :
	       v->type == COT_TYPE_REAL ? v->r : NAN;
}

static bool is_str(const cot_value *v, const char *s)
{
	return v->type == COT_TYPE_STRING && !strcmp(v->s, s);
}

/* Whether a trace qualifies for reason k, and its score there. */
static bool score_of(int k, const cot_value *v, uint64_t id, double *score)
{
	switch (k) {
	case R_LOOP:
		*score = v[F_LOOP_FOUND].type == COT_TYPE_BOOL &&
			 v[F_LOOP_FOUND].b ? num(&v[F_LOOP_REPEATS]) : NAN;
		break;
	case R_REPEAT:
		*score = num(&v[F_REPEAT_NGRAM]);
		break;
	case R_LANG:
		*score = num(&v[F_LANG_MIX]);
		break;
	case R_CUT:
		*score = is_str(&v[F_STATUS], "truncated") ||
			 is_str(&v[F_STATUS], "unterminated") ?
			 num(&v[F_THINK_WORDS]) : NAN;
		break;
	case R_EARLY:
		*score = num(&v[F_AFTER_ANSWER]);
		break;
	case R_LONG:
		*score = num(&v[F_THINK_WORDS]);
		break;
	default:	/* R_RANDOM: the id is a hash, uniform */
		*score = (double)(id >> 11) * 0x1p-53;
		return true;
	}
	/* a reason for a trace only where it shows something */
	return !isnan(*score) && *score > 0;
}

/* ---- the heap of a reason's picks ---------------------------------- */

static bool below(const pick *a, const pick *b)
{
	return a->score < b->score || (a->score == b->score && a->id < b->id);
}

static void sift_down(pickset *p, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		pick t;

		if (l < p->n && below(&p->v[l], &p->v[m]))
			m = l;
		if (l + 1 < p->n && below(&p->v[l + 1], &p->v[m]))
			m = l + 1;
		if (m == i)
			return;
		t = p->v[i];
		p->v[i] = p->v[m];
		p->v[m] = t;
		i = m;
	}
}

static void sift_up(pickset *p, size_t i)
{
	while (i && below(&p->v[i], &p->v[(i - 1) / 2])) {
		pick t = p->v[i];

		p->v[i] = p->v[(i - 1) / 2];
		p->v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void shown_free(shown *t)
{
	if (!t || --t->refs)
		return;
	cot__free(t->file);
	cot__free(t->group);
	cot__free(t->status);
	cot__free(t->html);
	cot__free(t);
}

/* Whether a pick of this score would be kept. */
static bool would_keep(const pickset *p, const pick *c)
{
	return p->cap && (p->n < p->cap || below(&p->v[0], c));
}

static int keep(pickset *p, const pick *c)
{
	if (!p->v) {
		p->v = cot__malloc(p->cap * sizeof *p->v);
		if (!p->v)
			return COT_ENOMEM;
	}
	c->t->refs++;
	if (p->n < p->cap) {
		p->v[p->n++] = *c;
		sift_up(p, p->n - 1);
	} else {
		shown_free(p->v[0].t);
		p->v[0] = *c;
		sift_down(p, 0);
	}
	return COT_OK;
}

/* ---- a trace's section --------------------------------------------- */

static void put_value(sb *b, const cot_value *v)
{
	switch (v->type) {
	case COT_TYPE_NULL:
		sb_puts(b, "\xE2\x80\x93");
		break;
	case COT_TYPE_BOOL:
		sb_puts(b, v->b ? "true" : "false");
		break;
	case COT_TYPE_INT:
	case COT_TYPE_REAL:
		cot__html_num(b, num(v));
		break;
	default:
		cot__html_text(b, v->s, v->len);
	}
}

static void fact(sb *b, const char *name, const cot_value *v)
{
	sb_printf(b, "<div><dt>%s</dt><dd>", name);
	put_value(b, v);
	sb_puts(b, "</dd></div>");
}

/* The text of [a, c) of the reasoning with the pattern matches in it
 * marked; *h walks the matches (sorted by offset) across calls, and a
 * match overlapping one already marked is left out. */
static int marked(sb *b, cot_report *r, const cot_result *res, size_t i,
		  const char *text, size_t a, size_t c, size_t *h,
		  size_t nhits, size_t *done)
{
	size_t at = a;

	while (*h < nhits && b->buf.size < MARKUP_BUDGET) {
		cot_hit hit;
		const cot_pattern_info *pi;
		size_t s, e;

		if (cot_result_hit(&hit, res, i, *h, NULL))
			return COT_ENOMEM;
		if (hit.off >= c)
			break;
		(*h)++;
		s = hit.off < at ? at : hit.off;
		e = hit.off + hit.len > c ? c : hit.off + hit.len;
		if (hit.off < *done || s >= e)
			continue;
		pi = cot_pattern_at(r->az, hit.pattern);
		cot__html_text(b, text + at, s - at);
		sb_puts(b, "<mark title=\"");
		cot__html_cstr(b, pi ? pi->family : "");
		sb_puts(b, ": ");
		cot__html_cstr(b, pi ? pi->name : "");
		sb_puts(b, "\">");
		cot__html_text(b, text + s, e - s);
		sb_puts(b, "</mark>");
		at = e;
		*done = hit.off + hit.len;
	}
	cot__html_text(b, text + at, c - at);
	return COT_OK;
}

/* Back off from a cut at x to the start of its character. */
static size_t char_start(const char *t, size_t len, size_t x)
{
	while (x > 0 && x < len && ((unsigned char)t[x] & 0xC0) == 0x80)
		x--;
	return x;
}

static int steps_html(sb *b, cot_report *r, cot_result *res, size_t i,
		      const cot_value *v)
{
	size_t len, nsteps = cot_result_step_count(res, i, COT_BY_PARAGRAPH);
	const char *text = cot_result_reasoning(res, i, &len);
	size_t nhits = cot_result_hit_count(res, i), h = 0, done = 0;
	size_t head = len, tail = len;	/* shown: [0, head) and [tail, len) */
	bool loop = v[F_LOOP_FOUND].type == COT_TYPE_BOOL && v[F_LOOP_FOUND].b;
	size_t ls = loop ? (size_t)num(&v[F_LOOP_START]) : 0;
	size_t le = loop ? (size_t)num(&v[F_LOOP_END]) : 0;
	bool tagged = false, gap = false;

	if (len > HEAD + TAIL) {
		head = char_start(text, len, HEAD);
		tail = char_start(text, len, len - TAIL);
	}
	sb_puts(b, "<ol class=\"steps\">");
	for (size_t k = 0; k < nsteps; k++) {
		cot_step st;
		size_t a, c;

		if (b->buf.size >= MARKUP_BUDGET) {
			sb_printf(b, "<li class=\"gap\" value=\"%zu\">\xE2\x80"
				  "\xA6 steps %zu to %zu left out: the view of "
				  "a trace is kept under 1.2 MiB</li>", k + 1,
				  k + 1, nsteps);
			break;
		}
		if (cot_result_step(&st, res, i, COT_BY_PARAGRAPH, k, NULL))
			return COT_ENOMEM;
		a = st.start;
		c = st.end;
		if (a >= head && c <= tail) {
			gap = true;
			continue;
		}
		if (gap) {
			sb_printf(b, "<li class=\"gap\" value=\"%zu\">", k + 1);
			sb_printf(b, "\xE2\x80\xA6 %zu bytes of the reasoning "
				  "left out here \xE2\x80\xA6</li>", tail - head);
			gap = false;
		}
		sb_printf(b, "<li value=\"%zu\" class=\"s f%d%s\">", k + 1,
			  st.function, loop && a < le && c > ls ? " loop" : "");
		if (loop && !tagged && a < le && c > ls) {
			sb_puts(b, "<span class=\"looptag\">loop: ");
			put_value(b, &v[F_LOOP_REPEATS]);
			sb_puts(b, " repeats of a period of ");
			put_value(b, &v[F_LOOP_PERIOD_WORDS]);
			sb_puts(b, " words (");
			put_value(b, &v[F_LOOP_PERIOD]);
			sb_puts(b, " bytes)</span>");
			tagged = true;
		}
		sb_printf(b, "<span class=\"fn\">%s</span>",
			  st.label ? st.label : "");
		/* a step across the cut shows its two ends */
		if (a < head && c > head) {
			if (marked(b, r, res, i, text, a, head, &h, nhits,
				   &done))
				return COT_ENOMEM;
			sb_puts(b, " \xE2\x80\xA6 ");
			a = c > tail ? tail : c;
			gap = c <= tail;
		}
		if (a < tail && c > tail) {
			a = tail;
			sb_puts(b, "\xE2\x80\xA6 ");
		}
		if (marked(b, r, res, i, text, a, c, &h, nhits, &done))
			return COT_ENOMEM;
		sb_puts(b, "</li>");
	}
	sb_puts(b, "</ol>");
	return COT_OK;
}

static char *section(cot_report *r, cot_result *res, size_t i,
		     const char *file, uint64_t line, const char *gname,
		     const cot_value *v, uint64_t id)
{
	sb b = { r->scratch, false };
	size_t alen;
	const char *answer = cot_result_answer(res, i, &alen);
	char *out = NULL;

	b.buf.size = 0;
	sb_printf(&b, "<section class=\"trace\" id=\"t%016llx\" "
		  "tabindex=\"-1\" aria-labelledby=\"h%016llx\">",
		  (unsigned long long)id, (unsigned long long)id);
	sb_printf(&b, "<h3 id=\"h%016llx\">", (unsigned long long)id);
	cot__html_cstr(&b, file);
	sb_printf(&b, ":%llu, trace %zu</h3>", (unsigned long long)line, i);
	sb_puts(&b, "<nav class=\"tracenav\"><a href=\"#traces\">"
		"\xE2\x86\x91 all traces</a></nav><dl class=\"facts\">");
	if (gname) {
		sb_puts(&b, "<div class=\"group\"><dt>group</dt><dd>");
		cot__html_cstr(&b, gname);
		sb_puts(&b, "</dd></div>");
	}
	for (int k = 0; k < F_COUNT; k++) {
		static const int order[] = {
			F_MODEL, F_STATUS, F_STATUS_RULE, F_FINISH_REASON,
			F_THINK_WORDS, F_THINK_TOKENS, F_STEPS,
			F_ANSWER_WORDS, F_FINAL, F_REF, F_CORRECT,
			F_LOOP_FOUND, F_LOOP_START_STEP, F_LOOP_PERIOD_WORDS,
			F_LOOP_REPEATS, F_LOOP_TAIL, F_REPEAT_NGRAM,
			F_LANG_DOMINANT, F_LANG_MIX, F_AFTER_ANSWER,
		};

		if ((size_t)k < sizeof order / sizeof *order &&
		    r->have[order[k]])
			fact(&b, cot__report_field_names[order[k]],
			     &v[order[k]]);
	}
	sb_puts(&b, "</dl><h4>Reasoning</h4>");
	if (steps_html(&b, r, res, i, v)) {
		b.failed = true;
	} else {
		sb_puts(&b, "<h4>Answer</h4><pre class=\"answer\">");
		cot__html_text(&b, answer ? answer : "",
			       alen > HEAD ? HEAD : alen);
		if (alen > HEAD)
			sb_printf(&b, " \xE2\x80\xA6 (%zu bytes more)",
				  alen - HEAD);
		sb_puts(&b, "</pre></section>\n");
	}
	r->scratch = b.buf;
	if (!b.failed)
		out = cot__strndup(b.buf.ptr, b.buf.size);
	return out;
}

/* FNV-1a over the file, line and trace, then a splitmix64 finish, so
 * that the low and high bits are both uniform. */
static uint64_t trace_id(const char *file, uint64_t line, size_t i)
{
	uint64_t h = 0xcbf29ce484222325ull, w[2] = { line, i };
	const unsigned char *p = (const unsigned char *)file;

	for (; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	h = (h ^ 0xff) * 0x100000001b3ull;
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < 8; j++)
			h = (h ^ ((w[k] >> (8 * j)) & 0xff)) *
			    0x100000001b3ull;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

int cot__report_pick(cot_report *r, cot_result *res, size_t i,
		     const char *file, uint64_t line, const char *gname,
		     const cot_value *v)
{
	uint64_t id = trace_id(file, line, i);
	shown *t = NULL;
	int rc = COT_OK;

	for (int k = 0; k < R_COUNT && !rc; k++) {
		pick c;

		if (!score_of(k, v, id, &c.score))
			continue;
		c.id = id;
		if (!would_keep(&r->pick[k], &c))
			continue;
		if (!t) {
			t = cot__calloc(1, sizeof *t);
			if (!t)
				return COT_ENOMEM;
			t->refs = 1;	/* ours, until the loop ends */
			t->id = id;
			t->line = line;
			t->trace = i;
			t->think_words = num(&v[F_THINK_WORDS]);
			t->file = cot__strdup(file);
			t->group = gname ? cot__strdup(gname) : NULL;
			t->status = v[F_STATUS].type == COT_TYPE_STRING ?
				    cot__strdup(v[F_STATUS].s) : NULL;
			t->html = section(r, res, i, file, line, gname, v,
					  id);
			if (!t->file || (gname && !t->group) || !t->html ||
			    (v[F_STATUS].type == COT_TYPE_STRING &&
			     !t->status)) {
				shown_free(t);
				return COT_ENOMEM;
			}
		}
		c.t = t;
		rc = keep(&r->pick[k], &c);
	}
	shown_free(t);
	return rc;
}

static shown *shown_copy(const shown *a)
{
	shown *t = cot__calloc(1, sizeof *t);

	if (!t)
		return NULL;
	*t = *a;
	t->refs = 0;
	t->file = cot__strdup(a->file);
	t->group = a->group ? cot__strdup(a->group) : NULL;
	t->status = a->status ? cot__strdup(a->status) : NULL;
	t->html = cot__strdup(a->html);
	if (!t->file || (a->group && !t->group) || (a->status && !t->status)
	    || !t->html) {
		t->refs = 1;
		shown_free(t);
		return NULL;
	}
	return t;
}

int cot__report_pick_merge(cot_report *dst, const cot_report *src)
{
	for (int k = 0; k < R_COUNT; k++) {
		const pickset *p = &src->pick[k];

		for (size_t j = 0; j < p->n; j++) {
			pick c = p->v[j];

			if (!would_keep(&dst->pick[k], &c))
				continue;
			/* the same trace may be in dst already, by another
			 * reason: share it */
			c.t = NULL;
			for (int m = 0; m < R_COUNT && !c.t; m++)
				for (size_t q = 0; q < dst->pick[m].n; q++)
					if (dst->pick[m].v[q].id == c.id) {
						c.t = dst->pick[m].v[q].t;
						break;
					}
			if (!c.t) {
				c.t = shown_copy(p->v[j].t);
				if (!c.t)
					return COT_ENOMEM;
			}
			c.t->refs++;
			if (keep(&dst->pick[k], &c)) {
				shown_free(c.t);
				return COT_ENOMEM;
			}
			shown_free(c.t);
		}
	}
	return COT_OK;
}

void cot__report_picks_dispose(cot_report *r)
{
	for (int k = 0; k < R_COUNT; k++) {
		for (size_t j = 0; j < r->pick[k].n; j++)
			shown_free(r->pick[k].v[j].t);
		cot__free(r->pick[k].v);
		r->pick[k].v = NULL;
		r->pick[k].n = 0;
	}
}

static int cmp_pick(const void *pa, const void *pb)
{
	const pick *a = pa, *b = pb;

	return below(a, b) ? 1 : below(b, a) ? -1 : 0;
}

pick *cot__report_sorted_picks(const pickset *p)
{
	pick *v;

	if (!p->n)
		return NULL;
	v = cot__malloc(p->n * sizeof *v);
	if (!v)
		return NULL;
	memcpy(v, p->v, p->n * sizeof *v);
	qsort(v, p->n, sizeof *v, cmp_pick);
	return v;
}

static int cmp_shown(const void *pa, const void *pb)
{
	const shown *a = *(shown *const *)pa, *b = *(shown *const *)pb;

	return (a->id > b->id) - (a->id < b->id);
}

shown **cot__report_shown(cot_report *r, size_t *n)
{
	size_t total = 0, k = 0;
	shown **v;

	*n = 0;
	for (int m = 0; m < R_COUNT; m++)
		total += r->pick[m].n;
	if (!total)
		return NULL;
	v = cot__malloc(total * sizeof *v);
	if (!v) {
		*n = 1;		/* not "none": out of memory */
		return NULL;
	}
	for (int m = 0; m < R_COUNT; m++)
		for (size_t j = 0; j < r->pick[m].n; j++) {
			r->pick[m].v[j].t->reasons = 0;
		}
	for (int m = 0; m < R_COUNT; m++)
		for (size_t j = 0; j < r->pick[m].n; j++) {
			shown *t = r->pick[m].v[j].t;

			if (!t->reasons)
				v[k++] = t;
			t->reasons |= 1u << m;
		}
	qsort(v, k, sizeof *v, cmp_shown);
	*n = k;
	return v;
}
