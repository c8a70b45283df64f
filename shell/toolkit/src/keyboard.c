/*
 * On-screen keyboards (keyboard.h): the static layouts, placing keys, applying presses,
 * and the keyboard widget. The same widget is the pop-up keyboard the app shows under a
 * focused field and the PIN pad a login screen places itself. Keys are items, so scripts
 * tap them as id:key-q and dumps list them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "dump.h"
#include "keyboard.h"
#include "ui_int.h"

#define K(l, a, u)                                                                                 \
	{                                                                                          \
		(l), (l), (a), (u)                                                                 \
	}
#define N(l, n, a, u)                                                                              \
	{                                                                                          \
		(l), (n), (a), (u)                                                                 \
	}
#define END                                                                                        \
	{                                                                                          \
		NULL, NULL, KEY_CHAR, 0                                                            \
	}

static const struct key_def letters[] = {
        K("q", KEY_CHAR, 1),
        K("w", KEY_CHAR, 1),
        K("e", KEY_CHAR, 1),
        K("r", KEY_CHAR, 1),
        K("t", KEY_CHAR, 1),
        K("y", KEY_CHAR, 1),
        K("u", KEY_CHAR, 1),
        K("i", KEY_CHAR, 1),
        K("o", KEY_CHAR, 1),
        K("p", KEY_CHAR, 1),
        END,
        K("a", KEY_CHAR, 1),
        K("s", KEY_CHAR, 1),
        K("d", KEY_CHAR, 1),
        K("f", KEY_CHAR, 1),
        K("g", KEY_CHAR, 1),
        K("h", KEY_CHAR, 1),
        K("j", KEY_CHAR, 1),
        K("k", KEY_CHAR, 1),
        K("l", KEY_CHAR, 1),
        END,
        N("Shift", "shift", KEY_SHIFT, 1.5f),
        K("z", KEY_CHAR, 1),
        K("x", KEY_CHAR, 1),
        K("c", KEY_CHAR, 1),
        K("v", KEY_CHAR, 1),
        K("b", KEY_CHAR, 1),
        K("n", KEY_CHAR, 1),
        K("m", KEY_CHAR, 1),
        N("Backspace", "backspace", KEY_BACKSPACE, 1.5f),
        END,
        N("123", "123", KEY_TO_NUMBERS, 1.5f),
        N("\xC3\xA2\xC3\xA0", "accents", KEY_TO_ACCENTS, 1.5f),
        /* The punctuation people type most, on the first layer: no trip to "123". */
        N(",", "comma", KEY_CHAR, 1),
        N("'", "apostrophe", KEY_CHAR, 1),
        N("Space", "space", KEY_SPACE, 3),
        N("?", "question", KEY_CHAR, 1),
        N(".", "period", KEY_CHAR, 1),
        N("Enter", "enter", KEY_ENTER, 1.5f),
        END,
        END,
};

/*
 * The letters with accents that Welsh writes (and French, Irish and others borrow): the
 * circumflex (to bach) first, as in "dŵr" and "tŷ", then acute, grave and diaeresis.
 * Shift gives their capitals (upper_of()).
 */
