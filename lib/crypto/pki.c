/*
 * P-256 keys, points and certificate pins through OpenSSL 3 (see pki.h): the one place the
 * estate's code turns OpenSSL's results into ours.
 */
#include "pki.h"
#include "crypto.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static int
fail(int r)
{
	ERR_clear_error();
	return r;
}

/* Whether key is an EC key on P-256 (OpenSSL names the curve prime256v1). */
static bool
is_p256(EVP_PKEY *key)
{
	char group[32];

	return EVP_PKEY_is_a(key, "EC") &&
	       EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
	                                      NULL) == 1 &&
	       strcmp(group, "prime256v1") == 0;
}

int
pki_key_generate(EVP_PKEY **ret_key)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	if (!key)
		return fail(-ENOMEM);
	*ret_key = key;
	return 0;
}

int
pki_key_point(EVP_PKEY *key, uint8_t ret_point[PKI_POINT_LEN])
{
	uint8_t point[PKI_POINT_LEN + 1];
	size_t len = 0;

	if (!is_p256(key))
		return fail(-ENOTSUP);
	/* The encoded public key of an EC key is its uncompressed point unless asked
	 * otherwise; the length and the first byte say it is. */
	if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
	                                    sizeof(point), &len) != 1)
		return fail(-EINVAL);
	if (len != PKI_POINT_LEN || point[0] != 0x04)
		return -EINVAL;
	memcpy(ret_point, point, PKI_POINT_LEN);
	return 0;
}

/* Whether the bytes are an uncompressed point on P-256 other than infinity. */
static bool
point_on_curve(const uint8_t point[PKI_POINT_LEN])
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *p = group ? EC_POINT_new(group) : NULL;
	bool ok = p && point[0] == 0x04 &&
	          EC_POINT_oct2point(group, p, point, PKI_POINT_LEN, NULL) == 1 &&
	          EC_POINT_is_on_curve(group, p, NULL) == 1 && !EC_POINT_is_at_infinity(group, p);

	EC_POINT_free(p);
	EC_GROUP_free(group);
	ERR_clear_error();
	return ok;
}

int
pki_key_from_point(const uint8_t point[PKI_POINT_LEN], EVP_PKEY **ret_key)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	OSSL_PARAM params[3];
	uint8_t copy[PKI_POINT_LEN];
	char group[] = "prime256v1"; /* OSSL_PARAM takes a non-const pointer */
	int r = 0;

	if (!point_on_curve(point))
		return -EINVAL;
	memcpy(copy, point, sizeof(copy));
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, copy, sizeof(copy));
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1)
		r = -ENOMEM;
	else if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
		r = -EINVAL;
	EVP_PKEY_CTX_free(ctx);
	if (r < 0)
		return fail(r);
	*ret_key = key;
	return 0;
}

int
pki_key_from_base64(const char *text, EVP_PKEY **ret_key)
{
	uint8_t point[PKI_POINT_LEN];

	if (strlen(text) != PKI_POINT_BASE64_LEN ||
	    crypto_base64_decode(text, point, sizeof(point)) < 0)
		return -EINVAL;
	return pki_key_from_point(point, ret_key);
}

int
pki_key_point_base64(EVP_PKEY *key, char *ret_text)
{
	uint8_t point[PKI_POINT_LEN];
	int r = pki_key_point(key, point);

	if (r == 0)
		crypto_base64_encode(point, sizeof(point), ret_text);
	return r;
}

int
pki_key_save(EVP_PKEY *key, const char *path)
{
	/* Secure memory: OpenSSL wipes the PEM of the private key when the BIO is freed. */
	BIO *bio = BIO_new(BIO_s_secmem());
	char *pem = NULL;
	long len;
	int r;

	if (!bio)
		return fail(-ENOMEM);
	if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) != 1) {
		BIO_free(bio);
		return fail(-ENOMEM);
	}
	len = BIO_get_mem_data(bio, &pem);
	r = len > 0 ? crypto_file_write_atomic(path, pem, (size_t)len, 0600) : -EIO;
	BIO_free(bio);
	return r;
}

int
pki_key_load(const char *path, EVP_PKEY **ret_key)
{
	char buf[PKI_FILE_MAX];
	EVP_PKEY *key = NULL;
	size_t len = 0;
	mode_t mode = 0;
	BIO *bio;
	int r;

	r = crypto_file_read(path, buf, sizeof(buf), &len, &mode);
	if (r < 0)
		return r;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio)
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	crypto_wipe(buf, sizeof(buf));
	if (!key)
		return fail(bio ? -EINVAL : -ENOMEM);
	r = !is_p256(key) ? -ENOTSUP : (mode & 077) ? -EPERM : 0;
	if (r < 0) {
		EVP_PKEY_free(key);
		return fail(r);
	}
	*ret_key = key;
	return 0;
}

int
pki_cert_from_pem(const char *pem, size_t len, X509 **ret_cert)
{
	BIO *bio;
	X509 *cert = NULL;

	if (len > INT_MAX)
		return -EINVAL;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio)
		return fail(-ENOMEM);
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!cert)
		return fail(-EINVAL);
	*ret_cert = cert;
	return 0;
}

int
pki_cert_pin_x509(X509 *cert, char ret_hex[PKI_PIN_HEX_LEN + 1])
{
	unsigned char *der = NULL;
	uint8_t digest[CRYPTO_SHA256_LEN];
	int len = i2d_X509(cert, &der);
	int r;

	if (len <= 0)
		return fail(-EINVAL);
	r = crypto_sha256(der, (size_t)len, digest);
	OPENSSL_free(der);
	if (r == 0)
		crypto_hex_encode(digest, sizeof(digest), ret_hex);
	return r;
}

int
pki_cert_pin(const char *pem, size_t len, char ret_hex[PKI_PIN_HEX_LEN + 1])
{
	X509 *cert = NULL;
	int r = pki_cert_from_pem(pem, len, &cert);

	if (r == 0)
		r = pki_cert_pin_x509(cert, ret_hex);
	X509_free(cert);
	return r;
}

int
pki_cert_pem(X509 *cert, char **ret_pem)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL, *copy;
	long len;

	if (!bio || PEM_write_bio_X509(bio, cert) != 1) {
		BIO_free(bio);
		return fail(-ENOMEM);
	}
	len = BIO_get_mem_data(bio, &data);
	copy = len > 0 ? malloc((size_t)len + 1) : NULL;
	if (copy) {
		memcpy(copy, data, (size_t)len);
		copy[len] = '\0';
	}
	BIO_free(bio);
	if (!copy)
		return -ENOMEM;
	*ret_pem = copy;
	return 0;
}
