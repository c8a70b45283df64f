/*
 * onward-parse's walls, each proven from inside: "test-parse-walls NAME" starts the real
 * onward-parse as the daemon does (a socket pair as descriptor 3, nothing else, a clean
 * environment) and sends it the test hook "test.probe" (services/parse/probe.c), which
 * tries one forbidden thing: open the daemon's store or device secret by path, make a
 * socket, connect to the daemon or the network, execute a program, fork, write a file.
 * With every wall up the seccomp filter must kill the child (SIGSYS) before the attempt
 * does anything; with the filter left down (--without seccomp, test builds only) Landlock
 * alone must refuse it (EACCES), so each wall is shown to hold on its own. A case that needs
 * what this kernel lacks prints "SKIP wall ...: reason" and exits 77. Also: the real
 * daemon's own child is checked from outside (/proc: its filter, no new privileges, only
 * its four descriptors, an empty environment, and the parsers mapped there and not in the
 * daemon); broken frames end the child without an answer; the person bundle and directory
 * kinds answer with every wall up, a record's reply past the frame limit included; and
 * every request kind runs with the walls down, so a sanitizer build checks the child's code
 * for leaks too.
 */
#include "check.h"
#include "bundle.h"
#include "crypto.h"
#include "daemon.h"
#include "fixture.h"
#include "pack_int.h"
#include "run.h"
#include "wire.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SKIPPED 77
#define TIMEOUT_MS 20000

struct child {
	pid_t pid;
	int sock;
	json_t *hello; /* owned */
	uint8_t *raw; /* owned: the raw bytes after the last message's JSON, or NULL */
	size_t raw_len;
};

/* Starts onward-parse as the daemon does, with `without` walls down (or NULL). */
static void
child_start(const char *without, bool leak_check, struct child *ret)
{
	int sv[2];
	pid_t pid;

	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		const char *bin = run_bin("onward-parse");
		/* Sanitizer builds: LeakSanitizer cannot run under the filter (it needs ptrace
		 * and /proc); with every wall down it can, and does. */
		static char on[] = "ASAN_OPTIONS=detect_leaks=1",
		            off[] = "ASAN_OPTIONS=detect_leaks=0";
		char *env[] = {leak_check ? on : off, NULL};
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(sv[1], PARSE_CHILD_FD);
		if (without)
			execle(bin, bin, "--without", without, (char *)NULL, env);
		else
			execle(bin, bin, (char *)NULL, env);
		_exit(127);
	}
	close(sv[1]);
	ret->pid = pid;
	ret->sock = sv[0];
	ret->hello = NULL;
	ret->raw = NULL;
	ret->raw_len = 0;
}

/* Reads one message: 1 with it, 0 at the end of the stream. */
static int
child_read(struct child *c, struct parse_header *ret_h, json_t **ret_json)
{
	char *body;
	size_t got = 0;
	struct pollfd pfd = {c->sock, POLLIN, 0};

	CHECK(poll(&pfd, 1, TIMEOUT_MS) == 1);
	while (got < sizeof(*ret_h)) {
		ssize_t n = recv(c->sock, (char *)ret_h + got, sizeof(*ret_h) - got, 0);

		/* The end: closed, or reset when it went with our bytes unread. */
		if ((n == 0 || (n < 0 && errno == ECONNRESET)) && got == 0)
			return 0;
		CHECK(n > 0);
		got += (size_t)n;
	}
	/* One kind's reply may be larger (wire.h): its raw bytes are kept for the test. */
	CHECK(ret_h->len <=
	      (ret_h->type == PARSE_MSG_REPLY ? PARSE_REPLY_LARGE_MAX : PARSE_MSG_MAX));
	CHECK(ret_h->json_len <= PARSE_MSG_MAX && ret_h->json_len <= ret_h->len);
	body = malloc(ret_h->len + 1);
	CHECK(body != NULL);
	for (got = 0; got < ret_h->len;) {
		ssize_t n = recv(c->sock, body + got, ret_h->len - got, 0);

		CHECK(n > 0);
		got += (size_t)n;
	}
	*ret_json = json_loadb(body, ret_h->json_len, 0, NULL);
	free(c->raw);
	c->raw_len = ret_h->len - ret_h->json_len;
	c->raw = malloc(c->raw_len + 1);
	CHECK(c->raw != NULL);
	memcpy(c->raw, body + ret_h->json_len, c->raw_len);
	free(body);
	CHECK(*ret_json != NULL);
	return 1;
}

