/*
 * The session area, shared by its files: area.c (its declaration), session.c (logging in
 * and out, lockout, the end of a session) and settings.c (a person's own settings).
 */
#ifndef ONWARD_POLICYD_SESSION_INT_H
#define ONWARD_POLICYD_SESSION_INT_H

#include "call.h"

extern const struct method session_methods[], settings_methods[];

/* Ends the person's session when the connection that holds it closes (session.c). */
void session_peer_closed(struct server *srv, struct peer *p);

#endif
