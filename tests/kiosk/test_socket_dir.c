/*
 * onward-policyd --socket-dir, which the tablet's units use: control.sock is made in the
 * given directory (a runtime directory the shell's user can reach) and not in the state
 * directory, which stays 0700 with admin.sock; the shell's calls work there; a bad
 * directory is refused at start with one clear line and exit status 2.
 */
#include "check.h"
#include "client.h"
#include "daemon.h"
#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t
start(const char *state, const char *sockets)
{
	const char *bin = run_bin("onward-policyd");
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		execl(bin, bin, "--state-dir", state, "--socket-dir", sockets, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void
wait_for_socket(const char *path, pid_t pid)
{
	struct timespec pause = {0, 20 * 1000 * 1000};

	for (int i = 0; i < 1500; i++) {
		struct stat st;
		int status;

		if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			return;
		CHECK(waitpid(pid, &status, WNOHANG) == 0);
		nanosleep(&pause, NULL);
	}
	check_failed(__FILE__, __LINE__, "no %s", path);
}

/* Waits for the daemon to exit (at most 30 s, slow under an emulator); its status. */
static int
wait_exit(pid_t pid)
{
	struct timespec pause = {0, 20 * 1000 * 1000};
	int status;

	for (int i = 0; i < 1500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		nanosleep(&pause, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	check_failed(__FILE__, __LINE__, "onward-policyd did not stop on SIGTERM");
}

int
main(void)
{
	struct test_daemon d;
	char sockets[] = "/tmp/onward-sockets-XXXXXX", path[256];
	struct client_reply reply;
	struct client *c;
	struct stat st;
	int status;
	pid_t pid;

	/* This daemon is started by hand (for --socket-dir): on the tests' clock all the same. */
	setenv("ONWARD_TEST_CLOCK", TEST_CLOCK_DEFAULT, 1);
	daemon_make(&d, NULL);
	CHECK(mkdtemp(sockets) != NULL);
	CHECK_INT(chmod(sockets, 0750), 0);

	test_step("control.sock is made in --socket-dir; admin.sock stays in the state dir");
	pid = start(d.dir, sockets);
	snprintf(path, sizeof(path), "%s/control.sock", sockets);
	wait_for_socket(path, pid);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0666); /* the directory is the gate */
	snprintf(path, sizeof(path), "%s/admin.sock", d.dir);
	wait_for_socket(path, pid);
	snprintf(path, sizeof(path), "%s/control.sock", d.dir);
	CHECK(stat(path, &st) < 0 && errno == ENOENT);
	CHECK_INT(stat(d.dir, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0700);

	test_step("the shell's calls work on it");
	snprintf(path, sizeof(path), "%s/control.sock", sockets);
	CHECK_INT(client_connect(path, &c), 0);
	CHECK_INT(client_call(c, "onward.Service.GetInfo", NULL, 10000, &reply), 0);
	CHECK(reply.error == NULL);
	client_reply_release(&reply);
	client_free(c);
	CHECK_INT(kill(pid, SIGTERM), 0);
	status = wait_exit(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	test_step("a directory that is not there, or not absolute: refused at start (2)");
	{
		const char *bad[][2] = {
		        {"/nonexistent/onward", "--socket-dir /nonexistent/onward: No such file or "
		                                "directory\n"},
		        {"relative/dir", "--socket-dir relative/dir: not an absolute path short "
		                         "enough for a socket\n"},
		        {"/etc/hostname", "--socket-dir /etc/hostname: Not a directory\n"},
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			const char *argv[] = {run_bin("onward-policyd"),
			                      "--state-dir",
			                      d.dir,
			                      "--socket-dir",
			                      bad[i][0],
			                      NULL};
			struct run_result r;

			run_program(argv, NULL, NULL, 10000, &r);
			CHECK_INT(r.status, 2);
			CHECK_CONTAINS(r.err, bad[i][1]);
			run_result_release(&r);
		}
	}
	snprintf(path, sizeof(path), "rm -rf '%s'", sockets);
	CHECK_INT(system(path), 0);
	daemon_remove(&d);
	printf("test-socket-dir: ok\n");
	return 0;
}
