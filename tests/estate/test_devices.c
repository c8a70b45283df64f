/*
 * Staff's side of the estate against a real daemon: the list of tablets, revoking one (once,
 * with a reason) and its hello refused at once after, which socket takes which method,
 * only administrators managing tablets, the gateway's server certificate
 * (its names, refused when a name or the key is wrong), and a damaged CA refusing the start
 * in one plain line rather than a new CA made behind the operator's back.
 */
#include "check.h"
#include "daemon.h"
#include "fixture.h"
#include "pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static struct test_daemon d;

/* Enrols a tablet; returns its certificate (PEM, the caller frees it). */
static char *
enrol(const char *expect_id)
{
	char code[16], point[PKI_POINT_BASE64_LEN + 1], *cert;
	EVP_PKEY *key = estate_new_key(point);
	struct client_reply r;

	estate_code(&d, code, NULL);
	estate_enrol(&d, code, point, &r);
	CHECK(r.error == NULL);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "device")), expect_id);
	cert = strdup(json_string_value(json_object_get(r.parameters, "certificate")));
	client_reply_release(&r);
	EVP_PKEY_free(key);
	return cert;
}

static void
hello_and_revoke(void)
{
	char *cert = enrol("T0003"), other[] =
	                                     "0000000000000000000000000000000000000000000000000000"
	                                     "000000000000";
	struct client_reply r;
	json_t *list, *t;

	test_step("a tablet's hello: who and where it is, the server's time; it is seen");
	estate_hello(&d, cert, &r);
	CHECK(r.error == NULL);
	CHECK_STR(json_string_value(json_object_get(r.parameters, "device")), "T0003");
	t = json_object_get(r.parameters, "establishment");
	CHECK_STR(json_string_value(json_object_get(t, "code")), "MDI");
	CHECK_STR(json_string_value(json_object_get(t, "name")), "HMP Moorland");
	CHECK_CONTAINS(json_string_value(json_object_get(r.parameters, "server_time")), "2026-12-");
	client_reply_release(&r);
	list = daemon_admin_ok(&d, "onward.Device.List", NULL);
	t = json_array_get(json_object_get(list, "devices"), 2);
	CHECK_STR(json_string_value(json_object_get(t, "software")), "0.5.0");
	CHECK(json_is_string(json_object_get(t, "last_seen")));
	json_decref(list);

	test_step("a certificate nobody enrolled, and a revoked tablet, are refused at once");
	{
		struct client *c = daemon_connect_gateway(&d);

		daemon_call(c, "onward.Device.Hello",
		            json_pack("{s:{s:s, s:s}}", "via", "address", ESTATE_ADDRESS, "device",
		                      other),
		            &r);
		estate_expect_error(&r, "onward.DeviceRevoked", "no longer enrolled here");
		client_free(c);
	}
	json_decref(daemon_admin_ok(&d, "onward.Device.Revoke",
	                            json_pack("{s:s, s:s}", "id", "T0003", "reason", "Broken")));
	estate_hello(&d, cert, &r);
	estate_expect_error(&r, "onward.DeviceRevoked", "This tablet is no longer enrolled here.");
	free(cert);
}

/* The audit row of `action` about `subject`, which must exist (the caller frees it). */
static json_t *
audit_row(const char *subject, const char *action)
{
	json_t *rows =
	        daemon_admin_ok(&d, "onward.Audit.Show", json_pack("{s:s}", "subject", subject));
	json_t *row, *found = NULL;
	size_t i;

	json_array_foreach(json_object_get(rows, "rows"), i, row)
	{
		if (strcmp(json_string_value(json_object_get(row, "action")), action) == 0)
			found = json_incref(row);
	}
	json_decref(rows);
	CHECK(found != NULL);
	return found;
}

