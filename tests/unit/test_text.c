/* test_text.c - cot__text_count and cot__text_boxed (SPEC 3). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "util.h"
#include "text/text.h"

/* ---- the reference counter: decode every code point, then classify it
 * against SPEC 3's list, written out here a second time ---- */

static const uint32_t spaces[] = {
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680,
	0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
	0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
};
enum { NSPACES = sizeof spaces / sizeof *spaces };

static bool ref_is_space(uint32_t cp)
{
	size_t i;

	for (i = 0; i < NSPACES; i++)
		if (spaces[i] == cp)
			return true;
	return false;
}

/* Decodes valid UTF-8 only; returns the number of code points. */
static size_t decode(const char *t, size_t len, uint32_t *cps)
{
	const unsigned char *s = (const unsigned char *)t;
	size_t i = 0, n = 0;

	while (i < len) {
		uint32_t cp;
		int k;

		if (s[i] < 0x80) {
			cp = s[i];
			k = 0;
		} else if (s[i] < 0xe0) {
			cp = s[i] & 0x1f;
			k = 1;
		} else if (s[i] < 0xf0) {
			cp = s[i] & 0x0f;
			k = 2;
		} else {
			cp = s[i] & 0x07;
			k = 3;
		}
		i++;
		while (k-- > 0)
			cp = cp << 6 | (s[i++] & 0x3f);
		cps[n++] = cp;
	}
	return n;
}

static void ref_count(const char *t, size_t len, cot__counts *c)
{
	uint32_t *cps = malloc((len + 1) * sizeof *cps);
	size_t n, i, line_start;
	bool prev_blank = true;

	assert_non_null(cps);
	n = decode(t, len, cps);
	c->bytes = len;
	c->chars = n;
	c->words = 0;
	for (i = 0; i < n; i++)
		if (!ref_is_space(cps[i]) &&
		    (i == 0 || ref_is_space(cps[i - 1])))
			c->words++;
	/* split into lines at LF; count runs of non-blank lines */
	c->steps = 0;
	line_start = 0;
	for (i = 0; i <= n; i++) {
		if (i == n || cps[i] == '\n') {
			bool blank = true;
			size_t j;

			for (j = line_start; j < i; j++)
				if (!ref_is_space(cps[j]))
					blank = false;
			if (!blank && prev_blank)
				c->steps++;
			prev_blank = blank;
			line_start = i + 1;
		}
	}
	free(cps);
}

static void check_counts_len(const char *text, size_t len)
{
	cot__counts got, want;
	char *t = malloc(len ? len : 1);	/* exact size, for ASan */

	assert_non_null(t);
	memcpy(t, text, len);
	memset(&got, 0xa5, sizeof got);
	cot__text_count(t, len, &got);
	ref_count(t, len, &want);
	if (got.bytes != want.bytes || got.chars != want.chars ||
	    got.words != want.words || got.steps != want.steps) {
		size_t i;

		print_error("counts differ on %zu bytes:", len);
		for (i = 0; i < len && i < 200; i++)
			print_error(" %02x", (unsigned char)t[i]);
		print_error("\ngot %llu/%llu/%llu/%llu want %llu/%llu/%llu/"
			    "%llu (bytes/chars/words/steps)\n",
			    (unsigned long long)got.bytes,
			    (unsigned long long)got.chars,
			    (unsigned long long)got.words,
			    (unsigned long long)got.steps,
			    (unsigned long long)want.bytes,
			    (unsigned long long)want.chars,
			    (unsigned long long)want.words,
			    (unsigned long long)want.steps);
		fail();
	}
	free(t);
}

static void check_counts(const char *t)
{
	check_counts_len(t, strlen(t));
}

static size_t encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void expect_counts(const char *t, size_t len, uint64_t chars,
			  uint64_t words, uint64_t steps)
{
	cot__counts c;

	cot__text_count(t, len, &c);
	assert_int_equal(c.bytes, len);
	assert_int_equal(c.chars, chars);
	assert_int_equal(c.words, words);
	assert_int_equal(c.steps, steps);
}

