/*
 * The HTTPS side of the gateway: libmicrohttpd (TLS through its GnuTLS) running on the
 * gateway's libuv loop, and what it does with each request. MHD runs with MHD_USE_EPOLL and
 * no thread of its own: its epoll descriptor is watched with a uv_poll, and MHD_run is
 * called when that is readable and when MHD_get_timeout says (a uv_timer). A call is read
 * whole (at most REQUEST_MAX_BODY), turned into one frame (request.c) and handed to the
 * daemon (upstream.c); its connection is suspended until the answer comes, so a thousand
 * calls waiting at the daemon hold no more than their memory.
 *
 * A request's life: on_request is called first with the headers (path, verb, client
 * certificate, bearer token, declared length and rate limit are checked then, and a
 * refusal is answered at once), then with each piece of the body, then once more with
 * none; then the call goes to the daemon and the connection is suspended. on_call_done
 * resumes it, and on_request is called a last time to queue the answer.
 */
#include "gateway.h"

#include "log.h"
#include "proto.h"
#include "request.h"
#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

/* Body bytes read and thrown away past the limit before the connection is dropped. */
#define DISCARD_MAX (1024 * 1024)
/* A year, in seconds: how long clients are to keep to HTTPS. */
#define HSTS_VALUE "max-age=31536000"

#define ERR_UNAVAILABLE "onward.Unavailable"
#define MSG_UNAVAILABLE "The establishment server is not answering. Try again soon."

enum exchange_state {
	EXCHANGE_READING, /* the body is arriving */
	EXCHANGE_AT_DAEMON, /* suspended: the call is at the daemon */
	EXCHANGE_ANSWERED, /* resumed: the outcome is here, to be queued */
	EXCHANGE_DONE, /* a response is queued */
};

/* One HTTP request (MHD's con_cls). */
struct exchange {
	struct http *h; /* borrowed */
	struct MHD_Connection *conn; /* borrowed from MHD */
	enum exchange_state state;
	bool orphaned; /* MHD ended the request while the daemon had it (never expected) */
	char method[PROTO_MAX_METHOD + 1];
	char address[INET6_ADDRSTRLEN];
	char session[REQUEST_TOKEN_LEN + 1]; /* "" when none */
	char device[TLS_FINGERPRINT_SIZE]; /* "" when none */
	char *body; /* owned: what arrived of the body */
	size_t len, cap;
	size_t discarded; /* bytes past REQUEST_MAX_BODY, read and thrown away */
	char *frame; /* owned: the call sent to the daemon */
	struct upstream_call call;
	int outcome; /* the HTTP status of the answer, or upstream's negative error */
	char *reply; /* owned until handed to MHD */
	size_t reply_len;
};

struct http {
	struct gateway *gw; /* borrowed */
	struct MHD_Daemon *mhd; /* owned */
	uv_poll_t poll; /* MHD's epoll descriptor */
	uv_timer_t timer; /* when MHD wants to run next */
	size_t active; /* exchanges alive */
	bool draining;
	unsigned open_handles; /* closing: handles not yet closed */
	char mhd_said[256]; /* MHD's last log line, for a refusal to start */
};

static void http_schedule(struct http *h);

static void
http_run(struct http *h)
{
	MHD_run(h->mhd);
	http_schedule(h);
}

static void
on_timer(uv_timer_t *timer)
{
	http_run(timer->data);
}

static void
on_poll(uv_poll_t *poll, int status, int events)
{
	http_run(poll->data);
}

/* Arms the timer for MHD's next deadline: MHD says 0 when it has work without I/O. */
static void
http_schedule(struct http *h)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (MHD_get_timeout(h->mhd, &ms) == MHD_YES)
		uv_timer_start(&h->timer, on_timer, ms > 60000 ? 60000 : (uint64_t)ms, 0);
	else
		uv_timer_stop(&h->timer);
}

/* Every response carries these: nothing is cached, nothing sniffed, HTTPS only. */
static int
add_common_headers(struct MHD_Response *resp, const char *content_type)
{
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) != MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") != MHD_YES ||
	    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") != MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_STRICT_TRANSPORT_SECURITY, HSTS_VALUE) !=
	            MHD_YES)
		return -ENOMEM;
	return 0;
}

