/*
 * The shipped policies, rule by rule, through the real daemon: people, contacts, apps and
 * grants are made with admin calls, then onward.Policy.Explain gives the decision and the
 * plain-words reason a person would see, checked against a table. Staff roles are checked
 * by making calls as each kind of staff member. The establishment used (BXI) has no file of
 * its own and its regime is set by hand, so the answers do not depend on the clock.
 */
#include "check.h"
#include "daemon.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static struct test_daemon d;

static json_t *
admin(const char *method, json_t *params)
{
	return daemon_admin_ok(&d, method, params);
}

/* An admin call as `as`; returns the reply (caller releases) without failing on errors. */
static void
call_as(const char *as, const char *method, json_t *params, struct client_reply *ret)
{
	struct client *c = daemon_connect_admin(&d);

	json_object_set_new(params, "as", json_string(as));
	daemon_call(c, method, params, ret);
	client_free(c);
}

static void
add_person(const char *number, const char *est, const char *status, const char *incentive,
           const char *release_date, const char *flag)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "prison_number", number,
	                      "given_name", "Test", "family_name", number, "establishment", est,
	                      "status", status, "incentive", incentive);

	if (release_date)
		json_object_set_new(p, "release_date", json_string(release_date));
	if (flag)
		json_object_set_new(p, "add_flags", json_pack("[s]", flag));
	json_decref(admin("onward.Person.Add", p));
}

static json_int_t
add_contact(const char *number, const char *name, const char *mark, bool approve)
{
	json_t *params = json_pack("{s:s, s:s, s:s}", "prison_number", number, "name", name,
	                           "relation", "friend");
	json_t *reply;
	json_int_t id;

	if (mark)
		json_object_set_new(params, mark, json_true());
	reply = admin("onward.Contact.Add", params);
	id = json_integer_value(json_object_get(json_object_get(reply, "contact"), "id"));
	json_decref(reply);
	if (approve)
		json_decref(admin("onward.Contact.Approve", json_pack("{s:I}", "id", id)));
	return id;
}

/* One row of the table: what the person may do, and the reason they would be shown. */
static void
expect(const char *number, const char *action, const char *resource, bool allowed,
       const char *reason_part)
{
	json_t *r =
	        admin("onward.Policy.Explain", json_pack("{s:s, s:s, s:s}", "prison_number", number,
	                                                 "action", action, "resource", resource));
	const char *decision = json_string_value(json_object_get(r, "decision"));
	const char *reason = json_string_value(json_object_get(r, "reason"));

	if (strcmp(decision, allowed ? "allow" : "deny") != 0 || !strstr(reason, reason_part))
		check_failed(__FILE__, __LINE__, "%s %s %s: %s \"%s\", expected %s \"%s\"", number,
		             action, resource, decision, reason, allowed ? "allow" : "deny",
		             reason_part);
	json_decref(r);
}

static void
set_regime(const char *regime)
{
	json_decref(admin("onward.Establishment.Regime",
	                  json_pack("{s:s, s:s}", "code", "BXI", "regime", regime)));
}

/* A staff call's outcome: 0 allowed, or the refusal must name the role rule. */
static void
expect_staff(const char *as, const char *method, json_t *params, bool allowed)
{
	struct client_reply r;

	call_as(as, method, params, &r);
	if (allowed && r.error)
		check_failed(__FILE__, __LINE__, "%s %s refused: %s", as, method,
		             client_reply_message(&r));
	if (!allowed) {
		CHECK_STR(r.error, "onward.PermissionDenied");
		CHECK_STR(client_reply_message(&r), "Your role cannot do this here.");
	}
	client_reply_release(&r);
}

