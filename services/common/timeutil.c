/*
 * Clock helpers (see timeutil.h): wall time in Unix seconds, monotonic nanoseconds, and
 * the one text form of a time that the protocol and the audit log use.
 */
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

int64_t
time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

uint64_t
time_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
time_format_utc(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t);
}

int
time_parse_date(const char *s, int64_t *ret_t)
{
	struct tm tm = {0};

	if (!validate_date(s))
		return -EINVAL;
	tm.tm_year =
	        (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[5] - '0') * 10 + (s[6] - '0') - 1;
	tm.tm_mday = (s[8] - '0') * 10 + (s[9] - '0');
	*ret_t = (int64_t)timegm(&tm);
	return 0;
}
