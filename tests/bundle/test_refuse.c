/*
 * test_refuse.c: bundles that must be refused, each with exactly its error and nothing
 * returned (fix_open_refused checks the outputs are untouched): for another recipient;
 * from an untrusted sender; a sender certificate expired or not yet valid; every single
 * byte changed (three ways, at every position); cut short at every length; wrong magic
 * and version; re-signed by another trusted sender; header fields swapped between two
 * bundles; national-root failures; and seal's own refusals. Every open is repeated as the
 * daemon opens (fixture.c: the header read from the file's start, the certificate through
 * its canonical JSON, bundle_open_head()) and must end the same; and a header that is not
 * the bundle's is refused by bundle_open_head() field by field.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static struct bundle_identity *mdi, *bxi, *nep;

static const struct bundle_cert *
cert_of(const struct bundle_identity *id)
{
	return bundle_identity_cert(id);
}

static void
test_other_recipient(void)
{
	const struct bundle_cert *trusted[] = {cert_of(mdi)};
	struct bundle_identity *bxi2 = fix_identity("BXI", "HMP Brixton", BUNDLE_KIND_PRISON);
	uint8_t payload[64] = {1}, *b;
	struct bundle_error err;
	size_t len;

	test_step("a bundle for BXI opened at NEP: for another establishment");
	fix_seal(mdi, bxi, payload, sizeof(payload), &b, &len);
	err = fix_open_refused(nep, trusted, 1, b, len, FIX_NOW, -ENOKEY);
	CHECK_STR(err.message, "this bundle is for another establishment (BXI)");
	CHECK_STR(err.subject, "BXI");
	test_step("a bundle for BXI's old certificate opened with BXI's new keys");
	err = fix_open_refused(bxi2, trusted, 1, b, len, FIX_NOW, -ENOKEY);
	CHECK_CONTAINS(err.message, "this bundle is for another certificate of BXI");
	CHECK_STR(err.subject, "BXI");
	test_step("a damaged recipient fingerprint is damage, not another certificate");
	b[HDR_OFF_RECIPIENT_FP + 5] ^= 0x10;
	err = fix_open_refused(bxi, trusted, 1, b, len, FIX_NOW, -EBADMSG);
	CHECK_STR(err.message, "the bundle has been altered or damaged: its recipient's "
	                       "fingerprint is not this certificate's and the sender's "
	                       "signature does not verify");
	test_step("...and from a sender not trusted, the sender is what is refused");
	fix_open_refused(bxi, NULL, 0, b, len, FIX_NOW, -EKEYREJECTED);
	b[HDR_OFF_RECIPIENT_FP + 5] ^= 0x10;
	test_step("the recipient fields rewritten to NEP: NEP refuses it as altered");
	memcpy(b + HDR_OFF_RECIPIENT_FP, cert_of(nep)->fingerprint, 32);
	memcpy(b + HDR_OFF_RECIPIENT_CODE, "NEP", 3);
	err = fix_open_refused(nep, trusted, 1, b, len, FIX_NOW, -EBADMSG);
	CHECK_CONTAINS(err.message, "signature does not verify");
	free(b);
	bundle_identity_free(bxi2);
}

static void
test_untrusted(void)
{
	const struct bundle_cert *others[] = {cert_of(bxi), cert_of(nep)};
	uint8_t payload[10] = {0}, *b;
	struct bundle_error err;
	size_t len;

	fix_seal(mdi, bxi, payload, sizeof(payload), &b, &len);
	test_step("sender MDI not in the trust list");
	err = fix_open_refused(bxi, others, 2, b, len, FIX_NOW, -EKEYREJECTED);
	CHECK_CONTAINS(err.message, "the sender MDI (HMP Moorland) is not trusted here");
	CHECK_CONTAINS(err.message, bundle_cert_fingerprint(cert_of(mdi)));
	CHECK_STR(err.subject, "MDI");
	test_step("an empty trust list");
	fix_open_refused(bxi, NULL, 0, b, len, FIX_NOW, -EKEYREJECTED);
	test_step("another MDI certificate (same code and name, other keys) is not MDI's");
	{
		struct bundle_identity *fake =
		        fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
		const struct bundle_cert *trusted[] = {cert_of(nep), cert_of(fake)};
		char want[300];

		err = fix_open_refused(bxi, trusted, 2, b, len, FIX_NOW, -EKEYREJECTED);
		/* An impostor is named as one, never as an establishment to trust. */
		snprintf(want, sizeof(want),
		         "the sender claims to be MDI, but its certificate (%.16s...) is not the "
		         "certificate of MDI trusted here (%.16s...)",
		         bundle_cert_fingerprint(cert_of(mdi)),
		         bundle_cert_fingerprint(cert_of(fake)));
		CHECK_STR(err.message, want);
		CHECK_STR(err.subject, "MDI");
		bundle_identity_free(fake);
	}
	free(b);
}

