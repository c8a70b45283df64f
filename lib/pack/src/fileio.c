/*
 * fileio.c: reading a whole file with its size checked before anything is allocated, and
 * writing one atomically (a temporary file beside it, fsync, rename), so a reader never
 * sees half a certificate or half a pack, and a failed build leaves nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pack_int.h"

int
pack__file_read(const char *path, uint64_t max, void **ret_data, size_t *ret_len,
                struct pack_error *err)
{
	struct stat st;
	char *data = NULL;
	size_t got = 0;
	int fd, r;

	fd = open(path,
	          O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* a FIFO must not block us */
	if (fd < 0)
		return pack__err_sys(err, errno, "cannot open", path);
	if (fstat(fd, &st) < 0) {
		r = pack__err_sys(err, errno, "cannot stat", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		r = pack__err(err, -EINVAL, "%s: not a regular file", path);
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		r = pack__err(err, -EFBIG, "%s: file is %jd bytes, over the %ju-byte limit", path,
		              (intmax_t)st.st_size, (uintmax_t)max);
		goto fail;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		r = pack__err(err, -ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	/* Read one byte more than fstat said, to notice a file that grew meanwhile. */
	while (got <= (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = pack__err_sys(err, errno, "read error", path);
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)st.st_size) {
		r = pack__err(err, -EIO, "%s: file changed while being read", path);
		goto fail;
	}
	data[got] = '\0';
	close(fd);
	*ret_data = data;
	*ret_len = got;
	return 0;
fail:
	free(data);
	close(fd);
	return r;
}

int
pack__file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                        struct pack_error *err)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 8);
	const char *p = data;
	int fd, r;

	if (!tmp)
		return pack__err(err, -ENOMEM, "out of memory");
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".XXXXXX", 8);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = pack__err_sys(err, errno, "cannot create", path);
		free(tmp);
		return r;
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = pack__err_sys(err, errno, "write error", path);
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		r = pack__err_sys(err, errno, "write error", path);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = pack__err_sys(err, errno, "write error", path);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		r = pack__err_sys(err, errno, "cannot rename into place", path);
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return r;
}
