/*
 * The person bundle's payload (see person_bundle.h). Export reads the store; import checks
 * every field as if it came from a stranger — a trusted sender can still have a bug — and
 * then writes it all through the store's own calls, so the rules that hold for a record
 * typed in by staff hold for one that arrived in a bundle.
 */
#include "person_bundle.h"

#include "clock.h"
#include "moves.h"
#include "area.h"
#include "pin.h"
#include "person_parts.h"
#include "render.h"
#include "server.h"
#include "timeutil.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* lib/crypto/pin.c's scrypt parameters: the only ones it has ever written. */
#define PIN_SCRYPT_R 8
#define PIN_SCRYPT_P 1
#define PIN_SCRYPT_LOG_N_MIN 10

static int
add_contact(const struct store_contact *c, void *userdata)
{
	return json_array_append_new(
	        userdata,
	        json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:s, s:s, s:I, s:I}", "id",
	                  (json_int_t)c->id, "name", c->name, "relation", c->relation, "minor",
	                  c->minor, "victim", c->victim, "barred", c->barred, "status", c->status,
	                  "decided_by", c->decided_by, "decided_at", (json_int_t)c->decided_at,
	                  "created_at", (json_int_t)c->created_at));
}

static int
add_move(const struct store_move *m, void *userdata)
{
	return json_array_append_new(
	        userdata, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "kind", m->kind,
	                            "from", m->from_establishment, "to", m->to_establishment,
	                            "from_status", m->from_status, "to_status", m->to_status, "by",
	                            m->staff_id, "at", (json_int_t)m->at, "detail", m->detail));
}

static int
add_audit(const struct store_audit_row *row, void *userdata)
{
	return json_array_append_new(userdata,
	                             json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
	                                       (json_int_t)row->seq, "at", (json_int_t)row->at,
	                                       "actor", row->actor, "subject", row->subject,
	                                       "action", row->action, "outcome", row->outcome,
	                                       "detail", row->detail, "hash", row->hash));
}

static int
add_imported_audit(const char *sender, const char *row_json, void *userdata)
{
	json_t *row = render_own_json(row_json, strlen(row_json));

	if (!row)
		return 0;
	json_object_set_new(row, "from", json_string(sender));
	return json_array_append_new(userdata, row);
}

/*
 * The audit rows about the person: those imported before, then this daemon's own, the
 * newest RECORD_AUDIT_MAX of them, so that every bundle made here is one a receiver
 * takes. The full chain stays here.
 */
static int
export_audit(struct store *s, const struct store_person *p, json_t **ret)
{
	char subject[48];
	struct store_audit_filter f = {.subject = subject, .limit = 1000};
	json_t *rows = json_array(), *newest;
	int r = store_imported_audit_list(s, p->id, add_imported_audit, rows);
	size_t n, skip;

	snprintf(subject, sizeof(subject), "person:%s", p->prison_number);
	while (r == 0) {
		size_t before = json_array_size(rows);

		r = store_audit_list(s, &f, add_audit, rows);
		if (r < 0 || json_array_size(rows) == before)
			break;
		f.after_seq = json_integer_value(
		        json_object_get(json_array_get(rows, json_array_size(rows) - 1), "seq"));
	}
	n = json_array_size(rows);
	if (r < 0 || n <= RECORD_AUDIT_MAX) {
		if (r < 0)
			json_decref(rows);
		else
			*ret = rows;
		return r;
	}
	newest = json_array();
	skip = n - RECORD_AUDIT_MAX;
	for (size_t i = skip; i < n; i++)
		json_array_append(newest, json_array_get(rows, i));
	json_decref(rows);
	*ret = newest;
	return 0;
}

