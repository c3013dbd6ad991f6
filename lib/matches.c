/* matches.c - the patterns pass: every pattern's matches in a trace, and
 * the patterns.NAME and families.NAME fields. */
#include <stdio.h>
#include <string.h>

#include "matches.h"

/* The statistics a pattern row reads: arg is the pattern's (family's)
 * index, arg2 says family. */
static const cot__pstat *stat_of(const cot__profile *p, const cot__field *f)
{
	return f->arg2 ? &p->mt->fam[f->arg] : &p->mt->pat[f->arg];
}

/* One getter per leaf, not one with a switch: a profile has several
 * hundred of these values, and a switch in turn on each is a jump the
 * processor keeps mispredicting. v comes in null (cot__getter). */
static void get_count(const cot__profile *p, const cot__field *f,
		      cot_value *v)
{
	cot__set_int(v, stat_of(p, f)->count);
}

static void get_per_1k(const cot__profile *p, const cot__field *f,
		       cot_value *v)
{
	if (p->think.words)
		cot__set_real(v, stat_of(p, f)->count * 1000.0 /
				 (double)p->think.words);
}

static void get_first(const cot__profile *p, const cot__field *f,
		      cot_value *v)
{
	const cot__pstat *s = stat_of(p, f);

	if (s->count)
		cot__set_int(v, (int64_t)s->first);
}

static void get_last(const cot__profile *p, const cot__field *f,
		     cot_value *v)
{
	const cot__pstat *s = stat_of(p, f);

	if (s->count)
		cot__set_int(v, (int64_t)s->last);
}

static void get_first_rel(const cot__profile *p, const cot__field *f,
			  cot_value *v)
{
	const cot__pstat *s = stat_of(p, f);

	if (s->count)
		cot__set_real(v, (double)s->first / (double)p->think.bytes);
}

static void get_last_rel(const cot__profile *p, const cot__field *f,
			 cot_value *v)
{
	const cot__pstat *s = stat_of(p, f);

	if (s->count)
		cot__set_real(v, (double)s->last / (double)p->think.bytes);
}

/* A pattern (family) that did not match, in a trace with words: what
 * the rows' rest texts say (most patterns of a trace). */
static bool stat_at_rest(const cot__profile *p, const cot__field *f)
{
	return stat_of(p, f)->count == 0 && p->think.words > 0;
}

static int json_steps(const cot__profile *p, const cot__field *f,
		      cot__sbuf *b)
{
	const cot__pstat *s = stat_of(p, f);

	/* room for all at once: a step index and a comma each */
	if (cot__sbuf_reserve(b, 2 + (size_t)s->nsteps * 21))
		return COT_ENOMEM;
	b->ptr[b->size++] = '[';
	for (uint32_t i = 0; i < s->nsteps; i++) {
		if (i)
			b->ptr[b->size++] = ',';
		b->size += cot__put_uint(b->ptr + b->size, s->steps[i]);
	}
	b->ptr[b->size++] = ']';
	b->ptr[b->size] = '\0';
	return COT_OK;
}

/* tmpl with its one "%s" replaced by what. */
static void fill_doc(char *out, size_t cap, const char *tmpl,
		     const char *what)
{
	const char *at = strstr(tmpl, "%s");

	snprintf(out, cap, "%.*s%s%s", (int)(at - tmpl), tmpl, what, at + 2);
}

/* The rows of one pattern (kind "patterns") or family ("families"). */
static int add_rows(cot_analyzer *az, const char *kind, const char *name,
		    const char *what, int index, int fam)
{
	static const struct {
		const char *leaf;
		cot_type type;
		const char *unit;
		cot__getter get;	/* NULL: the JSON list */
		const char *rest;	/* the value with no match */
		const char *doc;
	} rows[] = {
		{ "count", COT_TYPE_INT, "matches", get_count, "0",
		  "matches of %s in the reasoning" },
		{ "per_1k_words", COT_TYPE_REAL, "per 1k words", get_per_1k,
		  "0.0",
		  "matches of %s per 1,000 words of the reasoning "
		  "(count * 1000 / think.words); null when it has no words" },
		{ "first", COT_TYPE_INT, "bytes", get_first, "null",
		  "byte offset in the reasoning where the first match of %s "
		  "starts; null when none" },
		{ "last", COT_TYPE_INT, "bytes", get_last, "null",
		  "byte offset in the reasoning where the last match of %s "
		  "starts; null when none" },
		{ "first_rel", COT_TYPE_REAL, "fraction", get_first_rel, "null",
		  "first / think.bytes for %s: where the first match "
		  "starts, 0 to 1; null when none" },
		{ "last_rel", COT_TYPE_REAL, "fraction", get_last_rel, "null",
		  "last / think.bytes for %s: where the last match starts, "
		  "0 to 1; null when none" },
		{ "steps", COT_TYPE_JSON, "paragraphs", NULL, "[]",
		  "indexes (from 0, ascending, each once) of the paragraphs "
		  "(steps) that hold the start of a match of %s" },
	};

	for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
		char fname[160], doc[1024];
		cot__field *f;
		int rc;

		snprintf(fname, sizeof fname, "%s.%s.%s", kind, name,
			 rows[k].leaf);
		fill_doc(doc, sizeof doc, rows[k].doc, what);
		rc = cot__field_add(az, fname, rows[k].type, rows[k].unit, doc,
				    rows[k].get ? rows[k].get : get_count,
				    index, fam);
		if (rc)
			return rc;
		f = &az->dyn[az->ndyn - 1];
		f->rest = rows[k].rest;
		if (k == 0) {
			f->at_rest = stat_at_rest;
			f->rest_rows = sizeof rows / sizeof *rows;
		}
		if (!rows[k].get) {
			/* cot__field_add takes a getter; a list needs the
			 * row's JSON writer */
			az->dyn[az->ndyn - 1].get = NULL;
			az->dyn[az->ndyn - 1].json = json_steps;
		}
	}
	return COT_OK;
}

