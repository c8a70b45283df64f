/*
 * onward-policyd: the broker. Start here when reading the daemon. main() takes the state
 * directory, refuses to run on an unsafe footing (statedir.c), opens the store with the
 * key derived from the device secret, listens (server.c) and runs one libuv loop until
 * SIGTERM, when it drains and exits. Requests flow peer.c -> dispatch.c -> m_*.c.
 */
#include "server.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "notify.h"
#include "pin.h"
#include "statedir.h"
#include "timeutil.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define ERROR_SIZE 512

/* server.c: control.sock's directory when it is not the state directory (--socket-dir). */
int server_set_socket_dir(const char *dir);

static void
usage(FILE *out)
{
	fprintf(out, "Usage: onward-policyd --state-dir DIR [--socket-dir DIR] [--check] "
	             "[--verbose]\n"
	             "\n"
	             "The Onward broker: the only process that opens the store and holds keys.\n"
	             "Runs in the foreground; stops cleanly on SIGTERM.\n"
	             "\n"
	             "  --state-dir DIR  state directory (created 0700 on first start), holding\n"
	             "                   device.secret, store.db, policyd.json, control.sock, "
	             "admin.sock,\n"
	             "                   gateway.sock\n"
	             "  --socket-dir DIR put control.sock and gateway.sock in DIR instead (an\n"
	             "                   existing directory, such as a runtime directory the\n"
	             "                   shell's or the gateway's user can reach)\n"
	             "  --check          validate the configuration and print 'configuration OK'\n"
	             "  --verbose        log debugging detail\n"
	             "  --help           show this help\n"
	             "  --version        show the version\n");
}

