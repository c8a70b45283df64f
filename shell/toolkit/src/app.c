/*
 * struct ui_app: start-up and shut-down, screens and history, the main loop (events,
 * script, timers, flings, layout, render), settings that restyle every screen, and the
 * app-wide services widgets call: focus, banner, dialog, speech, translation. Start
 * reading at ui_app_step(): one turn of the loop is the whole life of an event.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>

#include "dump.h"
#include "i18n.h"
#include "script.h"
#include "speech.h"
#include "ui_int.h"

#ifndef ONWARD_UI_LOCALEDIR
#define ONWARD_UI_LOCALEDIR "/usr/share/locale"
#endif

#define TEXT_CACHE_BYTES (12u * 1024u * 1024u)
#define FRAME_MS 16

void
ui_app_config_init(struct ui_app_config *config)
{
	*config = (struct ui_app_config){0};
}

void
app_set_error(struct ui_app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->error, sizeof(app->error), fmt, ap);
	va_end(ap);
}

static void
config_error(const struct ui_app_config *config, const char *msg, const char *detail)
{
	if (config->error && config->error_size)
		snprintf(config->error, config->error_size, "%s%s%s", msg, detail ? ": " : "",
		         detail ? detail : "");
}

/* The DPI to lay out with: the configured one, else SDL's when it is plausible for a
 * tablet (X servers commonly report a made-up 96), else the tablet's 150. */
static double
pick_dpi(const struct ui_app_config *config, SDL_Window *win)
{
	float ddpi = 0;
	int display = SDL_GetWindowDisplayIndex(win);

	if (config->dpi > 0)
		return config->dpi;
	if (display >= 0 && SDL_GetDisplayDPI(display, &ddpi, NULL, NULL) == 0 && ddpi >= 100 &&
	    ddpi <= 500)
		return ddpi;
	return THEME_DEFAULT_DPI;
}

static void
restyle_all(struct ui_app *app)
{
	theme_colors_get(app->theme, &app->colors);
	theme_metrics_compute(app->dpi, app->text_size, app->theme, &app->m);
	fonts_open(app->fonts, &app->m);
	/* Cached textures name old font objects and colours. */
	text_cache_clear(app->texts);
	for (size_t i = 0; i < app->n_screens; i++)
		widget_restyle_tree(app->screens[i].frame);
	widget_restyle_tree(app->status);
	widget_restyle_tree(app->keyboard);
	if (app->banner)
		widget_restyle_tree(app->banner);
	if (app->dialog)
		widget_restyle_tree(app->dialog);
	app->layout_dirty = true;
	app->redraw = true;
}

