/* cmd_show.c - one trace for a person: header, numbered steps with their
 * labels, markers highlighted, long steps folded. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char *const usage[] = {
"Usage: cotlog show [--record N] [--trace I] [--where EXPR] [--all]\n"
"                   [--by paragraph|sentence|thought] [--full]\n"
"                   [--color auto|always|never] [INPUT OPTIONS] [FILE...]\n"
"\n"
"Show one trace to a person: where it comes from, its format, lengths\n"
"and status, then its steps numbered with their step functions (the\n"
"rule-based Thought Anchors labels, see the README), pattern markers\n"
"highlighted (and listed in each step's heading), long steps folded,\n"
"then the answer and the trace's label and family counts.\n"
"\n"
"Options:\n"
"  --record N           the N-th record of the input (from 1, counting\n"
"                       records across all files, as 'cotlog steps'\n"
"                       numbers them); default: the first record that\n"
"                       has a trace\n"
"  --trace I            its I-th trace (from 0; default 0)\n"
"  --where EXPR         the first trace for which EXPR holds (an\n"
"                       expression over profile fields, as for 'cotlog\n"
"                       filter'), from --record on\n"
"  --all                every trace (that --where selects), one after\n"
"                       another, instead of the first\n"
"  --by UNIT            paragraph (default), sentence or thought\n"
"  --full               do not fold long steps\n"
"  --color WHEN         auto (the default: colour when standard output\n"
"                       is a terminal), always (for 'less -R'), never;\n"
"                       NO_COLOR set to anything but \"\" means never\n",
INPUT_OPTIONS_HELP,
"  -h, --help           show this help\n"
"\n"
"A step is folded when it has more than 12 lines or 1,500 bytes: its\n"
"first lines (at most 6 lines, 600 bytes) and last ones (2 lines, 300\n"
"bytes) are shown. Control characters (and bytes that are not UTF-8)\n"
"of the text, the header's fields, file names and pattern names are\n"
"shown as U+FFFD, so the data cannot drive the terminal; the only escape\n"
"sequences written are show's own colours. Example: cotlog show --color\n"
"always --record 7 data.jsonl | less -R\n"
"\n"
"Exit status: 0 shown; 1 no such record or trace, or none matched\n"
"--where; 2 usage error, unreadable input or write error; 3 invalid\n"
"expression or pattern; 4 some records were malformed (reported).\n",
NULL };

enum { FOLD_LINES = 12, FOLD_BYTES = 1500, HEAD_LINES = 6,
       HEAD_BYTES = 600, TAIL_LINES = 2, TAIL_BYTES = 300 };

typedef struct show {
	bool color, full, all;
	cot_by by;
	uint64_t want_record;	/* 0: the first with a trace */
	long want_trace;	/* -1: 0, or any with --where */
	cot_expr *where;
	uint64_t record;	/* records seen */
	uint64_t shown;
	bool past;		/* the wanted record has been passed */
	size_t traces_there;	/* traces of the wanted record */
} show;

/* ---- colour ---- */

#define RESET "\x1b[0m"
#define BOLD "\x1b[1m"
#define DIM "\x1b[2m"

static const char *const fn_color[COT_FN_COUNT] = {
	"\x1b[1;34m",	/* problem_setup: blue */
	"\x1b[1;36m",	/* plan_generation: cyan */
	"\x1b[1;32m",	/* fact_retrieval: green */
	"\x1b[1m",	/* active_computation: bold */
	"\x1b[1;35m",	/* result_consolidation: magenta */
	"\x1b[1;33m",	/* uncertainty_management: yellow */
	"\x1b[1;32m",	/* self_checking: green */
	"\x1b[1;31m",	/* final_answer_emission: red */
	"\x1b[2m",	/* unknown: dim */
};

/* The highlight of a marker, by the family of its first pattern. */
static const char *family_color(const char *family)
{
	static const struct {
		const char *prefix;
		const char *sgr;
	} map[] = {
		{ "backtracking", "\x1b[1;31m" },
		{ "verification", "\x1b[1;32m" },
		{ "aha", "\x1b[1;35m" },
		{ "conclusion", "\x1b[1;36m" },
		{ "subgoal", "\x1b[1;34m" },
		{ "backward", "\x1b[1;34m" },
		{ "switch", "\x1b[1;33m" },
		{ "r1_", "\x1b[1;33m" },
		{ "oat_", "\x1b[1;33m" },
		{ "oi_", "\x1b[1;33m" },
	};

	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strncmp(family, map[i].prefix, strlen(map[i].prefix)))
			return map[i].sgr;
	return "\x1b[1;4;35m";	/* user families: underlined */
}

