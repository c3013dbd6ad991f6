/* utf8.h - what a character of UTF-8 text is: its length, white space. */
#ifndef COT_UTF8_H
#define COT_UTF8_H

#include <stdbool.h>
#include <stddef.h>

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

/* Length of the valid UTF-8 sequence at s[0..n) (n > 0), 0 when it is
 * not one: a stray continuation byte, a sequence cut short, an overlong
 * form, a surrogate or a code point past U+10FFFF (RFC 3629). */
size_t cot__utf8_len(const unsigned char *s, size_t n);

#endif
