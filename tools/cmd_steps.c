/* cmd_steps.c - one JSON line per unit (paragraph, sentence, thought). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char *const usage[] = {
"Usage: cotlog steps [--by paragraph|sentence|thought] [--text]\n"
"                    [INPUT OPTIONS] [FILE...]\n"
"\n"
"Write one JSON line per unit of the reasoning of every trace:\n"
"\n"
"  {\"file\":F,\"line\":L,\"record\":R,\"trace\":T,\"index\":I,\"start\":S,\n"
"   \"end\":E,\"label\":LABEL,\"rule\":RULE,\"confidence\":C,\"words\":W,\n"
"   \"paragraph\":P,\"thought\":H,\n"
"   \"hits\":[{\"pattern\":N,\"family\":M,\"start\":S,\"end\":E},...]}\n"
"\n"
"file and line: where the record starts; record: its number in the\n"
"input, from 1, across all files (as 'cotlog show --record'); trace: the\n"
"trace's index in the record, from 0; index: the unit's, from 0; start\n"
"and end: byte offsets into the reasoning text (end exclusive), so\n"
"reasoning[start:end] is the unit; label: its step function (Thought\n"
"Anchors taxonomy, rule-based, see the README); rule: the classifier's\n"
"rule that decided it (README \"Step functions\"; \"none\" for\n"
"unknown); confidence: that rule's precision on the development set\n"
"(0 to 1, two decimals; per sentence for sentences, per paragraph for\n"
"paragraphs and thoughts), to keep only confident labels; words:\n"
"White_Space-separated words; paragraph and thought: the indexes of the\n"
"paragraph and thought holding its start; hits: the pattern matches\n"
"that start in it (offsets into the reasoning).\n"
"\n"
"Options:\n"
"  --by UNIT            paragraph (the default; the profile's steps),\n"
"                       sentence, or thought (runs of paragraphs, a new\n"
"                       one at each paragraph opening with a switch\n"
"                       marker: Wait, Alternatively, Hmm, ...)\n"
"  --text               add \"text\": the unit's text\n",
INPUT_OPTIONS_HELP,
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 all well-formed; 2 usage error, unreadable input or write\n"
"error; 3 invalid pattern; 4 some records were malformed (reported).\n",
NULL };

typedef struct steps_ctx {
	cot_by by;
	bool text;
	uint64_t record;	/* records seen, all inputs */
} steps_ctx;

cot_by by_option(const char *cmd, const char *arg)
{
	if (!strcmp(arg, "paragraph"))
		return COT_BY_PARAGRAPH;
	if (!strcmp(arg, "sentence"))
		return COT_BY_SENTENCE;
	if (!strcmp(arg, "thought"))
		return COT_BY_THOUGHT;
	usage_error(cmd, "--by takes paragraph, sentence or thought, not "
		    "'%s'", arg);
}

/* The first hit at or after offset off (hits are sorted by offset). */
static size_t first_hit(const cot_hit *h, size_t n, size_t off)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void write_unit(run *r, steps_ctx *s, const char *file,
		       uint64_t line, size_t t, size_t k, const cot_step *u,
		       const cot_hit *hits, size_t nhits, const char *text)
{
	const char *rule = NULL;
	double conf = 0;
	char buf[32];
	const char *keys[] = { ",\"line\":", ",\"record\":", ",\"trace\":",
			       ",\"index\":", ",\"start\":", ",\"end\":" };
	uint64_t vals[] = { line, s->record, t, k, u->start, u->end };

	out_puts("{\"file\":");
	out_json_cstr(file);
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
		out_puts(keys[i]);
		out_uint(vals[i]);
	}
	out_puts(",\"label\":");
	out_json_cstr(u->label);
	if (cot_result_step_rule(r->res, t, s->by, k, &rule, &conf, NULL))
		rule = "none";	/* cannot be: unit k exists */
	out_puts(",\"rule\":");
	out_json_cstr(rule);
	out_puts(",\"confidence\":");
	snprintf(buf, sizeof buf, "%.2f", conf);
	out_puts(buf);
	out_puts(",\"words\":");
	out_uint(u->words);
	out_puts(",\"paragraph\":");
	out_uint(u->paragraph);
	out_puts(",\"thought\":");
	out_uint(u->thought);
	out_puts(",\"hits\":[");
	for (size_t h = first_hit(hits, nhits, u->start);
	     h < nhits && hits[h].off < u->end; h++) {
		const cot_pattern_info *p = cot_pattern_at(r->az,
							   hits[h].pattern);

		if (h > 0 && hits[h - 1].off >= u->start)
			out_puts(",");
		out_puts("{\"pattern\":");
		out_json_cstr(p->name);
		out_puts(",\"family\":");
		out_json_cstr(p->family);
		out_puts(",\"start\":");
		out_uint(hits[h].off);
		out_puts(",\"end\":");
		out_uint(hits[h].off + hits[h].len);
		out_puts("}");
	}
	out_puts("]");
	if (s->text) {
		out_puts(",\"text\":");
		out_json_str(text + u->start, u->end - u->start);
	}
	out_puts("}\n");
}

/* The hits of trace t, copied into one array for the search by
 * offset; NULL when there are none. */
static cot_hit *trace_hits(run *r, size_t t, size_t *n)
{
	cot_hit *v;

	*n = cot_result_hit_count(r->res, t);
	if (!*n)
		return NULL;
	if (!(v = malloc(*n * sizeof *v))) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	for (size_t k = 0; k < *n; k++)
		if (cot_result_hit(&v[k], r->res, t, k, NULL))
			*n = k;	/* cannot happen: k is below the count */
	return v;
}

static void trace_units(run *r, steps_ctx *s, const where *w, uint64_t line,
			size_t t)
{
	size_t nhits, len, n = cot_result_step_count(r->res, t, s->by);
	const char *text = cot_result_reasoning(r->res, t, &len);
	cot_hit *hits = trace_hits(r, t, &nhits);

	for (size_t k = 0; k < n; k++) {
		cot_step st;
		cot_error err;

		if (cot_result_step(&st, r->res, t, s->by, k, &err)) {
			diag("%s:%llu: %s", w->name, (unsigned long long)line,
			     err.message);
			status_at_least(r, EXIT_USAGE);
			break;
		}
		write_unit(r, s, w->name, line, t, k, &st, hits, nhits, text);
	}
	free(hits);
}

static void steps_unit(run *r, const where *w, const cot_unit *u, void *p)
{
	steps_ctx *s = p;

	for (size_t i = 0; i < cot_unit_records(u); i++) {
		cot_record_span rs;

		rs = unit_record(u, i);
		r->n.records++;
		s->record++;
		if (!run_analyze(r, w, u, i))
			continue;
		for (size_t t = 0; t < cot_result_traces(r->res); t++)
			trace_units(r, s, w, rs.line, t);
	}
}

int cmd_steps(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "text", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	steps_ctx s = { COT_BY_PARAGRAPH, false, 0 };
	run r;
	int c;

	run_init(&r, "steps", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hqj:", longopts, NULL)) != -1) {
		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'b':
			s.by = by_option("steps", optarg);
			break;
		case 't':
			s.text = true;
			break;
		}
	}
	run_start(&r);
	job j = { steps_unit, &s, NULL, NULL, NULL };

	run_files(&r, argv + optind, argc - optind, &j);
	out_flush();
	run_finish(&r);
	return r.status;
}
