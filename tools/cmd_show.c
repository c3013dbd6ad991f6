/* cmd_show.c - one trace for a person: header, numbered steps with their
 * labels, markers highlighted, loops and long steps folded, lines wrapped
 * with a hanging indent, through a pager on a terminal. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tool.h"

static const char *const usage[] = {
"Usage: cotlog show [--record N] [--trace I] [--where EXPR] [--all]\n"
"                   [--by paragraph|sentence|thought] [--full] [--no-fold]\n"
"                   [--width N] [--no-pager] [--color auto|always|never]\n"
"                   [INPUT OPTIONS] [FILE...]\n"
"\n"
"Show one trace to a person: where it comes from, its format, lengths,\n"
"reference answer and verdict, status and the rule that set it, and its\n"
"loop; then its steps numbered with their step functions (the\n"
"rule-based Thought Anchors labels, see the README), pattern markers\n"
"highlighted (and listed in each step's heading), loops marked and\n"
"folded, long steps folded, then the answer and the trace's label and\n"
"family counts.\n"
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
"  --no-fold            do not fold loops: show every period\n"
"  --width N            wrap the text at N columns (0: do not wrap; else\n"
"                       20 or more); default: COLUMNS, else the\n"
"                       terminal's width, else 80\n"
"  --no-pager           do not start a pager\n"
"  --color WHEN         auto (the default: colour when standard output\n"
"                       is a terminal), always (for 'less -R'), never;\n"
"                       NO_COLOR set to anything but \"\" means never\n",
INPUT_OPTIONS_HELP,
"  -h, --help           show this help\n"
"\n"
"Loops: every loop of the reasoning (loop.all) is marked by a line where\n"
"it starts and a bar in the margin of its lines; folded, its first\n"
"period is shown, then a line saying how many more times it repeats and\n"
"how many words that is, and the text goes on at the loop's end\n"
"(loop.start + loop.period to loop.end are left out, byte for byte).\n"
"\n"
"Long steps: a step is folded when it has more than 12 lines or 1,500\n"
"bytes: its first lines (at most 6 lines, 600 bytes) and last ones (2\n"
"lines, 300 bytes) are shown.\n"
"\n"
"Lines of the text are wrapped at spaces (a word longer than a line is\n"
"cut between characters); a continuation line starts under the text of\n"
"the line it continues, after its leading spaces and list marker (-, *,\n"
"+, a bullet, 1. or 1)), or at the indent when that is past half the\n"
"width. The label and family counts wrap between two counts; the header\n"
"and the loop's lines are not wrapped.\n"
"\n"
"Pager: when standard output is a terminal the output goes through\n"
"$PAGER, run by /bin/sh -c, or 'less -R' when PAGER is unset; PAGER set\n"
"to \"\" or cat means none. LESS, when unset, is set to FRX for it (as\n"
"git does: less quits at once when the output fits on the screen).\n"
"Standard error goes through the pager too when it is a terminal.\n"
"Colour stays on. A pager the shell does not find (command -v) is not\n"
"used: the output is written directly. Quitting the pager early ends\n"
"show with status 0; show waits for the pager before it exits.\n"
"\n"
"Control characters (and bytes that are not UTF-8) of the text, the\n"
"header's fields, file names and pattern names are shown as U+FFFD, so\n"
"the data cannot drive the terminal; the only escape sequences written\n"
"are show's own colours. Example: cotlog show --color always --record 7\n"
"data.jsonl | less -R\n"
"\n"
"Exit status: 0 shown; 1 no such record or trace, or none matched\n"
"--where; 2 usage error, unreadable input or write error; 3 invalid\n"
"expression or pattern; 4 some records were malformed (reported).\n",
NULL };

enum { FOLD_LINES = 12, FOLD_BYTES = 1500, HEAD_LINES = 6,
       HEAD_BYTES = 600, TAIL_LINES = 2, TAIL_BYTES = 300 };

/* The text's indent, and the narrowest wrapping width taken: below it a
 * line would hold a word or two. */
enum { INDENT = 4, MIN_WIDTH = 20, MAX_WIDTH = 100000 };

