/*
 * onward.Contact.*: the people a person may keep in touch with. A contact starts pending;
 * staff approve or reject it. Minor, victim and barred are recorded here and read by
 * policy; a contact marked victim or barred cannot be approved.
 */
#include "call.h"

#include "clock.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Far above any real list of family and friends; bounds every contact list reply. */
#define CONTACTS_PER_PERSON_MAX 200

static void
handle_add(struct call *c)
{
	struct store_contact contact = {0};
	struct store_person p;
	const char *name = params_string(c->params, "name", "");
	const char *relation = params_string(c->params, "relation", "");
	int64_t id = 0, count = 0;
	int r;

	if (!call_find_person(c, &p))
		return;
	if (!validate_text(name, STORE_NAME_MAX, false)) {
		call_fail_param(c, "name", "Give the contact's name (up to 100 characters).");
		return;
	}
	if (!validate_keyword(relation)) {
		call_fail_param(c, "relation",
		                "The relation is one short word, like mother, partner or friend.");
		return;
	}
	if (store_contact_count(c->server->store, p.id, &count) == 0 &&
	    count >= CONTACTS_PER_PERSON_MAX) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "This person already has the most contacts allowed (200). Remove one "
		          "first.",
		          NULL);
		return;
	}
	contact.person_id = p.id;
	snprintf(contact.name, sizeof(contact.name), "%s", name);
	snprintf(contact.relation, sizeof(contact.relation), "%s", relation);
	contact.minor = params_bool(c->params, "minor", false);
	contact.victim = params_bool(c->params, "victim", false);
	contact.barred = params_bool(c->params, "barred", false);
	contact.created_at = clock_now();
	snprintf(contact.status, sizeof(contact.status), "pending");
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_contact_insert(c->server->store, &contact, &id);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:s, s:b, s:b, s:b}", "contact", (json_int_t)id,
		                         "relation", relation, "minor", contact.minor, "victim",
		                         contact.victim, "barred", contact.barred));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "contact");
		return;
	}
	contact.id = id;
	call_reply(c, json_pack("{s:o}", "contact", render_contact(&contact, p.prison_number)));
}

static void
decide_contact(struct call *c, const char *status)
{
	struct store_contact contact;
	struct store_person p;
	json_int_t id = params_int(c->params, "id", 0);
	const char *reason = params_string(c->params, "reason", NULL);
	int r;

	call_set_subject(c, "contact:%lld", (long long)id);
	r = store_contact_get(c->server->store, id, &contact);
	if (r == 0)
		r = store_person_get(c->server->store, contact.person_id, &p);
	if (r < 0) {
		call_fail_store(c, r, "contact");
		return;
	}
	call_set_subject(c, "person:%s", p.prison_number);
	if (reason && !validate_text(reason, 500, false)) {
		call_fail_param(c, "reason", "Give a reason of up to 500 characters.");
		return;
	}
	if (strcmp(status, "approved") == 0 && (contact.victim || contact.barred)) {
		call_fail(c, PROTO_ERR_PERMISSION_DENIED,
		          contact.victim
		                  ? "This contact is marked as a victim and cannot be approved."
		                  : "This contact is barred and cannot be approved.",
		          NULL);
		return;
	}
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_contact_decide(c->server->store, contact.id, status, c->staff.id,
		                         clock_now());
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:I, s:s, s:s?}", "contact", id, "status", status,
		                         "reason", reason));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "contact");
		return;
	}
	(void)store_contact_get(c->server->store, contact.id, &contact);
	call_reply(c, json_pack("{s:o}", "contact", render_contact(&contact, p.prison_number)));
}

static void
handle_approve(struct call *c)
{
	decide_contact(c, "approved");
}

static void
handle_reject(struct call *c)
{
	decide_contact(c, "rejected");
}

struct contact_list {
	json_t *list;
	const char *prison_number;
};

static int
add_contact_to_list(const struct store_contact *contact, void *userdata)
{
	struct contact_list *l = userdata;

	return json_array_append_new(l->list, render_contact(contact, l->prison_number));
}

static void
handle_list(struct call *c)
{
	struct store_person p;
	struct contact_list l;
	int r;

	if (!call_find_person(c, &p))
		return;
	l.list = json_array();
	l.prison_number = p.prison_number;
	r = store_contact_list(c->server->store, p.id, add_contact_to_list, &l);
	if (r < 0) {
		json_decref(l.list);
		{
			call_fail_store(c, r, "contact");
			return;
		}
	}
	call_reply(c, json_pack("{s:o}", "contacts", l.list));
}

static const struct param_spec add_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"name", PARAM_STRING, true, 0, STORE_NAME_MAX},
        {"relation", PARAM_STRING, true, 0, 32},
        {"minor", PARAM_BOOL, false, 0, 0},
        {"victim", PARAM_BOOL, false, 0, 0},
        {"barred", PARAM_BOOL, false, 0, 0},
        {NULL},
};

static const struct param_spec decide_params[] = {
        {"id", PARAM_INT, true, 1, INT64_MAX},
        {"reason", PARAM_STRING, false, 0, 500},
        {NULL},
};

static const struct param_spec list_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {NULL},
};

const struct method contact_methods[] = {
        {"onward.Contact.Add", SOCKET_ADMIN, "contact.add", AUDIT_HANDLER, .writes_person = true,
         .group = "contacts.manage", .network = true, .params = add_params, .resource = RES_PERSON,
         .handler = handle_add},
        {"onward.Contact.Approve", SOCKET_ADMIN, "contact.approve", AUDIT_HANDLER,
         .writes_person = true, .group = "contacts.manage", .network = true,
         .params = decide_params, .resource = RES_CONTACT, .handler = handle_approve},
        {"onward.Contact.Reject", SOCKET_ADMIN, "contact.reject", AUDIT_HANDLER,
         .writes_person = true, .group = "contacts.manage", .network = true,
         .params = decide_params, .resource = RES_CONTACT, .handler = handle_reject},
        {"onward.Contact.List", SOCKET_ADMIN, "contact.list", AUDIT_ON_REPLY,
         .group = "people.read", .network = true, .params = list_params, .resource = RES_PERSON,
         .handler = handle_list},
        {NULL},
};
