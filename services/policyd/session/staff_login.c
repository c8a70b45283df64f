/*
 * onward.Staff.Login and Logout: a staff member proves who they are with their password
 * and a code from their authenticator app (TOTP, RFC 6238, by liboath), and gets a session
 * token that every later call names (core/staff_session.c). Wrong passwords and codes
 * lock the account, each lock twice as long as the one before, at most a day. The answer
 * for an unknown id, a wrong password and a wrong code is the same, and takes as long.
 */
#include "session_int.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "pinwork.h"
#include "staff_auth.h"
#include "staff_session.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>

#define TOTP_STEP_SECONDS 30
#define TOTP_WINDOW 1 /* one step either side: a clock half a minute out still works */
#define LOCK_MAX_SECONDS 86400

static const char wrong_sign_in[] = "That staff id, password or code is not right.";

bool
staff_totp_check(const struct store_staff_auth *auth, const char *code, int64_t now,
                 int64_t *ret_step)
{
	char *secret = NULL;
	size_t secret_len = 0;
	uint64_t counter = 0;
	int pos;

	if (strlen(code) != 6 || strspn(code, "0123456789") != 6 || !auth->totp_secret[0])
		return false;
	if (oath_base32_decode(auth->totp_secret, strlen(auth->totp_secret), &secret,
	                       &secret_len) != OATH_OK)
		return false;
	pos = oath_totp_validate4(secret, secret_len, (time_t)now, TOTP_STEP_SECONDS, 0,
	                          TOTP_WINDOW, NULL, &counter, 0, code);
	crypto_wipe(secret, secret_len);
	free(secret);
	/* A code is accepted once: one seen over a shoulder or replayed is worthless. */
	if (pos < 0 || (int64_t)counter <= auth->totp_step)
		return false;
	*ret_step = (int64_t)counter;
	return true;
}

void
staff_refuse_locked(struct call *c, int64_t seconds)
{
	char message[160];

	snprintf(message, sizeof(message),
	         "This account is locked after too many wrong tries. Try again in %lld "
	         "minutes, or ask an administrator to reset it.",
	         (long long)(seconds + 59) / 60);
	call_fail(c, PROTO_ERR_ACCOUNT_LOCKED, message,
	          json_pack("{s:I}", "seconds", (json_int_t)seconds));
}

void
staff_count_failure(struct call *c, const char *staff_id, struct store_staff_auth *auth)
{
	const struct config *cfg = &c->server->config;

	if (++auth->failures >= cfg->staff_lockout_failures) {
		int64_t seconds = (int64_t)cfg->staff_lockout_seconds;

		for (int64_t i = 0; i < auth->locks && seconds < LOCK_MAX_SECONDS; i++)
			seconds *= 2;
		auth->locked_until =
		        clock_now() + (seconds < LOCK_MAX_SECONDS ? seconds : LOCK_MAX_SECONDS);
		auth->locks++;
		auth->failures = 0;
		log_warn("staff %s: locked for %llds after wrong tries", staff_id,
		         (long long)(auth->locked_until - clock_now()));
	}
	if (store_staff_auth_set(c->server->store, staff_id, auth) < 0)
		log_error("staff %s: cannot count a wrong try", staff_id);
}

struct login_work {
	char staff_id[33];
	char code[8];
	bool known; /* an active account: otherwise the check ran on a dummy hash */
	struct store_staff_auth auth;
};

static void
login_work_free(struct login_work *w)
{
	crypto_wipe(w, sizeof(*w));
	free(w);
}

/* The session: a random token for the caller, its hash in the store, the audit row. */
static int
session_make(struct call *c, struct login_work *w, int64_t step, char ret_token[65],
             int64_t *ret_ends)
{
	const struct config *cfg = &c->server->config;
	struct store_staff_session ses = {0};
	uint8_t raw[32];
	char key[STAFF_TOKEN_HEX + 1];
	int64_t now = clock_now();
	int r = crypto_random(raw, sizeof(raw));

	if (r < 0)
		return r;
	crypto_hex_encode(raw, sizeof(raw), ret_token);
	crypto_wipe(raw, sizeof(raw));
	staff_token_key(ret_token, key);
	snprintf(ses.staff_id, sizeof(ses.staff_id), "%s", w->staff_id);
	ses.created_at = ses.used_at = now;
	ses.ends_at = *ret_ends = now + cfg->staff_session_seconds;
	snprintf(ses.address, sizeof(ses.address), "%s", c->address[0] ? c->address : "local");
	w->auth.totp_step = step;
	w->auth.failures = 0;
	w->auth.locks = 0;
	c->proof = "password+totp";
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_staff_auth_set(c->server->store, w->staff_id, &w->auth);
	if (r == 0)
		r = store_staff_session_insert(c->server->store, key, &ses);
	if (r == 0)
		r = call_audit(c, "ok", NULL);
	return r == 0 ? store_commit(c->server->store) : (store_rollback(c->server->store), r);
}

