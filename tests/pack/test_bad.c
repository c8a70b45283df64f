/*
 * test_bad.c: every kind of bad pack, each in its own test, asserting the exact error and
 * that no pack comes back. Most bad packs are made signed with the provider's real key, so
 * that the check under test, not the signature, is what refuses them. The envelope's tests
 * also count libzip's opens (pack__zip_open_count): a pack from an unknown signer, or with
 * any byte changed, is refused before the zip parser is reached at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "fixture.h"
#include "harness.h"
#include "pack_int.h"

#define SENTINEL ((struct pack *)0x1)

/* Opens data expecting failure with code and message, and that *ret stays untouched. */
static void
expect_fail(struct fx *fx, const void *data, size_t len, int code, const char *message)
{
	struct pack_error err = {0};
	struct pack *pack = SENTINEL;
	int rc = fx_open(fx, data, len, &pack, &err);

	CHECK_ERR(err, rc, code, message);
	CHECK(pack == SENTINEL);
}

/* Makes a pack from the good files with one change applied by the caller. */
static void
expect_files_fail(struct fx *fx, const struct fx_file *files, size_t count,
                  const struct fx_opts *opts, int code, const char *message)
{
	void *data;
	size_t len;

	fx_pack(fx, files, count, opts, &data, &len);
	expect_fail(fx, data, len, code, message);
	free(data);
}

TEST(good_pack_opens)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack *pack = NULL;
	void *data;
	size_t len;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	CHECK(fx_open(&fx, data, len, &pack, &err) == 0);
	CHECK(pack != NULL);
	pack_free(pack);
	free(data);
	fx_fini(&fx);
}

/* Every single byte changed, anywhere in the pack, must make it fail. */
static void
sweep(uint8_t mask)
{
	struct fx fx;
	uint8_t *data;
	size_t len, refused = 0;

	fx_init(&fx);
	fx_good_pack(&fx, (void **)&data, &len);
	for (size_t i = 0; i < len; i++) {
		struct pack_error err = {0};
		struct pack *pack = SENTINEL;

		data[i] ^= mask;
		if (fx_open(&fx, data, len, &pack, &err) < 0 && pack == SENTINEL && err.code < 0 &&
		    err.message[0] != '\0')
			refused++;
		else
			fprintf(stderr, "byte %zu ^ 0x%02x was accepted\n", i, mask);
		data[i] ^= mask;
	}
	CHECK(refused == len);
	free(data);
	fx_fini(&fx);
}

TEST(every_byte_flip_low_bit_fails)
{
	sweep(0x01);
}

TEST(every_byte_flip_high_bit_fails)
{
	sweep(0x80);
}

TEST(truncated_and_extended_packs_fail)
{
	struct fx fx;
	uint8_t *data, *longer;
	size_t len;

	fx_init(&fx);
	fx_good_pack(&fx, (void **)&data, &len);
	for (size_t cut = 0; cut < len; cut += 1 + cut / 8) {
		struct pack_error err = {0};
		struct pack *pack = SENTINEL;

		CHECK(fx_open(&fx, data, cut, &pack, &err) < 0 && pack == SENTINEL);
	}
	longer = malloc(len + 200);
	memcpy(longer, data, len);
	memcpy(longer + len, data + len - 200, 200); /* the zip's last bytes again, at the end */
	for (size_t extra = 1; extra <= 200; extra += 17) {
		struct pack_error err = {0};
		struct pack *pack = SENTINEL;

		CHECK(fx_open(&fx, longer, len + extra, &pack, &err) < 0 && pack == SENTINEL);
	}
	free(longer);
	free(data);
	fx_fini(&fx);
}

TEST(signed_by_uncertified_key)
{
	struct fx fx;
	struct pack_key *other;
	struct pack_error err = {0};
	unsigned long opens;

	fx_init(&fx);
	CHECK(pack_key_generate(&other, &err) == 0);
	struct fx_opts opts = {.sign_key = other};
	opens = pack__zip_open_count();
	expect_files_fail(&fx, fx.files, fx.file_count, &opts, -EKEYREJECTED,
	                  "signature does not verify with the provider key (the pack was changed "
	                  "after signing, or signed by another key)");
	CHECK(pack__zip_open_count() == opens); /* refused before libzip saw a byte */
	pack_key_free(other);
	fx_fini(&fx);
}

TEST(unknown_signer_never_reaches_the_zip)
{
	struct fx fx;
	struct pack_key *other_root;
	struct pack_cert *cert;
	struct pack_error err = {0};
	unsigned long opens;
	void *data;
	size_t len;

	/* A certificate from a root this device does not trust, on an otherwise good pack. */
	fx_init(&fx);
	CHECK(pack_key_generate(&other_root, &err) == 0);
	CHECK(pack_cert_issue(other_root, fx.provider, "example-college", "Example College",
	                      pack_cert_not_before(fx.cert), pack_cert_not_after(fx.cert), &cert,
	                      &err) == 0);
	pack_cert_free(fx.cert);
	fx.cert = cert;
	fx_good_pack(&fx, &data, &len);
	opens = pack__zip_open_count();
	CHECK(fx_open(&fx, data, len, &(struct pack *){NULL}, &err) == -EKEYREJECTED);
	CHECK(pack__zip_open_count() == opens);
	free(data);
	pack_key_free(other_root);
	fx_fini(&fx);
}

