/* table.c - a summary as tables for people, with sparklines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats/compare.h"
#include "stats/summary.h"

/* ---- the table for people ------------------------------------------ */

/* Columns a string takes on a terminal: its code points (UTF-8 lead
 * bytes). Wide CJK characters count one; names rarely have them. */
static int cols(const char *s, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Byte offset of code point k of s[0..n). */
static size_t cp_offset(const char *s, size_t n, int k)
{
	size_t i = 0;

	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && k-- == 0)
			break;
	return i;
}

static void raw(sb *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)	/* control characters as '?' */
		sb_add(b, (unsigned char)s[i] < 0x20 ? "?" : s + i, 1);
}

/* s in w columns, padded on the left (right aligned) or right; when
 * longer, its middle gives way to "…": names differ at their ends as
 * often as at their starts (qwen3-8b__think-off, qwen3-8b__think-on). */
static void cell(sb *b, const char *s, size_t n, int w, bool right)
{
	int c = cols(s, n), pad = c < w ? w - c : 0;

	for (int i = 0; right && i < pad; i++)
		sb_add(b, " ", 1);
	if (c <= w) {
		raw(b, s, n);
	} else {
		int head = (w - 1) / 2, tail = w - 1 - head;

		raw(b, s, cp_offset(s, n, head));
		sb_puts(b, "\u2026");
		raw(b, s + cp_offset(s, n, c - tail), n - cp_offset(s, n,
								 c - tail));
	}
	for (int i = 0; !right && i < pad; i++)
		sb_add(b, " ", 1);
}

static void cells(sb *b, const char *s, int w, bool right)
{
	cell(b, s, strlen(s), w, right);
}

/* Names are never cut short: one longer than its column goes on over
 * more lines. The first line of s[0..n) in at most w columns: its
 * length, and in *next where the rest starts. A line breaks after '-',
 * '_', '/', '.' or ':', or at a space (which the break takes, as in
 * prose), when one is in its second half; else after w columns. */
static size_t line_of(const char *s, size_t n, int w, size_t *next)
{
	size_t cut;

	if (w < 1)
		w = 1;
	if (cols(s, n) <= w) {
		*next = n;
		return n;
	}
	cut = cp_offset(s, n, w);
	for (size_t i = cut; i > 0 && cols(s, i) * 2 >= w; i--) {
		if (s[i] == ' ') {
			*next = i + 1;
			return i;
		}
		if (strchr("-_/.:", s[i - 1])) {
			*next = i;
			return i;
		}
	}
	*next = cut;
	return cut;
}

/* The lines of a label after its first (line_of), each after ind
 * spaces: what did not fit beside the row's cells. */
static void more_lines(sb *b, const char *s, size_t n, int w, int ind)
{
	while (n > 0) {
		size_t next, len = line_of(s, n, w, &next);

		for (int i = 0; i < ind; i++)
			sb_add(b, " ", 1);
		raw(b, s, len);
		while (b->buf.size && b->buf.ptr[b->buf.size - 1] == ' ')
			b->buf.ptr[--b->buf.size] = '\0';
		sb_puts(b, "\n");
		s += next;
		n -= next;
	}
}

/* A row's label in w columns, padded: its first line; the rest of it
 * is left in *rest (more_lines writes it after the row). */
static void label_cell(sb *b, const char *s, int w, const char **rest)
{
	size_t n = strlen(s), next, len = line_of(s, n, w, &next);

	cell(b, s, len, w, false);
	*rest = s + next;
}

/* Thousands with commas: 1,234,567. */
static void group_digits(char *out, size_t cap, long long v)
{
	char t[32];
	int n = snprintf(t, sizeof t, "%lld", v < 0 ? -v : v), o = 0;

	if (v < 0 && cap > 1)
		out[o++] = '-';
	for (int i = 0; i < n && (size_t)o + 2 < cap; i++) {
		out[o++] = t[i];
		if ((n - i - 1) % 3 == 0 && i < n - 1)
			out[o++] = ',';
	}
	out[o] = '\0';
}

/* A number for people, at most 7 columns: 7.7e-04, 0.873, 12.3,
 * 1,234, 123,456, 12.3M. */
