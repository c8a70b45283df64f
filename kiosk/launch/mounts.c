/*
 * The app's view of the file system: a fresh, read-only tmpfs root holding only the
 * system's libraries, fonts, locale and time zone data, the app's own directory, five
 * device nodes, a private /proc that shows the sandbox's own processes, the display
 * server's socket, and one writable place: a size-limited tmpfs scratch at /tmp that
 * vanishes with the app. Nothing else exists there: not the daemon's state directory, not
 * its sockets, not /home, /etc, /run or /sys. mounts_plan() lists what the app gets (in
 * the launcher, from its environment); mounts_build() builds it in B, inside the new
 * mount namespace, with the new mount API: every source is cloned and made read-only
 * before the new root covers anything, then moved into place, then pivot_root().
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#define ROOT_SIZE "1m" /* the root only holds mount points */
#define ROOT_INODES "1024"
#define SCRATCH_INODES "4096"

/* Read-only, when they exist: what an SDL2 app needs to start, draw text and tell time. */
static const char *const system_paths[] = {
        "/usr/lib", /* shared libraries, locale archive, gconv, espeak-ng data */
        "/usr/lib64", /* the x86-64 program interpreter's link */
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/usr/share/fontconfig",
        "/etc/fonts",
        "/var/cache/fontconfig",
        "/usr/share/locale", /* message catalogues */
        "/usr/share/X11", /* X11 locale and keyboard data */
        "/usr/share/zoneinfo",
        "/etc/localtime",
        "/etc/ld.so.cache",
        NULL,
};

/* Top-level links of a merged-/usr system, recreated as links; bound if directories. */
static const char *const root_links[] = {"/lib", "/lib64", "/lib32", "/libx32", NULL};

static const char *const dev_nodes[] = {"/dev/null",   "/dev/zero",    "/dev/full",
                                        "/dev/random", "/dev/urandom", NULL};

/* Directories an app must not have as "its own": they hold other programs or state. */
static const char *const shared_dirs[] = {
        "/usr/bin",   "/usr/sbin", "/usr/lib",  "/usr/libexec", "/usr/local/bin",
        "/usr/share", "/var/lib",  "/run/user", "/home",        NULL,
};

static struct launch_path *
add(struct launch_plan *plan, const char *path, enum path_kind kind, bool is_dir)
{
	struct launch_path *p;

	for (size_t i = 0; i < plan->n_paths; i++)
		if (strcmp(plan->paths[i].path, path) == 0)
			return &plan->paths[i];
	if (plan->n_paths >= LAUNCH_MAX_PATHS || strlen(path) >= sizeof(p->path) || path[0] != '/')
		return NULL;
	p = &plan->paths[plan->n_paths++];
	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->kind = kind;
	p->is_dir = is_dir;
	return p;
}

/* Adds path if it exists and is of the expected type (a socket for PATH_SOCKET). */
static int
add_existing(struct launch_plan *plan, const char *path, enum path_kind kind)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0; /* nothing there: the app does without */
	if (kind == PATH_SOCKET && !S_ISSOCK(st.st_mode))
		return 0;
	if (kind == PATH_DEV && !S_ISCHR(st.st_mode))
		return 0;
	if (kind == PATH_RO && !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return 0;
	return add(plan, path, kind, S_ISDIR(st.st_mode)) ? 0 : -E2BIG;
}

/* DISPLAY=":N", ":N.S" or "unix:N" names the socket /tmp/.X11-unix/XN; anything else
 * (a host name: X over TCP) gets no display, as the app has no network. */
static int
add_x11(struct launch_plan *plan, const char *display)
{
	char path[64], *end;
	unsigned long n;

	if (strncmp(display, "unix:", 5) == 0)
		display += 4;
	if (display[0] != ':' || display[1] < '0' || display[1] > '9')
		return 0;
	errno = 0;
	n = strtoul(display + 1, &end, 10);
	if (errno || n > 65535 || (*end && *end != '.'))
		return 0;
	snprintf(path, sizeof(path), "/tmp/.X11-unix/X%lu", n);
	return add_existing(plan, path, PATH_SOCKET);
}

