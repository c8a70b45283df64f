/*
 * header.c: the bundle header, written by seal and read by peek and open. The fixed part
 * (144 bytes) holds the magic, the format version, the length of the sender's certificate,
 * the bundle id, created-at, the payload length, both certificate fingerprints, the
 * recipient's code and the ephemeral X25519 key; the sender's certificate (compact JSON)
 * follows. Parsing checks, in order: magic, version, structure, the embedded certificate
 * and that it is the one the header names, so each failure has its own error. No
 * cryptography happens here: what a parsed header says is a claim until open verifies it.
 * bundle__header_match() holds a header read elsewhere (by the daemon's keyless child)
 * against the bytes, without parsing them: it writes the fixed part the header describes
 * and compares.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"
#include "validate.h"

int
bundle__header_build(const struct bundle_cert *sender, const struct bundle_cert *recipient,
                     const uint8_t id[BUNDLE_ID_LEN], int64_t created_at, uint64_t payload_len,
                     const uint8_t ephemeral[KEY_LEN], uint8_t **ret_header, size_t *ret_len)
{
	char *json;
	size_t json_len;
	uint8_t *h;
	int r;

	r = bundle_cert_serialize(sender, &json, &json_len, NULL);
	if (r < 0)
		return r;
	if (json_len < HDR_CERT_MIN || json_len > HDR_CERT_MAX) {
		free(json);
		return -EINVAL;
	}
	h = calloc(1, HDR_FIXED_LEN + json_len);
	if (!h) {
		free(json);
		return -ENOMEM;
	}
	memcpy(h, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN);
	bundle__put_be16(h + HDR_OFF_VERSION, BUNDLE_FORMAT_VERSION);
	bundle__put_be16(h + HDR_OFF_CERT_LEN, (uint16_t)json_len);
	memcpy(h + HDR_OFF_ID, id, BUNDLE_ID_LEN);
	bundle__put_be64(h + HDR_OFF_CREATED, (uint64_t)created_at);
	bundle__put_be64(h + HDR_OFF_PAYLOAD_LEN, payload_len);
	memcpy(h + HDR_OFF_SENDER_FP, sender->fingerprint, SHA256_LEN);
	memcpy(h + HDR_OFF_RECIPIENT_FP, recipient->fingerprint, SHA256_LEN);
	memcpy(h + HDR_OFF_RECIPIENT_CODE, recipient->code, 3); /* and a zero byte */
	memcpy(h + HDR_OFF_EPHEMERAL, ephemeral, KEY_LEN);
	memcpy(h + HDR_FIXED_LEN, json, json_len);
	free(json);
	*ret_header = h;
	*ret_len = HDR_FIXED_LEN + json_len;
	return 0;
}

static int
cut_short(struct bundle_error *err, size_t len, const char *part)
{
	return bundle__fail(err, -ENODATA, "the bundle is cut short: %zu bytes end inside the %s",
	                    len, part);
}

int
bundle__header_parse(const uint8_t *data, size_t len, struct bundle_head *ret_header,
                     struct bundle_error *err)
{
	struct bundle_head h = {0};
	struct bundle_error cert_err = {0};
	const uint8_t *code;
	int64_t created;
	int r;

