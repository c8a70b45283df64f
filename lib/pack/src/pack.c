/*
 * pack.c: opening a pack, which is verifying all of it. This is the file to read first:
 * pack_open_mem() walks the steps in the order pack.h promises (container, certificate,
 * signatures, manifest, files, content) and stops at the first failure, so the caller gets
 * one error and no pack. A verified pack keeps its own copy of the bytes; pack_read_file()
 * hashes a file again on every read, so what it returns is always what was signed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pack_int.h"

struct pack {
	void *data; /* owned: the whole pack file */
	size_t len;
	struct pack_zip *zip; /* owned; reads from data */
	struct pack_cert *cert; /* owned */
	struct pack_manifest *manifest; /* owned */
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

/* Reads a reserved entry, which every pack must have. */
static int
read_reserved(struct pack *pack, const char *name, uint64_t max, void **ret_data, size_t *ret_len,
              struct pack_error *err)
{
	int i = pack__zip_find(pack->zip, name);

	if (i < 0)
		return pack__err(err, -ENOENT, "pack has no %s", name);
	return pack__zip_read(pack->zip, (size_t)i, max, ret_data, ret_len, err);
}

static int
verify_signer(struct pack *pack, const struct pack_key *root, int64_t at, struct pack_error *err)
{
	void *data;
	size_t len;
	int r;

	r = read_reserved(pack, PACK_CERT_NAME, PACK_CERT_MAX_BYTES, &data, &len, err);
	if (r < 0)
		return r;
	r = pack_cert_parse(data, len, &pack->cert, err);
	free(data);
	if (r < 0)
		return pack__err_prefix(err, r, PACK_CERT_NAME);
	r = pack_cert_verify(pack->cert, root, at, err);
	if (r < 0)
		return r;
	return pack__seal_verify(pack->data, pack->len, pack__cert_key(pack->cert), err);
}

static int
verify_manifest(struct pack *pack, struct pack_error *err)
{
	const struct pack_manifest *m;
	void *json = NULL, *sig = NULL;
	size_t json_len, sig_len;
	int r;

	r = read_reserved(pack, PACK_MANIFEST_NAME, pack->limits.max_text_bytes, &json, &json_len,
	                  err);
	if (r < 0)
		goto out;
	r = read_reserved(pack, PACK_MANIFEST_SIG_NAME, PACK_SIG_LEN, &sig, &sig_len, err);
	if (r < 0)
		goto out;
	if (sig_len != PACK_SIG_LEN ||
	    !pack__manifest_sig_ok(pack__cert_key(pack->cert), json, json_len, sig)) {
		r = pack__err(err, -EKEYREJECTED,
		              "manifest signature does not verify with the provider key");
		goto out;
	}
	r = pack_manifest_parse(json, json_len, &pack->limits, &pack->manifest, err);
	if (r < 0)
		goto out;
	m = pack->manifest;
	if (strcmp(pack_manifest_provider_id(m), pack_cert_provider_id(pack->cert)) != 0 ||
	    strcmp(pack_manifest_provider_name(m), pack_cert_provider_name(pack->cert)) != 0)
		r = pack__err(err, -EKEYREJECTED,
		              "manifest names provider %s but the certificate is for %s",
		              pack_manifest_provider_id(m), pack_cert_provider_id(pack->cert));
out:
	free(json);
	free(sig);
	return r;
}

/* Reads listed file i, checking its size and SHA-256 against the manifest. */
static int
read_listed(struct pack *pack, size_t i, void **ret_data, size_t *ret_len, struct pack_error *err)
{
	const struct pack_manifest *m = pack->manifest;
	const char *name = pack_manifest_file_name(m, i);
	uint8_t digest[PACK_SHA256_LEN];
	int z = pack__zip_find(pack->zip, name);
	void *data;
	size_t len;
	int r;

	if (z < 0)
		return pack__err(err, -ENOENT,
		                 "%s: listed in the manifest but missing from the pack", name);
	if (pack__zip_size(pack->zip, (size_t)z) != pack_manifest_file_size(m, i))
		return pack__err(err, -EBADMSG, "%s: size is %ju bytes but the manifest says %ju",
		                 name, (uintmax_t)pack__zip_size(pack->zip, (size_t)z),
		                 (uintmax_t)pack_manifest_file_size(m, i));
	r = pack__zip_read(pack->zip, (size_t)z, pack_manifest_file_size(m, i), &data, &len, err);
	if (r < 0)
		return r;
	if (crypto_sha256(data, len, digest) < 0) {
		free(data);
		return pack__err(err, -EIO, "%s: SHA-256 failed", name);
	}
	if (memcmp(digest, pack_manifest_file_sha256(m, i), PACK_SHA256_LEN) != 0) {
		free(data);
		return pack__err(err, -EBADMSG, "%s: SHA-256 does not match the manifest", name);
	}
	*ret_data = data;
	*ret_len = len;
	return 0;
}

