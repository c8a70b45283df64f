/*
 * fixture.h: what the bundle tests share: identities with fixed validity, deterministic
 * payloads, and checks that a refused call returned exactly the expected error and left
 * its outputs untouched. Tests reach the library's internals (bundle_int.h) only to forge
 * what an attacker would: re-signed bundles and mis-issued certificates.
 */
#ifndef ONWARD_BUNDLE_FIXTURE_H
#define ONWARD_BUNDLE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "bundle_int.h"
#include "check.h"

/* Certificates made here run from FIX_NOT_BEFORE to FIX_NOT_AFTER; tests open at FIX_NOW. */
#define FIX_NOT_BEFORE 1767225600LL /* 2026-01-01T00:00:00Z */
#define FIX_NOT_AFTER 1830297599LL /* 2027-12-31T23:59:59Z */
#define FIX_NOW 1780272000LL /* 2026-06-01T00:00:00Z */

struct bundle_identity *fix_identity(const char *code, const char *name, enum bundle_kind kind);
/* A deterministic payload of len bytes (malloc'd; at least one byte allocated). */
uint8_t *fix_payload(size_t len, unsigned seed);
/* Seals payload from sender to recipient at FIX_NOW; checks success. */
void fix_seal(const struct bundle_identity *sender, const struct bundle_identity *recipient,
              const void *payload, size_t len, uint8_t **ret_bundle, size_t *ret_len);
/*
 * Opens and expects refusal with exactly code; checks that the payload, length and info
 * outputs were not touched and the error's code matches. Returns the error for more checks.
 */
struct bundle_error fix_open_refused(const struct bundle_identity *recipient,
                                     const struct bundle_cert *const *trusted, size_t n,
                                     const void *data, size_t len, int64_t now, int code);
/* Opens and expects success with the given payload. */
void fix_open_ok(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
                 size_t n, const void *data, size_t len, int64_t now, const void *payload,
                 size_t payload_len, struct bundle_info *ret_info);
/* A fresh temporary folder (mkdtemp) and removing it with everything in it. */
char *fix_tempdir(void);
void fix_rmtree(const char *dir);
/* The name of an errno code, for messages ("EBADMSG"). */
const char *fix_errname(int code);

#endif
