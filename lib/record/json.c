/* json.c - a validating one-pass JSON scanner that builds a flat tape. */
#include <stdio.h>
#include <string.h>

#include "base/bits.h"
#include "base/simd.h"
#include "base/utf8.h"
#include "record/json.h"

#if defined(__GNUC__)
#define COLD __attribute__((cold, noinline))
#else
#define COLD
#endif

typedef unsigned char uchar;

/* The tape's index space: COT_J_NONE (UINT32_MAX) means "no token" and a
 * container's `next` may equal the token count, so one less is the most a
 * document can hold. */
#define TOK_MAX (UINT32_MAX - 1)
#define TOK_FIRST_CAP 256

/* 256-entry tables spelled out by the preprocessor, so they are constant
 * data and need no initialisation call (no global mutable state). */
#define T4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define T16(F, c) T4(F, c), T4(F, (c) + 4), T4(F, (c) + 8), T4(F, (c) + 12)
#define T64(F, c) T16(F, c), T16(F, (c) + 16), T16(F, (c) + 32), \
	T16(F, (c) + 48)
#define T256(F) T64(F, 0), T64(F, 64), T64(F, 128), T64(F, 192)

/* Bytes that end a run of plain string content. */
#define STR_SPECIAL(c) ((c) < 0x20 || (c) >= 0x80 || (c) == '"' || \
	(c) == '\\')
static const uchar str_special[256] = { T256(STR_SPECIAL) };

/* Hex digit value, or 16 for "not a hex digit". */
#define HEXVAL(c) ((c) >= '0' && (c) <= '9' ? (c) - '0' : \
	(c) >= 'a' && (c) <= 'f' ? (c) - 'a' + 10 : \
	(c) >= 'A' && (c) <= 'F' ? (c) - 'A' + 10 : 16)
static const uchar hexval[256] = { T256(HEXVAL) };

/* What a one-character escape decodes to; 0 = not a valid escape ('u' is
 * handled apart). */
#define ESCAPE(c) ((c) == '"' ? '"' : (c) == '\\' ? '\\' : \
	(c) == '/' ? '/' : (c) == 'b' ? '\b' : (c) == 'f' ? '\f' : \
	(c) == 'n' ? '\n' : (c) == 'r' ? '\r' : (c) == 't' ? '\t' : 0)
static const uchar unescape[256] = { T256(ESCAPE) };

struct scan {
	const uchar *src;
	const uchar *end;
	cot_error *err;
};

