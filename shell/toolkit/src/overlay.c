/*
 * Everything around and over the screens: the screen frame (which scrolls a screen
 * taller than the window), the status bar, the banner, the modal dialog and images, and
 * app_layout()/app_render(), which place the layers (status bar on top, the banner under
 * it, pop-up keyboard at the bottom, the screen between, the dialog over it all) and draw
 * them in order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "draw.h"
#include "dump.h"
#include "ui_int.h"

/* ---- the screen frame ---- */

/* The screen's title row (Home, Back, the title), when it starts the screen and the screen
 * has scrolled: it stays where it was, over what scrolls under it. NULL otherwise. */
static struct ui_widget *
screen_pinned_head(const struct ui_widget *w)
{
	struct ui_widget *root = w->n_children ? w->children[0] : NULL;
	struct ui_widget *head = root && root->n_children ? root->children[0] : NULL;

	return head && head->head && head->visible && w->scroll->offset > 0 ? head : NULL;
}

/* The band the pinned title row covers: the screen's top down to under the row. */
static SDL_Rect
screen_head_band(const struct ui_widget *w, const struct ui_widget *head)
{
	return (SDL_Rect){w->rect.x, w->rect.y, w->rect.w,
	                  head->rect.y + head->rect.h + w->app->m.space[UI_SPACE_SMALL] -
	                          w->rect.y};
}

int
screen_content_top(const struct ui_widget *w)
{
	const struct ui_widget *head = screen_pinned_head(w);
	SDL_Rect band;

	if (!head)
		return w->rect.y;
	band = screen_head_band(w, head);
	return band.y + band.h;
}

static void
screen_arrange(struct ui_widget *w)
{
	struct ui_widget *root = w->n_children ? w->children[0] : NULL, *head;
	int cw, ch, content;

	if (!root)
		return;
	widget_measure(root, w->rect.w, &cw, &ch);
	content = ch > w->rect.h ? ch : w->rect.h;
	scroll_set_max(w->scroll, content - w->rect.h);
	widget_set_rect(root, &(SDL_Rect){w->rect.x, w->rect.y - (int)w->scroll->offset, w->rect.w,
	                                  content});
	head = screen_pinned_head(w);
	if (head) {
		SDL_Rect rc = head->rect;

		rc.y += (int)w->scroll->offset;
		widget_set_rect(head, &rc);
	}
}

static struct ui_widget *
screen_hit(struct ui_widget *w, int x, int y)
{
	struct ui_widget *head = screen_pinned_head(w), *h;
	SDL_Rect band;

	if (!head)
		return NULL;
	band = screen_head_band(w, head);
	if (x < band.x || y < band.y || x >= band.x + band.w || y >= band.y + band.h)
		return NULL;
	h = widget_hit(head, x, y);
	return h ? h : w; /* the band itself: a drag there still scrolls the screen */
}

static void
screen_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct ui_app *app = w->app;

	struct ui_widget *head = screen_pinned_head(w);

	app_push_clip(app, &w->rect);
	draw_rect(r, &w->rect, app->colors.bg);
	widget_render_children(w, r);
	if (head) {
		/* Drawn again over what scrolled under it, on its own background. */
		SDL_Rect band = screen_head_band(w, head);

		draw_rect(r, &band, app->colors.bg);
		draw_rect(
		        r,
		        &(SDL_Rect){band.x, band.y + band.h - app->m.border, band.w, app->m.border},
		        app->colors.border);
		widget_render(head, r);
	}
	if (w->scroll->max > 0) {
		/* Show that there is more below (or above). */
		int total = w->rect.h + (int)w->scroll->max, bw = app->m.space[UI_SPACE_SMALL];
		int bar_h = w->rect.h * w->rect.h / total;
		int bar_y =
		        w->rect.y + (int)((w->rect.h - bar_h) * w->scroll->offset / w->scroll->max);

		draw_round_rect(r, &(SDL_Rect){w->rect.x + w->rect.w - bw - 2, bar_y, bw, bar_h},
		                bw / 2, app->colors.muted);
	}
	app_pop_clip(app);
}

static void
screen_dump(struct ui_widget *w, struct json *j)
{
	json_key_int(j, "offset", (long)w->scroll->offset);
	json_key_int(j, "max_offset", (long)w->scroll->max);
}

const struct widget_class screen_class = {
        .type = "screen",
        .container = true,
        .arrange = screen_arrange,
        .hit = screen_hit,
        .render = screen_render,
        .dump = screen_dump,
};

