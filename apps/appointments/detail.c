/*
 * One appointment: when, where and with whom, in words that can be read out in one go;
 * "I will be there" to confirm it; and "Ask to change it" with a reason the person picks
 * from the common ones or types (none is picked for them, and Send waits until one is),
 * which goes to staff. When policy does not let the person ask
 * (the release day), the button is off and the policy's reason is shown under it. Staff's
 * answer to a request shows here too.
 */
#include <stdio.h>
#include <string.h>

#include "appointments.h"

static const char *const reasons[] = {
        N_("I have a health appointment then"),
        N_("I have a visit then"),
        N_("I am at work or in education then"),
        N_("I am not well"),
        N_("Something else"),
};
#define REASON_OTHER 4
#define REASON_COUNT 5

static void
show_state(struct appts *a)
{
	const struct appt *p = &a->current;
	char when[64], text[900];

	model_date_words(p->date, true, when, sizeof(when));
	snprintf(text, sizeof(text), "%s %s %s", when, ui_app_tr(a->app, N_("at")), p->time);
	ui_label_set_text(a->detail_when, text);
	snprintf(text, sizeof(text), "%s %s", ui_app_tr(a->app, N_("Where:")), p->where);
	ui_label_set_text(a->detail_where, text);
	snprintf(text, sizeof(text), "%s %s", ui_app_tr(a->app, N_("With:")), p->with);
	ui_label_set_text(a->detail_with, text);
	ui_widget_set_visible(a->detail_with, p->with[0] != '\0');
	if (p->cancelled)
		snprintf(text, sizeof(text), "%s%s%s", ui_app_tr(a->app, N_("This is cancelled.")),
		         p->cancel_reason[0] ? " " : "", p->cancel_reason);
	else if (p->has_request && strcmp(p->request_status, "open") == 0)
		snprintf(text, sizeof(text), "%s \"%s%s\" %s",
		         ui_app_tr(a->app, N_("You asked to change it:")), p->request_reason,
		         model_sentence_ends(p->request_reason) ? "" : ".",
		         ui_app_tr(a->app, N_("Staff will answer you.")));
	else if (p->has_request && p->request_answer[0])
		snprintf(text, sizeof(text), "%s %s", ui_app_tr(a->app, N_("Staff answered:")),
		         p->request_answer);
	else if (p->confirmed)
		snprintf(text, sizeof(text), "%s",
		         ui_app_tr(a->app, N_("You said you will be there.")));
	else
		snprintf(text, sizeof(text), "%s",
		         ui_app_tr(a->app, N_("Please say if you will be there.")));
	ui_label_set_text(a->detail_status, text);
	ui_widget_set_visible(a->confirm_button, !p->cancelled && !p->confirmed);
	ui_widget_set_visible(a->ask_button, !p->cancelled);
	ui_widget_set_enabled(a->ask_button,
	                      p->change_allowed &&
	                              !(p->has_request && strcmp(p->request_status, "open") == 0));
	ui_label_set_text(a->change_reason, p->change_allowed ? "" : p->change_reason);
}

void
detail_show(struct appts *a, const struct appt *appt)
{
	char title[48];

	a->current = *appt;
	snprintf(title, sizeof(title), "%s", appt->kind_words);
	if (title[0] >= 'a' && title[0] <= 'z')
		title[0] = (char)(title[0] - 'a' + 'A');
	ui_label_set_text(a->detail_title, title);
	ui_label_set_text(a->detail_message, "");
	show_state(a);
	ui_app_show_screen(a->app, "detail");
}

/* A changed appointment from the daemon; keeps what it said about asking to change. */
static void
take_appointment(struct appts *a, const struct client_reply *reply)
{
	struct appt p;

	if (model_read_appointment(json_object_get(reply->parameters, "appointment"), &p) == 0 &&
	    p.id == a->current.id) {
		p.change_allowed = a->current.change_allowed;
		memcpy(p.change_reason, a->current.change_reason, sizeof(p.change_reason));
		a->current = p;
	}
	show_state(a);
}

static void
on_confirmed(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct appts *a = userdata;

	a->busy--;
	if (!reply || reply->error) {
		ui_label_set_text(a->detail_message, appts_reply_text(a, reply));
		return;
	}
	take_appointment(a, reply);
	ui_label_set_text(a->detail_message, ui_app_tr(a->app, N_("Thank you. Staff can see "
	                                                          "that you will be there.")));
	if (ui_app_get_read_aloud(a->app))
		ui_app_speak_widget(a->app, a->detail_message);
}

static void
on_confirm(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	if (a->busy)
		return;
	if (channel_call(a->channel, "onward.Appointment.Confirm",
	                 json_pack("{s:I}", "id", (json_int_t)a->current.id), on_confirmed,
	                 a) < 0) {
		ui_label_set_text(a->detail_message, appts_reply_text(a, NULL));
		return;
	}
	a->busy++;
}

static void
on_ask(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	/* Nothing chosen for them: Send waits until they pick a reason. */
	ui_choice_set(a->reason_choice, UI_CHOICE_NONE);
	ui_widget_set_enabled(a->send_ask, false);
	ui_text_field_set_text(a->reason_field, "");
	ui_widget_set_visible(a->reason_field, false);
	ui_label_set_text(a->ask_message, "");
	ui_app_show_screen(a->app, "ask");
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	ui_app_show_screen(a->app, "calendar");
	calendar_load(a); /* it may have changed */
}

