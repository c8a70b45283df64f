/*
 * PIN hashing (see pin.h): scrypt through crypto.c, a 16-byte random salt per hash, and a
 * constant-time comparison. One-time PINs come from the CSPRNG without modulo bias.
 */
#include "pin.h"
#include "crypto.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PIN_SALT_LEN 16
#define PIN_KEY_LEN 32
#define PIN_R 8
#define PIN_P 1

int
pin_hash(const char *pin, unsigned log_n, char ret_hash[PIN_HASH_MAX])
{
	unsigned char salt[PIN_SALT_LEN], key[PIN_KEY_LEN];
	char salt_hex[2 * PIN_SALT_LEN + 1], key_hex[2 * PIN_KEY_LEN + 1];
	int r;

	r = crypto_random(salt, sizeof(salt));
	if (r < 0)
		return r;
	r = crypto_scrypt(pin, salt, sizeof(salt), log_n, PIN_R, PIN_P, key, sizeof(key));
	if (r < 0)
		return r;
	crypto_hex_encode(salt, sizeof(salt), salt_hex);
	crypto_hex_encode(key, sizeof(key), key_hex);
	crypto_wipe(key, sizeof(key));
	snprintf(ret_hash, PIN_HASH_MAX, "scrypt$%u$%u$%u$%s$%s", log_n, PIN_R, PIN_P, salt_hex,
	         key_hex);
	return 0;
}

int
pin_verify(const char *pin, const char *stored)
{
	unsigned log_n, r_cost, p_cost;
	char salt_hex[2 * PIN_SALT_LEN + 1], key_hex[2 * PIN_KEY_LEN + 1];
	unsigned char salt[PIN_SALT_LEN], want[PIN_KEY_LEN], got[PIN_KEY_LEN];
	int n = 0, r;

	if (sscanf(stored, "scrypt$%2u$%2u$%2u$%32[0-9a-f]$%64[0-9a-f]%n", &log_n, &r_cost, &p_cost,
	           salt_hex, key_hex, &n) != 5 ||
	    (size_t)n != strlen(stored))
		return -EINVAL;
	if (crypto_hex_decode(salt_hex, salt, sizeof(salt)) < 0 ||
	    crypto_hex_decode(key_hex, want, sizeof(want)) < 0)
		return -EINVAL;
	r = crypto_scrypt(pin, salt, sizeof(salt), log_n, r_cost, p_cost, got, sizeof(got));
	if (r < 0)
		return r == -EINVAL ? -EINVAL : r;
	r = crypto_equal(got, want, sizeof(got)) ? 0 : -EACCES;
	crypto_wipe(got, sizeof(got));
	return r;
}

int
pin_generate(unsigned digits, char *ret_pin, size_t size)
{
	unsigned i = 0;

	if (digits < 4 || digits > 8 || size <= digits)
		return -EINVAL;
	while (i < digits) {
		unsigned char b;
		int r = crypto_random(&b, 1);

		if (r < 0)
			return r;
		/* 250 is the largest multiple of 10 below 256: reject the rest to avoid bias. */
		if (b >= 250)
			continue;
		ret_pin[i++] = (char)('0' + b % 10);
	}
	ret_pin[digits] = '\0';
	return 0;
}
