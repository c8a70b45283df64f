/*
 * Small files of key material and certificates (see crypto.h, "Files"): read whole with a
 * limit and without waiting on a FIFO, written whole and durably, and replaced atomically
 * (a temporary file beside the target, fsync, rename, fsync of the folder), so that a
 * crash leaves either the old file or the new one and never half of either.
 */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
crypto_file_read(const char *path, char *buf, size_t size, size_t *ret_len, mode_t *ret_mode)
{
	struct stat st;
	size_t got = 0;
	int fd, r = 0;

	if (size < 2)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -EINVAL;
	else if ((uint64_t)st.st_size >= size)
		r = -EFBIG;
	/* Read to the end rather than trusting st_size: a file that grew is refused, not cut. */
	while (r == 0 && got < size - 1) {
		ssize_t n = read(fd, buf + got, size - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = -errno;
		else if (n == 0)
			break;
		else
			got += (size_t)n;
	}
	close(fd);
	if (r == 0 && got >= size - 1)
		r = -EFBIG;
	if (r < 0)
		return r;
	buf[got] = '\0';
	*ret_len = got;
	if (ret_mode)
		*ret_mode = st.st_mode;
	return 0;
}

int
crypto_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
crypto_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

int
crypto_sync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash)
		return crypto_sync_dir(".");
	if (slash == path)
		return crypto_sync_dir("/");
	if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return crypto_sync_dir(dir);
}

int
crypto_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[PATH_MAX];
	int fd, r;

	/* A name of its own beside the target (so the rename stays in one file system), made
	 * with O_EXCL: two writers never share one, and no link there is followed. */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* mkostemp made it 0600; the mode asked for is set whatever the umask. */
	r = fchmod(fd, mode) < 0 ? -errno : 0;
	if (r == 0)
		r = crypto_write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	return crypto_sync_parent(path);
}
