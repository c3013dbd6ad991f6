/* expr.c - the --where / --by expression language: compile, check, evaluate. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "record/path.h"
#include "analyze/result.h"

/* An expression is parsed once into a tree of nodes in one array, type
 * checked against the analyzer's registry, and evaluated per trace by a
 * recursive walk that allocates nothing: strings are borrowed from the
 * result (or made in the result's per-record arena), regexes are
 * compiled at compile time and their match data kept with the
 * expression. Null is "no value": comparisons with it give null, and
 * &&, ||, ! follow three-valued logic, so a missing value never passes
 * a condition by accident and is never a type error. */

enum vtype {	/* the types of values (and of nodes, statically) */
	T_NULL,
	T_BOOL,
	T_NUM,
	T_STR,
	T_LIST,		/* a JSON list or object (from a field or rec) */
	T_ANY,		/* statically unknown: a rec.PATH */
};

static const char *const type_name[] = {
	"null", "a boolean", "a number", "a string", "a list", "any value"
};

enum op {
	OP_LIT, OP_FIELD, OP_REC, OP_NOT, OP_NEG, OP_AND, OP_OR,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MATCH, OP_IN,
	OP_LEN, OP_LOWER, OP_EXISTS,
};

/* A number is held as what it was written as: JSON integers as
 * integers (NK_INT; beyond 64 bits NK_BIG, their decimal text in s and
 * len), so that two ids that one double cannot tell apart still
 * compare unequal; n is always its value as a double, for arithmetic. */
enum nkind { NK_REAL, NK_INT, NK_BIG };

typedef struct val {
	enum vtype t;
	bool b;
	double n;
	const char *s;
	size_t len;
	enum nkind nk;	/* T_NUM */
	int64_t i;	/* NK_INT */
} val;

typedef struct node {
	enum op op;
	enum vtype type;	/* static type */
	int a, b;		/* children (node indexes), -1 none */
	int up;			/* the parent of a binary operator's child */
	size_t col;		/* 1-based column in the source */
	val lit;		/* OP_LIT */
	size_t field;		/* OP_FIELD */
	cot__path *path;	/* OP_REC */
	pcre2_code *re;		/* OP_MATCH */
	val *list;		/* OP_IN: the literals */
	size_t nlist;
} node;

struct cot_expr {
	const cot_analyzer *az;
	node *nodes;
	size_t n, cap;
	int root;
	char **strings;		/* string literals, owned */
	size_t nstrings, capstrings;
	pcre2_match_data *md;
	size_t *fields;		/* the fields read, each once */
	size_t nfields;
	cot__sbuf lower;	/* lower() results, reused */
	cot__sbuf value;	/* a string or JSON result, NUL-terminated */
	cot__jdoc jdoc;		/* len() of JSON fields, reused */
	/* while compiling */
	const char *src;
	const char *p;
	cot_error *err;
	int depth;
};

/* Nesting: parentheses, function calls and unary operators (!, not,
 * -) each take a level of the parser's recursion, and of evaluation's:
 * capped so that both fit a worker thread's stack. Chains of binary
 * operators (a + b + c ..., a || b || c ...) are parsed and evaluated
 * by loops, so their length is not limited. */
#define MAX_DEPTH 200

/* ---- errors -------------------------------------------------------- */

static int fail_at(cot_expr *e, size_t col, const char *fmt, ...)
	COT__PRINTF(3, 4);

static int fail_at(cot_expr *e, size_t col, const char *fmt, ...)
{
	char msg[COT_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cot__error_set(e->err, COT_EEXPR, 0, col, "%s at column %zu",
		       msg, col);
	return -1;
}

static int oom(cot_expr *e)
{
	cot__error_set(e->err, COT_ENOMEM, 0, 0, "out of memory");
	return -1;
}

static size_t col_of(const cot_expr *e, const char *at)
{
	return (size_t)(at - e->src) + 1;
}

/* ---- nodes --------------------------------------------------------- */

static int new_node(cot_expr *e, enum op op, enum vtype type, size_t col)
{
	node *nd;

	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		node *v = cot__realloc(e->nodes, cap * sizeof *v);

		if (!v) {
			cot__error_set(e->err, COT_ENOMEM, 0, 0,
				       "out of memory");
			return -1;
		}
		e->nodes = v;
		e->cap = cap;
	}
	nd = &e->nodes[e->n];
	memset(nd, 0, sizeof *nd);
	nd->op = op;
	nd->type = type;
	nd->a = nd->b = nd->up = -1;
	nd->col = col;
	return (int)e->n++;
}

/* ---- lexing -------------------------------------------------------- */

static void skip_ws(cot_expr *e)
{
	while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n' ||
	       *e->p == '\r')
		e->p++;
}

