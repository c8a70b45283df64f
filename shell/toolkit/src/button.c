/*
 * The things a finger presses: buttons (text with an optional icon), round speaker
 * buttons, home-screen tiles (icon over text, with a lock and a reason, or a badge
 * count), toggles, and choices (one-of-n option buttons that sit in a row when they fit
 * and stack when they do not). All are at least the 9 mm touch target in both sizes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "dump.h"
#include "layout.h"
#include "ui_int.h"

struct button {
	struct textblock tb; /* owned */
	char *reason; /* owned: tiles; the lock reason, a message id */
	bool locked; /* tiles */
	unsigned badge; /* tiles */
	struct ui_widget *target; /* speak buttons: borrowed, what to read */
	size_t selected; /* choices */
};

static int
pad_x(const struct ui_app *app)
{
	return app->m.space[UI_SPACE_LARGE];
}

static int
pad_y(const struct ui_app *app)
{
	return app->m.space[UI_SPACE_SMALL] * 2;
}

static void
button_restyle(struct ui_widget *w)
{
	textblock_free(&((struct button *)w->data)->tb);
}

static void
button_destroy(struct ui_widget *w)
{
	struct button *b = w->data;

	textblock_free(&b->tb);
	free(b->reason);
}

static SDL_Color
fill_color(const struct ui_widget *w, SDL_Color normal)
{
	const struct theme_colors *c = &w->app->colors;

	if (w->pressed)
		return c->pressed;
	return normal;
}

/* ---- button ---- */

static void
button_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct button *b = w->data;
	struct ui_app *app = w->app;
	int icon = w->icon != UI_ICON_NONE || w->icon_surface ? app->m.icon : 0;
	int gap = icon ? app->m.space[UI_SPACE_MEDIUM] : 0;
	int text_avail = avail_w - 2 * pad_x(app) - icon - gap;
	int h;

	textblock_wrap(&b->tb, app, FONT_BUTTON, widget_text(w), text_avail);
	*ret_w = 2 * pad_x(app) + icon + gap + b->tb.text_w;
	if (*ret_w < app->m.target)
		*ret_w = app->m.target;
	h = textblock_height(&b->tb);
	if (icon > h)
		h = icon;
	*ret_h = h + 2 * pad_y(app);
	if (*ret_h < app->m.target)
		*ret_h = app->m.target;
}

/* Draws icon and text centred in the inner box, in `fg`. */
static void
draw_content(struct ui_widget *w, SDL_Renderer *r, SDL_Color fg, SDL_Color bg)
{
	struct button *b = w->data;
	struct ui_app *app = w->app;
	int icon = w->icon != UI_ICON_NONE || w->icon_surface ? app->m.icon : 0;
	int gap = icon ? app->m.space[UI_SPACE_MEDIUM] : 0;
	int text_avail = w->rect.w - 2 * pad_x(app) - icon - gap, th, total, x;

	textblock_wrap(&b->tb, app, FONT_BUTTON, widget_text(w), text_avail);
	th = textblock_height(&b->tb);
	total = icon + gap + b->tb.text_w;
	x = w->rect.x + (w->rect.w - total) / 2;
	if (icon) {
		SDL_Rect ib = {x, w->rect.y + (w->rect.h - icon) / 2, icon, icon};

		widget_draw_icon(w, r, &ib, fg, bg);
		x += icon + gap;
	}
	textblock_draw(&b->tb, app, FONT_BUTTON, fg,
	               &(SDL_Rect){x, w->rect.y + (w->rect.h - th) / 2, b->tb.text_w, th},
	               UI_ALIGN_CENTER);
}

static void
button_render(struct ui_widget *w, SDL_Renderer *r)
{
	const struct theme_colors *c = &w->app->colors;
	const struct metrics *m = &w->app->m;
	SDL_Color fill = w->enabled ? fill_color(w, c->accent) : c->locked;
	SDL_Color fg = w->pressed ? c->text : w->enabled ? c->on_accent : c->on_locked;

	draw_box(r, &w->rect, m->radius, m->border, fill, w->enabled ? c->border : c->locked);
	draw_content(w, r, fg, fill);
}