static inline bool is_ws(uchar c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline bool is_digit(uchar c)
{
	return c >= '0' && c <= '9';
}

static inline const uchar *skip_ws(const uchar *p, const uchar *end)
{
	/* Compact JSON has no white space at all: test once, cheaply. */
	if (COT__LIKELY(p < end && *p > ' '))
		return p;
	while (p < end && is_ws(*p))
		p++;
	return p;
}

/* ------------------------------------------------------------------ */
/* Errors: all cold, so the scanning loops stay small. */

COLD COT__PRINTF(4, 5)
static int fail(const struct scan *sc, const uchar *p, const char *hint,
		const char *fmt, ...)
{
	char msg[COT_ERROR_MESSAGE_MAX];
	size_t col = (size_t)(p - sc->src) + 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cot__error_set(sc->err, COT_EPARSE, 0, col,
			      "%s at column %zu%s", msg, col, hint);
}

/* A printable name for one ASCII byte: "character 'x'" or "byte 0x01". */
static const char *ascii_name(char buf[16], uchar c)
{
	if (c > ' ' && c < 0x7f)
		snprintf(buf, 16, "character '%c'", c);
	else
		snprintf(buf, 16, "byte 0x%02x", c);
	return buf;
}

/* Explain why the UTF-8 sequence starting at p is invalid. The column is
 * the sequence's first byte; the message names the bytes involved. */
COLD
static int utf8_fail(const struct scan *sc, const uchar *p, const char *where)
{
	uchar c = *p, b;
	char h[96];
	int need, i;

	if (c < 0xc0)
		return fail(sc, p, " (a continuation byte without a lead "
			    "byte)", "invalid UTF-8 byte 0x%02x%s", c, where);
	if (c < 0xc2)
		return fail(sc, p, " (an overlong encoding)",
			    "invalid UTF-8 byte 0x%02x%s", c, where);
	if (c >= 0xf5)
		return fail(sc, p, "", "invalid UTF-8 byte 0x%02x%s", c,
			    where);
	need = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	for (i = 1; i < need; i++) {
		if (p + i == sc->end) {
			snprintf(h, sizeof h, " (the input ends inside a "
				 "%d-byte character)", need);
			return fail(sc, p, h, "truncated UTF-8 sequence%s",
				    where);
		}
		b = p[i];
		snprintf(h, sizeof h, " (lead byte 0x%02x followed by "
			 "0x%02x)", c, b);
		if ((b & 0xc0) != 0x80)
			return fail(sc, p, h, "invalid UTF-8 sequence%s",
				    where);
		if (i > 1)
			continue;
		if ((c == 0xe0 && b < 0xa0) || (c == 0xf0 && b < 0x90))
			return fail(sc, p, h, "overlong UTF-8 sequence%s",
				    where);
		if (c == 0xed && b >= 0xa0)
			return fail(sc, p, h, "UTF-8-encoded surrogate%s",
				    where);
		if (c == 0xf4 && b >= 0x90)
			return fail(sc, p, h, "UTF-8 sequence beyond "
				    "U+10FFFF%s", where);
	}
	/* Not reached: the caller found the sequence invalid. */
	return fail(sc, p, "", "invalid UTF-8 sequence%s", where);
}

/* Length of the valid UTF-8 sequence at p, or 0 (base/utf8.h). */
static inline int utf8_len(const uchar *p, const uchar *end)
{
	return (int)cot__utf8_len(p, (size_t)(end - p));
}

/* A byte that cannot start or continue anything where a value or a
 * punctuation mark was expected. */
COLD
static int unexpected(const struct scan *sc, const uchar *p, const char *hint)
{
	char nb[16];
	uchar c = *p;
	int n;

	if (c == '/')
		return fail(sc, p, "", "comments are not JSON");
	if (c < 0x80)
		return fail(sc, p, hint, "unexpected %s", ascii_name(nb, c));
	if (sc->end - p >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return fail(sc, p, hint, "unexpected byte order mark");
	n = utf8_len(p, sc->end);
	if (!n)
		return utf8_fail(sc, p, "");
	return fail(sc, p, hint, "unexpected non-ASCII character (%d bytes)",
		    n);
}

/* Where a value was expected: name the usual non-JSON spellings. */
COLD
static int bad_value(const struct scan *sc, const uchar *p)
{
	size_t left = (size_t)(sc->end - p);

	if (left >= 3 && memcmp(p, "NaN", 3) == 0)
		return fail(sc, p, "", "NaN is not JSON");
	if (left >= 8 && memcmp(p, "Infinity", 8) == 0)
		return fail(sc, p, "", "Infinity is not JSON");
	switch (*p) {
	case '\'':
		return fail(sc, p, " (use double quotes)",
			    "single-quoted string is not JSON");
	case '+':
		return fail(sc, p, "", "a number cannot start with '+'");
	case '.':
		return fail(sc, p, "", "a number cannot start with '.'");
	case 't':
	case 'f':
	case 'n':
		return fail(sc, p, *p == 't' ? " (expected true)" :
			    *p == 'f' ? " (expected false)" :
			    " (expected null)", "invalid literal");
	}
	return unexpected(sc, p, " (expected a value)");
}

COLD
static int eof_fail(const struct scan *sc, const uchar *open)
{
	size_t col = (size_t)(sc->end - sc->src) + 1;

	if (!open)
		return fail(sc, sc->end, "", "unexpected end of input");
	return cot__error_set(sc->err, COT_EPARSE, 0, col,
			      "unexpected end of input at column %zu "
			      "(unclosed %s from column %zu)", col,
			      *open == '[' ? "array" : "object",
			      (size_t)(open - sc->src) + 1);
}

COLD
static int string_fail(const struct scan *sc, const uchar *open,
		       const uchar *p)
{
	char nb[16];

	if (p >= sc->end || (*p == '\\' && sc->end - p < 2))
		return cot__error_set(sc->err, COT_EPARSE, 0,
				      (size_t)(open - sc->src) + 1,
				      "unterminated string starting at "
				      "column %zu",
				      (size_t)(open - sc->src) + 1);
	if (*p == '\\' && p[1] == 'u')
		return fail(sc, p, " (expected 4 hex digits)",
			    "invalid \\u escape in string");
	if (*p == '\\' && p[1] > ' ' && p[1] < 0x7f)
		return fail(sc, p, "", "invalid escape '\\%c' in string",
			    p[1]);
	if (*p == '\\')
		return fail(sc, p, "", "invalid escape: '\\' followed by %s "
			    "in string", ascii_name(nb, p[1]));
	if (*p < 0x20)
		return fail(sc, p, "", "unescaped control character 0x%02x "
			    "in string", *p);
	return utf8_fail(sc, p, " in string");
}

/* ------------------------------------------------------------------ */
/* Scanning */

/* Validate the string whose opening quote is at open; return one past its
 * closing quote, or NULL after setting the error. Real traces are long
 * strings with a "\n" every line and some non-ASCII, so plain content is
 * skipped 16 bytes at a time, escapes are checked in line, and a
 * run of multi-byte characters is validated without leaving the loop. */
static const uchar *scan_string(const struct scan *sc, const uchar *open,
				uint8_t *escaped)
{
	const uchar *p = open + 1, *end = sc->end;
	int n;

	for (;;) {
		/* Signed compare: < 0x20 catches 0x00..0x1f and, being
		 * negative, every byte >= 0x80 too. */
		while (end - p >= 16) {
			cot__v16 v = cot__v16_load(p);
			uint32_t mask = cot__v16_mask(cot__v16_or(
				cot__v16_or(cot__v16_eq1(v, '"'),
					    cot__v16_eq1(v, '\\')),
				cot__v16_lt(v, cot__v16_splat(0x20))));

			if (mask) {
				p += cot__ctz32(mask);
				goto special;
			}
			p += 16;
		}
		while (p < end && !str_special[*p])
			p++;
		if (p == end)
			goto bad;
special:
		if (*p == '"')
			return p + 1;
		if (*p == '\\') {
			uchar c;

			*escaped = 1;
			if (end - p < 2)
				goto bad;
			c = p[1];
			if (c == 'u') {
				if (end - p < 6 ||
				    (hexval[p[2]] | hexval[p[3]] |
				     hexval[p[4]] | hexval[p[5]]) & 16)
					goto bad;
				p += 6;
			} else if (unescape[c]) {
				p += 2;
			} else {
				goto bad;
			}
			continue;
		}
		if (*p < 0x80)
			goto bad;
		do {
			n = utf8_len(p, end);
			if (!n)
				goto bad;
			p += n;
		} while (p < end && *p >= 0x80);
	}
bad:
	string_fail(sc, open, p);
	return NULL;
}

/* Validate -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at p; return
 * one past it, or NULL after setting the error. The value is not
 * converted: a number is a span, so any size is accepted. */
static const uchar *scan_number(const struct scan *sc, const uchar *p)
{
	const uchar *end = sc->end, *start = p;

	if (*p == '-') {
		p++;
		if (p == end || !is_digit(*p)) {
			if ((size_t)(end - p) >= 8 &&
			    memcmp(p, "Infinity", 8) == 0) {
				fail(sc, start, "", "-Infinity is not JSON");
				return NULL;
			}
			fail(sc, p, "", "expected a digit after '-'");
			return NULL;
		}
	}
	if (*p == '0') {
		p++;
		if (p < end && is_digit(*p)) {
			fail(sc, p - 1, "", "leading zero in number");
			return NULL;
		}
	} else {
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		p++;
		if (p == end || !is_digit(*p)) {
			fail(sc, p, "", "expected a digit after the decimal "
			     "point");
			return NULL;
		}
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p)) {
			fail(sc, p, "", "expected a digit in the exponent");
			return NULL;
		}
		while (p < end && is_digit(*p))
			p++;
	}
	return p;
}

