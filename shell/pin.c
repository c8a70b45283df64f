/*
 * The PIN screen: a person chooses their own PIN. At the first login with a PIN staff
 * issued, the daemon opens no session until they have (MODE_PIN): this screen is all
 * there is, with Log out as the only other way. From Settings, "Change my PIN" brings the
 * same screen with the PIN they have now asked first, and Back. The new PIN is typed twice
 * on the PIN pad, never shown, never kept: the fields are cleared as soon as it is sent.
 * The daemon decides what a good PIN is (6 to 8 numbers, no pattern) and says why when it
 * is not; the shell says it in the person's language (words.c). The title and the help
 * each have a speaker button; with read aloud on, every message is spoken too.
 */
#include "shell.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

#define NEW_PIN_MIN 6
#define NEW_PIN_MAX 8

static void
set_message(struct shell *s, const char *message)
{
	snprintf(s->pin_text, sizeof(s->pin_text), "%s", message ? message : "");
	ui_label_set_text(s->pin_message, s->pin_text);
	if (message && message[0] && ui_app_get_read_aloud(s->app))
		ui_app_speak(s->app, s->pin_text);
}

static void
clear_fields(struct shell *s)
{
	ui_text_field_set_text(s->pin_old, "");
	ui_text_field_set_text(s->pin_new, "");
	ui_text_field_set_text(s->pin_again, "");
}

/* Says msgid (translated) and puts the cursor where the person should type. */
static void
ask(struct shell *s, const char *msgid, struct ui_widget *field)
{
	set_message(s, ui_app_tr(s->app, msgid));
	ui_app_focus(s->app, field);
}

static void
on_reply(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct shell *s = userdata;
	struct reply_person person;
	struct reply_failure f;
	char words[REPLY_TEXT_MAX + 1];

	s->pin_in_flight = false;
	if (!reply || s->mode == MODE_LOGIN)
		return; /* the link went down, or the session ended meanwhile */
	if (reply->error) {
		reply_read_failure(reply->error, reply->parameters, MSG_SOMETHING_WRONG, &f);
		log_info("PIN change refused: %s", f.error[0] ? f.error : "(unnamed error)");
		words_failure(s, &f, words, sizeof(words));
		if (strcmp(f.error, "onward.NotLoggedIn") == 0) {
			session_end(s, NULL, true);
			login_set_message(s, words);
			return;
		}
		set_message(s, words);
		if (strcmp(f.error, "onward.AccountLocked") == 0)
			ui_app_focus(s->app, NULL);
		else if (s->mode == MODE_HOME && (strcmp(f.parameter, "old_pin") == 0 ||
		                                  strcmp(f.error, "onward.LoginFailed") == 0))
			ui_app_focus(s->app, s->pin_old);
		else
			ui_app_focus(s->app, s->pin_new);
		return;
	}
	if (s->mode == MODE_PIN) {
		if (reply_read_login(reply->parameters, &person) < 0) {
			log_error("PIN change: the reply is not one the shell can use");
			session_end(s, MSG_SOMETHING_WRONG, true);
			return;
		}
		log_info("chose a PIN: %s", person.prison_number);
		session_logged_in(s, &person, MSG_PIN_SAVED);
		return;
	}
	log_info("changed the PIN");
	if (ui_app_back(s->app) < 0)
		ui_app_show_screen(s->app, "settings");
	settings_set_message(s, ui_app_tr(s->app, MSG_PIN_SAVED));
}

