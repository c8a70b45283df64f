/*
 * error.c: filling in struct pack_error, and the default limits. Every failure in the
 * library ends here, so a caller always gets the code it was returned and one line of text
 * saying what failed and where. The library never prints: the message is the only report.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pack_int.h"

int
pack__err(struct pack_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

int
pack__err_sys(struct pack_error *err, int errnum, const char *what, const char *path)
{
	if (errnum <= 0)
		errnum = EIO;
	return pack__err(err, -errnum, "%s: %s: %s", path, what, strerror(errnum));
}

int
pack__err_prefix(struct pack_error *err, int code, const char *prefix)
{
	char was[PACK_ERROR_MAX];

	if (err) {
		memcpy(was, err->message, sizeof(was));
		was[sizeof(was) - 1] = '\0';
		pack__err(err, code, "%s: %s", prefix, was);
	}
	return code;
}

void
pack_limits_init(struct pack_limits *limits)
{
	limits->max_pack_bytes = PACK_DEFAULT_MAX_PACK_BYTES;
	limits->max_file_bytes = PACK_DEFAULT_MAX_FILE_BYTES;
	limits->max_inflated_bytes = PACK_DEFAULT_MAX_INFLATED_BYTES;
	limits->max_text_bytes = PACK_DEFAULT_MAX_TEXT_BYTES;
	limits->max_files = PACK_DEFAULT_MAX_FILES;
	limits->max_name_bytes = PACK_DEFAULT_MAX_NAME_BYTES;
	limits->max_image_side = PACK_DEFAULT_MAX_IMAGE_SIDE;
	limits->decode_images = false;
}

const struct pack_limits *
pack__limits_or_default(const struct pack_limits *limits, struct pack_limits *storage)
{
	if (limits)
		return limits;
	pack_limits_init(storage);
	return storage;
}
