/*
 * The reminders screen: every reminder and notice due now ("Reminder: your visit is today
 * at 14:00...", "Your probation appointment has moved..."), in the daemon's words as the
 * home screen's banner said them, each with its speaker button. Those the person hid at
 * home are here too, saying so: hiding a banner never loses what it said. The list comes
 * with onward.Appointment.List (main.c), so it is as fresh as the calendar.
 */
#include <stdio.h>

#include "appointments.h"

/* The calendar's button, with how many there are: "Reminders (2)". */
static void
show_count(struct appts *a)
{
	char text[64];

	if (a->list.n_reminders)
		snprintf(text, sizeof(text), "%s (%zu)", ui_app_tr(a->app, N_("Reminders")),
		         a->list.n_reminders);
	else
		snprintf(text, sizeof(text), "%s", ui_app_tr(a->app, N_("Reminders")));
	ui_widget_set_text(a->reminders_button, text);
}

void
reminders_update(struct appts *a)
{
	char id[32];

	show_count(a);
	ui_widget_clear(a->reminders_box);
	if (!a->list.n_reminders) {
		struct ui_widget *w = ui_widget_add(a->reminders_box,
		                                    ui_label_new(N_("You have no reminders now.")));

		ui_widget_set_id(w, "reminders-none");
		return;
	}
	for (size_t i = 0; i < a->list.n_reminders; i++) {
		const struct appt_reminder *m = &a->list.reminders[i];
		struct ui_widget *item = ui_widget_add(a->reminders_box, ui_box_new(UI_VERTICAL));
		struct ui_widget *row = ui_widget_add(item, ui_box_new(UI_HORIZONTAL)), *w;

		snprintf(id, sizeof(id), "reminder-%lld", m->id);
		w = ui_spoken_add(row, ui_paragraph_new(m->text), id);
		ui_widget_set_translate(w, false);
		if (m->hidden) {
			w = ui_widget_add(item,
			                  ui_label_new(N_("You hid this on the home screen.")));
			snprintf(id, sizeof(id), "reminder-%lld-hidden", m->id);
			ui_widget_set_id(w, id);
		}
	}
}

void
reminders_show(struct appts *a)
{
	ui_app_show_screen(a->app, "reminders");
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct appts *a = userdata;

	ui_app_show_screen(a->app, "calendar");
}

int
reminders_build(struct appts *a)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL);

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, "reminders-back", on_back, a, ui_heading_new(N_("Your reminders")),
	                 "reminders-title");
	ui_widget_set_id(ui_widget_add(col, ui_label_new(N_("Reminders you hid on the home screen "
	                                                    "are here too."))),
	                 "reminders-help");
	a->reminders_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_set_id(a->reminders_box, "reminders");
	ui_box_set_spacing(a->reminders_box, UI_SPACE_LARGE);
	return ui_app_add_screen(a->app, "reminders", col);
}
