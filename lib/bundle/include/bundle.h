/*
 * bundle.h: person bundles, the public interface of libonward_bundle.
 *
 * When a person moves (a transfer between prisons, or release on licence to a probation
 * region), the sending daemon writes their record into a *person bundle*: the payload
 * (opaque bytes here; a JSON document of up to tens of MB) signed with the sending
 * establishment's Ed25519 key and encrypted to the receiving establishment's X25519 key
 * (ephemeral X25519, HKDF-SHA256, AES-256-GCM). The receiving daemon opens it: the bundle
 * must be for this establishment, from a sender it trusts, unaltered and complete. The
 * format and the reasoning behind it are in ../README.md.
 *
 * Who calls what:
 *   - onward-policyd (person export): bundle_identity_load() once at start,
 *     bundle_seal() with the recipient's certificate from its trust store.
 *   - onward-parse, the daemon's keyless child (person import): bundle_head_read() on the
 *     first BUNDLE_HEAD_MAX bytes of the file, parsing the header and the sender's
 *     certificate (the only JSON in a bundle) into canonical fields for the daemon.
 *   - onward-policyd (person import): bundle_open_head() with the child's claims, its
 *     identity and its trust store; it parses nothing: it holds each claim against the
 *     bundle's own bytes at its fixed place, then checks and decrypts as bundle_open()
 *     does. Only its info is authenticated. Replay protection is the daemon's: it keeps
 *     the ids it has imported and checks the id bundle_open_head() returns again in the
 *     transaction that imports the record.
 *   - onwardctl trust add CERT: bundle_cert_load(), bundle_cert_verify() (self-signed) or
 *     bundle_cert_check_trust() (issued by a root already trusted), bundle_cert_fingerprint()
 *     for the operator to compare with the one given by telephone.
 *   - onward-bundle (the operators' CLI) uses the rest.
 *
 * Trust: a certificate is either self-signed (trust on first use: staff add the
 * establishment's certificate itself, after checking its fingerprint) or issued by a
 * national root (staff add the root once, and every certificate it issued is trusted).
 * Both work together; a trust list may hold establishment certificates and roots.
 *
 * Conventions, as in the house style: functions return 0 on success or a negative errno
 * code; output parameters are named ret_*, come last (before the optional error) and are
 * untouched on failure; a failing call fills the optional struct bundle_error with one line
 * naming what failed; every _free() accepts NULL; the library never logs and never exits;
 * private keys and plaintext are wiped (OPENSSL_cleanse) before their memory is released.
 * Times are seconds since 1970-01-01 UTC.
 *
 * Error codes, one per kind of refusal, so the daemon can say which in plain words:
 *   -ENOMSG           not an Onward bundle (the magic is wrong)
 *   -EPROTONOSUPPORT  an Onward bundle of a format version this build does not read
 *   -ENODATA          the bundle is cut short (truncated)
 *   -ENOKEY           the bundle is for another establishment (or another certificate of
 *                     this one); err.subject is the recipient's code
 *   -EKEYREJECTED     the sender is not trusted here (err.subject is its code), or a
 *                     certificate's signature does not verify
 *   -EKEYEXPIRED      a certificate is expired or not yet valid at the given time;
 *                     err.subject is whose, err.when the date it expired or starts
 *   -EBADMSG          the bundle (or a certificate) has been altered or is malformed: a
 *                     signature or the AEAD tag does not verify, a field is out of range,
 *                     or bytes follow the end
 *   -EFBIG            a payload larger than BUNDLE_PAYLOAD_MAX
 *   -ESTALE           bundle_open_head(): the bytes are not the ones the header was read from
 *   -EPERM            an identity file that others can read
 *   -EINVAL           a bad argument (a caller's bug or a bad command-line value)
 *   -ENOMEM, -EIO, -ENOENT, -EEXIST and other errno values for system failures
 */
#ifndef ONWARD_BUNDLE_H
#define ONWARD_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BUNDLE_FORMAT_VERSION 1
#define BUNDLE_PAYLOAD_MAX (256u << 20) /* 256 MiB; checked before any allocation */
#define BUNDLE_ID_LEN 16
#define BUNDLE_ID_HEX_MAX 33
#define BUNDLE_FINGERPRINT_LEN 32
#define BUNDLE_FINGERPRINT_HEX_MAX 65
#define BUNDLE_SERIAL_HEX_MAX 33
#define BUNDLE_CODE_MAX 4 /* "MDI" and its NUL */
#define BUNDLE_NAME_MAX 100 /* bytes of UTF-8 in an establishment's name */
#define BUNDLE_TIME_MAX 21 /* "2026-01-31T23:59:59Z" and its NUL */
#define BUNDLE_ERROR_MAX 320

