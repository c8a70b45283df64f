/*
 * The establishment's tablets and the one-time codes that enrol them. A device row is
 * made when a tablet enrols (its certificate's fingerprint, its raw public key, who made
 * the code) and is never deleted: a revoked tablet keeps its row, so the audit log always
 * names a device that existed and a revoked certificate can never come back. A code is
 * kept only as its hash, and is used at most once.
 */
#ifndef ONWARD_STORE_DEVICES_H
#define ONWARD_STORE_DEVICES_H

#include "store.h"

#define STORE_DEVICE_NAME_MAX 64 /* bytes of a tablet's name */
#define STORE_DEVICE_SOFTWARE_MAX 32 /* bytes of its software version */
#define STORE_DEVICE_REASON_MAX 200 /* bytes of the reason it was revoked */
#define STORE_ACTOR_MAX 47 /* "staff:j.smith", "break-glass:uid0" */

struct store_device {
	char id[16]; /* "T0001": the certificate's common name */
	char name[STORE_DEVICE_NAME_MAX + 1];
	char fingerprint[65]; /* hex SHA-256 of its certificate's DER */
	char public_key[96]; /* base64 of the 65-byte uncompressed P-256 point */
	char serial[33]; /* hex of the certificate's serial number */
	int64_t enrolled_at;
	char enrolled_by[STORE_ACTOR_MAX + 1]; /* who made the code it enrolled with */
	int64_t last_seen; /* 0 until its first Device.Hello */
	char software[STORE_DEVICE_SOFTWARE_MAX + 1];
	int64_t revoked_at; /* 0 while enrolled */
	char revoked_by[STORE_ACTOR_MAX + 1];
	char revoked_reason[STORE_DEVICE_REASON_MAX + 1];
};

/* The id the next device gets ("T0001", "T0002" ...); call inside the insert's transaction. */
int store_device_next_id(struct store *s, char *ret_id, size_t size);

/* Inserts d (every field as given); -EEXIST when its id or fingerprint is taken. */
int store_device_insert(struct store *s, const struct store_device *d);

int store_device_get(struct store *s, const char *id, struct store_device *ret);

/* The device whose certificate has this fingerprint; -ENOENT when none. */
int store_device_find(struct store *s, const char *fingerprint, struct store_device *ret);

/*
 * Visits up to limit devices in id order ("T0009" before "T0010") after the id `after`
 * ("" to start).
 */
int store_device_list(struct store *s, const char *after, int limit,
                      int (*fn)(const struct store_device *d, void *userdata), void *userdata);

/* Records a device's call: when, and the software it said it runs. */
int store_device_seen(struct store *s, const char *id, int64_t now, const char *software);

/*
 * Revokes a device: -ENOENT when there is none, -EALREADY when it was revoked before (the
 * first revocation's time, staff member and reason are kept).
 */
int store_device_revoke(struct store *s, const char *id, int64_t now, const char *by,
                        const char *reason);

/* ---- enrolment codes ---- */

/* Keeps a new code's hash (hex SHA-256), valid until expires_at; -EEXIST if it is there. */
int store_enrolment_code_add(struct store *s, const char *hash, const char *created_by,
                             int64_t created_at, int64_t expires_at);

/*
 * Uses the code with this hash: it must exist, be unused and expire after now. It is
 * then marked used and ret_created_by (may be NULL) says who made it. -ENOENT for a code
 * that is unknown, used or expired alike, so a caller cannot tell them apart.
 */
int store_enrolment_code_use(struct store *s, const char *hash, int64_t now, char *ret_created_by,
                             size_t size);

/* Forgets codes that expired before `before` (used or not): they can never be used again. */
int store_enrolment_code_prune(struct store *s, int64_t before);

#endif
