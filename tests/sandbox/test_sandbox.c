/*
 * The sandbox's walls, each proven from inside by sandbox-probe running under the real
 * onward-launch: "test-sandbox NAME" runs one case of the table at the end, with every
 * wall up ("-all") or with all but one mechanism down (test builds only: --without), so
 * each wall is shown to hold on its own. Which mechanisms this machine offers is asked
 * of the launcher itself: it refuses to start with a wall it cannot build and says which,
 * so a case that needs a missing mechanism prints "SKIP wall ...: reason" and exits 77
 * (ctest: Skipped), and a full case runs with only the missing walls lowered. On the
 * project's machines (kernel 6.x, root) nothing is skipped.
 */
#include "check.h"
#include "crypto.h"
#include "daemon.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 30000
#define SKIPPED 77

enum { NS = 1, MOUNTS = 2, LANDLOCK = 4, SECCOMP = 8, ALL = 15 };

static const char *const wall_names[] = {"namespaces", "mounts", "landlock", "seccomp"};

static struct {
	char probe[512], other[512], app_dir[512], outside[512], launch[512];
	char probe_hex[CRYPTO_SHA256_HEX_LEN + 1];
	unsigned missing; /* mechanisms this machine does not offer */
	char why[4][200]; /* the launcher's words for each missing one */
	int landlock_abi;
} t;

static const char *
without_list(unsigned without, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int i = 0; i < 4; i++)
		if (without & (1u << i))
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? "," : "",
			         wall_names[i]);
	return buf;
}

/*
 * The launcher's channel: a socket pair whose app end sv[1] is inherited at whatever number
 * it has, written into fd_text for --channel-fd; the test's end sv[0] is not inherited. No
 * descriptor number is assumed free: a clock faker preloaded into the test (libfaketime,
 * scripts/test-at-times.sh) holds one of its own, and dup2() onto a number the pair
 * already has would do nothing, and closing the original then closes the channel.
 */
static void
channel_make(int sv[2], char fd_text[16])
{
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	CHECK_INT(fcntl(sv[1], F_SETFD, 0), 0);
	snprintf(fd_text, 16, "%d", sv[1]);
}

/*
 * Runs sandbox-probe ARGS through onward-launch with the walls in `without` down and the
 * extra launcher options `opts` (NULL-ended, may be NULL).
 */
/* Copies file from to `to` with mode 0755; 0 or -errno. */
static int
copy_program(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, r = 0;
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			r = -EIO;
			break;
		}
	if (n < 0)
		r = -errno;
	close(in);
	if (close(out) < 0 && r == 0)
		r = -errno;
	return r;
}

static char reachable_dir[64];

static void
reachable_remove(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/onward-launch", reachable_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sandbox-probe", reachable_dir);
	unlink(path);
	rmdir(reachable_dir);
}

/*
 * The launcher and the probe where an unprivileged user can reach them: a clone under
 * /root, or in a folder mktemp made, is closed to everyone but root, so the build tree's
 * own copies cannot be run as nobody. Made once, removed at exit.
 */
static void
reachable_programs(const char **ret_launch, const char **ret_probe)
{
	static char launch[128], probe[128];

	if (!reachable_dir[0]) {
		snprintf(reachable_dir, sizeof(reachable_dir), "/tmp/onward-sandbox-XXXXXX");
		CHECK(mkdtemp(reachable_dir) != NULL);
		CHECK_INT(chmod(reachable_dir, 0755), 0);
		atexit(reachable_remove);
		snprintf(launch, sizeof(launch), "%s/onward-launch", reachable_dir);
		snprintf(probe, sizeof(probe), "%s/sandbox-probe", reachable_dir);
		CHECK_INT(copy_program(t.launch, launch), 0);
		CHECK_INT(copy_program(t.probe, probe), 0);
	}
	*ret_launch = launch;
	*ret_probe = probe;
}

