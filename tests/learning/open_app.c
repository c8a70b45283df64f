/*
 * learning-open-app: starts an app the way the shell would, for tests: logs a person in on
 * control.sock, asks onward.App.Open for the app, and runs PROGRAM with the channel the
 * daemon passed back as descriptor 3 (ONWARD_CHANNEL_FD=3). It keeps the session's
 * connection open while the app runs (the session, and so the channel, ends with it) and
 * exits with the app's status. No sandbox: that is onward-launch's job, tested apart.
 *
 *   learning-open-app CONTROL_SOCK PRISON_NUMBER PIN APP -- PROGRAM [ARG]...
 */
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int
call(struct client *c, const char *method, json_t *params, struct client_reply *ret)
{
	int r = client_call(c, method, params, 20000, ret);

	if (r < 0) {
		fprintf(stderr, "learning-open-app: %s: %s\n", method, strerror(-r));
		return -1;
	}
	if (ret->error) {
		fprintf(stderr, "learning-open-app: %s: %s\n", method, client_reply_message(ret));
		client_reply_release(ret);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct client *c;
	struct client_reply r;
	int status, fd;
	pid_t pid;

	if (argc < 7 || strcmp(argv[5], "--") != 0) {
		fprintf(stderr, "Usage: learning-open-app CONTROL_SOCK PRISON_NUMBER PIN APP -- "
		                "PROGRAM [ARG]...\n");
		return 2;
	}
	if (client_connect(argv[1], &c) < 0) {
		fprintf(stderr, "learning-open-app: cannot connect to %s\n", argv[1]);
		return 1;
	}
	if (call(c, "onward.Session.Login",
	         json_pack("{s:s, s:s}", "prison_number", argv[2], "pin", argv[3]), &r) < 0) {
		client_free(c);
		return 1;
	}
	client_reply_release(&r);
	if (call(c, "onward.App.Open", json_pack("{s:s}", "app", argv[4]), &r) < 0) {
		client_free(c);
		return 1;
	}
	fd = r.fd;
	r.fd = -1;
	client_reply_release(&r);
	if (fd < 0) {
		fprintf(stderr, "learning-open-app: no channel came with App.Open\n");
		client_free(c);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		/* dup2 onto itself would keep close-on-exec: clear it instead. */
		if (fd == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(fd, 3) < 0)
			_exit(127);
		setenv("ONWARD_CHANNEL_FD", "3", 1);
		execv(argv[6], argv + 6);
		_exit(127);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		client_free(c);
		return 1;
	}
	client_free(c);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "learning-open-app: %s ended by signal %d\n", argv[6],
		        WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}