static void
test_validity(void)
{
	const struct bundle_cert *trusted[] = {cert_of(mdi)};
	uint8_t payload[10] = {0}, *b;
	struct bundle_error err;
	size_t len;

	fix_seal(mdi, bxi, payload, sizeof(payload), &b, &len);
	test_step("opened one second after the sender's certificate expired");
	err = fix_open_refused(bxi, trusted, 1, b, len, FIX_NOT_AFTER + 1, -EKEYEXPIRED);
	CHECK_STR(err.message, "the sender MDI's certificate expired on 2027-12-31T23:59:59Z");
	CHECK_STR(err.subject, "MDI");
	CHECK_INT(err.when, FIX_NOT_AFTER);
	test_step("opened one second before it became valid");
	err = fix_open_refused(bxi, trusted, 1, b, len, FIX_NOT_BEFORE - 1, -EKEYEXPIRED);
	CHECK_STR(err.message, "the sender MDI's certificate is not valid until "
	                       "2026-01-01T00:00:00Z");
	CHECK_INT(err.when, FIX_NOT_BEFORE);
	test_step("the first and last second of validity are inside it");
	fix_open_ok(bxi, trusted, 1, b, len, FIX_NOT_AFTER, payload, sizeof(payload), NULL);
	fix_open_ok(bxi, trusted, 1, b, len, FIX_NOT_BEFORE, payload, sizeof(payload), NULL);
	free(b);
}

/* Whether the certificate text at p (n bytes) parses with the given fingerprint. */
static bool
cert_same(const uint8_t *p, size_t n, const uint8_t fp[32])
{
	struct bundle_cert *c = NULL;
	bool same;

	if (bundle_cert_parse(p, n, &c, NULL) < 0)
		return false;
	same = memcmp(c->fingerprint, fp, 32) == 0;
	bundle_cert_free(c);
	return same;
}

static bool
json_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The error a bundle with byte pos changed to b must give, from the format's rules: each
 * header field's own check, and a signature or tag failure for everything signed.
 * root_issued: the sender's certificate is trusted through a root, so a change to the
 * certificate's signature is caught by the root's signature before the bundle's.
 */
static int
expected(const uint8_t *orig, size_t len, size_t pos, uint8_t b, bool root_issued)
{
	size_t c = bundle__get_be16(orig + HDR_OFF_CERT_LEN), hl = HDR_FIXED_LEN + c;
	uint64_t p = bundle__get_be64(orig + HDR_OFF_PAYLOAD_LEN);

	if (pos < HDR_OFF_VERSION)
		return -ENOMSG;
	if (pos < HDR_OFF_CERT_LEN)
		return -EPROTONOSUPPORT;
	if (pos < HDR_OFF_ID) {
		uint8_t f[2] = {orig[HDR_OFF_CERT_LEN], orig[HDR_OFF_CERT_LEN + 1]};
		size_t c2;

		f[pos - HDR_OFF_CERT_LEN] = b;
		c2 = bundle__get_be16(f);
		if (c2 < HDR_CERT_MIN || c2 > HDR_CERT_MAX)
			return -EBADMSG;
		if (HDR_FIXED_LEN + c2 > len)
			return -ENODATA;
		/* A longer certificate that only adds JSON white space still parses; the
		 * bundle then ends too soon for what it declares. */
		if (c2 > c) {
			bool all_space = true;

			for (size_t i = hl; i < HDR_FIXED_LEN + c2; i++)
				all_space = all_space && json_space(orig[i]);
			if (all_space)
				return -ENODATA;
		}
		return -EBADMSG;
	}
	if (pos >= HDR_OFF_PAYLOAD_LEN && pos < HDR_OFF_SENDER_FP) {
		uint8_t f[8];
		uint64_t p2, total;

		memcpy(f, orig + HDR_OFF_PAYLOAD_LEN, 8);
		f[pos - HDR_OFF_PAYLOAD_LEN] = b;
		p2 = bundle__get_be64(f);
		if (p2 > BUNDLE_PAYLOAD_MAX)
			return -EFBIG;
		total = hl + p2 + BUNDLE_TRAILER_LEN;
		return total > len ? -ENODATA : -EBADMSG;
	}
	/* A changed recipient fingerprint names our code and another certificate: the
	 * sender's signature, checked before that is reported, shows it was damaged. */
	if (pos >= HDR_FIXED_LEN && pos < hl && root_issued) {
		uint8_t *copy = malloc(c);
		bool same;

		CHECK(copy != NULL);
		memcpy(copy, orig + HDR_FIXED_LEN, c);
		copy[pos - HDR_FIXED_LEN] = b;
		same = cert_same(copy, c, orig + HDR_OFF_SENDER_FP);
		free(copy);
		if (same)
			return -EKEYREJECTED;
	}
	(void)p;
	return -EBADMSG;
}

