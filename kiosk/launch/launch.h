/*
 * onward-launch's internals, one concern per file, in the order they run. The launcher
 * process (A) runs main.c, verify.c (open the binary and check its SHA-256 from the opened
 * descriptor), environ.c (the environment allow-list), fds.c (the channel to descriptor 3,
 * everything else closed) and then spawn.c, which clones the sandbox's first process (B)
 * into new namespaces, writes its user and group maps, forwards signals and reports the
 * app's end as its own. B runs init.c: it builds the mount tree (mounts.c), forks the app
 * (C), and stays as the namespace's init, reaping, forwarding signals and letting the app
 * execute exactly one program (the exec gate). C runs confine.c: the app's user, no
 * capabilities (creds.c), resource limits (limits.c), no new privileges, Landlock
 * (landlock.c, with elf.c for the program's interpreter), the seccomp filter
 * (syscalls.c), then fexecve() of the checked descriptor. walls.c names the walls. Only
 * main.c and spawn.c print.
 */
#ifndef ONWARD_LAUNCH_H
#define ONWARD_LAUNCH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAUNCH_CHANNEL_FD 3 /* where the app finds its channel: ONWARD_CHANNEL_FD=3 */
#define LAUNCH_SHA256_LEN 32

/* Exit statuses, as a shell would use them. */
#define LAUNCH_EXIT_USAGE 2 /* bad arguments, or no channel descriptor */
#define LAUNCH_EXIT_REFUSED 126 /* the binary changed, or the app could not be set up */
#define LAUNCH_EXIT_NOT_FOUND 127 /* PATH does not exist */

/* The app's user and group inside its user namespace (outside: the launcher's own). */
#define LAUNCH_APP_ID 1000

struct launch_limits {
	uint64_t memory_mb; /* address space; 0: leave as inherited */
	uint64_t cpu_seconds; /* CPU time; 0: leave as inherited */
	uint64_t max_files; /* open descriptors */
	uint64_t max_processes; /* processes and threads (per app in its user namespace) */
};

/* The walls, one bit each. A production build always builds all of them and refuses to
 * start an app when one cannot be built; only a build with test hooks can leave one down
 * (--without), so the tests can prove each wall on its own. */
enum launch_wall {
	WALL_NAMESPACES = 1u << 0, /* user, mount, PID, network, IPC, UTS and cgroup */
	WALL_MOUNTS = 1u << 1, /* the minimal read-only mount tree (needs the namespaces) */
	WALL_LANDLOCK = 1u << 2, /* file access rules, TCP and scope rules where offered */
	WALL_SECCOMP = 1u << 3, /* the system call allow-list and the exec gate */
};
#define WALL_ALL (WALL_NAMESPACES | WALL_MOUNTS | WALL_LANDLOCK | WALL_SECCOMP)

/* What the sandbox gives the app, by kind; mounts.c binds them, landlock.c allows them. */
enum path_kind {
	PATH_RO, /* read-only: libraries, fonts, locale, the app's own files */
	PATH_DEV, /* a device node: /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom */
	PATH_SOCKET, /* the display server's socket (X11 or Wayland) */
	PATH_LINK, /* a top-level symbolic link such as /lib -> usr/lib, recreated as is */
	PATH_RW, /* TEST HOOKS ONLY: the directory of ONWARD_APP_SCRIPT, for its screenshots */
};

struct launch_path {
	char path[PATH_MAX]; /* absolute, as the app sees it (the same as outside) */
	char link[PATH_MAX]; /* PATH_LINK: the target */
	enum path_kind kind;
	bool is_dir;
};

#define LAUNCH_MAX_PATHS 48
#define LAUNCH_SCRATCH "/tmp" /* the app's only writable place: a private tmpfs */

struct launch_plan {
	int exe; /* the checked program, open read-only and close-on-exec */
	char *const *argv; /* borrowed: PATH and its arguments */
	char **envp; /* the environment of environ.c */
	struct launch_limits limits;
	uint64_t scratch_mb; /* size of the scratch tmpfs */
	unsigned walls; /* WALL_* to build */
	int landlock_abi; /* 0 when Landlock is not used */
	struct launch_path paths[LAUNCH_MAX_PATHS];
	size_t n_paths;
};

/* A failed step, reported from whichever process it happened in. */
struct launch_failure {
	char step[96]; /* "mount tree: /usr/lib", "Landlock", ... */
	int error; /* a positive errno */
};

/* verify.c: opens path read-only (close-on-exec) and hashes it from that descriptor.
 * Returns the descriptor, or -errno; -ENOEXEC for something that is not a regular file. */
int verify_open(const char *path);
int verify_sha256_fd(int fd, uint8_t ret_digest[LAUNCH_SHA256_LEN]);
/* Parses 64 hex digits (either case); -EINVAL otherwise. */
int verify_parse_hex(const char *hex, uint8_t ret_digest[LAUNCH_SHA256_LEN]);

/* environ.c: a new environment holding only the allow-listed variables of `old` plus
 * ONWARD_CHANNEL_FD=3. The strings are borrowed from `old` or static; free the array with
 * free(). NULL when memory runs out. */
