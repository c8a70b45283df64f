/*
 * Loading policy and deciding (see decide.h). Loading builds a complete new policy state
 * and swaps it in only when every check has passed, so a bad file or a bad grant never
 * leaves the daemon half-loaded.
 */
#include "decide.h"

#include "clock.h"
#include "server.h"
#include "timeutil.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GENERAL_REFUSAL "This is not open to you. Ask staff if you think it should be."
#define GENERAL_REFUSAL_CY                                                                         \
	"Nid yw hyn ar agor i chi. Gofynnwch i staff os ydych chi'n meddwl y dylai fod."

const char *
decide_policy_dir(const struct server *srv)
{
	return srv->config.policy_dir[0] ? srv->config.policy_dir : ONWARD_POLICY_DIR;
}

void
decide_release(struct policy_state *ps)
{
	policy_set_free(ps->enforced);
	policy_set_free(ps->reasons);
	facts_free(ps->facts);
	policy_response_free(ps->response);
	policy_response_free(ps->reasons_response);
	memset(ps, 0, sizeof(*ps));
}

/* The file paths for one kind ("" or ".reasons"): national, then the establishment's. */
static size_t
policy_paths(const char *dir, const char *establishment, const char *kind, bool national_required,
             char paths[2][4200])
{
	size_t n = 0;

	snprintf(paths[n], 4200, "%s/national%s.cedar", dir, kind);
	if (national_required || access(paths[n], R_OK) == 0)
		n++;
	if (establishment && establishment[0]) {
		snprintf(paths[n], 4200, "%s/establishments/%s%s.cedar", dir, establishment, kind);
		if (access(paths[n], R_OK) == 0)
			n++;
	}
	return n;
}

/*
 * Every reason a person may be shown has its Welsh beside it (@reason_cy), so that a person
 * who reads Welsh is never given English: a policy file without one is not loaded.
 */
static int
check_welsh(const struct policy_set *set, char *err, size_t size)
{
	const char *english, *welsh;

	for (size_t i = 0; i < policy_set_count(set); i++) {
		const char *id = policy_set_id_at(set, i);

		if (policy_set_annotation(set, id, "reason", &english) < 0)
			continue;
		if (policy_set_annotation(set, id, "reason_cy", &welsh) < 0 || !welsh[0]) {
			snprintf(err, size,
			         "policy not loaded: the policy with @reason(\"%.120s\") has no "
			         "@reason_cy (the same words in Welsh)",
			         english);
			return -EINVAL;
		}
	}
	return 0;
}

static int
load_set(const char *dir, const char *establishment, const char *kind, bool required,
         struct policy_set **ret, char *err, size_t size)
{
	char paths[2][4200];
	const char *list[2];
	struct policy_diag diag = {0};
	size_t n = policy_paths(dir, establishment, kind, required, paths);
	int r;

	for (size_t i = 0; i < n; i++)
		list[i] = paths[i];
	if (n == 0)
		return policy_set_new(ret);
	r = policy_set_load_files(list, n, &diag, ret);
	if (r < 0)
		snprintf(err, size, "policy not loaded: %s",
		         diag.message[0] ? diag.message : policy_strerror(r));
	else if ((r = check_welsh(*ret, err, size)) < 0) {
		policy_set_free(*ret);
		*ret = NULL;
	}
	return r;
}

int
decide_check_files(const char *dir, const char *establishment, char *err, size_t size,
                   unsigned *ret_count)
{
	struct policy_set *set = NULL, *reasons = NULL;
	int r = load_set(dir, establishment, "", true, &set, err, size);

	if (r == 0)
		r = load_set(dir, establishment, ".reasons", false, &reasons, err, size);
	if (r == 0)
		*ret_count = (unsigned)policy_set_count(set);
	policy_set_free(set);
	policy_set_free(reasons);
	return r;
}

/* The id of the template whose @template annotation is name, or NULL. */
static const char *
template_id(const struct policy_set *set, const char *name)
{
	for (size_t i = 0; i < policy_set_count(set); i++) {
		const char *id = policy_set_id_at(set, i), *value;
		bool is_template = false;

		if (policy_set_is_template(set, id, &is_template) == 0 && is_template &&
		    policy_set_annotation(set, id, "template", &value) == 0 &&
		    strcmp(value, name) == 0)
			return id;
	}
	return NULL;
}

struct link_ctx {
	struct policy_set *set;
	int64_t now;
	unsigned linked;
	char *err;
	size_t size;
};

static int
link_grant(const struct store_grant *g, void *userdata)
{
	struct link_ctx *l = userdata;
	struct policy_uid principal = {"Person", g->prison_number};
	struct policy_uid resource = {g->resource_type, g->resource_id};
	struct policy_diag diag = {0};
	const char *tmpl;
	int r;

	if (g->expires_at && g->expires_at <= l->now)
		return 0;
	tmpl = template_id(l->set, g->template_name);
	if (!tmpl) {
		snprintf(l->err, l->size,
		         "grant %s uses template \"%s\", which the policy files no "
		         "longer have",
		         g->id, g->template_name);
		return -ENOENT;
	}
	r = policy_set_link(l->set, tmpl, g->id, &principal, &resource, &diag);
	if (r < 0) {
		snprintf(l->err, l->size, "grant %s cannot be linked: %s", g->id, diag.message);
		return r;
	}
	l->linked++;
	return 0;
}