static void
sweep(const struct bundle_identity *sender, const struct bundle_cert *const *trusted, size_t n,
      bool root_issued, size_t payload_len)
{
	static const uint8_t flips[] = {0x01, 0x80, 0xff};
	uint8_t *payload = fix_payload(payload_len, 21), *b;
	size_t len, counts[4] = {0};

	fix_seal(sender, bxi, payload, payload_len, &b, &len);
	for (size_t pos = 0; pos < len; pos++) {
		for (size_t k = 0; k < sizeof(flips); k++) {
			uint8_t old = b[pos], nb = (uint8_t)(old ^ flips[k]);
			int want = expected(b, len, pos, nb, root_issued);

			b[pos] = nb;
			fix_open_refused(bxi, trusted, n, b, len, FIX_NOW, want);
			b[pos] = old;
			counts[want == -EBADMSG   ? 0
			       : want == -ENODATA ? 1
			       : want == -ENOKEY  ? 2
			                          : 3]++;
		}
	}
	test_step("%zu positions x %zu changes: %zu altered, %zu cut short, %zu another "
	          "recipient, %zu other",
	          len, sizeof(flips), counts[0], counts[1], counts[2], counts[3]);
	/* Unchanged, it still opens: the sweep restored every byte. */
	fix_open_ok(bxi, trusted, n, b, len, FIX_NOW, payload, payload_len, NULL);
	free(b);
	free(payload);
}

static void
test_byte_flips(void)
{
	const struct bundle_cert *trusted[] = {cert_of(mdi)};

	test_step("every byte changed, pinned sender, 300-byte payload");
	sweep(mdi, trusted, 1, false, 300);
	test_step("every byte changed, empty payload");
	sweep(mdi, trusted, 1, false, 0);
}

static void
test_truncated(void)
{
	const struct bundle_cert *trusted[] = {cert_of(mdi)};
	uint8_t *payload = fix_payload(1000, 5), *b;
	size_t len;

	fix_seal(mdi, bxi, payload, 1000, &b, &len);
	test_step("cut short at every length from 0 to %zu", len - 1);
	for (size_t n = 0; n < len; n++) {
		/* A copy of exactly n bytes, so AddressSanitizer sees any read past it. */
		uint8_t *copy = malloc(n ? n : 1);

		CHECK(copy != NULL);
		memcpy(copy, b, n);
		fix_open_refused(bxi, trusted, 1, copy, n, FIX_NOW, -ENODATA);
		free(copy);
	}
	test_step("one byte too many");
	{
		uint8_t *longer = malloc(len + 1);
		struct bundle_error err;

		memcpy(longer, b, len);
		longer[len] = 0;
		err = fix_open_refused(bxi, trusted, 1, longer, len + 1, FIX_NOW, -EBADMSG);
		CHECK_CONTAINS(err.message, "1 extra byte after its end");
		free(longer);
	}
	free(b);
	free(payload);
}

