/*
 * onward.Device.*: tablets. Staff make a one-time enrolment code; a tablet being enrolled
 * sends it with its raw public key through the gateway, and gets back a client
 * certificate this daemon built and signed itself; staff list tablets and revoke them
 * (a revoked tablet is refused at once: tablet.c). The contract is docs/estate.md,
 * "Enrolment".
 */
#include "estate_int.h"

#include "call.h"
#include "clock.h"
#include "crypto.h"
#include "devices.h"
#include "log.h"
#include "render.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* Tablets on a page of Device.List: a reply stays far below its 1 MiB limit. */
#define DEVICE_PAGE_DEFAULT 200
#define DEVICE_PAGE_MAX 500

#define WRONG_CODE "That enrolment code is not right or has run out. Ask staff for a new one."
#define TOO_MANY_CODES                                                                             \
	"Too many wrong enrolment codes have been tried. Wait 15 minutes, then try again."
#define TOO_MANY_HERE                                                                              \
	"Too many wrong enrolment codes have come from this tablet. Wait 15 minutes, then try "    \
	"again."

static json_t *
render_device(const struct store_device *d)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:o, s:s, s:s}", "id", d->id,
	                 "name", d->name, "state", d->revoked_at ? "revoked" : "enrolled",
	                 "fingerprint", d->fingerprint, "enrolled_at", render_time(d->enrolled_at),
	                 "enrolled_by", d->enrolled_by, "last_seen", render_time(d->last_seen),
	                 "software", d->software, "revoked_at", render_time(d->revoked_at),
	                 "revoked_by", d->revoked_by, "revoked_reason", d->revoked_reason);
}

static void
handle_enrolment_code(struct call *c)
{
	struct estate *e = estate_of(c->server);
	char code[ESTATE_CODE_TEXT_LEN + 1], hash[CRYPTO_SHA256_HEX_LEN + 1];
	int64_t now = clock_now(), expires = now + ESTATE_CODE_SECONDS;
	int r;

	call_set_subject(c, "service");
	r = estate_code_make(code);
	r = r ?: estate_code_hash(code, hash);
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "An enrolment code cannot be made now.", NULL);
		return;
	}
	r = store_begin(c->server->store);
	/* Codes that ran out a day ago are of no use to anyone: forget them as we go. */
	r = r ?: store_enrolment_code_prune(c->server->store, now - 86400);
	r = r ?: store_enrolment_code_add(c->server->store, hash, c->actor, now, expires);
	r = r ?: call_audit(c, "ok", json_pack("{s:o}", "expires_at", render_time(expires)));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "enrolment code");
		return;
	}
	call_reply(c, json_pack("{s:s, s:o, s:s}", "code", code, "expires_at", render_time(expires),
	                        "ca_pin", e->ca_pin));
	crypto_wipe(code, sizeof(code));
}

/* A wrong, used or expired code: one plain answer for all, counted and audited. */
static void
enrol_refuse(struct call *c, struct estate *e)
{
	enum guess_verdict pause = guess_wrong(&e->guesses, c->address, clock_now());

	(void)call_audit(c, "refused",
	                 json_pack("{s:s, s:s}", "error", "wrong enrolment code", "pause",
	                           pause == GUESS_ALL_PAUSED       ? "all"
	                           : pause == GUESS_ADDRESS_PAUSED ? "address"
	                                                           : "none"));
	if (pause == GUESS_ALL_PAUSED)
		log_error("estate: %d wrong enrolment codes in %d minutes; enrolment paused",
		          ESTATE_GUESSES_MAX, ESTATE_GUESS_WINDOW / 60);
	else if (pause == GUESS_ADDRESS_PAUSED)
		log_warn("estate: %d wrong enrolment codes from %s; that address must wait",
		         ESTATE_GUESSES_PER_ADDRESS, c->address);
	call_fail(c, PROTO_ERR_PERMISSION_DENIED, WRONG_CODE, NULL);
}

