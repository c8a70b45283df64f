/*
 * open.c: bundle_open(), reading a bundle. The checks run cheapest first and stop at the
 * first failure, each with its own error: the header (header.c); the length; that the
 * bundle is for this recipient's certificate; that the sender is trusted and in date. Only
 * then comes the work that grows with the bundle: the sender's signature over header,
 * ciphertext and tag; decryption, in 256 KiB chunks each hashed while still in cache; and
 * the sender's signature over the plaintext. The plaintext is wiped if anything fails.
 *
 * bundle_open_head() starts from a header read elsewhere (by the daemon's keyless child)
 * and parses nothing: header.c holds that header against the bytes first.
 *
 * One refusal waits for the signature: a bundle that names this establishment's code but
 * another certificate's fingerprint was either sealed to an earlier certificate of ours or
 * damaged in that field, and only the sender's signature over the header can tell which.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "bundle_int.h"

/*
 * The cheap checks. *ret_other_cert is set when the bundle names our code but another
 * certificate: the caller decides between "damaged" and "for another certificate" once the
 * sender's signature over the header has been checked.
 */
static int
open_check(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
           size_t n_trusted, const struct bundle_head *h, size_t len, int64_t now,
           bool *ret_other_cert, struct bundle_error *err)
{
	const struct bundle_cert *own = recipient->cert;

	if (len < h->bundle_len)
		return bundle__fail(err, -ENODATA,
		                    "the bundle is cut short: %zu of its %llu bytes are here", len,
		                    (unsigned long long)h->bundle_len);
	if (len > h->bundle_len)
		return bundle__fail(
		        err, -EBADMSG,
		        "the bundle has been altered or damaged: %llu extra byte%s after "
		        "its end",
		        (unsigned long long)(len - h->bundle_len),
		        len - h->bundle_len == 1 ? "" : "s");
	if (memcmp(h->recipient_fp, own->fingerprint, SHA256_LEN) != 0) {
		if (strcmp(h->recipient_code, own->code) != 0)
			return bundle__fail_about(err, -ENOKEY, h->recipient_code, 0,
			                          "this bundle is for another establishment (%s)",
			                          h->recipient_code);
		*ret_other_cert = true;
	} else if (strcmp(h->recipient_code, own->code) != 0) {
		return bundle__fail(err, -EBADMSG,
		                    "the bundle has been altered or damaged: its "
		                    "recipient code does not match its recipient");
	}
	if (h->sender->kind == BUNDLE_KIND_ROOT)
		return bundle__fail_about(err, -EKEYREJECTED, h->sender->code, 0,
		                          "the sender %s is a national root, which cannot send "
		                          "bundles",
		                          h->sender->code);
	return bundle__cert_check_trust(h->sender, trusted, n_trusted, now, "the sender ", err);
}

/* Decrypts ct into payload (len bytes) and sig, hashing the plaintext; checks the tag. */
static int
open_decrypt(const uint8_t key[AEAD_KEY_LEN], const uint8_t nonce[AEAD_NONCE_LEN],
             const uint8_t *header, size_t header_len, const uint8_t *ct, size_t len,
             uint8_t *payload, uint8_t ret_sig[SIG_LEN], uint8_t ret_digest[SHA256_LEN])
{
	EVP_CIPHER_CTX *cipher = EVP_CIPHER_CTX_new();
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int outl = 0, r = -EIO;

	if (!cipher || !md) {
		r = -ENOMEM;
		goto fail;
	}
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DecryptInit_ex2(cipher, EVP_aes_256_gcm(), key, nonce, NULL) != 1 ||
	    EVP_DecryptUpdate(cipher, NULL, &outl, header, (int)header_len) != 1)
		goto fail;
	for (size_t off = 0; off < len; off += ENVELOPE_CHUNK) {
		size_t n = len - off < ENVELOPE_CHUNK ? len - off : ENVELOPE_CHUNK;

		if (EVP_DecryptUpdate(cipher, payload + off, &outl, ct + off, (int)n) != 1 ||
		    (size_t)outl != n || EVP_DigestUpdate(md, payload + off, n) != 1)
			goto fail;
	}
	if (EVP_DecryptUpdate(cipher, ret_sig, &outl, ct + len, SIG_LEN) != 1 || outl != SIG_LEN ||
	    EVP_CIPHER_CTX_ctrl(cipher, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	                        (void *)(uintptr_t)(ct + len + SIG_LEN)) != 1 ||
	    EVP_DigestFinal_ex(md, ret_digest, NULL) != 1)
		goto fail;
	r = EVP_DecryptFinal_ex(cipher, NULL, &outl) == 1 ? 0 : -EBADMSG;
fail:
	EVP_CIPHER_CTX_free(cipher);
	EVP_MD_CTX_free(md);
	return r;
}

/* Everything after the header is read: the checks, the signatures, the decryption. */
static int
open_parsed(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
            size_t n_trusted, const struct bundle_head *hp, const uint8_t *bytes, size_t len,
            int64_t now, void **ret_payload, size_t *ret_payload_len, struct bundle_info *ret_info,
            struct bundle_error *err)
{
	uint8_t secret[KEY_LEN], key[AEAD_KEY_LEN], nonce[AEAD_NONCE_LEN], hd[SHA256_LEN],
	        cd[SHA256_LEN], pd[SHA256_LEN], content_sig[SIG_LEN], msg_sealed[MSG_SEALED_LEN],
	        msg_content[MSG_CONTENT_LEN];
	const struct bundle_head h = *hp;
	const uint8_t *ct;
	uint8_t *payload = NULL;
	size_t payload_len = 0;
	bool other_cert = false;
	int r;

