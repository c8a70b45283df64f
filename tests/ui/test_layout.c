/*
 * Layout arithmetic (layout.c): sharing a box's length among fixed and expanding
 * children, shrinking on overflow, grid column counts as the width and minimum cell
 * change, alignment offsets, and metric scaling with the text size.
 */
#include "check.h"
#include "layout.h"
#include "theme.h"

int
main(void)
{
	int nat[4], wt[4], out[4];

	/* Fixed children keep their size; one expander takes the rest. */
	nat[0] = 100, nat[1] = 50, nat[2] = 100;
	wt[0] = 0, wt[1] = 1, wt[2] = 0;
	CHECK_INT(layout_distribute(500, 10, 3, nat, wt, out), 500);
	CHECK_INT(out[0], 100);
	CHECK_INT(out[1], 280);
	CHECK_INT(out[2], 100);
	/* Weights share in proportion; the remainder goes to the first. */
	nat[0] = 0, nat[1] = 0, nat[2] = 0;
	wt[0] = 1, wt[1] = 2, wt[2] = 1;
	CHECK_INT(layout_distribute(101, 0, 3, nat, wt, out), 101);
	CHECK_INT(out[0], 26);
	CHECK_INT(out[1], 50);
	CHECK_INT(out[2], 25);
	/* Nothing expands: natural sizes, total less than available. */
	nat[0] = 30, nat[1] = 40;
	wt[0] = 0, wt[1] = 0;
	CHECK_INT(layout_distribute(500, 5, 2, nat, wt, out), 75);
	/* Overflow: fixed children shrink in proportion, expanders get nothing. */
	nat[0] = 300, nat[1] = 100, nat[2] = 300;
	wt[0] = 0, wt[1] = 1, wt[2] = 0;
	CHECK_INT(layout_distribute(300, 0, 3, nat, wt, out), 300);
	CHECK_INT(out[0], 150);
	CHECK_INT(out[1], 0);
	CHECK_INT(out[2], 150);
	CHECK_INT(layout_distribute(100, 10, 0, nat, wt, out), 0);

	/* Grid columns: 1220 px wide, 248 px cells (42 mm at 150 dpi), 15 px gaps. */
	CHECK_INT(layout_grid_columns(1220, 248, 15, 5, 9), 4);
	CHECK_INT(layout_grid_columns(1220, 372, 15, 5, 9), 3); /* text 1.5 times larger */
	CHECK_INT(layout_grid_columns(700, 248, 15, 5, 9), 2); /* narrower window */
	CHECK_INT(layout_grid_columns(100, 248, 15, 5, 9), 1); /* never zero */
	CHECK_INT(layout_grid_columns(5000, 248, 15, 5, 9), 5); /* the maximum */
	CHECK_INT(layout_grid_columns(5000, 248, 15, 0, 2), 2); /* no more than items */

	CHECK_INT(layout_align(100, 40, UI_ALIGN_START), 0);
	CHECK_INT(layout_align(100, 40, UI_ALIGN_CENTER), 30);
	CHECK_INT(layout_align(100, 40, UI_ALIGN_END), 60);

	/* Physical sizes: 9 mm at 150 dpi is 53 px; targets and fonts grow with text. */
	{
		struct metrics n, l;

		CHECK_INT(theme_mm(150, 9), 53);
		CHECK_INT(theme_mm(150, 0), 0);
		theme_metrics_compute(150, UI_TEXT_NORMAL, UI_THEME_NORMAL, &n);
		theme_metrics_compute(150, UI_TEXT_LARGEST, UI_THEME_NORMAL, &l);
		CHECK_INT(n.target, 53);
		CHECK(l.target > n.target);
		CHECK(l.font_px[FONT_BODY] * 2 >= n.font_px[FONT_BODY] * 3 - 2);
		CHECK(n.font_px[FONT_BODY] >= 20);
		CHECK(l.space[UI_SPACE_LARGE] > n.space[UI_SPACE_LARGE]);
	}
	CHECK_DONE();
}
