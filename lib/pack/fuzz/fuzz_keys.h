/*
 * fuzz_keys.h: the fixed content root, provider key and certificate that the pack reader's
 * fuzz target and its seed generator share, so seed packs verify inside the fuzzer and
 * mutated packs, signed again with the same key, reach past the envelope's checks.
 * These keys are public test values: nothing may ever trust them.
 */
#ifndef ONWARD_PACK_FUZZ_KEYS_H
#define ONWARD_PACK_FUZZ_KEYS_H

#include <string.h>

#include "pack_int.h"

#define FUZZ_NOT_BEFORE 1767225600 /* 2026-01-01T00:00:00Z */
#define FUZZ_NOT_AFTER 1798761599 /* 2026-12-31T23:59:59Z */
#define FUZZ_AT 1780272000 /* 2026-06-01T00:00:00Z */

/* What the first byte of a fuzz input selects; the rest is the input itself. */
enum fuzz_mode {
	FUZZ_PACK,
	FUZZ_MANIFEST,
	FUZZ_QUIZ,
	FUZZ_PAGE,
	FUZZ_PNG,
	FUZZ_CERT,
	FUZZ_NAME,
	FUZZ_ENVELOPE, /* a whole pack as it comes, not signed again: the envelope's checks */
	FUZZ_MODES,
};

static inline int
fuzz_keys(struct pack_key **ret_root, struct pack_key **ret_provider, struct pack_cert **ret_cert)
{
	uint8_t seed[PACK_RAW_KEY_LEN];

	memset(seed, 0x01, sizeof(seed));
	if (pack__key_from_raw_private(seed, ret_root, NULL) < 0)
		return -1;
	memset(seed, 0x02, sizeof(seed));
	if (pack__key_from_raw_private(seed, ret_provider, NULL) < 0)
		return -1;
	return pack_cert_issue(*ret_root, *ret_provider, "fuzz-provider", "Fuzz Provider",
	                       FUZZ_NOT_BEFORE, FUZZ_NOT_AFTER, ret_cert, NULL);
}

#endif
