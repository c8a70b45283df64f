/*
 * PIN hashing off the event loop. scrypt costs tens of milliseconds by design, so it runs
 * in libuv's thread pool while the loop serves everyone else; the call is paused until the
 * work is done, then `done` runs on the loop thread.
 */
#ifndef ONWARD_POLICYD_PINWORK_H
#define ONWARD_POLICYD_PINWORK_H

#include "call.h"
#include "pin.h"

/*
 * result: 0 on a match (verify) or success (hash); -EACCES on a mismatch; other negative
 * errno on failure. hash is the new hash for pinwork_hash, "" for verify. ctx is the
 * handler's own state, passed through.
 */
typedef void (*pinwork_done_fn)(struct call *c, int result, const char *hash, void *ctx);

/* Hashes pin with the configured cost. */
void pinwork_hash(struct call *c, const char *pin, pinwork_done_fn done, void *ctx);

/* Verifies pin against stored. */
void pinwork_verify(struct call *c, const char *pin, const char *stored, pinwork_done_fn done,
                    void *ctx);

#endif
