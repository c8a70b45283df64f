/*
 * key.c: every OpenSSL call for keys, signatures and key agreement, so OpenSSL's results
 * are turned into ours (0 or a negative errno) in one place; hashing, HKDF and randomness
 * are lib/crypto's. Keys are
 * EVP_PKEYs; OpenSSL wipes their private halves when they are freed. Raw private bytes
 * that pass through here are wiped before return.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>

#include "bundle_int.h"

int
key_generate(int type, EVP_PKEY **ret_key)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(type, NULL);
	EVP_PKEY *key = NULL;
	int r = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key) == 1) {
		*ret_key = key;
		r = 0;
	}
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int
key_from_raw_private(int type, const uint8_t raw[KEY_LEN], EVP_PKEY **ret_key)
{
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(type, NULL, raw, KEY_LEN);

	if (!key)
		return -EINVAL;
	*ret_key = key;
	return 0;
}

int
key_from_raw_public(int type, const uint8_t raw[KEY_LEN], EVP_PKEY **ret_key)
{
	EVP_PKEY *key = EVP_PKEY_new_raw_public_key(type, NULL, raw, KEY_LEN);

	if (!key)
		return -EINVAL;
	*ret_key = key;
	return 0;
}

int
key_raw_public(const EVP_PKEY *key, uint8_t ret_raw[KEY_LEN])
{
	size_t len = KEY_LEN;

	if (EVP_PKEY_get_raw_public_key(key, ret_raw, &len) != 1 || len != KEY_LEN)
		return -EIO;
	return 0;
}

int
key_sign(EVP_PKEY *key, const void *msg, size_t len, uint8_t ret_sig[SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t sig_len = SIG_LEN;
	int r = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestSignInit_ex(ctx, NULL, NULL, NULL, NULL, key, NULL) == 1 &&
	    EVP_DigestSign(ctx, ret_sig, &sig_len, msg, len) == 1 && sig_len == SIG_LEN)
		r = 0;
	EVP_MD_CTX_free(ctx);
	return r;
}

int
key_verify(const uint8_t public_key[KEY_LEN], const void *msg, size_t len,
           const uint8_t sig[SIG_LEN])
{
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	int r;

	/* A public key that is not a valid point is a key no signature can match. */
	if (key_from_raw_public(EVP_PKEY_ED25519, public_key, &key) < 0)
		return -EKEYREJECTED;
	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		r = -ENOMEM;
		goto fail;
	}
	if (EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, key, NULL) != 1) {
		r = -EIO;
		goto fail;
	}
	r = EVP_DigestVerify(ctx, sig, SIG_LEN, msg, len) == 1 ? 0 : -EKEYREJECTED;
fail:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return r;
}

int
key_agree(EVP_PKEY *priv, const uint8_t peer_public[KEY_LEN], uint8_t ret_secret[KEY_LEN])
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *peer = NULL;
	size_t len = KEY_LEN;
	int r = -EIO;

	if (key_from_raw_public(EVP_PKEY_X25519, peer_public, &peer) < 0)
		return -EBADMSG;
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
