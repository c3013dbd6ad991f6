/* cmd_stats.c - summarize profile fields over a whole input, mergeably. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "summary.h"
#include "tool.h"

static const char usage[] =
"Usage: cotlog stats [OPTIONS] [FILE...]\n"
"       cotlog stats --merge [OPTIONS] [PARTIAL...]\n"
"\n"
"Summarize the profile fields over the whole input: for numbers the\n"
"count, mean, standard deviation, min, p50, p90, p99 and max (with a\n"
"sparkline of the distribution), for flags the rate of true (accuracy\n"
"where graded), for names (format, dialect, finish_reason...) the share\n"
"of each value; and the records, traces, records with no trace and\n"
"malformed lines. FILE may be gzip; '-' or no FILE reads stdin.\n"
"\n"
"Summaries merge exactly: 'stats --partial' writes the whole state as\n"
"one JSON line, and 'stats --merge' combines any number of them (files\n"
"or '-', several per file, as GNU parallel or Hadoop concatenate them)\n"
"into what one run over all the inputs gives, byte for byte:\n"
"  parallel --pipepart --block 100M -a big.jsonl cotlog stats --partial \\\n"
"    | cotlog stats --merge\n"
"Counts, sums, min and max are exact; quantiles come from a sketch with\n"
"relative error at most 1/129 (0.78%), the same in both ways.\n"
"\n"
"Options:\n"
"  --by EXPR            one column of stats per value of EXPR on each\n"
"                       trace (rec.model, correct, format, think.words >\n"
"                       4000, ...; see the README for expressions), or\n"
"                       per input file with --by file\n"
"  --fields LIST        the fields to summarize and show: names and shell\n"
"                       patterns, comma-separated (think.*,closed or\n"
"                       families.*.count); only the analysis they and\n"
"                       --by need runs; default: every field, of which\n"
"                       the table shows the main ones\n"
"  --json               one JSON object (every field unless --fields)\n"
"  --tsv                tab-separated rows: group, field, stat, value\n"
"                       (values as --json writes them)\n"
"  --partial            write a partial summary to merge later\n"
"  --merge              read partial summaries instead of records\n"
"                       (with --partial: write their merge as a partial)\n"
"  --max-groups N       refuse more than N groups of --by (default 1000)\n"
INPUT_OPTIONS_HELP
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 ok; 2 usage error, unreadable input, write error, too\n"
"many groups, an input of --merge that is not partials, or partials\n"
"that do not fit together; 3 invalid --by\n"
"expression, or a value of the wrong type met at run time (the trace\n"
"is counted in the total only); 4 malformed records or partials\n"
"(reported, counted, left out).\n";

/* With --fields, analyze only what those fields and --by read. */
static void need_fields(run *r, const summary *s, const cot_expr *by)
{
	size_t nf = summary_field_indexes(s, NULL, 0);
	size_t nb = by ? cot_expr_fields(NULL, 0, by) : 0;
	size_t *v = malloc((nf + nb + 1) * sizeof *v);

	if (!v) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	summary_field_indexes(s, v, nf);
	if (by)
		cot_expr_fields(v + nf, nb, by);
	run_need(r, v, nf + nb);
	free(v);
}

typedef struct stats {
	summary *s;
	cot_expr *by;
	const char *by_src;
	const cot_analyzer *az;
} stats;

static void stats_unit(run *r, const where *w, const cot_unit *u, void *p)
{
	stats *st = p;
	size_t n = cot_unit_records(u);

	/* run.c has reported it; the summary counts it for its file */
	if (cot_unit_kind_of(u) == COT_UNIT_MALFORMED)
		summary_add_malformed(st->s, w->name, 1);
	for (size_t i = 0; i < n; i++) {
		cot_record_span s;
		cot_error err;
		int rc;

		r->n.records++;
		if (!run_analyze(r, w, u, i))
			continue;
		rc = summary_add_record(st->s, r->res, st->by, w->name, &err);
		if (rc == COT_EINVAL) {
			s = unit_record(u, i);
			diag("%s:%llu: --by: %s", w->name,
			     (unsigned long long)s.line, err.message);
			status_at_least(r, EXIT_EXPR);
		} else if (rc == COT_ELIMIT) {
			diag("%s", err.message);
			exit(EXIT_USAGE);
		}
	}
}

/* A broken multi-line document counts as one malformed record of its
 * file. */
