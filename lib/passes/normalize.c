/* normalize.c - answer normalisation and equality (strings and numbers). */
#include <math.h>
#include <string.h>

#include "passes/normalize.h"

/* Symbolic equivalence (the SymPy stage of huggingface/Math-Verify)
 * is out of reach of a C tool that must stream at disk speed; what is
 * here is the string and number level that catches most formatting
 * differences between a model's answer and a dataset's reference. */

#define NONE ((size_t)-1)
enum { MAX_DEPTH = 16, MAX_ELEMS = 64 };

typedef struct out {
	char *p;
	size_t n, cap;
} out;

static void put(out *o, const char *s, size_t n)
{
	if (n > o->cap - o->n)	/* cannot happen: cap is 2n + 16 */
		n = o->cap - o->n;
	memcpy(o->p + o->n, s, n);
	o->n += n;
}

static void putc_(out *o, char c)
{
	put(o, &c, 1);
}

static bool is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static bool is_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* The '}' closing the group opened by s[i] == '{' before end, or NONE.
 * A backslash takes the next byte with it (\{ and \} are literal). */
static size_t group_close(const char *s, size_t i, size_t end)
{
	size_t depth = 0;

	for (; i < end; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i;
	}
	return NONE;
}

static bool name_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(s, name, n) == 0;
}

static bool name_in(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (name_is(s, n, *list))
			return true;
	return false;
}

static const char *const sizing[] = {
	"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr",
	"Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "middle", NULL
};
static const char *const dropped[] = {
	"displaystyle", "textstyle", "scriptstyle", "quad", "qquad",
	"degree", "limits", "nolimits", "hfill", NULL
};
static const char *const wrappers[] = {
	"text", "textbf", "textit", "textrm", "textnormal", "textup",
	"textsf", "texttt", "mathrm", "mathbf", "mathit", "mathsf",
	"mathtt", "mathnormal", "mbox", "hbox", "boxed", "fbox",
	"bm", "boldsymbol", NULL
};
static const char *const unit_wrappers[] = {
	"text", "textrm", "textnormal", "mbox", "mathrm", "hbox", NULL
};

static void norm_span(const char *s, size_t i, size_t end, out *o, int depth);

static size_t skip_spaces(const char *s, size_t i, size_t end)
{
	while (i < end && is_space((unsigned char)s[i]))
		i++;
	return i;
}

/* One argument of ^, _, \frac or \sqrt at s[i..end): a group, a command
 * or one character. braced: always write it in braces (\frac{4}{3});
 * else braces only around more than one byte (x^{10}, x^2). Returns
 * the offset after it. */
static size_t arg(const char *s, size_t i, size_t end, out *o, int depth,
		  bool braced)
{
	size_t k, start, n;

	i = skip_spaces(s, i, end);
	if (i >= end)
		return i;
	if (s[i] == '{' && (k = group_close(s, i, end)) != NONE) {
		putc_(o, '{');
		start = o->n;
		norm_span(s, i + 1, k, o, depth + 1);
		n = o->n - start;
		if (!braced && n == 1) {
			o->p[start - 1] = o->p[start];
			o->n--;
		} else {
			putc_(o, '}');
		}
		return k + 1;
	}
	if (braced)
		putc_(o, '{');
	if (s[i] == '\\' && i + 1 < end && is_alpha((unsigned char)s[i + 1])) {
		k = i + 1;
		while (k < end && is_alpha((unsigned char)s[k]))
			k++;
	} else {
		unsigned char c = (unsigned char)s[i];

		k = i + (c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4);
		if (k > end)
			k = end;
	}
	put(o, s + i, k - i);
	if (braced)
		putc_(o, '}');
	return k;
}

/* After ^: a degree sign (\circ or {\circ}) is a unit, dropped; returns
 * the offset after it, or NONE. */
static size_t degree_after(const char *s, size_t i, size_t end)
{
	size_t k;

	i = skip_spaces(s, i, end);
	if (end - i >= 5 && memcmp(s + i, "\\circ", 5) == 0 &&
	    (i + 5 == end || !is_alpha((unsigned char)s[i + 5])))
		return i + 5;
	if (i < end && s[i] == '{' && (k = group_close(s, i, end)) != NONE) {
		size_t a = skip_spaces(s, i + 1, k), b = k;

		while (b > a && is_space((unsigned char)s[b - 1]))
			b--;
		if (b - a == 5 && memcmp(s + a, "\\circ", 5) == 0)
			return k + 1;
	}
	return NONE;
}

/* A command name was written: keep it apart from a letter after it
 * ("\pi r" is not "\pir"). */
static void after_command(const char *s, size_t i, size_t end, out *o)
{
	i = skip_spaces(s, i, end);
	if (i < end && is_alpha((unsigned char)s[i]))
		putc_(o, ' ');
}

