/* pretok_compare.c - the hand-written pre-tokenizers against PCRE2:
 * the pieces of each path as (offset, length) lists, compared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "pretok_compare.h"

/* The patterns as the four tokenizer.json files spell them (the JSON
 * strings decoded; DeepSeek's hold a raw CR and LF in two classes). */
static const char ds_digits[] = "\\p{N}{1,3}";
static const char ds_cjk[] =
	"[\344\270\200-\351\276\245\343\201\200-\343\202\237\343\202\240-"
	"\343\203\277]+";
static const char ds_main[] =
	"[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|"
	"[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|"
	"\\s*[\r\n]+|\\s+(?!\\S)|\\s+";
static const char qwen3[] =
	"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
	" ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
static const char llama3[] =
	"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|"
	"\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
	"\\s+(?!\\S)|\\s+";
static const char oss[] =
	"[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*"
	"[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	"[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
	"[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	"\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|"
	"\\s+(?!\\S)|\\s+";

const char *const pcmp_name[PCMP_SETS] = {
	"deepseek_v3", "qwen3", "llama3_1", "gptoss"
};

static const char *const sets[PCMP_SETS][4] = {
	{ds_digits, ds_cjk, ds_main, NULL},
	{qwen3, NULL},
	{llama3, NULL},
	{oss, NULL},
};

bool pcmp_build(cot__pretok *pt, size_t i)
{
	cot_error err;

	memset(pt, 0, sizeof *pt);
	for (size_t k = 0; sets[i][k]; k++) {
		if (cot__pretok_add(pt, sets[i][k], &err) != COT_OK) {
			printf("# %s: %s\n", pcmp_name[i], err.message);
			return false;
		}
		if (!pt->scan[k]) {
			printf("# %s level %zu: no scanner\n", pcmp_name[i], k);
			return false;
		}
	}
	return true;
}

size_t pcmp_clean(const char *text, size_t n, char **out)
{
	const unsigned char *p = (const unsigned char *)text;
	char *o = malloc(3 * n + 1);
	size_t k = 0;

	if (!o)
		abort();
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = cot__utf8_next(p + i, n - i, &cp);

		if (cp == COT__UTF8_BAD) {
			memcpy(o + k, "\xef\xbf\xbd", 3);
			k += 3;
		} else {
			memcpy(o + k, p + i, l);
			k += l;
		}
		i += l;
	}
	*out = o;
	return k;
}

typedef struct pieces {
	const char *base;
	size_t (*v)[2];
	size_t n, cap;
} pieces;

static int collect(void *ctx, const char *p, size_t n)
{
	pieces *ps = ctx;

	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 256;
		ps->v = realloc(ps->v, ps->cap * sizeof *ps->v);
		if (!ps->v)
			abort();
	}
	ps->v[ps->n][0] = (size_t)(p - ps->base);
	ps->v[ps->n][1] = n;
	ps->n++;
	return COT_OK;
}

static void show(const char *what, const char *p, size_t n)
{
	printf("# %s: \"", what);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		printf(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ?
		       "%c" : "\\x%02x", c);
	}
	printf("\"\n");
}

bool pcmp_same(const cot__pretok *pt, cot__pretok_state *st,
	       const char *p, size_t n, const char *name)
{
	pieces a = {p, NULL, 0, 0}, b = {p, NULL, 0, 0};
	size_t i = 0;
	bool same;
	int ra, rb;

	st->pcre2_only = false;
	ra = cot__pretok_split(pt, st, p, n, collect, &a);
	st->pcre2_only = true;
	rb = cot__pretok_split(pt, st, p, n, collect, &b);
	st->pcre2_only = false;
	if (ra == COT_ENOMEM || rb == COT_ENOMEM)
		abort();
	while (i < a.n && i < b.n && a.v[i][0] == b.v[i][0] &&
	       a.v[i][1] == b.v[i][1])
		i++;
	/* a PCRE2 limit is no difference of the scanner's */
	same = rb == COT_ELIMIT || (ra == rb && i == a.n && i == b.n);
	if (!same && name) {
		printf("# %s: scanner %zu pieces, PCRE2 %zu; first "
		       "difference at piece %zu\n", name, a.n, b.n, i);
		show("text", p, n);
		if (i < a.n)
			show("scanner", p + a.v[i][0], a.v[i][1]);
		if (i < b.n)
			show("PCRE2", p + b.v[i][0], b.v[i][1]);
	}
	free(a.v);
	free(b.v);
	return same;
}
