/*
 * Moving a person through custody and out through the gate: onward.Person.Receive,
 * Transfer, Release (with licence conditions), Recall and EndLicence, each one audited
 * staff action that changes status, establishment or probation region, the named worker
 * and the licence conditions policy reads; and onward.Person.Moves, the history. Nothing
 * the person owns is touched by a move: contacts, courses, messages, housing and
 * appointments stay with their record.
 */
#include "call.h"

#include "moves.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define LICENCE_JSON_MAX 4000
#define LICENCE_LIST_MAX 50

/* Finds an establishment of the given kind; false after answering the call. */
static bool
find_establishment(struct call *c, const char *param, const char *code, const char *kind,
                   struct store_establishment *ret)
{
	char message[160];

	if (!validate_establishment_code(code) ||
	    store_establishment_get(c->server->store, code, ret) < 0) {
		call_fail_param(c, param, "No establishment has that code.");
		return false;
	}
	if (strcmp(ret->kind, kind) != 0) {
		snprintf(message, sizeof(message), "%s is not a %s.", code,
		         strcmp(kind, "prison") == 0 ? "prison" : "probation region");
		call_fail_param(c, param, message);
		return false;
	}
	return true;
}

/* A person whose record has moved to another daemon is read-only here. */
static bool
not_moved_out(struct call *c)
{
	char to[8] = "";
	char message[160];

	if (store_person_get_moved_out(c->server->store, c->person.id, to, sizeof(to)) == 0 &&
	    to[0]) {
		snprintf(message, sizeof(message),
		         "This record has moved to %s and can no longer be changed here.", to);
		call_fail(c, PROTO_ERR_CONFLICT, message, NULL);
		return false;
	}
	return true;
}

/*
 * Writes the move: the person's new record (and licence when licence_json is not NULL),
 * the history row and the audit row, in one transaction; then answers.
 */
static void
finish_move(struct call *c, const char *kind, const struct store_person *before,
            const struct store_person *after, const char *licence_json, json_t *detail)
{
	struct store *store = c->server->store;
	struct store_move m = {.person_id = before->id, .at = time_now()};
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	int r;

	snprintf(m.kind, sizeof(m.kind), "%s", kind);
	memcpy(m.from_establishment, before->establishment, sizeof(m.from_establishment));
	memcpy(m.to_establishment, after->establishment, sizeof(m.to_establishment));
	memcpy(m.from_status, before->status, sizeof(m.from_status));
	memcpy(m.to_status, after->status, sizeof(m.to_status));
	snprintf(m.staff_id, sizeof(m.staff_id), "%s", c->staff.id);
	snprintf(m.detail, sizeof(m.detail), "%s",
	         text && strlen(text) < sizeof(m.detail) ? text : "{}");
	free(text);
	r = store_begin(store);
	if (r == 0)
		r = store_person_update(store, after, m.at);
	if (r == 0 && licence_json)
		r = store_person_set_licence(store, before->id, licence_json, m.at);
	if (r == 0)
		r = store_move_record(store, &m);
	json_object_set_new(detail, "from",
	                    json_pack("{s:s, s:s}", "establishment", before->establishment,
	                              "status", before->status));
	json_object_set_new(detail, "to",
	                    json_pack("{s:s, s:s}", "establishment", after->establishment, "status",
	                              after->status));
	if (r == 0)
		r = call_audit(c, "ok", json_incref(detail));
	r = call_end_transaction(c, r);
	if (r < 0) {
		json_decref(detail);
		call_fail_store(c, r, "person");
		return;
	}
	{
		struct store_person now;

		(void)store_person_get(store, before->id, &now);
		json_object_set_new(detail, "person", render_person(&now));
		call_reply(c, detail);
	}
}

