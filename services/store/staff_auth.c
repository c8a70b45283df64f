/* Staff sign-in state and sessions (see staff_auth.h). */
#include "staff_auth.h"

#include "store_int.h"

#include <errno.h>

#define AUTH_COLUMNS                                                                               \
	"sign_in, setup_hash, setup_expires, password_hash, totp_secret, totp_step, failures, "    \
	"locked_until, locks"

static int
row_to_auth(sqlite3_stmt *st, void *ret)
{
	struct store_staff_auth *out = ret;
	int r = store_column_text(st, 0, out->sign_in, sizeof(out->sign_in));

	if (r == 0)
		r = store_column_text(st, 1, out->setup_hash, sizeof(out->setup_hash));
	out->setup_expires = sqlite3_column_int64(st, 2);
	if (r == 0)
		r = store_column_text(st, 3, out->password_hash, sizeof(out->password_hash));
	if (r == 0)
		r = store_column_text(st, 4, out->totp_secret, sizeof(out->totp_secret));
	out->totp_step = sqlite3_column_int64(st, 5);
	out->failures = sqlite3_column_int64(st, 6);
	out->locked_until = sqlite3_column_int64(st, 7);
	out->locks = sqlite3_column_int64(st, 8);
	return r;
}

int
store_staff_auth_get(struct store *s, const char *staff_id, struct store_staff_auth *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " AUTH_COLUMNS " FROM staff WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, staff_id, 0);
	return store_fetch_one(st, row_to_auth, ret);
}

int
store_staff_auth_set(struct store *s, const char *staff_id, const struct store_staff_auth *in)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "UPDATE staff SET sign_in = ?, setup_hash = ?, setup_expires = ?, "
	                      "password_hash = ?, totp_secret = ?, totp_step = ?, failures = ?, "
	                      "locked_until = ?, locks = ? WHERE id = ?",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, in->sign_in, 0);
	store_bind_text(st, 2, in->setup_hash, 0);
	sqlite3_bind_int64(st, 3, in->setup_expires);
	store_bind_text(st, 4, in->password_hash, 0);
	store_bind_text(st, 5, in->totp_secret, 0);
	sqlite3_bind_int64(st, 6, in->totp_step);
	sqlite3_bind_int64(st, 7, in->failures);
	sqlite3_bind_int64(st, 8, in->locked_until);
	sqlite3_bind_int64(st, 9, in->locks);
	store_bind_text(st, 10, staff_id, 0);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		r = -ENOENT;
	return r;
}

int
store_staff_session_insert(struct store *s, const char *token_hash,
                           const struct store_staff_session *in)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "INSERT INTO staff_sessions (token_hash, staff_id, created_at, "
	                      "used_at, ends_at, address) VALUES (?, ?, ?, ?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, token_hash, 0);
	store_bind_text(st, 2, in->staff_id, 0);
	sqlite3_bind_int64(st, 3, in->created_at);
	sqlite3_bind_int64(st, 4, in->used_at);
	sqlite3_bind_int64(st, 5, in->ends_at);
	store_bind_text(st, 6, in->address, 0);
	return store_step_done(st);
}

static int
row_to_session(sqlite3_stmt *st, void *ret)
{
	struct store_staff_session *out = ret;
	int r = store_column_text(st, 0, out->staff_id, sizeof(out->staff_id));

	out->created_at = sqlite3_column_int64(st, 1);
	out->used_at = sqlite3_column_int64(st, 2);
	out->ends_at = sqlite3_column_int64(st, 3);
	if (r == 0)
		r = store_column_text(st, 4, out->address, sizeof(out->address));
	return r;
}

int
store_staff_session_get(struct store *s, const char *token_hash, struct store_staff_session *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "SELECT staff_id, created_at, used_at, ends_at, address "
	                      "FROM staff_sessions WHERE token_hash = ?",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, token_hash, 0);
	return store_fetch_one(st, row_to_session, ret);
}

static int
session_exec(struct store *s, const char *sql, const char *key, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st);

	if (r < 0)
		return r;
	if (now) {
		sqlite3_bind_int64(st, 1, now);
		store_bind_text(st, 2, key, 0);
	} else {
		store_bind_text(st, 1, key, 0);
	}
	return store_step_done(st);
}

int
store_staff_session_touch(struct store *s, const char *token_hash, int64_t now)
{
	return session_exec(s, "UPDATE staff_sessions SET used_at = ? WHERE token_hash = ?",
	                    token_hash, now);
}

int
store_staff_session_delete(struct store *s, const char *token_hash)
{
	return session_exec(s, "DELETE FROM staff_sessions WHERE token_hash = ?", token_hash, 0);
}

int
store_staff_sessions_end(struct store *s, const char *staff_id)
{
	return session_exec(s, "DELETE FROM staff_sessions WHERE staff_id = ?", staff_id, 0);
}
