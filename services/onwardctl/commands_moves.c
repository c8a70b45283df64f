/*
 * onwardctl commands for moving a person: receive, transfer, release on licence (the
 * licence is a JSON file read here and sent whole), recall, end of licence, and the
 * history of moves; with the functions that print their replies.
 */
#include "commands.h"
#include "print.h"

#include <stdlib.h>
#include <string.h>

static void
print_moved(FILE *out, json_t *params)
{
	json_t *p = json_object_get(params, "person");
	json_t *licence = json_object_get(params, "licence");
	size_t i;
	json_t *name;

	fprintf(out, "%s %s %s: %s at %s", print_text(p, "prison_number"),
	        print_text(p, "given_name"), print_text(p, "family_name"), print_text(p, "status"),
	        print_text(p, "establishment"));
	if (json_is_string(json_object_get(p, "worker")))
		fprintf(out, ", worker %s", print_text(p, "worker"));
	fputc('\n', out);
	if (licence) {
		fprintf(out, "licence until %s", print_text(licence, "ends"));
		if (json_integer_value(json_object_get(licence, "curfew_start")) ||
		    json_integer_value(json_object_get(licence, "curfew_end")))
			fprintf(out, "; curfew %02lld:00 to %02lld:00",
			        (long long)json_integer_value(
			                json_object_get(licence, "curfew_start")),
			        (long long)json_integer_value(
			                json_object_get(licence, "curfew_end")));
		fputc('\n', out);
		json_array_foreach(json_object_get(licence, "no_contact_names"), i, name)
		        fprintf(out,
		                "note: \"%s\" on the licence is not among the person's contacts; "
		                "add them as a contact marked barred if needed\n",
		                json_string_value(name));
	}
}

static void
print_moves(FILE *out, json_t *params)
{
	size_t i;
	json_t *m;

	fprintf(out, "%-21s %-12s %-4s %-10s %-4s %-10s %s\n", "AT", "MOVE", "FROM", "STATUS", "TO",
	        "STATUS", "BY");
	json_array_foreach(json_object_get(params, "moves"), i, m)
	        fprintf(out, "%-21s %-12s %-4s %-10s %-4s %-10s %s\n", print_text(m, "at"),
	                print_text(m, "kind"), print_text(m, "from"), print_text(m, "from_status"),
	                print_text(m, "to"), print_text(m, "to_status"), print_text(m, "by"));
}

static const struct command_option receive_options[] = {
        {"status", "status", OPT_STRING, "remand or sentenced (the default)"},
        {"establishment", "establishment", OPT_STRING, "the prison (default: this device's)"},
        {NULL},
};

static const struct command_option to_options[] = {
        {"to", "to", OPT_STRING, "the prison's code"},
        {NULL},
};

static const struct command_option release_options[] = {
        {"licence", "licence", OPT_JSON_FILE,
         "the licence conditions, a JSON file (see onwardctl(8))"},
        {NULL},
};

static const struct command_option export_options[] = {
        {"to", "path", OPT_PATH, "the bundle file to write (it must not exist yet)"},
        {"recipient", "recipient", OPT_JSON_FILE,
         "the receiving establishment's certificate (from its onwardctl identity cert)"},
        {NULL},
};

static const struct command_option no_options[] = {{NULL}};

static void
print_exported(FILE *out, json_t *params)
{
	fprintf(out, "%s exported to %s: bundle %s, %lld bytes in %s\n",
	        print_text(params, "prison_number"), print_text(params, "to"),
	        print_text(params, "bundle"),
	        (long long)json_integer_value(json_object_get(params, "bytes")),
	        print_text(params, "path"));
	fprintf(out, "The record here is now read-only. Send the file to %s.\n",
	        print_text(params, "to"));
}

static void
print_imported(FILE *out, json_t *params)
{
	json_t *p = json_object_get(params, "person");

	fprintf(out, "imported %s %s %s from %s (bundle %s): %s at %s\n",
	        print_text(p, "prison_number"), print_text(p, "given_name"),
	        print_text(p, "family_name"), print_text(params, "from"),
	        print_text(params, "bundle"), print_text(p, "status"),
	        print_text(p, "establishment"));
}

static void
print_identity(FILE *out, json_t *params)
{
	fprintf(out, "%s %s (%s)\nfingerprint %s\nvalid until %s\n", print_text(params, "code"),
	        print_text(params, "name"), print_text(params, "kind"),
	        print_text(params, "fingerprint"), print_text(params, "not_after"));
}

static void
print_certificate(FILE *out, json_t *params)
{
	json_dumpf(json_object_get(params, "certificate"), out, JSON_INDENT(2) | JSON_SORT_KEYS);
	fputc('\n', out);
}

static void
print_trusted(FILE *out, json_t *params)
{
	size_t i;
	json_t *t;

	if (json_object_get(params, "fingerprint")) {
		fprintf(out, "now trusted: %s %s (%s), fingerprint %s\n",
		        print_text(params, "code"), print_text(params, "name"),
		        print_text(params, "kind"), print_text(params, "fingerprint"));
		return;
	}
	fprintf(out, "%-4s %-10s %-64s %s\n", "CODE", "KIND", "FINGERPRINT", "NAME");
	json_array_foreach(json_object_get(params, "trusted"), i, t)
	        fprintf(out, "%-4s %-10s %-64s %s\n", print_text(t, "code"), print_text(t, "kind"),
	                print_text(t, "fingerprint"), print_text(t, "name"));
}

/* clang-format off */
const struct command move_commands[] = {
	{"person", "receive", "onward.Person.Receive", {"prison_number"}, "s", receive_options,
	 "receive a person into custody here", print_moved},
	{"person", "transfer", "onward.Person.Transfer", {"prison_number"}, "s", to_options,
	 "move a person to another prison (--to CODE)", print_moved},
	{"person", "release", "onward.Person.Release", {"prison_number"}, "s", release_options,
	 "release a person on licence (--licence FILE)", print_moved},
	{"person", "recall", "onward.Person.Recall", {"prison_number"}, "s", to_options,
	 "recall a person on licence to a prison (--to CODE)", print_moved},
	{"person", "end-licence", "onward.Person.EndLicence", {"prison_number"}, "s", no_options,
	 "end a person's licence (probation's access ends; their own data stays)", print_moved},
	{"person", "moves", "onward.Person.Moves", {"prison_number"}, "s", no_options,
	 "a person's moves and their licence", print_moves},
	{"person", "export", "onward.Person.Export", {"prison_number"}, "s", export_options,
	 "write a person's record as a bundle for another establishment (--to FILE --recipient CERT)",
	 print_exported},
	{"person", "import", "onward.Person.Import", {"path"}, "p", no_options,
	 "bring in a person's record from a bundle", print_imported},
	{"identity", "show", "onward.Identity.Show", {NULL}, "", no_options,
	 "this establishment's identity: code, name, fingerprint", print_identity},
	{"identity", "cert", "onward.Identity.Show", {NULL}, "", no_options,
	 "print this establishment's certificate (to give to another establishment)",
	 print_certificate},
	{"trust", "add", "onward.Trust.Add", {"certificate"}, "j", no_options,
	 "trust another establishment's certificate (check its fingerprint first)", print_trusted},
	{"trust", "list", "onward.Trust.List", {NULL}, "", no_options,
	 "the establishments whose bundles are trusted here", print_trusted},
	{NULL},
};
/* clang-format on */
