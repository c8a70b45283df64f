/*
 * Is the shell alive? A live UI loop (the toolkit's waits at most 500 ms for an event)
 * sleeps voluntarily several times a second and uses little CPU. A hung one does not:
 * blocked for good (a deadlock, a stuck call), stopped, or spinning. The kernel counts a
 * thread's voluntary context switches and its CPU time in /proc; comparing two samples
 * tells the two apart without any cooperation from the shell.
 */
#include "session.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUSY_PERCENT 95

static int
read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n > 0 ? 0 : -ENOENT;
}

int
liveness_sample(pid_t pid, struct liveness_sample *ret)
{
	char path[64], buf[4096], *p;
	unsigned long long utime, stime;
	int r;

	/* The main thread: the one that runs the UI loop. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)pid);
	r = read_file(path, buf, sizeof(buf));
	if (r < 0)
		return r;
	/* After the command name, which may hold spaces and parentheses: state is field 3,
	 * utime and stime fields 14 and 15. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu",
	                 &ret->state, &utime, &stime) != 3)
		return -EIO;
	ret->cpu_ticks = utime + stime;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)pid);
	r = read_file(path, buf, sizeof(buf));
	if (r < 0)
		return r;
	p = strstr(buf, "\nvoluntary_ctxt_switches:");
	if (!p || sscanf(p + 25, "%" SCNu64, &ret->sleeps) != 1)
		return -EIO;
	return 0;
}

bool
liveness_progressed(const struct liveness_sample *before, const struct liveness_sample *after,
                    unsigned interval_ms)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t used_ms;

	if (after->sleeps == before->sleeps)
		return false; /* it never waited: blocked, stopped or spinning */
	if (hz <= 0)
		hz = 100;
	used_ms = (after->cpu_ticks - before->cpu_ticks) * 1000 / (uint64_t)hz;
	return used_ms * 100 < (uint64_t)interval_ms * BUSY_PERCENT;
}
