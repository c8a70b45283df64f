/*
 * onward.App.Register and onward.App.List: the whitelist of apps. Registering records the
 * executable's path and the SHA-256 the daemon itself computes from the file, so later
 * launches can refuse a binary that has changed.
 */
#include "call.h"

#include "clock.h"
#include "crypto.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
handle_register(struct call *c)
{
	struct store_app app = {0};
	const char *name = params_string(c->params, "name", "");
	const char *path = params_string(c->params, "path", "");
	const char *title = params_string(c->params, "title", name);
	uint8_t digest[CRYPTO_SHA256_LEN];
	struct stat st;
	int r;

	call_set_subject(c, "app:%.33s", name);
	if (!validate_app_name(name)) {
		call_fail_param(c, "name",
		                "An app name is 2 to 32 small letters, numbers or dashes.");
		return;
	}
	if (!validate_text(title, STORE_NAME_MAX, false)) {
		call_fail_param(c, "title", "Give a title of up to 100 characters.");
		return;
	}
	if (path[0] != '/' || !validate_text(path, sizeof(app.path) - 1, false)) {
		call_fail_param(c, "path",
		                "Give the full path of the app's program, starting with /.");
		return;
	}
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
		call_fail_param(c, "path", "That path is not a program the service can run.");
		return;
	}
	r = crypto_sha256_file(path, digest);
	if (r < 0) {
		call_fail_param(c, "path", "That program cannot be read.");
		return;
	}
	snprintf(app.name, sizeof(app.name), "%s", name);
	snprintf(app.title, sizeof(app.title), "%s", title);
	snprintf(app.path, sizeof(app.path), "%s", path);
	crypto_hex_encode(digest, sizeof(digest), app.sha256);
	snprintf(app.registered_by, sizeof(app.registered_by), "%s", c->staff.id);
	app.registered_at = clock_now();
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_app_put(c->server->store, &app);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:s}", "path", path, "sha256", app.sha256));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "app");
		return;
	}
	call_reply(c, json_pack("{s:o}", "app", render_app(&app)));
}

static int
add_app_to_list(const struct store_app *a, void *userdata)
{
	return json_array_append_new(userdata, render_app(a));
}

static void
handle_list(struct call *c)
{
	json_t *list = json_array();
	int r = store_app_list(c->server->store, add_app_to_list, list);

	call_reply_list(c, r, list, "apps", "app");
}

static const struct param_spec register_params[] = {
        {"name", PARAM_STRING, true, 0, 64},
        {"path", PARAM_STRING, true, 0, 4095},
        {"title", PARAM_STRING, false, 0, STORE_NAME_MAX},
        {NULL},
};

static const struct param_spec no_params[] = {{NULL}};

const struct method app_methods[] = {
        {"onward.App.Register", SOCKET_ADMIN, "app.register", AUDIT_HANDLER,
         .group = "service.admin", .params = register_params, .handler = handle_register},
        {"onward.App.List", SOCKET_ADMIN, "app.list", AUDIT_ON_REPLY, .group = "service.admin",
         .network = true, .params = no_params, .handler = handle_list},
        {NULL},
};