static int
add_wayland(struct launch_plan *plan, const char *display, const char *runtime_dir)
{
	char path[PATH_MAX];

	if (display[0] == '/')
		snprintf(path, sizeof(path), "%s", display);
	else if (runtime_dir && runtime_dir[0] == '/' && !strchr(display, '/') &&
	         (size_t)snprintf(path, sizeof(path), "%s/%s", runtime_dir, display) < sizeof(path))
		;
	else
		return 0;
	return add_existing(plan, path, PATH_SOCKET);
}

static bool
is_shared_dir(const char *dir)
{
	const char *second = strchr(dir + 1, '/');

	if (!second)
		return true; /* "/" or a top-level directory such as /usr or /tmp */
	for (size_t i = 0; shared_dirs[i]; i++)
		if (strcmp(dir, shared_dirs[i]) == 0)
			return true;
	return false;
}

int
mounts_plan(struct launch_plan *plan, const char *app_path, struct launch_failure *ret_fail)
{
	char real[PATH_MAX], dir[PATH_MAX], locale[PATH_MAX + 32];
	const char *v;
	int r = 0;

	plan->n_paths = 0;
	for (size_t i = 0; system_paths[i] && r == 0; i++)
		r = add_existing(plan, system_paths[i], PATH_RO);
	for (size_t i = 0; root_links[i] && r == 0; i++) {
		struct stat st;
		struct launch_path *p;
		ssize_t n;

		if (lstat(root_links[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			r = add_existing(plan, root_links[i], PATH_RO);
			continue;
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		p = add(plan, root_links[i], PATH_LINK, false);
		if (!p)
			return launch_fail(ret_fail, E2BIG, "mount plan: too many paths");
		n = readlink(root_links[i], p->link, sizeof(p->link) - 1);
		if (n < 0)
			return launch_fail(ret_fail, errno, "mount plan: %s", root_links[i]);
		p->link[n] = '\0';
	}
	for (size_t i = 0; dev_nodes[i] && r == 0; i++)
		r = add_existing(plan, dev_nodes[i], PATH_DEV);
	if (r < 0)
		return launch_fail(ret_fail, -r, "mount plan: too many paths");

	/* The app's own files: its directory, and the catalogues installed beside it. */
	if (!realpath(app_path, real))
		return launch_fail(ret_fail, errno, "mount plan: %s", app_path);
	snprintf(dir, sizeof(dir), "%s", dirname(real)); /* dirname() writes into real */
	if (is_shared_dir(dir))
		return launch_fail(ret_fail, EPERM,
		                   "mount plan: the app's directory %.40s holds other programs",
		                   dir);
	if (!add(plan, dir, PATH_RO, true))
		return launch_fail(ret_fail, E2BIG, "mount plan: too many paths");
	snprintf(real, sizeof(real), "%s", dir);
	snprintf(locale, sizeof(locale), "%s/share/locale", dirname(real));
	if (strlen(locale) < PATH_MAX && add_existing(plan, locale, PATH_RO) < 0)
		return launch_fail(ret_fail, E2BIG, "mount plan: too many paths");

	/* The display server, and nothing else of the session. */
	if ((v = environ_get(plan->envp, "DISPLAY")))
		r = add_x11(plan, v);
	if (r == 0 && (v = environ_get(plan->envp, "XAUTHORITY")) && v[0] == '/')
		r = add_existing(plan, v, PATH_RO);
	if (r == 0 && (v = environ_get(plan->envp, "WAYLAND_DISPLAY")))
		r = add_wayland(plan, v, environ_get(plan->envp, "XDG_RUNTIME_DIR"));
#ifdef LAUNCH_SANITIZER_ENV
	/* SANITIZER BUILDS ONLY: an instrumented app reads its suppressions files. */
	for (const char *const *name =
	             (const char *const[]){"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", NULL};
	     *name && r == 0; name++) {
		const char *at = environ_get(plan->envp, *name);
		char file[PATH_MAX];

		at = at ? strstr(at, "suppressions=") : NULL;
		if (!at)
			continue;
		at += strlen("suppressions=");
		snprintf(file, sizeof(file), "%.*s", (int)strcspn(at, ":"), at);
		if (file[0] == '/')
			r = add_existing(plan, file, PATH_RO);
	}
#endif
#ifdef LAUNCH_TEST_HOOKS
	/* TEST HOOKS ONLY: the app's --script writes its screenshots and dumps beside it. */
	if (r == 0 && (v = environ_get(plan->envp, "ONWARD_APP_SCRIPT")) && realpath(v, real)) {
		snprintf(dir, sizeof(dir), "%s", dirname(real));
		if (!is_shared_dir(dir) && !add(plan, dir, PATH_RW, true))
			r = -E2BIG;
	}
#endif
	if (r < 0)
		return launch_fail(ret_fail, -r, "mount plan: too many paths");
	return 0;
}

/* --- Building the tree (in B) ------------------------------------------------------ */

static int
new_tmpfs(const char *size, const char *inodes, const char *mode, unsigned attrs, int *ret_fd)
{
	int fs = fsopen("tmpfs", FSOPEN_CLOEXEC), mnt;

	if (fs < 0)
		return -errno;
	if (fsconfig(fs, FSCONFIG_SET_STRING, "size", size, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "nr_inodes", inodes, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "mode", mode, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		int e = errno;

		close(fs);
		return -e;
	}
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	close(fs);
	if (mnt < 0)
		return -errno;
	*ret_fd = mnt;
	return 0;
}

static int
new_proc(int *ret_fd)
{
	int fs = fsopen("proc", FSOPEN_CLOEXEC), mnt;

	if (fs < 0)
		return -errno;
	/* Only the processes: no /proc/sys, /proc/kcore, /proc/net of anything. */
	if (fsconfig(fs, FSCONFIG_SET_STRING, "subset", "pid", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		int e = errno;

		close(fs);
		return -e;
	}
	mnt = fsmount(fs, FSMOUNT_CLOEXEC,
	              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	close(fs);
	if (mnt < 0)
		return -errno;
	*ret_fd = mnt;
	return 0;
}

/* Creates the parents of rel (a path relative to root) and the mount point itself. */
static int
make_mount_point(int root, const char *rel, bool is_dir)
{
	char buf[PATH_MAX];
	int dir = root, r = 0;

	snprintf(buf, sizeof(buf), "%s", rel);
	for (char *p = buf, *slash; r == 0; p = slash + 1) {
		int next;

		slash = strchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
		if (mkdirat(dir, p, 0755) < 0 && errno != EEXIST)
			r = -errno;
		next = r == 0 ? openat(dir, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (r == 0 && next < 0)
			r = -errno;
		if (dir != root)
			close(dir);
		dir = next;
	}
	if (r == 0) {
		const char *last = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;

		struct stat st;

		/* Already there: inside a directory bound earlier (its own files). */
		if (fstatat(dir, last, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISDIR(st.st_mode) != is_dir)
				r = is_dir ? -ENOTDIR : -EISDIR;
		} else if (is_dir) {
			if (mkdirat(dir, last, 0755) < 0)
				r = -errno;
		} else {
			int fd = openat(dir, last,
			                O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0600);

			if (fd < 0)
				r = -errno;
			else
				close(fd);
		}
	}
	if (dir != root && dir >= 0)
		close(dir);
	return r;
}

static unsigned
attrs_for(enum path_kind kind)
{
	switch (kind) {
	case PATH_DEV:
		return MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
	case PATH_SOCKET:
		return MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	case PATH_RW:
		return MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	default:
		/* Libraries must stay executable (mmap), so no noexec; Landlock lets only
		 * the app's program and its interpreter be executed. */
		return MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	}
}

/* A detached, read-only (as its kind says) copy of the source tree at p->path. */
static int
clone_source(const struct launch_path *p, int *ret_fd)
{
	struct mount_attr attr = {.attr_set = attrs_for(p->kind)};
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, p->path,
	                      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);

	if (fd < 0)
		return -errno;
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) <
	    0) {
		int e = errno;

		close(fd);
		return -e;
	}
	*ret_fd = fd;
	return 0;
}

static int
cmp_paths(const void *a, const void *b)
{
	return strcmp((*(const struct launch_path *const *)a)->path,
	              (*(const struct launch_path *const *)b)->path);
}

static int
move_into(int mnt, int root, const char *rel)
{
	return move_mount(mnt, "", root, rel, MOVE_MOUNT_F_EMPTY_PATH) < 0 ? -errno : 0;
}

int
mounts_build(const struct launch_plan *plan, struct launch_failure *ret_fail)
{
	const struct launch_path *sorted[LAUNCH_MAX_PATHS];
	int src[LAUNCH_MAX_PATHS], root = -1, scratch = -1, proc = -1, r = 0;
	char size[32];
	struct statfs sf;
	struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};

	for (size_t i = 0; i < plan->n_paths; i++) {
		sorted[i] = &plan->paths[i];
		src[i] = -1;
	}
	qsort(sorted, plan->n_paths, sizeof(sorted[0]), cmp_paths);

	/* Nothing done here may reach the mounts outside. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return launch_fail(ret_fail, errno, "mount tree: making mounts private");

	/* Clone every source first: the new root will cover /tmp, where sockets live. */
	for (size_t i = 0; i < plan->n_paths && r == 0; i++) {
		if (sorted[i]->kind == PATH_LINK)
			continue;
		r = clone_source(sorted[i], &src[i]);
		if (r < 0)
			launch_fail(ret_fail, -r, "mount tree: %.70s", sorted[i]->path);
	}
	if (r == 0) {
		r = new_tmpfs(ROOT_SIZE, ROOT_INODES, "0755",
		              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &root);
		if (r == 0 &&
		    move_mount(root, "", AT_FDCWD, LAUNCH_SCRATCH, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			r = -errno;
		if (r < 0)
			launch_fail(ret_fail, -r, "mount tree: the new root");
	}
	if (r == 0) {
		snprintf(size, sizeof(size), "%llum", (unsigned long long)plan->scratch_mb);
		r = new_tmpfs(size, SCRATCH_INODES, "0700",
		              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &scratch);
		if (r == 0)
			r = make_mount_point(root, LAUNCH_SCRATCH + 1, true);
		if (r == 0)
			r = move_into(scratch, root, LAUNCH_SCRATCH + 1);
		if (r < 0)
			launch_fail(ret_fail, -r, "mount tree: the scratch %s", LAUNCH_SCRATCH);
	}
	if (r == 0) {
		r = new_proc(&proc);
		if (r == 0)
			r = make_mount_point(root, "proc", true);
		if (r == 0)
			r = move_into(proc, root, "proc");
		if (r < 0)
			launch_fail(ret_fail, -r, "mount tree: /proc");
	}
	for (size_t i = 0; i < plan->n_paths && r == 0; i++) {
		const struct launch_path *p = sorted[i];

		if (p->kind == PATH_LINK) {
			if (symlinkat(p->link, root, p->path + 1) < 0)
				r = -errno;
		} else {
			r = make_mount_point(root, p->path + 1, p->is_dir);
			if (r == 0)
				r = move_into(src[i], root, p->path + 1);
		}
		if (r < 0)
			launch_fail(ret_fail, -r, "mount tree: %.70s", p->path);
	}
	if (r == 0) {
		static const char *const links[][2] = {{"/proc/self/fd", "dev/fd"},
		                                       {"/proc/self/fd/0", "dev/stdin"},
		                                       {"/proc/self/fd/1", "dev/stdout"},
		                                       {"/proc/self/fd/2", "dev/stderr"}};

		for (size_t i = 0; i < 4 && r == 0; i++)
			if (symlinkat(links[i][0], root, links[i][1]) < 0)
				r = launch_fail(ret_fail, errno, "mount tree: /%s", links[i][1]);
	}
	/* The root itself read-only; then it becomes "/" and the old root goes. */
	if (r == 0 && syscall(SYS_mount_setattr, root, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0)
		r = launch_fail(ret_fail, errno, "mount tree: making the root read-only");
	if (r == 0 && (fchdir(root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	               umount2(".", MNT_DETACH) < 0 || chdir("/") < 0))
		r = launch_fail(ret_fail, errno, "mount tree: pivot_root");
	/* Verify: "/" is our read-only tmpfs and /tmp the writable scratch. */
	if (r == 0 &&
	    (statfs("/", &sf) < 0 || sf.f_type != TMPFS_MAGIC || !(sf.f_flags & ST_RDONLY)))
		r = launch_fail(ret_fail, EPERM, "mount tree: the root is not the sandbox's");
	if (r == 0 && (statfs(LAUNCH_SCRATCH, &sf) < 0 || sf.f_type != TMPFS_MAGIC ||
	               (sf.f_flags & ST_RDONLY)))
		r = launch_fail(ret_fail, EPERM, "mount tree: the scratch is not writable");

	for (size_t i = 0; i < plan->n_paths; i++)
		if (src[i] >= 0)
			close(src[i]);
	if (root >= 0)
		close(root);
	if (scratch >= 0)
		close(scratch);
	if (proc >= 0)
		close(proc);
	return r;
}
