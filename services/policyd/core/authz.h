/*
 * Staff rights: whether a staff member may make an admin call is a policy decision
 * (policy/national.cedar, "Staff" section), made on the staff member (in their Role), the
 * call's action, and the person, establishment or service the call is about.
 */
#ifndef ONWARD_POLICYD_AUTHZ_H
#define ONWARD_POLICYD_AUTHZ_H

#include <stdbool.h>

struct call;
struct store_person;

/*
 * Decides the call's staff action; true to go on. False after the call has been answered
 * (refused with the policy's reason, or a parameter the decision needs was bad). A method
 * that writes to a person's record (method.writes_person) is refused here, with the "has
 * moved" reason, when that record has moved to another establishment: this is the one
 * place that keeps a moved-out record read-only.
 */
bool authz_admit_staff(struct call *c);

/*
 * For calls about something that belongs to a person (an appointment, a held message),
 * found by the handler: makes p the call's person and subject and decides the call's
 * action again on them, refusing a write to a moved-out record as authz_admit_staff
 * does. False after the call has been answered.
 */
bool authz_admit_staff_on(struct call *c, const struct store_person *p);

/* True if role is one of the known staff roles. */
bool authz_role_valid(const char *role);

#endif
