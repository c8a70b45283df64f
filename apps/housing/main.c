/*
 * onward-app-housing: a housing enquiry made from the cell before release (the
 * duty-to-refer route), its status and replies, and a directory of local services. It
 * never waits for the daemon on the UI thread. This file holds the app's home screen: what
 * state the enquiry is in, in plain words, and big buttons to start or carry on, to see
 * replies, and to find local services. When the daemon says no (before the last 12
 * weeks), the home screen says why in the policy's words. Everything can be read aloud.
 * Start-up, the channel and the loop are onward_app_main()'s
 * (shell/toolkit/include/onward/app.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "housing.h"

#define MSG_GONE N_("The tablet service is not answering. Go back to home and try again.")

const char *
housing_status_words(const char *status)
{
	static const char *const words[][2] = {
	        {"draft", N_("Not sent yet. You can carry on where you left off.")},
	        {"submitted", N_("Sent. The housing team will look at it soon.")},
	        {"acknowledged", N_("The council has your enquiry.")},
	        {"assessed", N_("The council has looked at what you need.")},
	        {"offered", N_("You have been offered somewhere to live. Read the replies.")},
	        {"closed", N_("This enquiry is closed.")},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(status, words[i][0]) == 0)
			return words[i][1];
	return N_("Your enquiry is with the housing team.");
}

const char *
housing_reply_text(struct housing *h, const struct client_reply *reply)
{
	const char *m = reply ? client_reply_message(reply) : "";

	if (!reply)
		return ui_app_tr(h->app, MSG_GONE);
	return m[0] ? m : ui_app_tr(h->app, N_("Something went wrong. Try again."));
}

void
housing_home_update(struct housing *h, const char *message)
{
	const struct housing_enquiry *e = &h->state.enquiry;
	bool draft = e->present && strcmp(e->status, "draft") == 0;
	bool sent = e->present && !draft;

	if (message)
		ui_label_set_text(h->home_message, ui_app_tr(h->app, message));
	if (!h->have_state)
		return;
	if (!h->state.can_enquire && !sent) {
		ui_label_set_text(h->home_status, h->state.reason);
		ui_widget_set_enabled(h->home_start, false);
	} else if (!e->present || strcmp(e->status, "closed") == 0) {
		ui_label_set_text(h->home_status,
		                  ui_app_tr(h->app, e->present
		                                            ? housing_status_words(e->status)
		                                            : N_("You have not started a housing "
		                                                 "enquiry yet.")));
		ui_widget_set_text(h->home_start, N_("Start my housing enquiry"));
		ui_widget_set_enabled(h->home_start, h->state.can_enquire);
	} else {
		ui_label_set_text(h->home_status,
		                  ui_app_tr(h->app, housing_status_words(e->status)));
		ui_widget_set_text(h->home_start, N_("Carry on with my enquiry"));
		ui_widget_set_enabled(h->home_start, true);
	}
	/* Sent: its status says where it is; a greyed "Start" would only puzzle. */
	ui_widget_set_visible(h->home_start, !sent || strcmp(e->status, "closed") == 0);
	ui_widget_set_visible(h->home_replies, sent);
}

static void
on_state(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct housing *h = userdata;
	struct housing_state s;

	if (!reply || reply->error) {
		housing_home_update(h, housing_reply_text(h, reply));
		return;
	}
	if (model_read_state(reply->parameters, &s) < 0) {
		housing_home_update(h, N_("This app could not read your enquiry."));
		return;
	}
	h->state = s;
	h->have_state = true;
	housing_home_update(h, NULL);
}

void
housing_refresh(struct housing *h)
{
	if (channel_is_open(h->channel))
		(void)channel_call(h->channel, "onward.Housing.Get", NULL, on_state, h);
}

/* No channel, or not any more: say so, and offer nothing that needs one. */
static void
stop(int reason, void *data)
{
	struct housing *h = data;

	if (reason == -EBADF) {
		ui_label_set_text(h->home_message,
		                  ui_app_tr(h->app, N_("Open this app from the home screen.")));
		ui_label_set_text(h->home_status, "");
		return;
	}
	ui_label_set_text(h->home_message, ui_app_tr(h->app, MSG_GONE));
	ui_widget_set_enabled(h->home_start, false);
}

static void
on_start(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;
	int step = h->state.enquiry.present && strcmp(h->state.enquiry.status, "draft") == 0
	                   ? h->state.enquiry.step
	                   : 1;

	ui_label_set_text(h->home_message, "");
	form_show(h, step >= 1 && step <= FORM_STEPS ? step : 1);
}

static void
on_replies(struct ui_widget *w, void *userdata)
{
	status_show(userdata);
}

static void
on_directory(struct ui_widget *w, void *userdata)
{
	directory_show(userdata);
}

static struct ui_widget *
big_button(struct ui_widget *col, const char *text, enum ui_icon icon, const char *id,
           ui_click_fn fn, void *userdata)
{
	struct ui_widget *w = ui_button_add(col, text, icon, id, fn, userdata);

	ui_widget_set_min_size(w, 0, 16);
	return w;
}

static struct ui_widget *
home_build(struct housing *h)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, NULL, NULL, NULL, ui_heading_new(N_("Housing")), "housing-title");
	w = ui_widget_add(col, ui_label_new(N_("Ask the council for help with somewhere to live "
	                                       "after you leave. You answer a few questions, one "
	                                       "at a time.")));
	ui_widget_set_id(w, "housing-about");
	h->home_status = ui_widget_add(col, ui_label_new(N_("Loading…")));
	ui_widget_set_id(h->home_status, "home-status");
	ui_widget_set_translate(h->home_status, false);
	h->home_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(h->home_message, "home-message");
	ui_widget_set_translate(h->home_message, false);
	h->home_start = big_button(col, N_("Start my housing enquiry"), UI_ICON_HOUSE, "start",
	                           on_start, h);
	ui_widget_set_enabled(h->home_start, false);
	h->home_replies = big_button(col, N_("See replies about my enquiry"), UI_ICON_MESSAGE,
	                             "replies", on_replies, h);
	ui_widget_set_visible(h->home_replies, false);
	big_button(col, N_("Find local services"), UI_ICON_LIST, "find-services", on_directory, h);
	return col;
}

static int
start(struct ui_app *ui, struct channel *ch, void *data)
{
	struct housing *h = data;
	int r;

	h->app = ui;
	h->channel = ch;
	h->area_filter = h->category_filter = -1;
	r = ui_app_add_screen(h->app, "home", home_build(h));
	r = r ?: form_build(h);
	r = r ?: status_build(h);
	r = r ?: directory_build(h);
	if (r < 0 || !ch)
		return r;
	housing_refresh(h);
	directory_load(h);
	return 0;
}

static void
release(void *data)
{
	struct housing *h = data;

	model_thread_release(&h->thread);
	model_directory_release(&h->directory);
}

static const struct onward_app housing_app = {
        .name = "onward-app-housing",
        .title = "Onward housing",
        .about = "Housing enquiries before release, and local services.\n",
        .start = start,
        .stop = stop,
        .release = release,
};

ONWARD_APP_MAIN(housing_app, struct housing)
