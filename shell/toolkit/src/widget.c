/*
 * The widget tree: creating and freeing widgets, parent/child links, the properties all
 * widgets share (id, text, visibility, size hints, click handler, icon), and the three
 * passes every frame goes through: measure (preferred size), arrange (rectangles) and
 * render. Each kind of widget supplies a struct widget_class; this file dispatches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_image.h>

#include "draw.h"
#include "ui_int.h"

struct ui_widget *
widget_new(const struct widget_class *cls, size_t data_size)
{
	struct ui_widget *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	if (data_size) {
		w->data = calloc(1, data_size);
		if (!w->data) {
			free(w);
			return NULL;
		}
	}
	w->cls = cls;
	w->visible = true;
	w->enabled = true;
	w->translate = true;
	w->spacing = UI_SPACE_MEDIUM;
	w->padding = UI_SPACE_NONE;
	return w;
}

void
widget_attach(struct ui_widget *w, struct ui_app *app)
{
	w->app = app;
	if (app && w->cls == &nav_home_class)
		nav_home_attach(w, app);
	for (size_t i = 0; i < w->n_children; i++)
		widget_attach(w->children[i], app);
}

static void
widget_destroy(struct ui_widget *w)
{
	for (size_t i = 0; i < w->n_children; i++) {
		w->children[i]->parent = NULL;
		widget_destroy(w->children[i]);
	}
	free(w->children);
	if (w->app)
		app_forget_widget(w->app, w);
	if (w->cls->destroy)
		w->cls->destroy(w);
	if (w->icon_texture)
		SDL_DestroyTexture(w->icon_texture);
	if (w->icon_surface)
		SDL_FreeSurface(w->icon_surface);
	free(w->scroll);
	free(w->data);
	free(w->id);
	free(w->text);
	free(w);
}

static void
detach(struct ui_widget *w)
{
	struct ui_widget *p = w->parent;

	if (!p)
		return;
	for (size_t i = 0; i < p->n_children; i++) {
		if (p->children[i] == w) {
			memmove(&p->children[i], &p->children[i + 1],
			        (p->n_children - i - 1) * sizeof(*p->children));
			p->n_children--;
			break;
		}
	}
	w->parent = NULL;
	widget_relayout(p);
}

void
ui_widget_free(struct ui_widget *w)
{
	if (!w)
		return;
	detach(w);
	widget_destroy(w);
}

struct ui_widget *
ui_widget_add(struct ui_widget *parent, struct ui_widget *child)
{
	if (!parent) {
		ui_widget_free(child);
		return NULL;
	}
	if (!child) {
		parent->alloc_failed = true;
		return NULL;
	}
	if (!parent->cls->container || child->parent || parent->n_children >= 100000) {
		/* A programming error; record it like a failure so the screen is refused. */
		parent->alloc_failed = true;
		if (!child->parent)
			ui_widget_free(child);
		return NULL;
	}
	if (parent->n_children == parent->cap_children) {
		size_t cap = parent->cap_children ? parent->cap_children * 2 : 4;
		struct ui_widget **c = realloc(parent->children, cap * sizeof(*c));

		if (!c) {
			parent->alloc_failed = true;
			ui_widget_free(child);
			return NULL;
		}
		parent->children = c;
		parent->cap_children = cap;
	}
	parent->children[parent->n_children++] = child;
	child->parent = parent;
	if (child->alloc_failed)
		parent->alloc_failed = true;
	if (parent->app)
		widget_attach(child, parent->app);
	widget_relayout(parent);
	return child;
}

void
ui_widget_clear(struct ui_widget *parent)
{
	if (!parent)
		return;
	while (parent->n_children > 0)
		ui_widget_free(parent->children[parent->n_children - 1]);
}

