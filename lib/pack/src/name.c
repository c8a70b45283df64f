/*
 * name.c: the rules for file names inside a pack. A name is a relative, normalized path of
 * lower-case ASCII letters, digits, '.', '-', '_' and '/', with no empty, '.' or '..'
 * component and no hidden component, ending in .md, .png or .json. So a name is safe to
 * use as a path under an install folder, has one spelling, and cannot collide with another
 * on a case-insensitive file system. Also resolves the relative image paths of a page.
 */
#include <errno.h>
#include <string.h>

#include "pack_int.h"

static const char *
name_ext(const char *name, size_t len)
{
	static const char *const exts[] = {".md", ".png", ".json"};

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t n = strlen(exts[i]);

		if (len > n && memcmp(name + len - n, exts[i], n) == 0 && name[len - n - 1] != '/')
			return exts[i];
	}
	return NULL;
}

/* Names that are not printable ASCII are shown with '?' so the message stays one line. */
static int
name_unprintable(const char *name, size_t len, struct pack_error *err)
{
	char shown[64];
	size_t n = len < sizeof(shown) - 1 ? len : sizeof(shown) - 1;

	for (size_t i = 0; i < n; i++)
		shown[i] = ((uint8_t)name[i] < 0x20 || (uint8_t)name[i] >= 0x7f) ? '?' : name[i];
	shown[n] = '\0';
	return pack__err(err, -EBADMSG,
	                 "%s: file names may use only a-z, 0-9, '.', '-', '_' and '/'", shown);
}

int
pack__name_check(const char *name, size_t len, const struct pack_limits *limits,
                 enum pack_file_type *ret_type, struct pack_error *err)
{
	const char *ext;
	size_t start = 0;

	if (len == 0)
		return pack__err(err, -EBADMSG, "a file has an empty name");
	if (memchr(name, '\0', len) || strlen(name) != len)
		return name_unprintable(name, strlen(name), err);
	for (size_t i = 0; i < len; i++) {
		if ((uint8_t)name[i] < 0x20 || (uint8_t)name[i] >= 0x7f)
			return name_unprintable(name, len, err);
	}
	if (len > limits->max_name_bytes)
		return pack__err(err, -EFBIG,
		                 "%.40s...: file name is %zu bytes, over the %u-byte limit", name,
		                 len, limits->max_name_bytes);
	if (name[0] == '/')
		return pack__err(err, -EBADMSG, "%s: absolute file names are not allowed", name);
	if (memchr(name, '\\', len))
		return pack__err(err, -EBADMSG, "%s: backslashes are not allowed in file names",
		                 name);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && name[i] != '/')
			continue;
		size_t n = i - start;

		if (n == 2 && memcmp(name + start, "..", 2) == 0)
			return pack__err(err, -EBADMSG, "%s: '..' is not allowed in file names",
			                 name);
		if (n == 0 || name[start] == '.')
			return pack__err(
			        err, -EBADMSG,
			        "%s: file name is not normalized (empty, '.' or hidden part)",
			        name);
		start = i + 1;
	}
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_' || c == '/'))
			return pack__err(
			        err, -EBADMSG,
			        "%s: file names may use only a-z, 0-9, '.', '-', '_' and '/'",
			        name);
	}
	ext = name_ext(name, len);
	if (!ext)
		return pack__err(err, -EBADMSG, "%s: only .md, .png and .json files are allowed",
		                 name);
	if (ret_type)
		*ret_type = strcmp(ext, ".md") == 0    ? PACK_FILE_MD
		            : strcmp(ext, ".png") == 0 ? PACK_FILE_PNG
		                                       : PACK_FILE_JSON;
	return 0;
}

bool
pack__name_reserved(const char *name)
{
	return strcmp(name, PACK_MANIFEST_NAME) == 0;
}

/*
 * Resolves ref (a path in a page, relative to the page's folder) against the page name
 * base. Fails for absolute references, URLs, and anything that climbs out of the pack.
 * The result still has to pass pack__name_check().
 */
int
pack__name_resolve(const char *base, const char *ref, char *out, size_t out_size)
{
	const char *slash = base ? strrchr(base, '/') : NULL;
	size_t len = slash ? (size_t)(slash - base) : 0;
	size_t reflen = strlen(ref);

	if (reflen == 0 || ref[0] == '/' || strchr(ref, ':') || strchr(ref, '\\'))
		return -EBADMSG;
	if (len + 1 + reflen + 1 > out_size)
		return -EFBIG;
	memcpy(out, base ? base : "", len);
	out[len] = '\0';
	for (const char *p = ref; *p;) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 2 && memcmp(p, "..", 2) == 0) {
			char *cut = strrchr(out, '/');

			if (len == 0)
				return -EBADMSG; /* above the pack's root */
			len = cut ? (size_t)(cut - out) : 0;
			out[len] = '\0';
		} else if (n == 0 || (n == 1 && p[0] == '.')) {
			/* "a//b" and "./b" name the same file as "a/b" and "b". */
		} else {
			if (len > 0)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
			out[len] = '\0';
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return len > 0 ? 0 : -EBADMSG;
}
