/*
 * coursecert_int.h: what the library's files share (errors, the raw key operations
 * document.c signs and verifies with). Not for users of the library. Hex and base64 are
 * lib/crypto's (crypto.h); the text rule for every field is lib/text's text_line_valid.
 * The functions are named coursecert__* (two underscores, as libuv's uv__*), so a call
 * site shows it is reaching inside the library.
 */
#ifndef ONWARD_COURSECERT_INT_H
#define ONWARD_COURSECERT_INT_H

#include "coursecert.h"
#include "crypto.h"
#include "text.h"

#define COURSECERT_SIG_LEN 64

/* Fills err (when not NULL) with code and a formatted one-line message; returns code. */
int coursecert__err(struct coursecert_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Ed25519 over msg with key's private half; ret_sig gets 64 bytes. */
int coursecert__key_sign(const struct coursecert_key *key, const void *msg, size_t len,
                         uint8_t ret_sig[COURSECERT_SIG_LEN], struct coursecert_error *err);
/* 0 when sig is key's signature of msg, -EKEYREJECTED when not. */
int coursecert__key_verify(const struct coursecert_key *key, const void *msg, size_t len,
                           const uint8_t sig[COURSECERT_SIG_LEN]);

#endif