static void
audited(void)
{
	json_t *row, *verify;

	test_step("the audit: who enrolled from where, who revoked and how they were proven");
	row = audit_row("device:T0003", "device.enrol");
	CHECK_STR(json_string_value(json_object_get(row, "actor")), "network:" ESTATE_ADDRESS);
	CHECK_STR(json_string_value(json_object_get(row, "outcome")), "ok");
	CHECK_STR(json_string_value(json_object_get(json_object_get(row, "detail"), "code_by")),
	          "staff:admin");
	CHECK_INT(strlen(json_string_value(
	                  json_object_get(json_object_get(row, "detail"), "fingerprint"))),
	          64);
	json_decref(row);
	row = audit_row("device:T0003", "device.revoke");
	CHECK_STR(json_string_value(json_object_get(row, "actor")), "staff:admin");
	CHECK_STR(json_string_value(json_object_get(json_object_get(row, "detail"), "reason")),
	          "Broken");
	CHECK_STR(json_string_value(json_object_get(json_object_get(row, "detail"), "proof")),
	          "password+totp");
	json_decref(row);
	verify = daemon_admin_ok(&d, "onward.Audit.Verify", NULL);
	CHECK(json_is_true(json_object_get(verify, "ok")));
	json_decref(verify);
}

static void
sockets(void)
{
	struct client *c;
	struct client_reply r;

	test_step("enrolment only through the gateway; certify never; staff need a session");
	c = daemon_connect_control(&d);
	daemon_call(c, "onward.Device.Enrol",
	            json_pack("{s:s, s:s}", "code", "AAAA-BBBB-CCCC", "public_key", "x"), &r);
	estate_expect_error(&r, "onward.MethodNotFound", "no method");
	client_free(c);
	c = daemon_connect_gateway(&d);
	daemon_call(c, "onward.Gateway.Certify",
	            json_pack("{s:s, s:[s], s:{s:s}}", "public_key", "x", "hosts", "gw", "via",
	                      "address", ESTATE_ADDRESS),
	            &r);
	estate_expect_error(&r, "onward.MethodNotFound", "no method");
	daemon_call(c, "onward.Device.List",
	            json_pack("{s:{s:s}}", "via", "address", ESTATE_ADDRESS), &r);
	estate_expect_error(&r, "onward.NotLoggedIn", "Sign in first.");
	daemon_call(c, "onward.Device.List",
	            json_pack("{s:{s:s, s:s}}", "via", "address", ESTATE_ADDRESS, "staff_session",
	                      daemon_staff_session(&d, "admin", false)),
	            &r);
	CHECK(r.error == NULL);
	CHECK_INT(json_array_size(json_object_get(r.parameters, "devices")), 3);
	client_reply_release(&r);
	/* A tablet's certificate is no staff session. */
	daemon_call(c, "onward.Device.Hello",
	            json_pack("{s:{s:s}}", "via", "address", ESTATE_ADDRESS), &r);
	estate_expect_error(&r, "onward.PermissionDenied", "Only an enrolled tablet");
	client_free(c);
}

