/*
 * fixture.h: what the pack tests build on: a temporary folder, a content root and a
 * provider key with a certificate valid through 2026, a small good course, and a way to
 * make format 2 packs from any files and manifest, signed with any key, using the
 * library's own internal writer and envelope. That is how the tests make packs that are bad in
 * exactly one way and still carry valid signatures, so each check is reached and tested on its own.
 */
#ifndef ONWARD_PACK_FIXTURE_H
#define ONWARD_PACK_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pack_content.h"

struct fx_file {
	const char *name;
	const void *data;
	size_t len;
	bool unlisted; /* in the zip, not in the manifest */
	bool missing; /* in the manifest, not in the zip */
	bool store; /* stored rather than deflated */
	const void *listed_as; /* when set, the manifest hashes this (same length) instead */
	unsigned mode; /* the entry's Unix mode; 0: a regular file, 0644 */
};

struct fx_opts {
	const struct pack_key *sign_key; /* NULL: the provider's */
	const char *manifest; /* NULL: composed from the files */
	const char *cert_json; /* NULL: the fixture's certificate */
	const char *course; /* NULL: FX_COURSE */
};

#define FX_FILES_MAX 64
struct fx {
	char dir[256];
	struct pack_key *root, *provider;
	struct pack_cert *cert;
	int64_t at; /* 2026-06-01, inside the certificate's validity */
	struct fx_file files[FX_FILES_MAX];
	size_t file_count;
	void *png; /* owned; the course's image */
	size_t png_len;
};

extern const char FX_COURSE[];
extern const char FX_PAGE_INTRO[];
extern const char FX_PAGE_MONEY[];
extern const char FX_QUIZ[];

void fx_init(struct fx *fx);
void fx_fini(struct fx *fx);
/* Makes a pack from files with opts (NULL for defaults); aborts if the writer fails. */
void fx_pack(struct fx *fx, const struct fx_file *files, size_t count, const struct fx_opts *opts,
             void **ret_data, size_t *ret_len);
void fx_good_pack(struct fx *fx, void **ret_data, size_t *ret_len);
int fx_open(struct fx *fx, const void *data, size_t len, struct pack **ret_pack,
            struct pack_error *err);
/* Replaces every occurrence of `from` by `to` (same length); returns how many. */
size_t fx_patch(void *data, size_t len, const void *from, const void *to, size_t n);
/* Signs the pack's envelope again after a test has changed its bytes. */
void fx_resign(struct fx *fx, void *data, size_t len);
/* The offset of the zip in a format 2 pack (after the header, certificate and signature). */
size_t fx_zip_offset(const void *data, size_t len);
/* A valid RGB PNG of w x h pixels, made with libpng; malloc'd. */
void *fx_png(unsigned w, unsigned h, unsigned seed, size_t *ret_len);
void fx_write(const char *dir, const char *rel, const void *data, size_t len);
/* Writes the good course's source (course.json and files) under fx->dir/sub. */
void fx_write_course(struct fx *fx, const char *sub);
bool fx_exists(const char *path);
/* Counts the entries in a folder (to see that a failed build left nothing). */
size_t fx_count_entries(const char *dir);

#endif
