/*
 * What an enrolled tablet meets: the dispatcher's lookup of a client certificate's
 * fingerprint (server::device_find, set at the area's start), so that a revoked tablet is
 * refused at once on every device method, and onward.Device.Hello, which records that the
 * tablet was seen and tells it who and where it is and the time (a tablet's own clock is
 * not to be trusted until it has heard it). The sync methods will join it here.
 */
#include "estate_int.h"

#include "call.h"
#include "clock.h"
#include "devices.h"
#include "render.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int
estate_device_find(struct server *srv, const char *fingerprint, char *ret_id)
{
	struct store_device d;
	int r = store_device_find(srv->store, fingerprint, &d);

	if (r < 0)
		return r;
	if (d.revoked_at)
		return -EACCES;
	snprintf(ret_id, 33, "%s", d.id);
	return 0;
}

/* This server's establishment: its code and name ("" when none is set up yet). */
static json_t *
render_here(struct server *srv)
{
	struct store_establishment e = {0};

	if (srv->config.establishment[0] &&
	    store_establishment_get(srv->store, srv->config.establishment, &e) < 0)
		snprintf(e.code, sizeof(e.code), "%s", srv->config.establishment);
	return json_pack("{s:s, s:s}", "code", e.code, "name", e.name);
}

static void
handle_hello(struct call *c)
{
	const char *software = params_string(c->params, "software", "");
	int64_t now = clock_now();
	int r;

	call_set_subject(c, "device:%s", c->device);
	if (software[0] && !validate_text(software, STORE_DEVICE_SOFTWARE_MAX, false)) {
		call_fail_param(c, "software", "The software version is up to 32 characters.");
		return;
	}
	r = store_device_seen(c->server->store, c->device, now, software);
	if (r < 0) {
		call_fail_store(c, r, "tablet");
		return;
	}
	call_reply(c, json_pack("{s:s, s:o, s:o}", "device", c->device, "establishment",
	                        render_here(c->server), "server_time", render_time(now)));
}

static const struct param_spec hello_params[] = {
        {"software", PARAM_STRING, false, 0, STORE_DEVICE_SOFTWARE_MAX},
        {NULL},
};

const struct method tablet_methods[] = {
        /* Not audited: a tablet says hello often, and last_seen records it. */
        {"onward.Device.Hello", SOCKET_GATEWAY, "device.hello", AUDIT_NONE, .device = true,
         .params = hello_params, .handler = handle_hello},
        {NULL},
};
