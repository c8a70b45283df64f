/*
 * cert.c: establishment certificates. A certificate file is strict JSON: exactly the
 * fields below, each once, each of the right type and spelling (lower-case hex, canonical
 * times), nothing else. What is signed is not the JSON but a fixed rendering of the fields,
 * one "name=value" line each after "onward-cert-v1" (bundle__cert_tbs), so no JSON
 * canonicalization is needed and a certificate reads the same however its file is laid
 * out. The fingerprint is the SHA-256 of those signed bytes. Trust (pinned, or issued by a
 * trusted root) is decided in bundle_cert_check_trust().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bundle_int.h"
#include "validate.h"

#define CERT_FORMAT 1
#define CERT_TBS_MAGIC "onward-cert-v1\n"

static const char *const cert_fields[] = {"onward_cert", "serial",   "code",        "name",
                                          "kind",        "sign_key", "encrypt_key", "not_before",
                                          "not_after",   "issuer",   "signature"};

bool
bundle__cert_valid_fields(const struct bundle_cert *cert)
{
	uint8_t serial[16];

	return crypto_hex_decode(cert->serial, serial, sizeof(serial)) == 0 &&
	       validate_establishment_code(cert->code) && bundle__name_valid(cert->name) &&
	       bundle_kind_name(cert->kind) != NULL && cert->not_before >= 0 &&
	       cert->not_before <= cert->not_after && cert->not_after <= BUNDLE_TIME_LIMIT;
}

int
bundle__cert_tbs(const struct bundle_cert *cert, char **ret_tbs, size_t *ret_len)
{
	char sign_hex[2 * KEY_LEN + 1], enc_hex[2 * KEY_LEN + 1], nb[BUNDLE_TIME_MAX],
	        na[BUNDLE_TIME_MAX], enc_line[2 * KEY_LEN + 16] = "";
	char *tbs = NULL;
	size_t size = 0;
	FILE *f;

	if (!bundle__cert_valid_fields(cert) || bundle_time_format(cert->not_before, nb) < 0 ||
	    bundle_time_format(cert->not_after, na) < 0)
		return -EINVAL;
	crypto_hex_encode(cert->sign_key, KEY_LEN, sign_hex);
	if (cert->kind != BUNDLE_KIND_ROOT) {
		crypto_hex_encode(cert->encrypt_key, KEY_LEN, enc_hex);
		snprintf(enc_line, sizeof(enc_line), "encrypt_key=%s\n", enc_hex);
	}
	f = open_memstream(&tbs, &size);
	if (!f)
		return -ENOMEM;
	fprintf(f,
	        CERT_TBS_MAGIC "serial=%s\ncode=%s\nname=%s\nkind=%s\nsign_key=%s\n%s"
	                       "not_before=%s\nnot_after=%s\nissuer=%s\n",
	        cert->serial, cert->code, cert->name, bundle_kind_name(cert->kind), sign_hex,
	        enc_line, nb, na, cert->self_signed ? "self" : cert->issuer_hex);
	if (fclose(f) != 0) {
		free(tbs);
		return -ENOMEM;
	}
	*ret_tbs = tbs;
	*ret_len = size;
	return 0;
}

static int
cert_compute_fingerprint(struct bundle_cert *cert)
{
	char *tbs;
	size_t len;
	int r = bundle__cert_tbs(cert, &tbs, &len);

	if (r < 0)
		return r;
	r = crypto_sha256(tbs, len, cert->fingerprint);
	free(tbs);
	if (r == 0)
		crypto_hex_encode(cert->fingerprint, SHA256_LEN, cert->fingerprint_hex);
	return r;
}

int
bundle__cert_sign(struct bundle_cert *cert, const struct ed25519_key *key, struct bundle_error *err)
{
	char *tbs;
	size_t len;
	int r;

	if (!cert->self_signed)
		crypto_hex_encode(cert->issuer, SHA256_LEN, cert->issuer_hex);
	else
		cert->issuer_hex[0] = '\0';
	r = bundle__cert_tbs(cert, &tbs, &len);
	if (r < 0)
		return bundle__fail(err, r, "cannot render the certificate: a field is invalid");
	r = ed25519_sign(key, tbs, len, cert->signature);
	if (r == 0)
		r = crypto_sha256(tbs, len, cert->fingerprint);
	free(tbs);
	if (r < 0)
		return bundle__fail(err, r, "cannot sign the certificate");
	crypto_hex_encode(cert->fingerprint, SHA256_LEN, cert->fingerprint_hex);
	return 0;
}

/* A string field that must be present; NULL (and err filled) otherwise. */
static const char *
field_string(json_t *obj, const char *name, struct bundle_error *err)
{
	json_t *v = json_object_get(obj, name);

	if (!v) {
		bundle__fail(err, -EBADMSG, "certificate: missing field \"%s\"", name);
		return NULL;
	}
	if (!json_is_string(v)) {
		bundle__fail(err, -EBADMSG, "certificate: \"%s\" is not a string", name);
		return NULL;
	}
	return json_string_value(v);
}

