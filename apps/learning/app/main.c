/*
 * onward-app-learning: the Learning app. It shows the courses on this tablet: those the
 * person may open, and those still locked with the reason in plain words. A course opens
 * where the person left off; its pages, pictures and quizzes come from the daemon, which
 * checks every request against policy, saves the place after every page and every answer,
 * and issues a certificate when the course is done. Nothing is kept in the app: leave and
 * come back, on this tablet or another, and the course opens at the same page.
 *
 * This file describes the app to onward_app_main() (shell/toolkit/include/onward/app.h),
 * which starts it and owns the channel, and owns the catalogue and course screens; page.c
 * and quiz.c own theirs.
 */
#include "learning.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared ---- */

void
learning_say(struct learning *lr, const char *text)
{
	ui_app_show_banner(lr->app, text, 8000, NULL, NULL);
}

/* The channel went: say so (calls fail from now on). */
static void
learning_channel_down(struct learning *lr)
{
	lr->down = true;
	learning_say(lr, N_("The tablet service is not answering. Go back to home and try "
	                    "again."));
}

json_t *
learning_module(struct learning *lr, size_t i)
{
	return json_array_get(json_object_get(lr->course, "modules"), i);
}

size_t
learning_module_count(struct learning *lr)
{
	return json_array_size(json_object_get(lr->course, "modules"));
}

static const char *
jstr(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

/* A failed reply's words, or a general sentence. */
static const char *
reply_words(struct client_reply *reply)
{
	const char *m = reply ? client_reply_message(reply) : "";

	return m[0] ? m : N_("Something went wrong. Please try again.");
}

/* A course's level in words that say it is the course's: "Level 2" alone reads like the
 * person's incentive level, which policy's reasons also talk about. */
static const char *
level_words(struct learning *lr, const char *level)
{
	static const char *const words[][2] = {
	        {"entry1", N_("Entry level 1 course")}, {"entry2", N_("Entry level 2 course")},
	        {"entry3", N_("Entry level 3 course")}, {"level1", N_("Level 1 course")},
	        {"level2", N_("Level 2 course")},       {"level3", N_("Level 3 course")},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(level, words[i][0]) == 0)
			return ui_app_tr(lr->app, words[i][1]);
	return level;
}

void
learning_date_words(struct learning *lr, const char *iso, char *buf, size_t size)
{
	static const char *const months[] = {
	        N_("January"),   N_("February"), N_("March"),    N_("April"),
	        N_("May"),       N_("June"),     N_("July"),     N_("August"),
	        N_("September"), N_("October"),  N_("November"), N_("December"),
	};
	int y, m, d;

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
		snprintf(buf, size, "%s", iso);
		return;
	}
	snprintf(buf, size, "%d %s %d", d, ui_app_tr(lr->app, months[m - 1]), y);
}

/* ---- the catalogue ---- */

static void on_course_tap(struct ui_widget *w, void *userdata);

static void
build_catalogue(struct learning *lr)
{
	size_t i;
	json_t *c;

	ui_widget_clear(lr->cat_box);
	json_array_foreach(lr->courses, i, c)
	{
		json_t *progress = json_object_get(c, "progress");
		bool allowed = json_is_true(json_object_get(c, "allowed"));
		struct ui_widget *b, *l;
		char id[48], detail[700];
		int n;

		snprintf(id, sizeof(id), "course-%zu", i);
		b = ui_widget_add(
		        lr->cat_box,
		        ui_button_new(jstr(c, "title"), allowed ? UI_ICON_BOOK : UI_ICON_LOCK));
		ui_widget_set_translate(b, false);
		ui_widget_set_id(b, id);
		ui_widget_set_on_click(b, on_course_tap, lr);
		ui_widget_set_min_size(b, 0, 14);
		if (allowed) {
			n = snprintf(
			        detail, sizeof(detail), "%s. %s %lld %s. %s %lld / %lld.",
			        level_words(lr, jstr(c, "level")), ui_app_tr(lr->app, N_("About")),
			        (long long)json_integer_value(json_object_get(c, "minutes")),
			        ui_app_tr(lr->app, N_("minutes")),
			        ui_app_tr(lr->app, N_("Pages read:")),
			        (long long)json_integer_value(
			                json_object_get(progress, "pages_read")),
			        (long long)json_integer_value(json_object_get(progress, "pages")));
			if (json_is_object(json_object_get(c, "certificate")) && n > 0 &&
			    (size_t)n < sizeof(detail))
				snprintf(detail + n, sizeof(detail) - (size_t)n, " %s",
				         ui_app_tr(lr->app, N_("You have a certificate.")));
		} else {
			snprintf(detail, sizeof(detail), "%s %s", ui_app_tr(lr->app, N_("Locked.")),
			         jstr(c, "reason"));
		}
		l = ui_widget_add(lr->cat_box, ui_label_new(detail));
		ui_widget_set_translate(l, false);
		snprintf(id, sizeof(id), "course-%zu-detail", i);
		ui_widget_set_id(l, id);
	}
	ui_label_set_text(lr->cat_message, json_array_size(lr->courses)
	                                           ? ""
	                                           : N_("There are no courses on this tablet yet. "
	                                                "Ask education staff."));
}