static void
test_magic_version(void)
{
	const struct bundle_cert *trusted[] = {cert_of(mdi)};
	uint8_t zip[200] = "PK\x03\x04", *b;
	struct bundle_error err;
	struct bundle_info info;
	size_t len;

	test_step("a zip file: not an Onward bundle");
	err = fix_open_refused(bxi, trusted, 1, zip, sizeof(zip), FIX_NOW, -ENOMSG);
	CHECK_CONTAINS(err.message, "not an Onward bundle");
	CHECK_INT(bundle_peek(zip, sizeof(zip), &info, &err), -ENOMSG);
	test_step("three bytes: a start of the magic is cut short, anything else is not a bundle");
	fix_open_refused(bxi, trusted, 1, "ONW", 3, FIX_NOW, -ENODATA);
	fix_open_refused(bxi, trusted, 1, "XYZ", 3, FIX_NOW, -ENOMSG);
	fix_seal(mdi, bxi, "x", 1, &b, &len);
	test_step("format version 2 and 0");
	bundle__put_be16(b + HDR_OFF_VERSION, 2);
	err = fix_open_refused(bxi, trusted, 1, b, len, FIX_NOW, -EPROTONOSUPPORT);
	CHECK_CONTAINS(err.message, "format version 2");
	CHECK_INT(bundle_peek(b, len, &info, &err), -EPROTONOSUPPORT);
	bundle__put_be16(b + HDR_OFF_VERSION, 0);
	fix_open_refused(bxi, trusted, 1, b, len, FIX_NOW, -EPROTONOSUPPORT);
	bundle__put_be16(b + HDR_OFF_VERSION, 1);
	test_step("a payload length over the limit");
	bundle__put_be64(b + HDR_OFF_PAYLOAD_LEN, (uint64_t)BUNDLE_PAYLOAD_MAX + 1);
	fix_open_refused(bxi, trusted, 1, b, len, FIX_NOW, -EFBIG);
	bundle__put_be64(b + HDR_OFF_PAYLOAD_LEN, UINT64_MAX);
	fix_open_refused(bxi, trusted, 1, b, len, FIX_NOW, -EFBIG);
	free(b);
}

/*
 * The sender's certificate in a bundle replaced by signer's, and the bundle signed again
 * by signer: what a trusted establishment that intercepted a bundle could do.
 */
static uint8_t *
resign_as(const uint8_t *b, size_t len, const struct bundle_identity *signer, size_t *ret_len)
{
	size_t old_hl = HDR_FIXED_LEN + bundle__get_be16(b + HDR_OFF_CERT_LEN), json_len, hl,
	       out_len;
	uint8_t hd[32], cd[32], msg[MSG_SEALED_LEN], *out;
	char *json;

	CHECK_INT(bundle_cert_serialize(cert_of(signer), &json, &json_len, NULL), 0);
	hl = HDR_FIXED_LEN + json_len;
	out_len = hl + (len - old_hl);
	out = malloc(out_len);
	CHECK(out != NULL);
	memcpy(out, b, HDR_FIXED_LEN);
	bundle__put_be16(out + HDR_OFF_CERT_LEN, (uint16_t)json_len);
	memcpy(out + HDR_OFF_SENDER_FP, cert_of(signer)->fingerprint, 32);
	memcpy(out + HDR_FIXED_LEN, json, json_len);
	memcpy(out + hl, b + old_hl, len - old_hl);
	free(json);
	CHECK_INT(crypto_sha256(out, hl, hd), 0);
	CHECK_INT(crypto_sha256(out + hl, out_len - hl - SIG_LEN, cd), 0);
	bundle__envelope_msg_sealed(hd, cd, msg);
	CHECK_INT(ed25519_sign(signer->sign, msg, sizeof(msg), out + out_len - SIG_LEN), 0);
	*ret_len = out_len;
	return out;
}

static void
test_resigned(void)
{
	struct bundle_identity *lei = fix_identity("LEI", "HMP Leicester", BUNDLE_KIND_PRISON);
	const struct bundle_cert *trusted[] = {cert_of(mdi), cert_of(lei)};
	uint8_t *payload = fix_payload(4000, 8), *b, *forged, hd[32], cd[32], msg[MSG_SEALED_LEN];
	size_t len, hl, flen;
	struct bundle_error err;

	fix_seal(mdi, bxi, payload, 4000, &b, &len);
	hl = HDR_FIXED_LEN + bundle__get_be16(b + HDR_OFF_CERT_LEN);
	test_step("LEI (trusted) replaces MDI's signature with its own: refused as altered");
	CHECK_INT(crypto_sha256(b, hl, hd), 0);
	CHECK_INT(crypto_sha256(b + hl, len - hl - SIG_LEN, cd), 0);
	bundle__envelope_msg_sealed(hd, cd, msg);
	forged = malloc(len);
	memcpy(forged, b, len);
	CHECK_INT(ed25519_sign(lei->sign, msg, sizeof(msg), forged + len - SIG_LEN), 0);
	err = fix_open_refused(bxi, trusted, 2, forged, len, FIX_NOW, -EBADMSG);
	CHECK_CONTAINS(err.message, "the sender's signature does not verify");
	free(forged);
	test_step("LEI puts itself in the header as sender and signs it all: it does not decrypt");
	forged = resign_as(b, len, lei, &flen);
	err = fix_open_refused(bxi, trusted, 2, forged, flen, FIX_NOW, -EBADMSG);
	CHECK_CONTAINS(err.message, "does not decrypt");
	free(forged);
	test_step("MDI's own re-signature of its bundle still opens (the forgery helper is right)");
	forged = resign_as(b, len, mdi, &flen);
	fix_open_ok(bxi, trusted, 2, forged, flen, FIX_NOW, payload, 4000, NULL);
	free(forged);
	free(b);
	free(payload);
	bundle_identity_free(lei);
}

