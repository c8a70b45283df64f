/*
 * onward-app-housing's state, shared by its screens: the app's home (main.c), the
 * enquiry form a question at a time (form.c), the enquiry's status and replies
 * (status.c) and the directory of local services (directory.c). Everything runs on the
 * UI thread; the daemon is reached only through the channel (services/client/channel.h).
 */
#ifndef ONWARD_APP_HOUSING_H
#define ONWARD_APP_HOUSING_H

#include <stdbool.h>

#include <onward/app.h>

#include "model.h"

#define FORM_STEPS 7 /* questions 1-6 and the check before sending */

struct housing {
	struct ui_app *app; /* borrowed from onward_app_main() */
	struct channel *channel; /* borrowed from onward_app_main(); NULL without one */
	struct housing_state state; /* as the daemon last said */
	bool have_state;
	struct housing_thread thread; /* owned */
	struct directory_result directory; /* owned */
	bool have_directory;
	int busy; /* calls in flight that change something */

	/* home (main.c); widgets borrowed from their screens */
	struct ui_widget *home_status, *home_message, *home_start, *home_replies;

	/* the form (form.c) */
	struct ui_widget *steps[FORM_STEPS + 1]; /* roots, 1-based */
	struct ui_widget *errors[FORM_STEPS + 1];
	struct ui_widget *release_record, *release_words;
	char release_date[11]; /* chosen on question 1, YYYY-MM-DD, or "" */
	struct ui_widget *area_field, *area_buttons;
	struct ui_widget *address_field;
	struct ui_widget *need_toggles[NEED_COUNT], *needs_field;
	struct ui_widget *route_choice, *contact_label, *contact_field;
	struct ui_widget *consent_toggle;
	struct ui_widget *summary, *send_button, *consent_needed, *consent_go;
	int step; /* the question shown, 1-based; 0 when none */

	/* status and replies (status.c) */
	struct ui_widget *status_words, *thread_list, *reply_field, *status_message;
	char row_text[MODEL_MESSAGE_MAX + 120];
	char row_detail[160];

	/* local services (directory.c) */
	struct ui_widget *area_choice_box, *services_list, *directory_message;
	struct ui_widget *category_toggles[7]; /* "All kinds" and the six kinds of help */
	int area_filter; /* index into directory.areas, or -1 for all */
	int category_filter; /* index into directory_categories, or -1 for all */
	char service_text[160], service_detail[400];
	size_t shown[MODEL_SERVICES_MAX]; /* rows shown: indexes into directory.services */
	size_t n_shown;
};

/* Plain words for a status, as a message id. */
const char *housing_status_words(const char *status);

/* Refreshes the home screen from the state; message (a message id) replaces the news. */
void housing_home_update(struct housing *h, const char *message);

/* Asks for the state again (after a change) and updates what shows it. */
void housing_refresh(struct housing *h);

/* The reply's message, or the words for a channel that has gone. */
const char *housing_reply_text(struct housing *h, const struct client_reply *reply);

int form_build(struct housing *h);
/* Shows question step (1-based), filled from the state. */
void form_show(struct housing *h, int step);
/* The areas are known (directory): offer them as buttons. */
void form_set_areas(struct housing *h);

int status_build(struct housing *h);
void status_show(struct housing *h);

int directory_build(struct housing *h);
void directory_show(struct housing *h);
/* Asks for the directory (areas for the form too). */
void directory_load(struct housing *h);

#endif