static void
on_catalogue(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct learning *lr = channel_get_data(ch);

	(void)userdata;
	if (!reply)
		return;
	if (reply->error) {
		ui_label_set_text(lr->cat_message, reply_words(reply));
		return;
	}
	json_decref(lr->courses);
	lr->courses = json_incref(json_object_get(reply->parameters, "courses"));
	build_catalogue(lr);
}

static void
load_catalogue(struct learning *lr)
{
	if (channel_call(lr->channel, "onward.Course.Catalogue", NULL, on_catalogue, NULL) < 0)
		ui_label_set_text(lr->cat_message, N_("Something went wrong. Please try again."));
}

void
learning_show_catalogue(struct learning *lr)
{
	ui_app_show_screen(lr->app, "catalogue");
	load_catalogue(lr);
}

static void
on_my_certificates(struct ui_widget *w, void *userdata)
{
	(void)w;
	certs_show(userdata, NULL);
}

static struct ui_widget *
build_catalogue_screen(struct learning *lr)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL), *w;

	ui_box_set_padding(col, UI_SPACE_LARGE);
	ui_title_row_add(col, NULL, NULL, NULL, ui_heading_new(N_("Learning")), "learning-title");
	w = ui_widget_add(col, ui_label_new(N_("Choose a course. Your place is saved as you go.")));
	ui_widget_set_id(w, "learning-help");
	w = ui_button_add(col, N_("My certificates"), UI_ICON_CERTIFICATE, "my-certificates",
	                  on_my_certificates, lr);
	ui_widget_set_min_size(w, 0, 14);
	lr->cat_message = ui_widget_add(col, ui_label_new(N_("Loading…")));
	ui_widget_set_id(lr->cat_message, "catalogue-message");
	lr->cat_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_set_id(lr->cat_box, "courses");
	return col;
}

/* ---- a course ---- */

static void on_continue(struct ui_widget *w, void *userdata);
static void on_module(struct ui_widget *w, void *userdata);
static void on_quiz(struct ui_widget *w, void *userdata);

static void
on_read_certificate(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;

	(void)w;
	certs_show(lr, jstr(json_object_get(lr->course, "certificate"), "id"));
}

