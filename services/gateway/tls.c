/*
 * Client certificates (see tls.h). libmicrohttpd 0.9.75 only loads the trusted CA and asks
 * for a certificate (GNUTLS_CERT_REQUEST); it never verifies what arrives. So the gateway
 * asks GnuTLS to verify during the handshake, and checks again before it believes one.
 */
#include "tls.h"

#include "crypto.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/x509.h>

/* Verification asks for a chain to the CA and, when the certificate names its purposes,
 * client authentication among them (so the gateway's own server certificate, from the
 * same CA, is no device). */
static const gnutls_typed_vdata_st client_purpose[] = {
        {.type = GNUTLS_DT_KEY_PURPOSE_OID,
         .data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_CLIENT,
         .size = 0},
};

int
tls_check_files(const char *cert_pem, const char *key_pem, const char *ca_pem, char *err,
                size_t size)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_datum_t cert = {(unsigned char *)(uintptr_t)cert_pem, (unsigned)strlen(cert_pem)};
	gnutls_datum_t key = {(unsigned char *)(uintptr_t)key_pem, (unsigned)strlen(key_pem)};
	gnutls_datum_t ca = {(unsigned char *)(uintptr_t)ca_pem, (unsigned)strlen(ca_pem)};
	int r;

	if (gnutls_certificate_allocate_credentials(&cred) < 0) {
		snprintf(err, size, "out of memory");
		return -EINVAL;
	}
	r = gnutls_certificate_set_x509_key_mem(cred, &cert, &key, GNUTLS_X509_FMT_PEM);
	if (r < 0) {
		snprintf(err, size, "--cert and --key: not a certificate and its key (%s)",
		         gnutls_strerror(r));
		goto fail;
	}
	r = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
	if (r <= 0) {
		snprintf(err, size, "--client-ca: no CA certificate in it (%s)",
		         r < 0 ? gnutls_strerror(r) : "none found");
		goto fail;
	}
	gnutls_certificate_free_credentials(cred);
	return 0;
fail:
	gnutls_certificate_free_credentials(cred);
	return -EINVAL;
}

/*
 * Verifies a presented certificate during the handshake; a non-zero answer ends it. A
 * session with no certificate is simply not a device. (GnuTLS's own verification,
 * gnutls_session_set_verify_cert2, fails a client that answers the request with no
 * certificate, so the gateway gives its own.)
 */
static int
verify_during_handshake(gnutls_session_t session)
{
	unsigned count = 0, status = 0;

	if (!gnutls_certificate_get_peers(session, &count) || count == 0)
		return 0;
	if (gnutls_certificate_verify_peers(
	            session, (gnutls_typed_vdata_st *)(uintptr_t)client_purpose, 1, &status) < 0 ||
	    status != 0)
		return -1;
	return 0;
}

int
tls_session_setup(gnutls_session_t session)
{
	gnutls_session_set_verify_function(session, verify_during_handshake);
	return 0;
}

int
tls_peer_device(gnutls_session_t session, char ret_fingerprint[TLS_FINGERPRINT_SIZE])
{
	unsigned count = 0, status = 0;
	const gnutls_datum_t *peers = gnutls_certificate_get_peers(session, &count);
	unsigned char digest[32];

	if (!peers || count == 0)
		return 0;
	if (gnutls_certificate_verify_peers(
	            session, (gnutls_typed_vdata_st *)(uintptr_t)client_purpose, 1, &status) < 0 ||
	    status != 0)
		return -EACCES;
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, peers[0].data, peers[0].size, digest) < 0)
		return -EACCES;
	crypto_hex_encode(digest, sizeof(digest), ret_fingerprint);
	return 1;
}