static bool accept(cot_expr *e, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(e);
	if (strncmp(e->p, tok, n) != 0)
		return false;
	/* a word operator must end where the word ends */
	if ((tok[0] >= 'a' && tok[0] <= 'z') &&
	    ((e->p[n] >= 'a' && e->p[n] <= 'z') ||
	     (e->p[n] >= 'A' && e->p[n] <= 'Z') ||
	     (e->p[n] >= '0' && e->p[n] <= '9') || e->p[n] == '_' ||
	     e->p[n] == '.'))
		return false;
	e->p += n;
	return true;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* Keep a string literal's decoded bytes for the life of the expression. */
static const char *keep_string(cot_expr *e, const char *s, size_t n)
{
	char *copy;

	if (e->nstrings == e->capstrings) {
		size_t cap = e->capstrings ? e->capstrings * 2 : 8;
		char **v = cot__realloc(e->strings, cap * sizeof *v);

		if (!v)
			return NULL;
		e->strings = v;
		e->capstrings = cap;
	}
	copy = cot__malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	e->strings[e->nstrings++] = copy;
	return copy;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | cp >> 12);
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* A string literal: "..." with JSON escapes, or '...' taken as it is
 * (handy inside shell double quotes and for regexes). */
static int lex_string(cot_expr *e, val *out)
{
	char q = *e->p;
	const char *start = e->p++;
	size_t cap = strlen(e->p) + 1, n = 0;
	char *buf = cot__malloc(cap);
	const char *kept;

	if (!buf)
		return oom(e);
	while (*e->p && *e->p != q) {
		if (q == '"' && *e->p == '\\') {
			char c = e->p[1];
			int v = 0;

			e->p += 2;
			switch (c) {
			case 'n': buf[n++] = '\n'; break;
			case 't': buf[n++] = '\t'; break;
			case 'r': buf[n++] = '\r'; break;
			case 'b': buf[n++] = '\b'; break;
			case 'f': buf[n++] = '\f'; break;
			case '/': case '\\': case '"': buf[n++] = c; break;
			case 'u':
				for (int k = 0; k < 4; k++) {
					int h = hexval(e->p[k]);

					if (h < 0) {
						cot__free(buf);
						return fail_at(e, col_of(e,
							e->p - 2),
							"bad \\u escape");
					}
					v = v * 16 + h;
				}
				e->p += 4;
				n += put_utf8(buf + n, (unsigned)v);
				break;
			default:
				cot__free(buf);
				return fail_at(e, col_of(e, e->p - 2),
					       "bad escape '\\%c'", c);
			}
			continue;
		}
		buf[n++] = *e->p++;
	}
	if (*e->p != q) {
		cot__free(buf);
		return fail_at(e, col_of(e, start), "unterminated string");
	}
	e->p++;
	kept = keep_string(e, buf, n);
	cot__free(buf);
	if (!kept)
		return oom(e);
	out->t = T_STR;
	out->s = kept;
	out->len = n;
	return 0;
}

/* p[0..n): "-"? digits, with no leading zero (JSON's integers): into
 * out as NK_INT or NK_BIG (borrowing p); false for anything else. */
static bool int_text(const char *p, size_t n, val *out)
{
	bool neg = n && p[0] == '-';
	size_t k = neg, digits = n - neg;
	uint64_t m = 0, lim = neg ? (uint64_t)INT64_MAX + 1 :
		     (uint64_t)INT64_MAX;
	bool big = false;
	char buf[64];

	if (!digits || (p[k] == '0' && digits > 1))
		return false;
	for (; k < n; k++) {
		unsigned d = (unsigned)(p[k] - '0');

		if (d > 9)
			return false;
		if (big || m > (lim - d) / 10)
			big = true;
		else
			m = m * 10 + d;
	}
	out->t = T_NUM;
	if (!big) {
		out->nk = NK_INT;
		out->i = neg ? (int64_t)(0 - m) : (int64_t)m;
		out->n = (double)out->i;
		return true;
	}
	out->nk = NK_BIG;
	out->s = p;
	out->len = n;
	/* its double: from the top 20 digits and the number of the rest
	 * when it is long (a double has 17) */
	if (n < 40) {
		memcpy(buf, p, n);
		buf[n] = '\0';
	} else {
		memcpy(buf, p, neg + 20);
		snprintf(buf + neg + 20, sizeof buf - neg - 20, "e%zu",
			 digits - 20);
	}
	out->n = strtod(buf, NULL);
	return true;
}

static int lex_number(cot_expr *e, val *out)
{
	const char *q = e->p, *start = e->p;
	char *end;

	out->t = T_NUM;
	out->nk = NK_REAL;
	out->n = strtod(e->p, &end);
	if (end == e->p)
		return fail_at(e, col_of(e, e->p), "expected a number");
	while (*q >= '0' && *q <= '9')
		q++;
	if (end == q) {		/* digits alone: an integer */
		while (*start == '0' && start + 1 < q)
			start++;
		int_text(start, (size_t)(q - start), out);
		/* a big one's digits must outlive the source text */
		if (out->nk == NK_BIG &&
		    !(out->s = keep_string(e, start, out->len)))
			return oom(e);
	}
	e->p = end;
	return 0;
}

/* -x for a number literal, folded when compiling: an integer stays an
 * integer (-9223372036854775808 is one). */
static int negate_literal(cot_expr *e, val *x)
{
	x->n = -x->n;
	if (x->nk == NK_INT && x->i != INT64_MIN) {
		x->i = -x->i;
	} else if (x->nk == NK_BIG && x->s[0] == '-') {
		int_text(x->s + 1, x->len - 1, x);
	} else if (x->nk != NK_REAL) {	/* a positive big one, or -2^63 */
		char buf[32];
		const char *digits = x->nk == NK_BIG ? x->s :
				     "9223372036854775808";
		size_t n = x->nk == NK_BIG ? x->len : strlen(digits);
		char *t = n + 2 <= sizeof buf ? buf : cot__malloc(n + 2);
		const char *kept;

		if (!t)
			return oom(e);
		t[0] = '-';
		memcpy(t + 1, digits, n);
		kept = keep_string(e, t, n + 1);
		if (t != buf)
			cot__free(t);
		if (!kept)
			return oom(e);
		int_text(kept, n + 1, x);
	}
	return 0;
}

/* ---- parsing (precedence climbing by functions) -------------------- */

static int parse_or(cot_expr *e);

static bool is_bool(enum vtype t)
{
	return t == T_BOOL || t == T_ANY || t == T_NULL;
}

static bool is_num(enum vtype t)
{
	return t == T_NUM || t == T_ANY || t == T_NULL;
}

static bool is_str(enum vtype t)
{
	return t == T_STR || t == T_ANY || t == T_NULL;
}

static enum vtype field_type(cot_type t)
{
	switch (t) {
	case COT_TYPE_BOOL: return T_BOOL;
	case COT_TYPE_INT: case COT_TYPE_REAL: return T_NUM;
	case COT_TYPE_STRING: return T_STR;
	case COT_TYPE_JSON: return T_LIST;
	default: return T_NULL;
	}
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, (lb + 1) * sizeof *prev);
	}
	return prev[lb];
}

static int unknown_field(cot_expr *e, const char *name, size_t col)
{
	const char *best = NULL;
	size_t bestd = 3;

	for (size_t i = 0; i < cot_field_count(e->az); i++) {
		const char *f = cot_field_at(e->az, i)->name;
		size_t d = distance(name, f);

		if (d < bestd) {
			bestd = d;
			best = f;
		}
	}
	if (best)
		return fail_at(e, col, "unknown field '%s' (did you mean "
			       "'%s'?)", name, best);
	return fail_at(e, col, "unknown field '%s' (see 'cotlog fields')",
		       name);
}