static int
field_hex(json_t *obj, const char *name, void *ret_out, size_t len, struct bundle_error *err)
{
	const char *s = field_string(obj, name, err);

	if (!s)
		return -EBADMSG;
	if (crypto_hex_decode(s, ret_out, len) < 0)
		return bundle__fail(err, -EBADMSG,
		                    "certificate: \"%s\" is not %zu lower-case hex digits", name,
		                    2 * len);
	return 0;
}

static int
field_time(json_t *obj, const char *name, int64_t *ret_time, struct bundle_error *err)
{
	const char *s = field_string(obj, name, err);

	if (!s)
		return -EBADMSG;
	if (bundle_time_parse(s, ret_time) < 0)
		return bundle__fail(err, -EBADMSG,
		                    "certificate: \"%s\" is not a time YYYY-MM-DDTHH:MM:SSZ", name);
	return 0;
}

static int
cert_from_json(json_t *obj, struct bundle_cert *cert, struct bundle_error *err)
{
	uint8_t serial[16];
	const char *key, *s;
	json_t *v;
	int r;

	if (!json_is_object(obj))
		return bundle__fail(err, -EBADMSG, "certificate: not a JSON object");
	json_object_foreach(obj, key, v)
	{
		bool known = false;

		for (size_t i = 0; i < sizeof(cert_fields) / sizeof(cert_fields[0]); i++)
			known = known || strcmp(key, cert_fields[i]) == 0;
		if (!known)
			return bundle__fail(err, -EBADMSG, "certificate: unknown field \"%.40s\"",
			                    key);
	}
	v = json_object_get(obj, "onward_cert");
	if (!json_is_integer(v) || json_integer_value(v) != CERT_FORMAT)
		return bundle__fail(err, -EBADMSG,
		                    "not an Onward certificate (\"onward_cert\": %d expected)",
		                    CERT_FORMAT);
	/* The serial is kept as its text; it must decode to 16 bytes. */
	if ((r = field_hex(obj, "serial", serial, sizeof(serial), err)) < 0)
		return r;
	crypto_hex_encode(serial, sizeof(serial), cert->serial);
	s = field_string(obj, "code", err);
	if (!s)
		return -EBADMSG;
	if (!validate_establishment_code(s))
		return bundle__fail(err, -EBADMSG,
		                    "certificate: \"code\" is not three upper-case letters");
	memcpy(cert->code, s, BUNDLE_CODE_MAX);
	s = field_string(obj, "name", err);
	if (!s)
		return -EBADMSG;
	if (!bundle__name_valid(s))
		return bundle__fail(err, -EBADMSG,
		                    "certificate: \"name\" must be 1 to %d bytes of text without "
		                    "control characters or spaces at either end",
		                    BUNDLE_NAME_MAX);
	memcpy(cert->name, s, strlen(s) + 1);
	s = field_string(obj, "kind", err);
	if (!s)
		return -EBADMSG;
	if (bundle_kind_parse(s, &cert->kind) < 0)
		return bundle__fail(err, -EBADMSG,
		                    "certificate: \"kind\" is not prison, probation or root");
	if ((r = field_hex(obj, "sign_key", cert->sign_key, KEY_LEN, err)) < 0)
		return r;
	if (cert->kind == BUNDLE_KIND_ROOT) {
		if (json_object_get(obj, "encrypt_key"))
			return bundle__fail(err, -EBADMSG,
			                    "certificate: a root has no \"encrypt_key\"");
	} else if ((r = field_hex(obj, "encrypt_key", cert->encrypt_key, KEY_LEN, err)) < 0) {
		return r;
	}
	if ((r = field_time(obj, "not_before", &cert->not_before, err)) < 0 ||
	    (r = field_time(obj, "not_after", &cert->not_after, err)) < 0)
		return r;
	if (cert->not_before > cert->not_after)
		return bundle__fail(err, -EBADMSG,
		                    "certificate: \"not_after\" is before \"not_before\"");
	s = field_string(obj, "issuer", err);
	if (!s)
		return -EBADMSG;
	cert->self_signed = strcmp(s, "self") == 0;
	if (!cert->self_signed) {
		if (crypto_hex_decode(s, cert->issuer, SHA256_LEN) < 0)
			return bundle__fail(err, -EBADMSG,
			                    "certificate: \"issuer\" is neither \"self\" nor 64 "
			                    "lower-case hex digits");
		memcpy(cert->issuer_hex, s, sizeof(cert->issuer_hex));
	}
	if (!cert->self_signed && cert->kind == BUNDLE_KIND_ROOT)
		return bundle__fail(err, -EBADMSG, "certificate: a root must be self-signed");
	if ((r = field_hex(obj, "signature", cert->signature, SIG_LEN, err)) < 0)
		return r;
	if (cert_compute_fingerprint(cert) < 0)
		return bundle__fail(err, -EBADMSG, "certificate: cannot compute its fingerprint");
	return 0;
}

