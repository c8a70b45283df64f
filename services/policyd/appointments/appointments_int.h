/*
 * What the appointment method files share (private to m_appointment*.c): scheduling an
 * appointment's reminders and notices, and rendering appointments. The method table and
 * the home-screen hooks are in appointments/reminders.c, staff's methods in appointments/staff.c,
 * the person's in appointments/app.c, and the London time arithmetic in
 * core/london.c.
 */
#ifndef ONWARD_POLICYD_APPOINTMENTS_INT_H
#define ONWARD_POLICYD_APPOINTMENTS_INT_H

#include "appointments.h"
#include "call.h"

/* The kinds of appointment, and whether s is one. */
extern const char *const appointment_kinds[];
extern const size_t appointment_kind_count;
bool appointment_kind_valid(const char *s);

/* Plain words for a kind: "probation appointment", "legal visit". */
const char *appointment_kind_words(const char *kind);

/*
 * (Re)makes the reminders before a booked appointment from its kind's lead times: every
 * earlier reminder of it goes, one row per lead is made, and leads whose time has passed
 * already become one reminder due at once. Call inside the caller's transaction.
 */
int appointment_schedule(struct server *srv, const struct store_appointment *a, int64_t now);

/* Adds a notice (moved, cancelled, answered) for the person, replacing an older one. */
int appointment_notice(struct server *srv, const struct store_appointment *a, const char *kind,
                       const char *note, int64_t now);

/* An appointment as JSON; for_staff adds its reminders and who booked it. */
json_t *appointment_render(struct server *srv, const struct store_appointment *a, bool for_staff);

/* Staff handlers (appointments/staff.c). */
/* Appointment::"ID" (its kind) in the person's entity, for a decision about it. */
int appointment_add_fact(struct facts *f, const struct store_appointment *a,
                         const char *prison_number);

/* The area's part of the home screen (reminders.c). */
int appointment_home(struct server *srv, const struct store_person *p, struct home_screen *h);

#define REMINDERS_LIST_MAX 50 /* reminders in the app's list */
/* The reminders and notices due for the person now, the dismissed ones too, as the
 * Appointments app lists them: [{id, text, kind, appointment, hidden}], oldest first, at
 * most REMINDERS_LIST_MAX. New reference; [] when none or unreadable. */
json_t *appointment_reminders(struct server *srv, const struct store_person *p, int64_t now);

extern const struct method appointment_methods[];
extern const struct person_part appointment_part;

void appointment_handle_add(struct call *c);
void appointment_handle_move(struct call *c);
void appointment_handle_cancel(struct call *c);
void appointment_handle_list(struct call *c);
void appointment_handle_requests(struct call *c);
void appointment_handle_answer(struct call *c);
void appointment_handle_leads(struct call *c);
void appointment_handle_set_leads(struct call *c);
extern const struct param_spec appointment_add_params[];
extern const struct param_spec appointment_move_params[];
extern const struct param_spec appointment_cancel_params[];
extern const struct param_spec appointment_list_params[];
extern const struct param_spec appointment_requests_params[];
extern const struct param_spec appointment_answer_params[];
extern const struct param_spec appointment_leads_params[];
extern const struct param_spec appointment_set_leads_params[];

/* The person's handlers (appointments/app.c). */
void appointment_handle_person_list(struct call *c);
void appointment_handle_confirm(struct call *c);
void appointment_handle_ask_change(struct call *c);
void reminder_handle_dismiss(struct call *c);
extern const struct param_spec appointment_person_list_params[];
extern const struct param_spec appointment_id_params[];
extern const struct param_spec appointment_ask_params[];
extern const struct param_spec reminder_dismiss_params[];

#endif
