/*
 * The home screen: a greeting, a line for the shell's own news ("The app stopped..."),
 * and a grid with a tile for every app onward.Shell.Home lists, with the reminders due in
 * a banner above it, one at a time, each hidden only with its own "Hide" button. Allowed
 * tiles open their app (apprun.c); refused ones are drawn locked and show the daemon's
 * reason when tapped; badges come from the daemon. The crisis-help tile is always there
 * and never locked: the daemon's if it lists one, else the shell's own, which shows who to
 * talk to now. The shell adds Settings and Log out. Until the daemon's answer comes, and
 * when it cannot come, the built-in tiles are still there.
 */
#include "shell.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

static enum ui_icon
icon_for(const struct reply_tile *t)
{
	static const struct {
		const char *part;
		enum ui_icon icon;
	} map[] = {
	        {"learn", UI_ICON_BOOK},        {"course", UI_ICON_BOOK},
	        {"messag", UI_ICON_MESSAGE},    {"family", UI_ICON_MESSAGE},
	        {"hous", UI_ICON_HOUSE},        {"appoint", UI_ICON_CALENDAR},
	        {"calendar", UI_ICON_CALENDAR},
	};

	if (t->crisis)
		return UI_ICON_HELP;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strstr(t->app, map[i].part))
			return map[i].icon;
	return UI_ICON_LIST;
}

static const struct reply_tile *
find_tile(const struct shell *s, const char *app)
{
	for (size_t i = 0; s->home && i < s->home->n_tiles; i++)
		if (strcmp(s->home->tiles[i].app, app) == 0)
			return &s->home->tiles[i];
	return NULL;
}

static void
set_message(struct shell *s, const char *text)
{
	snprintf(s->home_text, sizeof(s->home_text), "%s", text ? text : "");
	ui_label_set_text(s->home_message, s->home_text);
	if (text && text[0] && ui_app_get_read_aloud(s->app))
		ui_app_speak(s->app, s->home_text);
}

static void
on_app_tile(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;
	const char *id = ui_widget_get_id(w);
	const struct reply_tile *t = id ? find_tile(s, id + strlen("tile-")) : NULL;

	if (!t || s->mode != MODE_HOME)
		return;
	set_message(s, NULL);
	/* A crisis tile the daemon will not open, or with no app behind it yet, still
	 * gives help: the shell's own words. */
	if (t->crisis && (!t->allowed || !t->registered)) {
		session_show_crisis_help(s);
		return;
	}
	apprun_open(s, t->app);
}

static void
on_help_tile(struct ui_widget *w, void *userdata)
{
	session_show_crisis_help(userdata);
}

static void
on_settings_tile(struct ui_widget *w, void *userdata)
{
	struct shell *s = userdata;

	set_message(s, NULL);
	ui_app_push_screen(s->app, "settings");
}

static void
on_logout_answer(struct ui_app *app, int button, void *userdata)
{
	struct shell *s = userdata;

	if (button == 0 && s->mode == MODE_HOME)
		session_end(s, MSG_LOGGED_OUT, false);
}

static void
on_logout_tile(struct ui_widget *w, void *userdata)
{
	static const char *const buttons[] = {N_("Yes, log out"), N_("No, stay")};
	struct shell *s = userdata;

	ui_app_show_dialog(s->app, N_("Do you want to log out now?"), buttons, 2, on_logout_answer,
	                   s);
}

static void
add_builtin(struct shell *s, const char *text, enum ui_icon icon, const char *id, ui_click_fn fn)
{
	struct ui_widget *t = ui_widget_add(s->grid, ui_tile_new(text, icon));

	ui_widget_set_id(t, id);
	ui_widget_set_on_click(t, fn, s);
}

/* The titles of the platform's own apps, in the shell's catalogue (Welsh in po/cy.po). */
static bool
platform_title(const char *title)
{
	static const char *const titles[] = {N_("Messages"), N_("Learning"), N_("Housing"),
	                                     N_("Appointments")};

	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (strcmp(title, titles[i]) == 0)
			return true;
	return false;
}

