/*
 * Messages, refusals, staff reads, the word list and messaging settings (see messages.h).
 * Statements come from the store's cache like every other table's; should the cache ever
 * be full (it is shared by every area's statements), a statement is prepared for the call
 * and finalised after it instead of failing, so messaging keeps working, only slower.
 */
#include "messages.h"
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MESSAGE_COLUMNS                                                                            \
	"m.id, m.person_id, m.contact_id, m.kind, m.direction, m.author, m.author_name, "          \
	"m.author_role, m.text, m.status, m.reason, m.quote, m.refusal_id, m.about, m.policies, "  \
	"m.matched, m.decided_by, m.decided_at, m.created_at, m.read_at, m.acked_at, "             \
	"p.prison_number, p.establishment"

/* A statement from the cache, or prepared for this call alone when the cache is full. */
struct stmt {
	sqlite3_stmt *st;
	bool owned;
};

static int
stmt_prepare(struct store *s, const char *sql, struct stmt *ret)
{
	int r = store_prepare(s, sql, &ret->st);

	ret->owned = false;
	if (r == -ENOSPC) {
		r = store_errno(sqlite3_prepare_v2(s->db, sql, -1, &ret->st, NULL));
		ret->owned = r == 0;
	}
	return r;
}

/* Resets a cached statement, finalises an owned one; passes r through. */
static int
stmt_release(struct stmt *st, int r)
{
	if (!st->st)
		return r;
	if (st->owned)
		sqlite3_finalize(st->st);
	else
		sqlite3_reset(st->st);
	st->st = NULL;
	return r;
}

static int
row_to_message(sqlite3_stmt *st, void *ret)
{
	struct store_message *m = ret;
	int r = 0;

	m->id = sqlite3_column_int64(st, 0);
	m->person_id = sqlite3_column_int64(st, 1);
	m->contact_id = sqlite3_column_int64(st, 2);
	r = r ?: store_column_text(st, 3, m->kind, sizeof(m->kind));
	r = r ?: store_column_text(st, 4, m->direction, sizeof(m->direction));
	r = r ?: store_column_text(st, 5, m->author, sizeof(m->author));
	r = r ?: store_column_text(st, 6, m->author_name, sizeof(m->author_name));
	r = r ?: store_column_text(st, 7, m->author_role, sizeof(m->author_role));
	r = r ?: store_column_text(st, 8, m->text, sizeof(m->text));
	r = r ?: store_column_text(st, 9, m->status, sizeof(m->status));
	r = r ?: store_column_text(st, 10, m->reason, sizeof(m->reason));
	r = r ?: store_column_text(st, 11, m->quote, sizeof(m->quote));
	m->refusal_id = sqlite3_column_int64(st, 12);
	m->about = sqlite3_column_int64(st, 13);
	r = r ?: store_column_text(st, 14, m->policies, sizeof(m->policies));
	r = r ?: store_column_text(st, 15, m->matched, sizeof(m->matched));
	r = r ?: store_column_text(st, 16, m->decided_by, sizeof(m->decided_by));
	m->decided_at = sqlite3_column_int64(st, 17);
	m->created_at = sqlite3_column_int64(st, 18);
	m->read_at = sqlite3_column_int64(st, 19);
	m->acked_at = sqlite3_column_int64(st, 20);
	r = r ?: store_column_text(st, 21, m->prison_number, sizeof(m->prison_number));
	r = r ?: store_column_text(st, 22, m->establishment, sizeof(m->establishment));
	return r;
}

/* Steps a query of messages, visiting at most limit rows; a further row only sets *more. */
static int
visit_messages(struct stmt *st, int limit, int (*fn)(const struct store_message *m, void *userdata),
               void *userdata, bool *ret_more)
{
	struct store_message m;
	int r, seen = 0;
	bool more = false;

	while ((r = store_step_row(st->st)) == 1) {
		if (seen == limit) {
			more = true;
			break;
		}
		r = row_to_message(st->st, &m);
		if (r == 0)
			r = fn(&m, userdata);
		if (r != 0)
			break;
		seen++;
	}
	if (r > 0)
		r = 0;
	if (r == 0 && ret_more)
		*ret_more = more;
	return stmt_release(st, r);
}

