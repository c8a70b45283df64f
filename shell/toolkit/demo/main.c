/*
 * onward-ui-demo: every widget of the toolkit on a few screens, and what the toolkit's
 * end-to-end tests drive. A PIN-pad login (the PIN is 1234), a home grid of tiles (one
 * locked with its reason, one with a badge), a 1,000-row list, a note written with the
 * on-screen keyboard, a dialog, a banner, a status bar and the settings screen (text
 * size, contrast, read aloud, language). Run with --help for the options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <onward/ui.h>

#ifndef DEMO_IMAGE_DIR
#define DEMO_IMAGE_DIR "images"
#endif

#define DEMO_PIN "1234"
#define LIST_ROWS 1000

struct demo {
	struct ui_app *app; /* owned */
	struct ui_widget *pin; /* borrowed from the login screen */
	struct ui_widget *note; /* borrowed from the write screen */
	struct ui_widget *saved; /* borrowed from the write screen */
	char row_text[64];
	char row_detail[64];
	char saved_text[512];
	char banner_text[128];
};

/* ---- login ---- */

static void
on_pin(struct ui_widget *field, const char *text, void *userdata)
{
	struct demo *d = userdata;

	if (strcmp(text, DEMO_PIN) == 0) {
		ui_text_field_set_text(field, "");
		ui_app_show_screen(d->app, "home");
		return;
	}
	ui_text_field_set_text(field, "");
	ui_app_show_banner(d->app, N_("That PIN is not right. Please try again."), 5000, NULL,
	                   NULL);
}

static struct ui_widget *
build_login(struct demo *d)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_box_set_spacing(col, UI_SPACE_MEDIUM);
	w = ui_widget_add(col, ui_heading_new(N_("Welcome to Onward")));
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	w = ui_widget_add(col, ui_label_new(N_("Enter your PIN to log in.")));
	ui_widget_set_id(w, "login-help");
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	d->pin = ui_widget_add(col, ui_text_field_new(UI_FIELD_PIN, N_("PIN")));
	ui_widget_set_id(d->pin, "pin");
	ui_widget_set_min_size(d->pin, 60, 0);
	ui_widget_set_align(d->pin, UI_ALIGN_CENTER);
	ui_text_field_set_keyboard(d->pin, UI_KEYBOARD_NONE);
	ui_text_field_set_max_length(d->pin, 4);
	ui_text_field_set_on_submit(d->pin, on_pin, d);
	w = ui_widget_add(col, ui_keyboard_new(UI_KEYBOARD_PIN, d->pin));
	ui_widget_set_id(w, "pinpad");
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	return col;
}

/* ---- a header with a back button, for the inner screens ---- */

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;

	ui_app_back(d->app);
}

static struct ui_widget *
screen_column(struct demo *d, const char *title, const char *id)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row, *w, *h;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	w = ui_widget_add(row, ui_button_new(N_("Back"), UI_ICON_BACK));
	ui_widget_set_id(w, "back");
	ui_widget_set_on_click(w, on_back, d);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	h = ui_widget_add(row, ui_heading_new(title));
	ui_widget_set_id(h, id);
	ui_widget_set_expand(h, 1);
	ui_widget_set_align(h, UI_ALIGN_CENTER);
	w = ui_widget_add(row, ui_speak_button_new(h));
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	return col;
}

/* ---- home ---- */

static void
go(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;
	const char *id = ui_widget_get_id(w);

	if (strcmp(id, "tile-list") == 0)
		ui_app_push_screen(d->app, "list");
	else if (strcmp(id, "tile-write") == 0)
		ui_app_push_screen(d->app, "write");
	else if (strcmp(id, "tile-settings") == 0)
		ui_app_push_screen(d->app, "settings");
	else if (strcmp(id, "tile-help") == 0)
		ui_app_show_banner(d->app,
		                   N_("Help is on its way. You can also call the Samaritans free "
		                      "on 116 123, day or night."),
		                   0, NULL, NULL);
}

static void
on_leave(struct ui_app *app, int button, void *userdata)
{
	if (button == 0)
		ui_app_show_screen(app, "login");
}

static void
on_dialog_tile(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;
	static const char *const buttons[] = {N_("Yes, log out"), N_("No, stay")};

	ui_app_show_dialog(d->app, N_("Do you want to log out now?"), buttons, 2, on_leave, d);
}

static void
on_banner_tap(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;

	ui_app_push_screen(d->app, "list");
}

static void
on_banner_tile(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;

	ui_app_show_banner(d->app, N_("You have a new message from Sam. Tap to read it."), 8000,
	                   on_banner_tap, d);
}