static void
build_course(struct learning *lr)
{
	json_t *course = json_object_get(lr->course, "course");
	json_t *cert = json_object_get(lr->course, "certificate");
	size_t read = json_array_size(json_object_get(lr->course, "pages_read")), i;
	bool passed;
	struct ui_widget *w;
	char text[600], id[32];
	json_t *m;

	ui_label_set_text(lr->course_title, jstr(course, "title"));
	ui_widget_clear(lr->course_box);
	snprintf(text, sizeof(text), "%s. %s. %s %lld %s.", jstr(course, "provider"),
	         level_words(lr, jstr(course, "level")), ui_app_tr(lr->app, N_("About")),
	         (long long)json_integer_value(json_object_get(course, "minutes")),
	         ui_app_tr(lr->app, N_("minutes")));
	w = ui_widget_add(lr->course_box, ui_label_new(text));
	ui_widget_set_translate(w, false);
	ui_widget_set_id(w, "course-about");
	if (json_is_object(cert)) {
		char date[64];

		learning_date_words(lr, jstr(cert, "issued"), date, sizeof(date));
		snprintf(text, sizeof(text), "%s %s.",
		         ui_app_tr(lr->app, N_("Well done! You finished this course. Your "
		                               "certificate is saved. It was issued on")),
		         date);
		w = ui_widget_add(lr->course_box, ui_label_new(text));
		ui_widget_set_translate(w, false);
		ui_widget_set_id(w, "certificate");
		w = ui_button_add(lr->course_box, N_("Read my certificate"), UI_ICON_CERTIFICATE,
		                  "read-certificate", on_read_certificate, lr);
		ui_widget_set_min_size(w, 0, 14);
	}
	w = ui_button_add(
	        lr->course_box,
	        json_is_true(json_object_get(lr->course, "complete"))
	                ? N_("Read the course again")
	                : (read ? N_("Carry on where you left off") : N_("Start the course")),
	        UI_ICON_BOOK, "continue", on_continue, lr);
	ui_widget_set_min_size(w, 0, 14);
	json_array_foreach(json_object_get(lr->course, "modules"), i, m)
	{
		snprintf(text, sizeof(text), "%zu. %s", i + 1, jstr(m, "title"));
		w = ui_widget_add(lr->course_box, ui_button_new(text, UI_ICON_LIST));
		ui_widget_set_translate(w, false);
		snprintf(id, sizeof(id), "module-%zu", i);
		ui_widget_set_id(w, id);
		ui_widget_set_on_click(w, on_module, lr);
		if (json_is_string(json_object_get(m, "quiz"))) {
			snprintf(text, sizeof(text), "%s: %s", ui_app_tr(lr->app, N_("Quiz")),
			         jstr(m, "title"));
			passed = json_is_true(json_object_get(m, "quiz_passed"));
			if (passed)
				snprintf(text + strlen(text), sizeof(text) - strlen(text), " (%s)",
				         ui_app_tr(lr->app, N_("passed")));
			w = ui_widget_add(
			        lr->course_box,
			        ui_button_new(text, passed ? UI_ICON_CHECK : UI_ICON_QUIZ));
			ui_widget_set_translate(w, false);
			snprintf(id, sizeof(id), "quiz-%zu", i);
			ui_widget_set_id(w, id);
			ui_widget_set_on_click(w, on_quiz, lr);
		}
	}
}

/* The position of a page name in the course, from the Open reply's resume point. */
static void
resume_position(struct learning *lr, size_t *ret_module, size_t *ret_page)
{
	json_t *resume = json_object_get(lr->course, "resume");

	*ret_module = (size_t)json_integer_value(json_object_get(resume, "module_index"));
	*ret_page = (size_t)json_integer_value(json_object_get(resume, "page_index"));
	if (*ret_module >= learning_module_count(lr)) {
		*ret_module = 0;
		*ret_page = 0;
	}
}

static void
on_open(struct channel *ch, int status, struct client_reply *reply, void *userdata)
{
	struct learning *lr = channel_get_data(ch);
	bool go_on = userdata != NULL;

	if (!reply)
		return;
	if (reply->error) {
		learning_say(lr, reply_words(reply));
		ui_label_set_text(lr->course_message, reply_words(reply));
		return;
	}
	json_decref(lr->course);
	lr->course = json_incref(reply->parameters);
	build_course(lr);
	ui_label_set_text(lr->course_message, "");
	if (go_on) {
		size_t module, page;

		resume_position(lr, &module, &page);
		page_show(lr, module, page);
	} else if (strcmp(ui_app_get_screen(lr->app), "course") != 0) {
		ui_app_show_screen(lr->app, "course");
	}
}

/* Opens a course: straight to where the person left off (go_on) or to its screen. */
static void
open_course(struct learning *lr, const char *id, bool go_on)
{
	if (id != lr->course_id)
		snprintf(lr->course_id, sizeof(lr->course_id), "%s", id);
	if (channel_call(lr->channel, "onward.Course.Open", json_pack("{s:s}", "course", id),
	                 on_open, go_on ? lr : NULL) < 0)
		learning_say(lr, N_("Something went wrong. Please try again."));
}

void
learning_show_course(struct learning *lr)
{
	/* The reply brings progress and the certificate up to date, then shows the screen. */
	ui_app_show_screen(lr->app, "course");
	open_course(lr, lr->course_id, false);
}

