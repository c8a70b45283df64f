/*
 * The pool of connections to gateway.sock (see upstream.h). Each connection ("link") is a
 * small state machine: DOWN (waiting out its back-off) -> CONNECTING -> READY -> CLOSING
 * (its pipe being closed) -> DOWN. Only a READY link takes calls. A link's one timer is its
 * back-off while DOWN and the deadline of the answer it waits for while READY.
 */
#include "upstream.h"

#include "frame.h"
#include "proto.h"
#include "request.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 2000
#define MAX_CONNECTIONS 64

enum link_state { LINK_DOWN, LINK_CONNECTING, LINK_READY, LINK_CLOSING };

struct link {
	struct upstream *up; /* borrowed: the pool it is in */
	enum link_state state;
	uv_pipe_t pipe; /* a live handle unless DOWN */
	uv_connect_t connect_req;
	uv_write_t write_req; /* one call is written at a time */
	uv_timer_t timer; /* back-off (DOWN) or the answer's deadline (READY) */
	struct frame_reader reader; /* owned; PROTO_MAX_REPLY */
	struct upstream_call *head, *tail; /* borrowed: waiting calls, oldest first */
	unsigned waiting; /* calls in the FIFO */
	bool sent; /* head is written and its answer due */
	bool writing; /* write_req is in use until on_written */
	unsigned backoff_ms;
	bool told_down; /* on_change has heard this link is down (once an outage, not per try) */
	int fail_error; /* why the timer drops the link: -ETIMEDOUT, or a failed write */
};

struct upstream {
	uv_loop_t *loop; /* borrowed */
	struct upstream_options opt;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct link *links; /* owned: opt.connections */
	unsigned next_pick; /* where the search for the least busy link starts */
	bool closing;
	unsigned open_handles; /* handles still to be closed once closing */
};

static void link_connect(struct link *l);
static void link_send_head(struct link *l);

static void
notify(struct upstream *u, bool connected, int error)
{
	if (u->opt.on_change && !u->closing)
		u->opt.on_change(u->opt.data, connected, error);
}

static void
on_handle_closed(uv_handle_t *handle)
{
	struct upstream *u = handle->data;

	if (--u->open_handles > 0)
		return;
	for (unsigned i = 0; i < u->opt.connections; i++)
		frame_reader_release(&u->links[i].reader);
	free(u->links);
	free(u);
}

static void
on_backoff(uv_timer_t *timer)
{
	link_connect(timer->data);
}

static void
on_pipe_closed(uv_handle_t *handle)
{
	struct link *l = handle->data;
	struct upstream *u = l->up;

	if (u->closing) {
		handle->data = u;
		on_handle_closed(handle);
		return;
	}
	l->state = LINK_DOWN;
	uv_timer_start(&l->timer, on_backoff, l->backoff_ms, 0);
	l->backoff_ms = l->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : l->backoff_ms * 2;
}

/* Takes every call off l's FIFO, oldest first. */
static struct upstream_call *
link_take_calls(struct link *l)
{
	struct upstream_call *calls = l->head;

	l->head = l->tail = NULL;
	l->waiting = 0;
	l->sent = false;
	return calls;
}

/*
 * Drops a READY link: the call it was answering fails with error; the calls not yet sent
 * go to another link, or fail with -ENOTCONN when none can take them.
 */
static void
link_drop(struct link *l, int error)
{
	struct upstream *u = l->up;
	bool sent = l->sent;
	struct upstream_call *call, *next;

	if (l->state != LINK_READY)
		return;
	l->state = LINK_CLOSING;
	uv_timer_stop(&l->timer);
	uv_close((uv_handle_t *)&l->pipe, on_pipe_closed);
	call = link_take_calls(l);
	notify(u, false, error);
	l->told_down = true;
	for (; call; call = next, sent = false) {
		next = call->next;
		call->next = NULL;
		if (sent)
			call->done(call, error, NULL, 0);
		else if (upstream_submit(u, call) < 0)
			call->done(call, -ENOTCONN, NULL, 0);
	}
}

static void
on_deadline(uv_timer_t *timer)
{
	struct link *l = timer->data;

	link_drop(l, l->fail_error);
}

/* Drops l on the next turn of the loop, so that no caller sees its call fail inside
 * upstream_submit. */
static void
link_drop_soon(struct link *l, int error)
{
	l->fail_error = error;
	uv_timer_start(&l->timer, on_deadline, 0, 0);
}

static void
on_written(uv_write_t *req, int status)
{
	struct link *l = req->data;

	l->writing = false;
	if (l->up->closing || l->state != LINK_READY)
		return;
	if (status < 0)
		link_drop(l, -ECONNRESET);
	else
		link_send_head(l);
}

static void
link_send_head(struct link *l)
{
	uv_buf_t buf;

	if (l->state != LINK_READY || !l->head || l->sent || l->writing)
		return;
	buf = uv_buf_init((char *)(uintptr_t)l->head->frame, (unsigned)l->head->frame_len);
	l->sent = true;
	if (uv_write(&l->write_req, (uv_stream_t *)&l->pipe, &buf, 1, on_written) < 0) {
		link_drop_soon(l, -ECONNRESET);
		return;
	}
	l->writing = true;
	l->fail_error = -ETIMEDOUT;
	uv_timer_start(&l->timer, on_deadline, l->up->opt.reply_timeout_ms, 0);
}

/* One whole message from the daemon: the answer to the call at the head. */
static int
link_take_reply(struct link *l, const char *msg, size_t len)
{
	struct upstream_call *call = l->head;
	unsigned status;

	if (!call || !l->sent || request_reply_status(msg, len, &status) < 0)
		return -EPROTO;
	l->head = call->next;
	if (!l->head)
		l->tail = NULL;
	l->waiting--;
	l->sent = false;
	call->next = NULL;
	uv_timer_stop(&l->timer);
	call->done(call, (int)status, msg, len);
	return 0;
}