int
store_message_insert(struct store *s, const struct store_message *m, int64_t *ret_id)
{
	struct stmt st;
	int r = stmt_prepare(
	        s,
	        "INSERT INTO messages (person_id, contact_id, kind, direction, author, "
	        "author_name, author_role, text, status, reason, quote, refusal_id, "
	        "about, policies, matched, decided_by, decided_at, created_at, read_at, "
	        "acked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	        "?, ?)",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, m->person_id);
	sqlite3_bind_int64(st.st, 2, m->contact_id);
	store_bind_text(st.st, 3, m->kind, 0);
	store_bind_text(st.st, 4, m->direction, 0);
	store_bind_text(st.st, 5, m->author, 0);
	store_bind_text(st.st, 6, m->author_name, 0);
	store_bind_text(st.st, 7, m->author_role, 0);
	store_bind_text(st.st, 8, m->text, 0);
	store_bind_text(st.st, 9, m->status, 0);
	store_bind_text(st.st, 10, m->reason, 0);
	store_bind_text(st.st, 11, m->quote, 0);
	sqlite3_bind_int64(st.st, 12, m->refusal_id);
	sqlite3_bind_int64(st.st, 13, m->about);
	store_bind_text(st.st, 14, m->policies, 0);
	store_bind_text(st.st, 15, m->matched, 0);
	store_bind_text(st.st, 16, m->decided_by, 0);
	sqlite3_bind_int64(st.st, 17, m->decided_at);
	sqlite3_bind_int64(st.st, 18, m->created_at);
	sqlite3_bind_int64(st.st, 19, m->read_at);
	sqlite3_bind_int64(st.st, 20, m->acked_at);
	r = store_step_done(st.st);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return stmt_release(&st, r);
}

int
store_message_get(struct store *s, int64_t id, struct store_message *ret)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT " MESSAGE_COLUMNS " FROM messages m JOIN people p "
	                     "ON p.id = m.person_id WHERE m.id = ?",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, id);
	return stmt_release(&st, store_fetch_one(st.st, row_to_message, ret));
}

int
store_message_thread(struct store *s, int64_t person_id, int64_t contact_id,
                     enum store_thread_view view, int64_t before_id, int limit,
                     int (*fn)(const struct store_message *m, void *userdata), void *userdata,
                     bool *ret_more)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT " MESSAGE_COLUMNS " FROM messages m JOIN people p "
	                     "ON p.id = m.person_id WHERE m.person_id = ?1 AND m.contact_id = ?2 "
	                     "AND m.id < ?3 AND (?4 = 0 OR NOT (m.direction = 'in' AND "
	                     "m.author = '' AND (m.status != 'delivered' OR ?4 = 2))) "
	                     "ORDER BY m.id DESC LIMIT ?5",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, person_id);
	sqlite3_bind_int64(st.st, 2, contact_id);
	sqlite3_bind_int64(st.st, 3, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int(st.st, 4, (int)view);
	sqlite3_bind_int(st.st, 5, limit + 1);
	return visit_messages(&st, limit, fn, userdata, ret_more);
}

int
store_message_summaries(struct store *s, int64_t person_id,
                        int (*fn)(const struct store_thread_summary *t, void *userdata),
                        void *userdata)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT contact_id, "
	                     "SUM(direction = 'in' AND status = 'delivered' AND read_at = 0 AND "
	                     "author = ''), "
	                     "SUM(direction = 'in' AND status = 'delivered' AND read_at = 0 AND "
	                     "author != ''), "
	                     "MAX(CASE WHEN direction = 'in' AND author = '' AND status != "
	                     "'delivered' THEN 0 ELSE created_at END) "
	                     "FROM messages WHERE person_id = ? GROUP BY contact_id "
	                     "ORDER BY contact_id",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, person_id);
	while ((r = store_step_row(st.st)) == 1) {
		struct store_thread_summary t = {
		        .contact_id = sqlite3_column_int64(st.st, 0),
		        .unread_contact = sqlite3_column_int64(st.st, 1),
		        .unread_staff = sqlite3_column_int64(st.st, 2),
		        .last_at = sqlite3_column_int64(st.st, 3),
		};

		r = fn(&t, userdata);
		if (r != 0)
			break;
	}
	return stmt_release(&st, r > 0 ? 0 : r);
}