static void
child_hello(struct child *c)
{
	struct parse_header h;

	CHECK_INT(child_read(c, &h, &c->hello), 1);
	CHECK_INT(h.type, PARSE_MSG_HELLO);
}

static void
send_raw(struct child *c, const void *data, size_t len, const int *fds, size_t nfds)
{
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = {(void *)(uintptr_t)data, len};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

	if (nfds) {
		struct cmsghdr *cm;

		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	CHECK(sendmsg(c->sock, &msg, MSG_NOSIGNAL) == (ssize_t)len);
}

/* A header and its body in one write: the child may end at the header and close. */
static void
send_frame(struct child *c, struct parse_header h, const char *body, const int *fds, size_t nfds)
{
	char buf[PARSE_HEADER_LEN + 64];

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, strlen(body));
	send_raw(c, buf, sizeof(h) + strlen(body), fds, nfds);
}

/* Sends a request (params stolen) with an optional descriptor (closed here). */
static void
child_send(struct child *c, uint32_t id, json_t *params, int fd)
{
	char *text = json_dumps(params, JSON_COMPACT);
	size_t len = strlen(text);
	char *msg = malloc(PARSE_HEADER_LEN + len);
	struct parse_header h = {PARSE_MSG_REQUEST, id, (uint32_t)len, (uint32_t)len};

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + PARSE_HEADER_LEN, text, len);
	send_raw(c, msg, PARSE_HEADER_LEN + len, &fd, fd >= 0 ? 1 : 0);
	if (fd >= 0)
		close(fd);
	free(msg);
	free(text);
	json_decref(params);
}

/* The answer to request id (progress skipped): its type, and its JSON (the caller's). */
static uint32_t
child_answer(struct child *c, uint32_t id, json_t **ret_json)
{
	struct parse_header h;

	for (;;) {
		CHECK_INT(child_read(c, &h, ret_json), 1);
		CHECK_INT(h.id, id);
		if (h.type != PARSE_MSG_PROGRESS)
			return h.type;
		json_decref(*ret_json);
	}
}

/* Ends the child (closing the socket) and returns its status as a shell would. */
static int
child_end(struct child *c)
{
	int status;

	close(c->sock);
	CHECK(waitpid(c->pid, &status, 0) == c->pid);
	json_decref(c->hello);
	free(c->raw);
	c->raw = NULL;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static int
landlock_abi(void)
{
	struct child c;
	int abi;

	child_start(NULL, false, &c);
	child_hello(&c);
	abi = (int)json_integer_value(
	        json_object_get(json_object_get(c.hello, "walls"), "landlock"));
	CHECK_INT(child_end(&c), 0);
	return abi;
}

static void
need_landlock(int abi, const char *what)
{
	int have = landlock_abi();

	if (have < abi) {
		printf("SKIP wall landlock (%s): this kernel offers Landlock ABI %d, this needs "
		       "%d\n",
		       what, have, abi);
		exit(SKIPPED);
	}
}

/* Runs one probe; with seccomp up the child must die by SIGSYS before answering. */
static void
probe_killed(json_t *probe)
{
	struct child c;
	struct parse_header h;
	json_t *json = NULL;

	child_start(NULL, false, &c);
	child_hello(&c);
	child_send(&c, 1, probe, -1);
	CHECK_INT(child_read(&c, &h, &json), 0); /* no answer: it was killed */
	CHECK_INT(child_end(&c), 128 + SIGSYS);
}

/* Runs one probe with the filter down; Landlock alone must give want. */
static void
probe_refused(json_t *probe, const char *want)
{
	struct child c;
	json_t *json;

	child_start("seccomp", false, &c);
	child_hello(&c);
	CHECK(json_is_false(json_object_get(json_object_get(c.hello, "walls"), "seccomp")));
	child_send(&c, 1, probe, -1);
	CHECK_INT(child_answer(&c, 1, &json), PARSE_MSG_REPLY);
	CHECK_STR(json_string_value(json_object_get(json, "result")), want);
	json_decref(json);
	CHECK_INT(child_end(&c), 0);
}

/* A real daemon's state directory, for its store and device secret. */
static struct test_daemon d;

static void
daemon_up(void)
{
	daemon_make(&d, NULL);
	daemon_start(&d);
}

static json_t *
open_probe(const char *file)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/%s", d.dir, file);
	CHECK(access(path, R_OK) == 0); /* the test itself can: the child must not */
	return json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "open", "path", path);
}

