/*
 * What the kiosk shell and the apps ask: onward.Shell.Home (the tiles, each allowed or
 * locked with its reason), onward.App.Open (a policy decision, the binary's hash checked
 * again, and a channel passed back as a descriptor), and, on an app's channel,
 * onward.App.Info (who the app is serving and what that person may do).
 */
#include "call.h"

#include "crypto.h"
#include "log.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CRISIS_APP "crisis"

/* Decides whether person may open app, with the reason. */
static int
decide_app(struct call *c, const struct store_person *person, const char *name, const char *title,
           struct decision *ret)
{
	struct policy_uid principal = {"Person", person->prison_number};
	struct policy_uid resource = {"App", name};
	struct facts_context ctx;
	struct facts *f = decide_person_begin(c->server, person, &ctx);

	if (!f || facts_add_app(f, name, title) < 0)
		return -ENOMEM;
	return decide(c->server, &principal, "app.open", &resource, &ctx, ret);
}

struct home {
	struct call *call;
	const struct store_person *person;
	json_t *tiles;
	json_t *decisions; /* for the audit row */
	json_t *badges; /* the areas' numbers for their apps' tiles (area.h) */
	bool crisis_registered;
	int error;
};

static json_t *
tile(const char *app, const char *title, const struct decision *d, bool registered)
{
	return json_pack("{s:s, s:s, s:b, s:s, s:i, s:b, s:b}", "app", app, "title", title,
	                 "allowed", d->allowed, "reason", d->allowed ? "" : d->reason, "badge", 0,
	                 "crisis", strcmp(app, CRISIS_APP) == 0, "registered", registered);
}

static int
add_tile(const struct store_app *a, void *userdata)
{
	struct home *h = userdata;
	struct decision d;
	int r = decide_app(h->call, h->person, a->name, a->title, &d);

	if (r < 0)
		return r;
	if (strcmp(a->name, CRISIS_APP) == 0)
		h->crisis_registered = true;
	json_array_append_new(h->tiles, tile(a->name, a->title, &d, true));
	if (json_is_integer(json_object_get(h->badges, a->name)))
		json_object_set(json_array_get(h->tiles, json_array_size(h->tiles) - 1), "badge",
		                json_object_get(h->badges, a->name));
	json_object_set_new(h->decisions, a->name,
	                    json_pack("{s:b, s:s}", "allowed", d.allowed, "policies", d.policies));
	return 0;
}

static void
handle_home(struct call *c)
{
	struct store_person person;
	struct home h = {.call = c, .person = &person};
	json_t *detail, *fields;
	int r;

	if (!call_session_person(c, &person))
		return;
	h.tiles = json_array();
	h.decisions = json_object();
	h.badges = json_object();
	fields = json_object();
	r = !h.tiles || !h.decisions || !h.badges || !fields ? -ENOMEM : 0;
	/* Each area adds its part first (badges, the next appointment, banners). */
	for (size_t i = 0; r == 0 && area_list[i]; i++) {
		struct home_screen screen = {h.badges, fields};

		if (area_list[i]->home)
			r = area_list[i]->home(c->server, &person, &screen);
	}
	if (r == 0)
		r = store_app_list(c->server->store, add_tile, &h);
	if (r == 0 && !h.crisis_registered) {
		/* Crisis help is always on the home screen, even before its app is installed:
		 * the shell then shows its own crisis page. */
		struct decision d;

		r = decide_app(c, &person, CRISIS_APP, "Crisis help", &d);
		if (r == 0)
			json_array_append_new(h.tiles, tile(CRISIS_APP, "Crisis help", &d, false));
	}
	json_decref(h.badges);
	if (r < 0) {
		json_decref(h.tiles);
		json_decref(h.decisions);
		json_decref(fields);
		call_fail(c, PROTO_ERR_INTERNAL, "The home screen cannot be made now.", NULL);
		return;
	}
	detail = json_pack("{s:o}", "apps", h.decisions);
	(void)call_audit(c, "ok", detail);
	json_object_set_new(fields, "person", render_person_self(&person));
	json_object_set_new(fields, "tiles", h.tiles);
	call_reply(c, fields);
}

