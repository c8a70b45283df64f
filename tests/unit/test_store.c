/*
 * The store on a real SQLCipher file: records in and out, the errors each call promises,
 * a rolled-back transaction leaving nothing, the wrong key refused, the file unreadable
 * without the key, and the audit chain appended and verified.
 */
#include "check.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
count_person(const struct store_person *p, void *userdata)
{
	(*(int *)userdata)++;
	return 0;
}

int
main(void)
{
	char dir[] = "/tmp/onward-store-XXXXXX", path[128], hash[200];
	uint8_t key[STORE_KEY_LEN], wrong[STORE_KEY_LEN];
	struct store *s;
	struct store_establishment e = {"MDI", "HMP Moorland", "prison"}, e2;
	struct store_person p = {0}, q;
	struct store_audit_report report;
	int64_t id = 0, seq = 0;
	int n = 0, version = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/store.db", dir);
	memset(key, 7, sizeof(key));
	memset(wrong, 8, sizeof(wrong));

	test_step("open creates the schema at the latest version");
	CHECK_INT(store_open(path, key, &s), 0);
	CHECK_INT(store_schema_version(s), store_schema_latest());

	test_step("establishments and people");
	CHECK_INT(store_establishment_insert(s, &e), 0);
	CHECK_INT(store_establishment_insert(s, &e), -EEXIST);
	CHECK_INT(store_establishment_get(s, "MDI", &e2), 0);
	CHECK_STR(e2.name, "HMP Moorland");
	CHECK_INT(store_establishment_get(s, "XXX", &e2), -ENOENT);
	strcpy(p.prison_number, "A1234BC");
	strcpy(p.given_name, "Sam");
	strcpy(p.family_name, "Jones");
	strcpy(p.status, "sentenced");
	strcpy(p.incentive, "standard");
	strcpy(p.establishment, "MDI");
	strcpy(p.flags, "public_protection");
	p.created_at = 1700000000;
	CHECK_INT(store_person_insert(s, &p, "scrypt$hash", &id), 0);
	CHECK(id > 0);
	CHECK_INT(store_person_insert(s, &p, "scrypt$hash", &id), -EEXIST);
	CHECK_INT(store_person_find(s, "A1234BC", &q), 0);
	CHECK_STR(q.flags, "public_protection");
	CHECK_STR(q.crn, "");
	CHECK_INT(store_person_get_pin_hash(s, q.id, hash, sizeof(hash)), 0);
	CHECK_STR(hash, "scrypt$hash");
	CHECK_INT(store_person_get_pin_hash(s, q.id, hash, 5), -EOVERFLOW);
	CHECK_INT(store_person_find(s, "Z9999ZZ", &q), -ENOENT);
	strcpy(q.incentive, "enhanced");
	strcpy(q.crn, "X123456");
	CHECK_INT(store_person_update(s, &q, 1700000100), 0);
	CHECK_INT(store_person_get(s, q.id, &q), 0);
	CHECK_STR(q.incentive, "enhanced");
	CHECK_INT(q.updated_at, 1700000100);
	q.id = 9999;
	CHECK_INT(store_person_update(s, &q, 1), -ENOENT);
	CHECK_INT(store_person_list(s, "MDI", "", 10, count_person, &n), 0);
	CHECK_INT(n, 1);

	test_step("a rolled-back transaction leaves nothing");
	CHECK_INT(store_begin(s), 0);
	strcpy(p.prison_number, "B2345CD");
	CHECK_INT(store_person_insert(s, &p, "h", &id), 0);
	CHECK_INT(store_audit_append(s, 1, "staff:x", "person:B2345CD", "person.add", "ok", NULL,
	                             NULL),
	          0);
	store_rollback(s);
	CHECK_INT(store_person_find(s, "B2345CD", &q), -ENOENT);

	test_step("the audit chain");
	for (int i = 0; i < 50; i++)
		CHECK_INT(store_audit_append(s, 1700000000 + i, "staff:admin", "person:A1234BC",
		                             "person.show", "ok", "{\"i\":1}", &seq),
		          0);
	CHECK_INT(seq, 50);
	CHECK_INT(store_audit_verify(s, &report), 0);
	CHECK_INT(report.problem, STORE_AUDIT_OK);
	CHECK_INT(report.rows, 50);
	{
		char big[STORE_DETAIL_MAX + 10];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		CHECK_INT(store_audit_append(s, 1, "a", "b", "c", "ok", big, NULL), -E2BIG);
	}
	store_free(s);

	test_step("the wrong key is refused; the file is not plain SQLite");
	CHECK_INT(store_open(path, wrong, &s), -EBADMSG);
	CHECK_INT(store_probe(path, key, &version), 0);
	CHECK_INT(version, store_schema_latest());
	{
		char header[16];
		FILE *f = fopen(path, "rb");

		CHECK(f && fread(header, 1, 16, f) == 16);
		fclose(f);
		CHECK(memcmp(header, "SQLite format 3", 15) != 0);
	}
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK(system(cmd) == 0);
	}
	printf("test-store: OK\n");
	return 0;
}
