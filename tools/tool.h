/* tool.h - what the subcommands of cotlog share. */
#ifndef COT_TOOL_H
#define COT_TOOL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "cotlog.h"

/* Exit statuses (SPEC 5); when several apply the highest wins. */
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
 * opened on a path writes a temporary file beside it and renames it at
 * commit, so an interrupted run never leaves half a file. */
typedef struct sink {
	int fd;
	const char *name;	/* for messages */
	char *tmp;		/* the temporary file until commit */
	char buf[1 << 20];
	size_t used;
	bool unbuffered;
	bool is_stdout;
	int slot;
} sink;

extern sink out_sink;	/* standard output, or -o FILE */
void sink_write(sink *s, const void *p, size_t n);
void sink_flush(sink *s);
void sink_record_done(sink *s);	/* flushes with --unbuffered */
/* Open path through a temporary file (slot 0 for -o, 1 for rejects);
 * -1 after reporting an error. */
int sink_open(sink *s, const char *path, int slot);
int sink_commit(sink *s);
void sink_abandon_all(void);
void out_write(const void *p, size_t n);
void out_puts(const char *s);
void out_flush(void);
void out_set_unbuffered(bool on);
/* ,"KEY": with KEY escaped as a JSON string (malloc'd). */
char *json_key_text(const char *name, size_t *len);

/* diag.c: "cotlog: " diagnostics on stderr. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An expression error: the message, the expression, a caret under the
 * column. */
void show_expr_error(const char *src, const cot_error *err);
/* A usage error: message, hint to --help, exit 2. */
_Noreturn void usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* input.c: the options every reading command takes, and the loop over
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
"  --strict             stop at the first malformed record (exit 4)\n" \
"  -q, --quiet          do not report malformed lines one by one\n"

typedef struct counts {
	uint64_t records, traces, no_trace, malformed, units;
} counts;

typedef struct run {
	cot_analyzer_options opts;
	const char **patterns;	/* --pattern values, NULL-terminated */
	size_t npatterns;
	cot_analyzer *az;
	cot_result *res;
	bool strict, quiet;
	int status;		/* the highest exit status so far */
	counts n;
	uint64_t file_units;	/* units read from the current input */
	uint64_t bytes_done;	/* input bytes of the inputs finished */
	bool progress_on, progress_shown;
	double progress_start, progress_last;
	const char *cmd;
} run;

typedef void (*unit_fn)(run *r, cot_reader *rd, const cot_unit *u,
			void *ctx);

void run_init(run *r, const char *cmd);
/* Handle an input option from getopt_long; true when it was one. */
bool run_option(run *r, int opt, const char *arg);
/* Build the analyzer (exit 2 with a message on a bad option). */
void run_start(run *r);
/* Read every file in order ("-" or none: stdin), calling fn for each
 * unit (malformed and skipped units too, after reporting them). */
void run_files(run *r, char **files, int nfiles, unit_fn fn, void *ctx);
void run_finish(run *r);
/* Analyze record i of u into r->res; false (reported) on failure. */
bool run_analyze(run *r, cot_reader *rd, const cot_unit *u, size_t i);
void status_at_least(run *r, int status);

int cmd_annotate(int argc, char **argv);
int cmd_fields(int argc, char **argv);
/* ---- steps and patterns (issue 3) ---- */
/* ---- the pipeline (issue 5) ---- */
int cmd_filter(int argc, char **argv);

#endif
