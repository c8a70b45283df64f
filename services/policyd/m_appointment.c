/*
 * onward.* methods for appointments, changes and reminders. Each method is a row in the table at
 * the end; the dispatcher finds it by name (dispatch.c). See docs/protocol.md for the methods.
 */
#include "call.h"
#include "home.h"

const struct method appointment_methods[] = {
        {NULL},
};

int
home_due_reminders(struct server *srv, const struct store_person *p)
{
	return 0;
}

json_t *
home_next_appointment(struct server *srv, const struct store_person *p)
{
	return json_null();
}

json_t *
home_banners(struct server *srv, const struct store_person *p)
{
	return json_array();
}
