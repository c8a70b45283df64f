/*
 * Who a staff call is from. A staff member proves who they are once, with a password and
 * a TOTP code (session/staff_login.c), and then acts by the session token that sign-in
 * gave them, on admin.sock or through the gateway; root (or the daemon's own user) on
 * admin.sock without a token is break-glass. See docs/estate.md, "Staff sign-in".
 */
#ifndef ONWARD_POLICYD_STAFF_SESSION_H
#define ONWARD_POLICYD_STAFF_SESSION_H

#include <stddef.h>

#include "call.h"
#include "onetime.h"

#define STAFF_TOKEN_HEX 64 /* a session token: 32 random bytes, hex */
#define BREAK_GLASS_ID "break-glass"

/*
 * Makes the call act as the staff member whose session token this is. 0 on success;
 * -EINVAL malformed, -EKEYEXPIRED unknown, signed out, idle too long or past its end,
 * -EPERM the account is no longer active; err holds the plain words for the refusal.
 */
int staff_session_resolve(struct call *c, const char *token, char *err, size_t size);

/* Makes the call a break-glass one: an administrator with no name, audited by uid. */
void staff_break_glass(struct call *c);

/* The stored key of a token: its SHA-256, hex (STAFF_TOKEN_HEX + 1 bytes). */
void staff_token_key(const char *token, char *ret_key);

/*
 * Starts an account's sign-in again, in the caller's transaction: a new one-time setup
 * code (valid 72 hours), no password, no TOTP secret, no lock.
 */
int staff_setup_code_issue(struct server *srv, const char *staff_id,
                           char ret_code[ONETIME_CODE_SIZE], int64_t *ret_expires);

#endif
