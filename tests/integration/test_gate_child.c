/*
 * A person bundle's import when the keyless child that reads it fails, with two real
 * daemons, MDI (A) and the probation region NEP (B). B's child is made to fail on purpose
 * by the test hook ONWARD_TEST_PARSE_FAULT (test builds only; services/parse/probe.c) at
 * each of its two steps — the header and the record — by crashing, by stalling past the
 * time limit, and by lying (a header of the wrong shape; a record of the right shape that
 * the daemon's own bounds refuse). Each time staff get one plain error, nothing is
 * imported, the daemon goes on answering, and the same bundle imports once the child is
 * well; a daemon stopped while the child stalls answers the import and exits cleanly.
 * And what a bundle now carries: a PIN staff issued and the person has not yet changed
 * must still be changed at the first login after the move.
 */
#include "check.h"
#include "daemon.h"
#include "gate_fixture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct test_daemon a, b;

/* Imports path at B expecting this error and these words; then B still answers. */
static void
import_fails(const char *path, const char *error, const char *words)
{
	struct client *c = daemon_connect_admin(&b);
	struct client_reply r;

	daemon_call(c, "onward.Person.Import", json_pack("{s:s, s:s}", "as", "admin", "path", path),
	            &r);
	if (!r.error)
		check_failed(__FILE__, __LINE__, "the import was accepted");
	CHECK_STR(r.error, error);
	CHECK_STR(client_reply_message(&r), words);
	client_reply_release(&r);
	daemon_call(c, "onward.Service.GetInfo", NULL, &r);
	CHECK(r.error == NULL);
	client_reply_release(&r);
	client_free(c);
	CHECK(!gate_person_exists(&b, "A1234BC"));
}

/* Exports number from A to B as path; and imports it at B, when import says so. */
static void
move_to_b(const char *number, const char *path, const char *cert_b, bool import)
{
	struct run_result run;

	unlink(path);
	gate_ctl(&a, 0, &run, "person", "export", number, "--to", path, "--recipient", cert_b,
	         NULL);
	run_result_release(&run);
	if (!import)
		return;
	json_decref(daemon_admin_ok(&b, "onward.Person.Import", json_pack("{s:s}", "path", path)));
	CHECK(gate_person_exists(&b, number));
}

/* Logs in at B, which must answer without an error: the reply's parameters. */
static json_t *
login_at_b(const char *number, const char *pin)
{
	struct client *c = daemon_connect_control(&b);
	struct client_reply r;
	json_t *out;

	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", number, "pin", pin), &r);
	CHECK(r.error == NULL);
	out = json_incref(r.parameters);
	client_reply_release(&r);
	client_free(c);
	return out;
}

