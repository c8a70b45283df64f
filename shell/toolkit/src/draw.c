/*
 * Shapes as triangle lists for SDL_RenderGeometry (draw.h). Icons are described in a
 * 24 x 24 design grid and scaled to the box, so they stay crisp at every text size.
 */
#include <math.h>

#include "draw.h"

#define PI_F 3.14159265f
#define SEGS 48 /* segments in a full circle */

void
draw_rect(SDL_Renderer *r, const SDL_Rect *rc, SDL_Color c)
{
	SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(r, rc);
}

static SDL_Vertex
vtx(float x, float y, SDL_Color c)
{
	return (SDL_Vertex){.position = {x, y}, .color = c};
}

void
draw_triangle(SDL_Renderer *r, float x1, float y1, float x2, float y2, float x3, float y3,
              SDL_Color c)
{
	SDL_Vertex v[3] = {vtx(x1, y1, c), vtx(x2, y2, c), vtx(x3, y3, c)};

	SDL_RenderGeometry(r, NULL, v, 3, NULL, 0);
}

void
draw_round_rect(SDL_Renderer *r, const SDL_Rect *rc, int radius, SDL_Color c)
{
	/* Centre fan over the outline: 4 corners x (N + 1) points. */
	enum { N = 8 };
	SDL_Vertex v[1 + 4 * (N + 1)];
	int idx[3 * 4 * (N + 1)];
	int nv = 0, ni = 0;
	float rad = (float)radius;
	float cx[4], cy[4];

	if (rc->w <= 0 || rc->h <= 0)
		return;
	if (rad * 2 > rc->w)
		rad = rc->w / 2.0f;
	if (rad * 2 > rc->h)
		rad = rc->h / 2.0f;
	if (rad < 1) {
		draw_rect(r, rc, c);
		return;
	}
	cx[0] = rc->x + rc->w - rad; /* bottom right, then clockwise */
	cy[0] = rc->y + rc->h - rad;
	cx[1] = rc->x + rad;
	cy[1] = rc->y + rc->h - rad;
	cx[2] = rc->x + rad;
	cy[2] = rc->y + rad;
	cx[3] = rc->x + rc->w - rad;
	cy[3] = rc->y + rad;
	v[nv++] = vtx(rc->x + rc->w / 2.0f, rc->y + rc->h / 2.0f, c);
	for (int k = 0; k < 4; k++) {
		for (int i = 0; i <= N; i++) {
			float a = (k + (float)i / N) * PI_F / 2;

			v[nv++] = vtx(cx[k] + rad * cosf(a), cy[k] + rad * sinf(a), c);
		}
	}
	for (int i = 1; i < nv; i++) {
		idx[ni++] = 0;
		idx[ni++] = i;
		idx[ni++] = i + 1 < nv ? i + 1 : 1;
	}
	SDL_RenderGeometry(r, NULL, v, nv, idx, ni);
}

void
draw_box(SDL_Renderer *r, const SDL_Rect *rc, int radius, int border, SDL_Color fill,
         SDL_Color edge)
{
	SDL_Rect in = *rc;

	if (border > 0) {
		draw_round_rect(r, rc, radius, edge);
		in.x += border;
		in.y += border;
		in.w -= 2 * border;
		in.h -= 2 * border;
		radius = radius > border ? radius - border : 0;
	}
	draw_round_rect(r, &in, radius, fill);
}

void
draw_circle(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color c)
{
	SDL_Vertex v[SEGS + 1];
	int idx[SEGS * 3];

	v[0] = vtx(cx, cy, c);
	for (int i = 0; i < SEGS; i++) {
		float a = 2 * PI_F * i / SEGS;

		v[i + 1] = vtx(cx + radius * cosf(a), cy + radius * sinf(a), c);
		idx[i * 3] = 0;
		idx[i * 3 + 1] = i + 1;
		idx[i * 3 + 2] = (i + 1) % SEGS + 1;
	}
	SDL_RenderGeometry(r, NULL, v, SEGS + 1, idx, SEGS * 3);
}

