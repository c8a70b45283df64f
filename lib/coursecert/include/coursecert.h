/*
 * coursecert.h: course certificates, the public interface of libonward_coursecert.
 *
 * When a person passes a course, onward-policyd issues a certificate: a small, strict JSON
 * document that says who passed which course (id, title, version, level, provider), when,
 * with what score, and at which establishment, signed with the establishment's Ed25519
 * key. The document carries the public key that signed it, so it is self-contained: it
 * can be checked anywhere (a college, an employer, a probation office), years after release
 * and without the daemon. Checking it against the establishment's published public key
 * (onwardctl certificate key) proves who issued it; checking it against the key inside it
 * only proves that nothing in it was changed.
 *
 * Who calls what:
 *   - onward-policyd: coursecert_key_generate() and coursecert_key_save_private() the
 *     first time a certificate is needed, coursecert_key_load_private() after that,
 *     coursecert_issue() when a person passes; coursecert_key_load_public() and
 *     coursecert_key_raw_public() for the content root of course packs.
 *   - onwardctl certificate verify: coursecert_verify(), offline.
 *
 * What is signed is a fixed line-based rendering of the fields (see document.c), never the
 * JSON text, so the document's spacing and key order do not matter and no JSON
 * canonicalization is needed. Every text field is UTF-8 without control characters, so a
 * value cannot forge a line of its own.
 *
 * Conventions, as in the house style: functions return 0 or a negative errno code; output
 * parameters are named ret_*, come last (before the optional error) and are untouched on
 * failure; a failing call fills the optional struct coursecert_error with one line naming
 * what failed; every _free() accepts NULL; the library never logs.
 *
 * Error codes:
 *   -EBADMSG       the document (or a key file) is malformed
 *   -EKEYREJECTED  the signature does not verify, or the document was signed by a key
 *                  other than the one it is checked against
 *   -EFBIG         a document or key file larger than its limit
 *   -EPERM         a private key file that group or others may read
 *   -EINVAL        a bad argument (a field out of range when issuing)
 *   -ENOENT, -EEXIST, -ENOMEM, -EIO and other errno values for system failures
 */
#ifndef ONWARD_COURSECERT_H
#define ONWARD_COURSECERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define COURSECERT_ERROR_MAX 300
struct coursecert_error {
	int code; /* the negative errno value also returned */
	char message[COURSECERT_ERROR_MAX];
};

#define COURSECERT_DOCUMENT_MAX 8192 /* bytes of JSON; checked before parsing */
#define COURSECERT_KEY_ID_MAX 17 /* 16 hex digits and the NUL */
#define COURSECERT_RAW_KEY_LEN 32

/*
 * Ed25519 keys. A private key file is PKCS#8 PEM, created with mode 0600 (never over an
 * existing file, written durably); loading refuses one that group or others may read. A
 * public key is SubjectPublicKeyInfo PEM (what onward-pack keygen --pub writes too). The
 * key id is the first 8 bytes of the SHA-256 of the raw public key, in hex.
 */
struct coursecert_key;
int coursecert_key_generate(struct coursecert_key **ret_key, struct coursecert_error *err);
int coursecert_key_save_private(const struct coursecert_key *key, const char *path,
                                struct coursecert_error *err);
int coursecert_key_load_private(const char *path, struct coursecert_key **ret_key,
                                struct coursecert_error *err);
int coursecert_key_load_public(const char *path, struct coursecert_key **ret_key,
                               struct coursecert_error *err);
int coursecert_key_from_raw_public(const uint8_t raw[COURSECERT_RAW_KEY_LEN],
                                   struct coursecert_key **ret_key, struct coursecert_error *err);
/* The public key as PEM text (malloc'd, NUL-terminated). */
int coursecert_key_public_pem(const struct coursecert_key *key, char **ret_pem,
                              struct coursecert_error *err);
void coursecert_key_raw_public(const struct coursecert_key *key,
                               uint8_t ret_raw[COURSECERT_RAW_KEY_LEN]);
void coursecert_key_id(const struct coursecert_key *key, char ret_id[COURSECERT_KEY_ID_MAX]);
bool coursecert_key_has_private(const struct coursecert_key *key);
void coursecert_key_free(struct coursecert_key *key);

/*
 * What a certificate states. Text fields are UTF-8 without control characters, within the
 * sizes below. score is a percentage, or -1 for a course without quizzes (completed by
 * reading every page). key_id is filled by coursecert_parse() and coursecert_verify();
 * coursecert_issue() ignores it and states the signing key's.
 */
struct coursecert_fields {
	char id[41]; /* 1-40 of a-z, 0-9 and '-' */
	char given_name[101];
	char family_name[101];
	char prison_number[8]; /* "A1234BC" */
	char course_id[65]; /* 1-64 of a-z, 0-9, '.' and '-' */
	char course_title[121];
	char course_version[33]; /* "MAJOR.MINOR.PATCH" */
	char course_level[8]; /* entry1, entry2, entry3, level1, level2 */
	char provider_name[101];
	int64_t issued_at; /* Unix seconds, UTC */
	int score; /* 0-100, or -1 */
	char establishment_code[4]; /* "MDI" */
	char establishment_name[101];
	char key_id[COURSECERT_KEY_ID_MAX];
};

/*
 * Makes and signs a certificate with key (which must hold its private half). On success
 * *ret_json is a malloc'd, NUL-terminated, indented JSON document of *ret_len bytes.
 */
int coursecert_issue(const struct coursecert_fields *fields, const struct coursecert_key *key,
                     char **ret_json, size_t *ret_len, struct coursecert_error *err);

/*
 * Checks a document: its size, strict JSON (no duplicate or unknown keys, every field of
 * the right type and form), that its key id names its public key, and its signature. When
 * trusted is not NULL the document must also have been signed by that very key
 * (-EKEYREJECTED naming both key ids otherwise). On success ret_fields (optional) holds
 * what it states.
 */
int coursecert_verify(const void *json, size_t len, const struct coursecert_key *trusted,
                      struct coursecert_fields *ret_fields, struct coursecert_error *err);

/* Times as "YYYY-MM-DDTHH:MM:SSZ" (COURSECERT_TIME_MAX bytes with the NUL). */
#define COURSECERT_TIME_MAX 21
int coursecert_time_format(int64_t time, char ret_text[COURSECERT_TIME_MAX]);
int coursecert_time_parse(const char *text, int64_t *ret_time);

#ifdef __cplusplus
}
#endif
#endif
