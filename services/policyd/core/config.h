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
	/* Logging in (session/session.c): lockout_failures wrong PINs lock the account for
	 * lockout_seconds, each further one for twice as long as the one before, never longer
	 * than lockout_max_seconds. Wrong PINs stop counting once lockout_window_seconds have
	 * passed since the last one and the end of the last lock. */
	unsigned lockout_seconds;
	unsigned lockout_failures;
	unsigned lockout_max_seconds; /* default: an hour, or lockout_seconds if longer */
	unsigned lockout_window_seconds;
	unsigned scrypt_log_n; /* PIN hashing cost */
	/* Connections (core/peer.c): control.sock's without a session, those with a person
	 * logged in (or choosing their PIN), admin.sock's. Only connections without a session
	 * time out when idle (no call for idle_timeout_seconds); any connection that leaves a
	 * message unfinished for read_timeout_seconds is closed. */
	unsigned max_control_peers;
	unsigned max_sessions;
	unsigned max_admin_peers;
	unsigned max_gateway_peers; /* gateway.sock: the gateway's pool of connections */
	unsigned idle_timeout_seconds;
	unsigned read_timeout_seconds;
	/* The user onward-gateway runs as (may connect to gateway.sock); "" for none. */
	char gateway_user[33];
	/* Staff sign-in (session/staff_*.c): sessions end after staff_idle_seconds without a
	 * call or staff_session_seconds in all; staff_lockout_failures wrong tries lock the
	 * account for staff_lockout_seconds, doubling each time, at most a day. */
	unsigned staff_idle_seconds;
	unsigned staff_session_seconds;
	unsigned staff_lockout_failures;
	unsigned staff_lockout_seconds;
	/* Refused logins are counted and written to the audit chain at most this often. */
	unsigned refusal_audit_seconds;
};

/*
 * Loads DIR/policyd.json, or defaults when there is none. On a bad file returns -EINVAL
 * and writes one line naming the problem into ret_error.
 */
int config_load(const char *state_dir, struct config *ret, char *ret_error, size_t error_size);

#endif
