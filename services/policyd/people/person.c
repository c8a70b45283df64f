/*
 * onward.Person.*: staff manage people's records. Adding a person and resetting a PIN
 * give a one-time PIN, shown once to the staff member and stored only as a hash; the
 * person must choose their own at the next login (session/pin_change.c). Every read and
 * change is audited against the person it concerns.
 */
#include "call.h"

#include "clock.h"
#include "crypto.h"
#include "pinwork.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ONE_TIME_PIN_DIGITS 6
#define PERSON_PAGE_DEFAULT 200
#define PERSON_PAGE_MAX 1000

static const char *const statuses[] = {"remand", "sentenced", "licence", "released", NULL};
static const char *const incentives[] = {"basic", "standard", "enhanced", NULL};

static bool
one_of(const char *value, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(value, *allowed) == 0)
			return true;
	return false;
}

/* Adds or removes one flag in a ','-joined list; -E2BIG past STORE_FLAGS_MAX. */
static int
flags_edit(char *flags, size_t size, const char *flag, bool add)
{
	char out[sizeof(((struct store_person *)0)->flags)] = "";
	const char *start = flags;
	bool present = false;
	int count = 0;

	while (*start) {
		const char *comma = strchr(start, ',');
		size_t n = comma ? (size_t)(comma - start) : strlen(start);
		bool same = strlen(flag) == n && strncmp(start, flag, n) == 0;

		present |= same;
		if (!(same && !add)) {
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.*s",
			         out[0] ? "," : "", (int)n, start);
			count++;
		}
		start += n + (comma ? 1 : 0);
	}
	if (add && !present) {
		if (count >= STORE_FLAGS_MAX)
			return -E2BIG;
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", out[0] ? "," : "",
		         flag);
	}
	if (strlen(out) >= size)
		return -E2BIG;
	strcpy(flags, out);
	return 0;
}

/* Applies a JSON list of flags to p; false (after answering the call) on a bad one. */
static bool
apply_flags(struct call *c, struct store_person *p, const char *param, bool add)
{
	json_t *list = json_object_get(c->params, param), *item;
	size_t i;

	json_array_foreach(list, i, item)
	{
		const char *flag = json_string_value(item);

		if (!validate_keyword(flag)) {
			call_fail_param(
			        c, param,
			        "A flag is a short word in small letters, like public_protection.");
			return false;
		}
		if (flags_edit(p->flags, sizeof(p->flags), flag, add) < 0) {
			call_fail_param(c, param, "A person can have at most 16 flags.");
			return false;
		}
	}
	return true;
}

/* Reads the optional editable fields into p; false (after answering) on a bad one. */
static bool
apply_fields(struct call *c, struct store_person *p)
{
	const char *v;

	if ((v = params_string(c->params, "given_name", NULL))) {
		if (!validate_text(v, STORE_NAME_MAX, false)) {
			call_fail_param(c, "given_name", "Give a name of up to 100 characters.");
			return false;
		}
		snprintf(p->given_name, sizeof(p->given_name), "%s", v);
	}
	if ((v = params_string(c->params, "family_name", NULL))) {
		if (!validate_text(v, STORE_NAME_MAX, false)) {
			call_fail_param(c, "family_name", "Give a name of up to 100 characters.");
			return false;
		}
		snprintf(p->family_name, sizeof(p->family_name), "%s", v);
	}
	if ((v = params_string(c->params, "incentive", NULL))) {
		if (!one_of(v, incentives)) {
			call_fail_param(c, "incentive",
			                "The incentive level is basic, standard or enhanced.");
			return false;
		}
		snprintf(p->incentive, sizeof(p->incentive), "%s", v);
	}
	if ((v = params_string(c->params, "release_date", NULL))) {
		if (v[0] && !validate_date(v)) {
			call_fail_param(c, "release_date", "A date is written like 2027-03-31.");
			return false;
		}
		snprintf(p->release_date, sizeof(p->release_date), "%s", v);
	}
	if ((v = params_string(c->params, "crn", NULL))) {
		if (v[0] && !validate_crn(v)) {
			call_fail_param(
			        c, "crn",
			        "A case reference is one letter and six numbers, like X123456.");
			return false;
		}
		snprintf(p->crn, sizeof(p->crn), "%s", v);
	}
	if ((v = params_string(c->params, "worker", NULL))) {
		struct store_staff worker;

		if (v[0] && store_staff_get(c->server->store, v, &worker) < 0) {
			call_fail_param(c, "worker",
			                "The worker must be a staff id, like k.patel.");
			return false;
		}
		snprintf(p->worker, sizeof(p->worker), "%s", v);
	}
	return apply_flags(c, p, "add_flags", true) && apply_flags(c, p, "remove_flags", false);
}

struct person_add {
	struct store_person person;
	char pin[16];
};

