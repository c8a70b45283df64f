/*
 * parser.c: the daemon's side of onward-parse (see parser.h and services/parse/). One
 * struct parser is one child at a time and a queue of calls. Everything runs on the libuv
 * loop and nothing waits: the socket is polled (uv_poll) and read and written with
 * recvmsg/sendmsg without blocking, so a descriptor can go with a request (SCM_RIGHTS, on
 * its first byte, as OpenBSD's imsg does) and any descriptor the child tries to send back
 * is closed and counted as a broken frame. Each message's length is checked against
 * PARSE_MSG_MAX (or, for the reply to the one kind whose replies may be larger,
 * PARSE_REPLY_LARGE_MAX) before its body is allocated.
 *
 * A call's life: queued; sent when the child is ready and no other call is running (its
 * descriptor closed once sent); its time limit starts; PROGRESS messages pass to the
 * caller; the REPLY or ERROR with its id ends it. If the child dies, stops answering in
 * time or breaks the framing, it is killed and let go, the running call fails with a
 * plain reason, and the next call starts a new child. The child's standard error is a pipe
 * whose lines go to the log, so a crash report (or a sanitizer's) is kept.
 */
#include "parser.h"

#include "log.h"
#include "server.h"
#include "text.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <uv.h>

#define HELLO_TIMEOUT_MS 10000 /* from exec to HELLO: loading, warming up, confining */
#define ERR_LINE_MAX 300 /* bytes of one line of the child's standard error */

struct parser_job {
	struct parser_job *next;
	uint32_t id;
	char *out; /* owned: header and JSON */
	size_t out_len, out_sent;
	int fd; /* to go with the first byte; -1 once sent */
	uint32_t reply_max; /* PARSE_MSG_MAX, or PARSE_REPLY_LARGE_MAX for that one kind */
	unsigned timeout_ms;
	parser_progress_fn progress;
	parser_done_fn done;
	void *userdata;
};

struct parser_child {
	struct parser *parser; /* NULL once the parser has let it go */
	uv_process_t process;
	uv_pipe_t err; /* its standard error */
	uv_poll_t poll; /* its socket */
	int sock; /* our end of the socket pair; -1 once closed */
	int handles; /* open libuv handles; freed at 0 */
	int pid;
	bool ready; /* HELLO received */
	bool exited;
	/* the message being read */
	uint8_t head[PARSE_HEADER_LEN];
	size_t head_got;
	struct parse_header h;
	char *body; /* owned; h.len + 1 bytes */
	size_t body_got;
	/* a line of its standard error being gathered */
	char line[ERR_LINE_MAX + 1];
	size_t line_len;
};

struct parser {
	struct server *srv; /* borrowed */
	char name[16];
	struct parser_child *child; /* the current child, or NULL */
	struct parser_job *queue, **tail; /* waiting calls, oldest first */
	struct parser_job *current; /* the call the child is on */
	size_t waiting;
	uint32_t next_id;
	unsigned timeout_override_ms; /* test builds: every limit, when set */
	uv_timer_t timer; /* the HELLO's or the current call's limit */
	uv_timer_t kick; /* starts queued work from the loop, never inside parser_call */
	int handles; /* open: the two timers; the struct is freed when both are closed */
	bool closed;
};

static void child_lost(struct parser *p, int r, const char *message);
static void pump(struct parser *p);

/* ---- words from the child: one line of printable UTF-8 ---- */

static void
clean_line(const char *in, size_t len, char *out, size_t size)
{
	size_t o = 0;
	bool utf8 = text_utf8_valid(in, len);

	for (size_t i = 0; i < len && o + 4 < size;) {
		unsigned char c = (unsigned char)in[i];
		size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		bool ok = c >= 0x20 && c != 0x7f;

		if (c >= 0x80) {
			/* C1 controls, direction controls and separators are shown as '?'. */
			uint32_t cp = 0;

			ok = utf8 && i + n <= len;
			if (ok && n == 2)
				cp = (uint32_t)(c & 0x1f) << 6 | ((unsigned char)in[i + 1] & 0x3f);
			else if (ok && n == 3)
				cp = (uint32_t)(c & 0x0f) << 12 |
				     (uint32_t)((unsigned char)in[i + 1] & 0x3f) << 6 |
				     ((unsigned char)in[i + 2] & 0x3f);
			ok = ok && !(cp >= 0x80 && cp < 0xa0) && cp != 0x061c && cp != 0x200e &&
			     cp != 0x200f && !(cp >= 0x2028 && cp <= 0x202e) &&
			     !(cp >= 0x2066 && cp <= 0x2069);
			if (!utf8)
				n = 1;
		}
		if (ok) {
			memcpy(out + o, in + i, n);
			o += n;
		} else {
			out[o++] = '?';
		}
		i += n;
	}
	out[o] = '\0';
}