int
person_bundle_export(struct server *srv, const struct store_person *p, int64_t seq, json_t **ret,
                     char *err, size_t size)
{
	struct store *s = srv->store;
	char pin_hash[200] = "", licence[4200] = "", settings[600] = "";
	json_t *contacts = json_array(), *moves = json_array(), *audit = NULL;
	json_t *parts = json_object(), *out;
	int r;

	r = store_person_get_pin_hash(s, p->id, pin_hash, sizeof(pin_hash));
	r = r ?: store_person_get_licence(s, p->id, licence, sizeof(licence));
	r = r ?: store_person_get_settings(s, p->id, settings, sizeof(settings));
	r = r ?: store_contact_list(s, p->id, add_contact, contacts);
	r = r ?: store_move_list(s, p->id, add_move, moves);
	r = r ?: export_audit(s, p, &audit);
	for (size_t i = 0; r == 0 && area_list[i]; i++) {
		const struct person_part *part = area_list[i]->bundle_part;
		json_t *value = NULL;

		if (!part)
			continue;
		r = person_part_export(part, s, p, &value);
		if (r == 0)
			json_object_set_new(parts, part->name, value);
	}
	if (r < 0) {
		json_decref(contacts);
		json_decref(moves);
		json_decref(audit);
		json_decref(parts);
		snprintf(err, size,
		         "The record cannot be read for export (store error %d), so no bundle was "
		         "made. Try again; if it happens again, report it.",
		         -r);
		return r;
	}
	out = json_pack("{s:i, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, "
	                "s:I, s:I, s:I}, s:s, s:s, s:o, s:o, s:o, s:o}",
	                "format", RECORD_FORMAT, "person", "prison_number", p->prison_number, "crn",
	                p->crn, "given_name", p->given_name, "family_name", p->family_name,
	                "status", p->status, "incentive", p->incentive, "establishment",
	                p->establishment, "release_date", p->release_date, "flags", p->flags,
	                "worker", p->worker, "pin_hash", pin_hash, "pin_change", p->pin_change,
	                "created_at", (json_int_t)p->created_at, "updated_at",
	                (json_int_t)p->updated_at, "sequence", (json_int_t)seq, "licence", licence,
	                "settings", settings, "contacts", contacts, "moves", moves, "audit", audit,
	                "parts", parts);
	memset(pin_hash, 0, sizeof(pin_hash));
	if (!out) {
		snprintf(err, size, "Out of memory building the bundle.");
		return -ENOMEM;
	}
	*ret = out;
	return 0;
}

/* ---- import ---------------------------------------------------------------------------- */

