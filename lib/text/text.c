/*
 * text.c: UTF-8 validity and the one-line rule (see text.h). The decoder takes the lead
 * bytes RFC 3629 allows and then checks the value, so overlong forms (C0, C1, E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and values past U+10FFFF (F4 90.., F5..FF) all fail.
 */
#include "text.h"

#include <stdint.h>
#include <string.h>

bool
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t need;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			need = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (len - i - 1 < need)
			return false;
		for (size_t k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

bool
text_line_valid(const char *s, size_t max)
{
	size_t len = s ? strlen(s) : 0;

	if (len == 0 || len > max || !text_utf8_valid(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* In valid UTF-8 the C1 controls U+0080..U+009F are exactly C2 80..C2 9F. */
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0))
			return false;
	}
	return true;
}