char **environ_build(char *const old[]);
/* The allow-list, NULL-terminated, for --help and the tests. */
extern const char *const environ_allowed[];
/* The value of NAME in env (an environ_build() result), or NULL. */
const char *environ_get(char *const env[], const char *name);

/* fds.c: makes 0, 1 and 2 open (on /dev/null when they are not), checks that `channel`
 * is an open socket above 2 (-EBADF, -ENOTSOCK, -ERANGE), and moves it to descriptor 3
 * without close-on-exec. */
int fds_take_channel(int channel);
/* Closes every descriptor above 3 except `keep` (the binary, closed by exec). */
int fds_close_others(int keep);
/* Default dispositions and an empty signal mask: an app must not inherit the shell's. */
int fds_reset_signals(void);

/* limits.c: sets the limits, core size 0 always. -errno naming nothing; main reports. */
int limits_apply(const struct launch_limits *limits, const char **ret_which);

/* walls.c: parses "seccomp,landlock" (or "all") into WALL_* bits; -EINVAL naming the
 * first unknown word in ret_bad. */
int walls_parse(const char *list, unsigned *ret_walls, const char **ret_bad);
/* "namespaces, Landlock" for the walls in `walls`, into buf. */
const char *walls_describe(unsigned walls, char *buf, size_t size);
/* Probes what the kernel offers before anything is started: the Landlock ABI (0 when
 * absent) and whether seccomp has user notification. Fills ret_fail on a missing wall
 * that `walls` needs. */
int walls_probe(unsigned walls, int *ret_landlock_abi, struct launch_failure *ret_fail);

/* mounts.c: fills plan->paths from the system list, the app's directory, the display's
 * sockets and (test hooks) the script's directory. */
int mounts_plan(struct launch_plan *plan, const char *app_path, struct launch_failure *ret_fail);
/* In B, with the mount namespace's privileges: builds the tree on a fresh tmpfs, mounts
 * /proc, /dev and the scratch, makes the root read-only and pivots into it. */
int mounts_build(const struct launch_plan *plan, struct launch_failure *ret_fail);

/* creds.c: becomes LAUNCH_APP_ID with no supplementary groups (where the namespace
 * allows dropping them) and no capabilities in any set, and checks that it holds. */
int creds_drop(bool in_userns, bool can_setgroups, const char **ret_step);

/* elf.c: the program interpreter (PT_INTERP) of the ELF file open at fd, or "" for a
 * static program; -ENOEXEC for something that is not a 64-bit ELF file of this machine. */
int elf_interpreter(int fd, char *ret_path, size_t size);

/* landlock.c: restricts this process to plan->paths (and execute on the program and its
 * interpreter); denies TCP and scopes abstract sockets and signals where the ABI has
 * them; then checks that a path outside the rules is refused. */
int landlock_apply(const struct launch_plan *plan, struct launch_failure *ret_fail);

/* syscalls.c: the seccomp allow-list as a BPF program for this process (built while
 * memory can still be allocated); syscalls_install() loads it, returning the exec gate's
 * listener descriptor. */
struct sock_fprog;
int syscalls_build(struct sock_fprog *ret_prog);
void syscalls_release(struct sock_fprog *prog);
int syscalls_install(const struct sock_fprog *prog, int *ret_listener);

/* confine.c: C's last steps (creds, limits, no new privileges, Landlock, seccomp) and the
 * exec. Returns only on failure; `status` is the socket to A, `gate` the one to B. */
void confine_and_exec(const struct launch_plan *plan, bool in_userns, bool can_setgroups,
                      int status, int gate, struct launch_failure *ret_fail);

/* init.c: B's life: the mount tree, the app's fork, then init of the namespace until
 * the app ends. Never returns. */
_Noreturn void init_run(const struct launch_plan *plan, int status, bool can_setgroups);

/* spawn.c: A's side. Starts B in its namespaces, writes the id maps, forwards signals,
 * and waits; returns the app's exit status, or -1 after printing why it could not run.
 * A signal that ended the app ends the launcher the same way. */
int spawn_run(const struct launch_plan *plan);

/* Messages on the SOCK_SEQPACKET socket from B and C to A (and A's go-ahead to B). */
enum launch_msg_kind {
	MSG_GO = 1, /* A to B: the id maps are written */
	MSG_FAIL, /* B or C to A: a step failed; the app did not start */
	MSG_EXIT, /* B to A: the app ended with `status` (a wait status) */
	MSG_EXEC_DENIED, /* B to A: the app tried to execute another program */
};

struct launch_msg {
	uint32_t kind;
	int32_t error; /* MSG_FAIL: positive errno */
	int32_t status; /* MSG_EXIT: wait status */
	char step[96]; /* MSG_FAIL */
};

/* Sends a message, retrying on EINTR; used by every process of the sandbox. */
void launch_msg_send(int fd, enum launch_msg_kind kind, int error, int status, const char *step);
/* Fills ret_fail and returns -error: a shorthand for the steps. */
int launch_fail(struct launch_failure *ret_fail, int error, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
