/*
 * Landlock: the kernel's own file access rules for an unprivileged process, independent
 * of the mount tree (a second wall: either alone keeps the store out of reach). The
 * ruleset handles every file right the running kernel's ABI knows, so anything not
 * granted below is refused: read-only for the plan's read-only paths and the sandbox's
 * /proc; read and write for the device nodes and the scratch; execute for exactly two
 * files, the
 * app's program (the descriptor that was hashed) and its ELF interpreter. Where the ABI
 * has them it also refuses every TCP bind and connect (ABI 4), ioctl on devices (ABI 5),
 * and connecting to abstract Unix sockets or signalling processes outside the sandbox
 * (ABI 6). The constants are spelled out here because Debian 12's headers stop at ABI 2.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REMOVE_DIR (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR (1ULL << 6)
#define LL_FS_MAKE_DIR (1ULL << 7)
#define LL_FS_MAKE_REG (1ULL << 8)
#define LL_FS_MAKE_SOCK (1ULL << 9)
#define LL_FS_MAKE_FIFO (1ULL << 10)
#define LL_FS_MAKE_BLOCK (1ULL << 11)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13) /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0) /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1) /* ABI 4 */
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1) /* ABI 6 */
#define LL_RULE_PATH_BENEATH 1

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#define READ_RIGHTS (LL_FS_READ_FILE | LL_FS_READ_DIR)
#define FILE_RIGHTS (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE)
#define WRITE_RIGHTS                                                                               \
	(LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_REMOVE_DIR | \
	 LL_FS_REMOVE_FILE | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_REFER)

static uint64_t
handled_fs(int abi)
{
	uint64_t fs = (LL_FS_MAKE_SYM << 1) - 1; /* ABI 1: EXECUTE to MAKE_SYM */

	if (abi >= 2)
		fs |= LL_FS_REFER;
	if (abi >= 3)
		fs |= LL_FS_TRUNCATE;
	if (abi >= 5)
		fs |= LL_FS_IOCTL_DEV;
	return fs;
}

/* Allows `access` (masked to what the ruleset handles) beneath the open file `fd`. */
static int
allow_fd(int ruleset, int fd, uint64_t access, uint64_t handled, bool is_dir)
{
	struct ll_path_beneath rule = {.parent_fd = fd};

	/* A rule on a file may only carry file rights. */
	rule.allowed_access = access & handled & (is_dir ? ~0ULL : FILE_RIGHTS);
	if (!rule.allowed_access)
		return 0;
	if (syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0) < 0)
		return -errno;
	return 0;
}

static int
allow_path(int ruleset, const char *path, uint64_t access, uint64_t handled, bool is_dir)
{
	int fd = open(path, O_PATH | O_CLOEXEC), r;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno; /* the app simply does without it */
	r = allow_fd(ruleset, fd, access, handled, is_dir);
	close(fd);
	return r;
}

static uint64_t
rights_for(const struct launch_path *p)
{
	switch (p->kind) {
	case PATH_RO:
		return READ_RIGHTS;
	case PATH_DEV:
		return LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_TRUNCATE;
	case PATH_RW:
		return WRITE_RIGHTS;
	default:
		return 0; /* sockets need no right to connect; links resolve into /usr */
	}
}

int
landlock_apply(const struct launch_plan *plan, struct launch_failure *ret_fail)
{
	struct ll_ruleset_attr attr = {.handled_access_fs = handled_fs(plan->landlock_abi)};
	size_t attr_size = sizeof(attr.handled_access_fs);
	char interp[PATH_MAX];
	int ruleset, fd, r = 0;

	if (plan->landlock_abi >= 4) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		attr_size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (plan->landlock_abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		attr_size = sizeof(attr);
	}
	r = elf_interpreter(plan->exe, interp, sizeof(interp));
	if (r < 0)
		return launch_fail(ret_fail, -r, "Landlock: reading the program's interpreter");

	ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, attr_size, 0);
	if (ruleset < 0)
		return launch_fail(ret_fail, errno, "Landlock: creating the ruleset");
	for (size_t i = 0; i < plan->n_paths && r == 0; i++) {
		r = allow_path(ruleset, plan->paths[i].path, rights_for(&plan->paths[i]),
		               attr.handled_access_fs, plan->paths[i].is_dir);
		if (r < 0)
			launch_fail(ret_fail, -r, "Landlock: %.80s", plan->paths[i].path);
	}
	/* The scratch and /proc are the sandbox's own only inside the mount tree; without
	 * it (test builds) they would be the host's, so Landlock then grants neither. */
	if (r == 0 && (plan->walls & WALL_MOUNTS) &&
	    (r = allow_path(ruleset, LAUNCH_SCRATCH, WRITE_RIGHTS, attr.handled_access_fs, true)) <
	            0)
		launch_fail(ret_fail, -r, "Landlock: %s", LAUNCH_SCRATCH);
	if (r == 0 && (plan->walls & WALL_MOUNTS) &&
	    (r = allow_path(ruleset, "/proc", READ_RIGHTS, attr.handled_access_fs, true)) < 0)
		launch_fail(ret_fail, -r, "Landlock: /proc");
	/* Execute: the checked program (by its descriptor), and its interpreter. */
	if (r == 0 && (r = allow_fd(ruleset, plan->exe, LL_FS_EXECUTE | LL_FS_READ_FILE,
	                            attr.handled_access_fs, false)) < 0)
		launch_fail(ret_fail, -r, "Landlock: the app's program");
	if (r == 0 && interp[0]) {
		fd = open(interp, O_PATH | O_CLOEXEC);
		if (fd < 0)
			r = -errno;
		else
			r = allow_fd(ruleset, fd, LL_FS_EXECUTE | LL_FS_READ_FILE,
			             attr.handled_access_fs, false);
		if (fd >= 0)
			close(fd);
		if (r < 0)
			launch_fail(ret_fail, -r, "Landlock: the interpreter %.60s", interp);
	}
	if (r == 0 && syscall(__NR_landlock_restrict_self, ruleset, 0) < 0)
		r = launch_fail(ret_fail, errno, "Landlock: restricting the app");
	close(ruleset);
	if (r < 0)
		return r;

	/* Verify: the root directory is outside every rule, so listing it is refused. */
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 || errno != EACCES) {
		if (fd >= 0)
			close(fd);
		return launch_fail(ret_fail, EPERM, "Landlock: the rules did not take hold");
	}
	return 0;
}
