/*
 * The enquiry once sent: its status in plain words, and the thread with the housing
 * team, newest at the bottom, each reply with the name of who wrote it. The person can
 * write back with the on-screen keyboard. The thread is fetched each time the screen
 * opens; every row reads aloud on a long press, the status with its speaker button.
 */
#include <stdio.h>
#include <string.h>

#include "housing.h"

static int
thread_row(void *userdata, size_t row, struct ui_list_row *ret)
{
	struct housing *h = userdata;
	const struct housing_message *m;

	if (row >= h->thread.n)
		return -1;
	m = &h->thread.messages[row];
	/* Who wrote it, then what: a status in plain words, and any words with it. */
	if (!m->from_staff && strcmp(m->status, "submitted") == 0 && !m->text[0]) {
		snprintf(h->row_text, sizeof(h->row_text), "%s",
		         ui_app_tr(h->app, N_("You sent your enquiry.")));
		model_when_words(m->local, h->row_detail, sizeof(h->row_detail));
		ret->text = h->row_text;
		ret->detail = h->row_detail;
		return 0;
	}
	snprintf(h->row_text, sizeof(h->row_text), "%s: %s%s%s",
	         m->from_staff ? (m->name[0] ? m->name : ui_app_tr(h->app, N_("Housing team")))
	                       : ui_app_tr(h->app, N_("You")),
	         m->status[0] ? ui_app_tr(h->app, housing_status_words(m->status)) : "",
	         m->status[0] && m->text[0] ? " " : "", m->text);
	model_when_words(m->local, h->row_detail, sizeof(h->row_detail));
	ret->text = h->row_text;
	ret->detail = h->row_detail;
	return 0;
}

static void
on_thread(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct housing *h = userdata;
	struct housing_thread t;

	if (!reply || reply->error) {
		ui_label_set_text(h->status_message, housing_reply_text(h, reply));
		return;
	}
	if (model_read_thread(reply->parameters, &t) < 0) {
		ui_label_set_text(h->status_message,
		                  ui_app_tr(h->app, N_("This app could not read the replies.")));
		return;
	}
	model_thread_release(&h->thread);
	h->thread = t;
	if (t.status[0])
		ui_label_set_text(h->status_words,
		                  ui_app_tr(h->app, housing_status_words(t.status)));
	ui_list_set_rows(h->thread_list, t.n);
	if (t.n)
		ui_list_scroll_to_row(h->thread_list, t.n - 1);
	ui_widget_set_enabled(h->reply_field, strcmp(t.status, "closed") != 0);
}

static void
load(struct housing *h)
{
	if (channel_call(h->channel, "onward.Housing.Thread", NULL, on_thread, h) < 0)
		ui_label_set_text(h->status_message, housing_reply_text(h, NULL));
}

static void
on_sent(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct housing *h = userdata;

	h->busy--;
	if (!reply || reply->error) {
		ui_label_set_text(h->status_message, housing_reply_text(h, reply));
		return;
	}
	ui_text_field_set_text(h->reply_field, "");
	ui_label_set_text(h->status_message, ui_app_tr(h->app, N_("Your message has been sent.")));
	load(h);
}

/* Send, or Enter in the field. */
static void
on_send(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;
	const char *text = ui_text_field_get_text(h->reply_field);

	if (h->busy || !text[0])
		return;
	if (channel_call(h->channel, "onward.Housing.Reply", json_pack("{s:s}", "text", text),
	                 on_sent, h) < 0) {
		ui_label_set_text(h->status_message, housing_reply_text(h, NULL));
		return;
	}
	h->busy++;
	ui_app_focus(h->app, NULL);
}

static void
on_submit(struct ui_widget *field, const char *text, void *userdata)
{
	on_send(field, userdata);
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	housing_refresh(h);
	ui_app_show_screen(h->app, "home");
}

int
status_build(struct housing *h)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, "back", on_back, h, ui_heading_new(N_("Your housing enquiry")),
	                 "status-title");
	h->status_words = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(h->status_words, "status-words");
	ui_widget_set_translate(h->status_words, false);
	h->status_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(h->status_message, "status-message");
	ui_widget_set_translate(h->status_message, false);
	h->thread_list = ui_widget_add(col, ui_list_new(0, thread_row, h));
	ui_widget_set_id(h->thread_list, "thread");
	ui_widget_set_expand(h->thread_list, 1);
	ui_widget_set_min_size(h->thread_list, 0, 40);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	h->reply_field =
	        ui_widget_add(row, ui_text_field_new(UI_FIELD_TEXT, N_("Write a message")));
	ui_widget_set_id(h->reply_field, "reply");
	ui_widget_set_expand(h->reply_field, 1);
	ui_text_field_set_max_length(h->reply_field, 300);
	ui_text_field_set_on_submit(h->reply_field, on_submit, h);
	ui_button_add(row, N_("Send"), UI_ICON_SEND, "send-reply", on_send, h);
	return ui_app_add_screen(h->app, "status", col);
}

void
status_show(struct housing *h)
{
	ui_label_set_text(h->status_words,
	                  ui_app_tr(h->app, housing_status_words(h->state.enquiry.status)));
	ui_label_set_text(h->status_message, "");
	ui_app_show_screen(h->app, "status");
	load(h);
}
