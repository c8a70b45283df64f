/*
 * onward-session: the kiosk session's supervisor, run by cage as its only client. It runs
 * onward-shell as its child and keeps it running: when the shell ends (a crash, a kill)
 * it starts a new one, which opens on the login screen, so a person's session never
 * survives its shell; when the shell stops answering (its UI thread neither waits nor
 * rests for --hang-seconds, see liveness.c) it kills the shell and its app and starts a
 * new one the same way. Restarts back off from 250 ms to 8 s while the shell keeps dying
 * young. It tells systemd READY=1 once the first shell is alive and WATCHDOG=1 at each
 * check it passes, so a shell that cannot stay up, or a hung onward-session or cage, ends
 * in systemd restarting the whole session. SIGTERM, SIGINT or SIGHUP stop the shell
 * (SIGTERM, then SIGKILL after 5 s) and then onward-session.
 */
#include "log.h"
#include "session.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_HANG_SECONDS 10
#define DEFAULT_CHECK_MS 1000
#define STOP_GRACE_MS 5000
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 8000
#define YOUNG_MS 10000 /* a shell that dies younger than this is restarted more slowly */

struct options {
	unsigned hang_s;
	unsigned check_ms;
	char **shell_argv; /* borrowed from argv */
};

static const char usage[] =
        "Usage: onward-session [OPTION]... -- SHELL [ARG]...\n"
        "Runs the kiosk shell and starts it again, locked, when it ends or hangs.\n\n"
        "  --hang-seconds N  restart a shell whose UI has not answered for N seconds\n"
        "                    (default 10; 2 to 600)\n"
        "  --check-ms M      how often to look at it (default 1000; 100 to 10000)\n"
        "  --help            show this help\n\n"
        "It tells systemd READY=1 and WATCHDOG=1 (NOTIFY_SOCKET) while the shell is alive.\n"
        "SIGTERM, SIGINT or SIGHUP stop the shell, then onward-session (exit status 0).\n";