/* rec.PATH: the path after "rec", in the --field syntax without [*]. */
static int parse_rec(cot_expr *e, size_t col)
{
	const char *start = e->p;
	char *path;
	cot_error perr;
	int nd, rc;

	while (is_name_char(*e->p) || *e->p == '[') {
		if (*e->p == '[') {
			bool in_str = false;

			while (*e->p && (in_str || *e->p != ']')) {
				if (*e->p == '"' && e->p[-1] != '\\')
					in_str = !in_str;
				e->p++;
			}
			if (*e->p != ']')
				return fail_at(e, col_of(e, start),
					       "unterminated '['");
		}
		e->p++;
	}
	if (e->p == start || (e->p - start == 1 && *start == '.'))
		return fail_at(e, col, "expected a path after 'rec', as in "
			       "rec.model or rec.metadata.level");
	if (memchr(start, '*', (size_t)(e->p - start)))
		return fail_at(e, col, "[*] is not allowed in an expression");
	path = cot__malloc((size_t)(e->p - start) + 1);
	if (!path)
		return oom(e);
	memcpy(path, start, (size_t)(e->p - start));
	path[e->p - start] = '\0';
	nd = new_node(e, OP_REC, T_ANY, col);
	if (nd < 0) {
		cot__free(path);
		return -1;
	}
	rc = cot__path_parse(&e->nodes[nd].path, path, &perr);
	cot__free(path);
	if (rc == COT_ENOMEM)
		return oom(e);
	if (rc)
		return fail_at(e, col + 3 + (perr.column ? perr.column - 1 :
					     0), "bad path: %s", perr.message);
	return nd;
}

static int parse_call(cot_expr *e, const char *name, size_t col)
{
	static const struct {
		const char *name;
		enum op op;
	} funcs[] = {
		{ "len", OP_LEN }, { "lower", OP_LOWER },
		{ "exists", OP_EXISTS },
	};
	int arg, nd;
	enum vtype t;
	size_t i;

	for (i = 0; i < sizeof funcs / sizeof *funcs; i++)
		if (!strcmp(name, funcs[i].name))
			break;
	if (i == sizeof funcs / sizeof *funcs)
		return fail_at(e, col, "unknown function '%s' (there are "
			       "len, lower, exists)", name);
	arg = parse_or(e);
	if (arg < 0)
		return -1;
	if (!accept(e, ")"))
		return fail_at(e, col_of(e, e->p), "expected ')'");
	t = e->nodes[arg].type;
	switch (funcs[i].op) {
	case OP_LEN:
		if (!is_str(t) && t != T_LIST)
			return fail_at(e, e->nodes[arg].col, "len() takes a "
				       "string or a list, not %s",
				       type_name[t]);
		nd = new_node(e, OP_LEN, T_NUM, col);
		break;
	case OP_LOWER:
		if (!is_str(t))
			return fail_at(e, e->nodes[arg].col, "lower() takes "
				       "a string, not %s", type_name[t]);
		nd = new_node(e, OP_LOWER, T_STR, col);
		break;
	default:
		nd = new_node(e, OP_EXISTS, T_BOOL, col);
		break;
	}
	if (nd >= 0)
		e->nodes[nd].a = arg;
	return nd;
}

static int too_deep(cot_expr *e, size_t col)
{
	return fail_at(e, col, "expression nested too deeply (more than %d "
		       "levels)", MAX_DEPTH);
}

static int parse_primary(cot_expr *e)
{
	size_t col;
	val v = { T_NULL, false, 0, NULL, 0, NK_REAL, 0 };
	int nd;

	skip_ws(e);
	col = col_of(e, e->p);
	if (accept(e, "(")) {
		if (++e->depth > MAX_DEPTH)
			return too_deep(e, col);
		nd = parse_or(e);
		if (nd >= 0 && !accept(e, ")"))
			return fail_at(e, col_of(e, e->p), "expected ')'");
		e->depth--;
		return nd;
	}
	if (*e->p == '"' || *e->p == '\'') {
		if (lex_string(e, &v))
			return -1;
	} else if ((*e->p >= '0' && *e->p <= '9') || *e->p == '.') {
		if (lex_number(e, &v))
			return -1;
	} else if (accept(e, "true")) {
		v.t = T_BOOL;
		v.b = true;
	} else if (accept(e, "false")) {
		v.t = T_BOOL;
	} else if (accept(e, "null")) {
		v.t = T_NULL;
	} else if (is_name_char(*e->p) && *e->p != '.') {
		const char *start = e->p;
		char name[128];
		size_t n;
		size_t f;

		while (is_name_char(*e->p))
			e->p++;
		n = (size_t)(e->p - start);
		if (n >= sizeof name)
			return fail_at(e, col, "name too long");
		memcpy(name, start, n);
		name[n] = '\0';
		if (!strncmp(name, "rec", 3) && (name[3] == '.' ||
		    (name[3] == '\0' && *e->p == '['))) {
			e->p = start + 3;
			return parse_rec(e, col);
		}
		skip_ws(e);
		if (*e->p == '(') {
			e->p++;
			if (++e->depth > MAX_DEPTH)
				return too_deep(e, col);
			nd = parse_call(e, name, col);
			e->depth--;
			return nd;
		}
		if (cot_field_find(&f, e->az, name, NULL))
			return unknown_field(e, name, col);
		nd = new_node(e, OP_FIELD,
			      field_type(cot_field_at(e->az, f)->type), col);
		if (nd >= 0)
			e->nodes[nd].field = f;
		return nd;
	} else if (*e->p == '\0') {
		return fail_at(e, col, "unexpected end of the expression");
	} else {
		return fail_at(e, col, "unexpected '%c'", *e->p);
	}
	nd = new_node(e, OP_LIT, v.t, col);
	if (nd >= 0)
		e->nodes[nd].lit = v;
	return nd;
}

