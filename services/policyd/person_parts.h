/*
 * The parts of a person's record that each area owns, for person bundles: how an area
 * writes its part into a bundle, clears it before an import replaces it, and reads it
 * back. The core record (person, PIN hash, licence, contacts, moves, audit rows about
 * them) is person_bundle.c's; person_parts.c lists the areas' parts.
 *
 * Contacts are renumbered on import: an area that refers to contacts (messages) maps the
 * bundle's ids through the id map it is given.
 */
#ifndef ONWARD_POLICYD_PERSON_PARTS_H
#define ONWARD_POLICYD_PERSON_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store.h"

struct id_map {
	size_t n;
	int64_t from[256]; /* the bundle's contact ids */
	int64_t to[256]; /* the ids they have here */
};

/* The id here for a bundle id; 0 when the bundle did not hold it. */
int64_t id_map_get(const struct id_map *map, int64_t from);

struct person_part {
	const char *name; /* the key in the bundle's "parts" object */
	/* *ret is a new JSON value holding the area's rows about p. */
	int (*export_part)(struct store *s, const struct store_person *p, json_t **ret);
	/* Deletes the area's rows about person_id (before contacts are replaced). */
	int (*clear_part)(struct store *s, int64_t person_id);
	/* Inserts the part's rows for person_id; contacts maps contact ids. */
	int (*import_part)(struct store *s, int64_t person_id, json_t *part,
	                   const struct id_map *contacts, char *err, size_t size);
};

/* Housing and appointments (m_area_bundles.c). */
int housing_part_export(struct store *s, const struct store_person *p, json_t **ret);
int housing_part_clear(struct store *s, int64_t person_id);
int housing_part_import(struct store *s, int64_t person_id, json_t *part,
                        const struct id_map *contacts, char *err, size_t size);
int appointment_part_export(struct store *s, const struct store_person *p, json_t **ret);
int appointment_part_clear(struct store *s, int64_t person_id);
int appointment_part_import(struct store *s, int64_t person_id, json_t *part,
                            const struct id_map *contacts, char *err, size_t size);

/* Every area's part, ended by an entry with a NULL name (person_parts.c). */
extern const struct person_part person_parts[];

#endif
