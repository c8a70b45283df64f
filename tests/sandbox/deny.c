/*
 * sandbox-deny: runs a program with one system call made to fail, as a kernel without
 * that mechanism (or a container forbidding it) would. test_sandbox.c's "refusal" case
 * runs onward-launch under it to show that a wall it cannot build stops the app.
 *   sandbox-deny SYSCALL ERRNO -- PROGRAM [ARG]...
 * SYSCALL is a name, or "clone-newuser" (clone() asking for a user namespace) or
 * "seccomp-load" (seccomp() loading a filter, not asking what the kernel offers).
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static int
errno_of(const char *name)
{
	return strcmp(name, "ENOSYS") == 0 ? ENOSYS : strcmp(name, "EINVAL") == 0 ? EINVAL : EPERM;
}

int
main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int r, e;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: sandbox-deny SYSCALL ERRNO -- PROGRAM [ARG]...\n");
		return 2;
	}
	e = errno_of(argv[2]);
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return 1;
	if (strcmp(argv[1], "clone-newuser") == 0) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(e), SCMP_SYS(clone), 1,
		                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	} else if (strcmp(argv[1], "seccomp-load") == 0) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(e), SCMP_SYS(seccomp), 1,
		                     SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER));
	} else {
		int nr = seccomp_syscall_resolve_name(argv[1]);

		r = nr == __NR_SCMP_ERROR ? -EINVAL
		                          : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(e), nr, 0);
	}
	if (r == 0)
		r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ? -errno : 0;
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0) {
		fprintf(stderr, "sandbox-deny: %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	execv(argv[4], argv + 4);
	fprintf(stderr, "sandbox-deny: %s: %s\n", argv[4], strerror(errno));
	return 127;
}
