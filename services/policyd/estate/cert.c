/*
 * Certificates the establishment CA signs (see estate_int.h): its own, a tablet's client
 * certificate and the gateway's server certificate. Each is built here from a public key
 * the daemon already holds in checked form (a raw point), never from a request file, so
 * the process with the CA key parses no CSR. Validity comes from the daemon's clock,
 * which the caller passes in; OpenSSL's own notion of now is never used.
 */
#include "estate_int.h"

#include "clock.h"
#include "crypto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define SERIAL_LEN 16

bool
cert_host_valid(const char *host)
{
	unsigned char addr[16];
	size_t len = strlen(host), label = 0;

	if (inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1)
		return true;
	if (len == 0 || len > 253 || host[0] == '.' || host[len - 1] == '.')
		return false;
	for (const char *p = host; *p; p++) {
		bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		             (*p >= '0' && *p <= '9');

		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!alnum && !(*p == '-' && label > 0))
			return false;
		if (++label > 63)
			return false;
	}
	return host[len - 1] != '-';
}

/* A positive 128-bit random serial, also as hex. */
static int
set_serial(X509 *x, char *ret_hex)
{
	uint8_t raw[SERIAL_LEN];
	BIGNUM *bn;
	int r = crypto_random(raw, sizeof(raw));

	if (r < 0)
		return r;
	raw[0] &= 0x7f; /* DER integers are signed: keep it positive */
	raw[0] |= 0x40; /* and a fixed length, never zero */
	bn = BN_bin2bn(raw, sizeof(raw), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		r = -ENOMEM;
	BN_free(bn);
	if (r == 0 && ret_hex)
		crypto_hex_encode(raw, sizeof(raw), ret_hex);
	return r;
}

/* Adds an extension written in OpenSSL's configuration form (our constants only). */
static int
add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = ext && X509_add_ext(x, ext, -1) == 1;

	X509_EXTENSION_free(ext);
	return ok ? 0 : -ENOMEM;
}

/* subjectAltName from checked hosts, built as values rather than configuration text. */
static int
add_hosts(X509 *x, const char *const *hosts, size_t n)
{
	GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
	int r = names ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < n; i++) {
		GENERAL_NAME *gn = GENERAL_NAME_new();
		ASN1_OCTET_STRING *ip = a2i_IPADDRESS(hosts[i]);
		ASN1_IA5STRING *dns = NULL;

		ERR_clear_error(); /* a DNS name is not an address: that is no error */
		if (!ip) {
			dns = ASN1_IA5STRING_new();
			if (dns && ASN1_STRING_set(dns, hosts[i], -1) != 1) {
				ASN1_IA5STRING_free(dns);
				dns = NULL;
			}
		}
		if (!gn || (!ip && !dns) || sk_GENERAL_NAME_push(names, gn) <= 0) {
			GENERAL_NAME_free(gn);
			ASN1_OCTET_STRING_free(ip);
			ASN1_IA5STRING_free(dns);
			r = -ENOMEM;
			break;
		}
		if (ip)
			GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
		else
			GENERAL_NAME_set0_value(gn, GEN_DNS, dns);
	}
	if (r == 0 && X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) != 1)
		r = -ENOMEM;
	GENERAL_NAMES_free(names);
	return r;
}

static int
add_extensions(X509 *x, X509 *issuer, const struct cert_request *req)
{
	X509V3_CTX ctx;
	int r;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	if (req->kind == CERT_CA) {
		r = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE");
		r = r ?: add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
		return r ?: add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	}
	r = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE");
	r = r ?: add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature");
	r = r
	            ?: add_ext(x, &ctx, NID_ext_key_usage,
	                       req->kind == CERT_SERVER ? "serverAuth" : "clientAuth");
	r = r ?: add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	r = r ?: add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always");
	if (r == 0 && req->kind == CERT_SERVER)
		r = add_hosts(x, req->hosts, req->host_count);
	return r;
}

int
cert_issue(const struct cert_request *req, X509 *issuer, EVP_PKEY *issuer_key, X509 **ret,
           char *ret_serial, int64_t *ret_not_after)
{
	int64_t now = clock_now(), not_after = now + req->days * 86400LL;
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	int r = x && name ? 0 : -ENOMEM;

	if (r == 0 &&
	    (X509_set_version(x, X509_VERSION_3) != 1 ||
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	                                (const unsigned char *)req->common_name, -1, -1, 0) != 1 ||
	     X509_set_subject_name(x, name) != 1 ||
	     X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) != 1 ||
	     !ASN1_TIME_set(X509_getm_notBefore(x), (time_t)(now - ESTATE_BACKDATE)) ||
	     !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) ||
	     X509_set_pubkey(x, req->key) != 1))
		r = -ENOMEM;
	r = r ?: set_serial(x, ret_serial);
	r = r ?: add_extensions(x, issuer, req);
	if (r == 0 && X509_sign(x, issuer_key, EVP_sha256()) <= 0)
		r = -EINVAL;
	X509_NAME_free(name);
	if (r < 0) {
		X509_free(x);
		ERR_clear_error();
		return r;
	}
	*ret = x;
	if (ret_not_after)
		*ret_not_after = not_after;
	return 0;
}
