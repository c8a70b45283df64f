/*
 * pack_int.h: the library's internals, shared between its .c files and its own tests.
 * Nothing here is part of the public interface in pack.h; the daemon and apps must not
 * include it. Each group below is owned by the file named in its comment. The functions
 * are named pack__* (two underscores, as libuv's uv__*), so a call site shows it is
 * reaching inside the library.
 */
#ifndef ONWARD_PACK_INT_H
#define ONWARD_PACK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "crypto.h"
#include "pack.h"

#define PACK_SHA256_LEN CRYPTO_SHA256_LEN
#define PACK_SIG_LEN 64
#define PACK_RAW_KEY_LEN 32

/* The reserved entries every pack holds besides its listed files. */
#define PACK_MANIFEST_NAME "manifest.json"
#define PACK_MANIFEST_SIG_NAME "manifest.sig"
#define PACK_CERT_NAME "provider.cert"
#define PACK_CERT_MAX_BYTES 4096

/* error.c */
int pack__err(struct pack_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
int pack__err_prefix(struct pack_error *err, int code, const char *prefix);
int pack__err_sys(struct pack_error *err, int errnum, const char *what, const char *path);
const struct pack_limits *pack__limits_or_default(const struct pack_limits *limits,
                                                  struct pack_limits *storage);

/* text.c */
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

/* fileio.c */
int pack__file_read(const char *path, uint64_t max, void **ret_data, size_t *ret_len,
                    struct pack_error *err);
int pack__file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                            struct pack_error *err);

/* seal.c: the two provider signatures */
#define PACK_SEAL_TAG "onward-seal-1:"
#define PACK_SEAL_LEN (sizeof(PACK_SEAL_TAG) - 1 + 88)
int pack__seal_apply(void *data, size_t len, const struct pack_key *key, struct pack_error *err);
int pack__seal_verify(const void *data, size_t len, const struct pack_key *key,
                      struct pack_error *err);
int pack__manifest_sign(const struct pack_key *key, const void *json, size_t len,
                        uint8_t sig[PACK_SIG_LEN], struct pack_error *err);
bool pack__manifest_sig_ok(const struct pack_key *key, const void *json, size_t len,
                           const uint8_t sig[PACK_SIG_LEN]);

/* container.c: reading the zip */
struct pack_zip;
int pack__zip_open(const void *data, size_t len, const struct pack_limits *limits,
                   struct pack_zip **ret_zip, struct pack_error *err);
size_t pack__zip_count(const struct pack_zip *zip);
const char *pack__zip_name(const struct pack_zip *zip, size_t i);
uint64_t pack__zip_size(const struct pack_zip *zip, size_t i);
int pack__zip_find(const struct pack_zip *zip, const char *name);
int pack__zip_read(struct pack_zip *zip, size_t i, uint64_t max, void **ret_data, size_t *ret_len,
                   struct pack_error *err);
void pack__zip_free(struct pack_zip *zip);

/* writer.c: assembling and sealing a zip in memory */
struct pack_writer;
int pack__writer_new(struct pack_writer **ret_writer, struct pack_error *err);
int pack__writer_add(struct pack_writer *w, const char *name, const void *data, size_t len,
                     bool compress, struct pack_error *err);
int pack__writer_finish(struct pack_writer *w, const struct pack_key *key, void **ret_data,
                        size_t *ret_len, struct pack_error *err);
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
