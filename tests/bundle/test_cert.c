/*
 * test_cert.c: certificates and identities. Saving and loading (file modes, never
 * overwriting, a key file others can read, keys that do not match); the strict certificate
 * parser, one refusal per rule; fingerprints; verification and trust (self-signed, issued
 * by a root, expired); issuing; the time format and the name rule.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

static char *
path_in(const char *dir, const char *file)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return path;
}

static unsigned
mode_of(const char *path)
{
	struct stat st;

	CHECK(stat(path, &st) == 0);
	return st.st_mode & 07777;
}

static void
test_save_load(void)
{
	struct bundle_identity *id = fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
	struct bundle_identity *other = fix_identity("BXI", "HMP Brixton", BUNDLE_KIND_PRISON);
	struct bundle_identity *loaded = (void *)0x1;
	struct bundle_error err = {0};
	char *tmp = fix_tempdir(), dir[PATH_MAX], dir2[PATH_MAX];

	test_step("save: folder 0700, identity.pem 0600, cert.json 0644; load gives the same");
	snprintf(dir, sizeof(dir), "%s/MDI", tmp);
	CHECK_INT(bundle_identity_save(id, dir, &err), 0);
	CHECK_INT(mode_of(dir), 0700);
	CHECK_INT(mode_of(path_in(dir, "identity.pem")), 0600);
	CHECK_INT(mode_of(path_in(dir, "cert.json")), 0644);
	CHECK_INT(bundle_identity_load(dir, &loaded, &err), 0);
	CHECK_STR(bundle_cert_fingerprint(bundle_identity_cert(loaded)),
	          bundle_cert_fingerprint(bundle_identity_cert(id)));
	{
		/* The loaded keys work: a bundle sealed by the loaded identity opens. */
		const struct bundle_cert *trusted[] = {bundle_identity_cert(id)};
		void *b, *p;
		size_t bl, pl;

		CHECK_INT(bundle_seal(loaded, bundle_identity_cert(other), "hello", 5, FIX_NOW, &b,
		                      &bl, NULL, &err),
		          0);
		CHECK_INT(bundle_open(other, trusted, 1, b, bl, FIX_NOW, &p, &pl, NULL, &err), 0);
		CHECK_INT(pl, 5);
		bundle_buffer_free(p, pl);
		free(b);
	}
	bundle_identity_free(loaded);

	test_step("save never overwrites");
	CHECK_INT(bundle_identity_save(id, dir, &err), -EEXIST);
	CHECK_INT(bundle_cert_save(bundle_identity_cert(id), path_in(dir, "cert.json"), &err),
	          -EEXIST);

	test_step("identity.pem readable by group: refused");
	CHECK(chmod(path_in(dir, "identity.pem"), 0640) == 0);
	loaded = (void *)0x1;
	CHECK_INT(bundle_identity_load(dir, &loaded, &err), -EPERM);
	CHECK(loaded == (void *)0x1);
	CHECK_CONTAINS(err.message, "must be 0600");
	CHECK(chmod(path_in(dir, "identity.pem"), 0600) == 0);

	test_step("another identity's certificate with these keys: refused");
	snprintf(dir2, sizeof(dir2), "%s/BXI", tmp);
	CHECK_INT(bundle_identity_save(other, dir2, &err), 0);
	CHECK(unlink(path_in(dir, "cert.json")) == 0);
	CHECK_INT(bundle_cert_save(bundle_identity_cert(other), path_in(dir, "cert.json"), &err),
	          0);
	CHECK_INT(bundle_identity_load(dir, &loaded, &err), -EKEYREJECTED);
	CHECK_CONTAINS(err.message, "do not match");

	test_step("a missing folder");
	CHECK_INT(bundle_identity_load(path_in(tmp, "nowhere"), &loaded, &err), -ENOENT);

	test_step("a root's identity holds one key and loads");
	{
		struct bundle_identity *root = fix_identity("GBR", "Root", BUNDLE_KIND_ROOT);
		char rdir[PATH_MAX];

		snprintf(rdir, sizeof(rdir), "%s/root", tmp);
		CHECK_INT(bundle_identity_save(root, rdir, &err), 0);
		CHECK_INT(bundle_identity_load(rdir, &loaded, &err), 0);
		CHECK_INT(bundle_cert_kind(bundle_identity_cert(loaded)), BUNDLE_KIND_ROOT);
		bundle_identity_free(loaded);
		test_step("a root certificate beside an establishment's two keys: refused");
		CHECK(unlink(path_in(rdir, "identity.pem")) == 0);
		{
			char *pem;
			size_t pl;
			uint8_t *data;
			FILE *f;

			CHECK_INT(bundle__file_read(path_in(dir2, "identity.pem"), KEY_FILE_MAX,
			                            true, &pem, &pl, &err),
			          0);
			data = (uint8_t *)pem;
			f = fopen(path_in(rdir, "identity.pem"), "w");
			CHECK(f != NULL);
			CHECK(fwrite(data, 1, pl, f) == pl);
			fclose(f);
			CHECK(chmod(path_in(rdir, "identity.pem"), 0600) == 0);
			free(pem);
		}
		CHECK_INT(bundle_identity_load(rdir, &loaded, &err), -EBADMSG);
		bundle_identity_free(root);
	}

	fix_rmtree(tmp);
	free(tmp);
	bundle_identity_free(id);
	bundle_identity_free(other);
}

