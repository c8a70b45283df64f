/*
 * London time arithmetic (see london.h). Conversions lean on
 * the C library's zone rules (tzdata), read through localtime_r; going from a London clock
 * reading back to an instant tries the offsets in force a day either side and keeps those
 * that read back the same, which finds both instants of a repeated hour and none in a
 * skipped one. Calendar days are counted with civil-day numbers, never by dividing
 * seconds by 86,400, which is wrong on the two days a year that are not 24 hours long.
 */
#include "london.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *ret_y, int *ret_m, int *ret_d)
{
	int64_t era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*ret_d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*ret_m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*ret_y = (int)(y + (*ret_m <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static bool
fields_valid(const struct london_time *lt)
{
	return lt->year >= 1970 && lt->year <= 2199 && lt->month >= 1 && lt->month <= 12 &&
	       lt->day >= 1 && lt->day <= days_in_month(lt->year, lt->month) && lt->hour >= 0 &&
	       lt->hour <= 23 && lt->minute >= 0 && lt->minute <= 59 && lt->second >= 0 &&
	       lt->second <= 59;
}

void
london_time_of(int64_t t, struct london_time *ret)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	ret->year = tm.tm_year + 1900;
	ret->month = tm.tm_mon + 1;
	ret->day = tm.tm_mday;
	ret->hour = tm.tm_hour;
	ret->minute = tm.tm_min;
	ret->second = tm.tm_sec;
	ret->weekday = tm.tm_wday == 0 ? 7 : tm.tm_wday;
}

/* The zone's offset from UTC at t, in seconds (+3600 in BST). */
static int64_t
offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return (int64_t)tm.tm_gmtoff;
}

static bool
reads_as(int64_t t, const struct london_time *lt)
{
	struct london_time got;

	london_time_of(t, &got);
	return got.year == lt->year && got.month == lt->month && got.day == lt->day &&
	       got.hour == lt->hour && got.minute == lt->minute && got.second == lt->second;
}

int
london_time_instant(const struct london_time *lt, int64_t *ret)
{
	int64_t naive, before, after, best = 0;
	bool found = false;

	if (!fields_valid(lt))
		return -EINVAL;
	/* The clock reading as if it were UTC; the instant is that minus the offset then. */
	naive = days_from_civil(lt->year, lt->month, lt->day) * 86400 + lt->hour * 3600 +
	        lt->minute * 60 + lt->second;
	before = naive - offset_at(naive - 86400);
	after = naive - offset_at(naive + 86400);
	if (reads_as(before, lt)) {
		best = before;
		found = true;
	}
	if (reads_as(after, lt) && (!found || after < best)) {
		best = after;
		found = true;
	}
	if (!found) {
		/* Skipped by the clocks going forward: the offset before the change, applied to
		 * the reading, lands the same distance past the gap. */
		*ret = before;
		return -ERANGE;
	}
	*ret = best;
	return 0;
}

/* Reads exactly n digits at s into *ret. */
static bool
digits(const char *s, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

static bool
parse_date(const char *s, struct london_time *lt)
{
	return digits(s, 4, &lt->year) && s[4] == '-' && digits(s + 5, 2, &lt->month) &&
	       s[7] == '-' && digits(s + 8, 2, &lt->day);
}

int
london_parse(const char *s, int64_t *ret)
{
	struct london_time lt = {0};
	size_t n = strlen(s);

	if (n < 16 || !parse_date(s, &lt) || !digits(s + 11, 2, &lt.hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &lt.minute))
		return -EINVAL;
	if (s[10] == 'T') {
		/* UTC, as the protocol writes times: YYYY-MM-DDTHH:MM:SSZ. */
		if (n != 20 || s[16] != ':' || !digits(s + 17, 2, &lt.second) || s[19] != 'Z' ||
		    !fields_valid(&lt))
			return -EINVAL;
		*ret = days_from_civil(lt.year, lt.month, lt.day) * 86400 + lt.hour * 3600 +
		       lt.minute * 60 + lt.second;
		return 0;
	}
	if (s[10] != ' ')
		return -EINVAL;
	if (n == 19) {
		if (s[16] != ':' || !digits(s + 17, 2, &lt.second))
			return -EINVAL;
	} else if (n != 16) {
		return -EINVAL;
	}
	return london_time_instant(&lt, ret);
}

int
london_parse_day(const char *s, int64_t *ret)
{
	struct london_time lt = {0};
	int64_t t;
	int r;

	if (strlen(s) != 10 || !parse_date(s, &lt))
		return -EINVAL;
	r = london_time_instant(&lt, &t);
	/* Midnight exists in London every day, but be safe with any zone. */
	if (r < 0 && r != -ERANGE)
		return r;
	*ret = t;
	return 0;
}

int
london_day_end(const char *s, int64_t *ret)
{
	struct london_time lt = {0};
	int64_t t;
	int r;

	if (strlen(s) != 10 || !parse_date(s, &lt) || !fields_valid(&lt))
		return -EINVAL;
	/* The next calendar day, by civil-day numbers (never + 86,400 seconds). */
	civil_from_days(days_from_civil(lt.year, lt.month, lt.day) + 1, &lt.year, &lt.month,
	                &lt.day);
	r = london_time_instant(&lt, &t);
	if (r < 0 && r != -ERANGE)
		return r;
	*ret = t;
	return 0;
}

/* A positive number of 1 to 5 digits at *s, advancing *s past it. */
static bool
number(const char **s, int *ret)
{
	int v = 0, n = 0;

	while (**s >= '0' && **s <= '9' && n < 5) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (n == 0 || (**s >= '0' && **s <= '9'))
		return false;
	*ret = v;
	return true;
}

int
london_lead_parse(const char *s, struct reminder_lead *ret)
{
	struct reminder_lead l = {.at_minute = -1};
	int n, hh, mm;

	if (!number(&s, &n))
		return -EINVAL;
	switch (*s++) {
	case 'd':
		if (n < 1 || n > 30)
			return -EINVAL;
		l.days = n;
		if (*s == '@') {
			if (!digits(s + 1, 2, &hh) || s[3] != ':' || !digits(s + 4, 2, &mm) ||
			    hh > 23 || mm > 59)
				return -EINVAL;
			l.at_minute = hh * 60 + mm;
			s += 6;
		}
		break;
	case 'h':
		if (n < 1 || n > 168)
			return -EINVAL;
		l.minutes = n * 60;
		break;
	case 'm':
		if (n < 1 || n > 10080)
			return -EINVAL;
		l.minutes = n;
		break;
	default:
		return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	*ret = l;
	return 0;
}

void
london_lead_format(const struct reminder_lead *l, char *buf, size_t size)
{
	if (l->days && l->at_minute >= 0)
		snprintf(buf, size, "%dd@%02d:%02d", l->days, l->at_minute / 60, l->at_minute % 60);
	else if (l->days)
		snprintf(buf, size, "%dd", l->days);
	else if (l->minutes % 60 == 0)
		snprintf(buf, size, "%dh", l->minutes / 60);
	else
		snprintf(buf, size, "%dm", l->minutes);
}

/*
 * Roughly how far ahead a lead is, for ordering: days count as 24 hours, and "at HH:MM"
 * as the time from then to the midnight that starts the appointment's day.
 */
static int64_t
lead_seconds(const struct reminder_lead *l)
{
	if (l->days && l->at_minute >= 0)
		return (int64_t)l->days * 86400 - (int64_t)l->at_minute * 60;
	if (l->days)
		return (int64_t)l->days * 86400;
	return (int64_t)l->minutes * 60;
}

static int
lead_compare(const void *a, const void *b)
{
	int64_t x = lead_seconds(a), y = lead_seconds(b);

	return x > y ? -1 : x < y ? 1 : 0;
}

int
london_leads_parse(const char *s, struct reminder_lead ret[REMINDER_LEADS_MAX], size_t *ret_count,
                   char *ret_text, size_t size)
{
	struct reminder_lead leads[REMINDER_LEADS_MAX];
	char item[16], text[80] = "";
	size_t n = 0, used = 0;

	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);

		if (n == REMINDER_LEADS_MAX || len == 0 || len >= sizeof(item))
			return -EINVAL;
		memcpy(item, s, len);
		item[len] = '\0';
		if (london_lead_parse(item, &leads[n]) < 0)
			return -EINVAL;
		n++;
		s += len;
		if (*s == ',' && !*++s)
			return -EINVAL;
	}
	if (n == 0)
		return -EINVAL;
	qsort(leads, n, sizeof(leads[0]), lead_compare);
	for (size_t i = 0; i < n; i++) {
		london_lead_format(&leads[i], item, sizeof(item));
		for (size_t j = 0; j < i; j++) {
			char other[16];

			london_lead_format(&leads[j], other, sizeof(other));
			if (strcmp(item, other) == 0)
				return -EINVAL;
		}
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", i ? "," : "",
		                         item);
	}
	if (used >= size)
		return -EINVAL;
	memcpy(ret, leads, n * sizeof(leads[0]));
	*ret_count = n;
	memcpy(ret_text, text, used + 1);
	return 0;
}