static void
do_save(struct shell *s)
{
	bool first = s->mode == MODE_PIN;
	const char *old = ui_text_field_get_text(s->pin_old);
	const char *new_pin = ui_text_field_get_text(s->pin_new);
	const char *again = ui_text_field_get_text(s->pin_again);
	size_t n = strlen(new_pin);
	json_t *params;
	int r;

	if (s->pin_in_flight || (s->mode != MODE_PIN && s->mode != MODE_HOME))
		return;
	if (!link_is_up(s->link)) {
		set_message(s, ui_app_tr(s->app, MSG_NOT_ANSWERING));
		return;
	}
	if (!first && !old[0]) {
		ask(s, N_("Type the PIN you have now."), s->pin_old);
		return;
	}
	if (!n) {
		ask(s, N_("Type your new PIN."), s->pin_new);
		return;
	}
	if (n < NEW_PIN_MIN || n > NEW_PIN_MAX) {
		ui_text_field_set_text(s->pin_new, "");
		ui_text_field_set_text(s->pin_again, "");
		ask(s, N_("A new PIN is 6 to 8 numbers."), s->pin_new);
		return;
	}
	if (!again[0]) {
		ask(s, N_("Now type your new PIN again."), s->pin_again);
		return;
	}
	if (strcmp(new_pin, again) != 0) {
		ui_text_field_set_text(s->pin_new, "");
		ui_text_field_set_text(s->pin_again, "");
		ask(s, N_("The two PINs are not the same. Type them again."), s->pin_new);
		return;
	}
	params = json_pack("{s:s}", "new_pin", new_pin);
	if (params && !first)
		json_object_set_new(params, "old_pin", json_string(old));
	clear_fields(s);
	if (!params) {
		set_message(s, ui_app_tr(s->app, MSG_SOMETHING_WRONG));
		return;
	}
	r = link_call(s->link, "onward.Session.ChangePin", params, on_reply, s);
	if (r < 0) {
		log_error("PIN change: cannot send: %s", strerror(-r));
		set_message(s, ui_app_tr(s->app, MSG_SOMETHING_WRONG));
		return;
	}
	s->pin_in_flight = true;
	ui_app_focus(s->app, NULL);
	set_message(s, ui_app_tr(s->app, MSG_CHECKING));
}

static void
on_old_submit(struct ui_widget *field, const char *text, void *userdata)
{
	struct shell *s = userdata;

	ui_app_focus(s->app, s->pin_new);
}

static void
on_new_submit(struct ui_widget *field, const char *text, void *userdata)
{
	struct shell *s = userdata;

	if (!ui_text_field_get_text(s->pin_again)[0] && text[0]) {
		ask(s, N_("Now type your new PIN again."), s->pin_again);
		return;
	}
	do_save(s);
}

static void
on_again_submit(struct ui_widget *field, const char *text, void *userdata)
{
	do_save(userdata);
}

static void
on_save(struct ui_widget *w, void *userdata)
{
	do_save(userdata);
}

static void
on_back(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	clear_fields(s);
	if (ui_app_back(s->app) < 0)
		ui_app_show_screen(s->app, "settings");
}

static void
on_logout(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	clear_fields(s);
	if (s->mode == MODE_PIN)
		session_end(s, MSG_LOGGED_OUT, false);
}

/* Words with their speaker button beside them, added to `row` (as ui_spoken_add, with
 * an id on the button, so the tests can press it). */
static struct ui_widget *
spoken(struct ui_widget *row, struct ui_widget *text, const char *id)
{
	struct ui_widget *w;
	char speak_id[32];

	text = ui_widget_add(row, text);
	ui_widget_set_id(text, id);
	ui_widget_set_expand(text, 1);
	ui_widget_set_align(text, UI_ALIGN_CENTER);
	w = ui_widget_add(row, ui_speak_button_new(text));
	snprintf(speak_id, sizeof(speak_id), "%s-speak", id);
	ui_widget_set_id(w, speak_id);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	return text;
}

/* A label and a PIN field side by side, as on the login screen; returns the row. */
static struct ui_widget *
pin_row(struct shell *s, const char *label, const char *id, ui_submit_fn on_submit,
        struct ui_widget **ret_field)
{
	struct ui_widget *row = ui_box_new(UI_HORIZONTAL), *w;
	char row_id[32];

