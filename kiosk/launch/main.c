/*
 * onward-launch: how the kiosk shell starts an app. It checks the app's program against
 * the SHA-256 the daemon registered, from the descriptor it opened; gives the app only
 * an allow-listed environment, standard input/output/error and its channel as
 * descriptor 3; and runs it in a sandbox built from the kernel's own mechanisms (new
 * user, mount, PID, network, IPC, UTS and cgroup namespaces, a minimal read-only mount
 * tree, Landlock, a seccomp allow-list with an exec gate, no new privileges, no
 * capabilities, resource limits), executing the very descriptor it checked. Any failure
 * stops it before the app runs, with one line on standard error and exit status 2
 * (usage), 126 (refused) or 127 (no such program); a wall the kernel cannot build is a
 * refusal. The steps live in one file each (launch.h); this file parses the arguments
 * and runs them in order.
 */
#include "launch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

extern char **environ;

#define DEFAULT_MEMORY_MB 1024
#define DEFAULT_CPU_SECONDS 600
#define DEFAULT_MAX_FILES 128
#define DEFAULT_MAX_PROCESSES 256
#define DEFAULT_SCRATCH_MB 64

struct options {
	int channel; /* -1 until given */
	const char *sha256; /* borrowed from argv */
	struct launch_limits limits;
	uint64_t scratch_mb;
	unsigned without; /* TEST HOOKS ONLY: walls left down */
	char **app_argv; /* borrowed from argv: PATH and its arguments */
};

/* The launcher's plan is large (the paths); it lives here, not on the stack. */
static struct launch_plan plan;

static const char usage[] =
        "Usage: onward-launch --channel-fd N --sha256 HEX [OPTION]... -- PATH [ARG]...\n"
        "Checks PATH against HEX, narrows what it inherits and runs it as an Onward app.\n\n"
        "  --channel-fd N       the app's channel (a connected socket); it becomes fd 3\n"
        "  --sha256 HEX         the SHA-256 the daemon registered for PATH (64 hex digits)\n"
        "  --memory-mb M        address space limit in MiB (default 1024; 0: inherited)\n"
        "  --cpu-seconds S      CPU time limit (default 600; 0: inherited)\n"
        "  --max-files F        open descriptors (default 128)\n"
        "  --max-processes P    processes and threads of the app (default 256)\n"
        "  --scratch-mb M       size of the app's writable /tmp in MiB (default 64)\n"
#ifdef LAUNCH_TEST_HOOKS
        "  --without WALLS      TEST BUILDS ONLY: leave walls down (namespaces, mounts,\n"
        "                       landlock, seccomp, all; also ONWARD_LAUNCH_WITHOUT)\n"
#endif
        "  --help               show this help\n\n"
        "Exit status: that of the app; 2 for bad arguments or no channel, 126 when the\n"
        "program changed or could not be set up, 127 when PATH does not exist.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("onward-launch: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try --help)\n", stderr);
	return LAUNCH_EXIT_USAGE;
}

