/*
 * The estate's HTTPS client on libcurl (see https.h). Each call is one easy handle, set up
 * the same strict way: https only, no redirects, TLS 1.3 only, the given CA alone (the
 * system's list and folder switched off), a bounded reply read into memory. libcurl's
 * results become ours in one place (curl_error) so every program shows the same words.
 */
#include "https.h"

#include "pki.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/x509.h>

#define URL_MAX 512

struct body {
	char *data; /* owned; NUL-terminated */
	size_t len;
	size_t max;
	bool too_large;
};

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct body *b = userdata;
	size_t n = size * nmemb;
	char *grown;

	if (n > b->max - b->len) {
		b->too_large = true;
		return 0; /* libcurl stops the transfer */
	}
	grown = realloc(b->data, b->len + n + 1);
	if (!grown)
		return 0;
	memcpy(grown + b->len, ptr, n);
	b->data = grown;
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* "https://host[:port]" with no path, query or spaces; copied without a trailing '/'. */
static int
base_url(const char *url, char *ret, size_t size)
{
	size_t n = url ? strlen(url) : 0;

	if (n < 9 || n >= size || n > URL_MAX || strncmp(url, "https://", 8) != 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)url[i]) || strchr("?#\\\"<>", url[i]) ||
		    (url[i] == '/' && i >= 8 && i != n - 1))
			return -EINVAL;
	memcpy(ret, url, n + 1);
	if (ret[n - 1] == '/')
		ret[n - 1] = '\0';
	return 0;
}

/* "onward.Interface.Method": letters, digits and dots only, so it is safe in a path. */
static bool
method_valid(const char *m)
{
	size_t n = strlen(m);

	if (n < 8 || n > 128 || strncmp(m, "onward.", 7) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)m[i]) && m[i] != '.')
			return false;
	return true;
}

/* A bearer token's characters (RFC 6750), so it cannot end the header line. */
static bool
token_valid(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > 256)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && !strchr("-._~+/=", t[i]))
			return false;
	return true;
}

/* The options every request shares: https only, TLS 1.3, no redirects, a time limit. */
static int
setup(CURL *h, const char *url, long timeout_ms, struct body *b, char *curl_err)
{
	CURLcode c = CURLE_OK;

	c = c ?: curl_easy_setopt(h, CURLOPT_URL, url);
	c = c ?: curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	c = c ?: curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	c = c ?: curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_3);
	c = c ?: curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	c = c
	            ?: curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
	                                timeout_ms ? timeout_ms : HTTPS_TIMEOUT_MS);
	c = c ?: curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)b->max);
	c = c ?: curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	c = c ?: curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	c = c ?: curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	/* Only the CA we are given: never the system's bundle or folder. */
	c = c ?: curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	return c == CURLE_OK ? 0 : -EINVAL;
}

/* libcurl's result as one of ours, with the plain words of https.h. */
static int
curl_error(CURLcode c, const char *curl_err, const char *base, const struct body *b, char *err,
           size_t size)
{
	switch (c) {
	case CURLE_PEER_FAILED_VERIFICATION:
		snprintf(err, size, "the server's certificate is not trusted");
		return -EACCES;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		snprintf(err, size, "the reply was not understood%s",
		         b->too_large || c == CURLE_FILESIZE_EXCEEDED ? " (it is too large)" : "");
		return -EBADMSG;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		snprintf(err, size, "the certificate files given cannot be used: %s",
		         curl_err[0] ? curl_err : curl_easy_strerror(c));
		return -EINVAL;
	default:
		snprintf(err, size, "cannot reach the server at %s: %s", base,
		         curl_err[0] ? curl_err : curl_easy_strerror(c));
		return -EHOSTUNREACH;
	}
}

/* The trust and identity options of a call: the CA, a client certificate, a token. */
static int
set_identity(CURL *h, const struct https_target *t, struct curl_slist **headers)
{
	/* libcurl copies the blob (CURL_BLOB_COPY) and never writes to it. */
	struct curl_blob ca = {.data = (void *)(uintptr_t)t->ca_pem, .flags = CURL_BLOB_COPY};
	CURLcode c = CURLE_OK;
	char auth[300];

	if (t->ca_file) {
		c = curl_easy_setopt(h, CURLOPT_CAINFO, t->ca_file);
	} else if (t->ca_pem) {
		ca.len = strlen(t->ca_pem);
		c = curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca);
	} else {
		return -EINVAL; /* never the system's list: an establishment has its own CA */
	}
	if (c == CURLE_OK && t->cert_file && t->key_file) {
		c = curl_easy_setopt(h, CURLOPT_SSLCERT, t->cert_file);
		c = c ?: curl_easy_setopt(h, CURLOPT_SSLKEY, t->key_file);
	}
	if (c == CURLE_OK && t->bearer) {
		if (!token_valid(t->bearer))
			return -EINVAL;
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", t->bearer);
		*headers = curl_slist_append(*headers, auth);
	}
	return c == CURLE_OK ? 0 : -EINVAL;
}