/* ---- the child's handles ---- */

static void
on_child_handle_closed(uv_handle_t *handle)
{
	struct parser_child *c = handle->data;

	if (--c->handles == 0) {
		free(c->body);
		free(c);
	}
}

static void
child_close_socket(struct parser_child *c)
{
	if (c->sock < 0)
		return;
	uv_close((uv_handle_t *)&c->poll, on_child_handle_closed);
	close(c->sock);
	c->sock = -1;
}

/* Lets the child go: its socket is closed and it is killed; its handles close as it ends. */
static void
child_release(struct parser_child *c)
{
	if (c->parser && c->parser->child == c)
		c->parser->child = NULL;
	c->parser = NULL;
	child_close_socket(c);
	if (!c->exited)
		uv_process_kill(&c->process, SIGKILL);
}

static void
on_child_exit(uv_process_t *process, int64_t status, int signal)
{
	struct parser_child *c = process->data;
	char why[80];

	c->exited = true;
	if (signal)
		snprintf(why, sizeof(why), "the checker stopped unexpectedly (signal %d)", signal);
	else
		snprintf(why, sizeof(why), "the checker stopped unexpectedly (exit status %d)",
		         (int)status);
	/* A child let go was killed on purpose; one that ends by itself was not. */
	if (c->parser) {
		log_warn("onward-parse[%d] (%s): %s", c->pid, c->parser->name, why + 12);
		child_lost(c->parser, -ECHILD, why);
	} else if (signal && signal != SIGKILL) {
		log_warn("onward-parse[%d]: ended by signal %d", c->pid, signal);
	}
	uv_close((uv_handle_t *)process, on_child_handle_closed);
}

static void
on_err_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *ret)
{
	static char buf[1024];

	(void)handle;
	(void)suggested;
	*ret = uv_buf_init(buf, sizeof(buf));
}

/* Its standard error, a line at a time into the log (long lines are cut). */
static void
on_err_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
	struct parser_child *c = stream->data;
	char clean[ERR_LINE_MAX * 2 + 8];

	if (n < 0) {
		uv_close((uv_handle_t *)stream, on_child_handle_closed);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf->base[i] != '\n' && c->line_len < ERR_LINE_MAX) {
			c->line[c->line_len++] = buf->base[i];
			continue;
		}
		if (buf->base[i] != '\n')
			continue; /* the rest of a long line */
		clean_line(c->line, c->line_len, clean, sizeof(clean));
		log_warn("onward-parse[%d]: %s", c->pid, clean);
		c->line_len = 0;
	}
}

/* ---- reading messages ---- */

static void
job_free(struct parser_job *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	free(j->out);
	free(j);
}

/* Ends the current call with what the child said (or a reason), then starts the next. */
static void
finish_current(struct parser *p, int r, const struct parser_reply *reply, const char *message)
{
	struct parser_job *j = p->current;

	p->current = NULL;
	uv_timer_stop(&p->timer);
	if (j)
		j->done(j->userdata, r, reply, message);
	job_free(j);
	pump(p);
}

/* TEST BUILDS ONLY: whether ONWARD_PARSE_WITHOUT asked for the child without its filter. */
static bool
seccomp_waived(void)
{
#ifdef ONWARD_TEST_HOOKS
	const char *without = secure_getenv("ONWARD_PARSE_WITHOUT");

	return without && strstr(without, "seccomp");
#else
	return false;
#endif
}