static void
list_and_revoke(void)
{
	struct client_reply r;
	json_t *list, *t;

	test_step("the list: every tablet, its state and who enrolled it");
	free(enrol("T0001"));
	free(enrol("T0002"));
	list = daemon_admin_ok(&d, "onward.Device.List", NULL);
	CHECK_INT(json_array_size(json_object_get(list, "devices")), 2);
	t = json_array_get(json_object_get(list, "devices"), 0);
	CHECK_STR(json_string_value(json_object_get(t, "id")), "T0001");
	CHECK_STR(json_string_value(json_object_get(t, "name")), "Cell 4-12");
	CHECK_STR(json_string_value(json_object_get(t, "state")), "enrolled");
	CHECK_STR(json_string_value(json_object_get(t, "enrolled_by")), "staff:admin");
	CHECK_STR(json_string_value(json_object_get(t, "software")), "0.4.0");
	CHECK(json_is_null(json_object_get(t, "last_seen")));
	CHECK_INT(strlen(json_string_value(json_object_get(t, "fingerprint"))), 64);
	CHECK(json_is_null(json_object_get(list, "next")));
	json_decref(list);
	list = daemon_admin_ok(&d, "onward.Device.List", json_pack("{s:i}", "limit", 1));
	CHECK_INT(json_array_size(json_object_get(list, "devices")), 1);
	CHECK_STR(json_string_value(json_object_get(list, "next")), "T0001");
	json_decref(list);
	list = daemon_admin_ok(&d, "onward.Device.List", json_pack("{s:s}", "after", "T0001"));
	t = json_array_get(json_object_get(list, "devices"), 0);
	CHECK_STR(json_string_value(json_object_get(t, "id")), "T0002");
	json_decref(list);

	test_step("revoking: once, with a reason, and only a tablet that exists");
	t = daemon_admin_ok(&d, "onward.Device.Revoke",
	                    json_pack("{s:s, s:s}", "id", "T0002", "reason", "Lost on C wing"));
	CHECK_STR(json_string_value(json_object_get(t, "state")), "revoked");
	CHECK_STR(json_string_value(json_object_get(t, "revoked_by")), "staff:admin");
	CHECK_STR(json_string_value(json_object_get(t, "revoked_reason")), "Lost on C wing");
	json_decref(t);
	daemon_call_as(&d, "admin", "onward.Device.Revoke",
	               json_pack("{s:s, s:s}", "id", "T0002", "reason", "x"), &r);
	estate_expect_error(&r, "onward.Conflict", "revoked already");
	daemon_call_as(&d, "admin", "onward.Device.Revoke",
	               json_pack("{s:s, s:s}", "id", "T0099", "reason", "x"), &r);
	estate_expect_error(&r, "onward.NotFound", "No such tablet");
	daemon_call_as(&d, "admin", "onward.Device.Revoke",
	               json_pack("{s:s, s:s}", "id", "T0001", "reason", ""), &r);
	estate_expect_error(&r, "onward.InvalidParameter", "Say why");
}

