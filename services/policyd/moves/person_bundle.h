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

#include "store.h"

struct server;

/* 2: the record carries its hand-over count ("sequence"). */
#define PERSON_BUNDLE_FORMAT 2

/*
 * Limits on what a bundle may hold, each well above what a real record has (a person with
 * 10,000 messages and 50 courses is a payload of about 7 MB and 300,000 values), checked
 * before anything is allocated for it: the payload's bytes, its nesting, every list, and
 * all its values. The values bound the parsed tree (about 180 bytes each) and the rows
 * the import then writes on the loop (about 30 us each).
 */
#define PERSON_BUNDLE_PAYLOAD_MAX (64u << 20)
/* The file: the payload with the header, the sender's certificate and the signatures. */
#define PERSON_BUNDLE_FILE_MAX ((uint64_t)PERSON_BUNDLE_PAYLOAD_MAX + 16384)
#define PERSON_BUNDLE_DEPTH_MAX 12
#define PERSON_BUNDLE_CONTACTS_MAX 200
#define PERSON_BUNDLE_MOVES_MAX 1000
#define PERSON_BUNDLE_AUDIT_MAX 50000
/* One audit row as stored: its detail is at most 4 KiB (STORE_DETAIL_MAX). */
#define PERSON_BUNDLE_AUDIT_ROW_MAX 8192
/* Any other list, such as an area's rows; each area may allow fewer. */
#define PERSON_BUNDLE_LIST_MAX 50000
#define PERSON_BUNDLE_VALUES_MAX 1000000
/* More hand-overs than a life in custody could see: a count past it is not real. */
#define PERSON_BUNDLE_SEQ_MAX 100000

/*
 * Builds the payload for p (a new reference), carrying hand-over count seq (one more than
 * the count held here).
 */
int person_bundle_export(struct server *srv, const struct store_person *p, int64_t seq,
                         json_t **ret, char *err, size_t size);

/*
 * Turns the decrypted payload into a JSON document, refusing (-EMSGSIZE, -EBADMSG; a plain
 * message in err) one over the limits above before allocating anything for it, one that
 * is not JSON, and one of another format. Needs nothing of the daemon's: run it off the
 * loop (and, later, in the keyless parsing child).
 */
int person_bundle_parse(const void *payload, size_t len, json_t **ret, char *err, size_t size);

/*
 * The scan person_bundle_parse() runs first, allocating nothing: 0 when the text is JSON
 * whose nesting, lists and values are within the limits, -EMSGSIZE (over a limit) or
 * -EBADMSG (not JSON it can follow, or a member name written with escapes) otherwise.
 */
int person_bundle_scan(const char *text, size_t len, char *err, size_t size);

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
