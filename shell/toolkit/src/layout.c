/*
 * Boxes, grids and spacers, and the sharing arithmetic of layout.h. A vertical box gives
 * each child the full inner width (or its own width when aligned), stacks them, and
 * shares spare height among expanding children; a horizontal box shares width first,
 * then measures heights at the widths given, so text in it wraps. A grid picks its
 * column count from its width, so tiles reflow with the window and the text size.
 */
#include <stdlib.h>

#include "layout.h"
#include "ui_int.h"

int
layout_distribute(int avail, int spacing, size_t n, const int natural[], const int weight[],
                  int ret_size[])
{
	long fixed = 0, weights = 0, gaps, spare, used = 0;

	if (n == 0)
		return 0;
	gaps = (long)spacing * (long)(n - 1);
	for (size_t i = 0; i < n; i++) {
		if (weight[i] > 0)
			weights += weight[i];
		else
			fixed += natural[i];
	}
	spare = avail - gaps - fixed;
	if (spare < 0) {
		long room = avail - gaps > 0 ? avail - gaps : 0;

		for (size_t i = 0; i < n; i++)
			ret_size[i] = weight[i] > 0 || fixed == 0
			                      ? 0
			                      : (int)((long)natural[i] * room / fixed);
	} else if (weights == 0) {
		for (size_t i = 0; i < n; i++)
			ret_size[i] = natural[i];
	} else {
		long given = 0, left;

		for (size_t i = 0; i < n; i++) {
			if (weight[i] > 0) {
				ret_size[i] = (int)(spare * weight[i] / weights);
				given += ret_size[i];
			} else {
				ret_size[i] = natural[i];
			}
		}
		left = spare - given;
		for (size_t i = 0; i < n && left > 0; i++) {
			if (weight[i] > 0) {
				ret_size[i]++;
				left--;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		used += ret_size[i];
	return (int)(used + gaps);
}

int
layout_grid_columns(int avail, int min_cell, int spacing, int max_cols, size_t n_items)
{
	int cols;

	if (min_cell < 1)
		min_cell = 1;
	cols = (avail + spacing) / (min_cell + spacing);
	if (cols < 1)
		cols = 1;
	if (max_cols > 0 && cols > max_cols)
		cols = max_cols;
	if (n_items > 0 && (size_t)cols > n_items)
		cols = (int)n_items;
	return cols;
}

int
layout_align(int avail, int size, int align)
{
	switch (align) {
	case UI_ALIGN_CENTER:
		return (avail - size) / 2;
	case UI_ALIGN_END:
		return avail - size;
	default:
		return 0;
	}
}

/* ---- box ---- */

#define BOX_STACK 32

static int
space_px(const struct ui_widget *w, enum ui_space s)
{
	return w->app ? w->app->m.space[s] : (int)s * 8;
}

struct box_sizes {
	int *nat_w, *nat_h, *weight, *size, *cross;
	int stack[5][BOX_STACK];
	void *heap;
};

static bool
sizes_init(struct box_sizes *b, size_t n)
{
	int *p;

	b->heap = NULL;
	if (n <= BOX_STACK) {
		p = NULL;
		b->nat_w = b->stack[0];
		b->nat_h = b->stack[1];
		b->weight = b->stack[2];
		b->size = b->stack[3];
		b->cross = b->stack[4];
		return true;
	}
	p = calloc(5 * n, sizeof(int));
	if (!p)
		return false;
	b->heap = p;
	b->nat_w = p;
	b->nat_h = p + n;
	b->weight = p + 2 * n;
	b->size = p + 3 * n;
	b->cross = p + 4 * n;
	return true;
}

/*
 * The shared work of measuring and arranging a box at inner width `inner_w` (and, when
 * arranging, inner height `inner_h`; -1 when measuring). Fills b->size (length along the
 * axis) and b->cross (size across) for each child; returns the natural length and sets
 * *ret_cross to the natural cross size.
 */
static int
box_solve(struct ui_widget *w, int inner_w, int inner_h, struct box_sizes *b, int *ret_cross)
{
	int spacing = space_px(w, w->spacing), total = 0, cross = 0;
	size_t n = w->n_children;
	bool vertical = *(const enum ui_orientation *)w->data == UI_VERTICAL;
	size_t shown = 0;

	for (size_t i = 0; i < n; i++) {
		struct ui_widget *c = w->children[i];

		widget_measure(c, inner_w, &b->nat_w[i], &b->nat_h[i]);
		b->weight[i] = c->visible ? c->expand : 0;
		if (c->visible)
			shown++;
	}
	if (vertical) {
		int avail = inner_h >= 0 ? inner_h : 0;
		int gaps = shown > 1 ? spacing * (int)(shown - 1) : 0;

		for (size_t i = 0; i < n; i++) {
			b->size[i] = b->nat_h[i];
			b->cross[i] =
			        w->children[i]->align == UI_ALIGN_FILL ? inner_w : b->nat_w[i];
			if (b->cross[i] > inner_w)
				b->cross[i] = inner_w;
			total += b->nat_h[i];
			if (b->nat_w[i] > cross)
				cross = b->nat_w[i];
		}
		total += gaps;
		if (inner_h >= 0 && avail > total) {
			/* Share spare height among expanding children only. */
			long weights = 0, spare = avail - total, given = 0;

			for (size_t i = 0; i < n; i++)
				weights += b->weight[i];
			for (size_t i = 0; i < n && weights > 0; i++) {
				if (b->weight[i] > 0) {
					int add = (int)(spare * b->weight[i] / weights);

					b->size[i] += add;
					given += add;
				}
			}
			for (size_t i = 0; i < n && weights > 0 && given < spare; i++) {
				if (b->weight[i] > 0) {
					b->size[i]++;
					given++;
				}
			}
		}
		*ret_cross = cross;
		return total;
	}
	/* Horizontal: share the width, then heights at those widths. */
	{
		int *nat = b->nat_w, *vis_w = b->cross;
		size_t k = 0;

		/* Hidden children take neither space nor a gap. */
		for (size_t i = 0; i < n; i++) {
			if (!w->children[i]->visible)
				continue;
			vis_w[k] = nat[i];
			b->size[k] = b->weight[i];
			k++;
		}
		{
			int out[BOX_STACK], *o = out;

			if (k > BOX_STACK) {
				o = calloc(k, sizeof(int));
				if (!o)
					k = 0;
			}
			total = layout_distribute(inner_w, spacing, k, vis_w, b->size, o);
			k = 0;
			for (size_t i = 0; i < n; i++) {
				if (!w->children[i]->visible) {
					b->size[i] = 0;
					continue;
				}
				b->size[i] = o[k++];
			}
			if (o != out)
				free(o);
		}
		/* The natural width is what the children want, not what they got. */
		{
			int want = 0;

			for (size_t i = 0; i < n; i++)
				want += nat[i];
			if (shown > 1)
				want += spacing * (int)(shown - 1);
			total = want < inner_w ? want : inner_w;
			if (inner_h >= 0)
				total = inner_w;
		}
		for (size_t i = 0; i < n; i++) {
			int cw, ch;

			widget_measure(w->children[i], b->size[i] > 0 ? b->size[i] : 1, &cw, &ch);
			b->cross[i] = w->children[i]->visible ? ch : 0;
			if (b->cross[i] > cross)
				cross = b->cross[i];
		}
		*ret_cross = cross;
		return total;
	}
}

static void
box_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct box_sizes b;
	int pad = space_px(w, w->padding), inner = avail_w - 2 * pad, len, cross;
	bool vertical = *(const enum ui_orientation *)w->data == UI_VERTICAL;

	if (inner < 1)
		inner = 1;
	if (!sizes_init(&b, w->n_children)) {
		*ret_w = *ret_h = 0;
		return;
	}
	len = box_solve(w, inner, -1, &b, &cross);
	if (vertical) {
		*ret_w = cross + 2 * pad;
		*ret_h = len + 2 * pad;
	} else {
		*ret_w = len + 2 * pad;
		*ret_h = cross + 2 * pad;
	}
	free(b.heap);
}

static void
box_arrange(struct ui_widget *w)
{
	struct box_sizes b;
	int pad = space_px(w, w->padding), spacing = space_px(w, w->spacing), cross;
	int inner_w = w->rect.w - 2 * pad, inner_h = w->rect.h - 2 * pad;
	int x = w->rect.x + pad, y = w->rect.y + pad;
	bool vertical = *(const enum ui_orientation *)w->data == UI_VERTICAL;

	if (inner_w < 1)
		inner_w = 1;
	if (inner_h < 0)
		inner_h = 0;
	if (!sizes_init(&b, w->n_children))
		return;
	box_solve(w, inner_w, inner_h, &b, &cross);
	for (size_t i = 0; i < w->n_children; i++) {
		struct ui_widget *c = w->children[i];
		SDL_Rect rc;

		if (!c->visible)
			continue;
		if (vertical) {
			rc.w = b.cross[i];
			rc.h = b.size[i];
			rc.x = x + layout_align(inner_w, rc.w, c->align);
			rc.y = y;
			y += rc.h + spacing;
		} else {
			rc.w = b.size[i];
			rc.h = c->align == UI_ALIGN_FILL ? inner_h : b.cross[i];
			if (rc.h > inner_h)
				rc.h = inner_h;
			rc.x = x;
			rc.y = y + layout_align(inner_h, rc.h, c->align);
			x += rc.w + spacing;
		}
		widget_set_rect(c, &rc);
	}
	free(b.heap);
}

const struct widget_class box_class = {
        .type = "box",
        .container = true,
        .measure = box_measure,
        .arrange = box_arrange,
};

struct ui_widget *
ui_box_new(enum ui_orientation orientation)
{
	struct ui_widget *w = widget_new(&box_class, sizeof(enum ui_orientation));

	if (w)
		*(enum ui_orientation *)w->data = orientation;
	return w;
}

void
ui_box_set_spacing(struct ui_widget *box, enum ui_space spacing)
{
	if (!box || (unsigned)spacing > UI_SPACE_LARGE)
		return;
	box->spacing = spacing;
	widget_relayout(box);
}

void
ui_box_set_padding(struct ui_widget *box, enum ui_space padding)
{
	if (!box || (unsigned)padding > UI_SPACE_LARGE)
		return;
	box->padding = padding;
	widget_relayout(box);
}

/* ---- grid ---- */

struct grid {
	double min_cell_mm;
	int max_columns;
	int columns; /* as last arranged, for dumps */
};

static int
grid_cols(struct ui_widget *w, int avail, size_t *ret_shown)
{
	struct grid *g = w->data;
	double scale = w->app ? w->app->m.scale : 1;
	double dpi = w->app ? w->app->dpi : THEME_DEFAULT_DPI;
	size_t shown = 0;

	for (size_t i = 0; i < w->n_children; i++)
		if (w->children[i]->visible)
			shown++;
	*ret_shown = shown;
	return layout_grid_columns(avail, theme_mm(dpi, g->min_cell_mm * scale),
	                           space_px(w, w->spacing), g->max_columns, shown);
}

/* Lays out (or, with arrange false, only measures) the grid at width `width`; returns the
 * total height. */
static int
grid_flow(struct ui_widget *w, int width, bool arrange)
{
	struct grid *g = w->data;
	size_t shown, k = 0, row_start = 0;
	int spacing = space_px(w, w->spacing), cols = grid_cols(w, width, &shown);
	int cell = (width - spacing * (cols - 1)) / cols, y = w->rect.y, total = 0;
	struct ui_widget *row[64];
	size_t in_row = 0;

	if (cols > 64)
		cols = 64;
	g->columns = cols;
	for (size_t i = 0; i <= w->n_children; i++) {
		bool flush = i == w->n_children;

		if (!flush) {
			if (!w->children[i]->visible)
				continue;
			row[in_row++] = w->children[i];
			k++;
			flush = in_row == (size_t)cols;
		}
		if (flush && in_row > 0) {
			int h = 0;

			for (size_t j = 0; j < in_row; j++) {
				int cw, ch;

				widget_measure(row[j], cell, &cw, &ch);
				if (ch > h)
					h = ch;
			}
			if (arrange) {
				for (size_t j = 0; j < in_row; j++) {
					SDL_Rect rc = {w->rect.x + (int)j * (cell + spacing), y,
					               cell, h};

					widget_set_rect(row[j], &rc);
				}
			}
			if (row_start > 0)
				total += spacing;
			total += h;
			y += h + spacing;
			row_start = k;
			in_row = 0;
		}
	}
	(void)shown;
	return total;
}

static void
grid_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	*ret_w = avail_w;
	*ret_h = grid_flow(w, avail_w, false);
}

static void
grid_arrange(struct ui_widget *w)
{
	grid_flow(w, w->rect.w, true);
}

static void grid_dump(struct ui_widget *w, struct json *j);

const struct widget_class grid_class = {
        .type = "grid",
        .container = true,
        .measure = grid_measure,
        .arrange = grid_arrange,
        .dump = grid_dump,
};

struct ui_widget *
ui_grid_new(double min_cell_mm, int max_columns)
{
	struct ui_widget *w = widget_new(&grid_class, sizeof(struct grid));
	struct grid *g;

	if (!w)
		return NULL;
	g = w->data;
	g->min_cell_mm = min_cell_mm > 5 ? min_cell_mm : 5;
	g->max_columns = max_columns > 0 ? max_columns : 0;
	return w;
}

#include "dump.h"

static void
grid_dump(struct ui_widget *w, struct json *j)
{
	json_key_int(j, "columns", ((struct grid *)w->data)->columns);
}

/* ---- spacer ---- */

struct spacer {
	double w_mm, h_mm;
};

static void
spacer_measure(struct ui_widget *w, int avail_w, int *ret_w, int *ret_h)
{
	struct spacer *s = w->data;
	double dpi = w->app ? w->app->dpi : THEME_DEFAULT_DPI;

	*ret_w = theme_mm(dpi, s->w_mm);
	*ret_h = theme_mm(dpi, s->h_mm);
}

const struct widget_class spacer_class = {
        .type = "spacer",
        .measure = spacer_measure,
};

struct ui_widget *
ui_spacer_new(double w_mm, double h_mm)
{
	struct ui_widget *w = widget_new(&spacer_class, sizeof(struct spacer));

	if (w) {
		((struct spacer *)w->data)->w_mm = w_mm > 0 ? w_mm : 0;
		((struct spacer *)w->data)->h_mm = h_mm > 0 ? h_mm : 0;
	}
	return w;
}
