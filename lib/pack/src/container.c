/*
 * container.c: reading a pack's zip container with libzip, from memory. Opening checks
 * everything about the container that can be checked without the keys: the pack size,
 * the zip's structure (libzip's ZIP_CHECKCONS consistency checks), the seal's place at the
 * very end, the entry count, each entry's name, compression method and declared size, and
 * duplicate names. Reading an entry is bounded: at most its declared size is decompressed,
 * plus one byte to catch an entry that inflates past what it declared (a "zip bomb").
 * libzip reads the whole central directory when it opens the archive, before our entry
 * count check: what it allocates there is bounded by the pack size limit, checked first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "pack_int.h"

struct zip_entry {
	const char *name; /* borrowed from libzip; valid while the archive is open */
	uint64_t size;
};

struct pack_zip {
	zip_t *za; /* owned; reads from the caller's buffer, which must outlive it */
	struct zip_entry *entries; /* owned; count of them */
	size_t count;
};

void
pack__zip_free(struct pack_zip *zip)
{
	if (!zip)
		return;
	if (zip->za)
		zip_discard(zip->za);
	free(zip->entries);
	free(zip);
}

static int
cmp_entry_name(const void *a, const void *b)
{
	const struct zip_entry *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* The size limit that applies to one entry, by what it is. */
static uint64_t
entry_limit(const char *name, const struct pack_limits *limits)
{
	size_t len = strlen(name);

	if (strcmp(name, PACK_MANIFEST_SIG_NAME) == 0)
		return PACK_SIG_LEN;
	if (strcmp(name, PACK_CERT_NAME) == 0)
		return PACK_CERT_MAX_BYTES;
	if (strcmp(name, PACK_MANIFEST_NAME) == 0)
		return limits->max_text_bytes;
	if ((len > 3 && strcmp(name + len - 3, ".md") == 0) ||
	    (len > 5 && strcmp(name + len - 5, ".json") == 0))
		return limits->max_text_bytes < limits->max_file_bytes ? limits->max_text_bytes
		                                                       : limits->max_file_bytes;
	return limits->max_file_bytes;
}

static int
zip_check_entry(zip_t *za, zip_uint64_t i, const struct pack_limits *limits,
                struct zip_entry *ret_entry, struct pack_error *err)
{
	const zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
	                          ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
	zip_stat_t st;
	uint64_t limit;
	int r;

	zip_stat_init(&st);
	if (zip_stat_index(za, i, ZIP_FL_ENC_RAW, &st) < 0 || (st.valid & need) != need || !st.name)
		return pack__err(err, -EBADMSG, "not a valid pack: entry %ju cannot be read",
		                 (uintmax_t)i);
	if (!pack__name_reserved(st.name)) {
		r = pack__name_check(st.name, strlen(st.name), limits, NULL, err);
		if (r < 0)
			return r;
	}
	if (st.encryption_method != ZIP_EM_NONE)
		return pack__err(err, -EBADMSG, "%s: encrypted entries are not allowed", st.name);
	if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)
		return pack__err(err, -EBADMSG, "%s: compression method %d is not allowed", st.name,
		                 (int)st.comp_method);
	if (st.comp_method == ZIP_CM_STORE && st.comp_size != st.size)
		return pack__err(err, -EBADMSG, "%s: stored entry's sizes disagree", st.name);
	limit = entry_limit(st.name, limits);
	if (st.size > limit)
		return pack__err(err, -EFBIG, "%s: file is %ju bytes, over the %ju-byte limit",
		                 st.name, (uintmax_t)st.size, (uintmax_t)limit);
	ret_entry->name = st.name;
	ret_entry->size = st.size;
	return 0;
}

int
pack__zip_open(const void *data, size_t len, const struct pack_limits *limits,
               struct pack_zip **ret_zip, struct pack_error *err)
{
	struct pack_zip *zip = NULL;
	struct zip_entry **sorted = NULL;
	zip_source_t *src;
	zip_error_t ze;
	zip_int64_t n;
	const char *comment;
	int clen = 0, r;

