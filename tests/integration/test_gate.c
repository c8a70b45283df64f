/*
 * Through the gate with two daemons on two state directories — prison A (MDI) and
 * probation region B (NEP) — exchanging person bundles: release on licence at A, export,
 * import at B, log in at B with the same PIN, the named contact refused with the licence's
 * reason; recall back to A the same way; end of licence at B. And every refusal with
 * nothing changed: a bundle for another recipient, from an untrusted sender, altered in a
 * byte, cut short, imported twice, or for a person whose record is active there.
 */
#include "check.h"
#include "daemon.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct test_daemon a, b, c3;
static char the_pin[16];

static json_t *
as_admin(struct test_daemon *d, const char *method, json_t *params)
{
	return daemon_admin_ok(d, method, params);
}

/*
 * Every kind of write to a record that has moved away is refused with the same reason,
 * whoever's method it is (one check in the daemon's core, authz.c): appointments, the
 * named worker's messages and a family message arriving among them.
 */
static void
moved_out_writes_refused(struct test_daemon *d, long long contact)
{
	static const char moved[] =
	        "This record has moved to NEP and can no longer be changed here.";
	struct client *admin = daemon_connect_admin(d);
	json_t *calls[] = {
	        json_pack("{s:s, s:s, s:s, s:s, s:s}", "as", "admin", "prison_number", "A1234BC",
	                  "kind", "probation", "at", "2030-01-07 10:30", "where", "Sheffield"),
	        json_pack("{s:s, s:s, s:s}", "as", "admin", "prison_number", "A1234BC", "text",
	                  "See you on Tuesday."),
	        json_pack("{s:s, s:s, s:I, s:s}", "as", "admin", "prison_number", "A1234BC", "from",
	                  (json_int_t)contact, "text", "Are you there?"),
	};
	static const char *const methods[] = {"onward.Appointment.Add", "onward.Message.WorkerSend",
	                                      "onward.Message.DeliverInbound"};

	for (size_t i = 0; i < 3; i++) {
		struct client_reply r;

		CHECK(calls[i] != NULL);
		daemon_call(admin, methods[i], calls[i], &r);
		CHECK(r.error != NULL);
		CHECK_STR(r.error, "onward.Conflict");
		CHECK_STR(client_reply_message(&r), moved);
		client_reply_release(&r);
	}
	client_free(admin);
}

static void
ctl(struct test_daemon *d, int want, struct run_result *r, const char *a1, const char *a2,
    const char *a3, const char *a4, const char *a5, const char *a6, const char *a7)
{
	daemon_onwardctl(d, r, "--as", "admin", a1, a2, a3, a4, a5, a6, a7, NULL);
	if (r->status != want)
		check_failed(__FILE__, __LINE__, "onwardctl %s %s %s exited %d, expected %d\n%s%s",
		             a1, a2, a3 ? a3 : "", r->status, want, r->out, r->err);
}

/*
 * A daemon for establishment `code`. Its policies are the national ones only, so the
 * answers do not depend on the clock (Moorland's own file pauses messages at noon).
 */
static void
setup(struct test_daemon *d, const char *code)
{
	char config[600], path[300], cmd[900];
	FILE *f;

	daemon_make(d, NULL);
	snprintf(path, sizeof(path), "%s.policy", d->dir);
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p '%s' && cp '%s/policy/national.cedar' "
	         "'%s/policy/national.reasons.cedar' '%s'",
	         path, ONWARD_SOURCE_DIR, ONWARD_SOURCE_DIR, path);
	CHECK(system(cmd) == 0);
	snprintf(config, sizeof(config),
	         "{\"scrypt_log_n\": 10, \"establishment\": \"%s\", \"policy_dir\": \"%s\"}", code,
	         path);
	snprintf(path, sizeof(path), "%s/policyd.json", d->dir);
	f = fopen(path, "w");
	fputs(config, f);
	fclose(f);
	daemon_start(d);
	daemon_seed(d); /* admin, and MDI */
	json_decref(as_admin(d, "onward.Establishment.Add",
	                     json_pack("{s:s, s:s, s:s}", "code", "NEP", "name", "North East",
	                               "kind", "probation")));
	json_decref(as_admin(d, "onward.Establishment.Add",
	                     json_pack("{s:s, s:s}", "code", "BXI", "name", "HMP Brixton")));
	json_decref(as_admin(d, "onward.Establishment.Regime",
	                     json_pack("{s:s, s:s}", "code", "NEP", "regime", "unlock")));
	json_decref(as_admin(d, "onward.Establishment.Regime",
	                     json_pack("{s:s, s:s}", "code", "MDI", "regime", "unlock")));
	json_decref(
	        as_admin(d, "onward.Staff.Add",
	                 json_pack("{s:s, s:s, s:s, s:s}", "id", "m.brown", "name", "Morgan Brown",
	                           "role", "probation", "establishment", "NEP")));
}