#define EXPECT(lit, ch, w, st) expect_counts(lit, sizeof lit - 1, ch, w, st)

static void test_text_count_empty(void **state)
{
	(void)state;
	EXPECT("", 0, 0, 0);
	EXPECT(" ", 1, 0, 0);
	EXPECT("\n\n", 2, 0, 0);
	EXPECT("\r\n\t\v\f ", 6, 0, 0);
}

static void test_text_count_steps_are_paragraphs(void **state)
{
	(void)state;
	EXPECT("a\n\nb", 4, 2, 2);
	EXPECT("a\nb", 3, 2, 1);
	EXPECT("\n\n", 2, 0, 0);
	EXPECT("a\n \xe3\x80\x80\nb", 6, 2, 2);
	EXPECT("a\r\n\r\nb", 6, 2, 2);
	EXPECT("a\n\xc2\xa0\nb", 5, 2, 2);
	EXPECT("\n\na\n\n\n\nb\nc\n\n", 12, 3, 2);
	/* U+2028/2029 and CR, VT, FF do not end a line, only LF does */
	EXPECT("a\xe2\x80\xa9\xe2\x80\xa9" "b", 4, 2, 1);
	EXPECT("a\r\rb", 4, 2, 1);
	EXPECT("one line only", 13, 3, 1);
	/* a long ASCII paragraph, then a blank line of spaces */
	EXPECT("first paragraph, long enough for words\n        \n"
	       "second one\n", 59, 8, 2);
}

static void test_text_count_every_space_char_separates_words(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NSPACES; i++) {
		char buf[16];
		size_t n = 0;

		buf[n++] = 'a';
		n += encode(spaces[i], buf + n);
		buf[n++] = 'b';
		expect_counts(buf, n, 3, 2, 1);
		check_counts_len(buf, n);
	}
}

/* Neighbours of the list that are not White_Space (U+200B, U+180E and
 * U+FEFF are common in model output and are not white space). */
static void test_text_count_near_spaces_are_ink(void **state)
{
	static const uint32_t ink[] = {
		0x08, 0x0e, 0x1f, 0x21, 0x84, 0x86, 0x9f, 0xa1, 0x167f,
		0x1681, 0x180e, 0x1fff, 0x200b, 0x200c, 0x2027, 0x202a,
		0x202e, 0x2030, 0x205e, 0x2060, 0x2fff, 0x3001, 0xfeff,
		0x1f600,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ink / sizeof *ink; i++) {
		char buf[16];
		size_t n = 0;

		buf[n++] = 'a';
		n += encode(ink[i], buf + n);
		buf[n++] = 'b';
		expect_counts(buf, n, 3, 1, 1);
	}
}

static void test_text_count_nul_and_multibyte(void **state)
{
	(void)state;
	EXPECT("a\0b c", 5, 2, 1);
	EXPECT("\0", 1, 1, 1);
	/* CJK has no spaces: one word */
	EXPECT("\xe6\x80\x9d\xe8\x80\x83 \xf0\x9f\x98\x80!", 5, 2, 1);
	EXPECT("\xe3\x80\x80\xe6\x97\xa5\xe3\x80\x80", 3, 1, 1);
}

/* The 8-byte fast path: word and line state must carry across chunk
 * edges at every alignment. */
