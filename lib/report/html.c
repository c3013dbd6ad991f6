/* html.c - text of the records, and numbers, as HTML text. */
#include <math.h>
#include <stdio.h>

#include "report/report.h"

static const char replacement[] = "\xEF\xBF\xBD";	/* U+FFFD */

void cot__html_text(sb *b, const char *s, size_t n)
{
	size_t run = 0;		/* bytes copied as they are, pending */

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = cot_utf8_next(s + i, n - i, &cp);
		const char *esc = NULL;

		switch (cp) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&#39;"; break;
		case '\t': case '\n': break;
		default:
			/* HTML forbids the C0 and C1 controls and DEL in
			 * text; a broken character cannot be shown at all */
			if (cp == COT_UTF8_INVALID || cp < 0x20 ||
			    (cp >= 0x7f && cp < 0xa0))
				esc = replacement;
		}
		if (esc) {
			sb_add(b, s + i - run, run);
			sb_puts(b, esc);
			run = 0;
		} else {
			run += len;
		}
		i += len;
	}
	sb_add(b, s + n - run, run);
}

void cot__html_cstr(sb *b, const char *s)
{
	cot__html_text(b, s, strlen(s));
}

void cot__num_text(char t[64], double x)
{
	if (isnan(x)) {
		snprintf(t, 64, "\xE2\x80\x93");	/* an en dash: no value */
	} else if (x == floor(x) && fabs(x) < 1e15) {
		/* whole numbers with thousands separators */
		char d[32], *p = t;
		int len = snprintf(d, sizeof d, "%.0f", fabs(x));

		if (x < 0)
			*p++ = '-';
		for (int i = 0; i < len; i++) {
			if (i && (len - i) % 3 == 0)
				*p++ = ',';
			*p++ = d[i];
		}
		*p = '\0';
	} else if (fabs(x) >= 100) {
		snprintf(t, 64, "%.0f", x);
	} else {
		snprintf(t, 64, "%.3g", x);
	}
}

void cot__html_num(sb *b, double x)
{
	char t[64];

	cot__num_text(t, x);
	sb_puts(b, t);
}

void cot__html_pct(sb *b, double x)
{
	if (isnan(x))
		sb_puts(b, "\xE2\x80\x93");
	else
		sb_printf(b, "%.1f%%", 100 * x);
}
