/*
 * test-hostile-daemon: a stand-in for onward-policyd that answers the shell with replies
 * the real daemon never sends, one kind per connection, for e2e_hostile.sh. It is a mock
 * because the real daemon cannot be made to misbehave; it speaks the same framing (JSON
 * objects ended by a NUL) on a socket given as its only argument.
 *
 *   connection 0: Login gets bytes that are not JSON
 *   connection 1: Login gets a reply of the wrong shape (then Logout is answered);
 *                 the next Login gets an error with a 100 KB message and a reply to
 *                 nothing after it
 *   connection 2: Login gets "descriptor": true without a descriptor
 *   connection 3: Login gets a frame over the client's 1 MiB limit
 *   connection 4 and later: Login succeeds; Shell.Home has good and broken tiles
 * Service.GetInfo is always answered properly, so the shell sees a daemon come back.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#define PERSON "{\"prison_number\":\"A1234BC\",\"given_name\":\"Sam\",\"family_name\":\"Jones\"}"

static void
send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

/* Sends text and its NUL. */
static void
reply(int fd, const char *text)
{
	send_all(fd, text, strlen(text) + 1);
}

static void
reply_big_message(int fd, size_t n)
{
	const char *head = "{\"error\":\"onward.LoginFailed\",\"parameters\":{\"message\":\"";
	char *buf = malloc(strlen(head) + n + 8);

	if (!buf)
		exit(1);
	strcpy(buf, head);
	memset(buf + strlen(head), 'x', n);
	strcpy(buf + strlen(head) + n, "\"}}");
	reply(fd, buf);
	free(buf);
}

static void
answer(int fd, int conn, int *logins, const char *method)
{
	if (strcmp(method, "onward.Service.GetInfo") == 0) {
		reply(fd,
		      "{\"parameters\":{\"service\":\"onward-policyd\",\"version\":\"hostile\"}}");
		return;
	}
	if (strcmp(method, "onward.Session.Logout") == 0) {
		reply(fd, "{\"parameters\":{}}");
		return;
	}
	if (strcmp(method, "onward.Shell.Home") == 0) {
		reply(fd, "{\"parameters\":{\"person\":" PERSON ",\"tiles\":["
		          "{\"app\":\"good\",\"title\":\"Good tile\",\"allowed\":true,\"badge\":2},"
		          "{\"app\":\"shut\",\"title\":\"Shut tile\",\"allowed\":false,"
		          "\"reason\":\"Shut for a test.\"},"
		          "{\"app\":\"BAD\",\"title\":\"Bad name\",\"allowed\":true},"
		          "{\"app\":\"badtype\",\"title\":[\"Bad type\"],\"allowed\":true},"
		          "{\"app\":\"badctl\",\"title\":\"Bad\\u0001control\",\"allowed\":true},"
		          "{\"app\":\"badallowed\",\"title\":\"Bad allowed\",\"allowed\":1},"
		          "17, null],"
		          "\"next_appointment\":{\"at\":\"2026-11-24T10:00:00Z\",\"kind\":"
		          "\"Education\"},"
		          "\"banners\":\"not a list\"}}");
		return;
	}
	if (strcmp(method, "onward.Session.Login") != 0) {
		reply(fd,
		      "{\"error\":\"onward.MethodNotFound\",\"parameters\":{\"message\":\"No.\"}}");
		return;
	}
	(*logins)++;
	switch (conn) {
	case 0:
		reply(fd, "this is not JSON at all");
		break;
	case 1:
		if (*logins == 1) {
			reply(fd, "{\"parameters\":{\"session\":5,\"person\":\"Sam\"}}");
		} else {
			reply_big_message(fd, 100 * 1024);
			reply(fd, "{\"parameters\":{\"unasked\":true}}");
		}
		break;
	case 2:
		reply(fd, "{\"parameters\":{\"session\":\"abc\",\"descriptor\":true}}");
		break;
	case 3:
		reply_big_message(fd, 2 * 1024 * 1024);
		break;
	default:
		reply(fd,
		      "{\"parameters\":{\"session\":\"0123456789abcdef\",\"person\":" PERSON "}}");
		break;
	}
}

static void
serve(int fd, int conn)
{
	static char buf[1 << 16];
	size_t len = 0;
	int logins = 0;

	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);
		char *nul;

		if (n <= 0)
			return;
		len += (size_t)n;
		while ((nul = memchr(buf, '\0', len))) {
			json_t *call = json_loads(buf, 0, NULL);
			const char *method = json_string_value(json_object_get(call, "method"));

			answer(fd, conn, &logins, method ? method : "");
			json_decref(call);
			len -= (size_t)(nul + 1 - buf);
			memmove(buf, nul + 1, len);
		}
		if (len == sizeof(buf))
			return;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int l;

	if (argc != 2 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: test-hostile-daemon SOCKET\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(l, 8) < 0) {
		perror("test-hostile-daemon");
		return 1;
	}
	for (int conn = 0;; conn++) {
		int c = accept(l, NULL, NULL);

		if (c < 0)
			continue;
		serve(c, conn);
		close(c);
	}
}
