/*
 * Human output (see print.h). Missing fields print as "-" so a newer daemon's reply with
 * fewer or more fields still prints.
 */
#include "print.h"

#include <stdlib.h>
#include <string.h>

const char *
print_text(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_true(v))
		return "yes";
	if (json_is_false(v))
		return "no";
	return "-";
}

static void
print_flags(FILE *out, json_t *list)
{
	size_t i;
	json_t *item;

	if (!json_array_size(list)) {
		fputs("-", out);
		return;
	}
	json_array_foreach(list, i, item)
	        fprintf(out, "%s%s", i ? ", " : "", json_string_value(item));
}

void
print_info(FILE *out, json_t *p)
{
	fprintf(out, "%s %s (protocol %lld, schema %lld)\nestablishment: %s\n",
	        print_text(p, "service"), print_text(p, "version"),
	        (long long)json_integer_value(json_object_get(p, "protocol")),
	        (long long)json_integer_value(json_object_get(p, "schema_version")),
	        print_text(p, "establishment"));
}

void
print_establishment(FILE *out, json_t *e)
{
	fprintf(out, "%-4s %-10s %s\n", print_text(e, "code"), print_text(e, "kind"),
	        print_text(e, "name"));
}

void
print_establishments(FILE *out, json_t *p)
{
	size_t i;
	json_t *e;

	fprintf(out, "%-4s %-10s %s\n", "CODE", "KIND", "NAME");
	json_array_foreach(json_object_get(p, "establishments"), i, e) print_establishment(out, e);
}

static void
print_staff_row(FILE *out, json_t *s)
{
	fprintf(out, "%-16s %-14s %-5s %-6s %s\n", print_text(s, "id"), print_text(s, "role"),
	        print_text(s, "establishment"),
	        json_is_true(json_object_get(s, "active")) ? "yes" : "no", print_text(s, "name"));
}

void
print_staff_member(FILE *out, json_t *s)
{
	fprintf(out, "added staff %s (%s): %s\nsetup code: %s (give it to them; valid 72 hours)\n",
	        print_text(s, "id"), print_text(s, "role"), print_text(s, "name"),
	        print_text(s, "setup_code"));
}

void
print_staff_confirmed(FILE *out, json_t *s)
{
	fprintf(out, "set up: sign in with 'onwardctl login %s'\n", print_text(s, "staff_id"));
}

void
print_staff_reset(FILE *out, json_t *s)
{
	fprintf(out,
	        "sign-in of %s started again; setup code %s (give it to them; valid 72 "
	        "hours)\n",
	        print_text(s, "staff_id"), print_text(s, "setup_code"));
}

void
print_whoami(FILE *out, json_t *s)
{
	fprintf(out, "%s (%s%s%s), proven by %s\n", print_text(s, "staff_id"),
	        print_text(s, "role"), print_text(s, "establishment")[0] ? ", " : "",
	        print_text(s, "establishment"), print_text(s, "proof"));
}

void
print_staff(FILE *out, json_t *p)
{
	size_t i;
	json_t *s;

	fprintf(out, "%-16s %-14s %-5s %-6s %s\n", "ID", "ROLE", "EST", "ACTIVE", "NAME");
	json_array_foreach(json_object_get(p, "staff"), i, s) print_staff_row(out, s);
}

void
print_person(FILE *out, json_t *params)
{
	json_t *p = json_object_get(params, "person");

	fprintf(out,
	        "prison number: %s\nname:          %s %s\ncase ref:      %s\nstatus:        %s\n"
	        "incentive:     %s\nestablishment: %s\nrelease date:  %s\nflags:         ",
	        print_text(p, "prison_number"), print_text(p, "given_name"),
	        print_text(p, "family_name"), print_text(p, "crn"), print_text(p, "status"),
	        print_text(p, "incentive"), print_text(p, "establishment"),
	        print_text(p, "release_date"));
	print_flags(out, json_object_get(p, "flags"));
	fprintf(out, "\nworker:        %s\nlocked until:  %s\nPIN:           %s\n",
	        print_text(p, "worker"), print_text(p, "locked_until"),
	        json_is_true(json_object_get(p, "pin_issued"))
	                ? "issued by staff (the person chooses their own at their next login)"
	                : "chosen by the person");
	if (json_object_get(params, "one_time_pin"))
		fprintf(out,
		        "one-time PIN:  %s  (give it to the person, who chooses their own at the "
		        "first login; it is not shown again)\n",
		        print_text(params, "one_time_pin"));
}

void
print_people(FILE *out, json_t *params)
{
	size_t i;
	json_t *p;

	fprintf(out, "%-8s %-4s %-10s %-9s %s\n", "NUMBER", "EST", "STATUS", "INCENTIVE", "NAME");
	json_array_foreach(json_object_get(params, "people"), i, p) fprintf(
	        out, "%-8s %-4s %-10s %-9s %s %s\n", print_text(p, "prison_number"),
	        print_text(p, "establishment"), print_text(p, "status"), print_text(p, "incentive"),
	        print_text(p, "given_name"), print_text(p, "family_name"));
}