/* Issues the tablet's certificate and keeps its row; inside the caller's transaction. */
static int
enrol_device(struct call *c, EVP_PKEY *key, struct store_device *d, char **ret_pem)
{
	struct estate *e = estate_of(c->server);
	struct cert_request req = {
	        .kind = CERT_CLIENT, .key = key, .common_name = d->id, .days = ESTATE_DEVICE_DAYS};
	X509 *cert = NULL;
	int r = store_device_next_id(c->server->store, d->id, sizeof(d->id));

	r = r ?: pki_key_point_base64(key, d->public_key);
	r = r ?: cert_issue(&req, e->ca_cert, e->ca_key, &cert, d->serial, NULL);
	r = r ?: pki_cert_pin_x509(cert, d->fingerprint);
	r = r ?: pki_cert_pem(cert, ret_pem);
	X509_free(cert);
	d->enrolled_at = clock_now();
	call_set_subject(c, "device:%s", d->id);
	r = r ?: store_device_insert(c->server->store, d);
	r = r
	            ?: call_audit(c, "ok",
	                          json_pack("{s:s, s:s, s:s, s:s}", "name", d->name, "fingerprint",
	                                    d->fingerprint, "serial", d->serial, "code_by",
	                                    d->enrolled_by));
	return r;
}

static void
handle_enrol(struct call *c)
{
	struct estate *e = estate_of(c->server);
	struct store_device d = {0};
	const char *code = params_string(c->params, "code", "");
	const char *name = params_string(c->params, "name", "");
	const char *software = params_string(c->params, "software", "");
	char hash[CRYPTO_SHA256_HEX_LEN + 1], *pem = NULL;
	EVP_PKEY *key = NULL;
	enum guess_verdict pause;
	bool wrong;
	int r = 0;

	call_set_subject(c, "device:?");
	if (name[0] && !validate_text(name, STORE_DEVICE_NAME_MAX, false)) {
		call_fail_param(c, "name", "A tablet's name is up to 64 characters on one line.");
		return;
	}
	if (software[0] && !validate_text(software, STORE_DEVICE_SOFTWARE_MAX, false)) {
		call_fail_param(c, "software", "The software version is up to 32 characters.");
		return;
	}
	if (pki_key_from_base64(params_string(c->params, "public_key", ""), &key) < 0) {
		call_fail_param(c, "public_key", ESTATE_BAD_KEY);
		return;
	}
	/* The key is checked first, so a good code is never spent on a bad request. */
	pause = guess_check(&e->guesses, c->address, clock_now());
	if (pause != GUESS_OK) {
		EVP_PKEY_free(key);
		call_fail(c, PROTO_ERR_PERMISSION_DENIED,
		          pause == GUESS_ALL_PAUSED ? TOO_MANY_CODES : TOO_MANY_HERE, NULL);
		return;
	}
	snprintf(d.name, sizeof(d.name), "%s", name);
	snprintf(d.software, sizeof(d.software), "%s", software);
	/* Not a code at all, unknown, used or run out: the same words for each. */
	wrong = estate_code_hash(code, hash) < 0;
	if (!wrong) {
		r = store_begin(c->server->store);
		r = r
		            ?: store_enrolment_code_use(c->server->store, hash, clock_now(),
		                                        d.enrolled_by, sizeof(d.enrolled_by));
		wrong = r == -ENOENT;
		r = r ?: enrol_device(c, key, &d, &pem);
		r = call_end_transaction(c, r);
	}
	EVP_PKEY_free(key);
	if (wrong) {
		enrol_refuse(c, e);
		return;
	}
	if (r < 0) {
		free(pem);
		call_fail_store(c, r, "tablet");
		return;
	}
	call_reply(c, json_pack("{s:s, s:s, s:s}", "device", d.id, "certificate", pem, "ca",
	                        e->ca_pem));
	free(pem);
}

struct device_page {
	json_t *list; /* owned until the reply takes it */
	char last[16]; /* the id of the last device in it */
};

