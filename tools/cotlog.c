/* cotlog.c - the command table: parse global options, run a subcommand. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const command commands[] = {
	{ "annotate", cmd_annotate,
	  "write records back with a profile of each trace added" },
	{ "fields", cmd_fields,
	  "list the profile fields and their exact definitions" },
	/* ---- steps and patterns ---- */
	{ "show", cmd_show,
	  "show one trace to a person: steps, labels, markers" },
	{ "steps", cmd_steps,
	  "one JSON line per step (paragraph, sentence or thought)" },
	{ "patterns", cmd_patterns,
	  "list the patterns in force: family, source, regex" },
	/* ---- the pipeline ---- */
	{ "filter", cmd_filter,
	  "keep or drop records by a --where expression over their traces" },
	{ "stats", cmd_stats,
	  "summarize the fields over a whole input (mergeable)" },
	{ "report", cmd_report,
	  "one self-contained HTML page: charts, groups, a trace viewer" },
	/* ---- tokens ---- */
	{ "tokens", cmd_tokens,
	  "count (or list) the tokens of texts or traces by a tokenizer.json" },
};

static void help(void)
{
	out_puts("Usage: cotlog [--help] [--version] COMMAND [ARGS]\n"
		 "\n"
		 "Read reasoning traces of thinking models (JSON, JSON Lines,"
		 " gzip),\nfind every trace in each record and profile it.\n"
		 "\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		char line[128];

		snprintf(line, sizeof line, "  %-10s %s\n", commands[i].name,
			 commands[i].summary);
		out_puts(line);
	}
	out_puts("\n'cotlog COMMAND --help' documents each command."
		 " Exit status: 0 ok;\n2 usage error, unreadable input or"
		 " write error; 4 malformed records.\n");
	out_flush();
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	/* a closed pipe must show up as EPIPE, not kill us mid-write */
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		if (c == 'h') {
			help();
			return EXIT_OK;
		}
		if (c == 'V') {
			out_puts("cotlog ");
			out_puts(cot_version());
			out_puts("\n");
			out_flush();
			return EXIT_OK;
		}
		usage_error(NULL, "unknown option");
	}
	if (optind >= argc)
		usage_error(NULL, "no command given");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[optind], commands[i].name))
			return commands[i].run(argc - optind, argv + optind);
	usage_error(NULL, "unknown command '%s'", argv[optind]);
}