static void
handle_receive(struct call *c)
{
	const char *status = params_string(c->params, "status", "sentenced");
	const char *code =
	        params_string(c->params, "establishment", c->server->config.establishment);
	struct store_establishment est;
	struct store_person after;

	if (!not_moved_out(c))
		return;
	if (strcmp(status, "remand") != 0 && strcmp(status, "sentenced") != 0) {
		call_fail_param(c, "status", "A person is received on remand or sentenced.");
		return;
	}
	if (!find_establishment(c, "establishment", code, "prison", &est))
		return;
	if (strcmp(c->person.status, status) == 0 && strcmp(c->person.establishment, code) == 0) {
		call_fail(c, PROTO_ERR_CONFLICT, "This person is already here with that status.",
		          NULL);
		return;
	}
	after = c->person;
	snprintf(after.status, sizeof(after.status), "%s", status);
	memcpy(after.establishment, est.code, sizeof(after.establishment));
	if (strcmp(c->person.establishment, est.code) != 0)
		after.worker[0] = '\0';
	finish_move(c, "receive", &c->person, &after,
	            facts_status_in_custody(c->person.status) ? NULL : "", json_object());
}

static void
handle_transfer(struct call *c)
{
	struct store_establishment est;
	struct store_person after;

	if (!not_moved_out(c))
		return;
	if (!facts_status_in_custody(c->person.status)) {
		call_fail(c, PROTO_ERR_CONFLICT, "Only a person in custody can be transferred.",
		          NULL);
		return;
	}
	if (!find_establishment(c, "to", params_string(c->params, "to", ""), "prison", &est))
		return;
	if (strcmp(est.code, c->person.establishment) == 0) {
		call_fail(c, PROTO_ERR_CONFLICT, "This person is already at that establishment.",
		          NULL);
		return;
	}
	after = c->person;
	memcpy(after.establishment, est.code, sizeof(after.establishment));
	after.worker[0] = '\0'; /* the new establishment names a key worker */
	finish_move(c, "transfer", &c->person, &after, NULL, json_object());
}

/* "19:00" → 19; -1 when not a whole hour on the 24-hour clock. */
static int
parse_hour(const char *text)
{
	if (!text || strlen(text) != 5 || !isdigit((unsigned char)text[0]) ||
	    !isdigit((unsigned char)text[1]) || strcmp(text + 2, ":00") != 0)
		return -1;
	return (text[0] - '0') * 10 + (text[1] - '0') < 24 ? (text[0] - '0') * 10 + (text[1] - '0')
	                                                   : -1;
}

struct name_match {
	const char *name;
	int64_t id;
};

static int
match_contact(const struct store_contact *contact, void *userdata)
{
	struct name_match *m = userdata;

	if (!m->id && strcasecmp(contact->name, m->name) == 0)
		m->id = contact->id;
	return 0;
}

/* Checks a list of short strings; false after answering. */
static bool
check_strings(struct call *c, json_t *list, const char *what, size_t max_bytes)
{
	size_t i;
	json_t *item;
	char message[160];

	if (list && (!json_is_array(list) || json_array_size(list) > LICENCE_LIST_MAX)) {
		snprintf(message, sizeof(message), "The licence's %s must be a list of at most %d.",
		         what, LICENCE_LIST_MAX);
		call_fail_param(c, "licence", message);
		return false;
	}
	json_array_foreach(list, i, item)
	{
		if (!json_is_string(item) ||
		    !validate_text(json_string_value(item), max_bytes, false)) {
			snprintf(message, sizeof(message),
			         "Each of the licence's %s must be text of up to %zu characters.",
			         what, max_bytes);
			call_fail_param(c, "licence", message);
			return false;
		}
	}
	return true;
}

/*
 * Checks a licence (the JSON file staff give) and builds the form the store keeps, with
 * named people matched to the person's contacts. NULL after answering the call.
 */
static json_t *
licence_normalise(struct call *c, json_t *in, struct store_establishment *ret_region,
                  struct store_staff *ret_officer)
{
	static const char *const known[] = {
	        "region",          "crn",        "probation_officer", "start", "end", "curfew",
	        "exclusion_areas", "no_contact", "reporting",         NULL};
	const char *key, *region, *crn, *officer, *start, *end, *reporting;
	json_t *value, *curfew, *names, *areas, *out, *ids, *unmatched;
	int curfew_start = -1, curfew_end = -1;
	size_t i;

