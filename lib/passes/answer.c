/* answer.c - answer statements: final answer, candidates, solution rounds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "passes/answer.h"
#include "base/bits.h"
#include "base/simd.h"
#include "passes/normalize.h"
#include "passes/health.h"
#include "passes/language.h"


#define NONE ((size_t)-1)

const char *const cot__rule_names[COT__NRULES] = {
	"boxed", "answer_tag", "final_answer_is", "bold_answer",
	"answer_colon", "answer_is", "last_display", "last_statement",
};

typedef struct box {
	size_t at, brace, depth;
	bool resolved;	/* its statement was pushed early (resolve) */
} box;

/* One pass over a text. The box rule of answer_extracted needs brace
 * matching; it is done here with one depth counter (braces count only
 * while a box is open), so each byte is looked at once however boxes
 * nest or fail to close. A box that holds another box is no statement,
 * so of the boxes open only the innermost can be one, and only while no
 * box has opened inside it: that one is all the scanner keeps, with the
 * depth at which the outermost opened, to know when none is open. */
typedef struct scanner {
	const char *t;
	size_t n;
	cot__arena *a;
	cot__stmts *out;	/* found, not yet handed to the sink */
	size_t flush_at;	/* flush when out holds this many */
	cot__stmt_sink sink;
	void *ctx;
	int sink_rc;
	box top;		/* the innermost open box, if has_top */
	bool has_top;
	bool open;		/* some box is open, since depth floor */
	size_t floor;
	size_t depth;
	size_t esc;	/* bytes before this are escaped: a backslash
			 * takes the next byte with it */
	/* the last end of an answer text found by the line rule, for
	 * texts starting in [end_from, end_at]: anchors come in text
	 * order, so each byte is searched once */
	size_t end_from[2], end_at[2];
	bool end_ok[2];
	/* closers known to be absent from the rest of the text */
	bool no_tag_close, no_ddollar, no_bracket;
	bool to_end;		/* an unclosed <answer> runs to the end */
	bool nomem;
} scanner;

static bool is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static bool is_ws(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Case-insensitive compare of n bytes with a lower-case word. */
static bool ieq(const char *s, const char *word, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((unsigned)(c - 'A') < 26)
			c += 32;
		if (c != (unsigned char)word[i])
			return false;
	}
	return true;
}

static void push(scanner *sc, int rule, size_t at, size_t off, size_t len,
		 size_t end)
{
	cot__stmts *o = sc->out;
	cot__stmt *s;
	cot__stmt *v = cot__arena_grow(sc->a, o->v, o->n, &o->cap, sizeof *v);

	if (!v) {
		sc->nomem = true;
		return;
	}
	o->v = v;
	s = &o->v[o->n++];
	memset(s, 0, sizeof *s);
	s->rule = (uint8_t)rule;
	s->at = at;
	s->off = off;
	s->len = len;
	s->end = end;
}

/* As text.c: when t[i] is the backslash of \boxed or \fbox, the offset
 * of the '{' of its argument (White_Space allowed before it), else NONE. */
static size_t box_brace(const char *t, size_t i, size_t n)
{
	size_t j, w;

	if (n - i > 5 && memcmp(t + i + 1, "boxed", 5) == 0)
		j = i + 6;
	else if (n - i > 4 && memcmp(t + i + 1, "fbox", 4) == 0)
		j = i + 5;
	else
		return NONE;
	while (j < n) {
		if (t[j] == '{')
			return j;
		w = cot__space_len((const unsigned char *)t + j, n - j);
		if (!w)
			return NONE;
		j += w;
	}
	return NONE;
}

/* The end of an answer text starting at x by the line rule: the first
 * LF, or '.' followed by white space or the end of the text (a
 * sentence's end), or with commas (the "is" anchors) ',' or ';'
 * followed by white space. */
static size_t line_end(scanner *sc, size_t x, int commas)
{
	const char *t = sc->t;
	size_t i;

	if (sc->end_ok[commas] && sc->end_from[commas] <= x &&
	    x <= sc->end_at[commas])
		return sc->end_at[commas];
	for (i = x; i < sc->n; i++) {
		char c = t[i];

		if (c == '\n')
			break;
		if ((c == '.' || (commas && (c == ',' || c == ';'))) &&
		    (i + 1 == sc->n || is_ws((unsigned char)t[i + 1])))
			break;
	}
	sc->end_ok[commas] = true;
	sc->end_from[commas] = x;
	sc->end_at[commas] = i;
	return i;
}

