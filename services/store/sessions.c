/*
 * Person sessions: one row per login, closed when the person logs out, the connection
 * drops, or the daemon finds it left open after a crash.
 */
#include "store_int.h"

#include <errno.h>

int
store_session_start(struct store *s, const char *session_id, int64_t person_id, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(
	        s, "INSERT INTO sessions (id, person_id, started_at) VALUES (?, ?, ?)", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, session_id, 0);
	sqlite3_bind_int64(st, 2, person_id);
	sqlite3_bind_int64(st, 3, now);
	return store_step_done(st);
}

int
store_session_end(struct store *s, const char *session_id, const char *reason, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "UPDATE sessions SET ended_at = ?, end_reason = ? "
	                      "WHERE id = ? AND ended_at IS NULL",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now);
	store_bind_text(st, 2, reason, 0);
	store_bind_text(st, 3, session_id, 0);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_session_end_all(struct store *s, const char *reason, int64_t now, int64_t *ret_count)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "UPDATE sessions SET ended_at = ?, end_reason = ? "
	                      "WHERE ended_at IS NULL",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now);
	store_bind_text(st, 2, reason, 0);
	r = store_step_done(st);
	if (r == 0)
		*ret_count = sqlite3_changes(s->db);
	return r;
}
