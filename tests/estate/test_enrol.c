/*
 * Enrolling a tablet against a real daemon (docs/estate.md, "Enrolment"): staff make a
 * code; the tablet sends it with its raw public key and gets a client certificate the
 * daemon built, chained to the CA whose pin came with the code. A code works once and not
 * after its 15 minutes by the daemon's clock; unknown, used and expired codes get the same
 * words. Hostile public keys are refused without spending the code. Wrong codes are
 * bounded: after 10 from one address that address waits 15 minutes, while others enrol;
 * after 200 from everywhere, every enrolment waits.
 */
#include "check.h"
#include "daemon.h"
#include "fixture.h"
#include "crypto.h"
#include "pki.h"
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

static struct test_daemon d;

static void
check_modes(void)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/estate", d.dir);
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/estate/ca.key", d.dir);
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_mode & 0777, 0600);
}

/* The pin staff were given is that of the CA certificate the tablet receives. */
static void
enrol_ok(const char *code, const char *pin, const char *expect_id)
{
	char point[PKI_POINT_BASE64_LEN + 1], got_pin[PKI_PIN_HEX_LEN + 1];
	EVP_PKEY *key = estate_new_key(point);
	struct client_reply r;
	const char *cert, *ca;
	X509 *x;

	estate_enrol(&d, code, point, &r);
	CHECK(r.error == NULL);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "device")), expect_id);
	cert = json_string_value(json_object_get(r.parameters, "certificate"));
	ca = json_string_value(json_object_get(r.parameters, "ca"));
	CHECK(cert && ca);
	CHECK_INT(pki_cert_pin(ca, strlen(ca), got_pin), 0);
	CHECK_STR(got_pin, pin);
	x = estate_check_cert(&d, cert, ca, expect_id, false, 365);
	/* The certificate carries the tablet's own key: its private half never moved. */
	CHECK_INT(X509_check_private_key(x, key), 1);
	X509_free(x);
	EVP_PKEY_free(key);
	client_reply_release(&r);
}

static void
hostile_keys(const char *code)
{
	uint8_t bytes[66];
	char text[128];
	struct client_reply r;

	test_step("hostile public keys are refused and the code is kept");
	/* 64 bytes: one short */
	memset(bytes, 0x04, sizeof(bytes));
	crypto_base64_encode(bytes, 64, text);
	estate_enrol(&d, code, text, &r);
	estate_expect_error(&r, "onward.InvalidParameter", "65-byte uncompressed P-256 point");
	/* 66 bytes: one long */
	crypto_base64_encode(bytes, 66, text);
	estate_enrol(&d, code, text, &r);
	estate_expect_error(&r, "onward.InvalidParameter", "65-byte");
	/* 65 bytes, the right form, not on the curve */
	memset(bytes + 1, 0x01, 64);
	crypto_base64_encode(bytes, 65, text);
	estate_enrol(&d, code, text, &r);
	estate_expect_error(&r, "onward.InvalidParameter", "65-byte");
	/* a compressed point's prefix on 65 bytes, and the point at infinity */
	bytes[0] = 0x02;
	crypto_base64_encode(bytes, 65, text);
	estate_enrol(&d, code, text, &r);
	estate_expect_error(&r, "onward.InvalidParameter", "65-byte");
	memset(bytes, 0, 65);
	crypto_base64_encode(bytes, 65, text);
	estate_enrol(&d, code, text, &r);
	estate_expect_error(&r, "onward.InvalidParameter", "65-byte");
	/* not base64 at all, base64 not canonical, empty */
	estate_enrol(&d, code, "!!!not base64!!!", &r);
	estate_expect_error(&r, "onward.InvalidParameter", "65-byte");
	bytes[0] = 0x04;
	crypto_base64_encode(bytes, 65, text);
	text[strlen(text) - 1] = 'A';
	estate_enrol(&d, code, text, &r);
	estate_expect_error(&r, "onward.InvalidParameter", "65-byte");
	estate_enrol(&d, code, "", &r);
	estate_expect_error(&r, "onward.InvalidParameter", "65-byte");
}

/* A wrong code from address: refused in the same words as any. */
static void
wrong_from(const char *address, const char *point)
{
	struct client_reply r;

	estate_enrol_from(&d, address, "AAAA-BBBB-CCCC", point, &r);
	estate_expect_error(&r, "onward.PermissionDenied", ESTATE_WRONG_CODE);
}

