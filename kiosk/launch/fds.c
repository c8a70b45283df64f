/*
 * Descriptors and signals the app inherits. The app gets standard input, output and error
 * (on /dev/null when the launcher had none), its channel as descriptor 3, and nothing
 * else: every other descriptor is closed with close_range(). Signal dispositions and the
 * mask go back to the defaults, because both survive exec and the shell blocks the
 * signals it reads through its own loop.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#include <linux/close_range.h>
#endif

static int
ensure_std_open(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nul;

		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		nul = open("/dev/null", O_RDWR | O_NOCTTY);
		if (nul < 0)
			return -errno;
		if (nul != fd) {
			/* Lower descriptors are open, so open() returned fd unless a race. */
			close(nul);
			return -EBADF;
		}
	}
	return 0;
}

int
fds_take_channel(int channel)
{
	struct stat st;
	int r;

	if (channel <= 2)
		return -ERANGE;
	if (fcntl(channel, F_GETFD) < 0)
		return -EBADF;
	if (fstat(channel, &st) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	r = ensure_std_open();
	if (r < 0)
		return r;
	if (channel != LAUNCH_CHANNEL_FD) {
		if (dup2(channel, LAUNCH_CHANNEL_FD) < 0)
			return -errno;
		close(channel);
	}
	/* dup2 clears close-on-exec; a channel already at 3 may still have it. */
	if (fcntl(LAUNCH_CHANNEL_FD, F_SETFD, 0) < 0)
		return -errno;
	return 0;
}

static int
close_from_to(unsigned first, unsigned last)
{
	if (first > last)
		return 0;
	if (close_range(first, last, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	/* Kernels before 5.9: one by one up to the descriptor limit. */
	long max = sysconf(_SC_OPEN_MAX);

	if (max < 0 || max > INT_MAX)
		max = 65536;
	for (long fd = first; fd <= (long)last && fd < max; fd++)
		close((int)fd);
	return 0;
}

int
fds_close_others(int keep)
{
	int r;

	if (keep <= LAUNCH_CHANNEL_FD)
		return close_from_to(LAUNCH_CHANNEL_FD + 1, ~0U);
	r = close_from_to(LAUNCH_CHANNEL_FD + 1, (unsigned)keep - 1);
	if (r == 0)
		r = close_from_to((unsigned)keep + 1, ~0U);
	return r;
}

int
fds_reset_signals(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		/* Real-time signals glibc reserves refuse a change: that is fine. */
		(void)signal(sig, SIG_DFL);
	}
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		return -errno;
	return 0;
}