static size_t command(const char *s, size_t i, size_t end, out *o, int depth)
{
	size_t j = i + 1, n, k;
	const char *name = s + i + 1;

	if (j >= end)
		return j;	/* a stray backslash at the end */
	if (!is_alpha((unsigned char)s[j])) {
		switch (s[j]) {
		case '!': case ',': case ';': case ':': case ' ':
		case '$': case '%':
		case '(': case ')': case '[': case ']':
			return j + 1;	/* spacing, currency, math */
		default:
			put(o, s + i, 2);	/* \{ \} \\ \| */
			return j + 1;
		}
	}
	while (j < end && is_alpha((unsigned char)s[j]))
		j++;
	n = j - i - 1;
	if (name_in(name, n, sizing)) {
		j = skip_spaces(s, j, end);
		return j < end && s[j] == '.' ? j + 1 : j;
	}
	if (name_in(name, n, dropped))
		return j;
	if (name_is(name, n, "frac") || name_is(name, n, "dfrac") ||
	    name_is(name, n, "tfrac") || name_is(name, n, "cfrac")) {
		put(o, "\\frac", 5);
		j = arg(s, j, end, o, depth, true);
		return arg(s, j, end, o, depth, true);
	}
	if (name_is(name, n, "sqrt")) {
		put(o, "\\sqrt", 5);
		j = skip_spaces(s, j, end);
		if (j < end && s[j] == '[') {
			const char *c = memchr(s + j, ']', end - j);

			if (c) {
				putc_(o, '[');
				norm_span(s, j + 1, (size_t)(c - s), o,
					  depth + 1);
				putc_(o, ']');
				j = (size_t)(c - s) + 1;
			}
		}
		return arg(s, j, end, o, depth, true);
	}
	if (name_in(name, n, wrappers)) {
		k = skip_spaces(s, j, end);
		if (k < end && s[k] == '{' &&
		    (k = group_close(s, k, end)) != NONE) {
			j = skip_spaces(s, j, end);
			norm_span(s, j + 1, k, o, depth + 1);
			return k + 1;
		}
		return j;
	}
	if (name_is(name, n, "le") || name_is(name, n, "leqslant"))
		put(o, "\\leq", 4);
	else if (name_is(name, n, "ge") || name_is(name, n, "geqslant"))
		put(o, "\\geq", 4);
	else if (name_is(name, n, "ne"))
		put(o, "\\neq", 4);
	else if (name_is(name, n, "ldots") || name_is(name, n, "cdots"))
		put(o, "\\dots", 5);
	else
		put(o, s + i, j - i);
	after_command(s, j, end, o);
	return j;
}

/* Math symbols typed as Unicode, written as LaTeX. */
static const struct symbol {
	const char *utf8, *latex;
} symbols[] = {
	{ "\xcf\x80", "\\pi" }, { "\xe2\x88\x9e", "\\infty" },
	{ "\xc3\x97", "\\times" }, { "\xc2\xb7", "\\cdot" },
	{ "\xc2\xb1", "\\pm" }, { "\xe2\x89\xa4", "\\leq" },
	{ "\xe2\x89\xa5", "\\geq" }, { "\xe2\x89\xa0", "\\neq" },
	{ "\xe2\x88\xaa", "\\cup" }, { "\xe2\x88\x9a", "\\sqrt" },
};

/* A symbol of the table at s[i..end): written; returns the offset
 * after it, or NONE. */
static size_t symbol(const char *s, size_t i, size_t end, out *o, int depth)
{
	for (size_t k = 0; k < sizeof symbols / sizeof *symbols; k++) {
		const char *u = symbols[k].utf8;
		size_t n = strlen(u), j = i + n;

		if (end - i < n || memcmp(s + i, u, n) != 0)
			continue;
		put(o, symbols[k].latex, strlen(symbols[k].latex));
		if (!strcmp(symbols[k].latex, "\\sqrt"))
			return arg(s, j, end, o, depth, true);
		after_command(s, j, end, o);
		return j;
	}
	return NONE;
}