static const struct key_def accents[] = {
        N("\xC3\xA2", "a-circ", KEY_CHAR, 1), /* â */
        N("\xC3\xAA", "e-circ", KEY_CHAR, 1), /* ê */
        N("\xC3\xAE", "i-circ", KEY_CHAR, 1), /* î */
        N("\xC3\xB4", "o-circ", KEY_CHAR, 1), /* ô */
        N("\xC3\xBB", "u-circ", KEY_CHAR, 1), /* û */
        N("\xC5\xB5", "w-circ", KEY_CHAR, 1), /* ŵ */
        N("\xC5\xB7", "y-circ", KEY_CHAR, 1), /* ŷ */
        N("\xC3\xAF", "i-uml", KEY_CHAR, 1), /* ï */
        N("\xC3\xAB", "e-uml", KEY_CHAR, 1), /* ë */
        N("\xC3\xB6", "o-uml", KEY_CHAR, 1), /* ö */
        END,
        N("\xC3\xA1", "a-acute", KEY_CHAR, 1), /* á */
        N("\xC3\xA9", "e-acute", KEY_CHAR, 1), /* é */
        N("\xC3\xAD", "i-acute", KEY_CHAR, 1), /* í */
        N("\xC3\xB3", "o-acute", KEY_CHAR, 1), /* ó */
        N("\xC3\xBA", "u-acute", KEY_CHAR, 1), /* ú */
        N("\xE1\xBA\x83", "w-acute", KEY_CHAR, 1), /* ẃ */
        N("\xC3\xBD", "y-acute", KEY_CHAR, 1), /* ý */
        N("\xC3\xA4", "a-uml", KEY_CHAR, 1), /* ä */
        N("\xC3\xBC", "u-uml", KEY_CHAR, 1), /* ü */
        END,
        N("Shift", "shift", KEY_SHIFT, 1.5f),
        N("\xC3\xA0", "a-grave", KEY_CHAR, 1), /* à */
        N("\xC3\xA8", "e-grave", KEY_CHAR, 1), /* è */
        N("\xC3\xAC", "i-grave", KEY_CHAR, 1), /* ì */
        N("\xC3\xB2", "o-grave", KEY_CHAR, 1), /* ò */
        N("\xC3\xB9", "u-grave", KEY_CHAR, 1), /* ù */
        N("\xE1\xBA\x81", "w-grave", KEY_CHAR, 1), /* ẁ */
        N("\xE1\xBB\xB3", "y-grave", KEY_CHAR, 1), /* ỳ */
        N("Backspace", "backspace", KEY_BACKSPACE, 1.5f),
        END,
        N("ABC", "abc", KEY_TO_LETTERS, 1.5f),
        N("123", "123", KEY_TO_NUMBERS, 1.5f),
        N(",", "comma", KEY_CHAR, 1),
        N("'", "apostrophe", KEY_CHAR, 1),
        N("Space", "space", KEY_SPACE, 3),
        N("?", "question", KEY_CHAR, 1),
        N(".", "period", KEY_CHAR, 1),
        N("Enter", "enter", KEY_ENTER, 1.5f),
        END,
        END,
};