int
store_message_mark_read(struct store *s, int64_t person_id, int64_t contact_id, int64_t up_to_id,
                        bool include_contact, int64_t now, int64_t *ret_count)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "UPDATE messages SET read_at = ?1 WHERE person_id = ?2 AND "
	                     "contact_id = ?3 AND direction = 'in' AND status = 'delivered' AND "
	                     "read_at = 0 AND id <= ?4 AND (?5 OR author != '')",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, now);
	sqlite3_bind_int64(st.st, 2, person_id);
	sqlite3_bind_int64(st.st, 3, contact_id);
	sqlite3_bind_int64(st.st, 4, up_to_id > 0 ? up_to_id : INT64_MAX);
	sqlite3_bind_int(st.st, 5, include_contact);
	r = store_step_done(st.st);
	if (r == 0)
		*ret_count = sqlite3_changes(s->db);
	return stmt_release(&st, r);
}

int
store_message_count_sent(struct store *s, int64_t person_id, int64_t since, int64_t *ret_count)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT count(*) FROM messages WHERE person_id = ? AND "
	                     "created_at >= ? AND kind = 'message' AND direction = 'out' AND "
	                     "contact_id > 0",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, person_id);
	sqlite3_bind_int64(st.st, 2, since);
	return stmt_release(&st, store_fetch_int64(st.st, ret_count));
}

int
store_message_count_written(struct store *s, int64_t person_id, int64_t since, int64_t *ret_count)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT count(*) FROM messages WHERE person_id = ? AND "
	                     "created_at >= ? AND direction = 'out'",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, person_id);
	sqlite3_bind_int64(st.st, 2, since);
	return stmt_release(&st, store_fetch_int64(st.st, ret_count));
}

int
store_message_decide(struct store *s, int64_t id, const char *from, const char *to,
                     const char *reason, const char *staff_id, int64_t now)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "UPDATE messages SET status = ?1, reason = COALESCE(?2, reason), "
	                     "decided_by = ?3, decided_at = ?4 WHERE id = ?5 AND status = ?6",
	                     &st);

	if (r < 0)
		return r;
	store_bind_text(st.st, 1, to, 0);
	store_bind_text(st.st, 2, reason, 0);
	store_bind_text(st.st, 3, staff_id, 0);
	sqlite3_bind_int64(st.st, 4, now);
	sqlite3_bind_int64(st.st, 5, id);
	store_bind_text(st.st, 6, from, 0);
	r = stmt_release(&st, store_step_done(st.st));
	if (r == 0 && sqlite3_changes(s->db) == 0) {
		struct store_message m;

		r = store_message_get(s, id, &m);
		return r < 0 ? r : -ESTALE;
	}
	return r;
}

int
store_message_list_status(struct store *s, const char *status, const char *establishment,
                          int64_t after_id, int limit,
                          int (*fn)(const struct store_message *m, void *userdata), void *userdata,
                          bool *ret_more)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT " MESSAGE_COLUMNS " FROM messages m JOIN people p "
	                     "ON p.id = m.person_id WHERE m.status = ?1 AND m.id > ?2 AND "
	                     "(?3 IS NULL OR p.establishment = ?3) AND NOT (m.kind = 'message' "
	                     "AND m.status = 'waiting') ORDER BY m.id LIMIT ?4",
	                     &st);

	if (r < 0)
		return r;
	store_bind_text(st.st, 1, status, 0);
	sqlite3_bind_int64(st.st, 2, after_id);
	store_bind_text(st.st, 3, establishment, 1);
	sqlite3_bind_int(st.st, 4, limit + 1);
	return visit_messages(&st, limit, fn, userdata, ret_more);
}

