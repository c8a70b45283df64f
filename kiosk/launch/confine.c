/*
 * The app process (C), from fork to exec. In this order, each step checked: a session of
 * its own (so kill(0, ...) reaches nothing else); default signals; the seccomp program
 * built (the last moment memory may be allocated); the app's user with no capabilities;
 * dying with the sandbox's init (set after the user change, which would clear it);
 * resource limits; no new privileges; Landlock; the seccomp
 * filter loaded, its exec-gate listener handed to init; then fexecve() of the descriptor
 * that was hashed. Any failure is sent to the launcher and ends C before the app runs.
 */
#include "launch.h"

#include <errno.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Hands the listener to init over the gate socket (SCM_RIGHTS). */
static int
send_listener(int gate, int listener)
{
	char byte = 'L';
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

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &listener, sizeof(int));
	while (sendmsg(gate, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

void
confine_and_exec(const struct launch_plan *plan, bool in_userns, bool can_setgroups, int status,
                 int gate, struct launch_failure *ret_fail)
{
	struct sock_fprog prog = {0};
	const char *step = "";
	pid_t parent = getppid();
	int listener = -1, r;

	(void)status;
	if (setsid() < 0) {
		launch_fail(ret_fail, errno, "the app's session");
		return;
	}
	if ((r = fds_reset_signals()) < 0) {
		launch_fail(ret_fail, -r, "signals");
		return;
	}
	if ((plan->walls & WALL_SECCOMP) && (r = syscalls_build(&prog)) < 0) {
		launch_fail(ret_fail, -r, "seccomp: building the filter");
		return;
	}
	if ((r = creds_drop(in_userns, can_setgroups, &step)) < 0) {
		launch_fail(ret_fail, -r, "%s", step);
		goto fail;
	}
	/* After the user change, which would clear it; then make sure init is still there. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent) {
		launch_fail(ret_fail, errno ? errno : ESRCH, "the app's parent-death signal");
		goto fail;
	}
	if ((r = limits_apply(&plan->limits, &step)) < 0) {
		launch_fail(ret_fail, -r, "the %s limit", step);
		goto fail;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		launch_fail(ret_fail, errno ? errno : EPERM, "no new privileges");
		goto fail;
	}
	if ((plan->walls & WALL_LANDLOCK) && landlock_apply(plan, ret_fail) < 0)
		goto fail;
	if (plan->walls & WALL_SECCOMP) {
		/* From here on only the allow-list: sendmsg, close and the gated exec. */
		if ((r = syscalls_install(&prog, &listener)) < 0) {
			launch_fail(ret_fail, -r, "seccomp: loading the filter");
			goto fail;
		}
		r = send_listener(gate, listener);
		close(listener);
		if (r < 0) {
			launch_fail(ret_fail, -r, "seccomp: handing over the exec gate");
			goto fail;
		}
	}
	close(gate);
	fexecve(plan->exe, plan->argv, plan->envp);
	launch_fail(ret_fail, errno, "running the app");
fail:
	syscalls_release(&prog);
}
