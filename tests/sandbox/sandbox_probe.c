/*
 * sandbox-probe: a test app that tries, from inside onward-launch's sandbox, the one
 * thing its command names, and prints what happened, one "KEY VALUE" line per attempt
 * (VALUE is "ok" or the errno's name). test_sandbox.c runs it through the launcher with
 * every wall up, and with all but one wall down, and compares the lines. An attempt the
 * seccomp filter forbids ends the probe (SIGSYS); those commands do only that one thing.
 * It is built without sanitizers, so the memory limit holds in every build.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *
err_name(int e)
{
	switch (e) {
	case 0:
		return "ok";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EROFS:
		return "EROFS";
	case ENETUNREACH:
		return "ENETUNREACH";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case ESRCH:
		return "ESRCH";
	case EMFILE:
		return "EMFILE";
	case EAGAIN:
		return "EAGAIN";
	case ENOMEM:
		return "ENOMEM";
	case ENOSPC:
		return "ENOSPC";
	case EBADF:
		return "EBADF";
	case ENOTDIR:
		return "ENOTDIR";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	default: {
		static char buf[32];

		snprintf(buf, sizeof(buf), "errno%d", e);
		return buf;
	}
	}
}

static void
report(const char *key, const char *what, int e)
{
	printf("%s %s %s\n", key, what, err_name(e));
	fflush(stdout);
}

static void
try_read(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e = 0;

	if (fd < 0) {
		e = errno;
	} else if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *d = fdopendir(fd);

		if (!d || !readdir(d))
			e = errno ? errno : EIO;
		if (d)
			closedir(d);
		fd = -1;
	} else {
		char c;

		if (read(fd, &c, 1) < 0)
			e = errno;
	}
	if (fd >= 0)
		close(fd);
	report("read", path, e);
}

static void
try_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), e = 0;

	if (fd < 0)
		e = errno;
	else if (write(fd, "x", 1) != 1)
		e = errno;
	if (fd >= 0)
		close(fd);
	report("write", path, e);
}

static void
try_mkdir(const char *path)
{
	report("mkdir", path, mkdir(path, 0755) < 0 ? errno : 0);
}

static void
try_connect_unix(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), e = 0;
	socklen_t len;

	if (path[0] == '@') {
		/* An abstract name: the leading NUL, then the rest. */
		memcpy(a.sun_path + 1, path + 1, strlen(path + 1));
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	} else {
		snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
		len = sizeof(a);
	}
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, len) < 0)
		e = errno;
	if (fd >= 0)
		close(fd);
	report("connect", path, e);
}

static void
try_connect_tcp(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
	                        .sin_port = htons((uint16_t)port),
	                        .sin_addr = {htonl(INADDR_LOOPBACK)}};
	char what[32];
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), e = 0;

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		e = errno;
	if (fd >= 0)
		close(fd);
	snprintf(what, sizeof(what), "127.0.0.1:%d", port);
	report("connect", what, e);
}

static void
list_proc(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d) {
		report("proc", "list", errno);
		return;
	}
	while ((e = readdir(d))) {
		char path[300], comm[64] = "";
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if ((f = fopen(path, "re"))) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		printf("pid %s %s\n", e->d_name, comm);
		n++;
	}
	closedir(d);
	printf("pids %d\n", n);
	printf("self %d\n", (int)getpid());
}

static void
print_status(void)
{
	static const char *const keys[] = {
	        "Uid:",    "Gid:",    "Groups:",     "CapInh:",  "CapPrm:", "CapEff:",
	        "CapBnd:", "CapAmb:", "NoNewPrivs:", "Seccomp:", NULL};
	char line[256], host[64] = "";
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		for (int i = 0; keys[i]; i++)
			if (strncmp(line, keys[i], strlen(keys[i])) == 0) {
				char *v = line + strlen(keys[i]);

				v += strspn(v, " \t");
				printf("status %.*s %s", (int)strlen(keys[i]) - 1, keys[i], v);
			}
	if (f)
		fclose(f);
	gethostname(host, sizeof(host));
	printf("hostname %s\n", host);
	printf("pid %d\n", (int)getpid());
	printf("cwd-root %s\n", access("/etc/passwd", F_OK) == 0 ? "host" : "sandbox");
}

