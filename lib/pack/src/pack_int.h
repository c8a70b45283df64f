/*
 * pack_int.h: the library's internals, shared between its .c files (both halves:
 * onward_pack and onward_pack_content), its fuzz target and its own tests. Nothing here is
 * part of the public interface in pack.h and pack_content.h; the daemon, onward-parse and
 * apps must not include it. Each group below is owned by the file named in its comment. The
 * functions are named pack__* (two underscores, as libuv's uv__*), so a call site shows it is
 * reaching inside the library.
 */
#ifndef ONWARD_PACK_INT_H
#define ONWARD_PACK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "crypto.h"
#include "text.h"
#include "pack.h"
#include "pack_content.h"

#define PACK_SHA256_LEN CRYPTO_SHA256_LEN
#define PACK_SIG_LEN 64
#define PACK_RAW_KEY_LEN 32

/* The one reserved entry every pack's zip holds besides its listed files. */
#define PACK_MANIFEST_NAME "manifest.json"
#define PACK_CERT_MAX_BYTES 4096

/* error.c */
int pack__err(struct pack_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
int pack__err_prefix(struct pack_error *err, int code, const char *prefix);
int pack__err_sys(struct pack_error *err, int errnum, const char *what, const char *path);
const struct pack_limits *pack__limits_or_default(const struct pack_limits *limits,
                                                  struct pack_limits *storage);

/* text.c: pack__text_problem() is NULL for a good line of text, else what is wrong with
 * it in words ("holds the control character U+009B"), written into buf. */
#define PACK_TEXT_PROBLEM_MAX TEXT_PROBLEM_MAX
const char *pack__text_problem(const char *s, size_t max, char buf[PACK_TEXT_PROBLEM_MAX]);
bool pack__text_ok(const char *s, size_t max);
bool pack__id_ok(const char *s, size_t max);

/* name.c */
enum pack_file_type {
	PACK_FILE_MD = 1,
	PACK_FILE_PNG,
	PACK_FILE_JSON,
};
int pack__name_check(const char *name, size_t len, const struct pack_limits *limits,
                     enum pack_file_type *ret_type, struct pack_error *err);
bool pack__name_reserved(const char *name);
int pack__name_resolve(const char *base, const char *ref, char *out, size_t out_size);

/* key.c */
int pack__key_from_raw_private(const uint8_t seed[PACK_RAW_KEY_LEN], struct pack_key **ret_key,
                               struct pack_error *err);
int pack__key_sign(const struct pack_key *key, const void *msg, size_t len,
                   uint8_t sig[PACK_SIG_LEN], struct pack_error *err);
bool pack__key_verify_sig(const struct pack_key *key, const void *msg, size_t len,
                          const uint8_t sig[PACK_SIG_LEN]);
void pack__key_raw_public(const struct pack_key *key, uint8_t out[PACK_RAW_KEY_LEN]);
bool pack__key_same_public(const struct pack_key *a, const struct pack_key *b);

/* cert.c */
const struct pack_key *pack__cert_key(const struct pack_cert *cert);
int pack__cert_to_json(const struct pack_cert *cert, char **ret_json, size_t *ret_len,
                       struct pack_error *err);

/* source.c: where a pack's bytes are, in memory or behind a descriptor read with pread() */
struct pack_source {
	const uint8_t *data; /* borrowed; NULL when the bytes are behind fd */
	int fd; /* borrowed; -1 for memory */
	uint64_t size;
};
int pack__source_read(const struct pack_source *src, uint64_t offset, void *buf, size_t len,
                      struct pack_error *err);

/* Reports progress: done of total, by the caller's function when there is one. */
struct pack_progress {
	pack_progress_fn fn; /* may be NULL */
	void *userdata;
	uint64_t done, total;
};
void pack__progress_add(struct pack_progress *p, uint64_t bytes);

/* fileio.c */
int pack__file_read(const char *path, uint64_t max, void **ret_data, size_t *ret_len,
                    struct pack_error *err);
int pack__file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                            struct pack_error *err);

/*
 * envelope.c: format 2's outer envelope, checked before any parser but the certificate's
 * sees a byte (see the README's format section):
 *   "ONWDPACK" | format (u32 BE, 2) | certificate length N (u32 BE) | certificate (N bytes)
 *   | signature (64) | zip
 * The signature is the provider's Ed25519 signature of PACK_SIGN_DOMAIN || SHA-256 of every
 * byte of the file except the 64 signature bytes themselves.
 */
