/*
 * bundle_int.h: what the library's files share, and what its tests and fuzz target may
 * reach that the daemon may not: the certificate and identity structs, the header layout,
 * and the helpers for errors, encoding, files and keys. Nothing here is a stable interface.
 * The functions are named bundle__* (two underscores, as libuv's uv__*), so a call site
 * shows it is reaching inside the library.
 */
#ifndef ONWARD_BUNDLE_INT_H
#define ONWARD_BUNDLE_INT_H

#include <openssl/evp.h>

#include "bundle.h"
#include "crypto.h"
#include "ed25519.h"

#define KEY_LEN 32
#define SIG_LEN 64
#define SHA256_LEN CRYPTO_SHA256_LEN
#define TAG_LEN 16
#define AEAD_KEY_LEN 32
#define AEAD_NONCE_LEN 12

/* The header: fixed fields, then the sender's certificate (compact JSON). */
#define BUNDLE_MAGIC "ONWBUNDL"
#define BUNDLE_MAGIC_LEN 8
#define HDR_OFF_VERSION 8
#define HDR_OFF_CERT_LEN 10
#define HDR_OFF_ID 12
#define HDR_OFF_CREATED 28
#define HDR_OFF_PAYLOAD_LEN 36
#define HDR_OFF_SENDER_FP 44
#define HDR_OFF_RECIPIENT_FP 76
#define HDR_OFF_RECIPIENT_CODE 108
#define HDR_OFF_EPHEMERAL 112
#define HDR_FIXED_LEN 144
#define HDR_CERT_MIN 2
#define HDR_CERT_MAX 4096
/* After the payload's ciphertext: the content signature (encrypted), tag, signature. */
#define BUNDLE_TRAILER_LEN (SIG_LEN + TAG_LEN + SIG_LEN)
/* Time fields lie in years 1970 to 9999. */
#define BUNDLE_TIME_LIMIT 253402300799LL

/* Limits on files read from disk, checked before allocation. */
#define CERT_FILE_MAX (16u << 10)
#define KEY_FILE_MAX (16u << 10)

struct bundle_cert {
	char serial[BUNDLE_SERIAL_HEX_MAX];
	char code[BUNDLE_CODE_MAX];
	char name[BUNDLE_NAME_MAX + 1];
	enum bundle_kind kind;
	uint8_t sign_key[KEY_LEN];
	uint8_t encrypt_key[KEY_LEN]; /* all zero for a root */
	int64_t not_before;
	int64_t not_after;
	bool self_signed;
	uint8_t issuer[SHA256_LEN]; /* the root's fingerprint unless self_signed */
	char issuer_hex[BUNDLE_FINGERPRINT_HEX_MAX];
	uint8_t signature[SIG_LEN];
	uint8_t fingerprint[SHA256_LEN]; /* SHA-256 of the signed bytes */
	char fingerprint_hex[BUNDLE_FINGERPRINT_HEX_MAX];
};

struct bundle_identity {
	struct ed25519_key *sign; /* owned; with its private half */
	EVP_PKEY *encrypt; /* owned; X25519 private key; NULL for a root */
	struct bundle_cert *cert; /* owned */
};

/* A parsed header is a struct bundle_head (bundle.h). */

