/*
 * hash.c: hashing of strings and uids and Cedar name checks, the small byte-level helpers
 * that the lexer, the JSON readers and the entity store share. (UTF-8 validation is
 * lib/text's text_utf8_valid, the one check every part of Onward uses.)
 */
#include <string.h>

#include "policy_int.h"

static inline uint64_t
load64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

uint64_t
hash_mix(uint64_t a, uint64_t b)
{
	__uint128_t m = (__uint128_t)(a ^ 0x9e3779b97f4a7c15ull) * (b ^ 0xd6e8feb86659fd93ull);
	return (uint64_t)m ^ (uint64_t)(m >> 64);
}

uint64_t
hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * 0xa0761d6478bd642full);
	while (n >= 8) {
		h = hash_mix(h, load64(s));
		s += 8;
		n -= 8;
	}
	uint64_t tail = 0;
	for (size_t i = 0; i < n; i++)
		tail |= (uint64_t)s[i] << (8 * i);
	return hash_mix(h, tail ^ 0xe7037ed1a0b428dbull);
}

static const char *const reserved[] = {"true", "false", "if",   "then", "else",
                                       "in",   "is",    "like", "has"};

bool
ident_reserved(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strlen(reserved[i]) == n && memcmp(reserved[i], s, n) == 0)
			return true;
	return n == 7 && memcmp(s, "__cedar", 7) == 0;
}

static bool
ident_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

bool
cedar_name_valid(const char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		size_t start = i;
		if (i >= n || !ident_start(s[i]))
			return false;
		while (i < n && ident_char(s[i]))
			i++;
		if (ident_reserved(s + start, i - start))
			return false;
		if (i == n)
			return true;
		if (n - i < 3 || s[i] != ':' || s[i + 1] != ':')
			return false;
		i += 2;
	}
}