#define PACK_MAGIC "ONWDPACK"
#define PACK_MAGIC_LEN 8
#define PACK_FORMAT 2
#define PACK_HEADER_LEN 16 /* magic, format, certificate length */
#define PACK_MIN_ZIP_LEN 22 /* an end-of-central-directory record */
#define PACK_MIN_BYTES (PACK_HEADER_LEN + 1 + PACK_SIG_LEN + PACK_MIN_ZIP_LEN)
#define PACK_SIGN_DOMAIN "onward-pack-v2\n"
struct pack_envelope {
	uint32_t cert_len;
	uint64_t cert_offset, sig_offset, zip_offset, size;
};
/* Reads the fixed header from the first bytes (head holds min(size, 16) of them). */
int pack__envelope_parse(const uint8_t *head, size_t head_len, uint64_t size,
                         struct pack_envelope *ret_env, struct pack_error *err);
/* Steps 1-3 of pack_content.h: the header, the certificate and the signature. */
int pack__envelope_verify(const struct pack_source *src, const struct pack_key *root, int64_t at,
                          struct pack_progress *progress, struct pack_cert **ret_cert,
                          struct pack_envelope *ret_env, struct pack_error *err);
/* The certificate, unverified (onward-pack inspect). */
int pack__envelope_peek(const struct pack_source *src, struct pack_cert **ret_cert,
                        struct pack_envelope *ret_env, struct pack_error *err);
/* Wraps a zip in an envelope with the certificate's JSON and signs it with key. */
int pack__envelope_wrap(const void *zip, size_t zip_len, const char *cert_json, size_t cert_len,
                        const struct pack_key *key, void **ret_data, size_t *ret_len,
                        struct pack_error *err);
/* Signs a whole pack again in place (tests and the fuzz target, after changing bytes). */
int pack__envelope_resign(void *data, size_t len, const struct pack_key *key,
                          struct pack_error *err);

/*
 * container.c: reading the zip, which starts at `offset` of the source. With
 * count_inflated, every byte inflated counts against limits->max_inflated_bytes (a
 * verification); without, each read is bounded only by its entry's own size (an installed
 * pack, read a file at a time for as long as it is served).
 */
struct pack_zip;
int pack__zip_open(const struct pack_source *src, uint64_t offset, const struct pack_limits *limits,
                   bool count_inflated, struct pack_zip **ret_zip, struct pack_error *err);
/* How many times pack__zip_open() has been called in this process: the tests' proof that
 * a pack refused by its envelope never reached libzip. */
unsigned long pack__zip_open_count(void);
size_t pack__zip_count(const struct pack_zip *zip);
const char *pack__zip_name(const struct pack_zip *zip, size_t i);
uint64_t pack__zip_size(const struct pack_zip *zip, size_t i);
int pack__zip_find(const struct pack_zip *zip, const char *name);
int pack__zip_read(struct pack_zip *zip, size_t i, uint64_t max, void **ret_data, size_t *ret_len,
                   struct pack_error *err);
void pack__zip_free(struct pack_zip *zip);

/* writer.c: assembling a zip in memory */
struct pack_writer;
int pack__writer_new(struct pack_writer **ret_writer, struct pack_error *err);
int pack__writer_add(struct pack_writer *w, const char *name, const void *data, size_t len,
                     bool compress, struct pack_error *err);
/* The same with the entry's Unix mode (type and permissions), for the tests' bad packs. */
int pack__writer_add_mode(struct pack_writer *w, const char *name, const void *data, size_t len,
                          bool compress, unsigned mode, struct pack_error *err);
/* The zip's bytes (not yet in an envelope: see pack__envelope_wrap). */
int pack__writer_finish(struct pack_writer *w, void **ret_data, size_t *ret_len,
                        struct pack_error *err);
void pack__writer_free(struct pack_writer *w);

/* manifest.c */
int pack__manifest_find_file(const struct pack_manifest *m, const char *name);

/* compose.c: course.json plus the file list becomes manifest.json */
struct pack_source_file {
	char *name; /* owned */
	uint64_t size;
	uint8_t sha256[PACK_SHA256_LEN];
	void *data; /* owned by the builder; not used by compose */
};
int pack__manifest_compose(const void *course, size_t course_len, const struct pack_cert *cert,
                           const struct pack_source_file *files, size_t count, char **ret_json,
                           size_t *ret_len, struct pack_error *err);

/* content.c: validating one file's bytes by type (pages, quizzes, images) */
int pack__content_check(const char *name, enum pack_file_type type, const void *data, size_t len,
                        const struct pack_manifest *m, const struct pack_limits *limits,
                        struct pack_error *err);

/* png.c */
int pack__png_check(const char *name, const void *data, size_t len,
                    const struct pack_limits *limits, struct pack_error *err);

#endif