/* Rebuilds the grid from s->home (which may be NULL: the built-in tiles only). */
static void
fill_grid(struct shell *s)
{
	bool crisis = false;
	char id[8 + REPLY_APP_MAX];

	ui_widget_clear(s->grid);
	for (size_t i = 0; s->home && i < s->home->n_tiles; i++) {
		const struct reply_tile *t = &s->home->tiles[i];
		struct ui_widget *w = ui_widget_add(s->grid, ui_tile_new(t->title, icon_for(t)));

		snprintf(id, sizeof(id), "tile-%s", t->app);
		ui_widget_set_id(w, id);
		/* App titles are the registry's words, shown as they are, except the platform's
		 * own apps' and the crisis tile's: the shell knows those, so they follow the
		 * language like the shell's own tiles. */
		ui_widget_set_translate(w, t->crisis || platform_title(t->title));
		ui_widget_set_on_click(w, on_app_tile, s);
		if (!t->allowed && !t->crisis)
			ui_tile_set_locked(
			        w, true, t->reason[0] ? t->reason : N_("This is locked for now."));
		if (t->badge)
			ui_tile_set_badge(w, t->badge);
		crisis = crisis || t->crisis;
	}
	if (!crisis)
		add_builtin(s, N_("Crisis help"), UI_ICON_HELP, "tile-help", on_help_tile);
}

static bool
same_tiles(const struct reply_home *a, const struct reply_home *b)
{
	if (a->n_tiles != b->n_tiles)
		return false;
	for (size_t i = 0; i < a->n_tiles; i++) {
		const struct reply_tile *x = &a->tiles[i], *y = &b->tiles[i];

		if (strcmp(x->app, y->app) != 0 || strcmp(x->title, y->title) != 0 ||
		    x->allowed != y->allowed || x->crisis != y->crisis ||
		    x->registered != y->registered)
			return false;
	}
	return true;
}

/* The same tiles: their badges and the words of a locked one (now in the person's
 * language, say) change in place. */
static void
update_tiles(struct shell *s)
{
	char id[8 + REPLY_APP_MAX];

	for (size_t i = 0; i < s->home->n_tiles; i++) {
		const struct reply_tile *t = &s->home->tiles[i];
		struct ui_widget *w;

		snprintf(id, sizeof(id), "tile-%s", t->app);
		w = ui_widget_find(s->grid, id);
		ui_tile_set_badge(w, t->badge);
		if (!t->allowed && !t->crisis)
			ui_tile_set_locked(
			        w, true, t->reason[0] ? t->reason : N_("This is locked for now."));
	}
}

static void
set_greeting(struct shell *s)
{
	snprintf(s->greeting_text, sizeof(s->greeting_text), "%s %s",
	         ui_app_tr(s->app, N_("Hello,")), s->person.given_name);
	ui_label_set_text(s->greeting, s->greeting_text);
}

/* ---- reminder banners (appointments: appointments/reminders.c in the daemon) ---- */

/*
 * The reminders due are shown one at a time in the toolkit's banner, which has a place of
 * its own above the screen: "1 of 2: Reminder: your visit is...", with "Next" while there
 * are more and "Hide". Only Hide dismisses one, in the daemon, for good; the Appointments
 * app still lists it. A tap anywhere else (the words, the screen under it) changes nothing.
 */
static void show_reminders(struct shell *s, bool again);

static void ask_home(struct shell *s);

static void
on_dismissed(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct shell *s = userdata;

	if (!reply || s->mode != MODE_HOME)
		return;
	if (reply->error) {
		log_warn("reminder: %s: %s", reply->error, client_reply_message(reply));
		set_message(s, ui_app_tr(s->app, MSG_SOMETHING_WRONG));
	} else {
		set_message(s, ui_app_tr(s->app, MSG_REMINDER_HIDDEN));
	}
	/* The badge and the next reminder come with the home screen's data. */
	ask_home(s);
}

