/*
 * The encrypted store: one SQLCipher database per device, opened with a raw 256-bit key.
 * Only the daemon links this. Think of struct store as an object: store_open() makes it,
 * the functions below are its methods, store_free() ends it. Every function returns 0 or
 * a negative errno: -ENOENT (no such row), -EEXIST (already there), -EBADMSG (wrong key or
 * corrupt file), -EBUSY, -ENOSPC, -EIO. Output parameters are untouched on failure.
 *
 * Writes are durable when the call returns (WAL, synchronous=FULL). Group several writes
 * and their audit row with store_begin()/store_commit() so they land together or not at all.
 */
#ifndef ONWARD_STORE_H
#define ONWARD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_KEY_LEN 32
#define STORE_NAME_MAX 100 /* bytes of UTF-8 in a person's, staff member's or contact's name */
#define STORE_DETAIL_MAX 4096 /* bytes of JSON detail in an audit row */
#define STORE_FLAGS_MAX 16 /* flags on one person */

struct store;

/* Derives the store's raw key from the 32-byte device secret (HKDF-SHA256). */
int store_derive_key(const uint8_t secret[32], uint8_t ret_key[STORE_KEY_LEN]);

/*
 * Opens (creating if absent) the database at path with key and brings its schema up to
 * date. -EBADMSG means the key does not open the file, or it is not a database.
 */
int store_open(const char *path, const uint8_t key[STORE_KEY_LEN], struct store **ret);
void store_free(struct store *s);

/*
 * Checks that key opens the database at path and reports its schema version, changing
 * nothing (no migration). -ENOENT when there is no file.
 */
int store_probe(const char *path, const uint8_t key[STORE_KEY_LEN], int *ret_version);

/* The schema version now in the file, and the newest this build knows. */
int store_schema_version(struct store *s);
int store_schema_latest(void);

/* Transactions: begin takes the write lock at once (BEGIN IMMEDIATE). */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* A plain description of the last SQLite error, for the daemon's log. */
const char *store_last_error(struct store *s);

/* ---- establishments (prisons and probation regions) ---- */

struct store_establishment {
	char code[4]; /* "MDI" */
	char name[STORE_NAME_MAX + 1]; /* "HMP Moorland" */
	char kind[16]; /* "prison" | "probation" */
	char regime[16]; /* "auto" (night by the clock), "unlock", "night", "lockdown" */
};

int store_establishment_insert(struct store *s, const struct store_establishment *e);
int store_establishment_get(struct store *s, const char *code, struct store_establishment *ret);
int store_establishment_set_regime(struct store *s, const char *code, const char *regime);
int store_establishment_list(struct store *s,
                             int (*fn)(const struct store_establishment *e, void *userdata),
                             void *userdata);

/* ---- staff ---- */

struct store_staff {
	char id[33]; /* "j.smith" */
	char name[STORE_NAME_MAX + 1];
	char role[24]; /* officer | key_worker | education | probation |
	                  housing | administrator */
	char establishment[4]; /* "" when national */
	bool active;
	int64_t created_at;
};

int store_staff_insert(struct store *s, const struct store_staff *st);
int store_staff_get(struct store *s, const char *id, struct store_staff *ret);
int store_staff_count(struct store *s, int64_t *ret_count);
int store_staff_list(struct store *s, int (*fn)(const struct store_staff *st, void *userdata),
                     void *userdata);

/* ---- people ---- */

struct store_person {
	int64_t id;
	char prison_number[8]; /* "A1234BC" */
	char crn[8]; /* "X123456", "" when none yet */
	char given_name[STORE_NAME_MAX + 1];
	char family_name[STORE_NAME_MAX + 1];
	char status[12]; /* remand | sentenced | licence | released */
	char incentive[12]; /* basic | standard | enhanced */
	char establishment[4]; /* current establishment or probation region */
	char release_date[11]; /* "YYYY-MM-DD", "" when not known */
	char flags[STORE_FLAGS_MAX * 33]; /* keywords joined by ',' ("" when none) */
	char worker[33]; /* the named worker's staff id: key worker, then probation officer */
	char moved_out[4]; /* the establishment the record moved to; "" while it is here */
	int failed_logins; /* wrong PINs still counting (see store_person_count_failure) */
	int64_t failed_at; /* Unix seconds of the last wrong PIN; 0 when none */
	int64_t locked_until; /* Unix seconds; 0 when not locked */
	int64_t created_at;
	int64_t updated_at;
	/* The PIN was issued by staff: at the next login the person chooses their own. */
	bool pin_change;
};

