/*
 * envelope.c: the key schedule and the signed messages, the part of the format that seal
 * and open must agree on byte for byte.
 *
 *   key || nonce = HKDF-SHA256(ikm  = X25519(ephemeral, recipient),
 *                              salt = ephemeral public || recipient public,
 *                              info = "onward-bundle-v1 key\0" || SHA-256(header))
 *   sealed  = "onward-bundle-v1 sealed\0"  || SHA-256(header) || SHA-256(ciphertext || tag)
 *   content = "onward-bundle-v1 content\0" || SHA-256(header) || SHA-256(payload)
 *
 * The key depends on every header field, so a header changed in any way (another sender,
 * another id, another time) decrypts to nothing. Each signed message starts with its own
 * label, so a signature made for one purpose is never valid for another, nor for a
 * certificate (whose signed bytes start "onward-cert-v1").
 */
#include <string.h>

#include <openssl/crypto.h>

#include "bundle_int.h"

static const char label_key[] = "onward-bundle-v1 key"; /* with its NUL: 21 bytes */
static const char label_sealed[] = "onward-bundle-v1 sealed"; /* 24 */
static const char label_content[] = "onward-bundle-v1 content"; /* 25 */

int
bundle__envelope_key(const uint8_t secret[KEY_LEN], const uint8_t ephemeral[KEY_LEN],
                     const uint8_t recipient[KEY_LEN], const uint8_t header_digest[SHA256_LEN],
                     uint8_t ret_key[AEAD_KEY_LEN], uint8_t ret_nonce[AEAD_NONCE_LEN])
{
	uint8_t salt[2 * KEY_LEN], info[sizeof(label_key) + SHA256_LEN];
	uint8_t okm[AEAD_KEY_LEN + AEAD_NONCE_LEN];
	int r;

	memcpy(salt, ephemeral, KEY_LEN);
	memcpy(salt + KEY_LEN, recipient, KEY_LEN);
	memcpy(info, label_key, sizeof(label_key));
	memcpy(info + sizeof(label_key), header_digest, SHA256_LEN);
	r = crypto_hkdf_sha256_bytes(secret, KEY_LEN, salt, sizeof(salt), info, sizeof(info), okm,
	                             sizeof(okm));
	if (r == 0) {
		memcpy(ret_key, okm, AEAD_KEY_LEN);
		memcpy(ret_nonce, okm + AEAD_KEY_LEN, AEAD_NONCE_LEN);
	}
	OPENSSL_cleanse(okm, sizeof(okm));
	return r;
}

static void
envelope_msg(const char *label, size_t label_size, const uint8_t a[SHA256_LEN],
             const uint8_t b[SHA256_LEN], uint8_t *ret_msg)
{
	memcpy(ret_msg, label, label_size);
	memcpy(ret_msg + label_size, a, SHA256_LEN);
	memcpy(ret_msg + label_size + SHA256_LEN, b, SHA256_LEN);
}

void
bundle__envelope_msg_sealed(const uint8_t header_digest[SHA256_LEN],
                            const uint8_t ciphertext_digest[SHA256_LEN],
                            uint8_t ret_msg[MSG_SEALED_LEN])
{
	_Static_assert(sizeof(label_sealed) + 2 * SHA256_LEN == MSG_SEALED_LEN, "sealed length");
	envelope_msg(label_sealed, sizeof(label_sealed), header_digest, ciphertext_digest, ret_msg);
}

void
bundle__envelope_msg_content(const uint8_t header_digest[SHA256_LEN],
                             const uint8_t payload_digest[SHA256_LEN],
                             uint8_t ret_msg[MSG_CONTENT_LEN])
{
	_Static_assert(sizeof(label_content) + 2 * SHA256_LEN == MSG_CONTENT_LEN, "content length");
	envelope_msg(label_content, sizeof(label_content), header_digest, payload_digest, ret_msg);
}
