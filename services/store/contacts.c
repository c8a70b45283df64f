/*
 * A person's contacts: family, friends and professionals they ask to be in touch with.
 * Each is pending until staff approve or reject it; the minor, victim and barred marks are
 * what policy reads to keep people safe.
 */
#include "store_int.h"

#include <errno.h>

#define CONTACT_COLUMNS                                                                            \
	"id, person_id, name, relation, minor, victim, barred, status, decided_by, "               \
	"decided_at, created_at"

static int
row_to_contact(sqlite3_stmt *st, void *ret)
{
	struct store_contact *c = ret;
	int r = 0;

	c->id = sqlite3_column_int64(st, 0);
	c->person_id = sqlite3_column_int64(st, 1);
	r = r ?: store_column_text(st, 2, c->name, sizeof(c->name));
	r = r ?: store_column_text(st, 3, c->relation, sizeof(c->relation));
	c->minor = sqlite3_column_int(st, 4) != 0;
	c->victim = sqlite3_column_int(st, 5) != 0;
	c->barred = sqlite3_column_int(st, 6) != 0;
	r = r ?: store_column_text(st, 7, c->status, sizeof(c->status));
	r = r ?: store_column_text(st, 8, c->decided_by, sizeof(c->decided_by));
	c->decided_at = sqlite3_column_int64(st, 9);
	c->created_at = sqlite3_column_int64(st, 10);
	return r;
}

int
store_contact_insert(struct store *s, const struct store_contact *c, int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "INSERT INTO contacts (person_id, name, relation, minor, victim, "
	                      "barred, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, c->person_id);
	store_bind_text(st, 2, c->name, 0);
	store_bind_text(st, 3, c->relation, 0);
	sqlite3_bind_int(st, 4, c->minor);
	sqlite3_bind_int(st, 5, c->victim);
	sqlite3_bind_int(st, 6, c->barred);
	sqlite3_bind_int64(st, 7, c->created_at);
	r = store_step_done(st);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(s->db);
	return r;
}

int
store_contact_get(struct store *s, int64_t id, struct store_contact *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " CONTACT_COLUMNS " FROM contacts WHERE id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	return store_fetch_one(st, row_to_contact, ret);
}

int
store_contact_count(struct store *s, int64_t person_id, int64_t *ret_count)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT count(*) FROM contacts WHERE person_id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	return store_fetch_int64(st, ret_count);
}

int
store_contact_list(struct store *s, int64_t person_id,
                   int (*fn)(const struct store_contact *c, void *userdata), void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(
	        s, "SELECT " CONTACT_COLUMNS " FROM contacts WHERE person_id = ? ORDER BY id", &st);

	if (r == 0)
		sqlite3_bind_int64(st, 1, person_id);
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_contact c;

		r = row_to_contact(st, &c);
		if (r == 0)
			r = fn(&c, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}

int
store_contact_decide(struct store *s, int64_t id, const char *status, const char *staff_id,
                     int64_t now)
{
	sqlite3_stmt *st;
	int r = store_prepare(
	        s, "UPDATE contacts SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
	        &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, status, 0);
	store_bind_text(st, 2, staff_id, 0);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, id);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_contact_delete_all(struct store *s, int64_t person_id)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "DELETE FROM contacts WHERE person_id = ?", &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, person_id);
	return store_step_done(st);
}