static int parse_unary(cot_expr *e)
{
	size_t col;
	int a, nd;

	skip_ws(e);
	col = col_of(e, e->p);
	if (*e->p == '-' && accept(e, "-")) {
		if (++e->depth > MAX_DEPTH)
			return too_deep(e, col);
		a = parse_unary(e);
		if (a < 0)
			return -1;
		e->depth--;
		if (!is_num(e->nodes[a].type))
			return fail_at(e, col, "'-' takes a number, not %s",
				       type_name[e->nodes[a].type]);
		if (e->nodes[a].op == OP_LIT && e->nodes[a].lit.t == T_NUM) {
			if (negate_literal(e, &e->nodes[a].lit))
				return -1;
			e->nodes[a].col = col;
			return a;
		}
		nd = new_node(e, OP_NEG, T_NUM, col);
		if (nd >= 0)
			e->nodes[nd].a = a;
		return nd;
	}
	return parse_primary(e);
}

static int binary(cot_expr *e, enum op op, enum vtype type, int a, int b,
		  size_t col)
{
	int nd = new_node(e, op, type, col);

	if (nd >= 0) {
		e->nodes[nd].a = a;
		e->nodes[nd].b = b;
		e->nodes[a].up = nd;
		e->nodes[b].up = nd;
	}
	return nd;
}

static int arith(cot_expr *e, int a, int b, enum op op, size_t col,
		 const char *sym)
{
	enum vtype ta = e->nodes[a].type, tb = e->nodes[b].type;

	if (!is_num(ta) || !is_num(tb))
		return fail_at(e, col, "'%s' takes numbers, not %s and %s",
			       sym, type_name[ta], type_name[tb]);
	return binary(e, op, T_NUM, a, b, col);
}

static int parse_mul(cot_expr *e)
{
	int a = parse_unary(e);

	while (a >= 0) {
		size_t col;
		enum op op;
		int b;

		skip_ws(e);
		col = col_of(e, e->p);
		if (accept(e, "*"))
			op = OP_MUL;
		else if (accept(e, "/"))
			op = OP_DIV;
		else
			break;
		b = parse_unary(e);
		if (b < 0)
			return -1;
		a = arith(e, a, b, op, col, op == OP_MUL ? "*" : "/");
	}
	return a;
}

static int parse_add(cot_expr *e)
{
	int a = parse_mul(e);

	while (a >= 0) {
		size_t col;
		enum op op;
		int b;

		skip_ws(e);
		col = col_of(e, e->p);
		if (accept(e, "+"))
			op = OP_ADD;
		else if (*e->p == '-' && accept(e, "-"))
			op = OP_SUB;
		else
			break;
		b = parse_mul(e);
		if (b < 0)
			return -1;
		a = arith(e, a, b, op, col, op == OP_ADD ? "+" : "-");
	}
	return a;
}

/* Can values of these static types be compared with ==? Null and
 * unknown (rec) compare with anything. */
static bool comparable(enum vtype a, enum vtype b)
{
	return a == b || a == T_NULL || b == T_NULL || a == T_ANY ||
	       b == T_ANY;
}

static int parse_list(cot_expr *e, int a, size_t col)
{
	val *list = NULL;
	size_t n = 0, cap = 0;
	int nd;

	if (!accept(e, "["))
		return fail_at(e, col_of(e, e->p), "expected '[' after 'in'");
	while (!accept(e, "]")) {
		int lit;

		if (n && !accept(e, ","))
			goto bad;
		lit = parse_unary(e);
		if (lit < 0)
			goto out;
		if (e->nodes[lit].op != OP_LIT &&
		    !(e->nodes[lit].op == OP_NEG &&
		      e->nodes[e->nodes[lit].a].op == OP_LIT)) {
			fail_at(e, e->nodes[lit].col, "a list after 'in' "
				"holds literals only");
			goto out;
		}
		if (!comparable(e->nodes[a].type, e->nodes[lit].type)) {
			fail_at(e, e->nodes[lit].col, "cannot compare %s "
				"with %s", type_name[e->nodes[a].type],
				type_name[e->nodes[lit].type]);
			goto out;
		}
		if (n == cap) {
			val *v;

			cap = cap ? cap * 2 : 8;
			v = cot__realloc(list, cap * sizeof *v);
			if (!v) {
				cot__error_set(e->err, COT_ENOMEM, 0, 0,
					       "out of memory");
				goto out;
			}
			list = v;
		}
		list[n] = e->nodes[lit].op == OP_LIT ? e->nodes[lit].lit :
			  e->nodes[e->nodes[lit].a].lit;
		if (e->nodes[lit].op == OP_NEG) {
			if (list[n].t != T_NUM) {
				fail_at(e, e->nodes[lit].col, "'-' takes a "
					"number");
				goto out;
			}
			list[n].n = -list[n].n;
		}
		n++;
	}
	nd = new_node(e, OP_IN, T_BOOL, col);
	if (nd < 0)
		goto out;
	e->nodes[nd].a = a;
	e->nodes[nd].list = list;
	e->nodes[nd].nlist = n;
	return nd;
bad:
	fail_at(e, col_of(e, e->p), "expected ',' or ']'");
out:
	cot__free(list);
	return -1;
}

static int parse_match(cot_expr *e, int a, size_t col)
{
	int b, nd, code;
	PCRE2_SIZE off;
	const char *pat;

	if (!is_str(e->nodes[a].type))
		return fail_at(e, col, "'=~' takes a string on its left, not "
			       "%s", type_name[e->nodes[a].type]);
	skip_ws(e);
	if (*e->p != '"' && *e->p != '\'')
		return fail_at(e, col_of(e, e->p), "'=~' takes a string "
			       "literal (the regex) on its right");
	b = parse_primary(e);
	if (b < 0)
		return -1;
	nd = binary(e, OP_MATCH, T_BOOL, a, b, col);
	if (nd < 0)
		return -1;
	pat = e->nodes[b].lit.s;
	e->nodes[nd].re = pcre2_compile((PCRE2_SPTR)pat, e->nodes[b].lit.len,
					PCRE2_UTF | PCRE2_UCP, &code, &off,
					NULL);
	if (!e->nodes[nd].re) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(code, msg, sizeof msg);
		return fail_at(e, e->nodes[b].col + 1 + off, "invalid regex: "
			       "%s", (const char *)msg);
	}
	pcre2_jit_compile(e->nodes[nd].re, PCRE2_JIT_COMPLETE);
	return nd;
}

