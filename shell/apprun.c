/*
 * Opening an app: onward.App.Open, then onward-launch. An allowed tile asks the daemon to
 * open the app; the reply names the program, its SHA-256, and carries the app's channel
 * (a socket the daemon has bound to this person, app and session). The shell forks, and
 * the child (async-signal-safe calls only: the shell has threads) takes the channel
 * without close-on-exec, dies with the shell (PR_SET_PDEATHSIG), leads its own process
 * group, unblocks signals and executes the launcher, which checks and narrows it and
 * becomes the app. The shell closes its copy of the channel at once, watches the child
 * through a pidfd, and waits, responsive, while the app has the screen. An app that runs
 * past --app-timeout is stopped (SIGTERM to its group, SIGKILL two seconds later). When
 * the app ends the person is back at home, told in plain words if it crashed or hung.
 */
#include "shell.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

#define KILL_GRACE_MS 2000
#define LAUNCH_ARGS 32

extern char **environ;

enum end_reason {
	END_NONE, /* the app ended by itself */
	END_TIMEOUT, /* ran past --app-timeout */
	END_STOPPED, /* the session ended under it */
};

struct apprun {
	char app[REPLY_APP_MAX + 1]; /* being opened or running */
	char title[REPLY_NAME_MAX + 1];
	bool opening; /* App.Open waits for its answer */
	pid_t pid; /* 0: none */
	int pidfd; /* owned; -1 when none */
	unsigned watch; /* the pidfd's watch; 0 when none */
	unsigned timeout_timer;
	unsigned kill_timer;
	enum end_reason why;
};

bool
apprun_active(const struct shell *s)
{
	return s->run && s->run->pid > 0;
}

static void
show_problem(struct shell *s, const char *message)
{
	static const char *const ok[] = {N_("OK")};

	ui_app_show_dialog(s->app, message, ok, 1, NULL, NULL);
}

static void
on_kill(struct ui_app *app, void *userdata)
{
	struct shell *s = userdata;
	struct apprun *run = s->run;

	run->kill_timer = 0;
	if (run->pid > 0) {
		log_warn("app %s did not stop: SIGKILL", run->app);
		kill(-run->pid, SIGKILL);
	}
}

static void
terminate(struct shell *s, enum end_reason why)
{
	struct apprun *run = s->run;

	if (run->pid <= 0 || run->why != END_NONE)
		return;
	run->why = why;
	kill(-run->pid, SIGTERM);
	ui_app_add_timer(s->app, KILL_GRACE_MS, on_kill, s, &run->kill_timer);
}

static void
on_timeout(struct ui_app *app, void *userdata)
{
	struct shell *s = userdata;

	s->run->timeout_timer = 0;
	log_warn("app %s ran past %u s: stopping it", s->run->app, s->opt.app_timeout_s);
	terminate(s, END_TIMEOUT);
}

void
apprun_stop(struct shell *s)
{
	if (apprun_active(s))
		terminate(s, END_STOPPED);
}