static bool
hello_ok(struct parser_child *c, json_t *json)
{
	json_t *walls = json_object_get(json, "walls");
	json_t *limits = json_object_get(json, "limits");
	json_int_t landlock = json_integer_value(json_object_get(walls, "landlock"));
	json_int_t memory = json_integer_value(json_object_get(limits, "address_space"));
	char landlock_words[32] = "no Landlock";

	/* The filter is the one wall the daemon will not do without (but in the arm64 tests
	 * under qemu-user, which cannot load one: child_env()). */
	if ((!json_is_true(json_object_get(walls, "seccomp")) && !seccomp_waived()) ||
	    !json_is_true(json_object_get(walls, "no_new_privs"))) {
		log_error("onward-parse[%d] came up without its seccomp filter; not using it",
		          c->pid);
		return false;
	}
	if (landlock > 0)
		snprintf(landlock_words, sizeof(landlock_words), "Landlock ABI %d", (int)landlock);
	log_info("onward-parse[%d] (%s) ready: seccomp filter, %s, no new privileges, %s", c->pid,
	         c->parser->name, landlock_words,
	         memory > 0 ? "address space limited" : "address space unlimited (sanitizers)");
	return true;
}

/* One whole message from the child; false when it broke the rules. */
static bool
handle_message(struct parser *p, struct parser_child *c)
{
	struct parser_job *j = p->current;
	json_error_t jerr;
	json_t *json = json_loadb(c->body, c->h.json_len, JSON_REJECT_DUPLICATES, &jerr);
	bool ok = json_is_object(json);

	if (ok && c->h.type == PARSE_MSG_HELLO) {
		ok = !c->ready && c->h.len == c->h.json_len && hello_ok(c, json);
		if (ok) {
			c->ready = true;
			uv_timer_stop(&p->timer);
			json_decref(json);
			pump(p);
			return true;
		}
	} else if (ok && (!c->ready || !j || c->h.id != j->id || j->out_sent < j->out_len)) {
		ok = false; /* nothing asked, or not this */
	} else if (ok && c->h.type == PARSE_MSG_PROGRESS) {
		json_t *done = json_object_get(json, "done"),
		       *total = json_object_get(json, "total");

		ok = json_is_integer(done) && json_is_integer(total) &&
		     json_integer_value(done) >= 0 &&
		     json_integer_value(done) <= json_integer_value(total);
		if (ok && j->progress)
			j->progress(j->userdata, (uint64_t)json_integer_value(done),
			            (uint64_t)json_integer_value(total));
	} else if (ok && c->h.type == PARSE_MSG_REPLY) {
		struct parser_reply reply = {json, (const uint8_t *)c->body + c->h.json_len,
		                             c->h.len - c->h.json_len};

		if (reply.raw_len == 0)
			reply.raw = NULL;
		finish_current(p, 0, &reply, NULL);
	} else if (ok && c->h.type == PARSE_MSG_ERROR) {
		json_t *code = json_object_get(json, "code");
		const char *text = json_string_value(json_object_get(json, "message"));
		char message[PARSER_MESSAGE_MAX + 1];

		ok = json_is_integer(code) && json_integer_value(code) < 0 &&
		     json_integer_value(code) > -4096 && text && c->h.len == c->h.json_len;
		if (ok) {
			clean_line(text, strlen(text), message, sizeof(message));
			finish_current(p, (int)json_integer_value(code), NULL, message);
		}
	} else {
		ok = false;
	}
	json_decref(json);
	return ok;
}

