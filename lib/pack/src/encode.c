/*
 * encode.c: SHA-256 through OpenSSL's EVP interface, and the two text encodings the
 * formats use: lower-case hex for hashes and key ids, and base64 for keys and signatures.
 * Decoding is strict (exact length, canonical form) so each value has one spelling and a
 * changed character can never decode to the same bytes.
 */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "pack_int.h"

int
pack_sha256(const void *data, size_t len, uint8_t out[PACK_SHA256_LEN])
{
	unsigned int n = 0;

	if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) || n != PACK_SHA256_LEN)
		return -EIO;
	return 0;
}

void
pack_hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1; /* upper case is not canonical */
}

int
pack_hex_decode(const char *in, uint8_t *out, size_t len)
{
	if (strlen(in) != 2 * len)
		return -EBADMSG;
	for (size_t i = 0; i < len; i++) {
		int hi = hex_value(in[2 * i]), lo = hex_value(in[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EBADMSG;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

size_t
pack_b64_encoded_len(size_t len)
{
	return (len + 2) / 3 * 4;
}

void
pack_b64_encode(const uint8_t *in, size_t len, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

int
pack_b64_decode(const char *in, uint8_t *out, size_t len)
{
	uint8_t buf[128];
	char again[sizeof(buf) / 3 * 4 + 8];
	size_t enc = pack_b64_encoded_len(len);
	int n;

	if (len > sizeof(buf) - 2 || strlen(in) != enc)
		return -EBADMSG;
	n = EVP_DecodeBlock(buf, (const unsigned char *)in, (int)enc);
	if (n < 0 || (size_t)n < len)
		return -EBADMSG;
	/* Re-encoding must give the input back: no stray bits, no other padding. */
	pack_b64_encode(buf, len, again);
	if (strcmp(again, in) != 0)
		return -EBADMSG;
	memcpy(out, buf, len);
	return 0;
}