/* The child is gone and reaped: clean up and bring the person home. */
static void
finished(struct shell *s, int status)
{
	struct apprun *run = s->run;
	enum end_reason why = run->why;
	const char *message = NULL;

	ui_app_unwatch_fd(s->app, run->watch);
	run->watch = 0;
	close(run->pidfd);
	run->pidfd = -1;
	if (run->timeout_timer)
		ui_app_remove_timer(s->app, run->timeout_timer);
	if (run->kill_timer)
		ui_app_remove_timer(s->app, run->kill_timer);
	run->timeout_timer = run->kill_timer = 0;
	run->pid = 0;
	run->why = END_NONE;

	if (WIFEXITED(status))
		log_info("app %s exited with status %d", run->app, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_warn("app %s was ended by signal %d", run->app, WTERMSIG(status));
	if (why == END_TIMEOUT)
		message = MSG_APP_HUNG;
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		message = NULL;
	else if (WIFEXITED(status) && (WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127))
		message = MSG_APP_CANNOT_START; /* the launcher refused it */
	else
		message = MSG_APP_STOPPED;
	if (s->mode != MODE_APP)
		return; /* the session ended while it ran: the login screen is up */
	s->mode = MODE_HOME;
	session_idle_restart(s);
	home_refresh(s, message);
}

static void
on_child(struct ui_app *app, int fd, short revents, void *userdata)
{
	struct shell *s = userdata;
	int status;
	pid_t r = waitpid(s->run->pid, &status, WNOHANG);

	if (r == s->run->pid) {
		finished(s, status);
		return;
	}
	if (r < 0 && errno == ECHILD)
		finished(s, 0); /* reaped elsewhere; nothing left to wait for */
}

struct argv_builder {
	const char *argv[LAUNCH_ARGS];
	size_t n;
};

static void
push(struct argv_builder *b, const char *arg)
{
	if (b->n < LAUNCH_ARGS - 1)
		b->argv[b->n++] = arg;
	b->argv[b->n] = NULL;
}

/* Starts the launcher on `channel` (taken: closed here in every case). */
static int
start(struct shell *s, const struct reply_open *o, int channel)
{
	static const char *const sizes[] = {"normal", "large", "largest"};
	struct apprun *run = s->run;
	struct argv_builder b = {0};
	char fd_text[16], mem[24], cpu[24], window[32], dpi[24];
	sigset_t none;
	pid_t parent = getpid(), pid;
	int r;

	/* Everything the child needs is built before fork(): after it, only system calls. */
	snprintf(fd_text, sizeof(fd_text), "%d", channel);
	snprintf(mem, sizeof(mem), "%ld", s->opt.app_memory_mb);
	snprintf(cpu, sizeof(cpu), "%ld", s->opt.app_cpu_seconds);
	snprintf(window, sizeof(window), "%dx%d", s->config->window_w, s->config->window_h);
	snprintf(dpi, sizeof(dpi), "%.0f", s->config->dpi);
	push(&b, s->opt.launcher);
	push(&b, "--channel-fd");
	push(&b, fd_text);
	push(&b, "--sha256");
	push(&b, o->sha256);
	if (s->opt.app_memory_mb >= 0) {
		push(&b, "--memory-mb");
		push(&b, mem);
	}
	if (s->opt.app_cpu_seconds >= 0) {
		push(&b, "--cpu-seconds");
		push(&b, cpu);
	}
	push(&b, "--");
	push(&b, o->path);
	/* The app looks and speaks as the person chose in the shell. */
	if (s->config->fullscreen) {
		push(&b, "--fullscreen");
	} else {
		push(&b, "--window");
		push(&b, window);
	}
	if (s->config->dpi > 0) {
		push(&b, "--dpi");
		push(&b, dpi);
	}
	push(&b, "--text-size");
	push(&b, sizes[ui_app_get_text_size(s->app)]);
	if (ui_app_get_theme(s->app) == UI_THEME_HIGH_CONTRAST)
		push(&b, "--high-contrast");
	if (ui_app_get_read_aloud(s->app))
		push(&b, "--read-aloud");
	push(&b, "--language");
	push(&b, ui_app_get_language(s->app));
	/* The status bar stays as it was at home: the app draws it with its own clock. */
	if (s->status_name[0]) {
		push(&b, "--status-name");
		push(&b, s->status_name);
	}
	if (s->status_next[0]) {
		push(&b, "--status-next");
		push(&b, s->status_next);
	}
	sigemptyset(&none);

	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(channel);
		return r;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (fcntl(channel, F_SETFD, 0) < 0)
			_exit(127);
		execve(s->opt.launcher, (char *const *)(uintptr_t)b.argv, environ);
		_exit(127);
	}
	/* Both sides set the group, so it is set whichever runs first. */
	setpgid(pid, pid);
	close(channel); /* the child has it now */
	run->pid = pid;
	run->why = END_NONE;
	run->pidfd = pidfd_open(pid, 0);
	if (run->pidfd < 0 ||
	    ui_app_watch_fd(s->app, run->pidfd, POLLIN, on_child, s, &run->watch) < 0) {
		/* Without a way to see it end, the app must not run. */
		r = run->pidfd < 0 ? -errno : -ENOMEM;
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		if (run->pidfd >= 0)
			close(run->pidfd);
		run->pidfd = -1;
		run->pid = 0;
		return r;
	}
	if (s->opt.app_timeout_s)
		ui_app_add_timer(s->app, s->opt.app_timeout_s * 1000u, on_timeout, s,
		                 &run->timeout_timer);
	return 0;
}

