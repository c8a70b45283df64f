/*
 * writer.c: assembling a pack's zip in memory with libzip. Entries go in the order added
 * with fixed timestamps and attributes (regular files, mode 0644), so the same inputs give
 * the same container; the builder then puts it in its signed envelope (envelope.c). The
 * tests use this directly to make bad packs that are still signed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "pack_int.h"

#define WRITER_MTIME 946684800 /* 2000-01-01T00:00:00Z: builds do not depend on the clock */

struct pack_writer {
	zip_source_t *dst; /* owned (kept past zip_close); the archive's bytes */
	zip_t *za; /* owned until pack__writer_finish() closes it */
};

int
pack__writer_new(struct pack_writer **ret_writer, struct pack_error *err)
{
	struct pack_writer *w = calloc(1, sizeof(*w));
	zip_error_t ze;

	if (!w)
		return pack__err(err, -ENOMEM, "out of memory");
	zip_error_init(&ze);
	w->dst = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (w->dst) {
		zip_source_keep(w->dst);
		w->za = zip_open_from_source(w->dst, ZIP_TRUNCATE, &ze);
	}
	if (!w->za) {
		int r = pack__err(err, -ENOMEM, "cannot start the pack: %s",
		                  zip_error_strerror(&ze));

		if (w->dst)
			zip_source_free(
			        w->dst); /* the reference zip_open_from_source did not take */

		zip_error_fini(&ze);
		pack__writer_free(w);
		return r;
	}
	zip_error_fini(&ze);
	*ret_writer = w;
	return 0;
}

int
pack__writer_add(struct pack_writer *w, const char *name, const void *data, size_t len,
                 bool compress, struct pack_error *err)
{
	return pack__writer_add_mode(w, name, data, len, compress, 0100644u, err);
}

int
pack__writer_add_mode(struct pack_writer *w, const char *name, const void *data, size_t len,
                      bool compress, unsigned mode, struct pack_error *err)
{
	void *copy = malloc(len ? len : 1);
	zip_source_t *src;
	zip_int64_t idx;

	if (!copy)
		return pack__err(err, -ENOMEM, "%s: out of memory", name);
	if (len)
		memcpy(copy, data, len);
	src = zip_source_buffer(w->za, copy, len, 1);
	if (!src) {
		free(copy);
		return pack__err(err, -ENOMEM, "%s: out of memory", name);
	}
	idx = zip_file_add(w->za, name, src, 0);
	if (idx < 0) {
		zip_source_free(src);
		return pack__err(err, -EINVAL, "%s: cannot add to the pack: %s", name,
		                 zip_strerror(w->za));
	}
	if (zip_set_file_compression(w->za, (zip_uint64_t)idx,
	                             compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) < 0 ||
	    zip_file_set_mtime(w->za, (zip_uint64_t)idx, WRITER_MTIME, 0) < 0 ||
	    zip_file_set_external_attributes(w->za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
	                                     (zip_uint32_t)mode << 16) < 0)
		return pack__err(err, -EINVAL, "%s: cannot add to the pack: %s", name,
		                 zip_strerror(w->za));
	return 0;
}

int
pack__writer_finish(struct pack_writer *w, void **ret_data, size_t *ret_len, struct pack_error *err)
{
	zip_stat_t st;
	char *data = NULL;
	zip_uint64_t got = 0;

	if (zip_close(w->za) < 0)
		return pack__err(err, -EIO, "cannot write the pack: %s", zip_strerror(w->za));
	w->za = NULL;
	zip_stat_init(&st);
	if (zip_source_stat(w->dst, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    zip_source_open(w->dst) < 0)
		return pack__err(err, -EIO, "cannot read back the pack");
	data = malloc(st.size ? st.size : 1);
	if (!data) {
		zip_source_close(w->dst);
		return pack__err(err, -ENOMEM, "out of memory");
	}
	while (got < st.size) {
		zip_int64_t n = zip_source_read(w->dst, data + got, st.size - got);

		if (n <= 0)
			break;
		got += (zip_uint64_t)n;
	}
	zip_source_close(w->dst);
	if (got != st.size) {
		free(data);
		return pack__err(err, -EIO, "cannot read back the pack");
	}
	*ret_data = data;
	*ret_len = got;
	return 0;
}

void
pack__writer_free(struct pack_writer *w)
{
	if (!w)
		return;
	if (w->za)
		zip_discard(w->za);
	zip_source_free(w->dst);
	free(w);
}
