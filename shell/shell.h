/*
 * onward-shell's central struct, shared by its files and nothing else: the options, the
 * toolkit app, the link to the daemon, what the person is doing (logging in, at home, in
 * an app), the last home screen the daemon gave, and the widgets each screen file keeps
 * to update. Read main.c first, then session.c (how a session starts and ends), then one
 * screen file at a time: login.c, pin.c (choosing a PIN), home.c, settings.c, and apprun.c
 * for launching; words.c says the daemon's refusals in the person's language.
 */
#ifndef ONWARD_SHELL_H
#define ONWARD_SHELL_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include <onward/ui.h>

#include "link.h"
#include "reply.h"

/* Words the shell itself says, in one place so that they stay plain and alike. */
#define MSG_NOT_ANSWERING N_("The tablet service is not answering. Trying again…")
#define MSG_ANSWERING_AGAIN N_("The tablet service is working again. You can log in.")
#define MSG_CHECKING N_("Checking…")
#define MSG_SOMETHING_WRONG N_("Something went wrong. Please try again.")
#define MSG_APP_STOPPED N_("The app stopped. You are back at home.")
#define MSG_APP_HUNG N_("The app was not answering, so it was closed. You are back at home.")
#define MSG_APP_CANNOT_START N_("This app cannot open now. Please ask staff.")
#define MSG_IDLE_LOCKED N_("The tablet locked because nobody used it for a while. Log in again.")
#define MSG_LOGGED_OUT N_("You have logged out.")
#define MSG_PIN_SAVED N_("Your new PIN is saved. Use it next time you log in.")
#define MSG_REMINDER_HIDDEN N_("The reminder is hidden. You can see it again in Appointments.")
#define MSG_CRISIS_HELP                                                                            \
	N_("You can talk to someone now. Press your cell call button and ask for a Listener, "     \
	   "or call the Samaritans free on 116 123, day or night.")

struct apprun;

struct shell_options {
	char socket_path[PATH_MAX]; /* control.sock */
	char launcher[PATH_MAX]; /* onward-launch */
	unsigned idle_lock_s; /* 0: never */
	unsigned app_timeout_s; /* 0: never */
	long app_memory_mb; /* -1: the launcher's default */
	long app_cpu_seconds; /* -1: the launcher's default */
};

enum shell_mode {
	MODE_LOGIN, /* the login screen, not logged in */
	MODE_PIN, /* logged in with a PIN staff issued: no session until a PIN is chosen */
	MODE_HOME, /* logged in: home or settings (or changing the PIN) */
	MODE_APP, /* logged in, an app running */
};

struct shell {
	struct ui_app *app; /* owned */
	struct ui_app_config *config; /* borrowed from main(): window and settings */
	struct link *link; /* owned */
	struct shell_options opt;
	enum shell_mode mode;

	bool login_in_flight; /* a Session.Login call waits for its answer */
	bool pin_in_flight; /* a Session.ChangePin call waits */
	bool home_in_flight; /* a Shell.Home call waits */
	bool home_stale; /* the language changed: ask Shell.Home again at home (its words) */
	struct reply_person person; /* the person logged in; valid in all but MODE_LOGIN */
	struct reply_home *home; /* owned: the last home screen; NULL before the first */
	char number[17]; /* the prison number typed or logged in with, kept across faults */

	/* login.c; widgets borrowed from the "login" screen */
	struct ui_widget *number_field;
	struct ui_widget *pin_field;
	struct ui_widget *login_message;
	struct ui_widget *login_language_choice; /* English | Cymraeg, before logging in */
	bool login_language_chosen; /* tapped since the last logout: the person's new choice */
	char login_text[REPLY_TEXT_MAX + 1];

	/* pin.c; borrowed from the "pin" screen */
	struct ui_widget *pin_title;
	struct ui_widget *pin_help;
	struct ui_widget *pin_old_row; /* hidden when choosing the first PIN */
	struct ui_widget *pin_old;
	struct ui_widget *pin_new;
	struct ui_widget *pin_again;
	struct ui_widget *pin_message;
	struct ui_widget *pin_back; /* changing: back to settings */
	struct ui_widget *pin_logout; /* choosing the first: the only other way out */
	char pin_text[REPLY_TEXT_MAX + 1];

