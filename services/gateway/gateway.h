/*
 * onward-gateway's central structs: its settings (from the command line, checked in
 * options.c before anything listens) and the running gateway that main.c, http.c and the
 * drain on SIGTERM share. The HTTP side (http.c) is the only part that speaks to clients;
 * upstream.c the only part that speaks to the daemon.
 */
#ifndef ONWARD_GATEWAY_H
#define ONWARD_GATEWAY_H

#include "limits.h"
#include "upstream.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <uv.h>

#define GATEWAY_DEFAULT_PORT 8443
#define GATEWAY_ERROR_SIZE 512

struct gateway_options {
	struct sockaddr_storage listen; /* --listen: an IPv4 or IPv6 address and port */
	char listen_text[80]; /* as given, for the log */
	const char *cert_path, *key_path, *client_ca_path; /* borrowed from argv */
	char *cert_pem, *key_pem, *client_ca_pem; /* owned: the files' bytes, NUL-terminated */
	size_t client_ca_len;
	const char *daemon_socket; /* borrowed from argv */
	unsigned upstream; /* connections to the daemon */
	unsigned max_queued; /* calls waiting at the daemon, across every connection */
	unsigned max_connections; /* HTTPS connections at once */
	unsigned max_per_ip; /* HTTPS connections at once from one address (0: no limit) */
	unsigned idle_timeout; /* seconds a quiet connection is kept */
	double rate, burst; /* calls a second per identity, and the burst allowed */
	unsigned drain_seconds; /* how long SIGTERM waits for calls under way */
	unsigned reply_timeout; /* seconds the daemon has to answer one call */
	bool check, verbose;
};

struct http;

struct gateway {
	uv_loop_t *loop; /* borrowed: the default loop */
	struct gateway_options options;
	struct http *http; /* owned */
	struct upstream *upstream; /* owned */
	struct limits *limits; /* owned */
	uv_signal_t sigterm, sigint;
	uv_timer_t drain_timer; /* checks, while draining, whether calls are done */
	uint64_t drain_deadline; /* uv_now() by which the drain gives up */
	bool draining;
};

/*
 * options.c: reads the command line into ret (defaults first) and the files it names.
 * Returns 0, 1 when --help or --version was shown (exit 0), or -EINVAL with one plain line
 * in err (exit 2).
 */
int options_parse(int argc, char **argv, struct gateway_options *ret, char *err, size_t size);
void options_release(struct gateway_options *o);

/*
 * http.c: the HTTPS side. http_start listens (MHD with TLS 1.3, on the gateway's loop);
 * http_drain stops accepting and answers any new request 503; http_active counts requests
 * under way (read, at the daemon, or being answered); http_stop closes every connection
 * and frees h (only once no request waits at the daemon).
 */
int http_start(struct gateway *gw, struct http **ret, char *err, size_t size);
void http_drain(struct http *h);
size_t http_active(const struct http *h);
void http_stop(struct http *h);
/* The port listened on (the one asked for, or the kernel's choice for port 0). */
unsigned http_port(const struct http *h);

#endif