static void
hide_reminder(struct shell *s)
{
	char *end;
	long long id = strtoll(s->banner_id, &end, 10);

	s->banner_id[0] = '\0';
	if (end == s->banner_id || *end || id <= 0 || s->mode != MODE_HOME)
		return;
	if (link_call(s->link, "onward.Reminder.Dismiss", json_pack("{s:I}", "id", (json_int_t)id),
	              on_dismissed, s) < 0) {
		log_warn("reminder: cannot hide reminder %lld now", id);
		show_reminders(s, true);
	}
}

static void
on_reminder_button(struct ui_app *app, int button, void *userdata)
{
	struct shell *s = userdata;

	if (s->mode != MODE_HOME)
		return;
	if (s->banner_count > 1 && button == 0) {
		/* Next: the one after it, round to the first again. */
		s->banner_index = (s->banner_index + 1) % s->banner_count;
		s->banner_id[0] = '\0';
		show_reminders(s, true);
		return;
	}
	hide_reminder(s);
}

/*
 * Shows a reminder from s->home: the one shown before while it is still due, else the
 * one in its place (the next, once one is hidden). Unchanged, it is not shown again
 * (which would read it aloud again each minute) unless `again`.
 */
static void
show_reminders(struct shell *s, bool again)
{
	static const char *const one[] = {N_("Hide")};
	static const char *const more[] = {N_("Next"), N_("Hide")};
	size_t n = s->home && s->mode == MODE_HOME ? s->home->n_banners : 0, i;
	const struct reply_banner *b;

	if (n == 0) {
		ui_app_close_banner(s->app);
		s->banner_id[0] = '\0';
		return;
	}
	for (i = 0; i < n && strcmp(s->home->banners[i].id, s->banner_id) != 0; i++)
		;
	if (i == n)
		i = s->banner_index < n ? s->banner_index : 0;
	b = &s->home->banners[i];
	if (!again && strcmp(b->id, s->banner_id) == 0 && n == s->banner_count &&
	    ui_app_banner_shown(s->app))
		return;
	s->banner_index = i;
	s->banner_count = n;
	snprintf(s->banner_id, sizeof(s->banner_id), "%s", b->id);
	if (n > 1)
		snprintf(s->banner_text, sizeof(s->banner_text), "%zu %s %zu: %s", i + 1,
		         ui_app_tr(s->app, N_("of")), n, b->text);
	else
		snprintf(s->banner_text, sizeof(s->banner_text), "%s", b->text);
	ui_app_show_banner_buttons(s->app, s->banner_text, UI_ICON_CALENDAR, n > 1 ? more : one,
	                           n > 1 ? 2 : 1, on_reminder_button, s);
}

void
home_forget(struct shell *s)
{
	ui_app_close_banner(s->app);
	s->banner_id[0] = '\0';
	s->banner_index = 0;
	s->banner_count = 0;
	free(s->home);
	s->home = NULL;
	s->home_text[0] = '\0';
}

static bool
home_is_shown(const struct shell *s)
{
	const char *screen = ui_app_get_screen(s->app);

	return screen && strcmp(screen, "home") == 0;
}