/* --- the cases ------------------------------------------------------------------------- */

static void
hello(void)
{
	struct child c;
	json_t *walls, *limits;

	child_start(NULL, false, &c);
	child_hello(&c);
	walls = json_object_get(c.hello, "walls");
	limits = json_object_get(c.hello, "limits");
	CHECK(json_is_true(json_object_get(walls, "seccomp")));
	CHECK(json_is_true(json_object_get(walls, "no_new_privs")));
	CHECK_INT(json_integer_value(json_object_get(limits, "core")), 0);
	CHECK_INT(json_integer_value(json_object_get(limits, "file_size")), 0);
	CHECK_INT(json_integer_value(json_object_get(limits, "files")), 16);
#ifndef PARSE_WALLS_SANITIZER_BUILD
	CHECK_INT(json_integer_value(json_object_get(limits, "address_space")), 1 << 30);
#endif
	printf("walls: seccomp, Landlock ABI %d\n",
	       (int)json_integer_value(json_object_get(walls, "landlock")));
	CHECK_INT(child_end(&c), 0);
}

static void
store_seccomp(void)
{
	daemon_up();
	probe_killed(open_probe("store.db"));
	probe_killed(open_probe("device.secret"));
	daemon_remove(&d);
}

static void
store_landlock(void)
{
	need_landlock(1, "files");
	daemon_up();
	probe_refused(open_probe("store.db"), "EACCES");
	probe_refused(open_probe("device.secret"), "EACCES");
	probe_refused(json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "open", "path",
	                        "/etc/hostname"),
	              "EACCES");
	daemon_remove(&d);
}

static void
network_seccomp(void)
{
	char path[300];

	daemon_up();
	snprintf(path, sizeof(path), "%s/control.sock", d.dir);
	probe_killed(json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "socket", "family",
	                       "inet"));
	probe_killed(json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "socket", "family",
	                       "unix"));
	probe_killed(
	        json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "connect", "path", path));
	daemon_remove(&d);
}

static void
network_landlock(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr = {htonl(INADDR_LOOPBACK)}};
	socklen_t len = sizeof(a);
	int fd;

	need_landlock(4, "TCP");
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	CHECK_INT(listen(fd, 4), 0);
	CHECK_INT(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	probe_refused(json_pack("{s:s, s:s, s:i}", "kind", "test.probe", "try", "connect_tcp",
	                        "port", ntohs(a.sin_port)),
	              "EACCES");
	close(fd);
}

static void
exec_seccomp(void)
{
	probe_killed(json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "exec", "path",
	                       "/bin/true"));
	probe_killed(json_pack("{s:s, s:s}", "kind", "test.probe", "try", "fork"));
}

static void
exec_landlock(void)
{
	need_landlock(1, "execute");
	probe_refused(json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "exec", "path",
	                        "/bin/true"),
	              "EACCES");
}

static void
write_seccomp(void)
{
	char path[300];

	daemon_up();
	snprintf(path, sizeof(path), "%s/planted", d.dir);
	probe_killed(
	        json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "write", "path", path));
	CHECK(access(path, F_OK) < 0);
	daemon_remove(&d);
}

