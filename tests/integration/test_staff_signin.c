/*
 * Staff prove who they are: the way in before any staff (break-glass, audited so), a new
 * account's setup (a one-time code, a password, the authenticator's first code), signing
 * in with onwardctl (password on standard input, TOTP code), acting by the session, codes
 * that work once, wrong tries that lock the account, sessions that end when idle, at
 * sign-out and at a reset, and a session replayed after sign-out. The codes are made
 * here from the secret the daemon gave, at the daemon's (test) time, as an app makes them.
 */
#include "check.h"
#include "daemon.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PASSWORD "a long enough password"

static struct test_daemon d;
static char session_file[200], session_env[240], state_env[200];

/* onwardctl with the test's session file (stdin_text may be NULL; arguments NULL ended). */
static void
ctl(struct run_result *r, int want, const char *stdin_text, ...)
{
	const char *argv[16] = {run_bin("onwardctl")};
	const char *env[] = {state_env, session_env, NULL};
	va_list ap;
	int n = 1;

	va_start(ap, stdin_text);
	while (n < 15 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	run_program(argv, env, stdin_text, 30000, r);
	if (r->status != want)
		check_failed(__FILE__, __LINE__, "onwardctl %s %s %s: exit %d, expected %d\n%s%s",
		             argv[1], argv[2] ? argv[2] : "", argv[2] && argv[3] ? argv[3] : "",
		             r->status, want, r->out, r->err);
}

/* One admin.sock call; the reply is the caller's to release. */
static void
call(const char *method, json_t *params, struct client_reply *r)
{
	struct client *c = daemon_connect_admin(&d);

	daemon_call(c, method, params, r);
	client_free(c);
}

static char *
json_field(const char *text, const char *key)
{
	json_t *j = json_loads(text, 0, NULL);
	char *out;

	if (!j)
		check_failed(__FILE__, __LINE__, "not JSON: %s", text);
	out = strdup(json_string_value(json_object_get(j, key)) ?: "");
	json_decref(j);
	return out;
}

static void
read_token(char ret[65])
{
	FILE *f = fopen(session_file, "r");
	char text[512] = "";
	char *token;

	CHECK(f != NULL);
	CHECK(fread(text, 1, sizeof(text) - 1, f) > 0);
	fclose(f);
	token = json_field(text, "session");
	CHECK_INT(strlen(token), 64);
	memcpy(ret, token, 65);
	free(token);
}

/* The last audit row for `action`, as JSON (owned). */
static json_t *
last_audit(const char *action)
{
	struct client_reply a;
	json_t *rows, *row = NULL, *out;
	size_t i;

	call("onward.Audit.Show", json_pack("{s:i}", "limit", 1000), &a);
	CHECK(a.error == NULL);
	rows = json_object_get(a.parameters, "rows");
	json_array_foreach(rows, i,
	                   out) if (strcmp(json_string_value(json_object_get(out, "action")),
	                                   action) == 0) row = out;
	if (!row)
		check_failed(__FILE__, __LINE__, "no audit row for %s", action);
	out = json_incref(row);
	client_reply_release(&a);
	return out;
}

int
main(void)
{
	struct run_result r;
	struct client_reply reply;
	char code[7], token[65], old_token[65], *setup, *secret;
	struct stat st;
	json_t *row;

	daemon_make(&d, NULL);
	daemon_start(&d);
	snprintf(state_env, sizeof(state_env), "ONWARD_STATE_DIR=%s", d.dir);
	snprintf(session_file, sizeof(session_file), "%s.cache/onward/session", d.dir);
	snprintf(session_env, sizeof(session_env), "ONWARD_SESSION_FILE=%s", session_file);

	test_step("nobody signed in: onwardctl says how; break-glass is the way in, audited so");
	ctl(&r, 1, NULL, "establishment", "list", NULL);
	CHECK_CONTAINS(r.err, "you are not signed in: run 'onwardctl login STAFF_ID'");
	run_result_release(&r);
	ctl(&r, 0, NULL, "--break-glass", "--json", "staff", "add", "ada", "--name", "Ada Okafor",
	    "--role", "administrator", NULL);
	setup = json_field(r.out, "setup_code");
	CHECK_INT(strlen(setup), 14);
	run_result_release(&r);
	row = last_audit("staff.add");
	CHECK_STR(json_string_value(json_object_get(row, "actor")), "break-glass:uid0");
	CHECK_STR(json_string_value(json_object_get(json_object_get(row, "detail"), "proof")),
	          "break-glass");
	json_decref(row);

	test_step("an account cannot sign in before it is set up");
	ctl(&r, 1, PASSWORD "\n", "login", "ada", "--code", "123456", NULL);
	CHECK_CONTAINS(r.err, "That staff id, password or code is not right.");
	run_result_release(&r);

	test_step("setup: the code is checked, the password must be long, the secret is given");
	ctl(&r, 1, PASSWORD "\n", "staff", "setup", "ada", "--setup-code", "AAAA-AAAA-AAAA", NULL);
	CHECK_CONTAINS(r.err, "That setup code is not right");
	run_result_release(&r);
	ctl(&r, 1, "short\n", "staff", "setup", "ada", "--setup-code", setup, NULL);
	CHECK_CONTAINS(r.err, "Choose a password of 12 to 128 characters");
	run_result_release(&r);
	/* Small letters and no dashes are forgiven: people type codes read to them. */
	{
		char typed[16];

		snprintf(typed, sizeof(typed), "%.4s%.4s%.4s", setup, setup + 5, setup + 10);
		for (char *p = typed; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		ctl(&r, 0, PASSWORD "\n", "--json", "staff", "setup", "ada", "--setup-code", typed,
		    NULL);
	}
	secret = json_field(r.out, "totp_secret");
	CHECK_CONTAINS(r.out, "otpauth://totp/Onward:ada?secret=");
	run_result_release(&r);
	daemon_totp_at(secret, daemon_now(&d) - 30, code);
	ctl(&r, 1, NULL, "staff", "confirm", "ada", "--setup-code", setup, "--code", "000000",
	    NULL);
	CHECK_CONTAINS(r.err, "That code is not right");
	run_result_release(&r);
	ctl(&r, 0, NULL, "staff", "confirm", "ada", "--setup-code", setup, "--code", code, NULL);
	CHECK_CONTAINS(r.out, "sign in with 'onwardctl login ada'");
	run_result_release(&r);
	ctl(&r, 1, NULL, "staff", "confirm", "ada", "--setup-code", setup, "--code", code, NULL);
	CHECK_CONTAINS(r.err, "has been used");
	run_result_release(&r);

	test_step("signing in: wrong password, the code already used, then right");
	daemon_totp_at(secret, daemon_now(&d), code);
	ctl(&r, 1, "not the password\n", "login", "ada", "--code", code, NULL);
	CHECK_CONTAINS(r.err, "That staff id, password or code is not right.");
	run_result_release(&r);
	daemon_totp_at(secret, daemon_now(&d) - 30, code); /* the one confirming used */
	ctl(&r, 1, PASSWORD "\n", "login", "ada", "--code", code, NULL);
	CHECK_CONTAINS(r.err, "That staff id, password or code is not right.");
	run_result_release(&r);
	ctl(&r, 1, PASSWORD "\n", "login", "nobody", "--code", code, NULL);
	CHECK_CONTAINS(r.err, "That staff id, password or code is not right.");
	run_result_release(&r);
	daemon_totp_at(secret, daemon_now(&d), code);
	ctl(&r, 0, PASSWORD "\n", "login", "ada", "--code", code, NULL);
	CHECK_CONTAINS(r.out, "signed in as ada (administrator)");
	run_result_release(&r);
	CHECK(stat(session_file, &st) == 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	/* The same code again is refused even with the right password. */
	ctl(&r, 1, PASSWORD "\n", "login", "ada", "--code", code, NULL);
	run_result_release(&r);

	test_step("acting by the session: named and proven in the audit");
	ctl(&r, 0, NULL, "whoami", NULL);
	CHECK_CONTAINS(r.out, "ada (administrator), proven by password+totp");
	run_result_release(&r);
	ctl(&r, 0, NULL, "establishment", "add", "MDI", "--name", "HMP Moorland", NULL);
	run_result_release(&r);
	row = last_audit("establishment.add");
	CHECK_STR(json_string_value(json_object_get(row, "actor")), "staff:ada");
	CHECK_STR(json_string_value(json_object_get(json_object_get(row, "detail"), "proof")),
	          "password+totp");
	json_decref(row);

	test_step("a role that cannot: an officer cannot reset another's sign-in");
	ctl(&r, 0, NULL, "--json", "staff", "add", "j.smith", "--name", "Jo Smith", "--role",
	    "officer", "--establishment", "MDI", NULL);
	run_result_release(&r);
	call("onward.Staff.Reset", json_pack("{s:s, s:s}", "as", "j.smith", "staff_id", "ada"),
	     &reply);
	CHECK_STR(reply.error, "onward.PermissionDenied");
	client_reply_release(&reply);

	test_step("sign-out: the file goes, and the token replayed is refused");
	read_token(old_token);
	ctl(&r, 0, NULL, "logout", NULL);
	CHECK_CONTAINS(r.out, "signed out");
	run_result_release(&r);
	CHECK(access(session_file, F_OK) != 0);
	call("onward.Person.List", json_pack("{s:s}", "staff_session", old_token), &reply);
	CHECK_STR(reply.error, "onward.SessionExpired");
	CHECK_STR(client_reply_message(&reply), "Your session has ended. Sign in again.");
	client_reply_release(&reply);

	test_step("a session ends after 30 minutes without a call");
	daemon_clock_advance(&d, 60);
	daemon_totp_at(secret, daemon_now(&d), code);
	ctl(&r, 0, PASSWORD "\n", "login", "ada", "--code", code, NULL);
	run_result_release(&r);
	read_token(token);
	daemon_clock_advance(&d, 29 * 60);
	ctl(&r, 0, NULL, "whoami", NULL);
	run_result_release(&r);
	daemon_clock_advance(&d, 31 * 60);
	ctl(&r, 1, NULL, "whoami", NULL);
	CHECK_CONTAINS(r.err, "Your session has ended. Sign in again.");
	run_result_release(&r);

	test_step("five wrong tries lock the account; the right password then waits too");
	for (int i = 0; i < 5; i++) {
		daemon_clock_advance(&d, 31);
		daemon_totp_at(secret, daemon_now(&d), code);
		ctl(&r, 1, "wrong wrong wrong\n", "login", "ada", "--code", code, NULL);
		run_result_release(&r);
	}
	daemon_clock_advance(&d, 31);
	daemon_totp_at(secret, daemon_now(&d), code);
	ctl(&r, 1, PASSWORD "\n", "login", "ada", "--code", code, NULL);
	CHECK_CONTAINS(r.err, "This account is locked after too many wrong tries. Try again in 15");
	run_result_release(&r);
	daemon_clock_advance(&d, 15 * 60);
	daemon_totp_at(secret, daemon_now(&d), code);
	ctl(&r, 0, PASSWORD "\n", "login", "ada", "--code", code, NULL);
	run_result_release(&r);
	read_token(token);

	test_step("a reset ends the account's sessions and needs a new setup");
	call("onward.Staff.Reset", json_pack("{s:s}", "staff_id", "ada"), &reply); /* break-glass */
	CHECK(reply.error == NULL);
	CHECK_INT(strlen(json_string_value(json_object_get(reply.parameters, "setup_code"))), 14);
	client_reply_release(&reply);
	call("onward.Staff.Whoami", json_pack("{s:s}", "staff_session", token), &reply);
	CHECK_STR(reply.error, "onward.SessionExpired");
	client_reply_release(&reply);

	free(setup);
	free(secret);
	daemon_stop(&d);
	daemon_remove(&d);
	unlink(session_file);
	printf("test-staff-signin: OK\n");
	return 0;
}
