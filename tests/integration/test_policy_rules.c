/*
 * The shipped policies, rule by rule, through the real daemon: people, contacts, apps and
 * grants are made with admin calls, then onward.Policy.Explain gives the decision and the
 * plain-words reason a person would see, checked against a table. Staff roles are checked
 * by making calls as each kind of staff member. The establishment used (BXI) has no file of
 * its own and its regime is mostly set by hand; then, on the regime "auto", night by the
 * daemon's clock (national.cedar's hours, London time), a grant's end date, and on a daemon
 * of Moorland's, its own file's hours and days: the roll check and games at weekends.
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

/* One row of the table on daemon dd: what the person may do, and the reason shown. */
static void
expect_on(struct test_daemon *dd, const char *number, const char *action, const char *resource,
          bool allowed, const char *reason_part)
{
	json_t *r = daemon_admin_ok(dd, "onward.Policy.Explain",
	                            json_pack("{s:s, s:s, s:s}", "prison_number", number, "action",
	                                      action, "resource", resource));
	const char *decision = json_string_value(json_object_get(r, "decision"));
	const char *reason = json_string_value(json_object_get(r, "reason"));

	if (strcmp(decision, allowed ? "allow" : "deny") != 0 || !strstr(reason, reason_part))
		check_failed(__FILE__, __LINE__, "%s %s %s: %s \"%s\", expected %s \"%s\"", number,
		             action, resource, decision, reason, allowed ? "allow" : "deny",
		             reason_part);
	json_decref(r);
}

static void
expect(const char *number, const char *action, const char *resource, bool allowed,
       const char *reason_part)
{
	expect_on(&d, number, action, resource, allowed, reason_part);
}

static void
set_regime(const char *regime)
{
	json_decref(admin("onward.Establishment.Regime",
	                  json_pack("{s:s, s:s}", "code", "BXI", "regime", regime)));
}

#define NIGHT "Messages to family and friends are closed at night, 21:00 to 07:00."
#define ROLL_CHECK "At Moorland, messages to family and friends pause for the roll check"

/* One moment, by the daemon's clock, and whether family messages are open then. */
struct moment {
	const char *at; /* UTC */
	bool open;
};

/*
 * With the regime on "auto", family messages close at night: 21:00 to 07:00 in London, by
 * the daemon's clock, whatever the machine's says. Each moment is set with the test hook
 * and decided at once (the clock runs on, so a boundary is approached by 30 seconds).
 */
static void
night_by_the_clock(const char *contact)
{
	static const struct moment moments[] = {
	        {"2026-12-09T10:00:00Z", true}, /* Wednesday morning */
	        {"2026-12-09T20:59:30Z", true},  {"2026-12-09T21:00:00Z", false},
	        {"2026-12-09T22:00:00Z", false}, {"2026-12-09T23:59:30Z", false},
	        {"2026-12-10T00:00:00Z", false}, {"2026-12-10T06:59:30Z", false},
	        {"2026-12-10T07:00:00Z", true},  {"2026-12-10T08:00:00Z", true},
	        {"2026-12-12T22:00:00Z", false}, /* Saturday */
	        {"2027-07-01T19:59:30Z", true}, /* 20:59:30 in London: summer time */
	        {"2027-07-01T20:00:00Z", false}, /* 21:00 in London */
	        {"2027-07-02T05:59:30Z", false}, /* 06:59:30 in London */
	        {"2027-07-02T06:00:00Z", true}, /* 07:00 in London */
	};

	set_regime("auto");
	for (size_t i = 0; i < sizeof(moments) / sizeof(moments[0]); i++) {
		daemon_clock_set(&d, moments[i].at);
		if (moments[i].open)
			expect("A3333AA", "message.send", contact, true,
			       "You can message your approved contacts.");
		else
			expect("A3333AA", "message.send", contact, false, NIGHT);
		/* The worker's thread and reading are never closed at night. */
		expect("A3333AA", "message.read", contact, true,
		       "You can message your approved contacts.");
	}
	/* What staff set by hand wins over the hours, either way. */
	daemon_clock_set(&d, "2026-12-09T22:00:00Z");
	set_regime("unlock");
	expect("A3333AA", "message.send", contact, true, "You can message your approved contacts.");
	daemon_clock_set(&d, "2026-12-09T10:00:00Z");
	set_regime("night");
	expect("A3333AA", "message.send", contact, false, NIGHT);
	set_regime("unlock");
}

