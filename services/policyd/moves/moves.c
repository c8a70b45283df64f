/*
 * Moving a person through custody and out through the gate: onward.Person.Receive,
 * Transfer, Release (with licence conditions), Recall and EndLicence, each one audited
 * staff action that changes status, establishment or probation region, the named worker
 * and the licence conditions policy reads; and onward.Person.Moves, the history. Nothing
 * the person owns is touched by a move: contacts, courses, messages, housing and
 * appointments stay with their record.
 */
#include "call.h"

#include "clock.h"
#include "bundlefile.h"
#include "identity.h"
#include "moves_int.h"
#include "person_bundle.h"
#include "render.h"
#include "timeutil.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
 * Writes the move: the person's new record (and licence when licence_json is not NULL),
 * the history row and the audit row, in one transaction; then answers.
 */
static void
finish_move(struct call *c, const char *kind, const struct store_person *before,
            const struct store_person *after, const char *licence_json, json_t *detail)
{
	struct store *store = c->server->store;
	struct store_move m = {.person_id = before->id, .at = clock_now()};
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
	json_t *detail = render_own_json(m->detail, strlen(m->detail));

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
	call_reply(c,
	           json_pack("{s:o, s:o, s:o}", "person", render_person(&c->person), "moves", list,
	                     "licence",
	                     licence[0] ? render_own_json(licence, strlen(licence)) ?: json_null()
	                                : json_null()));
}

/* ---- person bundles: identity, trust, export, import ------------------------------------ */

static json_t *
render_cert(const struct bundle_cert *cert)
{
	char *text = NULL;
	size_t len = 0;
	json_t *doc;

	if (bundle_cert_serialize(cert, &text, &len, NULL) < 0)
		return json_null();
	doc = render_own_json(text, len);
	free(text);
	return doc ? doc : json_null();
}

static void
handle_identity(struct call *c)
{
	const struct bundle_identity *id;
	const struct bundle_cert *cert;
	char err[300] = "";

	call_set_subject(c, "identity");
	if (identity_get(c->server, &id, err, sizeof(err)) < 0) {
		call_fail(c, PROTO_ERR_CONFLICT, err, NULL);
		return;
	}
	cert = bundle_identity_cert(id);
	call_reply(c, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", bundle_cert_code(cert),
	                        "name", bundle_cert_name(cert), "kind",
	                        bundle_kind_name(bundle_cert_kind(cert)), "fingerprint",
	                        bundle_cert_fingerprint(cert), "not_after",
	                        render_time(bundle_cert_not_after(cert)), "certificate",
	                        render_cert(cert)));
}

/* A certificate sent as a JSON object in parameter `param`; NULL after answering. */
static struct bundle_cert *
cert_param(struct call *c, const char *param)
{
	struct bundle_error berr = {0};
	struct bundle_cert *cert = NULL;
	char *text = json_dumps(json_object_get(c->params, param), JSON_COMPACT);
	char message[400];

	if (!text || bundle_cert_parse(text, strlen(text), &cert, &berr) < 0) {
		snprintf(message, sizeof(message), "That is not an establishment certificate: %s",
		         berr.message[0] ? berr.message : "out of memory");
		call_fail_param(c, param, message);
		cert = NULL;
	}
	free(text);
	return cert;
}

int
moves_trusted_collect(const struct store_trusted *t, void *userdata)
{
	struct trust_list *l = userdata;

	if (l->rendered)
		json_array_append_new(l->rendered,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "code", t->code,
		                                "name", t->name, "kind", t->kind, "fingerprint",
		                                t->fingerprint, "added_by", t->added_by, "added_at",
		                                render_time(t->added_at)));
	if (l->n < sizeof(l->certs) / sizeof(l->certs[0]) &&
	    bundle_cert_parse(t->certificate, strlen(t->certificate), &l->certs[l->n], NULL) == 0)
		l->n++;
	return 0;
}

void
moves_trusted_release(struct trust_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		bundle_cert_free(l->certs[i]);
	json_decref(l->rendered);
}