static bool
parse_number(const char *s, uint64_t min, uint64_t max, uint64_t *ret)
{
	char *end;
	uintmax_t v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoumax(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*ret = v;
	return true;
}

/* Returns 0, -1 after printing help, or an exit status for a usage error. */
static int
parse_args(int argc, char **argv, struct options *o)
{
	*o = (struct options){.channel = -1,
	                      .limits = {DEFAULT_MEMORY_MB, DEFAULT_CPU_SECONDS, DEFAULT_MAX_FILES,
	                                 DEFAULT_MAX_PROCESSES},
	                      .scratch_mb = DEFAULT_SCRATCH_MB};
#ifdef LAUNCH_TEST_HOOKS
	{
		const char *env = secure_getenv("ONWARD_LAUNCH_WITHOUT"), *bad;

		if (env && env[0] && walls_parse(env, &o->without, &bad) < 0)
			return usage_error("ONWARD_LAUNCH_WITHOUT: unknown wall %s", bad);
	}
#endif
	int i = 1;

	while (i < argc) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;

		if (strcmp(a, "--") == 0) {
			if (i + 1 >= argc)
				return usage_error("no PATH after --");
			o->app_argv = argv + i + 1;
			break;
		}
		if (strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return -1;
		}
		if (!v)
			return usage_error("%s needs a value", a);
		if (strcmp(a, "--channel-fd") == 0) {
			if (!parse_number(v, 0, 65535, &n))
				return usage_error("--channel-fd: not a descriptor number: %s", v);
			o->channel = (int)n;
		} else if (strcmp(a, "--sha256") == 0) {
			o->sha256 = v;
		} else if (strcmp(a, "--memory-mb") == 0) {
			if (!parse_number(v, 0, 1u << 20, &o->limits.memory_mb) ||
			    (o->limits.memory_mb && o->limits.memory_mb < 16))
				return usage_error(
				        "--memory-mb: expected 0 or 16 to 1048576, not %s", v);
		} else if (strcmp(a, "--cpu-seconds") == 0) {
			if (!parse_number(v, 0, 86400, &o->limits.cpu_seconds))
				return usage_error("--cpu-seconds: expected 0 to 86400, not %s", v);
		} else if (strcmp(a, "--max-files") == 0) {
			if (!parse_number(v, 8, 65536, &o->limits.max_files))
				return usage_error("--max-files: expected 8 to 65536, not %s", v);
		} else if (strcmp(a, "--max-processes") == 0) {
			if (!parse_number(v, 1, 65536, &o->limits.max_processes))
				return usage_error("--max-processes: expected 1 to 65536, not %s",
				                   v);
		} else if (strcmp(a, "--scratch-mb") == 0) {
			if (!parse_number(v, 1, 4096, &o->scratch_mb))
				return usage_error("--scratch-mb: expected 1 to 4096, not %s", v);
#ifdef LAUNCH_TEST_HOOKS
		} else if (strcmp(a, "--without") == 0) {
			const char *bad;
			unsigned w;

			if (walls_parse(v, &w, &bad) < 0)
				return usage_error("--without: unknown wall %s", bad);
			o->without |= w;
#endif
		} else {
			return usage_error("unknown option %s", a);
		}
		i += 2; /* the option and its value */
	}
	if (o->channel < 0)
		return usage_error("no --channel-fd: an app needs its channel");
	if (!o->sha256)
		return usage_error("no --sha256: the program cannot be checked");
	if (!o->app_argv)
		return usage_error("no program: give -- PATH");
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct launch_failure fail = {{0}, 0};
	struct rlimit no_core = {0, 0};
	uint8_t want[LAUNCH_SHA256_LEN], got[LAUNCH_SHA256_LEN];
	const char *path;
	char **env;
	int r, exe;

	r = parse_args(argc, argv, &o);
	if (r != 0)
		return r < 0 ? 0 : r;
	path = o.app_argv[0];
	if (verify_parse_hex(o.sha256, want) < 0)
		return usage_error("--sha256: expected 64 hex digits, not %s", o.sha256);
#ifndef LAUNCH_TEST_HOOKS
	/* The tablet's session runs as its own user. As root, the app would be root outside
	 * its namespace (with no capability, but owning every root file it could reach), and
	 * the kernel does not count root's processes: refuse. Test builds allow it. */
	if (geteuid() == 0 || getuid() == 0) {
		fprintf(stderr, "onward-launch: refused: apps are never started as root\n");
		return LAUNCH_EXIT_REFUSED;
	}
#endif
	/* The launcher leaves no core either: it may end by the app's own signal. */
	(void)setrlimit(RLIMIT_CORE, &no_core);

	r = fds_take_channel(o.channel);
	if (r == -ERANGE || r == -EBADF || r == -ENOTSOCK) {
		fprintf(stderr, "onward-launch: --channel-fd %d: %s\n", o.channel,
		        r == -ERANGE  ? "the channel must be above 2"
		        : r == -EBADF ? "no such open descriptor"
		                      : "not a socket");
		return LAUNCH_EXIT_USAGE;
	}
	if (r < 0) {
		fprintf(stderr, "onward-launch: cannot set up descriptors: %s\n", strerror(-r));
		return LAUNCH_EXIT_REFUSED;
	}

	exe = verify_open(path);
	if (exe < 0) {
		fprintf(stderr, "onward-launch: %s: %s\n", path,
		        exe == -ENOEXEC ? "not a program file" : strerror(-exe));
		return exe == -ENOENT ? LAUNCH_EXIT_NOT_FOUND : LAUNCH_EXIT_REFUSED;
	}
	r = verify_sha256_fd(exe, got);
	if (r < 0) {
		fprintf(stderr, "onward-launch: %s: cannot read it: %s\n", path, strerror(-r));
		return LAUNCH_EXIT_REFUSED;
	}
	if (memcmp(want, got, sizeof(want)) != 0) {
		fprintf(stderr,
		        "onward-launch: %s: refused: the program is not the one registered "
		        "(SHA-256 differs)\n",
		        path);
		return LAUNCH_EXIT_REFUSED;
	}

	r = fds_close_others(exe);
	if (r < 0) {
		fprintf(stderr, "onward-launch: cannot close inherited descriptors: %s\n",
		        strerror(-r));
		return LAUNCH_EXIT_REFUSED;
	}
	env = environ_build(environ);
	if (!env) {
		fprintf(stderr, "onward-launch: out of memory\n");
		return LAUNCH_EXIT_REFUSED;
	}
	r = fds_reset_signals();
	if (r < 0) {
		fprintf(stderr, "onward-launch: cannot reset signals: %s\n", strerror(-r));
		free(env);
		return LAUNCH_EXIT_REFUSED;
	}

	plan.exe = exe;
	plan.argv = o.app_argv;
	plan.envp = env;
	plan.limits = o.limits;
	plan.scratch_mb = o.scratch_mb;
	plan.walls = WALL_ALL & ~o.without;
	r = walls_probe(plan.walls, &plan.landlock_abi, &fail);
	if (r == 0)
		r = mounts_plan(&plan, path, &fail);
	if (r < 0) {
		fprintf(stderr, "onward-launch: cannot set up the sandbox: %s: %s\n", fail.step,
		        strerror(fail.error));
		free(env);
		return LAUNCH_EXIT_REFUSED;
	}
	r = spawn_run(&plan);
	free(env);
	return r < 0 ? LAUNCH_EXIT_REFUSED : r;
}