static bool
valid_id(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

int
ui_widget_set_id(struct ui_widget *w, const char *id)
{
	char *copy;

	if (!w || !id || !valid_id(id))
		return -EINVAL;
	copy = strdup(id);
	if (!copy)
		return -ENOMEM;
	free(w->id);
	w->id = copy;
	/* A choice names its options after itself. */
	if (w->cls == &choice_class) {
		for (size_t i = 0; i < w->n_children; i++) {
			char sub[80];

			snprintf(sub, sizeof(sub), "%s.%zu", id, i);
			ui_widget_set_id(w->children[i], sub);
		}
	}
	return 0;
}

const char *
ui_widget_get_id(const struct ui_widget *w)
{
	return w && w->id ? w->id : NULL;
}

struct ui_widget *
ui_widget_find(struct ui_widget *root, const char *id)
{
	if (!root || !id)
		return NULL;
	if (root->id && strcmp(root->id, id) == 0)
		return root;
	for (size_t i = 0; i < root->n_children; i++) {
		struct ui_widget *f = ui_widget_find(root->children[i], id);

		if (f)
			return f;
	}
	return NULL;
}

int
ui_widget_set_text(struct ui_widget *w, const char *text)
{
	char *copy = NULL;

	if (!w || w->cls == &box_class || w->cls == &grid_class || w->cls == &list_class ||
	    w->cls == &keyboard_class || w->cls == &spacer_class)
		return -EINVAL;
	if (text) {
		copy = strdup(text);
		if (!copy)
			return -ENOMEM;
	}
	free(w->text);
	w->text = copy;
	if (w->cls->restyle)
		w->cls->restyle(w);
	widget_relayout(w);
	return 0;
}

const char *
widget_text(const struct ui_widget *w)
{
	if (!w->text)
		return "";
	if (w->translate && w->app)
		return ui_app_tr(w->app, w->text);
	return w->text;
}

const char *
ui_widget_get_text(const struct ui_widget *w)
{
	if (!w)
		return "";
	if (w->cls == &field_class)
		return field_shown_text(w);
	return widget_text(w);
}

void
ui_widget_set_translate(struct ui_widget *w, bool translate)
{
	if (!w)
		return;
	w->translate = translate;
	if (w->cls->restyle)
		w->cls->restyle(w);
	widget_relayout(w);
}

void
ui_widget_set_visible(struct ui_widget *w, bool visible)
{
	if (!w || w->visible == visible)
		return;
	w->visible = visible;
	if (!visible && w->app && w->app->focus) {
		for (struct ui_widget *p = w->app->focus; p; p = p->parent)
			if (p == w) {
				ui_app_focus(w->app, NULL);
				break;
			}
	}
	widget_relayout(w);
}

bool
ui_widget_is_visible(const struct ui_widget *w)
{
	return w && w->visible;
}

void
ui_widget_set_enabled(struct ui_widget *w, bool enabled)
{
	if (!w)
		return;
	w->enabled = enabled;
	widget_redraw(w);
}

bool
ui_widget_is_enabled(const struct ui_widget *w)
{
	return w && w->enabled;
}

void
ui_widget_set_expand(struct ui_widget *w, int weight)
{
	if (!w)
		return;
	w->expand = weight < 0 ? 0 : weight;
	widget_relayout(w);
}

void
ui_widget_set_align(struct ui_widget *w, enum ui_align align)
{
	if (!w)
		return;
	w->align = align;
	widget_relayout(w);
}

void
ui_widget_set_min_size(struct ui_widget *w, double w_mm, double h_mm)
{
	if (!w)
		return;
	w->min_w_mm = w_mm > 0 ? w_mm : 0;
	w->min_h_mm = h_mm > 0 ? h_mm : 0;
	widget_relayout(w);
}

void
ui_widget_set_on_click(struct ui_widget *w, ui_click_fn fn, void *userdata)
{
	if (!w)
		return;
	w->on_click = fn;
	w->click_data = userdata;
}

void
ui_widget_set_icon(struct ui_widget *w, enum ui_icon icon)
{
	if (!w || (unsigned)icon >= UI_ICON_COUNT_ || w->icon == icon)
		return;
	w->icon = icon;
	widget_redraw(w);
}

int
ui_widget_set_icon_file(struct ui_widget *w, const char *png_path)
{
	SDL_Surface *s;

	if (!w || !png_path)
		return -EINVAL;
	s = IMG_Load(png_path);
	if (!s)
		return access(png_path, R_OK) == 0 ? -EINVAL : -ENOENT;
	if (w->icon_texture) {
		SDL_DestroyTexture(w->icon_texture);
		w->icon_texture = NULL;
	}
	if (w->icon_surface)
		SDL_FreeSurface(w->icon_surface);
	w->icon_surface = s;
	widget_redraw(w);
	return 0;
}

void
ui_widget_get_rect(const struct ui_widget *w, SDL_Rect *ret_rect)
{
	if (w)
		*ret_rect = w->rect;
}

struct ui_app *
ui_widget_get_app(const struct ui_widget *w)
{
	return w ? w->app : NULL;
}

/* ---- the passes ---- */

int
widget_min_w(const struct ui_widget *w)
{
	return w->app ? theme_mm(w->app->dpi, w->min_w_mm) : 0;
}

int
widget_min_h(const struct ui_widget *w)
{
	return w->app ? theme_mm(w->app->dpi, w->min_h_mm) : 0;
}

void
widget_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	int mw = 0, mh = 0;

	if (!w->visible) {
		*ret_w = 0;
		*ret_h = 0;
		return;
	}
	if (avail_w < 1)
		avail_w = 1;
	if (w->cls->measure)
		w->cls->measure(w, avail_w, &mw, &mh);
	if (mw < widget_min_w(w))
		mw = widget_min_w(w);
	if (mh < widget_min_h(w))
		mh = widget_min_h(w);
	*ret_w = mw;
	*ret_h = mh;
}

void
widget_set_rect(struct ui_widget *w, const SDL_Rect *rc)
{
	w->rect = *rc;
	if (w->visible && w->cls->arrange)
		w->cls->arrange(w);
}

