/*
 * Rate limits per identity: a token bucket for each device fingerprint, staff session or,
 * for calls with neither, IP address. A bucket holds at most `burst` calls and refills at
 * `rate` calls a second. The table of buckets is bounded: past max_entries the bucket
 * used least recently is forgotten (a forgotten bucket is a full one, so forgetting only
 * ever lets a caller through who had waited longest).
 */
#ifndef ONWARD_GATEWAY_LIMITS_H
#define ONWARD_GATEWAY_LIMITS_H

#include <stddef.h>
#include <stdint.h>

struct limits;

/* rate > 0 calls a second, burst >= 1, max_entries >= 1. -EINVAL or -ENOMEM. */
int limits_new(double rate, double burst, size_t max_entries, struct limits **ret);
void limits_free(struct limits *l);

/*
 * Takes one call from identity's bucket at now_ms (a monotonic clock in milliseconds).
 * Returns 0 when allowed, or -EAGAIN with the whole seconds until a call is allowed again
 * in *ret_retry_after (at least 1). Identities longer than 127 bytes are cut to 127.
 */
int limits_take(struct limits *l, const char *identity, uint64_t now_ms, unsigned *ret_retry_after);

/* How many buckets are held now (for tests and the log). */
size_t limits_count(const struct limits *l);

#endif
