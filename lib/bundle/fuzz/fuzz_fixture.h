/*
 * fuzz_fixture.h: the fixed identities fuzz-bundle-open opens bundles with, and which the
 * seed tool (tests/bundle/fuzz_seeds.c) seals its seeds with, so the seeds are bundles the
 * fuzzer's recipient can open and mutations start from valid ones. The private keys are
 * SHA-256 of fixed labels: test keys, public by design, never used anywhere else.
 *
 * MDI (self-signed, trusted as itself) and LEI (issued by the root GBR, trusted through
 * it) send; BXI receives; the certificates run through 2026 and 2027; FUZZ_NOW is inside.
 */
#ifndef ONWARD_BUNDLE_FUZZ_FIXTURE_H
#define ONWARD_BUNDLE_FUZZ_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"

#define FUZZ_NOT_BEFORE 1767225600LL /* 2026-01-01T00:00:00Z */
#define FUZZ_NOT_AFTER 1830297599LL /* 2027-12-31T23:59:59Z */
#define FUZZ_NOW 1780272000LL /* 2026-06-01T00:00:00Z */

static const uint8_t fuzz_mdi_sign[32] = {0xe1, 0xf7, 0xef, 0x85, 0xc5, 0x71, 0x2d, 0xc4,
                                          0x76, 0x03, 0xa2, 0x7c, 0xa2, 0xc4, 0x3f, 0x33,
                                          0x64, 0x61, 0xa3, 0xfd, 0x52, 0xe0, 0x21, 0x7a,
                                          0xd5, 0x6a, 0xd6, 0xbf, 0x43, 0xe0, 0xdc, 0xd5};
static const uint8_t fuzz_mdi_enc[32] = {0xe7, 0xe0, 0x72, 0x6a, 0x9c, 0x8e, 0x07, 0x84,
                                         0xfb, 0x4a, 0x12, 0xb8, 0x61, 0x81, 0xc2, 0x0c,
                                         0xe7, 0x05, 0xe1, 0x46, 0x43, 0x37, 0xf5, 0xce,
                                         0x16, 0x89, 0xbc, 0x38, 0xb6, 0x81, 0x4f, 0x84};
static const uint8_t fuzz_bxi_sign[32] = {0xbc, 0xc0, 0x09, 0x43, 0xb8, 0x09, 0x39, 0x58,
                                          0x3c, 0x82, 0x5e, 0xc3, 0x9a, 0xde, 0xe1, 0xab,
                                          0x3b, 0xc5, 0x7a, 0xe7, 0xb7, 0xfc, 0x62, 0xd3,
                                          0xca, 0xee, 0x80, 0x75, 0xbd, 0x85, 0xbb, 0xeb};
static const uint8_t fuzz_bxi_enc[32] = {0x4b, 0x00, 0xb7, 0x39, 0x39, 0x0f, 0x5e, 0xdd,
                                         0xc3, 0x7c, 0xce, 0xe2, 0x28, 0x07, 0x2e, 0xf5,
                                         0x39, 0xce, 0x0b, 0xd1, 0x66, 0xf2, 0x36, 0xc5,
                                         0x4b, 0x6c, 0x74, 0xd1, 0xfb, 0x8b, 0x7e, 0x56};
static const uint8_t fuzz_lei_sign[32] = {0x80, 0xb9, 0x10, 0xa1, 0x45, 0x21, 0xfe, 0xc2,
                                          0xa8, 0x0a, 0xf9, 0xb7, 0xa9, 0xa4, 0x0a, 0x00,
                                          0x20, 0x3c, 0xde, 0x86, 0x76, 0x47, 0x9f, 0xfa,
                                          0x08, 0xbe, 0x28, 0xf3, 0xe0, 0xd5, 0x65, 0xad};
static const uint8_t fuzz_lei_enc[32] = {0xe9, 0xd7, 0xdd, 0xf5, 0xe2, 0x48, 0x23, 0x8c,
                                         0x6a, 0x50, 0x7b, 0x01, 0x68, 0x26, 0x55, 0x79,
                                         0x3b, 0xfc, 0x19, 0x11, 0x4a, 0x03, 0x74, 0x00,
                                         0x82, 0xc4, 0xfd, 0x87, 0x5e, 0x4b, 0xe7, 0xda};
static const uint8_t fuzz_gbr_sign[32] = {0x74, 0xeb, 0x8a, 0x16, 0x1d, 0x23, 0x6a, 0x9f,
                                          0x1e, 0x4a, 0xe2, 0x09, 0x76, 0x15, 0x29, 0x93,
                                          0xca, 0xe1, 0xa5, 0x77, 0xe2, 0xae, 0x12, 0x1a,
                                          0xe4, 0x59, 0x0d, 0xb6, 0xef, 0xeb, 0xf9, 0x32};

struct fuzz_fixture {
	struct bundle_identity *mdi, *bxi, *lei, *gbr;
	const struct bundle_cert *trusted[2]; /* MDI's certificate and the root GBR */
};

/* Builds the fixture; aborts if it cannot (the fuzzer is useless without it). */
static inline void
fuzz_fixture_init(struct fuzz_fixture *fx)
{
	struct bundle_cert issued;

	if (bundle__identity_from_raw("MDI", "HMP Moorland", BUNDLE_KIND_PRISON, fuzz_mdi_sign,
	                              fuzz_mdi_enc, "00000000000000000000000000000001",
	                              FUZZ_NOT_BEFORE, FUZZ_NOT_AFTER, &fx->mdi, NULL) < 0 ||
	    bundle__identity_from_raw("BXI", "HMP Brixton", BUNDLE_KIND_PRISON, fuzz_bxi_sign,
	                              fuzz_bxi_enc, "00000000000000000000000000000002",
	                              FUZZ_NOT_BEFORE, FUZZ_NOT_AFTER, &fx->bxi, NULL) < 0 ||
	    bundle__identity_from_raw("LEI", "HMP Leicester", BUNDLE_KIND_PRISON, fuzz_lei_sign,
	                              fuzz_lei_enc, "00000000000000000000000000000003",
	                              FUZZ_NOT_BEFORE, FUZZ_NOT_AFTER, &fx->lei, NULL) < 0 ||
	    bundle__identity_from_raw("GBR", "Onward national root", BUNDLE_KIND_ROOT,
	                              fuzz_gbr_sign, NULL, "00000000000000000000000000000004",
	                              FUZZ_NOT_BEFORE, FUZZ_NOT_AFTER, &fx->gbr, NULL) < 0)
		abort();
	/* LEI's certificate issued by GBR with a fixed serial, so it is the same every run. */
	issued = *bundle_identity_cert(fx->lei);
	memcpy(issued.serial, "00000000000000000000000000000005", 33);
	issued.self_signed = false;
	memcpy(issued.issuer, bundle_identity_cert(fx->gbr)->fingerprint, SHA256_LEN);
	if (bundle__cert_sign(&issued, fx->gbr->sign, NULL) < 0 ||
	    bundle_identity_set_cert(fx->lei, &issued, NULL) < 0)
		abort();
	fx->trusted[0] = bundle_identity_cert(fx->mdi);
	fx->trusted[1] = bundle_identity_cert(fx->gbr);
}

#endif
