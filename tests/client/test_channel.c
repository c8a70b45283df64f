/*
 * The channel (services/client/channel.h) against a real peer: the other end of a
 * socketpair, written and read by the test as the daemon would, and driven by a poll()
 * loop the way a program's loop drives it. Replies in order, error replies, a reply to
 * nothing, a reply too many, a call past its deadline (and the late reply that must not
 * reach the next call), the peer closing mid-reply and before a call is written, replies of
 * exactly the maximum size and one byte over, descriptors taken, left and promised but not
 * sent, a channel freed or closed from inside a callback, the limits on calls, and what the
 * loop is told. The blocking client_call() is checked alongside, unchanged, and the one
 * reader of a reply's strings, client_read_text().
 */
#include "channel.h"
#include "check.h"
#include "client.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* What the loop was told through the watch function. */
struct loop {
	short events;
	int timeout_ms;
	unsigned told;
	bool stopped; /* told events 0: no word may follow */
};

/* What became of one call. */
struct result {
	unsigned called;
	unsigned seq; /* the order the callbacks ran in, from 1 */
	int status;
	char error[64];
	json_int_t n; /* the reply's "n" parameter, or -1 */
	bool take_fd; /* the callback takes the descriptor */
	int fd; /* what it took, or -1 */
	int close_now; /* a reason: the callback closes the channel with it */
	bool free_now; /* the callback frees the channel */
	bool call_again; /* the callback makes another call, into `again` */
	struct result *again;
};

struct closed {
	unsigned count;
	int reason;
};

static unsigned seq;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_watch(struct channel *ch, short events, int timeout_ms, void *userdata)
{
	struct loop *lp = userdata;

	CHECK(!lp->stopped);
	lp->events = events;
	lp->timeout_ms = timeout_ms;
	lp->told++;
	if (events == 0)
		lp->stopped = true;
}

static void
on_close(struct channel *ch, int reason, void *userdata)
{
	struct closed *c = userdata;

	c->count++;
	c->reason = reason;
}

static void
on_reply(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct result *res = userdata;

	res->called++;
	res->seq = ++seq;
	res->status = status;
	res->n = -1;
	CHECK(status == 0 ? reply != NULL : reply == NULL);
	if (reply) {
		CHECK(json_is_object(reply->parameters));
		snprintf(res->error, sizeof(res->error), "%s", reply->error ? reply->error : "");
		if (json_is_integer(json_object_get(reply->parameters, "n")))
			res->n = json_integer_value(json_object_get(reply->parameters, "n"));
		if (res->take_fd) {
			res->fd = reply->fd;
			reply->fd = -1;
		}
	}
	if (res->call_again)
		CHECK_INT(channel_call(ch, "onward.Test.Again", NULL, on_reply, res->again), 0);
	if (res->close_now)
		channel_close(ch, res->close_now);
	if (res->free_now)
		channel_free(ch);
}

/* A channel on one end of a socketpair, watched by lp; the peer's end in *ret_peer. */
static struct channel *
pair(struct loop *lp, struct closed *c, int *ret_peer)
{
	struct channel *ch;
	int sv[2];

	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	CHECK_INT(channel_new(sv[0], &ch), 0);
	*lp = (struct loop){0};
	*c = (struct closed){0};
	channel_set_watch(ch, on_watch, lp);
	channel_set_on_close(ch, on_close, c);
	CHECK_INT(lp->told, 1);
	CHECK_INT(lp->events, POLLIN);
	CHECK_INT(lp->timeout_ms, -1);
	*ret_peer = sv[1];
	return ch;
}

/* One turn of a poll() loop, as a program's: waits for what the channel asked, at most
 * max_ms, then lets it process what came. */
static void
turn(struct channel *ch, struct loop *lp, int max_ms)
{
	struct pollfd pfd = {.fd = channel_fd(ch), .events = lp->events};
	int wait = lp->timeout_ms < 0 || lp->timeout_ms > max_ms ? max_ms : lp->timeout_ms;
	int n = poll(&pfd, 1, wait);

	CHECK(n >= 0);
	channel_process(ch, n > 0 ? pfd.revents : 0);
}

