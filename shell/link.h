/*
 * The shell's one connection to the daemon (control.sock), driven entirely from the UI
 * loop: a non-blocking connect, calls queued with client_send() and written when the
 * socket takes them, replies read as they arrive and handed to each call's callback in
 * order. The UI thread never waits for the daemon. When the daemon is not there, goes
 * away, breaks the protocol or leaves a call unanswered for LINK_CALL_TIMEOUT_MS, the
 * link fails the calls in flight, says it is down, and tries again with back-off (a
 * quarter of a second, doubling to five seconds). It is "up" once the daemon has answered
 * onward.Service.GetInfo on the new connection.
 */
#ifndef ONWARD_SHELL_LINK_H
#define ONWARD_SHELL_LINK_H

#include <stdbool.h>

#include <jansson.h>

#include "client.h"

#define LINK_CALL_TIMEOUT_MS 10000
#define LINK_MAX_PENDING 16
#define LINK_RETRY_FIRST_MS 250
#define LINK_RETRY_MAX_MS 5000

struct link;
struct ui_app;

/* A call's answer. `reply` is NULL when the link went down before it came; the callback
 * may take reply->fd (set it to -1). The reply is released after the callback. */
typedef void (*link_reply_fn)(struct link *l, struct client_reply *reply, void *userdata);

/* The link came up (true) or went down (false). */
typedef void (*link_state_fn)(struct link *l, bool up, void *userdata);

/* A link to the socket at `path` (copied). Nothing happens until link_start(). */
int link_new(struct ui_app *app, const char *path, link_state_fn on_state, void *userdata,
             struct link **ret_link);
/* Closes the connection; the callbacks of calls in flight are not called. */
void link_free(struct link *l);

/* Connects now (and keeps reconnecting when it cannot). */
void link_start(struct link *l);

bool link_is_up(const struct link *l);

/* Queues a call; params is stolen (NULL for {}). -ENOTCONN while down, -EBUSY with
 * LINK_MAX_PENDING calls in flight, or as client_send(). `fn` is not called on failure. */
int link_call(struct link *l, const char *method, json_t *params, link_reply_fn fn, void *userdata);

/* Drops the connection as if the daemon had gone (a reply the shell cannot trust). */
void link_drop(struct link *l);

/* How many times the link went down (for the tests' dumps and the log). */
unsigned link_down_count(const struct link *l);

#endif
