/*
 * pack.h: signed course packs, the part of libonward_pack that parses no pack: errors and
 * limits, dates, keys, provider certificates, manifests (strict JSON, jansson) and versions.
 *
 * A course pack is one file made by an education provider: a manifest, Markdown pages, PNG
 * images and JSON quizzes in a zip, inside an envelope signed with the provider's Ed25519
 * key, whose certificate is signed by the platform's content root (format 2; see the
 * README). The library is two: this one (onward_pack: OpenSSL and jansson only) and
 * pack_content.h (onward_pack_content: the zip container, pages, images, quizzes and
 * building; libzip, libpng and md4c).
 *
 * Who calls what:
 *   - onward-policyd, which holds keys and so parses no outside file, links only this
 *     part: it keeps each installed course's manifest (canonical JSON it got back from
 *     onward-parse) and reads it with pack_manifest_parse(); it compares versions.
 *   - onward-parse, the keyless child that the daemon hands every pack to, onward-pack
 *     (the provider's and operator's CLI), the fuzz target and the tests link both parts.
 *
 * Conventions, as in the house style: functions return 0 on success or a negative errno
 * code; every output parameter is named ret_* , comes last and is left untouched on failure;
 * a failing call fills the optional struct pack_error with one line naming what failed and
 * where; every _free() accepts NULL; the library never logs and never exits.
 *
 * Error codes used:
 *   -EBADMSG       the pack, manifest, certificate, page, quiz or image is malformed
 *   -EKEYREJECTED  a signature does not verify, or a key does not match
 *   -EKEYEXPIRED   the certificate is expired or not yet valid at the given time
 *   -ENOENT        a file is missing (from the pack, or on disk)
 *   -EFBIG         a size, count or name-length limit is exceeded
 *   -ENOTSUP       a pack in the older format 1, which must be rebuilt with onward-pack
 *   -EINVAL        a bad argument (a caller's bug or a bad command-line value)
 *   -EPERM         a private key file that group or others may read
 *   -ENOMEM, -EIO and other errno values for system failures
 */
#ifndef ONWARD_PACK_H
#define ONWARD_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Errors: code is the negative errno value also returned; message is one line. */
#define PACK_ERROR_MAX 512
struct pack_error {
	int code;
	char message[PACK_ERROR_MAX];
};

/*
 * Limits on everything in a pack that its author controls. Each is checked before the
 * memory it guards is allocated. pack_limits_init() fills in the defaults below; a caller
 * may tighten (or, with care, loosen) them. A NULL limits pointer means the defaults.
 * max_inflated_bytes caps the whole pack unpacked: the declared sizes are added up before
 * anything is read, and the bytes actually inflated are counted as entries are read, so a
 * pack of a thousand highly compressible 16 MiB images is refused early rather than
 * unpacked for a minute.
 * By default images are checked by structure (libpng reads the header; every chunk's CRC
 * and order is checked) without decoding pixels; decode_images adds a full decode. The
 * builder always decodes, so a provider's broken image is caught before signing.
 */
struct pack_limits {
	uint64_t max_pack_bytes; /* the whole pack file */
	uint64_t max_file_bytes; /* any one file, decompressed */
	uint64_t max_inflated_bytes; /* every file together, decompressed */
	uint64_t max_text_bytes; /* any one page, quiz or the manifest */
	uint32_t max_files; /* entries in the container */
	uint32_t max_name_bytes; /* length of one file name */
	uint32_t max_image_side; /* PNG width and height, in pixels */
	bool decode_images; /* decode every PNG's pixels too (slower; see png.c) */
};
#define PACK_DEFAULT_MAX_PACK_BYTES (256ull << 20)
#define PACK_DEFAULT_MAX_FILE_BYTES (16ull << 20)
#define PACK_DEFAULT_MAX_INFLATED_BYTES (512ull << 20)
#define PACK_DEFAULT_MAX_TEXT_BYTES (1ull << 20)
#define PACK_DEFAULT_MAX_FILES 4096u
#define PACK_DEFAULT_MAX_NAME_BYTES 128u
#define PACK_DEFAULT_MAX_IMAGE_SIDE 4096u

void pack_limits_init(struct pack_limits *limits);

/*
 * Times are seconds since 1970-01-01 UTC. pack_time_parse() reads "YYYY-MM-DD" or
 * "YYYY-MM-DDTHH:MM:SSZ"; a bare date means the start of that day, or its last second when
 * end_of_day is true (so a certificate "valid until 2026-01-31" covers all of that day).
 * pack_time_format() writes "YYYY-MM-DDTHH:MM:SSZ" (PACK_TIME_MAX bytes with the NUL).
 */
#define PACK_TIME_MAX 21
int pack_time_parse(const char *text, bool end_of_day, int64_t *ret_time);
int pack_time_format(int64_t time, char ret_text[PACK_TIME_MAX]);

/*
 * Ed25519 keys. A key holds a private key (from generate or load_private) or only a public
 * one (load_public, from_raw_public). Private keys are saved as PKCS#8 PEM with mode 0600
 * and never over an existing file, and loading one refuses a file that group or others may
 * read (-EPERM); public keys are SubjectPublicKeyInfo PEM. The rules are lib/crypto's
 * (ed25519.h), the same for course certificates and bundles.
 * The key id is the first 8 bytes of the SHA-256 of the raw public key, in hex.
 */
struct pack_key;
#define PACK_KEY_ID_MAX 17
int pack_key_generate(struct pack_key **ret_key, struct pack_error *err);
int pack_key_load_private(const char *path, struct pack_key **ret_key, struct pack_error *err);
int pack_key_load_public(const char *path, struct pack_key **ret_key, struct pack_error *err);
int pack_key_from_raw_public(const uint8_t raw[32], struct pack_key **ret_key,
                             struct pack_error *err);
