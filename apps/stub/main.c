/*
 * onward-app-stub: the smallest real Onward app, and what the shell's tests launch. It
 * takes its channel from descriptor 3 (ONWARD_CHANNEL_FD, set by onward-launch), asks
 * onward.App.Info without blocking its UI, and shows "Hello, NAME" with the list of its
 * own permissions, allowed or refused with the daemon's reasons. "Back to home" ends it
 * with status 0, which takes the person back to the shell's home screen. Every label
 * has a speaker button or reads aloud on a long press.
 *
 * ONWARD_APP_SCRIPT (TEST ONLY): when set and --script is not given, the app runs that
 * toolkit script, so the shell's end-to-end tests can drive an app they launch through
 * the shell. The tablet's session never sets it; onward-launch lets it through.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <onward/ui.h>

#include "client.h"
#include "info.h"

struct stub {
	struct ui_app *app; /* owned */
	struct client *channel; /* owned; NULL without one */
	unsigned watch;
	struct info info;
	struct ui_widget *hello; /* borrowed from the screen */
	struct ui_widget *list;
	struct ui_widget *message;
	char hello_text[128];
	char message_text[256];
	char row_detail[INFO_TEXT_MAX + 32];
};

static void
set_message(struct stub *st, const char *text)
{
	snprintf(st->message_text, sizeof(st->message_text), "%s", text);
	ui_label_set_text(st->message, st->message_text);
}

static void
show_info(struct stub *st, const json_t *params)
{
	if (info_read(params, &st->info) < 0) {
		set_message(st, ui_app_tr(st->app, N_("This app could not read your details.")));
		return;
	}
	snprintf(st->hello_text, sizeof(st->hello_text), "%s %s", ui_app_tr(st->app, N_("Hello,")),
	         st->info.given_name);
	ui_label_set_text(st->hello, st->hello_text);
	ui_list_set_rows(st->list, st->info.n_permissions);
	set_message(st, st->info.n_permissions
	                        ? ""
	                        : ui_app_tr(st->app, N_("This app has no permissions listed.")));
}

static void
on_channel(struct ui_app *app, int fd, short revents, void *userdata)
{
	struct stub *st = userdata;
	struct client_reply reply = {.fd = -1};
	int r;

	if (revents & POLLOUT) {
		r = client_flush(st->channel);
		if (r == 0)
			ui_app_watch_set_events(app, st->watch, POLLIN);
		else if (r != -EAGAIN)
			goto gone;
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	while ((r = client_receive(st->channel, &reply)) == 0) {
		if (reply.error) {
			char text[256];

			snprintf(text, sizeof(text), "%s", client_reply_message(&reply));
			set_message(st, text[0] ? text : N_("Something went wrong."));
		} else {
			show_info(st, reply.parameters);
		}
		client_reply_release(&reply);
	}
	if (r == -EAGAIN)
		return;
gone:
	/* The daemon closed the channel (or broke it): the app cannot do more. */
	ui_app_unwatch_fd(app, st->watch);
	st->watch = 0;
	set_message(st, ui_app_tr(app, N_("The tablet service is not answering. Go back to "
	                                  "home and try again.")));
}

/* The daemon's action names in plain words; an unknown one is shown as it is. */
static const char *
action_words(const struct stub *st, const char *action)
{
	static const char *const words[][2] = {
	        {"app.open", N_("Open this app")},
	        {"housing.enquire", N_("Ask for help with housing")},
	        {"appointment.view", N_("See your appointments")},
	        {"appointment.change", N_("Ask to change an appointment")},
	        {"message.send", N_("Send messages")},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(action, words[i][0]) == 0)
			return ui_app_tr(st->app, words[i][1]);
	return action;
}

static int
permission_row(void *userdata, size_t row, struct ui_list_row *ret)
{
	struct stub *st = userdata;
	const struct info_permission *p;

	if (row >= st->info.n_permissions)
		return -ENOENT;
	p = &st->info.permissions[row];
	if (p->allowed)
		snprintf(st->row_detail, sizeof(st->row_detail), "%s",
		         ui_app_tr(st->app, N_("Allowed")));
	else
		snprintf(st->row_detail, sizeof(st->row_detail), "%s%s%s",
		         ui_app_tr(st->app, N_("Not allowed")), p->reason[0] ? ": " : "",
		         p->reason);
	ret->text = action_words(st, p->action);
	ret->detail = st->row_detail;
	return 0;
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct stub *st = userdata;

	ui_app_quit(st->app, 0);
}

static struct ui_widget *
build(struct stub *st)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row, *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	st->hello = ui_widget_add(row, ui_heading_new(N_("Hello")));
	ui_widget_set_id(st->hello, "hello");
	ui_widget_set_translate(st->hello, false);
	ui_widget_set_expand(st->hello, 1);
	ui_widget_set_align(st->hello, UI_ALIGN_CENTER);
	w = ui_widget_add(row, ui_speak_button_new(st->hello));
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	w = ui_widget_add(row, ui_label_new(N_("This is a test app. Here is what it may do "
	                                       "for you.")));
	ui_widget_set_id(w, "about");
	ui_widget_set_expand(w, 1);
	ui_widget_set_align(ui_widget_add(row, ui_speak_button_new(w)), UI_ALIGN_CENTER);
	st->message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(st->message, "stub-message");
	ui_widget_set_translate(st->message, false);
	st->list = ui_widget_add(col, ui_list_new(0, permission_row, st));
	ui_widget_set_id(st->list, "permissions");
	ui_widget_set_expand(st->list, 1);
	w = ui_widget_add(col, ui_button_new(N_("Back to home"), UI_ICON_HOME));
	ui_widget_set_id(w, "back-home");
	ui_widget_set_min_size(w, 0, 18);
	ui_widget_set_on_click(w, on_back, st);
	return col;
}

