/*
 * seal.c: the provider's two signatures on a pack, each over a domain-separated message so
 * one can never stand in for the other or for a certificate.
 *
 * The manifest signature (entry manifest.sig, 64 raw bytes) signs
 *     "onward-pack-manifest-v1\n" || manifest.json
 * and lets a daemon that keeps only the manifest re-check installed files later.
 *
 * The seal signs the container itself, so that bytes a zip reader ignores (timestamps,
 * attributes, padding, comments) cannot be changed either: every byte of a pack is covered.
 * It lives in the zip's archive comment, which is the last PACK_SEAL_LEN bytes of the file:
 *     comment = "onward-seal-1:" || base64(Ed25519(key, "onward-pack-seal-v1\n" || SHA-256(P)))
 * where P is the file up to the comment (the end-of-directory record included, so its
 * comment length is covered too). Hashing first keeps Ed25519's SHA-512 pass off the bulk.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pack_int.h"

#define SEAL_DOMAIN "onward-pack-seal-v1\n"
#define MANIFEST_DOMAIN "onward-pack-manifest-v1\n"

static int
seal_message(const void *data, size_t len, uint8_t msg[sizeof(SEAL_DOMAIN) - 1 + 32])
{
	memcpy(msg, SEAL_DOMAIN, sizeof(SEAL_DOMAIN) - 1);
	return crypto_sha256(data, len - PACK_SEAL_LEN, msg + sizeof(SEAL_DOMAIN) - 1);
}

int
pack__seal_apply(void *data, size_t len, const struct pack_key *key, struct pack_error *err)
{
	uint8_t msg[sizeof(SEAL_DOMAIN) - 1 + PACK_SHA256_LEN], sig[PACK_SIG_LEN];
	char comment[PACK_SEAL_LEN + 1];
	int r;

	if (len < PACK_SEAL_LEN || memcmp((char *)data + len - PACK_SEAL_LEN, PACK_SEAL_TAG,
	                                  sizeof(PACK_SEAL_TAG) - 1) != 0)
		return pack__err(err, -EINVAL, "no room for the seal at the end of the pack");
	if (seal_message(data, len, msg) < 0)
		return pack__err(err, -EIO, "SHA-256 failed");
	r = pack__key_sign(key, msg, sizeof(msg), sig, err);
	if (r < 0)
		return r;
	memcpy(comment, PACK_SEAL_TAG, sizeof(PACK_SEAL_TAG) - 1);
	crypto_base64_encode(sig, sizeof(sig), comment + sizeof(PACK_SEAL_TAG) - 1);
	memcpy((char *)data + len - PACK_SEAL_LEN, comment, PACK_SEAL_LEN);
	return 0;
}

/* The container code has already checked that the zip's comment is these last bytes. */
int
pack__seal_verify(const void *data, size_t len, const struct pack_key *key, struct pack_error *err)
{
	uint8_t msg[sizeof(SEAL_DOMAIN) - 1 + PACK_SHA256_LEN], sig[PACK_SIG_LEN];
	char sig64[PACK_SEAL_LEN + 1];
	const char *tail = (const char *)data + len - PACK_SEAL_LEN;

	if (len < PACK_SEAL_LEN || memcmp(tail, PACK_SEAL_TAG, sizeof(PACK_SEAL_TAG) - 1) != 0)
		return pack__err(err, -EBADMSG, "pack has no seal (not signed with onward-pack)");
	memcpy(sig64, tail + sizeof(PACK_SEAL_TAG) - 1,
	       PACK_SEAL_LEN - (sizeof(PACK_SEAL_TAG) - 1));
	sig64[PACK_SEAL_LEN - (sizeof(PACK_SEAL_TAG) - 1)] = '\0';
	if (crypto_base64_decode(sig64, sig, sizeof(sig)) < 0)
		return pack__err(err, -EBADMSG, "pack seal is not a base64 Ed25519 signature");
	if (seal_message(data, len, msg) < 0)
		return pack__err(err, -EIO, "SHA-256 failed");
	if (!pack__key_verify_sig(key, msg, sizeof(msg), sig))
		return pack__err(err, -EKEYREJECTED,
		                 "signature does not verify with the provider key (the pack was "
		                 "changed after signing, or signed by another key)");
	return 0;
}

static uint8_t *
manifest_message(const void *json, size_t len, size_t *ret_len)
{
	uint8_t *msg = malloc(sizeof(MANIFEST_DOMAIN) - 1 + len);

	if (!msg)
		return NULL;
	memcpy(msg, MANIFEST_DOMAIN, sizeof(MANIFEST_DOMAIN) - 1);
	memcpy(msg + sizeof(MANIFEST_DOMAIN) - 1, json, len);
	*ret_len = sizeof(MANIFEST_DOMAIN) - 1 + len;
	return msg;
}

int
pack__manifest_sign(const struct pack_key *key, const void *json, size_t len,
                    uint8_t sig[PACK_SIG_LEN], struct pack_error *err)
{
	size_t n;
	uint8_t *msg = manifest_message(json, len, &n);
	int r;

	if (!msg)
		return pack__err(err, -ENOMEM, "out of memory");
	r = pack__key_sign(key, msg, n, sig, err);
	free(msg);
	return r;
}

bool
pack__manifest_sig_ok(const struct pack_key *key, const void *json, size_t len,
                      const uint8_t sig[PACK_SIG_LEN])
{
	size_t n;
	uint8_t *msg = manifest_message(json, len, &n);
	bool ok;

	if (!msg)
		return false;
	ok = pack__key_verify_sig(key, msg, n, sig);
	free(msg);
	return ok;
}
