/*
 * The toolkit's central internal header, shared by its .c files and nothing else: the
 * widget struct and the class table each kind of widget fills in, and struct ui_app,
 * which holds the window, the look (theme, metrics, fonts), the screens and overlay
 * layers, input state, timers, speech and the script driver. Read this after ui.h.
 */
#ifndef ONWARD_UI_INT_H
#define ONWARD_UI_INT_H

#include <stdbool.h>
#include <stdio.h>

#include <SDL.h>

#include "onward/ui.h"
#include "font.h"
#include "scroll.h"
#include "theme.h"
#include "wrap.h"

struct speech;
struct script_run;
struct watcher;
struct json;

/* A part of a widget that is not a widget itself but that scripts and dumps see: a list
 * row or an on-screen key. */
struct widget_item {
	const char *type; /* "row", "key" */
	char id[48]; /* "" when none */
	char text[256]; /* shown text, cut to fit */
	char detail[256]; /* a list row's second line; "" when none */
	SDL_Rect rect;
	long index;
	bool checked; /* a latched shift key */
};

struct widget_class {
	const char *type; /* the name in dumps: "label", "button", ... */
	bool focusable; /* takes keyboard focus (Tab) */
	bool interactive; /* takes taps even without an on_click */
	bool container; /* ui_widget_add() accepted */
	/* Preferred size for at most `avail_w` pixels of width. */
	void (*measure)(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h);
	/* w->rect is set: place the children (containers) or prepare drawing. */
	void (*arrange)(struct ui_widget *w);
	/* Draws the widget; containers draw their children through widget_render(). */
	void (*render)(struct ui_widget *w, SDL_Renderer *r);
	/* What is under window point (x, y) before the children are asked, when something is
	 * drawn over them (a screen's title row); NULL: the children, in order. */
	struct ui_widget *(*hit)(struct ui_widget *w, int x, int y);
	/* A tap at window point (x, y); NULL: call on_click. */
	void (*tap)(struct ui_widget *w, int x, int y);
	/* Finger down (true) or gone (false) at (x, y): pressed look for parts. */
	void (*press)(struct ui_widget *w, int x, int y, bool down);
	/* A key or text event while focused; true when used. */
	bool (*key)(struct ui_widget *w, const SDL_Event *e);
	/* Virtual children (rows, keys) for dumps, scripts and read-aloud. */
	size_t (*n_items)(struct ui_widget *w);
	bool (*get_item)(struct ui_widget *w, size_t i, struct widget_item *ret_item);
	/* Writes class-specific members into the open "state" object of a dump. */
	void (*dump)(struct ui_widget *w, struct json *j);
	/* Fonts, theme or language changed: forget anything derived from them. */
	void (*restyle)(struct ui_widget *w);
	/* Frees the class data (children are freed by widget.c). */
	void (*destroy)(struct ui_widget *w);
};

struct ui_widget {
	const struct widget_class *cls;
	struct ui_app *app; /* borrowed; NULL until the screen is added */
	struct ui_widget *parent; /* borrowed; NULL for a root */
	struct ui_widget **children; /* owned, each child too */
	size_t n_children;
	size_t cap_children;
	bool alloc_failed; /* a NULL child was added somewhere below */
	char *id; /* owned; NULL when none */
	char *text; /* owned; a message id or literal; NULL when none */
	bool translate; /* text is a message id */
	bool visible;
	bool enabled;
	bool pressed; /* a finger is down on it */
	bool checked; /* toggles, choice options */
	bool head; /* a title row (ui_title_row_add): stays at the top while its screen scrolls */
	int expand; /* share of spare space in a box */
	enum ui_align align;
	double min_w_mm;
	double min_h_mm;
	enum ui_space spacing; /* boxes, grids */
	enum ui_space padding; /* boxes */
	SDL_Rect rect; /* set by layout, window pixels */
	ui_click_fn on_click;
	void *click_data; /* borrowed: the caller's */
	enum ui_icon icon;
	SDL_Surface *icon_surface; /* owned; from ui_widget_set_icon_file() */
	SDL_Texture *icon_texture; /* owned; made from icon_surface when drawn */
	struct scroll *scroll; /* owned; scrollable widgets only */
	void *data; /* owned by the class */
};

#define APP_MAX_SCREENS 32
#define APP_HISTORY 16
#define APP_MAX_TIMERS 64
#define APP_MAX_CLIP 8
#define APP_MAX_FLING 8
#define APP_GRAVEYARD 8
#define APP_LONG_PRESS_MS 700

struct app_screen {
	char *name; /* owned */
	struct ui_widget *frame; /* owned: a "screen" widget holding the caller's root */
};

struct app_timer {
	unsigned id;
	Uint32 due; /* SDL_GetTicks() time */
	ui_task_fn fn;
	void *userdata; /* borrowed: the caller's */
};

