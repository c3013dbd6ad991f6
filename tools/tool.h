/* tool.h - what the subcommands of cotlog share. */
#ifndef COT_TOOL_H
#define COT_TOOL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "cotlog.h"

/* Exit statuses (README "Exit status"); when several apply the highest wins. */
enum {
	EXIT_OK = 0,
	EXIT_NONE_KEPT = 1,
	EXIT_USAGE = 2,		/* also unreadable input, write errors */
	EXIT_EXPR = 3,
	EXIT_MALFORMED = 4,
};

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

/* output.c: buffered sinks. A closed stdout ends the program at once
 * with status 0; any other write error is reported and exits 2. A sink
 * opened on a regular file (or a name not yet taken) writes a temporary
 * file beside it, renamed over it by sinks_close only when the run was
 * complete, so an interrupted or failed run never leaves half a file;
 * anything else (a FIFO, a device, "-") is written straight through. A
 * path ending in .gz gets gzip. */
typedef struct sink {
	int fd;
	const char *name;	/* for messages */
	char *tmp;		/* the temporary file until commit */
	char *target;		/* what tmp replaces (symbolic links followed) */
	bool direct;		/* written straight through, nothing to rename */
	void *gz;		/* z_stream, for a path ending in .gz */
	char buf[1 << 20];
	size_t used;
	bool unbuffered;
	bool is_stdout;
	int slot;
} sink;

extern sink out_sink;	/* standard output, or -o FILE */

/* Bytes of a unit written by reference: a worker's output holds where
 * they are, not a copy, for they live as long as the batch. */
typedef struct borrowed {
	size_t at;		/* where they go in the part's buffer */
	const char *p;
	size_t n;
} borrowed;

/* Output of a worker thread, held for the writer (workers.c). */
typedef struct redirect {
	struct {
		sink *to;
		cot_buf buf;
		borrowed *ref;	/* in order of at */
		size_t nref, capref;
	} part[2];
	cot_buf err;		/* diagnostics */
} redirect;
void redirect_begin(redirect *r);	/* this thread writes into r */
void redirect_end(void);
bool redirect_diag(const char *msg, size_t n);
void redirect_flush(redirect *r);	/* to the real sinks, stderr */
void redirect_clear(redirect *r);
void redirect_dispose(redirect *r);
void sink_write(sink *s, const void *p, size_t n);
/* The same for bytes of the unit being handled (cot_unit_bytes), which
 * a worker's output then refers to instead of copying: a record of a
 * hundred megabytes is not held twice. */
void sink_write_unit(sink *s, const void *p, size_t n);
void sink_flush(sink *s);
void sink_record_done(sink *s);	/* flushes with --unbuffered */
/* Open path (slot 0 for -o, 1 for rejects): a regular file through a
 * temporary file, keeping its mode; "-" standard output; a FIFO or a
 * device as it is. gzip when path ends in .gz. -1 after reporting an
 * error. */
int sink_open(sink *s, const char *path, int slot);
/* Whether two output paths are the same file (see output.c). */
bool sink_same_file(const char *a, const char *b);
/* --partial-ok: an incomplete run still replaces the files. */
extern bool sink_partial_ok;
/* Flush and close every sink; rename the temporary files over their
 * files when complete (or sink_partial_ok), else remove them and leave
 * the files as they were. -1 after reporting an error (then no file
 * was replaced). */
int sinks_close(bool complete);
void sink_abandon_all(void);
void out_write(const void *p, size_t n);
void out_write_unit(const void *p, size_t n);	/* sink_write_unit */
void out_puts(const char *s);
void out_flush(void);
void out_set_unbuffered(bool on);
/* Called, when set, before a closed standard output ends the program:
 * show waits there for the pager that quit. */
extern void (*out_closed_hook)(void);
/* What reaches a terminal from data (record fields, file names, pattern
 * names, text) goes through term_clean, so that no escape sequence in
 * the data can drive the terminal. term_char: the length of the
 * character at s[0..n) (n > 0), and in *safe whether it may go to a
 * terminal as it is: not for C0 controls (TAB and LF included: the
 * caller decides), DEL, C1 controls (U+0080-U+009F), and bytes that are
 * not UTF-8 (a broken character counts as one). */
size_t term_char(const char *s, size_t n, bool *safe);
/* s[0..n) to emit, each unsafe character as U+FFFD (TAB and LF kept when
 * lines is true). */
void term_clean(const char *s, size_t n, bool lines,
		void (*emit)(void *ctx, const char *p, size_t n), void *ctx);
/* The same into dst (cap bytes, NUL-terminated, cut at a character);
 * its length. */
size_t term_clean_buf(char *dst, size_t cap, const char *s, size_t n);
/* The same to the output. */
void out_safe(const char *s, size_t n);
void out_safe_cstr(const char *s);
/* ,"KEY": with KEY as a JSON string safe on a terminal (malloc'd). */
char *json_key_text(const char *name, size_t *len);
/* Of that text, what goes before the final '}' of record s (annotate's
 * profiles, filter's --index): its ',' only when the object has a key
 * already. Its length in *n. */
