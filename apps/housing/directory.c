/*
 * Local services: the daemon's directory, filtered by area and by kind of help with big
 * buttons. Each service is a row (name; phone and opening hours); tapping one shows all
 * of it with a button that reads it aloud, the phone number digit by digit. The
 * directory is asked for once when the app starts (its areas are also the form's area
 * buttons) and the filters work on what came back.
 */
#include <stdio.h>
#include <string.h>

#include "housing.h"

static const char *const categories[] = {"housing", "money",         "work",
                                         "health",  "drugs_alcohol", "family"};
static const char *const category_words[] = {
        N_("All kinds"), N_("Housing"),           N_("Money"), N_("Work"),
        N_("Health"),    N_("Drugs and alcohol"), N_("Family")};

static const char *
category_word(const char *category)
{
	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (strcmp(category, categories[i]) == 0)
			return category_words[i + 1];
	return category;
}

/* The rows that pass the filters. */
static void
filter(struct housing *h)
{
	const char *area = h->area_filter >= 0 ? h->directory.areas[h->area_filter].id : NULL;
	const char *category = h->category_filter >= 0 ? categories[h->category_filter] : NULL;

	h->n_shown = 0;
	for (size_t i = 0; i < h->directory.n_services; i++) {
		const struct directory_service *s = &h->directory.services[i];

		if ((area && strcmp(s->area, area) != 0) ||
		    (category && strcmp(s->category, category) != 0))
			continue;
		h->shown[h->n_shown++] = i;
	}
	ui_list_set_rows(h->services_list, h->n_shown);
	ui_list_scroll_to_row(h->services_list, 0);
	ui_label_set_text(h->directory_message,
	                  h->n_shown ? ""
	                             : ui_app_tr(h->app, N_("Nothing found. Try another area "
	                                                    "or kind of help.")));
}

static int
service_row(void *userdata, size_t row, struct ui_list_row *ret)
{
	struct housing *h = userdata;
	const struct directory_service *s;

	if (row >= h->n_shown)
		return -1;
	s = &h->directory.services[h->shown[row]];
	snprintf(h->service_text, sizeof(h->service_text), "%s (%s)", s->name,
	         ui_app_tr(h->app, category_word(s->category)));
	snprintf(h->service_detail, sizeof(h->service_detail), "%s %s. %s", s->area_name, s->phone,
	         s->hours);
	ret->text = h->service_text;
	ret->detail = h->service_detail;
	return 0;
}

static char dialog_text[1024]; /* what the open dialog shows and reads */
static char speech_text[1200];

static void
on_dialog(struct ui_app *app, int button, void *userdata)
{
	static const char *const buttons[] = {N_("Read it to me"), N_("Close")};

	/* Reading it keeps it open: the phone number stays there to be written down. Shown
	 * first, so that with read-aloud on the dialog's own reading does not cut off this one,
	 * which says the number digit by digit. */
	if (button == 0) {
		ui_app_show_dialog(app, dialog_text, buttons, 2, on_dialog, userdata);
		ui_app_speak(app, speech_text);
	}
}

static void
on_service(struct ui_widget *list, size_t row, void *userdata)
{
	static const char *const buttons[] = {N_("Read it to me"), N_("Close")};
	struct housing *h = userdata;
	const struct directory_service *s;
	char digits[64];

	if (row >= h->n_shown)
		return;
	s = &h->directory.services[h->shown[row]];
	snprintf(dialog_text, sizeof(dialog_text), "%s\n%s\n\n%s %s\n%s\n%s %s", s->name,
	         s->description, ui_app_tr(h->app, N_("Phone:")), s->phone, s->address,
	         ui_app_tr(h->app, N_("Open:")), s->hours);
	model_phone_for_speech(s->phone, digits, sizeof(digits));
	snprintf(speech_text, sizeof(speech_text), "%s. %s %s. %s %s. %s %s.", s->name,
	         s->description, ui_app_tr(h->app, N_("Phone")), digits, s->address,
	         ui_app_tr(h->app, N_("Open")), s->hours);
	ui_app_show_dialog(h->app, dialog_text, buttons, 2, on_dialog, h);
}

