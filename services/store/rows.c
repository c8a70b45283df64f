/*
 * Rows as JSON for person bundles (see rows.h). Statements here are built from the area's
 * constant table and column names, prepared once per call and finalised at the end.
 */
#include "rows.h"
#include "store_int.h"

#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ROWS_SQL_MAX 2048

/* Every row that `where` (with one parameter, the person's id) selects, as objects. */
static int
export_where(struct store *s, const char *table, const char *where, int64_t person_id,
             json_t *ret_array)
{
	char sql[512];
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE %s ORDER BY rowid", table, where);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_errno(rc);
	sqlite3_bind_int64(st, 1, person_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = json_object();

		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *name = sqlite3_column_name(st, i);

			if (strcmp(name, "person_id") == 0)
				continue;
			if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
				json_object_set_new(row, name,
				                    json_integer(sqlite3_column_int64(st, i)));
			else if (sqlite3_column_type(st, i) == SQLITE_NULL)
				json_object_set_new(row, name, json_null());
			else
				json_object_set_new(
				        row, name,
				        json_stringn((const char *)sqlite3_column_text(st, i),
				                     (size_t)sqlite3_column_bytes(st, i)));
		}
		if (json_array_append_new(ret_array, row) < 0) {
			r = -ENOMEM;
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = store_errno(rc);
	sqlite3_finalize(st);
	return r;
}

int
store_rows_export(struct store *s, const char *table, int64_t person_id, json_t *ret_array)
{
	return export_where(s, table, "person_id = ?", person_id, ret_array);
}

int
store_rows_export_children(struct store *s, const char *table, const char *parent_column,
                           const char *parent_table, int64_t person_id, json_t *ret_array)
{
	char where[256];

	snprintf(where, sizeof(where), "%s IN (SELECT id FROM %s WHERE person_id = ?)",
	         parent_column, parent_table);
	return export_where(s, table, where, person_id, ret_array);
}

static int
delete_where(struct store *s, const char *table, const char *where, int64_t person_id)
{
	char sql[512];
	sqlite3_stmt *st = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s", table, where);
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_errno(rc);
	sqlite3_bind_int64(st, 1, person_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int
store_rows_delete(struct store *s, const char *table, int64_t person_id)
{
	return delete_where(s, table, "person_id = ?", person_id);
}

int
store_rows_delete_children(struct store *s, const char *table, const char *parent_column,
                           const char *parent_table, int64_t person_id)
{
	char where[256];

	snprintf(where, sizeof(where), "%s IN (SELECT id FROM %s WHERE person_id = ?)",
	         parent_column, parent_table);
	return delete_where(s, table, where, person_id);
}

/* Binds one column's value from the row, checked for kind and size. */
static int
bind_value(sqlite3_stmt *st, int index, const struct store_column *col, json_t *value)
{
	if (col->kind == 'i') {
		if (!json_is_integer(value))
			return -EBADMSG;
		return store_errno(sqlite3_bind_int64(st, index, json_integer_value(value)));
	}
	if (!json_is_string(value) || json_string_length(value) > col->max ||
	    strlen(json_string_value(value)) != json_string_length(value) ||
	    !validate_utf8(json_string_value(value), json_string_length(value)))
		return -EBADMSG;
	return store_bind_text(st, index, json_string_value(value), 0);
}

int
store_rows_import(struct store *s, const char *table, int64_t person_id,
                  const struct store_column *columns, json_t *rows, store_row_fixup_fn fixup,
                  void *userdata, int64_t *ids)
{
	char sql[ROWS_SQL_MAX];
	size_t used, n = 0, i;
	sqlite3_stmt *st = NULL;
	json_t *row;
	int rc, r = 0;

	if (!json_is_array(rows))
		return -EBADMSG;
	used = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (%s", table,
	                        person_id > 0 ? "person_id" : "rowid");
	for (const struct store_column *c = columns; c->name; c++, n++)
		used += (size_t)snprintf(sql + used, used < sizeof(sql) ? sizeof(sql) - used : 0,
		                         ", %s", c->name);
	used += (size_t)snprintf(sql + used, used < sizeof(sql) ? sizeof(sql) - used : 0,
	                         ") VALUES (?");
	for (size_t k = 0; k < n; k++)
		used += (size_t)snprintf(sql + used, used < sizeof(sql) ? sizeof(sql) - used : 0,
		                         ", ?");
	used += (size_t)snprintf(sql + used, used < sizeof(sql) ? sizeof(sql) - used : 0, ")");
	if (used >= sizeof(sql))
		return -E2BIG;
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_errno(rc);
	json_array_foreach(rows, i, row)
	{
		int error = 0;

		if (ids)
			ids[i] = 0;
		if (!json_is_object(row)) {
			r = -EBADMSG;
			break;
		}
		if (fixup && !fixup(row, userdata, &error)) {
			if (error) {
				r = error;
				break;
			}
			continue;
		}
		sqlite3_reset(st);
		/* A child table gets a new rowid (NULL asks SQLite for one). */
		if (person_id > 0)
			sqlite3_bind_int64(st, 1, person_id);
		else
			sqlite3_bind_null(st, 1);
		for (size_t k = 0; r == 0 && k < n; k++)
			r = bind_value(st, (int)k + 2, &columns[k],
			               json_object_get(row, columns[k].name));
		if (r < 0)
			break;
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE) {
			r = store_errno(rc);
			break;
		}
		if (ids)
			ids[i] = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_finalize(st);
	return r;
}
