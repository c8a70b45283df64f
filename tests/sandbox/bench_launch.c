/*
 * bench-launch: what the sandbox costs an app's start. It starts sandbox-probe (which
 * prints its identity and exits) through onward-launch again and again, with every wall
 * up and with every wall down (a test build's --without all), and reports the median,
 * the 95th percentile and the fastest time from fork() to the launcher's exit. A
 * benchmark, not a test: run it on a quiet machine.
 *   bench-launch [RUNS]     (10 to 100000, default 200)
 */
#include "crypto.h"
#include "run.h"

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
one(const char *launch, const char *hex, const char *probe, bool walls)
{
	const char *argv[] = {launch,
	                      "--channel-fd",
	                      "9",
	                      "--sha256",
	                      hex,
	                      walls ? "--" : "--without",
	                      walls ? probe : "all",
	                      walls ? "status" : "--",
	                      walls ? NULL : probe,
	                      walls ? NULL : "status",
	                      NULL};
	double start = now_ms();
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);

		dup2(nul, 1);
		dup2(sv[1], 9);
		execv(launch, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	close(sv[0]);
	close(sv[1]);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench-launch: the launcher failed (%d)\n", status);
		exit(1);
	}
	return now_ms() - start;
}

static void
report(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%-28s median %6.2f ms   p95 %6.2f ms   min %6.2f ms   (%d runs)\n", what, t[n / 2],
	       t[n * 95 / 100], t[0], n);
}

int
main(int argc, char **argv)
{
	int runs = 200;
	char probe[512], hex[CRYPTO_SHA256_HEX_LEN + 1];
	uint8_t d[CRYPTO_SHA256_LEN];
	double *walls, *none;

	bool help = argc == 2 && strcmp(argv[1], "--help") == 0;

	if (argc == 2 && !help)
		runs = atoi(argv[1]);
	if (help || argc > 2 || runs < 10 || runs > 100000) {
		fprintf(help ? stdout : stderr,
		        "Usage: bench-launch [RUNS]   (10 to 100000, default 200)\n"
		        "Times app starts through onward-launch with every wall up and with "
		        "none.\n");
		return help ? 0 : 2;
	}
	snprintf(probe, sizeof(probe), "%s/sandbox-probe", SANDBOX_APP_DIR);
	if (crypto_sha256_file(probe, d) < 0) {
		fprintf(stderr, "bench-launch: cannot read %s: build sandbox-probe\n", probe);
		return 1;
	}
	crypto_hex_encode(d, sizeof(d), hex);
	walls = calloc((size_t)runs, sizeof(*walls));
	none = calloc((size_t)runs, sizeof(*none));
	if (!walls || !none)
		return 1;
	for (int i = 0; i < runs; i++) {
		walls[i] = one(run_bin("onward-launch"), hex, probe, true);
		none[i] = one(run_bin("onward-launch"), hex, probe, false);
	}
	report("every wall", walls, runs);
	report("no walls (--without all)", none, runs);
	free(walls);
	free(none);
	return 0;
}
