/*
 * Staff rights by role (see authz.h). Administrators may do everything; adding staff and
 * registering apps is for administrators only; every active staff member may read and
 * manage people and contacts.
 */
#include "authz.h"

#include <stdio.h>
#include <string.h>

static const char *const roles[] = {
        "officer", "key_worker", "education", "probation", "housing", "administrator",
};

static const char *const admin_only[] = {
        "staff.add",
        "app.register",
        "establishment.add",
};

bool
authz_role_valid(const char *role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i]) == 0)
			return true;
	return false;
}

bool
authz_staff_may(const struct store_staff *staff, const char *action, char *ret_reason, size_t size)
{
	if (strcmp(staff->role, "administrator") == 0)
		return true;
	for (size_t i = 0; i < sizeof(admin_only) / sizeof(admin_only[0]); i++) {
		if (strcmp(action, admin_only[i]) == 0) {
			snprintf(ret_reason, size, "Only an administrator may do %s.", action);
			return false;
		}
	}
	return true;
}
