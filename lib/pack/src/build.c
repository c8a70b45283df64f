/*
 * build.c: building a pack from a provider's folder. It reads course.json, walks the folder
 * for every other file (skipping hidden ones; refusing links, special files and names the
 * verifier would refuse), hashes each, composes and checks the manifest, checks every file's
 * content as the verifier will, lays the zip out in memory (pages and quizzes deflated,
 * images stored: PNGs are compressed already), wraps it in the signed format 2 envelope with
 * the certificate, and writes it beside out_path before renaming it into place. A failure
 * leaves no output file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pack_int.h"

#define WALK_DEPTH_MAX 8
#define COURSE_NAME "course.json"

struct source {
	const char *dir;
	struct pack_limits limits;
	struct pack_source_file *files; /* owned, with their bytes */
	size_t count, cap;
	uint64_t total;
};

static void
source_free(struct source *src)
{
	for (size_t i = 0; i < src->count; i++) {
		free(src->files[i].name);
		free(src->files[i].data);
	}
	free(src->files);
}

static int
source_add(struct source *src, const char *rel, struct pack_error *err)
{
	enum pack_file_type type;
	char path[4096];
	void *data;
	size_t len;
	int r;

	r = pack__name_check(rel, strlen(rel), &src->limits, &type, err);
	if (r < 0)
		return r;
	if (src->count + 3 >= src->limits.max_files)
		return pack__err(err, -EFBIG, "%s: more than %u files", src->dir,
		                 src->limits.max_files - 3);
	if (src->count == src->cap) {
		size_t cap = src->cap ? src->cap * 2 : 64;
		void *f = realloc(src->files, cap * sizeof(*src->files));

		if (!f)
			return pack__err(err, -ENOMEM, "out of memory");
		src->files = f;
		src->cap = cap;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", src->dir, rel) >= sizeof(path))
		return pack__err(err, -ENAMETOOLONG, "%s: path is too long", rel);
	r = pack__file_read(path,
	                    type == PACK_FILE_PNG ? src->limits.max_file_bytes
	                                          : src->limits.max_text_bytes,
	                    &data, &len, err);
	if (r < 0)
		return r;
	src->files[src->count].name = strdup(rel);
	if (!src->files[src->count].name) {
		free(data);
		return pack__err(err, -ENOMEM, "out of memory");
	}
	src->files[src->count].size = len;
	crypto_sha256(data, len, src->files[src->count].sha256);
	src->files[src->count++].data = data;
	src->total += len;
	if (src->total > src->limits.max_pack_bytes)
		return pack__err(err, -EFBIG,
		                 "%s: files add up to more than the %ju-byte pack limit", src->dir,
		                 (uintmax_t)src->limits.max_pack_bytes);
	return 0;
}

static int
walk(struct source *src, const char *rel, int depth, struct pack_error *err)
{
	char path[4096], child[4096];
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (depth > WALK_DEPTH_MAX)
		return pack__err(err, -EFBIG, "%s/%s: folders nest too deeply", src->dir, rel);
	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", src->dir, *rel ? "/" : "", rel) >=
	    sizeof(path))
		return pack__err(err, -ENAMETOOLONG, "%s/%s: path is too long", src->dir, rel);
	d = opendir(path);
	if (!d)
		return pack__err_sys(err, errno, "cannot read folder", path);
	while (r == 0 && (de = readdir(d))) {
		struct stat st;

		/* Hidden files and folders (.git, .DS_Store, editor files) are never course
		 * content; everything else must be. */
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "",
		                     de->d_name) >= sizeof(child)) {
			r = pack__err(err, -ENAMETOOLONG, "%s: path is too long", rel);
			break;
		}
		if (depth == 0 && strcmp(de->d_name, COURSE_NAME) == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			r = pack__err_sys(err, errno, "cannot stat", child);
		else if (S_ISDIR(st.st_mode))
			r = walk(src, child, depth + 1, err);
		else if (S_ISREG(st.st_mode))
			r = source_add(src, child, err);
		else
			r = pack__err(err, -EINVAL,
			              "%s: not a regular file or folder (links are not "
			              "followed)",
			              child);
	}
	closedir(d);
	return r;
}

