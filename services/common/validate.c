/*
 * Identifier and text validation (see validate.h). Each check is strict and exact: the
 * daemon stores only what passes, so everything read back from the store is well formed.
 */
#include "validate.h"

#include <string.h>

#include "text.h"

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Matches s against a pattern of 'A' (upper letter) and '9' (digit), of the same length. */
static bool
match_shape(const char *s, const char *shape)
{
	size_t n = strlen(shape);

	if (!s || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (shape[i] == 'A' && !is_upper(s[i]))
			return false;
		if (shape[i] == '9' && !is_digit(s[i]))
			return false;
	}
	return true;
}

bool
validate_prison_number(const char *s)
{
	return match_shape(s, "A9999AA");
}

bool
validate_crn(const char *s)
{
	return match_shape(s, "A999999");
}

bool
validate_establishment_code(const char *s)
{
	return match_shape(s, "AAA");
}

bool
validate_staff_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 2 || n > 32 || !(is_lower(s[0]) || is_digit(s[0])))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

bool
validate_app_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 2 || n > 32 || !is_lower(s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '-')
			return false;
	return true;
}

bool
validate_keyword(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > 32 || !is_lower(s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '_')
			return false;
	return true;
}

bool
validate_date(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return false;
	if (m == 2 && d == 29)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1];
}

bool
validate_utf8(const char *s, size_t len)
{
	/* A NUL inside would end the text early for every C string API that stores it. */
	return (len == 0 || !memchr(s, '\0', len)) && text_utf8_valid(s, len);
}

bool
validate_text(const char *s, size_t max_bytes, bool multiline)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > max_bytes || !validate_utf8(s, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x7f)
			return false;
		if (c < 0x20 && !(multiline && (c == '\n' || c == '\t')))
			return false;
	}
	return true;
}

bool
validate_pin(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 4 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}
