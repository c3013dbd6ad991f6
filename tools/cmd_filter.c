/* cmd_filter.c - keep or drop records by a --where expression. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char *const usage[] = {
"Usage: cotlog filter --where EXPR [OPTIONS] [FILE...]\n"
"\n"
"Write the records for which EXPR holds, byte for byte as they came in:\n"
"a JSON Lines record as its whole line; a record inside an array or a\n"
"multi-line document as one line of its own (line breaks between its\n"
"tokens turned into spaces). EXPR is evaluated on each trace of a record\n"
"(see 'cotlog fields' for the names, and the README for the grammar):\n"
"  cotlog filter --where 'closed && think.words < 8000' data.jsonl\n"
"  cotlog filter --where 'rec.model == \"deepseek-r1\"' data.jsonl.gz\n"
"A record with no trace is evaluated once with every trace field null.\n"
"Expressions nest at most 200 levels deep (README, \"Expressions\").\n"
"\n"
"Options:\n"
"  -w, --where EXPR     the condition (required)\n"
"  --any                keep a record when a trace satisfies EXPR (default)\n"
"  --all                keep a record when every trace satisfies EXPR\n"
"  --per-trace          decide per trace: write the record once per kept\n"
"                       trace, with \"cot_trace\": INDEX added (--key)\n"
"  --key NAME           the key --per-trace adds (default: cot_trace)\n"
"  -v, --invert         keep the records that would be dropped\n"
"  --rejects FILE       write dropped records and malformed lines to FILE\n"
"                       (like -o: atomically, gzip for FILE.gz; not the\n"
"                       same file as -o)\n"
"  -e, --exit-status    exit 1 when no record was kept\n"
"  --stats              print kept, rejected, malformed and records read\n"
"                       to stderr (kept + rejected + malformed = records)\n"
"  -o, --output FILE    write to FILE, atomically (a temporary file\n"
"                       renamed at the end, keeping FILE's mode, through\n"
"                       a symlink); gzip for FILE.gz; a FIFO or device is\n"
"                       written to as it is; - is standard output\n"
"  --partial-ok         replace FILE even when the run is incomplete\n"
"                       (see below)\n"
"  --unbuffered         flush the output after each record\n",
INPUT_OPTIONS_HELP,
"  -h, --help           show this help\n"
"\n"
"An incomplete run (an input not read to its end, a write error, a\n"
"signal) never replaces the -o and --rejects files; with --partial-ok an\n"
"input error still commits what was read. Malformed lines do not make a\n"
"run incomplete: they are reported and sent to --rejects.\n"
"\n"
"Exit status: 0 ok; 1 with -e when nothing was kept; 2 usage error,\n"
"unreadable input or write error; 3 invalid expression (column and caret\n"
"shown), or a value of the wrong type met at run time (reported with the\n"
"record); 4 malformed records (reported, sent to --rejects).\n",
NULL };

enum mode { MODE_ANY, MODE_ALL, MODE_PER_TRACE };

typedef struct filter {
	const cot_analyzer *az;
	cot_expr *expr;		/* each worker compiles its own */
	const char *src;
	enum mode mode;
	bool invert;
	sink *rejects;
	char *key;		/* ,"KEY": */
	size_t keylen;
	uint64_t kept, rejected, errors, traces_kept;
	char *line;		/* a record with its line breaks as spaces */
	size_t linecap;
} filter;

/* Write record s of unit bytes b: a whole JSON Lines line as it is, a
 * record inside a line or document as one line of its own. With
 * index >= 0, "KEY":index is added before the object's final '}'. */
static void write_record(filter *f, sink *to, const cot_unit *u,
			 const char *b, const cot_record_span *s, long index)
{
	const char *p = b + s->off;
	size_t n = s->len, cut = SIZE_MAX;
	char num[32];
	/* the unit's own bytes are written by reference; a copy with its
	 * line breaks as spaces lives only until the next record */
	void (*put)(sink *, const void *, size_t) =
		s->whole_unit ? sink_write_unit : sink_write;

	if (!s->whole_unit) {
		if (n > f->linecap) {
			free(f->line);
			f->linecap = n * 2;
			f->line = malloc(f->linecap);
			if (!f->line) {
				diag("out of memory");
				exit(EXIT_USAGE);
			}
		}
		for (size_t i = 0; i < n; i++)
			f->line[i] = p[i] == '\n' || p[i] == '\r' ? ' ' : p[i];
		p = f->line;
	}
	if (index >= 0 && s->close != SIZE_MAX)
		cut = s->close - s->off;
	if (cut == SIZE_MAX) {
		put(to, p, n);
	} else {
		size_t keylen;
		const char *key = splice_key(f->key, f->keylen, s, &keylen);

		put(to, p, cut);
		sink_write(to, key, keylen);
		snprintf(num, sizeof num, "%ld", index);
		sink_write(to, num, strlen(num));
		put(to, p + cut, n - cut);
	}
	if (s->whole_unit && *cot_unit_eol(u))
		sink_write(to, cot_unit_eol(u), strlen(cot_unit_eol(u)));
	else
		sink_write(to, "\n", 1);	/* a record is a line */
	sink_record_done(to);
}

