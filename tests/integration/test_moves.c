/*
 * Through the gate on one daemon: transfer between prisons, release on licence with a
 * licence file (named people become unreachable with the licence's reason, the worker
 * becomes the probation officer, prison-only apps lock and community services open),
 * recall, and end of licence (probation's access ends); bad licence files are refused with
 * the person unchanged; every move is in the person's history.
 */
#include "check.h"
#include "daemon.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct test_daemon d;

static json_t *
admin(const char *method, json_t *params)
{
	return daemon_admin_ok(&d, method, params);
}

static void
expect(const char *action, const char *resource, bool allowed, const char *reason_part)
{
	json_t *r = admin("onward.Policy.Explain",
	                  json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC", "action", action,
	                            "resource", resource));
	const char *decision = json_string_value(json_object_get(r, "decision"));
	const char *reason = json_string_value(json_object_get(r, "reason"));

	if (strcmp(decision, allowed ? "allow" : "deny") != 0 || !strstr(reason, reason_part))
		check_failed(__FILE__, __LINE__, "%s %s: %s \"%s\", expected %s \"%s\"", action,
		             resource, decision, reason, allowed ? "allow" : "deny", reason_part);
	json_decref(r);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	fputs(text, f);
	CHECK(fclose(f) == 0);
}

static void
check_person(const char *status, const char *establishment, const char *worker)
{
	json_t *r = admin("onward.Person.Show", json_pack("{s:s}", "prison_number", "A1234BC"));
	json_t *p = json_object_get(r, "person");

	CHECK_STR(json_string_value(json_object_get(p, "status")), status);
	CHECK_STR(json_string_value(json_object_get(p, "establishment")), establishment);
	if (worker)
		CHECK_STR(json_string_value(json_object_get(p, "worker")), worker);
	else
		CHECK(json_is_null(json_object_get(p, "worker")));
	json_decref(r);
}

/* onwardctl as `as`; checks the exit status and returns nothing (output checked by caller). */
static void
ctl(struct run_result *r, int want, const char *as, const char *a1, const char *a2, const char *a3,
    const char *a4, const char *a5)
{
	daemon_onwardctl(&d, r, "--as", as, a1, a2, a3, a4, a5, NULL);
	if (r->status != want)
		check_failed(__FILE__, __LINE__, "onwardctl %s %s %s exited %d, expected %d\n%s%s",
		             a1, a2, a3 ? a3 : "", r->status, want, r->out, r->err);
}

