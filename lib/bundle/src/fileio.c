/*
 * fileio.c: reading a whole small file with a size limit checked before allocation (and,
 * for a private key, a check that nobody else can read it), and writing a new file
 * exclusively, durably, with its mode set at creation so it is never briefly readable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "bundle_int.h"

int
bundle__file_read(const char *path, size_t max, bool private_file, char **ret_data, size_t *ret_len,
                  struct bundle_error *err)
{
	struct stat st;
	char *data = NULL;
	size_t got = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		return bundle__fail(err, r, "%s: cannot open: %s", path, strerror(-r));
	}
	if (fstat(fd, &st) < 0) {
		r = bundle__fail(err, -errno, "%s: cannot stat: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		r = bundle__fail(err, -EINVAL, "%s: not a regular file", path);
		goto fail;
	}
	if (private_file && (st.st_mode & 077) != 0) {
		r = bundle__fail(err, -EPERM,
		                 "%s: group or others may read this private key (mode %04o); it "
		                 "must be 0600",
		                 path, (unsigned)(st.st_mode & 07777));
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		r = bundle__fail(err, -EFBIG, "%s: %lld bytes, more than the limit of %zu", path,
		                 (long long)st.st_size, max);
		goto fail;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		r = bundle__fail(err, -ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	/* Read one byte past the size seen, so a file that grew is refused, not cut. */
	while (got <= (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = bundle__fail(err, -errno, "%s: cannot read: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)st.st_size) {
		r = bundle__fail(err, -EIO, "%s: changed while it was read", path);
		goto fail;
	}
	data[got] = '\0';
	close(fd);
	*ret_data = data;
	*ret_len = got;
	return 0;
fail:
	if (data) {
		OPENSSL_cleanse(data, (size_t)st.st_size + 1);
		free(data);
	}
	close(fd);
	return r;
}

int
bundle__file_write_new(const char *path, const void *data, size_t len, unsigned mode,
                       struct bundle_error *err)
{
	const char *p = data;
	size_t done = 0;
	int fd, r;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, (mode_t)mode);
	if (fd < 0) {
		r = -errno;
		return bundle__fail(err, r, "%s: cannot create: %s", path, strerror(-r));
	}
	/* The umask may have narrowed the mode; make it exactly what was asked. */
	if (fchmod(fd, (mode_t)mode) < 0)
		goto fail_errno;
	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail_errno;
		done += (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail_errno;
	if (close(fd) < 0) {
		r = -errno;
		unlink(path);
		return bundle__fail(err, r, "%s: cannot write: %s", path, strerror(-r));
	}
	return 0;
fail_errno:
	r = -errno;
	close(fd);
	unlink(path);
	return bundle__fail(err, r, "%s: cannot write: %s", path, strerror(-r));
}
