/*
 * onward.Session.*: a person logs in with prison number and PIN on the control socket.
 * The session belongs to the connection and ends with it.
 *
 * A login goes: the number and PIN are checked for form; a lock (lockout.c) refuses at
 * once; one PIN check per number runs at a time; the PIN is checked in the thread pool
 * against the person's hash, or a dummy one when nobody has the number, so timing does
 * not tell which numbers exist. When the check ends the record is read again, and a lock
 * set, a PIN reset or a move meanwhile decides instead: a PIN checked while the number was
 * being locked never logs in. A wrong PIN is counted (lockout.c) and every refusal is
 * counted too, not audited alone (refusals.c). Only a right PIN learns that a record has
 * moved away.
 *
 * A right PIN that staff issued opens no session: the connection may only choose the
 * person's own PIN (onward.Session.ChangePin, pin_change.c) or log out, and choosing it
 * opens the session. Every other call is refused: "Choose your new PIN first."
 */
#include "session_int.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "pinwork.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRONG_LOGIN "That prison number or PIN is not right."

struct login {
	char number[8];
	struct store_person person; /* id 0 when nobody has the prison number */
	char stored[PIN_HASH_MAX]; /* the hash checked against */
};

void
session_refuse(struct call *c, const char *error, const char *message, json_t *extra)
{
	(void)refusals_count(c, error, message);
	call_fail(c, error, message, extra);
}

/* Ends the session or PIN choice held on p's connection, if any; says why in the store. */
static void
session_close(struct server *srv, struct peer *p, const char *reason, bool audit)
{
	char subject[48];
	int64_t now = clock_now();

	if (p->person_id) {
		server_close_channels(srv, p->session_id);
		snprintf(subject, sizeof(subject), "person:%s", p->prison_number);
		if (store_session_end(srv->store, p->session_id, reason, now) == 0 && audit)
			(void)store_audit_append(srv->store, now, subject, subject, "session.end",
			                         "ok", "{\"reason\":\"connection closed\"}", NULL);
	}
	p->person_id = 0;
	p->choosing_pin_id = 0;
	p->prison_number[0] = '\0';
	p->session_id[0] = '\0';
}

int
session_open(struct call *c, const struct store_person *person,
             int (*write)(struct call *c, void *ctx), void *ctx, json_t *detail,
             char ret_session[SESSION_ID_LEN + 1])
{
	struct server *srv = c->server;
	struct peer *p = c->peer;
	char session_id[SESSION_ID_LEN + 1], subject[48];
	uint8_t raw[SESSION_ID_LEN / 2];
	int r;

	snprintf(subject, sizeof(subject), "person:%s", person->prison_number);
	snprintf(c->actor, sizeof(c->actor), "%s", subject);
	r = detail ? crypto_random(raw, sizeof(raw)) : -ENOMEM;
	if (r == 0) {
		crypto_hex_encode(raw, sizeof(raw), session_id);
		json_object_set_new(detail, "session", json_string(session_id));
		r = store_begin(srv->store);
	}
	if (r < 0) {
		json_decref(detail);
		return r;
	}
	r = refusals_flush_subject(srv, subject);
	if (r == 0)
		r = store_person_login_succeeded(srv->store, person->id);
	if (r == 0 && write)
		r = write(c, ctx);
	if (r == 0)
		r = store_session_start(srv->store, session_id, person->id, clock_now());
	if (r == 0)
		r = call_audit(c, "ok", detail);
	else
		json_decref(detail);
	r = call_end_transaction(c, r);
	if (r < 0)
		return r;
	/* A session from an earlier login on this connection ends here. */
	session_close(srv, p, "logged in again", false);
	p->person_id = person->id;
	memcpy(p->prison_number, person->prison_number, sizeof(p->prison_number));
	memcpy(p->session_id, session_id, sizeof(p->session_id));
	peer_session_changed(p);
	memcpy(ret_session, session_id, SESSION_ID_LEN + 1);
	return 0;
}