static int
parse_args(int argc, char **argv, struct options *o)
{
	*o = (struct options){DEFAULT_HANG_SECONDS, DEFAULT_CHECK_MS, NULL};
	int i = 1;

	while (i < argc) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;
		unsigned long n;

		if (strcmp(a, "--") == 0) {
			if (i + 1 >= argc)
				break;
			o->shell_argv = argv + i + 1;
			return 0;
		}
		if (strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (!v || (strcmp(a, "--hang-seconds") != 0 && strcmp(a, "--check-ms") != 0)) {
			fprintf(stderr, "onward-session: %s: %s (try --help)\n", a,
			        v ? "unknown option" : "needs a value");
			return -1;
		}
		errno = 0;
		n = strtoul(v, &end, 10);
		if (errno || *end || v[0] < '0' || v[0] > '9' ||
		    (a[2] == 'h' ? n < 2 || n > 600 : n < 100 || n > 10000)) {
			fprintf(stderr, "onward-session: %s: expected %s, not %s\n", a,
			        a[2] == 'h' ? "2 to 600" : "100 to 10000", v);
			return -1;
		}
		if (a[2] == 'h')
			o->hang_s = (unsigned)n;
		else
			o->check_ms = (unsigned)n;
		i += 2; /* the option and its value */
	}
	fprintf(stderr, "onward-session: no shell: give -- SHELL [ARG]... (try --help)\n");
	return -1;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pid_t
start_shell(char **argv, const sigset_t *blocked)
{
	pid_t parent = getpid(), pid = fork();

	if (pid != 0)
		return pid;
	/* Its own process group, so a hang takes its app down with it; gone with us. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(127);
	sigprocmask(SIG_UNBLOCK, blocked, NULL);
	/* Only onward-session speaks to systemd. */
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	/* cage sets DISPLAY for its Xwayland, started when an X11 client connects. The
	 * tablet's shell and apps speak Wayland only: without DISPLAY no app is given an X
	 * server's socket, where clients can read each other's windows and input. */
	if (getenv("WAYLAND_DISPLAY"))
		unsetenv("DISPLAY");
	execv(argv[0], argv);
	fprintf(stderr, "onward-session: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void
describe_end(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "was ended by signal %d", WTERMSIG(status));
	else
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
}

/* Waits up to `ms` for a signal; returns the one read, 0 on timeout. */
static int
next_signal(int sfd, int ms)
{
	struct pollfd pfd = {sfd, POLLIN, 0};
	struct signalfd_siginfo si;

	if (poll(&pfd, 1, ms < 0 ? 0 : ms) <= 0)
		return 0;
	if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	return (int)si.ssi_signo;
}

/* SIGTERM to the shell's group, SIGKILL after the grace period; reaps it. */
static void
stop_shell(pid_t shell, int sfd)
{
	int64_t deadline = now_ms() + STOP_GRACE_MS;
	int status;

	kill(-shell, SIGTERM);
	while (waitpid(shell, &status, WNOHANG) == 0) {
		int64_t left = deadline - now_ms();

		if (left <= 0) {
			log_warn("the shell did not stop in %d s: SIGKILL", STOP_GRACE_MS / 1000);
			kill(-shell, SIGKILL);
			waitpid(shell, &status, 0);
			break;
		}
		next_signal(sfd, (int)(left < 100 ? left : 100));
	}
}

int
main(int argc, char **argv)
{
	struct options o;
	sigset_t mask;
	bool ready = false;
	unsigned backoff = BACKOFF_MIN_MS;
	int sfd, r;

	r = parse_args(argc, argv, &o);
	if (r != 0)
		return r > 0 ? 0 : 2;
	log_setup("onward-session", LOG_LEVEL_INFO);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		log_error("cannot take signals: %s", strerror(errno));
		return 1;
	}

	for (;;) {
		struct liveness_sample last = {0};
		int64_t started = now_ms(), next_check = started + o.check_ms, stalled_ms = 0;
		bool have_sample = false;
		char why[64] = "";
		pid_t shell = start_shell(o.shell_argv, &mask);

		if (shell < 0) {
			log_error("cannot start %s: %s", o.shell_argv[0], strerror(errno));
			return 1;
		}
		setpgid(shell, shell); /* both sides, whichever runs first */
		log_info("started %s (pid %d)", o.shell_argv[0], (int)shell);

		for (;;) {
			int sig = next_signal(sfd, (int)(next_check - now_ms()));
			int status;

			if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
				log_info("%s: stopping the shell", strsignal(sig));
				notify_send("STOPPING=1");
				stop_shell(shell, sfd);
				return 0;
			}
			if (sig == SIGCHLD && waitpid(shell, &status, WNOHANG) == shell) {
				describe_end(status, why, sizeof(why));
				log_warn("the shell %s; starting it again, locked", why);
				break;
			}
			if (now_ms() < next_check)
				continue;
			/* A check: has the UI thread waited and rested since the last one? */
			{
				struct liveness_sample s;
				int64_t now = now_ms();
				unsigned span = (unsigned)(now - (next_check - o.check_ms));

				next_check = now + o.check_ms;
				if (liveness_sample(shell, &s) < 0)
					continue; /* just ended: SIGCHLD is on its way */
				if (have_sample && liveness_progressed(&last, &s, span)) {
					stalled_ms = 0;
					if (!ready) {
						notify_send("READY=1\nSTATUS=The kiosk shell is "
						            "running");
						ready = true;
					}
					notify_send("WATCHDOG=1");
					if (now - started > YOUNG_MS)
						backoff = BACKOFF_MIN_MS;
				} else if (have_sample) {
					stalled_ms += span;
				}
				last = s;
				have_sample = true;
				if (stalled_ms >= (int64_t)o.hang_s * 1000) {
					log_warn("the shell (pid %d) has not answered for %u s "
					         "(state "
					         "%c); restarting it, locked",
					         (int)shell, o.hang_s, s.state);
					notify_send("STATUS=The kiosk shell hung; restarting it");
					kill(-shell, SIGKILL);
					waitpid(shell, &status, 0);
					snprintf(why, sizeof(why), "hung");
					break;
				}
			}
		}
		/* Back off while the shell keeps dying young; SIGTERM still stops us. */
		if (now_ms() - started < YOUNG_MS) {
			int64_t until = now_ms() + backoff;

			while (now_ms() < until) {
				int sig = next_signal(sfd, (int)(until - now_ms()));

				if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
					notify_send("STOPPING=1");
					return 0;
				}
			}
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
		}
	}
}
