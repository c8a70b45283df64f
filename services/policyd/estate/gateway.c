/*
 * onward.Gateway.Certify: the gateway's TLS certificate. The gateway makes its own key and
 * sends only the public point and the names it answers to; the daemon signs a server
 * certificate for them with the establishment CA, so no private key ever moves and the
 * tablets, which trust only that CA, can check the gateway. Only on admin.sock: a call
 * that came over the network can never ask for a server certificate.
 */
#include "estate_int.h"

#include "call.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

static void
handle_certify(struct call *c)
{
	struct estate *e = estate_of(c->server);
	json_t *list = json_object_get(c->params, "hosts");
	const char *hosts[ESTATE_HOSTS_MAX];
	size_t n = json_array_size(list);
	struct cert_request req = {
	        .kind = CERT_SERVER, .hosts = hosts, .host_count = n, .days = ESTATE_GATEWAY_DAYS};
	char serial[33], pin[PKI_PIN_HEX_LEN + 1], *pem = NULL;
	int64_t not_after = 0;
	X509 *cert = NULL;
	int r;

	call_set_subject(c, "service");
	if (n == 0) {
		call_fail_param(c, "hosts", "Give the names the gateway answers to (1 to 8).");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		hosts[i] = json_string_value(json_array_get(list, i));
		if (!cert_host_valid(hosts[i])) {
			call_fail_param(
			        c, "hosts",
			        "Each host is a DNS name (like gateway.mdi.example) or an IP "
			        "address.");
			return;
		}
	}
	req.common_name = hosts[0];
	if (pki_key_from_base64(params_string(c->params, "public_key", ""), &req.key) < 0) {
		call_fail_param(c, "public_key", ESTATE_BAD_KEY);
		return;
	}
	r = cert_issue(&req, e->ca_cert, e->ca_key, &cert, serial, &not_after);
	EVP_PKEY_free(req.key);
	r = r ?: pki_cert_pin_x509(cert, pin);
	r = r ?: pki_cert_pem(cert, &pem);
	X509_free(cert);
	r = r
	            ?: call_audit(c, "ok",
	                          json_pack("{s:O, s:s, s:s}", "hosts", list, "fingerprint", pin,
	                                    "serial", serial));
	if (r < 0) {
		free(pem);
		call_fail(c, PROTO_ERR_INTERNAL, "The gateway's certificate cannot be made now.",
		          NULL);
		return;
	}
	call_reply(c, json_pack("{s:s, s:s, s:o}", "certificate", pem, "ca", e->ca_pem, "not_after",
	                        render_time(not_after)));
	free(pem);
}

static const struct param_spec certify_params[] = {
        {"public_key", PARAM_STRING, true, 0, 128},
        {"hosts", PARAM_STRINGS, true, 0, ESTATE_HOSTS_MAX},
        {NULL},
};

const struct method gateway_methods[] = {
        {"onward.Gateway.Certify", SOCKET_ADMIN, "gateway.certify", AUDIT_HANDLER,
         .group = "devices.manage", .params = certify_params, .handler = handle_certify},
        {NULL},
};
