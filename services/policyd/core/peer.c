/*
 * One connection: reading into the frame reader, handing whole messages to the
 * dispatcher, queueing replies without ever blocking, and closing. A peer that breaks
 * framing is told why and disconnected; a peer that stops reading its replies is
 * disconnected once PEER_MAX_QUEUED_BYTES are waiting for it; descriptors a peer tries to
 * pass us are closed unread.
 *
 * Nobody holds a connection for nothing. Each peer has one timer: a message begun must be
 * whole within read_timeout_seconds (any connection), and a connection without a session
 * (control.sock before login, admin.sock) that makes no call for idle_timeout_seconds is
 * closed. A connection with a person logged in (or choosing their PIN) never times out
 * for idleness: the shell's own idle lock ends sessions, and then its connection is an
 * ordinary one again. Connections without a session have a pool of their own, so they
 * can never take a logged-in shell's place; and when that pool is full, a newcomer takes
 * the place of an idle one of the process holding the most (see peer_make_room), so a
 * flood from one process pushes out only its own and the shell can always connect.
 */
#include "server.h"

#include "log.h"
#include "proto.h"
#include "timeutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct peer_write {
	uv_write_t req;
	struct peer *peer; /* a reference held until the write completes */
	char *msg; /* owned */
	size_t len;
	uv_pipe_t passed; /* the descriptor being passed, for peer_send_with_fd */
	bool has_passed;
};

static void peer_process(struct peer *p);
static void peer_timer_arm(struct peer *p);

/*
 * A hostile client can make these warnings as fast as it can connect; at most one a
 * second is logged, with how many were left out, so the journal stays readable.
 */
static bool
warn_allowed(void)
{
	static uint64_t last_ns;
	static unsigned suppressed;
	uint64_t now = time_mono_ns();

	if (last_ns && now - last_ns < 1000000000u) {
		suppressed++;
		return false;
	}
	if (suppressed)
		log_warn("(%u similar warnings left out since the last one)", suppressed);
	suppressed = 0;
	last_ns = now;
	return true;
}

void
peer_ref(struct peer *p)
{
	p->refs++;
}

void
peer_unref(struct peer *p)
{
	if (--p->refs > 0)
		return;
	frame_reader_release(&p->reader);
	free(p);
}

/* The count of the pool the peer is in (see server::control_peers). */
static unsigned *
peer_pool(struct peer *p)
{
	struct server *srv = p->server;

	switch (p->kind) {
	case PEER_CONTROL:
		return p->in_session_pool ? &srv->session_peers : &srv->control_peers;
	case PEER_ADMIN:
		return &srv->admin_peers;
	case PEER_GATEWAY:
		return &srv->gateway_peers;
	default:
		return &srv->channel_peers;
	}
}

static void
on_peer_closed(uv_handle_t *handle)
{
	struct peer *p = handle->data;
	struct server *srv = p->server;

	if (p->prev)
		p->prev->next = p->next;
	else
		srv->peers = p->next;
	if (p->next)
		p->next->prev = p->prev;
	peer_unref(p);
}

static void
on_timer_closed(uv_handle_t *handle)
{
	peer_unref(handle->data);
}

void
peer_close(struct peer *p)
{
	if (p->closing)
		return;
	p->closing = true;
	/* Its place is free at once, not when libuv has closed it: a newcomer who pushed it
	 * out must not push out a second one too. */
	(*peer_pool(p))--;
	areas_peer_closed(p->server, p);
	uv_close((uv_handle_t *)&p->timer, on_timer_closed);
	uv_close((uv_handle_t *)&p->pipe, on_peer_closed);
}

/* Starts both handles of a new peer (the pipe is not yet connected); they hold the two
 * references the peer starts with. */
static void
peer_init_handles(struct server *srv, struct peer *p, bool ipc)
{
	p->refs = 2;
	uv_pipe_init(srv->loop, &p->pipe, ipc);
	p->pipe.data = p;
	uv_timer_init(srv->loop, &p->timer);
	p->timer.data = p;
	p->active_at = uv_now(srv->loop);
}

/* ---- timeouts ---- */

/* Connections without a session time out when idle. A call in flight is not idleness,
 * and a message arriving is timed by the read timeout instead. */
