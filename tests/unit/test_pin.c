/*
 * PIN hashing: a hash verifies its PIN and no other, salts differ, malformed stored hashes
 * are refused rather than matched, and one-time PINs are well formed.
 */
#include "check.h"
#include "pin.h"

#include <errno.h>
#include <string.h>

int
main(void)
{
	char a[PIN_HASH_MAX], b[PIN_HASH_MAX], pin[16];
	int digits_seen[10] = {0};

	test_step("hash and verify");
	CHECK_INT(pin_hash("482913", 10, a), 0);
	CHECK_INT(pin_hash("482913", 10, b), 0);
	CHECK(strncmp(a, "scrypt$10$8$1$", 14) == 0);
	CHECK(strcmp(a, b) != 0); /* a fresh salt each time */
	CHECK_INT(pin_verify("482913", a), 0);
	CHECK_INT(pin_verify("482914", a), -EACCES);
	CHECK_INT(pin_verify("", a), -EACCES);

	test_step("malformed stored hashes are errors, never matches");
	CHECK_INT(pin_verify("482913", ""), -EINVAL);
	CHECK_INT(pin_verify("482913", "scrypt$10$8$1$abc$def"), -EINVAL);
	CHECK_INT(pin_verify("482913", "md5$10$8$1$00$00"), -EINVAL);
	{
		char tampered[PIN_HASH_MAX + 2];

		snprintf(tampered, sizeof(tampered), "%sx", a);
		CHECK_INT(pin_verify("482913", tampered), -EINVAL);
		snprintf(tampered, sizeof(tampered), "%s", a);
		memcpy(tampered, "scrypt$30", 9); /* absurd cost */
		CHECK_INT(pin_verify("482913", tampered), -EINVAL);
	}

	test_step("one-time PINs");
	for (int i = 0; i < 2000; i++) {
		CHECK_INT(pin_generate(6, pin, sizeof(pin)), 0);
		CHECK_INT(strlen(pin), 6);
		for (int k = 0; k < 6; k++) {
			CHECK(pin[k] >= '0' && pin[k] <= '9');
			digits_seen[pin[k] - '0']++;
		}
	}
	for (int k = 0; k < 10; k++)
		CHECK(digits_seen[k] > 900); /* 1,200 expected each */
	CHECK_INT(pin_generate(3, pin, sizeof(pin)), -EINVAL);
	CHECK_INT(pin_generate(6, pin, 6), -EINVAL);
	printf("test-pin: OK\n");
	return 0;
}