/*
 * Inserts p (id, failed_logins, failed_at and locked_until ignored; pin_change kept: true
 * for a PIN staff issued); -EEXIST if the number is taken.
 */
int store_person_insert(struct store *s, const struct store_person *p, const char *pin_hash,
                        int64_t *ret_id);
int store_person_get(struct store *s, int64_t id, struct store_person *ret);
int store_person_find(struct store *s, const char *prison_number, struct store_person *ret);
/*
 * Visits up to limit people in prison-number order after the number `after` ("" to start);
 * establishment NULL for all.
 */
int store_person_list(struct store *s, const char *establishment, const char *after, int limit,
                      int (*fn)(const struct store_person *p, void *userdata), void *userdata);
/* Writes the editable fields of p (names, crn, status, incentive, establishment, release
 * date, flags) and sets updated_at. */
int store_person_update(struct store *s, const struct store_person *p, int64_t now);
/* Licence conditions as JSON text ("" when none), read and written apart from the record. */
int store_person_get_licence(struct store *s, int64_t id, char *ret_json, size_t size);
int store_person_set_licence(struct store *s, int64_t id, const char *json, int64_t now);
/* The person's own settings as JSON text ("" when never set). */
int store_person_get_settings(struct store *s, int64_t id, char *ret_json, size_t size);
int store_person_set_settings(struct store *s, int64_t id, const char *json);
int store_person_get_pin_hash(struct store *s, int64_t id, char *ret_hash, size_t size);
/*
 * Each sets the PIN hash and clears wrong PINs and any lock. set_pin_hash leaves
 * pin_change as it is (a record arriving from another establishment); issue_pin is staff
 * giving a PIN, which the person must change at their next login; choose_pin is the
 * person's own choice.
 */
int store_person_set_pin_hash(struct store *s, int64_t id, const char *pin_hash, int64_t now);
int store_person_issue_pin(struct store *s, int64_t id, const char *pin_hash, int64_t now);
int store_person_choose_pin(struct store *s, int64_t id, const char *pin_hash, int64_t now);
/*
 * Counts one wrong PIN in a single UPDATE, so no two PIN checks can lose a count however
 * they interleave, and says the count now. Wrong PINs decay: the count starts again at 1
 * once `window` seconds have passed since both the last wrong PIN and the end of the last
 * lock. Run it with store_person_set_lock in one transaction.
 */
int store_person_count_failure(struct store *s, int64_t id, int64_t now, int64_t window,
                               int *ret_failures);
int store_person_set_lock(struct store *s, int64_t id, int64_t locked_until);
/* A right PIN: no wrong PINs counting, no lock. */
int store_person_login_succeeded(struct store *s, int64_t id);

/* ---- contacts ---- */

struct store_contact {
	int64_t id;
	int64_t person_id;
	char name[STORE_NAME_MAX + 1];
	char relation[33]; /* keyword: mother, partner, friend, solicitor ... */
	bool minor; /* under 18 */
	bool victim; /* a victim of the person's offence */
	bool barred; /* barred from contact by staff or a court */
	char status[12]; /* pending | approved | rejected */
	char decided_by[33]; /* staff id, "" while pending */
	int64_t decided_at;
	int64_t created_at;
};

int store_contact_insert(struct store *s, const struct store_contact *c, int64_t *ret_id);
int store_contact_get(struct store *s, int64_t id, struct store_contact *ret);
int store_contact_count(struct store *s, int64_t person_id, int64_t *ret_count);
/* Deletes all of a person's contacts (a person bundle's import replaces them). */
int store_contact_delete_all(struct store *s, int64_t person_id);
int store_contact_list(struct store *s, int64_t person_id,
                       int (*fn)(const struct store_contact *c, void *userdata), void *userdata);
int store_contact_decide(struct store *s, int64_t id, const char *status, const char *staff_id,
                         int64_t now);

/* ---- registered apps ---- */

struct store_app {
	char name[33]; /* "learning" */
	char title[STORE_NAME_MAX + 1]; /* "Learning" */
	char path[4096]; /* absolute path of the executable */
	char sha256[65]; /* lower-case hex of the executable's SHA-256 */
	char registered_by[33];
	int64_t registered_at;
};

/* Registers or re-registers (replacing path and hash) an app. */
int store_app_put(struct store *s, const struct store_app *a);
int store_app_get(struct store *s, const char *name, struct store_app *ret);
int store_app_list(struct store *s, int (*fn)(const struct store_app *a, void *userdata),
                   void *userdata);

/* ---- staff grants: links of the policy templates to one person ---- */