COLD
static int grow(cot__jdoc *d, const struct scan *sc, const uchar *p)
{
	uint32_t cap;
	cot__jtok *t;

	if (d->cap >= TOK_MAX)
		return cot__error_set(sc->err, COT_ELIMIT, 0,
				      (size_t)(p - sc->src) + 1,
				      "more than %lu JSON tokens at column "
				      "%zu",
				      (unsigned long)TOK_MAX,
				      (size_t)(p - sc->src) + 1);
	if (!d->cap)
		cap = TOK_FIRST_CAP;
	else
		cap = d->cap > TOK_MAX / 2 ? TOK_MAX : d->cap * 2;
#if SIZE_MAX <= UINT32_MAX
	/* Only a 32-bit size_t can overflow here. */
	if (cap > SIZE_MAX / sizeof *t)
		return cot__error_set(sc->err, COT_ENOMEM, 0, 0,
				      "out of memory for JSON tokens");
#endif
	t = cot__realloc(d->tok, (size_t)cap * sizeof *t);
	if (!t)
		return cot__error_set(sc->err, COT_ENOMEM, 0, 0,
				      "out of memory for JSON tokens");
	d->tok = t;
	d->cap = cap;
	return COT_OK;
}

void cot__jdoc_init(cot__jdoc *d)
{
	memset(d, 0, sizeof *d);
}

