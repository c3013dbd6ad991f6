/* test_pretok.c - the hand-written pre-tokenizers (lib/text/
 * pretok_scan.c) split exactly as the PCRE2 path does, for the Split
 * levels of DeepSeek-V3, Qwen3, Llama 3 and gpt-oss: on every string of
 * the corpus and of the fixtures, and on 100,000 generated hostile
 * texts (a fixed seed): characters of every general category, the
 * white space PCRE2 and Oniguruma read apart (U+180E), NBSP, U+0085,
 * U+FEFF, U+2028, CJK at the edges of DeepSeek's ranges, digit runs,
 * contractions in every case (and long s), long white space before
 * letters, CR/LF mixes, invalid UTF-8 (made U+FFFD as the tokenizer
 * does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "corpus.h"
#include "pretok_compare.h"

enum { GENERATED = 100000, CATEGORIES = 32 };

static cot__pretok pt[PCMP_SETS];
static cot__pretok_state st[PCMP_SETS];
static size_t compared, differ;

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < PCMP_SETS; i++)
		if (!pcmp_build(&pt[i], i) ||
		    cot__pretok_state_init(&st[i], &pt[i]))
			return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < PCMP_SETS; i++) {
		cot__pretok_state_dispose(&st[i]);
		cot__pretok_dispose(&pt[i]);
	}
	return 0;
}

/* Both paths on text[0..n) for every set; prints the first few
 * differences. */
static bool check(const char *text, size_t n)
{
	char *p;
	size_t k = pcmp_clean(text, n, &p);

	for (size_t i = 0; i < PCMP_SETS; i++) {
		compared++;
		if (!pcmp_same(&pt[i], &st[i], p, k,
			       differ < 5 ? pcmp_name[i] : NULL))
			differ++;
	}
	free(p);
	return true;
}

static void corpus(void **state)
{
	(void)state;
	compared = differ = 0;
	corpus_check_strings(check);
	printf("# corpus: %zu comparisons, %zu differ\n", compared, differ);
	assert_int_equal(differ, 0);
}

static void fixtures(void **state)
{
	(void)state;
	compared = differ = 0;
	dir_check_strings(data_dir(), check);
	assert_int_equal(differ, 0);
}

/* ---- generated texts ------------------------------------------------ */

static uint64_t rng = 0x2545f4914f6cdd1du;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % n);
}

/* Code points by general category (utf8proc's), to draw from. */
static uint32_t *bycat[CATEGORIES];
static size_t ncat[CATEGORIES];

static void categories(void)
{
	/* two passes: count, then fill (no realloc per code point, which
	 * ASan makes quadratic) */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t c = 0; c < CATEGORIES; c++) {
			if (pass) {
				bycat[c] = malloc((ncat[c] + 1) *
						  sizeof(uint32_t));
				assert_non_null(bycat[c]);
			}
			ncat[c] = 0;
		}
		for (uint32_t cp = 0; cp < 0x110000; cp++) {
			int c = utf8proc_category((utf8proc_int32_t)cp);

			if ((cp >= 0xd800 && cp < 0xe000) || c < 0 ||
			    c >= CATEGORIES)
				continue;
			if (pass)
				bycat[c][ncat[c]] = cp;
			ncat[c]++;
		}
	}
}

static const uint32_t special[] = {
	0x20, 0x20, 0x20, '\t', '\n', '\r', 0x0b, 0x0c, 0x85, 0xa0, 0x180e,
	0x1680, 0x2000, 0x200a, 0x200b, 0x2028, 0x2029, 0x202f, 0x205f,
	0x3000, 0xfeff, 0xad, 0x1c, 0x1f, '\'', 0x2019, 0x17f, 0x212a, '/',
	0x4e00, 0x4dff, 0x9fa5, 0x9fa6, 0x3040, 0x303f, 0x309f, 0x30a0,
	0x30ff, 0x3100, 0x3041, 0x30a2, 0x6f22, '0', '9', 0x660, 0xff10,
	0xb2, 0x2155, 0x2160, 0x1d7ce, 0x301, 0x903, 0x20dd, 0x1c5, 0x2b0,
	0x5d0, 0x1f600, 0xe000, 0x10ffff, 0x378, 0xfffd, 0x203f, 0xab,
	0xbb, 0xd7, 0x20ac, 0x2c2, 0xa9, '!', '.', ',', '-', '_', '`', '~',
	'<', '|', '\\', '"', 'a', 'Z', 0xe9, 0xc9, 0x3b1, 0x391, 0x430,
};

