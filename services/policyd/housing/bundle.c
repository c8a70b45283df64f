/*
 * The housing area's part of a person bundle (see person_parts.h): the person's housing
 * enquiries with their threads, so that on the day of release the probation region sees
 * the housing case the prison set up. A thread's messages are renamed to their case's new
 * id.
 */
#include "housing_int.h"

#include "person_parts.h"
#include "rows.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static const struct store_column case_columns[] = {
        {"status", 't', 15},
        {"step", 'i', 0},
        {"release_date", 't', 10},
        {"area", 't', HOUSING_AREA_MAX},
        {"last_address", 't', HOUSING_ADDRESS_MAX},
        {"needs", 't', HOUSING_NEEDS_MAX},
        {"needs_detail", 't', HOUSING_DETAIL_MAX},
        {"consent", 'i', 0},
        {"contact_route", 't', 15},
        {"contact_detail", 't', HOUSING_CONTACT_MAX},
        {"created_at", 'i', 0},
        {"updated_at", 'i', 0},
        {"submitted_at", 'i', 0},
        {"status_at", 'i', 0},
        {"status_by", 't', 32},
        {NULL},
};

static const struct store_column housing_message_columns[] = {
        {"case_id", 'i', 0},
        {"author", 't', 7},
        {"staff_id", 't', 32},
        {"status", 't', 15},
        {"body", 't', HOUSING_MESSAGE_MAX},
        {"created_at", 'i', 0},
        {NULL},
};

static int
part_export(struct store *s, const struct store_person *p, json_t **ret)
{
	json_t *cases = json_array(), *messages = json_array();
	int r = store_rows_export(s, "housing_cases", p->id, cases);

	if (r == 0)
		r = store_rows_export_children(s, "housing_messages", "case_id", "housing_cases",
		                               p->id, messages);
	if (r < 0) {
		json_decref(cases);
		json_decref(messages);
		return r;
	}
	*ret = json_pack("{s:o, s:o}", "cases", cases, "messages", messages);
	return *ret ? 0 : -ENOMEM;
}

static int
part_clear(struct store *s, int64_t person_id)
{
	int r = store_rows_delete_children(s, "housing_messages", "case_id", "housing_cases",
	                                   person_id);

	return r < 0 ? r : store_rows_delete(s, "housing_cases", person_id);
}

static int
part_import(struct store *s, int64_t person_id, json_t *part, const struct id_map *contacts,
            char *err, size_t size)
{
	struct parts_parents cases = {.column = "case_id"};
	int r;

	/* Every list is bounded before the bundle is parsed (moves area); these are closer,
	 * and keep renaming each message's case (a search of the cases) cheap. */
	if (json_array_size(json_object_get(part, "cases")) > 200 ||
	    json_array_size(json_object_get(part, "messages")) > 10000) {
		snprintf(err, size,
		         "The bundle holds more housing enquiries than any person's record has, so "
		         "it was refused and nothing was imported.");
		return -EMSGSIZE;
	}
	r = parts_import_parents(s, "housing_cases", person_id, case_columns,
	                         json_object_get(part, "cases"), &cases);
	if (r == 0)
		r = store_rows_import(s, "housing_messages", 0, housing_message_columns,
		                      json_object_get(part, "messages"), parts_rename_parent,
		                      &cases, NULL);
	parts_parents_release(&cases);
	if (r == -EBADMSG)
		snprintf(err, size, "The bundle's housing enquiry is not well formed.");
	return r;
}

const struct person_part housing_part = {"housing", part_export, part_clear, part_import};
