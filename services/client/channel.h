/*
 * A channel: one connection to the daemon used asynchronously, by programs with an event
 * loop of their own (the shell on control.sock, each app on the socket onward-launch hands
 * it). It is the client library's one call queue for user interfaces, so that the shell and
 * every app treat the daemon alike: a call is queued with a callback and a deadline and
 * never waits; replies go to the calls in the order the calls were made (the daemon
 * answers in order); and whatever breaks that order closes the channel.
 *
 * The channel knows no event loop. Like c-ares' socket-state callback, it tells its loop
 * through a watch function what to wait for: which poll() events on channel_fd() and how
 * long until a deadline; the loop calls channel_process() when either comes. The toolkit's
 * adapter is onward_app_watch_channel() (shell/toolkit/include/onward/app.h); a test can
 * drive a channel with poll() alone. Everything runs on one thread; the library never
 * logs: the reason a channel closed is handed to the program, which says it.
 *
 * A channel closes for good, and is never reused, when:
 *   -EPIPE       the daemon closed the connection (the session ended), even mid-reply;
 *   -ETIMEDOUT   a call had no reply by its deadline. The call gets -ETIMEDOUT. Replies
 *                are matched to calls by order alone, so a reply arriving later would be
 *                taken for the next call's: the connection is out of step and is closed;
 *   -EPROTO      a reply came that no call was waiting for: the daemon and the program
 *                disagree about what was asked, and nothing after it can be trusted;
 *   -EBADMSG     a reply that is not a protocol reply (not JSON, a wrong shape, a
 *                descriptor promised but not sent);
 *   -EMSGSIZE    a reply over PROTO_MAX_REPLY;
 *   anything else a failed read or write (negative errno), or what channel_close() is
 *   given.
 * Then every call still waiting gets its callback, in order, with the reason (the call
 * that timed out with -ETIMEDOUT, those behind it with -ECONNABORTED), and the close
 * function is told once. Later calls fail at once with -ENOTCONN.
 */
#ifndef ONWARD_CLIENT_CHANNEL_H
#define ONWARD_CLIENT_CHANNEL_H

#include <stdbool.h>

#include <jansson.h>

#include "client.h"

/* How long a call waits for its reply unless the caller says otherwise. */
#define CHANNEL_TIMEOUT_MS 10000
/* Calls in flight at once; more are refused with -EBUSY, so a stuck daemon cannot make a
 * program queue without end. */
#define CHANNEL_MAX_CALLS 32

struct channel;

/*
 * A call's end. status is 0 with the reply (an error reply is still 0: look at
 * reply->error), or negative with reply NULL (see the top of this file). The callback may
 * take reply->fd (setting it to -1); the reply is released when the callback returns, so a
 * descriptor nobody takes is closed. The callback may make calls, or close or free ch.
 */
typedef void (*channel_reply_fn)(struct channel *ch, int status, struct client_reply *reply,
                                 void *userdata);

/* The channel closed for `reason` (see the top of this file). Called once, after every call
 * in flight has had its callback. It may free ch. */
typedef void (*channel_close_fn)(struct channel *ch, int reason, void *userdata);

/*
 * For the event loop: wait for `events` (POLLIN, and POLLOUT while calls wait to be
 * written) on channel_fd() and call channel_process() when they come, or after timeout_ms
 * (-1: no deadline). Called whenever either changes. events == 0 means the loop must stop
 * watching: the channel is closing or being freed, and its descriptor is about to close;
 * no watch call follows that one.
 */
typedef void (*channel_watch_fn)(struct channel *ch, short events, int timeout_ms, void *userdata);

/* Takes fd, a connected stream socket, in every case (it is closed on failure), and makes
 * it non-blocking. Nothing is watched until channel_set_watch(). */
int channel_new(int fd, struct channel **ret_channel);

/* Closes the descriptor. The callbacks of calls in flight and the close function are not
 * called; the watch function is told (events 0). Safe inside a callback (the memory goes
 * when the callback returns). Accepts NULL. */
void channel_free(struct channel *ch);

/* Who runs the loop: at most one watcher, set once, before the first call. */
void channel_set_watch(struct channel *ch, channel_watch_fn fn, void *userdata);

/* Who hears that the channel closed (may be NULL). */
void channel_set_on_close(struct channel *ch, channel_close_fn fn, void *userdata);

/* A pointer for the program to keep with the channel, as libuv's handle->data: a
 * callback finds its program through it. NULL until set. */
void channel_set_data(struct channel *ch, void *data);
void *channel_get_data(const struct channel *ch);

/* The socket, for the loop; -1 once closed. */
int channel_fd(const struct channel *ch);

/* What the loop should wait for now: poll() events (0 once closed), and milliseconds to
 * the nearest deadline (-1: none). The watch function is told the same on every change. */
short channel_events(const struct channel *ch);
int channel_timeout_ms(const struct channel *ch);

/*
 * Queues a call with a deadline CHANNEL_TIMEOUT_MS from now; params is stolen (NULL for
 * {}), also on failure. fn may be NULL (the reply is read and dropped). Returns 0, and fn
 * is then called exactly once (unless the channel is freed first); or -ENOTCONN once
 * closed (or for a NULL ch: a program without a channel), -EBUSY with CHANNEL_MAX_CALLS in flight,
 * -EMSGSIZE for a call over PROTO_MAX_REQUEST, -ENOMEM, and fn is not called.
 */
int channel_call(struct channel *ch, const char *method, json_t *params, channel_reply_fn fn,
                 void *userdata);

/* The same with a deadline of its own: timeout_ms > 0 (-EINVAL otherwise). */
int channel_call_timeout(struct channel *ch, const char *method, json_t *params, int timeout_ms,
                         channel_reply_fn fn, void *userdata);

/* The loop's turn: writes what the socket takes, reads and hands out the replies that have
 * come, and ends calls past their deadline. revents as poll() reported them (0 when the
 * timeout came). */
void channel_process(struct channel *ch, short revents);

/* Closes the channel now with `reason` (a negative errno), as if the daemon had broken it:
 * for a reply the program cannot trust. Nothing happens once closed. */
void channel_close(struct channel *ch, int reason);

/* True until the channel closes; false for NULL. */
bool channel_is_open(const struct channel *ch);

/* Why the channel closed (see the top of this file), or 0 while open. */
int channel_close_reason(const struct channel *ch);

/* A close reason in words for a log line ("a call had no reply in time"); English, and
 * strerror()'s words for the codes not named at the top of this file. */
const char *channel_strerror(int reason);

/* Calls waiting for their replies. */
unsigned channel_pending(const struct channel *ch);

#endif