static int parse_cmp(cot_expr *e)
{
	static const struct {
		const char *sym;
		enum op op;
	} ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE },
		{ ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT },
	};
	int a = parse_add(e), b;
	size_t col;

	if (a < 0)
		return -1;
	skip_ws(e);
	col = col_of(e, e->p);
	if (accept(e, "=~"))
		return parse_match(e, a, col);
	if (accept(e, "in"))
		return parse_list(e, a, col);
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		enum vtype ta, tb;

		if (!accept(e, ops[i].sym))
			continue;
		b = parse_add(e);
		if (b < 0)
			return -1;
		ta = e->nodes[a].type;
		tb = e->nodes[b].type;
		if (ops[i].op == OP_EQ || ops[i].op == OP_NE) {
			if (!comparable(ta, tb))
				return fail_at(e, col, "cannot compare %s "
					       "with %s", type_name[ta],
					       type_name[tb]);
		} else if (!((is_num(ta) && is_num(tb)) ||
			     (is_str(ta) && is_str(tb)))) {
			return fail_at(e, col, "'%s' orders two numbers or "
				       "two strings, not %s and %s",
				       ops[i].sym, type_name[ta],
				       type_name[tb]);
		}
		return binary(e, ops[i].op, T_BOOL, a, b, col);
	}
	return a;
}

static int parse_not(cot_expr *e)
{
	size_t col;
	int a, nd;

	skip_ws(e);
	col = col_of(e, e->p);
	if ((*e->p == '!' && e->p[1] != '=' && accept(e, "!")) ||
	    accept(e, "not")) {
		if (++e->depth > MAX_DEPTH)
			return too_deep(e, col);
		a = parse_not(e);
		if (a < 0)
			return -1;
		e->depth--;
		if (!is_bool(e->nodes[a].type))
			return fail_at(e, col, "'!' takes a condition, not "
				       "%s", type_name[e->nodes[a].type]);
		nd = new_node(e, OP_NOT, T_BOOL, col);
		if (nd >= 0)
			e->nodes[nd].a = a;
		return nd;
	}
	return parse_cmp(e);
}

static int logic(cot_expr *e, int (*sub)(cot_expr *), const char *sym,
		 const char *word, enum op op)
{
	int a = sub(e);

	while (a >= 0) {
		size_t col;
		int b;

		skip_ws(e);
		col = col_of(e, e->p);
		if (!accept(e, sym) && !accept(e, word))
			break;
		b = sub(e);
		if (b < 0)
			return -1;
		if (!is_bool(e->nodes[a].type) || !is_bool(e->nodes[b].type))
			return fail_at(e, col, "'%s' takes conditions, not %s "
				       "and %s", sym,
				       type_name[e->nodes[a].type],
				       type_name[e->nodes[b].type]);
		a = binary(e, op, T_BOOL, a, b, col);
	}
	return a;
}

static int parse_and(cot_expr *e)
{
	return logic(e, parse_not, "&&", "and", OP_AND);
}

static int parse_or(cot_expr *e)
{
	return logic(e, parse_and, "||", "or", OP_OR);
}

/* The fields the expression reads, each once, in the order first read:
 * kept, so that cot_expr_fields does not compare every pair of nodes of
 * a long expression. */
static int list_fields(cot_expr *e)
{
	for (size_t i = 0; i < e->n; i++) {
		size_t k = 0;

		if (e->nodes[i].op != OP_FIELD)
			continue;
		while (k < e->nfields && e->fields[k] != e->nodes[i].field)
			k++;
		if (k < e->nfields)
			continue;
		if (!(e->nfields & (e->nfields + 1)) || !e->fields) {
			size_t *f = cot__realloc(e->fields, 2 * (e->nfields +
						 1) * sizeof *f);

			if (!f)
				return -1;
			e->fields = f;
		}
		e->fields[e->nfields++] = e->nodes[i].field;
	}
	return 0;
}

int cot_expr_compile(cot_expr **out, const cot_analyzer *az, const char *src,
		     cot_error *err)
{
	cot_expr *e;
	cot_error local;

	*out = NULL;
	if (!err)
		err = &local;
	e = cot__calloc(1, sizeof *e);
	if (!e)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	e->az = az;
	e->src = e->p = src;
	e->err = err;
	cot__jdoc_init(&e->jdoc);
	err->code = COT_OK;
	e->root = parse_or(e);
	if (e->root >= 0) {
		skip_ws(e);
		if (*e->p)
			e->root = fail_at(e, col_of(e, e->p), "unexpected "
					  "'%c' after the expression",
					  *e->p);
	}
	if (e->root >= 0) {
		e->md = pcre2_match_data_create(1, NULL);
		if (!e->md || list_fields(e))
			e->root = oom(e);
	}
	if (e->root < 0) {
		int rc = err->code ? err->code : COT_EEXPR;

		cot_expr_free(e);
		return rc;
	}
	e->src = e->p = NULL;
	e->err = NULL;
	*out = e;
	return COT_OK;
}

void cot_expr_free(cot_expr *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		cot__path_free(e->nodes[i].path);
		pcre2_code_free(e->nodes[i].re);
		cot__free(e->nodes[i].list);
	}
	pcre2_match_data_free(e->md);
	cot__sbuf_dispose(&e->lower);
	cot__sbuf_dispose(&e->value);
	cot__jdoc_dispose(&e->jdoc);
	for (size_t i = 0; i < e->nstrings; i++)
		cot__free(e->strings[i]);
	cot__free(e->nodes);
	cot__free(e->strings);
	cot__free(e->fields);
	cot__free(e);
}

cot_type cot_expr_type(const cot_expr *e)
{
	switch (e->nodes[e->root].type) {
	case T_BOOL: return COT_TYPE_BOOL;
	case T_NUM: return COT_TYPE_REAL;
	case T_STR: return COT_TYPE_STRING;
	case T_LIST: return COT_TYPE_JSON;
	default: return COT_TYPE_NULL;
	}
}

/* ---- evaluation ---------------------------------------------------- */

typedef struct env {
	cot_expr *e;
	cot_result *res;
	size_t trace;
	cot_error *err;
} env;

static int eval(env *v, int i, val *out);