int
ui_app_new(const struct ui_app_config *config, struct ui_app **ret_app)
{
	struct ui_app *app;
	char err[256] = "";
	int w = config->window_w > 0 ? config->window_w : 1280;
	int h = config->window_h > 0 ? config->window_h : 800;
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_RESIZABLE;
	int r;

	app = calloc(1, sizeof(*app));
	if (!app)
		return -ENOMEM;
	app->current = -1;
	app->theme = config->theme;
	app->text_size = config->text_size;
	app->read_aloud = config->read_aloud;
	app->allow_quit = config->allow_quit;
	app->domain = strdup(config->text_domain ? config->text_domain : I18N_TOOLKIT_DOMAIN);
	if (!app->domain) {
		r = -ENOMEM;
		goto fail;
	}
	if (config->first_frame_path) {
		app->first_frame_path = strdup(config->first_frame_path);
		if (!app->first_frame_path) {
			r = -ENOMEM;
			goto fail;
		}
	}
	/* The script is checked first: a typo should not cost a window. */
	if (config->script_path) {
		r = script_run_new(config->script_path, err, sizeof(err), &app->script);
		if (r < 0) {
			config_error(config, err, NULL);
			goto fail;
		}
	}

	/* The kiosk decides about signals, not SDL; touches must not double as clicks. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
	SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
	/* With the software renderer, present through X11 shared memory, not through an
	 * OpenGL texture: that loads Mesa (llvmpipe, 60 MB resident) for nothing. The
	 * environment variable still wins. */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0) {
		config_error(config, "cannot start SDL", SDL_GetError());
		r = -ENODEV;
		goto fail;
	}
	app->sdl_video = true;
	if (TTF_Init() != 0) {
		config_error(config, "cannot start SDL_ttf", TTF_GetError());
		r = -ENODEV;
		goto fail;
	}
	app->sdl_ttf = true;
	if ((IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG) == 0) {
		config_error(config, "cannot start SDL_image", IMG_GetError());
		r = -ENODEV;
		goto fail;
	}
	app->sdl_img = true;
	if (config->fullscreen)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	app->window = SDL_CreateWindow(config->title ? config->title : "Onward",
	                               SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (!app->window) {
		config_error(config, "cannot open a window", SDL_GetError());
		r = -ENODEV;
		goto fail;
	}
	/* Flags 0: SDL_RENDER_DRIVER (software in tests) or the best available. */
	app->renderer = SDL_CreateRenderer(app->window, -1, 0);
	if (!app->renderer) {
		config_error(config, "cannot create a renderer", SDL_GetError());
		r = -ENODEV;
		goto fail;
	}
	SDL_GetRendererOutputSize(app->renderer, &app->win_w, &app->win_h);
	app->dpi = pick_dpi(config, app->window);
	app->task_event = SDL_RegisterEvents(1);
	if (app->task_event == (Uint32)-1) {
		config_error(config, "no SDL event type left", NULL);
		r = -ENOSPC;
		goto fail;
	}

	r = fonts_new(err, sizeof(err), &app->fonts);
	if (r < 0) {
		config_error(config, err, NULL);
		goto fail;
	}
	r = text_cache_new(app->renderer, TEXT_CACHE_BYTES, &app->texts);
	if (r < 0)
		goto fail;
	theme_colors_get(app->theme, &app->colors);
	theme_metrics_compute(app->dpi, app->text_size, app->theme, &app->m);
	r = fonts_open(app->fonts, &app->m);
	if (r < 0) {
		config_error(config, "cannot open the fonts", TTF_GetError());
		goto fail;
	}

	r = i18n_init(app->domain, config->locale_dir ? config->locale_dir : ONWARD_UI_LOCALEDIR);
	if (r < 0)
		goto fail;
	snprintf(app->language, sizeof(app->language), "%s",
	         config->language ? config->language : "en");
	r = i18n_set_language(app->language);
	if (r < 0) {
		config_error(config, "bad language code", app->language);
		goto fail;
	}

	app->status = status_bar_new();
	app->keyboard = keyboard_new_popup();
	if (!app->status || !app->keyboard) {
		r = -ENOMEM;
		goto fail;
	}
	widget_attach(app->status, app);
	widget_attach(app->keyboard, app);

	/* An app shows the shell's status bar (name and next appointment, given on its
	 * command line) with its own clock, so the bar stays when the app opens. */
	if ((config->status_name || config->status_next) &&
	    (r = ui_app_set_status_clock(app, config->status_name, config->status_next)) < 0)
		goto fail;

	/* Speech failing to start is not fatal: the screens work without it. */
	speech_new(config->speech_wav_path, &app->speech);

	app->layout_dirty = true;
	app->redraw = true;
	app->last_anim = SDL_GetPerformanceCounter();
	app->last_input = SDL_GetTicks();
	*ret_app = app;
	return 0;
fail:
	ui_app_free(app);
	return r;
}

void
ui_app_free(struct ui_app *app)
{
	if (!app)
		return;
	/* The watching thread posts to SDL's queue: stop it before SDL goes. */
	watcher_free(app->watcher);
	app->watcher = NULL;
	speech_free(app->speech);
	app->speech = NULL;
	script_run_free(app->script);
	for (size_t i = 0; i < app->n_graveyard; i++)
		ui_widget_free(app->graveyard[i]);
	ui_widget_free(app->dialog);
	ui_widget_free(app->banner);
	for (size_t i = 0; i < app->n_screens; i++) {
		ui_widget_free(app->screens[i].frame);
		free(app->screens[i].name);
	}
	ui_widget_free(app->keyboard);
	ui_widget_free(app->status);
	text_cache_free(app->texts);
	fonts_free(app->fonts);
	if (app->renderer)
		SDL_DestroyRenderer(app->renderer);
	if (app->window)
		SDL_DestroyWindow(app->window);
	if (app->sdl_img)
		IMG_Quit();
	if (app->sdl_ttf)
		TTF_Quit();
	if (app->sdl_video)
		SDL_Quit();
	free(app->first_frame_path);
	free(app->domain);
	free(app);
}

/* ---- screens ---- */