static void
on_open_reply(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct shell *s = userdata;
	struct apprun *run = s->run;
	struct reply_failure f;
	struct reply_open o;
	int r;

	run->opening = false;
	if (!reply || s->mode != MODE_HOME)
		return; /* the link went or the session ended; the channel is closed with the reply
		         */
	if (reply->error) {
		reply_read_failure(reply->error, reply->parameters, MSG_SOMETHING_WRONG, &f);
		log_info("open %s: %s", run->app, f.error);
		ui_app_show_screen(s->app, "home");
		show_problem(s, f.message);
		return;
	}
	if (reply->fd < 0 || reply_read_open(reply->parameters, run->app, &o) < 0) {
		log_error("open %s: the reply is not one the shell can use", run->app);
		ui_app_show_screen(s->app, "home");
		show_problem(s, MSG_SOMETHING_WRONG);
		return;
	}
	snprintf(run->title, sizeof(run->title), "%s", o.title[0] ? o.title : o.app);
	r = start(s, &o, reply->fd);
	reply->fd = -1; /* start() took it */
	if (r < 0) {
		log_error("open %s: cannot start %s: %s", run->app, s->opt.launcher, strerror(-r));
		show_problem(s, MSG_APP_CANNOT_START);
		return;
	}
	log_info("app %s started as %d", run->app, (int)run->pid);
	s->mode = MODE_APP;
	if (s->idle_timer)
		ui_app_remove_timer(s->app, s->idle_timer);
	s->idle_timer = 0;
	snprintf(s->app_text, sizeof(s->app_text), "%s", run->title);
	ui_label_set_text(s->app_message, s->app_text);
	ui_app_show_screen(s->app, "app");
}

void
apprun_open(struct shell *s, const char *app)
{
	struct apprun *run = s->run;
	int r;

	if (run->opening || run->pid > 0 || s->mode != MODE_HOME)
		return;
	snprintf(run->app, sizeof(run->app), "%s", app);
	r = link_call(s->link, "onward.App.Open", json_pack("{s:s}", "app", app), on_open_reply, s);
	if (r < 0) {
		log_warn("open %s: cannot ask: %s", app, strerror(-r));
		show_problem(s, link_is_up(s->link) ? MSG_SOMETHING_WRONG : MSG_NOT_ANSWERING);
		return;
	}
	run->opening = true;
}

int
apprun_build(struct shell *s)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	s->run = calloc(1, sizeof(*s->run));
	if (!s->run) {
		ui_widget_free(col);
		return -ENOMEM;
	}
	s->run->pidfd = -1;
	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_widget_set_expand(ui_widget_add(col, ui_spacer_new(0, 0)), 1);
	s->app_message = ui_widget_add(col, ui_heading_new(""));
	ui_widget_set_id(s->app_message, "app-title");
	ui_widget_set_translate(s->app_message, false);
	ui_widget_set_align(s->app_message, UI_ALIGN_CENTER);
	w = ui_widget_add(col, ui_label_new(N_("The app is open. When you close it, you come "
	                                       "back here.")));
	ui_widget_set_id(w, "app-help");
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	ui_widget_set_expand(ui_widget_add(col, ui_spacer_new(0, 0)), 1);
	return ui_app_add_screen(s->app, "app", col);
}

void
apprun_free(struct apprun *run)
{
	if (!run)
		return;
	/* The shell is going: its app goes with it, now. */
	if (run->pid > 0) {
		kill(-run->pid, SIGKILL);
		waitpid(run->pid, NULL, 0);
	}
	if (run->pidfd >= 0)
		close(run->pidfd);
	free(run);
}