/* Writes d's certificate to a file and returns its path (static buffer per daemon). */
static const char *
cert_file(struct test_daemon *d, char *path, size_t size)
{
	struct run_result r;
	FILE *f;

	snprintf(path, size, "%s.cert.json", d->dir);
	ctl(d, 0, &r, "identity", "cert", NULL, NULL, NULL, NULL, NULL);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fputs(r.out, f);
	fclose(f);
	run_result_release(&r);
	return path;
}

static void
trust(struct test_daemon *d, const char *cert)
{
	struct run_result r;

	ctl(d, 0, &r, "trust", "add", cert, NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.out, "now trusted:");
	run_result_release(&r);
}

static void
expect_at(struct test_daemon *d, const char *action, const char *resource, bool allowed,
          const char *reason_part)
{
	json_t *r = as_admin(d, "onward.Policy.Explain",
	                     json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC", "action",
	                               action, "resource", resource));
	const char *decision = json_string_value(json_object_get(r, "decision"));
	const char *reason = json_string_value(json_object_get(r, "reason"));

	if (strcmp(decision, allowed ? "allow" : "deny") != 0 || !strstr(reason, reason_part))
		check_failed(__FILE__, __LINE__, "%s %s: %s \"%s\", expected %s \"%s\"", action,
		             resource, decision, reason, allowed ? "allow" : "deny", reason_part);
	json_decref(r);
}

static json_int_t
contact_id(struct test_daemon *d, const char *name)
{
	json_t *list =
	        as_admin(d, "onward.Contact.List", json_pack("{s:s}", "prison_number", "A1234BC"));
	json_t *contact;
	size_t i;
	json_int_t id = 0;

	json_array_foreach(
	        json_object_get(list, "contacts"), i,
	        contact) if (strcmp(json_string_value(json_object_get(contact, "name")), name) == 0)
	        id = json_integer_value(json_object_get(contact, "id"));
	json_decref(list);
	CHECK(id > 0);
	return id;
}