static void
wrong_codes(void)
{
	char code[16], pin[65], point[PKI_POINT_BASE64_LEN + 1], address[32];
	EVP_PKEY *key = estate_new_key(point);
	struct client_reply r;

	test_step("wrong codes from one address: 10, then it waits 15 minutes; others do not");
	/* A window of its own: the wrong codes the test tried before are 15 minutes back. */
	daemon_clock_advance(&d, 15 * 60);
	for (int i = 0; i < 10; i++)
		wrong_from("10.9.9.1", point);
	CHECK(daemon_log_has(&d, "from 10.9.9.1; that address must wait"));
	estate_code(&d, code, pin);
	estate_enrol_from(&d, "10.9.9.1", code, point, &r);
	estate_expect_error(&r, "onward.PermissionDenied",
	                    "Too many wrong enrolment codes have come from this tablet.");
	enrol_ok(code, pin, "T0003");

	test_step("200 wrong codes from everywhere: every enrolment waits 15 minutes");
	daemon_clock_advance(&d, 15 * 60);
	for (int i = 0; i < 200; i++) {
		snprintf(address, sizeof(address), "10.8.%d.1", i / 9);
		wrong_from(address, point);
	}
	CHECK(daemon_log_has(&d, "enrolment paused"));
	daemon_clock_advance(&d, 14 * 60);
	estate_code(&d, code, pin);
	estate_enrol_from(&d, "10.7.7.7", code, point, &r);
	estate_expect_error(&r, "onward.PermissionDenied",
	                    "Too many wrong enrolment codes have been tried.");
	/* The window has passed, and the right code works. */
	daemon_clock_advance(&d, 61);
	enrol_ok(code, pin, "T0004");
	EVP_PKEY_free(key);
}

int
main(void)
{
	char code[16], code2[16], pin[65], pin2[65], point[PKI_POINT_BASE64_LEN + 1];
	EVP_PKEY *key = estate_new_key(point);
	struct client_reply r;
	json_t *reply;

	daemon_make(&d, NULL);
	daemon_start(&d);
	daemon_seed(&d);
	check_modes();

	test_step("a code: three groups of four, 15 minutes, with the CA's pin");
	reply = daemon_admin_ok(&d, "onward.Device.EnrolmentCode", NULL);
	{
		const char *c = json_string_value(json_object_get(reply, "code"));
		char expires[32];

		CHECK(c && strlen(c) == 14 && c[4] == '-' && c[9] == '-');
		CHECK(strspn(c, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789-") == 14);
		strcpy(code, c);
		strcpy(pin, json_string_value(json_object_get(reply, "ca_pin")));
		time_format_utc(daemon_now(&d) + 900, expires, sizeof(expires));
		/* within the second the call took */
		CHECK(strncmp(json_string_value(json_object_get(reply, "expires_at")), expires,
		              16) == 0);
	}
	json_decref(reply);

	hostile_keys(code);

	test_step("the code enrols a tablet once; lower case and no dashes are forgiven");
	{
		char loose[16] = "";

		for (size_t i = 0, k = 0; code[i]; i++)
			if (code[i] != '-')
				loose[k++] = (char)(code[i] | 0x20);
		enrol_ok(loose, pin, "T0001");
	}
	estate_enrol(&d, code, point, &r);
	estate_expect_error(&r, "onward.PermissionDenied", ESTATE_WRONG_CODE);

	test_step("a code runs out after 15 minutes by the daemon's clock");
	estate_code(&d, code, pin2);
	CHECK_STR(pin2, pin);
	estate_code(&d, code2, NULL);
	daemon_clock_advance(&d, 15 * 60);
	estate_enrol(&d, code, point, &r);
	estate_expect_error(&r, "onward.PermissionDenied", ESTATE_WRONG_CODE);
	estate_code(&d, code2, NULL);
	daemon_clock_advance(&d, 14 * 60);
	enrol_ok(code2, pin, "T0002");

	test_step("a name and software version are checked");
	estate_code(&d, code, NULL);
	{
		struct client *c = daemon_connect_gateway(&d);

		daemon_call(c, "onward.Device.Enrol",
		            json_pack("{s:s, s:s, s:s, s:{s:s}}", "code", code, "public_key", point,
		                      "name", "line\nbreak", "via", "address", ESTATE_ADDRESS),
		            &r);
		estate_expect_error(&r, "onward.InvalidParameter", "up to 64 characters");
		daemon_call(c, "onward.Device.Enrol",
		            json_pack("{s:s, s:s, s:s, s:{s:s}}", "code", code, "public_key", point,
		                      "software", "0123456789012345678901234567890123", "via",
		                      "address", ESTATE_ADDRESS),
		            &r);
		estate_expect_error(&r, "onward.InvalidParameter", "software");
		client_free(c);
	}

	wrong_codes();

	test_step("the same CA after a restart");
	daemon_stop(&d);
	daemon_start(&d);
	estate_code(&d, code, pin2);
	CHECK_STR(pin2, pin);
	check_modes();

	EVP_PKEY_free(key);
	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-estate-enrol: OK\n");
	return 0;
}
