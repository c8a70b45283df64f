/*
 * fuzz_bundle_open.c: libFuzzer target for everything that reads an outsider's bytes:
 * bundle_peek() and bundle_open() (as BXI, trusting MDI and the root GBR, at a time
 * inside every certificate's validity), and, when the input looks like JSON, the
 * certificate parser on its own. Seeds (tests/fuzz/corpus/fuzz-bundle-open/) are real
 * bundles sealed with the same fixed keys, so mutations start from bundles that open.
 * Then, if the input claims MDI as its sender, it is signed again with MDI's key and opened
 * once more, so that mutations also reach what lies behind the sealed signature: the key
 * derivation from a mutated header, decryption, the tag and the content signature.
 * Whatever opens must say what its header says; a bundle refused as "for another
 * certificate of BXI" must carry a sealed signature that holds (else it is damaged, and
 * must say so); and a self-signed sender claiming MDI's code with other keys must be
 * named as claiming it, never as a sender merely not trusted. Every open is repeated as the
 * daemon opens (its child reads the header, bundle_open_head() opens) and must end the
 * same.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_fixture fx;
static int ready;

/* Whether data's sealed signature holds for the sender its header names. */
static int
sealed_signature_holds(const uint8_t *data, size_t size)
{
	struct bundle_head h;
	uint8_t hd[SHA256_LEN], cd[SHA256_LEN], msg[MSG_SEALED_LEN];
	int holds = 0;

	if (bundle__header_parse(data, size, &h, NULL) < 0)
		return 0;
	if (h.bundle_len == size && crypto_sha256(data, h.header_len, hd) == 0 &&
	    crypto_sha256(data + h.header_len, size - h.header_len - SIG_LEN, cd) == 0) {
		bundle__envelope_msg_sealed(hd, cd, msg);
		holds = ed25519_verify_raw(h.sender->sign_key, msg, sizeof(msg),
		                           data + size - SIG_LEN) == 0;
	}
	bundle__header_clear(&h);
	return holds;
}

/*
 * Opens data as the daemon does: its keyless child reads the header from the first
 * BUNDLE_HEAD_MAX bytes and sends the certificate as canonical JSON, parsed again here,
 * and bundle_open_head() opens with it. It must end as bundle_open() did (r_whole), word
 * for word.
 */
static void
open_split(const uint8_t *data, size_t size, int r_whole, const struct bundle_error *err_whole)
{
	struct bundle_error err = {0};
	struct bundle_head h;
	struct bundle_cert *again = NULL;
	char *json = NULL;
	size_t json_len;
	void *payload = NULL;
	size_t len = 0;
	int r = bundle_head_read(data, size < BUNDLE_HEAD_MAX ? size : BUNDLE_HEAD_MAX, &h, &err);

	if (r == 0) {
		if (bundle_cert_serialize(h.sender, &json, &json_len, NULL) < 0 ||
		    bundle_cert_parse(json, json_len, &again, NULL) < 0)
			abort();
		free(json);
		bundle_cert_free(h.sender);
		h.sender = again;
		r = bundle_open_head(fx.bxi, fx.trusted, 2, &h, data, size, FUZZ_NOW, &payload,
		                     &len, NULL, &err);
		bundle_head_clear(&h);
		bundle_buffer_free(payload, len);
	}
	if (r != r_whole || (r < 0 && strcmp(err.message, err_whole->message) != 0))
		abort();
}

/* Opens data as BXI; aborts if what opens is not consistent with its header. */
static void
open_and_check(const uint8_t *data, size_t size)
{
	struct bundle_error err;
	struct bundle_info peeked, info;
	void *payload = NULL;
	size_t len = 0;
	int peek_r = bundle_peek(data, size, &peeked, &err);
	int r = bundle_open(fx.bxi, fx.trusted, 2, data, size, FUZZ_NOW, &payload, &len, &info,
	                    &err);

	if (r == -ENOKEY && strcmp(err.subject, "BXI") == 0 && !sealed_signature_holds(data, size))
		abort();
	if (r == -EKEYREJECTED && peek_r == 0 && strcmp(peeked.sender_code, "MDI") == 0 &&
	    peeked.sender_kind != BUNDLE_KIND_ROOT && !peeked.sender_issuer[0] &&
	    !strstr(err.message, "claims to be MDI"))
		abort();
	open_split(data, size, r, &err);
	if (r != 0)
		return;
	if (peek_r != 0 || len != info.payload_len || info.bundle_len != size ||
	    strcmp(info.recipient_code, "BXI") != 0 || !info.verified ||
	    strcmp(info.id_hex, peeked.id_hex) != 0)
		abort();
	bundle_buffer_free(payload, len);
}

/* The input with its sealed signature made again by MDI, when it names MDI as sender. */
static void
resign_and_open(const uint8_t *data, size_t size)
{
	struct bundle_head h;
	uint8_t hd[SHA256_LEN], cd[SHA256_LEN], msg[MSG_SEALED_LEN], *copy;

	if (bundle__header_parse(data, size, &h, NULL) < 0)
		return;
	if (h.bundle_len == size &&
	    memcmp(h.sender_fp, bundle_identity_cert(fx.mdi)->fingerprint, SHA256_LEN) == 0 &&
	    (copy = malloc(size)) != NULL) {
		memcpy(copy, data, size);
		if (crypto_sha256(copy, h.header_len, hd) == 0 &&
		    crypto_sha256(copy + h.header_len, size - h.header_len - SIG_LEN, cd) == 0) {
			bundle__envelope_msg_sealed(hd, cd, msg);
			if (ed25519_sign(fx.mdi->sign, msg, sizeof(msg), copy + size - SIG_LEN) ==
			    0)
				open_and_check(copy, size);
		}
		free(copy);
	}
	bundle__header_clear(&h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_error err;
	struct bundle_cert *cert;

	if (!ready) {
		fuzz_fixture_init(&fx);
		ready = 1;
	}
	if (size > 0 && data[0] == '{' && bundle_cert_parse(data, size, &cert, &err) == 0) {
		/* A certificate that parses must serialize and parse back to itself. */
		char *json;
		size_t json_len;
		struct bundle_cert *again;

		if (bundle_cert_serialize(cert, &json, &json_len, NULL) < 0 ||
		    bundle_cert_parse(json, json_len, &again, NULL) < 0 ||
		    strcmp(bundle_cert_fingerprint(again), bundle_cert_fingerprint(cert)) != 0)
			abort();
		bundle_cert_verify(cert, NULL, FUZZ_NOW, &err);
		bundle_cert_check_trust(cert, fx.trusted, 2, FUZZ_NOW, &err);
		bundle_cert_free(again);
		free(json);
		bundle_cert_free(cert);
	}
	open_and_check(data, size);
	resign_and_open(data, size);
	return 0;
}
