/*
 * onward-session's internals: main.c runs the shell as its child and restarts it when it
 * ends or hangs; liveness.c reads, from /proc, whether the shell's UI thread is still
 * waking up and sleeping as a live event loop does; notify.c speaks systemd's notify
 * protocol (READY=1, WATCHDOG=1, STATUS=...), so that systemd restarts the whole session
 * when onward-session itself, or cage around it, stops answering.
 */
#ifndef ONWARD_SESSION_H
#define ONWARD_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One look at a thread: its voluntary sleeps, CPU time and scheduler state. */
struct liveness_sample {
	uint64_t sleeps; /* voluntary_ctxt_switches: times it waited for something */
	uint64_t cpu_ticks; /* utime + stime, in clock ticks */
	char state; /* R, S, D, T, t, Z... */
};

/* Reads the main thread of pid; -errno (-ENOENT once it has gone). */
int liveness_sample(pid_t pid, struct liveness_sample *ret);

/*
 * Between two samples `interval_ms` apart: did the thread behave like a live event loop,
 * which wakes, works briefly and waits again? False when it never waited (blocked for
 * good, stopped, or spinning) or used at least 95% of a CPU the whole time.
 */
bool liveness_progressed(const struct liveness_sample *before, const struct liveness_sample *after,
                         unsigned interval_ms);

/* Sends one notify message to $NOTIFY_SOCKET when systemd gave one; no-op otherwise. */
void notify_send(const char *message);

#endif
