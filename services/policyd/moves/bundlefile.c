/*
 * Bundle files (see bundlefile.h): opened without waiting, read off the loop, written
 * durably, each refusal in staff's words.
 */
#include "bundlefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read in pieces, so a file that grows is noticed without reading all it has become. */
#define READ_CHUNK (1u << 20)

static bool
utf8_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

void
bundlefile_shorten_path(const char *path, char *out, size_t size)
{
	size_t len = strlen(path), max = BUNDLEFILE_PATH_SHOWN, head, tail;

	if (size == 0)
		return;
	if (max > size - 1)
		max = size - 1;
	if (len <= max) {
		memcpy(out, path, len + 1);
		return;
	}
	/* The end names the file, so it gets two thirds of the room. */
	head = (max - 3) / 3;
	tail = max - 3 - head;
	while (head > 0 && utf8_continuation((unsigned char)path[head]))
		head--;
	while (tail > 0 && utf8_continuation((unsigned char)path[len - tail]))
		tail--;
	memcpy(out, path, head);
	memcpy(out + head, "...", 3);
	memcpy(out + head + 3, path + len - tail, tail + 1);
}

/* What went wrong opening or reading `shown`, in words staff can act on. */
static int
refuse(int r, const char *shown, char *err, size_t size)
{
	switch (r) {
	case -ENOENT:
		snprintf(err, size, "There is no file at %s. Check the path.", shown);
		break;
	case -ENOTDIR:
		snprintf(err, size, "Part of the path %s is not a folder. Check the path.", shown);
		break;
	case -EACCES:
	case -EPERM:
		snprintf(err, size,
		         "The service is not allowed to read %s. Copy the file to a folder the "
		         "service can read and try again.",
		         shown);
		break;
	case -ELOOP:
		snprintf(err, size,
		         "%s is a symbolic link. Give the path of the bundle file itself.", shown);
		break;
	case -ENXIO:
	case -ENODEV:
	case -EOPNOTSUPP:
		snprintf(err, size, "%s is not a file (it is a device or a socket).", shown);
		break;
	case -ENAMETOOLONG:
		snprintf(err, size, "The path %s is too long.", shown);
		break;
	case -ENOMEM:
		snprintf(err, size,
		         "There is not enough memory to read %s just now. Try again later.", shown);
		break;
	case -EIO:
		snprintf(err, size, "%s could not be read: the disk reported an error.", shown);
		break;
	default:
		snprintf(err, size, "%s could not be read (system error %d).", shown, -r);
	}
	return r;
}

static const char *
file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a pipe (FIFO)";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not an ordinary file";
}

int
bundlefile_open(const char *path, uint64_t max, int *ret_fd, uint64_t *ret_size, char *err,
                size_t err_size)
{
	char shown[BUNDLEFILE_PATH_SHOWN + 1];
	struct stat st;
	int fd, r;

	bundlefile_shorten_path(path, shown, sizeof(shown));
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, and the
	 * whole daemon with it. Nothing else here can wait. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return refuse(-errno, shown, err, err_size);
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return refuse(r, shown, err, err_size);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, err_size,
		         "%s is %s, not a bundle file. Give the path of the bundle file itself.",
		         shown, file_kind(st.st_mode));
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		snprintf(err, err_size,
		         "%s is %.1f MB, larger than any person's bundle can be (at most %.1f MB). "
		         "It is not a bundle, or it was not made by Onward.",
		         shown, (double)st.st_size / 1e6, (double)max / 1e6);
		return -EFBIG;
	}
	*ret_fd = fd;
	*ret_size = (uint64_t)st.st_size;
	return 0;
}

int
bundlefile_read(int fd, uint64_t size, const char *shown, void **ret, size_t *ret_len, char *err,
                size_t err_size)
{
	/* One byte more than fstat said, to notice a file that grew meanwhile. */
	size_t want = (size_t)size + 1, got = 0;
	char *buf = malloc(want);
	int r = 0;

	if (!buf) {
		close(fd);
		return refuse(-ENOMEM, shown, err, err_size);
	}
	/* The descriptor was opened non-blocking; reading a regular file never waits for a
	 * writer, so EAGAIN cannot happen here, and is treated as an error if it does. */
	while (got < want) {
		size_t n = want - got < READ_CHUNK ? want - got : READ_CHUNK;
		ssize_t k = read(fd, buf + got, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = -errno;
			break;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (r == 0 && got != size)
		r = -ESTALE;
	if (r == 0 && got == 0)
		r = -ENODATA;
	if (r < 0) {
		free(buf);
		if (r == -ESTALE)
			snprintf(err, err_size,
			         "%s changed while it was being read (it may still be being "
			         "copied). "
			         "Wait until it is complete, then try again.",
			         shown);
		else if (r == -ENODATA)
			snprintf(err, err_size, "%s is empty: it is not a bundle.", shown);
		else
			refuse(r, shown, err, err_size);
		return r;
	}
	*ret = buf;
	*ret_len = got;
	return 0;
}

int
bundlefile_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
bundlefile_write(const char *path, const void *data, size_t len, char *err, size_t err_size)
{
	char shown[BUNDLEFILE_PATH_SHOWN + 1];
	int fd, r = 0;

	bundlefile_shorten_path(path, shown, sizeof(shown));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0) {
		r = -errno;
		goto refused;
	}
	r = bundlefile_write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlink(path);
refused:
	switch (r) {
	case 0:
		return 0;
	case -EEXIST:
		snprintf(err, err_size,
		         "There is already a file at %s. A bundle never replaces a file: choose a "
		         "new name.",
		         shown);
		break;
	case -ENOENT:
		snprintf(err, err_size, "The folder for %s does not exist.", shown);
		break;
	case -ENOTDIR:
		snprintf(err, err_size, "Part of the path %s is not a folder.", shown);
		break;
	case -EACCES:
	case -EPERM:
	case -EROFS:
		snprintf(err, err_size,
		         "The service is not allowed to write %s. Choose a folder the service "
		         "can write to (for example /var/tmp).",
		         shown);
		break;
	case -ENOSPC:
	case -EDQUOT:
		snprintf(err, err_size, "There is no room left on the disk for %s.", shown);
		break;
	case -EIO:
		snprintf(err, err_size, "%s could not be written: the disk reported an error.",
		         shown);
		break;
	case -ENAMETOOLONG:
		snprintf(err, err_size, "The path %s is too long.", shown);
		break;
	case -EISDIR:
		snprintf(err, err_size, "%s is a folder. Give the path of a new file.", shown);
		break;
	default:
		snprintf(err, err_size, "%s could not be written (system error %d).", shown, -r);
	}
	return r;
}
