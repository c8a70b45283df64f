/*
 * Moving a person: the history of their moves (receive, transfer, release, recall, end of
 * licence, export, import), the establishments whose bundles this daemon trusts, and the
 * bundles already imported (so none is imported twice).
 */
#ifndef ONWARD_STORE_MOVES_H
#define ONWARD_STORE_MOVES_H

#include "store.h"

struct store_move {
	int64_t id;
	int64_t person_id;
	char kind[16]; /* receive | transfer | release | recall | end_licence | export | import */
	char from_establishment[4];
	char to_establishment[4];
	char from_status[12];
	char to_status[12];
	char staff_id[33];
	int64_t at;
	char detail[1024]; /* JSON object */
};

int store_move_record(struct store *s, const struct store_move *m);
int store_move_list(struct store *s, int64_t person_id,
                    int (*fn)(const struct store_move *m, void *userdata), void *userdata);

/* Deletes a person's move history (an import replaces it with the bundle's). */
int store_move_clear(struct store *s, int64_t person_id);

/* Audit rows about a person that came in a bundle from another establishment. */
int store_imported_audit_add(struct store *s, int64_t person_id, const char *sender,
                             const char *row_json);
int store_imported_audit_clear(struct store *s, int64_t person_id);
int store_imported_audit_list(struct store *s, int64_t person_id,
                              int (*fn)(const char *sender, const char *row_json, void *userdata),
                              void *userdata);

/* Marks a person as moved out to establishment `to` ("" to clear): read-only here after. */
int store_person_set_moved_out(struct store *s, int64_t person_id, const char *to, int64_t now);
int store_person_get_moved_out(struct store *s, int64_t person_id, char *ret_to, size_t size);

/*
 * The record's hand-over count: how many bundles have carried it, as far as this store
 * knows (0 for a record never moved). Set by export (one more) and import (the bundle's).
 */
int store_person_get_move_seq(struct store *s, int64_t person_id, int64_t *ret_seq);
int store_person_set_move_seq(struct store *s, int64_t person_id, int64_t seq);

struct store_trusted {
	char fingerprint[65];
	char code[4];
	char name[STORE_NAME_MAX + 1];
	char kind[16];
	char certificate[4096]; /* the certificate's JSON */
	char added_by[33];
	int64_t added_at;
};

int store_trust_add(struct store *s, const struct store_trusted *t);
int store_trust_list(struct store *s, int (*fn)(const struct store_trusted *t, void *userdata),
                     void *userdata);

/* Replay protection: -EEXIST if the bundle id was imported before. */
int store_bundle_record(struct store *s, const char *id, const char *sender,
                        const char *prison_number, int64_t now);
int store_bundle_seen(struct store *s, const char *id, bool *ret_seen);

#endif