/* An envelope around bytes that are no zip at all, with a signature that does not hold. */
TEST(garbage_zip_with_a_wrong_signature_fails_on_the_signature)
{
	struct fx fx;
	struct pack_error err = {0};
	char *cert, garbage[4096];
	size_t cert_len, len;
	unsigned long opens;
	uint8_t *data;

	fx_init(&fx);
	memset(garbage, 0xa5, sizeof(garbage));
	CHECK(pack__cert_to_json(fx.cert, &cert, &cert_len, &err) == 0);
	CHECK(pack__envelope_wrap(garbage, sizeof(garbage), cert, cert_len, fx.provider,
	                          (void **)&data, &len, &err) == 0);
	data[PACK_HEADER_LEN + cert_len] ^= 0x01; /* the signature's first byte */
	opens = pack__zip_open_count();
	expect_fail(&fx, data, len, -EKEYREJECTED,
	            "signature does not verify with the provider key (the pack was changed "
	            "after signing, or signed by another key)");
	CHECK(pack__zip_open_count() == opens);
	/* Signed properly, the same garbage reaches libzip, which refuses it. */
	fx_resign(&fx, data, len);
	expect_fail(&fx, data, len, -EBADMSG, "not a valid pack: Not a zip archive");
	CHECK(pack__zip_open_count() == opens + 1);
	free(data);
	free(cert);
	fx_fini(&fx);
}

TEST(format_1_pack_refused_with_words)
{
	struct fx fx;
	uint8_t *data;
	size_t len, off;
	unsigned long opens;

	/* A format 1 pack was a bare zip: the zip inside a good pack stands in for one. */
	fx_init(&fx);
	fx_good_pack(&fx, (void **)&data, &len);
	off = fx_zip_offset(data, len);
	opens = pack__zip_open_count();
	expect_fail(&fx, data + off, len - off, -ENOTSUP,
	            "this is a format 1 course pack, which is no longer accepted: rebuild it with "
	            "the current onward-pack (onward-pack build)");
	CHECK(pack__zip_open_count() == opens);
	free(data);
	fx_fini(&fx);
}

TEST(envelope_header_checked)
{
	struct fx fx;
	uint8_t *data;
	size_t len;

	fx_init(&fx);
	fx_good_pack(&fx, (void **)&data, &len);
	data[8 + 3] = 3; /* format 3 */
	expect_fail(&fx, data, len, -ENOTSUP,
	            "course pack format 3 is not one this version reads (it reads format 2)");
	data[8 + 3] = 2;
	memcpy(data + 12, "\0\0\x10\x01", 4); /* a 4097-byte certificate */
	expect_fail(&fx, data, len, -EBADMSG,
	            "the pack's certificate is 4097 bytes; it must be 1-4096 bytes");
	memcpy(data + 12, "\0\0\0\0", 4);
	expect_fail(&fx, data, len, -EBADMSG,
	            "the pack's certificate is 0 bytes; it must be 1-4096 bytes");
	memcpy(data + 12, "\x7f\0\0\0", 4);
	expect_fail(&fx, data, len, -EBADMSG,
	            "the pack's certificate is 2130706432 bytes; it must be 1-4096 bytes");
	free(data);
	fx_fini(&fx);
}

TEST(certificate_expired)
{
	struct fx fx;
	void *data;
	size_t len;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	CHECK(pack_time_parse("2027-01-01", false, &fx.at) == 0);
	expect_fail(&fx, data, len, -EKEYEXPIRED, "certificate expired on 2026-12-31");
	/* The last second of the last day is still valid. */
	CHECK(pack_time_parse("2026-12-31T23:59:59Z", false, &fx.at) == 0);
	struct pack *pack = NULL;
	struct pack_error err = {0};
	CHECK(fx_open(&fx, data, len, &pack, &err) == 0);
	pack_free(pack);
	free(data);
	fx_fini(&fx);
}

TEST(certificate_not_yet_valid)
{
	struct fx fx;
	void *data;
	size_t len;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	CHECK(pack_time_parse("2025-12-31T23:59:59Z", false, &fx.at) == 0);
	expect_fail(&fx, data, len, -EKEYEXPIRED, "certificate is not valid until 2026-01-01");
	free(data);
	fx_fini(&fx);
}

TEST(certificate_from_another_root)
{
	struct fx fx;
	struct pack_key *other_root;
	struct pack_cert *cert;
	struct pack_error err = {0};
	char want[PACK_ERROR_MAX], other_id[PACK_KEY_ID_MAX], root_id[PACK_KEY_ID_MAX];
	char *json;
	size_t json_len;

	fx_init(&fx);
	CHECK(pack_key_generate(&other_root, &err) == 0);
	CHECK(pack_cert_issue(other_root, fx.provider, "example-college", "Example College",
	                      pack_cert_not_before(fx.cert), pack_cert_not_after(fx.cert), &cert,
	                      &err) == 0);
	pack_key_id(other_root, other_id);
	pack_key_id(fx.root, root_id);
	pack_cert_free(fx.cert);
	fx.cert = cert;
	snprintf(want, sizeof(want),
	         "certificate was issued by root key %s, not by the trusted root %s", other_id,
	         root_id);
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EKEYREJECTED, want);

	/* The same certificate claiming to be from our root: its signature gives it away. */
	CHECK(pack__cert_to_json(cert, &json, &json_len, &err) == 0);
	CHECK(fx_patch(json, json_len, other_id, root_id, strlen(root_id)) == 1);
	struct fx_opts opts = {.cert_json = json};
	expect_files_fail(&fx, fx.files, fx.file_count, &opts, -EKEYREJECTED,
	                  "certificate signature does not verify with the trust root");
	free(json);
	pack_key_free(other_root);
	fx_fini(&fx);
}