void
draw_arc(SDL_Renderer *r, float cx, float cy, float radius, float thickness, float a0, float a1,
         SDL_Color c)
{
	enum { MAXS = SEGS };
	SDL_Vertex v[2 * (MAXS + 1)];
	int idx[6 * MAXS];
	int n = (int)ceilf(fabsf(a1 - a0) / (2 * PI_F) * MAXS);
	float ro = radius + thickness / 2, ri = radius - thickness / 2;

	if (n < 1)
		n = 1;
	if (n > MAXS)
		n = MAXS;
	for (int i = 0; i <= n; i++) {
		float a = a0 + (a1 - a0) * i / n;

		v[2 * i] = vtx(cx + ro * cosf(a), cy + ro * sinf(a), c);
		v[2 * i + 1] = vtx(cx + ri * cosf(a), cy + ri * sinf(a), c);
	}
	for (int i = 0; i < n; i++) {
		int b = 2 * i;

		idx[6 * i] = b;
		idx[6 * i + 1] = b + 1;
		idx[6 * i + 2] = b + 2;
		idx[6 * i + 3] = b + 1;
		idx[6 * i + 4] = b + 3;
		idx[6 * i + 5] = b + 2;
	}
	SDL_RenderGeometry(r, NULL, v, 2 * (n + 1), idx, 6 * n);
}

void
draw_line(SDL_Renderer *r, float x1, float y1, float x2, float y2, float thickness, SDL_Color c)
{
	float dx = x2 - x1, dy = y2 - y1, len = sqrtf(dx * dx + dy * dy), nx, ny;
	SDL_Vertex v[4];
	int idx[6] = {0, 1, 2, 1, 3, 2};

	if (len <= 0)
		return;
	nx = -dy / len * thickness / 2;
	ny = dx / len * thickness / 2;
	v[0] = vtx(x1 + nx, y1 + ny, c);
	v[1] = vtx(x1 - nx, y1 - ny, c);
	v[2] = vtx(x2 + nx, y2 + ny, c);
	v[3] = vtx(x2 - nx, y2 - ny, c);
	SDL_RenderGeometry(r, NULL, v, 4, idx, 6);
	/* Round caps keep joints of polylines closed. */
	draw_circle(r, x1, y1, thickness / 2, c);
	draw_circle(r, x2, y2, thickness / 2, c);
}

/* The icon grid: 24 units square mapped onto the box. */
struct grid {
	float x, y, u;
};

static float
gx(const struct grid *g, float v)
{
	return g->x + v * g->u;
}

static float
gy(const struct grid *g, float v)
{
	return g->y + v * g->u;
}

static void
grect(SDL_Renderer *r, const struct grid *g, float x, float y, float w, float h, float rad,
      SDL_Color c)
{
	SDL_Rect rc = {(int)lroundf(gx(g, x)), (int)lroundf(gy(g, y)), (int)lroundf(w * g->u),
	               (int)lroundf(h * g->u)};

	draw_round_rect(r, &rc, (int)lroundf(rad * g->u), c);
}

static void
gline(SDL_Renderer *r, const struct grid *g, float x1, float y1, float x2, float y2, float t,
      SDL_Color c)
{
	draw_line(r, gx(g, x1), gy(g, y1), gx(g, x2), gy(g, y2), t * g->u, c);
}

static void
gtri(SDL_Renderer *r, const struct grid *g, float x1, float y1, float x2, float y2, float x3,
     float y3, SDL_Color c)
{
	draw_triangle(r, gx(g, x1), gy(g, y1), gx(g, x2), gy(g, y2), gx(g, x3), gy(g, y3), c);
}

static void
gcircle(SDL_Renderer *r, const struct grid *g, float x, float y, float rad, SDL_Color c)
{
	draw_circle(r, gx(g, x), gy(g, y), rad * g->u, c);
}

static void
garc(SDL_Renderer *r, const struct grid *g, float x, float y, float rad, float t, float a0,
     float a1, SDL_Color c)
{
	draw_arc(r, gx(g, x), gy(g, y), rad * g->u, t * g->u, a0, a1, c);
}

