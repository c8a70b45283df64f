/*
 * The daemon's central state: the event loop, the store, the listening sockets, the
 * connected peers and the configuration. Every other file of the daemon works on a
 * struct server; main.c makes the one instance.
 */
#ifndef ONWARD_POLICYD_SERVER_H
#define ONWARD_POLICYD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>
#include <uv.h>

#include "area.h"
#include "config.h"
#include "decide.h"
#include "frame.h"
#include "store.h"

#define PEER_MAX_QUEUED_BYTES (4u << 20) /* replies waiting for a slow reader */
#define SESSION_ID_LEN 32 /* hex characters */
#define MAX_CHANNELS 32 /* app channels open at once */

enum peer_kind {
	PEER_CONTROL, /* the shell and apps: control.sock */
	PEER_ADMIN, /* staff tools: admin.sock */
	PEER_CHANNEL, /* an app: one end of a socket pair bound to a person, app and session */
	PEER_GATEWAY, /* onward-gateway: gateway.sock, every call with the identity it proved */
};

struct server;

/* One connected client. Freed when its handles are closed and no call still holds it. */
struct peer {
	uv_pipe_t pipe; /* the connection; pipe.data points here */
	uv_timer_t timer; /* its idle and read timeouts (peer.c); timer.data points here */
	struct server *server; /* borrowed */
	enum peer_kind kind;
	struct frame_reader reader; /* owned buffer of incoming bytes */
	size_t queued_bytes; /* replies handed to libuv, not yet written */
	int refs; /* the two handles' references plus calls in flight */
	bool closing; /* uv_close called or about to be */
	bool paused; /* an asynchronous call is running: no new calls */
	bool in_session_pool; /* control: counted in server::session_peers, not control_peers */
	uint64_t active_at; /* uv_now() of the connect or the last call: idle since then */
	uint64_t unfinished_at; /* uv_now() when a message began that is not whole yet; 0 */
	uid_t uid; /* peer credentials, from SO_PEERCRED */
	pid_t pid;
	struct peer *prev, *next; /* in server::peers */

	/* The person's session on this connection; person_id 0 when nobody is logged in. */
	int64_t person_id;
	/* Logged in with a PIN staff issued: there is no session until the person chooses
	 * their own PIN (session/pin_change.c); whose it is, 0 otherwise. */
	int64_t choosing_pin_id;
	char prison_number[8]; /* of person_id or choosing_pin_id */
	char session_id[SESSION_ID_LEN + 1];
	char app[33]; /* channels: the app this channel was opened for */
};

struct server {
	uv_loop_t *loop; /* borrowed: the default loop */
	struct store *store; /* owned */
	struct config config; /* loaded at start */
	char state_dir[4096];
	uv_pipe_t control_listener;
	uv_pipe_t admin_listener;
	uv_pipe_t gateway_listener;
	uid_t gateway_uid; /* config.gateway_user's uid; the daemon's own when none is set */
	uv_signal_t sigterm, sigint, sighup;
	uv_timer_t drain_timer; /* bounds how long a drain may take */
	struct peer *peers; /* owned list */
	/* Connections by pool: control.sock's without a session (which time out when idle
	 * and give way to newcomers when there are too many), with one (which do neither,
	 * so a flood of connections can never take the logged-in shell's place),
	 * admin.sock's, app channels. A closing connection is in none. */
	unsigned control_peers, session_peers, admin_peers, channel_peers, gateway_peers;
	bool draining;
	struct policy_state policy; /* owned: the loaded policies; see decide.h */
	const struct method **methods; /* owned array of borrowed methods, sorted by name */
	size_t method_count;
	void *area_states[AREAS_MAX]; /* owned by each area: what its start() made */
	size_t areas_started; /* area_list[0 .. areas_started) have started */
	char dummy_pin_hash[160]; /* verified against when a prison number is unknown */
	uint64_t requests; /* served since start */
	/* Set by the area that keeps tablets (estate/): finds the enrolled, unrevoked device
	 * whose client certificate has this fingerprint (64 hex). 0 and its id in ret_id
	 * (33 bytes); -ENOENT unknown, -EACCES revoked, other negative errno on failure.
	 * NULL until that area starts: then every device call is refused. */
	int (*device_find)(struct server *srv, const char *fingerprint, char *ret_id);
};

/* Opens the listening sockets in the state directory and starts accepting. */
int server_listen(struct server *srv);

/* Stops accepting, lets replies drain, closes everything; the loop then ends. */
void server_drain(struct server *srv);

/* Peers (peer.c). */
void peer_accept(struct server *srv, uv_stream_t *listener, enum peer_kind kind);
/* Queues a NUL-terminated message (msg owned and freed by the peer, len includes NUL). */
void peer_send(struct peer *p, char *msg, size_t len);
/* Queues a message with a descriptor passed alongside (SCM_RIGHTS); fd is closed once sent. */
void peer_send_with_fd(struct peer *p, char *msg, size_t len, int fd);
/*
 * Makes an app channel: a socket pair whose daemon end is a new PEER_CHANNEL peer bound to
 * owner's person and session and to app; *ret_fd is the other end, for the shell.
 */
int peer_open_channel(struct peer *owner, const char *app, int *ret_fd);
/* Closes every app channel opened in the session (when it ends). */
void server_close_channels(struct server *srv, const char *session_id);
/* Closes the person's connections: their session and apps end (their record moved). */
void server_close_person(struct server *srv, int64_t person_id);
void peer_close(struct peer *p);
void peer_ref(struct peer *p);
void peer_unref(struct peer *p);
/* Resumes taking calls after an asynchronous call has replied. */
void peer_resume(struct peer *p);
/*
 * After a control connection's person_id or choosing_pin_id changed: moves it between
 * the pools (with a session it neither times out nor gives way) and sets its timer.
 */
void peer_session_changed(struct peer *p);

/* Handles one whole message from a peer (dispatch.c). */
void dispatch_message(struct peer *p, const char *msg, size_t len);

/* Indexes every area's methods (checking the tables); freed by dispatch_stop (dispatch.c). */
int dispatch_start(struct server *srv, char *ret_error, size_t size);
void dispatch_stop(struct server *srv);

#endif
