/*
 * onward-gateway in front of a real onward-policyd: real TLS on 127.0.0.1, a test CA made
 * with openssl, calls made with libcurl. What a client gets for each kind of request: a
 * call answered by the daemon, staff calls with and without a session, every refusal the
 * gateway makes itself (TLS 1.2, a forged certificate, a body too large, not JSON, a
 * "via" of the client's own, paths and verbs it does not serve, a broken token), /ca.pem,
 * and a command line it refuses before listening.
 */
#include "check.h"
#include "daemon.h"
#include "gateway_fixture.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

static struct test_pki pki;
static struct test_daemon d;
static struct test_gateway g;

static void
test_get_info(void)
{
	struct https_result r;
	json_t *root;

	test_step("Service.GetInfo through the gateway, answered by the daemon");
	https_call(&g, &pki, NULL, "/api/v1/onward.Service.GetInfo", "{}", &r);
	CHECK_INT(r.curl_code, 0);
	CHECK_INT(r.status, 200);
	root = json_loads(r.body, 0, NULL);
	CHECK_STR(
	        json_string_value(json_object_get(json_object_get(root, "parameters"), "service")),
	        "onward-policyd");
	CHECK_STR(r.content_type, "application/json");
	CHECK(r.nosniff && r.no_store && r.hsts);
	json_decref(root);
	https_result_release(&r);
}

static void
test_tls(void)
{
	struct https_options tls12 = {.tls12_only = true};
	struct https_options forged = {.cert = pki.forged_cert, .key = pki.forged_key};
	struct https_options good = {.cert = pki.client_cert, .key = pki.client_key};
	struct https_result r;

	test_step("TLS 1.2 is refused in the handshake");
	https_call(&g, &pki, &tls12, "/api/v1/onward.Service.GetInfo", "{}", &r);
	CHECK_INT(r.curl_code, CURLE_SSL_CONNECT_ERROR);
	CHECK_INT(r.status, 0);
	https_result_release(&r);

	test_step("a client certificate from another CA gets no answer at all");
	https_call(&g, &pki, &forged, "/api/v1/onward.Service.GetInfo", "{}", &r);
	CHECK(r.curl_code != 0);
	CHECK_INT(r.status, 0);
	https_result_release(&r);

	test_step("the establishment's client certificate is let through");
	https_call(&g, &pki, &good, "/api/v1/onward.Service.GetInfo", "{}", &r);
	CHECK_INT(r.curl_code, 0);
	CHECK_INT(r.status, 200);
	https_result_release(&r);

	test_step("the gateway's own server certificate is no client certificate");
	{
		struct https_options server = {.cert = pki.server_cert, .key = pki.server_key};

		https_call(&g, &pki, &server, "/api/v1/onward.Service.GetInfo", "{}", &r);
		CHECK(r.curl_code != 0);
		https_result_release(&r);
	}
}

static void
test_refusals(void)
{
	char *big = malloc(70 * 1024 + 1);
	struct https_result r;

	test_step("a body past 64 KiB: 413");
	CHECK(big != NULL);
	memset(big, ' ', 70 * 1024);
	big[70 * 1024] = '\0';
	big[0] = '{';
	big[70 * 1024 - 1] = '}';
	https_expect(&g, &pki, "onward.Service.GetInfo", big, 413, "onward.MessageTooLarge");
	free(big);

	test_step("not JSON, not an object, duplicate keys: 400");
	https_expect(&g, &pki, "onward.Service.GetInfo", "hello", 400, "onward.InvalidRequest");
	https_expect(&g, &pki, "onward.Service.GetInfo", "[1]", 400, "onward.InvalidRequest");
	https_expect(&g, &pki, "onward.Service.GetInfo", "{\"a\":1,\"a\":2}", 400,
	             "onward.InvalidRequest");
	https_expect(&g, &pki, "onward.Service.GetInfo", "", 400, "onward.InvalidRequest");

	test_step("a via of the client's own: 400, and the daemon never sees it");
	https_expect(&g, &pki, "onward.Service.GetInfo",
	             "{\"via\": {\"address\": \"10.0.0.1\", \"staff_session\": \"x\"}}", 400,
	             "onward.InvalidRequest");

	test_step("unknown paths 404, other verbs 405");
	https_call(&g, &pki, NULL, "/index.html", NULL, &r);
	CHECK_INT(r.status, 404);
	CHECK_CONTAINS(r.body, "\"onward.NotFound\"");
	https_result_release(&r);
	https_call(&g, &pki, NULL, "/api/v1/Service.GetInfo", "{}", &r);
	CHECK_INT(r.status, 404);
	https_result_release(&r);
	https_call(&g, &pki, NULL, "/api/v1/onward.Service.GetInfo", NULL, &r);
	CHECK_INT(r.status, 405);
	CHECK_CONTAINS(r.body, "\"message\"");
	https_result_release(&r);
	{
		struct https_options put = {.verb = "PUT"};

		https_call(&g, &pki, &put, "/ca.pem", "x", &r);
		CHECK_INT(r.status, 405);
		https_result_release(&r);
	}

	test_step("a method the network may not call: the daemon's refusal, mapped");
	https_expect(&g, &pki, "onward.Person.Import", "{}", 404, "onward.MethodNotFound");
	https_expect(&g, &pki, "onward.Test.Clock", "{}", 404, "onward.MethodNotFound");
	test_step("a staff method without a session: 401");
	https_expect(&g, &pki, "onward.Person.List", "{}", 401, "onward.NotLoggedIn");
}