/* The token pass: everything but the whole-string rules. */
static void norm_span(const char *s, size_t i, size_t end, out *o, int depth)
{
	size_t k;

	if (depth > MAX_DEPTH) {	/* absurd nesting: keep it as it is */
		put(o, s + i, end - i);
		return;
	}
	while (i < end) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case ' ': case '\t': case '\n': case '\r': case '\v':
		case '\f': case '~': case '$': case '%':
			i++;
			continue;
		case 0xc2:	/* U+00B0 degree sign, U+00A0 space */
			if (i + 1 < end && ((unsigned char)s[i + 1] == 0xb0 ||
					    (unsigned char)s[i + 1] == 0xa0)) {
				i += 2;
				continue;
			}
			break;
		case 0xe2:	/* U+2000-200A, U+202F; U+2212 minus */
			if (end - i >= 3 && (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] <= 0x8a ||
			     (unsigned char)s[i + 2] == 0xaf)) {
				i += 3;
				continue;
			}
			if (end - i >= 3 && (unsigned char)s[i + 1] == 0x88 &&
			    (unsigned char)s[i + 2] == 0x92) {
				putc_(o, '-');
				i += 3;
				continue;
			}
			break;
		case '^':
			if ((k = degree_after(s, i + 1, end)) != NONE) {
				i = k;
				continue;
			}
			/* fall through */
		case '_':
			putc_(o, (char)c);
			i = arg(s, i + 1, end, o, depth, false);
			continue;
		case '{':
			k = group_close(s, i, end);
			if (k == NONE)
				break;
			/* {,} is a LaTeX thousands separator */
			if (k - i == 2 && s[i + 1] == ',') {
				i = k + 1;
				continue;
			}
			putc_(o, '{');
			norm_span(s, i + 1, k, o, depth + 1);
			putc_(o, '}');
			i = k + 1;
			continue;
		case '\\':
			i = command(s, i, end, o, depth);
			continue;
		default:
			break;
		}
		if (c >= 0xc2 && (k = symbol(s, i, end, o, depth)) != NONE) {
			i = k;
			continue;
		}
		putc_(o, (char)c);
		i++;
	}
}

/* ---- whole-string rules ---- */

/* Trailing unit in a text wrapper: "864 \mbox{ inches}^2", "5.4 \text{
 * cents}": a \text, \mbox or \mathrm group of letters (and spaces, '.',
 * '/', '-') at the very end, optionally squared or cubed, after
 * something else. Returns the length without it. */
static size_t cut_text_unit(const char *s, size_t n)
{
	size_t e = n, k, b, letters = 0;

	if (e >= 2 && s[e - 2] == '^' && is_digit((unsigned char)s[e - 1]))
		e -= 2;
	else if (e >= 4 && s[e - 4] == '^' && s[e - 3] == '{' &&
		 is_digit((unsigned char)s[e - 2]) && s[e - 1] == '}')
		e -= 4;
	if (e < 3 || s[e - 1] != '}')
		return n;
	for (k = e - 1; k > 0 && s[k - 1] != '{' && s[k - 1] != '}'; k--) {
		unsigned char c = (unsigned char)s[k - 1];

		if (is_alpha(c))
			letters++;
		else if (c != ' ' && c != '.' && c != '/' && c != '-')
			return n;
	}
	if (k == 0 || s[k - 1] != '{' || !letters)
		return n;
	b = k - 1;
	while (b > 0 && is_space((unsigned char)s[b - 1]))
		b--;
	k = b;
	while (k > 0 && is_alpha((unsigned char)s[k - 1]))
		k--;
	if (k == 0 || s[k - 1] != '\\' || !name_in(s + k, b - k,
						      unit_wrappers))
		return n;
	b = k - 1;
	while (b > 0 && is_space((unsigned char)s[b - 1]))
		b--;
	return b ? b : n;	/* nothing before it: the answer is text */
}

static const char *const units[] = {
	"cm", "mm", "km", "kg", "mg", "ml", "mL", "ft", "yd", "mph",
	"kph", "hr", "hrs", "min", "mins", "sec", "secs", "lb", "lbs", "oz",
	"inch", "inches", "foot", "feet", "yard", "yards", "mile", "miles",
	"meter", "meters", "metre", "metres", "centimeter", "centimeters",
	"millimeter", "millimeters", "kilometer", "kilometers", "gram",
	"grams", "kilogram", "kilograms", "pound", "pounds", "ounce",
	"ounces", "liter", "liters", "litre", "litres", "second", "seconds",
	"minute", "minutes", "hour", "hours", "day", "days", "week",
	"weeks", "month", "months", "year", "years", "degree", "degrees",
	"dollar", "dollars", "cent", "cents", "unit", "units", "percent",
	NULL
};

/* A unit word after a number: "5cm", "90degrees", "15squarefeet",
 * "8cm^2" (white space is gone by now). Returns the length without it. */
static size_t cut_word_unit(const char *s, size_t n)
{
	size_t e = n, k;

	if (e >= 2 && s[e - 2] == '^' && is_digit((unsigned char)s[e - 1]))
		e -= 2;
	k = e;
	while (k > 0 && is_alpha((unsigned char)s[k - 1]))
		k--;
	if (k == 0 || k == e ||
	    !(is_digit((unsigned char)s[k - 1]) || s[k - 1] == '}'))
		return n;
	if (e - k > 6 && memcmp(s + k, "square", 6) == 0)
		k += 6;
	else if (e - k > 5 && memcmp(s + k, "cubic", 5) == 0)
		k += 5;
	else if (e - k > 2 && memcmp(s + k, "sq", 2) == 0)
		k += 2;
	if (!name_in(s + k, e - k, units))
		return n;
	while (k > 0 && is_alpha((unsigned char)s[k - 1]))
		k--;
	return k;
}

