/*
 * The app's channel to the daemon, driven from the UI loop: calls are queued with
 * client_send() and written when the socket takes them, replies are read as they come
 * and handed to each call's callback in the order the calls were made. The UI thread
 * never waits for the daemon. If the daemon closes the channel (the person logged out)
 * or breaks the protocol, every call still waiting gets a NULL reply and the app is told.
 */
#include "learning.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#define CHAN_PENDING_MAX 32

struct pending {
	chan_fn fn;
	void *userdata; /* borrowed: the caller's */
};

struct chan {
	struct learning *lr; /* borrowed */
	struct client *client; /* owned */
	int fd;
	unsigned watch;
	struct pending pending[CHAN_PENDING_MAX]; /* a ring, oldest at head */
	size_t head, count;
	bool gone;
};

static void
set_events(struct chan *ch)
{
	if (ch->watch)
		ui_app_watch_set_events(ch->lr->app, ch->watch,
		                        POLLIN | (client_wants_write(ch->client) ? POLLOUT : 0));
}

/* The channel is gone: fail every call waiting, once, and tell the app. */
static void
chan_gone(struct chan *ch)
{
	if (ch->gone)
		return;
	ch->gone = true;
	if (ch->watch) {
		ui_app_unwatch_fd(ch->lr->app, ch->watch);
		ch->watch = 0;
	}
	while (ch->count > 0) {
		struct pending p = ch->pending[ch->head];

		ch->head = (ch->head + 1) % CHAN_PENDING_MAX;
		ch->count--;
		p.fn(ch->lr, NULL, p.userdata);
	}
	learning_channel_down(ch->lr);
}

static void
on_ready(struct ui_app *app, int fd, short revents, void *userdata)
{
	struct chan *ch = userdata;
	struct client_reply reply = {.fd = -1};
	int r;

	(void)app;
	(void)fd;
	if (revents & POLLOUT) {
		r = client_flush(ch->client);
		if (r < 0 && r != -EAGAIN) {
			chan_gone(ch);
			return;
		}
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		while ((r = client_receive(ch->client, &reply)) == 0) {
			if (ch->count == 0) {
				/* A reply nobody asked for: the daemon is not what we think. */
				client_reply_release(&reply);
				chan_gone(ch);
				return;
			}
			struct pending p = ch->pending[ch->head];

			ch->head = (ch->head + 1) % CHAN_PENDING_MAX;
			ch->count--;
			p.fn(ch->lr, &reply, p.userdata);
			client_reply_release(&reply);
			if (ch->gone)
				return;
		}
		if (r != -EAGAIN) {
			chan_gone(ch);
			return;
		}
	}
	set_events(ch);
}

int
chan_open(struct learning *lr, int fd, struct chan **ret)
{
	struct chan *ch = calloc(1, sizeof(*ch));
	int r;

	if (!ch)
		return -ENOMEM;
	ch->lr = lr;
	ch->fd = fd;
	r = client_adopt(fd, &ch->client);
	if (r == 0)
		r = ui_app_watch_fd(lr->app, fd, POLLIN, on_ready, ch, &ch->watch);
	if (r < 0) {
		client_free(ch->client);
		free(ch);
		return r;
	}
	*ret = ch;
	return 0;
}

void
chan_free(struct chan *ch)
{
	if (!ch)
		return;
	if (ch->watch)
		ui_app_unwatch_fd(ch->lr->app, ch->watch);
	client_free(ch->client);
	free(ch);
}

int
chan_call(struct chan *ch, const char *method, json_t *params, chan_fn fn, void *userdata)
{
	int r;

	if (!ch || ch->gone) {
		json_decref(params);
		return -ENOTCONN;
	}
	if (ch->count == CHAN_PENDING_MAX) {
		json_decref(params);
		return -EBUSY;
	}
	r = client_send(ch->client, method, params);
	if (r < 0)
		return r;
	ch->pending[(ch->head + ch->count) % CHAN_PENDING_MAX] = (struct pending){fn, userdata};
	ch->count++;
	set_events(ch);
	return 0;
}
