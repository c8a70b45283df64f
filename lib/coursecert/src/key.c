/*
 * key.c: Ed25519 keys through OpenSSL 3's EVP interface, and the only file that calls
 * OpenSSL. A private key is written once, durably, with mode 0600 and never over an
 * existing file (an establishment's signing key must not be replaced by accident: every
 * certificate it issued would stop matching the published key); reading one refuses a
 * file that group or others may read. Anything but an Ed25519 key is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "coursecert_int.h"

#define KEY_FILE_MAX 4096

struct coursecert_key {
	EVP_PKEY *pkey; /* owned */
	bool has_private;
	uint8_t raw[COURSECERT_RAW_KEY_LEN]; /* the public key */
};

static int
key_wrap(EVP_PKEY *pkey, bool has_private, struct coursecert_key **ret_key,
         struct coursecert_error *err)
{
	struct coursecert_key *key;
	size_t n = COURSECERT_RAW_KEY_LEN;

	if (!pkey)
		return cc_err(err, -EBADMSG, "not an Ed25519 key");
	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		EVP_PKEY_free(pkey);
		return cc_err(err, -EBADMSG, "not an Ed25519 key");
	}
	key = calloc(1, sizeof(*key));
	if (!key) {
		EVP_PKEY_free(pkey);
		return cc_err(err, -ENOMEM, "out of memory");
	}
	if (!EVP_PKEY_get_raw_public_key(pkey, key->raw, &n) || n != COURSECERT_RAW_KEY_LEN) {
		EVP_PKEY_free(pkey);
		free(key);
		return cc_err(err, -EBADMSG, "cannot read the Ed25519 public key");
	}
	key->pkey = pkey;
	key->has_private = has_private;
	*ret_key = key;
	return 0;
}

int
coursecert_key_generate(struct coursecert_key **ret_key, struct coursecert_error *err)
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

	if (!pkey)
		return cc_err(err, -EIO, "Ed25519 key generation failed");
	return key_wrap(pkey, true, ret_key, err);
}

int
coursecert_key_from_raw_public(const uint8_t raw[COURSECERT_RAW_KEY_LEN],
                               struct coursecert_key **ret_key, struct coursecert_error *err)
{
	EVP_PKEY *pkey =
	        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, COURSECERT_RAW_KEY_LEN);

	if (!pkey)
		return cc_err(err, -EBADMSG, "not a valid Ed25519 public key");
	return key_wrap(pkey, false, ret_key, err);
}

/*
 * Reads a small key file whole. A private key must be a regular file that only its owner
 * may read or write.
 */
static int
read_key_file(const char *path, bool private_key, char *buf, size_t size, size_t *ret_len,
              struct coursecert_error *err)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), r = 0;

	if (fd < 0)
		return cc_err(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		r = cc_err(err, -errno, "%s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		r = cc_err(err, -EINVAL, "%s: not a regular file", path);
	} else if (private_key && (st.st_mode & 077)) {
		r = cc_err(err, -EPERM,
		           "%s: a private key must not be readable by others (mode %o)", path,
		           (unsigned)(st.st_mode & 0777));
	} else if ((uint64_t)st.st_size >= size) {
		r = cc_err(err, -EFBIG, "%s: too large for a key file", path);
	}
	while (r == 0 && got < size - 1) {
		ssize_t n = read(fd, buf + got, size - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = cc_err(err, -errno, "%s: %s", path, strerror(errno));
		else if (n == 0)
			break;
		else
			got += (size_t)n;
	}
	close(fd);
	if (r == 0 && got >= size - 1)
		r = cc_err(err, -EFBIG, "%s: too large for a key file", path);
	if (r < 0)
		return r;
	buf[got] = '\0';
	*ret_len = got;
	return 0;
}

int
coursecert_key_load_private(const char *path, struct coursecert_key **ret_key,
                            struct coursecert_error *err)
{
	char buf[KEY_FILE_MAX];
	size_t len;
	BIO *bio;
	EVP_PKEY *pkey;
	int r = read_key_file(path, true, buf, sizeof(buf), &len, err);

	if (r < 0)
		return r;
	bio = BIO_new_mem_buf(buf, (int)len);
	pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!pkey)
		return cc_err(err, -EBADMSG, "%s: not a PEM private key", path);
	r = key_wrap(pkey, true, ret_key, err);
	if (r < 0)
		return cc_err(err, r, "%s: not an Ed25519 private key", path);
	return 0;
}