static bool
rects_meet(const SDL_Rect *a, const SDL_Rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

void
widget_render(struct ui_widget *w, SDL_Renderer *r)
{
	const SDL_Rect *clip;

	if (!w->visible || w->rect.w <= 0 || w->rect.h <= 0)
		return;
	clip = w->app ? app_clip(w->app) : NULL;
	if (clip && !rects_meet(&w->rect, clip))
		return;
	if (w->cls->render)
		w->cls->render(w, r);
	else
		widget_render_children(w, r);
	if (w->app && w->app->focus == w)
		app_draw_focus(w->app, &w->rect);
}

void
widget_render_children(struct ui_widget *w, SDL_Renderer *r)
{
	for (size_t i = 0; i < w->n_children; i++)
		widget_render(w->children[i], r);
}

void
widget_relayout(struct ui_widget *w)
{
	if (w && w->app) {
		w->app->layout_dirty = true;
		w->app->redraw = true;
	}
}

void
widget_redraw(struct ui_widget *w)
{
	if (w && w->app)
		w->app->redraw = true;
}

void
widget_restyle_tree(struct ui_widget *w)
{
	if (w->cls->restyle)
		w->cls->restyle(w);
	if (w->icon_texture) {
		SDL_DestroyTexture(w->icon_texture);
		w->icon_texture = NULL;
	}
	for (size_t i = 0; i < w->n_children; i++)
		widget_restyle_tree(w->children[i]);
}

static bool
point_in(const SDL_Rect *rc, int x, int y)
{
	return x >= rc->x && y >= rc->y && x < rc->x + rc->w && y < rc->y + rc->h;
}

struct ui_widget *
widget_hit(struct ui_widget *w, int x, int y)
{
	if (!w->visible || !point_in(&w->rect, x, y))
		return NULL;
	if (w->cls->hit) {
		struct ui_widget *h = w->cls->hit(w, x, y);

		if (h)
			return h;
	}
	for (size_t i = w->n_children; i-- > 0;) {
		struct ui_widget *h = widget_hit(w->children[i], x, y);

		if (h)
			return h;
	}
	return w;
}

bool
widget_is_shown(const struct ui_widget *w)
{
	for (; w; w = w->parent)
		if (!w->visible)
			return false;
	return true;
}

void
widget_click(struct ui_widget *w)
{
	if (w->on_click)
		w->on_click(w, w->click_data);
}

bool
widget_has_class(const struct ui_widget *w, const struct widget_class *cls)
{
	return w && w->cls == cls;
}

void
widget_draw_icon(struct ui_widget *w, SDL_Renderer *r, const SDL_Rect *box, SDL_Color fg,
                 SDL_Color bg)
{
	if (w->icon_surface) {
		SDL_Rect dst = *box;
		double sx, sy, s;

		if (!w->icon_texture)
			w->icon_texture = SDL_CreateTextureFromSurface(r, w->icon_surface);
		if (!w->icon_texture)
			return;
		/* Keep the picture's proportions inside the box. */
		sx = (double)box->w / w->icon_surface->w;
		sy = (double)box->h / w->icon_surface->h;
		s = sx < sy ? sx : sy;
		dst.w = (int)(w->icon_surface->w * s);
		dst.h = (int)(w->icon_surface->h * s);
		dst.x = box->x + (box->w - dst.w) / 2;
		dst.y = box->y + (box->h - dst.h) / 2;
		SDL_RenderCopy(r, w->icon_texture, NULL, &dst);
		return;
	}
	draw_icon(r, w->icon, box, fg, bg);
}

int
app_draw_text(struct ui_app *app, enum font_role role, SDL_Color c, const char *s, size_t len,
              int x, int y)
{
	int tw = 0, th = 0;
	SDL_Texture *t =
	        text_cache_get(app->texts, fonts_get(app->fonts, role), c, s, len, &tw, &th);

	if (!t)
		return 0;
	SDL_RenderCopy(app->renderer, t, NULL, &(SDL_Rect){x, y, tw, th});
	return tw;
}

void
app_draw_focus(struct ui_app *app, const SDL_Rect *rc)
{
	int f = app->m.focus;
	SDL_Rect o = {rc->x - f, rc->y - f, rc->w + 2 * f, rc->h + 2 * f};
	SDL_Color c = app->colors.focus;

	/* Four bars rather than a filled box, so the widget stays visible. */
	draw_rect(app->renderer, &(SDL_Rect){o.x, o.y, o.w, f}, c);
	draw_rect(app->renderer, &(SDL_Rect){o.x, o.y + o.h - f, o.w, f}, c);
	draw_rect(app->renderer, &(SDL_Rect){o.x, o.y, f, o.h}, c);
	draw_rect(app->renderer, &(SDL_Rect){o.x + o.w - f, o.y, f, o.h}, c);
}