/* Turns until `done` is true or the channel has closed, for at most 5 s. */
#define RUN_UNTIL(ch, lp, done)                                                                    \
	do {                                                                                       \
		int64_t until_ = now_ms() + 5000;                                                  \
		while (!(done) && !(lp)->stopped) {                                                \
			CHECK(now_ms() < until_);                                                  \
			turn((ch), (lp), 100);                                                     \
		}                                                                                  \
	} while (0)

/* Reads one call from the peer's end and returns its method (static buffer). */
static const char *
peer_read_call(int peer)
{
	static char buf[PROTO_MAX_REQUEST + 1];
	static char method[PROTO_MAX_METHOD + 1];
	size_t len = 0;
	json_t *call;

	for (;;) {
		ssize_t n = read(peer, buf + len, 1);

		CHECK(n == 1);
		if (buf[len] == '\0')
			break;
		len++;
		CHECK(len < sizeof(buf));
	}
	call = json_loads(buf, 0, NULL);
	CHECK(call != NULL);
	snprintf(method, sizeof(method), "%s", json_string_value(json_object_get(call, "method")));
	json_decref(call);
	return method;
}

static void
peer_send(int peer, const char *text)
{
	size_t len = strlen(text) + 1;

	CHECK_INT(send(peer, text, len, MSG_NOSIGNAL), len);
}

