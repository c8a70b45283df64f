/*
 * Appointments through the real daemon, onwardctl and the appointments app's channel:
 * staff book in London time (a time in the past, one the clocks skip and other bad input
 * refused with nothing stored); reminders fall at the right London time across the
 * October and March clock changes; moving and cancelling remake the reminders and tell
 * the person; the person's week with the countdown to release, confirming, asking to
 * rearrange (refused for the release day, with the policy's reason) and staff's answer
 * coming back; the home screen's badge, next appointment and banners, and dismissing a
 * banner; which staff may do what; and the audit chain.
 */
#include "app_session.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct test_daemon d;

static json_t *
parse(char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (!j)
		check_failed(__FILE__, __LINE__, "not JSON (%s): %s", err.text, text);
	free(text);
	return j;
}

/*
 * The last Sunday of month (3 or 10) in the first year whose one is at least 2 days off,
 * by the daemon's clock.
 */
static void
last_sunday(int month, char *ret)
{
	time_t now = (time_t)daemon_now(&d);

	for (int year = 2026;; year++) {
		struct tm tm = {0};
		time_t t;

		tm.tm_year = year - 1900;
		tm.tm_mon = month; /* the first of the next month, then back to a Sunday */
		tm.tm_mday = 1;
		tm.tm_hour = 12;
		t = timegm(&tm);
		gmtime_r(&t, &tm);
		t -= (time_t)(tm.tm_wday == 0 ? 7 : tm.tm_wday) * 86400;
		if (t > now + 2 * 86400) {
			gmtime_r(&t, &tm);
			strftime(ret, 11, "%Y-%m-%d", &tm);
			return;
		}
	}
}

/* The day before date (YYYY-MM-DD). */
static void
day_before(const char *date, char *ret)
{
	struct tm tm = {0};
	time_t t;

	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8) - 1;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(ret, 11, "%Y-%m-%d", &tm);
}

static int64_t
utc_seconds(const char *iso)
{
	struct tm tm = {0};

	CHECK(strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL);
	return (int64_t)timegm(&tm);
}

/* The reminder before appointment a with lead. */
static json_t *
reminder(json_t *a, const char *lead)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(a, "reminders"), i, m)
	{
		const char *l = json_string_value(json_object_get(m, "lead"));

		if (l && strcmp(l, lead) == 0 &&
		    strcmp(json_string_value(json_object_get(m, "kind")), "before") == 0)
			return m;
	}
	check_failed(__FILE__, __LINE__, "no %s reminder", lead);
}

static const char *
text(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Books and returns the appointment (owned); at is London time. */
static json_t *
book(const char *as, const char *person, const char *kind, const char *at, const char *where)
{
	json_t *r =
	        parse(session_ctl(&d, 0, as, "--json", "appointment", "add", person, "--kind", kind,
	                          "--at", at, "--where", where, "--with", "Morgan Brown", NULL));
	json_t *a = json_incref(json_object_get(r, "appointment"));

	json_decref(r);
	return a;
}

static json_t *
find(json_t *list, json_int_t id)
{
	size_t i;
	json_t *a;

	json_array_foreach(list, i,
	                   a) if (json_integer_value(json_object_get(a, "id")) == id) return a;
	check_failed(__FILE__, __LINE__, "appointment %lld not listed", (long long)id);
}

static json_t *
banner_of_kind(json_t *home, const char *kind)
{
	size_t i;
	json_t *b;

	json_array_foreach(json_object_get(home, "banners"), i,
	                   b) if (strcmp(text(b, "kind"), kind) == 0) return b;
	return NULL;
}

static int
appointments_badge(json_t *home)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(home, "tiles"), i,
	                   t) if (strcmp(text(t, "app"), "appointments") ==
	                          0) return (int)json_integer_value(json_object_get(t, "badge"));
	check_failed(__FILE__, __LINE__, "no appointments tile");
}

