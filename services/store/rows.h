/*
 * Whole rows as JSON, for person bundles: an area's rows about one person written out
 * column by column, and read back in with only the columns the area names, each checked
 * for its kind and size. The tables and columns are the area's own constants, never input.
 */
#ifndef ONWARD_STORE_ROWS_H
#define ONWARD_STORE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store.h"

/* A column an import may write: 'i' an integer, 't' text of at most max bytes of UTF-8. */
struct store_column {
	const char *name;
	char kind;
	size_t max;
};

/*
 * Appends to ret_array an object for every row of table with person_id, oldest first
 * (by the table's rowid), holding every column but person_id.
 */
int store_rows_export(struct store *s, const char *table, int64_t person_id, json_t *ret_array);

/* Deletes table's rows with person_id. */
int store_rows_delete(struct store *s, const char *table, int64_t person_id);

/*
 * The same for a table whose rows belong to the person through a parent row: rows of
 * table whose parent_column names a row of parent_table with person_id (every column
 * kept).
 */
int store_rows_export_children(struct store *s, const char *table, const char *parent_column,
                               const char *parent_table, int64_t person_id, json_t *ret_array);
int store_rows_delete_children(struct store *s, const char *table, const char *parent_column,
                               const char *parent_table, int64_t person_id);

/*
 * A chance to change a row before it is written: rename ids that differ here (contact
 * ids, ids of other rows). Return false to skip the row, or set *ret_error and return
 * false to refuse the import.
 */
typedef bool (*store_row_fixup_fn)(json_t *row, void *userdata, int *ret_error);

/*
 * Inserts each object of rows into table with the named columns (a column the object
 * lacks is an error: -EBADMSG), and with person_id in the person_id column when the
 * table has one (person_id > 0; pass 0 for a child table). ids[] (may be NULL) receives each row's
 * new rowid, in order, for rows not skipped (0 for skipped ones); it must hold
 * json_array_size(rows) entries.
 */
int store_rows_import(struct store *s, const char *table, int64_t person_id,
                      const struct store_column *columns, json_t *rows, store_row_fixup_fn fixup,
                      void *userdata, int64_t *ids);

#endif
