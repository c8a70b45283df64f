/*
 * Staff rights: whether a staff member may make an admin call is a policy decision
 * (policy/national.cedar, "Staff" section), made on the staff member (in their Role), the
 * call's action, and the person, establishment or service the call is about.
 */
#ifndef ONWARD_POLICYD_AUTHZ_H
#define ONWARD_POLICYD_AUTHZ_H

#include <stdbool.h>

struct call;

/*
 * Decides the call's staff action; true to go on. False after the call has been answered
 * (refused with the policy's reason, or a parameter the decision needs was bad).
 */
bool authz_admit_staff(struct call *c);

/* True if role is one of the known staff roles. */
bool authz_role_valid(const char *role);

#endif
