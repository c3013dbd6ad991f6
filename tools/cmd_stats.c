/* cmd_stats.c - summarize profile fields over a whole input, mergeably. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tool.h"

static const char *const usage[] = {
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
"                       per input file with --by file. Given again, the\n"
"                       groups are those of all the --by at once (--by\n"
"                       rec.model --by rec.type: one per model and type,\n"
"                       named 'model × type', in the order of the first\n"
"                       key, then the next; in JSON a group's key is the\n"
"                       list of its values)\n"
"  --fields LIST        the fields to summarize and show: names and shell\n"
"                       patterns, comma-separated (think.*,closed or\n"
"                       families.*.count); only the analysis they and\n"
"                       --by need runs; default: every field, of which\n"
"                       the table shows the main ones\n"
"  --json               one JSON object (every field unless --fields)\n"
"  --tsv                tab-separated rows: group, field, stat, value\n"
"                       (values as --json writes them)\n"
"  --partial            write a partial summary to merge later\n"
"  --merge              read partial summaries (plain or gzip) instead\n"
"                       of records (with --partial: write their merge as\n"
"                       a partial)\n"
"  --compare            instead of the statistics, each group minus a\n"
"                       baseline group, field by field, with a 95%\n"
"                       confidence interval: of means by Welch's t\n"
"                       interval with Satterthwaite's degrees of freedom\n"
"                       (Welch 1947), of rates of true by Newcombe's\n"
"                       hybrid score interval (Newcombe 1998, method 10);\n"
"                       '*' (JSON, TSV: significant) marks an interval\n"
"                       that excludes 0. Needs --by (or partials with\n"
"                       groups) and two groups or more\n"
"  --baseline NAME      with --compare: the group to compare with, by its\n"
"                       name as the table shows it (default: the first)\n"
"  --max-groups N       refuse more than N groups of --by, or in the\n"
"                       partials of --merge (default 1000)\n",
INPUT_OPTIONS_HELP,
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 ok; 2 usage error, unreadable input, write error, too\n"
"many groups, an input of --merge that is not partials, or partials\n"
"that do not fit together; 3 invalid --by\n"
"expression, or a value of the wrong type met at run time (the trace\n"
"is counted in the total only); 4 malformed records or partials\n"
"(reported, counted, left out).\n",
NULL };

/* Out of memory, or a limit: the summary cannot be trusted any more. */
static _Noreturn void stats_fail(const cot_error *e)
{
	if (e->code == COT_ELIMIT)
		diag("--%s (raise --max-groups, or group by something with "
		     "fewer values)", e->message);
	else
		diag("%s", e->message);
	exit(EXIT_USAGE);
}

/* With --fields, analyze only what those fields and --by read. */
static void need_fields(run *r, const cot_summary *s)
{
	size_t n = cot_summary_fields(s, NULL, 0);
	size_t *v = malloc((n + 1) * sizeof *v);

	if (!v) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	cot_summary_fields(s, v, n);
	run_need(r, v, n);
	free(v);
}

typedef struct stats {
	cot_summary *s;
} stats;

static void stats_unit(run *r, const where *w, const cot_unit *u, void *p)
{
	stats *st = p;
	size_t n = cot_unit_records(u);
	cot_error err;

	/* run.c has reported it; the summary counts it for its file */
	if (cot_unit_kind_of(u) == COT_UNIT_MALFORMED &&
	    cot_summary_add_malformed(st->s, w->name, 1, &err))
		stats_fail(&err);
	for (size_t i = 0; i < n; i++) {
		int rc;

		r->n.records++;
		if (!run_analyze(r, w, u, i))
			continue;
		rc = cot_summary_add(st->s, r->res, w->name, &err);
		if (rc == COT_EEXPR) {
			diag("%s:%llu: --by: %s", w->name,
			     (unsigned long long)unit_record(u, i).line,
			     err.message);
			status_at_least(r, EXIT_EXPR);
		} else if (rc) {
			stats_fail(&err);
		}
	}
}

/* A broken multi-line document counts as one malformed record of its
 * file. */
