/*
 * The two palettes and the metric rules of theme.h. Body text is about 3.8 mm tall at
 * the normal size (23 px on the tablet), well above the 2.5 mm often given as the
 * smallest comfortable size, because many readers here struggle with small print. The
 * high-contrast theme keeps every text/background pair above 15:1.
 */
#include <math.h>

#include "theme.h"

int
theme_mm(double dpi, double mm)
{
	double px = mm * dpi / 25.4;

	if (mm <= 0)
		return 0;
	return px < 1 ? 1 : (int)lround(px);
}

#define RGB(r, g, b) ((SDL_Color){(r), (g), (b), 255})
#define RGBA(r, g, b, a) ((SDL_Color){(r), (g), (b), (a)})

void
theme_colors_get(enum ui_theme theme, struct theme_colors *ret_colors)
{
	if (theme == UI_THEME_HIGH_CONTRAST) {
		*ret_colors = (struct theme_colors){
		        .bg = RGB(0, 0, 0),
		        .surface = RGB(0, 0, 0),
		        .text = RGB(255, 255, 255),
		        .muted = RGB(230, 230, 230),
		        .accent = RGB(255, 230, 0),
		        .on_accent = RGB(0, 0, 0),
		        .border = RGB(255, 255, 255),
		        .pressed = RGB(70, 70, 70),
		        .focus = RGB(0, 255, 255),
		        .locked = RGB(0, 0, 0),
		        .on_locked = RGB(255, 255, 255),
		        .badge = RGB(255, 230, 0),
		        .on_badge = RGB(0, 0, 0),
		        .scrim = RGBA(0, 0, 0, 200),
		        .banner = RGB(255, 230, 0),
		        .on_banner = RGB(0, 0, 0),
		        .bar = RGB(0, 0, 0),
		        .on_bar = RGB(255, 255, 255),
		        .key = RGB(0, 0, 0),
		        .key_special = RGB(40, 40, 40),
		        .kb_bg = RGB(0, 0, 0),
		};
		return;
	}
	*ret_colors = (struct theme_colors){
	        .bg = RGB(246, 243, 236),
	        .surface = RGB(255, 255, 255),
	        .text = RGB(26, 26, 26),
	        .muted = RGB(80, 80, 80),
	        .accent = RGB(22, 84, 160),
	        .on_accent = RGB(255, 255, 255),
	        .border = RGB(120, 120, 120),
	        .pressed = RGB(205, 220, 240),
	        .focus = RGB(230, 120, 0),
	        .locked = RGB(226, 224, 219),
	        .on_locked = RGB(70, 70, 70),
	        .badge = RGB(190, 30, 30),
	        .on_badge = RGB(255, 255, 255),
	        .scrim = RGBA(0, 0, 0, 120),
	        .banner = RGB(22, 84, 160),
	        .on_banner = RGB(255, 255, 255),
	        .bar = RGB(38, 50, 56),
	        .on_bar = RGB(255, 255, 255),
	        .key = RGB(255, 255, 255),
	        .key_special = RGB(214, 219, 226),
	        .kb_bg = RGB(200, 204, 210),
	};
}

void
theme_metrics_compute(double dpi, enum ui_text_size size, enum ui_theme theme,
                      struct metrics *ret_metrics)
{
	struct metrics m = {0};
	double s = size == UI_TEXT_LARGEST ? 1.5 : size == UI_TEXT_LARGE ? 1.25 : 1.0;

	m.dpi = dpi;
	m.scale = s;
	m.font_px[FONT_BODY] = theme_mm(dpi, 3.9 * s);
	m.font_px[FONT_SMALL] = theme_mm(dpi, 3.2 * s);
	m.font_px[FONT_HEADING] = theme_mm(dpi, 5.4 * s);
	m.font_px[FONT_BUTTON] = theme_mm(dpi, 3.9 * s);
	m.font_px[FONT_KEY] = theme_mm(dpi, 4.6 * s);
	m.font_px[FONT_PIN] = theme_mm(dpi, 7.0 * s);
	m.space[UI_SPACE_NONE] = 0;
	m.space[UI_SPACE_SMALL] = theme_mm(dpi, 1.0 * s);
	m.space[UI_SPACE_MEDIUM] = theme_mm(dpi, 2.5 * s);
	m.space[UI_SPACE_LARGE] = theme_mm(dpi, 5.0 * s);
	/* The touch target grows with the text, never below 9 mm. */
	m.target = theme_mm(dpi, THEME_TARGET_MM * (s > 1 ? (1 + s) / 2 : 1));
	m.border = theme == UI_THEME_HIGH_CONTRAST ? theme_mm(dpi, 0.6) : theme_mm(dpi, 0.25);
	m.focus = theme_mm(dpi, 0.8);
	m.radius = theme_mm(dpi, 2.0);
	m.icon = theme_mm(dpi, 5.5 * s);
	m.tile_icon = theme_mm(dpi, 13.0 * s);
	m.tap_slop = theme_mm(dpi, 2.5);
	*ret_metrics = m;
}

const char *
theme_name(enum ui_theme theme)
{
	return theme == UI_THEME_HIGH_CONTRAST ? "high-contrast" : "normal";
}

const char *
theme_text_size_name(enum ui_text_size size)
{
	return size == UI_TEXT_LARGEST ? "largest" : size == UI_TEXT_LARGE ? "large" : "normal";
}
