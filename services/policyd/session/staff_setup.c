/*
 * onward.Staff.Setup, SetupConfirm and Reset: a staff account becomes usable. An
 * administrator's Staff.Add (people/org.c) or Staff.Reset hands over a one-time setup
 * code; with it the staff member chooses a password and is given a TOTP secret for their
 * authenticator app, and a first code from the app proves they have it. Until then the
 * account cannot sign in. Wrong setup codes count towards the same lock as wrong passwords.
 */
#include "session_int.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "onetime.h"
#include "pinwork.h"
#include "staff_auth.h"
#include "staff_session.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>

#define TOTP_SECRET_BYTES 20 /* RFC 4226's recommended 160 bits */

/*
 * Checks a setup code: for choosing a password, the account must be waiting for one or
 * for its first code (the secret was perhaps not saved: choosing again makes a new one);
 * for confirming, it must be waiting for its first code. False after answering.
 */
static bool
setup_code_check(struct call *c, const char *staff_id, bool confirming,
                 struct store_staff_auth *auth)
{
	char key[ONETIME_KEY_SIZE];
	int64_t now = clock_now();
	int r;

	call_set_subject(c, "staff:%.33s", staff_id);
	snprintf(c->actor, sizeof(c->actor), "staff:%.33s", staff_id);
	if (!validate_staff_id(staff_id)) {
		call_fail_param(c, "staff_id", "That is not a staff id.");
		return false;
	}
	r = store_staff_auth_get(c->server->store, staff_id, auth);
	if (r < 0 && r != -ENOENT) {
		call_fail_store(c, r, "staff member");
		return false;
	}
	if (r == 0 && auth->locked_until > now) {
		staff_refuse_locked(c, auth->locked_until - now);
		return false;
	}
	if (r == -ENOENT || onetime_code_key(params_string(c->params, "setup_code", ""), key) < 0 ||
	    strcmp(auth->sign_in, "active") == 0 ||
	    (confirming && strcmp(auth->sign_in, "confirm") != 0) || now >= auth->setup_expires ||
	    !crypto_equal(key, auth->setup_hash, STAFF_HASH_HEX)) {
		/* Guesses at an account being set up count towards its lock; an account in
		 * use is not locked by someone sending it setup codes. */
		if (r == 0 && strcmp(auth->sign_in, "active") != 0)
			staff_count_failure(c, staff_id, auth);
		call_fail(c, PROTO_ERR_PERMISSION_DENIED,
		          "That setup code is not right, has been used or has run out. Ask an "
		          "administrator for a new one.",
		          NULL);
		return false;
	}
	return true;
}

/* A password: 12 to 128 bytes of printable text on one line. */
static bool
password_acceptable(const char *password)
{
	size_t n = strlen(password);

	return n >= 12 && n <= STAFF_PASSWORD_MAX && validate_text(password, n, false);
}

struct setup_work {
	char staff_id[33];
	struct store_staff_auth auth;
};

static void
on_password_hashed(struct call *c, int result, const char *hash, void *ctx)
{
	struct setup_work *w = ctx;
	char secret_raw[TOTP_SECRET_BYTES], *secret = NULL, uri[256];
	size_t secret_len = 0;
	int r = result;

	if (r == 0)
		r = crypto_random(secret_raw, sizeof(secret_raw));
	if (r == 0 &&
	    oath_base32_encode(secret_raw, sizeof(secret_raw), &secret, &secret_len) != OATH_OK)
		r = -ENOMEM;
	crypto_wipe(secret_raw, sizeof(secret_raw));
	if (r == 0 && secret_len >= sizeof(w->auth.totp_secret))
		r = -EOVERFLOW;
	if (r == 0) {
		snprintf(w->auth.sign_in, sizeof(w->auth.sign_in), "confirm");
		snprintf(w->auth.password_hash, sizeof(w->auth.password_hash), "%s", hash);
		snprintf(w->auth.totp_secret, sizeof(w->auth.totp_secret), "%s", secret);
		r = store_begin(c->server->store);
		if (r == 0)
			r = store_staff_auth_set(c->server->store, w->staff_id, &w->auth);
		if (r == 0)
			r = call_audit(c, "ok", NULL);
		r = r == 0 ? store_commit(c->server->store) : (store_rollback(c->server->store), r);
	}
	if (r < 0) {
		log_error("staff %s: cannot set up sign-in: %s", w->staff_id, strerror(-r));
		call_fail(c, PROTO_ERR_INTERNAL, "Sign-in cannot be set up now. Try again.", NULL);
	} else {
		/* The form authenticator apps read from a QR code (Key Uri Format). */
		snprintf(uri, sizeof(uri),
		         "otpauth://totp/Onward:%s?secret=%s&issuer=Onward&algorithm=SHA1&"
		         "digits=6&period=30",
		         w->staff_id, secret);
		call_reply(c, json_pack("{s:s, s:s, s:s}", "staff_id", w->staff_id, "totp_secret",
		                        secret, "otpauth_uri", uri));
	}
	if (secret) {
		crypto_wipe(secret, secret_len);
		free(secret);
	}
	crypto_wipe(w, sizeof(*w));
	free(w);
}