int
store_message_outbox(struct store *s, int64_t after_id, int limit,
                     int (*fn)(const struct store_message *m, void *userdata), void *userdata,
                     bool *ret_more)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT " MESSAGE_COLUMNS " FROM messages m JOIN people p "
	                     "ON p.id = m.person_id WHERE m.kind = 'message' AND "
	                     "m.direction = 'out' AND m.contact_id > 0 AND "
	                     "m.status = 'delivered' AND m.acked_at = 0 AND m.id > ?1 "
	                     "ORDER BY m.id LIMIT ?2",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, after_id);
	sqlite3_bind_int(st.st, 2, limit + 1);
	return visit_messages(&st, limit, fn, userdata, ret_more);
}

int
store_message_ack(struct store *s, int64_t id, int64_t now)
{
	struct stmt st;
	int64_t acked = 0;
	int r = stmt_prepare(s,
	                     "SELECT acked_at FROM messages WHERE id = ? AND kind = 'message' AND "
	                     "direction = 'out' AND contact_id > 0 AND status = 'delivered'",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, id);
	r = stmt_release(&st, store_fetch_int64(st.st, &acked));
	if (r < 0 || acked != 0)
		return r;
	r = stmt_prepare(s, "UPDATE messages SET acked_at = ? WHERE id = ? AND acked_at = 0", &st);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, now);
	sqlite3_bind_int64(st.st, 2, id);
	return stmt_release(&st, store_step_done(st.st));
}

int
store_message_waiting(struct store *s, int64_t person_id, int64_t *ret_ids, size_t size,
                      size_t *ret_count)
{
	struct stmt st;
	size_t n = 0;
	int r = stmt_prepare(
	        s,
	        "SELECT id FROM messages WHERE kind = 'message' AND status = 'waiting' "
	        "AND direction = 'out' AND (?1 = 0 OR person_id = ?1) ORDER BY id "
	        "LIMIT ?2",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, person_id);
	sqlite3_bind_int64(st.st, 2, (sqlite3_int64)size);
	while (n < size && (r = store_step_row(st.st)) == 1)
		ret_ids[n++] = sqlite3_column_int64(st.st, 0);
	r = stmt_release(&st, r < 0 ? r : 0);
	if (r == 0)
		*ret_count = n;
	return r;
}

int
store_message_release_waiting(struct store *s, const struct store_message *m)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "UPDATE messages SET status = ?1, reason = ?2, policies = ?3, "
	                     "matched = ?4, created_at = ?5 WHERE id = ?6 AND kind = 'message' "
	                     "AND status = 'waiting'",
	                     &st);

	if (r < 0)
		return r;
	store_bind_text(st.st, 1, m->status, 0);
	store_bind_text(st.st, 2, m->reason, 0);
	store_bind_text(st.st, 3, m->policies, 0);
	store_bind_text(st.st, 4, m->matched, 0);
	sqlite3_bind_int64(st.st, 5, m->created_at);
	sqlite3_bind_int64(st.st, 6, m->id);
	r = stmt_release(&st, store_step_done(st.st));
	if (r == 0 && sqlite3_changes(s->db) == 0) {
		struct store_message *old = calloc(1, sizeof(*old));

		r = old ? store_message_get(s, m->id, old) : -ENOMEM;
		free(old);
		return r < 0 ? r : -ESTALE;
	}
	return r;
}

int
store_message_cancel(struct store *s, int64_t person_id, int64_t id)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "DELETE FROM messages WHERE id = ? AND person_id = ? AND "
	                     "kind = 'message' AND direction = 'out' AND status = 'waiting'",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, id);
	sqlite3_bind_int64(st.st, 2, person_id);
	r = stmt_release(&st, store_step_done(st.st));
	if (r == 0 && sqlite3_changes(s->db) == 0)
		r = -ENOENT;
	return r;
}