static void stats_error(run *r, const event *ev, void *p)
{
	stats *st = p;
	cot_error err;

	(void)r;
	if (ev->error_code == COT_EPARSE &&
	    cot_summary_add_malformed(st->s, ev->where.name, 1, &err))
		stats_fail(&err);
}

/* A worker's own summary (with its own --by expression, which keeps its
 * evaluation stack inside); join merges it, exactly. */
static void *stats_fork(void *p)
{
	stats *st = p, *w = malloc(sizeof *w);
	cot_error err;

	if (!w) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	if (cot_summary_new_like(&w->s, st->s, &err))
		stats_fail(&err);
	return w;
}

static void stats_join(void *p, void *wp)
{
	stats *st = p, *w = wp;
	cot_error err;

	if (cot_summary_merge(st->s, w->s, &err))
		stats_fail(&err);
	cot_summary_free(w->s);
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
	if (r->tokenizer_name)
		fprintf(f, " --tokenizer %s", r->tokenizer_name);
	if (fclose(f)) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	if (len)		/* drop the first space */
		memmove(buf, buf + 1, len);
	return buf;
}

/* The caret goes under the --by that is wrong: err->column counts
 * from the start of by, all the keys joined by COT_SUMMARY_KEY_SEP. */
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

/* Merge the partials of one input (a file, '-', gzip or not: the
 * library's reader) into *acc. Blank lines are passed over (Hadoop adds
 * a tab to key-only lines). An input whose first line is not even meant
 * as a partial (records, given to --merge by mistake) is refused once
 * as a whole, like an unreadable one, rather than with an error for
 * each of its lines. */
