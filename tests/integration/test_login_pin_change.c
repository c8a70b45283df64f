/*
 * A person chooses their own PIN, against a real daemon. The first login with a PIN staff
 * issued opens no session: every call but choosing a PIN (and logging out) is refused
 * with "Choose your new PIN first."; weak PINs are refused, each with its reason; a good
 * one opens the session, and the issued PIN stops working. Changing it later (Settings)
 * needs the PIN they have now, and wrong ones count towards the same lock as wrong logins.
 * Staff can still reset it, and the reset one must be replaced again. The changes are
 * audited; no PIN is ever written to the audit chain.
 */
#include "check.h"
#include "daemon.h"

#include <stdlib.h>
#include <string.h>

static struct test_daemon d;

static void
call(struct client *c, const char *method, json_t *params, struct client_reply *ret)
{
	daemon_call(c, method, params, ret);
}

static void
login(struct client *c, const char *pin, struct client_reply *ret)
{
	call(c, "onward.Session.Login",
	     json_pack("{s:s, s:s}", "prison_number", "B2345CD", "pin", pin), ret);
}

static void
expect_error(struct client_reply *r, const char *error, const char *message)
{
	CHECK_STR(r->error, error);
	CHECK_STR(client_reply_message(r), message);
	client_reply_release(r);
}

static void
expect_ok(struct client_reply *r)
{
	if (r->error)
		check_failed(__FILE__, __LINE__, "%s: %s", r->error, client_reply_message(r));
	client_reply_release(r);
}

/* ChangePin refused as weak: the parameter, the reason's word and its words. */
static void
expect_weak(struct client *c, const char *old_pin, const char *new_pin, const char *param,
            const char *reason, const char *message)
{
	struct client_reply r;
	json_t *params = json_pack("{s:s}", "new_pin", new_pin);

	if (old_pin)
		json_object_set_new(params, "old_pin", json_string(old_pin));
	call(c, "onward.Session.ChangePin", params, &r);
	CHECK_STR(r.error, "onward.InvalidParameter");
	CHECK_STR(json_string_value(json_object_get(r.parameters, "parameter")), param);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "reason")), reason);
	CHECK_STR(client_reply_message(&r), message);
	client_reply_release(&r);
}

static char *
issue(const char *method)
{
	static char pin[16];
	json_t *params = json_pack("{s:s}", "prison_number", "B2345CD");
	json_t *r;

	if (strcmp(method, "onward.Person.Add") == 0) {
		json_t *more = json_pack("{s:s, s:s, s:s}", "given_name", "Lee", "family_name",
		                         "Walker", "establishment", "MDI");

		json_object_update(params, more);
		json_decref(more);
	}
	r = daemon_admin_ok(&d, method, params);
	snprintf(pin, sizeof(pin), "%s", json_string_value(json_object_get(r, "one_time_pin")));
	json_decref(r);
	return pin;
}

static json_int_t
failed_logins(void)
{
	json_t *p = daemon_admin_ok(&d, "onward.Person.Show",
	                            json_pack("{s:s}", "prison_number", "B2345CD"));
	json_int_t v =
	        json_integer_value(json_object_get(json_object_get(p, "person"), "failed_logins"));

	json_decref(p);
	return v;
}

/* What staff see (Person.Show): whether the person's PIN is still one staff issued. */
static bool
pin_issued(void)
{
	json_t *p = daemon_admin_ok(&d, "onward.Person.Show",
	                            json_pack("{s:s}", "prison_number", "B2345CD"));
	bool issued = json_is_true(json_object_get(json_object_get(p, "person"), "pin_issued"));

	json_decref(p);
	return issued;
}

