/*
 * Appointments, change requests, reminders and lead times (see appointments.h). Every
 * state change names the state it expects in its WHERE clause, so a stale or repeated call
 * changes nothing and says so (-EALREADY); the partial unique indexes of migration 9 keep
 * one open request per appointment and one reminder per appointment and lead time.
 * Statements are prepared per call rather than kept in the shared cache (none is hot
 * enough to need it, and the cache is sized for the core's own).
 */
#include "appointments.h"

#include "store_int.h"

#include <errno.h>
#include <stdio.h>

#define APPOINTMENT_COLUMNS                                                                        \
	"a.id, a.person_id, p.prison_number, a.kind, a.starts_at, a.minutes, a.place, "            \
	"a.with_whom, a.status, a.cancel_reason, a.confirmed_at, a.created_by, a.created_at, "     \
	"a.updated_at, (SELECT q.id FROM appointment_requests q WHERE q.appointment_id = a.id "    \
	"AND q.status = 'open')"
#define APPOINTMENT_NCOLUMNS 15

#define REQUEST_COLUMNS                                                                            \
	"q.id, q.appointment_id, q.reason, q.status, q.answer, q.answered_by, q.answered_at, "     \
	"q.created_at"

#define REMINDER_COLUMNS                                                                           \
	"m.id, m.appointment_id, m.person_id, m.kind, m.lead, m.note, m.due_at, m.expires_at, "    \
	"m.state, m.shown_at, m.dismissed_at, m.created_at"
#define REMINDER_NCOLUMNS 12

/* Steps a finished statement, finalizes it, and turns "no row changed" into -EALREADY. */
static int
change(struct store *s, sqlite3_stmt *st)
{
	int r = store_step_done(st);

	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -EALREADY;
	return r;
}

/* Reads the appointment columns starting at column first. */
static int
columns_to_appointment(sqlite3_stmt *st, int first, struct store_appointment *a)
{
	int r = 0, i = first;

	a->id = sqlite3_column_int64(st, i++);
	a->person_id = sqlite3_column_int64(st, i++);
	r = r ?: store_column_text(st, i++, a->prison_number, sizeof(a->prison_number));
	r = r ?: store_column_text(st, i++, a->kind, sizeof(a->kind));
	a->starts_at = sqlite3_column_int64(st, i++);
	a->minutes = sqlite3_column_int(st, i++);
	r = r ?: store_column_text(st, i++, a->place, sizeof(a->place));
	r = r ?: store_column_text(st, i++, a->with, sizeof(a->with));
	r = r ?: store_column_text(st, i++, a->status, sizeof(a->status));
	r = r ?: store_column_text(st, i++, a->cancel_reason, sizeof(a->cancel_reason));
	a->confirmed_at = sqlite3_column_int64(st, i++);
	r = r ?: store_column_text(st, i++, a->created_by, sizeof(a->created_by));
	a->created_at = sqlite3_column_int64(st, i++);
	a->updated_at = sqlite3_column_int64(st, i++);
	a->open_request = sqlite3_column_int64(st, i++);
	return r;
}

static int
row_to_appointment(sqlite3_stmt *st, void *ret)
{
	return columns_to_appointment(st, 0, ret);
}

int
store_appointment_insert(struct store *s, const struct store_appointment *a, int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "INSERT INTO appointments (person_id, kind, starts_at, minutes, place, "
	        "with_whom, created_by, created_at, updated_at) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, a->person_id);
	store_bind_text(st, 2, a->kind, 0);
	sqlite3_bind_int64(st, 3, a->starts_at);
	sqlite3_bind_int(st, 4, a->minutes);
	store_bind_text(st, 5, a->place, 0);
	store_bind_text(st, 6, a->with, 0);
	store_bind_text(st, 7, a->created_by, 0);
	sqlite3_bind_int64(st, 8, a->created_at);
	r = store_step_done(st);
	sqlite3_finalize(st);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
store_appointment_get(struct store *s, int64_t id, struct store_appointment *ret)
{
	sqlite3_stmt *st;
	struct store_appointment a;
	int r = store_prepare_uncached(s,
	                               "SELECT " APPOINTMENT_COLUMNS
	                               " FROM appointments a JOIN people p "
	                               "ON p.id = a.person_id WHERE a.id = ?",
	                               &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	r = store_fetch_one(st, row_to_appointment, &a);
	sqlite3_finalize(st);
	if (r == 0)
		*ret = a;
	return r;
}

int
store_appointment_move(struct store *s, int64_t id, int64_t starts_at, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "UPDATE appointments SET starts_at = ?2, confirmed_at = 0, updated_at = ?3 "
	        "WHERE id = ?1 AND status = 'booked'",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, starts_at);
	sqlite3_bind_int64(st, 3, now);
	return change(s, st);
}

int
store_appointment_cancel(struct store *s, int64_t id, const char *reason, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "UPDATE appointments SET status = 'cancelled', cancel_reason = ?2, "
	        "updated_at = ?3 WHERE id = ?1 AND status = 'booked'",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, reason ? reason : "", 0);
	sqlite3_bind_int64(st, 3, now);
	return change(s, st);
}