/* Whether policy id is marked @for_now("true"): it closes something only for a while
 * (night, a lockdown, a roll check). */
static bool
for_now(const struct policy_set *set, const char *id)
{
	const char *text;

	return policy_set_annotation(set, id, "for_now", &text) == 0 && strcmp(text, "true") == 0;
}

/* Fills ret from a response: allowed, the determining ids, the errors, the reason (of the
 * first determining policy that has one; a lasting forbid's before one for now, so a
 * victim's contact at night hears why it is lasting). */
static void
read_response(const struct policy_set *set, const struct policy_response *resp, bool welsh,
              struct decision *ret)
{
	size_t used = 0;
	bool reason_for_now = false;

	ret->allowed = policy_response_allowed(resp);
	ret->policies[0] = ret->errors[0] = ret->reason[0] = '\0';
	for (size_t i = 0; i < policy_response_reason_count(resp); i++) {
		const char *id = policy_response_reason_at(resp, i), *text;

		used += (size_t)snprintf(ret->policies + used,
		                         used < sizeof(ret->policies) ? sizeof(ret->policies) - used
		                                                      : 0,
		                         "%s%s", i ? "," : "", id);
		if ((!ret->reason[0] || (reason_for_now && !for_now(set, id))) &&
		    policy_set_annotation(set, id, welsh ? "reason_cy" : "reason", &text) == 0) {
			snprintf(ret->reason, sizeof(ret->reason), "%s", text);
			reason_for_now = for_now(set, id);
		}
	}
	used = 0;
	for (size_t i = 0; i < policy_response_error_count(resp); i++)
		used += (size_t)snprintf(
		        ret->errors + used,
		        used < sizeof(ret->errors) ? sizeof(ret->errors) - used : 0, "%s%s",
		        i ? "," : "", policy_response_error_policy_at(resp, i));
}

/* Whether every determining policy of a denial is marked @for_now. */
static bool
only_for_now(const struct policy_set *set, const struct policy_response *resp)
{
	for (size_t i = 0; i < policy_response_reason_count(resp); i++)
		if (!for_now(set, policy_response_reason_at(resp, i)))
			return false;
	return policy_response_reason_count(resp) > 0;
}

static int
decide_with(struct policy_state *ps, const struct policy_uid *principal, const char *action,
            const struct policy_uid *resource, const struct facts_context *ctx,
            struct decision *ret)
{
	struct decision d;
	int r = facts_set_request(ps->facts, principal, action, resource, ctx);
	/* The person's language, for the person's own requests; staff read English. */
	bool welsh = ctx && ctx->welsh && strcmp(principal->type, "Person") == 0;

	if (r == 0)
		r = policy_set_authorize(ps->enforced, ps->facts->entities, ps->facts->request,
		                         ps->response);
	if (r < 0)
		return r;
	read_response(ps->enforced, ps->response, welsh, &d);
	/* Nothing forbade and nothing permitted, or only a forbid for now (@for_now: night, a
	 * lockdown) with nothing that would permit it later: the reasons files say why, the
	 * lasting reason. Otherwise a contact staff have not approved, written to at night,
	 * would be told "closed at night", and be refused again in the morning. */
	if (!d.allowed && (!d.policies[0] || (!policy_response_permitted(ps->response) &&
	                                      only_for_now(ps->enforced, ps->response)))) {
		struct decision why;

		r = policy_set_authorize(ps->reasons, ps->facts->entities, ps->facts->request,
		                         ps->reasons_response);
		if (r == 0) {
			read_response(ps->reasons, ps->reasons_response, welsh, &why);
			if (why.reason[0])
				memcpy(d.reason, why.reason, sizeof(d.reason));
		}
	}
	if (!d.reason[0])
		snprintf(d.reason, sizeof(d.reason), "%s",
		         d.allowed ? (welsh ? "Caniateir." : "Allowed.")
		                   : (welsh ? GENERAL_REFUSAL_CY : GENERAL_REFUSAL));
	*ret = d;
	return 0;
}

/* One kind of person, for the crisis-help check: the facts hold them and the app. */
static int
crisis_person(struct policy_state *ps, size_t n, char *ret_text, size_t size)
{
	static const char *const statuses[] = {"remand", "sentenced", "licence", "released"};
	static const char *const incentives[] = {"basic", "standard", "enhanced"};
	static const char *const flags[] = {"", "public_protection,child_safeguarding"};
	static const char *const releases[] = {"", "2000-01-01", "2199-01-01"};
	struct store_person p = {.prison_number = "A0000AA", .establishment = "ZZZ"};
	int r;

	/* n is read as a number with one digit per dimension. */
	snprintf(p.release_date, sizeof(p.release_date), "%s", releases[n % 3]), n /= 3;
	snprintf(p.flags, sizeof(p.flags), "%s", flags[n % 2]), n /= 2;
	snprintf(p.incentive, sizeof(p.incentive), "%s", incentives[n % 3]), n /= 3;
	snprintf(p.status, sizeof(p.status), "%s", statuses[n % 4]);
	snprintf(ret_text, size, "%s, %s", p.status, p.incentive);
	r = facts_reset(ps->facts);
	r = r < 0 ? r : facts_add_person(ps->facts, &p, NULL, clock_now());
	return r < 0 ? r : facts_add_app(ps->facts, "crisis", "Crisis help");
}

