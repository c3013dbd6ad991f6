/* patterns.c - the pattern set: built-in lexicons, a user pattern file
 * and NAME=REGEX options, each compiled with pcre2. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "match/lexicon.h"
#include "match/patterns.h"

enum { NAME_MAX_LEN = 64, PATTERNS_MAX = 10000 };

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

/* Where a user pattern was written, for messages. */
typedef struct origin {
	const char *file;	/* NULL: --pattern */
	const char *arg;	/* the --pattern argument */
	uint64_t line;
	uint64_t col;		/* 1-based column of the regex's first byte */
} origin;

static int where_error(cot_error *err, int code, const origin *at,
		       uint64_t col, const char *fmt, ...) COT__PRINTF(5, 6);

static int where_error(cot_error *err, int code, const origin *at,
		       uint64_t col, const char *fmt, ...)
{
	char msg[COT_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (at->file)
		return cot__error_set(err, code, at->line, col,
				      "%.120s:%llu:%llu: %s", at->file,
				      (unsigned long long)at->line,
				      (unsigned long long)col, msg);
	return cot__error_set(err, code, 0, col,
			      "--pattern '%.60s': column %llu: %s", at->arg,
			      (unsigned long long)col, msg);
}

static size_t find_family(const cot__pset *ps, const char *name)
{
	for (size_t i = 0; i < ps->nfam; i++)
		if (!strcmp(ps->fam[i].name, name))
			return i;
	return SIZE_MAX;
}

size_t cot__pset_family(const cot__pset *ps, const char *name)
{
	return find_family(ps, name);
}

static int add_family(cot__pset *ps, const char *name, const char *source,
		      uint32_t *index)
{
	size_t i = find_family(ps, name);
	cot__pfamily *f;

	if (i != SIZE_MAX) {
		*index = (uint32_t)i;
		return COT_OK;
	}
	if (ps->nfam == ps->capfam) {
		size_t cap = ps->capfam ? ps->capfam * 2 : 16;
		cot__pfamily *v = cot__realloc(ps->fam, cap * sizeof *v);

		if (!v)
			return COT_ENOMEM;
		ps->fam = v;
		ps->capfam = cap;
	}
	f = &ps->fam[ps->nfam];
	memset(f, 0, sizeof *f);
	f->name = cot__strdup(name);
	f->source = cot__strdup(source);
	ps->nfam++;
	if (!f->name || !f->source)
		return COT_ENOMEM;
	*index = (uint32_t)(ps->nfam - 1);
	return COT_OK;
}

static void pattern_dispose(cot__pattern *p)
{
	pcre2_code_free(p->anch);
	pcre2_code_free(p->scan);
	cot__free(p->name);
	cot__free(p->family);
	cot__free(p->source);
	cot__free(p->regex);
	cot__free(p->phrases);
	cot__free(p->pre);
	memset(p, 0, sizeof *p);
}

static pcre2_code *compile(cot__pset *ps, const char *regex, uint32_t opts,
			   int *code, PCRE2_SIZE *off, bool *jit)
{
	pcre2_code *re;

	re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
			   COT__PCRE2_OPTIONS | opts, code, off, ps->cctx);
	/* without JIT (not built in, or no executable memory) pcre2's
	 * interpreter gives the same matches, slower */
	*jit = re && pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
	return re;
}

static bool valid_name(const char *s, size_t n, size_t *bad)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '_')) {
			*bad = i;
			return false;
		}
	}
	*bad = n;
	return n > 0 && n <= NAME_MAX_LEN;
}

