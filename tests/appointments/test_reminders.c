/*
 * Reminders in real time through the real daemon: one due a minute before an appointment
 * is not shown early; its time passes while the daemon (the tablet) is off, and it is
 * there when it is back; it is shown once, not twice, across a clean restart and across
 * kill -9; staff see when it was first shown; dismissed, it stays dismissed after a
 * restart; and an appointment booked too late for its lead times still reminds, once.
 */
#include "app_session.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct test_daemon d;

static const char *
text(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* London time `seconds` from now by the daemon's clock, "YYYY-MM-DD HH:MM:SS". */
static const char *
london_in(int seconds, char *buf, size_t size)
{
	struct tm tm;

	daemon_london(&d, seconds, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static json_t *
parse(char *out)
{
	json_error_t err;
	json_t *j = json_loads(out, 0, &err);

	if (!j)
		check_failed(__FILE__, __LINE__, "not JSON (%s): %s", err.text, out);
	free(out);
	return j;
}

/* The person's banners now, after logging in afresh (as after the tablet starts). */
static json_t *
banners(const char *pin)
{
	struct client *c = session_login(&d, "A1234BC", pin);
	json_t *home = session_ok(c, "onward.Shell.Home", NULL);
	json_t *b = json_incref(json_object_get(home, "banners"));

	json_decref(home);
	client_free(c);
	return b;
}

static json_t *
reminders_of(json_int_t id)
{
	json_t *list = parse(session_ctl(&d, 0, "admin", "--json", "appointment", "list", "A1234BC",
	                                 NULL)),
	       *a, *r = NULL;
	size_t i;

	json_array_foreach(json_object_get(list, "appointments"), i, a)
	{
		if (json_integer_value(json_object_get(a, "id")) == id)
			r = json_incref(json_object_get(a, "reminders"));
	}
	json_decref(list);
	CHECK(r != NULL);
	return r;
}

int
main(void)
{
	char pin[16], at[40];
	json_t *r, *b, *rem;
	json_int_t id, reminder_id, late_id;
	time_t due;

	setenv("TZ", "Europe/London", 1);
	tzset();
	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	session_add_person(&d, "A1234BC", "Sam", "MDI", "sentenced", 60, pin);
	session_register_app(&d, "appointments");
	free(session_ctl(&d, 0, "admin", "appointment", "set-leads", "health", "--leads", "1m",
	                 NULL));

	test_step("a reminder due a minute before is not shown early");
	r = parse(session_ctl(&d, 0, "admin", "--json", "appointment", "add", "A1234BC", "--kind",
	                      "health", "--at", london_in(75, at, sizeof(at)), "--where",
	                      "Healthcare unit", NULL));
	id = json_integer_value(json_object_get(json_object_get(r, "appointment"), "id"));
	rem = json_object_get(json_object_get(r, "appointment"), "reminders");
	CHECK_INT(json_array_size(rem), 1);
	reminder_id = json_integer_value(json_object_get(json_array_get(rem, 0), "id"));
	{
		struct tm tm = {0};

		CHECK(strptime(text(json_array_get(rem, 0), "due_at"), "%Y-%m-%dT%H:%M:%SZ", &tm));
		due = timegm(&tm);
	}
	json_decref(r);
	b = banners(pin);
	CHECK_INT(json_array_size(b), 0);
	json_decref(b);

	test_step("its time passes while the tablet is off; it is there when it is back");
	daemon_stop(&d);
	CHECK(daemon_now(&d) < due);
	daemon_clock_advance(&d, due + 2 - daemon_now(&d));
	daemon_start(&d);
	b = banners(pin);
	CHECK_INT(json_array_size(b), 1);
	CHECK_INT(json_integer_value(json_object_get(json_array_get(b, 0), "id")), reminder_id);
	CHECK_CONTAINS(text(json_array_get(b, 0), "text"),
	               "Reminder: your health appointment is today at ");
	CHECK_CONTAINS(text(json_array_get(b, 0), "text"), ", at Healthcare unit.");
	json_decref(b);
	rem = reminders_of(id);
	CHECK_STR(text(json_array_get(rem, 0), "state"), "shown");
	CHECK(json_is_string(json_object_get(json_array_get(rem, 0), "shown_at")));
	json_decref(rem);

	test_step("shown once, not twice, after a restart and after kill -9");
	daemon_stop(&d);
	daemon_start(&d);
	b = banners(pin);
	CHECK_INT(json_array_size(b), 1);
	CHECK_INT(json_integer_value(json_object_get(json_array_get(b, 0), "id")), reminder_id);
	json_decref(b);
	daemon_kill(&d);
	daemon_start(&d);
	b = banners(pin);
	CHECK_INT(json_array_size(b), 1);
	CHECK_INT(json_integer_value(json_object_get(json_array_get(b, 0), "id")), reminder_id);
	json_decref(b);

	test_step("dismissed, it stays dismissed");
	{
		struct client *c = session_login(&d, "A1234BC", pin);

		json_decref(session_ok(c, "onward.Reminder.Dismiss",
		                       json_pack("{s:I}", "id", reminder_id)));
		client_free(c);
	}
	daemon_kill(&d);
	daemon_start(&d);
	b = banners(pin);
	CHECK_INT(json_array_size(b), 0);
	json_decref(b);
	rem = reminders_of(id);
	CHECK_STR(text(json_array_get(rem, 0), "state"), "dismissed");
	json_decref(rem);

	test_step("booked too late for its lead times: one reminder, at once");
	free(session_ctl(&d, 0, "admin", "appointment", "set-leads", "health", "--leads", "1d,1h",
	                 NULL));
	r = parse(session_ctl(&d, 0, "admin", "--json", "appointment", "add", "A1234BC", "--kind",
	                      "health", "--at", london_in(600, at, sizeof(at)), "--where",
	                      "Healthcare unit", NULL));
	late_id = json_integer_value(json_object_get(json_object_get(r, "appointment"), "id"));
	rem = json_object_get(json_object_get(r, "appointment"), "reminders");
	CHECK_INT(json_array_size(rem), 1);
	CHECK_STR(text(json_array_get(rem, 0), "lead"), "1h");
	json_decref(r);
	b = banners(pin);
	CHECK_INT(json_array_size(b), 1);
	CHECK_CONTAINS(text(json_array_get(b, 0), "text"), "Reminder: your health appointment is");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(b, 0), "appointment")),
	          late_id);
	json_decref(b);

	test_step("three hours ahead: the day-before one now, the hour-before one later");
	r = parse(session_ctl(&d, 0, "admin", "--json", "appointment", "add", "A1234BC", "--kind",
	                      "health", "--at", london_in(3 * 3600, at, sizeof(at)), "--where",
	                      "Dentist", NULL));
	rem = json_object_get(json_object_get(r, "appointment"), "reminders");
	CHECK_INT(json_array_size(rem), 2);
	CHECK_STR(text(json_array_get(rem, 0), "lead"), "1d");
	CHECK_STR(text(json_array_get(rem, 1), "lead"), "1h");
	snprintf(at, sizeof(at), "%lld",
	         (long long)json_integer_value(
	                 json_object_get(json_object_get(r, "appointment"), "id")));
	json_decref(r);
	b = banners(pin);
	CHECK_INT(json_array_size(b), 2);
	json_decref(b);

	test_step("cancelled: its reminder is not shown, the cancellation is; the record stays");
	free(session_ctl(&d, 0, "admin", "appointment", "cancel", at, "--reason",
	                 "The dentist is ill.", NULL));
	b = banners(pin);
	CHECK_INT(json_array_size(b), 2);
	CHECK_STR(text(json_array_get(b, 0), "kind"), "before");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(b, 0), "appointment")),
	          late_id);
	CHECK_STR(text(json_array_get(b, 1), "kind"), "cancelled");
	CHECK_CONTAINS(text(json_array_get(b, 1), "text"), "Staff say: The dentist is ill.");
	json_decref(b);
	rem = reminders_of(atoll(at));
	CHECK_INT(json_array_size(rem), 3); /* the two before it, and the notice */
	json_decref(rem);

	free(session_ctl(&d, 0, "admin", "audit", "verify", NULL));
	daemon_remove(&d);
	printf("test-reminders: OK\n");
	return 0;
}
