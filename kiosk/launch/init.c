/*
 * B: the first process of the sandbox, PID 1 of its PID namespace. It waits for the
 * launcher to write its user and group maps, names the host "onward-app", builds the
 * mount tree, forks the app (C, which runs confine.c), lets go of the channel and the
 * program, and stays as the namespace's init for as long as the app runs:
 *
 *   - the exec gate: the app's seccomp filter sends execve() and execveat() here; the
 *     first, C's own exec of the checked program, continues; any later one kills the app
 *     and is reported, so an app can never become another program;
 *   - signals from the launcher (SIGTERM from the shell, say) are passed to the app: an
 *     init ignores signals it has no handler for, so B has handlers and reads them from a
 *     signalfd;
 *   - when the app ends, its wait status goes to the launcher and B exits, which ends
 *     every process left in the namespace; when the launcher goes, B and the app go too.
 */
#include "launch.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

struct gate {
	int listener; /* -1 until the app hands it over */
	bool used; /* the app's one exec has happened */
	struct seccomp_notif *req; /* owned; sized as the kernel says */
	struct seccomp_notif_resp *resp; /* owned */
	size_t req_size, resp_size;
};

static void
on_signal(int sig)
{
	(void)sig; /* never runs: the signals are blocked and read from the signalfd */
}

static _Noreturn void
fail_and_exit(int status, const struct launch_failure *f)
{
	launch_msg_send(status, MSG_FAIL, f->error, 0, f->step);
	_exit(LAUNCH_EXIT_REFUSED);
}

static int
receive_listener(int gate)
{
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	ssize_t n;
	int fd;

	memset(&u, 0, sizeof(u));
	n = recvmsg(gate, &msg, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return n == 0 ? -EPIPE : -errno;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* One notification: the first exec from the app continues, anything else ends the app. */
static void
gate_answer(struct gate *g, pid_t app, int status)
{
	memset(g->req, 0, g->req_size);
	if (ioctl(g->listener, SECCOMP_IOCTL_NOTIF_RECV, g->req) < 0)
		return; /* EINTR, or the caller is already gone (ENOENT) */
	memset(g->resp, 0, g->resp_size);
	g->resp->id = g->req->id;
	if (!g->used && g->req->pid == (uint32_t)app) {
		g->used = true;
		g->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	} else {
		kill(app, SIGKILL);
		g->resp->error = -EPERM;
		launch_msg_send(status, MSG_EXEC_DENIED, 0, 0, NULL);
	}
	(void)ioctl(g->listener, SECCOMP_IOCTL_NOTIF_SEND, g->resp);
}

static int
gate_init(struct gate *g)
{
	struct seccomp_notif_sizes sizes = {0};

	g->listener = -1;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return -errno;
	g->req_size = sizes.seccomp_notif > sizeof(*g->req) ? sizes.seccomp_notif : sizeof(*g->req);
	g->resp_size = sizes.seccomp_notif_resp > sizeof(*g->resp) ? sizes.seccomp_notif_resp
	                                                           : sizeof(*g->resp);
	g->req = calloc(1, g->req_size);
	g->resp = calloc(1, g->resp_size);
	return g->req && g->resp ? 0 : -ENOMEM;
}

static int
signals_take(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		sigaddset(&mask, forwarded[i]);
		if (sigaction(forwarded[i], &sa, NULL) < 0)
			return -errno;
	}
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	return signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Reaps everything; reports and returns true when the app itself has ended. */
static bool
reap(pid_t app, int status)
{
	int ws;
	pid_t pid;

	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0) {
		if (pid == app) {
			launch_msg_send(status, MSG_EXIT, 0, ws, NULL);
			return true;
		}
	}
	return false;
}

_Noreturn void
init_run(const struct launch_plan *plan, int status, bool can_setgroups)
{
	struct launch_failure f = {{0}, 0};
	struct launch_msg m;
	struct gate g = {0};
	bool in_userns = plan->walls & WALL_NAMESPACES;
	int sfd, gate_sv[2], r;
	pid_t app;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		_exit(LAUNCH_EXIT_REFUSED);
	/* The launcher's go-ahead: the maps are written. Nothing (end of file): it is gone. */
	while ((r = (int)recv(status, &m, sizeof(m), 0)) < 0 && errno == EINTR)
		;
	if (r != (int)sizeof(m) || m.kind != MSG_GO)
		_exit(LAUNCH_EXIT_REFUSED);

	sfd = signals_take();
	if (sfd < 0) {
		launch_fail(&f, -sfd, "the sandbox's signals");
		fail_and_exit(status, &f);
	}
	if ((plan->walls & WALL_SECCOMP) && (r = gate_init(&g)) < 0) {
		launch_fail(&f, -r, "seccomp: the exec gate");
		fail_and_exit(status, &f);
	}
	if (in_userns && sethostname("onward-app", 10) < 0) {
		launch_fail(&f, errno, "namespaces: the host name");
		fail_and_exit(status, &f);
	}
	if ((plan->walls & WALL_MOUNTS) && mounts_build(plan, &f) < 0)
		fail_and_exit(status, &f);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, gate_sv) < 0) {
		launch_fail(&f, errno, "the exec gate's socket");
		fail_and_exit(status, &f);
	}
	app = fork();
	if (app < 0) {
		launch_fail(&f, errno, "starting the app");
		fail_and_exit(status, &f);
	}
	if (app == 0) {
		close(gate_sv[0]);
		close(sfd);
		confine_and_exec(plan, in_userns, can_setgroups, status, gate_sv[1], &f);
		fail_and_exit(status, &f);
	}
	/* The channel and the program are the app's alone now. */
	close(gate_sv[1]);
	close(LAUNCH_CHANNEL_FD);
	close(plan->exe);

	for (int gate = gate_sv[0];;) {
		struct pollfd pfd[4] = {{sfd, POLLIN, 0},
		                        {status, POLLIN, 0},
		                        {gate, POLLIN, 0},
		                        {g.listener, POLLIN, 0}};

		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD) {
					if (reap(app, status))
						_exit(0);
				} else {
					kill(app, (int)si.ssi_signo);
				}
			}
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			/* The launcher never writes after its go-ahead: it has gone. */
			kill(app, SIGKILL);
			_exit(LAUNCH_EXIT_REFUSED);
		}
		if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR)) {
			int fd = receive_listener(gate);

			if (fd >= 0)
				g.listener = fd;
			close(gate); /* one listener, or the app has exec'd and closed it */
			gate = -1;
		}
		if (pfd[3].revents & POLLIN)
			gate_answer(&g, app, status);
		else if (pfd[3].revents & (POLLHUP | POLLERR)) {
			close(g.listener); /* no task is left using the filter */
			g.listener = -1;
		}
	}
	kill(app, SIGKILL);
	_exit(LAUNCH_EXIT_REFUSED);
}