static void human(char *out, size_t cap, double v)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(out, cap, "-");
	else if (a >= 9999999.5) {
		static const char *const si[] = { "k", "M", "G", "T", "P" };
		int k = 0;

		a /= 1000;
		while (a >= 999.5 && k < 4) {
			a /= 1000;
			k++;
		}
		snprintf(out, cap, "%s%.3g%s", v < 0 ? "-" : "", a, si[k]);
	} else if (a >= 99.5 || v == floor(v)) {
		group_digits(out, cap, (long long)llround(v));
	} else if (a < 0.00995) {
		snprintf(out, cap, "%.1e", v);
	} else {
		snprintf(out, cap, "%.3g", v);
	}
}

static void human_u(char *out, size_t cap, uint64_t v)
{
	if (v > 9999999)
		human(out, cap, (double)v);
	else
		group_digits(out, cap, (long long)v);
}

static void percent(char *out, size_t cap, uint64_t k, uint64_t n)
{
	if (n == 0)
		snprintf(out, cap, "-");
	else
		snprintf(out, cap, "%.1f%%", 100.0 * (double)k / (double)n);
}

/* The rules that pick the main fields when --fields is not given. */
static bool length_unit(const char *u)
{
	static const char *const units[] = {
		"bytes", "chars", "characters", "words", "tokens",
		"paragraphs", "sentences", "steps", "thoughts", "lines",
	};

	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (!strcmp(u, units[i]))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && !strcmp(s + n - m, end);
}

/* A position or offset (index, loop.start, patterns.x.first_rel,
 * answer_first_at): a place in the text, not a quantity whose
 * distribution says much. The last part of the name is one of these
 * words, starts with one and '_', or ends with '_' and one. */
static bool position_name(const char *name)
{
	static const char *const words[] = {
		"index", "start", "end", "offset", "pos", "position", "at",
		"first", "last", "rel",
	};
	const char *dot = strrchr(name, '.');
	const char *l = dot ? dot + 1 : name;
	size_t n = strlen(l);

	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t m = strlen(words[i]);

		if (!strcmp(l, words[i]) ||
		    (n > m && !strncmp(l, words[i], m) && l[m] == '_') ||
		    (n > m && !strcmp(l + n - m, words[i]) &&
		     l[n - m - 1] == '_'))
			return true;
	}
	return false;
}

/* Dots in a name: think.words is 1, patterns.r1_wait.count 2. */
static int depth(const char *name)
{
	int d = 0;

	for (; *name; name++)
		d += *name == '.';
	return d;
}

/* A pattern family's count, families.NAME.count: a row of its own
 * table (share of traces with a match), not of the numbers table. */
static bool family_count(const fdef *f)
{
	return f->type == COT_TYPE_INT && !strncmp(f->name, "families.", 9) &&
	       depth(f->name) == 2 && ends_with(f->name, ".count");
}

/* A string field reads as an enum when its values repeat: few
 * distinct values, each seen twice on average or more. Answers and
 * references (one per problem) do not. */
static bool enum_like(const stracc *a)
{
	return !a->over && a->nv > 0 && a->nv <= 16 && a->n >= 2 * a->nv;
}

/* The default table's fields: numbers that are not positions, not
 * always 0, and at most one level deep (think.words, loop.count; not
 * patterns.r1_wait.count: the details, which --fields shows); pattern
 * families' counts; flags with a value; strings that read as enums. */
bool cot__main_field(const cot_summary *s, const fdef *f)
{
	const group *t = &s->total;

	if (family_count(f))
		return t->num[f->slot].n > 0;
	if (cot__numeric(f->type))
		return t->num[f->slot].nonzero > 0 &&
		       !position_name(f->name) && depth(f->name) <= 1;
	if (f->type == COT_TYPE_BOOL)
		return t->bl[f->slot].t + t->bl[f->slot].f > 0;
	return enum_like(&t->str[f->slot]);
}

/* Sparklines: 16 bins over the total's range, the same axis for every
 * group so shapes compare; log(1 + x) bins when the values spread over
 * decades, as lengths do. Bar height: the bin's count against the
 * fullest bin of that line. */