static void sgr(const show *s, const char *code)
{
	if (s->color)
		out_puts(code);
}

/* ---- numbers and fields ---- */

/* v with thousands separators: 12,345. */
static void out_count(uint64_t v)
{
	char d[32];
	size_t n = sizeof d, digits = 0;

	do {
		if (digits && digits % 3 == 0)
			d[--n] = ',';
		d[--n] = (char)('0' + v % 10);
		v /= 10;
		digits++;
	} while (v);
	out_write(d + n, sizeof d - n);
}

/* "1 word", "2 words". */
static void out_counted(uint64_t v, const char *noun)
{
	out_count(v);
	out_puts(noun);
	if (v != 1)
		out_puts("s");
}

/* The value of field `name` for trace t; false when the analyzer has no
 * such field or the value is null. */
static bool field(run *r, size_t t, const char *name, cot_value *v)
{
	size_t f;

	return cot_field_find(&f, r->az, name, NULL) == COT_OK &&
	       cot_result_get(v, r->res, t, f, NULL) == COT_OK &&
	       v->type != COT_TYPE_NULL;
}

static uint64_t field_int(run *r, size_t t, const char *name)
{
	cot_value v;

	return field(r, t, name, &v) && v.type == COT_TYPE_INT && v.i > 0 ?
	       (uint64_t)v.i : 0;
}

/* ---- text ---- */

/* A marker: a span of the reasoning some pattern matched. */
typedef struct mark {
	size_t start, end;
	const char *sgr;
} mark;

typedef struct marks {
	mark *v;
	size_t n, cap;
} marks;

/* The hits as disjoint spans, overlapping ones merged. */
static void build_marks(run *r, size_t t, marks *m)
{
	size_t n = cot_result_hit_count(r->res, t);

	m->n = 0;
	for (size_t i = 0; i < n; i++) {
		cot_hit h;
		size_t s, e;

		if (cot_result_hit(&h, r->res, t, i, NULL))
			break;	/* cannot happen: i is below the count */
		s = h.off;
		e = h.off + h.len;

		if (m->n && s < m->v[m->n - 1].end) {
			if (e > m->v[m->n - 1].end)
				m->v[m->n - 1].end = e;
			continue;
		}
		if (m->n == m->cap) {
			m->cap = m->cap ? m->cap * 2 : 64;
			m->v = realloc(m->v, m->cap * sizeof *m->v);
			if (!m->v) {
				diag("out of memory");
				exit(EXIT_USAGE);
			}
		}
		m->v[m->n].start = s;
		m->v[m->n].end = e;
		m->v[m->n].sgr = family_color(
			cot_pattern_at(r->az, h.pattern)->family);
		m->n++;
	}
}

/* Writes text with an indent at each line start, highlights, and the
 * terminal kept safe. */
typedef struct pen {
	const show *s;
	const char *text;
	const marks *m;
	size_t mi;		/* the next mark that may apply */
	bool in_mark;
	bool line_start;
} pen;

static void pen_newline(pen *p)
{
	if (p->in_mark)
		sgr(p->s, RESET);	/* colour never crosses a line */
	out_puts("\n");
	p->line_start = true;
}

static void pen_indent(pen *p, size_t at)
{
	if (!p->line_start)
		return;
	out_puts("    ");
	p->line_start = false;
	if (p->in_mark && at < p->m->v[p->mi].end)
		sgr(p->s, p->m->v[p->mi].sgr);
}

