/*
 * Ed25519 keys through OpenSSL 3's EVP interface (see ed25519.h): the only file that calls
 * OpenSSL for Ed25519, so its results become ours (0 or a negative errno) here, and the
 * rules for key files (0600, never overwritten, durable, refused when others can read)
 * are kept in one place for packs, course certificates and bundles alike. OpenSSL's error
 * queue is cleared after every failure, so no stale entry outlives the call it came from.
 */
#include "ed25519.h"
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

struct ed25519_key {
	EVP_PKEY *pkey; /* owned */
	bool has_private;
	uint8_t raw_public[ED25519_RAW_LEN];
	char id[ED25519_KEY_ID_MAX]; /* computed once, so asking for it cannot fail */
};

/* Takes pkey (freed on failure too) into a new key object. */
static int
key_wrap(EVP_PKEY *pkey, bool has_private, struct ed25519_key **ret_key)
{
	struct ed25519_key *key;
	uint8_t digest[CRYPTO_SHA256_LEN];
	size_t n = ED25519_RAW_LEN;
	int r;

	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		r = -ENOTSUP;
		goto fail;
	}
	key = calloc(1, sizeof(*key));
	if (!key) {
		r = -ENOMEM;
		goto fail;
	}
	if (EVP_PKEY_get_raw_public_key(pkey, key->raw_public, &n) != 1 || n != ED25519_RAW_LEN ||
	    crypto_sha256(key->raw_public, ED25519_RAW_LEN, digest) < 0) {
		free(key);
		r = -EIO;
		goto fail;
	}
	crypto_hex_encode(digest, (ED25519_KEY_ID_MAX - 1) / 2, key->id);
	key->pkey = pkey;
	key->has_private = has_private;
	*ret_key = key;
	return 0;
fail:
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return r;
}

int
ed25519_key_generate(struct ed25519_key **ret_key)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

	if (!pkey) {
		ERR_clear_error();
		return -EIO;
	}
	return key_wrap(pkey, true, ret_key);
}

int
ed25519_key_from_raw_private(const uint8_t seed[ED25519_RAW_LEN], struct ed25519_key **ret_key)
{
	EVP_PKEY *pkey =
	        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, ED25519_RAW_LEN);

	if (!pkey) {
		ERR_clear_error();
		return -EBADMSG;
	}
	return key_wrap(pkey, true, ret_key);
}

int
ed25519_key_from_raw_public(const uint8_t raw[ED25519_RAW_LEN], struct ed25519_key **ret_key)
{
	EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, ED25519_RAW_LEN);

	if (!pkey) {
		ERR_clear_error();
		return -EBADMSG;
	}
	return key_wrap(pkey, false, ret_key);
}

/* OpenSSL's default would ask on the terminal; an encrypted key is refused instead. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return 0;
}

int
ed25519_key_from_pem(const char *pem, size_t len, bool private_key, struct ed25519_key **ret_key)
{
	EVP_PKEY *pkey;
	BIO *bio;

	if (len > INT_MAX)
		return -EFBIG;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio)
		return -ENOMEM;
	pkey = private_key ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL)
	                   : PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	if (!pkey) {
		ERR_clear_error();
		return -EBADMSG;
	}
	return key_wrap(pkey, private_key, ret_key);
}

static int
key_load(const char *path, bool private_key, struct ed25519_key **ret_key)
{
	struct ed25519_key *key = NULL;
	char buf[ED25519_FILE_MAX];
	size_t len = 0;
	mode_t mode = 0;
	int r;

	r = crypto_file_read(path, buf, sizeof(buf), &len, &mode);
	if (r == 0)
		r = ed25519_key_from_pem(buf, len, private_key, &key);
	crypto_wipe(buf, sizeof(buf));
	/* Checked once the file is known to hold a private key: anything else is better
	 * reported as what it is than as a key others may read. */
	if (r == 0 && private_key && (mode & 077)) {
		ed25519_key_free(key);
		r = -EPERM;
	}
	if (r == 0)
		*ret_key = key;
	return r;
}

int
ed25519_key_load_private(const char *path, struct ed25519_key **ret_key)
{
	return key_load(path, true, ret_key);
}

int
ed25519_key_load_public(const char *path, struct ed25519_key **ret_key)
{
	return key_load(path, false, ret_key);
}

/* The key as PEM into a BIO; a private key's goes into memory OpenSSL wipes when freed. */
static int
key_pem_bio(const struct ed25519_key *key, bool private_key, BIO **ret_bio)
{
	BIO *bio;
	int ok;

	if (private_key && !key->has_private)
		return -EINVAL;
	bio = BIO_new(private_key ? BIO_s_secmem() : BIO_s_mem());
	if (!bio)
		return -ENOMEM;
	ok = private_key ? PEM_write_bio_PrivateKey(bio, key->pkey, NULL, NULL, 0, NULL, NULL)
	                 : PEM_write_bio_PUBKEY(bio, key->pkey);
	if (ok != 1) {
		BIO_free(bio);
		ERR_clear_error();
		return -ENOMEM;
	}
	*ret_bio = bio;
	return 0;
}

