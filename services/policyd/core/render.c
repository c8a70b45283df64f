/*
 * JSON views of store records (see render.h). Field names here are the protocol's: keep
 * docs/protocol.md in step when they change.
 */
#include "render.h"

#include "timeutil.h"

#include <string.h>

json_t *
render_time(int64_t t)
{
	char buf[32];

	if (t == 0)
		return json_null();
	time_format_utc(t, buf, sizeof(buf));
	return json_string(buf);
}

json_t *
render_keywords(const char *joined)
{
	json_t *list = json_array();
	const char *start = joined;

	while (list && *start) {
		const char *comma = strchr(start, ',');
		size_t n = comma ? (size_t)(comma - start) : strlen(start);

		json_array_append_new(list, json_stringn(start, n));
		start += n + (comma ? 1 : 0);
	}
	return list;
}

static json_t *
text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

json_t *
render_person(const struct store_person *p)
{
	return json_pack(
	        "{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:i, s:o, s:b, s:o, s:o}",
	        "prison_number", p->prison_number, "crn", text_or_null(p->crn), "given_name",
	        p->given_name, "family_name", p->family_name, "status", p->status, "incentive",
	        p->incentive, "establishment", p->establishment, "release_date",
	        text_or_null(p->release_date), "flags", render_keywords(p->flags), "worker",
	        text_or_null(p->worker), "failed_logins", p->failed_logins, "locked_until",
	        render_time(p->locked_until), "pin_issued", p->pin_change, "created_at",
	        render_time(p->created_at), "updated_at", render_time(p->updated_at));
}

json_t *
render_person_self(const struct store_person *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "prison_number", p->prison_number,
	                 "given_name", p->given_name, "family_name", p->family_name, "status",
	                 p->status, "incentive", p->incentive, "establishment", p->establishment,
	                 "release_date", text_or_null(p->release_date));
}

json_t *
render_staff(const struct store_staff *st)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:b, s:o}", "id", st->id, "name", st->name, "role",
	                 st->role, "establishment", text_or_null(st->establishment), "active",
	                 st->active, "created_at", render_time(st->created_at));
}

json_t *
render_establishment(const struct store_establishment *e)
{
	return json_pack("{s:s, s:s, s:s}", "code", e->code, "name", e->name, "kind", e->kind);
}

json_t *
render_contact(const struct store_contact *c, const char *prison_number)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b, s:s, s:o, s:o, s:o}", "id",
	                 (json_int_t)c->id, "prison_number", prison_number, "name", c->name,
	                 "relation", c->relation, "minor", c->minor, "victim", c->victim, "barred",
	                 c->barred, "status", c->status, "decided_by", text_or_null(c->decided_by),
	                 "decided_at", render_time(c->decided_at), "created_at",
	                 render_time(c->created_at));
}

json_t *
render_app(const struct store_app *a)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "name", a->name, "title", a->title,
	                 "path", a->path, "sha256", a->sha256, "registered_by", a->registered_by,
	                 "registered_at", render_time(a->registered_at));
}

json_t *
render_audit_row(const struct store_audit_row *row)
{
	json_error_t jerr;
	json_t *detail = json_loads(row->detail, 0, &jerr);

	/* A detail that no longer parses is shown as text: verify says what happened. */
	if (!detail)
		detail = json_string(row->detail);
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:s}", "seq", (json_int_t)row->seq,
	                 "at", render_time(row->at), "actor", row->actor, "subject", row->subject,
	                 "action", row->action, "outcome", row->outcome, "detail", detail, "hash",
	                 row->hash);
}

json_t *
render_own_json(const char *text, size_t len)
{
	return json_loadb(text, len, 0, NULL);
}