static void
probe_run_as(bool nobody, unsigned without, const char *const *opts, const char *const *args,
             const char *const *env, struct run_result *r)
{
	const char *argv[56], *launch = t.launch, *probe = t.probe;
	char list[64], channel[16];
	int n = 0, sv[2];

	channel_make(sv, channel);
	if (nobody) {
		reachable_programs(&launch, &probe);
		/* As on a tablet: the launcher runs as an unprivileged user, not root. */
		argv[n++] = "/usr/bin/setpriv";
		argv[n++] = "--reuid=65534";
		argv[n++] = "--regid=65534";
		argv[n++] = "--clear-groups";
		argv[n++] = "--";
	}
	argv[n++] = launch;
	argv[n++] = "--channel-fd";
	argv[n++] = channel;
	argv[n++] = "--sha256";
	argv[n++] = t.probe_hex;
	if (without) {
		argv[n++] = "--without";
		argv[n++] = without_list(without, list, sizeof(list));
	}
	for (int i = 0; opts && opts[i]; i++)
		argv[n++] = opts[i];
	argv[n++] = "--";
	argv[n++] = probe;
	for (int i = 0; args[i] && n < 54; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	run_program(argv, env, NULL, TIMEOUT_MS, r);
	close(sv[1]);
	close(sv[0]);
	if (nobody && r->status == 126 && strstr(r->err, "cannot set up the sandbox: namespaces")) {
		printf("SKIP wall namespaces (as an unprivileged user): %s",
		       strstr(r->err, "namespaces"));
		exit(SKIPPED);
	}
}

static void
probe_run(unsigned without, const char *const *opts, const char *const *args,
          const char *const *env, struct run_result *r)
{
	probe_run_as(false, without, opts, args, env, r);
}

static bool
has_line(const char *out, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = out; (p = strstr(p, line)); p += n)
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

#define EXPECT_LINE(r, line)                                                                       \
	do {                                                                                       \
		if (!has_line((r)->out, (line)))                                                   \
			check_failed(__FILE__, __LINE__,                                           \
			             "expected the line \"%s\"\nstdout:\n%s\nstderr:\n%s", (line), \
			             (r)->out, (r)->err);                                          \
	} while (0)

#define EXPECT_STATUS(r, want)                                                                     \
	do {                                                                                       \
		if ((r)->status != (want))                                                         \
			check_failed(__FILE__, __LINE__,                                           \
			             "status %d, expected %d\nstdout:\n%s\nstderr:\n%s",           \
			             (r)->status, (want), (r)->out, (r)->err);                     \
	} while (0)

/* Runs one probe command expecting it to finish normally; returns its output. */
static void
probe_ok(unsigned without, const char *const *opts, const char *const *args, struct run_result *r)
{
	probe_run(without, opts, args, NULL, r);
	EXPECT_STATUS(r, 0);
}

/* Runs one probe command that the seccomp filter must end with SIGSYS. */
static void
probe_killed_by_filter(unsigned without, const char *const *args)
{
	struct run_result r;

	probe_run(without, NULL, args, NULL, &r);
	EXPECT_STATUS(&r, 128 + SIGSYS);
	run_result_release(&r);
}

/* Asks the launcher which walls this machine can build: it names the one it cannot. */
static void
discover(void)
{
	static const struct {
		const char *prefix;
		unsigned wall;
	} words[] = {{"cannot set up the sandbox: namespaces", NS | MOUNTS},
	             {"cannot set up the sandbox: mount tree", MOUNTS},
	             {"cannot set up the sandbox: Landlock", LANDLOCK},
	             {"cannot set up the sandbox: seccomp", SECCOMP}};
	const char *args[] = {"status", NULL};

	for (int round = 0; round < 5; round++) {
		struct run_result r;
		bool known = false;

		probe_run(t.missing, NULL, args, NULL, &r);
		if (r.status == 0) {
			run_result_release(&r);
			return;
		}
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (!strstr(r.err, words[i].prefix))
				continue;
			known = true;
			for (int w = 0; w < 4; w++)
				if ((words[i].wall & (1u << w)) && !(t.missing & (1u << w)))
					snprintf(t.why[w], sizeof(t.why[w]), "%.*s", 180,
					         strstr(r.err, words[i].prefix) + 27);
			t.missing |= words[i].wall;
		}
		if (!known)
			check_failed(__FILE__, __LINE__, "the launcher failed (%d): %s", r.status,
			             r.err);
		run_result_release(&r);
	}
	check_failed(__FILE__, __LINE__, "the launcher cannot run the probe at all");
}

/* Exits 77 naming each needed mechanism this machine lacks. */
static void
need(unsigned walls, const char *what)
{
	unsigned lacking = walls & t.missing;

	if (!lacking)
		return;
	for (int w = 0; w < 4; w++)
		if (lacking & (1u << w))
			printf("SKIP wall %s (%s): %s", wall_names[w], what, t.why[w]);
	fflush(stdout);
	exit(SKIPPED);
}

static void
need_landlock_abi(int abi, const char *what)
{
	need(LANDLOCK, what);
	if (t.landlock_abi < abi) {
		printf("SKIP wall landlock (%s): this kernel offers Landlock ABI %d, this needs "
		       "%d\n",
		       what, t.landlock_abi, abi);
		exit(SKIPPED);
	}
}

/* Only `walls` up (and nothing the machine lacks): the case proves these alone. */
static unsigned
only(unsigned walls)
{
	return (ALL & ~walls) | t.missing;
}

/* --- network ------------------------------------------------------------------------- */

static int
listen_tcp(int *ret_port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr = {htonl(INADDR_LOOPBACK)}};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	CHECK(fd >= 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	CHECK_INT(listen(fd, 8), 0);
	CHECK_INT(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*ret_port = ntohs(a.sin_port);
	return fd;
}

static int
listen_abstract(char *ret_name, size_t size)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(ret_name, size, "@onward-sandbox-test-%d", (int)getpid());
	memcpy(a.sun_path + 1, ret_name + 1, strlen(ret_name + 1));
	CHECK(fd >= 0);
	CHECK_INT(bind(fd, (struct sockaddr *)&a,
	               (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(ret_name))),
	          0);
	CHECK_INT(listen(fd, 8), 0);
	return fd;
}

