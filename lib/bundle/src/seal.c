/*
 * seal.c: bundle_seal(), writing a bundle. After checking both certificates, it makes a
 * fresh bundle id and ephemeral X25519 key, writes the header, derives the AES-256-GCM key
 * from the key agreement with the recipient and the header (envelope.c), then in one pass
 * of 256 KiB chunks hashes the payload, encrypts it and hashes the ciphertext, so each
 * chunk is read from memory once and hashed again while still in cache. The content
 * signature (over header and payload) is encrypted after the payload; the sealed
 * signature (over header, ciphertext and tag) ends the bundle.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "bundle_int.h"

static int
seal_check(const struct bundle_identity *sender, const struct bundle_cert *recipient, size_t len,
           int64_t now, struct bundle_error *err)
{
	char whose[96];
	int r;

	if (sender->cert->kind == BUNDLE_KIND_ROOT || !sender->encrypt)
		return bundle__fail(err, -EINVAL,
		                    "%s is a national root: roots issue certificates, they do not "
		                    "send bundles",
		                    sender->cert->code);
	if (recipient->kind == BUNDLE_KIND_ROOT)
		return bundle__fail(err, -EINVAL,
		                    "%s is a national root: bundles go to an establishment or a "
		                    "probation region",
		                    recipient->code);
	if (len > BUNDLE_PAYLOAD_MAX)
		return bundle__fail(err, -EFBIG,
		                    "the payload is %zu bytes, more than the limit of %u", len,
		                    BUNDLE_PAYLOAD_MAX);
	snprintf(whose, sizeof(whose), "this establishment's certificate (%s)", sender->cert->code);
	if ((r = bundle__cert_check_time(sender->cert, now, whose, err)) < 0)
		return r;
	/* A root-issued certificate is checked against its root when it is trusted. */
	if (recipient->self_signed) {
		if ((r = bundle_cert_verify(recipient, NULL, now, err)) < 0) {
			bundle__error_prefix(err, "the recipient");
			return r;
		}
	} else {
		snprintf(whose, sizeof(whose), "the recipient %s's certificate", recipient->code);
		if ((r = bundle__cert_check_time(recipient, now, whose, err)) < 0)
			return r;
	}
	return 0;
}

/* Encrypts in with ctx into out, hashing the plaintext (if pt) and the ciphertext. */
static int
seal_chunks(EVP_CIPHER_CTX *ctx, EVP_MD_CTX *pt, EVP_MD_CTX *ct, const uint8_t *in, size_t len,
            uint8_t *out)
{
	for (size_t off = 0; off < len; off += ENVELOPE_CHUNK) {
		size_t n = len - off < ENVELOPE_CHUNK ? len - off : ENVELOPE_CHUNK;
		int outl = 0;

		if ((pt && EVP_DigestUpdate(pt, in + off, n) != 1) ||
		    EVP_EncryptUpdate(ctx, out + off, &outl, in + off, (int)n) != 1 ||
		    (size_t)outl != n || EVP_DigestUpdate(ct, out + off, n) != 1)
			return -EIO;
	}
	return 0;
}

int
bundle_seal(const struct bundle_identity *sender, const struct bundle_cert *recipient,
            const void *payload, size_t len, int64_t now, void **ret_bundle, size_t *ret_bundle_len,
            struct bundle_info *ret_info, struct bundle_error *err)
{
	uint8_t id[BUNDLE_ID_LEN], eph_pub[KEY_LEN], secret[KEY_LEN], key[AEAD_KEY_LEN],
	        nonce[AEAD_NONCE_LEN], hd[SHA256_LEN], pd[SHA256_LEN], cd[SHA256_LEN],
	        content_sig[SIG_LEN], msg_content[MSG_CONTENT_LEN], msg_sealed[MSG_SEALED_LEN];
	EVP_PKEY *eph = NULL;
	EVP_CIPHER_CTX *cipher = NULL;
	EVP_MD_CTX *pt_md = NULL, *ct_md = NULL;
	uint8_t *header = NULL, *out = NULL, *body;
	size_t header_len = 0, total = 0;
	int outl = 0, r;