const struct widget_class button_class = {
        .type = "button",
        .focusable = true,
        .interactive = true,
        .measure = button_measure,
        .render = button_render,
        .restyle = button_restyle,
        .destroy = button_destroy,
};

static struct ui_widget *
button_new(const struct widget_class *cls, const char *text, enum ui_icon icon)
{
	struct ui_widget *w = widget_new(cls, sizeof(struct button));

	if (!w)
		return NULL;
	((struct button *)w->data)->tb.width = -1;
	w->icon = (unsigned)icon < UI_ICON_COUNT_ ? icon : UI_ICON_NONE;
	if (text && ui_widget_set_text(w, text) < 0) {
		ui_widget_free(w);
		return NULL;
	}
	return w;
}

struct ui_widget *
ui_button_new(const char *text, enum ui_icon icon)
{
	return button_new(&button_class, text, icon);
}

/* ---- speak button ---- */

static void
speak_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	*ret_w = *ret_h = w->app->m.target;
}

static void
speak_render(struct ui_widget *w, SDL_Renderer *r)
{
	const struct theme_colors *c = &w->app->colors;
	int d = w->rect.w < w->rect.h ? w->rect.w : w->rect.h;
	float cx = w->rect.x + w->rect.w / 2.0f, cy = w->rect.y + w->rect.h / 2.0f;
	SDL_Color fill = fill_color(w, c->surface);
	int icon = d * 3 / 5;

	draw_circle(r, cx, cy, d / 2.0f, c->border);
	draw_circle(r, cx, cy, d / 2.0f - w->app->m.border, fill);
	draw_icon(r, UI_ICON_SPEAKER,
	          &(SDL_Rect){(int)cx - icon / 2, (int)cy - icon / 2, icon, icon}, c->text, fill);
}

/*
 * One speaker button reads one section of a screen: its own text (the title, a message's
 * sender) and then every label, heading and paragraph after the button, in reading order,
 * up to the next speaker button, which starts the next section. So a screen has one
 * button per section, not one per line.
 */
#define SECTION_SPEECH_MAX 4096

struct section {
	const struct ui_widget *speaker, *target;
	bool started, done;
	char text[SECTION_SPEECH_MAX];
	size_t len;
};

static void
section_add(struct section *s, const char *text)
{
	int n;

	if (!text[0] || s->len >= sizeof(s->text) - 1)
		return;
	n = snprintf(s->text + s->len, sizeof(s->text) - s->len, "%s%s", s->len ? "\n" : "", text);
	if (n < 0)
		return;
	s->len += (size_t)n;
	if (s->len > sizeof(s->text) - 1)
		s->len = sizeof(s->text) - 1; /* cut: what fits is read */
}

static void
section_walk(const struct ui_widget *w, struct section *s)
{
	if (s->done || !w->visible)
		return;
	if (w == s->speaker) {
		s->started = true;
		return;
	}
	if (w->cls == &speak_button_class) {
		s->done = s->started;
		return;
	}
	/* Words, and the answers a person can pick (a quiz's radios, a switch's label). */
	if (s->started && w != s->target &&
	    (w->cls == &label_class || w->cls == &heading_class || w->cls == &paragraph_class ||
	     w->cls == &radio_class || w->cls == &toggle_class))
		section_add(s, widget_text(w));
	for (size_t i = 0; i < w->n_children && !s->done; i++)
		section_walk(w->children[i], s);
}

static void
speak_tap(struct ui_widget *w, int x, int y)
{
	struct button *b = w->data;
	const struct ui_widget *root = w;
	struct section *s;

	if (b->target && (s = calloc(1, sizeof(*s)))) {
		s->speaker = w;
		s->target = b->target;
		section_add(s, ui_widget_get_text(b->target));
		while (root->parent)
			root = root->parent;
		section_walk(root, s);
		ui_app_speak(w->app, s->text);
		free(s);
	} else if (b->target) {
		ui_app_speak_widget(w->app, b->target);
	}
	widget_click(w);
}

