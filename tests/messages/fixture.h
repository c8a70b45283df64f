/*
 * What the messaging tests share: a real daemon with staff, Sam Jones (A1234BC) at HMP
 * Moorland with a named worker, the Messages app registered, Sam logged in on the control
 * socket and the Messages app's channel opened for him (onward.App.Open, passed back as a
 * descriptor), and short helpers for the calls the tests make again and again.
 */
#ifndef ONWARD_TEST_MESSAGES_FIXTURE_H
#define ONWARD_TEST_MESSAGES_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "daemon.h"

struct fixture {
	struct test_daemon d;
	char program[256]; /* the registered "messages" program (a copy of /bin/true) */
	char pin[16];
	struct client *control; /* Sam's logged-in shell connection */
	struct client *channel; /* the Messages app's channel */
};

/*
 * Makes the daemon and seeds it: staff admin (administrator), k.patel (key worker at MDI,
 * Sam's worker), o.reed (officer at MDI), b.lane (officer at BXI); establishments MDI and
 * BXI; Sam; the app "messages". Then logs Sam in and opens the channel.
 */
void fixture_start(struct fixture *fx);

/* The same with the daemon's clock starting at `clock` (UTC, "2025-11-04T10:00:00Z"). */
void fixture_start_at(struct fixture *fx, const char *clock);

/* Logs Sam in again and opens a new channel (after a restart). */
void fixture_connect(struct fixture *fx);

/* Closes the connections (the daemon keeps running). */
void fixture_disconnect(struct fixture *fx);

void fixture_stop(struct fixture *fx);

/* Adds a contact for Sam ("minor", "victim", "barred" flags as given) and returns its id;
 * approved unless approve is false. */
int64_t fixture_contact(struct fixture *fx, const char *name, bool approve, bool minor, bool victim,
                        bool barred);

/* A call on the channel; params stolen. */
void fixture_call(struct fixture *fx, const char *method, json_t *params, struct client_reply *r);

/* Sends text to `to` on the channel; returns the reply (caller releases). */
void fixture_send(struct fixture *fx, const char *to, const char *text, struct client_reply *r);

/* Sends and checks it was accepted with status; returns the message id. */
int64_t fixture_send_ok(struct fixture *fx, const char *to, const char *text, const char *status);

/* Sends and checks it was refused with exactly reason; returns the refusal id. */
int64_t fixture_send_refused(struct fixture *fx, const char *to, const char *text,
                             const char *reason);

/* onward.Message.Thread for `with`; the caller owns the returned parameters. */
json_t *fixture_thread(struct fixture *fx, const char *with);

/* An admin call as staff `as`; returns the reply (caller releases). params stolen. */
void fixture_admin(struct fixture *fx, const char *as, const char *method, json_t *params,
                   struct client_reply *r);

/* Runs onwardctl with --as `as` and the arguments (NULL ended); caller releases. */
void fixture_ctl(struct fixture *fx, struct run_result *r, const char *as, ...);

/*
 * Runs onwardctl --json with --as `as` and the arguments (NULL ended), checks its exit
 * status is want, and returns what it printed, parsed (the caller owns it).
 */
json_t *fixture_ctl_json(struct fixture *fx, int want, const char *as, ...);

/* The plain-words message of an error that onwardctl --json printed. */
const char *fixture_error_message(json_t *out);

/* Sets the establishment's regime (auto, unlock, night, lockdown). */
void fixture_regime(struct fixture *fx, const char *regime);

/* The "contact:ID" name of a contact. */
const char *fixture_with(int64_t contact_id, char *buf, size_t size);

/* Audit rows with this action (Audit.Show, newest 1000); the caller owns the array. */
json_t *fixture_audit(struct fixture *fx, const char *action);

#endif
