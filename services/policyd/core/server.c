/*
 * Listening: the two Unix sockets in the state directory, the peer limits, and draining
 * on SIGTERM. Control.sock serves the shell and apps (in --socket-dir when given, so the
 * shell's user can reach it on a tablet); admin.sock (0600, and only peers running as
 * our own user or root) serves staff tools and always stays in the state directory;
 * gateway.sock (0660, beside control.sock; only root, our own user or the configured
 * gateway user) serves onward-gateway.
 */
#include "server.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define DRAIN_TIMEOUT_MS 5000

/*
 * --socket-dir (kiosk): control.sock in a directory of its own, such as a 0750 runtime
 * directory whose group the shell's user is in, while the state directory stays 0700.
 * Empty: control.sock is in the state directory. Declared again in main.c, which sets it.
 */
int server_set_socket_dir(const char *dir);
static char socket_dir[sizeof(((struct sockaddr_un *)0)->sun_path)];

int
server_set_socket_dir(const char *dir)
{
	struct stat st;

	if (dir[0] != '/' || strlen(dir) + sizeof("/control.sock") > sizeof(socket_dir))
		return -ENAMETOOLONG;
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	snprintf(socket_dir, sizeof(socket_dir), "%s", dir);
	return 0;
}

static void
on_control_connection(uv_stream_t *listener, int status)
{
	if (status < 0) {
		log_warn("control.sock: accept failed: %s", uv_strerror(status));
		return;
	}
	peer_accept(listener->data, listener, PEER_CONTROL);
}

static void
on_admin_connection(uv_stream_t *listener, int status)
{
	if (status < 0) {
		log_warn("admin.sock: accept failed: %s", uv_strerror(status));
		return;
	}
	peer_accept(listener->data, listener, PEER_ADMIN);
}

static void
on_gateway_connection(uv_stream_t *listener, int status)
{
	if (status < 0) {
		log_warn("gateway.sock: accept failed: %s", uv_strerror(status));
		return;
	}
	peer_accept(listener->data, listener, PEER_GATEWAY);
}

static int
listen_on(struct server *srv, uv_pipe_t *listener, const char *dir, const char *name, int mode,
          uv_connection_cb on_connection)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
		log_error("state directory path is too long for a socket (%zu bytes at most)",
		          sizeof(path) - strlen(name) - 2);
		return -ENAMETOOLONG;
	}
	/* We hold the state directory's lock, so a socket file here is a stale one. */
	unlink(path);
	r = uv_pipe_init(srv->loop, listener, 0);
	if (r < 0)
		return r;
	listener->data = srv;
	r = uv_pipe_bind(listener, path);
	if (r == 0)
		r = chmod(path, (mode_t)mode) < 0 ? -errno : 0;
	if (r == 0)
		r = uv_listen((uv_stream_t *)listener, 128, on_connection);
	if (r < 0)
		log_error("cannot listen on %s: %s", path, uv_strerror(r));
	return r;
}

int
server_listen(struct server *srv)
{
	int r = listen_on(srv, &srv->control_listener, socket_dir[0] ? socket_dir : srv->state_dir,
	                  "control.sock", 0666, on_control_connection);

	if (r == 0)
		r = listen_on(srv, &srv->admin_listener, srv->state_dir, "admin.sock", 0600,
		              on_admin_connection);
	/* Beside control.sock: with --socket-dir the gateway's user can reach it there while
	 * the state directory stays 0700. Peers are checked by uid as they connect. */
	if (r == 0)
		r = listen_on(srv, &srv->gateway_listener,
		              socket_dir[0] ? socket_dir : srv->state_dir, "gateway.sock", 0660,
		              on_gateway_connection);
	return r;
}

static void
on_drain_timeout(uv_timer_t *timer)
{
	struct server *srv = timer->data;

	log_warn("drain: closing %u peers that did not finish in time",
	         srv->control_peers + srv->session_peers + srv->admin_peers + srv->gateway_peers);
	for (struct peer *p = srv->peers; p; p = p->next)
		peer_close(p);
	uv_close((uv_handle_t *)timer, NULL);
}

void
server_drain(struct server *srv)
{
	if (srv->draining)
		return;
	srv->draining = true;
	log_info("draining: no new connections; finishing calls in progress");
	uv_close((uv_handle_t *)&srv->control_listener, NULL);
	uv_close((uv_handle_t *)&srv->admin_listener, NULL);
	uv_close((uv_handle_t *)&srv->gateway_listener, NULL);
	uv_close((uv_handle_t *)&srv->sigterm, NULL);
	uv_close((uv_handle_t *)&srv->sigint, NULL);
	uv_close((uv_handle_t *)&srv->sighup, NULL);
	areas_drain(srv);
	/* Peers close once their replies are written (peer.c checks srv->draining). */
	for (struct peer *p = srv->peers, *next; p; p = next) {
		next = p->next;
		if (!p->paused && p->queued_bytes == 0)
			peer_close(p);
		else
			uv_read_stop((uv_stream_t *)&p->pipe);
	}
	if (srv->peers) {
		uv_timer_init(srv->loop, &srv->drain_timer);
		srv->drain_timer.data = srv;
		uv_timer_start(&srv->drain_timer, on_drain_timeout, DRAIN_TIMEOUT_MS, 0);
		uv_unref((uv_handle_t *)&srv->drain_timer);
	}
}