static void merge_input(const char *path, size_t max_groups,
			cot_summary **acc, int *status)
{
	static const char marker[] = "\"cotlog_stats_partial\"";
	const cot_unit *u;
	cot_reader *rd;
	cot_error err;
	bool first = true;
	int next, rc;

	if (cot_reader_open_path(&rd, path, &err)) {
		diag("%s", err.message);
		if (*status < EXIT_USAGE)
			*status = EXIT_USAGE;
		return;
	}
	while ((next = cot_reader_next(&u, rd, &err)) == COT_OK) {
		const char *name = cot_reader_name(rd);
		unsigned long long line = cot_unit_line(u);
		cot_summary *p;
		size_t n;
		const char *text = cot_unit_bytes(u, &n);

		if (cot_unit_kind_of(u) == COT_UNIT_BLANK ||
		    cot_unit_kind_of(u) == COT_UNIT_SKIPPED)
			continue;
		if (cot_unit_kind_of(u) == COT_UNIT_MALFORMED &&
		    cot_unit_error(u)->code == COT_EIO) {
			/* what damage left of a line: the stream's error,
			 * which follows, says so */
			if (*status < EXIT_USAGE)
				*status = EXIT_USAGE;
			continue;
		}
		rc = cot_summary_read_partial(&p, text, n, max_groups, &err);
		if (rc == COT_ENOMEM || rc == COT_ELIMIT)
			stats_fail(&err);
		if (rc && first && !contains(text, n, marker,
					     sizeof marker - 1)) {
			diag("%s: not a stats partial (what 'cotlog stats "
			     "--partial' writes); to summarize records, leave "
			     "out --merge", name);
			if (*status < EXIT_USAGE)
				*status = EXIT_USAGE;
			break;
		}
		first = false;
		if (rc) {
			diag("%s:%llu: %s", name, line, err.message);
			if (*status < EXIT_MALFORMED)
				*status = EXIT_MALFORMED;
			continue;
		}
		if (!*acc) {
			*acc = p;
			continue;
		}
		if (cot_summary_merge(*acc, p, &err)) {
			if (err.code == COT_ENOMEM || err.code == COT_ELIMIT)
				stats_fail(&err);
			diag("%s:%llu: %s", name, line, err.message);
			exit(EXIT_USAGE);
		}
		cot_summary_free(p);
	}
	if (next != COT_DONE && next != COT_OK) {
		diag("%s", err.message);
		if (*status < EXIT_USAGE)
			*status = EXIT_USAGE;
	}
	cot_reader_free(rd);
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
		{ "compare", no_argument, NULL, 'C' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	cot_summary_format format = COT_SUMMARY_TABLE;
	cot_summary_options so = { 0 };
	bool partial = false, merge = false, formats = false;
	bool compare = false;
	const char *baseline = NULL;
	cot_error err;
	stats st = { 0 };
	job j = { stats_unit, &st, stats_fork, stats_join, stats_error };
	cot_buf text = { 0 };
	char *analysis, *by = NULL;
	run r;
	int c, rc, status;

	run_init(&r, "stats", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqj:", longopts, NULL)) != -1) {
		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'b':
			if (!*optarg)
				usage_error("stats", "--by needs an "
					    "expression");
			by_add(&by, optarg);
			so.by = by;
			break;
		case 'f':
			so.fields = optarg;
			break;
		case 'J':
		case 'T':
			if (formats)
				usage_error("stats", "--json and --tsv "
					    "exclude each other");
			formats = true;
			format = c == 'J' ? COT_SUMMARY_JSON : COT_SUMMARY_TSV;
			break;
		case 'P':
			partial = true;
			break;
		case 'C':
			compare = true;
			break;
		case 'B':
			baseline = optarg;
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
			so.max_groups = n;
			break;
		}
		}
	}
	if (partial && formats)
		usage_error("stats", "--partial writes its own format: not "
			    "with --json or --tsv");
	if (baseline && !compare)
		usage_error("stats", "--baseline goes with --compare");
	if (compare && partial)
		usage_error("stats", "--compare shows differences: not with "
			    "--partial (compare when merging them)");
	if (compare && !so.by && !merge)
		usage_error("stats", "--compare needs --by: it compares "
			    "groups");
	if (merge && so.by)
		usage_error("stats", "--by does not go with --merge: the "
			    "partials say how they were grouped");
	run_start(&r);
	analysis = analysis_text(&r);
	so.analysis = analysis;
	status = EXIT_OK;
	if (merge) {
		char *dash[] = { (char *)"-" };
		char **in = optind < argc ? argv + optind : dash;
		int nin = optind < argc ? argc - optind : 1;

		for (int i = 0; i < nin; i++)
			merge_input(in[i], so.max_groups, &st.s, &status);
		/* no partial at all: the empty summary */
		rc = st.s ? COT_OK : cot_summary_new(&st.s, r.az, &so, &err);
	} else {
		rc = cot_summary_new(&st.s, r.az, &so, &err);
	}
	if (rc == COT_EEXPR) {
		by_show_error(so.by, &err);
		free(analysis);
		free(by);
		run_finish(&r);
		return EXIT_EXPR;
	}
	if (rc == COT_EINVAL)
		usage_error("stats", "--fields: %s", err.message);
	if (rc)
		stats_fail(&err);
	if (!merge) {
		if (so.fields)
			need_fields(&r, st.s);
		run_files(&r, argv + optind, argc - optind, &j);
		if (r.status > status)
			status = r.status;
	}
	if (partial)
		rc = cot_summary_write_partial(&text, st.s, &err);
	else if (compare)
		rc = cot_summary_render_compare(&text, st.s, format, so.fields,
						baseline, table_width(), &err);
	else
		rc = cot_summary_render(&text, st.s, format, so.fields,
					table_width(), &err);
	if (rc == COT_EINVAL)
		usage_error("stats", "%s: %s", compare ? "--compare" :
			    "--fields", err.message);
	if (rc)
		stats_fail(&err);
	if (!partial && format == COT_SUMMARY_TABLE)
		/* the table is for people and quotes values from the
		 * records (models, groups): no control character of theirs
		 * reaches the terminal */
		term_clean(text.ptr, text.size, true, put_text, NULL);
	else
		out_write(text.ptr, text.size);
	out_flush();
	cot_buf_dispose(&text);
	cot_summary_free(st.s);
	free(analysis);
	free(by);
	run_finish(&r);
	return status;
}
