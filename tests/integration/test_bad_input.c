/*
 * Hostile input on the daemon's real sockets: an oversized frame, a frame with no end
 * then a close, invalid JSON, invalid UTF-8, an empty frame, deep nesting, wrong types,
 * unknown methods and fields, admin methods on the control socket, a descriptor passed
 * in, a peer that never reads its replies, and 1,000 connections opened and dropped.
 * Afterwards the daemon answers a valid request, holds no extra descriptors, and the
 * store's records are exactly as before.
 */
#include "check.h"
#include "daemon.h"
#include "proto.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static struct test_daemon d;

static int
raw_connect(const char *name)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	CHECK(fd >= 0);
	CHECK(strlen(d.dir) + strlen(name) + 2 <= sizeof(addr.sun_path));
	strcpy(addr.sun_path, d.dir);
	strcat(addr.sun_path, "/");
	strcat(addr.sun_path, name);
	CHECK(connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	return fd;
}

static void
send_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return; /* the daemon may already have hung up: that is what some tests want
			         */
		p += n;
		len -= (size_t)n;
	}
}

/* Reads one NUL-terminated reply (up to 5 s); returns it parsed, or NULL on EOF. */
static json_t *
read_reply(int fd)
{
	static char buf[1 << 16];
	size_t used = 0;

	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		ssize_t n;

		CHECK(poll(&pfd, 1, 5000) == 1);
		n = recv(fd, buf + used, 1, 0);
		if (n == 0)
			return NULL;
		CHECK(n == 1);
		if (buf[used] == '\0')
			return json_loads(buf, 0, NULL);
		used++;
		CHECK(used < sizeof(buf));
	}
}

/* True if the daemon has closed fd (EOF within 5 s, after any replies). */
static bool
closed_by_daemon(int fd)
{
	char buf[4096];

	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&pfd, 1, 5000) != 1)
			return false;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return true;
	}
}

static void
expect_error_reply(int fd, const char *error, const char *message_part)
{
	json_t *reply = read_reply(fd);

	CHECK(reply != NULL);
	CHECK_STR(json_string_value(json_object_get(reply, "error")), error);
	CHECK_CONTAINS(
	        json_string_value(json_object_get(json_object_get(reply, "parameters"), "message")),
	        message_part);
	json_decref(reply);
}

static void
send_frame(int fd, const char *text)
{
	send_all(fd, text, strlen(text) + 1);
}

/* The records staff can see, as one JSON text, to compare before and after. */
static char *
snapshot(void)
{
	json_t *all = json_object();
	char *text;

	json_object_set_new(all, "people", daemon_admin_ok(&d, "onward.Person.List", NULL));
	json_object_set_new(all, "contacts",
	                    daemon_admin_ok(&d, "onward.Contact.List",
	                                    json_pack("{s:s}", "prison_number", "A1234BC")));
	json_object_set_new(all, "staff", daemon_admin_ok(&d, "onward.Staff.List", NULL));
	json_object_set_new(all, "apps", daemon_admin_ok(&d, "onward.App.List", NULL));
	text = json_dumps(all, JSON_SORT_KEYS);
	json_decref(all);
	return text;
}

static int
daemon_fd_count(void)
{
	char path[64];
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)d.pid);
	dir = opendir(path);
	CHECK(dir != NULL);
	while (readdir(dir))
		n++;
	closedir(dir);
	return n;
}

/*
 * A valid call is answered. Right after a flood the daemon may still be closing dropped
 * connections and answer "onward.Busy" (its connection limit); that must clear within 2 s.
 */
static void
valid_call_works(void)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		struct client *c = daemon_connect_admin(&d);
		struct client_reply r;
		int rc = client_call(c, "onward.Service.GetInfo", NULL, 5000, &r);

		client_free(c);
		if (rc == 0 && !r.error) {
			CHECK_STR(json_string_value(json_object_get(r.parameters, "service")),
			          "onward-policyd");
			client_reply_release(&r);
			return;
		}
		if (rc == 0) {
			CHECK_STR(r.error, "onward.Busy");
			client_reply_release(&r);
		}
		usleep(20000);
	}
	check_failed(__FILE__, __LINE__, "the daemon did not answer a valid call afterwards");
}