static void
test_swapped(void)
{
	const struct bundle_cert *trusted[] = {cert_of(mdi)};
	uint8_t *p1 = fix_payload(2000, 1), *p2 = fix_payload(2000, 2), *x, *y, *z;
	size_t xl, yl, hl;
	static const struct {
		const char *what;
		size_t off, len;
	} fields[] = {{"bundle id", HDR_OFF_ID, BUNDLE_ID_LEN},
	              {"created-at", HDR_OFF_CREATED, 8},
	              {"ephemeral key", HDR_OFF_EPHEMERAL, 32}};

	fix_seal(mdi, bxi, p1, 2000, &x, &xl);
	/* One second later, so created-at differs too. */
	{
		struct bundle_error err = {0};
		void *out;

		CHECK_INT(bundle_seal(mdi, cert_of(bxi), p2, 2000, FIX_NOW + 1, &out, &yl, NULL,
		                      &err),
		          0);
		y = out;
	}
	CHECK_INT(xl, yl);
	hl = HDR_FIXED_LEN + bundle__get_be16(x + HDR_OFF_CERT_LEN);
	z = malloc(xl);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		test_step("%s of one bundle put in another", fields[i].what);
		memcpy(z, x, xl);
		memcpy(z + fields[i].off, y + fields[i].off, fields[i].len);
		fix_open_refused(bxi, trusted, 1, z, xl, FIX_NOW, -EBADMSG);
	}
	test_step("the whole header of one bundle on the body of another");
	memcpy(z, y, hl);
	memcpy(z + hl, x + hl, xl - hl);
	fix_open_refused(bxi, trusted, 1, z, xl, FIX_NOW, -EBADMSG);
	test_step("the final signature of one bundle on another");
	memcpy(z, x, xl);
	memcpy(z + xl - SIG_LEN, y + yl - SIG_LEN, SIG_LEN);
	fix_open_refused(bxi, trusted, 1, z, xl, FIX_NOW, -EBADMSG);
	test_step("ciphertext and tag of one under the header and signature of another");
	memcpy(z, x, xl);
	memcpy(z + hl, y + hl, xl - hl - SIG_LEN);
	fix_open_refused(bxi, trusted, 1, z, xl, FIX_NOW, -EBADMSG);
	free(z);
	free(x);
	free(y);
	free(p1);
	free(p2);
}

