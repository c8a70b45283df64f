/*
 * Moves, trust and imported bundles (see moves.h).
 */
#include "moves.h"
#include "store_int.h"

#include <errno.h>
#include <stdbool.h>

#define MOVE_COLUMNS                                                                               \
	"id, person_id, kind, from_establishment, to_establishment, from_status, to_status, "      \
	"staff_id, at, detail"

static int
row_to_move(sqlite3_stmt *st, void *ret)
{
	struct store_move *m = ret;
	int r = 0;

	m->id = sqlite3_column_int64(st, 0);
	m->person_id = sqlite3_column_int64(st, 1);
	r = r ?: store_column_text(st, 2, m->kind, sizeof(m->kind));
	r = r ?: store_column_text(st, 3, m->from_establishment, sizeof(m->from_establishment));
	r = r ?: store_column_text(st, 4, m->to_establishment, sizeof(m->to_establishment));
	r = r ?: store_column_text(st, 5, m->from_status, sizeof(m->from_status));
	r = r ?: store_column_text(st, 6, m->to_status, sizeof(m->to_status));
	r = r ?: store_column_text(st, 7, m->staff_id, sizeof(m->staff_id));
	m->at = sqlite3_column_int64(st, 8);
	r = r ?: store_column_text(st, 9, m->detail, sizeof(m->detail));
	return r;
}

int
store_move_record(struct store *s, const struct store_move *m)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "INSERT INTO person_moves (person_id, kind, from_establishment, "
	                      "to_establishment, from_status, to_status, staff_id, at, detail) "
	                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, m->person_id);
	store_bind_text(st, 2, m->kind, 0);
	store_bind_text(st, 3, m->from_establishment, 0);
	store_bind_text(st, 4, m->to_establishment, 0);
	store_bind_text(st, 5, m->from_status, 0);
	store_bind_text(st, 6, m->to_status, 0);
	store_bind_text(st, 7, m->staff_id, 0);
	sqlite3_bind_int64(st, 8, m->at);
	store_bind_text(st, 9, m->detail[0] ? m->detail : "{}", 0);
	return store_step_done(st);
}

int
store_move_list(struct store *s, int64_t person_id,
                int (*fn)(const struct store_move *m, void *userdata), void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(s,
	                      "SELECT " MOVE_COLUMNS " FROM person_moves WHERE person_id = ? "
	                      "ORDER BY id",
	                      &st);

	if (r == 0)
		sqlite3_bind_int64(st, 1, person_id);
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_move m;

		r = row_to_move(st, &m);
		if (r == 0)
			r = fn(&m, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}

int
store_person_set_moved_out(struct store *s, int64_t person_id, const char *to, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "UPDATE people SET moved_out = ?, updated_at = ? WHERE id = ?",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, to, 0);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, person_id);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_person_get_moved_out(struct store *s, int64_t person_id, char *ret_to, size_t size)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT moved_out FROM people WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	return store_fetch_text(st, ret_to, size);
}

int
store_person_get_move_seq(struct store *s, int64_t person_id, int64_t *ret_seq)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT move_seq FROM people WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	r = store_step_row(st);
	if (r == 1)
		*ret_seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return r == 1 ? 0 : r == 0 ? -ENOENT : r;
}

int
store_person_set_move_seq(struct store *s, int64_t person_id, int64_t seq)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "UPDATE people SET move_seq = ? WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, person_id);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

static int
row_to_trusted(sqlite3_stmt *st, void *ret)
{
	struct store_trusted *t = ret;
	int r = 0;

	r = r ?: store_column_text(st, 0, t->fingerprint, sizeof(t->fingerprint));
	r = r ?: store_column_text(st, 1, t->code, sizeof(t->code));
	r = r ?: store_column_text(st, 2, t->name, sizeof(t->name));
	r = r ?: store_column_text(st, 3, t->kind, sizeof(t->kind));
	r = r ?: store_column_text(st, 4, t->certificate, sizeof(t->certificate));
	r = r ?: store_column_text(st, 5, t->added_by, sizeof(t->added_by));
	t->added_at = sqlite3_column_int64(st, 6);
	return r;
}

int
store_trust_add(struct store *s, const struct store_trusted *t)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "INSERT INTO trusted_senders (fingerprint, code, name, kind, "
	                      "certificate, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, t->fingerprint, 0);
	store_bind_text(st, 2, t->code, 0);
	store_bind_text(st, 3, t->name, 0);
	store_bind_text(st, 4, t->kind, 0);
	store_bind_text(st, 5, t->certificate, 0);
	store_bind_text(st, 6, t->added_by, 0);
	sqlite3_bind_int64(st, 7, t->added_at);
	return store_step_done(st);
}

int
store_trust_list(struct store *s, int (*fn)(const struct store_trusted *t, void *userdata),
                 void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(
	        s,
	        "SELECT fingerprint, code, name, kind, certificate, added_by, added_at "
	        "FROM trusted_senders ORDER BY code, added_at",
	        &st);

	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_trusted t;

		r = row_to_trusted(st, &t);
		if (r == 0)
			r = fn(&t, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}

int
store_bundle_record(struct store *s, const char *id, const char *sender, const char *prison_number,
                    int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(
	        s,
	        "INSERT INTO bundles_imported (id, sender, prison_number, imported_at) "
	        "VALUES (?, ?, ?, ?)",
	        &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	store_bind_text(st, 2, sender, 0);
	store_bind_text(st, 3, prison_number, 0);
	sqlite3_bind_int64(st, 4, now);
	return store_step_done(st);
}

static int
row_exists(sqlite3_stmt *st, void *ret)
{
	*(bool *)ret = true;
	return 0;
}

int
store_bundle_seen(struct store *s, const char *id, bool *ret_seen)
{
	sqlite3_stmt *st;
	bool seen = false;
	int r = store_prepare(s, "SELECT 1 FROM bundles_imported WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	r = store_fetch_one(st, row_exists, &seen);
	if (r == -ENOENT)
		r = 0;
	if (r == 0)
		*ret_seen = seen;
	return r;
}

/* Runs a statement whose only parameter is the person's id. */
static int
exec_for_person(struct store *s, const char *sql, int64_t person_id)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, sql, &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	return store_step_done(st);
}

int
store_move_clear(struct store *s, int64_t person_id)
{
	return exec_for_person(s, "DELETE FROM person_moves WHERE person_id = ?", person_id);
}

int
store_imported_audit_clear(struct store *s, int64_t person_id)
{
	return exec_for_person(s, "DELETE FROM imported_audit WHERE person_id = ?", person_id);
}

int
store_imported_audit_add(struct store *s, int64_t person_id, const char *sender,
                         const char *row_json)
{
	sqlite3_stmt *st;
	int r = store_prepare(
	        s, "INSERT INTO imported_audit (person_id, sender, row) VALUES (?, ?, ?)", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	store_bind_text(st, 2, sender, 0);
	store_bind_text(st, 3, row_json, 0);
	return store_step_done(st);
}

int
store_imported_audit_list(struct store *s, int64_t person_id,
                          int (*fn)(const char *sender, const char *row_json, void *userdata),
                          void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(
	        s, "SELECT sender, row FROM imported_audit WHERE person_id = ? ORDER BY id", &st);

	if (r == 0)
		sqlite3_bind_int64(st, 1, person_id);
	while (r == 0 && (r = store_step_row(st)) == 1)
		r = fn((const char *)sqlite3_column_text(st, 0),
		       (const char *)sqlite3_column_text(st, 1), userdata);
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}
