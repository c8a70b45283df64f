/*
 * The seccomp filter: the system calls an SDL2 app needs (memory, threads, time, files
 * as Landlock allows them, polling, Unix sockets to its channel and the display server,
 * shared memory for the display), each allowed by name, a few narrowed by argument; any
 * other call kills the whole app (SECCOMP_RET_KILL_PROCESS, which the kernel logs). The
 * narrowed ones: socket() and socketpair() only for AF_UNIX (no network, netlink or
 * packet sockets); clone() only for threads; kill() and tgkill() only at the app itself;
 * prctl() and ioctl() only for a handful of harmless requests; prlimit64() only to read.
 * clone3() answers ENOSYS, so the C library falls back to clone(), whose flags a filter
 * can see. The few calls the toolkit's libraries make when they find the font cache cold
 * or stale, or when they ask for real-time priority, fail with EPERM instead (the refused
 * list below; kiosk/README.md has the table of who calls what, and why): refused, each
 * costs the library only its cache or its priority. execve() and execveat() go to the exec
 * gate in init.c (user notification):
 * the launcher's own exec of the app passes, any later one kills the app. The filter is
 * built with libseccomp while memory can still be allocated and exported as BPF, then
 * loaded with seccomp(2) directly after the limits are set.
 */
#include "launch.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif

#define MAX_FILTER_BYTES (64 * 1024)

/* clang-format off */
static const char *const allowed[] = {
	/* memory */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "msync", "membarrier",
	/* threads and their synchronisation */
	"futex", "futex_waitv", "set_robust_list", "set_tid_address", "rseq", "sched_yield",
	"sched_getaffinity", "getcpu", "gettid", "arch_prctl",
	/* scheduling of its own threads (RLIMIT_RTPRIO and RLIMIT_NICE are 0) */
	"sched_getparam", "sched_getscheduler", "sched_setparam", "sched_setscheduler",
	"sched_get_priority_max", "sched_get_priority_min", "getpriority", "setpriority",
	/* time */
	"clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday",
	"time", "timer_create", "timer_settime", "timer_gettime", "timer_getoverrun",
	"timer_delete", "timerfd_create", "timerfd_settime", "timerfd_gettime", "alarm",
	"setitimer", "getitimer",
	/* signals to itself, and their handling */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigsuspend",
	"rt_sigtimedwait", "sigaltstack", "signalfd4", "restart_syscall", "pause",
	/* who it is, and what it may use */
	"getpid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getresuid",
	"getresgid", "getgroups", "getpgrp", "getpgid", "getsid", "getrlimit", "getrusage",
	"sysinfo", "times", "uname", "getrandom", "umask",
	/* descriptors and files (Landlock and the mount tree decide which files) */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev",
	"preadv2", "pwritev2", "lseek", "close", "close_range", "dup", "dup2", "dup3",
	"fcntl", "open", "openat", "creat", "stat", "fstat", "lstat", "newfstatat", "statx",
	"statfs", "fstatfs", "access", "faccessat", "faccessat2", "readlink", "readlinkat",
	"getdents64", "getdents", "getcwd", "chdir", "fchdir", "mkdir", "mkdirat", "rmdir",
	"unlink", "unlinkat", "rename", "renameat", "renameat2", "truncate", "ftruncate",
	"fallocate", "fsync", "fdatasync", "flock", "fadvise64", "utimensat", "fchmod",
	"memfd_create", "inotify_init1", "inotify_add_watch", "inotify_rm_watch",
	/* waiting */
	"poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "pipe", "pipe2",
	/* Unix sockets already made (socket() itself is narrowed below) */
	"connect", "sendto", "sendmsg", "sendmmsg", "recvfrom", "recvmsg", "recvmmsg",
	"shutdown", "getsockname", "getpeername", "getsockopt", "setsockopt",
	/* X11 shared memory (MIT-SHM), in the sandbox's own IPC namespace */
	"shmget", "shmat", "shmdt", "shmctl",
	/* the end */
	"exit", "exit_group",
#ifdef LAUNCH_SANITIZER_ENV
	/* SANITIZER BUILDS ONLY: LeakSanitizer stops the world with ptrace from a clone that
	 * shares memory (see the clone rules), and the runtimes read and set their own
	 * limits. Release builds never allow these. */
	"ptrace", "wait4", "waitid", "setrlimit", "personality", "process_vm_readv",
	"mincore", "tkill",
#endif
	NULL,
};
/*
 * Calls that fail with EPERM, as for a process that may not: what fontconfig does on a
 * cold or stale cache once it has scanned the fonts and wants to write a new one. The
 * sandbox has no cache folder it may write (/var/cache/fontconfig is read-only, and the
 * app has no HOME or XDG_CACHE_HOME), so fontconfig goes on without writing one.
 */
static const char *const refused[] = {
	/* FcDirCacheWrite: chmod(CACHEDIR, 0755) to make a read-only cache folder writable
	 * (the app was killed here once, while the tablet rebuilt its font cache) */
	"chmod", "fchmodat", "fchmodat2",
	/* FcAtomicLock: link() locks a cache file, and on EPERM fontconfig locks with
	 * mkdir() instead; symlink() is in the same library's cache code */
	"link", "linkat", "symlink", "symlinkat",
	NULL,
};
/* clang-format on */

static int
rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
     const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0; /* not a system call on this architecture (open() on arm64) */
	return seccomp_rule_add_array(ctx, action, nr, n, args);
}

static int
allow_each(scmp_filter_ctx ctx, const char *name, scmp_datum_t arg, const scmp_datum_t *values,
           size_t n)
{
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		struct scmp_arg_cmp cmp = {(unsigned)arg, SCMP_CMP_EQ, values[i], 0};

		r = rule(ctx, SCMP_ACT_ALLOW, name, 1, &cmp);
	}
	return r;
}