const struct widget_class speak_button_class = {
        .type = "speak-button",
        .focusable = true,
        .interactive = true,
        .measure = speak_measure,
        .render = speak_render,
        .tap = speak_tap,
        .restyle = button_restyle,
        .destroy = button_destroy,
};

struct ui_widget *
ui_speak_button_new(struct ui_widget *target)
{
	struct ui_widget *w = button_new(&speak_button_class, N_("Read aloud"), UI_ICON_SPEAKER);

	if (w)
		((struct button *)w->data)->target = target;
	return w;
}

struct ui_widget *
ui_button_add(struct ui_widget *box, const char *text, enum ui_icon icon, const char *id,
              ui_click_fn fn, void *userdata)
{
	struct ui_widget *w = ui_widget_add(box, ui_button_new(text, icon));

	ui_widget_set_id(w, id);
	ui_widget_set_on_click(w, fn, userdata);
	return w;
}

struct ui_widget *
ui_spoken_add(struct ui_widget *row, struct ui_widget *text, const char *id)
{
	struct ui_widget *speaker;
	char speaker_id[64];

	text = ui_widget_add(row, text);
	if (!text)
		return NULL;
	ui_widget_set_id(text, id);
	ui_widget_set_expand(text, 1);
	ui_widget_set_align(text, UI_ALIGN_CENTER);
	speaker = ui_widget_add(row, ui_speak_button_new(text));
	ui_widget_set_align(speaker, UI_ALIGN_CENTER);
	/* "title-speak" for "title", so a test can tap the section's speaker. */
	if (id &&
	    (size_t)snprintf(speaker_id, sizeof(speaker_id), "%s-speak", id) < sizeof(speaker_id))
		ui_widget_set_id(speaker, speaker_id);
	return text;
}

struct ui_widget *
ui_spoken_row_add(struct ui_widget *col, struct ui_widget *text, const char *id)
{
	return ui_spoken_add(ui_widget_add(col, ui_box_new(UI_HORIZONTAL)), text, id);
}

/* ---- the way home and back ---- */

/*
 * Home and Back at the top of every screen: one width for both (the wider of the two
 * words with the icon), so each stands in the same place and is the same size on every
 * screen of every app, in either language and at every text size.
 */
static void
nav_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct ui_app *app = w->app;
	TTF_Font *f = fonts_get(app->fonts, FONT_BUTTON);
	const char *home = ui_app_tr(app, N_("Home")), *back = ui_app_tr(app, N_("Back"));
	int hw = font_measure(f, home, strlen(home)), bw = font_measure(f, back, strlen(back));

	button_measure(w, avail_w, ret_w, ret_h);
	*ret_w = 2 * pad_x(app) + app->m.icon + app->m.space[UI_SPACE_MEDIUM] + (hw > bw ? hw : bw);
	if (*ret_w > avail_w)
		*ret_w = avail_w;
}

const struct widget_class nav_button_class = {
        .type = "button",
        .focusable = true,
        .interactive = true,
        .measure = nav_measure,
        .render = button_render,
        .restyle = button_restyle,
        .destroy = button_destroy,
};

const struct widget_class nav_home_class = {
        .type = "button",
        .focusable = true,
        .interactive = true,
        .measure = nav_measure,
        .render = button_render,
        .restyle = button_restyle,
        .destroy = button_destroy,
};

void
nav_home_attach(struct ui_widget *w, struct ui_app *app)
{
	/* Shown in an app, whose way home it is; the shell is home and has none. */
	w->visible = app->home_fn != NULL;
	w->on_click = app->home_fn;
	w->click_data = app->home_data;
}