struct ui_widget *
screen_new(struct ui_widget *root)
{
	struct ui_widget *w = widget_new(&screen_class, 0);

	if (!w)
		return NULL;
	w->scroll = calloc(1, sizeof(*w->scroll));
	if (!w->scroll) {
		ui_widget_free(w);
		return NULL;
	}
	scroll_init(w->scroll);
	ui_widget_add(w, root);
	return w;
}

/* ---- status bar ---- */

struct status {
	char *text[3]; /* owned; NULL when empty */
};

static void
status_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct ui_app *app = w->app;

	*ret_w = avail_w;
	*ret_h = font_line_height(fonts_get(app->fonts, FONT_SMALL)) +
	         2 * app->m.space[UI_SPACE_SMALL] * 2;
}

static void
status_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct status *s = w->data;
	struct ui_app *app = w->app;
	TTF_Font *f = fonts_get(app->fonts, FONT_SMALL);
	int pad = app->m.space[UI_SPACE_MEDIUM],
	    ty = w->rect.y + (w->rect.h - font_line_height(f)) / 2;

	draw_rect(r, &w->rect, app->colors.bar);
	for (int i = 0; i < 3; i++) {
		int tw, x;

		if (!s->text[i])
			continue;
		tw = font_measure(f, s->text[i], strlen(s->text[i]));
		x = i == 0   ? w->rect.x + pad
		    : i == 1 ? w->rect.x + (w->rect.w - tw) / 2
		             : w->rect.x + w->rect.w - pad - tw;
		app_draw_text(app, FONT_SMALL, app->colors.on_bar, s->text[i], strlen(s->text[i]),
		              x, ty);
	}
	if (app->theme == UI_THEME_HIGH_CONTRAST)
		draw_rect(r,
		          &(SDL_Rect){w->rect.x, w->rect.y + w->rect.h - app->m.border, w->rect.w,
		                      app->m.border},
		          app->colors.border);
}

static size_t
status_n_items(struct ui_widget *w)
{
	return 3;
}

static bool
status_get_item(struct ui_widget *w, size_t i, struct widget_item *ret)
{
	static const char *const ids[] = {"status.left", "status.centre", "status.right"};
	struct status *s = w->data;

	if (i >= 3)
		return false;
	*ret = (struct widget_item){.type = "text", .index = (long)i, .rect = w->rect};
	snprintf(ret->id, sizeof(ret->id), "%s", ids[i]);
	snprintf(ret->text, sizeof(ret->text), "%s", s->text[i] ? s->text[i] : "");
	return true;
}

static void
status_destroy(struct ui_widget *w)
{
	struct status *s = w->data;

	for (int i = 0; i < 3; i++)
		free(s->text[i]);
}

const struct widget_class status_class = {
        .type = "status-bar",
        .measure = status_measure,
        .render = status_render,
        .n_items = status_n_items,
        .get_item = status_get_item,
        .destroy = status_destroy,
};

struct ui_widget *
status_bar_new(void)
{
	return widget_new(&status_class, sizeof(struct status));
}

int
status_bar_set_text(struct ui_widget *bar, int i, const char *text)
{
	struct status *s = bar->data;
	char *copy = NULL;

	if (i < 0 || i > 2)
		return -EINVAL;
	if (text && text[0] && !(copy = strdup(text)))
		return -ENOMEM;
	free(s->text[i]);
	s->text[i] = copy;
	widget_redraw(bar);
	return 0;
}

int
status_bar_set(struct ui_widget *bar, const char *left, const char *centre, const char *right)
{
	struct status *s = bar->data;
	const char *in[3] = {left, centre, right};
	char *copy[3] = {NULL, NULL, NULL};

	for (int i = 0; i < 3; i++) {
		if (in[i] && in[i][0]) {
			copy[i] = strdup(in[i]);
			if (!copy[i]) {
				for (int j = 0; j < i; j++)
					free(copy[j]);
				return -ENOMEM;
			}
		}
	}
	for (int i = 0; i < 3; i++) {
		free(s->text[i]);
		s->text[i] = copy[i];
	}
	widget_redraw(bar);
	return 0;
}

/* ---- banner ---- */

/*
 * A banner has its own place under the status bar: the screen is laid out below it, so it
 * never covers a control. A plain one (a passing word) closes when tapped. One with
 * buttons (a reminder) is a card: its words, a speaker button and the buttons, which sit
 * beside the words or, when there is no room (large text), on a row of their own under
 * them; a tap on its words does nothing, so only a deliberate tap on a button ends it.
 */
struct banner {
	struct textblock tb; /* owned */
	bool stacked; /* the buttons on a row of their own, under the words */
};

