/*
 * pack_content.h: the part of libonward_pack that parses a pack (onward_pack_content):
 * its envelope and zip container, pages (md4c), images (libpng) and quizzes, and building
 * packs. It is linked by onward-parse (the keyless, seccomp-confined child the daemon hands
 * every pack to), onward-pack, the fuzz target and the tests, and never by onward-policyd:
 * the process that holds keys must not map libzip, libpng or md4c at all. Conventions and
 * error codes are pack.h's.
 */
#ifndef ONWARD_PACK_CONTENT_H
#define ONWARD_PACK_CONTENT_H

#include "pack.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Opening a pack verifies all of it, in this order, and stops at the first failure:
 *   1. the envelope (format 2): the magic and format number (a format 1 pack, a bare zip,
 *      is refused with -ENOTSUP and words saying to rebuild it), the certificate's length;
 *   2. the certificate chains to `root` and is valid at `at`;
 *   3. the provider's signature over the SHA-256 of every other byte of the file holds with
 *      the certified key. Until here nothing but the certificate's small JSON has been
 *      parsed: a pack from an unknown signer, or with any byte changed, is refused before
 *      libzip reads a byte of it;
 *   4. the container: a well-formed zip, names, counts, entry types (regular files only:
 *      a symbolic link or folder entry is refused), each entry's size and all of them
 *      together within the limits;
 *   5. the manifest is well formed and names the certified provider; every listed file is
 *      present with its size and SHA-256, and nothing is present that is not listed;
 *   6. every page is UTF-8 Markdown that md4c parses, whose images are PNGs in the pack;
 *      every quiz matches the quiz schema; every PNG passes its check (png.c).
 * pack_open_mem() copies the buffer and pack_open_file() reads the file into memory, so
 * later changes cannot reach the pack. pack_open_fd() reads through the descriptor with
 * pread() and keeps no copy: the caller keeps the descriptor open, and its file unchanged,
 * until pack_free() (onward-parse is handed the daemon's private copy of the file). It
 * calls progress (when not NULL) as the work goes, with bytes done and the total (the
 * file hashed, then the files read). A struct pack may be used by one thread at a time.
 */
struct pack;
typedef void (*pack_progress_fn)(void *userdata, uint64_t done, uint64_t total);
int pack_open_file(const char *path, const struct pack_key *root, int64_t at,
                   const struct pack_limits *limits, struct pack **ret_pack,
                   struct pack_error *err);
int pack_open_mem(const void *data, size_t len, const struct pack_key *root, int64_t at,
                  const struct pack_limits *limits, struct pack **ret_pack, struct pack_error *err);
int pack_open_fd(int fd, const struct pack_key *root, int64_t at, const struct pack_limits *limits,
                 pack_progress_fn progress, void *userdata, struct pack **ret_pack,
                 struct pack_error *err);
/*
 * Opens a pack that was verified when it was installed, WITHOUT checking it again: the
 * zip container only (format 2, or a format 1 pack installed before format 2), read
 * through fd as pack_open_fd() does. Read it only with pack_read_checked(), which checks
 * each file against the size and SHA-256 the caller kept from the verified manifest.
 * There is no manifest or certificate (pack_get_manifest() returns NULL).
 */
int pack_open_installed(int fd, const struct pack_limits *limits, struct pack **ret_pack,
                        struct pack_error *err);
const struct pack_manifest *pack_get_manifest(const struct pack *pack);
const struct pack_cert *pack_get_cert(const struct pack *pack);
/*
 * Reads one listed file. The bytes are checked against the manifest's size and SHA-256
 * again on every read. On success *ret_data is malloc'd, NUL-terminated (not counted in
 * *ret_len) and the caller frees it.
 */
int pack_read_file(struct pack *pack, const char *name, void **ret_data, size_t *ret_len,
                   struct pack_error *err);
/* Reads one file that must have exactly this size and SHA-256; as pack_read_file(). */
int pack_read_checked(struct pack *pack, const char *name, uint64_t size, const uint8_t sha256[32],
                      void **ret_data, size_t *ret_len, struct pack_error *err);
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
 * Pages and quizzes are deflated, PNGs stored; the zip goes into a format 2 envelope with
 * the certificate, signed with `key`. The output is written to a temporary file
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
 * percent, and each with an optional explanation of its answer. A learner's answer gives
 * `choice` (option index) for a choice question and `text` for a short one.
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
/* What marking may show a learner, never the questions: the right answer as its author
 * wrote it (the right option's text, or a short question's "answer"), and why it is right
 * (the question's optional "explain"; NULL when the pack gives none). */
const char *pack_quiz_right_answer(const struct pack_quiz *quiz, size_t i);
const char *pack_quiz_explanation(const struct pack_quiz *quiz, size_t i);
/* answers[i] answers question i; count must equal the number of questions. */
int pack_quiz_mark(const struct pack_quiz *quiz, const struct pack_answer *answers, size_t count,
                   struct pack_quiz_result *ret_result, struct pack_error *err);
void pack_quiz_free(struct pack_quiz *quiz);

#ifdef __cplusplus
}
#endif
#endif
