/*
 * What the learning files of the daemon share. learning/app.c answers the learning app on its
 * channel (catalogue, pages, images, quizzes, progress, answers); learning/admin.c answers
 * staff (trust root, install, list, remove, certificates); learning/pack.c installs packs
 * and asks for what is in installed ones, always through onward-parse (core/parser.h): the
 * daemon holds keys, so it parses no pack itself and keeps only the canonical data the child
 * returns (each installed course's verified manifest, in the store). learning/cert.c holds
 * the establishment's certificate key and issues certificates.
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
#include "pack.h"
#include "parser.h"

#include <uv.h>

#define COURSE_ROOT_FILE "content-root.pub"
#define COURSE_DIR "courses"
#define COURSE_KEY_FILE "establishment.key"

/*
 * Time limits on onward-parse's work. A page, picture or quiz of an installed pack takes
 * milliseconds; ten seconds means the child is stuck. An install is copying and checking
 * a pack of up to 256 MiB that unpacks to at most 512 MiB: a few seconds here, maybe
 * twenty on a slow tablet. Its limit stays under onwardctl's 30 seconds, so the daemon
 * never goes on checking a pack after the staff member's command has given up: the answer,
 * whichever it is, always reaches them.
 */
#define COURSE_PAGE_TIMEOUT_MS 10000
#define COURSE_INSTALL_TIMEOUT_MS 25000

/* ---- the area (area.c) and its state ---- */

extern const struct area learning_area;
extern const struct method course_methods[];
extern const struct person_part course_part; /* bundle.c */

struct install_job;

/* The area's state: made by learning_start, freed by learning_stop (pack.c). */
struct learning {
	/* owned: the long-lived child that reads installed packs for the learning app. An
	 * install gets a child of its own (pack.c says why). */
	struct parser *pages;
	struct install_job *install; /* the one install in progress, or NULL */
	bool draining;
	struct coursecert_key *cert_key; /* owned: signs certificates (cert.c) */
};

static inline struct learning *
learning_of(struct server *srv)
{
	return area_state(srv, &learning_area);
}

int learning_start(struct server *srv, void **ret_state, char *ret_error, size_t size);
void learning_drain(struct server *srv, void *state);
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
void course_handle_install_status(struct call *c);
void course_handle_list(struct call *c);
void course_handle_remove(struct call *c);
void course_handle_certificate_list(struct call *c);
void course_handle_certificate_export(struct call *c);
void course_handle_certificate_key(struct call *c);

/* ---- packs (learning/pack.c) ---- */

/*
 * Asks onward-parse for `kind` ("pack.page", "pack.image", "pack.quiz", "pack.mark") on
 * file `name` of the installed course: adds the installed file's digest and the file's size
 * and SHA-256 from the verified manifest m to params (stolen), opens the installed pack and
 * passes its descriptor. The call is paused; done is called later with the child's reply.
 * A negative return means nothing was asked (done will not be called): answer the call.
 */
int course_ask(struct call *c, const struct store_course *course, const struct pack_manifest *m,
               const char *kind, const char *name, json_t *params, parser_done_fn done, void *ctx);

/* What an install produced, for the handler to record. */
struct course_install {
	struct pack_manifest *manifest; /* owned: the child's manifest, parsed again here */
	char *manifest_json; /* owned: its canonical JSON, as stored */
	char temp_path[4300]; /* the verified copy, in DIR/courses, not yet renamed */
	char sha256[65]; /* of the whole file */
	int64_t size;
	char root_key[65]; /* hex of the content root it was verified with */
	int64_t verified_at;
};

/*
 * Called on the loop when an install ends: r 0 with *result filled, or a negative code
 * with `problem` (one word for scripts: "signature", "too_large", "old_format", ...) and
 * `message` (staff's words, complete: "The course pack was refused: ..."). Nothing is left
 * on disk after a failure.
 */
typedef void (*course_install_fn)(struct call *c, int r, const char *problem, const char *message,
                                  struct course_install *result);

/*
 * Opens the pack at path (without blocking and without following a last symbolic link;
 * only a regular file within the size limit), copies it into DIR/courses under a temporary
 * name in the thread pool, and has a fresh onward-parse verify that copy: the bytes
 * installed are exactly the bytes verified. One install runs at a time. A negative return
 * means the call was not started; ret_problem and ret_message (size bytes) then say why in
 * staff's words (-EBUSY: another install is running, with its progress).
 */
int course_install_start(struct call *c, const char *path, const uint8_t root_raw[32],
                         course_install_fn done, const char **ret_problem, char *ret_message,
                         size_t size);
/* Frees what an install produced and removes its temporary file if it is still there. */
void course_install_release(struct course_install *result);

/* {"running": false}, or the install in progress: {running, file, seconds, percent}. */
json_t *course_install_status(struct server *srv);

/* A path for staff's eyes: at most max bytes, shortened in the middle, never at the end. */
void course_path_shorten(const char *path, size_t max, char *buf, size_t size);

/*
 * Staff's words, never the C library's, for why a path could not be opened ("there is no
 * file there"; NULL for an errno without words of its own), and for any other system
 * error ("the disk is full", else "system error N" written into words).
 */
const char *course_open_problem(int e);
const char *course_sys_words(int e, char words[64]);

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
