/*
 * The estate's HTTPS client (services/client/https.c) against a real TLS 1.3 server whose
 * certificate a real daemon issued (Gateway.Certify), standing in for the gateway
 * (tls_server.h): the call's path, body, bearer token and client certificate as the
 * server saw them; the CA given and no other trusted; a wrong name, a TLS 1.2 server and
 * nothing listening refused in plain words; replies up to 1 MiB and not a byte more; bodies
 * that are not the daemon's replies; the CA fetched once and kept only when its pin is
 * right, and only that one certificate.
 *
 * TLS checks certificates at the machine's time, so this test sets the daemon's clock to
 * the machine's before it issues any: the one place a test reads the wall clock.
 */
#include "check.h"
#include "daemon.h"
#include "fixture.h"
#include "https.h"
#include "pki.h"
#include "timeutil.h"
#include "tls_server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

static struct test_daemon d, other;

struct issued {
	EVP_PKEY *key;
	char *cert; /* PEM */
	char *ca; /* PEM */
};

/* A key and a server certificate for host from daemon t. */
static void
issue(struct test_daemon *t, const char *host, struct issued *ret)
{
	char point[PKI_POINT_BASE64_LEN + 1];
	json_t *r;

	ret->key = estate_new_key(point);
	r = daemon_admin_ok(t, "onward.Gateway.Certify",
	                    json_pack("{s:s, s:[s]}", "public_key", point, "hosts", host));
	ret->cert = strdup(json_string_value(json_object_get(r, "certificate")));
	ret->ca = strdup(json_string_value(json_object_get(r, "ca")));
	json_decref(r);
}

static void
issued_free(struct issued *i)
{
	EVP_PKEY_free(i->key);
	free(i->cert);
	free(i->ca);
}

/* One call; its result, and the reply (NULL when none) in *ret. */
static int
call(const struct https_target *t, json_t **ret, char *err)
{
	*ret = NULL;
	json_t *params = json_pack("{s:i}", "x", 1);
	int r = https_call(t, "onward.Service.GetInfo", params, ret, err, 300);

	json_decref(params);
	return r;
}

static const char *
echoed(json_t *reply, const char *key)
{
	return json_string_value(json_object_get(json_object_get(reply, "parameters"), key));
}

/* Writes text to a new file under the daemon's folder; returns its path (static). */
static const char *
write_file(const char *name, const char *text)
{
	static char path[4][256];
	static int next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, 256, "%s/%s", d.dir, name);
	f = fopen(p, "w");
	CHECK(f != NULL);
	fputs(text, f);
	CHECK(fclose(f) == 0);
	return p;
}

static void
echo_cases(const struct issued *gw)
{
	struct tls_server_config cfg = {.cert_pem = gw->cert,
	                                .key = gw->key,
	                                .client_ca_pem = gw->ca,
	                                .reply = TLS_REPLY_ECHO};
	struct tls_server s;
	struct https_target t = {.ca_pem = gw->ca, .bearer = "abc.DEF-123"};
	char err[300], code[16], point[PKI_POINT_BASE64_LEN + 1], keypath[256];
	EVP_PKEY *key = estate_new_key(point);
	struct client_reply enrolled;
	json_t *reply;

	test_step("a call: POST /api/v1/<method>, its body, the bearer token");
	tls_server_start(&s, &cfg);
	t.url = s.url;
	CHECK_INT(call(&t, &reply, err), 0);
	CHECK_STR(echoed(reply, "method"), "POST");
	CHECK_STR(echoed(reply, "path"), "/api/v1/onward.Service.GetInfo");
	CHECK_STR(echoed(reply, "body"), "{\"x\":1}");
	CHECK_STR(echoed(reply, "authorization"), "Bearer abc.DEF-123");
	CHECK_STR(echoed(reply, "client"), "");
	json_decref(reply);

	test_step("the CA from a file; a tablet's client certificate");
	estate_code(&d, code, NULL);
	estate_enrol(&d, code, point, &enrolled);
	CHECK(enrolled.error == NULL);
	t.ca_pem = NULL;
	t.ca_file = write_file("ca.pem", gw->ca);
	t.cert_file =
	        write_file("device.crt",
	                   json_string_value(json_object_get(enrolled.parameters, "certificate")));
	snprintf(keypath, sizeof(keypath), "%s/device.key", d.dir);
	CHECK_INT(pki_key_save(key, keypath), 0);
	t.key_file = keypath;
	t.bearer = NULL;
	CHECK_INT(call(&t, &reply, err), 0);
	CHECK_STR(echoed(reply, "client"), "T0001");
	CHECK_STR(echoed(reply, "authorization"), "");
	json_decref(reply);
	client_reply_release(&enrolled);
	EVP_PKEY_free(key);

	test_step("what the client refuses to send");
	t.bearer = "two\r\nX-Injected: yes";
	CHECK_INT(call(&t, &reply, err), -EINVAL);
	t.bearer = NULL;
	CHECK_INT(https_call(&t, "onward.X/../../ca.pem", NULL, &reply, err, sizeof(err)), -EINVAL);
	t.url = "http://127.0.0.1:1";
	CHECK_INT(call(&t, &reply, err), -EINVAL);
	CHECK_STR(err, "the server address must be like https://host:port");
	tls_server_stop(&s);
}