	/* home.c; borrowed from the "home" screen */
	struct ui_widget *greeting;
	struct ui_widget *grid;
	struct ui_widget *home_message;
	char greeting_text[REPLY_NAME_MAX + 16];
	char home_text[REPLY_TEXT_MAX + 1];
	char banner_text[REPLY_TEXT_MAX + 64]; /* "1 of 2: " and the reminder's words */
	char banner_id[65]; /* the shown reminder's id, for onward.Reminder.Dismiss; "": none */
	size_t banner_index; /* which of home->banners is shown */
	size_t banner_count; /* how many there were when it was shown */

	/* settings.c; borrowed from the "settings" screen */
	struct ui_widget *text_size_choice;
	struct ui_widget *contrast_choice;
	struct ui_widget *read_aloud_toggle;
	struct ui_widget *language_choice;
	struct ui_widget *settings_message;
	char settings_text[REPLY_TEXT_MAX + 1];

	/* apprun.c */
	struct apprun *run; /* owned */
	struct ui_widget *app_message; /* borrowed from the "app" screen */
	char app_text[REPLY_NAME_MAX + 64];

	/* session.c */
	unsigned idle_timer; /* 0: none */
	Uint32 idle_since; /* the shell's own baseline: login or the return from an app */
	unsigned clock_timer;
	char status_name[2 * REPLY_NAME_MAX + 2];
	char status_next[3 * REPLY_NAME_MAX + 64];
};

/* session.c: the life of a session, and the link's state changes. */
void session_on_link(struct link *l, bool up, void *userdata);
/* A session started: home, with `banner` (a message id, may be NULL) once it is there. */
void session_logged_in(struct shell *s, const struct reply_person *person, const char *banner);
/* Ends the session (Logout when the link is up), stops any app, shows the login screen
 * with `message` (a message id, may be NULL); keeps the prison number if keep_number. */
void session_end(struct shell *s, const char *message, bool keep_number);
/* Starts (or restarts) the idle lock from now. */
void session_idle_restart(struct shell *s);
void session_status_update(struct shell *s);

/* The person's language was saved: what the daemon writes on the home screen (banners,
 * why a tile is locked) is asked for again, now if home shows, else on the way back. */
void home_language_saved(struct shell *s);
void session_clock_start(struct shell *s);
void session_show_crisis_help(struct shell *s);

/* login.c */
int login_build(struct shell *s);
/* Shows the login screen with `message` (literal text, may be NULL). */
void login_show(struct shell *s, const char *message);
void login_set_message(struct shell *s, const char *message);

/* pin.c */
int pin_build(struct shell *s);
/* Logged in with a PIN staff issued: the person must choose their own (MODE_PIN). */
void pin_choose_first(struct shell *s, const struct reply_person *person);
/* From settings: change the PIN, giving the one they have now. */
void pin_change_show(struct shell *s);

/* words.c */
/* The daemon's refusal f in the person's language, into buf. */
void words_failure(struct shell *s, const struct reply_failure *f, char *buf, size_t size);

/* home.c */
int home_build(struct shell *s);
/* Asks the daemon for the home screen; shows it when it comes. `banner` (a message id,
 * may be NULL) is shown once it is there. */
void home_refresh(struct shell *s, const char *banner);
void home_show(struct shell *s);
/* The greeting again, in the language just chosen (other widgets translate as they draw). */
void home_language_changed(struct shell *s);
/* The session ended: the person's tiles, badges and reminders go, so that the next
 * person never sees them. */
void home_forget(struct shell *s);

/* settings.c */
int settings_build(struct shell *s);
/* The language names, shown as they are: each in its own language. */
extern const char *const settings_languages[2];
/* A language chosen on the login screen is saved as the person's own at once, before the
 * home screen is asked for, so that the daemon's words on it are in that language. */
void settings_keep_login_language(struct shell *s);
/* Asks the daemon for the person's own settings and applies them when they come. */
void settings_load(struct shell *s);
/* Back to the tablet's defaults, so the next person does not inherit them. */
void settings_reset(struct shell *s);
/* Shows plain words (literal text, may be NULL) on the settings screen. */
void settings_set_message(struct shell *s, const char *message);

/* apprun.c */
int apprun_build(struct shell *s);
void apprun_free(struct apprun *run);
/* Asks the daemon to open `app` and runs it. */
void apprun_open(struct shell *s, const char *app);
/* Stops a running app (SIGTERM, then SIGKILL); no message, the caller decides. */
void apprun_stop(struct shell *s);
bool apprun_active(const struct shell *s);

#endif
