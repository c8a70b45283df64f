/*
 * Building Cedar entities and requests from store records (see facts.h). Attribute names
 * and shapes follow policy/onward.cedarschema; the action hierarchy here is the schema's
 * action groups.
 */
#include "facts.h"

#include "call.h"
#include "clock.h"

#include <errno.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
facts_new(const struct method *const *methods, size_t method_count, struct facts **ret)
{
	struct facts *f = calloc(1, sizeof(*f));
	int r;

	if (!f)
		return -ENOMEM;
	f->methods = methods;
	f->method_count = method_count;
	r = policy_entities_new(&f->entities);
	if (r == 0)
		r = policy_request_new(&f->request);
	if (r < 0) {
		facts_free(f);
		return r;
	}
	*ret = f;
	return 0;
}

void
facts_free(struct facts *f)
{
	if (!f)
		return;
	policy_request_free(f->request);
	policy_entities_free(f->entities);
	free(f);
}

int
facts_reset(struct facts *f)
{
	policy_entities_clear(f->entities);
	/* The action hierarchy: each staff method's action in its group (the method tables). */
	for (size_t i = 0; i < f->method_count; i++) {
		const struct method *m = f->methods[i];
		struct policy_uid uid = {"Action", m->action};
		struct policy_uid group = {"Action", m->group};
		struct policy_entity *e;
		int r;

		if (!m->group)
			continue;
		r = policy_entities_add(f->entities, &uid, &e);
		if (r == -EEXIST)
			continue; /* several methods share an action (dispatch.c checks the group)
			           */
		if (r == 0)
			r = policy_entity_add_parent(e, &group);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Sets one attribute; returns the first error of a chain of calls. */
static int
set_attr(struct policy_entity *e, const char *name, const struct policy_value *v, int r)
{
	return r < 0 ? r : policy_entity_set_attr(e, name, v);
}

static int
string_value(struct facts *f, const char *s, const struct policy_value **ret)
{
	return policy_value_string(f->entities, s, strlen(s), ret);
}

/* The ','-joined flags as a Set<String>. */
static int
flags_value(struct facts *f, const char *joined, const struct policy_value **ret)
{
	const struct policy_value *items[STORE_FLAGS_MAX];
	size_t n = 0;
	const char *start = joined;
	int r = 0;

	while (*start && n < STORE_FLAGS_MAX && r == 0) {
		const char *comma = strchr(start, ',');
		size_t len = comma ? (size_t)(comma - start) : strlen(start);

		r = policy_value_string(f->entities, start, len, &items[n++]);
		start += len + (comma ? 1 : 0);
	}
	return r < 0 ? r : policy_value_set(f->entities, items, n, ret);
}

bool
facts_status_in_custody(const char *status)
{
	return strcmp(status, "remand") == 0 || strcmp(status, "sentenced") == 0;
}

/* The licence record from its stored JSON; absent keys take harmless defaults. */
static int
licence_value(struct facts *f, const char *json, const struct policy_value **ret)
{
	static const char *const keys[] = {"curfew_start", "curfew_end", "no_contact",
	                                   "exclusion_areas", "ends"};
	const struct policy_value *values[5], *items[64];
	json_t *root = json_loads(json, 0, NULL), *list, *item;
	size_t i, n = 0;
	int r;

	if (!json_is_object(root)) {
		json_decref(root);
		return -EINVAL;
	}
	r = policy_value_long(
	        f->entities, json_integer_value(json_object_get(root, "curfew_start")), &values[0]);
	r = r < 0 ? r
	          : policy_value_long(f->entities,
	                              json_integer_value(json_object_get(root, "curfew_end")),
	                              &values[1]);
	list = json_object_get(root, "no_contact");
	json_array_foreach(list, i, item)
	{
		char id[24];
		struct policy_uid uid = {"Contact", id};

		if (r < 0 || n >= 64 || !json_is_integer(item))
			break;
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(item));
		r = policy_value_entity(f->entities, &uid, &items[n++]);
	}
	r = r < 0 ? r : policy_value_set(f->entities, items, n, &values[2]);
	n = 0;
	list = json_object_get(root, "exclusion_areas");
	json_array_foreach(list, i, item)
	{
		if (r < 0 || n >= 64 || !json_is_string(item))
			break;
		r = string_value(f, json_string_value(item), &items[n++]);
	}
	r = r < 0 ? r : policy_value_set(f->entities, items, n, &values[3]);
	r = r < 0 ? r
	          : string_value(f,
	                         json_is_string(json_object_get(root, "ends"))
	                                 ? json_string_value(json_object_get(root, "ends"))
	                                 : "",
	                         &values[4]);
	r = r < 0 ? r : policy_value_record(f->entities, keys, values, 5, ret);
	json_decref(root);
	return r;
}

int
facts_add_person(struct facts *f, const struct store_person *p, const char *licence_json,
                 int64_t today)
{
	struct policy_uid uid = {"Person", p->prison_number};
	struct policy_uid est = {"Establishment", p->establishment};
	struct policy_uid list = {"ContactList", p->prison_number};
	const struct policy_value *v;
	struct policy_entity *e, *list_entity;
	int r;

	r = policy_entities_add(f->entities, &list, &list_entity);
	if (r == 0)
		r = policy_entities_add(f->entities, &uid, &e);
	if (r == 0)
		r = policy_entity_add_parent(e, &est);
	if (r < 0)
		return r;
	r = string_value(f, p->prison_number, &v);
	r = set_attr(e, "prison_number", v, r);
	r = r < 0 ? r : string_value(f, p->status, &v);
	r = set_attr(e, "status", v, r);
	r = r < 0 ? r : policy_value_bool(f->entities, facts_status_in_custody(p->status), &v);
	r = set_attr(e, "custody", v, r);
	r = r < 0 ? r : string_value(f, p->moved_out, &v);
	r = set_attr(e, "moved_out", v, r);
	r = r < 0 ? r : string_value(f, p->incentive, &v);
	r = set_attr(e, "incentive", v, r);
	r = r < 0 ? r : flags_value(f, p->flags, &v);
	r = set_attr(e, "flags", v, r);
	r = r < 0 ? r : policy_value_entity(f->entities, &list, &v);
	r = set_attr(e, "contacts", v, r);
	if (r == 0 && p->worker[0]) {
		struct policy_uid worker = {"Staff", p->worker};

		r = policy_value_entity(f->entities, &worker, &v);
		r = set_attr(e, "worker", v, r);
	}
	if (r == 0 && licence_json && licence_json[0]) {
		r = licence_value(f, licence_json, &v);
		r = set_attr(e, "licence", v, r);
	}
	if (r == 0 && p->release_date[0] && facts_status_in_custody(p->status)) {
		struct tm tm = {0};
		int64_t release;

		tm.tm_year = atoi(p->release_date) - 1900;
		tm.tm_mon = atoi(p->release_date + 5) - 1;
		tm.tm_mday = atoi(p->release_date + 8);
		release = (int64_t)timegm(&tm);
		r = policy_value_long(f->entities, (release - today) / 86400, &v);
		r = set_attr(e, "days_to_release", v, r);
	}
	return r;
}

int
facts_add_contact(struct facts *f, const struct store_contact *c, const char *prison_number)
{
	char id[24];
	struct policy_uid uid = {"Contact", id};
	struct policy_uid list = {"ContactList", prison_number};
	const struct policy_value *v;
	struct policy_entity *e;
	int r;

	snprintf(id, sizeof(id), "%lld", (long long)c->id);
	r = policy_entities_add(f->entities, &uid, &e);
	if (r == 0)
		r = policy_entity_add_parent(e, &list);
	r = r < 0 ? r : string_value(f, c->relation, &v);
	r = set_attr(e, "relation", v, r);
	r = r < 0 ? r : policy_value_bool(f->entities, c->minor, &v);
	r = set_attr(e, "minor", v, r);
	r = r < 0 ? r : policy_value_bool(f->entities, c->victim, &v);
	r = set_attr(e, "victim", v, r);
	r = r < 0 ? r : policy_value_bool(f->entities, c->barred, &v);
	r = set_attr(e, "barred", v, r);
	r = r < 0 ? r : policy_value_bool(f->entities, strcmp(c->status, "approved") == 0, &v);
	return set_attr(e, "approved", v, r);
}

int
facts_add_app(struct facts *f, const char *name, const char *title)
{
	struct policy_uid uid = {"App", name};
	const struct policy_value *v;
	struct policy_entity *e;
	int r = policy_entities_add(f->entities, &uid, &e);

	r = r < 0 ? r : string_value(f, title, &v);
	return set_attr(e, "title", v, r);
}

int
facts_add_entity(struct facts *f, const char *type, const char *id, const struct policy_uid *parent,
                 struct policy_entity **ret)
{
	struct policy_uid uid = {type, id};
	struct policy_entity *e;
	int r = policy_entities_add(f->entities, &uid, &e);

	if (r == 0 && parent)
		r = policy_entity_add_parent(e, parent);
	if (r == 0)
		*ret = e;
	return r;
}

int
facts_set_string(struct facts *f, struct policy_entity *e, const char *name, const char *value)
{
	const struct policy_value *v;
	int r = string_value(f, value, &v);

	return set_attr(e, name, v, r);
}

int
facts_set_long(struct facts *f, struct policy_entity *e, const char *name, int64_t value)
{
	const struct policy_value *v;
	int r = policy_value_long(f->entities, value, &v);

	return set_attr(e, name, v, r);
}

int
facts_add_establishment(struct facts *f, const struct store_establishment *est)
{
	struct policy_uid uid = {"Establishment", est->code};
	const struct policy_value *v;
	struct policy_entity *e;
	int r = policy_entities_add(f->entities, &uid, &e);

	if (r == -EEXIST)
		return 0;
	r = r < 0 ? r : string_value(f, est->name, &v);
	r = set_attr(e, "name", v, r);
	r = r < 0 ? r : string_value(f, est->kind, &v);
	return set_attr(e, "kind", v, r);
}

int
facts_add_staff(struct facts *f, const struct store_staff *st)
{
	struct policy_uid uid = {"Staff", st->id};
	struct policy_uid role = {"Role", st->role};
	struct policy_uid est = {"Establishment", st->establishment};
	const struct policy_value *v;
	struct policy_entity *e;
	int r = policy_entities_add(f->entities, &uid, &e);

	if (r == 0)
		r = policy_entity_add_parent(e, &role);
	if (r == 0 && st->establishment[0]) {
		r = policy_value_entity(f->entities, &est, &v);
		r = set_attr(e, "establishment", v, r);
	}
	return r;
}

int
facts_add_service(struct facts *f)
{
	struct policy_uid uid = {"Service", "onward"};
	struct policy_entity *e;
	int r = policy_entities_add(f->entities, &uid, &e);

	return r == -EEXIST ? 0 : r;
}

int
facts_set_request(struct facts *f, const struct policy_uid *principal, const char *action,
                  const struct policy_uid *resource, const struct facts_context *ctx)
{
	static const char *const keys[] = {"hour",   "weekday",        "regime",
	                                   "device", "messages_today", "matches_word_list"};
	struct policy_uid action_uid = {"Action", action};
	const struct policy_value *values[6], *record;
	int r;

	r = policy_value_long(f->entities, ctx->hour, &values[0]);
	r = r < 0 ? r : policy_value_long(f->entities, ctx->weekday, &values[1]);
	r = r < 0 ? r : string_value(f, ctx->regime, &values[2]);
	r = r < 0 ? r : string_value(f, ctx->device, &values[3]);
	r = r < 0 ? r : policy_value_long(f->entities, ctx->messages_today, &values[4]);
	r = r < 0 ? r : policy_value_bool(f->entities, ctx->matches_word_list, &values[5]);
	r = r < 0 ? r : policy_value_record(f->entities, keys, values, 6, &record);
	r = r < 0 ? r : policy_request_set_principal(f->request, principal);
	r = r < 0 ? r : policy_request_set_action(f->request, &action_uid);
	r = r < 0 ? r : policy_request_set_resource(f->request, resource);
	return r < 0 ? r : policy_request_set_context(f->request, record);
}

void
facts_context_now(struct facts_context *ret, const char *establishment_regime, const char *device)
{
	static const char *const set_by_staff[] = {"lockdown", "night", "unlock"};
	time_t now = (time_t)clock_now();
	struct tm tm;

	/* Every member set, here, whoever fills the rest. */
	*ret = (struct facts_context){0};
	/* The daemon runs with TZ=Europe/London (main.c), so this is London time. */
	localtime_r(&now, &tm);
	ret->hour = tm.tm_hour;
	ret->weekday = tm.tm_wday == 0 ? 7 : tm.tm_wday;
	/* What staff set; the hours of night under "auto" are policy's (national.cedar). */
	ret->regime = "auto";
	for (size_t i = 0; establishment_regime && i < 3; i++)
		if (strcmp(establishment_regime, set_by_staff[i]) == 0)
			ret->regime = set_by_staff[i];
	ret->device = device;
}
