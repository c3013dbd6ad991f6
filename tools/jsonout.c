/* jsonout.c - JSON strings and numbers on stdout, for show/steps/patterns. */
#include <stdio.h>
#include <string.h>

#include "tool.h"

void out_json_str(const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t done = 0;

	out_write("\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
		bool safe;
		size_t len = term_char(s + i, n - i, &safe);

		if (safe && c != '"' && c != '\\') {
			i += len;
			continue;
		}
		out_write(s + done, i - done);
		done = i + len;
		/* what a terminal would act on is escaped: C0, DEL, and
		 * the C1 controls; a byte that is not UTF-8 (which JSON
		 * cannot hold) is U+FFFD */
		if (len == 2 && c == 0xc2) {
			c = (unsigned char)s[i + 1];
		} else if (c >= 0x80) {
			out_write("\\ufffd", 6);
			i += len;
			continue;
		}
		i += len;
		switch (c) {
		case '"': out_write("\\\"", 2); break;
		case '\\': out_write("\\\\", 2); break;
		case '\n': out_write("\\n", 2); break;
		case '\r': out_write("\\r", 2); break;
		case '\t': out_write("\\t", 2); break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			out_write(esc, 6);
		}
	}
	out_write(s + done, n - done);
	out_write("\"", 1);
}

void out_json_cstr(const char *s)
{
	if (!s)
		out_write("null", 4);
	else
		out_json_str(s, strlen(s));
}

void out_uint(uint64_t v)
{
	char d[24];
	size_t n = sizeof d;

	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_write(d + n, sizeof d - n);
}
