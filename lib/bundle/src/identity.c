/*
 * identity.c: an establishment's private keys with its certificate. Generating makes an
 * Ed25519 and an X25519 key and a self-signed certificate; a national root issues a
 * certificate for an establishment's keys (bundle_cert_issue). On disk an identity is a
 * folder holding identity.pem (both private keys, PKCS#8 PEM, mode 0600) and cert.json;
 * loading refuses a key file others may read and keys that do not match the certificate.
 * The signing key is lib/crypto's Ed25519 key; the encryption key is X25519 (key.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "bundle_int.h"
#include "validate.h"

static int
check_subject(const char *code, const char *name, enum bundle_kind kind, int64_t not_before,
              int64_t not_after, struct bundle_error *err)
{
	if (!validate_establishment_code(code))
		return bundle__fail(err, -EINVAL,
		                    "the code must be three upper-case letters (\"MDI\")");
	if (!bundle__name_valid(name))
		return bundle__fail(err, -EINVAL,
		                    "the name must be 1 to %d bytes of text, without control "
		                    "characters or spaces at either end",
		                    BUNDLE_NAME_MAX);
	if (!bundle_kind_name(kind))
		return bundle__fail(err, -EINVAL, "the kind must be prison, probation or root");
	if (not_before < 0 || not_after > BUNDLE_TIME_LIMIT || not_before > not_after)
		return bundle__fail(err, -EINVAL,
		                    "the validity must run forwards, between 1970 and 9999");
	return 0;
}

/* Takes sign and encrypt (freed on failure too). */
static int
identity_build(const char *code, const char *name, enum bundle_kind kind, struct ed25519_key *sign,
               EVP_PKEY *encrypt, const char *serial, int64_t not_before, int64_t not_after,
               struct bundle_identity **ret_identity, struct bundle_error *err)
{
	struct bundle_identity *id = calloc(1, sizeof(*id));
	struct bundle_cert *cert = calloc(1, sizeof(*cert));
	int r;

	if (!id || !cert) {
		r = bundle__fail(err, -ENOMEM, "out of memory");
		goto fail;
	}
	id->sign = sign;
	id->encrypt = encrypt;
	sign = NULL;
	encrypt = NULL;
	snprintf(cert->serial, sizeof(cert->serial), "%s", serial);
	memcpy(cert->code, code, BUNDLE_CODE_MAX);
	snprintf(cert->name, sizeof(cert->name), "%s", name);
	cert->kind = kind;
	cert->not_before = not_before;
	cert->not_after = not_after;
	cert->self_signed = true;
	ed25519_key_raw_public(id->sign, cert->sign_key);
	if (id->encrypt && bundle__key_raw_public(id->encrypt, cert->encrypt_key) < 0) {
		r = bundle__fail(err, -EIO, "cannot read the new public keys");
		goto fail;
	}
	if ((r = bundle__cert_sign(cert, id->sign, err)) < 0)
		goto fail;
	id->cert = cert;
	*ret_identity = id;
	return 0;
fail:
	ed25519_key_free(sign);
	EVP_PKEY_free(encrypt);
	free(cert);
	bundle_identity_free(id);
	return r;
}

int
bundle_identity_generate(const char *code, const char *name, enum bundle_kind kind,
                         int64_t not_before, int64_t not_after,
                         struct bundle_identity **ret_identity, struct bundle_error *err)
{
	struct ed25519_key *sign = NULL;
	EVP_PKEY *encrypt = NULL;
	uint8_t serial[16];
	char serial_hex[BUNDLE_SERIAL_HEX_MAX];
	int r;

	if (!ret_identity)
		return bundle__fail(err, -EINVAL, "nowhere to put the identity");
	if ((r = check_subject(code, name, kind, not_before, not_after, err)) < 0)
		return r;
	if (crypto_random(serial, sizeof(serial)) < 0 || ed25519_key_generate(&sign) < 0 ||
	    (kind != BUNDLE_KIND_ROOT && bundle__key_generate(&encrypt) < 0)) {
		ed25519_key_free(sign);
		return bundle__fail(err, -EIO, "cannot generate keys");
	}
	crypto_hex_encode(serial, sizeof(serial), serial_hex);
	return identity_build(code, name, kind, sign, encrypt, serial_hex, not_before, not_after,
	                      ret_identity, err);
}