static int type_error(env *v, const node *nd, const char *what,
		      enum vtype got)
{
	return cot__error_set(v->err, COT_EINVAL, 0, nd->col,
			      "%s, not %s, at column %zu", what,
			      type_name[got], nd->col);
}

static void from_value(const cot_value *cv, val *out)
{
	memset(out, 0, sizeof *out);
	switch (cv->type) {
	case COT_TYPE_BOOL:
		out->t = T_BOOL;
		out->b = cv->b;
		break;
	case COT_TYPE_INT:
		out->t = T_NUM;
		out->nk = NK_INT;
		out->i = cv->i;
		out->n = (double)cv->i;
		break;
	case COT_TYPE_REAL:
		out->t = T_NUM;
		out->n = cv->r;
		break;
	case COT_TYPE_STRING:
	case COT_TYPE_JSON:
		out->t = cv->type == COT_TYPE_STRING ? T_STR : T_LIST;
		out->s = cv->s;
		out->len = cv->len;
		break;
	default:
		out->t = T_NULL;
	}
}

static int first_match(void *ctx, uint32_t tok)
{
	*(uint32_t *)ctx = tok;
	return 1;
}

/* rec.PATH: the record's own JSON value there. */
static int eval_rec(env *v, const node *nd, val *out)
{
	const cot__jdoc *d = v->res->rec_doc;
	uint32_t t = COT_J_NONE;
	const cot__jtok *tok;

	memset(out, 0, sizeof *out);
	if (!d)
		return 0;
	cot__path_eval(nd->path, d, v->res->rec_tok, first_match, &t);
	if (t == COT_J_NONE)
		return 0;
	tok = &d->tok[t];
	switch (tok->kind) {
	case COT_J_TRUE:
	case COT_J_FALSE:
		out->t = T_BOOL;
		out->b = tok->kind == COT_J_TRUE;
		break;
	case COT_J_NUM: {
		char buf[64];
		size_t n = tok->end - tok->off;

		/* integers as integers, of any size; reals as doubles */
		if (int_text(d->src + tok->off, n, out))
			break;
		if (n >= sizeof buf)
			n = sizeof buf - 1;
		memcpy(buf, d->src + tok->off, n);
		buf[n] = '\0';
		out->t = T_NUM;
		out->n = strtod(buf, NULL);
		break;
	}
	case COT_J_STR:
		out->t = T_STR;
		if (cot__json_str(d, t, &v->res->arena, &out->s, &out->len))
			return cot__error_set(v->err, COT_ENOMEM, 0, 0,
					      "out of memory");
		break;
	case COT_J_ARR:
	case COT_J_OBJ:
		out->t = T_LIST;
		out->s = d->src + tok->off;
		out->len = tok->end - tok->off;
		break;
	default:
		break;
	}
	return 0;
}