/* Errors: code is the negative errno value also returned; message is one line. */
struct bundle_error {
	int code;
	char subject[BUNDLE_CODE_MAX]; /* the code of the establishment concerned, or "" */
	int64_t when; /* -EKEYEXPIRED: the date it expired or starts; else 0 */
	char message[BUNDLE_ERROR_MAX];
};

/* What a certificate is for. A root only issues certificates: it never sends or receives. */
enum bundle_kind {
	BUNDLE_KIND_PRISON = 1,
	BUNDLE_KIND_PROBATION,
	BUNDLE_KIND_ROOT,
};
const char *bundle_kind_name(enum bundle_kind kind); /* "prison", "probation", "root" */
int bundle_kind_parse(const char *name, enum bundle_kind *ret_kind);

/* Times as "YYYY-MM-DDTHH:MM:SSZ", the one form certificates use. */
int bundle_time_format(int64_t time, char ret_text[BUNDLE_TIME_MAX]);
int bundle_time_parse(const char *text, int64_t *ret_time);

/*
 * Certificates bind an establishment's code (three upper-case letters), name, kind, its
 * Ed25519 signing key and X25519 encryption key (a root has no encryption key), a validity
 * period and a random 128-bit serial, under a signature: its own (self-signed) or a root's.
 * A certificate file is a small strict JSON document; what is signed is a fixed line-based
 * rendering of the fields (see cert.c), so the JSON's spacing does not matter. The
 * fingerprint is the SHA-256 of those signed bytes, in lower-case hex: the same whatever
 * the file's layout, and it names the certificate in bundles and in trust lists.
 */
struct bundle_cert;
int bundle_cert_parse(const void *data, size_t len, struct bundle_cert **ret_cert,
                      struct bundle_error *err);
int bundle_cert_load(const char *path, struct bundle_cert **ret_cert, struct bundle_error *err);
/* Writes the certificate as indented JSON; never over an existing file. */
int bundle_cert_save(const struct bundle_cert *cert, const char *path, struct bundle_error *err);
/* The certificate as compact JSON (malloc'd, NUL-terminated), e.g. for a database row. */
int bundle_cert_serialize(const struct bundle_cert *cert, char **ret_json, size_t *ret_len,
                          struct bundle_error *err);
/*
 * Checks the signature (its own when issuer is NULL; otherwise issuer must be the root
 * named in the certificate) and that `at` lies within the validity of both. For
 * `onwardctl trust add` of a self-signed certificate: issuer NULL, at = now.
 */
int bundle_cert_verify(const struct bundle_cert *cert, const struct bundle_cert *issuer, int64_t at,
                       struct bundle_error *err);
/*
 * Whether cert is trusted by a trust list at `at`: it is in the list itself (by
 * fingerprint: the trust-on-first-use model), or it was issued by a root in the list
 * whose signature holds; and it (and that root) are valid at `at`. Certificates in the
 * list are trust anchors, checked when they were added (bundle_cert_verify).
 * -EKEYREJECTED (not trusted, or the root's signature fails) or -EKEYEXPIRED.
 */
int bundle_cert_check_trust(const struct bundle_cert *cert,
                            const struct bundle_cert *const *trusted, size_t n_trusted, int64_t at,
                            struct bundle_error *err);
const char *bundle_cert_code(const struct bundle_cert *cert);
const char *bundle_cert_name(const struct bundle_cert *cert);
enum bundle_kind bundle_cert_kind(const struct bundle_cert *cert);
const char *bundle_cert_serial(const struct bundle_cert *cert); /* 32 hex digits */
const char *bundle_cert_fingerprint(const struct bundle_cert *cert); /* 64 hex digits */
/* NULL when self-signed; else the fingerprint of the issuing root. */
const char *bundle_cert_issuer(const struct bundle_cert *cert);
int64_t bundle_cert_not_before(const struct bundle_cert *cert);
int64_t bundle_cert_not_after(const struct bundle_cert *cert);
/* Raw public keys: Ed25519 (signing) and X25519 (encryption; false for a root). */
void bundle_cert_sign_key(const struct bundle_cert *cert, uint8_t ret_key[32]);
bool bundle_cert_encrypt_key(const struct bundle_cert *cert, uint8_t ret_key[32]);
/* Copies a certificate (certificates are immutable; a copy may outlive its source). */
int bundle_cert_dup(const struct bundle_cert *cert, struct bundle_cert **ret_cert);
void bundle_cert_free(struct bundle_cert *cert);

