/*
 * Learning in the store (schema slot 6): installed course packs, each person's place in a
 * course and the pages they have read, their quiz attempts, and their certificates. A
 * person's progress is kept by course id and by module and page names, never by version,
 * so it survives a newer version of the course and the course's removal; certificates are
 * rows holding the signed document, so they travel with the person (person bundles) and
 * verify anywhere. Same conventions as store.h: 0 or a negative errno, -ENOENT for no row,
 * ret_* untouched on failure.
 */
#ifndef ONWARD_STORE_COURSES_H
#define ONWARD_STORE_COURSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store.h"

#define STORE_COURSE_ID_MAX 64 /* a-z, 0-9, '.' and '-' (the pack format's rule) */
#define STORE_COURSE_NAME_MAX 128 /* a page or quiz file name in a pack */

/* ---- installed courses ---- */

struct store_course {
	char id[STORE_COURSE_ID_MAX + 1]; /* "uk.onward.managing-money" */
	char version[33]; /* "1.0.0" */
	char title[121];
	char level[8]; /* entry1 | entry2 | entry3 | level1 | level2 */
	char provider_id[STORE_COURSE_ID_MAX + 1];
	char provider_name[STORE_NAME_MAX + 1];
	char language[36]; /* "en-GB" */
	int64_t minutes;
	char file[200]; /* the pack's file name in the state directory's courses/ folder */
	char sha256[65]; /* lower-case hex of the pack file */
	int64_t size; /* bytes */
	char root_key[65]; /* hex of the content root's raw key the pack was verified with */
	char installed_by[33]; /* staff id */
	int64_t installed_at;
};

/* Installs c, or replaces the course with the same id, with the verified manifest.json. */
int store_course_put(struct store *s, const struct store_course *c, const char *manifest_json);
int store_course_get(struct store *s, const char *id, struct store_course *ret);
/* The manifest.json text as installed: malloc'd, NUL-terminated; the caller frees it. */
int store_course_get_manifest(struct store *s, const char *id, char **ret_json);
int store_course_delete(struct store *s, const char *id);
/* Visits installed courses by title. */
int store_course_list(struct store *s, int (*fn)(const struct store_course *c, void *userdata),
                      void *userdata);

/* ---- where a person is in a course ---- */

struct store_course_progress {
	int64_t person_id;
	char course_id[STORE_COURSE_ID_MAX + 1];
	char module[STORE_COURSE_ID_MAX + 1]; /* the module id */
	char page[STORE_COURSE_NAME_MAX + 1]; /* the page's file name */
	int module_index; /* where they were in the version they read, to find the nearest */
	int page_index; /* page when a newer version drops theirs */
	int64_t started_at;
	int64_t updated_at;
};

int store_course_progress_get(struct store *s, int64_t person_id, const char *course_id,
                              struct store_course_progress *ret);
/* Saves the place (started_at is kept from the first save) and marks the page as read. */
int store_course_progress_put(struct store *s, const struct store_course_progress *p);
/* Visits the pages the person has read in the course (any version). */
int store_course_pages_read(struct store *s, int64_t person_id, const char *course_id,
                            int (*fn)(const char *page, void *userdata), void *userdata);

/* ---- quiz attempts ---- */

struct store_course_attempt {
	int64_t id;
	int64_t person_id;
	char course_id[STORE_COURSE_ID_MAX + 1];
	char course_version[33];
	char module[STORE_COURSE_ID_MAX + 1];
	char quiz[STORE_COURSE_NAME_MAX + 1];
	int correct;
	int total;
	int percent;
	bool passed;
	int64_t at;
};

/* Records an attempt with the answers given (a JSON array). */
int store_course_attempt_insert(struct store *s, const struct store_course_attempt *a,
                                const char *answers_json, int64_t *ret_id);
/* Visits a person's attempts in a course, oldest first. */
int store_course_attempt_list(struct store *s, int64_t person_id, const char *course_id,
                              int (*fn)(const struct store_course_attempt *a, void *userdata),
                              void *userdata);

/* ---- certificates ---- */

#define STORE_CERTIFICATE_DOCUMENT_MAX 8192

struct store_certificate {
	char id[41];
	int64_t person_id;
	char prison_number[8]; /* filled when read */
	char course_id[STORE_COURSE_ID_MAX + 1];
	char course_version[33];
	char title[121];
	int score; /* percent, or -1 for a course without quizzes */
	int64_t issued_at;
	char key_id[17]; /* the establishment key that signed it */
};

/* -EEXIST when the person already has a certificate for the course (or the id is taken). */
int store_certificate_insert(struct store *s, const struct store_certificate *c,
                             const char *document);
int store_certificate_get(struct store *s, const char *id, struct store_certificate *ret);
int store_certificate_find(struct store *s, int64_t person_id, const char *course_id,
                           struct store_certificate *ret);
/* The signed document: malloc'd, NUL-terminated; the caller frees it. */
int store_certificate_get_document(struct store *s, const char *id, char **ret_document);
/* Visits a person's certificates, oldest first. */
int store_certificate_list(struct store *s, int64_t person_id,
                           int (*fn)(const struct store_certificate *c, void *userdata),
                           void *userdata);

/* ---- a person's learning, carried in person bundles (policyd/m_course_bundle.c) ---- */

/*
 * Everything learning keeps about one person, as a new JSON object: progress, pages_read,
 * attempts (with the answers given) and certificates (with the signed documents).
 */
int store_course_person_export(struct store *s, int64_t person_id, json_t **ret);
/* Deletes all of it (an import replaces it). */
int store_course_person_clear(struct store *s, int64_t person_id);
/*
 * Inserts what store_course_person_export() wrote, for person_id. Every row is checked
 * (types, sizes, the course id rule) first: -EBADMSG with one line in err when anything
 * is malformed, and nothing inserted. Certificates' signatures are the caller's to check.
 */
int store_course_person_import(struct store *s, int64_t person_id, json_t *part, char *err,
                               size_t size);

#endif