static void
network_seccomp(void)
{
	need(SECCOMP, "network: the system call filter");
	test_step("seccomp alone: an app that asks for a network socket is ended (SIGSYS)");
	for (const char *const *f =
	             (const char *const[]){"inet", "inet6", "netlink", "packet", NULL};
	     *f; f++) {
		const char *args[] = {"socket", *f, NULL};

		probe_killed_by_filter(only(SECCOMP), args);
	}
}

static void
network_netns(void)
{
	char port_text[16], abstract[64], what[160];
	struct run_result r;
	int port, tcp = listen_tcp(&port), unx = listen_abstract(abstract, sizeof(abstract));

	need(NS, "network: its own network namespace");
	test_step("a network namespace alone: no route to the host, not even to its loopback");
	snprintf(port_text, sizeof(port_text), "%d", port);
	{
		const char *args[] = {"tcp", port_text, NULL};

		probe_ok(only(NS | MOUNTS), NULL, args, &r);
		snprintf(what, sizeof(what), "connect 127.0.0.1:%d ENETUNREACH", port);
		EXPECT_LINE(&r, what);
		run_result_release(&r);
	}
	test_step("... and the host's abstract Unix sockets (X11, D-Bus) are not there");
	{
		const char *args[] = {"connect", abstract, NULL};

		probe_ok(only(NS | MOUNTS), NULL, args, &r);
		snprintf(what, sizeof(what), "connect %s ECONNREFUSED", abstract);
		EXPECT_LINE(&r, what);
		run_result_release(&r);
	}
	close(tcp);
	close(unx);
}

static void
network_landlock(void)
{
	char port_text[16], abstract[64], what[160];
	struct run_result r;
	int port, tcp = listen_tcp(&port), unx = listen_abstract(abstract, sizeof(abstract));

	need_landlock_abi(4, "network: Landlock TCP rules");
	test_step("Landlock alone: every TCP connect is refused (ABI %d)", t.landlock_abi);
	snprintf(port_text, sizeof(port_text), "%d", port);
	{
		const char *args[] = {"tcp", port_text, NULL};

		probe_ok(only(LANDLOCK), NULL, args, &r);
		snprintf(what, sizeof(what), "connect 127.0.0.1:%d EACCES", port);
		EXPECT_LINE(&r, what);
		run_result_release(&r);
	}
	if (t.landlock_abi >= 6) {
		const char *args[] = {"connect", abstract, NULL};

		test_step("... and abstract Unix sockets outside the sandbox (ABI 6 scope)");
		probe_ok(only(LANDLOCK), NULL, args, &r);
		snprintf(what, sizeof(what), "connect %s EPERM", abstract);
		EXPECT_LINE(&r, what);
		run_result_release(&r);
	} else {
		printf("SKIP wall landlock (abstract Unix socket scope): ABI %d, needs 6\n",
		       t.landlock_abi);
	}
	close(tcp);
	close(unx);
}

static void
network_all(void)
{
	const char *args[] = {"socket", "inet", NULL};
	char abstract[64], what[96];
	struct run_result r;
	int unx = listen_abstract(abstract, sizeof(abstract));

	test_step("every wall: no network socket at all");
	if (t.missing & SECCOMP) {
		printf("SKIP wall seccomp (network, every wall): %s", t.why[3]);
	} else {
		probe_killed_by_filter(t.missing, args);
	}
	test_step("every wall: the host's abstract sockets are out of reach");
	if ((t.missing & NS) && (t.missing & LANDLOCK || t.landlock_abi < 6)) {
		printf("SKIP wall namespaces (network, every wall): %s", t.why[0]);
	} else {
		const char *cargs[] = {"connect", abstract, NULL};

		probe_ok(t.missing, NULL, cargs, &r);
		snprintf(what, sizeof(what), "connect %s ok", abstract);
		CHECK(!has_line(r.out, what));
		CHECK(strstr(r.out, "connect @onward-sandbox-test-") != NULL);
		run_result_release(&r);
	}
	close(unx);
}

/* --- the store and the device secret -------------------------------------------------- */

static void
store_paths(struct test_daemon *d, char paths[6][200])
{
	snprintf(paths[0], 200, "%s/device.secret", d->dir);
	snprintf(paths[1], 200, "%s/store.db", d->dir);
	snprintf(paths[2], 200, "%s", d->dir);
	snprintf(paths[3], 200, "%s/control.sock", d->dir);
	snprintf(paths[4], 200, "%s/admin.sock", d->dir);
	snprintf(paths[5], 200, "/var/lib/onward/device.secret");
}

