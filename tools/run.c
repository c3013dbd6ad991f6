/* run.c - the input options and the loop over inputs every command shares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void run_init(run *r, const char *cmd, const char *const *usage)
{
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;

	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(r, 0, sizeof *r);
	r->opts = o;
	r->cmd = cmd;
	r->usage = usage;
	r->jobs = cores > 0 && cores < 256 ? (int)cores : 1;
}

void status_at_least(run *r, int status)
{
	if (status > r->status)
		r->status = status;
}

bool option_number(const char *arg, uint64_t min, uint64_t max,
		   uint64_t *out)
{
	uint64_t n = 0;

	if (!*arg)
		return false;
	for (const char *p = arg; *p; p++) {
		if (*p < '0' || *p > '9' ||
		    n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (n < min || n > max)
		return false;
	*out = n;
	return true;
}

bool run_option(run *r, int opt, const char *arg)
{
	switch (opt) {
	case 'h':
		for (const char *const *u = r->usage; *u; u++)
			out_puts(*u);
		out_flush();
		exit(EXIT_OK);
	case '?':
	case ':':
		usage_error(r->cmd, "unknown option");
	case 0x100:
		r->opts.field = arg;
		return true;
	case 0x101:
		r->opts.answer_field = arg;
		return true;
	case 0x102:
		r->opts.ref_field = arg;
		return true;
	case 0x103:
		if (!strcmp(arg, "think"))
			r->opts.untagged = COT_UNTAGGED_THINK;
		else if (!strcmp(arg, "answer"))
			r->opts.untagged = COT_UNTAGGED_ANSWER;
		else
			usage_error(r->cmd, "--untagged takes 'think' or "
				    "'answer', not '%s'", arg);
		return true;
	case 0x104:
		r->strict = true;
		return true;
	case 0x105:
		r->opts.patterns_file = arg;
		return true;
	case 0x106:
		r->patterns = realloc(r->patterns, (r->npatterns + 2) *
				      sizeof *r->patterns);
		if (!r->patterns)
			exit(EXIT_USAGE);
		r->patterns[r->npatterns++] = arg;
		r->patterns[r->npatterns] = NULL;
		r->opts.patterns = r->patterns;
		return true;
	case 0x107:
		r->opts.no_builtin_patterns = 1;
		return true;
	case 0x108:
		r->opts.target_script = arg;
		return true;
	case 'j': {
		uint64_t n;

		if (!option_number(arg, 1, 256, &n))
			usage_error(r->cmd, "-j takes a number of workers "
				    "from 1 to 256, not '%s'", arg);
		r->jobs = (int)n;
		return true;
	}
	case 0x109: {
		uint64_t n;

		if (!option_number(arg, 1, 64, &n))
			usage_error(r->cmd, "--ngram takes a number from 1 "
				    "to 64, not '%s'", arg);
		r->opts.ngram = (unsigned)n;
		return true;
	}
	case 0x10a: {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);

		if (*end || !*arg || *arg == '-' || n < 1 || n > 1000000000)
			usage_error(r->cmd, "--match-limit takes a number "
				    "of steps per byte from 1 to "
				    "1000000000, not '%s'", arg);
		r->opts.match_limit = (unsigned)n;
		return true;
	}
	case 0x10b:
		r->tokenizer_name = arg;
		return true;
	case 'q':
		r->quiet = true;
		return true;
	}
	return false;
}

/* Load --tokenizer into the options; a file that cannot be read or is
 * refused ends the run before any input is read. */
static void load_tokenizer(run *r)
{
	cot_error err;
	double t0 = now();

	if (!r->tokenizer_name)
		return;
	if (cot_tokenizer_load(&r->tokenizer, r->tokenizer_name, &err)) {
		diag("--tokenizer: %s", err.message);
		exit(EXIT_USAGE);
	}
	r->tokenizer_seconds = now() - t0;
	r->opts.tokenizer = r->tokenizer;
}

void run_report_tokenizer(const run *r)
{
	if (r->tokenizer)
		fprintf(stderr, "tokenizer %s, loaded in %.3f s\n",
			cot_tokenizer_path(r->tokenizer),
			r->tokenizer_seconds);
}

