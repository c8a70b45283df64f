/*
 * Every onwardctl command against a real daemon: what it prints, its exit status (0 done,
 * 1 refused or failed, 2 usage), its --json output, and the audit row each one leaves.
 */
#include "check.h"
#include "daemon.h"

#include <string.h>

static struct test_daemon d;

/* Runs onwardctl and checks its exit status; returns the result for more checks. */
#define CTL(res, want, ...)                                                                        \
	do {                                                                                       \
		daemon_onwardctl(&d, (res), __VA_ARGS__, NULL);                                    \
		if ((res)->status != (want))                                                       \
			check_failed(__FILE__, __LINE__,                                           \
			             "onwardctl exited %d, expected %d\nout: %s\nerr: %s",         \
			             (res)->status, (want), (res)->out, (res)->err);               \
	} while (0)

static json_t *
parse_json(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (!j)
		check_failed(__FILE__, __LINE__, "not JSON (%s): %s", err.text, text);
	return j;
}

int
main(void)
{
	struct run_result r;
	json_t *j;
	char pin[16];

	daemon_make(&d, NULL);
	daemon_start(&d);

	test_step("usage errors exit 2 with a hint");
	CTL(&r, 2, "frobnicate");
	CHECK_CONTAINS(r.err, "unknown command 'frobnicate'");
	run_result_release(&r);
	CTL(&r, 2, "person", "add", "--as", "admin");
	CHECK_CONTAINS(r.err, "missing prison_number");
	run_result_release(&r);
	CTL(&r, 1, "person", "show", "A1234BC");
	CHECK_CONTAINS(r.err, "you are not signed in: run 'onwardctl login STAFF_ID'");
	run_result_release(&r);
	/* Nobody acts by claiming a name any more. */
	{
		const char *argv[] = {run_bin("onwardctl"), "--as=admin", "person", "list", NULL};

		daemon_onwardctl_argv(&d, argv, &r);
		CHECK_INT(r.status, 2);
		CHECK_CONTAINS(r.err, "--as is gone");
		run_result_release(&r);
	}
	CTL(&r, 2, "person", "add", "A1234BC", "--wings", "3", "--as", "admin");
	CHECK_CONTAINS(r.err, "unknown option '--wings'");
	run_result_release(&r);
	CTL(&r, 0, "--help");
	CHECK_CONTAINS(r.out, "person pin-reset");
	run_result_release(&r);
	CTL(&r, 0, "contact", "add", "--help");
	CHECK_CONTAINS(r.out, "--victim");
	run_result_release(&r);

	test_step("status needs no staff id");
	CTL(&r, 0, "status");
	CHECK_CONTAINS(r.out, "onward-policyd 0.1.0");
	run_result_release(&r);

	test_step("before any staff exist, break-glass (root on the server) is the way in");
	CTL(&r, 0, "--break-glass", "staff", "add", "admin", "--name", "Ada Admin", "--role",
	    "administrator");
	CHECK_CONTAINS(r.out, "added staff admin (administrator)");
	CHECK_CONTAINS(r.out, "setup code: ");
	run_result_release(&r);
	CTL(&r, 1, "--break-glass", "staff", "add", "break-glass", "--name", "X", "--role",
	    "officer");
	CHECK_CONTAINS(r.err, "kept for break-glass");
	run_result_release(&r);

	test_step("establishments and staff");
	CTL(&r, 0, "establishment", "add", "MDI", "--name", "HMP Moorland", "--as", "admin");
	run_result_release(&r);
	CTL(&r, 1, "establishment", "add", "MDI", "--name", "Again", "--as", "admin");
	CHECK_CONTAINS(r.err, "already exists");
	run_result_release(&r);
	CTL(&r, 1, "establishment", "add", "mdi1", "--name", "Bad", "--as", "admin");
	CHECK_CONTAINS(r.err, "three capital letters");
	run_result_release(&r);
	CTL(&r, 0, "staff", "add", "j.smith", "--name", "Jo Smith", "--role", "officer",
	    "--establishment", "MDI", "--as", "admin");
	run_result_release(&r);
	CTL(&r, 1, "staff", "add", "k.jones", "--name", "K Jones", "--role", "wizard", "--as",
	    "admin");
	CHECK_CONTAINS(r.err, "The role is one of");
	run_result_release(&r);
	CTL(&r, 1, "staff", "add", "k.jones", "--name", "K Jones", "--role", "officer", "--as",
	    "j.smith");
	CHECK_CONTAINS(r.err, "Your role cannot do this here.");
	run_result_release(&r);
	CTL(&r, 0, "staff", "list", "--as", "admin");
	CHECK_CONTAINS(r.out, "j.smith");
	CHECK_CONTAINS(r.out, "officer");
	run_result_release(&r);

	test_step("person add prints a one-time PIN; show, list and set");
	CTL(&r, 0, "person", "add", "A1234BC", "--given", "Sam", "--family", "Jones",
	    "--establishment", "MDI", "--release-date", "2027-03-31", "--flag", "public_protection",
	    "--as", "j.smith");
	CHECK_CONTAINS(r.out, "one-time PIN:");
	CHECK_CONTAINS(r.out, "public_protection");
	run_result_release(&r);
	CTL(&r, 0, "--json", "person", "add", "B2345CD", "--given", "Alex", "--family", "Brown",
	    "--establishment", "MDI", "--as", "j.smith");
	j = parse_json(r.out);
	snprintf(pin, sizeof(pin), "%s", json_string_value(json_object_get(j, "one_time_pin")));
	CHECK_INT(strlen(pin), 6);
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "person"), "status")),
	          "sentenced");
	json_decref(j);
	run_result_release(&r);
	CTL(&r, 1, "person", "add", "A1234BC", "--given", "X", "--family", "Y", "--establishment",
	    "MDI", "--as", "admin");
	CHECK_CONTAINS(r.err, "already exists");
	run_result_release(&r);
	CTL(&r, 1, "person", "add", "A12345C", "--given", "X", "--family", "Y", "--as", "admin");
	CHECK_CONTAINS(r.err, "like A1234BC");
	run_result_release(&r);
	CTL(&r, 1, "person", "add", "C3456DE", "--given", "X", "--family", "Y", "--establishment",
	    "XYZ", "--as", "admin");
	CHECK_CONTAINS(r.err, "No establishment has that code.");
	run_result_release(&r);
	CTL(&r, 1, "person", "add", "C3456DE", "--given", "X", "--family", "Y", "--establishment",
	    "MDI", "--release-date", "2027-02-30", "--as", "admin");
	CHECK_CONTAINS(r.err, "A date is written like");
	run_result_release(&r);
	CTL(&r, 0, "person", "show", "A1234BC", "--as", "j.smith");
	CHECK_CONTAINS(r.out, "Sam Jones");
	CHECK_CONTAINS(r.out, "2027-03-31");
	run_result_release(&r);
	CTL(&r, 1, "person", "show", "Z9999ZZ", "--as", "j.smith");
	CHECK_CONTAINS(r.err, "No such person");
	run_result_release(&r);
	CTL(&r, 0, "person", "set", "A1234BC", "--incentive", "enhanced", "--unflag",
	    "public_protection", "--flag", "child_safeguarding", "--crn", "X123456", "--as",
	    "j.smith");
	CHECK_CONTAINS(r.out, "enhanced");
	CHECK_CONTAINS(r.out, "child_safeguarding");
	CHECK(strstr(r.out, "public_protection") == NULL);
	run_result_release(&r);
	CTL(&r, 1, "person", "set", "B2345CD", "--crn", "X123456", "--as", "j.smith");
	CHECK_CONTAINS(r.err, "That case reference belongs to someone else.");
	run_result_release(&r);
	CTL(&r, 0, "person", "list", "--establishment", "MDI", "--as", "j.smith");
	CHECK_CONTAINS(r.out, "A1234BC");
	CHECK_CONTAINS(r.out, "B2345CD");
	run_result_release(&r);
	CTL(&r, 0, "person", "pin-reset", "B2345CD", "--as", "j.smith");
	CHECK_CONTAINS(r.out, "one-time PIN for B2345CD");
	run_result_release(&r);

	test_step("contacts: add, approve, reject, list; a victim cannot be approved");
	CTL(&r, 0, "staff", "add", "k.patel", "--name", "Kiran Patel", "--role", "key_worker",
	    "--establishment", "MDI", "--as", "admin");
	run_result_release(&r);
	CTL(&r, 1, "contact", "add", "A1234BC", "--name", "Jo Jones", "--relation", "mother",
	    "--as", "j.smith");
	CHECK_CONTAINS(r.err, "Your role cannot do this here.");
	run_result_release(&r);
	CTL(&r, 0, "contact", "add", "A1234BC", "--name", "Jo Jones", "--relation", "mother",
	    "--as", "k.patel");
	CHECK_CONTAINS(r.out, "pending");
	run_result_release(&r);
	CTL(&r, 0, "contact", "add", "A1234BC", "--name", "Pat Doe", "--relation", "other",
	    "--victim", "--as", "k.patel");
	CHECK_CONTAINS(r.out, "victim");
	run_result_release(&r);
	CTL(&r, 0, "contact", "add", "A1234BC", "--name", "Kim Jones", "--relation", "daughter",
	    "--minor", "--as", "k.patel");
	run_result_release(&r);
	CTL(&r, 0, "contact", "approve", "1", "--as", "k.patel");
	CHECK_CONTAINS(r.out, "approved");
	run_result_release(&r);
	CTL(&r, 1, "contact", "approve", "2", "--as", "k.patel");
	CHECK_CONTAINS(r.err, "marked as a victim");
	run_result_release(&r);
	CTL(&r, 0, "contact", "reject", "3", "--reason", "Not agreed by social services", "--as",
	    "k.patel");
	CHECK_CONTAINS(r.out, "rejected");
	run_result_release(&r);
	CTL(&r, 1, "contact", "approve", "99", "--as", "k.patel");
	CHECK_CONTAINS(r.err, "No such contact");
	run_result_release(&r);
	CTL(&r, 2, "contact", "approve", "one", "--as", "k.patel");
	run_result_release(&r);
	CTL(&r, 0, "--json", "contact", "list", "A1234BC", "--as", "k.patel");
	j = parse_json(r.out);
	CHECK_INT(json_array_size(json_object_get(j, "contacts")), 3);
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(j, "contacts"), 0), "decided_by")),
	          "k.patel");
	json_decref(j);
	run_result_release(&r);

	test_step("apps: register records the program's SHA-256");
	CTL(&r, 1, "app", "register", "learning", "--path", "/bin/true", "--as", "j.smith");
	CHECK_CONTAINS(r.err, "Your role cannot do this here.");
	run_result_release(&r);
	CTL(&r, 1, "app", "register", "learning", "--path", "/no/such/program", "--as", "admin");
	CHECK_CONTAINS(r.err, "not a program");
	run_result_release(&r);
	CTL(&r, 0, "app", "register", "learning", "--path", run_bin("onwardctl"), "--title",
	    "Learning", "--as", "admin");
	CHECK_CONTAINS(r.out, "registered learning");
	run_result_release(&r);
	CTL(&r, 0, "--json", "app", "list", "--as", "admin");
	j = parse_json(r.out);
	CHECK_INT(strlen(json_string_value(json_object_get(
	                  json_array_get(json_object_get(j, "apps"), 0), "sha256"))),
	          64);
	json_decref(j);
	run_result_release(&r);

	test_step("audit: every command above left a row; the chain verifies");
	CTL(&r, 0, "--json", "audit", "show", "--subject", "person:A1234BC", "--limit", "1000",
	    "--as", "admin");
	j = parse_json(r.out);
	{
		const char *want[] = {"person.add",  "person.show",     "person.set",
		                      "contact.add", "contact.approve", "contact.reject",
		                      "contact.list"};
		json_t *rows = json_object_get(j, "rows");

		for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
			bool found = false;
			size_t i;
			json_t *row;

			json_array_foreach(rows, i, row) found |=
			        strcmp(json_string_value(json_object_get(row, "action")),
			               want[w]) == 0;
			if (!found)
				check_failed(__FILE__, __LINE__, "no audit row for %s", want[w]);
		}
	}
	json_decref(j);
	run_result_release(&r);
	CTL(&r, 0, "audit", "show", "--actor", "staff:j.smith", "--as", "admin");
	CHECK_CONTAINS(r.out, "refused");
	run_result_release(&r);
	CTL(&r, 0, "audit", "verify", "--as", "admin");
	CHECK_CONTAINS(r.out, "audit chain OK");
	run_result_release(&r);

	test_step("no daemon: a clear error and exit 1");
	daemon_stop(&d);
	CTL(&r, 1, "person", "list", "--as", "admin");
	CHECK_CONTAINS(r.err, "is the daemon running?");
	run_result_release(&r);

	daemon_remove(&d);
	printf("test-onwardctl: OK\n");
	return 0;
}
