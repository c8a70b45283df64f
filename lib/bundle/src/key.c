/*
 * key.c: X25519 keys and key agreement, every OpenSSL call for them, so OpenSSL's results
 * are turned into ours (0 or a negative errno) in one place. Signing keys are lib/crypto's
 * Ed25519 keys (ed25519.h), as are hashing, HKDF and randomness (crypto.h). Keys are
 * EVP_PKEYs; OpenSSL wipes their private halves when they are freed.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "bundle_int.h"

int
bundle__key_generate(EVP_PKEY **ret_key)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");

	if (!key) {
		ERR_clear_error();
		return -EIO;
	}
	*ret_key = key;
	return 0;
}

int
bundle__key_from_raw_private(const uint8_t raw[KEY_LEN], EVP_PKEY **ret_key)
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, raw, KEY_LEN);

	if (!key) {
		ERR_clear_error();
		return -EINVAL;
	}
	*ret_key = key;
	return 0;
}

int
bundle__key_raw_public(const EVP_PKEY *key, uint8_t ret_raw[KEY_LEN])
{
	size_t len = KEY_LEN;

	if (EVP_PKEY_get_raw_public_key(key, ret_raw, &len) != 1 || len != KEY_LEN)
		return -EIO;
	return 0;
}

int
bundle__key_agree(EVP_PKEY *priv, const uint8_t peer_public[KEY_LEN], uint8_t ret_secret[KEY_LEN])
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer_public, KEY_LEN);
	size_t len = KEY_LEN;
	int r = -EIO;

	if (!peer) {
		ERR_clear_error();
		return -EBADMSG;
	}
	ctx = EVP_PKEY_CTX_new(priv, NULL);
	if (!ctx) {
		r = -ENOMEM;
		goto fail;
	}
	if (EVP_PKEY_derive_init(ctx) != 1)
		goto fail;
	/* OpenSSL refuses a peer key of small order here (an all-zero shared secret). */
	if (EVP_PKEY_derive_set_peer(ctx, peer) != 1 ||
	    EVP_PKEY_derive(ctx, ret_secret, &len) != 1 || len != KEY_LEN) {
		OPENSSL_cleanse(ret_secret, KEY_LEN);
		r = -EBADMSG;
		goto fail;
	}
	r = 0;
fail:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return r;
}
