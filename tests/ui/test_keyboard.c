/*
 * Keyboard input (keyboard.c, textedit.c): key layouts place every key inside the area
 * without overlap and at least 9 mm wide; presses type, shift once and lock, switch
 * modes, delete whole characters, respect the length limit and the digits-only rule.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "keyboard.h"
#include "textedit.h"

static const struct key_def *
key(struct key_place *keys, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i].def->name, name) == 0)
			return keys[i].def;
	return NULL;
}

int
main(void)
{
	struct key_place k[KEYBOARD_MAX_KEYS];
	SDL_Rect area = {0, 460, 1280, 340};
	struct kb_state st = {UI_KEYBOARD_LETTERS, SHIFT_OFF};
	struct textedit te;
	size_t n;

	/* Layout: 4 rows of letters, all inside, none overlapping, each >= 53 px (9 mm). */
	n = keyboard_layout(UI_KEYBOARD_LETTERS, &area, 6, k, KEYBOARD_MAX_KEYS);
	CHECK_INT(n, 36);
	for (size_t i = 0; i < n; i++) {
		SDL_Rect *r = &k[i].rect;

		CHECK(r->x >= area.x && r->y >= area.y && r->x + r->w <= area.x + area.w &&
		      r->y + r->h <= area.y + area.h);
		CHECK(r->w >= 53 && r->h >= 53);
		for (size_t j = i + 1; j < n; j++)
			CHECK(!SDL_HasIntersection(r, &k[j].rect));
	}
	CHECK_INT(keyboard_key_at(k, n, k[0].rect.x + 1, k[0].rect.y + 1), 0);
	CHECK_INT(keyboard_key_at(k, n, 0, 0), -1);
	CHECK_INT(keyboard_layout(UI_KEYBOARD_PIN, &area, 6, k, KEYBOARD_MAX_KEYS), 12);
	CHECK_INT(keyboard_layout(UI_KEYBOARD_NUMBERS, &area, 6, k, KEYBOARD_MAX_KEYS), 33);
	CHECK_INT(keyboard_layout(UI_KEYBOARD_NONE, &area, 6, k, KEYBOARD_MAX_KEYS), 0);
	/* The accents layer: as big and as apart as the letters. */
	n = keyboard_layout(UI_KEYBOARD_ACCENTS, &area, 6, k, KEYBOARD_MAX_KEYS);
	CHECK_INT(n, 36);
	for (size_t i = 0; i < n; i++) {
		SDL_Rect *r = &k[i].rect;

		CHECK(r->x >= area.x && r->y >= area.y && r->x + r->w <= area.x + area.w &&
		      r->y + r->h <= area.y + area.h);
		CHECK(r->w >= 53 && r->h >= 53);
		for (size_t j = i + 1; j < n; j++)
			CHECK(!SDL_HasIntersection(r, &k[j].rect));
	}

	/* Typing "Hi 2" as a person would. */
	n = keyboard_layout(UI_KEYBOARD_LETTERS, &area, 6, k, KEYBOARD_MAX_KEYS);
	CHECK_INT(textedit_init(&te, 10, false), 0);
	CHECK_INT(keyboard_press(&st, key(k, n, "shift"), &te), KB_RELAYOUT);
	CHECK_INT(keyboard_press(&st, key(k, n, "h"), &te), KB_RELAYOUT); /* shift released */
	CHECK_INT(keyboard_press(&st, key(k, n, "i"), &te), KB_EDITED);
	CHECK_INT(keyboard_press(&st, key(k, n, "space"), &te), KB_EDITED);
	CHECK_INT(keyboard_press(&st, key(k, n, "123"), &te), KB_RELAYOUT);
	CHECK_INT(st.mode, UI_KEYBOARD_NUMBERS);
	n = keyboard_layout(st.mode, &area, 6, k, KEYBOARD_MAX_KEYS);
	CHECK_INT(keyboard_press(&st, key(k, n, "2"), &te), KB_EDITED);
	CHECK_STR(te.buf, "Hi 2");
	CHECK_INT(keyboard_press(&st, key(k, n, "enter"), &te), KB_ENTER);
	CHECK_INT(keyboard_press(&st, key(k, n, "abc"), &te), KB_RELAYOUT);
	n = keyboard_layout(st.mode, &area, 6, k, KEYBOARD_MAX_KEYS);
	/* Shift twice locks capitals; a third press releases. */
	keyboard_press(&st, key(k, n, "shift"), &te);
	keyboard_press(&st, key(k, n, "shift"), &te);
	CHECK_INT(st.shift, SHIFT_LOCK);
	keyboard_press(&st, key(k, n, "a"), &te);
	keyboard_press(&st, key(k, n, "b"), &te);
	CHECK_STR(te.buf, "Hi 2AB");
	keyboard_press(&st, key(k, n, "shift"), &te);
	CHECK_INT(st.shift, SHIFT_OFF);
	/* Backspace removes one character, even when it is several bytes or code points. */
	CHECK_INT(textedit_insert(&te, "\xC5\xB5w\xCC\x82"), 0); /* ŵ and w + U+0302 */
	CHECK_INT(textedit_chars(&te), 8);
	CHECK_INT(keyboard_press(&st, key(k, n, "backspace"), &te), KB_EDITED);
	CHECK_STR(te.buf, "Hi 2AB\xC5\xB5");
	CHECK(textedit_backspace(&te));
	CHECK_STR(te.buf, "Hi 2AB");
	/* The limit counts characters and keeps what fitted. */
	CHECK_INT(textedit_insert(&te, "cdefgh"), -ENOSPC);
	CHECK_STR(te.buf, "Hi 2ABcdef");
	CHECK_INT(keyboard_press(&st, key(k, n, "z"), &te), KB_REFUSED);
	/* Cursor moves insert in the middle; bad UTF-8 is refused whole. */
	textedit_home(&te);
	CHECK(textedit_right(&te));
	CHECK(textedit_delete(&te));
	CHECK_INT(textedit_insert(&te, "o"), 0);
	CHECK_STR(te.buf, "Ho 2ABcdef");
	CHECK_INT(textedit_insert(&te, "\xFF"), -EINVAL);
	textedit_free(&te);

	/* Welsh as a person types it: "Tŷ Ŵyn, dŵr?" without leaving the keyboard, the
	 * apostrophe and question mark on the first layer. */
	st = (struct kb_state){UI_KEYBOARD_LETTERS, SHIFT_OFF};
	CHECK_INT(textedit_init(&te, 40, false), 0);
	n = keyboard_layout(st.mode, &area, 6, k, KEYBOARD_MAX_KEYS);
	keyboard_press(&st, key(k, n, "shift"), &te);
	keyboard_press(&st, key(k, n, "t"), &te);
	CHECK_INT(keyboard_press(&st, key(k, n, "accents"), &te), KB_RELAYOUT);
	CHECK_INT(st.mode, UI_KEYBOARD_ACCENTS);
	n = keyboard_layout(st.mode, &area, 6, k, KEYBOARD_MAX_KEYS);
	CHECK_INT(keyboard_press(&st, key(k, n, "y-circ"), &te), KB_EDITED);
	keyboard_press(&st, key(k, n, "space"), &te);
	keyboard_press(&st, key(k, n, "shift"), &te);
	CHECK_INT(keyboard_press(&st, key(k, n, "w-circ"), &te), KB_RELAYOUT); /* shift released */
	keyboard_press(&st, key(k, n, "abc"), &te);
	n = keyboard_layout(st.mode, &area, 6, k, KEYBOARD_MAX_KEYS);
	keyboard_press(&st, key(k, n, "y"), &te);
	keyboard_press(&st, key(k, n, "n"), &te);
	keyboard_press(&st, key(k, n, "comma"), &te);
	keyboard_press(&st, key(k, n, "space"), &te);
	keyboard_press(&st, key(k, n, "d"), &te);
	keyboard_press(&st, key(k, n, "accents"), &te);
	n = keyboard_layout(st.mode, &area, 6, k, KEYBOARD_MAX_KEYS);
	keyboard_press(&st, key(k, n, "w-circ"), &te);
	keyboard_press(&st, key(k, n, "abc"), &te);
	n = keyboard_layout(st.mode, &area, 6, k, KEYBOARD_MAX_KEYS);
	keyboard_press(&st, key(k, n, "r"), &te);
	keyboard_press(&st, key(k, n, "question"), &te);
	keyboard_press(&st, key(k, n, "apostrophe"), &te);
	CHECK_STR(te.buf, "T\xC5\xB7 \xC5\xB4yn, d\xC5\xB5r?'");
	textedit_free(&te);

	/* A PIN field takes digits only; letters and spaces are refused. */
	CHECK_INT(textedit_init(&te, 4, true), 0);
	st = (struct kb_state){UI_KEYBOARD_PIN, SHIFT_OFF};
	n = keyboard_layout(UI_KEYBOARD_PIN, &area, 6, k, KEYBOARD_MAX_KEYS);
	for (const char *d = "12345"; *d; d++) {
		char name[2] = {*d, 0};

		keyboard_press(&st, key(k, n, name), &te);
	}
	CHECK_STR(te.buf, "1234");
	CHECK_INT(textedit_insert(&te, "a"), 0); /* skipped, not an error */
	CHECK_STR(te.buf, "1234");
	CHECK_INT(textedit_set(&te, "9a8 7"), 0);
	CHECK_STR(te.buf, "987");
	CHECK_INT(keyboard_press(&st, NULL == key(k, n, "enter") ? NULL : key(k, n, "enter"), &te),
	          KB_ENTER);
	textedit_free(&te);
	CHECK_DONE();
}