static void
print_contact_row(FILE *out, json_t *c)
{
	char marks[40] = "";

	if (json_is_true(json_object_get(c, "minor")))
		strcat(marks, "minor ");
	if (json_is_true(json_object_get(c, "victim")))
		strcat(marks, "victim ");
	if (json_is_true(json_object_get(c, "barred")))
		strcat(marks, "barred ");
	fprintf(out, "%-6lld %-8s %-9s %-12s %-20s %s\n",
	        (long long)json_integer_value(json_object_get(c, "id")),
	        print_text(c, "prison_number"), print_text(c, "status"), print_text(c, "relation"),
	        marks[0] ? marks : "-", print_text(c, "name"));
}

void
print_contact(FILE *out, json_t *params)
{
	print_contact_row(out, json_object_get(params, "contact"));
}

void
print_contacts(FILE *out, json_t *params)
{
	size_t i;
	json_t *c;

	fprintf(out, "%-6s %-8s %-9s %-12s %-20s %s\n", "ID", "PERSON", "STATUS", "RELATION",
	        "MARKS", "NAME");
	json_array_foreach(json_object_get(params, "contacts"), i, c) print_contact_row(out, c);
}

static void
print_app_row(FILE *out, json_t *a)
{
	fprintf(out, "%-14s %.16s… %s\n", print_text(a, "name"), print_text(a, "sha256"),
	        print_text(a, "path"));
}

void
print_app(FILE *out, json_t *params)
{
	json_t *a = json_object_get(params, "app");

	fprintf(out, "registered %s: %s\nsha256 %s\n", print_text(a, "name"), print_text(a, "path"),
	        print_text(a, "sha256"));
}

void
print_apps(FILE *out, json_t *params)
{
	size_t i;
	json_t *a;

	fprintf(out, "%-14s %-17s %s\n", "NAME", "SHA256", "PATH");
	json_array_foreach(json_object_get(params, "apps"), i, a) print_app_row(out, a);
}

void
print_pin(FILE *out, json_t *params)
{
	fprintf(out,
	        "one-time PIN for %s: %s  (give it to the person, who chooses their own at the "
	        "next login; it is not shown again)\n",
	        print_text(params, "prison_number"), print_text(params, "one_time_pin"));
}

void
print_audit(FILE *out, json_t *params)
{
	size_t i;
	json_t *row;

	json_array_foreach(json_object_get(params, "rows"), i, row)
	{
		char *detail =
		        json_dumps(json_object_get(row, "detail"), JSON_COMPACT | JSON_SORT_KEYS);

		fprintf(out, "%6lld %s %-22s %-18s %-20s %-8s %s\n",
		        (long long)json_integer_value(json_object_get(row, "seq")),
		        print_text(row, "at"), print_text(row, "actor"), print_text(row, "action"),
		        print_text(row, "subject"), print_text(row, "outcome"),
		        detail ? detail : "");
		free(detail);
	}
}

void
print_verify(FILE *out, json_t *params)
{
	fprintf(out, "%s\n", print_text(params, "message"));
}

void
print_regime(FILE *out, json_t *params)
{
	fprintf(out, "%s regime: %s\n", print_text(params, "code"), print_text(params, "regime"));
}

void
print_explain(FILE *out, json_t *params)
{
	json_t *ctx = json_object_get(params, "context");
	size_t i;
	json_t *p;

	fprintf(out, "%s %s %s: %s\n  \"%s\"\n", print_text(params, "prison_number"),
	        print_text(params, "action"), print_text(params, "resource"),
	        print_text(params, "decision"), print_text(params, "reason"));
	json_array_foreach(json_object_get(params, "policies"), i, p)
	        fprintf(out, "  %s %s: %s\n", print_text(p, "effect"), print_text(p, "id"),
	                print_text(p, "reason"));
	fprintf(out, "  context: %02lld:00, day %lld, regime %s, device %s\n",
	        (long long)json_integer_value(json_object_get(ctx, "hour")),
	        (long long)json_integer_value(json_object_get(ctx, "weekday")),
	        print_text(ctx, "regime"), print_text(ctx, "device"));
}

void
print_reload(FILE *out, json_t *params)
{
	fprintf(out, "policy reloaded from %s: %lld policies and links (%lld grants)\n",
	        print_text(params, "directory"),
	        (long long)json_integer_value(json_object_get(params, "policies")),
	        (long long)json_integer_value(json_object_get(params, "grants")));
}

static void
print_grant_row(FILE *out, json_t *g)
{
	fprintf(out, "%-24s %-8s %-13s %-22s %-21s %s\n", print_text(g, "id"),
	        print_text(g, "prison_number"), print_text(g, "template"),
	        print_text(g, "resource"), print_text(g, "expires_at"), print_text(g, "reason"));
}

void
print_grant(FILE *out, json_t *params)
{
	print_grant_row(out, json_object_get(params, "grant"));
}

void
print_grants(FILE *out, json_t *params)
{
	size_t i;
	json_t *g;

	fprintf(out, "%-24s %-8s %-13s %-22s %-21s %s\n", "ID", "PERSON", "KIND", "RESOURCE",
	        "UNTIL", "REASON");
	json_array_foreach(json_object_get(params, "grants"), i, g) print_grant_row(out, g);
}

void
print_removed(FILE *out, json_t *params)
{
	fprintf(out, "removed %s\n", print_text(params, "removed"));
}