/* Write text[a..b). */
static void pen_write(pen *p, size_t a, size_t b)
{
	const unsigned char *t = (const unsigned char *)p->text;
	size_t run_start = a;

	for (size_t i = a; i < b;) {
		unsigned char c = t[i];
		size_t clen;
		bool safe;

		/* marks open and close at their offsets */
		while (p->mi < p->m->n && p->m->v[p->mi].end <= i) {
			if (p->in_mark) {
				out_write(t + run_start, i - run_start);
				run_start = i;
				sgr(p->s, RESET);
				p->in_mark = false;
			}
			p->mi++;
		}
		if (!p->in_mark && p->mi < p->m->n &&
		    p->m->v[p->mi].start <= i && c != '\n') {
			out_write(t + run_start, i - run_start);
			run_start = i;
			pen_indent(p, i);
			sgr(p->s, p->m->v[p->mi].sgr);
			p->in_mark = true;
		}
		clen = term_char(p->text + i, b - i, &safe);
		if (c == '\n' || c == '\r' || c == '\t') {
			out_write(t + run_start, i - run_start);
			if (c == '\n') {
				pen_newline(p);
			} else if (c == '\t') {
				pen_indent(p, i);
				out_puts("\t");
			}
			run_start = ++i;
			continue;
		}
		if (p->line_start) {
			out_write(t + run_start, i - run_start);
			run_start = i;
			pen_indent(p, i);
		}
		if (!safe) {
			/* a control character or a byte that is not UTF-8:
			 * the terminal sees U+FFFD */
			out_write(t + run_start, i - run_start);
			out_puts("\xef\xbf\xbd");
			run_start = i + clen;
		}
		i += clen;
	}
	out_write(t + run_start, b - run_start);
}

static void pen_end(pen *p)
{
	if (p->in_mark)
		sgr(p->s, RESET);
	p->in_mark = false;
	if (!p->line_start)
		out_puts("\n");
	p->line_start = true;
}

