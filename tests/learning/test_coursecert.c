/*
 * The certificate library on its own: a certificate issued verifies, with the key inside it
 * and with the issuing key given; changing any byte of it is caught (a bit flipped at
 * every position in turn), as is a signature from another key, a key id that does not
 * name the key, an unknown or duplicate field, and a document over the size limit. Keys:
 * a private key file is 0600 and never overwritten, and one others can read is refused.
 */
#include "check.h"
#include "coursecert.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

static void
fill(struct coursecert_fields *f)
{
	memset(f, 0, sizeof(*f));
	strcpy(f->id, "c-0123456789abcdef01234567");
	strcpy(f->given_name, "Siân");
	strcpy(f->family_name, "O'Neill-Jones");
	strcpy(f->prison_number, "A1234BC");
	strcpy(f->course_id, "uk.onward.managing-money");
	strcpy(f->course_title, "Managing money");
	strcpy(f->course_version, "1.0.0");
	strcpy(f->course_level, "entry1");
	strcpy(f->provider_name, "Example College");
	f->issued_at = 1795000000;
	f->score = 83;
	strcpy(f->establishment_code, "MDI");
	strcpy(f->establishment_name, "HMP Moorland");
}

static void
expect_refused(const char *doc, size_t len, const struct coursecert_key *trusted, int code,
               const char *message)
{
	struct coursecert_error err = {0};
	struct coursecert_fields f;
	int r = coursecert_verify(doc, len, trusted, &f, &err);

	CHECK_INT(r, code);
	CHECK_INT(err.code, code);
	CHECK_STR(err.message, message);
}

/* Re-serialises doc with one change made by edit(), for the structural refusals. */
static char *
edited(const char *doc, void (*edit)(json_t *root))
{
	json_t *root = json_loads(doc, 0, NULL);
	char *out;

	CHECK(root != NULL);
	edit(root);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	CHECK(out != NULL);
	return out;
}

static void
add_field(json_t *root)
{
	json_object_set_new(root, "extra", json_true());
}

static void
change_score(json_t *root)
{
	json_object_set_new(root, "score", json_integer(100));
}

static void
wrong_key_id(json_t *root)
{
	json_object_set_new(json_object_get(root, "key"), "id", json_string("0000000000000000"));
}

static void
no_establishment(json_t *root)
{
	json_object_del(root, "establishment");
}

static void
control_in_name(json_t *root)
{
	json_object_set_new(json_object_get(root, "person"), "given_name",
	                    json_string("Sam\nscore=100"));
}