/* Reads and connects to the real daemon's files from inside; expects `want` each. */
static void
store_try(unsigned without, const char *want_read, const char *want_connect, bool as_nobody)
{
	struct test_daemon d;
	char p[6][200], line[1400];
	struct run_result r;

	daemon_make(&d, NULL);
	daemon_start(&d);
	store_paths(&d, p);
	if (as_nobody) {
		/* The tablet's case: the shell's user is not the daemon's. */
		const char *args[] = {"read", p[0], p[1], p[2], NULL};

		probe_run_as(true, without, NULL, args, NULL, &r);
		EXPECT_STATUS(&r, 0);
		for (int i = 0; i < 3; i++) {
			snprintf(line, sizeof(line), "read %s %s", p[i], want_read);
			EXPECT_LINE(&r, line);
		}
		run_result_release(&r);
		daemon_remove(&d);
		return;
	}
	{
		const char *args[] = {"read", p[0], p[1], p[2], p[5], NULL};

		probe_ok(without, NULL, args, &r);
		for (int i = 0; i < 3; i++) {
			snprintf(line, sizeof(line), "read %s %s", p[i], want_read);
			EXPECT_LINE(&r, line);
		}
		snprintf(line, sizeof(line), "read %s ENOENT", p[5]);
		CHECK(has_line(r.out, line) ||
		      strstr(r.out, "/var/lib/onward/device.secret EACCES"));
		run_result_release(&r);
	}
	if (want_connect) {
		const char *args[] = {"connect", p[3], p[4], NULL};

		probe_ok(without, NULL, args, &r);
		for (int i = 3; i < 5; i++) {
			snprintf(line, sizeof(line), "connect %s %s", p[i], want_connect);
			EXPECT_LINE(&r, line);
		}
		run_result_release(&r);
	}
	daemon_remove(&d);
}

static void
store_mounts(void)
{
	need(NS | MOUNTS, "store: the mount tree");
	test_step("the mount tree alone: the state directory, its secret, store and sockets "
	          "do not exist");
	store_try(only(NS | MOUNTS), "ENOENT", "ENOENT", false);
}

static void
store_landlock(void)
{
	need(LANDLOCK, "store: Landlock");
	test_step("Landlock alone: the secret and the store cannot be opened");
	/* Landlock has no right for connecting to a named socket: the mount tree keeps the
	 * sockets out (store_mounts), and on a tablet the directory's owner does too. */
	store_try(only(LANDLOCK), "EACCES", NULL, false);
}

static void
store_user(void)
{
	need(NS, "store: the app's user");
	test_step("as the tablet runs it (the shell's user is not the daemon's): the state "
	          "directory's permissions alone refuse it");
	store_try(only(NS), "EACCES", NULL, true);
}

static void
store_all(void)
{
	if ((t.missing & (MOUNTS | LANDLOCK)) == (MOUNTS | LANDLOCK))
		need(MOUNTS | LANDLOCK, "store, every wall");
	test_step("every wall: nothing of the daemon's state exists for the app");
	store_try(t.missing, (t.missing & MOUNTS) ? "EACCES" : "ENOENT",
	          (t.missing & MOUNTS) ? NULL : "ENOENT", false);
}

/* --- processes ------------------------------------------------------------------------- */

static void
processes_pidns(void)
{
	char pid_text[16], line[64];
	struct run_result r;

	need(NS | MOUNTS, "processes: PID namespace and its /proc");
	test_step("a PID namespace and a /proc of its own: the app sees itself and its init");
	{
		const char *args[] = {"procs", NULL};

		probe_ok(only(NS | MOUNTS), NULL, args, &r);
		EXPECT_LINE(&r, "pids 2");
		EXPECT_LINE(&r, "pid 1 onward-launch");
		EXPECT_LINE(&r, "self 2");
		EXPECT_LINE(&r, "pid 2 sandbox-probe");
		run_result_release(&r);
	}
	test_step("... and cannot name any process outside (the test's own pid: ESRCH)");
	snprintf(pid_text, sizeof(pid_text), "%d", (int)getpid());
	{
		const char *args[] = {"kill", pid_text, NULL};

		probe_ok(only(NS | MOUNTS), NULL, args, &r);
		snprintf(line, sizeof(line), "kill %s ESRCH", pid_text);
		EXPECT_LINE(&r, line);
		run_result_release(&r);
	}
}

static void
processes_seccomp(void)
{
	char pid_text[16];
	const char *args[] = {"kill", pid_text, NULL};

	need(SECCOMP, "processes: the system call filter");
	test_step("seccomp alone: signalling any process but itself ends the app");
	snprintf(pid_text, sizeof(pid_text), "%d", (int)getpid());
	probe_killed_by_filter(only(SECCOMP), args);
	args[1] = "1";
	probe_killed_by_filter(only(SECCOMP), args);
}

static void
processes_landlock(void)
{
	char pid_text[16], line[64];
	const char *args[] = {"kill", pid_text, NULL};
	struct run_result r;

	need_landlock_abi(6, "processes: Landlock signal scope");
	test_step("Landlock alone (ABI %d): no signal reaches a process outside the sandbox",
	          t.landlock_abi);
	snprintf(pid_text, sizeof(pid_text), "%d", (int)getpid());
	probe_ok(only(LANDLOCK), NULL, args, &r);
	snprintf(line, sizeof(line), "kill %s EPERM", pid_text);
	EXPECT_LINE(&r, line);
	run_result_release(&r);
}

static void
processes_all(void)
{
	const char *args[] = {"procs", NULL};
	struct run_result r;

	need(NS | MOUNTS, "processes, every wall");
	test_step("every wall: two processes, the sandbox's init and the app");
	probe_ok(t.missing, NULL, args, &r);
	EXPECT_LINE(&r, "pids 2");
	EXPECT_LINE(&r, "self 2");
	run_result_release(&r);
}

