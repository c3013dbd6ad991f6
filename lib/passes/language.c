/* language.c - Unicode script of letters; language mixing of a reasoning. */
#include <string.h>

#include "passes/pass.h"
#include "base/bits.h"
#include "base/simd.h"
#include "passes/language.h"
#include "base/utf8.h"


const char *const cot__script_names[COT__NSCRIPTS] = {
	"Latin", "Han", "Kana", "Hangul", "Cyrillic", "Arabic",
	"Devanagari", "other",
};

enum {
	LAT = COT__SCRIPT_LATIN, HAN = COT__SCRIPT_HAN,
	KANA = COT__SCRIPT_KANA, HANG = COT__SCRIPT_HANGUL,
	CYR = COT__SCRIPT_CYRILLIC, ARAB = COT__SCRIPT_ARABIC,
	DEVA = COT__SCRIPT_DEVANAGARI, OTH = COT__SCRIPT_OTHER,
	GRK = COT__SCRIPT_GREEK
};

/* Letter ranges, sorted, not overlapping. Only letters of scripts are
 * listed: what is left out (digits and punctuation inside these blocks,
 * symbols, combining diacritics, CJK punctuation, math alphanumerics,
 * emoji) is no letter. The Indic blocks 0980-0DFF keep their digits
 * (xx66-xx6F, xxE6-xxEF); cot__script_of takes them out. */
