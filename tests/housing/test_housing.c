/*
 * A housing enquiry through the real daemon, as the housing app and housing staff would
 * make it: refused before the last 12 weeks with the policy's reason; a draft saved field
 * by field and resumed in a new session and after a restart; every bad field refused by
 * name with nothing stored; sending once and only when complete; staff moving the status
 * forward and replying, each seen by the person in the thread; the person's replies;
 * other apps and other staff refused; and the audit rows.
 */
#include "app_session.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct test_daemon d;

/* The enquiry as the person sees it now. */
static json_t *
enquiry(struct client *app)
{
	json_t *p = session_ok(app, "onward.Housing.Get", NULL);
	json_t *e = json_incref(json_object_get(p, "enquiry"));

	json_decref(p);
	return e;
}

/* A SaveDraft that must be refused naming parameter, with nothing stored. */
static void
refused_field(struct client *app, json_t *fields, const char *parameter, const char *message)
{
	json_t *before = enquiry(app), *after;

	session_fails(app, "onward.Housing.SaveDraft", fields, "onward.InvalidParameter", message,
	              parameter);
	after = enquiry(app);
	if (!json_equal(before, after)) {
		char *a = json_dumps(before, JSON_SORT_KEYS),
		     *b = json_dumps(after, JSON_SORT_KEYS);

		check_failed(__FILE__, __LINE__, "stored despite the error:\n%s\n%s", a, b);
	}
	json_decref(before);
	json_decref(after);
}

