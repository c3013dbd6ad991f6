/* utf8.h - characters of UTF-8 text: the decoder, white space. */
#ifndef COT_UTF8_H
#define COT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Byte length of the White_Space character (White_Space of
 * Unicode's PropList.txt, the list of `think.words`) at p[0..n), or
 * 0 when p starts with anything else. ASCII inline (the splitters ask
 * at every byte they trim), the rest in utf8.c. */
size_t cot__space_wide(const unsigned char *p, size_t n);

static inline bool cot__ascii_space(unsigned char c)
{
	return c == ' ' || (unsigned char)(c - '\t') <= '\r' - '\t';
}

static inline size_t cot__space_len(const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return cot__ascii_space(p[0]);
	return cot__space_wide(p, n);
}

/* What cot__utf8_next gives for bytes that are no character. */
#define COT__UTF8_BAD 0xffffffffu

/* The one UTF-8 decoder. The character at s[0..n) (n > 0): its length,
 * with its code point in *cp; or, where s does not start a valid
 * sequence (a stray continuation byte, a sequence cut short, an
 * overlong form, a surrogate or a code point past U+10FFFF: RFC 3629,
 * the second byte's range deciding as in table 3-7 of the Unicode
 * standard), *cp = COT__UTF8_BAD and the length of the maximal
 * ill-formed subpart, which one U+FFFD stands for (Unicode's
 * "substitution of maximal subparts", Python's errors="replace").
 * Inline: the JSON scanner and the word splitter call it at every byte
 * that is not ASCII. */
static inline size_t cot__utf8_next(const unsigned char *s, size_t n,
				    uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	uint32_t v;
	size_t k;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	*cp = COT__UTF8_BAD;
	if (c < 0xc2 || c > 0xf4)
		return 1;
	k = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	v = c & (0x7f >> k);
	for (size_t i = 1; i < k; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i;
		v = v << 6 | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return k;
}

/* The length of the valid sequence at s[0..n) (n > 0) with its code
 * point in *cp; 0 (*cp untouched) when it is not one. */
static inline size_t cot__utf8_decode(const unsigned char *s, size_t n,
				      uint32_t *cp)
{
	uint32_t v;
	size_t k = cot__utf8_next(s, n, &v);

	if (v == COT__UTF8_BAD)
		return 0;
	*cp = v;
	return k;
}

/* The length of the valid sequence at s[0..n) (n > 0), 0 when it is
 * not one. */
static inline size_t cot__utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;

	return cot__utf8_decode(s, n, &cp);
}

#endif
