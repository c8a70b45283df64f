/*
 * Upgrading the store from every earlier schema version. For each version v, a database is
 * built at v (with the migrations up to v), filled with the rows a v-era daemon would have
 * written (each fixture names its columns, so it also fits later schemas), and opened by
 * this build: it must come up at the latest version with every row
 * intact, the audit chain verifying, and the newer tables usable.
 */
#include "appointments.h"
#include "check.h"
#include "courses.h"
#include "devices.h"
#include "housing.h"
#include "messages.h"
#include "moves.h"
#include "staff_auth.h"
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a daemon at each version wrote, as SQL (index = version). */
static const char *const fixtures[] = {
        /* 0: an empty file */
        "",
        /* 1 */
        "INSERT INTO establishments (code, name, kind) VALUES ('MDI', 'HMP Moorland', 'prison');"
        "INSERT INTO staff (id, name, role, establishment, active, created_at)"
        "  VALUES ('admin', 'Ada Admin', 'administrator', '', 1, 1700000000);"
        "INSERT INTO people (prison_number, given_name, family_name, status, incentive,"
        "  establishment, flags, pin_hash, created_at, updated_at) VALUES"
        "  ('A1234BC', 'Sam', 'Jones', 'sentenced', 'standard', 'MDI', 'public_protection',"
        "   'scrypt$10$8$1$00$00', 1700000000, 1700000000);",
        /* 2 */
        "INSERT INTO contacts (person_id, name, relation, minor, status, decided_by, decided_at,"
        "  created_at) VALUES (1, 'Jo Jones', 'mother', 0, 'approved', 'admin', 1700000100,"
        "  1700000050);"
        "INSERT INTO apps (name, title, path, sha256, registered_by, registered_at)"
        "  VALUES ('learning', 'Learning', '/usr/bin/true', 'abc', 'admin',"
        "  1700000200);",
        /* 3 */
        "UPDATE people SET crn = 'X123456', release_date = '2027-01-29' WHERE id = 1;"
        "INSERT INTO sessions (id, person_id, started_at, ended_at, end_reason)"
        "  VALUES ('ffffffffffffffffffffffffffffffff', 1, 1700000300,"
        "  1700000400, 'logged out');",
        /* 4 */
        "INSERT INTO grants (id, template, person_id, resource_type, resource_id, expires_at,"
        "  reason, created_by, created_at) VALUES ('grant-1', 'grant-app', 1, 'App', 'games', 0,"
        "  '', 'admin',"
        "  1700000500);"
        "UPDATE establishments SET regime = 'lockdown';",
        /* 5 */
        "UPDATE people SET worker = 'admin', licence = '{\"curfew_start\":19}' WHERE id = 1;",
        /* 6 to 9: each area adds the rows its slot's schema holds */
        /* 6: learning (store/courses.c) */
        "INSERT INTO courses (id, version, title, level, provider_id, provider_name, language,"
        "  minutes, file, sha256, size, root_key, manifest, installed_by, installed_at) VALUES"
        "  ('uk.onward.managing-money', '1.0.0', 'Managing money', 'entry1', 'example-college',"
        "   'Example College', 'en-GB', 35, 'uk.onward.managing-money-1.0.0.pack', 'ab', 4956,"
        "   'cd', '{}', 'admin', 1700000600);"
        "INSERT INTO course_progress (person_id, course_id, module, page, module_index,"
        "  page_index, started_at, updated_at) VALUES (1, 'uk.onward.managing-money',"
        "  'a-simple-budget', 'pages/04-keep-track.md', 1, 1, 1700000700, 1700000800);"
        "INSERT INTO course_pages_read (person_id, course_id, page, read_at)"
        "  VALUES (1, 'uk.onward.managing-money', 'pages/04-keep-track.md', 1700000800);"
        "INSERT INTO course_attempts (person_id, course_id, course_version, module, quiz,"
        "  correct, total, percent, passed, answers, at) VALUES (1, 'uk.onward.managing-money',"
        "  '1.0.0', 'a-simple-budget', 'quizzes/a-simple-budget.json', 2, 2, 100, 1, '{}',"
        "  1700000900);"
        "INSERT INTO certificates (id, person_id, course_id, course_version, title, score,"
        "  issued_at, key_id, document) VALUES ('c-0123456789abcdef01234567', 1,"
        "  'uk.onward.managing-money', '1.0.0', 'Managing money', 100, 1700001000,"
        "  '0123456789abcdef', '{\"format\": \"onward-certificate-1\"}');",
        /* 7: messages (store/messages.c) */
        "INSERT INTO messages (person_id, contact_id, kind, direction, text, status, reason,"
        "  policies, matched, created_at) VALUES (1, 1, 'message', 'out', 'See you soon',"
        "  'held', 'Staff will check this message before it goes.', 'policy9', 'soon',"
        "  1700001100);"
        "INSERT INTO message_refusals (person_id, contact_id, text, reason, created_at)"
        "  VALUES (1, 1, 'Good night', 'Closed at night.', 1700001200);"
        "INSERT INTO message_staff_reads (person_id, contact_id, staff_id, role, via, messages,"
        "  at) VALUES (1, 1, 'admin', 'administrator', 'message.queue', 1, 1700001300);"
        "INSERT INTO message_words (word, added_by, added_at) VALUES ('soon', 'admin',"
        "  1700001000);"
        "INSERT INTO message_settings (key, value, set_by, set_at)"
        "  VALUES ('retention_days:MDI', 30, 'admin', 1700001000);",
        /* 8: housing (store/housing.c): a sent enquiry with its thread */
        "INSERT INTO housing_cases (person_id, status, step, release_date, area, last_address,"
        "  needs, needs_detail, consent, contact_route, contact_detail, created_at, updated_at,"
        "  submitted_at, status_at, status_by) VALUES (1, 'acknowledged', 7, '2027-01-29',"
        "  'Sheffield', '14 Forge Lane', 'children,health', 'My son lives with me.', 1, 'phone',"
        "  '07700 900123', 1700001400, 1700001600, 1700001500, 1700001600, 'admin');"
        "INSERT INTO housing_messages (case_id, author, staff_id, status, body, created_at)"
        "  VALUES (1, 'person', '', 'submitted', '', 1700001500),"
        "  (1, 'staff', 'admin', 'acknowledged', 'We have your referral.', 1700001600);",
        /* 9: appointments (store/appointments.c): one booked with its reminders, a request */
        "INSERT INTO appointments (person_id, kind, starts_at, minutes, place, with_whom,"
        "  status, confirmed_at, created_by, created_at, updated_at) VALUES (1, 'probation',"
        "  1800000000, 60, 'Doncaster Probation Office', 'Morgan Brown', 'booked', 1700001800,"
        "  'admin', 1700001700, 1700001700);"
        "INSERT INTO reminders (appointment_id, person_id, kind, lead, due_at, expires_at,"
        "  state, shown_at, created_at) VALUES (1, 1, 'before', '1d', 1799913600, 1800003600,"
        "  'shown', 1799913700, 1700001700), (1, 1, 'before', '2h', 1799992800, 1800003600,"
        "  'pending', 0, 1700001700);"
        "INSERT INTO appointment_requests (appointment_id, reason, created_at)"
        "  VALUES (1, 'I have a visit then.', 1700001900);"
        "UPDATE reminder_leads SET leads = '2h', updated_by = 'admin' WHERE kind = 'health';",
        /* 10: moves (store/moves.c): the record sent to NEP, its history, NEP trusted, and
         * a bundle imported for someone else */
        "UPDATE people SET moved_out = 'NEP' WHERE id = 1;"
        "INSERT INTO person_moves (person_id, kind, from_establishment, to_establishment,"
        "  from_status, to_status, staff_id, at, detail) VALUES (1, 'export', 'MDI', 'NEP',"
        "  'licence', 'licence', 'admin', 1700002000, '{\"bundle\":\"00ff\"}');"
        "INSERT INTO trusted_senders (fingerprint, code, name, kind, certificate, added_by,"
        "  added_at) VALUES ('ab', 'NEP', 'North East', 'probation', '{}', 'admin',"
        "  1700001950);"
        "INSERT INTO bundles_imported (id, sender, prison_number, imported_at) VALUES"
        "  ('00112233445566778899aabbccddeeff', 'NEP', 'B2345CD', 1700002100);",
        /* 11: hand-overs counted (moves/person_bundle.c): the record was handed on twice */
        "UPDATE people SET move_seq = 2 WHERE id = 1;",
        /* 12: a refused login counted, not yet written to the chain (session/refusals.c) */
        "INSERT INTO refusals_pending (subject, action, error, outcome, actor, message, count,"
        "  first_at, last_at) VALUES ('person:A1234BC', 'session.login',"
        "  'onward.LoginFailed', 'refused', 'device:pid1', 'wrong', 2, 1700002200,"
        "  1700002210);",
        /* 13: staff sign-in: the administrator's session */
        "INSERT INTO staff_sessions (token_hash, staff_id, created_at, used_at, ends_at,"
        "  address) VALUES ('ab', 'admin', 1700004000, 1700004000, 1700047200, 'local');",
};

