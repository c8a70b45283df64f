/*
 * The HTTPS client of the estate (docs/estate.md, "HTTP"): one call of the daemon's
 * protocol through the gateway, for onward-sync on a tablet and onwardctl on a staff
 * machine. TLS 1.3 only; the server is verified against the one CA given (never the
 * system's list); a call is POST URL/api/v1/<method> with its parameters as the body, and
 * its answer is the daemon's reply object, which may be an error reply. A tablet adds its
 * client certificate, staff a session's bearer token.
 *
 * Like the rest of the client library this never logs: it returns 0 or a negative errno
 * and one plain line in err, fit to show as it is:
 *   -EHOSTUNREACH  "cannot reach the server at URL: ..."
 *   -EACCES        "the server's certificate is not trusted"
 *   -EBADMSG       "the reply was not understood" (not JSON, not an object, too large)
 *   -EINVAL        a bad target or method (a programming or usage error)
 *   -EKEYREJECTED  (https_fetch_ca) the CA certificate does not match its pin
 * Linked only by the programs that talk to the network (not the shell or the apps).
 */
#ifndef ONWARD_HTTPS_H
#define ONWARD_HTTPS_H

#include <stddef.h>

#include <jansson.h>

#define HTTPS_REPLY_MAX (1u << 20) /* bytes of a reply body */
#define HTTPS_BODY_MAX (64u << 10) /* bytes of a call's parameters (the gateway's limit) */
#define HTTPS_TIMEOUT_MS 30000

struct https_target {
	const char *url; /* "https://gateway.mdi.example:8443": scheme, host, port only */
	const char *ca_file; /* the CA to verify the server with, as a PEM file; or */
	const char *ca_pem; /* the same in memory (used when ca_file is NULL) */
	const char *cert_file; /* optional: a client certificate (PEM) ... */
	const char *key_file; /* ... and its private key */
	const char *bearer; /* optional: a staff session's token */
	long timeout_ms; /* the whole call; 0 for HTTPS_TIMEOUT_MS */
};

/*
 * Calls method ("onward.Device.Hello") with params (borrowed; NULL for none). On 0,
 * *ret_reply is the daemon's reply: {"parameters": {...}} or {"error": ..., "parameters":
 * {...}}, whatever the HTTP status that carried it.
 */
int https_call(const struct https_target *t, const char *method, json_t *params, json_t **ret_reply,
               char *err, size_t err_size);

/*
 * Fetches URL/ca.pem without verifying the server (there is nothing yet to verify it
 * with) and accepts it only if the SHA-256 of its first certificate's DER is pin_hex (64
 * hex digits, either case). On 0, *ret_pem (malloc'd) holds that one certificate,
 * encoded again, so nothing else the server sent can ever be trusted with it.
 */
int https_fetch_ca(const char *url, const char *pin_hex, long timeout_ms, char **ret_pem, char *err,
                   size_t err_size);

#endif
