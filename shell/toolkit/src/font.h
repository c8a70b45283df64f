/*
 * Fonts and rendered text. The DejaVu files are found through fontconfig (never a fixed
 * path), opened with SDL_ttf at the sizes the metrics ask for, and reopened when the
 * text size changes. Rendered strings are kept as textures in a least-recently-used
 * cache keyed by (font, colour, text), so a frame only rasterises text it has not drawn
 * lately; this is what keeps a scrolling 1,000-row list cheap.
 */
#ifndef ONWARD_UI_FONT_H
#define ONWARD_UI_FONT_H

#include <stddef.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "theme.h"

struct fonts;

/* Finds the regular and bold DejaVu Sans files with fontconfig. -ENOENT (with a reason
 * in `err`) when fontconfig has no DejaVu Sans. */
int fonts_new(char *err, size_t err_size, struct fonts **ret_fonts);
void fonts_free(struct fonts *f);

/* Opens every role at the sizes in `m` (closing the old ones). */
int fonts_open(struct fonts *f, const struct metrics *m);
TTF_Font *fonts_get(const struct fonts *f, enum font_role role);
/* The path fontconfig gave for the regular (bold: false) or bold face. */
const char *fonts_path(const struct fonts *f, bool bold);

/* Width in pixels of s[0..len) in `font` (0 on error). */
int font_measure(TTF_Font *font, const char *s, size_t len);
/* The distance between baselines of two lines. */
int font_line_height(TTF_Font *font);

struct text_cache;

/* A cache of at most `budget_bytes` of texture pixels for `renderer` (borrowed). */
int text_cache_new(SDL_Renderer *renderer, size_t budget_bytes, struct text_cache **ret_cache);
void text_cache_free(struct text_cache *c);
/* Drops every texture (theme, size or renderer change). */
void text_cache_clear(struct text_cache *c);
/*
 * The texture of s[0..len) in `font` and `color`, rendered now if it is not cached. The
 * texture is borrowed until the next call; ret_w and ret_h get its size. NULL for empty
 * text or when rendering failed.
 */
SDL_Texture *text_cache_get(struct text_cache *c, TTF_Font *font, SDL_Color color, const char *s,
                            size_t len, int *ret_w, int *ret_h);
/* Counters for the benchmark: lookups and how many had to render. */
void text_cache_stats(const struct text_cache *c, unsigned long *ret_lookups,
                      unsigned long *ret_renders, size_t *ret_bytes);

#endif
