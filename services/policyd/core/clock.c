/*
 * The daemon's one clock (see clock.h). Without a test setting it is the system's wall
 * clock. With one, it is the set instant plus the monotonic time since it was set, so it
 * keeps running (timers, expiries and "sent at" times still move on) but from wherever the
 * test put it, whatever the machine's own clock says.
 */
#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool clock_set_by_test;
static int64_t clock_base; /* the wall time set by the test */
static int64_t clock_base_mono_ns; /* CLOCK_MONOTONIC when it was set */

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
clock_now(void)
{
	struct timespec ts;

	if (clock_set_by_test)
		return clock_base + (mono_ns() - clock_base_mono_ns) / 1000000000;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

bool
clock_is_set(void)
{
	return clock_set_by_test;
}

int
clock_parse_utc(const char *text, int64_t *ret_t)
{
	struct tm tm = {0};
	char tail;
	time_t t;

	if (!text || strlen(text) != 20 ||
	    sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &tail) != 6)
		return -EINVAL;
	if (tm.tm_year < 1970 || tm.tm_year > 9999 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 59)
		return -EINVAL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	/* timegm normalises 31 February into March: refuse a day the month does not have. */
	{
		struct tm check;

		if (!gmtime_r(&t, &check) || check.tm_mday != tm.tm_mday)
			return -EINVAL;
	}
	*ret_t = (int64_t)t;
	return 0;
}

#ifdef ONWARD_TEST_HOOKS
void
clock_set(int64_t at)
{
	clock_base = at;
	clock_base_mono_ns = mono_ns();
	clock_set_by_test = true;
}
#endif

int
clock_init(char *err, size_t size)
{
#ifdef ONWARD_TEST_HOOKS
	const char *text = secure_getenv("ONWARD_TEST_CLOCK");
	int64_t at;

	if (!text || !text[0])
		return 0;
	if (clock_parse_utc(text, &at) < 0) {
		snprintf(err, size,
		         "ONWARD_TEST_CLOCK is not a time like 2026-12-09T10:00:00Z: \"%.40s\"",
		         text);
		return -EINVAL;
	}
	clock_set(at);
#else
	(void)err;
	(void)size;
#endif
	return 0;
}