/* A right PIN that staff issued: no session, only the choice of a PIN of their own. */
static void
login_choosing_pin(struct call *c, const struct store_person *person)
{
	struct server *srv = c->server;
	struct peer *p = c->peer;
	int r;

	snprintf(c->actor, sizeof(c->actor), "person:%s", person->prison_number);
	r = store_begin(srv->store);
	if (r == 0) {
		r = refusals_flush_subject(srv, c->subject);
		if (r == 0)
			r = store_person_login_succeeded(srv->store, person->id);
		if (r == 0)
			r = call_audit(c, "ok", json_pack("{s:b}", "pin_change", 1));
		r = call_end_transaction(c, r);
	}
	if (r < 0) {
		call_fail_store(c, r, "person");
		return;
	}
	session_close(srv, p, "logged in again", false);
	p->choosing_pin_id = person->id;
	memcpy(p->prison_number, person->prison_number, sizeof(p->prison_number));
	peer_session_changed(p);
	call_reply(c,
	           json_pack("{s:b, s:o}", "pin_change", 1, "person", render_person_self(person)));
}

static void
login_right_pin(struct call *c, struct login *l)
{
	struct server *srv = c->server;
	struct store_person person;
	char stored[PIN_HASH_MAX], session_id[SESSION_ID_LEN + 1], message[160];
	int64_t wait, now = clock_now();
	int r;

	/* The PIN was checked against the record as it was when the check began. */
	r = store_person_get(srv->store, l->person.id, &person);
	if (r == 0)
		r = store_person_get_pin_hash(srv->store, person.id, stored, sizeof(stored));
	if (r < 0) {
		call_fail_store(c, r, "person");
		return;
	}
	if (strcmp(stored, l->stored) != 0) {
		/* Staff gave a new PIN meanwhile: the one checked is no longer the PIN. */
		session_refuse(c, PROTO_ERR_LOGIN_FAILED, WRONG_LOGIN, NULL);
		return;
	}
	wait = lockout_remaining(srv, l->number, &person, now);
	if (wait > 0) {
		session_refuse_locked(c, wait);
		return;
	}
	if (person.moved_out[0]) {
		snprintf(message, sizeof(message),
		         "Your record has moved to %s. Please use the tablet there.",
		         person.moved_out);
		session_refuse(c, PROTO_ERR_LOGIN_FAILED, message,
		               json_pack("{s:s}", "moved_to", person.moved_out));
		return;
	}
	if (!c->peer->in_session_pool && srv->session_peers >= srv->config.max_sessions) {
		session_refuse(c, PROTO_ERR_BUSY, "Too many people are logged in here. Ask staff.",
		               NULL);
		return;
	}
	if (person.pin_change) {
		login_choosing_pin(c, &person);
		return;
	}
	r = session_open(c, &person, NULL, NULL, json_object(), session_id);
	if (r < 0) {
		call_fail_store(c, r, "session");
		return;
	}
	call_reply(c, json_pack("{s:s, s:o}", "session", session_id, "person",
	                        render_person_self(&person)));
}

static void
login_wrong_pin(struct call *c, struct login *l)
{
	struct server *srv = c->server;
	struct lockout lo = {0};
	const char *error;
	char message[160];
	json_t *extra;
	int r;

	/* The count, the lock and the counted refusal land together (and an unknown number
	 * writes as much as a known one). */
	r = store_begin(srv->store);
	if (r == 0) {
		r = lockout_count_failure(srv, l->number, l->person.id, clock_now(), &lo);
		lockout_words(&lo, WRONG_LOGIN, &error, message, sizeof(message), &extra);
		if (r == 0)
			r = refusals_count(c, error, message);
		r = call_end_transaction(c, r);
	}
	if (r < 0) {
		log_error("login: cannot count a wrong PIN: %s", store_last_error(srv->store));
		call_fail(c, PROTO_ERR_INTERNAL, "Logging in is not working now. Ask staff.", NULL);
		return;
	}
	call_fail(c, error, message, extra);
}

static void
on_pin_checked(struct call *c, int result, const char *hash, void *ctx)
{
	struct login *l = ctx;

	lockout_check_end(c->server, l->number);
	if (result == 0 && l->person.id)
		login_right_pin(c, l);
	else if (result == 0 || result == -EACCES)
		login_wrong_pin(c, l);
	else
		call_fail(c, PROTO_ERR_INTERNAL, "Logging in is not working now. Ask staff.", NULL);
	crypto_wipe(l, sizeof(*l));
	free(l);
}