static const struct range {
	uint32_t lo, hi;
	int8_t script;
} ranges[] = {
	{ 0x0041, 0x005a, LAT }, { 0x0061, 0x007a, LAT },
	{ 0x00aa, 0x00aa, LAT }, { 0x00ba, 0x00ba, LAT },
	{ 0x00c0, 0x00d6, LAT }, { 0x00d8, 0x00f6, LAT },
	{ 0x00f8, 0x02af, LAT },
	{ 0x0370, 0x0373, GRK }, { 0x0376, 0x0377, GRK },
	{ 0x037b, 0x037d, GRK }, { 0x037f, 0x037f, GRK },
	{ 0x0386, 0x0386, GRK }, { 0x0388, 0x03f5, GRK },
	{ 0x03f7, 0x03ff, GRK },
	{ 0x0400, 0x0481, CYR }, { 0x048a, 0x052f, CYR },
	{ 0x0531, 0x0556, OTH }, { 0x0561, 0x0587, OTH },
	{ 0x05d0, 0x05ea, OTH }, { 0x05ef, 0x05f2, OTH },
	{ 0x0620, 0x064a, ARAB }, { 0x066e, 0x066f, ARAB },
	{ 0x0671, 0x06d3, ARAB }, { 0x06d5, 0x06d5, ARAB },
	{ 0x06ee, 0x06ef, ARAB }, { 0x06fa, 0x06fc, ARAB },
	{ 0x06ff, 0x06ff, ARAB },
	{ 0x0710, 0x072f, OTH }, { 0x074d, 0x074f, OTH },
	{ 0x0750, 0x077f, ARAB },
	{ 0x0780, 0x07a5, OTH },
	{ 0x08a0, 0x08c9, ARAB },
	{ 0x0900, 0x0963, DEVA }, { 0x0971, 0x097f, DEVA },
	{ 0x0980, 0x0dff, OTH },
	{ 0x0e01, 0x0e3a, OTH }, { 0x0e40, 0x0e4e, OTH },
	{ 0x0e81, 0x0ecf, OTH }, { 0x0edc, 0x0edf, OTH },
	{ 0x0f40, 0x0fbc, OTH },
	{ 0x1000, 0x103f, OTH }, { 0x1050, 0x108f, OTH },
	{ 0x109a, 0x109d, OTH },
	{ 0x10a0, 0x10ff, OTH },
	{ 0x1100, 0x11ff, HANG },
	{ 0x1200, 0x135a, OTH }, { 0x1380, 0x138f, OTH },
	{ 0x13a0, 0x13fd, OTH }, { 0x1401, 0x166c, OTH },
	{ 0x166f, 0x167f, OTH },
	{ 0x1780, 0x17d3, OTH }, { 0x1820, 0x1878, OTH },
	{ 0x1c80, 0x1c8f, CYR }, { 0x1c90, 0x1cbf, OTH },
	{ 0x1d00, 0x1dbf, LAT }, { 0x1e00, 0x1eff, LAT },
	{ 0x1f00, 0x1f15, GRK }, { 0x1f18, 0x1f1d, GRK },
	{ 0x1f20, 0x1f45, GRK }, { 0x1f48, 0x1f4d, GRK },
	{ 0x1f50, 0x1f57, GRK }, { 0x1f59, 0x1f7d, GRK },
	{ 0x1f80, 0x1fbc, GRK }, { 0x1fc2, 0x1fcc, GRK },
	{ 0x1fd0, 0x1fdb, GRK }, { 0x1fe0, 0x1fec, GRK },
	{ 0x1ff2, 0x1ffc, GRK },
	{ 0x2c60, 0x2c7f, LAT },
	{ 0x2d00, 0x2d2f, OTH },
	{ 0x2de0, 0x2dff, CYR },
	{ 0x3005, 0x3005, HAN }, { 0x303b, 0x303b, HAN },
	{ 0x3041, 0x3096, KANA }, { 0x3099, 0x309f, KANA },
	{ 0x30a1, 0x30fa, KANA }, { 0x30fc, 0x30ff, KANA },
	{ 0x3105, 0x312f, OTH },
	{ 0x3131, 0x318e, HANG },
	{ 0x31a0, 0x31bf, OTH },
	{ 0x31f0, 0x31ff, KANA },
	{ 0x3400, 0x4dbf, HAN }, { 0x4e00, 0x9fff, HAN },
	{ 0xa000, 0xa48c, OTH },
	{ 0xa640, 0xa69f, CYR },
	{ 0xa720, 0xa7ff, LAT },
	{ 0xa8e0, 0xa8ff, DEVA },
	{ 0xa960, 0xa97f, HANG },
	{ 0xab30, 0xab6f, LAT },
	{ 0xac00, 0xd7a3, HANG }, { 0xd7b0, 0xd7ff, HANG },
	{ 0xf900, 0xfaff, HAN },
	{ 0xfb00, 0xfb06, LAT },
	{ 0xfb1d, 0xfb4f, OTH },
	{ 0xfb50, 0xfdfb, ARAB },
	{ 0xfe70, 0xfefc, ARAB },
	{ 0xff21, 0xff3a, LAT }, { 0xff41, 0xff5a, LAT },
	{ 0xff66, 0xff9f, KANA },
	{ 0xffa0, 0xffdc, HANG },
	{ 0x1aff0, 0x1b16f, KANA },
	{ 0x20000, 0x2fa1f, HAN }, { 0x30000, 0x3134f, HAN },
};

/* Inside the ranges above, what is no letter (signs, fractions, symbols,
 * punctuation), as Unicode's general categories N, P, S say; sorted. */
static const struct range not_letters[] = {
	{ 0x09f2, 0x09fb, 0 }, { 0x09fd, 0x09fd, 0 }, { 0x0a76, 0x0a76, 0 },
	{ 0x0af0, 0x0af1, 0 }, { 0x0b70, 0x0b70, 0 }, { 0x0b72, 0x0b77, 0 },
	{ 0x0bf0, 0x0bfa, 0 }, { 0x0c77, 0x0c7f, 0 }, { 0x0c84, 0x0c84, 0 },
	{ 0x0d4f, 0x0d4f, 0 }, { 0x0d58, 0x0d5e, 0 }, { 0x0d70, 0x0d79, 0 },
	{ 0x0df4, 0x0df4, 0 }, { 0x0f85, 0x0f85, 0 }, { 0x10fb, 0x10fb, 0 },
	{ 0x309b, 0x309c, 0 }, { 0xa673, 0xa673, 0 }, { 0xa67e, 0xa67e, 0 },
	{ 0xa720, 0xa721, 0 }, { 0xa789, 0xa78a, 0 }, { 0xa8f8, 0xa8fa, 0 },
	{ 0xa8fc, 0xa8fc, 0 }, { 0xab5b, 0xab5b, 0 }, { 0xab6a, 0xab6b, 0 },
	{ 0xfb29, 0xfb29, 0 }, { 0xfbb2, 0xfbc2, 0 }, { 0xfd3e, 0xfd4f, 0 },
	{ 0xfdcf, 0xfdcf, 0 },
};

