/*
 * The client library: how onwardctl, the shell and the apps speak the Onward protocol
 * (see services/proto/proto.h and docs/protocol.md). One struct client is one connection.
 *
 * Tools use client_call(), which sends a call and waits for its reply. The UI uses the
 * non-blocking half: client_send() queues a call, the program polls client_fd() (for
 * writing too while client_wants_write()), calls client_flush() and client_receive().
 * Replies come back in the order the calls were sent.
 *
 * A reply may carry a descriptor (an app channel): its parameters then hold
 * "descriptor": true and client_reply.fd is that descriptor, owned by the reply.
 */
#ifndef ONWARD_CLIENT_H
#define ONWARD_CLIENT_H

#include <stdbool.h>

#include <jansson.h>

struct client;

struct client_reply {
	json_t *parameters; /* owned; never NULL after a reply */
	char *error; /* owned; NULL on success, else "onward.PermissionDenied" etc. */
	int fd; /* owned; a descriptor passed with the reply, or -1 */
};

/* Connects to the socket at path. -ENOENT / -ECONNREFUSED when no daemon is there. */
int client_connect(const char *path, struct client **ret);

/* Wraps a connected socket the caller already has (an app's inherited channel). */
int client_adopt(int fd, struct client **ret);

void client_free(struct client *c);

/* The socket, for poll(); readable means client_receive() has something to do. */
int client_fd(const struct client *c);

/*
 * Sends a call and waits up to timeout_ms (negative: no limit) for its reply. params is
 * stolen (NULL for {}). Returns 0 with ret filled (an error reply is still 0: look at
 * ret->error), -ETIMEDOUT, -EPIPE when the daemon closed the connection, -EMSGSIZE or
 * -EBADMSG for a reply that breaks the protocol.
 */
int client_call(struct client *c, const char *method, json_t *params, int timeout_ms,
                struct client_reply *ret);

/* Queues a call without blocking; params is stolen. Then client_flush() as writable. */
int client_send(struct client *c, const char *method, json_t *params);

/* Writes what the socket takes now: 0 when all is written, -EAGAIN when some remains. */
int client_flush(struct client *c);

/* True while queued calls wait to be written. */
bool client_wants_write(const struct client *c);

/*
 * Reads what has arrived and takes out the next reply: 0 with ret filled, -EAGAIN when no
 * whole reply is here yet, -EPIPE when the connection closed, -EMSGSIZE / -EBADMSG on a
 * broken reply (the connection is then unusable).
 */
int client_receive(struct client *c, struct client_reply *ret);

void client_reply_release(struct client_reply *r);

/* Flags for client_read_text(). */
#define CLIENT_TEXT_REQUIRED 0x1 /* absent or null is -EBADMSG, not "" */
#define CLIENT_TEXT_MULTILINE 0x2 /* line breaks allowed (other control characters never) */

/*
 * Reads a reply's string member obj[key] into buf (room for max bytes and a NUL), as
 * every program that shows a reply must before it copies one: absent or null gives ""
 * (-EBADMSG with CLIENT_TEXT_REQUIRED); another type, more than max bytes, a NUL inside or
 * a control character is -EBADMSG, and buf is then "". The shell and every app read their
 * replies through this one function.
 */
int client_read_text(const json_t *obj, const char *key, int flags, char *buf, size_t max);

/* The reply's "message" parameter (plain words), or "" when there is none. */
const char *client_reply_message(const struct client_reply *r);

#endif
