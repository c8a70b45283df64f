/*
 * The store's tablets and enrolment codes on a real SQLCipher file: ids in order, a
 * fingerprint used once, a code used once and never after it runs out (the three refused
 * alike), revocation kept as first made, and old codes pruned.
 */
#include "check.h"
#include "devices.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
collect_id(const struct store_device *d, void *userdata)
{
	char *ids = userdata;

	strcat(ids, d->id);
	strcat(ids, " ");
	return 0;
}

static void
add_device(struct store *s, const char *fingerprint, char *ret_id)
{
	struct store_device d = {.enrolled_at = 1800000000};

	CHECK_INT(store_device_next_id(s, d.id, sizeof(d.id)), 0);
	snprintf(d.fingerprint, sizeof(d.fingerprint), "%s", fingerprint);
	strcpy(d.name, "Cell 4-12");
	strcpy(d.enrolled_by, "staff:admin");
	CHECK_INT(store_device_insert(s, &d), 0);
	strcpy(ret_id, d.id);
}

int
main(void)
{
	char dir[] = "/tmp/onward-devices-XXXXXX", path[128], cmd[160], id[16], ids[200] = "";
	char by[48], small[4];
	uint8_t key[STORE_KEY_LEN];
	struct store_device d;
	struct store *s;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/store.db", dir);
	memset(key, 5, sizeof(key));
	CHECK_INT(store_open(path, key, &s), 0);

	test_step("devices get ids in order; a fingerprint is one device's");
	add_device(s, "aa", id);
	CHECK_STR(id, "T0001");
	add_device(s, "bb", id);
	CHECK_STR(id, "T0002");
	{
		struct store_device twin = {.enrolled_at = 1};

		strcpy(twin.id, "T0003");
		strcpy(twin.fingerprint, "aa");
		CHECK_INT(store_device_insert(s, &twin), -EEXIST);
	}
	CHECK_INT(store_device_find(s, "bb", &d), 0);
	CHECK_STR(d.id, "T0002");
	CHECK_STR(d.name, "Cell 4-12");
	CHECK_INT(d.last_seen, 0);
	CHECK_INT(store_device_find(s, "cc", &d), -ENOENT);
	CHECK_INT(store_device_next_id(s, small, sizeof(small)), -EOVERFLOW);

	test_step("a hello is recorded");
	CHECK_INT(store_device_seen(s, "T0001", 1800000100, "0.4.0"), 0);
	CHECK_INT(store_device_get(s, "T0001", &d), 0);
	CHECK_INT(d.last_seen, 1800000100);
	CHECK_STR(d.software, "0.4.0");
	CHECK_INT(store_device_seen(s, "T0099", 1, "x"), -ENOENT);

	test_step("revoked once; the first revocation is kept");
	CHECK_INT(store_device_revoke(s, "T0002", 1800000200, "staff:admin", "Lost"), 0);
	CHECK_INT(store_device_revoke(s, "T0002", 1800000300, "staff:other", "Again"), -EALREADY);
	CHECK_INT(store_device_revoke(s, "T0099", 1800000300, "staff:other", "No"), -ENOENT);
	CHECK_INT(store_device_get(s, "T0002", &d), 0);
	CHECK_INT(d.revoked_at, 1800000200);
	CHECK_STR(d.revoked_by, "staff:admin");
	CHECK_STR(d.revoked_reason, "Lost");

	test_step("the list is in id order, T0010 after T0009");
	for (int i = 3; i <= 10; i++) {
		char fp[8];

		snprintf(fp, sizeof(fp), "f%d", i);
		add_device(s, fp, id);
	}
	CHECK_INT(store_device_list(s, "", 100, collect_id, ids), 0);
	CHECK_STR(ids, "T0001 T0002 T0003 T0004 T0005 T0006 T0007 T0008 T0009 T0010 ");

	test_step("in pages: after an id, at most limit");
	ids[0] = '\0';
	CHECK_INT(store_device_list(s, "T0008", 100, collect_id, ids), 0);
	CHECK_STR(ids, "T0009 T0010 ");
	ids[0] = '\0';
	CHECK_INT(store_device_list(s, "T0002", 3, collect_id, ids), 0);
	CHECK_STR(ids, "T0003 T0004 T0005 ");
	ids[0] = '\0';
	CHECK_INT(store_device_list(s, "T0010", 3, collect_id, ids), 0);
	CHECK_STR(ids, "");

	test_step("a code is used once, and not after it runs out");
	CHECK_INT(store_enrolment_code_add(s, "h1", "staff:admin", 1000, 1900), 0);
	CHECK_INT(store_enrolment_code_add(s, "h1", "staff:admin", 1000, 1900), -EEXIST);
	CHECK_INT(store_enrolment_code_use(s, "h1", 1899, by, sizeof(by)), 0);
	CHECK_STR(by, "staff:admin");
	CHECK_INT(store_enrolment_code_use(s, "h1", 1899, by, sizeof(by)), -ENOENT);
	CHECK_INT(store_enrolment_code_add(s, "h2", "staff:admin", 1000, 1900), 0);
	CHECK_INT(store_enrolment_code_use(s, "h2", 1900, NULL, 0), -ENOENT);
	CHECK_INT(store_enrolment_code_use(s, "unknown", 1000, NULL, 0), -ENOENT);
	CHECK_INT(store_enrolment_code_add(s, "h3", "staff:admin", 1000, 5000), 0);
	CHECK_INT(store_enrolment_code_use(s, "h3", 1000, small, sizeof(small)), -EOVERFLOW);

	test_step("codes long run out are pruned; others kept");
	CHECK_INT(store_enrolment_code_add(s, "h4", "staff:admin", 1000, 9000), 0);
	CHECK_INT(store_enrolment_code_prune(s, 6000), 0);
	CHECK_INT(store_enrolment_code_add(s, "h2", "staff:admin", 1000, 1900), 0);
	CHECK_INT(store_enrolment_code_add(s, "h4", "staff:admin", 1000, 9000), -EEXIST);
	CHECK_INT(store_enrolment_code_use(s, "h4", 8999, NULL, 0), 0);

	store_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	printf("test-store-devices: OK\n");
	return 0;
}
