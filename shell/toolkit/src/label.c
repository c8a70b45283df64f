/*
 * Labels, headings and paragraphs: text that wraps at the width layout gives it, using
 * wrap.c with the role's font for measuring. The wrapped lines are kept until the text,
 * the width or the font changes, so a frame that only scrolls does no line breaking.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "layout.h"
#include "ui_int.h"
#include "wrap.h"

/* ---- text blocks: wrapped text that widgets embed ---- */

static int
measure_cb(void *ctx, const char *s, size_t len)
{
	return font_measure(ctx, s, len);
}

void
textblock_free(struct textblock *tb)
{
	free(tb->lines);
	free(tb->text);
	*tb = (struct textblock){.width = -1};
}

void
textblock_wrap(struct textblock *tb, struct ui_app *app, enum font_role role, const char *text,
               int width)
{
	TTF_Font *font = fonts_get(app->fonts, role);

	if (width < 1)
		width = 1;
	if (tb->text && tb->width == width && tb->font == font && strcmp(tb->text, text) == 0)
		return;
	textblock_free(tb);
	tb->text = strdup(text);
	if (!tb->text)
		return;
	if (wrap_text(text, strlen(text), app->language, width, measure_cb, font, &tb->lines,
	              &tb->n_lines) < 0) {
		tb->lines = NULL;
		tb->n_lines = 0;
	}
	tb->width = width;
	tb->font = font;
	tb->line_h = font_line_height(font);
	tb->text_w = 0;
	for (size_t i = 0; i < tb->n_lines; i++)
		if (tb->lines[i].width > tb->text_w)
			tb->text_w = tb->lines[i].width;
}

int
textblock_height(const struct textblock *tb)
{
	return (int)tb->n_lines * tb->line_h;
}

void
textblock_draw(const struct textblock *tb, struct ui_app *app, enum font_role role, SDL_Color c,
               const SDL_Rect *box, enum ui_align align)
{
	int y = box->y;

	for (size_t i = 0; i < tb->n_lines; i++) {
		const struct wrap_line *ln = &tb->lines[i];

		app_draw_text(app, role, c, tb->text + ln->start, ln->len,
		              box->x + layout_align(box->w, ln->width, align), y);
		y += tb->line_h;
	}
}

/* ---- labels ---- */

struct label {
	enum font_role role;
	bool paragraph; /* extra space after, always start-aligned */
	struct textblock tb; /* owned: the last wrap */
};

static void
rewrap(struct ui_widget *w, int width)
{
	struct label *l = w->data;

	if (w->app)
		textblock_wrap(&l->tb, w->app, l->role, widget_text(w), width);
}

static void
label_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct label *l = w->data;

	if (!w->app) {
		*ret_w = *ret_h = 0;
		return;
	}
	rewrap(w, avail_w);
	*ret_w = l->tb.text_w;
	*ret_h = textblock_height(&l->tb) + (l->paragraph ? w->app->m.space[UI_SPACE_SMALL] : 0);
}

static void
label_arrange(struct ui_widget *w)
{
	rewrap(w, w->rect.w);
}

static void
label_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct label *l = w->data;
	struct ui_app *app = w->app;
	SDL_Color c = w->enabled ? app->colors.text : app->colors.muted;

	rewrap(w, w->rect.w);
	textblock_draw(&l->tb, app, l->role, c, &w->rect, l->paragraph ? UI_ALIGN_START : w->align);
}

static void
label_restyle(struct ui_widget *w)
{
	textblock_free(&((struct label *)w->data)->tb);
}

static void
label_destroy(struct ui_widget *w)
{
	textblock_free(&((struct label *)w->data)->tb);
}

static void
label_dump(struct ui_widget *w, struct json *j)
{
	json_key_int(j, "lines", (long)((struct label *)w->data)->tb.n_lines);
}

int
label_line_count(const struct ui_widget *w)
{
	return (int)((const struct label *)w->data)->tb.n_lines;
}

const struct widget_class label_class = {
        .type = "label",
        .measure = label_measure,
        .arrange = label_arrange,
        .render = label_render,
        .dump = label_dump,
        .restyle = label_restyle,
        .destroy = label_destroy,
};

const struct widget_class heading_class = {
        .type = "heading",
        .measure = label_measure,
        .arrange = label_arrange,
        .render = label_render,
        .dump = label_dump,
        .restyle = label_restyle,
        .destroy = label_destroy,
};

const struct widget_class paragraph_class = {
        .type = "paragraph",
        .measure = label_measure,
        .arrange = label_arrange,
        .render = label_render,
        .dump = label_dump,
        .restyle = label_restyle,
        .destroy = label_destroy,
};

static struct ui_widget *
label_new(const struct widget_class *cls, enum font_role role, bool paragraph, const char *text)
{
	struct ui_widget *w = widget_new(cls, sizeof(struct label));
	struct label *l;

	if (!w)
		return NULL;
	l = w->data;
	l->role = role;
	l->paragraph = paragraph;
	l->tb.width = -1;
	if (text && ui_widget_set_text(w, text) < 0) {
		ui_widget_free(w);
		return NULL;
	}
	return w;
}

struct ui_widget *
ui_label_new(const char *text)
{
	return label_new(&label_class, FONT_BODY, false, text);
}

struct ui_widget *
ui_heading_new(const char *text)
{
	return label_new(&heading_class, FONT_HEADING, false, text);
}

struct ui_widget *
ui_paragraph_new(const char *text)
{
	return label_new(&paragraph_class, FONT_BODY, true, text);
}

int
ui_label_set_text(struct ui_widget *label, const char *text)
{
	if (!label || (label->cls != &label_class && label->cls != &heading_class &&
	               label->cls != &paragraph_class))
		return -EINVAL;
	return ui_widget_set_text(label, text);
}