static const char *
text_field(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int
refuse(char *err, size_t size, const char *what)
{
	snprintf(err, size, "The bundle's record is not well formed: %s.", what);
	return -EBADMSG;
}

/* Copies a checked string into a fixed field; an empty string is allowed when optional. */
static bool
take(char *dst, size_t dst_size, const char *src, bool optional)
{
	if (!src || (!src[0] && !optional) || strlen(src) >= dst_size)
		return false;
	memcpy(dst, src, strlen(src) + 1);
	return true;
}

static bool
flags_valid(const char *joined)
{
	char copy[STORE_FLAGS_MAX * 33 + 1];
	char *save = NULL;
	int n = 0;

	if (strlen(joined) >= sizeof(copy))
		return false;
	strcpy(copy, joined);
	for (char *flag = strtok_r(copy, ",", &save); flag; flag = strtok_r(NULL, ",", &save))
		if (!validate_keyword(flag) || ++n > STORE_FLAGS_MAX)
			return false;
	return true;
}

/*
 * Whether a PIN hash is one this service makes (lib/crypto/pin.c): exactly
 * "scrypt$LOGN$8$1$SALT$KEY" with a 16-byte salt and a 32-byte key in lower-case hex, and
 * a cost from the platform's least up to this establishment's own or the platform's
 * default, whichever is more. A login pays the cost the hash names, every time: a foreign
 * one (2^20 with r = 32 is 4 GiB and 22 s a login) is a way to stall the service.
 */
static bool
pin_hash_ours(const char *hash, unsigned log_n_max)
{
	char salt[2 * 16 + 1], key[2 * 32 + 1], again[PIN_HASH_MAX];
	unsigned log_n = 0, r = 0, p = 0;

	if (strlen(hash) >= sizeof(again) ||
	    sscanf(hash, "scrypt$%2u$%2u$%2u$%32[0-9a-f]$%64[0-9a-f]", &log_n, &r, &p, salt, key) !=
	            5)
		return false;
	/* Written again from what was read, it must be the same text: no signs, spaces or
	 * leading zeros, nothing after the key, and the salt and key at full length. */
	snprintf(again, sizeof(again), "scrypt$%u$%u$%u$%s$%s", log_n, r, p, salt, key);
	return strcmp(again, hash) == 0 && strlen(salt) == 32 && strlen(key) == 64 &&
	       r == PIN_SCRYPT_R && p == PIN_SCRYPT_P && log_n >= PIN_SCRYPT_LOG_N_MIN &&
	       log_n <= log_n_max;
}

/* The person in the payload, checked field by field; *ret_seq its hand-over count. */
static int
read_person(struct server *srv, json_t *in, struct store_person *p, int64_t *ret_seq,
            char *pin_hash, size_t pin_size, char *err, size_t size)
{
	struct store_establishment est;
	struct store_staff worker;
	json_t *created = json_object_get(in, "created_at"),
	       *updated = json_object_get(in, "updated_at"), *seq = json_object_get(in, "sequence"),
	       *pin_change = json_object_get(in, "pin_change");
	unsigned log_n_max = srv->config.scrypt_log_n > PIN_DEFAULT_LOG_N ? srv->config.scrypt_log_n
	                                                                  : PIN_DEFAULT_LOG_N;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(in))
		return refuse(err, size, "no person");
	if (!take(p->prison_number, sizeof(p->prison_number), text_field(in, "prison_number"),
	          false) ||
	    !validate_prison_number(p->prison_number))
		return refuse(err, size, "the prison number");
	if (!take(p->crn, sizeof(p->crn), text_field(in, "crn"), true) ||
	    (p->crn[0] && !validate_crn(p->crn)))
		return refuse(err, size, "the case reference");
	if (!take(p->given_name, sizeof(p->given_name), text_field(in, "given_name"), false) ||
	    !validate_text(p->given_name, STORE_NAME_MAX, false) ||
	    !take(p->family_name, sizeof(p->family_name), text_field(in, "family_name"), false) ||
	    !validate_text(p->family_name, STORE_NAME_MAX, false))
		return refuse(err, size, "the names");
	if (!take(p->status, sizeof(p->status), text_field(in, "status"), false) ||
	    (strcmp(p->status, "remand") && strcmp(p->status, "sentenced") &&
	     strcmp(p->status, "licence") && strcmp(p->status, "released")))
		return refuse(err, size, "the status");
	if (!take(p->incentive, sizeof(p->incentive), text_field(in, "incentive"), false) ||
	    (strcmp(p->incentive, "basic") && strcmp(p->incentive, "standard") &&
	     strcmp(p->incentive, "enhanced")))
		return refuse(err, size, "the incentive level");
	if (!take(p->release_date, sizeof(p->release_date), text_field(in, "release_date"), true) ||
	    (p->release_date[0] && !validate_date(p->release_date)))
		return refuse(err, size, "the release date");
	if (!take(p->flags, sizeof(p->flags), text_field(in, "flags"), true) ||
	    !flags_valid(p->flags))
		return refuse(err, size, "the flags");
	if (!take(p->establishment, sizeof(p->establishment), text_field(in, "establishment"),
	          false) ||
	    !validate_establishment_code(p->establishment))
		return refuse(err, size, "the establishment");
	if (!json_is_integer(created) || !json_is_integer(updated))
		return refuse(err, size, "the record's times");
	p->created_at = json_integer_value(created);
	p->updated_at = json_integer_value(updated);
	if (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
	    json_integer_value(seq) > RECORD_SEQ_MAX)
		return refuse(err, size, "the count of the record's moves");
	if (!text_field(in, "pin_hash") || strlen(text_field(in, "pin_hash")) >= pin_size)
		return refuse(err, size, "the PIN hash");
	/* Refused, not taken without the PIN: the record is the sender's word, and a sender
	 * that writes PIN records no Onward service makes is not to be believed in the rest. */
	if (!pin_hash_ours(text_field(in, "pin_hash"), log_n_max)) {
		snprintf(err, size,
		         "This bundle's PIN record is not one this service uses, so it was refused "
		         "and nothing was imported. Ask the sender to check their Onward service.");
		return -EBADMSG;
	}
	strcpy(pin_hash, text_field(in, "pin_hash"));
	/* A PIN staff issued must still be changed at the next login here. A sender from
	 * before the flag travelled had only PINs staff issued (migration 12). */
	if (pin_change && !json_is_boolean(pin_change))
		return refuse(err, size, "whether the PIN must be changed");
	p->pin_change = !pin_change || json_is_true(pin_change);
	*ret_seq = json_integer_value(seq);
	if (store_establishment_get(srv->store, p->establishment, &est) < 0) {
		snprintf(err, size,
		         "This person belongs to %s, which is not set up here. Add the "
		         "establishment first.",
		         p->establishment);
		return -ENOENT;
	}
	/* A worker named at the sender may not be staff here: the new worker is named here. */
	if (text_field(in, "worker") && validate_staff_id(text_field(in, "worker")) &&
	    store_staff_get(srv->store, text_field(in, "worker"), &worker) == 0)
		snprintf(p->worker, sizeof(p->worker), "%s", worker.id);
	return 0;
}

