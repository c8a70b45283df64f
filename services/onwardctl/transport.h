/*
 * Where onwardctl's calls go: the daemon's admin socket on this machine, or an
 * establishment server's gateway over HTTPS (--server URL, the server verified against the
 * establishment's CA). Either way a call is one method with its parameters and the answer
 * is the daemon's reply; a staff session travels as the "staff_session" parameter on the
 * socket and as a bearer token over HTTPS.
 */
#ifndef ONWARDCTL_TRANSPORT_H
#define ONWARDCTL_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "client.h"

struct transport_target {
	const char *state_dir; /* the local daemon's state directory; or */
	const char *server; /* "https://host:8443": an establishment server's gateway */
	const char *ca_file; /* with server: the establishment CA's certificate (PEM) */
};

struct transport;

/* Connects (the socket) or checks the target (HTTPS); a plain line in err on failure. */
int transport_open(const struct transport_target *t, struct transport **ret, char *err,
                   size_t size);

/* One call; params stolen. 0 with the reply, or a negative errno and a line in err. */
int transport_call(struct transport *t, const char *method, json_t *params, int timeout_ms,
                   struct client_reply *ret, char *err, size_t size);

/* The admin socket's client and path, for the progress line; NULL over HTTPS. */
struct client *transport_client(struct transport *t);
const char *transport_socket_path(const struct transport *t);

/* Which server a session belongs to: the gateway's URL, or "local". */
const char *transport_name(const struct transport *t);

void transport_close(struct transport *t);

#endif
