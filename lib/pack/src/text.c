/*
 * text.c: checks on text from a pack's author. Pages must be valid UTF-8 (lib/text's
 * text_utf8_valid: no overlong forms, no surrogates, nothing past U+10FFFF); one-line
 * fields such as titles and names must also be free of C0 controls and DEL; ids are a
 * small ASCII alphabet so they are safe as file names, database keys and in policy
 * entities.
 */
#include <string.h>

#include "pack_int.h"
#include "text.h"

bool
pack__text_ok(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max || !text_utf8_valid(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

bool
pack__id_ok(const char *s, size_t max)
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