static void
write_landlock(void)
{
	char path[300];

	need_landlock(1, "files");
	daemon_up();
	snprintf(path, sizeof(path), "%s/planted", d.dir);
	probe_refused(
	        json_pack("{s:s, s:s, s:s}", "kind", "test.probe", "try", "write", "path", path),
	        "EACCES");
	CHECK(access(path, F_OK) < 0);
	daemon_remove(&d);
}

/*
 * The pid of the daemon's pages child: its only child at rest. Others come and go (the one
 * reading the services directory at start, one per import), so this waits, a few seconds
 * at most, until exactly one is alive.
 */
static pid_t
daemon_child(pid_t daemon)
{
	for (int tries = 0; tries < 500; tries++) {
		DIR *proc = opendir("/proc");
		struct dirent *de;
		pid_t found = 0;
		int n = 0;

		CHECK(proc != NULL);
		while ((de = readdir(proc))) {
			char path[300], stat[512], *p, state;
			FILE *f;
			int ppid;

			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;
			if (fgets(stat, sizeof(stat), f) && (p = strrchr(stat, ')')) &&
			    sscanf(p + 2, "%c %d", &state, &ppid) == 2 && ppid == daemon &&
			    state != 'Z' && strstr(stat, "(onward-parse)")) {
				found = (pid_t)atoi(de->d_name);
				n++;
			}
			fclose(f);
		}
		closedir(proc);
		if (n == 1)
			return found;
		usleep(10000);
	}
	return 0;
}

static void
daemon_child_case(void)
{
	char path[300];
	struct dirent *de;
	size_t fds = 0, env_len = 0;
	pid_t child;
	DIR *dir;
	FILE *f;
	int ch;

	daemon_up();
	child = daemon_child(d.pid);
	CHECK(child > 0);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)child);
	CHECK(test_file_has(path, "Seccomp:\t2"));
	CHECK(test_file_has(path, "NoNewPrivs:\t1"));
	/* Standard input, output, error and its socket: no store, no secret, no listener. */
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)child);
	dir = opendir(path);
	CHECK(dir != NULL);
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.') {
			CHECK(atoi(de->d_name) <= 3);
			fds++;
		}
	closedir(dir);
	CHECK_INT(fds, 4);
	/* Nothing of the daemon's environment (sanitizer builds pass only their options). */
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)child);
	f = fopen(path, "r");
	CHECK(f != NULL);
	while ((ch = fgetc(f)) != EOF)
		env_len++;
	fclose(f);
#ifdef PARSE_WALLS_SANITIZER_BUILD
	CHECK(!test_file_has(path, "ONWARD_") && !test_file_has(path, "PATH="));
#else
	CHECK_INT(env_len, 0);
#endif
	/* The parsers are mapped in the child, never in the daemon that holds the keys. */
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)child);
	CHECK(test_file_has(path, "libzip") && test_file_has(path, "libpng") &&
	      test_file_has(path, "libmd4c"));
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)d.pid);
	CHECK(!test_file_has(path, "libzip") && !test_file_has(path, "libpng") &&
	      !test_file_has(path, "libmd4c"));
	daemon_remove(&d);
}