/* The certificate as compact JSON with one textual substitution; NULL if from not found. */
static char *
edited(const struct bundle_cert *cert, const char *from, const char *to)
{
	char *json, *at, *out;
	size_t len;

	CHECK_INT(bundle_cert_serialize(cert, &json, &len, NULL), 0);
	at = strstr(json, from);
	if (!at) {
		free(json);
		return NULL;
	}
	out = malloc(len + strlen(to) + 1);
	CHECK(out != NULL);
	memcpy(out, json, (size_t)(at - json));
	strcpy(out + (at - json), to);
	strcat(out, at + strlen(from));
	free(json);
	return out;
}

static void
expect_parse(const char *text, int code, const char *needle)
{
	struct bundle_cert *c = (void *)0x1;
	struct bundle_error err = {0};
	int r = bundle_cert_parse(text, strlen(text), &c, &err);

	if (r != code)
		check_failed(__FILE__, __LINE__, "parse of %.200s: %s (%s), expected %s", text,
		             fix_errname(r), err.message, fix_errname(code));
	if (r == 0) {
		bundle_cert_free(c);
		return;
	}
	CHECK(c == (void *)0x1);
	if (needle)
		CHECK_CONTAINS(err.message, needle);
}

static void
expect_edit(const struct bundle_cert *cert, const char *from, const char *to, int code,
            const char *needle)
{
	char *text = edited(cert, from, to);

	if (!text)
		check_failed(__FILE__, __LINE__, "\"%s\" not in the certificate", from);
	expect_parse(text, code, needle);
	free(text);
}

static void
test_parse_strict(void)
{
	struct bundle_identity *id = fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
	struct bundle_identity *root = fix_identity("GBR", "Root", BUNDLE_KIND_ROOT);
	const struct bundle_cert *c = bundle_identity_cert(id);
	char serial[80], big[CERT_FILE_MAX + 2];

	test_step("the certificate as written parses");
	expect_edit(c, "\"code\"", "\"code\"", 0, NULL);
	test_step("each rule of the strict parser");
	expect_parse("", -EBADMSG, "not valid JSON");
	expect_parse("[1]", -EBADMSG, "not a JSON object");
	expect_edit(c, "{", "{\"extra\":1,", -EBADMSG, "unknown field \"extra\"");
	expect_edit(c, "{", "{\"code\":\"MDI\",", -EBADMSG, "not valid JSON");
	expect_edit(c, "\"onward_cert\":1", "\"onward_cert\":2", -EBADMSG,
	            "not an Onward certificate");
	expect_edit(c, "\"onward_cert\":1,", "", -EBADMSG, "not an Onward certificate");
	expect_edit(c, "\"code\":\"MDI\"", "\"code\":\"mdi\"", -EBADMSG, "\"code\"");
	expect_edit(c, "\"code\":\"MDI\"", "\"code\":\"MDIX\"", -EBADMSG, "\"code\"");
	expect_edit(c, "\"code\":\"MDI\",", "", -EBADMSG, "missing field \"code\"");
	expect_edit(c, "\"code\":\"MDI\"", "\"code\":3", -EBADMSG, "not a string");
	expect_edit(c, "HMP Moorland", "HMP\\u0007Moorland", -EBADMSG, "\"name\"");
	expect_edit(c, "HMP Moorland", " HMP Moorland", -EBADMSG, "\"name\"");
	expect_edit(c, "HMP Moorland", "", -EBADMSG, "\"name\"");
	expect_edit(c, "\"kind\":\"prison\"", "\"kind\":\"Prison\"", -EBADMSG, "\"kind\"");
	snprintf(serial, sizeof(serial), "\"serial\":\"%s\"", bundle_cert_serial(c));
	expect_edit(c, serial, "\"serial\":\"ABCDEF0123456789ABCDEF0123456789\"", -EBADMSG,
	            "\"serial\"");
	expect_edit(c, serial, "\"serial\":\"abcd\"", -EBADMSG, "\"serial\"");
	expect_edit(c, "\"not_before\":\"2026-01-01T00:00:00Z\"",
	            "\"not_before\":\"2026-02-30T00:00:00Z\"", -EBADMSG, "\"not_before\"");
	expect_edit(c, "\"not_before\":\"2026-01-01T00:00:00Z\"",
	            "\"not_before\":\"2026-01-01 00:00:00\"", -EBADMSG, "\"not_before\"");
	expect_edit(c, "\"not_before\":\"2026-01-01T00:00:00Z\"",
	            "\"not_before\":\"2028-01-01T00:00:00Z\"", -EBADMSG, "before");
	expect_edit(c, "\"issuer\":\"self\"", "\"issuer\":\"SELF\"", -EBADMSG, "\"issuer\"");
	expect_edit(c, "\"encrypt_key\":", "\"encrypt_kex\":", -EBADMSG, "unknown field");
	expect_edit(bundle_identity_cert(root),
	            "\"sign_key\":", "\"encrypt_key\":\"00\",\"sign_key\":", -EBADMSG,
	            "a root has no");
	expect_edit(
	        bundle_identity_cert(root), "\"issuer\":\"self\"",
	        "\"issuer\":\"0000000000000000000000000000000000000000000000000000000000000000\"",
	        -EBADMSG, "a root must be self-signed");
	expect_edit(c, "}", "} x", -EBADMSG, "not valid JSON");
	test_step("upper-case hex in a key");
	{
		char *json, *at;
		size_t len;

		CHECK_INT(bundle_cert_serialize(c, &json, &len, NULL), 0);
		at = strstr(json, "\"sign_key\":\"") + strlen("\"sign_key\":\"");
		for (int i = 0; i < 64; i++)
			if (at[i] >= 'a' && at[i] <= 'f')
				at[i] = (char)(at[i] - 'a' + 'A');
		expect_parse(json, -EBADMSG, "\"sign_key\"");
		free(json);
	}
	test_step("over 16 KiB: refused before parsing");
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_parse(big, -EFBIG, "limit");
	bundle_identity_free(id);
	bundle_identity_free(root);
}

