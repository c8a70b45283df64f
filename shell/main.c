/*
 * onward-shell: the kiosk shell a person sees on the tablet. It logs the person in, shows
 * their apps as tiles on a home screen with a status bar, launches an app through
 * onward-launch, and locks itself when left alone. It speaks to onward-policyd only over
 * control.sock, from the UI loop, never waiting on it (link.c). This file reads the
 * options, blocks the signals that the loop reads instead (SIGTERM and SIGINT end the
 * shell; nothing on screen can), builds the screens and runs the loop.
 */
#include "shell.h"

#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"

#define DEFAULT_STATE_DIR "/var/lib/onward"
#define DEFAULT_IDLE_LOCK_S 120
#define DEFAULT_APP_TIMEOUT_S 3600

static const char usage[] =
        "Usage: onward-shell [OPTION]...\n"
        "The Onward kiosk shell: login, home screen and app launching.\n\n"
        "  --state-dir DIR        the daemon's state directory (its control.sock);\n"
        "                         default $ONWARD_STATE_DIR or " DEFAULT_STATE_DIR "\n"
        "  --socket PATH          the daemon's control socket itself\n"
        "  --idle-lock SECONDS    back to login after this long untouched (default 120;\n"
        "                         0: never)\n"
        "  --app-timeout SECONDS  stop an app that runs this long (default 3600; 0: never)\n"
        "  --launcher PATH        onward-launch (default: beside onward-shell)\n"
        "  --app-memory-mb M      an app's address space limit (default: the launcher's)\n"
        "  --app-cpu-seconds S    an app's CPU time limit (default: the launcher's)\n"
        "Without --window the shell fills the screen. SIGTERM or SIGINT ends it.\n\n"
        "Toolkit options:\n";

static bool
parse_unsigned(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*ret = v;
	return true;
}

/* Takes the shell's own options out of argv (into opt) and leaves the toolkit's in
 * ret_argv. Returns 0 or 2 after printing a usage error. */
static int
parse_options(int argc, char **argv, struct shell_options *opt, char **ret_argv, int *ret_argc)
{
	const char *state_dir = secure_getenv("ONWARD_STATE_DIR"), *socket = NULL;
	char self[PATH_MAX];
	ssize_t n;
	int out = 0;

	*opt = (struct shell_options){.idle_lock_s = DEFAULT_IDLE_LOCK_S,
	                              .app_timeout_s = DEFAULT_APP_TIMEOUT_S,
	                              .app_memory_mb = -1,
	                              .app_cpu_seconds = -1};
	ret_argv[out++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long num;
		bool ok = true;

		if (strcmp(a, "--state-dir") == 0) {
			state_dir = v;
		} else if (strcmp(a, "--socket") == 0) {
			socket = v;
		} else if (strcmp(a, "--idle-lock") == 0) {
			ok = parse_unsigned(v, 86400, &num);
			opt->idle_lock_s = (unsigned)num;
		} else if (strcmp(a, "--app-timeout") == 0) {
			ok = parse_unsigned(v, 7 * 86400, &num);
			opt->app_timeout_s = (unsigned)num;
		} else if (strcmp(a, "--launcher") == 0) {
			ok = v && snprintf(opt->launcher, sizeof(opt->launcher), "%s", v) <
			                  (int)sizeof(opt->launcher);
		} else if (strcmp(a, "--app-memory-mb") == 0) {
			ok = parse_unsigned(v, 1u << 20, &num);
			opt->app_memory_mb = (long)num;
		} else if (strcmp(a, "--app-cpu-seconds") == 0) {
			ok = parse_unsigned(v, 86400, &num);
			opt->app_cpu_seconds = (long)num;
		} else {
			ret_argv[out++] = argv[i];
			continue;
		}
		if (!v || !ok) {
			fprintf(stderr, "onward-shell: %s: %s (try --help)\n", a,
			        v ? "not a value it takes" : "needs a value");
			return 2;
		}
		i++;
	}
	ret_argv[out] = NULL;
	*ret_argc = out;
	if (socket)
		n = snprintf(opt->socket_path, sizeof(opt->socket_path), "%s", socket);
	else
		n = snprintf(opt->socket_path, sizeof(opt->socket_path), "%s/control.sock",
		             state_dir && state_dir[0] ? state_dir : DEFAULT_STATE_DIR);
	if (n >= (ssize_t)sizeof(opt->socket_path)) {
		fprintf(stderr, "onward-shell: the socket path is too long\n");
		return 2;
	}
	if (!opt->launcher[0]) {
		/* Installed side by side: bin/onward-shell and bin/onward-launch. */
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0) {
			fprintf(stderr,
			        "onward-shell: cannot find onward-launch; give --launcher\n");
			return 2;
		}
		self[n] = '\0';
		snprintf(opt->launcher, sizeof(opt->launcher), "%.*s/onward-launch",
		         (int)(sizeof(opt->launcher) - 20), dirname(self));
	}
	return 0;
}

