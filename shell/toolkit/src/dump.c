/*
 * The widget tree as JSON, screenshots, and text/id search for the script driver (see
 * dump.h and the README for the format). "Visible" here means what a person could see:
 * the widget and its ancestors are shown and its rectangle meets the area it is clipped
 * to (the screen's viewport, a list's box), so a row scrolled away is not visible.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "draw.h"
#include "dump.h"
#include "ui_int.h"

void
json_open(struct json *j, FILE *f)
{
	*j = (struct json){.f = f};
	j->first[0] = true;
}

static void
put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void
member(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (key) {
		put_string(j->f, key);
		fputc(':', j->f);
	}
}

void
json_object_begin(struct json *j, const char *key)
{
	if (j->depth > 0 || key)
		member(j, key);
	fputc('{', j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void
json_object_end(struct json *j)
{
	fputc('}', j->f);
	if (j->depth > 0)
		j->depth--;
}

void
json_array_begin(struct json *j, const char *key)
{
	member(j, key);
	fputc('[', j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void
json_array_end(struct json *j)
{
	fputc(']', j->f);
	if (j->depth > 0)
		j->depth--;
}

void
json_key_str(struct json *j, const char *key, const char *s)
{
	member(j, key);
	if (s)
		put_string(j->f, s);
	else
		fputs("null", j->f);
}

void
json_key_int(struct json *j, const char *key, long v)
{
	member(j, key);
	fprintf(j->f, "%ld", v);
}

void
json_key_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void
json_key_rect(struct json *j, const char *key, const SDL_Rect *rc)
{
	member(j, key);
	fprintf(j->f, "[%d,%d,%d,%d]", rc->x, rc->y, rc->w, rc->h);
}

/* ---- visibility ---- */

static bool
meets(const SDL_Rect *a, const SDL_Rect *b)
{
	return a->w > 0 && a->h > 0 && a->x < b->x + b->w && b->x < a->x + a->w &&
	       a->y < b->y + b->h && b->y < a->y + a->h;
}

static SDL_Rect
intersect(const SDL_Rect *a, const SDL_Rect *b)
{
	SDL_Rect out;

	if (!SDL_IntersectRect(a, b, &out))
		out = (SDL_Rect){0, 0, 0, 0};
	return out;
}

/* The clip that children of `w` live in, given the clip `w` lives in. */
static SDL_Rect
child_clip(const struct ui_widget *w, const SDL_Rect *clip)
{
	if (w->cls == &screen_class || w->cls == &list_class)
		return intersect(clip, &w->rect);
	return *clip;
}

/* ---- the dump ---- */

static void dump_widget(struct json *j, struct ui_widget *w, const SDL_Rect *clip, bool shown);

static void
dump_items(struct json *j, struct ui_widget *w, const SDL_Rect *clip, bool shown)
{
	size_t n = w->cls->n_items ? w->cls->n_items(w) : 0;
	SDL_Rect inner = child_clip(w, clip);

	for (size_t i = 0; i < n; i++) {
		struct widget_item it;

		if (!w->cls->get_item(w, i, &it))
			continue;
		json_object_begin(j, NULL);
		json_key_str(j, "type", it.type);
		json_key_str(j, "id", it.id[0] ? it.id : NULL);
		json_key_str(j, "text", it.text);
		json_key_rect(j, "rect", &it.rect);
		json_key_bool(j, "visible", shown && meets(&it.rect, &inner));
		json_key_bool(j, "enabled", w->enabled);
		json_object_begin(j, "state");
		json_key_int(j, "index", it.index);
		if (it.detail[0])
			json_key_str(j, "detail", it.detail);
		if (it.checked)
			json_key_bool(j, "checked", true);
		json_object_end(j);
		json_object_end(j);
	}
}

static void
dump_widget(struct json *j, struct ui_widget *w, const SDL_Rect *clip, bool shown)
{
	SDL_Rect inner;

	shown = shown && w->visible;
	json_object_begin(j, NULL);
	json_key_str(j, "type", w->cls->type);
	json_key_str(j, "id", w->id);
	json_key_str(j, "text", ui_widget_get_text(w));
	json_key_rect(j, "rect", &w->rect);
	json_key_bool(j, "visible", shown && meets(&w->rect, clip));
	json_key_bool(j, "enabled", w->enabled);
	json_key_bool(j, "focused", w->app && w->app->focus == w);
	json_object_begin(j, "state");
	if (w->icon != UI_ICON_NONE)
		json_key_str(j, "icon", draw_icon_name(w->icon));
	if (w->cls == &toggle_class || w->cls == &option_class || w->cls == &radio_class)
		json_key_bool(j, "checked", w->checked);
	if (w->cls->dump)
		w->cls->dump(w, j);
	json_object_end(j);
	json_array_begin(j, "children");
	inner = child_clip(w, clip);
	for (size_t i = 0; i < w->n_children; i++)
		dump_widget(j, w->children[i], &inner, shown);
	dump_items(j, w, clip, shown);
	json_array_end(j);
	json_object_end(j);
}