struct ui_widget *
ui_title_row_add(struct ui_widget *col, const char *back_id, ui_click_fn fn, void *userdata,
                 struct ui_widget *title, const char *title_id)
{
	struct ui_widget *row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL)), *w;

	if (row)
		row->head = true;
	w = ui_widget_add(row, button_new(&nav_home_class, N_("Home"), UI_ICON_HOME));
	ui_widget_set_id(w, "back-home");
	/* At the row's top, not centred: a title on two lines must not move them. */
	ui_widget_set_align(w, UI_ALIGN_START);
	if (fn) {
		w = ui_widget_add(row, button_new(&nav_button_class, N_("Back"), UI_ICON_BACK));
		ui_widget_set_id(w, back_id);
		ui_widget_set_on_click(w, fn, userdata);
		ui_widget_set_align(w, UI_ALIGN_START);
	}
	return ui_spoken_add(row, title, title_id);
}

/* ---- tile ---- */

/*
 * At the largest text a tile puts its icon beside its words rather than over them: the
 * words keep a whole word to a line and the tiles are half as tall, so a home screen of
 * seven tiles still fits its window (and Log out is not cut off).
 */
static bool
tile_beside(const struct ui_app *app)
{
	return app->text_size == UI_TEXT_LARGEST;
}

/* The icon's size: smaller beside the words, which need the width. */
static int
tile_icon_size(const struct ui_app *app)
{
	return tile_beside(app) ? app->m.tile_icon * 3 / 5 : app->m.tile_icon;
}

/* A tile's inner margin: smaller when the icon is beside the words, which need the width. */
static int
tile_pad(const struct ui_app *app)
{
	return app->m.space[tile_beside(app) ? UI_SPACE_SMALL : UI_SPACE_MEDIUM];
}

/* Beside the icon, the words start this far right of it: clear of half a badge (a
 * badge sits on the icon's corner). */
static int
tile_gap(const struct ui_app *app)
{
	return tile_pad(app) + (font_line_height(fonts_get(app->fonts, FONT_BUTTON)) +
	                        2 * app->m.space[UI_SPACE_SMALL]) /
	                               2;
}

/* The width the words of a tile `width` wide have. */
static int
tile_text_width(const struct ui_app *app, int width)
{
	int pad = tile_pad(app);

	return tile_beside(app) ? width - 2 * pad - tile_gap(app) - tile_icon_size(app)
	                        : width - 2 * pad;
}

static void
tile_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct button *b = w->data;
	struct ui_app *app = w->app;
	int pad = tile_pad(app), th;

	textblock_wrap(&b->tb, app, FONT_BUTTON, widget_text(w), tile_text_width(app, avail_w));
	th = textblock_height(&b->tb);
	*ret_w = avail_w;
	if (tile_beside(app)) {
		*ret_h = 2 * pad + (th > tile_icon_size(app) ? th : tile_icon_size(app));
		if (*ret_h < app->m.target)
			*ret_h = app->m.target;
		return;
	}
	*ret_h = 2 * pad + app->m.tile_icon + app->m.space[UI_SPACE_SMALL] + th;
	if (*ret_h < 2 * app->m.target)
		*ret_h = 2 * app->m.target;
}

