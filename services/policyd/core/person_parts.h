/*
 * The parts of a person's record that each area owns, for person bundles: how an area
 * writes its part into a bundle, clears it before an import replaces it, and reads it
 * back. The core record (person, PIN hash, licence, contacts, moves, audit rows about
 * them) is the moves area's (moves/person_bundle.c); each other area that holds something
 * the person owns points its struct area at a struct person_part (area.h), and the moves
 * area walks them. person_parts.c has the helpers they share.
 *
 * Contacts are renumbered on import: an area that refers to contacts (messages) maps the
 * bundle's ids through the id map it is given.
 */
#ifndef ONWARD_POLICYD_PERSON_PARTS_H
#define ONWARD_POLICYD_PERSON_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "rows.h"
#include "store.h"

struct id_map {
	size_t n;
	int64_t from[256]; /* the bundle's contact ids */
	int64_t to[256]; /* the ids they have here */
};

/* The id here for a bundle id; 0 when the bundle did not hold it. */
int64_t id_map_get(const struct id_map *map, int64_t from);

struct part_table;

/*
 * An area's part of the bundle. A part that is only tables (part_table below) lists them
 * and the two refusals; one with more to do (renumbered contacts, signed certificates)
 * gives its own functions, which are then used instead.
 */
struct person_part {
	const char *name; /* the key in the bundle's "parts" object */
	const struct part_table *tables; /* ended by a NULL key; or NULL with the functions */
	const char *too_many; /* the refusal when a list is longer than any record has */
	const char *not_well_formed; /* the refusal for a row that is not well formed */
	/* *ret is a new JSON value holding the area's rows about p. */
	int (*export_part)(struct store *s, const struct store_person *p, json_t **ret);
	/* Deletes the area's rows about person_id (before contacts are replaced). */
	int (*clear_part)(struct store *s, int64_t person_id);
	/* Inserts the part's rows for person_id; contacts maps contact ids. */
	int (*import_part)(struct store *s, int64_t person_id, json_t *part,
	                   const struct id_map *contacts, char *err, size_t size);
};

/* A part's export, clearing and import: its own functions, or its tables'. */
int person_part_export(const struct person_part *part, struct store *s,
                       const struct store_person *p, json_t **ret);
int person_part_clear(const struct person_part *part, struct store *s, int64_t person_id);
int person_part_import(const struct person_part *part, struct store *s, int64_t person_id,
                       json_t *value, const struct id_map *contacts, char *err, size_t size);

/*
 * Most parts are tables and nothing more: rows the person owns, and rows that belong to
 * those (a case's thread). An area describes such a part as a list of part_table, the
 * first being the parent table, and the three functions below do the rest.
 */
struct part_table {
	const char *key; /* the list's key in the part's JSON object: "cases" */
	const char *table; /* "housing_cases" */
	const struct store_column *columns;
	/* NULL for rows with the person's id; else the column naming a row of the first
	 * table, renamed to its new id on import ("case_id") */
	const char *parent_column;
	bool person_rows; /* with parent_column: the rows also carry the person's id */
	size_t max_rows; /* more than any record has: the whole bundle is refused */
};

/* *ret is a new object with each table's rows under its key (tables ended by NULL key). */
int parts_tables_export(struct store *s, const struct part_table *tables, int64_t person_id,
                        json_t **ret);
/* Deletes the person's rows of every table, children first. */
int parts_tables_clear(struct store *s, const struct part_table *tables, int64_t person_id);
/*
 * Inserts the part's rows, the first table's first and the others renamed to their
 * parents' new ids. A list longer than its max_rows refuses the part with too_many;
 * a row that is not well formed with not_well_formed (both plain words for staff).
 */
int parts_tables_import(struct store *s, const struct part_table *tables, int64_t person_id,
                        json_t *part, const char *too_many, const char *not_well_formed, char *err,
                        size_t size);

/*
 * Parent rows just imported, old id to new id, so that their children can be renamed:
 * fill it with parts_import_parents(), rename children with parts_rename_parent (a
 * store_rows_import() callback with this as its userdata), free with
 * parts_parents_release().
 */
struct parts_parents {
	size_t n;
	int64_t *from, *to; /* owned */
	const char *column; /* the child's column naming the parent */
};

int parts_import_parents(struct store *s, const char *table, int64_t person_id,
                         const struct store_column *columns, json_t *rows,
                         struct parts_parents *ret);
bool parts_rename_parent(json_t *row, void *userdata, int *ret_error);
void parts_parents_release(struct parts_parents *p);

#endif
