/*
 * The daemon's one clock. Every wall-clock time the daemon uses — audit rows, sessions,
 * lockouts, messages, reminders, the hour and weekday policy decides on — comes from
 * clock_now(), never from time() or the C library directly, so that a test can say what
 * time it is. Intervals (timeouts, back-off, benchmarks) use libuv's monotonic clock,
 * which is not wall time.
 *
 * The clock is the process's, like the system clock it stands for: there is exactly one.
 * In a build with test hooks (ONWARD_TEST_HOOKS, never in packages) the environment
 * variable ONWARD_TEST_CLOCK ("2026-12-09T10:00:00Z") starts it at that instant, from
 * where it runs at the real rate; onward.Test.Clock (the test area) sets or advances it.
 */
#ifndef ONWARD_POLICYD_CLOCK_H
#define ONWARD_POLICYD_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reads the test hook's starting time, if the build has hooks and one is set. Returns 0,
 * or -EINVAL with one line in ret_error when ONWARD_TEST_CLOCK is not a valid time.
 */
int clock_init(char *ret_error, size_t size);

/* Seconds since the Unix epoch, UTC: now, by the daemon's clock. */
int64_t clock_now(void);

/* True when the clock has been set by a test (the daemon logs it at start). */
bool clock_is_set(void);

#ifdef ONWARD_TEST_HOOKS
/* Test hooks only: from now on the clock reads `at`, then runs at the real rate. */
void clock_set(int64_t at);
#endif

/*
 * Parses "YYYY-MM-DDTHH:MM:SSZ" (UTC) into Unix seconds. Returns 0 or -EINVAL; *ret_t
 * untouched on failure.
 */
int clock_parse_utc(const char *text, int64_t *ret_t);

#endif
