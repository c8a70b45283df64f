/*
 * onward.Session.*: a person logs in with prison number and PIN on the control socket.
 * The session belongs to the connection and ends with it. Wrong PINs count up; after
 * config.lockout_failures in a row the account locks, for longer each further time, and
 * the reply says for how long. An unknown prison number costs the same PIN check as a
 * known one, so timing does not tell which numbers exist.
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

#define LOCKOUT_MAX_SECONDS (24 * 3600)

struct login {
	struct store_person person; /* id 0 when the prison number is unknown */
};

/* How long the lock lasts after `failures` wrong PINs in a row (0 when not locked). */
static int64_t
lockout_seconds(const struct config *cfg, int failures)
{
	int64_t seconds = cfg->lockout_seconds;

	if (failures < (int)cfg->lockout_failures)
		return 0;
	for (int i = (int)cfg->lockout_failures; i < failures && seconds < LOCKOUT_MAX_SECONDS; i++)
		seconds *= 2;
	return seconds < LOCKOUT_MAX_SECONDS ? seconds : LOCKOUT_MAX_SECONDS;
}

/* "5 minutes", "1 hour", "40 seconds": a wait in words. */
static void
describe_wait(int64_t seconds, char *buf, size_t size)
{
	if (seconds >= 7200)
		snprintf(buf, size, "%lld hours", (long long)((seconds + 3599) / 3600));
	else if (seconds > 120)
		snprintf(buf, size, "%lld minutes", (long long)((seconds + 59) / 60));
	else
		snprintf(buf, size, "%lld seconds", (long long)seconds);
}

static void
fail_locked(struct call *c, int64_t seconds)
{
	char wait[32], message[160];

	describe_wait(seconds, wait, sizeof(wait));
	snprintf(message, sizeof(message), "Too many wrong PINs. Try again in %s.", wait);
	call_fail(c, PROTO_ERR_ACCOUNT_LOCKED, message,
	          json_pack("{s:I}", "seconds", (json_int_t)seconds));
}

static void
login_succeeded(struct call *c, struct login *l)
{
	struct server *srv = c->server;
	struct peer *p = c->peer;
	char session_id[SESSION_ID_LEN + 1];
	uint8_t raw[SESSION_ID_LEN / 2];
	int64_t now = clock_now();
	int r;

	r = crypto_random(raw, sizeof(raw));
	if (r == 0) {
		crypto_hex_encode(raw, sizeof(raw), session_id);
		r = store_begin(srv->store);
	}
	if (r == 0) {
		r = store_person_login_succeeded(srv->store, l->person.id);
		if (r == 0)
			r = store_session_start(srv->store, session_id, l->person.id, now);
		snprintf(c->actor, sizeof(c->actor), "person:%s", l->person.prison_number);
		if (r == 0)
			r = call_audit(c, "ok", json_pack("{s:s}", "session", session_id));
		if (r == 0)
			r = store_commit(srv->store);
		else
			store_rollback(srv->store);
	}
	if (r < 0) {
		call_fail_store(c, r, "session");
		return;
	}
	/* A session from an earlier login on this connection ends here. */
	if (p->person_id) {
		server_close_channels(srv, p->session_id);
		(void)store_session_end(srv->store, p->session_id, "logged in again", now);
	}
	p->person_id = l->person.id;
	memcpy(p->prison_number, l->person.prison_number, sizeof(p->prison_number));
	memcpy(p->session_id, session_id, sizeof(p->session_id));
	call_reply(c, json_pack("{s:s, s:o}", "session", session_id, "person",
	                        render_person_self(&l->person)));
}

static void
login_failed(struct call *c, struct login *l)
{
	const struct config *cfg = &c->server->config;
	int failures = l->person.failed_logins + 1;
	int64_t lock = lockout_seconds(cfg, failures);
	char message[160];
	int left;
	int r;

	if (l->person.id) {
		r = store_person_login_failed(c->server->store, l->person.id, failures,
		                              lock ? clock_now() + lock : 0);
		if (r < 0)
			log_error("login: cannot record a wrong PIN: %s",
			          store_last_error(c->server->store));
	}
	if (lock) {
		fail_locked(c, lock);
		return;
	}
	left = (int)cfg->lockout_failures - failures;
	if (l->person.id && left <= 2)
		snprintf(message, sizeof(message),
		         "That prison number or PIN is not right. %d %s left before a pause.", left,
		         left == 1 ? "try" : "tries");
	else
		snprintf(message, sizeof(message), "That prison number or PIN is not right.");
	call_fail(c, PROTO_ERR_LOGIN_FAILED, message, NULL);
}

