/*
 * libFuzzer target for the bytes of the estate that come from outside: a public key as
 * base64 or as a raw point (Device.Enrol and Gateway.Certify take them from the network)
 * and a CA certificate's PEM (onward-sync fetches it before it can trust anything). The
 * first byte picks which; nothing may crash, leak or read out of bounds, and a key that is
 * accepted must give back the point it came from.
 */
#include "crypto.h"
#include "pki.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_point(const uint8_t point[PKI_POINT_LEN])
{
	uint8_t back[PKI_POINT_LEN];
	EVP_PKEY *key = NULL;

	if (pki_key_from_point(point, &key) < 0)
		return;
	if (pki_key_point(key, back) < 0 || memcmp(back, point, PKI_POINT_LEN) != 0)
		abort();
	EVP_PKEY_free(key);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char pin[PKI_PIN_HEX_LEN + 1];
	EVP_PKEY *key = NULL;
	char *text;

	if (size < 1 || size > 65536)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0:
		if (pki_key_from_base64(text, &key) == 0)
			EVP_PKEY_free(key);
		break;
	case 1:
		(void)pki_cert_pin(text, size - 1, pin);
		break;
	default:
		if (size - 1 == PKI_POINT_LEN)
			check_point(data + 1);
	}
	free(text);
	return 0;
}