static inline const char *splice_key(const char *key, size_t keylen,
				     const cot_record_span *s, size_t *n)
{
	*n = keylen - (s->empty_object ? 1 : 0);
	return key + (s->empty_object ? 1 : 0);
}

/* by.c: --by KEY, each time given, added to *by (malloc'd): the keys
 * joined by COT_SUMMARY_KEY_SEP (a key holding that byte: exit 3, with
 * a caret under it); and an error of cot_summary_new on by shown with
 * the key it is in and a caret under its column. */
void by_add(char **by, const char *key);
void by_show_error(const char *by, const cot_error *err);

/* diag.c: "cotlog: " diagnostics on stderr. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An expression error: the message, the expression, a caret under the
 * column. */
void show_expr_error(const char *src, const cot_error *err);
/* A usage error: message, hint to --help, exit 2. */
_Noreturn void usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* run.c: the options every reading command takes, and the loop over
 * its inputs. */
#define INPUT_LONG_OPTIONS \
	{ "field", required_argument, NULL, 0x100 }, \
	{ "answer-field", required_argument, NULL, 0x101 }, \
	{ "ref-field", required_argument, NULL, 0x102 }, \
	{ "untagged", required_argument, NULL, 0x103 }, \
	{ "strict", no_argument, NULL, 0x104 }, \
	{ "patterns", required_argument, NULL, 0x105 }, \
	{ "pattern", required_argument, NULL, 0x106 }, \
	{ "no-builtin-patterns", no_argument, NULL, 0x107 }, \
	{ "target-script", required_argument, NULL, 0x108 }, \
	{ "ngram", required_argument, NULL, 0x109 }, \
	{ "match-limit", required_argument, NULL, 0x10a }, \
	{ "tokenizer", required_argument, NULL, 0x10b }, \
	{ "jobs", required_argument, NULL, 'j' }, \
	{ "quiet", no_argument, NULL, 'q' }

#define INPUT_OPTIONS_HELP \
"Input options:\n" \
"  --field PATH         read the reasoning (or the whole tagged text) from\n" \
"                       PATH instead of detecting the record's shape;\n" \
"                       PATH is like a.b[0].c, [-1] counts from the end,\n" \
"                       [*] makes one trace per element, [\"k.x\"] quotes\n" \
"  --answer-field PATH  read the answer from PATH\n" \
"  --ref-field PATH     read the reference answer from PATH\n" \
"  --untagged think|answer\n" \
"                       text with no tag marker is reasoning / answer\n" \
"                       (default: a message's text is the answer, a bare\n" \
"                       text field the reasoning)\n" \
"  --patterns FILE      add the patterns of FILE (see 'cotlog patterns')\n" \
"  --pattern NAME=REGEX add one pattern (family: user); repeatable\n" \
"  --no-builtin-patterns  only the patterns given by the two options above\n" \
"  --target-script NAME the script the reasoning should be in (Latin, Han,\n" \
"                       ...): lang.target_share\n" \
"  --ngram N            n of the word n-gram repetition ratio (default 3)\n" \
"  --match-limit N      pattern matching may take N pcre2 steps per byte\n" \
"                       of a trace's reasoning, plus 10 million (default\n" \
"                       100); past it the trace is an error (exit 2)\n" \
"  --tokenizer FILE|MODEL\n" \
"                       count tokens with this tokenizer.json (a file, a\n" \
"                       folder holding one, or a model id in the local\n" \
"                       Hugging Face cache): think.tokens, answer.tokens,\n" \
"                       preamble.tokens and the *_tokens fields\n" \
"  --strict             stop at the first malformed record (exit 4)\n" \
"  -j, --jobs N         analyze with N worker threads (default: the number\n" \
"                       of cores); the output is the same as with -j 1\n" \
"  -q, --quiet          do not report malformed lines one by one\n"

typedef struct counts {
	uint64_t records, traces, no_trace, tool_only, malformed, units;
} counts;

/* Where a unit comes from: its input's name, whether that input began
 * with a BOM, and whether the unit is the input's first. */
typedef struct where {
	const char *name;
	bool bom;
	bool first;
} where;

typedef struct run {
	cot_analyzer_options opts;
	const char **patterns;	/* --pattern values, NULL-terminated */
	size_t npatterns;
	cot_analyzer *az;
	const char *tokenizer_name;	/* --tokenizer */
	cot_tokenizer *tokenizer;
	double tokenizer_seconds;	/* its load time */
	cot_result *res;	/* this thread's */
	size_t *need;           /* cot_result_need for every result, or NULL */
	size_t nneed;
	bool select;		/* need by cot_result_select: profiles hold
				 * only those fields */
	bool strict, quiet;
	bool incomplete;	/* an input was not read to its end */
	int jobs;		/* -j */
	int status;		/* the highest exit status so far */
	counts n;
	char **names;		/* input names, kept to the end */
	size_t nnames;
	uint64_t seen_units, seen_records;	/* by the reader */
	uint64_t bytes_done;	/* input bytes of the inputs finished */
	bool progress_on, progress_shown;
	double progress_start, progress_last;
	const char *cmd;
	const char *const *usage;	/* the --help text, in pieces */
} run;

