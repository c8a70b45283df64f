/*
 * The session area: a person logs in with their prison number and PIN (with lockout),
 * chooses their own PIN, logs out, and keeps their own screen settings; a session ends
 * when its connection goes. Its state is lockout.c's memory of prison numbers nobody has
 * and of the PIN checks running, and refusals.c's timer.
 */
#include "session_int.h"

#include <errno.h>
#include <stdlib.h>

static int
session_start(struct server *srv, void **ret_state, char *err, size_t size)
{
	struct session_state *st = calloc(1, sizeof(*st));
	int r;

	if (!st)
		return -ENOMEM;
	*ret_state = st;
	st->srv = srv;
	r = lockout_start(srv, st);
	if (r == 0)
		r = refusals_start(srv, st, err, size);
	return r;
}

static void
session_drain(struct server *srv, void *state)
{
	if (state)
		refusals_drain(srv, state);
}

static void
session_stop(struct server *srv, void *state)
{
	struct session_state *st = state;

	/* The timer was closed by session_drain and the loop has ended. */
	if (!st)
		return;
	lockout_stop(st);
	free(st);
}

const struct area session_area = {
        .name = "session",
        .methods = (const struct method *const[]){session_methods, pin_change_methods,
                                                  settings_methods, staff_login_methods,
                                                  staff_setup_methods, NULL},
        .start = session_start,
        .drain = session_drain,
        .stop = session_stop,
        .peer_closed = session_peer_closed,
};

struct session_state *
session_state(struct server *srv)
{
	return area_state(srv, &session_area);
}