static int
add_rules(scmp_filter_ctx ctx)
{
	/* Thread names, and questions about itself (libcap asks the bounding set as it
	 * loads, through libpulse and libsystemd). */
	static const scmp_datum_t prctl_ok[] = {PR_SET_NAME, PR_GET_NAME, PR_GET_DUMPABLE,
	                                        PR_SET_VMA, PR_CAPBSET_READ};
	/* isatty(), the terminal size, bytes waiting, blocking and close-on-exec flags */
	static const scmp_datum_t ioctl_ok[] = {TCGETS,  TIOCGWINSZ, FIONREAD,
	                                        FIONBIO, FIOCLEX,    FIONCLEX};
	const scmp_datum_t self = (scmp_datum_t)getpid();
	/* A thread shares memory and signal handlers, and makes no namespace. */
	const scmp_datum_t clone_mask = CLONE_THREAD | CLONE_VM | CLONE_NEWNS | CLONE_NEWUSER |
	                                CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
	                                CLONE_NEWCGROUP;
	int r = 0;

	for (size_t i = 0; allowed[i] && r == 0; i++)
		r = rule(ctx, SCMP_ACT_ALLOW, allowed[i], 0, NULL);
	for (size_t i = 0; refused[i] && r == 0; i++)
		r = rule(ctx, SCMP_ACT_ERRNO(EPERM), refused[i], 0, NULL);
	if (r == 0) {
		struct scmp_arg_cmp unix_only = {0, SCMP_CMP_EQ, AF_UNIX, 0};

		r = rule(ctx, SCMP_ACT_ALLOW, "socket", 1, &unix_only);
		if (r == 0)
			r = rule(ctx, SCMP_ACT_ALLOW, "socketpair", 1, &unix_only);
	}
	if (r == 0) {
		struct scmp_arg_cmp thread = {0, SCMP_CMP_MASKED_EQ, clone_mask,
		                              CLONE_THREAD | CLONE_VM};

		r = rule(ctx, SCMP_ACT_ALLOW, "clone", 1, &thread);
	}
#ifdef LAUNCH_SANITIZER_ENV
	if (r == 0) {
		/* SANITIZER BUILDS ONLY: LeakSanitizer's tracer shares memory but is not a
		 * thread. A fork (no CLONE_VM) is still refused. */
		struct scmp_arg_cmp tracer = {0, SCMP_CMP_MASKED_EQ, clone_mask, CLONE_VM};

		r = rule(ctx, SCMP_ACT_ALLOW, "clone", 1, &tracer);
	}
#endif
	if (r == 0)
		r = rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
	if (r == 0)
		r = allow_each(ctx, "kill", 0, &self, 1);
	if (r == 0)
		r = allow_each(ctx, "tgkill", 0, &self, 1);
#ifndef LAUNCH_SANITIZER_ENV
	if (r == 0)
		r = allow_each(ctx, "prctl", 0, prctl_ok, sizeof(prctl_ok) / sizeof(prctl_ok[0]));
	if (r == 0) {
		struct scmp_arg_cmp get_only = {2, SCMP_CMP_EQ, 0, 0}; /* new_limit == NULL */
		struct scmp_arg_cmp set = {2, SCMP_CMP_NE, 0, 0};

		r = rule(ctx, SCMP_ACT_ALLOW, "prlimit64", 1, &get_only);
		/* Setting a limit is refused: the launcher set them all. SDL sets
		 * RLIMIT_RTTIME before it asks rtkit for a real-time audio thread. */
		if (r == 0)
			r = rule(ctx, SCMP_ACT_ERRNO(EPERM), "prlimit64", 1, &set);
		if (r == 0)
			r = rule(ctx, SCMP_ACT_ERRNO(EPERM), "setrlimit", 0, NULL);
	}
#else
	(void)prctl_ok;
	if (r == 0)
		r = rule(ctx, SCMP_ACT_ALLOW, "prctl", 0, NULL);
	if (r == 0)
		r = rule(ctx, SCMP_ACT_ALLOW, "prlimit64", 0, NULL);
#endif
	for (size_t i = 0; i < sizeof(ioctl_ok) / sizeof(ioctl_ok[0]) && r == 0; i++) {
		/* The request is an unsigned int in the kernel: compare the low 32 bits. */
		struct scmp_arg_cmp req = {1, SCMP_CMP_MASKED_EQ, 0xffffffffu, ioctl_ok[i]};

		r = rule(ctx, SCMP_ACT_ALLOW, "ioctl", 1, &req);
	}
	if (r == 0)
		r = rule(ctx, SCMP_ACT_NOTIFY, "execve", 0, NULL);
	if (r == 0)
		r = rule(ctx, SCMP_ACT_NOTIFY, "execveat", 0, NULL);
	return r;
}

int
syscalls_build(struct sock_fprog *ret_prog)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	struct sock_filter *code = NULL;
	off_t size = 0;
	int fd = -1, r;

	if (!ctx)
		return -ENOMEM;
	r = add_rules(ctx);
	if (r == 0) {
		fd = memfd_create("onward-launch-filter", MFD_CLOEXEC);
		r = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	}
	if (r == 0) {
		size = lseek(fd, 0, SEEK_END);
		if (size <= 0 || size > MAX_FILTER_BYTES ||
		    size % (off_t)sizeof(struct sock_filter) != 0)
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

void
syscalls_release(struct sock_fprog *prog)
{
	free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}

int
syscalls_install(const struct sock_fprog *prog, int *ret_listener)
{
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
	                  prog);

	if (fd < 0)
		return -errno;
	*ret_listener = (int)fd;
	return 0;
}
