/*
 * envelope.c: format 2's outer envelope, the first thing read of any pack and the reason a
 * pack from an unknown signer never reaches a zip, Markdown or PNG parser:
 *
 *     offset  bytes  field
 *     0       8      magic "ONWDPACK"
 *     8       4      format, big-endian: 2
 *     12      4      N, the certificate's length, big-endian: 1-4096
 *     16      N      the provider's certificate (the JSON file onward-pack certify wrote)
 *     16+N    64     the provider's Ed25519 signature (below)
 *     80+N    ...    the zip: manifest.json and the course's files
 *
 * The signature signs "onward-pack-v2\n" || SHA-256(every byte of the file but the 64
 * signature bytes): the header, the certificate and the zip, so every byte of a pack is
 * covered and nothing can be appended, cut or swapped. Verifying reads the 16-byte header
 * (fixed fields, bounds checked), parses the certificate (a small strict JSON object),
 * checks it against the content root and the time, then hashes the rest as opaque bytes and
 * checks the signature. Only then does pack.c hand the zip to libzip.
 *
 * A format 1 pack was a bare zip (its signatures inside it, where libzip had to find them):
 * it starts with "PK" and is refused with words saying to rebuild it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "pack_int.h"

#define HASH_CHUNK (1u << 20)

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int
pack__envelope_parse(const uint8_t *head, size_t head_len, uint64_t size,
                     struct pack_envelope *ret_env, struct pack_error *err)
{
	uint32_t format, cert_len;

	if (head_len >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
		return pack__err(err, -ENOTSUP,
		                 "this is a format 1 course pack, which is no longer accepted: "
		                 "rebuild it with the current onward-pack (onward-pack build)");
	if (size < PACK_MIN_BYTES || head_len < PACK_HEADER_LEN)
		return pack__err(err, -EBADMSG, "not a course pack: only %ju bytes",
		                 (uintmax_t)size);
	if (memcmp(head, PACK_MAGIC, PACK_MAGIC_LEN) != 0)
		return pack__err(err, -EBADMSG,
		                 "not a course pack (it does not start as one; make packs with "
		                 "onward-pack build)");
	format = be32(head + 8);
	if (format != PACK_FORMAT)
		return pack__err(err, -ENOTSUP,
		                 "course pack format %u is not one this version reads (it reads "
		                 "format %d)",
		                 format, PACK_FORMAT);
	cert_len = be32(head + 12);
	if (cert_len == 0 || cert_len > PACK_CERT_MAX_BYTES)
		return pack__err(err, -EBADMSG,
		                 "the pack's certificate is %u bytes; it must be 1-%d bytes",
		                 cert_len, PACK_CERT_MAX_BYTES);
	if (size < (uint64_t)PACK_HEADER_LEN + cert_len + PACK_SIG_LEN + PACK_MIN_ZIP_LEN)
		return pack__err(err, -EBADMSG, "the pack ends before its contents begin");
	ret_env->cert_len = cert_len;
	ret_env->cert_offset = PACK_HEADER_LEN;
	ret_env->sig_offset = PACK_HEADER_LEN + (uint64_t)cert_len;
	ret_env->zip_offset = ret_env->sig_offset + PACK_SIG_LEN;
	ret_env->size = size;
	return 0;
}

/* The header and the certificate, parsed but not verified. */
static int
read_head(const struct pack_source *src, struct pack_cert **ret_cert, struct pack_envelope *env,
          struct pack_error *err)
{
	uint8_t head[PACK_HEADER_LEN];
	size_t n = src->size < sizeof(head) ? (size_t)src->size : sizeof(head);
	char *cert;
	int r;

	r = pack__source_read(src, 0, head, n, err);
	if (r == 0)
		r = pack__envelope_parse(head, n, src->size, env, err);
	if (r < 0)
		return r;
	cert = malloc(env->cert_len);
	if (!cert)
		return pack__err(err, -ENOMEM, "out of memory");
	r = pack__source_read(src, env->cert_offset, cert, env->cert_len, err);
	if (r == 0) {
		r = pack_cert_parse(cert, env->cert_len, ret_cert, err);
		if (r < 0)
			pack__err_prefix(err, r, "the pack's provider certificate");
	}
	free(cert);
	return r;
}

int
pack__envelope_peek(const struct pack_source *src, struct pack_cert **ret_cert,
                    struct pack_envelope *ret_env, struct pack_error *err)
{
	return read_head(src, ret_cert, ret_env, err);
}