/* After "answer is" the answer stands in prose ("the answer is 12 and
 * then ..."): it ends, within [x, end), at the closing '$' of inline
 * math it starts with, else before the first word of two or more ASCII
 * letters after its first token ("12 and", "27 miles"). Each scan stops
 * at the next anchor's "answer" at the latest, so all of them together
 * stay linear. */
size_t cot__answer_prose_end(const char *t, size_t x, size_t end)
{
	size_t i = x;

	if (t[x] == '$' && x + 1 < end && t[x + 1] != '$') {
		const char *c = memchr(t + x + 1, '$', end - x - 1);

		if (c)
			return (size_t)(c - t) + 1;
	}
	while (i < end && !is_ws((unsigned char)t[i]))
		i++;
	while (i < end) {
		size_t w = i;

		while (w < end && is_ws((unsigned char)t[w]))
			w++;
		if (w + 1 < end && is_alpha((unsigned char)t[w]) &&
		    is_alpha((unsigned char)t[w + 1]))
			return i;
		i = w;
		while (i < end && !is_ws((unsigned char)t[i]))
			i++;
	}
	return end;
}

/* "the answer is" states an answer only when a number, math or a
 * one-letter name follows: not "the answer is correct". */
bool cot__answer_like(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];

	if ((c >= '0' && c <= '9') || strchr("-+$\\([{", c))
		return c != 0;
	if (c == '.')
		return n > 1 && s[1] >= '0' && s[1] <= '9';
	return is_alpha(c) && (n == 1 || !is_alpha((unsigned char)s[1]));
}

/* The answer text after an anchor ending at x, pushed as a statement. */
static void anchored(scanner *sc, int rule, size_t at, size_t x)
{
	const char *t = sc->t;
	size_t n = sc->n, end = NONE, stop, e;

	while (x < n && (is_ws((unsigned char)t[x]) || t[x] == '*'))
		x++;
	if (x >= n)
		return;
	/* display math runs over lines: to its closer */
	if (n - x >= 2 && t[x] == '$' && t[x + 1] == '$' && !sc->no_ddollar) {
		e = cot__find(t, x + 2, n, "$$", 2);
		if (e == NONE)
			sc->no_ddollar = true;
		else
			end = e + 2;
	} else if (n - x >= 2 && t[x] == '\\' && t[x + 1] == '[' &&
		   !sc->no_bracket) {
		e = cot__find(t, x + 2, n, "\\]", 2);
		if (e == NONE)
			sc->no_bracket = true;
		else
			end = e + 2;
	}
	if (end == NONE && (rule == COT__RULE_FINAL_IS ||
			    rule == COT__RULE_ANSWER_IS))
		end = cot__answer_prose_end(t, x, line_end(sc, x, 1));
	else if (end == NONE)
		end = line_end(sc, x, 0);
	stop = end;
	while (stop > x && (is_ws((unsigned char)t[stop - 1]) ||
			    t[stop - 1] == '*'))
		stop--;
	if (stop == x)
		return;
	if (rule == COT__RULE_ANSWER_IS && !cot__answer_like(t + x, stop - x))
		return;
	push(sc, rule, at, x, stop - x, end);
}