static void
test_root(void)
{
	struct bundle_identity *root =
	        fix_identity("GBR", "Onward national root", BUNDLE_KIND_ROOT);
	struct bundle_identity *other_root =
	        fix_identity("GBR", "Onward national root", BUNDLE_KIND_ROOT);
	struct bundle_identity *lei = fix_identity("LEI", "HMP Leicester", BUNDLE_KIND_PRISON);
	struct bundle_identity *rogue = fix_identity("PVI", "HMP Pentonville", BUNDLE_KIND_PRISON);
	const struct bundle_cert *by_root[] = {cert_of(root)};
	const struct bundle_cert *by_other[] = {cert_of(other_root)};
	struct bundle_cert *issued = NULL, forged;
	struct bundle_error err = {0};
	uint8_t payload[300] = {7}, *b;
	size_t len;

	CHECK_INT(
	        bundle_cert_issue(root, cert_of(lei), FIX_NOT_BEFORE, FIX_NOW + 100, &issued, &err),
	        0);
	CHECK_INT(bundle_identity_set_cert(lei, issued, &err), 0);
	bundle_cert_free(issued);
	fix_seal(lei, bxi, payload, sizeof(payload), &b, &len);
	test_step("issued by a root that is not trusted here");
	err = fix_open_refused(bxi, by_other, 1, b, len, FIX_NOW, -EKEYREJECTED);
	CHECK_CONTAINS(err.message, "the sender LEI (HMP Leicester) is not trusted here");
	CHECK_CONTAINS(err.message, "from an unknown root");
	test_step("the issued certificate expired, though the root has not");
	err = fix_open_refused(bxi, by_root, 1, b, len, FIX_NOW + 101, -EKEYEXPIRED);
	CHECK_CONTAINS(err.message, "the sender LEI's certificate expired on");
	test_step("the root itself expired");
	err = fix_open_refused(bxi, by_root, 1, b, len, FIX_NOT_AFTER + 1, -EKEYEXPIRED);
	CHECK_CONTAINS(err.message, "the root certificate GBR expired on");
	CHECK_STR(err.subject, "GBR");
	free(b);

	test_step("a certificate naming the trusted root as issuer but signed by someone else");
	forged = *cert_of(rogue);
	forged.self_signed = false;
	memcpy(forged.issuer, cert_of(root)->fingerprint, 32);
	CHECK_INT(bundle__cert_sign(&forged, rogue->sign, &err), 0);
	CHECK_INT(bundle_identity_set_cert(rogue, &forged, &err), 0);
	fix_seal(rogue, bxi, payload, sizeof(payload), &b, &len);
	err = fix_open_refused(bxi, by_root, 1, b, len, FIX_NOW, -EKEYREJECTED);
	CHECK_CONTAINS(err.message, "signature by the root GBR does not verify");
	free(b);

	test_step("every byte changed, sender trusted through the root");
	sweep(lei, by_root, 1, true, 100);

	bundle_identity_free(root);
	bundle_identity_free(other_root);
	bundle_identity_free(lei);
	bundle_identity_free(rogue);
}

static void
test_seal_refusals(void)
{
	struct bundle_identity *old = NULL, *root = fix_identity("GBR", "Root", BUNDLE_KIND_ROOT);
	struct bundle_cert tampered;
	struct bundle_error err = {0};
	void *out = (void *)0x1;
	size_t out_len = 3;

	test_step("seal: recipient's certificate expired; sender's own expired; a root either way");
	CHECK_INT(bundle_identity_generate("OLD", "HMP Old", BUNDLE_KIND_PRISON, FIX_NOT_BEFORE,
	                                   FIX_NOW - 1, &old, &err),
	          0);
	CHECK_INT(bundle_seal(mdi, cert_of(old), "x", 1, FIX_NOW, &out, &out_len, NULL, &err),
	          -EKEYEXPIRED);
	CHECK_CONTAINS(err.message, "the certificate of OLD expired on");
	CHECK_STR(err.subject, "OLD");
	CHECK_INT(bundle_seal(old, cert_of(bxi), "x", 1, FIX_NOW, &out, &out_len, NULL, &err),
	          -EKEYEXPIRED);
	CHECK_CONTAINS(err.message, "this establishment's certificate (OLD) expired on");
	CHECK_INT(bundle_seal(mdi, cert_of(root), "x", 1, FIX_NOW, &out, &out_len, NULL, &err),
	          -EINVAL);
	CHECK_INT(bundle_seal(root, cert_of(bxi), "x", 1, FIX_NOW, &out, &out_len, NULL, &err),
	          -EINVAL);
	test_step("seal: a recipient certificate whose self-signature fails");
	tampered = *cert_of(bxi);
	memcpy(tampered.name, "HMP Brixtom", 12);
	CHECK_INT(bundle_seal(mdi, &tampered, "x", 1, FIX_NOW, &out, &out_len, NULL, &err),
	          -EKEYREJECTED);
	CHECK(out == (void *)0x1);
	CHECK_INT(out_len, 3);
	test_step("open: a root's identity cannot open anything");
	CHECK_INT(bundle_open(root, NULL, 0, "ONWBUNDL", 8, FIX_NOW, &out, &out_len, NULL, &err),
	          -EINVAL);
	bundle_identity_free(old);
	bundle_identity_free(root);
}

