/*
 * onward-sync, the real command, enrolling a tablet and saying hello through a TLS 1.3
 * server that forwards to a real daemon's gateway.sock as onward-gateway does (tls_server.h;
 * the gateway itself is built apart, and its end-to-end test is its own). The key is made
 * in the tablet's folder (0600) and only its point is sent; a wrong pin stops everything
 * before the code leaves the tablet; a wrong code, a second enrolment and a revoked tablet
 * get plain words and exit 1; the command line's mistakes exit 2.
 *
 * TLS checks certificates at the machine's time: the daemon's clock is set to it before
 * its first start, when the CA is made.
 */
#include "check.h"
#include "daemon.h"
#include "fixture.h"
#include "pki.h"
#include "timeutil.h"
#include "tls_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>

static struct test_daemon d;
static struct tls_server gw;

static void
check_folder(const char *dir, const char *ca)
{
	char path[256], *text;
	struct stat st;
	FILE *f;

	CHECK(stat(dir, &st) == 0);
	CHECK_INT(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/device.key", dir);
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	f = fopen(path, "r");
	CHECK(f != NULL);
	text = calloc(1, 8192);
	CHECK(text && fread(text, 1, 8191, f) > 0);
	fclose(f);
	CHECK_STR(text, ca);
	free(text);
}

static void
start_gateway(char *ret_ca)
{
	char point[PKI_POINT_BASE64_LEN + 1], sock[200];
	static char cert[8192], ca[8192];
	static EVP_PKEY *key;
	struct tls_server_config cfg = {.reply = TLS_REPLY_FORWARD};
	json_t *r;

	key = estate_new_key(point);
	r = daemon_admin_ok(&d, "onward.Gateway.Certify",
	                    json_pack("{s:s, s:[s]}", "public_key", point, "hosts", "127.0.0.1"));
	snprintf(cert, sizeof(cert), "%s", json_string_value(json_object_get(r, "certificate")));
	snprintf(ca, sizeof(ca), "%s", json_string_value(json_object_get(r, "ca")));
	json_decref(r);
	snprintf(sock, sizeof(sock), "%s/gateway.sock", d.dir);
	cfg.cert_pem = cert;
	cfg.key = key;
	cfg.client_ca_pem = ca;
	cfg.ca_pem_reply = ca;
	cfg.forward_socket = sock;
	tls_server_start(&gw, &cfg);
	strcpy(ret_ca, ca);
}

int
main(void)
{
	char ca[8192], code[16], pin[65], tablet[200], second[200], wrong_pin[65];
	struct run_result r;

	estate_daemon_for_tls(&d);
	start_gateway(ca);
	snprintf(tablet, sizeof(tablet), "%s/tablet", d.dir);
	snprintf(second, sizeof(second), "%s/second", d.dir);

	test_step("the command line: --help, and mistakes exit 2");
	{
		const char *help[] = {run_bin("onward-sync"), "--help", NULL};
		const char *none[] = {run_bin("onward-sync"), NULL};

		run_program(help, NULL, NULL, 5000, &r);
		estate_expect_run(&r, 0, "onward-sync enrol --server URL", NULL);
		run_program(none, NULL, NULL, 5000, &r);
		estate_expect_run(&r, 2, NULL, "say a command");
	}
	estate_sync(&r, gw.url, "enrol", tablet, "--code", "X", NULL);
	estate_expect_run(&r, 2, NULL, "enrol needs --code and --ca-pin");

	test_step("a wrong pin stops the enrolment before the code is sent");
	estate_code(&d, code, pin);
	memset(wrong_pin, 'a', 64);
	wrong_pin[64] = '\0';
	estate_sync(&r, gw.url, "enrol", second, "--code", code, "--ca-pin", wrong_pin, NULL);
	estate_expect_run(&r, 1, NULL, "does not match the pin given with the code");

	test_step("enrolled: the key stays in the folder, the certificate and CA kept");
	estate_sync(&r, gw.url, "enrol", tablet, "--code", code, "--ca-pin", pin, "--name",
	            "Cell 4-12", NULL);
	estate_expect_run(&r, 0, "Enrolled as T0001.", NULL);
	check_folder(tablet, ca);
	estate_sync(&r, gw.url, "enrol", tablet, "--code", code, "--ca-pin", pin, NULL);
	estate_expect_run(&r, 1, NULL, "this tablet is enrolled already");

	test_step("hello with its certificate");
	estate_sync(&r, gw.url, "hello", tablet, NULL);
	estate_expect_run(
	        &r, 0,
	        "device: T0001\nestablishment: HMP Moorland\ncode: MDI\nserver time: ", NULL);
	estate_sync(&r, gw.url, "hello", tablet, "--json", NULL);
	estate_expect_run(&r, 0, "\"device\":\"T0001\"", NULL);

	test_step("a used code is refused in the daemon's words");
	estate_sync(&r, gw.url, "enrol", second, "--code", code, "--ca-pin", pin, NULL);
	estate_expect_run(
	        &r, 1, NULL,
	        "refused: That enrolment code is not right or has run out. Ask staff for a new "
	        "one. (onward.PermissionDenied)");

	test_step("revoked: the next hello is refused");
	json_decref(daemon_admin_ok(&d, "onward.Device.Revoke",
	                            json_pack("{s:s, s:s}", "id", "T0001", "reason", "Lost")));
	estate_sync(&r, gw.url, "hello", tablet, NULL);
	estate_expect_run(&r, 1, NULL, "This tablet is no longer enrolled here.");

	tls_server_stop(&gw);
	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-estate-sync: OK\n");
	return 0;
}
