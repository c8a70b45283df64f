/*
 * The audit chain finds tampering. The daemon writes a real chain; with the daemon
 * stopped, the test opens the SQLCipher file itself (with the device's key) and edits a
 * row, removes one, removes one and renumbers the rest, swaps two, or cuts the end off;
 * each time `onwardctl audit verify` exits 1 naming the first bad row.
 */
#include "check.h"
#include "daemon.h"
#include "store_int.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct test_daemon d;

static void
copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	CHECK(in && out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		CHECK(fwrite(buf, 1, n, out) == n);
	fclose(in);
	CHECK(fclose(out) == 0);
}

static struct store *
open_store(void)
{
	uint8_t secret[32], key[STORE_KEY_LEN];
	char path[256];
	struct store *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/device.secret", d.dir);
	f = fopen(path, "rb");
	CHECK(f && fread(secret, 1, 32, f) == 32);
	fclose(f);
	CHECK(store_derive_key(secret, key) == 0);
	snprintf(path, sizeof(path), "%s/store.db", d.dir);
	CHECK(store_open(path, key, &s) == 0);
	return s;
}

/* Restores the untouched store, applies sql to it, and checks what verify says. */
static void
tamper(const char *pristine, const char *sql, int want_status, const char *want_message)
{
	struct store *s;
	struct run_result r;
	char path[256];

	snprintf(path, sizeof(path), "%s/store.db", d.dir);
	copy_file(pristine, path);
	if (sql) {
		s = open_store();
		CHECK_INT(store_exec(s, sql), 0);
		store_free(s);
	}
	daemon_start(&d);
	daemon_onwardctl(&d, &r, "audit", "verify", "--as", "admin", NULL);
	CHECK_INT(r.status, want_status);
	CHECK_CONTAINS(r.out, want_message);
	run_result_release(&r);
	daemon_stop(&d);
}

int
main(void)
{
	char pin[16], pristine[256], path[256];
	struct store_audit_report report;
	struct store *s;

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	daemon_add_person(&d, "B2345CD", pin);
	for (int i = 0; i < 8; i++)
		json_decref(daemon_admin_ok(&d, "onward.Person.Show",
		                            json_pack("{s:s}", "prison_number", "A1234BC")));
	daemon_stop(&d);

	/* The daemon's clean stop checkpoints the WAL: store.db alone is the whole store. */
	snprintf(path, sizeof(path), "%s/store.db-wal", d.dir);
	CHECK(access(path, F_OK) != 0);
	snprintf(pristine, sizeof(pristine), "%s/pristine.db", d.dir);
	snprintf(path, sizeof(path), "%s/store.db", d.dir);
	copy_file(path, pristine);
	s = open_store();
	CHECK_INT(store_audit_verify(s, &report), 0);
	CHECK_INT(report.problem, STORE_AUDIT_OK);
	/* The harness's try to sign "admin" in before they exist (a reset refused), the staff
	 * member added break-glass, then "admin" signs in (reset, setup, confirm, sign-in:
	 * four rows), adds the establishment and two people and reads eight times; and three
	 * rows for each person's first login (log in, choose a PIN, log out). */
	CHECK_INT(report.rows, 23);
	store_free(s);

	test_step("untouched: OK");
	tamper(pristine, NULL, 0, "audit chain OK: 23 rows");

	test_step("a row's detail edited");
	tamper(pristine, "UPDATE audit SET detail = '{\"note\":\"nothing to see\"}' WHERE seq = 5",
	       1, "row 5 was altered after it was written");

	test_step("a refusal rewritten as a success");
	tamper(pristine, "UPDATE audit SET outcome = 'refused' WHERE seq = 3", 1,
	       "row 3 was altered after it was written");

	test_step("a row removed");
	tamper(pristine, "DELETE FROM audit WHERE seq = 7", 1, "row 7 is missing");

	test_step("a row removed and the rest renumbered to hide the gap");
	tamper(pristine,
	       "DELETE FROM audit WHERE seq = 7;"
	       "UPDATE audit SET seq = seq + 1000 WHERE seq > 7;"
	       "UPDATE audit SET seq = seq - 1001 WHERE seq > 1000;",
	       1, "row 7 does not follow the row before it");

	test_step("two rows swapped");
	tamper(pristine,
	       "UPDATE audit SET seq = 1000 WHERE seq = 3;"
	       "UPDATE audit SET seq = 3 WHERE seq = 4;"
	       "UPDATE audit SET seq = 4 WHERE seq = 1000;",
	       1, "row 3 does not follow the row before it");

	test_step("the last rows cut off");
	tamper(pristine, "DELETE FROM audit WHERE seq > 10", 1,
	       "rows after 10 were removed from the end of the chain");

	daemon_remove(&d);
	printf("test-audit-tamper: OK\n");
	return 0;
}
