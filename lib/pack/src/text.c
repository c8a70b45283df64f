/*
 * text.c: checks on text from a pack's author. Pages must be valid UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF); one-line fields such as titles
 * and names must also be free of control characters; ids are a small ASCII alphabet so they
 * are safe as file names, database keys and in policy entities.
 */
#include <string.h>

#include "pack_int.h"

bool
pack_utf8_valid(const void *data, size_t len)
{
	const uint8_t *s = data;
	size_t i = 0;

	while (i < len) {
		uint8_t c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (len - i - 1 < n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

bool
pack_text_ok(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max || !pack_utf8_valid(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

bool
pack_id_ok(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '-' && c != '.')))
			return false;
	}
	return true;
}
