/*
 * The daemon's configuration: the state directory's optional policyd.json, checked
 * strictly (unknown keys and wrong types are errors), with defaults for what is absent.
 */
#ifndef ONWARD_POLICYD_CONFIG_H
#define ONWARD_POLICYD_CONFIG_H

#include <stddef.h>

struct config {
	char establishment[4]; /* the establishment this device belongs to; "" if unset */
	char policy_dir[1024]; /* the policy files; "" for the built-in default */
	char device[16]; /* "in_cell" | "community" */
	unsigned lockout_seconds; /* first lockout after too many wrong PINs; doubles after */
	unsigned lockout_failures; /* wrong PINs in a row that lock the account */
	unsigned scrypt_log_n; /* PIN hashing cost */
	unsigned max_control_peers;
	unsigned max_admin_peers;
};

/*
 * Loads DIR/policyd.json, or defaults when there is none. On a bad file returns -EINVAL
 * and writes one line naming the problem into ret_error.
 */
int config_load(const char *state_dir, struct config *ret, char *ret_error, size_t error_size);

#endif