static const struct range *lookup(const struct range *v, size_t n,
				  uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < v[mid].lo)
			hi = mid;
		else if (cp > v[mid].hi)
			lo = mid + 1;
		else
			return &v[mid];
	}
	return NULL;
}

int cot__script_of(uint32_t cp)
{
	const struct range *r = lookup(ranges, sizeof ranges / sizeof *ranges,
				       cp);

	if (!r || lookup(not_letters, sizeof not_letters /
			 sizeof *not_letters, cp))
		return COT__SCRIPT_NONE;
	/* the Indic blocks keep their digits at xx66-xx6F and xxE6-xxEF */
	if (cp >= 0x0980 && cp <= 0x0dff && (cp & 0x7f) >= 0x66 &&
	    (cp & 0x7f) <= 0x6f)
		return COT__SCRIPT_NONE;
	return r->script;
}

static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if ((unsigned)(x - 'A') < 26)
			x += 32;
		if ((unsigned)(y - 'A') < 26)
			y += 32;
		if (x != y)
			return false;
	}
	return *a == *b;
}

int cot__script_find(const char *name)
{
	if (name_eq(name, "Hiragana") || name_eq(name, "Katakana"))
		return KANA;
	for (int i = 0; i < OTH; i++)
		if (name_eq(name, cot__script_names[i]))
			return i;
	return COT__SCRIPT_NONE;
}

/* ---- the scan ---- */

/* Math environments: their content is math, like $...$. */
static const char *const math_envs[] = {
	"equation", "equation*", "align", "align*", "aligned", "alignat",
	"alignat*", "gather", "gather*", "gathered", "multline",
	"multline*", "eqnarray", "eqnarray*", "split", "cases", "array",
	"matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix",
	"smallmatrix", "displaymath", "math",
};
enum { NENVS = sizeof math_envs / sizeof *math_envs, NTICKS = 8 };

typedef struct scan {
	const char *t;
	size_t len;
	cot__script_stats *out;
	uint64_t pc[COT__NSCRIPTS];	/* this paragraph's letters */
	size_t greek, greek_at;		/* the Greek run being read */
	int prev;			/* dominant of the last paragraph
					 * with letters, -1: none yet */
	/* Closers known to be absent from here to the paragraph end: a
	 * second opener of the same kind need not search again, which
	 * keeps the scan linear. */
	bool no_paren, no_bracket, no_tick[NTICKS], no_env[NENVS];
} scan;

static void count(scan *sc, int script, size_t at, uint64_t n)
{
	sc->pc[script] += n;
	if (sc->out->first[script] > at)
		sc->out->first[script] = at;
}

static void end_greek(scan *sc)
{
	if (sc->greek >= 2)
		count(sc, OTH, sc->greek_at, sc->greek);
	sc->greek = 0;
}

static void end_paragraph(scan *sc)
{
	uint64_t total = 0, best = 0;
	int dom = -1, kinds = 0;

	end_greek(sc);
	for (int s = 0; s < COT__NSCRIPTS; s++) {
		uint64_t n = sc->pc[s];

		if (!n)
			continue;
		kinds++;
		total += n;
		if (n > best) {
			best = n;
			dom = s;
		}
		sc->out->count[s] += n;
		sc->pc[s] = 0;
	}
	if (!total)
		return;
	sc->out->lettered++;
	if (kinds > 1)
		sc->out->mixed++;
	if (sc->prev >= 0 && dom != sc->prev)
		sc->out->switches++;
	sc->prev = dom;
}

static bool is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

/* The UTF-8 sequence at s[i..end): its code point and length (text
 * here is valid UTF-8; anything else would be one U+FFFD a byte). */
