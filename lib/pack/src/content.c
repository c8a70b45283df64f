/*
 * content.c: the last step of verification, shared with the builder: each file's bytes
 * checked by what its name says it is. A page must render (valid UTF-8 Markdown, md4c)
 * and every image it shows must be a PNG listed in the manifest; every .json file is a quiz
 * and must match the quiz schema; every PNG must decode within the image limits.
 */
#include <errno.h>

#include "pack_int.h"

static int
check_page(const char *name, const void *data, size_t len, const struct pack_manifest *m,
           struct pack_error *err)
{
	struct pack_page *page;
	int r = pack_page_render(name, data, len, &page, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < pack_page_block_count(page); i++) {
		const struct pack_block *b = pack_page_block(page, i);

		if (b->kind == PACK_BLOCK_IMAGE && pack__manifest_find_file(m, b->image) < 0) {
			r = pack__err(err, -ENOENT, "%s: shows image %s, which is not in the pack",
			              name, b->image);
			break;
		}
	}
	pack_page_free(page);
	return r;
}

int
pack__content_check(const char *name, enum pack_file_type type, const void *data, size_t len,
                    const struct pack_manifest *m, const struct pack_limits *limits,
                    struct pack_error *err)
{
	struct pack_quiz *quiz;
	int r;

	switch (type) {
	case PACK_FILE_MD:
		return check_page(name, data, len, m, err);
	case PACK_FILE_JSON:
		r = pack_quiz_parse(data, len, &quiz, err);
		if (r < 0)
			return pack__err_prefix(err, r, name);
		pack_quiz_free(quiz);
		return 0;
	case PACK_FILE_PNG:
		return pack__png_check(name, data, len, limits, err);
	}
	return pack__err(err, -EBADMSG, "%s: unknown file type", name);
}
