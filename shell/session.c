/*
 * A person's session as the shell sees it: it starts with a good Session.Login reply and
 * ends with logging out, the idle lock, or the daemon going away (the session belongs to
 * the connection, so a lost connection is a lost session). Whatever ends it, a running
 * app is stopped and the login screen comes back, keeping the prison number unless the
 * person logged out. Also here: the status bar (name, clock, next appointment), and the
 * crisis-help words, which every screen can show.
 */
#include "shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

void
session_show_crisis_help(struct shell *s)
{
	static const char *const ok[] = {N_("OK")};

	ui_app_show_dialog(s->app, MSG_CRISIS_HELP, ok, 1, NULL, NULL);
}

/* ---- status bar ---- */

/*
 * An appointment's kind in the person's language, for the status bar; a kind this shell
 * does not know is left out rather than shown as a code.
 */
static void
appointment_kind_words(const struct shell *s, const char *kind, char *buf, size_t size)
{
	static const char *const kinds[][2] = {
	        {"probation", N_("probation")}, {"health", N_("health")},
	        {"education", N_("education")}, {"legal", N_("legal visit")},
	        {"visit", N_("visit")},         {"release", N_("release")},
	};

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			snprintf(buf, size, "%s", ui_app_tr(s->app, kinds[i][1]));
}

void
session_status_update(struct shell *s)
{
	struct tm tm;

	s->status_name[0] = '\0';
	s->status_next[0] = '\0';
	if (s->mode != MODE_LOGIN) {
		snprintf(s->status_name, sizeof(s->status_name), "%s%s%s", s->person.given_name,
		         s->person.family_name[0] ? " " : "", s->person.family_name);
		if (s->home && s->home->next.present) {
			const struct reply_appointment *a = &s->home->next;
			time_t at = (time_t)a->at;
			char when[48];

			char date[32], kind[48];

			localtime_r(&at, &tm);
			ui_app_short_date(s->app, at, date, sizeof(date));
			snprintf(when, sizeof(when), "%s, %02d:%02d", date, tm.tm_hour, tm.tm_min);
			appointment_kind_words(s, a->kind, kind, sizeof(kind));
			snprintf(s->status_next, sizeof(s->status_next), "%s %s%s%s",
			         ui_app_tr(s->app, N_("Next:")), when, kind[0] ? ", " : "", kind);
		}
	}
	ui_app_set_status_clock(s->app, s->status_name, s->status_next);
}

static void
on_clock(struct ui_app *app, void *userdata)
{
	struct shell *s = userdata;
	time_t now = ui_now();

	/* The status bar's time is the toolkit's to keep (ui_app_set_status_clock). Reminders
	 * fall due while a person sits at home: ask again each minute. Only at home: a refresh
	 * shows home, and must not take someone away from Settings or from typing a new PIN. */
	if (s->mode == MODE_HOME && link_is_up(s->link) &&
	    strcmp(ui_app_get_screen(s->app), "home") == 0)
		home_refresh(s, NULL);
	/* Wake at the next minute, not every second. */
	ui_app_add_timer(app, (unsigned)(60 - now % 60) * 1000 + 50, on_clock, s, &s->clock_timer);
}

void
session_clock_start(struct shell *s)
{
	session_status_update(s);
	on_clock(s->app, s);
}

/* ---- idle lock ---- */

static void
on_idle_check(struct ui_app *app, void *userdata)
{
	struct shell *s = userdata;
	Uint32 limit = s->opt.idle_lock_s * 1000u, idle = ui_app_idle_ms(app);
	Uint32 since = SDL_GetTicks() - s->idle_since;

	s->idle_timer = 0;
	/* An app has the screen: its own input is not the shell's to see. A person choosing
	 * their first PIN is locked out like one at home: nobody else may choose it. */
	if (s->mode != MODE_HOME && s->mode != MODE_PIN)
		return;
	if (since < idle)
		idle = since;
	if (idle >= limit) {
		log_info("idle for %u s: locking", idle / 1000);
		session_end(s, MSG_IDLE_LOCKED, true);
		return;
	}
	ui_app_add_timer(app, limit - idle, on_idle_check, s, &s->idle_timer);
}

void
session_idle_restart(struct shell *s)
{
	if (s->idle_timer)
		ui_app_remove_timer(s->app, s->idle_timer);
	s->idle_timer = 0;
	s->idle_since = SDL_GetTicks();
	if (s->opt.idle_lock_s && (s->mode == MODE_HOME || s->mode == MODE_PIN))
		ui_app_add_timer(s->app, s->opt.idle_lock_s * 1000u, on_idle_check, s,
		                 &s->idle_timer);
}

/* ---- start and end ---- */

void
session_logged_in(struct shell *s, const struct reply_person *person, const char *banner)
{
	s->person = *person;
	snprintf(s->number, sizeof(s->number), "%s", person->prison_number);
	s->mode = MODE_HOME;
	/* Losing the connection now loses the session: that is never quiet. */
	link_set_idle_ok(s->link, false);
	log_info("logged in: %s", person->prison_number);
	login_set_message(s, NULL);
	ui_text_field_set_text(s->pin_field, "");
	session_status_update(s);
	session_idle_restart(s);
	settings_keep_login_language(s);
	settings_load(s);
	settings_set_message(s, NULL);
	home_refresh(s, banner);
}

void
session_end(struct shell *s, const char *message, bool keep_number)
{
	if (apprun_active(s))
		apprun_stop(s);
	if (s->mode != MODE_LOGIN && link_is_up(s->link))
		link_call(s->link, "onward.Session.Logout", NULL, NULL, NULL);
	s->mode = MODE_LOGIN;
	link_set_idle_ok(s->link, true);
	s->pin_in_flight = false;
	s->person = (struct reply_person){0};
	settings_reset(s);
	if (s->idle_timer)
		ui_app_remove_timer(s->app, s->idle_timer);
	s->idle_timer = 0;
	if (!keep_number)
		s->number[0] = '\0';
	ui_app_close_dialog(s->app);
	home_forget(s);
	session_status_update(s);
	login_show(s, message ? ui_app_tr(s->app, message) : NULL);
}

void
session_on_link(struct link *l, bool up, void *userdata)
{
	struct shell *s = userdata;

	if (up) {
		log_info("the daemon answers");
		/* The words about the daemon change; anything else the person was told stays. */
		if (s->mode == MODE_LOGIN &&
		    strcmp(s->login_text, ui_app_tr(s->app, MSG_NOT_ANSWERING)) == 0)
			login_set_message(s, ui_app_tr(s->app, MSG_ANSWERING_AGAIN));
		return;
	}
	log_warn("the daemon is not answering (outage %u: %s); trying again", link_down_count(l),
	         channel_strerror(link_down_reason(l)));
	s->login_in_flight = false;
	s->home_in_flight = false;
	if (s->mode != MODE_LOGIN) {
		session_end(s, MSG_NOT_ANSWERING, true);
		return;
	}
	login_set_message(s, ui_app_tr(s->app, MSG_NOT_ANSWERING));
}