/* At t[j] == 's' with 'w' after it: is it "answer" as an anchor? */
static void anchor(scanner *sc, size_t j)
{
	const char *t = sc->t;
	size_t n = sc->n, a = j - 2, k = j + 4, at = a;

	if (j < 2 || n - a < 6 || !ieq(t + a, "answer", 6) ||
	    (a > 0 && is_alpha((unsigned char)t[a - 1])) ||
	    (k < n && is_alpha((unsigned char)t[k])))
		return;
	/* **Answer:**, **Answer**:, **Final Answer**, ... */
	if (n - k >= 2 && ((t[k] == '*' && t[k + 1] == '*') ||
			   (n - k >= 3 && t[k] == ':' && t[k + 1] == '*' &&
			    t[k + 2] == '*'))) {
		if (a >= 2 && t[a - 1] == '*' && t[a - 2] == '*') {
			at = a - 2;
		} else if (a >= 8 && t[a - 7] == '*' && t[a - 8] == '*' &&
			   ieq(t + a - 6, "final ", 6)) {
			at = a - 8;
		} else {
			return;
		}
		k += t[k] == ':' ? 3 : 2;
		if (k < n && t[k] == ':')
			k++;
		anchored(sc, COT__RULE_BOLD, at, k);
		return;
	}
	if (k < n && t[k] == ':') {
		anchored(sc, COT__RULE_COLON, at, k + 1);
		return;
	}
	if (n - k >= 3 && t[k] == ' ' &&
	    ((unsigned char)t[k + 1] | 0x20) == 'i' &&
	    ((unsigned char)t[k + 2] | 0x20) == 's' &&
	    (k + 3 == n || !is_alpha((unsigned char)t[k + 3]))) {
		int rule = COT__RULE_ANSWER_IS;

		k += 3;
		if (k < n && t[k] == ':')
			k++;
		if (a >= 6 && ieq(t + a - 6, "final ", 6) &&
		    (a == 6 || !is_alpha((unsigned char)t[a - 7]))) {
			rule = COT__RULE_FINAL_IS;
			at = a - 6;
		}
		anchored(sc, rule, at, k);
	}
}

/* <answer> at t[j]: its content up to </answer>; in an answer text,
 * without </answer>, up to the end (as the think dialect's answer markers split). In the
 * reasoning an unclosed tag is a mention ("reply as <answer>"), not an
 * answer. */
static void tag(scanner *sc, size_t j)
{
	const char *t = sc->t;
	size_t x = j + 8, close = NONE, end, stop;

	if (!sc->no_tag_close) {
		close = cot__find(t, x, sc->n, "</answer>", 9);
		sc->no_tag_close = close == NONE;
	}
	if (close == NONE && !sc->to_end)
		return;
	stop = close == NONE ? sc->n : close;
	end = close == NONE ? sc->n : close + 9;
	while (x < stop && is_ws((unsigned char)t[x]))
		x++;
	while (stop > x && is_ws((unsigned char)t[stop - 1]))
		stop--;
	if (stop > x)
		push(sc, COT__RULE_ANSWER_TAG, j, x, stop - x, end);
}

/* The byte at t[j] is a trigger; returns where the scan goes on. */
static size_t handle(scanner *sc, size_t j)
{
	const char *t = sc->t;
	size_t k;

	switch (t[j]) {
	case '\\':
		if (j >= sc->esc)
			sc->esc = j + 2;
		k = box_brace(t, j, sc->n);
		if (k == NONE)
			return j + 1;
		if (!sc->open) {
			sc->open = true;
			sc->floor = sc->depth;
		}
		/* the box open before, if any, now holds one */
		sc->top = (box){ j, k, sc->depth++, false };
		sc->has_top = true;
		return k + 1;
	case '{':
		if (sc->open && j >= sc->esc)
			sc->depth++;
		return j + 1;
	case '}':
		if (sc->open && j >= sc->esc) {
			box *b = &sc->top;

			if (--sc->depth == b->depth && sc->has_top) {
				if (!b->resolved)
					push(sc, COT__RULE_BOXED, b->at,
					     b->brace + 1, j - b->brace - 1,
					     j + 1);
				sc->has_top = false;
			}
			if (sc->depth == sc->floor)
				sc->open = false;
		}
		return j + 1;
	case '<':
		if (sc->n - j >= 8 && memcmp(t + j, "<answer>", 8) == 0)
			tag(sc, j);
		return j + 1;
	default:
		anchor(sc, j);
		return j + 1;
	}
}

static bool is_trigger(const char *t, size_t i, size_t n, bool braces)
{
	unsigned char c = (unsigned char)t[i];

	if (c == '\\' || c == '<')
		return true;
	if (braces && (c == '{' || c == '}'))
		return true;
	return (c | 0x20) == 's' && i + 1 < n &&
	       ((unsigned char)t[i + 1] | 0x20) == 'w';
}

/* Triggers among the 16 bytes at p (p[16] is read too): backslashes, '<',
 * braces while a box is open, and "sw" pairs in either case (at the 's'
 * of "answer"). */