int
main(void)
{
	char pin[16], *before, *after;
	int fd, fds_before;

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	json_decref(daemon_admin_ok(&d, "onward.Contact.Add",
	                            json_pack("{s:s, s:s, s:s}", "prison_number", "A1234BC", "name",
	                                      "Jo Jones", "relation", "mother")));
	before = snapshot();
	fds_before = daemon_fd_count();

	test_step("oversized frame: told why, then disconnected");
	{
		size_t n = PROTO_MAX_REQUEST + 100;
		char *big = malloc(n);

		memset(big, 'x', n);
		fd = raw_connect("control.sock");
		send_all(fd, big, n);
		expect_error_reply(fd, "onward.MessageTooLarge", "too large");
		CHECK(closed_by_daemon(fd));
		close(fd);
		/* Exactly at the limit is still accepted (and answered as bad JSON). */
		fd = raw_connect("control.sock");
		big[PROTO_MAX_REQUEST] = '\0';
		send_all(fd, big, PROTO_MAX_REQUEST + 1);
		expect_error_reply(fd, "onward.InvalidRequest", "not valid JSON");
		close(fd);
		free(big);
	}
	valid_call_works();

	test_step("a frame with no terminator, then close");
	fd = raw_connect("control.sock");
	send_all(fd, "{\"method\": \"onward.Service.Get", 30);
	close(fd);
	fd = raw_connect("admin.sock");
	send_all(fd, "{\"method\": \"onward.Person.Add\", \"parameters\": {\"as\": \"adm", 55);
	close(fd);
	valid_call_works();

	test_step("invalid JSON, invalid UTF-8, an empty frame, deep nesting: answered, kept open");
	fd = raw_connect("control.sock");
	send_frame(fd, "{\"method\": ");
	expect_error_reply(fd, "onward.InvalidRequest", "not valid JSON");
	send_frame(fd,
	           "{\"method\":\"onward.Service.GetInfo\",\"parameters\":{\"x\":\"\xff\xfe\"}}");
	expect_error_reply(fd, "onward.InvalidRequest", "not valid JSON");
	send_frame(fd, "{\"method\":\"onward.Session.Login\",\"parameters\":"
	               "{\"prison_number\":\"A1234BC\",\"pin\":\"\xc0\xaf\"}}");
	expect_error_reply(fd, "onward.InvalidRequest", "not valid JSON");
	send_frame(fd, "");
	expect_error_reply(fd, "onward.InvalidRequest", "not valid JSON");
	{
		char nested[6001];

		memset(nested, '[', 3000);
		memset(nested + 3000, ']', 3000);
		nested[6000] = '\0';
		send_frame(fd, nested);
		expect_error_reply(fd, "onward.InvalidRequest", "not valid JSON");
	}
	send_frame(fd, "[\"onward.Service.GetInfo\"]");
	expect_error_reply(fd, "onward.InvalidRequest", "must be a JSON object");
	send_frame(fd, "{\"method\":\"onward.Service.GetInfo\",\"parameters\":{},\"more\":true}");
	expect_error_reply(fd, "onward.InvalidRequest", "unknown field 'more'");
	send_frame(fd,
	           "{\"method\":\"onward.Service.GetInfo\",\"method\":\"onward.Service.GetInfo\"}");
	expect_error_reply(fd, "onward.InvalidRequest", "not valid JSON");
	send_frame(fd, "{\"method\":\"Service.GetInfo\"}");
	expect_error_reply(fd, "onward.InvalidRequest", "is not a method name");
	send_frame(fd, "{\"method\":\"onward.Service.GetInfo\",\"parameters\":[]}");
	expect_error_reply(fd, "onward.InvalidRequest", "parameters must be a JSON object");

	test_step("wrong types, unknown methods and parameters");
	send_frame(fd, "{\"method\":\"onward.Session.Login\",\"parameters\":"
	               "{\"prison_number\":\"A1234BC\",\"pin\":1234}}");
	expect_error_reply(fd, "onward.InvalidParameter", "parameter 'pin' must be a string");
	send_frame(fd, "{\"method\":\"onward.Session.Login\",\"parameters\":"
	               "{\"prison_number\":\"A1234BC\"}}");
	expect_error_reply(fd, "onward.InvalidParameter", "parameter 'pin' is missing");
	send_frame(fd, "{\"method\":\"onward.Session.Login\",\"parameters\":"
	               "{\"prison_number\":\"A1234BC\",\"pin\":\"1234\",\"admin\":true}}");
	expect_error_reply(fd, "onward.InvalidParameter", "unknown parameter 'admin'");
	send_frame(fd,
	           "{\"method\":\"onward.Session.Login\",\"parameters\":"
	           "{\"prison_number\":\"A1234BCAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"pin\":\"1234\"}}");
	expect_error_reply(fd, "onward.InvalidParameter", "too long");
	send_frame(fd, "{\"method\":\"onward.Nothing.Here\"}");
	expect_error_reply(fd, "onward.MethodNotFound", "no method called 'onward.Nothing.Here'");
	send_frame(fd,
	           "{\"method\":\"onward.Person.Add\",\"parameters\":{\"as\":\"admin\","
	           "\"prison_number\":\"C3456DE\",\"given_name\":\"X\",\"family_name\":\"Y\"}}");
	expect_error_reply(fd, "onward.MethodNotFound", "no method called 'onward.Person.Add'");
	close(fd);
	fd = raw_connect("admin.sock");
	send_frame(fd, "{\"method\":\"onward.Contact.Approve\",\"parameters\":"
	               "{\"id\":\"1\"}}");
	expect_error_reply(fd, "onward.InvalidParameter", "parameter 'id' must be a whole number");
	send_frame(fd, "{\"method\":\"onward.Contact.Approve\",\"parameters\":"
	               "{\"id\":-5}}");
	expect_error_reply(fd, "onward.InvalidParameter", "must be from 1 to");
	send_frame(
	        fd,
	        "{\"method\":\"onward.Contact.Add\",\"parameters\":{"
	        "\"prison_number\":\"A1234BC\",\"name\":\"Bad\\u0007Name\",\"relation\":\"x\"}}");
	expect_error_reply(fd, "onward.InvalidParameter", "contact's name");
	/* Nobody acts by claiming a name; a session that is not one is refused. */
	send_frame(fd, "{\"method\":\"onward.Person.List\",\"parameters\":{\"as\":\"admin\"}}");
	expect_error_reply(fd, "onward.InvalidParameter", "unknown parameter 'as'");
	send_frame(fd, "{\"method\":\"onward.Person.List\",\"parameters\":"
	               "{\"staff_session\":\"ADMIN\"}}");
	expect_error_reply(fd, "onward.NotLoggedIn", "not a staff session");
	send_frame(fd, "{\"method\":\"onward.Person.List\",\"parameters\":{"
	               "\"limit\":100000}}");
	expect_error_reply(fd, "onward.InvalidParameter", "must be from 1 to 1000");
	close(fd);

	test_step("a descriptor passed in is closed, not used");
	{
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		const char *frame = "{\"method\":\"onward.Service.GetInfo\"}";
		struct iovec iov = {(void *)(uintptr_t)frame, strlen(frame) + 1};
		struct msghdr msg = {.msg_iov = &iov,
		                     .msg_iovlen = 1,
		                     .msg_control = control.buf,
		                     .msg_controllen = sizeof(control.buf)};
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		int passed = open("/dev/null", O_RDONLY);
		json_t *reply;

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &passed, sizeof(int));
		fd = raw_connect("control.sock");
		CHECK(sendmsg(fd, &msg, 0) > 0);
		close(passed);
		reply = read_reply(fd);
		if (reply) /* answered, or hung up on: either way the descriptor is not kept */
			json_decref(reply);
		close(fd);
	}
	valid_call_works();

	test_step("a peer that never reads its replies is cut off; others are served meanwhile");
	{
		const char *call = "{\"method\":\"onward.Service.GetInfo\"}";
		size_t one = strlen(call) + 1, count = 120000, n = one * count;
		char *flood = malloc(n);
		int64_t start;
		struct timespec ts;

		for (size_t i = 0; i < count; i++)
			memcpy(flood + i * one, call, one);
		fd = raw_connect("control.sock");
		CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0);
		/* Write as much as the daemon will take without ever reading a reply. */
		for (size_t off = 0; off < n;) {
			ssize_t w = send(fd, flood + off, n - off, MSG_NOSIGNAL);

			if (w < 0 && errno == EAGAIN) {
				struct pollfd pfd = {fd, POLLOUT, 0};

				if (poll(&pfd, 1, 2000) == 0)
					break;
				continue;
			}
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		start = ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		valid_call_works();
		clock_gettime(CLOCK_MONOTONIC, &ts);
		CHECK(ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - start < 2000);
		CHECK(fcntl(fd, F_SETFL, 0) == 0);
		CHECK(closed_by_daemon(fd));
		close(fd);
		free(flood);
	}

	test_step("1,000 connections opened and dropped");
	{
		struct rlimit rl;
		int open_fds[250];

		getrlimit(RLIMIT_NOFILE, &rl);
		for (int round = 0; round < 4; round++) {
			for (int i = 0; i < 250; i++) {
				open_fds[i] = raw_connect(i % 2 ? "control.sock" : "admin.sock");
				if (i % 3 == 0)
					send_all(open_fds[i], "{\"meth", 6);
			}
			for (int i = 0; i < 250; i++)
				close(open_fds[i]);
		}
	}
	valid_call_works();

	test_step("afterwards: same descriptors, same records, a valid login works");
	for (int i = 0; i < 100 && daemon_fd_count() > fds_before; i++)
		usleep(20000);
	CHECK(daemon_fd_count() <= fds_before);
	after = snapshot();
	CHECK_STR(after, before);
	{
		struct client *c = daemon_connect_control(&d);
		struct client_reply r;

		daemon_call(c, "onward.Session.Login",
		            json_pack("{s:s, s:s}", "prison_number", "A1234BC", "pin", pin), &r);
		CHECK(r.error == NULL);
		client_reply_release(&r);
		client_free(c);
	}
	free(before);
	free(after);
	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-bad-input: OK\n");
	return 0;
}