/* "58,500" and "-1,234,567.5": thousands separators, when the whole
 * answer is such a number. Returns the new length. */
static size_t drop_thousands(char *s, size_t n)
{
	size_t i = s[0] == '-' || s[0] == '+', digits = 0, groups = 0, w;

	while (i < n && is_digit((unsigned char)s[i])) {
		i++;
		digits++;
	}
	if (digits < 1 || digits > 3)
		return n;
	while (i < n && s[i] == ',') {
		if (n - i < 4 || !is_digit((unsigned char)s[i + 1]) ||
		    !is_digit((unsigned char)s[i + 2]) ||
		    !is_digit((unsigned char)s[i + 3]))
			return n;
		i += 4;
		groups++;
	}
	if (!groups)
		return n;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit((unsigned char)s[i]))
			i++;
	}
	if (i != n)
		return n;
	for (i = w = 0; i < n; i++)
		if (s[i] != ',')
			s[w++] = s[i];
	return w;
}

/* ---- simple fractions: "π/2" is \frac{\pi}{2} ---- */

/* Where the atom ending at s[k] (exclusive) starts, not before lo: a
 * number, a letter, a command (\pi), \sqrt{...}; NONE if none. */
static size_t left_atom(const char *s, size_t lo, size_t k)
{
	size_t j = k, depth = 0;
	unsigned char c;

	if (j == lo)
		return NONE;
	c = (unsigned char)s[j - 1];
	if (is_digit(c) || c == '.') {
		while (j > lo && (is_digit((unsigned char)s[j - 1]) ||
				  s[j - 1] == '.'))
			j--;
		return j;
	}
	if (c == '}') {
		while (j > lo) {
			j--;
			if (s[j] == '}')
				depth++;
			else if (s[j] == '{' && --depth == 0)
				break;
		}
		if (depth || j < lo + 5 || memcmp(s + j - 5, "\\sqrt", 5))
			return NONE;
		return j - 5;
	}
	if (!is_alpha(c))
		return NONE;
	while (j > lo && is_alpha((unsigned char)s[j - 1]))
		j--;
	if (j > lo && s[j - 1] == '\\')
		return j - 1;
	return k - j == 1 ? j : NONE;
}

/* Where the atom starting at s[x] ends, or NONE. */
static size_t right_atom(const char *s, size_t x, size_t n)
{
	size_t j = x;

	if (j >= n)
		return NONE;
	if (is_digit((unsigned char)s[j]) || s[j] == '.') {
		while (j < n && (is_digit((unsigned char)s[j]) || s[j] == '.'))
			j++;
		return j;
	}
	if (s[j] == '\\') {
		j++;
		while (j < n && is_alpha((unsigned char)s[j]))
			j++;
		if (j == x + 1)
			return NONE;
		if (j - x == 5 && !memcmp(s + x, "\\sqrt", 5)) {
			size_t c = j < n && s[j] == '{' ? group_close(s, j, n)
						       : NONE;

			return c == NONE ? NONE : c + 1;
		}
		return j;
	}
	if (is_alpha((unsigned char)s[j]) &&
	    (j + 1 == n || !is_alpha((unsigned char)s[j + 1])))
		return j + 1;
	return NONE;
}

/* Would the byte next to an atom make it part of something larger
 * ("2\pi/3" is (2 pi)/3, "x/y^2" is x/(y^2))? */
static bool binds(unsigned char c, const char *more)
{
	return is_alpha(c) || is_digit(c) || strchr(more, c);
}

/* Write s[0..n) to w with every simple fraction a/b as \frac{a}{b};
 * returns the length written (w holds at least 4n + 16 bytes). */
static size_t fractions(const char *s, size_t n, char *w)
{
	size_t o = 0, last = 0;

	for (size_t k = 0; k < n; k++) {
		size_t l, r;

		if (s[k] != '/' ||
		    (l = left_atom(s, last, k)) == NONE ||
		    (r = right_atom(s, k + 1, n)) == NONE ||
		    (l > 0 && binds((unsigned char)s[l - 1], "}^_/.)!\\")) ||
		    (r < n && binds((unsigned char)s[r], "{^_/.(!")))
			continue;
		memcpy(w + o, s + last, l - last);
		o += l - last;
		memcpy(w + o, "\\frac{", 6);
		o += 6;
		memcpy(w + o, s + l, k - l);
		o += k - l;
		memcpy(w + o, "}{", 2);
		o += 2;
		memcpy(w + o, s + k + 1, r - k - 1);
		o += r - k - 1;
		w[o++] = '}';
		last = r;
		k = r - 1;
	}
	memcpy(w + o, s + last, n - last);
	return o + n - last;
}

/* Whether s[0..n) is one group that closes at its last byte. */
static bool one_group(const char *s, size_t n)
{
	return n >= 2 && s[0] == '{' && group_close(s, 0, n) == n - 1;
}

