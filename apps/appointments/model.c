/*
 * Reading the daemon's appointment replies defensively, and calendar days (see model.h).
 */
#include "model.h"

#include <errno.h>
#include <libintl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

#define MODEL_TEXT_DOMAIN "onward-app-appointments"
/* Marks a message id for xgettext (model.c does without the toolkit's header). */
#define N_(msgid) (msgid)

static bool
is_date(const char *s)
{
	return model_date_weekday(s) != 0;
}

static bool
is_clock(const char *s)
{
	return strlen(s) == 5 && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
	       (s[0] - '0') * 10 + (s[1] - '0') <= 23 && s[2] == ':' && s[3] >= '0' &&
	       s[3] <= '5' && s[4] >= '0' && s[4] <= '9';
}

int
model_read_appointment(const json_t *obj, struct appt *ret)
{
	struct appt a = {0};
	const json_t *id = json_object_get(obj, "id"), *weekday, *minutes, *confirmed, *request,
	             *change;
	char status[12];

	weekday = json_object_get(obj, "weekday");
	minutes = json_object_get(obj, "minutes");
	confirmed = json_object_get(obj, "confirmed");
	request = json_object_get(obj, "request");
	change = json_object_get(obj, "change");
	if (!json_is_object(obj) || !json_is_integer(id) || json_integer_value(id) <= 0 ||
	    !json_is_integer(weekday) || !json_is_integer(minutes) ||
	    client_read_text(obj, "kind", CLIENT_TEXT_REQUIRED, a.kind, 15) < 0 ||
	    client_read_text(obj, "kind_words", 0, a.kind_words, 47) < 0 ||
	    client_read_text(obj, "date", CLIENT_TEXT_REQUIRED, a.date, 10) < 0 ||
	    !is_date(a.date) ||
	    client_read_text(obj, "time", CLIENT_TEXT_REQUIRED, a.time, 5) < 0 ||
	    !is_clock(a.time) ||
	    client_read_text(obj, "where", CLIENT_TEXT_REQUIRED, a.where, 100) < 0 ||
	    client_read_text(obj, "with", 0, a.with, 100) < 0 ||
	    client_read_text(obj, "status", CLIENT_TEXT_REQUIRED, status, 11) < 0 ||
	    client_read_text(obj, "cancel_reason", 0, a.cancel_reason, 300) < 0 ||
	    (confirmed && !json_is_boolean(confirmed)))
		return -EBADMSG;
	a.id = (long long)json_integer_value(id);
	a.weekday = (int)json_integer_value(weekday);
	a.minutes = (int)json_integer_value(minutes);
	if (a.weekday < 1 || a.weekday > 7 || a.minutes < 0 || a.minutes > 24 * 60)
		return -EBADMSG;
	if (strcmp(status, "booked") != 0 && strcmp(status, "cancelled") != 0)
		return -EBADMSG;
	a.cancelled = strcmp(status, "cancelled") == 0;
	a.confirmed = json_is_true(confirmed);
	/* The kind in the app's own words (its catalogue has the Welsh); the daemon's
	 * English words only for a kind this app does not know yet. */
	if (model_kind_words(a.kind))
		snprintf(a.kind_words, sizeof(a.kind_words), "%s",
		         dgettext(MODEL_TEXT_DOMAIN, model_kind_words(a.kind)));
	else if (!a.kind_words[0])
		snprintf(a.kind_words, sizeof(a.kind_words), "%s",
		         dgettext(MODEL_TEXT_DOMAIN, N_("Appointment")));
	if (json_is_object(request)) {
		if (client_read_text(request, "status", CLIENT_TEXT_REQUIRED, a.request_status,
		                     11) < 0 ||
		    client_read_text(request, "reason", 0, a.request_reason, 300) < 0 ||
		    client_read_text(request, "answer", 0, a.request_answer, 500) < 0)
			return -EBADMSG;
		a.has_request = true;
	} else if (request && !json_is_null(request)) {
		return -EBADMSG;
	}
	/* Without a decision from the daemon, asking is offered; the daemon decides. */
	a.change_allowed = true;
	if (json_is_object(change)) {
		const json_t *allowed = json_object_get(change, "allowed");

		if (!json_is_boolean(allowed) ||
		    client_read_text(change, "reason", 0, a.change_reason, 400) < 0)
			return -EBADMSG;
		a.change_allowed = json_is_true(allowed);
	}
	*ret = a;
	return 0;
}

static int
read_reminder(const json_t *obj, struct appt_reminder *ret)
{
	struct appt_reminder m = {0};
	const json_t *id = json_object_get(obj, "id"), *hidden = json_object_get(obj, "hidden");

	if (!json_is_object(obj) || !json_is_integer(id) || json_integer_value(id) <= 0 ||
	    (hidden && !json_is_boolean(hidden)) ||
	    client_read_text(obj, "text", CLIENT_TEXT_REQUIRED, m.text, sizeof(m.text) - 1) < 0)
		return -EBADMSG;
	m.id = (long long)json_integer_value(id);
	m.hidden = json_is_true(hidden);
	*ret = m;
	return 0;
}

