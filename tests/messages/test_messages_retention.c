/*
 * Retention through the real daemon: messages, refusals and staff reads older than the
 * retention go when the daemon starts (and every hour), by the default of 365 days or an
 * establishment's own setting, with one audit row; newer ones stay. To have old rows, the
 * test stops the daemon, opens the SQLCipher file with the device's key and moves rows
 * back in time, as only a real year could otherwise.
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

/* Moves rows back `days` days with the daemon stopped. */
static void
age(const char *table, const char *column, const char *where, int days)
{
	char sql[300];
	struct store *s;

	snprintf(sql, sizeof(sql), "UPDATE %s SET %s = %s - %d * 86400 WHERE %s", table, column,
	         column, days, where);
	s = open_store();
	CHECK_INT(store_exec(s, sql), 0);
	store_free(s);
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

static int64_t
count_rows(const char *table)
{
	char sql[100];
	struct store *s = open_store();
	sqlite3_stmt *st;
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	CHECK_INT(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	store_free(s);
	return n;
}

int
main(void)
{
	char jo[32];
	json_t *out, *audit;
	int64_t old1, old2, recent, fresh;

	fixture_start(&fx);
	fixture_regime(&fx, "unlock");
	fixture_with(fixture_contact(&fx, "Jo Jones", true, false, false, false), jo, sizeof(jo));
	old1 = fixture_send_ok(&fx, jo, "Sent long ago", "delivered");
	old2 = fixture_send_ok(&fx, "worker", "Also long ago", "delivered");
	recent = fixture_send_ok(&fx, jo, "Sent last month", "delivered");
	fresh = fixture_send_ok(&fx, jo, "Sent today", "delivered");
	fixture_regime(&fx, "night");
	fixture_send_refused(&fx, jo, "A refused one, long ago",
	                     "Messages to family and friends are closed at night, 21:00 to 07:00.");
	fixture_regime(&fx, "unlock");
	json_decref(fixture_ctl_json(&fx, 0, "admin", "message", "thread", "A1234BC", jo, NULL));
	CHECK_INT(count_items(jo), 3);
	CHECK_INT(count_items("worker"), 1);

	test_step("the default retention (365 days) removes what is older, at start");
	fixture_disconnect(&fx);
	daemon_stop(&fx.d);
	{
		char where[100];

		snprintf(where, sizeof(where), "id IN (%lld, %lld)", (long long)old1,
		         (long long)old2);
		age("messages", "created_at", where, 400);
		snprintf(where, sizeof(where), "id = %lld", (long long)recent);
		age("messages", "created_at", where, 40);
	}
	age("message_refusals", "created_at", "1", 400);
	age("message_staff_reads", "at", "1", 400);
	CHECK_INT(count_rows("message_refusals"), 1);
	CHECK_INT(count_rows("message_staff_reads"), 3); /* onwardctl, and the two counts */
	daemon_start(&fx.d);
	fixture_connect(&fx);
	/* The first messaging call starts the module, which runs retention before answering. */
	CHECK_INT(count_items(jo), 2);
	CHECK_INT(count_items("worker"), 0);
	daemon_stop(&fx.d);
	CHECK_INT(count_rows("message_refusals"), 0);
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