int
bundle__identity_from_raw(const char *code, const char *name, enum bundle_kind kind,
                          const uint8_t sign_seed[KEY_LEN], const uint8_t encrypt_priv[KEY_LEN],
                          const char *serial, int64_t not_before, int64_t not_after,
                          struct bundle_identity **ret_identity, struct bundle_error *err)
{
	struct ed25519_key *sign = NULL;
	EVP_PKEY *encrypt = NULL;
	uint8_t check[16];
	int r;

	if ((r = check_subject(code, name, kind, not_before, not_after, err)) < 0)
		return r;
	if (!serial || crypto_hex_decode(serial, check, sizeof(check)) < 0)
		return bundle__fail(err, -EINVAL, "the serial must be 32 lower-case hex digits");
	if (ed25519_key_from_raw_private(sign_seed, &sign) < 0 ||
	    (kind != BUNDLE_KIND_ROOT &&
	     bundle__key_from_raw_private(encrypt_priv, &encrypt) < 0)) {
		ed25519_key_free(sign);
		return bundle__fail(err, -EINVAL, "bad raw private key");
	}
	return identity_build(code, name, kind, sign, encrypt, serial, not_before, not_after,
	                      ret_identity, err);
}

const struct bundle_cert *
bundle_identity_cert(const struct bundle_identity *identity)
{
	return identity->cert;
}

void
bundle_identity_free(struct bundle_identity *identity)
{
	if (!identity)
		return;
	/* Both free functions wipe the private key material they hold. */
	ed25519_key_free(identity->sign);
	EVP_PKEY_free(identity->encrypt);
	bundle_cert_free(identity->cert);
	free(identity);
}

/* Whether the identity's keys are the ones cert certifies. */
static bool
identity_matches(const struct bundle_identity *id, const struct bundle_cert *cert)
{
	uint8_t pub[KEY_LEN];

	ed25519_key_raw_public(id->sign, pub);
	if (memcmp(pub, cert->sign_key, KEY_LEN) != 0)
		return false;
	if ((cert->kind == BUNDLE_KIND_ROOT) != (id->encrypt == NULL))
		return false;
	return !id->encrypt || (bundle__key_raw_public(id->encrypt, pub) == 0 &&
	                        memcmp(pub, cert->encrypt_key, KEY_LEN) == 0);
}

int
bundle_identity_set_cert(struct bundle_identity *identity, const struct bundle_cert *cert,
                         struct bundle_error *err)
{
	struct bundle_cert *copy;

	if (!identity || !cert)
		return bundle__fail(err, -EINVAL, "no identity or certificate");
	if (!identity_matches(identity, cert))
		return bundle__fail_about(
		        err, -EKEYREJECTED, cert->code, 0,
		        "the certificate of %s does not match this identity's keys", cert->code);
	if (bundle_cert_dup(cert, &copy) < 0)
		return bundle__fail(err, -ENOMEM, "out of memory");
	bundle_cert_free(identity->cert);
	identity->cert = copy;
	return 0;
}

static int
join_path(const char *dir, const char *file, char ret_path[PATH_MAX], struct bundle_error *err)
{
	if ((size_t)snprintf(ret_path, PATH_MAX, "%s/%s", dir, file) >= PATH_MAX)
		return bundle__fail(err, -ENAMETOOLONG, "%s: path too long", dir);
	return 0;
}

