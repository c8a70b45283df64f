/*
 * What goes in a person bundle, and how it comes back out: the payload (a JSON document)
 * holding everything that belongs to the person — their record and PIN hash, licence,
 * contacts and their approvals, moves, the audit rows about them, and each area's part
 * (person_parts.h). Sealing, signing and trust are lib/bundle's; this file is about
 * the record.
 */
#ifndef ONWARD_POLICYD_PERSON_BUNDLE_H
#define ONWARD_POLICYD_PERSON_BUNDLE_H

#include <stddef.h>

#include <jansson.h>

#include "store.h"

struct server;

#define PERSON_BUNDLE_FORMAT 1

/* Builds the payload for p (a new reference). */
int person_bundle_export(struct server *srv, const struct store_person *p, json_t **ret, char *err,
                         size_t size);

/*
 * Applies a payload inside the caller's transaction: creates the person or replaces the
 * older record already here, with everything in the payload. Refuses (nothing changed, a
 * plain message in err) a payload that does not hold a well-formed record, a person whose
 * establishment is not set up here, or a person whose record here is newer. ret_person is
 * the record as it now is.
 */
int person_bundle_import(struct server *srv, json_t *payload, const char *sender,
                         struct store_person *ret_person, char *err, size_t size);

#endif
