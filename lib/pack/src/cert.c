/*
 * cert.c: provider certificates. The content root certifies a provider's Ed25519 key, id
 * and name for a validity period. The file is JSON, but what the root signs is a fixed
 * rendering of the fields, one "name=value" line each after a version line, with values
 * that cannot contain a newline; so the signed bytes are canonical without canonical JSON.
 * Parsing is strict: exactly the known fields, each in its one valid spelling.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pack_int.h"

#define CERT_FORMAT "onward-provider-cert-1"
#define CERT_ID_MAX 64
#define CERT_NAME_MAX 100
#define CERT_TBS_MAX 512

struct pack_cert {
	char *provider_id; /* owned */
	char *provider_name; /* owned */
	struct pack_key *key; /* owned; public only */
	int64_t not_before;
	int64_t not_after;
	char issuer_key_id[PACK_KEY_ID_MAX];
	uint8_t sig[PACK_SIG_LEN];
};

void
pack_cert_free(struct pack_cert *cert)
{
	if (!cert)
		return;
	free(cert->provider_id);
	free(cert->provider_name);
	pack_key_free(cert->key);
	free(cert);
}

/* The signed bytes ("to be signed"); the fields are checked before this is called. */
static int
bundle__cert_tbs(const struct pack_cert *cert, char out[CERT_TBS_MAX], size_t *ret_len)
{
	uint8_t raw[PACK_RAW_KEY_LEN];
	char key64[48], nb[PACK_TIME_MAX], na[PACK_TIME_MAX];
	int n;

	pack__key_raw_public(cert->key, raw);
	crypto_base64_encode(raw, sizeof(raw), key64);
	if (pack_time_format(cert->not_before, nb) < 0 || pack_time_format(cert->not_after, na) < 0)
		return -EBADMSG;
	n = snprintf(out, CERT_TBS_MAX,
	             "onward-provider-cert-v1\nprovider_id=%s\nprovider_name=%s\nprovider_key=%s\n"
	             "not_before=%s\nnot_after=%s\nissuer_key_id=%s\n",
	             cert->provider_id, cert->provider_name, key64, nb, na, cert->issuer_key_id);
	if (n < 0 || n >= CERT_TBS_MAX)
		return -EBADMSG;
	*ret_len = (size_t)n;
	return 0;
}

static int
cert_check_fields(const char *id, const char *name, int64_t not_before, int64_t not_after,
                  struct pack_error *err)
{
	char t[PACK_TIME_MAX], buf[PACK_TEXT_PROBLEM_MAX];
	const char *problem;

	if (!pack__id_ok(id, CERT_ID_MAX))
		return pack__err(
		        err, -EINVAL,
		        "provider id must be 1-64 of a-z, 0-9, '.' and '-', starting with a "
		        "letter or digit");
	problem = pack__text_problem(name, CERT_NAME_MAX, buf);
	if (problem)
		return pack__err(err, -EINVAL, "the provider name %s", problem);
	if (pack_time_format(not_before, t) < 0 || pack_time_format(not_after, t) < 0)
		return pack__err(err, -EINVAL, "certificate dates must be between 1970 and 9999");
	if (not_after <= not_before)
		return pack__err(err, -EINVAL,
		                 "certificate not-after must be later than not-before");
	return 0;
}

int
pack_cert_issue(const struct pack_key *root, const struct pack_key *provider,
                const char *provider_id, const char *provider_name, int64_t not_before,
                int64_t not_after, struct pack_cert **ret_cert, struct pack_error *err)
{
	struct pack_cert *cert;
	uint8_t raw[PACK_RAW_KEY_LEN];
	char tbs[CERT_TBS_MAX];
	size_t len;
	int r;

	if (!pack_key_has_private(root))
		return pack__err(err, -EINVAL, "certifying needs the root's private key");
	r = cert_check_fields(provider_id, provider_name, not_before, not_after, err);
	if (r < 0)
		return r;
	cert = calloc(1, sizeof(*cert));
	if (!cert)
		return pack__err(err, -ENOMEM, "out of memory");
	cert->provider_id = strdup(provider_id);
	cert->provider_name = strdup(provider_name);
	if (!cert->provider_id || !cert->provider_name) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	pack__key_raw_public(provider, raw);
	r = pack_key_from_raw_public(raw, &cert->key, err);
	if (r < 0)
		goto fail;
	cert->not_before = not_before;
	cert->not_after = not_after;
	pack_key_id(root, cert->issuer_key_id);
	r = bundle__cert_tbs(cert, tbs, &len);
	if (r < 0) {
		r = pack__err(err, -EINVAL, "certificate fields are too long");
		goto fail;
	}
	r = pack__key_sign(root, tbs, len, cert->sig, err);
	if (r < 0)
		goto fail;
	*ret_cert = cert;
	return 0;
fail:
	pack_cert_free(cert);
	return r;
}