/*
 * The crisis-help app must stay open to everyone, always: a policy set that would lock it
 * for any kind of person, in any regime, at any hour of a weekday or a weekend, is refused.
 * Each kind of person is built once; only the context changes for the times.
 */
static int
check_crisis_open(struct policy_state *ps, char *err, size_t size)
{
	static const char *const regimes[] = {"auto", "unlock", "night", "lockdown"};
	static const int weekdays[] = {3, 6, 7}; /* a Wednesday, a Saturday, a Sunday */
	struct policy_uid crisis = {"App", "crisis"};
	struct policy_uid person = {"Person", "A0000AA"};
	char who[64];

	for (size_t n = 0; n < 3 * 2 * 3 * 4; n++) {
		int r = crisis_person(ps, n, who, sizeof(who));

		for (size_t t = 0; r == 0 && t < 4 * 3 * 24; t++) {
			struct facts_context ctx = {
			        (int)(t % 24), weekdays[t / 24 % 3], regimes[t / 72], "in_cell", 99,
			        false};
			struct decision d;

			r = decide_with(ps, &person, "app.open", &crisis, &ctx, &d);
			if (r == 0 && !d.allowed) {
				snprintf(
				        err, size,
				        "policy not loaded: it would lock the crisis-help app (for "
				        "a person %s, regime %s, at %02d:00 on day %d of the "
				        "week; policies %s)",
				        who, ctx.regime, ctx.hour, ctx.weekday,
				        d.policies[0] ? d.policies : "none permit it");
				return -EPERM;
			}
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int
decide_load(struct server *srv, char *err, size_t size)
{
	struct policy_state ps = {0};
	struct link_ctx links;
	const char *dir = decide_policy_dir(srv);
	int r;

	r = load_set(dir, srv->config.establishment, "", true, &ps.enforced, err, size);
	if (r == 0)
		r = load_set(dir, srv->config.establishment, ".reasons", false, &ps.reasons, err,
		             size);
	if (r == 0) {
		links = (struct link_ctx){ps.enforced, clock_now(), 0, err, size};
		r = store_grant_list(srv->store, 0, link_grant, &links);
		ps.grants = links.linked;
	}
	if (r == 0)
		r = facts_new(srv->methods, srv->method_count, &ps.facts);
	if (r == 0)
		r = policy_response_new(&ps.response);
	if (r == 0)
		r = policy_response_new(&ps.reasons_response);
	if (r == 0)
		r = check_crisis_open(&ps, err, size);
	if (r < 0) {
		if (!err[0])
			snprintf(err, size, "policy not loaded: %s", policy_strerror(r));
		decide_release(&ps);
		return r;
	}
	ps.policies = (unsigned)policy_set_count(ps.enforced);
	snprintf(ps.files, sizeof(ps.files), "%s", dir);
	decide_release(&srv->policy);
	srv->policy = ps;
	return 0;
}

struct facts *
decide_facts(struct server *srv)
{
	if (facts_reset(srv->policy.facts) < 0)
		return NULL;
	return srv->policy.facts;
}

int
decide(struct server *srv, const struct policy_uid *principal, const char *action,
       const struct policy_uid *resource, const struct facts_context *ctx, struct decision *ret)
{
	return decide_with(&srv->policy, principal, action, resource, ctx, ret);
}

/* The person's settings are session/settings.c's (kept with their record). */
bool
decide_person_reads_welsh(struct server *srv, const struct store_person *p)
{
	char text[1024] = "";
	json_t *settings, *language;
	bool welsh;

	if (store_person_get_settings(srv->store, p->id, text, sizeof(text)) < 0 || !text[0])
		return false;
	settings = json_loads(text, 0, NULL);
	language = json_object_get(settings, "language");
	welsh = json_is_string(language) && strcmp(json_string_value(language), "cy") == 0;
	json_decref(settings);
	return welsh;
}

struct facts *
decide_person_begin(struct server *srv, const struct store_person *p, struct facts_context *ret_ctx)
{
	struct store_establishment est;
	struct facts *f = decide_facts(srv);
	bool have_est = store_establishment_get(srv->store, p->establishment, &est) == 0;
	char licence[4096] = "";

	(void)store_person_get_licence(srv->store, p->id, licence, sizeof(licence));
	if (!f || facts_add_person(f, p, licence, clock_now()) < 0 ||
	    (have_est && facts_add_establishment(f, &est) < 0))
		return NULL;
	facts_context_now(ret_ctx, have_est ? est.regime : NULL, srv->config.device);
	ret_ctx->welsh = decide_person_reads_welsh(srv, p);
	return f;
}
