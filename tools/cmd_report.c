/* cmd_report.c - a whole input as one self-contained HTML page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char *const usage[] = {
"Usage: cotlog report [OPTIONS] [FILE...] -o REPORT.html\n"
"\n"
"Write one self-contained HTML page about the traces of the input: it\n"
"loads nothing (styles, script and charts are inline; no network, no\n"
"server) and opens from disk in any browser. Built in one streaming\n"
"pass, in the memory of 'cotlog stats' plus the traces it shows.\n"
"Sections: an overview (records, traces, malformed lines, status,\n"
"finish reasons, formats); distributions of lengths (think words and\n"
"tokens, answer words, steps, sentences, thoughts); behaviour (each\n"
"pattern family per 1,000 words, and where in the trace it first\n"
"appears); accuracy by reasoning length and where the answer is first\n"
"stated; health (loops, repetition, mixed scripts, status rules, the\n"
"worst traces); and a viewer of a bounded sample of traces (the loops,\n"
"the most repetitive, the most mixed, the cut-off, the answer found\n"
"earliest, the longest, a random sample), their steps coloured by\n"
"step function, pattern matches and the loop marked. Every table row\n"
"that names a trace links to its view. FILE may be gzip; '-' or no\n"
"FILE reads stdin.\n"
"\n"
"Options:\n"
"  -o, --output FILE    write the page to FILE (through a temporary\n"
"                       file, renamed when complete); '-' or no -o:\n"
"                       standard output, unless it is a terminal\n"
"  --by EXPR            one group per value of EXPR on each trace\n"
"                       (rec.model, correct, ...), or per input file\n"
"                       with --by file; repeated, one group per\n"
"                       combination (--by rec.model --by file); charts\n"
"                       draw each group on the same axes\n"
"  --traces N           show at most N traces in the viewer (default\n"
"                       70), shared evenly by the seven reasons\n"
"  --title TEXT         the page's title (default \"cotlog report\")\n"
"  --max-groups N       refuse more than N groups of --by (default 1000)\n",
INPUT_OPTIONS_HELP,
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 ok; 2 usage error, unreadable input, write error or\n"
"too many groups; 3 invalid --by expression, or a value of the wrong\n"
"type met at run time (the trace is counted in the total only); 4\n"
"malformed records (reported, counted, left out).\n",
NULL };

static _Noreturn void report_fail(const cot_error *e)
{
	if (e->code == COT_ELIMIT)
		diag("--%s (raise --max-groups, or group by something with "
		     "fewer values)", e->message);
	else
		diag("%s", e->message);
	sink_abandon_all();
	exit(EXIT_USAGE);
}

typedef struct report {
	cot_report *rep;
} report;

static void report_unit(run *r, const where *w, const cot_unit *u, void *p)
{
	report *rp = p;
	size_t n = cot_unit_records(u);
	cot_error err;

	if (cot_unit_kind_of(u) == COT_UNIT_MALFORMED &&
	    cot_report_add_malformed(rp->rep, w->name, 1, &err))
		report_fail(&err);
	for (size_t i = 0; i < n; i++) {
		uint64_t line = unit_record(u, i).line;
		int rc;

		r->n.records++;
		if (!run_analyze(r, w, u, i))
			continue;
		rc = cot_report_add(rp->rep, r->res, w->name, line, &err);
		if (rc == COT_EEXPR) {
			diag("%s:%llu: --by: %s", w->name,
			     (unsigned long long)line, err.message);
			status_at_least(r, EXIT_EXPR);
		} else if (rc) {
			report_fail(&err);
		}
	}
}

static void report_error(run *r, const event *ev, void *p)
{
	report *rp = p;
	cot_error err;

	(void)r;
	if (ev->error_code == COT_EPARSE &&
	    cot_report_add_malformed(rp->rep, ev->where.name, 1, &err))
		report_fail(&err);
}

static void *report_fork(void *p)
{
	report *rp = p, *w = malloc(sizeof *w);
	cot_error err;

	if (!w) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	if (cot_report_new_like(&w->rep, rp->rep, &err))
		report_fail(&err);
	return w;
}

static void report_join(void *p, void *wp)
{
	report *rp = p, *w = wp;
	cot_error err;

	if (cot_report_merge(rp->rep, w->rep, &err))
		report_fail(&err);
	cot_report_free(w->rep);
	free(w);
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "by", required_argument, NULL, 'b' },
		{ "traces", required_argument, NULL, 'n' },
		{ "title", required_argument, NULL, 't' },
		{ "max-groups", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	cot_report_options ro = COT_REPORT_OPTIONS_INIT;
	const char *output = NULL;
	char *by = NULL;
	report rp = { 0 };
	job j = { report_unit, &rp, report_fork, report_join, report_error };
	cot_buf page = { 0 };
	cot_error err;
	run r;
	int c, rc;

	run_init(&r, "report", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqj:o:", longopts, NULL))
	       != -1) {
		uint64_t n;

		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'b':
			if (!*optarg)
				usage_error("report", "--by needs an "
					    "expression");
			by_add(&by, optarg);
			ro.by = by;
			break;
		case 'n':
			if (!option_number(optarg, 1, 100000, &n))
				usage_error("report", "--traces takes a number "
					    "from 1 to 100000, not '%s'",
					    optarg);
			ro.traces = n;
			break;
		case 't':
			ro.title = optarg;
			break;
		case 'G':
			if (!option_number(optarg, 1, 1000000, &n))
				usage_error("report", "--max-groups takes a "
					    "number from 1 to 1000000, not "
					    "'%s'", optarg);
			ro.max_groups = n;
			break;
		}
	}
	if ((!output || !strcmp(output, "-")) && isatty(STDOUT_FILENO))
		usage_error("report", "the page is HTML: write it to a file "
			    "with -o FILE (or redirect standard output)");
	run_start(&r);
	rc = cot_report_new(&rp.rep, r.az, &ro, &err);
	if (rc == COT_EEXPR) {
		by_show_error(ro.by, &err);
		free(by);
		run_finish(&r);
		return EXIT_EXPR;
	}
	if (rc)
		report_fail(&err);
	{
		size_t nf = cot_report_fields(rp.rep, NULL, 0);
		size_t *fields = malloc((nf ? nf : 1) * sizeof *fields);

		if (!fields) {
			diag("out of memory");
			return EXIT_USAGE;
		}
		cot_report_fields(rp.rep, fields, nf);
		run_need(&r, fields, nf);
		free(fields);
	}
	if (output && sink_open(&out_sink, output, 0))
		return EXIT_USAGE;
	run_files(&r, argv + optind, argc - optind, &j);
	if (cot_report_render(&page, rp.rep, &err))
		report_fail(&err);
	out_write(page.ptr, page.size);
	if (sinks_close(!r.incomplete))
		status_at_least(&r, EXIT_USAGE);
	cot_buf_dispose(&page);
	cot_report_free(rp.rep);
	free(by);
	rc = r.status;
	run_finish(&r);
	return rc;
}
