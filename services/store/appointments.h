/*
 * Appointments in the store: what staff book for a person (probation, health, education,
 * legal, visits, release), the person's requests to rearrange them with staff's answers,
 * the reminders and notices the person is shown, and the reminder lead times per kind of
 * appointment. Times are Unix seconds (UTC); the daemon turns London times into these.
 *
 * Reminders carry their own state (pending, shown, dismissed), so one that has been shown
 * or dismissed stays so across restarts, and each is one row, never two: a reminder before
 * an appointment is unique per appointment and lead time. Like store.h: 0 or a negative
 * errno, outputs last and untouched on failure; -EALREADY when a row is not in the state
 * the change needs (moving a cancelled appointment, answering an answered request).
 */
#ifndef ONWARD_STORE_APPOINTMENTS_H
#define ONWARD_STORE_APPOINTMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define APPOINTMENT_PLACE_MAX 100 /* bytes: where */
#define APPOINTMENT_WITH_MAX 100 /* bytes: with whom */
#define APPOINTMENT_REASON_MAX 300 /* bytes: a person's reason, or why it was cancelled */
#define APPOINTMENT_ANSWER_MAX 500 /* bytes: staff's answer to a request */
#define APPOINTMENT_LEADS_TEXT_MAX 64 /* bytes: "1d@18:00,2h" */
#define APPOINTMENT_LIST_MAX 500 /* rows visited by one list */

struct store_appointment {
	int64_t id;
	int64_t person_id;
	char prison_number[8]; /* filled when read */
	char kind[16]; /* probation | health | education | legal | visit | release */
	int64_t starts_at;
	int minutes; /* how long it lasts */
	char place[APPOINTMENT_PLACE_MAX + 1];
	char with[APPOINTMENT_WITH_MAX + 1]; /* "" when not said */
	char status[12]; /* booked | cancelled */
	char cancel_reason[APPOINTMENT_REASON_MAX + 1];
	int64_t confirmed_at; /* when the person confirmed; 0 when not (again after a move) */
	char created_by[33];
	int64_t created_at;
	int64_t updated_at;
	int64_t open_request; /* filled when read: the open change request's id, or 0 */
};

struct store_appointment_request {
	int64_t id;
	int64_t appointment_id;
	char reason[APPOINTMENT_REASON_MAX + 1];
	char status[12]; /* open | agreed | declined */
	char answer[APPOINTMENT_ANSWER_MAX + 1];
	char answered_by[33];
	int64_t answered_at;
	int64_t created_at;
};

struct store_reminder {
	int64_t id;
	int64_t appointment_id;
	int64_t person_id;
	char kind[12]; /* before (a reminder) | moved | cancelled | answered (notices) */
	char lead[16]; /* before: the lead time it was made for ("1d", "2h") */
	char note[APPOINTMENT_ANSWER_MAX + 1]; /* cancelled: why; answered: the answer */
	int64_t due_at; /* shown from this time */
	int64_t expires_at; /* no longer shown from this time */
	char state[12]; /* pending | shown | dismissed */
	int64_t shown_at;
	int64_t dismissed_at;
	int64_t created_at;
};

/* ---- appointments ---- */

/* Inserts a (booked) appointment; id, status, confirmed_at and prison_number ignored. */
int store_appointment_insert(struct store *s, const struct store_appointment *a, int64_t *ret_id);
int store_appointment_get(struct store *s, int64_t id, struct store_appointment *ret);
/* A booked appointment's new time (its confirmation is cleared). */
int store_appointment_move(struct store *s, int64_t id, int64_t starts_at, int64_t now);
int store_appointment_cancel(struct store *s, int64_t id, const char *reason, int64_t now);
/* The person confirms a booked appointment; confirming again keeps the first time. */
int store_appointment_confirm(struct store *s, int64_t id, int64_t now);
/* Visits a person's appointments that start in [from, to), earliest first. */
int store_appointment_list(struct store *s, int64_t person_id, int64_t from, int64_t to,
                           int (*fn)(const struct store_appointment *a, void *userdata),
                           void *userdata);
/* The person's first booked appointment that has not ended by now; -ENOENT for none. */
int store_appointment_next(struct store *s, int64_t person_id, int64_t now,
                           struct store_appointment *ret);

/* ---- requests to rearrange ---- */

/* Inserts an open request (status and answer ignored); -EEXIST if one is open already. */
int store_appointment_request_insert(struct store *s, const struct store_appointment_request *q,
                                     int64_t *ret_id);
int store_appointment_request_get(struct store *s, int64_t id,
                                  struct store_appointment_request *ret);
/* The newest request about an appointment; -ENOENT for none. */
int store_appointment_request_latest(struct store *s, int64_t appointment_id,
                                     struct store_appointment_request *ret);
/* Answers an open request (status agreed or declined). */
int store_appointment_request_answer(struct store *s, int64_t id, const char *status,
                                     const char *answer, const char *staff_id, int64_t now);
/*
 * Visits up to limit requests, oldest first, with their appointments: of people at
 * establishment (NULL: all), open ones only when open_only.
 */
int store_appointment_request_list(struct store *s, const char *establishment, bool open_only,
                                   int limit,
                                   int (*fn)(const struct store_appointment_request *q,
                                             const struct store_appointment *a, void *userdata),
                                   void *userdata);

/* ---- reminders and notices ---- */

/* Inserts a reminder (id, state, shown_at, dismissed_at ignored); -EEXIST for a twin. */
int store_reminder_insert(struct store *s, const struct store_reminder *m, int64_t *ret_id);
/* Deletes an appointment's reminders of kind ("before") in every state, and its pending
 * or shown notices of kind (a newer notice replaces them). */
int store_reminder_clear(struct store *s, int64_t appointment_id, const char *kind);
/*
 * Visits what the person should see at now, oldest due first, at most limit: reminders
 * and notices due and not expired, not dismissed (unless dismissed_too), and (for
 * reminders) of appointments still booked; each with its appointment.
 */
int store_reminder_due(struct store *s, int64_t person_id, int64_t now, bool dismissed_too,
                       int limit,
                       int (*fn)(const struct store_reminder *m, const struct store_appointment *a,
                                 void *userdata),
                       void *userdata);
/* How many of those (not dismissed) there are: the appointments tile's badge. */
int store_reminder_count_due(struct store *s, int64_t person_id, int64_t now, int64_t *ret_count);
/* Marks a pending reminder shown (once: the first time is kept). */
int store_reminder_mark_shown(struct store *s, int64_t id, int64_t now);
/* The person dismisses their reminder; -ENOENT if it is not theirs, -EALREADY if done. */
int store_reminder_dismiss(struct store *s, int64_t id, int64_t person_id, int64_t now);
int store_reminder_get(struct store *s, int64_t id, struct store_reminder *ret);
/* Visits an appointment's reminders and notices, by due time. */
int store_reminder_list(struct store *s, int64_t appointment_id,
                        int (*fn)(const struct store_reminder *m, void *userdata), void *userdata);

/* ---- reminder lead times per kind ---- */

/* The leads text for kind ("1d,1h"); -ENOENT for an unknown kind. */
int store_reminder_leads_get(struct store *s, const char *kind, char *ret_leads, size_t size);
int store_reminder_leads_set(struct store *s, const char *kind, const char *leads,
                             const char *staff_id, int64_t now);
int store_reminder_leads_list(struct store *s,
                              int (*fn)(const char *kind, const char *leads, const char *updated_by,
                                        int64_t updated_at, void *userdata),
                              void *userdata);

#endif