static void
test_staff(void)
{
	struct https_options bad = {.authorization = "Bearer not-a-token"};
	struct https_options good = {.authorization = NULL};
	char header[128];
	struct https_result r;

	test_step("a staff method without a session: 401");
	https_expect(&g, &pki, "onward.Staff.Whoami", "{}", 401, "onward.NotLoggedIn");

	test_step("a malformed bearer header: 401 from the gateway itself");
	https_call(&g, &pki, &bad, "/api/v1/onward.Staff.Whoami", "{}", &r);
	CHECK_INT(r.status, 401);
	CHECK_CONTAINS(r.body, "\"onward.NotLoggedIn\"");
	https_result_release(&r);

	test_step("with the session of a staff member signed in: their own details");
	snprintf(header, sizeof(header), "Bearer %s", daemon_staff_session(&d, "admin", false));
	good.authorization = header;
	https_call(&g, &pki, &good, "/api/v1/onward.Staff.Whoami", "{}", &r);
	CHECK_INT(r.status, 200);
	CHECK_CONTAINS(r.body, "\"staff_id\":\"admin\"");
	https_result_release(&r);

	test_step("a well-formed token that is no session: the daemon's 401");
	https_call(&g, &pki,
	           &(struct https_options){.authorization = "Bearer 00000000000000000000000000000"
	                                                    "00000000000000000000000000000000000"},
	           "/api/v1/onward.Staff.Whoami", "{}", &r);
	CHECK_INT(r.status, 401);
	https_result_release(&r);
}

static void
test_ca_pem(void)
{
	struct https_result r;
	char *want;
	FILE *f = fopen(pki.ca, "r");
	long n;

	test_step("GET /ca.pem serves the establishment CA as it is on disk");
	CHECK(f != NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	want = calloc(1, (size_t)n + 1);
	CHECK(want && fread(want, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	https_call(&g, &pki, NULL, "/ca.pem", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body, want);
	CHECK_STR(r.content_type, "application/x-pem-file");
	free(want);
	https_result_release(&r);
}

static void
expect_refused(const char *const argv[], const char *words)
{
	struct run_result r;

	run_program(argv, NULL, NULL, 10000, &r);
	CHECK_INT(r.status, 2);
	CHECK_CONTAINS(r.err, words);
	/* One plain line. */
	CHECK(strchr(r.err, '\n') == r.err + strlen(r.err) - 1);
	run_result_release(&r);
}

static void
test_command_line(void)
{
	const char *bin = run_bin("onward-gateway");

	test_step("bad options and unreadable files: one line, exit 2, nothing listens");
	expect_refused((const char *const[]){bin, "--listen", "localhost:8443", "--cert",
	                                     pki.server_cert, "--key", pki.server_key,
	                                     "--client-ca", pki.ca, "--daemon-socket", "/run/x",
	                                     NULL},
	               "--listen localhost:8443");
	expect_refused((const char *const[]){bin, "--cert", "/nonexistent.pem", "--key",
	                                     pki.server_key, "--client-ca", pki.ca,
	                                     "--daemon-socket", "/run/x", NULL},
	               "--cert /nonexistent.pem: No such file or directory");
	expect_refused((const char *const[]){bin, "--cert", pki.server_cert, "--key",
	                                     pki.client_key, "--client-ca", pki.ca,
	                                     "--daemon-socket", "/run/x", NULL},
	               "not a certificate and its key");
	expect_refused((const char *const[]){bin, "--cert", pki.server_cert, "--key",
	                                     pki.server_key, "--client-ca", pki.server_key,
	                                     "--daemon-socket", "/run/x", NULL},
	               "--client-ca");
	expect_refused((const char *const[]){bin, "--cert", pki.server_cert, "--key",
	                                     pki.server_key, "--client-ca", pki.ca,
	                                     "--daemon-socket", "/run/x", "--upstream", "0", NULL},
	               "--upstream 0");
	expect_refused((const char *const[]){bin, "--cert", pki.server_cert, NULL},
	               "--key FILE is required");
}

int
main(void)
{
	char socket_path[200];

	curl_global_init(CURL_GLOBAL_DEFAULT);
	pki_make(&pki);
	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	snprintf(socket_path, sizeof(socket_path), "%s/gateway.sock", d.dir);
	gateway_start(&g, &pki, socket_path, NULL);

	test_get_info();
	test_tls();
	test_refusals();
	test_staff();
	test_ca_pem();
	test_command_line();

	gateway_stop(&g);
	daemon_stop(&d);
	daemon_remove(&d);
	pki_remove(&pki);
	curl_global_cleanup();
	printf("test-gateway-http: ok\n");
	return 0;
}
