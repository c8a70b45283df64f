/*
 * onward-gateway's command line (see gateway.h). Every option is checked here, and every
 * file it names read whole, before anything listens: a mistake is one plain line and exit
 * status 2, as the daemon does.
 */
#include "address.h"
#include "gateway.h"
#include "tls.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest certificate, key or CA file read: PEM for a chain is a few KiB. */
#define PEM_MAX (256 * 1024)

enum {
	OPT_LISTEN = 256,
	OPT_CERT,
	OPT_KEY,
	OPT_CLIENT_CA,
	OPT_DAEMON_SOCKET,
	OPT_UPSTREAM,
	OPT_MAX_QUEUED,
	OPT_MAX_CONNECTIONS,
	OPT_MAX_PER_IP,
	OPT_IDLE_TIMEOUT,
	OPT_RATE,
	OPT_BURST,
	OPT_DRAIN,
	OPT_REPLY_TIMEOUT,
	OPT_CHECK,
	OPT_VERBOSE,
	OPT_HELP,
	OPT_VERSION,
};

static void
usage(FILE *out)
{
	fprintf(out,
	        "Usage: onward-gateway --cert FILE --key FILE --client-ca FILE --daemon-socket "
	        "PATH\n"
	        "                      [--listen ADDR:PORT] [options]\n"
	        "       onward-gateway --make-key FILE   (its own key, 0600; prints the public\n"
	        "                      half for 'onwardctl gateway certify')\n"
	        "\n"
	        "The establishment's HTTPS front (TLS 1.3 only): it holds only its TLS key and\n"
	        "passes each call, with who made it, to onward-policyd's gateway.sock.\n"
	        "Runs in the foreground; stops cleanly on SIGTERM.\n"
	        "\n"
	        "  --listen ADDR:PORT     where to listen: 127.0.0.1:8443 (the default), or\n"
	        "                         [::1]:8443 for IPv6; literals only\n"
	        "  --cert FILE            the gateway's certificate (PEM, chain after it)\n"
	        "  --key FILE             its private key (PEM)\n"
	        "  --client-ca FILE       the establishment CA (PEM): client certificates must\n"
	        "                         chain to it; served at /ca.pem\n"
	        "  --daemon-socket PATH   the daemon's gateway.sock\n"
	        "  --upstream N           connections to the daemon (default 4)\n"
	        "  --max-queued N         calls waiting at the daemon at once (default 256)\n"
	        "  --max-connections N    HTTPS connections at once (default 4096)\n"
	        "  --max-per-ip N         HTTPS connections at once from one address\n"
	        "                         (default 256; 0: no limit)\n"
	        "  --idle-timeout SEC     close a quiet connection after SEC seconds (default 60)\n"
	        "  --rate N               calls a second per device, staff session or address\n"
	        "                         (default 20)\n"
	        "  --burst N              calls allowed at once above the rate (default 60)\n"
	        "  --drain SEC            on SIGTERM, wait at most SEC for calls under way\n"
	        "                         (default 10)\n"
	        "  --reply-timeout SEC    the daemon's time to answer one call (default 30)\n"
	        "  --check                check the options and files, print 'configuration OK'\n"
	        "  --verbose              log debugging detail\n"
	        "  --help                 show this help\n"
	        "  --version              show the version\n");
}

static int
parse_unsigned(const char *name, const char *text, unsigned min, unsigned max, unsigned *ret,
               char *err, size_t size)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v < min || v > max) {
		snprintf(err, size, "--%s %s: give a whole number from %u to %u", name, text, min,
		         max);
		return -EINVAL;
	}
	*ret = (unsigned)v;
	return 0;
}

