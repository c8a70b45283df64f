/*
 * serve.c: onward-parse's loop. Reads one request at a time off its socket (wire.h),
 * blocking, since it has nothing else to do: the header, then exactly its body, checked
 * against PARSE_MSG_MAX before anything is allocated; at most one descriptor, which must
 * come with the header (any other, or more than one, is closed and is a protocol error).
 * The request's kind picks its handler from the tables (packs.c, bundles.c, directory.c;
 * probe.c in test builds); the handler answers once, and whatever descriptor it did not
 * keep is closed. A request the child cannot make sense of is answered with an ERROR; a
 * peer that breaks the framing ends the child (the daemon starts another).
 */
#include "parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static int sock = -1; /* the socket to the daemon, while serving */

/*
 * Receives exactly len bytes: 1, or 0 at the end of the stream before any, or -errno.
 * When ret_fd is not NULL, one descriptor may arrive with the first bytes; any other
 * descriptor is closed and is a protocol error.
 */
static int
recv_exact(int fd, void *buf, size_t len, int *ret_fd)
{
	size_t got = 0;

	while (got < len) {
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		struct iovec iov = {(char *)buf + got, len - got};
		struct msghdr msg = {.msg_iov = &iov,
		                     .msg_iovlen = 1,
		                     .msg_control = control.buf,
		                     .msg_controllen = sizeof(control.buf)};
		ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
		int r = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
				int passed;

				memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (ret_fd && *ret_fd < 0 && got == 0) {
					*ret_fd = passed;
				} else {
					close(passed);
					r = -EPROTO;
				}
			}
		}
		if (msg.msg_flags & MSG_CTRUNC)
			r = -EPROTO;
		if (r < 0)
			return r;
		if (n == 0)
			return got == 0 ? 0 : -EPIPE;
		got += (size_t)n;
	}
	return 1;
}