/* Reads what is there without waiting; false when the child is lost. */
static bool
child_read(struct parser *p, struct parser_child *c)
{
	for (;;) {
		union {
			char buf[CMSG_SPACE(4 * sizeof(int))];
			struct cmsghdr align;
		} control;
		bool in_head = c->head_got < PARSE_HEADER_LEN;
		struct iovec iov =
		        in_head ? (struct iovec){c->head + c->head_got,
		                                 PARSE_HEADER_LEN - c->head_got}
		                : (struct iovec){c->body + c->body_got, c->h.len - c->body_got};
		struct msghdr msg = {.msg_iov = &iov,
		                     .msg_iovlen = 1,
		                     .msg_control = control.buf,
		                     .msg_controllen = sizeof(control.buf)};
		ssize_t n;
		bool passed = false;

		if (iov.iov_len > 0) {
			n = recvmsg(c->sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				return true;
			/* The child never sends descriptors: any that came are closed. */
			for (struct cmsghdr *cm = n >= 0 ? CMSG_FIRSTHDR(&msg) : NULL; cm;
			     cm = CMSG_NXTHDR(&msg, cm)) {
				if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
					continue;
				for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
				     i++) {
					int fd;

					memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
					close(fd);
					passed = true;
				}
			}
			if (n <= 0 || passed || (msg.msg_flags & MSG_CTRUNC)) {
				child_lost(p, n == 0 ? -ECHILD : -EPROTO,
				           n == 0 ? "the checker stopped unexpectedly"
				                  : "the checker broke the message framing");
				return false;
			}
			if (in_head)
				c->head_got += (size_t)n;
			else
				c->body_got += (size_t)n;
		}
		if (in_head && c->head_got == PARSE_HEADER_LEN) {
			uint32_t max = PARSE_MSG_MAX;

			memcpy(&c->h, c->head, sizeof(c->h));
			/* Only a REPLY to the call the child is on may be larger, and only when
			 * its kind's replies may be (wire.h). */
			if (c->h.type == PARSE_MSG_REPLY && p->current && c->h.id == p->current->id)
				max = p->current->reply_max;
			/* Checked before anything is allocated for the body. */
			if (c->h.len > max || c->h.json_len > PARSE_MSG_MAX ||
			    c->h.json_len > c->h.len || c->h.json_len < 2 ||
			    c->h.type < PARSE_MSG_HELLO || c->h.type > PARSE_MSG_ERROR) {
				child_lost(p, -EPROTO, "the checker broke the message framing");
				return false;
			}
			c->body = malloc(c->h.len + 1);
			if (!c->body) {
				child_lost(p, -ENOMEM, "the service is out of memory");
				return false;
			}
			c->body_got = 0;
		}
		if (!in_head || c->head_got == PARSE_HEADER_LEN) {
			bool ok;

			if (c->body_got < c->h.len)
				continue;
			c->body[c->h.len] = '\0';
			c->head_got = 0;
			ok = handle_message(p, c);
			free(c->body);
			c->body = NULL;
			if (!ok) {
				child_lost(p, -EPROTO,
				           "the checker sent something that is not an "
				           "answer");
				return false;
			}
			/* The callback may have closed the parser or lost this child. */
			if (p->closed || p->child != c)
				return false;
		}
	}
}

/* ---- writing the current call ---- */

static void on_poll(uv_poll_t *handle, int status, int events);

static void
child_watch(struct parser_child *c, bool writable)
{
	uv_poll_start(&c->poll, UV_READABLE | (writable ? UV_WRITABLE : 0), on_poll);
}

/* Sends what it can of the current call; false when the child is lost. */
static bool
child_write(struct parser *p, struct parser_child *c)
{
	struct parser_job *j = p->current;

	while (j && j->out_sent < j->out_len) {
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		struct iovec iov = {j->out + j->out_sent, j->out_len - j->out_sent};
		struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n;

		if (j->fd >= 0 && j->out_sent == 0) {
			struct cmsghdr *cm;

			memset(&control, 0, sizeof(control));
			msg.msg_control = control.buf;
			msg.msg_controllen = sizeof(control.buf);
			cm = CMSG_FIRSTHDR(&msg);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &j->fd, sizeof(int));
		}
		n = sendmsg(c->sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			child_watch(c, true);
			return true;
		}
		if (n < 0) {
			child_lost(p, -ECHILD, "the checker stopped unexpectedly");
			return false;
		}
		/* Sent: our copy of the descriptor goes (imsg's rule). */
		if (j->fd >= 0) {
			close(j->fd);
			j->fd = -1;
		}
		j->out_sent += (size_t)n;
	}
	child_watch(c, false);
	return true;
}

static void
on_poll(uv_poll_t *handle, int status, int events)
{
	struct parser_child *c = handle->data;
	struct parser *p = c->parser;

	if (!p)
		return;
	if (status < 0) {
		child_lost(p, -ECHILD, "the checker stopped unexpectedly");
		return;
	}
	if ((events & UV_READABLE) && !child_read(p, c))
		return;
	if ((events & UV_WRITABLE) && p->child == c)
		(void)child_write(p, c);
}