/* The capital of an accented letter on the accents layer (UTF-8), or NULL. */
static const char *
upper_of(const char *lower)
{
	static const char *const pairs[][2] = {
	        {"\xC3\xA2", "\xC3\x82"},         {"\xC3\xAA", "\xC3\x8A"},
	        {"\xC3\xAE", "\xC3\x8E"},         {"\xC3\xB4", "\xC3\x94"},
	        {"\xC3\xBB", "\xC3\x9B"},         {"\xC5\xB5", "\xC5\xB4"},
	        {"\xC5\xB7", "\xC5\xB6"},         {"\xC3\xAF", "\xC3\x8F"},
	        {"\xC3\xAB", "\xC3\x8B"},         {"\xC3\xB6", "\xC3\x96"},
	        {"\xC3\xA1", "\xC3\x81"},         {"\xC3\xA9", "\xC3\x89"},
	        {"\xC3\xAD", "\xC3\x8D"},         {"\xC3\xB3", "\xC3\x93"},
	        {"\xC3\xBA", "\xC3\x9A"},         {"\xE1\xBA\x83", "\xE1\xBA\x82"},
	        {"\xC3\xBD", "\xC3\x9D"},         {"\xC3\xA4", "\xC3\x84"},
	        {"\xC3\xBC", "\xC3\x9C"},         {"\xC3\xA0", "\xC3\x80"},
	        {"\xC3\xA8", "\xC3\x88"},         {"\xC3\xAC", "\xC3\x8C"},
	        {"\xC3\xB2", "\xC3\x92"},         {"\xC3\xB9", "\xC3\x99"},
	        {"\xE1\xBA\x81", "\xE1\xBA\x80"}, {"\xE1\xBB\xB3", "\xE1\xBB\xB2"},
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (strcmp(lower, pairs[i][0]) == 0)
			return pairs[i][1];
	return NULL;
}

static const struct key_def numbers[] = {
        K("1", KEY_CHAR, 1),
        K("2", KEY_CHAR, 1),
        K("3", KEY_CHAR, 1),
        K("4", KEY_CHAR, 1),
        K("5", KEY_CHAR, 1),
        K("6", KEY_CHAR, 1),
        K("7", KEY_CHAR, 1),
        K("8", KEY_CHAR, 1),
        K("9", KEY_CHAR, 1),
        K("0", KEY_CHAR, 1),
        END,
        N("-", "minus", KEY_CHAR, 1),
        N("/", "slash", KEY_CHAR, 1),
        N(":", "colon", KEY_CHAR, 1),
        N(";", "semicolon", KEY_CHAR, 1),
        N("(", "lparen", KEY_CHAR, 1),
        N(")", "rparen", KEY_CHAR, 1),
        N("\xC2\xA3", "pound", KEY_CHAR, 1),
        N("&", "amp", KEY_CHAR, 1),
        N("@", "at", KEY_CHAR, 1),
        N("\"", "quote", KEY_CHAR, 1),
        END,
        N("#", "hash", KEY_CHAR, 1),
        N("?", "question", KEY_CHAR, 1),
        N("!", "exclaim", KEY_CHAR, 1),
        N("'", "apostrophe", KEY_CHAR, 1),
        N("%", "percent", KEY_CHAR, 1),
        N("+", "plus", KEY_CHAR, 1),
        N("=", "equals", KEY_CHAR, 1),
        N("Backspace", "backspace", KEY_BACKSPACE, 2),
        END,
        N("ABC", "abc", KEY_TO_LETTERS, 1.5f),
        N(",", "comma", KEY_CHAR, 1),
        N("Space", "space", KEY_SPACE, 5),
        N(".", "period", KEY_CHAR, 1),
        N("Enter", "enter", KEY_ENTER, 1.5f),
        END,
        END,
};

static const struct key_def pin[] = {
        K("1", KEY_CHAR, 1),
        K("2", KEY_CHAR, 1),
        K("3", KEY_CHAR, 1),
        END,
        K("4", KEY_CHAR, 1),
        K("5", KEY_CHAR, 1),
        K("6", KEY_CHAR, 1),
        END,
        K("7", KEY_CHAR, 1),
        K("8", KEY_CHAR, 1),
        K("9", KEY_CHAR, 1),
        END,
        N("Backspace", "backspace", KEY_BACKSPACE, 1),
        K("0", KEY_CHAR, 1),
        N("Enter", "enter", KEY_ENTER, 1),
        END,
        END,
};

static const struct key_def *
layout_of(enum ui_keyboard_mode mode)
{
	switch (mode) {
	case UI_KEYBOARD_LETTERS:
		return letters;
	case UI_KEYBOARD_NUMBERS:
		return numbers;
	case UI_KEYBOARD_PIN:
		return pin;
	case UI_KEYBOARD_ACCENTS:
		return accents;
	default:
		return NULL;
	}
}

void
keyboard_grid(enum ui_keyboard_mode mode, int *ret_rows, float *ret_units)
{
	const struct key_def *k = layout_of(mode);
	int rows = 0;
	float best = 0;

	/* Rows end with END; an empty row ends the layout. */
	while (k && k->label) {
		float units = 0;

		for (; k->label; k++)
			units += k->units;
		if (units > best)
			best = units;
		rows++;
		k++;
	}
	*ret_rows = rows;
	*ret_units = best;
}

size_t
keyboard_layout(enum ui_keyboard_mode mode, const SDL_Rect *area, int gap, struct key_place *ret,
                size_t cap)
{
	const struct key_def *k = layout_of(mode);
	int rows, row = 0;
	float units;
	size_t n = 0;
	double unit_w, row_h;

	if (!k)
		return 0;
	keyboard_grid(mode, &rows, &units);
	if (rows == 0 || units <= 0)
		return 0;
	unit_w = (double)(area->w - gap) / units;
	row_h = (double)(area->h - gap) / rows;
	while (k->label) {
		const struct key_def *start = k;
		float row_units = 0;
		double x;

		for (; k->label; k++)
			row_units += k->units;
		x = area->x + gap + (area->w - gap - row_units * unit_w) / 2;
		for (const struct key_def *d = start; d->label && n < cap; d++) {
			double w = d->units * unit_w;

			ret[n].def = d;
			ret[n].rect.x = (int)(x + 0.5);
			ret[n].rect.y = (int)(area->y + gap + row * row_h + 0.5);
			ret[n].rect.w = (int)(x + w + 0.5) - ret[n].rect.x - gap;
			ret[n].rect.h = (int)(row_h + 0.5) - gap;
			x += w;
			n++;
		}
		row++;
		k++; /* past the row's END */
	}
	return n;
}

int
keyboard_key_at(const struct key_place *keys, size_t n, int x, int y)
{
	for (size_t i = 0; i < n; i++) {
		const SDL_Rect *r = &keys[i].rect;

		if (x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h)
			return (int)i;
	}
	return -1;
}

void
keyboard_key_label(const struct kb_state *st, const struct key_def *key, char *out, size_t out_size)
{
	const char *upper;

	snprintf(out, out_size, "%s", key->label);
	if (key->action != KEY_CHAR || st->shift == SHIFT_OFF || !out[0])
		return;
	if (!out[1])
		out[0] = (char)toupper((unsigned char)out[0]);
	else if ((upper = upper_of(key->label)))
		snprintf(out, out_size, "%s", upper);
}

enum kb_result
keyboard_press(struct kb_state *st, const struct key_def *key, struct textedit *te)
{
	char label[16];
	int r;

	switch (key->action) {
	case KEY_SHIFT:
		st->shift = st->shift == SHIFT_OFF    ? SHIFT_ONCE
		            : st->shift == SHIFT_ONCE ? SHIFT_LOCK
		                                      : SHIFT_OFF;
		return KB_RELAYOUT;
	case KEY_TO_NUMBERS:
		st->mode = UI_KEYBOARD_NUMBERS;
		st->shift = SHIFT_OFF;
		return KB_RELAYOUT;
	case KEY_TO_LETTERS:
		st->mode = UI_KEYBOARD_LETTERS;
		return KB_RELAYOUT;
	case KEY_TO_ACCENTS:
		st->mode = UI_KEYBOARD_ACCENTS;
		return KB_RELAYOUT;
	case KEY_ENTER:
		return KB_ENTER;
	case KEY_BACKSPACE:
		if (!te)
			return KB_NOTHING;
		return textedit_backspace(te) ? KB_EDITED : KB_NOTHING;
	case KEY_SPACE:
		if (!te)
			return KB_NOTHING;
		return textedit_insert(te, " ") == 0 && !te->digits_only ? KB_EDITED : KB_REFUSED;
	case KEY_CHAR:
		break;
	}
	if (!te)
		return KB_NOTHING;
	keyboard_key_label(st, key, label, sizeof(label));
	{
		size_t before = te->len;

		r = textedit_insert(te, label);
		if (st->shift == SHIFT_ONCE) {
			st->shift = SHIFT_OFF;
			if (te->len != before)
				return KB_RELAYOUT;
		}
		return r == 0 && te->len != before ? KB_EDITED : KB_REFUSED;
	}
}

/* ---- the widget ---- */

struct keyboard {
	struct kb_state st;
	struct ui_widget *target; /* borrowed; NULL: the focused field */
	bool popup; /* the app's own, shown under a field */
	struct key_place keys[KEYBOARD_MAX_KEYS];
	size_t n_keys;
	int pressed; /* key index, -1: none */
};

static int
key_height(const struct ui_app *app, enum ui_keyboard_mode mode)
{
	int h = theme_mm(app->dpi, (mode == UI_KEYBOARD_PIN ? 14.0 : 11.0) * app->m.scale);

	return h > app->m.target ? h : app->m.target;
}

static void
kb_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct keyboard *k = w->data;
	struct ui_app *app = w->app;
	int rows, gap = app->m.space[UI_SPACE_SMALL];
	float units;

	keyboard_grid(k->st.mode, &rows, &units);
	*ret_h = rows * (key_height(app, k->st.mode) + gap) + gap;
	if (k->st.mode == UI_KEYBOARD_PIN) {
		/* A PIN pad's keys are square-ish and big, not stretched across the screen. */
		int key_w = theme_mm(app->dpi, 24.0 * app->m.scale);

		*ret_w = 3 * (key_w + gap) + gap;
		if (*ret_w > avail_w)
			*ret_w = avail_w;
	} else {
		*ret_w = avail_w;
	}
}

