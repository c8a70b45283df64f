/*
 * Decoding calls and encoding replies (see proto.h). Everything that arrives is treated as
 * hostile: jansson rejects invalid UTF-8, duplicate keys and NUL inside strings; we then
 * insist on exactly the call's shape, with no fields we do not know.
 */
#include "proto.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define JSON_DECODE_FLAGS (JSON_REJECT_DUPLICATES)
#define JSON_ENCODE_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII)

bool
proto_method_name_valid(const char *name)
{
	size_t n = strlen(name), dots = 0;
	bool segment_start = false;

	if (n < 10 || n > PROTO_MAX_METHOD || strncmp(name, "onward.", 7) != 0)
		return false;
	segment_start = true;
	for (size_t i = 7; i < n; i++) {
		char c = name[i];

		if (c == '.') {
			if (segment_start)
				return false;
			dots++;
			segment_start = true;
			continue;
		}
		if (segment_start && !(c >= 'A' && c <= 'Z'))
			return false;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			return false;
		segment_start = false;
	}
	return dots == 1 && !segment_start;
}

int
proto_request_parse(const char *msg, size_t len, struct proto_request *ret, char *ret_reason,
                    size_t reason_size)
{
	json_error_t jerr;
	json_t *root, *method, *params;
	const char *key;
	json_t *value;

	root = json_loadb(msg, len, JSON_DECODE_FLAGS, &jerr);
	if (!root) {
		snprintf(ret_reason, reason_size, "the request is not valid JSON: %s", jerr.text);
		return -EBADMSG;
	}
	if (!json_is_object(root)) {
		snprintf(ret_reason, reason_size, "the request must be a JSON object");
		goto fail;
	}
	json_object_foreach(root, key, value)
	{
		if (strcmp(key, "method") != 0 && strcmp(key, "parameters") != 0) {
			snprintf(ret_reason, reason_size, "unknown field '%.40s' in the request",
			         key);
			goto fail;
		}
	}
	method = json_object_get(root, "method");
	if (!json_is_string(method)) {
		snprintf(ret_reason, reason_size, "the request has no method name");
		goto fail;
	}
	if (!proto_method_name_valid(json_string_value(method))) {
		snprintf(ret_reason, reason_size, "'%.64s' is not a method name",
		         json_string_value(method));
		goto fail;
	}
	params = json_object_get(root, "parameters");
	if (params && !json_is_object(params)) {
		snprintf(ret_reason, reason_size, "parameters must be a JSON object");
		goto fail;
	}
	if (!params) {
		params = json_object();
		if (!params || json_object_set_new(root, "parameters", params) < 0) {
			snprintf(ret_reason, reason_size, "out of memory");
			goto fail;
		}
	}
	ret->root = root;
	ret->method = json_string_value(method);
	ret->parameters = params;
	return 0;
fail:
	json_decref(root);
	return -EPROTO;
}

void
proto_request_release(struct proto_request *req)
{
	if (!req)
		return;
	json_decref(req->root);
	req->root = NULL;
	req->method = NULL;
	req->parameters = NULL;
}

/* Serializes root (stolen) with a NUL terminator counted out of *ret_len. */
static char *
dump_with_nul(json_t *root, size_t *ret_len)
{
	char *text;

	if (!root)
		return NULL;
	text = json_dumps(root, JSON_ENCODE_FLAGS);
	json_decref(root);
	if (text && ret_len)
		*ret_len = strlen(text) + 1;
	return text;
}

char *
proto_reply_ok(json_t *parameters, size_t *ret_len)
{
	json_t *root = json_object();

	if (!parameters)
		parameters = json_object();
	if (!root || !parameters || json_object_set_new(root, "parameters", parameters) < 0) {
		json_decref(root);
		return NULL;
	}
	return dump_with_nul(root, ret_len);
}

char *
proto_reply_error(const char *error, const char *message, json_t *parameters, size_t *ret_len)
{
	json_t *root = json_object();

	if (!parameters)
		parameters = json_object();
	if (!root || !parameters)
		goto fail;
	if (message && json_object_set_new(parameters, "message", json_string(message)) < 0)
		goto fail;
	if (json_object_set_new(root, "error", json_string(error)) < 0 ||
	    json_object_set(root, "parameters", parameters) < 0)
		goto fail;
	json_decref(parameters);
	return dump_with_nul(root, ret_len);
fail:
	json_decref(parameters);
	json_decref(root);
	return NULL;
}

char *
proto_call_build(const char *method, json_t *parameters, size_t *ret_len)
{
	json_t *root = json_object();

	if (!parameters)
		parameters = json_object();
	if (!root || !parameters || json_object_set_new(root, "method", json_string(method)) < 0 ||
	    json_object_set_new(root, "parameters", parameters) < 0) {
		json_decref(root);
		return NULL;
	}
	return dump_with_nul(root, ret_len);
}