/* ---- starting a child ---- */

/* The child's environment: nothing but, in some builds, what the tests need. */
static char **
child_env(void)
{
	static char *env[6];
	size_t n = 0;
#ifdef PARSER_SANITIZER_ENV
	{
		/* SANITIZER BUILDS ONLY: the runtimes' options, without LeakSanitizer, whose
		 * end-of-process check needs ptrace and /proc that the filter refuses (the
		 * tests check the child's leaks with its walls down: test-parse-walls). */
		const char *asan = secure_getenv("ASAN_OPTIONS");
		const char *ubsan = secure_getenv("UBSAN_OPTIONS");
		static char a[1024], u[1024];

		snprintf(a, sizeof(a), "ASAN_OPTIONS=%s%sdetect_leaks=0", asan ? asan : "",
		         asan ? ":" : "");
		env[n++] = a;
		if (ubsan) {
			snprintf(u, sizeof(u), "UBSAN_OPTIONS=%s", ubsan);
			env[n++] = u;
		}
	}
#endif
#ifdef ONWARD_TEST_HOOKS
	{
		/* TEST BUILDS ONLY: the fault hook (services/parse/probe.c). */
		const char *fault = secure_getenv("ONWARD_TEST_PARSE_FAULT");
		static char f[200];

		if (fault && strlen(fault) < 150) {
			snprintf(f, sizeof(f), "ONWARD_TEST_PARSE_FAULT=%s", fault);
			env[n++] = f;
		}
	}
	{
		/* TEST BUILDS ONLY: the arm64 tests under qemu-user (scripts/cross-build.sh).
		 * binfmt_misc's emulator finds arm64's loader under QEMU_LD_PREFIX, and qemu-user
		 * refuses a guest's seccomp filter (it would filter qemu's own calls), so there
		 * the child runs with the walls ONWARD_PARSE_WITHOUT names left down; the walls
		 * are proven on x86 (tests/sandbox/walls.sh) and on an arm64 kernel (the boot
		 * test). */
		static const char *const pass[] = {"QEMU_LD_PREFIX", "ONWARD_PARSE_WITHOUT"};
		static char kept[2][4200];

		for (size_t i = 0; i < 2; i++) {
			const char *v = secure_getenv(pass[i]);

			if (v && strlen(v) < 4096) {
				snprintf(kept[i], sizeof(kept[i]), "%s=%s", pass[i], v);
				env[n++] = kept[i];
			}
		}
	}
#endif
	env[n] = NULL;
	return env;
}

static void
on_timeout(uv_timer_t *timer)
{
	struct parser *p = timer->data;
	char message[120];

	if (!p->child)
		return;
	if (!p->child->ready) {
		log_error("onward-parse[%d] (%s) did not say it was ready within %d s; killed",
		          p->child->pid, p->name, HELLO_TIMEOUT_MS / 1000);
		child_lost(p, -ENOEXEC, "the checker could not be started");
		return;
	}
	snprintf(message, sizeof(message), "checking it took longer than %u seconds",
	         (p->timeout_override_ms ? p->timeout_override_ms
	          : p->current           ? p->current->timeout_ms
	                                 : 0) /
	                 1000);
	log_warn("onward-parse[%d] (%s): %s; killed", p->child->pid, p->name, message);
	child_lost(p, -ETIMEDOUT, message);
}

