/*
 * OpenSSL wrappers and the byte encodings (see crypto.h). The OpenSSL calls for hashing,
 * key derivation and randomness live here (keys are ed25519.c's), so a failure is turned
 * into -EIO (or -ENOMEM) in one place. Hex and base64 are plain C: they need nothing from
 * OpenSSL, and writing them out keeps the strictness rules in plain sight.
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
crypto_hkdf_sha256_bytes(const void *ikm, size_t ikm_len, const void *salt, size_t salt_len,
                         const void *info, size_t info_len, void *ret_out, size_t out_len)
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
	                                         info_len);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, ret_out, out_len, params) == 1)
		r = 0;
fail:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return r;
}

int
crypto_hkdf_sha256(const void *ikm, size_t ikm_len, const void *salt, size_t salt_len,
                   const char *info, void *ret_out, size_t out_len)
{
	return crypto_hkdf_sha256_bytes(ikm, ikm_len, salt, salt_len, info, strlen(info), ret_out,
	                                out_len);
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

/* Upper case is refused: a hash or key id has one spelling. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
crypto_hex_decode(const char *hex, void *ret_out, size_t len)
{
	uint8_t *out = ret_out;

	if (!hex || strlen(hex) != 2 * len)
		return -EINVAL;
	for (size_t i = 0; i < 2 * len; i++)
		if (hex_value(hex[i]) < 0)
			return -EINVAL;
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(hex_value(hex[2 * i]) << 4 | hex_value(hex[2 * i + 1]));
	return 0;
}

static const char base64_digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
crypto_base64_encode(const void *data, size_t len, char *out)
{
	const uint8_t *p = data;
	size_t i, o = 0;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		out[o++] = base64_digits[v >> 18];
		out[o++] = base64_digits[v >> 12 & 63];
		out[o++] = base64_digits[v >> 6 & 63];
		out[o++] = base64_digits[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0);

		out[o++] = base64_digits[v >> 18];
		out[o++] = base64_digits[v >> 12 & 63];
		out[o++] = i + 1 < len ? base64_digits[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int
base64_value(char c)
{
	const char *p = c ? strchr(base64_digits, c) : NULL;

	return p ? (int)(p - base64_digits) : -1;
}

int
crypto_base64_decode(const char *text, void *ret_out, size_t len)
{
	size_t n = text ? strlen(text) : 0, tail = len % 3;
	uint8_t *out = ret_out;

	/* The length fixes where the padding is and how much; no other spelling is taken. */
	if (!text || len > SIZE_MAX / 4 || n != CRYPTO_BASE64_LEN(len))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		bool pad = (tail == 1 && i >= n - 2) || (tail == 2 && i == n - 1);

		if (pad ? text[i] != '=' : base64_value(text[i]) < 0)
			return -EINVAL;
	}
	/* The bits past the last byte must be zero, else two texts would give those bytes. */
	if ((tail == 1 && (base64_value(text[n - 3]) & 15) != 0) ||
	    (tail == 2 && (base64_value(text[n - 2]) & 3) != 0))
		return -EINVAL;
	for (size_t i = 0, o = 0; i < n; i += 4) {
		uint32_t v = 0;

		for (size_t k = 0; k < 4; k++)
			v = v << 6 | (uint32_t)(text[i + k] == '=' ? 0 : base64_value(text[i + k]));
		for (size_t k = 0; k < 3 && o < len; k++)
			out[o++] = (uint8_t)(v >> (16 - 8 * k));
	}
	return 0;
}
