/*
 * The settings screen: text size, contrast, read aloud and language, each applied at
 * once to every screen by the toolkit, and handed on to every app the shell starts (see
 * apprun.c), so an app looks and speaks the way the person chose. They belong to the
 * person: the daemon keeps them (onward.Settings.Get/Set), the shell loads them at login,
 * saves each change, and goes back to the defaults at logout. "Change my PIN" opens the
 * PIN screen (pin.c).
 */
#include "shell.h"

#include <string.h>

const char *const settings_languages[2] = {"English", "Cymraeg"};
static const char *const size_names[] = {"normal", "large", "largest"};

/* Saves one changed setting; a failure only means it is not remembered next time. */
static void
on_language_saved(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	(void)ch;
	(void)status;
	if (reply && !reply->error)
		home_language_saved(userdata);
}

static void
save(struct shell *s, const char *key, json_t *value)
{
	bool language = strcmp(key, "language") == 0;

	if (s->mode == MODE_LOGIN || !link_is_up(s->link)) {
		json_decref(value);
		return;
	}
	(void)link_call(s->link, "onward.Settings.Set", json_pack("{s:o}", key, value),
	                language ? on_language_saved : NULL, language ? s : NULL);
}

/* Shows and uses the settings: the app, and the widgets on the settings screen. */
static void
apply(struct shell *s, size_t size, bool high_contrast, bool read_aloud, bool welsh)
{
	ui_app_set_text_size(s->app, (enum ui_text_size)size);
	ui_app_set_theme(s->app, high_contrast ? UI_THEME_HIGH_CONTRAST : UI_THEME_NORMAL);
	ui_app_set_read_aloud(s->app, read_aloud);
	ui_app_set_language(s->app, welsh ? "cy" : "en");
	home_language_changed(s);
	ui_choice_set(s->text_size_choice, size);
	ui_choice_set(s->contrast_choice, high_contrast);
	ui_toggle_set(s->read_aloud_toggle, read_aloud);
	ui_choice_set(s->language_choice, welsh);
	ui_choice_set(s->login_language_choice, welsh);
}

void
settings_reset(struct shell *s)
{
	s->login_language_chosen = false;
	apply(s, UI_TEXT_NORMAL, false, false, false);
}

/* The daemon's answer, checked like any reply: anything unexpected keeps what is shown. */
static void
on_settings(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct shell *s = userdata;
	json_t *p = reply && !reply->error ? reply->parameters : NULL;
	const char *size = json_string_value(json_object_get(p, "text_size"));
	const char *contrast = json_string_value(json_object_get(p, "contrast"));
	const char *language = json_string_value(json_object_get(p, "language"));
	json_t *read_aloud = json_object_get(p, "read_aloud");
	size_t n = UI_TEXT_NORMAL;
	bool welsh;

	if (!p || !size || !contrast || !language || !json_is_boolean(read_aloud) ||
	    s->mode == MODE_LOGIN)
		return;
	for (size_t i = 0; i < 3; i++)
		if (strcmp(size, size_names[i]) == 0)
			n = i;
	welsh = strcmp(language, "cy") == 0;
	/* A language chosen on the login screen just now is the person's latest word. */
	if (s->login_language_chosen) {
		bool chosen = strcmp(ui_app_get_language(s->app), "cy") == 0;

		s->login_language_chosen = false;
		if (chosen != welsh)
			save(s, "language", json_string(chosen ? "cy" : "en"));
		welsh = chosen;
	}
	apply(s, n, strcmp(contrast, "high") == 0, json_is_true(read_aloud), welsh);
}

void
settings_keep_login_language(struct shell *s)
{
	if (s->login_language_chosen && s->mode != MODE_LOGIN && link_is_up(s->link))
		(void)link_call(
		        s->link, "onward.Settings.Set",
		        json_pack("{s:s}", "language",
		                  strcmp(ui_app_get_language(s->app), "cy") == 0 ? "cy" : "en"),
		        NULL, NULL);
}