/*
 * Queues resp (taken) as the answer, with the headers every answer carries and one more
 * (extra_name NULL for none). A draining gateway asks the client to close.
 */
static enum MHD_Result
queue(struct exchange *ex, unsigned status, struct MHD_Response *resp, const char *content_type,
      const char *extra_name, const char *extra_value)
{
	enum MHD_Result r = MHD_NO;

	if (!resp)
		return MHD_NO;
	if (add_common_headers(resp, content_type) == 0 &&
	    (!extra_name || MHD_add_response_header(resp, extra_name, extra_value) == MHD_YES) &&
	    (!ex->h->draining ||
	     MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES))
		r = MHD_queue_response(ex->conn, status, resp);
	MHD_destroy_response(resp);
	ex->state = EXCHANGE_DONE;
	return r;
}

/* Queues body (len bytes of JSON; taken, freed by MHD) as the answer. */
static enum MHD_Result
respond(struct exchange *ex, unsigned status, char *body, size_t len, const char *extra_name,
        const char *extra_value)
{
	struct MHD_Response *resp =
	        MHD_create_response_from_buffer_with_free_callback(len, body, free);

	if (!resp)
		free(body);
	return queue(ex, status, resp, "application/json", extra_name, extra_value);
}

/* An error answer of the gateway's own, in the daemon's shape. */
static enum MHD_Result
respond_error(struct exchange *ex, unsigned status, const char *error, const char *message,
              const char *extra_name, const char *extra_value)
{
	size_t len;
	char *body = proto_reply_error(error, message, NULL, &len);

	if (!body)
		return MHD_NO;
	return respond(ex, status, body, len - 1, extra_name, extra_value);
}

/* The establishment CA, from the copy read at start (kept until the gateway stops). */
static enum MHD_Result
respond_ca(struct exchange *ex)
{
	const struct gateway_options *o = &ex->h->gw->options;

	return queue(ex, MHD_HTTP_OK,
	             MHD_create_response_from_buffer(o->client_ca_len, o->client_ca_pem,
	                                             MHD_RESPMEM_PERSISTENT),
	             "application/x-pem-file", NULL, NULL);
}

static void
client_address(struct MHD_Connection *conn, char ret[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *info =
	        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	snprintf(ret, INET6_ADDRSTRLEN, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ret,
		          INET6_ADDRSTRLEN);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          ret, INET6_ADDRSTRLEN);
}

