/*
 * test_roundtrip.c: bundles that must open. Empty, one-byte and 64 MB payloads between
 * self-signed establishments; what bundle_open and bundle_peek report; that sealing twice
 * gives two different bundles; a probation region as recipient; certificates issued by a
 * national root trusted through the root alone; the payload limit on seal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "timeutil.h"

static struct bundle_identity *mdi, *bxi, *nep;

static void
roundtrip(size_t len, unsigned seed)
{
	const struct bundle_cert *trusted[] = {bundle_identity_cert(mdi)};
	uint8_t *payload = fix_payload(len, seed), *bundle, hd[32];
	struct bundle_info info;
	size_t bundle_len;
	char hex[65];

	fix_seal(mdi, bxi, payload, len, &bundle, &bundle_len);
	CHECK_INT(bundle_len, HDR_FIXED_LEN + bundle__get_be16(bundle + HDR_OFF_CERT_LEN) + len +
	                              BUNDLE_TRAILER_LEN);
	fix_open_ok(bxi, trusted, 1, bundle, bundle_len, FIX_NOW, payload, len, &info);
	CHECK_INT(info.format_version, 1);
	CHECK_STR(info.sender_code, "MDI");
	CHECK_STR(info.sender_name, "HMP Moorland");
	CHECK_INT(info.sender_kind, BUNDLE_KIND_PRISON);
	CHECK_STR(info.sender_fingerprint, bundle_cert_fingerprint(bundle_identity_cert(mdi)));
	CHECK_STR(info.sender_issuer, "");
	CHECK_STR(info.recipient_code, "BXI");
	CHECK_STR(info.recipient_fingerprint, bundle_cert_fingerprint(bundle_identity_cert(bxi)));
	CHECK_INT(info.created_at, FIX_NOW);
	CHECK_INT(info.payload_len, len);
	CHECK_INT(info.bundle_len, bundle_len);
	CHECK_INT(strlen(info.id_hex), 32);
	CHECK(crypto_sha256(payload, len, hd) == 0);
	crypto_hex_encode(hd, 32, hex);
	CHECK_STR(info.payload_sha256, hex);
	free(payload);
	free(bundle);
}

static void
test_sizes(void)
{
	uint64_t t0;

	test_step("empty payload");
	roundtrip(0, 1);
	test_step("one byte");
	roundtrip(1, 2);
	test_step("sizes around the chunk size and the AES block");
	roundtrip(15, 3);
	roundtrip(17, 3);
	roundtrip(ENVELOPE_CHUNK - 1, 4);
	roundtrip(ENVELOPE_CHUNK, 5);
	roundtrip(ENVELOPE_CHUNK + 1, 6);
	test_step("64 MB");
	t0 = time_mono_ns();
	roundtrip(64u << 20, 7);
	test_step("64 MB sealed and opened in %.0f ms", (double)(time_mono_ns() - t0) / 1e6);
}

static void
test_fresh_each_time(void)
{
	const struct bundle_cert *trusted[] = {bundle_identity_cert(mdi)};
	uint8_t payload[] = "the same record, twice", *a, *b;
	struct bundle_info ia, ib;
	size_t alen, blen;

	test_step("two seals of the same payload differ: id, ephemeral key, ciphertext");
	fix_seal(mdi, bxi, payload, sizeof(payload), &a, &alen);
	fix_seal(mdi, bxi, payload, sizeof(payload), &b, &blen);
	CHECK_INT(alen, blen);
	CHECK(memcmp(a + HDR_OFF_ID, b + HDR_OFF_ID, BUNDLE_ID_LEN) != 0);
	CHECK(memcmp(a + HDR_OFF_EPHEMERAL, b + HDR_OFF_EPHEMERAL, 32) != 0);
	CHECK(memcmp(a + alen - BUNDLE_TRAILER_LEN - sizeof(payload),
	             b + blen - BUNDLE_TRAILER_LEN - sizeof(payload), sizeof(payload)) != 0);
	fix_open_ok(bxi, trusted, 1, a, alen, FIX_NOW, payload, sizeof(payload), &ia);
	fix_open_ok(bxi, trusted, 1, b, blen, FIX_NOW, payload, sizeof(payload), &ib);
	CHECK(strcmp(ia.id_hex, ib.id_hex) != 0);
	free(a);
	free(b);
}

static void
test_peek(void)
{
	uint8_t payload[100] = {0}, *bundle;
	struct bundle_error err = {0};
	struct bundle_info info, sealed;
	const struct bundle_cert *rcpt = bundle_identity_cert(bxi);
	void *out;
	size_t len, header_len;

	test_step("peek reports the header, unauthenticated, from the header alone");
	CHECK_INT(bundle_seal(mdi, rcpt, payload, sizeof(payload), FIX_NOW, &out, &len, &sealed,
	                      &err),
	          0);
	bundle = out;
	CHECK(sealed.verified);
	header_len = HDR_FIXED_LEN + bundle__get_be16(bundle + HDR_OFF_CERT_LEN);
	CHECK_INT(bundle_peek(bundle, header_len, &info, &err), 0);
	CHECK(!info.verified);
	CHECK_STR(info.payload_sha256, "");
	CHECK_STR(info.id_hex, sealed.id_hex);
	CHECK_STR(info.sender_code, "MDI");
	CHECK_STR(info.recipient_code, "BXI");
	CHECK_STR(info.recipient_fingerprint, bundle_cert_fingerprint(rcpt));
	CHECK_INT(info.bundle_len, len);
	CHECK_INT(info.payload_len, sizeof(payload));
	CHECK_INT(info.created_at, FIX_NOW);
	test_step("peek of one byte less than the header: cut short");
	CHECK_INT(bundle_peek(bundle, header_len - 1, &info, &err), -ENODATA);
	free(bundle);
}

static void
test_probation_and_null_info(void)
{
	const struct bundle_cert *trusted[] = {bundle_identity_cert(mdi)};
	uint8_t *payload = fix_payload(5000, 9), *bundle;
	struct bundle_error err = {0};
	void *out;
	size_t len, out_len;

	test_step("released on licence: MDI to the probation region NEP; info is optional");
	fix_seal(mdi, nep, payload, 5000, &bundle, &len);
	CHECK_INT(bundle_open(nep, trusted, 1, bundle, len, FIX_NOW, &out, &out_len, NULL, &err),
	          0);
	CHECK_INT(out_len, 5000);
	CHECK(memcmp(out, payload, 5000) == 0);
	bundle_buffer_free(out, out_len);
	free(bundle);
	free(payload);
}

static void
test_national_root(void)
{
	struct bundle_identity *root =
	        fix_identity("GBR", "Onward national root", BUNDLE_KIND_ROOT);
	struct bundle_identity *lei = fix_identity("LEI", "HMP Leicester", BUNDLE_KIND_PRISON);
	struct bundle_identity *pvi = fix_identity("PVI", "HMP Pentonville", BUNDLE_KIND_PRISON);
	const struct bundle_cert *trusted[] = {bundle_identity_cert(root)};
	struct bundle_cert *issued = NULL;
	struct bundle_error err = {0};
	struct bundle_info info;
	uint8_t *payload = fix_payload(70000, 11), *bundle;
	size_t len;

	test_step("the root issues certificates for LEI and PVI; PVI trusts only the root");
	CHECK_INT(bundle_cert_issue(root, bundle_identity_cert(lei), FIX_NOT_BEFORE, FIX_NOT_AFTER,
	                            &issued, &err),
	          0);
	CHECK_INT(bundle_identity_set_cert(lei, issued, &err), 0);
	bundle_cert_free(issued);
	CHECK_INT(bundle_cert_issue(root, bundle_identity_cert(pvi), FIX_NOT_BEFORE, FIX_NOT_AFTER,
	                            &issued, &err),
	          0);
	CHECK_INT(bundle_identity_set_cert(pvi, issued, &err), 0);
	bundle_cert_free(issued);
	fix_seal(lei, pvi, payload, 70000, &bundle, &len);
	fix_open_ok(pvi, trusted, 1, bundle, len, FIX_NOW, payload, 70000, &info);
	CHECK_STR(info.sender_code, "LEI");
	CHECK_STR(info.sender_issuer, bundle_cert_fingerprint(bundle_identity_cert(root)));
	test_step("a root-issued sender may also be trusted directly (pinned)");
	{
		const struct bundle_cert *pinned[] = {bundle_identity_cert(mdi),
		                                      bundle_identity_cert(lei)};

		fix_open_ok(pvi, pinned, 2, bundle, len, FIX_NOW, payload, 70000, NULL);
	}
	free(bundle);
	free(payload);
	bundle_identity_free(root);
	bundle_identity_free(lei);
	bundle_identity_free(pvi);
}

static void
test_seal_limit(void)
{
	struct bundle_error err = {0};
	uint8_t byte = 0;
	void *out = (void *)0x1;
	size_t out_len = 7;

	test_step("a payload over 256 MiB is refused before anything is read or allocated");
	CHECK_INT(bundle_seal(mdi, bundle_identity_cert(bxi), &byte, (size_t)BUNDLE_PAYLOAD_MAX + 1,
	                      FIX_NOW, &out, &out_len, NULL, &err),
	          -EFBIG);
	CHECK(out == (void *)0x1);
	CHECK_INT(out_len, 7);
	CHECK_CONTAINS(err.message, "more than the limit");
}

int
main(void)
{
	mdi = fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
	bxi = fix_identity("BXI", "HMP Brixton", BUNDLE_KIND_PRISON);
	nep = fix_identity("NEP", "North East Probation Region", BUNDLE_KIND_PROBATION);
	test_sizes();
	test_fresh_each_time();
	test_peek();
	test_probation_and_null_info();
	test_national_root();
	test_seal_limit();
	bundle_identity_free(mdi);
	bundle_identity_free(bxi);
	bundle_identity_free(nep);
	return 0;
}
