/*
 * What the estate area's files share: the establishment CA (ca.c), the certificates it
 * signs (cert.c), and the guard on enrolment codes. The area's state is made at start and
 * freed at stop; the CA key never leaves this process.
 */
#ifndef ONWARD_POLICYD_ESTATE_INT_H
#define ONWARD_POLICYD_ESTATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "area.h"
#include "pki.h"

struct server;

#define ESTATE_CA_DAYS 3650 /* the CA certificate: 10 years */
#define ESTATE_DEVICE_DAYS 365 /* a tablet's certificate */
#define ESTATE_GATEWAY_DAYS 365 /* the gateway's TLS certificate */
/* Certificates start a day back: a tablet whose clock is hours slow (one left in a drawer,
 * a battery run flat) must still accept the server and be accepted, and a server whose
 * clock was set forward a little must not issue certificates nobody can use yet. */
#define ESTATE_BACKDATE 86400
#define ESTATE_CODE_SECONDS (15 * 60) /* an enrolment code's life */
/*
 * Wrong enrolment codes (guess.c), counted in windows of 15 minutes: at most 10 from one
 * address, then that address waits for its window to end; at most 200 from everywhere,
 * then every enrolment waits. With 2^60 codes that bounds a guesser far below any chance
 * (under 20,000 tries a day), and one noisy tablet cannot stop the others enrolling.
 */
#define ESTATE_GUESS_WINDOW (15 * 60)
#define ESTATE_GUESSES_PER_ADDRESS 10
#define ESTATE_GUESSES_MAX 200
#define ESTATE_GUESS_ADDRESSES 256 /* addresses counted apart; beyond, the oldest gives way */
#define ESTATE_BAD_KEY "The public key must be the base64 of a 65-byte uncompressed P-256 point."
#define ESTATE_HOSTS_MAX 8 /* names in a gateway's certificate */
#define ESTATE_CODE_LEN 12 /* characters of an enrolment code */
#define ESTATE_CODE_TEXT_LEN 14 /* as shown: "ABCD-EFGH-JKLM" */

/* Wrong codes from one address (or from all, address ""), in the window from `since`. */
struct guess_count {
	char address[64];
	int64_t since; /* by the daemon's clock; 0 for a slot never used */
	int wrong;
};

struct guesses {
	struct guess_count all;
	struct guess_count by_address[ESTATE_GUESS_ADDRESSES];
};

enum guess_verdict {
	GUESS_OK,
	GUESS_ADDRESS_PAUSED, /* this address has tried too many wrong codes */
	GUESS_ALL_PAUSED, /* too many wrong codes from everywhere */
};

struct estate {
	EVP_PKEY *ca_key; /* owned: the CA's private key */
	X509 *ca_cert; /* owned */
	char *ca_pem; /* owned: the certificate as PEM, as sent to tablets */
	char ca_pin[PKI_PIN_HEX_LEN + 1]; /* hex SHA-256 of its DER */
	struct guesses guesses; /* wrong enrolment codes (guess.c) */
};

extern const struct area estate_area;

static inline struct estate *
estate_of(struct server *srv)
{
	return area_state(srv, &estate_area);
}

/* The area's start and stop (ca.c): loads DIR/estate/ or makes it on the first start. */
int estate_start(struct server *srv, void **ret_state, char *ret_error, size_t size);
void estate_stop(struct server *srv, void *state);

/*
 * server::device_find (tablet.c): the enrolled tablet whose certificate has this
 * fingerprint; -ENOENT unknown, -EACCES revoked.
 */
int estate_device_find(struct server *srv, const char *fingerprint, char *ret_id);

/* What a certificate is for. */
enum cert_kind {
	CERT_CA, /* the establishment CA itself, self-signed */
	CERT_CLIENT, /* a tablet: clientAuth */
	CERT_SERVER, /* the gateway: serverAuth, with its names */
};

struct cert_request {
	enum cert_kind kind;
	EVP_PKEY *key; /* borrowed: the subject's public key */
	const char *common_name;
	int days; /* valid from ESTATE_BACKDATE ago for this many days, by the daemon's clock */
	const char *const *hosts; /* CERT_SERVER: DNS names and IP literals, already checked */
	size_t host_count;
};

/*
 * Builds and signs a certificate (cert.c): with the CA's key and name, or self-signed
 * (CERT_CA, signed with req->key, which must then hold the private half). Its serial is
 * 128 random bits; *ret_serial (33 bytes, may be NULL) receives it in hex, and
 * *ret_not_after (may be NULL) its end.
 */
int cert_issue(const struct cert_request *req, X509 *issuer, EVP_PKEY *issuer_key, X509 **ret,
               char *ret_serial, int64_t *ret_not_after);

/* Whether host is a DNS name (letters, digits, '-' and '.') or an IP address literal. */
bool cert_host_valid(const char *host);

/* A new enrolment code, as shown to staff (code.c). */
int estate_code_make(char ret_code[ESTATE_CODE_TEXT_LEN + 1]);

/* The hash a code is stored under (hex SHA-256 of its 12 characters); -EINVAL when the text
 * is not a code at all (case, dashes and spaces are forgiven). */
int estate_code_hash(const char *code, char ret_hash[65]);

/*
 * The guard on wrong codes (guess.c): whether a code from address may be checked now; and
 * counting a wrong one, which says the pause it started, if any (worth a log line).
 */
enum guess_verdict guess_check(struct guesses *g, const char *address, int64_t now);
enum guess_verdict guess_wrong(struct guesses *g, const char *address, int64_t now);

#endif
