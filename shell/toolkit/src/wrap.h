/*
 * Line wrapping: where a paragraph breaks into lines that fit a width. Break
 * opportunities come from libunibreak (Unicode line breaking, UAX #14), so spaces,
 * hyphens, CJK ideographs and mandatory breaks all behave as the standard says. A word
 * wider than the whole line is cut between character clusters. Measuring is a callback,
 * so this file knows nothing about fonts and the unit tests can use a fixed-width one.
 */
#ifndef ONWARD_UI_WRAP_H
#define ONWARD_UI_WRAP_H

#include <stddef.h>

/* One line: bytes [start, start + len) of the text, without trailing spaces or the
 * newline that ended it. */
struct wrap_line {
	size_t start;
	size_t len;
	int width; /* as measured */
};

/* Returns the width in pixels of s[0..len) (not NUL-terminated). */
typedef int (*wrap_measure_fn)(void *ctx, const char *s, size_t len);

/* Upper bound on the text accepted: labels are for people to read, not for books. */
#define WRAP_MAX_BYTES (256u * 1024u)

/*
 * Breaks text[0..len) into lines no wider than `width` (a line narrower than one cluster
 * still gets that cluster). `lang` ("en", "cy"; may be NULL) tunes libunibreak. On
 * success *ret_lines (owned by the caller, free()) holds *ret_n lines; empty text gives
 * none. Returns -EINVAL for width < 1 or text that is not UTF-8, -E2BIG past
 * WRAP_MAX_BYTES, -ENOMEM.
 */
int wrap_text(const char *text, size_t len, const char *lang, int width, wrap_measure_fn measure,
              void *ctx, struct wrap_line **ret_lines, size_t *ret_n);

#endif