static size_t decode(const unsigned char *s, size_t i, size_t end,
		     uint32_t *cp)
{
	size_t n = cot__utf8_decode(s + i, end - i, cp);

	if (n)
		return n;
	*cp = 0xfffd;
	return 1;
}

/* After a backslash command at t[i] ('\' then letters): where scanning
 * goes on. Command names are skipped; \begin{ENV} of a math environment
 * skips to after its \end{ENV} in the paragraph; other \begin{..} and
 * \end{..} skip their argument. */
static size_t skip_command(scan *sc, size_t i, size_t pe)
{
	const char *t = sc->t;
	size_t j = i + 1, name, k;
	bool begin;

	while (j < pe && is_alpha((unsigned char)t[j]))
		j++;
	begin = j - i - 1 == 5 && memcmp(t + i + 1, "begin", 5) == 0;
	if (!begin && !(j - i - 1 == 3 && memcmp(t + i + 1, "end", 3) == 0))
		return j;
	if (j >= pe || t[j] != '{')
		return j;
	name = j + 1;
	k = name;
	while (k < pe && t[k] != '}' && k - name < 32)
		k++;
	if (k >= pe || t[k] != '}')
		return j;
	if (!begin)
		return k + 1;
	for (size_t e = 0; e < NENVS; e++) {
		size_t n = strlen(math_envs[e]), at = k + 1;

		if (n != k - name || memcmp(t + name, math_envs[e], n) != 0)
			continue;
		while (!sc->no_env[e] &&
		       (at = cot__find(t, at, pe, "\\end{", 5)) != SIZE_MAX) {
			at += 5;
			if (at + n < pe && memcmp(t + at, math_envs[e], n) == 0
			    && t[at + n] == '}')
				return at + n + 1;
		}
		sc->no_env[e] = true;
		break;
	}
	return k + 1;
}

/* A code fence opens at t[i] (a run of r >= 3 backticks) when only
 * spaces and tabs stand before it on its line. */
static bool fence_opens(const scan *sc, size_t ps, size_t i)
{
	size_t j = i;

	while (j > ps && (sc->t[j - 1] == ' ' || sc->t[j - 1] == '\t'))
		j--;
	return j == ps || sc->t[j - 1] == '\n';
}

/* The end of the fenced block opened on the line of t[i]: the end of the
 * next line that starts (after spaces and tabs) with r or more
 * backticks, or the end of the text. It may lie paragraphs ahead. */
static size_t fence_end(const scan *sc, size_t i, size_t r)
{
	const char *t = sc->t;
	const char *nl = memchr(t + i, '\n', sc->len - i);

	while (nl) {
		size_t j = (size_t)(nl - t) + 1, n = 0;

		while (j < sc->len && (t[j] == ' ' || t[j] == '\t'))
			j++;
		while (j + n < sc->len && t[j + n] == '`')
			n++;
		nl = memchr(t + j, '\n', sc->len - j);
		if (n >= r)
			return nl ? (size_t)(nl - t) : sc->len;
	}
	return sc->len;
}

/* A run of exactly r backticks in t[from..pe), or SIZE_MAX. */
static size_t tick_close(const char *t, size_t from, size_t pe, size_t r)
{
	while (from < pe) {
		const char *p = memchr(t + from, '`', pe - from);
		size_t j, n = 0;

		if (!p)
			break;
		j = (size_t)(p - t);
		while (j + n < pe && t[j + n] == '`')
			n++;
		if (n == r)
			return j;
		from = j + n;
	}
	return SIZE_MAX;
}

/* Handle the special byte at t[i] (backslash, dollar, backtick, or a
 * non-ASCII lead byte) in the paragraph [ps, pe); returns where the
 * scan goes on, which is past pe after a code fence. */