static int
child_spawn(struct parser *p)
{
	static const char path[] = ONWARD_PARSE_PATH;
	char *args[] = {(char *)(uintptr_t)path, NULL};
	uv_stdio_container_t stdio[4];
	uv_process_options_t options = {0};
	struct parser_child *c = calloc(1, sizeof(*c));
	int sv[2], r;

	if (!c)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		r = -errno;
		free(c);
		return r;
	}
	c->parser = p;
	c->sock = sv[0];
	c->process.data = c;
	c->err.data = c;
	c->poll.data = c;
	uv_pipe_init(p->srv->loop, &c->err, 0);
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_IGNORE;
	stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[2].data.stream = (uv_stream_t *)&c->err;
	stdio[3].flags = UV_INHERIT_FD;
	stdio[3].data.fd = sv[1];
	options.file = path;
	options.args = args;
	options.env = child_env();
	options.stdio = stdio;
	options.stdio_count = 4;
	options.exit_cb = on_child_exit;
	r = uv_spawn(p->srv->loop, &c->process, &options);
	close(sv[1]);
	c->handles = 2; /* the process and its standard error */
	if (r < 0) {
		log_error("cannot start %s: %s", path, uv_strerror(r));
		close(sv[0]);
		c->sock = -1;
		c->parser = NULL;
		c->exited = true;
		uv_close((uv_handle_t *)&c->err, on_child_handle_closed);
		uv_close((uv_handle_t *)&c->process, on_child_handle_closed);
		return r;
	}
	c->pid = c->process.pid;
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0 ||
	    uv_poll_init(p->srv->loop, &c->poll, sv[0]) < 0) {
		child_release(c);
		return -EIO;
	}
	c->handles++;
	uv_read_start((uv_stream_t *)&c->err, on_err_alloc, on_err_read);
	p->child = c;
	child_watch(c, false);
	uv_timer_start(&p->timer, on_timeout, HELLO_TIMEOUT_MS, 0);
	return 0;
}

/* Fails every waiting call (not the running one), without starting a child for them. */
static void
fail_waiting(struct parser *p, int r, const char *message)
{
	struct parser_job *list = p->queue;

	p->queue = NULL;
	p->tail = &p->queue;
	p->waiting = 0;
	while (list) {
		struct parser_job *j = list;

		list = j->next;
		j->done(j->userdata, r, NULL, message);
		job_free(j);
	}
}

/* The child is gone or no longer trusted: the running call fails, the next starts anew. */
static void
child_lost(struct parser *p, int r, const char *message)
{
	struct parser_child *c = p->child;
	bool was_ready = c && c->ready;

	if (c)
		child_release(c);
	uv_timer_stop(&p->timer);
	/* One that never became ready fails what waits: a child that cannot start is not
	 * started again and again. */
	if (!was_ready)
		fail_waiting(p, -ENOEXEC, "the checker could not be started");
	if (p->current)
		finish_current(p, r, NULL, message); /* and the next call gets a new child */
	else
		pump(p);
}

/* Starts the next call, and a child for it when there is none. */
static void
pump(struct parser *p)
{
	struct parser_job *j;

	if (p->closed || p->current || !p->queue)
		return;
	if (!p->child) {
		if (child_spawn(p) < 0)
			fail_waiting(p, -ENOEXEC, "the checker could not be started");
		return;
	}
	if (!p->child->ready)
		return;
	j = p->queue;
	p->queue = j->next;
	p->waiting--;
	if (!p->queue)
		p->tail = &p->queue;
	j->next = NULL;
	p->current = j;
	uv_timer_start(&p->timer, on_timeout,
	               p->timeout_override_ms ? p->timeout_override_ms : j->timeout_ms, 0);
	(void)child_write(p, p->child);
}

/* ---- the interface ---- */

static void
on_kick(uv_timer_t *timer)
{
	pump(timer->data);
}

int
parser_new(struct server *srv, const char *name, struct parser **ret_parser)
{
	struct parser *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->srv = srv;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->tail = &p->queue;
	uv_timer_init(srv->loop, &p->timer);
	uv_timer_init(srv->loop, &p->kick);
	p->timer.data = p->kick.data = p;
	p->handles = 2;
#ifdef ONWARD_TEST_HOOKS
	{
		/* TEST BUILDS ONLY: shorter limits, so a test can see one pass. */
		const char *ms = secure_getenv("ONWARD_TEST_PARSE_TIMEOUT_MS");

		if (ms)
			p->timeout_override_ms = (unsigned)strtoul(ms, NULL, 10);
	}
#endif
	*ret_parser = p;
	return 0;
}

