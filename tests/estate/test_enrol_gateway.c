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
#include "pki.h"
#include "timeutil.h"

#include <fcntl.h>
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
static pid_t gateway;
static char url[64];

/* Writes text to DIR/name with mode; returns the path (static, one of four). */
static const char *
put(const char *name, const char *text, mode_t mode)
{
	static char paths[4][256];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, 256, "%s/%s", d.dir, name);
	CHECK_INT(crypto_file_write_atomic(p, text, strlen(text), mode), 0);
	return p;
}

/* The gateway's key and certificate (from the daemon), then the gateway itself. */
static void
start_gateway(void)
{
	char point[PKI_POINT_BASE64_LEN + 1], key_path[256], log_path[256], sock[256];
	EVP_PKEY *key = estate_new_key(point);
	json_t *r = daemon_admin_ok(
	        &d, "onward.Gateway.Certify",
	        json_pack("{s:s, s:[s]}", "public_key", point, "hosts", "127.0.0.1"));
	const char *cert =
	        put("gateway.crt", json_string_value(json_object_get(r, "certificate")), 0644);
	const char *ca = put("ca.crt", json_string_value(json_object_get(r, "ca")), 0644);

	snprintf(key_path, sizeof(key_path), "%s/gateway.key", d.dir);
	CHECK_INT(pki_key_save(key, key_path), 0);
	EVP_PKEY_free(key);
	snprintf(log_path, sizeof(log_path), "%s/gateway.log", d.dir);
	snprintf(sock, sizeof(sock), "%s/gateway.sock", d.dir);
	gateway = fork();
	CHECK(gateway >= 0);
	if (gateway == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fd, 2);
		execl(run_bin("onward-gateway"), "onward-gateway", "--cert", cert, "--key",
		      key_path, "--client-ca", ca, "--daemon-socket", sock, "--listen",
		      "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	json_decref(r);
	/* It says which port the kernel chose once it listens. */
	for (int i = 0; i < 200 && !url[0]; i++) {
		FILE *f = fopen(log_path, "r");
		char line[512];
		unsigned port;

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(strstr(line, "listening on port ") ?: "", "listening on port %u",
			           &port) == 1)
				snprintf(url, sizeof(url), "https://127.0.0.1:%u", port);
		if (f)
			fclose(f);
		if (!url[0])
			usleep(50000);
	}
	CHECK(url[0] != '\0');
}

int
main(void)
{
	char code[16], pin[65], tablet[200], other[200];
	struct run_result r;

	estate_daemon_for_tls(&d);
	start_gateway();
	snprintf(tablet, sizeof(tablet), "%s/tablet", d.dir);
	snprintf(other, sizeof(other), "%s/other", d.dir);

	test_step("a tablet enrols through the gateway with a code and the CA's pin");
	estate_code(&d, code, pin);
	estate_sync(&r, url, "enrol", tablet, "--code", code, "--ca-pin", pin, "--name",
	            "C wing 4-12", NULL);
	estate_expect_run(&r, 0, "Enrolled as T0001.", NULL);

	test_step("it says hello with its certificate");
	estate_sync(&r, url, "hello", tablet, NULL);
	estate_expect_run(&r, 0, "device: T0001\nestablishment: HMP Moorland\ncode: MDI", NULL);

	test_step("the code is spent; a wrong pin stops before it is sent");
	estate_sync(&r, url, "enrol", other, "--code", code, "--ca-pin", pin, NULL);
	estate_expect_run(&r, 1, NULL, "That enrolment code is not right or has run out.");
	estate_sync(&r, url, "enrol", other, "--code", code, "--ca-pin",
	            "0000000000000000000000000000000000000000000000000000000000000000", NULL);
	estate_expect_run(&r, 1, NULL, "does not match the pin");

	test_step("revoked, it is refused at the next call");
	json_decref(daemon_admin_ok(&d, "onward.Device.Revoke",
	                            json_pack("{s:s, s:s}", "id", "T0001", "reason", "Lost")));
	estate_sync(&r, url, "hello", tablet, NULL);
	estate_expect_run(&r, 1, NULL, "This tablet is no longer enrolled here.");

	kill(gateway, SIGTERM);
	CHECK(waitpid(gateway, NULL, 0) == gateway);
	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-estate-enrol-gateway: OK\n");
	return 0;
}