static bool
peer_may_idle(const struct peer *p)
{
	if (p->paused || p->unfinished_at)
		return false;
	return p->kind == PEER_ADMIN ||
	       (p->kind == PEER_CONTROL && !p->person_id && !p->choosing_pin_id);
}

/* Whether bytes have come that libuv has not read yet: timers run before reading in each
 * turn of the loop, and a call that has just arrived is not idleness. */
static bool
peer_bytes_waiting(struct peer *p)
{
	uv_os_fd_t fd;
	int n = 0;

	return uv_fileno((uv_handle_t *)&p->pipe, &fd) == 0 && ioctl(fd, FIONREAD, &n) == 0 &&
	       n > 0;
}

static void
on_peer_timer(uv_timer_t *timer)
{
	struct peer *p = timer->data;
	const struct config *cfg = &p->server->config;
	uint64_t now = uv_now(p->server->loop);

	if (p->closing)
		return;
	if (p->unfinished_at && !p->paused &&
	    now - p->unfinished_at >= cfg->read_timeout_seconds * 1000ull) {
		size_t n;
		char *reply = proto_reply_error(PROTO_ERR_INVALID_REQUEST,
		                                "The request was not finished in time.", NULL, &n);

		if (warn_allowed())
			log_warn("peer pid %d left a message unfinished for %u s; disconnecting",
			         (int)p->pid, cfg->read_timeout_seconds);
		peer_send(p, reply, n);
		peer_close(p);
		return;
	}
	if (peer_may_idle(p) && now - p->active_at >= cfg->idle_timeout_seconds * 1000ull &&
	    !peer_bytes_waiting(p)) {
		log_debug("peer pid %d made no call for %u s; disconnecting", (int)p->pid,
		          cfg->idle_timeout_seconds);
		peer_close(p);
		return;
	}
	peer_timer_arm(p);
}

/* Sets the timer for the nearer of the peer's two deadlines, or stops it. */
static void
peer_timer_arm(struct peer *p)
{
	const struct config *cfg = &p->server->config;
	uint64_t due = UINT64_MAX, now;

	if (p->closing)
		return;
	if (p->unfinished_at && !p->paused)
		due = p->unfinished_at + cfg->read_timeout_seconds * 1000ull;
	if (peer_may_idle(p) && p->active_at + cfg->idle_timeout_seconds * 1000ull < due)
		due = p->active_at + cfg->idle_timeout_seconds * 1000ull;
	if (due == UINT64_MAX) {
		uv_timer_stop(&p->timer);
		return;
	}
	now = uv_now(p->server->loop);
	uv_timer_start(&p->timer, on_peer_timer, due > now ? due - now : 0, 0);
}

/* After reading or taking calls: when did the message not yet whole begin? */
static void
peer_note_unfinished(struct peer *p)
{
	if (p->paused || frame_reader_pending(&p->reader) == 0)
		p->unfinished_at = 0;
	else if (!p->unfinished_at)
		p->unfinished_at = uv_now(p->server->loop);
}

void
peer_session_changed(struct peer *p)
{
	bool in_session = p->person_id || p->choosing_pin_id;

	if (p->closing || p->kind != PEER_CONTROL || in_session == p->in_session_pool)
		return;
	(*peer_pool(p))--;
	p->in_session_pool = in_session;
	(*peer_pool(p))++;
	p->active_at = uv_now(p->server->loop);
	peer_timer_arm(p);
}

static void
on_passed_closed(uv_handle_t *handle)
{
	free(handle->data);
}

static void
on_write_done(uv_write_t *req, int status)
{
	struct peer_write *w = (struct peer_write *)req;
	struct peer *p = w->peer;

	p->queued_bytes -= w->len;
	free(w->msg);
	/* Our copy of a passed descriptor closes once it has been sent (or not). */
	if (w->has_passed) {
		w->passed.data = w;
		uv_close((uv_handle_t *)&w->passed, on_passed_closed);
	} else {
		free(w);
	}
	if (status < 0 && status != UV_ECANCELED)
		peer_close(p);
	else if (p->server->draining && !p->paused && p->queued_bytes == 0)
		peer_close(p);
	peer_unref(p);
}

