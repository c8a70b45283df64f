/*
 * An app's channel to the daemon, driven from the UI loop: the descriptor onward-launch
 * hands the app (3), calls queued with client_send() and written when the socket takes
 * them, and replies handed to each call's callback in the order the calls were made. The
 * UI thread never waits. A channel does not come back: when the daemon closes it (the
 * session ended), breaks the protocol, or leaves a call unanswered for
 * CHANNEL_CALL_TIMEOUT_MS, every call in flight is answered with NULL and the app is told
 * once that the channel is gone. Shared by onward-app-housing and onward-app-appointments.
 */
#ifndef ONWARD_APP_CHANNEL_H
#define ONWARD_APP_CHANNEL_H

#include <stdbool.h>

#include <jansson.h>

#include "client.h"

#define CHANNEL_CALL_TIMEOUT_MS 15000
#define CHANNEL_MAX_PENDING 16

struct channel;
struct ui_app;

/* A call's answer; reply is NULL when the channel went before it came. The reply is
 * released after the callback returns. */
typedef void (*channel_reply_fn)(struct channel *ch, struct client_reply *reply, void *userdata);

/* The channel is gone for good. */
typedef void (*channel_gone_fn)(struct channel *ch, void *userdata);

/* Takes fd (closed by channel_free, or here on failure) and watches it through app. */
int channel_open(struct ui_app *app, int fd, channel_gone_fn on_gone, void *userdata,
                 struct channel **ret_channel);

/* Stops watching and closes the descriptor; callbacks in flight are not called. */
void channel_free(struct channel *ch);

/* Queues a call; params is stolen (NULL for {}). -EPIPE once gone, -EBUSY with
 * CHANNEL_MAX_PENDING calls in flight; fn is not called on failure. */
int channel_call(struct channel *ch, const char *method, json_t *params, channel_reply_fn fn,
                 void *userdata);

bool channel_is_open(const struct channel *ch);

#endif
