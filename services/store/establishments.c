/*
 * Establishments: prisons and probation regions, by their three-letter code.
 */
#include "store_int.h"

#include <errno.h>

static int
row_to_establishment(sqlite3_stmt *st, void *out)
{
	struct store_establishment *e = out;
	int r = store_column_text(st, 0, e->code, sizeof(e->code));

	if (r == 0)
		r = store_column_text(st, 1, e->name, sizeof(e->name));
	if (r == 0)
		r = store_column_text(st, 2, e->kind, sizeof(e->kind));
	if (r == 0)
		r = store_column_text(st, 3, e->regime, sizeof(e->regime));
	return r;
}

int
store_establishment_insert(struct store *s, const struct store_establishment *e)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "INSERT INTO establishments (code, name, kind) VALUES (?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, e->code, 0);
	store_bind_text(st, 2, e->name, 0);
	store_bind_text(st, 3, e->kind, 0);
	return store_step_done(st);
}

int
store_establishment_get(struct store *s, const char *code, struct store_establishment *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(
	        s, "SELECT code, name, kind, regime FROM establishments WHERE code = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, code, 0);
	return store_fetch_one(st, row_to_establishment, ret);
}

int
store_establishment_set_regime(struct store *s, const char *code, const char *regime)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "UPDATE establishments SET regime = ? WHERE code = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, regime, 0);
	store_bind_text(st, 2, code, 0);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_establishment_list(struct store *s,
                         int (*fn)(const struct store_establishment *e, void *userdata),
                         void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(
	        s, "SELECT code, name, kind, regime FROM establishments ORDER BY code", &st);

	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_establishment e;

		r = row_to_establishment(st, &e);
		if (r == 0)
			r = fn(&e, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}