static uint32_t triggers(const char *p, bool braces)
{
	cot__v16 v = cot__v16_load(p);
	cot__v16 w = cot__v16_load(p + 1);
	cot__v16 lo = cot__v16_splat(0x20);
	cot__v16 m = cot__v16_or(cot__v16_eq1(v, '\\'), cot__v16_eq1(v, '<'));

	m = cot__v16_or(m, cot__v16_and(
		cot__v16_eq1(cot__v16_or(v, lo), 's'),
		cot__v16_eq1(cot__v16_or(w, lo), 'w')));
	if (braces)
		m = cot__v16_or(m, cot__v16_or(cot__v16_eq1(v, '{'),
					       cot__v16_eq1(v, '}')));
	return cot__v16_mask(m);
}

static int by_at(const void *x, const void *y)
{
	const cot__stmt *a = x, *b = y;

	return a->at < b->at ? -1 : a->at > b->at;
}

/* The first statement starting at or after off. */
static size_t first_from(const cot__stmts *s, size_t off)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].at < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Statements found later start at most this far before where the scan
 * is ("**Final Answer**" is found at its "sw"). */
enum { BACK = 16 };

/* How many statements wait before a flush is tried: they are few (the
 * settling of one needs only the next ones), so the scratch stays small.
 * Tests set 1 (flush at every statement) and SIZE_MAX (only at the
 * end): the statements must not depend on it. */
size_t cot__answer_window = 256;

/* Hand the statements that are settled to the sink, in order of `at`:
 * those before every statement still to be found (before pos - BACK,
 * and before the innermost open box, which is pushed when it closes),
 * each kept or left out for good. A box holding another box is not
 * pushed at all. An anchor or tag whose answer text holds the start of
 * another statement ("Answer: \boxed{5}", "Answer: the answer is 5")
 * is left out, the inner statement saying it more precisely; it is
 * settled once a statement starts inside its text, or the scan is past
 * its end. final: the scan is over, everything is settled. */
static void flush(scanner *sc, size_t pos, bool final)
{
	cot__stmts *o = sc->out;
	size_t lim = final ? SIZE_MAX : pos > BACK ? pos - BACK : 0;
	size_t k;

	if (!final && sc->has_top && !sc->top.resolved && sc->top.at < lim)
		lim = sc->top.at;
	/* a box is pushed when it closes, after what it holds */
	if (o->n > 1)
		qsort(o->v, o->n, sizeof *o->v, by_at);
	for (k = 0; k < o->n && !sc->sink_rc; k++) {
		const cot__stmt *s = &o->v[k];
		bool drop = false;

		if (s->at >= lim)
			break;
		if (s->rule != COT__RULE_BOXED) {
			size_t f = first_from(o, s->off);

			if (f < o->n && o->v[f].at < s->off + s->len)
				drop = true;
			else if (s->off + s->len > lim)
				break;	/* not settled yet */
		}
		if (!drop)
			sc->sink_rc = sc->sink(sc->ctx, s);
	}
	if (k && k < o->n)
		memmove(o->v, o->v + k, (o->n - k) * sizeof *o->v);
	o->n -= k;
	sc->flush_at = o->n * 2 > cot__answer_window ? o->n * 2 :
		       cot__answer_window;
}

/* The innermost open box holds back every statement after it until it
 * closes. When many wait, look ahead for where it closes, once: if a
 * box opens first, it holds a box (no statement); if it closes, its
 * statement is pushed now; if it never closes, it never is one. The
 * look-ahead covers bytes no other look-ahead will: another box can
 * only open after this one closes. */
static void resolve(scanner *sc, size_t pos)
{
	box *b = &sc->top;
	const char *t = sc->t;
	size_t depth = sc->depth, esc = sc->esc;

	b->resolved = true;
	for (size_t j = pos; j < sc->n; j++) {
		/* as handle(): a backslash, even an escaped one, may start
		 * a box; braces count unless escaped */
		if (t[j] == '\\') {
			if (j >= esc)
				esc = j + 2;
			if (box_brace(t, j, sc->n) != NONE) {
				sc->has_top = false;	/* holds a box */
				return;
			}
		} else if (j >= esc && t[j] == '{') {
			depth++;
		} else if (j >= esc && t[j] == '}' && --depth == b->depth) {
			push(sc, COT__RULE_BOXED, b->at, b->brace + 1,
			     j - b->brace - 1, j + 1);
			return;
		}
	}
}