void cot__jdoc_dispose(cot__jdoc *d)
{
	cot__free(d->tok);
	cot__jdoc_init(d);
}

/* A state machine over three states: `value` (a value starts at p),
 * `key` (an object key starts at p) and `after` (a value just ended).
 * Containers open on an explicit stack of token indexes, so nesting costs
 * no C recursion and the depth limit is a plain compare. */
int cot__json_parse(cot__jdoc *d, const char *src, size_t len,
		    cot_error *err)
{
	const uchar *s, *end, *p, *q;
	struct scan sc;
	uint32_t stack[COT_J_MAX_DEPTH];
	uint32_t depth = 0, n = 0, c;
	cot__jtok *t, *ct;
	int rc;

	if (!src && !len)
		src = "";	/* NULL + 0 is undefined behaviour */
	s = (const uchar *)src;
	end = s + len;
	sc.src = s;
	sc.end = end;
	sc.err = err;
	d->src = src;
	d->len = len;
	d->ntok = 0;
	p = skip_ws(s, end);
	if (p == end) {
		rc = fail(&sc, p, "", len ? "no JSON value (only white "
			  "space)" : "empty input");
		goto out;
	}

value:
	if (COT__UNLIKELY(n == d->cap) && (rc = grow(d, &sc, p)) != COT_OK)
		goto out;
	t = &d->tok[n];
	t->escaped = 0;
	t->count = 0;
	t->off = (size_t)(p - s);
	switch (*p) {
	case '"':
		t->kind = COT_J_STR;
		q = scan_string(&sc, p, &t->escaped);
		if (!q)
			goto parse_error;
		p = q;
		break;
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		t->kind = COT_J_NUM;
		q = scan_number(&sc, p);
		if (!q)
			goto parse_error;
		p = q;
		break;
	case 't':
		if (end - p < 4 || memcmp(p, "true", 4) != 0)
			goto bad_value;
		t->kind = COT_J_TRUE;
		p += 4;
		break;
	case 'f':
		if (end - p < 5 || memcmp(p, "false", 5) != 0)
			goto bad_value;
		t->kind = COT_J_FALSE;
		p += 5;
		break;
	case 'n':
		if (end - p < 4 || memcmp(p, "null", 4) != 0)
			goto bad_value;
		t->kind = COT_J_NULL;
		p += 4;
		break;
	case '[':
	case '{':
		if (depth == COT_J_MAX_DEPTH) {
			rc = fail(&sc, p, "", "nesting deeper than %d",
				  COT_J_MAX_DEPTH);
			goto out;
		}
		t->kind = *p == '[' ? COT_J_ARR : COT_J_OBJ;
		t->keys = 0;
		stack[depth++] = n++;
		q = p;
		p = skip_ws(p + 1, end);
		if (p == end)
			goto eof;
		if (*p == (*q == '[' ? ']' : '}')) {
			t->next = n;
			t->end = (size_t)(p + 1 - s);
			depth--;
			p++;
			goto after;
		}
		t->count = 1;
		if (*q == '[')
			goto value;
		goto key;
	default:
		goto bad_value;
	}
	t->end = (size_t)(p - s);
	t->next = ++n;

after:
	if (depth == 0)
		goto done;
	p = skip_ws(p, end);
	if (p == end)
		goto eof;
	c = stack[depth - 1];
	ct = &d->tok[c];
	if (*p == ',') {
		q = p;
		ct->count++;
		p = skip_ws(p + 1, end);
		if (p == end)
			goto eof;
		if (ct->kind == COT_J_ARR) {
			if (*p == ']')
				goto trailing_comma;
			goto value;
		}
		if (*p == '}')
			goto trailing_comma;
		goto key;
	}
	if (*p == (ct->kind == COT_J_ARR ? ']' : '}')) {
		ct->next = n;
		ct->end = (size_t)(p + 1 - s);
		depth--;
		p++;
		goto after;
	}
	rc = unexpected(&sc, p, ct->kind == COT_J_ARR ?
			" (expected ',' or ']')" : " (expected ',' or '}')");
	goto out;

key:
	if (*p != '"') {
		if (*p == '\'')
			rc = fail(&sc, p, " (use double quotes)",
				  "single-quoted string is not JSON");
		else
			rc = unexpected(&sc, p, " (expected a string key)");
		goto out;
	}
	if (COT__UNLIKELY(n == d->cap) && (rc = grow(d, &sc, p)) != COT_OK)
		goto out;
	t = &d->tok[n];
	t->kind = COT_J_STR;
	t->escaped = 0;
	t->count = 0;
	t->off = (size_t)(p - s);
	q = scan_string(&sc, p, &t->escaped);
	if (!q)
		goto parse_error;
	t->end = (size_t)(q - s);
	t->next = ++n;
	d->tok[stack[depth - 1]].keys |= t->escaped ? ~0u :
		cot__json_key_bit((const char *)p + 1, (size_t)(q - p) - 2);
	p = skip_ws(q, end);
	if (p == end)
		goto eof;
	if (*p != ':') {
		rc = unexpected(&sc, p, " (expected ':')");
		goto out;
	}
	p = skip_ws(p + 1, end);
	if (p == end)
		goto eof;
	goto value;

done:
	p = skip_ws(p, end);
	if (p != end) {
		rc = fail(&sc, p, "", "unexpected bytes after the value");
		goto out;
	}
	d->ntok = n;
	return COT_OK;

trailing_comma:
	rc = fail(&sc, q, "", "trailing comma");
	goto out;
bad_value:
	rc = bad_value(&sc, p);
	goto out;
eof:
	rc = eof_fail(&sc, depth ? s + d->tok[stack[depth - 1]].off : NULL);
	goto out;
parse_error:
	rc = COT_EPARSE;
out:
	d->ntok = 0;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reading the tape */

static inline bool is_kind(const cot__jdoc *d, uint32_t t, int kind)
{
	return t < d->ntok && d->tok[t].kind == kind;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static inline uint32_t hex4(const uchar *p)
{
	return (uint32_t)hexval[p[0]] << 12 | (uint32_t)hexval[p[1]] << 8 |
	       (uint32_t)hexval[p[2]] << 4 | hexval[p[3]];
}

/* Decode the escape at *pp (a backslash) of validated text ending at end
 * into o (room for 4 bytes); advance *pp. A high surrogate takes a
 * following low one with it; any other surrogate is U+FFFD, as README
 * "Input" says (jansson would reject the text). */
static size_t decode_escape(const uchar **pp, const uchar *end, char *o)
{
	const uchar *p = *pp;
	uint32_t cp, lo;

	if (p[1] != 'u') {
		*o = (char)unescape[p[1]];
		*pp = p + 2;
		return 1;
	}
	cp = hex4(p + 2);
	p += 6;
	if (cp >= 0xd800 && cp <= 0xdfff) {
		if (cp <= 0xdbff && end - p >= 6 && p[0] == '\\' &&
		    p[1] == 'u' && (lo = hex4(p + 2)) >= 0xdc00 &&
		    lo <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			p += 6;
		} else {
			cp = 0xfffd;
		}
	}
	*pp = p;
	return put_utf8(o, cp);
}

int cot__json_str(const cot__jdoc *d, uint32_t t, cot__arena *a,
		  const char **s, size_t *len)
{
	const cot__jtok *tk;
	const uchar *p, *end, *b;
	char *out, *o;

	*s = NULL;
	*len = 0;
	if (!is_kind(d, t, COT_J_STR))
		return COT_EINVAL;
	tk = &d->tok[t];
	p = (const uchar *)d->src + tk->off + 1;
	end = (const uchar *)d->src + tk->end - 1;
	if (!tk->escaped) {
		*s = (const char *)p;
		*len = (size_t)(end - p);
		return COT_OK;
	}
	/* Every escape decodes to fewer bytes than it takes ("\u00e9" is 6
	 * bytes for 2), so the raw length bounds the decoded one. */
	out = cot__arena_alloc(a, (size_t)(end - p) + 1);
	if (!out)
		return COT_ENOMEM;
	o = out;
	/* Copy 16 bytes at a time and stop at a backslash: traces have one
	 * every few dozen bytes, too often for memchr + memcpy calls to pay.
	 * The store may run ahead of the decoded text but stays inside out:
	 * o - out <= p - raw, and p + 16 <= end. */
	{
		while (end - p >= 16) {
			cot__v16 v = cot__v16_load(p);
			uint32_t mask = cot__v16_mask(cot__v16_eq1(v, '\\'));

			cot__v16_store(o, v);
			if (!mask) {
				p += 16;
				o += 16;
				continue;
			}
			mask = cot__ctz32(mask);
			p += mask;
			o += mask;
			o += decode_escape(&p, end, o);
		}
	}
	while ((b = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		memcpy(o, p, (size_t)(b - p));
		o += b - p;
		p = b;
		o += decode_escape(&p, end, o);
	}
	memcpy(o, p, (size_t)(end - p));
	o += end - p;
	*o = '\0';
	*s = out;
	*len = (size_t)(o - out);
	return COT_OK;
}

bool cot__json_str_eq(const cot__jdoc *d, uint32_t t, const char *lit,
		      size_t n)
{
	const cot__jtok *tk;
	const uchar *p, *end, *b;
	char buf[4];
	size_t k;

	if (!is_kind(d, t, COT_J_STR))
		return false;
	tk = &d->tok[t];
	p = (const uchar *)d->src + tk->off + 1;
	end = (const uchar *)d->src + tk->end - 1;
	if (!tk->escaped)
		return (size_t)(end - p) == n && (n == 0 ||
						  memcmp(p, lit, n) == 0);
	/* Decoding never grows the text, and an escape is never empty. */
	if (n == 0 || n > (size_t)(end - p))
		return false;
	while ((b = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		k = (size_t)(b - p);
		if (k > n || (k && memcmp(lit, p, k) != 0))
			return false;
		lit += k;
		n -= k;
		p = b;
		k = decode_escape(&p, end, buf);
		if (k > n || memcmp(lit, buf, k) != 0)
			return false;
		lit += k;
		n -= k;
	}
	k = (size_t)(end - p);
	return k == n && (k == 0 || memcmp(lit, p, k) == 0);
}

uint32_t cot__json_get(const cot__jdoc *d, uint32_t obj, const char *key,
		       size_t keylen)
{
	uint32_t k, stop, found = COT_J_NONE;

	if (!is_kind(d, obj, COT_J_OBJ) ||
	    !(d->tok[obj].keys & cot__json_key_bit(key, keylen)))
		return COT_J_NONE;
	stop = d->tok[obj].next;
	for (k = obj + 1; k < stop; k = d->tok[k + 1].next) {
		const cot__jtok *kt = &d->tok[k];

		/* Plain keys (nearly all) are a length test and a memcmp. */
		if (kt->escaped ? cot__json_str_eq(d, k, key, keylen) :
		    kt->end - kt->off - 2 == keylen &&
		    (keylen == 0 ||
		     memcmp(d->src + kt->off + 1, key, keylen) == 0))
			found = k + 1;
	}
	return found;
}

uint32_t cot__json_at(const cot__jdoc *d, uint32_t arr, long idx)
{
	uint32_t cnt, i;
	unsigned long u;

	if (!is_kind(d, arr, COT_J_ARR))
		return COT_J_NONE;
	cnt = d->tok[arr].count;
	if (idx < 0) {
		u = (unsigned long)-(idx + 1);	/* safe for LONG_MIN */
		if (u >= cnt)
			return COT_J_NONE;
		u = cnt - 1 - u;
	} else {
		u = (unsigned long)idx;
		if (u >= cnt)
			return COT_J_NONE;
	}
	for (i = arr + 1; u; u--)
		i = d->tok[i].next;
	return i;
}

uint32_t cot__json_first(const cot__jdoc *d, uint32_t container)
{
	if (container >= d->ntok)
		return COT_J_NONE;
	if (d->tok[container].kind != COT_J_ARR &&
	    d->tok[container].kind != COT_J_OBJ)
		return COT_J_NONE;
	return d->tok[container].count ? container + 1 : COT_J_NONE;
}