int64_t
london_lead_due(int64_t starts_at, const struct reminder_lead *l)
{
	struct london_time lt;
	int64_t day, due;

	if (!l->days)
		return starts_at - (int64_t)l->minutes * 60;
	london_time_of(starts_at, &lt);
	day = days_from_civil(lt.year, lt.month, lt.day) - l->days;
	civil_from_days(day, &lt.year, &lt.month, &lt.day);
	if (l->at_minute >= 0) {
		lt.hour = l->at_minute / 60;
		lt.minute = l->at_minute % 60;
		lt.second = 0;
	}
	/* A clock reading the clocks skip becomes the same reading an hour on: still on the
	 * right day, and still before the appointment. */
	(void)london_time_instant(&lt, &due);
	return due;
}

void
london_format(int64_t t, char *buf, size_t size)
{
	struct london_time lt;

	london_time_of(t, &lt);
	snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", lt.year, lt.month, lt.day, lt.hour,
	         lt.minute);
}

void
london_format_day(int64_t t, char *buf, size_t size)
{
	struct london_time lt;

	london_time_of(t, &lt);
	snprintf(buf, size, "%04d-%02d-%02d", lt.year, lt.month, lt.day);
}

/* The words for when something is, in one language. */
struct when_words {
	const char *today, *tomorrow, *on, *at; /* "today", "tomorrow", "on", "at" */
	const char *weekdays[7]; /* Monday first */
	const char *months[12];
};