static void stats_error(run *r, const event *ev, void *p)
{
	stats *st = p;

	(void)r;
	if (ev->error_code == COT_EPARSE)
		summary_add_malformed(st->s, ev->where.name, 1);
}

/* A worker's own summary and --by expression (an expression keeps its
 * evaluation stack inside); join merges it, exactly. */
static void *stats_fork(void *p)
{
	stats *st = p, *w = malloc(sizeof *w);
	cot_error e;

	if (!w || !(*w = *st, w->s = summary_new_like(st->s))) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	w->by = NULL;
	if (st->by && cot_expr_compile(&w->by, st->az, st->by_src, &e)) {
		diag("%s", e.message);
		exit(EXIT_USAGE);
	}
	return w;
}

static void stats_join(void *p, void *wp)
{
	stats *st = p, *w = wp;
	char err[256];

	if (summary_merge(st->s, w->s, err, sizeof err)) {
		diag("%s", err);
		exit(EXIT_USAGE);
	}
	summary_free(w->s);
	cot_expr_free(w->by);
	free(w);
}

/* The analyzer options that change what fields mean: partials made
 * with other ones must not be merged. (--field and the like only say
 * where traces are, so inputs of different shapes still merge.) */
static char *analysis_text(const run *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	if (r->opts.patterns_file)
		fprintf(f, " --patterns %s", r->opts.patterns_file);
	for (size_t i = 0; i < r->npatterns; i++)
		fprintf(f, " --pattern %s", r->patterns[i]);
	if (r->opts.no_builtin_patterns)
		fputs(" --no-builtin-patterns", f);
	if (r->opts.target_script)
		fprintf(f, " --target-script %s", r->opts.target_script);
	if (r->opts.ngram)
		fprintf(f, " --ngram %u", r->opts.ngram);
	if (fclose(f)) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	if (len)		/* drop the first space */
		memmove(buf, buf + 1, len);
	return buf;
}