int
model_read_list(const json_t *params, struct appt_list *ret)
{
	const json_t *list = json_object_get(params, "appointments"), *release, *reminders, *v;
	struct appt_list l;
	size_t i;

	memset(&l, 0, sizeof(l));
	release = json_object_get(params, "release");
	if (!json_is_object(params) || !json_is_array(list) ||
	    client_read_text(params, "today", CLIENT_TEXT_REQUIRED, l.today, 10) < 0 ||
	    !is_date(l.today) ||
	    client_read_text(params, "from", CLIENT_TEXT_REQUIRED, l.from, 10) < 0 ||
	    !is_date(l.from) ||
	    client_read_text(params, "to", CLIENT_TEXT_REQUIRED, l.to, 10) < 0 || !is_date(l.to))
		return -EBADMSG;
	if (json_is_object(release)) {
		const json_t *days = json_object_get(release, "days");

		if (!json_is_integer(days) || json_integer_value(days) < 0 ||
		    json_integer_value(days) > 100000 ||
		    client_read_text(release, "date", CLIENT_TEXT_REQUIRED, l.release_date, 10) < 0)
			return -EBADMSG;
		l.has_release = true;
		l.release_days = (int)json_integer_value(days);
	} else if (release && !json_is_null(release)) {
		return -EBADMSG;
	}
	json_array_foreach(list, i, v)
	{
		if (l.n == APPT_LIST_MAX || model_read_appointment(v, &l.items[l.n]) < 0) {
			l.skipped++;
			continue;
		}
		l.n++;
	}
	reminders = json_object_get(params, "reminders");
	if (reminders && !json_is_null(reminders) && !json_is_array(reminders))
		return -EBADMSG;
	json_array_foreach(reminders, i, v)
	{
		if (l.n_reminders == APPT_REMINDERS_MAX ||
		    read_reminder(v, &l.reminders[l.n_reminders]) < 0) {
			l.skipped++;
			continue;
		}
		l.n_reminders++;
	}
	*ret = l;
	return 0;
}

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
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Days since 1970 of a "YYYY-MM-DD" that exists; -1 otherwise. */
static int64_t
day_number(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || y > 2199 || m < 1 || m > 12 || d < 1 ||
	    d > days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return -1;
	return days_from_civil(y, m, d);
}

int
model_date_add(const char *date, int days, char *ret)
{
	int64_t n = day_number(date);
	int y, m, d;

	if (n < 0)
		return -EINVAL;
	civil_from_days(n + days, &y, &m, &d);
	snprintf(ret, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

int
model_date_weekday(const char *date)
{
	int64_t n = day_number(date);

	/* 1970-01-01 was a Thursday (4). */
	return n < 0 ? 0 : (int)((n + 3) % 7) + 1;
}

const char *
model_weekday_name(int weekday)
{
	static const char *const weekdays[] = {N_("Monday"),   N_("Tuesday"), N_("Wednesday"),
	                                       N_("Thursday"), N_("Friday"),  N_("Saturday"),
	                                       N_("Sunday")};

	return weekday >= 1 && weekday <= 7 ? weekdays[weekday - 1] : "";
}

void
model_date_words(const char *date, bool with_year, char *buf, size_t size)
{
	static const char *const months[] = {N_("January"), N_("February"), N_("March"),
	                                     N_("April"),   N_("May"),      N_("June"),
	                                     N_("July"),    N_("August"),   N_("September"),
	                                     N_("October"), N_("November"), N_("December")};
	const char *weekday, *month_name;
	int wd = model_date_weekday(date), day, month;

	buf[0] = '\0';
	if (!wd)
		return;
	day = (date[8] - '0') * 10 + (date[9] - '0');
	month = (date[5] - '0') * 10 + (date[6] - '0');
	/* In the app's language: its catalogue is bound at start (without it, English). */
	weekday = dgettext(MODEL_TEXT_DOMAIN, model_weekday_name(wd));
	month_name = dgettext(MODEL_TEXT_DOMAIN, months[month - 1]);
	if (with_year)
		snprintf(buf, size, "%s %d %s %.4s", weekday, day, month_name, date);
	else
		snprintf(buf, size, "%s %d %s", weekday, day, month_name);
}

void
model_date_range_words(const char *from, const char *to, char *buf, size_t size)
{
	/* "to Sunday" is translated whole: Welsh mutates the day after "i" ("i Ddydd Sul"). */
	static const char *const to_weekdays[] = {
	        N_("to Monday"), N_("to Tuesday"),  N_("to Wednesday"), N_("to Thursday"),
	        N_("to Friday"), N_("to Saturday"), N_("to Sunday")};
	char first[48], last[48];
	const char *rest;
	int wd = model_date_weekday(to);

	buf[0] = '\0';
	model_date_words(from, false, first, sizeof(first));
	model_date_words(to, false, last, sizeof(last));
	if (!wd || !first[0] || !last[0])
		return;
	/* What follows the weekday's name: " 13 December". */
	rest = last + strlen(dgettext(MODEL_TEXT_DOMAIN, model_weekday_name(wd)));
	snprintf(buf, size, "%s %s%s", first, dgettext(MODEL_TEXT_DOMAIN, to_weekdays[wd - 1]),
	         rest);
}

const char *
model_kind_words(const char *kind)
{
	static const char *const kinds[][2] = {
	        {"probation", N_("Probation appointment")},
	        {"health", N_("Health appointment")},
	        {"education", N_("Education session")},
	        {"legal", N_("Legal visit")},
	        {"visit", N_("Visit")},
	        {"release", N_("Release appointment")},
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			return kinds[i][1];
	return NULL;
}

int
model_date_diff(const char *a, const char *b)
{
	int64_t x = day_number(a), y = day_number(b);

	return x < 0 || y < 0 ? 0 : (int)(y - x);
}

bool
model_sentence_ends(const char *text)
{
	size_t n = strlen(text);

	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '"'))
		n--;
	return n > 0 && strchr(".!?", text[n - 1]) != NULL;
}