static void
tile_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct button *b = w->data;
	struct ui_app *app = w->app;
	const struct theme_colors *c = &app->colors;
	const struct metrics *m = &app->m;
	int pad = tile_pad(app), icon = tile_icon_size(app), th;
	bool live = w->enabled && !b->locked;
	SDL_Color fill = live ? fill_color(w, c->surface) : c->locked;
	SDL_Color fg = live ? c->text : c->on_locked;
	SDL_Rect ib;

	int words_w = tile_text_width(app, w->rect.w);

	draw_box(r, &w->rect, m->radius, m->border, fill, c->border);
	textblock_wrap(&b->tb, app, FONT_BUTTON, widget_text(w), words_w);
	th = textblock_height(&b->tb);
	ib.w = ib.h = icon;
	if (tile_beside(app)) {
		/* The icon on the left, the words beside it, both centred in the height. */
		ib.x = w->rect.x + pad;
		ib.y = w->rect.y + (w->rect.h - icon) / 2;
	} else {
		/* Centre icon and text as one block. */
		ib.x = w->rect.x + (w->rect.w - icon) / 2;
		ib.y = w->rect.y + (w->rect.h - (icon + m->space[UI_SPACE_SMALL] + th)) / 2;
	}
	widget_draw_icon(w, r, &ib, live ? c->accent : c->on_locked, fill);
	textblock_draw(&b->tb, app, FONT_BUTTON, fg,
	               tile_beside(app)
	                       ? &(SDL_Rect){ib.x + icon + tile_gap(app),
	                                     w->rect.y + (w->rect.h - th) / 2, words_w, th}
	                       : &(SDL_Rect){w->rect.x + pad,
	                                     ib.y + icon + m->space[UI_SPACE_SMALL], words_w, th},
	               tile_beside(app) ? UI_ALIGN_START : UI_ALIGN_CENTER);
	if (b->locked) {
		int ls = m->icon + m->space[UI_SPACE_SMALL];
		SDL_Rect lb = {w->rect.x + w->rect.w - ls - pad, w->rect.y + pad, ls, ls};

		if (tile_beside(app)) /* on the icon's corner, clear of the words */
			lb = (SDL_Rect){ib.x + ib.w - ls / 2, ib.y + ib.h - ls / 2, ls, ls};

		draw_icon(r, UI_ICON_LOCK, &lb, c->on_locked, fill);
	}
	if (b->badge > 0) {
		char num[8];
		TTF_Font *f = fonts_get(app->fonts, FONT_BUTTON);
		int tw, d, lh = font_line_height(f);
		float cx, cy;

		if (b->badge > 99)
			snprintf(num, sizeof(num), "99+");
		else
			snprintf(num, sizeof(num), "%u", b->badge);
		tw = font_measure(f, num, strlen(num));
		d = (tw > lh ? tw : lh) + m->space[UI_SPACE_SMALL] * 2;
		cx = w->rect.x + w->rect.w - pad - d / 2.0f;
		cy = w->rect.y + pad + d / 2.0f;
		if (tile_beside(app)) { /* on the icon's corner, clear of the words */
			cx = (float)(ib.x + ib.w);
			cy = (float)ib.y + d / 4.0f;
		}
		if (tw + m->space[UI_SPACE_SMALL] * 2 > d) {
			SDL_Rect pill = {(int)cx - tw / 2 - m->space[UI_SPACE_SMALL],
			                 (int)cy - d / 2, tw + 2 * m->space[UI_SPACE_SMALL], d};

			draw_round_rect(r, &pill, d / 2, c->badge);
		} else {
			draw_circle(r, cx, cy, d / 2.0f, c->badge);
		}
		app_draw_text(app, FONT_BUTTON, c->on_badge, num, strlen(num), (int)cx - tw / 2,
		              (int)cy - lh / 2);
	}
}

static void
tile_tap(struct ui_widget *w, int x, int y)
{
	struct button *b = w->data;

	if (b->locked) {
		app_show_locked_reason(w->app, w, b->reason);
		return;
	}
	widget_click(w);
}

static void
tile_dump(struct ui_widget *w, struct json *j)
{
	struct button *b = w->data;

	json_key_bool(j, "locked", b->locked);
	if (b->locked)
		json_key_str(j, "reason",
		             b->reason ? (w->app ? ui_app_tr(w->app, b->reason) : b->reason)
		                       : NULL);
	json_key_int(j, "badge", b->badge);
}

const struct widget_class tile_class = {
        .type = "tile",
        .focusable = true,
        .interactive = true,
        .measure = tile_measure,
        .render = tile_render,
        .tap = tile_tap,
        .dump = tile_dump,
        .restyle = button_restyle,
        .destroy = button_destroy,
};

struct ui_widget *
ui_tile_new(const char *text, enum ui_icon icon)
{
	return button_new(&tile_class, text, icon);
}