#define SPARK_BINS 12

typedef struct axis {
	bool log;
	double lo, hi;		/* in axis units */
} axis;

static double to_axis(const axis *ax, double x)
{
	return ax->log ? log1p(x) : x;
}

static void make_axis(const nstat *t, axis *ax)
{
	ax->log = t->min >= 0 && t->max >= 20 * (t->p50 + 1);
	ax->lo = to_axis(ax, t->min);
	ax->hi = to_axis(ax, t->max);
}

typedef struct binning {
	const axis *ax;
	uint64_t bin[SPARK_BINS];
} binning;

static void bin_bucket(double lo, double hi, double rep, uint64_t count,
		       void *ctx)
{
	binning *bn = ctx;
	double x = to_axis(bn->ax, rep), w = bn->ax->hi - bn->ax->lo;
	int k = w > 0 ? (int)((x - bn->ax->lo) / w * SPARK_BINS) : 0;

	(void)lo;
	(void)hi;
	bn->bin[k < 0 ? 0 : k >= SPARK_BINS ? SPARK_BINS - 1 : k] += count;
}

static void sparkline(sb *b, const cot__sketch *sk, const axis *ax)
{
	static const char *const bars[] = {
		" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585",
		"\u2586", "\u2587", "\u2588",
	};
	binning bn = { ax, { 0 } };
	uint64_t top = 0;

	cot__sketch_foreach(sk, bin_bucket, &bn);
	for (int k = 0; k < SPARK_BINS; k++)
		if (bn.bin[k] > top)
			top = bn.bin[k];
	for (int k = 0; k < SPARK_BINS && top; k++) {
		int level = bn.bin[k] == 0 ? 0 :
			    (int)ceil(8.0 * (double)bn.bin[k] / (double)top);

		sb_puts(b, bars[level < 1 && bn.bin[k] ? 1 : level]);
	}
}

#define NAME_W 22

typedef struct view {
	const cot_summary *s;
	const bool *show;
	group **g;		/* sorted groups */
	char **name;		/* what their columns and rows say */
	size_t ng;
	int width;
} view;

/* Group names for the table (malloc'd): with --by file, the paths
 * without the directory and the extension they all share, so the
 * columns show what differs. */
static char **group_names(const cot_summary *s, group **g)
{
	char **name = cot__calloc(s->ng ? s->ng : 1, sizeof *name);
	size_t pre = 0, suf = 0;

	if (!name)
		return NULL;

	if (cot__summary_by_file(s) && s->ng > 1) {
		const char *first = g[0]->disp;
		size_t n0 = strlen(first);

		pre = suf = n0;
		for (size_t i = 1; i < s->ng; i++) {
			const char *d = g[i]->disp;
			size_t n = strlen(d), k = 0;

			while (k < pre && d[k] == first[k])
				k++;
			pre = k;
			for (k = 0; k < suf && k < n && d[n - 1 - k] ==
			     first[n0 - 1 - k]; k++)
				;
			suf = k;
		}
		while (pre > 0 && first[pre - 1] != '/')
			pre--;
		/* the suffix from a '.' on: the extension */
		while (suf > 0 && first[n0 - suf] != '.')
			suf--;
	}
	for (size_t i = 0; i < s->ng; i++) {
		size_t n = strlen(g[i]->disp);

		if (pre + suf >= n)
			name[i] = cot__strdup(g[i]->disp);
		else
			name[i] = cot__strndup(g[i]->disp + pre,
					       n - pre - suf);
		if (!name[i]) {
			while (i--)
				cot__free(name[i]);
			cot__free(name);
			return NULL;
		}
	}
	return name;
}

/* The rows of a numeric table: one per field, or with groups the
 * field's name, then the total and each group. */