static int
banner_pad(const struct ui_app *app)
{
	return app->m.space[UI_SPACE_MEDIUM];
}

/* The buttons' row: its width and height at avail_w. */
static void
banner_buttons_size(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	int gap = banner_pad(w->app), bw = 0, bh = 0, cw, ch;

	for (size_t i = 0; i < w->n_children; i++) {
		widget_measure(w->children[i], avail_w, &cw, &ch);
		bw += cw + (i ? gap : 0);
		bh = ch > bh ? ch : bh;
	}
	*ret_w = bw;
	*ret_h = bh;
}

/* Where the words go: x offset from the left edge, and their width. */
static int
banner_text_width(struct ui_widget *w, int width, int buttons_w)
{
	struct banner *b = w->data;
	int p = banner_pad(w->app);

	return width - 3 * p - w->app->m.icon - (w->n_children && !b->stacked ? buttons_w + p : 0);
}

static void
banner_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct banner *b = w->data;
	struct ui_app *app = w->app;
	int p = banner_pad(app), bw, bh, h;

	banner_buttons_size(w, avail_w, &bw, &bh);
	/* Beside the words while they keep at least a third of the width. */
	b->stacked = false;
	if (w->n_children && banner_text_width(w, avail_w, bw) < avail_w / 3)
		b->stacked = true;
	textblock_wrap(&b->tb, app, FONT_BUTTON, widget_text(w), banner_text_width(w, avail_w, bw));
	h = textblock_height(&b->tb);
	if (b->stacked)
		h += p + bh;
	else if (bh > h)
		h = bh;
	h += 2 * p;
	*ret_w = avail_w;
	*ret_h = h > app->m.target ? h : app->m.target;
}

static void
banner_arrange(struct ui_widget *w)
{
	struct banner *b = w->data;
	int p = banner_pad(w->app), bw, bh, cw, ch, x, top;

	banner_buttons_size(w, w->rect.w, &bw, &bh);
	textblock_wrap(&b->tb, w->app, FONT_BUTTON, widget_text(w),
	               banner_text_width(w, w->rect.w, bw));
	top = b->stacked ? w->rect.y + p + textblock_height(&b->tb) + p
	                 : w->rect.y + (w->rect.h - bh) / 2;
	x = w->rect.x + w->rect.w - p;
	for (size_t i = w->n_children; i-- > 0;) {
		widget_measure(w->children[i], w->rect.w, &cw, &ch);
		x -= cw;
		widget_set_rect(w->children[i], &(SDL_Rect){x, top + (bh - ch) / 2, cw, ch});
		x -= p;
	}
}

static void
banner_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct banner *b = w->data;
	struct ui_app *app = w->app;
	const struct theme_colors *c = &app->colors;
	int p = banner_pad(app), ic = app->m.icon, th, bw, bh, y;
	bool card = w->n_children > 0;
	SDL_Color fill = card ? c->surface : w->pressed ? c->pressed : c->banner;
	SDL_Color fg = card || w->pressed ? c->text : c->on_banner;

	if (card)
		draw_box(r, &w->rect, app->m.radius, app->m.border * 3, fill, c->accent);
	else
		draw_box(r, &w->rect, app->m.radius, app->m.border, fill, c->border);
	banner_buttons_size(w, w->rect.w, &bw, &bh);
	textblock_wrap(&b->tb, app, FONT_BUTTON, widget_text(w),
	               banner_text_width(w, w->rect.w, bw));
	th = textblock_height(&b->tb);
	y = b->stacked ? w->rect.y + p : w->rect.y + (w->rect.h - th) / 2;
	draw_icon(r, w->icon, &(SDL_Rect){w->rect.x + p, y + (th > ic ? (th - ic) / 2 : 0), ic, ic},
	          fg, fill);
	textblock_draw(&b->tb, app, FONT_BUTTON, fg,
	               &(SDL_Rect){w->rect.x + 2 * p + ic, y + (th < ic ? (ic - th) / 2 : 0),
	                           banner_text_width(w, w->rect.w, bw), th},
	               UI_ALIGN_START);
	widget_render_children(w, r);
}

static void
banner_restyle(struct ui_widget *w)
{
	textblock_free(&((struct banner *)w->data)->tb);
}

static void
banner_tap(struct ui_widget *w, int x, int y)
{
	struct ui_app *app = w->app;
	ui_click_fn fn = app->banner_fn;
	void *data = app->banner_data;

	if (w->n_children)
		return; /* only its buttons end a banner that has them */
	ui_app_close_banner(app);
	if (fn)
		fn(w, data);
}

