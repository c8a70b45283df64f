/*
 * confine.c: onward-parse's walls, built before it reads a byte from the daemon, in the
 * order "acquire, drop, verify":
 *   1. warm up, while files may still be opened: OpenSSL reads its configuration and
 *      loads its default provider on first use, jansson seeds its hash function from
 *      /dev/urandom, and glibc reads /etc/localtime for libzip's mktime(), so each is done
 *      once now (a SHA-256, an Ed25519 check, a JSON object; TZ set to a rule) and nothing
 *      needs to open a file later; then the seccomp filter is built (libseccomp writes it
 *      to a memfd, which RLIMIT_FSIZE would forbid afterwards);
 *   2. resource limits: no core dumps (a crash must not write what it held to disk), no
 *      file may be written (RLIMIT_FSIZE 0), a few descriptors, 1 GiB of address space;
 *   3. no new privileges, and not dumpable (no process of the same user may ptrace it);
 *   4. Landlock, where the kernel offers it (and the service manager lets it be asked):
 *      a ruleset that handles every file right and allows none, and every TCP bind and
 *      connect (ABI 4), abstract Unix sockets and signals outside (ABI 6);
 *   5. the seccomp filter (below), loaded with prctl(), which systemd's @system-service
 *      allows where the seccomp() call itself is not. If it cannot be loaded, onward-parse
 *      stops: there is no unconfined way to run.
 * Each step is checked where it can be (the limits read back, no_new_privs read back).
 *
 * The filter is an allow-list; anything else kills the process (SECCOMP_RET_KILL_PROCESS,
 * which the kernel logs), and the daemon answers the call that was running with a plain
 * error and starts a new child. Allowed: reading any descriptor it holds (read, pread64,
 * lseek, fstat: only the ones the daemon passed it), recvmsg and sendmsg on its socket,
 * write on its socket and standard error, memory (mmap and mprotect never executable),
 * close, the clock, its own signals (abort), exit. Not allowed, among everything else:
 * open and openat, socket and connect, execve, fork and clone, ptrace, ioctl, prctl.
 */
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto.h"
#include "ed25519.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_restrict_self 446
#endif
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_FS_ABI1 ((1ULL << 13) - 1) /* EXECUTE .. MAKE_SYM */
#define LL_FS_REFER (1ULL << 13) /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0) /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* A fixed Ed25519 public key and a signature that does not verify: a check's full path. */
static void
warm_up(void)
{
	static const uint8_t raw[32] = {0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7,
	                                0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
	                                0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,
	                                0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};
	static const uint8_t sig[ED25519_SIG_LEN];
	uint8_t digest[32];

	/* libzip turns each entry's DOS time into a time_t with mktime(), which reads
	 * /etc/localtime unless TZ names a zone by rule; the value does not matter here. */
	setenv("TZ", "UTC0", 1);
	tzset();
	json_object_seed(0);
	json_decref(json_object());
	(void)crypto_sha256("onward", 6, digest);
	(void)ed25519_verify_raw(raw, digest, sizeof(digest), sig);
}

static int
set_limit(int resource, rlim_t value)
{
	struct rlimit rl = {value, value}, check;

	if (setrlimit(resource, &rl) < 0)
		return -errno;
	if (getrlimit(resource, &check) < 0 || check.rlim_cur != value || check.rlim_max != value)
		return -EPERM;
	return 0;
}

static int
limits_apply(unsigned wanted, struct parse_walls *walls, const char **ret_step)
{
	int r;

	*ret_step = "resource limits";
	/* No file may grow. A write to one then fails (EFBIG) instead of killing the child:
	 * the daemon gives it a pipe for standard error, but one started by hand may have a
	 * file there, and must still end by its own exit status. */
	signal(SIGXFSZ, SIG_IGN);
	r = set_limit(RLIMIT_CORE, 0);
	if (r == 0)
		r = set_limit(RLIMIT_FSIZE, 0);
	if (r == 0)
		r = set_limit(RLIMIT_NOFILE, PARSE_FILES_MAX);
	if (r == 0)
		r = set_limit(RLIMIT_MEMLOCK, 0);
#ifndef PARSE_SANITIZER_BUILD
	/* SANITIZER BUILDS leave it: AddressSanitizer reserves terabytes of address space. */
	if (r == 0 && (wanted & WALL_MEMORY))
		r = set_limit(RLIMIT_AS, PARSE_MEMORY_MAX);
	if (r == 0 && (wanted & WALL_MEMORY))
		walls->memory_max = PARSE_MEMORY_MAX;
#else
	(void)wanted;
#endif
	return r;
}

/* Landlock's best ABI here; 0 when there is none (or the service manager refuses it). */
static int
landlock_abi(void)
{
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

static int
landlock_apply(int abi, const char **ret_step)
{
	struct ll_ruleset_attr attr = {LL_FS_ABI1, 0, 0};
	size_t size = 8; /* ABI 1-3 know only handled_access_fs */
	long fd;
	int r = 0;

	*ret_step = "Landlock";
	if (abi >= 2)
		attr.handled_access_fs |= LL_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= LL_FS_TRUNCATE;
	if (abi >= 4) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		size = 16;
	}
	if (abi >= 5)
		attr.handled_access_fs |= LL_FS_IOCTL_DEV;
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		size = sizeof(attr);
	}
	/* No rule is added: every handled right is refused everywhere. */
	fd = syscall(__NR_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		return -errno;
	if (syscall(__NR_landlock_restrict_self, (int)fd, 0) < 0)
		r = -errno;
	close((int)fd);
	/* Verify: the daemon's own state must now be out of reach even by path. */
	if (r == 0) {
		int probe = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (probe >= 0) {
			close(probe);
			r = -EPERM;
		}
	}
	return r;
}