static void num_rows(sb *b, const view *v, const fdef *f, bool lengths)
{
	const cot_summary *s = v->s;
	nstat total;
	axis ax;

	cot__num_stats(f, &s->total, &total);
	make_axis(&total, &ax);
	if (v->ng)
		sb_printf(b, "%s\n", f->name);
	for (size_t k = 0; k <= v->ng; k++) {
		const group *g = k == 0 ? &s->total : v->g[k - 1];
		char t[8][32];
		nstat st;

		const char *rest;

		cot__num_stats(f, g, &st);
		if (k > 0 && st.n == 0)
			continue;	/* a group without this field */
		if (v->ng) {
			sb_puts(b, "  ");
			label_cell(b, k == 0 ? "(all)" : v->name[k - 1],
				   NAME_W - 2, &rest);
		} else {
			label_cell(b, f->name, NAME_W, &rest);
		}
		human_u(t[0], 32, st.n);
		if (lengths) {
			human(t[1], 32, st.mean);
			human(t[2], 32, st.std);
			human(t[3], 32, st.min);
			human(t[4], 32, st.p50);
			human(t[5], 32, st.p90);
			human(t[6], 32, st.p99);
			human(t[7], 32, st.max);
			for (int c = 0; c < 8; c++) {
				sb_puts(b, " ");
				cells(b, t[c], 7, true);
			}
		} else {
			percent(t[1], 32, st.nonzero, st.n);
			human(t[2], 32, st.mean);
			human(t[3], 32, st.p50);
			human(t[4], 32, st.p90);
			human(t[5], 32, st.max);
			for (int c = 0; c < 6; c++) {
				sb_puts(b, " ");
				cells(b, t[c], c == 1 ? 8 : 7, true);
			}
		}
		if (st.n) {
			sb_puts(b, "  ");
			sparkline(b, &g->num[f->slot].sk, &ax);
		}
		/* no trailing blanks */
		while (b->buf.size && b->buf.ptr[b->buf.size - 1] == ' ')
			b->buf.ptr[--b->buf.size] = '\0';
		sb_puts(b, "\n");
		more_lines(b, rest, strlen(rest), v->ng ? NAME_W - 2 : NAME_W,
			   v->ng ? 2 : 0);
	}
}

static bool any_shown(const view *v, bool (*pick)(const fdef *f))
{
	for (size_t i = 0; i < v->s->nf; i++)
		if (v->show[i] && pick(&v->s->f[i]))
			return true;
	return false;
}

static bool pick_length(const fdef *f)
{
	return cot__numeric(f->type) && length_unit(f->unit);
}

static bool pick_number(const fdef *f)
{
	return cot__numeric(f->type) && !length_unit(f->unit) && !family_count(f);
}

static bool pick_family(const fdef *f)
{
	return family_count(f);
}

static bool pick_bool(const fdef *f)
{
	return f->type == COT_TYPE_BOOL;
}

static bool pick_string(const fdef *f)
{
	return f->type == COT_TYPE_STRING;
}

static void num_table(sb *b, const view *v, bool lengths)
{
	static const char *const lhead[] = {
		"count", "mean", "std", "min", "p50", "p90", "p99", "max",
	};
	static const char *const nhead[] = {
		"count", "nonzero", "mean", "p50", "p90", "max",
	};

	if (!any_shown(v, lengths ? pick_length : pick_number))
		return;
	sb_puts(b, "\n");
	cells(b, lengths ? "lengths" : "numbers", NAME_W, false);
	for (int c = 0; c < (lengths ? 8 : 6); c++) {
		sb_puts(b, " ");
		cells(b, lengths ? lhead[c] : nhead[c],
		      !lengths && c == 1 ? 8 : 7, true);
	}
	sb_puts(b, "  distribution\n");
	for (size_t i = 0; i < v->s->nf; i++)
		if (v->show[i] && (lengths ? pick_length : pick_number)(
			    &v->s->f[i]))
			num_rows(b, v, &v->s->f[i], lengths);
}

/* Side-by-side tables (counts, rates, shares): a label column, then one
 * column per group (the total first), in blocks as wide as the screen
 * allows. A row is a label and one cell per column. */
typedef struct grid {
	size_t ncols;		/* 1 + groups */
	size_t nrows;
	char **cells;		/* nrows * (1 + ncols), malloc'd */
	bool failed;		/* out of memory: rows and cells are dropped */
} grid;

