/*
 * test-hostile-channel: the daemon's end of an app's channel, misbehaving, for
 * e2e_app_channel.sh. It makes a socket pair, starts the app with the other end as
 * descriptor 3 (ONWARD_CHANNEL_FD=3, as onward-launch does), reads the app's first call
 * and then, by MODE:
 *
 *   extra    answers it as the daemon would (onward.App.Info for Sam), then sends a reply
 *            to nothing
 *   silent   never answers
 *   cut      sends half a reply and closes the channel
 *
 * It is a mock because the real daemon cannot be made to misbehave. It keeps its end open
 * until the app ends, and exits with the app's status (128 + signal when killed).
 *
 *   test-hostile-channel MODE APP [ARG]...
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define UNASKED "{\"parameters\":{\"unasked\":true}}"
#define INFO                                                                                       \
	"{\"parameters\":{\"app\":\"stub\",\"title\":\"Stub\",\"person\":{\"given_name\":"         \
	"\"Sam\",\"family_name\":\"Jones\",\"prison_number\":\"A1234BC\"},\"permissions\":"        \
	"[{\"action\":\"app.open\",\"allowed\":true}]}}"

static void
send_text(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, text, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

/* Reads up to and with the first NUL: the app's first call. */
static int
read_call(int fd)
{
	char c;

	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (c == '\0')
			return 0;
	}
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	int sv[2], status;
	pid_t pid;

	if (strcmp(mode, "extra") != 0 && strcmp(mode, "silent") != 0 && strcmp(mode, "cut") != 0) {
		fprintf(stderr, "usage: test-hostile-channel extra|silent|cut APP [ARG]...\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("test-hostile-channel: socketpair");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("test-hostile-channel: fork");
		return 1;
	}
	if (pid == 0) {
		/* dup2 clears close-on-exec on the copy: the app inherits descriptor 3. */
		if (dup2(sv[1], 3) < 0 || setenv("ONWARD_CHANNEL_FD", "3", 1) < 0)
			_exit(127);
		execv(argv[2], argv + 2);
		_exit(127);
	}
	close(sv[1]);
	if (read_call(sv[0]) == 0) {
		if (strcmp(mode, "extra") == 0) {
			send_text(sv[0], INFO, sizeof(INFO));
			send_text(sv[0], UNASKED, sizeof(UNASKED));
		} else if (strcmp(mode, "cut") == 0) {
			send_text(sv[0], INFO, sizeof(INFO) / 2);
			close(sv[0]);
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
