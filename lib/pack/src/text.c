/*
 * text.c: checks on text from a pack's author. Pages must be valid UTF-8 (lib/text's
 * text_utf8_valid: no overlong forms, no surrogates, nothing past U+10FFFF). One-line
 * fields such as titles, names, prompts and options follow lib/text's one-line rule
 * (text_line_valid: no C0, DEL or C1 control such as U+009B, the terminal's CSI) and also
 * hold no text-direction control (U+202E and its kin reorder what a staff terminal or a
 * learner's screen shows, so "gnp.exe" can read as "exe.png") and no line or paragraph
 * separator. The problem is put in words with the code point, never by echoing the text:
 * the message itself goes to staff terminals. Ids are a small ASCII alphabet so they are
 * safe as file names, database keys and in policy entities.
 */
#include <stdio.h>
#include <string.h>

#include "pack_int.h"
#include "text.h"

/* The code point at s (valid UTF-8), and its length in *ret_len. */
static uint32_t
decode(const unsigned char *s, size_t *ret_len)
{
	if (s[0] < 0x80) {
		*ret_len = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		*ret_len = 2;
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if ((s[0] & 0xf0) == 0xe0) {
		*ret_len = 3;
		return (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	*ret_len = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	       (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

static bool
direction_control(uint32_t c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

const char *
pack__text_problem(const char *s, size_t max, char buf[PACK_TEXT_PROBLEM_MAX])
{
	size_t len = s ? strlen(s) : 0;

	if (len == 0)
		return "is empty";
	if (len > max) {
		snprintf(buf, PACK_TEXT_PROBLEM_MAX, "is longer than %zu bytes", max);
		return buf;
	}
	if (!text_utf8_valid(s, len))
		return "is not valid UTF-8";
	for (size_t i = 0, n; i < len; i += n) {
		uint32_t c = decode((const unsigned char *)s + i, &n);

		if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
			snprintf(buf, PACK_TEXT_PROBLEM_MAX, "holds the control character U+%04X",
			         (unsigned)c);
			return buf;
		}
		if (direction_control(c)) {
			snprintf(buf, PACK_TEXT_PROBLEM_MAX,
			         "holds the text-direction control U+%04X", (unsigned)c);
			return buf;
		}
		if (c == 0x2028 || c == 0x2029) {
			snprintf(buf, PACK_TEXT_PROBLEM_MAX, "holds the line separator U+%04X",
			         (unsigned)c);
			return buf;
		}
	}
	/* Everything above is also lib/text's rule; this keeps the two from drifting apart. */
	return text_line_valid(s, max) ? NULL : "is not one line of text";
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
