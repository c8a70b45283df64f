/*
 * People: a person's record in custody and in the community, keyed by an internal id and
 * found by prison number. The PIN hash is read and written only through its own calls, so
 * it never travels in a struct that might be printed. Wrong PINs are counted here, in SQL,
 * so that PIN checks finishing in any order can never lose one.
 */
#include "store_int.h"

#include <errno.h>

#define PERSON_COLUMNS                                                                             \
	"id, prison_number, crn, given_name, family_name, status, incentive, establishment, "      \
	"release_date, flags, failed_logins, locked_until, created_at, updated_at, worker, "       \
	"moved_out, failed_at, pin_change"

static int
row_to_person(sqlite3_stmt *st, void *ret)
{
	struct store_person *p = ret;
	int r = 0;

	p->id = sqlite3_column_int64(st, 0);
	r = r ?: store_column_text(st, 1, p->prison_number, sizeof(p->prison_number));
	r = r ?: store_column_text(st, 2, p->crn, sizeof(p->crn));
	r = r ?: store_column_text(st, 3, p->given_name, sizeof(p->given_name));
	r = r ?: store_column_text(st, 4, p->family_name, sizeof(p->family_name));
	r = r ?: store_column_text(st, 5, p->status, sizeof(p->status));
	r = r ?: store_column_text(st, 6, p->incentive, sizeof(p->incentive));
	r = r ?: store_column_text(st, 7, p->establishment, sizeof(p->establishment));
	r = r ?: store_column_text(st, 8, p->release_date, sizeof(p->release_date));
	r = r ?: store_column_text(st, 9, p->flags, sizeof(p->flags));
	p->failed_logins = sqlite3_column_int(st, 10);
	p->locked_until = sqlite3_column_int64(st, 11);
	p->created_at = sqlite3_column_int64(st, 12);
	p->updated_at = sqlite3_column_int64(st, 13);
	r = r ?: store_column_text(st, 14, p->worker, sizeof(p->worker));
	r = r ?: store_column_text(st, 15, p->moved_out, sizeof(p->moved_out));
	p->failed_at = sqlite3_column_int64(st, 16);
	p->pin_change = sqlite3_column_int(st, 17) != 0;
	return r;
}

int
store_person_insert(struct store *s, const struct store_person *p, const char *pin_hash,
                    int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "INSERT INTO people (prison_number, crn, given_name, family_name, "
	                      "status, incentive, establishment, release_date, flags, pin_hash, "
	                      "created_at, updated_at, pin_change) "
	                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, p->prison_number, 0);
	store_bind_text(st, 2, p->crn, 1);
	store_bind_text(st, 3, p->given_name, 0);
	store_bind_text(st, 4, p->family_name, 0);
	store_bind_text(st, 5, p->status, 0);
	store_bind_text(st, 6, p->incentive, 0);
	store_bind_text(st, 7, p->establishment, 0);
	store_bind_text(st, 8, p->release_date, 0);
	store_bind_text(st, 9, p->flags, 0);
	store_bind_text(st, 10, pin_hash, 0);
	sqlite3_bind_int64(st, 11, p->created_at);
	sqlite3_bind_int64(st, 12, p->created_at);
	sqlite3_bind_int(st, 13, p->pin_change);
	r = store_step_done(st);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
store_person_get(struct store *s, int64_t id, struct store_person *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " PERSON_COLUMNS " FROM people WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_fetch_one(st, row_to_person, ret);
}

int
store_person_find(struct store *s, const char *prison_number, struct store_person *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " PERSON_COLUMNS " FROM people WHERE prison_number = ?",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, prison_number, 0);
	return store_fetch_one(st, row_to_person, ret);
}