int
ui_tile_set_locked(struct ui_widget *tile, bool locked, const char *reason)
{
	struct button *b;
	char *copy = NULL;

	if (!tile || tile->cls != &tile_class)
		return -EINVAL;
	b = tile->data;
	if (reason) {
		copy = strdup(reason);
		if (!copy)
			return -ENOMEM;
	}
	free(b->reason);
	b->reason = copy;
	b->locked = locked;
	widget_redraw(tile);
	return 0;
}

bool
ui_tile_is_locked(const struct ui_widget *tile)
{
	return tile && tile->cls == &tile_class && ((struct button *)tile->data)->locked;
}

int
ui_tile_set_badge(struct ui_widget *tile, unsigned count)
{
	if (!tile || tile->cls != &tile_class)
		return -EINVAL;
	((struct button *)tile->data)->badge = count;
	widget_redraw(tile);
	return 0;
}

/* ---- toggle ---- */

static int
track_w(const struct ui_app *app)
{
	return app->m.target * 2;
}

static void
toggle_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct button *b = w->data;
	struct ui_app *app = w->app;
	int gap = app->m.space[UI_SPACE_LARGE], h;

	textblock_wrap(&b->tb, app, FONT_BODY, widget_text(w), avail_w - track_w(app) - gap);
	*ret_w = b->tb.text_w + gap + track_w(app);
	h = textblock_height(&b->tb);
	*ret_h = h > app->m.target ? h : app->m.target;
}

static void
toggle_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct button *b = w->data;
	struct ui_app *app = w->app;
	const struct theme_colors *c = &app->colors;
	int tw = track_w(app), th = app->m.target * 3 / 4, h, knob;
	SDL_Rect track = {w->rect.x + w->rect.w - tw, w->rect.y + (w->rect.h - th) / 2, tw, th};
	SDL_Color on = w->checked ? c->accent : c->locked;

	textblock_wrap(&b->tb, app, FONT_BODY, widget_text(w),
	               w->rect.w - tw - app->m.space[UI_SPACE_LARGE]);
	h = textblock_height(&b->tb);
	textblock_draw(&b->tb, app, FONT_BODY, c->text,
	               &(SDL_Rect){w->rect.x, w->rect.y + (w->rect.h - h) / 2, w->rect.w - tw, h},
	               UI_ALIGN_START);
	draw_box(r, &track, th / 2, app->m.border, w->pressed ? c->pressed : on, c->border);
	knob = th - 4 * app->m.border;
	draw_circle(r, w->checked ? track.x + tw - th / 2.0f : track.x + th / 2.0f,
	            track.y + th / 2.0f, knob / 2.0f, w->checked ? c->on_accent : c->border);
	if (w->checked)
		draw_icon(r, UI_ICON_CHECK,
		          &(SDL_Rect){track.x + th / 4, track.y + th / 4, th / 2, th / 2},
		          c->on_accent, on);
}

static void
toggle_tap(struct ui_widget *w, int x, int y)
{
	w->checked = !w->checked;
	widget_redraw(w);
	widget_click(w);
}

const struct widget_class toggle_class = {
        .type = "toggle",
        .focusable = true,
        .interactive = true,
        .measure = toggle_measure,
        .render = toggle_render,
        .tap = toggle_tap,
        .restyle = button_restyle,
        .destroy = button_destroy,
};

struct ui_widget *
ui_toggle_new(const char *text, bool on)
{
	struct ui_widget *w = button_new(&toggle_class, text, UI_ICON_NONE);

	if (w)
		w->checked = on;
	return w;
}

bool
ui_toggle_get(const struct ui_widget *toggle)
{
	return toggle && toggle->cls == &toggle_class && toggle->checked;
}

void
ui_toggle_set(struct ui_widget *toggle, bool on)
{
	if (!toggle || toggle->cls != &toggle_class)
		return;
	toggle->checked = on;
	widget_redraw(toggle);
}

/* ---- radio ---- */

static int
mark_w(const struct ui_app *app)
{
	return app->m.target * 2 / 3;
}