/* Both private keys as PEM into a BIO whose memory OpenSSL wipes when it is freed. */
static int
identity_pem(const struct bundle_identity *id, BIO **ret_bio)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *sign_pem = NULL;
	size_t sign_len = 0;
	int r = -EIO;

	if (!bio)
		return -ENOMEM;
	if (ed25519_key_private_pem(id->sign, &sign_pem, &sign_len) < 0 || sign_len > INT_MAX ||
	    BIO_write(bio, sign_pem, (int)sign_len) != (int)sign_len ||
	    (id->encrypt &&
	     PEM_write_bio_PrivateKey(bio, id->encrypt, NULL, NULL, 0, NULL, NULL) != 1))
		goto fail;
	*ret_bio = bio;
	bio = NULL;
	r = 0;
fail:
	if (sign_pem) {
		crypto_wipe(sign_pem, sign_len);
		free(sign_pem);
	}
	BIO_free(bio);
	return r;
}

int
bundle_identity_save(const struct bundle_identity *identity, const char *dir,
                     struct bundle_error *err)
{
	char key_path[PATH_MAX], cert_path[PATH_MAX];
	BIO *bio = NULL;
	char *pem;
	long pem_len;
	struct stat st;
	int r;

	if (!identity || !dir)
		return bundle__fail(err, -EINVAL, "no identity or folder");
	if ((r = join_path(dir, BUNDLE_IDENTITY_KEY_FILE, key_path, err)) < 0 ||
	    (r = join_path(dir, BUNDLE_IDENTITY_CERT_FILE, cert_path, err)) < 0)
		return r;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return bundle__fail(err, -errno, "%s: cannot create the folder: %s", dir,
		                    strerror(errno));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return bundle__fail(err, -ENOTDIR, "%s: not a folder", dir);
	/* Refuse before writing anything, so a refusal leaves no half identity behind. */
	if (access(cert_path, F_OK) == 0)
		return bundle__fail(err, -EEXIST, "%s: cannot create: %s", cert_path,
		                    strerror(EEXIST));
	if (identity_pem(identity, &bio) < 0)
		return bundle__fail(err, -EIO, "cannot encode the private keys");
	pem_len = BIO_get_mem_data(bio, &pem);
	r = bundle__file_write_new(key_path, pem, (size_t)pem_len, 0600, err);
	BIO_free(bio);
	if (r < 0)
		return r;
	r = bundle_cert_save(identity->cert, cert_path, err);
	if (r < 0)
		unlink(key_path);
	return r;
}

static int
pem_blocks(const char *data)
{
	int n = 0;

	for (const char *p = data; (p = strstr(p, "-----BEGIN ")) != NULL; p++)
		n++;
	return n;
}

static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return 0;
}

/* Reads identity.pem's keys: Ed25519, then X25519 unless a root (expect_encrypt false). */
static int
identity_read_keys(const char *path, const char *data, size_t len, bool expect_encrypt,
                   struct ed25519_key **ret_sign, EVP_PKEY **ret_encrypt, struct bundle_error *err)
{
	struct ed25519_key *sign = NULL;
	EVP_PKEY *encrypt = NULL;
	const char *second;
	BIO *bio = NULL;
	int r = -EBADMSG;

	if (pem_blocks(data) != (expect_encrypt ? 2 : 1))
		return bundle__fail(
		        err, -EBADMSG,
		        "%s: expected %s PEM private key%s, the certificate's kind being "
		        "what it is",
		        path, expect_encrypt ? "two" : "one", expect_encrypt ? "s" : "");
	if (ed25519_key_from_pem(data, len, true, &sign) < 0) {
		bundle__fail(err, r, "%s: the first key is not an unencrypted Ed25519 private key",
		             path);
		goto fail;
	}
	if (expect_encrypt) {
		/* pem_blocks() counted two, so there is a second block to start from. */
		second = strstr(strstr(data, "-----BEGIN ") + 1, "-----BEGIN ");
		bio = BIO_new_mem_buf(second, (int)(len - (size_t)(second - data)));
		if (!bio) {
			r = bundle__fail(err, -ENOMEM, "out of memory");
			goto fail;
		}
		encrypt = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
		if (!encrypt || EVP_PKEY_get_id(encrypt) != EVP_PKEY_X25519) {
			bundle__fail(err, r,
			             "%s: the second key is not an unencrypted X25519 private key",
			             path);
			goto fail;
		}
	}
	BIO_free(bio);
	*ret_sign = sign;
	*ret_encrypt = encrypt;
	return 0;
fail:
	BIO_free(bio);
	ed25519_key_free(sign);
	EVP_PKEY_free(encrypt);
	return r;
}