/* Does EXPR hold on trace i? 1, 0, or -1 after reporting an error. */
static int holds(run *r, filter *f, const where *w, uint64_t line,
		 size_t i)
{
	cot_value v;
	cot_error err;

	if (cot_expr_eval(&v, f->expr, r->res, i, &err)) {
		diag("%s:%llu: --where: %s", w->name,
		     (unsigned long long)line, err.message);
		status_at_least(r, EXIT_EXPR);
		f->errors++;
		return -1;
	}
	if (v.type == COT_TYPE_NULL)
		return 0;	/* no value: not kept */
	if (v.type != COT_TYPE_BOOL) {
		diag("%s:%llu: --where: the expression gave a value that is "
		     "not true or false", w->name,
		     (unsigned long long)line);
		status_at_least(r, EXIT_EXPR);
		f->errors++;
		return -1;
	}
	return v.b;
}

/* The record verdict in --any / --all, honouring -v. */
static int decide(run *r, filter *f, const where *w, uint64_t line)
{
	size_t n = cot_result_traces(r->res);
	int any = 0, all = 1, h;

	if (n == 0) {
		h = holds(r, f, w, line, COT_NO_TRACE);
		if (h < 0)
			return -1;
		any = all = h;
	}
	for (size_t i = 0; i < n; i++) {
		h = holds(r, f, w, line, i);
		if (h < 0)
			return -1;
		any |= h;
		all &= h;
		/* the answer is known: stop evaluating */
		if ((f->mode == MODE_ANY && any) ||
		    (f->mode == MODE_ALL && !all))
			break;
	}
	h = f->mode == MODE_ALL ? all : any;
	return f->invert ? !h : h;
}

static void reject(filter *f, const cot_unit *u, const char *b,
		   const cot_record_span *s)
{
	f->rejected++;
	if (f->rejects)
		write_record(f, f->rejects, u, b, s, -1);
}

static void per_trace(run *r, filter *f, const where *w, const cot_unit *u,
		      const char *b, const cot_record_span *s)
{
	size_t n = cot_result_traces(r->res);
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		int h = holds(r, f, w, s->line, i);

		if (h < 0)
			continue;
		if (f->invert)
			h = !h;
		if (h) {
			write_record(f, &out_sink, u, b, s, (long)i);
			f->traces_kept++;
			any = true;
		}
	}
	if (any)
		f->kept++;
	else
		reject(f, u, b, s);
}