int
bundle_cert_parse(const void *data, size_t len, struct bundle_cert **ret_cert,
                  struct bundle_error *err)
{
	struct bundle_cert *cert;
	json_error_t jerr;
	json_t *root;
	int r;

	if (!data || !ret_cert)
		return bundle__fail(err, -EINVAL, "certificate: no data");
	if (len > CERT_FILE_MAX)
		return bundle__fail(err, -EFBIG,
		                    "certificate: %zu bytes, more than the limit of %u", len,
		                    CERT_FILE_MAX);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return bundle__fail(err, -EBADMSG, "certificate: not valid JSON: %s (at byte %d)",
		                    jerr.text, jerr.position);
	cert = calloc(1, sizeof(*cert));
	if (!cert) {
		json_decref(root);
		return bundle__fail(err, -ENOMEM, "certificate: out of memory");
	}
	r = cert_from_json(root, cert, err);
	json_decref(root);
	if (r < 0) {
		free(cert);
		return r;
	}
	*ret_cert = cert;
	return 0;
}

int
bundle_cert_load(const char *path, struct bundle_cert **ret_cert, struct bundle_error *err)
{
	char *data;
	size_t len;
	int r;

	if (!path || !ret_cert)
		return bundle__fail(err, -EINVAL, "certificate: no path");
	r = bundle__file_read(path, CERT_FILE_MAX, false, &data, &len, err);
	if (r < 0)
		return r;
	r = bundle_cert_parse(data, len, ret_cert, err);
	free(data);
	if (r < 0)
		bundle__error_prefix(err, path);
	return r;
}