void run_start(run *r)
{
	cot_error err;
	int rc;

	load_tokenizer(r);
	rc = cot_analyzer_new(&r->az, &r->opts, &err);
	r->progress_on = isatty(STDERR_FILENO) && !r->quiet;
	r->progress_start = r->progress_last = now();

	if (rc == COT_EPATTERN) {	/* a bad pattern exits 3 */
		diag("%s", err.message);
		exit(EXIT_EXPR);
	}
	if (rc)
		usage_error(r->cmd, "%s", err.message);
	if (cot_result_new(&r->res, r->az, &err)) {
		diag("%s", err.message);
		exit(EXIT_USAGE);
	}
}

static void need(run *r, const size_t *fields, size_t n)
{
	cot_error err;

	free(r->need);
	r->need = malloc((n ? n : 1) * sizeof *r->need);
	if (!r->need) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	memcpy(r->need, fields, n * sizeof *fields);
	r->nneed = n;
	if (r->select ? cot_result_select(r->res, r->need, n, &err) :
			cot_result_need(r->res, r->need, n, &err)) {
		diag("%s", err.message);
		exit(EXIT_USAGE);
	}
}

void run_need(run *r, const size_t *fields, size_t n)
{
	r->select = false;
	need(r, fields, n);
}

void run_select(run *r, const size_t *fields, size_t n)
{
	r->select = true;
	need(r, fields, n);
}

size_t *run_fields(run *r, const char *option, const char *list,
		   size_t *n)
{
	size_t nf = cot_field_count(r->az);
	size_t *v = malloc((nf ? nf : 1) * sizeof *v);
	cot_error err;

	if (!v) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	switch (cot_fields_match(v, n, r->az, list, 0, &err)) {
	case COT_OK:
		return v;
	case COT_EINVAL:
		usage_error(r->cmd, "%s: %s", option, err.message);
	default:
		diag("%s", err.message);
		exit(EXIT_USAGE);
	}
}

void run_finish(run *r)
{
	free(r->need);
	r->need = NULL;
	free(r->patterns);
	r->patterns = NULL;
	for (size_t i = 0; i < r->nnames; i++)
		free(r->names[i]);
	free(r->names);
	r->names = NULL;
	r->nnames = 0;
	cot_result_free(r->res);
	cot_analyzer_free(r->az);
	cot_tokenizer_free(r->tokenizer);
	r->res = NULL;
	r->az = NULL;
	r->tokenizer = NULL;
}

bool run_analyze(run *r, const where *w, const cot_unit *u, size_t i)
{
	cot_error err;

	if (cot_analyze_unit(r->res, u, i, &err) == COT_OK)
		return true;
	diag("%s:%llu: %s", w->name,
	     (unsigned long long)unit_record(u, i).line, err.message);
	status_at_least(r, EXIT_USAGE);
	return false;
}

/* A progress line on stderr for long runs, only when stderr is a
 * terminal: records, MB/s of input, and for files the share read and
 * the time left. Looked at every 1024 units, redrawn twice a second. */
static void progress(run *r, cot_reader *rd, bool done)
{
	uint64_t got = cot_reader_consumed(rd), total = cot_reader_total(rd);
	double t = now(), secs;
	char line[160];
	int n;

	if (!r->progress_on)
		return;
	if (done) {
		if (r->progress_shown)
			fputs("\r\033[K", stderr);
		r->progress_shown = false;
		return;
	}
	if (t - r->progress_last < 0.5)
		return;
	r->progress_last = t;
	secs = t - r->progress_start;
	if (secs < 1.0)
		return;
	n = snprintf(line, sizeof line, "cotlog: %s: %llu records, %.1f MB/s",
		     cot_reader_name(rd), (unsigned long long)r->seen_records,
		     (double)(r->bytes_done + got) / 1e6 / secs);
	if (total && got <= total && n > 0 && (size_t)n < sizeof line) {
		double left = (double)(total - got) /
			      ((double)(r->bytes_done + got) / secs);

		snprintf(line + n, sizeof line - (size_t)n,
			 ", %.0f%%, %d:%02d left", 100.0 * (double)got /
			 (double)total, (int)left / 60, (int)left % 60);
	}
	{
		/* the file name is the user's, the bytes anybody's */
		char safe[3 * sizeof line];

		term_clean_buf(safe, sizeof safe, line, strlen(line));
		fprintf(stderr, "\r\033[K%s", safe);
	}
	r->progress_shown = true;
}

static void stop_strict(run *r)
{
	/* stopped before the end: -o FILE stays as it was */
	sinks_close(false);
	run_finish(r);
	exit(r->status);
}