static void
on_stop_signal(uv_signal_t *handle, int signum)
{
	struct server *srv = handle->data;

	log_info("%s: stopping", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	notify_service_manager("STOPPING=1");
	server_drain(srv);
}

static void
on_sighup(uv_signal_t *handle, int signum)
{
	struct server *srv = handle->data;
	char err[ERROR_SIZE] = "";

	if (decide_load(srv, err, sizeof(err)) < 0)
		log_error("SIGHUP: %s; keeping the policy already loaded", err);
	else
		log_info("SIGHUP: policy reloaded: %u policies and links (%u grants)",
		         srv->policy.policies, srv->policy.grants);
}

static void
raise_descriptor_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static const char *
store_error_text(int r)
{
	switch (r) {
	case -EBADMSG:
		return "the device secret's key does not open it (wrong key, or a damaged file)";
	case -EPROTONOSUPPORT:
		return "it was written by a newer version of Onward";
	case -EACCES:
		return "permission denied";
	case -ENOSPC:
		return "the disk is full";
	default:
		return strerror(-r);
	}
}

/* The store's key, from the device secret. */
static int
load_store_key(const char *dir, bool create, uint8_t key[STORE_KEY_LEN], char *err)
{
	uint8_t secret[DEVICE_SECRET_LEN];
	int r = statedir_secret(dir, create, secret, err, ERROR_SIZE);

	if (r < 0)
		return r;
	r = store_derive_key(secret, key);
	crypto_wipe(secret, sizeof(secret));
	if (r < 0)
		snprintf(err, ERROR_SIZE, "cannot derive the store key");
	return r;
}

static int
run_check(const char *dir)
{
	char err[ERROR_SIZE], path[4200];
	uint8_t key[STORE_KEY_LEN];
	struct config cfg;
	int version = 0, lock_fd = -1, r;

	r = statedir_prepare(dir, false, err, sizeof(err));
	if (r == 0)
		r = config_load(dir, &cfg, err, sizeof(err));
	if (r == 0)
		r = load_store_key(dir, false, key, err);
	if (r < 0) {
		log_error("%s", err);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/store.db", dir);
	r = store_probe(path, key, &version);
	crypto_wipe(key, sizeof(key));
	if (r == -ENOENT) {
		printf("store: none yet; it is created on first start\n");
	} else if (r < 0) {
		log_error("cannot open the store %s: %s", path, store_error_text(r));
		return 1;
	} else if (version > store_schema_latest()) {
		log_error("the store %s has schema %d; this build knows up to %d", path, version,
		          store_schema_latest());
		return 1;
	} else {
		printf("store: schema %d of %d\n", version, store_schema_latest());
	}
	if (statedir_lock(dir, &lock_fd, err, sizeof(err)) == 0)
		close(lock_fd);
	else
		printf("daemon: %s\n", err);
	{
		const char *policy_dir = cfg.policy_dir[0] ? cfg.policy_dir : ONWARD_POLICY_DIR;
		unsigned count = 0;

		if (decide_check_files(policy_dir, cfg.establishment, err, sizeof(err), &count) <
		    0) {
			log_error("%s", err);
			return 1;
		}
		printf("policy: %u policies from %s\n", count, policy_dir);
	}
	printf("establishment: %s\n", cfg.establishment[0] ? cfg.establishment : "(not set)");
	printf("configuration OK\n");
	return 0;
}

/* The uid that may connect to gateway.sock besides root and our own. */
static int
gateway_user_find(const struct config *cfg, uid_t *ret, char *err, size_t size)
{
	const struct passwd *pw;

	*ret = geteuid();
	if (!cfg->gateway_user[0])
		return 0;
	pw = getpwnam(cfg->gateway_user);
	if (!pw) {
		snprintf(err, size, "policyd.json: \"gateway_user\" %s is not a user here",
		         cfg->gateway_user);
		return -ENOENT;
	}
	*ret = pw->pw_uid;
	return 0;
}

static int
server_start(struct server *srv, const char *dir)
{
	char err[ERROR_SIZE] = "", path[4200];
	uint8_t key[STORE_KEY_LEN];
	int64_t ended = 0;
	int lock_fd, r;

	r = statedir_prepare(dir, true, err, sizeof(err));
	if (r == 0)
		r = statedir_lock(dir, &lock_fd, err, sizeof(err));
	if (r == 0)
		r = config_load(dir, &srv->config, err, sizeof(err));
	if (r == 0)
		r = gateway_user_find(&srv->config, &srv->gateway_uid, err, sizeof(err));
	if (r == 0)
		r = load_store_key(dir, true, key, err);
	if (r < 0) {
		log_error("%s", err);
		return r;
	}
	/* lock_fd stays open (and locked) until the process exits. */
	snprintf(path, sizeof(path), "%s/store.db", dir);
	r = store_open(path, key, &srv->store);
	crypto_wipe(key, sizeof(key));
	if (r < 0) {
		log_error("cannot open the store %s: %s", path, store_error_text(r));
		return r;
	}
	if (store_session_end_all(srv->store, "daemon restarted", clock_now(), &ended) == 0 &&
	    ended > 0)
		log_info("ended %lld sessions left open by the last run", (long long)ended);
	r = pin_hash("0000", srv->config.scrypt_log_n, srv->dummy_pin_hash);
	if (r < 0) {
		log_error("cannot hash PINs: %s", strerror(-r));
		return r;
	}
	snprintf(srv->state_dir, sizeof(srv->state_dir), "%s", dir);
	/* The methods first: their action groups are the policies' action hierarchy. */
	r = dispatch_start(srv, err, sizeof(err));
	if (r == 0)
		r = decide_load(srv, err, sizeof(err));
	if (r < 0) {
		log_error("%s", err);
		return r;
	}
	log_info("policy: %u policies and links from %s (%u grants)", srv->policy.policies,
	         decide_policy_dir(srv), srv->policy.grants);
	r = areas_start(srv, err, sizeof(err));
	if (r < 0) {
		log_error("%s", err);
		return r;
	}
	return server_listen(srv);
}

static void
close_leftover_handle(uv_handle_t *handle, void *arg)
{
	if (!uv_is_closing(handle))
		uv_close(handle, NULL);
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
	        {"state-dir", required_argument, NULL, 's'},
	        {"check", no_argument, NULL, 'c'},
	        {"socket-dir", required_argument, NULL, 'S'},
	        {"verbose", no_argument, NULL, 'v'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},
	        {NULL, 0, NULL, 0},
	};
	static struct server srv;
	const char *dir = NULL, *socket_dir = NULL;
	bool check = false, verbose = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			dir = optarg;
			break;
		case 'c':
			check = true;
			break;
		case 'S':
			socket_dir = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("onward-policyd 0.1.0\n");
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	log_setup("onward-policyd", verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	if (optind != argc || !dir || !dir[0]) {
		fprintf(stderr, "onward-policyd: --state-dir DIR is required\n");
		usage(stderr);
		return 2;
	}
	if (socket_dir) {
		int r = server_set_socket_dir(socket_dir);

		if (r < 0) {
			fprintf(stderr, "onward-policyd: --socket-dir %s: %s\n", socket_dir,
			        r == -ENAMETOOLONG
			                ? "not an absolute path short enough for a socket"
			                : strerror(-r));
			return 2;
		}
	}
	umask(077);
	/* Every time a person sees, and every hour policy reads, is London time. */
	setenv("TZ", "Europe/London", 1);
	tzset();
	{
		char err[ERROR_SIZE];

		if (clock_init(err, sizeof(err)) < 0) {
			fprintf(stderr, "onward-policyd: %s\n", err);
			return 2;
		}
	}
	if (check)
		return run_check(dir);
	signal(SIGPIPE, SIG_IGN);
	raise_descriptor_limit();
	srv.loop = uv_default_loop();
	if (server_start(&srv, dir) < 0)
		return 1;
	uv_signal_init(srv.loop, &srv.sigterm);
	uv_signal_init(srv.loop, &srv.sigint);
	uv_signal_init(srv.loop, &srv.sighup);
	srv.sigterm.data = srv.sigint.data = srv.sighup.data = &srv;
	uv_signal_start(&srv.sigterm, on_stop_signal, SIGTERM);
	uv_signal_start(&srv.sigint, on_stop_signal, SIGINT);
	uv_signal_start(&srv.sighup, on_sighup, SIGHUP);
	if (clock_is_set()) {
		char now[32];

		time_format_utc(clock_now(), now, sizeof(now));
		log_info("test hook: the clock is set; it reads %s", now);
	}
	log_info("ready: %s (schema %d)", dir, store_schema_version(srv.store));
	notify_service_manager("READY=1");
	uv_run(srv.loop, UV_RUN_DEFAULT);
	uv_walk(srv.loop, close_leftover_handle, NULL);
	uv_run(srv.loop, UV_RUN_DEFAULT);
	uv_loop_close(srv.loop);
	areas_stop(&srv);
	decide_release(&srv.policy);
	dispatch_stop(&srv);
	store_free(srv.store);
	log_info("stopped");
	return 0;
}
