/*
 * pack.h: signed course packs, the public interface of libonward_pack.
 *
 * A course pack is one file made by an education provider: a manifest, Markdown pages, PNG
 * images and JSON quizzes, signed with the provider's Ed25519 key, whose certificate is
 * signed by the platform's content root. This library opens a pack and verifies all of it
 * before handing anything out; builds and signs packs; makes keys and certificates; renders
 * a page to simple blocks for the UI; and parses and marks quizzes.
 *
 * Who calls what:
 *   - onward-policyd installs a course with pack_open_file(), then reads the manifest and
 *     the verified files from the returned struct pack. A pack that does not verify is never
 *     returned: there is no half-open state to check for.
 *   - the learning app draws a page from pack_page_render() and marks a quiz with
 *     pack_quiz_mark(); both work on bytes the daemon has already verified.
 *   - onward-pack (the provider's and operator's CLI) uses the rest.
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
 * By default images are checked by structure (libpng reads the header; every chunk's CRC
 * and order is checked) without decoding pixels; decode_images adds a full decode. The
 * builder always decodes, so a provider's broken image is caught before signing.
 */
struct pack_limits {
	uint64_t max_pack_bytes; /* the whole pack file */
	uint64_t max_file_bytes; /* any one file, decompressed */
	uint64_t max_text_bytes; /* any one page, quiz or the manifest */
	uint32_t max_files; /* entries in the container */
	uint32_t max_name_bytes; /* length of one file name */
	uint32_t max_image_side; /* PNG width and height, in pixels */
	bool decode_images; /* decode every PNG's pixels too (slower; see png.c) */
};
#define PACK_DEFAULT_MAX_PACK_BYTES (256ull << 20)
#define PACK_DEFAULT_MAX_FILE_BYTES (16ull << 20)
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
};
const char *pack_level_name(enum pack_level level); /* "entry1".. "level2"; NULL if unknown */

struct pack_manifest;
struct pack_module;
/* Parses and validates a manifest on its own (schema, names, cross-references); no trust. */
int pack_manifest_parse(const void *json, size_t len, const struct pack_limits *limits,
                        struct pack_manifest **ret_manifest, struct pack_error *err);
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

/*
 * Opening a pack verifies all of it, in this order, and stops at the first failure:
 *   1. the container: size limits, a well-formed zip, names, counts and entry sizes;
 *   2. the certificate (provider.cert) chains to `root` and is valid at `at`;
 *   3. the pack's seal (the provider's signature over the whole file) and the manifest
 *      signature (manifest.sig, over manifest.json) both hold with the certified key, and
 *      the manifest's provider is the certified one;
 *   4. the manifest is well formed; every listed file is present with its size and SHA-256,
 *      and nothing is present that is not listed;
 *   5. every page is UTF-8 Markdown that md4c parses, whose images are PNGs in the pack;
 *      every quiz matches the quiz schema; every PNG decodes within the image limits.
 * The memory buffer is copied; the file is read whole into memory (its size is checked
 * against the limit before reading), so later changes to it cannot reach the pack. The
 * pack holds that copy until pack_free(). A struct pack may be used by one thread at a time.
 */
struct pack;
int pack_open_file(const char *path, const struct pack_key *root, int64_t at,
                   const struct pack_limits *limits, struct pack **ret_pack,
                   struct pack_error *err);
int pack_open_mem(const void *data, size_t len, const struct pack_key *root, int64_t at,
                  const struct pack_limits *limits, struct pack **ret_pack, struct pack_error *err);
const struct pack_manifest *pack_get_manifest(const struct pack *pack);
const struct pack_cert *pack_get_cert(const struct pack *pack);
/*
 * Reads one listed file. The bytes are checked against the manifest's size and SHA-256
 * again on every read. On success *ret_data is malloc'd, NUL-terminated (not counted in
 * *ret_len) and the caller frees it.
 */
int pack_read_file(struct pack *pack, const char *name, void **ret_data, size_t *ret_len,
                   struct pack_error *err);
void pack_free(struct pack *pack);

/*
 * Reads a pack's manifest and certificate WITHOUT checking any signature or file, for
 * `onward-pack inspect` on a machine that has no trust root. Never install from this.
 */
int pack_peek_file(const char *path, const struct pack_limits *limits,
                   struct pack_manifest **ret_manifest, struct pack_cert **ret_cert,
                   struct pack_error *err);

