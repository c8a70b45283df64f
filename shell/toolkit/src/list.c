/*
 * The scrolling list. Rows all have one height, so the rows in view follow from the
 * scroll offset by division: only those are fetched from the program's callback and
 * drawn, and their text comes from the app's texture cache, so a list of any length
 * costs the same per frame. Scrolling itself is scroll.c's drag and fling, driven by
 * input.c; the wheel and keys move by rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "dump.h"
#include "ui_int.h"

struct list {
	size_t n_rows;
	ui_list_row_fn row_fn;
	void *row_data; /* borrowed: the caller's */
	ui_list_select_fn select_fn;
	void *select_data; /* borrowed: the caller's */
	bool has_detail; /* rows have a second line (from row 0) */
	long pressed_row; /* -1: none */
};

static int
row_height(const struct ui_widget *w)
{
	const struct list *l = w->data;
	struct ui_app *app = w->app;
	int h = 2 * app->m.space[UI_SPACE_MEDIUM] +
	        font_line_height(fonts_get(app->fonts, FONT_BODY));

	if (l->has_detail)
		h += font_line_height(fonts_get(app->fonts, FONT_SMALL));
	return h > app->m.target ? h : app->m.target;
}

static void
update_max(struct ui_widget *w)
{
	struct list *l = w->data;
	double content = (double)l->n_rows * row_height(w);

	scroll_set_max(w->scroll, content - w->rect.h);
}

static void
probe_detail(struct ui_widget *w)
{
	struct list *l = w->data;
	struct ui_list_row row = {0};

	l->has_detail = l->n_rows > 0 && l->row_fn && l->row_fn(l->row_data, 0, &row) == 0 &&
	                row.detail && row.detail[0];
}

static void
list_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct list *l = w->data;
	size_t show = l->n_rows < 3 ? l->n_rows : 3;

	/* Small on its own; a list is meant to expand into the space its screen has. */
	*ret_w = avail_w;
	*ret_h = (int)(show ? show : 1) * row_height(w);
}

static void
list_arrange(struct ui_widget *w)
{
	update_max(w);
}

/* Fills the row's text, cut with an ellipsis to `width`, into out. */
static size_t
fit_text(TTF_Font *font, const char *s, int width, char *out, size_t out_size)
{
	size_t len = strlen(s), cut;

	if (len >= out_size)
		len = out_size - 4;
	/* Whole text first: the common case. */
	if (font_measure(font, s, len) <= width) {
		memcpy(out, s, len);
		out[len] = '\0';
		return len;
	}
	cut = len;
	while (cut > 0) {
		/* Step back over a whole UTF-8 sequence. */
		do
			cut--;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80);
		memcpy(out, s, cut);
		memcpy(out + cut, "\xE2\x80\xA6", 3);
		if (font_measure(font, out, cut + 3) <= width)
			break;
	}
	memcpy(out, s, cut);
	memcpy(out + cut, "\xE2\x80\xA6", 4);
	return cut + 3;
}

