/*
 * What the gateway makes of a request and of the daemon's reply, apart from HTTP and TLS
 * (which are libmicrohttpd's and GnuTLS's): the method a path names, the staff session a
 * bearer header carries, the one frame a call becomes (the client's body with the proven
 * `via` added), and the HTTP status a daemon's reply maps to (docs/estate.md). Pure
 * functions with no I/O, so the fuzz target (fuzz_request.c) runs them all.
 */
#ifndef ONWARD_GATEWAY_REQUEST_H
#define ONWARD_GATEWAY_REQUEST_H

#include <stddef.h>

/* Largest request body the gateway reads; more is 413. */
#define REQUEST_MAX_BODY (64 * 1024)
/* A staff session token: 64 lower-case hex digits (docs/estate.md, Staff.Login). */
#define REQUEST_TOKEN_LEN 64
/* Where calls live: POST /api/v1/onward.Interface.Method. */
#define REQUEST_API_PREFIX "/api/v1/"

/* The identity the gateway proved, attached to every call as "via". */
struct request_via {
	const char *address; /* the client's IP address; required */
	const char *staff_session; /* a well-formed bearer token, or NULL */
	const char *device; /* the verified client certificate's fingerprint, or NULL */
};

/*
 * The method a path names: url must be REQUEST_API_PREFIX followed by a method name
 * ("onward.Interface.Method", proto_method_name_valid). Returns a pointer into url, or NULL
 * when the path is not one of ours.
 */
const char *request_method_from_path(const char *url);

/*
 * Reads an Authorization header. NULL (no header) gives -ENOENT; "Bearer " (any case) and
 * exactly 64 lower-case hex digits, as Staff.Login makes them, gives 0 and the token in
 * ret_token; anything else is -EINVAL.
 */
int request_bearer(const char *header, char ret_token[REQUEST_TOKEN_LEN + 1]);

/*
 * Builds the one frame a call becomes: {"method": method, "parameters": body + "via"},
 * NUL-terminated (*ret_len counts the NUL), owned by the caller. The body must be one JSON
 * object of at most REQUEST_MAX_BODY bytes, without duplicate keys and without a "via" of
 * its own. Returns 0, -EBADMSG (not a JSON object), -EEXIST (the client sent "via"),
 * -EMSGSIZE (the body, or the frame it makes, is past the daemon's limit) or -ENOMEM.
 */
int request_build_call(const char *method, const char *body, size_t len,
                       const struct request_via *via, char **ret_frame, size_t *ret_len);

/*
 * The HTTP status for a daemon's reply (len bytes, no NUL): 200 for {"parameters": {...}},
 * else by its error name as docs/estate.md lists them. -EBADMSG when it is not a reply.
 */
int request_reply_status(const char *reply, size_t len, unsigned *ret_status);

#endif