	json_object_foreach(in, key, value)
	{
		bool ok = false;

		for (size_t k = 0; known[k]; k++)
			ok |= strcmp(key, known[k]) == 0;
		if (!ok) {
			char message[120];

			snprintf(message, sizeof(message),
			         "The licence has an unknown field \"%.40s\".", key);
			call_fail_param(c, "licence", message);
			return NULL;
		}
	}
	region = json_string_value(json_object_get(in, "region"));
	crn = json_string_value(json_object_get(in, "crn"));
	officer = json_string_value(json_object_get(in, "probation_officer"));
	start = json_string_value(json_object_get(in, "start"));
	end = json_string_value(json_object_get(in, "end"));
	reporting = json_string_value(json_object_get(in, "reporting"));
	curfew = json_object_get(in, "curfew");
	names = json_object_get(in, "no_contact");
	if (!region || !find_establishment(c, "licence", region, "probation", ret_region)) {
		if (!region)
			call_fail_param(c, "licence",
			                "The licence must name its probation region.");
		return NULL;
	}
	if (crn && !validate_crn(crn)) {
		call_fail_param(c, "licence", "The licence's case reference is like X123456.");
		return NULL;
	}
	memset(ret_officer, 0, sizeof(*ret_officer));
	if (officer && (store_staff_get(c->server->store, officer, ret_officer) < 0 ||
	                strcmp(ret_officer->role, "probation") != 0)) {
		call_fail_param(c, "licence",
		                "The licence's probation officer must be a probation "
		                "staff id, like m.brown.");
		return NULL;
	}
	if (!end || !validate_date(end) ||
	    (start && (!validate_date(start) || strcmp(start, end) >= 0))) {
		call_fail_param(c, "licence",
		                "The licence needs an end date (and any start date before it), "
		                "written like 2028-01-28.");
		return NULL;
	}
	if (curfew) {
		curfew_start = parse_hour(json_string_value(json_object_get(curfew, "start")));
		curfew_end = parse_hour(json_string_value(json_object_get(curfew, "end")));
		if (!json_is_object(curfew) || json_object_size(curfew) != 2 || curfew_start < 0 ||
		    curfew_end < 0) {
			call_fail_param(c, "licence",
			                "A curfew is {\"start\": \"19:00\", \"end\": "
			                "\"07:00\"}, on the hour.");
			return NULL;
		}
	}
	if (reporting && !validate_text(reporting, 500, false)) {
		call_fail_param(c, "licence",
		                "The reporting requirement is text of up to 500 "
		                "characters.");
		return NULL;
	}
	if (!check_strings(c, json_object_get(in, "exclusion_areas"), "exclusion areas", 100) ||
	    !check_strings(c, names, "named people", STORE_NAME_MAX))
		return NULL;
	ids = json_array();
	unmatched = json_array();
	json_array_foreach(names, i, value)
	{
		struct name_match m = {json_string_value(value), 0};

		(void)store_contact_list(c->server->store, c->person.id, match_contact, &m);
		if (m.id)
			json_array_append_new(ids, json_integer(m.id));
		else
			json_array_append_new(unmatched, json_string(m.name));
	}
	areas = json_object_get(in, "exclusion_areas");
	out = json_pack("{s:s, s:s?, s:s?, s:s?, s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:s?}",
	                "region", region, "crn", crn, "probation_officer", officer, "starts", start,
	                "ends", end, "curfew_start", curfew_start < 0 ? 0 : curfew_start,
	                "curfew_end", curfew_end < 0 ? 0 : curfew_end, "exclusion_areas",
	                areas ? json_incref(areas) : json_array(), "no_contact", ids,
	                "no_contact_names", unmatched, "no_contact_all",
	                names ? json_incref(names) : json_array(), "reporting", reporting);
	return out;
}

static void
handle_release(struct call *c)
{
	struct store_establishment region;
	struct store_staff officer;
	struct store_person after;
	json_t *licence;
	char *text;

	if (!not_moved_out(c))
		return;
	if (!facts_status_in_custody(c->person.status)) {
		call_fail(c, PROTO_ERR_CONFLICT, "Only a person in custody can be released.", NULL);
		return;
	}
	licence = licence_normalise(c, json_object_get(c->params, "licence"), &region, &officer);
	if (!licence)
		return;
	text = json_dumps(licence, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text || strlen(text) > LICENCE_JSON_MAX) {
		free(text);
		json_decref(licence);
		call_fail_param(c, "licence", "The licence is too long.");
		return;
	}
	after = c->person;
	snprintf(after.status, sizeof(after.status), "licence");
	memcpy(after.establishment, region.code, sizeof(after.establishment));
	snprintf(after.worker, sizeof(after.worker), "%s", officer.id);
	if (json_is_string(json_object_get(licence, "crn")))
		snprintf(after.crn, sizeof(after.crn), "%s",
		         json_string_value(json_object_get(licence, "crn")));
	finish_move(c, "release", &c->person, &after, text, json_pack("{s:o}", "licence", licence));
	free(text);
}