static const char *const fragment[] = {
	"'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'rE", "'ve", "'VE",
	"'m", "'M", "'ll", "'LL", "'Ll", "'lL", "'d", "'D", "'\xc5\xbf",
	"'x", "''", "'", "\r\n", "\n\n", " \n ", "\r\r\n", "\n\r", " \r",
	"   ", "\t\t", " \xc2\xa0", "\xe3\x80\x80", "//", "/\n", "...",
	"http://x.y/z", "don't", "I'M", "1234567", "3.14", "ABCdef",
	"DEFg'S", "\xcc\x81", "a\xcc\x81", "\xe1\xa0\x8e", "\xef\xbb\xbf",
	"\xe2\x80\xa8", "\xc2\x85", "\xff", "\xc0\x80", "\xed\xa0\x80",
	"\xf4\x90\x80\x80", "\xe4\xb8", "\xf0\x9f\x98", "\x80\x80",
};

static void add_cp(char *buf, size_t *n, uint32_t cp)
{
	*n += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
					   (utf8proc_uint8_t *)buf + *n);
}

/* One hostile text into buf (room for 4096 bytes): its length. */
static size_t generate(char *buf)
{
	size_t n = 0, parts = 1 + rnd(24);

	for (size_t k = 0; k < parts && n < 3900; k++) {
		uint32_t what = rnd(10), c;

		switch (what) {
		case 0:
		case 1:		/* any category */
			c = rnd(CATEGORIES);
			if (ncat[c])
				add_cp(buf, &n, bycat[c][rnd((uint32_t)
							   ncat[c])]);
			break;
		case 2:
		case 3:
			add_cp(buf, &n, special[rnd(sizeof special /
						    sizeof *special)]);
			break;
		case 4: {
			const char *f = fragment[rnd(sizeof fragment /
						     sizeof *fragment)];

			memcpy(buf + n, f, strlen(f));
			n += strlen(f);
			break;
		}
		case 5:		/* a run of one white space or digit */
			c = rnd(2) ? special[rnd(20)] : '0' + rnd(10);
			for (uint32_t r = 1 + rnd(40); r--;)
				add_cp(buf, &n, c);
			break;
		case 6:		/* mixed white space */
			for (uint32_t r = 1 + rnd(12); r--;)
				add_cp(buf, &n, special[rnd(20)]);
			break;
		case 7:		/* ASCII words */
			for (uint32_t r = 1 + rnd(8); r--;)
				buf[n++] = (char)(rnd(3) ? 'a' + rnd(26) :
						  'A' + rnd(26));
			break;
		case 8:		/* any code point at all */
			c = rnd(0x110000);
			add_cp(buf, &n, c >= 0xd800 && c < 0xe000 ? 0xfffd : c);
			break;
		default:	/* any byte */
			buf[n++] = (char)rnd(256);
			break;
		}
	}
	return n;
}

static void generated(void **state)
{
	char buf[4096];

	(void)state;
	categories();
	compared = differ = 0;
	for (size_t i = 0; i < GENERATED; i++)
		check(buf, generate(buf));
	printf("# generated: %d texts, %zu comparisons, %zu differ\n",
	       GENERATED, compared, differ);
	for (size_t c = 0; c < CATEGORIES; c++)
		free(bycat[c]);
	assert_int_equal(differ, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixtures),
		cmocka_unit_test(generated),
		cmocka_unit_test(corpus),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
