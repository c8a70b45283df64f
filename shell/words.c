/*
 * The daemon's refusals in the person's language. The daemon answers in plain English and
 * puts beside its words what a program needs: the error's name, the seconds of a lock, the
 * tries left, the parameter refused, where a record moved. The refusals a person meets
 * while logging in and choosing a PIN are in the shell's own catalogue, so someone who
 * chose Cymraeg reads them in Welsh; words with a changing part are made here from that
 * part, with "{n}" in the catalogue where it goes (translators may move it). Anything
 * else is shown as the daemon wrote it.
 */
#include "shell.h"

#include <stdio.h>
#include <string.h>

#define WRONG_LOGIN N_("That prison number or PIN is not right.")
#define WRONG_OLD_PIN N_("That is not the PIN you have now.")

/* What the daemon says whole (session/session.c, lockout.c, pin_change.c): the same
 * English, here so that it is in the catalogue. */
static const char *const sentences[] = {
        WRONG_LOGIN,
        WRONG_OLD_PIN,
        N_("A prison number is one letter, four numbers and two letters, like A1234BC."),
        N_("A PIN is 4 to 8 numbers."),
        N_("A login for this prison number is being checked. Try again in a moment."),
        N_("A PIN for this prison number is being checked. Try again in a moment."),
        N_("Too many people are logged in here. Ask staff."),
        N_("Logging in is not working now. Ask staff."),
        N_("Changing your PIN is not working now. Ask staff."),
        N_("Choose your new PIN first."),
        N_("Log in first."),
        N_("Staff gave you a new PIN just now. Log in with it again."),
        N_("A new PIN is 6 to 8 numbers."),
        N_("Do not use the same number again and again."),
        N_("Do not use numbers in a row, like 123456."),
        N_("Do not repeat a short pattern, like 121212."),
        N_("Lots of people use that PIN. Choose another."),
        N_("Do not use the numbers in your prison number."),
        N_("That is the PIN staff gave you. Choose a new one."),
        N_("That is the PIN you have now. Choose a new one."),
        N_("Type the PIN you have now."),
        NULL,
};

/* Copies text into buf with its first "{n}" replaced by value. */
static void
fill(char *buf, size_t size, const char *text, const char *value)
{
	const char *at = strstr(text, "{n}");

	if (!at) {
		snprintf(buf, size, "%s", text);
		return;
	}
	snprintf(buf, size, "%.*s%s%s", (int)(at - text), text, value, at + 3);
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "Too many wrong PINs. Try again in 5 minutes.": rounded as the daemon rounds. */
static void
locked_words(struct shell *s, int64_t seconds, char *buf, size_t size)
{
	char n[24];

	if (seconds >= 7200) {
		snprintf(n, sizeof(n), "%lld", (long long)((seconds + 3599) / 3600));
		fill(buf, size,
		     ui_app_tr(s->app, N_("Too many wrong PINs. Try again in {n} hours.")), n);
	} else if (seconds > 120) {
		snprintf(n, sizeof(n), "%lld", (long long)((seconds + 59) / 60));
		fill(buf, size,
		     ui_app_tr(s->app, N_("Too many wrong PINs. Try again in {n} minutes.")), n);
	} else if (seconds == 1) {
		snprintf(buf, size, "%s",
		         ui_app_tr(s->app, N_("Too many wrong PINs. Try again in 1 second.")));
	} else {
		snprintf(n, sizeof(n), "%lld", (long long)seconds);
		fill(buf, size,
		     ui_app_tr(s->app, N_("Too many wrong PINs. Try again in {n} seconds.")), n);
	}
}

void
words_failure(struct shell *s, const struct reply_failure *f, char *buf, size_t size)
{
	static const char *const tries[2][2] = {
	        {N_("That prison number or PIN is not right. 1 try left before a pause."),
	         N_("That prison number or PIN is not right. 2 tries left before a pause.")},
	        {N_("That is not the PIN you have now. 1 try left before a pause."),
	         N_("That is not the PIN you have now. 2 tries left before a pause.")},
	};

	if (strcmp(f->error, "onward.AccountLocked") == 0 && f->seconds > 0) {
		locked_words(s, f->seconds, buf, size);
		return;
	}
	if (strcmp(f->error, "onward.LoginFailed") == 0 && f->tries_left) {
		int which = starts_with(f->message, WRONG_LOGIN)     ? 0
		            : starts_with(f->message, WRONG_OLD_PIN) ? 1
		                                                     : -1;

		if (which >= 0) {
			snprintf(buf, size, "%s",
			         ui_app_tr(s->app, tries[which][f->tries_left - 1]));
			return;
		}
	}
	if (f->moved_to[0]) {
		fill(buf, size,
		     ui_app_tr(s->app,
		               N_("Your record has moved to {n}. Please use the tablet there.")),
		     f->moved_to);
		return;
	}
	for (size_t i = 0; sentences[i]; i++) {
		if (strcmp(f->message, sentences[i]) == 0) {
			snprintf(buf, size, "%s", ui_app_tr(s->app, sentences[i]));
			return;
		}
	}
	snprintf(buf, size, "%s", f->message);
}