/* domain || SHA-256(file without its signature), the message the provider signs. */
static int
signed_message(const struct pack_source *src, const struct pack_envelope *env,
               struct pack_progress *progress,
               uint8_t msg[sizeof(PACK_SIGN_DOMAIN) - 1 + PACK_SHA256_LEN], struct pack_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *buf = malloc(HASH_CHUNK);
	const struct {
		uint64_t from, to;
	} parts[2] = {{0, env->sig_offset}, {env->zip_offset, env->size}};
	unsigned n = 0;
	int r = 0;

	if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		r = pack__err(err, -ENOMEM, "out of memory");
	for (int i = 0; r == 0 && i < 2; i++) {
		for (uint64_t at = parts[i].from; r == 0 && at < parts[i].to;) {
			size_t len = parts[i].to - at < HASH_CHUNK ? (size_t)(parts[i].to - at)
			                                           : HASH_CHUNK;

			r = pack__source_read(src, at, buf, len, err);
			if (r == 0 && EVP_DigestUpdate(ctx, buf, len) != 1)
				r = pack__err(err, -EIO, "SHA-256 failed");
			at += len;
			pack__progress_add(progress, len);
		}
	}
	memcpy(msg, PACK_SIGN_DOMAIN, sizeof(PACK_SIGN_DOMAIN) - 1);
	if (r == 0 && EVP_DigestFinal_ex(ctx, msg + sizeof(PACK_SIGN_DOMAIN) - 1, &n) != 1)
		r = pack__err(err, -EIO, "SHA-256 failed");
	EVP_MD_CTX_free(ctx);
	free(buf);
	return r;
}

int
pack__envelope_verify(const struct pack_source *src, const struct pack_key *root, int64_t at,
                      struct pack_progress *progress, struct pack_cert **ret_cert,
                      struct pack_envelope *ret_env, struct pack_error *err)
{
	uint8_t msg[sizeof(PACK_SIGN_DOMAIN) - 1 + PACK_SHA256_LEN], sig[PACK_SIG_LEN];
	struct pack_cert *cert = NULL;
	struct pack_envelope env;
	int r;

	r = read_head(src, &cert, &env, err);
	if (r == 0 && progress)
		progress->total += env.size - PACK_SIG_LEN; /* what is hashed */
	if (r == 0)
		r = pack_cert_verify(cert, root, at, err);
	if (r == 0)
		r = pack__source_read(src, env.sig_offset, sig, sizeof(sig), err);
	if (r == 0)
		r = signed_message(src, &env, progress, msg, err);
	if (r == 0 && !pack__key_verify_sig(pack__cert_key(cert), msg, sizeof(msg), sig))
		r = pack__err(err, -EKEYREJECTED,
		              "signature does not verify with the provider key (the pack was "
		              "changed after signing, or signed by another key)");
	if (r < 0) {
		pack_cert_free(cert);
		return r;
	}
	*ret_cert = cert;
	*ret_env = env;
	return 0;
}

int
pack__envelope_wrap(const void *zip, size_t zip_len, const char *cert_json, size_t cert_len,
                    const struct pack_key *key, void **ret_data, size_t *ret_len,
                    struct pack_error *err)
{
	size_t len = PACK_HEADER_LEN + cert_len + PACK_SIG_LEN + zip_len;
	uint8_t *data;
	int r;

	if (cert_len == 0 || cert_len > PACK_CERT_MAX_BYTES)
		return pack__err(err, -EINVAL, "the certificate is %zu bytes; it must be 1-%d",
		                 cert_len, PACK_CERT_MAX_BYTES);
	data = malloc(len);
	if (!data)
		return pack__err(err, -ENOMEM, "out of memory");
	memcpy(data, PACK_MAGIC, PACK_MAGIC_LEN);
	put_be32(data + 8, PACK_FORMAT);
	put_be32(data + 12, (uint32_t)cert_len);
	memcpy(data + PACK_HEADER_LEN, cert_json, cert_len);
	memset(data + PACK_HEADER_LEN + cert_len, 0, PACK_SIG_LEN);
	memcpy(data + PACK_HEADER_LEN + cert_len + PACK_SIG_LEN, zip, zip_len);
	r = pack__envelope_resign(data, len, key, err);
	if (r < 0) {
		free(data);
		return r;
	}
	*ret_data = data;
	*ret_len = len;
	return 0;
}

int
pack__envelope_resign(void *data, size_t len, const struct pack_key *key, struct pack_error *err)
{
	uint8_t msg[sizeof(PACK_SIGN_DOMAIN) - 1 + PACK_SHA256_LEN];
	struct pack_source src = {data, -1, len};
	struct pack_envelope env;
	int r;

	r = pack__envelope_parse(data, len < PACK_HEADER_LEN ? len : PACK_HEADER_LEN, len, &env,
	                         err);
	if (r == 0)
		r = signed_message(&src, &env, NULL, msg, err);
	if (r == 0)
		r = pack__key_sign(key, msg, sizeof(msg), (uint8_t *)data + env.sig_offset, err);
	return r;
}
