/*
 * text.c: checks on text from a pack's author. Pages must be valid UTF-8 (lib/text's
 * text_utf8_valid: no overlong forms, no surrogates, nothing past U+10FFFF). One-line
 * fields such as titles, names, prompts and options follow lib/text's one-line rule
 * (text_line_problem: no C0, DEL or C1 control such as U+009B, the terminal's CSI, no
 * text-direction control such as U+202E, no line or paragraph separator). The problem is put in
 * words with the code point, never by echoing the text: the message itself goes to staff terminals.
 * Ids are a small ASCII alphabet so they are safe as file names, database keys and in policy
 * entities.
 */
#include <stdio.h>
#include <string.h>

#include "pack_int.h"
#include "text.h"

const char *
pack__text_problem(const char *s, size_t max, char buf[PACK_TEXT_PROBLEM_MAX])
{
	return text_line_problem(s, max, buf);
}

bool
pack__text_ok(const char *s, size_t max)
{
	char buf[PACK_TEXT_PROBLEM_MAX];

	return pack__text_problem(s, max, buf) == NULL;
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
