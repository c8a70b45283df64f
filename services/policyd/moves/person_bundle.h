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
#include <stdint.h>

#include <jansson.h>

#include "record.h"
#include "store.h"

struct server;

/* The file: the payload with the header, the sender's certificate and the signatures. The
 * record's own limits are services/record's (record.h). */
#define PERSON_BUNDLE_FILE_MAX ((uint64_t)RECORD_PAYLOAD_MAX + 16384)

/*
 * Builds the payload for p (a new reference), carrying hand-over count seq (one more than
 * the count held here).
 */
int person_bundle_export(struct server *srv, const struct store_person *p, int64_t seq,
                         json_t **ret, char *err, size_t size);

/*
 * Applies a parsed payload from establishment `sender` inside the caller's transaction:
 * creates the person or replaces the record already here, with everything in the payload.
 * A person's record is active in one place only, so a record held here is replaced only
 * by a bundle from the establishment it moved to (moved_out), and only by a newer copy
 * than any this establishment has held or sent (the hand-over count); a person not held
 * here may come from any trusted sender. Refuses (nothing changed, a plain message in
 * err) anything else, a record that is not well formed, a PIN record not made with this
 * service's parameters, and a person whose establishment is not set up here. ret_person
 * is the record as it now is.
 */
int person_bundle_import(struct server *srv, json_t *payload, const char *sender,
                         struct store_person *ret_person, char *err, size_t size);

#endif
