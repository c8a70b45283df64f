/*
 * The daemon connection (see link.h). States: DOWN (a retry timer is set), HELLO
 * (connected, GetInfo sent), UP. The channel does the calls, the order, the deadlines and
 * the protocol; this file only connects, says hello, and starts again when the channel
 * closes.
 */
#include "link.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <onward/app.h>

enum link_state {
	LINK_DOWN,
	LINK_HELLO,
	LINK_UP,
};

struct link {
	struct ui_app *app; /* borrowed: the shell's */
	char *path; /* owned */
	link_state_fn on_state;
	void *userdata; /* borrowed: the shell's */
	enum link_state state;
	struct channel *channel; /* owned; NULL while down */
	unsigned retry_timer; /* 0 when none */
	unsigned retry_ms;
	unsigned downs;
	int down_reason;
	bool said_down; /* on_state(false) was called since the last time it was up */
};

static void on_retry(struct ui_app *app, void *userdata);

static void
schedule_retry(struct link *l)
{
	if (l->retry_timer)
		return;
	ui_app_add_timer(l->app, l->retry_ms, on_retry, l, &l->retry_timer);
	l->retry_ms = l->retry_ms * 2 > LINK_RETRY_MAX_MS ? LINK_RETRY_MAX_MS : l->retry_ms * 2;
}

/* Says "down" once per outage: after being up, or when the first attempt fails. */
static void
report_down(struct link *l, int reason)
{
	l->down_reason = reason;
	if (l->said_down)
		return;
	l->said_down = true;
	l->downs++;
	if (l->on_state)
		l->on_state(l, false, l->userdata);
}

/* The channel closed; its calls in flight have had their callbacks. Try again later. */
static void
on_close(struct channel *ch, int reason, void *userdata)
{
	struct link *l = userdata;

	channel_free(l->channel);
	l->channel = NULL;
	l->state = LINK_DOWN;
	schedule_retry(l);
	report_down(l, reason);
}

static void
on_hello(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct link *l = userdata;

	if (!reply)
		return; /* on_close() follows */
	if (reply->error || !json_is_string(json_object_get(reply->parameters, "service"))) {
		/* Something answers, but not as the daemon would. */
		channel_close(ch, -EBADMSG);
		return;
	}
	l->state = LINK_UP;
	l->retry_ms = LINK_RETRY_FIRST_MS;
	l->said_down = false;
	if (l->on_state)
		l->on_state(l, true, l->userdata);
}

/* Connects without blocking: a Unix socket connects at once or fails at once (EAGAIN
 * when the daemon's backlog is full, which is retried like any failure). */
static int
connect_now(struct link *l)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd, r;

	if (strlen(l->path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	memcpy(addr.sun_path, l->path, strlen(l->path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	r = channel_new(fd, &l->channel);
	if (r < 0)
		return r;
	r = onward_app_watch_channel(l->app, l->channel);
	if (r == 0)
		r = channel_call(l->channel, "onward.Service.GetInfo", NULL, on_hello, l);
	if (r < 0) {
		channel_free(l->channel);
		l->channel = NULL;
		return r;
	}
	channel_set_on_close(l->channel, on_close, l);
	l->state = LINK_HELLO;
	return 0;
}

static void
try_connect(struct link *l)
{
	int r = connect_now(l);

	if (r < 0) {
		schedule_retry(l);
		report_down(l, r);
	}
}

static void
on_retry(struct ui_app *app, void *userdata)
{
	struct link *l = userdata;

	l->retry_timer = 0;
	if (l->state == LINK_DOWN)
		try_connect(l);
}

int
link_new(struct ui_app *app, const char *path, link_state_fn on_state, void *userdata,
         struct link **ret)
{
	struct link *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->path = strdup(path);
	if (!l->path) {
		free(l);
		return -ENOMEM;
	}
	l->app = app;
	l->on_state = on_state;
	l->userdata = userdata;
	l->retry_ms = LINK_RETRY_FIRST_MS;
	*ret = l;
	return 0;
}

void
link_free(struct link *l)
{
	if (!l)
		return;
	channel_free(l->channel);
	if (l->retry_timer)
		ui_app_remove_timer(l->app, l->retry_timer);
	free(l->path);
	free(l);
}

void
link_start(struct link *l)
{
	if (l->state == LINK_DOWN && !l->retry_timer)
		try_connect(l);
}

bool
link_is_up(const struct link *l)
{
	return l->state == LINK_UP;
}

int
link_call(struct link *l, const char *method, json_t *params, channel_reply_fn fn, void *userdata)
{
	if (l->state != LINK_UP) {
		json_decref(params);
		return -ENOTCONN;
	}
	return channel_call(l->channel, method, params, fn, userdata);
}

unsigned
link_down_count(const struct link *l)
{
	return l->downs;
}

int
link_down_reason(const struct link *l)
{
	return l->down_reason;
}
