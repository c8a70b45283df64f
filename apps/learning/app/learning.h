/*
 * onward-app-learning: what its files share. main.c describes the app to
 * onward_app_main() and owns the catalogue and course screens; page.c draws a course page
 * from the daemon's blocks (headings, paragraphs, lists, pictures) with Previous and Next,
 * and saves the place after every page; quiz.c asks a module's questions and shows how the
 * person did; certs.c lists the person's certificates and shows one to read.
 *
 * Everything here runs on the UI thread, and talks to the daemon on the channel
 * (services/client/channel.h) without ever blocking it; a reply's callback finds the app
 * through channel_get_data(). Replies come back in the order calls were made; a screen's
 * generation number tells a late reply that the person has moved on.
 */
#ifndef ONWARD_APP_LEARNING_H
#define ONWARD_APP_LEARNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <onward/app.h>

#define LEARNING_QUESTIONS_MAX 100
#define LEARNING_OPTIONS_MAX 8
#define LEARNING_IMAGES_MAX 16
#define LEARNING_IMAGE_MAX (16u << 20) /* the pack format's largest file */

/* A picture being fetched in pieces for the page shown. */
struct image_fetch {
	unsigned gen; /* the page it is for */
	char name[129];
	char caption[400]; /* "Picture: " and its words */
	uint8_t *data; /* owned */
	size_t size, got;
	struct ui_widget *slot; /* borrowed: where the picture goes on the page */
};

struct quiz_question {
	bool choice;
	size_t n_options;
	struct ui_widget *options[LEARNING_OPTIONS_MAX]; /* radios, borrowed */
	struct ui_widget *field; /* short answers, borrowed */
	struct ui_widget *feedback; /* borrowed */
	struct ui_widget *why, *why_row; /* the right answer and why, once marked; borrowed */
	int chosen; /* option index, -1 for none */
};

struct learning {
	struct ui_app *app; /* borrowed from onward_app_main() */
	struct channel *channel; /* borrowed from onward_app_main(); NULL without one */
	bool down; /* the channel has gone */

	/* catalogue */
	json_t *courses; /* owned: the catalogue's courses */
	struct ui_widget *cat_box, *cat_message; /* borrowed from the screen */

	/* a course */
	json_t *course; /* owned: onward.Course.Open's reply */
	char course_id[65];
	struct ui_widget *course_title, *course_box, *course_message;

	/* the page shown */
	size_t module, page; /* position in the course */
	unsigned page_gen;
	struct ui_widget *page_where, *page_box, *page_message, *prev, *next;
	struct image_fetch images[LEARNING_IMAGES_MAX];
	size_t n_images;

	/* the quiz shown */
	json_t *quiz; /* owned: onward.Course.Quiz's reply */
	unsigned quiz_gen;
	size_t quiz_module;
	struct ui_widget *quiz_title, *quiz_box, *quiz_result, *quiz_check, *quiz_next;
	struct quiz_question questions[LEARNING_QUESTIONS_MAX];
	size_t n_questions;
	bool quiz_passed;

	/* my certificates */
	json_t *certs; /* owned: onward.Course.Certificates' list, newest first */
	json_t *certs_owner; /* owned: its reply, for the person's name */
	struct ui_widget *certs_box, *certs_message, *cert_text, *cert_number;
};

/* ---- main.c ---- */

/* Shows a message in a banner (a message id, or the daemon's words). */
void learning_say(struct learning *lr, const char *text);
/* Calls and shows the course screen again (after a page or a quiz). */
void learning_show_course(struct learning *lr);
/* The course's module i from the Open reply (borrowed), or NULL. */
json_t *learning_module(struct learning *lr, size_t i);
size_t learning_module_count(struct learning *lr);
/* "2026-11-23T10:00:00Z" as "23 November 2026", in the person's language. */
void learning_date_words(struct learning *lr, const char *iso, char *buf, size_t size);
/* Shows the catalogue and asks for it again. */
void learning_show_catalogue(struct learning *lr);

/* ---- page.c ---- */

struct ui_widget *page_build_screen(struct learning *lr);
/* Shows page `page` of module `module`, fetching it and saving the place. */
void page_show(struct learning *lr, size_t module, size_t page);
/* Forgets pictures in flight (a new course). */
void page_reset(struct learning *lr);

/* ---- quiz.c ---- */

struct ui_widget *quiz_build_screen(struct learning *lr);
/* Shows the quiz of module `module`. */
void quiz_show(struct learning *lr, size_t module);
void quiz_reset(struct learning *lr);

/* ---- certs.c ---- */

struct ui_widget *certs_build_list_screen(struct learning *lr);
struct ui_widget *certs_build_screen(struct learning *lr);
/* Shows My certificates, asking the daemon for them; with `open_id`, that certificate. */
void certs_show(struct learning *lr, const char *open_id);

#endif
