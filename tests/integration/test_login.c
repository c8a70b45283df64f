/*
 * Person login over the control socket: right and wrong PINs, an unknown prison number,
 * lockout after five wrong PINs with a growing wait that the reply states, a PIN reset
 * lifting the lock, logout, and the session ending when the connection closes.
 */
#include "check.h"
#include "daemon.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static void
login(struct test_daemon *d, struct client *c, const char *number, const char *pin,
      struct client_reply *ret)
{
	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", number, "pin", pin), ret);
}

static void
expect_error(struct client_reply *r, const char *error, const char *message_part)
{
	CHECK_STR(r->error, error);
	CHECK_CONTAINS(client_reply_message(r), message_part);
	client_reply_release(r);
}

static int64_t
audit_count(struct test_daemon *d, const char *action, const char *outcome)
{
	json_t *rows = daemon_admin_ok(
	        d, "onward.Audit.Show",
	        json_pack("{s:s, s:i}", "subject", "person:A1234BC", "limit", 1000));
	json_t *row;
	size_t i;
	int64_t n = 0;

	json_array_foreach(
	        json_object_get(rows, "rows"), i,
	        row) if (strcmp(json_string_value(json_object_get(row, "action")), action) == 0 &&
	                 strcmp(json_string_value(json_object_get(row, "outcome")), outcome) == 0)
	        n++;
	json_decref(rows);
	return n;
}

int
main(void)
{
	struct test_daemon d;
	struct client *c;
	struct client_reply r;
	char pin[16], wrong[16];
	json_t *person;

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	snprintf(wrong, sizeof(wrong), "%s", pin);
	wrong[0] = wrong[0] == '9' ? '0' : (char)(wrong[0] + 1);

	test_step("not logged in: a session method is refused");
	c = daemon_connect_control(&d);
	daemon_call(c, "onward.Session.Logout", NULL, &r);
	expect_error(&r, "onward.NotLoggedIn", "Log in first");

	test_step("right PIN logs in and names the person");
	login(&d, c, "A1234BC", pin, &r);
	CHECK(r.error == NULL);
	CHECK_STR(json_string_value(
	                  json_object_get(json_object_get(r.parameters, "person"), "given_name")),
	          "Sam");
	CHECK_INT(strlen(json_string_value(json_object_get(r.parameters, "session"))), 32);
	client_reply_release(&r);
	daemon_call(c, "onward.Session.Get", NULL, &r);
	CHECK(json_is_true(json_object_get(r.parameters, "logged_in")));
	client_reply_release(&r);

	test_step("logout ends the session");
	daemon_call(c, "onward.Session.Logout", NULL, &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
	daemon_call(c, "onward.Session.Get", NULL, &r);
	CHECK(json_is_false(json_object_get(r.parameters, "logged_in")));
	client_reply_release(&r);

	test_step("malformed prison number and PIN are told apart from wrong ones");
	login(&d, c, "1234ABC", pin, &r);
	expect_error(&r, "onward.InvalidParameter", "like A1234BC");
	login(&d, c, "A1234BC", "12a4", &r);
	expect_error(&r, "onward.InvalidParameter", "4 to 8 numbers");

	test_step("an unknown prison number gets the same answer as a wrong PIN");
	login(&d, c, "Z9999ZZ", "123456", &r);
	expect_error(&r, "onward.LoginFailed", "That prison number or PIN is not right.");

	test_step("wrong PINs count down, then the account locks and says for how long");
	login(&d, c, "A1234BC", wrong, &r);
	expect_error(&r, "onward.LoginFailed", "not right");
	login(&d, c, "A1234BC", wrong, &r);
	expect_error(&r, "onward.LoginFailed", "not right");
	login(&d, c, "A1234BC", wrong, &r);
	expect_error(&r, "onward.LoginFailed", "2 tries left");
	login(&d, c, "A1234BC", wrong, &r);
	expect_error(&r, "onward.LoginFailed", "1 try left");
	login(&d, c, "A1234BC", wrong, &r);
	CHECK_STR(r.error, "onward.AccountLocked");
	CHECK_INT(json_integer_value(json_object_get(r.parameters, "seconds")), 2);
	CHECK_CONTAINS(client_reply_message(&r), "Try again in 2 seconds");
	client_reply_release(&r);

	test_step("while locked, even the right PIN is refused");
	login(&d, c, "A1234BC", pin, &r);
	CHECK_STR(r.error, "onward.AccountLocked");
	CHECK(json_integer_value(json_object_get(r.parameters, "seconds")) >= 1);
	client_reply_release(&r);

	test_step("after the wait, another wrong PIN locks for twice as long");
	daemon_clock_advance(&d, 3); /* the 2-second lock has passed */
	login(&d, c, "A1234BC", wrong, &r);
	CHECK_STR(r.error, "onward.AccountLocked");
	CHECK_INT(json_integer_value(json_object_get(r.parameters, "seconds")), 4);
	client_reply_release(&r);
	person = daemon_admin_ok(&d, "onward.Person.Show",
	                         json_pack("{s:s}", "prison_number", "A1234BC"));
	CHECK_INT(json_integer_value(
	                  json_object_get(json_object_get(person, "person"), "failed_logins")),
	          6);
	json_decref(person);

	test_step("a PIN reset lifts the lock and the old PIN stops working");
	{
		json_t *reset = daemon_admin_ok(&d, "onward.Person.PinReset",
		                                json_pack("{s:s}", "prison_number", "A1234BC"));
		char old[16];

		snprintf(old, sizeof(old), "%s", pin);
		snprintf(pin, 16, "%s", json_string_value(json_object_get(reset, "one_time_pin")));
		json_decref(reset);
		if (strcmp(old, pin) != 0) {
			login(&d, c, "A1234BC", old, &r);
			expect_error(&r, "onward.LoginFailed", "not right");
		}
		login(&d, c, "A1234BC", pin, &r);
		CHECK(r.error == NULL);
		client_reply_release(&r);
	}

	test_step("closing the connection ends the session, in the audit log");
	client_free(c);
	for (int i = 0; i < 100 && audit_count(&d, "session.end", "ok") == 0; i++)
		usleep(20000);
	CHECK_INT(audit_count(&d, "session.end", "ok"), 1);
	CHECK_INT(audit_count(&d, "session.login", "ok"), 2);
	CHECK(audit_count(&d, "session.login", "failed") >= 7);

	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-login: OK\n");
	return 0;
}