int
coursecert_key_load_public(const char *path, struct coursecert_key **ret_key,
                           struct coursecert_error *err)
{
	char buf[KEY_FILE_MAX];
	size_t len;
	BIO *bio;
	EVP_PKEY *pkey;
	int r = read_key_file(path, false, buf, sizeof(buf), &len, err);

	if (r < 0)
		return r;
	bio = BIO_new_mem_buf(buf, (int)len);
	pkey = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (!pkey)
		return cc_err(err, -EBADMSG, "%s: not a PEM public key", path);
	r = key_wrap(pkey, false, ret_key, err);
	if (r < 0)
		return cc_err(err, r, "%s: not an Ed25519 public key", path);
	return 0;
}

/* Writes all of data to fd. */
static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The directory part of path, fsynced so that a new file's name is durable too. */
static int
sync_parent(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, r = 0;

	if (!slash) {
		strcpy(dir, ".");
	} else if (slash == path) {
		strcpy(dir, "/");
	} else {
		if ((size_t)(slash - path) >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

int
coursecert_key_save_private(const struct coursecert_key *key, const char *path,
                            struct coursecert_error *err)
{
	BIO *bio;
	char *pem;
	long len;
	int fd, r;

	if (!key->has_private)
		return cc_err(err, -EINVAL, "this key has no private half");
	bio = BIO_new(BIO_s_secmem());
	if (!bio || !PEM_write_bio_PrivateKey(bio, key->pkey, NULL, NULL, 0, NULL, NULL)) {
		BIO_free(bio);
		return cc_err(err, -ENOMEM, "cannot encode the private key");
	}
	len = BIO_get_mem_data(bio, &pem);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		r = -errno;
		BIO_free(bio);
		return cc_err(err, r, "%s: %s", path, strerror(-r));
	}
	r = write_all(fd, pem, (size_t)len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	BIO_free(bio);
	if (r == 0)
		r = sync_parent(path);
	if (r < 0) {
		unlink(path);
		return cc_err(err, r, "%s: %s", path, strerror(-r));
	}
	return 0;
}

int
coursecert_key_public_pem(const struct coursecert_key *key, char **ret_pem,
                          struct coursecert_error *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *copy;
	long len;

	if (!bio || !PEM_write_bio_PUBKEY(bio, key->pkey)) {
		BIO_free(bio);
		return cc_err(err, -ENOMEM, "cannot encode the public key");
	}
	len = BIO_get_mem_data(bio, &data);
	copy = malloc((size_t)len + 1);
	if (!copy) {
		BIO_free(bio);
		return cc_err(err, -ENOMEM, "out of memory");
	}
	memcpy(copy, data, (size_t)len);
	copy[len] = '\0';
	BIO_free(bio);
	*ret_pem = copy;
	return 0;
}

void
coursecert_key_raw_public(const struct coursecert_key *key, uint8_t ret_raw[COURSECERT_RAW_KEY_LEN])
{
	memcpy(ret_raw, key->raw, COURSECERT_RAW_KEY_LEN);
}

void
coursecert_key_id(const struct coursecert_key *key, char ret_id[COURSECERT_KEY_ID_MAX])
{
	uint8_t digest[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (!EVP_Digest(key->raw, sizeof(key->raw), digest, &n, EVP_sha256(), NULL) || n < 8) {
		/* SHA-256 of 32 bytes does not fail; if it ever did, no id matches this one. */
		strcpy(ret_id, "????????????????");
		return;
	}
	crypto_hex_encode(digest, 8, ret_id);
}

bool
coursecert_key_has_private(const struct coursecert_key *key)
{
	return key->has_private;
}

void
coursecert_key_free(struct coursecert_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
	free(key);
}

int
cc_key_sign(const struct coursecert_key *key, const void *msg, size_t len,
            uint8_t ret_sig[COURSECERT_SIG_LEN], struct coursecert_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = COURSECERT_SIG_LEN;
	int ok;

	if (!key->has_private) {
		EVP_MD_CTX_free(ctx);
		return cc_err(err, -EINVAL, "this key has no private half");
	}
	ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	     EVP_DigestSign(ctx, ret_sig, &n, msg, len) == 1 && n == COURSECERT_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : cc_err(err, -EIO, "Ed25519 signing failed");
}

int
cc_key_verify(const struct coursecert_key *key, const void *msg, size_t len,
              const uint8_t sig[COURSECERT_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	         EVP_DigestVerify(ctx, sig, COURSECERT_SIG_LEN, msg, len) == 1;

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EKEYREJECTED;
}
