/*
 * Person login over the control socket, against a real daemon: right and wrong PINs, and
 * the lockout curve on the daemon's test clock (no sleeping): five wrong PINs lock for a
 * minute, each further one for twice as long up to the longest lock, and wrong PINs decay
 * once a window has passed after the last one and the lock's end. A prison number nobody
 * has gets exactly the same answers at every step ("2 tries left", the lock and its wait),
 * so the answers do not tell which numbers exist. A right PIN clears the count; a PIN
 * reset lifts the lock and must be replaced at the next login; the session ends with the
 * connection, in the audit log.
 */
#include "check.h"
#include "daemon.h"

#include <string.h>
#include <unistd.h>

#define CONFIG                                                                                     \
	"{\"scrypt_log_n\": 10, \"lockout_seconds\": 60, \"lockout_failures\": 5, "                \
	"\"lockout_max_seconds\": 240, \"lockout_window_seconds\": 600, "                          \
	"\"refusal_audit_seconds\": 60}"

static struct test_daemon d;

static void
login(struct client *c, const char *number, const char *pin, struct client_reply *ret)
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

static void
set_clock(const char *at)
{
	json_decref(daemon_admin_ok(&d, "onward.Test.Clock", json_pack("{s:s}", "at", at)));
}

static void
advance_clock(int seconds)
{
	json_decref(
	        daemon_admin_ok(&d, "onward.Test.Clock", json_pack("{s:i}", "advance", seconds)));
}

static json_int_t
person_int(const char *number, const char *field)
{
	json_t *p = daemon_admin_ok(&d, "onward.Person.Show",
	                            json_pack("{s:s}", "prison_number", number));
	json_int_t v = json_integer_value(json_object_get(json_object_get(p, "person"), field));

	json_decref(p);
	return v;
}

static int64_t
audit_count(const char *action, const char *outcome)
{
	json_t *rows = daemon_admin_ok(
	        &d, "onward.Audit.Show",
	        json_pack("{s:s, s:i}", "subject", "person:A1234BC", "limit", 1000));
	json_t *row;
	size_t i;
	int64_t n = 0;

	json_array_foreach(json_object_get(rows, "rows"), i, row)
	{
		if (strcmp(json_string_value(json_object_get(row, "action")), action) == 0 &&
		    strcmp(json_string_value(json_object_get(row, "outcome")), outcome) == 0)
			n++;
	}
	json_decref(rows);
	return n;
}

/*
 * The same wrong PIN for Sam's number and for one nobody has: the answers must be the
 * same in every part (error, words, tries left, the lock's seconds). Returns the error.
 */
static const char *
wrong_both(struct client *c, const char *wrong, const char *want_error, const char *want_words)
{
	static char error[64];
	struct client_reply known, unknown;

	login(c, "A1234BC", wrong, &known);
	login(c, "Z9999ZZ", wrong, &unknown);
	CHECK_STR(known.error, want_error);
	CHECK_STR(unknown.error, want_error);
	CHECK_STR(client_reply_message(&known), want_words);
	CHECK_STR(client_reply_message(&unknown), want_words);
	if (!json_equal(known.parameters, unknown.parameters)) {
		char *a = json_dumps(known.parameters, JSON_SORT_KEYS);
		char *b = json_dumps(unknown.parameters, JSON_SORT_KEYS);

		check_failed(__FILE__, __LINE__, "known %s, unknown %s", a, b);
	}
	snprintf(error, sizeof(error), "%s", known.error);
	client_reply_release(&known);
	client_reply_release(&unknown);
	return error;
}