int
store_message_own_texts(struct store *s, int64_t person_id, int limit,
                        int (*fn)(const char *text, void *userdata), void *userdata)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT text FROM messages WHERE person_id = ? AND kind = 'message' "
	                     "AND direction = 'out' ORDER BY id DESC LIMIT ?",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, person_id);
	sqlite3_bind_int(st.st, 2, limit);
	while ((r = store_step_row(st.st)) == 1) {
		const char *text = (const char *)sqlite3_column_text(st.st, 0);

		r = fn(text ? text : "", userdata);
		if (r != 0)
			break;
	}
	return stmt_release(&st, r > 0 ? 0 : r);
}

int
store_message_count_reviews(struct store *s, int64_t about, int64_t *ret_count)
{
	struct stmt st;
	int r = stmt_prepare(s, "SELECT count(*) FROM messages WHERE kind = 'review' AND about = ?",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, about);
	return stmt_release(&st, store_fetch_int64(st.st, ret_count));
}

/* ---- refusals ---- */

static int
row_to_refusal(sqlite3_stmt *st, void *ret)
{
	struct store_message_refusal *f = ret;
	int r = 0;

	f->id = sqlite3_column_int64(st, 0);
	f->person_id = sqlite3_column_int64(st, 1);
	f->contact_id = sqlite3_column_int64(st, 2);
	r = r ?: store_column_text(st, 3, f->text, sizeof(f->text));
	r = r ?: store_column_text(st, 4, f->reason, sizeof(f->reason));
	r = r ?: store_column_text(st, 5, f->policies, sizeof(f->policies));
	f->reviewed = sqlite3_column_int(st, 6) != 0;
	f->created_at = sqlite3_column_int64(st, 7);
	return r;
}

int
store_message_refusal_insert(struct store *s, const struct store_message_refusal *f,
                             int64_t *ret_id)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "INSERT INTO message_refusals (person_id, contact_id, text, reason, "
	                     "policies, created_at) VALUES (?, ?, ?, ?, ?, ?)",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, f->person_id);
	sqlite3_bind_int64(st.st, 2, f->contact_id);
	store_bind_text(st.st, 3, f->text, 0);
	store_bind_text(st.st, 4, f->reason, 0);
	store_bind_text(st.st, 5, f->policies, 0);
	sqlite3_bind_int64(st.st, 6, f->created_at);
	r = store_step_done(st.st);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return stmt_release(&st, r);
}

int
store_message_refusal_get(struct store *s, int64_t id, struct store_message_refusal *ret)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT id, person_id, contact_id, text, reason, policies, reviewed, "
	                     "created_at FROM message_refusals WHERE id = ?",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, id);
	return stmt_release(&st, store_fetch_one(st.st, row_to_refusal, ret));
}

int
store_message_refusal_reviewed(struct store *s, int64_t id)
{
	struct stmt st;
	int r = stmt_prepare(
	        s, "UPDATE message_refusals SET reviewed = 1 WHERE id = ? AND reviewed = 0", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, id);
	r = stmt_release(&st, store_step_done(st.st));
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ESTALE;
	return r;
}

int
store_message_refusal_count(struct store *s, int64_t person_id, int64_t since, int64_t *ret_count)
{
	struct stmt st;
	int r = stmt_prepare(
	        s, "SELECT count(*) FROM message_refusals WHERE person_id = ? AND created_at >= ?",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, person_id);
	sqlite3_bind_int64(st.st, 2, since);
	return stmt_release(&st, store_fetch_int64(st.st, ret_count));
}

/* ---- staff reads ---- */

int
store_message_staff_read_add(struct store *s, const struct store_staff_read *rd)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "INSERT INTO message_staff_reads (person_id, contact_id, staff_id, "
	                     "role, via, messages, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, rd->person_id);
	sqlite3_bind_int64(st.st, 2, rd->contact_id);
	store_bind_text(st.st, 3, rd->staff_id, 0);
	store_bind_text(st.st, 4, rd->role, 0);
	store_bind_text(st.st, 5, rd->via, 0);
	sqlite3_bind_int64(st.st, 6, rd->messages);
	sqlite3_bind_int64(st.st, 7, rd->at);
	return stmt_release(&st, store_step_done(st.st));
}

