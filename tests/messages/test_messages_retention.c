/*
 * Retention through the real daemon: messages, refusals and staff reads older than the
 * retention go when the daemon starts (and every hour), by the default of 365 days or an
 * establishment's own setting, with one audit row; newer ones stay. The old rows are
 * written at their time: the daemon's clock starts 400 days before the tests' Wednesday
 * (daemon.h) and is moved on, as only a real year could otherwise; the SQLCipher file,
 * opened with the device's key, is read to count what is left.
 */
#include "fixture.h"
#include "store_int.h"

#include <stdio.h>
#include <string.h>

static struct fixture fx;

static struct store *
open_store(void)
{
	uint8_t secret[32], key[STORE_KEY_LEN];
	char path[256];
	struct store *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/device.secret", fx.d.dir);
	f = fopen(path, "rb");
	CHECK(f && fread(secret, 1, 32, f) == 32);
	fclose(f);
	CHECK(store_derive_key(secret, key) == 0);
	snprintf(path, sizeof(path), "%s/store.db", fx.d.dir);
	CHECK(store_open(path, key, &s) == 0);
	return s;
}

static size_t
count_items(const char *with)
{
	json_t *page = daemon_admin_ok(&fx.d, "onward.Message.StaffRead",
	                               json_pack("{s:s, s:s, s:i}", "prison_number", "A1234BC",
	                                         "with", with, "limit", 30));
	size_t n = json_array_size(json_object_get(page, "messages"));

	json_decref(page);
	return n;
}

/* Rows of table (where: an SQL condition, or NULL for all), counted in the file. */
static int64_t
count_rows_where(const char *table, const char *where)
{
	char sql[200];
	struct store *s = open_store();
	sqlite3_stmt *st;
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s", table, where ? where : "1");
	CHECK_INT(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	store_free(s);
	return n;
}

static int64_t
count_rows(const char *table)
{
	return count_rows_where(table, NULL);
}

int
main(void)
{
	char jo[32];
	json_t *out, *audit;
	int64_t old1, old2, recent, fresh;

	/* Wednesday 4 November 2025: 400 days before the tests' Wednesday 9 December 2026. */
	fixture_start_at(&fx, "2025-11-04T10:00:00Z");
	fixture_with(fixture_contact(&fx, "Jo Jones", true, false, false, false), jo, sizeof(jo));
	old1 = fixture_send_ok(&fx, jo, "Sent long ago", "delivered");
	old2 = fixture_send_ok(&fx, "worker", "Also long ago", "delivered");
	fixture_regime(&fx, "night");
	fixture_send_refused(&fx, jo, "A refused one, long ago",
	                     "Messages to family and friends are closed at night, 21:00 to 07:00.");
	fixture_regime(&fx, "auto");
	/* Staff read the thread then: three reads (onwardctl, and the two counts). */
	json_decref(fixture_ctl_json(&fx, 0, "admin", "message", "thread", "A1234BC", jo, NULL));
	CHECK_INT(count_items(jo), 1);
	CHECK_INT(count_items("worker"), 1);
	daemon_clock_set(&fx.d, "2026-10-30T10:00:00Z"); /* 40 days before */
	recent = fixture_send_ok(&fx, jo, "Sent last month", "delivered");
	daemon_clock_set(&fx.d, "2026-12-09T10:00:00Z");
	fresh = fixture_send_ok(&fx, jo, "Sent today", "delivered");

	test_step("the default retention (365 days) removes what is older, at start");
	fixture_disconnect(&fx);
	daemon_stop(&fx.d);
	CHECK_INT(count_rows("messages"), 4);
	CHECK_INT(count_rows("message_refusals"), 1);
	CHECK_INT(count_rows("message_staff_reads"), 3); /* onwardctl, and the two counts */
	daemon_start(&fx.d);
	fixture_connect(&fx);
	/* The first messaging call starts the module, which runs retention before answering. */
	CHECK_INT(count_items(jo), 2);
	CHECK_INT(count_items("worker"), 0);
	daemon_stop(&fx.d);
	CHECK_INT(count_rows("message_refusals"), 0);
	{
		char where[100];

		snprintf(where, sizeof(where), "id IN (%lld, %lld)", (long long)old1,
		         (long long)old2);
		CHECK_INT(count_rows_where("messages", where), 0);
		snprintf(where, sizeof(where), "id IN (%lld, %lld)", (long long)recent,
		         (long long)fresh);
		CHECK_INT(count_rows_where("messages", where), 2);
	}
	/* 1: the read just made by count_items; the old one has gone. */
	CHECK_INT(count_rows("message_staff_reads"), 1);
	daemon_start(&fx.d);
	audit = fixture_audit(&fx, "message.expire");
	CHECK_INT(json_array_size(audit), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(audit, 0), "actor")), "system");
	CHECK_INT(json_integer_value(json_object_get(
	                  json_object_get(json_array_get(audit, 0), "detail"), "deleted")),
	          6); /* 2 messages, 1 refusal, 3 staff reads */
	json_decref(audit);

	test_step("an establishment's own retention applies at once when it is set");
	out = fixture_ctl_json(&fx, 0, "admin", "message", "settings", "--establishment", "MDI",
	                       "--retention-days", "30", NULL);
	CHECK_INT(json_integer_value(json_object_get(out, "deleted")), 1);
	CHECK_INT(json_integer_value(json_object_get(out, "retention_days")), 365);
	CHECK_STR(json_string_value(
	                  json_object_get(json_array_get(json_object_get(out, "establishments"), 0),
	                                  "establishment")),
	          "MDI");
	json_decref(out);
	{
		json_t *page = daemon_admin_ok(
		        &fx.d, "onward.Message.StaffRead",
		        json_pack("{s:s, s:s}", "prison_number", "A1234BC", "with", jo));

		CHECK_INT(json_array_size(json_object_get(page, "messages")), 1);
		CHECK_INT(json_integer_value(json_object_get(
		                  json_array_get(json_object_get(page, "messages"), 0), "id")),
		          fresh);
		json_decref(page);
	}

	test_step("bad settings are refused, nothing changed");
	out = fixture_ctl_json(&fx, 1, "admin", "message", "settings", "--retention-days", "0",
	                       NULL);
	CHECK_STR(
	        json_string_value(json_object_get(json_object_get(out, "parameters"), "parameter")),
	        "retention_days");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "admin", "message", "settings", "--establishment", "ZZZ",
	                       "--retention-days", "10", NULL);
	CHECK_STR(fixture_error_message(out), "No establishment has that code.");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "admin", "message", "settings", "--establishment", "MDI",
	                       NULL);
	CHECK_STR(fixture_error_message(out), "Say how many days to keep messages for.");
	json_decref(out);
	out = fixture_ctl_json(&fx, 1, "admin", "message", "settings", "--group-commit", "maybe",
	                       NULL);
	CHECK_STR(fixture_error_message(out), "Say on or off.");
	json_decref(out);
	out = fixture_ctl_json(&fx, 0, "admin", "message", "settings", NULL);
	CHECK(json_is_true(json_object_get(out, "group_commit")));
	CHECK_INT(json_integer_value(
	                  json_object_get(json_array_get(json_object_get(out, "establishments"), 0),
	                                  "retention_days")),
	          30);
	json_decref(out);

	fixture_stop(&fx);
	printf("test-messages-retention: OK\n");
	return 0;
}
