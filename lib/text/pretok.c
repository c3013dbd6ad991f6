/* pretok.c - the Split pre-tokenizers: Oniguruma regexes translated to
 * PCRE2 (JIT), or the hand-written scanner of a pattern we know, and
 * the split of a text by every level. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "text/pretok.h"

/* Oniguruma's \s is White_Space; PCRE2's with UCP adds U+180E. */
#define WS "\\x{9}-\\x{d}\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}" \
	   "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"

/* The Oniguruma regex re as a PCRE2 one into b: \s and \S spelt out;
 * escapes other than those both read alike refused. */
static int translate(cot__sbuf *b, const char *re, cot_error *err)
{
	bool in_class = false;
	int rc = COT_OK;

	for (const char *p = re; *p && !rc; p++) {
		if (*p == '\\') {
			char c = p[1];

			if (c == 's' || c == 'S') {
				if (in_class && c == 'S')
					return cot__error_set(err, COT_EPARSE,
						0, 0, "regex \\S inside a "
						"class: not supported");
				rc = cot__sbuf_addf(b, "%s%s%s",
						    in_class ? "" :
						    c == 's' ? "[" : "[^",
						    WS, in_class ? "" : "]");
			} else if (c && (strchr("pPrnt", c) ||
				   ((unsigned char)c < 0x80 &&
				    strchr("\\-[]{}()|.*+?^$/'\"!#%&,:;<=>@_`~",
					   c)))) {
				rc = cot__sbuf_add(b, p, 2);
			} else {
				return cot__error_set(err, COT_EPARSE, 0, 0,
					"regex escape \\%c: not supported", c);
			}
			p++;
			continue;
		}
		if (*p == '[') {
			if (in_class)
				return cot__error_set(err, COT_EPARSE, 0, 0,
					"regex with a nested class: not "
					"supported");
			in_class = true;
			rc = cot__sbuf_addc(b, '[');
			/* a ] first in a class would be read two ways */
			if (p[1] == '^' && !rc) {
				p++;
				rc = cot__sbuf_addc(b, '^');
			}
			if (p[1] == ']')
				return cot__error_set(err, COT_EPARSE, 0, 0,
					"regex class starting with ]: not "
					"supported");
			continue;
		}
		if (*p == ']')
			in_class = false;
		/* Ruby syntax reads ^ and $ at every line, PCRE2 not */
		if (!in_class && (*p == '^' || *p == '$'))
			return cot__error_set(err, COT_EPARSE, 0, 0,
				"regex anchor %c: not supported", *p);
		rc = cot__sbuf_addc(b, *p);
	}
	if (rc)
		return cot__error_set(err, rc, 0, 0, "out of memory");
	return COT_OK;
}

static void *gmalloc(PCRE2_SIZE n, void *data)
{
	(void)data;
	return cot__malloc(n);
}

static void gfree(void *p, void *data)
{
	(void)data;
	cot__free(p);
}

int cot__pretok_add(cot__pretok *pt, const char *re, cot_error *err)
{
	cot__sbuf b = {0};
	pcre2_compile_context *cc;
	pcre2_code *code;
	PCRE2_SIZE off;
	int ec, rc;

	if (pt->n == COT__PRETOK_LEVELS)
		return cot__error_set(err, COT_EPARSE, 0, 0,
				      "more than %d Split pre-tokenizers",
				      COT__PRETOK_LEVELS);
	if (!pt->gctx)
		pt->gctx = pcre2_general_context_create(gmalloc, gfree, NULL);
	if (!pt->gctx)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	rc = translate(&b, re, err);
	if (rc) {
		cot__sbuf_dispose(&b);
		return rc;
	}
	cc = pcre2_compile_context_create(pt->gctx);
	code = cc ? pcre2_compile((PCRE2_SPTR)b.ptr, b.size,
				  PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK,
				  &ec, &off, cc) : NULL;
	pcre2_compile_context_free(cc);
	cot__sbuf_dispose(&b);
	if (!cc || (!code && ec == PCRE2_ERROR_HEAP_FAILED))
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	if (!code) {
		char msg[120];

		pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg);
		return cot__error_set(err, COT_EPARSE, 0, 0,
				      "Split regex /%s/: %s", re, msg);
	}
	/* JIT is a speed-up only: without it the interpreter matches */
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	pt->re[pt->n] = code;
	pt->scan[pt->n] = cot__pretok_scanner(re);
	pt->n++;
	return COT_OK;
}