static const char *
json_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int
pack_cert_parse(const void *data, size_t len, struct pack_cert **ret_cert, struct pack_error *err)
{
	static const char *const fields[] = {"format",        "provider_id", "provider_name",
	                                     "provider_key",  "not_before",  "not_after",
	                                     "issuer_key_id", "signature"};
	const size_t nfields = sizeof(fields) / sizeof(fields[0]);
	struct pack_cert *cert = NULL;
	uint8_t raw[PACK_RAW_KEY_LEN];
	json_error_t jerr;
	json_t *root;
	int r = -EBADMSG;

	if (len > PACK_CERT_MAX_BYTES)
		return pack__err(err, -EFBIG, "certificate is %zu bytes, over the %d-byte limit",
		                 len, PACK_CERT_MAX_BYTES);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return pack__err(err, -EBADMSG, "certificate is not valid JSON (line %d: %s)",
		                 jerr.line, jerr.text);
	if (!json_is_object(root) || json_object_size(root) != nfields) {
		pack__err(err, r,
		          "certificate must be a JSON object with exactly the %zu known fields",
		          nfields);
		goto fail;
	}
	for (size_t i = 0; i < nfields; i++) {
		if (!json_str(root, fields[i])) {
			pack__err(err, r, "certificate: field %s is missing or not a string",
			          fields[i]);
			goto fail;
		}
	}
	if (strcmp(json_str(root, "format"), CERT_FORMAT) != 0) {
		pack__err(err, r, "certificate: format is not %s", CERT_FORMAT);
		goto fail;
	}
	cert = calloc(1, sizeof(*cert));
	if (!cert) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	if (pack_time_parse(json_str(root, "not_before"), false, &cert->not_before) < 0 ||
	    strlen(json_str(root, "not_before")) != PACK_TIME_MAX - 1 ||
	    pack_time_parse(json_str(root, "not_after"), false, &cert->not_after) < 0 ||
	    strlen(json_str(root, "not_after")) != PACK_TIME_MAX - 1) {
		pack__err(err, r, "certificate: dates must be YYYY-MM-DDTHH:MM:SSZ");
		goto fail;
	}
	if (cert_check_fields(json_str(root, "provider_id"), json_str(root, "provider_name"),
	                      cert->not_before, cert->not_after, err) < 0) {
		pack__err_prefix(err, r, "certificate");
		goto fail;
	}
	if (crypto_base64_decode(json_str(root, "provider_key"), raw, sizeof(raw)) < 0 ||
	    pack_key_from_raw_public(raw, &cert->key, NULL) < 0) {
		pack__err(err, r, "certificate: provider_key is not a base64 Ed25519 public key");
		goto fail;
	}
	if (strlen(json_str(root, "issuer_key_id")) != PACK_KEY_ID_MAX - 1 ||
	    crypto_hex_decode(json_str(root, "issuer_key_id"), raw, (PACK_KEY_ID_MAX - 1) / 2) <
	            0) {
		pack__err(err, r, "certificate: issuer_key_id is not %d hex digits",
		          PACK_KEY_ID_MAX - 1);
		goto fail;
	}
	memcpy(cert->issuer_key_id, json_str(root, "issuer_key_id"), PACK_KEY_ID_MAX);
	if (crypto_base64_decode(json_str(root, "signature"), cert->sig, sizeof(cert->sig)) < 0) {
		pack__err(err, r, "certificate: signature is not a base64 Ed25519 signature");
		goto fail;
	}
	cert->provider_id = strdup(json_str(root, "provider_id"));
	cert->provider_name = strdup(json_str(root, "provider_name"));
	if (!cert->provider_id || !cert->provider_name) {
		r = pack__err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	json_decref(root);
	*ret_cert = cert;
	return 0;
fail:
	pack_cert_free(cert);
	json_decref(root);
	return r;
}

int
pack_cert_load(const char *path, struct pack_cert **ret_cert, struct pack_error *err)
{
	void *data;
	size_t len;
	int r = pack__file_read(path, PACK_CERT_MAX_BYTES, &data, &len, err);

	if (r < 0)
		return r;
	r = pack_cert_parse(data, len, ret_cert, err);
	free(data);
	if (r < 0)
		return pack__err_prefix(err, r, path);
	return 0;
}

int
pack__cert_to_json(const struct pack_cert *cert, char **ret_json, size_t *ret_len,
                   struct pack_error *err)
{
	uint8_t raw[PACK_RAW_KEY_LEN];
	char key64[48], sig64[96], nb[PACK_TIME_MAX], na[PACK_TIME_MAX];
	json_t *obj;
	char *text;

	pack__key_raw_public(cert->key, raw);
	crypto_base64_encode(raw, sizeof(raw), key64);
	crypto_base64_encode(cert->sig, sizeof(cert->sig), sig64);
	pack_time_format(cert->not_before, nb);
	pack_time_format(cert->not_after, na);
	obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "format", CERT_FORMAT,
	                "provider_id", cert->provider_id, "provider_name", cert->provider_name,
	                "provider_key", key64, "not_before", nb, "not_after", na, "issuer_key_id",
	                cert->issuer_key_id, "signature", sig64);
	if (!obj)
		return pack__err(err, -ENOMEM, "out of memory");
	text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!text)
		return pack__err(err, -ENOMEM, "out of memory");
	*ret_len = strlen(text);
	*ret_json = text;
	return 0;
}