	snprintf(row_id, sizeof(row_id), "%s-row", id);
	ui_widget_set_id(row, row_id);
	w = ui_widget_add(row, ui_label_new(label));
	ui_widget_set_min_size(w, 45, 0);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	w = ui_widget_add(row, ui_text_field_new(UI_FIELD_PIN, label));
	ui_widget_set_id(w, id);
	ui_widget_set_expand(w, 1);
	ui_text_field_set_max_length(w, NEW_PIN_MAX);
	ui_text_field_set_keyboard(w, UI_KEYBOARD_PIN);
	ui_text_field_set_on_submit(w, on_submit, s);
	*ret_field = w;
	return row;
}

int
pin_build(struct shell *s)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	/* The way out at the top, as on every screen, where the PIN pad never covers it:
	 * Back when changing, Log out when choosing the first PIN. */
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	s->pin_back = ui_button_add(row, N_("Back"), UI_ICON_BACK, "pin-back", on_back, s);
	ui_widget_set_align(s->pin_back, UI_ALIGN_CENTER);
	s->pin_logout =
	        ui_button_add(row, N_("Log out"), UI_ICON_PERSON, "pin-logout", on_logout, s);
	ui_widget_set_align(s->pin_logout, UI_ALIGN_CENTER);
	s->pin_title = spoken(row, ui_heading_new(N_("Choose your own PIN")), "pin-title");
	s->pin_help =
	        spoken(ui_widget_add(col, ui_box_new(UI_HORIZONTAL)),
	               ui_label_new(N_("Choose 6 to 8 numbers that only you know.")), "pin-help");
	/* Above the fields, so it stays in sight over the PIN pad. */
	s->pin_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(s->pin_message, "pin-message");
	ui_widget_set_translate(s->pin_message, false);
	s->pin_old_row = ui_widget_add(
	        col, pin_row(s, N_("PIN now"), "pin-old", on_old_submit, &s->pin_old));
	ui_widget_add(col, pin_row(s, N_("New PIN"), "pin-new", on_new_submit, &s->pin_new));
	ui_widget_add(col,
	              pin_row(s, N_("New PIN again"), "pin-again", on_again_submit, &s->pin_again));
	/* Enter on the last field saves too, when the PIN pad covers this. */
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	ui_button_add(row, N_("Save my PIN"), UI_ICON_CHECK, "pin-save", on_save, s);
	return ui_app_add_screen(s->app, "pin", col);
}

/* Sets the screen up for the first PIN (first) or a change. */
static void
pin_prepare(struct shell *s, bool first)
{
	ui_label_set_text(s->pin_title, first ? N_("Choose your own PIN") : N_("Change my PIN"));
	ui_label_set_text(
	        s->pin_help,
	        first ? N_("Staff gave you a PIN to start with. Now choose your own: 6 to "
	                   "8 numbers that only you know.")
	              : N_("Choose 6 to 8 numbers that only you know."));
	ui_widget_set_visible(s->pin_old_row, !first);
	ui_widget_set_visible(s->pin_back, !first);
	ui_widget_set_visible(s->pin_logout, first);
	clear_fields(s);
	set_message(s, NULL);
}

void
pin_choose_first(struct shell *s, const struct reply_person *person)
{
	s->person = *person;
	snprintf(s->number, sizeof(s->number), "%s", person->prison_number);
	s->mode = MODE_PIN;
	link_set_idle_ok(s->link, false);
	log_info("logged in with an issued PIN: %s must choose their own", person->prison_number);
	login_set_message(s, NULL);
	ui_text_field_set_text(s->pin_field, "");
	pin_prepare(s, true);
	ui_app_show_screen(s->app, "pin");
	session_status_update(s);
	session_idle_restart(s);
	ui_app_focus(s->app, s->pin_new);
	if (ui_app_get_read_aloud(s->app))
		ui_app_speak(s->app, ui_widget_get_text(s->pin_help));
}

void
pin_change_show(struct shell *s)
{
	if (s->mode != MODE_HOME)
		return;
	pin_prepare(s, false);
	ui_app_push_screen(s->app, "pin");
	ui_app_focus(s->app, s->pin_old);
}
