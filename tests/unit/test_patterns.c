/* test_patterns.c - lexicons, user patterns, the pre-filter and pattern
 * fields, checked against naive counts and full scans. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "analyze/result.h"
#include "match/lexicon.h"
#include "match/patterns.h"
#include "util.h"
#include "corpus.h"
#include "walk.h"

/* ---- a naive counter for phrase lists, independent of pcre2 ---- */

/* The code point at s[i..n) and its length. */
static uint32_t cp_at(const unsigned char *s, size_t i, size_t n,
		      size_t *len)
{
	if (s[i] < 0x80 || i + 1 >= n) {
		*len = 1;
		return s[i];
	}
	if (s[i] < 0xe0) {
		*len = 2;
		return (uint32_t)(s[i] & 0x1f) << 6 | (s[i + 1] & 0x3f);
	}
	if (s[i] < 0xf0 || i + 3 >= n) {
		*len = 3;
		return (uint32_t)(s[i] & 0x0f) << 12 |
		       (uint32_t)(s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(s[i] & 0x07) << 18 |
	       (uint32_t)(s[i + 1] & 0x3f) << 12 |
	       (uint32_t)(s[i + 2] & 0x3f) << 6 | (s[i + 3] & 0x3f);
}

/* \w under Unicode rules, by the C library's tables (C.UTF-8). */
static bool word_cp(uint32_t c)
{
	return c == '_' || iswalnum((wint_t)c);
}

static bool word_before(const unsigned char *s, size_t i)
{
	size_t k = i, len;

	if (i == 0)
		return false;
	k--;
	while (k > 0 && (s[k] & 0xc0) == 0x80)
		k--;
	return word_cp(cp_at(s, k, i, &len));
}

static bool word_at(const unsigned char *s, size_t i, size_t n)
{
	size_t len;

	return i < n && word_cp(cp_at(s, i, n, &len));
}

static bool alnum_ascii(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

/* Length of text matched by phrase p[0..pn) at s[i..n), or 0: ASCII
 * letters caseless, ' matching ' or U+2019, word boundaries where the
 * phrase starts or ends with a letter or digit. */
static size_t phrase_at(const char *p, size_t pn, const unsigned char *s,
			size_t i, size_t n)
{
	size_t j = i;

	for (size_t k = 0; k < pn; k++) {
		unsigned char c = (unsigned char)p[k], t;

		if (j >= n)
			return 0;
		if (c == '\'') {
			if (s[j] == '\'')
				j++;
			else if (n - j >= 3 &&
				 !memcmp(s + j, "\xe2\x80\x99", 3))
				j += 3;
			else
				return 0;
			continue;
		}
		t = s[j] >= 'A' && s[j] <= 'Z' ? (unsigned char)(s[j] + 32) :
						 s[j];
		if (t != c)
			return 0;
		j++;
	}
	if (alnum_ascii(p[0]) && word_before(s, i))
		return 0;
	if (alnum_ascii(p[pn - 1]) && word_at(s, j, n))
		return 0;
	return j - i;
}

typedef struct naive {
	size_t count, first, last;
} naive;

/* Leftmost-first, non-overlapping, phrases tried in list order. */
static naive naive_count(const char *phrases, const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	naive r = { 0, 0, 0 };
	size_t i = 0;

	while (i < n) {
		size_t got = 0;

		for (const char *p = phrases; !got;) {
			const char *bar = strchr(p, '|');
			size_t pn = bar ? (size_t)(bar - p) : strlen(p);

			got = phrase_at(p, pn, s, i, n);
			if (!bar)
				break;
			p = bar + 1;
		}
		if (got) {
			if (!r.count++)
				r.first = i;
			r.last = i;
			i += got;
		} else {
			i++;
		}
	}
	return r;
}

/* ---- fixtures ---- */

static cot_analyzer *new_az(const cot_analyzer_options *o)
{
	cot_analyzer *az;
	cot_error err;

	assert_int_equal(cot_analyzer_new(&az, o, &err), COT_OK);
	return az;
}

static int64_t get_int(cot_result *res, size_t t, const char *name)
{
	cot_value v;
	long f = field_id(res->az, name);

	assert_true(f >= 0);
	assert_int_equal(cot_result_get(&v, res, t, f, NULL), COT_OK);
	if (v.type == COT_TYPE_NULL)
		return -1;
	assert_int_equal(v.type, COT_TYPE_INT);
	return v.i;
}

/* ---- phrases and regexes ---- */

static void test_phrase_regex_escapes_and_bounds(void **state)
{
	cot__sbuf b = COT_BUF_INIT;

	(void)state;
	assert_int_equal(cot__phrase_regex("wait|let's go|1.5|no,|等等", &b),
			 COT_OK);
	assert_string_equal(b.ptr, "(?:\\bwait\\b|"
			    "\\blet['\xe2\x80\x99]s go\\b|"
			    "\\b1\\.5\\b|\\bno,|等等)");
	cot__sbuf_dispose(&b);
}

static void test_lexicon_every_builtin_has_a_prefix(void **state)
{
	cot_analyzer *az = new_az(NULL);
	size_t n = cot_pattern_count(az);

	(void)state;
	assert_true(n >= 40);
	for (size_t i = 0; i < n; i++) {
		const cot_pattern_info *p = cot_pattern_at(az, i);

		/* the pre-filter covers every built-in: none is scanned in
		 * full */
		if (p->full_scan)
			fail_msg("built-in %s has no literal prefix", p->name);
		assert_non_null(p->phrases);
		assert_true(strlen(p->source) > 20);
		assert_string_equal(cot_family_at(az, p->family_index)->name,
				    p->family);
	}
	assert_null(cot_pattern_at(az, n));
	assert_int_equal(cot_family_count(az), 12);
	cot_analyzer_free(az);
}

/* "p1 p2 ..." of the prefixes, or "-" when none. */
static void check_prefixes(const char *regex, const char *want)
{
	cot__prefix pre[COT__PREFIXES_MAX];
	uint32_t n;
	char got[512] = "";

	if (!cot__regex_prefixes(regex, pre, &n)) {
		assert_string_equal("-", want);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t at = strlen(got);

		snprintf(got + at, sizeof got - at, "%s%.*s%s%s",
			 i ? " " : "", (int)pre[i].n, (const char *)pre[i].b,
			 pre[i].ws ? "^" : "", pre[i].we ? "$" : "");
	}
	assert_string_equal(got, want);
}

static void test_regex_prefixes_cases(void **state)
{
	(void)state;
	/* ^ marks \b before (ws), $ a whole word alternative (we) */
	check_prefixes("\\bwait\\b", "wait^$");
	check_prefixes("Wait", "wait");
	check_prefixes("(?:\\bbut wait\\b|\\bwait\\b)", "but wait^$ wait^$");
	check_prefixes("let me (?:check|verify)\\b",
		       "let me check let me verify");
	check_prefixes("\\blet['\xe2\x80\x99]s go",
		       "let's go^ let\xe2\x80\x99s go^");
	check_prefixes("colou?r", "colo");
	check_prefixes("hm+", "hm");
	check_prefixes("x?wait", "-");
	check_prefixes("\\d+", "-");
	check_prefixes("a|\\w+", "-");		/* one alternative has none */
	check_prefixes("a", "-");		/* too short to look up */
	check_prefixes("(?i)^\\s*wait", "-");
	check_prefixes("(?i)^wait", "wait");
	check_prefixes("(?<=\\s)so\\b", "so$");
	check_prefixes("(?:ab)?cd", "-");
	check_prefixes("(?x)w a i t", "-");	/* extended */
	check_prefixes("等等|不对", "等等 不对");
	check_prefixes("\xc3\xa9t\xc3\xa9", "-");	/* é has case */
	check_prefixes("a\\.b\\-c", "a.b-c");
	check_prefixes("(wait|hold) on", "wait hold");
	check_prefixes("(?<n>ab|cd)e", "ab cd");
}

/* ---- the pre-filter gives what full scans give ---- */

static const char *const tricky[] = {
	"w_word=\\bw\\w+",
	"lets=(?i)let(?:'s| me)\\b",
	"decimal=[0-9]+\\.[0-9]+",
	"linewait=^\\s*wait",
	"xy=x*y",
	"article=(?:a|an)\\b",
	"colour=colou?r",
	"before_eq=\\d+(?=\\s*=)",
	"after_space=(?<=\\s)so\\b",
	"waithmm=wait|hmm+",
	"recheck=\\b(?:re-?check|verif(?:y|ied))",
	"zh=等等|不对",
	"cased=(?-i)Wait",
	"dollar=\\$[^$]+\\$",
	"empty_or=ok|",
	"keep=keep",
	/* zero-width tests the prefixes do not record: never literal */
	"anchored=^wait\\b",
	"start=\\Ahold\\b",
	"dash=\\b-wait\\b",
	"tis=\\b'tis\\b",
	"inner=so(?:\\bwait\\b)",
	NULL
};

/* Patterns that each ask for \b or begin with a byte >= 0x80, so the
 * SIMD pass over word starts runs, with a prefix that begins with a
 * digit (word starts at digits are tried) and Chinese ones (so are
 * their lead bytes). */
static const char *const word_start_tricky[] = {
	"second=\\b2nd\\b",
	"under=\\b_tmp",
	"zh=等等|不对",
	"wait=(?i)\\bwait\\b",
	"longer=(?i)\\bthe answer is\\b",
	/* literal: found without pcre2 where its \b's have ASCII
	 * neighbours; not literal: one phrase begins another, or (?-i) */
	"literal=\\bhold on\\b|\\bwait\\b|\\bhmm\\b",
	"nested=\\bwait\\b|\\bwait a minute\\b",
	/* literal: "hmm\b" and "hmmm\b" cannot both match at one place,
	 * nor can two Chinese phrases neither of which begins the other */
	"hmms=\\bhmm\\b|\\bhmmm\\b",
	/* literal past 16 bytes: the rest is compared too */
	"longlit=\\bon second thought\\b|\\bgo over the steps again\\b",
	"zhlit=等一下|不对劲",
	/* not literal: without \b both match in "等等一下" */
	"zhnested=等等|等等一下",
	"cased=(?-i)\\bWait\\b",
	NULL
};

typedef struct equiv {
	cot__pset *ps;
	cot__pscratch s;
	cot__arena a;
	size_t traces, hits;
} equiv;

static void same_hits(equiv *e, const char *text, size_t len)
{
	cot__hitlist fast, full;
	cot_error err;

	cot__arena_reset(&e->a);
	assert_int_equal(cot__pset_scan(e->ps, &e->s, text, len, &e->a,
					false, &fast, &err), COT_OK);
	assert_int_equal(cot__pset_scan(e->ps, &e->s, text, len, &e->a,
					true, &full, &err), COT_OK);
	assert_int_equal(fast.n, full.n);
	for (size_t i = 0; i < fast.n; i++) {
		assert_int_equal(fast.v[i].pattern, full.v[i].pattern);
		assert_int_equal(fast.v[i].off, full.v[i].off);
		assert_int_equal(fast.v[i].len, full.v[i].len);
		if (i)
			assert_true(fast.v[i - 1].off <= fast.v[i].off);
	}
	e->hits += fast.n;
}

static void equiv_trace(cot_result *res, size_t t, void *ctx)
{
	equiv *e = ctx;
	size_t len;
	const char *text = cot_result_reasoning(res, t, &len);

	same_hits(e, text ? text : "", len);
	e->traces++;
}

static void equiv_init(equiv *e, cot_analyzer **az,
		       const char *const *patterns)
{
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;

	o.patterns = patterns;
	*az = new_az(&o);
	memset(e, 0, sizeof *e);
	e->ps = (*az)->pset;
	assert_int_equal(cot__pscratch_init(e->ps, &e->s), COT_OK);
	cot__arena_init(&e->a);
}

static void equiv_fini(equiv *e, cot_analyzer *az)
{
	cot__pscratch_fini(&e->s);
	cot__arena_dispose(&e->a);
	cot_analyzer_free(az);
}

static void test_scan_prefilter_equals_full_corpus(void **state)
{
	cot_analyzer *az;
	cot_result *res;
	equiv e;
	cot_error err;

	(void)state;
	/* skip before anything is allocated: skip() does not return */
	if (!corpus_dir())
		skip_without_corpus();
	equiv_init(&e, &az, tricky);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	walk_corpus(res, equiv_trace, &e);
	print_message("%zu corpus traces, %zu hits: pre-filter == full scan\n",
		      e.traces, e.hits);
	assert_true(e.traces > 1500 && e.hits > 100000);
	cot_result_free(res);
	equiv_fini(&e, az);
}

/* The same on the fixtures. */
static void test_scan_prefilter_equals_full_fixtures(void **state)
{
	cot_analyzer *az;
	cot_result *res;
	equiv e;
	cot_error err;

	(void)state;
	equiv_init(&e, &az, tricky);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	walk_traces_in(data_dir(), res, equiv_trace, &e);
	print_message("%zu fixture traces, %zu hits: pre-filter == full "
		      "scan\n", e.traces, e.hits);
	assert_true(e.traces >= 90 && e.hits > 1000);
	cot_result_free(res);
	equiv_fini(&e, az);
}

static void random_rounds(const char *const *patterns, bool simd,
			  size_t min_hits)
{
	static const char *const pieces[] = {
		"wait", "Wait,", " ", " ", "\n", "\n\n", "but", "BUT",
		"button", "checking", "check", "re-check", "recheck", "let's",
		"let\xe2\x80\x99s", " go", "等等", "不对", "hmm", "hmmm",
		"等一下", "不对劲", "一下", "on second thought",
		"On Second Thoughts", "go over the steps again",
		"go over the steps agai", "go over the steps agaiN",
		"go over the steps gain",
		"so", "1.5", "=", "x", "y",
		"colour", "color", "an", "a", "verify", "verified", "$x$",
		"_", "\xc3\xa9", "Alternatively", "perhaps I should", "no,",
		"the answer is", "Therefore", "first, I", "first, I'll",
		"await", "-wait", "x-wait", "'tis", "x'tis", "sowait", "so",
		"hold",
		"2nd", "x2nd", "_tmp", "a_tmp", "The Answer Is", "é2nd",
		"wait a minute", "WAIT", "hold on", "Hold On", "hold onto",
		"\xc3\xa9", "\xc3\xa9wait", "wait\xc3\xa9", "hmmm", "\xce\xb1",
	};
	cot_analyzer *az;
	equiv e;
	uint64_t seed = 42;
	char buf[4096];

	equiv_init(&e, &az, patterns);
	assert_int_equal(e.ps->blocks_ok, simd);
	/* of the test's own patterns, "literal", "second" and "hmms" are
	 * lists of \b-bounded literals (so is "longlit"), "zhlit" and "zh" of Chinese
	 * ones; every other one has an anchor, an inline option, a
	 * phrase that begins another, a \b before a non-word character or
	 * inside, a quantifier... */
	for (size_t p = 0; p < e.ps->n; p++) {
		const char *name = e.ps->v[p].name;
		bool mine = false;

		for (const char *const *q = patterns; *q; q++)
			mine = mine || (!strncmp(*q, name, strlen(name)) &&
					(*q)[strlen(name)] == '=');
		if (mine && e.ps->v[p].literal !=
		    (!strcmp(name, "literal") || !strcmp(name, "second") ||
		     !strcmp(name, "hmms") || !strcmp(name, "zhlit") ||
		     !strcmp(name, "longlit") ||
		     !strcmp(name, "zh")))
			fail_msg("%s: literal is %d", name,
				 e.ps->v[p].literal);
	}
	for (int round = 0; round < 3000; round++) {
		size_t n = random_pieces(buf, pieces,
					 sizeof pieces / sizeof *pieces, 120,
					 &seed);

		same_hits(&e, buf, n);
	}
	assert_true(e.hits > min_hits);
	equiv_fini(&e, az);
}

static void test_scan_prefilter_equals_full_random(void **state)
{
	(void)state;
	random_rounds(tricky, false, 10000);
}

/* The same where the word starts are found 16 bytes at a time. */
static void test_scan_prefilter_equals_full_word_starts(void **state)
{
	(void)state;
	random_rounds(word_start_tricky, true, 5000);
}

/* Caseless matching folds U+212A KELVIN SIGN to k and U+017F to s; the
 * pre-filter (ASCII folding) hands such texts to full scans. */
static void test_pset_scan_kelvin_sign_matches_k(void **state)
{
	cot_analyzer *az;
	equiv e;
	const char *t = "I \xe2\x84\xaa" "eep it; keep";
	cot__hitlist h;
	cot_error err;
	size_t keep = SIZE_MAX;

	(void)state;
	equiv_init(&e, &az, tricky);
	for (size_t i = 0; i < e.ps->n; i++)
		if (!strcmp(e.ps->v[i].name, "keep"))
			keep = i;
	assert_int_not_equal(keep, SIZE_MAX);
	assert_int_equal(cot__pset_scan(e.ps, &e.s, t, strlen(t), &e.a, false,
					&h, &err), COT_OK);
	{
		size_t n = 0;

		for (size_t i = 0; i < h.n; i++)
			n += h.v[i].pattern == keep;
		assert_int_equal(n, 2);
	}
	equiv_fini(&e, az);
}

/* ---- built-in counts against the naive counter ---- */

typedef struct agree {
	size_t traces, hits;
} agree;

static void agree_trace(cot_result *res, size_t t, void *ctx)
{
	agree *ag = ctx;
	size_t len;
	const char *text = cot_result_reasoning(res, t, &len);

	for (const cot__lexeme *l = cot__lexicon; l->name; l++) {
		naive want = naive_count(l->phrases, text ? text : "", len);
		char name[128];

		snprintf(name, sizeof name, "patterns.%s.count", l->name);
		if ((size_t)get_int(res, t, name) != want.count)
			fail_msg("%s: %lld, naive %zu", l->name,
				 (long long)get_int(res, t, name), want.count);
		snprintf(name, sizeof name, "patterns.%s.first", l->name);
		assert_int_equal(get_int(res, t, name),
				 want.count ? (int64_t)want.first : -1);
		snprintf(name, sizeof name, "patterns.%s.last", l->name);
		assert_int_equal(get_int(res, t, name),
				 want.count ? (int64_t)want.last : -1);
		ag->hits += want.count;
	}
	/* families: the sum of their patterns */
	for (const cot__lexfamily *f = cot__lex_families; f->name; f++) {
		size_t sum = 0;
		char name[128];

		for (const cot__lexeme *l = cot__lexicon; l->name; l++)
			if (!strcmp(l->family, f->name)) {
				snprintf(name, sizeof name,
					 "patterns.%s.count", l->name);
				sum += (size_t)get_int(res, t, name);
			}
		snprintf(name, sizeof name, "families.%s.count", f->name);
		assert_int_equal(get_int(res, t, name), sum);
	}
	ag->traces++;
}

static void test_builtin_counts_naive_corpus(void **state)
{
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	agree ag = { 0, 0 };

	(void)state;
	if (!corpus_dir())
		skip_without_corpus();		/* before new_az: skip() does not return */
	az = new_az(NULL);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	walk_corpus(res, agree_trace, &ag);
	print_message("%zu corpus traces, %zu built-in matches agree with "
		      "the naive count\n", ag.traces, ag.hits);
	assert_true(ag.hits > 50000);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* The same on the fixtures, whose paragraphs open with the cue words. */
static void test_builtin_counts_naive_fixtures(void **state)
{
	cot_analyzer *az = new_az(NULL);
	cot_result *res;
	cot_error err;
	agree ag = { 0, 0 };

	(void)state;
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	walk_traces_in(data_dir(), res, agree_trace, &ag);
	print_message("%zu fixture traces, %zu built-in matches agree with "
		      "the naive count\n", ag.traces, ag.hits);
	assert_true(ag.hits > 500);
	cot_result_free(res);
	cot_analyzer_free(az);
}

static void test_builtin_counts_naive_handmade(void **state)
{
	static const char *const texts[] = {
		"Wait, wait. Wait! That's an aha moment I can flag here. "
		"Let's reevaluate this step-by-step: re-evaluate, recheck, "
		"rechecking, but BUT button; however the error was wrong.",
		"Hmm, let me check. Let\xe2\x80\x99s verify: 3+4=7. Let me "
		"double-check. Double check again? Let me try again. I made a "
		"mistake. Alternatively, perhaps I should work backwards from "
		"the target. Maybe I should. First, I'll set a subgoal.",
		"等等，不对。让我重新检查一下：验证答案。"
		"或者换个思路，我们倒推。"
		"嗯，原来如此，我明白了！所以答案是 5。首先，第一步。",
		"The answer is 42. So the answer is 42. Therefore thus hence. "
		"No, that's wrong. No. Hold on, on second thought... "
		"hmmm hmmmmm hm. Actually, a-ha! Eureka.",
		"checked checks rechecked rethinking reexamined re-examining "
		"try again; check again, think again, go over the steps.",
		"wait_not waiting awaited w\xc3\xa9wait wait\xc3\xa9 "
		"日本wait wait日本 (wait) \"wait\" wait",
	};
	cot_analyzer *az = new_az(NULL);
	cot_result *res;
	cot_error err;
	agree ag = { 0, 0 };

	(void)state;
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		assert_int_equal(cot_analyze_text(res, texts[i],
						  strlen(texts[i]), NULL, &err),
				 COT_OK);
		agree_trace(res, 0, &ag);
	}
	assert_true(ag.hits > 60);
	/* and a few counts by hand */
	assert_int_equal(
		cot_analyze_text(res, texts[5], strlen(texts[5]), NULL, &err),
		COT_OK);
	/* wait: "(wait)", "\"wait\"", the last; not waiting, wait_not,
	 * éwait, waité, 日本wait, wait日本 (letters either side) */
	assert_int_equal(get_int(res, 0, "patterns.r1_wait.count"), 3);
	assert_int_equal(
		cot_analyze_text(res, texts[2], strlen(texts[2]), NULL, &err),
		COT_OK);
	assert_int_equal(get_int(res, 0, "patterns.r1_zh.count"), 4);
	assert_int_equal(get_int(res, 0, "patterns.aha_zh.count"), 2);
	/* 等等, 不对, 或者, 换个思路, 嗯 */
	assert_int_equal(get_int(res, 0, "families.switch.count"), 5);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* ---- pattern fields ---- */

static void test_pattern_fields_positions_and_steps(void **state)
{
	const char *t = "Wait.\n\nOk.\n\nBut wait, hmm.\n";
	cot_analyzer *az = new_az(NULL);
	cot_result *res;
	cot_error err;
	cot_value v;
	long f;

	(void)state;
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_text(res, t, strlen(t), NULL, &err),
			 COT_OK);
	assert_int_equal(get_int(res, 0, "patterns.r1_wait.count"), 2);
	assert_int_equal(get_int(res, 0, "patterns.r1_wait.first"), 0);
	assert_int_equal(get_int(res, 0, "patterns.r1_wait.last"), 16);
	f = field_id(az, "patterns.r1_wait.steps");
	assert_int_equal(cot_result_get(&v, res, 0, f, NULL), COT_OK);
	assert_int_equal(v.type, COT_TYPE_JSON);
	assert_memory_equal(v.s, "[0,2]", 5);
	f = field_id(az, "patterns.r1_wait.last_rel");
	assert_int_equal(cot_result_get(&v, res, 0, f, NULL), COT_OK);
	assert_true(v.r > 16.0 / 27 - 1e-9 && v.r < 16.0 / 27 + 1e-9);
	/* 6 words: Wait. Ok. But wait, hmm. */
	f = field_id(az, "patterns.r1_wait.per_1k_words");
	assert_int_equal(cot_result_get(&v, res, 0, f, NULL), COT_OK);
	assert_true(v.r > 2000.0 / 5 - 1e-9 && v.r < 2000.0 / 5 + 1e-9);
	/* the switch family: "Wait" (switch_wait), "But wait", "hmm" */
	assert_int_equal(get_int(res, 0, "families.switch.count"), 3);
	f = field_id(az, "families.switch.steps");
	assert_int_equal(cot_result_get(&v, res, 0, f, NULL), COT_OK);
	assert_memory_equal(v.s, "[0,2]", 5);
	/* no match: nulls, an empty list, 0 per 1k words */
	assert_int_equal(get_int(res, 0, "patterns.aha.first"), -1);
	f = field_id(az, "patterns.aha.per_1k_words");
	assert_int_equal(cot_result_get(&v, res, 0, f, NULL), COT_OK);
	assert_int_equal(v.type, COT_TYPE_REAL);
	assert_true(v.r == 0);
	/* empty reasoning: density null */
	assert_int_equal(cot_analyze_text(res, "", 0, NULL, &err), COT_OK);
	f = field_id(az, "patterns.r1_wait.per_1k_words");
	assert_int_equal(cot_result_get(&v, res, 0, f, NULL), COT_OK);
	assert_int_equal(v.type, COT_TYPE_NULL);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* The registry of an analyzer with patterns: rows sharing a prefix
 * stand together, names are unique, JSON nests them. */
static void test_pattern_fields_registry_grouped(void **state)
{
	cot_analyzer *az = new_az(NULL);
	size_t n = cot_field_count(az);

	(void)state;
	assert_true(n > cot_field_count(NULL) + 7 * 50);
	for (size_t i = 1; i < n; i++) {
		const char *a = cot_field_at(az, i - 1)->name;
		const char *b = cot_field_at(az, i)->name;
		const char *da = strchr(a, '.'), *db = strchr(b, '.');

		assert_int_equal(field_id(az, b), (long)i);
		/* a top-level prefix, once left, never comes back */
		if (da && db && ((size_t)(da - a) != (size_t)(db - b) ||
				 strncmp(a, b, (size_t)(da - a))))
			for (size_t j = i + 1; j < n; j++) {
				const char *c = cot_field_at(az, j)->name;

				assert_false(!strncmp(c, a,
						      (size_t)(da - a) + 1));
			}
	}
	cot_analyzer_free(az);
}

/* ---- user patterns ---- */

static char *write_tmp(const char *data)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof path, "/tmp/cotlog-pat-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
	return path;
}

static int build(const char *file, const char *const *pats, int nobuiltin,
		 cot_error *err, cot_analyzer **out)
{
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;

	o.patterns_file = file;
	o.patterns = pats;
	o.no_builtin_patterns = nobuiltin;
	return cot_analyzer_new(out, &o, err);
}

static void test_patterns_file_adds_and_replaces(void **state)
{
	char *path = write_tmp("# my markers\n"
			       "\n"
			       "  dunno   doubt   \\bi don'?t know\\b  \r\n"
			       "r1_wait\tmine\t\\bwait(?:ing)?\\b\n"
			       "zh_wait doubt 等一等\n");
	const char *const pats[] = { "shout=WAIT", NULL };
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	const char *t = "Waiting... I dont know. wait! 等一等";
	size_t dunno = SIZE_MAX;

	(void)state;
	assert_int_equal(build(path, pats, 0, &err, &az), COT_OK);
	for (size_t i = 0; i < cot_pattern_count(az); i++) {
		const cot_pattern_info *p = cot_pattern_at(az, i);

		if (!strcmp(p->name, "dunno")) {
			dunno = i;
			assert_string_equal(p->family, "doubt");
			assert_string_equal(p->regex, "\\bi don'?t know\\b");
			assert_null(p->phrases);
			assert_false(p->full_scan);
			assert_non_null(strstr(p->source, ":3"));
		}
		if (!strcmp(p->name, "r1_wait")) {
			/* replaced, where it stood */
			assert_int_equal(i, 0);
			assert_string_equal(p->family, "mine");
		}
	}
	assert_int_not_equal(dunno, SIZE_MAX);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	assert_int_equal(cot_analyze_text(res, t, strlen(t), NULL, &err),
			 COT_OK);
	assert_int_equal(get_int(res, 0, "patterns.r1_wait.count"), 2);
	assert_int_equal(get_int(res, 0, "patterns.dunno.count"), 1);
	assert_int_equal(get_int(res, 0, "patterns.shout.count"), 2);
	assert_int_equal(get_int(res, 0, "families.doubt.count"), 2);
	assert_int_equal(get_int(res, 0, "families.user.count"), 2);
	assert_int_equal(get_int(res, 0, "families.r1_reflect.count"),
			 get_int(res, 0, "patterns.r1_but.count"));
	cot_result_free(res);
	cot_analyzer_free(az);
	unlink(path);
}

static void check_error(const char *file_text, const char *const *pats,
			int code, uint64_t line, uint64_t col,
			const char *needle)
{
	char *path = file_text ? write_tmp(file_text) : NULL;
	cot_analyzer *az = (cot_analyzer *)1;
	cot_error err;

	assert_int_equal(build(path, pats, 1, &err, &az), code);
	assert_null(az);
	assert_int_equal(err.code, code);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, col);
	if (!strstr(err.message, needle))
		fail_msg("message '%s' lacks '%s'", err.message, needle);
	if (path) {
		char where[128];

		snprintf(where, sizeof where, "%s:%llu:%llu:", path,
			 (unsigned long long)line, (unsigned long long)col);
		if (line && !strstr(err.message, where))
			fail_msg("message '%s' lacks '%s'", err.message,
				 where);
		unlink(path);
	}
}

static void test_patterns_errors_name_file_line_column(void **state)
{
	const char *const bad_opt[] = { "ok=fine", "bad=(un", NULL };
	const char *const no_eq[] = { "nothing", NULL };
	const char *const bad_name[] = { "a.b=x", NULL };
	const char *const twice[] = { "x=a", "x=b", NULL };

	(void)state;
	/* the regex starts at column 11; pcre2 stops at its end */
	check_error("good g ok\nbad fam   (?:open\n", NULL, COT_EPATTERN, 2,
		    18, "missing closing parenthesis");
	check_error("a-b fam x\n", NULL, COT_EPATTERN, 1, 2,
		    "letters, digits or underscores");
	check_error("name\n", NULL, COT_EPATTERN, 1, 5, "NAME FAMILY REGEX");
	check_error("name fam   \n", NULL, COT_EPATTERN, 1, 12, "no regex");
	check_error("x f a\n\n# c\nx f b\n", NULL, COT_EPATTERN, 4, 1,
		    "defined twice");
	check_error("ok f [a-\n", NULL, COT_EPATTERN, 1, 9,
		    "missing terminating ]");
	check_error(NULL, bad_opt, COT_EPATTERN, 0, 8,
		    "missing closing parenthesis");
	check_error(NULL, no_eq, COT_EPATTERN, 0, 8, "NAME=REGEX");
	check_error(NULL, bad_name, COT_EPATTERN, 0, 2, "letters");
	check_error(NULL, twice, COT_EPATTERN, 0, 1, "defined twice");
	{
		cot_analyzer *az;
		cot_error err;

		assert_int_equal(build("/nonexistent/pats.txt", NULL, 0, &err,
				       &az), COT_EIO);
		assert_non_null(strstr(err.message, "/nonexistent/pats.txt"));
	}
}

/* A regex that backtracks without end is stopped by the match limit and
 * reported with the record: never a silent "no match". */
static void test_match_limit_is_an_error_not_no_match(void **state)
{
	const char *const pats[] = { "boom=(?:a+)+$", NULL };
	cot_analyzer *az;
	cot_result *res;
	cot_error err;
	char text[4096];

	(void)state;
	assert_int_equal(build(NULL, pats, 1, &err, &az), COT_OK);
	assert_int_equal(cot_result_new(&res, az, &err), COT_OK);
	memset(text, 'a', sizeof text - 2);
	text[sizeof text - 2] = 'b';
	text[sizeof text - 1] = '\0';
	assert_int_equal(cot_analyze_text(res, text, strlen(text), NULL, &err),
			 COT_ELIMIT);
	assert_non_null(strstr(err.message, "boom"));
	assert_non_null(strstr(err.message, "limit"));
	assert_int_equal(cot_result_traces(res), 0);
	/* the result stays usable */
	assert_int_equal(cot_analyze_text(res, "aaa", 3, NULL, &err), COT_OK);
	assert_int_equal(get_int(res, 0, "patterns.boom.count"), 1);
	cot_result_free(res);
	cot_analyzer_free(az);
}

/* Every allocation can fail: the analyzer with user patterns is built
 * or COT_ENOMEM comes back, and nothing leaks (ASan checks). */
static void test_analyzer_new_out_of_memory_loop(void **state)
{
	char *path = write_tmp("a fam \\bwait\\b\nb fam 等等\n");
	const char *const pats[] = { "c=x+y", NULL };
	long n;

	(void)state;
	for (n = 0; n < 100000; n++) {
		cot_analyzer *az;
		cot_error err;
		int rc;

		cot__alloc_fail_after(n);
		/* without the built-ins: each round compiles every regex */
		rc = build(path, pats, 1, &err, &az);
		cot__alloc_fail_after(-1);
		if (rc == COT_OK) {
			cot_result *res;

			assert_int_equal(cot_result_new(&res, az, &err),
					 COT_OK);
			cot_result_free(res);
			cot_analyzer_free(az);
			break;
		}
		assert_int_equal(rc, COT_ENOMEM);
		assert_null(az);
	}
	assert_true(n > 100);
	unlink(path);
}

/* A pattern whose every attempt takes time in proportion to the rest
 * of the text (nested quantifiers, then a failing anchor) takes time in
 * the square of the text while each attempt stays under pcre2's limit:
 * the trace's budget stops it, with the pattern named, in a fraction of
 * a second; raised, the same text is counted right. */
static int analyze_waits(unsigned match_limit, size_t words,
			 cot_error *err, int64_t *count)
{
	const char *const pats[] = { "h=(wait\\s*)+$", NULL };
	cot_analyzer_options o = COT_ANALYZER_OPTIONS_INIT;
	cot_analyzer *az;
	cot_result *res;
	char *text = malloc(words * 5 + 2);
	int rc;

	assert_non_null(text);
	for (size_t i = 0; i < words; i++)
		memcpy(text + i * 5, "wait ", 5);
	memcpy(text + words * 5, ".", 2);
	o.patterns = pats;
	o.no_builtin_patterns = 1;
	o.match_limit = match_limit;
	assert_int_equal(cot_analyzer_new(&az, &o, err), COT_OK);
	assert_int_equal(cot_result_new(&res, az, err), COT_OK);
	rc = cot_analyze_text(res, text, words * 5 + 1, NULL, err);
	if (rc == COT_OK)
		*count = get_int(res, 0, "patterns.h.count");
	cot_result_free(res);
	cot_analyzer_free(az);
	free(text);
	return rc;
}

static void test_match_budget_per_trace(void **state)
{
	cot_error err;
	int64_t count = -1;
	clock_t t0 = clock();

	(void)state;
	/* 60 KB: minutes without the budget before */
	assert_int_equal(analyze_waits(0, 12000, &err, &count), COT_ELIMIT);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	assert_non_null(strstr(err.message, "pattern 'h'"));
	assert_non_null(strstr(err.message, "budget"));
	assert_non_null(strstr(err.message, "match-limit"));
	/* a small text, or a raised budget: no error, and no match */
	assert_int_equal(analyze_waits(0, 200, &err, &count), COT_OK);
	assert_int_equal(count, 0);
	assert_int_equal(analyze_waits(100000, 2000, &err, &count), COT_OK);
	assert_int_equal(count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phrase_regex_escapes_and_bounds),
		cmocka_unit_test(test_lexicon_every_builtin_has_a_prefix),
		cmocka_unit_test(test_regex_prefixes_cases),
		cmocka_unit_test(test_scan_prefilter_equals_full_corpus),
		cmocka_unit_test(test_scan_prefilter_equals_full_fixtures),
		cmocka_unit_test(test_scan_prefilter_equals_full_random),
		cmocka_unit_test(test_scan_prefilter_equals_full_word_starts),
		cmocka_unit_test(test_pset_scan_kelvin_sign_matches_k),
		cmocka_unit_test(test_builtin_counts_naive_corpus),
		cmocka_unit_test(test_builtin_counts_naive_fixtures),
		cmocka_unit_test(test_builtin_counts_naive_handmade),
		cmocka_unit_test(test_pattern_fields_positions_and_steps),
		cmocka_unit_test(test_pattern_fields_registry_grouped),
		cmocka_unit_test(test_patterns_file_adds_and_replaces),
		cmocka_unit_test(test_patterns_errors_name_file_line_column),
		cmocka_unit_test(test_match_limit_is_an_error_not_no_match),
		cmocka_unit_test(test_analyzer_new_out_of_memory_loop),
		cmocka_unit_test(test_match_budget_per_trace),
	};

	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C.utf8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