/* --- writing outside the scratch -------------------------------------------------------- */

static void
write_try(unsigned without, const char *want_scratch, const char *want_app,
          const char *want_outside, const char *want_root)
{
	char app_file[600], outside_file[600], marker[64], line[1400];
	struct run_result r;
	struct stat st;

	snprintf(app_file, sizeof(app_file), "%s/written", t.app_dir);
	snprintf(outside_file, sizeof(outside_file), "%s/written", t.outside);
	snprintf(marker, sizeof(marker), "/tmp/onward-sandbox-marker-%d", (int)getpid());
	unlink(app_file);
	unlink(outside_file);
	{
		const char *args[] = {"write",      marker,     app_file,
		                      outside_file, "/written", "/usr/lib/written",
		                      NULL};

		probe_ok(without, NULL, args, &r);
	}
	snprintf(line, sizeof(line), "write %s %s", marker, want_scratch);
	EXPECT_LINE(&r, line);
	snprintf(line, sizeof(line), "write %s %s", app_file, want_app);
	EXPECT_LINE(&r, line);
	snprintf(line, sizeof(line), "write %s %s", outside_file, want_outside);
	EXPECT_LINE(&r, line);
	snprintf(line, sizeof(line), "write /written %s", want_root);
	EXPECT_LINE(&r, line);
	snprintf(line, sizeof(line), "write /usr/lib/written %s", want_app);
	EXPECT_LINE(&r, line);
	run_result_release(&r);
	/* Nothing reached the host (and if something did, it goes before the test fails). */
	{
		const char *host[] = {app_file, outside_file, "/written", "/usr/lib/written"};
		bool found = false;

		for (int i = 0; i < 4; i++) {
			if (stat(host[i], &st) == 0) {
				fprintf(stderr, "written on the host: %s\n", host[i]);
				unlink(host[i]);
				found = true;
			}
		}
		CHECK(!found);
	}
	if (!(without & MOUNTS))
		CHECK(stat(marker, &st) < 0 && errno == ENOENT); /* the scratch was private */
	unlink(marker);
}

static void
write_mounts(void)
{
	need(NS | MOUNTS, "write: the mount tree");
	test_step("the mount tree alone: read-only everywhere but the private scratch /tmp");
	write_try(only(NS | MOUNTS), "ok", "EROFS", "ENOENT", "EROFS");
}

static void
write_landlock(void)
{
	need(LANDLOCK, "write: Landlock");
	/* Without the mount tree there is no private scratch, so Landlock grants none. */
	test_step("Landlock alone: writing is refused everywhere");
	write_try(only(LANDLOCK), "EACCES", "EACCES", "EACCES", "EACCES");
}

static void
write_all(void)
{
	if ((t.missing & (MOUNTS | LANDLOCK)) == (MOUNTS | LANDLOCK))
		need(MOUNTS | LANDLOCK, "write, every wall");
	test_step("every wall: only the scratch is writable, and it vanishes with the app");
	if (t.missing & MOUNTS)
		write_try(t.missing, "EACCES", "EACCES", "EACCES", "EACCES");
	else
		write_try(t.missing, "ok", "EROFS", "ENOENT", "EROFS");
}

/* --- executing another program ------------------------------------------------------------- */

static void
exec_killed(unsigned without, const char *path)
{
	const char *args[] = {"exec", path, NULL};
	struct run_result r;

	probe_run(without, NULL, args, NULL, &r);
	EXPECT_STATUS(&r, 128 + SIGKILL);
	CHECK_CONTAINS(r.err, "onward-launch: the app tried to run another program; the sandbox "
	                      "stopped it");
	CHECK(!strstr(r.out, "status"));
	run_result_release(&r);
}

static void
exec_seccomp(void)
{
	need(SECCOMP, "exec: the exec gate");
	test_step("the exec gate alone: another program, /bin/sh, even its own again: ended");
	exec_killed(only(SECCOMP), t.other);
	exec_killed(only(SECCOMP), "/bin/sh");
	exec_killed(only(SECCOMP), t.probe);
}

static void
exec_landlock(void)
{
	char line[600];
	struct run_result r;

	need(LANDLOCK, "exec: Landlock");
	test_step("Landlock alone: only its own program may be executed");
	{
		const char *args[] = {"exec", t.other, NULL};

		probe_ok(only(LANDLOCK), NULL, args, &r);
		snprintf(line, sizeof(line), "exec %s EACCES", t.other);
		EXPECT_LINE(&r, line);
		run_result_release(&r);
	}
	{
		const char *args[] = {"exec", "/bin/sh", NULL};

		probe_ok(only(LANDLOCK), NULL, args, &r);
		EXPECT_LINE(&r, "exec /bin/sh EACCES");
		run_result_release(&r);
	}
}