static int
add_device_to_page(const struct store_device *d, void *userdata)
{
	struct device_page *page = userdata;

	snprintf(page->last, sizeof(page->last), "%s", d->id);
	return json_array_append_new(page->list, render_device(d));
}

/* One page of tablets; "next" is where the following page starts, null after the last. */
static void
handle_list(struct call *c)
{
	const char *after = params_string(c->params, "after", "");
	int limit = (int)params_int(c->params, "limit", DEVICE_PAGE_DEFAULT);
	struct device_page page = {.list = json_array()};
	int r = store_device_list(c->server->store, after, limit, add_device_to_page, &page);

	call_set_subject(c, "service");
	if (r < 0) {
		json_decref(page.list);
		call_fail_store(c, r, "tablet");
		return;
	}
	call_reply(c, json_pack("{s:o, s:o}", "devices", page.list, "next",
	                        (int)json_array_size(page.list) == limit ? json_string(page.last)
	                                                                 : json_null()));
}

static void
handle_revoke(struct call *c)
{
	const char *id = params_string(c->params, "id", "");
	const char *reason = params_string(c->params, "reason", "");
	struct store_device d;
	int r;

	call_set_subject(c, "device:%.15s", id);
	if (!validate_text(reason, STORE_DEVICE_REASON_MAX, false)) {
		call_fail_param(c, "reason",
		                "Say why the tablet is revoked (up to 200 characters).");
		return;
	}
	r = store_begin(c->server->store);
	r = r ?: store_device_revoke(c->server->store, id, clock_now(), c->actor, reason);
	r = r ?: call_audit(c, "ok", json_pack("{s:s}", "reason", reason));
	r = r ?: store_device_get(c->server->store, id, &d);
	r = call_end_transaction(c, r);
	if (r == -EALREADY) {
		call_fail(c, PROTO_ERR_CONFLICT, "That tablet was revoked already.", NULL);
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "tablet");
		return;
	}
	call_reply(c, render_device(&d));
}

static const struct param_spec no_params[] = {{NULL}};

static const struct param_spec list_params[] = {
        {"after", PARAM_STRING, false, 0, 15},
        {"limit", PARAM_INT, false, 1, DEVICE_PAGE_MAX},
        {NULL},
};

static const struct param_spec enrol_params[] = {
        {"code", PARAM_STRING, true, 0, 32},
        {"public_key", PARAM_STRING, true, 0, 128},
        {"name", PARAM_STRING, false, 0, STORE_DEVICE_NAME_MAX},
        {"software", PARAM_STRING, false, 0, STORE_DEVICE_SOFTWARE_MAX},
        {NULL},
};

static const struct param_spec revoke_params[] = {
        {"id", PARAM_STRING, true, 0, 15},
        {"reason", PARAM_STRING, true, 0, STORE_DEVICE_REASON_MAX},
        {NULL},
};

const struct method device_methods[] = {
        /* Staff's, on admin.sock and through the gateway with a staff session. */
        {"onward.Device.EnrolmentCode", SOCKET_ADMIN, "device.enrolment_code", AUDIT_HANDLER,
         .group = "devices.manage", .network = true, .params = no_params,
         .handler = handle_enrolment_code},
        {"onward.Device.List", SOCKET_ADMIN, "device.list", AUDIT_ON_REPLY,
         .group = "devices.manage", .network = true, .params = list_params, .handler = handle_list},
        {"onward.Device.Revoke", SOCKET_ADMIN, "device.revoke", AUDIT_HANDLER,
         .group = "devices.manage", .network = true, .params = revoke_params,
         .handler = handle_revoke},
        /* A tablet being enrolled: proven by nothing but its code, which the handler
         * checks. Audited by the handler outside the method's audit: each wrong code up to
         * the limit, and not the refusals while enrolment is paused (no flood of rows). */
        {"onward.Device.Enrol", SOCKET_GATEWAY, "device.enrol", AUDIT_NONE, .anonymous = true,
         .params = enrol_params, .handler = handle_enrol},
        {NULL},
};
