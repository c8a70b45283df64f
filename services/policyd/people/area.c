/*
 * The people area: establishments and staff (org.c), and the people themselves: adding,
 * showing, listing, changing and resetting a PIN (person.c). Staff members are a resource
 * ("staff:k.patel") explain can ask about, as a person's named worker.
 */
#include "call.h"

#include "validate.h"

extern const struct method staff_methods[], person_methods[];

static int
add_staff(struct server *srv, struct facts *f, const struct store_person *p, const char *id)
{
	struct store_staff staff;
	int r = store_staff_get(srv->store, id, &staff);

	return r < 0 ? r : facts_add_staff(f, &staff);
}

static const struct area_resource resources[] = {
        {"staff", "Staff", "No staff member has that id.", validate_staff_id, add_staff, false},
        {NULL},
};

const struct area people_area = {
        .name = "people",
        .methods = (const struct method *const[]){staff_methods, person_methods, NULL},
        .resources = resources,
};