static int
parse_rate(const char *name, const char *text, double *ret, char *err, size_t size)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(v) || v < 1 || v > 1000000) {
		snprintf(err, size, "--%s %s: give a number from 1 to 1000000", name, text);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* Reads a whole PEM file (a regular file, at most PEM_MAX) into a NUL-terminated copy. */
static int
read_pem(const char *name, const char *path, char **ret, size_t *ret_len, char *err, size_t size)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, size, "--%s %s: %s", name, path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > PEM_MAX) {
		snprintf(err, size, "--%s %s: not a PEM file (a regular file of 1 byte to %d KiB)",
		         name, path, PEM_MAX / 1024);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, size, "--%s %s: out of memory", name, path);
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			snprintf(err, size, "--%s %s: %s", name, path,
			         n < 0 ? strerror(errno) : "it changed while being read");
			goto fail;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	if (strlen(buf) != got) {
		snprintf(err, size, "--%s %s: not a PEM file", name, path);
		goto fail;
	}
	close(fd);
	*ret = buf;
	if (ret_len)
		*ret_len = got;
	return 0;
fail:
	free(buf);
	if (fd >= 0)
		close(fd);
	return -EINVAL;
}

static void
set_defaults(struct gateway_options *o)
{
	memset(o, 0, sizeof(*o));
	(void)address_parse("127.0.0.1:8443", &o->listen);
	snprintf(o->listen_text, sizeof(o->listen_text), "127.0.0.1:%d", GATEWAY_DEFAULT_PORT);
	o->upstream = 4;
	o->max_queued = 256;
	o->max_connections = 4096;
	o->max_per_ip = 256;
	o->idle_timeout = 60;
	o->rate = 20;
	o->burst = 60;
	o->drain_seconds = 10;
	o->reply_timeout = 30;
}

/* One option's value; returns 1 for --help or --version (shown), 0, or -EINVAL. */
static int
take_option(int opt, const char *arg, struct gateway_options *o, char *err, size_t size)
{
	switch (opt) {
	case OPT_LISTEN:
		if (address_parse(arg, &o->listen) < 0 || strlen(arg) >= sizeof(o->listen_text)) {
			snprintf(err, size,
			         "--listen %s: give an address and port, like 127.0.0.1:8443 or "
			         "[::1]:8443",
			         arg);
			return -EINVAL;
		}
		snprintf(o->listen_text, sizeof(o->listen_text), "%s", arg);
		return 0;
	case OPT_CERT:
		o->cert_path = arg;
		return 0;
	case OPT_KEY:
		o->key_path = arg;
		return 0;
	case OPT_CLIENT_CA:
		o->client_ca_path = arg;
		return 0;
	case OPT_DAEMON_SOCKET:
		o->daemon_socket = arg;
		return 0;
	case OPT_UPSTREAM:
		return parse_unsigned("upstream", arg, 1, 64, &o->upstream, err, size);
	case OPT_MAX_QUEUED:
		return parse_unsigned("max-queued", arg, 1, 100000, &o->max_queued, err, size);
	case OPT_MAX_CONNECTIONS:
		return parse_unsigned("max-connections", arg, 1, 1000000, &o->max_connections, err,
		                      size);
	case OPT_MAX_PER_IP:
		return parse_unsigned("max-per-ip", arg, 0, 1000000, &o->max_per_ip, err, size);
	case OPT_IDLE_TIMEOUT:
		return parse_unsigned("idle-timeout", arg, 1, 86400, &o->idle_timeout, err, size);
	case OPT_RATE:
		return parse_rate("rate", arg, &o->rate, err, size);
	case OPT_BURST:
		return parse_rate("burst", arg, &o->burst, err, size);
	case OPT_DRAIN:
		return parse_unsigned("drain", arg, 0, 3600, &o->drain_seconds, err, size);
	case OPT_REPLY_TIMEOUT:
		return parse_unsigned("reply-timeout", arg, 1, 3600, &o->reply_timeout, err, size);
	case OPT_CHECK:
		o->check = true;
		return 0;
	case OPT_VERBOSE:
		o->verbose = true;
		return 0;
	case OPT_HELP:
		usage(stdout);
		return 1;
	case OPT_VERSION:
		printf("onward-gateway 0.1.0\n");
		return 1;
	default:
		snprintf(err, size, "unknown option; see onward-gateway --help");
		return -EINVAL;
	}
}

