/*
 * The cryptographic primitives Onward uses, each a thin wrapper over OpenSSL 3 so that
 * OpenSSL's error conventions are converted to ours (0 or a negative errno) in one place,
 * and the two text encodings every format of ours uses for bytes: lower-case hex (hashes,
 * key ids, serials) and base64 (keys and signatures). Ed25519 keys are in ed25519.h.
 */
#ifndef ONWARD_CRYPTO_H
#define ONWARD_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA256_HEX_LEN 64

/* Fills buf with len bytes from the operating system's CSPRNG. */
int crypto_random(void *buf, size_t len);

/* SHA-256 of one buffer. */
int crypto_sha256(const void *data, size_t len, uint8_t ret_digest[CRYPTO_SHA256_LEN]);

/* SHA-256 of a file's contents, read in chunks; -ENOENT, -EACCES, -EIO as for the read. */
int crypto_sha256_file(const char *path, uint8_t ret_digest[CRYPTO_SHA256_LEN]);

/* HKDF-SHA256 (RFC 5869): out_len bytes from key material, salt and a text info. */
int crypto_hkdf_sha256(const void *ikm, size_t ikm_len, const void *salt, size_t salt_len,
                       const char *info, void *ret_out, size_t out_len);

/* The same with info of any bytes (a label with its NUL and a digest, say). */
int crypto_hkdf_sha256_bytes(const void *ikm, size_t ikm_len, const void *salt, size_t salt_len,
                             const void *info, size_t info_len, void *ret_out, size_t out_len);

/* scrypt with cost 2^log_n, r and p; out_len bytes. */
int crypto_scrypt(const char *password, const void *salt, size_t salt_len, unsigned log_n,
                  unsigned r, unsigned p, void *ret_out, size_t out_len);

/* Constant-time comparison. */
bool crypto_equal(const void *a, const void *b, size_t len);

/* Overwrites memory in a way the compiler will not remove. */
void crypto_wipe(void *buf, size_t len);

/*
 * Decoding is strict: only the one spelling that encoding gives is accepted (exact
 * length, lower-case hex, canonical base64 with its padding), so a changed character can
 * never decode to the same bytes and every signed or hashed value has one text form.
 * ret_out is untouched on failure.
 */

/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void crypto_hex_encode(const void *data, size_t len, char *out);

/* Exactly 2*len lower-case hex digits into len bytes; -EINVAL otherwise. */
int crypto_hex_decode(const char *hex, void *ret_out, size_t len);

/* Characters of the base64 of n bytes, without the NUL; a constant expression. */
#define CRYPTO_BASE64_LEN(n) (((n) + 2) / 3 * 4)

/* Standard base64 (RFC 4648, with padding) of len bytes into out (CRYPTO_BASE64_LEN + 1). */
void crypto_base64_encode(const void *data, size_t len, char *out);

/* The canonical base64 of exactly len bytes into ret_out; -EINVAL otherwise. */
int crypto_base64_decode(const char *text, void *ret_out, size_t len);

/*
 * Files. Reading: the whole of a small regular file into buf (NUL-terminated), opened
 * without waiting on a FIFO; -EINVAL for anything but a regular file, -EFBIG when it does
 * not fit in size - 1 bytes. ret_mode (may be NULL) receives its mode.
 */
int crypto_file_read(const char *path, char *buf, size_t size, size_t *ret_len, mode_t *ret_mode);

/* Writes all of data to fd (retrying short writes). */
int crypto_write_all(int fd, const void *data, size_t len);

/* Fsyncs a folder, so that a rename or unlink in it is durable; or the one holding path. */
int crypto_sync_dir(const char *dir);
int crypto_sync_parent(const char *path);

/*
 * Replaces path with data atomically and durably: written to a new "path.tmp-XXXXXX" with
 * mode, fsynced, renamed over path, and the folder fsynced. A crash leaves the old file
 * or the new one, never a mixture.
 */
int crypto_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

#endif
