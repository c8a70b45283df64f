/*
 * The housing area: a person's housing enquiry to the council (the duty-to-refer route),
 * made from 12 weeks before release and on licence, with its status and staff's replies;
 * and the directory of local services for the release area. See housing_int.h.
 */
#include "housing_int.h"

#include "person_parts.h"

static const char *const person_actions[] = {"housing.enquire", NULL};

const struct area housing_area = {
        .name = "housing",
        .methods = (const struct method *const[]){housing_methods, NULL},
        .person_actions = person_actions,
        .service_actions = person_actions,
        .start = housing_start,
        .drain = housing_drain,
        .stop = housing_stop,
        .bundle_part = &housing_part,
};