static void test_text_count_ascii_chunk_edges(void **state)
{
	static const char base[] = "ab cd\tefgh ijklmnop\n\nqr  s\x0bt\n"
				   "uvwxyz0123456789 \n x\n";
	char buf[256];
	size_t pre, cut;

	(void)state;
	for (pre = 0; pre < 16; pre++) {
		memset(buf, 'z', pre);
		memcpy(buf + pre, base, sizeof base - 1);
		for (cut = 0; cut <= pre + sizeof base - 1; cut++)
			check_counts_len(buf, cut);
		memset(buf, ' ', pre);
		for (cut = 0; cut <= pre + sizeof base - 1; cut++)
			check_counts_len(buf, cut);
	}
	check_counts("                                                a");
	check_counts("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	check_counts("aaaaaaa\xc2\xa0" "bbbbbbbbbbbbbbbbbbbbbbbb\xc2\x85x");
}

/* A wide char (space or not) at every offset of a long ASCII text, so
 * that it falls on each byte of a block and across block edges. */
static void test_text_count_wide_chars_at_every_offset(void **state)
{
	static const uint32_t wide[] = { 0x85, 0xa0, 0x1680, 0x2000, 0x200a,
		0x2028, 0x202f, 0x205f, 0x3000, 0xe9, 0x2019, 0x2014, 0x1f600,
		0x3001, 0x9a80, 0x2060 };
	static const char *const fill[] = { "abcdefgh", "a b\nc d ",
		"        ", "\n\n  \n\n\t\n" };	/* 8 bytes each */
	char buf[256];
	enum { NW = sizeof wide / sizeof *wide };
	size_t w, f, off, len, k;

	(void)state;
	for (w = 0; w < NW; w++) {
		for (f = 0; f < sizeof fill / sizeof *fill; f++) {
			for (off = 0; off < 80; off++) {
				for (k = 0; k < off; k++)
					buf[k] = fill[f][k % 8];
				len = off + encode(wide[w], buf + off);
				for (k = 0; k < 70; k++)
					buf[len++] = fill[f][(k + 3) % 8];
				check_counts_len(buf, len);
				/* and a second wide char right after */
				len = off + encode(wide[w], buf + off);
				len += encode(wide[(w + 1) % NW], buf + len);
				buf[len++] = 'x';
				check_counts_len(buf, len);
			}
		}
	}
}

static uint64_t rng_state = 0x2545f4914f6cdd1du;

static uint32_t rnd(uint32_t n)
{
	return xorshift_below(&rng_state, n);
}

/* A code point from a mix that stresses the classifier: ASCII text,
 * every White_Space char, their non-space neighbours, CJK, emoji, NUL,
 * CR and LF. 'ascii' (0..100) biases toward the ASCII fast path. */
static uint32_t random_cp(uint32_t ascii)
{
	static const uint32_t odd[] = { 0x0, 0x0d, 0x0a, 0x0a, 0x85, 0xa0,
		0x200b, 0x180e, 0xfeff, 0x2060, 0x3001, 0x25c1, 0xe9,
		0x1f600, 0x1f9e0, 0x10ffff, 0x7ff, 0x800, 0xffff };

	if (rnd(100) < ascii) {
		uint32_t r = rnd(10);

		if (r < 6)
			return 'a' + rnd(26);
		if (r < 8)
			return ' ';
		return r == 8 ? '\n' : 0x09 + rnd(5);
	}
	switch (rnd(4)) {
	case 0:
		return spaces[rnd(NSPACES)];
	case 1:
		return odd[rnd(sizeof odd / sizeof *odd)];
	case 2:
		return 0x4e00 + rnd(0x5000);
	default:
		return 0x1f300 + rnd(0x300);
	}
}

static void test_text_count_matches_reference_random(void **state)
{
	enum { ROUNDS = 150000 };
	char buf[1024];
	int r;

	(void)state;
	for (r = 0; r < ROUNDS; r++) {
		uint32_t ascii = rnd(4) == 0 ? 100 : rnd(101);
		uint32_t n = rnd(120), i;
		size_t len = 0;

		for (i = 0; i < n; i++)
			len += encode(random_cp(ascii), buf + len);
		check_counts_len(buf, len);
	}
}

/* ---- corpus: every string value of every record ---- */

/* Empty strings are left out of the count: there is nothing to count
 * in them. */
static bool check_corpus_string(const char *t, size_t len)
{
	if (len == 0)
		return false;
	check_counts_len(t, len);
	return true;
}

static void test_text_count_matches_reference_corpus(void **state)
{
	(void)state;
	corpus_check_strings(check_corpus_string);
}

/* The same on every string of the fixtures (tests/data). */
static void test_text_count_matches_reference_fixtures(void **state)
{
	(void)state;
	dir_check_strings(data_dir(), check_corpus_string);
}

/* ---- \boxed ---- */

/* Copies t to a buffer of exactly len bytes, so that ASan reports any
 * read past the end (a literal's NUL would hide it). */
static char *exact_copy(const char *t, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, t, len);
	return p;
}