/* Sends text with descriptor fd attached, as the daemon passes an app's channel. */
static void
peer_send_fd(int peer, const char *text, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = {0};
	char data[256];
	struct iovec iov = {.iov_base = data, .iov_len = strlen(text) + 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;

	CHECK(iov.iov_len <= sizeof(data));
	memcpy(data, text, iov.iov_len);

	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	CHECK_INT(sendmsg(peer, &msg, MSG_NOSIGNAL), iov.iov_len);
}

static void
test_order(void)
{
	struct loop lp;
	struct closed c;
	struct result r[3] = {0};
	int peer;
	struct channel *ch = pair(&lp, &c, &peer);

	test_step("replies go to the calls in the order the calls were made");
	seq = 0;
	CHECK_INT(channel_call(ch, "onward.Test.One", NULL, on_reply, &r[0]), 0);
	CHECK(lp.events & POLLOUT);
	CHECK(lp.timeout_ms > CHANNEL_TIMEOUT_MS - 1000 && lp.timeout_ms <= CHANNEL_TIMEOUT_MS);
	CHECK_INT(channel_call(ch, "onward.Test.Two", json_pack("{s:i}", "k", 2), on_reply, &r[1]),
	          0);
	CHECK_INT(channel_call(ch, "onward.Test.Three", NULL, on_reply, &r[2]), 0);
	CHECK_INT(channel_pending(ch), 3);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.One");
	CHECK_STR(peer_read_call(peer), "onward.Test.Two");
	CHECK_STR(peer_read_call(peer), "onward.Test.Three");
	/* The daemon answers in order; the content does not matter to the matching. */
	peer_send(peer, "{\"parameters\":{\"n\":1}}");
	peer_send(peer,
	          "{\"error\":\"onward.PermissionDenied\",\"parameters\":{\"message\":\"No.\"}}");
	peer_send(peer, "{\"parameters\":{\"n\":3}}");
	RUN_UNTIL(ch, &lp, r[2].called);
	for (int i = 0; i < 3; i++) {
		CHECK_INT(r[i].called, 1);
		CHECK_INT(r[i].seq, i + 1);
		CHECK_INT(r[i].status, 0);
	}
	CHECK_INT(r[0].n, 1);
	CHECK_STR(r[1].error, "onward.PermissionDenied");
	CHECK_INT(r[2].n, 3);
	CHECK_INT(channel_pending(ch), 0);
	CHECK_INT(lp.events, POLLIN);
	CHECK_INT(lp.timeout_ms, -1);
	CHECK(channel_is_open(ch));
	CHECK_INT(c.count, 0);

	test_step("a callback may make the next call");
	{
		struct result first = {.call_again = true}, second = {0};

		first.again = &second;
		CHECK_INT(channel_call(ch, "onward.Test.First", NULL, on_reply, &first), 0);
		RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
		CHECK_STR(peer_read_call(peer), "onward.Test.First");
		peer_send(peer, "{\"parameters\":{\"n\":10}}");
		RUN_UNTIL(ch, &lp, first.called && !(lp.events & POLLOUT));
		CHECK_STR(peer_read_call(peer), "onward.Test.Again");
		peer_send(peer, "{\"parameters\":{\"n\":11}}");
		RUN_UNTIL(ch, &lp, second.called);
		CHECK_INT(first.n, 10);
		CHECK_INT(second.n, 11);
	}

	test_step("a call with no callback: its reply is read and dropped");
	CHECK_INT(channel_call(ch, "onward.Test.Quiet", NULL, NULL, NULL), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.Quiet");
	peer_send(peer, "{\"parameters\":{}}");
	RUN_UNTIL(ch, &lp, channel_pending(ch) == 0);
	CHECK(channel_is_open(ch));

	test_step("freeing an open channel tells the loop, and no callback runs");
	{
		struct result never = {0};

		CHECK_INT(channel_call(ch, "onward.Test.Never", NULL, on_reply, &never), 0);
		channel_free(ch);
		CHECK(lp.stopped);
		CHECK_INT(never.called, 0);
		CHECK_INT(c.count, 0);
	}
	close(peer);
}

static void
test_unsolicited(void)
{
	struct loop lp;
	struct closed c;
	struct result r = {0}, late = {0};
	int peer;
	struct channel *ch = pair(&lp, &c, &peer);

	test_step("a reply when no call waits closes the channel with -EPROTO");
	peer_send(peer, "{\"parameters\":{\"n\":1}}");
	RUN_UNTIL(ch, &lp, false);
	CHECK(lp.stopped);
	CHECK_INT(c.count, 1);
	CHECK_INT(c.reason, -EPROTO);
	CHECK(!channel_is_open(ch));
	CHECK_INT(channel_close_reason(ch), -EPROTO);
	CHECK_INT(channel_fd(ch), -1);
	CHECK_INT(channel_events(ch), 0);
	CHECK_INT(channel_call(ch, "onward.Test.After", json_object(), on_reply, &late), -ENOTCONN);
	CHECK_INT(late.called, 0);
	CHECK_STR(channel_strerror(-EPROTO), "a reply came that no call was waiting for");
	channel_free(ch);
	close(peer);

	test_step("one reply too many: the answered call keeps its reply, then -EPROTO");
	ch = pair(&lp, &c, &peer);
	CHECK_INT(channel_call(ch, "onward.Test.One", NULL, on_reply, &r), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.One");
	peer_send(peer, "{\"parameters\":{\"n\":1}}");
	peer_send(peer, "{\"parameters\":{\"n\":2}}");
	RUN_UNTIL(ch, &lp, false);
	CHECK_INT(r.called, 1);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.n, 1);
	CHECK_INT(c.count, 1);
	CHECK_INT(c.reason, -EPROTO);
	channel_free(ch);
	close(peer);
}

static void
test_timeout(void)
{
	struct loop lp;
	struct closed c;
	struct result slow = {0}, behind = {0};
	char byte;
	int peer;
	struct channel *ch = pair(&lp, &c, &peer);
	int64_t start = now_ms();

	test_step("a call past its deadline ends with -ETIMEDOUT and closes the channel");
	CHECK_INT(channel_call_timeout(ch, "onward.Test.Slow", NULL, 150, on_reply, &slow), 0);
	CHECK(lp.timeout_ms >= 0 && lp.timeout_ms <= 150);
	CHECK_INT(channel_call(ch, "onward.Test.Behind", NULL, on_reply, &behind), 0);
	/* The nearest deadline is the slow call's, though the other was made later. */
	CHECK(lp.timeout_ms <= 150);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.Slow");
	CHECK_STR(peer_read_call(peer), "onward.Test.Behind");
	RUN_UNTIL(ch, &lp, false);
	CHECK(now_ms() - start >= 150);
	CHECK_INT(slow.called, 1);
	CHECK_INT(slow.status, -ETIMEDOUT);
	/* The call behind it was in time: the connection went under it. */
	CHECK_INT(behind.called, 1);
	CHECK_INT(behind.status, -ECONNABORTED);
	CHECK(slow.seq < behind.seq);
	CHECK_INT(c.count, 1);
	CHECK_INT(c.reason, -ETIMEDOUT);

	test_step("the late reply reaches nobody: the connection is closed");
	CHECK_INT(read(peer, &byte, 1), 0);
	CHECK_INT(send(peer, "{\"parameters\":{}}", 18, MSG_NOSIGNAL), -1);
	CHECK_INT(errno, EPIPE);
	channel_free(ch);
	close(peer);

	test_step("a reply waiting in the socket at the deadline is still taken");
	ch = pair(&lp, &c, &peer);
	slow = (struct result){0};
	CHECK_INT(channel_call_timeout(ch, "onward.Test.Slow", NULL, 50, on_reply, &slow), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.Slow");
	peer_send(peer, "{\"parameters\":{\"n\":5}}");
	usleep(80 * 1000);
	channel_process(ch, 0); /* as a loop's timer would */
	CHECK_INT(slow.status, 0);
	CHECK_INT(slow.n, 5);
	CHECK(channel_is_open(ch));
	channel_free(ch);
	close(peer);

	test_step("a deadline must be positive");
	ch = pair(&lp, &c, &peer);
	CHECK_INT(channel_call_timeout(ch, "onward.Test.X", json_object(), 0, on_reply, &slow),
	          -EINVAL);
	CHECK_INT(channel_call_timeout(ch, "onward.Test.X", NULL, -1, on_reply, &slow), -EINVAL);
	CHECK_INT(channel_pending(ch), 0);
	channel_free(ch);
	close(peer);
}

static void
test_peer_closes(void)
{
	struct loop lp;
	struct closed c;
	struct result r = {0}, second = {0};
	int peer;
	struct channel *ch = pair(&lp, &c, &peer);

	test_step("the peer closes mid-reply: every call waiting ends with -EPIPE");
	CHECK_INT(channel_call(ch, "onward.Test.One", NULL, on_reply, &r), 0);
	CHECK_INT(channel_call(ch, "onward.Test.Two", NULL, on_reply, &second), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.One");
	CHECK_INT(send(peer, "{\"parameters\":{\"n\":", 19, MSG_NOSIGNAL), 19);
	close(peer);
	RUN_UNTIL(ch, &lp, false);
	CHECK_INT(r.status, -EPIPE);
	CHECK_INT(second.status, -EPIPE);
	CHECK_INT(c.reason, -EPIPE);
	CHECK_INT(c.count, 1);
	channel_free(ch);

	test_step("the peer is gone before the call is written: -EPIPE");
	ch = pair(&lp, &c, &peer);
	close(peer);
	r = (struct result){0};
	CHECK_INT(channel_call(ch, "onward.Test.One", NULL, on_reply, &r), 0);
	RUN_UNTIL(ch, &lp, false);
	CHECK_INT(r.called, 1);
	CHECK_INT(r.status, -EPIPE);
	CHECK_INT(c.reason, -EPIPE);
	channel_free(ch);
}

/* Sends a reply whose text is exactly len bytes (NUL not counted), feeding the channel as
 * the socket fills; returns when the channel has taken it or closed. */
static void
send_sized_reply(struct channel *ch, struct loop *lp, int peer, size_t len, struct result *r)
{
	const char *head = "{\"parameters\":{\"s\":\"", *tail = "\"}}";
	char *text = malloc(len + 1);
	size_t off = 0;
	int64_t until = now_ms() + 10000;

	CHECK(text != NULL);
	memcpy(text, head, strlen(head));
	memset(text + strlen(head), 'x', len - strlen(head) - strlen(tail));
	memcpy(text + len - strlen(tail), tail, strlen(tail) + 1);
	CHECK_INT(fcntl(peer, F_SETFL, O_NONBLOCK), 0);
	while (!r->called && !lp->stopped) {
		CHECK(now_ms() < until);
		if (off <= len) {
			ssize_t n = send(peer, text + off, len + 1 - off, MSG_NOSIGNAL);

			if (n > 0)
				off += (size_t)n;
			else
				CHECK(errno == EAGAIN || errno == EPIPE);
		}
		turn(ch, lp, 10);
	}
	free(text);
}

static void
test_sizes(void)
{
	struct loop lp;
	struct closed c;
	struct result r = {0};
	int peer;
	struct channel *ch = pair(&lp, &c, &peer);

	test_step("a reply of exactly PROTO_MAX_REPLY bytes is taken");
	CHECK_INT(channel_call(ch, "onward.Test.Big", NULL, on_reply, &r), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.Big");
	send_sized_reply(ch, &lp, peer, PROTO_MAX_REPLY, &r);
	CHECK_INT(r.called, 1);
	CHECK_INT(r.status, 0);
	CHECK(channel_is_open(ch));
	channel_free(ch);
	close(peer);

	test_step("one byte over: -EMSGSIZE, and the channel closes");
	ch = pair(&lp, &c, &peer);
	r = (struct result){0};
	CHECK_INT(channel_call(ch, "onward.Test.Big", NULL, on_reply, &r), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.Big");
	send_sized_reply(ch, &lp, peer, PROTO_MAX_REPLY + 1, &r);
	CHECK_INT(r.called, 1);
	CHECK_INT(r.status, -EMSGSIZE);
	CHECK_INT(c.reason, -EMSGSIZE);
	channel_free(ch);
	close(peer);

	test_step("a call over PROTO_MAX_REQUEST is refused before it is queued");
	ch = pair(&lp, &c, &peer);
	{
		char *big = malloc(PROTO_MAX_REQUEST + 1);

		CHECK(big != NULL);
		memset(big, 'y', PROTO_MAX_REQUEST);
		big[PROTO_MAX_REQUEST] = '\0';
		CHECK_INT(channel_call(ch, "onward.Test.Big", json_pack("{s:s}", "s", big),
		                       on_reply, &r),
		          -EMSGSIZE);
		free(big);
	}
	CHECK_INT(channel_pending(ch), 0);
	CHECK(channel_is_open(ch));

	test_step("CHANNEL_MAX_CALLS in flight, then -EBUSY; a NULL channel: -ENOTCONN");
	for (int i = 0; i < CHANNEL_MAX_CALLS; i++)
		CHECK_INT(channel_call(ch, "onward.Test.Many", NULL, NULL, NULL), 0);
	CHECK_INT(channel_call(ch, "onward.Test.Many", json_object(), NULL, NULL), -EBUSY);
	CHECK_INT(channel_pending(ch), CHANNEL_MAX_CALLS);
	CHECK_INT(channel_call(NULL, "onward.Test.None", json_object(), NULL, NULL), -ENOTCONN);
	CHECK(!channel_is_open(NULL));
	channel_free(ch);
	channel_free(NULL);
	close(peer);
}

static void
test_descriptors(void)
{
	struct loop lp;
	struct closed c;
	struct result r = {.take_fd = true, .fd = -1}, left = {0}, missing = {0};
	char buf[8];
	int peer, p[2];
	struct channel *ch = pair(&lp, &c, &peer);

	test_step("a reply with a descriptor: the callback takes it");
	CHECK_INT(pipe(p), 0);
	CHECK_INT(channel_call(ch, "onward.App.Open", NULL, on_reply, &r), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.App.Open");
	peer_send_fd(peer, "{\"parameters\":{\"descriptor\":true,\"n\":7}}", p[1]);
	close(p[1]); /* the sender closes its copy once sent */
	RUN_UNTIL(ch, &lp, r.called);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.n, 7);
	CHECK(r.fd >= 0);
	CHECK(fcntl(r.fd, F_GETFD) & FD_CLOEXEC);
	CHECK_INT(write(r.fd, "hi", 2), 2);
	CHECK_INT(read(p[0], buf, sizeof(buf)), 2);
	CHECK(memcmp(buf, "hi", 2) == 0);
	close(r.fd);
	CHECK_INT(read(p[0], buf, sizeof(buf)), 0); /* no copy of the write end is left */
	close(p[0]);

	test_step("a descriptor nobody takes is closed after the callback");
	CHECK_INT(pipe(p), 0);
	CHECK_INT(channel_call(ch, "onward.App.Open", NULL, on_reply, &left), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.App.Open");
	peer_send_fd(peer, "{\"parameters\":{\"descriptor\":true}}", p[1]);
	close(p[1]);
	RUN_UNTIL(ch, &lp, left.called);
	CHECK_INT(left.status, 0);
	CHECK_INT(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);

	test_step("a descriptor promised but not sent: -EBADMSG");
	CHECK_INT(channel_call(ch, "onward.App.Open", NULL, on_reply, &missing), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.App.Open");
	peer_send(peer, "{\"parameters\":{\"descriptor\":true}}");
	RUN_UNTIL(ch, &lp, false);
	CHECK_INT(missing.status, -EBADMSG);
	CHECK_INT(c.reason, -EBADMSG);
	channel_free(ch);
	close(peer);

	test_step("bytes that are not a reply: -EBADMSG");
	ch = pair(&lp, &c, &peer);
	missing = (struct result){0};
	CHECK_INT(channel_call(ch, "onward.Test.One", NULL, on_reply, &missing), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.One");
	peer_send(peer, "this is not JSON");
	RUN_UNTIL(ch, &lp, false);
	CHECK_INT(missing.status, -EBADMSG);
	channel_free(ch);
	close(peer);
}

static void
test_callbacks_end_it(void)
{
	struct loop lp;
	struct closed c;
	struct result first = {.free_now = true}, second = {0};
	int peer;
	struct channel *ch = pair(&lp, &c, &peer);

	test_step("a callback frees the channel: nothing more is called, nothing leaks");
	CHECK_INT(channel_call(ch, "onward.Test.One", NULL, on_reply, &first), 0);
	CHECK_INT(channel_call(ch, "onward.Test.Two", NULL, on_reply, &second), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.One");
	CHECK_STR(peer_read_call(peer), "onward.Test.Two");
	peer_send(peer, "{\"parameters\":{\"n\":1}}");
	peer_send(peer, "{\"parameters\":{\"n\":2}}");
	while (!first.called) {
		struct pollfd pfd = {.fd = channel_fd(ch), .events = lp.events};

		CHECK_INT(poll(&pfd, 1, 5000), 1);
		channel_process(ch, pfd.revents); /* frees ch in the first callback */
	}
	CHECK(lp.stopped);
	CHECK_INT(second.called, 0);
	CHECK_INT(c.count, 0);
	close(peer);

	test_step("a callback closes the channel: the others end with its reason");
	first = (struct result){.close_now = -ECANCELED};
	second = (struct result){0};
	ch = pair(&lp, &c, &peer);
	CHECK_INT(channel_call(ch, "onward.Test.One", NULL, on_reply, &first), 0);
	CHECK_INT(channel_call(ch, "onward.Test.Two", NULL, on_reply, &second), 0);
	RUN_UNTIL(ch, &lp, !(lp.events & POLLOUT));
	CHECK_STR(peer_read_call(peer), "onward.Test.One");
	peer_send(peer, "{\"parameters\":{\"n\":1}}");
	RUN_UNTIL(ch, &lp, false);
	CHECK_INT(first.status, 0);
	CHECK_INT(second.status, -ECANCELED);
	CHECK_INT(c.count, 1);
	CHECK_INT(c.reason, -ECANCELED);
	channel_close(ch, -EIO); /* closed already: nothing happens */
	CHECK_INT(c.count, 1);
	channel_free(ch);
	close(peer);
}

/* The blocking half keeps its meaning for onwardctl and the tests. */
static void
test_client_call(void)
{
	struct client *cl;
	struct client_reply reply = {.fd = -1};
	int sv[2];
	int64_t start;

	test_step("client_call() still waits, and gives up at its timeout");
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	CHECK_INT(client_adopt(sv[0], &cl), 0);
	start = now_ms();
	CHECK_INT(client_call(cl, "onward.Test.One", NULL, 100, &reply), -ETIMEDOUT);
	CHECK(now_ms() - start >= 100);
	CHECK_STR(peer_read_call(sv[1]), "onward.Test.One");
	peer_send(sv[1], "{\"parameters\":{\"n\":1}}");
	CHECK_INT(client_receive(cl, &reply), 0);
	CHECK_INT(json_integer_value(json_object_get(reply.parameters, "n")), 1);
	client_reply_release(&reply);
	client_free(cl);
	close(sv[1]);
}

/* The one reader of a reply's strings that the shell and every app use. */
static void
test_read_text(void)
{
	json_t *o = json_loads("{\"ok\":\"abcd\",\"nul\":\"a\\u0000b\",\"ctl\":\"a\\u0001\","
	                       "\"del\":\"a\\u007f\",\"nl\":\"a\\nb\",\"num\":4,\"null\":null}",
	                       JSON_ALLOW_NUL, NULL);
	char buf[8];

	test_step("client_read_text(): at the limit, over it, and every kind of bad string");
	CHECK(o != NULL);
	CHECK_INT(client_read_text(o, "ok", CLIENT_TEXT_REQUIRED, buf, 4), 0);
	CHECK_STR(buf, "abcd");
	CHECK_INT(client_read_text(o, "ok", 0, buf, 3), -EBADMSG);
	CHECK_STR(buf, "");
	CHECK_INT(client_read_text(o, "nul", 0, buf, 7), -EBADMSG);
	CHECK_INT(client_read_text(o, "ctl", 0, buf, 7), -EBADMSG);
	CHECK_INT(client_read_text(o, "del", 0, buf, 7), -EBADMSG);
	CHECK_INT(client_read_text(o, "nl", 0, buf, 7), -EBADMSG);
	CHECK_INT(client_read_text(o, "nl", CLIENT_TEXT_MULTILINE, buf, 7), 0);
	CHECK_STR(buf, "a\nb");
	CHECK_INT(client_read_text(o, "num", 0, buf, 7), -EBADMSG);
	CHECK_INT(client_read_text(o, "null", 0, buf, 7), 0);
	CHECK_STR(buf, "");
	CHECK_INT(client_read_text(o, "null", CLIENT_TEXT_REQUIRED, buf, 7), -EBADMSG);
	CHECK_INT(client_read_text(o, "absent", 0, buf, 7), 0);
	CHECK_INT(client_read_text(o, "absent", CLIENT_TEXT_REQUIRED, buf, 7), -EBADMSG);
	CHECK_INT(client_read_text(NULL, "ok", 0, buf, 7), 0);
	json_decref(o);
}

int
main(void)
{
	test_order();
	test_unsolicited();
	test_timeout();
	test_peer_closes();
	test_sizes();
	test_descriptors();
	test_callbacks_end_it();
	test_client_call();
	test_read_text();
	printf("channel: ok\n");
	return 0;
}
