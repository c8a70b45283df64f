/*
 * Scroll physics (scroll.c): a drag follows the finger and clamps at the ends; the
 * release speed comes from the last 100 ms; a fling travels v·τ whatever the frame
 * rate, stops at the ends, and a slow or paused release does not fling.
 */
#include <math.h>

#include "check.h"
#include "scroll.h"

static double
run_fling(struct scroll *s, double dt)
{
	int frames = 0;

	while (scroll_step(s, dt) && frames < 100000)
		frames++;
	return s->offset;
}

int
main(void)
{
	struct scroll s;
	double target, a, b;

	scroll_init(&s);
	scroll_set_max(&s, 10000);
	/* The content follows the finger: moving up 200 px scrolls 200 px down. */
	scroll_drag_begin(&s, 600, 0.00);
	scroll_drag_move(&s, 500, 0.02);
	scroll_drag_move(&s, 400, 0.04);
	CHECK_INT((int)s.offset, 200);
	/* 200 px in 40 ms is 5000 px/s. */
	CHECK_INT((int)lround(scroll_release_velocity(&s, 0.04)), 5000);
	target = s.offset + 5000 * SCROLL_TAU;
	scroll_drag_end(&s, 0.04);
	CHECK_INT((int)lround(s.velocity), 5000);
	CHECK_INT((int)lround(scroll_fling_target(&s)), (int)lround(target));
	/* The fling ends near v·τ (less the tail below the stop speed). */
	a = run_fling(&s, 1.0 / 60);
	CHECK(fabs(a - target) < SCROLL_STOP_SPEED * SCROLL_TAU + 1);
	CHECK(s.velocity == 0);

	/* The same fling at 30 and 120 frames a second ends in the same place. */
	scroll_init(&s);
	scroll_set_max(&s, 100000);
	s.velocity = 3000;
	a = run_fling(&s, 1.0 / 30);
	scroll_init(&s);
	scroll_set_max(&s, 100000);
	s.velocity = 3000;
	b = run_fling(&s, 1.0 / 120);
	CHECK(fabs(a - b) < 2);

	/* Flings stop at the ends, and drags clamp. */
	scroll_init(&s);
	scroll_set_max(&s, 300);
	s.velocity = 8000;
	run_fling(&s, 1.0 / 60);
	CHECK_INT((int)s.offset, 300);
	scroll_drag_begin(&s, 100, 0);
	scroll_drag_move(&s, 900, 0.01);
	CHECK_INT((int)s.offset, 0);

	/* A finger that stopped before lifting does not fling. */
	scroll_init(&s);
	scroll_set_max(&s, 10000);
	scroll_drag_begin(&s, 600, 0);
	scroll_drag_move(&s, 300, 0.05);
	scroll_drag_end(&s, 0.5);
	CHECK(s.velocity == 0);
	/* Nor does a slow one. */
	scroll_drag_begin(&s, 600, 1.0);
	scroll_drag_move(&s, 599, 1.05);
	scroll_drag_end(&s, 1.05);
	CHECK(s.velocity == 0);
	/* Speed is capped. */
	scroll_drag_begin(&s, 800, 2.0);
	scroll_drag_move(&s, 0, 2.001);
	CHECK_INT((int)scroll_release_velocity(&s, 2.001), (int)SCROLL_MAX_SPEED);
	/* scroll_by clamps and stops a fling; a shrinking range pulls the offset in. */
	s.velocity = 100;
	scroll_by(&s, -100000);
	CHECK(s.offset == 0 && s.velocity == 0);
	scroll_by(&s, 5000);
	scroll_set_max(&s, 1000);
	CHECK_INT((int)s.offset, 1000);
	CHECK_DONE();
}