/* The reply body as the daemon's reply: an object with a "parameters" object. */
static int
parse_reply(const struct body *b, long status, json_t **ret, char *err, size_t size)
{
	json_t *reply = b->data ? json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, NULL) : NULL;

	if (!json_is_object(reply) || !json_is_object(json_object_get(reply, "parameters")) ||
	    (json_object_get(reply, "error") && !json_is_string(json_object_get(reply, "error")))) {
		json_decref(reply);
		if (status != 200)
			snprintf(err, size, "the reply was not understood (HTTP %ld)", status);
		else
			snprintf(err, size, "the reply was not understood");
		return -EBADMSG;
	}
	*ret = reply;
	return 0;
}

int
https_call(const struct https_target *t, const char *method, json_t *params, json_t **ret_reply,
           char *err, size_t err_size)
{
	char base[URL_MAX + 1], url[URL_MAX + 160], curl_err[CURL_ERROR_SIZE] = "";
	struct body b = {.max = HTTPS_REPLY_MAX};
	struct curl_slist *headers = NULL;
	char *text = NULL;
	long status = 0;
	CURL *h = NULL;
	int r;

	if (base_url(t->url, base, sizeof(base)) < 0 || !method_valid(method)) {
		snprintf(err, err_size, "the server address must be like https://host:port");
		return -EINVAL;
	}
	snprintf(url, sizeof(url), "%s/api/v1/%s", base, method);
	text = params ? json_dumps(params, JSON_COMPACT) : strdup("{}");
	h = curl_easy_init();
	r = text && h ? 0 : -ENOMEM;
	if (r == 0 && strlen(text) > HTTPS_BODY_MAX) {
		snprintf(err, err_size, "the call is too large to send");
		r = -EMSGSIZE;
	}
	headers = curl_slist_append(headers, "Content-Type: application/json");
	headers = curl_slist_append(headers, "Expect:");
	r = r ?: setup(h, url, t->timeout_ms, &b, curl_err);
	r = r ?: set_identity(h, t, &headers);
	if (r == 0 && (curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers) != CURLE_OK ||
	               curl_easy_setopt(h, CURLOPT_POSTFIELDS, text) != CURLE_OK))
		r = -EINVAL;
	if (r == -EINVAL || r == -ENOMEM)
		snprintf(err, err_size, "%s",
		         r == -ENOMEM ? "out of memory" : "a bad HTTPS setting");
	if (r == 0) {
		CURLcode c = curl_easy_perform(h);

		if (c != CURLE_OK)
			r = curl_error(c, curl_err, base, &b, err, err_size);
	}
	if (r == 0) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		r = parse_reply(&b, status, ret_reply, err, err_size);
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	free(text);
	free(b.data);
	return r;
}

/* Whether two hex pins are the same, whatever the case of the one typed. */
static bool
pin_matches(const char *typed, const char *pin)
{
	if (strlen(typed) != PKI_PIN_HEX_LEN)
		return false;
	for (size_t i = 0; i < PKI_PIN_HEX_LEN; i++)
		if (tolower((unsigned char)typed[i]) != pin[i])
			return false;
	return true;
}

int
https_fetch_ca(const char *url, const char *pin_hex, long timeout_ms, char **ret_pem, char *err,
               size_t err_size)
{
	char base[URL_MAX + 1], full[URL_MAX + 16], curl_err[CURL_ERROR_SIZE] = "";
	char pin[PKI_PIN_HEX_LEN + 1];
	struct body b = {.max = PKI_FILE_MAX};
	X509 *cert = NULL;
	CURL *h;
	int r;

	if (base_url(url, base, sizeof(base)) < 0) {
		snprintf(err, err_size, "the server address must be like https://host:port");
		return -EINVAL;
	}
	snprintf(full, sizeof(full), "%s/ca.pem", base);
	h = curl_easy_init();
	r = h ? setup(h, full, timeout_ms, &b, curl_err) : -ENOMEM;
	/* Unverified on purpose, and only here: the pin below is what makes it trusted. */
	if (r == 0 && (curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L) != CURLE_OK ||
	               curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L) != CURLE_OK))
		r = -EINVAL;
	if (r < 0) {
		snprintf(err, err_size, "%s",
		         r == -ENOMEM ? "out of memory" : "a bad HTTPS setting");
	} else {
		CURLcode c = curl_easy_perform(h);

		if (c != CURLE_OK)
			r = curl_error(c, curl_err, base, &b, err, err_size);
	}
	curl_easy_cleanup(h);
	if (r == 0 && (!b.data || pki_cert_from_pem(b.data, b.len, &cert) < 0 ||
	               pki_cert_pin_x509(cert, pin) < 0)) {
		snprintf(err, err_size, "the reply was not understood (no CA certificate)");
		r = -EBADMSG;
	}
	if (r == 0 && !pin_matches(pin_hex, pin)) {
		snprintf(err, err_size,
		         "the server's CA certificate does not match the pin given with the code "
		         "(it has %s)",
		         pin);
		r = -EKEYREJECTED;
	}
	r = r ?: pki_cert_pem(cert, ret_pem);
	X509_free(cert);
	free(b.data);
	return r;
}