int
bundle_identity_load(const char *dir, struct bundle_identity **ret_identity,
                     struct bundle_error *err)
{
	char key_path[PATH_MAX], cert_path[PATH_MAX];
	struct bundle_identity *id = NULL;
	struct bundle_cert *cert = NULL;
	char *data = NULL;
	size_t len = 0;
	int r;

	if (!dir || !ret_identity)
		return bundle__fail(err, -EINVAL, "no identity folder");
	if ((r = join_path(dir, BUNDLE_IDENTITY_KEY_FILE, key_path, err)) < 0 ||
	    (r = join_path(dir, BUNDLE_IDENTITY_CERT_FILE, cert_path, err)) < 0)
		return r;
	if ((r = bundle_cert_load(cert_path, &cert, err)) < 0)
		return r;
	if ((r = bundle__file_read(key_path, KEY_FILE_MAX, true, &data, &len, err)) < 0)
		goto fail;
	id = calloc(1, sizeof(*id));
	if (!id) {
		r = bundle__fail(err, -ENOMEM, "out of memory");
		goto fail;
	}
	r = identity_read_keys(key_path, data, len, cert->kind != BUNDLE_KIND_ROOT, &id->sign,
	                       &id->encrypt, err);
	if (r < 0)
		goto fail;
	if (!identity_matches(id, cert)) {
		r = bundle__fail(err, -EKEYREJECTED, "%s: the keys do not match %s", key_path,
		                 cert_path);
		goto fail;
	}
	id->cert = cert;
	OPENSSL_cleanse(data, len);
	free(data);
	*ret_identity = id;
	return 0;
fail:
	if (data)
		OPENSSL_cleanse(data, len);
	free(data);
	bundle_cert_free(cert);
	bundle_identity_free(id);
	return r;
}

int
bundle_cert_issue(const struct bundle_identity *root, const struct bundle_cert *request,
                  int64_t not_before, int64_t not_after, struct bundle_cert **ret_cert,
                  struct bundle_error *err)
{
	struct bundle_cert *cert;
	uint8_t serial[16];
	int r;

	if (!root || !request || !ret_cert)
		return bundle__fail(err, -EINVAL, "no root, request or result");
	if (root->cert->kind != BUNDLE_KIND_ROOT)
		return bundle__fail(err, -EINVAL,
		                    "%s is not a root: only a root issues certificates",
		                    root->cert->code);
	if (request->kind == BUNDLE_KIND_ROOT || !request->self_signed)
		return bundle__fail(
		        err, -EINVAL,
		        "the request must be an establishment's self-signed certificate");
	/* The self-signature proves the requester holds the signing key. Its dates do not
	 * matter: the root chooses the new certificate's. */
	r = bundle_cert_verify(request, NULL, request->not_before, err);
	if (r < 0)
		return r;
	if (not_before > not_after || not_before < root->cert->not_before ||
	    not_after > root->cert->not_after)
		return bundle__fail(err, -EINVAL,
		                    "the validity must run forwards and lie within the root's own");
	cert = malloc(sizeof(*cert));
	if (!cert)
		return bundle__fail(err, -ENOMEM, "out of memory");
	memcpy(cert, request, sizeof(*cert));
	if (crypto_random(serial, sizeof(serial)) < 0) {
		free(cert);
		return bundle__fail(err, -EIO, "cannot make a serial");
	}
	crypto_hex_encode(serial, sizeof(serial), cert->serial);
	cert->not_before = not_before;
	cert->not_after = not_after;
	cert->self_signed = false;
	memcpy(cert->issuer, root->cert->fingerprint, SHA256_LEN);
	if ((r = bundle__cert_sign(cert, root->sign, err)) < 0) {
		free(cert);
		return r;
	}
	*ret_cert = cert;
	return 0;
}
