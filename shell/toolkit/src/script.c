/*
 * The script language (script.h): a tokenizer for bare words, numbers and quoted strings,
 * one parse function per command shape, and the runner, a small state machine per
 * command that pushes SDL events (touch for tap, long-press and drag; key and text input;
 * wheel) and checks the screen through dump.c between steps of the app's loop.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "script.h"
#include "ui_int.h"
#include "utf8.h"

#define MAX_TOKENS 8

struct token {
	char *s; /* owned */
	bool quoted;
};

struct parser {
	int line;
	char *err;
	size_t err_size;
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	char msg[200];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err && p->err_size)
		snprintf(p->err, p->err_size, "script:%d: %s", p->line, msg);
	return -EINVAL;
}

static void
free_tokens(struct token *t, int n)
{
	for (int i = 0; i < n; i++)
		free(t[i].s);
}

/* Splits one line into tokens; returns how many, or a negative code. */
static int
tokenize(struct parser *p, const char *line, size_t len, struct token *t)
{
	size_t i = 0;
	int n = 0;

	while (i < len) {
		char *buf;
		size_t bl = 0;

		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i >= len || line[i] == '#')
			break;
		if (n == MAX_TOKENS) {
			free_tokens(t, n);
			return fail(p, "too many words on one line");
		}
		buf = malloc(len - i + 1);
		if (!buf) {
			free_tokens(t, n);
			return -ENOMEM;
		}
		if (line[i] == '"') {
			bool closed = false;

			for (i++; i < len; i++) {
				if (line[i] == '"') {
					closed = true;
					i++;
					break;
				}
				if (line[i] == '\\' && i + 1 < len) {
					char c = line[++i];

					if (c == 'n')
						buf[bl++] = '\n';
					else if (c == '"' || c == '\\')
						buf[bl++] = c;
					else {
						free(buf);
						free_tokens(t, n);
						return fail(p, "unknown escape \\%c in string", c);
					}
					continue;
				}
				buf[bl++] = line[i];
			}
			if (!closed) {
				free(buf);
				free_tokens(t, n);
				return fail(p, "unterminated string");
			}
			t[n].quoted = true;
		} else {
			while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
				buf[bl++] = line[i++];
			t[n].quoted = false;
		}
		buf[bl] = '\0';
		t[n++].s = buf;
	}
	return n;
}