/*
 * A grant "until" a date ends with that day in London, by the daemon's clock: moving the
 * clock past it removes the grant at once (as the minute timer would), no reload needed.
 */
static void
grant_ends_at(const char *now, const char *until, const char *last_minute, const char *after)
{
	daemon_clock_set(&d, now);
	json_decref(admin("onward.Grant.Add",
	                  json_pack("{s:s, s:s, s:s, s:s}", "prison_number", "A2222AA", "resource",
	                            "app:games", "reason", "A week of good work", "until", until)));
	expect("A2222AA", "app.open", "app:games", true, "Staff have opened this app for you.");
	/* It still holds in the last minute of its last day... */
	daemon_clock_set(&d, last_minute);
	expect("A2222AA", "app.open", "app:games", true, "Staff have opened this app for you.");
	/* ... and not after it. */
	daemon_clock_set(&d, after);
	expect("A2222AA", "app.open", "app:games", false, "Games open at the enhanced level.");
}

static void
grant_ends(void)
{
	/* In winter London is on UTC; in summer its day ends an hour before UTC's. */
	grant_ends_at("2026-12-09T10:00:00Z", "2026-12-10", "2026-12-10T23:59:00Z",
	              "2026-12-11T00:00:00Z");
	grant_ends_at("2027-06-30T10:00:00Z", "2027-07-01", "2027-07-01T22:59:00Z",
	              "2027-07-01T23:00:00Z");
	daemon_clock_set(&d, "2026-12-09T10:00:00Z");
}

/*
 * Moorland's own file (policy/establishments/MDI.cedar), on a daemon of Moorland's: family
 * messages pause for the roll check, 12:00 to 13:00 every day, and games open at the
 * standard level at weekends (Saturday 00:00 to Sunday 23:59, London time).
 */
static void
moorland_by_the_clock(void)
{
	static const struct moment roll_check[] = {
	        {"2026-12-09T11:59:30Z", true},  {"2026-12-09T12:00:00Z", false},
	        {"2026-12-09T12:30:00Z", false}, {"2026-12-09T12:59:30Z", false},
	        {"2026-12-09T13:00:00Z", true},  {"2026-12-12T12:30:00Z", false}, /* Saturday */
	        {"2027-07-01T11:30:00Z", false}, /* 12:30 in London: summer time */
	        {"2027-07-01T12:00:00Z", true}, /* 13:00 in London */
	};
	static const struct moment weekend[] = {
	        {"2026-12-09T10:00:00Z", false}, /* Wednesday */
	        {"2026-12-11T23:59:30Z", false}, /* Friday night */
	        {"2026-12-12T00:00:00Z", true}, /* Saturday */
	        {"2026-12-12T14:00:00Z", true},  {"2026-12-13T23:59:30Z", true}, /* Sunday */
	        {"2026-12-14T00:00:00Z", false}, /* Monday */
	        {"2027-07-02T23:30:00Z", true}, /* Saturday 00:30 in London, Friday in UTC */
	        {"2027-07-04T23:30:00Z", false}, /* Monday 00:30 in London, Sunday in UTC */
	};
	struct test_daemon m;
	char contact[32];
	json_int_t id;
	json_t *r;

	daemon_make(&m, "{\"establishment\": \"MDI\", \"scrypt_log_n\": 10}");
	daemon_start(&m);
	daemon_seed(&m);
	json_decref(daemon_admin_ok(&m, "onward.Person.Add",
	                            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "prison_number",
	                                      "A5555AA", "given_name", "Test", "family_name",
	                                      "A5555AA", "establishment", "MDI", "status",
	                                      "sentenced", "incentive", "standard")));
	r = daemon_admin_ok(&m, "onward.Contact.Add",
	                    json_pack("{s:s, s:s, s:s}", "prison_number", "A5555AA", "name",
	                              "Adult Friend", "relation", "friend"));
	id = json_integer_value(json_object_get(json_object_get(r, "contact"), "id"));
	json_decref(r);
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)id);
	json_decref(daemon_admin_ok(&m, "onward.Contact.Approve", json_pack("{s:I}", "id", id)));
	for (size_t i = 0; i < sizeof(roll_check) / sizeof(roll_check[0]); i++) {
		daemon_clock_set(&m, roll_check[i].at);
		expect_on(&m, "A5555AA", "message.send", contact, roll_check[i].open,
		          roll_check[i].open ? "You can message your approved contacts."
		                             : ROLL_CHECK);
	}
	for (size_t i = 0; i < sizeof(weekend) / sizeof(weekend[0]); i++) {
		daemon_clock_set(&m, weekend[i].at);
		expect_on(&m, "A5555AA", "app.open", "app:games", weekend[i].open,
		          weekend[i].open ? "At Moorland, games are open at the standard level at "
		                            "weekends."
		                          : "Games open at the enhanced level.");
	}
	daemon_remove(&m);
}

