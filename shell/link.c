/*
 * The daemon connection (see link.h). States: DOWN (a retry timer is set), HELLO
 * (connected, GetInfo sent), UP. The socket is watched through the toolkit
 * (ui_app_watch_fd): for reading always, for writing while calls wait to be written.
 * Every reply goes to the oldest call in flight; a generation number tells the reading
 * loop when a callback dropped the link under it.
 */
#include "link.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <onward/ui.h>

enum link_state {
	LINK_DOWN,
	LINK_HELLO,
	LINK_UP,
};

struct pending {
	link_reply_fn fn;
	void *userdata; /* borrowed: the caller's */
	Uint32 sent; /* SDL_GetTicks() when queued */
};

struct link {
	struct ui_app *app; /* borrowed: the shell's */
	char *path; /* owned */
	link_state_fn on_state;
	void *userdata; /* borrowed: the shell's */
	enum link_state state;
	struct client *client; /* owned; NULL while down */
	unsigned watch; /* 0 when not watching */
	unsigned retry_timer; /* 0 when none */
	unsigned check_timer; /* 0 when none: checks the oldest call's age */
	unsigned retry_ms;
	struct pending pending[LINK_MAX_PENDING]; /* oldest first */
	size_t n_pending;
	unsigned generation; /* bumped whenever the connection goes */
	unsigned downs;
	bool said_down; /* on_state(false) was called since the last time it was up */
};

static void on_ready(struct ui_app *app, int fd, short revents, void *userdata);
static void on_retry(struct ui_app *app, void *userdata);
static void on_check(struct ui_app *app, void *userdata);

static void
update_watch(struct link *l)
{
	if (l->watch)
		ui_app_watch_set_events(l->app, l->watch,
		                        POLLIN | (client_wants_write(l->client) ? POLLOUT : 0));
}

static void
close_connection(struct link *l)
{
	if (l->watch)
		ui_app_unwatch_fd(l->app, l->watch);
	l->watch = 0;
	if (l->check_timer)
		ui_app_remove_timer(l->app, l->check_timer);
	l->check_timer = 0;
	client_free(l->client);
	l->client = NULL;
	l->generation++;
}

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
report_down(struct link *l)
{
	if (l->said_down)
		return;
	l->said_down = true;
	l->downs++;
	if (l->on_state)
		l->on_state(l, false, l->userdata);
}

/* The connection is gone: fail what was in flight, say so once, try again later. */
static void
go_down(struct link *l)
{
	struct pending failed[LINK_MAX_PENDING];
	size_t n = l->n_pending;

	close_connection(l);
	memcpy(failed, l->pending, n * sizeof(failed[0]));
	l->n_pending = 0;
	l->state = LINK_DOWN;
	schedule_retry(l);
	for (size_t i = 0; i < n; i++)
		if (failed[i].fn)
			failed[i].fn(l, NULL, failed[i].userdata);
	report_down(l);
}

static void
arm_check(struct link *l)
{
	if (!l->check_timer && l->n_pending > 0)
		ui_app_add_timer(l->app, 500, on_check, l, &l->check_timer);
}

static int
queue_call(struct link *l, const char *method, json_t *params, link_reply_fn fn, void *userdata)
{
	int r;

	if (l->n_pending == LINK_MAX_PENDING) {
		json_decref(params);
		return -EBUSY;
	}
	r = client_send(l->client, method, params);
	if (r < 0)
		return r;
	l->pending[l->n_pending++] = (struct pending){fn, userdata, SDL_GetTicks()};
	update_watch(l);
	arm_check(l);
	return 0;
}

static void
on_hello(struct link *l, struct client_reply *reply, void *userdata)
{
	if (!reply)
		return; /* go_down() already handled it */
	if (reply->error || !json_is_string(json_object_get(reply->parameters, "service"))) {
		/* Something answers, but not as the daemon would. */
		go_down(l);
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
	r = client_adopt(fd, &l->client);
	if (r < 0) {
		close(fd);
		return r;
	}
	r = ui_app_watch_fd(l->app, fd, POLLIN, on_ready, l, &l->watch);
	if (r < 0) {
		close_connection(l);
		return r;
	}
	l->state = LINK_HELLO;
	r = queue_call(l, "onward.Service.GetInfo", NULL, on_hello, NULL);
	if (r < 0) {
		close_connection(l);
		l->state = LINK_DOWN;
		return r;
	}
	return 0;
}

static void
on_retry(struct ui_app *app, void *userdata)
{
	struct link *l = userdata;

	l->retry_timer = 0;
	if (l->state != LINK_DOWN)
		return;
	if (connect_now(l) < 0) {
		schedule_retry(l);
		report_down(l);
	}
}

static void
on_check(struct ui_app *app, void *userdata)
{
	struct link *l = userdata;

	l->check_timer = 0;
	if (l->n_pending == 0)
		return;
	if (SDL_GetTicks() - l->pending[0].sent >= LINK_CALL_TIMEOUT_MS) {
		go_down(l); /* a daemon that does not answer is as good as gone */
		return;
	}
	arm_check(l);
}

static void
deliver(struct link *l, struct client_reply *reply)
{
	struct pending p;

	if (l->n_pending == 0) {
		/* A reply to nothing: the daemon and the shell disagree. Start again. */
		client_reply_release(reply);
		go_down(l);
		return;
	}
	p = l->pending[0];
	memmove(l->pending, l->pending + 1, --l->n_pending * sizeof(l->pending[0]));
	/* The oldest call is answered: the next one's clock starts now. */
	if (l->n_pending > 0)
		l->pending[0].sent = SDL_GetTicks();
	if (p.fn)
		p.fn(l, reply, p.userdata);
	client_reply_release(reply);
}

static void
on_ready(struct ui_app *app, int fd, short revents, void *userdata)
{
	struct link *l = userdata;
	unsigned gen = l->generation;
	int r = 0;

	if (revents & POLLOUT) {
		r = client_flush(l->client);
		if (r < 0 && r != -EAGAIN) {
			go_down(l);
			return;
		}
		update_watch(l);
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
		return;
	for (;;) {
		struct client_reply reply = {.fd = -1};

		r = client_receive(l->client, &reply);
		if (r == -EAGAIN)
			break;
		if (r < 0) {
			go_down(l);
			return;
		}
		deliver(l, &reply);
		if (gen != l->generation)
			return; /* a callback dropped or replaced the connection */
	}
	if (revents & (POLLHUP | POLLERR | POLLNVAL))
		go_down(l);
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
	close_connection(l);
	if (l->retry_timer)
		ui_app_remove_timer(l->app, l->retry_timer);
	free(l->path);
	free(l);
}

void
link_start(struct link *l)
{
	if (l->state == LINK_DOWN && !l->retry_timer && connect_now(l) < 0) {
		schedule_retry(l);
		report_down(l);
	}
}

bool
link_is_up(const struct link *l)
{
	return l->state == LINK_UP;
}

int
link_call(struct link *l, const char *method, json_t *params, link_reply_fn fn, void *userdata)
{
	if (l->state != LINK_UP) {
		json_decref(params);
		return -ENOTCONN;
	}
	return queue_call(l, method, params, fn, userdata);
}

void
link_drop(struct link *l)
{
	if (l->state != LINK_DOWN)
		go_down(l);
}

unsigned
link_down_count(const struct link *l)
{
	return l->downs;
}