static void
exec_mounts(void)
{
	struct run_result r;

	need(NS | MOUNTS, "exec: the mount tree");
	test_step("the mount tree alone: no shell or tool exists, and the scratch is noexec");
	{
		const char *args[] = {"exec", "/bin/sh", NULL};

		probe_ok(only(NS | MOUNTS), NULL, args, &r);
		EXPECT_LINE(&r, "exec /bin/sh ENOENT");
		run_result_release(&r);
	}
	{
		const char *args[] = {"copy-exec", "/tmp/copy", NULL};

		probe_ok(only(NS | MOUNTS), NULL, args, &r);
		EXPECT_LINE(&r, "exec /tmp/copy EACCES");
		run_result_release(&r);
	}
}

static void
exec_all(void)
{
	test_step("every wall: any exec after the app's own ends the app");
	need(SECCOMP, "exec, every wall");
	exec_killed(t.missing, t.other);
	exec_killed(t.missing, "/bin/sh");
}

/* --- limits, system calls, identity, signals -------------------------------------------- */

static void
limits(void)
{
	struct run_result r;
	time_t start;

	test_step("memory: 128 MiB under --memory-mb 64 is refused");
	{
		const char *opts[] = {"--memory-mb", "64", NULL}, *args[] = {"memory", "128", NULL};

		probe_ok(t.missing, opts, args, &r);
		EXPECT_LINE(&r, "memory 128 ENOMEM");
		run_result_release(&r);
	}
	test_step("open files: --max-files 16 leaves 12 beyond descriptors 0-3");
	{
		const char *opts[] = {"--max-files", "16", NULL}, *args[] = {"files", NULL};

		probe_ok(t.missing, opts, args, &r);
		EXPECT_LINE(&r, "files 12 EMFILE");
		run_result_release(&r);
	}
	if (!(t.missing & NS)) {
		int n = -1;
		const char *opts[] = {"--max-processes", "8", NULL}, *args[] = {"threads", NULL};

		/* The kernel never applies RLIMIT_NPROC to root (uid 0 outside), so this runs
		 * as the tablet does, as an unprivileged user; then it counts the app's own
		 * processes and threads, in its user namespace, not the user's. */
		test_step("processes: --max-processes 8 counts the app's own (its user namespace)");
		probe_run_as(true, t.missing, opts, args, NULL, &r);
		EXPECT_STATUS(&r, 0);
		CHECK(sscanf(strstr(r.out, "threads ") + 8, "%d", &n) == 1);
		CHECK(strstr(r.out, " EAGAIN\n") != NULL);
		/* init and the app itself are two of the eight. */
		CHECK(n >= 4 && n <= 6);
		run_result_release(&r);
	} else {
		printf("SKIP wall namespaces (per-app process count): %s", t.why[0]);
	}
	test_step("CPU time: --cpu-seconds 1 ends a spinning app with SIGXCPU");
	{
		const char *opts[] = {"--cpu-seconds", "1", NULL}, *args[] = {"spin", NULL};

		start = time(NULL);
		probe_run(t.missing, opts, args, NULL, &r);
		EXPECT_STATUS(&r, 128 + SIGXCPU);
		CHECK(time(NULL) - start < 10);
		run_result_release(&r);
	}
	if (!(t.missing & MOUNTS)) {
		const char *opts[] = {"--scratch-mb", "4", NULL}, *args[] = {"scratch", NULL};

		test_step("scratch: --scratch-mb 4 fills at 4 MiB");
		probe_ok(t.missing, opts, args, &r);
		CHECK(has_line(r.out, "scratch 4 ENOSPC") || has_line(r.out, "scratch 3 ENOSPC"));
		run_result_release(&r);
	}
	if (!(t.missing & SECCOMP)) {
		const char *args[] = {"fork", NULL};

		test_step("no child processes: fork() ends the app");
		probe_killed_by_filter(t.missing, args);
	}
}

static void
syscalls(void)
{
	static const char *const forbidden[] = {
#ifndef SANDBOX_SANITIZER_BUILD
	        /* Sanitizer builds let ptrace through for LeakSanitizer (syscalls.c). */
	        "ptrace",
#endif
	        "mount",           "unshare",     "bpf",   "keyctl", "io_uring_setup",
	        "perf_event_open", "userfaultfd", "setns", "chroot", NULL};

	/* What fontconfig tries on a cold or stale cache, and SDL before a real-time thread
	 * (kiosk/README.md, "System calls refused, not fatal"): each is refused with EPERM,
	 * and the app goes on. */
	static const char *const refused[] = {"chmod",   "fchmodat",  "link",      "linkat",
	                                      "symlink", "setrlimit", "prlimit64", NULL};
	const char *cold[] = {"cold-cache", "/tmp", NULL};
	struct run_result r;
	char line[64];

	need(SECCOMP, "system calls");
	for (int i = 0; forbidden[i]; i++) {
		const char *args[] = {"syscall", forbidden[i], NULL};

		test_step("%s ends the app", forbidden[i]);
		probe_killed_by_filter(t.missing, args);
	}
#ifndef SANDBOX_SANITIZER_BUILD
	/* Sanitizer builds let setrlimit and prlimit64 through for the runtimes. */
	test_step("a cold font cache: chmod, link, setrlimit... fail with EPERM and the app goes "
	          "on");
	probe_ok(t.missing, NULL, cold, &r);
	for (int i = 0; refused[i]; i++) {
		snprintf(line, sizeof(line), "cold %s EPERM", refused[i]);
		EXPECT_LINE(&r, line);
	}
	EXPECT_LINE(&r, "cold still-running ok");
	run_result_release(&r);
	if (!(t.missing & (NS | MOUNTS))) {
		test_step(
		        "the same calls with every wall but the filter: they work on the scratch, "
		        "so it is the filter that refuses them");
		probe_ok(t.missing | SECCOMP, NULL, cold, &r);
		for (int i = 0; refused[i]; i++) {
			/* Landlock gives the scratch no right to make symbolic links. */
			snprintf(line, sizeof(line), "cold %s %s", refused[i],
			         strcmp(refused[i], "symlink") == 0 && !(t.missing & LANDLOCK)
			                 ? "EACCES"
			                 : "ok");
			EXPECT_LINE(&r, line);
		}
		run_result_release(&r);
	}
#else
	(void)refused;
	(void)cold;
	(void)r;
	(void)line;
#endif
}

