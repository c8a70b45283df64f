/*
 * onward-gateway: the establishment server's HTTPS front. Start here when reading it.
 * main() reads and checks the options and files (options.c), starts the connections to
 * the daemon's gateway.sock (upstream.c), listens (http.c) and runs one libuv loop until
 * SIGTERM, when it stops accepting, lets the calls under way finish (at most --drain
 * seconds) and exits 0. It holds its TLS key and nothing else: no store, no CA key; the
 * daemon decides everything and sees only frames, with who called attached.
 */
#include "gateway.h"
#include "pki.h"

#include "log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <unistd.h>

/* How often a drain looks whether the calls under way are done. */
#define DRAIN_CHECK_MS 50

static void
on_upstream_change(void *data, bool connected, int error)
{
	struct gateway *gw = data;

	if (connected)
		log_info("daemon: connected (%u of %u connections up)",
		         upstream_connected(gw->upstream), gw->options.upstream);
	else
		log_warn("daemon: a connection is down (%s); connecting again", strerror(-error));
}

static void
on_handle_closed(uv_handle_t *handle)
{
}

/* The end of a drain: whatever still waits is answered 503, then everything closes. */
static void
gateway_finish(struct gateway *gw)
{
	size_t left = upstream_waiting(gw->upstream);

	if (left > 0)
		log_warn("stopping with %zu calls still at the daemon; they are answered 503",
		         left);
	uv_close((uv_handle_t *)&gw->drain_timer, on_handle_closed);
	uv_close((uv_handle_t *)&gw->sigterm, on_handle_closed);
	uv_close((uv_handle_t *)&gw->sigint, on_handle_closed);
	upstream_close(gw->upstream);
	gw->upstream = NULL;
	http_stop(gw->http);
	gw->http = NULL;
}

static void
on_drain_check(uv_timer_t *timer)
{
	struct gateway *gw = timer->data;

	if ((http_active(gw->http) == 0 && upstream_waiting(gw->upstream) == 0) ||
	    uv_now(gw->loop) >= gw->drain_deadline)
		gateway_finish(gw);
}

static void
on_stop_signal(uv_signal_t *handle, int signum)
{
	struct gateway *gw = handle->data;

	if (gw->draining)
		return;
	gw->draining = true;
	log_info("%s: stopping; no new connections, waiting up to %u s for calls under way",
	         signum == SIGTERM ? "SIGTERM" : "SIGINT", gw->options.drain_seconds);
	http_drain(gw->http);
	gw->drain_deadline = uv_now(gw->loop) + (uint64_t)gw->options.drain_seconds * 1000;
	uv_timer_start(&gw->drain_timer, on_drain_check, 0, DRAIN_CHECK_MS);
}

/*
 * Every connection is a descriptor: the soft limit is raised to what --max-connections
 * needs (with room for the daemon's and the loop's own), as far as the hard limit allows.
 */
static void
fit_descriptor_limit(unsigned max_connections)
{
	rlim_t want = (rlim_t)max_connections + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ? rl.rlim_max : want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < want)
		log_warn("only %llu descriptors allowed: fewer than --max-connections %u needs",
		         (unsigned long long)rl.rlim_cur, max_connections);
}

static int
gateway_start(struct gateway *gw)
{
	const struct gateway_options *o = &gw->options;
	struct upstream_options uo = {
	        .path = o->daemon_socket,
	        .connections = o->upstream,
	        .max_waiting = (o->max_queued + o->upstream - 1) / o->upstream,
	        .reply_timeout_ms = o->reply_timeout * 1000,
	        .on_change = on_upstream_change,
	        .data = gw,
	};
	char err[GATEWAY_ERROR_SIZE];
	/* Enough buckets for every connection's identity several times over. */
	size_t buckets = (size_t)o->max_connections * 4 < 65536 ? 65536 : o->max_connections * 4;
	int r;

	r = limits_new(o->rate, o->burst, buckets, &gw->limits);
	if (r < 0) {
		log_error("cannot make the rate limits: %s", strerror(-r));
		return r;
	}
	r = upstream_start(gw->loop, &uo, &gw->upstream);
	if (r < 0) {
		log_error("cannot start the connections to %s: %s", o->daemon_socket, strerror(-r));
		return r;
	}
	r = http_start(gw, &gw->http, err, sizeof(err));
	if (r < 0) {
		log_error("%s", err);
		return r;
	}
	uv_timer_init(gw->loop, &gw->drain_timer);
	uv_signal_init(gw->loop, &gw->sigterm);
	uv_signal_init(gw->loop, &gw->sigint);
	gw->drain_timer.data = gw->sigterm.data = gw->sigint.data = gw;
	uv_signal_start(&gw->sigterm, on_stop_signal, SIGTERM);
	uv_signal_start(&gw->sigint, on_stop_signal, SIGINT);
	return 0;
}

/*
 * onward-gateway --make-key FILE: the gateway's own key, made where it will be used (it
 * never travels); prints the public half for the daemon to certify (Gateway.Certify).
 */
static int
make_key(const char *path)
{
	char point[PKI_POINT_BASE64_LEN + 1];
	EVP_PKEY *key = NULL;
	int r;

	if (access(path, F_OK) == 0) {
		fprintf(stderr, "onward-gateway: %s exists already; it is not replaced\n", path);
		return 1;
	}
	r = pki_key_generate(&key);
	if (r == 0)
		r = pki_key_point_base64(key, point);
	if (r == 0)
		r = pki_key_save(key, path);
	EVP_PKEY_free(key);
	if (r < 0) {
		fprintf(stderr, "onward-gateway: cannot make the key %s: %s\n", path, strerror(-r));
		return 1;
	}
	printf("%s\n", point);
	fprintf(stderr,
	        "Key written to %s (0600). On the server, certify it:\n"
	        "  onwardctl --break-glass gateway certify --public-key %s --host NAME\n",
	        path, point);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct gateway gw;
	char err[GATEWAY_ERROR_SIZE];
	int r;

	if (argc == 3 && strcmp(argv[1], "--make-key") == 0)
		return make_key(argv[2]);
	log_setup("onward-gateway", LOG_LEVEL_INFO);
	r = options_parse(argc, argv, &gw.options, err, sizeof(err));
	if (r == 1)
		return 0;
	if (r < 0) {
		fprintf(stderr, "onward-gateway: %s\n", err);
		return 2;
	}
	if (gw.options.verbose)
		log_setup("onward-gateway", LOG_LEVEL_DEBUG);
	if (gw.options.check) {
		printf("listen: %s\ndaemon: %s\nconfiguration OK\n", gw.options.listen_text,
		       gw.options.daemon_socket);
		options_release(&gw.options);
		return 0;
	}
	umask(077);
	signal(SIGPIPE, SIG_IGN);
	fit_descriptor_limit(gw.options.max_connections);
	gw.loop = uv_default_loop();
	if (gateway_start(&gw) < 0) {
		upstream_close(gw.upstream);
		uv_run(gw.loop, UV_RUN_DEFAULT);
		limits_free(gw.limits);
		options_release(&gw.options);
		return 1;
	}
	log_info("ready: listening on port %u of %s (TLS 1.3); daemon at %s", http_port(gw.http),
	         gw.options.listen_text, gw.options.daemon_socket);
	uv_run(gw.loop, UV_RUN_DEFAULT);
	uv_loop_close(gw.loop);
	limits_free(gw.limits);
	options_release(&gw.options);
	log_info("stopped");
	return 0;
}
