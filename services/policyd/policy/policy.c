/*
 * Staff and policy: onward.Policy.Explain (why a person may or may not do something, in
 * the words they would see, with the policies that decided), onward.Policy.Reload,
 * onward.Grant.* (per-person grants and revocations: links of the national templates
 * grant-app, block-app, grant-course and block-course, stored so they survive restarts,
 * optionally expiring), and onward.Establishment.Regime (lockdown, night, unlock, auto).
 */
#include "call.h"

#include "clock.h"
#include "crypto.h"
#include "log.h"
#include "london.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Parses "app:games", "contact:17", "course:money-basics", "service" (each a kind some
 * area declares, area.h) into a uid and adds its entity to the facts. false after
 * answering the call.
 */
static bool
resolve_resource(struct call *c, struct facts *f, const char *text, const struct store_person *p,
                 char *id, size_t id_size, struct policy_uid *ret)
{
	const char *named;
	const struct area_resource *kind = area_resource_find(text, &named);
	int r;

	if (!kind) {
		call_fail_param(c, "resource",
		                "Name the resource like app:games, contact:17, staff:k.patel, "
		                "course:money-basics or service.");
		return false;
	}
	r = kind->add(c->server, f, p, named);
	if (r == -ENOENT) {
		call_fail_param(c, "resource", kind->missing);
		return false;
	}
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now.", NULL);
		return false;
	}
	snprintf(id, id_size, "%s", kind->valid ? named : "onward");
	*ret = (struct policy_uid){kind->type, id};
	return true;
}

/* An action a person's requests are decided on: one that some area declares. */
static bool
known_action(const char *action)
{
	for (size_t i = 0; area_list[i]; i++)
		for (size_t k = 0; area_list[i]->person_actions && area_list[i]->person_actions[k];
		     k++)
			if (strcmp(action, area_list[i]->person_actions[k]) == 0)
				return true;
	return false;
}

/* "app.open, message.send, ..." for the message when the action is unknown. */
static void
person_actions_text(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; area_list[i]; i++)
		for (size_t k = 0; area_list[i]->person_actions && area_list[i]->person_actions[k];
		     k++)
			if (used < size)
				used += (size_t)snprintf(buf + used, size - used, "%s%s",
				                         used ? ", " : "",
				                         area_list[i]->person_actions[k]);
}

/* The determining policies with their effect and reason. */
static json_t *
explain_policies(const struct server *srv, const char *ids)
{
	json_t *list = json_array();
	char copy[DECISION_POLICIES_MAX];
	char *save = NULL;

	snprintf(copy, sizeof(copy), "%s", ids);
	for (char *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		enum policy_effect effect = POLICY_PERMIT;
		const char *reason = "";

		(void)policy_set_effect(srv->policy.enforced, id, &effect);
		(void)policy_set_annotation(srv->policy.enforced, id, "reason", &reason);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "id", id, "effect",
		                                      effect == POLICY_FORBID ? "forbid" : "permit",
		                                      "reason", reason));
	}
	return list;
}

static void
handle_explain(struct call *c)
{
	const char *action = params_string(c->params, "action", "");
	const char *text = params_string(c->params, "resource", "");
	struct policy_uid principal = {"Person", c->person.prison_number}, resource;
	struct facts_context ctx;
	struct decision d;
	struct facts *f;
	char id[72];

	if (!known_action(action)) {
		char actions[300], message[400];

		person_actions_text(actions, sizeof(actions));
		snprintf(message, sizeof(message), "The action is one of %s.", actions);
		call_fail_param(c, "action", message);
		return;
	}
	f = decide_person_begin(c->server, &c->person, &ctx);
	if (!f) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now.", NULL);
		return;
	}
	if (!resolve_resource(c, f, text, &c->person, id, sizeof(id), &resource))
		return;
	/* The counters the areas decide with (messages sent today, London time). */
	if (areas_context(c->server, &c->person, &ctx) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now.", NULL);
		return;
	}
	if (decide(c->server, &principal, action, &resource, &ctx, &d) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now.", NULL);
		return;
	}
	call_reply(c, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:{s:i, s:i, s:s, s:s}}",
	                        "prison_number", c->person.prison_number, "action", action,
	                        "resource", text, "decision", d.allowed ? "allow" : "deny",
	                        "policies", explain_policies(c->server, d.policies), "reason",
	                        d.reason, "context", "hour", ctx.hour, "weekday", ctx.weekday,
	                        "regime", ctx.regime, "device", ctx.device));
}

static void
handle_reload(struct call *c)
{
	char err[600] = "";

	if (decide_load(c->server, err, sizeof(err)) < 0) {
		log_error("policy reload by %s: %s", c->staff.id, err);
		call_fail(c, PROTO_ERR_CONFLICT, err, NULL);
		return;
	}
	log_info("policy reloaded by %s: %u policies and links", c->staff.id,
	         c->server->policy.policies);
	call_reply(c, json_pack("{s:s, s:i, s:i}", "directory", decide_policy_dir(c->server),
	                        "policies", c->server->policy.policies, "grants",
	                        c->server->policy.grants));
}

