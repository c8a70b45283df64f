/*
 * bundles.c: the person bundle kinds. The daemon holds the establishment's keys and
 * decrypts; everything in a bundle that must be parsed is parsed here:
 *
 *   bundle.head    {}; the bundle file the daemon opened (read-only). Its first
 *                  BUNDLE_HEAD_MAX bytes read as a header (bundle_head_read: the magic,
 *                  the version, the fixed fields and the sender's certificate, the only
 *                  JSON in a bundle). The reply is the header's fields, bytes in hex, and
 *                  the certificate in its canonical JSON ("sender"), which the daemon
 *                  parses again and holds, field by field, against the bundle's own bytes
 *                  before it believes any of it (bundle_open_head). A header no bundle
 *                  can have is an ERROR with the bundle library's code (-ENOMSG,
 *                  -EPROTONOSUPPORT, -ENODATA, -EBADMSG, -EFBIG), which the daemon puts
 *                  in staff's words as it always has.
 *   bundle.record  {}; the decrypted payload, in a sealed memfd the daemon wrote. Bounded
 *                  before anything is allocated for it, parsed and its format checked
 *                  (record_parse), made canonical (record_canonical: the JSON it holds as
 *                  text made into objects, keys sorted, compact, and bounded again), and
 *                  sent back as raw bytes after {"length": n}: the one reply that may be
 *                  larger than PARSE_MSG_MAX (wire.h). A record refused is an ERROR with
 *                  -EMSGSIZE or -EBADMSG and staff's words, which the daemon passes on.
 *
 * The fault hook's words (test builds) are the kinds' names; "lie:bundle.record" sends a
 * record of the right shape that the daemon's own bounds refuse.
 */
#include "parse.h"

#include "bundle.h"
#include "crypto.h"
#include "record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PARSE_REPLY_LARGE_MAX >= RECORD_PAYLOAD_MAX + 1024,
               "a canonical record and its JSON fit a large reply");

/* The most a payload can be: a bundle file is at most 16 KiB more than a record. */
#define PAYLOAD_READ_MAX ((size_t)RECORD_PAYLOAD_MAX + (1u << 20))

static json_t *
hex(const void *data, size_t len)
{
	char text[2 * 32 + 1];

	if (len > 32)
		return NULL;
	crypto_hex_encode(data, len, text);
	return json_string(text);
}

static void
handle_head(struct parse_call *call)
{
	struct bundle_error berr = {0};
	struct bundle_head head = {0};
	char *data = NULL, *cert = NULL;
	size_t len = 0, cert_len = 0;
	int r = parse_read_fd(call, BUNDLE_HEAD_MAX, true, &data, &len);

	if (r < 0) {
		parse_fail(call, r, "the bundle cannot be read");
		return;
	}
	parse_test_fault("bundle.head");
	if (parse_test_lie(call, "bundle.head"))
		goto out;
	r = bundle_head_read(data, len, &head, &berr);
	if (r < 0) {
		parse_fail(call, berr.code ? berr.code : r, "%s", berr.message);
		goto out;
	}
	if (bundle_cert_serialize(head.sender, &cert, &cert_len, &berr) < 0) {
		parse_fail(call, -ENOMEM, "out of memory");
		goto out;
	}
	parse_reply(
	        call,
	        json_pack("{s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:o, s:o, s:s, s:o, s:s%}",
	                  "version", (json_int_t)head.version, "cert_len",
	                  (json_int_t)head.cert_len, "header_len", (json_int_t)head.header_len,
	                  "id", hex(head.id, sizeof(head.id)), "created_at",
	                  (json_int_t)head.created_at, "payload_len", (json_int_t)head.payload_len,
	                  "bundle_len", (json_int_t)head.bundle_len, "sender_fp",
	                  hex(head.sender_fp, sizeof(head.sender_fp)), "recipient_fp",
	                  hex(head.recipient_fp, sizeof(head.recipient_fp)), "recipient_code",
	                  head.recipient_code, "ephemeral",
	                  hex(head.ephemeral, sizeof(head.ephemeral)), "sender", cert, cert_len),
	        NULL, 0);
out:
	free(cert);
	bundle_head_clear(&head);
	free(data);
}

static void
handle_record(struct parse_call *call)
{
	char err[400] = "", *payload = NULL, *text = NULL;
	size_t len = 0, text_len = 0;
	json_t *doc = NULL;
	int r = parse_read_fd(call, PAYLOAD_READ_MAX, false, &payload, &len);

	if (r < 0) {
		parse_fail(call, r, "the record cannot be read");
		return;
	}
	parse_test_fault("bundle.record");
	if (parse_test_lying("bundle.record")) {
		/* A record that looks right and is not, as from a child a payload took over:
		 * nested past the limits the daemon holds every answer to. */
		static const char lie[] = "{\"format\":2,\"x\":[[[[[[[[[[[[[1]]]]]]]]]]]]]}";

		parse_reply(call, json_pack("{s:I}", "length", (json_int_t)strlen(lie)), lie,
		            strlen(lie));
		goto out;
	}
	r = record_parse(payload, len, &doc, err, sizeof(err));
	if (r == 0)
		r = record_canonical(doc, &text, &text_len, err, sizeof(err));
	if (r < 0)
		parse_fail(call, r, "%s", err);
	else
		parse_reply(call, json_pack("{s:I}", "length", (json_int_t)text_len), text,
		            text_len);
out:
	free(text);
	json_decref(doc);
	free(payload);
}

/* clang-format off */
const struct parse_kind bundle_kinds[] = {
	{"bundle.head", true, handle_head},
	{"bundle.record", true, handle_record},
	{NULL, false, NULL},
};
/* clang-format on */
