/*
 * Clocks. Wall-clock time is stored as Unix seconds (UTC) everywhere; it is shown to people
 * in Europe/London time by the layers that show it. The monotonic clock times benchmarks
 * and back-off.
 */
#ifndef ONWARD_TIMEUTIL_H
#define ONWARD_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Seconds since the Unix epoch, UTC. */
int64_t time_now(void);

/* Monotonic nanoseconds, for measuring intervals. */
uint64_t time_mono_ns(void);

/* Formats Unix seconds as "2026-11-23T11:30:52Z" into buf (at least 21 bytes). */
void time_format_utc(int64_t t, char *buf, size_t size);

/* Parses "YYYY-MM-DD" as midnight UTC of that day; returns 0 or -EINVAL. */
int time_parse_date(const char *s, int64_t *ret_t);

#endif
