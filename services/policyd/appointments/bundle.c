/*
 * The appointments area's part of a person bundle (see person_parts.h): appointments with
 * requests to rearrange and reminders, so that on the day of release the probation region
 * sees the first appointment — with its reminder — that the prison set up. Requests and
 * reminders are renamed to their appointment's new id.
 */
#include "appointments_int.h"

#include "person_parts.h"
#include "rows.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static const struct store_column appointment_columns[] = {
        {"kind", 't', 15},
        {"starts_at", 'i', 0},
        {"minutes", 'i', 0},
        {"place", 't', APPOINTMENT_PLACE_MAX},
        {"with_whom", 't', APPOINTMENT_WITH_MAX},
        {"status", 't', 11},
        {"cancel_reason", 't', APPOINTMENT_REASON_MAX},
        {"confirmed_at", 'i', 0},
        {"created_by", 't', 32},
        {"created_at", 'i', 0},
        {"updated_at", 'i', 0},
        {NULL},
};

static const struct store_column request_columns[] = {
        {"appointment_id", 'i', 0}, {"reason", 't', APPOINTMENT_REASON_MAX},
        {"status", 't', 11},        {"answer", 't', APPOINTMENT_ANSWER_MAX},
        {"answered_by", 't', 32},   {"answered_at", 'i', 0},
        {"created_at", 'i', 0},     {NULL},
};

static const struct store_column reminder_columns[] = {
        {"appointment_id", 'i', 0},
        {"kind", 't', 11},
        {"lead", 't', 15},
        {"note", 't', APPOINTMENT_ANSWER_MAX},
        {"due_at", 'i', 0},
        {"expires_at", 'i', 0},
        {"state", 't', 11},
        {"shown_at", 'i', 0},
        {"dismissed_at", 'i', 0},
        {"created_at", 'i', 0},
        {NULL},
};

static int
part_export(struct store *s, const struct store_person *p, json_t **ret)
{
	json_t *appointments = json_array(), *requests = json_array(), *reminders = json_array();
	int r = store_rows_export(s, "appointments", p->id, appointments);

	if (r == 0)
		r = store_rows_export_children(s, "appointment_requests", "appointment_id",
		                               "appointments", p->id, requests);
	if (r == 0)
		r = store_rows_export(s, "reminders", p->id, reminders);
	if (r < 0) {
		json_decref(appointments);
		json_decref(requests);
		json_decref(reminders);
		return r;
	}
	*ret = json_pack("{s:o, s:o, s:o}", "appointments", appointments, "requests", requests,
	                 "reminders", reminders);
	return *ret ? 0 : -ENOMEM;
}

static int
part_clear(struct store *s, int64_t person_id)
{
	int r = store_rows_delete(s, "reminders", person_id);

	if (r == 0)
		r = store_rows_delete_children(s, "appointment_requests", "appointment_id",
		                               "appointments", person_id);
	return r < 0 ? r : store_rows_delete(s, "appointments", person_id);
}

static int
part_import(struct store *s, int64_t person_id, json_t *part, const struct id_map *contacts,
            char *err, size_t size)
{
	struct parts_parents appointments = {.column = "appointment_id"};
	int r;

	/* Every list is bounded before the bundle is parsed (moves area); these are closer,
	 * and keep renaming each reminder's appointment (a search of them) cheap. */
	if (json_array_size(json_object_get(part, "appointments")) > 5000 ||
	    json_array_size(json_object_get(part, "requests")) > 5000 ||
	    json_array_size(json_object_get(part, "reminders")) > 20000) {
		snprintf(err, size,
		         "The bundle holds more appointments than any person's record has, so it "
		         "was refused and nothing was imported.");
		return -EMSGSIZE;
	}
	r = parts_import_parents(s, "appointments", person_id, appointment_columns,
	                         json_object_get(part, "appointments"), &appointments);
	if (r == 0)
		r = store_rows_import(s, "appointment_requests", 0, request_columns,
		                      json_object_get(part, "requests"), parts_rename_parent,
		                      &appointments, NULL);
	if (r == 0)
		r = store_rows_import(s, "reminders", person_id, reminder_columns,
		                      json_object_get(part, "reminders"), parts_rename_parent,
		                      &appointments, NULL);
	parts_parents_release(&appointments);
	if (r == -EBADMSG)
		snprintf(err, size, "The bundle's appointments are not well formed.");
	return r;
}

const struct person_part appointment_part = {"appointments", part_export, part_clear, part_import};
