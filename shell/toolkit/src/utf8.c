/*
 * UTF-8 stepping and the small clustering rule used wherever text is cut or deleted: a
 * code point followed by combining marks, variation selectors or a zero-width joiner
 * (and the code point after the joiner) is one unit. See utf8.h. Whether bytes are UTF-8
 * at all is lib/text's one check (text_utf8_valid).
 */
#include "utf8.h"

#include <string.h>

#include "text.h"

uint32_t
utf8_next(const char *s, size_t len, size_t *pos)
{
	const unsigned char *p = (const unsigned char *)s + *pos;
	size_t left = len - *pos;
	uint32_t cp;
	size_t n;

	if (p[0] < 0x80) {
		*pos += 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		*pos += 1;
		return 0xFFFD;
	}
	if (n > left) {
		*pos += 1;
		return 0xFFFD;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*pos += 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are malformed. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
		*pos += 1;
		return 0xFFFD;
	}
	*pos += n;
	return cp;
}

bool
utf8_valid(const char *s, size_t len)
{
	/* The one UTF-8 check (lib/text), plus the toolkit's own rule: no NUL inside, as
	 * every widget keeps its text as a C string. */
	return (len == 0 || !memchr(s, '\0', len)) && text_utf8_valid(s, len);
}

bool
utf8_is_extend(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
	       (cp >= 0x0591 && cp <= 0x05BD) || (cp >= 0x0610 && cp <= 0x061A) ||
	       (cp >= 0x064B && cp <= 0x065F) ||
	       (cp >= 0x0E31 && cp <= 0x0E3A && cp != 0x0E32 && cp != 0x0E33) ||
	       (cp >= 0x0E47 && cp <= 0x0E4E) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || cp == 0x200D || (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
	       (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

size_t
utf8_cluster_next(const char *s, size_t len, size_t pos)
{
	uint32_t cp;

	if (pos >= len)
		return len;
	cp = utf8_next(s, len, &pos);
	while (pos < len) {
		size_t at = pos;
		uint32_t next = utf8_next(s, len, &at);

		if (cp == 0x200D || utf8_is_extend(next)) {
			cp = next;
			pos = at;
			continue;
		}
		break;
	}
	return pos;
}

size_t
utf8_cluster_prev(const char *s, size_t len, size_t pos)
{
	size_t at = 0, prev = 0;

	/* Walk forward from the start: clusters are only well defined that way, and the
	 * texts edited here are short. */
	if (pos > len)
		pos = len;
	while (at < pos) {
		prev = at;
		at = utf8_cluster_next(s, len, at);
	}
	return prev;
}

size_t
utf8_cluster_count(const char *s, size_t len)
{
	size_t n = 0, pos = 0;

	while (pos < len) {
		pos = utf8_cluster_next(s, len, pos);
		n++;
	}
	return n;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}
