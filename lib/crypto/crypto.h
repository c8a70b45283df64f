/*
 * The cryptographic primitives Onward uses, each a thin wrapper over OpenSSL 3 so that
 * OpenSSL's error conventions are converted to ours (0 or a negative errno) in one place.
 */
#ifndef ONWARD_CRYPTO_H
#define ONWARD_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA256_HEX_LEN 64

/* Fills buf with len bytes from the operating system's CSPRNG. */
int crypto_random(void *buf, size_t len);

/* SHA-256 of one buffer. */
int crypto_sha256(const void *data, size_t len, uint8_t ret_digest[CRYPTO_SHA256_LEN]);

/* SHA-256 of a file's contents, read in chunks; -ENOENT, -EACCES, -EIO as for the read. */
int crypto_sha256_file(const char *path, uint8_t ret_digest[CRYPTO_SHA256_LEN]);

/* HKDF-SHA256 (RFC 5869): out_len bytes from key material, salt and info. */
int crypto_hkdf_sha256(const void *ikm, size_t ikm_len, const void *salt, size_t salt_len,
                       const char *info, void *ret_out, size_t out_len);

/* scrypt with cost 2^log_n, r and p; out_len bytes. */
int crypto_scrypt(const char *password, const void *salt, size_t salt_len, unsigned log_n,
                  unsigned r, unsigned p, void *ret_out, size_t out_len);

/* Constant-time comparison. */
bool crypto_equal(const void *a, const void *b, size_t len);

/* Overwrites memory in a way the compiler will not remove. */
void crypto_wipe(void *buf, size_t len);

/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void crypto_hex_encode(const void *data, size_t len, char *out);

/* Exactly 2*len hex digits into len bytes; -EINVAL otherwise. */
int crypto_hex_decode(const char *hex, void *ret_out, size_t len);

#endif
