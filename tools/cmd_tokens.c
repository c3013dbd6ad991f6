/* cmd_tokens.c - cotlog tokens: exact token counts (and ids) of texts or
 * traces, by a model's own tokenizer.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool.h"

static const char *const usage[] = {
"Usage: cotlog tokens --tokenizer FILE|MODEL [OPTIONS] [FILE...]\n"
"\n"
"Count the tokens of texts with a model's own tokenizer.json, exactly as\n"
"Hugging Face tokenizers encodes them without special tokens (README\n"
"\"Tokens\"). By default each FILE holds records, read as 'annotate' reads\n"
"them, and each record gives one line: a JSON array with one object per\n"
"trace, {\"think\":N,\"answer\":N} (the think.tokens and answer.tokens of\n"
"its profile). A malformed record gives the line null. FILE may be gzip;\n"
"'-' or no FILE reads stdin.\n"
"\n"
"Options:\n"
"  --tokenizer FILE|MODEL\n"
"                       the tokenizer.json: a file, a folder holding one,\n"
"                       or a model id (OWNER/NAME) in the local Hugging\n"
"                       Face cache ($HF_HUB_CACHE, $HF_HOME/hub,\n"
"                       $XDG_CACHE_HOME/huggingface/hub,\n"
"                       ~/.cache/huggingface/hub); required\n"
"  --ids                the token ids instead of their number: arrays in\n"
"                       the trace objects; with --text and --lines the ids\n"
"                       separated by spaces\n"
"  --text               each FILE (or stdin) is one text, bytes as they\n"
"                       are: prints \"N<TAB>FILE\" (one worker, no gzip)\n"
"  --lines              each line of the input (without its LF or CRLF) is\n"
"                       one text: prints its count (one worker, no gzip)\n"
"  --stats              print the tokenizer's load time and the texts,\n"
"                       bytes, tokens and MB/s to stderr at the end\n"
"\n"
"Bytes that are not UTF-8 count as U+FFFD, one per maximal ill-formed\n"
"subpart, as the Rust crate sees the string Python decodes with\n"
"errors=\"replace\". Records: the input options below apply.\n"
"\n",
INPUT_OPTIONS_HELP,
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 all well-formed; 2 usage error, a tokenizer that cannot\n"
"be read or is refused, unreadable input or write error; 4 some records\n"
"were malformed.\n",
NULL };

typedef struct tokens_ctx {
	bool ids;
	const cot_tokenizer *tok;
	cot_encoder *enc;	/* this thread's */
	uint64_t texts, bytes, tokens;
} tokens_ctx;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const cot_error *err)
{
	diag("%s", err->message);
	exit(EXIT_USAGE);
}

/* Encode s[0..n) and write its count, or with --ids its ids separated
 * by sep, then after. */
static void encode(tokens_ctx *t, const char *s, size_t n, bool json)
{
	const uint32_t *ids;
	size_t count;
	cot_error err;

	if (cot_encode(t->enc, s, n, t->ids ? &ids : NULL, &count, &err))
		fail(&err);
	t->texts++;
	t->bytes += n;
	t->tokens += count;
	if (!t->ids) {
		out_uint(count);
		return;
	}
	if (json)
		out_puts("[");
	for (size_t i = 0; i < count; i++) {
		if (i)
			out_puts(json ? "," : " ");
		out_uint(ids[i]);
	}
	if (json)
		out_puts("]");
}

static void tokens_unit(run *r, const where *w, const cot_unit *u, void *p)
{
	tokens_ctx *t = p;

	(void)w;
	if (cot_unit_kind_of(u) == COT_UNIT_MALFORMED) {
		out_puts("null\n");
		return;
	}
	for (size_t i = 0; i < cot_unit_records(u); i++) {
		size_t n = 0;

		r->n.records++;
		if (!run_analyze(r, w, u, i)) {
			out_puts("null\n");
			continue;
		}
		n = cot_result_traces(r->res);
		r->n.traces += n;
		out_puts("[");
		for (size_t k = 0; k < n; k++) {
			size_t len;
			const char *s = cot_result_reasoning(r->res, k, &len);

			out_puts(k ? ",{\"think\":" : "{\"think\":");
			encode(t, s, len, true);
			s = cot_result_answer(r->res, k, &len);
			out_puts(",\"answer\":");
			encode(t, s, len, true);
			out_puts("}");
		}
		out_puts("]\n");
	}
}