static void
on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	struct link *l = handle->data;
	char *space;
	size_t room;

	frame_reader_space(&l->reader, &space, &room);
	*buf = uv_buf_init(space, (unsigned)room);
}

static void
on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct link *l = stream->data;
	const char *msg;
	size_t len;
	int r;

	if (nread < 0) {
		link_drop(l, nread == UV_ENOBUFS ? -EPROTO : -ECONNRESET);
		return;
	}
	frame_reader_commit(&l->reader, (size_t)nread);
	while ((r = frame_reader_next(&l->reader, &msg, &len)) == 1) {
		if (link_take_reply(l, msg, len) < 0) {
			link_drop(l, -EPROTO);
			return;
		}
		if (l->up->closing || l->state != LINK_READY)
			return;
	}
	if (r < 0) {
		link_drop(l, -EPROTO);
		return;
	}
	link_send_head(l);
}

static void
on_connected(uv_connect_t *req, int status)
{
	struct link *l = req->data;

	if (l->up->closing)
		return;
	if (status < 0 || uv_read_start((uv_stream_t *)&l->pipe, on_alloc, on_read) < 0) {
		l->state = LINK_CLOSING;
		uv_close((uv_handle_t *)&l->pipe, on_pipe_closed);
		if (!l->told_down)
			notify(l->up, false, status < 0 ? status : -EIO);
		l->told_down = true;
		return;
	}
	l->state = LINK_READY;
	l->told_down = false;
	l->backoff_ms = BACKOFF_FIRST_MS;
	l->reader.start = l->reader.end = l->reader.scan = 0;
	notify(l->up, true, 0);
}

static void
link_connect(struct link *l)
{
	if (uv_pipe_init(l->up->loop, &l->pipe, 0) < 0) {
		uv_timer_start(&l->timer, on_backoff, l->backoff_ms, 0);
		return;
	}
	l->pipe.data = l;
	l->connect_req.data = l;
	l->state = LINK_CONNECTING;
	uv_pipe_connect(&l->connect_req, &l->pipe, l->up->path, on_connected);
}

int
upstream_start(uv_loop_t *loop, const struct upstream_options *options, struct upstream **ret)
{
	struct upstream *u;

	if (!options->path || strlen(options->path) >= sizeof(u->path) ||
	    options->connections == 0 || options->connections > MAX_CONNECTIONS ||
	    options->max_waiting == 0 || options->reply_timeout_ms == 0)
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->links = calloc(options->connections, sizeof(*u->links));
	if (!u->links) {
		free(u);
		return -ENOMEM;
	}
	u->loop = loop;
	u->opt = *options;
	snprintf(u->path, sizeof(u->path), "%s", options->path);
	u->opt.path = u->path;
	for (unsigned i = 0; i < u->opt.connections; i++) {
		if (frame_reader_init(&u->links[i].reader, PROTO_MAX_REPLY) < 0) {
			for (unsigned j = 0; j < i; j++)
				frame_reader_release(&u->links[j].reader);
			free(u->links);
			free(u);
			return -ENOMEM;
		}
	}
	for (unsigned i = 0; i < u->opt.connections; i++) {
		struct link *l = &u->links[i];

		l->up = u;
		l->backoff_ms = BACKOFF_FIRST_MS;
		l->write_req.data = l;
		uv_timer_init(loop, &l->timer);
		l->timer.data = l;
		link_connect(l);
	}
	*ret = u;
	return 0;
}

int
upstream_submit(struct upstream *u, struct upstream_call *call)
{
	struct link *best = NULL;
	bool any_ready = false;

	if (u->closing)
		return -ENOTCONN;
	for (unsigned k = 0; k < u->opt.connections; k++) {
		struct link *l = &u->links[(u->next_pick + k) % u->opt.connections];

		if (l->state != LINK_READY)
			continue;
		any_ready = true;
		if (l->waiting < u->opt.max_waiting && (!best || l->waiting < best->waiting))
			best = l;
	}
	if (!best)
		return any_ready ? -EBUSY : -ENOTCONN;
	u->next_pick = (u->next_pick + 1) % u->opt.connections;
	call->next = NULL;
	if (best->tail)
		best->tail->next = call;
	else
		best->head = call;
	best->tail = call;
	best->waiting++;
	link_send_head(best);
	return 0;
}

size_t
upstream_waiting(const struct upstream *u)
{
	size_t n = 0;

	for (unsigned i = 0; i < u->opt.connections; i++)
		n += u->links[i].waiting;
	return n;
}

unsigned
upstream_connected(const struct upstream *u)
{
	unsigned n = 0;

	for (unsigned i = 0; i < u->opt.connections; i++)
		n += u->links[i].state == LINK_READY;
	return n;
}

void
upstream_close(struct upstream *u)
{
	if (!u)
		return;
	u->closing = true;
	for (unsigned i = 0; i < u->opt.connections; i++) {
		struct link *l = &u->links[i];
		struct upstream_call *call = link_take_calls(l), *next;

		for (; call; call = next) {
			next = call->next;
			call->next = NULL;
			call->done(call, -ECANCELED, NULL, 0);
		}
		l->timer.data = u;
		u->open_handles++;
		uv_close((uv_handle_t *)&l->timer, on_handle_closed);
		if (l->state == LINK_CONNECTING || l->state == LINK_READY) {
			l->pipe.data = u;
			u->open_handles++;
			uv_close((uv_handle_t *)&l->pipe, on_handle_closed);
		} else if (l->state == LINK_CLOSING) {
			/* Its close is under way; on_pipe_closed counts it. */
			u->open_handles++;
		}
	}
}
