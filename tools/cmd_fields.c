/* cmd_fields.c - list the profile fields with their exact definitions. */
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
"Usage: cotlog fields [--json]\n"
"\n"
"List every profile field: name, type, unit and exact definition. These\n"
"are the fields annotate writes (dotted names nest: think.words is\n"
"\"think\":{\"words\":...}).\n"
"\n"
"  --json      one JSON object per field\n"
"  -h, --help  show this help\n";

static const char *const type_names[] = {
	"null", "bool", "int", "real", "string", "json"
};

int cmd_fields(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	cot_analyzer *az;
	cot_error err;
	bool json = false;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+hj", longopts, NULL)) != -1) {
		if (c == 'j') {
			json = true;
		} else if (c == 'h') {
			out_puts(usage);
			out_flush();
			return EXIT_OK;
		} else {
			usage_error("fields", "unknown option");
		}
	}
	if (optind < argc)
		usage_error("fields", "unexpected argument '%s'", argv[optind]);
	if (cot_analyzer_new(&az, NULL, &err)) {
		diag("%s", err.message);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < cot_field_count(az); i++) {
		const cot_field_info *f = cot_field_at(az, i);

		if (json) {
			out_puts("{\"name\":");
			out_json_cstr(f->name);
			out_puts(",\"type\":");
			out_json_cstr(type_names[f->type]);
			out_puts(",\"unit\":");
			out_json_cstr(f->unit);
			out_puts(",\"doc\":");
			out_json_cstr(f->doc);
			out_puts("}\n");
		} else {
			char head[96];

			snprintf(head, sizeof head, "%-18s %-6s %-10s ",
				 f->name, type_names[f->type], f->unit);
			out_puts(head);
			out_puts(f->doc);
			out_puts("\n");
		}
	}
	out_flush();
	cot_analyzer_free(az);
	return EXIT_OK;
}
