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

static const struct part_table tables[] = {
        {"appointments", "appointments", appointment_columns, NULL, false, 5000},
        {"requests", "appointment_requests", request_columns, "appointment_id", false, 5000},
        {"reminders", "reminders", reminder_columns, "appointment_id", true, 20000},
        {NULL},
};

const struct person_part appointment_part = {
        .name = "appointments",
        .tables = tables,
        .too_many = "The bundle holds more appointments than any person's record has, so it was "
                    "refused and nothing was imported.",
        .not_well_formed = "The bundle's appointments are not well formed.",
};