int
main(void)
{
	char pin[16], licence[300], bad[300];
	json_int_t alex, maria;
	struct run_result r;
	json_t *j;

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	json_decref(admin("onward.Establishment.Add",
	                  json_pack("{s:s, s:s}", "code", "BXI", "name", "HMP Brixton")));
	json_decref(admin("onward.Establishment.Add",
	                  json_pack("{s:s, s:s, s:s}", "code", "NEP", "name", "North East", "kind",
	                            "probation")));
	json_decref(admin("onward.Establishment.Regime",
	                  json_pack("{s:s, s:s}", "code", "NEP", "regime", "unlock")));
	json_decref(admin("onward.Staff.Add",
	                  json_pack("{s:s, s:s, s:s, s:s}", "id", "o.mdi", "name", "Officer MDI",
	                            "role", "officer", "establishment", "MDI")));
	json_decref(admin("onward.Staff.Add",
	                  json_pack("{s:s, s:s, s:s, s:s}", "id", "o.bxi", "name", "Officer BXI",
	                            "role", "officer", "establishment", "BXI")));
	json_decref(admin("onward.Staff.Add",
	                  json_pack("{s:s, s:s, s:s, s:s}", "id", "m.brown", "name", "Morgan Brown",
	                            "role", "probation", "establishment", "NEP")));
	daemon_add_person(&d, "A1234BC", pin);
	j = admin("onward.Contact.Add", json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC",
	                                          "name", "Alex Moore", "relation", "friend"));
	alex = json_integer_value(json_object_get(json_object_get(j, "contact"), "id"));
	json_decref(j);
	j = admin("onward.Contact.Add", json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC",
	                                          "name", "Maria Jones", "relation", "mother"));
	maria = json_integer_value(json_object_get(json_object_get(j, "contact"), "id"));
	json_decref(j);
	json_decref(admin("onward.Contact.Approve", json_pack("{s:I}", "id", alex)));
	json_decref(admin("onward.Contact.Approve", json_pack("{s:I}", "id", maria)));

	test_step("transfer between prisons, by an officer of the sending prison");
	ctl(&r, 1, "o.bxi", "person", "transfer", "A1234BC", "--to", "BXI");
	CHECK_CONTAINS(r.err, "Your role cannot do this here.");
	run_result_release(&r);
	ctl(&r, 1, "o.mdi", "person", "transfer", "A1234BC", "--to", "NEP");
	CHECK_CONTAINS(r.err, "NEP is not a prison.");
	run_result_release(&r);
	ctl(&r, 0, "o.mdi", "person", "transfer", "A1234BC", "--to", "BXI");
	CHECK_CONTAINS(r.out, "sentenced at BXI");
	run_result_release(&r);
	check_person("sentenced", "BXI", NULL);

	test_step("bad licence files are refused and change nothing");
	snprintf(bad, sizeof(bad), "%s.bad.json", d.dir);
	{
		const char *cases[][2] = {
		        {"{\"end\": \"2028-01-28\"}", "must name its probation region"},
		        {"{\"region\": \"BXI\", \"end\": \"2028-01-28\"}",
		         "BXI is not a probation region"},
		        {"{\"region\": \"NEP\"}", "needs an end date"},
		        {"{\"region\": \"NEP\", \"start\": \"2028-02-01\", \"end\": "
		         "\"2028-01-28\"}",
		         "needs an end date (and any start date before it)"},
		        {"{\"region\": \"NEP\", \"end\": \"2028-01-28\", \"curfew\": {\"start\": "
		         "\"7pm\", "
		         "\"end\": \"07:00\"}}",
		         "A curfew is"},
		        {"{\"region\": \"NEP\", \"end\": \"2028-01-28\", \"probation_officer\": "
		         "\"o.mdi\"}",
		         "must be a probation staff id"},
		        {"{\"region\": \"NEP\", \"end\": \"2028-01-28\", \"tagging\": true}",
		         "unknown field \"tagging\""},
		        {"{\"region\": \"NEP\", \"end\": \"2028-01-28\", \"no_contact\": \"Alex\"}",
		         "must be a list"},
		        {"[1, 2]", "must hold a JSON object"},
		        {"{\"region\": ", "bad.json"},
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			write_file(bad, cases[i][0]);
			ctl(&r, 1, "o.bxi", "person", "release", "A1234BC", "--licence", bad);
			CHECK_CONTAINS(r.err, cases[i][1]);
			run_result_release(&r);
		}
	}
	check_person("sentenced", "BXI", NULL);

	test_step("release on licence: the licence's rules apply at once");
	snprintf(licence, sizeof(licence), "%s.licence.json", d.dir);
	write_file(licence, "{\n"
	                    "  \"region\": \"NEP\",\n"
	                    "  \"crn\": \"X123456\",\n"
	                    "  \"probation_officer\": \"m.brown\",\n"
	                    "  \"start\": \"2027-01-29\",\n"
	                    "  \"end\": \"2028-01-28\",\n"
	                    "  \"curfew\": {\"start\": \"19:00\", \"end\": \"07:00\"},\n"
	                    "  \"exclusion_areas\": [\"Leeds city centre\"],\n"
	                    "  \"no_contact\": [\"alex moore\", \"Someone Else\"],\n"
	                    "  \"reporting\": \"Weekly at Leeds probation office, Mondays 10:00\"\n"
	                    "}\n");
	expect("message.send", "contact:1", true, "You can message your approved contacts.");
	ctl(&r, 0, "o.bxi", "person", "release", "A1234BC", "--licence", licence);
	CHECK_CONTAINS(r.out, "licence at NEP, worker m.brown");
	CHECK_CONTAINS(r.out, "curfew 19:00 to 07:00");
	CHECK_CONTAINS(r.out, "\"Someone Else\" on the licence is not among the person's contacts");
	run_result_release(&r);
	check_person("licence", "NEP", "m.brown");
	expect("message.send", "contact:1", false,
	       "Your licence says you must not contact this person.");
	expect("message.send", "contact:2", true, "You can message your approved contacts.");
	expect("message.send", "staff:m.brown", true, "You can always message your worker.");
	expect("app.open", "app:games", false, "This app is for use in prison.");
	expect("app.open", "app:services", true, "Local services help you");
	expect("housing.enquire", "service", true, "You can ask for help with housing.");
	ctl(&r, 1, "o.bxi", "person", "show", "A1234BC", NULL, NULL);
	run_result_release(&r);
	ctl(&r, 0, "m.brown", "person", "set", "A1234BC", "--incentive", "enhanced");
	run_result_release(&r);
	ctl(&r, 1, "o.bxi", "person", "release", "A1234BC", "--licence", licence);
	CHECK_CONTAINS(r.err, "Your role cannot do this here.");
	run_result_release(&r);

	test_step("recall to a prison, then release and end of licence");
	ctl(&r, 0, "m.brown", "person", "recall", "A1234BC", "--to", "MDI");
	CHECK_CONTAINS(r.out, "sentenced at MDI");
	run_result_release(&r);
	check_person("sentenced", "MDI", NULL);
	expect("message.send", "contact:1", true, "You can message your approved contacts.");
	ctl(&r, 1, "m.brown", "person", "recall", "A1234BC", "--to", "MDI");
	run_result_release(&r);
	ctl(&r, 0, "o.mdi", "person", "release", "A1234BC", "--licence", licence);
	run_result_release(&r);
	ctl(&r, 0, "m.brown", "person", "end-licence", "A1234BC", NULL, NULL);
	CHECK_CONTAINS(r.out, "released at NEP");
	run_result_release(&r);
	check_person("released", "NEP", NULL);
	ctl(&r, 1, "m.brown", "person", "show", "A1234BC", NULL, NULL);
	CHECK_CONTAINS(r.err, "This person's licence has ended. Probation no longer has access.");
	run_result_release(&r);
	expect("message.send", "contact:1", true, "You can message your approved contacts.");
	expect("app.open", "app:crisis", true, "Crisis help is always open.");

	test_step("the history holds every move");
	ctl(&r, 0, "admin", "person", "moves", "A1234BC", NULL, NULL);
	{
		const char *kinds[] = {"transfer", "release", "recall", "release", "end_licence"};
		const char *at = r.out;

		for (size_t i = 0; i < 5; i++) {
			at = strstr(at, kinds[i]);
			if (!at)
				check_failed(__FILE__, __LINE__, "no %s in history:\n%s", kinds[i],
				             r.out);
			at++;
		}
	}
	run_result_release(&r);

	unlink(licence);
	unlink(bad);
	daemon_remove(&d);
	printf("test-moves: OK\n");
	return 0;
}
