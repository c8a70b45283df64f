/*
 * Line breaking and wrapping (wrap.c over libunibreak): spaces, newlines, long words cut
 * between clusters, Welsh letters and combining marks kept whole, CJK breaking between
 * ideographs, and the same rules with real DejaVu measurements through SDL_ttf.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "check.h"
#include "font.h"
#include "utf8.h"
#include "wrap.h"

/* Every code point is 10 pixels wide; combining marks take no space. */
static int
fixed(void *ctx, const char *s, size_t len)
{
	size_t pos = 0;
	int w = 0;

	while (pos < len) {
		uint32_t cp = utf8_next(s, len, &pos);

		if (!utf8_is_extend(cp))
			w += 10;
	}
	return w;
}

/* Wraps and joins the lines with '|' into out. */
static int
wrap_join(const char *text, int width, char *out, size_t out_size)
{
	struct wrap_line *lines = NULL;
	size_t n = 0, o = 0;
	int r = wrap_text(text, strlen(text), "en", width, fixed, NULL, &lines, &n);

	out[0] = '\0';
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		o += (size_t)snprintf(out + o, out_size - o, "%s%.*s", i ? "|" : "",
		                      (int)lines[i].len, text + lines[i].start);
		if (lines[i].width > width && lines[i].len > 0 &&
		    utf8_cluster_count(text + lines[i].start, lines[i].len) > 1) {
			fprintf(stderr, "line %zu too wide: %d > %d\n", i, lines[i].width, width);
			check_failures++;
		}
	}
	free(lines);
	return (int)n;
}

static int
ttf_measure(void *ctx, const char *s, size_t len)
{
	return font_measure(ctx, s, len);
}

int
main(void)
{
	char out[1024];
	struct wrap_line *lines;
	size_t n;

	/* Words fill lines greedily; spaces at breaks vanish. */
	CHECK_INT(wrap_join("the cat sat on the mat", 70, out, sizeof(out)), 3);
	CHECK_STR(out, "the cat|sat on|the mat");
	CHECK_INT(wrap_join("the cat sat on the mat", 1000, out, sizeof(out)), 1);
	CHECK_STR(out, "the cat sat on the mat");
	/* Mandatory breaks, including an empty line between paragraphs. */
	CHECK_INT(wrap_join("one\ntwo\n\nthree", 1000, out, sizeof(out)), 4);
	CHECK_STR(out, "one|two||three");
	/* A word longer than the line is cut where it must be, never lost. */
	CHECK_INT(wrap_join("Llanfairpwllgwyngyll is long", 80, out, sizeof(out)), 4);
	CHECK_STR(out, "Llanfair|pwllgwyn|gyll is|long");
	/* A single character wider than the line still gets a line. */
	CHECK_INT(wrap_join("ab", 5, out, sizeof(out)), 2);
	CHECK_STR(out, "a|b");
	/* Hyphens are break opportunities. */
	CHECK_INT(wrap_join("well-known", 60, out, sizeof(out)), 2);
	CHECK_STR(out, "well-|known");
	/* Welsh: circumflex letters are one character, precomposed or combining. */
	CHECK_INT(wrap_join("Mae\xC5\xB5 d\xC5\xB7r", 60, out, sizeof(out)), 2);
	CHECK_STR(out, "Mae\xC5\xB5|d\xC5\xB7r");
	CHECK_INT(wrap_join("ww\xCC\x82w", 20, out, sizeof(out)), 2);
	CHECK_STR(out, "ww\xCC\x82|w"); /* w + U+0302 stays together */
	/* Chinese breaks between ideographs without spaces. */
	CHECK_INT(wrap_join("\xE6\x88\x91\xE4\xBB\xAC\xE5\x9C\xA8\xE5\xAD\xA6\xE4\xB9\xA0", 20, out,
	                    sizeof(out)),
	          3);
	/* Greek and Cyrillic wrap at spaces like Latin. */
	CHECK_INT(wrap_join("\xCE\xBA\xCE\xB1\xCE\xBB\xCE\xB7 \xCE\xBC\xCE\xAD\xCF\x81\xCE\xB1", 50,
	                    out, sizeof(out)),
	          2);
	CHECK_INT(wrap_join("\xD0\xB4\xD0\xBE\xD0\xB1\xD1\x80\xD0\xB8\xD0\xB9 \xD0\xB4\xD0\xB5"
	                    "\xD0\xBD\xD1\x8C",
	                    60, out, sizeof(out)),
	          2);
	/* Empty text has no lines; bad input is refused with the exact code. */
	CHECK_INT(wrap_join("", 100, out, sizeof(out)), 0);
	CHECK_INT(wrap_text("a", 1, "en", 0, fixed, NULL, &lines, &n), -EINVAL);
	CHECK_INT(wrap_text("\xC3\x28", 2, "en", 100, fixed, NULL, &lines, &n), -EINVAL);
	CHECK_INT(wrap_text("a", WRAP_MAX_BYTES + 1, "en", 100, fixed, NULL, &lines, &n), -E2BIG);

	/* The same with DejaVu Sans found through fontconfig and measured by SDL_ttf. */
	{
		struct fonts *f;
		struct metrics m;
		char err[200];
		TTF_Font *font;
		const char *cy = "Mae'r cais am dai wedi'i anfon at y cyngor. Byddwn yn "
		                 "rhoi gwybod i chi pan fydd ateb.";

		CHECK(TTF_Init() == 0);
		CHECK_INT(fonts_new(err, sizeof(err), &f), 0);
		theme_metrics_compute(150, UI_TEXT_NORMAL, UI_THEME_NORMAL, &m);
		CHECK_INT(fonts_open(f, &m), 0);
		CHECK(strstr(fonts_path(f, false), "DejaVuSans") != NULL);
		font = fonts_get(f, FONT_BODY);
		CHECK_INT(wrap_text(cy, strlen(cy), "cy", 300, ttf_measure, font, &lines, &n), 0);
		CHECK(n >= 3);
		for (size_t i = 0; i < n; i++) {
			CHECK(lines[i].width <= 300);
			CHECK(cy[lines[i].start] != ' ');
		}
		free(lines);
		fonts_free(f);
		TTF_Quit();
	}
	CHECK_DONE();
}