int
main(void)
{
	char soon[11], contact[32];
	json_int_t adult, minor, pending, victim, barred;
	time_t t = time(NULL) + 60 * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(soon, sizeof(soon), "%Y-%m-%d", &tm);
	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	json_decref(admin("onward.Establishment.Add",
	                  json_pack("{s:s, s:s}", "code", "BXI", "name", "HMP Brixton")));
	json_decref(admin("onward.Establishment.Add",
	                  json_pack("{s:s, s:s, s:s}", "code", "NEP", "name", "North East", "kind",
	                            "probation")));
	set_regime("unlock");
	add_person("A1111AA", "BXI", "sentenced", "basic", NULL, NULL);
	add_person("A2222AA", "BXI", "sentenced", "standard", soon, NULL);
	add_person("A3333AA", "BXI", "sentenced", "enhanced", NULL, "child_safeguarding");
	add_person("A4444AA", "NEP", "licence", "standard", NULL, NULL);
	adult = add_contact("A3333AA", "Adult Friend", NULL, true);
	minor = add_contact("A3333AA", "Young Relative", "minor", true);
	pending = add_contact("A3333AA", "New Friend", NULL, false);
	victim = add_contact("A3333AA", "Victim", "victim", false);
	barred = add_contact("A3333AA", "Barred", "barred", false);

	test_step("apps by incentive level and status");
	expect("A1111AA", "app.open", "app:learning", true, "This app is open to you.");
	expect("A1111AA", "app.open", "app:games", false, "Games open at the enhanced level.");
	expect("A2222AA", "app.open", "app:games", false, "Games open at the enhanced level.");
	expect("A3333AA", "app.open", "app:games", true, "Games are open to you.");
	expect("A4444AA", "app.open", "app:games", false, "This app is for use in prison.");
	expect("A4444AA", "app.open", "app:services", true, "Local services help you");
	expect("A1111AA", "app.open", "app:services", false, "Local services open when you leave");
	expect("A1111AA", "app.open", "app:nosuchapp", false, "This app is not set up for you.");

	test_step("crisis help is open to everyone, always");
	for (int i = 0; i < 3; i++) {
		const char *regimes[] = {"unlock", "night", "lockdown"};

		set_regime(regimes[i]);
		expect("A1111AA", "app.open", "app:crisis", true, "Crisis help is always open.");
		expect("A3333AA", "app.open", "app:crisis", true, "Crisis help is always open.");
		expect("A4444AA", "app.open", "app:crisis", true, "Crisis help is always open.");
	}
	set_regime("unlock");

	test_step("housing in the last 12 weeks and on licence");
	expect("A1111AA", "housing.enquire", "service", false, "Housing help opens 12 weeks");
	expect("A1111AA", "app.open", "app:housing", false, "Housing help opens 12 weeks");
	expect("A2222AA", "housing.enquire", "service", true, "You can ask for help with housing.");
	expect("A2222AA", "app.open", "app:housing", true, "The housing app is open to you.");
	expect("A4444AA", "housing.enquire", "service", true, "You can ask for help with housing.");
	expect("A1111AA", "appointment.view", "service", true, "You can see your appointments.");

	test_step("messages: approved contacts only; victims, barred, children, regimes");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)adult);
	expect("A3333AA", "message.send", contact, true, "You can message your approved contacts.");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)minor);
	expect("A3333AA", "message.send", contact, false, "You cannot message children.");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)pending);
	expect("A3333AA", "message.send", contact, false, "people staff have approved");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)victim);
	expect("A3333AA", "message.send", contact, false, "protected as a victim");
	expect("A3333AA", "message.read", contact, false, "protected as a victim");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)barred);
	expect("A3333AA", "message.send", contact, false, "Contact has been barred.");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)adult);
	set_regime("night");
	expect("A3333AA", "message.send", contact, false, "closed at night, 21:00 to 07:00");
	expect("A3333AA", "message.read", contact, true, "You can message your approved contacts.");
	set_regime("lockdown");
	expect("A3333AA", "message.send", contact, false, "paused during a lockdown");
	expect("A3333AA", "app.open", "app:learning", true, "This app is open to you.");
	set_regime("unlock");
	{
		struct client_reply r;

		call_as("admin", "onward.Policy.Explain",
		        json_pack("{s:s, s:s, s:s}", "prison_number", "A1111AA", "action",
		                  "message.send", "resource", contact),
		        &r);
		CHECK_STR(r.error, "onward.InvalidParameter");
		CHECK_CONTAINS(client_reply_message(&r), "no contact with that number");
		client_reply_release(&r);
	}

	test_step("grants and revocations by staff");
	json_decref(admin("onward.Grant.Add",
	                  json_pack("{s:s, s:s, s:s}", "prison_number", "A1111AA", "resource",
	                            "app:games", "reason", "Good progress")));
	expect("A1111AA", "app.open", "app:games", true, "Staff have opened this app for you.");
	expect("A2222AA", "app.open", "app:games", false, "Games open at the enhanced level.");
	json_decref(admin("onward.Grant.Revoke", json_pack("{s:s, s:s}", "prison_number", "A1111AA",
	                                                   "resource", "app:games")));
	expect("A1111AA", "app.open", "app:games", false, "Staff have closed this app for you.");
	json_decref(admin("onward.Grant.Revoke", json_pack("{s:s, s:s}", "prison_number", "A3333AA",
	                                                   "resource", "app:learning")));
	expect("A3333AA", "app.open", "app:learning", false, "Staff have closed this app");
	{
		struct client_reply r;
		json_t *list;
		const char *id;

		call_as("admin", "onward.Grant.Revoke",
		        json_pack("{s:s, s:s}", "prison_number", "A1111AA", "resource",
		                  "app:crisis"),
		        &r);
		CHECK_STR(r.error, "onward.PermissionDenied");
		CHECK_STR(client_reply_message(&r), "Crisis help cannot be closed for anyone.");
		client_reply_release(&r);
		list = admin("onward.Grant.List", json_pack("{s:s}", "prison_number", "A3333AA"));
		CHECK_INT(json_array_size(json_object_get(list, "grants")), 1);
		id = json_string_value(
		        json_object_get(json_array_get(json_object_get(list, "grants"), 0), "id"));
		json_decref(admin("onward.Grant.Remove",
		                  json_pack("{s:s, s:s}", "prison_number", "A3333AA", "id", id)));
		json_decref(list);
		expect("A3333AA", "app.open", "app:learning", true, "This app is open to you.");
	}

	test_step("grants survive a restart");
	daemon_stop(&d);
	daemon_start(&d);
	expect("A1111AA", "app.open", "app:games", false, "Staff have closed this app for you.");

	test_step("staff roles: each changes only what they own");
	json_decref(admin("onward.Staff.Add",
	                  json_pack("{s:s, s:s, s:s, s:s}", "id", "o.bxi", "name", "Officer",
	                            "role", "officer", "establishment", "BXI")));
	json_decref(admin("onward.Staff.Add",
	                  json_pack("{s:s, s:s, s:s, s:s}", "id", "k.bxi", "name", "Key worker",
	                            "role", "key_worker", "establishment", "BXI")));
	json_decref(admin("onward.Staff.Add",
	                  json_pack("{s:s, s:s, s:s, s:s}", "id", "e.bxi", "name", "Tutor", "role",
	                            "education", "establishment", "BXI")));
	json_decref(admin("onward.Staff.Add",
	                  json_pack("{s:s, s:s, s:s, s:s}", "id", "p.nep", "name", "Probation",
	                            "role", "probation", "establishment", "NEP")));
	json_decref(admin("onward.Staff.Add", json_pack("{s:s, s:s, s:s}", "id", "h.national",
	                                                "name", "Housing", "role", "housing")));
	expect_staff("o.bxi", "onward.Person.Show", json_pack("{s:s}", "prison_number", "A1111AA"),
	             true);
	expect_staff("o.bxi", "onward.Person.Show", json_pack("{s:s}", "prison_number", "A4444AA"),
	             false);
	expect_staff("o.bxi", "onward.Person.Set",
	             json_pack("{s:s, s:s}", "prison_number", "A1111AA", "incentive", "standard"),
	             true);
	expect_staff("o.bxi", "onward.Contact.Add",
	             json_pack("{s:s, s:s, s:s}", "prison_number", "A1111AA", "name", "X",
	                       "relation", "friend"),
	             false);
	expect_staff("k.bxi", "onward.Contact.Add",
	             json_pack("{s:s, s:s, s:s}", "prison_number", "A1111AA", "name", "X",
	                       "relation", "friend"),
	             true);
	expect_staff("o.bxi", "onward.Staff.Add",
	             json_pack("{s:s, s:s, s:s}", "id", "x.y", "name", "X", "role", "officer"),
	             false);
	expect_staff("o.bxi", "onward.Person.Add",
	             json_pack("{s:s, s:s, s:s, s:s}", "prison_number", "B5555BB", "given_name",
	                       "X", "family_name", "Y", "establishment", "MDI"),
	             false);
	expect_staff("o.bxi", "onward.Person.Add",
	             json_pack("{s:s, s:s, s:s, s:s}", "prison_number", "B5555BB", "given_name",
	                       "X", "family_name", "Y", "establishment", "BXI"),
	             true);
	expect_staff("o.bxi", "onward.Audit.Show", json_object(), true);
	expect_staff("o.bxi", "onward.Audit.Verify", json_object(), false);
	expect_staff("e.bxi", "onward.Person.Show", json_pack("{s:s}", "prison_number", "A1111AA"),
	             true);
	expect_staff("e.bxi", "onward.Person.Set",
	             json_pack("{s:s, s:s}", "prison_number", "A1111AA", "incentive", "basic"),
	             false);
	expect_staff("p.nep", "onward.Person.Set",
	             json_pack("{s:s, s:s}", "prison_number", "A4444AA", "incentive", "enhanced"),
	             true);
	expect_staff("p.nep", "onward.Person.Show", json_pack("{s:s}", "prison_number", "A1111AA"),
	             false);
	expect_staff("h.national", "onward.Person.Show",
	             json_pack("{s:s}", "prison_number", "A1111AA"), false);
	{
		/* An officer's unfiltered list is narrowed to their own establishment. */
		struct client_reply r;

		call_as("o.bxi", "onward.Person.List", json_object(), &r);
		CHECK(r.error == NULL);
		CHECK_INT(json_array_size(json_object_get(r.parameters, "people")), 4);
		client_reply_release(&r);
	}

	daemon_remove(&d);
	printf("test-policy-rules: OK\n");
	return 0;
}