static int
cmp_source(const void *a, const void *b)
{
	return strcmp(((const struct pack_source_file *)a)->name,
	              ((const struct pack_source_file *)b)->name);
}

static int
write_pack(struct source *src, const struct pack_key *key, const struct pack_cert *cert,
           const char *manifest, size_t manifest_len, const char *out_path, struct pack_error *err)
{
	struct pack_writer *w = NULL;
	char *cert_json = NULL;
	size_t cert_len, zip_len, len;
	void *zip = NULL, *data = NULL;
	int r;

	r = pack__cert_to_json(cert, &cert_json, &cert_len, err);
	if (r == 0)
		r = pack__writer_new(&w, err);
	if (r == 0)
		r = pack__writer_add(w, PACK_MANIFEST_NAME, manifest, manifest_len, true, err);
	for (size_t i = 0; r == 0 && i < src->count; i++) {
		size_t n = strlen(src->files[i].name);
		bool png = n > 4 && strcmp(src->files[i].name + n - 4, ".png") == 0;

		r = pack__writer_add(w, src->files[i].name, src->files[i].data, src->files[i].size,
		                     !png, err);
	}
	if (r == 0)
		r = pack__writer_finish(w, &zip, &zip_len, err);
	if (r == 0)
		r = pack__envelope_wrap(zip, zip_len, cert_json, cert_len, key, &data, &len, err);
	if (r == 0 && len > src->limits.max_pack_bytes)
		r = pack__err(err, -EFBIG, "pack would be %zu bytes, over the %ju-byte limit", len,
		              (uintmax_t)src->limits.max_pack_bytes);
	if (r == 0)
		r = pack__file_write_atomic(out_path, data, len, 0644, err);
	free(data);
	free(zip);
	free(cert_json);
	pack__writer_free(w);
	return r;
}

int
pack_build_dir(const char *dir, const struct pack_key *key, const struct pack_cert *cert,
               const char *out_path,
               void (*progress)(void *userdata, uint64_t done, uint64_t total), void *userdata,
               struct pack_error *err)
{
	struct source src = {.dir = dir};
	struct pack_manifest *m = NULL;
	char path[4096], *manifest = NULL;
	void *course = NULL;
	size_t course_len, manifest_len;
	uint64_t done = 0;
	int r;

	pack_limits_init(&src.limits);
	src.limits.decode_images = true; /* catch a broken image before it is signed */
	if (!pack_key_has_private(key))
		return pack__err(err, -EINVAL, "building needs the provider's private key");
	if (!pack__key_same_public(key, pack__cert_key(cert)))
		return pack__err(err, -EKEYREJECTED,
		                 "the signing key is not the key the certificate certifies");
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, COURSE_NAME) >= sizeof(path))
		return pack__err(err, -ENAMETOOLONG, "%s: path is too long", dir);
	r = pack__file_read(path, src.limits.max_text_bytes, &course, &course_len, err);
	if (r < 0)
		goto out;
	r = walk(&src, "", 0, err);
	if (r < 0)
		goto out;
	qsort(src.files, src.count, sizeof(*src.files), cmp_source);
	r = pack__manifest_compose(course, course_len, cert, src.files, src.count, &manifest,
	                           &manifest_len, err);
	if (r < 0)
		goto out;
	r = pack_manifest_parse(manifest, manifest_len, &src.limits, &m, err);
	if (r < 0) {
		r = pack__err_prefix(err, r, COURSE_NAME);
		goto out;
	}
	for (size_t i = 0; i < src.count; i++) {
		enum pack_file_type type;

		pack__name_check(src.files[i].name, strlen(src.files[i].name), &src.limits, &type,
		                 NULL);
		r = pack__content_check(src.files[i].name, type, src.files[i].data,
		                        src.files[i].size, m, &src.limits, err);
		if (r < 0)
			goto out;
		done += src.files[i].size;
		if (progress)
			progress(userdata, done, src.total);
	}
	r = write_pack(&src, key, cert, manifest, manifest_len, out_path, err);
out:
	pack_manifest_free(m);
	free(manifest);
	free(course);
	source_free(&src);
	return r;
}