static void
handle_login(struct call *c)
{
	struct server *srv = c->server;
	const char *number = params_string(c->params, "prison_number", "");
	const char *pin = params_string(c->params, "pin", "");
	struct login *l;
	int64_t wait;
	int r;

	call_set_subject(c, "person:%.20s", number);
	if (!validate_prison_number(number)) {
		session_refuse(c, PROTO_ERR_INVALID_PARAMETER,
		               "A prison number is one letter, four numbers and two letters, like "
		               "A1234BC.",
		               json_pack("{s:s}", "parameter", "prison_number"));
		return;
	}
	if (!validate_pin(pin)) {
		session_refuse(c, PROTO_ERR_INVALID_PARAMETER, "A PIN is 4 to 8 numbers.",
		               json_pack("{s:s}", "parameter", "pin"));
		return;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		call_fail(c, PROTO_ERR_INTERNAL, "Logging in is not working now. Ask staff.", NULL);
		return;
	}
	snprintf(l->number, sizeof(l->number), "%s", number);
	r = store_person_find(srv->store, number, &l->person);
	if (r == -ENOENT) {
		l->person = (struct store_person){0};
		snprintf(l->stored, sizeof(l->stored), "%s", srv->dummy_pin_hash);
		r = 0;
	} else if (r == 0) {
		r = store_person_get_pin_hash(srv->store, l->person.id, l->stored,
		                              sizeof(l->stored));
	}
	if (r < 0) {
		free(l);
		call_fail_store(c, r, "person");
		return;
	}
	wait = lockout_remaining(srv, number, l->person.id ? &l->person : NULL, clock_now());
	if (wait > 0) {
		free(l);
		session_refuse_locked(c, wait);
		return;
	}
	if (!lockout_check_begin(srv, number)) {
		free(l);
		session_refuse(c, PROTO_ERR_BUSY,
		               "A login for this prison number is being checked. Try again in a "
		               "moment.",
		               NULL);
		return;
	}
	pinwork_verify(c, pin, l->stored, on_pin_checked, l);
}

static void
handle_logout(struct call *c)
{
	struct peer *p = c->peer;

	if (!p->person_id && !p->choosing_pin_id) {
		call_fail(c, PROTO_ERR_NOT_LOGGED_IN, "Log in first.", NULL);
		return;
	}
	call_set_subject(c, "person:%s", p->prison_number);
	snprintf(c->actor, sizeof(c->actor), "person:%s", p->prison_number);
	session_close(c->server, p, "logged out", false);
	peer_session_changed(p);
	call_reply(c, json_object());
}

static void
handle_get(struct call *c)
{
	struct store_person person;
	int64_t id = c->peer->person_id ? c->peer->person_id : c->peer->choosing_pin_id;
	int r;

	if (!id) {
		call_reply(c, json_pack("{s:b}", "logged_in", 0));
		return;
	}
	r = store_person_get(c->server->store, id, &person);
	if (r < 0) {
		call_fail_store(c, r, "person");
		return;
	}
	if (!c->peer->person_id) {
		call_reply(c, json_pack("{s:b, s:b, s:o}", "logged_in", 0, "pin_change", 1,
		                        "person", render_person_self(&person)));
		return;
	}
	call_reply(c, json_pack("{s:b, s:s, s:o}", "logged_in", 1, "session", c->peer->session_id,
	                        "person", render_person_self(&person)));
}

void
session_peer_closed(struct server *srv, struct peer *p)
{
	/* A channel closing is an app ending; the person's session lives on the control peer. */
	if (p->kind != PEER_CONTROL)
		return;
	session_close(srv, p, "connection closed", true);
}

static const struct param_spec login_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"pin", PARAM_STRING, true, 0, 16},
        {NULL},
};

static const struct param_spec no_params[] = {{NULL}};

/*
 * Login audits its own rows (AUDIT_NONE here): a success alone, refusals counted
 * (refusals.c). Logout works without a session too, for a person choosing their PIN.
 */
const struct method session_methods[] = {
        {"onward.Session.Login", SOCKET_CONTROL, "session.login", AUDIT_NONE,
         .params = login_params, .handler = handle_login},
        {"onward.Session.Logout", SOCKET_CONTROL, "session.logout", AUDIT_ON_REPLY,
         .params = no_params, .handler = handle_logout},
        {"onward.Session.Get", SOCKET_CONTROL, "session.get", AUDIT_NONE, .params = no_params,
         .handler = handle_get},
        {NULL},
};
