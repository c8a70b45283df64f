/*
 * What the estate tests share: a test certificate authority made with the openssl command
 * (the establishment's, with the gateway's server certificate and a tablet's client
 * certificate, and a second, forged one with its own "tablet"), a real onward-gateway on
 * 127.0.0.1 and a port the kernel chose, HTTPS calls to it with libcurl, and a stand-in
 * daemon for the faults the real one cannot be made to commit (a reply past the limit, a
 * reply that is not JSON, a slow answer), which says what it was sent.
 */
#ifndef ONWARD_TEST_GATEWAY_FIXTURE_H
#define ONWARD_TEST_GATEWAY_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct test_pki {
	char dir[64];
	char ca[96], server_cert[96], server_key[96]; /* the establishment's */
	char client_cert[96], client_key[96]; /* a tablet of this establishment */
	char forged_cert[96], forged_key[96]; /* from another CA, same name */
	char client_fingerprint[65]; /* SHA-256 of the client certificate's DER */
};

/* Makes the CAs and certificates in a fresh temporary folder. */
void pki_make(struct test_pki *pki);
void pki_remove(struct test_pki *pki);

struct test_gateway {
	pid_t pid;
	unsigned port;
	char log[96]; /* its standard error */
};

/*
 * Starts onward-gateway with the PKI's files, gateway.sock at daemon_socket and the extra
 * arguments (NULL ended, may be NULL), on 127.0.0.1 port 0; waits until it says where it
 * listens. Fails the test otherwise.
 */
void gateway_start(struct test_gateway *g, const struct test_pki *pki, const char *daemon_socket,
                   const char *const extra[]);

/* SIGTERM; checks it exits 0 within 15 s. */
void gateway_stop(struct test_gateway *g);

/* Checks it exits 0 within 15 s (after a SIGTERM the test sent itself). */
void gateway_wait_exit(struct test_gateway *g);

/* Whether its log holds needle. */
bool gateway_log_has(const struct test_gateway *g, const char *needle);

struct https_options {
	const char *cert, *key; /* a client certificate, or NULL */
	bool tls12_only; /* offer TLS 1.2 and nothing newer */
	const char *authorization; /* an Authorization header's value, or NULL */
	const char *verb; /* NULL: POST when there is a body, else GET */
};

struct https_result {
	int curl_code; /* 0 when an HTTP answer came */
	long status;
	char *body; /* owned, NUL-terminated */
	size_t len;
	char retry_after[16]; /* the Retry-After header, or "" */
	char content_type[64];
	bool nosniff, no_store, hsts;
};

/* One HTTPS request to the gateway (body NULL for none). */
void https_call(const struct test_gateway *g, const struct test_pki *pki,
                const struct https_options *o, const char *path, const char *body,
                struct https_result *ret);
void https_result_release(struct https_result *r);

/* A POST of body to /api/v1/METHOD without a client certificate; checks the status. */
void https_expect(const struct test_gateway *g, const struct test_pki *pki, const char *method,
                  const char *body, long status, const char *error);

/*
 * The stand-in daemon, a child process on path. It answers onward.Test.Huge with a reply
 * past PROTO_MAX_REPLY, onward.Test.Garbage with a frame that is not JSON, onward.Test.Slow
 * after a second, onward.Test.Never not at all, and anything else with {"parameters":
 * {"call": <the call it was sent>}}.
 */
pid_t fake_daemon_start(const char *path);
void fake_daemon_stop(pid_t pid);

#endif
