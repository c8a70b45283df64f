/*
 * OpenSSL wrappers (see crypto.h). All OpenSSL calls of the broker side live here and in
 * pin.c, so a failure is turned into -EIO (or -ENOMEM) in one place.
 */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

int
crypto_random(void *buf, size_t len)
{
	if (len > INT32_MAX)
		return -EINVAL;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}

int
crypto_sha256(const void *data, size_t len, uint8_t ret_digest[CRYPTO_SHA256_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(data, len, ret_digest, &n, EVP_sha256(), NULL) != 1 ||
	    n != CRYPTO_SHA256_LEN)
		return -EIO;
	return 0;
}

int
crypto_sha256_file(const char *path, uint8_t ret_digest[CRYPTO_SHA256_LEN])
{
	uint8_t buf[65536];
	EVP_MD_CTX *ctx = NULL;
	unsigned int n = 0;
	int fd, r = -EIO;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto fail;
	for (;;) {
		ssize_t got = read(fd, buf, sizeof(buf));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			goto fail;
		}
		if (got == 0)
			break;
		if (EVP_DigestUpdate(ctx, buf, (size_t)got) != 1)
			goto fail;
	}
	if (EVP_DigestFinal_ex(ctx, ret_digest, &n) != 1 || n != CRYPTO_SHA256_LEN)
		goto fail;
	r = 0;
fail:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return r;
}

int
crypto_hkdf_sha256(const void *ikm, size_t ikm_len, const void *salt, size_t salt_len,
                   const char *info, void *ret_out, size_t out_len)
{
	static char digest_name[] = "SHA256";
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[5], *p = params;
	int r = -EIO;

	if (!kdf)
		return -EIO;
	ctx = EVP_KDF_CTX_new(kdf);
	if (!ctx)
		goto fail;
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name, 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)(uintptr_t)ikm,
	                                         ikm_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)(uintptr_t)salt,
	                                         salt_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)(uintptr_t)info,
	                                         strlen(info));
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, ret_out, out_len, params) == 1)
		r = 0;
fail:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return r;
}

int
crypto_scrypt(const char *password, const void *salt, size_t salt_len, unsigned log_n, unsigned r,
              unsigned p, void *ret_out, size_t out_len)
{
	uint64_t n;
	uint64_t maxmem;

	if (log_n < 10 || log_n > 20 || r == 0 || r > 32 || p == 0 || p > 16)
		return -EINVAL;
	n = (uint64_t)1 << log_n;
	/* scrypt needs 128 * r * N bytes; allow that plus a margin. */
	maxmem = 128 * (uint64_t)r * n * p + (1u << 20);
	if (EVP_PBE_scrypt(password, strlen(password), salt, salt_len, n, r, p, maxmem, ret_out,
	                   out_len) != 1)
		return -ENOMEM;
	return 0;
}

bool
crypto_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

void
crypto_wipe(void *buf, size_t len)
{
	OPENSSL_cleanse(buf, len);
}

void
crypto_hex_encode(const void *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
crypto_hex_decode(const char *hex, void *ret_out, size_t len)
{
	uint8_t *out = ret_out;

	if (strlen(hex) != 2 * len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (hex_value(hex[2 * i]) < 0 || hex_value(hex[2 * i + 1]) < 0)
			return -EINVAL;
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(hex_value(hex[2 * i]) << 4 | hex_value(hex[2 * i + 1]));
	return 0;
}