static int
send_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
		ssize_t w = sendmsg(fd, &msg, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/*
 * Sends one message of at most max bytes; a JSON object that cannot be written, or is too
 * large, is sent as an ERROR.
 */
static void
send_msg(uint32_t type, uint32_t id, json_t *json, const void *raw, size_t raw_len, size_t max)
{
	char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;
	size_t json_len = text ? strlen(text) : 0;
	struct parse_header h = {type, id, 0, (uint32_t)json_len};
	struct iovec iov[3] = {
	        {&h, sizeof(h)}, {text, json_len}, {(void *)(uintptr_t)raw, raw_len}};

	if (!text || json_len > PARSE_MSG_MAX || raw_len > max || json_len + raw_len > max) {
		static const char fallback[] =
		        "{\"code\":-12,\"message\":\"the answer is too large or out of memory\"}";

		free(text);
		text = NULL;
		h = (struct parse_header){PARSE_MSG_ERROR, id, sizeof(fallback) - 1,
		                          sizeof(fallback) - 1};
		iov[1] = (struct iovec){(void *)(uintptr_t)fallback, sizeof(fallback) - 1};
		raw_len = 0;
	} else {
		h.len = (uint32_t)(json_len + raw_len);
	}
	/* A daemon that went away ends this child at its next read. */
	(void)send_all(sock, iov, raw_len ? 3 : 2);
	free(text);
}

void
parse_reply(struct parse_call *call, json_t *json, const void *raw, size_t raw_len)
{
	if (call->answered) {
		json_decref(json);
		return;
	}
	call->answered = true;
	if (!json) {
		parse_fail(call, -ENOMEM, "out of memory");
		return;
	}
	send_msg(PARSE_MSG_REPLY, call->id, json, raw, raw_len, call->reply_max);
	json_decref(json);
}

void
parse_fail(struct parse_call *call, int code, const char *fmt, ...)
{
	char message[512];
	json_t *json;
	va_list ap;

	if (call->answered && code != -ENOMEM)
		return;
	call->answered = true;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	json = json_pack("{s:i, s:s}", "code", code < 0 ? code : -EIO, "message", message);
	send_msg(PARSE_MSG_ERROR, call->id, json, NULL, 0, PARSE_MSG_MAX);
	json_decref(json);
}

void
parse_progress(struct parse_call *call, uint64_t done, uint64_t total)
{
	json_t *json =
	        json_pack("{s:I, s:I}", "done", (json_int_t)done, "total", (json_int_t)total);

	send_msg(PARSE_MSG_PROGRESS, call->id, json, NULL, 0, PARSE_MSG_MAX);
	json_decref(json);
}

int
serve_hello(int fd, const struct parse_walls *walls)
{
	json_t *json = json_pack("{s:i, s:{s:b, s:i, s:b}, s:{s:I, s:i, s:i, s:i}}", "pid",
	                         (int)getpid(), "walls", "seccomp", walls->seccomp, "landlock",
	                         walls->landlock_abi, "no_new_privs", walls->no_new_privs, "limits",
	                         "address_space", (json_int_t)walls->memory_max, "files",
	                         PARSE_FILES_MAX, "core", 0, "file_size", 0);

	if (!json)
		return -ENOMEM;
	sock = fd;
	send_msg(PARSE_MSG_HELLO, 0, json, NULL, 0, PARSE_MSG_MAX);
	json_decref(json);
	return 0;
}

int
parse_read_fd(struct parse_call *call, size_t max, bool prefix, char **ret, size_t *ret_len)
{
	/* Its size from lseek, not fstat: glibc's fstat is newfstatat, which takes a path and
	 * is not on the filter's list. A pipe or socket cannot seek, and is refused. */
	off_t size = lseek(call->fd, 0, SEEK_END);
	size_t want, got = 0;
	char *buf;

	if (size < 0)
		return errno == ESPIPE ? -EBADF : -errno;
	if ((uint64_t)size > max && !prefix)
		return -EFBIG;
	want = (uint64_t)size > max ? max : (size_t)size;
	buf = malloc(want + 1);
	if (!buf)
		return -ENOMEM;
	while (got < want) {
		ssize_t n = pread(call->fd, buf + got, want - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;

			free(buf);
			return r;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*ret = buf;
	*ret_len = got;
	return 0;
}

static const struct parse_kind *
kind_find(const char *name)
{
	const struct parse_kind *const tables[] = {pack_kinds, bundle_kinds, directory_kinds,
#ifdef ONWARD_TEST_HOOKS
	                                           probe_kinds,
#endif
	                                           NULL};

	for (size_t t = 0; tables[t]; t++)
		for (const struct parse_kind *k = tables[t]; k->name; k++)
			if (strcmp(k->name, name) == 0)
				return k;
	return NULL;
}

/* Runs one request; the call's descriptor is closed here unless the handler kept it. */
static void
dispatch(struct parse_call *call)
{
	const char *name = json_string_value(json_object_get(call->params, "kind"));
	const struct parse_kind *kind = name ? kind_find(name) : NULL;

	if (kind && strcmp(kind->name, PARSE_KIND_LARGE_REPLY) == 0)
		call->reply_max = PARSE_REPLY_LARGE_MAX;
	if (!kind)
		parse_fail(call, -EOPNOTSUPP, "unknown request kind");
	else if (kind->needs_fd && call->fd < 0)
		parse_fail(call, -EBADF, "no file came with the request");
	else
		kind->handler(call);
	if (!call->answered)
		parse_fail(call, -EIO, "the request was not answered");
	if (call->fd >= 0)
		close(call->fd);
	call->fd = -1;
}

int
serve_run(int fd)
{
	sock = fd;
	for (;;) {
		struct parse_header h;
		struct parse_call call = {.fd = -1, .reply_max = PARSE_MSG_MAX};
		json_error_t jerr;
		char *body;
		int r;

		r = recv_exact(fd, &h, sizeof(h), &call.fd);
		/* Requests are JSON only; checked before a byte of the body is allocated. */
		if (r > 0 && (h.type != PARSE_MSG_REQUEST || h.len > PARSE_MSG_MAX ||
		              h.json_len != h.len || h.len < 2))
			r = -EPROTO;
		body = r > 0 ? malloc(h.len) : NULL;
		if (r > 0 && !body)
			r = -ENOMEM;
		if (r > 0) {
			r = recv_exact(fd, body, h.len, NULL);
			if (r == 0)
				r = -EPIPE;
		}
		if (r <= 0) {
			free(body);
			if (call.fd >= 0)
				close(call.fd);
			return r;
		}
		call.id = h.id;
		call.params = json_loadb(body, h.len, JSON_REJECT_DUPLICATES, &jerr);
		free(body);
		if (!json_is_object(call.params))
			parse_fail(&call, -EBADMSG, "the request is not a JSON object");
		else
			dispatch(&call);
		if (call.fd >= 0)
			close(call.fd);
		json_decref(call.params);
	}
}
