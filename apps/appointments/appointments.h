/*
 * onward-app-appointments' state, shared by its screens: the day and week views with the
 * countdown to release (main.c), one appointment with confirming and asking to rearrange
 * it (detail.c), and the reminders due, those hidden at home too (reminders.c). Everything runs on
 * the UI thread; the daemon is reached only through the channel (services/client/channel.h).
 */
#ifndef ONWARD_APP_APPOINTMENTS_H
#define ONWARD_APP_APPOINTMENTS_H

#include <stdbool.h>

#include <onward/app.h>

#include "model.h"

struct appts {
	struct ui_app *app; /* borrowed from onward_app_main() */
	struct channel *channel; /* borrowed from onward_app_main(); NULL without one */
	struct appt_list list; /* as the daemon last said */
	bool have_list;
	bool week; /* the week view (else one day) */
	char day[11]; /* the day shown, or a day of the week shown; "" until known */
	struct appt current; /* the appointment on the detail screen */
	int busy;

	/* the calendar (main.c); widgets borrowed from their screens */
	struct ui_widget *countdown, *view_choice, *range, *calendar_message, *list_widget;
	char row_text[200], row_detail[400];
	struct ui_widget *release_button;

	/* "Go to a date" (main.c) */
	struct ui_widget *goto_words;
	char goto_day[11]; /* the day being chosen */

	/* one appointment (detail.c) */
	struct ui_widget *detail_title, *detail_when, *detail_where, *detail_with, *detail_status,
	        *detail_message, *confirm_button, *ask_button, *change_reason;
	struct ui_widget *reason_choice, *reason_field, *ask_message, *send_ask;

	/* the reminders (reminders.c); borrowed */
	struct ui_widget *reminders_button; /* on the calendar */
	struct ui_widget *reminders_box;
};

/* The reply's message, or the words for a channel that has gone. */
const char *appts_reply_text(struct appts *a, const struct client_reply *reply);

/* Asks for the days shown again. */
void calendar_load(struct appts *a);

int detail_build(struct appts *a);
int reminders_build(struct appts *a);
/* The list's reminders again, and their count on the calendar's button. */
void reminders_update(struct appts *a);
void reminders_show(struct appts *a);
/* Shows the appointment (copied). */
void detail_show(struct appts *a, const struct appt *appt);

#endif
