/*
 * The app whitelist: the only programs the shell may launch, each with the SHA-256 of its
 * executable as registered, so a changed binary is refused.
 */
#include "store_int.h"

#define APP_COLUMNS "name, title, path, sha256, registered_by, registered_at"

static int
row_to_app(sqlite3_stmt *st, void *ret)
{
	struct store_app *a = ret;
	int r = 0;

	r = r ?: store_column_text(st, 0, a->name, sizeof(a->name));
	r = r ?: store_column_text(st, 1, a->title, sizeof(a->title));
	r = r ?: store_column_text(st, 2, a->path, sizeof(a->path));
	r = r ?: store_column_text(st, 3, a->sha256, sizeof(a->sha256));
	r = r ?: store_column_text(st, 4, a->registered_by, sizeof(a->registered_by));
	a->registered_at = sqlite3_column_int64(st, 5);
	return r;
}

int
store_app_put(struct store *s, const struct store_app *a)
{
	sqlite3_stmt *st;
	int r = store_prepare(
	        s, "INSERT OR REPLACE INTO apps (" APP_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?)", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, a->name, 0);
	store_bind_text(st, 2, a->title, 0);
	store_bind_text(st, 3, a->path, 0);
	store_bind_text(st, 4, a->sha256, 0);
	store_bind_text(st, 5, a->registered_by, 0);
	sqlite3_bind_int64(st, 6, a->registered_at);
	return store_step_done(st);
}

int
store_app_get(struct store *s, const char *name, struct store_app *ret)
{
	sqlite3_stmt *st;
	int r = store_prepare(s, "SELECT " APP_COLUMNS " FROM apps WHERE name = ?", &st);

	if (r < 0)
		return r;
	store_bind_text(st, 1, name, 0);
	return store_fetch_one(st, row_to_app, ret);
}

int
store_app_list(struct store *s, int (*fn)(const struct store_app *a, void *userdata),
               void *userdata)
{
	sqlite3_stmt *st = NULL;
	int r = store_prepare(s, "SELECT " APP_COLUMNS " FROM apps ORDER BY name", &st);

	while (r == 0 && (r = store_step_row(st)) == 1) {
		struct store_app a;

		r = row_to_app(st, &a);
		if (r == 0)
			r = fn(&a, userdata);
	}
	if (r < 0 && st)
		sqlite3_reset(st);
	return r;
}