int
main(void)
{
	char sam_pin[16], cal_pin[16], date[11], at[40], october[11], march[11], before[11];
	char week_end[11], release_day[11];
	struct client *sam, *app, *stub;
	json_t *a, *p, *r, *home, *b, *list;
	json_int_t probation_id, health_id, release_id, other_id, request_id, banner_id;
	char id_text[24], *out;

	setenv("TZ", "Europe/London", 1);
	tzset();
	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	json_decref(daemon_admin_ok(&d, "onward.Establishment.Add",
	                            json_pack("{s:s, s:s}", "code", "BXI", "name", "HMP Brixton")));
	json_decref(daemon_admin_ok(&d, "onward.Establishment.Add",
	                            json_pack("{s:s, s:s, s:s}", "code", "NEP", "name",
	                                      "North East Probation", "kind", "probation")));
	session_add_staff(&d, "k.patel", "Kiran Patel", "key_worker", "MDI");
	session_add_staff(&d, "j.smith", "Jo Smith", "officer", "MDI");
	session_add_staff(&d, "r.evans", "Rhian Evans", "education", "MDI");
	session_add_staff(&d, "b.key", "Bo Key", "key_worker", "BXI");
	session_add_staff(&d, "m.brown", "Morgan Brown", "probation", "NEP");
	session_add_person(&d, "A1234BC", "Sam", "MDI", "sentenced", 47, sam_pin);
	session_add_person(&d, "C3456DE", "Cal", "MDI", "sentenced", 300, cal_pin);
	json_decref(daemon_admin_ok(
	        &d, "onward.Person.Set",
	        json_pack("{s:s, s:s}", "prison_number", "A1234BC", "worker", "m.brown")));
	session_register_app(&d, "appointments");
	session_register_app(&d, "stub");
	last_sunday(10, october);
	last_sunday(3, march);

	test_step("bad bookings are refused with a clear error, and nothing is stored");
	out = session_ctl(&d, 1, "k.patel", "appointment", "add", "A1234BC", "--kind", "health",
	                  "--at", "2020-01-06 10:00", "--where", "Healthcare", NULL);
	CHECK_CONTAINS(out,
	               "That time has already passed. Appointments are booked for the future.");
	free(out);
	out = session_ctl(&d, 1, "k.patel", "appointment", "add", "A1234BC", "--kind", "health",
	                  "--at", "next tuesday", "--where", "Healthcare", NULL);
	CHECK_CONTAINS(out, "Give the time in London time as YYYY-MM-DD HH:MM");
	free(out);
	snprintf(at, sizeof(at), "%s 01:30", march);
	out = session_ctl(&d, 1, "k.patel", "appointment", "add", "A1234BC", "--kind", "health",
	                  "--at", at, "--where", "Healthcare", NULL);
	CHECK_CONTAINS(out, "the clocks go forward an hour then");
	free(out);
	snprintf(at, sizeof(at), "%s 10:30", session_date(&d, 3, date));
	out = session_ctl(&d, 1, "k.patel", "appointment", "add", "A1234BC", "--kind", "dentist",
	                  "--at", at, "--where", "Healthcare", NULL);
	CHECK_CONTAINS(out, "The kind is probation, health, education, legal, visit or release.");
	free(out);
	out = session_ctl(&d, 1, "k.patel", "appointment", "add", "A1234BC", "--kind", "health",
	                  "--at", at, "--where", "", NULL);
	CHECK_CONTAINS(out, "Say where, in up to 100 characters.");
	free(out);
	out = session_ctl(&d, 1, "k.patel", "appointment", "add", "A1234BC", "--kind", "health",
	                  "--at", "2030-01-01 10:00", "--where", "Healthcare", NULL);
	CHECK_CONTAINS(out, "more than two years away");
	free(out);
	out = session_ctl(&d, 1, "k.patel", "appointment", "add", "A1234BC", "--kind", "health",
	                  "--at", at, "--where", "Healthcare", "--minutes", "1", NULL);
	free(out);
	p = parse(session_ctl(&d, 0, "k.patel", "--json", "appointment", "list", "A1234BC", NULL));
	CHECK_INT(json_array_size(json_object_get(p, "appointments")), 0);
	json_decref(p);

	test_step("booked in London time; reminders at the kind's lead times");
	a = book("k.patel", "A1234BC", "probation", at, "Doncaster Probation Office");
	probation_id = json_integer_value(json_object_get(a, "id"));
	CHECK_STR(text(a, "local"), at);
	CHECK_STR(text(a, "status"), "booked");
	CHECK_STR(text(a, "booked_by"), "k.patel");
	CHECK_INT(json_array_size(json_object_get(a, "reminders")), 2);
	day_before(date, before);
	snprintf(at, sizeof(at), "%s 18:00", before);
	CHECK_STR(text(reminder(a, "1d@18:00"), "due"), at);
	snprintf(at, sizeof(at), "%s 08:30", date);
	CHECK_STR(text(reminder(a, "2h"), "due"), at);
	CHECK_STR(text(reminder(a, "2h"), "state"), "pending");
	json_decref(a);

	test_step("a day before across the October change is 25 hours, same clock time");
	snprintf(at, sizeof(at), "%s 10:30", october);
	a = book("k.patel", "A1234BC", "health", at, "Healthcare unit");
	day_before(october, before);
	snprintf(at, sizeof(at), "%s 10:30", before);
	CHECK_STR(text(reminder(a, "1d"), "due"), at);
	CHECK_INT(utc_seconds(text(a, "at")) - utc_seconds(text(reminder(a, "1d"), "due_at")),
	          25 * 3600);
	CHECK_INT(utc_seconds(text(a, "at")) - utc_seconds(text(reminder(a, "1h"), "due_at")),
	          3600);
	json_decref(a);

	test_step("and across the March change 23 hours");
	snprintf(at, sizeof(at), "%s 10:30", march);
	a = book("k.patel", "A1234BC", "health", at, "Healthcare unit");
	health_id = json_integer_value(json_object_get(a, "id"));
	day_before(march, before);
	snprintf(at, sizeof(at), "%s 10:30", before);
	CHECK_STR(text(reminder(a, "1d"), "due"), at);
	CHECK_INT(utc_seconds(text(a, "at")) - utc_seconds(text(reminder(a, "1d"), "due_at")),
	          23 * 3600);
	json_decref(a);

	test_step("who may book: the establishment's staff and the person's own worker");
	snprintf(at, sizeof(at), "%s 14:00", session_date(&d, 5, date));
	out = session_ctl(&d, 1, "r.evans", "appointment", "add", "A1234BC", "--kind", "education",
	                  "--at", at, "--where", "Education block", NULL);
	CHECK_CONTAINS(out, "Your role cannot do this here.");
	free(out);
	out = session_ctl(&d, 1, "b.key", "appointment", "add", "A1234BC", "--kind", "visit",
	                  "--at", at, "--where", "Visits hall", NULL);
	CHECK_CONTAINS(out, "Your role cannot do this here.");
	free(out);
	a = book("m.brown", "A1234BC", "probation", at, "Video link room 2");
	json_decref(a);
	out = session_ctl(&d, 1, "m.brown", "appointment", "add", "C3456DE", "--kind", "probation",
	                  "--at", at, "--where", "Video link room 2", NULL);
	CHECK_CONTAINS(out, "Your role cannot do this here.");
	free(out);
	a = book("j.smith", "C3456DE", "visit", at, "Visits hall");
	other_id = json_integer_value(json_object_get(a, "id"));
	json_decref(a);
	snprintf(id_text, sizeof(id_text), "%lld", (long long)probation_id);
	snprintf(at, sizeof(at), "%s 11:00", session_date(&d, 4, date));
	out = session_ctl(&d, 1, "b.key", "appointment", "move", id_text, "--at", at, NULL);
	CHECK_CONTAINS(out, "Your role cannot do this here.");
	free(out);

	test_step("moving remakes the reminders and tells the person; past times refused");
	a = json_object_get(r = parse(session_ctl(&d, 0, "k.patel", "--json", "appointment", "move",
	                                          id_text, "--at", at, NULL)),
	                    "appointment");
	CHECK_STR(text(a, "local"), at);
	snprintf(at, sizeof(at), "%s 09:00", date);
	CHECK_STR(text(reminder(a, "2h"), "due"), at);
	CHECK_INT(json_array_size(json_object_get(a, "reminders")), 3); /* 2 before, 1 notice */
	json_decref(r);
	out = session_ctl(&d, 1, "k.patel", "appointment", "move", id_text, "--at",
	                  "2021-03-01 10:00", NULL);
	CHECK_CONTAINS(out, "That time has already passed.");
	free(out);
	snprintf(at, sizeof(at), "%s 11:00", date);
	out = session_ctl(&d, 1, "k.patel", "appointment", "move", id_text, "--at", at, NULL);
	CHECK_CONTAINS(out, "The appointment is already at that time.");
	free(out);
	out = session_ctl(&d, 1, "k.patel", "appointment", "move", "9999", "--at", at, NULL);
	CHECK_CONTAINS(out, "No such appointment.");
	free(out);

	test_step("the release day, booked by staff");
	snprintf(at, sizeof(at), "%s 08:00", session_date(&d, 47, release_day));
	a = book("k.patel", "A1234BC", "release", at, "Reception, HMP Moorland");
	release_id = json_integer_value(json_object_get(a, "id"));
	json_decref(a);

	test_step("the person's week: appointments in London time and the countdown");
	sam = session_login(&d, "A1234BC", sam_pin);
	app = session_open_app(sam, "appointments");
	p = session_ok(app, "onward.Appointment.List", NULL);
	CHECK_STR(text(p, "from"), session_date(&d, 0, date));
	CHECK_STR(text(p, "to"), session_date(&d, 6, week_end));
	CHECK_INT(json_integer_value(json_object_get(json_object_get(p, "release"), "days")), 47);
	CHECK_STR(text(json_object_get(p, "release"), "date"), release_day);
	list = json_object_get(p, "appointments");
	CHECK_INT(json_array_size(list), 2); /* the moved probation and the video link */
	a = find(list, probation_id);
	CHECK_STR(text(a, "date"), session_date(&d, 4, date));
	CHECK_STR(text(a, "time"), "11:00");
	CHECK_STR(text(a, "kind_words"), "probation appointment");
	CHECK_STR(text(a, "where"), "Doncaster Probation Office");
	CHECK(json_is_false(json_object_get(a, "confirmed")));
	CHECK(json_is_true(json_object_get(json_object_get(a, "change"), "allowed")));
	CHECK(json_object_get(a, "reminders") == NULL); /* staff detail stays with staff */
	CHECK_INT(json_integer_value(json_object_get(json_object_get(p, "next"), "id")),
	          probation_id);
	json_decref(p);
	p = session_ok(app, "onward.Appointment.List",
	               json_pack("{s:s, s:s}", "from", release_day, "to", release_day));
	a = find(json_object_get(p, "appointments"), release_id);
	CHECK(json_is_false(json_object_get(json_object_get(a, "change"), "allowed")));
	CHECK_STR(text(json_object_get(a, "change"), "reason"),
	          "Your release day cannot be moved from here. Talk to your key worker or "
	          "probation officer.");
	json_decref(p);
	session_fails(app, "onward.Appointment.List",
	              json_pack("{s:s, s:s}", "from", week_end, "to", date),
	              "onward.InvalidParameter", "the last not before the first", "to");
	session_fails(app, "onward.Appointment.List",
	              json_pack("{s:s, s:s}", "from", date, "to", session_date(&d, 90, week_end)),
	              "onward.InvalidParameter", "Ask for 1 to 62 days", "to");
	session_fails(app, "onward.Appointment.List", json_pack("{s:s}", "from", "tomorrow"),
	              "onward.InvalidParameter", "Give the first day as YYYY-MM-DD.", "from");

	test_step("confirming, and asking to rearrange with a reason");
	p = session_ok(app, "onward.Appointment.Confirm", json_pack("{s:I}", "id", probation_id));
	CHECK(json_is_true(json_object_get(json_object_get(p, "appointment"), "confirmed")));
	json_decref(p);
	p = session_ok(app, "onward.Appointment.AskChange",
	               json_pack("{s:I, s:s}", "id", probation_id, "reason",
	                         "I have a family visit booked then."));
	a = json_object_get(p, "appointment");
	CHECK_STR(text(json_object_get(a, "request"), "status"), "open");
	request_id = json_integer_value(json_object_get(json_object_get(a, "request"), "id"));
	json_decref(p);
	session_fails(app, "onward.Appointment.AskChange",
	              json_pack("{s:I, s:s}", "id", probation_id, "reason", "Again"),
	              "onward.Conflict", "You have already asked to change this appointment.",
	              NULL);
	session_fails(app, "onward.Appointment.AskChange",
	              json_pack("{s:I, s:s}", "id", release_id, "reason", "Can it be earlier?"),
	              "onward.PermissionDenied",
	              "Your release day cannot be moved from here. Talk to your key worker or "
	              "probation officer.",
	              NULL);
	json_decref(session_ok(app, "onward.Appointment.Confirm",
	                       json_pack("{s:I}", "id", release_id)));
	session_fails(app, "onward.Appointment.AskChange",
	              json_pack("{s:I, s:s}", "id", health_id, "reason", ""),
	              "onward.InvalidParameter", "Tell staff why", "reason");
	session_fails(app, "onward.Appointment.Confirm", json_pack("{s:I}", "id", other_id),
	              "onward.NotFound", "No such appointment.", NULL);
	session_fails(app, "onward.Appointment.AskChange",
	              json_pack("{s:I, s:s}", "id", other_id, "reason", "x"), "onward.NotFound",
	              "No such appointment.", NULL);

	test_step("the request reaches staff, and their answer comes back");
	out = session_ctl(&d, 0, "k.patel", "appointment", "requests", NULL);
	CHECK_CONTAINS(out, "I have a family visit booked then.");
	CHECK_CONTAINS(out, "A1234BC Sam Jones");
	free(out);
	out = session_ctl(&d, 0, "b.key", "appointment", "requests", NULL);
	CHECK_CONTAINS(out, "no requests"); /* Brixton's list */
	free(out);
	snprintf(id_text, sizeof(id_text), "%lld", (long long)request_id);
	out = session_ctl(&d, 1, "k.patel", "appointment", "answer", id_text, "--outcome", "maybe",
	                  "--text", "x", NULL);
	CHECK_CONTAINS(out, "The outcome is agreed or declined.");
	free(out);
	free(session_ctl(&d, 0, "k.patel", "appointment", "answer", id_text, "--outcome", "agreed",
	                 "--text", "Yes. We will find a new time and tell you.", NULL));
	out = session_ctl(&d, 1, "k.patel", "appointment", "answer", id_text, "--outcome",
	                  "declined", "--text", "No", NULL);
	CHECK_CONTAINS(out, "This request has been answered already.");
	free(out);
	p = session_ok(app, "onward.Appointment.List", NULL);
	a = find(json_object_get(p, "appointments"), probation_id);
	CHECK_STR(text(json_object_get(a, "request"), "status"), "agreed");
	CHECK_STR(text(json_object_get(a, "request"), "answer"),
	          "Yes. We will find a new time and tell you.");
	json_decref(p);

	test_step("cancelling tells the person why; a cancelled one cannot be changed");
	snprintf(id_text, sizeof(id_text), "%lld", (long long)health_id);
	free(session_ctl(&d, 0, "k.patel", "appointment", "cancel", id_text, "--reason",
	                 "The nurse is away that day.", NULL));
	out = session_ctl(&d, 1, "k.patel", "appointment", "cancel", id_text, NULL);
	CHECK_CONTAINS(out, "This appointment was cancelled.");
	free(out);
	out = session_ctl(&d, 1, "k.patel", "appointment", "move", id_text, "--at", at, NULL);
	CHECK_CONTAINS(out, "This appointment was cancelled.");
	free(out);
	session_fails(app, "onward.Appointment.Confirm", json_pack("{s:I}", "id", health_id),
	              "onward.Conflict", "This appointment was cancelled.", NULL);

	test_step("home: the badge, the next appointment and the banners");
	home = session_ok(sam, "onward.Shell.Home", NULL);
	b = banner_of_kind(home, "moved");
	CHECK(b != NULL);
	CHECK_CONTAINS(text(b, "text"), "Your probation appointment has moved. It is now on ");
	CHECK_CONTAINS(text(b, "text"), "at 11:00, at Doncaster Probation Office.");
	b = banner_of_kind(home, "answered");
	CHECK(b != NULL);
	CHECK_CONTAINS(text(b, "text"), "Staff answered about your probation appointment");
	CHECK_CONTAINS(text(b, "text"), ": Yes. We will find a new time and tell you.");
	b = banner_of_kind(home, "cancelled");
	CHECK(b != NULL);
	CHECK_CONTAINS(text(b, "text"), "Your health appointment on ");
	CHECK_CONTAINS(text(b, "text"), " is cancelled. Staff say: The nurse is away that day.");
	CHECK_INT(appointments_badge(home), (int)json_array_size(json_object_get(home, "banners")));
	CHECK_INT(appointments_badge(home), 3);
	CHECK_STR(text(json_object_get(home, "next_appointment"), "kind"), "probation");
	CHECK_STR(text(json_object_get(home, "next_appointment"), "where"),
	          "Doncaster Probation Office");

	test_step("dismissing a banner, once; another person's is not there");
	banner_id = json_integer_value(json_object_get(b, "id"));
	p = session_ok(sam, "onward.Reminder.Dismiss", json_pack("{s:I}", "id", banner_id));
	CHECK_INT(json_integer_value(json_object_get(p, "remaining")), 2);
	CHECK_STR(text(p, "state"), "dismissed");
	json_decref(p);
	p = session_ok(sam, "onward.Reminder.Dismiss", json_pack("{s:I}", "id", banner_id));
	CHECK_INT(json_integer_value(json_object_get(p, "remaining")), 2);
	json_decref(p);
	session_fails(sam, "onward.Reminder.Dismiss", json_pack("{s:I}", "id", 99999),
	              "onward.NotFound", "No such reminder.", NULL);
	json_decref(home);
	home = session_ok(sam, "onward.Shell.Home", NULL);
	CHECK(banner_of_kind(home, "cancelled") == NULL);
	CHECK_INT(appointments_badge(home), 2);
	json_decref(home);
	test_step("the app still lists a dismissed reminder, saying it was hidden");
	p = session_ok(app, "onward.Appointment.List", NULL);
	{
		json_t *reminders = json_object_get(p, "reminders"), *m;
		size_t i, hidden = 0;

		CHECK_INT(json_array_size(reminders), 3);
		json_array_foreach(reminders, i, m)
		{
			CHECK(json_is_boolean(json_object_get(m, "hidden")));
			if (json_integer_value(json_object_get(m, "id")) != banner_id)
				continue;
			hidden++;
			CHECK(json_is_true(json_object_get(m, "hidden")));
			CHECK_STR(text(m, "kind"), "cancelled");
			CHECK_CONTAINS(text(m, "text"), "Staff say: The nurse is away that day.");
		}
		CHECK_INT(hidden, 1);
	}
	json_decref(p);
	{
		struct client *cal = session_login(&d, "C3456DE", cal_pin);

		home = session_ok(cal, "onward.Shell.Home", NULL);
		CHECK_INT(json_array_size(json_object_get(home, "banners")), 0);
		session_fails(cal, "onward.Reminder.Dismiss", json_pack("{s:I}", "id", banner_id),
		              "onward.NotFound", "No such reminder.", NULL);
		json_decref(home);
		client_free(cal);
	}
	session_fails(app, "onward.Reminder.Dismiss", json_pack("{s:I}", "id", 1),
	              "onward.MethodNotFound", "", NULL);

	test_step("only the appointments app may ask");
	stub = session_open_app(sam, "stub");
	session_fails(stub, "onward.Appointment.List", NULL, "onward.PermissionDenied",
	              "Only the appointments app can do this.", NULL);
	client_free(stub);

	test_step("lead times per kind: shown, set by administrators, checked");
	out = session_ctl(&d, 0, "k.patel", "appointment", "leads", NULL);
	CHECK_CONTAINS(out, "probation  1d@18:00,2h");
	CHECK_CONTAINS(out, "release    7d,1d@18:00");
	free(out);
	out = session_ctl(&d, 1, "k.patel", "appointment", "set-leads", "health", "--leads", "2h",
	                  NULL);
	CHECK_CONTAINS(out, "Your role cannot do this here.");
	free(out);
	out = session_ctl(&d, 1, "admin", "appointment", "set-leads", "health", "--leads", "2h,2h",
	                  NULL);
	CHECK_CONTAINS(out, "Give 1 to 4 different lead times");
	free(out);
	out = session_ctl(&d, 1, "admin", "appointment", "set-leads", "dentist", "--leads", "2h",
	                  NULL);
	CHECK_CONTAINS(out, "The kind is probation");
	free(out);
	out = session_ctl(&d, 0, "admin", "appointment", "set-leads", "health", "--leads",
	                  "2h,1d@19:30", NULL);
	CHECK_CONTAINS(out, "health: reminders 1d@19:30,2h before");
	free(out);
	out = session_ctl(&d, 0, "admin", "appointment", "leads", NULL);
	CHECK_CONTAINS(out, "health     1d@19:30,2h");
	CHECK_CONTAINS(out, " by admin");
	free(out);

	test_step("every change is audited, and the chain verifies");
	out = session_ctl(&d, 0, "admin", "audit", "show", "--subject", "person:A1234BC", "--limit",
	                  "1000", NULL);
	CHECK_CONTAINS(out, "appointment.add");
	CHECK_CONTAINS(out, "appointment.move");
	CHECK_CONTAINS(out, "appointment.cancel");
	CHECK_CONTAINS(out, "appointment.answer");
	CHECK_CONTAINS(out, "appointment.confirm");
	CHECK_CONTAINS(out, "appointment.ask_change");
	CHECK_CONTAINS(out, "reminder.dismiss");
	free(out);
	free(session_ctl(&d, 0, "admin", "audit", "verify", NULL));

	client_free(app);
	client_free(sam);
	daemon_remove(&d);
	printf("test-appointments: OK\n");
	return 0;
}
