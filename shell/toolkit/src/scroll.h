/*
 * Scrolling physics, kept apart from any widget so that the numbers can be tested: a
 * drag moves the content with the finger; on release the speed of the last 100 ms
 * becomes a fling that slows down exponentially (time constant SCROLL_TAU) and stops at
 * either end. Offsets are in pixels, 0 at the top, growing downwards; times in seconds.
 */
#ifndef ONWARD_UI_SCROLL_H
#define ONWARD_UI_SCROLL_H

#include <stdbool.h>

#define SCROLL_TAU 0.35 /* s: velocity falls to 1/e in this time */
#define SCROLL_MIN_FLING 120.0 /* px/s: slower releases just stop */
#define SCROLL_STOP_SPEED 15.0 /* px/s: a fling below this has ended */
#define SCROLL_MAX_SPEED 9000.0 /* px/s: a cap, so one flick cannot jump to the end */
#define SCROLL_SAMPLE_WINDOW 0.1 /* s: how far back release speed is measured */
#define SCROLL_SAMPLES 16

struct scroll {
	double offset; /* current offset, within [0, max] */
	double max; /* content height minus viewport height, >= 0 */
	double velocity; /* px/s while flinging; positive moves towards the end */
	bool dragging;
	double drag_offset; /* offset when the drag began */
	double drag_y; /* finger y when the drag began */
	struct {
		double y;
		double t;
	} samples[SCROLL_SAMPLES]; /* ring of recent finger positions */
	int n_samples;
	int head;
};

void scroll_init(struct scroll *s);
/* Sets the scrollable range and clamps the offset into it. */
void scroll_set_max(struct scroll *s, double max);
/* Moves by `d` pixels (clamped) and stops any fling. */
void scroll_by(struct scroll *s, double d);
void scroll_drag_begin(struct scroll *s, double y, double t);
void scroll_drag_move(struct scroll *s, double y, double t);
/* Ends the drag; starts a fling when the finger was moving fast enough. */
void scroll_drag_end(struct scroll *s, double t);
/* The speed the finger had at time t, from the samples (px/s, positive = content moving
 * towards the end, i.e. the finger moving up). */
double scroll_release_velocity(const struct scroll *s, double t);
/* Advances a fling by dt seconds; returns true while still moving. */
bool scroll_step(struct scroll *s, double dt);
/* Where a fling starting now would stop (for tests and for snapping). */
double scroll_fling_target(const struct scroll *s);

#endif
