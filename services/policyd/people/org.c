/*
 * onward.Establishment.* and onward.Staff.*: the organisation. Establishments are prisons
 * and probation regions by code; staff members have one role. The first staff member is
 * added break-glass (root on admin.sock); after that administrators add staff. Each new
 * account comes with a one-time setup code for its owner to choose a password and set up
 * their authenticator app (session/staff_setup.c).
 */
#include "call.h"

#include "authz.h"
#include "clock.h"
#include "render.h"
#include "staff_session.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void
handle_establishment_add(struct call *c)
{
	struct store_establishment e = {0};
	const char *code = params_string(c->params, "code", "");
	const char *name = params_string(c->params, "name", "");
	const char *kind = params_string(c->params, "kind", "prison");
	int r;

	call_set_subject(c, "establishment:%.4s", code);
	if (!validate_establishment_code(code)) {
		call_fail_param(c, "code",
		                "An establishment code is three capital letters, like MDI.");
		return;
	}
	if (!validate_text(name, STORE_NAME_MAX, false)) {
		call_fail_param(c, "name", "Give the establishment's name (up to 100 characters).");
		return;
	}
	if (strcmp(kind, "prison") != 0 && strcmp(kind, "probation") != 0) {
		call_fail_param(c, "kind", "The kind is prison or probation.");
		return;
	}
	snprintf(e.code, sizeof(e.code), "%s", code);
	snprintf(e.name, sizeof(e.name), "%s", name);
	snprintf(e.kind, sizeof(e.kind), "%s", kind);
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_establishment_insert(c->server->store, &e);
	if (r == 0)
		r = call_audit(c, "ok", json_pack("{s:s, s:s}", "name", name, "kind", kind));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "establishment");
		return;
	}
	call_reply(c, render_establishment(&e));
}

static int
add_establishment_to_list(const struct store_establishment *e, void *userdata)
{
	return json_array_append_new(userdata, render_establishment(e));
}

static void
handle_establishment_list(struct call *c)
{
	json_t *list = json_array();
	int r = store_establishment_list(c->server->store, add_establishment_to_list, list);

	call_reply_list(c, r, list, "establishments", "establishment");
}

static void
handle_staff_add(struct call *c)
{
	struct store_staff st = {0};
	struct store_establishment e;
	const char *id = params_string(c->params, "id", "");
	const char *name = params_string(c->params, "name", "");
	const char *role = params_string(c->params, "role", "");
	const char *est = params_string(c->params, "establishment", "");
	char code[ONETIME_CODE_SIZE];
	int64_t expires = 0;
	json_t *reply;
	int r;

	call_set_subject(c, "staff:%.33s", id);
	if (!validate_staff_id(id)) {
		call_fail_param(c, "id",
		                "A staff id is 2 to 32 small letters, numbers, dots or dashes.");
		return;
	}
	if (!validate_text(name, STORE_NAME_MAX, false)) {
		call_fail_param(c, "name", "Give the staff member's name (up to 100 characters).");
		return;
	}
	if (!authz_role_valid(role)) {
		call_fail_param(c, "role",
		                "The role is one of officer, key_worker, education, probation, "
		                "housing, administrator.");
		return;
	}
	if (est[0] && store_establishment_get(c->server->store, est, &e) < 0) {
		call_fail_param(c, "establishment", "No establishment has that code.");
		return;
	}
	if (strcmp(id, BREAK_GLASS_ID) == 0) {
		call_fail_param(c, "id", "That id is kept for break-glass access.");
		return;
	}
	snprintf(st.id, sizeof(st.id), "%s", id);
	snprintf(st.name, sizeof(st.name), "%s", name);
	snprintf(st.role, sizeof(st.role), "%s", role);
	snprintf(st.establishment, sizeof(st.establishment), "%s", est);
	st.active = true;
	st.created_at = clock_now();
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_staff_insert(c->server->store, &st);
	/* They cannot sign in until they use this code (session/staff_setup.c). */
	if (r == 0)
		r = staff_setup_code_issue(c->server, id, code, &expires);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:s}", "role", role, "establishment", est));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "staff id");
		return;
	}
	reply = render_staff(&st);
	json_object_set_new(reply, "setup_code", json_string(code));
	json_object_set_new(reply, "setup_expires_at", json_integer(expires));
	call_reply(c, reply);
}

static int
add_staff_to_list(const struct store_staff *st, void *userdata)
{
	return json_array_append_new(userdata, render_staff(st));
}

static void
handle_staff_list(struct call *c)
{
	json_t *list = json_array();
	int r = store_staff_list(c->server->store, add_staff_to_list, list);

	call_reply_list(c, r, list, "staff", "staff");
}

static const struct param_spec establishment_add_params[] = {
        {"code", PARAM_STRING, true, 0, 8},
        {"name", PARAM_STRING, true, 0, STORE_NAME_MAX},
        {"kind", PARAM_STRING, false, 0, 16},
        {NULL},
};

static const struct param_spec staff_add_params[] = {
        {"id", PARAM_STRING, true, 0, 64},
        {"name", PARAM_STRING, true, 0, STORE_NAME_MAX},
        {"role", PARAM_STRING, true, 0, 32},
        {"establishment", PARAM_STRING, false, 0, 8},
        {NULL},
};

static const struct param_spec no_params[] = {{NULL}};

const struct method staff_methods[] = {
        {"onward.Establishment.Add", SOCKET_ADMIN, "establishment.add", AUDIT_HANDLER,
         .group = "service.admin", .network = true, .params = establishment_add_params,
         .handler = handle_establishment_add},
        {"onward.Establishment.List", SOCKET_ADMIN, "establishment.list", AUDIT_ON_REPLY,
         .group = "service.admin", .network = true, .params = no_params,
         .handler = handle_establishment_list},
        {"onward.Staff.Add", SOCKET_ADMIN, "staff.add", AUDIT_HANDLER, .group = "service.admin",
         .network = true, .params = staff_add_params, .handler = handle_staff_add},
        {"onward.Staff.List", SOCKET_ADMIN, "staff.list", AUDIT_ON_REPLY, .group = "service.admin",
         .network = true, .params = no_params, .handler = handle_staff_list},
        {NULL},
};
