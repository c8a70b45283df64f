/*
 * Text fields: a box showing a textedit buffer (masked for PINs) with a cursor, a hint
 * while empty, and horizontal scrolling so the cursor stays in view; or, for a field
 * given several lines, the text wrapped like a label's, the box growing a line at a time
 * up to its most and then scrolling by lines to keep the cursor's line in view. Focus brings up the
 * app's pop-up keyboard of the right kind (see app.c); physical keys arrive here as
 * SDL_TEXTINPUT and SDL_KEYDOWN events through input.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "dump.h"
#include "textedit.h"
#include "ui_int.h"
#include "utf8.h"

#define MASK "\xE2\x97\x8F" /* U+25CF BLACK CIRCLE */

struct field {
	enum ui_field_kind kind;
	struct textedit te; /* owned */
	enum ui_keyboard_mode kb; /* pops up on focus */
	ui_submit_fn submit_fn;
	void *submit_data; /* borrowed: the caller's */
	char *shown; /* owned: the masked text, rebuilt on change */
	int scroll_x; /* pixels of text hidden on the left */
	int max_lines; /* 1: one line, scrolled sideways */
	struct textblock tb; /* several lines: the text wrapped at wrap_w */
	int wrap_w; /* the inner width last laid out at; 0 before layout */
	size_t lines_shown; /* lines the box was last measured for */
	size_t first_line; /* the first line in view */
};

/* Lines the box shows for the text now (at least one, at most max_lines). */
static size_t
field_lines(struct ui_widget *w)
{
	struct field *f = w->data;
	size_t n;

	if (f->max_lines <= 1 || !w->app || f->wrap_w < 1)
		return 1;
	textblock_wrap(&f->tb, w->app, FONT_BODY, f->te.buf, f->wrap_w);
	n = f->tb.n_lines ? f->tb.n_lines : 1;
	/* A cursor after a line break starts a line the wrapping does not show yet. */
	if (f->te.cursor > 0 && f->te.buf[f->te.cursor - 1] == '\n' && !f->te.buf[f->te.cursor])
		n++;
	return n < (size_t)f->max_lines ? n : (size_t)f->max_lines;
}

/* The wrapped line the cursor is on. */
static size_t
cursor_line(const struct field *f)
{
	size_t line = 0;

	for (size_t i = 0; i < f->tb.n_lines; i++)
		if (f->tb.lines[i].start <= f->te.cursor)
			line = i;
	return line;
}

static enum font_role
field_role(const struct field *f)
{
	return f->kind == UI_FIELD_PIN ? FONT_HEADING : FONT_BODY;
}

/* What the field displays: the text, or one dot per character of a PIN. */
static const char *
field_shown(const struct ui_widget *w)
{
	struct field *f = w->data;
	size_t n;

	if (f->kind != UI_FIELD_PIN)
		return f->te.buf;
	n = textedit_chars(&f->te);
	free(f->shown);
	f->shown = malloc(n * 3 + 1);
	if (!f->shown)
		return "";
	for (size_t i = 0; i < n; i++)
		memcpy(f->shown + i * 3, MASK, 3);
	f->shown[n * 3] = '\0';
	return f->shown;
}

/* The byte offset in the shown text that matches the cursor. */
static size_t
shown_cursor(const struct field *f)
{
	if (f->kind != UI_FIELD_PIN)
		return f->te.cursor;
	return utf8_cluster_count(f->te.buf, f->te.cursor) * 3;
}

static int
pad(const struct ui_app *app)
{
	return app->m.space[UI_SPACE_MEDIUM];
}

static void
field_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct field *f = w->data;
	struct ui_app *app = w->app;
	int h = font_line_height(fonts_get(app->fonts, field_role(f))) + 2 * pad(app);

	*ret_w = avail_w;
	if (f->max_lines > 1) {
		f->wrap_w = avail_w - 2 * pad(app);
		f->lines_shown = field_lines(w);
		h = (int)f->lines_shown * font_line_height(fonts_get(app->fonts, FONT_BODY)) +
		    2 * pad(app);
	}
	/* A PIN is a few digits: a full-width box would only look like a text field. */
	if (f->kind == UI_FIELD_PIN && *ret_w > theme_mm(app->dpi, 80 * app->m.scale))
		*ret_w = theme_mm(app->dpi, 80 * app->m.scale);
	*ret_h = h > app->m.target ? h : app->m.target;
}