static void show_by_error(const char *src, const cot_error *err)
{
	size_t col = err->column ? err->column : 1;

	fprintf(stderr, "cotlog: --by: %s\n  %s\n  %*s^\n", err->message, src,
		(int)(col - 1), "");
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (cap - n < 65536) {
			char *nb;

			cap = cap ? cap * 2 : 1 << 16;
			nb = realloc(buf, cap);
			if (!nb) {
				diag("out of memory");
				exit(EXIT_USAGE);
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		free(buf);
		if (f != stdin)
			fclose(f);
		errno = e;
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Whether s[0..n) holds w[0..m) (m > 0). */
static bool contains(const char *s, size_t n, const char *w, size_t m)
{
	for (const char *p = s; n >= m && (size_t)(p - s) <= n - m; p++) {
		p = memchr(p, w[0], n - m + 1 - (size_t)(p - s));
		if (!p)
			return false;
		if (!memcmp(p, w, m))
			return true;
	}
	return false;
}

/* Merge the partials of each input into *acc. Lines of only white
 * space are passed over (Hadoop adds a tab to key-only lines). An input
 * whose first line is not even meant as a partial (records, given to
 * --merge by mistake) is refused once as a whole, like an unreadable
 * one, rather than with an error for each of its lines. */
static void merge_input(const char *path, summary **acc, int *status)
{
	static const char marker[] = "\"cotlog_stats_partial\"";
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	size_t len, pos = 0;
	uint64_t line = 0;
	bool first = true;
	char *data = read_all(path, &len);

	if (!data) {
		diag("%s: %s", name, strerror(errno));
		if (*status < EXIT_USAGE)
			*status = EXIT_USAGE;
		return;
	}
	while (pos < len) {
		char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len, n = end - pos;
		char err[COT_ERROR_MESSAGE_MAX];
		summary *p;

		line++;
		while (n && strchr(" \t\r", data[pos + n - 1]))
			n--;
		if (n == 0) {
			pos = end + 1;
			continue;
		}
		p = summary_parse_partial(data + pos, n, err, sizeof err);
		if (!p && first &&
		    !contains(data + pos, n, marker, sizeof marker - 1)) {
			diag("%s: not a stats partial (what 'cotlog stats "
			     "--partial' writes); to summarize records, leave "
			     "out --merge", name);
			if (*status < EXIT_USAGE)
				*status = EXIT_USAGE;
			break;
		}
		first = false;
		pos = end + 1;
		if (!p) {
			diag("%s:%llu: %s", name, (unsigned long long)line,
			     err);
			if (*status < EXIT_MALFORMED)
				*status = EXIT_MALFORMED;
			continue;
		}
		if (!*acc) {
			*acc = p;
			continue;
		}
		if (summary_merge(*acc, p, err, sizeof err)) {
			diag("%s:%llu: %s", name, (unsigned long long)line,
			     err);
			exit(EXIT_USAGE);
		}
		summary_free(p);
	}
	free(data);
}

static int table_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	uint64_t n;

	if (c && option_number(c, 40, 10000, &n))
		return (int)n;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0
	    && ws.ws_col >= 40)
		return ws.ws_col;
	return 100;
}

static void put_text(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	out_write(p, n);
}

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "fields", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'J' },
		{ "tsv", no_argument, NULL, 'T' },
		{ "partial", no_argument, NULL, 'P' },
		{ "merge", no_argument, NULL, 'M' },
		{ "max-groups", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	summary_format format = SUMMARY_TABLE;
	const char *fields = NULL;
	bool partial = false, merge = false, formats = false;
	size_t max_groups = SUMMARY_MAX_GROUPS;
	char err[COT_ERROR_MESSAGE_MAX];
	stats st = { 0 };
	job j = { stats_unit, &st, stats_fork, stats_join, stats_error };
	char *text, *analysis;
	run r;
	int c, status;

	run_init(&r, "stats", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqj:", longopts, NULL)) != -1) {
		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'b':
			st.by_src = optarg;
			break;
		case 'f':
			fields = optarg;
			break;
		case 'J':
		case 'T':
			if (formats)
				usage_error("stats", "--json and --tsv "
					    "exclude each other");
			formats = true;
			format = c == 'J' ? SUMMARY_JSON : SUMMARY_TSV;
			break;
		case 'P':
			partial = true;
			break;
		case 'M':
			merge = true;
			break;
		case 'G': {
			uint64_t n;

			if (!option_number(optarg, 1, 1000000, &n))
				usage_error("stats", "--max-groups takes a "
					    "number from 1 to 1000000, not "
					    "'%s'", optarg);
			max_groups = n;
			break;
		}
		}
	}
	if (partial && formats)
		usage_error("stats", "--partial writes its own format: not "
			    "with --json or --tsv");
	if (merge && st.by_src)
		usage_error("stats", "--by does not go with --merge: the "
			    "partials say how they were grouped");
	if (st.by_src && !*st.by_src)
		usage_error("stats", "--by needs an expression");
	run_start(&r);
	analysis = analysis_text(&r);
	status = EXIT_OK;
	if (merge) {
		char *dash[] = { (char *)"-" };
		char **in = optind < argc ? argv + optind : dash;
		int nin = optind < argc ? argc - optind : 1;

		for (int i = 0; i < nin; i++)
			merge_input(in[i], &st.s, &status);
		if (!st.s)	/* no partial at all: the empty summary */
			st.s = summary_new(r.az, fields, NULL, analysis, err,
					   sizeof err);
		if (!st.s)
			usage_error("stats", "--fields: %s", err);
		summary_set_max_groups(st.s, max_groups);
	} else {
		cot_error e;

		st.s = summary_new(r.az, fields, st.by_src, analysis, err,
				   sizeof err);
		if (!st.s)
			usage_error("stats", "--fields: %s", err);
		summary_set_max_groups(st.s, max_groups);
		if (st.by_src && !summary_by_file(st.s) &&
		    cot_expr_compile(&st.by, r.az, st.by_src, &e)) {
			show_by_error(st.by_src, &e);
			summary_free(st.s);
			free(analysis);
			run_finish(&r);
			return e.code == COT_ENOMEM ? EXIT_USAGE : EXIT_EXPR;
		}
		st.az = r.az;
		if (fields)
			need_fields(&r, st.s, st.by);
		run_files(&r, argv + optind, argc - optind, &j);
		if (r.status > status)
			status = r.status;
	}
	if (partial) {
		text = summary_partial(st.s);
	} else {
		text = summary_render(st.s, format, fields, table_width(), err,
				      sizeof err);
		if (!text)
			usage_error("stats", "--fields: %s", err);
	}
	if (!partial && format == SUMMARY_TABLE)
		/* the table is for people and quotes values from the
		 * records (models, groups): no control character of theirs
		 * reaches the terminal */
		term_clean(text, strlen(text), true, put_text, NULL);
	else
		out_puts(text);
	out_flush();
	free(text);
	summary_free(st.s);
	cot_expr_free(st.by);
	free(analysis);
	run_finish(&r);
	return status;
}