static int
key_pem(const struct ed25519_key *key, bool private_key, char **ret_pem, size_t *ret_len)
{
	BIO *bio = NULL;
	char *data, *copy;
	long len;
	int r;

	r = key_pem_bio(key, private_key, &bio);
	if (r < 0)
		return r;
	len = BIO_get_mem_data(bio, &data);
	copy = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!copy) {
		BIO_free(bio);
		return -ENOMEM;
	}
	memcpy(copy, data, (size_t)len);
	copy[len] = '\0';
	BIO_free(bio);
	*ret_pem = copy;
	*ret_len = (size_t)len;
	return 0;
}

int
ed25519_key_private_pem(const struct ed25519_key *key, char **ret_pem, size_t *ret_len)
{
	return key_pem(key, true, ret_pem, ret_len);
}

int
ed25519_key_public_pem(const struct ed25519_key *key, char **ret_pem, size_t *ret_len)
{
	return key_pem(key, false, ret_pem, ret_len);
}

/* Creates path (never over an existing file or through a symlink) holding the key's PEM. */
static int
key_save(const struct ed25519_key *key, const char *path, bool private_key)
{
	BIO *bio = NULL;
	char *pem;
	long len;
	int fd, r;

	r = key_pem_bio(key, private_key, &bio);
	if (r < 0)
		return r;
	len = BIO_get_mem_data(bio, &pem);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
	          private_key ? 0600 : 0644);
	if (fd < 0) {
		r = -errno;
		BIO_free(bio);
		return r;
	}
	r = len < 0 ? -EIO : crypto_write_all(fd, pem, (size_t)len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	BIO_free(bio);
	if (r == 0)
		r = crypto_sync_parent(path);
	if (r < 0)
		unlink(path);
	return r;
}

int
ed25519_key_save_private(const struct ed25519_key *key, const char *path)
{
	return key_save(key, path, true);
}

int
ed25519_key_save_public(const struct ed25519_key *key, const char *path)
{
	return key_save(key, path, false);
}

void
ed25519_key_raw_public(const struct ed25519_key *key, uint8_t ret_raw[ED25519_RAW_LEN])
{
	memcpy(ret_raw, key->raw_public, ED25519_RAW_LEN);
}

bool
ed25519_key_same_public(const struct ed25519_key *a, const struct ed25519_key *b)
{
	return memcmp(a->raw_public, b->raw_public, ED25519_RAW_LEN) == 0;
}

bool
ed25519_key_has_private(const struct ed25519_key *key)
{
	return key->has_private;
}

void
ed25519_key_id(const struct ed25519_key *key, char ret_id[ED25519_KEY_ID_MAX])
{
	memcpy(ret_id, key->id, ED25519_KEY_ID_MAX);
}

void
ed25519_key_free(struct ed25519_key *key)
{
	if (!key)
		return;
	/* EVP_PKEY_free wipes the private key material it holds. */
	EVP_PKEY_free(key->pkey);
	free(key);
}

int
ed25519_sign(const struct ed25519_key *key, const void *msg, size_t len,
             uint8_t ret_sig[ED25519_SIG_LEN])
{
	EVP_MD_CTX *ctx;
	size_t n = ED25519_SIG_LEN;
	int r = -EIO;

	if (!key->has_private)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestSignInit_ex(ctx, NULL, NULL, NULL, NULL, key->pkey, NULL) == 1 &&
	    EVP_DigestSign(ctx, ret_sig, &n, msg, len) == 1 && n == ED25519_SIG_LEN)
		r = 0;
	EVP_MD_CTX_free(ctx);
	if (r < 0)
		ERR_clear_error();
	return r;
}

int
ed25519_verify(const struct ed25519_key *key, const void *msg, size_t len,
               const uint8_t sig[ED25519_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int r;

	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, key->pkey, NULL) != 1)
		r = -EIO;
	else
		r = EVP_DigestVerify(ctx, sig, ED25519_SIG_LEN, msg, len) == 1 ? 0 : -EKEYREJECTED;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return r;
}

int
ed25519_verify_raw(const uint8_t public_key[ED25519_RAW_LEN], const void *msg, size_t len,
                   const uint8_t sig[ED25519_SIG_LEN])
{
	struct ed25519_key *key = NULL;
	int r;

	/* A public key that is not a valid point is a key no signature can match. */
	if (ed25519_key_from_raw_public(public_key, &key) < 0)
		return -EKEYREJECTED;
	r = ed25519_verify(key, msg, len, sig);
	ed25519_key_free(key);
	return r;
}
