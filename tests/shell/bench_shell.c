/*
 * bench-shell: onward-shell's budgets, measured against a real onward-policyd (a target,
 * not a test; run it on a display, for example under tests/ui/xvfb-run.sh). Prints:
 *  1. cold start: fork() of onward-shell to its first SDL_RenderPresent (reported with
 *     --first-frame-report), over ten runs, with the daemon running (budget 300 ms);
 *  2. resident memory (VmRSS, and the peak VmHWM) of onward-shell at Sam's home screen,
 *     logged in on the daemon with his tiles shown (budget 64 MB).
 */
#include "check.h"
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 10

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	fputs(text, f);
	CHECK_INT(fclose(f), 0);
}

static pid_t
spawn_shell(const struct test_daemon *d, const char *script, const char *report)
{
	pid_t pid = fork();

	if (pid == 0) {
		const char *argv[] = {run_bin("onward-shell"),
		                      "--state-dir",
		                      d->dir,
		                      "--window",
		                      "1280x800",
		                      "--dpi",
		                      "150",
		                      "--script",
		                      script,
		                      "--first-frame-report",
		                      report,
		                      NULL};
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2); /* the shell's log lines */
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	return pid;
}

static void
cold_start(const struct test_daemon *d, const char *dir)
{
	char script[256], report[256];
	double ms[RUNS];

	snprintf(script, sizeof(script), "%s/cold.ui", dir);
	snprintf(report, sizeof(report), "%s/first-frame", dir);
	write_file(script, "wait 20\nquit\n");
	for (int i = 0; i < RUNS; i++) {
		long long t0, t1 = 0;
		int status;
		pid_t pid;
		FILE *f;

		unlink(report);
		t0 = now_ns();
		pid = spawn_shell(d, script, report);
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			check_failed(__FILE__, __LINE__, "onward-shell failed (is DISPLAY set?)");
		f = fopen(report, "r");
		CHECK(f != NULL && fscanf(f, "%lld", &t1) == 1);
		fclose(f);
		ms[i] = (double)(t1 - t0) / 1e6;
	}
	qsort(ms, RUNS, sizeof(ms[0]), cmp_double);
	printf("cold start to first frame: median %.1f ms, min %.1f ms, max %.1f ms over %d runs "
	       "(budget 300 ms)\n",
	       ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS);
}

static long
status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	FILE *f;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0)
			kb = strtol(line + strlen(field) + 1, NULL, 10);
	fclose(f);
	return kb;
}

static void
home_memory(const struct test_daemon *d, const char *dir, const char *pin)
{
	char script[256], report[256], marker[256], text[2048];
	size_t n = 0;
	struct stat st;
	long rss, hwm;
	int status;
	pid_t pid;

	snprintf(script, sizeof(script), "%s/home.ui", dir);
	snprintf(report, sizeof(report), "%s/first-frame", dir);
	snprintf(marker, sizeof(marker), "%s/home.json", dir);
	n += (size_t)snprintf(text + n, sizeof(text) - n,
	                      "tap id:number\ntype \"A1234BC\"\n"
	                      "tap id:key-enter\n");
	for (const char *p = pin; *p; p++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "tap id:key-%c\n", *p);
	snprintf(text + n, sizeof(text) - n,
	         "tap id:key-enter\nwait-for \"Stub\" 20000\nwait 500\ndump %s\nwait 30000\n",
	         marker);
	write_file(script, text);
	unlink(marker);
	pid = spawn_shell(d, script, report);
	CHECK(pid > 0);
	for (int i = 0; stat(marker, &st) != 0 || st.st_size == 0; i++) {
		CHECK(i < 600);
		CHECK(waitpid(pid, &status, WNOHANG) == 0);
		usleep(50 * 1000);
	}
	usleep(300 * 1000);
	rss = status_kb(pid, "VmRSS:");
	hwm = status_kb(pid, "VmHWM:");
	kill(pid, SIGTERM);
	CHECK(waitpid(pid, &status, 0) == pid);
	printf("resident memory at home: %.1f MB (peak %.1f MB) (budget 64 MB)\n", rss / 1024.0,
	       hwm / 1024.0);
}

int
main(void)
{
	struct test_daemon d;
	char pin[16], dir[] = "/tmp/onward-bench-shell-XXXXXX", path[600];
	json_t *app;

	CHECK(mkdtemp(dir) != NULL);
	daemon_make(&d, "{\"establishment\": \"MDI\", \"scrypt_log_n\": 10}");
	daemon_start(&d);
	daemon_seed(&d);
	daemon_add_person(&d, "A1234BC", pin);
	snprintf(path, sizeof(path), "%s", run_bin("onward-app-stub"));
	app = daemon_admin_ok(
	        &d, "onward.App.Register",
	        json_pack("{s:s, s:s, s:s}", "name", "stub", "path", path, "title", "Stub"));
	json_decref(app);
	cold_start(&d, dir);
	home_memory(&d, dir, pin);
	daemon_remove(&d);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	return system(path) == 0 ? 0 : 1;
}
