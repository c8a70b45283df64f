/*
 * The Onward wire protocol, shared by the daemon and the client library. Varlink-style:
 * one JSON object per message, terminated by a NUL byte. A call is
 *   {"method": "onward.Session.Login", "parameters": {...}}
 * and a reply is {"parameters": {...}} or {"error": "onward.X", "parameters": {...}}.
 * docs/protocol.md lists the methods; this header holds the limits and error names.
 */
#ifndef ONWARD_PROTO_H
#define ONWARD_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Largest request the daemon accepts, NUL excluded; a longer one breaks framing. */
#define PROTO_MAX_REQUEST (64 * 1024)
/* Largest reply the daemon sends and the client accepts, NUL excluded. */
#define PROTO_MAX_REPLY (1024 * 1024)
/* Longest method name. */
#define PROTO_MAX_METHOD 64

/* Error names. Every error reply's parameters carry "message", in plain words. */
#define PROTO_ERR_INVALID_REQUEST "onward.InvalidRequest"
#define PROTO_ERR_METHOD_NOT_FOUND "onward.MethodNotFound"
#define PROTO_ERR_INVALID_PARAMETER "onward.InvalidParameter"
#define PROTO_ERR_NOT_LOGGED_IN "onward.NotLoggedIn"
#define PROTO_ERR_LOGIN_FAILED "onward.LoginFailed"
#define PROTO_ERR_ACCOUNT_LOCKED "onward.AccountLocked"
#define PROTO_ERR_PERMISSION_DENIED "onward.PermissionDenied"
#define PROTO_ERR_SESSION_EXPIRED "onward.SessionExpired" /* staff: sign in again */
#define PROTO_ERR_DEVICE_REVOKED "onward.DeviceRevoked" /* a tablet no longer enrolled */
#define PROTO_ERR_NOT_FOUND "onward.NotFound"
#define PROTO_ERR_ALREADY_EXISTS "onward.AlreadyExists"
#define PROTO_ERR_CONFLICT "onward.Conflict"
#define PROTO_ERR_TOO_LARGE "onward.MessageTooLarge"
#define PROTO_ERR_BUSY "onward.Busy"
#define PROTO_ERR_INTERNAL "onward.InternalError"

/*
 * A decoded call. root owns everything; method and parameters are borrowed from it.
 * parameters is never NULL after a successful parse (an empty object when absent).
 */
struct proto_request {
	json_t *root; /* owned */
	const char *method; /* borrowed from root */
	json_t *parameters; /* borrowed from root */
};

/*
 * Decodes one message (without its NUL). On failure returns -EBADMSG (not JSON, or not
 * valid UTF-8) or -EPROTO (JSON, but not a well-formed call) and writes a plain reason
 * to ret_reason; *ret is untouched.
 */
int proto_request_parse(const char *msg, size_t len, struct proto_request *ret, char *ret_reason,
                        size_t reason_size);

void proto_request_release(struct proto_request *req);

/*
 * Builds a reply as a NUL-terminated string owned by the caller (free()). parameters is
 * stolen (may be NULL for {}). Returns NULL only when out of memory.
 */
char *proto_reply_ok(json_t *parameters, size_t *ret_len);
char *proto_reply_error(const char *error, const char *message, json_t *parameters,
                        size_t *ret_len);

/* Builds a call as a NUL-terminated string; parameters is stolen (NULL for {}). */
char *proto_call_build(const char *method, json_t *parameters, size_t *ret_len);

/* True if name looks like "onward.Interface.Method". */
bool proto_method_name_valid(const char *name);

#endif
