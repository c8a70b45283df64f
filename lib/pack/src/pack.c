/*
 * pack.c: opening a pack, which is verifying all of it. This is the file to read first:
 * open_verified() walks the steps in the order pack_content.h promises (envelope and
 * certificate, signature, container, manifest, files, content) and stops at the first
 * failure, so the caller gets one error and no pack. The envelope's signature is checked
 * before the zip is opened: libzip, md4c and libpng see only packs a certified provider
 * signed. A verified pack keeps its bytes (a copy in memory, or the caller's descriptor);
 * pack_read_file() hashes a file again on every read, so what it returns is always what
 * was signed. An installed pack (pack_open_installed) is the container alone, read file by
 * file against the sizes and digests its caller kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pack_int.h"

struct pack {
	struct pack_source src; /* the whole pack file: data owned, or fd borrowed */
	void *data; /* owned copy, or NULL when reading through a descriptor */
	struct pack_zip *zip; /* owned; reads from src */
	struct pack_cert *cert; /* owned; NULL for an installed pack */
	struct pack_manifest *manifest; /* owned; NULL for an installed pack */
	struct pack_limits limits;
};

void
pack_free(struct pack *pack)
{
	if (!pack)
		return;
	pack__zip_free(pack->zip);
	pack_manifest_free(pack->manifest);
	pack_cert_free(pack->cert);
	free(pack->data);
	free(pack);
}

static struct pack *
pack_new(const struct pack_limits *limits, struct pack_error *err)
{
	struct pack *pack = calloc(1, sizeof(*pack));

	if (!pack) {
		pack__err(err, -ENOMEM, "out of memory");
		return NULL;
	}
	pack->src.fd = -1;
	if (limits)
		pack->limits = *limits;
	else
		pack_limits_init(&pack->limits);
	return pack;
}

static int
read_manifest_entry(struct pack *pack, void **ret_json, size_t *ret_len, struct pack_error *err)
{
	int i = pack__zip_find(pack->zip, PACK_MANIFEST_NAME);

	if (i < 0)
		return pack__err(err, -ENOENT, "pack has no %s", PACK_MANIFEST_NAME);
	return pack__zip_read(pack->zip, (size_t)i, pack->limits.max_text_bytes, ret_json, ret_len,
	                      err);
}

static int
verify_manifest(struct pack *pack, struct pack_error *err)
{
	const struct pack_manifest *m;
	const struct pack_cert *c = pack->cert;
	void *json = NULL;
	size_t len;
	int r;

	r = read_manifest_entry(pack, &json, &len, err);
	if (r == 0)
		r = pack_manifest_parse(json, len, &pack->limits, &pack->manifest, err);
	free(json);
	if (r < 0)
		return r;
	m = pack->manifest;
	/* Both names are checked text by now, so they may be shown. */
	if (strcmp(pack_manifest_provider_id(m), pack_cert_provider_id(c)) != 0)
		return pack__err(err, -EKEYREJECTED,
		                 "the manifest names provider %s but the certificate is for %s",
		                 pack_manifest_provider_id(m), pack_cert_provider_id(c));
	if (strcmp(pack_manifest_provider_name(m), pack_cert_provider_name(c)) != 0)
		return pack__err(err, -EKEYREJECTED,
		                 "the manifest calls provider %s \"%s\" but its certificate names "
		                 "it \"%s\"",
		                 pack_cert_provider_id(c), pack_manifest_provider_name(m),
		                 pack_cert_provider_name(c));
	return 0;
}

/* Reads entry name, which must have exactly size bytes with this SHA-256. */
static int
read_checked(struct pack *pack, const char *name, uint64_t size, const uint8_t *sha256,
             void **ret_data, size_t *ret_len, struct pack_error *err)
{
	uint8_t digest[PACK_SHA256_LEN];
	int z = pack__zip_find(pack->zip, name);
	void *data;
	size_t len;
	int r;

	if (z < 0)
		return pack__err(err, -ENOENT,
		                 "%s: listed in the manifest but missing from the pack", name);
	if (pack__zip_size(pack->zip, (size_t)z) != size)
		return pack__err(err, -EBADMSG, "%s: size is %ju bytes but the manifest says %ju",
		                 name, (uintmax_t)pack__zip_size(pack->zip, (size_t)z),
		                 (uintmax_t)size);
	r = pack__zip_read(pack->zip, (size_t)z, size, &data, &len, err);
	if (r < 0)
		return r;
	if (crypto_sha256(data, len, digest) < 0) {
		free(data);
		return pack__err(err, -EIO, "%s: SHA-256 failed", name);
	}
	if (memcmp(digest, sha256, PACK_SHA256_LEN) != 0) {
		free(data);
		return pack__err(err, -EBADMSG, "%s: SHA-256 does not match the manifest", name);
	}
	*ret_data = data;
	*ret_len = len;
	return 0;
}

