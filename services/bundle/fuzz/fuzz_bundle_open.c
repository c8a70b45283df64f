/*
 * fuzz_bundle_open.c: libFuzzer target for everything that reads an outsider's bytes:
 * bundle_peek() and bundle_open() (as BXI, trusting MDI and the root GBR, at a time
 * inside every certificate's validity), and, when the input looks like JSON, the
 * certificate parser on its own. Seeds (tests/fuzz/corpus/fuzz-bundle-open/) are real
 * bundles sealed with the same fixed keys, so mutations start from bundles that open.
 * A successful open must return exactly the declared payload length.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_fixture fx;
static int ready;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_error err;
	struct bundle_info peeked, info;
	struct bundle_cert *cert;
	void *payload = NULL;
	size_t len = 0;
	int peek_r, r;

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
	peek_r = bundle_peek(data, size, &peeked, &err);
	r = bundle_open(fx.bxi, fx.trusted, 2, data, size, FUZZ_NOW, &payload, &len, &info, &err);
	if (r == 0) {
		/* Whatever opens was sealed by a trusted sender for BXI and says so. */
		if (peek_r != 0 || len != info.payload_len || info.bundle_len != size ||
		    strcmp(info.recipient_code, "BXI") != 0 || !info.verified ||
		    strcmp(info.id_hex, peeked.id_hex) != 0)
			abort();
		bundle_buffer_free(payload, len);
	}
	return 0;
}