/*
 * An identity is an establishment's private keys with its certificate. On disk it is a
 * folder: identity.pem (the Ed25519 and, except for a root, the X25519 private key as
 * PKCS#8 PEM, mode 0600) and cert.json. bundle_identity_generate() makes fresh keys and a
 * self-signed certificate valid from not_before to not_after. bundle_identity_save()
 * creates the folder (0700) if needed and never overwrites a file; bundle_identity_load()
 * refuses an identity.pem that group or others may read (-EPERM) and keys that do not
 * match the certificate (-EKEYREJECTED).
 */
struct bundle_identity;
#define BUNDLE_IDENTITY_KEY_FILE "identity.pem"
#define BUNDLE_IDENTITY_CERT_FILE "cert.json"
int bundle_identity_generate(const char *code, const char *name, enum bundle_kind kind,
                             int64_t not_before, int64_t not_after,
                             struct bundle_identity **ret_identity, struct bundle_error *err);
int bundle_identity_save(const struct bundle_identity *identity, const char *dir,
                         struct bundle_error *err);
int bundle_identity_load(const char *dir, struct bundle_identity **ret_identity,
                         struct bundle_error *err);
/* Borrowed: valid until the identity is freed or its certificate replaced. */
const struct bundle_cert *bundle_identity_cert(const struct bundle_identity *identity);
/*
 * Replaces the identity's certificate, e.g. with the root-issued one; the keys must match
 * (-EKEYREJECTED otherwise). cert is copied. bundle_identity_save() of the result writes it.
 */
int bundle_identity_set_cert(struct bundle_identity *identity, const struct bundle_cert *cert,
                             struct bundle_error *err);
void bundle_identity_free(struct bundle_identity *identity);

/*
 * A national root issues a certificate for an establishment's keys. The request is the
 * establishment's self-signed certificate (its self-signature proves it holds the key);
 * the new certificate has the same code, name, kind and keys, a fresh serial, this
 * validity (within the root's own) and the root as issuer.
 */
int bundle_cert_issue(const struct bundle_identity *root, const struct bundle_cert *request,
                      int64_t not_before, int64_t not_after, struct bundle_cert **ret_cert,
                      struct bundle_error *err);

/*
 * What a bundle's header says. From bundle_peek() none of it is authenticated (verified is
 * false): use it to word a refusal or to skip a bundle already imported, never to decide
 * trust. From bundle_open() and bundle_seal() all of it is (verified is true).
 */
struct bundle_info {
	unsigned format_version;
	uint8_t id[BUNDLE_ID_LEN]; /* random; the daemon's replay key */
	char id_hex[BUNDLE_ID_HEX_MAX];
	int64_t created_at;
	uint64_t payload_len;
	uint64_t bundle_len; /* the whole bundle's size, as the header declares it */
	char sender_code[BUNDLE_CODE_MAX];
	char sender_name[BUNDLE_NAME_MAX + 1];
	enum bundle_kind sender_kind;
	char sender_fingerprint[BUNDLE_FINGERPRINT_HEX_MAX];
	char sender_issuer[BUNDLE_FINGERPRINT_HEX_MAX]; /* "" when self-signed */
	char recipient_code[BUNDLE_CODE_MAX];
	char recipient_fingerprint[BUNDLE_FINGERPRINT_HEX_MAX];
	bool verified;
	char payload_sha256[BUNDLE_FINGERPRINT_HEX_MAX]; /* "" unless verified */
};

/*
 * Seals payload (len bytes, at most BUNDLE_PAYLOAD_MAX) from sender to recipient at time
 * now (the bundle's created-at). Refuses a recipient certificate that is a root, whose
 * self-signature fails, or that is not valid at now, and a sender whose own certificate is
 * not valid at now. *ret_bundle is malloc'd (free() or bundle_buffer_free()); ret_info
 * (optional) describes the bundle, e.g. its id for the audit log.
 */
