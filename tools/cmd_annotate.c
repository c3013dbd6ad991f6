/* cmd_annotate.c - write the input back with a profile added to each record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char *const usage[] = {
"Usage: cotlog annotate [OPTIONS] [FILE...]\n"
"\n"
"Write the input back byte for byte, with one key added before the final\n"
"'}' of every record object: \"cot\": [PROFILE, ...], one profile per trace\n"
"(an empty array where no trace was found). Line N of the output is line N\n"
"of the input; blank and malformed lines are written back unchanged (and\n"
"malformed ones reported). FILE may be gzip; '-' or no FILE reads stdin.\n"
"\n"
"Options:\n"
"  --key NAME           the key to add (default: cot)\n"
"  --fields LIST        profiles hold only these fields: names and shell\n"
"                       patterns, comma-separated (think.*,status or\n"
"                       families.*.count); only the analysis they need\n"
"                       runs, so a short list is faster (default: every\n"
"                       field)\n"
"  --stats              print counts of records, traces, no_trace,\n"
"                       tool_only and malformed lines to stderr at the end\n"
"                       (and the --tokenizer file and its load time)\n"
"  --stream             each line is a chunk of a streamed response\n"
"                       (chat.completion.chunk, Anthropic or Responses\n"
"                       events, Gemini stream responses, Bedrock events):\n"
"                       chunks are joined by their stream's id, and the\n"
"                       profiles of the response go on the stream's last\n"
"                       chunk; other lines are written back unchanged\n"
"                       (one worker; a record is a stream)\n",
INPUT_OPTIONS_HELP,
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 all well-formed; 2 usage error, unreadable input or write\n"
"error; 4 some records were malformed (reported, written back unchanged).\n"
"Profile fields: see 'cotlog fields'.\n",
NULL };

typedef struct annotate {
	char *key;		/* ,"KEY": with the key JSON-escaped */
	size_t keylen;
	cot_buf json;
} annotate;

static void annotate_unit(run *r, const where *w, const cot_unit *u,
			  void *p)
{
	annotate *a = p;
	size_t len, pos = 0, n = cot_unit_records(u);
	const char *bytes = cot_unit_bytes(u, &len);

	if (w->first && w->bom)
		out_write("\xEF\xBB\xBF", 3);	/* byte for byte */
	for (size_t i = 0; i < n; i++) {
		cot_record_span s;
		cot_error err;
		const char *key;
		size_t traces, keylen;

		s = unit_record(u, i);
		r->n.records++;
		if (!run_analyze(r, w, u, i))
			continue;
		traces = cot_result_traces(r->res);
		r->n.traces += traces;
		if (traces == 0 && cot_result_tool_only(r->res))
			r->n.tool_only++;
		else
			r->n.no_trace += traces == 0;
		if (s.close == SIZE_MAX)	/* not an object: unchanged */
			continue;
		a->json.size = 0;
		if (cot_result_json(&a->json, r->res, &err)) {
			diag("%s", err.message);
			exit(EXIT_USAGE);
		}
		out_write_unit(bytes + pos, s.close - pos);
		key = splice_key(a->key, a->keylen, &s, &keylen);
		out_write(key, keylen);
		out_write(a->json.ptr, a->json.size);
		pos = s.close;
	}
	out_write_unit(bytes + pos, len - pos);
	out_puts(cot_unit_eol(u));
}

/* A worker's own annotate: the same key, its own JSON buffer. */
static void *annotate_fork(void *p)
{
	annotate *a = malloc(sizeof *a);

	if (!a)
		exit(EXIT_USAGE);
	*a = *(annotate *)p;
	memset(&a->json, 0, sizeof a->json);
	return a;
}

static void annotate_join(void *p, void *wp)
{
	annotate *a = wp;

	(void)p;
	cot_buf_dispose(&a->json);
	free(a);
}

int cmd_annotate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "fields", required_argument, NULL, 'f' },
		{ "stats", no_argument, NULL, 's' },
		{ "stream", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	annotate a = { 0 };
	job j = { annotate_unit, &a, annotate_fork, annotate_join, NULL };
	const char *key = "cot", *fields = NULL;
	bool stats = false, streams = false;
	stream_lines *sl = NULL;
	run r;
	int c;

	run_init(&r, "annotate", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqj:", longopts, NULL)) != -1) {
		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'k':
			key = optarg;
			break;
		case 's':
			stats = true;
			break;
		case 'S':
			streams = true;
			break;
		case 'f':
			fields = optarg;
			break;
		}
	}
	a.key = json_key_text(key, &a.keylen);
	run_start(&r);
	if (fields) {
		size_t n;
		size_t *v = run_fields(&r, "--fields", fields, &n);

		run_select(&r, v, n);
		free(v);
	}
	if (streams) {	/* a stream's chunks are read in order */
		sl = stream_lines_new(a.key, a.keylen);
		j = (job){ stream_lines_unit, sl, NULL, NULL, NULL };
	}
	run_files(&r, argv + optind, argc - optind, &j);
	if (sl)
		stream_lines_finish(&r, sl);
	out_flush();
	if (stats)
		run_report_tokenizer(&r);
	if (stats)
		fprintf(stderr, "records %llu, traces %llu, no_trace %llu, "
			"tool_only %llu, malformed %llu\n",
			(unsigned long long)r.n.records,
			(unsigned long long)r.n.traces,
			(unsigned long long)r.n.no_trace,
			(unsigned long long)r.n.tool_only,
			(unsigned long long)r.n.malformed);
	run_finish(&r);
	cot_buf_dispose(&a.json);
	free(a.key);
	return r.status;
}