static int
import_contacts(struct store *s, int64_t person_id, json_t *list, struct id_map *map, char *err,
                size_t size)
{
	size_t i;
	json_t *in;

	if (!json_is_array(list) || json_array_size(list) > RECORD_CONTACTS_MAX)
		return refuse(err, size, "the contacts");
	json_array_foreach(list, i, in)
	{
		struct store_contact c = {.person_id = person_id};
		const char *status = text_field(in, "status");
		int64_t id = 0;
		int r;

		if (!take(c.name, sizeof(c.name), text_field(in, "name"), false) ||
		    !validate_text(c.name, STORE_NAME_MAX, false) ||
		    !take(c.relation, sizeof(c.relation), text_field(in, "relation"), false) ||
		    !validate_keyword(c.relation) || !json_is_integer(json_object_get(in, "id")) ||
		    !status ||
		    (strcmp(status, "pending") && strcmp(status, "approved") &&
		     strcmp(status, "rejected")))
			return refuse(err, size, "a contact");
		c.minor = json_is_true(json_object_get(in, "minor"));
		c.victim = json_is_true(json_object_get(in, "victim"));
		c.barred = json_is_true(json_object_get(in, "barred"));
		c.created_at = json_integer_value(json_object_get(in, "created_at"));
		r = store_contact_insert(s, &c, &id);
		if (r == 0 && strcmp(status, "pending") != 0)
			r = store_contact_decide(
			        s, id, status,
			        text_field(in, "decided_by") ? text_field(in, "decided_by") : "",
			        json_integer_value(json_object_get(in, "decided_at")));
		if (r < 0)
			return r;
		map->from[map->n] = json_integer_value(json_object_get(in, "id"));
		map->to[map->n++] = id;
	}
	return 0;
}

/*
 * JSON the payload held as text, as onward-parse sends it (record_canonical): an object
 * when the text was one, else the text as it came, which is refused here as it always
 * was. Empty text, or no text, is none: *ret NULL and 0.
 */
static int
held_object(json_t *value, json_t **ret)
{
	*ret = NULL;
	if (json_is_object(value))
		*ret = value;
	else if (json_is_string(value) && json_string_value(value)[0])
		return -EBADMSG;
	return 0;
}

/* The licence with its named contacts renumbered; "" when there is none. */
static int
import_licence(struct store *s, int64_t person_id, json_t *value, const struct id_map *map,
               char *err, size_t size)
{
	json_t *licence, *ids, *renumbered, *item;
	char *out;
	size_t i;
	int r;

	if (held_object(value, &licence) < 0)
		return refuse(err, size, "the licence");
	if (!licence)
		return store_person_set_licence(s, person_id, "", clock_now());
	/* As long as the sender may write it: the child makes only such text an object, but
	 * a payload may hold the object itself. */
	out = json_dumps(licence, JSON_COMPACT | JSON_SORT_KEYS);
	if (!out)
		return -ENOMEM;
	r = strlen(out) > RECORD_LICENCE_TEXT_MAX ? -EMSGSIZE : 0;
	free(out);
	ids = json_object_get(licence, "no_contact");
	if (r < 0 || (ids && !json_is_array(ids)))
		return refuse(err, size, "the licence");
	renumbered = json_array();
	json_array_foreach(ids, i, item)
	{
		int64_t to = id_map_get(map, json_integer_value(item));

		if (to)
			json_array_append_new(renumbered, json_integer(to));
	}
	json_object_set_new(licence, "no_contact", renumbered);
	out = json_dumps(licence, JSON_COMPACT | JSON_SORT_KEYS);
	if (!out)
		return -ENOMEM;
	r = store_person_set_licence(s, person_id, out, clock_now());
	free(out);
	return r;
}