static void
kb_arrange(struct ui_widget *w)
{
	struct keyboard *k = w->data;
	SDL_Rect area = w->rect;
	int max_w;

	/* Letters on a wide screen stay a comfortable size: at most 24 cm across. */
	max_w = theme_mm(w->app->dpi, 240);
	if (k->st.mode != UI_KEYBOARD_PIN && area.w > max_w) {
		area.x += (area.w - max_w) / 2;
		area.w = max_w;
	}
	k->n_keys = keyboard_layout(k->st.mode, &area, w->app->m.space[UI_SPACE_SMALL], k->keys,
	                            KEYBOARD_MAX_KEYS);
}

static struct ui_widget *
kb_target(struct ui_widget *w)
{
	struct keyboard *k = w->data;

	if (k->target)
		return k->target;
	if (w->app && w->app->focus && w->app->focus->cls == &field_class)
		return w->app->focus;
	return NULL;
}

static enum ui_icon
key_icon(const struct key_def *d)
{
	switch (d->action) {
	case KEY_SHIFT:
		return UI_ICON_SHIFT;
	case KEY_BACKSPACE:
		return UI_ICON_BACKSPACE;
	case KEY_ENTER:
		return UI_ICON_ENTER;
	default:
		return UI_ICON_NONE;
	}
}