/* error.c */
int bundle__fail(struct bundle_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* As bundle__fail, also naming the establishment concerned and (for expiry) the date. */
int bundle__fail_about(struct bundle_error *err, int code, const char *subject, int64_t when,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Prefixes an existing error message with "what: ". */
void bundle__error_prefix(struct bundle_error *err, const char *what);

/* encode.c */
void bundle__put_be16(uint8_t *p, uint16_t v);
void bundle__put_be64(uint8_t *p, uint64_t v);
uint16_t bundle__get_be16(const uint8_t *p);
uint64_t bundle__get_be64(const uint8_t *p);
/* Names: 1..BUNDLE_NAME_MAX bytes of UTF-8 without control characters or edge spaces. */
bool bundle__name_valid(const char *name);

/* fileio.c */
/* Reads a whole regular file of at most max bytes; with private_file, refuses a mode that
 * lets group or others read (-EPERM). The buffer is NUL-terminated (not counted). */
int bundle__file_read(const char *path, size_t max, bool private_file, char **ret_data,
                      size_t *ret_len, struct bundle_error *err);
/* Creates path (never over an existing file) with mode, writes data and fsyncs. */
int bundle__file_write_new(const char *path, const void *data, size_t len, unsigned mode,
                           struct bundle_error *err);

/* key.c: X25519 keys, OpenSSL's results turned into ours in one place. (Signing keys are
 * lib/crypto's Ed25519 keys, ed25519.h.) */
int bundle__key_generate(EVP_PKEY **ret_key);
int bundle__key_from_raw_private(const uint8_t raw[KEY_LEN], EVP_PKEY **ret_key);
int bundle__key_raw_public(const EVP_PKEY *key, uint8_t ret_raw[KEY_LEN]);
/* The shared secret; -EBADMSG for a peer key of small order. */
int bundle__key_agree(EVP_PKEY *priv, const uint8_t peer_public[KEY_LEN],
                      uint8_t ret_secret[KEY_LEN]);

/* cert.c */
/* The bytes a certificate's signature covers (malloc'd). */
int bundle__cert_tbs(const struct bundle_cert *cert, char **ret_tbs, size_t *ret_len);
/* Fills serial..issuer of cert, signs with key, sets signature and fingerprint. */
int bundle__cert_sign(struct bundle_cert *cert, const struct ed25519_key *key,
                      struct bundle_error *err);
bool bundle__cert_valid_fields(const struct bundle_cert *cert);
/* Checks `at` against the validity; whose is e.g. "the sender MDI's certificate". */
int bundle__cert_check_time(const struct bundle_cert *cert, int64_t at, const char *whose,
                            struct bundle_error *err);

/* bundle_cert_check_trust(), with role (e.g. "the sender ") naming cert in messages. */
int bundle__cert_check_trust(const struct bundle_cert *cert,
                             const struct bundle_cert *const *trusted, size_t n_trusted, int64_t at,
                             const char *role, struct bundle_error *err);

/* identity.c: for tests and the fuzz target, an identity from fixed raw private keys. */
int bundle__identity_from_raw(const char *code, const char *name, enum bundle_kind kind,
                              const uint8_t sign_seed[KEY_LEN], const uint8_t encrypt_priv[KEY_LEN],
                              const char *serial, int64_t not_before, int64_t not_after,
                              struct bundle_identity **ret_identity, struct bundle_error *err);

/* header.c */
/* The header for these fields (malloc'd). */
int bundle__header_build(const struct bundle_cert *sender, const struct bundle_cert *recipient,
                         const uint8_t id[BUNDLE_ID_LEN], int64_t created_at, uint64_t payload_len,
                         const uint8_t ephemeral[KEY_LEN], uint8_t **ret_header, size_t *ret_len);
int bundle__header_parse(const uint8_t *data, size_t len, struct bundle_head *ret_header,
                         struct bundle_error *err);
void bundle__header_clear(struct bundle_head *header);
void bundle__header_info(const struct bundle_head *header, struct bundle_info *ret_info);
/* 0 when data begins with the fixed part h describes (-ESTALE otherwise); -EINVAL when h
 * is not a header a bundle can have. Parses nothing. */
int bundle__header_match(const struct bundle_head *h, const uint8_t *data, size_t len,
                         struct bundle_error *err);

/* envelope.c: the key schedule and the two signed messages, shared by seal and open. */
#define MSG_SEALED_LEN (24 + 2 * SHA256_LEN)
#define MSG_CONTENT_LEN (25 + 2 * SHA256_LEN)
int bundle__envelope_key(const uint8_t secret[KEY_LEN], const uint8_t ephemeral[KEY_LEN],
                         const uint8_t recipient[KEY_LEN], const uint8_t header_digest[SHA256_LEN],
                         uint8_t ret_key[AEAD_KEY_LEN], uint8_t ret_nonce[AEAD_NONCE_LEN]);
void bundle__envelope_msg_sealed(const uint8_t header_digest[SHA256_LEN],
                                 const uint8_t ciphertext_digest[SHA256_LEN],
                                 uint8_t ret_msg[MSG_SEALED_LEN]);
void bundle__envelope_msg_content(const uint8_t header_digest[SHA256_LEN],
                                  const uint8_t payload_digest[SHA256_LEN],
                                  uint8_t ret_msg[MSG_CONTENT_LEN]);
/* Work is done in chunks this size so that the hash that follows finds them in cache. */
#define ENVELOPE_CHUNK (256u << 10)

#endif
