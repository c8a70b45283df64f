/*
 * Themes and metrics: the colours of the normal and high-contrast themes, and every size
 * the toolkit uses (font sizes, spacing steps, the 9 mm touch target, outlines), worked
 * out from the display's DPI and the text-size step. Widgets ask for sizes here rather
 * than using pixel constants, which is what makes a screen reflow when a setting changes.
 */
#ifndef ONWARD_UI_THEME_H
#define ONWARD_UI_THEME_H

#include <SDL.h>

#include "onward/ui.h"

#define THEME_DEFAULT_DPI 150.0 /* a 10" 1280x800 tablet: 1509 px across 10 inches */
#define THEME_TARGET_MM 9.0 /* the smallest thing a finger must hit */

enum font_role {
	FONT_BODY, /* labels, list rows, fields */
	FONT_SMALL, /* list details, status bar */
	FONT_HEADING, /* bold, larger */
	FONT_BUTTON, /* bold body size */
	FONT_KEY, /* on-screen keyboard letters */
	FONT_PIN, /* PIN pad digits, big */
	FONT_ROLE_COUNT
};

struct theme_colors {
	SDL_Color bg; /* screen background */
	SDL_Color surface; /* buttons, tiles, fields, rows */
	SDL_Color text;
	SDL_Color muted; /* hints, details */
	SDL_Color accent; /* primary buttons, selection, focus of fields */
	SDL_Color on_accent; /* text on accent */
	SDL_Color border;
	SDL_Color pressed; /* surface while a finger is down */
	SDL_Color focus; /* keyboard focus ring */
	SDL_Color locked; /* locked tile surface */
	SDL_Color on_locked;
	SDL_Color badge;
	SDL_Color on_badge;
	SDL_Color scrim; /* behind a dialog */
	SDL_Color banner;
	SDL_Color on_banner;
	SDL_Color bar; /* status bar */
	SDL_Color on_bar;
	SDL_Color key; /* on-screen keyboard */
	SDL_Color key_special;
	SDL_Color kb_bg;
};

struct metrics {
	double dpi;
	double scale; /* text-size factor: 1, 1.25, 1.5 */
	int font_px[FONT_ROLE_COUNT]; /* pixel heights for TTF_OpenFont */
	int space[4]; /* indexed by enum ui_space */
	int target; /* 9 mm */
	int border; /* outline width */
	int focus; /* focus ring width */
	int radius; /* corner radius */
	int icon; /* icon size in buttons */
	int tile_icon; /* icon size in tiles */
	int tap_slop; /* movement that turns a tap into a drag */
};

/* Millimetres to pixels at `dpi`, rounded, at least 1 for any positive size. */
int theme_mm(double dpi, double mm);

void theme_colors_get(enum ui_theme theme, struct theme_colors *ret_colors);
void theme_metrics_compute(double dpi, enum ui_text_size size, enum ui_theme theme,
                           struct metrics *ret_metrics);

/* The names used in dumps and options. */
const char *theme_name(enum ui_theme theme);
const char *theme_text_size_name(enum ui_text_size size);

#endif