static int
screen_index(const struct ui_app *app, const char *name)
{
	for (size_t i = 0; i < app->n_screens; i++)
		if (strcmp(app->screens[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
ui_app_add_screen(struct ui_app *app, const char *name, struct ui_widget *root)
{
	struct ui_widget *frame;
	char *copy;

	if (!root)
		return -ENOMEM;
	if (root->alloc_failed) {
		ui_widget_free(root);
		return -ENOMEM;
	}
	if (!name || screen_index(app, name) >= 0 || root->parent) {
		if (!root->parent)
			ui_widget_free(root);
		return name && screen_index(app, name) >= 0 ? -EEXIST : -EINVAL;
	}
	if (app->n_screens == APP_MAX_SCREENS) {
		ui_widget_free(root);
		return -ENOSPC;
	}
	copy = strdup(name);
	frame = copy ? screen_new(root) : NULL;
	if (!frame) {
		if (!copy || !root->parent)
			ui_widget_free(root);
		free(copy);
		return -ENOMEM;
	}
	widget_attach(frame, app);
	widget_restyle_tree(frame);
	app->screens[app->n_screens].name = copy;
	app->screens[app->n_screens].frame = frame;
	app->n_screens++;
	if (app->current < 0)
		app->current = (int)app->n_screens - 1;
	app->layout_dirty = true;
	app->redraw = true;
	return 0;
}

static void
switch_to(struct ui_app *app, int idx)
{
	if (app->current == idx)
		return;
	ui_app_focus(app, NULL);
	/* A finger on the old screen no longer points at anything. */
	app->g.target = NULL;
	app->g.scroller = NULL;
	app->current = idx;
	app->layout_dirty = true;
	app->redraw = true;
}

int
ui_app_show_screen(struct ui_app *app, const char *name)
{
	int idx = screen_index(app, name);

	if (idx < 0)
		return -ENOENT;
	app->n_history = 0;
	switch_to(app, idx);
	return 0;
}

int
ui_app_push_screen(struct ui_app *app, const char *name)
{
	int idx = screen_index(app, name);

	if (idx < 0)
		return -ENOENT;
	if (idx == app->current)
		return 0;
	if (app->n_history == APP_HISTORY) {
		memmove(app->history, app->history + 1, (APP_HISTORY - 1) * sizeof(int));
		app->n_history--;
	}
	if (app->current >= 0)
		app->history[app->n_history++] = app->current;
	switch_to(app, idx);
	return 0;
}

int
ui_app_back(struct ui_app *app)
{
	if (app->n_history == 0)
		return -ENOENT;
	switch_to(app, app->history[--app->n_history]);
	return 0;
}

const char *
ui_app_get_screen(const struct ui_app *app)
{
	return app->current >= 0 ? app->screens[app->current].name : NULL;
}

struct ui_widget *
ui_app_get_screen_root(struct ui_app *app, const char *name)
{
	int idx = screen_index(app, name);

	if (idx < 0 || app->screens[idx].frame->n_children == 0)
		return NULL;
	return app->screens[idx].frame->children[0];
}

struct ui_widget *
app_current_root(struct ui_app *app)
{
	return app->current >= 0 ? app->screens[app->current].frame : NULL;
}

/* ---- the loop ---- */

static void
handle_event(struct ui_app *app, const SDL_Event *e)
{
	if (ui_kiosk_filter(e, app->allow_quit))
		return;
	if (e->type == app->task_event) {
		ui_task_fn fn = (ui_task_fn)(uintptr_t)e->user.data1;

		/* The pointer went through void *: SDL's user events have nothing else. */
		if (fn)
			fn(app, e->user.data2);
		return;
	}
	switch (e->type) {
	case SDL_QUIT:
		ui_app_quit(app, 0);
		return;
	case SDL_WINDOWEVENT:
		switch (e->window.event) {
		case SDL_WINDOWEVENT_CLOSE:
			ui_app_quit(app, 0);
			break;
		case SDL_WINDOWEVENT_SIZE_CHANGED:
		case SDL_WINDOWEVENT_RESIZED:
			SDL_GetRendererOutputSize(app->renderer, &app->win_w, &app->win_h);
			app->layout_dirty = true;
			app->redraw = true;
			break;
		case SDL_WINDOWEVENT_EXPOSED:
			app->redraw = true;
			break;
		default:
			break;
		}
		return;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		text_cache_clear(app->texts);
		for (size_t i = 0; i < app->n_screens; i++)
			widget_restyle_tree(app->screens[i].frame);
		app->redraw = true;
		return;
	default:
		input_handle(app, e);
	}
}

static void
run_timers(struct ui_app *app)
{
	Uint32 now = SDL_GetTicks();

	for (size_t i = 0; i < app->n_timers;) {
		if ((Sint32)(now - app->timers[i].due) >= 0) {
			struct app_timer t = app->timers[i];

			app->timers[i] = app->timers[--app->n_timers];
			t.fn(app, t.userdata);
			i = 0; /* the handler may have changed the table */
			continue;
		}
		i++;
	}
}

static bool
step_flings(struct ui_app *app)
{
	Uint64 now = SDL_GetPerformanceCounter();
	double dt = (double)(now - app->last_anim) / (double)SDL_GetPerformanceFrequency();

	app->last_anim = now;
	if (dt > 0.1)
		dt = 0.1; /* after a stall, do not jump */
	for (size_t i = 0; i < app->n_fling;) {
		struct ui_widget *w = app->fling[i];

		if (!scroll_step(w->scroll, dt)) {
			app->fling[i] = app->fling[--app->n_fling];
		} else {
			i++;
		}
		if (w->cls == &screen_class)
			app->layout_dirty = true;
		app->redraw = true;
	}
	return app->n_fling > 0;
}

static void
report_first_frame(struct ui_app *app)
{
	struct timespec ts;
	FILE *f;

	app->first_frame_done = true;
	if (!app->first_frame_path)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	f = fopen(app->first_frame_path, "w");
	if (f) {
		fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
		fclose(f);
	}
}

static void
empty_graveyard(struct ui_app *app)
{
	while (app->n_graveyard > 0)
		ui_widget_free(app->graveyard[--app->n_graveyard]);
}

int
ui_app_step(struct ui_app *app, int timeout_ms)
{
	SDL_Event e;
	bool animating;
	Uint32 start = SDL_GetTicks();
	int r;

	if (app->quit)
		return app->status_code < 0 ? app->status_code : 0;
	if (app->script) {
		r = script_run_tick(app, app->script);
		if (r < 0) {
			app->quit = true;
			app->status_code = r;
			return r;
		}
		if (timeout_ms > 4)
			timeout_ms = 4;
	}
	if (app->n_fling > 0 || app->g.down || app->n_timers > 0) {
		int wait = app->n_fling > 0 ? 0 : app->g.down ? 50 : timeout_ms;

		if (app->n_timers > 0) {
			Uint32 soonest = app->timers[0].due;

			for (size_t i = 1; i < app->n_timers; i++)
				if ((Sint32)(app->timers[i].due - soonest) < 0)
					soonest = app->timers[i].due;
			if ((Sint32)(soonest - start) < wait)
				wait = (Sint32)(soonest - start) > 0 ? (int)(soonest - start) : 0;
		}
		timeout_ms = wait < timeout_ms || timeout_ms < 0 ? wait : timeout_ms;
	}
	if (SDL_WaitEventTimeout(&e, timeout_ms < 0 ? 0 : timeout_ms)) {
		handle_event(app, &e);
		while (!app->quit && SDL_PollEvent(&e))
			handle_event(app, &e);
	}
	run_timers(app);
	input_tick(app);
	animating = step_flings(app);
	if (app->layout_dirty)
		app_layout(app);
	if (app->redraw) {
		app->redraw = false;
		app_render(app);
		SDL_RenderPresent(app->renderer);
		app->frames++;
		if (!app->first_frame_done)
			report_first_frame(app);
	}
	empty_graveyard(app);
	if (animating) {
		/* No vsync with the software renderer: pace flings at about 60 frames a second. */
		Uint32 spent = SDL_GetTicks() - start;

		if (spent < FRAME_MS)
			SDL_Delay(FRAME_MS - spent);
	}
	if (app->quit)
		return app->status_code < 0 ? app->status_code : 0;
	return 1;
}

int
ui_app_run(struct ui_app *app)
{
	int r;

	while ((r = ui_app_step(app, 500)) > 0)
		;
	if (r < 0)
		return r;
	return app->status_code;
}

void
ui_app_quit(struct ui_app *app, int status)
{
	app->quit = true;
	app->status_code = status;
}

const char *
ui_app_get_error(const struct ui_app *app)
{
	return app->error;
}

int
ui_app_post(struct ui_app *app, ui_task_fn fn, void *userdata)
{
	SDL_Event e = {0};

	e.type = app->task_event;
	e.user.data1 = (void *)(uintptr_t)fn;
	e.user.data2 = userdata;
	return SDL_PushEvent(&e) == 1 ? 0 : -ENOMEM;
}

int
ui_app_add_timer(struct ui_app *app, unsigned ms, ui_task_fn fn, void *userdata, unsigned *ret_id)
{
	struct app_timer *t;

	if (!fn)
		return -EINVAL;
	if (app->n_timers == APP_MAX_TIMERS)
		return -ENOSPC;
	t = &app->timers[app->n_timers++];
	t->id = ++app->next_timer_id;
	if (t->id == 0)
		t->id = ++app->next_timer_id;
	t->due = SDL_GetTicks() + ms;
	t->fn = fn;
	t->userdata = userdata;
	if (ret_id)
		*ret_id = t->id;
	return 0;
}

void
ui_app_remove_timer(struct ui_app *app, unsigned id)
{
	for (size_t i = 0; i < app->n_timers; i++) {
		if (app->timers[i].id == id) {
			app->timers[i] = app->timers[--app->n_timers];
			return;
		}
	}
}

Uint32
ui_app_idle_ms(const struct ui_app *app)
{
	return SDL_GetTicks() - app->last_input;
}

/* ---- settings ---- */

void
ui_app_set_theme(struct ui_app *app, enum ui_theme theme)
{
	if (theme != UI_THEME_NORMAL && theme != UI_THEME_HIGH_CONTRAST)
		return;
	app->theme = theme;
	restyle_all(app);
}

enum ui_theme
ui_app_get_theme(const struct ui_app *app)
{
	return app->theme;
}

void
ui_app_set_text_size(struct ui_app *app, enum ui_text_size size)
{
	if ((unsigned)size > UI_TEXT_LARGEST)
		return;
	app->text_size = size;
	restyle_all(app);
}

enum ui_text_size
ui_app_get_text_size(const struct ui_app *app)
{
	return app->text_size;
}

int
ui_app_set_language(struct ui_app *app, const char *language)
{
	int r = i18n_set_language(language);

	if (r < 0)
		return r;
	snprintf(app->language, sizeof(app->language), "%s", language);
	restyle_all(app);
	return 0;
}

const char *
ui_app_get_language(const struct ui_app *app)
{
	return app->language;
}

void
ui_app_set_read_aloud(struct ui_app *app, bool on)
{
	app->read_aloud = on;
}

bool
ui_app_get_read_aloud(const struct ui_app *app)
{
	return app->read_aloud;
}

const char *
ui_app_tr(const struct ui_app *app, const char *msgid)
{
	return i18n_tr(app->domain, msgid);
}

int
ui_app_mm(const struct ui_app *app, double mm)
{
	return theme_mm(app->dpi, mm);
}

/* ---- focus and layers ---- */

void
ui_app_focus(struct ui_app *app, struct ui_widget *w)
{
	bool field;

	if (w && (!w->cls->focusable || w->app != app))
		return;
	if (app->focus == w)
		return;
	app->focus = w;
	if (w) {
		app->reveal_focus = true;
		app->layout_dirty = true;
	}
	field = w && w->cls == &field_class && field_keyboard(w) != UI_KEYBOARD_NONE;
	if (field) {
		keyboard_set_mode(app->keyboard, field_keyboard(w));
		SDL_StartTextInput();
	}
	if (field != app->keyboard_shown) {
		app->keyboard_shown = field;
		if (!field)
			SDL_StopTextInput();
		app->layout_dirty = true;
	}
	app->redraw = true;
}

void
ui_app_set_home(struct ui_app *app, ui_click_fn fn, void *userdata)
{
	app->home_fn = fn;
	app->home_data = userdata;
}

int
ui_app_set_status(struct ui_app *app, const char *left, const char *centre, const char *right)
{
	int r = status_bar_set(app->status, left, centre, right);

	if (r < 0)
		return r;
	if (!app->status_shown) {
		app->status_shown = true;
		app->layout_dirty = true;
	}
	app->redraw = true;
	return 0;
}

/* A layer is going: focus on a widget in it goes too. */
static void
drop_focus_in(struct ui_app *app, const struct ui_widget *layer)
{
	if (!app->focus || app->focus->app != app)
		return;
	for (const struct ui_widget *p = app->focus; p; p = p->parent)
		if (p == layer) {
			app->focus = NULL;
			return;
		}
}

static void
on_banner_timeout(struct ui_app *app, void *userdata)
{
	app->banner_timer = 0;
	ui_app_close_banner(app);
}

static int
show_banner(struct ui_app *app, struct ui_widget *b, unsigned ms, void *userdata)
{
	ui_app_close_banner(app);
	widget_attach(b, app);
	widget_restyle_tree(b);
	app->banner = b;
	app->banner_data = userdata;
	if (ms > 0)
		ui_app_add_timer(app, ms, on_banner_timeout, NULL, &app->banner_timer);
	if (app->read_aloud)
		ui_app_speak_widget(app, b);
	app->layout_dirty = true;
	app->redraw = true;
	return 0;
}

int
ui_app_show_banner(struct ui_app *app, const char *text, unsigned ms, ui_click_fn on_tap,
                   void *userdata)
{
	struct ui_widget *b;

	if (!text)
		return -EINVAL;
	b = banner_new(text, UI_ICON_MESSAGE, NULL, 0, NULL);
	if (!b)
		return -ENOMEM;
	show_banner(app, b, ms, userdata);
	app->banner_fn = on_tap;
	return 0;
}

static void
on_banner_button(struct ui_widget *button, void *userdata)
{
	struct ui_app *app = button->app;
	ui_dialog_fn fn = app->banner_button_fn;
	void *data = app->banner_data;
	const char *id = ui_widget_get_id(button);
	int idx = id && strncmp(id, "banner.", 7) == 0 ? atoi(id + 7) : -1;

	ui_app_close_banner(app);
	if (fn)
		fn(app, idx, data);
}

int
ui_app_show_banner_buttons(struct ui_app *app, const char *text, enum ui_icon icon,
                           const char *const buttons[], size_t n_buttons, ui_dialog_fn fn,
                           void *userdata)
{
	struct ui_widget *b;

	if (!text || n_buttons == 0 || n_buttons > 3 || !buttons)
		return -EINVAL;
	b = banner_new(text, icon, buttons, n_buttons, on_banner_button);
	if (!b)
		return -ENOMEM;
	show_banner(app, b, 0, userdata);
	app->banner_button_fn = fn;
	return 0;
}

void
ui_app_close_banner(struct ui_app *app)
{
	if (!app->banner)
		return;
	if (app->banner_timer)
		ui_app_remove_timer(app, app->banner_timer);
	app->banner_timer = 0;
	drop_focus_in(app, app->banner);
	app_bury(app, app->banner);
	app->banner = NULL;
	app->banner_fn = NULL;
	app->banner_button_fn = NULL;
	app->layout_dirty = true;
	app->redraw = true;
}

bool
ui_app_banner_shown(const struct ui_app *app)
{
	return app->banner != NULL;
}

static void
on_dialog_button(struct ui_widget *button, void *userdata)
{
	struct ui_app *app = button->app;
	ui_dialog_fn fn = app->dialog_fn;
	void *data = app->dialog_data;
	int idx = -1;
	const char *id = ui_widget_get_id(button);

	if (id && strncmp(id, "dialog.", 7) == 0)
		idx = atoi(id + 7);
	ui_app_close_dialog(app);
	if (fn)
		fn(app, idx, data);
}

int
ui_app_show_dialog(struct ui_app *app, const char *message, const char *const buttons[],
                   size_t n_buttons, ui_dialog_fn fn, void *userdata)
{
	struct ui_widget *d;

	if (!message || n_buttons == 0 || n_buttons > 3 || !buttons)
		return -EINVAL;
	d = dialog_new(message, buttons, n_buttons, on_dialog_button, NULL);
	if (!d)
		return -ENOMEM;
	if (app->dialog)
		app_bury(app, app->dialog);
	widget_attach(d, app);
	widget_restyle_tree(d);
	app->dialog = d;
	app->dialog_fn = fn;
	app->dialog_data = userdata;
	ui_app_focus(app, NULL);
	if (app->read_aloud)
		ui_app_speak(app, ui_app_tr(app, message));
	app->layout_dirty = true;
	app->redraw = true;
	return 0;
}

void
ui_app_close_dialog(struct ui_app *app)
{
	if (!app->dialog)
		return;
	drop_focus_in(app, app->dialog);
	app_bury(app, app->dialog);
	app->dialog = NULL;
	app->dialog_fn = NULL;
	app->layout_dirty = true;
	app->redraw = true;
}

bool
ui_app_dialog_open(const struct ui_app *app)
{
	return app->dialog != NULL;
}

void
app_show_locked_reason(struct ui_app *app, struct ui_widget *tile, const char *reason)
{
	static const char *const ok[] = {N_("OK")};

	ui_app_show_dialog(app, reason ? reason : N_("This is locked for now."), ok, 1, NULL, NULL);
}

/* ---- speech ---- */

int
ui_app_speak(struct ui_app *app, const char *text)
{
	if (!text)
		return -EINVAL;
	/* Kept for dumps, so tests can see what a speaker button read. */
	snprintf(app->last_spoken, sizeof(app->last_spoken), "%s", text);
	if (!app->speech)
		return -ENODEV;
	return speech_say(app->speech, text, app->language);
}

int
ui_app_speak_widget(struct ui_app *app, struct ui_widget *w)
{
	const char *text;

	if (!w)
		return -EINVAL;
	text = w->cls == &field_class ? ui_text_field_get_text(w) : ui_widget_get_text(w);
	if (w->cls == &field_class && field_keyboard(w) == UI_KEYBOARD_PIN)
		return -EPERM; /* never read a PIN aloud */
	return ui_app_speak(app, text);
}

bool
ui_app_speaking(const struct ui_app *app)
{
	return app->speech && speech_busy(app->speech);
}

/* ---- output ---- */

int
ui_app_screenshot(struct ui_app *app, const char *png_path)
{
	return dump_screenshot(app, png_path);
}

int
ui_app_dump(struct ui_app *app, const char *json_path)
{
	return dump_write(app, json_path);
}

SDL_Window *
ui_app_get_window(struct ui_app *app)
{
	return app->window;
}

SDL_Renderer *
ui_app_get_renderer(struct ui_app *app)
{
	return app->renderer;
}

/* ---- for the widgets ---- */

void
app_forget_widget(struct ui_app *app, struct ui_widget *w)
{
	if (app->focus == w) {
		app->focus = NULL;
		if (app->keyboard_shown) {
			app->keyboard_shown = false;
			app->layout_dirty = true;
		}
	}
	if (app->g.target == w)
		app->g.target = NULL;
	if (app->g.scroller == w)
		app->g.scroller = NULL;
	for (size_t i = 0; i < app->n_fling; i++) {
		if (app->fling[i] == w) {
			app->fling[i] = app->fling[--app->n_fling];
			break;
		}
	}
	app->layout_dirty = true;
	app->redraw = true;
}

void
app_start_fling(struct ui_app *app, struct ui_widget *w)
{
	for (size_t i = 0; i < app->n_fling; i++)
		if (app->fling[i] == w)
			return;
	if (app->n_fling < APP_MAX_FLING) {
		app->fling[app->n_fling++] = w;
		app->last_anim = SDL_GetPerformanceCounter();
	}
}

void
app_push_clip(struct ui_app *app, const SDL_Rect *rc)
{
	SDL_Rect c = *rc;

	if (app->n_clip > 0 && !SDL_IntersectRect(&app->clip[app->n_clip - 1], rc, &c))
		c = (SDL_Rect){rc->x, rc->y, 0, 0};
	if (app->n_clip < APP_MAX_CLIP)
		app->clip[app->n_clip++] = c;
	SDL_RenderSetClipRect(app->renderer, &c);
}

void
app_pop_clip(struct ui_app *app)
{
	if (app->n_clip > 0)
		app->n_clip--;
	SDL_RenderSetClipRect(app->renderer, app->n_clip ? &app->clip[app->n_clip - 1] : NULL);
}

const SDL_Rect *
app_clip(const struct ui_app *app)
{
	return app->n_clip ? &app->clip[app->n_clip - 1] : NULL;
}

static void
forget_tree(struct ui_app *app, struct ui_widget *w)
{
	app_forget_widget(app, w);
	for (size_t i = 0; i < w->n_children; i++)
		forget_tree(app, w->children[i]);
}

void
app_bury(struct ui_app *app, struct ui_widget *w)
{
	/* Layers are closed from their own handlers; free them once the handler is done. */
	if (app->n_graveyard == APP_GRAVEYARD)
		empty_graveyard(app);
	app->graveyard[app->n_graveyard++] = w;
	forget_tree(app, w);
}