/* Add (or replace) one pattern. at is NULL for built-in ones. */
static int add_pattern(cot__pset *ps, const char *name, const char *family,
		       const char *fsource, const char *source,
		       const char *regex, const char *phrases,
		       const origin *at, cot_error *err)
{
	cot__prefix pre[COT__PREFIXES_MAX];
	cot__pattern p, *slot = NULL;
	uint32_t npre = 0;
	PCRE2_SIZE off = 0;
	int code, rc;

	for (size_t i = 0; i < ps->n; i++) {
		if (strcmp(ps->v[i].name, name))
			continue;
		if (at && ps->v[i].phrases == NULL)
			return where_error(err, COT_EPATTERN, at, 1,
					   "pattern '%s' is defined twice "
					   "(first at %.120s)", name,
					   ps->v[i].source);
		slot = &ps->v[i];	/* a user pattern replaces a
					 * built-in one of that name */
	}
	if (!slot && ps->n >= PATTERNS_MAX)
		return cot__error_set(err, COT_ELIMIT, 0, 0,
				      "more than %d patterns", PATTERNS_MAX);
	memset(&p, 0, sizeof p);
	/* the full scan gives pcre2 a window of start positions at a
	 * time (prefilter.c: scan_full) */
	p.scan = compile(ps, regex, PCRE2_USE_OFFSET_LIMIT, &code, &off,
			 &p.jit_scan);
	if (p.scan)
		p.anch = compile(ps, regex, PCRE2_ANCHORED, &code, &off,
				 &p.jit_anch);
	if (!p.scan || !p.anch) {
		char msg[200];

		pcre2_code_free(p.scan);
		pcre2_code_free(p.anch);
		if (code == PCRE2_ERROR_NOMEMORY ||
		    code == PCRE2_ERROR_HEAP_FAILED)
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
		if (!at)
			return cot__error_set(err, COT_ERROR, 0, 0,
					      "built-in pattern '%s': %s",
					      name, msg);
		return where_error(err, COT_EPATTERN, at, at->col + off,
				   "pattern '%s': %s", name, msg);
	}
	p.name = cot__strdup(name);
	p.family = cot__strdup(family);
	p.source = cot__strdup(source);
	p.regex = cot__strdup(regex);
	p.phrases = phrases ? cot__strdup(phrases) : NULL;
	if (cot__regex_prefixes(regex, pre, &npre)) {
		p.pre = cot__malloc(npre * sizeof *p.pre);
		if (p.pre) {
			memcpy(p.pre, pre, npre * sizeof *p.pre);
			p.npre = npre;
		}
	}
	rc = add_family(ps, family, fsource, &p.fam);
	if (rc || !p.name || !p.family || !p.source || !p.regex ||
	    (phrases && !p.phrases) || (npre && !p.pre)) {
		pattern_dispose(&p);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	if (slot) {
		pattern_dispose(slot);
		*slot = p;
		return COT_OK;
	}
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 64;
		cot__pattern *v = cot__realloc(ps->v, cap * sizeof *v);

		if (!v) {
			pattern_dispose(&p);
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		}
		ps->v = v;
		ps->cap = cap;
	}
	ps->v[ps->n++] = p;
	return COT_OK;
}

static int add_builtins(cot__pset *ps, cot_error *err)
{
	cot__sbuf re = COT_BUF_INIT;
	int rc = COT_OK;

	for (const cot__lexeme *l = cot__lexicon; l->name && !rc; l++) {
		const char *src = "";

		for (const cot__lexfamily *f = cot__lex_families; f->name; f++)
			if (!strcmp(f->name, l->family))
				src = f->source;
		re.size = 0;
		rc = cot__phrase_regex(l->phrases, &re);
		if (rc) {
			rc = cot__error_set(err, COT_ENOMEM, 0, 0,
					    "out of memory");
			break;
		}
		rc = add_pattern(ps, l->name, l->family, src, src, re.ptr,
				 l->phrases, NULL, err);
	}
	cot__sbuf_dispose(&re);
	return rc;
}