static void
test_fingerprint(void)
{
	struct bundle_identity *id = fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
	const struct bundle_cert *c = bundle_identity_cert(id);
	struct bundle_cert *again = NULL;
	struct bundle_error err = {0};
	uint8_t fp[32];
	char hex[65], *tbs, *json;
	size_t len;

	test_step("fingerprint = SHA-256 of the signed bytes, whatever the JSON's layout");
	CHECK_INT(bundle__cert_tbs(c, &tbs, &len), 0);
	CHECK(strncmp(tbs, "onward-cert-v1\nserial=", 22) == 0);
	CHECK_CONTAINS(tbs, "\ncode=MDI\nname=HMP Moorland\nkind=prison\n");
	CHECK_CONTAINS(tbs, "\nnot_before=2026-01-01T00:00:00Z\nnot_after=2027-12-31T23:59:59Z\n"
	                    "issuer=self\n");
	CHECK_INT(crypto_sha256(tbs, len, fp), 0);
	crypto_hex_encode(fp, 32, hex);
	CHECK_STR(bundle_cert_fingerprint(c), hex);
	free(tbs);
	json = edited(c, ",", " ,\n\t ");
	CHECK_INT(bundle_cert_parse(json, strlen(json), &again, &err), 0);
	CHECK_STR(bundle_cert_fingerprint(again), hex);
	bundle_cert_free(again);
	free(json);
	bundle_identity_free(id);
}

