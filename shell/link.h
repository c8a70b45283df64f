/*
 * The shell's one connection to the daemon (control.sock): a channel
 * (services/client/channel.h) run on the UI loop (onward_app_watch_channel()), so calls are
 * queued and answered in order, each within CHANNEL_TIMEOUT_MS, and the UI thread never
 * waits for the daemon. What the link adds is coming back: when the daemon is not there,
 * goes away, breaks the protocol or leaves a call unanswered, the channel closes (every call
 * in flight gets its callback with no reply), the link says it is down, and it tries again
 * with back-off (a quarter of a second, doubling to five seconds). It is "up" once the
 * daemon has answered onward.Service.GetInfo on the new connection.
 *
 * The daemon closes connections without a session that make no call for a while (its idle
 * timeout). When the shell says its connection holds nothing (link_set_idle_ok: nobody is
 * logged in) and no call was lost with it, such a close is not an outage: the link
 * connects again at once without saying it went down, and says so only if that fails.
 * Meanwhile it counts as up: calls wait behind the new connection's hello.
 */
#ifndef ONWARD_SHELL_LINK_H
#define ONWARD_SHELL_LINK_H

#include <stdbool.h>

#include <jansson.h>

#include "channel.h"

#define LINK_RETRY_FIRST_MS 250
#define LINK_RETRY_MAX_MS 5000

struct link;
struct ui_app;

/* The link came up (true) or went down (false). */
typedef void (*link_state_fn)(struct link *l, bool up, void *userdata);

/* A link to the socket at `path` (copied). Nothing happens until link_start(). */
int link_new(struct ui_app *app, const char *path, link_state_fn on_state, void *userdata,
             struct link **ret_link);
/* Closes the connection; the callbacks of calls in flight are not called. */
void link_free(struct link *l);

/* Connects now (and keeps reconnecting when it cannot). */
void link_start(struct link *l);

/* Up, or connecting again quietly after an idle close. */
bool link_is_up(const struct link *l);

/* Whether the connection holds nothing a close would lose (no session): then a close by
 * the daemon while no call waits is met by connecting again quietly. */
void link_set_idle_ok(struct link *l, bool idle_ok);

/* Queues a call on the channel (see channel_call(); params stolen, NULL for {}):
 * -ENOTCONN while down. fn may be NULL; it is not called on failure. */
int link_call(struct link *l, const char *method, json_t *params, channel_reply_fn fn,
              void *userdata);

/* How many times the link went down (for the tests' dumps and the log). */
unsigned link_down_count(const struct link *l);

/* Why it last went down: the channel's close reason (see channel.h), or the connect's
 * error; 0 before the first outage. */
int link_down_reason(const struct link *l);

#endif
