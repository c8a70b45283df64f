/*
 * PIN hashing with scrypt and a per-person salt. A stored hash is one self-describing
 * string, "scrypt$LOGN$R$P$SALT$HASH", so the cost can grow later without losing old PINs.
 */
#ifndef ONWARD_PIN_H
#define ONWARD_PIN_H

#include <stddef.h>

#define PIN_HASH_MAX 160
#define PIN_DEFAULT_LOG_N 14 /* 16 MiB and tens of milliseconds on a tablet-class CPU */

/* Hashes pin with a fresh random salt into ret_hash (PIN_HASH_MAX bytes). */
int pin_hash(const char *pin, unsigned log_n, char ret_hash[PIN_HASH_MAX]);

/* 0 if pin matches stored, -EACCES if not, -EINVAL if stored is malformed. */
int pin_verify(const char *pin, const char *stored);

/* A random PIN of `digits` decimal digits (4 to 8), for one-time PINs. */
int pin_generate(unsigned digits, char *ret_pin, size_t size);

#endif