void
settings_load(struct shell *s)
{
	(void)link_call(s->link, "onward.Settings.Get", NULL, on_settings, s);
}

void
settings_set_message(struct shell *s, const char *message)
{
	snprintf(s->settings_text, sizeof(s->settings_text), "%s", message ? message : "");
	ui_label_set_text(s->settings_message, s->settings_text);
	if (message && message[0] && ui_app_get_read_aloud(s->app))
		ui_app_speak(s->app, s->settings_text);
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	settings_set_message(s, NULL);
	if (s->home_stale && s->mode == MODE_HOME && !s->home_in_flight) {
		s->home_stale = false;
		home_refresh(s, NULL); /* home, with the daemon's words in the new language */
	} else if (ui_app_back(s->app) < 0) {
		home_show(s);
	}
}

static void
on_change_pin(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	settings_set_message(s, NULL);
	pin_change_show(s);
}

static void
on_text_size(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_text_size(s->app, (enum ui_text_size)ui_choice_get(w));
	save(s, "text_size", json_string(size_names[ui_choice_get(w) < 3 ? ui_choice_get(w) : 0]));
}

static void
on_contrast(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_theme(s->app, ui_choice_get(w) ? UI_THEME_HIGH_CONTRAST : UI_THEME_NORMAL);
	save(s, "contrast", json_string(ui_choice_get(w) ? "high" : "normal"));
}

static void
on_read_aloud(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_read_aloud(s->app, ui_toggle_get(w));
	if (ui_toggle_get(w))
		ui_app_speak(s->app, ui_app_tr(s->app, N_("Read aloud is on.")));
	save(s, "read_aloud", json_boolean(ui_toggle_get(w)));
}

static void
on_language(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_language(s->app, ui_choice_get(w) ? "cy" : "en");
	home_language_changed(s);
	save(s, "language", json_string(ui_choice_get(w) ? "cy" : "en"));
}

int
settings_build(struct shell *s)
{
	static const char *const sizes[] = {N_("Normal"), N_("Large"), N_("Largest")};
	static const char *const contrast[] = {N_("Normal"), N_("High contrast")};
	struct ui_app *app = s->app;
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, "settings-back", on_back, s, ui_heading_new(N_("Settings")),
	                 "settings-title");

	ui_widget_add(col, ui_label_new(N_("Text size")));
	w = ui_widget_add(col, ui_choice_new(sizes, 3, ui_app_get_text_size(app)));
	ui_widget_set_id(w, "text-size");
	s->text_size_choice = w;
	ui_widget_set_on_click(w, on_text_size, s);
	ui_widget_add(col, ui_label_new(N_("Contrast")));
	w = ui_widget_add(
	        col, ui_choice_new(contrast, 2, ui_app_get_theme(app) == UI_THEME_HIGH_CONTRAST));
	ui_widget_set_id(w, "contrast");
	s->contrast_choice = w;
	ui_widget_set_on_click(w, on_contrast, s);
	w = ui_widget_add(col, ui_toggle_new(N_("Read words aloud"), ui_app_get_read_aloud(app)));
	ui_widget_set_id(w, "read-aloud");
	s->read_aloud_toggle = w;
	ui_widget_set_on_click(w, on_read_aloud, s);
	ui_widget_add(col, ui_label_new(N_("Language")));
	w = ui_widget_add(col, ui_choice_new(settings_languages, 2,
	                                     strcmp(ui_app_get_language(app), "cy") == 0));
	ui_widget_set_id(w, "language");
	s->language_choice = w;
	ui_widget_set_on_click(w, on_language, s);
	w = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	ui_button_add(w, N_("Change my PIN"), UI_ICON_LOCK, "change-pin", on_change_pin, s);
	s->settings_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(s->settings_message, "settings-message");
	ui_widget_set_translate(s->settings_message, false);
	return ui_app_add_screen(app, "settings", col);
}