static int
verify_files(struct pack *pack, struct pack_progress *progress, struct pack_error *err)
{
	const struct pack_manifest *m = pack->manifest;
	int r;

	for (size_t i = 0; i < pack__zip_count(pack->zip); i++) {
		const char *name = pack__zip_name(pack->zip, i);

		if (!pack__name_reserved(name) && pack__manifest_find_file(m, name) < 0)
			return pack__err(err, -EBADMSG,
			                 "%s: present in the pack but not listed in the manifest",
			                 name);
	}
	for (size_t i = 0; i < pack_manifest_file_count(m); i++) {
		const char *name = pack_manifest_file_name(m, i);
		enum pack_file_type type;
		void *data;
		size_t len;

		r = read_checked(pack, name, pack_manifest_file_size(m, i),
		                 pack_manifest_file_sha256(m, i), &data, &len, err);
		if (r < 0)
			return r;
		r = pack__name_check(name, strlen(name), &pack->limits, &type, err);
		if (r == 0)
			r = pack__content_check(name, type, data, len, m, &pack->limits, err);
		free(data);
		if (r < 0)
			return r;
		pack__progress_add(progress, len);
	}
	return 0;
}

/* The steps of pack_content.h, in order, on pack->src. */
static int
open_verified(struct pack *pack, const struct pack_key *root, int64_t at,
              struct pack_progress *progress, struct pack_error *err)
{
	struct pack_envelope env;
	int r;

	if (!root)
		return pack__err(err, -EINVAL, "no trust root given");
	if (pack->src.size > pack->limits.max_pack_bytes)
		return pack__err(err, -EFBIG, "pack is %ju bytes, over the %ju-byte limit",
		                 (uintmax_t)pack->src.size, (uintmax_t)pack->limits.max_pack_bytes);
	r = pack__envelope_verify(&pack->src, root, at, progress, &pack->cert, &env, err);
	if (r < 0)
		return r;
	r = pack__zip_open(&pack->src, env.zip_offset, &pack->limits, true, &pack->zip, err);
	if (r < 0)
		return r;
	r = verify_manifest(pack, err);
	if (r < 0)
		return r;
	if (progress) {
		for (size_t i = 0; i < pack_manifest_file_count(pack->manifest); i++)
			progress->total += pack_manifest_file_size(pack->manifest, i);
	}
	return verify_files(pack, progress, err);
}

int
pack_open_mem(const void *data, size_t len, const struct pack_key *root, int64_t at,
              const struct pack_limits *limits, struct pack **ret_pack, struct pack_error *err)
{
	struct pack *pack;
	int r;

	if (!data)
		return pack__err(err, -EINVAL, "no pack given");
	pack = pack_new(limits, err);
	if (!pack)
		return -ENOMEM;
	if (len > pack->limits.max_pack_bytes) {
		r = pack__err(err, -EFBIG, "pack is %zu bytes, over the %ju-byte limit", len,
		              (uintmax_t)pack->limits.max_pack_bytes);
		goto fail;
	}
	pack->data = malloc(len ? len : 1);
	if (!pack->data) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	memcpy(pack->data, data, len);
	pack->src = (struct pack_source){pack->data, -1, len};
	r = open_verified(pack, root, at, NULL, err);
	if (r < 0)
		goto fail;
	*ret_pack = pack;
	return 0;
fail:
	pack_free(pack);
	return r;
}

int
pack_open_file(const char *path, const struct pack_key *root, int64_t at,
               const struct pack_limits *limits, struct pack **ret_pack, struct pack_error *err)
{
	struct pack *pack;
	size_t len;
	int r;

	if (!path)
		return pack__err(err, -EINVAL, "no pack given");
	pack = pack_new(limits, err);
	if (!pack)
		return -ENOMEM;
	r = pack__file_read(path, pack->limits.max_pack_bytes, &pack->data, &len, err);
	if (r < 0)
		goto fail;
	pack->src = (struct pack_source){pack->data, -1, len};
	r = open_verified(pack, root, at, NULL, err);
	if (r < 0)
		goto fail;
	*ret_pack = pack;
	return 0;
fail:
	pack_free(pack);
	return r;
}

/*
 * The size of the file at fd, within the pack limit. lseek() rather than fstat(): glibc's
 * fstat() is newfstatat(), a call that takes a path, which onward-parse's filter refuses.
 * A pipe or socket cannot seek (the daemon only ever passes regular files).
 */
