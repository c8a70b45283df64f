/*
 * fixture.c: shared helpers for the bundle tests (see fixture.h).
 */
#include "fixture.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bundle_identity *
fix_identity(const char *code, const char *name, enum bundle_kind kind)
{
	struct bundle_error err = {0};
	struct bundle_identity *id = NULL;
	int r = bundle_identity_generate(code, name, kind, FIX_NOT_BEFORE, FIX_NOT_AFTER, &id,
	                                 &err);

	if (r < 0)
		check_failed(__FILE__, __LINE__, "identity %s: %s", code, err.message);
	return id;
}

uint8_t *
fix_payload(size_t len, unsigned seed)
{
	uint8_t *p = malloc(len ? len : 1);
	uint64_t x = 0x9e3779b97f4a7c15ull ^ seed;

	CHECK(p != NULL);
	for (size_t i = 0; i < len; i++) {
		/* xorshift64: cheap, and nothing like a run of zeros. */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
	return p;
}

void
fix_seal(const struct bundle_identity *sender, const struct bundle_identity *recipient,
         const void *payload, size_t len, uint8_t **ret_bundle, size_t *ret_len)
{
	struct bundle_error err = {0};
	void *out = NULL;
	size_t out_len = 0;
	int r = bundle_seal(sender, bundle_identity_cert(recipient), payload, len, FIX_NOW, &out,
	                    &out_len, NULL, &err);

	if (r < 0)
		check_failed(__FILE__, __LINE__, "seal: %s", err.message);
	*ret_bundle = out;
	*ret_len = out_len;
}

const char *
fix_errname(int code)
{
	static char other[32];

	switch (-code) {
	case 0:
		return "0";
	case ENOMSG:
		return "ENOMSG";
	case EPROTONOSUPPORT:
		return "EPROTONOSUPPORT";
	case ENODATA:
		return "ENODATA";
	case ENOKEY:
		return "ENOKEY";
	case EKEYREJECTED:
		return "EKEYREJECTED";
	case EKEYEXPIRED:
		return "EKEYEXPIRED";
	case EBADMSG:
		return "EBADMSG";
	case EFBIG:
		return "EFBIG";
	case EINVAL:
		return "EINVAL";
	case EPERM:
		return "EPERM";
	case EEXIST:
		return "EEXIST";
	}
	snprintf(other, sizeof(other), "%d", code);
	return other;
}

/*
 * The same bundle opened as the daemon opens it: its keyless child reads the header from
 * the file's first BUNDLE_HEAD_MAX bytes and sends the certificate back in its canonical
 * JSON, which the daemon parses again; the daemon then opens with that header. Whatever
 * bundle_open() said, this must say too, word for word.
 */
static void
split_open(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
           size_t n, const void *data, size_t len, int64_t now, int r_whole,
           const struct bundle_error *err_whole, const void *payload_whole, size_t len_whole)
{
	struct bundle_error err = {0};
	struct bundle_head head = {0};
	struct bundle_cert *again = NULL;
	char *json = NULL;
	size_t json_len;
	void *out = NULL;
	size_t out_len = 0;
	int r = bundle_head_read(data, len < BUNDLE_HEAD_MAX ? len : BUNDLE_HEAD_MAX, &head, &err);

	if (r == 0) {
		CHECK_INT(bundle_cert_serialize(head.sender, &json, &json_len, NULL), 0);
		CHECK_INT(bundle_cert_parse(json, json_len, &again, NULL), 0);
		free(json);
		bundle_cert_free(head.sender);
		head.sender = again;
		r = bundle_open_head(recipient, trusted, n, &head, data, len, now, &out, &out_len,
		                     NULL, &err);
		bundle_head_clear(&head);
	}
	if (r != r_whole || (r < 0 && strcmp(err.message, err_whole->message) != 0))
		check_failed(__FILE__, __LINE__, "open by its header: %s (%s); whole: %s (%s)",
		             fix_errname(r), r < 0 ? err.message : "opened", fix_errname(r_whole),
		             r_whole < 0 ? err_whole->message : "opened");
	if (r == 0) {
		CHECK_INT(out_len, len_whole);
		CHECK(len_whole == 0 || memcmp(out, payload_whole, len_whole) == 0);
		bundle_buffer_free(out, out_len);
	}
}

struct bundle_error
fix_open_refused(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
                 size_t n, const void *data, size_t len, int64_t now, int code)
{
	struct bundle_error err = {0};
	struct bundle_info info, sentinel;
	void *payload = (void *)0x1;
	size_t payload_len = 12345;
	int r;

	memset(&info, 0xa5, sizeof(info));
	memcpy(&sentinel, &info, sizeof(info));
	r = bundle_open(recipient, trusted, n, data, len, now, &payload, &payload_len, &info, &err);
	if (r != code)
		check_failed(__FILE__, __LINE__, "open returned %s (%s), expected %s",
		             fix_errname(r), r < 0 ? err.message : "opened", fix_errname(code));
	CHECK_INT(err.code, code);
	CHECK(err.message[0] != '\0');
	CHECK(strchr(err.message, '\n') == NULL);
	CHECK(payload == (void *)0x1);
	CHECK_INT(payload_len, 12345);
	CHECK(memcmp(&info, &sentinel, sizeof(info)) == 0);
	split_open(recipient, trusted, n, data, len, now, r, &err, NULL, 0);
	return err;
}

void
fix_open_ok(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
            size_t n, const void *data, size_t len, int64_t now, const void *payload,
            size_t payload_len, struct bundle_info *ret_info)
{
	struct bundle_error err = {0};
	struct bundle_info info;
	void *out = NULL;
	size_t out_len = 0;
	int r = bundle_open(recipient, trusted, n, data, len, now, &out, &out_len, &info, &err);

	if (r < 0)
		check_failed(__FILE__, __LINE__, "open: %s", err.message);
	CHECK(out != NULL);
	CHECK_INT(out_len, payload_len);
	CHECK(payload_len == 0 || memcmp(out, payload, payload_len) == 0);
	CHECK(info.verified);
	split_open(recipient, trusted, n, data, len, now, 0, &err, out, out_len);
	bundle_buffer_free(out, out_len);
	if (ret_info)
		*ret_info = info;
}

char *
fix_tempdir(void)
{
	char *dir = strdup("/tmp/onward-bundle-test-XXXXXX");

	CHECK(dir != NULL);
	CHECK(mkdtemp(dir) != NULL);
	return dir;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void
fix_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