static int
verify_files(struct pack *pack, struct pack_error *err)
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

		r = read_listed(pack, i, &data, &len, err);
		if (r < 0)
			return r;
		r = pack__name_check(name, strlen(name), &pack->limits, &type, err);
		if (r == 0)
			r = pack__content_check(name, type, data, len, m, &pack->limits, err);
		free(data);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Takes ownership of data, whatever happens. */
static int
open_owned(void *data, size_t len, const struct pack_key *root, int64_t at,
           const struct pack_limits *limits, struct pack **ret_pack, struct pack_error *err)
{
	struct pack *pack = calloc(1, sizeof(*pack));
	int r;

	if (!pack) {
		free(data);
		return pack__err(err, -ENOMEM, "out of memory");
	}
	pack->data = data;
	pack->len = len;
	pack__limits_or_default(limits, &pack->limits);
	if (limits)
		pack->limits = *limits;
	r = pack__zip_open(pack->data, pack->len, &pack->limits, &pack->zip, err);
	if (r < 0)
		goto fail;
	r = verify_signer(pack, root, at, err);
	if (r < 0)
		goto fail;
	r = verify_manifest(pack, err);
	if (r < 0)
		goto fail;
	r = verify_files(pack, err);
	if (r < 0)
		goto fail;
	*ret_pack = pack;
	return 0;
fail:
	pack_free(pack);
	return r;
}

int
pack_open_mem(const void *data, size_t len, const struct pack_key *root, int64_t at,
              const struct pack_limits *limits, struct pack **ret_pack, struct pack_error *err)
{
	struct pack_limits storage;
	const struct pack_limits *l = pack__limits_or_default(limits, &storage);
	void *copy;

	if (!data || !root)
		return pack__err(err, -EINVAL, "no pack or no trust root given");
	if (len > l->max_pack_bytes)
		return pack__err(err, -EFBIG, "pack is %zu bytes, over the %ju-byte limit", len,
		                 (uintmax_t)l->max_pack_bytes);
	copy = malloc(len ? len : 1);
	if (!copy)
		return pack__err(err, -ENOMEM, "out of memory");
	memcpy(copy, data, len);
	return open_owned(copy, len, root, at, l, ret_pack, err);
}

int
pack_open_file(const char *path, const struct pack_key *root, int64_t at,
               const struct pack_limits *limits, struct pack **ret_pack, struct pack_error *err)
{
	struct pack_limits storage;
	const struct pack_limits *l = pack__limits_or_default(limits, &storage);
	void *data;
	size_t len;
	int r;

	if (!path || !root)
		return pack__err(err, -EINVAL, "no pack or no trust root given");
	r = pack__file_read(path, l->max_pack_bytes, &data, &len, err);
	if (r < 0)
		return r;
	return open_owned(data, len, root, at, l, ret_pack, err);
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
	int i = name ? pack__manifest_find_file(pack->manifest, name) : -ENOENT;

	if (i < 0)
		return pack__err(err, -ENOENT, "%s: not a file in this pack",
		                 name ? name : "(null)");
	return read_listed(pack, (size_t)i, ret_data, ret_len, err);
}

int
pack_peek_file(const char *path, const struct pack_limits *limits,
               struct pack_manifest **ret_manifest, struct pack_cert **ret_cert,
               struct pack_error *err)
{
	struct pack *pack = calloc(1, sizeof(*pack));
	void *json = NULL;
	size_t json_len;
	int r;

	if (!pack)
		return pack__err(err, -ENOMEM, "out of memory");
	pack__limits_or_default(limits, &pack->limits);
	if (limits)
		pack->limits = *limits;
	r = pack__file_read(path, pack->limits.max_pack_bytes, &pack->data, &pack->len, err);
	if (r < 0)
		goto out;
	r = pack__zip_open(pack->data, pack->len, &pack->limits, &pack->zip, err);
	if (r < 0)
		goto out;
	r = read_reserved(pack, PACK_CERT_NAME, PACK_CERT_MAX_BYTES, &json, &json_len, err);
	if (r < 0)
		goto out;
	r = pack_cert_parse(json, json_len, &pack->cert, err);
	free(json);
	json = NULL;
	if (r < 0) {
		r = pack__err_prefix(err, r, PACK_CERT_NAME);
		goto out;
	}
	r = read_reserved(pack, PACK_MANIFEST_NAME, pack->limits.max_text_bytes, &json, &json_len,
	                  err);
	if (r < 0)
		goto out;
	r = pack_manifest_parse(json, json_len, &pack->limits, ret_manifest, err);
	if (r < 0)
		goto out;
	*ret_cert = pack->cert;
	pack->cert = NULL;
out:
	free(json);
	pack_free(pack);
	return r;
}
