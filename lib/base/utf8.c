/* utf8.c - characters of UTF-8 text: white space beyond ASCII, and the
 * decoder as the public API offers it. */
#include "base/internal.h"
#include "base/utf8.h"

_Static_assert(COT_UTF8_INVALID == COT__UTF8_BAD,
	       "the public and the internal invalid code point agree");

/* Byte length of the White_Space char (the list of `think.words`) at p[0..n), 0 when p
 * starts with anything else. Beyond ASCII the list is U+0085, U+00A0
 * (C2 xx), U+1680 (E1 9A 80), U+2000-200A, U+2028, U+2029, U+202F,
 * U+205F (E2 80 xx, E2 81 9F) and U+3000 (E3 80 80). */
size_t cot__space_wide(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0xc2)
		return p[1] == 0x85 || p[1] == 0xa0 ? 2 : 0;
	if (n < 3)
		return 0;
	switch (p[0]) {
	case 0xe1:
		return p[1] == 0x9a && p[2] == 0x80 ? 3 : 0;
	case 0xe2:
		if (p[1] == 0x80)
			return p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 ||
			       p[2] == 0xaf ? 3 : 0;
		return p[1] == 0x81 && p[2] == 0x9f ? 3 : 0;
	case 0xe3:
		return p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
	default:
		return 0;
	}
}

size_t cot_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	return cot__utf8_next((const unsigned char *)s, n, cp);
}