static void *
idle_thread(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static int
count_threads(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int n = 0, r;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	while (n < 100000 && (r = pthread_create(&t, &attr, idle_thread, NULL)) == 0)
		n++;
	printf("threads %d %s\n", n, err_name(r));
	return n;
}

static void
fill_scratch(void)
{
	static char block[64 * 1024];
	int fd = open("/tmp/fill", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), e = 0;
	long long total = 0;

	memset(block, 'x', sizeof(block));
	while (fd >= 0) {
		ssize_t n = write(fd, block, sizeof(block));

		if (n <= 0) {
			e = n < 0 ? errno : ENOSPC;
			break;
		}
		total += n;
	}
	if (fd < 0)
		e = errno;
	printf("scratch %lld %s\n", total >> 20, err_name(e));
}

/*
 * What fontconfig tries on a cold or stale cache, and SDL before it asks for a real-time
 * thread, on a file and a folder of dir (the scratch, where each would work without the
 * filter): each line says what the call returned, and a last line that the probe is still
 * running. The filter must answer EPERM, not end the app.
 */
static void
cold_cache(const char *dir)
{
	char file[256], lock[2][256], sym[256], sub[256];
	struct rlimit lim;

	snprintf(file, sizeof(file), "%s/cache-8", dir);
	for (int i = 0; i < 2; i++)
		snprintf(lock[i], sizeof(lock[i]), "%s/cache-8.LCK%d", dir, i);
	snprintf(sym, sizeof(sym), "%s/cache-8.link", dir);
	snprintf(sub, sizeof(sub), "%s/fontconfig", dir);
	if (close(open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    mkdir(sub, 0555) < 0 || getrlimit(RLIMIT_NOFILE, &lim) < 0) {
		report("cold", "setup", errno);
		return;
	}
	report("cold", "chmod", chmod(sub, 0755) < 0 ? errno : 0);
	report("cold", "fchmodat", fchmodat(AT_FDCWD, file, 0644, 0) < 0 ? errno : 0);
	report("cold", "link", link(file, lock[0]) < 0 ? errno : 0);
	report("cold", "linkat", linkat(AT_FDCWD, file, AT_FDCWD, lock[1], 0) < 0 ? errno : 0);
	report("cold", "symlink", symlink(file, sym) < 0 ? errno : 0);
	report("cold", "setrlimit", setrlimit(RLIMIT_NOFILE, &lim) < 0 ? errno : 0);
	report("cold", "prlimit64",
	       syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &lim, NULL) < 0 ? errno : 0);
	report("cold", "still-running", 0);
}

static int
usage(void)
{
	fprintf(stderr, "usage: sandbox-probe COMMAND [ARG]...\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "status") == 0) {
		print_status();
	} else if (strcmp(cmd, "read") == 0) {
		for (int i = 2; i < argc; i++)
			try_read(argv[i]);
	} else if (strcmp(cmd, "write") == 0) {
		for (int i = 2; i < argc; i++)
			try_write(argv[i]);
	} else if (strcmp(cmd, "mkdir") == 0) {
		for (int i = 2; i < argc; i++)
			try_mkdir(argv[i]);
	} else if (strcmp(cmd, "connect") == 0) {
		for (int i = 2; i < argc; i++)
			try_connect_unix(argv[i]);
	} else if (strcmp(cmd, "tcp") == 0 && argc == 3) {
		try_connect_tcp(atoi(argv[2]));
	} else if (strcmp(cmd, "socket") == 0 && argc == 3) {
		int family = strcmp(argv[2], "inet") == 0      ? AF_INET
		             : strcmp(argv[2], "inet6") == 0   ? AF_INET6
		             : strcmp(argv[2], "netlink") == 0 ? AF_NETLINK
		                                               : AF_PACKET;
		int fd = socket(family, SOCK_DGRAM, 0);

		report("socket", argv[2], fd < 0 ? errno : 0);
	} else if (strcmp(cmd, "procs") == 0) {
		list_proc();
	} else if (strcmp(cmd, "kill") == 0 && argc == 3) {
		report("kill", argv[2], kill(atoi(argv[2]), 0) < 0 ? errno : 0);
	} else if (strcmp(cmd, "exec") == 0 && argc >= 3) {
		static char status[] = "status";
		char *args[] = {argv[2], status, NULL};

		execve(argv[2], args, environ);
		report("exec", argv[2], errno);
	} else if (strcmp(cmd, "copy-exec") == 0 && argc == 3) {
		/* Copies its own program to argv[2] (the scratch) and runs the copy. */
		static char status[] = "status";
		char buf[65536], *args[] = {argv[2], status, NULL};
		int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
		ssize_t n;

		while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				break;
		if (in >= 0)
			close(in);
		if (out < 0) {
			report("copy", argv[2], errno);
			return 0;
		}
		close(out);
		execve(argv[2], args, environ);
		report("exec", argv[2], errno);
	} else if (strcmp(cmd, "memory") == 0 && argc == 3) {
		size_t mb = (size_t)atol(argv[2]);
		char *p = malloc(mb << 20);

		if (p)
			memset(p, 1, mb << 20);
		printf("memory %zu %s\n", mb, p ? "ok" : "ENOMEM");
		free(p);
	} else if (strcmp(cmd, "files") == 0) {
		int n = 0, e = 0;

		while (n < 100000) {
			if (open("/dev/null", O_RDONLY) < 0) {
				e = errno;
				break;
			}
			n++;
		}
		printf("files %d %s\n", n, err_name(e));
	} else if (strcmp(cmd, "threads") == 0) {
		count_threads();
	} else if (strcmp(cmd, "spin") == 0) {
		for (volatile unsigned long i = 0;; i++)
			;
	} else if (strcmp(cmd, "scratch") == 0) {
		fill_scratch();
	} else if (strcmp(cmd, "fork") == 0) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		report("fork", "", pid < 0 ? errno : 0);
	} else if (strcmp(cmd, "syscall") == 0 && argc == 3) {
		/* One forbidden call each; the filter ends the probe before it reports. */
		const char *what = argv[2];
		long r = -1;

		if (strcmp(what, "ptrace") == 0)
			r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		else if (strcmp(what, "mount") == 0)
			r = mount("none", "/tmp", "tmpfs", 0, NULL);
		else if (strcmp(what, "unshare") == 0)
			r = syscall(SYS_unshare, 0x10000000 /* CLONE_NEWUSER */);
		else if (strcmp(what, "bpf") == 0)
			r = syscall(SYS_bpf, 0, NULL, 0);
		else if (strcmp(what, "keyctl") == 0)
			r = syscall(SYS_keyctl, 0, 0, 0, 0, 0);
		else if (strcmp(what, "io_uring_setup") == 0)
			r = syscall(SYS_io_uring_setup, 1, NULL);
		else if (strcmp(what, "perf_event_open") == 0)
			r = syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
		else if (strcmp(what, "userfaultfd") == 0)
			r = syscall(SYS_userfaultfd, 0);
		else if (strcmp(what, "setns") == 0)
			r = syscall(SYS_setns, 0, 0);
		else if (strcmp(what, "chroot") == 0)
			r = syscall(SYS_chroot, "/tmp");
		report("syscall", what, r < 0 ? errno : 0);
	} else if (strcmp(cmd, "cold-cache") == 0 && argc == 3) {
		cold_cache(argv[2]);
	} else if (strcmp(cmd, "sleep") == 0) {
		/* Waits for a signal (the launcher should pass SIGTERM on to it). */
		printf("sleeping %d\n", (int)getpid());
		fflush(stdout);
		pause();
	} else {
		return usage();
	}
	return 0;
}