/* Read a whole file into memory (NUL-terminated). */
static int read_file(const char *path, char **out, size_t *len,
		     cot_error *err)
{
	FILE *f = fopen(path, "rb");
	cot__sbuf b = COT_BUF_INIT;
	char chunk[16384];
	size_t n;

	if (!f)
		return cot__error_set(err, COT_EIO, 0, 0,
				      "--patterns %.200s: %s", path,
				      strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (cot__sbuf_add(&b, chunk, n)) {
			fclose(f);
			cot__sbuf_dispose(&b);
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		cot__sbuf_dispose(&b);
		return cot__error_set(err, COT_EIO, 0, 0,
				      "--patterns %.200s: %s", path,
				      strerror(e));
	}
	fclose(f);
	if (cot__sbuf_reserve(&b, 1)) {
		cot__sbuf_dispose(&b);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	b.ptr[b.size] = '\0';
	*out = b.ptr;
	*len = b.size;
	return COT_OK;
}

static size_t skip_blank(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t token_end(const char *s, size_t i, size_t n)
{
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	return i;
}

/* One line of a pattern file: NAME FAMILY REGEX. */
static int file_line(cot__pset *ps, const char *path, uint64_t lineno,
		     char *s, size_t n, cot_error *err)
{
	origin at = { path, NULL, lineno, 0 };
	size_t i = skip_blank(s, 0, n), ne, fs, fe, bad;
	char name[NAME_MAX_LEN + 1], family[NAME_MAX_LEN + 1], src[256];

	if (i == n || s[i] == '#')
		return COT_OK;
	ne = token_end(s, i, n);
	if (!valid_name(s + i, ne - i, &bad))
		return where_error(err, COT_EPATTERN, &at, i + bad + 1,
				   "a pattern name is 1 to 64 letters, digits "
				   "or underscores");
	fs = skip_blank(s, ne, n);
	fe = token_end(s, fs, n);
	if (fs == n)
		return where_error(err, COT_EPATTERN, &at, fs + 1,
				   "expected: NAME FAMILY REGEX");
	if (!valid_name(s + fs, fe - fs, &bad))
		return where_error(err, COT_EPATTERN, &at, fs + bad + 1,
				   "a family name is 1 to 64 letters, digits "
				   "or underscores");
	memcpy(name, s + i, ne - i);
	name[ne - i] = '\0';
	memcpy(family, s + fs, fe - fs);
	family[fe - fs] = '\0';
	i = skip_blank(s, fe, n);
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (i == n)
		return where_error(err, COT_EPATTERN, &at, i + 1,
				   "pattern '%s' has no regex", name);
	s[n] = '\0';
	at.col = i + 1;
	snprintf(src, sizeof src, "%.200s:%llu", path,
		 (unsigned long long)lineno);
	return add_pattern(ps, name, family, src, src, s + i, NULL, &at, err);
}

static int add_file(cot__pset *ps, const char *path, cot_error *err)
{
	char *data = NULL;
	size_t len = 0, pos = 0;
	uint64_t lineno = 0;
	int rc = read_file(path, &data, &len, err);

	if (rc)
		return rc;
	while (!rc && pos < len) {
		char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t n = end - pos;

		lineno++;
		if (n && data[pos + n - 1] == '\r')
			n--;
		rc = file_line(ps, path, lineno, data + pos, n, err);
		pos = end + 1;
	}
	cot__free(data);
	return rc;
}

static int add_option(cot__pset *ps, const char *arg, cot_error *err)
{
	origin at = { NULL, arg, 0, 0 };
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg), bad;
	char name[NAME_MAX_LEN + 1];

	if (!eq)
		return where_error(err, COT_EPATTERN, &at, n + 1,
				   "expected NAME=REGEX");
	if (!valid_name(arg, n, &bad))
		return where_error(err, COT_EPATTERN, &at, bad + 1,
				   "a pattern name is 1 to 64 letters, digits "
				   "or underscores");
	if (!eq[1])
		return where_error(err, COT_EPATTERN, &at, n + 2,
				   "pattern '%.*s' has no regex", (int)n,
				   arg);
	memcpy(name, arg, n);
	name[n] = '\0';
	at.col = n + 2;
	return add_pattern(ps, name, "user", "--pattern", "--pattern", eq + 1,
			   NULL, &at, err);
}

/* Drop families no pattern counts towards any more (every pattern of
 * a built-in family replaced into another) and fill the public views. */
static int finish(cot__pset *ps)
{
	size_t *map = cot__calloc(ps->nfam ? ps->nfam : 1, sizeof *map);
	size_t kept = 0;

	if (!map)
		return COT_ENOMEM;
	for (size_t i = 0; i < ps->nfam; i++)
		ps->fam[i].info.patterns = 0;
	for (size_t p = 0; p < ps->n; p++)
		ps->fam[ps->v[p].fam].info.patterns++;
	for (size_t i = 0; i < ps->nfam; i++) {
		if (!ps->fam[i].info.patterns) {
			cot__free(ps->fam[i].name);
			cot__free(ps->fam[i].source);
			continue;
		}
		map[i] = kept;
		ps->fam[kept++] = ps->fam[i];
	}
	ps->nfam = kept;
	for (size_t i = 0; i < ps->nfam; i++) {
		cot__pfamily *f = &ps->fam[i];

		f->info.name = f->name;
		f->info.source = f->source;
	}
	for (size_t p = 0; p < ps->n; p++) {
		cot__pattern *pt = &ps->v[p];

		pt->fam = (uint32_t)map[pt->fam];
		pt->info.name = pt->name;
		pt->info.family = pt->family;
		pt->info.source = pt->source;
		pt->info.regex = pt->regex;
		pt->info.phrases = pt->phrases;
		pt->info.family_index = pt->fam;
		pt->info.full_scan = pt->pre == NULL;
	}
	cot__free(map);
	return cot__pset_index(ps);
}

int cot__pset_new(cot__pset **out, const cot_analyzer_options *o,
		  cot_error *err)
{
	cot__pset *ps = cot__calloc(1, sizeof *ps);
	int rc = COT_OK;

	*out = NULL;
	if (!ps)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	ps->per_byte = o->match_limit ? o->match_limit :
					COT_MATCH_LIMIT_DEFAULT;
	ps->gctx = pcre2_general_context_create(gmalloc, gfree, NULL);
	ps->cctx = ps->gctx ? pcre2_compile_context_create(ps->gctx) : NULL;
	if (!ps->cctx)
		rc = cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	if (!rc && !o->no_builtin_patterns)
		rc = add_builtins(ps, err);
	if (!rc && o->patterns_file)
		rc = add_file(ps, o->patterns_file, err);
	for (const char *const *a = o->patterns; !rc && a && *a; a++)
		rc = add_option(ps, *a, err);
	if (!rc && finish(ps))
		rc = cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	if (rc) {
		cot__pset_free(ps);
		return rc;
	}
	*out = ps;
	return COT_OK;
}

void cot__pset_free(cot__pset *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->n; i++)
		pattern_dispose(&ps->v[i]);
	for (size_t i = 0; i < ps->nfam; i++) {
		cot__free(ps->fam[i].name);
		cot__free(ps->fam[i].source);
	}
	cot__free(ps->v);
	cot__free(ps->fam);
	cot__free(ps->ent);
	cot__free(ps->slot);
	cot__free(ps->full);
	pcre2_compile_context_free(ps->cctx);
	pcre2_general_context_free(ps->gctx);
	cot__free(ps);
}
