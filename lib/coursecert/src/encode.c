/*
 * encode.c: UTC times as certificates write them, and filling in errors. (Base64 and hex
 * are lib/crypto's and the text rule is lib/text's, shared with packs and bundles.)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "coursecert_int.h"

int
coursecert__err(struct coursecert_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

int
coursecert_time_format(int64_t time, char ret_text[COURSECERT_TIME_MAX])
{
	time_t t = (time_t)time;
	struct tm tm;
	char text[64];

	if (time < 0 || time > 253402300799 || !gmtime_r(&t, &tm))
		return -EINVAL;
	/* Years 1970-9999: always 20 characters. */
	snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	memcpy(ret_text, text, COURSECERT_TIME_MAX - 1);
	ret_text[COURSECERT_TIME_MAX - 1] = '\0';
	return 0;
}

int
coursecert_time_parse(const char *text, int64_t *ret_time)
{
	struct tm tm = {0};
	char again[COURSECERT_TIME_MAX];
	int64_t t;

	if (strlen(text) != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
	    text[13] != ':' || text[16] != ':' || text[19] != 'Z')
		return -EBADMSG;
	for (int i = 0; i < 19; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 &&
		    (text[i] < '0' || text[i] > '9'))
			return -EBADMSG;
	tm.tm_year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 +
	             (text[3] - '0') - 1900;
	tm.tm_mon = (text[5] - '0') * 10 + (text[6] - '0') - 1;
	tm.tm_mday = (text[8] - '0') * 10 + (text[9] - '0');
	tm.tm_hour = (text[11] - '0') * 10 + (text[12] - '0');
	tm.tm_min = (text[14] - '0') * 10 + (text[15] - '0');
	tm.tm_sec = (text[17] - '0') * 10 + (text[18] - '0');
	t = (int64_t)timegm(&tm);
	/* Round-tripping rejects dates that do not exist (2026-02-30) and leap seconds. */
	if (coursecert_time_format(t, again) < 0 || strcmp(again, text) != 0)
		return -EBADMSG;
	*ret_time = t;
	return 0;
}
