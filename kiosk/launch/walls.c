/*
 * The walls by name, and what the kernel offers before anything starts. The launcher asks
 * the kernel for the Landlock ABI and for seccomp's user notification (the exec gate) up
 * front, so that a kernel without them is refused with a clear line before any process is
 * cloned; namespaces and mounts are proven by building them. Also here: the one-message
 * helpers every process of the sandbox uses to report to the launcher.
 */
#include "launch.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif
#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif

static const struct {
	const char *name;
	unsigned bits;
} names[] = {
        {"namespaces", WALL_NAMESPACES | WALL_MOUNTS}, /* no mount tree without them */
        {"mounts", WALL_MOUNTS},
        {"landlock", WALL_LANDLOCK},
        {"seccomp", WALL_SECCOMP},
        {"all", WALL_ALL},
};

int
walls_parse(const char *list, unsigned *ret_walls, const char **ret_bad)
{
	static char bad[32];
	unsigned walls = 0;
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		bool known = false;

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strlen(names[i].name) == n && strncmp(names[i].name, p, n) == 0) {
				walls |= names[i].bits;
				known = true;
			}
		}
		if (!known) {
			snprintf(bad, sizeof(bad), "%.*s", (int)(n < 24 ? n : 24), p);
			*ret_bad = bad;
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	*ret_walls = walls;
	return 0;
}

const char *
walls_describe(unsigned walls, char *buf, size_t size)
{
	static const struct {
		unsigned bit;
		const char *name;
	} words[] = {{WALL_NAMESPACES, "namespaces"},
	             {WALL_MOUNTS, "mounts"},
	             {WALL_LANDLOCK, "landlock"},
	             {WALL_SECCOMP, "seccomp"}};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		int n;

		if (!(walls & words[i].bit))
			continue;
		n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", words[i].name);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

int
walls_probe(unsigned walls, int *ret_landlock_abi, struct launch_failure *ret_fail)
{
	int abi = 0;

	if (walls & WALL_LANDLOCK) {
		long r = syscall(__NR_landlock_create_ruleset, NULL, 0,
		                 LANDLOCK_CREATE_RULESET_VERSION);

		if (r < 1)
			return launch_fail(ret_fail, r < 0 ? errno : EOPNOTSUPP,
			                   "Landlock (this kernel does not offer it)");
		abi = (int)r;
	}
	if (walls & WALL_SECCOMP) {
		unsigned action = SECCOMP_RET_USER_NOTIF;

		/* The exec gate needs user notification (Linux 5.0) and its CONTINUE (5.5);
		 * ask for the action, which every kernel with both answers. */
		if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0)
			return launch_fail(ret_fail, errno,
			                   "seccomp (this kernel has no user notification)");
	}
	*ret_landlock_abi = abi;
	return 0;
}

void
launch_msg_send(int fd, enum launch_msg_kind kind, int error, int status, const char *step)
{
	struct launch_msg m = {.kind = (uint32_t)kind, .error = error, .status = status};

	if (step)
		snprintf(m.step, sizeof(m.step), "%s", step);
	while (send(fd, &m, sizeof(m), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

int
launch_fail(struct launch_failure *ret_fail, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ret_fail->step, sizeof(ret_fail->step), fmt, ap);
	va_end(ap);
	ret_fail->error = error > 0 ? error : EIO;
	return -ret_fail->error;
}