static void
on_reason(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;
	bool other = ui_choice_get(w) == REASON_OTHER;

	ui_widget_set_enabled(a->send_ask, ui_choice_get(w) != UI_CHOICE_NONE);
	ui_label_set_text(a->ask_message, "");
	ui_widget_set_visible(a->reason_field, other);
	if (other)
		ui_app_focus(a->app, a->reason_field);
}

static void
on_asked(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct appts *a = userdata;

	a->busy--;
	if (!reply || reply->error) {
		/* Refused (the release day) or not possible: the daemon's words, as they are. */
		ui_label_set_text(a->ask_message, appts_reply_text(a, reply));
		if (ui_app_get_read_aloud(a->app))
			ui_app_speak_widget(a->app, a->ask_message);
		return;
	}
	take_appointment(a, reply);
	ui_label_set_text(a->detail_message,
	                  ui_app_tr(a->app, N_("Sent. Staff will answer you here.")));
	ui_app_show_screen(a->app, "detail");
}

static void
send_ask(struct appts *a)
{
	size_t choice = ui_choice_get(a->reason_choice);
	const char *reason = choice == REASON_OTHER  ? ui_text_field_get_text(a->reason_field)
	                     : choice < REASON_COUNT ? ui_app_tr(a->app, reasons[choice])
	                                             : "";

	if (a->busy)
		return;
	if (choice >= REASON_COUNT) {
		ui_label_set_text(a->ask_message,
		                  ui_app_tr(a->app, N_("Choose your reason, then tap Send.")));
		return;
	}
	if (!reason[0]) {
		ui_label_set_text(a->ask_message,
		                  ui_app_tr(a->app, N_("Write your reason, then tap Send.")));
		return;
	}
	if (channel_call(a->channel, "onward.Appointment.AskChange",
	                 json_pack("{s:I, s:s}", "id", (json_int_t)a->current.id, "reason", reason),
	                 on_asked, a) < 0) {
		ui_label_set_text(a->ask_message, appts_reply_text(a, NULL));
		return;
	}
	a->busy++;
	ui_app_focus(a->app, NULL);
}

static void
on_send(struct ui_widget *w, void *userdata)
{
	send_ask(userdata);
}

static void
on_reason_submit(struct ui_widget *field, const char *text, void *userdata)
{
	send_ask(userdata);
}

static void
on_ask_back(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	ui_app_show_screen(a->app, "detail");
}

/* A line of the appointment, in the daemon's words (the title's speaker reads them all). */
static struct ui_widget *
line(struct ui_widget *col, const char *id)
{
	struct ui_widget *label = ui_widget_add(col, ui_label_new(""));

	ui_widget_set_id(label, id);
	ui_widget_set_translate(label, false);
	return label;
}

static int
ask_build(struct appts *a)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL);

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, "back", on_ask_back, a,
	                 ui_heading_new(N_("Why do you need to change it?")), "ask-title");
	a->reason_choice = ui_widget_add(col, ui_choice_new(reasons, REASON_COUNT, UI_CHOICE_NONE));
	ui_widget_set_id(a->reason_choice, "reason");
	ui_widget_set_on_click(a->reason_choice, on_reason, a);
	a->reason_field =
	        ui_widget_add(col, ui_text_field_new(UI_FIELD_TEXT, N_("Write your reason")));
	ui_widget_set_id(a->reason_field, "reason-other");
	ui_text_field_set_max_length(a->reason_field, 200);
	ui_text_field_set_on_submit(a->reason_field, on_reason_submit, a);
	ui_widget_set_visible(a->reason_field, false);
	a->ask_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(a->ask_message, "ask-message");
	ui_widget_set_translate(a->ask_message, false);
	a->send_ask = ui_button_add(col, N_("Send to staff"), UI_ICON_SEND, "send-ask", on_send, a);
	ui_widget_set_min_size(a->send_ask, 0, 14);
	ui_widget_set_enabled(a->send_ask, false);
	return ui_app_add_screen(a->app, "ask", col);
}

int
detail_build(struct appts *a)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL);
	int r;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	/* The title's speaker reads the whole appointment: kind, when, where, with, state. */
	a->detail_title = ui_title_row_add(col, "back", on_back, a, ui_heading_new(""), "kind");
	ui_widget_set_translate(a->detail_title, false);
	a->detail_when = line(col, "when");
	a->detail_where = line(col, "where");
	a->detail_with = line(col, "with");
	a->detail_status = line(col, "state");
	a->detail_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(a->detail_message, "detail-message");
	ui_widget_set_translate(a->detail_message, false);
	a->confirm_button =
	        ui_button_add(col, N_("I will be there"), UI_ICON_CHECK, "confirm", on_confirm, a);
	ui_widget_set_min_size(a->confirm_button, 0, 14);
	a->ask_button =
	        ui_button_add(col, N_("Ask to change it"), UI_ICON_CALENDAR, "ask", on_ask, a);
	ui_widget_set_min_size(a->ask_button, 0, 14);
	a->change_reason = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(a->change_reason, "change-reason");
	ui_widget_set_translate(a->change_reason, false);
	r = ui_app_add_screen(a->app, "detail", col);
	return r ?: ask_build(a);
}
