/*
 * The gateway's TLS policy, on top of the GnuTLS sessions libmicrohttpd makes: TLS 1.3
 * only; a client certificate requested (libmicrohttpd asks for one once it is given the
 * establishment CA) but not required; one that is presented must chain to that CA and be
 * for client authentication, or the handshake fails (tls_session_setup) and, should a
 * session ever get past it, the request is refused (tls_peer_device). A verified
 * certificate is named by the SHA-256 of its DER: the device fingerprint the daemon knows.
 */
#ifndef ONWARD_GATEWAY_TLS_H
#define ONWARD_GATEWAY_TLS_H

#include <stddef.h>

#include <gnutls/gnutls.h>

/* GnuTLS priorities: its NORMAL ciphers, every protocol version but TLS 1.3 removed. */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3"

/* A device fingerprint: 64 lower-case hex digits and a NUL. */
#define TLS_FINGERPRINT_SIZE 65

/*
 * Checks, before anything listens, that cert_pem is a certificate (chain) for key_pem and
 * that ca_pem holds at least one CA certificate. 0, or -EINVAL with a plain reason in err.
 */
int tls_check_files(const char *cert_pem, const char *key_pem, const char *ca_pem, char *err,
                    size_t size);

/*
 * Called for each new connection before its handshake: a certificate the client presents
 * is verified during the handshake, against the CA and for client authentication.
 */
int tls_session_setup(gnutls_session_t session);

/*
 * After the handshake: 0 when the client presented no certificate, 1 when it presented one
 * that verifies (its fingerprint is then in ret_fingerprint), -EACCES when it presented one
 * that does not.
 */
int tls_peer_device(gnutls_session_t session, char ret_fingerprint[TLS_FINGERPRINT_SIZE]);

#endif
