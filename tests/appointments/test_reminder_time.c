/*
 * The London time arithmetic behind appointments and reminders, on fixed instants around
 * the clock changes of October 2026 (back, Sunday 25th, 02:00 BST -> 01:00 GMT) and March
 * 2027 (forward, Sunday 28th, 01:00 GMT -> 02:00 BST): a reminder "a day before" keeps
 * its London clock time and so is 25 or 23 hours ahead; hours are elapsed time; a time
 * that happens twice is the first; one that never happens is refused for booking and
 * moved past the gap for a reminder.
 */
#include "check.h"
#include "london.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

/* Unix seconds of a UTC civil time. */
static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {0};

	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (int64_t)timegm(&tm);
}

static int64_t
london(const char *text)
{
	int64_t t = 0;

	if (london_parse(text, &t) != 0)
		check_failed(__FILE__, __LINE__, "cannot parse \"%s\"", text);
	return t;
}

static int64_t
due(int64_t start, const char *lead)
{
	struct reminder_lead l;

	if (london_lead_parse(lead, &l) != 0)
		check_failed(__FILE__, __LINE__, "bad lead \"%s\"", lead);
	return london_lead_due(start, &l);
}

static void
check_local(int64_t t, const char *want)
{
	char buf[32];

	london_format(t, buf, sizeof(buf));
	CHECK_STR(buf, want);
}

static void
check_leads(const char *in, const char *want)
{
	struct reminder_lead leads[REMINDER_LEADS_MAX];
	char text[80];
	size_t n = 0;
	int r = london_leads_parse(in, leads, &n, text, sizeof(text));

	if (!want) {
		if (r != -EINVAL)
			check_failed(__FILE__, __LINE__, "\"%s\" accepted as \"%s\"", in, text);
		return;
	}
	if (r != 0)
		check_failed(__FILE__, __LINE__, "\"%s\" refused", in);
	CHECK_STR(text, want);
}