struct store_grant {
	char id[40]; /* "grant-7f3a..." : the policy link id */
	char template_name[33]; /* the template's @template: "grant-app", "block-app" */
	int64_t person_id;
	char prison_number[8]; /* filled when read */
	char resource_type[16]; /* "App", "Course" */
	char resource_id[65];
	int64_t expires_at; /* Unix seconds; 0 for no expiry */
	char reason[501];
	char created_by[33];
	int64_t created_at;
};

int store_grant_insert(struct store *s, const struct store_grant *g);
int store_grant_delete(struct store *s, const char *id);
int store_grant_get(struct store *s, const char *id, struct store_grant *ret);
/* Visits grants of one person (person_id > 0) or all (0), oldest first. */
int store_grant_list(struct store *s, int64_t person_id,
                     int (*fn)(const struct store_grant *g, void *userdata), void *userdata);
/* Deletes grants that expired at or before now; ret_count says how many. */
int store_grant_expire(struct store *s, int64_t now, int64_t *ret_count);

/* ---- person sessions ---- */

int store_session_start(struct store *s, const char *session_id, int64_t person_id, int64_t now);
int store_session_end(struct store *s, const char *session_id, const char *reason, int64_t now);
/* Ends every session left open (after a crash); returns how many through ret_count. */
int store_session_end_all(struct store *s, const char *reason, int64_t now, int64_t *ret_count);

/* ---- refusals counted, not listed ---- */

/*
 * A flood of refused calls (wrong PINs, an account locked) must not flood the audit chain:
 * each kind of refusal about one subject is counted in one row here, kept across a crash,
 * and written to the chain as one row for all of them (see session/refusals.c).
 */
struct store_refusal {
	char subject[48]; /* "person:A1234BC", or "person:*" for many */
	char action[64]; /* "session.login" */
	char error[64]; /* "onward.LoginFailed" */
	char outcome[16]; /* "failed" | "refused" */
	char actor[48]; /* who was refused last: "device:pid123" */
	char message[201]; /* the last refusal's words */
	int64_t count;
	int64_t first_at; /* Unix seconds */
	int64_t last_at;
};

/*
 * Counts one refusal of (subject, action, error), keeping the latest actor, outcome and
 * message. A new row is made only while fewer than `max` are held: -ENOSPC otherwise.
 */
int store_refusal_count(struct store *s, const struct store_refusal *f, int64_t now, int max);
/* Visits the rows counted for subject (NULL: any) whose first refusal was at or before
 * `first_before`, oldest first. */
int store_refusal_list(struct store *s, const char *subject, int64_t first_before,
                       int (*fn)(const struct store_refusal *f, void *userdata), void *userdata);
int store_refusal_delete(struct store *s, const struct store_refusal *f);
/* How many rows are held. */
int store_refusal_rows(struct store *s, int64_t *ret_rows);

/* ---- the audit chain ---- */

struct store_audit_row {
	int64_t seq;
	int64_t at;
	char actor[48]; /* "staff:j.smith", "person:A1234BC", "system" */
	char subject[48]; /* "person:A1234BC", "app:learning", "" */
	char action[64]; /* "person.add", "session.login" */
	char outcome[16]; /* "ok" | "refused" | "failed" | "allow" | "deny" */
	char detail[STORE_DETAIL_MAX + 1]; /* JSON object text, "{}" when none */
	char prev_hash[65]; /* hex */
	char hash[65]; /* hex */
};

/* Appends a row after the current head; the caller's transaction makes it atomic. */
int store_audit_append(struct store *s, int64_t at, const char *actor, const char *subject,
                       const char *action, const char *outcome, const char *detail_json,
                       int64_t *ret_seq);

struct store_audit_filter {
	int64_t after_seq; /* rows with seq greater than this */
	const char *subject; /* NULL for any */
	const char *actor; /* NULL for any */
	int limit; /* at most this many (1..1000) */
};

int store_audit_list(struct store *s, const struct store_audit_filter *f,
                     int (*fn)(const struct store_audit_row *row, void *userdata), void *userdata);

enum store_audit_problem {
	STORE_AUDIT_OK,
	STORE_AUDIT_ALTERED, /* a row's contents do not match its hash */
	STORE_AUDIT_BROKEN_LINK, /* a row does not follow the one before it (removed, reordered) */
	STORE_AUDIT_GAP, /* sequence numbers skip */
	STORE_AUDIT_TRUNCATED, /* rows at the end were removed */
};

struct store_audit_report {
	enum store_audit_problem problem;
	int64_t rows; /* rows checked */
	int64_t bad_seq; /* the first row with the problem (or the last good one) */
};

/* Walks the whole chain and reports the first problem. */
int store_audit_verify(struct store *s, struct store_audit_report *ret);

#endif