static struct ui_widget *
add_tile(struct ui_widget *grid, const char *text, enum ui_icon icon, const char *id,
         ui_click_fn fn, void *userdata)
{
	struct ui_widget *t = ui_widget_add(grid, ui_tile_new(text, icon));

	ui_widget_set_id(t, id);
	ui_widget_set_on_click(t, fn, userdata);
	return t;
}

static struct ui_widget *
build_home(struct demo *d)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row, *grid, *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	w = ui_widget_add(row, ui_image_new(DEMO_IMAGE_DIR "/onward.png", 12, 12));
	ui_widget_set_id(w, "logo");
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	w = ui_widget_add(row, ui_heading_new(N_("Home")));
	ui_widget_set_id(w, "home-title");
	ui_widget_set_expand(w, 1);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	ui_widget_set_align(ui_widget_add(row, ui_speak_button_new(w)), UI_ALIGN_CENTER);
	grid = ui_widget_add(col, ui_grid_new(42, 5));
	ui_widget_set_id(grid, "tiles");
	w = add_tile(grid, N_("Learning"), UI_ICON_BOOK, "tile-learning", go, d);
	ui_tile_set_locked(w, true,
	                   N_("Learning opens when your education worker has enrolled you on a "
	                      "course."));
	w = add_tile(grid, N_("Messages"), UI_ICON_MESSAGE, "tile-messages", on_banner_tile, d);
	ui_tile_set_badge(w, 3);
	w = add_tile(grid, N_("Housing"), UI_ICON_HOUSE, "tile-housing", go, d);
	ui_tile_set_locked(w, true, N_("Housing opens 12 weeks before your release date."));
	add_tile(grid, N_("Appointments"), UI_ICON_CALENDAR, "tile-appointments", on_banner_tile,
	         d);
	add_tile(grid, N_("Crisis help"), UI_ICON_HELP, "tile-help", go, d);
	add_tile(grid, N_("Long list"), UI_ICON_LIST, "tile-list", go, d);
	add_tile(grid, N_("Write a note"), UI_ICON_KEYBOARD, "tile-write", go, d);
	add_tile(grid, N_("Settings"), UI_ICON_SETTINGS, "tile-settings", go, d);
	add_tile(grid, N_("Log out"), UI_ICON_PERSON, "tile-logout", on_dialog_tile, d);
	return col;
}

/* ---- the long list ---- */

static int
list_row(void *userdata, size_t row, struct ui_list_row *ret_row)
{
	struct demo *d = userdata;

	snprintf(d->row_text, sizeof(d->row_text), "Item %zu", row + 1);
	snprintf(d->row_detail, sizeof(d->row_detail), "Course page %zu of %d", row + 1, LIST_ROWS);
	ret_row->text = d->row_text;
	ret_row->detail = d->row_detail;
	return 0;
}

static void
on_row(struct ui_widget *list, size_t row, void *userdata)
{
	struct demo *d = userdata;

	snprintf(d->banner_text, sizeof(d->banner_text), "Item %zu", row + 1);
	ui_app_show_banner(d->app, d->banner_text, 3000, NULL, NULL);
}

static struct ui_widget *
build_list(struct demo *d)
{
	struct ui_widget *col = screen_column(d, N_("A long list"), "list-title"), *list;

	list = ui_widget_add(col, ui_list_new(LIST_ROWS, list_row, d));
	ui_widget_set_id(list, "items");
	ui_widget_set_expand(list, 1);
	ui_list_set_on_select(list, on_row, d);
	return col;
}

/* ---- writing with the keyboard ---- */

static void
save_note(struct demo *d)
{
	snprintf(d->saved_text, sizeof(d->saved_text), "%s", ui_text_field_get_text(d->note));
	ui_label_set_text(d->saved, d->saved_text);
}

static void
on_note(struct ui_widget *field, const char *text, void *userdata)
{
	save_note(userdata);
}

static void
on_save(struct ui_widget *w, void *userdata)
{
	save_note(userdata);
}

static struct ui_widget *
build_write(struct demo *d)
{
	struct ui_widget *col = screen_column(d, N_("Write a note"), "write-title"), *w;

	ui_widget_add(col, ui_label_new(N_("Your note:")));
	d->note = ui_widget_add(col, ui_text_field_new(UI_FIELD_TEXT, N_("Tap here to write")));
	ui_widget_set_id(d->note, "note");
	ui_text_field_set_on_submit(d->note, on_note, d);
	w = ui_widget_add(col, ui_button_new(N_("Save"), UI_ICON_CHECK));
	ui_widget_set_id(w, "save");
	ui_widget_set_align(w, UI_ALIGN_START);
	ui_widget_set_on_click(w, on_save, d);
	d->saved = ui_widget_add(col, ui_paragraph_new(""));
	ui_widget_set_id(d->saved, "saved");
	ui_widget_set_translate(d->saved, false);
	return col;
}

/* ---- settings ---- */