static void
identity(void)
{
	const char *args[] = {"status", NULL};
	struct run_result r;

	test_step("the app has no capability, no new privileges, and (with every wall) is "
	          "uid 1000 of its own namespace, PID 2 on host onward-app");
	probe_ok(t.missing, NULL, args, &r);
	EXPECT_LINE(&r, "status CapEff 0000000000000000");
	EXPECT_LINE(&r, "status CapPrm 0000000000000000");
	EXPECT_LINE(&r, "status CapInh 0000000000000000");
	EXPECT_LINE(&r, "status CapBnd 0000000000000000");
	EXPECT_LINE(&r, "status CapAmb 0000000000000000");
	EXPECT_LINE(&r, "status NoNewPrivs 1");
	if (!(t.missing & NS)) {
		EXPECT_LINE(&r, "status Uid 1000\t1000\t1000\t1000");
		EXPECT_LINE(&r, "status Gid 1000\t1000\t1000\t1000");
		EXPECT_LINE(&r, "hostname onward-app");
		EXPECT_LINE(&r, "pid 2");
	}
	if (!(t.missing & MOUNTS))
		EXPECT_LINE(&r, "cwd-root sandbox");
	if (!(t.missing & SECCOMP))
		EXPECT_LINE(&r, "status Seccomp 2");
	run_result_release(&r);
}