static bool
number(const struct token *t, long max, int *ret)
{
	char *end;
	long v;

	if (t->quoted || !t->s[0] || t->s[0] == '-' || t->s[0] == '+')
		return false;
	errno = 0;
	v = strtol(t->s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*ret = (int)v;
	return true;
}

static char *
take(struct token *t)
{
	char *s = t->s;

	t->s = NULL;
	return s;
}

/* tap / long-press: X Y | "text" | id:NAME */
static int
parse_target(struct parser *p, const char *name, struct token *t, int n, struct script_cmd *c)
{
	if (n == 3 && number(&t[1], SCRIPT_MAX_COORD, &c->x1) &&
	    number(&t[2], SCRIPT_MAX_COORD, &c->y1)) {
		c->target = TARGET_POINT;
		return 0;
	}
	if (n == 2 && t[1].quoted && t[1].s[0]) {
		c->target = TARGET_TEXT;
		c->text = take(&t[1]);
		return 0;
	}
	if (n == 2 && !t[1].quoted && strncmp(t[1].s, "id:", 3) == 0 && t[1].s[3]) {
		c->target = TARGET_ID;
		c->text = strdup(t[1].s + 3);
		return c->text ? 0 : -ENOMEM;
	}
	return fail(p, "%s: expected X Y, \"text\" or id:NAME", name);
}

static int
parse_key(struct parser *p, const char *spec, struct script_cmd *c)
{
	char buf[64], *part, *save = NULL;
	const char *key = NULL;

	if (strlen(spec) >= sizeof(buf))
		return fail(p, "key: unknown key \"%s\"", spec);
	snprintf(buf, sizeof(buf), "%s", spec);
	c->mod = KMOD_NONE;
	/* "Alt+F4": modifiers, then the key; "+" alone is the plus key. */
	for (part = strtok_r(buf, "+", &save); part; part = strtok_r(NULL, "+", &save)) {
		char *rest = save && *save ? save : NULL;

		if (!rest) {
			key = part;
			break;
		}
		if (strcasecmp(part, "ctrl") == 0)
			c->mod |= KMOD_LCTRL;
		else if (strcasecmp(part, "alt") == 0)
			c->mod |= KMOD_LALT;
		else if (strcasecmp(part, "shift") == 0)
			c->mod |= KMOD_LSHIFT;
		else if (strcasecmp(part, "super") == 0)
			c->mod |= KMOD_LGUI;
		else
			return fail(p, "key: unknown modifier \"%s\"", part);
	}
	if (!key && strcmp(spec, "+") == 0)
		key = "+";
	if (!key)
		return fail(p, "key: unknown key \"%s\"", spec);
	if (strcasecmp(key, "super") == 0)
		c->key = SDLK_LGUI;
	else
		c->key = SDL_GetKeyFromName(key);
	if (c->key == SDLK_UNKNOWN)
		return fail(p, "key: unknown key \"%s\"", key);
	return 0;
}

static const struct {
	const char *name;
	enum script_op op;
} ops[] = {
        {"tap", OP_TAP},
        {"long-press", OP_LONG_PRESS},
        {"drag", OP_DRAG},
        {"wheel", OP_WHEEL},
        {"scroll-to", OP_SCROLL_TO},
        {"key", OP_KEY},
        {"type", OP_TYPE},
        {"wait", OP_WAIT},
        {"wait-for", OP_WAIT_FOR},
        {"wait-speech", OP_WAIT_SPEECH},
        {"expect", OP_EXPECT},
        {"expect-not", OP_EXPECT_NOT},
        {"screenshot", OP_SCREENSHOT},
        {"dump", OP_DUMP},
        {"quit", OP_QUIT},
};

static int
parse_line(struct parser *p, struct token *t, int n, struct script_cmd *c)
{
	const char *name = t[0].s;
	size_t k;

	if (t[0].quoted)
		return fail(p, "expected a command, not a string");
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (strcmp(ops[k].name, name) == 0)
			break;
	if (k == sizeof(ops) / sizeof(ops[0]))
		return fail(p, "unknown command \"%s\"", name);
	c->op = ops[k].op;
	c->line = p->line;
	switch (c->op) {
	case OP_TAP:
	case OP_LONG_PRESS:
		return parse_target(p, name, t, n, c);
	case OP_SCROLL_TO:
		if (parse_target(p, name, t, n, c) < 0)
			return -1;
		if (c->target != TARGET_ID)
			return fail(p, "scroll-to: expected id:NAME");
		return 0;
	case OP_DRAG:
		if (n != 6 || !number(&t[1], SCRIPT_MAX_COORD, &c->x1) ||
		    !number(&t[2], SCRIPT_MAX_COORD, &c->y1) ||
		    !number(&t[3], SCRIPT_MAX_COORD, &c->x2) ||
		    !number(&t[4], SCRIPT_MAX_COORD, &c->y2) ||
		    !number(&t[5], SCRIPT_MAX_MS, &c->ms) || c->ms < 1)
			return fail(p, "drag: expected X1 Y1 X2 Y2 MS");
		return 0;
	case OP_WHEEL: {
		int clicks;
		const struct token *ct = n == 4 ? &t[3] : NULL;
		bool neg = ct && !ct->quoted && ct->s[0] == '-';
		struct token abs_t = {ct ? (neg ? ct->s + 1 : ct->s) : NULL, false};

		if (n != 4 || !number(&t[1], SCRIPT_MAX_COORD, &c->x1) ||
		    !number(&t[2], SCRIPT_MAX_COORD, &c->y1) || !number(&abs_t, 100, &clicks))
			return fail(p, "wheel: expected X Y CLICKS");
		c->ms = neg ? -clicks : clicks;
		return 0;
	}
	case OP_KEY:
		if (n != 2 || t[1].quoted)
			return fail(p, "key: expected a key name such as Return or Alt+F4");
		return parse_key(p, t[1].s, c);
	case OP_TYPE:
		if (n != 2 || !t[1].quoted)
			return fail(p, "type: expected \"text\"");
		if (!utf8_valid(t[1].s, strlen(t[1].s)))
			return fail(p, "type: text is not UTF-8");
		c->text = take(&t[1]);
		return 0;
	case OP_WAIT:
		if (n != 2 || !number(&t[1], SCRIPT_MAX_MS, &c->ms))
			return fail(p, "wait: expected a time in milliseconds");
		return 0;
	case OP_WAIT_FOR:
		c->ms = SCRIPT_WAIT_FOR_MS;
		if (n < 2 || n > 3 || !t[1].quoted || !t[1].s[0] ||
		    (n == 3 && !number(&t[2], SCRIPT_MAX_MS, &c->ms)))
			return fail(p, "wait-for: expected \"text\" and an optional timeout in ms");
		c->text = take(&t[1]);
		return 0;
	case OP_WAIT_SPEECH:
		c->ms = SCRIPT_WAIT_SPEECH_MS;
		if (n > 2 || (n == 2 && !number(&t[1], SCRIPT_MAX_MS, &c->ms)))
			return fail(p, "wait-speech: expected an optional timeout in ms");
		return 0;
	case OP_EXPECT:
	case OP_EXPECT_NOT:
		if (n != 2 || !t[1].quoted || !t[1].s[0])
			return fail(p, "%s: expected \"text\"", name);
		c->text = take(&t[1]);
		return 0;
	case OP_SCREENSHOT:
	case OP_DUMP:
		if (n != 2 || !t[1].s[0])
			return fail(p, "%s: expected a file name", name);
		c->text = take(&t[1]);
		return 0;
	case OP_QUIT:
		if (n != 1)
			return fail(p, "quit: takes no arguments");
		return 0;
	}
	return fail(p, "unknown command \"%s\"", name);
}

int
script_parse(const char *src, size_t len, struct script **ret_script, char *err, size_t err_size)
{
	struct parser p = {.line = 0, .err = err, .err_size = err_size};
	struct script *s;
	size_t pos = 0, cap = 0;
	int r = 0;

	if (len > SCRIPT_MAX_BYTES) {
		snprintf(err, err_size, "script: longer than %u bytes", SCRIPT_MAX_BYTES);
		return -E2BIG;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	while (pos < len) {
		const char *nl = memchr(src + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (src + pos)) : len - pos;
		struct token t[MAX_TOKENS];
		int n;

		p.line++;
		if (ll > SCRIPT_MAX_LINE) {
			r = fail(&p, "line longer than %d bytes", SCRIPT_MAX_LINE);
			goto fail;
		}
		if (memchr(src + pos, '\0', ll)) {
			r = fail(&p, "NUL byte in line");
			goto fail;
		}
		n = tokenize(&p, src + pos, ll, t);
		pos += ll + (nl ? 1 : 0);
		if (n < 0) {
			r = n;
			goto fail;
		}
		if (n == 0)
			continue;
		if (s->n == SCRIPT_MAX_COMMANDS) {
			free_tokens(t, n);
			r = fail(&p, "more than %d commands", SCRIPT_MAX_COMMANDS);
			goto fail;
		}
		if (s->n == cap) {
			size_t c = cap ? cap * 2 : 16;
			struct script_cmd *cmds = realloc(s->cmds, c * sizeof(*cmds));

			if (!cmds) {
				free_tokens(t, n);
				r = -ENOMEM;
				goto fail;
			}
			s->cmds = cmds;
			cap = c;
		}
		s->cmds[s->n] = (struct script_cmd){0};
		r = parse_line(&p, t, n, &s->cmds[s->n]);
		free_tokens(t, n);
		if (r < 0) {
			free(s->cmds[s->n].text);
			goto fail;
		}
		s->n++;
	}
	*ret_script = s;
	return 0;
fail:
	script_free(s);
	return r;
}

int
script_load(const char *path, struct script **ret_script, char *err, size_t err_size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int r;

	if (!f) {
		r = -errno;
		snprintf(err, err_size, "script: cannot read %s: %s", path, strerror(-r));
		return r;
	}
	buf = malloc(SCRIPT_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, SCRIPT_MAX_BYTES + 1, f);
	if (ferror(f)) {
		snprintf(err, err_size, "script: cannot read %s", path);
		r = -EIO;
	} else {
		r = script_parse(buf, n, ret_script, err, err_size);
	}
	fclose(f);
	free(buf);
	return r;
}

void
script_free(struct script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->cmds[i].text);
	free(s->cmds);
	free(s);
}

/* ---- the runner ---- */

#define TAP_HOLD_MS 60
#define LONG_HOLD_MS (APP_LONG_PRESS_MS + 200)
#define SCRIPT_TOUCH_ID 77

struct script_run {
	struct script *s; /* owned */
	size_t pc;
	int phase;
	Uint32 t0; /* when the command started */
	int x, y; /* resolved target point */
	SDL_FingerID finger;
};

int
script_run_new(const char *path, char *err, size_t err_size, struct script_run **ret_run)
{
	struct script_run *run = calloc(1, sizeof(*run));
	int r;

	if (!run)
		return -ENOMEM;
	r = script_load(path, &run->s, err, err_size);
	if (r < 0) {
		free(run);
		return r;
	}
	*ret_run = run;
	return 0;
}

void
script_run_free(struct script_run *run)
{
	if (!run)
		return;
	script_free(run->s);
	free(run);
}

static int line_error(struct ui_app *app, const struct script_cmd *c, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int
line_error(struct ui_app *app, const struct script_cmd *c, const char *fmt, ...)
{
	va_list ap;
	char msg[200];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	app_set_error(app, "script:%d: %s", c->line, msg);
	return -EINVAL;
}

static void
push_finger(struct ui_app *app, Uint32 type, SDL_FingerID finger, int x, int y, float dx, float dy)
{
	SDL_Event e = {0};

	e.type = type;
	e.tfinger.touchId = SCRIPT_TOUCH_ID;
	e.tfinger.fingerId = finger;
	e.tfinger.x = app->win_w > 0 ? (float)x / app->win_w : 0;
	e.tfinger.y = app->win_h > 0 ? (float)y / app->win_h : 0;
	e.tfinger.dx = dx;
	e.tfinger.dy = dy;
	e.tfinger.pressure = type == SDL_FINGERUP ? 0 : 1;
	e.tfinger.windowID = SDL_GetWindowID(app->window);
	SDL_PushEvent(&e);
}

static void
push_key(struct ui_app *app, Uint32 type, SDL_Keycode key, Uint16 mod)
{
	SDL_Event e = {0};

	e.type = type;
	e.key.windowID = SDL_GetWindowID(app->window);
	e.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
	e.key.keysym.sym = key;
	e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
	e.key.keysym.mod = mod;
	SDL_PushEvent(&e);
}

static void
push_text(struct ui_app *app, const char *text)
{
	size_t len = strlen(text), pos = 0;

	/* SDL_TEXTINPUT carries up to 31 bytes: split on character boundaries. */
	while (pos < len) {
		SDL_Event e = {0};
		size_t end = pos;

		while (end < len) {
			size_t next = end;

			utf8_next(text, len, &next);
			if (next - pos > sizeof(e.text.text) - 1)
				break;
			end = next;
		}
		e.type = SDL_TEXTINPUT;
		e.text.windowID = SDL_GetWindowID(app->window);
		memcpy(e.text.text, text + pos, end - pos);
		SDL_PushEvent(&e);
		pos = end;
	}
}

static int
resolve(struct ui_app *app, struct script_run *run, const struct script_cmd *c, const char *name)
{
	struct dump_hit h;

	if (c->target == TARGET_POINT) {
		run->x = c->x1;
		run->y = c->y1;
		return 0;
	}
	if (c->target == TARGET_TEXT) {
		if (!dump_find_text(app, c->text, DUMP_EXACT, true, &h))
			return line_error(app, c, "%s: no \"%s\" on screen", name, c->text);
	} else if (!dump_find_id(app, c->text, &h)) {
		return line_error(app, c, "%s: no id:%s on screen", name, c->text);
	}
	run->x = h.rect.x + h.rect.w / 2;
	run->y = h.rect.y + h.rect.h / 2;
	return 0;
}

/*
 * scroll-to id:NAME: turns the mouse wheel over the screen's edge, a click a step, as a
 * person would scroll, until the widget is wholly in view; fails when it is not on the
 * screen at all or no scrolling brings it into view.
 */
#define SCROLL_TO_CLICKS_MAX 60

static int
scroll_to(struct ui_app *app, struct script_run *run, const struct script_cmd *c)
{
	const SDL_Rect *area = &app->screen_area;
	struct ui_widget *frame = app->current >= 0 ? app->screens[app->current].frame : NULL;
	struct ui_widget *w = frame ? ui_widget_find(frame, c->text) : NULL;
	SDL_Event e = {0};
	int top, bottom = area->y + area->h;

	if (!w || !widget_is_shown(w))
		return line_error(app, c, "scroll-to: no id:%s on this screen", c->text);
	top = screen_content_top(frame);
	/* In view: wholly, or from its top when it is taller than the screen. */
	if (!app->layout_dirty && w->rect.y >= top &&
	    (w->rect.y + w->rect.h <= bottom || w->rect.h > bottom - top))
		return 1;
	if (run->phase++ > SCROLL_TO_CLICKS_MAX)
		return line_error(app, c, "scroll-to: id:%s cannot be scrolled into view", c->text);
	e.type = SDL_MOUSEWHEEL;
	e.wheel.windowID = SDL_GetWindowID(app->window);
	e.wheel.y = w->rect.y < top ? 1 : -1; /* up shows what is above */
	e.wheel.preciseY = (float)e.wheel.y;
	e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
	e.wheel.mouseX = area->x + 1; /* the screen's own margin, not a list in it */
	e.wheel.mouseY = area->y + area->h / 2;
	SDL_PushEvent(&e);
	return 0;
}

/* Runs command c; returns 1 when it is complete, 0 to come back next step, < 0 failed. */
static int
exec(struct ui_app *app, struct script_run *run, const struct script_cmd *c)
{
	Uint32 now = SDL_GetTicks(), el = now - run->t0;
	struct dump_hit h;
	int r;

	if (run->phase == 0)
		run->t0 = now;
	switch (c->op) {
	case OP_TAP:
	case OP_LONG_PRESS:
		if (run->phase == 0) {
			r = resolve(app, run, c, c->op == OP_TAP ? "tap" : "long-press");
			if (r < 0)
				return r;
			run->finger++;
			push_finger(app, SDL_FINGERDOWN, run->finger, run->x, run->y, 0, 0);
			run->phase = 1;
			return 0;
		}
		if (run->phase == 1) {
			if (el < (Uint32)(c->op == OP_TAP ? TAP_HOLD_MS : LONG_HOLD_MS))
				return 0;
			push_finger(app, SDL_FINGERUP, run->finger, run->x, run->y, 0, 0);
			run->phase = 2;
			return 0;
		}
		return 1;
	case OP_DRAG:
		if (run->phase == 0) {
			run->finger++;
			run->x = c->x1;
			run->y = c->y1;
			push_finger(app, SDL_FINGERDOWN, run->finger, c->x1, c->y1, 0, 0);
			run->phase = 1;
			return 0;
		}
		if (run->phase == 1) {
			double f = el >= (Uint32)c->ms ? 1.0 : (double)el / c->ms;
			int x = c->x1 + (int)((c->x2 - c->x1) * f),
			    y = c->y1 + (int)((c->y2 - c->y1) * f);

			push_finger(app, SDL_FINGERMOTION, run->finger, x, y,
			            (float)(x - run->x) / app->win_w,
			            (float)(y - run->y) / app->win_h);
			run->x = x;
			run->y = y;
			if (f >= 1.0) {
				push_finger(app, SDL_FINGERUP, run->finger, c->x2, c->y2, 0, 0);
				run->phase = 2;
			}
			return 0;
		}
		return 1;
	case OP_WHEEL:
		if (run->phase == 0) {
			SDL_Event e = {0};

			e.type = SDL_MOUSEWHEEL;
			e.wheel.windowID = SDL_GetWindowID(app->window);
			e.wheel.which = 0;
			e.wheel.y = c->ms;
			e.wheel.preciseY = (float)c->ms;
			e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
			e.wheel.mouseX = c->x1;
			e.wheel.mouseY = c->y1;
			SDL_PushEvent(&e);
			run->phase = 1;
			return 0;
		}
		return 1;
	case OP_SCROLL_TO:
		return scroll_to(app, run, c);
	case OP_KEY:
		if (run->phase == 0) {
			push_key(app, SDL_KEYDOWN, c->key, c->mod);
			push_key(app, SDL_KEYUP, c->key, c->mod);
			run->phase = 1;
			return 0;
		}
		return 1;
	case OP_TYPE:
		if (run->phase == 0) {
			push_text(app, c->text);
			run->phase = 1;
			return 0;
		}
		return 1;
	case OP_WAIT:
		run->phase = 1;
		return el >= (Uint32)c->ms;
	case OP_WAIT_FOR:
		run->phase = 1;
		if (dump_find_text(app, c->text, DUMP_CONTAINS, false, &h))
			return 1;
		if (el >= (Uint32)c->ms)
			return line_error(app, c, "wait-for: \"%s\" did not appear within %d ms",
			                  c->text, c->ms);
		return 0;
	case OP_WAIT_SPEECH:
		run->phase = 1;
		if (!ui_app_speaking(app))
			return 1;
		if (el >= (Uint32)c->ms)
			return line_error(app, c, "wait-speech: still speaking after %d ms", c->ms);
		return 0;
	case OP_EXPECT:
		if (!dump_find_text(app, c->text, DUMP_CONTAINS, false, &h))
			return line_error(app, c, "expect: \"%s\" is not on screen", c->text);
		return 1;
	case OP_EXPECT_NOT:
		if (dump_find_text(app, c->text, DUMP_CONTAINS, false, &h))
			return line_error(app, c, "expect-not: \"%s\" is on screen", c->text);
		return 1;
	case OP_SCREENSHOT:
		r = dump_screenshot(app, c->text);
		if (r < 0)
			return line_error(app, c, "screenshot: cannot write %s: %s", c->text,
			                  strerror(-r));
		return 1;
	case OP_DUMP:
		r = dump_write(app, c->text);
		if (r < 0)
			return line_error(app, c, "dump: cannot write %s: %s", c->text,
			                  strerror(-r));
		return 1;
	case OP_QUIT:
		ui_app_quit(app, 0);
		return 1;
	}
	return 1;
}

int
script_run_tick(struct ui_app *app, struct script_run *run)
{
	while (run->pc < run->s->n && !app->quit) {
		int r = exec(app, run, &run->s->cmds[run->pc]);

		if (r < 0)
			return r;
		if (r == 0)
			return 0;
		run->pc++;
		run->phase = 0;
	}
	if (run->pc >= run->s->n && !app->quit)
		ui_app_quit(app, 0);
	return 0;
}