static void
on_course_reason(struct ui_app *app, int button, void *userdata)
{
	(void)app;
	(void)button;
	(void)userdata;
}

static void
on_course_tap(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;
	static const char *const ok[] = {N_("OK")};
	size_t i = (size_t)strtoul(ui_widget_get_id(w) + 7, NULL, 10);
	json_t *c = json_array_get(lr->courses, i);

	if (!c)
		return;
	if (!json_is_true(json_object_get(c, "allowed"))) {
		ui_app_show_dialog(lr->app, jstr(c, "reason"), ok, 1, on_course_reason, lr);
		return;
	}
	page_reset(lr);
	quiz_reset(lr);
	json_decref(lr->course);
	lr->course = NULL;
	ui_label_set_text(lr->course_title, jstr(c, "title"));
	ui_widget_clear(lr->course_box);
	ui_label_set_text(lr->course_message, N_("Loading…"));
	ui_app_show_screen(lr->app, "course");
	open_course(lr, jstr(c, "id"), false);
}

static void
on_continue(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;
	size_t module, page;

	(void)w;
	if (!lr->course)
		return;
	resume_position(lr, &module, &page);
	page_show(lr, module, page);
}

static void
on_module(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;

	page_show(lr, (size_t)strtoul(ui_widget_get_id(w) + 7, NULL, 10), 0);
}

static void
on_quiz(struct ui_widget *w, void *userdata)
{
	struct learning *lr = userdata;

	quiz_show(lr, (size_t)strtoul(ui_widget_get_id(w) + 5, NULL, 10));
}

static void
on_courses(struct ui_widget *w, void *userdata)
{
	(void)w;
	learning_show_catalogue(userdata);
}

static struct ui_widget *
build_course_screen(struct learning *lr)
{
	struct ui_widget *col = ui_box_new(UI_VERTICAL);

	ui_box_set_padding(col, UI_SPACE_LARGE);
	lr->course_title = ui_title_row_add(col, "course-back", on_courses, lr, ui_heading_new(""),
	                                    "course-title");
	ui_widget_set_translate(lr->course_title, false);
	lr->course_message = ui_widget_add(col, ui_label_new(""));
	ui_widget_set_id(lr->course_message, "course-message");
	ui_widget_set_translate(lr->course_message, false);
	lr->course_box = ui_widget_add(col, ui_box_new(UI_VERTICAL));
	ui_widget_set_id(lr->course_box, "course");
	return col;
}

/* ---- start-up ---- */

static int
start(struct ui_app *ui, struct channel *ch, void *data)
{
	struct learning *lr = data;
	int r;

	lr->app = ui;
	lr->channel = ch;
	if ((r = ui_app_add_screen(lr->app, "catalogue", build_catalogue_screen(lr))) < 0 ||
	    (r = ui_app_add_screen(lr->app, "course", build_course_screen(lr))) < 0 ||
	    (r = ui_app_add_screen(lr->app, "page", page_build_screen(lr))) < 0 ||
	    (r = ui_app_add_screen(lr->app, "quiz", quiz_build_screen(lr))) < 0 ||
	    (r = ui_app_add_screen(lr->app, "certificates", certs_build_list_screen(lr))) < 0 ||
	    (r = ui_app_add_screen(lr->app, "certificate", certs_build_screen(lr))) < 0)
		return r;
	if (ch) {
		channel_set_data(ch, lr);
		load_catalogue(lr);
	}
	return 0;
}

static void
stop(int reason, void *data)
{
	struct learning *lr = data;

	if (reason == -EBADF)
		ui_label_set_text(lr->cat_message, N_("Open Learning from the home screen."));
	else
		learning_channel_down(lr);
}

static void
release(void *data)
{
	struct learning *lr = data;

	page_reset(lr);
	quiz_reset(lr);
	json_decref(lr->courses);
	json_decref(lr->course);
	json_decref(lr->certs);
	json_decref(lr->certs_owner);
}

static const struct onward_app learning_app = {
        .name = "onward-app-learning",
        .title = "Onward Learning",
        .about = "The Learning app: courses, pages, quizzes and certificates.\n",
        .start = start,
        .stop = stop,
        .release = release,
};

ONWARD_APP_MAIN(learning_app, struct learning)
