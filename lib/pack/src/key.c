/*
 * key.c: Ed25519 keys through OpenSSL 3's EVP interface. Keys are read and written as PEM
 * (PKCS#8 for private keys, SubjectPublicKeyInfo for public ones); a private key file is
 * created with mode 0600 and never replaces an existing file, so a slip on the command line
 * cannot destroy a provider's key. Anything that is not an Ed25519 key is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "pack_int.h"

struct pack_key {
	EVP_PKEY *pkey; /* owned */
	bool has_private;
	uint8_t raw_public[PACK_RAW_KEY_LEN];
};

static int
key_wrap(EVP_PKEY *pkey, bool has_private, struct pack_key **ret_key, struct pack_error *err)
{
	struct pack_key *key;
	size_t n = PACK_RAW_KEY_LEN;

	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		EVP_PKEY_free(pkey);
		return pack_err(err, -EBADMSG, "not an Ed25519 key");
	}
	key = calloc(1, sizeof(*key));
	if (!key) {
		EVP_PKEY_free(pkey);
		return pack_err(err, -ENOMEM, "out of memory");
	}
	if (!EVP_PKEY_get_raw_public_key(pkey, key->raw_public, &n) || n != PACK_RAW_KEY_LEN) {
		EVP_PKEY_free(pkey);
		free(key);
		return pack_err(err, -EBADMSG, "cannot read the Ed25519 public key");
	}
	key->pkey = pkey;
	key->has_private = has_private;
	*ret_key = key;
	return 0;
}

int
pack_key_generate(struct pack_key **ret_key, struct pack_error *err)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

	if (!pkey)
		return pack_err(err, -EIO, "Ed25519 key generation failed");
	return key_wrap(pkey, true, ret_key, err);
}

int
pack_key_from_raw_private(const uint8_t seed[PACK_RAW_KEY_LEN], struct pack_key **ret_key,
                          struct pack_error *err)
{
	EVP_PKEY *pkey =
	        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, PACK_RAW_KEY_LEN);

	if (!pkey)
		return pack_err(err, -EBADMSG, "bad Ed25519 private key");
	return key_wrap(pkey, true, ret_key, err);
}

int
pack_key_from_raw_public(const uint8_t raw[32], struct pack_key **ret_key, struct pack_error *err)
{
	EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, PACK_RAW_KEY_LEN);

	if (!pkey)
		return pack_err(err, -EBADMSG, "bad Ed25519 public key");
	return key_wrap(pkey, false, ret_key, err);
}

static int
key_load(const char *path, bool private, struct pack_key **ret_key, struct pack_error *err)
{
	EVP_PKEY *pkey;
	FILE *f = fopen(path, "re");
	int r;

	if (!f)
		return pack_err_sys(err, errno,
		                    private ? "cannot open private key" : "cannot open key", path);
	pkey = private ? PEM_read_PrivateKey(f, NULL, NULL, NULL)
	               : PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	if (!pkey)
		return pack_err(err, -EBADMSG, "%s: not a PEM %s key", path,
		                private ? "private" : "public");
	r = key_wrap(pkey, private, ret_key, err);
	if (r < 0)
		return pack_err(err, r, "%s: not an Ed25519 key", path);
	return 0;
}

int
pack_key_load_private(const char *path, struct pack_key **ret_key, struct pack_error *err)
{
	return key_load(path, true, ret_key, err);
}

int
pack_key_load_public(const char *path, struct pack_key **ret_key, struct pack_error *err)
{
	return key_load(path, false, ret_key, err);
}

/* Writes a new file (never over an existing one) with the given mode. */
static int
key_save(const struct pack_key *key, const char *path, bool private, struct pack_error *err)
{
	FILE *f;
	int fd, ok;

	if (private && !key->has_private)
		return pack_err(err, -EINVAL, "%s: this key has no private part to save", path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, private ? 0600 : 0644);
	if (fd < 0)
		return pack_err_sys(err, errno, "cannot create key file", path);
	f = fdopen(fd, "w");
	if (!f) {
		int e = errno;

		close(fd);
		unlink(path);
		return pack_err_sys(err, e, "cannot write key file", path);
	}
	ok = private ? PEM_write_PrivateKey(f, key->pkey, NULL, NULL, 0, NULL, NULL)
	             : PEM_write_PUBKEY(f, key->pkey);
	ERR_clear_error();
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		ok = 0;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return pack_err(err, -EIO, "%s: cannot write key file", path);
	}
	return 0;
}

int
pack_key_save_private(const struct pack_key *key, const char *path, struct pack_error *err)
{
	return key_save(key, path, true, err);
}

int
pack_key_save_public(const struct pack_key *key, const char *path, struct pack_error *err)
{
	return key_save(key, path, false, err);
}

bool
pack_key_has_private(const struct pack_key *key)
{
	return key->has_private;
}

void
pack_key_id(const struct pack_key *key, char ret_id[PACK_KEY_ID_MAX])
{
	uint8_t digest[PACK_SHA256_LEN];

	if (crypto_sha256(key->raw_public, PACK_RAW_KEY_LEN, digest) < 0)
		abort(); /* SHA-256 of 32 bytes cannot fail unless OpenSSL is broken */
	crypto_hex_encode(digest, (PACK_KEY_ID_MAX - 1) / 2, ret_id);
}

void
pack_key_raw_public(const struct pack_key *key, uint8_t out[PACK_RAW_KEY_LEN])
{
	memcpy(out, key->raw_public, PACK_RAW_KEY_LEN);
}

bool
pack_key_same_public(const struct pack_key *a, const struct pack_key *b)
{
	return memcmp(a->raw_public, b->raw_public, PACK_RAW_KEY_LEN) == 0;
}

int
pack_key_sign(const struct pack_key *key, const void *msg, size_t len, uint8_t sig[PACK_SIG_LEN],
              struct pack_error *err)
{
	EVP_MD_CTX *ctx;
	size_t n = PACK_SIG_LEN;
	int ok;

	if (!key->has_private)
		return pack_err(err, -EINVAL, "signing needs a private key");
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return pack_err(err, -ENOMEM, "out of memory");
	ok = EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	     EVP_DigestSign(ctx, sig, &n, msg, len) == 1 && n == PACK_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : pack_err(err, -EIO, "Ed25519 signing failed");
}

bool
pack_key_verify_sig(const struct pack_key *key, const void *msg, size_t len,
                    const uint8_t sig[PACK_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok;

	if (!ctx)
		return false;
	ok = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	     EVP_DigestVerify(ctx, sig, PACK_SIG_LEN, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

void
pack_key_free(struct pack_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
	free(key);
}