static void
radio_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct button *b = w->data;
	struct ui_app *app = w->app;
	int lead = mark_w(app) + app->m.space[UI_SPACE_LARGE] * 2, h;

	textblock_wrap(&b->tb, app, FONT_BODY, widget_text(w), avail_w - lead);
	*ret_w = b->tb.text_w + lead;
	h = textblock_height(&b->tb);
	*ret_h = h > app->m.target ? h : app->m.target;
}

static void
radio_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct button *b = w->data;
	struct ui_app *app = w->app;
	const struct theme_colors *c = &app->colors;
	int mw = mark_w(app), gap = app->m.space[UI_SPACE_LARGE], h;
	float cx = (float)(w->rect.x + gap / 2 + mw / 2), cy = (float)w->rect.y + w->rect.h / 2.0f;
	SDL_Color fill = w->pressed ? c->pressed : (w->checked ? c->accent : c->surface);

	/* A box round the whole answer says it is one thing to tap; the chosen one's is
	 * thicker, so the choice shows without colour too. */
	draw_box(r, &w->rect, app->m.radius, w->checked ? app->m.border * 2 : app->m.border,
	         c->surface, w->checked ? c->accent : c->border);
	draw_circle(r, cx, cy, mw / 2.0f, w->checked ? c->accent : c->border);
	draw_circle(r, cx, cy, mw / 2.0f - app->m.border * 2, w->checked ? c->on_accent : fill);
	if (w->checked)
		draw_circle(r, cx, cy, mw / 4.0f, c->accent);
	textblock_wrap(&b->tb, app, FONT_BODY, widget_text(w), w->rect.w - mw - gap * 2);
	h = textblock_height(&b->tb);
	textblock_draw(&b->tb, app, FONT_BODY, c->text,
	               &(SDL_Rect){w->rect.x + mw + gap * 3 / 2, w->rect.y + (w->rect.h - h) / 2,
	                           w->rect.w - mw - gap * 2, h},
	               UI_ALIGN_START);
}

static void
radio_tap(struct ui_widget *w, int x, int y)
{
	struct ui_widget *group = w->parent;

	for (size_t i = 0; group && i < group->n_children; i++) {
		struct ui_widget *o = group->children[i];

		if (o != w && o->cls == &radio_class && o->checked) {
			o->checked = false;
			widget_redraw(o);
		}
	}
	w->checked = true;
	widget_redraw(w);
	widget_click(w);
}

const struct widget_class radio_class = {
        .type = "radio",
        .focusable = true,
        .interactive = true,
        .measure = radio_measure,
        .render = radio_render,
        .tap = radio_tap,
        .restyle = button_restyle,
        .destroy = button_destroy,
};

struct ui_widget *
ui_radio_new(const char *text, bool chosen)
{
	struct ui_widget *w = button_new(&radio_class, text, UI_ICON_NONE);

	if (w)
		w->checked = chosen;
	return w;
}

bool
ui_radio_get(const struct ui_widget *radio)
{
	return radio && radio->cls == &radio_class && radio->checked;
}

void
ui_radio_set(struct ui_widget *radio, bool chosen)
{
	if (!radio || radio->cls != &radio_class)
		return;
	radio->checked = chosen;
	widget_redraw(radio);
}

/* ---- choice ---- */

static void
option_render(struct ui_widget *w, SDL_Renderer *r)
{
	const struct theme_colors *c = &w->app->colors;
	const struct metrics *m = &w->app->m;
	SDL_Color fill = fill_color(w, w->checked ? c->accent : c->surface);
	SDL_Color fg = w->checked && !w->pressed ? c->on_accent : c->text;

	draw_box(r, &w->rect, m->radius, w->checked ? m->border * 2 : m->border, fill, c->border);
	draw_content(w, r, fg, fill);
}

static void
option_tap(struct ui_widget *w, int x, int y)
{
	struct ui_widget *choice = w->parent;

	for (size_t i = 0; choice && i < choice->n_children; i++) {
		if (choice->children[i] == w && ui_choice_get(choice) != i) {
			ui_choice_set(choice, i);
			widget_click(choice);
			return;
		}
	}
}