static int cmp_strings(const val *a, const val *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Decimal integers (canonical: "-"? no leading zero) compared. */
static int cmp_int_text(const char *a, size_t la, const char *b, size_t lb)
{
	bool na = a[0] == '-', nb = b[0] == '-';
	int c;

	if (na != nb)
		return na ? -1 : 1;
	la -= na;
	lb -= nb;
	c = la != lb ? (la < lb ? -1 : 1) : memcmp(a + na, b + nb, la);
	c = (c > 0) - (c < 0);
	return na ? -c : c;
}

static int cmp_int_real(int64_t i, double d)
{
	double t;

	if (d >= 0x1p63)
		return -1;
	if (d < -0x1p63)
		return 1;
	t = trunc(d);		/* in [-2^63, 2^63): exact as an int64 */
	if (i != (int64_t)t)
		return i < (int64_t)t ? -1 : 1;
	return d > t ? -1 : d < t ? 1 : 0;
}

/* Two numbers by their exact values: -1, 0, 1, or 2 when unordered
 * (NaN, from inf - inf). */
static int cmp_numbers(const val *a, const val *b)
{
	if (a->nk == NK_REAL && b->nk == NK_REAL) {
		if (isnan(a->n) || isnan(b->n))
			return 2;
		return (a->n > b->n) - (a->n < b->n);
	}
	if (a->nk == NK_REAL) {
		int c = cmp_numbers(b, a);

		return c == 2 ? 2 : -c;
	}
	if (b->nk != NK_REAL && (a->nk == NK_BIG || b->nk == NK_BIG)) {
		/* a big one is past every int64 */
		if (a->nk == NK_INT)
			return b->s[0] == '-' ? 1 : -1;
		if (b->nk == NK_INT)
			return a->s[0] == '-' ? -1 : 1;
		return cmp_int_text(a->s, a->len, b->s, b->len);
	}
	if (a->nk == NK_INT && b->nk == NK_INT)
		return (a->i > b->i) - (a->i < b->i);
	if (isnan(b->n))
		return 2;
	if (a->nk == NK_INT)
		return cmp_int_real(a->i, b->n);
	/* a big integer and a real */
	if (isinf(b->n))
		return b->n > 0 ? -1 : 1;
	if (fabs(b->n) < 0x1p63)
		return a->s[0] == '-' ? -1 : 1;
	{
		/* a double this big is an integer: its exact digits */
		char buf[400];
		int n = snprintf(buf, sizeof buf, "%.0f", b->n);

		return cmp_int_text(a->s, a->len, buf, (size_t)n);
	}
}

static bool equal(const val *a, const val *b)
{
	if (a->t != b->t)
		return false;
	switch (a->t) {
	case T_NULL: return true;
	case T_BOOL: return a->b == b->b;
	case T_NUM: return cmp_numbers(a, b) == 0;
	default: return a->len == b->len && !memcmp(a->s, b->s, a->len);
	}
}

static void set_bool3(val *out, int b)	/* -1: null */
{
	memset(out, 0, sizeof *out);
	if (b < 0)
		return;
	out->t = T_BOOL;
	out->b = b;
}

/* A condition's three values: 1, 0, or -1 for null. */
static int truth(env *v, const node *nd, const val *x)
{
	if (x->t == T_NULL)
		return -1;
	if (x->t != T_BOOL)
		return type_error(v, nd, "expected a condition", x->t), -2;
	return x->b;
}

/* && or ||, its left side a already evaluated. */
static int eval_logic(env *v, const node *nd, const val *a, val *out)
{
	val b;
	int ta, tb, rc;

	if ((ta = truth(v, &v->e->nodes[nd->a], a)) == -2)
		return COT_EINVAL;
	/* short-circuit where the answer is known */
	if ((nd->op == OP_AND && ta == 0) || (nd->op == OP_OR && ta == 1)) {
		set_bool3(out, ta);
		return 0;
	}
	if ((rc = eval(v, nd->b, &b)))
		return rc;
	if ((tb = truth(v, &v->e->nodes[nd->b], &b)) == -2)
		return COT_EINVAL;
	if (nd->op == OP_AND)
		set_bool3(out, tb == 0 ? 0 : (ta < 0 || tb < 0) ? -1 : 1);
	else
		set_bool3(out, tb == 1 ? 1 : (ta < 0 || tb < 0) ? -1 : 0);
	return 0;
}

static int eval_compare(env *v, const node *nd, const val *a,
			const val *b, val *out)
{
	int c;

	if (nd->op == OP_EQ || nd->op == OP_NE) {
		if (a->t != T_NULL && b->t != T_NULL && a->t != b->t)
			return cot__error_set(v->err, COT_EINVAL, 0, nd->col,
				"cannot compare %s with %s, at column %zu",
				type_name[a->t], type_name[b->t], nd->col);
		set_bool3(out, equal(a, b) == (nd->op == OP_EQ));
		return 0;
	}
	if (a->t == T_NULL || b->t == T_NULL) {
		set_bool3(out, -1);
		return 0;
	}
	if (a->t == T_NUM && b->t == T_NUM)
		c = cmp_numbers(a, b);
	else if (a->t == T_STR && b->t == T_STR)
		c = cmp_strings(a, b);
	else
		return cot__error_set(v->err, COT_EINVAL, 0, nd->col,
			"cannot order %s and %s, at column %zu",
			type_name[a->t], type_name[b->t], nd->col);
	if (c == 2) {		/* NaN: no order holds */
		set_bool3(out, 0);
		return 0;
	}
	switch (nd->op) {
	case OP_LT: set_bool3(out, c < 0); break;
	case OP_LE: set_bool3(out, c <= 0); break;
	case OP_GT: set_bool3(out, c > 0); break;
	default: set_bool3(out, c >= 0); break;
	}
	return 0;
}

static int eval_arith(env *v, const node *nd, const val *a, const val *b,
		      val *out)
{
	memset(out, 0, sizeof *out);
	if (a->t == T_NULL || b->t == T_NULL)
		return 0;
	if (a->t != T_NUM)
		return type_error(v, &v->e->nodes[nd->a], "expected a number",
				  a->t);
	if (b->t != T_NUM)
		return type_error(v, &v->e->nodes[nd->b], "expected a number",
				  b->t);
	out->t = T_NUM;
	/* integers stay exact while they fit */
	if (a->nk == NK_INT && b->nk == NK_INT && nd->op != OP_DIV) {
		int64_t r;
		bool over = nd->op == OP_ADD ?
			    __builtin_add_overflow(a->i, b->i, &r) :
			    nd->op == OP_SUB ?
			    __builtin_sub_overflow(a->i, b->i, &r) :
			    __builtin_mul_overflow(a->i, b->i, &r);

		if (!over) {
			out->nk = NK_INT;
			out->i = r;
			out->n = (double)r;
			return 0;
		}
	}
	switch (nd->op) {
	case OP_ADD: out->n = a->n + b->n; break;
	case OP_SUB: out->n = a->n - b->n; break;
	case OP_MUL: out->n = a->n * b->n; break;
	default:
		if (b->n == 0)	/* no value rather than infinity */
			out->t = T_NULL;
		else
			out->n = a->n / b->n;
	}
	return 0;
}

/* Number of elements of a JSON list or members of an object. */
static int json_len(env *v, const val *x, val *out)
{
	cot_error perr;

	if (cot__json_parse(&v->e->jdoc, x->s, x->len, &perr))
		return cot__error_set(v->err, COT_ENOMEM, 0, 0,
				      "out of memory");
	out->t = T_NUM;
	out->nk = NK_INT;
	out->i = (int64_t)v->e->jdoc.tok[0].count;
	out->n = (double)out->i;
	return 0;
}

/* Code points of a UTF-8 string. */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* ASCII and Latin-1 / Greek / Cyrillic lower-casing through pcre2's
 * tables would need a locale; lower() maps ASCII A-Z and leaves other
 * bytes as they are (documented). */
static int eval_lower(env *v, const val *x, val *out)
{
	cot__sbuf *b = &v->e->lower;

	/* lower(lower(s)): x is this buffer already, lowered in place */
	if (x->s != b->ptr) {
		b->size = 0;
		if (cot__sbuf_reserve(b, x->len))
			return cot__error_set(v->err, COT_ENOMEM, 0, 0,
					      "out of memory");
		if (x->len)
			memcpy(b->ptr, x->s, x->len);
	}
	for (size_t i = 0; i < x->len; i++) {
		char c = b->ptr[i];

		b->ptr[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	b->size = x->len;
	out->t = T_STR;
	out->s = b->ptr;
	out->len = x->len;
	return 0;
}

static int eval_func(env *v, const node *nd, val *out)
{
	val a;
	int rc = eval(v, nd->a, &a);

	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	if (nd->op == OP_EXISTS) {
		set_bool3(out, a.t != T_NULL);
		return 0;
	}
	if (a.t == T_NULL)
		return 0;
	if (nd->op == OP_LEN) {
		if (a.t == T_LIST)
			return json_len(v, &a, out);
		if (a.t != T_STR)
			return type_error(v, &v->e->nodes[nd->a], "len() "
					  "takes a string or a list", a.t);
		out->t = T_NUM;
		out->nk = NK_INT;
		out->i = (int64_t)chars(a.s, a.len);
		out->n = (double)out->i;
		return 0;
	}
	if (a.t != T_STR)
		return type_error(v, &v->e->nodes[nd->a], "lower() takes a "
				  "string", a.t);
	return eval_lower(v, &a, out);
}

static int eval_match(env *v, const node *nd, const val *a, val *out)
{
	int rc;

	if (a->t == T_NULL) {
		set_bool3(out, -1);
		return 0;
	}
	if (a->t != T_STR)
		return type_error(v, &v->e->nodes[nd->a], "'=~' takes a "
				  "string", a->t);
	rc = pcre2_match(nd->re, (PCRE2_SPTR)a->s, a->len, 0, 0, v->e->md,
			 NULL);
	if (rc == PCRE2_ERROR_NOMATCH) {
		set_bool3(out, 0);
		return 0;
	}
	if (rc < 0) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(rc, msg, sizeof msg);
		return cot__error_set(v->err, COT_EINVAL, 0, nd->col,
				      "regex match failed: %s, at column %zu",
				      (const char *)msg, nd->col);
	}
	set_bool3(out, 1);
	return 0;
}

/* Operators whose left side is evaluated before the node itself. */
static bool binary_op(enum op op)
{
	return op == OP_AND || op == OP_OR || (op >= OP_EQ && op <= OP_DIV);
}

/* Binary node nd, its left side a evaluated: the right side, then nd. */
static int eval_step(env *v, const node *nd, const val *a, val *out)
{
	val b;
	int rc;

	if (nd->op == OP_AND || nd->op == OP_OR)
		return eval_logic(v, nd, a, out);
	if ((rc = eval(v, nd->b, &b)))
		return rc;
	if (nd->op >= OP_ADD && nd->op <= OP_DIV)
		return eval_arith(v, nd, a, &b, out);
	return eval_compare(v, nd, a, &b, out);
}

/* Binary node i. Operators of one precedence level chain to the left
 * (a + b + c is (a + b) + c), so a long chain is a tree as deep as it
 * is long: walk its left edge down to the first operand, then back up
 * by the parents, in a loop, so that the stack does not grow with the
 * chain. Only right sides recurse, and they are as deep as the nesting
 * (parentheses, unary operators), which the parser caps. */
static int eval_chain(env *v, int i, val *out)
{
	const node *nodes = v->e->nodes;
	int j = i, rc;
	val acc, next;

	while (binary_op(nodes[nodes[j].a].op))
		j = nodes[j].a;
	if ((rc = eval(v, nodes[j].a, &acc)))
		return rc;
	for (;;) {
		if ((rc = eval_step(v, &nodes[j], &acc, &next)))
			return rc;
		acc = next;
		if (j == i)
			break;
		j = nodes[j].up;
	}
	*out = acc;
	return 0;
}

static int eval(env *v, int i, val *out)
{
	const node *nd = &v->e->nodes[i];
	val a;
	int rc;

	switch (nd->op) {
	case OP_LIT:
		*out = nd->lit;
		return 0;
	case OP_FIELD: {
		cot_value cv;

		if (v->trace == COT_NO_TRACE) {
			memset(out, 0, sizeof *out);
			return 0;
		}
		if ((rc = cot_result_get(&cv, v->res, v->trace, nd->field,
					 v->err)))
			return rc;
		from_value(&cv, out);
		return 0;
	}
	case OP_REC:
		return eval_rec(v, nd, out);
	case OP_NOT:
		if ((rc = eval(v, nd->a, &a)))
			return rc;
		rc = truth(v, &v->e->nodes[nd->a], &a);
		if (rc == -2)
			return COT_EINVAL;
		set_bool3(out, rc < 0 ? -1 : !rc);
		return 0;
	case OP_NEG:
		if ((rc = eval(v, nd->a, &a)))
			return rc;
		memset(out, 0, sizeof *out);
		if (a.t == T_NULL)
			return 0;
		if (a.t != T_NUM)
			return type_error(v, nd, "'-' takes a number", a.t);
		out->t = T_NUM;
		out->n = -a.n;
		if (a.nk == NK_INT && a.i != INT64_MIN) {
			out->nk = NK_INT;
			out->i = -a.i;
		}
		return 0;
	case OP_LEN:
	case OP_LOWER:
	case OP_EXISTS:
		return eval_func(v, nd, out);
	case OP_MATCH:
		if ((rc = eval(v, nd->a, &a)))
			return rc;
		return eval_match(v, nd, &a, out);
	case OP_IN:
		if ((rc = eval(v, nd->a, &a)))
			return rc;
		for (size_t k = 0; k < nd->nlist; k++)
			if (equal(&a, &nd->list[k])) {
				set_bool3(out, 1);
				return 0;
			}
		if (a.t != T_NULL && a.t != T_ANY && nd->nlist &&
		    a.t != nd->list[0].t)
			return type_error(v, &v->e->nodes[nd->a], "'in' "
					  "compares with the list's type",
					  a.t);
		set_bool3(out, 0);
		return 0;
	default:
		break;
	}
	return eval_chain(v, i, out);
}

int cot_expr_eval(cot_value *out, cot_expr *e, cot_result *res, size_t i,
		  cot_error *err)
{
	env v = { e, res, i, err };
	val x;
	int rc;

	memset(out, 0, sizeof *out);
	if (i != COT_NO_TRACE && i >= cot_result_traces(res))
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "no trace %zu", i);
	rc = eval(&v, e->root, &x);
	if (rc)
		return rc;
	switch (x.t) {
	case T_BOOL:
		out->type = COT_TYPE_BOOL;
		out->b = x.b;
		break;
	case T_NUM:
		out->type = COT_TYPE_REAL;
		out->r = x.n;
		break;
	case T_STR:
	case T_LIST:
		/* a string from the record is its JSON text in place, with
		 * the quote after it: the API promises a NUL */
		e->value.size = 0;
		if (cot__sbuf_reserve(&e->value, x.len + 1))
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		if (x.len)
			memcpy(e->value.ptr, x.s, x.len);
		e->value.ptr[x.len] = '\0';
		out->type = x.t == T_STR ? COT_TYPE_STRING : COT_TYPE_JSON;
		out->s = e->value.ptr;
		out->len = x.len;
		break;
	default:
		out->type = COT_TYPE_NULL;
	}
	return COT_OK;
}

size_t cot_expr_fields(size_t *out, size_t max, const cot_expr *e)
{
	for (size_t i = 0; out && i < e->nfields && i < max; i++)
		out[i] = e->fields[i];
	return e->nfields;
}