/* Adopts descriptor 3 and asks for App.Info; a message on screen when there is none. */
static void
open_channel(struct stub *st)
{
	const char *fd = secure_getenv("ONWARD_CHANNEL_FD");
	int r;

	if (!fd || strcmp(fd, "3") != 0) {
		set_message(st, ui_app_tr(st->app, N_("Open this app from the home screen.")));
		return;
	}
	r = client_adopt(3, &st->channel);
	if (r == 0)
		r = client_send(st->channel, "onward.App.Info", NULL);
	if (r == 0)
		r = ui_app_watch_fd(st->app, 3, POLLIN | POLLOUT, on_channel, st, &st->watch);
	if (r < 0)
		set_message(st, ui_app_tr(st->app, N_("Something went wrong.")));
	else
		set_message(st, ui_app_tr(st->app, N_("Loading\xE2\x80\xA6")));
}

int
main(int argc, char **argv)
{
	struct stub st = {0};
	struct ui_app_config config;
	char error[256] = "";
	int r;

	ui_app_config_init(&config);
	config.error = error;
	config.error_size = sizeof(error);
	if (ui_args_parse(&config, argc, argv) < 0) {
		fprintf(stderr, "onward-app-stub: %s\n", error);
		return 2;
	}
	if (config.help) {
		printf("Usage: onward-app-stub [OPTION]...\n"
		       "A test app: shows who it runs for and its permissions. Started by the\n"
		       "shell through onward-launch, with its channel on descriptor 3.\n\n%s",
		       ui_args_usage());
		return 0;
	}
	if (!config.script_path)
		config.script_path = secure_getenv("ONWARD_APP_SCRIPT"); /* tests only */
	config.title = "Onward stub app";
	config.text_domain = "onward-app-stub";
	r = ui_app_new(&config, &st.app);
	if (r < 0) {
		fprintf(stderr, "onward-app-stub: %s\n", error[0] ? error : "cannot start");
		return 1;
	}
	r = ui_app_add_screen(st.app, "main", build(&st));
	if (r < 0) {
		fprintf(stderr, "onward-app-stub: cannot build the screen: %s\n", strerror(-r));
		ui_app_free(st.app);
		return 1;
	}
	open_channel(&st);
	r = ui_app_run(st.app);
	if (r < 0)
		fprintf(stderr, "onward-app-stub: %s\n", ui_app_get_error(st.app));
	if (st.watch)
		ui_app_unwatch_fd(st.app, st.watch);
	ui_app_free(st.app);
	client_free(st.channel);
	return r < 0 ? 1 : r;
}
