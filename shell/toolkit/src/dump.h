/*
 * What the script driver and tests see: the widget tree written as JSON (every layer,
 * every widget with its type, id, shown text, rectangle, visibility and state, list rows
 * and keyboard keys as children), the frame written as PNG, and the text search that
 * `tap "text"`, `expect` and `wait-for` use. A tiny JSON writer lives here too.
 */
#ifndef ONWARD_UI_DUMP_H
#define ONWARD_UI_DUMP_H

#include <stdbool.h>
#include <stdio.h>

#include <SDL.h>

struct ui_app;
struct ui_widget;

#define JSON_MAX_DEPTH 64

struct json {
	FILE *f; /* borrowed */
	int depth;
	bool first[JSON_MAX_DEPTH]; /* no member written yet at this depth */
};

void json_open(struct json *j, FILE *f);
void json_object_begin(struct json *j, const char *key); /* key NULL inside arrays */
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_key_str(struct json *j, const char *key, const char *s); /* s NULL: null */
void json_key_int(struct json *j, const char *key, long v);
void json_key_bool(struct json *j, const char *key, bool v);
void json_key_rect(struct json *j, const char *key, const SDL_Rect *rc);

/* What a text search found: a widget, or one of its items (item >= 0). */
struct dump_hit {
	struct ui_widget *w;
	long item;
	SDL_Rect rect;
};

enum dump_match {
	DUMP_EXACT, /* the shown text equals the query */
	DUMP_CONTAINS, /* the shown text contains it */
};

/* Finds a shown, on-screen widget or item whose text matches, topmost layer first; with
 * `tappable` only what takes taps (and, with a dialog open, only inside it). */
bool dump_find_text(struct ui_app *app, const char *text, enum dump_match match, bool tappable,
                    struct dump_hit *ret_hit);
/* Finds a shown widget or item by id. */
bool dump_find_id(struct ui_app *app, const char *id, struct dump_hit *ret_hit);

int dump_write(struct ui_app *app, const char *path);
int dump_screenshot(struct ui_app *app, const char *path);

#endif