static void
trust_cases(const struct issued *gw, const struct issued *wrong_name, const struct issued *foreign)
{
	struct tls_server_config cfg = {.cert_pem = gw->cert, .key = gw->key};
	struct tls_server s;
	struct https_target t = {.ca_pem = foreign->ca};
	char err[300], expect[200];
	json_t *reply;

	test_step("another establishment's CA does not vouch for this server");
	tls_server_start(&s, &cfg);
	t.url = s.url;
	CHECK_INT(call(&t, &reply, err), -EACCES);
	CHECK_STR(err, "the server's certificate is not trusted");
	tls_server_stop(&s);

	test_step("a certificate for another name is not trusted either");
	cfg.cert_pem = wrong_name->cert;
	cfg.key = wrong_name->key;
	tls_server_start(&s, &cfg);
	t.url = s.url;
	t.ca_pem = gw->ca;
	CHECK_INT(call(&t, &reply, err), -EACCES);
	tls_server_stop(&s);

	test_step("a server offering only TLS 1.2 is not reached");
	cfg.cert_pem = gw->cert;
	cfg.key = gw->key;
	cfg.tls12_only = true;
	tls_server_start(&s, &cfg);
	t.url = s.url;
	CHECK_INT(call(&t, &reply, err), -EHOSTUNREACH);
	snprintf(expect, sizeof(expect), "cannot reach the server at %s: ", s.url);
	CHECK(strncmp(err, expect, strlen(expect)) == 0);
	tls_server_stop(&s);

	test_step("nothing listening");
	CHECK_INT(call(&t, &reply, err), -EHOSTUNREACH);
	CHECK(strncmp(err, expect, strlen(expect)) == 0);
}

/* A fixed reply: its status and body (or size bytes of 'x'); the call's result. */
static int
fixed(const struct issued *gw, int status, const char *body, size_t size, json_t **reply, char *err)
{
	struct tls_server_config cfg = {.cert_pem = gw->cert,
	                                .key = gw->key,
	                                .reply = TLS_REPLY_FIXED,
	                                .fixed_body = body,
	                                .fixed_size = size,
	                                .fixed_status = status};
	struct tls_server s;
	struct https_target t = {.ca_pem = gw->ca};
	int r;

	tls_server_start(&s, &cfg);
	t.url = s.url;
	r = call(&t, reply, err);
	tls_server_stop(&s);
	return r;
}

/* A daemon reply padded to exactly n bytes. */
static char *
reply_of_size(size_t n)
{
	const char *head = "{\"parameters\":{\"p\":\"", *tail = "\"}}";
	char *text = malloc(n + 1);

	CHECK(text != NULL);
	memset(text, 'y', n);
	memcpy(text, head, strlen(head));
	memcpy(text + n - strlen(tail), tail, strlen(tail));
	text[n] = '\0';
	return text;
}