int
store_message_staff_reads(struct store *s, int64_t person_id, int64_t contact_id, int limit,
                          int (*fn)(const struct store_staff_read *r, void *userdata),
                          void *userdata)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "SELECT person_id, contact_id, staff_id, role, via, messages, at "
	                     "FROM message_staff_reads WHERE person_id = ? AND contact_id = ? "
	                     "ORDER BY id DESC LIMIT ?",
	                     &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, person_id);
	sqlite3_bind_int64(st.st, 2, contact_id);
	sqlite3_bind_int(st.st, 3, limit);
	while ((r = store_step_row(st.st)) == 1) {
		struct store_staff_read rd = {
		        .person_id = sqlite3_column_int64(st.st, 0),
		        .contact_id = sqlite3_column_int64(st.st, 1),
		        .messages = sqlite3_column_int64(st.st, 5),
		        .at = sqlite3_column_int64(st.st, 6),
		};

		r = store_column_text(st.st, 2, rd.staff_id, sizeof(rd.staff_id));
		r = r ?: store_column_text(st.st, 3, rd.role, sizeof(rd.role));
		r = r ?: store_column_text(st.st, 4, rd.via, sizeof(rd.via));
		r = r ?: fn(&rd, userdata);
		if (r != 0)
			break;
	}
	return stmt_release(&st, r > 0 ? 0 : r);
}

/* ---- the word list ---- */

int
store_message_word_add(struct store *s, const char *word, const char *staff_id, int64_t now)
{
	struct stmt st;
	int r = stmt_prepare(
	        s, "INSERT INTO message_words (word, added_by, added_at) VALUES (?, ?, ?)", &st);

	if (r < 0)
		return r;
	store_bind_text(st.st, 1, word, 0);
	store_bind_text(st.st, 2, staff_id, 0);
	sqlite3_bind_int64(st.st, 3, now);
	return stmt_release(&st, store_step_done(st.st));
}

