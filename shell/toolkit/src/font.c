/*
 * fontconfig lookup, SDL_ttf fonts per role, and the text texture cache of font.h. The
 * cache is a hash table (FNV-1a over font, colour and bytes) threaded on a doubly linked
 * LRU list; when the pixels held pass the budget the oldest entries go.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>

#include "font.h"

struct fonts {
	char *regular_path; /* owned */
	char *bold_path; /* owned */
	TTF_Font *font[FONT_ROLE_COUNT]; /* owned; NULL until fonts_open */
	int px[FONT_ROLE_COUNT];
};

static const bool role_bold[FONT_ROLE_COUNT] = {
        [FONT_HEADING] = true,
        [FONT_BUTTON] = true,
        [FONT_PIN] = true,
};

static char *
find_font(const char *family, int weight, char *err, size_t err_size)
{
	FcPattern *pat = NULL, *match = NULL;
	FcChar8 *file = NULL, *got_family = NULL;
	FcResult res;
	char *path = NULL;

	pat = FcPatternCreate();
	if (!pat)
		return NULL;
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcPatternAddInteger(pat, FC_WEIGHT, weight);
	FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
	FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	match = FcFontMatch(NULL, pat, &res);
	if (!match || res != FcResultMatch) {
		snprintf(err, err_size, "fontconfig has no match for %s", family);
		goto out;
	}
	/* fontconfig always answers with something; refuse a substitute family. */
	if (FcPatternGetString(match, FC_FAMILY, 0, &got_family) != FcResultMatch ||
	    strcmp((const char *)got_family, family) != 0) {
		snprintf(err, err_size, "font %s is not installed (fonts-dejavu-core)", family);
		goto out;
	}
	if (FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch) {
		snprintf(err, err_size, "fontconfig gave no file for %s", family);
		goto out;
	}
	path = strdup((const char *)file);
out:
	if (match)
		FcPatternDestroy(match);
	FcPatternDestroy(pat);
	return path;
}