/* "27 miles", "128 rational numbers": a number and then only words of
 * two or more letters is that number ("5 x" is not 5). Returns the
 * length of the number, or n. */
static size_t cut_trailing_words(const char *s, size_t n)
{
	size_t i = n && (s[0] == '-' || s[0] == '+'), num, run = 0;

	if (i >= n || !is_digit((unsigned char)s[i]))
		return n;
	while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '.' ||
			 s[i] == ','))
		i++;
	num = i;
	if (i >= n || !is_space((unsigned char)s[i]))
		return n;
	for (; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)s[i] : ' ';

		if (is_alpha(c)) {
			run++;
			continue;
		}
		if (run == 1 || (!is_space(c) && c != '.' && c != '-' &&
				 c != '\''))
			return n;
		run = 0;
	}
	return num;
}

static bool is_quote(const char *s, size_t n, bool open)
{
	/* " and the typographic quotes U+201C / U+201D */
	return (n >= 1 && s[0] == '"') ||
	       (n >= 3 && !memcmp(s, open ? "\xe2\x80\x9c" : "\xe2\x80\x9d",
				  3));
}

static size_t quote_len(const char *s)
{
	return s[0] == '"' ? 1 : 3;
}

/* Trim white space, markdown '*' and quotes around an answer: a pair of
 * quotes ("4", “4”), or a lone one at either end (4." from a quoted
 * sentence). */
static void trim(const char **sp, size_t *np)
{
	const char *s = *sp;
	size_t n = *np;
	bool again = true;

	while (again) {
		again = false;
		while (n && (is_space((unsigned char)s[0]) || s[0] == '*'))
			s++, n--;
		while (n && (is_space((unsigned char)s[n - 1]) ||
			     s[n - 1] == '*'))
			n--;
		if (n && is_quote(s, n, true)) {
			size_t q = quote_len(s);

			s += q;
			n -= q;
			again = true;
		}
		if (n && s[n - 1] == '"') {
			n--;
			again = true;
		} else if (n >= 3 && !memcmp(s + n - 3, "\xe2\x80\x9d", 3)) {
			n -= 3;
			again = true;
		}
	}
	*sp = s;
	*np = n;
}

int cot__answer_normalize(const char *s, size_t n, cot__arena *a,
			  const char **res, size_t *reslen)
{
	out o;

	o.cap = 2 * n + 16;
	o.p = cot__arena_alloc(a, o.cap + 1);
	o.n = 0;
	if (!o.p)
		return COT_ENOMEM;
	/* trim white space, markdown bold and quotes around the answer */
	trim(&s, &n);
	n = cut_text_unit(s, n);
	n = cut_trailing_words(s, n);
	norm_span(s, 0, n, &o, 0);
	if (memchr(o.p, '/', o.n)) {
		size_t cap = 4 * o.n + 16;
		char *w = cot__arena_alloc(a, cap + 1);

		if (!w)
			return COT_ENOMEM;
		o.n = fractions(o.p, o.n, w);
		o.p = w;
		o.cap = cap;
	}
	/* whole-string rules, repeated while one applies (a bounded number
	 * of times: "{{{{5}}}}" is not worth quadratic time): a sentence's
	 * full stop, an outer group, a unit word */
	for (int round = 0; round < MAX_DEPTH; round++) {
		size_t before = o.n;

		while (o.n > 0 && o.p[o.n - 1] == '.')
			o.n--;
		if (one_group(o.p, o.n)) {
			memmove(o.p, o.p + 1, o.n - 2);
			o.n -= 2;
		}
		o.n = cut_word_unit(o.p, o.n);
		if (o.n == before)
			break;
	}
	if (o.n == 3 && o.p[0] == '(' && o.p[2] == ')' &&
	    (unsigned char)(o.p[1] - 'A') < 26) {
		o.p[0] = o.p[1];	/* a choice: "(C)" is "C" */
		o.n = 1;
	}
	if (o.n)
		o.n = drop_thousands(o.p, o.n);
	o.p[o.n] = '\0';
	*res = o.p;
	*reslen = o.n;
	return COT_OK;
}

bool cot__answer_sentinel(const char *s, size_t n)
{
	static const char *const words[] = { "proof", "notfound" };

	while (n && is_space((unsigned char)*s))
		s++, n--;
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return true;
	for (size_t w = 0; w < 2; w++) {
		size_t k = strlen(words[w]), i;

		if (k != n)
			continue;
		for (i = 0; i < n; i++)
			if (((unsigned char)s[i] | 0x20) != words[w][i])
				break;
		if (i == n)
			return true;
	}
	return false;
}

/* ---- numbers ---- */

/* An unsigned decimal at s[*i..n): digits with an optional fraction, or
 * a fraction alone (".5"). */