static void expect_box_len(const char *text, size_t len, const char *want)
{
	cot__span sp = { 12345, 6789 };
	char *t = exact_copy(text, len);
	bool found = cot__text_boxed(t, len, &sp);

	if (!want) {
		if (found) {
			print_error("\"%s\": found \"%.*s\", want none\n",
				    text, (int)sp.len, t + sp.off);
			fail();
		}
		free(t);
		return;
	}
	if (!found || sp.off > len || sp.len > len - sp.off ||
	    sp.len != strlen(want) || memcmp(t + sp.off, want, sp.len)) {
		print_error("\"%s\": found %d off %zu len %zu, want \"%s\"\n",
			    text, found, sp.off, sp.len, want);
		fail();
	}
	free(t);
}

static void expect_box(const char *t, const char *want)
{
	expect_box_len(t, strlen(t), want);
}

static void test_text_boxed_simple(void **state)
{
	(void)state;
	expect_box("The answer is $\\boxed{42}$.", "42");
	expect_box("\\boxed{x}", "x");
	expect_box("\\boxed{\\frac{1}{2}}", "\\frac{1}{2}");
	expect_box("\\boxed{1} then \\boxed{2}", "2");
	expect_box("\\boxed{1} then \\fbox{2} and text", "2");
}

static void test_text_boxed_nested_inner_starts_last(void **state)
{
	(void)state;
	expect_box("\\boxed{a \\boxed{b}}", "b");
	expect_box("\\boxed{a \\fbox{b} c}", "b");
	expect_box("\\boxed{\\text{x} = {y}}", "\\text{x} = {y}");
}

static void test_text_boxed_space_before_brace(void **state)
{
	(void)state;
	expect_box("\\boxed {7}", "7");
	expect_box("\\boxed  \t\n{7}", "7");
	expect_box("\\boxed\xc2\xa0{7}", "7");
	expect_box("\\boxed\xe3\x80\x80{7}", "7");
	expect_box("\\fbox\xe2\x80\xaf{7}", "7");
	/* something else between command and brace: not a box */
	expect_box("\\boxed x{7}", NULL);
	expect_box("\\boxed\xe2\x80\x8b{7}", NULL);	/* U+200B */
}

static void test_text_boxed_fbox(void **state)
{
	(void)state;
	expect_box("\\fbox{A}", "A");
	expect_box("\\boxed{A} \\fbox{B}", "B");
	expect_box("\\fbox{A} \\boxed{B}", "B");
}

static void test_text_boxed_unbalanced_last_falls_back(void **state)
{
	(void)state;
	expect_box("\\boxed{1} and \\boxed{2", "1");
	expect_box("\\boxed{1} and \\boxed{2 {3}", "1");
	expect_box("\\boxed{1} \\boxed{2} \\boxed{\\frac{3}{", "2");
	expect_box("\\boxed{\\boxed{3}", "3");
	expect_box("\\boxed{1} } \\boxed{2", "1");
	expect_box("\\boxed{", NULL);
	expect_box("\\boxed{{}", NULL);
	/* a stray '}' before a box does not matter */
	expect_box("} \\boxed{2}", "2");
}

static void test_text_boxed_none(void **state)
{
	(void)state;
	expect_box("", NULL);
	expect_box("no box here {1}", NULL);
	expect_box("\\boxedx{5}", NULL);
	expect_box("\\boxed_{5}", NULL);
	expect_box("\\box{5}", NULL);
	expect_box("\\fboxed{5}", NULL);
	expect_box("boxed{5}", NULL);
	expect_box("\\Boxed{5}", NULL);
}