static void grid_row(grid *gr)
{
	char **c;

	if (gr->failed)
		return;
	c = cot__realloc(gr->cells, (gr->nrows + 1) * (gr->ncols + 1) *
			 sizeof *gr->cells);
	if (!c) {
		gr->failed = true;
		return;
	}
	gr->cells = c;
	memset(gr->cells + gr->nrows * (gr->ncols + 1), 0,
	       (gr->ncols + 1) * sizeof *gr->cells);
	gr->nrows++;
}

static void grid_set(grid *gr, size_t col, const char *text)
{
	char **c;

	if (gr->failed)
		return;
	c = &gr->cells[(gr->nrows - 1) * (gr->ncols + 1) + col];
	cot__free(*c);
	*c = cot__strdup(text);
	if (!*c)
		gr->failed = true;
}

/* The heads of columns start..start+per of a grid, each right-aligned
 * in its width cw[c] and, when longer, over as many lines as it needs;
 * the title of the grid on the first line. */
static void head_lines(sb *b, const view *v, const char *title,
		       const int *cw, size_t start, size_t per)
{
	size_t *pos = cot__calloc(per ? per : 1, sizeof *pos);
	bool more = true;

	if (!pos) {
		b->failed = true;
		return;
	}
	for (size_t line = 0; more && !b->failed; line++) {
		more = false;
		cells(b, line ? "" : title, NAME_W, false);
		for (size_t c = start; c < start + per; c++) {
			const char *head = c == 0 ? "(all)" : v->name[c - 1];
			size_t *p = &pos[c - start], n = strlen(head), next = 0;
			size_t len = *p < n ? line_of(head + *p, n - *p, cw[c],
						      &next) : 0;

			sb_puts(b, "  ");
			cell(b, head + *p, len, cw[c], true);
			*p += next;
			more |= *p < n;
		}
		while (b->buf.size && b->buf.ptr[b->buf.size - 1] == ' ')
			b->buf.ptr[--b->buf.size] = '\0';
		sb_puts(b, "\n");
	}
	cot__free(pos);
}

static void grid_print(sb *b, grid *gr, const view *v, const char *title)
{
	size_t per = 1, w = (size_t)v->width;
	int *cw = gr->failed ? NULL : cot__calloc(gr->ncols, sizeof *cw);

	if (!cw) {
		b->failed = true;
		goto done;
	}

	for (size_t c = 0; c < gr->ncols; c++) {
		const char *head = c == 0 ? "(all)" : v->name[c - 1];

		cw[c] = cols(head, strlen(head));
		if (cw[c] > 24)
			cw[c] = 24;
		for (size_t r = 0; r < gr->nrows; r++) {
			const char *t = gr->cells[r * (gr->ncols + 1) + c + 1];
			int n = t ? cols(t, strlen(t)) : 0;

			if (n > cw[c])
				cw[c] = n;
		}
	}
	for (size_t start = 0; start < gr->ncols; start += per) {
		size_t used = NAME_W;

		per = 0;
		while (start + per < gr->ncols &&
		       (per == 0 || used + 2 + (size_t)cw[start + per] <= w)) {
			used += 2 + (size_t)cw[start + per];
			per++;
		}
		sb_puts(b, "\n");
		head_lines(b, v, title, cw, start, per);
		for (size_t r = 0; r < gr->nrows; r++) {
			char **row = &gr->cells[r * (gr->ncols + 1)];
			const char *label = row[0] ? row[0] : "", *rest;
			int ind = (int)strspn(label, " ");

			label_cell(b, label, NAME_W, &rest);
			for (size_t c = start; c < start + per; c++) {
				sb_puts(b, "  ");
				cells(b, row[c + 1] ? row[c + 1] : "", cw[c],
				      true);
			}
			while (b->buf.size && b->buf.ptr[b->buf.size - 1] == ' ')
				b->buf.ptr[--b->buf.size] = '\0';
			sb_puts(b, "\n");
			more_lines(b, rest, strlen(rest), NAME_W - ind, ind);
		}
	}
done:
	for (size_t i = 0; i < gr->nrows * (gr->ncols + 1); i++)
		cot__free(gr->cells[i]);
	cot__free(gr->cells);
	cot__free(cw);
}