static void
on_text_size(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;

	ui_app_set_text_size(d->app, (enum ui_text_size)ui_choice_get(w));
}

static void
on_contrast(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;

	ui_app_set_theme(d->app, ui_choice_get(w) ? UI_THEME_HIGH_CONTRAST : UI_THEME_NORMAL);
}

static void
on_read_aloud(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;

	ui_app_set_read_aloud(d->app, ui_toggle_get(w));
}

static void
on_language(struct ui_widget *w, void *userdata)
{
	struct demo *d = userdata;

	ui_app_set_language(d->app, ui_choice_get(w) ? "cy" : "en");
}

static struct ui_widget *
build_settings(struct demo *d)
{
	static const char *const sizes[] = {N_("Normal"), N_("Large"), N_("Largest")};
	static const char *const contrast[] = {N_("Normal"), N_("High contrast")};
	static const char *const languages[] = {"English", "Cymraeg"};
	struct ui_widget *col = screen_column(d, N_("Settings"), "settings-title"), *w, *row, *p;
	struct ui_app *app = d->app;

	ui_widget_add(col, ui_label_new(N_("Text size")));
	w = ui_widget_add(col, ui_choice_new(sizes, 3, ui_app_get_text_size(app)));
	ui_widget_set_id(w, "text-size");
	ui_widget_set_on_click(w, on_text_size, d);
	ui_widget_add(col, ui_label_new(N_("Contrast")));
	w = ui_widget_add(
	        col, ui_choice_new(contrast, 2, ui_app_get_theme(app) == UI_THEME_HIGH_CONTRAST));
	ui_widget_set_id(w, "contrast");
	ui_widget_set_on_click(w, on_contrast, d);
	w = ui_widget_add(col, ui_toggle_new(N_("Read dialogs and messages aloud"),
	                                     ui_app_get_read_aloud(app)));
	ui_widget_set_id(w, "read-aloud");
	ui_widget_set_on_click(w, on_read_aloud, d);
	ui_widget_add(col, ui_label_new(N_("Language")));
	w = ui_widget_add(col,
	                  ui_choice_new(languages, 2, strcmp(ui_app_get_language(app), "cy") == 0));
	ui_widget_set_id(w, "language");
	ui_widget_set_on_click(w, on_language, d);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	p = ui_widget_add(row, ui_paragraph_new(N_("This is how text looks. Tap the speaker "
	                                           "to hear it read aloud.")));
	ui_widget_set_id(p, "sample");
	ui_widget_set_expand(p, 1);
	w = ui_widget_add(row, ui_speak_button_new(p));
	ui_widget_set_id(w, "sample-speak");
	ui_widget_set_align(w, UI_ALIGN_START);
	return col;
}

/* ---- status bar clock ---- */

static void
on_clock(struct ui_app *app, void *userdata)
{
	char now[16];
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(now, sizeof(now), "%H:%M", &tm);
	ui_app_set_status(app, "A1234BC", now, "HMP Moorland");
	ui_app_add_timer(app, 30000, on_clock, userdata, NULL);
}

int
main(int argc, char **argv)
{
	struct demo d = {0};
	struct ui_app_config config;
	char error[256] = "";
	int r;

	ui_app_config_init(&config);
	config.error = error;
	config.error_size = sizeof(error);
	if (ui_args_parse(&config, argc, argv) < 0) {
		fprintf(stderr, "onward-ui-demo: %s\n", error);
		return 2;
	}
	if (config.help) {
		printf("Usage: onward-ui-demo [OPTION]...\n"
		       "Shows every widget of the Onward UI toolkit. The PIN is %s.\n\n%s",
		       DEMO_PIN, ui_args_usage());
		return 0;
	}
	config.title = "Onward UI demo";
	config.text_domain = "onward-ui-demo";
	r = ui_app_new(&config, &d.app);
	if (r < 0) {
		fprintf(stderr, "onward-ui-demo: %s\n", error[0] ? error : "cannot start");
		return 1;
	}
	if ((r = ui_app_add_screen(d.app, "login", build_login(&d))) < 0 ||
	    (r = ui_app_add_screen(d.app, "home", build_home(&d))) < 0 ||
	    (r = ui_app_add_screen(d.app, "list", build_list(&d))) < 0 ||
	    (r = ui_app_add_screen(d.app, "write", build_write(&d))) < 0 ||
	    (r = ui_app_add_screen(d.app, "settings", build_settings(&d))) < 0) {
		fprintf(stderr, "onward-ui-demo: cannot build the screens: %s\n", strerror(-r));
		ui_app_free(d.app);
		return 1;
	}
	on_clock(d.app, &d);
	r = ui_app_run(d.app);
	if (r < 0)
		fprintf(stderr, "%s\n", ui_app_get_error(d.app));
	ui_app_free(d.app);
	return r < 0 ? 1 : r;
}