static void
reply_cases(const struct issued *gw)
{
	char err[300], *big;
	json_t *reply;

	test_step("an error reply is a reply, whatever its HTTP status");
	CHECK_INT(fixed(gw, 403,
	                "{\"error\":\"onward.DeviceRevoked\",\"parameters\":{\"message\":\"No.\"}}",
	                0, &reply, err),
	          0);
	CHECK_STR(json_string_value(json_object_get(reply, "error")), "onward.DeviceRevoked");
	json_decref(reply);

	test_step("bodies that are not the daemon's replies");
	CHECK_INT(fixed(gw, 200, "not json", 0, &reply, err), -EBADMSG);
	CHECK_STR(err, "the reply was not understood");
	CHECK_INT(fixed(gw, 200, "[1, 2]", 0, &reply, err), -EBADMSG);
	CHECK_INT(fixed(gw, 200, "{\"parameters\": 3}", 0, &reply, err), -EBADMSG);
	CHECK_INT(fixed(gw, 503, "Service Unavailable", 0, &reply, err), -EBADMSG);
	CHECK_STR(err, "the reply was not understood (HTTP 503)");

	test_step("a reply of 1 MiB is read; one byte more is refused");
	big = reply_of_size(HTTPS_REPLY_MAX);
	CHECK_INT(fixed(gw, 200, big, 0, &reply, err), 0);
	CHECK_INT(strlen(echoed(reply, "p")),
	          HTTPS_REPLY_MAX - 23); /* less the 23 bytes around it */
	json_decref(reply);
	free(big);
	big = reply_of_size(HTTPS_REPLY_MAX + 1);
	CHECK_INT(fixed(gw, 200, big, 0, &reply, err), -EBADMSG);
	CHECK_STR(err, "the reply was not understood (it is too large)");
	free(big);
	CHECK_INT(fixed(gw, 200, NULL, 8u << 20, &reply, err), -EBADMSG);
}

static int
fetch(const struct issued *gw, const char *served, const char *pin, char **ret_pem, char *err)
{
	struct tls_server_config cfg = {
	        .cert_pem = gw->cert, .key = gw->key, .ca_pem_reply = served};
	struct tls_server s;
	int r;

	tls_server_start(&s, &cfg);
	*ret_pem = NULL;
	r = https_fetch_ca(s.url, pin, 0, ret_pem, err, 300);
	tls_server_stop(&s);
	return r;
}

static void
fetch_cases(const struct issued *gw, const struct issued *foreign)
{
	char pin[PKI_PIN_HEX_LEN + 1], upper[PKI_PIN_HEX_LEN + 1], got_pin[PKI_PIN_HEX_LEN + 1];
	char err[300], *pem, *two;

	CHECK_INT(pki_cert_pin(gw->ca, strlen(gw->ca), pin), 0);
	test_step("the CA fetched before there is anything to verify with, kept by its pin");
	CHECK_INT(fetch(gw, gw->ca, pin, &pem, err), 0);
	CHECK_STR(pem, gw->ca);
	free(pem);
	for (size_t i = 0; i <= PKI_PIN_HEX_LEN; i++)
		upper[i] = (char)(pin[i] >= 'a' ? pin[i] - 32 : pin[i]);
	CHECK_INT(fetch(gw, gw->ca, upper, &pem, err), 0);
	free(pem);

	test_step("a CA that is not the pinned one is refused");
	CHECK_INT(fetch(gw, foreign->ca, pin, &pem, err), -EKEYREJECTED);
	CHECK_CONTAINS(err, "does not match the pin");
	CHECK(pem == NULL);
	CHECK_INT(fetch(gw, "no certificate here", pin, &pem, err), -EBADMSG);
	CHECK_INT(fetch(gw, gw->ca, "00", &pem, err), -EKEYREJECTED);

	test_step("a second certificate after the pinned one is never kept");
	two = malloc(strlen(gw->ca) + strlen(foreign->ca) + 1);
	CHECK(two != NULL);
	strcpy(two, gw->ca);
	strcat(two, foreign->ca);
	CHECK_INT(fetch(gw, two, pin, &pem, err), 0);
	CHECK_INT(pki_cert_pin(pem, strlen(pem), got_pin), 0);
	CHECK_STR(got_pin, pin);
	CHECK(strstr(strstr(pem, "BEGIN CERTIFICATE") + 1, "BEGIN CERTIFICATE") == NULL);
	free(pem);
	free(two);
}

int
main(void)
{
	struct issued gw, wrong_name, foreign;

	estate_daemon_for_tls(&d);
	estate_daemon_for_tls(&other);
	issue(&d, "127.0.0.1", &gw);
	issue(&d, "gateway.mdi.example", &wrong_name);
	issue(&other, "127.0.0.1", &foreign);
	daemon_stop(&other);
	daemon_remove(&other);

	echo_cases(&gw);
	trust_cases(&gw, &wrong_name, &foreign);
	reply_cases(&gw);
	fetch_cases(&gw, &foreign);

	issued_free(&gw);
	issued_free(&wrong_name);
	issued_free(&foreign);
	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-estate-https: OK\n");
	return 0;
}
