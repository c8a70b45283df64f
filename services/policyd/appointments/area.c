/*
 * The appointments area: staff book, move and cancel appointments; the person sees them
 * in the Appointments app, confirms them or asks to rearrange; reminders come as banners
 * on the home screen at lead times per kind. See appointments_int.h.
 */
#include "appointments_int.h"

#include "person_parts.h"

static const char *const person_actions[] = {"appointment.view", "appointment.change", NULL};

const struct area appointments_area = {
        .name = "appointments",
        .methods = (const struct method *const[]){appointment_methods, NULL},
        .person_actions = person_actions,
        .service_actions = person_actions,
        .home = appointment_home,
        .bundle_part = &appointment_part,
};
