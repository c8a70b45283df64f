/*
 * time.c: the one date format the formats and the CLI use, UTC only: "YYYY-MM-DD" or
 * "YYYY-MM-DDTHH:MM:SSZ". Parsing is strict (every field in range, the date real) so a
 * certificate's times have exactly one spelling; the signed form is the formatted one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pack_int.h"

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
pack_time_parse(const char *text, bool end_of_day, int64_t *ret_time)
{
	size_t len = strlen(text);
	int y, mo, d, h = 0, mi = 0, s = 0;
	struct tm tm = {0};
	time_t t;

	if (len != 10 && len != 20)
		return -EINVAL;
	if (!digits(text, 4, &y) || text[4] != '-' || !digits(text + 5, 2, &mo) || text[7] != '-' ||
	    !digits(text + 8, 2, &d))
		return -EINVAL;
	if (len == 20) {
		if (text[10] != 'T' || !digits(text + 11, 2, &h) || text[13] != ':' ||
		    !digits(text + 14, 2, &mi) || text[16] != ':' || !digits(text + 17, 2, &s) ||
		    text[19] != 'Z')
			return -EINVAL;
	} else if (end_of_day) {
		h = 23, mi = 59, s = 59;
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	t = timegm(&tm);
	/* timegm() normalizes 31 April to 1 May; a real date comes back unchanged. */
	if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -EINVAL;
	*ret_time = (int64_t)t;
	return 0;
}

int
pack_time_format(int64_t time, char ret_text[PACK_TIME_MAX])
{
	time_t t = (time_t)time;
	char buf[64]; /* room for any int, to keep the compiler's truncation check quiet */
	struct tm tm;

	if (time < 0 || time > 253402300799 || !gmtime_r(&t, &tm)) /* 9999-12-31T23:59:59Z */
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	memcpy(ret_text, buf, PACK_TIME_MAX);
	return 0;
}