static void
on_password_checked(struct call *c, int result, const char *hash, void *ctx)
{
	struct login_work *w = ctx;
	struct store_staff st;
	char token[STAFF_TOKEN_HEX + 1];
	int64_t step = 0, ends = 0;
	int r;

	(void)hash;
	if (result != 0 && result != -EACCES) {
		login_work_free(w);
		call_fail(c, PROTO_ERR_INTERNAL, "Sign-in cannot be checked now. Try again.", NULL);
		return;
	}
	/* Read the account again: another sign-in may have used a code or set a lock while
	 * the password was checked off the loop (here, on the loop, nothing runs between
	 * this read and the write that records the code). */
	if (w->known && store_staff_auth_get(c->server->store, w->staff_id, &w->auth) < 0)
		w->known = false;
	if (w->known && w->auth.locked_until > clock_now()) {
		int64_t seconds = w->auth.locked_until - clock_now();

		login_work_free(w);
		staff_refuse_locked(c, seconds);
		return;
	}
	if (!w->known || result != 0 || !staff_totp_check(&w->auth, w->code, clock_now(), &step)) {
		if (w->known)
			staff_count_failure(c, w->staff_id, &w->auth);
		login_work_free(w);
		call_fail(c, PROTO_ERR_LOGIN_FAILED, wrong_sign_in, NULL);
		return;
	}
	r = store_staff_get(c->server->store, w->staff_id, &st);
	if (r == 0)
		r = session_make(c, w, step, token, &ends);
	if (r < 0) {
		log_error("staff %s: cannot open a session: %s", w->staff_id, strerror(-r));
		login_work_free(w);
		call_fail(c, PROTO_ERR_INTERNAL, "Sign-in cannot be finished now. Try again.",
		          NULL);
		return;
	}
	login_work_free(w);
	call_reply(c, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "session", token, "staff_id",
	                        st.id, "name", st.name, "role", st.role, "establishment",
	                        st.establishment, "expires_at", (json_int_t)ends, "idle_seconds",
	                        (json_int_t)c->server->config.staff_idle_seconds));
	crypto_wipe(token, sizeof(token));
}

static void
handle_login(struct call *c)
{
	const char *staff_id = params_string(c->params, "staff_id", "");
	const char *password = params_string(c->params, "password", "");
	const char *code = params_string(c->params, "code", "");
	struct login_work *w = calloc(1, sizeof(*w));
	struct store_staff st;
	int64_t now = clock_now();
	int r;

	if (!w) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory.", NULL);
		return;
	}
	call_set_subject(c, "staff:%.33s", staff_id);
	snprintf(c->actor, sizeof(c->actor), "staff:%.33s", staff_id);
	snprintf(w->staff_id, sizeof(w->staff_id), "%.32s", staff_id);
	snprintf(w->code, sizeof(w->code), "%.7s", code);
	r = validate_staff_id(staff_id) ? store_staff_get(c->server->store, staff_id, &st)
	                                : -ENOENT;
	if (r == 0)
		r = store_staff_auth_get(c->server->store, staff_id, &w->auth);
	if (r < 0 && r != -ENOENT) {
		login_work_free(w);
		call_fail_store(c, r, "staff member");
		return;
	}
	if (r == 0 && w->auth.locked_until > now) {
		int64_t seconds = w->auth.locked_until - now;

		login_work_free(w);
		staff_refuse_locked(c, seconds);
		return;
	}
	w->known = r == 0 && st.active && strcmp(w->auth.sign_in, "active") == 0;
	/* Unknown, inactive and unfinished accounts take the same time to refuse. */
	pinwork_verify(c, password, w->known ? w->auth.password_hash : c->server->dummy_pin_hash,
	               on_password_checked, w);
}

static void
handle_logout(struct call *c)
{
	char key[STAFF_TOKEN_HEX + 1];
	int r;

	call_set_subject(c, "staff:%s", c->staff.id);
	if (!c->staff_session[0]) {
		call_fail(c, PROTO_ERR_NOT_LOGGED_IN, "You are not signed in.", NULL);
		return;
	}
	staff_token_key(c->staff_session, key);
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_staff_session_delete(c->server->store, key);
	if (r == 0)
		r = call_audit(c, "ok", NULL);
	r = r == 0 ? store_commit(c->server->store) : (store_rollback(c->server->store), r);
	if (r < 0) {
		call_fail_store(c, r, "session");
		return;
	}
	call_reply(c, json_pack("{s:s}", "signed_out", c->staff.id));
}

/* Who the caller is acting as, and how they were proven: for `onwardctl whoami`. */
static void
handle_whoami(struct call *c)
{
	call_reply(c, json_pack("{s:s, s:s, s:s, s:s, s:s}", "staff_id", c->staff.id, "name",
	                        c->staff.name, "role", c->staff.role, "establishment",
	                        c->staff.establishment, "proof", c->proof ? c->proof : ""));
}

static const struct param_spec login_params[] = {
        {"staff_id", PARAM_STRING, true, 0, 64},
        {"password", PARAM_STRING, true, 0, STAFF_PASSWORD_MAX},
        {"code", PARAM_STRING, true, 0, 16},
        {NULL},
};

static const struct param_spec no_params[] = {{NULL}};

const struct method staff_login_methods[] = {
        {"onward.Staff.Login", SOCKET_ADMIN, "staff.login", AUDIT_HANDLER, .network = true,
         .anonymous = true, .params = login_params, .handler = handle_login},
        {"onward.Staff.Logout", SOCKET_ADMIN, "staff.logout", AUDIT_HANDLER, .group = "staff.self",
         .network = true, .params = no_params, .handler = handle_logout},
        {"onward.Staff.Whoami", SOCKET_ADMIN, "staff.whoami", AUDIT_NONE, .group = "staff.self",
         .network = true, .params = no_params, .handler = handle_whoami},
        {NULL},
};