static void
handle_recall(struct call *c)
{
	struct store_establishment est;
	struct store_person after;

	if (!not_moved_out(c))
		return;
	if (strcmp(c->person.status, "licence") != 0) {
		call_fail(c, PROTO_ERR_CONFLICT, "Only a person on licence can be recalled.", NULL);
		return;
	}
	if (!find_establishment(c, "to", params_string(c->params, "to", ""), "prison", &est))
		return;
	after = c->person;
	snprintf(after.status, sizeof(after.status), "sentenced");
	memcpy(after.establishment, est.code, sizeof(after.establishment));
	after.worker[0] = '\0';
	finish_move(c, "recall", &c->person, &after, "", json_object());
}

static void
handle_end_licence(struct call *c)
{
	struct store_person after;

	if (!not_moved_out(c))
		return;
	if (strcmp(c->person.status, "licence") != 0) {
		call_fail(c, PROTO_ERR_CONFLICT,
		          "Only a person on licence can come to the end of it.", NULL);
		return;
	}
	after = c->person;
	snprintf(after.status, sizeof(after.status), "released");
	after.worker[0] = '\0'; /* probation's part ends; the person's own data stays */
	finish_move(c, "end_licence", &c->person, &after, "", json_object());
}

static int
add_move(const struct store_move *m, void *userdata)
{
	json_t *detail = json_loads(m->detail, 0, NULL);

	return json_array_append_new(
	        userdata,
	        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "kind", m->kind, "from",
	                  m->from_establishment, "to", m->to_establishment, "from_status",
	                  m->from_status, "to_status", m->to_status, "by", m->staff_id, "at",
	                  render_time(m->at), "detail", detail ? detail : json_object()));
}

static void
handle_moves(struct call *c)
{
	char licence[LICENCE_JSON_MAX + 100] = "";
	json_t *list = json_array();
	int r = store_move_list(c->server->store, c->person.id, add_move, list);

	if (r < 0) {
		json_decref(list);
		call_fail_store(c, r, "person");
		return;
	}
	(void)store_person_get_licence(c->server->store, c->person.id, licence, sizeof(licence));
	call_reply(c, json_pack("{s:o, s:o, s:o}", "person", render_person(&c->person), "moves",
	                        list, "licence",
	                        licence[0] ? json_loads(licence, 0, NULL) ?: json_null()
	                                   : json_null()));
}

static const struct param_spec receive_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"status", PARAM_STRING, false, 0, 16},
        {"establishment", PARAM_STRING, false, 0, 8},
        {NULL},
};

static const struct param_spec to_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"to", PARAM_STRING, true, 0, 8},
        {NULL},
};

static const struct param_spec release_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"licence", PARAM_OBJECT, true, 0, 16},
        {NULL},
};

static const struct param_spec person_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {NULL},
};

const struct method move_methods[] = {
        {"onward.Person.Receive", SOCKET_ADMIN, "person.receive", AUDIT_HANDLER,
         .params = receive_params, .resource = RES_PERSON, .handler = handle_receive},
        {"onward.Person.Transfer", SOCKET_ADMIN, "person.transfer", AUDIT_HANDLER,
         .params = to_params, .resource = RES_PERSON, .handler = handle_transfer},
        {"onward.Person.Release", SOCKET_ADMIN, "person.release", AUDIT_HANDLER,
         .params = release_params, .resource = RES_PERSON, .handler = handle_release},
        {"onward.Person.Recall", SOCKET_ADMIN, "person.recall", AUDIT_HANDLER, .params = to_params,
         .resource = RES_PERSON, .handler = handle_recall},
        {"onward.Person.EndLicence", SOCKET_ADMIN, "person.end_licence", AUDIT_HANDLER,
         .params = person_params, .resource = RES_PERSON, .handler = handle_end_licence},
        {"onward.Person.Moves", SOCKET_ADMIN, "person.history", AUDIT_ON_REPLY,
         .params = person_params, .resource = RES_PERSON, .handler = handle_moves},
        {NULL},
};