static void
handle_trust_add(struct call *c)
{
	struct bundle_cert *cert = cert_param(c, "certificate");
	struct trust_list list = {0};
	struct bundle_error berr = {0};
	struct store_trusted t = {0};
	char *text = NULL;
	size_t len;
	char message[400];
	int r;

	if (!cert)
		return;
	call_set_subject(c, "trust:%s", bundle_cert_code(cert));
	(void)store_trust_list(c->server->store, moves_trusted_collect, &list);
	/* Self-signed: trust on first use, after the operator has checked the fingerprint. A
	 * certificate issued by a root already trusted is checked against that root. */
	r = bundle_cert_issuer(cert)
	            ? bundle_cert_check_trust(cert, (const struct bundle_cert *const *)list.certs,
	                                      list.n, clock_now(), &berr)
	            : bundle_cert_verify(cert, NULL, clock_now(), &berr);
	/* One key per establishment: a certificate claiming a code already trusted with other
	 * keys is what an impostor would ask staff to add. A renewal keeps the keys (a new
	 * validity, or the same keys issued by a root) and is taken. This establishment's own
	 * code is never another's. */
	for (size_t i = 0; r == 0 && i < list.n; i++) {
		uint8_t theirs[32], ours[32];

		if (bundle_cert_kind(list.certs[i]) == BUNDLE_KIND_ROOT ||
		    bundle_cert_kind(cert) == BUNDLE_KIND_ROOT ||
		    strcmp(bundle_cert_code(list.certs[i]), bundle_cert_code(cert)) != 0)
			continue;
		bundle_cert_sign_key(list.certs[i], ours);
		bundle_cert_sign_key(cert, theirs);
		if (memcmp(ours, theirs, sizeof(ours)) != 0) {
			snprintf(message, sizeof(message),
			         "%s is already trusted here with other keys (certificate "
			         "%.16s...), "
			         "so this certificate claiming to be %s was refused. If %s tells "
			         "you "
			         "by telephone that its keys have changed, the operator must "
			         "replace "
			         "the old certificate.",
			         bundle_cert_code(cert), bundle_cert_fingerprint(list.certs[i]),
			         bundle_cert_code(cert), bundle_cert_code(cert));
			r = -EEXIST;
		}
	}
	if (r == 0 && strcmp(bundle_cert_code(cert), c->server->config.establishment) == 0) {
		snprintf(message, sizeof(message),
		         "That certificate claims to be this establishment (%s). It was refused.",
		         bundle_cert_code(cert));
		r = -EEXIST;
	}
	moves_trusted_release(&list);
	if (r == -EEXIST) {
		bundle_cert_free(cert);
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, message, NULL);
		return;
	}
	if (r < 0) {
		snprintf(message, sizeof(message), "That certificate cannot be trusted: %s",
		         berr.message);
		bundle_cert_free(cert);
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, message, NULL);
		return;
	}
	snprintf(t.fingerprint, sizeof(t.fingerprint), "%s", bundle_cert_fingerprint(cert));
	snprintf(t.code, sizeof(t.code), "%s", bundle_cert_code(cert));
	snprintf(t.name, sizeof(t.name), "%s", bundle_cert_name(cert));
	snprintf(t.kind, sizeof(t.kind), "%s", bundle_kind_name(bundle_cert_kind(cert)));
	snprintf(t.added_by, sizeof(t.added_by), "%s", c->staff.id);
	t.added_at = clock_now();
	if (bundle_cert_serialize(cert, &text, &len, NULL) < 0 || len >= sizeof(t.certificate)) {
		free(text);
		bundle_cert_free(cert);
		call_fail_param(c, "certificate", "That certificate is too large.");
		return;
	}
	memcpy(t.certificate, text, len + 1);
	free(text);
	bundle_cert_free(cert);
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_trust_add(c->server->store, &t);
	if (r == 0)
		r = call_audit(
		        c, "ok",
		        json_pack("{s:s, s:s}", "fingerprint", t.fingerprint, "name", t.name));
	r = call_end_transaction(c, r);
	if (r < 0) {
		call_fail_store(c, r, "trusted certificate");
		return;
	}
	call_reply(c, json_pack("{s:s, s:s, s:s, s:s}", "code", t.code, "name", t.name, "kind",
	                        t.kind, "fingerprint", t.fingerprint));
}

static void
handle_trust_list(struct call *c)
{
	struct trust_list list = {.rendered = json_array()};
	json_t *out;

	call_set_subject(c, "trust");
	(void)store_trust_list(c->server->store, moves_trusted_collect, &list);
	out = json_pack("{s:O}", "trusted", list.rendered);
	moves_trusted_release(&list);
	call_reply(c, out);
}

const char *
moves_path_param(struct call *c)
{
	const char *path = params_string(c->params, "path", "");

	if (path[0] != '/' || !validate_text(path, 4000, false)) {
		call_fail_param(c, "path", "Give the bundle file's full path, starting with /.");
		return NULL;
	}
	return path;
}

