/*
 * UTF-8 helpers shared by line wrapping and text editing: stepping over code points,
 * validating input, and keeping a base letter together with the combining marks that
 * follow it (libunibreak 1.1 has no grapheme breaking, and these few rules are enough
 * to never split "ŵ" typed as w + U+0302 or an emoji from its variation selector).
 */
#ifndef ONWARD_UI_UTF8_H
#define ONWARD_UI_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[*pos] (len bytes in all) and advances *pos past it.
 * Returns the code point, or 0xFFFD for a malformed sequence (advancing one byte). */
uint32_t utf8_next(const char *s, size_t len, size_t *pos);

/* True when s[0..len) is well-formed UTF-8 without NUL bytes. */
bool utf8_valid(const char *s, size_t len);

/* True for code points that attach to the one before: combining marks, variation
 * selectors, zero-width joiner. */
bool utf8_is_extend(uint32_t cp);

/* The byte offset of the start of the character cluster after `pos` (a base code point
 * and the extending ones after it); len when at the end. */
size_t utf8_cluster_next(const char *s, size_t len, size_t pos);

/* The byte offset of the start of the cluster before `pos`; 0 at the start. */
size_t utf8_cluster_prev(const char *s, size_t len, size_t pos);

/* The number of clusters (what a person counts as characters) in s[0..len). */
size_t utf8_cluster_count(const char *s, size_t len);

/* Encodes `cp` into out (4 bytes at least); returns the byte count. */
size_t utf8_encode(uint32_t cp, char *out);

#endif
