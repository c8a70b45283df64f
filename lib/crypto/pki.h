/*
 * The estate's public-key pieces (docs/estate.md): ECDSA P-256 keys for the establishment
 * CA, the gateway and each tablet, their public halves as the raw 65-byte uncompressed
 * point that travels in Device.Enrol and Gateway.Certify, and a certificate's pin (the hex
 * SHA-256 of its DER) that staff read out with an enrolment code. Keys are OpenSSL's
 * EVP_PKEY, since the callers hand them straight to X.509 and TLS code.
 *
 * A private key file is PKCS#8 PEM, mode 0600, replaced atomically; one that others may
 * read is refused on loading (-EPERM). Errors: -EINVAL (not a key, not a point on the
 * curve, bad base64), -ENOTSUP (a key of another kind or curve), -ENOMEM, or the file's
 * errno. Nothing here logs; OpenSSL's error queue is cleared after every failure.
 */
#ifndef ONWARD_PKI_H
#define ONWARD_PKI_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#define PKI_POINT_LEN 65 /* 0x04 || X || Y */
#define PKI_POINT_BASE64_LEN 88
#define PKI_PIN_HEX_LEN 64
#define PKI_FILE_MAX 16384 /* a key or certificate file, as PEM */

/* A new P-256 key pair. */
int pki_key_generate(EVP_PKEY **ret_key);

/* The key's public half as the uncompressed point. */
int pki_key_point(EVP_PKEY *key, uint8_t ret_point[PKI_POINT_LEN]);

/*
 * A public key from an uncompressed point, which must lie on P-256 (checked with
 * EC_POINT_oct2point, and not the point at infinity); -EINVAL otherwise.
 */
int pki_key_from_point(const uint8_t point[PKI_POINT_LEN], EVP_PKEY **ret_key);

/* The same from its canonical base64 (exactly 88 characters for 65 bytes). */
int pki_key_from_base64(const char *text, EVP_PKEY **ret_key);

/* The key's point in base64 (PKI_POINT_BASE64_LEN + 1 bytes). */
int pki_key_point_base64(EVP_PKEY *key, char *ret_text);

/* Saves the private key to path (0600, atomically) / loads one (P-256 only). */
int pki_key_save(EVP_PKEY *key, const char *path);
int pki_key_load(const char *path, EVP_PKEY **ret_key);

/*
 * The pin of the first certificate in PEM text: lower-case hex SHA-256 of its DER.
 * -EINVAL when the text holds no certificate.
 */
int pki_cert_pin(const char *pem, size_t len, char ret_hex[PKI_PIN_HEX_LEN + 1]);

/* The same for a parsed certificate. */
int pki_cert_pin_x509(X509 *cert, char ret_hex[PKI_PIN_HEX_LEN + 1]);

/* The certificate as PEM, malloc'd and NUL-terminated. */
int pki_cert_pem(X509 *cert, char **ret_pem);

/* The first certificate in PEM text (-EINVAL when there is none). */
int pki_cert_from_pem(const char *pem, size_t len, X509 **ret_cert);

#endif