static json_t *
cert_to_json(const struct bundle_cert *cert)
{
	char sign_hex[2 * KEY_LEN + 1], enc_hex[2 * KEY_LEN + 1], sig_hex[2 * SIG_LEN + 1],
	        nb[BUNDLE_TIME_MAX], na[BUNDLE_TIME_MAX];
	json_t *obj;

	if (!bundle__cert_valid_fields(cert) || bundle_time_format(cert->not_before, nb) < 0 ||
	    bundle_time_format(cert->not_after, na) < 0)
		return NULL;
	crypto_hex_encode(cert->sign_key, KEY_LEN, sign_hex);
	crypto_hex_encode(cert->encrypt_key, KEY_LEN, enc_hex);
	crypto_hex_encode(cert->signature, SIG_LEN, sig_hex);
	obj = json_object();
	if (!obj)
		return NULL;
	/* Insertion order is kept by jansson: the file reads in the order of bundle__cert_tbs. */
	if (json_object_set_new(obj, "onward_cert", json_integer(CERT_FORMAT)) < 0 ||
	    json_object_set_new(obj, "serial", json_string(cert->serial)) < 0 ||
	    json_object_set_new(obj, "code", json_string(cert->code)) < 0 ||
	    json_object_set_new(obj, "name", json_string(cert->name)) < 0 ||
	    json_object_set_new(obj, "kind", json_string(bundle_kind_name(cert->kind))) < 0 ||
	    json_object_set_new(obj, "sign_key", json_string(sign_hex)) < 0 ||
	    (cert->kind != BUNDLE_KIND_ROOT &&
	     json_object_set_new(obj, "encrypt_key", json_string(enc_hex)) < 0) ||
	    json_object_set_new(obj, "not_before", json_string(nb)) < 0 ||
	    json_object_set_new(obj, "not_after", json_string(na)) < 0 ||
	    json_object_set_new(obj, "issuer",
	                        json_string(cert->self_signed ? "self" : cert->issuer_hex)) < 0 ||
	    json_object_set_new(obj, "signature", json_string(sig_hex)) < 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static int
cert_dump(const struct bundle_cert *cert, size_t flags, char **ret_json, size_t *ret_len)
{
	json_t *obj = cert_to_json(cert);
	char *text;

	if (!obj)
		return -ENOMEM;
	text = json_dumps(obj, flags);
	json_decref(obj);
	if (!text)
		return -ENOMEM;
	*ret_json = text;
	*ret_len = strlen(text);
	return 0;
}

int
bundle_cert_serialize(const struct bundle_cert *cert, char **ret_json, size_t *ret_len,
                      struct bundle_error *err)
{
	if (!cert || !ret_json || !ret_len)
		return bundle__fail(err, -EINVAL, "certificate: nothing to serialize");
	if (cert_dump(cert, JSON_COMPACT, ret_json, ret_len) < 0)
		return bundle__fail(err, -ENOMEM, "certificate: cannot serialize");
	return 0;
}

int
bundle_cert_save(const struct bundle_cert *cert, const char *path, struct bundle_error *err)
{
	char *text;
	size_t len;
	int r;

	if (!cert || !path)
		return bundle__fail(err, -EINVAL, "certificate: nothing to save");
	if (cert_dump(cert, JSON_INDENT(2), &text, &len) < 0)
		return bundle__fail(err, -ENOMEM, "certificate: cannot serialize");
	/* One more byte for a final newline, which json_dumps leaves out. */
	text[len] = '\n';
	r = bundle__file_write_new(path, text, len + 1, 0644, err);
	free(text);
	return r;
}

int
bundle__cert_check_time(const struct bundle_cert *cert, int64_t at, const char *whose,
                        struct bundle_error *err)
{
	char when[BUNDLE_TIME_MAX];

	if (at < cert->not_before) {
		bundle_time_format(cert->not_before, when);
		return bundle__fail_about(err, -EKEYEXPIRED, cert->code, cert->not_before,
		                          "%s is not valid until %s", whose, when);
	}
	if (at > cert->not_after) {
		bundle_time_format(cert->not_after, when);
		return bundle__fail_about(err, -EKEYEXPIRED, cert->code, cert->not_after,
		                          "%s expired on %s", whose, when);
	}
	return 0;
}

/* Checks cert's signature by signer (itself when self-signed). */
static int
cert_check_signature(const struct bundle_cert *cert, const struct bundle_cert *signer)
{
	char *tbs;
	size_t len;
	int r = bundle__cert_tbs(cert, &tbs, &len);

	if (r < 0)
		return r;
	r = ed25519_verify_raw(signer->sign_key, tbs, len, cert->signature);
	free(tbs);
	return r;
}

int
bundle_cert_verify(const struct bundle_cert *cert, const struct bundle_cert *issuer, int64_t at,
                   struct bundle_error *err)
{
	char whose[64];
	int r;

	if (!cert)
		return bundle__fail(err, -EINVAL, "no certificate to verify");
	if (!issuer && !cert->self_signed)
		return bundle__fail_about(err, -EKEYREJECTED, cert->code, 0,
		                          "the certificate of %s was issued by root %s; check it "
		                          "against that root",
		                          cert->code, cert->issuer_hex);
	if (issuer) {
		if (issuer->kind != BUNDLE_KIND_ROOT || cert->self_signed ||
		    memcmp(cert->issuer, issuer->fingerprint, SHA256_LEN) != 0)
			return bundle__fail_about(
			        err, -EKEYREJECTED, cert->code, 0,
			        "the certificate of %s was not issued by the root "
			        "%s",
			        cert->code, issuer->fingerprint_hex);
		r = cert_check_signature(issuer, issuer);
		if (r == -EKEYREJECTED)
			return bundle__fail_about(
			        err, r, issuer->code, 0,
			        "the root certificate %s: its self-signature does not "
			        "verify",
			        issuer->code);
		if (r < 0)
			return bundle__fail(err, r,
			                    "cannot check the root certificate's signature");
	}
	r = cert_check_signature(cert, issuer ? issuer : cert);
	if (r == -EKEYREJECTED)
		return bundle__fail_about(
		        err, r, cert->code, 0, "the certificate of %s: its %s does not verify",
		        cert->code, issuer ? "signature by the root" : "self-signature");
	if (r < 0)
		return bundle__fail(err, r, "cannot check the certificate's signature");
	if (issuer) {
		snprintf(whose, sizeof(whose), "the root certificate %s", issuer->code);
		if ((r = bundle__cert_check_time(issuer, at, whose, err)) < 0)
			return r;
	}
	snprintf(whose, sizeof(whose), "the certificate of %s", cert->code);
	return bundle__cert_check_time(cert, at, whose, err);
}

/* bundle_cert_check_trust(), with role ("the sender ") naming cert in its messages. */
int
bundle__cert_check_trust(const struct bundle_cert *cert, const struct bundle_cert *const *trusted,
                         size_t n_trusted, int64_t at, const char *role, struct bundle_error *err)
{
	const struct bundle_cert *root = NULL;
	char whose[96];
	int r;

	for (size_t i = 0; i < n_trusted; i++) {
		if (trusted[i] &&
		    memcmp(trusted[i]->fingerprint, cert->fingerprint, SHA256_LEN) == 0) {
			snprintf(whose, sizeof(whose), "%s%s's certificate", role, cert->code);
			return bundle__cert_check_time(cert, at, whose, err);
		}
	}
	for (size_t i = 0; !cert->self_signed && i < n_trusted && !root; i++) {
		if (trusted[i] && trusted[i]->kind == BUNDLE_KIND_ROOT &&
		    memcmp(trusted[i]->fingerprint, cert->issuer, SHA256_LEN) == 0)
			root = trusted[i];
	}
	if (!root) {
		/* Another certificate with this code is trusted: this one only claims the
		 * name. Say so, so that nobody is invited to trust it as well. */
		for (size_t i = 0; i < n_trusted; i++) {
			if (trusted[i] && trusted[i]->kind != BUNDLE_KIND_ROOT &&
			    strcmp(trusted[i]->code, cert->code) == 0)
				return bundle__fail_about(
				        err, -EKEYREJECTED, cert->code, 0,
				        "%sclaims to be %s, but its certificate (%.16s...) is not "
				        "the certificate of %s trusted here (%.16s...)",
				        role[0] ? role : "the certificate ", cert->code,
				        cert->fingerprint_hex, cert->code,
				        trusted[i]->fingerprint_hex);
		}
		return bundle__fail_about(err, -EKEYREJECTED, cert->code, 0,
		                          "%s%s (%s) is not trusted here (certificate %s%s)", role,
		                          cert->code, cert->name, cert->fingerprint_hex,
		                          cert->self_signed ? ", self-signed"
		                                            : ", from an unknown root");
	}
	r = cert_check_signature(cert, root);
	if (r == -EKEYREJECTED)
		return bundle__fail_about(
		        err, r, cert->code, 0,
		        "%s%s is not trusted here: its certificate's signature by "
		        "the root %s does not verify",
		        role, cert->code, root->code);
	if (r < 0)
		return bundle__fail(err, r, "cannot check a certificate's signature");
	snprintf(whose, sizeof(whose), "the root certificate %s", root->code);
	if ((r = bundle__cert_check_time(root, at, whose, err)) < 0)
		return r;
	snprintf(whose, sizeof(whose), "%s%s's certificate", role, cert->code);
	return bundle__cert_check_time(cert, at, whose, err);
}

int
bundle_cert_check_trust(const struct bundle_cert *cert, const struct bundle_cert *const *trusted,
                        size_t n_trusted, int64_t at, struct bundle_error *err)
{
	if (!cert || (!trusted && n_trusted > 0))
		return bundle__fail(err, -EINVAL, "no certificate to check");
	return bundle__cert_check_trust(cert, trusted, n_trusted, at, "", err);
}

const char *
bundle_cert_code(const struct bundle_cert *cert)
{
	return cert->code;
}

const char *
bundle_cert_name(const struct bundle_cert *cert)
{
	return cert->name;
}

enum bundle_kind
bundle_cert_kind(const struct bundle_cert *cert)
{
	return cert->kind;
}

const char *
bundle_cert_serial(const struct bundle_cert *cert)
{
	return cert->serial;
}

const char *
bundle_cert_fingerprint(const struct bundle_cert *cert)
{
	return cert->fingerprint_hex;
}

const char *
bundle_cert_issuer(const struct bundle_cert *cert)
{
	return cert->self_signed ? NULL : cert->issuer_hex;
}

int64_t
bundle_cert_not_before(const struct bundle_cert *cert)
{
	return cert->not_before;
}

int64_t
bundle_cert_not_after(const struct bundle_cert *cert)
{
	return cert->not_after;
}

void
bundle_cert_sign_key(const struct bundle_cert *cert, uint8_t ret_key[32])
{
	memcpy(ret_key, cert->sign_key, KEY_LEN);
}

bool
bundle_cert_encrypt_key(const struct bundle_cert *cert, uint8_t ret_key[32])
{
	if (cert->kind == BUNDLE_KIND_ROOT)
		return false;
	memcpy(ret_key, cert->encrypt_key, KEY_LEN);
	return true;
}

int
bundle_cert_dup(const struct bundle_cert *cert, struct bundle_cert **ret_cert)
{
	struct bundle_cert *copy;

	if (!cert || !ret_cert)
		return -EINVAL;
	copy = malloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, cert, sizeof(*copy));
	*ret_cert = copy;
	return 0;
}

void
bundle_cert_free(struct bundle_cert *cert)
{
	free(cert);
}
