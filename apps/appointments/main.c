/*
 * onward-app-appointments: a person's appointments (probation, health, education, legal
 * visits, visits, release day) in a week view or a day view, with "Go to a date" (steps of
 * a day, a month and a year) and "Release day" for days far off, the countdown to release in
 * big letters, each appointment to confirm or to ask to rearrange (detail.c), and the
 * reminders due, those hidden at home too (reminders.c). It never waits for the daemon
 * on the UI thread. Dates and times come from the daemon in London time; the app only
 * counts days. Everything can be read aloud. Start-up, the channel and the loop are
 * onward_app_main()'s (shell/toolkit/include/onward/app.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appointments.h"

#define MSG_GONE N_("The tablet service is not answering. Go back to home and try again.")

const char *
appts_reply_text(struct appts *a, const struct client_reply *reply)
{
	const char *m = reply ? client_reply_message(reply) : "";

	if (!reply)
		return ui_app_tr(a->app, MSG_GONE);
	return m[0] ? m : ui_app_tr(a->app, N_("Something went wrong. Try again."));
}

/* The first day shown: the day itself, or the Monday of its week. */
static void
first_day(const struct appts *a, char *ret)
{
	int wd = model_date_weekday(a->day);

	if (!a->week || !wd || model_date_add(a->day, 1 - wd, ret) < 0)
		snprintf(ret, 11, "%s", a->day);
}

static void
show_countdown(struct appts *a)
{
	char text[80];

	ui_widget_set_visible(a->release_button, a->list.has_release);
	if (!a->list.has_release) {
		ui_widget_set_visible(a->countdown, false);
		return;
	}
	if (a->list.release_days == 0)
		snprintf(text, sizeof(text), "%s",
		         ui_app_tr(a->app, N_("Your release day is today")));
	else if (a->list.release_days == 1)
		snprintf(text, sizeof(text), "%s", ui_app_tr(a->app, N_("1 day to release")));
	else
		snprintf(text, sizeof(text), "%d %s", a->list.release_days,
		         ui_app_tr(a->app, N_("days to release")));
	ui_label_set_text(a->countdown, text);
	ui_widget_set_visible(a->countdown, true);
}

static void
show_range(struct appts *a)
{
	char from[40], text[160];

	model_date_words(a->list.from, false, from, sizeof(from));
	if (!a->week && strcmp(a->list.from, a->list.today) == 0)
		snprintf(text, sizeof(text), "%s, %s", ui_app_tr(a->app, N_("Today")), from);
	else if (!a->week)
		snprintf(text, sizeof(text), "%s", from);
	else
		model_date_range_words(a->list.from, a->list.to, text, sizeof(text));
	ui_label_set_text(a->range, text);
}

/* What an appointment's state is, in plain words. */
static const char *
state_words(struct appts *a, const struct appt *p)
{
	if (p->cancelled)
		return ui_app_tr(a->app, N_("Cancelled."));
	if (p->has_request && strcmp(p->request_status, "open") == 0)
		return ui_app_tr(a->app, N_("You asked to change it. Staff will answer."));
	if (p->has_request && p->request_answer[0])
		return ui_app_tr(a->app, N_("Staff have answered your request."));
	if (p->confirmed)
		return ui_app_tr(a->app, N_("You said you will be there."));
	return ui_app_tr(a->app, N_("Tap to say you will be there."));
}

static int
appointment_row(void *userdata, size_t row, struct ui_list_row *ret)
{
	struct appts *a = userdata;
	const struct appt *p;
	char day[40];

	if (row >= a->list.n)
		return -1;
	p = &a->list.items[row];
	model_date_words(p->date, false, day, sizeof(day));
	if (strcmp(p->date, a->list.today) == 0)
		snprintf(day, sizeof(day), "%s", ui_app_tr(a->app, N_("Today")));
	snprintf(a->row_text, sizeof(a->row_text), "%s, %s: %s", day, p->time, p->kind_words);
	snprintf(a->row_detail, sizeof(a->row_detail), "%s%s%s%s. %s", p->where,
	         p->with[0] ? ", " : "", p->with[0] ? ui_app_tr(a->app, N_("with ")) : "", p->with,
	         state_words(a, p));
	ret->text = a->row_text;
	ret->detail = a->row_detail;
	return 0;
}