/* The person's own settings, if the bundle holds a small JSON object of them. */
static int
import_settings(struct store *s, int64_t person_id, json_t *value, char *err, size_t size)
{
	json_t *settings;
	char *text;
	int r;

	if (held_object(value, &settings) < 0)
		return refuse(err, size, "the settings");
	if (!settings)
		return store_person_set_settings(s, person_id, "");
	text = json_dumps(settings, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return -ENOMEM;
	if (strlen(text) > RECORD_SETTINGS_TEXT_MAX)
		r = refuse(err, size, "the settings");
	else
		r = store_person_set_settings(s, person_id, text);
	free(text);
	return r;
}

/* A move's detail as the store keeps it: the object's text, "" for none. */
static bool
move_detail(json_t *in, char *dst, size_t dst_size)
{
	json_t *value = json_object_get(in, "detail"), *detail;
	char *text;
	bool ok;

	/* A move always has a detail, if only "" (the store makes that "{}"). */
	if (!(json_is_string(value) || json_is_object(value)) || held_object(value, &detail) < 0)
		return false;
	if (!detail) {
		dst[0] = '\0';
		return true;
	}
	text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	ok = text && strlen(text) < dst_size;
	if (ok)
		memcpy(dst, text, strlen(text) + 1);
	free(text);
	return ok;
}

static int
import_moves(struct store *s, int64_t person_id, json_t *list, char *err, size_t size)
{
	size_t i;
	json_t *in;
	int r = store_move_clear(s, person_id);

	if (r == 0 && (!json_is_array(list) || json_array_size(list) > RECORD_MOVES_MAX))
		return refuse(err, size, "the moves");
	json_array_foreach(list, i, in)
	{
		struct store_move m = {.person_id = person_id};

		if (r < 0)
			break;
		if (!take(m.kind, sizeof(m.kind), text_field(in, "kind"), false) ||
		    !take(m.from_establishment, sizeof(m.from_establishment),
		          text_field(in, "from"), true) ||
		    !take(m.to_establishment, sizeof(m.to_establishment), text_field(in, "to"),
		          true) ||
		    !take(m.from_status, sizeof(m.from_status), text_field(in, "from_status"),
		          true) ||
		    !take(m.to_status, sizeof(m.to_status), text_field(in, "to_status"), true) ||
		    !take(m.staff_id, sizeof(m.staff_id), text_field(in, "by"), true) ||
		    !move_detail(in, m.detail, sizeof(m.detail)))
			return refuse(err, size, "a move");
		m.at = json_integer_value(json_object_get(in, "at"));
		r = store_move_record(s, &m);
	}
	return r;
}

static int
import_audit(struct store *s, int64_t person_id, json_t *list, const char *sender, char *err,
             size_t size)
{
	size_t i;
	json_t *row;
	int r = store_imported_audit_clear(s, person_id);

	if (r == 0 && (!json_is_array(list) || json_array_size(list) > RECORD_AUDIT_MAX))
		return refuse(err, size, "the audit rows");
	json_array_foreach(list, i, row)
	{
		char from[8] = "";
		char *text;

		if (r < 0)
			break;
		if (!json_is_object(row))
			return refuse(err, size, "an audit row");
		/* Which establishment wrote the row: kept apart from the row itself. */
		if (text_field(row, "from") && validate_establishment_code(text_field(row, "from")))
			snprintf(from, sizeof(from), "%s", text_field(row, "from"));
		json_object_del(row, "from");
		text = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text)
			return -ENOMEM;
		/* Kept as text and sent on with every later move: no larger than a row can be. */
		if (strlen(text) > RECORD_AUDIT_ROW_MAX) {
			free(text);
			return refuse(err, size,
			              "an audit row is larger than any audit row can be");
		}
		r = store_imported_audit_add(s, person_id, from[0] ? from : sender, text);
		free(text);
	}
	return r;
}