static void
test_verify_and_trust(void)
{
	struct bundle_identity *id = fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
	struct bundle_identity *root =
	        fix_identity("GBR", "Onward national root", BUNDLE_KIND_ROOT);
	struct bundle_identity *root2 =
	        fix_identity("GBR", "Onward national root", BUNDLE_KIND_ROOT);
	const struct bundle_cert *c = bundle_identity_cert(id);
	struct bundle_cert *issued = NULL, *tampered = NULL, *dup = NULL;
	struct bundle_error err = {0};
	char *json;

	test_step("self-signed: verifies; altered name: refused; expired: refused with its date");
	CHECK_INT(bundle_cert_verify(c, NULL, FIX_NOW, &err), 0);
	json = edited(c, "HMP Moorland", "HMP Moorlands");
	CHECK_INT(bundle_cert_parse(json, strlen(json), &tampered, &err), 0);
	free(json);
	CHECK_INT(bundle_cert_verify(tampered, NULL, FIX_NOW, &err), -EKEYREJECTED);
	CHECK_CONTAINS(err.message, "self-signature does not verify");
	CHECK(strcmp(bundle_cert_fingerprint(tampered), bundle_cert_fingerprint(c)) != 0);
	CHECK_INT(bundle_cert_verify(c, NULL, FIX_NOT_AFTER + 1, &err), -EKEYEXPIRED);
	CHECK_STR(err.message, "the certificate of MDI expired on 2027-12-31T23:59:59Z");
	CHECK_INT(err.when, FIX_NOT_AFTER);

	test_step("issued by a root: verifies against it, not against another or alone");
	CHECK_INT(bundle_cert_issue(root, c, FIX_NOT_BEFORE, FIX_NOW + 10, &issued, &err), 0);
	CHECK_STR(bundle_cert_issuer(issued), bundle_cert_fingerprint(bundle_identity_cert(root)));
	CHECK(strcmp(bundle_cert_serial(issued), bundle_cert_serial(c)) != 0);
	CHECK_INT(bundle_cert_verify(issued, bundle_identity_cert(root), FIX_NOW, &err), 0);
	CHECK_INT(bundle_cert_verify(issued, bundle_identity_cert(root2), FIX_NOW, &err),
	          -EKEYREJECTED);
	CHECK_INT(bundle_cert_verify(issued, NULL, FIX_NOW, &err), -EKEYREJECTED);
	CHECK_CONTAINS(err.message, "was issued by root");
	CHECK_INT(bundle_cert_verify(issued, bundle_identity_cert(root), FIX_NOW + 11, &err),
	          -EKEYEXPIRED);

	test_step("trust: pinned, through the root, untrusted, expired");
	{
		const struct bundle_cert *pinned[] = {c};
		const struct bundle_cert *roots[] = {bundle_identity_cert(root2),
		                                     bundle_identity_cert(root)};
		const struct bundle_cert *wrong[] = {bundle_identity_cert(root2)};

		CHECK_INT(bundle_cert_check_trust(c, pinned, 1, FIX_NOW, &err), 0);
		CHECK_INT(bundle_cert_check_trust(issued, roots, 2, FIX_NOW, &err), 0);
		CHECK_INT(bundle_cert_check_trust(issued, wrong, 1, FIX_NOW, &err), -EKEYREJECTED);
		CHECK_INT(bundle_cert_check_trust(c, roots, 2, FIX_NOW, &err), -EKEYREJECTED);
		CHECK_CONTAINS(err.message, "MDI (HMP Moorland) is not trusted here");
		CHECK_INT(bundle_cert_check_trust(issued, roots, 2, FIX_NOW + 11, &err),
		          -EKEYEXPIRED);
		CHECK_INT(bundle_cert_check_trust(tampered, pinned, 1, FIX_NOW, &err),
		          -EKEYREJECTED);
	}

	test_step("issue: refusals");
	{
		struct bundle_cert *out = (void *)0x1;

		CHECK_INT(bundle_cert_issue(id, c, FIX_NOT_BEFORE, FIX_NOW, &out, &err), -EINVAL);
		CHECK_CONTAINS(err.message, "not a root");
		CHECK_INT(bundle_cert_issue(root, issued, FIX_NOT_BEFORE, FIX_NOW, &out, &err),
		          -EINVAL);
		CHECK_INT(bundle_cert_issue(root, tampered, FIX_NOT_BEFORE, FIX_NOW, &out, &err),
		          -EKEYREJECTED);
		CHECK_INT(bundle_cert_issue(root, c, FIX_NOT_BEFORE, FIX_NOT_AFTER + 1, &out, &err),
		          -EINVAL);
		CHECK_INT(bundle_cert_issue(root, c, FIX_NOW, FIX_NOW - 1, &out, &err), -EINVAL);
		CHECK(out == (void *)0x1);
	}

	test_step("an identity takes its root-issued certificate; not another's");
	CHECK_INT(bundle_identity_set_cert(id, issued, &err), 0);
	CHECK_STR(bundle_cert_fingerprint(bundle_identity_cert(id)),
	          bundle_cert_fingerprint(issued));
	CHECK_INT(bundle_identity_set_cert(id, bundle_identity_cert(root), &err), -EKEYREJECTED);
	CHECK_INT(bundle_cert_dup(issued, &dup), 0);
	CHECK_STR(bundle_cert_fingerprint(dup), bundle_cert_fingerprint(issued));

	bundle_cert_free(dup);
	bundle_cert_free(issued);
	bundle_cert_free(tampered);
	bundle_identity_free(id);
	bundle_identity_free(root);
	bundle_identity_free(root2);
}