	/* A prefix of the magic is a bundle cut short; anything else is not a bundle. */
	if (len > 0 &&
	    memcmp(data, BUNDLE_MAGIC, len < BUNDLE_MAGIC_LEN ? len : BUNDLE_MAGIC_LEN) != 0)
		return bundle__fail(err, -ENOMSG,
		                    "not an Onward bundle (the file does not start "
		                    "with \"" BUNDLE_MAGIC "\")");
	if (len < HDR_OFF_VERSION + 2)
		return cut_short(err, len, "magic and version");
	h.version = bundle__get_be16(data + HDR_OFF_VERSION);
	if (h.version != BUNDLE_FORMAT_VERSION)
		return bundle__fail(err, -EPROTONOSUPPORT,
		                    "an Onward bundle of format version %u, which this version "
		                    "does not read (it reads version %d)",
		                    h.version, BUNDLE_FORMAT_VERSION);
	if (len < HDR_FIXED_LEN)
		return cut_short(err, len, "header");
	h.cert_len = bundle__get_be16(data + HDR_OFF_CERT_LEN);
	memcpy(h.id, data + HDR_OFF_ID, BUNDLE_ID_LEN);
	created = (int64_t)bundle__get_be64(data + HDR_OFF_CREATED);
	h.payload_len = bundle__get_be64(data + HDR_OFF_PAYLOAD_LEN);
	memcpy(h.sender_fp, data + HDR_OFF_SENDER_FP, SHA256_LEN);
	memcpy(h.recipient_fp, data + HDR_OFF_RECIPIENT_FP, SHA256_LEN);
	memcpy(h.ephemeral, data + HDR_OFF_EPHEMERAL, KEY_LEN);
	code = data + HDR_OFF_RECIPIENT_CODE;
	if (h.cert_len < HDR_CERT_MIN || h.cert_len > HDR_CERT_MAX)
		return bundle__fail(
		        err, -EBADMSG,
		        "the bundle has been altered or damaged: its sender certificate "
		        "length (%zu) is out of range",
		        h.cert_len);
	if (code[3] != 0)
		return bundle__fail(err, -EBADMSG,
		                    "the bundle has been altered or damaged: the "
		                    "recipient code is malformed");
	memcpy(h.recipient_code, code, 4);
	if (!validate_establishment_code(h.recipient_code))
		return bundle__fail(err, -EBADMSG,
		                    "the bundle has been altered or damaged: the "
		                    "recipient code is malformed");
	if (created < 0 || created > BUNDLE_TIME_LIMIT)
		return bundle__fail(err, -EBADMSG,
		                    "the bundle has been altered or damaged: its "
		                    "creation time is out of range");
	h.created_at = created;
	if (h.payload_len > BUNDLE_PAYLOAD_MAX)
		return bundle__fail(err, -EFBIG,
		                    "the bundle declares a payload of %llu bytes, more than the "
		                    "limit of %u",
		                    (unsigned long long)h.payload_len, BUNDLE_PAYLOAD_MAX);
	h.header_len = HDR_FIXED_LEN + h.cert_len;
	h.bundle_len = h.header_len + h.payload_len + BUNDLE_TRAILER_LEN;
	if (len < h.header_len)
		return cut_short(err, len, "header");
	r = bundle_cert_parse(data + HDR_FIXED_LEN, h.cert_len, &h.sender, &cert_err);
	if (r < 0)
		return bundle__fail(
		        err, -EBADMSG,
		        "the bundle has been altered or damaged: the sender certificate "
		        "in it is malformed (%s)",
		        cert_err.message);
	if (memcmp(h.sender->fingerprint, h.sender_fp, SHA256_LEN) != 0) {
		bundle_cert_free(h.sender);
		return bundle__fail(
		        err, -EBADMSG,
		        "the bundle has been altered or damaged: the sender certificate "
		        "in it is not the one its header names");
	}
	*ret_header = h;
	return 0;
}

void
bundle__header_clear(struct bundle_head *header)
{
	bundle_cert_free(header->sender);
	header->sender = NULL;
}

void
bundle__header_info(const struct bundle_head *h, struct bundle_info *ret_info)
{
	struct bundle_info info = {0};

	info.format_version = h->version;
	memcpy(info.id, h->id, BUNDLE_ID_LEN);
	crypto_hex_encode(h->id, BUNDLE_ID_LEN, info.id_hex);
	info.created_at = h->created_at;
	info.payload_len = h->payload_len;
	info.bundle_len = h->bundle_len;
	memcpy(info.sender_code, h->sender->code, BUNDLE_CODE_MAX);
	memcpy(info.sender_name, h->sender->name, sizeof(info.sender_name));
	info.sender_kind = h->sender->kind;
	crypto_hex_encode(h->sender_fp, SHA256_LEN, info.sender_fingerprint);
	if (!h->sender->self_signed)
		memcpy(info.sender_issuer, h->sender->issuer_hex, sizeof(info.sender_issuer));
	memcpy(info.recipient_code, h->recipient_code, BUNDLE_CODE_MAX);
	crypto_hex_encode(h->recipient_fp, SHA256_LEN, info.recipient_fingerprint);
	*ret_info = info;
}