static void
list_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct list *l = w->data;
	struct ui_app *app = w->app;
	const struct theme_colors *c = &app->colors;
	int rh = row_height(w), pad = app->m.space[UI_SPACE_MEDIUM];
	int text_w = w->rect.w - 2 * pad;
	long offset = (long)w->scroll->offset;
	size_t first = (size_t)(offset / rh);
	TTF_Font *body = fonts_get(app->fonts, FONT_BODY),
	         *small = fonts_get(app->fonts, FONT_SMALL);
	char buf[512];

	app_push_clip(app, &w->rect);
	draw_rect(r, &w->rect, c->surface);
	for (size_t i = first; i < l->n_rows; i++) {
		int y = w->rect.y + (int)((long)i * rh - offset);
		struct ui_list_row row = {0};
		SDL_Rect rr = {w->rect.x, y, w->rect.w, rh};
		int ty = y + pad;

		if (y >= w->rect.y + w->rect.h)
			break;
		if ((long)i == l->pressed_row)
			draw_rect(r, &rr, c->pressed);
		if (l->row_fn && l->row_fn(l->row_data, i, &row) == 0 && row.text) {
			size_t n = fit_text(body, row.text, text_w, buf, sizeof(buf));

			if (!l->has_detail)
				ty = y + (rh - font_line_height(body)) / 2;
			app_draw_text(app, FONT_BODY, c->text, buf, n, w->rect.x + pad, ty);
			if (l->has_detail && row.detail) {
				n = fit_text(small, row.detail, text_w, buf, sizeof(buf));
				app_draw_text(app, FONT_SMALL, c->muted, buf, n, w->rect.x + pad,
				              ty + font_line_height(body));
			}
		}
		draw_rect(r,
		          &(SDL_Rect){w->rect.x, y + rh - app->m.border, w->rect.w, app->m.border},
		          c->border);
	}
	/* A scroll bar: where the view is in the whole list. */
	if (w->scroll->max > 0) {
		double content = (double)l->n_rows * rh;
		int bar_h = (int)(w->rect.h * w->rect.h / content),
		    bw = app->m.space[UI_SPACE_SMALL];
		int bar_y;

		if (bar_h < app->m.target / 2)
			bar_h = app->m.target / 2;
		bar_y = w->rect.y +
		        (int)((w->rect.h - bar_h) * (w->scroll->offset / w->scroll->max));
		draw_round_rect(r, &(SDL_Rect){w->rect.x + w->rect.w - bw - 2, bar_y, bw, bar_h},
		                bw / 2, c->muted);
	}
	app_pop_clip(app);
	draw_box(r, &(SDL_Rect){w->rect.x, w->rect.y, w->rect.w, app->m.border}, 0, 0, c->border,
	         c->border);
}

static long
row_at(struct ui_widget *w, int y)
{
	struct list *l = w->data;
	long row = ((long)w->scroll->offset + (y - w->rect.y)) / row_height(w);

	return row >= 0 && (size_t)row < l->n_rows ? row : -1;
}

static void
list_tap(struct ui_widget *w, int x, int y)
{
	struct list *l = w->data;
	long row = row_at(w, y);

	if (row >= 0 && l->select_fn)
		l->select_fn(w, (size_t)row, l->select_data);
	else if (row >= 0)
		widget_click(w);
}

static void
list_press(struct ui_widget *w, int x, int y, bool down)
{
	struct list *l = w->data;

	l->pressed_row = down ? row_at(w, y) : -1;
	widget_redraw(w);
}

static bool
list_key(struct ui_widget *w, const SDL_Event *e)
{
	int rh = row_height(w);

	if (e->type != SDL_KEYDOWN)
		return false;
	switch (e->key.keysym.sym) {
	case SDLK_DOWN:
		ui_list_scroll(w, rh);
		return true;
	case SDLK_UP:
		ui_list_scroll(w, -rh);
		return true;
	case SDLK_PAGEDOWN:
		ui_list_scroll(w, w->rect.h - rh);
		return true;
	case SDLK_PAGEUP:
		ui_list_scroll(w, -(w->rect.h - rh));
		return true;
	case SDLK_HOME:
		ui_list_scroll(w, -(int)w->scroll->max - 1);
		return true;
	case SDLK_END:
		ui_list_scroll(w, (int)w->scroll->max + 1);
		return true;
	default:
		return false;
	}
}

/* Items are the rows in view (a few more would be invisible anyway). */
static size_t
list_n_items(struct ui_widget *w)
{
	struct list *l = w->data;
	int rh;
	size_t first, last;

	if (!w->app || w->rect.h <= 0 || l->n_rows == 0)
		return 0;
	rh = row_height(w);
	first = (size_t)((long)w->scroll->offset / rh);
	last = (size_t)(((long)w->scroll->offset + w->rect.h - 1) / rh);
	if (last >= l->n_rows)
		last = l->n_rows - 1;
	return first <= last ? last - first + 1 : 0;
}