static void
on_new_pin_hashed(struct call *c, int result, const char *hash, void *ctx)
{
	struct person_add *add = ctx;
	struct store *store = c->server->store;
	int64_t id = 0;
	int r = result;

	if (r == 0)
		r = store_begin(store);
	if (r == 0) {
		r = store_person_insert(store, &add->person, hash, &id);
		if (r == 0)
			r = call_audit(c, "ok",
			               json_pack("{s:s, s:s, s:s}", "establishment",
			                         add->person.establishment, "status",
			                         add->person.status, "incentive",
			                         add->person.incentive));
		r = call_end_transaction(c, r);
	}
	if (r < 0) {
		call_fail_store(c, r, "person with that prison number");
	} else {
		add->person.id = id;
		call_reply(c, json_pack("{s:o, s:s}", "person", render_person(&add->person),
		                        "one_time_pin", add->pin));
	}
	crypto_wipe(add, sizeof(*add));
	free(add);
}

static void
handle_add(struct call *c)
{
	struct server *srv = c->server;
	const char *number = params_string(c->params, "prison_number", "");
	const char *est = params_string(c->params, "establishment", srv->config.establishment);
	const char *status = params_string(c->params, "status", "sentenced");
	struct store_establishment e;
	struct store_person existing;
	struct person_add *add;

	call_set_subject(c, "person:%.16s", number);
	if (!validate_prison_number(number)) {
		call_fail_param(c, "prison_number",
		                "A prison number is one letter, four numbers and two letters, like "
		                "A1234BC.");
		return;
	}
	if (!params_string(c->params, "given_name", NULL) ||
	    !params_string(c->params, "family_name", NULL)) {
		call_fail_param(c, "given_name", "Give the person's given and family names.");
		return;
	}
	if (!one_of(status, statuses)) {
		call_fail_param(c, "status",
		                "The status is remand, sentenced, licence or released.");
		return;
	}
	if (!est[0]) {
		call_fail_param(c, "establishment",
		                "Say which establishment (this device has none set).");
		return;
	}
	if (store_establishment_get(srv->store, est, &e) < 0) {
		call_fail_param(c, "establishment", "No establishment has that code.");
		return;
	}
	if (store_person_find(srv->store, number, &existing) == 0) {
		call_fail(c, PROTO_ERR_ALREADY_EXISTS,
		          "A person with that prison number already exists.", NULL);
		return;
	}
	add = calloc(1, sizeof(*add));
	if (!add) {
		call_fail(c, PROTO_ERR_INTERNAL, "Out of memory.", NULL);
		return;
	}
	snprintf(add->person.prison_number, sizeof(add->person.prison_number), "%s", number);
	snprintf(add->person.status, sizeof(add->person.status), "%s", status);
	snprintf(add->person.incentive, sizeof(add->person.incentive), "standard");
	snprintf(add->person.establishment, sizeof(add->person.establishment), "%s", est);
	add->person.created_at = add->person.updated_at = clock_now();
	add->person.pin_change = true;
	if (!apply_fields(c, &add->person)) {
		free(add);
		return;
	}
	if (pin_generate(ONE_TIME_PIN_DIGITS, add->pin, sizeof(add->pin)) < 0) {
		free(add);
		{
			call_fail(c, PROTO_ERR_INTERNAL, "No PIN could be made.", NULL);
			return;
		}
	}
	pinwork_hash(c, add->pin, on_new_pin_hashed, add);
}

static void
handle_show(struct call *c)
{
	struct store_person p;

	if (!call_find_person(c, &p))
		return;
	call_reply(c, json_pack("{s:o}", "person", render_person(&p)));
}

struct person_page {
	json_t *list;
	char last[8]; /* the last prison number on this page */
};

static int
add_person_to_page(const struct store_person *p, void *userdata)
{
	struct person_page *page = userdata;

	memcpy(page->last, p->prison_number, sizeof(page->last));
	return json_array_append_new(page->list, render_person(p));
}

/* One page of people; "next" is where the following page starts, null after the last. */
static void
handle_list(struct call *c)
{
	const char *est = params_string(c->params, "establishment", NULL);
	const char *after = params_string(c->params, "after", "");
	int limit = (int)params_int(c->params, "limit", PERSON_PAGE_DEFAULT);
	struct person_page page = {.list = json_array()};
	int r;

	if (est && !validate_establishment_code(est)) {
		json_decref(page.list);
		call_fail_param(c, "establishment",
		                "An establishment code is three capital letters.");
		return;
	}
	r = store_person_list(c->server->store, est, after, limit, add_person_to_page, &page);
	if (r < 0) {
		json_decref(page.list);
		call_fail_store(c, r, "person");
		return;
	}
	call_reply(c, json_pack("{s:o, s:o}", "people", page.list, "next",
	                        (int)json_array_size(page.list) == limit ? json_string(page.last)
	                                                                 : json_null()));
}