TEST(certificate_for_another_provider)
{
	struct fx fx;
	static const char manifest_course[] =
	        "{\"format\": 1, \"id\": \"x\", \"version\": \"1.0.0\", \"title\": \"T\", "
	        "\"provider\": {\"id\": \"someone-else\", \"name\": \"Someone Else\"}, "
	        "\"level\": \"entry1\", \"language\": \"en\", \"minutes\": 1, \"modules\": "
	        "[{\"id\": \"m\", \"title\": \"M\", \"minutes\": 1, \"pages\": [\"a.md\"]}], "
	        "\"files\": [{\"name\": \"a.md\", \"size\": 2, \"sha256\": "
	        "\"2cd5f3eef8a3a24ae2d1a8b2ab6f33e45fc7e2d9ba6eb2f38f85f8d0b2e4c0a4\"}]}";

	fx_init(&fx);
	struct fx_opts opts = {.manifest = manifest_course};
	struct fx_file a = {"a.md", "a\n", 2};
	expect_files_fail(&fx, &a, 1, &opts, -EKEYREJECTED,
	                  "the manifest names provider someone-else but the certificate is for "
	                  "example-college");
	fx_fini(&fx);
}

TEST(certificate_names_the_provider_differently)
{
	struct fx fx;
	static const char manifest_course[] =
	        "{\"format\": 1, \"id\": \"x\", \"version\": \"1.0.0\", \"title\": \"T\", "
	        "\"provider\": {\"id\": \"example-college\", \"name\": \"Example Colleges\"}, "
	        "\"level\": \"entry1\", \"language\": \"en\", \"minutes\": 1, \"modules\": "
	        "[{\"id\": \"m\", \"title\": \"M\", \"minutes\": 1, \"pages\": [\"a.md\"]}], "
	        "\"files\": [{\"name\": \"a.md\", \"size\": 2, \"sha256\": "
	        "\"2cd5f3eef8a3a24ae2d1a8b2ab6f33e45fc7e2d9ba6eb2f38f85f8d0b2e4c0a4\"}]}";

	/* Same id, another name: the message must say which, not "X but X". */
	fx_init(&fx);
	struct fx_opts opts = {.manifest = manifest_course};
	struct fx_file a = {"a.md", "a\n", 2};
	expect_files_fail(&fx, &a, 1, &opts, -EKEYREJECTED,
	                  "the manifest calls provider example-college \"Example Colleges\" but "
	                  "its certificate names it \"Example College\"");
	fx_fini(&fx);
}

TEST(file_listed_but_missing)
{
	struct fx fx;

	fx_init(&fx);
	fx.files[3].missing = true;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -ENOENT,
	                  "quizzes/check.json: listed in the manifest but missing from the pack");
	fx_fini(&fx);
}

TEST(file_present_but_unlisted)
{
	struct fx fx;

	fx_init(&fx);
	fx.files[fx.file_count++] =
	        (struct fx_file){"pages/extra.md", "# Extra\n", 8, .unlisted = true};
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/extra.md: present in the pack but not listed in the manifest");
	fx_fini(&fx);
}

TEST(stored_entry_crc_mismatch)
{
	struct fx fx;
	uint8_t *data;
	size_t len;

	/* A stored page changed in place, and the pack signed again: the zip's CRC differs. */
	fx_init(&fx);
	fx.files[1].store = true;
	fx_pack(&fx, fx.files, fx.file_count, NULL, (void **)&data, &len);
	CHECK(fx_patch(data, len, "Save", "Safe", 4) == 1);
	fx_resign(&fx, data, len);
	expect_fail(&fx, data, len, -EBADMSG, "pages/02-money.md: CRC does not match its data");
	free(data);
	fx_fini(&fx);
}

TEST(sha256_mismatch)
{
	struct fx fx;
	static const char other[] = "# Intro\n"
	                            "\n"
	                            "Hello *World*, this is **bold**.\n"
	                            "\n"
	                            "- one\n"
	                            "- two\n"
	                            "  1. nested\n";

	/* Signed and consistent as a zip, but the page is not the one the manifest lists. */
	fx_init(&fx);
	CHECK(strlen(other) == strlen(FX_PAGE_INTRO));
	fx.files[0].listed_as = FX_PAGE_INTRO;
	fx.files[0].data = other;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/01-intro.md: SHA-256 does not match the manifest");
	fx_fini(&fx);
}

TEST(path_traversal_in_zip)
{
	struct fx fx;

	fx_init(&fx);
	fx.files[fx.file_count++] = (struct fx_file){"../evil.md", "# x\n", 4};
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "../evil.md: '..' is not allowed in file names");
	fx_fini(&fx);
}

TEST(path_traversal_inside_a_folder)
{
	struct fx fx;

	fx_init(&fx);
	fx.files[fx.file_count++] = (struct fx_file){"pages/../../evil.md", "# x\n", 4};
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/../../evil.md: '..' is not allowed in file names");
	fx_fini(&fx);
}

TEST(absolute_name)
{
	struct fx fx;

	fx_init(&fx);
	fx.files[fx.file_count++] = (struct fx_file){"/etc/evil.md", "# x\n", 4};
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "/etc/evil.md: absolute file names are not allowed");
	fx_fini(&fx);
}

TEST(backslash_name)
{
	struct fx fx;

	fx_init(&fx);
	fx.files[fx.file_count++] = (struct fx_file){"pages\\evil.md", "# x\n", 4};
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages\\evil.md: backslashes are not allowed in file names");
	fx_fini(&fx);
}

TEST(disallowed_type)
{
	struct fx fx;

	fx_init(&fx);
	fx.files[fx.file_count++] = (struct fx_file){"run.sh", "#!/bin/sh\n", 10};
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "run.sh: only .md, .png and .json files are allowed");
	fx_fini(&fx);
}