void
draw_icon(SDL_Renderer *r, enum ui_icon icon, const SDL_Rect *box, SDL_Color fg, SDL_Color bg)
{
	float side = (float)(box->w < box->h ? box->w : box->h);
	struct grid g = {box->x + (box->w - side) / 2, box->y + (box->h - side) / 2, side / 24};
	const float T = 2.2f; /* stroke width in grid units */

	switch (icon) {
	case UI_ICON_NONE:
	case UI_ICON_COUNT_:
		break;
	case UI_ICON_LOCK:
		garc(r, &g, 12, 10, 5, T, PI_F, 2 * PI_F, fg);
		gline(r, &g, 7, 10, 7, 12, T, fg);
		gline(r, &g, 17, 10, 17, 12, T, fg);
		grect(r, &g, 4, 11, 16, 11, 2, fg);
		gcircle(r, &g, 12, 15.5f, 1.6f, bg);
		gline(r, &g, 12, 16, 12, 19, 1.4f, bg);
		break;
	case UI_ICON_SPEAKER:
		grect(r, &g, 2, 9, 5, 6, 0.5f, fg);
		gtri(r, &g, 5, 12, 12, 3, 12, 21, fg);
		garc(r, &g, 12, 12, 4.5f, T, -0.8f, 0.8f, fg);
		garc(r, &g, 12, 12, 8.5f, T, -0.8f, 0.8f, fg);
		break;
	case UI_ICON_BACK:
		gline(r, &g, 5, 12, 20, 12, T * 1.2f, fg);
		gline(r, &g, 5, 12, 12, 5, T * 1.2f, fg);
		gline(r, &g, 5, 12, 12, 19, T * 1.2f, fg);
		break;
	case UI_ICON_HOME:
	case UI_ICON_HOUSE:
		gtri(r, &g, 2, 12, 12, 3, 22, 12, fg);
		grect(r, &g, 5, 11, 14, 11, 0.5f, fg);
		grect(r, &g, 10, 15, 4, 7, 0.5f, bg);
		break;
	case UI_ICON_BOOK:
		grect(r, &g, 3, 4, 8.5f, 16, 1, fg);
		grect(r, &g, 12.5f, 4, 8.5f, 16, 1, fg);
		gline(r, &g, 5, 8, 9.5f, 8, 1.2f, bg);
		gline(r, &g, 5, 11, 9.5f, 11, 1.2f, bg);
		gline(r, &g, 14.5f, 8, 19, 8, 1.2f, bg);
		gline(r, &g, 14.5f, 11, 19, 11, 1.2f, bg);
		break;
	case UI_ICON_MESSAGE:
		grect(r, &g, 2, 4, 20, 13, 3, fg);
		gtri(r, &g, 6, 16, 12, 16, 6, 22, fg);
		gline(r, &g, 6, 9, 18, 9, 1.5f, bg);
		gline(r, &g, 6, 12.5f, 14, 12.5f, 1.5f, bg);
		break;
	case UI_ICON_CALENDAR:
		grect(r, &g, 3, 5, 18, 17, 2, fg);
		grect(r, &g, 5, 10, 14, 10, 1, bg);
		gline(r, &g, 8, 3, 8, 7, T, fg);
		gline(r, &g, 16, 3, 16, 7, T, fg);
		grect(r, &g, 7, 12, 3, 3, 0.5f, fg);
		grect(r, &g, 14, 16, 3, 3, 0.5f, fg);
		break;
	case UI_ICON_HELP:
		/* A lifebuoy: never locked, always the same shape. */
		garc(r, &g, 12, 12, 7.5f, 5, 0, 2 * PI_F, fg);
		gline(r, &g, 6, 6, 8.5f, 8.5f, 2.2f, bg);
		gline(r, &g, 18, 6, 15.5f, 8.5f, 2.2f, bg);
		gline(r, &g, 6, 18, 8.5f, 15.5f, 2.2f, bg);
		gline(r, &g, 18, 18, 15.5f, 15.5f, 2.2f, bg);
		break;
	case UI_ICON_SETTINGS:
		for (int i = 0; i < 8; i++) {
			float a = i * PI_F / 4;

			gline(r, &g, 12 + 6 * cosf(a), 12 + 6 * sinf(a), 12 + 10 * cosf(a),
			      12 + 10 * sinf(a), 3.2f, fg);
		}
		gcircle(r, &g, 12, 12, 7.5f, fg);
		gcircle(r, &g, 12, 12, 3, bg);
		break;
	case UI_ICON_PERSON:
		gcircle(r, &g, 12, 7.5f, 4.5f, fg);
		grect(r, &g, 4, 14, 16, 10, 6, fg);
		break;
	case UI_ICON_LIST:
		for (int i = 0; i < 3; i++) {
			gcircle(r, &g, 4.5f, 6 + 6 * i, 1.8f, fg);
			gline(r, &g, 9, 6 + 6 * i, 21, 6 + 6 * i, T, fg);
		}
		break;
	case UI_ICON_CHECK:
		gline(r, &g, 4, 13, 10, 19, T * 1.3f, fg);
		gline(r, &g, 10, 19, 20, 6, T * 1.3f, fg);
		break;
	case UI_ICON_KEYBOARD:
		grect(r, &g, 1, 6, 22, 13, 2, fg);
		for (int y = 0; y < 2; y++)
			for (int x = 0; x < 5; x++)
				grect(r, &g, 3.5f + x * 3.6f, 8.5f + y * 3.5f, 2.2f, 2.2f, 0.3f,
				      bg);
		grect(r, &g, 7, 15.5f, 10, 1.8f, 0.3f, bg);
		break;
	case UI_ICON_BACKSPACE:
		gtri(r, &g, 1, 12, 8, 5, 8, 19, fg);
		grect(r, &g, 7, 5, 16, 14, 2, fg);
		gline(r, &g, 11, 8.5f, 18, 15.5f, 1.8f, bg);
		gline(r, &g, 18, 8.5f, 11, 15.5f, 1.8f, bg);
		break;
	case UI_ICON_SHIFT:
		gtri(r, &g, 12, 3, 22, 13, 2, 13, fg);
		grect(r, &g, 8, 12, 8, 9, 0.5f, fg);
		break;
	case UI_ICON_ENTER:
		gline(r, &g, 19, 4, 19, 14, T, fg);
		gline(r, &g, 19, 14, 6, 14, T, fg);
		gtri(r, &g, 2, 14, 8, 8.5f, 8, 19.5f, fg);
		break;
	case UI_ICON_NEXT:
		/* BACK turned round: the way on, never the Enter key's bent arrow. */
		gline(r, &g, 4, 12, 19, 12, T * 1.2f, fg);
		gline(r, &g, 19, 12, 12, 5, T * 1.2f, fg);
		gline(r, &g, 19, 12, 12, 19, T * 1.2f, fg);
		break;
	case UI_ICON_SEND:
		gtri(r, &g, 2, 11, 22, 3, 10, 14, fg);
		gtri(r, &g, 10, 14, 22, 3, 14, 22, fg);
		gline(r, &g, 10, 14, 22, 3, 1.2f, bg);
		break;
	case UI_ICON_LATER:
		garc(r, &g, 12, 12, 9, T, 0, 2 * PI_F, fg);
		gline(r, &g, 12, 12, 12, 6.5f, T, fg);
		gline(r, &g, 12, 12, 16, 14.5f, T, fg);
		break;
	case UI_ICON_QUIZ:
		garc(r, &g, 12, 8.5f, 4.5f, T * 1.2f, PI_F, 2.4f * PI_F, fg);
		gline(r, &g, 13.5f, 12.7f, 12, 14.5f, T * 1.2f, fg);
		gline(r, &g, 12, 14.2f, 12, 16.5f, T * 1.2f, fg);
		gcircle(r, &g, 12, 20.5f, 1.7f, fg);
		break;
	case UI_ICON_ASK_STAFF:
		/* A raised hand: a palm and four fingers, the thumb to one side. */
		grect(r, &g, 6, 11, 12, 11, 4, fg);
		for (int i = 0; i < 4; i++)
			grect(r, &g, 6 + i * 3.1f, 3 + (i == 0 || i == 3 ? 2 : 0), 2.6f, 10, 1.3f,
			      fg);
		gline(r, &g, 6.5f, 16, 2.5f, 11, 2.6f, fg);
		break;
	case UI_ICON_CERTIFICATE:
		gtri(r, &g, 7, 13, 11, 14, 6, 23, fg);
		gtri(r, &g, 17, 13, 13, 14, 18, 23, fg);
		gcircle(r, &g, 12, 9.5f, 7, fg);
		gcircle(r, &g, 12, 9.5f, 4, bg);
		gcircle(r, &g, 12, 9.5f, 2.2f, fg);
		break;
	case UI_ICON_REMINDER:
		garc(r, &g, 12, 10, 6, T, PI_F, 2 * PI_F, fg);
		grect(r, &g, 6, 9.5f, 12, 8, 0.5f, fg);
		gtri(r, &g, 3, 18, 6, 14, 6, 18, fg);
		gtri(r, &g, 21, 18, 18, 14, 18, 18, fg);
		grect(r, &g, 3, 17, 18, 2.2f, 1, fg);
		gcircle(r, &g, 12, 21, 2, fg);
		gline(r, &g, 12, 2.5f, 12, 4.5f, T, fg);
		break;
	}
}

const char *
draw_icon_name(enum ui_icon icon)
{
	static const char *const names[UI_ICON_COUNT_] = {
	        "none",     "lock",      "speaker",     "back",     "home",   "book", "message",
	        "house",    "calendar",  "help",        "settings", "person", "list", "check",
	        "keyboard", "backspace", "shift",       "enter",    "next",   "send", "later",
	        "quiz",     "ask-staff", "certificate", "reminder",
	};

	return (unsigned)icon < UI_ICON_COUNT_ ? names[icon] : "none";
}