static int
check_required(const struct gateway_options *o, char *err, size_t size)
{
	static const char *const names[] = {"--cert FILE", "--key FILE", "--client-ca FILE",
	                                    "--daemon-socket PATH"};
	const char *values[] = {o->cert_path, o->key_path, o->client_ca_path, o->daemon_socket};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!values[i] || !values[i][0]) {
			snprintf(err, size, "%s is required; see onward-gateway --help", names[i]);
			return -EINVAL;
		}
	}
	if (o->daemon_socket[0] != '/' || strlen(o->daemon_socket) >= 108) {
		snprintf(err, size,
		         "--daemon-socket %s: give an absolute path short enough for a socket",
		         o->daemon_socket);
		return -EINVAL;
	}
	return 0;
}

int
options_parse(int argc, char **argv, struct gateway_options *ret, char *err, size_t size)
{
	static const struct option table[] = {
	        {"listen", required_argument, NULL, OPT_LISTEN},
	        {"cert", required_argument, NULL, OPT_CERT},
	        {"key", required_argument, NULL, OPT_KEY},
	        {"client-ca", required_argument, NULL, OPT_CLIENT_CA},
	        {"daemon-socket", required_argument, NULL, OPT_DAEMON_SOCKET},
	        {"upstream", required_argument, NULL, OPT_UPSTREAM},
	        {"max-queued", required_argument, NULL, OPT_MAX_QUEUED},
	        {"max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
	        {"max-per-ip", required_argument, NULL, OPT_MAX_PER_IP},
	        {"idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT},
	        {"rate", required_argument, NULL, OPT_RATE},
	        {"burst", required_argument, NULL, OPT_BURST},
	        {"drain", required_argument, NULL, OPT_DRAIN},
	        {"reply-timeout", required_argument, NULL, OPT_REPLY_TIMEOUT},
	        {"check", no_argument, NULL, OPT_CHECK},
	        {"verbose", no_argument, NULL, OPT_VERBOSE},
	        {"help", no_argument, NULL, OPT_HELP},
	        {"version", no_argument, NULL, OPT_VERSION},
	        {NULL, 0, NULL, 0},
	};
	struct gateway_options o;
	int opt, r;

	set_defaults(&o);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", table, NULL)) != -1) {
		if (opt == '?') {
			snprintf(err, size,
			         "%s: unknown option, or its value is missing; see "
			         "onward-gateway --help",
			         argv[optind - 1]);
			return -EINVAL;
		}
		r = take_option(opt, optarg, &o, err, size);
		if (r != 0)
			return r;
	}
	if (optind != argc) {
		snprintf(err, size, "unexpected argument '%s'; see onward-gateway --help",
		         argv[optind]);
		return -EINVAL;
	}
	if (check_required(&o, err, size) < 0)
		return -EINVAL;
	if (read_pem("cert", o.cert_path, &o.cert_pem, NULL, err, size) < 0 ||
	    read_pem("key", o.key_path, &o.key_pem, NULL, err, size) < 0 ||
	    read_pem("client-ca", o.client_ca_path, &o.client_ca_pem, &o.client_ca_len, err, size) <
	            0 ||
	    tls_check_files(o.cert_pem, o.key_pem, o.client_ca_pem, err, size) < 0) {
		options_release(&o);
		return -EINVAL;
	}
	*ret = o;
	return 0;
}

void
options_release(struct gateway_options *o)
{
	if (!o)
		return;
	free(o->cert_pem);
	if (o->key_pem) {
		/* The one secret the gateway holds: not left behind in freed memory. */
		explicit_bzero(o->key_pem, strlen(o->key_pem));
		free(o->key_pem);
	}
	free(o->client_ca_pem);
	o->cert_pem = o->key_pem = o->client_ca_pem = NULL;
}
