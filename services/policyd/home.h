/*
 * What the home screen shows besides the tiles, each answered by the area that owns it:
 * unread messages (m_message.c), and the next appointment, due reminders and banners
 * (m_appointment.c). m_shell.c calls these for onward.Shell.Home.
 */
#ifndef ONWARD_POLICYD_HOME_H
#define ONWARD_POLICYD_HOME_H

#include <jansson.h>

#include "server.h"
#include "store.h"

/* Messages the person has not read yet (the badge on the messages tile). */
int home_unread_messages(struct server *srv, const struct store_person *p);

/* Reminders due and not yet acknowledged (the badge on the appointments tile). */
int home_due_reminders(struct server *srv, const struct store_person *p);

/* The next appointment as {at, kind, where, with}, or JSON null. New reference. */
json_t *home_next_appointment(struct server *srv, const struct store_person *p);

/* Banners to show now, [{id, text}], new reference (an empty array when none). */
json_t *home_banners(struct server *srv, const struct store_person *p);

#endif