static void
handle_setup(struct call *c)
{
	const char *staff_id = params_string(c->params, "staff_id", "");
	const char *password = params_string(c->params, "password", "");
	struct setup_work *w = calloc(1, sizeof(*w));

	if (!w) {
		call_fail(c, PROTO_ERR_INTERNAL, "The service is out of memory.", NULL);
		return;
	}
	snprintf(w->staff_id, sizeof(w->staff_id), "%.32s", staff_id);
	/* A code not yet confirmed may be set up again: the secret was perhaps not saved. */
	if (!setup_code_check(c, staff_id, false, &w->auth)) {
		free(w);
		return;
	}
	if (!password_acceptable(password)) {
		free(w);
		call_fail_param(c, "password",
		                "Choose a password of 12 to 128 characters on one line.");
		return;
	}
	pinwork_hash(c, password, on_password_hashed, w);
}

static void
handle_setup_confirm(struct call *c)
{
	const char *staff_id = params_string(c->params, "staff_id", "");
	struct store_staff_auth auth;
	int64_t step;
	int r;

	if (!setup_code_check(c, staff_id, true, &auth))
		return;
	if (!staff_totp_check(&auth, params_string(c->params, "code", ""), clock_now(), &step)) {
		staff_count_failure(c, staff_id, &auth);
		call_fail(c, PROTO_ERR_PERMISSION_DENIED,
		          "That code is not right. Type the six numbers your authenticator app "
		          "shows now.",
		          NULL);
		return;
	}
	snprintf(auth.sign_in, sizeof(auth.sign_in), "active");
	auth.setup_hash[0] = '\0';
	auth.setup_expires = 0;
	auth.totp_step = step;
	auth.failures = 0;
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_staff_auth_set(c->server->store, staff_id, &auth);
	if (r == 0)
		r = call_audit(c, "ok", NULL);
	r = r == 0 ? store_commit(c->server->store) : (store_rollback(c->server->store), r);
	crypto_wipe(&auth, sizeof(auth));
	if (r < 0) {
		call_fail_store(c, r, "staff member");
		return;
	}
	call_reply(c, json_pack("{s:s, s:s}", "staff_id", staff_id, "sign_in", "active"));
}

/* An administrator starts an account's sign-in again: a new code, sessions ended. */
static void
handle_reset(struct call *c)
{
	const char *staff_id = params_string(c->params, "staff_id", "");
	struct store_staff st;
	char code[ONETIME_CODE_SIZE];
	int64_t expires = 0;
	int r;

	call_set_subject(c, "staff:%.33s", staff_id);
	r = store_staff_get(c->server->store, staff_id, &st);
	if (r < 0) {
		call_fail_store(c, r, "staff member");
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = staff_setup_code_issue(c->server, staff_id, code, &expires);
	if (r == 0)
		r = store_staff_sessions_end(c->server->store, staff_id);
	if (r == 0)
		r = call_audit(c, "ok", NULL);
	r = r == 0 ? store_commit(c->server->store) : (store_rollback(c->server->store), r);
	if (r < 0) {
		call_fail_store(c, r, "staff member");
		return;
	}
	call_reply(c, json_pack("{s:s, s:s, s:I}", "staff_id", staff_id, "setup_code", code,
	                        "setup_expires_at", (json_int_t)expires));
}

static const struct param_spec setup_params[] = {
        {"staff_id", PARAM_STRING, true, 0, 64},
        {"setup_code", PARAM_STRING, true, 0, 64},
        {"password", PARAM_STRING, true, 0, STAFF_PASSWORD_MAX},
        {NULL},
};

static const struct param_spec confirm_params[] = {
        {"staff_id", PARAM_STRING, true, 0, 64},
        {"setup_code", PARAM_STRING, true, 0, 64},
        {"code", PARAM_STRING, true, 0, 16},
        {NULL},
};

static const struct param_spec reset_params[] = {
        {"staff_id", PARAM_STRING, true, 0, 64},
        {NULL},
};

const struct method staff_setup_methods[] = {
        {"onward.Staff.Setup", SOCKET_ADMIN, "staff.setup", AUDIT_HANDLER, .network = true,
         .anonymous = true, .params = setup_params, .handler = handle_setup},
        {"onward.Staff.SetupConfirm", SOCKET_ADMIN, "staff.setup_confirm", AUDIT_HANDLER,
         .network = true, .anonymous = true, .params = confirm_params,
         .handler = handle_setup_confirm},
        {"onward.Staff.Reset", SOCKET_ADMIN, "staff.reset", AUDIT_HANDLER, .group = "service.admin",
         .network = true, .params = reset_params, .handler = handle_reset},
        {NULL},
};