static void
only_administrators(void)
{
	struct client_reply r;

	test_step("an officer may not make codes, list, revoke or certify");
	json_decref(daemon_admin_ok(&d, "onward.Staff.Add",
	                            json_pack("{s:s, s:s, s:s, s:s}", "id", "k.patel", "name",
	                                      "Kiran Patel", "role", "officer", "establishment",
	                                      "MDI")));
	daemon_call_as(&d, "k.patel", "onward.Device.EnrolmentCode", json_object(), &r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	client_reply_release(&r);
	daemon_call_as(&d, "k.patel", "onward.Device.List", json_object(), &r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	client_reply_release(&r);
	daemon_call_as(&d, "k.patel", "onward.Device.Revoke",
	               json_pack("{s:s, s:s}", "id", "T0001", "reason", "No"), &r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	client_reply_release(&r);
	daemon_call_as(&d, "k.patel", "onward.Gateway.Certify",
	               json_pack("{s:s, s:[s]}", "public_key", "x", "hosts", "gw"), &r);
	CHECK_STR(r.error, "onward.PermissionDenied");
	client_reply_release(&r);
}

/* Whether the certificate's subjectAltName lists exactly "gateway.mdi.example", 10.0.0.5. */
static void
check_names(X509 *x)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	const GENERAL_NAME *dns, *ip;

	CHECK(names != NULL);
	CHECK_INT(sk_GENERAL_NAME_num(names), 2);
	dns = sk_GENERAL_NAME_value(names, 0);
	ip = sk_GENERAL_NAME_value(names, 1);
	CHECK_INT(dns->type, GEN_DNS);
	CHECK_STR((const char *)ASN1_STRING_get0_data(dns->d.dNSName), "gateway.mdi.example");
	CHECK_INT(ip->type, GEN_IPADD);
	CHECK_INT(ASN1_STRING_length(ip->d.iPAddress), 4);
	CHECK(memcmp(ASN1_STRING_get0_data(ip->d.iPAddress), "\x0a\x00\x00\x05", 4) == 0);
	GENERAL_NAMES_free(names);
	CHECK_INT(X509_check_host(x, "gateway.mdi.example", 0, 0, NULL), 1);
	CHECK_INT(X509_check_ip_asc(x, "10.0.0.5", 0), 1);
	CHECK_INT(X509_check_host(x, "other.example", 0, 0, NULL), 0);
}

static void
gateway_certificate(void)
{
	char point[PKI_POINT_BASE64_LEN + 1];
	EVP_PKEY *key = estate_new_key(point);
	struct client_reply r;
	json_t *reply;
	X509 *x;

	test_step("the gateway's certificate: its names, serverAuth, its own key");
	reply = daemon_admin_ok(&d, "onward.Gateway.Certify",
	                        json_pack("{s:s, s:[s, s]}", "public_key", point, "hosts",
	                                  "gateway.mdi.example", "10.0.0.5"));
	x = estate_check_cert(&d, json_string_value(json_object_get(reply, "certificate")),
	                      json_string_value(json_object_get(reply, "ca")),
	                      "gateway.mdi.example", true, 365);
	check_names(x);
	CHECK_INT(X509_check_private_key(x, key), 1);
	X509_free(x);
	json_decref(reply);

	test_step("a name that is not a host, too many names, none, or a bad key: refused");
	daemon_call_as(
	        &d, "admin", "onward.Gateway.Certify",
	        json_pack("{s:s, s:[s]}", "public_key", point, "hosts", "a,DNS:evil.example"), &r);
	estate_expect_error(&r, "onward.InvalidParameter", "DNS name");
	daemon_call_as(&d, "admin", "onward.Gateway.Certify",
	               json_pack("{s:s, s:[s]}", "public_key", point, "hosts", "-bad.example"), &r);
	estate_expect_error(&r, "onward.InvalidParameter", "DNS name");
	daemon_call_as(&d, "admin", "onward.Gateway.Certify",
	               json_pack("{s:s, s:[sssssssss]}", "public_key", point, "hosts", "a", "b",
	                         "c", "d", "e", "f", "g", "h", "i"),
	               &r);
	CHECK_STR(r.error, "onward.InvalidParameter");
	client_reply_release(&r);
	daemon_call_as(&d, "admin", "onward.Gateway.Certify",
	               json_pack("{s:s, s:[]}", "public_key", point, "hosts"), &r);
	estate_expect_error(&r, "onward.InvalidParameter", "1 to 8");
	daemon_call_as(&d, "admin", "onward.Gateway.Certify",
	               json_pack("{s:s, s:[s]}", "public_key", "AAAA", "hosts", "gw"), &r);
	estate_expect_error(&r, "onward.InvalidParameter", "P-256 point");
	EVP_PKEY_free(key);
}

static void
damaged_ca(void)
{
	char path[256], err[2048];

	test_step("a damaged CA stops the start in one plain line; nothing is made anew");
	daemon_stop(&d);
	snprintf(path, sizeof(path), "%s/estate/ca.crt", d.dir);
	CHECK(truncate(path, 100) == 0);
	CHECK(daemon_start_refused(&d, err, sizeof(err)) != 0);
	CHECK_CONTAINS(err, "the establishment CA cannot be used");
	CHECK_CONTAINS(err, "does not hold a certificate");
	CHECK(unlink(path) == 0);
	snprintf(path, sizeof(path), "%s/estate/ca.key", d.dir);
	CHECK(chmod(path, 0644) == 0);
	CHECK(daemon_start_refused(&d, err, sizeof(err)) != 0);
	CHECK_CONTAINS(err, "others can read it");
	CHECK(unlink(path) == 0);
	/* With neither file there is no CA to strand: the daemon makes one. */
	daemon_start(&d);
}

int
main(void)
{
	/* The server of Moorland: a tablet's hello names it. */
	daemon_make(&d, "{\"scrypt_log_n\": 10, \"establishment\": \"MDI\"}");
	daemon_start(&d);
	daemon_seed(&d);
	list_and_revoke();
	hello_and_revoke();
	audited();
	sockets();
	only_administrators();
	gateway_certificate();
	damaged_ca();
	daemon_stop(&d);
	daemon_remove(&d);
	printf("test-estate-devices: OK\n");
	return 0;
}
