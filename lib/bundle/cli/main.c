/*
 * main.c: onward-bundle, the operators' tool for person bundles and establishment keys.
 * It picks the subcommand and holds what every subcommand shares: one-line failures on
 * stderr (exit 1), usage errors (exit 2), parsing times and day counts, and reading and
 * writing whole files (outputs are never written over an existing file).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
        "usage: onward-bundle COMMAND [OPTIONS]\n"
        "\n"
        "Make establishment keys and certificates, and seal, inspect and open the person\n"
        "bundles that carry a person's record between establishments.\n"
        "\n"
        "commands:\n"
        "  keygen       make an identity: keys and a self-signed certificate\n"
        "  certify      issue a certificate with a national root's key\n"
        "  cert show    show a certificate and its fingerprint\n"
        "  cert verify  check a certificate's signature and dates, or its trust\n"
        "  inspect      show a bundle's header (nothing is decrypted or checked)\n"
        "  seal         seal a file into a bundle for a recipient\n"
        "  open         check and open a bundle\n"
        "\n"
        "Run onward-bundle COMMAND --help for each command's options; see onward-bundle(1).\n"
        "Exit status: 0 done, 1 failed or refused, 2 wrong command line.\n";

int
cli_fail(const char *cmd, const struct bundle_error *err)
{
	fprintf(stderr, "onward-bundle %s: %s\n", cmd, err->message);
	return 1;
}

int
cli_failf(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "onward-bundle %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "onward-bundle %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see onward-bundle %s --help\n", cmd);
	return EXIT_USAGE;
}

int
cli_parse_time(const char *text, int64_t *ret_time)
{
	char full[BUNDLE_TIME_MAX];

	if (text && strlen(text) == 10) {
		snprintf(full, sizeof(full), "%sT00:00:00Z", text);
		return bundle_time_parse(full, ret_time);
	}
	return bundle_time_parse(text, ret_time);
}

int
cli_parse_days(const char *text, int64_t *ret_days)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < 1 || v > 36500 || text[0] == '+' || text[0] == ' ')
		return -EINVAL;
	*ret_days = v;
	return 0;
}

int
cli_read_file(const char *cmd, const char *path, size_t max, uint8_t **ret_data, size_t *ret_len)
{
	struct stat st;
	uint8_t *data;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		int e = errno;

		cli_failf(cmd, "%s: cannot open: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		cli_failf(cmd, "%s: not a regular file", path);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		cli_failf(cmd, "%s: %lld bytes, more than the limit of %zu", path,
		          (long long)st.st_size, max);
		return -EFBIG;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		close(fd);
		cli_failf(cmd, "%s: out of memory", path);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size + 1) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				break;
			cli_failf(cmd, "%s: cannot read: %s", path, strerror(errno));
			free(data);
			close(fd);
			return -EIO;
		}
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		free(data);
		cli_failf(cmd, "%s: changed while it was read", path);
		return -EIO;
	}
	*ret_data = data;
	*ret_len = got;
	return 0;
}

int
cli_write_file(const char *cmd, const char *path, const void *data, size_t len, unsigned mode)
{
	const uint8_t *p = data;
	size_t done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, (mode_t)mode);
	int e = 0;

	if (fd < 0) {
		e = errno;
		cli_failf(cmd, "%s: cannot create: %s", path, strerror(e));
		return -e;
	}
	while (done < len && e == 0) {
		ssize_t n = write(fd, p + done, len - done);

		if (n < 0 && errno != EINTR)
			e = errno;
		else if (n > 0)
			done += (size_t)n;
	}
	if (e == 0 && fsync(fd) < 0)
		e = errno;
	if (close(fd) < 0 && e == 0)
		e = errno;
	if (e != 0) {
		cli_failf(cmd, "%s: cannot write: %s", path, strerror(e));
		unlink(path);
		return -e;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {{"keygen", cmd_keygen},   {"certify", cmd_certify}, {"cert", cmd_cert},
	                {"inspect", cmd_inspect}, {"seal", cmd_seal},       {"open", cmd_open}};

	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "onward-bundle: unknown command \"%s\"; see onward-bundle --help\n",
	        argv[1]);
	return EXIT_USAGE;
}