static size_t special(scan *sc, size_t ps, size_t i, size_t pe)
{
	const unsigned char *s = (const unsigned char *)sc->t;
	const char *t = sc->t;
	size_t j;

	if (s[i] >= 0x80) {
		uint32_t cp;
		size_t n = decode(s, i, pe, &cp);
		int script = cot__script_of(cp);

		if (script == GRK) {
			if (sc->greek++ == 0)
				sc->greek_at = i;
			return i + n;
		}
		end_greek(sc);
		if (script >= 0)
			count(sc, script, i, 1);
		return i + n;
	}
	end_greek(sc);
	switch (s[i]) {
	case '\\':
		if (i + 1 >= pe)
			return i + 1;
		if (is_alpha(s[i + 1]))
			return skip_command(sc, i, pe);
		if (s[i + 1] == '(' && !sc->no_paren) {
			j = cot__find(t, i + 2, pe, "\\)", 2);
			if (j != SIZE_MAX)
				return j + 2;
			sc->no_paren = true;
		} else if (s[i + 1] == '[' && !sc->no_bracket) {
			j = cot__find(t, i + 2, pe, "\\]", 2);
			if (j != SIZE_MAX)
				return j + 2;
			sc->no_bracket = true;
		}
		/* an escaped char (\$, \{, \\, \,); a non-ASCII one is
		 * read as a char next */
		return s[i + 1] >= 0x80 ? i + 1 : i + 2;
	case '$':
		if (i + 1 < pe && s[i + 1] == '$') {
			/* a failed search leaves no "$$" to find later */
			j = cot__find(t, i + 2, pe, "$$", 2);
			return j != SIZE_MAX ? j + 2 : i + 2;
		}
		for (j = i + 1; j < pe; j++) {
			const char *p = memchr(t + j, '$', pe - j);

			if (!p)
				break;
			j = (size_t)(p - t);
			if (s[j - 1] != '\\')
				return j + 1;
		}
		return i + 1;	/* no closer: a literal dollar */
	default: {		/* '`' */
		size_t r = 1;

		while (i + r < pe && s[i + r] == '`')
			r++;
		if (r >= 3 && fence_opens(sc, ps, i))
			return fence_end(sc, i, r);
		if (r < NTICKS && !sc->no_tick[r]) {
			j = tick_close(t, i + r, pe, r);
			if (j != SIZE_MAX)
				return j + r;
			sc->no_tick[r] = true;
		}
		return i + r;
	}
	}
}

/* Bits of 16 bytes at p: specials (\ $ ` and non-ASCII bytes), ASCII
 * letters. */
static void block16(const unsigned char *p, uint32_t *spec, uint32_t *alpha)
{
	cot__v16 v = cot__v16_load(p);
	cot__v16 sp = cot__v16_or(
		cot__v16_or(cot__v16_eq1(v, '\\'), cot__v16_eq1(v, '$')),
		cot__v16_eq1(v, '`'));
	/* (c | 0x20) maps A-Z onto a-z and nothing else into it; bytes
	 * >= 0x80 are negative in these signed compares */
	cot__v16 x = cot__v16_or(v, cot__v16_splat(0x20));
	cot__v16 al = cot__v16_and(cot__v16_gt(x, cot__v16_splat('a' - 1)),
				   cot__v16_lt(x, cot__v16_splat('z' + 1)));

	*spec = cot__v16_mask(sp) | cot__v16_mask(v);
	*alpha = cot__v16_mask(al);
}

/* ASCII letters of t[i..i+m): Latin. */
static void plain(scan *sc, size_t i, uint32_t alpha)
{
	if (!alpha)
		return;
	count(sc, LAT, i + cot__ctz32(alpha), cot__popcount32(alpha));
}

/* Scan the paragraph [ps, pe) from i; returns where it stopped (pe, or
 * past it after a code fence). */