static void *tokens_fork(void *p)
{
	tokens_ctx *t = calloc(1, sizeof *t), *from = p;
	cot_error err;

	if (!t)
		exit(EXIT_USAGE);
	t->ids = from->ids;
	t->tok = from->tok;
	if (cot_encoder_new(&t->enc, t->tok, &err))
		fail(&err);
	return t;
}

static void tokens_join(void *p, void *wp)
{
	tokens_ctx *t = p, *w = wp;

	t->texts += w->texts;
	t->bytes += w->bytes;
	t->tokens += w->tokens;
	cot_encoder_free(w->enc);
	free(w);
}

/* --text and --lines: plain files read with stdio. */
static void read_texts(run *r, tokens_ctx *t, const char *name, bool lines)
{
	bool is_stdin = !strcmp(name, "-");
	FILE *f = is_stdin ? stdin : fopen(name, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		diag("%s: %s", name, strerror(errno));
		status_at_least(r, EXIT_USAGE);
		return;
	}
	if (lines) {
		ssize_t got;

		while ((got = getline(&buf, &cap, f)) > 0) {
			n = (size_t)got;
			if (buf[n - 1] == '\n' && --n && buf[n - 1] == '\r')
				n--;
			encode(t, buf, n, false);
			out_puts("\n");
		}
	} else {
		for (;;) {
			if (n == cap) {
				char *b = realloc(buf, cap = cap ? 2 * cap :
								   1 << 16);
				if (!b) {
					diag("out of memory");
					exit(EXIT_USAGE);
				}
				buf = b;
			}
			size_t got = fread(buf + n, 1, cap - n, f);

			if (!got)
				break;
			n += got;
		}
		if (!ferror(f)) {
			encode(t, buf, n, false);
			out_puts("\t");
			out_safe_cstr(name);
			out_puts("\n");
		}
	}
	if (ferror(f)) {
		diag("%s: %s", name, strerror(errno));
		status_at_least(r, EXIT_USAGE);
	}
	free(buf);
	if (!is_stdin)
		fclose(f);
}

int cmd_tokens(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ids", no_argument, NULL, 'i' },
		{ "text", no_argument, NULL, 't' },
		{ "lines", no_argument, NULL, 'l' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	tokens_ctx t = { 0 };
	job j = { tokens_unit, &t, tokens_fork, tokens_join, NULL };
	bool text = false, lines = false, stats = false;
	size_t core;
	cot_error err;
	double t0;
	run r;
	int c;

	run_init(&r, "tokens", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqj:", longopts, NULL)) != -1) {
		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'i':
			t.ids = true;
			break;
		case 't':
			text = true;
			break;
		case 'l':
			lines = true;
			break;
		case 's':
			stats = true;
			break;
		}
	}
	if (!r.tokenizer_name)
		usage_error("tokens", "--tokenizer is required");
	if (text && lines)
		usage_error("tokens", "--text and --lines exclude each other");
	run_start(&r);
	t.tok = r.tokenizer;
	if (cot_encoder_new(&t.enc, t.tok, &err))
		fail(&err);
	t0 = now();
	if (text || lines) {
		if (optind == argc)
			read_texts(&r, &t, "-", lines);
		for (int i = optind; i < argc; i++)
			read_texts(&r, &t, argv[i], lines);
	} else {
		/* the texts are all it reads of a trace: only the core
		 * pass runs */
		if (cot_field_find(&core, r.az, "think.bytes", &err))
			fail(&err);
		run_need(&r, &core, 1);
		run_files(&r, argv + optind, argc - optind, &j);
	}
	out_flush();
	if (stats) {
		double secs = now() - t0;

		run_report_tokenizer(&r);
		fprintf(stderr, "texts %llu, bytes %llu, tokens %llu, %.3f s, "
			"%.1f MB/s\n", (unsigned long long)t.texts,
			(unsigned long long)t.bytes,
			(unsigned long long)t.tokens, secs,
			secs > 0 ? (double)t.bytes / secs / 1e6 : 0.0);
	}
	cot_encoder_free(t.enc);
	run_finish(&r);
	return r.status;
}