static void filter_unit(run *r, const where *w, const cot_unit *u, void *p)
{
	filter *f = p;
	size_t len, n = cot_unit_records(u);
	const char *b = cot_unit_bytes(u, &len);

	if (cot_unit_kind_of(u) == COT_UNIT_MALFORMED ||
	    cot_unit_kind_of(u) == COT_UNIT_SKIPPED) {
		/* counted by run.c; the bytes go to the rejects as they are */
		if (f->rejects) {
			sink_write_unit(f->rejects, b, len);
			sink_write(f->rejects, *cot_unit_eol(u) ?
				   cot_unit_eol(u) : "\n",
				   *cot_unit_eol(u) ?
				   strlen(cot_unit_eol(u)) : 1);
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		cot_record_span s;
		int keep;

		s = unit_record(u, i);
		r->n.records++;
		if (!run_analyze(r, w, u, i)) {
			reject(f, u, b, &s);
			continue;
		}
		if (f->mode == MODE_PER_TRACE &&
		    cot_result_traces(r->res) > 0) {
			per_trace(r, f, w, u, b, &s);
			continue;
		}
		keep = decide(r, f, w, s.line);
		if (keep == 1) {
			f->kept++;
			write_record(f, &out_sink, u, b, &s, -1);
		} else {
			reject(f, u, b, &s);
		}
	}
}

/* A worker's own filter: its own compiled expression (an expression
 * keeps its evaluation stack inside), buffer and counts. */
static void *filter_fork(void *p)
{
	filter *f = malloc(sizeof *f);
	cot_error err;

	if (!f)
		exit(EXIT_USAGE);
	*f = *(filter *)p;
	f->kept = f->rejected = f->errors = f->traces_kept = 0;
	f->line = NULL;
	f->linecap = 0;
	if (cot_expr_compile(&f->expr, f->az, f->src, &err)) {
		diag("%s", err.message);
		exit(EXIT_USAGE);
	}
	return f;
}

static void filter_join(void *p, void *wp)
{
	filter *f = p, *w = wp;

	f->kept += w->kept;
	f->rejected += w->rejected;
	f->errors += w->errors;
	f->traces_kept += w->traces_kept;
	cot_expr_free(w->expr);
	free(w->line);
	free(w);
}

int cmd_filter(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "where", required_argument, NULL, 'w' },
		{ "any", no_argument, NULL, 'A' },
		{ "all", no_argument, NULL, 'L' },
		{ "per-trace", no_argument, NULL, 'T' },
		{ "key", required_argument, NULL, 'k' },
		{ "invert", no_argument, NULL, 'v' },
		{ "rejects", required_argument, NULL, 'R' },
		{ "exit-status", no_argument, NULL, 'e' },
		{ "stats", no_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "unbuffered", no_argument, NULL, 'U' },
		{ "partial-ok", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static sink rejects_sink;
	filter f = { 0 };
	job j = { filter_unit, &f, filter_fork, filter_join, NULL };
	const char *rejects = NULL, *output = NULL, *key = "cot_trace";
	bool exit_status = false, stats = false;
	cot_error err;
	run r;
	int c, status;

	run_init(&r, "filter", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqj:w:veo:", longopts, NULL))
	       != -1) {
		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'w': f.src = optarg; break;
		case 'A': f.mode = MODE_ANY; break;
		case 'L': f.mode = MODE_ALL; break;
		case 'T': f.mode = MODE_PER_TRACE; break;
		case 'k': key = optarg; break;
		case 'v': f.invert = true; break;
		case 'R': rejects = optarg; break;
		case 'e': exit_status = true; break;
		case 's': stats = true; break;
		case 'o': output = optarg; break;
		case 'U': out_set_unbuffered(true); break;
		case 'P': sink_partial_ok = true; break;
		}
	}
	if (!f.src)
		usage_error("filter", "--where EXPR is required");
	f.key = json_key_text(key, &f.keylen);
	run_start(&r);
	f.az = r.az;
	if (cot_expr_compile(&f.expr, r.az, f.src, &err)) {
		show_expr_error(f.src, &err);
		run_finish(&r);
		free(f.key);
		return err.code == COT_ENOMEM ? EXIT_USAGE : EXIT_EXPR;
	}
	/* run only the passes the expression reads */
	{
		size_t nf = cot_expr_fields(NULL, 0, f.expr);
		size_t *fields = malloc((nf ? nf : 1) * sizeof *fields);

		if (!fields) {
			diag("out of memory");
			return EXIT_USAGE;
		}
		cot_expr_fields(fields, nf, f.expr);
		run_need(&r, fields, nf);
		free(fields);
	}
	if (rejects && sink_same_file(output ? output : "-", rejects))
		usage_error("filter", "-o and --rejects name the same file "
			    "('%s'): the kept records would be lost", rejects);
	if (output && sink_open(&out_sink, output, 0))
		return EXIT_USAGE;
	if (rejects) {
		rejects_sink.is_stdout = false;
		rejects_sink.unbuffered = out_sink.unbuffered;
		if (sink_open(&rejects_sink, rejects, 1))
			return EXIT_USAGE;
		f.rejects = &rejects_sink;
	}
	run_files(&r, argv + optind, argc - optind, &j);
	if (sinks_close(!r.incomplete))
		status_at_least(&r, EXIT_USAGE);
	if (stats) {
		fprintf(stderr, "kept %llu, rejected %llu, malformed %llu, "
			"records %llu", (unsigned long long)f.kept,
			(unsigned long long)f.rejected,
			(unsigned long long)r.n.malformed,
			(unsigned long long)(f.kept + f.rejected +
					     r.n.malformed));
		if (f.mode == MODE_PER_TRACE)
			fprintf(stderr, ", traces kept %llu",
				(unsigned long long)f.traces_kept);
		if (f.errors)
			fprintf(stderr, ", expression errors %llu",
				(unsigned long long)f.errors);
		fputc('\n', stderr);
	}
	status = r.status;
	if (exit_status && f.kept == 0 && status < EXIT_NONE_KEPT)
		status = EXIT_NONE_KEPT;
	cot_expr_free(f.expr);
	run_finish(&r);
	free(f.key);
	free(f.line);
	return status;
}