const struct widget_class banner_class = {
        .type = "banner",
        .interactive = true,
        .container = true,
        .measure = banner_measure,
        .arrange = banner_arrange,
        .render = banner_render,
        .tap = banner_tap,
        .restyle = banner_restyle,
        .destroy = banner_restyle,
};

struct ui_widget *
banner_new(const char *text, enum ui_icon icon, const char *const buttons[], size_t n,
           ui_click_fn on_button)
{
	struct ui_widget *w = widget_new(&banner_class, sizeof(struct banner)), *speak;
	char id[32];

	if (!w)
		return NULL;
	((struct banner *)w->data)->tb.width = -1;
	w->icon = icon;
	ui_widget_set_id(w, "banner");
	if (ui_widget_set_text(w, text) < 0) {
		ui_widget_free(w);
		return NULL;
	}
	if (n) {
		speak = ui_widget_add(w, ui_speak_button_new(w));
		ui_widget_set_id(speak, "banner.speak");
	}
	for (size_t i = 0; i < n; i++) {
		struct ui_widget *b = ui_widget_add(w, ui_button_new(buttons[i], UI_ICON_NONE));

		snprintf(id, sizeof(id), "banner.%zu", i);
		ui_widget_set_id(b, id);
		ui_widget_set_on_click(b, on_button, NULL);
	}
	if (w->alloc_failed) {
		ui_widget_free(w);
		return NULL;
	}
	return w;
}

/* ---- dialog ---- */

static void
dialog_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	int pad = w->app->m.space[UI_SPACE_LARGE], cw, ch;

	widget_measure(w->children[0], avail_w - 2 * pad, &cw, &ch);
	*ret_w = avail_w;
	*ret_h = ch + 2 * pad;
}

static void
dialog_arrange(struct ui_widget *w)
{
	int pad = w->app->m.space[UI_SPACE_LARGE];

	widget_set_rect(w->children[0], &(SDL_Rect){w->rect.x + pad, w->rect.y + pad,
	                                            w->rect.w - 2 * pad, w->rect.h - 2 * pad});
}

static void
dialog_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct ui_app *app = w->app;

	draw_rect(r, &(SDL_Rect){0, 0, app->win_w, app->win_h}, app->colors.scrim);
	draw_box(r, &w->rect, app->m.radius, app->m.border * 2, app->colors.surface,
	         app->colors.border);
	widget_render_children(w, r);
}

const struct widget_class dialog_class = {
        .type = "dialog",
        .container = true,
        .measure = dialog_measure,
        .arrange = dialog_arrange,
        .render = dialog_render,
};

struct ui_widget *
dialog_new(const char *message, const char *const buttons[], size_t n, ui_click_fn on_button,
           void *userdata)
{
	struct ui_widget *w = widget_new(&dialog_class, 0), *col, *top, *row, *msg, *speak;

	if (!w)
		return NULL;
	ui_widget_set_id(w, "dialog");
	col = ui_widget_add(w, ui_box_new(UI_VERTICAL));
	if (col) {
		ui_box_set_spacing(col, UI_SPACE_LARGE);
		top = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
		msg = ui_widget_add(top, ui_label_new(message));
		ui_widget_set_id(msg, "dialog.message");
		ui_widget_set_expand(msg, 1);
		speak = ui_widget_add(top, ui_speak_button_new(msg));
		ui_widget_set_id(speak, "dialog.speak");
		ui_widget_set_align(speak, UI_ALIGN_START);
		row = ui_widget_add(col, ui_box_new(UI_HORIZONTAL));
		for (size_t i = 0; i < n; i++) {
			struct ui_widget *b =
			        ui_widget_add(row, ui_button_new(buttons[i], UI_ICON_NONE));
			char id[32];

			snprintf(id, sizeof(id), "dialog.%zu", i);
			ui_widget_set_id(b, id);
			ui_widget_set_expand(b, 1);
			ui_widget_set_on_click(b, on_button, userdata);
		}
	}
	if (w->alloc_failed || !col) {
		ui_widget_free(w);
		return NULL;
	}
	return w;
}

/* ---- images ---- */

struct image {
	double w_mm, h_mm;
};

static void
image_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct image *im = w->data;
	int iw = w->icon_surface->w, ih = w->icon_surface->h;
	int bw = im->w_mm > 0 ? theme_mm(w->app->dpi, im->w_mm) : iw;
	int bh = im->h_mm > 0 ? theme_mm(w->app->dpi, im->h_mm) : ih;
	double s = (double)bw / iw < (double)bh / ih ? (double)bw / iw : (double)bh / ih;

	if (iw * s > avail_w)
		s = (double)avail_w / iw;
	*ret_w = (int)(iw * s);
	*ret_h = (int)(ih * s);
}