	if (!sender || !recipient || (!payload && len > 0) || !ret_bundle || !ret_bundle_len)
		return bundle__fail(err, -EINVAL, "seal: missing argument");
	if ((r = seal_check(sender, recipient, len, now, err)) < 0)
		return r;
	if (crypto_random(id, sizeof(id)) < 0 || bundle__key_generate(&eph) < 0 ||
	    bundle__key_raw_public(eph, eph_pub) < 0) {
		r = bundle__fail(err, -EIO,
		                 "seal: cannot generate the bundle id and ephemeral key");
		goto fail;
	}
	r = bundle__header_build(sender->cert, recipient, id, now, len, eph_pub, &header,
	                         &header_len);
	if (r < 0) {
		bundle__fail(err, r, "seal: cannot write the header");
		goto fail;
	}
	if ((r = crypto_sha256(header, header_len, hd)) < 0) {
		bundle__fail(err, r, "seal: cannot hash the header");
		goto fail;
	}
	r = bundle__key_agree(eph, recipient->encrypt_key, secret);
	if (r < 0) {
		r = bundle__fail_about(err, r == -EBADMSG ? -EKEYREJECTED : r, recipient->code, 0,
		                       "the recipient %s's encryption key cannot be used",
		                       recipient->code);
		goto fail;
	}
	r = bundle__envelope_key(secret, eph_pub, recipient->encrypt_key, hd, key, nonce);
	if (r < 0) {
		bundle__fail(err, r, "seal: cannot derive the key");
		goto fail;
	}
	total = header_len + len + BUNDLE_TRAILER_LEN;
	out = malloc(total);
	cipher = EVP_CIPHER_CTX_new();
	pt_md = EVP_MD_CTX_new();
	ct_md = EVP_MD_CTX_new();
	if (!out || !cipher || !pt_md || !ct_md) {
		r = bundle__fail(err, -ENOMEM, "seal: out of memory for a bundle of %zu bytes",
		                 total);
		goto fail;
	}
	memcpy(out, header, header_len);
	body = out + header_len;
	r = -EIO;
	if (EVP_DigestInit_ex(pt_md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestInit_ex(ct_md, EVP_sha256(), NULL) != 1 ||
	    EVP_EncryptInit_ex2(cipher, EVP_aes_256_gcm(), key, nonce, NULL) != 1 ||
	    EVP_EncryptUpdate(cipher, NULL, &outl, header, (int)header_len) != 1 ||
	    seal_chunks(cipher, pt_md, ct_md, payload, len, body) < 0 ||
	    EVP_DigestFinal_ex(pt_md, pd, NULL) != 1) {
		bundle__fail(err, r, "seal: encryption failed");
		goto fail;
	}
	bundle__envelope_msg_content(hd, pd, msg_content);
	if (ed25519_sign(sender->sign, msg_content, sizeof(msg_content), content_sig) < 0 ||
	    seal_chunks(cipher, NULL, ct_md, content_sig, SIG_LEN, body + len) < 0 ||
	    EVP_EncryptFinal_ex(cipher, body + len + SIG_LEN, &outl) != 1 || outl != 0 ||
	    EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_GET_TAG, TAG_LEN, body + len + SIG_LEN) != 1 ||
	    EVP_DigestUpdate(ct_md, body + len + SIG_LEN, TAG_LEN) != 1 ||
	    EVP_DigestFinal_ex(ct_md, cd, NULL) != 1) {
		bundle__fail(err, r, "seal: encryption failed");
		goto fail;
	}
	bundle__envelope_msg_sealed(hd, cd, msg_sealed);
	if (ed25519_sign(sender->sign, msg_sealed, sizeof(msg_sealed),
	                 body + len + SIG_LEN + TAG_LEN) < 0) {
		bundle__fail(err, r, "seal: signing failed");
		goto fail;
	}
	if (ret_info) {
		struct bundle_head h = {.version = BUNDLE_FORMAT_VERSION,
		                        .cert_len = header_len - HDR_FIXED_LEN,
		                        .header_len = header_len,
		                        .created_at = now,
		                        .payload_len = len,
		                        .bundle_len = total,
		                        .sender = sender->cert};

		memcpy(h.id, id, sizeof(id));
		memcpy(h.sender_fp, sender->cert->fingerprint, SHA256_LEN);
		memcpy(h.recipient_fp, recipient->fingerprint, SHA256_LEN);
		memcpy(h.recipient_code, recipient->code, BUNDLE_CODE_MAX);
		bundle__header_info(&h, ret_info);
		ret_info->verified = true;
		crypto_hex_encode(pd, SHA256_LEN, ret_info->payload_sha256);
	}
	*ret_bundle = out;
	*ret_bundle_len = total;
	out = NULL;
	r = 0;
fail:
	OPENSSL_cleanse(secret, sizeof(secret));
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(nonce, sizeof(nonce));
	OPENSSL_cleanse(content_sig, sizeof(content_sig));
	EVP_CIPHER_CTX_free(cipher);
	EVP_MD_CTX_free(pt_md);
	EVP_MD_CTX_free(ct_md);
	EVP_PKEY_free(eph);
	free(header);
	free(out);
	return r;
}