int cot__answer_each(const char *t, size_t n, bool answer, cot__arena *a,
		     cot__stmt_sink sink, void *ctx)
{
	scanner sc;
	cot__stmts pending = { NULL, 0, 0 };
	size_t i = 0;

	memset(&sc, 0, sizeof sc);
	sc.t = t;
	sc.n = n;
	sc.a = a;
	sc.out = &pending;
	sc.to_end = answer;
	sc.sink = sink;
	sc.ctx = ctx;
	sc.flush_at = cot__answer_window;
	while (i < n && !sc.nomem && !sc.sink_rc) {
		size_t j;

		if (n - i >= 17) {
			uint32_t m = triggers(t + i, sc.open);

			if (!m) {
				i += 16;
				continue;
			}
			j = i + cot__ctz32(m);
		} else if (is_trigger(t, i, n, sc.open)) {
			j = i;
		} else {
			i++;
			continue;
		}
		i = handle(&sc, j);
		if (pending.n >= sc.flush_at) {
			size_t before = pending.n;

			flush(&sc, i, false);
			if (pending.n == before && sc.has_top &&
			    !sc.top.resolved) {
				resolve(&sc, i);
				flush(&sc, i, false);
			}
		}
	}
	if (!sc.nomem && !sc.sink_rc)
		flush(&sc, n, true);
	if (sc.nomem)
		return COT_ENOMEM;
	return sc.sink_rc;
}

/* cot__answer_scan's sink: every statement into a list. */
typedef struct scan_list {
	cot__arena *a;
	cot__stmts *out;
} scan_list;

static int collect(void *ctx, const cot__stmt *s)
{
	scan_list *l = ctx;
	cot__stmts *o = l->out;
	cot__stmt *v = cot__arena_grow(l->a, o->v, o->n, &o->cap, sizeof *v);

	if (!v)
		return COT_ENOMEM;
	o->v = v;
	o->v[o->n++] = *s;
	return COT_OK;
}

int cot__answer_scan(const char *t, size_t n, bool answer, cot__arena *a,
		     cot__stmts *out)
{
	scan_list l = { a, out };

	memset(out, 0, sizeof *out);
	return cot__answer_each(t, n, answer, a, collect, &l);
}

int cot__stmt_norm(cot__stmt *s, const char *t, cot__arena *a)
{
	if (s->norm)
		return COT_OK;
	return cot__answer_normalize(t + s->off, s->len, a, &s->norm,
				     &s->nlen);
}

/* ---- the answer pass ---- */

void cot__pick_see(cot__picker *k, const cot__stmt *s)
{
	k->last[s->rule] = *s;
	k->seen[s->rule] = true;
}

const cot__stmt *cot__pick(const cot__picker *k)
{
	for (int r = 0; r < COT__NRULES; r++)
		if (k->seen[r])
			return &k->last[r];
	return NULL;
}

/* A copy of the pick in a, or NULL when none (or out of memory: *nomem
 * is then set). */
static cot__stmt *pick_copy(const cot__picker *k, cot__arena *a,
			    bool *nomem)
{
	const cot__stmt *p = cot__pick(k);
	cot__stmt *f;

	if (!p)
		return NULL;
	if (!(f = cot__arena_alloc(a, sizeof *f)))
		*nomem = true;
	else
		*f = *p;
	return f;
}

static int pick_sink(void *ctx, const cot__stmt *s)
{
	cot__pick_see(ctx, s);
	return COT_OK;
}

/* What the reasoning's statements give, read one at a time: the listed
 * candidates, the count, the solution rounds, the final answer's pick,
 * and the first statements equal to the final answer (when it comes
 * from the answer text, so is known before) and to the reference. A
 * statement is normalised in scratch, and only the previous one's
 * normal form is kept: memory does not grow with their number. */
typedef struct reading {
	cot__pass_ctx *c;
	struct cot__answers *x;
	const char *r;		/* the reasoning */
	cot__spans para;
	cot__picker pk;
	const char *final_norm;	/* NULL: the final answer is not known */
	size_t final_nlen;
	cot__sbuf prev;		/* the previous statement's normal form */
	uint32_t prev_para;
	bool have_prev;
} reading;

static int copy_stmt(cot__arena *a, const cot__stmt *s,
		     const cot__stmt **out)
{
	cot__stmt *k = cot__arena_alloc(a, sizeof *k);

	if (!k)
		return COT_ENOMEM;
	*k = *s;
	k->norm = NULL;
	*out = k;
	return COT_OK;
}