/* Broken frames end the child without an answer; bad requests get an ERROR. */
static void
frames(void)
{
	struct child c;
	struct parse_header h;
	json_t *json;
	int fds[2];

	/* A body longer than the limit: refused before anything is allocated. */
	child_start(NULL, false, &c);
	child_hello(&c);
	h = (struct parse_header){PARSE_MSG_REQUEST, 1, PARSE_MSG_MAX + 1, PARSE_MSG_MAX + 1};
	send_raw(&c, &h, sizeof(h), NULL, 0);
	CHECK_INT(child_read(&c, &h, &json), 0);
	CHECK_INT(child_end(&c), 1);
	/* A message only the child may send. */
	child_start(NULL, false, &c);
	child_hello(&c);
	send_frame(&c, (struct parse_header){PARSE_MSG_REPLY, 1, 2, 2}, "{}", NULL, 0);
	CHECK_INT(child_read(&c, &h, &json), 0);
	CHECK_INT(child_end(&c), 1);
	/* Two descriptors with one request. */
	child_start(NULL, false, &c);
	child_hello(&c);
	CHECK_INT(pipe(fds), 0);
	send_frame(&c, (struct parse_header){PARSE_MSG_REQUEST, 1, 2, 2}, "{}", fds, 2);
	close(fds[0]);
	close(fds[1]);
	CHECK_INT(child_read(&c, &h, &json), 0);
	CHECK_INT(child_end(&c), 1);
	/* Requests that make no sense are answered, and the child goes on. */
	child_start(NULL, false, &c);
	child_hello(&c);
	send_frame(&c, (struct parse_header){PARSE_MSG_REQUEST, 7, 5, 5}, "[1,2]", NULL, 0);
	CHECK_INT(child_answer(&c, 7, &json), PARSE_MSG_ERROR);
	CHECK_STR(json_string_value(json_object_get(json, "message")),
	          "the request is not a JSON object");
	json_decref(json);
	child_send(&c, 8, json_pack("{s:s}", "kind", "pack.unheard-of"), -1);
	CHECK_INT(child_answer(&c, 8, &json), PARSE_MSG_ERROR);
	CHECK_STR(json_string_value(json_object_get(json, "message")), "unknown request kind");
	json_decref(json);
	child_send(&c, 9, json_pack("{s:s}", "kind", "pack.page"), -1);
	CHECK_INT(child_answer(&c, 9, &json), PARSE_MSG_ERROR);
	CHECK_STR(json_string_value(json_object_get(json, "message")),
	          "no file came with the request");
	json_decref(json);
	CHECK_INT(child_end(&c), 0);
}