static json_t *
render_grant(const struct store_grant *g)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:o}", "id", g->id, "template",
	                 g->template_name, "prison_number", g->prison_number, "resource",
	                 g->resource_id, "expires_at", render_time(g->expires_at), "reason",
	                 g->reason, "created_by", g->created_by, "created_at",
	                 render_time(g->created_at));
}

struct grant_match {
	const char *type, *id;
	const char *template_name;
	char found[40];
};

static int
find_grant(const struct store_grant *g, void *userdata)
{
	struct grant_match *m = userdata;

	if (strcmp(g->resource_type, m->type) == 0 && strcmp(g->resource_id, m->id) == 0 &&
	    strcmp(g->template_name, m->template_name) == 0)
		snprintf(m->found, sizeof(m->found), "%s", g->id);
	return 0;
}

/* grant (open) or revoke (block): replaces the opposite link for the same resource. */
static void
change_grant(struct call *c, bool open)
{
	const char *text = params_string(c->params, "resource", "");
	const char *until = params_string(c->params, "until", NULL);
	const char *reason = params_string(c->params, "reason", "");
	struct store *store = c->server->store;
	struct store_grant g = {0};
	struct grant_match opposite;
	const struct area_resource *kind;
	const char *named;
	char opposite_template[40];
	uint8_t raw[8];
	char hex[17], err[600] = "";
	int64_t expires = 0;
	int r;

	kind = area_resource_find(text, &named);
	if (!kind || !kind->grantable) {
		call_fail_param(c, "resource",
		                "Name an app or a course, like app:games or "
		                "course:money-basics.");
		return;
	}
	snprintf(g.resource_type, sizeof(g.resource_type), "%s", kind->type);
	snprintf(g.template_name, sizeof(g.template_name), "%s-%s", open ? "grant" : "block",
	         kind->prefix);
	if (!open && strcmp(text, "app:crisis") == 0) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED,
		          "Crisis help cannot be closed for anyone.", NULL);
		return;
	}
	/* A grant "until" a date holds to the end of that day in London. */
	if (until && (london_day_end(until, &expires) < 0 || expires <= clock_now())) {
		call_fail_param(c, "until", "Give a date in the future, like 2027-03-31.");
		return;
	}
	if (reason[0] && !validate_text(reason, 500, false)) {
		call_fail_param(c, "reason", "Give a reason of up to 500 characters.");
		return;
	}
	snprintf(g.resource_id, sizeof(g.resource_id), "%s", named);
	if (crypto_random(raw, sizeof(raw)) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "No grant id could be made.", NULL);
		return;
	}
	crypto_hex_encode(raw, sizeof(raw), hex);
	snprintf(g.id, sizeof(g.id), "%s-%s", open ? "grant" : "block", hex);
	g.person_id = c->person.id;
	snprintf(g.prison_number, sizeof(g.prison_number), "%s", c->person.prison_number);
	g.expires_at = expires;
	snprintf(g.reason, sizeof(g.reason), "%s", reason);
	snprintf(g.created_by, sizeof(g.created_by), "%s", c->staff.id);
	g.created_at = clock_now();
	snprintf(opposite_template, sizeof(opposite_template), "%s-%s", open ? "block" : "grant",
	         kind->prefix);
	opposite = (struct grant_match){g.resource_type, g.resource_id, opposite_template};

	r = store_begin(store);
	if (r == 0)
		r = store_grant_list(store, c->person.id, find_grant, &opposite);
	if (r == 0 && opposite.found[0])
		r = store_grant_delete(store, opposite.found);
	if (r == 0)
		r = store_grant_insert(store, &g);
	/* Load the policy with the new link inside the transaction: commit only if it loads. */
	if (r == 0 && decide_load(c->server, err, sizeof(err)) < 0)
		r = -EINVAL;
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:s, s:s, s:o, s:s?}", "grant", g.id, "template",
		                         g.template_name, "resource", text, "expires_at",
		                         render_time(g.expires_at), "replaced",
		                         opposite.found[0] ? opposite.found : NULL));
	r = call_end_transaction(c, r);
	if (r < 0) {
		char restore[600];

		(void)decide_load(c->server, restore, sizeof(restore));
		if (err[0])
			call_fail(c, PROTO_ERR_CONFLICT, err, NULL);
		else
			call_fail_store(c, r, "grant");
		return;
	}
	call_reply(c, json_pack("{s:o}", "grant", render_grant(&g)));
}

static void
handle_grant(struct call *c)
{
	change_grant(c, true);
}

static void
handle_revoke(struct call *c)
{
	change_grant(c, false);
}