/* The client certificate, if any: -EACCES for one that is presented but not trusted. */
static int
client_device(struct exchange *ex)
{
	const union MHD_ConnectionInfo *info =
	        MHD_get_connection_info(ex->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	int r;

	if (!info || !info->tls_session)
		return -EACCES;
	r = tls_peer_device(info->tls_session, ex->device);
	if (r <= 0)
		ex->device[0] = '\0';
	return r < 0 ? r : 0;
}

/* Whom the rate limit counts this call against: a device, a staff session, an address. */
static enum MHD_Result
check_rate(struct exchange *ex)
{
	struct http *h = ex->h;
	char identity[128], retry[16];
	unsigned wait = 1;
	int r;

	if (ex->device[0])
		snprintf(identity, sizeof(identity), "device:%s", ex->device);
	else if (ex->session[0])
		snprintf(identity, sizeof(identity), "session:%s", ex->session);
	else
		snprintf(identity, sizeof(identity), "address:%s", ex->address);
	r = limits_take(h->gw->limits, identity, uv_now(h->gw->loop), &wait);
	if (r == 0)
		return MHD_YES;
	snprintf(retry, sizeof(retry), "%u", wait);
	if (r == -EAGAIN)
		return respond_error(ex, MHD_HTTP_TOO_MANY_REQUESTS, "onward.RateLimited",
		                     "Too many requests. Wait a moment and try again.",
		                     MHD_HTTP_HEADER_RETRY_AFTER, retry);
	return respond_error(ex, MHD_HTTP_SERVICE_UNAVAILABLE, PROTO_ERR_BUSY,
	                     "The gateway is busy. Try again soon.", NULL, NULL);
}

/* The first call for a request: everything that can be decided from the headers. */
static enum MHD_Result
begin(struct exchange *ex, const char *url, const char *verb)
{
	const char *method = request_method_from_path(url);
	const char *length, *auth;

	if (ex->h->draining)
		return respond_error(ex, MHD_HTTP_SERVICE_UNAVAILABLE, ERR_UNAVAILABLE,
		                     "The gateway is stopping. Try again soon.", NULL, NULL);
	if (strcmp(url, "/ca.pem") == 0) {
		if (strcmp(verb, MHD_HTTP_METHOD_GET) == 0 ||
		    strcmp(verb, MHD_HTTP_METHOD_HEAD) == 0)
			return respond_ca(ex);
		return respond_error(ex, MHD_HTTP_METHOD_NOT_ALLOWED, "onward.MethodNotAllowed",
		                     "Only GET is answered here.", MHD_HTTP_HEADER_ALLOW, "GET");
	}
	if (!method)
		return respond_error(ex, MHD_HTTP_NOT_FOUND, PROTO_ERR_NOT_FOUND,
		                     "There is nothing at this address.", NULL, NULL);
	if (strcmp(verb, MHD_HTTP_METHOD_POST) != 0)
		return respond_error(ex, MHD_HTTP_METHOD_NOT_ALLOWED, "onward.MethodNotAllowed",
		                     "Calls are made with POST.", MHD_HTTP_HEADER_ALLOW, "POST");
	snprintf(ex->method, sizeof(ex->method), "%s", method);
	if (client_device(ex) < 0)
		return respond_error(ex, MHD_HTTP_FORBIDDEN, PROTO_ERR_PERMISSION_DENIED,
		                     "The client certificate is not trusted here.", NULL, NULL);
	auth = MHD_lookup_connection_value(ex->conn, MHD_HEADER_KIND,
	                                   MHD_HTTP_HEADER_AUTHORIZATION);
	if (request_bearer(auth, ex->session) == -EINVAL)
		return respond_error(ex, MHD_HTTP_UNAUTHORIZED, PROTO_ERR_NOT_LOGGED_IN,
		                     "The sign-in token is not valid. Sign in again.", NULL, NULL);
	length = MHD_lookup_connection_value(ex->conn, MHD_HEADER_KIND,
	                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
	/*
	 * MHD has checked the header is a number. A body a little too large is read and thrown
	 * away, so that the client, which may be sending it without waiting, gets the 413; one
	 * far too large is refused at once and the connection closed.
	 */
	if (length && strtoull(length, NULL, 10) > REQUEST_MAX_BODY + DISCARD_MAX)
		return respond_error(ex, MHD_HTTP_CONTENT_TOO_LARGE, PROTO_ERR_TOO_LARGE,
		                     "The request is too large.", NULL, NULL);
	return check_rate(ex);
}

/* A piece of the body: kept up to REQUEST_MAX_BODY, counted and thrown away past it. */
static enum MHD_Result
take_body(struct exchange *ex, const char *data, size_t n)
{
	if (ex->discarded || n > REQUEST_MAX_BODY - ex->len) {
		ex->discarded += n;
		return ex->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	if (ex->len + n > ex->cap) {
		size_t cap = ex->cap ? ex->cap : 4096;
		char *p;

		while (cap < ex->len + n)
			cap *= 2;
		if (cap > REQUEST_MAX_BODY)
			cap = REQUEST_MAX_BODY;
		p = realloc(ex->body, cap);
		if (!p)
			return MHD_NO;
		ex->body = p;
		ex->cap = cap;
	}
	memcpy(ex->body + ex->len, data, n);
	ex->len += n;
	return MHD_YES;
}

static void
on_call_done(struct upstream_call *call, int status, const char *reply, size_t len)
{
	struct exchange *ex = call->data;
	struct http *h = ex->h;

	if (ex->orphaned) {
		free(ex->frame);
		free(ex);
		return;
	}
	ex->outcome = status;
	if (status > 0) {
		ex->reply = malloc(len ? len : 1);
		if (ex->reply) {
			memcpy(ex->reply, reply, len);
			ex->reply_len = len;
		} else {
			ex->outcome = -ENOMEM;
		}
	}
	ex->state = EXCHANGE_ANSWERED;
	MHD_resume_connection(ex->conn);
	/* MHD takes the resumed connection back on its next run: make that now. */
	uv_timer_start(&h->timer, on_timer, 0, 0);
}

/* The whole body is here: send the call to the daemon, or say why not. */
static enum MHD_Result
forward(struct exchange *ex)
{
	struct request_via via = {
	        .address = ex->address,
	        .staff_session = ex->session[0] ? ex->session : NULL,
	        .device = ex->device[0] ? ex->device : NULL,
	};
	size_t frame_len;
	int r;

	if (ex->discarded)
		return respond_error(ex, MHD_HTTP_CONTENT_TOO_LARGE, PROTO_ERR_TOO_LARGE,
		                     "The request is too large.", NULL, NULL);
	r = request_build_call(ex->method, ex->body ? ex->body : "", ex->len, &via, &ex->frame,
	                       &frame_len);
	if (r == -EBADMSG)
		return respond_error(ex, MHD_HTTP_BAD_REQUEST, PROTO_ERR_INVALID_REQUEST,
		                     "The request must be one JSON object.", NULL, NULL);
	if (r == -EEXIST)
		return respond_error(ex, MHD_HTTP_BAD_REQUEST, PROTO_ERR_INVALID_REQUEST,
		                     "A request may not say who it comes from (\"via\").", NULL,
		                     NULL);
	if (r == -EMSGSIZE)
		return respond_error(ex, MHD_HTTP_CONTENT_TOO_LARGE, PROTO_ERR_TOO_LARGE,
		                     "The request is too large.", NULL, NULL);
	if (r < 0)
		return respond_error(ex, MHD_HTTP_INTERNAL_SERVER_ERROR, PROTO_ERR_INTERNAL,
		                     "Something went wrong at the gateway.", NULL, NULL);
	ex->call = (struct upstream_call){
	        .frame = ex->frame, .frame_len = frame_len, .done = on_call_done, .data = ex};
	r = upstream_submit(ex->h->gw->upstream, &ex->call);
	if (r == -EBUSY)
		return respond_error(ex, MHD_HTTP_SERVICE_UNAVAILABLE, PROTO_ERR_BUSY,
		                     "The establishment server is busy. Try again soon.",
		                     MHD_HTTP_HEADER_RETRY_AFTER, "1");
	if (r < 0)
		return respond_error(ex, MHD_HTTP_SERVICE_UNAVAILABLE, ERR_UNAVAILABLE,
		                     MSG_UNAVAILABLE, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	ex->state = EXCHANGE_AT_DAEMON;
	MHD_suspend_connection(ex->conn);
	return MHD_YES;
}

/* The daemon's answer, or why there is none. */
static enum MHD_Result
answer(struct exchange *ex)
{
	char *reply = ex->reply;

	if (ex->outcome > 0) {
		ex->reply = NULL;
		return respond(ex, (unsigned)ex->outcome, reply, ex->reply_len, NULL, NULL);
	}
	if (ex->outcome == -EPROTO)
		return respond_error(ex, MHD_HTTP_BAD_GATEWAY, "onward.BadGateway",
		                     "The establishment server gave an answer that makes no sense.",
		                     NULL, NULL);
	if (ex->outcome == -ENOMEM)
		return respond_error(ex, MHD_HTTP_INTERNAL_SERVER_ERROR, PROTO_ERR_INTERNAL,
		                     "Something went wrong at the gateway.", NULL, NULL);
	return respond_error(ex, MHD_HTTP_SERVICE_UNAVAILABLE, ERR_UNAVAILABLE, MSG_UNAVAILABLE,
	                     MHD_HTTP_HEADER_RETRY_AFTER, "1");
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *verb,
           const char *version, const char *data, size_t *data_size, void **con_cls)
{
	struct http *h = cls;
	struct exchange *ex = *con_cls;

	if (!ex) {
		ex = calloc(1, sizeof(*ex));
		if (!ex)
			return MHD_NO;
		ex->h = h;
		ex->conn = conn;
		client_address(conn, ex->address);
		*con_cls = ex;
		h->active++;
		return begin(ex, url, verb);
	}
	switch (ex->state) {
	case EXCHANGE_READING:
		if (*data_size > 0) {
			enum MHD_Result r = take_body(ex, data, *data_size);

			*data_size = 0;
			return r;
		}
		return forward(ex);
	case EXCHANGE_ANSWERED:
		return answer(ex);
	case EXCHANGE_AT_DAEMON:
	case EXCHANGE_DONE:
		*data_size = 0;
		return MHD_YES;
	}
	return MHD_NO;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
	struct http *h = cls;
	struct exchange *ex = *con_cls;

	if (!ex)
		return;
	*con_cls = NULL;
	h->active--;
	if (ex->state == EXCHANGE_AT_DAEMON) {
		/* The upstream still holds ex->call; on_call_done frees it. */
		ex->orphaned = true;
		return;
	}
	free(ex->body);
	free(ex->frame);
	free(ex->reply);
	free(ex);
}

/* Before each handshake: arm verification of a client certificate. */
static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
              enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *info;

	if (code != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (info && info->tls_session)
		tls_session_setup(info->tls_session);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

/* MHD's own messages: kept for a refusal to start, otherwise debugging detail (a client
 * that breaks off a handshake is not news). */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http *h = cls;
	size_t n;

	vsnprintf(h->mhd_said, sizeof(h->mhd_said), fmt, ap);
	n = strlen(h->mhd_said);
	while (n > 0 && (h->mhd_said[n - 1] == '\n' || h->mhd_said[n - 1] == '.'))
		h->mhd_said[--n] = '\0';
	log_debug("libmicrohttpd: %s", h->mhd_said);
}

static int
start_mhd(struct http *h, char *err, size_t size)
{
	const struct gateway_options *o = &h->gw->options;
	unsigned flags = MHD_USE_TLS | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;

	if (o->listen.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->mhd = MHD_start_daemon(
	        flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, h,
	        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&o->listen,
	        MHD_OPTION_HTTPS_MEM_CERT, o->cert_pem, MHD_OPTION_HTTPS_MEM_KEY, o->key_pem,
	        MHD_OPTION_HTTPS_MEM_TRUST, o->client_ca_pem, MHD_OPTION_HTTPS_PRIORITIES,
	        TLS_PRIORITIES, MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
	        MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
	        o->idle_timeout, MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
	        MHD_OPTION_NOTIFY_CONNECTION, on_connection, h, MHD_OPTION_SIGPIPE_HANDLED_BY_APP,
	        (int)1, MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_END);
	if (!h->mhd) {
		snprintf(err, size, "cannot listen on %s: %s", o->listen_text,
		         h->mhd_said[0] ? h->mhd_said : "libmicrohttpd refused to start");
		return -EINVAL;
	}
	return 0;
}

int
http_start(struct gateway *gw, struct http **ret, char *err, size_t size)
{
	const union MHD_DaemonInfo *info;
	struct http *h = calloc(1, sizeof(*h));

	if (!h) {
		snprintf(err, size, "out of memory");
		return -ENOMEM;
	}
	h->gw = gw;
	if (start_mhd(h, err, size) < 0) {
		free(h);
		return -EINVAL;
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info || uv_poll_init(gw->loop, &h->poll, info->epoll_fd) < 0) {
		snprintf(err, size, "cannot watch libmicrohttpd's epoll descriptor");
		MHD_stop_daemon(h->mhd);
		free(h);
		return -EIO;
	}
	uv_timer_init(gw->loop, &h->timer);
	h->poll.data = h->timer.data = h;
	uv_poll_start(&h->poll, UV_READABLE, on_poll);
	http_schedule(h);
	*ret = h;
	return 0;
}

unsigned
http_port(const struct http *h)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);

	return info ? info->port : 0;
}

void
http_drain(struct http *h)
{
	MHD_socket listen_fd;

	if (h->draining)
		return;
	h->draining = true;
	/* In external polling the listening socket is ours to close once MHD lets go. */
	listen_fd = MHD_quiesce_daemon(h->mhd);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	http_run(h);
}

size_t
http_active(const struct http *h)
{
	return h->active;
}

static void
on_handle_closed(uv_handle_t *handle)
{
	struct http *h = handle->data;

	if (--h->open_handles == 0)
		free(h);
}

void
http_stop(struct http *h)
{
	if (!h)
		return;
	/* Connections resumed by the last answers are taken back, then all are closed. */
	MHD_run(h->mhd);
	uv_poll_stop(&h->poll);
	uv_timer_stop(&h->timer);
	MHD_stop_daemon(h->mhd);
	h->mhd = NULL;
	h->open_handles = 2;
	uv_close((uv_handle_t *)&h->poll, on_handle_closed);
	uv_close((uv_handle_t *)&h->timer, on_handle_closed);
}