int
main(void)
{
	struct client *c;
	struct client_reply r, r2;
	char issued[16], pin[16], wrong[16] = "909090";
	json_t *added;

	daemon_make(&d, CONFIG);
	daemon_start(&d);
	daemon_seed(&d);
	set_clock("2026-12-09T10:00:00Z");
	added = daemon_admin_ok(&d, "onward.Person.Add",
	                        json_pack("{s:s, s:s, s:s, s:s}", "prison_number", "A1234BC",
	                                  "given_name", "Sam", "family_name", "Jones",
	                                  "establishment", "MDI"));
	snprintf(issued, sizeof(issued), "%s",
	         json_string_value(json_object_get(added, "one_time_pin")));
	json_decref(added);
	daemon_choose_pin(&d, "A1234BC", issued, pin);

	test_step("not logged in: a session method is refused");
	c = daemon_connect_control(&d);
	daemon_call(c, "onward.Session.Logout", NULL, &r);
	expect_error(&r, "onward.NotLoggedIn", "Log in first");

	test_step("right PIN logs in and names the person");
	login(c, "A1234BC", pin, &r);
	CHECK(r.error == NULL);
	CHECK_STR(json_string_value(
	                  json_object_get(json_object_get(r.parameters, "person"), "given_name")),
	          "Sam");
	CHECK_INT(strlen(json_string_value(json_object_get(r.parameters, "session"))), 32);
	CHECK(json_object_get(r.parameters, "pin_change") == NULL);
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
	login(c, "1234ABC", pin, &r);
	expect_error(&r, "onward.InvalidParameter", "like A1234BC");
	login(c, "A1234BC", "12a4", &r);
	expect_error(&r, "onward.InvalidParameter", "4 to 8 numbers");

	test_step("a number nobody has gets every answer a person's number gets");
	wrong_both(c, wrong, "onward.LoginFailed", "That prison number or PIN is not right.");
	wrong_both(c, wrong, "onward.LoginFailed", "That prison number or PIN is not right.");
	wrong_both(c, wrong, "onward.LoginFailed",
	           "That prison number or PIN is not right. 2 tries left before a pause.");
	wrong_both(c, wrong, "onward.LoginFailed",
	           "That prison number or PIN is not right. 1 try left before a pause.");
	wrong_both(c, wrong, "onward.AccountLocked",
	           "Too many wrong PINs. Try again in 60 seconds.");
	CHECK_INT(person_int("A1234BC", "failed_logins"), 5);

	test_step("while locked, even the right PIN is refused, at once and alike");
	login(c, "A1234BC", pin, &r);
	login(c, "Z9999ZZ", pin, &r2);
	CHECK_STR(r.error, "onward.AccountLocked");
	CHECK_STR(r2.error, "onward.AccountLocked");
	CHECK(json_integer_value(json_object_get(r.parameters, "seconds")) >= 58);
	CHECK(json_integer_value(json_object_get(r2.parameters, "seconds")) >= 58);
	client_reply_release(&r);
	client_reply_release(&r2);

	test_step("each further wrong PIN locks for twice as long, never past the longest");
	advance_clock(61);
	wrong_both(c, wrong, "onward.AccountLocked",
	           "Too many wrong PINs. Try again in 120 seconds.");
	advance_clock(121);
	wrong_both(c, wrong, "onward.AccountLocked",
	           "Too many wrong PINs. Try again in 4 minutes.");
	advance_clock(241);
	wrong_both(c, wrong, "onward.AccountLocked",
	           "Too many wrong PINs. Try again in 4 minutes.");
	CHECK_INT(person_int("A1234BC", "failed_logins"), 8);

	test_step("wrong PINs decay: a window after the lock ends, the count starts again");
	advance_clock(240 + 599);
	/* Still inside the window after the lock: the next wrong PIN doubles again. */
	wrong_both(c, wrong, "onward.AccountLocked",
	           "Too many wrong PINs. Try again in 4 minutes.");
	advance_clock(240 + 600);
	wrong_both(c, wrong, "onward.LoginFailed", "That prison number or PIN is not right.");
	CHECK_INT(person_int("A1234BC", "failed_logins"), 1);
	advance_clock(599);
	wrong_both(c, wrong, "onward.LoginFailed", "That prison number or PIN is not right.");
	CHECK_INT(person_int("A1234BC", "failed_logins"), 2);
	advance_clock(600);
	wrong_both(c, wrong, "onward.LoginFailed", "That prison number or PIN is not right.");
	CHECK_INT(person_int("A1234BC", "failed_logins"), 1);

	test_step("a right PIN clears the count");
	login(c, "A1234BC", pin, &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
	CHECK_INT(person_int("A1234BC", "failed_logins"), 0);
	daemon_call(c, "onward.Session.Logout", NULL, &r);
	client_reply_release(&r);

	test_step("a PIN reset lifts the lock; the reset PIN must be replaced at login");
	for (int i = 0; i < 5; i++) {
		login(c, "A1234BC", wrong, &r);
		client_reply_release(&r);
	}
	login(c, "A1234BC", pin, &r);
	expect_error(&r, "onward.AccountLocked", "Try again in");
	{
		json_t *reset = daemon_admin_ok(&d, "onward.Person.PinReset",
		                                json_pack("{s:s}", "prison_number", "A1234BC"));

		snprintf(issued, sizeof(issued), "%s",
		         json_string_value(json_object_get(reset, "one_time_pin")));
		json_decref(reset);
	}
	CHECK_INT(person_int("A1234BC", "failed_logins"), 0);
	if (strcmp(issued, pin) != 0) {
		login(c, "A1234BC", pin, &r);
		expect_error(&r, "onward.LoginFailed", "not right");
	}
	login(c, "A1234BC", issued, &r);
	CHECK(r.error == NULL);
	CHECK(json_is_true(json_object_get(r.parameters, "pin_change")));
	CHECK(json_object_get(r.parameters, "session") == NULL);
	client_reply_release(&r);
	daemon_call(c, "onward.Session.ChangePin", json_pack("{s:s}", "new_pin", "274061"), &r);
	CHECK(r.error == NULL);
	CHECK_INT(strlen(json_string_value(json_object_get(r.parameters, "session"))), 32);
	client_reply_release(&r);

	test_step("closing the connection ends the session, in the audit log");
	client_free(c);
	for (int i = 0; i < 100 && audit_count("session.end", "ok") == 0; i++)
		usleep(20000);
	CHECK_INT(audit_count("session.end", "ok"), 1);
	/* The first choice (daemon_choose_pin), Sam's login, and the reset PIN's. */
	CHECK_INT(audit_count("session.login", "ok"), 4);
	CHECK_INT(audit_count("session.change_pin", "ok"), 2);

	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-login: OK\n");
	return 0;
}