/* What one event of reading does, the same on every thread: a unit is
 * reported if malformed, counted, and given to the command; a stream
 * error is reported and counted. Workers run this on their own run. */
void run_event(run *r, const job *j, void *ctx, const event *ev)
{
	if (ev->error) {
		diag("%s", ev->error);
		if (ev->error_code == COT_EPARSE) {
			r->n.malformed++;
			status_at_least(r, EXIT_MALFORMED);
		} else {
			status_at_least(r, EXIT_USAGE);
		}
		if (j->error)
			j->error(r, ev, ctx);
		return;
	}
	r->n.units++;
	if (cot_unit_kind_of(ev->unit) == COT_UNIT_MALFORMED) {
		const cot_error *e = cot_unit_error(ev->unit);
		bool cut = e->code == COT_EIO;	/* the input's error follows */

		r->n.malformed++;
		status_at_least(r, cut ? EXIT_USAGE : EXIT_MALFORMED);
		if (!r->quiet || cut)
			diag("%s:%llu: %s%s", ev->where.name,
			     (unsigned long long)e->line,
			     cut ? "" : "malformed JSON: ", e->message);
	}
	j->fn(r, &ev->where, ev->unit, ctx);
}

/* One input to its end, handing each event to deliver (directly, or to
 * the workers). Returns false when --strict says stop. */
static bool read_one(run *r, const char *path, deliver_fn deliver,
		     void *dctx)
{
	cot_reader *rd;
	const cot_unit *u;
	cot_error err;
	event ev;
	bool go_on = true, first = true;
	int rc;

	memset(&ev, 0, sizeof ev);
	ev.where.name = path;
	if (cot_reader_open_path(&rd, path, &err)) {
		r->incomplete = true;
		ev.error = err.message;
		ev.error_code = err.code;
		deliver(dctx, &ev);
		return true;
	}
	/* the name outlives the reader: messages of queued units use it */
	ev.where.name = keep_name(r, cot_reader_name(rd));
	while ((rc = cot_reader_next(&u, rd, &err)) != COT_DONE) {
		if (rc) {
			/* a read error, a cut compressed stream, a broken
			 * document: the input is not all there */
			r->incomplete = true;
			ev.unit = NULL;
			ev.error = err.message;
			ev.error_code = rc;
			deliver(dctx, &ev);
			ev.error = NULL;
			if (rc == COT_EPARSE && !r->strict)
				continue;	/* the rest comes as skipped */
			go_on = rc != COT_EPARSE;
			break;
		}
		ev.unit = u;
		ev.where.first = first;
		ev.where.bom = cot_reader_had_bom(rd);
		first = false;
		r->seen_records += cot_unit_records(u);
		deliver(dctx, &ev);
		if (r->strict && cot_unit_kind_of(u) == COT_UNIT_MALFORMED) {
			go_on = false;
			break;
		}
		if ((++r->seen_units & 1023) == 0)
			progress(r, rd, false);
	}
	progress(r, rd, true);
	r->bytes_done += cot_reader_consumed(rd);
	cot_reader_free(rd);
	return go_on;
}

typedef struct direct {
	run *r;
	const job *j;
} direct;

static void deliver_direct(void *p, const event *ev)
{
	direct *d = p;

	run_event(d->r, d->j, d->j->ctx, ev);
}

void run_files(run *r, char **files, int nfiles, const job *j)
{
	char *dash[] = { (char *)"-" };
	direct d = { r, j };
	workers *w = NULL;
	deliver_fn deliver = deliver_direct;
	void *dctx = &d;
	bool go_on = true;

	if (nfiles == 0) {
		files = dash;
		nfiles = 1;
	}
	if (r->jobs > 1 && j->fork && !out_sink.unbuffered) {
		w = workers_start(r, j);
		deliver = workers_deliver;
		dctx = w;
	}
	for (int i = 0; i < nfiles && go_on; i++)
		go_on = read_one(r, files[i], deliver, dctx);
	if (w)
		workers_finish(w);
	if (!go_on)
		stop_strict(r);
}

/* File names live until the run ends (units queued for workers point
 * at them). */
const char *keep_name(run *r, const char *name)
{
	char **v = realloc(r->names, (r->nnames + 1) * sizeof *v);

	if (!v || !(v[r->nnames] = strdup(name))) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	r->names = v;
	return v[r->nnames++];
}