static void
handle_open(struct call *c)
{
	const char *name = params_string(c->params, "app", "");
	struct store_person person;
	struct store_app app;
	struct decision d;
	uint8_t digest[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX_LEN + 1];
	size_t len;
	char *reply;
	int fd, r;

	if (!validate_app_name(name)) {
		call_fail_param(c, "app", "That is not an app name.");
		return;
	}
	if (!call_session_person(c, &person))
		return;
	call_set_subject(c, "app:%s", name);
	r = store_app_get(c->server->store, name, &app);
	if (r < 0) {
		call_fail_store(c, r, "app");
		return;
	}
	r = decide_app(c, &person, app.name, app.title, &d);
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "The app cannot be opened now.", NULL);
		return;
	}
	c->decision = d;
	if (!d.allowed) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, d.reason, NULL);
		return;
	}
	/* The program must still be the one staff registered. */
	r = crypto_sha256_file(app.path, digest);
	if (r == 0)
		crypto_hex_encode(digest, sizeof(digest), hex);
	if (r < 0 || strcmp(hex, app.sha256) != 0) {
		log_warn("app %s: %s does not match its registered SHA-256; refusing to open it",
		         app.name, app.path);
		call_fail(c, PROTO_ERR_PERMISSION_DENIED,
		          "This app has been changed, so it cannot open. Please tell staff.",
		          json_pack("{s:s}", "problem", r < 0 ? "unreadable" : "changed"));
		return;
	}
	r = peer_open_channel(c->peer, app.name, &fd);
	if (r < 0) {
		call_fail(c, PROTO_ERR_BUSY, "Too many apps are open. Close one and try again.",
		          NULL);
		return;
	}
	if (call_audit(c, "allow", json_pack("{s:s}", "reason", d.reason)) < 0) {
		close(fd);
		call_fail(c, PROTO_ERR_INTERNAL, "The app cannot be opened now.", NULL);
		return;
	}
	reply = proto_reply_ok(json_pack("{s:s, s:s, s:s, s:s, s:b}", "app", app.name, "title",
	                                 app.title, "path", app.path, "sha256", app.sha256,
	                                 "descriptor", 1),
	                       &len);
	if (!reply) {
		close(fd);
		call_fail(c, PROTO_ERR_INTERNAL, "The app cannot be opened now.", NULL);
		return;
	}
	peer_send_with_fd(c->peer, reply, len, fd);
	call_done(c);
}

/* A person action an app can show: its decision and reason. */
static json_t *
permission(struct call *c, const struct store_person *person, const char *action,
           const char *resource_type, const char *resource_id)
{
	struct policy_uid principal = {"Person", person->prison_number};
	struct policy_uid resource = {resource_type, resource_id};
	struct facts_context ctx;
	struct facts *f = decide_person_begin(c->server, person, &ctx);
	struct decision d;

	if (!f ||
	    (strcmp(resource_type, "Service") == 0
	             ? facts_add_service(f)
	             : facts_add_app(f, resource_id, resource_id)) < 0 ||
	    decide(c->server, &principal, action, &resource, &ctx, &d) < 0)
		return json_pack("{s:s, s:b, s:s}", "action", action, "allowed", 0, "reason",
		                 "This cannot be checked now.");
	return json_pack("{s:s, s:b, s:s}", "action", action, "allowed", d.allowed, "reason",
	                 d.reason);
}

static void
handle_info(struct call *c)
{
	struct store_person person;
	struct store_app app;
	json_t *permissions;

	if (!call_session_person(c, &person))
		return;
	if (store_app_get(c->server->store, c->peer->app, &app) < 0)
		snprintf(app.title, sizeof(app.title), "%s", c->peer->app);
	permissions = json_array();
	json_array_append_new(permissions, permission(c, &person, "app.open", "App", c->peer->app));
	for (size_t i = 0; area_list[i]; i++)
		for (const char *const *a = area_list[i]->service_actions; a && *a; a++)
			json_array_append_new(permissions,
			                      permission(c, &person, *a, "Service", "onward"));
	call_reply(c, json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:o}", "app", c->peer->app, "title",
	                        app.title, "person", "given_name", person.given_name, "family_name",
	                        person.family_name, "prison_number", person.prison_number,
	                        "permissions", permissions));
}

static const struct param_spec no_params[] = {{NULL}};

static const struct param_spec open_params[] = {
        {"app", PARAM_STRING, true, 0, 64},
        {NULL},
};

const struct method shell_methods[] = {
        {"onward.Shell.Home", SOCKET_CONTROL, "shell.home", AUDIT_HANDLER, .needs_session = true,
         .params = no_params, .handler = handle_home},
        {"onward.App.Open", SOCKET_CONTROL, "app.open", AUDIT_HANDLER, .needs_session = true,
         .params = open_params, .handler = handle_open},
        {"onward.App.Info", SOCKET_CHANNEL, "app.info", AUDIT_NONE, .apps = "*",
         .needs_session = true, .params = no_params, .handler = handle_info},
        {NULL},
};