	if ((r = open_check(recipient, trusted, n_trusted, &h, len, now, &other_cert, err)) < 0)
		goto fail;

	ct = bytes + h.header_len;
	payload_len = (size_t)h.payload_len;
	if (crypto_sha256(bytes, h.header_len, hd) < 0 ||
	    crypto_sha256(ct, payload_len + SIG_LEN + TAG_LEN, cd) < 0) {
		r = bundle__fail(err, -EIO, "open: cannot hash the bundle");
		goto fail;
	}
	bundle__envelope_msg_sealed(hd, cd, msg_sealed);
	r = ed25519_verify_raw(h.sender->sign_key, msg_sealed, sizeof(msg_sealed),
	                       ct + payload_len + SIG_LEN + TAG_LEN);
	if (r < 0) {
		r = bundle__fail(err, r == -EKEYREJECTED ? -EBADMSG : r,
		                 other_cert ? "the bundle has been altered or damaged: its "
		                              "recipient's fingerprint is not this certificate's "
		                              "and the sender's signature does not verify"
		                            : "the bundle has been altered or damaged: the "
		                              "sender's signature does not verify");
		goto fail;
	}
	if (other_cert) {
		char theirs[17], ours[17];

		/* Signed as it is: truly sealed to another certificate of ours, not damaged. */
		crypto_hex_encode(h.recipient_fp, 8, theirs);
		memcpy(ours, recipient->cert->fingerprint_hex, 16);
		ours[16] = '\0';
		r = bundle__fail_about(err, -ENOKEY, h.recipient_code, 0,
		                       "this bundle is for another certificate of %s (%s...), not "
		                       "this one (%s...)",
		                       h.recipient_code, theirs, ours);
		goto fail;
	}
	r = bundle__key_agree(recipient->encrypt, h.ephemeral, secret);
	if (r == 0)
		r = bundle__envelope_key(secret, h.ephemeral, recipient->cert->encrypt_key, hd, key,
		                         nonce);
	if (r < 0) {
		r = bundle__fail(err, r,
		                 "the bundle has been altered or damaged: its ephemeral key "
		                 "cannot be used");
		goto fail;
	}
	/* One byte even for an empty payload, so success always returns a pointer. */
	payload = malloc(payload_len ? payload_len : 1);
	if (!payload) {
		r = bundle__fail(err, -ENOMEM, "open: out of memory for a payload of %zu bytes",
		                 payload_len);
		goto fail;
	}
	r = open_decrypt(key, nonce, bytes, h.header_len, ct, payload_len, payload, content_sig,
	                 pd);
	if (r < 0) {
		r = bundle__fail(err, r,
		                 r == -EBADMSG ? "the bundle has been altered or damaged: it does "
		                                 "not decrypt (the AEAD tag does not verify)"
		                               : "open: decryption failed");
		goto fail;
	}
	bundle__envelope_msg_content(hd, pd, msg_content);
	r = ed25519_verify_raw(h.sender->sign_key, msg_content, sizeof(msg_content), content_sig);
	if (r < 0) {
		r = bundle__fail(err, r == -EKEYREJECTED ? -EBADMSG : r,
		                 "the bundle has been altered or damaged: the sender's signature "
		                 "over the content does not verify");
		goto fail;
	}
	if (ret_info) {
		bundle__header_info(&h, ret_info);
		ret_info->verified = true;
		crypto_hex_encode(pd, SHA256_LEN, ret_info->payload_sha256);
	}
	*ret_payload = payload;
	*ret_payload_len = payload_len;
	payload = NULL;
	r = 0;
fail:
	OPENSSL_cleanse(secret, sizeof(secret));
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(nonce, sizeof(nonce));
	OPENSSL_cleanse(content_sig, sizeof(content_sig));
	bundle_buffer_free(payload, payload_len ? payload_len : 1);
	return r;
}

static bool
arguments_ok(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
             size_t n_trusted, const void *data, size_t len, void **ret_payload,
             size_t *ret_payload_len)
{
	return recipient && recipient->encrypt && (data || len == 0) && (trusted || !n_trusted) &&
	       ret_payload && ret_payload_len;
}

int
bundle_open(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
            size_t n_trusted, const void *data, size_t len, int64_t now, void **ret_payload,
            size_t *ret_payload_len, struct bundle_info *ret_info, struct bundle_error *err)
{
	struct bundle_head h = {0};
	int r;

	if (!arguments_ok(recipient, trusted, n_trusted, data, len, ret_payload, ret_payload_len))
		return bundle__fail(err, -EINVAL,
		                    "open: missing argument (or a root as recipient)");
	if ((r = bundle__header_parse(data, len, &h, err)) < 0)
		return r;
	r = open_parsed(recipient, trusted, n_trusted, &h, data, len, now, ret_payload,
	                ret_payload_len, ret_info, err);
	bundle__header_clear(&h);
	return r;
}

int
bundle_open_head(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
                 size_t n_trusted, const struct bundle_head *head, const void *data, size_t len,
                 int64_t now, void **ret_payload, size_t *ret_payload_len,
                 struct bundle_info *ret_info, struct bundle_error *err)
{
	int r;

	if (!head ||
	    !arguments_ok(recipient, trusted, n_trusted, data, len, ret_payload, ret_payload_len))
		return bundle__fail(err, -EINVAL,
		                    "open: missing argument (or a root as recipient)");
	if ((r = bundle__header_match(head, data, len, err)) < 0)
		return r;
	return open_parsed(recipient, trusted, n_trusted, head, data, len, now, ret_payload,
	                   ret_payload_len, ret_info, err);
}
