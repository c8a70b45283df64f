/*
 * libFuzzer target for the gateway's own reading of outside bytes (everything else is
 * libmicrohttpd's and GnuTLS's): the input is split at its first two NUL bytes into a
 * header line, a body and a daemon reply. The header goes through the path, bearer and
 * listen-address readers; the body becomes a call frame, which must then decode as a call
 * with the gateway's "via" and no other; the reply gets its HTTP status. Nothing may crash,
 * leak or read out of bounds.
 */
#include "address.h"
#include "proto.h"
#include "request.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_frame(const char *frame, size_t len)
{
	struct proto_request req;
	char reason[128];
	json_t *via;

	/* What the gateway sends must be exactly one call the daemon accepts. */
	if (len < 1 || frame[len - 1] != '\0' ||
	    proto_request_parse(frame, len - 1, &req, reason, sizeof(reason)) < 0)
		abort();
	via = json_object_get(req.parameters, "via");
	if (!json_is_object(via) ||
	    strcmp(json_string_value(json_object_get(via, "address")), "10.1.2.3") != 0)
		abort();
	proto_request_release(&req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul1 = memchr(text, '\0', size);
	const char *nul2 = nul1 ? memchr(nul1 + 1, '\0', size - (size_t)(nul1 + 1 - text)) : NULL;
	char token[REQUEST_TOKEN_LEN + 1];
	struct sockaddr_storage ss;
	struct request_via via = {.address = "10.1.2.3"};
	const char *body, *reply;
	size_t body_len, reply_len;
	char *frame = NULL;
	size_t frame_len;
	unsigned status;

	if (!nul1)
		return 0;
	(void)request_method_from_path(text);
	if (request_bearer(text, token) == 0)
		via.staff_session = token;
	(void)address_parse(text, &ss);
	body = nul1 + 1;
	body_len = nul2 ? (size_t)(nul2 - body) : size - (size_t)(body - text);
	reply = nul2 ? nul2 + 1 : "";
	reply_len = nul2 ? size - (size_t)(reply - text) : 0;
	if (request_build_call("onward.Service.GetInfo", body, body_len, &via, &frame,
	                       &frame_len) == 0) {
		check_frame(frame, frame_len);
		free(frame);
	}
	(void)request_reply_status(reply, reply_len, &status);
	return 0;
}