static int
fd_size(int fd, const struct pack_limits *limits, uint64_t *ret_size, struct pack_error *err)
{
	off_t size = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);

	if (size < 0 && errno == ESPIPE)
		return pack__err(err, -EINVAL, "the pack is not a regular file");
	if (size < 0)
		return pack__err(err, -EBADF, "the pack cannot be read (no open file)");
	if ((uint64_t)size > limits->max_pack_bytes)
		return pack__err(err, -EFBIG, "pack is %ju bytes, over the %ju-byte limit",
		                 (uintmax_t)size, (uintmax_t)limits->max_pack_bytes);
	*ret_size = (uint64_t)size;
	return 0;
}

int
pack_open_fd(int fd, const struct pack_key *root, int64_t at, const struct pack_limits *limits,
             pack_progress_fn progress, void *userdata, struct pack **ret_pack,
             struct pack_error *err)
{
	struct pack_progress p = {progress, userdata, 0, 0};
	struct pack *pack = pack_new(limits, err);
	int r;

	if (!pack)
		return -ENOMEM;
	pack->src.fd = fd;
	r = fd_size(fd, &pack->limits, &pack->src.size, err);
	if (r == 0)
		r = open_verified(pack, root, at, &p, err);
	if (r < 0) {
		pack_free(pack);
		return r;
	}
	*ret_pack = pack;
	return 0;
}

int
pack_open_installed(int fd, const struct pack_limits *limits, struct pack **ret_pack,
                    struct pack_error *err)
{
	struct pack *pack = pack_new(limits, err);
	struct pack_envelope env = {0};
	uint8_t head[PACK_HEADER_LEN];
	int r;

	if (!pack)
		return -ENOMEM;
	pack->src.fd = fd;
	r = fd_size(fd, &pack->limits, &pack->src.size, err);
	if (r == 0 && pack->src.size < sizeof(head))
		r = pack__err(err, -EBADMSG, "not a course pack: only %ju bytes",
		              (uintmax_t)pack->src.size);
	if (r == 0)
		r = pack__source_read(&pack->src, 0, head, sizeof(head), err);
	/* A format 1 pack installed before format 2 was verified then; its zip is the file. */
	if (r == 0 && memcmp(head, "PK\x03\x04", 4) != 0)
		r = pack__envelope_parse(head, sizeof(head), pack->src.size, &env, err);
	if (r == 0)
		r = pack__zip_open(&pack->src, env.zip_offset, &pack->limits, false, &pack->zip,
		                   err);
	if (r < 0) {
		pack_free(pack);
		return r;
	}
	*ret_pack = pack;
	return 0;
}

const struct pack_manifest *
pack_get_manifest(const struct pack *pack)
{
	return pack->manifest;
}

const struct pack_cert *
pack_get_cert(const struct pack *pack)
{
	return pack->cert;
}

int
pack_read_file(struct pack *pack, const char *name, void **ret_data, size_t *ret_len,
               struct pack_error *err)
{
	int i = name && pack->manifest ? pack__manifest_find_file(pack->manifest, name) : -ENOENT;

	if (i < 0)
		return pack__err(err, -ENOENT, "%s: not a file in this pack",
		                 name ? name : "(null)");
	return read_checked(pack, name, pack_manifest_file_size(pack->manifest, (size_t)i),
	                    pack_manifest_file_sha256(pack->manifest, (size_t)i), ret_data, ret_len,
	                    err);
}

int
pack_read_checked(struct pack *pack, const char *name, uint64_t size, const uint8_t sha256[32],
                  void **ret_data, size_t *ret_len, struct pack_error *err)
{
	if (!name || !sha256)
		return pack__err(err, -EINVAL, "no file name or digest given");
	return read_checked(pack, name, size, sha256, ret_data, ret_len, err);
}

int
pack_peek_file(const char *path, const struct pack_limits *limits,
               struct pack_manifest **ret_manifest, struct pack_cert **ret_cert,
               struct pack_error *err)
{
	struct pack *pack = pack_new(limits, err);
	struct pack_envelope env;
	void *json = NULL;
	size_t len;
	int r;

	if (!pack)
		return -ENOMEM;
	r = pack__file_read(path, pack->limits.max_pack_bytes, &pack->data, &len, err);
	if (r < 0)
		goto out;
	pack->src = (struct pack_source){pack->data, -1, len};
	r = pack__envelope_peek(&pack->src, &pack->cert, &env, err);
	if (r < 0)
		goto out;
	r = pack__zip_open(&pack->src, env.zip_offset, &pack->limits, true, &pack->zip, err);
	if (r < 0)
		goto out;
	r = read_manifest_entry(pack, &json, &len, err);
	if (r < 0)
		goto out;
	r = pack_manifest_parse(json, len, &pack->limits, ret_manifest, err);
	if (r < 0)
		goto out;
	*ret_cert = pack->cert;
	pack->cert = NULL;
out:
	free(json);
	pack_free(pack);
	return r;
}