/* Plain words for a bundle that cannot be sealed: in practice, a certificate out of date. */
static void
seal_refusal(const struct bundle_error *berr, const char *self, char *out, size_t size)
{
	char when[BUNDLE_TIME_MAX] = "?";

	if (berr->code != -EKEYEXPIRED) {
		snprintf(out, size, "The bundle cannot be made: %s.", berr->message);
		return;
	}
	(void)bundle_time_format(berr->when, when);
	if (strcmp(berr->subject, self) == 0)
		snprintf(out, size,
		         "This establishment's own certificate is not valid now (%s %s), so no "
		         "bundle was made. An operator must renew it first.",
		         berr->when < clock_now() ? "it expired on" : "it starts on", when);
	else
		snprintf(out, size,
		         "%s's certificate is not valid now (%s %s), so no bundle was made. Ask "
		         "%s for its renewed certificate, add it with trust add, and export to "
		         "that one.",
		         berr->subject, berr->when < clock_now() ? "it expired on" : "it starts on",
		         when, berr->subject);
}

static void
handle_export(struct call *c)
{
	const struct bundle_identity *me;
	struct bundle_cert *recipient;
	struct trust_list list = {0};
	struct bundle_error berr = {0};
	struct bundle_info info;
	struct store_move m = {.person_id = c->person.id, .at = clock_now()};
	const char *path;
	char err[600] = "", *text;
	json_t *payload = NULL;
	void *bundle = NULL;
	size_t bundle_len = 0;
	bool trusted = false;
	int64_t seq = 0;
	int r;

	if (!(path = moves_path_param(c)) || !(recipient = cert_param(c, "recipient")))
		return;
	if (identity_get(c->server, &me, err, sizeof(err)) < 0) {
		bundle_cert_free(recipient);
		call_fail(c, PROTO_ERR_CONFLICT, err, NULL);
		return;
	}
	(void)store_trust_list(c->server->store, moves_trusted_collect, &list);
	for (size_t i = 0; i < list.n; i++)
		trusted |= strcmp(bundle_cert_fingerprint(list.certs[i]),
		                  bundle_cert_fingerprint(recipient)) == 0;
	moves_trusted_release(&list);
	if (!trusted) {
		snprintf(err, sizeof(err),
		         "%s is not a trusted establishment here. Add its certificate with "
		         "onwardctl trust add first.",
		         bundle_cert_code(recipient));
		bundle_cert_free(recipient);
		call_fail(c, PROTO_ERR_PERMISSION_DENIED, err, NULL);
		return;
	}
	/*
	 * One transaction: the export is recorded first, so the bundle's history includes it,
	 * and the record becomes read-only here only if the bundle was written.
	 */
	snprintf(m.kind, sizeof(m.kind), "export");
	memcpy(m.from_establishment, c->person.establishment, sizeof(m.from_establishment));
	snprintf(m.to_establishment, sizeof(m.to_establishment), "%s", bundle_cert_code(recipient));
	memcpy(m.from_status, c->person.status, sizeof(m.from_status));
	memcpy(m.to_status, c->person.status, sizeof(m.to_status));
	snprintf(m.staff_id, sizeof(m.staff_id), "%s", c->staff.id);
	r = store_begin(c->server->store);
	if (r == 0)
		r = store_move_record(c->server->store, &m);
	/* One hand-over more than any copy this establishment has held or sent. */
	if (r == 0)
		r = store_person_get_move_seq(c->server->store, c->person.id, &seq);
	if (r == 0)
		r = person_bundle_export(c->server, &c->person, ++seq, &payload, err, sizeof(err));
	text = r == 0 ? json_dumps(payload, JSON_COMPACT) : NULL;
	json_decref(payload);
	if (r == 0 && !text)
		r = -ENOMEM;
	if (r == 0 && bundle_seal(me, recipient, text, strlen(text), clock_now(), &bundle,
	                          &bundle_len, &info, &berr) < 0) {
		seal_refusal(&berr, bundle_cert_code(bundle_identity_cert(me)), err, sizeof(err));
		r = -EINVAL;
	}
	if (text) {
		memset(text, 0, strlen(text));
		free(text);
	}
	if (r == 0) {
		r = bundlefile_write(path, bundle, bundle_len, err, sizeof(err));
		bundle_buffer_free(bundle, bundle_len);
	}
	if (r == 0)
		r = store_person_set_moved_out(c->server->store, c->person.id,
		                               bundle_cert_code(recipient), m.at);
	if (r == 0)
		r = store_person_set_move_seq(c->server->store, c->person.id, seq);
	if (r == 0)
		r = call_audit(c, "ok",
		               json_pack("{s:s, s:s, s:s, s:I}", "bundle", info.id_hex, "to",
		                         bundle_cert_code(recipient), "fingerprint",
		                         bundle_cert_fingerprint(recipient), "bytes",
		                         (json_int_t)bundle_len));
	if (r == 0) {
		r = call_end_transaction(c, r);
		if (r < 0)
			unlink(path);
	} else {
		store_rollback(c->server->store);
	}
	if (r < 0) {
		bundle_cert_free(recipient);
		if (err[0])
			call_fail(c, PROTO_ERR_CONFLICT, err, NULL);
		else
			call_fail_store(c, r, "person");
		return;
	}
	/* The record is read-only here now: a session the person still has on this device
	 * ends, so nothing more they do lands where they can no longer log in. */
	server_close_person(c->server, c->person.id);
	call_reply(c,
	           json_pack("{s:s, s:s, s:s, s:I, s:s}", "prison_number", c->person.prison_number,
	                     "bundle", info.id_hex, "to", bundle_cert_code(recipient), "bytes",
	                     (json_int_t)bundle_len, "path", path));
	bundle_cert_free(recipient);
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

static const struct param_spec export_params[] = {
        {"prison_number", PARAM_STRING, true, 0, 16},
        {"recipient", PARAM_OBJECT, true, 0, 32},
        {"path", PARAM_STRING, true, 0, 4000},
        {NULL},
};

static const struct param_spec import_params[] = {
        {"path", PARAM_STRING, true, 0, 4000},
        {NULL},
};

static const struct param_spec trust_params[] = {
        {"certificate", PARAM_OBJECT, true, 0, 32},
        {NULL},
};

static const struct param_spec no_params[] = {{NULL}};

const struct method move_methods[] = {
        {"onward.Person.Export", SOCKET_ADMIN, "person.export", AUDIT_HANDLER,
         .writes_person = true, .group = "moves.manage", .params = export_params,
         .resource = RES_PERSON, .handler = handle_export},
        {"onward.Person.Import", SOCKET_ADMIN, "person.import", AUDIT_HANDLER,
         .group = "moves.manage", .params = import_params, .handler = moves_handle_import},
        {"onward.Identity.Show", SOCKET_ADMIN, "identity.show", AUDIT_ON_REPLY,
         .group = "moves.manage", .network = true, .params = no_params, .handler = handle_identity},
        {"onward.Trust.Add", SOCKET_ADMIN, "trust.add", AUDIT_HANDLER, .group = "moves.manage",
         .params = trust_params, .handler = handle_trust_add},
        {"onward.Trust.List", SOCKET_ADMIN, "trust.list", AUDIT_ON_REPLY, .group = "moves.manage",
         .network = true, .params = no_params, .handler = handle_trust_list},
        {"onward.Person.Receive", SOCKET_ADMIN, "person.receive", AUDIT_HANDLER,
         .writes_person = true, .group = "moves.manage", .network = true, .params = receive_params,
         .resource = RES_PERSON, .handler = handle_receive},
        {"onward.Person.Transfer", SOCKET_ADMIN, "person.transfer", AUDIT_HANDLER,
         .writes_person = true, .group = "moves.manage", .network = true, .params = to_params,
         .resource = RES_PERSON, .handler = handle_transfer},
        {"onward.Person.Release", SOCKET_ADMIN, "person.release", AUDIT_HANDLER,
         .writes_person = true, .group = "moves.manage", .network = true, .params = release_params,
         .resource = RES_PERSON, .handler = handle_release},
        {"onward.Person.Recall", SOCKET_ADMIN, "person.recall", AUDIT_HANDLER,
         .writes_person = true, .group = "moves.manage", .network = true, .params = to_params,
         .resource = RES_PERSON, .handler = handle_recall},
        {"onward.Person.EndLicence", SOCKET_ADMIN, "person.end_licence", AUDIT_HANDLER,
         .writes_person = true, .group = "moves.manage", .network = true, .params = person_params,
         .resource = RES_PERSON, .handler = handle_end_licence},
        {"onward.Person.Moves", SOCKET_ADMIN, "person.history", AUDIT_ON_REPLY,
         .group = "people.read", .network = true, .params = person_params, .resource = RES_PERSON,
         .handler = handle_moves},
        {NULL},
};