int bundle_seal(const struct bundle_identity *sender, const struct bundle_cert *recipient,
                const void *payload, size_t len, int64_t now, void **ret_bundle,
                size_t *ret_bundle_len, struct bundle_info *ret_info, struct bundle_error *err);

/*
 * Reads a bundle's header without any cryptography: for naming the recipient and sender
 * in a refusal, and for an early replay check. Checks the magic, the version and the
 * header's structure only; data may be just the header (bundle_len says how long the
 * whole bundle should be).
 */
int bundle_peek(const void *data, size_t len, struct bundle_info *ret_info,
                struct bundle_error *err);

/*
 * A bundle's header, as read without any cryptography. From bundle_head_read() every field
 * is what the bytes say (a claim until a bundle is opened); the daemon, which parses no
 * outside bytes itself, builds one from the canonical fields its keyless child read (the
 * certificate parsed again from the child's canonical JSON) and hands it to
 * bundle_open_head(), which checks each claim against the bytes before using it.
 */
struct bundle_head {
	unsigned version; /* the format version */
	size_t cert_len; /* bytes of the sender's certificate in the header */
	size_t header_len; /* the fixed 144 bytes and the certificate: the ciphertext starts here */
	uint8_t id[BUNDLE_ID_LEN];
	int64_t created_at;
	uint64_t payload_len;
	uint64_t bundle_len; /* header_len + payload_len + 144 */
	uint8_t sender_fp[BUNDLE_FINGERPRINT_LEN];
	uint8_t recipient_fp[BUNDLE_FINGERPRINT_LEN];
	char recipient_code[BUNDLE_CODE_MAX];
	uint8_t ephemeral[32]; /* the X25519 public key the sender made for this bundle */
	struct bundle_cert *sender; /* owned; its fingerprint is sender_fp */
};

/* Bytes a header can take at most: reading this many from a file's start reads it. */
#define BUNDLE_HEAD_MAX (144 + 4096)

/*
 * Parses a header: the magic, the version, the fixed fields and the sender's certificate
 * (which must be the one the header names); data may be the header alone. The same
 * refusals as bundle_peek(). Free with bundle_head_clear().
 */
int bundle_head_read(const void *data, size_t len, struct bundle_head *ret_head,
                     struct bundle_error *err);
void bundle_head_clear(struct bundle_head *head);
/* What a header says, as bundle_peek() gives it (not authenticated). */
void bundle_head_info(const struct bundle_head *head, struct bundle_info *ret_info);

/*
 * bundle_open() for a header already read (by bundle_head_read(), or as its canonical
 * fields with the certificate parsed from its canonical form): parses nothing. First the
 * claims themselves must be a header a bundle can have (-EINVAL: the caller's mistake, or a
 * lying reader), and then the bytes must say the same, field by field at their fixed
 * places, the sender's fingerprint included (-ESTALE: these are not the bytes the header
 * was read from; the file changed, or the reader lied). The certificate's own bytes in the
 * header are not read again: the sender's signature covers them. Then every check of
 * bundle_open(), in its order, with its codes.
 */
int bundle_open_head(const struct bundle_identity *recipient,
                     const struct bundle_cert *const *trusted, size_t n_trusted,
                     const struct bundle_head *head, const void *data, size_t len, int64_t now,
                     void **ret_payload, size_t *ret_payload_len, struct bundle_info *ret_info,
                     struct bundle_error *err);

/*
 * Opens a bundle sealed to recipient, checking, in this order and stopping at the first
 * failure: the header; the length; that it is for this recipient's certificate; that the
 * sender is trusted (bundle_cert_check_trust) and valid at now; the sender's signature
 * over header and ciphertext; decryption (AEAD tag); the sender's signature over the
 * plaintext. Everything that can refuse a bundle cheaply comes before the work that grows
 * with its size. On success *ret_payload is malloc'd (free it with bundle_buffer_free(),
 * which wipes it) and ret_info (optional) holds the authenticated header. On failure
 * nothing is returned and any plaintext has been wiped.
 */
int bundle_open(const struct bundle_identity *recipient, const struct bundle_cert *const *trusted,
                size_t n_trusted, const void *data, size_t len, int64_t now, void **ret_payload,
                size_t *ret_payload_len, struct bundle_info *ret_info, struct bundle_error *err);

/* Wipes len bytes of buf and frees it; accepts NULL. */
void bundle_buffer_free(void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