static int
count_move(const struct store_move *m, void *userdata)
{
	CHECK_STR(m->kind, "export");
	CHECK_STR(m->to_establishment, "NEP");
	(*(int *)userdata)++;
	return 0;
}

static int
count_contact(const struct store_contact *c, void *userdata)
{
	CHECK_STR(c->name, "Jo Jones");
	CHECK_STR(c->status, "approved");
	(*(int *)userdata)++;
	return 0;
}

int
main(void)
{
	uint8_t key[STORE_KEY_LEN];
	int latest = store_schema_latest();

	memset(key, 3, sizeof(key));
	CHECK_INT((int)(sizeof(fixtures) / sizeof(fixtures[0])), latest);
	for (int v = 0; v < latest; v++) {
		char dir[] = "/tmp/onward-migrate-XXXXXX", path[128], cmd[200];
		struct store *s;
		struct store_person p;
		struct store_audit_report report;
		int64_t audited = 0;

		test_step("from schema %d to %d", v, latest);
		CHECK(mkdtemp(dir) != NULL);
		snprintf(path, sizeof(path), "%s/store.db", dir);
		CHECK_INT(store_open_at_version(path, key, v, &s), 0);
		CHECK_INT(store_schema_version(s), v);
		for (int k = 1; k <= v; k++)
			CHECK_INT(store_exec(s, fixtures[k]), 0);
		if (v >= 1)
			CHECK_INT(store_audit_append(s, 1700000000, "staff:admin", "person:A1234BC",
			                             "person.add", "ok", NULL, &audited),
			          0);
		store_free(s);

		CHECK_INT(store_open(path, key, &s), 0);
		CHECK_INT(store_schema_version(s), latest);
		if (v >= 1) {
			CHECK_INT(store_person_find(s, "A1234BC", &p), 0);
			CHECK_STR(p.family_name, "Jones");
			CHECK_STR(p.flags, "public_protection");
			if (v < 3) {
				CHECK_STR(p.crn, "");
				CHECK_STR(p.release_date, "");
			}
			CHECK_INT(p.failed_logins, 0);
			/* Staff from before sign-in (13) cannot sign in until an administrator
			 * gives them a setup code (break-glass, when they are the only one). */
			{
				struct store_staff_auth auth;

				CHECK_INT(store_staff_auth_get(s, "admin", &auth), 0);
				CHECK_STR(auth.sign_in, "setup");
				CHECK_STR(auth.setup_hash, "");
				CHECK_STR(auth.password_hash, "");
			}
			CHECK_INT(store_audit_verify(s, &report), 0);
			CHECK_INT(report.problem, STORE_AUDIT_OK);
			CHECK_INT(report.rows, 1);
			/* Newer tables work on the upgraded file. */
			CHECK_INT(
			        store_session_start(s, "0123456789abcdef0123456789abcdef", p.id, 1),
			        0);
			/* Every PIN until version 12 was issued by staff: each person chooses
			 * their own at the next login (a fixture written at 12 or later made no
			 * PIN). Wrong PINs count, and decay. */
			CHECK(v >= 12 || p.pin_change);
			CHECK_INT(p.failed_at, 0);
			{
				int failures = 0;

				CHECK_INT(store_person_count_failure(s, p.id, 100, 900, &failures),
				          0);
				CHECK_INT(store_person_count_failure(s, p.id, 200, 900, &failures),
				          0);
				CHECK_INT(failures, 2);
				CHECK_INT(store_person_count_failure(s, p.id, 1200, 900, &failures),
				          0);
				CHECK_INT(failures, 1);
			}
			/* Refusals are counted on every upgraded file. */
			{
				struct store_refusal f = {.subject = "person:A1234BC",
				                          .action = "session.login",
				                          .error = "onward.LoginFailed",
				                          .outcome = "failed",
				                          .actor = "device:pid1",
				                          .message = "No."};
				int64_t rows = 0;

				CHECK_INT(store_refusal_count(s, &f, 1800000000, 1), 0);
				CHECK_INT(store_refusal_count(s, &f, 1800000001, 1), 0);
				strcpy(f.subject, "person:B2345CD");
				CHECK_INT(store_refusal_count(s, &f, 1800000002, 1), -ENOSPC);
				CHECK_INT(store_refusal_rows(s, &rows), 0);
				CHECK_INT(rows, 1);
			}
		}
		if (v >= 3) {
			CHECK_STR(p.crn, "X123456");
			CHECK_STR(p.release_date, "2027-01-29");
		}
		if (v >= 1) {
			struct store_establishment e;

			CHECK_INT(store_establishment_get(s, "MDI", &e), 0);
			CHECK_STR(e.regime, v >= 4 ? "lockdown" : "auto");
		}
		if (v >= 4) {
			struct store_grant g;

			CHECK_INT(store_grant_get(s, "grant-1", &g), 0);
			CHECK_STR(g.prison_number, "A1234BC");
		}
		if (v >= 5) {
			char licence[100];

			CHECK_STR(p.worker, "admin");
			CHECK_INT(store_person_get_licence(s, p.id, licence, sizeof(licence)), 0);
			CHECK_STR(licence, "{\"curfew_start\":19}");
		}
		if (v >= 6) {
			struct store_course course;
			struct store_course_progress progress;
			struct store_certificate cert;
			char *document = NULL;

			CHECK_INT(store_course_get(s, "uk.onward.managing-money", &course), 0);
			CHECK_STR(course.version, "1.0.0");
			CHECK_INT(course.installed_at, 1700000600);
			CHECK_INT(store_course_progress_get(s, p.id, "uk.onward.managing-money",
			                                    &progress),
			          0);
			CHECK_STR(progress.page, "pages/04-keep-track.md");
			CHECK_INT(
			        store_certificate_find(s, p.id, "uk.onward.managing-money", &cert),
			        0);
			CHECK_STR(cert.id, "c-0123456789abcdef01234567");
			CHECK_STR(cert.prison_number, "A1234BC");
			CHECK_INT(store_certificate_get_document(s, cert.id, &document), 0);
			CHECK_STR(document, "{\"format\": \"onward-certificate-1\"}");
			free(document);
			/* A person has one certificate per course. */
			strcpy(cert.id, "c-another");
			CHECK_INT(store_certificate_insert(s, &cert, "{}"), -EEXIST);
		}
		if (v >= 7) {
			struct store_message_refusal f;
			struct store_message m;
			int64_t n = 0;

			CHECK_INT(store_message_get(s, 1, &m), 0);
			CHECK_STR(m.text, "See you soon");
			CHECK_STR(m.status, "held");
			CHECK_STR(m.prison_number, "A1234BC");
			CHECK_INT(store_message_refusal_get(s, 1, &f), 0);
			CHECK_STR(f.reason, "Closed at night.");
			CHECK_INT(store_message_word_count(s, &n), 0);
			CHECK_INT(n, 1);
			CHECK_INT(store_message_setting_get(s, "retention_days:MDI", &n), 0);
			CHECK_INT(n, 30);
		}
		if (v >= 8) {
			struct store_housing_case hc;
			int64_t n = 0;

			CHECK_INT(store_housing_current(s, p.id, &hc), 0);
			CHECK_STR(hc.status, "acknowledged");
			CHECK_STR(hc.area, "Sheffield");
			CHECK_STR(hc.needs, "children,health");
			CHECK(hc.consent);
			CHECK_INT(hc.submitted_at, 1700001500);
			CHECK_INT(store_housing_message_count(s, hc.id, &n), 0);
			CHECK_INT(n, 2);
			/* Sent once: a second send is refused, and one open case per person. */
			CHECK_INT(store_housing_submit(s, hc.id, 1700002000), -EALREADY);
			CHECK_INT(store_housing_insert(s, &hc, &n), -EEXIST);
		}
		if (v >= 1) {
			/* Housing works on every upgraded file. */
			struct store_housing_case hc = {.person_id = p.id,
			                                .created_at = 1800000000};
			int64_t id = 0;

			if (v >= 8)
				CHECK_INT(store_housing_set_status(s, 1, "closed", "admin",
				                                   1800000000),
				          0);
			CHECK_INT(store_housing_insert(s, &hc, &id), 0);
			CHECK_INT(id, v >= 8 ? 2 : 1);
			CHECK_INT(store_housing_submit(s, id, 1800000001), 0);
		}
		if (v >= 9) {
			struct store_appointment a;
			struct store_appointment_request q;
			struct store_reminder m;
			char leads[64];

			CHECK_INT(store_appointment_get(s, 1, &a), 0);
			CHECK_STR(a.kind, "probation");
			CHECK_STR(a.with, "Morgan Brown");
			CHECK_STR(a.prison_number, "A1234BC");
			CHECK_INT(a.confirmed_at, 1700001800);
			CHECK_INT(a.open_request, 1);
			CHECK_INT(store_appointment_request_get(s, 1, &q), 0);
			CHECK_STR(q.reason, "I have a visit then.");
			CHECK_STR(q.status, "open");
			CHECK_INT(store_reminder_get(s, 1, &m), 0);
			CHECK_STR(m.state, "shown");
			CHECK_INT(m.shown_at, 1799913700);
			/* A reminder is made once per appointment and lead time. */
			CHECK_INT(store_reminder_insert(s, &m, NULL), -EEXIST);
			CHECK_INT(store_reminder_leads_get(s, "health", leads, sizeof(leads)), 0);
			CHECK_STR(leads, "2h");
		}
		if (v >= 1) {
			/* Appointments and their reminders work on every upgraded file. */
			struct store_appointment a = {.person_id = p.id,
			                              .starts_at = 1900000000,
			                              .minutes = 30,
			                              .created_at = 1800000000};
			struct store_reminder m = {.person_id = p.id,
			                           .due_at = 1899990000,
			                           .expires_at = 1900001800,
			                           .created_at = 1800000000};
			char leads[64];
			int64_t id = 0, due = 0;

			strcpy(a.kind, "health");
			strcpy(a.place, "Healthcare unit");
			strcpy(a.created_by, "admin");
			CHECK_INT(store_appointment_insert(s, &a, &id), 0);
			CHECK_INT(id, v >= 9 ? 2 : 1);
			m.appointment_id = id;
			strcpy(m.kind, "before");
			strcpy(m.lead, "1d");
			CHECK_INT(store_reminder_insert(s, &m, NULL), 0);
			CHECK_INT(store_reminder_count_due(s, p.id, 1899990000, &due), 0);
			CHECK_INT(due, 1);
			CHECK_INT(store_reminder_leads_get(s, "release", leads, sizeof(leads)), 0);
			CHECK_STR(leads, "7d,1d@18:00");
		}
		if (v >= 1) {
			/* The messaging tables work on every upgraded file; ids follow on. */
			struct store_message m = {.person_id = p.id, .created_at = 1800000000};
			int64_t id = 0;

			strcpy(m.kind, "message");
			strcpy(m.direction, "in");
			strcpy(m.status, "delivered");
			strcpy(m.text, "After the upgrade");
			CHECK_INT(store_message_insert(s, &m, &id), 0);
			CHECK_INT(id, v >= 7 ? 2 : 1);
			CHECK_INT(store_message_decide(s, id, "delivered", "rejected", "No.",
			                               "admin", 1),
			          0);
		}
		if (v >= 10) {
			char to[8] = "";
			bool seen = false;
			int moves = 0;
			int64_t seq = -1;

			CHECK_INT(store_person_get_moved_out(s, p.id, to, sizeof(to)), 0);
			CHECK_STR(to, "NEP");
			CHECK_INT(store_move_list(s, p.id, count_move, &moves), 0);
			CHECK_INT(moves, 1);
			CHECK_INT(store_bundle_seen(s, "00112233445566778899aabbccddeeff", &seen),
			          0);
			CHECK(seen);
			/* A record moved before hand-overs were counted starts at 0; one
			 * counted since keeps its count. */
			CHECK_INT(store_person_get_move_seq(s, p.id, &seq), 0);
			CHECK_INT(seq, v >= 11 ? 2 : 0);
		}
		if (v >= 1) {
			/* The hand-over count works on every upgraded file. */
			int64_t seq = -1;

			CHECK_INT(store_person_set_move_seq(s, p.id, 3), 0);
			CHECK_INT(store_person_get_move_seq(s, p.id, &seq), 0);
			CHECK_INT(seq, 3);
			CHECK_INT(store_person_set_move_seq(s, 999, 3), -ENOENT);
		}
		if (v >= 1) {
			/* Tablets and enrolment codes work on every upgraded file. */
			struct store_device d = {.enrolled_at = 1800000000}, got;
			char by[48];

			CHECK_INT(store_device_next_id(s, d.id, sizeof(d.id)), 0);
			CHECK_STR(d.id, "T0001");
			strcpy(d.fingerprint, "ab");
			CHECK_INT(store_device_insert(s, &d), 0);
			CHECK_INT(store_device_find(s, "ab", &got), 0);
			CHECK_INT(store_enrolment_code_add(s, "cd", "staff:admin", 1, 1800000900),
			          0);
			CHECK_INT(store_enrolment_code_use(s, "cd", 1800000000, by, sizeof(by)), 0);
			CHECK_STR(by, "staff:admin");
		}
		if (v >= 2) {
			struct store_app app;
			int contacts = 0;

			CHECK_INT(store_contact_list(s, p.id, count_contact, &contacts), 0);
			CHECK_INT(contacts, 1);
			CHECK_INT(store_app_get(s, "learning", &app), 0);
			CHECK_STR(app.path, "/usr/bin/true");
		}
		store_free(s);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK(system(cmd) == 0);
	}

	test_step("a file from a newer build is refused, untouched");
	{
		char dir[] = "/tmp/onward-migrate-XXXXXX", path[128], cmd[200];
		struct store *s;

		CHECK(mkdtemp(dir) != NULL);
		snprintf(path, sizeof(path), "%s/store.db", dir);
		CHECK_INT(store_open(path, key, &s), 0);
		CHECK_INT(store_exec(s, "PRAGMA user_version = 999"), 0);
		store_free(s);
		CHECK_INT(store_open(path, key, &s), -EPROTONOSUPPORT);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK(system(cmd) == 0);
	}
	printf("test-migrations: OK\n");
	return 0;
}
