/*
 * png.c: checking a pack's images. libpng reads the header: the signature, IHDR (which it
 * validates: sizes, depth and colour type combinations) and every chunk before the image
 * data, with width and height capped (png_set_user_limits) before any pixel memory is
 * sized. Then, by default, a walk over every chunk checks its length, type and CRC and the
 * order (IHDR first, the IDATs together, IEND last with nothing after): that is fast, and
 * keeps pixel decoding out of the daemon. With limits->decode_images (the builder always
 * sets it) libpng decodes every row through one row buffer instead, with ancillary CRC
 * errors and libpng's "benign" errors made fatal. libpng's warnings are swallowed: the
 * library never prints.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include "pack_int.h"

struct png_read {
	const uint8_t *data;
	size_t len, pos;
	png_bytep row; /* owned */
	char message[160];
};

static void
on_png_read(png_structp png, png_bytep out, size_t n)
{
	struct png_read *rd = png_get_io_ptr(png);

	if (n > rd->len - rd->pos)
		png_error(png, "file is truncated");
	memcpy(out, rd->data + rd->pos, n);
	rd->pos += n;
}

static void
on_png_error(png_structp png, png_const_charp msg)
{
	struct png_read *rd = png_get_error_ptr(png);

	snprintf(rd->message, sizeof(rd->message), "%s", msg);
	png_longjmp(png, 1);
}

static void
on_png_warning(png_structp png, png_const_charp msg)
{
	/* Warnings are not failures; and the library does not print. */
}

static int
png_decode(png_structp png, png_infop info, struct png_read *rd, const struct pack_limits *limits)
{
	png_uint_32 width, height;
	int depth, color, interlace, passes;

	png_set_user_limits(png, limits->max_image_side, limits->max_image_side);
	png_set_chunk_malloc_max(png, 1u << 20);
	png_set_chunk_cache_max(png, 256);
	png_set_crc_action(png, PNG_CRC_DEFAULT, PNG_CRC_ERROR_QUIT);
	png_set_benign_errors(png, 0);
	png_set_read_fn(png, rd, on_png_read);
	png_read_info(png, info);
	png_get_IHDR(png, info, &width, &height, &depth, &color, &interlace, NULL, NULL);
	passes = png_set_interlace_handling(png);
	if (!limits->decode_images)
		return 0;
	png_read_update_info(png, info);
	rd->row = malloc(png_get_rowbytes(png, info));
	if (!rd->row)
		return -ENOMEM;
	for (int p = 0; p < passes; p++) {
		for (png_uint_32 y = 0; y < height; y++)
			png_read_row(png, rd->row, NULL);
	}
	png_read_end(png, NULL);
	return 0;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks every chunk's framing, CRC and place; returns NULL or what is wrong. */
static const char *
png_walk(const uint8_t *d, size_t len, char msg[64])
{
	bool idat_seen = false, idat_done = false;
	size_t pos = 8;

	while (len - pos >= 12) {
		uint32_t n = be32(d + pos);
		const uint8_t *type = d + pos + 4;

		if (n > 0x7fffffffu || n > len - pos - 12)
			return "file is truncated";
		for (int k = 0; k < 4; k++) {
			if (!((type[k] >= 'a' && type[k] <= 'z') ||
			      (type[k] >= 'A' && type[k] <= 'Z')))
				return "bad chunk type";
		}
		if ((uint32_t)crc32_z(0, type, 4 + (size_t)n) != be32(type + 4 + n)) {
			snprintf(msg, 64, "%.4s: CRC error", (const char *)type);
			return msg;
		}
		if ((pos == 8) != (memcmp(type, "IHDR", 4) == 0))
			return "IHDR is not the first chunk";
		if (memcmp(type, "IDAT", 4) == 0) {
			if (idat_done)
				return "IDAT chunks are not together";
			idat_seen = true;
		} else if (idat_seen) {
			idat_done = true;
		}
		pos += 12 + (size_t)n;
		if (memcmp(type, "IEND", 4) == 0) {
			if (!idat_seen)
				return "no image data";
			return pos == len ? NULL : "data after IEND";
		}
	}
	return "file is truncated";
}

int
pack__png_check(const char *name, const void *data, size_t len, const struct pack_limits *limits,
                struct pack_error *err)
{
	struct png_read rd = {.data = data, .len = len};
	png_structp png;
	png_infop info = NULL;
	int r = -EBADMSG;

	if (len < 8 || png_sig_cmp(data, 0, 8) != 0)
		return pack__err(err, -EBADMSG, "%s: not a PNG image (bad signature)", name);
	/* A clear message for the commonest refusal; libpng enforces the same limit below. */
	if (len >= 24 && memcmp((const uint8_t *)data + 12, "IHDR", 4) == 0) {
		const uint8_t *p = (const uint8_t *)data + 16;
		uint32_t w =
		        (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		uint32_t h =
		        (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];

		if (w > limits->max_image_side || h > limits->max_image_side)
			return pack__err(err, -EFBIG,
			                 "%s: image is %ux%u pixels, over the %u-pixel limit", name,
			                 (unsigned)w, (unsigned)h, limits->max_image_side);
	}
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &rd, on_png_error, on_png_warning);
	if (png)
		info = png_create_info_struct(png);
	if (!png || !info) {
		png_destroy_read_struct(&png, NULL, NULL);
		return pack__err(err, -ENOMEM, "out of memory");
	}
	if (setjmp(png_jmpbuf(png))) {
		r = pack__err(err, -EBADMSG, "%s: not a valid PNG image (%s)", name, rd.message);
		goto out;
	}
	r = png_decode(png, info, &rd, limits);
	if (r < 0) {
		r = pack__err(err, r, "%s: out of memory", name);
		goto out;
	}
	if (limits->decode_images) {
		if (rd.pos != rd.len)
			r = pack__err(err, -EBADMSG, "%s: not a valid PNG image (data after IEND)",
			              name);
	} else {
		char msg[64];
		const char *bad = png_walk(data, len, msg);

		if (bad)
			r = pack__err(err, -EBADMSG, "%s: not a valid PNG image (%s)", name, bad);
	}
out:
	free(rd.row);
	png_destroy_read_struct(&png, &info, NULL);
	return r;
}
