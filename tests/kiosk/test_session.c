/*
 * onward-session keeps the shell running and notices a hung one, checked against
 * fake-shell: it tells systemd READY=1 and WATCHDOG=1 (on a notify socket of our own);
 * a shell that is killed is started again; one that blocks for good, spins, or is
 * stopped is killed and started again after --hang-seconds, and no WATCHDOG=1 is sent
 * meanwhile; a shell that keeps dying at once is restarted with growing delays; SIGTERM
 * stops the shell and then onward-session (exit 0, STOPPING=1). Bad options exit 2.
 */
#include "check.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_MESSAGES 4096

static char dir[] = "/tmp/onward-session-test-XXXXXX";
static char log_path[128], err_path[128];
static int notify_fd = -1;
static struct {
	char text[64];
	long long at_ms;
} messages[MAX_MESSAGES];
static int n_messages;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
drain_notify(void)
{
	char buf[256];
	ssize_t n;

	while ((n = recv(notify_fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		if (n_messages < MAX_MESSAGES) {
			snprintf(messages[n_messages].text, sizeof(messages[0].text), "%.63s", buf);
			messages[n_messages++].at_ms = now_ms();
		}
	}
}

static bool
got_message(const char *prefix)
{
	for (int i = 0; i < n_messages; i++)
		if (strncmp(messages[i].text, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* The longest time without a WATCHDOG=1 message from `since` until now. */
static long long
watchdog_gap(long long since)
{
	long long last = since, gap = 0;

	for (int i = 0; i < n_messages; i++) {
		if (messages[i].at_ms < since || strcmp(messages[i].text, "WATCHDOG=1") != 0)
			continue;
		if (messages[i].at_ms - last > gap)
			gap = messages[i].at_ms - last;
		last = messages[i].at_ms;
	}
	return now_ms() - last > gap ? now_ms() - last : gap;
}

static int
count_lines(const char *prefix, pid_t *ret_last)
{
	char line[128];
	FILE *f = fopen(log_path, "r");
	int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			n++;
			if (ret_last)
				*ret_last = (pid_t)atoi(line + strlen(prefix));
		}
	}
	if (f)
		fclose(f);
	return n;
}

/* Waits until the log has `want` starts; returns the newest shell's pid. */
static pid_t
wait_starts(int want, int within_ms)
{
	long long deadline = now_ms() + within_ms;
	pid_t last = 0;

	while (count_lines("start ", &last) < want) {
		if (now_ms() > deadline)
			check_failed(__FILE__, __LINE__,
			             "%d shell starts expected within %d ms, got %d", want,
			             within_ms, count_lines("start ", NULL));
		drain_notify();
		usleep(20000);
	}
	drain_notify();
	return last;
}

static bool
stderr_has(const char *text)
{
	char buf[16384];
	int fd = open(err_path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return strstr(buf, text) != NULL;
}

static pid_t session_pid; /* killed if the test fails, so nothing outlives it */

static void
kill_session(void)
{
	if (session_pid > 0)
		kill(session_pid, SIGKILL);
}

static pid_t
start_session(const char *extra)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		char sock[200];

		snprintf(sock, sizeof(sock), "%s/notify", dir);
		setenv("NOTIFY_SOCKET", sock, 1);
		/* As cage sets them when it has Xwayland: the first session is the tablet's
		 * (Wayland), the second a desktop's or a test's (X11 only). */
		setenv("DISPLAY", ":9", 1);
		if (extra)
			unsetenv("WAYLAND_DISPLAY");
		else
			setenv("WAYLAND_DISPLAY", "wayland-1", 1);
		dup2(fd, 2);
		execl(run_bin("onward-session"), "onward-session", "--hang-seconds", "2",
		      "--check-ms", "200", "--", run_bin("fake-shell"), log_path, extra,
		      (char *)NULL);
		_exit(127);
	}
	session_pid = pid;
	return pid;
}

static void
hang_case(pid_t shell, int sig, const char *state, int starts_before)
{
	char text[128];
	long long at = now_ms();

	CHECK_INT(kill(shell, sig), 0);
	wait_starts(starts_before + 1, 8000);
	/* Killed, not merely replaced. */
	CHECK(kill(shell, 0) < 0 && errno == ESRCH);
	snprintf(text, sizeof(text), "the shell (pid %d) has not answered for 2 s (state %s)",
	         (int)shell, state);
	CHECK(stderr_has(text));
	/* While it was hung there was no WATCHDOG=1 for the whole --hang-seconds. */
	CHECK(watchdog_gap(at) >= 1800);
}

int
main(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	pid_t session, shell;
	int status;

	CHECK(mkdtemp(dir) != NULL);
	atexit(kill_session);
	snprintf(log_path, sizeof(log_path), "%s/shell.log", dir);
	snprintf(err_path, sizeof(err_path), "%s/session.err", dir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/notify", dir);
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(notify_fd >= 0);
	CHECK_INT(bind(notify_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);

	test_step("the shell starts; READY=1 and WATCHDOG=1 follow while it is alive");
	session = start_session(NULL);
	shell = wait_starts(1, 5000);
	for (long long end = now_ms() + 3000; !got_message("WATCHDOG=1") && now_ms() < end;)
		usleep(50000), drain_notify();
	CHECK(got_message("READY=1"));
	CHECK(got_message("WATCHDOG=1"));

	test_step("under Wayland the shell gets no DISPLAY (cage's Xwayland stays out of reach)");
	CHECK_INT(count_lines("display ", NULL), 0);

	test_step("a shell that is killed is started again, locked");
	CHECK_INT(kill(shell, SIGKILL), 0);
	shell = wait_starts(2, 3000);
	CHECK(stderr_has("the shell was ended by signal 9; starting it again, locked"));

	test_step("a shell blocked for good is killed and started again; no watchdog meanwhile");
	usleep(400000);
	hang_case(shell, SIGUSR1, "S", 2);
	count_lines("start ", &shell);

	test_step("a spinning shell is killed and started again");
	usleep(400000);
	hang_case(shell, SIGUSR2, "R", 3);
	count_lines("start ", &shell);

	test_step("a stopped shell is killed and started again");
	usleep(400000);
	hang_case(shell, SIGSTOP, "T", 4);
	count_lines("start ", &shell);

	test_step("SIGTERM stops the shell, then onward-session: exit 0, STOPPING=1");
	usleep(400000);
	CHECK_INT(kill(session, SIGTERM), 0);
	CHECK(waitpid(session, &status, 0) == session);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	drain_notify();
	CHECK(got_message("STOPPING=1"));
	CHECK_INT(count_lines("stop ", NULL), 1);
	CHECK(kill(shell, 0) < 0 && errno == ESRCH);

	test_step("a shell that dies at once is restarted with growing delays");
	unlink(log_path);
	session = start_session("--die-at-once");
	usleep(2600 * 1000);
	{
		int starts = count_lines("start ", NULL);

		/* At 0, 0.25, 0.75 and 1.75 s: four, where a tight loop would be hundreds. */
		if (starts < 3 || starts > 5)
			check_failed(__FILE__, __LINE__, "%d starts in 2.6 s", starts);
	}
	CHECK(stderr_has("the shell exited with status 3; starting it again, locked"));
	/* Without Wayland (X11 desktops, tests under Xvfb) DISPLAY is the display. */
	CHECK(count_lines("display :9", NULL) >= 3);
	CHECK_INT(kill(session, SIGTERM), 0);
	CHECK(waitpid(session, &status, 0) == session);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	test_step("usage errors exit 2");
	{
		const char *argv[][5] = {
		        {run_bin("onward-session"), "--hang-seconds", "1", "--", "/bin/true"},
		        {run_bin("onward-session"), "--check-ms", "x", "--", "/bin/true"},
		        {run_bin("onward-session"), "--frob", "1", "--", "/bin/true"},
		        {run_bin("onward-session"), "--", NULL, NULL, NULL},
		};
		const char *want[] = {"--hang-seconds: expected 2 to 600, not 1",
		                      "--check-ms: expected 100 to 10000, not x",
		                      "--frob: unknown option", "no shell: give -- SHELL"};

		for (int i = 0; i < 4; i++) {
			const char *a[6] = {argv[i][0], argv[i][1], argv[i][2],
			                    argv[i][3], argv[i][4], NULL};
			struct run_result r;

			run_program(a, NULL, NULL, 5000, &r);
			CHECK_INT(r.status, 2);
			CHECK_CONTAINS(r.err, want[i]);
			run_result_release(&r);
		}
	}
	{
		char cmd[200];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK_INT(system(cmd), 0);
	}
	printf("test-session: ok\n");
	return 0;
}
