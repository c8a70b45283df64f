/*
 * container.c: reading a pack's zip container with libzip, from memory or through a
 * descriptor (a libzip source function that reads with pread, so an installed pack is
 * never held whole in memory). Only pack.c calls it, and for a new pack only after the
 * envelope's signature has held. Opening checks the container: the zip's structure
 * (libzip's ZIP_CHECKCONS consistency checks), the entry count, each entry's name, type
 * (a regular file: a symbolic link, folder or device entry is refused by its external
 * attributes), compression method and declared size, duplicate names, and the declared
 * sizes added up against the inflated limit. Reading an entry is bounded: at most its
 * declared size is decompressed, plus one byte to catch an entry that inflates past what it
 * declared (a "zip bomb"); and every byte inflated is counted, so the whole pack never
 * unpacks past max_inflated_bytes whatever its headers say. libzip reads the whole central
 * directory when it opens the archive, before our entry count check: what it allocates
 * there is bounded by the pack size limit, checked first.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "pack_int.h"

/* MS-DOS attributes, which zips made on Windows carry in the external attributes. */
#define DOS_DIRECTORY 0x10u

static atomic_ulong zip_opens;

struct zip_entry {
	const char *name; /* borrowed from libzip; valid while the archive is open */
	uint64_t size;
};

/* Where libzip reads from when the pack is behind a descriptor. */
struct fd_source {
	int fd; /* borrowed */
	uint64_t offset, length, pos;
	zip_error_t error;
};

struct pack_zip {
	zip_t *za; /* owned; reads from the caller's buffer or descriptor, which must outlive it */
	struct fd_source *fds; /* owned; NULL for memory (libzip frees its source with za) */
	struct zip_entry *entries; /* owned; count of them */
	size_t count;
	uint64_t inflated; /* bytes inflated so far, counted as they are read */
	uint64_t inflated_max; /* UINT64_MAX when not counted */
};

void
pack__zip_free(struct pack_zip *zip)
{
	if (!zip)
		return;
	if (zip->za)
		zip_discard(zip->za);
	if (zip->fds)
		zip_error_fini(&zip->fds->error);
	free(zip->fds);
	free(zip->entries);
	free(zip);
}

unsigned long
pack__zip_open_count(void)
{
	return atomic_load(&zip_opens);
}

static zip_int64_t
fd_source_callback(void *userdata, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct fd_source *s = userdata;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		s->pos = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t left = s->length - s->pos, want = len < left ? len : left, got = 0;

		while (got < want) {
			ssize_t n = pread(s->fd, (char *)data + got, (size_t)(want - got),
			                  (off_t)(s->offset + s->pos + got));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				zip_error_set(&s->error, ZIP_ER_READ, n < 0 ? errno : EIO);
				return -1;
			}
			got += (zip_uint64_t)n;
		}
		s->pos += got;
		return (zip_int64_t)got;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		if (len < sizeof(*st)) {
			zip_error_set(&s->error, ZIP_ER_INVAL, 0);
			return -1;
		}
		zip_stat_init(st);
		st->size = s->length;
		st->comp_size = s->length;
		st->comp_method = ZIP_CM_STORE;
		st->encryption_method = ZIP_EM_NONE;
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
		            ZIP_STAT_ENCRYPTION_METHOD;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->error, data, len);
	case ZIP_SOURCE_FREE:
		return 0; /* the struct is the pack_zip's */
	case ZIP_SOURCE_SEEK: {
		zip_int64_t to =
		        zip_source_seek_compute_offset(s->pos, s->length, data, len, &s->error);

		if (to < 0)
			return -1;
		s->pos = (zip_uint64_t)to;
		return 0;
	}
	case ZIP_SOURCE_TELL:
		return (zip_int64_t)s->pos;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(
		        ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		        ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
		        ZIP_SOURCE_SUPPORTS, -1);
	default:
		zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
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
	zip_uint8_t opsys;
	zip_uint32_t attributes;
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
	/* Only regular files: a symbolic link entry would point an unpacker outside the
	 * pack, and nothing in a course is a folder, device or pipe. */
	if (zip_file_get_external_attributes(za, i, 0, &opsys, &attributes) < 0)
		return pack__err(err, -EBADMSG, "%s: its attributes cannot be read", st.name);
	if (opsys == ZIP_OPSYS_UNIX && S_ISLNK((attributes >> 16) & S_IFMT))
		return pack__err(err, -EBADMSG,
		                 "%s: a symbolic link, not a file (packs hold only files)",
		                 st.name);
	if ((opsys == ZIP_OPSYS_UNIX && ((attributes >> 16) & S_IFMT) != 0 &&
	     !S_ISREG((attributes >> 16) & S_IFMT)) ||
	    (attributes & DOS_DIRECTORY))
		return pack__err(err, -EBADMSG,
		                 "%s: not a regular file (a folder or special file entry)",
		                 st.name);
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

