/*
 * onward.Service.*: what this daemon is. Answered on both sockets without a login or a
 * staff id, so tools can check they reach the right service; nothing here is secret.
 */
#include "call.h"

#include "clock.h"
#include "store.h"

static void
handle_get_info(struct call *c)
{
	struct server *srv = c->server;

	call_reply(c,
	           json_pack("{s:s, s:s, s:i, s:o, s:i, s:I, s:I}", "service", "onward-policyd",
	                     "version", "0.1.0", "protocol", 1, "establishment",
	                     srv->config.establishment[0] ? json_string(srv->config.establishment)
	                                                  : json_null(),
	                     "schema_version", store_schema_version(srv->store), "requests",
	                     (json_int_t)srv->requests, "time", (json_int_t)clock_now()));
}

static const struct param_spec no_params[] = {{NULL}};

const struct method service_methods[] = {
        {"onward.Service.GetInfo", SOCKET_CONTROL | SOCKET_ADMIN, "service.info", AUDIT_NONE,
         .anonymous = true, .network = true, .params = no_params, .handler = handle_get_info},
        {NULL},
};
