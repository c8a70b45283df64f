/*
 * The protocol client (see client.h). The socket is always non-blocking; client_call()
 * waits with poll(). Incoming bytes go through the same frame reader the daemon uses, and
 * descriptors arriving as SCM_RIGHTS wait in a small queue until the reply that announces
 * them ("descriptor": true) claims one. Unclaimed descriptors are closed.
 */
#include "client.h"

#include "frame.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CLIENT_MAX_FDS 8

struct client {
	int fd; /* owned */
	struct frame_reader reader; /* replies arriving */
	char *out; /* owned: calls waiting to be written */
	size_t out_len, out_cap;
	int fds[CLIENT_MAX_FDS]; /* owned: descriptors received, oldest first */
	int fd_count;
	bool closed; /* the daemon closed the connection */
};

int
client_adopt(int fd, struct client **ret)
{
	struct client *c = calloc(1, sizeof(*c));
	int flags, r;

	if (!c)
		return -ENOMEM;
	r = frame_reader_init(&c->reader, PROTO_MAX_REPLY);
	if (r < 0) {
		free(c);
		return r;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		r = -errno;
		frame_reader_release(&c->reader);
		free(c);
		return r;
	}
	c->fd = fd;
	*ret = c;
	return 0;
}

int
client_connect(const char *path, struct client **ret)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd, r;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	r = client_adopt(fd, ret);
	if (r < 0)
		close(fd);
	return r;
}

void
client_free(struct client *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->fd_count; i++)
		close(c->fds[i]);
	close(c->fd);
	frame_reader_release(&c->reader);
	free(c->out);
	free(c);
}

int
client_fd(const struct client *c)
{
	return c->fd;
}

bool
client_wants_write(const struct client *c)
{
	return c->out_len > 0;
}

int
client_send(struct client *c, const char *method, json_t *params)
{
	size_t len;
	char *msg = proto_call_build(method, params, &len);

	if (!msg)
		return -ENOMEM;
	if (len - 1 > PROTO_MAX_REQUEST) {
		free(msg);
		return -EMSGSIZE;
	}
	if (c->out_len + len > c->out_cap) {
		size_t cap = (c->out_len + len) * 2;
		char *grown = realloc(c->out, cap);

		if (!grown) {
			free(msg);
			return -ENOMEM;
		}
		c->out = grown;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, msg, len);
	c->out_len += len;
	free(msg);
	return 0;
}

int
client_flush(struct client *c)
{
	while (c->out_len > 0) {
		ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -EAGAIN;
		if (n < 0)
			return errno == EPIPE || errno == ECONNRESET ? -EPIPE : -errno;
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	return 0;
}

/* Keeps descriptors that arrived with the data; closes any beyond the queue's room. */
static void
take_descriptors(struct client *c, struct msghdr *msg)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		size_t count;
		int *fds;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)(void *)CMSG_DATA(cm);
		for (size_t i = 0; i < count; i++) {
			int fd;

			memcpy(&fd, &fds[i], sizeof(fd));
			if (c->fd_count < CLIENT_MAX_FDS) {
				fcntl(fd, F_SETFD, FD_CLOEXEC);
				c->fds[c->fd_count++] = fd;
			} else {
				close(fd);
			}
		}
	}
}

/* Reads once from the socket: 1 when bytes arrived, 0 on EAGAIN, negative otherwise. */
static int
read_some(struct client *c)
{
	union {
		char buf[CMSG_SPACE(CLIENT_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov;
	struct msghdr msg = {0};
	char *space;
	size_t room;
	ssize_t n;

	frame_reader_space(&c->reader, &space, &room);
	if (room == 0)
		return -EMSGSIZE;
	iov.iov_base = space;
	iov.iov_len = room;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	do
		n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0
		       : errno == ECONNRESET                   ? -EPIPE
		                                               : -errno;
	take_descriptors(c, &msg);
	if (n == 0) {
		c->closed = true;
		return -EPIPE;
	}
	frame_reader_commit(&c->reader, (size_t)n);
	return 1;
}

/* Decodes one reply message into ret. */
static int
decode_reply(struct client *c, const char *text, size_t len, struct client_reply *ret)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *params, *error;
	struct client_reply reply = {.fd = -1};

	if (!root)
		return -EBADMSG;
	params = json_object_get(root, "parameters");
	error = json_object_get(root, "error");
	if (!json_is_object(root) || !json_is_object(params) || (error && !json_is_string(error))) {
		json_decref(root);
		return -EBADMSG;
	}
	if (error) {
		reply.error = strdup(json_string_value(error));
		if (!reply.error) {
			json_decref(root);
			return -ENOMEM;
		}
	}
	reply.parameters = json_incref(params);
	json_decref(root);
	if (json_is_true(json_object_get(reply.parameters, "descriptor"))) {
		if (c->fd_count == 0) {
			client_reply_release(&reply);
			return -EBADMSG;
		}
		reply.fd = c->fds[0];
		memmove(c->fds, c->fds + 1, (size_t)(--c->fd_count) * sizeof(int));
	}
	*ret = reply;
	return 0;
}

int
client_receive(struct client *c, struct client_reply *ret)
{
	for (;;) {
		const char *msg;
		size_t len;
		int r = frame_reader_next(&c->reader, &msg, &len);

		if (r == 1)
			return decode_reply(c, msg, len, ret);
		if (r < 0)
			return r;
		if (c->closed)
			return -EPIPE;
		r = read_some(c);
		if (r == 0)
			return -EAGAIN;
		if (r < 0)
			return r;
	}
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for the socket to be ready; -ETIMEDOUT once the deadline has passed. */
static int
wait_ready(struct client *c, short events, int64_t deadline)
{
	struct pollfd pfd = {.fd = c->fd, .events = events};
	int timeout = -1, n;

	if (deadline >= 0) {
		int64_t left = deadline - now_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		timeout = left > 60000 ? 60000 : (int)left;
	}
	n = poll(&pfd, 1, timeout);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return 0;
}

int
client_call(struct client *c, const char *method, json_t *params, int timeout_ms,
            struct client_reply *ret)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	int r = client_send(c, method, params);

	while (r == 0 && client_wants_write(c)) {
		r = client_flush(c);
		if (r == -EAGAIN)
			r = wait_ready(c, POLLOUT, deadline);
	}
	while (r == 0) {
		r = client_receive(c, ret);
		if (r == -EAGAIN)
			r = wait_ready(c, POLLIN, deadline);
		else
			break;
	}
	return r;
}

void
client_reply_release(struct client_reply *r)
{
	if (!r)
		return;
	json_decref(r->parameters);
	free(r->error);
	if (r->fd >= 0)
		close(r->fd);
	*r = (struct client_reply){.fd = -1};
}

const char *
client_reply_message(const struct client_reply *r)
{
	const char *m = json_string_value(json_object_get(r->parameters, "message"));

	return m ? m : "";
}

int
client_read_text(const json_t *obj, const char *key, int flags, char *buf, size_t max)
{
	const json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);
	size_t n;

	buf[0] = '\0';
	if (!v || json_is_null(v))
		return flags & CLIENT_TEXT_REQUIRED ? -EBADMSG : 0;
	if (!s)
		return -EBADMSG;
	n = json_string_length(v);
	if (n > max || strlen(s) != n)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(c == '\n' && (flags & CLIENT_TEXT_MULTILINE))) || c == 0x7F)
			return -EBADMSG;
	}
	memcpy(buf, s, n + 1);
	return 0;
}