TEST(unnormalized_names)
{
	static const char *const names[] = {"pages//a.md", "./a.md", "pages/./a.md", ".hidden.md",
	                                    "Pages/A.md"};
	static const char *const messages[] = {
	        "pages//a.md: file name is not normalized (empty, '.' or hidden part)",
	        "./a.md: file name is not normalized (empty, '.' or hidden part)",
	        "pages/./a.md: file name is not normalized (empty, '.' or hidden part)",
	        ".hidden.md: file name is not normalized (empty, '.' or hidden part)",
	        "Pages/A.md: file names may use only a-z, 0-9, '.', '-', '_' and '/'"};
	struct fx fx;

	fx_init(&fx);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fx.files[4] = (struct fx_file){names[i], "# x\n", 4};
		expect_files_fail(&fx, fx.files, 5, NULL, -EBADMSG, messages[i]);
	}
	fx_fini(&fx);
}

TEST(duplicate_name_in_zip)
{
	struct fx fx;
	uint8_t *data;
	size_t len;

	/* libzip will not write two entries of one name, so write "pages/01-intrX.md" and
	 * rename it in the headers; the manifest lists the name once. */
	fx_init(&fx);
	fx.files[fx.file_count++] =
	        (struct fx_file){"pages/01-intrx.md", "# x\n", 4, .unlisted = true};
	fx_pack(&fx, fx.files, fx.file_count, NULL, (void **)&data, &len);
	CHECK(fx_patch(data, len, "pages/01-intrx.md", "pages/01-intro.md", 17) == 2);
	fx_resign(&fx, data, len);
	expect_fail(&fx, data, len, -EBADMSG, "not a valid pack: two entries have the same name");
	free(data);
	fx_fini(&fx);
}

TEST(duplicate_name_in_manifest)
{
	struct fx fx;
	void *data;
	size_t len;
	char manifest[8192], *p;
	struct pack *pack;
	struct pack_error err = {0};

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	CHECK(fx_open(&fx, data, len, &pack, &err) == 0);
	free(data);
	/* Rebuild the manifest text with the first file listed twice. */
	const struct pack_manifest *m = pack_get_manifest(pack);
	char hex[65];
	p = manifest;
	p += sprintf(p, "{\"format\": 1, \"id\": \"org.example.test\", \"version\": \"1.2.3\", "
	                "\"title\": \"Test\", \"provider\": {\"id\": \"example-college\", "
	                "\"name\": \"Example College\"}, \"level\": \"entry1\", \"language\": "
	                "\"en\", \"minutes\": 1, \"modules\": [{\"id\": \"m\", \"title\": \"M\", "
	                "\"minutes\": 1, \"pages\": [\"pages/01-intro.md\"]}], \"files\": [");
	for (size_t i = 0; i < pack_manifest_file_count(m); i++) {
		for (int k = 0; k < 32; k++)
			sprintf(hex + 2 * k, "%02x", pack_manifest_file_sha256(m, i)[k]);
		p += sprintf(p, "{\"name\": \"%s\", \"size\": %ju, \"sha256\": \"%s\"}, ",
		             pack_manifest_file_name(m, i),
		             (uintmax_t)pack_manifest_file_size(m, i), hex);
	}
	for (int k = 0; k < 32; k++)
		sprintf(hex + 2 * k, "%02x", pack_manifest_file_sha256(m, 0)[k]);
	sprintf(p, "{\"name\": \"%s\", \"size\": %ju, \"sha256\": \"%s\"}]}",
	        pack_manifest_file_name(m, 0), (uintmax_t)pack_manifest_file_size(m, 0), hex);
	pack_free(pack);
	struct fx_opts opts = {.manifest = manifest};
	expect_files_fail(&fx, fx.files, fx.file_count, &opts, -EBADMSG,
	                  "manifest: images/coins.png is listed twice");
	fx_fini(&fx);
}

TEST(traversal_in_manifest_only)
{
	struct fx fx;
	static const char manifest[] =
	        "{\"format\": 1, \"id\": \"x\", \"version\": \"1.0.0\", \"title\": \"T\", "
	        "\"provider\": {\"id\": \"example-college\", \"name\": \"Example College\"}, "
	        "\"level\": \"entry1\", \"language\": \"en\", \"minutes\": 1, \"modules\": "
	        "[{\"id\": \"m\", \"title\": \"M\", \"minutes\": 1, \"pages\": [\"a.md\"]}], "
	        "\"files\": [{\"name\": \"a.md\", \"size\": 2, \"sha256\": "
	        "\"0000000000000000000000000000000000000000000000000000000000000000\"}, "
	        "{\"name\": \"../b.md\", \"size\": 2, \"sha256\": "
	        "\"0000000000000000000000000000000000000000000000000000000000000000\"}]}";

	fx_init(&fx);
	struct fx_opts opts = {.manifest = manifest};
	struct fx_file a = {"a.md", "a\n", 2};
	expect_files_fail(&fx, &a, 1, &opts, -EBADMSG,
	                  "manifest: ../b.md: '..' is not allowed in file names");
	fx_fini(&fx);
}

TEST(pack_over_size_limit)
{
	struct fx fx;
	struct pack_limits limits;
	struct pack_error err = {0};
	struct pack *pack = SENTINEL;
	char want[PACK_ERROR_MAX];
	void *data;
	size_t len;
	int rc;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	pack_limits_init(&limits);
	limits.max_pack_bytes = len - 1;
	rc = pack_open_mem(data, len, fx.root, fx.at, &limits, &pack, &err);
	snprintf(want, sizeof(want), "pack is %zu bytes, over the %zu-byte limit", len, len - 1);
	CHECK_ERR(err, rc, -EFBIG, want);
	CHECK(pack == SENTINEL);
	free(data);
	fx_fini(&fx);
}

