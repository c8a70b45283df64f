/*
 * onward_app_main() (see onward/app.h): what every app's main() did for itself before,
 * once. It is a process main, so it is the one part of this library that writes to stderr:
 * start-up failures, and why the channel closed (a reply to nothing or a call that timed
 * out is the daemon and the app disagreeing, worth a line in the session's log).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <onward/app.h>

struct app_run {
	const struct onward_app *app; /* borrowed: the program's */
	void *data; /* borrowed: the program's */
	struct channel *channel; /* owned; NULL without one */
};

static void
on_close(struct channel *ch, int reason, void *userdata)
{
	struct app_run *run = userdata;

	fprintf(stderr, "%s: the channel closed: %s\n", run->app->name, channel_strerror(reason));
	if (run->app->stop)
		run->app->stop(reason, run->data);
}

/*
 * The test script named by ONWARD_APP_SCRIPT: the file itself, or, when it names a folder,
 * FOLDER/NAME.ui for this app (so a walkthrough through several apps gives each its own);
 * NULL when the folder has none for this app, which then runs unscripted.
 */
static const char *
script_from_env(const char *name, char *buf, size_t size)
{
	const char *env = secure_getenv("ONWARD_APP_SCRIPT");
	struct stat st;

	if (!env || !env[0] || stat(env, &st) < 0 || !S_ISDIR(st.st_mode))
		return env;
	if ((size_t)snprintf(buf, size, "%s/%s.ui", env, name) >= size || access(buf, R_OK) < 0)
		return NULL;
	return buf;
}

/* Takes the channel onward-launch handed over: 0, -EBADF when there is none, or why it
 * cannot be opened. */
static int
open_channel(struct app_run *run, struct ui_app *ui)
{
	const char *fd = secure_getenv("ONWARD_CHANNEL_FD");
	char want[16];
	int r;

	snprintf(want, sizeof(want), "%d", ONWARD_APP_CHANNEL_FD);
	if (!fd || strcmp(fd, want) != 0)
		return -EBADF;
	r = channel_new(ONWARD_APP_CHANNEL_FD, &run->channel);
	if (r == 0) {
		r = onward_app_watch_channel(ui, run->channel);
		if (r < 0) {
			channel_free(run->channel);
			run->channel = NULL;
		}
	}
	if (r < 0) {
		fprintf(stderr, "%s: cannot open the channel: %s\n", run->app->name, strerror(-r));
		return r;
	}
	channel_set_on_close(run->channel, on_close, run);
	return 0;
}

/* Home, at the top left of every screen: leaving the app is going home. */
static void
on_home(struct ui_widget *w, void *userdata)
{
	(void)userdata;
	ui_app_quit(ui_widget_get_app(w), 0);
}

int
onward_app_main(const struct onward_app *app, void *data, int argc, char **argv)
{
	struct app_run run = {app, data, NULL};
	struct ui_app_config config;
	struct ui_app *ui;
	char error[256] = "", script[4096];
	int r, reason;

	ui_app_config_init(&config);
	config.error = error;
	config.error_size = sizeof(error);
	if (ui_args_parse(&config, argc, argv) < 0) {
		fprintf(stderr, "%s: %s\n", app->name, error);
		return 2;
	}
	if (config.help) {
		printf("Usage: %s [OPTION]...\n%sStarted by the shell through onward-launch, with "
		       "its channel on descriptor 3.\n\n%s",
		       app->name, app->about ? app->about : "", ui_args_usage());
		return 0;
	}
	if (!config.script_path)
		config.script_path = script_from_env(app->name, script, sizeof(script));
	config.title = app->title;
	config.text_domain = app->name;
	r = ui_app_new(&config, &ui);
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", app->name, error[0] ? error : "cannot start");
		return 1;
	}
	ui_app_set_home(ui, on_home, NULL);
	/* The channel first, so that start() can make its first calls; none is answered
	 * before the loop runs. */
	reason = open_channel(&run, ui);
	r = app->start(ui, run.channel, data);
	if (r < 0) {
		fprintf(stderr, "%s: cannot start: %s\n", app->name, strerror(-r));
		channel_free(run.channel);
		if (app->release)
			app->release(data);
		ui_app_free(ui);
		return 1;
	}
	if (reason < 0 && app->stop)
		app->stop(reason, data);
	r = ui_app_run(ui);
	if (r < 0)
		fprintf(stderr, "%s: %s\n", app->name, ui_app_get_error(ui));
	channel_free(run.channel);
	if (app->release)
		app->release(data);
	ui_app_free(ui);
	return r < 0 ? 1 : r;
}
