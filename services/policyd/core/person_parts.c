/*
 * Helpers for the areas' parts of person bundles (see person_parts.h): contact ids mapped
 * to their new numbers, and child rows renamed to the ids their parents got on import.
 */
#include "person_parts.h"

#include "rows.h"

#include <errno.h>
#include <stdio.h>
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

int
parts_tables_export(struct store *s, const struct part_table *tables, int64_t person_id,
                    json_t **ret)
{
	json_t *part = json_object();
	int r = part ? 0 : -ENOMEM;

	for (const struct part_table *t = tables; r == 0 && t->key; t++) {
		json_t *rows = json_array();

		if (!rows)
			r = -ENOMEM;
		else if (!t->parent_column || t->person_rows)
			r = store_rows_export(s, t->table, person_id, rows);
		else
			r = store_rows_export_children(s, t->table, t->parent_column,
			                               tables[0].table, person_id, rows);
		if (r == 0)
			r = json_object_set_new(part, t->key, rows) < 0 ? -ENOMEM : 0;
		else
			json_decref(rows);
	}
	if (r < 0) {
		json_decref(part);
		return r;
	}
	*ret = part;
	return 0;
}

int
parts_tables_clear(struct store *s, const struct part_table *tables, int64_t person_id)
{
	size_t n = 0;
	int r = 0;

	while (tables[n].key)
		n++;
	/* Children before the rows they belong to. */
	while (r == 0 && n-- > 0) {
		const struct part_table *t = &tables[n];

		if (!t->parent_column || t->person_rows)
			r = store_rows_delete(s, t->table, person_id);
		else
			r = store_rows_delete_children(s, t->table, t->parent_column,
			                               tables[0].table, person_id);
	}
	return r;
}

int
parts_tables_import(struct store *s, const struct part_table *tables, int64_t person_id,
                    json_t *part, const char *too_many, const char *not_well_formed, char *err,
                    size_t size)
{
	struct parts_parents parents = {0};
	int r = 0;

	/* Every list is bounded before the bundle is parsed (the moves area); these bounds
	 * are closer, and keep renaming each child to its parent (a search) cheap. */
	for (const struct part_table *t = tables; t->key; t++) {
		if (json_array_size(json_object_get(part, t->key)) > t->max_rows) {
			snprintf(err, size, "%s", too_many);
			return -EMSGSIZE;
		}
	}
	for (const struct part_table *t = tables; r == 0 && t->key; t++) {
		json_t *rows = json_object_get(part, t->key);

		if (t == tables) {
			r = parts_import_parents(s, t->table, person_id, t->columns, rows,
			                         &parents);
			continue;
		}
		parents.column = t->parent_column;
		r = store_rows_import(s, t->table, t->person_rows ? person_id : 0, t->columns, rows,
		                      t->parent_column ? parts_rename_parent : NULL,
		                      t->parent_column ? &parents : NULL, NULL);
	}
	parts_parents_release(&parents);
	if (r == -EBADMSG)
		snprintf(err, size, "%s", not_well_formed);
	return r;
}

int
person_part_export(const struct person_part *part, struct store *s, const struct store_person *p,
                   json_t **ret)
{
	return part->export_part ? part->export_part(s, p, ret)
	                         : parts_tables_export(s, part->tables, p->id, ret);
}

int
person_part_clear(const struct person_part *part, struct store *s, int64_t person_id)
{
	return part->clear_part ? part->clear_part(s, person_id)
	                        : parts_tables_clear(s, part->tables, person_id);
}

int
person_part_import(const struct person_part *part, struct store *s, int64_t person_id,
                   json_t *value, const struct id_map *contacts, char *err, size_t size)
{
	if (part->import_part)
		return part->import_part(s, person_id, value, contacts, err, size);
	return parts_tables_import(s, part->tables, person_id, value, part->too_many,
	                           part->not_well_formed, err, size);
}