static void
kb_render(struct ui_widget *w, SDL_Renderer *r)
{
	struct keyboard *k = w->data;
	struct ui_app *app = w->app;
	const struct theme_colors *c = &app->colors;
	enum font_role role = k->st.mode == UI_KEYBOARD_PIN ? FONT_PIN : FONT_KEY;
	TTF_Font *font = fonts_get(app->fonts, role);

	if (k->popup)
		draw_rect(r, &w->rect, c->kb_bg);
	for (size_t i = 0; i < k->n_keys; i++) {
		const struct key_def *d = k->keys[i].def;
		const SDL_Rect *kr = &k->keys[i].rect;
		bool special = d->action != KEY_CHAR;
		bool lit = (d->action == KEY_SHIFT && k->st.shift != SHIFT_OFF) ||
		           d->action == KEY_ENTER;
		SDL_Color fill = (int)i == k->pressed ? c->pressed
		                 : lit                ? c->accent
		                 : special            ? c->key_special
		                                      : c->key;
		SDL_Color fg = lit && (int)i != k->pressed ? c->on_accent : c->text;
		enum ui_icon icon = key_icon(d);

		draw_box(r, kr, app->m.radius, app->m.border, fill, c->border);
		if (icon != UI_ICON_NONE) {
			int s = app->m.icon;

			draw_icon(
			        r, icon,
			        &(SDL_Rect){kr->x + (kr->w - s) / 2, kr->y + (kr->h - s) / 2, s, s},
			        fg, fill);
		} else {
			char label[32];
			const char *text = label;
			int tw, lh = font_line_height(font);

			if (d->action == KEY_SPACE)
				text = ui_app_tr(app, N_("Space"));
			else
				keyboard_key_label(&k->st, d, label, sizeof(label));
			tw = font_measure(font, text, strlen(text));
			app_draw_text(app, special ? FONT_BUTTON : role, fg, text, strlen(text),
			              kr->x + (kr->w - tw) / 2, kr->y + (kr->h - lh) / 2);
		}
	}
}