const struct widget_class option_class = {
        .type = "option",
        .focusable = true,
        .interactive = true,
        .measure = button_measure,
        .render = option_render,
        .tap = option_tap,
        .restyle = button_restyle,
        .destroy = button_destroy,
};

/* Options share a row equally when they all fit at their natural widths. */
static bool
choice_fits_row(struct ui_widget *w, int width, int *ret_h)
{
	int spacing = w->app->m.space[UI_SPACE_MEDIUM], n = (int)w->n_children, cell, h = 0;

	if (n == 0)
		return true;
	cell = (width - spacing * (n - 1)) / n;
	for (int i = 0; i < n; i++) {
		int cw, ch;

		widget_measure(w->children[i], width, &cw, &ch);
		if (cw > cell)
			return false;
		widget_measure(w->children[i], cell, &cw, &ch);
		if (ch > h)
			h = ch;
	}
	*ret_h = h;
	return true;
}

static void
choice_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	int spacing = w->app->m.space[UI_SPACE_MEDIUM], h = 0;

	*ret_w = avail_w;
	if (choice_fits_row(w, avail_w, &h)) {
		*ret_h = h;
		return;
	}
	for (size_t i = 0; i < w->n_children; i++) {
		int cw, ch;

		widget_measure(w->children[i], avail_w, &cw, &ch);
		h += ch + (i ? spacing : 0);
	}
	*ret_h = h;
}

static void
choice_arrange(struct ui_widget *w)
{
	int spacing = w->app->m.space[UI_SPACE_MEDIUM], n = (int)w->n_children, h;

	if (n == 0)
		return;
	if (choice_fits_row(w, w->rect.w, &h)) {
		int cell = (w->rect.w - spacing * (n - 1)) / n;

		for (int i = 0; i < n; i++)
			widget_set_rect(
			        w->children[i],
			        &(SDL_Rect){w->rect.x + i * (cell + spacing), w->rect.y, cell, h});
		return;
	}
	h = w->rect.y;
	for (int i = 0; i < n; i++) {
		int cw, ch;

		widget_measure(w->children[i], w->rect.w, &cw, &ch);
		widget_set_rect(w->children[i], &(SDL_Rect){w->rect.x, h, w->rect.w, ch});
		h += ch + spacing;
	}
}

static void
choice_dump(struct ui_widget *w, struct json *j)
{
	json_key_int(j, "selected", (long)((struct button *)w->data)->selected);
}

const struct widget_class choice_class = {
        .type = "choice",
        .container = true,
        .measure = choice_measure,
        .arrange = choice_arrange,
        .dump = choice_dump,
        .destroy = button_destroy,
};

struct ui_widget *
ui_choice_new(const char *const options[], size_t n_options, size_t selected)
{
	struct ui_widget *w = widget_new(&choice_class, sizeof(struct button));

	if (!w)
		return NULL;
	((struct button *)w->data)->tb.width = -1;
	for (size_t i = 0; i < n_options && i < 16; i++)
		ui_widget_add(w, button_new(&option_class, options[i], UI_ICON_NONE));
	if (w->alloc_failed) {
		ui_widget_free(w);
		return NULL;
	}
	ui_choice_set(w, selected);
	return w;
}

size_t
ui_choice_get(const struct ui_widget *choice)
{
	if (!choice || choice->cls != &choice_class)
		return 0;
	return ((struct button *)choice->data)->selected;
}

void
ui_choice_set(struct ui_widget *choice, size_t selected)
{
	if (!choice || choice->cls != &choice_class ||
	    (selected >= choice->n_children && selected != UI_CHOICE_NONE))
		return;
	((struct button *)choice->data)->selected = selected;
	for (size_t i = 0; i < choice->n_children; i++)
		choice->children[i]->checked = i == selected;
	widget_redraw(choice);
}