void cot__pretok_dispose(cot__pretok *pt)
{
	for (size_t i = 0; i < pt->n; i++)
		pcre2_code_free(pt->re[i]);
	pcre2_general_context_free(pt->gctx);
	memset(pt, 0, sizeof *pt);
}

int cot__pretok_state_init(cot__pretok_state *st, const cot__pretok *pt)
{
	memset(st, 0, sizeof *st);
	/* no capture groups we read: one pair for the match itself */
	st->md = pcre2_match_data_create(1, pt->gctx);
	st->mctx = pcre2_match_context_create(pt->gctx);
	/* `\s+(?!\S)` and the like backtrack over long runs of one
	 * class; the default 32 KiB of JIT stack is not always enough */
	st->jstack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024,
					    pt->gctx);
	if (!st->md || !st->mctx || !st->jstack) {
		cot__pretok_state_dispose(st);
		return COT_ENOMEM;
	}
	pcre2_jit_stack_assign(st->mctx, NULL, st->jstack);
	return COT_OK;
}

void cot__pretok_state_dispose(cot__pretok_state *st)
{
	pcre2_match_data_free(st->md);
	pcre2_match_context_free(st->mctx);
	pcre2_jit_stack_free(st->jstack);
	memset(st, 0, sizeof *st);
}

typedef struct splitter {
	const cot__pretok *pt;
	cot__pretok_state *st;
	cot__pretok_fn fn;
	void *ctx;
} splitter;

/* The first match of level's regex in p[from..n) by PCRE2: 1 with it
 * at [*mb, *me), 0 for none, or a status. */
static int find_pcre2(splitter *sp, size_t level, const char *p, size_t n,
		      size_t from, size_t *mb, size_t *me)
{
	PCRE2_SIZE *ov;
	int m = pcre2_match(sp->pt->re[level], (PCRE2_SPTR)p, n, from,
			    PCRE2_NO_UTF_CHECK, sp->st->md, sp->st->mctx);

	if (m == PCRE2_ERROR_NOMATCH)
		return 0;
	if (m < 0)
		return m == PCRE2_ERROR_NOMEMORY ? COT_ENOMEM : COT_ELIMIT;
	/* the levels below reuse the match data: copy the match */
	ov = pcre2_get_ovector_pointer(sp->st->md);
	*mb = ov[0];
	*me = ov[1];
	return 1;
}

/* Split p[0..n) by the regex of level and the levels after it, each
 * match and each gap between matches a piece (Isolated), empty pieces
 * dropped; the pieces of the last level go to fn. */
static int split(splitter *sp, size_t level, const char *p, size_t n)
{
	cot__pretok_find scan = sp->st->pcre2_only ? NULL :
				sp->pt->scan[level];
	size_t at = 0, from = 0, mb, me;
	int rc;

	if (n == 0)
		return COT_OK;
	if (level == sp->pt->n)
		return sp->fn(sp->ctx, p, n);
	while (from < n) {
		if (scan) {
			if (!scan((const unsigned char *)p, n, from, &mb, &me))
				break;
		} else {
			rc = find_pcre2(sp, level, p, n, from, &mb, &me);
			if (rc <= 0) {
				if (rc < 0)
					return rc;
				break;
			}
		}
		if (me == mb) {
			/* an empty match cuts nothing; step one char */
			from = mb + 1;
			while (from < n && (p[from] & 0xc0) == 0x80)
				from++;
			continue;
		}
		if ((rc = split(sp, level + 1, p + at, mb - at)) ||
		    (rc = split(sp, level + 1, p + mb, me - mb)))
			return rc;
		at = from = me;
	}
	return split(sp, level + 1, p + at, n - at);
}

int cot__pretok_split(const cot__pretok *pt, cot__pretok_state *st,
		      const char *p, size_t n, cot__pretok_fn fn, void *ctx)
{
	splitter sp = {pt, st, fn, ctx};

	return split(&sp, 0, p, n);
}
