/*
 * The session area: a person logs in with their prison number and PIN (with lockout),
 * logs out, and keeps their own screen settings; a session ends when its connection goes.
 */
#include "session_int.h"

const struct area session_area = {
        .name = "session",
        .methods = (const struct method *const[]){session_methods, settings_methods, NULL},
        .peer_closed = session_peer_closed,
};