int
store_appointment_confirm(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s,
	                               "UPDATE appointments SET confirmed_at = "
	                               "CASE WHEN confirmed_at = 0 THEN ?2 ELSE confirmed_at END "
	                               "WHERE id = ?1 AND status = 'booked'",
	                               &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return change(s, st);
}

int
store_appointment_list(struct store *s, int64_t person_id, int64_t from, int64_t to,
                       int (*fn)(const struct store_appointment *a, void *userdata), void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT " APPOINTMENT_COLUMNS " FROM appointments a JOIN people p "
	        "ON p.id = a.person_id WHERE a.person_id = ?1 AND a.starts_at >= ?2 "
	        "AND a.starts_at < ?3 ORDER BY a.starts_at, a.id LIMIT ?4",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int(st, 4, APPOINTMENT_LIST_MAX);
	while ((r = store_step_row(st)) == 1) {
		struct store_appointment a;

		r = row_to_appointment(st, &a);
		if (r == 0)
			r = fn(&a, userdata);
		if (r < 0)
			break;
	}
	sqlite3_finalize(st);
	return r;
}

int
store_appointment_next(struct store *s, int64_t person_id, int64_t now,
                       struct store_appointment *ret)
{
	sqlite3_stmt *st;
	struct store_appointment a;
	int r = store_prepare_uncached(
	        s,
	        "SELECT " APPOINTMENT_COLUMNS " FROM appointments a JOIN people p "
	        "ON p.id = a.person_id WHERE a.person_id = ?1 AND a.status = 'booked' "
	        "AND a.starts_at + a.minutes * 60 > ?2 ORDER BY a.starts_at, a.id LIMIT 1",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_int64(st, 2, now);
	r = store_fetch_one(st, row_to_appointment, &a);
	sqlite3_finalize(st);
	if (r == 0)
		*ret = a;
	return r;
}

/* ---- requests ---- */

static int
columns_to_request(sqlite3_stmt *st, int first, struct store_appointment_request *q)
{
	int r = 0, i = first;

	q->id = sqlite3_column_int64(st, i++);
	q->appointment_id = sqlite3_column_int64(st, i++);
	r = r ?: store_column_text(st, i++, q->reason, sizeof(q->reason));
	r = r ?: store_column_text(st, i++, q->status, sizeof(q->status));
	r = r ?: store_column_text(st, i++, q->answer, sizeof(q->answer));
	r = r ?: store_column_text(st, i++, q->answered_by, sizeof(q->answered_by));
	q->answered_at = sqlite3_column_int64(st, i++);
	q->created_at = sqlite3_column_int64(st, i++);
	return r;
}

static int
row_to_request(sqlite3_stmt *st, void *ret)
{
	return columns_to_request(st, 0, ret);
}

int
store_appointment_request_insert(struct store *s, const struct store_appointment_request *q,
                                 int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "INSERT INTO appointment_requests (appointment_id, reason, created_at) "
	        "VALUES (?, ?, ?)",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, q->appointment_id);
	store_bind_text(st, 2, q->reason, 0);
	sqlite3_bind_int64(st, 3, q->created_at);
	r = store_step_done(st);
	sqlite3_finalize(st);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return r;
}

static int
request_fetch(struct store *s, const char *sql, int64_t id, struct store_appointment_request *ret)
{
	sqlite3_stmt *st;
	struct store_appointment_request q;
	int r = store_prepare_uncached(s, sql, &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	r = store_fetch_one(st, row_to_request, &q);
	sqlite3_finalize(st);
	if (r == 0)
		*ret = q;
	return r;
}

int
store_appointment_request_get(struct store *s, int64_t id, struct store_appointment_request *ret)
{
	return request_fetch(
	        s, "SELECT " REQUEST_COLUMNS " FROM appointment_requests q WHERE q.id = ?", id,
	        ret);
}

int
store_appointment_request_latest(struct store *s, int64_t appointment_id,
                                 struct store_appointment_request *ret)
{
	return request_fetch(s,
	                     "SELECT " REQUEST_COLUMNS " FROM appointment_requests q "
	                     "WHERE q.appointment_id = ? ORDER BY q.id DESC LIMIT 1",
	                     appointment_id, ret);
}

int
store_appointment_request_answer(struct store *s, int64_t id, const char *status,
                                 const char *answer, const char *staff_id, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "UPDATE appointment_requests SET status = ?2, answer = ?3, "
	        "answered_by = ?4, answered_at = ?5 WHERE id = ?1 AND status = 'open'",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, status, 0);
	store_bind_text(st, 3, answer, 0);
	store_bind_text(st, 4, staff_id, 0);
	sqlite3_bind_int64(st, 5, now);
	return change(s, st);
}

