/*
 * Staff rights by policy (see authz.h). This file finds what the call is about — the
 * person named, the owner of the contact named, the establishment listed — and puts it
 * in the facts, so that "resource in principal.establishment" means what it says.
 */
#include "authz.h"

#include "call.h"
#include "clock.h"
#include "timeutil.h"
#include "validate.h"

#include <jansson.h>

#include <stdio.h>
#include <string.h>

static const char *const roles[] = {
        "officer", "key_worker", "education", "probation", "housing", "administrator",
};

bool
authz_role_valid(const char *role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i]) == 0)
			return true;
	return false;
}

/* The person person.add would create, as far as policy needs to know them. */
static bool
new_person(struct call *c, struct store_person *ret)
{
	const char *number = params_string(c->params, "prison_number", "");
	const char *est =
	        params_string(c->params, "establishment", c->server->config.establishment);

	call_set_subject(c, "person:%.16s", number);
	if (!validate_prison_number(number)) {
		call_fail_param(c, "prison_number",
		                "A prison number is one letter, four numbers and two letters, "
		                "like A1234BC.");
		return false;
	}
	if (!validate_establishment_code(est)) {
		call_fail_param(c, "establishment",
		                "Say which establishment (this device has none set).");
		return false;
	}
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->prison_number, sizeof(ret->prison_number), "%s", number);
	snprintf(ret->establishment, sizeof(ret->establishment), "%s", est);
	snprintf(ret->status, sizeof(ret->status), "%s",
	         params_string(c->params, "status", "sentenced"));
	snprintf(ret->incentive, sizeof(ret->incentive), "standard");
	return true;
}

/* The owner of contact "id". */
static bool
contact_owner(struct call *c, struct store_person *ret)
{
	struct store_contact contact;
	json_int_t id = params_int(c->params, "id", 0);
	int r;

	call_set_subject(c, "contact:%lld", (long long)id);
	r = store_contact_get(c->server->store, id, &contact);
	if (r == 0)
		r = store_person_get(c->server->store, contact.person_id, ret);
	if (r < 0) {
		call_fail_store(c, r, "contact");
		return false;
	}
	call_set_subject(c, "person:%s", ret->prison_number);
	return true;
}

/*
 * A list of people: the establishment asked for; else the staff member's own (and the
 * list is narrowed to it); else, for national staff, the whole service.
 */
static bool
people_scope(struct call *c, struct policy_uid *ret, char *code, size_t size)
{
	const char *est = params_string(c->params, "establishment", NULL);

	if (!est && c->staff.establishment[0]) {
		est = c->staff.establishment;
		json_object_set_new(c->params, "establishment", json_string(est));
	}
	if (!est) {
		*ret = (struct policy_uid){"Service", "onward"};
		return facts_add_service(c->server->policy.facts) == 0;
	}
	if (!validate_establishment_code(est)) {
		call_fail_param(c, "establishment",
		                "An establishment code is three capital letters.");
		return false;
	}
	snprintf(code, size, "%s", est);
	*ret = (struct policy_uid){"Establishment", code};
	return true;
}

/* A write to a record that has moved away is refused, whatever policy would say. */
static bool
person_writable(struct call *c, const struct store_person *p)
{
	char message[160];

	if (!c->method->writes_person || !p->moved_out[0])
		return true;
	snprintf(message, sizeof(message),
	         "This record has moved to %s and can no longer be changed here.", p->moved_out);
	call_fail(c, PROTO_ERR_CONFLICT, message, json_pack("{s:s}", "moved_to", p->moved_out));
	return false;
}

/* Decides c's action on resource with the facts already holding it; false after answering. */
static bool
decide_staff(struct call *c, const struct policy_uid *resource, int r)
{
	struct policy_uid principal = {"Staff", c->staff.id};
	struct facts_context ctx;

	facts_context_now(&ctx, NULL, c->server->config.device);
	if (r == 0)
		r = decide(c->server, &principal, c->method->action, resource, &ctx, &c->decision);
	if (r < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "Permissions cannot be checked now.", NULL);
		return false;
	}
	if (!c->decision.allowed) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, c->decision.reason, NULL);
		return false;
	}
	return true;
}

bool
authz_admit_staff_on(struct call *c, const struct store_person *p)
{
	struct facts *f;
	struct policy_uid resource = {"Person", p->prison_number};

	call_set_subject(c, "person:%s", p->prison_number);
	c->person = *p;
	c->have_person = true;
	if (!person_writable(c, p))
		return false;
	f = decide_facts(c->server);
	if (!f || facts_add_staff(f, &c->staff) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "Permissions cannot be checked now.", NULL);
		return false;
	}
	return decide_staff(c, &resource, facts_add_person(f, p, NULL, clock_now()));
}

bool
authz_admit_staff(struct call *c)
{
	struct facts *f = decide_facts(c->server);
	struct policy_uid resource;
	struct store_person person;
	char code[4] = "";
	int r;

	if (!f || facts_add_staff(f, &c->staff) < 0) {
		call_fail(c, PROTO_ERR_INTERNAL, "Permissions cannot be checked now.", NULL);
		return false;
	}
	switch (c->method->resource) {
	case RES_SERVICE:
		resource = (struct policy_uid){"Service", "onward"};
		r = facts_add_service(f);
		break;
	case RES_PERSON:
		if (!call_find_person(c, &person))
			return false;
		resource = (struct policy_uid){"Person", c->person.prison_number};
		r = facts_add_person(f, &c->person, NULL, clock_now());
		break;
	case RES_NEW_PERSON:
		if (!new_person(c, &person))
			return false;
		resource = (struct policy_uid){"Person", person.prison_number};
		r = facts_add_person(f, &person, NULL, clock_now());
		break;
	case RES_CONTACT:
		if (!contact_owner(c, &person))
			return false;
		c->person = person;
		c->have_person = true;
		resource = (struct policy_uid){"Person", c->person.prison_number};
		r = facts_add_person(f, &c->person, NULL, clock_now());
		break;
	case RES_PEOPLE:
		if (!people_scope(c, &resource, code, sizeof(code)))
			return false;
		r = 0;
		break;
	default:
		r = -1;
	}
	if (r == 0 && c->have_person && !person_writable(c, &c->person))
		return false;
	return decide_staff(c, &resource, r);
}