static bool decimal(const char *s, size_t n, size_t *i, double *v,
		    bool *integer)
{
	size_t k = *i;
	double x = 0, scale = 1;
	bool digits = false;

	while (k < n && is_digit((unsigned char)s[k])) {
		x = x * 10 + (s[k++] - '0');
		digits = true;
	}
	*integer = true;
	if (k < n && s[k] == '.') {
		size_t f = k + 1;

		while (f < n && is_digit((unsigned char)s[f])) {
			scale /= 10;
			x += (s[f++] - '0') * scale;
		}
		if (f > k + 1) {
			digits = true;
			*integer = false;
			k = f;
		}
	}
	if (!digits)
		return false;
	*i = k;
	*v = x;
	return true;
}

static bool signed_decimal(const char *s, size_t n, size_t *i, double *v)
{
	size_t k = *i;
	bool neg = false, integer;

	if (k < n && (s[k] == '-' || s[k] == '+'))
		neg = s[k++] == '-';
	if (!decimal(s, n, &k, v, &integer))
		return false;
	if (neg)
		*v = -*v;
	*i = k;
	return true;
}

/* \frac{a}{b} of signed decimals at s[*i..n). */
static bool frac(const char *s, size_t n, size_t *i, double *v)
{
	size_t k = *i, c;
	double a, b;

	if (n - k < 9 || memcmp(s + k, "\\frac{", 6) != 0)
		return false;
	k += 5;
	if ((c = group_close(s, k, n)) == NONE)
		return false;
	k++;
	if (!signed_decimal(s, c, &k, &a) || k != c)
		return false;
	k = c + 1;
	if (k >= n || s[k] != '{' || (c = group_close(s, k, n)) == NONE)
		return false;
	k++;
	if (!signed_decimal(s, c, &k, &b) || k != c || b == 0)
		return false;
	*v = a / b;
	*i = c + 1;
	return true;
}

bool cot__answer_number(const char *s, size_t n, double *value)
{
	size_t i = 0;
	bool neg = false, integer;
	double v, w;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (frac(s, n, &i, &v)) {
		/* a fraction alone */
	} else if (decimal(s, n, &i, &v, &integer)) {
		if (i < n && s[i] == '/') {
			i++;
			if (!decimal(s, n, &i, &w, &integer) || w == 0)
				return false;
			v /= w;
		} else if (integer && frac(s, n, &i, &w) && w >= 0) {
			v += w;	/* a mixed number: 137\frac{1}{2} */
		}
	} else {
		return false;
	}
	/* a power of ten: 1.5\times10^3, 2\cdot10^{-4}, 3e5 */
	if (i < n) {
		size_t k = i;
		double e;

		if (n - k >= 9 && (memcmp(s + k, "\\times10^", 9) == 0 ||
				   memcmp(s + k, "\\cdot10^", 8) == 0)) {
			k += s[k + 1] == 't' ? 9 : 8;
		} else if (s[k] == 'e' || s[k] == 'E') {
			k++;
		} else {
			return false;
		}
		if (k < n && s[k] == '{') {
			size_t c = group_close(s, k, n);

			if (c != n - 1)
				return false;
			k++;
			if (!signed_decimal(s, c, &k, &e) || k != c)
				return false;
			k++;
		} else if (!signed_decimal(s, n, &k, &e)) {
			return false;
		}
		if (k != n || e != floor(e) || fabs(e) > 300)
			return false;
		v *= pow(10, e);
		i = k;
	}
	if (i != n || !isfinite(v))
		return false;
	*value = neg ? -v : v;
	return true;
}

static bool close_enough(double x, double y)
{
	return x == y || fabs(x - y) <= 1e-6 * fmax(fabs(x), fabs(y));
}

/* ---- structures ---- */

static bool is_open(char c)
{
	return c == '(' || c == '[' || c == '{';
}

static bool is_close(char c)
{
	return c == ')' || c == ']' || c == '}';
}

/* Offsets of the top-level separators sep in s[0..n) (any bracket nests,
 * whatever its kind: intervals mix them), at most MAX_ELEMS - 1 of them.
 * Returns how many were found, or NONE when there are too many. */
static size_t split(const char *s, size_t n, const char *sep, size_t *at)
{
	size_t depth = 0, k = 0, sl = strlen(sep);

	for (size_t i = 0; i < n; i++) {
		if (is_open(s[i])) {
			depth++;
		} else if (is_close(s[i])) {
			if (depth)
				depth--;
		} else if (!depth && n - i >= sl &&
			   memcmp(s + i, sep, sl) == 0) {
			if (k == MAX_ELEMS - 1)
				return NONE;
			at[k++] = i;
			i += sl - 1;	/* "\\\\" is one separator */
		}
	}
	return k;
}

static bool eq(const char *a, size_t na, const char *b, size_t nb,
	       int depth);

