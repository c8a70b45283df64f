/*
 * The app's channel (see channel.h). The socket is watched through the toolkit: for
 * reading always, for writing while calls wait to be written. Replies go to the oldest
 * call in flight; one with no call waiting for it breaks the channel, as does anything
 * the client library cannot read.
 */
#include "channel.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <onward/ui.h>

struct pending {
	channel_reply_fn fn;
	void *userdata; /* borrowed: the caller's */
	Uint32 since; /* SDL_GetTicks() when it became the oldest */
};

struct channel {
	struct ui_app *app; /* borrowed */
	struct client *client; /* owned; NULL once gone */
	unsigned watch; /* 0 when not watching */
	unsigned timer; /* 0 when none: checks the oldest call's age */
	channel_gone_fn on_gone;
	void *userdata; /* borrowed: the app's */
	struct pending pending[CHANNEL_MAX_PENDING]; /* oldest first */
	size_t n_pending;
	bool gone;
};

static void
update_watch(struct channel *ch)
{
	if (ch->watch)
		ui_app_watch_set_events(ch->app, ch->watch,
		                        POLLIN | (client_wants_write(ch->client) ? POLLOUT : 0));
}

static void
stop(struct channel *ch)
{
	if (ch->watch)
		ui_app_unwatch_fd(ch->app, ch->watch);
	ch->watch = 0;
	if (ch->timer)
		ui_app_remove_timer(ch->app, ch->timer);
	ch->timer = 0;
	client_free(ch->client);
	ch->client = NULL;
}

/* Fails every call in flight and says, once, that the channel is gone. */
static void
go(struct channel *ch)
{
	struct pending failed[CHANNEL_MAX_PENDING];
	size_t n = ch->n_pending;

	if (ch->gone)
		return;
	ch->gone = true;
	stop(ch);
	memcpy(failed, ch->pending, n * sizeof(failed[0]));
	ch->n_pending = 0;
	for (size_t i = 0; i < n; i++)
		if (failed[i].fn)
			failed[i].fn(ch, NULL, failed[i].userdata);
	if (ch->on_gone)
		ch->on_gone(ch, ch->userdata);
}

static void
on_check(struct ui_app *app, void *userdata)
{
	struct channel *ch = userdata;
	Uint32 age;

	ch->timer = 0;
	if (ch->n_pending == 0)
		return;
	age = SDL_GetTicks() - ch->pending[0].since;
	if (age >= CHANNEL_CALL_TIMEOUT_MS) {
		go(ch); /* a daemon that does not answer is as good as gone */
		return;
	}
	ui_app_add_timer(ch->app, CHANNEL_CALL_TIMEOUT_MS - age, on_check, ch, &ch->timer);
}

static void
deliver(struct channel *ch, struct client_reply *reply)
{
	struct pending p;

	if (ch->n_pending == 0) {
		client_reply_release(reply);
		go(ch);
		return;
	}
	p = ch->pending[0];
	memmove(ch->pending, ch->pending + 1, --ch->n_pending * sizeof(ch->pending[0]));
	if (ch->n_pending > 0)
		ch->pending[0].since = SDL_GetTicks();
	/* A descriptor has no business on an app's channel: close it unread. */
	if (reply->fd >= 0) {
		close(reply->fd);
		reply->fd = -1;
	}
	if (p.fn)
		p.fn(ch, reply, p.userdata);
	client_reply_release(reply);
}

static void
on_ready(struct ui_app *app, int fd, short revents, void *userdata)
{
	struct channel *ch = userdata;
	int r;

	if (revents & POLLOUT) {
		r = client_flush(ch->client);
		if (r < 0 && r != -EAGAIN) {
			go(ch);
			return;
		}
		update_watch(ch);
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
		return;
	while (!ch->gone) {
		struct client_reply reply = {.fd = -1};

		r = client_receive(ch->client, &reply);
		if (r == -EAGAIN)
			break;
		if (r < 0) {
			go(ch);
			return;
		}
		deliver(ch, &reply);
	}
	if (!ch->gone && (revents & (POLLHUP | POLLERR | POLLNVAL)))
		go(ch);
}

int
channel_open(struct ui_app *app, int fd, channel_gone_fn on_gone, void *userdata,
             struct channel **ret)
{
	struct channel *ch = calloc(1, sizeof(*ch));
	int r;

	if (!ch) {
		close(fd);
		return -ENOMEM;
	}
	ch->app = app;
	ch->on_gone = on_gone;
	ch->userdata = userdata;
	r = client_adopt(fd, &ch->client);
	if (r < 0) {
		close(fd);
		free(ch);
		return r;
	}
	r = ui_app_watch_fd(app, fd, POLLIN, on_ready, ch, &ch->watch);
	if (r < 0) {
		channel_free(ch);
		return r;
	}
	*ret = ch;
	return 0;
}

void
channel_free(struct channel *ch)
{
	if (!ch)
		return;
	stop(ch);
	free(ch);
}

int
channel_call(struct channel *ch, const char *method, json_t *params, channel_reply_fn fn,
             void *userdata)
{
	int r;

	if (ch->gone) {
		json_decref(params);
		return -EPIPE;
	}
	if (ch->n_pending == CHANNEL_MAX_PENDING) {
		json_decref(params);
		return -EBUSY;
	}
	r = client_send(ch->client, method, params);
	if (r < 0)
		return r;
	ch->pending[ch->n_pending++] = (struct pending){fn, userdata, SDL_GetTicks()};
	update_watch(ch);
	if (!ch->timer)
		ui_app_add_timer(ch->app, CHANNEL_CALL_TIMEOUT_MS, on_check, ch, &ch->timer);
	return 0;
}

bool
channel_is_open(const struct channel *ch)
{
	return ch && !ch->gone;
}