/* A libzip source over the zip: the caller's memory, or the descriptor through pread. */
static zip_source_t *
make_source(struct pack_zip *zip, const struct pack_source *src, uint64_t offset, zip_error_t *ze)
{
	if (src->data)
		return zip_source_buffer_create(src->data + offset, src->size - offset, 0, ze);
	zip->fds = calloc(1, sizeof(*zip->fds));
	if (!zip->fds) {
		zip_error_set(ze, ZIP_ER_MEMORY, 0);
		return NULL;
	}
	zip->fds->fd = src->fd;
	zip->fds->offset = offset;
	zip->fds->length = src->size - offset;
	zip_error_init(&zip->fds->error);
	return zip_source_function_create(fd_source_callback, zip->fds, ze);
}

int
pack__zip_open(const struct pack_source *src, uint64_t offset, const struct pack_limits *limits,
               bool count_inflated, struct pack_zip **ret_zip, struct pack_error *err)
{
	struct pack_zip *zip = NULL;
	struct zip_entry **sorted = NULL;
	zip_source_t *zsrc;
	zip_error_t ze;
	zip_int64_t n;
	uint64_t declared = 0;
	int r;

	atomic_fetch_add(&zip_opens, 1);
	if (src->size > limits->max_pack_bytes)
		return pack__err(err, -EFBIG, "pack is %ju bytes, over the %ju-byte limit",
		                 (uintmax_t)src->size, (uintmax_t)limits->max_pack_bytes);
	if (offset > src->size || src->size - offset < PACK_MIN_ZIP_LEN)
		return pack__err(err, -EBADMSG, "not a course pack: only %ju bytes",
		                 (uintmax_t)src->size);
	zip = calloc(1, sizeof(*zip));
	if (!zip)
		return pack__err(err, -ENOMEM, "out of memory");
	zip->inflated_max = count_inflated ? limits->max_inflated_bytes : UINT64_MAX;
	zip_error_init(&ze);
	zsrc = make_source(zip, src, offset, &ze);
	if (!zsrc) {
		zip_error_fini(&ze);
		pack__zip_free(zip);
		return pack__err(err, -ENOMEM, "out of memory");
	}
	zip->za = zip_open_from_source(zsrc, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!zip->za) {
		zip_source_free(zsrc);
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
		declared += zip->entries[i].size; /* each is at most 16 MiB: no overflow */
	}
	if (declared > zip->inflated_max) {
		r = pack__err(err, -EFBIG,
		              "the files in the pack add up to %ju bytes unpacked, over the "
		              "%ju-byte limit",
		              (uintmax_t)declared, (uintmax_t)zip->inflated_max);
		goto fail;
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
	if (e->size > zip->inflated_max - zip->inflated)
		return pack__err(err, -EFBIG,
		                 "%s: the pack unpacks to more than the %ju-byte limit", e->name,
		                 (uintmax_t)zip->inflated_max);
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
		zip->inflated += (uint64_t)n;
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
