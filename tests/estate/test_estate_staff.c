/*
 * Staff through the network, end to end: the real onwardctl with --server and --ca, the
 * real onward-gateway (TLS 1.3), the real daemon behind it. A staff member added
 * break-glass on the server sets up their sign-in, signs in and works from another machine
 * (their session a bearer token; the audit names them, how they were proven and from
 * where); what only the server itself may do is not on the network; break-glass is not on
 * the network; a session replayed after sign-out, and one sent with no sign-in at all, are
 * refused; the gateway keeps serving.
 */
#include "check.h"
#include "daemon.h"
#include "fixture.h"
#include "live_gateway.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PASSWORD "a long enough password"

static struct test_daemon d;
static struct estate_gateway gw;
static char session_env[300], server_env[120], ca_env[300];

/* onwardctl from "another machine": no state directory, only the server and its CA. */
static void
remote(struct run_result *r, int want, const char *stdin_text, ...)
{
	const char *argv[20] = {run_bin("onwardctl")};
	const char *env[] = {session_env, server_env, ca_env, "ONWARD_STATE_DIR=", NULL};
	va_list ap;
	int n = 1;

	va_start(ap, stdin_text);
	while (n < 19 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	run_program(argv, env, stdin_text, 30000, r);
	if (want >= 0 && r->status != want)
		check_failed(__FILE__, __LINE__, "onwardctl %s %s: exit %d, expected %d\n%s%s",
		             argv[1], argv[2] ? argv[2] : "", r->status, want, r->out, r->err);
}

static char *
field(const char *json_text, const char *key)
{
	json_t *j = json_loads(json_text, 0, NULL);
	char *out;

	if (!j)
		check_failed(__FILE__, __LINE__, "not JSON: %s", json_text);
	out = strdup(json_string_value(json_object_get(j, key)) ?: "");
	json_decref(j);
	return out;
}

int
main(void)
{
	struct run_result r;
	char code[7], session_file[200], copy[420];
	char *setup, *secret;
	json_t *added, *rows, *row, *last = NULL;
	size_t i;

	estate_daemon_for_tls(&d);
	estate_gateway_start(&d, &gw);
	snprintf(session_file, sizeof(session_file), "%s/laptop-session", d.dir);
	snprintf(session_env, sizeof(session_env), "ONWARD_SESSION_FILE=%s", session_file);
	snprintf(server_env, sizeof(server_env), "ONWARD_SERVER=%s", gw.url);
	snprintf(ca_env, sizeof(ca_env), "ONWARD_CA=%s", gw.ca);

	test_step("an administrator adds a staff member on the server (a setup code to hand over)");
	added = daemon_admin_ok(&d, "onward.Staff.Add",
	                        json_pack("{s:s, s:s, s:s, s:s}", "id", "j.smith", "name",
	                                  "Jo Smith", "role", "officer", "establishment", "MDI"));
	setup = strdup(json_string_value(json_object_get(added, "setup_code")));
	json_decref(added);

	test_step("from another machine: nothing without signing in; then setup and sign-in");
	remote(&r, 1, NULL, "person", "list", NULL);
	CHECK_CONTAINS(r.err, "you are not signed in");
	run_result_release(&r);
	remote(&r, 2, NULL, "--break-glass", "person", "list", NULL);
	CHECK_CONTAINS(r.err, "--break-glass is for root on the server itself");
	run_result_release(&r);
	remote(&r, 0, PASSWORD "\n", "--json", "staff", "setup", "j.smith", "--setup-code", setup,
	       NULL);
	secret = field(r.out, "totp_secret");
	run_result_release(&r);
	daemon_totp_at(secret, daemon_now(&d) - 30, code);
	remote(&r, 0, NULL, "staff", "confirm", "j.smith", "--setup-code", setup, "--code", code,
	       NULL);
	run_result_release(&r);
	daemon_totp_at(secret, daemon_now(&d), code);
	remote(&r, 0, PASSWORD "\n", "login", "j.smith", "--code", code, NULL);
	CHECK_CONTAINS(r.out, "signed in as j.smith (officer)");
	run_result_release(&r);

	test_step("working through the gateway: named, proven and placed in the audit");
	remote(&r, 0, NULL, "whoami", NULL);
	CHECK_CONTAINS(r.out, "j.smith (officer, MDI), proven by password+totp");
	run_result_release(&r);
	remote(&r, 0, NULL, "person", "add", "A1234BC", "--given", "Sam", "--family", "Jones",
	       "--establishment", "MDI", NULL);
	CHECK_CONTAINS(r.out, "one-time PIN:");
	run_result_release(&r);
	remote(&r, 0, NULL, "person", "list", NULL);
	CHECK_CONTAINS(r.out, "A1234BC");
	run_result_release(&r);
	added = daemon_admin_ok(&d, "onward.Audit.Show", json_pack("{s:i}", "limit", 1000));
	rows = json_object_get(added, "rows");
	json_array_foreach(rows, i,
	                   row) if (strcmp(json_string_value(json_object_get(row, "action")),
	                                   "person.add") == 0) last = row;
	CHECK(last != NULL);
	CHECK_STR(json_string_value(json_object_get(last, "actor")), "staff:j.smith");
	CHECK_STR(json_string_value(json_object_get(json_object_get(last, "detail"), "proof")),
	          "password+totp");
	CHECK_STR(json_string_value(json_object_get(json_object_get(last, "detail"), "address")),
	          "127.0.0.1");
	json_decref(added);

	test_step("what only the server itself may do is not on the network; roles still hold");
	remote(&r, 1, NULL, "gateway", "certify", "--public-key", "x", "--host", "a", NULL);
	CHECK_CONTAINS(r.err, "There is no method called 'onward.Gateway.Certify' here.");
	run_result_release(&r);
	remote(&r, 1, NULL, "device", "code", NULL);
	CHECK_CONTAINS(r.err, "Your role cannot do this here.");
	run_result_release(&r);

	test_step("the gateway killed (kill -9), started again elsewhere: sign in there, work on");
	estate_gateway_kill(&gw);
	remote(&r, 1, NULL, "person", "list", NULL);
	CHECK_CONTAINS(r.err, "cannot reach the server");
	run_result_release(&r);
	estate_gateway_start(&d, &gw);
	snprintf(server_env, sizeof(server_env), "ONWARD_SERVER=%s", gw.url);
	/* The session was made for the gateway's old address: sign in to the new one. */
	remote(&r, 1, NULL, "person", "list", NULL);
	CHECK_CONTAINS(r.err, "you are signed in to another server");
	run_result_release(&r);
	daemon_clock_advance(&d, 31);
	daemon_totp_at(secret, daemon_now(&d), code);
	remote(&r, 0, PASSWORD "\n", "login", "j.smith", "--code", code, NULL);
	run_result_release(&r);
	remote(&r, 0, NULL, "person", "list", NULL);
	CHECK_CONTAINS(r.out, "A1234BC");
	run_result_release(&r);

	test_step("the daemon killed (kill -9) under the gateway: a plain refusal, then served "
	          "again");
	daemon_kill(&d);
	remote(&r, 1, NULL, "person", "list", NULL);
	CHECK_CONTAINS(r.err, "The establishment server is not answering. Try again soon.");
	run_result_release(&r);
	daemon_start(&d);
	for (int tries = 0; tries < 50; tries++) {
		remote(&r, -1, NULL, "person", "list", NULL);
		if (r.status == 0)
			break;
		run_result_release(&r);
		usleep(100000);
	}
	CHECK_INT(r.status, 0);
	CHECK_CONTAINS(r.out, "A1234BC");
	run_result_release(&r);

	test_step("signed out: the session replayed from a copy is refused; the gateway serves on");
	snprintf(copy, sizeof(copy), "cp %s %s.copy", session_file, session_file);
	CHECK_INT(system(copy), 0);
	remote(&r, 0, NULL, "logout", NULL);
	run_result_release(&r);
	snprintf(session_env, sizeof(session_env), "ONWARD_SESSION_FILE=%s.copy", session_file);
	remote(&r, 1, NULL, "person", "list", NULL);
	CHECK_CONTAINS(r.err, "Your session has ended. Sign in again.");
	run_result_release(&r);
	remote(&r, 0, NULL, "status", NULL);
	CHECK_CONTAINS(r.out, "onward-policyd");
	run_result_release(&r);

	test_step("a session is never sent to a server other than the one that made it");
	snprintf(server_env, sizeof(server_env), "ONWARD_SERVER=https://127.0.0.2:1");
	remote(&r, 1, NULL, "person", "list", NULL);
	CHECK_CONTAINS(r.err, "you are signed in to another server");
	run_result_release(&r);

	free(setup);
	free(secret);
	estate_gateway_stop(&gw);
	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-estate-staff: OK\n");
	return 0;
}
