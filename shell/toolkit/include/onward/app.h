/*
 * The toolkit's side of talking to the daemon, in a library of its own (onward_ui_app)
 * because it links the client library: the toolkit proper (onward_ui) knows nothing of the
 * daemon, and the client library knows nothing of SDL.
 *
 * onward_app_watch_channel() runs a channel (services/client/channel.h) on a ui_app's loop:
 * its socket through ui_app_watch_fd() and its deadlines through a timer, so the UI thread
 * never waits for the daemon. The shell uses it for control.sock, every app through
 * onward_app_main().
 *
 * onward_app_main() is an app's whole main(): the toolkit's options and --help, the test
 * script hook, the window and the app's text domain, its screens, the channel on
 * descriptor 3, the loop, the clean-up and the exit status. An app describes itself in a
 * struct onward_app and keeps only its own screens:
 *
 *	static const struct onward_app housing_app = {
 *		.name = "onward-app-housing", .title = "Onward housing",
 *		.about = "Housing enquiries before release, and local services.\n",
 *		.start = start, .stop = stop, .release = release,
 *	};
 *	ONWARD_APP_MAIN(housing_app, struct housing)
 */
#ifndef ONWARD_UI_APP_H
#define ONWARD_UI_APP_H

#include <onward/ui.h>

#include "channel.h"

/*
 * Watches ch on app's loop until ch is freed or closes (the channel says so through its
 * watch function, and the watch ends itself). Free the channel before the app. -ENOMEM,
 * or as ui_app_watch_fd().
 */
int onward_app_watch_channel(struct ui_app *app, struct channel *ch);

/* The channel descriptor onward-launch hands every app, named by ONWARD_CHANNEL_FD. */
#define ONWARD_APP_CHANNEL_FD 3

/* What an app tells onward_app_main(). Every hook gets the `data` given to it. */
struct onward_app {
	const char *name; /* the program ("onward-app-housing"): its text domain, and the
	                   * start of every line it writes to stderr */
	const char *title; /* the window's */
	const char *about; /* for --help: what the app does, in lines ending "\n" */
	/* Builds the screens (ui_app_add_screen(); the first one added is shown) and, with a
	 * channel, makes the first calls on it. ui and ch (NULL without a channel) are
	 * borrowed until release() returns; ch refuses calls (-ENOTCONN) once stop() has
	 * run. 0, or a negative code to end with status 1. Required. */
	int (*start)(struct ui_app *ui, struct channel *ch, void *data);
	/* The app has no channel, or not any more: show it. reason is -EBADF when none was
	 * handed over (the app was not opened from the home screen), the channel's close
	 * reason when it closed (see channel.h; -EPIPE: the session ended), or another
	 * negative code when it could not be opened. Called at most once. Optional. */
	void (*stop)(int reason, void *data);
	/* The loop has ended (or start() failed) and the channel is freed; the toolkit goes
	 * next: free what the app owns, however far start() got. Optional. */
	void (*release)(void *data);
};

/*
 * Runs the app and returns main()'s status: 2 for a bad option, 0 after --help, 1 when
 * the toolkit cannot start or start() fails (the reason on stderr), else what
 * ui_app_quit() was given (0 for "Back to home"), or 1 when the test script failed.
 *
 * ONWARD_APP_SCRIPT (TEST ONLY): when set and --script is not given, the app runs that
 * toolkit script, so end-to-end tests can drive an app the shell launched; when it names a
 * folder, the app runs FOLDER/NAME.ui (NAME its program name, like onward-app-learning), if
 * there is one. The tablet's session never sets it; onward-launch lets it through.
 */
int onward_app_main(const struct onward_app *app, void *data, int argc, char **argv);

/*
 * An app's main(), as Qt's QTEST_MAIN() writes a test's: one static `type` (kept off the
 * stack, as an app's state can be large) is the data every hook gets.
 */
#define ONWARD_APP_MAIN(app, type)                                                                 \
	int main(int argc, char **argv)                                                            \
	{                                                                                          \
		static type onward_app_data_;                                                      \
                                                                                                   \
		return onward_app_main(&(app), &onward_app_data_, argc, argv);                     \
	}

#endif
