/*
 * Program runner for tests (see run.h): fork, exec, read both outputs through pipes with
 * poll() until the child exits or the time limit passes.
 */
#include "run.h"

#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const char *
run_bin(const char *name)
{
	static char paths[8][512];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 512, "%s/%s", ONWARD_BIN_DIR, name);
	return p;
}

struct capture {
	char *buf;
	size_t len, cap;
};

static void
capture_append(struct capture *c, const char *data, size_t n)
{
	if (c->len + n + 1 > c->cap) {
		c->cap = (c->len + n + 1) * 2;
		c->buf = realloc(c->buf, c->cap);
		CHECK(c->buf != NULL);
	}
	memcpy(c->buf + c->len, data, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
run_program(const char *const argv[], const char *const env_extra[], const char *stdin_text,
            int timeout_ms, struct run_result *ret)
{
	int out_pipe[2], err_pipe[2], in_pipe[2];
	struct capture out = {0}, err = {0};
	int64_t deadline = now_ms() + timeout_ms;
	bool killed = false;
	pid_t pid;
	int status;

	CHECK(pipe2(out_pipe, O_CLOEXEC) == 0 && pipe2(err_pipe, O_CLOEXEC) == 0 &&
	      pipe2(in_pipe, O_CLOEXEC) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		dup2(in_pipe[0], 0);
		dup2(out_pipe[1], 1);
		dup2(err_pipe[1], 2);
		for (int i = 0; env_extra && env_extra[i]; i++)
			putenv((char *)(uintptr_t)env_extra[i]);
		execve(argv[0], (char *const *)(uintptr_t)argv, environ);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	close(in_pipe[0]);
	if (stdin_text)
		(void)!write(in_pipe[1], stdin_text, strlen(stdin_text));
	close(in_pipe[1]);
	capture_append(&out, "", 0);
	capture_append(&err, "", 0);
	for (int open_pipes = 2; open_pipes > 0;) {
		struct pollfd pfd[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
		int64_t left = deadline - now_ms();
		char buf[4096];

		if (left <= 0 && !killed) {
			kill(pid, SIGKILL);
			killed = true;
		}
		if (poll(pfd, 2, left > 0 ? (int)left : 1000) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!(pfd[i].revents & (POLLIN | POLLHUP)) || pfd[i].fd < 0)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n > 0) {
				capture_append(i == 0 ? &out : &err, buf, (size_t)n);
			} else {
				close(i == 0 ? out_pipe[0] : err_pipe[0]);
				if (i == 0)
					out_pipe[0] = -1;
				else
					err_pipe[0] = -1;
				open_pipes--;
			}
		}
		if (out_pipe[0] < 0 && err_pipe[0] < 0)
			break;
	}
	if (out_pipe[0] >= 0)
		close(out_pipe[0]);
	if (err_pipe[0] >= 0)
		close(err_pipe[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	ret->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	ret->out = out.buf;
	ret->err = err.buf;
}

void
run_result_release(struct run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