int
main(void)
{
	static const char crashed[] =
	        "The bundle could not be checked: the checker stopped unexpectedly (it may be "
	        "built to attack the service). Nothing was imported.";
	static const char not_understood[] =
	        "The bundle could not be checked: the checker's answer was not understood. "
	        "Nothing was imported.";
	char cert_a[300], cert_b[300], bundle[300], pin[16];
	json_t *added, *r;

	gate_setup(&a, "MDI");
	gate_setup(&b, "NEP");
	gate_cert_file(&a, cert_a, sizeof(cert_a));
	gate_cert_file(&b, cert_b, sizeof(cert_b));
	gate_trust(&a, cert_b);
	gate_trust(&b, cert_a);
	snprintf(bundle, sizeof(bundle), "%s.bundle", a.dir);

	test_step("at A: a person whose PIN staff issued, not yet changed, moves to B");
	added = daemon_admin_ok(&a, "onward.Person.Add",
	                        json_pack("{s:s, s:s, s:s, s:s}", "prison_number", "A1234BC",
	                                  "given_name", "Sam", "family_name", "Jones",
	                                  "establishment", "MDI"));
	snprintf(pin, sizeof(pin), "%s", json_string_value(json_object_get(added, "one_time_pin")));
	json_decref(added);
	CHECK_INT(strlen(pin), 6);
	move_to_b("A1234BC", bundle, cert_b, false);

	test_step("the child crashes reading the header: a plain error, nothing imported");
	daemon_restart_faulty(&b, "abort:bundle.head");
	import_fails(bundle, "onward.InvalidParameter", crashed);
	CHECK(daemon_log_has(&b, "(import)"));

	test_step("...or reading the record");
	daemon_restart_faulty(&b, "abort:bundle.record");
	import_fails(bundle, "onward.InvalidParameter", crashed);

	test_step("the child stalls on the record: stopped at the time limit");
	setenv("ONWARD_TEST_PARSE_TIMEOUT_MS", "1000", 1);
	daemon_restart_faulty(&b, "hang:bundle.record");
	import_fails(bundle, "onward.InvalidParameter",
	             "The bundle was refused: checking it took longer than 1 seconds. Nothing was "
	             "imported.");
	unsetenv("ONWARD_TEST_PARSE_TIMEOUT_MS");

	test_step(
	        "the daemon stops while the child stalls: the import is answered, the exit clean");
	daemon_restart_faulty(&b, "hang:bundle.record");
	{
		struct client *c = daemon_connect_admin(&b);
		struct client_reply stopped;
		int rc;

		/* The log from here on only (the daemon appends to it). */
		CHECK(truncate(b.log, 0) == 0);
		CHECK_INT(client_send(c, "onward.Person.Import",
		                      daemon_sign_params(c, json_pack("{s:s, s:s}", "as", "admin",
		                                                      "path", bundle))),
		          0);
		while (client_flush(c) == -EAGAIN)
			usleep(1000);
		/* Once its child is up the import is under way; stopping must not wait on it. */
		while (!daemon_log_has(&b, "(import) ready"))
			usleep(10000);
		usleep(200000); /* on to the record, where the child stalls */
		daemon_stop(&b);
		while ((rc = client_receive(c, &stopped)) == -EAGAIN)
			usleep(1000);
		CHECK_INT(rc, 0);
		CHECK_STR(stopped.error, "onward.Busy");
		CHECK_STR(client_reply_message(&stopped),
		          "The service is stopping. Try again when it is back.");
		client_reply_release(&stopped);
		client_free(c);
		daemon_start(&b);
	}

	test_step("the child lies about the header: not believed");
	daemon_restart_faulty(&b, "lie:bundle.head");
	import_fails(bundle, "onward.InvalidParameter", not_understood);
	CHECK(daemon_log_has(&b, "the checker's answer is not one"));

	test_step("the child sends a record past the limits: bounded here again, not believed");
	daemon_restart_faulty(&b, "lie:bundle.record");
	import_fails(bundle, "onward.InvalidParameter", not_understood);
	CHECK(daemon_log_has(&b, "the checker's answer is not believed (its record): The bundle's "
	                         "record is not well formed: it is nested too deeply."));

	test_step("the child well again: the same bundle is imported");
	daemon_restart_faulty(&b, NULL);
	json_decref(
	        daemon_admin_ok(&b, "onward.Person.Import", json_pack("{s:s}", "path", bundle)));
	CHECK(gate_person_exists(&b, "A1234BC"));

	test_step("the PIN staff issued must still be changed at B's first login");
	r = login_at_b("A1234BC", pin);
	CHECK(json_is_true(json_object_get(r, "pin_change")));
	CHECK(json_object_get(r, "session") == NULL);
	json_decref(r);

	test_step("...while a PIN the person chose is kept as theirs");
	daemon_add_person(&a, "B2345CD", pin);
	move_to_b("B2345CD", bundle, cert_b, true);
	r = login_at_b("B2345CD", pin);
	CHECK(json_is_string(json_object_get(r, "session")));
	CHECK(json_object_get(r, "pin_change") == NULL);
	json_decref(r);

	json_decref(daemon_admin_ok(&b, "onward.Audit.Verify", NULL));
	unlink(bundle);
	gate_remove(&a);
	gate_remove(&b);
	printf("test-gate-child: OK\n");
	return 0;
}