static size_t scan_paragraph(scan *sc, size_t ps, size_t i, size_t pe)
{
	const unsigned char *s = (const unsigned char *)sc->t;

	sc->no_paren = sc->no_bracket = false;
	memset(sc->no_tick, 0, sizeof sc->no_tick);
	memset(sc->no_env, 0, sizeof sc->no_env);
	while (i < pe) {
		uint32_t spec, alpha;
		unsigned m;

		/* 16 bytes at once, the last ones of a paragraph too while
		 * the text goes on (the bytes past it masked off) */
		if (pe - i >= 16 || sc->len - i >= 16) {
			unsigned w = pe - i >= 16 ? 16 : (unsigned)(pe - i);
			uint32_t keep = ((uint32_t)1 << w) - 1;

			block16(s + i, &spec, &alpha);
			spec &= keep;
			alpha &= keep;
			if (!spec) {
				end_greek(sc);
				plain(sc, i, alpha);
				i += w;
				continue;
			}
			m = cot__ctz32(spec);
			if (m) {
				end_greek(sc);
				plain(sc, i, alpha & (((uint32_t)1 << m) - 1));
				i += m;
			}
		} else if (!(s[i] >= 0x80 || s[i] == '\\' || s[i] == '$' ||
			     s[i] == '`')) {
			end_greek(sc);
			if (is_alpha(s[i]))
				count(sc, LAT, i, 1);
			i++;
			continue;
		}
		i = special(sc, ps, i, pe);
	}
	return i;
}

void cot__script_scan(const char *text, size_t len, const cot__span *para,
		      size_t npara, cot__script_stats *out)
{
	scan sc;
	size_t i = 0;
	uint64_t best = 0;

	memset(out, 0, sizeof *out);
	for (int s = 0; s < COT__NSCRIPTS; s++)
		out->first[s] = SIZE_MAX;
	out->dominant = -1;
	memset(&sc, 0, sizeof sc);
	sc.t = text;
	sc.len = len;
	sc.out = out;
	sc.prev = -1;
	for (size_t k = 0; k < npara; k++) {
		size_t ps = para[k].off, pe = ps + para[k].len;

		/* a code fence may have run over whole paragraphs */
		if (i < pe)
			i = scan_paragraph(&sc, ps, i > ps ? i : ps, pe);
		end_paragraph(&sc);
	}
	for (int s = 0; s < COT__NSCRIPTS; s++) {
		out->letters += out->count[s];
		if (out->count[s] > best) {
			best = out->count[s];
			out->dominant = s;
		}
	}
}

/* ---- the language pass ---- */

static int lang_init(cot_analyzer *az, const cot_analyzer_options *o,
		     cot_error *err)
{
	az->lang_target = -1;
	if (!o->target_script)
		return COT_OK;
	az->lang_target = cot__script_find(o->target_script);
	if (az->lang_target < 0)
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "--target-script: unknown script '%.60s'"
				      " (valid: Latin, Han, Kana, Hangul, "
				      "Cyrillic, Arabic, Devanagari; "
				      "Hiragana and Katakana mean Kana)",
				      o->target_script);
	return COT_OK;
}

static int lang_run(cot__pass_ctx *c, cot__profile *p, cot_error *err)
{
	const cot__text *r = &p->tr->reasoning;
	struct cot__lang *l = cot__arena_alloc(c->arena, sizeof *l);

	if (!l)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	l->para = p->paragraphs;	/* the core pass's */
	cot__script_scan(r->p, r->n, l->para.v, l->para.n, &l->st);
	l->target = c->az->lang_target;
	p->lang = l;
	return COT_OK;
}

#define LANG(p) ((p)->lang ? &(p)->lang->st : NULL)

static void get_dominant(const cot__profile *p, const cot__field *f,
			 cot_value *v)
{
	const cot__script_stats *st = LANG(p);
	const char *name;

	(void)f;
	if (!st || st->dominant < 0) {
		v->type = COT_TYPE_NULL;
		return;
	}
	name = cot__script_names[st->dominant];
	cot__set_text(v, name, strlen(name));
}

static void get_letters(const cot__profile *p, const cot__field *f,
			cot_value *v)
{
	const cot__script_stats *st = LANG(p);

	(void)f;
	cot__set_int(v, st ? (int64_t)st->letters : 0);
}

static void get_mix(const cot__profile *p, const cot__field *f, cot_value *v)
{
	const cot__script_stats *st = LANG(p);

	(void)f;
	if (!st || !st->letters) {
		v->type = COT_TYPE_NULL;
		return;
	}
	cot__set_real(v, 1.0 - (double)st->count[st->dominant] /
			       (double)st->letters);
}

static void get_switches(const cot__profile *p, const cot__field *f,
			 cot_value *v)
{
	const cot__script_stats *st = LANG(p);

	(void)f;
	cot__set_int(v, st ? st->switches : 0);
}

