/* json_string.c - text as a JSON string literal: the one escaper. */
#include <string.h>

#include "base/internal.h"
#include "base/utf8.h"

static const char hex[] = "0123456789abcdef";

/* The escape of c (< 0x20, '"', '\\', or with terminal DEL and C1) at
 * esc; its length. */
static size_t escape(unsigned char c, char esc[6])
{
	esc[0] = '\\';
	switch (c) {
	case '"': esc[1] = '"'; return 2;
	case '\\': esc[1] = '\\'; return 2;
	case '\n': esc[1] = 'n'; return 2;
	case '\r': esc[1] = 'r'; return 2;
	case '\t': esc[1] = 't'; return 2;
	case '\b': esc[1] = 'b'; return 2;
	case '\f': esc[1] = 'f'; return 2;
	default:
		memcpy(esc + 1, "u00", 3);
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 15];
		return 6;
	}
}

int cot__json_escape(cot__sbuf *b, const char *s, size_t n, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	/* bytes from this one up are looked at: 0x80 and up (and DEL)
	 * only for a terminal */
	const unsigned top = flags & COT_JSON_TERMINAL ? 0x7f : 0x100;
	size_t run = 0, was = b->size;

	if (cot__sbuf_reserve(b, n + 2))
		return COT_ENOMEM;
	b->ptr[b->size++] = '"';
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		char esc[6];
		size_t len = 1, elen;

		if (c >= 0x20 && c != '"' && c != '\\' && c < top) {
			i++;
			continue;
		}
		if (c >= 0x7f) {
			uint32_t cp;

			/* for a terminal: DEL, the C1 controls and ill-formed
			 * bytes; every other character stays in the run */
			len = cot__utf8_next(u + i, n - i, &cp);
			if (cp == COT__UTF8_BAD) {
				memcpy(esc, "\\ufffd", 6);
				elen = 6;
			} else if (cp <= 0x9f) {
				elen = escape((unsigned char)cp, esc);
			} else {
				i += len;
				continue;
			}
		} else {
			elen = escape((unsigned char)c, esc);
		}
		if (cot__sbuf_add(b, s + run, i - run) ||
		    cot__sbuf_add(b, esc, elen))
			goto nomem;
		i += len;
		run = i;
	}
	if (cot__sbuf_add(b, s + run, n - run) || cot__sbuf_addc(b, '"'))
		goto nomem;
	return COT_OK;
nomem:
	b->size = was;
	if (b->ptr)
		b->ptr[was] = '\0';
	return COT_ENOMEM;
}

int cot_json_string(cot_buf *out, const char *s, size_t n, unsigned flags,
		    cot_error *err)
{
	if (flags & ~COT_JSON_TERMINAL)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "unknown flags 0x%x", flags);
	if (cot__json_escape(out, s, n, flags))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	return COT_OK;
}