static int read_stmt(void *ctx, const cot__stmt *s)
{
	reading *g = ctx;
	struct cot__answers *x = g->x;
	cot__arena *tmp = &g->c->scratch->norm;
	uint32_t para = (uint32_t)cot__span_index(&g->para, s->at);
	const char *nf;
	size_t nn;
	int rc = COT_OK;

	if (cot__answer_normalize(g->r + s->off, s->len, tmp, &nf, &nn))
		rc = COT_ENOMEM;
	if (!rc && (!g->have_prev || para > g->prev_para + 1 ||
		    !cot__answer_equal(nf, nn, g->prev.ptr, g->prev.size)))
		x->rounds++;
	if (!rc) {
		g->prev.size = 0;
		rc = cot__sbuf_add(&g->prev, nf, nn);
	}
	g->prev_para = para;
	g->have_prev = true;
	if (!rc && g->final_norm && !x->first_final &&
	    cot__answer_equal(nf, nn, g->final_norm, g->final_nlen))
		rc = copy_stmt(g->c->arena, s, &x->first_final);
	if (!rc && x->ref_norm && !x->first_ref &&
	    cot__answer_equal(nf, nn, x->ref_norm, x->ref_nlen))
		rc = copy_stmt(g->c->arena, s, &x->first_ref);
	if (!rc && x->cand.n < COT__CANDIDATES_MAX) {
		cot__stmt *v = cot__arena_grow(g->c->arena, x->cand.v,
					       x->cand.n, &x->cand.cap,
					       sizeof *v);

		if (!v) {
			rc = COT_ENOMEM;
		} else {
			x->cand.v = v;
			v[x->cand.n] = *s;
			v[x->cand.n++].para = para;
		}
	}
	cot__pick_see(&g->pk, s);
	x->ncand++;
	cot__arena_reset(tmp);
	return rc;
}

/* The first statement of the reasoning equal to the final answer, when
 * that came from the reasoning itself: known only after reading it. */
typedef struct finding {
	cot__pass_ctx *c;
	const char *r;
	const cot__stmt *final;
	const cot__stmt *found;
} finding;

static int find_final(void *ctx, const cot__stmt *s)
{
	finding *k = ctx;
	cot__arena *tmp = &k->c->scratch->norm;
	const char *nf;
	size_t nn;
	int rc = COT_OK;

	if (cot__answer_normalize(k->r + s->off, s->len, tmp, &nf, &nn))
		rc = COT_ENOMEM;
	else if (cot__answer_equal(nf, nn, k->final->norm, k->final->nlen))
		rc = copy_stmt(k->c->arena, s, &k->found) ? COT_ENOMEM : 1;
	cot__arena_reset(tmp);
	return rc;
}

static void answer_scratch_fini(cot__scratch *s)
{
	cot__arena_dispose(&s->norm);
}

/* Did the adapter take the answer from between R1-Zero <answer> tags
 * (the think dialect's answer markers)? */
static bool narrowed(const cot__trace *t)
{
	const char *a = t->answer.p, *f = t->full.p;

	return f && a && a >= f + 8 && a <= f + t->full.n &&
	       memcmp(a - 8, "<answer>", 8) == 0;
}

/* May the closing rules read the answer (or the reasoning) of t: was
 * it written to its end, and is it where the answer stands? Not when
 * generation stopped at the length limit, nor an answer its dialect
 * opened and never closed; the reasoning only of a trace with no answer
 * text (a bare text, the output of a model that did not think aloud
 * apart), and not of one tagged and not closed. */
static bool finished(const cot__trace *t, bool reasoning)
{
	const char *a = t->answer.p;
	size_t n = t->answer.n;

	if (cot__finish_class(t->finish_reason.p, t->finish_reason.n) ==
	    COT__FINISH_LENGTH)
		return false;
	if (!reasoning)
		return !cot__answer_unclosed(t);
	while (n && is_ws((unsigned char)a[n - 1]))
		n--;
	return n == 0 && (t->closed || !t->tagged);
}

