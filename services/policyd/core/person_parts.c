/*
 * Helpers for the areas' parts of person bundles (see person_parts.h): contact ids mapped
 * to their new numbers, and child rows renamed to the ids their parents got on import.
 */
#include "person_parts.h"

#include "rows.h"

#include <errno.h>
#include <stdlib.h>

int64_t
id_map_get(const struct id_map *map, int64_t from)
{
	for (size_t i = 0; i < map->n; i++)
		if (map->from[i] == from)
			return map->to[i];
	return 0;
}

bool
parts_rename_parent(json_t *row, void *userdata, int *ret_error)
{
	struct parts_parents *p = userdata;
	json_int_t id = json_integer_value(json_object_get(row, p->column));

	for (size_t i = 0; i < p->n; i++) {
		if (p->from[i] == id && p->to[i]) {
			json_object_set_new(row, p->column, json_integer(p->to[i]));
			return true;
		}
	}
	return false; /* a child of nothing that came across: left behind */
}

/* Imports parent rows, noting old id → new id in ret (freed by the caller). */
int
parts_import_parents(struct store *s, const char *table, int64_t person_id,
                     const struct store_column *columns, json_t *rows, struct parts_parents *ret)
{
	size_t n = json_array_size(rows), i;
	json_t *row;

	if (!json_is_array(rows))
		return -EBADMSG;
	ret->from = calloc(n ? n : 1, sizeof(*ret->from));
	ret->to = calloc(n ? n : 1, sizeof(*ret->to));
	if (!ret->from || !ret->to)
		return -ENOMEM;
	json_array_foreach(rows, i, row) ret->from[i] =
	        json_integer_value(json_object_get(row, "id"));
	ret->n = n;
	return store_rows_import(s, table, person_id, columns, rows, NULL, NULL, ret->to);
}

void
parts_parents_release(struct parts_parents *p)
{
	free(p->from);
	free(p->to);
}