int pack_key_save_private(const struct pack_key *key, const char *path, struct pack_error *err);
int pack_key_save_public(const struct pack_key *key, const char *path, struct pack_error *err);
bool pack_key_has_private(const struct pack_key *key);
void pack_key_id(const struct pack_key *key, char ret_id[PACK_KEY_ID_MAX]);
void pack_key_free(struct pack_key *key);

/*
 * Provider certificates: the content root certifies one provider's public key for a
 * validity period. A certificate is a small JSON file; what is signed is a fixed line-based
 * rendering of its fields (see cert.c), so the JSON's spacing does not matter.
 * Provider ids are lower-case letters, digits, '.' and '-' (up to 64); names are up to 100
 * bytes of UTF-8 text.
 */
struct pack_cert;
int pack_cert_issue(const struct pack_key *root, const struct pack_key *provider,
                    const char *provider_id, const char *provider_name, int64_t not_before,
                    int64_t not_after, struct pack_cert **ret_cert, struct pack_error *err);
int pack_cert_parse(const void *data, size_t len, struct pack_cert **ret_cert,
                    struct pack_error *err);
int pack_cert_load(const char *path, struct pack_cert **ret_cert, struct pack_error *err);
int pack_cert_save(const struct pack_cert *cert, const char *path, struct pack_error *err);
/* Checks the issuer, the root's signature, then that `at` lies within the validity. */
int pack_cert_verify(const struct pack_cert *cert, const struct pack_key *root, int64_t at,
                     struct pack_error *err);
const char *pack_cert_provider_id(const struct pack_cert *cert);
const char *pack_cert_provider_name(const struct pack_cert *cert);
const char *pack_cert_issuer_key_id(const struct pack_cert *cert);
int64_t pack_cert_not_before(const struct pack_cert *cert);
int64_t pack_cert_not_after(const struct pack_cert *cert);
void pack_cert_free(struct pack_cert *cert);

/*
 * The manifest: what the course is and every file in it. A manifest is owned by the pack it
 * came from (pack_get_manifest) or, from pack_manifest_parse, by the caller. Strings are
 * borrowed from the manifest and valid until it is freed. Levels are the national
 * qualification levels for adult learners.
 */
enum pack_level {
	PACK_LEVEL_ENTRY1 = 1,
	PACK_LEVEL_ENTRY2,
	PACK_LEVEL_ENTRY3,
	PACK_LEVEL_LEVEL1,
	PACK_LEVEL_LEVEL2,
	PACK_LEVEL_LEVEL3, /* policy opens it at the enhanced incentive level (README.md) */
};
const char *pack_level_name(enum pack_level level); /* "entry1".. "level3"; NULL if unknown */

struct pack_manifest;
struct pack_module;
/*
 * Parses and validates a manifest on its own (schema, names, cross-references, the text
 * rule for titles and names); no trust. One-line text may not hold control characters (C0,
 * DEL, C1 such as U+009B), text-direction controls (U+202A-U+202E, U+2066-U+2069, U+200E,
 * U+200F, U+061C) or line separators, so a title can neither break nor reorder a line on
 * a staff terminal.
 */
int pack_manifest_parse(const void *json, size_t len, const struct pack_limits *limits,
                        struct pack_manifest **ret_manifest, struct pack_error *err);
/*
 * The manifest as compact JSON that pack_manifest_parse() reads back the same: what
 * onward-parse returns for a verified pack and the daemon stores. *ret_json is malloc'd and
 * NUL-terminated (not counted in *ret_len).
 */
int pack_manifest_to_json(const struct pack_manifest *m, char **ret_json, size_t *ret_len,
                          struct pack_error *err);
void pack_manifest_free(struct pack_manifest *manifest);
const char *pack_manifest_id(const struct pack_manifest *m);
const char *pack_manifest_version(const struct pack_manifest *m); /* "MAJOR.MINOR.PATCH" */
const char *pack_manifest_title(const struct pack_manifest *m);
const char *pack_manifest_provider_id(const struct pack_manifest *m);
const char *pack_manifest_provider_name(const struct pack_manifest *m);
enum pack_level pack_manifest_level(const struct pack_manifest *m);
const char *pack_manifest_language(const struct pack_manifest *m); /* e.g. "en-GB" */
unsigned pack_manifest_minutes(const struct pack_manifest *m); /* sum of the modules' */
size_t pack_manifest_module_count(const struct pack_manifest *m);
const struct pack_module *pack_manifest_module(const struct pack_manifest *m, size_t i);
size_t pack_manifest_file_count(const struct pack_manifest *m);
const char *pack_manifest_file_name(const struct pack_manifest *m, size_t i);
uint64_t pack_manifest_file_size(const struct pack_manifest *m, size_t i);
const uint8_t *pack_manifest_file_sha256(const struct pack_manifest *m, size_t i); /* 32 */

const char *pack_module_id(const struct pack_module *mod);
const char *pack_module_title(const struct pack_module *mod);
unsigned pack_module_minutes(const struct pack_module *mod);
size_t pack_module_page_count(const struct pack_module *mod);
const char *pack_module_page(const struct pack_module *mod, size_t i); /* file name, in order */
const char *pack_module_quiz(const struct pack_module *mod); /* NULL if none */

/* Versions are "MAJOR.MINOR.PATCH" (numbers only). Compare returns <0, 0 or >0. */
int pack_version_parse(const char *text, uint32_t ret_parts[3]);
int pack_version_compare(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