static void
handle_set(struct call *c)
{
	struct store_person before, p;
	json_t *detail;
	int r;

	if (!call_find_person(c, &p))
		return;
	before = p;
	if (!apply_fields(c, &p))
		return;
	detail = json_pack("{s:o, s:o}", "before", render_person(&before), "after",
	                   render_person(&p));
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_person_update(c->server->store, &p, clock_now());
	if (r == 0)
		r = call_audit(c, "ok", json_incref(detail));
	r = call_end_transaction(c, r);
	json_decref(detail);
	if (r == -EEXIST) {
		call_fail_param(c, "crn", "That case reference belongs to someone else.");
		return;
	}
	if (r < 0) {
		call_fail_store(c, r, "person");
		return;
	}
	(void)store_person_get(c->server->store, p.id, &p);
	call_reply(c, json_pack("{s:o}", "person", render_person(&p)));
}

struct pin_reset {
	struct store_person person;
	char pin[16];
};

static void
on_reset_pin_hashed(struct call *c, int result, const char *hash, void *ctx)
{
	struct pin_reset *reset = ctx;
	struct store *store = c->server->store;
	int r = result;

	if (r == 0)
		r = store_begin(store);
	if (r == 0) {
		r = store_person_issue_pin(store, reset->person.id, hash, clock_now());
		if (r == 0)
			r = call_audit(c, "ok", NULL);
		r = call_end_transaction(c, r);
	}
	if (r < 0)
		call_fail_store(c, r, "person");
	else
		call_reply(c, json_pack("{s:s, s:s}", "prison_number", reset->person.prison_number,
		                        "one_time_pin", reset->pin));
	crypto_wipe(reset, sizeof(*reset));
	free(reset);
}

static void
handle_pin_reset(struct call *c)
{
	struct pin_reset *reset = calloc(1, sizeof(*reset));

	if (!reset) {
		call_fail(c, PROTO_ERR_INTERNAL, "Out of memory.", NULL);
		return;
	}
	if (!call_find_person(c, &reset->person)) {
		free(reset);
		return;
	}
	if (pin_generate(ONE_TIME_PIN_DIGITS, reset->pin, sizeof(reset->pin)) < 0) {
		free(reset);
		{
			call_fail(c, PROTO_ERR_INTERNAL, "No PIN could be made.", NULL);
			return;
		}
	}
	pinwork_hash(c, reset->pin, on_reset_pin_hashed, reset);
}

#define PERSON_FIELDS                                                                              \
	{"given_name", PARAM_STRING, false, 0, STORE_NAME_MAX},                                    \
	        {"family_name", PARAM_STRING, false, 0, STORE_NAME_MAX},                           \
	        {"incentive", PARAM_STRING, false, 0, 16},                                         \
	        {"release_date", PARAM_STRING, false, 0, 16}, {"crn", PARAM_STRING, false, 0, 16}, \
	        {"worker", PARAM_STRING, false, 0, 32},                                            \
	{                                                                                          \
		"add_flags", PARAM_STRINGS, false, 0, STORE_FLAGS_MAX                              \
	}

static const struct param_spec add_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"establishment", PARAM_STRING, false, 0, 8},
        {"status", PARAM_STRING, false, 0, 16},
        PERSON_FIELDS,
        {NULL},
};

static const struct param_spec set_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        PERSON_FIELDS,
        {"remove_flags", PARAM_STRINGS, false, 0, STORE_FLAGS_MAX},
        {NULL},
};

static const struct param_spec one_person_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {NULL},
};

static const struct param_spec list_params[] = {
        {"establishment", PARAM_STRING, false, 0, 8},
        {"after", PARAM_STRING, false, 0, 16},
        {"limit", PARAM_INT, false, 1, PERSON_PAGE_MAX},
        {NULL},
};

const struct method person_methods[] = {
        {"onward.Person.Add", SOCKET_ADMIN, "person.add", AUDIT_HANDLER, .group = "people.manage",
         .network = true, .params = add_params, .resource = RES_NEW_PERSON, .handler = handle_add},
        {"onward.Person.Show", SOCKET_ADMIN, "person.show", AUDIT_ON_REPLY, .group = "people.read",
         .network = true, .params = one_person_params, .resource = RES_PERSON,
         .handler = handle_show},
        {"onward.Person.List", SOCKET_ADMIN, "person.list", AUDIT_ON_REPLY, .group = "people.read",
         .network = true, .params = list_params, .resource = RES_PEOPLE, .handler = handle_list},
        {"onward.Person.Set", SOCKET_ADMIN, "person.set", AUDIT_HANDLER, .writes_person = true,
         .group = "people.manage", .network = true, .params = set_params, .resource = RES_PERSON,
         .handler = handle_set},
        {"onward.Person.PinReset", SOCKET_ADMIN, "person.pin_reset", AUDIT_HANDLER,
         .writes_person = true, .group = "people.manage", .network = true,
         .params = one_person_params, .resource = RES_PERSON, .handler = handle_pin_reset},
        {NULL},
};
