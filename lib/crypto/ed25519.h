/*
 * Ed25519 keys: the one implementation behind everything Onward signs, course packs and
 * provider certificates (lib/pack), course certificates (lib/coursecert), establishment
 * certificates and person bundles (lib/bundle). Those libraries wrap it in their own key
 * objects and error messages; none of them calls OpenSSL for Ed25519 itself.
 *
 * A key is an opaque object holding the public half and, when generated or loaded so, the
 * private half; think of it as an object with the constructors, methods and destructor
 * below. Its key id is the first 8 bytes of the SHA-256 of the raw public key, in
 * lower-case hex: what packs, certificates and `onward-pack keygen` show.
 *
 * Files. A private key is PKCS#8 PEM, created with mode 0600 (never briefly wider), never
 * over an existing file (a slip on a command line must not destroy an establishment's or
 * a provider's key), and durably: the file and its folder are fsynced. Loading one refuses
 * a file that group or others may read. A public key is SubjectPublicKeyInfo PEM, mode
 * 0644. A key file is small: one over ED25519_FILE_MAX bytes is refused unread, and so
 * is anything but a regular file. Passphrase-protected keys are refused, never prompted for.
 *
 * Conventions: 0 or a negative errno; ret_* come last and are untouched on failure; the
 * module never logs; ed25519_key_free() accepts NULL. Error codes:
 *   -EBADMSG       no PEM key of the kind asked for, or raw bytes that are not a key
 *   -ENOTSUP       a key, but of another algorithm (RSA, X25519...)
 *   -EKEYREJECTED  a signature that does not verify
 *   -EPERM         a private key file that group or others may read
 *   -EFBIG         a key file over ED25519_FILE_MAX bytes
 *   -EINVAL        not a regular file; a private-key operation on a public key
 *   -EEXIST, -ENOENT, -EACCES, -ENOMEM, -EIO and other errno values from the system
 */
#ifndef ONWARD_ED25519_H
#define ONWARD_ED25519_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ED25519_RAW_LEN 32 /* a raw public key, or a private key's seed */
#define ED25519_SIG_LEN 64
#define ED25519_KEY_ID_MAX 17 /* 16 hex digits and the NUL */
#define ED25519_FILE_MAX 4096

struct ed25519_key;

int ed25519_key_generate(struct ed25519_key **ret_key);
int ed25519_key_from_raw_private(const uint8_t seed[ED25519_RAW_LEN], struct ed25519_key **ret_key);
int ed25519_key_from_raw_public(const uint8_t raw[ED25519_RAW_LEN], struct ed25519_key **ret_key);

/* The first PEM key in pem[0..len): a private key when private_key, else a public one. */
int ed25519_key_from_pem(const char *pem, size_t len, bool private_key,
                         struct ed25519_key **ret_key);

int ed25519_key_load_private(const char *path, struct ed25519_key **ret_key);
int ed25519_key_load_public(const char *path, struct ed25519_key **ret_key);
int ed25519_key_save_private(const struct ed25519_key *key, const char *path);
int ed25519_key_save_public(const struct ed25519_key *key, const char *path);

/*
 * The key as PEM text, malloc'd and NUL-terminated (*ret_len bytes without the NUL). The
 * private text is key material: wipe it (crypto_wipe) before freeing it.
 */
int ed25519_key_private_pem(const struct ed25519_key *key, char **ret_pem, size_t *ret_len);
int ed25519_key_public_pem(const struct ed25519_key *key, char **ret_pem, size_t *ret_len);

void ed25519_key_raw_public(const struct ed25519_key *key, uint8_t ret_raw[ED25519_RAW_LEN]);
bool ed25519_key_same_public(const struct ed25519_key *a, const struct ed25519_key *b);
bool ed25519_key_has_private(const struct ed25519_key *key);
void ed25519_key_id(const struct ed25519_key *key, char ret_id[ED25519_KEY_ID_MAX]);
void ed25519_key_free(struct ed25519_key *key);

/* Signs msg with the key's private half (-EINVAL for a public key). */
int ed25519_sign(const struct ed25519_key *key, const void *msg, size_t len,
                 uint8_t ret_sig[ED25519_SIG_LEN]);

/* 0 when sig is the key's signature of msg, -EKEYREJECTED when not. */
int ed25519_verify(const struct ed25519_key *key, const void *msg, size_t len,
                   const uint8_t sig[ED25519_SIG_LEN]);

/* The same against a raw public key; bytes that are not a valid key match no signature. */
int ed25519_verify_raw(const uint8_t public_key[ED25519_RAW_LEN], const void *msg, size_t len,
                       const uint8_t sig[ED25519_SIG_LEN]);

#endif