/* Start of the UTF-8 character holding t[i] (moving back). */
static size_t char_start(const char *t, size_t i)
{
	while (i > 0 && ((unsigned char)t[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* Where the head of [a, b) ends: after HEAD_LINES lines or about
 * HEAD_BYTES bytes (at a space when one is near). */
static size_t head_end(const char *t, size_t a, size_t b)
{
	size_t lines = 0, i = a;

	while (i < b && i - a < HEAD_BYTES) {
		if (t[i] == '\n' && ++lines == HEAD_LINES)
			return i;
		i++;
	}
	if (i >= b)
		return b;
	for (size_t k = i; k > a + HEAD_BYTES * 2 / 3; k--)
		if (t[k] == ' ')
			return k;
	return char_start(t, i);
}

/* Where the tail of [a, b) starts. */
static size_t tail_start(const char *t, size_t a, size_t b)
{
	size_t lines = 0, i = b;

	while (i > a && b - i < TAIL_BYTES) {
		if (t[i - 1] == '\n' && ++lines == TAIL_LINES)
			return i;
		i--;
	}
	if (i <= a)
		return a;
	for (size_t k = i; k < b - TAIL_BYTES * 2 / 3; k++)
		if (t[k] == ' ')
			return k + 1;
	return char_start(t, i);
}

static size_t count_lines(const char *t, size_t a, size_t b)
{
	size_t n = 1;

	for (size_t i = a; i < b; i++)
		n += t[i] == '\n';
	return n;
}

/* One block of text, folded when long. */
static void block(const show *s, const char *t, size_t a, size_t b,
		  const marks *m)
{
	pen p = { s, t, m, 0, false, true };
	size_t lines = count_lines(t, a, b);

	while (p.mi < m->n && m->v[p.mi].end <= a)
		p.mi++;
	if (s->full || (lines <= FOLD_LINES && b - a <= FOLD_BYTES)) {
		pen_write(&p, a, b);
		pen_end(&p);
		return;
	}
	{
		size_t he = head_end(t, a, b), ts = tail_start(t, he, b);

		pen_write(&p, a, he);
		pen_end(&p);
		if (ts > he) {
			sgr(s, DIM);
			out_puts("    \xe2\x8b\xaf folded: ");
			out_count(count_lines(t, he, ts) - 1);
			out_puts(" line breaks, ");
			out_count(ts - he);
			out_puts(" bytes (--full shows them) \xe2\x8b\xaf");
			sgr(s, RESET);
			out_puts("\n");
		}
		while (p.mi < m->n && m->v[p.mi].end <= ts)
			p.mi++;
		p.line_start = true;
		pen_write(&p, ts, b);
		pen_end(&p);
	}
}

/* The distinct marker texts of [a, b), lower-cased ASCII, with counts:
 * what a reader of a black-and-white page sees highlighted. */
static void marker_list(const char *t, const marks *m, size_t a, size_t b)
{
	enum { MAXW = 8 };
	struct {
		char w[40];
		size_t n;
	} seen[MAXW];
	size_t nseen = 0, more = 0;

	for (size_t i = 0; i < m->n; i++) {
		size_t s = m->v[i].start, e = m->v[i].end, k, len;
		char w[40];

		if (s < a || s >= b)
			continue;
		len = e - s < sizeof w - 1 ? e - s : sizeof w - 1;
		len = char_start(t, s + len) - s;
		for (k = 0; k < len; k++) {
			char c = t[s + k];

			w[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 :
				      (c == '\n' || c == '\r' ||
				       c == '\t') ? ' ' : c);
			if ((unsigned char)w[k] < 0x20)
				w[k] = ' ';
		}
		w[len] = '\0';
		for (k = 0; k < nseen && strcmp(seen[k].w, w); k++)
			;
		if (k < nseen) {
			seen[k].n++;
		} else if (nseen < MAXW) {
			memcpy(seen[nseen].w, w, len + 1);
			seen[nseen++].n = 1;
		} else {
			more++;
		}
	}
	for (size_t k = 0; k < nseen; k++) {
		out_puts(k ? ", \"" : " \xc2\xb7 \"");
		out_safe_cstr(seen[k].w);
		out_puts("\"");
		if (seen[k].n > 1) {
			out_puts(" \xc3\x97");
			out_count(seen[k].n);
		}
	}
	if (more)
		out_puts(", ...");
}

/* ---- one trace ---- */

/* A string value from the record, at most max bytes (cut between
 * characters), made safe for a terminal: a model name can hold an
 * escape sequence as well as a trace can. */
static void out_value(const cot_value *v, size_t max)
{
	size_t n = v->len;

	if (n > max)
		n = char_start(v->s, max);
	out_safe(v->s, n);
}

static void header(run *r, const show *s, const where *w, uint64_t line,
		   size_t t)
{
	static const char *const flags[][3] = {
		{ "tagged", "tagged", "untagged" },
		{ "closed", "closed", "unterminated" },
		{ "prefilled", "prefilled", NULL },
	};
	cot_value v;
	char buf[64];

	sgr(s, BOLD);
	out_puts("\xe2\x94\x80\xe2\x94\x80 ");
	out_safe_cstr(w->name);
	snprintf(buf, sizeof buf, ":%llu", (unsigned long long)line);
	out_puts(buf);
	sgr(s, RESET);
	out_puts(" \xc2\xb7 record ");
	out_count(s->record);
	out_puts(" \xc2\xb7 trace ");
	out_count(t);
	out_puts(" of ");
	out_count(cot_result_traces(r->res));
	out_puts("\n");
	if (field(r, t, "format", &v) && v.type == COT_TYPE_STRING) {
		out_puts("format ");
		out_value(&v, v.len);
	}
	if (field(r, t, "dialect", &v) && v.type == COT_TYPE_STRING) {
		out_puts(" \xc2\xb7 dialect ");
		out_value(&v, v.len);
	}
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
		/* the state of each, but prefilled only when it is */
		if (!field(r, t, flags[i][0], &v) || v.type != COT_TYPE_BOOL ||
		    !(v.b ? flags[i][1] : flags[i][2]))
			continue;
		out_puts(" \xc2\xb7 ");
		out_puts(v.b ? flags[i][1] : flags[i][2]);
	}
	if (field(r, t, "model", &v) && v.type == COT_TYPE_STRING) {
		out_puts(" \xc2\xb7 model ");
		out_value(&v, 60);
	}
	out_puts("\nreasoning ");
	out_counted(field_int(r, t, "think.words"), " word");
	out_puts(", ");
	out_counted(field_int(r, t, "think.bytes"), " byte");
	out_puts(" \xc2\xb7 ");
	out_counted(field_int(r, t, "steps"), " paragraph");
	out_puts(", ");
	out_counted(field_int(r, t, "structure.sentences"), " sentence");
	out_puts(", ");
	out_counted(field_int(r, t, "structure.thoughts"), " thought");
	out_puts("\nanswer ");
	out_counted(field_int(r, t, "answer.words"), " word");
	if (field(r, t, "answer_extracted", &v) &&
	    v.type == COT_TYPE_STRING) {
		out_puts(" \xc2\xb7 boxed ");
		out_json_str(v.s, v.len < 80 ? v.len : 80);
	}
	if (field(r, t, "finish_reason", &v) && v.type == COT_TYPE_STRING) {
		out_puts(" \xc2\xb7 finish ");
		out_value(&v, 40);
	}
	if (field(r, t, "status", &v) && v.type == COT_TYPE_STRING) {
		out_puts(" \xc2\xb7 status ");
		sgr(s, BOLD);
		out_value(&v, 40);
		sgr(s, RESET);
	}
	out_puts("\n");
}

/* "name n · name n" of the non-zero INT fields PREFIX*SUFFIX. */
static void summary_line(run *r, const show *s, size_t t, const char *title,
			 const char *prefix, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	bool any = false;

	for (size_t i = 0; i < cot_field_count(r->az); i++) {
		const cot_field_info *f = cot_field_at(r->az, i);
		size_t nl = strlen(f->name);
		cot_value v;

		if (f->type != COT_TYPE_INT || nl <= pl + sl ||
		    strncmp(f->name, prefix, pl) ||
		    strcmp(f->name + nl - sl, suffix) ||
		    cot_result_get(&v, r->res, t, i, NULL) ||
		    v.type != COT_TYPE_INT || v.i <= 0)
			continue;
		if (!any) {
			sgr(s, DIM);
			out_puts(title);
			sgr(s, RESET);
		}
		out_puts(any ? " \xc2\xb7 " : " ");
		/* a family name comes from a user's pattern file */
		out_safe(f->name + pl, nl - pl - sl);
		out_puts(" ");
		out_count((uint64_t)v.i);
		any = true;
	}
	if (any)
		out_puts("\n");
}

static void render(run *r, show *s, const where *w, uint64_t line,
		   size_t t)
{
	static marks m;
	size_t n = cot_result_step_count(r->res, t, s->by), len, alen;
	const char *text = cot_result_reasoning(r->res, t, &len);
	const char *ans = cot_result_answer(r->res, t, &alen);
	marks none = { NULL, 0, 0 };
	cot_error err;

	build_marks(r, t, &m);
	if (s->shown)
		out_puts("\n");
	header(r, s, w, line, t);
	if (n == 0)
		out_puts("\n(no reasoning)\n");
	for (size_t k = 0; k < n; k++) {
		cot_step st;

		if (cot_result_step(&st, r->res, t, s->by, k, &err)) {
			diag("%s:%llu: %s", w->name,
			     (unsigned long long)line, err.message);
			status_at_least(r, EXIT_USAGE);
			return;
		}
		out_puts("\n");
		sgr(s, BOLD);
		out_puts("[");
		out_count(k + 1);
		out_puts("]");
		sgr(s, RESET);
		out_puts(" ");
		sgr(s, fn_color[st.function]);
		out_puts(st.label);
		sgr(s, RESET);
		sgr(s, DIM);
		out_puts(" \xc2\xb7 ");
		out_counted(st.words, " word");
		sgr(s, RESET);
		marker_list(text, &m, st.start, st.end);
		out_puts("\n");
		block(s, text, st.start, st.end, &m);
	}
	out_puts("\n");
	sgr(s, BOLD);
	out_puts("\xe2\x94\x80\xe2\x94\x80 answer");
	sgr(s, RESET);
	out_puts("\n");
	{
		size_t a = 0, b = alen;

		while (a < b && strchr(" \t\r\n", ans[a]))
			a++;
		while (b > a && strchr(" \t\r\n", ans[b - 1]))
			b--;
		if (a == b)
			out_puts("    (none)\n");
		else
			block(s, ans, a, b, &none);
	}
	out_puts("\n");
	summary_line(r, s, t, "functions", "functions.", "");
	summary_line(r, s, t, "families", "families.", ".count");
	s->shown++;
}

static void show_unit(run *r, const where *w, const cot_unit *u, void *p)
{
	show *s = p;

	for (size_t i = 0; i < cot_unit_records(u); i++) {
		cot_record_span rs;
		size_t n;

		s->record++;
		r->n.records++;
		if (s->record < s->want_record || (s->past && !s->all))
			continue;
		rs = unit_record(u, i);
		if (!run_analyze(r, w, u, i))
			continue;
		n = cot_result_traces(r->res);
		if (s->want_record && s->record == s->want_record)
			s->traces_there = n;
		for (size_t t = 0; t < n; t++) {
			cot_value v;
			cot_error err;

			if (s->want_trace >= 0 && (size_t)s->want_trace != t)
				continue;
			if (s->where) {
				if (cot_expr_eval(&v, s->where, r->res, t,
						  &err)) {
					diag("%s:%llu: --where: %s",
					     w->name,
					     (unsigned long long)rs.line,
					     err.message);
					status_at_least(r, EXIT_EXPR);
					continue;
				}
				if (v.type != COT_TYPE_BOOL || !v.b)
					continue;
			}
			render(r, s, w, rs.line, t);
			if (!s->all)
				break;
		}
		if (s->want_record && !s->where && s->record >= s->want_record)
			s->past = true;
		if (s->shown && !s->all) {
			/* seen what was asked for: the rest of the input
			 * is not read */
			out_flush();
			exit(r->status);
		}
	}
}

int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "trace", required_argument, NULL, 't' },
		{ "where", required_argument, NULL, 'w' },
		{ "all", no_argument, NULL, 'a' },
		{ "by", required_argument, NULL, 'b' },
		{ "full", no_argument, NULL, 'f' },
		{ "color", required_argument, NULL, 'c' },
		{ "colour", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	show s = { .by = COT_BY_PARAGRAPH, .want_trace = -1 };
	const char *color = "auto", *where_src = NULL,
		   *nc = getenv("NO_COLOR");
	run r;
	int c;

	run_init(&r, "show", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hq", longopts, NULL)) != -1) {
		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'r':
			if (!option_number(optarg, 1, UINT64_MAX,
					   &s.want_record))
				usage_error("show", "--record takes a number "
					    "from 1, not '%s'", optarg);
			break;
		case 't': {
			uint64_t t;

			if (!option_number(optarg, 0, LONG_MAX, &t))
				usage_error("show", "--trace takes a number "
					    "from 0, not '%s'", optarg);
			s.want_trace = (long)t;
			break;
		}
		case 'w':
			where_src = optarg;
			break;
		case 'a':
			s.all = true;
			break;
		case 'b':
			s.by = by_option("show", optarg);
			break;
		case 'f':
			s.full = true;
			break;
		case 'c':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always")
			    && strcmp(optarg, "never"))
				usage_error("show", "--color takes auto, "
					    "always or never, not '%s'",
					    optarg);
			color = optarg;
			break;
		}
	}
	s.color = !strcmp(color, "always") ||
		  (!strcmp(color, "auto") && isatty(STDOUT_FILENO));
	if (nc && *nc)
		s.color = false;	/* https://no-color.org */
	run_start(&r);
	if (where_src) {
		cot_error err;

		if (cot_expr_compile(&s.where, r.az, where_src, &err)) {
			show_expr_error(where_src, &err);
			run_finish(&r);
			return err.code == COT_ENOMEM ? EXIT_USAGE : EXIT_EXPR;
		}
	}
	job j = { show_unit, &s, NULL, NULL, NULL };

	run_files(&r, argv + optind, argc - optind, &j);
	out_flush();
	if (!s.shown) {
		if (where_src)
			diag("no trace matched --where");
		else if (s.want_record && s.record < s.want_record)
			diag("no record %llu: the input has %llu",
			     (unsigned long long)s.want_record,
			     (unsigned long long)s.record);
		else if (s.want_record)
			diag("record %llu has %zu trace%s",
			     (unsigned long long)s.want_record,
			     s.traces_there, s.traces_there == 1 ? "" : "s");
		else
			diag("no trace in the input");
		status_at_least(&r, EXIT_NONE_KEPT);
	}
	cot_expr_free(s.where);
	run_finish(&r);
	return r.status;
}