int
fonts_new(char *err, size_t err_size, struct fonts **ret_fonts)
{
	struct fonts *f;
	char dummy[8];

	if (!err) {
		err = dummy;
		err_size = sizeof(dummy);
	}
	if (!FcInit()) {
		snprintf(err, err_size, "fontconfig failed to initialise");
		return -ENOENT;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->regular_path = find_font("DejaVu Sans", FC_WEIGHT_REGULAR, err, err_size);
	f->bold_path = find_font("DejaVu Sans", FC_WEIGHT_BOLD, err, err_size);
	if (!f->regular_path || !f->bold_path) {
		fonts_free(f);
		return -ENOENT;
	}
	*ret_fonts = f;
	return 0;
}

void
fonts_free(struct fonts *f)
{
	if (!f)
		return;
	for (int i = 0; i < FONT_ROLE_COUNT; i++)
		if (f->font[i])
			TTF_CloseFont(f->font[i]);
	free(f->regular_path);
	free(f->bold_path);
	free(f);
}

int
fonts_open(struct fonts *f, const struct metrics *m)
{
	TTF_Font *opened[FONT_ROLE_COUNT] = {0};

	for (int i = 0; i < FONT_ROLE_COUNT; i++) {
		/* Roles of the same face and size share nothing in SDL_ttf, but opening is
		 * cheap (the file is read lazily by FreeType). */
		opened[i] =
		        TTF_OpenFont(role_bold[i] ? f->bold_path : f->regular_path, m->font_px[i]);
		if (!opened[i]) {
			for (int j = 0; j < i; j++)
				TTF_CloseFont(opened[j]);
			return -EIO;
		}
		TTF_SetFontHinting(opened[i], TTF_HINTING_LIGHT);
	}
	for (int i = 0; i < FONT_ROLE_COUNT; i++) {
		if (f->font[i])
			TTF_CloseFont(f->font[i]);
		f->font[i] = opened[i];
		f->px[i] = m->font_px[i];
	}
	return 0;
}

TTF_Font *
fonts_get(const struct fonts *f, enum font_role role)
{
	return f->font[role];
}

const char *
fonts_path(const struct fonts *f, bool bold)
{
	return bold ? f->bold_path : f->regular_path;
}

int
font_measure(TTF_Font *font, const char *s, size_t len)
{
	char stack[256], *buf = stack;
	int w = 0, h = 0;

	if (!font || len == 0)
		return 0;
	if (len >= sizeof(stack)) {
		buf = malloc(len + 1);
		if (!buf)
			return 0;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (TTF_SizeUTF8(font, buf, &w, &h) != 0)
		w = 0;
	if (buf != stack)
		free(buf);
	return w;
}

int
font_line_height(TTF_Font *font)
{
	return font ? TTF_FontLineSkip(font) : 0;
}

/* ---- the texture cache ---- */

#define CACHE_BUCKETS 1024
#define CACHE_MAX_TEXT 4096 /* longer strings are rendered but not kept */

struct entry {
	uint64_t hash;
	TTF_Font *font; /* borrowed: identity only */
	SDL_Color color;
	char *text; /* owned */
	size_t len;
	SDL_Texture *tex; /* owned */
	int w, h;
	struct entry *chain; /* next in the bucket */
	struct entry *newer; /* LRU neighbours */
	struct entry *older;
};

struct text_cache {
	SDL_Renderer *renderer; /* borrowed from the app */
	size_t budget;
	size_t bytes;
	struct entry *buckets[CACHE_BUCKETS];
	struct entry *newest;
	struct entry *oldest;
	SDL_Texture *uncached; /* owned: the last texture too long to keep */
	unsigned long lookups;
	unsigned long renders;
};

int
text_cache_new(SDL_Renderer *renderer, size_t budget_bytes, struct text_cache **ret_cache)
{
	struct text_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->renderer = renderer;
	c->budget = budget_bytes;
	*ret_cache = c;
	return 0;
}

static uint64_t
hash_key(TTF_Font *font, SDL_Color color, const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	uintptr_t fp = (uintptr_t)font;
	unsigned char head[sizeof(fp) + 4];

	memcpy(head, &fp, sizeof(fp));
	head[sizeof(fp)] = color.r;
	head[sizeof(fp) + 1] = color.g;
	head[sizeof(fp) + 2] = color.b;
	head[sizeof(fp) + 3] = color.a;
	for (size_t i = 0; i < sizeof(head); i++)
		h = (h ^ head[i]) * 1099511628211ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void
lru_unlink(struct text_cache *c, struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void
lru_push(struct text_cache *c, struct entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	c->newest = e;
	if (!c->oldest)
		c->oldest = e;
}

static void
entry_drop(struct text_cache *c, struct entry *e)
{
	struct entry **pp = &c->buckets[e->hash % CACHE_BUCKETS];

	while (*pp && *pp != e)
		pp = &(*pp)->chain;
	if (*pp)
		*pp = e->chain;
	lru_unlink(c, e);
	c->bytes -= (size_t)e->w * (size_t)e->h * 4;
	SDL_DestroyTexture(e->tex);
	free(e->text);
	free(e);
}

void
text_cache_clear(struct text_cache *c)
{
	if (!c)
		return;
	while (c->oldest)
		entry_drop(c, c->oldest);
	if (c->uncached) {
		SDL_DestroyTexture(c->uncached);
		c->uncached = NULL;
	}
}

void
text_cache_free(struct text_cache *c)
{
	if (!c)
		return;
	text_cache_clear(c);
	free(c);
}

static SDL_Texture *
render_text(struct text_cache *c, TTF_Font *font, SDL_Color color, const char *s, size_t len,
            int *ret_w, int *ret_h)
{
	char stack[256], *buf = stack;
	SDL_Surface *surf;
	SDL_Texture *tex;

	if (len >= sizeof(stack)) {
		buf = malloc(len + 1);
		if (!buf)
			return NULL;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	surf = TTF_RenderUTF8_Blended(font, buf, color);
	if (buf != stack)
		free(buf);
	if (!surf)
		return NULL;
	tex = SDL_CreateTextureFromSurface(c->renderer, surf);
	*ret_w = surf->w;
	*ret_h = surf->h;
	SDL_FreeSurface(surf);
	if (tex)
		SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	c->renders++;
	return tex;
}

SDL_Texture *
text_cache_get(struct text_cache *c, TTF_Font *font, SDL_Color color, const char *s, size_t len,
               int *ret_w, int *ret_h)
{
	uint64_t h;
	struct entry *e;
	SDL_Texture *tex;
	int w = 0, ht = 0;

	if (!font || len == 0)
		return NULL;
	c->lookups++;
	if (len > CACHE_MAX_TEXT) {
		if (c->uncached)
			SDL_DestroyTexture(c->uncached);
		c->uncached = render_text(c, font, color, s, len, ret_w, ret_h);
		return c->uncached;
	}
	h = hash_key(font, color, s, len);
	for (e = c->buckets[h % CACHE_BUCKETS]; e; e = e->chain) {
		if (e->hash == h && e->font == font && e->len == len &&
		    memcmp(&e->color, &color, sizeof(color)) == 0 && memcmp(e->text, s, len) == 0) {
			lru_unlink(c, e);
			lru_push(c, e);
			*ret_w = e->w;
			*ret_h = e->h;
			return e->tex;
		}
	}
	tex = render_text(c, font, color, s, len, &w, &ht);
	if (!tex)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (e)
		e->text = malloc(len);
	if (!e || !e->text) {
		free(e);
		/* Keep it as the one uncached texture rather than leak it. */
		if (c->uncached)
			SDL_DestroyTexture(c->uncached);
		c->uncached = tex;
		*ret_w = w;
		*ret_h = ht;
		return tex;
	}
	memcpy(e->text, s, len);
	e->len = len;
	e->hash = h;
	e->font = font;
	e->color = color;
	e->tex = tex;
	e->w = w;
	e->h = ht;
	e->chain = c->buckets[h % CACHE_BUCKETS];
	c->buckets[h % CACHE_BUCKETS] = e;
	lru_push(c, e);
	c->bytes += (size_t)w * (size_t)ht * 4;
	/* Evict the oldest, but never the entry just made: the caller is about to draw it. */
	while (c->bytes > c->budget && c->oldest && c->oldest != e)
		entry_drop(c, c->oldest);
	*ret_w = w;
	*ret_h = ht;
	return tex;
}

void
text_cache_stats(const struct text_cache *c, unsigned long *ret_lookups, unsigned long *ret_renders,
                 size_t *ret_bytes)
{
	*ret_lookups = c->lookups;
	*ret_renders = c->renders;
	*ret_bytes = c->bytes;
}