typedef struct show {
	bool color, full, all, no_fold;
	size_t width;		/* 0: no wrapping */
	bool page;		/* a pager is wanted (standard output is a
				 * terminal, no --no-pager) */
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

/* The columns out_count takes for v. */
static size_t count_cols(uint64_t v)
{
	size_t digits = 1;

	while (v >= 10) {
		v /= 10;
		digits++;
	}
	return digits + (digits - 1) / 3;
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

/* An INT field, -1 when null or missing. */
static int64_t field_sint(run *r, size_t t, const char *name)
{
	cot_value v;

	return field(r, t, name, &v) && v.type == COT_TYPE_INT && v.i >= 0 ?
	       v.i : -1;
}

/* ---- the pager ---- */

static pid_t pager_pid = -1;
static bool pager_has_stderr;	/* standard error goes to it as well */

/* Whether the program cmd names can be run: the shell's answer to
 * 'command -v' for its first word (a program on PATH, a builtin such as
 * exec). A command with shell syntax in it is the shell's to judge:
 * true. Without this a missing pager would take the output with it (sh
 * says "not found" and the pipe closes). */
static bool pager_findable(const char *cmd)
{
	char word[4096];
	size_t n;
	pid_t pid;
	int st;

	if (cmd[strcspn(cmd, "|&;<>()$`\\\"'*?[]#~=%{}\n")])
		return true;
	cmd += strspn(cmd, " \t");
	n = strcspn(cmd, " \t");
	if (n >= sizeof word)
		return true;
	memcpy(word, cmd, n);
	word[n] = '\0';
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execl("/bin/sh", "sh", "-c", "command -v \"$1\"", "sh", word,
		      (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Close our ends of the pipe and wait for the pager: the shell must not
 * take the terminal back while it is still drawing. Safe in a signal
 * handler. */
static void pager_close_wait(void)
{
	pid_t pid = pager_pid;

	if (pid < 0)
		return;
	pager_pid = -1;
	close(STDOUT_FILENO);
	if (pager_has_stderr)
		close(STDERR_FILENO);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* The normal end: the output complete, an interrupt now is the pager's
 * business (less takes ^C to stop a search). */
static void pager_end(void)
{
	if (pager_pid < 0)
		return;
	out_flush();
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pager_close_wait();
}

static void pager_signal(int sig)
{
	pager_close_wait();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Start the pager and make it our standard output (and standard error,
 * when that is the terminal too), as git does; false, writing directly,
 * when there is none to start. */
static bool pager_start(run *r)
{
	const char *cmd = getenv("PAGER");
	int fd[2];
	bool err_too = isatty(STDERR_FILENO);
	pid_t pid;

	if (!cmd)
		cmd = "less -R";
	if (!cmd[strspn(cmd, " \t")] || !strcmp(cmd, "cat"))
		return false;
	if (!pager_findable(cmd)) {
		/* less is not everywhere: say nothing unless it was asked */
		if (getenv("PAGER"))
			diag("cannot run the pager '%s': not found; writing "
			     "directly", cmd);
		return false;
	}
	if (pipe(fd) != 0)
		return false;
	out_flush();
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return false;
	}
	if (pid == 0) {
		dup2(fd[0], STDIN_FILENO);
		close(fd[0]);
		close(fd[1]);
		/* show's own SIGPIPE setting is no business of the pager */
		signal(SIGPIPE, SIG_DFL);
		setenv("LESS", "FRX", 0);
		setenv("LV", "-c", 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	if (r->progress_shown)
		fputs("\r\033[K", stderr);	/* the progress line goes */
	r->progress_on = r->progress_shown = false;
	dup2(fd[1], STDOUT_FILENO);
	if (err_too)
		dup2(fd[1], STDERR_FILENO);
	pager_has_stderr = err_too;
	close(fd[1]);
	pager_pid = pid;
	/* every way out waits for it: exit(), a pager that quit (EPIPE),
	 * a signal */
	atexit(pager_end);
	out_closed_hook = pager_close_wait;
	signal(SIGINT, pager_signal);
	signal(SIGTERM, pager_signal);
	signal(SIGHUP, pager_signal);
	signal(SIGQUIT, pager_signal);
	return true;
}

/* ---- text ---- */

#define LOOP_SGR "\x1b[1;33m"	/* loop marks: bold yellow */

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

/* The first mark ending after a: the marks are disjoint and in order,
 * so their ends are too. */
static size_t first_mark(const marks *m, size_t a)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].end <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Columns a character takes on a terminal, as wcwidth(3) has them for
 * the main ranges but without depending on the locale: 0 for combining
 * marks and zero-width characters, 2 for East Asian wide ones (CJK,
 * Hangul, full-width forms, emoji), else 1. */
static size_t char_cols(uint32_t c)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0e31, 0x0e31 },
		{ 0x0e34, 0x0e3a }, { 0x0e47, 0x0e4e }, { 0x1ab0, 0x1aff },
		{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x202a, 0x202e },
		{ 0x2060, 0x2064 }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff }, { 0xe0100, 0xe01ef },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
		{ 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
		{ 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 },
		{ 0xf900, 0xfaff }, { 0xfe30, 0xfe4f }, { 0xff00, 0xff60 },
		{ 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff },
		{ 0x20000, 0x3fffd },
	};

	if (c < 0x300)
		return 1;
	for (size_t i = 0; i < sizeof zero / sizeof *zero; i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return 0;
	for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

/* The column after the character at t[i] (*len bytes) written at column
 * col, as pen_write writes it: a TAB to the next multiple of 8, CR
 * dropped, a character that is not safe as U+FFFD. */
static size_t advance(const char *t, size_t i, size_t b, size_t col,
		      size_t *len)
{
	uint32_t cp;
	bool safe;

	*len = term_char(t + i, b - i, &safe);
	if (t[i] == '\t')
		return (col / 8 + 1) * 8;
	if (t[i] == '\r')
		return col;
	if (!safe)
		return col + 1;
	cot_utf8_next(t + i, b - i, &cp);
	return col + char_cols(cp);
}

/* Where the text of the line t[a..b) starts after its leading white
 * space and list marker (-, *, +, a bullet, 1. or 1) and the spaces
 * after it): its continuation lines start under that. */
static size_t lead_end(const char *t, size_t a, size_t b)
{
	size_t i = a, k;

	while (i < b && (t[i] == ' ' || t[i] == '\t'))
		i++;
	k = i;
	if (k < b && (t[k] == '-' || t[k] == '*' || t[k] == '+')) {
		k++;
	} else if (b - k >= 3 && !memcmp(t + k, "\xe2\x80\xa2", 3)) {
		k += 3;
	} else {
		size_t d = k;

		while (d < b && d - k < 3 && t[d] >= '0' && t[d] <= '9')
			d++;
		if (d > k && d < b && (t[d] == '.' || t[d] == ')'))
			k = d + 1;
	}
	if (k == i || k >= b || t[k] != ' ')
		return i;	/* no marker: "-5 is", "3.14" */
	while (k < b && t[k] == ' ')
		k++;
	return k;
}

/* Writes text with the margin at each line start, wrapped, highlights,
 * and the terminal kept safe. */
typedef struct pen {
	const show *s;
	const char *text;
	const marks *m;
	size_t mi;		/* the next mark that may apply */
	bool in_mark;
	bool line_start;
	bool gutter;		/* in a loop: a bar in the margin */
	bool cont;		/* the next line continues a wrapped one */
	size_t hang;		/* the column continuation lines start at */
} pen;

/* The margin of a line of text: the indent, or a bar inside a loop
 * (without the space after it on an empty line). */
static void margin(const show *s, bool gutter, bool empty)
{
	if (!gutter) {
		if (!empty)
			out_puts("    ");
		return;
	}
	sgr(s, LOOP_SGR);
	out_puts(empty ? "  \xe2\x94\x82" : "  \xe2\x94\x82 ");
	sgr(s, RESET);
}

static void spaces(size_t n)
{
	static const char sp[] = "                                ";

	for (; n > sizeof sp - 1; n -= sizeof sp - 1)
		out_write(sp, sizeof sp - 1);
	out_write(sp, n);
}

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
	margin(p->s, p->gutter, false);
	if (p->cont && p->hang > INDENT)
		spaces(p->hang - INDENT);
	p->line_start = p->cont = false;
	if (p->in_mark && at < p->m->v[p->mi].end)
		sgr(p->s, p->m->v[p->mi].sgr);
}

/* Write text[a..b), a part of one line. */
static void pen_write(pen *p, size_t a, size_t b)
{
	const unsigned char *t = (const unsigned char *)p->text;
	size_t run_start = a;

	if (p->line_start) {
		/* a mark that ended in the spaces a wrap took out: its
		 * colour was reset at the line end already */
		while (p->mi < p->m->n && p->m->v[p->mi].end <= a) {
			p->in_mark = false;
			p->mi++;
		}
	}
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

/* Write the line text[a..b) (no LF in it), wrapped at the width: at the
 * start of a run of spaces (they go), else between two characters when
 * one word is wider than the line; continuation lines start at the
 * column of the line's text (hanging indent), or at the indent when
 * that is past half the width. */
static void pen_line(pen *p, size_t a, size_t b)
{
	const char *t = p->text;
	size_t width = p->s->width, lead, col = INDENT, i = a, len;

	if (!width) {
		pen_write(p, a, b);
		return;
	}
	lead = lead_end(t, a, b);
	for (size_t k = a; k < lead; k += len)
		col = advance(t, k, b, col, &len);
	p->hang = col <= width / 2 ? col : INDENT;
	col = INDENT;
	while (i < b) {
		size_t j = i, brk = i, next = i, end;

		while (j < b) {
			size_t c2;

			if (t[j] == ' ' && j > i && t[j - 1] != ' ' &&
			    j > lead) {
				brk = j;	/* the last place to break */
				for (next = j; next < b && t[next] == ' ';)
					next++;
			}
			c2 = advance(t, j, b, col, &len);
			if (c2 > width && j > i)
				break;
			col = c2;
			j += len;
		}
		if (j >= b) {
			pen_write(p, i, b);
			return;
		}
		if (brk > i) {
			end = brk;
		} else {
			/* one word fills the line: cut it at j, a character
			 * boundary (term_char's steps) */
			end = next = j;
			while (next < b && t[next] == ' ')
				next++;
		}
		pen_write(p, i, end);
		if (next >= b)
			return;	/* only spaces were left */
		pen_newline(p);
		p->cont = true;
		col = p->hang;
		i = next;
	}
}

/* Write text[a..b), lines of it. */
static void pen_text(pen *p, size_t a, size_t b)
{
	while (a < b) {
		const char *nl = memchr(p->text + a, '\n', b - a);
		size_t e = nl ? (size_t)(nl - p->text) : b;

		if (e == a && p->line_start && p->gutter)
			margin(p->s, true, true);	/* the bar goes on */
		pen_line(p, a, e);
		if (!nl)
			break;
		pen_newline(p);
		a = e + 1;
	}
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

/* One block of text, folded when long; gutter: it is inside a loop. */
static void block(const show *s, const char *t, size_t a, size_t b,
		  const marks *m, bool gutter)
{
	pen p = { s, t, m, first_mark(m, a), false, true, gutter, false,
		  INDENT };
	size_t lines = count_lines(t, a, b);

	if (s->full || (lines <= FOLD_LINES && b - a <= FOLD_BYTES)) {
		pen_text(&p, a, b);
		pen_end(&p);
		return;
	}
	{
		size_t he = head_end(t, a, b), ts = tail_start(t, he, b);

		pen_text(&p, a, he);
		pen_end(&p);
		if (ts > he) {
			margin(s, gutter, false);
			sgr(s, DIM);
			out_puts("\xe2\x8b\xaf folded: ");
			out_count(count_lines(t, he, ts) - 1);
			out_puts(" line breaks, ");
			out_count(ts - he);
			out_puts(" bytes (--full shows them) \xe2\x8b\xaf");
			sgr(s, RESET);
			out_puts("\n");
		}
		p.mi = first_mark(m, ts);
		p.in_mark = false;
		p.line_start = true;
		pen_text(&p, ts, b);
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

/* ---- loops ---- */

typedef struct loop {
	size_t start, fold, end;	/* fold: one period after start */
	uint64_t period, period_words, repeats;
	bool tail;
	bool cut;		/* a cut period follows the whole ones */
} loop;

typedef struct loops {
	loop *v;
	size_t n, cap;
} loops;

/* Unicode white space as Python's str.split() takes it, by which
 * loop.period_words counts words. */
static bool py_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) ||
	       c == 0x85 || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	       c == 0x202f || c == 0x205f || c == 0x3000;
}

static uint64_t count_words(const char *t, size_t a, size_t b)
{
	uint64_t n = 0;
	bool in = false;

	for (size_t i = a; i < b;) {
		uint32_t cp;
		size_t len = cot_utf8_next(t + i, b - i, &cp);
		bool sp = py_space(cp);

		n += !sp && !in;
		in = !sp;
		i += len;
	}
	return n;
}

/* A loop as the profile gives it, when it makes sense for this text
 * (in it, after the one before, a period within it). */
static void loop_add(loops *L, const char *t, size_t len, int64_t start,
		     int64_t end, int64_t period, int64_t words,
		     int64_t repeats, bool tail)
{
	loop l;
	uint64_t whole;

	if (start < 0 || period <= 0 || repeats <= 0 || words < 0 ||
	    end > (int64_t)len || period > end - start ||
	    (L->n && (size_t)start < L->v[L->n - 1].end))
		return;
	/* the offsets are at words; were they not, no character is cut
	 * (and the end of the text is no character to look into) */
	l.start = char_start(t, (size_t)start);
	l.fold = (size_t)(start + period) == len ? len :
		 char_start(t, (size_t)(start + period));
	l.end = (size_t)end == len ? len : char_start(t, (size_t)end);
	if (l.fold <= l.start || l.end < l.fold)
		return;
	l.period = (uint64_t)period;
	l.period_words = (uint64_t)words;
	l.repeats = (uint64_t)repeats;
	l.tail = tail;
	whole = l.start + l.period * l.repeats;
	l.cut = whole < l.end && count_words(t, whole, l.end) > 0;
	if (L->n == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 4;
		L->v = realloc(L->v, L->cap * sizeof *L->v);
		if (!L->v) {
			diag("out of memory");
			exit(EXIT_USAGE);
		}
	}
	L->v[L->n++] = l;
}

static int64_t json_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

/* Every loop of the reasoning: loop.all, or loop.* alone when that
 * cannot be read. */
static void read_loops(run *r, size_t t, const char *text, size_t len,
		       loops *L)
{
	cot_value v;

	L->n = 0;
	if (!field(r, t, "loop.found", &v) || v.type != COT_TYPE_BOOL || !v.b)
		return;
	if (field(r, t, "loop.all", &v) && v.type == COT_TYPE_JSON) {
		json_t *a = json_loadb(v.s, v.len, 0, NULL), *o;
		size_t i;

		json_array_foreach(a, i, o)
			loop_add(L, text, len, json_int(o, "start"),
				 json_int(o, "end"), json_int(o, "period"),
				 json_int(o, "period_words"),
				 json_int(o, "repeats"),
				 json_is_true(json_object_get(o, "tail")));
		json_decref(a);
		if (L->n)
			return;
	}
	loop_add(L, text, len, field_sint(r, t, "loop.start"),
		 field_sint(r, t, "loop.end"), field_sint(r, t, "loop.period"),
		 field_sint(r, t, "loop.period_words"),
		 field_sint(r, t, "loop.repeats"),
		 field(r, t, "loop.tail", &v) && v.type == COT_TYPE_BOOL &&
		 v.b);
}

/* The places in the reasoning where the output changes: a loop starts
 * (a line says so, a bar in the margin from there), its folded part
 * starts (a line says what is left out) and ends, or, not folded, the
 * loop ends. In text order. */
typedef enum { CUT_OPEN, CUT_FOLD, CUT_UNFOLD, CUT_CLOSE } cut_kind;

typedef struct cut {
	size_t off;
	cut_kind kind;
	const loop *l;
} cut;

typedef struct view {
	const show *s;
	const char *text;
	const marks *m;
	cut *cuts;
	size_t n, next;		/* the cuts and the next to apply */
	bool hidden;		/* in the folded part of a loop */
	bool in_loop;		/* in a loop that is shown */
} view;

static void loop_line(const show *s, const char *corner)
{
	sgr(s, LOOP_SGR);
	out_puts(corner);
	out_puts(" \xe2\x9f\xb2 ");	/* ⟲ */
}

/* " and part of one more, to the end of the reasoning" */
static void loop_cut_tail(const loop *l)
{
	if (l->cut)
		out_puts(" and part of one more");
	if (l->tail)
		out_puts(", to the end of the reasoning");
}

static void apply_cut(view *v, const cut *c)
{
	const show *s = v->s;
	const loop *l = c->l;

	switch (c->kind) {
	case CUT_OPEN:
		loop_line(s, "  \xe2\x95\xad");	/* ╭ */
		out_puts("loop: a period of ");
		out_counted(l->period_words, " word");
		out_puts(" (");
		out_counted(l->period, " byte");
		out_puts(") repeated ");
		out_count(l->repeats);
		out_puts(l->repeats == 1 ? " time" : " times");
		loop_cut_tail(l);
		sgr(s, RESET);
		out_puts("\n");
		v->in_loop = true;
		break;
	case CUT_FOLD:
		loop_line(s, "  \xe2\x95\xb0");	/* ╰ */
		out_puts("repeats ");
		out_count(l->repeats - 1);
		out_puts(l->repeats == 2 ? " more time" : " more times");
		loop_cut_tail(l);
		out_puts(" (");
		out_counted(count_words(v->text, l->fold, l->end), " word");
		out_puts(") \xe2\x80\x94 --no-fold shows them");
		sgr(s, RESET);
		out_puts("\n");
		v->hidden = true;
		v->in_loop = false;
		break;
	case CUT_UNFOLD:
		v->hidden = false;
		break;
	case CUT_CLOSE:
		loop_line(s, "  \xe2\x95\xb0");
		out_puts("end of the loop: ");
		out_count(l->repeats);
		out_puts(l->repeats == 1 ? " period" : " periods");
		loop_cut_tail(l);
		out_puts(" (");
		out_counted(count_words(v->text, l->start, l->end), " word");
		out_puts(")");
		sgr(s, RESET);
		out_puts("\n");
		v->in_loop = false;
		break;
	}
}

static void build_cuts(view *v, const loops *L)
{
	static cut *cuts;
	static size_t cap;

	if (cap < 3 * L->n) {
		cap = 3 * L->n;
		cuts = realloc(cuts, cap * sizeof *cuts);
		if (!cuts) {
			diag("out of memory");
			exit(EXIT_USAGE);
		}
	}
	v->n = v->next = 0;
	for (size_t i = 0; i < L->n; i++) {
		const loop *l = &L->v[i];

		cuts[v->n++] = (cut){ l->start, CUT_OPEN, l };
		if (v->s->no_fold) {
			cuts[v->n++] = (cut){ l->end, CUT_CLOSE, l };
		} else {
			cuts[v->n++] = (cut){ l->fold, CUT_FOLD, l };
			cuts[v->n++] = (cut){ l->end, CUT_UNFOLD, l };
		}
	}
	v->cuts = cuts;
	v->hidden = v->in_loop = false;
}

/* Apply the cuts before a step that starts at s: the end of a loop or
 * of its folded part, and where the folded part starts. A loop that
 * starts there is opened under the step's heading. */
static void cuts_before(view *v, size_t s)
{
	while (v->next < v->n) {
		const cut *c = &v->cuts[v->next];

		if (c->off > s || (c->off == s && c->kind == CUT_OPEN))
			break;
		apply_cut(v, c);
		v->next++;
	}
}

/* Whether the step ending at e is all in the folded part of a loop. */
static bool folded_away(const view *v, size_t e)
{
	return v->hidden &&
	       (v->next >= v->n || v->cuts[v->next].off >= e);
}

/* The text of a step, [a, b): the parts that are not folded away, the
 * loop lines between them. */
static void step_text(view *v, size_t a, size_t b)
{
	size_t pos = a;

	while (v->next < v->n) {
		const cut *c = &v->cuts[v->next];

		if (c->off > b || (c->off == b && (c->kind == CUT_OPEN ||
						    c->kind == CUT_FOLD)))
			break;
		if (!v->hidden && c->off > pos)
			block(v->s, v->text, pos, c->off, v->m, v->in_loop);
		apply_cut(v, c);
		v->next++;
		if (c->off > pos)
			pos = c->off;
	}
	if (!v->hidden && b > pos)
		block(v->s, v->text, pos, b, v->m, v->in_loop);
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

/* The same as a JSON string (an answer, a reference: quotes show where
 * its spaces end). */
static void out_quoted(const cot_value *v, size_t max)
{
	out_json_str(v->s, v->len <= max ? v->len : char_start(v->s, max));
}

static void out_verdict(const show *s, const char *sgr_code,
			const char *word)
{
	sgr(s, sgr_code);
	out_puts(word);
	sgr(s, RESET);
}

/* reference "42" · graded correct · the record says correct */
static void header_reference(run *r, const show *s, size_t t)
{
	cot_value v;
	bool any = false;

	if (field(r, t, "ref", &v) && v.type == COT_TYPE_STRING) {
		out_puts("reference ");
		out_quoted(&v, 80);
		out_puts(" \xc2\xb7 ");
		if (field(r, t, "correct", &v) && v.type == COT_TYPE_BOOL)
			out_verdict(s, v.b ? "\x1b[1;32m" : "\x1b[1;31m",
				    v.b ? "graded correct" : "graded wrong");
		else
			out_verdict(s, DIM, "not graded");
		any = true;
	}
	if (field(r, t, "label", &v) && v.type == COT_TYPE_BOOL) {
		out_puts(any ? " \xc2\xb7 " : "");
		out_puts("the record says ");
		out_puts(v.b ? "correct" : "wrong");
		any = true;
	}
	if (any)
		out_puts("\n");
}

/* loop bytes 64 to 591 (paragraph 3) · period 16 words (66 bytes) × 8
 * · runs to the end · 1 of 2 loops */
static void header_loop(run *r, const show *s, size_t t)
{
	cot_value v;
	int64_t steps = field_sint(r, t, "loop.period_steps"),
		count = field_sint(r, t, "loop.count");

	if (!field(r, t, "loop.found", &v) || v.type != COT_TYPE_BOOL ||
	    !v.b)
		return;
	sgr(s, LOOP_SGR);
	out_puts("loop");
	sgr(s, RESET);
	out_puts(" bytes ");
	out_count(field_int(r, t, "loop.start"));
	out_puts(" to ");
	out_count(field_int(r, t, "loop.end"));
	out_puts(" (paragraph ");
	out_count(field_int(r, t, "loop.start_step") + 1);
	out_puts(") \xc2\xb7 period ");
	out_counted(field_int(r, t, "loop.period_words"), " word");
	out_puts(" (");
	out_counted(field_int(r, t, "loop.period"), " byte");
	if (steps > 0) {
		out_puts(", ");
		out_counted((uint64_t)steps, " paragraph");
	}
	out_puts(") \xc3\x97 ");
	out_count(field_int(r, t, "loop.repeats"));
	if (field(r, t, "loop.tail", &v) && v.type == COT_TYPE_BOOL && v.b)
		out_puts(" \xc2\xb7 runs to the end");
	if (count > 1) {
		out_puts(" \xc2\xb7 1 of ");
		out_count((uint64_t)count);
		out_puts(" loops");
	}
	out_puts("\n");
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
		out_quoted(&v, 80);
	}
	if (field(r, t, "finish_reason", &v) && v.type == COT_TYPE_STRING) {
		out_puts(" \xc2\xb7 finish ");
		out_value(&v, 40);
	}
	out_puts("\n");
	header_reference(r, s, t);
	if (field(r, t, "status", &v) && v.type == COT_TYPE_STRING) {
		out_puts("status ");
		sgr(s, BOLD);
		out_value(&v, 40);
		sgr(s, RESET);
		if (field(r, t, "status_rule", &v) &&
		    v.type == COT_TYPE_STRING) {
			out_puts(" \xc2\xb7 rule ");
			out_value(&v, 40);
		}
		out_puts("\n");
	}
	header_loop(r, s, t);
}

/* "name n · name n" of the non-zero INT fields PREFIX*SUFFIX. */
static void summary_line(run *r, const show *s, size_t t, const char *title,
			 const char *prefix, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), col = 0, item;
	bool any = false, some = false;

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
		/* the item's columns: its name is ASCII but for a user's
		 * family, where a byte or two too many only wraps early */
		item = nl - pl - sl + 1 + count_cols((uint64_t)v.i);
		if (!any) {
			sgr(s, DIM);
			out_puts(title);
			sgr(s, RESET);
			col = strlen(title);
		}
		if (any && s->width && col + 3 + item > s->width) {
			/* wrapped under the first item */
			out_puts("\n");
			spaces(strlen(title));
			col = strlen(title);
			any = false;
		}
		out_puts(any ? " \xc2\xb7 " : " ");
		col += any ? 3 : 1;
		/* a family name comes from a user's pattern file */
		out_safe(f->name + pl, nl - pl - sl);
		out_puts(" ");
		out_count((uint64_t)v.i);
		col += item;
		any = some = true;
	}
	if (some)
		out_puts("\n");
}

/* [3] active_computation · 12 words · "wait" ×2 */
static void step_heading(const show *s, const char *text, const marks *m,
			 size_t k, const cot_step *st)
{
	out_puts("\n");
	sgr(s, BOLD);
	out_puts("[");
	out_count(k + 1);
	out_puts("]");
	sgr(s, RESET);
	out_puts(" ");
	sgr(s, fn_color[st->function]);
	out_puts(st->label);
	sgr(s, RESET);
	sgr(s, DIM);
	out_puts(" \xc2\xb7 ");
	out_counted(st->words, " word");
	sgr(s, RESET);
	marker_list(text, m, st->start, st->end);
	out_puts("\n");
}

static void render(run *r, show *s, const where *w, uint64_t line,
		   size_t t)
{
	static marks m;
	static loops L;
	size_t n = cot_result_step_count(r->res, t, s->by), len, alen;
	const char *text = cot_result_reasoning(r->res, t, &len);
	const char *ans = cot_result_answer(r->res, t, &alen);
	marks none = { NULL, 0, 0 };
	view v = { .s = s, .text = text, .m = &m };
	cot_error err;

	if (s->page) {
		/* the first trace to show: from here on, through the pager
		 * (or written directly when it cannot start) */
		s->page = false;
		pager_start(r);
	}
	build_marks(r, t, &m);
	read_loops(r, t, text, len, &L);
	build_cuts(&v, &L);
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
		cuts_before(&v, st.start);
		if (folded_away(&v, st.end))
			continue;
		step_heading(s, text, &m, k, &st);
		step_text(&v, st.start, st.end);
	}
	/* a loop that runs past the last step's last word */
	while (v.next < v.n)
		apply_cut(&v, &v.cuts[v.next++]);
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
			block(s, ans, a, b, &none, false);
	}
	out_puts("\n");
	summary_line(r, s, t, "functions", "functions.", "");
	summary_line(r, s, t, "families", "families.", ".count");
	s->shown++;
	if (pager_pid >= 0)
		out_flush();	/* its messages come after it, in the pager */
}

/* The width to wrap at: COLUMNS, else the terminal's, else 80. */
static size_t default_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	uint64_t v;

	if (c && option_number(c, 1, MAX_WIDTH, &v))
		return v < MIN_WIDTH ? MIN_WIDTH : (size_t)v;
	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col < MIN_WIDTH ? MIN_WIDTH : ws.ws_col;
	return 80;
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
			exit(r->status);	/* waits for the pager */
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
		{ "no-fold", no_argument, NULL, 'n' },
		{ "width", required_argument, NULL, 'W' },
		{ "no-pager", no_argument, NULL, 'P' },
		{ "color", required_argument, NULL, 'c' },
		{ "colour", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	show s = { .by = COT_BY_PARAGRAPH, .want_trace = -1 };
	const char *color = "auto", *where_src = NULL,
		   *nc = getenv("NO_COLOR");
	bool no_pager = false, width_set = false;
	run r;
	int c;

	run_init(&r, "show", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqj:", longopts, NULL)) != -1) {
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
		case 'n':
			s.no_fold = true;
			break;
		case 'W': {
			uint64_t w;

			if (!option_number(optarg, 0, MAX_WIDTH, &w) ||
			    (w && w < MIN_WIDTH))
				usage_error("show", "--width takes 0 or a "
					    "number from %d to %d, not '%s'",
					    MIN_WIDTH, MAX_WIDTH, optarg);
			s.width = (size_t)w;
			width_set = true;
			break;
		}
		case 'P':
			no_pager = true;
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
	if (!width_set)
		s.width = default_width();
	/* decided now, while standard output is still the terminal */
	s.page = !no_pager && isatty(STDOUT_FILENO);
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
	pager_end();
	return r.status;
}
