/*
 * From SDL events to widgets. Fingers (SDL_FINGERDOWN/MOTION/UP, normalised coordinates
 * scaled to window pixels) and the left mouse button both become one gesture: down on a
 * widget, then either a tap (lifted within the slop distance), a drag (moved further:
 * the nearest scrollable widget follows the finger and flings on release), or a long
 * press (held still for APP_LONG_PRESS_MS: reads the text under the finger aloud). Keys
 * go to the focused widget, Tab moves focus, and the kiosk filter runs before all this.
 */
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "ui_int.h"

size_t
input_layers(struct ui_app *app, struct ui_widget *ret[5])
{
	size_t n = 0;

	if (app->dialog)
		ret[n++] = app->dialog;
	if (app->keyboard_shown)
		ret[n++] = app->keyboard;
	if (app->banner)
		ret[n++] = app->banner;
	if (app->status_shown)
		ret[n++] = app->status;
	if (app->current >= 0)
		ret[n++] = app->screens[app->current].frame;
	return n;
}

/* The deepest widget under (x, y), topmost layer first; a dialog hides the rest. */
static struct ui_widget *
hit(struct ui_app *app, int x, int y)
{
	struct ui_widget *layers[5];
	size_t n = input_layers(app, layers);

	for (size_t i = 0; i < n; i++) {
		struct ui_widget *h = widget_hit(layers[i], x, y);

		if (h)
			return h;
		if (layers[i] == app->dialog)
			return NULL;
	}
	return NULL;
}

static bool
takes_taps(const struct ui_widget *w)
{
	return w->cls->interactive || w->on_click || w->cls->focusable;
}

static void
set_pressed(struct ui_app *app, bool down)
{
	struct gesture *g = &app->g;

	if (!g->target)
		return;
	g->target->pressed = down && !g->target->cls->press;
	if (g->target->cls->press)
		g->target->cls->press(g->target, g->x0, g->y0, down);
	app->redraw = true;
}

static double
secs(Uint32 ms)
{
	return ms / 1000.0;
}

static void
pointer_down(struct ui_app *app, int x, int y, Uint32 t, bool touch, SDL_FingerID finger)
{
	struct gesture *g = &app->g;
	struct ui_widget *w = hit(app, x, y), *p;

	if (g->down)
		return; /* one finger at a time */
	*g = (struct gesture){.down = true,
	                      .touch = touch,
	                      .finger = finger,
	                      .x0 = x,
	                      .y0 = y,
	                      .x = x,
	                      .y = y,
	                      .t0 = t};
	for (p = w; p && !(takes_taps(p) && p->enabled); p = p->parent)
		if (!p->enabled)
			break;
	g->target = p && p->enabled && takes_taps(p) ? p : NULL;
	for (p = w; p; p = p->parent) {
		if (p->scroll && p->scroll->max > 0) {
			g->scroller = p;
			break;
		}
	}
	/* A finger landing on a fling stops it, and is not a tap. */
	if (g->scroller && g->scroller->scroll->velocity != 0) {
		g->scroller->scroll->velocity = 0;
		g->target = NULL;
	}
	set_pressed(app, true);
}

static void
pointer_move(struct ui_app *app, int x, int y, Uint32 t)
{
	struct gesture *g = &app->g;
	int dx = x - g->x0, dy = y - g->y0;

	if (!g->down)
		return;
	g->x = x;
	g->y = y;
	if (!g->dragging && dx * dx + dy * dy > app->m.tap_slop * app->m.tap_slop) {
		g->dragging = true;
		set_pressed(app, false);
		g->target = NULL;
		if (g->scroller)
			scroll_drag_begin(g->scroller->scroll,
			                  g->y0 + (dy > 0 ? app->m.tap_slop : -app->m.tap_slop),
			                  secs(t));
	}
	if (g->dragging && g->scroller) {
		scroll_drag_move(g->scroller->scroll, y, secs(t));
		if (g->scroller->cls == &screen_class)
			app->layout_dirty = true;
		app->redraw = true;
	}
}

static void
pointer_up(struct ui_app *app, int x, int y, Uint32 t)
{
	struct gesture *g = &app->g;
	struct ui_widget *target = g->target;

	if (!g->down)
		return;
	pointer_move(app, x, y, t);
	set_pressed(app, false);
	g->down = false;
	if (g->dragging) {
		if (g->scroller) {
			scroll_drag_end(g->scroller->scroll, secs(t));
			if (g->scroller->scroll->velocity != 0)
				app_start_fling(app, g->scroller);
		}
		return;
	}
	if (g->long_pressed || !target)
		return;
	/* Touching anything but a field or a keyboard puts the keyboard away. */
	if (app->focus && app->focus->cls == &field_class && target != app->focus &&
	    target->cls != &keyboard_class)
		ui_app_focus(app, NULL);
	if (target->cls->tap)
		target->cls->tap(target, x, y);
	else
		widget_click(target);
	/* `target` may be gone now: a handler can free widgets. */
}

/* What a long press reads: the item under the finger, or the nearest text. */
static void
long_press(struct ui_app *app)
{
	struct gesture *g = &app->g;
	struct ui_widget *w = hit(app, g->x0, g->y0);

	g->long_pressed = true;
	set_pressed(app, false);
	for (; w; w = w->parent) {
		size_t n = w->cls->n_items ? w->cls->n_items(w) : 0;

		for (size_t i = 0; i < n; i++) {
			struct widget_item it;
			SDL_Rect *r = &it.rect;

			if (w->cls->get_item(w, i, &it) && g->x0 >= r->x && g->y0 >= r->y &&
			    g->x0 < r->x + r->w && g->y0 < r->y + r->h && it.text[0]) {
				ui_app_speak(app, it.text);
				return;
			}
		}
		if (ui_widget_get_text(w)[0] && w->cls != &field_class) {
			ui_app_speak_widget(app, w);
			return;
		}
	}
}