int
main(void)
{
	struct client *c;
	struct client_reply r;
	char issued[16], chosen[16] = "583920", later[16] = "690417";
	json_t *rows, *row;
	size_t i;
	int changes = 0;

	daemon_make(&d, "{\"scrypt_log_n\": 10, \"lockout_seconds\": 60, \"lockout_failures\": 5}");
	daemon_start(&d);
	daemon_seed(&d);
	snprintf(issued, sizeof(issued), "%s", issue("onward.Person.Add"));
	c = daemon_connect_control(&d);

	test_step("staff see the PIN is one they issued");
	CHECK(pin_issued());

	test_step("the first login with an issued PIN opens no session, only the choice");
	login(c, issued, &r);
	CHECK(r.error == NULL);
	CHECK(json_is_true(json_object_get(r.parameters, "pin_change")));
	CHECK(json_object_get(r.parameters, "session") == NULL);
	CHECK_STR(json_string_value(
	                  json_object_get(json_object_get(r.parameters, "person"), "given_name")),
	          "Lee");
	client_reply_release(&r);
	call(c, "onward.Session.Get", NULL, &r);
	CHECK(json_is_false(json_object_get(r.parameters, "logged_in")));
	CHECK(json_is_true(json_object_get(r.parameters, "pin_change")));
	client_reply_release(&r);
	call(c, "onward.Shell.Home", NULL, &r);
	expect_error(&r, "onward.NotLoggedIn", "Choose your new PIN first.");
	call(c, "onward.Settings.Set", json_pack("{s:s}", "language", "cy"), &r);
	expect_error(&r, "onward.NotLoggedIn", "Choose your new PIN first.");
	call(c, "onward.App.Open", json_pack("{s:s}", "app", "stub"), &r);
	expect_error(&r, "onward.NotLoggedIn", "Choose your new PIN first.");

	test_step("weak PINs are refused, each saying why");
	expect_weak(c, NULL, "58392", "new_pin", "length", "A new PIN is 6 to 8 numbers.");
	expect_weak(c, NULL, "583920123", "new_pin", "length", "A new PIN is 6 to 8 numbers.");
	expect_weak(c, NULL, "58a920", "new_pin", "length", "A new PIN is 6 to 8 numbers.");
	expect_weak(c, NULL, "000000", "new_pin", "same_digits",
	            "Do not use the same number again and again.");
	expect_weak(c, NULL, "77777777", "new_pin", "same_digits",
	            "Do not use the same number again and again.");
	expect_weak(c, NULL, "123456", "new_pin", "sequence",
	            "Do not use numbers in a row, like 123456.");
	expect_weak(c, NULL, "987654", "new_pin", "sequence",
	            "Do not use numbers in a row, like 123456.");
	expect_weak(c, NULL, "8901234", "new_pin", "sequence",
	            "Do not use numbers in a row, like 123456.");
	expect_weak(c, NULL, "121212", "new_pin", "pattern",
	            "Do not repeat a short pattern, like 121212.");
	expect_weak(c, NULL, "123123", "new_pin", "pattern",
	            "Do not repeat a short pattern, like 121212.");
	expect_weak(c, NULL, "40714071", "new_pin", "pattern",
	            "Do not repeat a short pattern, like 121212.");
	expect_weak(c, NULL, "112233", "new_pin", "common",
	            "Lots of people use that PIN. Choose another.");
	expect_weak(c, NULL, "923450", "new_pin", "prison_number",
	            "Do not use the numbers in your prison number.");
	/* A random issued PIN may itself break a rule first; then staff issue another. */
	for (int tries = 0;; tries++) {
		call(c, "onward.Session.ChangePin", json_pack("{s:s}", "new_pin", issued), &r);
		CHECK_STR(r.error, "onward.InvalidParameter");
		if (strcmp(json_string_value(json_object_get(r.parameters, "reason")), "issued") ==
		    0)
			break;
		CHECK(tries < 5);
		client_reply_release(&r);
		snprintf(issued, sizeof(issued), "%s", issue("onward.Person.PinReset"));
	}
	CHECK_STR(client_reply_message(&r), "That is the PIN staff gave you. Choose a new one.");
	client_reply_release(&r);
	call(c, "onward.Shell.Home", NULL, &r);
	expect_error(&r, "onward.NotLoggedIn", "Choose your new PIN first.");

	test_step("a good PIN opens the session");
	call(c, "onward.Session.ChangePin", json_pack("{s:s}", "new_pin", chosen), &r);
	CHECK(r.error == NULL);
	CHECK_INT(strlen(json_string_value(json_object_get(r.parameters, "session"))), 32);
	CHECK_STR(json_string_value(
	                  json_object_get(json_object_get(r.parameters, "person"), "given_name")),
	          "Lee");
	client_reply_release(&r);
	call(c, "onward.Session.Get", NULL, &r);
	CHECK(json_is_true(json_object_get(r.parameters, "logged_in")));
	client_reply_release(&r);
	call(c, "onward.Shell.Home", NULL, &r);
	expect_ok(&r);
	call(c, "onward.Session.Logout", NULL, &r);
	expect_ok(&r);

	test_step("the issued PIN no longer works; the chosen one logs straight in");
	CHECK(!pin_issued());
	login(c, issued, &r);
	expect_error(&r, "onward.LoginFailed", "That prison number or PIN is not right.");
	login(c, chosen, &r);
	CHECK(r.error == NULL);
	CHECK(json_is_string(json_object_get(r.parameters, "session")));
	client_reply_release(&r);
	CHECK_INT(failed_logins(), 0);

	test_step("changing it later needs the PIN they have now");
	expect_weak(c, NULL, later, "old_pin", "missing", "Type the PIN you have now.");
	expect_weak(c, chosen, chosen, "new_pin", "same",
	            "That is the PIN you have now. Choose a new one.");
	expect_weak(c, chosen, "654321", "new_pin", "sequence",
	            "Do not use numbers in a row, like 123456.");
	call(c, "onward.Session.ChangePin",
	     json_pack("{s:s, s:s}", "old_pin", "111000", "new_pin", later), &r);
	expect_error(&r, "onward.LoginFailed", "That is not the PIN you have now.");
	CHECK_INT(failed_logins(), 1);
	call(c, "onward.Session.ChangePin",
	     json_pack("{s:s, s:s}", "old_pin", chosen, "new_pin", later), &r);
	CHECK(r.error == NULL);
	CHECK(json_object_get(r.parameters, "session") == NULL);
	client_reply_release(&r);
	CHECK_INT(failed_logins(), 0);
	call(c, "onward.Session.Get", NULL, &r);
	CHECK(json_is_true(json_object_get(r.parameters, "logged_in")));
	client_reply_release(&r);
	call(c, "onward.Session.Logout", NULL, &r);
	expect_ok(&r);
	login(c, chosen, &r);
	expect_error(&r, "onward.LoginFailed", "That prison number or PIN is not right.");
	login(c, later, &r);
	expect_ok(&r);

	test_step("wrong PINs to change it count towards the same lock");
	for (int n = 1; n <= 4; n++) {
		call(c, "onward.Session.ChangePin",
		     json_pack("{s:s, s:s}", "old_pin", "111000", "new_pin", chosen), &r);
		CHECK_STR(r.error, "onward.LoginFailed");
		CHECK_CONTAINS(client_reply_message(&r), "That is not the PIN you have now.");
		client_reply_release(&r);
	}
	call(c, "onward.Session.ChangePin",
	     json_pack("{s:s, s:s}", "old_pin", "111000", "new_pin", chosen), &r);
	expect_error(&r, "onward.AccountLocked", "Too many wrong PINs. Try again in 60 seconds.");
	call(c, "onward.Session.ChangePin",
	     json_pack("{s:s, s:s}", "old_pin", later, "new_pin", chosen), &r);
	CHECK_STR(r.error, "onward.AccountLocked");
	client_reply_release(&r);
	call(c, "onward.Session.Logout", NULL, &r);
	expect_ok(&r);
	login(c, later, &r);
	CHECK_STR(r.error, "onward.AccountLocked");
	client_reply_release(&r);

	test_step("staff can still reset it; the reset PIN must be replaced again");
	snprintf(issued, sizeof(issued), "%s", issue("onward.Person.PinReset"));
	CHECK_INT(failed_logins(), 0);
	login(c, issued, &r);
	CHECK(r.error == NULL);
	CHECK(json_is_true(json_object_get(r.parameters, "pin_change")));
	client_reply_release(&r);

	test_step("logging out while choosing ends the choice");
	call(c, "onward.Session.Logout", NULL, &r);
	expect_ok(&r);
	call(c, "onward.Session.Get", NULL, &r);
	CHECK(json_is_false(json_object_get(r.parameters, "logged_in")));
	CHECK(json_object_get(r.parameters, "pin_change") == NULL);
	client_reply_release(&r);
	call(c, "onward.Session.ChangePin", json_pack("{s:s}", "new_pin", chosen), &r);
	expect_error(&r, "onward.NotLoggedIn", "Log in first.");
	client_free(c);

	test_step("the changes are audited, and no PIN is ever written there");
	daemon_stop(&d);
	daemon_start(&d); /* a clean stop wrote the counted refusals to the chain */
	rows = daemon_admin_ok(&d, "onward.Audit.Show",
	                       json_pack("{s:s, s:i}", "subject", "person:B2345CD", "limit", 1000));
	json_array_foreach(json_object_get(rows, "rows"), i, row)
	{
		json_t *detail = json_deep_copy(json_object_get(row, "detail"));
		char *text;

		/* Session ids are hex: a PIN's digits could turn up in one by chance. */
		json_object_del(detail, "session");
		text = json_dumps(detail, JSON_ENCODE_ANY);
		json_decref(detail);

		CHECK(strstr(text, chosen) == NULL && strstr(text, later) == NULL &&
		      strstr(text, issued) == NULL);
		free(text);
		if (strcmp(json_string_value(json_object_get(row, "action")),
		           "session.change_pin") == 0 &&
		    strcmp(json_string_value(json_object_get(row, "outcome")), "ok") == 0)
			changes++;
	}
	json_decref(rows);
	CHECK_INT(changes, 2);

	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-login-pin-change: OK\n");
	return 0;
}