int
bundle_peek(const void *data, size_t len, struct bundle_info *ret_info, struct bundle_error *err)
{
	struct bundle_head h;
	int r;

	if ((!data && len > 0) || !ret_info)
		return bundle__fail(err, -EINVAL, "no bundle to read");
	r = bundle__header_parse(data, len, &h, err);
	if (r < 0)
		return r;
	bundle__header_info(&h, ret_info);
	bundle__header_clear(&h);
	return 0;
}

int
bundle_head_read(const void *data, size_t len, struct bundle_head *ret_head,
                 struct bundle_error *err)
{
	if ((!data && len > 0) || !ret_head)
		return bundle__fail(err, -EINVAL, "no bundle to read");
	return bundle__header_parse(data, len, ret_head, err);
}

void
bundle_head_clear(struct bundle_head *head)
{
	if (head)
		bundle__header_clear(head);
}

void
bundle_head_info(const struct bundle_head *head, struct bundle_info *ret_info)
{
	bundle__header_info(head, ret_info);
}

/* Whether the claims are a header a bundle can have, as bundle__header_parse() insists. */
static bool
claims_valid(const struct bundle_head *h)
{
	return h->sender && h->version == BUNDLE_FORMAT_VERSION && h->cert_len >= HDR_CERT_MIN &&
	       h->cert_len <= HDR_CERT_MAX && h->header_len == HDR_FIXED_LEN + h->cert_len &&
	       h->created_at >= 0 && h->created_at <= BUNDLE_TIME_LIMIT &&
	       h->payload_len <= BUNDLE_PAYLOAD_MAX &&
	       h->bundle_len == h->header_len + h->payload_len + BUNDLE_TRAILER_LEN &&
	       h->recipient_code[3] == '\0' && validate_establishment_code(h->recipient_code) &&
	       memcmp(h->sender->fingerprint, h->sender_fp, SHA256_LEN) == 0;
}

int
bundle__header_match(const struct bundle_head *h, const uint8_t *data, size_t len,
                     struct bundle_error *err)
{
	uint8_t fixed[HDR_FIXED_LEN] = {0};

	if (!claims_valid(h))
		return bundle__fail(err, -EINVAL,
		                    "open: the header described is not one a bundle can have");
	memcpy(fixed, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN);
	bundle__put_be16(fixed + HDR_OFF_VERSION, (uint16_t)h->version);
	bundle__put_be16(fixed + HDR_OFF_CERT_LEN, (uint16_t)h->cert_len);
	memcpy(fixed + HDR_OFF_ID, h->id, BUNDLE_ID_LEN);
	bundle__put_be64(fixed + HDR_OFF_CREATED, (uint64_t)h->created_at);
	bundle__put_be64(fixed + HDR_OFF_PAYLOAD_LEN, h->payload_len);
	memcpy(fixed + HDR_OFF_SENDER_FP, h->sender_fp, SHA256_LEN);
	memcpy(fixed + HDR_OFF_RECIPIENT_FP, h->recipient_fp, SHA256_LEN);
	memcpy(fixed + HDR_OFF_RECIPIENT_CODE, h->recipient_code, BUNDLE_CODE_MAX);
	memcpy(fixed + HDR_OFF_EPHEMERAL, h->ephemeral, KEY_LEN);
	/* Only a complete header can be compared: one that the bytes cut short was not the
	 * header read, whatever the bytes are. */
	if (len < h->header_len || memcmp(data, fixed, sizeof(fixed)) != 0)
		return bundle__fail(err, -ESTALE,
		                    "the bundle's bytes are not the ones its header was read "
		                    "from");
	return 0;
}
