/*
 * The channel (see channel.h): a struct client used without blocking, with a ring of the
 * calls in flight, oldest first, each with its callback and its deadline on the monotonic
 * clock. Replies always go to the oldest call. The watcher is told only what changed, except
 * that every channel_process() tells it the deadline again, because a loop's timer may fire
 * a little early and is spent once it has fired.
 *
 * Callbacks may close or free the channel under us. Every entry point that calls back holds
 * a depth count; channel_free() inside a callback only marks the channel and closes the
 * socket, and the outermost entry point frees the memory on its way out.
 */
#include "channel.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct pending {
	channel_reply_fn fn; /* NULL: the reply is dropped */
	void *userdata; /* borrowed: the caller's */
	int64_t deadline; /* monotonic milliseconds */
};

struct channel {
	struct client *client; /* owned; NULL once closed */
	struct pending calls[CHANNEL_MAX_CALLS]; /* a ring, the oldest at head */
	unsigned head, n;
	channel_watch_fn watch;
	void *watch_data; /* borrowed: the loop's */
	channel_close_fn on_close;
	void *close_data; /* borrowed: the program's */
	void *data; /* borrowed: the program's (channel_set_data) */
	bool told; /* the watcher has been told told_events and told_deadline */
	short told_events;
	int64_t told_deadline; /* -1: none */
	int reason; /* why it closed; 0 while open */
	unsigned depth; /* entry points on the stack that may call back */
	bool freed; /* channel_free() ran inside a callback: free on the way out */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
next_deadline(const struct channel *ch)
{
	int64_t soonest = -1;

	for (unsigned i = 0; i < ch->n; i++) {
		int64_t d = ch->calls[(ch->head + i) % CHANNEL_MAX_CALLS].deadline;

		if (soonest < 0 || d < soonest)
			soonest = d;
	}
	return soonest;
}

static int
timeout_until(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ms();
	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* Tells the watcher what to wait for, if that changed since it was last told. */
static void
tell_watch(struct channel *ch)
{
	short events = channel_events(ch);
	int64_t deadline = next_deadline(ch);

	if (!ch->watch || (ch->told && ch->told_events == events && ch->told_deadline == deadline))
		return;
	ch->told = true;
	ch->told_events = events;
	ch->told_deadline = deadline;
	ch->watch(ch, events, timeout_until(deadline), ch->watch_data);
}

static struct pending
pop_oldest(struct channel *ch)
{
	struct pending p = ch->calls[ch->head];

	ch->head = (ch->head + 1) % CHANNEL_MAX_CALLS;
	ch->n--;
	return p;
}

/*
 * Closes the connection for good: the watcher first (it must stop watching before the
 * descriptor closes), then every call in flight in order, then the close function. A call
 * past its deadline ends with -ETIMEDOUT; when a timeout closes the channel, those still in
 * time end with -ECONNABORTED: they did nothing wrong, the connection went under them.
 */
static void
shut(struct channel *ch, int reason)
{
	struct pending failed[CHANNEL_MAX_CALLS];
	unsigned n = 0;
	int64_t now = now_ms();

	if (ch->reason)
		return;
	ch->reason = reason;
	while (ch->n > 0)
		failed[n++] = pop_oldest(ch);
	tell_watch(ch);
	client_free(ch->client);
	ch->client = NULL;
	for (unsigned i = 0; i < n && !ch->freed; i++) {
		int status = reason;

		if (reason == -ETIMEDOUT && failed[i].deadline > now)
			status = -ECONNABORTED;
		if (failed[i].fn)
			failed[i].fn(ch, status, NULL, failed[i].userdata);
	}
	if (!ch->freed && ch->on_close)
		ch->on_close(ch, reason, ch->close_data);
}

static void
enter(struct channel *ch)
{
	ch->depth++;
}

/* The way out of an entry point that may have called back. */
static void
leave(struct channel *ch)
{
	if (--ch->depth == 0 && ch->freed)
		free(ch);
}

/* Hands every whole reply that has come to its call; stops when the channel closes. */
static void
receive_all(struct channel *ch)
{
	while (!ch->reason) {
		struct client_reply reply = {.fd = -1};
		struct pending p;
		int r = client_receive(ch->client, &reply);

		if (r == -EAGAIN)
			return;
		if (r < 0) {
			shut(ch, r);
			return;
		}
		if (ch->n == 0) {
			/* A reply to nothing: see channel.h. */
			client_reply_release(&reply);
			shut(ch, -EPROTO);
			return;
		}
		p = pop_oldest(ch);
		if (p.fn)
			p.fn(ch, 0, &reply, p.userdata);
		client_reply_release(&reply);
	}
}

int
channel_new(int fd, struct channel **ret)
{
	struct channel *ch = calloc(1, sizeof(*ch));
	int r;

	if (!ch) {
		close(fd);
		return -ENOMEM;
	}
	r = client_adopt(fd, &ch->client);
	if (r < 0) {
		close(fd);
		free(ch);
		return r;
	}
	ch->told_deadline = -1;
	*ret = ch;
	return 0;
}

void
channel_free(struct channel *ch)
{
	if (!ch || ch->freed)
		return;
	ch->freed = true;
	ch->n = 0;
	if (!ch->reason)
		ch->reason = -ECANCELED;
	tell_watch(ch);
	client_free(ch->client);
	ch->client = NULL;
	if (ch->depth == 0)
		free(ch);
}

void
channel_set_watch(struct channel *ch, channel_watch_fn fn, void *userdata)
{
	ch->watch = fn;
	ch->watch_data = userdata;
	ch->told = false;
	tell_watch(ch);
}

void
channel_set_on_close(struct channel *ch, channel_close_fn fn, void *userdata)
{
	ch->on_close = fn;
	ch->close_data = userdata;
}

void
channel_set_data(struct channel *ch, void *data)
{
	ch->data = data;
}

void *
channel_get_data(const struct channel *ch)
{
	return ch->data;
}

int
channel_fd(const struct channel *ch)
{
	return ch->client ? client_fd(ch->client) : -1;
}

short
channel_events(const struct channel *ch)
{
	if (ch->reason)
		return 0;
	return POLLIN | (client_wants_write(ch->client) ? POLLOUT : 0);
}

int
channel_timeout_ms(const struct channel *ch)
{
	return timeout_until(next_deadline(ch));
}

int
channel_call_timeout(struct channel *ch, const char *method, json_t *params, int timeout_ms,
                     channel_reply_fn fn, void *userdata)
{
	int r;

	if (timeout_ms <= 0) {
		json_decref(params);
		return -EINVAL;
	}
	if (!ch || ch->reason) {
		json_decref(params);
		return -ENOTCONN;
	}
	if (ch->n == CHANNEL_MAX_CALLS) {
		json_decref(params);
		return -EBUSY;
	}
	r = client_send(ch->client, method, params);
	if (r < 0)
		return r;
	ch->calls[(ch->head + ch->n) % CHANNEL_MAX_CALLS] =
	        (struct pending){fn, userdata, now_ms() + timeout_ms};
	ch->n++;
	tell_watch(ch);
	return 0;
}

int
channel_call(struct channel *ch, const char *method, json_t *params, channel_reply_fn fn,
             void *userdata)
{
	return channel_call_timeout(ch, method, params, CHANNEL_TIMEOUT_MS, fn, userdata);
}

void
channel_process(struct channel *ch, short revents)
{
	int64_t now;

	if (ch->reason)
		return;
	enter(ch);
	if (revents & POLLOUT) {
		int r = client_flush(ch->client);

		if (r < 0 && r != -EAGAIN)
			shut(ch, r);
	}
	/* Read even when only the timer called: a reply may be waiting behind a deadline. */
	receive_all(ch);
	/* Reading has taken all there was; a hang-up or error left must not be seen again. */
	if (revents & (POLLHUP | POLLERR | POLLNVAL))
		shut(ch, -EPIPE);
	now = now_ms();
	for (unsigned i = 0; i < ch->n && !ch->reason; i++)
		if (ch->calls[(ch->head + i) % CHANNEL_MAX_CALLS].deadline <= now)
			shut(ch, -ETIMEDOUT);
	if (!ch->reason) {
		ch->told = false; /* the loop's timer may have been spent: set it again */
		tell_watch(ch);
	}
	leave(ch);
}

void
channel_close(struct channel *ch, int reason)
{
	if (ch->reason)
		return;
	enter(ch);
	shut(ch, reason < 0 ? reason : -ECONNABORTED);
	leave(ch);
}

bool
channel_is_open(const struct channel *ch)
{
	return ch && !ch->reason;
}

int
channel_close_reason(const struct channel *ch)
{
	return ch->reason;
}

unsigned
channel_pending(const struct channel *ch)
{
	return ch->n;
}

const char *
channel_strerror(int reason)
{
	switch (reason) {
	case -EPIPE:
		return "the daemon closed the connection";
	case -ETIMEDOUT:
		return "a call had no reply in time";
	case -EPROTO:
		return "a reply came that no call was waiting for";
	case -EBADMSG:
		return "a reply that is not the protocol's";
	case -EMSGSIZE:
		return "a reply over the size limit";
	default:
		return strerror(-reason);
	}
}