TEST(pack_file_over_default_size_limit)
{
	struct fx fx;
	struct pack_error err = {0};
	struct pack *pack = SENTINEL;
	char path[300], want[PACK_ERROR_MAX];
	int fd, rc;

	/* A sparse file one byte over the limit: refused on its size, before any reading. */
	fx_init(&fx);
	snprintf(path, sizeof(path), "%s/huge.pack", fx.dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, (off_t)PACK_DEFAULT_MAX_PACK_BYTES + 1) == 0);
	close(fd);
	rc = pack_open_file(path, fx.root, fx.at, NULL, &pack, &err);
	snprintf(want, sizeof(want), "%s: file is %ju bytes, over the %ju-byte limit", path,
	         (uintmax_t)PACK_DEFAULT_MAX_PACK_BYTES + 1,
	         (uintmax_t)PACK_DEFAULT_MAX_PACK_BYTES);
	CHECK_ERR(err, rc, -EFBIG, want);
	CHECK(pack == SENTINEL);
	fx_fini(&fx);
}

TEST(file_over_size_limit)
{
	struct fx fx;
	struct pack_limits limits;
	struct pack_error err = {0};
	struct pack *pack = SENTINEL;
	char want[PACK_ERROR_MAX];
	void *data;
	size_t len;
	int rc;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	pack_limits_init(&limits);
	limits.max_file_bytes = fx.png_len - 1;
	rc = pack_open_mem(data, len, fx.root, fx.at, &limits, &pack, &err);
	snprintf(want, sizeof(want), "images/coins.png: file is %zu bytes, over the %zu-byte limit",
	         fx.png_len, fx.png_len - 1);
	CHECK_ERR(err, rc, -EFBIG, want);
	CHECK(pack == SENTINEL);
	free(data);
	fx_fini(&fx);
}

TEST(page_over_default_text_limit)
{
	struct fx fx;
	size_t big = PACK_DEFAULT_MAX_TEXT_BYTES + 1;
	char *page = malloc(big), want[PACK_ERROR_MAX];

	/* Deflates to almost nothing, so only the declared size can refuse it. */
	fx_init(&fx);
	memset(page, 'a', big);
	fx.files[fx.file_count++] = (struct fx_file){"pages/big.md", page, big, .unlisted = true};
	snprintf(want, sizeof(want), "pages/big.md: file is %zu bytes, over the %ju-byte limit",
	         big, (uintmax_t)PACK_DEFAULT_MAX_TEXT_BYTES);
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EFBIG, want);
	free(page);
	fx_fini(&fx);
}

TEST(too_many_files)
{
	struct fx fx;
	struct pack_limits limits;
	struct pack_error err = {0};
	struct pack *pack = SENTINEL;
	void *data;
	size_t len;
	int rc;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	pack_limits_init(&limits);
	limits.max_files = 4;
	rc = pack_open_mem(data, len, fx.root, fx.at, &limits, &pack, &err);
	CHECK_ERR(err, rc, -EFBIG, "pack has 5 files, over the 4-file limit");
	CHECK(pack == SENTINEL);
	free(data);
	fx_fini(&fx);
}

TEST(name_over_length_limit)
{
	struct fx fx;
	char name[PACK_DEFAULT_MAX_NAME_BYTES + 8], want[PACK_ERROR_MAX];

	fx_init(&fx);
	memset(name, 'a', sizeof(name));
	memcpy(name + PACK_DEFAULT_MAX_NAME_BYTES - 2, ".md", 4); /* 129 bytes with the NUL */
	fx.files[fx.file_count++] = (struct fx_file){name, "# x\n", 4};
	snprintf(want, sizeof(want), "%.40s...: file name is %u bytes, over the %u-byte limit",
	         name, PACK_DEFAULT_MAX_NAME_BYTES + 1, PACK_DEFAULT_MAX_NAME_BYTES);
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EFBIG, want);
	fx_fini(&fx);
}

/* Patches an entry's uncompressed size in its local header and central directory record. */
static void
patch_size(uint8_t *data, size_t len, const char *name, uint32_t size)
{
	size_t n = strlen(name), patched = 0;

	for (size_t i = 0; i + 46 + n <= len; i++) {
		uint8_t *p = data + i;
		size_t off;

		if (p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4 && p[26] == n &&
		    memcmp(p + 30, name, n) == 0)
			off = 22;
		else if (p[0] == 'P' && p[1] == 'K' && p[2] == 1 && p[3] == 2 && p[28] == n &&
		         memcmp(p + 46, name, n) == 0)
			off = 24;
		else
			continue;
		p[off] = (uint8_t)size;
		p[off + 1] = (uint8_t)(size >> 8);
		p[off + 2] = (uint8_t)(size >> 16);
		p[off + 3] = (uint8_t)(size >> 24);
		patched++;
	}
	CHECK(patched == 2);
}

TEST(zip_bomb_entry)
{
	struct fx fx;
	size_t big = 64u << 20;
	char *page = malloc(big);
	static char manifest[4096];
	uint8_t *data;
	size_t len;

	/* 64 MiB of text deflated to ~64 KiB, declaring (in zip and manifest) 100 bytes. */
	fx_init(&fx);
	memset(page, 'a', big);
	snprintf(manifest, sizeof(manifest),
	         "{\"format\": 1, \"id\": \"x\", \"version\": \"1.0.0\", \"title\": \"T\", "
	         "\"provider\": {\"id\": \"example-college\", \"name\": \"Example College\"}, "
	         "\"level\": \"entry1\", \"language\": \"en\", \"minutes\": 1, \"modules\": "
	         "[{\"id\": \"m\", \"title\": \"M\", \"minutes\": 1, \"pages\": [\"bomb.md\"]}], "
	         "\"files\": [{\"name\": \"bomb.md\", \"size\": 100, \"sha256\": "
	         "\"0000000000000000000000000000000000000000000000000000000000000000\"}]}");
	struct fx_opts opts = {.manifest = manifest};
	struct fx_file f = {"bomb.md", page, big};
	fx_pack(&fx, &f, 1, &opts, (void **)&data, &len);
	free(page);
	CHECK(len < (1u << 20));
	patch_size(data, len, "bomb.md", 100);
	fx_resign(&fx, data, len);
	expect_fail(&fx, data, len, -EFBIG,
	            "bomb.md: decompresses to more than its declared 100 bytes");
	free(data);
	fx_fini(&fx);
}

