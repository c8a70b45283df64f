/*
 * text.h: the one check that bytes are well-formed UTF-8, and the rule for one line of
 * text, for every library and process that takes text from outside: packs, course
 * certificates, bundles, the daemon's validation (services/common), the policy engine and
 * the UI toolkit. No dependencies, no allocation, no locale.
 */
#ifndef ONWARD_TEXT_H
#define ONWARD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Whether s[0..len) is well-formed UTF-8 (RFC 3629): shortest forms only, no surrogates,
 * nothing past U+10FFFF, no sequence cut short. U+0000 is a character like any other;
 * callers that refuse NUL bytes check for them themselves. s may be NULL when len is 0.
 */
bool text_utf8_valid(const char *s, size_t len);

/*
 * Whether the NUL-terminated s is one line of text: 1 to max bytes of UTF-8 without
 * control characters (C0, DEL or C1, such as U+009B, a terminal's CSI), text-direction
 * controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C: they reorder what a
 * staff terminal or a screen shows, so "gnp.exe" can read as "exe.png") or line and
 * paragraph separators, so it can stand in a line-based signed rendering, never forge a
 * line of its own and always reads as written. NULL is not.
 */
bool text_line_valid(const char *s, size_t max);

#define TEXT_PROBLEM_MAX 64

/*
 * The same rule, with what breaks it in words for staff ("holds the text-direction
 * control U+202E"), naming the code point rather than echoing the text; NULL when s is
 * one line of text. The words are a literal or written into buf.
 */
const char *text_line_problem(const char *s, size_t max, char buf[TEXT_PROBLEM_MAX]);

/*
 * Reads a moment written "2026-12-09T10:00:00Z" (UTC, exactly that shape: the one the
 * daemon writes) into seconds since 1970. 0, or -EINVAL for anything else, a day the
 * month does not have or a year before 1970; ret is untouched on failure.
 */
int text_utc_time_parse(const char *s, int64_t *ret_seconds);

#endif
