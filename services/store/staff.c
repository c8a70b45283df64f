/*
 * Staff members: prison and probation staff who use onwardctl. Their role decides what
 * they may change; they are never deleted, only made inactive, so the audit log always
 * names someone who existed.
 */
#include "store_int.h"

#define STAFF_COLUMNS "id, name, role, establishment, active, created_at"

static int
row_to_staff(sqlite3_stmt *st, void *ret)
{
	struct store_staff *out = ret;
	int r = store_column_text(st, 0, out->id, sizeof(out->id));

	if (r == 0)
		r = store_column_text(st, 1, out->name, sizeof(out->name));
	if (r == 0)
		r = store_column_text(st, 2, out->role, sizeof(out->role));
	if (r == 0)
		r = store_column_text(st, 3, out->establishment, sizeof(out->establishment));
	out->active = sqlite3_column_int(st, 4) != 0;
	out->created_at = sqlite3_column_int64(st, 5);
	return r;
}

int
store_staff_insert(struct store *s, const struct store_staff *in)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "INSERT INTO staff (" STAFF_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, in->id, 0);
	store_bind_text(st, 2, in->name, 0);
	store_bind_text(st, 3, in->role, 0);
	store_bind_text(st, 4, in->establishment, 0);
	sqlite3_bind_int(st, 5, in->active ? 1 : 0);
	sqlite3_bind_int64(st, 6, in->created_at);
	return store_step_done(st);
}

int
store_staff_get(struct store *s, const char *id, struct store_staff *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " STAFF_COLUMNS " FROM staff WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	return store_fetch_one(st, row_to_staff, ret);
}

int
store_staff_count(struct store *s, int64_t *ret_count)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT count(*) FROM staff", &st);

	return r < 0 ? r : store_fetch_int64(st, ret_count);
}

int
store_staff_list(struct store *s, int (*fn)(const struct store_staff *st, void *userdata),
                 void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(s, "SELECT " STAFF_COLUMNS " FROM staff ORDER BY id", &st);

	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_staff out;

		r = row_to_staff(st, &out);
		if (r == 0)
			r = fn(&out, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}