	if (len > limits->max_pack_bytes)
		return pack__err(err, -EFBIG, "pack is %zu bytes, over the %ju-byte limit", len,
		                 (uintmax_t)limits->max_pack_bytes);
	if (len < PACK_SEAL_LEN + 22)
		return pack__err(err, -EBADMSG, "not a course pack: only %zu bytes", len);
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return pack__err(err, -ENOMEM, "out of memory");
	}
	zip = calloc(1, sizeof(*zip));
	if (!zip) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return pack__err(err, -ENOMEM, "out of memory");
	}
	zip->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!zip->za) {
		zip_source_free(src);
		if (zip_error_code_zip(&ze) == ZIP_ER_EXISTS) /* libzip refuses duplicates itself */
			r = pack__err(err, -EBADMSG,
			              "not a valid pack: two entries have the same name");
		else
			r = pack__err(err, -EBADMSG, "not a valid pack: %s",
			              zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto fail;
	}
	zip_error_fini(&ze);
	comment = zip_get_archive_comment(zip->za, &clen, ZIP_FL_ENC_RAW);
	if (!comment || clen != (int)PACK_SEAL_LEN ||
	    memcmp(comment, (const char *)data + len - PACK_SEAL_LEN, PACK_SEAL_LEN) != 0) {
		r = pack__err(err, -EBADMSG,
		              "pack has no seal at its end (not signed with onward-pack)");
		goto fail;
	}
	n = zip_get_num_entries(zip->za, 0);
	if (n < 0 || (uint64_t)n > limits->max_files) {
		r = pack__err(err, -EFBIG, "pack has %jd files, over the %u-file limit",
		              (intmax_t)n, limits->max_files);
		goto fail;
	}
	zip->count = (size_t)n;
	zip->entries = calloc(zip->count ? zip->count : 1, sizeof(*zip->entries));
	sorted = calloc(zip->count ? zip->count : 1, sizeof(*sorted));
	if (!zip->entries || !sorted) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < zip->count; i++) {
		r = zip_check_entry(zip->za, i, limits, &zip->entries[i], err);
		if (r < 0)
			goto fail;
		sorted[i] = &zip->entries[i];
	}
	qsort(sorted, zip->count, sizeof(*sorted), cmp_entry_name);
	for (size_t i = 1; i < zip->count; i++) {
		if (strcmp(sorted[i - 1]->name, sorted[i]->name) == 0) {
			r = pack__err(err, -EBADMSG, "%s: name appears twice in the pack",
			              sorted[i]->name);
			goto fail;
		}
	}
	free(sorted);
	*ret_zip = zip;
	return 0;
fail:
	free(sorted);
	pack__zip_free(zip);
	return r;
}

size_t
pack__zip_count(const struct pack_zip *zip)
{
	return zip->count;
}

const char *
pack__zip_name(const struct pack_zip *zip, size_t i)
{
	return zip->entries[i].name;
}

uint64_t
pack__zip_size(const struct pack_zip *zip, size_t i)
{
	return zip->entries[i].size;
}

int
pack__zip_find(const struct pack_zip *zip, const char *name)
{
	for (size_t i = 0; i < zip->count; i++) {
		if (strcmp(zip->entries[i].name, name) == 0)
			return (int)i;
	}
	return -ENOENT;
}

static int
zip_read_error(zip_file_t *zf, const char *name, struct pack_error *err)
{
	zip_error_t *ze = zip_file_get_error(zf);

	if (zip_error_code_zip(ze) == ZIP_ER_CRC)
		return pack__err(err, -EBADMSG, "%s: CRC does not match its data", name);
	if (zip_error_code_zip(ze) == ZIP_ER_INCONS)
		return pack__err(err, -EBADMSG, "%s: data does not match its declared size", name);
	return pack__err(err, -EBADMSG, "%s: cannot be read: %s", name, zip_error_strerror(ze));
}

int
pack__zip_read(struct pack_zip *zip, size_t i, uint64_t max, void **ret_data, size_t *ret_len,
               struct pack_error *err)
{
	const struct zip_entry *e = &zip->entries[i];
	zip_file_t *zf;
	uint64_t got = 0;
	char *buf, extra;
	zip_int64_t n;
	int r;

	if (e->size > max)
		return pack__err(err, -EFBIG, "%s: file is %ju bytes, over the %ju-byte limit",
		                 e->name, (uintmax_t)e->size, (uintmax_t)max);
	buf = malloc((size_t)e->size + 1);
	if (!buf)
		return pack__err(err, -ENOMEM, "%s: out of memory", e->name);
	zf = zip_fopen_index(zip->za, i, 0);
	if (!zf) {
		r = pack__err(err, -EBADMSG, "%s: cannot be read: %s", e->name,
		              zip_error_strerror(zip_get_error(zip->za)));
		free(buf);
		return r;
	}
	while (got < e->size) {
		n = zip_fread(zf, buf + got, e->size - got);
		if (n < 0) {
			r = zip_read_error(zf, e->name, err);
			goto fail;
		}
		if (n == 0) {
			r = pack__err(err, -EBADMSG, "%s: data ends before its declared %ju bytes",
			              e->name, (uintmax_t)e->size);
			goto fail;
		}
		got += (uint64_t)n;
	}
	/* One byte more must be the end: never inflate past what the entry declared. */
	n = zip_fread(zf, &extra, 1);
	if (n > 0) {
		r = pack__err(err, -EFBIG, "%s: decompresses to more than its declared %ju bytes",
		              e->name, (uintmax_t)e->size);
		goto fail;
	}
	if (n < 0) {
		r = zip_read_error(zf, e->name, err);
		goto fail;
	}
	zip_fclose(zf);
	buf[got] = '\0';
	*ret_data = buf;
	*ret_len = (size_t)got;
	return 0;
fail:
	zip_fclose(zf);
	free(buf);
	return r;
}