/*
 * Whether the bundle from `sender`, hand-over seq, may replace the record held here. A
 * person's record is active in exactly one place: here only once the record here has
 * moved away, only from where it went (whoever else holds a copy holds a stale one, or
 * a made-up one), and only if it is newer than any copy this establishment has held or
 * sent, whatever the record here says now.
 */
static int
check_replace(struct store *s, const struct store_person *here, const char *sender, int64_t seq,
              char *err, size_t size)
{
	int64_t held = 0;
	int r;

	if (!here->moved_out[0]) {
		snprintf(err, size,
		         "%s's record is here and has not moved away, so a bundle from %s cannot "
		         "replace it: a person's record is active in one place only. Nothing was "
		         "changed.",
		         here->prison_number, sender);
		return -EEXIST;
	}
	if (strcmp(here->moved_out, sender) != 0) {
		snprintf(err, size,
		         "%s's record moved from here to %s, so only %s can send it back; this "
		         "bundle comes from %s. Nothing was changed.",
		         here->prison_number, here->moved_out, here->moved_out, sender);
		return -EPERM;
	}
	r = store_person_get_move_seq(s, here->id, &held);
	if (r < 0)
		return r;
	if (seq <= held) {
		snprintf(err, size,
		         "This bundle holds an older copy of %s's record than one this "
		         "establishment has already had (move %lld; this establishment has had "
		         "move %lld), so it was refused and nothing was changed. A person's record "
		         "is active in one place only.",
		         here->prison_number, (long long)seq, (long long)held);
		return -ESTALE;
	}
	return 0;
}

int
person_bundle_import(struct server *srv, json_t *payload, const char *sender,
                     struct store_person *ret_person, char *err, size_t size)
{
	struct store *s = srv->store;
	struct store_person in, here;
	struct id_map map = {0};
	char pin_hash[200];
	json_t *parts = json_object_get(payload, "parts");
	bool exists;
	int64_t id = 0, seq = 0;
	int r;

	r = read_person(srv, json_object_get(payload, "person"), &in, &seq, pin_hash,
	                sizeof(pin_hash), err, size);
	if (r < 0)
		return r;
	exists = store_person_find(s, in.prison_number, &here) == 0;
	if (exists && (r = check_replace(s, &here, sender, seq, err, size)) < 0)
		return r;
	if (exists) {
		id = here.id;
		for (size_t i = 0; r == 0 && area_list[i]; i++)
			if (area_list[i]->bundle_part)
				r = person_part_clear(area_list[i]->bundle_part, s, id);
		r = r ?: store_contact_delete_all(s, id);
		in.id = id;
		r = r ?: store_person_update(s, &in, clock_now());
		r = r ?: store_person_set_moved_out(s, id, "", clock_now());
	} else {
		r = store_person_insert(s, &in, pin_hash, &id);
		in.id = id;
		r = r ?: store_person_update(s, &in, clock_now());
	}
	r = r ?: store_person_set_move_seq(s, id, seq);
	r = r
	            ?: (in.pin_change ? store_person_issue_pin
	                              : store_person_choose_pin)(s, id, pin_hash, clock_now());
	memset(pin_hash, 0, sizeof(pin_hash));
	r = r ?: import_contacts(s, id, json_object_get(payload, "contacts"), &map, err, size);
	r = r ?: import_licence(s, id, json_object_get(payload, "licence"), &map, err, size);
	r = r ?: import_settings(s, id, json_object_get(payload, "settings"), err, size);
	r = r ?: import_moves(s, id, json_object_get(payload, "moves"), err, size);
	r = r ?: import_audit(s, id, json_object_get(payload, "audit"), sender, err, size);
	for (size_t i = 0; r == 0 && area_list[i]; i++) {
		const struct person_part *part = area_list[i]->bundle_part;
		json_t *value = part ? json_object_get(parts, part->name) : NULL;

		if (value)
			r = person_part_import(part, s, id, value, &map, err, size);
	}
	if (r == 0)
		r = store_person_get(s, id, ret_person);
	if (r < 0 && !err[0])
		snprintf(err, size,
		         "The record cannot be saved here (store error %d), so nothing was "
		         "imported. Try again; if it happens again, report it.",
		         -r);
	return r;
}
