/*
 * Enrolment end to end: the real onward-sync on a tablet's folder, the real onward-gateway
 * (TLS 1.3, its certificate issued by the daemon's Gateway.Certify for a key it never
 * sends), the real daemon behind it. A tablet fetches the CA and checks its pin, enrols
 * with a code, says hello with its certificate; revoked, it is refused at the very next
 * call. Built only when the gateway is (tests/estate/CMakeLists.txt).
 *
 * TLS checks certificates at the machine's time: the daemon's clock is set to it before
 * its first start, when the CA is made.
 */
#include "check.h"
#include "crypto.h"
#include "daemon.h"
#include "fixture.h"
#include "live_gateway.h"
#include "pki.h"
#include "timeutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

static struct test_daemon d;
static struct estate_gateway gw;

static void
put_text(const char *path, const char *text)
{
	CHECK_INT(crypto_file_write_atomic(path, text, strlen(text), 0600), 0);
}

int
main(void)
{
	char code[16], pin[65], tablet[200], other[200];
	struct run_result r;

	estate_daemon_for_tls(&d);
	estate_gateway_start(&d, &gw);
	snprintf(tablet, sizeof(tablet), "%s/tablet", d.dir);
	snprintf(other, sizeof(other), "%s/other", d.dir);

	test_step("a tablet enrols through the gateway with a code and the CA's pin");
	estate_code(&d, code, pin);
	estate_sync(&r, gw.url, "enrol", tablet, "--code", code, "--ca-pin", pin, "--name",
	            "C wing 4-12", NULL);
	estate_expect_run(&r, 0, "Enrolled as T0001.", NULL);

	test_step("it says hello with its certificate");
	estate_sync(&r, gw.url, "hello", tablet, NULL);
	estate_expect_run(&r, 0, "device: T0001\nestablishment: HMP Moorland\ncode: MDI", NULL);

	test_step("a tablet whose clock is two hours out either way still reaches the server");
	for (int offset = -7200; offset <= 7200; offset += 14400) {
		/* The tablet's clock, absolute: this machine's (which the suite may itself
		 * fake) two hours off. A relative faketime would count from the real clock. */
		time_t at = time(NULL) + offset;
		char when[40], asan[300];
		const char *env[] = {asan, "TZ=UTC", NULL};
		const char *argv[] = {"/usr/bin/faketime",
		                      "-f",
		                      when,
		                      run_bin("onward-sync"),
		                      "hello",
		                      "--server",
		                      gw.url,
		                      "--dir",
		                      tablet,
		                      NULL};

		strftime(when, sizeof(when), "@%Y-%m-%d %H:%M:%S", gmtime(&at));
		/* faketime preloads its library; under ASan that must be allowed. */
		snprintf(asan, sizeof(asan), "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
		         getenv("ASAN_OPTIONS") ?: "", getenv("ASAN_OPTIONS") ? ":" : "");
		run_program(argv, env, NULL, 30000, &r);
		estate_expect_run(&r, 0, "device: T0001", NULL);
	}

	test_step("the code is spent; a wrong pin stops before it is sent");
	estate_sync(&r, gw.url, "enrol", other, "--code", code, "--ca-pin", pin, NULL);
	estate_expect_run(&r, 1, NULL, "That enrolment code is not right or has run out.");
	estate_sync(&r, gw.url, "enrol", other, "--code", code, "--ca-pin",
	            "0000000000000000000000000000000000000000000000000000000000000000", NULL);
	estate_expect_run(&r, 1, NULL, "does not match the pin");

	test_step("a certificate that has run out is refused at the handshake");
	{
		char point[PKI_POINT_BASE64_LEN + 1], path[300], when[32], expired[200];
		EVP_PKEY *key = estate_new_key(point);
		struct client_reply e;

		/* Issued by the daemon 400 days ago, for a year: it ran out 35 days ago. */
		time_format_utc(daemon_now(&d) - 400 * 86400LL, when, sizeof(when));
		daemon_clock_set(&d, when);
		estate_code(&d, code, pin);
		estate_enrol(&d, code, point, &e);
		CHECK(e.error == NULL);
		snprintf(expired, sizeof(expired), "%s/expired", d.dir);
		CHECK(mkdir(expired, 0700) == 0);
		snprintf(path, sizeof(path), "%s/device.key", expired);
		CHECK_INT(pki_key_save(key, path), 0);
		snprintf(path, sizeof(path), "%s/device.crt", expired);
		put_text(path, json_string_value(json_object_get(e.parameters, "certificate")));
		snprintf(path, sizeof(path), "%s/ca.pem", expired);
		put_text(path, json_string_value(json_object_get(e.parameters, "ca")));
		client_reply_release(&e);
		EVP_PKEY_free(key);
		time_format_utc(time(NULL), when, sizeof(when));
		daemon_clock_set(&d, when);
		estate_sync(&r, gw.url, "hello", expired, NULL);
		CHECK(strstr(r.out, "device:") == NULL);
		estate_expect_run(&r, 1, NULL, "onward-sync: ");
		/* The gateway serves on: the good tablet still says hello. */
		estate_sync(&r, gw.url, "hello", tablet, NULL);
		estate_expect_run(&r, 0, "device: T0001", NULL);
	}

	test_step("revoked, it is refused at the next call");
	json_decref(daemon_admin_ok(&d, "onward.Device.Revoke",
	                            json_pack("{s:s, s:s}", "id", "T0001", "reason", "Lost")));
	estate_sync(&r, gw.url, "hello", tablet, NULL);
	estate_expect_run(&r, 1, NULL, "This tablet is no longer enrolled here.");

	estate_gateway_stop(&gw);
	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-estate-enrol-gateway: OK\n");
	return 0;
}
