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
#include "text.h"

int
pack_time_parse(const char *text, bool end_of_day, int64_t *ret_time)
{
	char full[21];

	/* The strict parse of "YYYY-MM-DDTHH:MM:SSZ" is lib/text's; a date alone is its first
	 * or last second. */
	if (strlen(text) == 20)
		return text_utc_time_parse(text, ret_time);
	if (strlen(text) != 10)
		return -EINVAL;
	snprintf(full, sizeof(full), "%sT%s", text, end_of_day ? "23:59:59Z" : "00:00:00Z");
	return text_utc_time_parse(full, ret_time);
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
