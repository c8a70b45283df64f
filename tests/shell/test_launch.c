/*
 * onward-launch keeps each of its promises, checked on the real program running
 * launch-probe: a changed binary is refused (126, one line); the environment is the
 * allow-list plus ONWARD_CHANNEL_FD=3; only descriptors 0-3 are open and 3 is the channel
 * given; the limits, core size 0 and NoNewPrivs are set; the signal mask and ignored
 * signals are reset; and usage errors, a missing channel above all, exit 2.
 */
#include "check.h"
#include "crypto.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHANNEL_AT 9 /* where the test puts the channel before the launcher moves it */
#define STRAY_AT 12 /* a descriptor the app must not inherit */
#define TIMEOUT_MS 20000

static char probe_hex[CRYPTO_SHA256_HEX_LEN + 1];

static void
hash_file(const char *path, char *ret_hex)
{
	uint8_t d[CRYPTO_SHA256_LEN];

	CHECK_INT(crypto_sha256_file(path, d), 0);
	crypto_hex_encode(d, sizeof(d), ret_hex);
}

/* True when `out` has exactly the line `line`. */
static bool
has_line(const char *out, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = out; (p = strstr(p, line)); p += n)
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static int
count_prefix(const char *out, const char *prefix)
{
	int n = 0;

	for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

static void
test_promises(void)
{
	const char *launch = run_bin("onward-launch"), *probe = run_bin("launch-probe");
	const char *argv[] = {launch,    "--channel-fd", "9",   "--sha256",
	                      probe_hex, "--memory-mb",  "256", "--cpu-seconds",
	                      "30",      "--max-files",  "32",  "--max-processes",
	                      "50",      "--",           probe, "one two",
	                      NULL};
	const char *env[] = {"FOO_SECRET=hunter2",
	                     "DISPLAY=:42",
	                     "LANG=cy_GB.UTF-8",
	                     "ONWARD_APP_SCRIPT=/tmp/app.ui",
	                     "LD_LIBRARY_PATH=/nonexistent",
	                     "ONWARD_STATE_DIR=/var/lib/onward",
	                     "SDL_RENDER_DRIVER=software",
	                     NULL};
	struct run_result r;
	char got[16] = "";
	int sv[2], stray;
	sigset_t block, old;

	test_step("the app gets the allow-listed environment, fds 0-3 and its limits");
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK(dup2(sv[1], CHANNEL_AT) == CHANNEL_AT);
	close(sv[1]);
	stray = open("/dev/null", O_RDONLY);
	CHECK(stray >= 0);
	CHECK(dup2(stray, STRAY_AT) == STRAY_AT);
	close(stray);
	/* The shell blocks the signals it reads through its loop; the app must not. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	CHECK_INT(sigprocmask(SIG_BLOCK, &block, &old), 0);
	signal(SIGPIPE, SIG_IGN);
	run_program(argv, env, NULL, TIMEOUT_MS, &r);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(CHANNEL_AT);
	close(STRAY_AT);
	if (r.status != 0)
		fprintf(stderr, "stdout:\n%s\nstderr:\n%s\n", r.out, r.err);
	CHECK_INT(r.status, 0);

	/* Environment: the allow-listed names only, and the channel's number. */
	CHECK(has_line(r.out, "env DISPLAY=:42"));
	CHECK(has_line(r.out, "env LANG=cy_GB.UTF-8"));
	CHECK(has_line(r.out, "env ONWARD_APP_SCRIPT=/tmp/app.ui"));
	CHECK(has_line(r.out, "env SDL_RENDER_DRIVER=software"));
	CHECK(has_line(r.out, "env ONWARD_CHANNEL_FD=3"));
	CHECK(!strstr(r.out, "FOO_SECRET"));
	CHECK(!strstr(r.out, "LD_LIBRARY_PATH"));
	CHECK(!strstr(r.out, "ONWARD_STATE_DIR"));
	CHECK(!strstr(r.out, "env PATH="));
	CHECK(!strstr(r.out, "env HOME="));
	for (const char *p = r.out; (p = strstr(p, "env ")); p += 4) {
		static const char *const ok[] = {"DISPLAY=",           "XAUTHORITY=",
		                                 "WAYLAND_DISPLAY=",   "XDG_RUNTIME_DIR=",
		                                 "SDL_VIDEODRIVER=",   "SDL_RENDER_DRIVER=",
		                                 "SDL_AUDIODRIVER=",   "LANG=",
		                                 "ONWARD_APP_SCRIPT=", "ONWARD_CHANNEL_FD=",
		                                 "ASAN_OPTIONS=",      "LSAN_OPTIONS=",
		                                 "UBSAN_OPTIONS="};
		bool known = false;

		if (p != r.out && p[-1] != '\n')
			continue;
		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			known = known || strncmp(p + 4, ok[i], strlen(ok[i])) == 0;
		if (!known)
			check_failed(__FILE__, __LINE__, "unexpected variable: %.60s", p);
	}

	/* Descriptors: 0, 1, 2 and the channel at 3, which is the socket we gave. */
	CHECK_INT(count_prefix(r.out, "fd "), 4);
	CHECK(has_line(r.out, "fd 0") && has_line(r.out, "fd 1") && has_line(r.out, "fd 2") &&
	      has_line(r.out, "fd 3"));
	CHECK(has_line(r.out, "fd3 socket"));
	CHECK_INT(read(sv[0], got, sizeof(got) - 1), 5);
	CHECK_STR(got, "probe");
	close(sv[0]);

	/* Limits, core size, no new privileges, signals. */
	CHECK(has_line(r.out, "rlimit as 268435456 268435456"));
	CHECK(has_line(r.out, "rlimit cpu 30 35"));
	CHECK(has_line(r.out, "rlimit nofile 32 32"));
	CHECK(has_line(r.out, "rlimit nproc 50 50"));
	CHECK(has_line(r.out, "rlimit core 0 0"));
	CHECK(has_line(r.out, "nonewprivs 1"));
	CHECK(has_line(r.out, "sigblk 0000000000000000"));
	CHECK(has_line(r.out, "sigign 0000000000000000"));
	CHECK(has_line(r.out, "arg one two"));
	CHECK_STR(r.err, "");
	run_result_release(&r);
}

static void
test_changed_binary(void)
{
	char dir[] = "/tmp/onward-launch-XXXXXX", copy[64], cmd[256],
	     hex[CRYPTO_SHA256_HEX_LEN + 1];
	const char *launch = run_bin("onward-launch");
	struct run_result r;
	int sv[2];
	FILE *f;

	test_step("a binary that changed after registration is refused with 126");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(copy, sizeof(copy), "%s/probe", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", run_bin("launch-probe"), copy);
	CHECK_INT(system(cmd), 0);
	hash_file(copy, hex);
	/* One byte appended: still a program that would run, but not the one registered. */
	f = fopen(copy, "ab");
	CHECK(f != NULL);
	fputc(0, f);
	fclose(f);
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK(dup2(sv[1], CHANNEL_AT) == CHANNEL_AT);
	close(sv[1]);
	{
		const char *argv[] = {launch, "--channel-fd", "9",  "--sha256",
		                      hex,    "--",           copy, NULL};

		run_program(argv, NULL, NULL, TIMEOUT_MS, &r);
	}
	CHECK_INT(r.status, 126);
	CHECK_STR(r.out, "");
	CHECK_CONTAINS(r.err, "refused: the program is not the one registered (SHA-256 differs)");
	CHECK(strchr(r.err, '\n') == r.err + strlen(r.err) - 1); /* one line */
	run_result_release(&r);

	test_step("the right hash in capitals runs it; a wrong hash does not");
	hash_file(copy, hex);
	for (char *p = hex; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 'a' + 'A' : *p);
	{
		const char *argv[] = {launch, "--channel-fd", "9",  "--sha256",
		                      hex,    "--",           copy, NULL};

		run_program(argv, NULL, NULL, TIMEOUT_MS, &r);
	}
	CHECK_INT(r.status, 0);
	CHECK(has_line(r.out, "fd3 socket"));
	run_result_release(&r);
	close(CHANNEL_AT);
	close(sv[0]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

static void
expect_usage(const char *const argv[], const char *message)
{
	struct run_result r;

	run_program(argv, NULL, NULL, TIMEOUT_MS, &r);
	if (r.status != 2)
		fprintf(stderr, "stderr: %s\n", r.err);
	CHECK_INT(r.status, 2);
	CHECK_STR(r.out, "");
	CHECK_CONTAINS(r.err, message);
	run_result_release(&r);
}

static void
test_usage(void)
{
	const char *l = run_bin("onward-launch"), *p = run_bin("launch-probe");
	int sv[2];

	test_step("no channel is a usage error (2)");
	{
		const char *argv[] = {l, "--sha256", probe_hex, "--", p, NULL};

		expect_usage(argv, "onward-launch: no --channel-fd: an app needs its channel");
	}
	{
		const char *argv[] = {l,         "--channel-fd", "57", "--sha256",
		                      probe_hex, "--",           p,    NULL};

		expect_usage(argv, "onward-launch: --channel-fd 57: no such open descriptor\n");
	}
	{
		const char *argv[] = {l, "--channel-fd", "1", "--sha256", probe_hex, "--", p, NULL};

		expect_usage(argv, "--channel-fd 1: the channel must be above 2");
	}
	{
		const char *argv[] = {l,         "--channel-fd", "x9", "--sha256",
		                      probe_hex, "--",           p,    NULL};

		expect_usage(argv, "--channel-fd: not a descriptor number: x9");
	}
	test_step("a descriptor that is not a socket is no channel");
	CHECK(dup2(2, CHANNEL_AT) == CHANNEL_AT);
	{
		const char *argv[] = {l, "--channel-fd", "9", "--sha256", probe_hex, "--", p, NULL};

		expect_usage(argv, "--channel-fd 9: not a socket");
	}
	close(CHANNEL_AT);

	test_step("other usage errors");
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK(dup2(sv[1], CHANNEL_AT) == CHANNEL_AT);
	{
		const char *argv[] = {l, "--channel-fd", "9", "--", p, NULL};

		expect_usage(argv, "no --sha256");
	}
	{
		const char *argv[] = {l, "--channel-fd", "9", "--sha256", "abc", "--", p, NULL};

		expect_usage(argv, "--sha256: expected 64 hex digits, not abc");
	}
	{
		const char *argv[] = {l, "--channel-fd", "9", "--sha256", probe_hex, NULL};

		expect_usage(argv, "no program: give -- PATH");
	}
	{
		const char *argv[] = {
		        l,    "--channel-fd", "9", "--sha256", probe_hex, "--memory-mb",
		        "-5", "--",           p,   NULL};

		expect_usage(argv, "--memory-mb: expected 0 or 16 to 1048576, not -5");
	}
	{
		const char *argv[] = {l, "--frobnicate", "--", p, NULL};

		expect_usage(argv, "unknown option --frobnicate");
	}
	test_step("a program that does not exist: 127");
	{
		const char *argv[] = {l,    "--channel-fd",     "9", "--sha256", probe_hex,
		                      "--", "/nonexistent/app", NULL};
		struct run_result r;

		run_program(argv, NULL, NULL, TIMEOUT_MS, &r);
		CHECK_INT(r.status, 127);
		CHECK_STR(r.err, "onward-launch: /nonexistent/app: No such file or directory\n");
		run_result_release(&r);
	}
	close(CHANNEL_AT);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	hash_file(run_bin("launch-probe"), probe_hex);
	test_promises();
	test_changed_binary();
	test_usage();
	printf("test-launch: ok\n");
	return 0;
}