static void
on_list(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	static struct appt_list l; /* large: kept off the stack */
	struct appts *a = userdata;
	bool first = !a->day[0];

	if (!reply || reply->error) {
		ui_label_set_text(a->calendar_message, appts_reply_text(a, reply));
		return;
	}
	if (model_read_list(reply->parameters, &l) < 0) {
		ui_label_set_text(
		        a->calendar_message,
		        ui_app_tr(a->app, N_("This app could not read your appointments.")));
		return;
	}
	a->list = l;
	a->have_list = true;
	reminders_update(a);
	if (first) {
		/* Now the app knows the day in London: show this week from its Monday. */
		snprintf(a->day, sizeof(a->day), "%s", l.today);
		calendar_load(a);
		return;
	}
	show_countdown(a);
	show_range(a);
	ui_list_set_rows(a->list_widget, l.n);
	ui_list_scroll_to_row(a->list_widget, 0);
	ui_label_set_text(a->calendar_message,
	                  l.n       ? ""
	                  : a->week ? ui_app_tr(a->app, N_("No appointments this week."))
	                            : ui_app_tr(a->app, N_("No appointments on this day.")));
}

void
calendar_load(struct appts *a)
{
	char from[11], to[11];
	json_t *params = NULL;

	if (!channel_is_open(a->channel))
		return;
	if (a->day[0]) {
		first_day(a, from);
		(void)model_date_add(from, a->week ? 6 : 0, to);
		params = json_pack("{s:s, s:s}", "from", from, "to", to);
	}
	if (channel_call(a->channel, "onward.Appointment.List", params, on_list, a) < 0)
		ui_label_set_text(a->calendar_message, appts_reply_text(a, NULL));
}

static void
move_by(struct appts *a, int direction)
{
	char day[11];

	if (!a->day[0] || model_date_add(a->day, direction * (a->week ? 7 : 1), day) < 0)
		return;
	snprintf(a->day, sizeof(a->day), "%s", day);
	calendar_load(a);
}

static void
on_earlier(struct ui_widget *w, void *userdata)
{
	move_by(userdata, -1);
}

static void
on_later(struct ui_widget *w, void *userdata)
{
	move_by(userdata, 1);
}

static void
on_view(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	a->week = ui_choice_get(w) == 1;
	/* A day view starts on today when today is in the week that was shown. */
	if (!a->week && a->have_list && model_date_diff(a->list.from, a->list.today) >= 0 &&
	    model_date_diff(a->list.today, a->list.to) >= 0)
		snprintf(a->day, sizeof(a->day), "%s", a->list.today);
	calendar_load(a);
}

static void
on_today(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	if (!a->have_list)
		return;
	snprintf(a->day, sizeof(a->day), "%s", a->list.today);
	calendar_load(a);
}

/* Straight to the week (or the day) of the release appointment. */
static void
on_release_day(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	if (!a->have_list || !a->list.has_release)
		return;
	snprintf(a->day, sizeof(a->day), "%s", a->list.release_date);
	calendar_load(a);
}

/* "Go to a date": a day, a month and a year, each with a step back and a step on, and the
 * date in words as it changes; nothing to type. */
static void
goto_update(struct appts *a)
{
	char words[64];

	model_date_words(a->goto_day, true, words, sizeof(words));
	ui_label_set_text(a->goto_words, words);
}

static void
on_goto_open(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	if (!a->day[0])
		return;
	snprintf(a->goto_day, sizeof(a->goto_day), "%s", a->day);
	goto_update(a);
	ui_app_show_screen(a->app, "goto");
}

static void
on_goto_step(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;
	char next[11];

	if (ui_date_step(a->goto_day, w, next) == 0)
		memcpy(a->goto_day, next, sizeof(next));
	goto_update(a);
}

static void
on_goto_show(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	snprintf(a->day, sizeof(a->day), "%s", a->goto_day);
	a->week = false;
	ui_choice_set(a->view_choice, 0);
	ui_app_show_screen(a->app, "calendar");
	calendar_load(a);
}

static void
on_goto_back(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	ui_app_show_screen(a->app, "calendar");
}

static int
goto_build(struct appts *a)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, "back", on_goto_back, a,
	                 ui_heading_new(N_("Which day do you want to see?")), "goto-title");
	a->goto_words = ui_widget_add(col, ui_heading_new(""));
	ui_widget_set_id(a->goto_words, "goto-date");
	ui_widget_set_translate(a->goto_words, false);
	(void)ui_date_steps_add(col, on_goto_step, a); /* a failure is recorded in col */
	w = ui_button_add(col, N_("Show this day"), UI_ICON_CALENDAR, "goto-show", on_goto_show, a);
	ui_widget_set_min_size(w, 0, 14);
	return ui_app_add_screen(a->app, "goto", col);
}

static void
on_reminders(struct ui_widget *w, void *userdata)
{
	reminders_show(userdata);
}