static bool
list_get_item(struct ui_widget *w, size_t i, struct widget_item *ret)
{
	struct list *l = w->data;
	int rh = row_height(w);
	size_t row = (size_t)((long)w->scroll->offset / rh) + i;
	struct ui_list_row r = {0};

	if (row >= l->n_rows)
		return false;
	*ret = (struct widget_item){.type = "row", .index = (long)row};
	snprintf(ret->id, sizeof(ret->id), "%s.%zu", w->id ? w->id : "row", row);
	if (l->row_fn && l->row_fn(l->row_data, row, &r) == 0 && r.text) {
		snprintf(ret->text, sizeof(ret->text), "%s", r.text);
		if (r.detail)
			snprintf(ret->detail, sizeof(ret->detail), "%s", r.detail);
	}
	ret->rect =
	        (SDL_Rect){w->rect.x, w->rect.y + (int)((long)row * rh - (long)w->scroll->offset),
	                   w->rect.w, rh};
	return true;
}

static void
list_dump(struct ui_widget *w, struct json *j)
{
	struct list *l = w->data;
	size_t n = list_n_items(w);

	json_key_int(j, "rows", (long)l->n_rows);
	json_key_int(j, "offset", (long)w->scroll->offset);
	json_key_int(j, "max_offset", (long)w->scroll->max);
	json_key_int(j, "row_height", w->app ? row_height(w) : 0);
	json_key_int(j, "first_visible", (long)ui_list_get_first_visible(w));
	json_key_int(j, "last_visible", n ? (long)(ui_list_get_first_visible(w) + n - 1) : -1);
	json_key_bool(j, "moving", w->scroll->velocity != 0);
}

static void
list_restyle(struct ui_widget *w)
{
	probe_detail(w);
}

const struct widget_class list_class = {
        .type = "list",
        .focusable = true,
        .interactive = true,
        .measure = list_measure,
        .arrange = list_arrange,
        .render = list_render,
        .tap = list_tap,
        .press = list_press,
        .key = list_key,
        .n_items = list_n_items,
        .get_item = list_get_item,
        .dump = list_dump,
        .restyle = list_restyle,
};

struct ui_widget *
ui_list_new(size_t n_rows, ui_list_row_fn fn, void *userdata)
{
	struct ui_widget *w = widget_new(&list_class, sizeof(struct list));
	struct list *l;

	if (!w)
		return NULL;
	w->scroll = calloc(1, sizeof(*w->scroll));
	if (!w->scroll) {
		ui_widget_free(w);
		return NULL;
	}
	scroll_init(w->scroll);
	l = w->data;
	l->n_rows = n_rows;
	l->row_fn = fn;
	l->row_data = userdata;
	l->pressed_row = -1;
	probe_detail(w);
	return w;
}

void
ui_list_set_rows(struct ui_widget *list, size_t n_rows)
{
	if (!list || list->cls != &list_class)
		return;
	((struct list *)list->data)->n_rows = n_rows;
	probe_detail(list);
	if (list->app)
		update_max(list);
	widget_relayout(list);
}

void
ui_list_set_on_select(struct ui_widget *list, ui_list_select_fn fn, void *userdata)
{
	if (!list || list->cls != &list_class)
		return;
	((struct list *)list->data)->select_fn = fn;
	((struct list *)list->data)->select_data = userdata;
}

void
ui_list_scroll(struct ui_widget *list, int dy)
{
	if (!list || list->cls != &list_class)
		return;
	scroll_by(list->scroll, dy);
	widget_redraw(list);
}

void
ui_list_scroll_to_row(struct ui_widget *list, size_t row)
{
	if (!list || list->cls != &list_class || !list->app)
		return;
	update_max(list);
	scroll_by(list->scroll, (double)row * row_height(list) - list->scroll->offset);
	widget_redraw(list);
}

size_t
ui_list_get_first_visible(const struct ui_widget *list)
{
	if (!list || list->cls != &list_class || !list->app)
		return 0;
	return (size_t)((long)list->scroll->offset / row_height(list));
}

int
ui_list_get_offset(const struct ui_widget *list)
{
	if (!list || list->cls != &list_class)
		return 0;
	return (int)list->scroll->offset;
}