int
main(void)
{
	struct coursecert_key *key, *other, *loaded, *pub;
	struct coursecert_error err = {0};
	struct coursecert_fields f, out;
	char dir[] = "/tmp/onward-coursecert-XXXXXX", path[200], pub_path[200], *doc, *pem, *bad;
	char id[COURSECERT_KEY_ID_MAX], id2[COURSECERT_KEY_ID_MAX];
	size_t len;
	struct stat st;
	FILE *file;
	int64_t t;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(coursecert_key_generate(&key, &err), 0);
	CHECK_INT(coursecert_key_generate(&other, &err), 0);

	test_step("issue and verify, with the key inside and with the issuer's key");
	fill(&f);
	CHECK_INT(coursecert_issue(&f, key, &doc, &len, &err), 0);
	CHECK_INT(strlen(doc), len);
	CHECK_INT(coursecert_verify(doc, len, NULL, &out, &err), 0);
	CHECK_STR(out.given_name, "Siân");
	CHECK_STR(out.course_title, "Managing money");
	CHECK_INT(out.score, 83);
	CHECK_INT(out.issued_at, 1795000000);
	coursecert_key_id(key, id);
	CHECK_STR(out.key_id, id);
	CHECK_INT(coursecert_verify(doc, len, key, &out, &err), 0);
	CHECK_CONTAINS(doc, "\"issued\": \"2026-11-18T11:06:40Z\"");

	test_step("a course without quizzes has no score");
	f.score = -1;
	free(doc);
	CHECK_INT(coursecert_issue(&f, key, &doc, &len, &err), 0);
	CHECK_CONTAINS(doc, "\"score\": null");
	CHECK_INT(coursecert_verify(doc, len, key, &out, &err), 0);
	CHECK_INT(out.score, -1);
	f.score = 83;
	free(doc);
	CHECK_INT(coursecert_issue(&f, key, &doc, &len, &err), 0);

	test_step("issued by another key than the one given");
	coursecert_key_id(other, id2);
	{
		char want[200];

		snprintf(want, sizeof(want),
		         "signed by key %s, not by the establishment key %s given", id, id2);
		expect_refused(doc, len, other, -EKEYREJECTED, want);
	}

	test_step("every byte matters: a bit flipped anywhere is refused");
	bad = malloc(len + 1);
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			memcpy(bad, doc, len + 1);
			bad[i] ^= (char)(1 << bit);
			if (coursecert_verify(bad, len, NULL, NULL, &err) == 0)
				check_failed(__FILE__, __LINE__,
				             "flipping bit %d of byte %zu passed", bit, i);
		}
	}
	free(bad);

	test_step("a changed field is caught by the signature");
	bad = edited(doc, change_score);
	expect_refused(bad, strlen(bad), NULL, -EKEYREJECTED,
	               "the signature does not verify: the certificate was changed after it was "
	               "issued");
	free(bad);

	test_step("structure: unknown, missing and wrongly formed fields");
	bad = edited(doc, add_field);
	expect_refused(bad, strlen(bad), NULL, -EBADMSG,
	               "the certificate has an unknown field \"extra\"");
	free(bad);
	bad = edited(doc, no_establishment);
	expect_refused(bad, strlen(bad), NULL, -EBADMSG,
	               "the certificate has no \"establishment\"");
	free(bad);
	bad = edited(doc, wrong_key_id);
	{
		char want[200];

		snprintf(want, sizeof(want),
		         "key.id 0000000000000000 does not name the key it holds (%s)", id);
		expect_refused(bad, strlen(bad), NULL, -EBADMSG, want);
	}
	free(bad);
	bad = edited(doc, control_in_name);
	expect_refused(bad, strlen(bad), NULL, -EBADMSG,
	               "person: names must be 1-100 bytes of text");
	free(bad);
	expect_refused("{\"format\": 1, \"format\": 2}", 26, NULL, -EBADMSG,
	               "not valid JSON (line 1: duplicate object key near '\"format\"')");
	bad = calloc(1, COURSECERT_DOCUMENT_MAX + 2);
	memset(bad, ' ', COURSECERT_DOCUMENT_MAX + 1);
	expect_refused(bad, COURSECERT_DOCUMENT_MAX + 1, NULL, -EFBIG,
	               "the certificate is 8193 bytes, over the 8192-byte limit");
	free(bad);

	test_step("issuing refuses bad fields");
	fill(&f);
	strcpy(f.prison_number, "a1234bc");
	CHECK_INT(coursecert_issue(&f, key, &bad, &len, &err), -EINVAL);
	CHECK_STR(err.message, "person: prison_number is not like A1234BC");
	fill(&f);
	f.score = 101;
	CHECK_INT(coursecert_issue(&f, key, &bad, &len, &err), -EINVAL);

	test_step("keys: saved 0600, never overwritten, refused when others can read");
	snprintf(path, sizeof(path), "%s/establishment.key", dir);
	snprintf(pub_path, sizeof(pub_path), "%s/establishment.pub", dir);
	CHECK_INT(coursecert_key_save_private(key, path, &err), 0);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	CHECK_INT(coursecert_key_save_private(other, path, &err), -EEXIST);
	CHECK_INT(coursecert_key_load_private(path, &loaded, &err), 0);
	coursecert_key_id(loaded, id2);
	CHECK_STR(id2, id);
	CHECK(coursecert_key_has_private(loaded));
	coursecert_key_free(loaded);
	CHECK_INT(chmod(path, 0640), 0);
	CHECK_INT(coursecert_key_load_private(path, &loaded, &err), -EPERM);
	CHECK_CONTAINS(err.message, "a private key must not be readable by others (mode 640)");
	CHECK_INT(coursecert_key_public_pem(key, &pem, &err), 0);
	file = fopen(pub_path, "w");
	CHECK(file != NULL);
	fputs(pem, file);
	fclose(file);
	free(pem);
	CHECK_INT(coursecert_key_load_public(pub_path, &pub, &err), 0);
	CHECK(!coursecert_key_has_private(pub));
	CHECK_INT(coursecert_verify(doc, len, pub, &out, &err), 0);
	CHECK_INT(coursecert_key_load_public(path, &loaded, &err), -EBADMSG);
	coursecert_key_free(pub);

	test_step("onwardctl certificate verify: never \"good\" without the issuer's key");
	{
		char forged_path[300], real_path[300];
		const char *no_key[] = {run_bin("onwardctl"), "certificate", "verify", forged_path,
		                        NULL};
		const char *as_json[] = {run_bin("onwardctl"), "--json", "certificate", "verify",
		                         forged_path,          NULL};
		const char *with_key[] = {run_bin("onwardctl"),
		                          "certificate",
		                          "verify",
		                          forged_path,
		                          "--key",
		                          pub_path,
		                          NULL};
		const char *real[] = {run_bin("onwardctl"),
		                      "certificate",
		                      "verify",
		                      real_path,
		                      "--key",
		                      pub_path,
		                      NULL};
		struct run_result run;
		char *forged;
		size_t forged_len;

		/* Anyone's key, a certificate claiming HMP Moorland issued it. */
		fill(&f);
		CHECK_INT(coursecert_issue(&f, other, &forged, &forged_len, &err), 0);
		snprintf(forged_path, sizeof(forged_path), "%s/forged.cert", dir);
		snprintf(real_path, sizeof(real_path), "%s/real.cert", dir);
		file = fopen(forged_path, "w");
		CHECK(file != NULL && fwrite(forged, 1, forged_len, file) == forged_len);
		fclose(file);
		file = fopen(real_path, "w");
		CHECK(file != NULL && fwrite(doc, 1, len, file) == len);
		fclose(file);
		free(forged);

		run_program(no_key, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 3);
		CHECK(strstr(run.out, "good") == NULL);
		CHECK_CONTAINS(run.out, ": NOT CHECKED: who issued it is unknown (no --key)\n");
		CHECK_CONTAINS(run.out,
		               "  claims:     2026-11-18T11:06:40Z at HMP Moorland (MDI)\n");
		CHECK_STR(run.err, "");
		run_result_release(&run);
		run_program(as_json, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 3);
		CHECK_CONTAINS(run.out, "\"ok\": false");
		CHECK_CONTAINS(run.out, "\"status\": \"not checked\"");
		CHECK_CONTAINS(run.out, "\"issuer_checked\": false");
		run_result_release(&run);
		/* With HMP Moorland's real key it is what it is: not theirs. */
		run_program(with_key, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 1);
		CHECK_CONTAINS(run.err, "not a good certificate");
		CHECK(strstr(run.out, "good") == NULL);
		run_result_release(&run);
		run_program(real, NULL, NULL, 30000, &run);
		CHECK_INT(run.status, 0);
		CHECK_CONTAINS(run.out, ": good\n");
		CHECK_CONTAINS(run.out,
		               "  issued:     2026-11-18T11:06:40Z at HMP Moorland (MDI)\n");
		run_result_release(&run);
		unlink(forged_path);
		unlink(real_path);
	}

	test_step("times");
	CHECK_INT(coursecert_time_parse("2026-02-30T00:00:00Z", &t), -EBADMSG);
	CHECK_INT(coursecert_time_parse("2026-02-28T23:59:59Z", &t), 0);
	CHECK_INT(t, 1772323199);

	free(doc);
	coursecert_key_free(key);
	coursecert_key_free(other);
	unlink(path);
	unlink(pub_path);
	rmdir(dir);
	printf("test-learning-coursecert: OK\n");
	return 0;
}