static void
image_render(struct ui_widget *w, SDL_Renderer *r)
{
	widget_draw_icon(w, r, &w->rect, w->app->colors.text, w->app->colors.bg);
}

const struct widget_class image_class = {
        .type = "image",
        .measure = image_measure,
        .render = image_render,
};

struct ui_widget *
ui_image_new(const char *png_path, double w_mm, double h_mm)
{
	struct ui_widget *w = widget_new(&image_class, sizeof(struct image));

	if (!w)
		return NULL;
	((struct image *)w->data)->w_mm = w_mm;
	((struct image *)w->data)->h_mm = h_mm;
	if (ui_widget_set_icon_file(w, png_path) < 0) {
		ui_widget_free(w);
		return NULL;
	}
	return w;
}

/* ---- the layers ---- */

/* Scrolls the shown screen so that the focused widget is in view (the keyboard may have
 * just covered it). */
static void
reveal_focus(struct ui_app *app, struct ui_widget *frame)
{
	struct ui_widget *f = app->focus, *p;
	int top, bottom, margin = app->m.space[UI_SPACE_MEDIUM];

	if (!f)
		return;
	for (p = f; p && p != frame; p = p->parent)
		;
	if (!p)
		return;
	top = f->rect.y - margin;
	bottom = f->rect.y + f->rect.h + margin;
	if (bottom > frame->rect.y + frame->rect.h)
		scroll_by(frame->scroll, bottom - (frame->rect.y + frame->rect.h));
	else if (top < frame->rect.y)
		scroll_by(frame->scroll, top - frame->rect.y);
	else
		return;
	screen_arrange(frame);
}

void
app_layout(struct ui_app *app)
{
	int w = app->win_w, h = app->win_h, top = 0, bottom = h, cw, ch;
	int margin = app->m.space[UI_SPACE_MEDIUM];
	struct ui_widget *frame = app->current >= 0 ? app->screens[app->current].frame : NULL;

	if (!app->layout_dirty)
		return;
	app->layout_dirty = false;
	if (app->status_shown) {
		widget_measure(app->status, w, &cw, &ch);
		app->status_area = (SDL_Rect){0, 0, w, ch};
		widget_set_rect(app->status, &app->status_area);
		top = ch;
	}
	if (app->keyboard_shown) {
		widget_measure(app->keyboard, w, &cw, &ch);
		app->keyboard_area = (SDL_Rect){0, h - ch, w, ch};
		widget_set_rect(app->keyboard, &app->keyboard_area);
		bottom = h - ch;
	}
	if (app->banner) {
		/* Its own place under the status bar: the screen starts below it. */
		widget_measure(app->banner, w - 2 * margin, &cw, &ch);
		widget_set_rect(app->banner, &(SDL_Rect){margin, top + margin, w - 2 * margin, ch});
		top += margin + ch;
		if (top > bottom)
			top = bottom;
	}
	app->screen_area = (SDL_Rect){0, top, w, bottom - top};
	if (frame) {
		widget_set_rect(frame, &app->screen_area);
		if (app->reveal_focus || app->keyboard_shown != app->keyboard_was_shown)
			reveal_focus(app, frame);
	}
	app->reveal_focus = false;
	app->keyboard_was_shown = app->keyboard_shown;
	if (app->dialog) {
		int dw = theme_mm(app->dpi, 170 * (app->m.scale > 1.2 ? 1.2 : 1.0));

		if (dw > w - 2 * margin)
			dw = w - 2 * margin;
		widget_measure(app->dialog, dw, &cw, &ch);
		if (ch > h - 2 * margin)
			ch = h - 2 * margin;
		widget_set_rect(app->dialog, &(SDL_Rect){(w - dw) / 2, (h - ch) / 2, dw, ch});
	}
}

void
app_render(struct ui_app *app)
{
	SDL_Renderer *r = app->renderer;
	struct ui_widget *frame = app->current >= 0 ? app->screens[app->current].frame : NULL;

	SDL_RenderSetClipRect(r, NULL);
	app->n_clip = 0;
	SDL_SetRenderDrawColor(r, app->colors.bg.r, app->colors.bg.g, app->colors.bg.b, 255);
	SDL_RenderClear(r);
	if (frame)
		widget_render(frame, r);
	if (app->status_shown)
		widget_render(app->status, r);
	if (app->banner)
		widget_render(app->banner, r);
	if (app->keyboard_shown)
		widget_render(app->keyboard, r);
	if (app->dialog)
		widget_render(app->dialog, r);
}
