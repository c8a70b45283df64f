/*
 * Refusals counted, not listed: one row per (subject, action, error) holding how many
 * times and between when, until the daemon writes them to the audit chain as one row and
 * deletes them here (session/refusals.c). Rows live in the store, not in memory, so a
 * killed daemon loses no count it answered; the number of rows is bounded by the caller.
 */
#include "store_int.h"

#include <errno.h>

#define REFUSAL_COLUMNS "subject, action, error, outcome, actor, message, count, first_at, last_at"

static int
row_to_refusal(sqlite3_stmt *st, void *ret)
{
	struct store_refusal *f = ret;
	int r = 0;

	r = r ?: store_column_text(st, 0, f->subject, sizeof(f->subject));
	r = r ?: store_column_text(st, 1, f->action, sizeof(f->action));
	r = r ?: store_column_text(st, 2, f->error, sizeof(f->error));
	r = r ?: store_column_text(st, 3, f->outcome, sizeof(f->outcome));
	r = r ?: store_column_text(st, 4, f->actor, sizeof(f->actor));
	r = r ?: store_column_text(st, 5, f->message, sizeof(f->message));
	f->count = sqlite3_column_int64(st, 6);
	f->first_at = sqlite3_column_int64(st, 7);
	f->last_at = sqlite3_column_int64(st, 8);
	return r;
}

int
store_refusal_rows(struct store *s, int64_t *ret_rows)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT count(*) FROM refusals_pending", &st);

	if (r < 0)
		return r;
	return store_fetch_int64(st, ret_rows);
}

int
store_refusal_count(struct store *s, const struct store_refusal *f, int64_t now, int max)
{
	sqlite3_stmt *st;
	int64_t rows = 0;
	int r = store_prepare(s,
	                      "UPDATE refusals_pending SET count = count + 1, last_at = ?1, "
	                      "outcome = ?2, actor = ?3, message = ?4 "
	                      "WHERE subject = ?5 AND action = ?6 AND error = ?7",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now);
	store_bind_text(st, 2, f->outcome, 0);
	store_bind_text(st, 3, f->actor, 0);
	store_bind_text(st, 4, f->message, 0);
	store_bind_text(st, 5, f->subject, 0);
	store_bind_text(st, 6, f->action, 0);
	store_bind_text(st, 7, f->error, 0);
	r = store_step_done(st);
	if (r < 0 || sqlite3_changes(s->db) > 0)
		return r;
	r = store_refusal_rows(s, &rows);
	if (r < 0)
		return r;
	if (rows >= max)
		return -ENOSPC;
	r = store_prepare(s,
	                  "INSERT INTO refusals_pending (" REFUSAL_COLUMNS ") "
	                  "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
	                  &st);
	if (r < 0)
		return r;
	store_bind_text(st, 1, f->subject, 0);
	store_bind_text(st, 2, f->action, 0);
	store_bind_text(st, 3, f->error, 0);
	store_bind_text(st, 4, f->outcome, 0);
	store_bind_text(st, 5, f->actor, 0);
	store_bind_text(st, 6, f->message, 0);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, now);
	return store_step_done(st);
}

int
store_refusal_list(struct store *s, const char *subject, int64_t first_before,
                   int (*fn)(const struct store_refusal *f, void *userdata), void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(s,
	                      "SELECT " REFUSAL_COLUMNS " FROM refusals_pending "
	                      "WHERE (?1 IS NULL OR subject = ?1) AND first_at <= ?2 "
	                      "ORDER BY first_at, subject, action, error",
	                      &st);

	if (r == 0) {
		store_bind_text(st, 1, subject, 1);
		sqlite3_bind_int64(st, 2, first_before);
	}
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_refusal f;

		r = row_to_refusal(st, &f);
		if (r == 0)
			r = fn(&f, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}

int
store_refusal_delete(struct store *s, const struct store_refusal *f)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "DELETE FROM refusals_pending "
	                      "WHERE subject = ? AND action = ? AND error = ?",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, f->subject, 0);
	store_bind_text(st, 2, f->action, 0);
	store_bind_text(st, 3, f->error, 0);
	return store_step_done(st);
}