static void
on_area(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	h->area_filter = (int)ui_choice_get(w) - 1;
	filter(h);
}

/* The kinds of help are toggles that work as one choice: seven do not fit in a row. */
static void
on_category(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;
	size_t n = sizeof(category_words) / sizeof(category_words[0]);

	for (size_t i = 0; i < n; i++) {
		if (h->category_toggles[i] == w)
			h->category_filter = (int)i - 1;
		ui_toggle_set(h->category_toggles[i], h->category_toggles[i] == w);
	}
	filter(h);
}

/* The area buttons, once the areas are known: "All areas" and one per area. */
static void
area_choice(struct housing *h)
{
	const char *options[MODEL_AREAS_MAX + 1];
	struct ui_widget *w;

	options[0] = N_("All areas");
	for (size_t i = 0; i < h->directory.n_areas; i++)
		options[i + 1] = h->directory.areas[i].name;
	ui_widget_clear(h->area_choice_box);
	w = ui_widget_add(h->area_choice_box, ui_choice_new(options, h->directory.n_areas + 1,
	                                                    (size_t)(h->area_filter + 1)));
	ui_widget_set_id(w, "area-filter");
	ui_widget_set_on_click(w, on_area, h);
}

static void
on_directory(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct housing *h = userdata;
	struct directory_result d;

	if (!reply || reply->error) {
		ui_label_set_text(h->directory_message, housing_reply_text(h, reply));
		return;
	}
	if (model_read_directory(reply->parameters, &d) < 0) {
		ui_label_set_text(h->directory_message,
		                  ui_app_tr(h->app, N_("This app could not read the list.")));
		return;
	}
	model_directory_release(&h->directory);
	h->directory = d;
	h->have_directory = true;
	h->area_filter = -1;
	area_choice(h);
	form_set_areas(h);
	filter(h);
}

void
directory_load(struct housing *h)
{
	if (channel_call(h->channel, "onward.Directory.Search", NULL, on_directory, h) < 0)
		ui_label_set_text(h->directory_message, housing_reply_text(h, NULL));
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct housing *h = userdata;

	ui_app_show_screen(h->app, "home");
}

int
directory_build(struct housing *h)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *grid, *cell;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, "back", on_back, h, ui_heading_new(N_("Local services")),
	                 "directory-title");
	ui_widget_add(col, ui_label_new(N_("Where:")));
	h->area_choice_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_add(col, ui_label_new(N_("What kind of help:")));
	grid = ui_widget_add(col, ui_grid_new(60, 4));
	ui_widget_set_id(grid, "category-filter");
	for (size_t i = 0; i < sizeof(category_words) / sizeof(category_words[0]); i++) {
		char id[32];

		/* In a box of its own the switch takes its own width, so it sits just after
		 * its words, not at the far side of the cell beside the next one's. */
		cell = ui_widget_add(grid, ui_box_new(UI_HORIZONTAL));
		h->category_toggles[i] =
		        ui_widget_add(cell, ui_toggle_new(category_words[i], i == 0));
		snprintf(id, sizeof(id), "category-%zu", i);
		ui_widget_set_id(h->category_toggles[i], id);
		ui_widget_set_on_click(h->category_toggles[i], on_category, h);
	}
	h->directory_message = ui_widget_add(col, ui_label_new(N_("Loading…")));
	ui_widget_set_id(h->directory_message, "directory-message");
	ui_widget_set_translate(h->directory_message, false);
	h->services_list = ui_widget_add(col, ui_list_new(0, service_row, h));
	ui_widget_set_id(h->services_list, "services");
	ui_widget_set_expand(h->services_list, 1);
	ui_widget_set_min_size(h->services_list, 0, 50);
	ui_list_set_on_select(h->services_list, on_service, h);
	return ui_app_add_screen(h->app, "directory", col);
}

void
directory_show(struct housing *h)
{
	ui_app_show_screen(h->app, "directory");
	if (!h->have_directory)
		directory_load(h);
}