static const char *
field(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int
main(void)
{
	char sam_pin[16], lee_pin[16], date[11], far[11];
	struct client *sam, *app, *lee, *lee_app, *stub;
	json_t *p, *e, *msgs;
	char *out;

	setenv("TZ", "Europe/London", 1);
	tzset();
	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	json_decref(daemon_admin_ok(&d, "onward.Establishment.Add",
	                            json_pack("{s:s, s:s}", "code", "BXI", "name", "HMP Brixton")));
	session_add_staff(&d, "h.ali", "Hana Ali", "housing", NULL);
	session_add_staff(&d, "k.patel", "Kiran Patel", "key_worker", "MDI");
	session_add_staff(&d, "b.key", "Bo Key", "key_worker", "BXI");
	session_add_staff(&d, "r.evans", "Rhian Evans", "education", "MDI");
	session_add_person(&d, "A1234BC", "Sam", "MDI", "sentenced", 60, sam_pin);
	session_add_person(&d, "B2345CD", "Lee", "MDI", "sentenced", 200, lee_pin);
	session_register_app(&d, "housing");
	session_register_app(&d, "stub");

	test_step("before the last 12 weeks: the app and the enquiry are refused with the reason");
	lee = session_login(&d, "B2345CD", lee_pin);
	session_fails(lee, "onward.App.Open", json_pack("{s:s}", "app", "housing"),
	              "onward.PermissionDenied", "Housing help opens 12 weeks before your release",
	              NULL);
	/* Opened by a staff grant, the app works, but enquiring is still the policy's call. */
	free(session_ctl(&d, 0, "k.patel", "grant", "B2345CD", "app:housing", NULL));
	lee_app = session_open_app(lee, "housing");
	p = session_ok(lee_app, "onward.Housing.Get", NULL);
	CHECK(json_is_false(json_object_get(p, "can_enquire")));
	CHECK_STR(field(p, "reason"), "Housing help opens 12 weeks before your release date.");
	CHECK(json_is_null(json_object_get(p, "enquiry")));
	json_decref(p);
	session_fails(lee_app, "onward.Housing.SaveDraft", json_pack("{s:s}", "area", "Leeds"),
	              "onward.PermissionDenied",
	              "Housing help opens 12 weeks before your release date.", NULL);
	CHECK(json_is_null(enquiry(lee_app)));
	client_free(lee_app);
	client_free(lee);

	test_step("a draft, saved a question at a time");
	sam = session_login(&d, "A1234BC", sam_pin);
	app = session_open_app(sam, "housing");
	p = session_ok(app, "onward.Housing.Get", NULL);
	CHECK(json_is_true(json_object_get(p, "can_enquire")));
	CHECK_STR(field(p, "release_date"), session_date(&d, 60, date));
	CHECK(json_is_null(json_object_get(p, "enquiry")));
	json_decref(p);
	p = session_ok(app, "onward.Housing.SaveDraft",
	               json_pack("{s:i, s:s}", "step", 1, "release_date", date));
	e = json_object_get(p, "enquiry");
	CHECK_STR(field(e, "status"), "draft");
	CHECK_STR(field(e, "release_date"), date);
	json_decref(p);
	json_decref(session_ok(app, "onward.Housing.SaveDraft",
	                       json_pack("{s:i, s:s, s:s}", "step", 3, "area", "Sheffield",
	                                 "last_address", "14 Forge Lane, Sheffield")));

	test_step("bad fields are refused by name, and nothing is stored");
	refused_field(app, json_pack("{s:s}", "release_date", "2025-01-01"), "release_date",
	              "Your release date cannot be in the past.");
	refused_field(app, json_pack("{s:s}", "release_date", "2027-02-30"), "release_date",
	              "Give your release date as a real date");
	refused_field(app, json_pack("{s:s}", "release_date", session_date(&d, 800, far)),
	              "release_date", "more than 2 years away");
	refused_field(app, json_pack("{s:s, s:[s]}", "area", "Leeds", "needs", "pets"), "needs",
	              "Needs are chosen from accessibility, children and health");
	refused_field(app, json_pack("{s:[s, s]}", "needs", "health", "health"), "needs",
	              "each once");
	refused_field(app, json_pack("{s:s}", "contact_route", "fax"), "contact_route",
	              "Choose how to reach you");
	refused_field(app, json_pack("{s:s}", "contact_detail", "07700 900123"), "contact_detail",
	              "First choose how to reach you");
	refused_field(app,
	              json_pack("{s:s, s:s}", "contact_route", "phone", "contact_detail", "12"),
	              "contact_detail", "Give a phone number of 10 to 13 numbers");
	refused_field(app,
	              json_pack("{s:s, s:s}", "contact_route", "email", "contact_detail",
	                        "sam at example"),
	              "contact_detail", "Give an email address");
	refused_field(app, json_pack("{s:s}", "area", "Leeds\x01"), "area",
	              "Say which area you have a connection to");
	{
		char long_area[102];

		memset(long_area, 'a', 101);
		long_area[101] = '\0';
		refused_field(app, json_pack("{s:s}", "area", long_area), "area", "");
	}
	refused_field(app, json_pack("{s:i}", "step", 99), "step", "");
	refused_field(app, json_pack("{s:s}", "colour", "blue"), "colour", "");
	refused_field(app, json_pack("{s:i}", "consent", 1), "consent", "");

	test_step("the draft is there in a new session and after a restart");
	client_free(app);
	client_free(sam);
	daemon_stop(&d);
	daemon_start(&d);
	sam = session_login(&d, "A1234BC", sam_pin);
	app = session_open_app(sam, "housing");
	e = enquiry(app);
	CHECK_STR(field(e, "status"), "draft");
	CHECK_INT(json_integer_value(json_object_get(e, "step")), 3);
	CHECK_STR(field(e, "area"), "Sheffield");
	CHECK_STR(field(e, "last_address"), "14 Forge Lane, Sheffield");
	CHECK_STR(field(e, "release_date"), date);
	json_decref(e);

	test_step("sending needs every answer and consent");
	session_fails(app, "onward.Housing.Submit", NULL, "onward.InvalidParameter",
	              "Tell us how to reach you after release", "contact_route");
	json_decref(session_ok(app, "onward.Housing.SaveDraft",
	                       json_pack("{s:s, s:s, s:[s, s], s:s}", "contact_route", "phone",
	                                 "contact_detail", "07700 900123", "needs", "children",
	                                 "health", "needs_detail", "My son lives with me.")));
	session_fails(app, "onward.Housing.Submit", NULL, "onward.InvalidParameter",
	              "You need to agree to share your enquiry", "consent");
	/* A new way to reach them drops the old number. */
	e = json_object_get(p = session_ok(app, "onward.Housing.SaveDraft",
	                                   json_pack("{s:s}", "contact_route", "probation")),
	                    "enquiry");
	CHECK_STR(field(e, "contact_detail"), "");
	json_decref(p);
	json_decref(session_ok(app, "onward.Housing.SaveDraft", json_pack("{s:b}", "consent", 1)));
	out = session_ctl(&d, 0, "h.ali", "housing", "list", NULL);
	CHECK(strstr(out, "A1234BC") == NULL); /* drafts are the person's own until sent */
	free(out);

	test_step("sent once; a second send and later edits are refused");
	p = session_ok(app, "onward.Housing.Submit", NULL);
	e = json_object_get(p, "enquiry");
	CHECK_STR(field(e, "status"), "submitted");
	CHECK(json_is_string(json_object_get(e, "submitted_at")));
	json_decref(p);
	session_fails(app, "onward.Housing.Submit", NULL, "onward.Conflict",
	              "You have already sent this housing enquiry. It cannot be sent twice.", NULL);
	session_fails(app, "onward.Housing.SaveDraft", json_pack("{s:s}", "area", "Leeds"),
	              "onward.Conflict", "You have already sent your housing enquiry", NULL);

	test_step("staff see it, move it forward and reply; others are refused");
	out = session_ctl(&d, 0, "h.ali", "housing", "list", NULL);
	CHECK_CONTAINS(out, "A1234BC");
	CHECK_CONTAINS(out, "submitted");
	CHECK_CONTAINS(out, "Sheffield");
	free(out);
	out = session_ctl(&d, 0, "k.patel", "housing", "list", NULL);
	CHECK_CONTAINS(out, "A1234BC");
	free(out);
	out = session_ctl(&d, 1, "r.evans", "housing", "list", NULL);
	CHECK_CONTAINS(out, "Your role cannot do this here.");
	free(out);
	out = session_ctl(&d, 1, "b.key", "housing", "show", "A1234BC", NULL);
	CHECK_CONTAINS(out, "Your role cannot do this here.");
	free(out);
	out = session_ctl(&d, 0, "b.key", "housing", "list", NULL);
	CHECK(strstr(out, "A1234BC") == NULL); /* Brixton's key worker sees Brixton's */
	free(out);
	out = session_ctl(&d, 0, "h.ali", "housing", "status", "A1234BC", "acknowledged", "--note",
	                  "Sheffield council has your referral.", NULL);
	CHECK_CONTAINS(out, "acknowledged");
	free(out);
	out = session_ctl(&d, 2, "h.ali", "housing", "status", "A1234BC", NULL);
	free(out);
	out = session_ctl(&d, 1, "h.ali", "housing", "status", "A1234BC", "submitted", NULL);
	CHECK_CONTAINS(out, "Staff set the status to acknowledged, assessed, offered or closed.");
	free(out);
	out = session_ctl(&d, 1, "h.ali", "housing", "status", "A1234BC", "housed", NULL);
	CHECK_CONTAINS(out, "Staff set the status to");
	free(out);
	out = session_ctl(&d, 0, "h.ali", "housing", "status", "A1234BC", "assessed", NULL);
	free(out);
	out = session_ctl(&d, 1, "h.ali", "housing", "status", "A1234BC", "acknowledged", NULL);
	CHECK_CONTAINS(out, "This enquiry is already assessed; a status only moves forward.");
	free(out);
	out = session_ctl(&d, 0, "h.ali", "housing", "reply", "A1234BC", "--text",
	                  "Can you come to a phone interview on Monday?", NULL);
	CHECK_CONTAINS(out, "reply");
	free(out);
	out = session_ctl(&d, 1, "h.ali", "housing", "reply", "A1234BC", "--text", "", NULL);
	CHECK_CONTAINS(out, "Write a reply of 1 to 1,000 characters.");
	free(out);
	out = session_ctl(&d, 1, "h.ali", "housing", "reply", "A1234BC", NULL);
	CHECK_CONTAINS(out, "parameter 'text' is missing");
	free(out);

	test_step("the person sees the status and the replies, by name, and answers");
	e = enquiry(app);
	CHECK_STR(field(e, "status"), "assessed");
	CHECK(json_object_get(e, "status_by") == NULL);
	json_decref(e);
	p = session_ok(app, "onward.Housing.Thread", NULL);
	CHECK_STR(field(p, "status"), "assessed");
	msgs = json_object_get(p, "messages");
	CHECK_INT(json_array_size(msgs), 4);
	CHECK_STR(field(json_array_get(msgs, 0), "from"), "you");
	CHECK_STR(field(json_array_get(msgs, 0), "status"), "submitted");
	CHECK_STR(field(json_array_get(msgs, 1), "from"), "staff");
	CHECK_STR(field(json_array_get(msgs, 1), "name"), "Hana Ali");
	CHECK_STR(field(json_array_get(msgs, 1), "status"), "acknowledged");
	CHECK_STR(field(json_array_get(msgs, 1), "text"), "Sheffield council has your referral.");
	CHECK_STR(field(json_array_get(msgs, 2), "status"), "assessed");
	CHECK_STR(field(json_array_get(msgs, 3), "text"),
	          "Can you come to a phone interview on Monday?");
	CHECK(json_object_get(json_array_get(msgs, 3), "staff") == NULL);
	json_decref(p);
	json_decref(session_ok(app, "onward.Housing.Reply",
	                       json_pack("{s:s}", "text", "Yes, any time after 2pm.")));
	session_fails(app, "onward.Housing.Reply", json_pack("{s:s}", "text", ""),
	              "onward.InvalidParameter", "Write your message in up to 1,000 letters.",
	              "text");
	out = session_ctl(&d, 0, "h.ali", "housing", "show", "A1234BC", NULL);
	CHECK_CONTAINS(out, "Yes, any time after 2pm.");
	CHECK_CONTAINS(out, "phone interview");
	CHECK_CONTAINS(out, "local connection:  Sheffield");
	CHECK_CONTAINS(out, "children, health");
	free(out);

	test_step("only the housing app may ask");
	stub = session_open_app(sam, "stub");
	session_fails(stub, "onward.Housing.Get", NULL, "onward.PermissionDenied",
	              "Only the housing app can do this.", NULL);
	session_fails(stub, "onward.Directory.Search", NULL, "onward.PermissionDenied",
	              "Only the housing and local services apps can do this.", NULL);
	client_free(stub);
	session_fails(sam, "onward.Housing.Get", NULL, "onward.MethodNotFound", "", NULL);

	test_step("closed: no more replies; a new enquiry may start");
	free(session_ctl(&d, 0, "h.ali", "housing", "status", "A1234BC", "closed", "--note",
	                 "You have a place at Cathedral Court.", NULL));
	session_fails(app, "onward.Housing.Reply", json_pack("{s:s}", "text", "Thank you"),
	              "onward.Conflict", "This housing enquiry is closed.", NULL);
	out = session_ctl(&d, 1, "h.ali", "housing", "reply", "A1234BC", "--text", "x", NULL);
	CHECK_CONTAINS(out, "This enquiry is closed.");
	free(out);
	e = enquiry(app);
	CHECK_STR(field(e, "status"), "closed");
	json_decref(e);
	p = session_ok(app, "onward.Housing.SaveDraft", json_pack("{s:s}", "area", "Doncaster"));
	CHECK_STR(field(json_object_get(p, "enquiry"), "status"), "draft");
	json_decref(p);
	out = session_ctl(&d, 0, "h.ali", "housing", "list", "--status", "closed", NULL);
	CHECK_CONTAINS(out, "A1234BC");
	free(out);

	test_step("every change is in the audit chain, and it verifies");
	out = session_ctl(&d, 0, "admin", "audit", "show", "--subject", "person:A1234BC", "--limit",
	                  "1000", NULL);
	CHECK_CONTAINS(out, "housing.save_draft");
	CHECK_CONTAINS(out, "housing.submit");
	CHECK_CONTAINS(out, "housing.update");
	CHECK_CONTAINS(out, "housing.reply");
	CHECK_CONTAINS(out, "housing.message");
	free(out);
	free(session_ctl(&d, 0, "admin", "audit", "verify", NULL));

	client_free(app);
	client_free(sam);
	daemon_remove(&d);
	printf("test-housing: OK\n");
	return 0;
}
