/*
 * How staff prove who they are, in the store: each account's sign-in state (a one-time
 * setup code, a password hash, a TOTP secret and the last time step used, wrong tries and
 * locks) and the sessions signed-in staff act by, kept by the SHA-256 of their token.
 */
#ifndef ONWARD_STORE_STAFF_AUTH_H
#define ONWARD_STORE_STAFF_AUTH_H

#include "store.h"

#define STAFF_HASH_HEX 64 /* SHA-256, hex */

struct store_staff_auth {
	/* "setup": waiting for a password with setup_hash's code; "confirm": a password and
	 * a TOTP secret chosen, waiting for a first code; "active": may sign in. */
	char sign_in[8];
	char setup_hash[STAFF_HASH_HEX + 1]; /* of the one-time setup code; "" once used */
	int64_t setup_expires;
	char password_hash[160]; /* scrypt, as lib/crypto's pin_hash makes it */
	char totp_secret[64]; /* base32 */
	int64_t totp_step; /* the last time step whose code was accepted */
	int64_t failures; /* wrong passwords or codes since the last sign-in or lock */
	int64_t locked_until;
	int64_t locks; /* locks so far: each lasts twice as long as the one before */
};

int store_staff_auth_get(struct store *s, const char *staff_id, struct store_staff_auth *ret);
int store_staff_auth_set(struct store *s, const char *staff_id, const struct store_staff_auth *in);

struct store_staff_session {
	char staff_id[33];
	int64_t created_at;
	int64_t used_at;
	int64_t ends_at; /* the latest it may last, however busy */
	char address[64];
};

int store_staff_session_insert(struct store *s, const char *token_hash,
                               const struct store_staff_session *in);
/* -ENOENT when there is no such session (never made, signed out or swept). */
int store_staff_session_get(struct store *s, const char *token_hash,
                            struct store_staff_session *ret);
int store_staff_session_touch(struct store *s, const char *token_hash, int64_t now);
int store_staff_session_delete(struct store *s, const char *token_hash);
/* Ends every session of one staff member (a reset, a deactivation). */
int store_staff_sessions_end(struct store *s, const char *staff_id);

#endif