static void
on_pin_checked(struct call *c, int result, const char *hash, void *ctx)
{
	struct login *l = ctx;

	if (result == 0 && l->person.id)
		login_succeeded(c, l);
	else if (result == 0 || result == -EACCES)
		login_failed(c, l);
	else
		call_fail(c, PROTO_ERR_INTERNAL, "Logging in is not working now. Ask staff.", NULL);
	free(l);
}

static void
handle_login(struct call *c)
{
	struct server *srv = c->server;
	const char *number = params_string(c->params, "prison_number", "");
	const char *pin = params_string(c->params, "pin", "");
	char stored[PIN_HASH_MAX];
	struct login *l;
	int64_t now = clock_now();
	int r;

	call_set_subject(c, "person:%.20s", number);
	if (!validate_prison_number(number)) {
		call_fail(c, PROTO_ERR_INVALID_PARAMETER,
		          "A prison number is one letter, four numbers and two letters, like "
		          "A1234BC.",
		          json_pack("{s:s}", "parameter", "prison_number"));
		return;
	}
	if (!validate_pin(pin)) {
		call_fail(c, PROTO_ERR_INVALID_PARAMETER, "A PIN is 4 to 8 numbers.",
		          json_pack("{s:s}", "parameter", "pin"));
		return;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		call_fail(c, PROTO_ERR_INTERNAL, "Logging in is not working now. Ask staff.", NULL);
		return;
	}
	r = store_person_find(srv->store, number, &l->person);
	if (r == -ENOENT) {
		l->person.id = 0;
		pinwork_verify(c, pin, srv->dummy_pin_hash, on_pin_checked, l);
		return;
	}
	if (r == 0)
		r = store_person_get_pin_hash(srv->store, l->person.id, stored, sizeof(stored));
	if (r < 0) {
		free(l);
		call_fail_store(c, r, "person");
		return;
	}
	if (l->person.moved_out[0]) {
		char message[160];

		snprintf(message, sizeof(message),
		         "Your record has moved to %s. Please use the tablet there.",
		         l->person.moved_out);
		free(l);
		call_fail(c, PROTO_ERR_LOGIN_FAILED, message, NULL);
		return;
	}
	if (l->person.locked_until > now) {
		int64_t wait = l->person.locked_until - now;

		free(l);
		fail_locked(c, wait);
		return;
	}
	pinwork_verify(c, pin, stored, on_pin_checked, l);
}

static void
handle_logout(struct call *c)
{
	struct peer *p = c->peer;

	call_set_subject(c, "person:%s", p->prison_number);
	server_close_channels(c->server, p->session_id);
	(void)store_session_end(c->server->store, p->session_id, "logged out", clock_now());
	p->person_id = 0;
	p->prison_number[0] = '\0';
	p->session_id[0] = '\0';
	call_reply(c, json_object());
}

static void
handle_get(struct call *c)
{
	struct store_person person;
	int r;

	if (!c->peer->person_id) {
		call_reply(c, json_pack("{s:b}", "logged_in", 0));
		return;
	}
	r = store_person_get(c->server->store, c->peer->person_id, &person);
	if (r < 0) {
		call_fail_store(c, r, "person");
		return;
	}
	call_reply(c, json_pack("{s:b, s:s, s:o}", "logged_in", 1, "session", c->peer->session_id,
	                        "person", render_person_self(&person)));
}

void
session_peer_closed(struct server *srv, struct peer *p)
{
	struct store *store = p->server->store;
	char subject[48];

	/* A channel closing is an app ending; the person's session lives on the control peer. */
	if (p->kind != PEER_CONTROL || !p->person_id)
		return;
	server_close_channels(p->server, p->session_id);
	snprintf(subject, sizeof(subject), "person:%s", p->prison_number);
	if (store_session_end(store, p->session_id, "connection closed", clock_now()) == 0)
		(void)store_audit_append(store, clock_now(), subject, subject, "session.end", "ok",
		                         "{\"reason\":\"connection closed\"}", NULL);
	p->person_id = 0;
}

static const struct param_spec login_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"pin", PARAM_STRING, true, 0, 16},
        {NULL},
};

static const struct param_spec no_params[] = {{NULL}};

const struct method session_methods[] = {
        {"onward.Session.Login", SOCKET_CONTROL, "session.login", AUDIT_HANDLER,
         .params = login_params, .handler = handle_login},
        {"onward.Session.Logout", SOCKET_CONTROL, "session.logout", AUDIT_ON_REPLY,
         .needs_session = true, .params = no_params, .handler = handle_logout},
        {"onward.Session.Get", SOCKET_CONTROL, "session.get", AUDIT_NONE, .params = no_params,
         .handler = handle_get},
        {NULL},
};
