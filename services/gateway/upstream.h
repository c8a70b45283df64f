/*
 * The gateway's connections to the daemon's gateway.sock. The daemon answers the calls on
 * one connection strictly in order, one at a time, so each connection keeps a FIFO of the
 * calls waiting for it and sends the next only when the last is answered; a new call goes
 * to the connection with the fewest waiting. A connection that closes, breaks the framing,
 * sends a reply past PROTO_MAX_REPLY or one that is not a reply, or does not answer in
 * time is dropped: the call it was answering fails, the calls not yet sent move to another
 * connection, and it is made again after a back-off (0.1 s doubling to 2 s). Nothing here
 * blocks the loop or logs; the caller is told what happened.
 */
#ifndef ONWARD_GATEWAY_UPSTREAM_H
#define ONWARD_GATEWAY_UPSTREAM_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

struct upstream;
struct upstream_call;

/*
 * A call's one outcome. status is the HTTP status of the daemon's reply (200, or by its
 * error: request_reply_status), and reply its bytes (len, no NUL; valid only during the
 * callback). Or status is negative and reply NULL: -ECONNRESET (the daemon went away with
 * the call sent), -EPROTO (its answer broke the protocol), -ETIMEDOUT (no answer in time),
 * -ENOTCONN (no connection could take a call that was waiting), -ECANCELED (stopping).
 */
typedef void (*upstream_done_fn)(struct upstream_call *call, int status, const char *reply,
                                 size_t len);

/* One call, owned by the caller, which must keep it (and frame) until done is called. */
struct upstream_call {
	const char *frame; /* borrowed: the call, NUL included */
	size_t frame_len; /* with the NUL */
	upstream_done_fn done;
	void *data; /* the caller's */
	struct upstream_call *next; /* the upstream's: its place in a FIFO */
};

struct upstream_options {
	const char *path; /* gateway.sock */
	unsigned connections; /* 1 to 64 */
	unsigned max_waiting; /* calls waiting per connection, the one being answered included */
	unsigned reply_timeout_ms; /* longest wait for one answer */
	/* Told when the state of the link to the daemon changes (for the log); may be NULL. */
	void (*on_change)(void *data, bool connected, int error);
	void *data;
};

/* Makes the connections' handles and starts connecting. -EINVAL or -ENOMEM. */
int upstream_start(uv_loop_t *loop, const struct upstream_options *options, struct upstream **ret);

/*
 * Queues a call on the least busy connection. 0 (done will be called once), -ENOTCONN (no
 * connection to the daemon) or -EBUSY (every connection has max_waiting calls).
 */
int upstream_submit(struct upstream *u, struct upstream_call *call);

/* Calls sent or waiting. */
size_t upstream_waiting(const struct upstream *u);

/* Connections up now. */
unsigned upstream_connected(const struct upstream *u);

/*
 * Fails every call still waiting with -ECANCELED, closes every handle and frees u once the
 * loop has closed them. u must not be used afterwards. Accepts NULL.
 */
void upstream_close(struct upstream *u);

#endif