void
peer_send(struct peer *p, char *msg, size_t len)
{
	struct peer_write *w;
	uv_buf_t buf;
	int r;

	if (p->closing || !msg) {
		free(msg);
		return;
	}
	buf = uv_buf_init(msg, (unsigned)len);
	/* Most replies go out at once; only what the socket cannot take now is queued. */
	if (p->queued_bytes == 0) {
		r = uv_try_write((uv_stream_t *)&p->pipe, &buf, 1);
		if (r == (int)len) {
			free(msg);
			return;
		}
		if (r > 0) {
			memmove(msg, msg + r, len - (size_t)r);
			len -= (size_t)r;
		} else if (r != UV_EAGAIN) {
			free(msg);
			peer_close(p);
			return;
		}
	}
	if (p->queued_bytes + len > PEER_MAX_QUEUED_BYTES) {
		if (warn_allowed())
			log_warn("peer pid %d is not reading its replies; disconnecting",
			         (int)p->pid);
		free(msg);
		peer_close(p);
		return;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		free(msg);
		peer_close(p);
		return;
	}
	w->peer = p;
	w->msg = msg;
	w->len = len;
	buf = uv_buf_init(msg, (unsigned)len);
	r = uv_write(&w->req, (uv_stream_t *)&p->pipe, &buf, 1, on_write_done);
	if (r < 0) {
		free(msg);
		free(w);
		peer_close(p);
		return;
	}
	p->queued_bytes += len;
	peer_ref(p);
}

void
peer_send_with_fd(struct peer *p, char *msg, size_t len, int fd)
{
	struct peer_write *w = calloc(1, sizeof(*w));
	uv_buf_t buf = uv_buf_init(msg, (unsigned)len);
	int r;

	if (!w || p->closing || p->kind != PEER_CONTROL) {
		free(w);
		free(msg);
		close(fd);
		if (!p->closing)
			peer_close(p);
		return;
	}
	w->peer = p;
	w->msg = msg;
	w->len = len;
	r = uv_pipe_init(p->server->loop, &w->passed, 0);
	if (r == 0)
		r = uv_pipe_open(&w->passed, fd);
	if (r < 0) {
		close(fd);
		free(msg);
		free(w);
		peer_close(p);
		return;
	}
	w->has_passed = true;
	r = uv_write2(&w->req, (uv_stream_t *)&p->pipe, &buf, 1, (uv_stream_t *)&w->passed,
	              on_write_done);
	if (r < 0) {
		free(w->msg);
		w->msg = NULL;
		w->passed.data = w;
		uv_close((uv_handle_t *)&w->passed, on_passed_closed);
		peer_close(p);
		return;
	}
	p->queued_bytes += len;
	peer_ref(p);
}

static void
on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *ret)
{
	struct peer *p = handle->data;
	char *space;
	size_t room;

	frame_reader_space(&p->reader, &space, &room);
	*ret = uv_buf_init(space, (unsigned)room);
}

/* Closes any descriptors a peer sent us: we never take descriptors from clients. */
static void
drop_passed_descriptors(struct peer *p)
{
	while (uv_pipe_pending_count(&p->pipe) > 0) {
		uv_handle_type type = uv_pipe_pending_type(&p->pipe);
		uv_pipe_t *stray = malloc(sizeof(*stray));

		if (warn_allowed())
			log_warn("peer pid %d passed a descriptor; closing it", (int)p->pid);
		if (!stray || type != UV_NAMED_PIPE ||
		    uv_pipe_init(p->server->loop, stray, 0) < 0 ||
		    uv_accept((uv_stream_t *)&p->pipe, (uv_stream_t *)stray) < 0) {
			free(stray);
			peer_close(p);
			return;
		}
		uv_close((uv_handle_t *)stray, (uv_close_cb)free);
	}
}

static void
on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct peer *p = stream->data;

	if (nread < 0) {
		if (nread != UV_EOF && nread != UV_ECONNRESET)
			log_debug("peer pid %d: read: %s", (int)p->pid, uv_strerror((int)nread));
		peer_close(p);
		return;
	}
	if (nread == 0)
		return;
	frame_reader_commit(&p->reader, (size_t)nread);
	drop_passed_descriptors(p);
	if (!p->closing)
		peer_process(p);
	peer_note_unfinished(p);
	peer_timer_arm(p);
}