static void test_text_boxed_at_very_end(void **state)
{
	(void)state;
	expect_box("answer \\boxed", NULL);
	expect_box("answer \\fbox", NULL);
	expect_box("answer \\boxed ", NULL);
	expect_box("answer \\", NULL);
	expect_box("answer \\boxe", NULL);
	expect_box("answer \\fbo", NULL);
	expect_box("\\boxed{1} \\boxed", "1");
	expect_box("\\boxed{1} \\boxed  ", "1");
	expect_box("\\boxed{1} \\box", "1");
	expect_box("\\boxed{9}", "9");
	/* the length, not a NUL, ends the text */
	expect_box_len("\\boxed{1} \\boxed{2}", 18, "1");
	expect_box_len("\\boxed{1}", 8, NULL);
}

/* \{ and \} are literal braces: they do not open or close a group. */
static void test_text_boxed_escaped_braces(void **state)
{
	(void)state;
	expect_box("\\boxed{\\{1,2\\}}", "\\{1,2\\}");
	expect_box("\\boxed{a\\}}", "a\\}");
	expect_box("\\boxed{1} \\boxed{a\\}", "1");
	expect_box("\\boxed{\\{}", "\\{");
	/* \\ is a line break: the brace after it counts */
	expect_box("\\boxed{x\\\\}", "x\\\\");
	expect_box("\\boxed{x\\\\{}", NULL);
	/* an over-escaped \\boxed still counts */
	expect_box("\\\\boxed{7}", "7");
}

static void test_text_boxed_multibyte_content(void **state)
{
	(void)state;
	/* "answer: \boxed{pi ~ 3.14}" with the CJK colon, pi, approx */
	expect_box("\xe7\xad\x94\xef\xbc\x9a"
		   "\\boxed{\xcf\x80 \xe2\x89\x88 3.14}",
		   "\xcf\x80 \xe2\x89\x88 3.14");
	expect_box("\\boxed{\xf0\x9f\x98\x80}\xe6\x97\xa5",
		   "\xf0\x9f\x98\x80");
}

static void test_text_boxed_nul_in_content(void **state)
{
	static const char t[] = "x\\boxed{a\0b}";
	cot__span sp;

	(void)state;
	assert_true(cot__text_boxed(t, sizeof t - 1, &sp));
	assert_int_equal(sp.off, 8);
	assert_int_equal(sp.len, 3);
	assert_memory_equal(t + 8, "a\0b", 3);
}

static void test_text_boxed_empty_content_is_a_box(void **state)
{
	cot__span sp = { 0, 99 };

	(void)state;
	assert_true(cot__text_boxed("\\boxed{}", 8, &sp));
	assert_int_equal(sp.off, 7);
	assert_int_equal(sp.len, 0);
	expect_box("\\boxed{1} \\boxed{}", "");
	expect_box("\\fbox{}", "");
}

/* A naive reference: every candidate, last first, scanned to the end. */
static bool ref_boxed(const char *t, size_t len, cot__span *out)
{
	size_t i = len;

	while (i-- > 0) {
		size_t j, depth = 1;

		if (t[i] != '\\')
			continue;
		if (len - i >= 6 && !memcmp(t + i, "\\boxed", 6))
			j = i + 6;
		else if (len - i >= 5 && !memcmp(t + i, "\\fbox", 5))
			j = i + 5;
		else
			continue;
		while (j < len) {
			uint32_t cp;
			size_t k;

			if (t[j] == '{')
				break;
			/* decode one char and look it up */
			if ((unsigned char)t[j] < 0x80) {
				k = 1;
			} else {
				k = (unsigned char)t[j] < 0xe0 ? 2 :
				    (unsigned char)t[j] < 0xf0 ? 3 : 4;
				if (k > len - j)
					break;
			}
			decode(t + j, k, &cp);
			if (!ref_is_space(cp))
				break;
			j += k;
		}
		if (j >= len || t[j] != '{')
			continue;
		for (j = j + 1; j < len; j++) {
			if (t[j] == '\\')
				j++;
			else if (t[j] == '{')
				depth++;
			else if (t[j] == '}' && --depth == 0)
				break;
		}
		if (j < len && depth == 0) {
			size_t open = i;

			while (t[open] != '{')
				open++;
			out->off = open + 1;
			out->len = j - open - 1;
			return true;
		}
	}
	return false;
}