/* Several lines: the wrapped text from first_line, which follows the cursor's line. */
static void
render_lines(struct ui_widget *w, SDL_Renderer *r, bool focused)
{
	struct field *f = w->data;
	struct ui_app *app = w->app;
	const struct theme_colors *c = &app->colors;
	TTF_Font *font = fonts_get(app->fonts, FONT_BODY);
	int p = pad(app), lh = font_line_height(font);
	SDL_Rect inner = {w->rect.x + p, w->rect.y + p, w->rect.w - 2 * p, w->rect.h - 2 * p};
	size_t rows = (size_t)(inner.h / (lh > 0 ? lh : 1)), cl;
	int cx, cy;

	f->wrap_w = inner.w;
	textblock_wrap(&f->tb, app, FONT_BODY, f->te.buf, inner.w);
	cl = cursor_line(f);
	if (f->te.cursor > 0 && f->te.buf[f->te.cursor - 1] == '\n' && !f->te.buf[f->te.cursor])
		cl = f->tb.n_lines; /* on the new, empty line */
	if (rows < 1)
		rows = 1;
	if (cl < f->first_line)
		f->first_line = cl;
	if (cl >= f->first_line + rows)
		f->first_line = cl - rows + 1;
	app_push_clip(app, &inner);
	for (size_t i = f->first_line; i < f->tb.n_lines && i < f->first_line + rows; i++) {
		const struct wrap_line *ln = &f->tb.lines[i];

		app_draw_text(app, FONT_BODY, c->text, f->te.buf + ln->start, ln->len, inner.x,
		              inner.y + (int)(i - f->first_line) * lh);
	}
	if (focused) {
		int cw = app->m.border * 2 > 2 ? app->m.border * 2 : 2;

		if (cl < f->tb.n_lines)
			cx = font_measure(font, f->te.buf + f->tb.lines[cl].start,
			                  f->te.cursor - f->tb.lines[cl].start);
		else
			cx = 0;
		if (cx > inner.w - cw)
			cx = inner.w - cw;
		cy = inner.y + (int)(cl - f->first_line) * lh;
		draw_rect(r, &(SDL_Rect){inner.x + cx, cy, cw, lh}, c->accent);
	}
	app_pop_clip(app);
}

static void
field_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct field *f = w->data;
	struct ui_app *app = w->app;
	const struct theme_colors *c = &app->colors;
	bool focused = app->focus == w;
	TTF_Font *font = fonts_get(app->fonts, field_role(f));
	int p = pad(app), lh = font_line_height(font);
	SDL_Rect inner = {w->rect.x + p, w->rect.y, w->rect.w - 2 * p, w->rect.h};
	int ty = w->rect.y + (w->rect.h - lh) / 2;
	const char *shown = field_shown(w);

	draw_box(r, &w->rect, app->m.radius, focused ? app->m.border * 3 : app->m.border,
	         w->enabled ? c->surface : c->locked, focused ? c->accent : c->border);
	if (f->max_lines > 1 && shown[0]) {
		render_lines(w, r, focused);
		return;
	}
	app_push_clip(app, &inner);
	if (!shown[0]) {
		const char *hint = widget_text(w);

		if (hint[0])
			app_draw_text(app, FONT_BODY, c->muted, hint, strlen(hint), inner.x,
			              w->rect.y + (w->rect.h - font_line_height(fonts_get(
			                                               app->fonts, FONT_BODY))) /
			                                  2);
		f->scroll_x = 0;
	} else {
		int cx = font_measure(font, shown, shown_cursor(f));

		/* Keep the cursor inside the box, scrolling the text under it. */
		if (cx - f->scroll_x > inner.w - 2)
			f->scroll_x = cx - inner.w + 2;
		if (cx - f->scroll_x < 0)
			f->scroll_x = cx;
		app_draw_text(app, field_role(f), c->text, shown, strlen(shown),
		              inner.x - f->scroll_x, ty);
	}
	if (focused) {
		int cx = inner.x + font_measure(font, shown, shown_cursor(f)) - f->scroll_x;
		int cw = app->m.border * 2 > 2 ? app->m.border * 2 : 2;

		draw_rect(r, &(SDL_Rect){cx, ty, cw, lh}, c->accent);
	}
	app_pop_clip(app);
}

static void
field_tap(struct ui_widget *w, int x, int y)
{
	ui_app_focus(w->app, w);
	widget_click(w);
}

static bool
field_key(struct ui_widget *w, const SDL_Event *e)
{
	struct field *f = w->data;
	bool changed = false;

	if (e->type == SDL_TEXTINPUT) {
		char text[sizeof(e->text.text) + 1];

		memcpy(text, e->text.text, sizeof(e->text.text));
		text[sizeof(e->text.text)] = '\0';
		textedit_insert(&f->te, text);
		field_changed(w);
		return true;
	}
	if (e->type != SDL_KEYDOWN)
		return false;
	switch (e->key.keysym.sym) {
	case SDLK_BACKSPACE:
		changed = textedit_backspace(&f->te);
		break;
	case SDLK_DELETE:
		changed = textedit_delete(&f->te);
		break;
	case SDLK_LEFT:
		changed = textedit_left(&f->te);
		break;
	case SDLK_RIGHT:
		changed = textedit_right(&f->te);
		break;
	case SDLK_HOME:
		textedit_home(&f->te);
		changed = true;
		break;
	case SDLK_END:
		textedit_end(&f->te);
		changed = true;
		break;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		field_submit(w);
		return true;
	default:
		return false;
	}
	if (changed)
		field_changed(w);
	return true;
}