TEST(entry_shorter_than_declared)
{
	struct fx fx;
	uint8_t *data;
	size_t len;

	fx_init(&fx);
	fx_pack(&fx, fx.files, fx.file_count, NULL, (void **)&data, &len);
	/* Declare one byte more than the page holds: the manifest and zip now disagree. */
	patch_size(data, len, "pages/01-intro.md", (uint32_t)strlen(FX_PAGE_INTRO) + 1);
	fx_resign(&fx, data, len);
	char want[PACK_ERROR_MAX];
	snprintf(want, sizeof(want),
	         "pages/01-intro.md: size is %zu bytes but the manifest says %zu",
	         strlen(FX_PAGE_INTRO) + 1, strlen(FX_PAGE_INTRO));
	expect_fail(&fx, data, len, -EBADMSG, want);
	free(data);
	fx_fini(&fx);
}

TEST(markdown_invalid_utf8)
{
	struct fx fx;
	static const char bad[] = "# Money\n\nSave \xc3\x28 money.\n";

	fx_init(&fx);
	fx.files[1].data = bad;
	fx.files[1].len = strlen(bad);
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/02-money.md: page is not valid UTF-8 text");
	fx_fini(&fx);
}

TEST(markdown_overlong_utf8_and_nul)
{
	struct fx fx;
	static const char overlong[] = "# A\n\n\xc0\xaf\n";
	static const char surrogate[] = "# A\n\n\xed\xa0\x80\n";
	static const char nul[] = "# A\n\nx\0y\n";

	fx_init(&fx);
	fx.files[0].data = overlong;
	fx.files[0].len = strlen(overlong);
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/01-intro.md: page is not valid UTF-8 text");
	fx.files[0].data = surrogate;
	fx.files[0].len = strlen(surrogate);
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/01-intro.md: page is not valid UTF-8 text");
	fx.files[0].data = nul;
	fx.files[0].len = sizeof(nul) - 1;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/01-intro.md: page contains a NUL byte");
	fx_fini(&fx);
}

TEST(markdown_image_missing_or_outside)
{
	struct fx fx;
	static const char missing[] = "# A\n\n![x](../images/none.png)\n";
	static const char outside[] = "# A\n\n![x](../../etc/x.png)\n";
	static const char remote[] = "# A\n\n![x](http://example.com/x.png)\n";

	fx_init(&fx);
	fx.files[0].data = missing;
	fx.files[0].len = strlen(missing);
	expect_files_fail(
	        &fx, fx.files, fx.file_count, NULL, -ENOENT,
	        "pages/01-intro.md: shows image images/none.png, which is not in the pack");
	fx.files[0].data = outside;
	fx.files[0].len = strlen(outside);
	expect_files_fail(
	        &fx, fx.files, fx.file_count, NULL, -EBADMSG,
	        "pages/01-intro.md: image \"../../etc/x.png\" must be a relative path to a "
	        ".png file");
	fx.files[0].data = remote;
	fx.files[0].len = strlen(remote);
	expect_files_fail(
	        &fx, fx.files, fx.file_count, NULL, -EBADMSG,
	        "pages/01-intro.md: image \"http://example.com/x.png\" must be a relative "
	        "path to a .png file");
	fx_fini(&fx);
}

TEST(quiz_malformed_json)
{
	struct fx fx;
	static const char bad[] = "{\"format\": 1, \"title\": \"Check\",";

	fx_init(&fx);
	fx.files[3].data = bad;
	fx.files[3].len = strlen(bad);
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "quizzes/check.json: quiz is not valid JSON (line 1: string or '}' "
	                  "expected near end of file)");
	fx_fini(&fx);
}

TEST(quiz_against_schema)
{
	static const char *const quizzes[] = {
	        "{\"format\": 1, \"title\": \"C\", \"pass_percent\": 60, \"questions\": [{\"id\": "
	        "\"q1\", \"type\": \"choice\", \"prompt\": \"P\", \"options\": [\"a\", \"b\"], "
	        "\"answer\": 2}]}",
	        "{\"format\": 1, \"title\": \"C\", \"pass_percent\": 101, \"questions\": []}",
	        "{\"format\": 1, \"title\": \"C\", \"pass_percent\": 50, \"questions\": [{\"id\": "
	        "\"q1\", \"type\": \"essay\", \"prompt\": \"P\"}]}",
	        "{\"format\": 1, \"title\": \"C\", \"pass_percent\": 50, \"questions\": [{\"id\": "
	        "\"q1\", \"type\": \"short\", \"prompt\": \"P\", \"answer\": \"   \"}]}",
	        "{\"format\": 1, \"title\": \"C\", \"pass_percent\": 50, \"extra\": 1, "
	        "\"questions\": []}",
	        "{\"format\": 1, \"title\": \"C\", \"title\": \"D\", \"pass_percent\": 50, "
	        "\"questions\": []}",
	};
	static const char *const messages[] = {
	        "quizzes/check.json: question q1: answer must be an option number 0-1",
	        "quizzes/check.json: quiz pass_percent must be a whole number 0-100",
	        "quizzes/check.json: question q1: type must be \"choice\" or \"short\"",
	        "quizzes/check.json: question q1: an answer is only spaces",
	        "quizzes/check.json: quiz must be an object with format, title, pass_percent and "
	        "questions",
	        "quizzes/check.json: quiz is not valid JSON (line 1: duplicate object key near "
	        "'\"title\"')",
	};
	struct fx fx;

	fx_init(&fx);
	for (size_t i = 0; i < sizeof(quizzes) / sizeof(quizzes[0]); i++) {
		fx.files[3].data = quizzes[i];
		fx.files[3].len = strlen(quizzes[i]);
		expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG, messages[i]);
	}
	fx_fini(&fx);
}