/* bundle_open_head() refusing a header that is not the bundle's, or no header at all. */
static struct bundle_error
head_refused(const struct bundle_head *head, const uint8_t *b, size_t len, int code)
{
	const struct bundle_cert *trusted[] = {cert_of(mdi)};
	struct bundle_error err = {0};
	void *out = (void *)0x1;
	size_t out_len = 7;
	int r = bundle_open_head(bxi, trusted, 1, head, b, len, FIX_NOW, &out, &out_len, NULL,
	                         &err);

	if (r != code)
		check_failed(__FILE__, __LINE__, "open_head returned %s (%s), expected %s",
		             fix_errname(r), r < 0 ? err.message : "opened", fix_errname(code));
	CHECK(out == (void *)0x1 && out_len == 7);
	return err;
}

static void
test_head_claims(void)
{
	struct bundle_identity *other = fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
	const struct bundle_cert *trusted[] = {cert_of(mdi)};
	uint8_t payload[300] = {7}, *b;
	struct bundle_head head, changed;
	struct bundle_error err;
	size_t len;

	test_step("a header read elsewhere opens the bundle it was read from");
	fix_seal(mdi, bxi, payload, sizeof(payload), &b, &len);
	CHECK_INT(bundle_head_read(b, BUNDLE_HEAD_MAX < len ? BUNDLE_HEAD_MAX : len, &head, NULL),
	          0);
	{
		void *out = NULL;
		size_t out_len = 0;

		CHECK_INT(bundle_open_head(bxi, trusted, 1, &head, b, len, FIX_NOW, &out, &out_len,
		                           NULL, NULL),
		          0);
		CHECK(out_len == sizeof(payload) && memcmp(out, payload, sizeof(payload)) == 0);
		bundle_buffer_free(out, out_len);
	}
	test_step("each field a reader could lie about is held against the bytes");
	changed = head;
	changed.id[3] ^= 1;
	err = head_refused(&changed, b, len, -ESTALE);
	CHECK_STR(err.message, "the bundle's bytes are not the ones its header was read from");
	changed = head;
	changed.created_at++;
	head_refused(&changed, b, len, -ESTALE);
	changed = head;
	changed.payload_len--;
	changed.bundle_len--;
	head_refused(&changed, b, len, -ESTALE);
	changed = head;
	changed.recipient_fp[0] ^= 1;
	head_refused(&changed, b, len, -ESTALE);
	changed = head;
	changed.ephemeral[31] ^= 1;
	head_refused(&changed, b, len, -ESTALE);
	changed = head;
	memcpy(changed.recipient_code, "NEP", 4);
	head_refused(&changed, b, len, -ESTALE);
	test_step("...another certificate of the same code, with its own fingerprint, too");
	changed = head;
	CHECK_INT(bundle_cert_dup(cert_of(other), &changed.sender), 0);
	memcpy(changed.sender_fp, cert_of(other)->fingerprint, 32);
	head_refused(&changed, b, len, -ESTALE);
	bundle_cert_free(changed.sender);
	test_step("bytes that end inside the header described: not that header");
	head_refused(&head, b, head.header_len - 1, -ESTALE);
	test_step("a header no bundle can have is the caller's mistake");
	changed = head;
	changed.sender_fp[0] ^= 1; /* not its certificate's fingerprint */
	head_refused(&changed, b, len, -EINVAL);
	changed = head;
	changed.version = 2;
	head_refused(&changed, b, len, -EINVAL);
	changed = head;
	changed.header_len++;
	head_refused(&changed, b, len, -EINVAL);
	changed = head;
	changed.sender = NULL;
	head_refused(&changed, b, len, -EINVAL);
	head_refused(NULL, b, len, -EINVAL);
	bundle_head_clear(&head);
	bundle_identity_free(other);
	free(b);
}

int
main(void)
{
	mdi = fix_identity("MDI", "HMP Moorland", BUNDLE_KIND_PRISON);
	bxi = fix_identity("BXI", "HMP Brixton", BUNDLE_KIND_PRISON);
	nep = fix_identity("NEP", "North East Probation Region", BUNDLE_KIND_PROBATION);
	test_other_recipient();
	test_untrusted();
	test_validity();
	test_byte_flips();
	test_truncated();
	test_magic_version();
	test_resigned();
	test_swapped();
	test_root();
	test_seal_refusals();
	test_head_claims();
	bundle_identity_free(mdi);
	bundle_identity_free(bxi);
	bundle_identity_free(nep);
	return 0;
}