static void
field_dump(struct ui_widget *w, struct json *j)
{
	struct field *f = w->data;
	static const char *const kinds[] = {"text", "number", "pin", "code"};

	json_key_str(j, "kind", kinds[f->kind]);
	json_key_int(j, "length", (long)textedit_chars(&f->te));
	json_key_str(j, "hint", w->text ? widget_text(w) : NULL);
	if (f->max_lines > 1)
		json_key_int(j, "lines", (long)f->lines_shown);
	/* A PIN never leaves the field, not even into a test dump. */
	if (f->kind != UI_FIELD_PIN)
		json_key_str(j, "value", f->te.buf);
}

static void
field_destroy(struct ui_widget *w)
{
	struct field *f = w->data;

	textedit_free(&f->te);
	free(f->shown);
	textblock_free(&f->tb);
}

const struct widget_class field_class = {
        .type = "text-field",
        .focusable = true,
        .interactive = true,
        .measure = field_measure,
        .render = field_render,
        .tap = field_tap,
        .key = field_key,
        .dump = field_dump,
        .destroy = field_destroy,
};

struct ui_widget *
ui_text_field_new(enum ui_field_kind kind, const char *hint)
{
	struct ui_widget *w = widget_new(&field_class, sizeof(struct field));
	struct field *f;

	if (!w)
		return NULL;
	f = w->data;
	f->kind = (unsigned)kind <= UI_FIELD_CODE ? kind : UI_FIELD_TEXT;
	f->kb = f->kind == UI_FIELD_TEXT || f->kind == UI_FIELD_CODE ? UI_KEYBOARD_LETTERS
	                                                             : UI_KEYBOARD_PIN;
	if (textedit_init(&f->te, f->kind == UI_FIELD_PIN ? 8 : 256,
	                  f->kind == UI_FIELD_NUMBER || f->kind == UI_FIELD_PIN) < 0 ||
	    (hint && ui_widget_set_text(w, hint) < 0)) {
		ui_widget_free(w);
		return NULL;
	}
	f->te.code = f->kind == UI_FIELD_CODE;
	f->max_lines = 1;
	f->tb.width = -1;
	return w;
}

const char *
ui_text_field_get_text(const struct ui_widget *field)
{
	if (!field || field->cls != &field_class)
		return "";
	return ((const struct field *)field->data)->te.buf;
}

int
ui_text_field_set_text(struct ui_widget *field, const char *text)
{
	int r;

	if (!field || field->cls != &field_class || !text)
		return -EINVAL;
	r = textedit_set(&((struct field *)field->data)->te, text);
	field_changed(field);
	return r == -ENOSPC ? 0 : r;
}

void
ui_text_field_set_max_length(struct ui_widget *field, size_t max_chars)
{
	if (!field || field->cls != &field_class)
		return;
	textedit_set_max(&((struct field *)field->data)->te, max_chars);
	field_changed(field);
}

void
ui_text_field_set_lines(struct ui_widget *field, int max_lines)
{
	struct field *f;

	if (!field || field->cls != &field_class)
		return;
	f = field->data;
	if (f->kind == UI_FIELD_PIN)
		return;
	f->max_lines = max_lines < 1 ? 1 : max_lines > 20 ? 20 : max_lines;
	widget_relayout(field);
}

void
ui_text_field_set_on_submit(struct ui_widget *field, ui_submit_fn fn, void *userdata)
{
	if (!field || field->cls != &field_class)
		return;
	((struct field *)field->data)->submit_fn = fn;
	((struct field *)field->data)->submit_data = userdata;
}

void
ui_text_field_set_keyboard(struct ui_widget *field, enum ui_keyboard_mode mode)
{
	if (!field || field->cls != &field_class)
		return;
	((struct field *)field->data)->kb = mode;
	widget_relayout(field);
}

struct textedit *
field_edit(struct ui_widget *field)
{
	return &((struct field *)field->data)->te;
}

void
field_changed(struct ui_widget *field)
{
	struct field *f = field->data;

	/* A field of several lines grows or shrinks with its text. */
	if (f->max_lines > 1 && f->wrap_w > 0 && field_lines(field) != f->lines_shown)
		widget_relayout(field);
	widget_redraw(field);
}

void
field_submit(struct ui_widget *field)
{
	struct field *f = field->data;

	if (f->submit_fn)
		f->submit_fn(field, f->te.buf, f->submit_data);
}

enum ui_keyboard_mode
field_keyboard(const struct ui_widget *field)
{
	return ((const struct field *)field->data)->kb;
}

const char *
field_shown_text(const struct ui_widget *field)
{
	return field_shown(field);
}