int
store_message_word_remove(struct store *s, const char *word)
{
	struct stmt st;
	int r = stmt_prepare(s, "DELETE FROM message_words WHERE word = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st.st, 1, word, 0);
	r = stmt_release(&st, store_step_done(st.st));
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_message_word_count(struct store *s, int64_t *ret_count)
{
	struct stmt st;
	int r = stmt_prepare(s, "SELECT count(*) FROM message_words", &st);

	if (r < 0)
		return r;
	return stmt_release(&st, store_fetch_int64(st.st, ret_count));
}

int
store_message_words(struct store *s,
                    int (*fn)(const char *word, const char *added_by, int64_t added_at,
                              void *userdata),
                    void *userdata)
{
	struct stmt st;
	int r = stmt_prepare(s, "SELECT word, added_by, added_at FROM message_words ORDER BY word",
	                     &st);

	if (r < 0)
		return r;
	while ((r = store_step_row(st.st)) == 1) {
		char word[STORE_MESSAGE_WORD_MAX + 1], by[33];

		r = store_column_text(st.st, 0, word, sizeof(word));
		r = r ?: store_column_text(st.st, 1, by, sizeof(by));
		r = r ?: fn(word, by, sqlite3_column_int64(st.st, 2), userdata);
		if (r != 0)
			break;
	}
	return stmt_release(&st, r > 0 ? 0 : r);
}

/* ---- settings ---- */

int
store_message_setting_get(struct store *s, const char *key, int64_t *ret_value)
{
	struct stmt st;
	int r = stmt_prepare(s, "SELECT value FROM message_settings WHERE key = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st.st, 1, key, 0);
	return stmt_release(&st, store_fetch_int64(st.st, ret_value));
}

int
store_message_setting_set(struct store *s, const char *key, int64_t value, const char *staff_id,
                          int64_t now)
{
	struct stmt st;
	int r = stmt_prepare(s,
	                     "INSERT OR REPLACE INTO message_settings (key, value, set_by, set_at) "
	                     "VALUES (?, ?, ?, ?)",
	                     &st);

	if (r < 0)
		return r;
	store_bind_text(st.st, 1, key, 0);
	sqlite3_bind_int64(st.st, 2, value);
	store_bind_text(st.st, 3, staff_id, 0);
	sqlite3_bind_int64(st.st, 4, now);
	return stmt_release(&st, store_step_done(st.st));
}

int
store_message_settings(struct store *s,
                       int (*fn)(const char *key, int64_t value, const char *set_by, int64_t set_at,
                                 void *userdata),
                       void *userdata)
{
	struct stmt st;
	int r = stmt_prepare(
	        s, "SELECT key, value, set_by, set_at FROM message_settings ORDER BY key", &st);

	if (r < 0)
		return r;
	while ((r = store_step_row(st.st)) == 1) {
		char key[64], by[33];

		r = store_column_text(st.st, 0, key, sizeof(key));
		r = r ?: store_column_text(st.st, 2, by, sizeof(by));
		r = r
		            ?: fn(key, sqlite3_column_int64(st.st, 1), by,
		                  sqlite3_column_int64(st.st, 3), userdata);
		if (r != 0)
			break;
	}
	return stmt_release(&st, r > 0 ? 0 : r);
}

/* ---- retention ---- */

static int
shortest_retention(const char *key, int64_t value, const char *set_by, int64_t set_at,
                   void *userdata)
{
	int64_t *days = userdata;

	if (strncmp(key, "retention_days", 14) == 0 && value > 0 && value < *days)
		*days = value;
	return 0;
}

/* Deletes rows of one table older than their person's retention (sql binds ?1 now,
 * ?2 default days, ?3 the oldest cutoff any establishment could have). */
static int
expire_table(struct store *s, const char *sql, int64_t now, int64_t default_days,
             int64_t earliest_cutoff, int64_t *count)
{
	struct stmt st;
	int r = stmt_prepare(s, sql, &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st.st, 1, now);
	sqlite3_bind_int64(st.st, 2, default_days);
	sqlite3_bind_int64(st.st, 3, earliest_cutoff);
	r = stmt_release(&st, store_step_done(st.st));
	if (r == 0)
		*count += sqlite3_changes(s->db);
	return r;
}

/* The retention of the person in the row being tested, in seconds (?1 now, ?2 default). */
#define RETENTION_OF(person)                                                                       \
	"86400 * (SELECT COALESCE((SELECT value FROM message_settings WHERE key = "                \
	"'retention_days:' || p.establishment), (SELECT value FROM message_settings WHERE key = "  \
	"'retention_days'), ?2) FROM people p WHERE p.id = " person ")"

int
store_message_expire(struct store *s, int64_t now, int64_t default_days, int64_t *ret_count)
{
	int64_t shortest = default_days, count = 0, cutoff;
	int r = store_message_settings(s, shortest_retention, &shortest);

	if (r < 0)
		return r;
	cutoff = now - shortest * 86400;
	r = expire_table(s,
	                 "DELETE FROM messages WHERE created_at < ?3 AND "
	                 "created_at < ?1 - " RETENTION_OF("messages.person_id"),
	                 now, default_days, cutoff, &count);
	r = r
	            ?: expire_table(s,
	                            "DELETE FROM message_refusals WHERE created_at < ?3 AND "
	                            "created_at < ?1 - " RETENTION_OF("message_refusals.person_id"),
	                            now, default_days, cutoff, &count);
	r = r
	            ?: expire_table(s,
	                            "DELETE FROM message_staff_reads WHERE at < ?3 AND "
	                            "at < ?1 - " RETENTION_OF("message_staff_reads.person_id"),
	                            now, default_days, cutoff, &count);
	if (r == 0)
		*ret_count = count;
	return r;
}