static int
add_grant_to_list(const struct store_grant *g, void *userdata)
{
	return json_array_append_new(userdata, render_grant(g));
}

static void
handle_grant_list(struct call *c)
{
	json_t *list = json_array();
	int r = store_grant_list(c->server->store, c->person.id, add_grant_to_list, list);

	call_reply_list(c, r, list, "grants", "grant");
}

static void
handle_grant_remove(struct call *c)
{
	const char *id = params_string(c->params, "id", "");
	struct store *store = c->server->store;
	struct store_grant g;
	char err[600] = "";
	int r;

	r = store_grant_get(store, id, &g);
	if (r < 0 || strcmp(g.prison_number, c->person.prison_number) != 0) {
		call_fail(c, PROTO_ERR_NOT_FOUND, "That person has no grant with that id.", NULL);
		return;
	}
	r = store_begin(store);
	if (r == 0)
		r = store_grant_delete(store, id);
	if (r == 0 && decide_load(c->server, err, sizeof(err)) < 0)
		r = -EINVAL;
	if (r == 0)
		r = call_audit(c, "ok", json_pack("{s:s}", "grant", id));
	r = call_end_transaction(c, r);
	if (r < 0) {
		char restore[600];

		(void)decide_load(c->server, restore, sizeof(restore));
		call_fail(c, err[0] ? PROTO_ERR_CONFLICT : PROTO_ERR_INTERNAL,
		          err[0] ? err : "The grant could not be removed.", NULL);
		return;
	}
	call_reply(c, json_pack("{s:s}", "removed", id));
}

static void
handle_regime(struct call *c)
{
	const char *code = params_string(c->params, "code", "");
	const char *regime = params_string(c->params, "regime", "");
	int r;

	call_set_subject(c, "establishment:%.4s", code);
	if (strcmp(regime, "auto") != 0 && strcmp(regime, "unlock") != 0 &&
	    strcmp(regime, "night") != 0 && strcmp(regime, "lockdown") != 0) {
		call_fail_param(c, "regime", "The regime is auto, unlock, night or lockdown.");
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_establishment_set_regime(c->server->store, code, regime);
	if (r == 0)
		r = call_audit(c, "ok", json_pack("{s:s}", "regime", regime));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "establishment");
		return;
	}
	call_reply(c, json_pack("{s:s, s:s}", "code", code, "regime", regime));
}

static const struct param_spec explain_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"action", PARAM_STRING, true, 0, 32},
        {"resource", PARAM_STRING, true, 0, 80},
        {NULL},
};

static const struct param_spec grant_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"resource", PARAM_STRING, true, 0, 80},
        {"until", PARAM_STRING, false, 0, 16},
        {"reason", PARAM_STRING, false, 0, 500},
        {NULL},
};

static const struct param_spec grant_remove_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"id", PARAM_STRING, true, 0, 40},
        {NULL},
};

static const struct param_spec person_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {NULL},
};

static const struct param_spec regime_params[] = {
        {"code", PARAM_STRING, true, 0, 8},
        {"regime", PARAM_STRING, true, 0, 16},
        {NULL},
};

static const struct param_spec no_params[] = {{NULL}};

const struct method policy_methods[] = {
        {"onward.Policy.Explain", SOCKET_ADMIN, "policy.explain", AUDIT_ON_REPLY,
         .group = "people.read", .network = true, .params = explain_params, .resource = RES_PERSON,
         .handler = handle_explain},
        {"onward.Policy.Reload", SOCKET_ADMIN, "policy.reload", AUDIT_ON_REPLY,
         .group = "service.admin", .params = no_params, .handler = handle_reload},
        {"onward.Grant.Add", SOCKET_ADMIN, "grant.add", AUDIT_HANDLER, .writes_person = true,
         .group = "people.manage", .network = true, .params = grant_params, .resource = RES_PERSON,
         .handler = handle_grant},
        {"onward.Grant.Revoke", SOCKET_ADMIN, "grant.revoke", AUDIT_HANDLER, .writes_person = true,
         .group = "people.manage", .network = true, .params = grant_params, .resource = RES_PERSON,
         .handler = handle_revoke},
        {"onward.Grant.List", SOCKET_ADMIN, "grant.list", AUDIT_ON_REPLY, .group = "people.read",
         .network = true, .params = person_params, .resource = RES_PERSON,
         .handler = handle_grant_list},
        {"onward.Grant.Remove", SOCKET_ADMIN, "grant.remove", AUDIT_HANDLER, .writes_person = true,
         .group = "people.manage", .network = true, .params = grant_remove_params,
         .resource = RES_PERSON, .handler = handle_grant_remove},
        {"onward.Establishment.Regime", SOCKET_ADMIN, "establishment.regime", AUDIT_HANDLER,
         .group = "service.admin", .network = true, .params = regime_params,
         .handler = handle_regime},
        {NULL},
};
