/*
 * encode.c: the small encodings the format uses (hex is lib/crypto's, lower case only, so a
 * certificate has one spelling): big-endian integers in the header, the one time format
 * "YYYY-MM-DDTHH:MM:SSZ" (parsed strictly, without the C library's time zone state), the
 * rule for establishment names (lib/text's one-line rule, without spaces at either end),
 * and the names of kinds.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bundle_int.h"
#include "text.h"

void
bundle__put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
bundle__put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

uint16_t
bundle__get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint64_t
bundle__get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int
bundle_time_format(int64_t time, char ret_text[BUNDLE_TIME_MAX])
{
	int64_t y, days = time / 86400, secs = time % 86400;
	unsigned m, d;
	char text[64];

	if (time < 0 || time > BUNDLE_TIME_LIMIT)
		return -EINVAL;
	/* The compiler cannot see that every field fits; format wide, then copy. */
	civil_from_days(days, &y, &m, &d);
	snprintf(text, sizeof(text), "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", (long long)y, m, d,
	         (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
	memcpy(ret_text, text, BUNDLE_TIME_MAX - 1);
	ret_text[BUNDLE_TIME_MAX - 1] = '\0';
	return 0;
}

static int
parse_digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
bundle_time_parse(const char *text, int64_t *ret_time)
{
	static const unsigned month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, s;

	if (!text || strlen(text) != BUNDLE_TIME_MAX - 1 || text[4] != '-' || text[7] != '-' ||
	    text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z')
		return -EINVAL;
	y = parse_digits(text, 4);
	mo = parse_digits(text + 5, 2);
	d = parse_digits(text + 8, 2);
	h = parse_digits(text + 11, 2);
	mi = parse_digits(text + 14, 2);
	s = parse_digits(text + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > (int)month_days[mo - 1] || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
		return -EINVAL;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -EINVAL;
	*ret_time = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

bool
bundle__name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return text_line_valid(name, BUNDLE_NAME_MAX) && name[0] != ' ' && name[n - 1] != ' ';
}

const char *
bundle_kind_name(enum bundle_kind kind)
{
	switch (kind) {
	case BUNDLE_KIND_PRISON:
		return "prison";
	case BUNDLE_KIND_PROBATION:
		return "probation";
	case BUNDLE_KIND_ROOT:
		return "root";
	}
	return NULL;
}

int
bundle_kind_parse(const char *name, enum bundle_kind *ret_kind)
{
	for (int k = BUNDLE_KIND_PRISON; k <= BUNDLE_KIND_ROOT; k++) {
		if (name && strcmp(name, bundle_kind_name((enum bundle_kind)k)) == 0) {
			*ret_kind = (enum bundle_kind)k;
			return 0;
		}
	}
	return -EINVAL;
}
