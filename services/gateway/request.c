/*
 * Requests into frames and replies into statuses (see request.h). Everything here reads
 * bytes from the network or from the daemon, so every length is checked before it is
 * used and JSON is read strictly: one object, no duplicate keys, nothing after it.
 */
#include "request.h"

#include "crypto.h"
#include "proto.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* The daemon's error names and the HTTP status each maps to (docs/estate.md). */
static const struct {
	const char *error;
	unsigned status;
} reply_statuses[] = {
        {PROTO_ERR_INVALID_REQUEST, 400}, {PROTO_ERR_INVALID_PARAMETER, 400},
        {PROTO_ERR_NOT_LOGGED_IN, 401},   {PROTO_ERR_LOGIN_FAILED, 401},
        {"onward.SessionExpired", 401},   {PROTO_ERR_PERMISSION_DENIED, 403},
        {"onward.DeviceRevoked", 403},    {PROTO_ERR_METHOD_NOT_FOUND, 404},
        {PROTO_ERR_NOT_FOUND, 404},       {PROTO_ERR_CONFLICT, 409},
        {PROTO_ERR_ALREADY_EXISTS, 409},  {PROTO_ERR_TOO_LARGE, 413},
        {PROTO_ERR_ACCOUNT_LOCKED, 423},  {PROTO_ERR_BUSY, 503},
};

const char *
request_method_from_path(const char *url)
{
	size_t prefix = strlen(REQUEST_API_PREFIX);

	if (!url || strncmp(url, REQUEST_API_PREFIX, prefix) != 0)
		return NULL;
	return proto_method_name_valid(url + prefix) ? url + prefix : NULL;
}

int
request_bearer(const char *header, char ret_token[REQUEST_TOKEN_LEN + 1])
{
	static const char scheme[] = "Bearer ";
	uint8_t raw[REQUEST_TOKEN_LEN / 2];

	if (!header)
		return -ENOENT;
	/* The scheme's name is case-insensitive (RFC 9110); the token is exactly 64 hex,
	 * passed on in lower case, the daemon's form. */
	if (strncasecmp(header, scheme, sizeof(scheme) - 1) != 0 ||
	    crypto_hex_decode(header + sizeof(scheme) - 1, raw, sizeof(raw)) < 0)
		return -EINVAL;
	crypto_hex_encode(raw, sizeof(raw), ret_token);
	return 0;
}

static json_t *
via_object(const struct request_via *via)
{
	json_t *o = json_pack("{s:s}", "address", via->address ? via->address : "");

	if (o && via->staff_session &&
	    json_object_set_new(o, "staff_session", json_string(via->staff_session)) < 0)
		goto fail;
	if (o && via->device && json_object_set_new(o, "device", json_string(via->device)) < 0)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

int
request_build_call(const char *method, const char *body, size_t len, const struct request_via *via,
                   char **ret_frame, size_t *ret_len)
{
	json_t *params, *v;
	json_error_t error;
	char *frame;
	size_t frame_len;

	if (len > REQUEST_MAX_BODY)
		return -EMSGSIZE;
	params = json_loadb(body, len, JSON_REJECT_DUPLICATES, &error);
	if (!params)
		return -EBADMSG;
	if (!json_is_object(params)) {
		json_decref(params);
		return -EBADMSG;
	}
	/* Only the gateway says who is calling: a client's own "via" is refused, not replaced. */
	if (json_object_get(params, "via")) {
		json_decref(params);
		return -EEXIST;
	}
	v = via_object(via);
	if (!v || json_object_set_new(params, "via", v) < 0) {
		json_decref(params);
		return -ENOMEM;
	}
	frame = proto_call_build(method, params, &frame_len);
	if (!frame)
		return -ENOMEM;
	/* The daemon breaks the connection on a frame past its limit: never send one. */
	if (frame_len - 1 > PROTO_MAX_REQUEST) {
		free(frame);
		return -EMSGSIZE;
	}
	*ret_frame = frame;
	*ret_len = frame_len;
	return 0;
}

int
request_reply_status(const char *reply, size_t len, unsigned *ret_status)
{
	json_error_t error;
	json_t *root = json_loadb(reply, len, JSON_REJECT_DUPLICATES, &error);
	json_t *err;
	unsigned status = 500;

	if (!root || !json_is_object(root) || !json_is_object(json_object_get(root, "parameters")))
		goto fail;
	err = json_object_get(root, "error");
	if (!err) {
		status = 200;
	} else if (!json_is_string(err)) {
		goto fail;
	} else {
		for (size_t i = 0; i < sizeof(reply_statuses) / sizeof(reply_statuses[0]); i++)
			if (strcmp(json_string_value(err), reply_statuses[i].error) == 0)
				status = reply_statuses[i].status;
	}
	json_decref(root);
	*ret_status = status;
	return 0;
fail:
	json_decref(root);
	return -EBADMSG;
}