static void
on_row(struct ui_widget *list, size_t row, void *userdata)
{
	struct appts *a = userdata;

	if (row < a->list.n)
		detail_show(a, &a->list.items[row]);
}

/* No channel, or not any more: say so where the person looks. */
static void
stop(int reason, void *data)
{
	struct appts *a = data;

	if (reason == -EBADF) {
		ui_label_set_text(a->calendar_message,
		                  ui_app_tr(a->app, N_("Open this app from the home screen.")));
		return;
	}
	ui_label_set_text(a->calendar_message, ui_app_tr(a->app, MSG_GONE));
	ui_label_set_text(a->detail_message, ui_app_tr(a->app, MSG_GONE));
}

static struct ui_widget *
button(struct ui_widget *box, const char *text, enum ui_icon icon, const char *id, ui_click_fn fn,
       void *userdata)
{
	struct ui_widget *w = ui_button_add(box, text, icon, id, fn, userdata);

	ui_widget_set_align(w, UI_ALIGN_CENTER);
	return w;
}

static struct ui_widget *
calendar_build(struct appts *a)
{
	static const char *const views[] = {N_("One day"), N_("The week")};
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	/* The title's speaker reads the days to release too. */
	ui_title_row_add(col, NULL, NULL, NULL, ui_heading_new(N_("Your appointments")), "title");
	a->countdown = ui_widget_add(col, ui_heading_new(""));
	ui_widget_set_id(a->countdown, "countdown");
	ui_widget_set_translate(a->countdown, false);
	ui_widget_set_visible(a->countdown, false);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	a->view_choice = ui_widget_add(row, ui_choice_new(views, 2, 1));
	ui_widget_set_id(a->view_choice, "view");
	ui_widget_set_on_click(a->view_choice, on_view, a);
	ui_widget_set_expand(a->view_choice, 1);
	/* "Reminders (2)": every reminder due, those hidden at home too. */
	a->reminders_button =
	        button(row, N_("Reminders"), UI_ICON_REMINDER, "reminders-open", on_reminders, a);
	ui_widget_set_translate(a->reminders_button, false);
	/* The days shown, on a line of their own so that a long range ("Dydd Llun 7 Rhagfyr
	 * i Ddydd Sul 13 Rhagfyr") never squeezes between buttons. */
	a->range = ui_spoken_row_add(col, ui_label_new(""), "range");
	ui_widget_set_translate(a->range, false);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	ui_widget_set_expand(button(row, N_("Earlier"), UI_ICON_BACK, "earlier", on_earlier, a), 1);
	ui_widget_set_expand(button(row, N_("Today"), UI_ICON_CALENDAR, "today", on_today, a), 1);
	ui_widget_set_expand(button(row, N_("Later"), UI_ICON_NEXT, "later", on_later, a), 1);
	/* Far days without tapping Later again and again. */
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	ui_widget_set_expand(
	        button(row, N_("Go to a date"), UI_ICON_CALENDAR, "goto", on_goto_open, a), 1);
	a->release_button =
	        button(row, N_("Release day"), UI_ICON_CALENDAR, "release-day", on_release_day, a);
	ui_widget_set_expand(a->release_button, 1);
	ui_widget_set_visible(a->release_button, false);
	a->calendar_message = ui_widget_add(col, ui_label_new(N_("Loading…")));
	ui_widget_set_id(a->calendar_message, "calendar-message");
	ui_widget_set_translate(a->calendar_message, false);
	a->list_widget = ui_widget_add(col, ui_list_new(0, appointment_row, a));
	ui_widget_set_id(a->list_widget, "appointments");
	ui_widget_set_expand(a->list_widget, 1);
	ui_widget_set_min_size(a->list_widget, 0, 50);
	ui_list_set_on_select(a->list_widget, on_row, a);
	return col;
}

static int
start(struct ui_app *ui, struct channel *ch, void *data)
{
	struct appts *a = data;
	int r;

	a->app = ui;
	a->channel = ch;
	a->week = true;
	r = ui_app_add_screen(a->app, "calendar", calendar_build(a));
	r = r ?: goto_build(a);
	r = r ?: detail_build(a);
	r = r ?: reminders_build(a);
	if (r == 0)
		calendar_load(a);
	return r;
}

static const struct onward_app appointments_app = {
        .name = "onward-app-appointments",
        .title = "Onward appointments",
        .about = "Your appointments by day or week, the days to release, and confirming\nor asking "
                 "to change an appointment.\n",
        .start = start,
        .stop = stop,
};

ONWARD_APP_MAIN(appointments_app, struct appts)
