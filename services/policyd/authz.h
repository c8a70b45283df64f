/*
 * Who among staff may do what. For now a fixed table by role; the policy engine replaces
 * it with Cedar policies (the .cedar files in policy/) so that each role's rights are policy, not
 * code.
 */
#ifndef ONWARD_POLICYD_AUTHZ_H
#define ONWARD_POLICYD_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

/* True if staff may perform action ("person.add"); otherwise a plain reason in ret_reason. */
bool authz_staff_may(const struct store_staff *staff, const char *action, char *ret_reason,
                     size_t size);

/* True if role is one of the known staff roles. */
bool authz_role_valid(const char *role);

#endif