int
dump_write(struct ui_app *app, const char *path)
{
	struct json j;
	FILE *f;
	SDL_Rect win = {0, 0, app->win_w, app->win_h};
	struct ui_widget *root = app_current_root(app);
	int r = 0;

	app_layout(app);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	json_open(&j, f);
	json_object_begin(&j, NULL);
	json_key_str(&j, "screen", ui_app_get_screen(app));
	json_array_begin(&j, "window");
	fprintf(f, "%d,%d", app->win_w, app->win_h);
	json_array_end(&j);
	json_key_str(&j, "theme", theme_name(app->theme));
	json_key_str(&j, "text_size", theme_text_size_name(app->text_size));
	json_key_str(&j, "language", app->language);
	json_key_bool(&j, "read_aloud", app->read_aloud);
	json_key_str(&j, "spoken", app->last_spoken);
	json_key_int(&j, "dpi", (long)(app->dpi + 0.5));
	json_key_int(&j, "target_px", app->m.target);
	json_key_int(&j, "body_px", app->m.font_px[FONT_BODY]);
	json_key_str(&j, "focus",
	             app->focus ? (app->focus->id ? app->focus->id : app->focus->cls->type) : NULL);
	json_key_bool(&j, "dialog", app->dialog != NULL);
	json_key_bool(&j, "keyboard", app->keyboard_shown);
	json_key_bool(&j, "speaking", ui_app_speaking(app));
	json_object_begin(&j, "layers");
	if (app->status_shown) {
		json_array_begin(&j, "status");
		dump_widget(&j, app->status, &win, true);
		json_array_end(&j);
	}
	if (root) {
		json_array_begin(&j, "screen");
		dump_widget(&j, root, &win, true);
		json_array_end(&j);
	}
	if (app->banner) {
		json_array_begin(&j, "banner");
		dump_widget(&j, app->banner, &win, true);
		json_array_end(&j);
	}
	if (app->keyboard_shown) {
		json_array_begin(&j, "keyboard");
		dump_widget(&j, app->keyboard, &win, true);
		json_array_end(&j);
	}
	if (app->dialog) {
		json_array_begin(&j, "dialog");
		dump_widget(&j, app->dialog, &win, true);
		json_array_end(&j);
	}
	json_object_end(&j);
	json_object_end(&j);
	fputc('\n', f);
	if (ferror(f))
		r = -EIO;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

int
dump_screenshot(struct ui_app *app, const char *path)
{
	SDL_Surface *s;
	int r = 0;

	app_layout(app);
	app_render(app);
	s = SDL_CreateRGBSurfaceWithFormat(0, app->win_w, app->win_h, 32, SDL_PIXELFORMAT_RGBA32);
	if (!s)
		return -ENOMEM;
	if (SDL_RenderReadPixels(app->renderer, NULL, SDL_PIXELFORMAT_RGBA32, s->pixels,
	                         s->pitch) != 0)
		r = -EIO;
	else if (IMG_SavePNG(s, path) != 0)
		r = -EIO;
	SDL_FreeSurface(s);
	/* The frame drawn for the picture is shown too: it is the current one. */
	SDL_RenderPresent(app->renderer);
	return r;
}

/* ---- search ---- */

struct search {
	const char *text; /* NULL when searching by id */
	const char *id;
	enum dump_match match;
	bool tappable;
	struct dump_hit hit;
	bool found;
};

static bool
text_matches(const struct search *s, const char *shown)
{
	if (!shown || !shown[0])
		return false;
	if (s->match == DUMP_EXACT)
		return strcmp(shown, s->text) == 0;
	return strstr(shown, s->text) != NULL;
}

static bool
is_tappable(const struct ui_widget *w)
{
	return w->enabled && (w->cls->interactive || w->on_click || w->cls->focusable);
}

/* Depth first, last child first, so what is drawn on top is found first. */
static void
search_widget(struct search *s, struct ui_widget *w, const SDL_Rect *clip)
{
	SDL_Rect inner;
	size_t n;

	if (s->found || !w->visible)
		return;
	inner = child_clip(w, clip);
	n = w->cls->n_items ? w->cls->n_items(w) : 0;
	for (size_t i = 0; i < n && !s->found; i++) {
		struct widget_item it;

		if (!w->cls->get_item(w, i, &it) || !meets(&it.rect, &inner))
			continue;
		if (s->tappable && !w->enabled)
			continue;
		if ((s->text && text_matches(s, it.text)) ||
		    (s->id && it.id[0] && strcmp(it.id, s->id) == 0)) {
			s->hit = (struct dump_hit){w, (long)i, intersect(&it.rect, &inner)};
			s->found = true;
		}
	}
	for (size_t i = w->n_children; i-- > 0 && !s->found;)
		search_widget(s, w->children[i], &inner);
	if (s->found || !meets(&w->rect, clip))
		return;
	if (s->text && !text_matches(s, ui_widget_get_text(w)))
		return;
	if (s->id && (!w->id || strcmp(w->id, s->id) != 0))
		return;
	if (s->tappable) {
		/* Text inside a button belongs to the button: tap what takes the tap. */
		struct ui_widget *t = w;

		while (t && !is_tappable(t))
			t = t->parent;
		if (!t)
			return;
		w = t;
	}
	s->hit = (struct dump_hit){w, -1, intersect(&w->rect, clip)};
	s->found = true;
}

static bool
search_layers(struct ui_app *app, struct search *s)
{
	struct ui_widget *layers[5];
	size_t n = input_layers(app, layers);
	SDL_Rect win = {0, 0, app->win_w, app->win_h};

	app_layout(app);
	for (size_t i = 0; i < n && !s->found; i++) {
		search_widget(s, layers[i], &win);
		/* A dialog is modal: nothing under it can be tapped. */
		if (s->tappable && layers[i] == app->dialog)
			break;
	}
	return s->found;
}

bool
dump_find_text(struct ui_app *app, const char *text, enum dump_match match, bool tappable,
               struct dump_hit *ret_hit)
{
	struct search s = {.text = text, .match = match, .tappable = tappable};

	if (!search_layers(app, &s))
		return false;
	*ret_hit = s.hit;
	return true;
}

bool
dump_find_id(struct ui_app *app, const char *id, struct dump_hit *ret_hit)
{
	struct search s = {.id = id, .match = DUMP_EXACT};

	if (!search_layers(app, &s))
		return false;
	*ret_hit = s.hit;
	return true;
}
