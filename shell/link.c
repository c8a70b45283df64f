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

/* A call made through link_call, waiting for its reply: replies come in order. */
struct link_call {
	channel_reply_fn fn;
	void *userdata;
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
	bool idle_ok; /* the shell's word: nothing on this connection to lose */
	bool lost_call; /* a call ended without its reply when the channel closed */
	bool quiet; /* connecting again after an idle close: no "up" to tell */
	struct link_call calls[CHANNEL_MAX_CALLS]; /* a ring, the oldest at head */
	unsigned head, n;
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

static int connect_now(struct link *l);

/*
 * The channel closed; its calls in flight have had their callbacks. The daemon closing an
 * idle connection that held nothing is met by connecting again at once; anything else is
 * an outage: try again later.
 */
static void
on_close(struct channel *ch, int reason, void *userdata)
{
	struct link *l = userdata;
	bool idle_close = reason == -EPIPE && l->state == LINK_UP && l->idle_ok && !l->lost_call;

	channel_free(l->channel);
	l->channel = NULL;
	l->state = LINK_DOWN;
	l->lost_call = false;
	l->quiet = false;
	if (idle_close && connect_now(l) == 0) {
		l->quiet = true;
		return;
	}
	schedule_retry(l);
	report_down(l, reason);
}

/* Hands a reply to the call it answers (the oldest), noting a call lost to a close. */
static void
on_call_reply(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct link *l = userdata;
	struct link_call call = l->calls[l->head];

	l->head = (l->head + 1) % CHANNEL_MAX_CALLS;
	l->n--;
	if (!reply)
		l->lost_call = true;
	if (call.fn)
		call.fn(ch, status, reply, call.userdata);
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
	if (l->quiet) {
		l->quiet = false;
		return;
	}
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
	return l->state == LINK_UP || (l->state == LINK_HELLO && l->quiet);
}

void
link_set_idle_ok(struct link *l, bool idle_ok)
{
	l->idle_ok = idle_ok;
}

int
link_call(struct link *l, const char *method, json_t *params, channel_reply_fn fn, void *userdata)
{
	int r;

	/* Behind a quiet reconnect's hello, a call waits its turn on the new connection. */
	if (!link_is_up(l)) {
		json_decref(params);
		return -ENOTCONN;
	}
	if (l->n == CHANNEL_MAX_CALLS) {
		json_decref(params);
		return -EBUSY;
	}
	l->calls[(l->head + l->n) % CHANNEL_MAX_CALLS] = (struct link_call){fn, userdata};
	l->n++;
	r = channel_call(l->channel, method, params, on_call_reply, l);
	if (r < 0)
		l->n--; /* not queued: its callback will not come */
	return r;
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