static const struct when_words when_en = {
        "today",
        "tomorrow",
        "on ",
        "at",
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
        {"January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"},
};

/* Welsh: "on a day" is the day's name mutated (dydd -> ddydd), with no word before it. */
static const struct when_words when_cy = {
        "heddiw",
        "yfory",
        "",
        "am",
        {"ddydd Llun", "ddydd Mawrth", "ddydd Mercher", "ddydd Iau", "ddydd Gwener", "ddydd Sadwrn",
         "ddydd Sul"},
        {"Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
         "Hydref", "Tachwedd", "Rhagfyr"},
};

static void
when_in(const struct when_words *w, int64_t t, int64_t now, char *buf, size_t size)
{
	struct london_time at, today;
	int64_t days;
	char year[8] = "";

	london_time_of(t, &at);
	london_time_of(now, &today);
	days = days_from_civil(at.year, at.month, at.day) -
	       days_from_civil(today.year, today.month, today.day);
	if (days == 0 || days == 1) {
		snprintf(buf, size, "%s %s %02d:%02d", days ? w->tomorrow : w->today, w->at,
		         at.hour, at.minute);
		return;
	}
	if (at.year != today.year)
		snprintf(year, sizeof(year), " %d", at.year);
	snprintf(buf, size, "%s%s %d %s%s %s %02d:%02d", w->on, w->weekdays[at.weekday - 1], at.day,
	         w->months[at.month - 1], year, w->at, at.hour, at.minute);
}

void
london_words(int64_t t, int64_t now, char *buf, size_t size)
{
	when_in(&when_en, t, now, buf, size);
}

void
london_words_cy(int64_t t, int64_t now, char *buf, size_t size)
{
	when_in(&when_cy, t, now, buf, size);
}

int
london_days_until(const char *date, int64_t now, int *ret_days)
{
	struct london_time lt = {0}, today;

	if (strlen(date) != 10 || !parse_date(date, &lt) || !fields_valid(&lt))
		return -EINVAL;
	london_time_of(now, &today);
	*ret_days = (int)(days_from_civil(lt.year, lt.month, lt.day) -
	                  days_from_civil(today.year, today.month, today.day));
	return 0;
}
