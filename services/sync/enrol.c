/*
 * onward-sync enrol: the tablet's one-time enrolment (docs/estate.md, "Enrolment"). The key
 * is made here first and only its public point is sent. The CA is fetched once without
 * verification and trusted only because its SHA-256 is the pin staff read out with the
 * code; Device.Enrol is then called over TLS verified against that CA, so the code itself
 * never goes to a server the pin did not prove.
 */
#include "sync.h"

#include "https.h"
#include "pki.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

/* The call's parameters: the code, this tablet's point, its name and software. */
static json_t *
enrol_params(const struct sync_options *o, EVP_PKEY *key)
{
	char point[PKI_POINT_BASE64_LEN + 1];

	if (pki_key_point_base64(key, point) < 0)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s}", "code", o->code, "public_key", point, "name",
	                 o->name ? o->name : "", "software", ONWARD_VERSION);
}

int
sync_enrol(const struct sync_options *o)
{
	struct device_paths p;
	struct https_target t = {.url = o->server, .timeout_ms = o->timeout_ms};
	EVP_PKEY *key = NULL;
	json_t *params = NULL, *reply = NULL, *got;
	char err[600], *ca = NULL;
	const char *cert, *device;
	int r;

	r = device_open(o->dir, true, &p, err, sizeof(err));
	if (r == 0 && access(p.cert, F_OK) == 0) {
		snprintf(err, sizeof(err),
		         "this tablet is enrolled already (%.400s); remove that folder to enrol it "
		         "again",
		         p.cert);
		r = -EEXIST;
	}
	r = r ?: device_make_key(&p, &key, err, sizeof(err));
	r = r ?: https_fetch_ca(o->server, o->ca_pin, o->timeout_ms, &ca, err, sizeof(err));
	if (r == 0) {
		t.ca_pem = ca;
		params = enrol_params(o, key);
		r = params ? https_call(&t, "onward.Device.Enrol", params, &reply, err, sizeof(err))
		           : -ENOMEM;
	}
	if (r == 0 && sync_reply_failed(reply)) {
		r = -EPERM;
		err[0] = '\0';
	}
	got = json_object_get(reply, "parameters");
	cert = json_string_value(json_object_get(got, "certificate"));
	device = json_string_value(json_object_get(got, "device"));
	if (r == 0 && (!cert || !device)) {
		snprintf(err, sizeof(err), "the reply was not understood");
		r = -EBADMSG;
	}
	/* The CA kept is the one the pin proved, whatever else the reply says. */
	r = r ?: device_save(&p, key, cert, ca, err, sizeof(err));
	if (r == 0 && o->json)
		sync_print_json(got);
	else if (r == 0)
		printf("Enrolled as %s. Its certificate is in %s.\n", device, p.cert);
	if (r < 0 && err[0])
		fprintf(stderr, "onward-sync: %s\n", err);
	json_decref(params);
	json_decref(reply);
	EVP_PKEY_free(key);
	free(ca);
	return r < 0 ? 1 : 0;
}
