/*
 * onward-app-appointments' reading of replies and its calendar days (apps/appointments/
 * model.c): good and hostile replies (wrong types, impossible dates and times, control
 * characters, more appointments than the app keeps), and day arithmetic across months,
 * years and leap days.
 */
#include "check.h"
#include "model.h"

#include <errno.h>
#include <string.h>

#define GOOD                                                                                       \
	"{\"id\": 7, \"kind\": \"release\", \"kind_words\": \"release appointment\", \"date\": "   \
	"\"2027-01-29\", \"time\": \"08:00\", \"weekday\": 5, \"minutes\": 60, \"where\": "        \
	"\"Reception\", \"with\": null, \"status\": \"booked\", \"confirmed\": true, "             \
	"\"request\": "                                                                            \
	"{\"id\": 1, \"reason\": \"Earlier?\", \"status\": \"declined\", \"answer\": \"No.\"}, "   \
	"\"change\": {\"allowed\": false, \"reason\": \"Your release day cannot be moved from "    \
	"here.\"}}"

static int
one(const char *text, struct appt *ret)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);
	int r;

	if (!v)
		check_failed(__FILE__, __LINE__, "bad test JSON: %s", text);
	r = model_read_appointment(v, ret);
	json_decref(v);
	return r;
}

int
main(void)
{
	static struct appt_list l;
	struct appt a;
	char day[11], words[64];
	json_t *v, *list;

	test_step("a good appointment, with a request answered and the policy's reason");
	CHECK_INT(one(GOOD, &a), 0);
	CHECK_INT(a.id, 7);
	CHECK_STR(a.kind_words, "Release appointment"); /* the app's words, not the daemon's */
	CHECK_STR(a.time, "08:00");
	CHECK(a.confirmed);
	CHECK(!a.cancelled);
	CHECK(a.has_request);
	CHECK_STR(a.request_answer, "No.");
	CHECK(!a.change_allowed);
	CHECK_STR(a.change_reason, "Your release day cannot be moved from here.");

	test_step("hostile appointments are refused");
	{
		static const char *const bad[] = {
		        "{}",
		        "{\"id\": 0, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"08:00\", "
		        "\"weekday\": 5, \"minutes\": 60, \"where\": \"R\", \"status\": "
		        "\"booked\"}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-02-29\", \"time\": "
		        "\"08:00\", "
		        "\"weekday\": 5, \"minutes\": 60, \"where\": \"R\", \"status\": "
		        "\"booked\"}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"24:00\", "
		        "\"weekday\": 5, \"minutes\": 60, \"where\": \"R\", \"status\": "
		        "\"booked\"}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"8:00\", "
		        "\"weekday\": 5, \"minutes\": 60, \"where\": \"R\", \"status\": "
		        "\"booked\"}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"08:00\", "
		        "\"weekday\": 8, \"minutes\": 60, \"where\": \"R\", \"status\": "
		        "\"booked\"}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"08:00\", "
		        "\"weekday\": 5, \"minutes\": 60, \"where\": \"R\\u001b\", \"status\": "
		        "\"booked\"}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"08:00\", "
		        "\"weekday\": 5, \"minutes\": 60, \"where\": \"R\", \"status\": \"moved\"}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"08:00\", "
		        "\"weekday\": 5, \"minutes\": 60, \"where\": \"R\", \"status\": "
		        "\"booked\", "
		        "\"request\": 3}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"08:00\", "
		        "\"weekday\": 5, \"minutes\": 60, \"where\": \"R\", \"status\": "
		        "\"booked\", "
		        "\"change\": {\"allowed\": \"no\"}}",
		        "{\"id\": 1, \"kind\": \"x\", \"date\": \"2027-01-29\", \"time\": "
		        "\"08:00\", "
		        "\"weekday\": 5, \"minutes\": -5, \"where\": \"R\", \"status\": "
		        "\"booked\"}",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (one(bad[i], &a) != -EBADMSG)
				check_failed(__FILE__, __LINE__, "accepted: %s", bad[i]);
	}

	test_step("a list: the countdown, bad appointments left out, at most 100 kept");
	list = json_array();
	for (int i = 0; i < 150; i++)
		json_array_append_new(list, json_loads(GOOD, 0, NULL));
	json_array_insert_new(list, 3, json_pack("{s:i}", "id", 9));
	v = json_pack("{s:s, s:s, s:s, s:{s:s, s:i}, s:o}", "today", "2026-11-23", "from",
	              "2026-11-23", "to", "2026-11-29", "release", "date", "2027-01-29", "days", 67,
	              "appointments", list);
	CHECK_INT(model_read_list(v, &l), 0);
	CHECK(l.has_release);
	CHECK_INT(l.release_days, 67);
	CHECK_INT(l.n, 100);
	CHECK_INT(l.skipped, 51);
	json_object_set_new(v, "today", json_string("tomorrow"));
	CHECK_INT(model_read_list(v, &l), -EBADMSG);
	json_object_set_new(v, "today", json_string("2026-11-23"));
	json_object_set_new(v, "release",
	                    json_pack("{s:s, s:i}", "date", "2027-01-29", "days", -1));
	CHECK_INT(model_read_list(v, &l), -EBADMSG);
	json_object_set_new(v, "release", json_null());
	CHECK_INT(model_read_list(v, &l), 0);
	CHECK(!l.has_release);
	json_decref(v);

	test_step("a list's reminders: the hidden ones say so, bad ones left out, at most 50 kept");
	v = json_pack("{s:s, s:s, s:s, s:[]}", "today", "2026-11-23", "from", "2026-11-23", "to",
	              "2026-11-29", "appointments");
	list = json_array();
	json_array_append_new(list,
	                      json_pack("{s:i, s:s, s:b}", "id", 4, "text",
	                                "Reminder: your visit is today at 14:00.", "hidden", 1));
	json_array_append_new(list, json_pack("{s:i, s:s}", "id", 5, "text", "No hidden field."));
	json_array_append_new(list, json_pack("{s:i, s:s}", "id", 0, "text", "No id."));
	json_array_append_new(list, json_pack("{s:i, s:s}", "id", 6, "text", "Bad\x01text."));
	json_array_append_new(list,
	                      json_pack("{s:i, s:s, s:s}", "id", 7, "text", "x", "hidden", "yes"));
	json_array_append_new(list, json_pack("{s:i}", "id", 8));
	json_object_set_new(v, "reminders", list);
	CHECK_INT(model_read_list(v, &l), 0);
	CHECK_INT(l.n_reminders, 2);
	CHECK_INT(l.skipped, 4);
	CHECK(l.reminders[0].id == 4 && l.reminders[0].hidden);
	CHECK_STR(l.reminders[0].text, "Reminder: your visit is today at 14:00.");
	CHECK(l.reminders[1].id == 5 && !l.reminders[1].hidden);
	for (int i = 0; i < 60; i++)
		json_array_append_new(list,
		                      json_pack("{s:i, s:s}", "id", 10 + i, "text", "Again."));
	CHECK_INT(model_read_list(v, &l), 0);
	CHECK_INT(l.n_reminders, 50);
	json_object_set_new(v, "reminders", json_string("none"));
	CHECK_INT(model_read_list(v, &l), -EBADMSG);
	json_object_set_new(v, "reminders", json_null());
	CHECK_INT(model_read_list(v, &l), 0);
	CHECK_INT(l.n_reminders, 0);
	json_decref(v);

	test_step("calendar days");
	CHECK_INT(model_date_add("2026-11-23", 7, day), 0);
	CHECK_STR(day, "2026-11-30");
	CHECK_INT(model_date_add("2026-12-28", 7, day), 0);
	CHECK_STR(day, "2027-01-04");
	CHECK_INT(model_date_add("2028-03-01", -1, day), 0);
	CHECK_STR(day, "2028-02-29");
	CHECK_INT(model_date_add("2027-03-01", -1, day), 0);
	CHECK_STR(day, "2027-02-28");
	CHECK_INT(model_date_add("2026-11-31", 1, day), -EINVAL);
	CHECK_INT(model_date_weekday("2026-11-23"), 1);
	CHECK_INT(model_date_weekday("2026-11-29"), 7);
	CHECK_INT(model_date_weekday("1970-01-01"), 4);
	CHECK_INT(model_date_weekday("2026-1-23"), 0);
	CHECK_INT(model_date_diff("2026-11-23", "2027-01-29"), 67);
	CHECK_INT(model_date_diff("2027-01-29", "2026-11-23"), -67);
	model_date_words("2026-12-03", false, words, sizeof(words));
	CHECK_STR(words, "Thursday 3 December");
	model_date_words("2027-01-29", true, words, sizeof(words));
	CHECK_STR(words, "Friday 29 January 2027");
	model_date_words("29/01/2027", true, words, sizeof(words));
	CHECK_STR(words, "");

	printf("test-appointments-model: OK\n");
	return 0;
}