int
store_appointment_request_list(struct store *s, const char *establishment, bool open_only,
                               int limit,
                               int (*fn)(const struct store_appointment_request *q,
                                         const struct store_appointment *a, void *userdata),
                               void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT " REQUEST_COLUMNS ", " APPOINTMENT_COLUMNS
	        " FROM appointment_requests q JOIN appointments a "
	        "ON a.id = q.appointment_id JOIN people p ON p.id = a.person_id "
	        "WHERE (?1 IS NULL OR p.establishment = ?1) "
	        "AND (?2 = 0 OR q.status = 'open') ORDER BY q.id LIMIT ?3",
	        &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, establishment, 1);
	sqlite3_bind_int(st, 2, open_only);
	sqlite3_bind_int(st, 3, limit);
	while ((r = store_step_row(st)) == 1) {
		struct store_appointment_request q;
		struct store_appointment a;

		r = columns_to_request(st, 0, &q);
		r = r ?: columns_to_appointment(st, 8, &a);
		if (r == 0)
			r = fn(&q, &a, userdata);
		if (r < 0)
			break;
	}
	sqlite3_finalize(st);
	return r;
}

/* ---- reminders ---- */

static int
columns_to_reminder(sqlite3_stmt *st, int first, struct store_reminder *m)
{
	int r = 0, i = first;

	m->id = sqlite3_column_int64(st, i++);
	m->appointment_id = sqlite3_column_int64(st, i++);
	m->person_id = sqlite3_column_int64(st, i++);
	r = r ?: store_column_text(st, i++, m->kind, sizeof(m->kind));
	r = r ?: store_column_text(st, i++, m->lead, sizeof(m->lead));
	r = r ?: store_column_text(st, i++, m->note, sizeof(m->note));
	m->due_at = sqlite3_column_int64(st, i++);
	m->expires_at = sqlite3_column_int64(st, i++);
	r = r ?: store_column_text(st, i++, m->state, sizeof(m->state));
	m->shown_at = sqlite3_column_int64(st, i++);
	m->dismissed_at = sqlite3_column_int64(st, i++);
	m->created_at = sqlite3_column_int64(st, i++);
	return r;
}

static int
row_to_reminder(sqlite3_stmt *st, void *ret)
{
	return columns_to_reminder(st, 0, ret);
}

int
store_reminder_insert(struct store *s, const struct store_reminder *m, int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "INSERT INTO reminders (appointment_id, person_id, kind, lead, note, due_at, "
	        "expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, m->appointment_id);
	sqlite3_bind_int64(st, 2, m->person_id);
	store_bind_text(st, 3, m->kind, 0);
	store_bind_text(st, 4, m->lead, 0);
	store_bind_text(st, 5, m->note, 0);
	sqlite3_bind_int64(st, 6, m->due_at);
	sqlite3_bind_int64(st, 7, m->expires_at);
	sqlite3_bind_int64(st, 8, m->created_at);
	r = store_step_done(st);
	sqlite3_finalize(st);
	if (r == 0 && ret_id)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
store_reminder_clear(struct store *s, int64_t appointment_id, const char *kind)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "DELETE FROM reminders WHERE appointment_id = ?1 AND kind = ?2 "
	        "AND (?2 = 'before' OR state != 'dismissed')",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, appointment_id);
	store_bind_text(st, 2, kind, 0);
	r = store_step_done(st);
	sqlite3_finalize(st);
	return r;
}

/* Due for the person at ?2, and dismissed ones too when ?4: see store_reminder_due. */
#define REMINDER_DUE_WHERE                                                                         \
	"m.person_id = ?1 AND (m.state != 'dismissed' OR ?4) AND m.due_at <= ?2 "                  \
	"AND m.expires_at > ?2 AND (m.kind != 'before' OR a.status = 'booked')"

int
store_reminder_due(struct store *s, int64_t person_id, int64_t now, bool dismissed_too, int limit,
                   int (*fn)(const struct store_reminder *m, const struct store_appointment *a,
                             void *userdata),
                   void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT " REMINDER_COLUMNS ", " APPOINTMENT_COLUMNS
	        " FROM reminders m JOIN appointments a ON a.id = m.appointment_id "
	        "JOIN people p ON p.id = a.person_id WHERE " REMINDER_DUE_WHERE
	        " ORDER BY m.due_at, m.id LIMIT ?3",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, limit);
	sqlite3_bind_int(st, 4, dismissed_too);
	while ((r = store_step_row(st)) == 1) {
		struct store_reminder m;
		struct store_appointment a;

		r = columns_to_reminder(st, 0, &m);
		r = r ?: columns_to_appointment(st, REMINDER_NCOLUMNS, &a);
		if (r == 0)
			r = fn(&m, &a, userdata);
		if (r < 0)
			break;
	}
	sqlite3_finalize(st);
	return r;
}

