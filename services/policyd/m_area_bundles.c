/*
 * The housing and appointments parts of person bundles (see person_parts.h): the
 * person's housing enquiries with their threads, and their appointments with requests to
 * rearrange and reminders, so that on the day of release the probation region sees the
 * housing case and the first appointment — with its reminder — that the prison set up.
 * Child rows (a thread's messages, an appointment's requests and reminders) are renamed
 * to the parent rows' new ids.
 */
#include "person_parts.h"

#include "appointments.h"
#include "housing.h"
#include "rows.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- shared: rows whose parent was imported just before ---- */

struct parents {
	size_t n;
	int64_t *from, *to;
	const char *column; /* the child's column naming the parent */
};

static bool
rename_parent(json_t *row, void *userdata, int *ret_error)
{
	struct parents *p = userdata;
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
static int
import_parents(struct store *s, const char *table, int64_t person_id,
               const struct store_column *columns, json_t *rows, struct parents *ret)
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

static void
parents_release(struct parents *p)
{
	free(p->from);
	free(p->to);
}

/* ---- housing ---- */

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

int
housing_part_export(struct store *s, const struct store_person *p, json_t **ret)
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

int
housing_part_clear(struct store *s, int64_t person_id)
{
	int r = store_rows_delete_children(s, "housing_messages", "case_id", "housing_cases",
	                                   person_id);

	return r < 0 ? r : store_rows_delete(s, "housing_cases", person_id);
}

int
housing_part_import(struct store *s, int64_t person_id, json_t *part, const struct id_map *contacts,
                    char *err, size_t size)
{
	struct parents cases = {.column = "case_id"};
	int r = import_parents(s, "housing_cases", person_id, case_columns,
	                       json_object_get(part, "cases"), &cases);

	if (r == 0)
		r = store_rows_import(s, "housing_messages", 0, housing_message_columns,
		                      json_object_get(part, "messages"), rename_parent, &cases,
		                      NULL);
	parents_release(&cases);
	if (r == -EBADMSG)
		snprintf(err, size, "The bundle's housing enquiry is not well formed.");
	return r;
}

/* ---- appointments ---- */

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

int
appointment_part_export(struct store *s, const struct store_person *p, json_t **ret)
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

int
appointment_part_clear(struct store *s, int64_t person_id)
{
	int r = store_rows_delete(s, "reminders", person_id);

	if (r == 0)
		r = store_rows_delete_children(s, "appointment_requests", "appointment_id",
		                               "appointments", person_id);
	return r < 0 ? r : store_rows_delete(s, "appointments", person_id);
}

int
appointment_part_import(struct store *s, int64_t person_id, json_t *part,
                        const struct id_map *contacts, char *err, size_t size)
{
	struct parents appointments = {.column = "appointment_id"};
	int r = import_parents(s, "appointments", person_id, appointment_columns,
	                       json_object_get(part, "appointments"), &appointments);

	if (r == 0)
		r = store_rows_import(s, "appointment_requests", 0, request_columns,
		                      json_object_get(part, "requests"), rename_parent,
		                      &appointments, NULL);
	if (r == 0)
		r = store_rows_import(s, "reminders", person_id, reminder_columns,
		                      json_object_get(part, "reminders"), rename_parent,
		                      &appointments, NULL);
	parents_release(&appointments);
	if (r == -EBADMSG)
		snprintf(err, size, "The bundle's appointments are not well formed.");
	return r;
}