static void
on_signal(struct ui_app *app, int fd, short revents, void *userdata)
{
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		log_info("signal %u: stopping", si.ssi_signo);
		ui_app_quit(app, 0);
	}
}

int
main(int argc, char **argv)
{
	struct shell s = {0};
	struct ui_app_config config;
	char error[256] = "", **ui_argv;
	sigset_t mask;
	int ui_argc, sfd = -1, r;

	log_setup("onward-shell", LOG_LEVEL_INFO);
	/* Before any thread exists, so every thread inherits the mask: the loop reads these
	 * signals through a signalfd. SIGPIPE is not wanted at all (sockets say EPIPE). */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	ui_argv = calloc((size_t)argc + 1, sizeof(*ui_argv));
	if (!ui_argv)
		return 1;
	r = parse_options(argc, argv, &s.opt, ui_argv, &ui_argc);
	if (r) {
		free(ui_argv);
		return r;
	}
	ui_app_config_init(&config);
	config.error = error;
	config.error_size = sizeof(error);
	if (ui_args_parse(&config, ui_argc, ui_argv) < 0) {
		fprintf(stderr, "onward-shell: %s\n", error);
		free(ui_argv);
		return 2;
	}
	free(ui_argv);
	if (config.help) {
		printf("%s%s", usage, ui_args_usage());
		return 0;
	}
	/* A kiosk fills the screen; --window is for tests and desktops. */
	if (config.window_w == 0) {
		config.fullscreen = true;
		config.window_w = 1280;
		config.window_h = 800;
	}
	config.title = "Onward";
	config.text_domain = "onward-shell";
	s.config = &config;

	r = ui_app_new(&config, &s.app);
	if (r < 0) {
		fprintf(stderr, "onward-shell: %s\n", error[0] ? error : "cannot start");
		return 1;
	}
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || ui_app_watch_fd(s.app, sfd, POLLIN, on_signal, NULL, NULL) < 0) {
		log_error("cannot watch for signals: %s", strerror(errno));
		r = -EIO;
		goto out;
	}
	if ((r = login_build(&s)) < 0 || (r = pin_build(&s)) < 0 || (r = home_build(&s)) < 0 ||
	    (r = settings_build(&s)) < 0 || (r = apprun_build(&s)) < 0 ||
	    (r = link_new(s.app, s.opt.socket_path, session_on_link, &s, &s.link)) < 0) {
		log_error("cannot build the screens: %s", strerror(-r));
		goto out;
	}
	log_info("daemon at %s; launcher %s; idle lock %u s", s.opt.socket_path, s.opt.launcher,
	         s.opt.idle_lock_s);
	session_clock_start(&s);
	link_set_idle_ok(s.link, true);
	login_show(&s, NULL);
	link_start(s.link);
	r = ui_app_run(s.app);
	if (r < 0)
		log_error("%s", ui_app_get_error(s.app));
out:
	link_free(s.link);
	apprun_free(s.run);
	free(s.home);
	ui_app_free(s.app);
	if (sfd >= 0)
		close(sfd);
	return r < 0 ? 1 : r;
}
