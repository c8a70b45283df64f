/*
 * The contacts area: a person's family and friends, added by staff, pending until
 * approved, with the safeguarding marks (victim, barred, minor) policy decides on.
 */
#include "call.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

extern const struct method contact_methods[];

static bool
contact_id_valid(const char *id)
{
	size_t n = strlen(id);

	return n > 0 && n <= 18 && id[0] != '0' && strspn(id, "0123456789") == n;
}

/* The person's own contact only: another person's contact is "no such contact". */
static int
add_contact(struct server *srv, struct facts *f, const struct store_person *p, const char *id)
{
	struct store_contact contact;
	int r = store_contact_get(srv->store, strtoll(id, NULL, 10), &contact);

	if (r == 0 && contact.person_id != p->id)
		r = -ENOENT;
	return r < 0 ? r : facts_add_contact(f, &contact, p->prison_number);
}

static const struct area_resource resources[] = {
        {"contact", "Contact", "That person has no contact with that number.", contact_id_valid,
         add_contact, false},
        {NULL},
};

const struct area contacts_area = {
        .name = "contacts",
        .methods = (const struct method *const[]){contact_methods, NULL},
        .resources = resources,
};