static int
rule(scmp_filter_ctx ctx, const char *name, unsigned n, const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0; /* not a system call on this architecture */
	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, n, args);
}

static int
add_rules(scmp_filter_ctx ctx)
{
	/* clang-format off */
	static const char *const any_args[] = {
		"read", "pread64", "readv", "lseek", "fstat", "close",
		"brk", "munmap", "mremap", "madvise",
		"clock_gettime", "clock_getres", "gettimeofday",
		"getpid", "gettid", "rt_sigprocmask", "rt_sigaction", "rt_sigreturn",
		"futex", "sysinfo", "exit", "exit_group",
#ifdef PARSE_SANITIZER_BUILD
		/* SANITIZER BUILDS ONLY: the runtimes' reports and their own threads. */
		"sched_yield", "sigaltstack", "getrlimit", "prlimit64", "readlink",
#endif
		NULL,
	};
	/* clang-format on */
	const scmp_datum_t self = (scmp_datum_t)getpid();
	struct scmp_arg_cmp on_socket = {0, SCMP_CMP_EQ, PARSE_CHILD_FD, 0};
	struct scmp_arg_cmp on_stderr = {0, SCMP_CMP_EQ, STDERR_FILENO, 0};
	struct scmp_arg_cmp not_exec = {2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0};
	struct scmp_arg_cmp to_self = {0, SCMP_CMP_EQ, self, 0};
	int r = 0;

	for (size_t i = 0; any_args[i] && r == 0; i++)
		r = rule(ctx, any_args[i], 0, NULL);
	if (r == 0)
		r = rule(ctx, "recvmsg", 1, &on_socket);
	if (r == 0)
		r = rule(ctx, "sendmsg", 1, &on_socket);
	if (r == 0)
		r = rule(ctx, "write", 1, &on_socket);
	if (r == 0)
		r = rule(ctx, "write", 1, &on_stderr);
	if (r == 0)
		r = rule(ctx, "writev", 1, &on_stderr); /* glibc's fatal messages */
	if (r == 0)
		r = rule(ctx, "mmap", 1, &not_exec);
	if (r == 0)
		r = rule(ctx, "mprotect", 1, &not_exec);
	if (r == 0)
		r = rule(ctx, "tgkill", 1, &to_self); /* abort() */
	return r;
}

/* Builds the filter while files may still be written (libseccomp exports it to a memfd). */
static int
seccomp_build(struct sock_fprog *ret_prog)
{
	/* Where libseccomp cannot ask the kernel which actions it offers (a service manager's
	 * filter refusing seccomp()), it refuses "kill the process": killing the thread is the
	 * same here, as the child has one thread. */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	struct sock_filter *code = NULL;
	off_t size = 0;
	int fd = -1, r;

	if (!ctx)
		ctx = seccomp_init(SCMP_ACT_KILL_THREAD);
	if (!ctx)
		return -ENOMEM;
	r = add_rules(ctx);
	if (r == 0) {
		fd = memfd_create("onward-parse-filter", MFD_CLOEXEC);
		r = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	}
	if (r == 0) {
		size = lseek(fd, 0, SEEK_END);
		if (size <= 0 || size > 65536 || size % (off_t)sizeof(struct sock_filter) != 0)
			r = -EINVAL;
	}
	if (r == 0 && !(code = malloc((size_t)size)))
		r = -ENOMEM;
	if (r == 0 && pread(fd, code, (size_t)size, 0) != size)
		r = -EIO;
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	if (r < 0) {
		free(code);
		return r;
	}
	ret_prog->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	ret_prog->filter = code;
	return 0;
}

int
confine_all(unsigned walls, struct parse_walls *ret_walls, const char **ret_step)
{
	struct parse_walls got = {0};
	struct sock_fprog prog = {0};
	int abi, r = 0;

	warm_up();
	*ret_step = "seccomp filter";
	if (walls & WALL_SECCOMP)
		r = seccomp_build(&prog);
	if (r == 0)
		r = limits_apply(walls, &got, ret_step);
	if (r == 0) {
		*ret_step = "no new privileges";
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
			r = -errno;
		else if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
			r = -EPERM;
		got.no_new_privs = r == 0;
	}
	abi = r == 0 && (walls & WALL_LANDLOCK) ? landlock_abi() : 0;
	if (abi > 0) {
		r = landlock_apply(abi, ret_step);
		got.landlock_abi = r == 0 ? abi : 0;
	}
	/* Last, with prctl(): systemd's @system-service allows it where seccomp() is not. */
	if (r == 0 && (walls & WALL_SECCOMP)) {
		*ret_step = "seccomp filter";
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
			r = -errno;
		got.seccomp = r == 0;
	}
	free(prog.filter);
	if (r < 0)
		return r;
	*ret_walls = got;
	return 0;
}