static const group *col_group(const view *v, size_t c)
{
	return c == 0 ? &v->s->total : v->g[c - 1];
}

static void counts_grid(sb *b, const view *v)
{
	static const char *const names[] = {
		"records", "traces", "no trace", "tool calls only",
		"malformed",
	};
	grid gr = { v->ng + 1, 0, NULL, false };

	for (int r = 0; r < 5; r++) {
		grid_row(&gr);
		grid_set(&gr, 0, names[r]);
		for (size_t c = 0; c < gr.ncols; c++) {
			const group *g = col_group(v, c);
			const uint64_t n[] = { g->records, g->traces,
					       g->no_trace, g->tool_only,
					       g->malformed };
			char t[32];

			human_u(t, sizeof t, n[r]);
			grid_set(&gr, c + 1, t);
		}
	}
	grid_print(b, &gr, v, "counts");
}

static void rates_grid(sb *b, const view *v)
{
	grid gr = { v->ng + 1, 0, NULL, false };

	if (!any_shown(v, pick_bool))
		return;
	for (size_t i = 0; i < v->s->nf; i++) {
		const fdef *f = &v->s->f[i];

		if (!v->show[i] || !pick_bool(f))
			continue;
		grid_row(&gr);
		grid_set(&gr, 0, f->name);
		for (size_t c = 0; c < gr.ncols; c++) {
			const group *g = col_group(v, c);
			const boolacc *a = &g->bl[f->slot];
			uint64_t n = a->t + a->f;
			char t[64], of[32];

			percent(t, sizeof t, a->t, n);
			if (n && n < g->traces) {	/* "of how many" */
				human_u(of, sizeof of, n);
				snprintf(t + strlen(t), sizeof t - strlen(t),
					 " of %s", of);
			}
			grid_set(&gr, c + 1, t);
		}
	}
	grid_print(b, &gr, v, "rates");
}

/* Pattern families side by side: the share of traces with a match,
 * and in parentheses the mean matches per trace. */
static void families_grid(sb *b, const view *v)
{
	grid gr = { v->ng + 1, 0, NULL, false };

	if (!any_shown(v, pick_family))
		return;
	for (size_t i = 0; i < v->s->nf; i++) {
		const fdef *f = &v->s->f[i];
		char label[128];
		size_t n = strlen(f->name);

		if (!v->show[i] || !pick_family(f))
			continue;
		/* families.NAME.count: NAME */
		snprintf(label, sizeof label, "%.*s", (int)(n - 9 - 6),
			 f->name + 9);
		grid_row(&gr);
		grid_set(&gr, 0, label);
		for (size_t c = 0; c < gr.ncols; c++) {
			const group *g = col_group(v, c);
			const numacc *a = &g->num[f->slot];
			cot__xsum xs, xq;
			char t[64], m[32];

			if (a->n == 0) {
				grid_set(&gr, c + 1, "-");
				continue;
			}
			cot__num_sums(a, &xs, &xq);
			percent(t, sizeof t, a->nonzero, a->n);
			human(m, sizeof m, (double)(cot__xsum_value(&xs) /
						    (long double)a->n));
			snprintf(t + strlen(t), sizeof t - strlen(t), " (%s)",
				 m);
			grid_set(&gr, c + 1, t);
		}
	}
	grid_print(b, &gr, v, "pattern families");
	sb_puts(b, "(the share of traces with a match, and the mean matches "
		"per trace)\n");
}

#define SHARE_ROWS 8

