/*
 * The state directory and the device secret (see statedir.h). The checks here are the
 * daemon's refusal to run on an unsafe footing: a secret others can read, a directory
 * others can write, or a second daemon on the same files.
 */
#include "statedir.h"

#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int
statedir_prepare(const char *dir, bool create, char *err, size_t size)
{
	struct stat st;

	if (lstat(dir, &st) < 0) {
		int e = errno;

		if (e != ENOENT || !create) {
			snprintf(err, size, "cannot use state directory %s: %s", dir, strerror(e));
			return -e;
		}
		if (mkdir(dir, 0700) < 0 || lstat(dir, &st) < 0) {
			e = errno;
			snprintf(err, size, "cannot create state directory %s: %s", dir,
			         strerror(e));
			return -e;
		}
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, size, "state directory %s is not a directory", dir);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, size, "state directory %s belongs to another user (uid %u)", dir,
		         (unsigned)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & 077) {
		snprintf(err, size,
		         "state directory %s is open to group or others (mode %04o); "
		         "run: chmod 700 %s",
		         dir, (unsigned)(st.st_mode & 07777), dir);
		return -EPERM;
	}
	return 0;
}

int
statedir_lock(const char *dir, int *ret_fd, char *err, size_t size)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		int e = errno;

		snprintf(err, size, "cannot open %s: %s", path, strerror(e));
		return -e;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		if (e == EWOULDBLOCK) {
			snprintf(err, size, "another onward-policyd is already using %s", dir);
			return -EBUSY;
		}
		snprintf(err, size, "cannot lock %s: %s", path, strerror(e));
		return -e;
	}
	*ret_fd = fd;
	return 0;
}

static int
secret_create(const char *path, char *err, size_t size)
{
	uint8_t secret[DEVICE_SECRET_LEN];
	ssize_t wrote;
	int fd, r;

	r = crypto_random(secret, sizeof(secret));
	if (r < 0) {
		snprintf(err, size, "cannot make a device secret: no randomness");
		return r;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		r = -errno;
		snprintf(err, size, "cannot create %s: %s", path, strerror(-r));
		return r;
	}
	wrote = write(fd, secret, sizeof(secret));
	crypto_wipe(secret, sizeof(secret));
	if (wrote != (ssize_t)sizeof(secret) || fsync(fd) < 0) {
		close(fd);
		unlink(path);
		snprintf(err, size, "cannot write %s", path);
		return -EIO;
	}
	close(fd);
	return 0;
}

int
statedir_secret(const char *dir, bool create, uint8_t ret_secret[DEVICE_SECRET_LEN], char *err,
                size_t size)
{
	uint8_t secret[DEVICE_SECRET_LEN + 1];
	char path[4200];
	struct stat st;
	ssize_t got;
	int fd, r;

	snprintf(path, sizeof(path), "%s/device.secret", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && create) {
		r = secret_create(path, err, size);
		if (r < 0)
			return r;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (fd < 0) {
		r = -errno;
		snprintf(err, size, "cannot read device secret %s: %s", path, strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, size, "device secret %s is not a regular file", path);
		return -EINVAL;
	}
	if (st.st_mode & 077) {
		close(fd);
		snprintf(err, size,
		         "device secret %s is readable by group or others (mode %04o); "
		         "run: chmod 600 %s",
		         path, (unsigned)(st.st_mode & 07777), path);
		return -EPERM;
	}
	got = read(fd, secret, sizeof(secret));
	close(fd);
	if (got != DEVICE_SECRET_LEN) {
		crypto_wipe(secret, sizeof(secret));
		snprintf(err, size, "device secret %s must be exactly %d bytes", path,
		         DEVICE_SECRET_LEN);
		return -EINVAL;
	}
	memcpy(ret_secret, secret, DEVICE_SECRET_LEN);
	crypto_wipe(secret, sizeof(secret));
	return 0;
}
