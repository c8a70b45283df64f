/*
 * Start-up and shutdown: everything survives a restart; the daemon refuses to start, with
 * one clear line, on a device secret others can read, a wrong key, a damaged store, a
 * state directory others can write, a bad configuration, or a directory another daemon
 * holds; --check reports "configuration OK".
 */
#include "check.h"
#include "daemon.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
write_file(const char *dir, const char *name, const void *data, size_t len, int flags)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | flags, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

static void
expect_refusal(struct test_daemon *d, const char *message_part)
{
	char err[2048];
	int status = daemon_start_refused(d, err, sizeof(err));

	CHECK_INT(status, 1);
	CHECK_CONTAINS(err, message_part);
	/* One clear line: the refusal, and nothing else. */
	CHECK(strchr(err, '\n') == strrchr(err, '\n'));
}

int
main(void)
{
	struct test_daemon d;
	struct run_result r;
	char pin[16], path[256], secret_copy[32];
	json_t *j;
	FILE *f;

	daemon_make(&d, NULL);

	test_step("first start creates the directory, the secret (0600) and the store");
	daemon_start(&d);
	{
		struct stat st;

		snprintf(path, sizeof(path), "%s/device.secret", d.dir);
		CHECK(stat(path, &st) == 0);
		CHECK_INT(st.st_mode & 0777, 0600);
		CHECK_INT(st.st_size, 32);
		CHECK(stat(d.dir, &st) == 0);
		CHECK_INT(st.st_mode & 0777, 0700);
		snprintf(path, sizeof(path), "%s/admin.sock", d.dir);
		CHECK(stat(path, &st) == 0);
		CHECK_INT(st.st_mode & 0777, 0600);
	}
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);

	test_step("a second daemon on the same directory is refused");
	expect_refusal(&d, "another onward-policyd is already using");

	test_step("--check while running");
	{
		const char *argv[] = {run_bin("onward-policyd"), "--state-dir", d.dir, "--check",
		                      NULL};

		run_program(argv, NULL, NULL, 15000, &r);
		CHECK_INT(r.status, 0);
		CHECK_CONTAINS(r.out, "configuration OK");
		{
			int have = 0, latest = -1;

			CHECK(sscanf(strstr(r.out, "store: schema "), "store: schema %d of %d",
			             &have, &latest) == 2);
			CHECK_INT(have, latest);
		}
		run_result_release(&r);
	}

	test_step("SIGTERM stops cleanly; a restart keeps people, staff and the PIN");
	daemon_stop(&d);
	daemon_start(&d);
	j = daemon_admin_ok(&d, "onward.Person.Show",
	                    json_pack("{s:s}", "prison_number", "A1234BC"));
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "person"), "family_name")),
	          "Jones");
	json_decref(j);
	{
		struct client *c = daemon_connect_control(&d);
		struct client_reply reply;

		daemon_call(c, "onward.Session.Login",
		            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", pin),
		            &reply);
		CHECK(reply.error == NULL);
		client_reply_release(&reply);
		client_free(c);
	}
	j = daemon_admin_ok(&d, "onward.Audit.Verify", NULL);
	CHECK(json_is_true(json_object_get(j, "ok")));
	json_decref(j);
	daemon_stop(&d);

	test_step("a device secret readable by others is refused");
	snprintf(path, sizeof(path), "%s/device.secret", d.dir);
	CHECK(chmod(path, 0644) == 0);
	expect_refusal(&d, "is readable by group or others (mode 0644)");
	CHECK(chmod(path, 0600) == 0);

	test_step("a wrong key is refused, and the store is left as it was");
	f = fopen(path, "rb");
	CHECK(f && fread(secret_copy, 1, 32, f) == 32);
	fclose(f);
	{
		char other[32];

		memcpy(other, secret_copy, 32);
		other[0] ^= 0x5a;
		write_file(d.dir, "device.secret", other, 32, O_TRUNC);
	}
	expect_refusal(&d, "wrong key, or a damaged file");
	write_file(d.dir, "device.secret", secret_copy, 32, O_TRUNC);
	daemon_start(&d);
	daemon_stop(&d);

	test_step("a secret of the wrong size is refused");
	write_file(d.dir, "device.secret", "short", 5, O_TRUNC);
	expect_refusal(&d, "must be exactly 32 bytes");
	write_file(d.dir, "device.secret", secret_copy, 32, O_TRUNC);

	test_step("a bad configuration is refused, naming the setting");
	write_file(d.dir, "policyd.json", "{\"scrypt_log_n\": 10, \"lockout_sec\": 3}", 38,
	           O_TRUNC);
	expect_refusal(&d, "unknown setting \"lockout_sec\"");
	{
		const char *argv[] = {run_bin("onward-policyd"), "--state-dir", d.dir, "--check",
		                      NULL};

		run_program(argv, NULL, NULL, 15000, &r);
		CHECK_INT(r.status, 1);
		CHECK_CONTAINS(r.err, "unknown setting");
		run_result_release(&r);
	}
	write_file(d.dir, "policyd.json", "{\"scrypt_log_n\": 10,", 20, O_TRUNC);
	expect_refusal(&d, "policyd.json:1:");
	write_file(d.dir, "policyd.json", "{\"scrypt_log_n\": 10}", 20, O_TRUNC);

	test_step("a state directory others can write is refused");
	CHECK(chmod(d.dir, 0777) == 0);
	expect_refusal(&d, "is open to group or others");
	CHECK(chmod(d.dir, 0700) == 0);

	test_step("a damaged store is refused");
	{
		char junk[4096];

		memset(junk, 0x41, sizeof(junk));
		snprintf(path, sizeof(path), "%s/store.db-wal", d.dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/store.db-shm", d.dir);
		unlink(path);
		write_file(d.dir, "store.db", junk, sizeof(junk), 0);
	}
	expect_refusal(&d, "cannot open the store");

	daemon_remove(&d);
	printf("test-restart: OK\n");
	return 0;
}
