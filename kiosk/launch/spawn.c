/*
 * The launcher's side of the sandbox (A). One clone() makes B in new user, mount, PID,
 * network, IPC, UTS and cgroup namespaces; A writes B's user and group maps from outside
 * (the app is LAUNCH_APP_ID inside and the launcher's own user outside: an app never
 * runs as anyone with more rights than the shell that started it), then tells B to go
 * and waits. The shell sees only A: SIGTERM and the like are passed on to the app through
 * B, and the app's end becomes A's own, the same exit status or the same signal, so the
 * shell's account of a crash or a hang is unchanged. Setup failures in B or C arrive as
 * messages and are printed here as one line.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NAMESPACES                                                                                 \
	(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | \
	 CLONE_NEWCGROUP)

static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
static volatile pid_t sandbox_pid;

static void
on_forward(int sig)
{
	int saved = errno;

	if (sandbox_pid > 0)
		kill(sandbox_pid, sig);
	errno = saved;
}

static int
write_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : n == (ssize_t)strlen(text) ? 0 : -EIO;
	close(fd);
	return (int)n;
}

/* LAUNCH_APP_ID inside is our own user and group outside; nothing else is mapped. An
 * unprivileged launcher must give up setgroups() for the group map; root keeps it so the
 * app can drop root's supplementary groups. */
static int
write_maps(pid_t pid, const char **ret_which)
{
	char map[64];
	int r = 0;

	*ret_which = "setgroups";
	if (geteuid() != 0)
		r = write_file(pid, "setgroups", "deny");
	if (r == 0) {
		*ret_which = "uid_map";
		snprintf(map, sizeof(map), "%d %u 1\n", LAUNCH_APP_ID, (unsigned)geteuid());
		r = write_file(pid, "uid_map", map);
	}
	if (r == 0) {
		*ret_which = "gid_map";
		snprintf(map, sizeof(map), "%d %u 1\n", LAUNCH_APP_ID, (unsigned)getegid());
		r = write_file(pid, "gid_map", map);
	}
	return r;
}

static void
print_failure(const char *step, int error)
{
	fprintf(stderr, "onward-launch: cannot set up the sandbox: %s: %s\n", step,
	        strerror(error));
}

/* Ends this process as the app ended: the same signal (no core: RLIMIT_CORE is 0). */
static int
end_like(int ws)
{
	struct rlimit none = {0, 0};
	sigset_t one;
	int sig;

	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (!WIFSIGNALED(ws))
		return LAUNCH_EXIT_REFUSED;
	sig = WTERMSIG(ws);
	(void)setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	return 128 + sig; /* a signal that does not end a process (none we forward) */
}

int
spawn_run(const struct launch_plan *plan)
{
	struct sigaction sa = {.sa_handler = on_forward};
	struct launch_msg m;
	bool userns = plan->walls & WALL_NAMESPACES, failed = false, exited = false, denied = false;
	char step[sizeof(m.step)] = "";
	int sv[2], error = 0, ws = 0, bws = 0;
	const char *which;
	long pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		print_failure("its socket", errno);
		return -1;
	}
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);

	/* Like fork(), into new namespaces: B is PID 1 of its own. */
	pid = syscall(SYS_clone, (unsigned long)(SIGCHLD | (userns ? NAMESPACES : 0)), NULL, NULL,
	              NULL, NULL);
	if (pid == 0) {
		close(sv[0]);
		for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
			signal(forwarded[i], SIG_DFL);
		init_run(plan, sv[1], geteuid() == 0);
	}
	close(sv[1]);
	if (pid < 0) {
		int e = errno;

		close(sv[0]);
		print_failure(e == EINVAL || e == ENOSYS
		                      ? "namespaces (this kernel or emulator does not offer them)"
		                      : "namespaces (user, mount, PID, network, IPC)",
		              e);
		return -1;
	}
	sandbox_pid = (pid_t)pid;
	/* A holds nothing of the app's: the channel and the program are B's and C's. */
	close(LAUNCH_CHANNEL_FD);
	close(plan->exe);
	if (userns) {
		int r = write_maps((pid_t)pid, &which);

		if (r < 0) {
			kill((pid_t)pid, SIGKILL);
			waitpid((pid_t)pid, NULL, 0);
			close(sv[0]);
			snprintf(step, sizeof(step), "namespaces: writing %s", which);
			print_failure(step, -r);
			return -1;
		}
	}
	launch_msg_send(sv[0], MSG_GO, 0, 0, NULL);

	for (;;) {
		ssize_t n = recv(sv[0], &m, sizeof(m), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(m))
			break; /* end of file: B has gone */
		m.step[sizeof(m.step) - 1] = '\0';
		if (m.kind == MSG_FAIL && !failed) {
			failed = true;
			error = m.error;
			snprintf(step, sizeof(step), "%s", m.step);
		} else if (m.kind == MSG_EXIT) {
			exited = true;
			ws = m.status;
		} else if (m.kind == MSG_EXEC_DENIED) {
			denied = true;
		}
	}
	close(sv[0]);
	while (waitpid((pid_t)pid, &bws, 0) < 0 && errno == EINTR)
		;
	sandbox_pid = 0;

	if (failed) {
		print_failure(step, error);
		return strcmp(step, "running the app") == 0 && error == ENOENT
		               ? LAUNCH_EXIT_NOT_FOUND
		               : -1;
	}
	if (denied)
		fprintf(stderr, "onward-launch: the app tried to run another program; the sandbox "
		                "stopped it\n");
	if (exited)
		return end_like(ws);
	/* B ended without a word: killed from outside (the shell's SIGKILL), most likely. */
	if (WIFSIGNALED(bws))
		return end_like(bws);
	fprintf(stderr, "onward-launch: the sandbox ended before the app did\n");
	return -1;
}
