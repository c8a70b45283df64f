/*
 * Staff grants: each row is one link of a policy template (grant-app, block-app,
 * grant-course) to one person and one resource, with an optional expiry. The daemon turns
 * every live row into a link when it loads policy, so grants survive restarts and reloads.
 */
#include "store_int.h"

#include <errno.h>

#define GRANT_COLUMNS                                                                              \
	"g.id, g.template, g.person_id, p.prison_number, g.resource_type, g.resource_id, "         \
	"g.expires_at, g.reason, g.created_by, g.created_at"

static int
row_to_grant(sqlite3_stmt *st, void *ret)
{
	struct store_grant *g = ret;
	int r = 0;

	r = r ?: store_column_text(st, 0, g->id, sizeof(g->id));
	r = r ?: store_column_text(st, 1, g->template_name, sizeof(g->template_name));
	g->person_id = sqlite3_column_int64(st, 2);
	r = r ?: store_column_text(st, 3, g->prison_number, sizeof(g->prison_number));
	r = r ?: store_column_text(st, 4, g->resource_type, sizeof(g->resource_type));
	r = r ?: store_column_text(st, 5, g->resource_id, sizeof(g->resource_id));
	g->expires_at = sqlite3_column_int64(st, 6);
	r = r ?: store_column_text(st, 7, g->reason, sizeof(g->reason));
	r = r ?: store_column_text(st, 8, g->created_by, sizeof(g->created_by));
	g->created_at = sqlite3_column_int64(st, 9);
	return r;
}

int
store_grant_insert(struct store *s, const struct store_grant *g)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "INSERT INTO grants (id, template, person_id, resource_type, "
	                      "resource_id, expires_at, reason, created_by, created_at) "
	                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, g->id, 0);
	store_bind_text(st, 2, g->template_name, 0);
	sqlite3_bind_int64(st, 3, g->person_id);
	store_bind_text(st, 4, g->resource_type, 0);
	store_bind_text(st, 5, g->resource_id, 0);
	sqlite3_bind_int64(st, 6, g->expires_at);
	store_bind_text(st, 7, g->reason, 0);
	store_bind_text(st, 8, g->created_by, 0);
	sqlite3_bind_int64(st, 9, g->created_at);
	return store_step_done(st);
}

int
store_grant_delete(struct store *s, const char *id)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "DELETE FROM grants WHERE id = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	r = store_step_done(st);
	if (r == 0 && sqlite3_changes(s->db) == 0)
		return -ENOENT;
	return r;
}

int
store_grant_get(struct store *s, const char *id, struct store_grant *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s,
	                      "SELECT " GRANT_COLUMNS " FROM grants g JOIN people p "
	                      "ON p.id = g.person_id WHERE g.id = ?",
	                      &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, id, 0);
	return store_fetch_one(st, row_to_grant, ret);
}

int
store_grant_list(struct store *s, int64_t person_id,
                 int (*fn)(const struct store_grant *g, void *userdata), void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(s,
	                      "SELECT " GRANT_COLUMNS " FROM grants g JOIN people p "
	                      "ON p.id = g.person_id WHERE ?1 = 0 OR g.person_id = ?1 "
	                      "ORDER BY g.created_at, g.id",
	                      &st);

	if (r == 0)
		sqlite3_bind_int64(st, 1, person_id);
	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_grant g;

		r = row_to_grant(st, &g);
		if (r == 0)
			r = fn(&g, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}

int
store_grant_expire(struct store *s, int64_t now, int64_t *ret_count)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "DELETE FROM grants WHERE expires_at > 0 AND expires_at <= ?",
	                      &st);

	if (r < 0)
		return r;
	sqlite3_bind_int64(st, 1, now);
	r = store_step_done(st);
	if (r == 0)
		*ret_count = sqlite3_changes(s->db);
	return r;
}
