/*
 * The arithmetic of the layout system, free of widgets so it can be unit tested: how a
 * box shares its length among children, and how many columns a grid gets. layout.c
 * uses these for the box, grid and spacer widgets.
 */
#ifndef ONWARD_UI_LAYOUT_H
#define ONWARD_UI_LAYOUT_H

#include <stddef.h>

/*
 * Shares `avail` pixels among n children laid end to end with `spacing` between them.
 * Children with weight 0 get their natural size; the rest (or, when nothing expands,
 * nobody) share what is left in proportion to their weights, the remainder of the
 * division going to the first ones. When the natural sizes of the fixed children alone
 * overflow, they shrink in proportion and expanding ones get 0. ret_size[] receives the
 * sizes; the function returns the total length used (sizes plus spacing).
 */
int layout_distribute(int avail, int spacing, size_t n, const int natural[], const int weight[],
                      int ret_size[]);

/* How many columns of at least `min_cell` pixels with `spacing` between them fit in
 * `avail`: at least 1, at most max_cols (0: no limit) and at most n_items (when > 0). */
int layout_grid_columns(int avail, int min_cell, int spacing, int max_cols, size_t n_items);

/* The offset of a child of size `size` inside `avail` for an alignment (ui_align). */
int layout_align(int avail, int size, int align);

#endif