/* Takes whole messages out of the reader until it is empty or a call goes asynchronous. */
static void
peer_process(struct peer *p)
{
	const char *msg;
	size_t len;
	int r;

	peer_ref(p);
	while (!p->closing && !p->paused && (r = frame_reader_next(&p->reader, &msg, &len)) != 0) {
		if (r < 0) {
			size_t n;
			char *reply = proto_reply_error(
			        PROTO_ERR_TOO_LARGE,
			        "The request is too large or has no end marker.", NULL, &n);

			if (warn_allowed())
				log_warn("peer pid %d broke framing (over %d bytes); disconnecting",
				         (int)p->pid, PROTO_MAX_REQUEST);
			peer_send(p, reply, n);
			peer_close(p);
			break;
		}
		p->active_at = uv_now(p->server->loop);
		/* A message begun after this one is timed from when its bytes came. */
		p->unfinished_at = 0;
		dispatch_message(p, msg, len);
	}
	peer_unref(p);
}

void
peer_resume(struct peer *p)
{
	p->paused = false;
	if (p->closing)
		return;
	if (p->server->draining) {
		if (p->queued_bytes == 0)
			peer_close(p);
		return;
	}
	p->active_at = uv_now(p->server->loop);
	peer_process(p);
	if (!p->closing && !p->paused)
		uv_read_start((uv_stream_t *)&p->pipe, on_alloc, on_read);
	peer_note_unfinished(p);
	peer_timer_arm(p);
}

static int
peer_credentials(struct peer *p)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	uv_os_fd_t fd;

	if (uv_fileno((uv_handle_t *)&p->pipe, &fd) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	p->uid = cred.uid;
	p->pid = cred.pid;
	return 0;
}

int
peer_open_channel(struct peer *owner, const char *app, int *ret_fd)
{
	struct server *srv = owner->server;
	struct peer *p;
	int sv[2], r;

	if (srv->channel_peers >= MAX_CHANNELS)
		return -EMFILE;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	p = calloc(1, sizeof(*p));
	if (!p || frame_reader_init(&p->reader, PROTO_MAX_REQUEST) < 0) {
		free(p);
		close(sv[0]);
		close(sv[1]);
		return -ENOMEM;
	}
	p->server = srv;
	p->kind = PEER_CHANNEL;
	peer_init_handles(srv, p, false);
	p->uid = owner->uid;
	p->pid = owner->pid;
	p->person_id = owner->person_id;
	memcpy(p->prison_number, owner->prison_number, sizeof(p->prison_number));
	memcpy(p->session_id, owner->session_id, sizeof(p->session_id));
	snprintf(p->app, sizeof(p->app), "%s", app);
	p->next = srv->peers;
	if (srv->peers)
		srv->peers->prev = p;
	srv->peers = p;
	srv->channel_peers++;
	r = uv_pipe_open(&p->pipe, sv[0]);
	if (r < 0) {
		/* The handle did not take the socket: close it ourselves, the handle by libuv. */
		close(sv[0]);
		close(sv[1]);
		peer_close(p);
		return r;
	}
	uv_read_start((uv_stream_t *)&p->pipe, on_alloc, on_read);
	*ret_fd = sv[1];
	return 0;
}

void
server_close_channels(struct server *srv, const char *session_id)
{
	for (struct peer *p = srv->peers, *next; p; p = next) {
		next = p->next;
		if (p->kind == PEER_CHANNEL && strcmp(p->session_id, session_id) == 0)
			peer_close(p);
	}
}

void
server_close_person(struct server *srv, int64_t person_id)
{
	for (struct peer *p = srv->peers, *next; p; p = next) {
		next = p->next;
		if (p->kind != PEER_ADMIN &&
		    (p->person_id == person_id || p->choosing_pin_id == person_id))
			peer_close(p);
	}
}

