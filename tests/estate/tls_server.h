/*
 * A small TLS 1.3 web server for the estate's client tests, in a child process on
 * 127.0.0.1: it stands in for onward-gateway (another part, built apart) where a test
 * needs a server that misbehaves on purpose, and says so. It serves GET /ca.pem from a
 * given text and answers POST /api/v1/<method> in one of three ways: echo what it got
 * (path, bearer header, the client certificate's common name, the body), a fixed body, or
 * forward the call to a real daemon's gateway.sock with the "via" the gateway would add
 * (the gateway's job, without its limits and checks).
 */
#ifndef ONWARD_TEST_TLS_SERVER_H
#define ONWARD_TEST_TLS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <openssl/types.h>

enum tls_reply {
	TLS_REPLY_ECHO,
	TLS_REPLY_FIXED,
	TLS_REPLY_FORWARD,
};

struct tls_server_config {
	const char *cert_pem; /* the server's certificate */
	EVP_PKEY *key; /* and its key */
	const char *client_ca_pem; /* ask for a client certificate chaining to this; or NULL */
	bool tls12_only; /* offer TLS 1.2 and nothing newer */
	const char *ca_pem_reply; /* the body of GET /ca.pem */
	enum tls_reply reply;
	const char *fixed_body; /* TLS_REPLY_FIXED: the body, or NULL for ... */
	size_t fixed_size; /* ... this many bytes of 'x' */
	int fixed_status; /* its HTTP status (200 if 0) */
	const char *forward_socket; /* TLS_REPLY_FORWARD: the daemon's socket */
};

struct tls_server {
	pid_t pid;
	int port;
	char url[64]; /* "https://127.0.0.1:PORT" */
};

void tls_server_start(struct tls_server *s, const struct tls_server_config *c);
void tls_server_stop(struct tls_server *s);

#endif