static void get_mixed(const cot__profile *p, const cot__field *f,
		      cot_value *v)
{
	const cot__script_stats *st = LANG(p);

	(void)f;
	cot__set_int(v, st ? st->mixed : 0);
}

/* The first letter of a class other than the dominant one. */
static void get_foreign_at(const cot__profile *p, const cot__field *f,
			   cot_value *v)
{
	const cot__script_stats *st = LANG(p);
	size_t at = SIZE_MAX;

	(void)f;
	for (int s = 0; st && st->dominant >= 0 && s < COT__NSCRIPTS; s++)
		if (s != st->dominant && st->first[s] < at)
			at = st->first[s];
	if (at == SIZE_MAX)
		v->type = COT_TYPE_NULL;
	else
		cot__set_int(v, (int64_t)at);
}

static void get_target_share(const cot__profile *p, const cot__field *f,
			     cot_value *v)
{
	const cot__script_stats *st = LANG(p);

	(void)f;
	if (!st || p->lang->target < 0 || !st->letters) {
		v->type = COT_TYPE_NULL;
		return;
	}
	cot__set_real(v, (double)st->count[p->lang->target] /
			 (double)st->letters);
}

static int scripts_json(const cot__profile *p, const cot__field *f,
			cot__sbuf *b)
{
	const cot__script_stats *st = LANG(p);
	bool first = true;

	(void)f;
	if (cot__sbuf_addc(b, '{'))
		return COT_ENOMEM;
	for (int s = 0; st && s < COT__NSCRIPTS; s++) {
		if (!st->count[s])
			continue;
		if (cot__add_key(b, first ? 0 : ',', cot__script_names[s]) ||
		    cot__add_uint(b, st->count[s]))
			return COT_ENOMEM;
		first = false;
	}
	return cot__sbuf_addc(b, '}');
}

static const cot__field lang_fields[] = {
	COT__ROW("lang.dominant", STRING, "", get_dominant, 0,
	    "the script class with the most letters in the reasoning: Latin, "
	    "Han, Kana (Hiragana and Katakana), Hangul, Cyrillic, Arabic, "
	    "Devanagari or other (ties: that order); letters outside LaTeX "
	    "commands, math and code; null when there is no letter"),
	COT__ROW("lang.letters", INT, "letters", get_letters, 0,
	    "letters counted for the language fields (outside LaTeX "
	    "command names, $...$, $$...$$, \\(...\\), \\[...\\], math "
	    "environments, fenced and inline code; lone Greek letters are "
	    "math symbols, not letters)"),
	COT__ROW("lang.mix", REAL, "ratio", get_mix, 0,
	    "1 - (letters of lang.dominant / lang.letters): 0 for one "
	    "script; null when there is no letter"),
	COT__ROW("lang.switches", INT, "paragraphs", get_switches, 0,
	    "consecutive paragraphs (among those with letters) whose "
	    "dominant script differs"),
	COT__ROW("lang.mixed_steps", INT, "paragraphs", get_mixed, 0,
	    "paragraphs that hold letters of two or more script classes"),
	COT__ROW("lang.foreign_at", INT, "bytes", get_foreign_at, 0,
	    "byte offset in the reasoning of the first letter whose class is "
	    "not lang.dominant; null when every letter is of that class"),
	COT__ROW("lang.target_share", REAL, "ratio", get_target_share, 0,
	    "with --target-script: letters of that script / lang.letters "
	    "(DeepSeek-R1's language consistency, by script); null without "
	    "the option or without letters"),
	{ .info = { "lang.scripts", COT_TYPE_JSON, "letters",
	    "letters per script class, an object such as "
	    "{\"Latin\":812,\"Han\":3}; classes with none are left out" },
	  .json = scripts_json },
	COT__FIELDS_END
};

const cot__pass cot__lang_pass = {
	.name = "lang",
	.makes = COT__PROD_LANG,
	.reads = COT__PROD_PARAGRAPHS,
	.init = lang_init,
	.run = lang_run,
	.fields = lang_fields,
};
