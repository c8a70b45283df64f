/*
 * The on-screen keyboards: the key layouts (letters, accented letters, numbers, PIN pad), where
 * each key goes in a given area, and what a key press does to a text field's buffer. The widget
 * that draws them and takes taps is in keyboard.c too; this header is the part without
 * SDL events, for the unit tests.
 */
#ifndef ONWARD_UI_KEYBOARD_H
#define ONWARD_UI_KEYBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "onward/ui.h"
#include "textedit.h"

enum key_action {
	KEY_CHAR, /* types its label (upper case with shift) */
	KEY_SPACE,
	KEY_SHIFT,
	KEY_BACKSPACE,
	KEY_ENTER,
	KEY_TO_NUMBERS,
	KEY_TO_LETTERS,
	KEY_TO_ACCENTS,
};

struct key_def {
	const char *label; /* what it types or shows; NULL ends a row */
	const char *name; /* id suffix: "q", "shift", "space" */
	enum key_action action;
	float units; /* width in key units */
};

struct key_place {
	const struct key_def *def; /* borrowed from the static layouts */
	SDL_Rect rect;
};

#define KEYBOARD_MAX_KEYS 48

enum shift_state {
	SHIFT_OFF,
	SHIFT_ONCE, /* the next letter only */
	SHIFT_LOCK,
};

struct kb_state {
	enum ui_keyboard_mode mode;
	enum shift_state shift;
};

enum kb_result {
	KB_NOTHING,
	KB_EDITED, /* the text changed */
	KB_REFUSED, /* the field did not take it (full, wrong kind) */
	KB_ENTER,
	KB_RELAYOUT, /* mode or shift changed: redraw the keys */
};

/* Places the keys of `mode` in `area` with `gap` pixels between them; returns how many
 * (at most `cap`). Rows share the height; a row's keys are sized by their units and the
 * row is centred. */
size_t keyboard_layout(enum ui_keyboard_mode mode, const SDL_Rect *area, int gap,
                       struct key_place *ret, size_t cap);

/* The number of rows and of key units in the widest row of `mode`. */
void keyboard_grid(enum ui_keyboard_mode mode, int *ret_rows, float *ret_units);

/* The key whose rectangle holds (x, y), or -1. */
int keyboard_key_at(const struct key_place *keys, size_t n, int x, int y);

/* Applies a press of `key` to `te` (NULL: no field) and the keyboard state. */
enum kb_result keyboard_press(struct kb_state *st, const struct key_def *key, struct textedit *te);

/* The text a key shows in state `st` ("Q" with shift), into out. */
void keyboard_key_label(const struct kb_state *st, const struct key_def *key, char *out,
                        size_t out_size);

#endif