int
pack_cert_save(const struct pack_cert *cert, const char *path, struct pack_error *err)
{
	char *json;
	size_t len;
	int r = pack__cert_to_json(cert, &json, &len, err);

	if (r < 0)
		return r;
	json[len] = '\n'; /* replaces the NUL: the file is written by length */
	r = pack__file_write_atomic(path, json, len + 1, 0644, err);
	free(json);
	return r;
}

/* Shows a boundary as a bare date when it falls on a day's edge, as the CLI takes it. */
static void
cert_show_time(int64_t t, char out[PACK_TIME_MAX])
{
	pack_time_format(t, out);
	if (strcmp(out + 10, "T00:00:00Z") == 0 || strcmp(out + 10, "T23:59:59Z") == 0)
		out[10] = '\0';
}

int
pack_cert_verify(const struct pack_cert *cert, const struct pack_key *root, int64_t at,
                 struct pack_error *err)
{
	char root_id[PACK_KEY_ID_MAX], tbs[CERT_TBS_MAX], when[PACK_TIME_MAX];
	size_t len;

	pack_key_id(root, root_id);
	if (strcmp(root_id, cert->issuer_key_id) != 0)
		return pack__err(
		        err, -EKEYREJECTED,
		        "certificate was issued by root key %s, not by the trusted root %s",
		        cert->issuer_key_id, root_id);
	if (bundle__cert_tbs(cert, tbs, &len) < 0 ||
	    !pack__key_verify_sig(root, tbs, len, cert->sig))
		return pack__err(err, -EKEYREJECTED,
		                 "certificate signature does not verify with the trust root");
	if (at < cert->not_before) {
		cert_show_time(cert->not_before, when);
		return pack__err(err, -EKEYEXPIRED, "certificate is not valid until %s", when);
	}
	if (at > cert->not_after) {
		cert_show_time(cert->not_after, when);
		return pack__err(err, -EKEYEXPIRED, "certificate expired on %s", when);
	}
	return 0;
}

const char *
pack_cert_provider_id(const struct pack_cert *cert)
{
	return cert->provider_id;
}

const char *
pack_cert_provider_name(const struct pack_cert *cert)
{
	return cert->provider_name;
}

const char *
pack_cert_issuer_key_id(const struct pack_cert *cert)
{
	return cert->issuer_key_id;
}

int64_t
pack_cert_not_before(const struct pack_cert *cert)
{
	return cert->not_before;
}

int64_t
pack_cert_not_after(const struct pack_cert *cert)
{
	return cert->not_after;
}

const struct pack_key *
pack__cert_key(const struct pack_cert *cert)
{
	return cert->key;
}
