/* matches.c - the patterns pass: every pattern's matches in a trace, and
 * the patterns.NAME and families.NAME fields. */
#include <stdio.h>
#include <string.h>

#include "passes/matches.h"

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

/* The statistics of one trace, taken match by match as the scan finds
 * them (cot__pset_scan_each). */
typedef struct tally_ctx {
	cot__pstat *pat;
	const cot__spans *para;
	cot__pscratch *s;
	size_t j;		/* the paragraph of the last match */
	size_t npairs;
	size_t nhits;
} tally_ctx;

/* The paragraph holding off: the last one starting at or before it
 * (0 when none). Matches come mostly in ascending order, so from the
 * last one forward, else by bisection. */
static size_t para_of(tally_ctx *c, size_t off)
{
	const cot__spans *para = c->para;
	size_t j = c->j;

	if (para->v[j].off > off) {
		size_t lo = 0, hi = j ? j - 1 : 0;

		while (lo < hi) {
			size_t mid = lo + (hi - lo + 1) / 2;

			if (para->v[mid].off <= off)
				lo = mid;
			else
				hi = mid - 1;
		}
		j = lo;
	}
	while (j + 1 < para->n && para->v[j + 1].off <= off)
		j++;
	c->j = j;
	return j;
}

static int on_hit(void *vc, uint32_t pat, size_t off, size_t len)
{
	tally_ctx *c = vc;
	cot__pstat *st = &c->pat[pat];
	cot__pscratch *s = c->s;
	size_t j;

	(void)len;
	if (!st->count++)
		st->first = off;
	st->last = off;	/* a pattern's matches come in order */
	c->nhits++;
	if (c->para->n == 0)
		return COT_OK;
	j = para_of(c, off);
	if (s->lastpara[pat] == j)
		return COT_OK;
	s->lastpara[pat] = (uint32_t)j;
	if (c->npairs == s->cappairs) {
		size_t cap = s->cappairs ? s->cappairs * 2 : 256;
		uint64_t *v = cot__realloc(s->pairs, cap * sizeof *v);

		if (!v)
			return COT_ENOMEM;
		s->pairs = v;
		s->cappairs = cap;
	}
	s->pairs[c->npairs++] = (uint64_t)pat << 32 | j;
	return COT_OK;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Each pattern's paragraphs from the pairs, in the order met (its
 * own matches' order: ascending), then each family's: the union of its
 * patterns', sorted. Every list sized once. */
static int fill_steps(cot__pass_ctx *c, cot__matches *mt,
		      const tally_ctx *t)
{
	const cot__pset *ps = c->az->pset;
	cot__pscratch *s = t->s;

	for (size_t k = 0; k < t->npairs; k++)
		mt->pat[s->pairs[k] >> 32].nsteps++;
	for (size_t p = 0; p < ps->n; p++) {
		cot__pstat *st = &mt->pat[p];

		if (!st->nsteps)
			continue;
		st->steps = cot__arena_alloc(c->arena,
					     st->nsteps * sizeof *st->steps);
		if (!st->steps)
			return COT_ENOMEM;
		st->nsteps = 0;
	}
	for (size_t k = 0; k < t->npairs; k++) {
		cot__pstat *st = &mt->pat[s->pairs[k] >> 32];

		st->steps[st->nsteps++] = (uint32_t)s->pairs[k];
	}
	for (size_t f = 0; f < ps->nfam; f++) {
		cot__pstat *fs = &mt->fam[f];
		size_t n = 0, m = 0;

		for (size_t p = 0; p < ps->n; p++) {
			const cot__pstat *st = &mt->pat[p];

			if (ps->v[p].fam != f || !st->count)
				continue;
			if (!fs->count || st->first < fs->first)
				fs->first = st->first;
			if (!fs->count || st->last > fs->last)
				fs->last = st->last;
			fs->count += st->count;
			n += st->nsteps;
		}
		if (!n)
			continue;
		if (n > s->captmp) {
			uint32_t *v = cot__realloc(s->tmp, n * sizeof *v);

			if (!v)
				return COT_ENOMEM;
			s->tmp = v;
			s->captmp = n;
		}
		for (size_t p = 0; p < ps->n; p++)
			if (ps->v[p].fam == f && mt->pat[p].nsteps) {
				memcpy(s->tmp + m, mt->pat[p].steps,
				       mt->pat[p].nsteps * sizeof *s->tmp);
				m += mt->pat[p].nsteps;
			}
		qsort(s->tmp, n, sizeof *s->tmp, cmp_u32);
		m = 0;
		for (size_t k = 0; k < n; k++)
			if (!m || s->tmp[k] != s->tmp[m - 1])
				s->tmp[m++] = s->tmp[k];
		fs->steps = cot__arena_alloc(c->arena, m * sizeof *fs->steps);
		if (!fs->steps)
			return COT_ENOMEM;
		memcpy(fs->steps, s->tmp, m * sizeof *fs->steps);
		fs->nsteps = (uint32_t)m;
	}
	return COT_OK;
}

static int matches_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__pset *ps = c->az->pset;
	const cot__text *r = &p->tr->reasoning;
	cot__matches *mt = cot__arena_alloc(c->arena, sizeof *mt);
	size_t n = ps->n + ps->nfam;
	tally_ctx t;
	int rc;

	if (!mt)
		goto nomem;
	memset(mt, 0, sizeof *mt);
	p->mt = mt;
	mt->pat = cot__arena_alloc(c->arena, (n ? n : 1) * sizeof *mt->pat);
	if (!mt->pat)
		goto nomem;
	memset(mt->pat, 0, n * sizeof *mt->pat);
	mt->fam = mt->pat + ps->n;
	memset(&t, 0, sizeof t);
	t.pat = mt->pat;
	t.para = &p->st->para;
	t.s = c->scratch->pscratch;
	for (size_t i = 0; i < ps->n; i++)
		t.s->lastpara[i] = UINT32_MAX;
	rc = cot__pset_scan_each(ps, t.s, r->p ? r->p : "", r->n, on_hit, &t,
				 err);
	if (rc == COT_ENOMEM)
		goto nomem;
	if (rc) {
		if (err) {
			char msg[COT_ERROR_MESSAGE_MAX];

			snprintf(msg, sizeof msg, "trace %u: %.290s",
				 (unsigned)p->index, err->message);
			memcpy(err->message, msg, sizeof msg);
		}
		return rc;
	}
	mt->nhits = t.nhits;
	if (fill_steps(c, mt, &t))
		goto nomem;
	return COT_OK;
nomem:
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
}

const cot__pass cot__matches_pass = {
	.name = "matches",
	.makes = COT__PROD_MATCHES,
	.reads = COT__PROD_COUNTS | COT__PROD_STEPS,
	.init = matches_init,
	.fini = matches_fini,
	.scratch_init = matches_scratch_init,
	.scratch_fini = matches_scratch_fini,
	.run = matches_run,
	.fields = NULL,
};