/* Starts the launcher on `sleep` in the background; returns its pid once the app runs. */
static pid_t
start_sleeper(int *ret_out)
{
	char list[64];
	const char *argv[] = {t.launch,
	                      "--channel-fd",
	                      "9",
	                      "--sha256",
	                      t.probe_hex,
	                      "--without",
	                      without_list(t.missing, list, sizeof(list)),
	                      "--",
	                      t.probe,
	                      "sleep",
	                      NULL};
	char buf[256] = "";
	int out[2], sv[2];
	ssize_t n;
	pid_t pid;

	if (!t.missing) {
		/* "--without ''" would be a usage error: drop the pair. */
		argv[5] = "--";
		argv[6] = t.probe;
		argv[7] = "sleep";
		argv[8] = NULL;
	}
	CHECK_INT(pipe(out), 0);
	CHECK_INT(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(sv[1], 9); /* in the child: whatever held 9 here may go */
		execv(t.launch, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(out[1]);
	close(sv[1]);
	close(sv[0]);
	n = read(out[0], buf, sizeof(buf) - 1);
	CHECK(n > 0 && strncmp(buf, "sleeping ", 9) == 0);
	*ret_out = out[0];
	return pid;
}

static int
count_sleepers(void)
{
	char cmd[600];
	FILE *f;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "pgrep -f -x '%s sleep' | wc -l", t.probe);
	f = popen(cmd, "r");
	CHECK(f != NULL);
	CHECK(fscanf(f, "%d", &n) == 1);
	pclose(f);
	return n;
}

static void
signals(void)
{
	int status, out;
	pid_t pid;

	test_step("SIGTERM to the launcher reaches the app, which ends by it");
	pid = start_sleeper(&out);
	CHECK_INT(kill(pid, SIGTERM), 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	close(out);
	CHECK_INT(count_sleepers(), 0);

	test_step("SIGKILL to the launcher alone leaves no app behind");
	pid = start_sleeper(&out);
	CHECK_INT(count_sleepers(), 1);
	CHECK_INT(kill(pid, SIGKILL), 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	close(out);
	for (int i = 0; i < 100 && count_sleepers() > 0; i++)
		usleep(20000);
	CHECK_INT(count_sleepers(), 0);
}

/* --- failing closed ------------------------------------------------------------------------- */

static void
refused(const char *syscall_name, const char *error, const char *message)
{
	char channel[16];
	int sv[2];
	const char *argv[] = {run_bin("sandbox-deny"),
	                      syscall_name,
	                      error,
	                      "--",
	                      t.launch,
	                      "--channel-fd",
	                      channel,
	                      "--sha256",
	                      t.probe_hex,
	                      "--",
	                      t.probe,
	                      "status",
	                      NULL};
	struct run_result r;

	channel_make(sv, channel);
	run_program(argv, NULL, NULL, TIMEOUT_MS, &r);
	close(sv[1]);
	close(sv[0]);
	if (r.status != 126)
		fprintf(stderr, "stdout:\n%s\nstderr:\n%s\n", r.out, r.err);
	CHECK_INT(r.status, 126);
	CHECK_STR(r.out, ""); /* the app never ran */
	CHECK_CONTAINS(r.err, message);
	CHECK(strchr(r.err, '\n') == r.err + strlen(r.err) - 1); /* one line */
	run_result_release(&r);
}

static void
refusal(void)
{
	need(ALL, "failing closed (needs every wall to take one away)");
	test_step("a kernel without Landlock: the app does not start");
	refused("landlock_create_ruleset", "ENOSYS",
	        "onward-launch: cannot set up the sandbox: Landlock (this kernel does not offer "
	        "it): Function not implemented\n");
	test_step("without seccomp's user notification: the app does not start");
	refused("seccomp", "EINVAL",
	        "onward-launch: cannot set up the sandbox: seccomp (this kernel has no user "
	        "notification): Invalid argument\n");
	test_step("user namespaces forbidden: the app does not start");
	refused("clone-newuser", "EPERM",
	        "onward-launch: cannot set up the sandbox: namespaces (user, mount, PID, "
	        "network, IPC): Operation not permitted\n");
	test_step("a mount refused: the app does not start");
	refused("open_tree", "EPERM", "onward-launch: cannot set up the sandbox: mount tree: ");
	refused("fsopen", "EPERM",
	        "onward-launch: cannot set up the sandbox: mount tree: the new root: Operation "
	        "not permitted\n");
	test_step("Landlock refusing to restrict: the app does not start");
	refused("landlock_restrict_self", "EPERM",
	        "onward-launch: cannot set up the sandbox: Landlock: restricting the app: "
	        "Operation not permitted\n");
	test_step("the filter refused: the app does not start");
	refused("seccomp-load", "EPERM",
	        "onward-launch: cannot set up the sandbox: seccomp: loading the filter: "
	        "Operation not permitted\n");
}

static const struct {
	const char *name;
	void (*run)(void);
} cases[] = {
        {"network-seccomp", network_seccomp},
        {"network-netns", network_netns},
        {"network-landlock", network_landlock},
        {"network-all", network_all},
        {"store-mounts", store_mounts},
        {"store-landlock", store_landlock},
        {"store-user", store_user},
        {"store-all", store_all},
        {"processes-pidns", processes_pidns},
        {"processes-seccomp", processes_seccomp},
        {"processes-landlock", processes_landlock},
        {"processes-all", processes_all},
        {"write-mounts", write_mounts},
        {"write-landlock", write_landlock},
        {"write-all", write_all},
        {"exec-seccomp", exec_seccomp},
        {"exec-landlock", exec_landlock},
        {"exec-mounts", exec_mounts},
        {"exec-all", exec_all},
        {"limits", limits},
        {"syscalls", syscalls},
        {"identity", identity},
        {"signals", signals},
        {"refusal", refusal},
};

int
main(int argc, char **argv)
{
	uint8_t d[CRYPTO_SHA256_LEN];
	long abi;

	if (argc != 2) {
		fprintf(stderr, "usage: test-sandbox CASE\n");
		return 2;
	}
#ifdef SANDBOX_EMULATED
	/* A cross build's tests run under qemu-user, which offers its guest no namespaces,
	 * Landlock or seccomp, and cannot fexecve() through binfmt_misc. */
	printf("SKIP wall namespaces, mounts, landlock, seccomp (%s): under qemu-user, which "
	       "emulates none of them; they are proven natively and on the tablet\n",
	       argv[1]);
	return SKIPPED;
#endif
	/* The cases choose their walls with --without; nothing else lowers them. */
	unsetenv("ONWARD_LAUNCH_WITHOUT");
	snprintf(t.app_dir, sizeof(t.app_dir), "%s", SANDBOX_APP_DIR);
	snprintf(t.probe, sizeof(t.probe), "%s/sandbox-probe", SANDBOX_APP_DIR);
	snprintf(t.other, sizeof(t.other), "%s/sandbox-other", SANDBOX_APP_DIR);
	snprintf(t.outside, sizeof(t.outside), "%s/outside", SANDBOX_WORK_DIR);
	snprintf(t.launch, sizeof(t.launch), "%s", run_bin("onward-launch"));
	(void)mkdir(t.outside, 0777);
	CHECK_INT(chmod(t.outside, 0777), 0); /* so only the sandbox can stop a write there */
	CHECK_INT(crypto_sha256_file(t.probe, d), 0);
	crypto_hex_encode(d, sizeof(d), t.probe_hex);
	abi = syscall(444 /* landlock_create_ruleset */, NULL, 0, 1);
	t.landlock_abi = abi > 0 ? (int)abi : 0;
	signal(SIGPIPE, SIG_IGN);
	discover();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, argv[1]) == 0) {
			cases[i].run();
			printf("test-sandbox %s: ok\n", argv[1]);
			return 0;
		}
	}
	fprintf(stderr, "test-sandbox: no case %s\n", argv[1]);
	return 2;
}