static void test_text_boxed_matches_reference_random(void **state)
{
	static const char *const pieces[] = {
		"\\boxed", "\\fbox", "\\boxed{", "{", "}", "{", "}", "\\",
		"\\{", "\\}", "\\\\", " ", "\n", "\xe3\x80\x80", "\xc2\xa0",
		"a", "xy", "\\box", "\\boxedx", "\xe2\x80\x8b",
	};
	enum { NP = sizeof pieces / sizeof *pieces, ROUNDS = 100000 };
	char buf[1024];
	int r;

	(void)state;
	for (r = 0; r < ROUNDS; r++) {
		size_t len = random_pieces(buf, pieces, NP, 24, &rng_state);
		cot__span got = { 0, 0 }, want = { 0, 0 };
		char *t;
		bool g, w;

		t = exact_copy(buf, len);
		g = cot__text_boxed(t, len, &got);
		free(t);
		w = ref_boxed(buf, len, &want);
		if (g != w || (g && (got.off != want.off ||
				     got.len != want.len))) {
			print_error("boxed differs on \"%.*s\": got %d %zu+%zu"
				    " want %d %zu+%zu\n", (int)len, buf, g,
				    got.off, got.len, w, want.off, want.len);
			fail();
		}
	}
}

/* Many unclosed boxes must not make the search quadratic: this text
 * would take minutes if each candidate were scanned to the end. */
static void test_text_boxed_many_unclosed_is_linear(void **state)
{
	enum { N = 200000 };
	static const char head[] = "\\boxed{ok} ";
	size_t len = sizeof head - 1 + N * 7, i;
	char *t = malloc(len);
	cot__span sp;

	(void)state;
	assert_non_null(t);
	memcpy(t, head, sizeof head - 1);
	for (i = 0; i < N; i++)
		memcpy(t + sizeof head - 1 + i * 7, "\\boxed{", 7);
	assert_true(cot__text_boxed(t, len, &sp));
	assert_int_equal(sp.off, 7);
	assert_int_equal(sp.len, 2);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_count_empty),
		cmocka_unit_test(test_text_count_steps_are_paragraphs),
		cmocka_unit_test(
			test_text_count_every_space_char_separates_words),
		cmocka_unit_test(test_text_count_near_spaces_are_ink),
		cmocka_unit_test(test_text_count_nul_and_multibyte),
		cmocka_unit_test(test_text_count_ascii_chunk_edges),
		cmocka_unit_test(test_text_count_wide_chars_at_every_offset),
		cmocka_unit_test(test_text_count_matches_reference_random),
		cmocka_unit_test(test_text_count_matches_reference_corpus),
		cmocka_unit_test(test_text_count_matches_reference_fixtures),
		cmocka_unit_test(test_text_boxed_simple),
		cmocka_unit_test(test_text_boxed_nested_inner_starts_last),
		cmocka_unit_test(test_text_boxed_space_before_brace),
		cmocka_unit_test(test_text_boxed_fbox),
		cmocka_unit_test(test_text_boxed_unbalanced_last_falls_back),
		cmocka_unit_test(test_text_boxed_none),
		cmocka_unit_test(test_text_boxed_at_very_end),
		cmocka_unit_test(test_text_boxed_escaped_braces),
		cmocka_unit_test(test_text_boxed_multibyte_content),
		cmocka_unit_test(test_text_boxed_nul_in_content),
		cmocka_unit_test(test_text_boxed_empty_content_is_a_box),
		cmocka_unit_test(test_text_boxed_matches_reference_random),
		cmocka_unit_test(test_text_boxed_many_unclosed_is_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