static void
login(struct test_daemon *d, const char *pin, const char *want_error, const char *message)
{
	struct client *cl = daemon_connect_control(d);
	struct client_reply r;

	daemon_call(cl, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", pin), &r);
	if (want_error) {
		CHECK_STR(r.error, want_error);
		CHECK_CONTAINS(client_reply_message(&r), message);
	} else {
		CHECK(r.error == NULL);
	}
	client_reply_release(&r);
	client_free(cl);
}

static void
copy_with(const char *from, const char *to, long flip_at, long cut_to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	long n = 0;
	int ch;

	CHECK(in && out);
	while ((ch = fgetc(in)) != EOF && (cut_to < 0 || n < cut_to)) {
		fputc(n == flip_at ? ch ^ 0x01 : ch, out);
		n++;
	}
	fclose(in);
	fclose(out);
}

/*
 * At A: a housing enquiry started from the housing app's channel, and a probation
 * appointment booked for the first week out.
 */
static void
housing_draft_and_appointment(void)
{
	struct client *c, *channel;
	struct client_reply reply;
	struct run_result r;
	char soon[11], when[32];
	struct tm tm;

	daemon_london(&a, 30 * 86400, &tm); /* 30 days on, by A's clock */
	strftime(soon, sizeof(soon), "%Y-%m-%d", &tm);
	strftime(when, sizeof(when), "%Y-%m-%d 10:30", &tm);
	json_decref(as_admin(
	        &a, "onward.Person.Set",
	        json_pack("{s:s, s:s}", "prison_number", "A1234BC", "release_date", soon)));
	json_decref(as_admin(&a, "onward.App.Register",
	                     json_pack("{s:s, s:s}", "name", "housing", "path", "/bin/true")));
	c = daemon_connect_control(&a);
	daemon_call(c, "onward.Session.Login",
	            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", the_pin), &reply);
	CHECK(reply.error == NULL);
	client_reply_release(&reply);
	daemon_call(c, "onward.App.Open", json_pack("{s:s}", "app", "housing"), &reply);
	CHECK(reply.error == NULL && reply.fd >= 0);
	CHECK_INT(client_adopt(reply.fd, &channel), 0);
	reply.fd = -1;
	client_reply_release(&reply);
	daemon_call(channel, "onward.Housing.SaveDraft",
	            json_pack("{s:i, s:s}", "step", 3, "area", "Sheffield"), &reply);
	CHECK(reply.error == NULL);
	client_reply_release(&reply);
	client_free(channel);
	client_free(c);
	daemon_onwardctl(&a, &r, "--as", "admin", "appointment", "add", "A1234BC", "--kind",
	                 "probation", "--at", when, "--where", "Leeds probation office", "--with",
	                 "Morgan Brown", NULL);
	CHECK_INT(r.status, 0);
	run_result_release(&r);
}

int
main(void)
{
	char pin[16], cert_a[300], cert_b[300], cert_c[300], licence[300], bundle[300], other[300];
	struct run_result r;
	char contact[40];
	FILE *f;

	setup(&a, "MDI");
	setup(&b, "NEP");
	setup(&c3, "BXI");
	cert_file(&a, cert_a, sizeof(cert_a));
	cert_file(&b, cert_b, sizeof(cert_b));
	cert_file(&c3, cert_c, sizeof(cert_c));
	trust(&a, cert_b);
	trust(&b, cert_a);
	trust(&c3, cert_b); /* C trusts B, but B does not trust C */

	test_step("at A: a person with contacts, released on licence naming one of them");
	daemon_add_person(&a, "A1234BC", pin);
	memcpy(the_pin, pin, sizeof(the_pin));
	json_decref(as_admin(&a, "onward.Contact.Add",
	                     json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC", "name",
	                               "Alex Moore", "relation", "friend")));
	json_decref(as_admin(&a, "onward.Contact.Add",
	                     json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC", "name",
	                               "Maria Jones", "relation", "mother")));
	json_decref(as_admin(&a, "onward.Contact.Approve",
	                     json_pack("{s:I}", "id", contact_id(&a, "Alex Moore"))));
	json_decref(as_admin(&a, "onward.Contact.Approve",
	                     json_pack("{s:I}", "id", contact_id(&a, "Maria Jones"))));
	snprintf(licence, sizeof(licence), "%s.licence.json", a.dir);
	f = fopen(licence, "w");
	fputs("{\"region\": \"NEP\", \"probation_officer\": \"m.brown\", \"end\": \"2028-01-28\", "
	      "\"no_contact\": [\"Alex Moore\"]}",
	      f);
	fclose(f);
	{
		char from[24];

		snprintf(from, sizeof(from), "%lld", (long long)contact_id(&a, "Maria Jones"));
		ctl(&a, 0, &r, "message", "deliver-inbound", "A1234BC", "--from", from, "--text",
		    "See you soon, love Mum");
		run_result_release(&r);
	}
	housing_draft_and_appointment();
	ctl(&a, 0, &r, "person", "release", "A1234BC", "--licence", licence, NULL, NULL);
	run_result_release(&r);

	test_step("export refused to an establishment A does not trust");
	snprintf(bundle, sizeof(bundle), "%s.bundle", a.dir);
	ctl(&a, 1, &r, "person", "export", "A1234BC", "--to", bundle, "--recipient", cert_c);
	CHECK_CONTAINS(r.err, "BXI is not a trusted establishment here");
	run_result_release(&r);
	CHECK(access(bundle, F_OK) != 0);

	test_step("export to B; A's record becomes read-only");
	ctl(&a, 0, &r, "person", "export", "A1234BC", "--to", bundle, "--recipient", cert_b);
	CHECK_CONTAINS(r.out, "exported to NEP");
	run_result_release(&r);
	{
		struct stat st;

		CHECK(stat(bundle, &st) == 0);
		CHECK_INT(st.st_mode & 0777, 0600);
	}
	ctl(&a, 1, &r, "person", "set", "A1234BC", "--incentive", "enhanced", NULL, NULL);
	CHECK_CONTAINS(r.err, "This record has moved to NEP and can no longer be changed here.");
	run_result_release(&r);
	login(&a, pin, "onward.LoginFailed", "Your record has moved to NEP.");
	moved_out_writes_refused(&a, contact_id(&a, "Maria Jones"));

	test_step("refused at B, nothing changed: altered, cut short; refused at A: not for it");
	snprintf(other, sizeof(other), "%s.bad", b.dir);
	copy_with(bundle, other, 700, -1);
	ctl(&b, 1, &r, "person", "import", other, NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.err, "changed or damaged");
	run_result_release(&r);
	unlink(other);
	copy_with(bundle, other, -1, 500);
	ctl(&b, 1, &r, "person", "import", other, NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.err, "cut short");
	run_result_release(&r);
	unlink(other);
	ctl(&a, 1, &r, "person", "import", bundle, NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.err,
	               "This bundle is for NEP, not for this establishment (MDI). Send it to "
	               "NEP instead.");
	run_result_release(&r);
	ctl(&b, 1, &r, "person", "show", "A1234BC", NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.err, "No such person");
	run_result_release(&r);

	test_step("imported at B: same PIN, contacts, the licence's named person refused");
	ctl(&b, 0, &r, "person", "import", bundle, NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.out, "imported A1234BC Sam Jones from MDI");
	CHECK_CONTAINS(r.out, "licence at NEP");
	run_result_release(&r);
	login(&b, pin, NULL, NULL);
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)contact_id(&b, "Alex Moore"));
	expect_at(&b, "message.send", contact, false, "Your licence says you must not contact");
	snprintf(contact, sizeof(contact), "contact:%lld",
	         (long long)contact_id(&b, "Maria Jones"));
	expect_at(&b, "message.send", contact, true, "You can message your approved contacts.");
	expect_at(&b, "message.send", "staff:m.brown", true, "You can always message your worker.");
	expect_at(&b, "app.open", "app:games", false, "This app is for use in prison.");
	{
		char with[24];

		snprintf(with, sizeof(with), "%lld", (long long)contact_id(&b, "Maria Jones"));
		ctl(&b, 0, &r, "message", "thread", "A1234BC", with, NULL, NULL, NULL);
		CHECK_CONTAINS(r.out, "See you soon, love Mum");
		run_result_release(&r);
	}
	ctl(&b, 0, &r, "housing", "show", "A1234BC", NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.out, "Sheffield");
	run_result_release(&r);
	ctl(&b, 0, &r, "appointment", "list", "A1234BC", NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.out, "Leeds probation office");
	run_result_release(&r);

	test_step("the same bundle again is refused (replay)");
	ctl(&b, 1, &r, "person", "import", bundle, NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.err, "already been imported here");
	run_result_release(&r);

	test_step("a bundle from an untrusted sender is refused");
	{
		char pin2[16], from_c[300];

		daemon_add_person(&c3, "B2345CD", pin2);
		snprintf(from_c, sizeof(from_c), "%s.bundle", c3.dir);
		ctl(&c3, 0, &r, "person", "export", "B2345CD", "--to", from_c, "--recipient",
		    cert_b);
		run_result_release(&r);
		ctl(&b, 1, &r, "person", "import", from_c, NULL, NULL, NULL, NULL);
		CHECK_CONTAINS(r.err,
		               "This bundle claims to come from BXI, which is not trusted here");
		CHECK_CONTAINS(r.err, "Never trust a certificate because a bundle carries it");
		run_result_release(&r);
		unlink(from_c);
	}

	test_step("a bundle for a person whose record is active here is refused");
	{
		char pin3[16], older[300];

		daemon_add_person(&a, "C3456DE", pin3);
		snprintf(older, sizeof(older), "%s.older", a.dir);
		ctl(&a, 0, &r, "person", "export", "C3456DE", "--to", older, "--recipient", cert_b);
		run_result_release(&r);
		json_decref(as_admin(&b, "onward.Person.Add",
		                     json_pack("{s:s, s:s, s:s, s:s}", "prison_number", "C3456DE",
		                               "given_name", "Local", "family_name", "Record",
		                               "establishment", "MDI")));
		ctl(&b, 1, &r, "person", "import", older, NULL, NULL, NULL, NULL);
		CHECK_CONTAINS(r.err,
		               "C3456DE's record is here and has not moved away, so a bundle "
		               "from MDI cannot replace it");
		run_result_release(&r);
		unlink(older);
	}

	test_step("recall: B sends the person back to A the same way");
	ctl(&b, 0, &r, "person", "recall", "A1234BC", "--to", "MDI", NULL, NULL);
	run_result_release(&r);
	unlink(bundle);
	ctl(&b, 0, &r, "person", "export", "A1234BC", "--to", bundle, "--recipient", cert_a);
	run_result_release(&r);
	ctl(&a, 0, &r, "person", "import", bundle, NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.out, "sentenced at MDI");
	run_result_release(&r);
	login(&a, pin, NULL, NULL);
	login(&b, pin, "onward.LoginFailed", "Your record has moved to MDI.");
	snprintf(contact, sizeof(contact), "contact:%lld", (long long)contact_id(&a, "Alex Moore"));
	expect_at(&a, "message.send", contact, true, "You can message your approved contacts.");
	ctl(&a, 0, &r, "person", "moves", "A1234BC", NULL, NULL, NULL, NULL);
	CHECK_CONTAINS(r.out, "release");
	CHECK_CONTAINS(r.out, "export");
	CHECK_CONTAINS(r.out, "import");
	CHECK_CONTAINS(r.out, "recall");
	run_result_release(&r);

	test_step("released again to B; end of licence at B closes probation's access");
	ctl(&a, 0, &r, "person", "release", "A1234BC", "--licence", licence, NULL, NULL);
	run_result_release(&r);
	unlink(bundle);
	ctl(&a, 0, &r, "person", "export", "A1234BC", "--to", bundle, "--recipient", cert_b);
	run_result_release(&r);
	ctl(&b, 0, &r, "person", "import", bundle, NULL, NULL, NULL, NULL);
	run_result_release(&r);
	daemon_onwardctl(&b, &r, "--as", "m.brown", "person", "end-licence", "A1234BC", NULL);
	CHECK_INT(r.status, 0);
	run_result_release(&r);
	daemon_onwardctl(&b, &r, "--as", "m.brown", "person", "show", "A1234BC", NULL);
	CHECK_INT(r.status, 1);
	CHECK_CONTAINS(r.err, "licence has ended");
	run_result_release(&r);
	login(&b, pin, NULL, NULL);
	json_decref(as_admin(&b, "onward.Audit.Verify", NULL));

	unlink(bundle);
	unlink(licence);
	unlink(cert_a);
	unlink(cert_b);
	unlink(cert_c);
	{
		struct test_daemon *all[] = {&a, &b, &c3};

		for (int i = 0; i < 3; i++) {
			char cmd[400];

			snprintf(cmd, sizeof(cmd), "rm -rf '%s.policy'", all[i]->dir);
			CHECK(system(cmd) == 0);
			daemon_remove(all[i]);
		}
	}
	printf("test-gate: OK\n");
	return 0;
}