int
parser_start(struct parser *p, char *ret_error, size_t size)
{
	struct parser_child *c;
	int r = child_spawn(p), waited = 0;

	if (r < 0) {
		snprintf(ret_error, size, "cannot start %s: %s", ONWARD_PARSE_PATH, uv_strerror(r));
		return r;
	}
	c = p->child;
	/* Only here, once, at the daemon's start, does anything wait: for the HELLO. */
	while (p->child == c && !c->ready && waited < HELLO_TIMEOUT_MS) {
		struct pollfd pfd = {c->sock, POLLIN, 0};

		if (poll(&pfd, 1, 100) > 0)
			(void)child_read(p, c);
		waited += 100;
	}
	if (p->child == c && c->ready)
		return 0;
	/* Its own words say why (the loop, which would log them, is not running yet). */
	for (int i = 0; i < 10 && !uv_is_closing((uv_handle_t *)&c->err); i++) {
		uv_os_fd_t fd;
		struct pollfd pfd;
		char buf[1024];
		ssize_t n;

		if (uv_fileno((uv_handle_t *)&c->err, &fd) < 0)
			break;
		pfd = (struct pollfd){fd, POLLIN, 0};
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		on_err_read((uv_stream_t *)&c->err, n, &(uv_buf_t){.base = buf, .len = (size_t)n});
	}
	if (p->child == c)
		child_release(c);
	snprintf(ret_error, size,
	         "%s did not start or could not build its walls (see its words above)",
	         ONWARD_PARSE_PATH);
	return -ECHILD;
}

int
parser_call(struct parser *p, const char *kind, json_t *params, int fd, unsigned timeout_ms,
            parser_progress_fn progress, parser_done_fn done, void *userdata)
{
	struct parser_job *j = NULL;
	char *text = NULL;
	size_t len;
	int r = 0;

	if (p->closed)
		r = -ECANCELED;
	else if (p->waiting >= PARSER_QUEUE_MAX)
		r = -EBUSY;
	else if (!params || json_object_set_new(params, "kind", json_string(kind)) < 0 ||
	         !(text = json_dumps(params, JSON_COMPACT)) || !(j = calloc(1, sizeof(*j))) ||
	         !(j->out = malloc(PARSE_HEADER_LEN + strlen(text))))
		r = -ENOMEM;
	else if (strlen(text) > PARSE_MSG_MAX)
		r = -EFBIG;
	if (r < 0) {
		if (j)
			free(j->out);
		free(j);
		free(text);
		json_decref(params);
		if (fd >= 0)
			close(fd);
		return r;
	}
	len = strlen(text);
	j->id = ++p->next_id;
	memcpy(j->out,
	       &(struct parse_header){PARSE_MSG_REQUEST, j->id, (uint32_t)len, (uint32_t)len},
	       PARSE_HEADER_LEN);
	memcpy(j->out + PARSE_HEADER_LEN, text, len);
	j->out_len = PARSE_HEADER_LEN + len;
	j->fd = fd;
	j->reply_max =
	        strcmp(kind, PARSE_KIND_LARGE_REPLY) == 0 ? PARSE_REPLY_LARGE_MAX : PARSE_MSG_MAX;
	j->timeout_ms = timeout_ms;
	j->progress = progress;
	j->done = done;
	j->userdata = userdata;
	free(text);
	json_decref(params);
	*p->tail = j;
	p->tail = &j->next;
	p->waiting++;
	/* From the loop: a caller never sees its done function run inside this call. */
	uv_timer_start(&p->kick, on_kick, 0, 0);
	return 0;
}

size_t
parser_pending(const struct parser *p)
{
	return p->waiting + (p->current != NULL);
}

static void
on_parser_timer_closed(uv_handle_t *handle)
{
	struct parser *p = handle->data;

	if (--p->handles == 0)
		free(p);
}

void
parser_close(struct parser *p)
{
	if (!p || p->closed)
		return;
	p->closed = true;
	if (p->child)
		child_release(p->child);
	if (p->current)
		finish_current(p, -ECANCELED, NULL, "the service is stopping");
	fail_waiting(p, -ECANCELED, "the service is stopping");
	uv_close((uv_handle_t *)&p->timer, on_parser_timer_closed);
	uv_close((uv_handle_t *)&p->kick, on_parser_timer_closed);
}