static int answer_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__trace *t = p->tr;
	const cot__text *A = &t->answer, *R = &t->reasoning;
	struct cot__answers *x = cot__arena_alloc(c->arena, sizeof *x);
	reading g;
	cot__picker in_answer;
	cot__stmt *f;
	bool nomem = false;
	int rc;

	if (!x)
		goto nomem;
	memset(x, 0, sizeof *x);
	x->correct = -1;
	x->first_at = x->after = x->efficiency = NAN;
	x->first_at_tok = x->after_tok = x->efficiency_tok = NAN;
	p->ans = x;
	/* the answer text first, every rule in priority order; then the
	 * reasoning (an unterminated trace, a bare untagged text) */
	memset(&in_answer, 0, sizeof in_answer);
	if (cot__answer_each(A->p, A->n, true, c->arena, pick_sink,
			     &in_answer))
		goto nomem;
	f = pick_copy(&in_answer, c->arena, &nomem);
	if (nomem)
		goto nomem;
	if ((!f || f->rule > COT__RULE_ANSWER_TAG) && narrowed(t)) {
		size_t i = 0, n = A->n;

		while (i < n && is_ws((unsigned char)A->p[i]))
			i++;
		while (n > i && is_ws((unsigned char)A->p[n - 1]))
			n--;
		if (n > i) {
			f = cot__arena_alloc(c->arena, sizeof *f);
			if (!f)
				goto nomem;
			memset(f, 0, sizeof *f);
			f->rule = COT__RULE_ANSWER_TAG;
			f->off = i;
			f->len = n - i;
			f->end = A->n;
		}
	}
	if (f) {
		x->final = f;
		x->text = A->p;
		if (cot__stmt_norm(f, x->text, c->arena))
			goto nomem;
	}
	if (t->ref.p && !cot__answer_sentinel(t->ref.p, t->ref.n)) {
		if (cot__answer_normalize(t->ref.p, t->ref.n, c->arena,
					  &x->ref_norm, &x->ref_nlen))
			goto nomem;
		if (!x->ref_nlen)	/* "$ $": nothing to compare with */
			x->ref_norm = NULL;
	}
	/* the reasoning's statements, once: solution rounds are maximal
	 * runs of candidates with equal answers in the same or adjacent
	 * paragraphs */
	memset(&g, 0, sizeof g);
	g.c = c;
	g.x = x;
	g.r = R->p;
	if (p->lang)
		g.para = p->lang->para;
	if (f) {
		g.final_norm = f->norm;
		g.final_nlen = f->nlen;
	}
	rc = cot__answer_each(R->p, R->n, false, c->arena, read_stmt, &g);
	cot__sbuf_dispose(&g.prev);
	if (rc)
		goto nomem;
	if (!f) {
		/* the reasoning's explicit statements; else the closing
		 * rules, on the answer text first */
		cot__stmt close;
		bool in_reasoning = true;

		f = pick_copy(&g.pk, c->arena, &nomem);
		if (!f && !nomem) {
			if (!finished(t, false) ||
			    !cot__answer_closing(A->p, A->n, &close))
				in_reasoning = true;
			else
				in_reasoning = false;
			if (in_reasoning && (!finished(t, true) ||
			    !cot__answer_closing(R->p, R->n, &close)))
				goto done;
			if (!(f = cot__arena_alloc(c->arena, sizeof *f)))
				goto nomem;
			*f = close;
		}
		if (!f)
			goto nomem;
		x->final = f;
		x->from = in_reasoning;
		x->text = in_reasoning ? R->p : A->p;
		if (cot__stmt_norm(f, x->text, c->arena))
			goto nomem;
	}
	if (x->final && !x->first_final && !g.final_norm) {
		finding k = { c, R->p, x->final, NULL };

		/* the listed candidates when they are all; else read the
		 * reasoning again */
		rc = COT_OK;
		for (size_t i = 0; i < x->cand.n && rc == COT_OK &&
		     x->ncand == x->cand.n; i++)
			rc = find_final(&k, &x->cand.v[i]);
		if (x->ncand > x->cand.n)
			rc = cot__answer_each(R->p, R->n, false, c->arena,
					      find_final, &k);
		if (rc != COT_OK && rc != 1)
			goto nomem;
		x->first_final = k.found;
	}
done:
	return COT_OK;
nomem:
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
}

static void get_final(const cot__profile *p, const cot__field *f,
		      cot_value *v)
{
	const struct cot__answers *x = p->ans;

	(void)f;
	if (!x || !x->final)
		v->type = COT_TYPE_NULL;
	else
		cot__set_text(v, x->text + x->final->off, x->final->len);
}