static void shares_grid(sb *b, const view *v)
{
	grid gr = { v->ng + 1, 0, NULL, false };

	if (!any_shown(v, pick_string))
		return;
	for (size_t i = 0; i < v->s->nf; i++) {
		const fdef *f = &v->s->f[i];
		const stracc *ta = &v->s->total.str[f->slot];
		strval *vals;
		size_t rows;

		if (!v->show[i] || !pick_string(f))
			continue;
		grid_row(&gr);
		grid_set(&gr, 0, f->name);
		if (ta->over) {
			grid_row(&gr);
			grid_set(&gr, 0, "  (more than 64 values)");
			continue;
		}
		vals = cot__sorted_values(ta);
		if (!vals) {
			gr.failed = true;
			break;
		}
		rows = ta->nv > SHARE_ROWS + 1 ? SHARE_ROWS : ta->nv;
		for (size_t k = 0; k <= rows + 1; k++) {
			sb label = { { 0 }, false };
			bool other = k == rows, nulls = k == rows + 1;

			if (other && rows == ta->nv)
				continue;
			if (nulls && ta->n >= v->s->total.traces)
				continue;
			sb_puts(&label, "  ");
			if (other)
				sb_printf(&label, "(%zu more)", ta->nv - rows);
			else if (nulls)
				sb_puts(&label, "(none)");
			else
				sb_add(&label, vals[k].s, vals[k].len);
			grid_row(&gr);
			if (label.failed)
				gr.failed = true;
			else
				grid_set(&gr, 0, label.buf.ptr);
			cot__sbuf_dispose(&label.buf);
			for (size_t c = 0; c < gr.ncols; c++) {
				const group *g = col_group(v, c);
				const stracc *a = &g->str[f->slot];
				uint64_t n = 0;
				char t[32];

				if (nulls) {
					n = g->traces - a->n;
				} else {
					for (size_t j = 0; j < a->nv; j++) {
						bool in = other;

						for (size_t r = 0; r < rows &&
						     other; r++)
							if (a->v[j].len ==
							    vals[r].len &&
							    !memcmp(a->v[j].s,
							    vals[r].s,
							    vals[r].len))
								in = false;
						if (!other)
							in = a->v[j].len ==
							     vals[k].len &&
							     !memcmp(a->v[j].s,
							     vals[k].s,
							     vals[k].len);
						if (in)
							n += a->v[j].c;
					}
				}
				if (a->over && !nulls)
					snprintf(t, sizeof t, "?");
				else if (n == 0)
					snprintf(t, sizeof t, "-");
				else
					percent(t, sizeof t, n, g->traces);
				grid_set(&gr, c + 1, t);
			}
		}
		cot__free(vals);
	}
	grid_print(b, &gr, v, "shares");
}

void cot__render_table(sb *b, const cot_summary *s, const bool *show,
		       int width)
{
	view v = { s, show, cot__sorted_groups(s), NULL, s->ng, width };
	char rec[32], tr[32];

	v.name = v.g ? group_names(s, v.g) : NULL;
	if (!v.name) {
		b->failed = true;
		cot__free(v.g);
		return;
	}
	human_u(rec, sizeof rec, s->total.records);
	human_u(tr, sizeof tr, s->total.traces);
	sb_printf(b, "%s records, %s traces", rec, tr);
	if (s->total.no_trace || s->total.malformed) {
		human_u(rec, sizeof rec, s->total.no_trace);
		human_u(tr, sizeof tr, s->total.malformed);
		sb_printf(b, " (%s with no trace, %s malformed)", rec, tr);
	}
	if (s->total.tool_only) {
		human_u(rec, sizeof rec, s->total.tool_only);
		sb_printf(b, ", %s of tool calls only", rec);
	}
	sb_puts(b, "\n");
	if (s->by) {
		sb_printf(b, "by %s: %zu group%s", s->by_text, s->ng,
			  s->ng == 1 ? "" : "s");
		if (s->total.by_errors)
			sb_printf(b, " (%llu traces whose key failed)",
				  (unsigned long long)s->total.by_errors);
		sb_puts(b, "\n");
		counts_grid(b, &v);
	}
	num_table(b, &v, true);
	num_table(b, &v, false);
	if (any_shown(&v, pick_length) || any_shown(&v, pick_number))
		sb_puts(b, "(distribution: 12 bins from the smallest to the "
			"largest value, on a log scale\nwhere the values "
			"spread over decades; bar height: count against the "
			"fullest bin)\n");
	families_grid(b, &v);
	rates_grid(b, &v);
	shares_grid(b, &v);

	for (size_t i = 0; i < s->ng; i++)
		cot__free(v.name[i]);
	cot__free(v.name);
	cot__free(v.g);
}


/* ---- the table of a comparison ------------------------------------- */

