/*
 * The settings screen: text size, contrast, read aloud and language, each applied at
 * once to every screen by the toolkit, and handed on to every app the shell starts (see
 * apprun.c), so an app looks and speaks the way the person chose. Settings belong to the
 * tablet for now; they stay as they are across logins until the daemon keeps them per
 * person.
 */
#include "shell.h"

#include <string.h>

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	if (ui_app_back(s->app) < 0)
		home_show(s);
}

static void
on_text_size(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_text_size(s->app, (enum ui_text_size)ui_choice_get(w));
}

static void
on_contrast(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_theme(s->app, ui_choice_get(w) ? UI_THEME_HIGH_CONTRAST : UI_THEME_NORMAL);
}

static void
on_read_aloud(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_read_aloud(s->app, ui_toggle_get(w));
	if (ui_toggle_get(w))
		ui_app_speak(s->app, ui_app_tr(s->app, N_("Read aloud is on.")));
}

static void
on_language(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_language(s->app, ui_choice_get(w) ? "cy" : "en");
}

int
settings_build(struct shell *s)
{
	static const char *const sizes[] = {N_("Normal"), N_("Large"), N_("Largest")};
	static const char *const contrast[] = {N_("Normal"), N_("High contrast")};
	static const char *const languages[] = {"English", "Cymraeg"};
	struct ui_app *app = s->app;
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row, *w, *h;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	w = ui_widget_add(row, ui_button_new(N_("Back"), UI_ICON_BACK));
	ui_widget_set_id(w, "settings-back");
	ui_widget_set_on_click(w, on_back, s);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	h = ui_widget_add(row, ui_heading_new(N_("Settings")));
	ui_widget_set_id(h, "settings-title");
	ui_widget_set_expand(h, 1);
	ui_widget_set_align(h, UI_ALIGN_CENTER);
	w = ui_widget_add(row, ui_speak_button_new(h));
	ui_widget_set_align(w, UI_ALIGN_CENTER);

	ui_widget_add(col, ui_label_new(N_("Text size")));
	w = ui_widget_add(col, ui_choice_new(sizes, 3, ui_app_get_text_size(app)));
	ui_widget_set_id(w, "text-size");
	ui_widget_set_on_click(w, on_text_size, s);
	ui_widget_add(col, ui_label_new(N_("Contrast")));
	w = ui_widget_add(
	        col, ui_choice_new(contrast, 2, ui_app_get_theme(app) == UI_THEME_HIGH_CONTRAST));
	ui_widget_set_id(w, "contrast");
	ui_widget_set_on_click(w, on_contrast, s);
	w = ui_widget_add(col, ui_toggle_new(N_("Read words aloud"), ui_app_get_read_aloud(app)));
	ui_widget_set_id(w, "read-aloud");
	ui_widget_set_on_click(w, on_read_aloud, s);
	ui_widget_add(col, ui_label_new(N_("Language")));
	w = ui_widget_add(col,
	                  ui_choice_new(languages, 2, strcmp(ui_app_get_language(app), "cy") == 0));
	ui_widget_set_id(w, "language");
	ui_widget_set_on_click(w, on_language, s);
	return ui_app_add_screen(app, "settings", col);
}
