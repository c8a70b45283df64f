/*
 * probe.c: TEST BUILDS ONLY (compiled with ONWARD_TEST_HOOKS; packages have no such
 * request). tests/sandbox/test_parse_walls.c sends "test.probe" to a real onward-parse
 * and checks the outcome from outside: each try is one thing the walls must stop, and the
 * seccomp filter answers most of them by killing the child (SIGSYS), which the test sees;
 * with the filter left down (--without seccomp) Landlock's refusal comes back as the errno.
 *   {"kind": "test.probe", "try": "open", "path": P}     open(P, O_RDONLY)
 *   {"kind": "test.probe", "try": "socket", "family": "inet" | "unix"}
 *   {"kind": "test.probe", "try": "connect", "path": P}  a Unix socket, then connect(P)
 *   {"kind": "test.probe", "try": "connect_tcp", "port": N}  connect to 127.0.0.1:N
 *   {"kind": "test.probe", "try": "exec", "path": P}     execve(P)
 *   {"kind": "test.probe", "try": "fork"}
 *   {"kind": "test.probe", "try": "write", "path": P}    open(P, O_WRONLY | O_CREAT)
 * The reply is {"result": "ok"} or {"result": "EACCES"} and the like.
 * Also the fault hook (ONWARD_TEST_PARSE_FAULT, read once at start): "abort:WORD" aborts,
 * "hang:WORD" spins (until the daemon's time limit kills the child) and "lie:WORD" answers
 * with a reply of the wrong shape (as a child a pack had taken over might; bundles.c lies
 * in its own way) when a handler reaches WORD; "refuse:walls" stops the child as if a wall could
 * not be built.
 */
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char *
errno_word(int e)
{
	switch (e) {
	case 0:
		return "ok";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	default:
		return "other";
	}
}

static int
try_one(json_t *params)
{
	const char *what = json_string_value(json_object_get(params, "try"));
	const char *path = json_string_value(json_object_get(params, "path"));
	const char *family = json_string_value(json_object_get(params, "family"));
	int fd = -1, r = 0;

	if (!what)
		return EINVAL;
	if (strcmp(what, "open") == 0 && path) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
	} else if (strcmp(what, "write") == 0 && path) {
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	} else if (strcmp(what, "socket") == 0 && family) {
		fd = socket(strcmp(family, "inet") == 0 ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
	} else if (strcmp(what, "connect") == 0 && path) {
		struct sockaddr_un sa = {.sun_family = AF_UNIX};

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			r = errno;
	} else if (strcmp(what, "connect_tcp") == 0) {
		struct sockaddr_in sa = {.sin_family = AF_INET,
		                         .sin_port = htons((uint16_t)json_integer_value(
		                                 json_object_get(params, "port"))),
		                         .sin_addr = {htonl(INADDR_LOOPBACK)}};

		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			r = errno;
	} else if (strcmp(what, "exec") == 0 && path) {
		char *const argv[] = {(char *)(uintptr_t)path, NULL};

		execve(path, argv, argv + 1);
		return errno;
	} else if (strcmp(what, "fork") == 0) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		return pid < 0 ? errno : 0;
	} else {
		return EINVAL;
	}
	if (fd < 0)
		return errno;
	close(fd);
	return r;
}

static void
handle_probe(struct parse_call *call)
{
	parse_reply(call, json_pack("{s:s}", "result", errno_word(try_one(call->params))), NULL, 0);
}

const struct parse_kind probe_kinds[] = {
        {"test.probe", false, handle_probe},
        {NULL, false, NULL},
};

static const char *
fault_hook(void)
{
	static const char *fault;
	static bool read;

	if (!read) {
		fault = getenv("ONWARD_TEST_PARSE_FAULT");
		read = true;
	}
	return fault;
}

bool
parse_test_refuse(void)
{
	const char *fault = fault_hook();

	return fault && strcmp(fault, "refuse:walls") == 0;
}

bool
parse_test_lying(const char *word)
{
	const char *fault = fault_hook();

	return fault && word && strncmp(fault, "lie:", 4) == 0 && strcmp(fault + 4, word) == 0;
}

bool
parse_test_lie(struct parse_call *call, const char *word)
{
	if (!parse_test_lying(word))
		return false;
	/* A block the app does not know, with a terminal escape in it. */
	parse_reply(call,
	            json_pack("{s:[{s:s, s:s}], s:s, s:i}", "blocks", "kind", "script", "text",
	                      "\x1b[2J", "title", "\x1b[2J", "pass_percent", 500),
	            NULL, 0);
	return true;
}

void
parse_test_fault(const char *word)
{
	const char *fault = fault_hook();
	volatile unsigned long spin = 0;

	if (!fault || !word)
		return;
	if (strncmp(fault, "abort:", 6) == 0 && strcmp(fault + 6, word) == 0)
		abort();
	if (strncmp(fault, "hang:", 5) == 0 && strcmp(fault + 5, word) == 0)
		for (;;)
			spin++;
}