/*
 * Building: DIR holds course.json (id, version, title, level, language, modules) and the
 * files the modules name, under any folders (pages/, images/, quizzes/ by convention).
 * Every regular file under DIR except course.json and hidden files (".git", ".DS_Store")
 * goes into the pack; each is validated as the verifier will (images fully decoded).
 * The provider comes from the certificate, which must certify `key`.
 * Pages and quizzes are deflated, PNGs stored. The output is written to a temporary file
 * beside out_path and renamed over it only when complete. progress, when not NULL, is
 * called as files are added, with bytes done and the total.
 */
int pack_build_dir(const char *dir, const struct pack_key *key, const struct pack_cert *cert,
                   const char *out_path,
                   void (*progress)(void *userdata, uint64_t done, uint64_t total), void *userdata,
                   struct pack_error *err);

/*
 * Pages rendered for the UI: a flat list of blocks, each a run of styled text spans.
 * Images are hoisted out of paragraphs into their own blocks, with `image` the resolved
 * pack file name (a page's "../images/x.png" becomes "images/x.png"). Links keep their text
 * only: a pack cannot send a learner anywhere. Raw HTML is shown as text.
 */
enum pack_block_kind {
	PACK_BLOCK_HEADING = 1, /* level 1..6 */
	PACK_BLOCK_PARAGRAPH,
	PACK_BLOCK_LIST_ITEM, /* level = nesting depth from 1; ordered, number */
	PACK_BLOCK_IMAGE, /* image, alt; no spans */
	PACK_BLOCK_CODE,
	PACK_BLOCK_RULE,
};
#define PACK_SPAN_EMPHASIS 0x1u
#define PACK_SPAN_STRONG 0x2u
#define PACK_SPAN_CODE 0x4u
#define PACK_SPAN_LINK 0x8u
struct pack_span {
	const char *text; /* UTF-8, not NUL-terminated; "\n" spans are hard line breaks */
	size_t len;
	unsigned style; /* PACK_SPAN_* bits */
};
struct pack_block {
	enum pack_block_kind kind;
	unsigned level;
	unsigned quote; /* block-quote depth, 0 outside quotes */
	bool ordered;
	unsigned number;
	const char *image; /* NUL-terminated; NULL unless PACK_BLOCK_IMAGE */
	const char *alt; /* NUL-terminated; NULL unless PACK_BLOCK_IMAGE */
	const struct pack_span *spans;
	size_t span_count;
};
struct pack_page;
/* page_name is the page's file name in the pack, used to resolve image paths. */
int pack_page_render(const char *page_name, const void *markdown, size_t len,
                     struct pack_page **ret_page, struct pack_error *err);
size_t pack_page_block_count(const struct pack_page *page);
const struct pack_block *pack_page_block(const struct pack_page *page, size_t i);
void pack_page_free(struct pack_page *page);

/*
 * Quizzes: multiple-choice questions (one right option) and short answers (an answer and
 * optional accepted alternatives, compared ignoring case and spacing), with a pass mark in
 * percent. A learner's answer gives `choice` (option index) for a choice question and
 * `text` for a short one.
 */
enum pack_question_kind {
	PACK_QUESTION_CHOICE = 1,
	PACK_QUESTION_SHORT,
};
struct pack_answer {
	int choice; /* option index, or -1 for no answer */
	const char *text; /* NUL-terminated, or NULL for no answer */
};
struct pack_quiz_result {
	unsigned correct;
	unsigned total;
	unsigned percent; /* rounded down */
	bool passed;
};
struct pack_quiz;
int pack_quiz_parse(const void *json, size_t len, struct pack_quiz **ret_quiz,
                    struct pack_error *err);
const char *pack_quiz_title(const struct pack_quiz *quiz);
unsigned pack_quiz_pass_percent(const struct pack_quiz *quiz);
size_t pack_quiz_question_count(const struct pack_quiz *quiz);
enum pack_question_kind pack_quiz_question_kind(const struct pack_quiz *quiz, size_t i);
const char *pack_quiz_question_id(const struct pack_quiz *quiz, size_t i);
const char *pack_quiz_question_prompt(const struct pack_quiz *quiz, size_t i);
size_t pack_quiz_option_count(const struct pack_quiz *quiz, size_t i);
const char *pack_quiz_option(const struct pack_quiz *quiz, size_t i, size_t option);
bool pack_quiz_answer_correct(const struct pack_quiz *quiz, size_t i,
                              const struct pack_answer *answer);
/* answers[i] answers question i; count must equal the number of questions. */
int pack_quiz_mark(const struct pack_quiz *quiz, const struct pack_answer *answers, size_t count,
                   struct pack_quiz_result *ret_result, struct pack_error *err);
void pack_quiz_free(struct pack_quiz *quiz);

#ifdef __cplusplus
}
#endif
#endif