static void
kb_apply(struct ui_widget *w, int idx)
{
	struct keyboard *k = w->data;
	struct ui_widget *field = kb_target(w);
	struct textedit *te = field ? field_edit(field) : NULL;
	enum kb_result res = keyboard_press(&k->st, k->keys[idx].def, te);

	switch (res) {
	case KB_EDITED:
		field_changed(field);
		break;
	case KB_RELAYOUT:
		if (field && te)
			field_changed(field);
		widget_relayout(w);
		break;
	case KB_ENTER:
		if (!field)
			break;
		/* The pop-up goes away first: the handler may move to another screen. */
		if (k->popup)
			ui_app_focus(w->app, NULL);
		field_submit(field);
		return;
	default:
		break;
	}
	widget_redraw(w);
}

static void
kb_tap(struct ui_widget *w, int x, int y)
{
	struct keyboard *k = w->data;
	int idx = keyboard_key_at(k->keys, k->n_keys, x, y);

	if (idx >= 0) {
		/* Typing keeps the field being typed in on screen. */
		if (w->app)
			w->app->reveal_focus = true;
		kb_apply(w, idx);
	}
}

static void
kb_press(struct ui_widget *w, int x, int y, bool down)
{
	struct keyboard *k = w->data;

	k->pressed = down ? keyboard_key_at(k->keys, k->n_keys, x, y) : -1;
	widget_redraw(w);
}

static size_t
kb_n_items(struct ui_widget *w)
{
	return ((struct keyboard *)w->data)->n_keys;
}

static bool
kb_get_item(struct ui_widget *w, size_t i, struct widget_item *ret)
{
	struct keyboard *k = w->data;
	const struct key_def *d;

	if (i >= k->n_keys)
		return false;
	d = k->keys[i].def;
	*ret = (struct widget_item){.type = "key", .index = (long)i, .rect = k->keys[i].rect};
	snprintf(ret->id, sizeof(ret->id), "key-%s", d->name);
	if (d->action == KEY_CHAR)
		keyboard_key_label(&k->st, d, ret->text, sizeof(ret->text));
	else
		snprintf(ret->text, sizeof(ret->text), "%s",
		         w->app ? ui_app_tr(w->app, d->label) : d->label);
	ret->checked = d->action == KEY_SHIFT && k->st.shift != SHIFT_OFF;
	return true;
}

static void
kb_dump(struct ui_widget *w, struct json *j)
{
	struct keyboard *k = w->data;
	static const char *const modes[] = {"none", "letters", "numbers", "pin", "accents"};
	static const char *const shifts[] = {"off", "once", "lock"};

	json_key_str(j, "mode", modes[k->st.mode]);
	json_key_str(j, "shift", shifts[k->st.shift]);
}

const struct widget_class keyboard_class = {
        .type = "keyboard",
        .interactive = true,
        .measure = kb_measure,
        .arrange = kb_arrange,
        .render = kb_render,
        .tap = kb_tap,
        .press = kb_press,
        .n_items = kb_n_items,
        .get_item = kb_get_item,
        .dump = kb_dump,
};

struct ui_widget *
ui_keyboard_new(enum ui_keyboard_mode mode, struct ui_widget *target)
{
	struct ui_widget *w = widget_new(&keyboard_class, sizeof(struct keyboard));
	struct keyboard *k;

	if (!w)
		return NULL;
	k = w->data;
	k->st.mode = mode == UI_KEYBOARD_NONE ? UI_KEYBOARD_LETTERS : mode;
	k->target = target;
	k->pressed = -1;
	return w;
}

struct ui_widget *
keyboard_new_popup(void)
{
	struct ui_widget *w = ui_keyboard_new(UI_KEYBOARD_LETTERS, NULL);

	if (w)
		((struct keyboard *)w->data)->popup = true;
	return w;
}

void
keyboard_set_mode(struct ui_widget *kb, enum ui_keyboard_mode mode)
{
	struct keyboard *k = kb->data;

	if (mode == UI_KEYBOARD_NONE || k->st.mode == mode)
		return;
	k->st.mode = mode;
	k->st.shift = SHIFT_OFF;
	widget_relayout(kb);
}
