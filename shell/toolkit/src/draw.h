/*
 * Drawing primitives on an SDL_Renderer that SDL2 lacks: rounded boxes, circles, rings,
 * thick lines, triangles (all through SDL_RenderGeometry, so the software renderer draws
 * them too), and the toolkit's icons built from those shapes in the theme's colours.
 */
#ifndef ONWARD_UI_DRAW_H
#define ONWARD_UI_DRAW_H

#include <SDL.h>

#include "onward/ui.h"

void draw_rect(SDL_Renderer *r, const SDL_Rect *rc, SDL_Color c);
/* A filled rectangle with rounded corners of `radius`. */
void draw_round_rect(SDL_Renderer *r, const SDL_Rect *rc, int radius, SDL_Color c);
/* A rounded box: `border` pixels of `edge` around a `fill` inside (border 0: fill only). */
void draw_box(SDL_Renderer *r, const SDL_Rect *rc, int radius, int border, SDL_Color fill,
              SDL_Color edge);
void draw_circle(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color c);
/* An arc `thickness` wide along a circle of `radius` from angle a0 to a1 (radians,
 * 0 = +x, clockwise on screen). */
void draw_arc(SDL_Renderer *r, float cx, float cy, float radius, float thickness, float a0,
              float a1, SDL_Color c);
void draw_line(SDL_Renderer *r, float x1, float y1, float x2, float y2, float thickness,
               SDL_Color c);
void draw_triangle(SDL_Renderer *r, float x1, float y1, float x2, float y2, float x3, float y3,
                   SDL_Color c);

/* Draws `icon` filling the square `box` in colour `fg`; `bg` is used for cut-outs. */
void draw_icon(SDL_Renderer *r, enum ui_icon icon, const SDL_Rect *box, SDL_Color fg, SDL_Color bg);

/* The icon's name in dumps ("lock"), or "none". */
const char *draw_icon_name(enum ui_icon icon);

#endif
