/*
 * What the learning files of the daemon share. learning/app.c answers the learning app on its
 * channel (catalogue, pages, images, quizzes, progress, answers); learning/admin.c answers
 * staff (trust root, install, list, remove, certificates); learning/pack.c keeps installed
 * packs open in a bounded cache, opening and installing them in libuv's thread pool so
 * the loop never waits on a large pack; learning/cert.c holds the establishment's
 * certificate key and issues certificates.
 *
 * On disk, in the state directory: content-root.pub (the trusted content root, PEM),
 * courses/ID-VERSION.pack (each installed pack, exactly the bytes that were verified) and
 * establishment.key (the certificate signing key, 0600).
 */
#ifndef ONWARD_POLICYD_LEARNING_INT_H
#define ONWARD_POLICYD_LEARNING_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "call.h"
#include "courses.h"
#include "coursecert.h"
#include "pack_content.h"

#include <uv.h>

#define COURSE_ROOT_FILE "content-root.pub"
#define COURSE_DIR "courses"
#define COURSE_KEY_FILE "establishment.key"

#define COURSE_CACHE_SLOTS 8

/* ---- the area (area.c) and its state ---- */

extern const struct area learning_area;
extern const struct method course_methods[];
extern const struct person_part course_part; /* bundle.c */

struct call;
struct pack;

/* A call waiting for a pack being opened. */
struct course_waiter {
	struct call *call;
	void (*fn)(struct call *c, struct pack *pack, void *ctx);
	void *ctx;
	struct course_waiter *next;
};

/* One open pack in the cache (pack.c). */
struct course_slot {
	char id[STORE_COURSE_ID_MAX + 1];
	char version[33];
	struct pack *pack; /* owned; NULL while loading or empty */
	uint64_t bytes;
	uint64_t used; /* tick of the last use, for least recently used */
	bool loading;
	bool stale; /* forgotten while loading: freed once the waiters are answered */
	struct course_waiter *waiters; /* owned list: calls paused until the load ends */
};

/* The area's state: made by learning_start, freed by learning_stop (pack.c). */
struct learning {
	struct course_slot slots[COURSE_CACHE_SLOTS]; /* open packs */
	uint64_t cache_bytes, tick;
	bool installing; /* one install at a time */
	struct coursecert_key *cert_key; /* owned: signs certificates (cert.c) */
};

static inline struct learning *
learning_of(struct server *srv)
{
	return area_state(srv, &learning_area);
}

int learning_start(struct server *srv, void **ret_state, char *ret_error, size_t size);
void learning_stop(struct server *srv, void *state);

/* The state directory path DIR/name; -ENAMETOOLONG when it does not fit. */
int course_path(const struct server *srv, const char *name, char *buf, size_t size);

/* A course id as the pack format allows: 1-64 of a-z, 0-9, '.' and '-'. */
bool course_id_valid(const char *id);

/* Course::"id" in Provider::"provider", with its title and level, for a decision. */
int course_add_fact(struct facts *f, const struct store_course *course);

/* A manifest level as the schema's Course.level: entry 1-3 are 0, level1 1, level2 2. */
int course_level_number(const char *level);

/* ---- admin methods (learning/admin.c), in course_methods[] ---- */

void course_handle_trust_root(struct call *c);
void course_handle_install(struct call *c);
void course_handle_list(struct call *c);
void course_handle_remove(struct call *c);
void course_handle_certificate_list(struct call *c);
void course_handle_certificate_export(struct call *c);
void course_handle_certificate_key(struct call *c);

/* ---- packs (learning/pack.c) ---- */

/*
 * Called with the course's verified pack (borrowed: valid only during the call) or, when
 * it could not be opened, NULL. The function must answer the call.
 */
typedef void (*course_pack_fn)(struct call *c, struct pack *pack, void *ctx);

/*
 * Runs fn with the installed course's pack: at once when it is open in the cache,
 * otherwise after opening it in the thread pool (the call is paused meanwhile). A pack is
 * opened again with the content root and at the time it was installed with, so a provider
 * certificate that expires later does not close a course already installed.
 */
void course_pack_with(struct call *c, const struct store_course *course, course_pack_fn fn,
                      void *ctx);

/* Forgets the cached pack of a course (removed or replaced). */
void course_pack_forget(struct server *srv, const char *course_id);

/* What an install produced in the thread pool, for the handler to record. */
struct course_install {
	struct pack *pack; /* owned; verified */
	char temp_path[4300]; /* the verified copy, in DIR/courses, not yet renamed */
	char sha256[65];
	int64_t size;
	char root_key[65]; /* hex of the content root it was verified with */
	int64_t verified_at;
	char *manifest_json; /* owned: the verified manifest, for the store */
};

/*
 * Copies the pack at path into DIR/courses under a temporary name and verifies the copy
 * completely in the thread pool; then calls done on the loop with the result (0 and
 * *result filled), or a negative code and a one-line message naming what failed, with
 * nothing left on disk. One install runs at a time: -EBUSY at once otherwise.
 */
typedef void (*course_install_fn)(struct call *c, int r, const char *message,
                                  struct course_install *result);
int course_install_start(struct call *c, const char *path, const uint8_t root_raw[32],
                         course_install_fn done);
/* Frees what an install produced and removes its temporary file if it is still there. */
void course_install_release(struct course_install *result);
/* Puts a verified pack into the cache (taking it), after its install was recorded. */
void course_pack_adopt(struct server *srv, const struct store_course *course, struct pack *pack);

/* ---- certificates (learning/cert.c) ---- */

/*
 * Loads the establishment's certificate key from DIR/establishment.key, or makes and saves
 * one when there is none (at the area's start).
 */
int course_cert_key_load(struct server *srv, struct coursecert_key **ret, char *err, size_t size);

/*
 * Issues and stores (inside the caller's transaction) the person's certificate for the
 * course with the given score (-1 for none). ret_row (optional) gets the stored row.
 */
int course_cert_issue(struct call *c, const struct store_person *person,
                      const struct store_course *course, int score,
                      struct store_certificate *ret_row);

/* A certificate row for replies. */
json_t *course_cert_render(const struct store_certificate *cert);

/* ---- person bundles (learning/bundle.c): learning's part (its struct area points at it) ---- */

extern const struct person_part course_part;

#endif