void
input_tick(struct ui_app *app)
{
	struct gesture *g = &app->g;

	if (g->down && !g->dragging && !g->long_pressed &&
	    SDL_GetTicks() - g->t0 >= APP_LONG_PRESS_MS)
		long_press(app);
}

/* ---- focus ---- */

static void
collect_focusable(struct ui_widget *w, struct ui_widget **out, size_t *n, size_t cap)
{
	if (!w->visible || !w->enabled)
		return;
	if (w->cls->focusable && *n < cap)
		out[(*n)++] = w;
	for (size_t i = 0; i < w->n_children; i++)
		collect_focusable(w->children[i], out, n, cap);
}

void
input_focus_next(struct ui_app *app, bool backwards)
{
	struct ui_widget *list[256], *root = app->dialog;
	size_t n = 0, at = 0;
	bool found = false;

	if (!root && app->current >= 0)
		root = app->screens[app->current].frame;
	if (!root)
		return;
	collect_focusable(root, list, &n, 256);
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (list[i] == app->focus) {
			at = i;
			found = true;
			break;
		}
	}
	if (!found)
		at = backwards ? n - 1 : 0;
	else
		at = backwards ? (at + n - 1) % n : (at + 1) % n;
	ui_app_focus(app, list[at]);
}

static void
key_down(struct ui_app *app, const SDL_Event *e)
{
	SDL_Keycode k = e->key.keysym.sym;
	struct ui_widget *f = app->focus;

	if (f && f->cls->key && f->cls->key(f, e))
		return;
	switch (k) {
	case SDLK_TAB:
		input_focus_next(app, (e->key.keysym.mod & KMOD_SHIFT) != 0);
		break;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
	case SDLK_SPACE:
		if (f && f->enabled) {
			if (f->cls->tap)
				f->cls->tap(f, f->rect.x + f->rect.w / 2,
				            f->rect.y + f->rect.h / 2);
			else
				widget_click(f);
		}
		break;
	case SDLK_ESCAPE:
		if (app->dialog)
			ui_app_close_dialog(app);
		else if (app->focus)
			ui_app_focus(app, NULL);
		break;
	default:
		break;
	}
}

/* ---- dispatch ---- */

static void
wheel(struct ui_app *app, const SDL_Event *e)
{
	int x, y;
	struct ui_widget *w;

	SDL_GetMouseState(&x, &y);
	if (e->wheel.x != 0 || e->wheel.y != 0) {
		/* Scripts put the point in the event: SDL 2.26 has mouseX/mouseY. */
		if (e->wheel.mouseX || e->wheel.mouseY) {
			x = e->wheel.mouseX;
			y = e->wheel.mouseY;
		}
	}
	for (w = hit(app, x, y); w; w = w->parent) {
		if (w->scroll && w->scroll->max > 0) {
			int dir = e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -1 : 1;

			scroll_by(w->scroll, -e->wheel.y * dir * app->m.target * 1.5);
			if (w->cls == &screen_class)
				app->layout_dirty = true;
			app->redraw = true;
			return;
		}
	}
}

void
input_handle(struct ui_app *app, const SDL_Event *e)
{
	switch (e->type) {
	case SDL_FINGERDOWN:
	case SDL_FINGERMOTION:
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEMOTION:
	case SDL_MOUSEWHEEL:
	case SDL_KEYDOWN:
	case SDL_TEXTINPUT:
		app->last_input = SDL_GetTicks();
		break;
	default:
		break;
	}
	switch (e->type) {
	case SDL_FINGERDOWN:
		pointer_down(app, (int)(e->tfinger.x * app->win_w),
		             (int)(e->tfinger.y * app->win_h), e->tfinger.timestamp, true,
		             e->tfinger.fingerId);
		break;
	case SDL_FINGERMOTION:
		if (app->g.down && app->g.touch && app->g.finger == e->tfinger.fingerId)
			pointer_move(app, (int)(e->tfinger.x * app->win_w),
			             (int)(e->tfinger.y * app->win_h), e->tfinger.timestamp);
		break;
	case SDL_FINGERUP:
		if (app->g.down && app->g.touch && app->g.finger == e->tfinger.fingerId)
			pointer_up(app, (int)(e->tfinger.x * app->win_w),
			           (int)(e->tfinger.y * app->win_h), e->tfinger.timestamp);
		break;
	case SDL_MOUSEBUTTONDOWN:
		/* Touches also arrive as synthetic mouse events: the finger path has them. */
		if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
			pointer_down(app, e->button.x, e->button.y, e->button.timestamp, false, 0);
		break;
	case SDL_MOUSEMOTION:
		if (e->motion.which != SDL_TOUCH_MOUSEID && app->g.down && !app->g.touch)
			pointer_move(app, e->motion.x, e->motion.y, e->motion.timestamp);
		break;
	case SDL_MOUSEBUTTONUP:
		if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT &&
		    app->g.down && !app->g.touch)
			pointer_up(app, e->button.x, e->button.y, e->button.timestamp);
		break;
	case SDL_MOUSEWHEEL:
		if (e->wheel.which != SDL_TOUCH_MOUSEID)
			wheel(app, e);
		break;
	case SDL_KEYDOWN:
		app->reveal_focus = true;
		key_down(app, e);
		break;
	case SDL_TEXTINPUT:
		app->reveal_focus = true;
		if (app->focus && app->focus->cls->key)
			app->focus->cls->key(app->focus, e);
		break;
	default:
		break;
	}
}
