/*
 * The estate tests' shared parts (see fixture.h).
 */
#include "fixture.h"

#include "check.h"
#include "pki.h"
#include "timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

void
estate_daemon_for_tls(struct test_daemon *d)
{
	char at[32];

	time_format_utc((int64_t)time(NULL), at, sizeof(at));
	daemon_make(d, "{\"scrypt_log_n\": 10, \"establishment\": \"MDI\"}");
	daemon_clock_set(d, at);
	daemon_start(d);
	daemon_seed(d);
}

EVP_PKEY *
estate_new_key(char *ret_point_b64)
{
	EVP_PKEY *key = NULL;

	CHECK_INT(pki_key_generate(&key), 0);
	CHECK_INT(pki_key_point_base64(key, ret_point_b64), 0);
	return key;
}

void
estate_code(struct test_daemon *d, char *ret_code, char *ret_pin)
{
	json_t *r = daemon_admin_ok(d, "onward.Device.EnrolmentCode", NULL);
	const char *code = json_string_value(json_object_get(r, "code"));
	const char *pin = json_string_value(json_object_get(r, "ca_pin"));

	CHECK(code && strlen(code) == 14);
	CHECK(pin && strlen(pin) == 64);
	strcpy(ret_code, code);
	if (ret_pin)
		strcpy(ret_pin, pin);
	json_decref(r);
}

void
estate_enrol_from(struct test_daemon *d, const char *address, const char *code,
                  const char *public_key, struct client_reply *ret)
{
	struct client *c = daemon_connect_gateway(d);

	daemon_call(c, "onward.Device.Enrol",
	            json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}", "code", code, "public_key",
	                      public_key, "name", "Cell 4-12", "software", "0.4.0", "via",
	                      "address", address),
	            ret);
	client_free(c);
}

void
estate_enrol(struct test_daemon *d, const char *code, const char *public_key,
             struct client_reply *ret)
{
	estate_enrol_from(d, ESTATE_ADDRESS, code, public_key, ret);
}

void
estate_hello(struct test_daemon *d, const char *cert_pem, struct client_reply *ret)
{
	struct client *c = daemon_connect_gateway(d);
	char pin[PKI_PIN_HEX_LEN + 1];

	CHECK_INT(pki_cert_pin(cert_pem, strlen(cert_pem), pin), 0);
	daemon_call(c, "onward.Device.Hello",
	            json_pack("{s:s, s:{s:s, s:s}}", "software", "0.5.0", "via", "address",
	                      ESTATE_ADDRESS, "device", pin),
	            ret);
	client_free(c);
}

void
estate_sync(struct run_result *ret, const char *url, const char *command, const char *dir, ...)
{
	const char *argv[16] = {run_bin("onward-sync"), command, "--server", url, "--dir", dir};
	int n = 6;
	va_list ap;

	va_start(ap, dir);
	for (const char *a = va_arg(ap, const char *); a && n < 15; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	run_program(argv, NULL, NULL, 30000, ret);
}

void
estate_expect_run(struct run_result *r, int status, const char *out, const char *err)
{
	if (r->status != status)
		fprintf(stderr, "stdout: %s\nstderr: %s\n", r->out, r->err);
	CHECK_INT(r->status, status);
	if (out)
		CHECK_CONTAINS(r->out, out);
	if (err)
		CHECK_CONTAINS(r->err, err);
	run_result_release(r);
}

void
estate_expect_error(struct client_reply *r, const char *error, const char *words)
{
	CHECK_STR(r->error, error);
	CHECK_CONTAINS(client_reply_message(r), words);
	client_reply_release(r);
}

/* Whether the certificate's extended key usage holds exactly the one purpose. */
static bool
has_purpose(X509 *x, int nid)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	bool ok = eku && sk_ASN1_OBJECT_num(eku) == 1 &&
	          OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 0)) == nid;

	EXTENDED_KEY_USAGE_free(eku);
	return ok;
}

X509 *
estate_check_cert(const struct test_daemon *d, const char *pem, const char *ca_pem, const char *cn,
                  bool server, int days)
{
	X509 *x = NULL, *ca = NULL;
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	char name[64] = "";
	int64_t now = daemon_now(d);
	int day = 0, sec = 0;

	CHECK_INT(pki_cert_from_pem(pem, strlen(pem), &x), 0);
	CHECK_INT(pki_cert_from_pem(ca_pem, strlen(ca_pem), &ca), 0);
	/* Chains to the CA, checked at the daemon's time (not the machine's). */
	CHECK(X509_STORE_add_cert(store, ca) == 1);
	CHECK(X509_STORE_CTX_init(ctx, store, x, NULL) == 1);
	X509_STORE_CTX_set_time(ctx, 0, (time_t)now);
	X509_STORE_CTX_set_purpose(ctx, server ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT);
	CHECK_INT(X509_verify_cert(ctx), 1);
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, name, sizeof(name));
	CHECK_STR(name, cn);
	CHECK(has_purpose(x, server ? NID_server_auth : NID_client_auth));
	CHECK_INT(X509_check_ca(x), 0);
	CHECK_INT(ASN1_STRING_length(X509_get0_serialNumber(x)), 16); /* 128 random bits */
	/* Valid for `days` from the daemon's now (within a minute's running). */
	{
		ASN1_TIME *expect = ASN1_TIME_set(NULL, (time_t)(now + days * 86400LL));

		CHECK(ASN1_TIME_diff(&day, &sec, expect, X509_get0_notAfter(x)) == 1);
		CHECK_INT(day, 0);
		CHECK(sec >= -60 && sec <= 60);
		ASN1_TIME_free(expect);
	}
	CHECK(X509_cmp_time(X509_get0_notBefore(x), &(time_t){(time_t)now}) < 0);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(ca);
	return x;
}