/* One finger (or the left mouse button) from down to up. */
struct gesture {
	bool down;
	bool touch; /* from a finger, not the mouse */
	SDL_FingerID finger;
	int x0, y0; /* where it went down */
	int x, y;
	Uint32 t0;
	struct ui_widget *target; /* borrowed: what a tap would activate */
	struct ui_widget *scroller; /* borrowed: what a drag would scroll */
	bool dragging;
	bool long_pressed;
};

struct ui_app {
	SDL_Window *window; /* owned */
	SDL_Renderer *renderer; /* owned */
	int win_w, win_h;
	Uint32 task_event; /* registered SDL event type for ui_app_post() */
	bool sdl_video, sdl_ttf, sdl_img;

	double dpi;
	enum ui_theme theme;
	enum ui_text_size text_size;
	struct theme_colors colors;
	struct metrics m;
	struct fonts *fonts; /* owned */
	struct text_cache *texts; /* owned */

	char language[16];
	char *domain; /* owned: gettext domain for widget texts */
	bool read_aloud;
	bool allow_quit;

	struct app_screen screens[APP_MAX_SCREENS];
	size_t n_screens;
	int current; /* index into screens, -1 before the first */
	int history[APP_HISTORY];
	int n_history;

	struct ui_widget *status; /* owned: status bar layer */
	bool status_shown;
	unsigned status_clock_timer; /* the status bar's minute; 0 before the clock shows */
	ui_click_fn home_fn; /* an app's way home (ui_app_set_home); NULL in the shell */
	void *home_data; /* borrowed: the caller's */
	struct ui_widget *banner; /* owned; NULL when none */
	ui_click_fn banner_fn; /* a plain banner's tap */
	ui_dialog_fn banner_button_fn; /* a banner with buttons: which was tapped */
	void *banner_data; /* borrowed: the caller's */
	unsigned banner_timer;
	struct ui_widget *dialog; /* owned; NULL when none */
	ui_dialog_fn dialog_fn;
	void *dialog_data; /* borrowed: the caller's */
	struct ui_widget *keyboard; /* owned: the pop-up keyboard */
	bool keyboard_shown;
	struct ui_widget *graveyard[APP_GRAVEYARD]; /* owned: freed at the end of a step */
	size_t n_graveyard;
	SDL_Rect status_area, screen_area, keyboard_area;

	struct ui_widget *focus; /* borrowed: from a screen or layer */
	struct gesture g;
	struct ui_widget *fling[APP_MAX_FLING]; /* borrowed: widgets whose scroll moves */
	size_t n_fling;
	Uint64 last_anim; /* SDL_GetPerformanceCounter() of the last step */
	SDL_Rect clip[APP_MAX_CLIP];
	int n_clip;

	struct app_timer timers[APP_MAX_TIMERS];
	size_t n_timers;
	unsigned next_timer_id;

	struct watcher *watcher; /* owned; NULL until the first ui_app_watch_fd() */
	Uint32 last_input; /* SDL_GetTicks() of the last touch, click or key */

	struct speech *speech; /* owned; NULL when it could not start */
	char last_spoken[4096]; /* what was last given to speech, for dumps */
	struct script_run *script; /* owned; NULL without --script */

	bool layout_dirty;
	/* Bring the focused widget into view at the next layout: set when focus moves, the
	 * keyboard comes or goes, or the person types. Not when they scroll: a screen they
	 * drag away from its focused button must stay where they put it. */
	bool reveal_focus;
	bool keyboard_was_shown; /* at the last layout */
	bool redraw;
	bool quit;
	int status_code;
	bool first_frame_done;
	char *first_frame_path; /* owned */
	char error[256];
	unsigned long frames;
};

/* widget.c */
struct ui_widget *widget_new(const struct widget_class *cls, size_t data_size);
void widget_attach(struct ui_widget *w, struct ui_app *app);
const char *widget_text(const struct ui_widget *w);
void widget_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h);
void widget_set_rect(struct ui_widget *w, const SDL_Rect *rc);
void widget_render(struct ui_widget *w, SDL_Renderer *r);
void widget_render_children(struct ui_widget *w, SDL_Renderer *r);
void widget_relayout(struct ui_widget *w);
void widget_redraw(struct ui_widget *w);
void widget_restyle_tree(struct ui_widget *w);
struct ui_widget *widget_hit(struct ui_widget *w, int x, int y);
bool widget_is_shown(const struct ui_widget *w);
void widget_click(struct ui_widget *w);
bool widget_has_class(const struct ui_widget *w, const struct widget_class *cls);
int widget_min_w(const struct ui_widget *w);
int widget_min_h(const struct ui_widget *w);
void widget_draw_icon(struct ui_widget *w, SDL_Renderer *r, const SDL_Rect *box, SDL_Color fg,
                      SDL_Color bg);
