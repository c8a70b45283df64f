/*
 * Staff and policy: onward.Policy.Explain (why a person may or may not do something, in
 * the words they would see, with the policies that decided), onward.Policy.Reload,
 * onward.Grant.* (per-person grants and revocations: links of the national templates
 * grant-app, block-app, grant-course and block-course, stored so they survive restarts,
 * optionally expiring), and onward.Establishment.Regime (lockdown, night, unlock, auto).
 */
#include "call.h"

#include "clock.h"
#include "courses.h"
#include "crypto.h"
#include "m_course.h"
#include "m_message.h"
#include "log.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Person actions staff can ask about. */
static const char *const person_actions[] = {
        "app.open",        "message.send",     "message.read",       "course.open",
        "housing.enquire", "appointment.view", "appointment.change", NULL,
};

/*
 * Parses "app:games", "contact:17", "course:money-basics", "service" into a uid and adds
 * its entity to the facts. false after answering the call.
 */
static bool
resolve_resource(struct call *c, struct facts *f, const char *text, const struct store_person *p,
                 char *type, char *id, size_t id_size, struct policy_uid *ret)
{
	const char *colon = strchr(text, ':');
	int r = 0;

	if (strcmp(text, "service") == 0) {
		strcpy(type, "Service");
		snprintf(id, id_size, "onward");
		r = facts_add_service(f);
	} else if (colon && strncmp(text, "app:", 4) == 0 && validate_app_name(colon + 1)) {
		struct store_app app;

		strcpy(type, "App");
		snprintf(id, id_size, "%s", colon + 1);
		r = facts_add_app(f, id,
		                  store_app_get(c->server->store, id, &app) == 0 ? app.title : id);
	} else if (colon && strncmp(text, "contact:", 8) == 0) {
		struct store_contact contact;
		char *end;
		long long n = strtoll(colon + 1, &end, 10);

		if (*end || n <= 0 || store_contact_get(c->server->store, n, &contact) < 0 ||
		    contact.person_id != p->id) {
			call_fail_param(c, "resource",
			                "That person has no contact with that number.");
			return false;
		}
		strcpy(type, "Contact");
		snprintf(id, id_size, "%lld", n);
		r = facts_add_contact(f, &contact, p->prison_number);
	} else if (colon && strncmp(text, "staff:", 6) == 0 && validate_staff_id(colon + 1)) {
		struct store_staff staff;

		if (store_staff_get(c->server->store, colon + 1, &staff) < 0) {
			call_fail_param(c, "resource", "No staff member has that id.");
			return false;
		}
		strcpy(type, "Staff");
		snprintf(id, id_size, "%s", colon + 1);
		r = facts_add_staff(f, &staff);
	} else if (colon && strncmp(text, "course:", 7) == 0 && course_id_valid(colon + 1)) {
		struct store_course course;

		if (store_course_get(c->server->store, colon + 1, &course) < 0) {
			call_fail_param(c, "resource", "No course with that id is installed.");
			return false;
		}
		strcpy(type, "Course");
		snprintf(id, id_size, "%s", colon + 1);
		r = facts_add_course(f, course.id, course.title, course_level_number(course.level),
		                     course.provider_id);
	} else {
		call_fail_param(c, "resource",
		                "Name the resource like app:games, contact:17, staff:k.patel, "
		                "course:money-basics or "
		                "service.");
		return false;
	}
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now.", NULL);
		return false;
	}
	*ret = (struct policy_uid){type, id};
	return true;
}

static bool
known_action(const char *action)
{
	for (size_t i = 0; person_actions[i]; i++)
		if (strcmp(action, person_actions[i]) == 0)
			return true;
	return false;
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
	char type[16], id[72];

	if (!known_action(action)) {
		call_fail_param(
		        c, "action",
		        "The action is one of app.open, message.send, message.read, "
		        "course.open, housing.enquire, appointment.view, appointment.change.");
		return;
	}
	f = decide_person_begin(c->server, &c->person, &ctx);
	if (!f) {
		call_fail(c, PROTO_ERR_INTERNAL, "This cannot be checked now.", NULL);
		return;
	}
	if (!resolve_resource(c, f, text, &c->person, type, id, sizeof(id), &resource))
		return;
	/* The same count the messages app decides with (sent today, London time). */
	(void)store_message_count_sent(c->server->store, c->person.id,
	                               message_day_start(clock_now()), &ctx.messages_today);
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
	uint8_t raw[8];
	char hex[17], err[600] = "";
	int64_t expires = 0;
	int r;

	if (strncmp(text, "app:", 4) == 0 && validate_app_name(text + 4)) {
		snprintf(g.resource_type, sizeof(g.resource_type), "App");
		snprintf(g.template_name, sizeof(g.template_name),
		         open ? "grant-app" : "block-app");
	} else if (strncmp(text, "course:", 7) == 0 && course_id_valid(text + 7)) {
		snprintf(g.resource_type, sizeof(g.resource_type), "Course");
		snprintf(g.template_name, sizeof(g.template_name),
		         open ? "grant-course" : "block-course");
	} else {
		call_fail_param(c, "resource",
		                "Name an app or a course, like app:games or "
		                "course:money-basics.");
		return;
	}
	if (!open && strcmp(text, "app:crisis") == 0) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED,
		          "Crisis help cannot be closed for anyone.", NULL);
		return;
	}
	if (until && (time_parse_date(until, &expires) < 0 || expires + 86400 <= clock_now())) {
		call_fail_param(c, "until", "Give a date in the future, like 2027-03-31.");
		return;
	}
	if (expires)
		expires += 86400; /* to the end of that day */
	if (reason[0] && !validate_text(reason, 500, false)) {
		call_fail_param(c, "reason", "Give a reason of up to 500 characters.");
		return;
	}
	snprintf(g.resource_id, sizeof(g.resource_id), "%s", strchr(text, ':') + 1);
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
	opposite = (struct grant_match){
	        g.resource_type, g.resource_id,
	        open ? (g.resource_type[0] == 'A' ? "block-app" : "block-course")
	             : (g.resource_type[0] == 'A' ? "grant-app" : "grant-course")};

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

	if (r < 0) {
		json_decref(list);
		call_fail_store(c, r, "grant");
		return;
	}
	call_reply(c, json_pack("{s:o}", "grants", list));
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
         .params = explain_params, .resource = RES_PERSON, .handler = handle_explain},
        {"onward.Policy.Reload", SOCKET_ADMIN, "policy.reload", AUDIT_ON_REPLY, .params = no_params,
         .handler = handle_reload},
        {"onward.Grant.Add", SOCKET_ADMIN, "grant.add", AUDIT_HANDLER, .params = grant_params,
         .resource = RES_PERSON, .handler = handle_grant},
        {"onward.Grant.Revoke", SOCKET_ADMIN, "grant.revoke", AUDIT_HANDLER, .params = grant_params,
         .resource = RES_PERSON, .handler = handle_revoke},
        {"onward.Grant.List", SOCKET_ADMIN, "grant.list", AUDIT_ON_REPLY, .params = person_params,
         .resource = RES_PERSON, .handler = handle_grant_list},
        {"onward.Grant.Remove", SOCKET_ADMIN, "grant.remove", AUDIT_HANDLER,
         .params = grant_remove_params, .resource = RES_PERSON, .handler = handle_grant_remove},
        {"onward.Establishment.Regime", SOCKET_ADMIN, "establishment.regime", AUDIT_HANDLER,
         .params = regime_params, .handler = handle_regime},
        {NULL},
};
