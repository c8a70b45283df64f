/* Staff sessions on every call (see staff_session.h). */
#include "staff_session.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "onetime.h"
#include "staff_auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A session's last use is written at most this often: a busy console must not make a
 * durable write of every page it shows. */
#define TOUCH_EVERY_SECONDS 60
#define SETUP_SECONDS (72 * 3600) /* a setup code: long enough to reach its owner */

/* A token: 32 random bytes as 64 lower-case hex digits, as session_make wrote it. */
static bool
token_valid(const char *token)
{
	uint8_t raw[STAFF_TOKEN_HEX / 2];
	bool ok = crypto_hex_decode(token, raw, sizeof(raw)) == 0;

	crypto_wipe(raw, sizeof(raw));
	return ok;
}

void
staff_token_key(const char *token, char *ret_key)
{
	uint8_t digest[CRYPTO_SHA256_LEN];

	crypto_sha256(token, strlen(token), digest);
	crypto_hex_encode(digest, sizeof(digest), ret_key);
}

int
staff_session_resolve(struct call *c, const char *token, char *err, size_t size)
{
	const struct config *cfg = &c->server->config;
	struct store_staff_session ses;
	char key[STAFF_TOKEN_HEX + 1];
	int64_t now = clock_now();
	int r;

	snprintf(c->actor, sizeof(c->actor), "staff:?");
	if (!token_valid(token)) {
		snprintf(err, size, "That is not a staff session. Sign in again.");
		return -EINVAL;
	}
	staff_token_key(token, key);
	r = store_staff_session_get(c->server->store, key, &ses);
	if (r == -ENOENT || (r == 0 && (now >= ses.ends_at ||
	                                now - ses.used_at >= (int64_t)cfg->staff_idle_seconds))) {
		snprintf(err, size, "Your session has ended. Sign in again.");
		return -EKEYEXPIRED;
	}
	if (r == 0)
		r = store_staff_get(c->server->store, ses.staff_id, &c->staff);
	if (r < 0) {
		snprintf(err, size, "Staff records cannot be read now.");
		return r;
	}
	snprintf(c->actor, sizeof(c->actor), "staff:%s", c->staff.id);
	if (!c->staff.active) {
		snprintf(err, size, "Staff id '%s' is no longer active.", c->staff.id);
		return -EPERM;
	}
	if (now - ses.used_at >= TOUCH_EVERY_SECONDS &&
	    store_staff_session_touch(c->server->store, key, now) < 0)
		log_warn("staff session of %s: cannot record its use", c->staff.id);
	snprintf(c->staff_session, sizeof(c->staff_session), "%s", token);
	c->proof = "password+totp";
	return 0;
}

void
staff_break_glass(struct call *c)
{
	memset(&c->staff, 0, sizeof(c->staff));
	snprintf(c->staff.id, sizeof(c->staff.id), BREAK_GLASS_ID);
	snprintf(c->staff.name, sizeof(c->staff.name), "Break-glass (uid %u)",
	         (unsigned)c->peer->uid);
	snprintf(c->staff.role, sizeof(c->staff.role), "administrator");
	snprintf(c->staff.establishment, sizeof(c->staff.establishment), "%s",
	         c->server->config.establishment);
	c->staff.active = true;
	c->break_glass = true;
	c->proof = "break-glass";
	snprintf(c->actor, sizeof(c->actor), "break-glass:uid%u", (unsigned)c->peer->uid);
}

int
staff_setup_code_issue(struct server *srv, const char *staff_id, char ret_code[ONETIME_CODE_SIZE],
                       int64_t *ret_expires)
{
	struct store_staff_auth auth = {0};
	int r = onetime_code_make(ret_code);

	if (r < 0)
		return r;
	snprintf(auth.sign_in, sizeof(auth.sign_in), "setup");
	onetime_code_key(ret_code, auth.setup_hash);
	auth.setup_expires = *ret_expires = clock_now() + SETUP_SECONDS;
	return store_staff_auth_set(srv->store, staff_id, &auth);
}