/* A staff call's outcome: 0 allowed, or the refusal must name the role rule. */
static void
expect_staff(const char *as, const char *method, json_t *params, bool allowed)
{
	struct client_reply r;

	daemon_call_as(&d, as, method, params, &r);
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
	struct tm tm;

	daemon_make(&d, NULL);
	daemon_london(&d, 60 * 86400, &tm); /* in 60 days, by the daemon's clock */
	strftime(soon, sizeof(soon), "%Y-%m-%d", &tm);
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
	expect("A3333AA", "message.send", contact, false, NIGHT);
	expect("A3333AA", "message.read", contact, true, "You can message your approved contacts.");
	/* A contact nothing would permit hears the lasting reason, not the night's (which
	 * would send them back in the morning to be refused again); a lasting forbid keeps
	 * its own words. */
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)pending);
	expect("A3333AA", "message.send", contact, false, "people staff have approved");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)victim);
	expect("A3333AA", "message.send", contact, false, "protected as a victim");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)adult);
	set_regime("lockdown");
	expect("A3333AA", "message.send", contact, false, "paused during a lockdown");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)pending);
	expect("A3333AA", "message.send", contact, false, "people staff have approved");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)adult);
	expect("A3333AA", "app.open", "app:learning", true, "This app is open to you.");
	set_regime("unlock");
	{
		struct client_reply r;

		daemon_call_as(&d, "admin", "onward.Policy.Explain",
		               json_pack("{s:s, s:s, s:s}", "prison_number", "A1111AA", "action",
		                         "message.send", "resource", contact),
		               &r);
		CHECK_STR(r.error, "onward.InvalidParameter");
		CHECK_CONTAINS(client_reply_message(&r), "no contact with that number");
		client_reply_release(&r);
	}

	test_step("regime auto: night is 21:00 to 07:00 in London, by the daemon's clock");
	night_by_the_clock(contact);

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

		daemon_call_as(&d, "admin", "onward.Grant.Revoke",
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

	test_step("a grant until a date ends with that day, by the daemon's clock");
	grant_ends();

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

		daemon_call_as(&d, "o.bxi", "onward.Person.List", json_object(), &r);
		CHECK(r.error == NULL);
		CHECK_INT(json_array_size(json_object_get(r.parameters, "people")), 4);
		client_reply_release(&r);
	}

	daemon_remove(&d);

	test_step("Moorland's file by the clock: the roll check 12:00-13:00, games at weekends");
	moorland_by_the_clock();
	printf("test-policy-rules: OK\n");
	return 0;
}