static void
test_generate_refusals(void)
{
	struct bundle_identity *id = (void *)0x1;
	struct bundle_error err = {0};
	char long_name[BUNDLE_NAME_MAX + 2];

	test_step("generate: bad code, name, kind, validity");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	CHECK_INT(bundle_identity_generate("MD", "x", BUNDLE_KIND_PRISON, 0, 1, &id, &err),
	          -EINVAL);
	CHECK_INT(bundle_identity_generate("MDI", long_name, BUNDLE_KIND_PRISON, 0, 1, &id, &err),
	          -EINVAL);
	CHECK_INT(bundle_identity_generate("MDI", "x", (enum bundle_kind)9, 0, 1, &id, &err),
	          -EINVAL);
	CHECK_INT(bundle_identity_generate("MDI", "x", BUNDLE_KIND_PRISON, 10, 9, &id, &err),
	          -EINVAL);
	CHECK(id == (void *)0x1);
	long_name[BUNDLE_NAME_MAX] = '\0';
	CHECK_INT(bundle_identity_generate("MDI", long_name, BUNDLE_KIND_PRISON, 0, 1, &id, &err),
	          0);
	bundle_identity_free(id);
	bundle_identity_free(NULL);
	bundle_cert_free(NULL);
	bundle_buffer_free(NULL, 10);
}

static void
test_time_and_names(void)
{
	static const char *bad_times[] = {"1969-12-31T23:59:59Z", "2026-02-29T00:00:00Z",
	                                  "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
	                                  "2026-01-01T00:00:60Z", "2026-01-01T00:00:00z",
	                                  "2026-1-01T00:00:00Z",  "2026-01-01T00:00:00Z ",
	                                  "+026-01-01T00:00:00Z", ""};
	static const char *bad_names[] = {
	        "",     " HMP",     "HMP ",         "a\tb",     "a\x7f",
	        "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xc2\x85", "\xf4\x90\x80\x80"};
	char text[BUNDLE_TIME_MAX];
	int64_t t;

	test_step("times: round trip, leap days, the range, strictness");
	CHECK_INT(bundle_time_parse("1970-01-01T00:00:00Z", &t), 0);
	CHECK_INT(t, 0);
	CHECK_INT(bundle_time_parse("2024-02-29T12:34:56Z", &t), 0);
	CHECK_INT(bundle_time_format(t, text), 0);
	CHECK_STR(text, "2024-02-29T12:34:56Z");
	CHECK_INT(bundle_time_parse("2000-02-29T00:00:00Z", &t), 0);
	CHECK_INT(bundle_time_parse("9999-12-31T23:59:59Z", &t), 0);
	CHECK_INT(t, BUNDLE_TIME_LIMIT);
	CHECK_INT(bundle_time_format(t, text), 0);
	CHECK_STR(text, "9999-12-31T23:59:59Z");
	CHECK_INT(bundle_time_format(-1, text), -EINVAL);
	CHECK_INT(bundle_time_parse("2100-02-29T00:00:00Z", &t), -EINVAL);
	for (size_t i = 0; i < sizeof(bad_times) / sizeof(bad_times[0]); i++)
		if (bundle_time_parse(bad_times[i], &t) != -EINVAL)
			check_failed(__FILE__, __LINE__, "time \"%s\" accepted", bad_times[i]);
	for (int64_t s = 0; s < BUNDLE_TIME_LIMIT; s += 86400 * 97 + 3601) {
		CHECK_INT(bundle_time_format(s, text), 0);
		CHECK_INT(bundle_time_parse(text, &t), 0);
		CHECK_INT(t, s);
	}
	test_step("names: UTF-8 text, no controls, no edge spaces");
	CHECK(bundle__name_valid("HMP & YOI Cookham Wood"));
	CHECK(bundle__name_valid("Carchar Ei Fawrhydi Caerdydd \xe2\x80\x94 Ll\xc5\xb7n"));
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++)
		if (bundle__name_valid(bad_names[i]))
			check_failed(__FILE__, __LINE__, "name %zu accepted", i);
	test_step("kinds");
	{
		enum bundle_kind k;

		CHECK_INT(bundle_kind_parse("probation", &k), 0);
		CHECK_INT(k, BUNDLE_KIND_PROBATION);
		CHECK_INT(bundle_kind_parse("Prison", &k), -EINVAL);
		CHECK(bundle_kind_name((enum bundle_kind)0) == NULL);
	}
}

int
main(void)
{
	test_save_load();
	test_parse_strict();
	test_fingerprint();
	test_verify_and_trust();
	test_generate_refusals();
	test_time_and_names();
	return 0;
}