int
store_person_list(struct store *s, const char *establishment, const char *after, int limit,
                  int (*fn)(const struct store_person *p, void *userdata), void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(s,
	                      "SELECT " PERSON_COLUMNS " FROM people "
	                      "WHERE (?1 IS NULL OR establishment = ?1) AND prison_number > ?2 "
	                      "ORDER BY prison_number LIMIT ?3",
	                      &st);

	if (r == 0) {
		store_bind_text(st, 1, establishment, 1);
		store_bind_text(st, 2, after ? after : "", 0);
		sqlite3_bind_int(st, 3, limit);
	}
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_person p;

		r = row_to_person(st, &p);
		if (r == 0)
			r = fn(&p, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}

/* A statement that changes one row by id: 0, or -ENOENT when no row had that id. */
static int
step_one_row_changed(struct store *s, sqlite3_stmt *st)
{
	int r = store_step_done(st);

	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_person_update(struct store *s, const struct store_person *p, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "UPDATE people SET crn = ?, given_name = ?, family_name = ?, "
	                      "status = ?, incentive = ?, establishment = ?, release_date = ?, "
	                      "flags = ?, updated_at = ?, worker = ? WHERE id = ?",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, p->crn, 1);
	store_bind_text(st, 2, p->given_name, 0);
	store_bind_text(st, 3, p->family_name, 0);
	store_bind_text(st, 4, p->status, 0);
	store_bind_text(st, 5, p->incentive, 0);
	store_bind_text(st, 6, p->establishment, 0);
	store_bind_text(st, 7, p->release_date, 0);
	store_bind_text(st, 8, p->flags, 0);
	sqlite3_bind_int64(st, 9, now);
	store_bind_text(st, 10, p->worker, 0);
	sqlite3_bind_int64(st, 11, p->id);
	return step_one_row_changed(s, st);
}

int
store_person_get_pin_hash(struct store *s, int64_t id, char *ret_hash, size_t size)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT pin_hash FROM people WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_fetch_text(st, ret_hash, size);
}

int
store_person_get_licence(struct store *s, int64_t id, char *ret_json, size_t size)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT licence FROM people WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_fetch_text(st, ret_json, size);
}

int
store_person_set_licence(struct store *s, int64_t id, const char *json, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "UPDATE people SET licence = ?, updated_at = ? WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, json, 0);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	return step_one_row_changed(s, st);
}

/* Sets the PIN hash and clears wrong PINs and any lock; pin_change -1 leaves the flag. */
static int
person_set_pin(struct store *s, int64_t id, const char *pin_hash, int pin_change, int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "UPDATE people SET pin_hash = ?1, failed_logins = 0, failed_at = 0, "
	                      "locked_until = 0, updated_at = ?2, "
	                      "pin_change = CASE WHEN ?3 < 0 THEN pin_change ELSE ?3 END "
	                      "WHERE id = ?4",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, pin_hash, 0);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, pin_change);
	sqlite3_bind_int64(st, 4, id);
	return step_one_row_changed(s, st);
}

int
store_person_set_pin_hash(struct store *s, int64_t id, const char *pin_hash, int64_t now)
{
	return person_set_pin(s, id, pin_hash, -1, now);
}

int
store_person_issue_pin(struct store *s, int64_t id, const char *pin_hash, int64_t now)
{
	return person_set_pin(s, id, pin_hash, 1, now);
}

int
store_person_choose_pin(struct store *s, int64_t id, const char *pin_hash, int64_t now)
{
	return person_set_pin(s, id, pin_hash, 0, now);
}

int
store_person_count_failure(struct store *s, int64_t id, int64_t now, int64_t window,
                           int *ret_failures)
{
	sqlite3_stmt *st;
	int64_t failures;
	int r = store_prepare(s,
	                      "UPDATE people SET failed_logins = CASE "
	                      "WHEN ?1 - max(failed_at, locked_until) >= ?2 THEN 1 "
	                      "ELSE failed_logins + 1 END, failed_at = ?1 WHERE id = ?3",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, window);
	sqlite3_bind_int64(st, 3, id);
	r = step_one_row_changed(s, st);
	if (r < 0)
		return r;
	r = store_prepare(s, "SELECT failed_logins FROM people WHERE id = ?", &st);
	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	r = store_fetch_int64(st, &failures);
	if (r < 0)
		return r;
	*ret_failures = failures > INT32_MAX ? INT32_MAX : (int)failures;
	return 0;
}

int
store_person_set_lock(struct store *s, int64_t id, int64_t locked_until)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "UPDATE people SET locked_until = ? WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, locked_until);
	sqlite3_bind_int64(st, 2, id);
	return step_one_row_changed(s, st);
}

int
store_person_login_succeeded(struct store *s, int64_t id)
{
	sqlite3_stmt *st;
	int r = store_prepare(
	        s,
	        "UPDATE people SET failed_logins = 0, failed_at = 0, locked_until = 0 WHERE id = ?",
	        &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return step_one_row_changed(s, st);
}

int
store_person_get_settings(struct store *s, int64_t id, char *ret_json, size_t size)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT settings FROM people WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_fetch_text(st, ret_json, size);
}

int
store_person_set_settings(struct store *s, int64_t id, const char *json)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "UPDATE people SET settings = ? WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, json, 0);
	sqlite3_bind_int64(st, 2, id);
	return step_one_row_changed(s, st);
}