static int
compare_pids(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether q may give way to a newcomer: without a session, no call in flight. */
static bool
peer_may_give_way(const struct peer *q, const struct peer *newcomer)
{
	return q != newcomer && q->kind == PEER_CONTROL && !q->in_session_pool && !q->closing &&
	       !q->paused;
}

/*
 * control.sock's pool without a session is full: closes the connection that gives way to
 * the newcomer, if any may. It is the one idle longest of the process that holds the most
 * connections in the pool: a process flooding the socket pushes out its own connections,
 * never the shell's single one, and holding a place needs ever more processes, each
 * making calls all the time. Returns whether a place was made.
 */
static bool
peer_make_room(struct server *srv, struct peer *newcomer)
{
	pid_t *pids = calloc(srv->control_peers + 1, sizeof(*pids)), flooder = 0;
	struct peer *victim = NULL;
	size_t n = 0, best = 0;

	if (!pids)
		return false;
	for (struct peer *q = srv->peers; q && n <= srv->control_peers; q = q->next)
		if (q->kind == PEER_CONTROL && !q->in_session_pool && !q->closing)
			pids[n++] = q->pid;
	qsort(pids, n, sizeof(*pids), compare_pids);
	for (size_t i = 0, run = 0; i < n; i++) {
		run = i > 0 && pids[i] == pids[i - 1] ? run + 1 : 1;
		if (run > best) {
			best = run;
			flooder = pids[i];
		}
	}
	free(pids);
	/* The flooder's connection idle longest; anyone's if all of its are busy. */
	for (int pass = 0; pass < 2 && !victim; pass++)
		for (struct peer *q = srv->peers; q; q = q->next)
			if (peer_may_give_way(q, newcomer) && (pass == 1 || q->pid == flooder) &&
			    (!victim || q->active_at < victim->active_at))
				victim = q;
	if (!victim)
		return false;
	if (warn_allowed())
		log_warn("control.sock is full (%u); closing an idle connection of pid %d for "
		         "pid %d",
		         srv->config.max_control_peers, (int)victim->pid, (int)newcomer->pid);
	peer_close(victim);
	return true;
}

void
peer_accept(struct server *srv, uv_stream_t *listener, enum peer_kind kind)
{
	struct peer *p = calloc(1, sizeof(*p));
	unsigned *count = kind == PEER_CONTROL   ? &srv->control_peers
	                  : kind == PEER_GATEWAY ? &srv->gateway_peers
	                                         : &srv->admin_peers;
	unsigned limit = kind == PEER_CONTROL   ? srv->config.max_control_peers
	                 : kind == PEER_GATEWAY ? srv->config.max_gateway_peers
	                                        : srv->config.max_admin_peers;
	static const char *const socket_names[] = {
	        [PEER_CONTROL] = "control.sock",
	        [PEER_ADMIN] = "admin.sock",
	        [PEER_GATEWAY] = "gateway.sock",
	};

	/* libuv stops accepting until we take this connection, so out of memory is fatal. */
	if (!p || frame_reader_init(&p->reader, PROTO_MAX_REQUEST) < 0)
		log_fatal("out of memory accepting a connection");
	p->server = srv;
	p->kind = kind;
	/* ipc mode lets us pass app channels to the shell with SCM_RIGHTS. */
	peer_init_handles(srv, p, kind == PEER_CONTROL);
	p->next = srv->peers;
	if (srv->peers)
		srv->peers->prev = p;
	srv->peers = p;
	(*count)++;
	if (uv_accept(listener, (uv_stream_t *)&p->pipe) < 0 || peer_credentials(p) < 0) {
		peer_close(p);
		return;
	}
	if (kind == PEER_CONTROL && *count > limit)
		(void)peer_make_room(srv, p);
	if (*count > limit) {
		size_t n;
		char *reply = proto_reply_error(
		        PROTO_ERR_BUSY, "Too many connections. Try again in a moment.", NULL, &n);

		if (warn_allowed())
			log_warn("too many connections on %s (%u); refusing pid %d",
			         socket_names[kind], limit, (int)p->pid);
		peer_send(p, reply, n);
		peer_close(p);
		return;
	}
	if (kind == PEER_ADMIN && p->uid != 0 && p->uid != geteuid()) {
		if (warn_allowed())
			log_warn("admin.sock: refusing uid %u (pid %d): not the daemon's user or "
			         "root",
			         (unsigned)p->uid, (int)p->pid);
		peer_close(p);
		return;
	}
	if (kind == PEER_GATEWAY && p->uid != 0 && p->uid != geteuid() &&
	    p->uid != srv->gateway_uid) {
		if (warn_allowed())
			log_warn("gateway.sock: refusing uid %u (pid %d): not the gateway's user",
			         (unsigned)p->uid, (int)p->pid);
		peer_close(p);
		return;
	}
	uv_read_start((uv_stream_t *)&p->pipe, on_alloc, on_read);
	peer_timer_arm(p);
}