TEST(png_bad_signature)
{
	struct fx fx;
	uint8_t *png;

	fx_init(&fx);
	png = malloc(fx.png_len);
	memcpy(png, fx.png, fx.png_len);
	png[1] = 'Q';
	fx.files[2].data = png;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "images/coins.png: not a PNG image (bad signature)");
	free(png);
	fx_fini(&fx);
}

TEST(png_truncated)
{
	struct fx fx;

	fx_init(&fx);
	fx.files[2].len = fx.png_len - 20;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "images/coins.png: not a valid PNG image (file is truncated)");
	fx.files[2].len = 30;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "images/coins.png: not a valid PNG image (file is truncated)");
	fx_fini(&fx);
}

TEST(png_bad_crc_and_trailing_data)
{
	struct fx fx;
	uint8_t *png;

	fx_init(&fx);
	png = malloc(fx.png_len + 4);
	memcpy(png, fx.png, fx.png_len);
	png[29] ^= 0xff; /* IHDR's CRC */
	fx.files[2].data = png;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "images/coins.png: not a valid PNG image (IHDR: CRC error)");
	memcpy(png, fx.png, fx.png_len);
	memcpy(png + fx.png_len, "junk", 4);
	fx.files[2].len = fx.png_len + 4;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "images/coins.png: not a valid PNG image (data after IEND)");
	free(png);
	fx_fini(&fx);
}

TEST(png_too_large)
{
	struct fx fx;
	size_t len;
	void *png;

	fx_init(&fx);
	png = fx_png(PACK_DEFAULT_MAX_IMAGE_SIDE + 1, 1, 3, &len);
	fx.files[2].data = png;
	fx.files[2].len = len;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EFBIG,
	                  "images/coins.png: image is 4097x1 pixels, over the 4096-pixel limit");
	free(png);
	fx_fini(&fx);
}

TEST(manifest_malformed)
{
	static const char *const manifests[] = {
	        "not json",
	        "{\"format\": 2}",
	};
	static const char *const messages[] = {
	        "manifest: not valid JSON (line 1: '[' or '{' expected near 'not')",
	        "manifest: the top level has no \"id\"",
	};
	struct fx fx;

	fx_init(&fx);
	for (size_t i = 0; i < sizeof(manifests) / sizeof(manifests[0]); i++) {
		struct fx_opts opts = {.manifest = manifests[i]};

		expect_files_fail(&fx, fx.files, fx.file_count, &opts, -EBADMSG, messages[i]);
	}
	fx_fini(&fx);
}

TEST(signature_replaced)
{
	struct fx fx;
	uint8_t *data;
	size_t len, off;

	fx_init(&fx);
	fx_good_pack(&fx, (void **)&data, &len);
	off = fx_zip_offset(data, len);
	memset(data + off - PACK_SIG_LEN, 0, PACK_SIG_LEN);
	expect_fail(&fx, data, len, -EKEYREJECTED,
	            "signature does not verify with the provider key (the pack was changed after "
	            "signing, or signed by another key)");
	free(data);
	fx_fini(&fx);
}

TEST(not_a_pack)
{
	struct fx fx;
	char junk[600];

	fx_init(&fx);
	memset(junk, 'x', sizeof(junk));
	expect_fail(&fx, junk, sizeof(junk), -EBADMSG,
	            "not a course pack (it does not start as one; make packs with onward-pack "
	            "build)");
	expect_fail(&fx, junk, 10, -EBADMSG, "not a course pack: only 10 bytes");
	fx_fini(&fx);
}

TEST(symbolic_link_entry_refused)
{
	struct fx fx;

	/* A link entry whose "data" is its target: refused by its type, whatever its name. */
	fx_init(&fx);
	fx.files[fx.file_count++] =
	        (struct fx_file){"pages/link.md", "/etc/shadow", 11, .mode = 0120777};
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/link.md: a symbolic link, not a file (packs hold only files)");
	fx.files[fx.file_count - 1].mode = 0040755;
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/link.md: not a regular file (a folder or special file entry)");
	fx.files[fx.file_count - 1].mode = 0010644; /* a FIFO */
	expect_files_fail(&fx, fx.files, fx.file_count, NULL, -EBADMSG,
	                  "pages/link.md: not a regular file (a folder or special file entry)");
	fx_fini(&fx);
}

TEST(inflated_total_over_limit)
{
	struct fx fx;
	struct pack_limits limits;
	struct pack_error err = {0};
	struct pack *pack = SENTINEL;
	struct pack_source src;
	struct pack_zip *zip;
	char want[PACK_ERROR_MAX];
	uint64_t total = 0;
	void *data;
	size_t len;
	int rc;

	/* Four copies of the image: each within the file limit, together over the total,
	 * which is refused from the declared sizes before any entry is inflated. */
	fx_init(&fx);
	for (int i = 0; i < 3; i++) {
		static const char *const names[] = {"images/b.png", "images/c.png", "images/d.png"};

		fx.files[fx.file_count++] =
		        (struct fx_file){names[i], fx.png, fx.png_len, .unlisted = true};
	}
	fx_pack(&fx, fx.files, fx.file_count, NULL, &data, &len);
	src = (struct pack_source){data, -1, len};
	pack_limits_init(&limits);
	CHECK(pack__zip_open(&src, fx_zip_offset(data, len), &limits, true, &zip, &err) == 0);
	for (size_t i = 0; i < pack__zip_count(zip); i++)
		total += pack__zip_size(zip, i);
	pack__zip_free(zip);
	limits.max_inflated_bytes = 3 * fx.png_len;
	rc = pack_open_mem(data, len, fx.root, fx.at, &limits, &pack, &err);
	snprintf(want, sizeof(want),
	         "the files in the pack add up to %ju bytes unpacked, over the %zu-byte limit",
	         (uintmax_t)total, 3 * fx.png_len);
	CHECK_ERR(err, rc, -EFBIG, want);
	CHECK(pack == SENTINEL);
	free(data);
	fx_fini(&fx);
}

