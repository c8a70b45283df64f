/*
 * Resource limits for the app, soft and hard alike so the app cannot raise them again:
 * address space, CPU time, open descriptors, processes, and no core files (a core of an
 * app holds the person's data). CPU time gets a hard limit a few seconds above the soft
 * one, so an app that ignores SIGXCPU is then killed.
 */
#include "launch.h"

#include <errno.h>
#include <sys/resource.h>

#define CPU_GRACE_SECONDS 5

static int
set(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = {.rlim_cur = soft, .rlim_max = hard};

	return setrlimit(resource, &rl) < 0 ? -errno : 0;
}

int
limits_apply(const struct launch_limits *l, const char **ret_which)
{
	int r = 0;

	*ret_which = "core size";
	r = set(RLIMIT_CORE, 0, 0);
	if (r == 0 && l->memory_mb) {
		*ret_which = "memory";
		r = set(RLIMIT_AS, (rlim_t)l->memory_mb << 20, (rlim_t)l->memory_mb << 20);
	}
	if (r == 0 && l->cpu_seconds) {
		*ret_which = "CPU time";
		r = set(RLIMIT_CPU, l->cpu_seconds, l->cpu_seconds + CPU_GRACE_SECONDS);
	}
	if (r == 0) {
		*ret_which = "open files";
		r = set(RLIMIT_NOFILE, l->max_files, l->max_files);
	}
	if (r == 0) {
		*ret_which = "processes";
		r = set(RLIMIT_NPROC, l->max_processes, l->max_processes);
	}
	return r;
}
