/*
 * The session area, shared by its files. Read in this order: area.c (its declaration, its
 * state and timer), session.c (logging in and out, and the end of a session), lockout.c
 * (wrong PINs counted and the lock they set, the same for prison numbers that exist and
 * those that do not, one PIN check per number at a time), pin_change.c (a person choosing
 * their own PIN, and the rules it must pass), refusals.c (refused logins counted, and
 * written to the audit chain a few rows a minute however many there are) and settings.c
 * (a person's own settings).
 */
#ifndef ONWARD_POLICYD_SESSION_INT_H
#define ONWARD_POLICYD_SESSION_INT_H

#include "call.h"
#include "pin.h"

extern const struct method session_methods[], settings_methods[], pin_change_methods[],
        staff_login_methods[], staff_setup_methods[];

/* ---- staff_login.c, staff_setup.c: staff sign-in ---- */

struct store_staff_auth;

#define STAFF_PASSWORD_MAX 128 /* bytes */

/* Whether code is the TOTP of auth's secret at now and newer than any used; its step. */
bool staff_totp_check(const struct store_staff_auth *auth, const char *code, int64_t now,
                      int64_t *ret_step);
/* Counts a wrong password, code or setup code, locking the account past the limit. */
void staff_count_failure(struct call *c, const char *staff_id, struct store_staff_auth *auth);
/* Refuses c: the account is locked for `seconds` more. */
void staff_refuse_locked(struct call *c, int64_t seconds);

/* ---- area.c ---- */

/* A prison number nobody has, with its wrong PINs: kept like a person's (lockout.c). */
struct stranger {
	char number[8]; /* "" when the entry is free */
	int failures;
	int64_t failed_at;
	int64_t locked_until;
};

/* The area's state: what lockout.c keeps in memory, and the timer of refusals.c. */
struct session_state {
	struct server *srv; /* borrowed */
	struct stranger *strangers; /* owned: STRANGERS_MAX entries */
	char (*checking)[8]; /* owned: the prison numbers whose PIN check is running */
	size_t n_checking, max_checking;
	uv_timer_t refusals_timer; /* writes counted refusals to the audit chain */
	bool timer_open; /* refusals_timer was initialised and is not yet closed */
};

struct session_state *session_state(struct server *srv);

/* ---- session.c ---- */

/* Ends the person's session (or PIN choice) when the connection that holds it closes. */
void session_peer_closed(struct server *srv, struct peer *p);

/*
 * Opens a session for person on c's connection, in one transaction: the refusals counted
 * for them go to the audit chain, their wrong PINs are cleared, `write` (may be NULL) does
 * the caller's part, the session is recorded and the audit row for c is appended ("ok",
 * detail stolen, the session id added). Then any earlier session on the connection ends.
 * Returns 0 with the id in ret_session, or a negative errno with nothing changed.
 */
int session_open(struct call *c, const struct store_person *person,
                 int (*write)(struct call *c, void *ctx), void *ctx, json_t *detail,
                 char ret_session[SESSION_ID_LEN + 1]);

/* Refuses c with error and message (extra stolen, may be NULL), counting the refusal
 * (refusals.c) instead of auditing it alone. */
void session_refuse(struct call *c, const char *error, const char *message, json_t *extra);

/* ---- lockout.c ---- */

/* What one more wrong PIN did. */
struct lockout {
	int failures; /* wrong PINs counting now */
	int64_t locked_for; /* the lock it set, in seconds; 0 for none */
	int tries_left; /* before a lock, when few enough to say (1 or 2); else 0 */
};

/* The lock that `failures` wrong PINs set, in seconds (0: none). */
int64_t lockout_seconds(const struct config *cfg, int failures);

/* How long `number` is still locked for, in seconds (0: not locked). person is its
 * record, or NULL when no person has that number. */
int64_t lockout_remaining(struct server *srv, const char *number, const struct store_person *person,
                          int64_t now);

/*
 * Counts a wrong PIN for `number` (person_id 0 when nobody has it) and sets the lock it
 * earns. For a person this is two writes, to be run in the caller's transaction.
 */
int lockout_count_failure(struct server *srv, const char *number, int64_t person_id, int64_t now,
                          struct lockout *ret);

/* Says "not right" after a counted wrong PIN: onward.LoginFailed with the tries left, or
 * onward.AccountLocked when it locked. Fills the words and the extra parameters. */
void lockout_words(const struct lockout *lo, const char *wrong, const char **ret_error,
                   char *ret_message, size_t size, json_t **ret_extra);

/* Refuses c with onward.AccountLocked: "Too many wrong PINs. Try again in 5 minutes." */
void session_refuse_locked(struct call *c, int64_t seconds);

/* One PIN check per prison number at a time: false when one is running already. */
bool lockout_check_begin(struct server *srv, const char *number);
void lockout_check_end(struct server *srv, const char *number);

int lockout_start(struct server *srv, struct session_state *st);
void lockout_stop(struct session_state *st);

/* ---- pin_change.c ---- */

/*
 * Why a new PIN is refused, or NULL when it is good: code is a word for programs
 * ("sequence"), the return plain words ("Do not use numbers in a row, like 123456.").
 * number is the person's prison number, whose digits a PIN may not use.
 */
const char *pin_change_weakness(const char *pin, const char *number, const char **ret_code);

/* ---- refusals.c ---- */

/* Counts c's refusal (its subject and action, error and message): in the caller's
 * transaction if one is open. A refusal that cannot be counted is logged. */
int refusals_count(struct call *c, const char *error, const char *message);

/* Writes the refusals counted for subject to the audit chain, in the caller's
 * transaction. */
int refusals_flush_subject(struct server *srv, const char *subject);

int refusals_start(struct server *srv, struct session_state *st, char *err, size_t size);
void refusals_drain(struct server *srv, struct session_state *st);

#endif