TEST(inflated_bytes_counted_as_read)
{
	struct fx fx;
	struct pack_limits limits;
	struct pack_error err = {0};
	struct pack_source src;
	struct pack_zip *zip;
	char want[PACK_ERROR_MAX];
	void *data, *file;
	size_t len, file_len, off;
	int i;

	/* Whatever the headers declare, the bytes inflated are counted: reading the image a
	 * second time passes a limit that one reading fits under. */
	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	off = fx_zip_offset(data, len);
	pack_limits_init(&limits);
	src = (struct pack_source){data, -1, len};
	CHECK(pack__zip_open(&src, off, &limits, true, &zip, &err) == 0);
	i = pack__zip_find(zip, "images/coins.png");
	CHECK(i >= 0);
	pack__zip_free(zip);
	limits.max_inflated_bytes = 1u << 20;
	CHECK(pack__zip_open(&src, off, &limits, true, &zip, &err) == 0);
	for (int round = 0; round * fx.png_len <= (1u << 20); round++) {
		if (pack__zip_read(zip, (size_t)i, fx.png_len, &file, &file_len, &err) < 0)
			break;
		free(file);
	}
	snprintf(want, sizeof(want),
	         "images/coins.png: the pack unpacks to more than the "
	         "1048576-byte limit");
	CHECK_STR(err.message, want);
	pack__zip_free(zip);
	free(data);
	fx_fini(&fx);
}

TEST(title_with_c1_control_or_direction_override_refused)
{
	static const char *const titles[] = {"Money \xc2\x9b"
	                                     "31m",
	                                     "Money \xe2\x80\xae"
	                                     "gnp.exe",
	                                     "Money\xe2\x80\xa8more", "Money \xe2\x81\xa6x"};
	static const char *const messages[] = {
	        "manifest: the title holds the control character U+009B",
	        "manifest: the title holds the text-direction control U+202E",
	        "manifest: the title holds the line separator U+2028",
	        "manifest: the title holds the text-direction control U+2066"};
	struct fx fx;

	fx_init(&fx);
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		char course[2048];

		snprintf(course, sizeof(course),
		         "{\"id\": \"org.example.test\", \"version\": \"1.2.3\", \"title\": "
		         "\"%s\", \"level\": \"entry1\", \"language\": \"en\", \"modules\": "
		         "[{\"id\": \"m\", \"title\": \"M\", \"minutes\": 1, \"pages\": "
		         "[\"pages/01-intro.md\"]}]}",
		         titles[i]);
		struct fx_opts opts = {.course = course};
		expect_files_fail(&fx, fx.files, fx.file_count, &opts, -EBADMSG, messages[i]);
	}
	fx_fini(&fx);
}

/* Corrupts the image data inside IDAT but fixes its CRC: only a decode can tell. */
static uint8_t *
png_with_bad_pixels(struct fx *fx)
{
	uint8_t *png = malloc(fx->png_len);
	size_t pos = 8;

	memcpy(png, fx->png, fx->png_len);
	while (memcmp(png + pos + 4, "IDAT", 4) != 0)
		pos += 12 + ((size_t)png[pos] << 24 | (size_t)png[pos + 1] << 16 |
		             (size_t)png[pos + 2] << 8 | png[pos + 3]);
	uint32_t n = (uint32_t)png[pos] << 24 | (uint32_t)png[pos + 1] << 16 |
	             (uint32_t)png[pos + 2] << 8 | png[pos + 3];
	memset(png + pos + 8 + 2, 0xff, n - 6); /* after the zlib header, before the checksum */
	uint32_t crc = (uint32_t)crc32(0, png + pos + 4, 4 + n);
	png[pos + 8 + n] = (uint8_t)(crc >> 24);
	png[pos + 9 + n] = (uint8_t)(crc >> 16);
	png[pos + 10 + n] = (uint8_t)(crc >> 8);
	png[pos + 11 + n] = (uint8_t)crc;
	return png;
}

TEST(png_bad_pixels_refused_when_decoding)
{
	struct fx fx;
	struct pack_limits limits;
	struct pack_error err = {0};
	struct pack *pack = SENTINEL;
	uint8_t *png;
	void *data;
	size_t len;
	int rc;

	fx_init(&fx);
	png = png_with_bad_pixels(&fx);
	fx.files[2].data = png;
	fx_pack(&fx, fx.files, fx.file_count, NULL, &data, &len);
	pack_limits_init(&limits);
	limits.decode_images = true;
	rc = pack_open_mem(data, len, fx.root, fx.at, &limits, &pack, &err);
	CHECK_ERR(err, rc, -EBADMSG,
	          "images/coins.png: not a valid PNG image (IDAT: invalid block type)");
	CHECK(pack == SENTINEL);
	/* Without decoding, structure and CRCs hold; the builder (which decodes) refuses it. */
	CHECK(fx_open(&fx, data, len, &pack, &err) == 0);
	pack_free(pack);
	free(data);
	free(png);
	fx_fini(&fx);
}
