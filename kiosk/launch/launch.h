/*
 * onward-launch's internals, one concern per file: verify.c (open the binary and check
 * its SHA-256 from the opened descriptor), environ.c (the environment allow-list), fds.c
 * (the channel to descriptor 3, everything else closed), limits.c (resource limits),
 * sandbox.c (no new privileges, and the place where namespaces, Landlock and seccomp go).
 * main.c runs them in that order and is the only file that prints.
 */
#ifndef ONWARD_LAUNCH_H
#define ONWARD_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAUNCH_CHANNEL_FD 3 /* where the app finds its channel: ONWARD_CHANNEL_FD=3 */
#define LAUNCH_SHA256_LEN 32

/* Exit statuses, as a shell would use them. */
#define LAUNCH_EXIT_USAGE 2 /* bad arguments, or no channel descriptor */
#define LAUNCH_EXIT_REFUSED 126 /* the binary changed, or the app could not be set up */
#define LAUNCH_EXIT_NOT_FOUND 127 /* PATH does not exist */

struct launch_limits {
	uint64_t memory_mb; /* address space; 0: leave as inherited */
	uint64_t cpu_seconds; /* CPU time; 0: leave as inherited */
	uint64_t max_files; /* open descriptors */
	uint64_t max_processes; /* processes and threads of the user (see README) */
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

/* sandbox.c: the last step before exec; see the file for what comes later. */
int sandbox_enter(const char **ret_step);

#endif
