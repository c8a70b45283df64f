/*
 * The login screen: a prison number typed on the letters keyboard (capitals and digits,
 * the "123" key for the numbers), a PIN on the PIN pad, and onward.Session.Login. The
 * daemon's refusals are shown in the person's language (words.c: a wrong PIN with the
 * tries left, a lockout with its wait, a badly formed number); the PIN is cleared as soon
 * as it has been sent. A PIN staff issued leads to choosing one's own (pin.c) before
 * anything else. A button for help now is here too, because a person who cannot log in
 * may still need it.
 */
#include "shell.h"

#include <string.h>

#include "log.h"

static void
on_login_reply(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct shell *s = userdata;
	struct reply_person person;
	struct reply_failure f;
	char words[REPLY_TEXT_MAX + 1];

	s->login_in_flight = false;
	if (!reply)
		return; /* the link went down; session_on_link() says so */
	if (reply->error) {
		reply_read_failure(reply->error, reply->parameters, MSG_SOMETHING_WRONG, &f);
		log_info("login refused: %s", f.error[0] ? f.error : "(unnamed error)");
		words_failure(s, &f, words, sizeof(words));
		login_set_message(s, words);
		if (s->mode == MODE_LOGIN && strcmp(f.error, "onward.AccountLocked") != 0)
			ui_app_focus(s->app, s->pin_field);
		return;
	}
	if (json_is_true(json_object_get(reply->parameters, "pin_change")) &&
	    reply_read_pin_change(reply->parameters, &person) == 0) {
		pin_choose_first(s, &person);
		return;
	}
	if (reply_read_login(reply->parameters, &person) < 0) {
		/* Logged in by a reply the shell cannot read: end that session again. */
		log_error("login: the reply is not one the shell can use");
		link_call(s->link, "onward.Session.Logout", NULL, NULL, NULL);
		login_set_message(s, ui_app_tr(s->app, MSG_SOMETHING_WRONG));
		return;
	}
	session_logged_in(s, &person, NULL);
}

static void
do_login(struct shell *s)
{
	const char *number = ui_text_field_get_text(s->number_field);
	const char *pin = ui_text_field_get_text(s->pin_field);
	json_t *params;
	int r;

	if (s->login_in_flight || s->mode != MODE_LOGIN)
		return;
	if (!link_is_up(s->link)) {
		login_set_message(s, ui_app_tr(s->app, MSG_NOT_ANSWERING));
		return;
	}
	if (!number[0]) {
		login_set_message(s, ui_app_tr(s->app, N_("Type your prison number first.")));
		ui_app_focus(s->app, s->number_field);
		return;
	}
	if (!pin[0]) {
		login_set_message(s, ui_app_tr(s->app, N_("Now type your PIN.")));
		ui_app_focus(s->app, s->pin_field);
		return;
	}
	snprintf(s->number, sizeof(s->number), "%s", number);
	params = json_pack("{s:s, s:s}", "prison_number", number, "pin", pin);
	ui_text_field_set_text(s->pin_field, "");
	if (!params) {
		login_set_message(s, ui_app_tr(s->app, MSG_SOMETHING_WRONG));
		return;
	}
	r = link_call(s->link, "onward.Session.Login", params, on_login_reply, s);
	if (r < 0) {
		log_error("login: cannot send: %s", strerror(-r));
		login_set_message(s, ui_app_tr(s->app, MSG_SOMETHING_WRONG));
		return;
	}
	s->login_in_flight = true;
	ui_app_focus(s->app, NULL);
	login_set_message(s, ui_app_tr(s->app, MSG_CHECKING));
}

static void
on_number_submit(struct ui_widget *field, const char *text, void *userdata)
{
	struct shell *s = userdata;

	if (!ui_text_field_get_text(s->pin_field)[0]) {
		ui_app_focus(s->app, s->pin_field);
		return;
	}
	do_login(s);
}

static void
on_pin_submit(struct ui_widget *field, const char *text, void *userdata)
{
	do_login(userdata);
}

static void
on_login_button(struct ui_widget *w, void *userdata)
{
	do_login(userdata);
}

static void
on_help_button(struct ui_widget *w, void *userdata)
{
	session_show_crisis_help(userdata);
}

static void
on_language_choice(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	ui_app_set_language(s->app, ui_choice_get(w) ? "cy" : "en");
	s->login_language_chosen = true;
}

/* A label and a field side by side, so the form fits above the pop-up keyboard. */
static struct ui_widget *
field_row(const char *label, struct ui_widget *field)
{
	struct ui_widget *row = ui_box_new(UI_HORIZONTAL), *w;

	w = ui_widget_add(row, ui_label_new(label));
	ui_widget_set_min_size(w, 45, 0);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	field = ui_widget_add(row, field);
	ui_widget_set_expand(field, 1);
	return row;
}

int
login_build(struct shell *s)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row, *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_spoken_row_add(col, ui_heading_new(N_("Welcome to Onward")), "login-title");
	w = ui_widget_add(col, ui_label_new(N_("Log in with your prison number and your PIN.")));
	ui_widget_set_id(w, "login-help");

	s->number_field = ui_text_field_new(UI_FIELD_CODE, N_("Like A1234BC"));
	ui_widget_set_id(s->number_field, "number");
	ui_text_field_set_max_length(s->number_field, 16);
	ui_text_field_set_on_submit(s->number_field, on_number_submit, s);
	ui_widget_add(col, field_row(N_("Prison number"), s->number_field));

	s->pin_field = ui_text_field_new(UI_FIELD_PIN, N_("PIN"));
	ui_widget_set_id(s->pin_field, "pin");
	ui_text_field_set_keyboard(s->pin_field, UI_KEYBOARD_PIN);
	ui_text_field_set_on_submit(s->pin_field, on_pin_submit, s);
	ui_widget_add(col, field_row(N_("PIN"), s->pin_field));

	s->login_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(s->login_message, "login-message");
	ui_widget_set_translate(s->login_message, false);

	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	w = ui_button_add(row, N_("Log in"), UI_ICON_CHECK, "login", on_login_button, s);
	ui_widget_set_expand(ui_widget_add(row, ui_spacer_new(0, 0)), 1);
	w = ui_button_add(row, N_("Help now"), UI_ICON_HELP, "help-now", on_help_button, s);

	/* The language can be chosen before logging in, by someone who cannot read the
	 * English on this screen; it becomes the person's own choice once they log in. */
	w = ui_widget_add(col, ui_choice_new(settings_languages, 2, false));
	ui_widget_set_id(w, "login-language");
	ui_widget_set_translate(w, false);
	ui_widget_set_on_click(w, on_language_choice, s);
	s->login_language_choice = w;
	return ui_app_add_screen(s->app, "login", col);
}

void
login_set_message(struct shell *s, const char *message)
{
	snprintf(s->login_text, sizeof(s->login_text), "%s", message ? message : "");
	ui_label_set_text(s->login_message, s->login_text);
	if (message && message[0] && ui_app_get_read_aloud(s->app))
		ui_app_speak(s->app, s->login_text);
}

void
login_show(struct shell *s, const char *message)
{
	ui_text_field_set_text(s->number_field, s->number);
	ui_text_field_set_text(s->pin_field, "");
	ui_app_show_screen(s->app, "login");
	login_set_message(s, message);
}
