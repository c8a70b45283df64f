/*
 * onward-parse: the keyless child that onward-policyd hands every outside file to. The
 * daemon starts it (fork and exec, so it shares nothing of the daemon's memory) with a
 * clean environment, /dev/null on standard input and output, the daemon's standard error,
 * and one end of a socket pair as descriptor 3; nothing else. It confines itself before
 * it reads a byte (confine.c), says HELLO with the walls it built, then answers requests
 * (serve.c) until the daemon closes the socket. It never opens a path: every file comes as
 * a descriptor with its request. It holds no key, cannot open the store or the state
 * directory, has no network, and cannot start a program; a crash or an exploit here reaches
 * none of the daemon's secrets, and the daemon answers the call with a plain error.
 * Exit status: 0 when the daemon closed the socket, 1 when it broke the framing, 2 for a
 * wrong command line, 126 when a wall could not be built (it never runs without them).
 */
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EXIT_PROTOCOL 1
#define EXIT_USAGE 2
#define EXIT_REFUSED 126

static const char usage[] =
        "Usage: onward-parse\n"
        "\n"
        "The keyless, confined child of onward-policyd that parses course packs (and, in\n"
        "time, every other file that comes from outside). The daemon starts it with a socket\n"
        "as descriptor 3; it is not for running by hand. See onward-parse(8).\n"
        "\n"
        "Options:\n"
        "  --help      this text\n"
#ifdef ONWARD_TEST_HOOKS
        "  --without seccomp,landlock,memory\n"
        "              TEST BUILDS ONLY: leave those walls down, so the tests can show\n"
        "              each wall holding on its own (also ONWARD_PARSE_WITHOUT; the\n"
        "              arm64 tests under qemu-user need all three down)\n"
#endif
        ;

/* Writes a line to standard error without stdio (which may allocate or stat). */
static void
say(const char *a, const char *b, const char *c)
{
	const char *parts[] = {"onward-parse: ", a, b, c, "\n"};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i] && write(STDERR_FILENO, parts[i], strlen(parts[i])) < 0)
			return;
}

/* Descriptors 0-2 open (on /dev/null if not), 3 a stream socket, none above it. */
static int
check_descriptors(void)
{
	int type = 0;
	socklen_t len = sizeof(type);

	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) < 0) {
			int null = open("/dev/null", O_RDWR);

			if (null != fd)
				return -EBADF;
		}
	}
	if (getsockopt(PARSE_CHILD_FD, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
		return -ENOTSOCK;
	if (fcntl(PARSE_CHILD_FD, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	/* Whatever else was inherited by mistake goes now, before any request is read. */
	if (syscall(SYS_close_range, PARSE_CHILD_FD + 1, ~0U, 0) < 0) {
		for (int fd = PARSE_CHILD_FD + 1; fd < 1024; fd++)
			close(fd);
	}
	return 0;
}

#ifdef ONWARD_TEST_HOOKS
static int
parse_without(const char *list, unsigned *walls)
{
	char copy[64];

	if (strlen(list) >= sizeof(copy))
		return -EINVAL;
	strcpy(copy, list);
	for (char *save = NULL, *w = strtok_r(copy, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "seccomp") == 0)
			*walls &= ~(unsigned)WALL_SECCOMP;
		else if (strcmp(w, "landlock") == 0)
			*walls &= ~(unsigned)WALL_LANDLOCK;
		else if (strcmp(w, "memory") == 0)
			*walls &= ~(unsigned)WALL_MEMORY;
		else
			return -EINVAL;
	}
	return 0;
}
#endif

int
main(int argc, char **argv)
{
	static const struct option options[] = {
	        {"help", no_argument, NULL, 'h'},
#ifdef ONWARD_TEST_HOOKS
	        {"without", required_argument, NULL, 'w'},
#endif
	        {NULL, 0, NULL, 0},
	};
	unsigned walls = WALL_SECCOMP | WALL_LANDLOCK | WALL_MEMORY;
	struct parse_walls built;
	const char *step = "";
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return 0;
#ifdef ONWARD_TEST_HOOKS
		case 'w':
			if (parse_without(optarg, &walls) < 0) {
				say("--without takes seccomp, landlock and memory, not ", optarg,
				    NULL);
				return EXIT_USAGE;
			}
			break;
#endif
		default:
			say("unknown option ", argv[optind - 1], " (try --help)");
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		say("takes no arguments (try --help)", NULL, NULL);
		return EXIT_USAGE;
	}
#ifdef ONWARD_TEST_HOOKS
	/* TEST BUILDS ONLY: as --without, from the daemon's environment (the arm64 tests
	 * under qemu-user, which refuses a guest's seccomp filter: scripts/cross-build.sh). */
	if (secure_getenv("ONWARD_PARSE_WITHOUT") &&
	    parse_without(secure_getenv("ONWARD_PARSE_WITHOUT"), &walls) < 0) {
		say("ONWARD_PARSE_WITHOUT takes seccomp, landlock and memory, not ",
		    secure_getenv("ONWARD_PARSE_WITHOUT"), NULL);
		return EXIT_USAGE;
	}
#endif
	r = check_descriptors();
	if (r < 0) {
		say("descriptor 3 must be the socket from onward-policyd, which starts this "
		    "program; it is ",
		    r == -ENOTSOCK ? "not a stream socket" : "not open", NULL);
		return EXIT_USAGE;
	}
	/* Its life is the daemon's: it ends when the daemon closes the socket (or kills it),
	 * not when a service manager or a terminal signals the whole process group. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	parse_test_fault(NULL); /* test builds read their fault hook while they still may */
	r = confine_all(walls, &built, &step);
	if (r == 0 && parse_test_refuse()) {
		r = -EPERM;
		step = "the test hook refused";
	}
	if (r < 0) {
		say("refusing to run: cannot build its walls: ", step, NULL);
		return EXIT_REFUSED;
	}
	if (serve_hello(PARSE_CHILD_FD, &built) < 0)
		return EXIT_PROTOCOL;
	r = serve_run(PARSE_CHILD_FD);
	if (r < 0) {
		say("the daemon broke the message framing; stopping", NULL, NULL);
		return EXIT_PROTOCOL;
	}
	return 0;
}
