/*
 * What the estate's tests share: a daemon with an administrator, a tablet's key as the
 * base64 point it sends, the calls a tablet makes to enrol, and checks of a certificate
 * the daemon issued (chain, names, use, validity by the daemon's clock).
 */
#ifndef ONWARD_TEST_ESTATE_FIXTURE_H
#define ONWARD_TEST_ESTATE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/types.h>

#include "daemon.h"

#define ESTATE_WRONG_CODE                                                                          \
	"That enrolment code is not right or has run out. Ask staff for a new one."

/* The address the tests' gateway calls say the tablet called from. */
#define ESTATE_ADDRESS "10.1.2.3"

/*
 * Makes, starts and seeds a daemon of Moorland's (MDI) for a test that speaks TLS: its clock
 * is set to the machine's before its first start, when its CA is made, since TLS checks
 * certificates at the machine's time. The one place the tests read the wall clock.
 */
void estate_daemon_for_tls(struct test_daemon *d);

/* A new P-256 key (the caller frees it) and its point as base64 (89 bytes). */
EVP_PKEY *estate_new_key(char *ret_point_b64);

/* A fresh enrolment code from staff "admin"; code (15 bytes) and the CA pin (65). */
void estate_code(struct test_daemon *d, char *ret_code, char *ret_pin);

/* A tablet's Device.Enrol through gateway.sock with code and a public key's base64. */
void estate_enrol(struct test_daemon *d, const char *code, const char *public_key,
                  struct client_reply *ret);

/* The same as the gateway would send it for a tablet at address. */
void estate_enrol_from(struct test_daemon *d, const char *address, const char *code,
                       const char *public_key, struct client_reply *ret);

/* A tablet's Device.Hello through gateway.sock, proven by the certificate cert_pem. */
void estate_hello(struct test_daemon *d, const char *cert_pem, struct client_reply *ret);

/*
 * Runs onward-sync COMMAND --server url --dir dir, then the further arguments (NULL
 * ended); the result in ret.
 */
void estate_sync(struct run_result *ret, const char *url, const char *command, const char *dir,
                 ...);

/* Fails the test unless r exited with status and printed out and err (each may be NULL);
 * releases r. */
void estate_expect_run(struct run_result *r, int status, const char *out, const char *err);

/* Fails the test unless r is the error `error` whose message holds `words`; releases r. */
void estate_expect_error(struct client_reply *r, const char *error, const char *words);

/*
 * Parses the PEM certificate and checks it chains to the CA PEM, names cn, is for
 * serverAuth or clientAuth (server), and runs from before now to about days from now by
 * the daemon's clock. Returns it (the caller frees it).
 */
X509 *estate_check_cert(const struct test_daemon *d, const char *pem, const char *ca_pem,
                        const char *cn, bool server, int days);

#endif
