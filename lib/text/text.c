/*
 * text.c: UTF-8 validity and the one-line rule (see text.h). The decoder takes the lead
 * bytes RFC 3629 allows and then checks the value, so overlong forms (C0, C1, E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and values past U+10FFFF (F4 90.., F5..FF) all fail.
 */
#include "text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* The code point at s, which is valid UTF-8, and its length in *ret_len. */
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
text_line_problem(const char *s, size_t max, char buf[TEXT_PROBLEM_MAX])
{
	size_t len = s ? strlen(s) : 0;

	if (len == 0)
		return "is empty";
	if (len > max) {
		snprintf(buf, TEXT_PROBLEM_MAX, "is longer than %zu bytes", max);
		return buf;
	}
	if (!text_utf8_valid(s, len))
		return "is not valid UTF-8";
	for (size_t i = 0, n; i < len; i += n) {
		uint32_t c = decode((const unsigned char *)s + i, &n);

		if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
			snprintf(buf, TEXT_PROBLEM_MAX, "holds the control character U+%04X",
			         (unsigned)c);
			return buf;
		}
		if (direction_control(c)) {
			snprintf(buf, TEXT_PROBLEM_MAX, "holds the text-direction control U+%04X",
			         (unsigned)c);
			return buf;
		}
		if (c == 0x2028 || c == 0x2029) {
			snprintf(buf, TEXT_PROBLEM_MAX, "holds the line separator U+%04X",
			         (unsigned)c);
			return buf;
		}
	}
	return NULL;
}

bool
text_line_valid(const char *s, size_t max)
{
	char buf[TEXT_PROBLEM_MAX];

	return text_line_problem(s, max, buf) == NULL;
}

static bool
digits(const char *s, size_t n, int *ret)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

int
text_utc_time_parse(const char *s, int64_t *ret)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, se, dim;
	struct tm tm;
	time_t t;

	if (!s || strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return -EINVAL;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
		return -EINVAL;
	if (y < 1970 || mo < 1 || mo > 12 || h > 23 || mi > 59 || se > 59)
		return -EINVAL;
	dim = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d < 1 || d > dim)
		return -EINVAL;
	tm = (struct tm){.tm_year = y - 1900,
	                 .tm_mon = mo - 1,
	                 .tm_mday = d,
	                 .tm_hour = h,
	                 .tm_min = mi,
	                 .tm_sec = se};
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*ret = (int64_t)t;
	return 0;
}
