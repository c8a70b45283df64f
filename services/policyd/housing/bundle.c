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

static const struct part_table tables[] = {
        {"cases", "housing_cases", case_columns, NULL, false, 200},
        {"messages", "housing_messages", housing_message_columns, "case_id", false, 10000},
        {NULL},
};

const struct person_part housing_part = {
        .name = "housing",
        .tables = tables,
        .too_many = "The bundle holds more housing enquiries than any person's record has, so it "
                    "was refused and nothing was imported.",
        .not_well_formed = "The bundle's housing enquiry is not well formed.",
};