static int matches_init(cot_analyzer *az, const cot_analyzer_options *o,
			cot_error *err)
{
	cot__pset *ps;
	int rc = cot__pset_new(&az->pset, o, err);

	if (rc)
		return rc;
	ps = az->pset;
	az->fam_backtracking = cot__pset_family(ps, "backtracking");
	az->fam_verification = cot__pset_family(ps, "verification");
	az->fam_aha = cot__pset_family(ps, "aha");
	for (size_t i = 0; i < ps->n && !rc; i++) {
		const cot__pattern *pt = &ps->v[i];
		char what[200];

		if (strlen(pt->regex) <= 60)
			snprintf(what, sizeof what,
				 "pattern %s (family %s): %s, caseless, "
				 "non-overlapping, non-empty", pt->name,
				 pt->family, pt->regex);
		else
			snprintf(what, sizeof what,
				 "pattern %s (family %s; its regex: cotlog "
				 "patterns), non-overlapping, non-empty",
				 pt->name, pt->family);
		rc = add_rows(az, "patterns", pt->name, what, (int)i, 0);
	}
	for (size_t i = 0; i < ps->nfam && !rc; i++) {
		char what[200];

		snprintf(what, sizeof what, "any pattern of family %s (the "
			 "sum over its patterns)", ps->fam[i].name);
		rc = add_rows(az, "families", ps->fam[i].name, what, (int)i,
			      1);
	}
	if (rc)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	return COT_OK;
}

static void matches_fini(cot_analyzer *az)
{
	cot__pset_free(az->pset);
	az->pset = NULL;
}

static int matches_scratch_init(const cot_analyzer *az, cot__scratch *s)
{
	s->pscratch = cot__calloc(1, sizeof *s->pscratch);
	if (!s->pscratch)
		return COT_ENOMEM;
	return cot__pscratch_init(az->pset, s->pscratch);
}

static void matches_scratch_fini(cot__scratch *s)
{
	if (!s->pscratch)
		return;
	cot__pscratch_fini(s->pscratch);
	cot__free(s->pscratch);
	s->pscratch = NULL;
}

/* Count the distinct paragraphs per stat (pass 1, steps NULL) or fill
 * them (pass 2). last[] is the paragraph last added, per stat. */
static void tally(const cot__hitlist *h, const cot__spans *para,
		  const cot__pset *ps, cot__pstat *pat, cot__pstat *fam,
		  uint32_t *last, bool fill)
{
	size_t j = 0;

	for (size_t i = 0; i < ps->n + ps->nfam; i++)
		last[i] = UINT32_MAX;
	for (size_t k = 0; k < h->n; k++) {
		const cot_hit *x = &h->v[k];
		size_t f = ps->v[x->pattern].fam;
		cot__pstat *s[2] = { &pat[x->pattern], &fam[f] };
		uint32_t *l[2] = { &last[x->pattern], &last[ps->n + f] };

		while (j + 1 < para->n && para->v[j + 1].off <= x->off)
			j++;
		for (int q = 0; q < 2; q++) {
			if (!fill) {
				if (!s[q]->count++)
					s[q]->first = x->off;
				s[q]->last = x->off;
			}
			if (para->n == 0 || *l[q] == j)
				continue;
			*l[q] = (uint32_t)j;
			if (fill)
				s[q]->steps[s[q]->nsteps++] = (uint32_t)j;
			else
				s[q]->nsteps++;
		}
	}
}

static int matches_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__pset *ps = c->az->pset;
	const cot__text *r = &p->tr->reasoning;
	cot__matches *mt = cot__arena_alloc(c->arena, sizeof *mt);
	size_t n = ps->n + ps->nfam;
	uint32_t *last;
	int rc;

	if (!mt)
		goto nomem;
	memset(mt, 0, sizeof *mt);
	p->mt = mt;
	mt->pat = cot__arena_alloc(c->arena, (n ? n : 1) * sizeof *mt->pat);
	last = cot__arena_alloc(c->arena, (n ? n : 1) * sizeof *last);
	if (!mt->pat || !last)
		goto nomem;
	memset(mt->pat, 0, n * sizeof *mt->pat);
	mt->fam = mt->pat + ps->n;
	rc = cot__pset_scan(ps, c->scratch->pscratch, r->p ? r->p : "",
			    r->n, c->arena, false, &mt->hits, err);
	if (rc) {
		if (err) {
			char msg[COT_ERROR_MESSAGE_MAX];

			snprintf(msg, sizeof msg, "trace %u: %.290s",
				 (unsigned)p->index, err->message);
			memcpy(err->message, msg, sizeof msg);
		}
		return rc;
	}
	tally(&mt->hits, &p->st->para, ps, mt->pat, mt->fam, last, false);
	for (size_t i = 0; i < n; i++) {
		cot__pstat *s = &mt->pat[i];

		if (!s->nsteps)
			continue;
		s->steps = cot__arena_alloc(c->arena,
					    s->nsteps * sizeof *s->steps);
		if (!s->steps)
			goto nomem;
		s->nsteps = 0;
	}
	tally(&mt->hits, &p->st->para, ps, mt->pat, mt->fam, last, true);
	return COT_OK;
nomem:
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
}

const cot__pass cot__matches_pass = {
	.name = "matches",
	.init = matches_init,
	.fini = matches_fini,
	.scratch_init = matches_scratch_init,
	.scratch_fini = matches_scratch_fini,
	.run = matches_run,
	.fields = NULL,
};
