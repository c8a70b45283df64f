/*
 * record.h: reading what comes from outside as JSON — a person bundle's record and the
 * services directory — as pure functions both sides of the daemon's privilege separation
 * link. Nothing here opens a file, holds a key, touches the store or logs.
 *
 *   - onward-parse, the keyless child, reads the outside bytes: record_parse() bounds the
 *     text with an allocation-free scan before jansson allocates anything for it, then
 *     parses it and checks its format; record_canonical() makes the record's JSON held as
 *     text into objects and writes the canonical text the daemon receives.
 *     record_directory_check() checks a parsed services directory.
 *   - onward-policyd reads only that canonical text, with the same record_parse(), so a
 *     child that lies still cannot make it build a tree larger than a record can be, and
 *     checks a directory the child sends with the same record_directory_check().
 *
 * Conventions: 0 or a negative errno; a refusal fills err (size bytes) with one sentence
 * in staff's words; output parameters are set only on success.
 */
#ifndef ONWARD_RECORD_H
#define ONWARD_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* 2: the record carries its hand-over count ("sequence"). */
#define RECORD_FORMAT 2

/*
 * Limits on what a record may hold, each well above what a real record has (a person with
 * 10,000 messages and 50 courses is a payload of about 7 MB and 300,000 values), checked
 * before anything is allocated for it: the payload's bytes, its nesting, every list, and
 * all its values. The values bound the parsed tree (about 180 bytes each) and the rows
 * the import then writes on the loop (about 30 us each). The canonical text the child
 * sends back is held to the same limits.
 */
#define RECORD_PAYLOAD_MAX (64u << 20)
#define RECORD_DEPTH_MAX 12
#define RECORD_CONTACTS_MAX 200
#define RECORD_MOVES_MAX 1000
#define RECORD_AUDIT_MAX 50000
/* One audit row as stored: its detail is at most 4 KiB (STORE_DETAIL_MAX). */
#define RECORD_AUDIT_ROW_MAX 8192
/* Any other list, such as an area's rows; each area may allow fewer. */
#define RECORD_LIST_MAX 50000
#define RECORD_VALUES_MAX 1000000
/* More hand-overs than a life in custody could see: a count past it is not real. */
#define RECORD_SEQ_MAX 100000

/* The JSON a record holds as text, each at most this long as the sender wrote it. */
#define RECORD_LICENCE_TEXT_MAX 4000
#define RECORD_SETTINGS_TEXT_MAX 512
#define RECORD_DETAIL_TEXT_MAX 1023 /* a move's detail (struct store_move) */

/*
 * The scan record_parse() runs first, allocating nothing: 0 when the text is JSON whose
 * nesting, lists and values are within the limits, -EMSGSIZE (over a limit) or -EBADMSG
 * (not JSON it can follow, or a member name written with escapes) otherwise.
 */
int record_scan(const char *text, size_t len, char *err, size_t size);

/*
 * Turns a record's text into a JSON document, refusing (-EMSGSIZE, -EBADMSG) one over the
 * limits above before allocating anything for it, one that is not a JSON object (or has a
 * member twice), and one of another format. *ret_doc is a new reference.
 */
int record_parse(const void *text, size_t len, json_t **ret_doc, char *err, size_t size);

/*
 * The canonical text of a record record_parse() returned: the licence, the settings and
 * each move's detail, which a payload holds as JSON text, made into their objects when
 * they are objects within their lengths above (anything else is left as it came, for the
 * daemon to refuse in its turn), then compact, with sorted keys. Refused (-EMSGSIZE,
 * -EBADMSG, with record_parse()'s words) when that text is not one record_parse() takes,
 * so what the child sends is what the daemon reads. doc is changed; *ret_text is
 * malloc'd, *ret_len its length. Canonical text is its own canonical text.
 */
int record_canonical(json_t *doc, char **ret_text, size_t *ret_len, char *err, size_t size);

/* ---- the services directory (directory.c) ---- */

#define RECORD_DIRECTORY_NAME "services-directory.json" /* how messages name the file */
#define RECORD_DIRECTORY_BYTES_MAX (1u << 20)
#define RECORD_DIRECTORY_AREAS_MAX 64
#define RECORD_DIRECTORY_SERVICES_MAX 2000
#define RECORD_DIRECTORY_PROBLEM_MAX 400

/* The categories a service may be in, ended by NULL. */
extern const char *const record_directory_categories[];
bool record_directory_category_known(const char *category);

/*
 * Checks a parsed services directory strictly: {"format": 1, "updated": date, "areas":
 * [{id, name}], "services": [{id, name, category, area, phone, address, hours,
 * description, website?}]}, every field known, one line of bounded text, ids unique, each
 * service's area listed. 0, or -EINVAL with one line naming the place and the problem in
 * err (RECORD_DIRECTORY_PROBLEM_MAX bytes): "services-directory.json: services[3] (x):
 * phone must be ...". A directory that passes holds nothing else, so it is its own
 * canonical form.
 */
int record_directory_check(json_t *root, char *err);

#endif