typedef void (*unit_fn)(run *r, const where *w, const cot_unit *u,
			void *ctx);

/* What a command does with its input. fn is called for every unit in
 * input order (malformed and skipped units too, after run.c reported
 * them). With fork and join, -j N runs fn on N worker threads, each
 * with its own run (own result, counters) and the context fork made;
 * their output is written in input order, and join folds a worker's
 * context back into ctx (and frees it). Without fork the command runs
 * on one thread. */
struct event;
typedef struct job {
	unit_fn fn;
	void *ctx;
	void *(*fork)(void *ctx);
	void (*join)(void *ctx, void *worker_ctx);
	/* called after run.c reported a stream error (a broken document:
	 * error_code COT_EPARSE; an unreadable input); may be NULL */
	void (*error)(run *r, const struct event *ev, void *ctx);
} job;

/* An event of reading: a unit, or a stream error message. */
typedef struct event event;
struct event {
	const cot_unit *unit;
	where where;
	const char *error;	/* NULL for a unit */
	int error_code;
};

typedef void (*deliver_fn)(void *ctx, const event *ev);

/* usage is the command's --help text: pieces, NULL-terminated, for one
 * literal would pass the 4095 characters C11 compilers must take. */
void run_init(run *r, const char *cmd, const char *const *usage);
/* Handle an option from getopt_long common to the reading commands:
 * the input options (true when it was one), -h (prints usage, exits 0)
 * and an unknown option or missing argument (usage error, exit 2). */
bool run_option(run *r, int opt, const char *arg);
/* An option's number: decimal digits only (no sign, no space: strtoul
 * would read "-1" as its largest value), from min to max; false for
 * anything else. */
bool option_number(const char *arg, uint64_t min, uint64_t max,
		   uint64_t *out);
/* Load --tokenizer and build the analyzer (exit 2 with a message on a
 * bad option or tokenizer, 3 on a bad pattern). */
void run_start(run *r);
/* --stats: the tokenizer's file and load time on stderr, if any. */
void run_report_tokenizer(const run *r);
/* Read every file in order ("-" or none: stdin). */
void run_files(run *r, char **files, int nfiles, const job *j);
void run_finish(run *r);
/* Record i of u, an index below cot_unit_records(u) (so it cannot
 * fail: the span would be zeroed if it did). */
static inline cot_record_span unit_record(const cot_unit *u, size_t i)
{
	cot_record_span s;

	if (cot_unit_record(&s, u, i, NULL) != COT_OK)
		s.line = 0;	/* zeroed by the library already */
	return s;
}
/* Analyze record i of u into r->res; false (reported) on failure. */
bool run_analyze(run *r, const where *w, const cot_unit *u, size_t i);
void status_at_least(run *r, int status);
/* Analyze only what fields[0..n) need, on every thread (see
 * cot_result_need). */
void run_need(run *r, const size_t *fields, size_t n);
/* The same, and the JSON profiles hold only these fields (see
 * cot_result_select). */
void run_select(run *r, const size_t *fields, size_t n);
/* The fields named by LIST: names and shell patterns (fnmatch(3)),
 * comma-separated; a name or pattern that matches nothing is a usage
 * error of r's command naming option. Their count in *n. */
size_t *run_fields(run *r, const char *option, const char *list,
		   size_t *n);
/* What one event does (run.c; workers.c calls it on their threads). */
void run_event(run *r, const job *j, void *ctx, const event *ev);
const char *keep_name(run *r, const char *name);

/* stream_lines.c: annotate --stream, lines that are the chunks of
 * streamed responses; one thread. key: ,"KEY": (borrowed). */
typedef struct stream_lines stream_lines;
stream_lines *stream_lines_new(const char *key, size_t keylen);
void stream_lines_unit(run *r, const where *w, const cot_unit *u, void *p);
/* End the streams still open (cut), write everything, free sl. */
void stream_lines_finish(run *r, stream_lines *sl);

/* workers.c: the -j pipeline: one reader (the caller), N analysers, a
 * writer that puts their output out in input order. */
typedef struct workers workers;
workers *workers_start(run *r, const job *j);
void workers_deliver(void *w, const event *ev);
/* Drain, join the workers' runs and contexts into r and the job. */
void workers_finish(workers *w);

int cmd_annotate(int argc, char **argv);
int cmd_fields(int argc, char **argv);
/* ---- steps and patterns ---- */
int cmd_show(int argc, char **argv);
int cmd_steps(int argc, char **argv);
int cmd_patterns(int argc, char **argv);
/* jsonout.c: s[0..n) as a JSON string literal safe on a terminal
 * (cot_json_string with COT_JSON_TERMINAL); a C string (NULL: null); a
 * number. */
void out_json_str(const char *s, size_t n);
void out_json_cstr(const char *s);
void out_uint(uint64_t v);
/* The --by argument of show and steps; exits 2 on anything else. */
cot_by by_option(const char *cmd, const char *arg);
/* ---- the pipeline ---- */
int cmd_filter(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_report(int argc, char **argv);
/* ---- tokens ---- */
int cmd_tokens(int argc, char **argv);

#endif