/* The elements of a and b, split at the separators as[0..ka) and
 * bs[0..kb) (each sl bytes long): equal in order, or when not ordered,
 * each element of a matched to an unused equal element of b. */
static bool elems_eq(const char *a, size_t na, const size_t *as, size_t ka,
		     const char *b, size_t nb, const size_t *bs, size_t kb,
		     size_t sl, bool ordered, int depth)
{
	bool used[MAX_ELEMS] = { false };

	if (ka != kb)
		return false;
	for (size_t i = 0; i <= ka; i++) {
		size_t x0 = i ? as[i - 1] + sl : 0, x1 = i < ka ? as[i] : na;
		bool found = false;

		for (size_t j = ordered ? i : 0; j <= kb; j++) {
			size_t y0 = j ? bs[j - 1] + sl : 0;
			size_t y1 = j < kb ? bs[j] : nb;

			if (!used[j] &&
			    eq(a + x0, x1 - x0, b + y0, y1 - y0, depth + 1)) {
				used[j] = found = true;
				break;
			}
			if (ordered)
				break;
		}
		if (!found)
			return false;
	}
	return true;
}

/* Both split at sep, elements compared. Returns -1 when neither has the
 * separator (the caller tries something else), else 0 or 1. */
static int split_eq(const char *a, size_t na, const char *b, size_t nb,
		    const char *sep, bool ordered, int depth)
{
	size_t as[MAX_ELEMS], bs[MAX_ELEMS], ka, kb;

	ka = split(a, na, sep, as);
	kb = split(b, nb, sep, bs);
	if (ka == NONE || kb == NONE)
		return 0;
	if (!ka && !kb)
		return -1;
	return elems_eq(a, na, as, ka, b, nb, bs, kb, strlen(sep), ordered,
			depth);
}

/* Whether s[0..n) is wrapped in one pair of brackets: the bracket at 0
 * closes at n - 1 (of any kind: "(0,1]" is an interval). */
