/*
 * onward-app-stub: the smallest real Onward app, and what the shell's tests launch. It
 * asks onward.App.Info on its channel without blocking its UI, and shows "Hello, NAME"
 * with the list of its own permissions, allowed or refused with the daemon's reasons.
 * Home (the toolkit's, at the top left) ends it with status 0, which takes the person back
 * to the shell's home screen. The title's speaker reads the screen; a long press reads a
 * label. Start-up, the
 * channel and the loop are onward_app_main()'s (shell/toolkit/include/onward/app.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <onward/app.h>

#include "info.h"

struct stub {
	struct ui_app *app; /* borrowed from onward_app_main() */
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
on_info(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct stub *st = userdata;
	char text[256];

	if (!reply)
		return; /* stop() says the channel has gone */
	if (!reply->error) {
		show_info(st, reply->parameters);
		return;
	}
	snprintf(text, sizeof(text), "%s", client_reply_message(reply));
	set_message(st, text[0] ? text : N_("Something went wrong."));
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

static struct ui_widget *
build_screen(struct stub *st)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	st->hello = ui_title_row_add(col, NULL, NULL, NULL, ui_heading_new(N_("Hello")), "hello");
	ui_widget_set_translate(st->hello, false);
	w = ui_widget_add(col,
	                  ui_label_new(N_("This is a test app. Here is what it may do for you.")));
	ui_widget_set_id(w, "about");
	st->message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(st->message, "stub-message");
	ui_widget_set_translate(st->message, false);
	st->list = ui_widget_add(col, ui_list_new(0, permission_row, st));
	ui_widget_set_id(st->list, "permissions");
	ui_widget_set_expand(st->list, 1);
	return col;
}

static int
start(struct ui_app *ui, struct channel *ch, void *data)
{
	struct stub *st = data;
	int r;

	st->app = ui;
	r = ui_app_add_screen(ui, "main", build_screen(st));
	if (r < 0 || !ch)
		return r;
	if (channel_call(ch, "onward.App.Info", NULL, on_info, st) < 0)
		set_message(st, ui_app_tr(st->app, N_("Something went wrong.")));
	else
		set_message(st, ui_app_tr(st->app, N_("Loading\xE2\x80\xA6")));
	return 0;
}

static void
stop(int reason, void *data)
{
	struct stub *st = data;

	/* No channel, or the daemon closed it (or broke it): the app cannot do more. */
	set_message(st,
	            ui_app_tr(st->app, reason == -EBADF ? N_("Open this app from the home screen.")
	                                                : N_("The tablet service is not answering. "
	                                                     "Go back to home and try again.")));
}

static const struct onward_app stub_app = {
        .name = "onward-app-stub",
        .title = "Onward stub app",
        .about = "A test app: shows who it runs for and its permissions.\n",
        .start = start,
        .stop = stop,
};

ONWARD_APP_MAIN(stub_app, struct stub)
