/* cmd_patterns.c - list the patterns in force: family, source, regex. */
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const char *const usage[] = {
"Usage: cotlog patterns [--json] [--families] [PATTERN OPTIONS]\n"
"\n"
"List the patterns in force: the built-in lexicons (unless\n"
"--no-builtin-patterns), then those of --patterns FILE and --pattern\n"
"NAME=REGEX. Each pattern counts towards one family; the profile has\n"
"patterns.NAME.{count,per_1k_words,first,last,first_rel,last_rel,steps}\n"
"for each pattern and families.NAME.{...} for each family.\n"
"\n"
"Every regex is PCRE2, matched caselessly, with UTF and Unicode\n"
"properties (\\b, \\w and case folding follow Unicode), ^ and $ at line\n"
"ends; (?-i) makes it case-sensitive. Matches are counted in the\n"
"reasoning only, non-overlapping, leftmost first, never empty.\n"
"\n"
"A pattern file has one pattern per line: NAME FAMILY REGEX, separated\n"
"by spaces or tabs; the regex is the rest of the line (trailing blanks\n"
"dropped). NAME and FAMILY are 1 to 64 letters, digits or underscores.\n"
"Blank lines and lines starting with # are skipped. A user pattern named\n"
"like a built-in one replaces it; --pattern NAME=REGEX is family 'user'.\n"
"\n"
"Options:\n"
"  --json               one JSON object per pattern: name, family,\n"
"                       source, regex, phrases (built-in patterns: the\n"
"                       literal phrases the regex is made of), full_scan\n"
"                       (true: no literal prefix, matched over the whole\n"
"                       text, slower); with --families, one per family\n"
"  --families           list the families: name, patterns, source\n"
"  --patterns FILE      add the patterns of FILE\n"
"  --pattern NAME=REGEX add one pattern; repeatable\n"
"  --no-builtin-patterns  only the patterns of the two options above\n"
"  -h, --help           show this help\n"
"\n"
"Exit status: 0 ok; 2 usage error or unreadable pattern file; 3 invalid\n"
"pattern (the message names FILE:LINE:COLUMN, or the --pattern column).\n",
NULL };

static void json_patterns(const cot_analyzer *az)
{
	for (size_t i = 0; i < cot_pattern_count(az); i++) {
		const cot_pattern_info *p = cot_pattern_at(az, i);

		out_puts("{\"name\":");
		out_json_cstr(p->name);
		out_puts(",\"family\":");
		out_json_cstr(p->family);
		out_puts(",\"source\":");
		out_json_cstr(p->source);
		out_puts(",\"regex\":");
		out_json_cstr(p->regex);
		out_puts(",\"phrases\":");
		if (p->phrases) {
			const char *s = p->phrases;

			out_puts("[");
			for (;;) {
				const char *bar = strchr(s, '|');
				size_t n = bar ? (size_t)(bar - s) : strlen(s);

				out_json_str(s, n);
				if (!bar)
					break;
				out_puts(",");
				s = bar + 1;
			}
			out_puts("]");
		} else {
			out_puts("null");
		}
		out_puts(p->full_scan ? ",\"full_scan\":true}\n" :
			 ",\"full_scan\":false}\n");
	}
}

static void json_families(const cot_analyzer *az)
{
	for (size_t i = 0; i < cot_family_count(az); i++) {
		const cot_family_info *f = cot_family_at(az, i);

		out_puts("{\"name\":");
		out_json_cstr(f->name);
		out_puts(",\"patterns\":");
		out_uint(f->patterns);
		out_puts(",\"source\":");
		out_json_cstr(f->source);
		out_puts("}\n");
	}
}

/* Families as headings, their patterns under them. */
static void text_patterns(const cot_analyzer *az, bool families_only)
{
	for (size_t f = 0; f < cot_family_count(az); f++) {
		const cot_family_info *fi = cot_family_at(az, f);
		char head[160];

		/* names, regexes and sources come from the user's pattern
		 * files: made safe for the terminal */
		if (f && !families_only)
			out_puts("\n");
		out_safe_cstr(fi->name);
		snprintf(head, sizeof head, " (%zu pattern%s)\n",
			 fi->patterns, fi->patterns == 1 ? "" : "s");
		out_puts(head);
		out_puts("  source: ");
		out_safe_cstr(fi->source);
		out_puts("\n");
		if (families_only)
			continue;
		for (size_t i = 0; i < cot_pattern_count(az); i++) {
			const cot_pattern_info *p = cot_pattern_at(az, i);
			size_t w = strlen(p->name);

			if (p->family_index != f)
				continue;
			out_puts("  ");
			out_safe_cstr(p->name);
			for (; w < 22; w++)
				out_puts(" ");
			out_puts(" ");
			out_safe_cstr(p->regex);
			if (strcmp(p->source, fi->source)) {
				out_puts("  [");
				out_safe_cstr(p->source);
				out_puts("]");
			}
			if (p->full_scan)
				out_puts("  (no literal prefix: scanned in "
					 "full)");
			out_puts("\n");
		}
	}
}

int cmd_patterns(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "families", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	bool json = false, families = false;
	run r;
	int c;

	run_init(&r, "patterns", usage);
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hq", longopts, NULL)) != -1) {
		if (run_option(&r, c, optarg))
			continue;
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'F':
			families = true;
			break;
		}
	}
	if (optind < argc)
		usage_error("patterns", "unexpected argument '%s'",
			    argv[optind]);
	run_start(&r);
	if (json && families)
		json_families(r.az);
	else if (json)
		json_patterns(r.az);
	else
		text_patterns(r.az, families);
	out_flush();
	run_finish(&r);
	return EXIT_OK;
}