static bool wrapped(const char *s, size_t n)
{
	size_t depth = 0;

	if (n < 2 || !is_open(s[0]) || !is_close(s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (is_open(s[i]))
			depth++;
		else if (is_close(s[i]) && --depth == 0)
			return i == n - 1;
	}
	return false;
}

/* A set written \{...\}: its content. */
static bool set_body(const char *s, size_t n, size_t *b0, size_t *b1)
{
	if (n < 4 || memcmp(s, "\\{", 2) != 0 || memcmp(s + n - 2, "\\}", 2))
		return false;
	*b0 = 2;
	*b1 = n - 2;
	return true;
}

/* A matrix \begin{ENV}...\end{ENV}: its content. */
static bool matrix_body(const char *s, size_t n, size_t *b0, size_t *b1)
{
	size_t c, len;

	if (n < 14 || memcmp(s, "\\begin{", 7) != 0 ||
	    (c = group_close(s, 6, n)) == NONE)
		return false;
	len = c - 7;	/* the name is s[7..c) */
	if (n < c + 1 + len + 6 || s[n - 1] != '}' ||
	    memcmp(s + n - len - 6, "\\end{", 5) != 0 ||
	    memcmp(s + n - len - 1, s + 7, len) != 0)
		return false;
	*b0 = c + 1;
	*b1 = n - len - 6;
	return true;
}

/* The length of a name at the start of s[0..n): letters or a command,
 * with an optional subscript ("x", "x_1", "a_{n}", "\theta"); 0 when
 * s does not start with one. */
static size_t name_len(const char *s, size_t n)
{
	size_t i = n && s[0] == '\\';

	while (i < n && is_alpha((unsigned char)s[i]))
		i++;
	if (i == 0 || (s[0] == '\\' && i == 1))
		return 0;
	if (i < n && s[i] == '_') {
		i++;
		if (i < n && s[i] == '{') {
			size_t c = group_close(s, i, n);

			if (c == NONE)
				return 0;
			i = c + 1;
		} else if (i < n) {
			i++;
		}
	}
	return i;
}

/* The offset after the last top-level '=' of s[0..n) (not one of <=,
 * >=, !=), or NONE. An equation or a chain ("x=5", "\frac{34}{100}=
 * \frac{17}{50}") states its last member. */
static size_t last_equals(const char *s, size_t n)
{
	size_t last = NONE, depth = 0;

	for (size_t k = 0; k < n; k++) {
		if (is_open(s[k]))
			depth++;
		else if (is_close(s[k]) && depth)
			depth--;
		else if (s[k] == '=' && !depth &&
			 !(k && (s[k - 1] == '<' || s[k - 1] == '>' ||
				 s[k - 1] == '!')))
			last = k;
	}
	return last == NONE ? NONE : last + 1;
}

/* "x\in[-2,7]": the offset after \in when a name stands before it. */
static size_t membership(const char *s, size_t n)
{
	size_t k = name_len(s, n);

	if (k && n - k > 3 && memcmp(s + k, "\\in", 3) == 0 &&
	    !is_alpha((unsigned char)s[k + 3]))
		return k + 3;
	return NONE;
}

static bool eq(const char *a, size_t na, const char *b, size_t nb,
	       int depth)
{
	size_t ea, eb, a0, a1, b0, b1;
	double x, y;
	int r;

	if (na == nb && memcmp(a, b, na) == 0)
		return true;
	if (depth > MAX_DEPTH || !na || !nb)
		return false;
	if (cot__answer_number(a, na, &x) && cot__answer_number(b, nb, &y))
		return close_enough(x, y);
	/* an equation against a value: x=5 against 5, the last member of
	 * a chain; two equations: the same name, then the values */
	ea = last_equals(a, na);
	eb = last_equals(b, nb);
	if (ea != NONE && eb != NONE) {
		size_t k = name_len(a, na);

		if (k && k + 1 == ea && k + 1 == eb && !memcmp(a, b, k))
			return eq(a + ea, na - ea, b + eb, nb - eb, depth + 1);
	} else if (ea != NONE) {
		return eq(a + ea, na - ea, b, nb, depth + 1);
	} else if (eb != NONE) {
		return eq(a, na, b + eb, nb - eb, depth + 1);
	}
	/* x\in S against S */
	ea = membership(a, na);
	eb = membership(b, nb);
	if (ea != NONE && eb == NONE)
		return eq(a + ea, na - ea, b, nb, depth + 1);
	if (eb != NONE && ea == NONE)
		return eq(a, na, b + eb, nb - eb, depth + 1);
	/* unions of intervals, in order */
	if ((r = split_eq(a, na, b, nb, "\\cup", true, depth)) >= 0)
		return r;
	/* matrices: the same environment, entries in order */
	if (matrix_body(a, na, &a0, &a1) && matrix_body(b, nb, &b0, &b1)) {
		if (a0 != b0 || memcmp(a, b, a0))
			return false;
		r = split_eq(a + a0, a1 - a0, b + b0, b1 - b0, "\\\\", true,
			     depth);
		if (r >= 0)
			return r;
		r = split_eq(a + a0, a1 - a0, b + b0, b1 - b0, "&", true,
			     depth);
		return r > 0 ||
		       (r < 0 && eq(a + a0, a1 - a0, b + b0, b1 - b0,
				    depth + 1));
	}
	/* sets, and bare lists of solutions: in any order */
	if (!set_body(a, na, &a0, &a1)) {
		if (wrapped(a, na))
			goto tuples;
		a0 = 0;
		a1 = na;
	}
	if (!set_body(b, nb, &b0, &b1)) {
		if (wrapped(b, nb))
			goto tuples;
		b0 = 0;
		b1 = nb;
	}
	r = split_eq(a + a0, a1 - a0, b + b0, b1 - b0, ",", false, depth);
	if (r >= 0)
		return r;
	if (a0 || b0)	/* one-element sets */
		return eq(a + a0, a1 - a0, b + b0, b1 - b0, depth + 1);
	return false;
tuples:
	/* tuples and intervals: the same brackets, elements in order */
	if (!wrapped(a, na) || !wrapped(b, nb) || a[0] != b[0] ||
	    a[na - 1] != b[nb - 1])
		return false;
	r = split_eq(a + 1, na - 2, b + 1, nb - 2, ",", true, depth);
	if (r >= 0)
		return r;
	return eq(a + 1, na - 2, b + 1, nb - 2, depth + 1);
}

bool cot__answer_equal(const char *a, size_t na, const char *b, size_t nb)
{
	return eq(a, na, b, nb, 0);
}

/* ---- the public entry points ---- */

int cot_answer_normalize(cot_buf *buf, const char *s, size_t len,
			 cot_error *err)
{
	cot__arena a;
	const char *r;
	size_t n;
	int rc;

	cot__arena_init(&a);
	rc = cot__answer_normalize(s, len, &a, &r, &n);
	if (!rc)
		rc = cot__sbuf_add(buf, r, n) ? COT_ENOMEM : COT_OK;
	cot__arena_dispose(&a);
	return rc ? cot__error_set(err, rc, 0, 0, "out of memory") : COT_OK;
}

int cot_answer_equal(int *equal, const char *a, size_t alen, const char *b,
		     size_t blen, cot_error *err)
{
	cot__arena ar;
	const char *x, *y;
	size_t nx, ny;
	int rc;

	*equal = 0;
	cot__arena_init(&ar);
	rc = cot__answer_normalize(a, alen, &ar, &x, &nx);
	if (!rc)
		rc = cot__answer_normalize(b, blen, &ar, &y, &ny);
	if (!rc)
		*equal = cot__answer_equal(x, nx, y, ny);
	cot__arena_dispose(&ar);
	return rc ? cot__error_set(err, rc, 0, 0, "out of memory") : COT_OK;
}
