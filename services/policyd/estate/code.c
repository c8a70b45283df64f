/*
 * Enrolment codes: twelve characters from an alphabet without look-alikes (no I, O, 0 or
 * 1), shown in three groups of four ("ABCD-EFGH-JKLM"). That is 60 bits, so a code needs
 * no slow hash: only its SHA-256 is stored, and a code read back from a tablet is made
 * canonical (case, dashes and spaces forgiven) before it is hashed.
 */
#include "estate_int.h"

#include "crypto.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* 32 characters */

int
estate_code_make(char ret_code[ESTATE_CODE_TEXT_LEN + 1])
{
	uint8_t raw[ESTATE_CODE_LEN];
	size_t k = 0;
	int r = crypto_random(raw, sizeof(raw));

	if (r < 0)
		return r;
	for (size_t i = 0; i < ESTATE_CODE_LEN; i++) {
		if (i && i % 4 == 0)
			ret_code[k++] = '-';
		ret_code[k++] = alphabet[raw[i] & 31]; /* 256 is a multiple of 32: no bias */
	}
	ret_code[k] = '\0';
	crypto_wipe(raw, sizeof(raw));
	return 0;
}

int
estate_code_hash(const char *code, char ret_hash[CRYPTO_SHA256_HEX_LEN + 1])
{
	char canon[ESTATE_CODE_LEN];
	uint8_t digest[CRYPTO_SHA256_LEN];
	size_t n = 0;
	int r;

	for (const char *p = code; *p; p++) {
		int c = toupper((unsigned char)*p);

		if (c == '-' || c == ' ')
			continue;
		if (n == sizeof(canon) || !strchr(alphabet, c))
			return -EINVAL;
		canon[n++] = (char)c;
	}
	if (n != sizeof(canon))
		return -EINVAL;
	r = crypto_sha256(canon, sizeof(canon), digest);
	if (r == 0)
		crypto_hex_encode(digest, sizeof(digest), ret_hash);
	return r;
}
