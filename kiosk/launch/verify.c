/*
 * The binary check: the launcher opens the app's program once, hashes it from that open
 * descriptor with OpenSSL's EVP SHA-256, and later executes the same descriptor
 * (fexecve), so the bytes checked are the file that runs, whatever happens to the path in
 * between. OpenSSL failures become -EIO here, in one place.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#define READ_CHUNK (64 * 1024)

int
verify_open(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENOEXEC;
	}
	return fd;
}

int
verify_sha256_fd(int fd, uint8_t ret_digest[LAUNCH_SHA256_LEN])
{
	static unsigned char buf[READ_CHUNK];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int r = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (lseek(fd, 0, SEEK_SET) < 0) {
		r = -errno;
		goto out;
	}
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
			goto out;
	}
	if (EVP_DigestFinal_ex(ctx, ret_digest, &len) != 1 || len != LAUNCH_SHA256_LEN)
		goto out;
	r = 0;
out:
	EVP_MD_CTX_free(ctx);
	return r;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
verify_parse_hex(const char *hex, uint8_t ret_digest[LAUNCH_SHA256_LEN])
{
	uint8_t d[LAUNCH_SHA256_LEN];

	for (size_t i = 0; i < LAUNCH_SHA256_LEN; i++) {
		int hi = hex_value(hex[2 * i]), lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		d[i] = (uint8_t)(hi << 4 | lo);
	}
	if (hex[2 * LAUNCH_SHA256_LEN] != '\0')
		return -EINVAL;
	for (size_t i = 0; i < LAUNCH_SHA256_LEN; i++)
		ret_digest[i] = d[i];
	return 0;
}