/* text in lines of at most width columns (line_of), for people. */
static void para(sb *b, const char *text, int width)
{
	more_lines(b, text, strlen(text), width, 0);
}

/* x with its sign: +1.23, -4, 0. */
static void signed_human(char *out, size_t cap, double x)
{
	if (!isfinite(x)) {
		snprintf(out, cap, "-");
		return;
	}
	if (x > 0) {
		out[0] = '+';
		human(out + 1, cap - 1, x);
	} else {
		human(out, cap, x);
	}
}

/* A rate or a difference of rates, in percent or percentage points. */
static void points(char *out, size_t cap, double x, bool sign)
{
	if (!isfinite(x))
		snprintf(out, cap, "-");
	else
		snprintf(out, cap, sign ? "%+.1f" : "%.1f%%", 100 * x);
}

static void compare_rows(sb *b, const cot_summary *s, const bool *show,
			 const group *g, const group *base, int lw)
{
	for (size_t k = 0; k < s->nf; k++) {
		const fdef *f = &s->f[k];
		bool rate = f->type == COT_TYPE_BOOL;
		char t[4][32], iv[80];
		const char *rest;
		cot__diff d;

		if (!show[k] || !cot__compare_field(f, g, base, &d) ||
		    (d.n == 0 && d.base_n == 0))
			continue;
		if (rate) {
			points(t[0], 32, d.base, false);
			points(t[1], 32, d.value, false);
			points(t[2], 32, d.diff, true);
			if (isfinite(d.diff))
				strcat(t[2], " pp");
			points(t[3], 32, d.lo, true);
			points(iv, 40, d.hi, true);
		} else {
			human(t[0], 32, d.base);
			human(t[1], 32, d.value);
			signed_human(t[2], 32, d.diff);
			signed_human(t[3], 32, d.lo);
			signed_human(iv, 40, d.hi);
		}
		sb_puts(b, "  ");
		label_cell(b, f->name, lw, &rest);
		for (int c = 0; c < 3; c++) {
			sb_puts(b, " ");
			cells(b, t[c], c == 2 ? 10 : 9, true);
		}
		sb_puts(b, "  ");
		if (d.significant < 0) {
			sb_puts(b, "-");
		} else {
			char w[80];

			snprintf(w, sizeof w, "[%s, %s]", t[3], iv);
			sb_puts(b, w);
			if (d.significant)
				sb_puts(b, " *");
		}
		sb_puts(b, "\n");
		more_lines(b, rest, strlen(rest), lw, 2);
	}
}

void cot__render_compare_table(sb *b, const cot_summary *s, const bool *show,
			       group **g, size_t ng, const group *base,
			       int width)
{
	sb line = { { 0 }, false };
	int lw = NAME_W - 2;

	/* the field names whole where the width allows: the rest of a row
	 * takes about 60 columns */
	for (size_t k = 0; k < s->nf; k++) {
		int n = cols(s->f[k].name, strlen(s->f[k].name));

		if (show[k] && n > lw && n <= width - 60)
			lw = n;
		else if (show[k] && n > lw && width - 60 > lw)
			lw = width - 60;
	}

	sb_printf(&line, "compare by %s: %zu groups, each minus the baseline, "
		  "%s", s->by_text, ng, base->disp);
	if (line.failed)
		b->failed = true;
	else
		para(b, line.buf.ptr, width);
	cot__sbuf_dispose(&line.buf);
	sb_puts(b, "(95% intervals: of means Welch-Satterthwaite t, Welch "
		"1947; of rates Newcombe's\nhybrid score, Newcombe 1998, "
		"method 10. Rates and their differences in\npercent and "
		"percentage points (pp). * marks an interval that excludes 0:"
		"\na difference that noise alone would rarely make)\n");
	for (size_t i = 0; i < ng; i++) {
		if (g[i] == base)
			continue;
		sb_puts(b, "\n");
		para(b, g[i]->disp, width);
		sb_puts(b, "  ");
		cells(b, "field", lw, false);
		sb_puts(b, "  baseline     group        diff  95% interval\n");
		compare_rows(b, s, show, g[i], base, lw);
	}
}
