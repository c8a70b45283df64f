/*
 * messages-open-app (TEST ONLY): what the shell does to start an app, without the shell
 * or the sandbox: logs a person in on control.sock, asks onward.App.Open for the app,
 * puts the channel it is given on descriptor 3 and executes the program with
 * ONWARD_CHANNEL_FD=3. For trying the Messages app by hand and for its benchmarks.
 *   messages-open-app STATE_DIR PRISON_NUMBER PIN PROGRAM [ARG]...
 */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct client *c;
	struct client_reply r;
	char path[4200];
	pid_t pid;
	int status;

	if (argc < 5) {
		fprintf(stderr, "usage: messages-open-app STATE_DIR PRISON_NUMBER PIN PROGRAM "
		                "[ARG]...\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/control.sock", argv[1]);
	if (client_connect(path, &c) < 0) {
		fprintf(stderr, "messages-open-app: cannot connect to %s\n", path);
		return 1;
	}
	if (client_call(c, "onward.Session.Login",
	                json_pack("{s:s, s:s}", "prison_number", argv[2], "pin", argv[3]), 10000,
	                &r) < 0 ||
	    r.error) {
		fprintf(stderr, "messages-open-app: login refused\n");
		return 1;
	}
	client_reply_release(&r);
	if (client_call(c, "onward.App.Open", json_pack("{s:s}", "app", "messages"), 10000, &r) <
	            0 ||
	    r.error || r.fd < 0) {
		fprintf(stderr, "messages-open-app: App.Open refused: %s\n",
		        r.parameters ? client_reply_message(&r) : "no reply");
		return 1;
	}
	/* The session lasts while this process keeps its login connection: the app is a
	 * child, as under the shell. */
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (dup2(r.fd, 3) < 0)
			_exit(1);
		setenv("ONWARD_CHANNEL_FD", "3", 1);
		execv(argv[4], argv + 4);
		perror("messages-open-app: exec");
		_exit(127);
	}
	client_reply_release(&r); /* closes our copy of the channel */
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	client_free(c);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