int
main(void)
{
	struct london_time lt;
	int64_t t, start;
	char words[80];
	int days;

	setenv("TZ", "Europe/London", 1);
	tzset();

	test_step("UTC to London either side of each change");
	london_time_of(utc(2026, 10, 25, 0, 30), &lt);
	CHECK_INT(lt.hour, 1); /* 01:30 BST, the first time */
	london_time_of(utc(2026, 10, 25, 1, 30), &lt);
	CHECK_INT(lt.hour, 1); /* 01:30 GMT, the second */
	CHECK_INT(lt.weekday, 7);
	london_time_of(utc(2027, 3, 28, 1, 0), &lt);
	CHECK_INT(lt.hour, 2); /* straight from 00:59 GMT to 02:00 BST */

	test_step("London to UTC: winter, summer, twice, never");
	CHECK_INT(london("2026-12-03 10:30"), utc(2026, 12, 3, 10, 30));
	CHECK_INT(london("2027-06-01 10:30"), utc(2027, 6, 1, 9, 30));
	CHECK_INT(london("2027-06-01 10:30:15"), utc(2027, 6, 1, 9, 30) + 15);
	CHECK_INT(london("2026-12-03T10:30:00Z"), utc(2026, 12, 3, 10, 30));
	CHECK_INT(london("2027-06-01T10:30:00Z"), utc(2027, 6, 1, 10, 30));
	CHECK_INT(london("2026-10-25 01:30"), utc(2026, 10, 25, 0, 30));
	CHECK_INT(london_parse("2027-03-28 01:30", &t), -ERANGE);
	CHECK_INT(t, utc(2027, 3, 28, 1, 30));
	check_local(t, "2027-03-28 02:30");
	CHECK_INT(london("2027-03-28 02:00"), utc(2027, 3, 28, 1, 0));
	CHECK_INT(london("2027-03-28 00:59"), utc(2027, 3, 28, 0, 59));

	test_step("malformed times are refused");
	{
		static const char *const bad[] = {
		        "",
		        "2026-12-03",
		        "2026-12-03 10:3",
		        "2026-12-3 10:30",
		        "2026-12-03 10:30 ",
		        "2026-12-03  10:30",
		        "2026-12-03 24:00",
		        "2026-12-03 10:60",
		        "2026-02-29 10:00",
		        "2026-13-01 10:00",
		        "2026-12-03T10:30Z",
		        "2026-12-03T10:30:00",
		        "2026-12-03 10:30:00Z",
		        "２026-12-03 10:30",
		        "1969-12-31 23:00",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (london_parse(bad[i], &t) != -EINVAL)
				check_failed(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
		CHECK_INT(london("2028-02-29 10:00"), utc(2028, 2, 29, 10, 0));
	}

	test_step("a day before keeps the clock time: 25 hours in October");
	start = london("2026-10-25 10:30"); /* Sunday, GMT */
	CHECK_INT(start, utc(2026, 10, 25, 10, 30));
	check_local(due(start, "1d"), "2026-10-24 10:30");
	CHECK_INT(due(start, "1d"), utc(2026, 10, 24, 9, 30));
	CHECK_INT(start - due(start, "1d"), 25 * 3600);
	CHECK_INT(start - due(start, "1h"), 3600);
	check_local(due(start, "1h"), "2026-10-25 09:30");
	start = london("2026-10-26 09:00"); /* Monday after */
	check_local(due(start, "1d@18:00"), "2026-10-25 18:00");
	CHECK_INT(due(start, "1d@18:00"), utc(2026, 10, 25, 18, 0));
	start = london("2026-10-24 10:00"); /* Saturday before, BST */
	CHECK_INT(due(start, "1d@18:00"), utc(2026, 10, 23, 17, 0));
	start = london("2026-10-30 10:00"); /* a week ahead crosses it */
	check_local(due(start, "7d"), "2026-10-23 10:00");
	CHECK_INT(start - due(start, "7d"), 7 * 86400 + 3600);

	test_step("hours are elapsed time, even across the repeated hour");
	start = london("2026-10-25 02:30"); /* GMT, after the change */
	CHECK_INT(due(start, "2h"), start - 7200);
	check_local(due(start, "2h"), "2026-10-25 01:30"); /* the first 01:30, BST */
	CHECK_INT(due(start, "2h"), utc(2026, 10, 25, 0, 30));
	CHECK_INT(due(start, "90m"), start - 5400);

	test_step("a day before keeps the clock time: 23 hours in March");
	start = london("2027-03-28 10:30"); /* Sunday, BST */
	CHECK_INT(start, utc(2027, 3, 28, 9, 30));
	check_local(due(start, "1d"), "2027-03-27 10:30");
	CHECK_INT(start - due(start, "1d"), 23 * 3600);
	start = london("2027-03-29 09:00"); /* Monday after */
	CHECK_INT(due(start, "1d@18:00"), utc(2027, 3, 28, 17, 0));
	start = london("2027-03-28 03:00");
	CHECK_INT(due(start, "1d"), utc(2027, 3, 27, 3, 0));
	CHECK_INT(due(start, "2h"), utc(2027, 3, 28, 0, 0)); /* 00:00 GMT, still two hours */

	test_step("a reminder in the skipped hour comes just after it, still before");
	start = london("2027-03-29 01:30"); /* BST */
	t = due(start, "1d"); /* 01:30 on the 28th never happens */
	CHECK_INT(t, utc(2027, 3, 28, 1, 30));
	check_local(t, "2027-03-28 02:30");
	CHECK(t < start);

	test_step("a day before at the end of a month and a year");
	check_local(due(london("2027-03-01 09:00"), "1d"), "2027-02-28 09:00");
	check_local(due(london("2028-03-01 09:00"), "1d"), "2028-02-29 09:00");
	check_local(due(london("2027-01-01 09:00"), "2d@18:30"), "2026-12-30 18:30");

	test_step("lead lists: canonical, bounded, no repeats");
	check_leads("1d@18:00,2h", "1d@18:00,2h");
	check_leads("2h,1d", "1d,2h");
	check_leads("1h,1d@18:00,7d", "7d,1d@18:00,1h");
	check_leads("90m", "90m");
	check_leads("120m", "2h");
	check_leads("30d,168h,1m", "30d,168h,1m");
	check_leads("30d,168h,10080m,1m", NULL);
	check_leads("1d,1d", NULL);
	check_leads("2h,120m", NULL);
	check_leads("", NULL);
	check_leads("1d,", NULL);
	check_leads(",1d", NULL);
	check_leads("1d,,2h", NULL);
	check_leads("0d", NULL);
	check_leads("31d", NULL);
	check_leads("169h", NULL);
	check_leads("0m", NULL);
	check_leads("10081m", NULL);
	check_leads("1x", NULL);
	check_leads("d", NULL);
	check_leads("1d@24:00", NULL);
	check_leads("1d@18:0", NULL);
	check_leads("1h@18:00", NULL);
	check_leads("1d, 2h", NULL);
	check_leads("-1d", NULL);
	check_leads("99999999999d", NULL);
	check_leads("1d,2d,3d,4d,5d", NULL);
	check_leads("1d,2d,3d,4d", "4d,3d,2d,1d");

	test_step("plain words for when, by the London calendar");
	t = utc(2026, 11, 23, 12, 0);
	london_words(utc(2026, 11, 23, 15, 0), t, words, sizeof(words));
	CHECK_STR(words, "today at 15:00");
	london_words(utc(2026, 11, 24, 10, 30), t, words, sizeof(words));
	CHECK_STR(words, "tomorrow at 10:30");
	london_words(utc(2026, 12, 3, 10, 30), t, words, sizeof(words));
	CHECK_STR(words, "on Thursday 3 December at 10:30");
	london_words(utc(2027, 1, 5, 9, 0), t, words, sizeof(words));
	CHECK_STR(words, "on Tuesday 5 January 2027 at 09:00");
	/* 00:30 BST on 2 July is still 1 July in UTC: London decides what "today" is. */
	london_words(utc(2026, 7, 2, 9, 0), utc(2026, 7, 1, 23, 30), words, sizeof(words));
	CHECK_STR(words, "today at 10:00");
	/* The same in Welsh: the day mutated after its unwritten "on" ("ddydd Iau"). */
	london_words_cy(utc(2026, 11, 23, 15, 0), t, words, sizeof(words));
	CHECK_STR(words, "heddiw am 15:00");
	london_words_cy(utc(2026, 11, 24, 10, 30), t, words, sizeof(words));
	CHECK_STR(words, "yfory am 10:30");
	london_words_cy(utc(2026, 12, 3, 10, 30), t, words, sizeof(words));
	CHECK_STR(words, "ddydd Iau 3 Rhagfyr am 10:30");
	london_words_cy(utc(2027, 1, 5, 9, 0), t, words, sizeof(words));
	CHECK_STR(words, "ddydd Mawrth 5 Ionawr 2027 am 09:00");

	test_step("days to release, by the London calendar");
	CHECK_INT(london_days_until("2027-01-29", utc(2026, 11, 23, 12, 0), &days), 0);
	CHECK_INT(days, 67);
	CHECK_INT(london_days_until("2026-07-02", utc(2026, 7, 1, 23, 30), &days), 0);
	CHECK_INT(days, 0);
	CHECK_INT(london_days_until("2026-10-26", utc(2026, 10, 24, 23, 30), &days), 0);
	CHECK_INT(days, 1); /* 00:30 BST on the 25th; the 25th is 25 hours long */
	CHECK_INT(london_days_until("2026-02-30", 0, &days), -EINVAL);

	test_step("days start at London midnight");
	CHECK_INT(london_parse_day("2026-10-25", &t), 0);
	CHECK_INT(t, utc(2026, 10, 24, 23, 0));
	CHECK_INT(london_parse_day("2026-10-26", &t), 0);
	CHECK_INT(t, utc(2026, 10, 26, 0, 0));
	CHECK_INT(london_parse_day("2026-10-26 ", &t), -EINVAL);

	printf("test-reminder-time: OK\n");
	return 0;
}
