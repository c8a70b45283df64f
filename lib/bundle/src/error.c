/*
 * error.c: filling struct bundle_error. Every refusal in the library goes through
 * bundle__fail() or bundle__fail_about(), which return the code so a caller can write
 * `return bundle__fail(err, -EBADMSG, ...)`, and which clear OpenSSL's error queue so no
 * stale entry outlives the failure it explained. Also bundle_buffer_free(), the wiping free.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "bundle_int.h"

static void error_vset(struct bundle_error *err, int code, const char *subject, int64_t when,
                       const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void
error_vset(struct bundle_error *err, int code, const char *subject, int64_t when, const char *fmt,
           va_list ap)
{
	/* Whatever OpenSSL queued on the way here has been turned into this error. */
	ERR_clear_error();
	if (!err)
		return;
	err->code = code;
	err->when = when;
	snprintf(err->subject, sizeof(err->subject), "%s", subject ? subject : "");
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
}

int
bundle__fail(struct bundle_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, code, NULL, 0, fmt, ap);
	va_end(ap);
	return code;
}

int
bundle__fail_about(struct bundle_error *err, int code, const char *subject, int64_t when,
                   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, code, subject, when, fmt, ap);
	va_end(ap);
	return code;
}

void
bundle__error_prefix(struct bundle_error *err, const char *what)
{
	size_t wlen, mlen;

	if (!err)
		return;
	wlen = strlen(what);
	mlen = strlen(err->message);
	if (wlen + 3 > sizeof(err->message))
		return;
	/* Keep the message's start when both do not fit; the end is cut. */
	if (mlen > sizeof(err->message) - wlen - 3)
		mlen = sizeof(err->message) - wlen - 3;
	memmove(err->message + wlen + 2, err->message, mlen);
	err->message[wlen + 2 + mlen] = '\0';
	memcpy(err->message, what, wlen);
	err->message[wlen] = ':';
	err->message[wlen + 1] = ' ';
}

void
bundle_buffer_free(void *buf, size_t len)
{
	if (!buf)
		return;
	OPENSSL_cleanse(buf, len);
	free(buf);
}
