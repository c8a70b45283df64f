/*
 * The editing buffer behind a text field: UTF-8 text, a cursor between character
 * clusters, a maximum length counted in characters, and an optional digits-only rule
 * (numbers and PINs). Both the on-screen keyboard and a physical keyboard edit through
 * these calls, so they behave the same. No SDL here: the unit tests drive it directly.
 */
#ifndef ONWARD_UI_TEXTEDIT_H
#define ONWARD_UI_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>

#define TEXTEDIT_MAX_CHARS 4096 /* hard ceiling on any field */

struct textedit {
	char *buf; /* owned; always NUL-terminated */
	size_t len; /* bytes, without the NUL */
	size_t cap; /* bytes allocated */
	size_t cursor; /* byte offset, on a cluster boundary */
	size_t max_chars; /* clusters allowed, <= TEXTEDIT_MAX_CHARS */
	bool digits_only; /* accept only 0-9 */
	bool code; /* accept only A-Z and 0-9, a-z typed as capitals (a prison number) */
};

int textedit_init(struct textedit *te, size_t max_chars, bool digits_only);
void textedit_free(struct textedit *te);

/* Inserts `s` at the cursor. Characters the field does not accept (not digits in a
 * digits-only field, control characters) are skipped. Returns 0 when all of `s` went in,
 * -ENOSPC when it stopped at the maximum (what fitted stays), -EINVAL for bad UTF-8
 * (nothing inserted), -ENOMEM. */
int textedit_insert(struct textedit *te, const char *s);
/* Replaces everything (same rules as insert, cursor at the end). */
int textedit_set(struct textedit *te, const char *s);
void textedit_clear(struct textedit *te);
/* Deletes the cluster before / after the cursor; returns false when there was none. */
bool textedit_backspace(struct textedit *te);
bool textedit_delete(struct textedit *te);
/* Moves the cursor by one cluster or to either end; returns false when it cannot. */
bool textedit_left(struct textedit *te);
bool textedit_right(struct textedit *te);
void textedit_home(struct textedit *te);
void textedit_end(struct textedit *te);
/* The length in characters (clusters). */
size_t textedit_chars(const struct textedit *te);
/* Sets the maximum, cutting the text if it is longer. */
void textedit_set_max(struct textedit *te, size_t max_chars);

#endif