static void
on_home_reply(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct shell *s = userdata;
	struct reply_home *home;
	struct reply_failure f;
	bool same;

	s->home_in_flight = false;
	if (!reply || s->mode == MODE_LOGIN)
		return;
	if (s->home_stale && s->mode == MODE_HOME && home_is_shown(s)) {
		/* Asked before the language was saved: its words are in the old one. */
		s->home_stale = false;
		home_refresh(s, NULL);
		return;
	}
	if (reply->error) {
		reply_read_failure(reply->error, reply->parameters, MSG_SOMETHING_WRONG, &f);
		log_warn("home: %s: %s", f.error, f.message);
		if (strcmp(f.error, "onward.NotLoggedIn") == 0) {
			session_end(s, MSG_SOMETHING_WRONG, true);
			return;
		}
		if (s->mode == MODE_HOME)
			set_message(s, f.message);
		return;
	}
	home = malloc(sizeof(*home));
	if (!home || reply_read_home(reply->parameters, home) < 0) {
		free(home);
		log_error("home: the reply is not one the shell can use");
		if (s->mode == MODE_HOME)
			set_message(s, ui_app_tr(s->app, MSG_SOMETHING_WRONG));
		return;
	}
	if (home->skipped)
		log_warn("home: %zu entries of the reply were left out", home->skipped);
	/* The same tiles as before: only the badges and reasons change, in place, so a finger
	 * already on a tile is not lost to a rebuilt grid. */
	same = s->home && same_tiles(s->home, home);
	free(s->home);
	s->home = home;
	/* The person's own record as the daemon has it now (a name may have been fixed). */
	if (strcmp(home->person.prison_number, s->person.prison_number) == 0)
		s->person = home->person;
	set_greeting(s);
	if (same)
		update_tiles(s);
	else
		fill_grid(s);
	session_status_update(s);
	show_reminders(s, false);
	if (s->home_text[0] == '\0' ||
	    strcmp(s->home_text, ui_app_tr(s->app, N_("Loading your apps…"))) == 0)
		set_message(s, NULL);
}

void
home_language_changed(struct shell *s)
{
	if (s->greeting)
		set_greeting(s);
	session_status_update(s); /* the next appointment's day and kind */
	if (s->banner_id[0])
		show_reminders(s, true); /* "1 of 2" in the new language */
}

void
home_show(struct shell *s)
{
	set_greeting(s);
	ui_app_show_screen(s->app, "home");
}

void
home_refresh(struct shell *s, const char *banner)
{
	if (!s->home)
		fill_grid(s);
	home_show(s);
	set_message(s, banner    ? ui_app_tr(s->app, banner)
	               : s->home ? NULL
	                         : ui_app_tr(s->app, N_("Loading your apps…")));
	ask_home(s);
}

/* Asks the daemon for the home screen's data, shown where it belongs when it comes. */
static void
ask_home(struct shell *s)
{
	int r;

	if (s->home_in_flight)
		return;
	r = link_call(s->link, "onward.Shell.Home", NULL, on_home_reply, s);
	if (r < 0)
		log_warn("home: cannot ask: %s", strerror(-r));
	else
		s->home_in_flight = true;
}

void
home_language_saved(struct shell *s)
{
	s->home_stale = true;
	log_info("home: the language changed: asking for home in it");
	if (!s->home_in_flight && s->mode == MODE_HOME && home_is_shown(s)) {
		s->home_stale = false;
		home_refresh(s, NULL);
	}
}

int
home_build(struct shell *s)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *row, *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	/* Settings and Log out beside the greeting, at the top, so that however many tiles
	 * there are and however large the text, they are never below the fold. */
	row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
	s->greeting = ui_spoken_add(row, ui_heading_new(""), "greeting");
	ui_widget_set_translate(s->greeting, false);
	w = ui_button_add(row, N_("Settings"), UI_ICON_SETTINGS, "tile-settings", on_settings_tile,
	                  s);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	w = ui_button_add(row, N_("Log out"), UI_ICON_PERSON, "tile-logout", on_logout_tile, s);
	ui_widget_set_align(w, UI_ALIGN_CENTER);
	s->home_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(s->home_message, "home-message");
	ui_widget_set_translate(s->home_message, false);
	s->grid = ui_widget_add(col, ui_grid_new(50, 5));
	ui_widget_set_id(s->grid, "tiles");
	return ui_app_add_screen(s->app, "home", col);
}