static void get_rule(const cot__profile *p, const cot__field *f,
		     cot_value *v)
{
	const struct cot__answers *x = p->ans;
	const char *s;

	(void)f;
	if (!x || !x->final) {
		v->type = COT_TYPE_NULL;
		return;
	}
	s = cot__rule_names[x->final->rule];
	cot__set_text(v, s, strlen(s));
}

static void get_from(const cot__profile *p, const cot__field *f,
		     cot_value *v)
{
	const struct cot__answers *x = p->ans;

	(void)f;
	if (!x || !x->final)
		v->type = COT_TYPE_NULL;
	else if (x->from)
		cot__set_text(v, "reasoning", 9);
	else
		cot__set_text(v, "answer", 6);
}

static void get_normalized(const cot__profile *p, const cot__field *f,
			   cot_value *v)
{
	const struct cot__answers *x = p->ans;

	(void)f;
	if (!x || !x->final || !x->final->norm)
		v->type = COT_TYPE_NULL;
	else
		cot__set_text(v, x->final->norm, x->final->nlen);
}

static void get_rounds(const cot__profile *p, const cot__field *f,
		       cot_value *v)
{
	(void)f;
	cot__set_int(v, p->ans ? p->ans->rounds : 0);
}

static void get_count(const cot__profile *p, const cot__field *f,
		      cot_value *v)
{
	(void)f;
	cot__set_int(v, p->ans ? (int64_t)p->ans->ncand : 0);
}

static int candidates_json(const cot__profile *p, const cot__field *f,
			   cot__sbuf *b)
{
	const struct cot__answers *x = p->ans;
	const char *r = p->tr->reasoning.p;

	(void)f;
	if (cot__sbuf_addc(b, '['))
		return COT_ENOMEM;
	for (size_t i = 0; x && i < x->cand.n; i++) {
		const cot__stmt *s = &x->cand.v[i];

		if (cot__sbuf_addf(b, "%s{\"offset\":%zu,\"rule\":\"%s\","
				   "\"text\":", i ? "," : "", s->off,
				   cot__rule_names[s->rule]) ||
		    cot__json_escape(b, r + s->off, s->len, 0) ||
		    cot__sbuf_addc(b, '}'))
			return COT_ENOMEM;
	}
	return cot__sbuf_addc(b, ']');
}

static const cot__field answer_fields[] = {
	COT__ROW("final_answer", STRING, "", get_final, 0,
	    "the final answer: in the answer text, else in the reasoning, "
	    "the first rule that finds one: \\boxed (last-starting, as answer_extracted), "
	    "<answer> tags, 'final answer is', '**Answer:**', 'Answer:', "
	    "'answer is' (rightmost); when none of them finds one in either "
	    "text, the closing rules on a text written to its end: display "
	    "math ending it, then its last sentence's '= X.' or 'is X.' "
	    "(README \"Final answer\"); as written; null when none"),
	COT__ROW("final_answer_rule", STRING, "", get_rule, 0,
	    "the rule that found final_answer: boxed, answer_tag, "
	    "final_answer_is, bold_answer, answer_colon, answer_is, "
	    "last_display, last_statement"),
	COT__ROW("final_answer_from", STRING, "", get_from, 0,
	    "where final_answer was found: answer or reasoning"),
	COT__ROW("answer_normalized", STRING, "", get_normalized, 0,
	    "final_answer normalised (LaTeX wrappers, spacing, units, "
	    "thousands separators and white space removed; see README)"),
	{ .info = { "candidates", COT_TYPE_JSON, "",
	    "the answers the reasoning states, in order, the first 1,000 of "
	    "them: a list of {offset, rule, text}, offset in bytes into the "
	    "reasoning of the answer text (rules as final_answer_rule)" },
	  .json = candidates_json },
	COT__ROW("candidates_count", INT, "statements", get_count, 0,
	    "answers the reasoning states: all of them, where candidates "
	    "lists the first 1,000"),
	COT__ROW("solution_rounds", INT, "rounds", get_rounds, 0,
	    "solution rounds (Chen et al. 2024): maximal runs of candidates "
	    "with equal answers in the same or adjacent paragraphs"),
	COT__FIELDS_END
};

const cot__pass cot__answer_pass = {
	.name = "answer",
	.makes = COT__PROD_ANSWERS,
	.reads = COT__PROD_LANG,
	.scratch_fini = answer_scratch_fini,
	.run = answer_run,
	.fields = answer_fields,
};
