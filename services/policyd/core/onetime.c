/* One-time codes (see onetime.h). */
#include "onetime.h"

#include "crypto.h"

#include <errno.h>
#include <string.h>

static const char alphabet[] = "ACDEFGHJKMNPQRTUVWXYZ2345679"; /* 28, no look-alikes */
#define CODE_CHARS 12

int
onetime_code_make(char ret_code[ONETIME_CODE_SIZE])
{
	uint8_t random[CODE_CHARS * 2];
	size_t n = 0;
	int r = crypto_random(random, sizeof(random));

	if (r < 0)
		return r;
	for (size_t i = 0; i < CODE_CHARS; i++) {
		/* Two bytes per character keep the bias below 1 in 2,000. */
		unsigned v = (unsigned)random[2 * i] << 8 | random[2 * i + 1];

		if (i && i % 4 == 0)
			ret_code[n++] = '-';
		ret_code[n++] = alphabet[v % (sizeof(alphabet) - 1)];
	}
	ret_code[n] = '\0';
	crypto_wipe(random, sizeof(random));
	return 0;
}

int
onetime_code_key(const char *typed, char ret_key[ONETIME_KEY_SIZE])
{
	char plain[CODE_CHARS];
	uint8_t digest[CRYPTO_SHA256_LEN];
	size_t n = 0;

	for (const char *p = typed; *p; p++) {
		char ch = *p;

		if (ch == '-' || ch == ' ')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!strchr(alphabet, ch) || ch == '\0' || n == CODE_CHARS || p - typed > 64)
			return -EINVAL;
		plain[n++] = ch;
	}
	if (n != CODE_CHARS)
		return -EINVAL;
	crypto_sha256(plain, n, digest);
	crypto_hex_encode(digest, sizeof(digest), ret_key);
	return 0;
}