int
store_reminder_count_due(struct store *s, int64_t person_id, int64_t now, int64_t *ret_count)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s,
	                               "SELECT count(*) FROM reminders m JOIN appointments a "
	                               "ON a.id = m.appointment_id WHERE " REMINDER_DUE_WHERE,
	                               &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 4, 0);
	r = store_step_row(st);
	if (r == 1) {
		*ret_count = sqlite3_column_int64(st, 0);
		r = 0;
	} else if (r == 0) {
		r = -EIO;
	}
	sqlite3_finalize(st);
	return r;
}

int
store_reminder_mark_shown(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s,
	                               "UPDATE reminders SET state = 'shown', shown_at = ?2 "
	                               "WHERE id = ?1 AND state = 'pending'",
	                               &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return change(s, st);
}

int
store_reminder_dismiss(struct store *s, int64_t id, int64_t person_id, int64_t now)
{
	struct store_reminder m;
	sqlite3_stmt *st;
	int r = store_reminder_get(s, id, &m);

	if (r < 0)
		return r;
	if (m.person_id != person_id)
		return -ENOENT;
	r = store_prepare_uncached(s,
	                           "UPDATE reminders SET state = 'dismissed', dismissed_at = ?2, "
	                           "shown_at = CASE WHEN shown_at = 0 THEN ?2 ELSE shown_at END "
	                           "WHERE id = ?1 AND state != 'dismissed'",
	                           &st);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return change(s, st);
}

int
store_reminder_get(struct store *s, int64_t id, struct store_reminder *ret)
{
	sqlite3_stmt *st;
	struct store_reminder m;
	int r = store_prepare_uncached(
	        s, "SELECT " REMINDER_COLUMNS " FROM reminders m WHERE m.id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	r = store_fetch_one(st, row_to_reminder, &m);
	sqlite3_finalize(st);
	if (r == 0)
		*ret = m;
	return r;
}

int
store_reminder_list(struct store *s, int64_t appointment_id,
                    int (*fn)(const struct store_reminder *m, void *userdata), void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s,
	                               "SELECT " REMINDER_COLUMNS
	                               " FROM reminders m WHERE m.appointment_id = ? "
	                               "ORDER BY m.due_at, m.id LIMIT 100",
	                               &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, appointment_id);
	while ((r = store_step_row(st)) == 1) {
		struct store_reminder m;

		r = row_to_reminder(st, &m);
		if (r == 0)
			r = fn(&m, userdata);
		if (r < 0)
			break;
	}
	sqlite3_finalize(st);
	return r;
}

/* ---- lead times ---- */

int
store_reminder_leads_get(struct store *s, const char *kind, char *ret_leads, size_t size)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(s, "SELECT leads FROM reminder_leads WHERE kind = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, kind, 0);
	r = store_step_row(st);
	if (r == 1)
		r = store_column_text(st, 0, ret_leads, size);
	else if (r == 0)
		r = -ENOENT;
	sqlite3_finalize(st);
	return r;
}

int
store_reminder_leads_set(struct store *s, const char *kind, const char *leads, const char *staff_id,
                         int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "UPDATE reminder_leads SET leads = ?2, updated_by = ?3, updated_at = ?4 "
	        "WHERE kind = ?1",
	        &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, kind, 0);
	store_bind_text(st, 2, leads, 0);
	store_bind_text(st, 3, staff_id, 0);
	sqlite3_bind_int64(st, 4, now);
	r = change(s, st);
	return r == -EALREADY ? -ENOENT : r;
}

int
store_reminder_leads_list(struct store *s,
                          int (*fn)(const char *kind, const char *leads, const char *updated_by,
                                    int64_t updated_at, void *userdata),
                          void *userdata)
{
	sqlite3_stmt *st;
	int r = store_prepare_uncached(
	        s,
	        "SELECT kind, leads, updated_by, updated_at FROM reminder_leads "
	        "ORDER BY kind",
	        &st);

	if (r < 0)
		return r;
	while ((r = store_step_row(st)) == 1) {
		char kind[16], leads[APPOINTMENT_LEADS_TEXT_MAX + 1], by[33];

		r = store_column_text(st, 0, kind, sizeof(kind));
		r = r ?: store_column_text(st, 1, leads, sizeof(leads));
		r = r ?: store_column_text(st, 2, by, sizeof(by));
		if (r == 0)
			r = fn(kind, leads, by, sqlite3_column_int64(st, 3), userdata);
		if (r < 0)
			break;
	}
	sqlite3_finalize(st);
	return r;
}