static int
open_bytes(struct fx *fx, const char *name, const void *data, size_t len)
{
	char path[400];
	int fd;

	fx_write(fx->dir, name, data, len);
	snprintf(path, sizeof(path), "%s/%s", fx->dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	return fd;
}

/* Every kind, good and bad, with the walls down: sanitizer builds check for leaks at exit. */
/* A memfd holding data, as the daemon passes a payload (the caller sends and closes it). */
static int
memfd_with(const void *data, size_t len)
{
	int fd = memfd_create("test-record", MFD_CLOEXEC);

	CHECK(fd >= 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	return fd;
}

/* Sends kind with params and data in a memfd; the answer's type (its JSON to the caller). */
static uint32_t
ask(struct child *c, uint32_t *id, const char *kind, json_t *params, const void *data, size_t len,
    json_t **ret_json)
{
	json_object_set_new(params, "kind", json_string(kind));
	child_send(c, ++*id, params, memfd_with(data, len));
	return child_answer(c, *id, ret_json);
}

/*
 * The person bundle and directory kinds (bundles.c, directory.c), each answered as the
 * daemon expects: a real bundle's header, and none from bytes that are not one; a record
 * made canonical, one refused in staff's words, and one larger than a frame may be (the
 * one kind whose reply may be); a directory checked, and one refused naming the place.
 */
static void
record_kinds(struct child *c, uint32_t *id)
{
	static const char good_dir[] =
	        "{\"format\": 1, \"updated\": \"2026-11-01\", \"areas\": [{\"id\": \"york\", "
	        "\"name\": \"York\"}], \"services\": []}";
	struct bundle_identity *from = NULL, *to = NULL;
	const char record[] = "{\"format\": 2, \"settings\": \"{\\\"b\\\": 1, \\\"a\\\": 2}\"}";
	size_t bundle_len, big_len = 0, rows = (PARSE_MSG_MAX / 200) + 2000;
	char *big = malloc(rows * 204 + 64);
	void *bundle = NULL;
	json_t *json;

	CHECK(big != NULL);
	CHECK_INT(bundle_identity_generate("MDI", "HMP Moorland", BUNDLE_KIND_PRISON, 1780000000,
	                                   1880000000, &from, NULL),
	          0);
	CHECK_INT(bundle_identity_generate("NEP", "North East", BUNDLE_KIND_PROBATION, 1780000000,
	                                   1880000000, &to, NULL),
	          0);
	CHECK_INT(bundle_seal(from, bundle_identity_cert(to), record, strlen(record), 1790000000,
	                      &bundle, &bundle_len, NULL, NULL),
	          0);

	CHECK_INT(ask(c, id, "bundle.head", json_object(), bundle, bundle_len, &json),
	          PARSE_MSG_REPLY);
	CHECK_STR(json_string_value(json_object_get(json, "recipient_code")), "NEP");
	CHECK_INT(json_integer_value(json_object_get(json, "bundle_len")), bundle_len);
	CHECK_CONTAINS(json_string_value(json_object_get(json, "sender")), "\"code\":\"MDI\"");
	json_decref(json);
	CHECK_INT(ask(c, id, "bundle.head", json_object(), bundle, 100, &json), PARSE_MSG_ERROR);
	CHECK_INT(json_integer_value(json_object_get(json, "code")), -ENODATA);
	json_decref(json);
	CHECK_INT(ask(c, id, "bundle.head", json_object(), "{}", 2, &json), PARSE_MSG_ERROR);
	CHECK_INT(json_integer_value(json_object_get(json, "code")), -ENOMSG);
	json_decref(json);

	CHECK_INT(ask(c, id, "bundle.record", json_object(), record, strlen(record), &json),
	          PARSE_MSG_REPLY);
	CHECK_INT(json_integer_value(json_object_get(json, "length")), c->raw_len);
	CHECK(c->raw_len == 37 &&
	      memcmp(c->raw, "{\"format\":2,\"settings\":{\"a\":2,\"b\":1}}", 37) == 0);
	json_decref(json);
	CHECK_INT(ask(c, id, "bundle.record", json_object(), "{\"format\": 1}", 13, &json),
	          PARSE_MSG_ERROR);
	CHECK_INT(json_integer_value(json_object_get(json, "code")), -EBADMSG);
	CHECK_CONTAINS(json_string_value(json_object_get(json, "message")), "(format 1;");
	json_decref(json);
	big_len = (size_t)sprintf(big, "{\"audit\":[");
	for (size_t i = 0; i < rows; i++) {
		big[big_len++] = i ? ',' : ' ';
		big[big_len++] = '"';
		memset(big + big_len, 'x', 200);
		big_len += 200;
		big[big_len++] = '"';
	}
	big_len += (size_t)sprintf(big + big_len, "],\"format\":2}");
	CHECK_INT(ask(c, id, "bundle.record", json_object(), big, big_len, &json), PARSE_MSG_REPLY);
	CHECK(c->raw_len > PARSE_MSG_MAX);
	CHECK_INT(json_integer_value(json_object_get(json, "length")), c->raw_len);
	json_decref(json);

	CHECK_INT(ask(c, id, "directory.read", json_pack("{s:s}", "path", "/x/dir.json"), good_dir,
	              strlen(good_dir), &json),
	          PARSE_MSG_REPLY);
	CHECK_STR(json_string_value(json_object_get(json_object_get(json, "directory"), "updated")),
	          "2026-11-01");
	json_decref(json);
	CHECK_INT(ask(c, id, "directory.read", json_pack("{s:s}", "path", "/x/dir.json"),
	              "{\"format\": 2}", 13, &json),
	          PARSE_MSG_ERROR);
	CHECK_STR(json_string_value(json_object_get(json, "message")),
	          "services-directory.json: \"format\" must be 1");
	json_decref(json);

	free(big);
	free(bundle);
	bundle_identity_free(from);
	bundle_identity_free(to);
}

/* The record kinds with every wall up: the filter allows what they do. */
static void
records(void)
{
	struct child c;
	uint32_t id = 0;

	child_start(NULL, false, &c);
	child_hello(&c);
	record_kinds(&c, &id);
	CHECK_INT(child_end(&c), 0);
}

static void
handlers(void)
{
	static const char *const kinds[] = {"pack.page", "pack.image", "pack.quiz", "pack.mark"};
	struct fx fx;
	struct child c;
	json_t *json, *manifest, *file;
	char root[65], whole[65];
	uint8_t raw[32], digest[32];
	void *data;
	size_t len, i;
	uint32_t id = 0;

	fx_init(&fx);
	fx_good_pack(&fx, &data, &len);
	/* The content root as the daemon sends it (its raw public key in hex), and the
	 * installed file's digest, by which the child keeps it open. */
	pack__key_raw_public(fx.root, raw);
	crypto_hex_encode(raw, sizeof(raw), root);
	CHECK_INT(crypto_sha256(data, len, digest), 0);
	crypto_hex_encode(digest, sizeof(digest), whole);
	child_start("seccomp,landlock", true, &c);
	child_hello(&c);
	child_send(&c, ++id,
	           json_pack("{s:s, s:s, s:I}", "kind", "pack.verify", "root", root, "at",
	                     (json_int_t)fx.at),
	           open_bytes(&fx, "good.pack", data, len));
	CHECK_INT(child_answer(&c, id, &json), PARSE_MSG_REPLY);
	manifest = json_loads(json_string_value(json_object_get(json, "manifest")), 0, NULL);
	CHECK(manifest != NULL);
	json_decref(json);
	((uint8_t *)data)[len / 2] ^= 1;
	child_send(&c, ++id,
	           json_pack("{s:s, s:s, s:I}", "kind", "pack.verify", "root", root, "at",
	                     (json_int_t)fx.at),
	           open_bytes(&fx, "bad.pack", data, len));
	((uint8_t *)data)[len / 2] ^= 1;
	CHECK_INT(child_answer(&c, id, &json), PARSE_MSG_ERROR);
	json_decref(json);
	/* Every file by every kind, whether or not it fits (a page as a quiz is an ERROR). */
	json_array_foreach(json_object_get(manifest, "files"), i, file)
	{
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			child_send(&c, ++id,
			           json_pack("{s:s, s:s, s:O, s:i, s:i, s:{s:i, s:s}}", "kind",
			                     kinds[k], "pack", whole, "file", file, "offset", 0,
			                     "length", 4096, "answers", "q1", 1, "q2", "debit"),
			           open_bytes(&fx, "installed.pack", data, len));
			CHECK(child_answer(&c, id, &json) >= PARSE_MSG_REPLY);
			json_decref(json);
		}
	}
	json_decref(manifest);
	record_kinds(&c, &id);
	CHECK_INT(child_end(&c), 0);
	free(data);
	fx_fini(&fx);
}

static const struct {
	const char *name;
	void (*run)(void);
} cases[] = {
        {"hello", hello},
        {"store-seccomp", store_seccomp},
        {"store-landlock", store_landlock},
        {"network-seccomp", network_seccomp},
        {"network-landlock", network_landlock},
        {"exec-seccomp", exec_seccomp},
        {"exec-landlock", exec_landlock},
        {"write-seccomp", write_seccomp},
        {"write-landlock", write_landlock},
        {"daemon-child", daemon_child_case},
        {"frames", frames},
        {"handlers", handlers},
        {"records", records},
};

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-parse-walls CASE\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (getenv("ONWARD_PARSE_WITHOUT")) {
		/* The arm64 tests under qemu-user (scripts/cross-build.sh): no filter, no
		 * Landlock, no address-space limit can be built there, so there is no wall to
		 * prove; walls.sh proves them on x86 and the boot test on an arm64 kernel. */
		printf("SKIP: ONWARD_PARSE_WITHOUT is set (qemu-user): the walls cannot be "
		       "built\n");
		return 77;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, argv[1]) == 0) {
			test_step("%s", cases[i].name);
			cases[i].run();
			printf("test-parse-walls %s: OK\n", cases[i].name);
			return 0;
		}
	}
	fprintf(stderr, "test-parse-walls: no case %s\n", argv[1]);
	return 2;
}