/* Draws s[0..len) with its top-left at (x, y); returns its width. */
int app_draw_text(struct ui_app *app, enum font_role role, SDL_Color c, const char *s, size_t len,
                  int x, int y);
void app_draw_focus(struct ui_app *app, const SDL_Rect *rc);

/* layout.c: the container classes */
extern const struct widget_class box_class;
extern const struct widget_class grid_class;
extern const struct widget_class spacer_class;

/* label.c: wrapped text that any widget can embed */
struct textblock {
	struct wrap_line *lines; /* owned */
	size_t n_lines;
	char *text; /* owned: the text wrapped */
	int width; /* the width it was wrapped at; -1: never */
	TTF_Font *font; /* borrowed: identity of the font used */
	int line_h;
	int text_w; /* the widest line */
};
void textblock_wrap(struct textblock *tb, struct ui_app *app, enum font_role role, const char *text,
                    int width);
int textblock_height(const struct textblock *tb);
void textblock_draw(const struct textblock *tb, struct ui_app *app, enum font_role role,
                    SDL_Color c, const SDL_Rect *box, enum ui_align align);
void textblock_free(struct textblock *tb);

/* label.c */
extern const struct widget_class label_class;
extern const struct widget_class heading_class;
extern const struct widget_class paragraph_class;
int label_line_count(const struct ui_widget *w);

/* button.c */
extern const struct widget_class button_class;
extern const struct widget_class speak_button_class;
/* Home and Back in a title row (button.c): one size for both. */
extern const struct widget_class nav_button_class;
extern const struct widget_class nav_home_class;
/* A Home button joining an app: shown, and going home, only when the app has a way home. */
void nav_home_attach(struct ui_widget *w, struct ui_app *app);
extern const struct widget_class tile_class;
extern const struct widget_class toggle_class;
extern const struct widget_class radio_class;
extern const struct widget_class choice_class;
extern const struct widget_class option_class;

/* list.c */
extern const struct widget_class list_class;

/* field.c */
extern const struct widget_class field_class;
struct textedit *field_edit(struct ui_widget *field);
void field_changed(struct ui_widget *field);
void field_submit(struct ui_widget *field);
enum ui_keyboard_mode field_keyboard(const struct ui_widget *field);
const char *field_shown_text(const struct ui_widget *field);

/* keyboard.c */
extern const struct widget_class keyboard_class;
struct ui_widget *keyboard_new_popup(void);
void keyboard_set_mode(struct ui_widget *kb, enum ui_keyboard_mode mode);

/* overlay.c: status bar, banner, dialog, the screen frame */
extern const struct widget_class screen_class;
/* Where a screen's content shows from: under its title row when that is pinned. */
int screen_content_top(const struct ui_widget *screen);
extern const struct widget_class image_class;
struct ui_widget *screen_new(struct ui_widget *root);
extern const struct widget_class status_class;
extern const struct widget_class banner_class;
extern const struct widget_class dialog_class;
struct ui_widget *status_bar_new(void);
int status_bar_set(struct ui_widget *bar, const char *left, const char *centre, const char *right);
/* One of the three texts (0 left, 1 centre, 2 right); NULL or "" clears it. */
int status_bar_set_text(struct ui_widget *bar, int i, const char *text);
/* A banner's widget: text (a message id), its icon, and 0 to 3 buttons ("banner.N"), each
 * calling on_button, with a speaker button when there are any. */
struct ui_widget *banner_new(const char *text, enum ui_icon icon, const char *const buttons[],
                             size_t n, ui_click_fn on_button);
struct ui_widget *dialog_new(const char *message, const char *const buttons[], size_t n,
                             ui_click_fn on_button, void *userdata);
void app_layout(struct ui_app *app);
void app_render(struct ui_app *app);

/* app.c */
void app_forget_widget(struct ui_app *app, struct ui_widget *w);
void app_start_fling(struct ui_app *app, struct ui_widget *w);
void app_push_clip(struct ui_app *app, const SDL_Rect *rc);
void app_pop_clip(struct ui_app *app);
const SDL_Rect *app_clip(const struct ui_app *app);
void app_bury(struct ui_app *app, struct ui_widget *w);
struct ui_widget *app_current_root(struct ui_app *app);
void app_set_error(struct ui_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_show_locked_reason(struct ui_app *app, struct ui_widget *tile, const char *reason);

/* watch.c */
void watcher_free(struct watcher *w);

/* input.c */
void input_handle(struct ui_app *app, const SDL_Event *e);
void input_tick(struct ui_app *app);
void input_focus_next(struct ui_app *app, bool backwards);
/* The layers in the order input meets them: the topmost first; returns how many. */
size_t input_layers(struct ui_app *app, struct ui_widget *ret[5]);

#endif
