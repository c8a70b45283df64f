/*
 * The drag-and-fling model of scroll.h. A fling with speed v decays as v·e^(-t/τ), so it
 * travels v·τ in all; scroll_step integrates that exactly per frame (not by Euler steps)
 * so the distance does not depend on the frame rate.
 */
#include <math.h>

#include "scroll.h"

static double
clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void
scroll_init(struct scroll *s)
{
	*s = (struct scroll){0};
}

void
scroll_set_max(struct scroll *s, double max)
{
	s->max = max > 0 ? max : 0;
	s->offset = clamp(s->offset, 0, s->max);
}

void
scroll_by(struct scroll *s, double d)
{
	s->velocity = 0;
	s->offset = clamp(s->offset + d, 0, s->max);
}

static void
add_sample(struct scroll *s, double y, double t)
{
	s->samples[s->head].y = y;
	s->samples[s->head].t = t;
	s->head = (s->head + 1) % SCROLL_SAMPLES;
	if (s->n_samples < SCROLL_SAMPLES)
		s->n_samples++;
}

void
scroll_drag_begin(struct scroll *s, double y, double t)
{
	s->dragging = true;
	s->velocity = 0;
	s->drag_offset = s->offset;
	s->drag_y = y;
	s->n_samples = 0;
	s->head = 0;
	add_sample(s, y, t);
}

void
scroll_drag_move(struct scroll *s, double y, double t)
{
	if (!s->dragging)
		return;
	s->offset = clamp(s->drag_offset - (y - s->drag_y), 0, s->max);
	add_sample(s, y, t);
}

double
scroll_release_velocity(const struct scroll *s, double t)
{
	int newest, oldest = -1;
	double dt;

	if (s->n_samples < 2)
		return 0;
	newest = (s->head + SCROLL_SAMPLES - 1) % SCROLL_SAMPLES;
	/* A finger that stopped before lifting has no speed left. */
	if (t - s->samples[newest].t > SCROLL_SAMPLE_WINDOW)
		return 0;
	for (int i = 1; i < s->n_samples; i++) {
		int idx = (s->head + SCROLL_SAMPLES - 1 - i) % SCROLL_SAMPLES;

		if (s->samples[newest].t - s->samples[idx].t > SCROLL_SAMPLE_WINDOW)
			break;
		oldest = idx;
	}
	if (oldest < 0)
		return 0;
	dt = s->samples[newest].t - s->samples[oldest].t;
	if (dt <= 0)
		return 0;
	/* The finger moving up (y falling) moves the content towards the end. */
	return clamp(-(s->samples[newest].y - s->samples[oldest].y) / dt, -SCROLL_MAX_SPEED,
	             SCROLL_MAX_SPEED);
}

void
scroll_drag_end(struct scroll *s, double t)
{
	double v;

	if (!s->dragging)
		return;
	s->dragging = false;
	v = scroll_release_velocity(s, t);
	s->velocity = fabs(v) >= SCROLL_MIN_FLING ? v : 0;
}

bool
scroll_step(struct scroll *s, double dt)
{
	double decay, moved;

	if (s->dragging || s->velocity == 0 || dt <= 0)
		return s->velocity != 0 && !s->dragging;
	decay = exp(-dt / SCROLL_TAU);
	moved = s->velocity * SCROLL_TAU * (1 - decay);
	s->velocity *= decay;
	s->offset += moved;
	if (s->offset <= 0 || s->offset >= s->max) {
		s->offset = clamp(s->offset, 0, s->max);
		s->velocity = 0;
	}
	if (fabs(s->velocity) < SCROLL_STOP_SPEED)
		s->velocity = 0;
	return s->velocity != 0;
}

double
scroll_fling_target(const struct scroll *s)
{
	return clamp(s->offset + s->velocity * SCROLL_TAU, 0, s->max);
}
